/*-------------------------------------------------------------------------
 *
 * writer.c
 *	  Write a document's tables as seedkit/1 JSON: the table header, then
 *	  the rows, one per line, read by a cursor under the document's one data
 *	  snapshot, with reset keys and the references to them replaced by
 *	  document-local ordinals.
 *
 * src/snapshot/writer.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_inherits.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "common/jsonapi.h"
#include "executor/spi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "tcop/pquery.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"

#include "anon/anon.h"
#include "snapshot/closure.h"
#include "snapshot/ordmap.h"
#include "snapshot/writer.h"
#include "core/core.h"

/* How a column's values are written. */
typedef enum SkValueKind
{
	SK_VAL_STRING,				/* the type's text output, as a JSON string */
	SK_VAL_NUMBER,				/* integers, as JSON numbers */
	SK_VAL_BOOL,
	SK_VAL_JSON,				/* json and jsonb, nested */
	SK_VAL_ROWNUM,				/* the row's ordinal */
	SK_VAL_ORDINAL				/* a looked-up ordinal; -1 means dangling,
								 * -2 a value outside the snapshot where the
								 * foreign key does not apply */
} SkValueKind;

/* How a table's rows are read and written (sk_rows_plan). */
typedef struct SkRowsPlan
{
	char	   *sql;			/* the SELECT of the rows, in key order */
	int			nsel;			/* its columns: the written ones, then the
								 * extra raw values */
	SkValueKind *kinds;			/* per written column */
	int		   *rawcol;			/* per written column: the (1-based) select
								 * column of its plain value where the
								 * reference applies to some partitions
								 * only, else -1 */
	FmgrInfo   *outs;			/* output function per select column, looked
								 * up when the rows start */
	Oid		   *bases;			/* base type per select column */
	SkFk	  **loose;			/* per written column: the foreign key it
								 * takes its ordinal through when that may
								 * not apply to a row (sk_fk_unenforced),
								 * else NULL */
	bool		subset;			/* a subset's document (its hints name
								 * seedkit_subset_lines) */
	SkOrdMap  **maps;			/* per written column: the map in memory its
								 * selected value is looked up in, else NULL */
} SkRowsPlan;

#define SK_ORD_DANGLING (-1)
#define SK_ORD_OUTSIDE (-2)

/* Rows written between two reports of progress and flushes to the sink. */
#define SK_FETCH_ROWS 5000

/*
 * Where the rows of a table's statement go as the executor makes them
 * (sk_write_rows): written at once, without a copy.
 */
typedef struct SkRowReceiver
{
	DestReceiver pub;
	StringInfo	buf;
	SkTable    *t;
	SkRowsPlan *plan;
	SkProgress *progress;
	SkSink	   *sink;
	int64		rowno;
	MemoryContext rowcxt;		/* reset every SK_FETCH_ROWS rows */
} SkRowReceiver;

/*
 * Room kept below the 1 GB limit of a value (MaxAllocSize): the document is
 * refused once a row takes it past the limit less this, so that the
 * closing lines and the varlena header still fit.
 */
#define SK_DOCUMENT_HEADROOM (64 * 1024 * 1024)

/*
 * The one member of the object a json or jsonb value is wrapped in when it
 * would otherwise be misread (format seedkit/2, doc/format.md): the JSON
 * literal null, and an object whose only member has this name.
 */
#define SK_JSON_WRAP "$json"

/* What sk_json_wrap_field counts: the members of the outermost object. */
typedef struct SkWrapScan
{
	JsonLexContext *lex;
	int			members;
} SkWrapScan;

/*
 * sk_json_string
 *		Append s as a JSON string literal, escaping quotes, backslashes and
 *		control characters; runs of plain bytes are copied at once, and a
 *		string with nothing to escape (most) into room made for it first.
 */
void
sk_json_string(StringInfo buf, const char *s, int len)
{
	const char *run = s;
	const char *end = s + len;
	const char *p;

	enlargeStringInfo(buf, len + 2);
	buf->data[buf->len++] = '"';
	for (p = s; p < end; p++)
	{
		unsigned char c = (unsigned char) *p;

		if (c < 0x20 || c == '"' || c == '\\')
			break;
	}
	if (p == end)
	{
		/* nothing to escape: the room made above holds it and its quote */
		memcpy(buf->data + buf->len, s, len);
		buf->len += len;
		buf->data[buf->len++] = '"';
		buf->data[buf->len] = '\0';
		return;
	}
	for (; p < end; p++)
	{
		unsigned char c = (unsigned char) *p;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (p > run)
			appendBinaryStringInfo(buf, run, p - run);
		run = p + 1;
		switch (c)
		{
			case '"':
				appendStringInfoString(buf, "\\\"");
				break;
			case '\\':
				appendStringInfoString(buf, "\\\\");
				break;
			case '\n':
				appendStringInfoString(buf, "\\n");
				break;
			case '\r':
				appendStringInfoString(buf, "\\r");
				break;
			case '\t':
				appendStringInfoString(buf, "\\t");
				break;
			case '\b':
				appendStringInfoString(buf, "\\b");
				break;
			case '\f':
				appendStringInfoString(buf, "\\f");
				break;
			default:
				appendStringInfo(buf, "\\u%04x", c);
				break;
		}
	}
	if (p > run)
		appendBinaryStringInfo(buf, run, p - run);
	appendStringInfoChar(buf, '"');
}

/*
 * sk_sink_flush
 *		Move the complete lines of buf (all of it when all is set) into the
 *		sink's tuplestore, one row each, and keep the rest; nothing without a
 *		sink.
 */
void
sk_sink_flush(StringInfo buf, SkSink *sink, bool all)
{
	char	   *p = buf->data;
	char	   *end = buf->data + buf->len;
	char	   *nl;

	if (sink == NULL)
		return;
	while ((nl = memchr(p, '\n', end - p)) != NULL || (all && p < end))
	{
		Datum		value;
		bool		isnull = false;
		int			len = nl ? nl - p : end - p;

		value = PointerGetDatum(cstring_to_text_with_len(p, len));
		tuplestore_putvalues(sink->store, sink->desc, &value, &isnull);
		pfree(DatumGetPointer(value));
		p += len + (nl ? 1 : 0);
	}
	memmove(buf->data, p, end - p);
	buf->len = end - p;
	buf->data[buf->len] = '\0';
}

