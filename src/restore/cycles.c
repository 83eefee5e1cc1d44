/*-------------------------------------------------------------------------
 *
 * cycles.c
 *	  Foreign key cycles of a restore: how each "after" reference is
 *	  broken (columns filled in by an UPDATE, a deferred constraint, or
 *	  session_replication_role = replica), the UPDATEs that close them, and
 *	  the check of every foreign key the replica role skipped.
 *
 * src/restore/cycles.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "anon/anon.h"
#include "core/core.h"
#include "restore/restore.h"

/*
 * sk_partition_constraint_oid
 *		The constraint named conname of relid or, for a partitioned table,
 *		of one of its partitions (a foreign key declared on the partitions,
 *		written under the name of the first); InvalidOid if none.  Sets
 *		*on_partition when it was found on a partition.
 */
static Oid
sk_partition_constraint_oid(Oid relid, const char *conname, bool *on_partition)
{
	Oid			conoid = get_relation_constraint_oid(relid, conname, true);
	ListCell   *lc;

	*on_partition = false;
	if (OidIsValid(conoid) || get_rel_relkind(relid) != RELKIND_PARTITIONED_TABLE)
		return conoid;
	foreach(lc, find_all_inheritors(relid, NoLock, NULL))
	{
		conoid = get_relation_constraint_oid(lfirst_oid(lc), conname, true);
		if (OidIsValid(conoid))
		{
			*on_partition = true;
			return conoid;
		}
	}
	return InvalidOid;
}

/*
 * sk_same_partition_fk
 *		Whether foreign key b (on relation brel) declares the same
 *		relationship as a (on arel): the same columns by name (partitions
 *		may order them differently), referenced table, columns and
 *		operators, as snapshot groups the foreign keys of partitions.
 */
static bool
sk_same_partition_fk(Oid arel, HeapTuple a, Oid brel, HeapTuple b)
{
	Form_pg_constraint acon = (Form_pg_constraint) GETSTRUCT(a);
	Form_pg_constraint bcon = (Form_pg_constraint) GETSTRUCT(b);
	AttrNumber	akey[INDEX_MAX_KEYS],
				afkey[INDEX_MAX_KEYS],
				bkey[INDEX_MAX_KEYS],
				bfkey[INDEX_MAX_KEYS];
	Oid			apf[INDEX_MAX_KEYS],
				app[INDEX_MAX_KEYS],
				aff[INDEX_MAX_KEYS],
				bpf[INDEX_MAX_KEYS],
				bpp[INDEX_MAX_KEYS],
				bff[INDEX_MAX_KEYS];
	int			an,
				bn,
				k;

	if (acon->confrelid != bcon->confrelid)
		return false;
	DeconstructFkConstraintRow(a, &an, akey, afkey, apf, app, aff, NULL, NULL);
	DeconstructFkConstraintRow(b, &bn, bkey, bfkey, bpf, bpp, bff, NULL, NULL);
	if (an != bn)
		return false;
	for (k = 0; k < an; k++)
		if (strcmp(get_attname(arel, akey[k], false), get_attname(brel, bkey[k], false)) != 0 ||
			afkey[k] != bfkey[k] || apf[k] != bpf[k])
			return false;
	return true;
}

/*
 * sk_partition_fks
 *		The constraints declaring on the partitions of relid the same
 *		relationship as conoid (itself among them): a foreign key declared
 *		on each partition is one relationship in the document, named after
 *		the first.
 */
