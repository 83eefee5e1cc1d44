/*-------------------------------------------------------------------------
 *
 * reseed.c
 *	  seedkit_reseed: move sequences past the rows of their tables.
 *
 * The sequences considered are those feeding a column: serial and
 * bigserial (pg_depend deptype 'a'), identity ('i') sequences, and any
 * sequence a column's default calls (the default's own pg_depend entries,
 * or, for a default naming its sequence through an expression PostgreSQL
 * records no dependency for, the name it folds to, an unqualified one
 * looked up in the caller's search_path: sk_computed_feeds).
 * A sequence only ever moves forward, to the largest value of every column
 * it feeds (its smallest for a descending sequence), so the next value is
 * unused.
 *
 * src/restore/reseed.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "storage/proc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"

#include "core/core.h"
#include "restore/restore.h"

PG_FUNCTION_INFO_V1(seedkit_reseed);

/*
 * Every (seq, rel, att) where column att of table rel draws its values
 * from sequence seq: serial and identity columns (pg_depend deptype 'a'
 * and 'i' of the sequence on the column) and every column whose default
 * expression calls the sequence (pg_depend of the pg_attrdef entry on the
 * sequence: nextval('s') of a sequence owned by nothing, or by another
 * column), and the (seq, rel, att) triples of the three array parameters
 * SK_FEEDS_PARAMS names (sk_computed_feeds).  A partition's copy of its
 * root's default is left out: the root's column covers the partition's
 * rows.  Operators are qualified: restore runs this under the caller's
 * search_path.
 */
#define SK_FEEDS_CTE \
	"WITH f0 AS (" \
	" SELECT x.seq, x.rel, x.att FROM ROWS FROM (pg_catalog.unnest(" SK_FEEDS_PARAMS "))" \
	"  AS x(seq, rel, att)" \
	" UNION" \
	" SELECT d.objid AS seq, d.refobjid AS rel, d.refobjsubid::pg_catalog.int2 AS att" \
	"  FROM pg_catalog.pg_depend d" \
	"  WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass" \
	"  AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass" \
	"  AND d.deptype OPERATOR(pg_catalog.=) ANY ('{a,i}'::pg_catalog.\"char\"[])" \
	"  AND d.refobjsubid OPERATOR(pg_catalog.>) 0" \
	" UNION" \
	" SELECT d.refobjid, ad.adrelid, ad.adnum" \
	"  FROM pg_catalog.pg_attrdef ad JOIN pg_catalog.pg_depend d" \
	"  ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_attrdef'::pg_catalog.regclass" \
	"  AND d.objid OPERATOR(pg_catalog.=) ad.oid" \
	"  AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass" \
	"), f AS (" \
	" SELECT f0.seq, f0.rel, f0.att FROM f0" \
	"  JOIN pg_catalog.pg_class sc ON sc.oid OPERATOR(pg_catalog.=) f0.seq" \
	"   AND sc.relkind OPERATOR(pg_catalog.=) 'S'" \
	"  JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) f0.rel" \
	"   AND c.relkind OPERATOR(pg_catalog.=) ANY ('{r,p}'::pg_catalog.\"char\"[])" \
	"  JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) f0.rel" \
	"   AND a.attnum OPERATOR(pg_catalog.=) f0.att AND NOT a.attisdropped" \
	"  WHERE NOT (c.relispartition AND EXISTS (SELECT FROM f0 r" \
	"   JOIN pg_catalog.pg_attribute ra ON ra.attrelid OPERATOR(pg_catalog.=) r.rel" \
	"    AND ra.attnum OPERATOR(pg_catalog.=) r.att" \
	"   WHERE r.seq OPERATOR(pg_catalog.=) f0.seq" \
	"   AND r.rel OPERATOR(pg_catalog.=) pg_catalog.pg_partition_root(f0.rel)" \
	"   AND ra.attname OPERATOR(pg_catalog.=) a.attname))" \
	") "