/*
 * sk_json_names
 *		Append a JSON array of names.
 */
static void
sk_json_names(StringInfo buf, char **names, int n)
{
	int			i;

	appendStringInfoChar(buf, '[');
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			appendStringInfoString(buf, ", ");
		sk_json_string(buf, names[i], strlen(names[i]));
	}
	appendStringInfoChar(buf, ']');
}

/*
 * sk_mapname
 *		The map table from values of reset column i of t to ordinals.
 */
static char *
sk_mapname(SkTable *t, int i)
{
	return psprintf("pg_temp.seedkit_m%d_%d", t->knum, i);
}

/*
 * sk_order_expr
 *		"alias.col" with a C collation for collatable types, so that orders
 *		do not depend on the database's locale.
 */
static char *
sk_order_expr(SkTable *t, int i, const char *alias)
{
	if (type_is_collatable(t->typids[i]))
		return psprintf("%s.%s COLLATE pg_catalog.\"C\"", alias, t->cols[i]);
	return psprintf("%s.%s", alias, t->cols[i]);
}

/*
 * sk_chain_end
 *		The reset column at the end of the chain of foreign keys column i of
 *		t takes its ordinal through (itself when it is reset): its table in
 *		*et, its index in *ei.
 */
static void
sk_chain_end(SkTable *t, int i, SkTable **et, int *ei)
{
	while (i >= 0 && t->odepth[i] > 0)
	{
		SkFk	   *src = t->osrc[i];

		i = sk_table_col(src->to, src->rawrefcols[t->osrck[i]]);
		t = src->to;
	}
	*et = t;
	*ei = i;
}

/*
 * sk_loose_cond
 *		The condition on row alias "t" under which the foreign key column i
 *		of t takes its ordinal through does not apply to the row (another of
 *		its columns null), or NULL when it always applies.
 */
static char *
sk_loose_cond(SkTable *t, int i)
{
	if (t->odepth[i] <= 0)
		return NULL;
	return sk_fk_unenforced(t->osrc[i], t->osrck[i], "t");
}

/*
 * sk_map_needed
 *		Whether column i of t needs a value-to-ordinal map: a reset column
 *		not numbered by the rows, or a column some ordinal reference takes
 *		its ordinal from.  (The reset column at the end of a chain is always
 *		one: the chain's last hop takes its ordinal from it, so the rows a
 *		foreign key of the chain does not apply to find their map there.)
 */
static bool
sk_map_needed(SkTable *t, int i)
{
	ListCell   *lc;

	if (t->odepth[i] < 0)
		return false;
	if (t->reset[i] && !t->rownum[i])
		return true;
	foreach(lc, t->fks_in)
	{
		SkFk	   *fk = (SkFk *) lfirst(lc);
		SkTable    *x = fk->from;
		int			c;

		if (!x->entered)
			continue;
		for (c = 0; c < x->ncols; c++)
			if (x->osrc[c] == fk &&
				strcmp(fk->rawrefcols[x->osrck[c]], t->rawcols[i]) == 0)
				return true;
	}
	return false;
}

/*
 * sk_key_order
 *		The ORDER BY list of t's key table alias k in the order rows are
 *		written (the key columns, text in the C collation).
 */
static char *
sk_key_order(SkTable *t)
{
	StringInfoData buf;
	int			k;

	initStringInfo(&buf);
	for (k = 0; k < t->nkey; k++)
		appendStringInfo(&buf, "%sk.k%d%s", k > 0 ? ", " : "", k,
						 type_is_collatable(t->typids[t->keyidx[k]]) ?
						 " COLLATE pg_catalog.\"C\"" : "");
	return buf.data;
}

/*
 * sk_map_fill
 *		The statement filling the map of column i of t: a reset column's
 *		values with their ordinals (the row numbers in key order, or 1..n in
 *		the column's value order), or an ordinal reference's values with the
 *		ordinals its foreign key leads to, looked up in the map one hop
 *		nearer the reset column.
 */
static char *
sk_map_fill(SkTable *t, int i)
{
	SkFk	   *fk;
	SkTable    *u;
	int			k,
				j;

	if (t->rownum[i])
	{
		/* The key table holds the values: no need to read the table. */
		for (k = 0; k < t->nkey; k++)
			if (t->keyidx[k] == i)
				break;
		return psprintf("INSERT INTO %s SELECT k.k%d, pg_catalog.row_number() OVER "
						"(ORDER BY %s) FROM %s k",
						sk_mapname(t, i), k, sk_key_order(t), sk_ktable(t));
	}
	if (t->reset[i])
		return psprintf("INSERT INTO %s SELECT t.%s, pg_catalog.row_number() OVER (ORDER BY %s) "
						"FROM %s k JOIN %s t ON %s WHERE t.%s IS NOT NULL",
						sk_mapname(t, i), t->cols[i], sk_order_expr(t, i, "t"),
						sk_ktable(t), t->from, sk_keyjoin(t, "t", "k"), t->cols[i]);
	fk = t->osrc[i];
	k = t->osrck[i];

	/*
	 * Where the foreign key may not apply to a row, its value is looked up
	 * at the end of the chain, by value: the same ordinal as through the
	 * parent row where it applies, the values being equal all along.
	 */
	if (sk_loose_cond(t, i) != NULL)
	{
		sk_chain_end(t, i, &u, &j);
		return psprintf("INSERT INTO %s SELECT DISTINCT t.%s, r.ord "
						"FROM %s k JOIN %s t ON %s JOIN %s r ON r.v OPERATOR(pg_catalog.=) t.%s%s",
						sk_mapname(t, i), t->cols[i],
						sk_ktable(t), t->from, sk_keyjoin(t, "t", "k"),
						sk_mapname(u, j), t->cols[i],
						sk_leaf_filter(fk->relid, "t"));
	}
	u = fk->to;
	j = sk_table_col(u, fk->rawrefcols[k]);
	return psprintf("INSERT INTO %s SELECT DISTINCT t.%s, r.ord "
					"FROM %s k JOIN %s t ON %s JOIN %s r ON r.v %s t.%s%s",
					sk_mapname(t, i), t->cols[i],
					sk_ktable(t), t->from, sk_keyjoin(t, "t", "k"),
					sk_mapname(u, j), fk->eqops[k], t->cols[i],
					sk_leaf_filter(fk->relid, "t"));
}