static List *
sk_partition_fks(Oid relid, Oid conoid)
{
	HeapTuple	first = SearchSysCacheCopy1(CONSTROID, ObjectIdGetDatum(conoid));
	Oid			firstrel;
	List	   *result = NIL;
	ListCell   *lc,
			   *fc;

	if (!HeapTupleIsValid(first))
		elog(ERROR, "cache lookup failed for constraint %u", conoid);
	firstrel = ((Form_pg_constraint) GETSTRUCT(first))->conrelid;
	foreach(lc, find_all_inheritors(relid, NoLock, NULL))
	{
		Oid			part = lfirst_oid(lc);
		Relation	rel = table_open(part, NoLock);
		List	   *fks = RelationGetFKeyList(rel);

		table_close(rel, NoLock);
		foreach(fc, fks)
		{
			Oid			other = ((ForeignKeyCacheInfo *) lfirst(fc))->conoid;
			HeapTuple	tup = SearchSysCache1(CONSTROID, ObjectIdGetDatum(other));

			if (!HeapTupleIsValid(tup))
				elog(ERROR, "cache lookup failed for constraint %u", other);
			if (!OidIsValid(((Form_pg_constraint) GETSTRUCT(tup))->conparentid) &&
				sk_same_partition_fk(firstrel, first, part, tup))
				result = lappend_oid(result, other);
			ReleaseSysCache(tup);
		}
	}
	heap_freetuple(first);
	return result;
}

/*
 * sk_defer_constraint
 *		Have the job load with constraint con deferred (and set back to
 *		immediate at the end when it is not initially deferred).
 */
static void
sk_defer_constraint(SkJob *job, Form_pg_constraint con)
{
	char	   *qcon = quote_qualified_identifier(get_namespace_name(con->connamespace),
												  NameStr(con->conname));

	job->deferred = lappend(job->deferred, qcon);
	if (!con->condeferred)
		job->immediate = lappend(job->immediate, qcon);
}

/*
 * sk_plan_cycles
 *		Choose how each "after" reference is loaded: written as null and
 *		filled in by an UPDATE (nullable columns), written as is under a
 *		deferred constraint (DEFERRABLE), or written as is under
 *		session_replication_role = replica and checked by hand; otherwise
 *		the cycle cannot be restored.
 */
