/*-------------------------------------------------------------------------
 *
 * settings.c
 *	  Small helpers shared by seedkit's files: pinned settings, names.
 *
 * src/core/settings.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "tcop/tcopprot.h"
#include "utils/backend_status.h"
#include "utils/timestamp.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"

#include "core/core.h"

/*
 * Settings under which values are written and read: a document must not
 * depend on the session's TimeZone, DateStyle, float digits or search_path.
 */
static const char *const sk_pinned[][2] = {
	{"search_path", "pg_catalog, pg_temp"},
	{"DateStyle", "ISO, YMD"},
	{"TimeZone", "UTC"},
	{"IntervalStyle", "postgres"},
	{"extra_float_digits", "1"},
	{"bytea_output", "hex"},
	{"lc_monetary", "C"},
	{"xmloption", "content"},
};

/*
 * sk_pin_settings
 *		Open a GUC nest level and pin the settings above; returns the level
 *		to hand to sk_unpin_settings.  An ERROR unwinds it with the
 *		transaction or subtransaction.
 */
int
sk_pin_settings(void)
{
	int			level = NewGUCNestLevel();
	int			i;

	for (i = 0; i < lengthof(sk_pinned); i++)
		(void) set_config_option(sk_pinned[i][0], sk_pinned[i][1],
								 PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
	return level;
}

/*
 * sk_unpin_settings
 *		Restore the settings in force before sk_pin_settings.
 */
void
sk_unpin_settings(int nestlevel)
{
	AtEOXact_GUC(true, nestlevel);
}

/*
 * sk_qualified_name
 *		The relation's schema-qualified name, quoted as PostgreSQL quotes it.
 */
char *
sk_qualified_name(Oid relid)
{
	char	   *relname = get_rel_name(relid);
	char	   *nspname;

	if (relname == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
	nspname = get_namespace_name(get_rel_namespace(relid));
	return quote_qualified_identifier(nspname, relname);
}

/*
 * sk_ext_schema
 *		The quoted name of the schema holding seedkit's functions.
 */
char *
sk_ext_schema(void)
{
	Oid			extoid = get_extension_oid("seedkit", false);
	Oid			nspoid = InvalidOid;
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;

	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber,
				F_OIDEQ, ObjectIdGetDatum(extoid));
	scan = systable_beginscan(rel, ExtensionOidIndexId, true, NULL, 1, &key);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
		nspoid = ((Form_pg_extension) GETSTRUCT(tup))->extnamespace;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	if (!OidIsValid(nspoid))
		elog(ERROR, "extension seedkit has no schema");
	return pstrdup(quote_identifier(get_namespace_name(nspoid)));
}

/*
 * sk_quote_col
 *		The quoted name of column attnum of relid.
 */
const char *
sk_quote_col(Oid relid, AttrNumber attnum)
{
	return quote_identifier(get_attname(relid, attnum, false));
}

/*
 * sk_caller_may_set_replication_role
 *		True when the current user may set session_replication_role.
 */
bool
sk_caller_may_set_replication_role(void)
{
	if (superuser())
		return true;
	return pg_parameter_aclcheck("session_replication_role", GetUserId(),
								 ACL_SET) == ACLCHECK_OK;
}

/* Seconds between periodic progress reports on a big table. */
#define SK_PROGRESS_INTERVAL_MS 5000

/*
 * sk_progress_activity
 *		Show what is being done in pg_stat_activity.query, ahead of the
 *		statement's own text, for a DBA watching from another session.
 */
static void
sk_progress_activity(SkProgress *p, const char *table, int64 rows)
{
	char	   *msg;

	msg = psprintf("/* seedkit %s: %s, " INT64_FORMAT " rows */ %s",
				   p->op, table, rows,
				   debug_query_string ? debug_query_string : "");
	pgstat_report_activity(STATE_RUNNING, msg);
	pfree(msg);
}

/*
 * sk_progress_begin
 *		Start timing an operation.
 */
void
sk_progress_begin(SkProgress *p, const char *op)
{
	p->op = op;
	p->start = GetCurrentTimestamp();
	p->table_start = p->start;
	p->last = p->start;
}

/*
 * sk_progress_table_begin
 *		A table's work starts: shown in pg_stat_activity.
 */
void
sk_progress_table_begin(SkProgress *p, const char *table)
{
	p->table_start = GetCurrentTimestamp();
	p->last = p->table_start;
	sk_progress_activity(p, table, 0);
}

/*
 * sk_progress_tick
 *		Called every batch of rows: about every five seconds, update
 *		pg_stat_activity and, with seedkit.progress on, report a NOTICE.
 */
void
sk_progress_tick(SkProgress *p, const char *table, int64 rows)
{
	TimestampTz now = GetCurrentTimestamp();

	if (!TimestampDifferenceExceeds(p->last, now, SK_PROGRESS_INTERVAL_MS))
		return;
	p->last = now;
	sk_progress_activity(p, table, rows);
	if (sk_progress)
		ereport(NOTICE,
				(errmsg("%s: table %s, " INT64_FORMAT " rows so far", p->op, table, rows),
				 errdetail("Elapsed %ld ms.",
						   (long) (TimestampDifferenceMilliseconds(p->table_start, now)))));
}

/*
 * sk_progress_table_end
 *		A table is done: with seedkit.progress on, a NOTICE with its rows;
 *		the elapsed time is in the detail.
 */
void
sk_progress_table_end(SkProgress *p, const char *table, int64 rows)
{
	TimestampTz now = GetCurrentTimestamp();

	sk_progress_activity(p, table, rows);
	if (sk_progress)
		ereport(NOTICE,
				(errmsg("%s: table %s, " INT64_FORMAT " rows", p->op, table, rows),
				 errdetail("Elapsed %ld ms.",
						   (long) (TimestampDifferenceMilliseconds(p->table_start, now)))));
}

/*
 * sk_progress_end
 *		The operation is done: pg_stat_activity shows the statement again.
 */
void
sk_progress_end(SkProgress *p)
{
	pgstat_report_activity(STATE_RUNNING, debug_query_string);
}

/* The caller's search_path while sk_call_pinned runs a body (else NULL). */
static char *sk_caller_path = NULL;

/*
 * sk_call_pinned
 *		Run a SQL-callable function body with search_path pinned to
 *		pg_catalog (and pg_temp), so that the catalog queries it runs through
 *		SPI cannot reach functions or operators of the caller's schemas.
 *		The caller's path stays at hand for sk_caller_path_push.
 */
Datum
sk_call_pinned(PGFunction body, FunctionCallInfo fcinfo)
{
	int			level = NewGUCNestLevel();
	char	   *saved = sk_caller_path;
	Datum		result;

	sk_caller_path = pstrdup(namespace_search_path);
	PG_TRY();
	{
		(void) set_config_option("search_path", "pg_catalog, pg_temp",
								 PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
		result = body(fcinfo);
	}
	PG_FINALLY();
	{
		sk_caller_path = saved;
	}
	PG_END_TRY();
	AtEOXact_GUC(true, level);
	return result;
}

/*
 * sk_caller_path_push
 *		Put the caller's search_path back, for statements that run the
 *		caller's own code (user triggers); returns the level to hand to
 *		sk_unpin_settings.
 */
int
sk_caller_path_push(void)
{
	int			level = NewGUCNestLevel();

	if (sk_caller_path != NULL)
		(void) set_config_option("search_path", sk_caller_path,
								 PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
	return level;
}

/*
 * sk_refuse_distributed
 *		Stop with an error when one of relids is a table Citus manages (a
 *		distributed, reference or Citus local table: listed in
 *		pg_dist_partition).  Its rows live in shards, so reading or writing
 *		the coordinator's table would silently miss them.  Without the citus
 *		extension in the database this is one catalog lookup.  Of several
 *		such tables the first by schema and name is named.
 */
void
sk_refuse_distributed(List *relids)
{
	Datum	   *elems;
	Oid			argtypes[1] = {OIDARRAYOID};
	Datum		args[1];
	ListCell   *lc;
	int			n = 0;
	Oid			relid;
	char		method;
	char		model;
	bool		isnull;
	const char *kind;

	if (relids == NIL || !OidIsValid(get_extension_oid("citus", true)))
		return;

	elems = palloc(sizeof(Datum) * list_length(relids));
	foreach(lc, relids)
		elems[n++] = ObjectIdGetDatum(lfirst_oid(lc));
	args[0] = PointerGetDatum(construct_array(elems, n, OIDOID, sizeof(Oid),
											  true, TYPALIGN_INT));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT c.oid, p.partmethod, p.repmodel"
							  " FROM pg_catalog.pg_dist_partition p"
							  " JOIN pg_catalog.pg_class c"
							  " ON c.oid OPERATOR(pg_catalog.=) p.logicalrelid::pg_catalog.oid"
							  " JOIN pg_catalog.pg_namespace n"
							  " ON n.oid OPERATOR(pg_catalog.=) c.relnamespace"
							  " WHERE c.oid OPERATOR(pg_catalog.=) ANY ($1)"
							  " ORDER BY n.nspname COLLATE pg_catalog.\"C\","
							  " c.relname COLLATE pg_catalog.\"C\""
							  " LIMIT 1",
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read pg_dist_partition");
	if (SPI_processed == 0)
	{
		SPI_finish();
		return;
	}
	relid = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0],
										   SPI_tuptable->tupdesc, 1, &isnull));
	method = DatumGetChar(SPI_getbinval(SPI_tuptable->vals[0],
										SPI_tuptable->tupdesc, 2, &isnull));
	model = DatumGetChar(SPI_getbinval(SPI_tuptable->vals[0],
									   SPI_tuptable->tupdesc, 3, &isnull));
	SPI_finish();
	/* partmethod 'n' (none): a reference table, or a Citus local table */
	if (method != 'n')
		kind = "a distributed table";
	else if (model == 't')
		kind = "a reference table";
	else
		kind = "a Citus local table";
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("table \"%s\" is distributed by Citus", get_rel_name(relid)),
			 errdetail("Table %s is %s: its rows are kept in shards, which seedkit does not read or write yet.",
					   sk_qualified_name(relid), kind),
			 errhint("Leave the table out (a snapshot can exclude it), or use seedkit on a database where it is a plain table.")));
}