/*
 * sk_map_check_unique
 *		The map of a reset column of a composite key must give one ordinal
 *		per value: references to the column are looked up by its value.
 */
static void
sk_map_check_unique(SkTable *t, int i, Snapshot snap)
{
	char	   *sql;
	char	   *value;

	sql = psprintf("SELECT m.v::pg_catalog.text FROM %s m GROUP BY m.v "
				   "HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>) 1 LIMIT 1",
				   sk_mapname(t, i));
	if (sk_exec(sql, snap, 0, NULL, NULL) == 0)
		return;
	value = sk_message_value(SPI_getvalue(SPI_tuptable->vals[0],
										  SPI_tuptable->tupdesc, 1), -1);
	/* a flagged column's value is never quoted */
	if (sk_anon_flagged(t->relid, t->attnums[i]))
		value = SK_MESSAGE_HIDDEN;
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("cannot reset column \"%s\" of table \"%s\"", t->rawcols[i], sk_message_name(t->qname)),
			 errdetail("The column is part of the table's key and draws its values from a sequence, "
					   "but several rows of the snapshot hold %s in it, so the references to them "
					   "cannot be given ordinals.", value),
			 errhint("Take the snapshot with reset_keys => false.")));
}

/*
 * sk_map_in_memory
 *		Whether the map of column i of t may be held in memory (ordmap.c):
 *		the ordinals of the table's only key column, an integer.
 */
static bool
sk_map_in_memory(SkTable *t, int i)
{
	return t->rownum[i] && t->nkey == 1 && sk_ordmap_type(t->typids[i]);
}

/*
 * sk_ref_map
 *		The map in memory ordinal reference column i of t looks its value
 *		up in: one hop from a reset column whose map is in memory, with
 *		integer values compared by the integers' own equality, and its
 *		foreign key applying to every row holding a value (whole, and not
 *		loose).  NULL when it joins the map's table instead.
 */
static SkOrdMap *
sk_ref_map(SkTable *t, int i)
{
	SkFk	   *fk = t->osrc[i];
	int			k = t->osrck[i];
	int			j;

	if (t->odepth[i] != 1 || fk->to->ordmaps == NULL ||
		!sk_ordmap_type(t->typids[i]) ||
		strcmp(fk->eqops[k], "OPERATOR(pg_catalog.=)") != 0 ||
		sk_fk_declared_filter(fk, "t")[0] != '\0' ||
		sk_loose_cond(t, i) != NULL)
		return NULL;
	j = sk_table_col(fk->to, fk->rawrefcols[k]);
	return j < 0 ? NULL : fk->to->ordmaps[j];
}

/*
 * sk_map_table_needed
 *		Whether the map of column i of t, held in memory, is needed as a
 *		table all the same: a reference to it joins it (sk_ref_map finds
 *		no map), fills its own map from it, or looks a value up there at
 *		the end of its chain (sk_reference_expr).
 */
static bool
sk_map_table_needed(SkGraph *g, SkTable *t, int i)
{
	ListCell   *lc;

	foreach(lc, g->tables)
	{
		SkTable    *x = (SkTable *) lfirst(lc);
		int			c;

		if (!x->entered)
			continue;
		for (c = 0; c < x->ncols; c++)
		{
			SkFk	   *fk = x->osrc[c];
			SkTable    *et;
			int			ei;

			if (x->odepth[c] <= 0)
				continue;
			if (sk_loose_cond(x, c) != NULL)
			{
				sk_chain_end(x, c, &et, &ei);
				if (et == t && ei == i)
					return true;
			}
			if (fk->to == t &&
				sk_table_col(t, fk->rawrefcols[x->osrck[c]]) == i &&
				(sk_ref_map(x, c) == NULL || sk_map_needed(x, c)))
				return true;
		}
	}
	return false;
}

/*
 * sk_document_maps
 *		Create the value-to-ordinal maps of every column that needs one,
 *		reset columns first, then the references one hop further at a
 *		time, each filled from the map its ordinals come from.  A single
 *		integer key's map is held in memory where it fits, and made a
 *		table only when some reference still needs one.
 */
void
sk_document_maps(SkGraph *g, Snapshot snap)
{
	ListCell   *lc;
	int			level;
	bool		more = true;

	foreach(lc, g->tables)
	{
		SkTable    *t = (SkTable *) lfirst(lc);

		if (t->entered)
			t->ordmaps = palloc0(sizeof(SkOrdMap *) * (t->ncols + 1));
	}
	for (level = 0; more; level++)
	{
		more = false;
		foreach(lc, g->tables)
		{
			SkTable    *t = (SkTable *) lfirst(lc);
			int			i;

			if (!t->entered)
				continue;
			for (i = 0; i < t->ncols; i++)
			{
				char	   *sql;

				if (t->odepth[i] != level)
					continue;
				more = true;
				if (!sk_map_needed(t, i))
					continue;
				if (sk_map_in_memory(t, i))
				{
					t->ordmaps[i] = sk_ordmap_load(t, snap);
					if (t->ordmaps[i] != NULL && !sk_map_table_needed(g, t, i))
						continue;
				}
				sql = psprintf("CREATE TEMP TABLE seedkit_m%d_%d (v %s, ord pg_catalog.int8) ON COMMIT DROP",
							   t->knum, i, t->typnames[i]);
				if (SPI_execute(sql, false, 0) != SPI_OK_UTILITY)
					elog(ERROR, "could not create ordinal map for %s", t->qname);
				if (sk_exec(sk_map_fill(t, i), snap, 0, NULL, NULL) > 0)
				{
					if (t->rownum[i] && t->nkey > 1)
						sk_map_check_unique(t, i, snap);
					sk_analyze(sk_mapname(t, i), "analyze an ordinal map");
				}
			}
		}
	}
}

