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
#include "access/xact.h"
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
#include "utils/resowner.h"
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
 * sk_fill_sql
 *		The UPDATE filling in the columns of one "after" reference of t from
 *		text arrays: the rows' key values, then the columns' values.
 */
static char *
sk_fill_sql(SkTarget *t, SkDocRef *ref)
{
	SkDocTable *d = t->doc;
	int			nparams = d->nkey + ref->ncols;
	StringInfoData sql;
	int			p;

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
	return sql.data;
}

/*
 * sk_fill_run
 *		Run the fill statement sql over the first nrows rows of fill (of
 *		nparams values each) in a subtransaction, kept when keep and it
 *		succeeds, else rolled back.  Returns NULL on success (*processed set
 *		to the rows updated), else the error, caught and flushed.  The
 *		caller is connected to SPI.
 */
static ErrorData *
sk_fill_run(const char *sql, SkAfterFill *fill, int nparams, int nrows,
			bool keep, uint64 *processed)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	ErrorData  *volatile edata = NULL;
	Oid		   *argtypes = palloc(sizeof(Oid) * (nparams + 1));
	Datum	   *args = palloc(sizeof(Datum) * (nparams + 1));
	char	  **column = palloc(sizeof(char *) * (nrows + 1));
	int			p,
				r;
	ListCell   *lc;

	for (p = 0; p < nparams; p++)
	{
		r = 0;
		foreach(lc, fill->rows)
		{
			if (r == nrows)
				break;
			column[r++] = ((char **) lfirst(lc))[p];
		}
		argtypes[p] = TEXTARRAYOID;
		args[p] = sk_text_array(column, nrows);
	}

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		if (SPI_execute_with_args(sql, nparams, argtypes, args, NULL,
								  false, 0) != SPI_OK_UPDATE)
			elog(ERROR, "could not run the statement filling in a foreign key");
		*processed = SPI_processed;
		if (keep)
			ReleaseCurrentSubTransaction();
		else
			RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
	}
	PG_END_TRY();
	return edata;
}

/*
 * sk_fill_error
 *		Re-raise error edata of the fill of ref in t, naming the table, the
 *		foreign key and the document row (rowno, NULL when not found), with
 *		the quoted values cut (sk_message_text, sk_message_key_detail), or
 *		hidden where they may be flagged ones: the values written (the
 *		reference's columns) when one of them is flagged, any value of
 *		another constraint's detail or of a whole row when a column of the
 *		table is.
 */
static void
sk_fill_error(SkTarget *t, SkDocRef *ref, ErrorData *edata, const char *rowno)
{
	const char *tname = sk_message_name(t->doc->name);
	bool		anyflagged = false;
	bool		refflagged = false;
	bool		own;
	char	   *text;
	int			c;

	for (c = 0; c < t->doc->ncols; c++)
		if (t->cols[c].flagged)
			anyflagged = true;
	for (c = 0; c < ref->ncols; c++)
	{
		int			i = sk_column_index(t->doc, ref->columns[c]);

		if (i >= 0 && t->cols[i].flagged)
			refflagged = true;
	}
	own = edata->constraint_name != NULL &&
		strcmp(edata->constraint_name, ref->constraint) == 0;
	if (edata->sqlerrcode == ERRCODE_UNIQUE_VIOLATION ||
		edata->sqlerrcode == ERRCODE_FOREIGN_KEY_VIOLATION ||
		edata->sqlerrcode == ERRCODE_EXCLUSION_VIOLATION)
		text = edata->detail == NULL ? psprintf("%s.", sk_message_text(edata->message)) :
			psprintf("%s: %s", sk_message_text(edata->message),
					 sk_message_key_detail(edata->detail,
										   refflagged || (anyflagged && !own)));
	else if (refflagged || (anyflagged && edata->detail != NULL))
		text = pstrdup("The values are not shown: a column of the table is flagged as personal data.");
	else
		text = edata->detail == NULL ? psprintf("%s.", sk_message_text(edata->message)) :
			psprintf("%s: %s", sk_message_text(edata->message),
					 sk_message_cut(edata->detail, -1, SK_MESSAGE_TEXT_MAX));
	if (rowno != NULL)
		ereport(ERROR,
				(errcode(edata->sqlerrcode),
				 errmsg("could not fill in foreign key \"%s\" of row %s of table \"%s\"",
						ref->constraint, rowno, tname),
				 errdetail("%s", text),
				 errhint("The foreign key closes a cycle, so its columns are filled in once every table is loaded: "
						 "correct the row in the document or its override, or restore into a matching schema."),
				 edata->constraint_name ?
				 err_generic_string(PG_DIAG_CONSTRAINT_NAME, edata->constraint_name) : 0));
	ereport(ERROR,
			(errcode(edata->sqlerrcode),
			 errmsg("could not fill in foreign key \"%s\" of table \"%s\"",
					ref->constraint, tname),
			 errdetail("%s", text),
			 edata->constraint_name ?
			 err_generic_string(PG_DIAG_CONSTRAINT_NAME, edata->constraint_name) : 0));
}

