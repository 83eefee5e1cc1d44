/*-------------------------------------------------------------------------
 *
 * citus.c
 *	  Restoring into Citus tables through the coordinator: which targets
 *	  are refused, and replace mode scoped to the tenants a document
 *	  writes.
 *
 * Rows reach the shards because load.c writes Citus tables with INSERT ...
 * SELECT (Citus routes each row to its shard); fresh keys come from the
 * coordinator's sequences as for any table.  Replace mode must not empty a
 * distributed table, which holds every tenant: it deletes the rows of the
 * tenants the document writes (their distribution column values, overrides
 * applied), referencing tables first.  Reference tables are shared by all
 * tenants and are never emptied.
 *
 * src/restore/citus.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "restore/restore.h"

/*
 * sk_citus_tenants
 *		The values of distcol t will write (as text[]), or error when the
 *		document has no such column.
 */
static Datum
sk_citus_tenants(SkTarget *t, const char *distcol)
{
	int			col = -1;
	int			i;

	for (i = 0; i < t->doc->ncols; i++)
		if (t->cols[i].attnum != InvalidAttrNumber &&
			strcmp(get_attname(t->relid, t->cols[i].attnum, false), distcol) == 0)
			col = i;
	for (i = 0; i < t->nextra && col < 0; i++)
		if (strcmp(t->extra[i].name, distcol) == 0)
			col = t->doc->ncols + i;
	if (col < 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot replace the tenants of table \"%s\"", get_rel_name(t->relid)),
				 errdetail("The document holds no values of column \"%s\", by which table \"%s\" is distributed.",
						   distcol, sk_message_name(t->qname)),
				 errhint("Restore in append mode.")));
	return sk_collect_columns(t, 1, &col, NULL, NULL, false)[0];
}

/*
 * sk_citus_delete_tenants
 *		Delete from each of rels (distributed tables) the rows whose
 *		distribution column holds one of vals[i]; tables referencing another
 *		of rels go first.
 */
static void
sk_citus_delete_tenants(List *rels, List *cols, List *vals)
{
	int			n = list_length(rels);
	bool	   *done = palloc0(sizeof(bool) * n);
	int			left = n;

	while (left > 0)
	{
		int			before = left;
		int			i;

		for (i = 0; i < n; i++)
		{
			Oid			relid = list_nth_oid(rels, i);
			Oid			argtypes[2] = {OIDOID, OIDARRAYOID};
			Datum		args[2];
			Datum	   *others = palloc(sizeof(Datum) * n);
			int			nothers = 0;
			int			j;
			char	   *sql;
			AttrNumber	attnum;

			if (done[i])
				continue;
			/* any table not yet emptied that references this one waits */
			for (j = 0; j < n; j++)
				if (!done[j] && j != i)
					others[nothers++] = ObjectIdGetDatum(list_nth_oid(rels, j));
			args[0] = ObjectIdGetDatum(relid);
			args[1] = PointerGetDatum(construct_array(others, nothers, OIDOID, sizeof(Oid),
													  true, TYPALIGN_INT));
			if (SPI_execute_with_args("SELECT FROM pg_catalog.pg_constraint"
									  " WHERE contype OPERATOR(pg_catalog.=) 'f'"
									  " AND confrelid OPERATOR(pg_catalog.=) $1"
									  " AND conrelid OPERATOR(pg_catalog.=) ANY ($2)",
									  2, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
				elog(ERROR, "could not read pg_constraint");
			if (SPI_processed > 0)
				continue;
			attnum = get_attnum(relid, (char *) list_nth(cols, i));
			sql = psprintf("DELETE FROM %s WHERE %s OPERATOR(pg_catalog.=) ANY ($1::%s[])",
						   sk_qualified_name(relid), sk_quote_col(relid, attnum),
						   sk_column_type(relid, attnum));
			{
				Oid			t[1] = {TEXTARRAYOID};
				Datum		a[1];

				a[0] = (Datum) list_nth(vals, i);
				if (SPI_execute_with_args(sql, 1, t, a, NULL, false, 0) != SPI_OK_DELETE)
					elog(ERROR, "could not delete the tenants of table \"%s\"",
						 get_rel_name(relid));
			}
			done[i] = true;
			left--;
		}
		if (left == before)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot replace the tenants of distributed tables in a foreign key cycle")));
	}
}

/*
 * sk_citus_restore_targets
 *		Check the restore's target tables against Citus and, in replace mode,
 *		delete the rows of the tenants the documents write from distributed
 *		tables.  Returns the targets that are not Citus tables (those replace
 *		mode empties with TRUNCATE).  Refuses Citus local tables and tables
 *		distributed other than by hash, and reuse of a table replace mode
 *		empties.
 *		Without Citus, one catalog lookup.  The caller is connected to SPI.
 */
List *
sk_citus_restore_targets(List *jobs, List *relids, bool replace)
{
	List	   *plain = NIL;
	List	   *rels = NIL;
	List	   *cols = NIL;
	List	   *vals = NIL;
	ListCell   *lc;

	if (relids == NIL || !sk_citus_present())
		return relids;
	sk_refuse_distributed(sk_citus_unsupported(relids));
	foreach(lc, relids)
	{
		Oid			relid = lfirst_oid(lc);
		int			colocation;
		char	   *distcol = NULL;
		char		kind = sk_citus_table(relid, &colocation, &distcol);
		ListCell   *lj;

		if (kind == '\0')
			plain = lappend_oid(plain, relid);
		if (!replace || kind == 'r')
			continue;
		foreach(lj, jobs)
		{
			SkJob	   *job = (SkJob *) lfirst(lj);
			int			i;

			for (i = 0; i < job->doc->ntables; i++)
				if (job->targets[i].relid == relid && job->targets[i].nmatch > 0)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("reuse cannot be combined with replace mode for table \"%s\"",
									get_rel_name(relid)),
							 errdetail("Replace mode empties table \"%s\" (of the document's tenants) first, so no row is left to reuse.",
									   sk_message_name(job->targets[i].qname)),
							 errhint("Reuse only reference tables in replace mode, or restore in append or merge mode.")));
		}
		if (kind == '\0')
			continue;
		foreach(lj, jobs)
		{
			SkJob	   *job = (SkJob *) lfirst(lj);
			int			i;

			for (i = 0; i < job->doc->ntables; i++)
				if (job->targets[i].relid == relid)
				{
					rels = lappend_oid(rels, relid);
					cols = lappend(cols, distcol);
					vals = lappend(vals, DatumGetPointer(sk_citus_tenants(&job->targets[i], distcol)));
				}
		}
	}
	if (rels != NIL)
		sk_citus_delete_tenants(rels, cols, vals);
	return plain;
}
