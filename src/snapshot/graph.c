/*-------------------------------------------------------------------------
 *
 * graph.c
 *	  Read the catalogs into the graph a document is taken along: which
 *	  tables are entered from the root, their keys, written columns, reset
 *	  surrogate keys and foreign keys, and the order tables are written in.
 *
 * src/snapshot/graph.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "access/table.h"
#include "catalog/index.h"
#include "catalog/partition.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_index.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_operator.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "storage/lmgr.h"
#include "utils/array.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "snapshot/graph.h"
#include "core/core.h"

/* A foreign key as read from pg_constraint, before it is needed in full. */
typedef struct SkRawFk
{
	Oid			conoid;
	Oid			relid;
	Oid			refrelid;
	Oid			unit;
	Oid			refunit;
	bool		deferrable;
	bool		validated;
	bool		matchfull;		/* MATCH FULL: no row has some columns null */
	char	   *conname;
	int			nkeys;
	int16	   *conkey;
	int16	   *confkey;
	Oid		   *pfeqop;
	List	   *declared;		/* relations declaring this relationship */
	bool		merged;			/* merged into an earlier constraint's
								 * relationship (sk_group_raw_fks) */
	bool		isvirtual;		/* declared with seedkit_relate */
	char	   *condition;		/* its condition, or NULL */
} SkRawFk;

/*
 * sk_unit_of
 *		The relation rows of relid are read through: its topmost partitioned
 *		ancestor for a partition, else itself.
 */
static Oid
sk_unit_of(Oid relid)
{
	if (get_rel_relispartition(relid))
		return llast_oid(get_partition_ancestors(relid));
	return relid;
}

/*
 * sk_att_notnull
 *		Whether column attnum of relid is NOT NULL.
 */
static bool
sk_att_notnull(Oid relid, AttrNumber attnum)
{
	HeapTuple	tup;
	bool		result;

	tup = SearchSysCache2(ATTNUM, ObjectIdGetDatum(relid), Int16GetDatum(attnum));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for attribute %d of relation %u",
			 attnum, relid);
	result = ((Form_pg_attribute) GETSTRUCT(tup))->attnotnull;
	ReleaseSysCache(tup);
	return result;
}

/*
 * sk_tableoid_filter
 *		" AND alias.tableoid = ANY (...)" restricting rows to the relations
 *		rels.
 */
static char *
sk_tableoid_filter(List *rels, const char *alias)
{
	ListCell   *lc;
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, " AND %s.tableoid = ANY ('{", alias);
	foreach(lc, rels)
		appendStringInfo(&buf, "%s%u", lc == list_head(rels) ? "" : ",",
						 lfirst_oid(lc));
	appendStringInfoString(&buf, "}'::pg_catalog.oid[])");
	return buf.data;
}

/*
 * sk_leaf_filter
 *		" AND alias.tableoid = ANY (...)" restricting rows read through a
 *		partitioned root to the partition relid and its descendants; "" when
 *		relid is the unit itself.
 */
char *
sk_leaf_filter(Oid relid, const char *alias)
{
	if (sk_unit_of(relid) == relid)
		return "";
	return sk_tableoid_filter(find_all_inheritors(relid, NoLock, NULL), alias);
}

/*
 * sk_column_default
 *		The default expression of a column that is not generated, or NULL
 *		when it has none.
 */
static Node *
sk_column_default(Relation rel, AttrNumber attnum)
{
	Form_pg_attribute att = TupleDescAttr(RelationGetDescr(rel), attnum - 1);
	TupleConstr *constr = RelationGetDescr(rel)->constr;
	int			i;

	if (!att->atthasdef || constr == NULL || att->attgenerated != '\0')
		return NULL;
	for (i = 0; i < constr->num_defval; i++)
		if (constr->defval[i].adnum == attnum)
			return stringToNode(constr->defval[i].adbin);
	return NULL;
}

/*
 * sk_column_identity
 *		Whether a column is an identity column.
 */
static bool
sk_column_identity(Relation rel, AttrNumber attnum)
{
	return TupleDescAttr(RelationGetDescr(rel), attnum - 1)->attidentity != '\0';
}

/*
 * sk_column_generated
 *		Whether a column's values come from a sequence, an identity or a
 *		volatile default (gen_random_uuid() and the like).
 */
static bool
sk_column_generated(Relation rel, AttrNumber attnum)
{
	Node	   *expr;

	if (sk_column_identity(rel, attnum))
		return true;
	expr = sk_column_default(rel, attnum);
	return expr != NULL && contain_volatile_functions(expr);
}

/*
 * sk_calls_nextval
 *		Expression walker: whether an expression calls nextval().
 */
static bool
sk_calls_nextval(Node *node, void *context)
{
	if (node == NULL)
		return false;
	if (IsA(node, FuncExpr) && ((FuncExpr *) node)->funcid == F_NEXTVAL)
		return true;
	return expression_tree_walker(node, sk_calls_nextval, context);
}

/*
 * sk_column_sequence_fed
 *		Whether a column's values come from a sequence: an identity, or a
 *		default calling nextval() (serial and the like).
 */
static bool
sk_column_sequence_fed(Relation rel, AttrNumber attnum)
{
	Node	   *expr;

	if (sk_column_identity(rel, attnum))
		return true;
	expr = sk_column_default(rel, attnum);
	return expr != NULL && sk_calls_nextval(expr, NULL);
}

/*
 * sk_table_columns
 *		Fill in a unit's written columns (not dropped, not generated) from
 *		its tuple descriptor; colof[attnum] is set to each column's index
 *		in them, -1 for the others.
 */