/*
 * The three parameters of SK_FEEDS_CTE (oid[], oid[], int2[]): the first
 * ones of each statement using it.
 */
#define SK_FEEDS_PARAMS "$1), pg_catalog.unnest($2), pg_catalog.unnest($3"
#define SK_FEEDS_NPARAMS 3

/*
 * sk_folded_sequence
 *		The sequence a nextval() argument names once its immutable parts are
 *		folded: a regclass constant, or a text constant cast to regclass.
 *		An unqualified name is looked up as the column's default looks it
 *		up when the caller inserts: in the caller's search_path (the only
 *		thing that path chooses here is which relation the name means).
 *		InvalidOid when it names none that way.
 */
static Oid
sk_folded_sequence(Node *arg)
{
	Node	   *folded = eval_const_expressions(NULL, arg);
	Node	   *inner = NULL;
	List	   *names;
	Oid			seq;

	if (IsA(folded, Const) && ((Const *) folded)->consttype == REGCLASSOID)
		return ((Const *) folded)->constisnull ? InvalidOid :
			DatumGetObjectId(((Const *) folded)->constvalue);
	if (IsA(folded, FuncExpr) && ((FuncExpr *) folded)->funcid == F_REGCLASS &&
		list_length(((FuncExpr *) folded)->args) == 1)
		inner = linitial(((FuncExpr *) folded)->args);
	else if (IsA(folded, CoerceViaIO) &&
			 ((CoerceViaIO *) folded)->resulttype == REGCLASSOID)
		inner = (Node *) ((CoerceViaIO *) folded)->arg;
	if (inner == NULL || !IsA(inner, Const) || ((Const *) inner)->constisnull ||
		((Const *) inner)->consttype != TEXTOID)
		return InvalidOid;
	names = stringToQualifiedNameList(TextDatumGetCString(((Const *) inner)->constvalue));
	if (list_length(names) < 2)
	{
		int			level;

		if (sk_caller_search_path() == NULL)
			return InvalidOid;
		level = sk_caller_path_push();
		seq = RangeVarGetRelid(makeRangeVarFromNameList(names), NoLock, true);
		sk_unpin_settings(level);
	}
	else
		seq = RangeVarGetRelid(makeRangeVarFromNameList(names), NoLock, true);
	if (!OidIsValid(seq) || get_rel_relkind(seq) != RELKIND_SEQUENCE)
		return InvalidOid;
	return seq;
}

/* The triples sk_computed_feeds collects. */
typedef struct SkFeeds
{
	List	   *seqs;
	List	   *rels;
	List	   *atts;
	Oid			rel;
	AttrNumber	att;
} SkFeeds;

/*
 * sk_computed_walker
 *		Expression walker: add to context (SkFeeds) the sequence of every
 *		nextval() call whose argument is not a plain constant.
 */
static bool
sk_computed_walker(Node *node, void *context)
{
	SkFeeds    *f = (SkFeeds *) context;

	if (node == NULL)
		return false;
	if (IsA(node, FuncExpr) && ((FuncExpr *) node)->funcid == F_NEXTVAL &&
		list_length(((FuncExpr *) node)->args) == 1 &&
		!IsA(linitial(((FuncExpr *) node)->args), Const))
	{
		Oid			seq = sk_folded_sequence(linitial(((FuncExpr *) node)->args));

		if (OidIsValid(seq))
		{
			f->seqs = lappend_oid(f->seqs, seq);
			f->rels = lappend_oid(f->rels, f->rel);
			f->atts = lappend_int(f->atts, f->att);
		}
	}
	return expression_tree_walker(node, sk_computed_walker, context);
}

/*
 * sk_computed_feeds' arrays, computed once per top-level statement (a
 * restore asks for them table by table) and caller's search_path (it
 * resolves unqualified names) in TopTransactionContext, and forgotten when
 * a relation changes (a default may have).
 */
