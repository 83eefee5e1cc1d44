/*-------------------------------------------------------------------------
 *
 * restore.h
 *	  The restore pipeline's shared interface: the resolved tables and
 *	  the functions of each phase, by the file that defines them.
 *
 * src/restore/restore.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_RESTORE_H
#define SEEDKIT_RESTORE_H

#include "postgres.h"

#include "nodes/pg_list.h"
#include "utils/jsonb.h"
#include "utils/tuplestore.h"

#include "restore/reader.h"
#include "core/core.h"

/* Fresh keys of one reset column: ordinal k becomes keys[k - 1]. */
typedef struct SkKeyMap
{
	int64		n;
	char	  **keys;
} SkKeyMap;

/* copies.c: how one column varies across copies (struct in copies.c) */
typedef struct SkCopyCol SkCopyCol;

/* How one document column's value is produced. */
typedef struct SkColPlan
{
	AttrNumber	attnum;			/* in the target table */
	SkKeyMap   *map;			/* remap the ordinal through this, or NULL */
	const char *maptable;		/* table the map belongs to, for errors */
	bool		json;			/* json or jsonb: its values may be wrapped */
	bool		json_text;		/* json in the document too: a string is
								 * the JSON string (seedkit/2) */
	bool		flagged;		/* flagged: no message quotes its values */
	bool		written_null;	/* "after" column filled in later */
	bool		has_override;	/* every row gets override */
	char	   *override;		/* its value (NULL: SQL null) */
	SkCopyCol  *percopy;		/* copies: its value per copy, or NULL */
} SkColPlan;

/* An override column the document lacks, written on every row. */
typedef struct SkExtraCol
{
	AttrNumber	attnum;
	char	   *name;
	bool		has_override;	/* every row gets override; else per key */
	char	   *override;
} SkExtraCol;

/* Overrides of one row, by key. */
typedef struct SkKeyOverride
{
	char	   *key;			/* the row's key values, comma separated */
	bool		matched;
	int			ncols;
	int		   *cols;			/* doc column index, or -1 - extra index */
	char	  **values;
} SkKeyOverride;

/* Rows of a table whose "after" columns are filled in by an UPDATE. */
typedef struct SkAfterFill
{
	int			ref;			/* index into the document table's refs */
	List	   *rows;			/* of char ** : key values, then columns,
								 * then the document row number */
} SkAfterFill;

/* One document table resolved against the database. */
typedef struct SkTarget
{
	SkDocTable *doc;
	Oid			relid;
	char	   *qname;			/* quoted, schema-qualified */
	bool		fresh;			/* reset keys get fresh values */
	bool	   *slot_fresh;		/* per reset column: it gets fresh values */
	SkColPlan  *cols;			/* per document column */
	int			nextra;
	SkExtraCol *extra;
	List	   *keyed;			/* of SkKeyOverride */
	SkKeyMap   *maps;			/* per reset column (fresh tables only) */
	List	   *fills;			/* of SkAfterFill */
	bool		replica;		/* load with session_replication_role */
	SkProgress *progress;
	uint64		written;
	/*
	 * reuse and merge (options.c): rows matched to existing rows on a unique
	 * key (the reuse key, or the document key in merge mode)
	 */
	int			nmatch;			/* 0: neither */
	int		   *match;			/* document column indexes of the key */
	char	  **match_eqop;		/* per match column, qualified operator */
	bool	   *skip;			/* per document row (1-based): matched */
	uint64		reused;
	/* merge mode: matched rows are updated, not skipped */
	bool		merge;
	uint64		updated;
	int32		copy;			/* copies: the copy being loaded, from 1 */
} SkTarget;

/* One document being restored, with its resolved tables. */
typedef struct SkJob
{
	SkDoc	   *doc;
	SkTarget   *targets;		/* one per document table */
	List	   *deferred;		/* qualified constraint names set DEFERRED */
	List	   *immediate;		/* of those, the ones to set IMMEDIATE again */
	List	   *emptied;		/* tables emptied by this call (replace) */
	int32		copies;			/* copies of the document to load (0: 1) */
} SkJob;

