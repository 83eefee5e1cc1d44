/*-------------------------------------------------------------------------
 *
 * load.c
 *	  Bulk load of one document table through PostgreSQL's COPY machinery.
 *
 * BeginCopyFrom reads from a data-source callback that turns document rows
 * into lines of COPY's text format (one line per row, so COPY's line number
 * is the document row number), remapping reset keys and foreign keys and
 * applying overrides on the way.  COPY does the rest as for COPY FROM:
 * input functions, defaults for absent columns, partition routing,
 * constraints, indexes, triggers, batched inserts.  A table under row-level
 * security, which COPY FROM refuses, gets the same rows through one
 * INSERT ... SELECT over per-column text arrays instead.
 *
 * src/restore/load.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_type.h"
#include "commands/copy.h"
#include "commands/copyfrom_internal.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "parser/parse_relation.h"
#include "tcop/utility.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "restore/restore.h"

/* Produce about this much COPY text per refill. */
#define SK_FEED_CHUNK 65536

/* Longest document value quoted in an error, in bytes. */
#define SK_QUOTED_VALUE_MAX 32

/* State of the data source of one COPY. */
typedef struct SkFeed
{
	SkTarget   *t;
	SkRowIter	it;
	SkVal	   *vals;
	StringInfoData buf;			/* COPY text not yet handed over */
	int			pos;			/* first byte of buf not handed over */
	bool		done;
	bool		in_callback;	/* an ERROR now is ours, not COPY's */
	MemoryContext rowcxt;		/* per refill */
	MemoryContext keepcxt;		/* values kept for "after" updates */
	List	  **columns;		/* INSERT mode: per column, its values */
	bool	   *keep;			/* INSERT mode: only these columns, or NULL */
	bool		no_fills;		/* keep nothing for the "after" updates */
	int64	   *rowof;			/* rows skipped: document row of COPY line */
	int64		nlines;
} SkFeed;

/*
 * The COPY data-source callback has no argument for state: this points at
 * the feed of the COPY in progress.  A trigger of the table being loaded may
 * call restore again, which loads another table while this COPY waits: each
 * sk_copy_table puts back the feed it found, on error too.
 */
static SkFeed *sk_feed = NULL;


/*
 * sk_mapped
 *		The new key for column col of the current row when its ordinal is
 *		remapped, or NULL when the document value stands as it is.
 */
static const char *
sk_mapped(SkFeed *f, int col)
{
	SkColPlan  *cp = &f->t->cols[col];
	SkVal	   *v = &f->vals[col];
	int64		ord;

	if (cp->map == NULL || v->kind == SK_VAL_NULL)
		return NULL;
	if (!sk_val_int64(v, &ord) || ord < 1 || ord > cp->map->n)
	{
		/* the value as written, cut to a readable length */
		int			len = v->len > SK_QUOTED_VALUE_MAX ?
			pg_mbcliplen(v->text, v->len, SK_QUOTED_VALUE_MAX) : v->len;

		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("row %lld of table \"%s\" references a row that is not in the snapshot",
						(long long) f->it.rowno, f->t->doc->name),
				 errdetail("Column \"%s\" holds %.*s%s, but table \"%s\" has no row with that ordinal.",
						   f->t->doc->columns[col], len, v->text,
						   len < v->len ? "..." : "", cp->maptable),
				 errhint("Take the snapshot again, or correct the document.")));
	}
	return cp->map->keys[ord - 1];
}

/*
 * sk_text_of
 *		Column col of the current row as the target will hold it (NULL for
 *		SQL null), allocated in the current memory context.
 */
static char *
sk_text_of(SkFeed *f, int col)
{
	const char *m = sk_mapped(f, col);

	return m ? pstrdup(m) : sk_val_text(&f->vals[col]);
}

/*
 * sk_row_key
 *		The current row's key as overrides name it: its key values as the
 *		document writes them (ordinals for reset keys), comma separated.
 */
