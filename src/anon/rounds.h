/*-------------------------------------------------------------------------
 *
 * rounds.h
 *	  The collision rounds of the current statement, by strategy key
 *	  (rounds.c).
 *
 * src/anon/rounds.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_ANON_ROUNDS_H
#define SEEDKIT_ANON_ROUNDS_H

#include "postgres.h"

#include "access/attnum.h"
#include "utils/hsearch.h"

#include "anon/prf.h"

/* An original given another candidate: keyed digest -> round. */
typedef struct SkRoundEntry
{
	uint64		digest[2];		/* keyed digest of an original */
	uint32		round;
} SkRoundEntry;

extern uint64 sk_rounds_generation;
extern HTAB *sk_rounds_for(const SkKey *key, bool create, bool *created);
extern bool sk_rounds_first_time(const SkKey *key, Oid relid, AttrNumber attnum);
extern void sk_rounds_forget(void);

#endif							/* SEEDKIT_ANON_ROUNDS_H */
