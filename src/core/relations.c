/*-------------------------------------------------------------------------
 *
 * relations.c
 *	  Virtual references: relationships no constraint declares, declared
 *	  with seedkit_relate and stored in seedkit.relation (by relation and
 *	  attribute numbers, with the names to find them again after a dump and
 *	  restore), read back by the snapshot graph, the anonymisation of
 *	  flagged columns and restore's checks (sk_relations).  Also the check
 *	  that a text is exactly one SQL expression, shared with the snapshot
 *	  filter (sk_expr_is_one).
 *
 * src/core/relations.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "catalog/index.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "core/core.h"

/* The live relations, columns resolved by number (or by name after a restore). */
#define SK_RELATIONS_QUERY \
	"SELECT r.name, r.child::pg_catalog.oid, r.parent::pg_catalog.oid, r.condition, " \
	" ARRAY(SELECT a.attnum FROM ROWS FROM (pg_catalog.unnest(r.attnums), pg_catalog.unnest(r.attnames)) WITH ORDINALITY u(n, m, o) " \
	"  JOIN pg_catalog.pg_attribute a ON a.attrelid = r.child AND a.attnum > 0 AND NOT a.attisdropped " \
	"   AND CASE WHEN r.child::pg_catalog.oid = r.child_seen THEN a.attnum = u.n ELSE a.attname = u.m END " \
	"  ORDER BY u.o), " \
	" ARRAY(SELECT a.attnum FROM ROWS FROM (pg_catalog.unnest(r.parent_attnums), pg_catalog.unnest(r.parent_attnames)) WITH ORDINALITY u(n, m, o) " \
	"  JOIN pg_catalog.pg_attribute a ON a.attrelid = r.parent AND a.attnum > 0 AND NOT a.attisdropped " \
	"   AND CASE WHEN r.parent::pg_catalog.oid = r.parent_seen THEN a.attnum = u.n ELSE a.attname = u.m END " \
	"  ORDER BY u.o), " \
	" pg_catalog.cardinality(r.attnums) " \
	"FROM seedkit.relation r " \
	"WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = r.child) " \
	"  AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = r.parent) " \
	"ORDER BY r.name COLLATE pg_catalog.\"C\", r.child, r.parent"

PG_FUNCTION_INFO_V1(seedkit_relate);
PG_FUNCTION_INFO_V1(seedkit_unrelate);

/*
 * sk_raw_parse
 *		The raw parse tree of text read as PL/pgSQL reads an expression (a
 *		SELECT list that may carry clauses); on a syntax error, NIL and the
 *		message in *syntax_error.
 */
static List *
sk_raw_parse(const char *text, char **syntax_error)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	List	   *raw = NIL;

	PG_TRY();
	{
		raw = raw_parser(text, RAW_PARSE_PLPGSQL_EXPR);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		/* the parser's position would point into the caller's statement */
		MemoryContextSwitchTo(oldcxt);
		edata = CopyErrorData();
		FlushErrorState();
		*syntax_error = edata->message;
		raw = NIL;
	}
	PG_END_TRY();
	return raw;
}

/*
 * sk_expr_is_one
 *		Whether text is exactly one expression: PostgreSQL's raw parser must
 *		read it (as PL/pgSQL reads an expression) as one unnamed result and
 *		no clause at all.  A syntax error is returned in *syntax_error (and
 *		false), not raised.
 */
bool
sk_expr_is_one(const char *text, char **syntax_error)
{
	List	   *raw;
	SelectStmt *sel = NULL;
	ResTarget  *res = NULL;

	*syntax_error = NULL;
	raw = sk_raw_parse(text, syntax_error);
	if (list_length(raw) == 1 && IsA(linitial_node(RawStmt, raw)->stmt, SelectStmt))
		sel = (SelectStmt *) linitial_node(RawStmt, raw)->stmt;
	if (sel != NULL && sel->op == SETOP_NONE && list_length(sel->targetList) == 1 &&
		sel->distinctClause == NIL && sel->intoClause == NULL &&
		sel->fromClause == NIL && sel->whereClause == NULL &&
		sel->groupClause == NIL && !sel->groupDistinct &&
		sel->havingClause == NULL && sel->windowClause == NIL &&
		sel->valuesLists == NIL && sel->sortClause == NIL &&
		sel->limitOffset == NULL && sel->limitCount == NULL &&
		sel->lockingClause == NIL && sel->withClause == NULL)
		res = linitial_node(ResTarget, sel->targetList);
	if (res == NULL || res->name != NULL || res->indirection != NIL ||
		(IsA(res->val, ColumnRef) &&
		 IsA(llast(((ColumnRef *) res->val)->fields), A_Star)))
		return false;
	return true;
}