/*
 * sk_value_kind
 *		How values of a type are written, looking through domains.
 */
static SkValueKind
sk_value_kind(Oid typid)
{
	switch (getBaseType(typid))
	{
		case INT2OID:
		case INT4OID:
		case INT8OID:
			return SK_VAL_NUMBER;
		case BOOLOID:
			return SK_VAL_BOOL;
		case JSONOID:
		case JSONBOID:
			return SK_VAL_JSON;
		default:
			return SK_VAL_STRING;
	}
}

/*
 * sk_write_header
 *		The table element up to and including "rows": [
 */
static void
sk_write_header(StringInfo buf, SkTable *t)
{
	char	  **keys;
	char	  **resets;
	int			nreset = 0;
	int			i;
	ListCell   *lc;
	bool		first = true;

	appendStringInfoString(buf, "    {\n      \"table\": ");
	sk_json_string(buf, t->qname, strlen(t->qname));
	appendStringInfoString(buf, ",\n      \"columns\": ");
	sk_json_names(buf, t->rawcols, t->ncols);
	appendStringInfoString(buf, ",\n      \"types\": ");
	sk_json_names(buf, t->typnames, t->ncols);

	keys = palloc(sizeof(char *) * (t->nkey + 1));
	for (i = 0; i < t->nkey; i++)
		keys[i] = t->rawcols[t->keyidx[i]];
	appendStringInfoString(buf, ",\n      \"key\": ");
	sk_json_names(buf, keys, t->nkey);

	resets = palloc(sizeof(char *) * (t->ncols + 1));
	for (i = 0; i < t->ncols; i++)
		if (t->reset[i])
			resets[nreset++] = t->rawcols[i];
	appendStringInfoString(buf, ",\n      \"reset\": ");
	sk_json_names(buf, resets, nreset);

	appendStringInfoString(buf, ",\n      \"references\": [");
	foreach(lc, t->fks_out)
	{
		SkFk	   *fk = (SkFk *) lfirst(lc);

		if (fk->to->excluded)
			continue;
		appendStringInfoString(buf, first ? "\n" : ",\n");
		first = false;
		appendStringInfoString(buf, "        {\"constraint\": ");
		sk_json_string(buf, fk->conname, strlen(fk->conname));
		appendStringInfoString(buf, ", \"columns\": ");
		sk_json_names(buf, fk->rawcols, fk->nkeys);
		appendStringInfoString(buf, ", \"table\": ");
		sk_json_string(buf, fk->to->qname, strlen(fk->to->qname));
		appendStringInfoString(buf, ", \"key\": ");
		sk_json_names(buf, fk->rawrefcols, fk->nkeys);
		appendStringInfo(buf, ", \"after\": %s}", fk->after ? "true" : "false");
	}
	appendStringInfoString(buf, first ? "],\n" : "\n      ],\n");
	appendStringInfoString(buf, "      \"rows\": [");
}

/*
 * sk_json_wrap_field
 *		Semantic action of sk_json_needs_wrap: count the members of the
 *		outermost object.
 */
static void
sk_json_wrap_field(void *state, char *fname, bool isnull)
{
	SkWrapScan *scan = (SkWrapScan *) state;

	if (scan->lex->lex_level != 1)
		return;
	scan->members++;
}

/*
 * sk_json_needs_wrap
 *		Whether the json text p (len bytes, no white space around it) must
 *		be written wrapped: it is the literal null, or an object with
 *		exactly one member, named SK_JSON_WRAP (after unescaping).  Only an
 *		object whose first member has that name is parsed whole.
 */
static bool
sk_json_needs_wrap(char *p, int len)
{
	JsonLexContext *lex;
	JsonSemAction sem;
	SkWrapScan	scan;

	if (len == 4 && memcmp(p, "null", 4) == 0)
		return true;
	if (len < 2 || p[0] != '{')
		return false;

	/* the first member's name, unescaped */
	lex = makeJsonLexContextCstringLen(p, len, GetDatabaseEncoding(), true);
	if (json_lex(lex) != JSON_SUCCESS || lex->token_type != JSON_TOKEN_OBJECT_START ||
		json_lex(lex) != JSON_SUCCESS || lex->token_type != JSON_TOKEN_STRING ||
		strcmp(lex->strval->data, SK_JSON_WRAP) != 0)
		return false;

	/*
	 * Then the members of the outermost object counted; names unescaped no
	 * more (a later name may hold \u0000, which json allows).
	 */
	memset(&sem, 0, sizeof(sem));
	memset(&scan, 0, sizeof(scan));
	scan.lex = makeJsonLexContextCstringLen(p, len, GetDatabaseEncoding(), false);
	sem.semstate = &scan;
	sem.object_field_start = sk_json_wrap_field;
	if (pg_parse_json(scan.lex, &sem) != JSON_SUCCESS)
		elog(ERROR, "could not parse a json value to write it");
	return scan.members == 1;
}

/*
 * sk_append_int64
 *		Append an integer in decimal, as int8out writes it.
 */
static inline void
sk_append_int64(StringInfo buf, int64 v)
{
	char		digits[MAXINT8LEN + 1];

	appendBinaryStringInfo(buf, digits, pg_lltoa(v, digits));
}

/*
 * sk_write_value
 *		Append one non-null value of the given kind, of base type basetype.
 *		A json or jsonb value is written as itself, nested, unless it is
 *		the literal null or an object made of one member named SK_JSON_WRAP:
 *		then it is wrapped in such an object, {"$json": value}, so that it
 *		reads back as it was.
 */