static void
sk_table_columns(SkTable *t, TupleDesc desc, int *colof)
{
	int			i;

	t->attnums = palloc(sizeof(AttrNumber) * desc->natts);
	t->cols = palloc(sizeof(char *) * desc->natts);
	t->rawcols = palloc(sizeof(char *) * desc->natts);
	t->typids = palloc(sizeof(Oid) * desc->natts);
	t->typnames = palloc(sizeof(char *) * desc->natts);
	t->reset = palloc0(sizeof(bool) * desc->natts);
	t->rownum = palloc0(sizeof(bool) * desc->natts);
	t->ncols = 0;
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		colof[i + 1] = -1;
		if (att->attisdropped || att->attgenerated != '\0')
			continue;
		colof[i + 1] = t->ncols;
		t->attnums[t->ncols] = att->attnum;
		t->rawcols[t->ncols] = pstrdup(NameStr(att->attname));
		t->cols[t->ncols] = pstrdup(quote_identifier(NameStr(att->attname)));
		t->typids[t->ncols] = att->atttypid;
		t->typnames[t->ncols] = format_type_with_typemod(att->atttypid, att->atttypmod);
		t->ncols++;
	}
}

/*
 * sk_table_key_index
 *		The index identifying a unit's rows: the primary key, else the NOT
 *		NULL unique index with the smallest name, or InvalidOid.  With
 *		reset_keys, the single column of every usable unique index whose
 *		values are generated is marked reset: a surrogate key.
 */
static Oid
sk_table_key_index(SkTable *t, Relation rel, int *colof, bool reset_keys)
{
	TupleDesc	desc = RelationGetDescr(rel);
	ListCell   *lc;
	Oid			keyindex = InvalidOid;
	char	   *keyindexname = NULL;
	bool		keyisprimary = false;

	foreach(lc, RelationGetIndexList(rel))
	{
		Relation	irel = index_open(lfirst_oid(lc), AccessShareLock);
		Form_pg_index idx = irel->rd_index;
		bool		usable = idx->indisunique && idx->indimmediate &&
			heap_attisnull(irel->rd_indextuple, Anum_pg_index_indexprs, NULL) &&
			heap_attisnull(irel->rd_indextuple, Anum_pg_index_indpred, NULL);
		bool		allnotnull = true;
		int			k;

		for (k = 0; usable && k < idx->indnkeyatts; k++)
		{
			AttrNumber	a = idx->indkey.values[k];

			if (a <= 0 || colof[a] < 0)
				usable = false;
			else if (!TupleDescAttr(desc, a - 1)->attnotnull)
				allnotnull = false;
		}
		if (usable && allnotnull && !keyisprimary &&
			(idx->indisprimary || keyindexname == NULL ||
			 strcmp(RelationGetRelationName(irel), keyindexname) < 0))
		{
			keyindex = RelationGetRelid(irel);
			keyindexname = pstrdup(RelationGetRelationName(irel));
			keyisprimary = idx->indisprimary;
		}
		if (usable && reset_keys && idx->indnkeyatts == 1 &&
			sk_column_generated(rel, idx->indkey.values[0]))
			t->reset[colof[idx->indkey.values[0]]] = true;
		index_close(irel, NoLock);
	}
	return keyindex;
}

/*
 * sk_table_key
 *		Set a unit's key columns and their equality operators from its key
 *		index; none (keyless, rows identified by ctid) without one.
 */
static void
sk_table_key(SkTable *t, Oid keyindex, int *colof)
{
	Relation	irel;
	int			k;

	t->nkey = 0;
	if (!OidIsValid(keyindex))
		return;
	irel = index_open(keyindex, AccessShareLock);
	t->nkey = irel->rd_index->indnkeyatts;
	t->keyidx = palloc(sizeof(int) * t->nkey);
	t->keyeqops = palloc(sizeof(char *) * t->nkey);
	for (k = 0; k < t->nkey; k++)
	{
		t->keyidx[k] = colof[irel->rd_index->indkey.values[k]];
		t->keyeqops[k] = sk_type_eqop(t->typids[t->keyidx[k]]);
	}
	index_close(irel, NoLock);
}

/*
 * sk_table_load
 *		Fill in a unit's columns, key and reset columns from its relcache
 *		entry.
 */
static void
sk_table_load(SkTable *t, bool reset_keys)
{
	Relation	rel = relation_open(t->relid, AccessShareLock);
	int		   *colof;
	int			i;

	if (rel->rd_rel->relkind != RELKIND_RELATION &&
		rel->rd_rel->relkind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a table", RelationGetRelationName(rel)),
				 errdetail("Snapshots read ordinary and partitioned tables only.")));

	t->qname = sk_qualified_name(t->relid);
	t->partitioned = rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE;
	t->from = t->partitioned ? t->qname : psprintf("ONLY %s", t->qname);
	/* a Citus tenant snapshot reads this node's shard of the table */
	if (sk_citus_shard_from(t->relid) != NULL)
		t->from = pstrdup(sk_citus_shard_from(t->relid));

	colof = palloc(sizeof(int) * (RelationGetDescr(rel)->natts + 1));
	sk_table_columns(t, RelationGetDescr(rel), colof);

	/*
	 * Single-column unique keys with generated values are the reset
	 * surrogate keys (sk_table_key_index), and so are the sequence-fed
	 * columns of a composite key (below).
	 */
	sk_table_key(t, sk_table_key_index(t, rel, colof, reset_keys), colof);

	/*
	 * A sequence-fed column of a composite key (store_id, book_id serial)
	 * is a surrogate as well.  Reset columns of the key are numbered by the
	 * rows, which are written in key order.
	 */
	for (i = 0; reset_keys && i < t->nkey; i++)
	{
		int			c = t->keyidx[i];

		if (t->nkey > 1 && sk_column_sequence_fed(rel, t->attnums[c]))
			t->reset[c] = true;
		t->rownum[c] = t->reset[c];
	}
	relation_close(rel, NoLock);
}

/*
 * sk_graph_table
 *		The unit for relid, created (not yet loaded) on first use.
 */
