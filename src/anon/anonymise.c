/*-------------------------------------------------------------------------
 *
 * anonymise.c
 *	  Flagged personal-data columns: seedkit_flag, seedkit_unflag, the
 *	  in-place seedkit_anonymise and the snapshot hook.
 *
 * seedkit_anonymise rewrites each table once, the way ALTER TABLE does:
 * a new heap is filled with the anonymised rows, then its relfilenode is
 * swapped in and the indexes are rebuilt.  No dead row version with an
 * original value stays in the table's files, no trigger fires, and a
 * cancelled run leaves the table as it was.  It takes an ACCESS EXCLUSIVE
 * lock on each table until the transaction ends.
 *
 * Locking order: the tables named (or found through seedkit.flags) in
 * ascending OID order, each partitioned table's partitions right after it
 * (find_all_inheritors), all before any row is read; seedkit_snapshot and
 * seedkit_restore lock in the same order, so none of them deadlocks with
 * another.  Then one snapshot, taken after the last lock, serves the
 * collision rounds of unique columns and the rewrite.
 *
 * src/anon/anonymise.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/multixact.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/heap.h"
#include "catalog/index.h"
#include "catalog/partition.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "commands/cluster.h"
#include "commands/defrem.h"
#include "commands/tablecmds.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "portability/instr_time.h"
#include "rewrite/rewriteHandler.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "anon/anon.h"
#include "anon/anon_internal.h"
#include "core/core.h"

/* One flagged column of a table. */
typedef struct SkFlag
{
	AttrNumber	attnum;
	char	   *attname;
	char	   *strategy;
	Jsonb	   *options;
} SkFlag;

/* A flagged column being anonymised. */
typedef struct SkCol
{
	AttrNumber	attnum;
	char	   *attname;
	SkFakeState *st;
	bool		unique;			/* under a single-column unique index */
	bool		notnull;
} SkCol;

/* A table of a seedkit_anonymise run. */
typedef struct SkTable
{
	Oid			relid;
	char	   *name;
	int			ncols;
	SkCol	   *cols;
	List	   *flags;			/* SkFlag, in cols' order */
	bool		copy_only;		/* values already replaced (triggers => true) */
} SkTable;

/* The flags of a table, resolving columns by number (or by name after a restore). */
#define SK_FLAGS_QUERY \
	"SELECT a.attnum, a.attname::text, f.strategy, f.options " \
	"FROM seedkit.flag f " \
	"JOIN pg_catalog.pg_attribute a ON a.attrelid = f.tbl AND a.attnum > 0 " \
	" AND NOT a.attisdropped " \
	" AND CASE WHEN f.tbl::oid = f.relid_seen THEN a.attnum = f.attnum " \
	"          ELSE a.attname = f.attname END " \
	"WHERE f.tbl = $1 ORDER BY a.attnum"

/*
 * sk_flags_stored
 *		The live flags stored for relid, ordered by column, allocated in the
 *		caller's memory context.
 */
static List *
sk_flags_stored(Oid relid)
{
	MemoryContext caller = CurrentMemoryContext;
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1];
	List	   *result = NIL;
	uint64		i;

	args[0] = ObjectIdGetDatum(relid);
	SPI_connect();
	if (SPI_execute_with_args(SK_FLAGS_QUERY, 1, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read seedkit.flag");
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		MemoryContext old = MemoryContextSwitchTo(caller);
		SkFlag	   *f = palloc(sizeof(SkFlag));
		Jsonb	   *opts;

		f->attnum = DatumGetInt16(SPI_getbinval(tup, desc, 1, &isnull));
		f->attname = SPI_getvalue(tup, desc, 2);
		f->strategy = SPI_getvalue(tup, desc, 3);
		opts = DatumGetJsonbP(SPI_getbinval(tup, desc, 4, &isnull));
		f->options = (Jsonb *) palloc(VARSIZE(opts));
		memcpy(f->options, opts, VARSIZE(opts));
		result = lappend(result, f);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	return result;
}

/*
 * sk_flags_of
 *		The flags that apply to relid: its own, or for a partition those of
 *		its topmost partitioned ancestor, bound to the partition's attribute
 *		numbers by column name.
 */
static List *
sk_flags_of(Oid relid)
{
	List	   *flags;
	ListCell   *lc;

	if (!get_rel_relispartition(relid))
		return sk_flags_stored(relid);
	flags = sk_flags_stored(llast_oid(get_partition_ancestors(relid)));
	foreach(lc, flags)
	{
		SkFlag	   *f = (SkFlag *) lfirst(lc);

		f->attnum = get_attnum(relid, f->attname);
		if (f->attnum == InvalidAttrNumber)
			elog(ERROR, "partition \"%s\" has no column \"%s\"",
				 get_rel_name(relid), f->attname);
	}
	return flags;
}

/*
 * sk_options_text
 *		The canonical text of a jsonb.
 */
static char *
sk_options_text(Jsonb *options)
{
	return JsonbToCString(NULL, &options->root, VARSIZE(options));
}

static void sk_snapshot_rounds(Oid relid, AttrNumber attnum, const char *strategy,
							   Jsonb *options, int depth);

/*
 * sk_referenced_columns
 *		The columns column attnum of relid references through foreign keys,
 *		by constraint name: their relations in *rels and attribute numbers
 *		in *atts (allocated in the caller's memory context).
 */
static void
sk_referenced_columns(Oid relid, AttrNumber attnum, List **rels, List **atts)
{
	MemoryContext outer = CurrentMemoryContext;
	Oid			argtypes[2] = {OIDOID, INT2OID};
	Datum		args[2];
	uint64		i;

	*rels = NIL;
	*atts = NIL;
	args[0] = ObjectIdGetDatum(relid);
	args[1] = Int16GetDatum(attnum);
	SPI_connect();
	if (SPI_execute_with_args("SELECT c.confrelid, c.confkey[pg_catalog.array_position(c.conkey, $2)] "
							  "FROM pg_catalog.pg_constraint c "
							  "WHERE c.contype = 'f' AND c.conrelid = $1 AND $2 = ANY (c.conkey) "
							  "ORDER BY c.conname",
							  2, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read foreign keys");
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		Oid			prel = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i],
														  SPI_tuptable->tupdesc, 1, &isnull));
		int16		patt = DatumGetInt16(SPI_getbinval(SPI_tuptable->vals[i],
													   SPI_tuptable->tupdesc, 2, &isnull));
		MemoryContext spicxt = MemoryContextSwitchTo(outer);

		*rels = lappend_oid(*rels, prel);
		*atts = lappend_int(*atts, patt);
		MemoryContextSwitchTo(spicxt);
	}
	SPI_finish();
}

