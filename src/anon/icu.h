/*-------------------------------------------------------------------------
 *
 * icu.h
 *	  Every use of ICU (icu.c): transliteration, grapheme clusters, scramble.
 *
 * src/anon/icu.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_ANON_ICU_H
#define SEEDKIT_ANON_ICU_H

#include "postgres.h"

#include "lib/stringinfo.h"

#include "anon/prf.h"

extern char *sk_icu_to_ascii(const char *s, int len);
extern int	sk_icu_graphemes(const char *s, int len, int **offsets);
extern void sk_icu_scramble(SkRng *rng, const char *s, int len, StringInfo out);
extern void sk_icu_require_utf8(void);

#endif							/* SEEDKIT_ANON_ICU_H */