SkTable *
sk_graph_table(SkGraph *g, Oid relid)
{
	ListCell   *lc;
	SkTable    *t;

	foreach(lc, g->tables)
	{
		t = (SkTable *) lfirst(lc);
		if (t->relid == relid)
			return t;
	}
	t = palloc0(sizeof(SkTable));
	t->relid = relid;
	t->order = -1;
	g->tables = lappend(g->tables, t);
	return t;
}

/*
 * sk_attnum_array
 *		The elements of an int2[] column value (conkey, confkey); their
 *		number in *n.
 */
static int16 *
sk_attnum_array(Datum value, int *n)
{
	Datum	   *elems;
	int16	   *result;
	int			k;

	deconstruct_array(DatumGetArrayTypeP(value), INT2OID, sizeof(int16), true,
					  TYPALIGN_SHORT, &elems, NULL, n);
	result = palloc(sizeof(int16) * (*n + 1));
	for (k = 0; k < *n; k++)
		result[k] = DatumGetInt16(elems[k]);
	return result;
}

/*
 * sk_load_virtual_fks
 *		The relations declared with seedkit_relate as foreign keys: no
 *		constraint, never validated (their values may not match), the
 *		equality operator of the referenced column's type.
 */
static List *
sk_load_virtual_fks(void)
{
	List	   *result = NIL;
	ListCell   *lc;

	foreach(lc, sk_relations())
	{
		SkRelation *r = (SkRelation *) lfirst(lc);
		SkRawFk    *fk = palloc0(sizeof(SkRawFk));
		int			k;

		fk->conoid = InvalidOid;
		fk->relid = r->relid;
		fk->refrelid = r->refrelid;
		fk->deferrable = true;
		fk->validated = false;
		fk->conname = r->name;
		fk->nkeys = r->nkeys;
		fk->conkey = r->attnums;
		fk->confkey = r->refattnums;
		fk->pfeqop = palloc(sizeof(Oid) * r->nkeys);
		for (k = 0; k < r->nkeys; k++)
			fk->pfeqop[k] = lookup_type_cache(get_atttype(r->refrelid, r->refattnums[k]),
											  TYPECACHE_EQ_OPR)->eq_opr;
		fk->isvirtual = true;
		fk->condition = r->condition;
		fk->unit = sk_unit_of(fk->relid);
		fk->refunit = sk_unit_of(fk->refrelid);
		result = lappend(result, fk);
	}
	return result;
}

/*
 * sk_raw_fk_cmp
 *		list_sort comparator: foreign keys by name (bytewise, as name sorts),
 *		then constraint OID (virtual references first).
 */
static int
sk_raw_fk_cmp(const ListCell *a, const ListCell *b)
{
	SkRawFk    *x = (SkRawFk *) lfirst(a);
	SkRawFk    *y = (SkRawFk *) lfirst(b);
	int			c = strcmp(x->conname, y->conname);

	if (c != 0)
		return c;
	return x->conoid < y->conoid ? -1 : x->conoid > y->conoid ? 1 : 0;
}

/*
 * sk_load_raw_fks
 *		Every declared foreign key of the database (derived copies on
 *		partitions left out), with both ends mapped to their units.
 */
static List *
sk_load_raw_fks(void)
{
	List	   *result = NIL;
	uint64		i;
	int			rc;

	rc = SPI_execute("SELECT c.oid, c.conrelid, c.confrelid, c.condeferrable, "
					 "c.conname::text, c.conkey, c.confkey, c.conpfeqop, c.convalidated, "
					 "c.confmatchtype OPERATOR(pg_catalog.=) 'f' "
					 "FROM pg_catalog.pg_constraint c "
					 "WHERE c.contype = 'f' AND c.conparentid = 0 "
					 "ORDER BY c.conname, c.oid", true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "could not read foreign keys: %s", SPI_result_code_string(rc));

	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		SkRawFk    *fk = palloc0(sizeof(SkRawFk));
		bool		isnull;
		Datum	   *elems;
		int			n,
					k;

		fk->conoid = DatumGetObjectId(SPI_getbinval(tup, desc, 1, &isnull));
		fk->relid = DatumGetObjectId(SPI_getbinval(tup, desc, 2, &isnull));
		fk->refrelid = DatumGetObjectId(SPI_getbinval(tup, desc, 3, &isnull));
		fk->deferrable = DatumGetBool(SPI_getbinval(tup, desc, 4, &isnull));
		fk->conname = SPI_getvalue(tup, desc, 5);
		fk->conkey = sk_attnum_array(SPI_getbinval(tup, desc, 6, &isnull), &fk->nkeys);
		fk->confkey = sk_attnum_array(SPI_getbinval(tup, desc, 7, &isnull), &n);
		deconstruct_array(DatumGetArrayTypeP(SPI_getbinval(tup, desc, 8, &isnull)),
						  OIDOID, sizeof(Oid), true, TYPALIGN_INT, &elems, NULL, &n);
		fk->pfeqop = palloc(sizeof(Oid) * n);
		for (k = 0; k < n; k++)
			fk->pfeqop[k] = DatumGetObjectId(elems[k]);
		fk->validated = DatumGetBool(SPI_getbinval(tup, desc, 9, &isnull));
		fk->matchfull = DatumGetBool(SPI_getbinval(tup, desc, 10, &isnull));
		fk->unit = sk_unit_of(fk->relid);
		fk->refunit = sk_unit_of(fk->refrelid);
		result = lappend(result, fk);
	}
	result = list_concat(result, sk_load_virtual_fks());
	list_sort(result, sk_raw_fk_cmp);
	return result;
}

/*
 * sk_raw_fk_same
 *		Whether two foreign keys declare the same relationship of one unit:
 *		the same columns by name (partitions may order them differently),
 *		the same referenced table, columns and operators.
 */