/* How a restore writes: the mode and the options of the call. */
typedef struct SkRestoreOpts
{
	bool		replace;
	bool		merge;
	const char *overrides;		/* jsonb text, or NULL */
	Jsonb *reuse;		/* or NULL */
	Jsonb *schema_map;	/* or NULL */
	int32		copies;			/* 1 to SK_MAX_COPIES (0: 1) */
	Jsonb	   *vary;			/* or NULL */
} SkRestoreOpts;

/* The most copies one restore makes (copies => N). */
#define SK_MAX_COPIES 1000000

/* resolve.c: document tables against the database, the key plan */
extern SkTarget *sk_find_target(SkJob *job, const char *name);
extern SkTarget *sk_named_target(SkJob *job, const char *name, Oid relid);
extern int	sk_reset_slot(SkTarget *t, int col);
extern void sk_lock_targets(List *jobs, bool replace);
extern void sk_resolve(SkJob *job);
extern void sk_check_privileges(SkJob *job, bool replace);
extern void sk_check_not_null(SkTarget *t);
extern bool sk_takes_ordinal(Oid relid, AttrNumber attnum);
extern bool sk_takes_composite(Oid typid);
extern void sk_alloc_keys(SkTarget *t);
extern void sk_plan_maps(SkJob *job);

/* overrides.c: the overrides argument planned onto the targets */
extern void sk_plan_overrides(SkJob *job, List *overrides);

/* options.c: schema_map, reuse and merge planned onto the targets */
extern void sk_apply_schema_map(SkDoc *doc, Jsonb *map);
extern void sk_plan_reuse(SkJob *job, Jsonb *reuse);
extern void sk_plan_merge(SkJob *job);
extern void sk_reuse_match(SkTarget *t);
extern void sk_merge_update(SkTarget *t);

/* copies.c: copies => N and vary planned and applied */
extern void sk_plan_copies(SkJob *job, int32 copies, Jsonb *vary);
extern void sk_check_copies(SkJob *job);
extern void sk_resolve_copy(SkJob *job);
extern char *sk_copy_value(SkTarget *t, int col, int64 rowno, const SkVal *vals);

/* cycles.c: foreign key cycles broken, closed and checked */
extern void sk_plan_cycles(SkJob *job);
extern void sk_fill_after(SkTarget *t, SkAfterFill *fill);
extern void sk_verify_table(SkTarget *t);

/* relations.c: the relations declared with seedkit_relate, checked */
extern void sk_check_relations(SkJob *job);

/* load.c: the rows of one table written */
extern uint64 sk_copy_table(SkTarget *t);
extern Datum *sk_collect_columns(SkTarget *t, int ncols, const int *cols,
								 const bool *rows, int64 **ordinals,
								 bool fills);

/* fkcheck.c: foreign keys of a large load checked once per table */
extern List *sk_bulk_fks(SkTarget *t);
extern uint64 sk_copy_bulk_checked(SkTarget *t, List *fks);

/* A sequence feeding a column (serial, identity, or called by its default). */
typedef struct SkSeqCol
{
	AttrNumber	attnum;
	Oid			seqid;
	int64		increment;
	int64		min;
	bool		shared;			/* it feeds some other column too */
} SkSeqCol;

/* reseed.c: sequences moved past the restored rows */
/* citus.c */
extern List *sk_citus_restore_targets(List *jobs, List *relids, bool replace);

extern List *sk_sequence_columns(Oid relid);
extern void sk_plan_reseed(SkTarget *t, List **reseed, List **skip_rel,
						   List **skip_att);
extern void sk_reseed_internal(bool all, List *relids, List *skip_relids,
							   List *skip_attnums, List *emptied,
							   Tuplestorestate *ts, TupleDesc td);

/* A table a restore covered: which document, how many rows it wrote. */
typedef struct SkCovered
{
	Oid			relid;
	int			doc;			/* index of the document in the call */
	int64		rows;
} SkCovered;

/* track.c: the seedkit_track trigger and the tables marked changed */
extern bool sk_track_active(Oid relid);
extern int	sk_track_eligible(List *relids, char **why);
extern void sk_track_install(Oid relid);
extern List *sk_track_changed(Datum relids, List **truncated);
extern void sk_track_clear(Datum relids);

/* difference.c: the per-test reset by difference */
extern char *sk_reset_key(const char *name);
extern void sk_reset_record(const char *key, List *names, List *covered);
extern bool sk_reset_fast(const char *key, ReturnSetInfo *rsinfo);

#endif							/* SEEDKIT_RESTORE_H */
