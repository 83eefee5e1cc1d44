/*-------------------------------------------------------------------------
 *
 * custom.h
 *	  The user's own strategies: "function" (a SQL function of the
 *	  original value and per-value key material) and "pick" (a value from
 *	  a column of the user's table), in custom.c.
 *
 * src/anon/custom.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_ANON_CUSTOM_H
#define SEEDKIT_ANON_CUSTOM_H

#include "postgres.h"

#include "anon/fakeparts.h"

extern void sk_function_prepare(SkFakeState *st, bool text_class);
extern Datum sk_function_apply(SkFakeState *st, SkRng *rng, Datum value);
extern void sk_pick_prepare(SkFakeState *st, bool load);
extern void sk_pick_apply(SkFakeState *st, SkRng *rng, StringInfo out);

#endif							/* SEEDKIT_ANON_CUSTOM_H */