/*
 * sk_int2_array
 *		The elements of an int2[] datum, their number in *n.
 */
static AttrNumber *
sk_int2_array(Datum value, int *n)
{
	Datum	   *elems;
	AttrNumber *result;
	int			k;

	deconstruct_array(DatumGetArrayTypeP(value), INT2OID, sizeof(int16), true,
					  TYPALIGN_SHORT, &elems, NULL, n);
	result = palloc(sizeof(AttrNumber) * (*n + 1));
	for (k = 0; k < *n; k++)
		result[k] = DatumGetInt16(elems[k]);
	return result;
}

/*
 * sk_relations
 *		Every declared relation whose tables and columns exist, ordered by
 *		name, allocated in the caller's memory context.  A relation one of
 *		whose columns is gone is left out; none before the extension's
 *		update to 0.2.0 created seedkit.relation.
 */
List *
sk_relations(void)
{
	static SPIPlanPtr plan = NULL;
	MemoryContext caller = CurrentMemoryContext;
	List	   *result = NIL;
	uint64		i;

	/* a library newer than the extension's SQL (before ALTER EXTENSION UPDATE) */
	if (!OidIsValid(RangeVarGetRelid(makeRangeVar("seedkit", "relation", -1), NoLock, true)))
		return NIL;
	sk_spi_connect();
	/* planned once per session: snapshots and anonymise ask once per key */
	if (plan == NULL)
	{
		SPIPlanPtr	p = SPI_prepare_cursor(SK_RELATIONS_QUERY, 0, NULL,
										   CURSOR_OPT_GENERIC_PLAN);

		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "could not prepare the query of seedkit.relation");
		plan = p;
	}
	if (SPI_execute_plan(plan, NULL, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read seedkit.relation");
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		MemoryContext old = MemoryContextSwitchTo(caller);
		SkRelation *r = palloc0(sizeof(SkRelation));
		int			n1,
					n2;
		int			ncols;

		r->name = SPI_getvalue(tup, desc, 1);
		r->relid = DatumGetObjectId(SPI_getbinval(tup, desc, 2, &isnull));
		r->refrelid = DatumGetObjectId(SPI_getbinval(tup, desc, 3, &isnull));
		r->condition = SPI_getvalue(tup, desc, 4);
		r->attnums = sk_int2_array(SPI_getbinval(tup, desc, 5, &isnull), &n1);
		r->refattnums = sk_int2_array(SPI_getbinval(tup, desc, 6, &isnull), &n2);
		ncols = DatumGetInt32(SPI_getbinval(tup, desc, 7, &isnull));
		r->nkeys = n1;
		/* the list too lives in the caller's context, past SPI_finish */
		if (n1 == ncols && n2 == ncols && ncols > 0)
			result = lappend(result, r);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	return result;
}

/*
 * sk_relate_columns
 *		The attribute numbers of the columns named in arr (a name[]) of
 *		relid, their number in *n; an error for a null, a duplicate or a
 *		column that does not exist.
 */
static AttrNumber *
sk_relate_columns(ArrayType *arr, Oid relid, int *n, char ***names)
{
	Datum	   *elems;
	bool	   *nulls;
	AttrNumber *result;
	int			k,
				j;

	deconstruct_array(arr, NAMEOID, NAMEDATALEN, false, TYPALIGN_CHAR,
					  &elems, &nulls, n);
	if (*n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a relation needs at least one column")));
	result = palloc(sizeof(AttrNumber) * *n);
	*names = palloc(sizeof(char *) * *n);
	for (k = 0; k < *n; k++)
	{
		if (nulls[k])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("the columns of a relation must not be null")));
		(*names)[k] = pstrdup(NameStr(*DatumGetName(elems[k])));
		result[k] = get_attnum(relid, (*names)[k]);
		if (result[k] <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" of table \"%s\" does not exist",
							(*names)[k], sk_message_name(sk_qualified_name(relid)))));
		for (j = 0; j < k; j++)
			if (result[j] == result[k])
				ereport(ERROR,
						(errcode(ERRCODE_DUPLICATE_COLUMN),
						 errmsg("column \"%s\" appears twice in the relation", (*names)[k])));
	}
	return result;
}