static char *
sk_row_key(SkFeed *f)
{
	SkDocTable *d = f->t->doc;
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < d->nkey; i++)
	{
		char	   *s = sk_val_text(&f->vals[d->key[i]]);

		if (i > 0)
			appendStringInfoChar(&buf, ',');
		appendStringInfoString(&buf, s ? s : "null");
	}
	return buf.data;
}

/*
 * sk_emit_text
 *		Column i of the current row is the C string text (NULL: SQL null):
 *		append it as a COPY field, or keep it (INSERT mode).
 */
static void
sk_emit_text(SkFeed *f, int i, const char *text)
{
	if (f->columns != NULL)
	{
		if (f->keep == NULL || f->keep[i])
			f->columns[i] = lappend(f->columns[i],
									text ? MemoryContextStrdup(f->keepcxt, text) : NULL);
		return;
	}
	if (text == NULL)
		appendBinaryStringInfoNT(&f->buf, "\\N", 2);
	else
		sk_copy_field(&f->buf, text, strlen(text));
}

/*
 * sk_emit_val
 *		Column i of the current row is document value val, as sk_emit_text.
 */
static void
sk_emit_val(SkFeed *f, int i, const SkVal *val)
{
	if (f->columns != NULL)
	{
		MemoryContext old;

		if (f->keep != NULL && !f->keep[i])
			return;
		old = MemoryContextSwitchTo(f->keepcxt);
		f->columns[i] = lappend(f->columns[i], sk_val_text(val));
		MemoryContextSwitchTo(old);
		return;
	}
	sk_val_append_copy(&f->buf, val);
}

/*
 * sk_feed_row
 *		Append the current row to the feed's buffer as one COPY line, and
 *		keep what the "after" updates need.
 */
static void
sk_feed_row(SkFeed *f)
{
	SkTarget   *t = f->t;
	SkDocTable *d = t->doc;
	StringInfo	out = &f->buf;
	SkKeyOverride *ko = NULL;
	ListCell   *lc;
	int			i,
				j;

	if (t->keyed != NIL)
	{
		char	   *key = sk_row_key(f);

		foreach(lc, t->keyed)
		{
			SkKeyOverride *k = (SkKeyOverride *) lfirst(lc);

			if (strcmp(k->key, key) == 0)
			{
				ko = k;
				ko->matched = true;
				break;
			}
		}
	}

	for (i = 0; i < d->ncols + t->nextra; i++)
	{
		bool		done = false;

		if (i > 0 && f->columns == NULL)
			appendStringInfoChar(out, '\t');
		if (ko != NULL)
		{
			for (j = 0; j < ko->ncols; j++)
			{
				int			c = ko->cols[j] >= 0 ? ko->cols[j] : d->ncols + (-1 - ko->cols[j]);

				if (c == i)
				{
					sk_emit_text(f, i, ko->values[j]);
					done = true;
					break;
				}
			}
			if (done)
				continue;
		}
		if (i >= d->ncols)
			sk_emit_text(f, i, t->extra[i - d->ncols].override);
		else if (t->cols[i].has_override)
			sk_emit_text(f, i, t->cols[i].override);
		else if (t->cols[i].written_null)
			sk_emit_text(f, i, NULL);
		else
		{
			const char *m = sk_mapped(f, i);

			if (m != NULL)
				sk_emit_text(f, i, m);
			else
				sk_emit_val(f, i, &f->vals[i]);
		}
	}
	if (f->columns == NULL)
		appendStringInfoChar(out, '\n');

	/* values for the "after" updates: the row's key, then the columns */
	foreach(lc, f->no_fills ? NIL : t->fills)
	{
		SkAfterFill *fill = (SkAfterFill *) lfirst(lc);
		SkDocRef   *ref = &d->refs[fill->ref];
		MemoryContext old;
		char	  **vals;
		bool		any = false;

		for (j = 0; j < ref->ncols; j++)
		{
			for (i = 0; i < d->ncols; i++)
				if (strcmp(d->columns[i], ref->columns[j]) == 0)
					break;
			if (f->vals[i].kind != SK_VAL_NULL)
				any = true;
		}
		if (!any)
			continue;
		old = MemoryContextSwitchTo(f->keepcxt);
		vals = palloc(sizeof(char *) * (d->nkey + ref->ncols));
		for (j = 0; j < d->nkey; j++)
			vals[j] = sk_text_of(f, d->key[j]);
		for (j = 0; j < ref->ncols; j++)
		{
			for (i = 0; i < d->ncols; i++)
				if (strcmp(d->columns[i], ref->columns[j]) == 0)
					break;
			vals[d->nkey + j] = sk_text_of(f, i);
		}
		fill->rows = lappend(fill->rows, vals);
		MemoryContextSwitchTo(old);
	}
}

