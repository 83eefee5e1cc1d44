/*-------------------------------------------------------------------------
 *
 * reseed.c
 *	  seedkit_reseed: move sequences past the rows of their tables.
 *
 * The sequences considered are those feeding a column: serial and
 * bigserial (pg_depend deptype 'a') and identity ('i') sequences.  A
 * sequence only ever moves forward, to the column's largest value (its
 * smallest for a descending sequence), so the next value is unused.
 *
 * src/reseed.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/dependency.h"
#include "catalog/pg_class.h"
#include "catalog/pg_depend.h"
#include "catalog/pg_sequence.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "seedkit.h"
#include "restore.h"

PG_FUNCTION_INFO_V1(seedkit_reseed);

/*
 * sk_sequence_columns
 *		The sequences feeding columns of relid (serial: pg_depend deptype
 *		'a', identity: 'i'), as a list of SkSeqCol in column order.
 */
List *
sk_sequence_columns(Oid relid)
{
	Relation	dep;
	ScanKeyData key[2];
	SysScanDesc scan;
	HeapTuple	tup;
	List	   *result = NIL;

	dep = table_open(DependRelationId, AccessShareLock);
	ScanKeyInit(&key[0], Anum_pg_depend_refclassid, BTEqualStrategyNumber,
				F_OIDEQ, ObjectIdGetDatum(RelationRelationId));
	ScanKeyInit(&key[1], Anum_pg_depend_refobjid, BTEqualStrategyNumber,
				F_OIDEQ, ObjectIdGetDatum(relid));
	scan = systable_beginscan(dep, DependReferenceIndexId, true, NULL, 2, key);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_depend d = (Form_pg_depend) GETSTRUCT(tup);
		SkSeqCol   *sc;
		HeapTuple	stup;

		if (d->classid != RelationRelationId || d->objsubid != 0 ||
			d->refobjsubid <= 0 ||
			(d->deptype != DEPENDENCY_AUTO && d->deptype != DEPENDENCY_INTERNAL) ||
			get_rel_relkind(d->objid) != RELKIND_SEQUENCE)
			continue;
		stup = SearchSysCache1(SEQRELID, ObjectIdGetDatum(d->objid));
		if (!HeapTupleIsValid(stup))
			continue;
		sc = palloc(sizeof(SkSeqCol));
		sc->attnum = d->refobjsubid;
		sc->seqid = d->objid;
		sc->increment = ((Form_pg_sequence) GETSTRUCT(stup))->seqincrement;
		sc->min = ((Form_pg_sequence) GETSTRUCT(stup))->seqmin;
		ReleaseSysCache(stup);
		result = lappend(result, sc);
	}
	systable_endscan(scan);
	table_close(dep, AccessShareLock);
	return result;
}

/*
 * sk_list_array
 *		An oid[] (oids) or int4[] datum of a list's members.
 */
static Datum
sk_list_array(List *list, bool oids)
{
	Datum	   *elems = palloc(sizeof(Datum) * (list_length(list) + 1));
	ListCell   *lc;
	int			n = 0;

	foreach(lc, list)
		elems[n++] = oids ? ObjectIdGetDatum(lfirst_oid(lc)) : Int32GetDatum(lfirst_int(lc));
	return PointerGetDatum(construct_array(elems, n, oids ? OIDOID : INT4OID,
										   4, true, TYPALIGN_INT));
}

/*
 * sk_reseed_internal
 *		Move the sequences feeding columns of relids (every table the
 *		caller may update when all), except the (relation, column) pairs of
 *		skip_relids/skip_attnums.  With ts, appends (sequence, last_value)
 *		per sequence.  The caller is connected to SPI.
 */