/*
 * sk_flag_for
 *		The flag that applies to column attnum of relid: its own, or for a
 *		column of a foreign key whose referenced column has a flag (directly
 *		or again through a foreign key), that flag: a reference must never
 *		carry the real value of a flagged key, and both sides map alike.
 *		NULL when none applies.
 */
static SkFlag *
sk_flag_for(Oid relid, AttrNumber attnum, int depth)
{
	List	   *flags = sk_flags_of(relid);
	ListCell   *lc;
	List	   *rels;
	List	   *atts;
	ListCell   *lc2;

	foreach(lc, flags)
	{
		SkFlag	   *f = (SkFlag *) lfirst(lc);

		if (f->attnum == attnum)
			return f;
	}
	if (depth >= 8)
		return NULL;
	sk_referenced_columns(relid, attnum, &rels, &atts);
	forboth(lc, rels, lc2, atts)
	{
		Oid			prel = lfirst_oid(lc);
		int			patt = lfirst_int(lc2);
		SkFlag	   *f;

		f = sk_flag_for(prel, (AttrNumber) patt, depth + 1);
		if (f != NULL)
			return f;
	}
	return NULL;
}

/*
 * sk_anon_expr
 *		The SQL expression that replaces column attnum of relid in a
 *		snapshot when a flag applies to it (its own, or its referenced key
 *		column's), with valexpr standing for the original value; NULL when
 *		none applies.  The expression calls seedkit_fake with the flag's
 *		strategy and options on the value cast to the column's base type and
 *		modifier, so it gives exactly what seedkit_anonymise writes in place.
 */
char *
sk_anon_expr(Oid relid, AttrNumber attnum, const char *valexpr)
{
	SkFlag	   *f = sk_flag_for(relid, attnum, 0);
	Oid			typid;
	int32		typmod;
	Oid			collid;
	Oid			basetype;

	if (f == NULL)
		return NULL;

	/*
	 * A unique column, or one referencing a unique column flagged alike:
	 * resolve collisions over the whole column now, as seedkit_anonymise
	 * would, so the document's fakes are unique and match in place.
	 */
	sk_snapshot_rounds(relid, attnum, f->strategy, f->options, 0);
	get_atttypetypmodcoll(relid, attnum, &typid, &typmod, &collid);
	basetype = getBaseTypeAndTypmod(typid, &typmod);
	return psprintf("%s.seedkit_fake(%s, (%s)::%s, %s::pg_catalog.jsonb)",
					sk_ext_schema(),
					quote_literal_cstr(f->strategy),
					valexpr,
					format_type_extended(basetype, typmod,
										 FORMAT_TYPE_TYPEMOD_GIVEN |
										 FORMAT_TYPE_FORCE_QUALIFY),
					quote_literal_cstr(sk_options_text(f->options)));
}

/*
 * sk_anon_flagged
 *		Whether a flag applies to column attnum of relid (its own, or the one
 *		of the column it references), without any of sk_anon_expr's work.
 */
bool
sk_anon_flagged(Oid relid, AttrNumber attnum)
{
	return sk_flag_for(relid, attnum, 0) != NULL;
}

/*
 * sk_check_owner
 *		ERROR unless the current user owns the table; what says what the
 *		caller wanted to do.
 */
static void
sk_check_owner(Oid relid, const char *what)
{
	if (!pg_class_ownercheck(relid, GetUserId()))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to %s table \"%s\"", what, get_rel_name(relid)),
				 errdetail("Only the owner of table \"%s\" may %s it.",
						   get_rel_name(relid), what)));
}

/*
 * sk_check_table
 *		ERROR unless relid is an ordinary or partitioned table; when
 *		flagging, also unless it is the top of its partition tree (flags of a
 *		partitioned table apply to all its partitions, and snapshots read
 *		partitions through it).
 */
static void
sk_check_table(Oid relid, bool flagging)
{
	char		kind = get_rel_relkind(relid);

	if (kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a table", get_rel_name(relid)),
				 errdetail("Only ordinary and partitioned tables can be anonymised."),
				 errhint("Flag the columns of the table the view or foreign table reads.")));
	if (flagging && get_rel_relispartition(relid))
	{
		Oid			root = llast_oid(get_partition_ancestors(relid));

		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("cannot flag columns of partition \"%s\"", get_rel_name(relid)),
				 errdetail("Flags of a partitioned table apply to all its partitions."),
				 errhint("Flag the column of partitioned table \"%s\".", get_rel_name(root))));
	}
}

/*
 * sk_check_partition_key
 *		ERROR when column attname is (part of) the partition key of root or
 *		of a partitioned table below it: a fake would move rows out of their
 *		partitions.
 */
static void
sk_check_partition_key(Oid root, const char *attname)
{
	List	   *rels;
	ListCell   *lc;

	if (get_rel_relkind(root) != RELKIND_PARTITIONED_TABLE)
		return;
	rels = find_all_inheritors(root, AccessShareLock, NULL);
	foreach(lc, rels)
	{
		Oid			relid = lfirst_oid(lc);
		Relation	rel;
		AttrNumber	attnum;
		bool		used;

		if (get_rel_relkind(relid) != RELKIND_PARTITIONED_TABLE)
			continue;
		attnum = get_attnum(relid, attname);
		if (attnum == InvalidAttrNumber)
			continue;
		rel = table_open(relid, AccessShareLock);
		used = has_partition_attrs(rel,
								   bms_make_singleton(attnum - FirstLowInvalidHeapAttributeNumber),
								   NULL);
		table_close(rel, AccessShareLock);
		if (used)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot flag column \"%s\": it is in the partition key of table \"%s\"",
							attname, get_rel_name(relid)),
					 errdetail("A fake would not belong to the row's partition."),
					 errhint("Leave the partition key unflagged, or flag another column.")));
	}
}