static LocalTransactionId sk_feeds_lxid = InvalidLocalTransactionId;
static TimestampTz sk_feeds_start = 0;
static char *sk_feeds_path = NULL;
static Datum sk_feeds_cached[3];
static bool sk_feeds_callback = false;

/*
 * sk_feeds_invalidate
 *		Relcache invalidation callback: forget sk_computed_feeds' arrays.
 */
static void
sk_feeds_invalidate(Datum arg, Oid relid)
{
	sk_feeds_lxid = InvalidLocalTransactionId;
}

/*
 * sk_computed_feeds
 *		Fill args[0..2] (SK_FEEDS_PARAMS) with the (seq, rel, att) triples
 *		of column defaults calling nextval() on an argument PostgreSQL
 *		records no dependency for (nextval('s' || ''), the old
 *		nextval(('s'::text)::regclass)), folded by sk_folded_sequence.  The
 *		caller is connected to SPI; the defaults read are those calling
 *		nextval() with no dependency on any sequence.
 */
static void
sk_computed_feeds(Datum *args)
{
	SkFeeds		f = {NIL, NIL, NIL, InvalidOid, 0};
	Datum	   *seqv,
			   *relv,
			   *attv;
	uint64		k;
	int			n = 0;
	ListCell   *a,
			   *b,
			   *c;
	MemoryContext old;

	if (!sk_feeds_callback)
	{
		CacheRegisterRelcacheCallback(sk_feeds_invalidate, (Datum) 0);
		sk_feeds_callback = true;
	}
	if (sk_feeds_lxid == MyProc->lxid &&
		sk_feeds_start == GetCurrentStatementStartTimestamp() &&
		(sk_feeds_path == NULL) == (sk_caller_search_path() == NULL) &&
		(sk_feeds_path == NULL || strcmp(sk_feeds_path, sk_caller_search_path()) == 0))
	{
		memcpy(args, sk_feeds_cached, sizeof(sk_feeds_cached));
		return;
	}
	if (SPI_execute("SELECT ad.adrelid, ad.adnum, ad.adbin::pg_catalog.text"
					" FROM pg_catalog.pg_attrdef ad"
					" WHERE pg_catalog.strpos(ad.adbin::pg_catalog.text, '{FUNCEXPR :funcid 1574 ')"
					"  OPERATOR(pg_catalog.>) 0"
					" AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d"
					"  JOIN pg_catalog.pg_class s ON s.oid OPERATOR(pg_catalog.=) d.refobjid"
					"   AND s.relkind OPERATOR(pg_catalog.=) 'S'"
					"  WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_attrdef'::pg_catalog.regclass"
					"  AND d.objid OPERATOR(pg_catalog.=) ad.oid"
					"  AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass)",
					true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read column defaults");
	for (k = 0; k < SPI_processed; k++)
	{
		HeapTuple	tup = SPI_tuptable->vals[k];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;

		f.rel = DatumGetObjectId(SPI_getbinval(tup, desc, 1, &isnull));
		f.att = DatumGetInt16(SPI_getbinval(tup, desc, 2, &isnull));
		(void) sk_computed_walker(stringToNode(SPI_getvalue(tup, desc, 3)), &f);
	}
	SPI_freetuptable(SPI_tuptable);

	old = MemoryContextSwitchTo(TopTransactionContext);
	seqv = palloc(sizeof(Datum) * (list_length(f.seqs) + 1));
	relv = palloc(sizeof(Datum) * (list_length(f.seqs) + 1));
	attv = palloc(sizeof(Datum) * (list_length(f.seqs) + 1));
	forthree(a, f.seqs, b, f.rels, c, f.atts)
	{
		seqv[n] = ObjectIdGetDatum(lfirst_oid(a));
		relv[n] = ObjectIdGetDatum(lfirst_oid(b));
		attv[n++] = Int16GetDatum((int16) lfirst_int(c));
	}
	args[0] = PointerGetDatum(construct_array(seqv, n, OIDOID, 4, true, TYPALIGN_INT));
	args[1] = PointerGetDatum(construct_array(relv, n, OIDOID, 4, true, TYPALIGN_INT));
	args[2] = PointerGetDatum(construct_array(attv, n, INT2OID, 2, true, TYPALIGN_SHORT));
	sk_feeds_path = sk_caller_search_path() == NULL ? NULL :
		pstrdup(sk_caller_search_path());
	MemoryContextSwitchTo(old);
	memcpy(sk_feeds_cached, args, sizeof(sk_feeds_cached));
	sk_feeds_lxid = MyProc->lxid;
	sk_feeds_start = GetCurrentStatementStartTimestamp();
}

/*
 * sk_sequence_columns
 *		The sequences feeding columns of relid (see SK_FEEDS_CTE), as a list
 *		of SkSeqCol in column order; shared marks a sequence that feeds some
 *		other column too.  The caller is connected to SPI.
 */
List *
sk_sequence_columns(Oid relid)
{
	Oid			argtypes[4] = {OIDARRAYOID, OIDARRAYOID, INT2ARRAYOID, OIDOID};
	Datum		args[4];
	List	   *result = NIL;
	uint64		k;

	sk_computed_feeds(args);
	args[3] = ObjectIdGetDatum(relid);
	if (SPI_execute_with_args(SK_FEEDS_CTE
							  "SELECT f.att, f.seq, s.seqincrement, s.seqmin,"
							  " (SELECT pg_catalog.count(*) FROM f f2"
							  "  WHERE f2.seq OPERATOR(pg_catalog.=) f.seq) OPERATOR(pg_catalog.>) 1"
							  " FROM f JOIN pg_catalog.pg_sequence s"
							  "  ON s.seqrelid OPERATOR(pg_catalog.=) f.seq"
							  " WHERE f.rel OPERATOR(pg_catalog.=) $4"
							  " ORDER BY f.att, f.seq",
							  4, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not look up the sequences of relation %u", relid);
	for (k = 0; k < SPI_processed; k++)
	{
		HeapTuple	tup = SPI_tuptable->vals[k];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		SkSeqCol   *sc = palloc(sizeof(SkSeqCol));
		bool		isnull;

		sc->attnum = DatumGetInt16(SPI_getbinval(tup, desc, 1, &isnull));
		sc->seqid = DatumGetObjectId(SPI_getbinval(tup, desc, 2, &isnull));
		sc->increment = DatumGetInt64(SPI_getbinval(tup, desc, 3, &isnull));
		sc->min = DatumGetInt64(SPI_getbinval(tup, desc, 4, &isnull));
		sc->shared = DatumGetBool(SPI_getbinval(tup, desc, 5, &isnull));
		result = lappend(result, sc);
	}
	SPI_freetuptable(SPI_tuptable);
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
 *		skip_relids/skip_attnums, past the largest value of every column
 *		each one feeds, in these tables or any other the caller may read (a
 *		sequence shared by several tables goes past all of them; columns of
 *		other tables the caller may not read are left out).  A
 *		sequence only moves forward, unless every column it feeds is in a
 *		table of emptied (emptied and restored in this call): then it is set
 *		just past the rows, as TRUNCATE ... RESTART IDENTITY would have done
 *		had it owned the sequence, so repeated restores give the same next
 *		key.  With ts, appends (sequence, last_value) per sequence.  The
 *		caller is connected to SPI.
 */
void
sk_reseed_internal(bool all, List *relids, List *skip_relids, List *skip_attnums,
				   List *emptied, Tuplestorestate *ts, TupleDesc td)
{
	Oid			argtypes[8] = {OIDARRAYOID, OIDARRAYOID, INT2ARRAYOID,
	BOOLOID, OIDARRAYOID, OIDARRAYOID, INT4ARRAYOID, OIDARRAYOID};
	Datum		args[8];
	SPITupleTable *tt;
	uint64		n,
				k;

	if (!all && relids == NIL)
		return;
	sk_computed_feeds(args);
	args[3] = BoolGetDatum(all);
	args[4] = sk_list_array(relids, true);
	args[5] = sk_list_array(skip_relids, true);
	args[6] = sk_list_array(skip_attnums, false);
	args[7] = sk_list_array(emptied, true);

	/*
	 * The sequences picked by the arguments, in the order of the first
	 * column picking them, each with every column it feeds that can be
	 * read, and whether all the columns it feeds are in emptied tables.
	 */
	if (SPI_execute_with_args(SK_FEEDS_CTE
							  ", pick AS ("
							  " SELECT DISTINCT ON (f.seq) f.seq, n.nspname, c.relname, f.att"
							  " FROM f"
							  " JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) f.rel"
							  " JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace"
							  " WHERE CASE WHEN $4 THEN"
							  "  n.nspname OPERATOR(pg_catalog.<>) ALL ('{pg_catalog,information_schema}'::pg_catalog.name[])"
							  "  AND pg_catalog.left(n.nspname::pg_catalog.text, 8) OPERATOR(pg_catalog.<>) 'pg_toast'"
							  "  AND NOT pg_catalog.pg_is_other_temp_schema(n.oid)"
							  "  AND pg_catalog.has_table_privilege(c.oid, 'UPDATE')"
							  "  AND pg_catalog.has_column_privilege(c.oid, f.att, 'SELECT')"
							  "  AND pg_catalog.has_sequence_privilege(f.seq, 'UPDATE')"
							  "  AND pg_catalog.has_sequence_privilege(f.seq, 'SELECT, USAGE')"
							  "  ELSE f.rel OPERATOR(pg_catalog.=) ANY ($5) END"
							  " AND NOT EXISTS (SELECT FROM ROWS FROM (pg_catalog.unnest($6), pg_catalog.unnest($7)) AS x(rel, att)"
							  "  WHERE x.rel OPERATOR(pg_catalog.=) f.rel AND x.att OPERATOR(pg_catalog.=) f.att)"
							  " ORDER BY f.seq, n.nspname COLLATE pg_catalog.\"C\", c.relname COLLATE pg_catalog.\"C\", f.att)"
							  " SELECT p.seq, s.seqincrement, s.seqstart, s.seqmin, s.seqmax,"
							  "  pg_catalog.array_agg(f.rel ORDER BY f.rel, f.att) FILTER (WHERE f.readable),"
							  "  pg_catalog.array_agg(f.att::pg_catalog.int4 ORDER BY f.rel, f.att)"
							  "   FILTER (WHERE f.readable),"
							  "  pg_catalog.bool_and(f.readable"
							  "   AND (f.rel OPERATOR(pg_catalog.=) ANY ($8)"
							  "    OR pg_catalog.pg_partition_root(f.rel) OPERATOR(pg_catalog.=) ANY ($8)))"
							  " FROM pick p"
							  " JOIN pg_catalog.pg_sequence s ON s.seqrelid OPERATOR(pg_catalog.=) p.seq"
							  " JOIN (SELECT f.*, f.rel OPERATOR(pg_catalog.=) ANY ($5)"
							  "   OR pg_catalog.has_column_privilege(f.rel, f.att, 'SELECT') AS readable"
							  "  FROM f) f ON f.seq OPERATOR(pg_catalog.=) p.seq"
							  " GROUP BY p.seq, p.nspname, p.relname, p.att, s.seqincrement, s.seqstart, s.seqmin, s.seqmax"
							  " ORDER BY p.nspname COLLATE pg_catalog.\"C\", p.relname COLLATE pg_catalog.\"C\", p.att, p.seq",
							  8, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not look up sequences");
	tt = SPI_tuptable;
	n = SPI_processed;
	/*
	 * no sequence moves when one of the tables is a Citus table written
	 * elsewhere than through the coordinator (of distributed and reference
	 * tables only the coordinator's range is read: sk_citus_own_range)
	 */
	{
		List	   *rels = NIL;

		for (k = 0; k < n; k++)
		{
			bool		isnull;
			Datum		arr = SPI_getbinval(tt->vals[k], tt->tupdesc, 6, &isnull);
			Datum	   *elems;
			int			nelems,
						e;

			/* the tables the sequence feeds (column 6) */
			if (isnull)
				continue;
			deconstruct_array(DatumGetArrayTypeP(arr), OIDOID, sizeof(Oid), true,
							  TYPALIGN_INT, &elems, NULL, &nelems);
			for (e = 0; e < nelems; e++)
				rels = list_append_unique_oid(rels, DatumGetObjectId(elems[e]));
		}
		sk_refuse_distributed(sk_citus_unsupported(rels));
	}
	for (k = 0; k < n; k++)
	{
		bool		isnull;
		Oid			seq = DatumGetObjectId(SPI_getbinval(tt->vals[k], tt->tupdesc, 1, &isnull));
		int64		inc = DatumGetInt64(SPI_getbinval(tt->vals[k], tt->tupdesc, 2, &isnull));
		int64		start = DatumGetInt64(SPI_getbinval(tt->vals[k], tt->tupdesc, 3, &isnull));
		int64		smin = DatumGetInt64(SPI_getbinval(tt->vals[k], tt->tupdesc, 4, &isnull));
		int64		smax = DatumGetInt64(SPI_getbinval(tt->vals[k], tt->tupdesc, 5, &isnull));
		Datum		rels = SPI_getbinval(tt->vals[k], tt->tupdesc, 6, &isnull);
		bool		norels = isnull;
		Datum		atts = SPI_getbinval(tt->vals[k], tt->tupdesc, 7, &isnull);
		bool		exact = DatumGetBool(SPI_getbinval(tt->vals[k], tt->tupdesc, 8, &isnull));
		Datum	   *relv = NULL;
		Datum	   *attv = NULL;
		int			nrel = 0,
					i;
		StringInfoData cols;
		StringInfoData sql;
		Oid			seqargtypes[3] = {REGCLASSOID, INT8OID, INT8OID};
		Datum		seqargs[3];
		Datum		values[2];
		bool		nulls[2];

		if (!norels)
		{
			deconstruct_array(DatumGetArrayTypeP(rels), OIDOID, sizeof(Oid), true,
							  TYPALIGN_INT, &relv, NULL, &nrel);
			deconstruct_array(DatumGetArrayTypeP(atts), INT4OID, sizeof(int32), true,
							  TYPALIGN_INT, &attv, NULL, &nrel);
		}

		/* the largest (smallest, descending) value of every column it feeds */
		initStringInfo(&cols);
		for (i = 0; i < nrel; i++)
			appendStringInfo(&cols, "%sSELECT pg_catalog.%s(%s)::pg_catalog.int8 AS v FROM %s%s",
							 i > 0 ? " UNION ALL " : "", inc > 0 ? "max" : "min",
							 sk_quote_col(DatumGetObjectId(relv[i]), DatumGetInt32(attv[i])),
							 sk_qualified_name(DatumGetObjectId(relv[i])),
							 sk_citus_own_range(DatumGetObjectId(relv[i]), DatumGetInt32(attv[i])));
		if (nrel == 0)
			appendStringInfoString(&cols, "SELECT NULL::pg_catalog.int8 AS v");

		initStringInfo(&sql);
		if (exact)
		{
			/*
			 * Just past the rows; where they are none, or out of the
			 * sequence's range, back to its start.
			 */
			appendStringInfo(&sql,
							 "SELECT CASE WHEN m.v IS NOT NULL AND m.v OPERATOR(pg_catalog.%s) $3"
							 " THEN pg_catalog.setval($1, m.v, true)"
							 " ELSE CASE WHEN pg_catalog.setval($1, $2, false) IS NULL THEN 0 END END"
							 " FROM (SELECT pg_catalog.%s(c.v) AS v FROM (%s) c) m",
							 inc > 0 ? ">=" : "<=", inc > 0 ? "max" : "min", cols.data);
			seqargs[1] = Int64GetDatum(start);
			seqargs[2] = Int64GetDatum(inc > 0 ? smin : smax);
		}
		else
		{
			/*
			 * Next value the sequence hands out: start when never called,
			 * else last_value + increment; move it when a column reaches it.
			 */
			appendStringInfo(&sql,
							 "SELECT CASE WHEN m.v IS NOT NULL AND m.v OPERATOR(pg_catalog.%s) q.nv"
							 " THEN pg_catalog.setval($1, m.v, true) ELSE q.lv END"
							 " FROM (SELECT pg_catalog.%s(c.v) AS v FROM (%s) c) m,"
							 " (SELECT l.lv, COALESCE(l.lv::pg_catalog.numeric OPERATOR(pg_catalog.+) $2, $3) AS nv"
							 "  FROM (SELECT pg_catalog.pg_sequence_last_value($1) AS lv) l) q",
							 inc > 0 ? ">=" : "<=", inc > 0 ? "max" : "min", cols.data);
			seqargs[1] = Int64GetDatum(inc);
			seqargs[2] = Int64GetDatum(start);
		}
		seqargs[0] = ObjectIdGetDatum(seq);
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
		/* Citus: each worker's copy of the sequence, in its own range */
		for (i = 0; i < nrel; i++)
			sk_citus_reseed_workers(seq, DatumGetObjectId(relv[i]), DatumGetInt32(attv[i]));
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

		deconstruct_array(arr, REGCLASSOID, sizeof(Oid), true, TYPALIGN_INT,
						  &elems, &nulls, &n);
		for (i = 0; i < n; i++)
			if (!nulls[i])
				relids = lappend_oid(relids, DatumGetObjectId(elems[i]));
	}
	rsinfo = sk_srf_begin(fcinfo, 0);
	if (all || relids != NIL)
		sk_reseed_internal(all, relids, NIL, NIL, NIL, rsinfo->setResult,
						   rsinfo->setDesc);
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

/*
 * sk_plan_reseed
 *		Sequences of a written table: reset columns of fresh tables got
 *		their keys from their sequence, nothing to do; reset columns of a
 *		table emptied in this call hold exactly 1..n, so their sequence is
 *		set to the largest ordinal directly (owned or not: repeated restores
 *		give the same next key); any other sequence column, and every
 *		sequence that also feeds another column, is left to
 *		sk_reseed_internal (which scans for the largest values).
 */
void
sk_plan_reseed(SkTarget *t, List **reseed, List **skip_rel, List **skip_att)
{
	List	   *seqs = sk_sequence_columns(t->relid);
	ListCell   *lc;
	bool		other = false;
	int			r;

	foreach(lc, seqs)
	{
		SkSeqCol   *sc = (SkSeqCol *) lfirst(lc);
		int			slot = -1;

		for (r = 0; r < t->doc->nreset; r++)
			if (t->cols[t->doc->reset[r]].attnum == sc->attnum)
				slot = r;
		/* a sequence feeding other columns too goes past all of them */
		if (sc->shared)
		{
			other = true;
			continue;
		}
		if (slot >= 0 && t->slot_fresh[slot])
			;
		else if (slot >= 0 && sc->increment > 0 &&
				 t->doc->reset_max[slot] > 0 && t->doc->reset_max[slot] >= sc->min)
			(void) DirectFunctionCall3(setval3_oid,
									   ObjectIdGetDatum(sc->seqid),
									   Int64GetDatum(t->doc->reset_max[slot]),
									   BoolGetDatum(true));
		else
		{
			other = true;
			continue;
		}
		*skip_rel = lappend_oid(*skip_rel, t->relid);
		*skip_att = lappend_int(*skip_att, sc->attnum);
	}
	if (other && !list_member_oid(*reseed, t->relid))
		*reseed = lappend_oid(*reseed, t->relid);
}