static bool
sk_raw_fk_same(SkRawFk *a, SkRawFk *b)
{
	int			k;

	if (a->unit != b->unit || a->refrelid != b->refrelid || a->nkeys != b->nkeys)
		return false;
	for (k = 0; k < a->nkeys; k++)
	{
		char	   *acol = get_attname(a->relid, a->conkey[k], false);
		char	   *bcol = get_attname(b->relid, b->conkey[k], false);

		if (strcmp(acol, bcol) != 0 || a->confkey[k] != b->confkey[k] ||
			a->pfeqop[k] != b->pfeqop[k])
			return false;
	}
	return true;
}

/*
 * sk_group_raw_fks
 *		Make foreign keys declared identically on several partitions of a
 *		unit one relationship, kept in the first by constraint name (raw is
 *		ordered by name); the others are marked merged.  The relationship is
 *		deferrable and validated only if each of its constraints is.
 */
static void
sk_group_raw_fks(List *raw)
{
	ListCell   *lc,
			   *lc2;

	foreach(lc, raw)
	{
		SkRawFk    *a = (SkRawFk *) lfirst(lc);

		a->declared = list_make1_oid(a->relid);
	}
	foreach(lc, raw)
	{
		SkRawFk    *a = (SkRawFk *) lfirst(lc);

		if (a->merged)
			continue;
		for_each_cell(lc2, raw, lnext(raw, lc))
		{
			SkRawFk    *b = (SkRawFk *) lfirst(lc2);

			if (b->merged || a->isvirtual || b->isvirtual || !sk_raw_fk_same(a, b))
				continue;
			b->merged = true;
			a->declared = lappend_oid(a->declared, b->relid);
			a->deferrable = a->deferrable && b->deferrable;
			a->validated = a->validated && b->validated;
			a->matchfull = a->matchfull && b->matchfull;
		}
	}
}

/*
 * sk_fk_coverage
 *		The relations whose rows a relationship applies to: NIL when it is
 *		declared on the unit or on partitions covering every leaf of it,
 *		else the declaring partitions and their descendants.
 */
static List *
sk_fk_coverage(SkRawFk *raw)
{
	List	   *covered = NIL;
	ListCell   *lc;

	if (list_member_oid(raw->declared, raw->unit))
		return NIL;
	foreach(lc, raw->declared)
		covered = list_concat_unique_oid(covered,
										 find_all_inheritors(lfirst_oid(lc), NoLock, NULL));
	foreach(lc, find_all_inheritors(raw->unit, NoLock, NULL))
	{
		Oid			rel = lfirst_oid(lc);

		if (get_rel_relkind(rel) != RELKIND_PARTITIONED_TABLE &&
			!list_member_oid(covered, rel))
			return covered;
	}
	return NIL;
}

/*
 * sk_fk_fromrel
 *		The rows of the partitions declaring fk as a FROM item: the one
 *		topmost declaring partition (with its sub-partitions), or the
 *		UNION ALL of the topmost ones with their columns named alike.
 *		Reading only those partitions keeps row estimates right, where a
 *		tableoid filter over the whole unit is guessed at a few rows.  When
 *		the caller may not read a partition directly (privileges are checked
 *		on the partition then, not on the partitioned table), or row-level
 *		security applies to the unit, its rows are read through the unit,
 *		filtered by tableoid.
 */
static char *
sk_fk_fromrel(SkFk *fk, List *declared)
{
	List	   *top = NIL;
	ListCell   *lc,
			   *lc2;
	StringInfoData buf;
	StringInfoData cols;
	Relation	rel;
	TupleDesc	desc;
	bool		readable = true;
	int			i;

	foreach(lc, declared)
	{
		Oid			m = lfirst_oid(lc);
		bool		nested = false;

		foreach(lc2, get_partition_ancestors(m))
			if (list_member_oid(declared, lfirst_oid(lc2)))
				nested = true;
		if (!nested)
			top = list_append_unique_oid(top, m);
	}
	foreach(lc, top)
		if (pg_class_aclcheck(lfirst_oid(lc), GetUserId(), ACL_SELECT) != ACLCHECK_OK)
			readable = false;
	if (!readable || check_enable_rls(fk->from->relid, InvalidOid, true) == RLS_ENABLED)
		return psprintf("(SELECT x.tableoid, x.ctid, x.* FROM %s x WHERE true%s)",
						fk->from->from, fk->relfilter);
	if (list_length(top) == 1)
		return sk_qualified_name(linitial_oid(top));

	initStringInfo(&cols);
	appendStringInfoString(&cols, "tableoid, ctid");
	rel = relation_open(fk->from->relid, AccessShareLock);
	desc = RelationGetDescr(rel);
	for (i = 0; i < desc->natts; i++)
		if (!TupleDescAttr(desc, i)->attisdropped)
			appendStringInfo(&cols, ", %s",
							 quote_identifier(NameStr(TupleDescAttr(desc, i)->attname)));
	relation_close(rel, AccessShareLock);

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '(');
	foreach(lc, top)
		appendStringInfo(&buf, "%sSELECT %s FROM %s",
						 lc == list_head(top) ? "" : " UNION ALL ",
						 cols.data, sk_qualified_name(lfirst_oid(lc)));
	appendStringInfoChar(&buf, ')');
	return buf.data;
}

/*
 * sk_fk_declared_filter
 *		" AND alias.tableoid = ANY (...)" restricting rows of fk's unit to
 *		those of the partitions declaring it; "" when it covers every row.
 */
char *
sk_fk_declared_filter(SkFk *fk, const char *alias)
{
	char	   *cond = "";

	/* a condition names bare columns: read it over the row alone */
	if (fk->condition != NULL)
		cond = psprintf(" AND (SELECT (%s\n) FROM (SELECT %s.*) c)",
						fk->condition, alias);
	if (fk->declared == NIL)
		return cond;
	return psprintf("%s%s", sk_tableoid_filter(fk->declared, alias), cond);
}

/*
 * sk_fk_partial
 *		Whether fk applies to some rows of its referencing unit only: it is
 *		declared on some partitions only, or has a condition.
 */