/*
 * sk_column
 *		The attribute number of column col of relid, with its type and
 *		NOT NULL flag; ERROR when there is no such user column.
 */
static AttrNumber
sk_column(Oid relid, const char *col, Oid *typid, int32 *typmod, bool *notnull)
{
	HeapTuple	tup = SearchSysCacheAttName(relid, col);
	Form_pg_attribute att;
	AttrNumber	attnum;

	if (!HeapTupleIsValid(tup))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of table \"%s\" does not exist",
						col, get_rel_name(relid))));
	att = (Form_pg_attribute) GETSTRUCT(tup);
	attnum = att->attnum;
	*typid = att->atttypid;
	*typmod = att->atttypmod;
	*notnull = att->attnotnull;
	ReleaseSysCache(tup);
	if (attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot flag system column \"%s\"", col)));
	return attnum;
}

/*
 * sk_reanchor
 *		Clean up the flags of relid: drop those whose column was dropped,
 *		and after a restore (new OIDs) bind the rest to the current
 *		attribute numbers again.
 */
static void
sk_reanchor(Oid relid)
{
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1];

	args[0] = ObjectIdGetDatum(relid);
	if (SPI_execute_with_args("UPDATE seedkit.flag f SET relid_seen = f.tbl, attnum = a.attnum "
							  "FROM pg_catalog.pg_attribute a "
							  "WHERE f.tbl = $1 AND f.relid_seen <> f.tbl::oid "
							  "AND a.attrelid = f.tbl AND a.attname = f.attname "
							  "AND a.attnum > 0 AND NOT a.attisdropped",
							  1, argtypes, args, NULL, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "could not update seedkit.flag");
	if (SPI_execute_with_args("UPDATE seedkit.flag f SET attname = a.attname "
							  "FROM pg_catalog.pg_attribute a "
							  "WHERE f.tbl = $1 AND f.relid_seen = f.tbl::oid "
							  "AND a.attrelid = f.tbl AND a.attnum = f.attnum "
							  "AND NOT a.attisdropped AND a.attname <> f.attname",
							  1, argtypes, args, NULL, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "could not update seedkit.flag");
	if (SPI_execute_with_args("DELETE FROM seedkit.flag f WHERE f.tbl = $1 AND NOT EXISTS ("
							  "SELECT 1 FROM pg_catalog.pg_attribute a "
							  "WHERE a.attrelid = f.tbl AND a.attnum > 0 AND NOT a.attisdropped "
							  "AND a.attnum = f.attnum AND f.relid_seen = f.tbl::oid)",
							  1, argtypes, args, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not delete from seedkit.flag");
}

PG_FUNCTION_INFO_V1(seedkit_flag);

/*
 * sk_flag_body
 *		seedkit_flag(tbl, col, strategy, options): flag a column for
 *		anonymisation (replacing an earlier flag).  Options are checked
 *		against the strategy and the column's type now; a strategy that
 *		takes a locale records the effective one.  Returns void.
 */
static Datum
sk_flag_body(PG_FUNCTION_ARGS)
{
	Oid			relid;
	char	   *col;
	char	   *strategy;
	Jsonb	   *options;
	Oid			typid;
	int32		typmod;
	bool		notnull;
	AttrNumber	attnum;
	Oid			argtypes[6] = {OIDOID, OIDOID, INT2OID, NAMEOID, TEXTOID, JSONBOID};
	Datum		args[6];

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("table, column and strategy must not be null")));
	relid = PG_GETARG_OID(0);
	col = NameStr(*PG_GETARG_NAME(1));
	strategy = text_to_cstring(PG_GETARG_TEXT_PP(2));
	options = PG_ARGISNULL(3) ? NULL : PG_GETARG_JSONB_P(3);
	if (options == NULL)
		options = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum("{}")));

	sk_check_table(relid, true);
	sk_check_owner(relid, "flag columns of");
	sk_refuse_distributed(list_make1_oid(relid));
	attnum = sk_column(relid, col, &typid, &typmod, &notnull);
	sk_check_partition_key(relid, col);
	if (get_attgenerated(relid, attnum) != '\0')
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot flag generated column \"%s\"", col),
				 errdetail("Its values are computed from other columns, and recomputed when they are anonymised."),
				 errhint("Flag the columns it is computed from.")));

	/* record the effective locale, so later runs do not depend on the setting */
	if (sk_strategy_takes(strategy, "locale"))
	{
		JsonbValue	k;

		k.type = jbvString;
		k.val.string.val = "locale";
		k.val.string.len = 6;
		if (JB_ROOT_IS_OBJECT(options) && !JB_ROOT_IS_SCALAR(options) &&
			findJsonbValueFromContainer(&options->root, JB_FOBJECT, &k) == NULL)
		{
			char	   *add = psprintf("{\"locale\": \"%s\"}", sk_locale_guc);

			options = DatumGetJsonbP(DirectFunctionCall2(jsonb_concat,
														 JsonbPGetDatum(options),
														 DirectFunctionCall1(jsonb_in, CStringGetDatum(add))));
		}
	}
	sk_fake_validate(strategy, options, typid, typmod, notnull, col);

	args[0] = ObjectIdGetDatum(relid);
	args[1] = ObjectIdGetDatum(relid);
	args[2] = Int16GetDatum(attnum);
	args[3] = DirectFunctionCall1(namein, CStringGetDatum(col));
	args[4] = CStringGetTextDatum(strategy);
	args[5] = JsonbPGetDatum(options);
	SPI_connect();
	sk_reanchor(relid);
	if (SPI_execute_with_args("DELETE FROM seedkit.flag WHERE tbl = $1 AND attnum = $3",
							  3, argtypes, args, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not delete from seedkit.flag");
	if (SPI_execute_with_args("INSERT INTO seedkit.flag (tbl, relid_seen, attnum, attname, strategy, options) "
							  "VALUES ($1, $2, $3, $4, $5, $6)",
							  6, argtypes, args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not insert into seedkit.flag");
	SPI_finish();
	PG_RETURN_VOID();
}

/*
 * seedkit_flag
 *		SQL entry: sk_flag_body with search_path pinned (see sk_call_pinned).
 */
Datum
seedkit_flag(PG_FUNCTION_ARGS)
{
	return sk_call_pinned(sk_flag_body, fcinfo);
}

PG_FUNCTION_INFO_V1(seedkit_unflag);

/*
 * sk_unflag_body
 *		seedkit_unflag(tbl, col): remove a column's flag; a NOTICE when it
 *		had none.  Returns void.
 */
static Datum
sk_unflag_body(PG_FUNCTION_ARGS)
{
	Oid			relid;
	char	   *col;
	Oid			typid;
	int32		typmod;
	bool		notnull;
	AttrNumber	attnum;
	Oid			argtypes[2] = {OIDOID, INT2OID};
	Datum		args[2];

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("table and column must not be null")));
	relid = PG_GETARG_OID(0);
	col = NameStr(*PG_GETARG_NAME(1));
	sk_check_owner(relid, "unflag columns of");
	attnum = sk_column(relid, col, &typid, &typmod, &notnull);
	args[0] = ObjectIdGetDatum(relid);
	args[1] = Int16GetDatum(attnum);
	SPI_connect();
	sk_reanchor(relid);
	if (SPI_execute_with_args("DELETE FROM seedkit.flag WHERE tbl = $1 AND attnum = $2",
							  2, argtypes, args, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not delete from seedkit.flag");
	if (SPI_processed == 0)
		ereport(NOTICE,
				(errmsg("column \"%s\" of table \"%s\" is not flagged, skipping",
						col, get_rel_name(relid))));
	SPI_finish();
	PG_RETURN_VOID();
}

/*
 * seedkit_unflag
 *		SQL entry: sk_unflag_body with search_path pinned (see sk_call_pinned).
 */
Datum
seedkit_unflag(PG_FUNCTION_ARGS)
{
	return sk_call_pinned(sk_unflag_body, fcinfo);
}

/* ---------------------------------------------------------------------
 * seedkit_anonymise
 * ---------------------------------------------------------------------
 */

/* A CHECK constraint or generated column to evaluate per row. */
typedef struct SkRowExpr
{
	char	   *name;
	AttrNumber	attnum;			/* generated column, or 0 for a CHECK */
	ExprState  *state;
} SkRowExpr;

/*
 * sk_uses_cols
 *		Whether expr references one of the flagged columns.
 */
static bool
sk_uses_cols(Node *expr, SkTable *t)
{
	Bitmapset  *attrs = NULL;
	int			i;

	pull_varattnos(expr, 1, &attrs);
	for (i = 0; i < t->ncols; i++)
		if (bms_is_member(t->cols[i].attnum - FirstLowInvalidHeapAttributeNumber, attrs))
			return true;
	return false;
}

/*
 * sk_row_exprs
 *		The stored generated columns and CHECK constraints that depend on
 *		flagged columns, prepared for evaluation against the new row.
 */
static List *
sk_row_exprs(Relation rel, SkTable *t, EState *estate)
{
	TupleDesc	desc = RelationGetDescr(rel);
	List	   *result = NIL;
	int			i;

	if (desc->constr == NULL)
		return NIL;
	if (desc->constr->has_generated_stored)
	{
		for (i = 0; i < desc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, i);
			Node	   *expr;
			SkRowExpr  *r;

			if (att->attisdropped || att->attgenerated != ATTRIBUTE_GENERATED_STORED)
				continue;
			expr = build_column_default(rel, att->attnum);
			if (expr == NULL || !sk_uses_cols(expr, t))
				continue;
			r = palloc(sizeof(SkRowExpr));
			r->name = pstrdup(NameStr(att->attname));
			r->attnum = att->attnum;
			r->state = ExecPrepareExpr((Expr *) expr, estate);
			result = lappend(result, r);
		}
	}
	for (i = 0; i < desc->constr->num_check; i++)
	{
		ConstrCheck *cc = &desc->constr->check[i];
		Node	   *expr;
		SkRowExpr  *r;

		if (!cc->ccvalid)
			continue;
		expr = stringToNode(cc->ccbin);
		if (!sk_uses_cols(expr, t))
			continue;
		r = palloc(sizeof(SkRowExpr));
		r->name = pstrdup(cc->ccname);
		r->attnum = 0;
		r->state = ExecPrepareExpr((Expr *) expr, estate);
		result = lappend(result, r);
	}
	return result;
}

/*
 * sk_remove_ext_statistics
 *		Remove the data of extended statistics (CREATE STATISTICS) on a
 *		flagged column or on expressions of the table: their MCV lists hold
 *		original values.  ANALYZE computes them again.
 */
static void
sk_remove_ext_statistics(SkTable *t)
{
	Oid			argtypes[2] = {OIDOID, INT2ARRAYOID};
	Datum		args[2];
	Datum	   *atts = palloc(sizeof(Datum) * Max(t->ncols, 1));
	List	   *stats = NIL;
	ListCell   *lc;
	uint64		i;
	int			k;

	for (k = 0; k < t->ncols; k++)
		atts[k] = Int16GetDatum(t->cols[k].attnum);
	args[0] = ObjectIdGetDatum(t->relid);
	args[1] = PointerGetDatum(construct_array(atts, t->ncols, INT2OID, sizeof(int16),
											  true, TYPALIGN_SHORT));
	if (SPI_execute_with_args("SELECT s.oid FROM pg_catalog.pg_statistic_ext s "
							  "WHERE s.stxrelid = $1 AND (s.stxexprs IS NOT NULL "
							  "OR s.stxkeys::pg_catalog.int2[] OPERATOR(pg_catalog.&&) $2)",
							  2, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read extended statistics");
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;

		stats = lappend_oid(stats, DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i],
																  SPI_tuptable->tupdesc, 1, &isnull)));
	}
	foreach(lc, stats)
	{
		RemoveStatisticsDataById(lfirst_oid(lc), false);
		RemoveStatisticsDataById(lfirst_oid(lc), true);
	}
}