void
sk_plan_cycles(SkJob *job)
{
	int			i,
				r,
				j;

	for (i = 0; i < job->doc->ntables; i++)
	{
		SkTarget   *t = &job->targets[i];
		SkDocTable *d = t->doc;

		for (r = 0; r < d->nrefs; r++)
		{
			SkDocRef   *ref = &d->refs[r];
			Oid			conoid;
			HeapTuple	tup;
			Form_pg_constraint con;
			bool		nullable = true;
			bool		on_partition;

			if (!ref->after || sk_find_target(job, ref->table) == NULL)
				continue;
			conoid = sk_partition_constraint_oid(t->relid, ref->constraint, &on_partition);
			if (!OidIsValid(conoid))
				continue;		/* no such foreign key here: nothing to break */
			for (j = 0; j < ref->ncols; j++)
			{
				AttrNumber	attnum = get_attnum(t->relid, ref->columns[j]);
				HeapTuple	atup = SearchSysCache2(ATTNUM, ObjectIdGetDatum(t->relid),
												   Int16GetDatum(attnum));

				if (HeapTupleIsValid(atup))
				{
					if (((Form_pg_attribute) GETSTRUCT(atup))->attnotnull)
						nullable = false;
					ReleaseSysCache(atup);
				}
			}
			tup = SearchSysCache1(CONSTROID, ObjectIdGetDatum(conoid));
			if (!HeapTupleIsValid(tup))
				elog(ERROR, "cache lookup failed for constraint %u", conoid);
			con = (Form_pg_constraint) GETSTRUCT(tup);

			if (nullable && d->nkey > 0)
			{
				SkAfterFill *fill = palloc0(sizeof(SkAfterFill));

				for (j = 0; j < d->nkey; j++)
				{
					int			k;

					for (k = 0; k < ref->ncols; k++)
						if (strcmp(ref->columns[k], d->columns[d->key[j]]) == 0)
							nullable = false;
				}
				if (nullable)
				{
					fill->ref = r;
					t->fills = lappend(t->fills, fill);
					for (j = 0; j < ref->ncols; j++)
						t->cols[sk_column_index(t->doc, ref->columns[j])].written_null = true;
					if (pg_class_aclcheck(t->relid, GetUserId(), ACL_UPDATE) != ACLCHECK_OK)
						ereport(ERROR,
								(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
								 errmsg("permission denied to restore into table \"%s\"", sk_message_name(d->name)),
								 errdetail("The foreign key \"%s\" closes a cycle; its columns are filled in by an UPDATE, which needs the UPDATE privilege.",
										   ref->constraint)));
					ReleaseSysCache(tup);
					continue;
				}
			}
			if (on_partition)
			{
				/* deferred on every partition declaring it, else replica */
				List	   *parts = sk_partition_fks(t->relid, conoid);
				bool		deferrable = true;
				ListCell   *pc;

				foreach(pc, parts)
				{
					HeapTuple	ptup = SearchSysCache1(CONSTROID, ObjectIdGetDatum(lfirst_oid(pc)));

					if (!HeapTupleIsValid(ptup))
						elog(ERROR, "cache lookup failed for constraint %u", lfirst_oid(pc));
					if (!((Form_pg_constraint) GETSTRUCT(ptup))->condeferrable)
						deferrable = false;
					ReleaseSysCache(ptup);
				}
				if (deferrable)
				{
					foreach(pc, parts)
					{
						HeapTuple	ptup = SearchSysCache1(CONSTROID,
														   ObjectIdGetDatum(lfirst_oid(pc)));

						if (!HeapTupleIsValid(ptup))
							elog(ERROR, "cache lookup failed for constraint %u", lfirst_oid(pc));
						sk_defer_constraint(job, (Form_pg_constraint) GETSTRUCT(ptup));
						ReleaseSysCache(ptup);
					}
				}
				else if (sk_caller_may_set_replication_role())
					t->replica = true;	/* every foreign key checked afterwards */
				else
					ereport(ERROR,
							(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
							 errmsg("cannot restore the foreign key cycle through constraint \"%s\" of table \"%s\"",
									ref->constraint, sk_message_name(d->name)),
							 errdetail("The foreign key is declared on the partitions of table \"%s\"; "
									   "its columns cannot be written as null and filled in afterwards, "
									   "and it is not deferrable on every partition, "
									   "so the rows can only be loaded with session_replication_role = replica, "
									   "which the current role may not set.",
									   sk_message_name(d->name)),
							 errhint("Make the constraint DEFERRABLE on every partition, allow NULL in its columns, "
									 "or restore as a role granted SET ON PARAMETER session_replication_role.")));
			}
			else if (con->condeferrable)
				sk_defer_constraint(job, con);
			else if (sk_caller_may_set_replication_role())
				t->replica = true;	/* every foreign key checked afterwards */
			else
				ereport(ERROR,
						(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
						 errmsg("cannot restore the foreign key cycle through constraint \"%s\" of table \"%s\"",
								ref->constraint, sk_message_name(d->name)),
						 nullable ?
						 errdetail("Table \"%s\" references table \"%s\", which references it back; "
								   "the table has no key to fill in the foreign key's columns afterwards "
								   "and the constraint is not deferrable, "
								   "so the rows can only be loaded with session_replication_role = replica, "
								   "which the current role may not set.",
								   sk_message_name(d->name), sk_message_name(ref->table)) :
						 errdetail("Table \"%s\" references table \"%s\", which references it back; "
								   "the foreign key's columns are NOT NULL and the constraint is not deferrable, "
								   "so the rows can only be loaded with session_replication_role = replica, "
								   "which the current role may not set.",
								   sk_message_name(d->name), sk_message_name(ref->table)),
						 errhint("Make the constraint DEFERRABLE, allow NULL in its columns, "
								 "or restore as a role granted SET ON PARAMETER session_replication_role.")));
			ReleaseSysCache(tup);
		}
	}
}

/*
 * sk_text_array
 *		A text[] datum of n C strings (NULL entries become nulls).
 */
