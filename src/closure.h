/*-------------------------------------------------------------------------
 *
 * closure.h
 *	  Computing the set of rows a snapshot takes, and SPI helpers that run
 *	  statements under the snapshot's one view of the data.
 *
 * src/closure.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_CLOSURE_H
#define SEEDKIT_CLOSURE_H

#include "catalog.h"
#include "utils/snapshot.h"

extern uint64 sk_exec(const char *sql, Snapshot snap, int nargs,
					  Oid *argtypes, Datum *values);
extern void sk_closure_create(SkGraph *g);
extern void sk_closure_roots(SkGraph *g, const char *filter, Snapshot snap);
extern void sk_closure_compute(SkGraph *g, Snapshot snap, int64 max_rows);
extern void sk_closure_check(SkGraph *g, Snapshot snap);
extern void sk_closure_drop(SkGraph *g);
extern char *sk_ktable(SkTable *t);

#endif							/* SEEDKIT_CLOSURE_H */