/*
 * sk_rewrite
 *		Copy the table's live rows into a new heap, replacing the flagged
 *		columns by their fakes (none when t->ncols is 0), recomputing
 *		dependent generated columns and checking dependent CHECK
 *		constraints; then swap the new heap in and rebuild the indexes.
 *		Returns the number of rows.
 */
static int64
sk_rewrite(Relation rel, SkTable *t, Snapshot snap, instr_time start)
{
	Oid			relid = RelationGetRelid(rel);
	char		persistence = rel->rd_rel->relpersistence;
	TupleDesc	desc = RelationGetDescr(rel);
	Oid			newrelid;
	Relation	newrel;
	TupleTableSlot *oldslot;
	TupleTableSlot *newslot;
	TableScanDesc scan;
	BulkInsertState bistate;
	CommandId	cid = GetCurrentCommandId(true);
	EState	   *estate = CreateExecutorState();
	ExprContext *econtext = GetPerTupleExprContext(estate);
	List	   *rowexprs;
	ListCell   *lc;
	int64		rows = 0;
	int			natts = desc->natts;
	int			i;

	rowexprs = t->copy_only ? NIL : sk_row_exprs(rel, t, estate);
	newrelid = make_new_heap(relid, rel->rd_rel->reltablespace, rel->rd_rel->relam,
							 persistence, AccessExclusiveLock);
	newrel = table_open(newrelid, NoLock);
	oldslot = table_slot_create(rel, NULL);
	newslot = MakeSingleTupleTableSlot(desc, &TTSOpsVirtual);
	scan = table_beginscan(rel, snap, 0, NULL);
	bistate = GetBulkInsertState();

	while (table_scan_getnextslot(scan, ForwardScanDirection, oldslot))
	{
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		ResetExprContext(econtext);
		old = MemoryContextSwitchTo(econtext->ecxt_per_tuple_memory);
		slot_getallattrs(oldslot);
		ExecClearTuple(newslot);
		memcpy(newslot->tts_values, oldslot->tts_values, sizeof(Datum) * natts);
		memcpy(newslot->tts_isnull, oldslot->tts_isnull, sizeof(bool) * natts);
		for (i = 0; i < natts; i++)
			if (TupleDescAttr(desc, i)->attisdropped)
				newslot->tts_isnull[i] = true;
		for (i = 0; i < t->ncols && !t->copy_only; i++)
		{
			int			a = t->cols[i].attnum - 1;

			if (newslot->tts_isnull[a])
				continue;
			newslot->tts_values[a] = sk_fake_apply(t->cols[i].st, newslot->tts_values[a],
												   &newslot->tts_isnull[a], 0);
		}
		ExecStoreVirtualTuple(newslot);
		if (rowexprs != NIL)
		{
			econtext->ecxt_scantuple = newslot;
			foreach(lc, rowexprs)
			{
				SkRowExpr  *r = (SkRowExpr *) lfirst(lc);

				if (r->attnum > 0)
					newslot->tts_values[r->attnum - 1] =
						ExecEvalExpr(r->state, econtext, &newslot->tts_isnull[r->attnum - 1]);
			}
			foreach(lc, rowexprs)
			{
				SkRowExpr  *r = (SkRowExpr *) lfirst(lc);

				if (r->attnum == 0 && !ExecCheck(r->state, econtext))
					ereport(ERROR,
							(errcode(ERRCODE_CHECK_VIOLATION),
							 errmsg("anonymised values of table \"%s\" violate check constraint \"%s\"",
									t->name, r->name),
							 errdetail("A fake of a flagged column does not satisfy the constraint."),
							 errhint("Flag the column with a strategy or options whose fakes satisfy constraint \"%s\", or unflag it.",
									 r->name)));
			}
		}
		table_tuple_insert(newrel, newslot, cid, TABLE_INSERT_SKIP_FSM, bistate);
		MemoryContextSwitchTo(old);
		rows++;
		if (sk_progress && rows % 1000000 == 0)
		{
			instr_time	now;

			INSTR_TIME_SET_CURRENT(now);
			INSTR_TIME_SUBTRACT(now, start);
			ereport(NOTICE,
					(errmsg("anonymising table %s: %lld rows so far, %.1f s",
							t->name, (long long) rows, INSTR_TIME_GET_DOUBLE(now))));
		}
	}
	table_endscan(scan);
	ExecDropSingleTupleTableSlot(oldslot);
	ExecDropSingleTupleTableSlot(newslot);
	FreeBulkInsertState(bistate);
	table_finish_bulk_insert(newrel, TABLE_INSERT_SKIP_FSM);
	FreeExecutorState(estate);
	table_close(newrel, NoLock);

	finish_heap_swap(relid, newrelid, false, false, true, true,
					 RecentXmin, ReadNextMultiXactId(), persistence);

	/* the planner's statistics hold samples of the original values */
	for (i = 0; i < t->ncols; i++)
		RemoveStatistics(relid, t->cols[i].attnum);
	sk_remove_ext_statistics(t);
	return rows;
}

