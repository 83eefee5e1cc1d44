/*-------------------------------------------------------------------------
 *
 * subset.h
 *	  A subset's spec (seedkit_subset): several roots, samples, whole
 *	  tables, exclusions, or the whole database.
 *
 * src/snapshot/subset.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_SUBSET_H
#define SEEDKIT_SUBSET_H

#include "snapshot/closure.h"

/* One root of a subset. */
typedef struct SkSubsetRoot
{
	Oid			relid;			/* as given; may be a partition */
	char	   *filter;			/* NULL: every row */
	char	   *sample;			/* percentage as written, NULL: none */
	double		percent;
	int64		limit;			/* -1: none */
} SkSubsetRoot;

/* A parsed spec. */
typedef struct SkSpec
{
	List	   *roots;			/* SkSubsetRoot * */
	List	   *wholes;			/* relids (OIDs) */
	Oid		   *exclude;
	int			nexclude;
	bool		children;
	char	   *json;			/* the document's "root" member */
} SkSpec;

extern void sk_subset_options(FunctionCallInfo fcinfo, SkOptions *opt);
extern SkGraph *sk_subset_take(SkOptions *opt, Snapshot *snap, int64 max_rows,
							   int *level);

#endif							/* SEEDKIT_SUBSET_H */