static bool
sk_fk_partial(SkFk *fk)
{
	return fk->declared != NIL || fk->condition != NULL;
}

/*
 * sk_cols_indexed
 *		Whether some index of relid has the n named columns, in any order,
 *		as its leading key columns.
 */
static bool
sk_cols_indexed(Oid relid, char **rawcols, int n)
{
	Relation	rel = relation_open(relid, AccessShareLock);
	List	   *indexes = RelationGetIndexList(rel);
	ListCell   *lc;
	bool		found = false;

	foreach(lc, indexes)
	{
		HeapTuple	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(lfirst_oid(lc)));
		Form_pg_index idx;
		int			k,
					m;
		bool		all = true;

		if (!HeapTupleIsValid(tup))
			continue;
		idx = (Form_pg_index) GETSTRUCT(tup);
		if (idx->indnkeyatts < n)
			all = false;
		for (k = 0; all && k < n; k++)
		{
			bool		hit = false;

			for (m = 0; m < n; m++)
				if (idx->indkey.values[k] == get_attnum(relid, rawcols[m]))
					hit = true;
			all = hit;
		}
		ReleaseSysCache(tup);
		if (all)
		{
			found = true;
			break;
		}
	}
	/* the lock stays until the end of the transaction, as everywhere */
	relation_close(rel, NoLock);
	return found;
}

/* Via ids handed to virtual references so far (any distinct numbers do). */
static int64 sk_virtual_vias = 0;

/*
 * sk_fk_make
 *		The full SkFk for a raw foreign key between two units.
 */
static SkFk *
sk_fk_make(SkRawFk *raw, SkTable *from, SkTable *to)
{
	SkFk	   *fk = palloc0(sizeof(SkFk));
	ListCell   *lc;
	int			k;

	fk->conoid = raw->conoid;
	fk->conname = raw->conname;
	fk->relid = raw->relid;
	fk->refrelid = raw->refrelid;
	fk->nkeys = raw->nkeys;
	fk->deferrable = raw->deferrable;
	fk->validated = raw->validated;
	fk->matchfull = raw->matchfull;
	fk->cols = palloc(sizeof(char *) * fk->nkeys);
	fk->rawcols = palloc(sizeof(char *) * fk->nkeys);
	fk->refcols = palloc(sizeof(char *) * fk->nkeys);
	fk->rawrefcols = palloc(sizeof(char *) * fk->nkeys);
	fk->eqops = palloc(sizeof(char *) * fk->nkeys);
	for (k = 0; k < fk->nkeys; k++)
	{
		fk->rawcols[k] = get_attname(raw->relid, raw->conkey[k], false);
		fk->cols[k] = pstrdup(quote_identifier(fk->rawcols[k]));
		fk->rawrefcols[k] = get_attname(raw->refrelid, raw->confkey[k], false);
		fk->refcols[k] = pstrdup(quote_identifier(fk->rawrefcols[k]));
		fk->eqops[k] = sk_opname(raw->pfeqop[k]);
		foreach(lc, raw->declared)
			if (sk_att_notnull(lfirst_oid(lc),
							   get_attnum(lfirst_oid(lc), fk->rawcols[k])))
				fk->notnull = true;
	}
	fk->indexed = sk_cols_indexed(from->relid, fk->rawcols, fk->nkeys);
	fk->from = from;
	fk->to = to;
	fk->declared = sk_fk_coverage(raw);
	fk->isvirtual = raw->isvirtual;
	/* virtual references share conoid 0: each gets a via id of its own */
	fk->viaid = raw->isvirtual ? -(int64) (++sk_virtual_vias) : (int64) raw->conoid;
	fk->condition = raw->condition;
	fk->relfilter = sk_fk_declared_filter(fk, "x");
	fk->reffilter = sk_leaf_filter(raw->refrelid, "y");
	if (fk->condition != NULL)
		fk->fromrel = psprintf("(SELECT x.tableoid, x.ctid, x.* FROM %s x WHERE true%s)",
							   from->from, fk->relfilter);
	else
		fk->fromrel = fk->declared == NIL ? from->from : sk_fk_fromrel(fk, raw->declared);
	return fk;
}

/*
 * sk_table_col
 *		Index in t's written columns of the column named raw, or -1.
 */
int
sk_table_col(SkTable *t, const char *raw)
{
	int			i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->rawcols[i], raw) == 0)
			return i;
	return -1;
}

/*
 * sk_fk_col
 *		Position in fk's referencing columns of the column named raw, or -1.
 */
int
sk_fk_col(SkFk *fk, const char *raw)
{
	int			k;

	for (k = 0; k < fk->nkeys; k++)
		if (strcmp(fk->rawcols[k], raw) == 0)
			return k;
	return -1;
}

/*
 * sk_fk_unenforced
 *		The condition on alias's row under which foreign key fk does not
 *		apply to it although its column k holds a value: another of its
 *		columns is null (MATCH SIMPLE, the default, checks only rows with
 *		no null in them).  NULL when that cannot happen: a single column,
 *		MATCH FULL, or the other columns NOT NULL.
 */
char *
sk_fk_unenforced(SkFk *fk, int k, const char *alias)
{
	StringInfoData buf;
	int			j;
	bool		any = false;

	if (fk->nkeys < 2 || fk->matchfull)
		return NULL;
	initStringInfo(&buf);
	appendStringInfoString(&buf, "(false");
	for (j = 0; j < fk->nkeys; j++)
	{
		if (j == k ||
			sk_att_notnull(fk->from->relid, get_attnum(fk->from->relid, fk->rawcols[j])))
			continue;
		appendStringInfo(&buf, " OR %s.%s IS NULL", alias, fk->cols[j]);
		any = true;
	}
	appendStringInfoChar(&buf, ')');
	return any ? buf.data : NULL;
}

