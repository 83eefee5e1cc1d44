/*-------------------------------------------------------------------------
 *
 * generalize.h
 *	  Strategy generalize: dates to their month or year, numbers to the
 *	  start of their range (generalize.c).
 *
 * src/anon/generalize.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_ANON_GENERALIZE_H
#define SEEDKIT_ANON_GENERALIZE_H

#include "postgres.h"

#include "anon/fakeparts.h"

extern Datum sk_generalize(SkFakeState *st, Datum value);

#endif							/* SEEDKIT_ANON_GENERALIZE_H */
