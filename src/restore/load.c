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
#include "catalog/pg_index.h"
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
	List	   *hidden;			/* names of the constraints and indexes
								 * over a flagged column */
	bool		any_flagged;	/* some column of the table is flagged */
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
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("row %lld of table \"%s\" references a row that is not in the snapshot",
						(long long) f->it.rowno, sk_message_name(f->t->doc->name)),
				 errdetail("Column \"%s\" holds %s, but table \"%s\" has no row with that ordinal.",
						   f->t->doc->columns[col],
						   cp->flagged ? SK_MESSAGE_HIDDEN : sk_message_value(v->text, v->len),
						   sk_message_name(cp->maptable)),
				 errhint("Take the snapshot again, or correct the document.")));
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

	if (m == NULL && f->t->cols[col].percopy != NULL && f->t->copy > 1)
		return sk_copy_value(f->t, col, f->it.rowno, f->vals);
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
		{
			/* the list outlives the row: it grows in keepcxt too */
			MemoryContext old = MemoryContextSwitchTo(f->keepcxt);

			f->columns[i] = lappend(f->columns[i], text ? pstrdup(text) : NULL);
			MemoryContextSwitchTo(old);
		}
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
 *		In a json or jsonb column of a seedkit/2 document, the wrapper
 *		{"$json": v} stands for v, the JSON literal null included, and a
 *		string is the JSON string it spells (when the document's column is
 *		json too: a string of another type is that type's text output).
 */
static void
sk_emit_val(SkFeed *f, int i, const SkVal *val)
{
	SkVal		inner;

	if (val->kind == SK_VAL_COMPOSITE && f->t->doc->json_wrapped &&
		f->t->cols[i].json && sk_json_unwrap(val->text, val->len, &inner))
	{
		if (inner.kind == SK_VAL_NULL)
		{
			sk_emit_text(f, i, "null");
			return;
		}
		val = &inner;
	}
	if (val->kind == SK_VAL_STRING && f->t->cols[i].json_text)
	{
		/* a JSON string of a json column of seedkit/2: its JSON text */
		if (f->columns != NULL)
			sk_emit_text(f, i, pnstrdup(val->text, val->len));
		else
			sk_copy_field(&f->buf, val->text, val->len);
		return;
	}
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
 * sk_override_of
 *		Whether column i of the current row (a document column, or an
 *		extra one past them) gets an override, the row's own (ko) before
 *		the table's; sets *text to its value (NULL: SQL null).
 */
static bool
sk_override_of(SkTarget *t, SkKeyOverride *ko, int i, char **text)
{
	SkDocTable *d = t->doc;
	int			j;

	if (ko != NULL)
	{
		for (j = 0; j < ko->ncols; j++)
		{
			int			c = ko->cols[j] >= 0 ? ko->cols[j] : d->ncols + (-1 - ko->cols[j]);

			if (c == i)
			{
				*text = ko->values[j];
				return true;
			}
		}
	}
	if (i >= d->ncols)
	{
		*text = t->extra[i - d->ncols].override;
		return true;
	}
	if (t->cols[i].has_override)
	{
		*text = t->cols[i].override;
		return true;
	}
	return false;
}

/*
 * sk_written_text
 *		Document column i of the current row as restore writes it: its
 *		override, else its (remapped) value; NULL for SQL null.  Allocated
 *		in the current memory context.
 */
static char *
sk_written_text(SkFeed *f, SkKeyOverride *ko, int i)
{
	char	   *text;

	if (sk_override_of(f->t, ko, i, &text))
		return text ? pstrdup(text) : NULL;
	return sk_text_of(f, i);
}

/*
 * sk_feed_row
 *		Append the current row to the feed's buffer as one COPY line, and
 *		keep what the "after" updates need.  An "after" column is written
 *		as null and its value, the override when there is one, goes to the
 *		UPDATE that fills it in.
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
		char	   *text;

		if (i > 0 && f->columns == NULL)
			appendStringInfoChar(out, '\t');
		if (i < d->ncols && t->cols[i].written_null)
			sk_emit_text(f, i, NULL);
		else if (sk_override_of(t, ko, i, &text))
			sk_emit_text(f, i, text);
		else
		{
			const char *m = sk_mapped(f, i);

			if (m != NULL)
				sk_emit_text(f, i, m);
			else if (t->cols[i].percopy != NULL && t->copy > 1)
				sk_emit_text(f, i, sk_copy_value(t, i, f->it.rowno, f->vals));
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
		int			nvals = d->nkey + ref->ncols;
		MemoryContext old;
		char	  **vals;
		char	  **kept;
		bool		any = false;

		/* the columns first: all null, the row was written as it stays */
		vals = palloc(sizeof(char *) * nvals);
		for (j = 0; j < ref->ncols; j++)
		{
			vals[d->nkey + j] = sk_written_text(f, ko, sk_column_index(d, ref->columns[j]));
			if (vals[d->nkey + j] != NULL)
				any = true;
		}
		if (!any)
			continue;
		for (j = 0; j < d->nkey; j++)
			vals[j] = sk_written_text(f, ko, d->key[j]);
		old = MemoryContextSwitchTo(f->keepcxt);
		kept = palloc(sizeof(char *) * (nvals + 1));
		for (j = 0; j < nvals; j++)
			kept[j] = vals[j] != NULL ? pstrdup(vals[j]) : NULL;
		/* the row's number, for sk_fill_after's messages */
		kept[nvals] = psprintf("%lld", (long long) f->it.rowno);
		fill->rows = lappend(fill->rows, kept);
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
 * sk_hidden_constraints
 *		Into f: whether a column of t is flagged, and the names of t's
 *		indexes and foreign keys over a flagged column, whose violations
 *		quote flagged values.  Looked up before the load: once an ERROR is
 *		caught, only its text may be worked on.
 */
static void
sk_hidden_constraints(SkFeed *f, Relation rel)
{
	SkTarget   *t = f->t;
	Bitmapset  *flagged = NULL;
	ListCell   *lc;
	int			c,
				k;

	for (c = 0; c < t->doc->ncols; c++)
		if (t->cols[c].flagged)
			flagged = bms_add_member(flagged, t->cols[c].attnum);
	f->any_flagged = flagged != NULL;
	if (flagged == NULL)
		return;
	foreach(lc, RelationGetIndexList(rel))
	{
		Oid			indexoid = lfirst_oid(lc);
		HeapTuple	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(indexoid));
		Form_pg_index index;
		bool		hide = false;

		if (!HeapTupleIsValid(tup))
			continue;
		index = (Form_pg_index) GETSTRUCT(tup);
		for (k = 0; k < index->indnkeyatts; k++)
			if (index->indkey.values[k] == 0 ||
				bms_is_member(index->indkey.values[k], flagged))
				hide = true;	/* an expression may read any column */
		ReleaseSysCache(tup);
		if (hide)
			f->hidden = lappend(f->hidden, get_rel_name(indexoid));
	}
	foreach(lc, RelationGetFKeyList(rel))
	{
		ForeignKeyCacheInfo *fk = (ForeignKeyCacheInfo *) lfirst(lc);

		for (k = 0; k < fk->nkeys; k++)
			if (bms_is_member(fk->conkey[k], flagged))
				break;
		if (k < fk->nkeys)
			f->hidden = lappend(f->hidden, get_constraint_name(fk->conoid));
	}
}

/*
 * sk_error_hides
 *		Whether a caught error of constraint conname (NULL: unknown) may
 *		quote a flagged value of the feed's table.
 */
static bool
sk_error_hides(SkFeed *f, const char *conname)
{
	ListCell   *lc;

	if (!f->any_flagged)
		return false;
	if (conname == NULL)
		return true;
	foreach(lc, f->hidden)
		if (strcmp((const char *) lfirst(lc), conname) == 0)
			return true;
	return false;
}

/*
 * sk_error_bound
 *		Bound the texts of a caught error that quote row values: the values
 *		of a key violation's detail cut (or hidden, over a flagged column),
 *		any other detail cut whole (hidden when the table has a flagged
 *		column: "Failing row contains (...)" quotes the whole row).
 */
static void
sk_error_bound(SkFeed *f, ErrorData *edata)
{
	bool		hide = sk_error_hides(f, edata->constraint_name);

	if (edata->detail == NULL)
		return;
	if (edata->sqlerrcode == ERRCODE_UNIQUE_VIOLATION ||
		edata->sqlerrcode == ERRCODE_FOREIGN_KEY_VIOLATION ||
		edata->sqlerrcode == ERRCODE_EXCLUSION_VIOLATION)
		edata->detail = sk_message_key_detail(edata->detail, hide);
	else if (f->any_flagged)
		edata->detail = pstrdup("The row's values are not shown: a column of the table is flagged as personal data.");
	else
		edata->detail = sk_message_cut(edata->detail, -1, SK_MESSAGE_TEXT_MAX);
}

/*
 * sk_copy_error
 *		Re-raise an ERROR from inside COPY so that it names the document
 *		row and table; foreign key errors (raised at the end of the table,
 *		not at a row) pass with their detail bounded (sk_error_bound), our
 *		own errors unchanged.
 */
static void
sk_copy_error(SkFeed *f, CopyFromState cstate, MemoryContext cxt)
{
	ErrorData  *edata;
	uint64		lineno = cstate->cur_lineno;
	const char *attname = cstate->cur_attname;
	const char *tname;
	int			c;

	MemoryContextSwitchTo(cxt);
	tname = sk_message_name(f->t->doc->name);
	if (f->in_callback)
		PG_RE_THROW();
	if (f->rowof != NULL && lineno >= 1 && lineno <= (uint64) f->nlines)
		lineno = f->rowof[lineno];
	edata = CopyErrorData();
	if (edata->sqlerrcode == ERRCODE_QUERY_CANCELED)
		PG_RE_THROW();
	FlushErrorState();
	sk_error_bound(f, edata);
	if (edata->sqlerrcode == ERRCODE_FOREIGN_KEY_VIOLATION || lineno == 0)
		ReThrowError(edata);

	if (edata->sqlerrcode == ERRCODE_UNIQUE_VIOLATION)
		ereport(ERROR,
				(errcode(edata->sqlerrcode),
				 errmsg("row %llu of table \"%s\" conflicts with an existing row",
						(unsigned long long) lineno, tname),
				 errdetail("%s", edata->detail ? edata->detail :
						   sk_message_text(edata->message)),
				 errhint("Restore in replace mode, or remove the conflicting rows first."),
				 edata->constraint_name ?
				 err_generic_string(PG_DIAG_CONSTRAINT_NAME, edata->constraint_name) : 0));
	else if (attname != NULL)
	{
		/* the input function's message quotes the value */
		for (c = 0; c < f->t->doc->ncols; c++)
			if (strcmp(f->t->doc->columns[c], attname) == 0)
				break;
		ereport(ERROR,
				(errcode(edata->sqlerrcode),
				 errmsg("could not restore row %llu of table \"%s\"",
						(unsigned long long) lineno, tname),
				 (c < f->t->doc->ncols && f->t->cols[c].flagged) ?
				 errdetail("Column \"%s\": its value is not valid for the column; %s.",
						   attname, SK_MESSAGE_HIDDEN) :
				 errdetail("Column \"%s\": %s.", attname,
						   sk_message_text(edata->message)),
				 errhint("The target column's type may have changed since the snapshot was taken.")));
	}
	else
		ereport(ERROR,
				(errcode(edata->sqlerrcode),
				 errmsg("could not restore row %llu of table \"%s\"",
						(unsigned long long) lineno, tname),
				 edata->detail ?
				 errdetail("%s: %s", sk_message_text(edata->message),
						   edata->detail) :
				 errdetail("%s.", sk_message_text(edata->message))));
}

/*
 * sk_insert_context
 *		Error context for the INSERT path: which table.
 */
static void
sk_insert_context(void *arg)
{
	errcontext("restoring table \"%s\" with INSERT (row-level security)",
			   sk_message_name((const char *) arg));
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
	{
		Relation	rel = table_open(t->relid, NoLock);

		sk_hidden_constraints(&feed, rel);
		table_close(rel, NoLock);
	}
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
	PG_TRY();
	{
		if (SPI_execute_with_args(sql.data, ncols, argtypes, args, NULL,
								  false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not insert the rows of table \"%s\"", t->qname);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		/* the same bounds on quoted values as on the COPY path */
		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		if (edata->sqlerrcode == ERRCODE_QUERY_CANCELED)
			PG_RE_THROW();
		FlushErrorState();
		sk_error_bound(&feed, edata);
		ReThrowError(edata);
	}
	PG_END_TRY();
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
	int			colocation;
	char	   *distcol;
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
	if (check_enable_rls(t->relid, InvalidOid, false) == RLS_ENABLED ||
		sk_citus_table(t->relid, &colocation, &distcol) != '\0')
	{
		/*
		 * COPY FROM refuses row-level security, and would write a Citus
		 * table's empty shell on the coordinator: one INSERT ... SELECT
		 */
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
	sk_hidden_constraints(&feed, rel);
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