static Datum
sk_text_array(char **strs, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * (n + 1));
	bool	   *nulls = palloc(sizeof(bool) * (n + 1));
	int			dims[1] = {n};
	int			lbs[1] = {1};
	int			i;

	for (i = 0; i < n; i++)
	{
		nulls[i] = strs[i] == NULL;
		elems[i] = nulls[i] ? (Datum) 0 : CStringGetTextDatum(strs[i]);
	}
	return PointerGetDatum(construct_md_array(elems, nulls, 1, dims, lbs,
											  TEXTOID, -1, false, TYPALIGN_INT));
}

/*
 * sk_fill_after
 *		Fill in the columns of one "after" reference with one set-based
 *		UPDATE matching the rows by key.
 */
void
sk_fill_after(SkTarget *t, SkAfterFill *fill)
{
	SkDocTable *d = t->doc;
	SkDocRef   *ref = &d->refs[fill->ref];
	int			nrows = list_length(fill->rows);
	int			nparams = d->nkey + ref->ncols;
	StringInfoData sql;
	Oid		   *argtypes;
	Datum	   *args;
	char	  **column;
	int			p,
				r;
	ListCell   *lc;

	if (nrows == 0)
		return;
	argtypes = palloc(sizeof(Oid) * nparams);
	args = palloc(sizeof(Datum) * nparams);
	column = palloc(sizeof(char *) * nrows);
	for (p = 0; p < nparams; p++)
	{
		r = 0;
		foreach(lc, fill->rows)
			column[r++] = ((char **) lfirst(lc))[p];
		argtypes[p] = TEXTARRAYOID;
		args[p] = sk_text_array(column, nrows);
	}

	initStringInfo(&sql);
	appendStringInfo(&sql, "UPDATE %s AS t SET ", sk_table_rows(t->relid));
	for (p = 0; p < ref->ncols; p++)
	{
		AttrNumber	attnum = get_attnum(t->relid, ref->columns[p]);

		appendStringInfo(&sql, "%s%s = v.c%d::%s", p > 0 ? ", " : "",
						 quote_identifier(ref->columns[p]), p + 1,
						 sk_column_type(t->relid, attnum));
	}
	appendStringInfoString(&sql, " FROM ROWS FROM (");
	for (p = 0; p < nparams; p++)
		appendStringInfo(&sql, "%spg_catalog.unnest($%d)", p > 0 ? ", " : "", p + 1);
	appendStringInfoString(&sql, ") AS v(");
	for (p = 0; p < d->nkey; p++)
		appendStringInfo(&sql, "k%d, ", p + 1);
	for (p = 0; p < ref->ncols; p++)
		appendStringInfo(&sql, "%sc%d", p > 0 ? ", " : "", p + 1);
	appendStringInfoString(&sql, ") WHERE ");
	/* runs under the caller's path (for the triggers): operators qualified */
	for (p = 0; p < d->nkey; p++)
		appendStringInfo(&sql, "%st.%s %s v.k%d::%s", p > 0 ? " AND " : "",
						 quote_identifier(d->columns[d->key[p]]),
						 sk_type_eqop(get_atttype(t->relid, t->cols[d->key[p]].attnum)),
						 p + 1, sk_column_type(t->relid, t->cols[d->key[p]].attnum));

	if (SPI_execute_with_args(sql.data, nparams, argtypes, args, NULL,
							  false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "could not fill in foreign key \"%s\"", ref->constraint);
	if (SPI_processed != (uint64) nrows)
		ereport(ERROR,
				(errcode(ERRCODE_TRIGGERED_DATA_CHANGE_VIOLATION),
				 errmsg("could not fill in foreign key \"%s\" of table \"%s\"",
						ref->constraint, sk_message_name(d->name)),
				 errdetail("%d restored rows should have been updated, but %llu were found by their key.",
						   nrows, (unsigned long long) SPI_processed),
				 errhint("A trigger may have changed the key of restored rows.")));
}

/*
 * sk_verify_fk
 *		Check foreign key conoid of relid, whose rows were loaded under
 *		session_replication_role = replica, with one anti-join using the
 *		constraint's own operators (MATCH SIMPLE or FULL as declared); raise
 *		the foreign key error naming the table, the constraint and the
 *		smallest missing key when a row fails.
 */
static void
sk_verify_fk(Oid relid, Oid conoid)
{
	HeapTuple	tup = SearchSysCache1(CONSTROID, ObjectIdGetDatum(conoid));
	Form_pg_constraint con;
	AttrNumber	conkey[INDEX_MAX_KEYS];
	AttrNumber	confkey[INDEX_MAX_KEYS];
	Oid			pf[INDEX_MAX_KEYS],
				pp[INDEX_MAX_KEYS],
				ff[INDEX_MAX_KEYS];
	int			n,
				i;
	Oid			confrelid;
	bool		full;
	char	   *conname;
	StringInfoData sql;
	StringInfoData cols;
	bool		isnull;
	int64		bad;
	char	   *key;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for constraint %u", conoid);
	con = (Form_pg_constraint) GETSTRUCT(tup);
	confrelid = con->confrelid;
	full = con->confmatchtype == FKCONSTR_MATCH_FULL;
	conname = pstrdup(NameStr(con->conname));
	DeconstructFkConstraintRow(tup, &n, conkey, confkey, pf, pp, ff, NULL, NULL);
	ReleaseSysCache(tup);

	/* the key as text, nulls shown as null (MATCH FULL reports half-null keys) */
	initStringInfo(&cols);
	for (i = 0; i < n; i++)
		appendStringInfo(&cols, "%sCOALESCE(c.%s::pg_catalog.text, 'null')",
						 i > 0 ? ", " : "", sk_quote_col(relid, conkey[i]));

	/* rows with some referencing column set (FULL) or all set (SIMPLE) */
	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT pg_catalog.count(*), pg_catalog.min(pg_catalog.concat_ws(', ', %s)) "
					 "FROM %s c WHERE (", cols.data, sk_table_rows(relid));
	for (i = 0; i < n; i++)
		appendStringInfo(&sql, "%sc.%s IS NOT NULL", i == 0 ? "" : full ? " OR " : " AND ",
						 sk_quote_col(relid, conkey[i]));
	appendStringInfoString(&sql, ") AND (");
	/* MATCH FULL: a row with some columns null and some set fails too */
	for (i = 0; i < n && full; i++)
		appendStringInfo(&sql, "c.%s IS NULL OR ", sk_quote_col(relid, conkey[i]));
	appendStringInfo(&sql, "NOT EXISTS (SELECT FROM %s p WHERE ", sk_table_rows(confrelid));
	for (i = 0; i < n; i++)
		appendStringInfo(&sql, "%sp.%s %s c.%s", i > 0 ? " AND " : "",
						 sk_quote_col(confrelid, confkey[i]), sk_opname(pf[i]),
						 sk_quote_col(relid, conkey[i]));
	appendStringInfoString(&sql, "))");
	/* not read-only: the check must see the rows just written */
	if (SPI_execute(sql.data, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not check foreign key \"%s\"", conname);
	bad = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
									  SPI_tuptable->tupdesc, 1, &isnull));
	key = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	SPI_freetuptable(SPI_tuptable);
	if (bad == 0)
		return;

	if (key == NULL)
		key = "null";
	else
		key = sk_message_value(key, -1);
	for (i = 0; i < n; i++)
		if (sk_column_flagged(relid, conkey[i]))
			key = SK_MESSAGE_HIDDEN_TEXT;
	resetStringInfo(&cols);
	for (i = 0; i < n; i++)
		appendStringInfo(&cols, "%s%s", i > 0 ? ", " : "", sk_quote_col(relid, conkey[i]));
	ereport(ERROR,
			(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
			 errmsg("insert or update on table \"%s\" violates foreign key constraint \"%s\"",
					get_rel_name(relid), conname),
			 errdetail_plural("Key (%s)=(%s) is not present in table \"%s\"; %lld row of table \"%s\" references a missing row.",
							  "Key (%s)=(%s) is not present in table \"%s\"; %lld rows of table \"%s\" reference missing rows.",
							  (unsigned long) bad,
							  cols.data, key, get_rel_name(confrelid), (long long) bad,
							  get_rel_name(relid)),
			 errhint("The table was loaded with session_replication_role = replica, which skips foreign key checks: check the document and the overrides against table \"%s\".",
					 get_rel_name(confrelid)),
			 err_generic_string(PG_DIAG_SCHEMA_NAME,
								get_namespace_name(get_rel_namespace(relid))),
			 err_generic_string(PG_DIAG_TABLE_NAME, get_rel_name(relid)),
			 err_generic_string(PG_DIAG_CONSTRAINT_NAME, conname)));
}