/* One column pair of a foreign key. */
typedef struct SkFkPair
{
	char	   *conname;
	Oid			relid;
	AttrNumber	attnum;
	Oid			refrelid;
	AttrNumber	refattnum;
} SkFkPair;

/*
 * sk_fk_pairs
 *		The column pairs of the foreign keys (top-level constraints only when
 *		toplevel) whose referencing table is relid (when valid) or whose
 *		referenced table is refrelid (when valid).
 */
static List *
sk_fk_pairs(Oid relid, Oid refrelid, bool toplevel)
{
	MemoryContext caller = CurrentMemoryContext;
	Oid			argtypes[3] = {OIDOID, OIDOID, BOOLOID};
	Datum		args[3];
	List	   *result = NIL;
	uint64		i;

	args[0] = ObjectIdGetDatum(relid);
	args[1] = ObjectIdGetDatum(refrelid);
	args[2] = BoolGetDatum(toplevel);
	SPI_connect();
	if (SPI_execute_with_args("SELECT c.conname::text, c.conrelid, k.a, c.confrelid, k.b "
							  "FROM pg_catalog.pg_constraint c, "
							  "LATERAL unnest(c.conkey, c.confkey) AS k(a, b) "
							  "WHERE c.contype = 'f' AND (c.conrelid = $1 OR c.confrelid = $2) "
							  "AND (NOT $3 OR c.conparentid = 0) "
							  "ORDER BY 1, 2, 3",
							  3, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read foreign keys");
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		MemoryContext old = MemoryContextSwitchTo(caller);
		SkFkPair   *p = palloc(sizeof(SkFkPair));

		p->conname = SPI_getvalue(tup, desc, 1);
		p->relid = DatumGetObjectId(SPI_getbinval(tup, desc, 2, &isnull));
		p->attnum = DatumGetInt16(SPI_getbinval(tup, desc, 3, &isnull));
		p->refrelid = DatumGetObjectId(SPI_getbinval(tup, desc, 4, &isnull));
		p->refattnum = DatumGetInt16(SPI_getbinval(tup, desc, 5, &isnull));
		result = lappend(result, p);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	return result;
}

/*
 * sk_same_flag
 *		Whether two flags (either may be NULL) are the same strategy and
 *		options.
 */
static bool
sk_same_flag(SkFlag *a, SkFlag *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a->strategy, b->strategy) == 0 &&
		strcmp(sk_options_text(a->options), sk_options_text(b->options)) == 0;
}

/*
 * sk_effective_flags
 *		The flags that apply to relid in place: its own, and for a column of
 *		a foreign key without its own flag, the flag of the referenced column
 *		(so both sides map alike).
 */
static List *
sk_effective_flags(Oid relid)
{
	List	   *flags = sk_flags_of(relid);
	ListCell   *lc;

	foreach(lc, sk_fk_pairs(relid, InvalidOid, false))
	{
		SkFkPair   *p = (SkFkPair *) lfirst(lc);
		ListCell   *fc;
		bool		have = false;
		SkFlag	   *pf;

		foreach(fc, flags)
			if (((SkFlag *) lfirst(fc))->attnum == p->attnum)
				have = true;
		if (have || (pf = sk_flag_for(p->refrelid, p->refattnum, 0)) == NULL)
			continue;
		{
			SkFlag	   *f = palloc(sizeof(SkFlag));

			*f = *pf;
			f->attnum = p->attnum;
			f->attname = get_attname(relid, p->attnum, false);
			flags = lappend(flags, f);
		}
	}
	return flags;
}

/*
 * sk_referencing_closure
 *		relids and every table whose foreign key references a column a flag
 *		applies to, recursively (the tables seedkit_anonymise() with no list
 *		must rewrite).
 */
static List *
sk_referencing_closure(List *relids)
{
	int			i;

	for (i = 0; i < list_length(relids); i++)
	{
		ListCell   *lc;

		foreach(lc, sk_fk_pairs(InvalidOid, list_nth_oid(relids, i), true))
		{
			SkFkPair   *p = (SkFkPair *) lfirst(lc);

			if (!list_member_oid(relids, p->relid) &&
				sk_flag_for(p->refrelid, p->refattnum, 0) != NULL)
				relids = lappend_oid(relids, p->relid);
		}
	}
	return relids;
}

/*
 * sk_check_foreign_keys
 *		Both sides of a foreign key must map alike: when a flag applies to
 *		one column of a foreign key pair, the same flag must apply to the
 *		other (a referencing column without a flag takes the referenced
 *		column's), and both tables must be anonymised in the same call.
 *		run holds the OIDs of the tables of the call and their partitioned
 *		ancestors.
 */
static void
sk_check_foreign_keys(List *run)
{
	ListCell   *lc;
	List	   *pairs = NIL;

	foreach(lc, run)
	{
		pairs = list_concat(pairs, sk_fk_pairs(lfirst_oid(lc), InvalidOid, true));
		pairs = list_concat(pairs, sk_fk_pairs(InvalidOid, lfirst_oid(lc), true));
	}
	foreach(lc, pairs)
	{
		SkFkPair   *p = (SkFkPair *) lfirst(lc);
		SkFlag	   *child = sk_flag_for(p->relid, p->attnum, 0);
		SkFlag	   *parent = sk_flag_for(p->refrelid, p->refattnum, 0);
		const char *problem = NULL;
		const char *hint = NULL;

		if (child == NULL && parent == NULL)
			continue;
		if (!sk_same_flag(child, parent))
		{
			problem = "the two are not flagged alike";
			hint = "Unflag the referencing column (it then takes the referenced column's flag), or flag both alike.";
		}
		else if (!list_member_oid(run, p->relid) || !list_member_oid(run, p->refrelid))
		{
			problem = "the two tables are not anonymised together";
			hint = "Anonymise both tables in one call (with no list, seedkit_anonymise takes every table involved).";
		}
		if (problem)
			ereport(ERROR,
					(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
					 errmsg("foreign key \"%s\" would not match after anonymisation",
							p->conname),
					 errdetail("Column %s of table %s references column %s of table %s, and %s.",
							   quote_identifier(get_attname(p->relid, p->attnum, false)),
							   sk_qualified_name(p->relid),
							   quote_identifier(get_attname(p->refrelid, p->refattnum, false)),
							   sk_qualified_name(p->refrelid), problem),
					 errhint("%s", hint)));
	}
}

/*
 * sk_update_with_triggers
 *		triggers => true: replace the flagged columns with an UPDATE, so
 *		that user triggers fire (unique collisions are not resolved here).
 */
static void
sk_update_with_triggers(SkTable *t, List *flags)
{
	StringInfoData sql;
	ListCell   *lc;
	bool		first = true;
	int			level;

	initStringInfo(&sql);
	appendStringInfo(&sql, "UPDATE %s SET ", t->name);
	foreach(lc, flags)
	{
		SkFlag	   *f = (SkFlag *) lfirst(lc);
		const char *col = quote_identifier(f->attname);

		appendStringInfo(&sql, "%s%s = %s", first ? "" : ", ", col,
						 sk_anon_expr(t->relid, f->attnum, col));
		first = false;
	}
	/* the triggers are the caller's code: they see the caller's path */
	level = sk_caller_path_push();
	if (SPI_execute(sql.data, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "could not update table %s", t->name);
	sk_unpin_settings(level);
	pfree(sql.data);
}

/*
 * sk_name_cmp
 *		Order tables by qualified name.
 */
static int
sk_name_cmp(const ListCell *a, const ListCell *b)
{
	return strcmp(((SkTable *) lfirst(a))->name, ((SkTable *) lfirst(b))->name);
}

/*
 * sk_oid_cmp
 *		list_sort comparator: OIDs in ascending order, the order locks are
 *		taken in.
 */
static int
sk_oid_cmp(const ListCell *a, const ListCell *b)
{
	Oid			x = lfirst_oid(a);
	Oid			y = lfirst_oid(b);

	return (x > y) - (x < y);
}

PG_FUNCTION_INFO_V1(seedkit_anonymise);

/*
 * sk_anonymise_body
 *		seedkit_anonymise(tables regclass[], triggers boolean): replace
 *		every flagged column of the tables (NULL: every table with flags)
 *		in place, one table rewrite each.  Returns a row per table:
 *		table_name, columns, rows.
 */
static Datum
sk_anonymise_body(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	bool		triggers = PG_NARGS() > 1 && !PG_ARGISNULL(1) && PG_GETARG_BOOL(1);
	MemoryContext runcxt;
	MemoryContext old;
	List	   *tables = NIL;
	ListCell   *lc;
	Datum	   *oids;
	int			ntables;
	int			k;
	Snapshot	snap;

	InitMaterializedSRF(fcinfo, 0);
	runcxt = AllocSetContextCreate(CurrentMemoryContext, "seedkit_anonymise",
								   ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(runcxt);

	SPI_connect();
	/* the tables */
	{
		List	   *relids = NIL;
		List	   *leaves = NIL;

		if (PG_ARGISNULL(0))
		{
			uint64		i;

			if (SPI_execute("SELECT DISTINCT \"table\"::oid FROM seedkit.flags", true, 0) != SPI_OK_SELECT)
				elog(ERROR, "could not read seedkit.flags");
			for (i = 0; i < SPI_processed; i++)
			{
				bool		isnull;

				relids = lappend_oid(relids,
									 DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i],
																	SPI_tuptable->tupdesc, 1, &isnull)));
			}
			relids = sk_referencing_closure(relids);
		}
		else
		{
			ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
			Datum	   *elems;
			bool	   *nulls;
			int			n;
			int			i;

			deconstruct_array(arr, REGCLASSOID, sizeof(Oid), true, TYPALIGN_INT,
							  &elems, &nulls, &n);
			for (i = 0; i < n; i++)
				if (!nulls[i])
					relids = list_append_unique_oid(relids, DatumGetObjectId(elems[i]));
		}
		/*
		 * A partitioned table stands for its leaf partitions.  Locks are
		 * taken here, in OID order (a partitioned table's partitions right
		 * after it), before anything is read.
		 */
		list_sort(relids, sk_oid_cmp);
		foreach(lc, relids)
		{
			Oid			relid = lfirst_oid(lc);

			sk_check_table(relid, false);
			sk_check_owner(relid, "anonymise");
			if (get_rel_relkind(relid) == RELKIND_PARTITIONED_TABLE)
			{
				ListCell   *pc;

				foreach(pc, find_all_inheritors(relid, AccessExclusiveLock, NULL))
					if (get_rel_relkind(lfirst_oid(pc)) == RELKIND_RELATION)
						leaves = list_append_unique_oid(leaves, lfirst_oid(pc));
			}
			else
			{
				LockRelationOid(relid, AccessExclusiveLock);
				leaves = list_append_unique_oid(leaves, relid);
			}
		}
		foreach(lc, leaves)
		{
			SkTable    *t = palloc0(sizeof(SkTable));

			t->relid = lfirst_oid(lc);
			t->name = sk_qualified_name(t->relid);
			tables = lappend(tables, t);
		}
		list_sort(tables, sk_name_cmp);
		sk_refuse_distributed(leaves);
	}

	/* lock, check, prepare */
	ntables = list_length(tables);
	oids = palloc(sizeof(Datum) * Max(ntables * 8, 1));
	k = 0;
	foreach(lc, tables)
	{
		SkTable    *t = (SkTable *) lfirst(lc);
		Relation	rel;
		List	   *flags;
		ListCell   *fc;
		int			i = 0;

		sk_check_owner(t->relid, "anonymise");
		rel = table_open(t->relid, AccessExclusiveLock);
		CheckTableNotInUse(rel, "seedkit_anonymise");
		if (RELATION_IS_OTHER_TEMP(rel))
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot anonymise temporary tables of other sessions")));
		if (get_rel_relispartition(t->relid))
		{
			/* flags live on the root; its ancestors join the foreign key check */
			List	   *anc = get_partition_ancestors(t->relid);
			ListCell   *ac;

			sk_reanchor(llast_oid(anc));
			foreach(ac, anc)
			{
				if (k >= ntables * 8)
					oids = repalloc(oids, sizeof(Datum) * (k + 8));
				oids[k++] = ObjectIdGetDatum(lfirst_oid(ac));
			}
		}
		else
			sk_reanchor(t->relid);
		flags = sk_effective_flags(t->relid);
		t->ncols = list_length(flags);
		t->cols = palloc0(sizeof(SkCol) * Max(t->ncols, 1));
		foreach(fc, flags)
		{
			SkFlag	   *f = (SkFlag *) lfirst(fc);
			Form_pg_attribute att = TupleDescAttr(RelationGetDescr(rel), f->attnum - 1);
			SkCol	   *c = &t->cols[i++];

			c->attnum = f->attnum;
			c->attname = f->attname;
			c->notnull = att->attnotnull;
			c->st = sk_fake_prepare(f->strategy, f->options, att->atttypid, att->atttypmod,
									att->attnotnull, f->attname, runcxt);
			c->unique = sk_unique_col(rel, f->attnum);
			if (get_rel_relispartition(t->relid))
				sk_check_partition_key(llast_oid(get_partition_ancestors(t->relid)),
									   f->attname);
		}
		t->flags = flags;
		table_close(rel, NoLock);
		if (k >= ntables * 8)
			oids = repalloc(oids, sizeof(Datum) * (k + 8));
		oids[k++] = ObjectIdGetDatum(t->relid);
	}
	{
		List	   *run = NIL;
		int			m;

		for (m = 0; m < k; m++)
			run = list_append_unique_oid(run, DatumGetObjectId(oids[m]));
		sk_check_foreign_keys(run);
	}

	/*
	 * Every table is locked: one view of the data, taken now, for the
	 * collision rounds and the rewrite alike.  A snapshot from before the
	 * lock wait would miss rows committed meanwhile, which the rewrite
	 * then copies with fakes the collision rounds never saw.  Under
	 * REPEATABLE READ and SERIALIZABLE too the tables are read as of now,
	 * as ALTER TABLE rewrites them: no committed row is lost.
	 */
	snap = RegisterSnapshot(GetLatestSnapshot());
	PushActiveSnapshot(snap);

	/*
	 * Collision rounds of unique columns first (all of them, so that a
	 * referencing column of another table follows), then every column with
	 * the same key uses them.
	 */
	if (!triggers)
	{
		foreach(lc, tables)
		{
			SkTable    *t = (SkTable *) lfirst(lc);
			int			i;

			for (i = 0; i < t->ncols; i++)
			{
				HTAB	   *rounds;
				Relation	rel;
				instr_time	start;
				instr_time	now;

				if (!t->cols[i].unique)
					continue;
				INSTR_TIME_SET_CURRENT(start);
				rounds = sk_rounds_for(sk_fake_key(t->cols[i].st), true, NULL);
				sk_fake_set_rounds(t->cols[i].st, rounds);
				rel = table_open(t->relid, NoLock);
				sk_resolve_collisions(rel, t->cols[i].attnum, t->cols[i].attname,
									  t->cols[i].st, rounds);
				table_close(rel, NoLock);
				INSTR_TIME_SET_CURRENT(now);
				INSTR_TIME_SUBTRACT(now, start);
				if (sk_progress)
					ereport(NOTICE,
							(errmsg("unique column %s of table %s: %ld values given another candidate, %.1f s",
									quote_identifier(t->cols[i].attname), t->name,
									hash_get_num_entries(rounds), INSTR_TIME_GET_DOUBLE(now))));
			}
		}
		foreach(lc, tables)
		{
			SkTable    *t = (SkTable *) lfirst(lc);
			int			i;

			for (i = 0; i < t->ncols; i++)
				sk_fake_set_rounds(t->cols[i].st,
								   sk_rounds_for(sk_fake_key(t->cols[i].st), false, NULL));
		}
	}

	/* rewrite */
	foreach(lc, tables)
	{
		SkTable    *t = (SkTable *) lfirst(lc);
		Relation	rel;
		instr_time	start;
		instr_time	now;
		int64		rows;
		Datum		values[3];
		bool		nulls[3] = {false, false, false};
		int			ncols = t->ncols;

		if (ncols == 0)
		{
			/* nothing flagged: no rewrite */
			values[0] = ObjectIdGetDatum(t->relid);
			values[1] = Int32GetDatum(0);
			nulls[2] = true;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
			continue;
		}
		INSTR_TIME_SET_CURRENT(start);
		if (triggers)
		{
			sk_update_with_triggers(t, t->flags);
			t->copy_only = true;	/* the rewrite below only copies */
		}
		rel = table_open(t->relid, NoLock);
		if (triggers)
		{
			/* the copy must see the rows the UPDATE just wrote */
			Snapshot	tsnap;

			CommandCounterIncrement();
			tsnap = RegisterSnapshot(GetLatestSnapshot());
			rows = sk_rewrite(rel, t, tsnap, start);
			UnregisterSnapshot(tsnap);
		}
		else
			rows = sk_rewrite(rel, t, snap, start);
		table_close(rel, NoLock);
		INSTR_TIME_SET_CURRENT(now);
		INSTR_TIME_SUBTRACT(now, start);
		if (sk_progress)
			ereport(NOTICE,
					(errmsg("anonymised table %s: %d columns, %lld rows in %.1f s",
							t->name, ncols, (long long) rows, INSTR_TIME_GET_DOUBLE(now))));
		values[0] = ObjectIdGetDatum(t->relid);
		values[1] = Int32GetDatum(ncols);
		values[2] = Int64GetDatum(rows);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	PopActiveSnapshot();
	UnregisterSnapshot(snap);
	SPI_finish();
	sk_rounds_forget();
	MemoryContextSwitchTo(old);
	MemoryContextDelete(runcxt);
	return (Datum) 0;
}

/*
 * seedkit_anonymise
 *		SQL entry: sk_anonymise_body with search_path pinned (see sk_call_pinned).
 */
Datum
seedkit_anonymise(PG_FUNCTION_ARGS)
{
	return sk_call_pinned(sk_anonymise_body, fcinfo);
}

/*
 * sk_snapshot_rounds
 *		Before a snapshot reads a flagged column: the collision rounds of
 *		the column if it is unique, and of the columns it references through
 *		foreign keys when they are flagged alike (recursively).
 */
static void
sk_snapshot_rounds(Oid relid, AttrNumber attnum, const char *strategy, Jsonb *options,
				   int depth)
{
	char	   *opts = sk_options_text(options);
	List	   *rels;
	List	   *atts;
	ListCell   *lc;
	ListCell   *lc2;

	sk_column_rounds(relid, attnum, strategy, options);
	if (depth >= 8)
		return;

	sk_referenced_columns(relid, attnum, &rels, &atts);
	forboth(lc, rels, lc2, atts)
	{
		Oid			parent = lfirst_oid(lc);
		int			patt = lfirst_int(lc2);
		SkFlag	   *pf;

		/* the referenced column, flagged alike (or inheriting the same flag) */
		pf = sk_flag_for(parent, (AttrNumber) patt, 0);
		if (pf != NULL && strcmp(pf->strategy, strategy) == 0 &&
			strcmp(sk_options_text(pf->options), opts) == 0)
			sk_snapshot_rounds(parent, (AttrNumber) patt, strategy, options, depth + 1);
	}
}