/*
 * sk_relate_check_table
 *		An error unless relid is an ordinary or partitioned table.
 */
static void
sk_relate_check_table(Oid relid)
{
	char		kind = get_rel_relkind(relid);

	if (kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a table", sk_message_name(sk_qualified_name(relid))),
				 errdetail("Relations join ordinary and partitioned tables only.")));
}

/*
 * sk_relate_is_key
 *		Whether the n columns refatts of parent are exactly the columns of
 *		its primary key or of a unique index that is immediate, without
 *		expressions or predicate (what a foreign key may reference).
 */
static bool
sk_relate_is_key(Oid parent, AttrNumber *refatts, int n)
{
	Relation	rel = relation_open(parent, AccessShareLock);
	ListCell   *lc;
	bool		found = false;

	foreach(lc, RelationGetIndexList(rel))
	{
		Relation	irel = index_open(lfirst_oid(lc), AccessShareLock);
		Form_pg_index idx = irel->rd_index;
		int			k,
					j;
		bool		same = idx->indisunique && idx->indimmediate &&
			idx->indnkeyatts == n &&
			heap_attisnull(irel->rd_indextuple, Anum_pg_index_indexprs, NULL) &&
			heap_attisnull(irel->rd_indextuple, Anum_pg_index_indpred, NULL);

		for (k = 0; same && k < n; k++)
		{
			bool		in = false;

			for (j = 0; j < n; j++)
				if (idx->indkey.values[j] == refatts[k])
					in = true;
			same = in;
		}
		index_close(irel, AccessShareLock);
		if (same)
		{
			found = true;
			break;
		}
	}
	relation_close(rel, AccessShareLock);
	return found;
}

/*
 * sk_relate_check_condition
 *		An error unless condition is one boolean expression over the columns
 *		of child, valid under the pinned settings it is evaluated under.
 */
static void
sk_relate_check_condition(Oid child, const char *condition)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	char	   *syntax_error;
	int			level;

	if (!sk_expr_is_one(condition, &syntax_error))
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("invalid condition for table \"%s\"%s%s", sk_message_name(sk_qualified_name(child)),
						syntax_error ? ": " : "", syntax_error ? syntax_error : ""),
				 errdetail("The condition must be one boolean expression over the columns of the table, with no clause or statement of its own.")));
	level = sk_pin_settings();
	PG_TRY();
	{
		SPIPlanPtr	plan = SPI_prepare(psprintf("SELECT 1 FROM %s WHERE (%s\n)",
											   sk_qualified_name(child), condition),
									  0, NULL);

		if (plan == NULL || list_length(SPI_plan_get_plan_sources(plan)) != 1)
			elog(ERROR, "could not prepare the condition");
		SPI_freeplan(plan);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(oldcxt);
		edata = CopyErrorData();
		FlushErrorState();
		ereport(ERROR,
				(errcode(edata->sqlerrcode),
				 errmsg("invalid condition for table \"%s\": %s", sk_message_name(sk_qualified_name(child)),
						edata->message),
				 errhint("The condition is read with search_path = pg_catalog: qualify other names with their schema.")));
	}
	PG_END_TRY();
	sk_unpin_settings(level);
}

/*
 * sk_relate_delete
 *		Delete the relation of child's columns to parent; returns whether
 *		there was one.  Inside SPI.
 */