/*
 * sk_graph_ordinals
 *		Decide which columns hold ordinals.  A column of a foreign key to a
 *		table of the document is a reference, never a surrogate of its own:
 *		it is not reset.  A column referencing a column that holds ordinals
 *		(a reset column, or such a reference in turn, through any chain of
 *		foreign keys, composite ones included) holds the ordinal of the row
 *		at the end of the chain.  Where a column could take its ordinal
 *		through several foreign keys, the one with the fewest hops to a
 *		reset column wins, then the first in constraint name order: the
 *		order the document lists references in, so restore makes the same
 *		choice from the document alone.
 */
static void
sk_graph_ordinals(SkGraph *g)
{
	ListCell   *lc,
			   *lc2;
	int			level;
	bool		changed = true;

	foreach(lc, g->tables)
	{
		SkTable    *t = (SkTable *) lfirst(lc);
		int			i,
					k;

		if (!t->entered)
			continue;
		t->odepth = palloc(sizeof(int) * (t->ncols + 1));
		t->osrc = palloc0(sizeof(SkFk *) * (t->ncols + 1));
		t->osrck = palloc0(sizeof(int) * (t->ncols + 1));
		foreach(lc2, t->fks_out)
		{
			SkFk	   *fk = (SkFk *) lfirst(lc2);

			if (fk->to->excluded)
				continue;
			for (k = 0; k < fk->nkeys; k++)
			{
				/* (a column "referencing" itself references nothing) */
				if (fk->to == t && strcmp(fk->rawrefcols[k], fk->rawcols[k]) == 0)
					continue;
				i = sk_table_col(t, fk->rawcols[k]);
				if (i >= 0)
					t->reset[i] = t->rownum[i] = false;
			}
		}
		for (i = 0; i < t->ncols; i++)
			t->odepth[i] = t->reset[i] ? 0 : -1;
	}

	/* breadth first from the reset columns, one foreign key hop a level */
	for (level = 1; changed; level++)
	{
		changed = false;
		foreach(lc, g->tables)
		{
			SkTable    *t = (SkTable *) lfirst(lc);
			int			i;

			if (!t->entered)
				continue;
			for (i = 0; i < t->ncols; i++)
			{
				if (t->odepth[i] >= 0)
					continue;
				foreach(lc2, t->fks_out)
				{
					SkFk	   *fk = (SkFk *) lfirst(lc2);
					int			k,
								j;

					if (fk->to->excluded)
						continue;
					k = sk_fk_col(fk, t->rawcols[i]);
					if (k < 0)
						continue;
					j = sk_table_col(fk->to, fk->rawrefcols[k]);
					if (j >= 0 && fk->to->odepth[j] == level - 1)
					{
						t->odepth[i] = level;
						t->osrc[i] = fk;
						t->osrck[i] = k;
						changed = true;
						break;
					}
				}
			}
		}
	}
}

/*
 * sk_graph_lock
 *		Take ACCESS SHARE on every entered table in OID order, each
 *		partitioned table's partitions right after it, before any of them is
 *		opened or read.  The caller takes its data snapshot after this, so a
 *		command that held a conflicting lock (an anonymise, a TRUNCATE, a
 *		rewriting ALTER TABLE) has committed and its rows are seen.
 */
static void
sk_graph_lock(SkGraph *g)
{
	List	   *relids = sk_graph_relids(g);

	sk_lock_in_order(relids, AccessShareLock);
	list_free(relids);
}

/*
 * sk_graph_exclude
 *		Mark the units of the exclude list as excluded; a root or a whole
 *		table cannot be.
 */
static void
sk_graph_exclude(SkGraph *g, Oid *exclude, int nexclude)
{
	int			i;

	for (i = 0; i < nexclude; i++)
	{
		SkTable    *t = sk_graph_table(g, sk_unit_of(exclude[i]));

		if (t->seeded && !t->whole)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot exclude the root table \"%s\"",
							get_rel_name(exclude[i]))));
		if (t->seeded)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot exclude the whole table \"%s\"",
							sk_message_name(sk_qualified_name(t->relid))),
					 errdetail("Table \"%s\" is listed both in \"whole\" and in \"exclude\".",
							   sk_message_name(sk_qualified_name(t->relid))),
					 errhint("Remove it from one of the two lists.")));
		t->excluded = true;
		t->qname = sk_qualified_name(t->relid);
	}
}

/*
 * sk_reach
 *		Record that the walk reached unit t from unit u along fk: an
 *		excluded unit is noted the first time (for seedkit_plan); another
 *		is entered as a parent, or as a child when child is set and it is
 *		not one yet.  Returns whether t is to be queued.
 */
static bool
sk_reach(SkTable *t, SkTable *u, SkRawFk *fk, bool child)
{
	if (t->excluded)
	{
		if (t->reached_as == NULL)
		{
			t->reached_as = "excluded";
			t->via = fk->conname;
			t->depth = u->depth + 1;
		}
		return false;
	}
	if (!child)
	{
		if (t->entered)
			return false;
		t->entered = true;
		t->reached_as = "parent";
		t->via = fk->conname;
		t->depth = u->depth + 1;
		return true;
	}
	if (t->childable)
		return false;
	if (!t->entered)
		t->depth = u->depth + 1;
	t->entered = true;
	t->childable = true;
	/* a whole table's rows reached as children are followed down too */
	if (!t->whole)
	{
		t->reached_as = "child";
		t->via = fk->conname;
	}
	return true;
}

/*
 * sk_graph_walk
 *		Enter the units reached from the seeded ones (the roots, then the
 *		whole tables), breadth first: parents from every entered unit,
 *		children into units referencing a childable one when children is
 *		set.  Reads the catalogs only.
 */
