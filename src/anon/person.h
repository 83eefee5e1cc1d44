/*-------------------------------------------------------------------------
 *
 * person.h
 *	  The fields of one coherent fake person (person.c).
 *
 * src/anon/person.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_ANON_PERSON_H
#define SEEDKIT_ANON_PERSON_H

#include "postgres.h"

#include "lib/stringinfo.h"

#include "anon/fake.h"
#include "anon/prf.h"

/* Separates the identity from the gender column's text in a person's input. */
#define SK_PERSON_SEP '\x1f'

extern bool sk_person_is_field(const char *strategy);
extern int	sk_person_gender(const char *s, int len);
extern bool sk_person_cached(SkFakeState *st, const char *field, const void *in,
							 int inlen, uint32 round, int gender, StringInfo out);
extern void sk_person_field(SkFakeState *st, const char *field, SkRng *rng,
							const void *in, int inlen, uint32 round, int gender,
							StringInfo out);
extern void sk_person_variant(SkFakeState *st, const char *field, SkRng *rng,
							  SkRng *vrng, const void *in, int inlen,
							  uint32 round, int gender, StringInfo out);

#endif							/* SEEDKIT_ANON_PERSON_H */