static void
sk_write_value(StringInfo buf, SkValueKind kind, Datum d, Oid basetype,
			   FmgrInfo *out)
{
	char	   *s;
	char	   *p;
	char	   *e;

	switch (kind)
	{
		case SK_VAL_BOOL:
			appendStringInfoString(buf, DatumGetBool(d) ? "true" : "false");
			break;
		case SK_VAL_NUMBER:
			/* the integers' own output, without its allocation */
			if (basetype == INT8OID)
				sk_append_int64(buf, DatumGetInt64(d));
			else if (basetype == INT4OID)
				sk_append_int64(buf, DatumGetInt32(d));
			else if (basetype == INT2OID)
				sk_append_int64(buf, DatumGetInt16(d));
			else
			{
				s = OutputFunctionCall(out, d);
				appendStringInfoString(buf, s);
			}
			break;
		case SK_VAL_JSON:
			/* Nested, exactly as stored. */
			s = OutputFunctionCall(out, d);
			for (p = s; *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'; p++)
				;
			for (e = p + strlen(p); e > p && (e[-1] == ' ' || e[-1] == '\t' ||
											  e[-1] == '\n' || e[-1] == '\r'); e--)
				;
			if (sk_json_needs_wrap(p, e - p))
			{
				appendStringInfoString(buf, "{\"" SK_JSON_WRAP "\": ");
				appendStringInfoString(buf, s);
				appendStringInfoChar(buf, '}');
			}
			else
				appendStringInfoString(buf, s);
			break;
		default:
			if (basetype == TEXTOID || basetype == VARCHAROID || basetype == BPCHAROID)
			{
				/* the output of text, varchar and char is their bytes: escaped where they are */
				struct varlena *v = PG_DETOAST_DATUM_PACKED(d);

				sk_json_string(buf, VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
				break;
			}
			s = OutputFunctionCall(out, d);
			sk_json_string(buf, s, strlen(s));
			break;
	}
}

/*
 * sk_reference_expr
 *		The select expression of column i of t when a foreign key decides
 *		it: nulled if its first foreign key leads to an excluded table, else
 *		its ordinal when it holds one (through the foreign key chosen in
 *		sk_graph_ordinals), looked up in a map joined to joins.  NULL when
 *		no foreign key decides it.
 */
static char *
sk_reference_expr(SkTable *t, int i, SkRowsPlan *plan, StringInfo joins,
				  int *njoin, StringInfo extra)
{
	ListCell   *lc;

	foreach(lc, t->fks_out)
	{
		SkFk	   *fk = (SkFk *) lfirst(lc);
		char	   *leaf;
		char	   *expr;
		char	   *loose;
		int			j,
					k;

		k = sk_fk_col(fk, t->rawcols[i]);
		if (k < 0)
			continue;

		/*
		 * A foreign key declared on some partitions only leaves the values
		 * of the other partitions' rows as they are.
		 */
		leaf = sk_fk_declared_filter(fk, "t");
		if (fk->to->excluded)
			return leaf[0] == '\0' ? "NULL" :
				psprintf("CASE WHEN true%s THEN NULL ELSE t.%s END",
						 leaf, t->cols[i]);
		if (fk != t->osrc[i] || k != t->osrck[i])
			continue;
		plan->kinds[i] = SK_VAL_ORDINAL;
		if (leaf[0] != '\0')
		{
			appendStringInfo(extra, ", t.%s", t->cols[i]);
			plan->rawcol[i] = ++plan->nsel;
		}

		/* the value itself, looked up in memory (sk_write_row) */
		plan->maps[i] = sk_ref_map(t, i);
		if (plan->maps[i] != NULL)
			return psprintf("t.%s::pg_catalog.int8", t->cols[i]);

		j = sk_table_col(fk->to, fk->rawrefcols[k]);
		appendStringInfo(joins, " LEFT JOIN %s r%d ON r%d.v %s t.%s%s",
						 sk_mapname(fk->to, j), *njoin, *njoin,
						 fk->eqops[k], t->cols[i], leaf);
		loose = sk_loose_cond(t, i);
		if (loose == NULL)
			expr = psprintf("CASE WHEN t.%s IS NULL OR NOT (true%s) THEN NULL "
							"ELSE COALESCE(r%d.ord, %d) END",
							t->cols[i], leaf, (*njoin)++, SK_ORD_DANGLING);
		else
		{
			SkTable    *et;
			int			ei;

			/*
			 * A row the foreign key does not apply to (MATCH SIMPLE, another
			 * of its columns null) has no parent row: its value keeps its
			 * own meaning, a key of the table at the end of the chain,
			 * looked up there by value.
			 */
			sk_chain_end(t, i, &et, &ei);
			appendStringInfo(joins, " LEFT JOIN %s r%d ON r%d.v OPERATOR(pg_catalog.=) t.%s",
							 sk_mapname(et, ei), *njoin + 1, *njoin + 1, t->cols[i]);
			expr = psprintf("CASE WHEN t.%s IS NULL OR NOT (true%s) THEN NULL "
							"WHEN %s THEN COALESCE(r%d.ord, %d) "
							"ELSE COALESCE(r%d.ord, %d) END",
							t->cols[i], leaf, loose, *njoin + 1, SK_ORD_OUTSIDE,
							*njoin, SK_ORD_DANGLING);
			*njoin += 2;
			plan->loose[i] = fk;
		}
		return expr;
	}
	return NULL;
}

/*
 * sk_column_expr
 *		The select expression of written column i of t, its kind set in
 *		plan: the row number for a reset key column, the ordinal of a reset
 *		column's value, a reference's ordinal (sk_reference_expr), else the
 *		value, anonymised when asked.  Joins of ordinal maps are appended to
 *		joins (njoin counts them), the extra select columns to extra.
 */
static const char *
sk_column_expr(SkTable *t, int i, bool anonymise, SkRowsPlan *plan,
			   StringInfo joins, int *njoin, StringInfo extra)
{
	const char *expr;

	plan->kinds[i] = sk_value_kind(t->typids[i]);
	plan->rawcol[i] = -1;
	if (t->rownum[i])
	{
		plan->kinds[i] = SK_VAL_ROWNUM;
		return "NULL";
	}
	if (t->reset[i])
	{
		appendStringInfo(joins, " LEFT JOIN %s r%d ON r%d.v = t.%s",
						 sk_mapname(t, i), *njoin, *njoin, t->cols[i]);
		plan->kinds[i] = SK_VAL_NUMBER;
		return psprintf("r%d.ord", (*njoin)++);
	}
	expr = sk_reference_expr(t, i, plan, joins, njoin, extra);
	if (expr == NULL && anonymise)
		expr = sk_anon_expr(t->relid, t->attnums[i],
							psprintf("t.%s", t->cols[i]));
	if (expr == NULL)
		expr = psprintf("t.%s", t->cols[i]);
	return expr;
}

/*
 * sk_rows_plan
 *		Plan how table t's rows are read and written: the statement
 *		selecting every written column's expression from the rows of its
 *		key table (by ctid where it can; a whole table read as it is) in
 *		key order, and how each column's values are written.
 */
static void
sk_rows_plan(SkTable *t, bool anonymise, SkRowsPlan *plan)
{
	StringInfoData sel;
	StringInfoData joins;
	StringInfoData extra;
	int			njoin = 0;
	const char *tidcol;
	int			i,
				k;

	plan->kinds = palloc(sizeof(SkValueKind) * (t->ncols + 1));
	plan->rawcol = palloc(sizeof(int) * (t->ncols + 1));
	plan->loose = palloc0(sizeof(SkFk *) * (t->ncols + 1));
	plan->maps = palloc0(sizeof(SkOrdMap *) * (t->ncols + 1));
	plan->nsel = t->ncols;
	plan->outs = NULL;
	initStringInfo(&sel);
	initStringInfo(&joins);
	initStringInfo(&extra);
	for (i = 0; i < t->ncols; i++)
		appendStringInfo(&sel, "%s%s", i > 0 ? ", " : "",
						 sk_column_expr(t, i, anonymise, plan, &joins, &njoin, &extra));
	if (t->ncols == 0)
		appendStringInfoString(&sel, "NULL");

	/*
	 * The rows are fetched by the ctids the closure read them at (a Tid
	 * Scan, under the same data snapshot) when it read every one of them;
	 * else by joining the key table, which reads the whole table again.
	 * The ctids come from a subquery: passed as a known array, they would
	 * tell the planner how many rows come, and for a tenth of a big table
	 * it then prefers reading all of it (and compiling the plan with JIT).
	 */
	tidcol = sk_tid_col(t);
	if (tidcol != NULL && !t->tid_partial && t->whole && !t->partitioned)
	{
		/*
		 * A whole table's key table holds every row of it under the same
		 * data snapshot: read the table itself, in key order (by its key's
		 * index, where the planner likes), rather than each row by ctid.
		 */
		appendStringInfo(&sel, "%s FROM %s t%s ORDER BY ",
						 extra.data, t->from, joins.data);
	}
	else if (tidcol != NULL && !t->tid_partial)
		appendStringInfo(&sel, "%s FROM %s t%s WHERE t.ctid OPERATOR(pg_catalog.=) "
						 "ANY (ARRAY(SELECT k.%s FROM %s k)) ORDER BY ",
						 extra.data, t->from, joins.data, tidcol, sk_ktable(t));
	else
		appendStringInfo(&sel, "%s FROM %s k JOIN %s t ON %s%s ORDER BY ",
						 extra.data, sk_ktable(t), t->from, sk_keyjoin(t, "t", "k"),
						 joins.data);
	if (t->nkey == 0)
		appendStringInfoString(&sel, "t::pg_catalog.text COLLATE pg_catalog.\"C\"");
	for (k = 0; k < t->nkey; k++)
		appendStringInfo(&sel, "%s%s", k > 0 ? ", " : "",
						 sk_order_expr(t, t->keyidx[k], "t"));
	plan->sql = psprintf("SELECT %s", sel.data);
}

/*
 * sk_rows_outputs
 *		Look up the output function and the base type of every selected
 *		column, once.
 */
static void
sk_rows_outputs(SkRowsPlan *plan, TupleDesc desc)
{
	int			i;

	if (plan->outs != NULL)
		return;
	plan->outs = palloc(sizeof(FmgrInfo) * plan->nsel);
	plan->bases = palloc(sizeof(Oid) * plan->nsel);
	for (i = 0; i < plan->nsel; i++)
	{
		Oid			outfn;
		bool		varlena;

		getTypeOutputInfo(TupleDescAttr(desc, i)->atttypid, &outfn, &varlena);
		fmgr_info(outfn, &plan->outs[i]);
		plan->bases[i] = getBaseType(TupleDescAttr(desc, i)->atttypid);
	}
}

/*
 * sk_fk_pending
 *		Whether fk is deferrable and rows of its referencing table (any of
 *		its partitions) wait for after-trigger events in this transaction:
 *		a deferred foreign key not checked yet, so a referenced row may not
 *		exist.
 */
static bool
sk_fk_pending(SkFk *fk)
{
	ListCell   *lc;

	if (!fk->deferrable || fk->isvirtual)
		return false;
	foreach(lc, find_all_inheritors(fk->from->relid, NoLock, NULL))
		if (AfterTriggerPendingOnRel(lfirst_oid(lc)))
			return true;
	return false;
}

/*
 * sk_missing_hint
 *		The hint of an error about rows referenced through fk that the
 *		snapshot cannot find: a deferred foreign key not checked yet in this
 *		transaction, row-level security hiding them, or a foreign key not
 *		enforced.  Worked out before the error is raised (it reads the
 *		catalogs).
 */
static char *
sk_missing_hint(SkFk *fk)
{
	if (sk_fk_pending(fk))
		return psprintf("Foreign key \"%s\" is deferred and not checked yet in this transaction: "
					   "insert the referenced rows before taking the snapshot, or run "
					   "SET CONSTRAINTS ALL IMMEDIATE to find the rows at fault.",
					   fk->conname);
	if (fk->isvirtual)
		return psprintf("No constraint checks relation \"%s\" (declared with seedkit_relate): "
					   "repair the referencing rows, or drop the relation with seedkit_unrelate.",
					   fk->conname);
	if (check_enable_rls(fk->to->relid, InvalidOid, true) == RLS_ENABLED)
		return psprintf("Row-level security on table \"%s\" may hide the referenced rows: "
					   "take the snapshot as a role that sees every row.",
					   sk_message_name(fk->to->qname));
	return psprintf("Foreign key \"%s\" was not enforced for these rows (NOT VALID, session_replication_role = replica, "
				   "or its triggers disabled): repair the referencing rows, or leave the table out with exclude.",
				   fk->conname);
}

/*
 * sk_outside_error
 *		Report row rowno of t, whose column i holds a value foreign key fk
 *		does not check (another of its columns is null) and that is no key
 *		of the rows the snapshot holds at the end of the column's chain:
 *		the value cannot be given an ordinal, and kept as it is it would be
 *		read as one.
 */
static void
sk_outside_error(SkTable *t, int i, SkFk *fk, int64 rowno)
{
	SkTable    *et;
	int			ei;

	sk_chain_end(t, i, &et, &ei);
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("column \"%s\" of table \"%s\" holds a reset key the snapshot does not hold",
					t->rawcols[i], sk_message_name(t->qname)),
			 errdetail("Row %lld has a null in another column of foreign key \"%s\", so the key does not apply to it, "
					   "and the value of column \"%s\" is not a key of any row of table \"%s\" in the snapshot.",
					   (long long) rowno, fk->conname, t->rawcols[i], sk_message_name(et->qname)),
			 errhint("Take the snapshot with reset_keys => false, or null the column where the foreign key does not apply.")));
}