/*
 * sk_conname_cmp
 *		list_sort comparator: constraint OIDs by constraint name, so that
 *		the first foreign key reported does not depend on catalog order.
 */
static int
sk_conname_cmp(const ListCell *a, const ListCell *b)
{
	return strcmp(get_constraint_name(lfirst_oid(a)), get_constraint_name(lfirst_oid(b)));
}

/*
 * sk_constraint_parent_rel
 *		The table of the constraint conoid was cloned from (conparentid),
 *		or InvalidOid for a constraint declared where it is.  PostgreSQL
 *		clones a partitioned table's foreign key onto each partition, and a
 *		foreign key referencing a partitioned table onto its own table once
 *		per referenced partition (conrelid unchanged).
 */
static Oid
sk_constraint_parent_rel(Oid conoid)
{
	HeapTuple	tup = SearchSysCache1(CONSTROID, ObjectIdGetDatum(conoid));
	Oid			parent;
	Oid			result = InvalidOid;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for constraint %u", conoid);
	parent = ((Form_pg_constraint) GETSTRUCT(tup))->conparentid;
	ReleaseSysCache(tup);
	if (OidIsValid(parent))
	{
		tup = SearchSysCache1(CONSTROID, ObjectIdGetDatum(parent));
		if (!HeapTupleIsValid(tup))
			elog(ERROR, "cache lookup failed for constraint %u", parent);
		result = ((Form_pg_constraint) GETSTRUCT(tup))->conrelid;
		ReleaseSysCache(tup);
	}
	return result;
}

