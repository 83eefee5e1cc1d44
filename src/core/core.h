/*-------------------------------------------------------------------------
 *
 * core.h
 *	  Declarations shared between seedkit's source files.
 *
 * src/core/core.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_H
#define SEEDKIT_H

#include "postgres.h"

#include "access/attnum.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "nodes/pg_list.h"

/* Format identifier written into and required from every document. */
#define SK_FORMAT "seedkit/1"

/* The seedkit.* settings: defined in module.c, registered by its _PG_init */
extern bool sk_progress;		/* seedkit.progress */
extern char *sk_seed_guc;		/* seedkit.seed: secret of the keyed fakes */
extern char *sk_locale_guc;		/* seedkit.locale: default locale of fakes */

/* Progress of one long operation (settings.c). */
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

/* settings.c */
extern int	sk_pin_settings(void);
extern void sk_unpin_settings(int nestlevel);
extern char *sk_qualified_name(Oid relid);
extern char *sk_ext_schema(void);
extern const char *sk_quote_col(Oid relid, AttrNumber attnum);
extern bool sk_caller_may_set_replication_role(void);
extern Datum sk_call_pinned(PGFunction body, FunctionCallInfo fcinfo);
extern int	sk_caller_path_push(void);
extern void sk_refuse_distributed(List *relids);

#endif							/* SEEDKIT_H */