/*
 * sk_write_row
 *		Append row rowno of table t, the values and nulls of a row of plan's
 *		statement, as a JSON array.
 */
static void
sk_write_row(StringInfo buf, SkTable *t, SkRowsPlan *plan, Datum *values,
			 bool *nulls, int64 rowno)
{
	int			i;

	appendStringInfoString(buf, rowno > 1 ? ",\n        [" : "\n        [");
	for (i = 0; i < t->ncols; i++)
	{
		bool		isnull;
		Datum		d;
		int			raw = plan->rawcol[i];

		if (i > 0)
			appendBinaryStringInfo(buf, ", ", 2);
		if (plan->kinds[i] == SK_VAL_ROWNUM)
		{
			sk_append_int64(buf, rowno);
			continue;
		}
		d = values[i];
		isnull = nulls[i];
		if (isnull && raw > 0)
		{
			/* Not a reference in this row's partition: the value. */
			d = values[raw - 1];
			isnull = nulls[raw - 1];
			if (!isnull)
			{
				sk_write_value(buf, sk_value_kind(t->typids[i]), d,
							   plan->bases[raw - 1], &plan->outs[raw - 1]);
				continue;
			}
		}
		if (isnull)
		{
			appendStringInfoString(buf, "null");
			continue;
		}
		if (plan->kinds[i] == SK_VAL_ORDINAL)
		{
			int64		ord = DatumGetInt64(d);

			if (plan->maps[i] != NULL)
			{
				ord = sk_ordmap_find(plan->maps[i], ord);
				if (ord == 0)
					ord = SK_ORD_DANGLING;
			}
			if (ord == SK_ORD_OUTSIDE)
				sk_outside_error(t, i, plan->loose[i], rowno);

			/*
			 * No constraint checks a relation declared with seedkit_relate:
			 * a value naming no row is the data's, not row-level security's.
			 */
			if (ord < 0 && t->osrc[i] != NULL && t->osrc[i]->isvirtual)
				ereport(ERROR,
						(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
						 errmsg("row of table \"%s\" references through relation \"%s\" a row that table \"%s\" does not hold",
								sk_message_name(t->qname), t->osrc[i]->conname,
								sk_message_name(t->osrc[i]->to->qname)),
						 errdetail("Column \"%s\" of row %lld holds a value that no row of table \"%s\" has, so it cannot be written as a reference to the table's reset key.",
								   t->rawcols[i], (long long) rowno,
								   sk_message_name(t->osrc[i]->to->qname)),
						 errhint("No constraint checks a relation declared with seedkit_relate: repair the referencing row (null, or a value the table holds), or remove the relation with seedkit_unrelate.")));
			if (ord < 0)
			{
				char	   *hint = sk_missing_hint(t->osrc[i]);

				ereport(ERROR,
						(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
						 errmsg("row of table \"%s\" references a row missing from the snapshot",
								sk_message_name(t->qname)),
						 errdetail("Column \"%s\" of row %lld has no match among the referenced rows of table \"%s\".",
								   t->rawcols[i], (long long) rowno,
								   sk_message_name(t->osrc[i]->to->qname)),
						 errhint("%s", hint)));
			}
			sk_append_int64(buf, ord);
			continue;
		}
		sk_write_value(buf, plan->kinds[i], d, plan->bases[i], &plan->outs[i]);
	}
	appendStringInfoChar(buf, ']');
	if (buf->len > MaxAllocSize - SK_DOCUMENT_HEADROOM)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("snapshot document exceeds the 1 GB limit of a value"),
				 errdetail("The document had reached %d bytes at table \"%s\".",
						   buf->len, sk_message_name(t->qname)),
				 plan->subset ?
				 errhint("Stream it with seedkit_subset_lines(), or narrow the spec with a root's filter, sample or limit, fewer whole tables, or exclude.") :
				 errhint("Stream it with seedkit_snapshot_lines(), or narrow it with filter or exclude.")));
}

