/*-------------------------------------------------------------------------
 *
 * check.c
 *	  seedkit_check: flagged data that stays elsewhere.  A materialized
 *	  view or a table with a column of the same name and type as a flagged
 *	  column, not flagged itself and not a foreign key to it (which
 *	  seedkit_anonymise would follow), whose values overlap the flagged
 *	  column's: equal values (a copy, before anonymise), or values whose
 *	  fakes are the flagged column's values (a copy of the originals, after
 *	  anonymise).
 *
 * Only a sample of each candidate is compared (SK_CHECK_SAMPLE values),
 * only where the caller may read both columns; counts are returned, never
 * a value.
 *
 * src/anon/check.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "core/core.h"

#define SK_CHECK_SAMPLE 1000

/*
 * sk_check_overlap
 *		Of a sample of column col of rel, how many values equal a value of
 *		column fcol of frel (*same), and how many have as fake (strategy,
 *		options) a value of it (*faked; not counted for strategies whose
 *		fakes say nothing of the original).  *n: the sample's size.
 */
static void
sk_check_overlap(Oid rel, const char *col, Oid frel, const char *fcol,
				 const char *strategy, Datum options, int64 *n, int64 *same,
				 int64 *faked)
{
	const char *qc = quote_identifier(col);
	const char *qf = quote_identifier(fcol);
	bool		fakes = strcmp(strategy, "null") != 0 && strcmp(strategy, "value") != 0 &&
		strcmp(strategy, "shuffle") != 0;
	Oid			argtypes[2] = {TEXTOID, JSONBOID};
	Datum		args[2];
	char	   *sql;
	bool		isnull;

	args[0] = CStringGetTextDatum(strategy);
	args[1] = options;
	sql = psprintf("WITH f AS MATERIALIZED (SELECT DISTINCT %s AS v FROM %s WHERE %s IS NOT NULL) "
				   "SELECT count(*), "
				   "count(*) FILTER (WHERE s.v IN (SELECT v FROM f)), "
				   "count(*) FILTER (WHERE %s) "
				   "FROM (SELECT %s AS v FROM %s WHERE %s IS NOT NULL LIMIT %d) s",
				   qf, sk_qualified_name(frel), qf,
				   fakes ? psprintf("%s.seedkit_fake($1, s.v, $2) IN (SELECT v FROM f)",
									quote_identifier(sk_ext_schema())) : "false",
				   qc, sk_qualified_name(rel), qc, SK_CHECK_SAMPLE);
	if (SPI_execute_with_args(sql, 2, argtypes, args, NULL, true, 0) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "could not compare column \"%s\" with column \"%s\"", col, fcol);
	*n = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	*same = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	*faked = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
	SPI_freetuptable(SPI_tuptable);
}

/*
 * sk_check_body
 *		seedkit_check(): a row per column that holds copies of a flagged
 *		column's values: table_name, column_name, flagged_table,
 *		flagged_column, reason.
 */
static Datum
sk_check_body(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = sk_srf_begin(fcinfo, 0);
	SPITupleTable *pairs;
	uint64		npairs;
	uint64		i;
	MemoryContext per;

	if (SPI_execute("SELECT r.oid, ra.attname::text, f.\"table\"::oid, f.\"column\"::text, "
					"f.strategy, f.options, r.relkind "
					"FROM seedkit.flags f "
					"JOIN pg_attribute fa ON fa.attrelid = f.\"table\" AND fa.attname = f.\"column\" "
					"JOIN pg_attribute ra ON ra.attname = fa.attname AND ra.atttypid = fa.atttypid "
					" AND ra.attnum > 0 AND NOT ra.attisdropped "
					"JOIN pg_class r ON r.oid = ra.attrelid "
					"JOIN pg_namespace n ON n.oid = r.relnamespace "
					"WHERE r.relkind IN ('r', 'p', 'm') AND NOT r.relispartition "
					"AND r.oid <> f.\"table\" "
					"AND n.nspname <> ALL ('{pg_catalog, information_schema, seedkit}') "
					"AND n.nspname !~ '^pg_(toast|temp_)' "
					"AND NOT EXISTS (SELECT FROM seedkit.flags g "
					" WHERE g.\"table\" = r.oid AND g.\"column\" = ra.attname) "
					"AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.contype = 'f' "
					" AND k.conrelid = r.oid AND ra.attnum = ANY (k.conkey)) "
					"AND NOT EXISTS (SELECT FROM pg_inherits h "
					" WHERE h.inhrelid = r.oid AND h.inhparent = f.\"table\") "
					"AND has_column_privilege(r.oid, ra.attnum, 'SELECT') "
					"AND has_column_privilege(f.\"table\", fa.attnum, 'SELECT') "
					"ORDER BY n.nspname, r.relname, ra.attnum, f.\"table\"::text",
					true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the flagged columns");
	pairs = SPI_tuptable;
	npairs = SPI_processed;
	per = AllocSetContextCreate(CurrentMemoryContext, "seedkit_check pair",
								ALLOCSET_DEFAULT_SIZES);
	for (i = 0; i < npairs; i++)
	{
		HeapTuple	tup = pairs->vals[i];
		bool		isnull;
		Oid			rel = DatumGetObjectId(SPI_getbinval(tup, pairs->tupdesc, 1, &isnull));
		char	   *col = SPI_getvalue(tup, pairs->tupdesc, 2);
		Oid			frel = DatumGetObjectId(SPI_getbinval(tup, pairs->tupdesc, 3, &isnull));
		char	   *fcol = SPI_getvalue(tup, pairs->tupdesc, 4);
		char	   *strategy = SPI_getvalue(tup, pairs->tupdesc, 5);
		Datum		options = SPI_getbinval(tup, pairs->tupdesc, 6, &isnull);
		char	   *kind = SPI_getvalue(tup, pairs->tupdesc, 7);
		int64		n;
		int64		same;
		int64		faked;
		MemoryContext old;
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};
		const char *what;

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(per);
		sk_check_overlap(rel, col, frel, fcol, strategy, options, &n, &same, &faked);
		MemoryContextSwitchTo(old);
		if (same == 0 && faked == 0)
		{
			MemoryContextReset(per);
			continue;
		}
		what = kind[0] == 'm' ? "materialized view" : "table";
		values[0] = ObjectIdGetDatum(rel);
		values[1] = DirectFunctionCall1(namein, CStringGetDatum(col));
		values[2] = ObjectIdGetDatum(frel);
		values[3] = DirectFunctionCall1(namein, CStringGetDatum(fcol));
		if (faked >= same)
			values[4] = CStringGetTextDatum(psprintf("%s: %lld of %lld sampled values are originals of the flagged column's fakes",
													 what, (long long) faked, (long long) n));
		else
			values[4] = CStringGetTextDatum(psprintf("%s: %lld of %lld sampled values equal values of the flagged column (a copy: it holds originals unless made after seedkit_anonymise)",
													 what, (long long) same, (long long) n));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		MemoryContextReset(per);
	}
	MemoryContextDelete(per);
	SPI_finish();
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(seedkit_check);

/*
 * seedkit_check
 *		SQL entry: sk_check_body with search_path pinned.
 */
Datum
seedkit_check(PG_FUNCTION_ARGS)
{
	return sk_call_pinned(sk_check_body, fcinfo);
}
