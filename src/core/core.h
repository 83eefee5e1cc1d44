/*-------------------------------------------------------------------------
 *
 * core.h
 *	  The core's interface: what snapshot/, restore/ and anon/ may call.
 *	  Each group names the file that defines it.
 *
 * src/core/core.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_CORE_H
#define SEEDKIT_CORE_H

#include "postgres.h"

#include "access/attnum.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "nodes/execnodes.h"
#include "nodes/pg_list.h"
#include "storage/lockdefs.h"
#include "utils/array.h"

#include "core/messages.h"

/*
 * Format identifiers (doc/format.md): a document with a json or jsonb column
 * is written as SK_FORMAT, whose json values may be wrapped; any other as
 * SK_FORMAT_V1, which an older reader reads alike.  Restore reads both.
 */
#define SK_FORMAT "seedkit/2"
#define SK_FORMAT_V1 "seedkit/1"

/* The seedkit.* settings: defined in settings.c, registered by src/seedkit.c */
extern bool sk_progress;		/* seedkit.progress */
extern char *sk_seed_guc;		/* seedkit.seed: secret of the keyed fakes */
extern char *sk_locale_guc;		/* seedkit.locale: default locale of fakes */

/* Progress of one long operation (progress.c). */
typedef struct SkProgress
{
	const char *op;				/* "snapshot", "restore", "anonymise" */
	int64		start;			/* TimestampTz of the start */
	int64		table_start;	/* of the current table */
	int64		last;			/* of the last report */
} SkProgress;

extern void sk_progress_begin(SkProgress *p, const char *op);
extern void sk_progress_table_begin(SkProgress *p, const char *table);
extern void sk_progress_tick(SkProgress *p, const char *table, int64 rows);
extern void sk_progress_table_end(SkProgress *p, const char *table, int64 rows);
extern void sk_progress_end(SkProgress *p);

/* names.c: names as seedkit's SQL spells them */
extern char *sk_qualified_name(Oid relid);
extern char *sk_table_rows(Oid relid);
extern char *sk_ext_schema(void);
extern const char *sk_quote_col(Oid relid, AttrNumber attnum);
extern char *sk_opname(Oid opno);
extern char *sk_type_eqop(Oid typid);
extern char *sk_column_type(Oid relid, AttrNumber attnum);
extern bool sk_name_too_long(const char *name);
extern Oid	sk_relid_of_name(const char *name, LOCKMODE lockmode, bool missing_ok);
extern Oid	sk_relid_of_name_quiet(const char *name);


/*
 * relations.c: relationships declared with seedkit_relate (virtual
 * references), and the check that a text is one SQL expression
 */
typedef struct SkRelation
{
	char	   *name;			/* listed as a reference's "constraint" */
	Oid			relid;			/* child (referencing) table */
	Oid			refrelid;		/* parent (referenced) table */
	int			nkeys;
	AttrNumber *attnums;
	AttrNumber *refattnums;
	char	   *condition;		/* NULL: every row of the child */
} SkRelation;

extern List *sk_relations(void);
extern bool sk_expr_is_one(const char *text, char **syntax_error);

/* lock.c: the order tables are locked in */
extern int	sk_oid_cmp(const ListCell *a, const ListCell *b);
extern void sk_lock_in_order(List *relids, LOCKMODE mode);

/* spi.c: the start of an SQL-callable function's SPI work */
extern void sk_spi_connect(void);
extern ReturnSetInfo *sk_srf_begin(FunctionCallInfo fcinfo, bits32 flags);
extern List *sk_regclass_list(ArrayType *arr);

/* store.c: stored documents (seedkit.snapshots) */
extern void sk_store_document(const char *name, const char *root,
							  const char *counts, Datum doc);

/*
 * settings.c: pinned settings and the caller's search_path; the last one,
 * sk_refuse_distributed, is distributed.c's
 */
extern int	sk_pin_settings(void);
extern void sk_unpin_settings(int nestlevel);
extern bool sk_caller_may_set_replication_role(void);
extern Datum sk_call_pinned(PGFunction body, FunctionCallInfo fcinfo);
extern int	sk_caller_path_push(void);
extern const char *sk_caller_search_path(void);
extern void sk_refuse_distributed(List *relids);

/* citus.c: Citus installed, how a table is distributed, shards read instead */
extern bool sk_citus_present(void);
extern char sk_citus_table(Oid relid, int *colocation, char **distcol);
extern void sk_citus_shards_set(int n, const Oid *relids, const Oid *shards);
extern void sk_citus_shards_clear(void);
extern void sk_citus_keys_set(const char *flags, const bytea *secret);
extern bool sk_citus_flags(const char **flags);
extern const bytea *sk_citus_secret(void);
extern const char *sk_citus_shard_from(Oid relid);
extern Oid	sk_citus_shard_of(Oid relid);
extern List *sk_citus_unsupported(List *relids);
extern const char *sk_citus_own_range(Oid relid, AttrNumber attnum);
extern void sk_citus_reseed_workers(Oid seq, Oid relid, AttrNumber attnum);
extern char *sk_citus_send_key(bool with_secret);

#endif							/* SEEDKIT_CORE_H */