static void
sk_graph_walk(SkGraph *g, List *raw, bool children)
{
	List	   *queue = NIL;
	ListCell   *lc;

	foreach(lc, g->tables)
	{
		SkTable    *t = (SkTable *) lfirst(lc);

		if (t->seeded)
			queue = lappend(queue, t);
	}
	while (queue != NIL)
	{
		SkTable    *u = (SkTable *) linitial(queue);

		queue = list_delete_first(queue);
		foreach(lc, raw)
		{
			SkRawFk    *fk = (SkRawFk *) lfirst(lc);

			if (fk->merged)
				continue;
			if (fk->unit == u->relid)
			{
				SkTable    *y = sk_graph_table(g, fk->refunit);

				if (sk_reach(y, u, fk, false))
					queue = lappend(queue, y);
			}
			if (children && u->childable && fk->refunit == u->relid)
			{
				SkTable    *x = sk_graph_table(g, fk->unit);

				if (sk_reach(x, u, fk, true))
					queue = lappend(queue, x);
			}
		}
	}
}

/*
 * sk_graph_link
 *		Make the SkFk of every foreign key leaving an entered unit, to an
 *		entered or excluded one, and hang it on both units.
 */
static void
sk_graph_link(SkGraph *g, List *raw)
{
	ListCell   *lc;

	foreach(lc, raw)
	{
		SkRawFk    *r = (SkRawFk *) lfirst(lc);
		SkTable    *from = sk_graph_table(g, r->unit);
		SkTable    *to;
		SkFk	   *fk;

		if (!from->entered || r->merged)
			continue;
		to = sk_graph_table(g, r->refunit);
		if (!to->entered && !to->excluded)
			continue;
		fk = sk_fk_make(r, from, to);
		g->fks = lappend(g->fks, fk);
		from->fks_out = lappend(from->fks_out, fk);
		to->fks_in = lappend(to->fks_in, fk);
	}
}

/*
 * sk_graph_keep_partial_keys
 *		A key referenced by a foreign key that some partitions of the
 *		referencing table lack is not reset: the other partitions' rows hold
 *		plain values in the same column, which ordinals could not be told
 *		from.
 */
static void
sk_graph_keep_partial_keys(SkGraph *g)
{
	ListCell   *lc;

	foreach(lc, g->fks)
	{
		SkFk	   *fk = (SkFk *) lfirst(lc);
		int			k,
					i;

		if (!sk_fk_partial(fk) || !fk->to->entered)
			continue;
		for (k = 0; k < fk->nkeys; k++)
		{
			i = sk_table_col(fk->to, fk->rawrefcols[k]);
			if (i >= 0)
				fk->to->reset[i] = fk->to->rownum[i] = false;
		}
	}
}

/*
 * sk_graph_keep_partial_chains
 *		A foreign key declared on some partitions only leaves the rows of
 *		the other partitions holding plain values in its columns, so the
 *		column it references must hold plain values too: where that column
 *		holds ordinals through a chain of foreign keys (sk_graph_ordinals),
 *		the reset column at the end of the chain is kept as it is.  Returns
 *		whether one was, so that the ordinals are decided again.
 */
static bool
sk_graph_keep_partial_chains(SkGraph *g)
{
	ListCell   *lc;
	bool		changed = false;

	foreach(lc, g->fks)
	{
		SkFk	   *fk = (SkFk *) lfirst(lc);
		int			k;

		if (!sk_fk_partial(fk) || !fk->to->entered)
			continue;
		for (k = 0; k < fk->nkeys; k++)
		{
			SkTable    *t = fk->to;
			int			c = sk_table_col(t, fk->rawrefcols[k]);

			/* follow the chain to the reset column it ends at */
			while (c >= 0 && t->odepth[c] > 0)
			{
				SkFk	   *src = t->osrc[c];

				c = sk_table_col(src->to, src->rawrefcols[t->osrck[c]]);
				t = src->to;
			}
			if (c >= 0 && t->odepth[c] == 0 && t->reset[c])
			{
				t->reset[c] = t->rownum[c] = false;
				changed = true;
			}
		}
	}
	return changed;
}

/*
 * sk_graph_seed
 *		Enter unit of relid as seeded: a root (childable) or a whole table.
 */
static SkTable *
sk_graph_seed(SkGraph *g, Oid relid, bool root)
{
	SkTable    *t = sk_graph_table(g, sk_unit_of(relid));

	t->entered = true;
	t->seeded = true;
	if (root)
	{
		t->childable = true;
		t->whole = false;
		t->reached_as = "root";
	}
	else if (t->reached_as == NULL)
	{
		t->whole = true;
		t->reached_as = "whole";
	}
	return t;
}

/*
 * sk_graph_build
 *		The graph of a snapshot: one root (sk_graph_build_subset).
 */
SkGraph *
sk_graph_build(Oid rootrel, bool children, Oid *exclude, int nexclude,
			   bool reset_keys)
{
	return sk_graph_build_subset(list_make1_oid(rootrel), NIL, children,
								 exclude, nexclude, reset_keys);
}

/*
 * sk_graph_build_subset
 *		Walk the foreign keys from the roots and whole tables (relids as
 *		given, partitions allowed) (sk_graph_walk); excluded tables are
 *		never entered.  The walk reads the catalogs only; the entered tables
 *		are then locked (sk_graph_lock) and loaded.  Returns the graph with
 *		every entered table loaded, every foreign key leaving one, and the
 *		columns that hold ordinals decided; g->root is the first root, else
 *		the first whole table.
 */