/*
 * sk_fill_after
 *		Fill in the columns of one "after" reference with one set-based
 *		UPDATE matching the rows by key, in a subtransaction.  When it
 *		fails, the first row it fails at is found by running it again over
 *		ever shorter leading runs of the rows (a binary search, each run
 *		rolled back), and the error is raised again naming that row.
 */
void
sk_fill_after(SkTarget *t, SkAfterFill *fill)
{
	SkDocTable *d = t->doc;
	SkDocRef   *ref = &d->refs[fill->ref];
	int			nrows = list_length(fill->rows);
	int			nparams = d->nkey + ref->ncols;
	char	   *sql;
	ErrorData  *edata;
	uint64		processed = 0;
	int			lo,
				hi;

	if (nrows == 0)
		return;
	sql = sk_fill_sql(t, ref);
	edata = sk_fill_run(sql, fill, nparams, nrows, true, &processed);
	if (edata != NULL)
	{
		if (edata->sqlerrcode == ERRCODE_QUERY_CANCELED)
			ReThrowError(edata);

		/* the shortest leading run that fails: lo rows pass, hi fail */
		lo = 0;
		hi = nrows;
		while (hi - lo > 1)
		{
			int			mid = lo + (hi - lo) / 2;
			ErrorData  *probe;

			CHECK_FOR_INTERRUPTS();
			probe = sk_fill_run(sql, fill, nparams, mid, false, &processed);
			if (probe == NULL)
				lo = mid;
			else
			{
				hi = mid;
				edata = probe;
			}
		}
		sk_fill_error(t, ref, edata,
					  ((char **) list_nth(fill->rows, hi - 1))[nparams]);
	}
	if (processed != (uint64) nrows)
		ereport(ERROR,
				(errcode(ERRCODE_TRIGGERED_DATA_CHANGE_VIOLATION),
				 errmsg("could not fill in foreign key \"%s\" of table \"%s\"",
						ref->constraint, sk_message_name(d->name)),
				 errdetail("%d restored rows should have been updated, but %llu were found by their key.",
						   nrows, (unsigned long long) processed),
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
	/*
	 * IS DISTINCT FROM NULL tests the value, as the trigger does: a value of
	 * a row type with a null field IS NULL to SQL
	 */
	for (i = 0; i < n; i++)
		appendStringInfo(&sql, "%sc.%s IS DISTINCT FROM NULL", i == 0 ? "" : full ? " OR " : " AND ",
						 sk_quote_col(relid, conkey[i]));
	appendStringInfoString(&sql, ") AND (");
	/* MATCH FULL: a row with some columns null and some set fails too */
	for (i = 0; i < n && full; i++)
		appendStringInfo(&sql, "c.%s IS NOT DISTINCT FROM NULL OR ", sk_quote_col(relid, conkey[i]));
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