void
sk_reseed_internal(bool all, List *relids, List *skip_relids, List *skip_attnums,
				   Tuplestorestate *ts, TupleDesc td)
{
	Oid			argtypes[4] = {BOOLOID, OIDARRAYOID, OIDARRAYOID, INT4ARRAYOID};
	Datum		args[4];
	SPITupleTable *tt;
	uint64		n,
				k;

	if (!all && relids == NIL)
		return;
	args[0] = BoolGetDatum(all);
	args[1] = sk_list_array(relids, true);
	args[2] = sk_list_array(skip_relids, true);
	args[3] = sk_list_array(skip_attnums, false);
	if (SPI_execute_with_args(
							  "SELECT d.objid, d.refobjid, d.refobjsubid, s.seqincrement, s.seqstart"
							  " FROM pg_catalog.pg_depend d"
							  " JOIN pg_catalog.pg_class sc ON sc.oid = d.objid AND sc.relkind = 'S'"
							  " JOIN pg_catalog.pg_sequence s ON s.seqrelid = d.objid"
							  " JOIN pg_catalog.pg_class c ON c.oid = d.refobjid AND c.relkind IN ('r', 'p')"
							  " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
							  " JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
							  " WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
							  " AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
							  " AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0 AND NOT a.attisdropped"
							  " AND CASE WHEN $1 THEN"
							  "  n.nspname <> ALL ('{pg_catalog,information_schema}')"
							  "  AND n.nspname !~ '^pg_toast'"
							  "  AND NOT pg_catalog.pg_is_other_temp_schema(n.oid)"
							  "  AND pg_catalog.has_table_privilege(c.oid, 'UPDATE')"
							  "  AND pg_catalog.has_column_privilege(c.oid, a.attnum, 'SELECT')"
							  "  AND pg_catalog.has_sequence_privilege(d.objid, 'UPDATE')"
							  "  AND pg_catalog.has_sequence_privilege(d.objid, 'SELECT, USAGE')"
							  "  ELSE d.refobjid = ANY ($2) END"
							  " AND (d.refobjid, d.refobjsubid) NOT IN"
							  "  (SELECT * FROM ROWS FROM (pg_catalog.unnest($3), pg_catalog.unnest($4)))"
							  " ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\", a.attnum, d.objid",
							  4, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not look up sequences");
	tt = SPI_tuptable;
	n = SPI_processed;
	/* no sequence moves when one of the tables is distributed by Citus */
	{
		List	   *rels = NIL;

		for (k = 0; k < n; k++)
		{
			bool		isnull;

			rels = list_append_unique_oid(rels,
										  DatumGetObjectId(SPI_getbinval(tt->vals[k], tt->tupdesc,
																		 2, &isnull)));
		}
		sk_refuse_distributed(rels);
	}
	for (k = 0; k < n; k++)
	{
		bool		isnull;
		Oid			seq = DatumGetObjectId(SPI_getbinval(tt->vals[k], tt->tupdesc, 1, &isnull));
		Oid			rel = DatumGetObjectId(SPI_getbinval(tt->vals[k], tt->tupdesc, 2, &isnull));
		AttrNumber	att = DatumGetInt32(SPI_getbinval(tt->vals[k], tt->tupdesc, 3, &isnull));
		int64		inc = DatumGetInt64(SPI_getbinval(tt->vals[k], tt->tupdesc, 4, &isnull));
		int64		start = DatumGetInt64(SPI_getbinval(tt->vals[k], tt->tupdesc, 5, &isnull));
		StringInfoData sql;
		Oid			seqargtypes[3] = {REGCLASSOID, INT8OID, INT8OID};
		Datum		seqargs[3];
		Datum		values[2];
		bool		nulls[2];

		/*
		 * Next value the sequence hands out: start when never called, else
		 * last_value + increment; move it when the column reaches it.
		 */
		initStringInfo(&sql);
		/* operators qualified as well as pinned: bigint >= numeric, numeric + bigint */
		appendStringInfo(&sql,
						 "SELECT CASE WHEN m.v IS NOT NULL AND m.v OPERATOR(pg_catalog.%s) q.nv"
						 " THEN pg_catalog.setval($1, m.v, true) ELSE q.lv END"
						 " FROM (SELECT pg_catalog.%s(%s)::pg_catalog.int8 AS v FROM %s) m,"
						 " (SELECT l.lv, COALESCE(l.lv::pg_catalog.numeric OPERATOR(pg_catalog.+) $2, $3) AS nv"
						 "  FROM (SELECT pg_catalog.pg_sequence_last_value($1) AS lv) l) q",
						 inc > 0 ? ">=" : "<=", inc > 0 ? "max" : "min",
						 sk_quote_col(rel, att), sk_qualified_name(rel));
		seqargs[0] = ObjectIdGetDatum(seq);
		seqargs[1] = Int64GetDatum(inc);
		seqargs[2] = Int64GetDatum(start);
		if (SPI_execute_with_args(sql.data, 3, seqargtypes, seqargs, NULL,
								  false, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not reseed sequence %u", seq);
		values[0] = ObjectIdGetDatum(seq);
		values[1] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1,
								  &nulls[1]);
		nulls[0] = false;
		if (ts != NULL)
			tuplestore_putvalues(ts, td, values, nulls);
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_freetuptable(tt);
}

/*
 * sk_reseed_body
 *		seedkit_reseed(tables regclass[]): move the sequences feeding the
 *		tables' columns past their rows (NULL: every table the caller may
 *		update).  Returns (sequence, last_value) per sequence.
 */
static Datum
sk_reseed_body(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo;
	List	   *relids = NIL;
	bool		all = PG_ARGISNULL(0);

	if (!all)
	{
		ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
		Datum	   *elems;
		bool	   *nulls;
		int			n,
					i;

		deconstruct_array(arr, REGCLASSOID, 4, true, TYPALIGN_INT,
						  &elems, &nulls, &n);
		for (i = 0; i < n; i++)
			if (!nulls[i])
				relids = lappend_oid(relids, DatumGetObjectId(elems[i]));
	}
	SetSingleFuncCall(fcinfo, 0);
	rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (all || relids != NIL)
		sk_reseed_internal(all, relids, NIL, NIL, rsinfo->setResult, rsinfo->setDesc);
	SPI_finish();
	return (Datum) 0;
}

/*
 * seedkit_reseed
 *		SQL entry: sk_reseed_body with search_path pinned (see sk_call_pinned).
 */
Datum
seedkit_reseed(PG_FUNCTION_ARGS)
{
	return sk_call_pinned(sk_reseed_body, fcinfo);
}
