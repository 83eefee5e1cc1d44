/*-------------------------------------------------------------------------
 *
 * relations.c
 *	  Restore's check of the relations declared with seedkit_relate: no
 *	  constraint checks them, so once the rows are written, every restored
 *	  row of a child table whose relation the document lists among its
 *	  references must find its parent row, as a foreign key would demand.
 *
 * src/restore/relations.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "restore/restore.h"

/*
 * sk_relation_of
 *		The relation declared in this database that a document reference of
 *		target t names (same name, same child table, the same columns in
 *		the same order), or NULL.
 */
static SkRelation *
sk_relation_of(List *relations, SkTarget *t, SkDocRef *ref, Oid parent)
{
	ListCell   *lc;

	foreach(lc, relations)
	{
		SkRelation *r = (SkRelation *) lfirst(lc);
		int			k;
		bool		same;

		if (strcmp(r->name, ref->constraint) != 0 || r->relid != t->relid ||
			r->refrelid != parent || r->nkeys != ref->ncols)
			continue;
		same = true;
		for (k = 0; k < r->nkeys && same; k++)
			same = strcmp(get_attname(r->relid, r->attnums[k], false), ref->columns[k]) == 0 &&
				strcmp(get_attname(r->refrelid, r->refattnums[k], false), ref->key[k]) == 0;
		if (same)
			return r;
	}
	return NULL;
}

/*
 * sk_written_xids
 *		The transaction ids restore's rows carry as xmin: the current
 *		(sub)transaction's and those of the subtransactions committed into
 *		it (restore inside a savepoint or a PL/pgSQL exception block writes
 *		under a subtransaction's id, not the top-level one).  An xid[].
 */
static Datum
sk_written_xids(void)
{
	TransactionId *children;
	int			nchildren = xactGetCommittedChildren(&children);
	TransactionId current = GetCurrentTransactionIdIfAny();
	Datum	   *elems = palloc(sizeof(Datum) * (nchildren + 1));
	int			n = 0;
	int			i;

	if (TransactionIdIsValid(current))
		elems[n++] = TransactionIdGetDatum(current);
	for (i = 0; i < nchildren; i++)
		elems[n++] = TransactionIdGetDatum(children[i]);
	return PointerGetDatum(construct_array(elems, n, XIDOID, sizeof(TransactionId),
										   true, TYPALIGN_INT));
}

/*
 * sk_check_relation
 *		Count the rows of the child table written by restore (xmin one of
 *		xids, sk_written_xids) whose columns of relation r are all set (and
 *		match its condition) and name no row of the parent table; an error
 *		when there is one.
 */
static void
sk_check_relation(SkTarget *t, SkRelation *r, Datum xids)
{
	StringInfoData sql;
	int			k;
	bool		isnull;
	int64		bad;
	Oid			argtypes[1] = {XIDARRAYOID};
	Datum		values[1];

	values[0] = xids;
	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT pg_catalog.count(*) FROM %s x "
					 "WHERE x.xmin OPERATOR(pg_catalog.=) ANY ($1)",
					 sk_table_rows(r->relid));
	for (k = 0; k < r->nkeys; k++)
		appendStringInfo(&sql, " AND x.%s IS NOT NULL", sk_quote_col(r->relid, r->attnums[k]));
	if (r->condition != NULL)
		appendStringInfo(&sql, " AND (SELECT (%s\n) FROM (SELECT x.*) c)", r->condition);
	appendStringInfo(&sql, " AND NOT EXISTS (SELECT FROM %s p WHERE ", sk_table_rows(r->refrelid));
	for (k = 0; k < r->nkeys; k++)
		appendStringInfo(&sql, "%sp.%s %s x.%s", k > 0 ? " AND " : "",
						 sk_quote_col(r->refrelid, r->refattnums[k]),
						 sk_type_eqop(get_atttype(r->refrelid, r->refattnums[k])),
						 sk_quote_col(r->relid, r->attnums[k]));
	appendStringInfoChar(&sql, ')');
	/* not read-only: a new snapshot sees the rows just written */
	if (SPI_execute_with_args(sql.data, 1, argtypes, values, NULL, false, 0) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "could not check relation \"%s\"", r->name);
	bad = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (bad > 0)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("restored rows of table \"%s\" reference missing rows of table \"%s\"",
						t->doc->name, sk_message_name(sk_qualified_name(r->refrelid))),
				 errdetail_plural("%lld row references through relation \"%s\" a row that table \"%s\" does not hold.",
								  "%lld rows reference through relation \"%s\" rows that table \"%s\" does not hold.",
								  bad, (long long) bad, r->name, sk_message_name(sk_qualified_name(r->refrelid))),
				 errhint("No constraint checks a relation declared with seedkit_relate: restore the referenced rows too, or remove the relation with seedkit_unrelate.")));
}

/*
 * sk_check_relations
 *		After a document's rows are written: check each of its references
 *		that is a relation declared here (seedkit.relations) and that no
 *		foreign key constraint checks, over the rows restore wrote into the
 *		child table (under the current subtransaction or one committed into
 *		it).
 */
void
sk_check_relations(SkJob *job)
{
	List	   *relations = sk_relations();
	Datum		xids;
	int			i,
				j;

	if (relations == NIL)
		return;
	xids = sk_written_xids();
	for (i = 0; i < job->doc->ntables; i++)
	{
		SkTarget   *t = &job->targets[i];

		for (j = 0; j < t->doc->nrefs; j++)
		{
			SkDocRef   *ref = &t->doc->refs[j];
			SkTarget   *p = sk_find_target(job, ref->table);
			SkRelation *r;

			if (p == NULL)
				continue;
			r = sk_relation_of(relations, t, ref, p->relid);
			if (r != NULL)
				sk_check_relation(t, r, xids);
		}
	}
}