SkGraph *
sk_graph_build_subset(List *roots, List *wholes, bool children,
					  Oid *exclude, int nexclude, bool reset_keys)
{
	SkGraph    *g = palloc0(sizeof(SkGraph));
	List	   *raw = sk_load_raw_fks();
	ListCell   *lc;

	g->children = children;
	g->reset_keys = reset_keys;
	g->roots = roots;
	g->wholes = wholes;
	foreach(lc, roots)
		(void) sk_graph_seed(g, lfirst_oid(lc), true);
	foreach(lc, wholes)
		(void) sk_graph_seed(g, lfirst_oid(lc), false);
	g->rootrel = roots != NIL ? linitial_oid(roots) : linitial_oid(wholes);
	g->root = sk_graph_table(g, sk_unit_of(g->rootrel));
	sk_group_raw_fks(raw);
	sk_graph_exclude(g, exclude, nexclude);
	sk_graph_walk(g, raw, children);

	sk_graph_lock(g);
	foreach(lc, g->tables)
	{
		SkTable    *t = (SkTable *) lfirst(lc);

		if (t->entered)
			sk_table_load(t, reset_keys);
	}
	sk_graph_link(g, raw);
	sk_graph_keep_partial_keys(g);

	/*
	 * then which columns hold ordinals, from the reset columns left, until
	 * no foreign key declared on some partitions only references one
	 */
	do
		sk_graph_ordinals(g);
	while (sk_graph_keep_partial_chains(g));
	return g;
}

/*
 * sk_graph_unit
 *		The unit whose rows relid's are read through (sk_unit_of).
 */
Oid
sk_graph_unit(Oid relid)
{
	return sk_unit_of(relid);
}

/*
 * sk_graph_relids
 *		The OIDs of the graph's entered tables, for checks that must see
 *		every table the document reads before it reads one.
 */
List *
sk_graph_relids(SkGraph *g)
{
	List	   *relids = NIL;
	ListCell   *lc;

	foreach(lc, g->tables)
	{
		SkTable    *t = (SkTable *) lfirst(lc);

		if (t->entered)
			relids = lappend_oid(relids, t->relid);
	}
	return relids;
}

/*
 * sk_keyjoin
 *		The condition joining relation alias talias of unit t to its key
 *		table alias kalias.
 */
char *
sk_keyjoin(SkTable *t, const char *talias, const char *kalias)
{
	StringInfoData buf;
	int			k;

	initStringInfo(&buf);
	if (t->nkey == 0)
	{
		appendStringInfo(&buf, "%s.ctid = %s.tid", talias, kalias);
		if (t->partitioned)
			appendStringInfo(&buf, " AND %s.tableoid = %s.toid", talias, kalias);
		return buf.data;
	}
	for (k = 0; k < t->nkey; k++)
		appendStringInfo(&buf, "%s%s.%s %s %s.k%d",
						 k > 0 ? " AND " : "",
						 talias, t->cols[t->keyidx[k]], t->keyeqops[k], kalias, k);
	return buf.data;
}

/*
 * sk_fk_breakable_rank
 *		How willing we are to fill in a foreign key after the rows exist:
 *		nullable ones first, then deferrable ones, then the rest.
 */
static int
sk_fk_breakable_rank(SkFk *fk)
{
	if (!fk->notnull)
		return 0;
	if (fk->deferrable)
		return 1;
	return 2;
}

/*
 * sk_fk_closes_cycle
 *		Whether fk lies on a cycle of the tables not yet placed: its
 *		referencing table is reached again from its referenced one along
 *		foreign keys not already filled in after.
 */
static bool
sk_fk_closes_cycle(SkFk *fk)
{
	List	   *stack = list_make1(fk->to);
	List	   *seen = list_make1(fk->to);
	ListCell   *lc;

	while (stack != NIL)
	{
		SkTable    *t = (SkTable *) llast(stack);

		stack = list_delete_last(stack);
		foreach(lc, t->fks_out)
		{
			SkFk	   *e = (SkFk *) lfirst(lc);

			if (e->after || e->from == e->to || !e->to->entered || e->to->placed)
				continue;
			if (e->to == fk->from)
				return true;
			if (!list_member_ptr(seen, e->to))
			{
				seen = lappend(seen, e->to);
				stack = lappend(stack, e->to);
			}
		}
	}
	return false;
}

/*
 * sk_graph_order
 *		The entered tables in a valid insertion order: parents before
 *		children, ties by name.  Where a cycle leaves no table free, the
 *		most breakable foreign key on a cycle of the remaining tables is
 *		marked "after" and the walk goes on.
 */
List *
sk_graph_order(SkGraph *g)
{
	List	   *result = NIL;
	int			remaining = 0;
	ListCell   *lc;

	foreach(lc, g->tables)
		if (((SkTable *) lfirst(lc))->entered)
			remaining++;

	while (remaining > 0)
	{
		SkTable    *best = NULL;
		ListCell   *lc2;

		foreach(lc, g->tables)
		{
			SkTable    *t = (SkTable *) lfirst(lc);
			bool		ready = true;

			if (!t->entered || t->placed)
				continue;
			foreach(lc2, t->fks_out)
			{
				SkFk	   *fk = (SkFk *) lfirst(lc2);

				if (fk->to != t && fk->to->entered && !fk->to->placed && !fk->after)
				{
					ready = false;
					break;
				}
			}
			if (ready && (best == NULL || strcmp(t->qname, best->qname) < 0))
				best = t;
		}

		if (best == NULL)
		{
			SkFk	   *brk = NULL;

			foreach(lc, g->fks)
			{
				SkFk	   *fk = (SkFk *) lfirst(lc);
				int			c;

				if (fk->from == fk->to || fk->after || fk->from->placed ||
					!fk->to->entered || fk->to->placed ||
					!sk_fk_closes_cycle(fk))
					continue;
				if (brk != NULL)
				{
					c = sk_fk_breakable_rank(fk) - sk_fk_breakable_rank(brk);
					if (c == 0)
						c = strcmp(fk->from->qname, brk->from->qname);
					if (c == 0)
						c = strcmp(fk->conname, brk->conname);
					if (c >= 0)
						continue;
				}
				brk = fk;
			}
			if (brk == NULL)
				elog(ERROR, "could not order the snapshot's tables");
			brk->after = true;
			continue;
		}
		best->placed = true;
		best->order = list_length(result);
		result = lappend(result, best);
		remaining--;
	}
	return result;
}
