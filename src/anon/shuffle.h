/*-------------------------------------------------------------------------
 *
 * shuffle.h
 *	  Strategy shuffle: a keyed permutation of a column's values among the
 *	  rows of its table, for seedkit_anonymise's rewrite (shuffle.c).
 *
 * src/anon/shuffle.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_ANON_SHUFFLE_H
#define SEEDKIT_ANON_SHUFFLE_H

#include "postgres.h"

#include "access/attnum.h"
#include "storage/itemptr.h"
#include "utils/relcache.h"
#include "utils/snapshot.h"

#include "anon/fake.h"

typedef struct SkShuffle SkShuffle;

extern bool sk_is_shuffle(SkFakeState *st);
extern SkShuffle *sk_shuffle_prepare(Relation rel, Snapshot snap, AttrNumber attnum,
									 SkFakeState *st);
extern Datum sk_shuffle_value(SkShuffle *sh, ItemPointer tid, Datum value);

#endif							/* SEEDKIT_ANON_SHUFFLE_H */