/*
 * sk_verify_table
 *		Check every foreign key of a target loaded under
 *		session_replication_role = replica, which fires none of them: those
 *		of the table itself and, for a partitioned table, those declared on
 *		its partitions.  A clone of a constraint of a table checked here is
 *		left out: the partitions' copies of the table's foreign keys and the
 *		per-partition copies of a foreign key referencing a partitioned
 *		table (each sees only one referenced partition) are checked through
 *		the constraint they were cloned from.  A partition restored on its
 *		own keeps the foreign keys it inherits from its parent.
 */
void
sk_verify_table(SkTarget *t)
{
	List	   *rels = list_make1_oid(t->relid);
	ListCell   *lc;
	ListCell   *fc;

	if (get_rel_relkind(t->relid) == RELKIND_PARTITIONED_TABLE)
		rels = find_all_inheritors(t->relid, NoLock, NULL);
	foreach(lc, rels)
	{
		Oid			relid = lfirst_oid(lc);
		Relation	rel = table_open(relid, NoLock);
		List	   *conoids = NIL;

		foreach(fc, RelationGetFKeyList(rel))
		{
			Oid			conoid = ((ForeignKeyCacheInfo *) lfirst(fc))->conoid;

			if (!list_member_oid(rels, sk_constraint_parent_rel(conoid)))
				conoids = lappend_oid(conoids, conoid);
		}
		table_close(rel, NoLock);
		list_sort(conoids, sk_conname_cmp);
		foreach(fc, conoids)
			sk_verify_fk(relid, lfirst_oid(fc));
	}
}
