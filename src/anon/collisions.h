/*-------------------------------------------------------------------------
 *
 * collisions.h
 *	  Unique columns keep unique fakes (collisions.c).
 *
 * src/anon/collisions.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_ANON_COLLISIONS_H
#define SEEDKIT_ANON_COLLISIONS_H

#include "postgres.h"

#include "access/attnum.h"
#include "utils/hsearch.h"
#include "utils/jsonb.h"
#include "utils/relcache.h"

#include "anon/fake.h"
#include "anon/memo.h"

/* What a row's fake is made of, when not its column's value (a person's). */
typedef Datum (*SkRowInput) (void *arg, struct TupleTableSlot *slot);

extern bool sk_unique_col(Relation rel, AttrNumber attnum);
extern void sk_resolve_collisions(Relation rel, AttrNumber attnum,
								  const char *attname, SkFakeState *st,
								  HTAB *rounds, SkRowInput input, void *input_arg,
								  SkFakeMemo *memo);
extern void sk_column_rounds(Oid relid, AttrNumber attnum, const char *strategy,
							 Jsonb *options);
extern void sk_person_column_rounds(Oid relid, AttrNumber attnum, const char *strategy,
									Jsonb *options, AttrNumber person_id,
									AttrNumber person_gender);

#endif							/* SEEDKIT_ANON_COLLISIONS_H */
