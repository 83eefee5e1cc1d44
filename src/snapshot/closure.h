/*-------------------------------------------------------------------------
 *
 * closure.h
 *	  Computing the set of rows a document holds, and SPI helpers that run
 *	  statements under its one data snapshot.
 *
 * src/snapshot/closure.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_CLOSURE_H
#define SEEDKIT_CLOSURE_H

#include "snapshot/graph.h"
#include "fmgr.h"
#include "utils/snapshot.h"

struct SkSpec;

/*
 * The arguments seedkit_snapshot and seedkit_plan share; a subset's
 * (seedkit_subset) have a spec instead of rootrel, filter, children and
 * exclude.
 */
typedef struct SkOptions
{
	struct SkSpec *spec;		/* NULL for a snapshot */
	Oid			rootrel;
	char	   *filter;
	char	   *name;
	bool		children;
	Oid		   *exclude;
	int			nexclude;
	int64		max_rows;
	bool		reset_keys;
	bool		anonymise;
} SkOptions;

extern void sk_options_from_args(FunctionCallInfo fcinfo, SkOptions *opt);
extern SkGraph *sk_closure_take(SkOptions *opt, Snapshot *snap, int64 max_rows,
								int *level);
extern uint64 sk_exec(const char *sql, Snapshot snap, int nargs,
					  Oid *argtypes, Datum *values);
extern void sk_exec_utility(const char *sql, const char *what);
extern void sk_analyze(const char *rel, const char *what);
extern void sk_closure_create(SkGraph *g);
extern void sk_closure_roots(SkGraph *g, const char *filter, Snapshot snap);
extern uint64 sk_closure_seed(SkTable *r, Oid fromrel, const char *filter,
							  const char *extra, int nargs, Oid *argtypes,
							  Datum *values, bool child, int gen,
							  Snapshot snap);
extern void sk_closure_finish(SkGraph *g, Snapshot snap, int64 max_rows);
extern void sk_closure_compute(SkGraph *g, Snapshot snap, int64 max_rows);
extern void sk_closure_check(SkGraph *g, Snapshot snap);
extern void sk_closure_drop(SkGraph *g);
extern char *sk_ktable(SkTable *t);
extern const char *sk_tid_col(SkTable *t);

#endif							/* SEEDKIT_CLOSURE_H */