/*
 * sk_copy_source
 *		COPY's data source: hands over COPY text, producing more rows when
 *		the buffer is empty.  Returns 0 at the end.
 */
static int
sk_copy_source(void *outbuf, int minread, int maxread)
{
	SkFeed	   *f = sk_feed;
	int			n;

	f->in_callback = true;
	if (f->pos >= f->buf.len)
	{
		MemoryContext old;

		resetStringInfo(&f->buf);
		f->pos = 0;
		MemoryContextReset(f->rowcxt);
		old = MemoryContextSwitchTo(f->rowcxt);
		while (!f->done && f->buf.len < SK_FEED_CHUNK)
		{
			CHECK_FOR_INTERRUPTS();
			if (!sk_rows_next(&f->it, f->vals))
				f->done = true;
			else if (f->t->skip == NULL)
				sk_feed_row(f);
			else if (!f->t->skip[f->it.rowno])
			{
				/* reused rows are left out: keep the row of each line */
				f->rowof[++f->nlines] = f->it.rowno;
				sk_feed_row(f);
			}
		}
		sk_progress_tick(f->t->progress, f->t->qname, f->it.rowno);
		MemoryContextSwitchTo(old);
	}
	n = Min(f->buf.len - f->pos, maxread);
	memcpy(outbuf, f->buf.data + f->pos, n);
	f->pos += n;
	f->in_callback = false;
	return n;
}

/*
 * sk_copy_error
 *		Re-raise an ERROR from inside COPY so that it names the document
 *		row and table; foreign key errors (raised at the end of the table,
 *		not at a row) and our own errors pass unchanged.
 */
static void
sk_copy_error(SkFeed *f, CopyFromState cstate, MemoryContext cxt)
{
	ErrorData  *edata;
	uint64		lineno = cstate->cur_lineno;
	const char *attname = cstate->cur_attname;
	const char *tname = f->t->doc->name;

	MemoryContextSwitchTo(cxt);
	if (f->in_callback)
		PG_RE_THROW();
	if (f->rowof != NULL && lineno >= 1 && lineno <= (uint64) f->nlines)
		lineno = f->rowof[lineno];
	edata = CopyErrorData();
	if (edata->sqlerrcode == ERRCODE_FOREIGN_KEY_VIOLATION ||
		edata->sqlerrcode == ERRCODE_QUERY_CANCELED ||
		lineno == 0)
		PG_RE_THROW();
	FlushErrorState();

	if (edata->sqlerrcode == ERRCODE_UNIQUE_VIOLATION)
		ereport(ERROR,
				(errcode(edata->sqlerrcode),
				 errmsg("row %llu of table \"%s\" conflicts with an existing row",
						(unsigned long long) lineno, tname),
				 errdetail("%s", edata->detail ? edata->detail : edata->message),
				 errhint("Restore in replace mode, or remove the conflicting rows first."),
				 edata->constraint_name ?
				 err_generic_string(PG_DIAG_CONSTRAINT_NAME, edata->constraint_name) : 0));
	else if (attname != NULL)
		ereport(ERROR,
				(errcode(edata->sqlerrcode),
				 errmsg("could not restore row %llu of table \"%s\"",
						(unsigned long long) lineno, tname),
				 errdetail("Column \"%s\": %s.", attname, edata->message),
				 errhint("The target column's type may have changed since the snapshot was taken.")));
	else
		ereport(ERROR,
				(errcode(edata->sqlerrcode),
				 errmsg("could not restore row %llu of table \"%s\"",
						(unsigned long long) lineno, tname),
				 edata->detail ?
				 errdetail("%s: %s", edata->message, edata->detail) :
				 errdetail("%s.", edata->message)));
}