/*
 * sk_rows_startup
 *		The rows begin: look up how the statement's columns are output.
 */
static void
sk_rows_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
	SkRowReceiver *r = (SkRowReceiver *) self;

	sk_rows_outputs(r->plan, typeinfo);
}

/*
 * sk_rows_receive
 *		Write one row of the statement; after every SK_FETCH_ROWS rows,
 *		report progress, move the complete lines to the sink and free what
 *		the rows' output took.
 */
static bool
sk_rows_receive(TupleTableSlot *slot, DestReceiver *self)
{
	SkRowReceiver *r = (SkRowReceiver *) self;
	MemoryContext oldcxt;

	slot_getallattrs(slot);
	oldcxt = MemoryContextSwitchTo(r->rowcxt);
	sk_write_row(r->buf, r->t, r->plan, slot->tts_values, slot->tts_isnull,
				 ++r->rowno);
	MemoryContextSwitchTo(oldcxt);
	if (r->rowno % SK_FETCH_ROWS == 0)
	{
		MemoryContextReset(r->rowcxt);
		sk_progress_tick(r->progress, r->t->qname, r->rowno);
		sk_sink_flush(r->buf, r->sink, false);
	}
	return true;
}

/*
 * sk_rows_shutdown
 *		Nothing to do when the rows end (sk_write_rows finishes).
 */