static bool
sk_relate_delete(Oid child, char **names, int n, Oid parent)
{
	Oid			argtypes[3] = {OIDOID, NAMEARRAYOID, OIDOID};
	Datum		args[3];
	Datum	   *elems = palloc(sizeof(Datum) * n);
	int			k;

	for (k = 0; k < n; k++)
	{
		Name		nm = palloc0(NAMEDATALEN);

		namestrcpy(nm, names[k]);
		elems[k] = NameGetDatum(nm);
	}
	args[0] = ObjectIdGetDatum(child);
	args[1] = PointerGetDatum(construct_array(elems, n, NAMEOID, NAMEDATALEN, false,
											  TYPALIGN_CHAR));
	args[2] = ObjectIdGetDatum(parent);
	if (SPI_execute_with_args("DELETE FROM seedkit.relation r "
							  "WHERE r.child OPERATOR(pg_catalog.=) $1::pg_catalog.regclass "
							  "AND r.parent OPERATOR(pg_catalog.=) $3::pg_catalog.regclass "
							  "AND r.attnames OPERATOR(pg_catalog.=) $2",
							  3, argtypes, args, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not delete from seedkit.relation");
	return SPI_processed > 0;
}

/*
 * seedkit_relate
 *		SQL: seedkit_relate(child, columns, parent, parent_columns, condition)
 *		RETURNS text: declare that the columns of child reference the
 *		unique key parent_columns of parent (only in the rows matching
 *		condition, when given), replacing an earlier declaration of the
 *		same columns and parent.  Needs ownership of child.  Returns the
 *		relation's name, which documents list it under.
 */
Datum
seedkit_relate(PG_FUNCTION_ARGS)
{
	Oid			child,
				parent;
	AttrNumber *atts,
			   *refatts;
	char	  **names,
			  **refnames;
	int			n,
				nref,
				k;
	char	   *condition;
	StringInfoData name;
	Oid			argtypes[9] = {TEXTOID, OIDOID, INT2ARRAYOID, NAMEARRAYOID, OIDOID,
	INT2ARRAYOID, NAMEARRAYOID, TEXTOID, TEXTOID};
	Datum		args[9];
	char		nulls[9] = "         ";
	Datum	   *e1,
			   *e2,
			   *e3,
			   *e4;

	for (k = 0; k < 4; k++)
		if (PG_ARGISNULL(k))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("child, columns, parent and parent_columns must not be null")));
	child = PG_GETARG_OID(0);
	parent = PG_GETARG_OID(2);
	condition = PG_ARGISNULL(4) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(4));
	if (get_rel_name(child) == NULL || get_rel_name(parent) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist",
						get_rel_name(child) == NULL ? child : parent)));
	sk_relate_check_table(child);
	sk_relate_check_table(parent);
	if (!pg_class_ownercheck(child, GetUserId()))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("must be owner of table \"%s\"", sk_message_name(sk_qualified_name(child))),
				 errdetail("A relation is declared on its child table, by the table's owner.")));

	atts = sk_relate_columns(PG_GETARG_ARRAYTYPE_P(1), child, &n, &names);
	refatts = sk_relate_columns(PG_GETARG_ARRAYTYPE_P(3), parent, &nref, &refnames);
	if (n != nref)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a relation needs as many columns as parent columns"),
				 errdetail("%d columns of table \"%s\" are related to %d columns of table \"%s\".",
						   n, sk_message_name(sk_qualified_name(child)), nref, sk_message_name(sk_qualified_name(parent)))));
	if (!sk_relate_is_key(parent, refatts, nref))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_FOREIGN_KEY),
				 errmsg("columns of table \"%s\" are not a unique key", sk_message_name(sk_qualified_name(parent))),
				 errdetail("A relation references the columns of a primary key or of a unique index without expressions or predicate, as a foreign key does."),
				 errhint("Name exactly the columns of such a key, or create a unique index on them.")));
	for (k = 0; k < n; k++)
	{
		Oid			t1 = getBaseType(get_atttype(child, atts[k]));
		Oid			t2 = getBaseType(get_atttype(parent, refatts[k]));

		if (t1 != t2)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column \"%s\" of table \"%s\" does not match the type of column \"%s\" of table \"%s\"",
							names[k], sk_message_name(sk_qualified_name(child)), refnames[k],
							sk_message_name(sk_qualified_name(parent))),
					 errdetail("Column \"%s\" is of type %s, column \"%s\" of type %s.",
							   names[k], format_type_be(t1), refnames[k], format_type_be(t2))));
	}

	sk_spi_connect();
	if (condition != NULL)
		sk_relate_check_condition(child, condition);

	initStringInfo(&name);
	appendStringInfoString(&name, get_rel_name(child));
	for (k = 0; k < n; k++)
		appendStringInfo(&name, "_%s", names[k]);
	appendStringInfo(&name, "_%s_vref", get_rel_name(parent));

	(void) sk_relate_delete(child, names, n, parent);
	e1 = palloc(sizeof(Datum) * n);
	e2 = palloc(sizeof(Datum) * n);
	e3 = palloc(sizeof(Datum) * n);
	e4 = palloc(sizeof(Datum) * n);
	for (k = 0; k < n; k++)
	{
		Name		a = palloc0(NAMEDATALEN);
		Name		b = palloc0(NAMEDATALEN);

		namestrcpy(a, names[k]);
		namestrcpy(b, refnames[k]);
		e1[k] = Int16GetDatum(atts[k]);
		e2[k] = NameGetDatum(a);
		e3[k] = Int16GetDatum(refatts[k]);
		e4[k] = NameGetDatum(b);
	}
	args[0] = CStringGetTextDatum(name.data);
	args[1] = ObjectIdGetDatum(child);
	args[2] = PointerGetDatum(construct_array(e1, n, INT2OID, sizeof(int16), true, TYPALIGN_SHORT));
	args[3] = PointerGetDatum(construct_array(e2, n, NAMEOID, NAMEDATALEN, false, TYPALIGN_CHAR));
	args[4] = ObjectIdGetDatum(parent);
	args[5] = PointerGetDatum(construct_array(e3, n, INT2OID, sizeof(int16), true, TYPALIGN_SHORT));
	args[6] = PointerGetDatum(construct_array(e4, n, NAMEOID, NAMEDATALEN, false, TYPALIGN_CHAR));
	args[7] = condition ? CStringGetTextDatum(condition) : (Datum) 0;
	if (condition == NULL)
		nulls[7] = 'n';
	args[8] = (Datum) 0;
	nulls[8] = 'n';
	if (SPI_execute_with_args("INSERT INTO seedkit.relation (name, child, child_seen, attnums, attnames, "
							  "parent, parent_seen, parent_attnums, parent_attnames, condition) "
							  "VALUES ($1, $2::pg_catalog.regclass, $2, $3, $4, $5::pg_catalog.regclass, "
							  "$5, $6, $7, $8)",
							  8, argtypes, args, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not insert into seedkit.relation");
	SPI_finish();
	PG_RETURN_TEXT_P(cstring_to_text(name.data));
}

/*
 * seedkit_unrelate
 *		SQL: seedkit_unrelate(child, columns, parent) RETURNS void: remove
 *		the relation seedkit_relate declared.
 */
Datum
seedkit_unrelate(PG_FUNCTION_ARGS)
{
	Oid			child,
				parent;
	char	  **names;
	int			n;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("child, columns and parent must not be null")));
	child = PG_GETARG_OID(0);
	parent = PG_GETARG_OID(2);
	if (!pg_class_ownercheck(child, GetUserId()))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("must be owner of table \"%s\"", sk_message_name(sk_qualified_name(child))),
				 errdetail("A relation is declared on its child table, by the table's owner.")));
	(void) sk_relate_columns(PG_GETARG_ARRAYTYPE_P(1), child, &n, &names);
	sk_spi_connect();
	if (!sk_relate_delete(child, names, n, parent))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("no relation of table \"%s\" to table \"%s\" through these columns",
						sk_message_name(sk_qualified_name(child)), sk_message_name(sk_qualified_name(parent))),
				 errhint("See the view seedkit.relations.")));
	SPI_finish();
	PG_RETURN_VOID();
}