/*
 * sk_insert_context
 *		Error context for the INSERT path: which table.
 */
static void
sk_insert_context(void *arg)
{
	errcontext("restoring table \"%s\" with INSERT (row-level security)", (const char *) arg);
}

/*
 * sk_insert_table
 *		Load the rows of t with one INSERT ... SELECT over text arrays (one
 *		per column, cast to the column's type): the path for tables under
 *		row-level security, which COPY FROM refuses.  Policies, triggers and
 *		constraints apply as to any INSERT.  Returns the rows written.  The
 *		caller is connected to SPI.
 */
static uint64
sk_insert_table(SkTarget *t)
{
	MemoryContext cxt = CurrentMemoryContext;
	SkDocTable *d = t->doc;
	int			ncols = d->ncols + t->nextra;
	SkFeed		feed;
	StringInfoData sql;
	Oid		   *argtypes;
	Datum	   *args;
	bool		always = false;
	ErrorContextCallback errcb;
	int			i;

	memset(&feed, 0, sizeof(feed));
	feed.t = t;
	feed.vals = palloc(sizeof(SkVal) * (d->ncols + 1));
	feed.rowcxt = AllocSetContextCreate(cxt, "seedkit restore rows",
										ALLOCSET_DEFAULT_SIZES);
	feed.keepcxt = cxt;
	feed.columns = palloc0(sizeof(List *) * (ncols + 1));
	sk_rows_begin(&feed.it, d);
	while (sk_rows_next(&feed.it, feed.vals))
	{
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		if (t->skip != NULL && t->skip[feed.it.rowno])
			continue;
		MemoryContextReset(feed.rowcxt);
		old = MemoryContextSwitchTo(feed.rowcxt);
		sk_feed_row(&feed);
		MemoryContextSwitchTo(old);
	}
	MemoryContextDelete(feed.rowcxt);
	if (feed.it.rowno == 0 || ncols == 0 || feed.columns[0] == NIL)
		return 0;

	argtypes = palloc(sizeof(Oid) * ncols);
	args = palloc(sizeof(Datum) * ncols);
	initStringInfo(&sql);
	appendStringInfo(&sql, "INSERT INTO %s (", t->qname);
	for (i = 0; i < ncols; i++)
	{
		AttrNumber	attnum = i < d->ncols ? t->cols[i].attnum : t->extra[i - d->ncols].attnum;
		char	   *name = i < d->ncols ? d->columns[i] : t->extra[i - d->ncols].name;
		Datum	   *elems = palloc(sizeof(Datum) * (feed.it.rowno + 1));
		bool	   *nulls = palloc(sizeof(bool) * (feed.it.rowno + 1));
		int			dims[1];
		int			lbs[1] = {1};
		int			n = 0;
		ListCell   *lc;
		HeapTuple	atup;

		appendStringInfo(&sql, "%s%s", i > 0 ? ", " : "", quote_identifier(name));
		atup = SearchSysCache2(ATTNUM, ObjectIdGetDatum(t->relid), Int16GetDatum(attnum));
		if (HeapTupleIsValid(atup))
		{
			if (((Form_pg_attribute) GETSTRUCT(atup))->attidentity == ATTRIBUTE_IDENTITY_ALWAYS)
				always = true;
			ReleaseSysCache(atup);
		}
		foreach(lc, feed.columns[i])
		{
			nulls[n] = lfirst(lc) == NULL;
			elems[n] = nulls[n] ? (Datum) 0 : CStringGetTextDatum((char *) lfirst(lc));
			n++;
		}
		dims[0] = n;
		argtypes[i] = TEXTARRAYOID;
		args[i] = PointerGetDatum(construct_md_array(elems, nulls, 1, dims, lbs,
													 TEXTOID, -1, false, TYPALIGN_INT));
	}
	appendStringInfo(&sql, ")%s SELECT ", always ? " OVERRIDING SYSTEM VALUE" : "");
	for (i = 0; i < ncols; i++)
	{
		AttrNumber	attnum = i < d->ncols ? t->cols[i].attnum : t->extra[i - d->ncols].attnum;

		appendStringInfo(&sql, "%sv.c%d::%s", i > 0 ? ", " : "", i + 1,
						 sk_column_type(t->relid, attnum));
	}
	appendStringInfoString(&sql, " FROM ROWS FROM (");
	for (i = 0; i < ncols; i++)
		appendStringInfo(&sql, "%spg_catalog.unnest($%d)", i > 0 ? ", " : "", i + 1);
	appendStringInfoString(&sql, ") AS v(");
	for (i = 0; i < ncols; i++)
		appendStringInfo(&sql, "%sc%d", i > 0 ? ", " : "", i + 1);
	appendStringInfoChar(&sql, ')');

	errcb.callback = sk_insert_context;
	errcb.arg = d->name;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;
	if (SPI_execute_with_args(sql.data, ncols, argtypes, args, NULL,
							  false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not insert the rows of table \"%s\"", t->qname);
	error_context_stack = errcb.previous;
	return SPI_processed;
}

/*
 * sk_collect_columns
 *		The values of document columns cols (indexes past the document's
 *		columns are override columns) of every row of t, or of the rows
 *		marked in rows (by row number) when it is not NULL, as the target
 *		will hold them (keys remapped, overrides applied): one text[] per
 *		column, in row order.  Unless ordinals is NULL, ordinals[r]
 *		(allocated here, indexed by row number) gets each row's ordinal in
 *		reset column r, 0 when it has none.  With fills, what the "after"
 *		updates of cycles need is kept for these rows, as a load keeps it
 *		(for rows written by the caller instead of the load).
 */
Datum *
sk_collect_columns(SkTarget *t, int ncols, const int *cols, const bool *rows,
				   int64 **ordinals, bool fills)
{
	SkDocTable *d = t->doc;
	SkFeed		feed;
	Datum	   *result = palloc(sizeof(Datum) * (ncols + 1));
	int			i,
				r;

	memset(&feed, 0, sizeof(feed));
	feed.t = t;
	feed.vals = palloc(sizeof(SkVal) * (d->ncols + 1));
	feed.rowcxt = AllocSetContextCreate(CurrentMemoryContext, "seedkit reuse rows",
										ALLOCSET_DEFAULT_SIZES);
	feed.keepcxt = CurrentMemoryContext;
	feed.columns = palloc0(sizeof(List *) * (d->ncols + t->nextra + 1));
	feed.keep = palloc0(sizeof(bool) * (d->ncols + t->nextra + 1));
	feed.no_fills = !fills;
	for (i = 0; i < ncols; i++)
		feed.keep[cols[i]] = true;
	for (r = 0; r < d->nreset && ordinals != NULL; r++)
		ordinals[r] = palloc0(sizeof(int64) * (d->nrows + 1));
	sk_rows_begin(&feed.it, d);
	while (sk_rows_next(&feed.it, feed.vals))
	{
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		if (rows != NULL && (feed.it.rowno > d->nrows || !rows[feed.it.rowno]))
			continue;
		for (r = 0; r < d->nreset && ordinals != NULL; r++)
		{
			int64		ord;

			if (feed.it.rowno <= d->nrows &&
				sk_val_int64(&feed.vals[d->reset[r]], &ord))
				ordinals[r][feed.it.rowno] = ord;
		}
		MemoryContextReset(feed.rowcxt);
		old = MemoryContextSwitchTo(feed.rowcxt);
		sk_feed_row(&feed);
		MemoryContextSwitchTo(old);
	}
	MemoryContextDelete(feed.rowcxt);

	for (i = 0; i < ncols; i++)
	{
		List	   *vals = feed.columns[cols[i]];
		Datum	   *elems = palloc(sizeof(Datum) * (list_length(vals) + 1));
		bool	   *nulls = palloc(sizeof(bool) * (list_length(vals) + 1));
		int			dims[1];
		int			lbs[1] = {1};
		int			n = 0;
		ListCell   *lc;

		foreach(lc, vals)
		{
			nulls[n] = lfirst(lc) == NULL;
			elems[n] = nulls[n] ? (Datum) 0 : CStringGetTextDatum((char *) lfirst(lc));
			n++;
		}
		dims[0] = n;
		result[i] = PointerGetDatum(construct_md_array(elems, nulls, 1, dims, lbs,
													   TEXTOID, -1, false, TYPALIGN_INT));
	}
	return result;
}

/*
 * sk_copy_table
 *		Load the rows of document table t into its target through COPY;
 *		returns the number of rows written.  The caller holds no lock;
 *		RowExclusiveLock is taken as COPY FROM takes it.
 */
uint64
sk_copy_table(SkTarget *t)
{
	MemoryContext cxt = CurrentMemoryContext;
	SkDocTable *d = t->doc;
	Relation	rel;
	ParseState *pstate;
	ParseNamespaceItem *nsitem;
	RangeTblEntry *rte;
	List	   *attnames = NIL;
	List	   *options;
	CopyFromState cstate;
	SkFeed		feed;
	SkFeed	   *outer = sk_feed;
	uint64		processed = 0;
	int			i;

	rel = table_open(t->relid, RowExclusiveLock);
	if (XactReadOnly && !rel->rd_islocaltemp)
		PreventCommandIfReadOnly("seedkit_restore()");

	/* permissions as COPY FROM checks them, for the columns written */
	pstate = make_parsestate(NULL);
	nsitem = addRangeTableEntryForRelation(pstate, rel, RowExclusiveLock,
										   NULL, false, false);
	rte = nsitem->p_rte;
	rte->requiredPerms = ACL_INSERT;
	for (i = 0; i < d->ncols + t->nextra; i++)
	{
		AttrNumber	attnum = i < d->ncols ? t->cols[i].attnum : t->extra[i - d->ncols].attnum;
		char	   *name = i < d->ncols ? d->columns[i] : t->extra[i - d->ncols].name;

		attnames = lappend(attnames, makeString(name));
		rte->insertedCols = bms_add_member(rte->insertedCols,
										   attnum - FirstLowInvalidHeapAttributeNumber);
	}
	ExecCheckRTPerms(pstate->p_rtable, true);
	if (check_enable_rls(t->relid, InvalidOid, false) == RLS_ENABLED)
	{
		/* COPY FROM refuses row-level security: one INSERT ... SELECT */
		table_close(rel, NoLock);
		free_parsestate(pstate);
		return sk_insert_table(t);
	}

	/* the feed's text is in the database encoding whatever the client's */
	options = list_make1(makeDefElem("encoding",
									 (Node *) makeString(pstrdup(GetDatabaseEncodingName())),
									 -1));

	memset(&feed, 0, sizeof(feed));
	feed.t = t;
	feed.vals = palloc(sizeof(SkVal) * (d->ncols + 1));
	initStringInfo(&feed.buf);
	feed.rowcxt = AllocSetContextCreate(cxt, "seedkit restore rows",
										ALLOCSET_DEFAULT_SIZES);
	feed.keepcxt = cxt;
	if (t->skip != NULL)
		feed.rowof = palloc(sizeof(int64) * (d->nrows + 1));
	sk_rows_begin(&feed.it, d);

	CommandCounterIncrement();
	PushActiveSnapshot(GetTransactionSnapshot());
	cstate = BeginCopyFrom(pstate, rel, NULL, NULL, false, sk_copy_source,
						   attnames, options);
	sk_feed = &feed;
	PG_TRY();
	{
		processed = CopyFrom(cstate);
	}
	PG_CATCH();
	{
		sk_feed = outer;
		sk_copy_error(&feed, cstate, cxt);
	}
	PG_END_TRY();
	sk_feed = outer;
	EndCopyFrom(cstate);
	PopActiveSnapshot();
	CommandCounterIncrement();

	table_close(rel, NoLock);
	free_parsestate(pstate);
	MemoryContextDelete(feed.rowcxt);
	pfree(feed.buf.data);
	pfree(feed.vals);
	return processed;
}