static void
sk_rows_shutdown(DestReceiver *self)
{
}

/*
 * sk_write_rows
 *		Append table t's rows: a cursor over plan's statement opened under
 *		snap and run to its end into a SkRowReceiver, each row written as
 *		the executor makes it, complete lines going to the sink every
 *		SK_FETCH_ROWS rows and at the end.  The portal is run as
 *		SPI_cursor_fetch runs it, but into our receiver instead of SPI's
 *		tuple table (whose copies this saves), and like it without an
 *		error context naming the statement.  Returns the number of rows
 *		written.
 */
static int64
sk_write_rows(StringInfo buf, SkTable *t, SkRowsPlan *plan, Snapshot snap,
			  SkProgress *progress, SkSink *sink)
{
	SPIPlanPtr	spiplan;
	Portal		portal;
	SkRowReceiver r;

	spiplan = SPI_prepare(plan->sql, 0, NULL);
	if (spiplan == NULL)
		elog(ERROR, "could not prepare rows of %s: %s", t->qname,
			 SPI_result_code_string(SPI_result));
	PushCopiedSnapshot(snap);
	UpdateActiveSnapshotCommandId();
	portal = SPI_cursor_open(NULL, spiplan, NULL, NULL, true);
	PopActiveSnapshot();
	if (portal == NULL)
		elog(ERROR, "could not open a cursor on the rows of %s: %s", t->qname,
			 SPI_result_code_string(SPI_result));

	memset(&r, 0, sizeof(r));
	r.pub.receiveSlot = sk_rows_receive;
	r.pub.rStartup = sk_rows_startup;
	r.pub.rShutdown = sk_rows_shutdown;
	r.pub.rDestroy = sk_rows_shutdown;
	r.pub.mydest = DestNone;
	r.buf = buf;
	r.t = t;
	r.plan = plan;
	r.progress = progress;
	r.sink = sink;
	r.rowcxt = AllocSetContextCreate(CurrentMemoryContext, "seedkit rows",
									 ALLOCSET_DEFAULT_SIZES);
	(void) PortalRunFetch(portal, FETCH_FORWARD, FETCH_ALL, &r.pub);

	if (r.rowno % SK_FETCH_ROWS != 0)
	{
		sk_progress_tick(progress, t->qname, r.rowno);
		sk_sink_flush(buf, sink, false);
	}
	SPI_cursor_close(portal);
	SPI_freeplan(spiplan);
	MemoryContextDelete(r.rowcxt);
	return r.rowno;
}

/*
 * sk_document_format
 *		The format a document of the tables in order is written in: SK_FORMAT
 *		when one of them has a json or jsonb column (a value of it may be
 *		wrapped, which a seedkit/1 reader would take for the wrapper), else
 *		SK_FORMAT_V1, so that a document without one reads alike everywhere.
 */
const char *
sk_document_format(List *order)
{
	ListCell   *lc;
	int			i;

	foreach(lc, order)
	{
		SkTable    *t = (SkTable *) lfirst(lc);

		for (i = 0; i < t->ncols; i++)
			if (sk_value_kind(t->typids[i]) == SK_VAL_JSON)
				return SK_FORMAT;
	}
	return SK_FORMAT_V1;
}

/*
 * sk_document_table
 *		Append table t's element to buf: header, then its rows in key order,
 *		read by a cursor under snap.
 */
void
sk_document_table(StringInfo buf, SkGraph *g, SkTable *t, Snapshot snap,
				  bool anonymise, bool last, SkProgress *progress,
				  SkSink *sink)
{
	SkRowsPlan	plan;
	int64		rowno;

	sk_progress_table_begin(progress, t->qname);
	sk_write_header(buf, t);
	sk_rows_plan(t, anonymise, &plan);
	plan.subset = g->spec != NULL;
	rowno = sk_write_rows(buf, t, &plan, snap, progress, sink);

	/*
	 * Every key the closure reached has its row, unless a key was carried
	 * from a foreign key value that references nothing (the foreign key not
	 * enforced): the document would hold a dangling reference, and the
	 * ordinals of a reset key would no longer match the rows.
	 */
	if (rowno != t->nrows)
	{
		ListCell   *lc;
		SkFk	   *pending = NULL;
		char	   *hint = "A foreign key to the table was not enforced (session_replication_role = replica, "
			"or its triggers disabled): repair the referencing rows, or leave the table out with exclude.";

		/* a deferred foreign key to the table not checked yet says why */
		foreach(lc, t->fks_in)
			if (pending == NULL && ((SkFk *) lfirst(lc))->from->entered &&
				sk_fk_pending((SkFk *) lfirst(lc)))
				pending = (SkFk *) lfirst(lc);
		if (pending != NULL)
			hint = sk_missing_hint(pending);
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("snapshot references rows missing from table \"%s\"", sk_message_name(t->qname)),
				 errdetail("Table \"%s\" has no row for %lld of the %lld keys the snapshot reached through foreign key values.",
						   sk_message_name(t->qname), (long long) (t->nrows - rowno), (long long) t->nrows),
				 errhint("%s", hint)));
	}

	appendStringInfoString(buf, rowno > 0 ? "\n      ]\n    }" : "]\n    }");
	appendStringInfoString(buf, last ? "\n" : ",\n");
	t->nrows = rowno;
}
