/*-------------------------------------------------------------------------
 *
 * reader.c
 *	  Reading seedkit/1 documents and restore overrides (all json-c use).
 *
 * The document's structure is walked by a small scanner over its text; each
 * top-level member and each table header member is parsed with json-c on
 * its own (a few hundred bytes at most), while rows are read one at a time
 * straight from the text into COPY's text format.  So memory stays bounded
 * by the document text itself, and json/jsonb values keep their exact text
 * (key order, duplicate keys, number spelling).
 *
 * The input is a json datum, so PostgreSQL has already checked its syntax;
 * the scanner still never reads past the end and reports what it cannot
 * follow.  This file must not include utils/builtins.h: json-c's
 * json_object clashes with it.
 *
 * src/restore/reader.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <json-c/json_object.h>
#include <json-c/json_object_iterator.h>
#include <json-c/json_tokener.h>

#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include "core/messages.h"
#include "restore/reader.h"

/*
 * Deepest nesting json-c accepts in a header member or in overrides: a
 * document's headers nest four deep, overrides three plus the value.
 */
#define SK_JSON_DEPTH 64

/* Smallest bitmap of the ordinals seen in a reset column, in bytes. */
#define SK_SEEN_MIN_BYTES 64

static void sk_malformed(const char *fmt,...) pg_attribute_printf(1, 2);

/*
 * sk_malformed
 *		Raise the error for a document whose shape is wrong.
 */
static void
sk_malformed(const char *fmt,...)
{
	char		buf[256];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_JSON_TEXT),
			 errmsg("malformed seedkit snapshot"),
			 /* a long name cut by vsnprintf: never half a character */
			 errdetail("%.*s", pg_mbcliplen(buf, strlen(buf), strlen(buf)), buf),
			 errhint("Pass a document written by seedkit_snapshot in format \"%s\".",
					 "seedkit/1")));
}

/*
 * sk_skip_ws
 *		First non-whitespace position at or after p (end when none).
 */
static inline const char *
sk_skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
		p++;
	return p;
}

/*
 * sk_scan_string
 *		p is at an opening quote; returns the position just past the
 *		closing one.
 */
static inline const char *
sk_scan_string(const char *p, const char *end)
{
	p++;
	while (p < end)
	{
		const char *q = memchr(p, '"', end - p);
		const char *b;

		if (q == NULL)
			break;
		/* escaped when preceded by an odd number of backslashes */
		for (b = q; b > p && b[-1] == '\\'; b--)
			;
		if (((q - b) & 1) == 0)
			return q + 1;
		p = q + 1;
	}
	sk_malformed("A string runs past the end of the document.");
	return end;					/* keep compiler quiet */
}

/*
 * sk_scan_value
 *		p is at the start of a value; sets *kind and returns the position
 *		just past the value.
 */
static const char *
sk_scan_value(const char *p, const char *end, SkValKind *kind)
{
	const char *q;

	if (p >= end)
		sk_malformed("A value is missing at the end of the document.");
	switch (*p)
	{
		case '"':
			*kind = SK_VAL_STRING;
			return sk_scan_string(p, end);
		case '{':
		case '[':
			{
				int			depth = 0;

				*kind = SK_VAL_COMPOSITE;
				q = p;
				while (q < end)
				{
					char		c = *q;

					if (c == '"')
					{
						q = sk_scan_string(q, end);
						continue;
					}
					if (c == '{' || c == '[')
						depth++;
					else if (c == '}' || c == ']')
					{
						if (--depth == 0)
							return q + 1;
					}
					q++;
				}
				sk_malformed("An object or array runs past the end of the document.");
				break;
			}
		case 't':
			if (end - p >= 4 && memcmp(p, "true", 4) == 0)
			{
				*kind = SK_VAL_TRUE;
				return p + 4;
			}
			break;
		case 'f':
			if (end - p >= 5 && memcmp(p, "false", 5) == 0)
			{
				*kind = SK_VAL_FALSE;
				return p + 5;
			}
			break;
		case 'n':
			if (end - p >= 4 && memcmp(p, "null", 4) == 0)
			{
				*kind = SK_VAL_NULL;
				return p + 4;
			}
			break;
		default:
			if (*p == '-' || (*p >= '0' && *p <= '9'))
			{
				*kind = SK_VAL_NUMBER;
				q = p + 1;
				while (q < end && ((*q >= '0' && *q <= '9') || *q == '.' ||
								   *q == 'e' || *q == 'E' || *q == '+' || *q == '-'))
					q++;
				return q;
			}
			break;
	}
	sk_malformed("Unexpected character \"%c\" where a value should start.", *p);
	return end;					/* keep compiler quiet */
}

/*
 * sk_jc_release
 *		Memory context reset callback that owns one json-c object.
 */
static void
sk_jc_release(void *arg)
{
	json_object_put((json_object *) arg);
}

/*
 * sk_jc_parse
 *		Parse len bytes of JSON text with json-c.  The object belongs to the
 *		current memory context: a reset callback frees it, so an ERROR
 *		anywhere later cannot leak it.  Returns NULL for JSON null.
 */
static json_object *
sk_jc_parse(const char *text, int len, const char *what)
{
	struct json_tokener *tok;
	json_object *obj;
	enum json_tokener_error jerr;
	size_t		parse_end;
	char	   *buf;

	/* json-c finishes a trailing number only when it sees the terminator */
	buf = palloc(len + 1);
	memcpy(buf, text, len);
	buf[len] = '\0';

	tok = json_tokener_new_ex(SK_JSON_DEPTH);
	if (tok == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory")));
	/* nothing between here and json_tokener_free can raise an ERROR */
	obj = json_tokener_parse_ex(tok, buf, len + 1);
	jerr = json_tokener_get_error(tok);
	parse_end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);

	if (obj != NULL)
	{
		MemoryContextCallback *cb;

		cb = MemoryContextAllocExtended(CurrentMemoryContext,
										sizeof(MemoryContextCallback),
										MCXT_ALLOC_NO_OOM);
		if (cb == NULL)
		{
			json_object_put(obj);
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));
		}
		cb->func = sk_jc_release;
		cb->arg = obj;
		MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
	}
	if (jerr != json_tokener_success || parse_end < (size_t) len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_JSON_TEXT),
				 errmsg("could not parse %s", what),
				 errdetail("%s.", json_tokener_error_desc(jerr))));
	pfree(buf);
	return obj;
}

/*
 * sk_jc_string
 *		A palloc'd copy of a json-c string, or NULL when obj is not a string.
 *		Strings with a NUL byte (\u0000) are refused.
 */
static char *
sk_jc_string(json_object *obj, MemoryContext cxt)
{
	const char *s;
	int			len;

	if (obj == NULL || !json_object_is_type(obj, json_type_string))
		return NULL;
	s = json_object_get_string(obj);
	len = json_object_get_string_len(obj);
	if ((int) strlen(s) != len)
		sk_malformed("A name contains the character U+0000.");
	return MemoryContextStrdup(cxt, s);
}

/*
 * sk_jc_string_array
 *		Copy a json-c array of strings into a palloc'd char * array; returns
 *		its length, or -1 when obj is not an array of strings.
 */
static int
sk_jc_string_array(json_object *obj, char ***result, MemoryContext cxt)
{
	size_t		n,
				i;
	char	  **arr;

	if (obj == NULL || !json_object_is_type(obj, json_type_array))
		return -1;
	n = json_object_array_length(obj);
	arr = MemoryContextAllocZero(cxt, sizeof(char *) * (n + 1));
	for (i = 0; i < n; i++)
	{
		arr[i] = sk_jc_string(json_object_array_get_idx(obj, i), cxt);
		if (arr[i] == NULL)
			return -1;
	}
	*result = arr;
	return (int) n;
}

/*
 * sk_key_is
 *		Whether the raw member name (with its quotes) at key equals name.
 *		Member names with escapes never match; the format has none.
 */
static inline bool
sk_key_is(const char *key, int keylen, const char *name)
{
	int			n = strlen(name);

	return keylen == n + 2 && memcmp(key + 1, name, n) == 0;
}

/* Spans of the members of one object, by name. */
typedef struct SkMember
{
	const char *name;
	const char *text;
	int			len;
	SkValKind	kind;
} SkMember;

/*
 * sk_column_index
 *		Index of column name in t's columns, or -1.
 */
int
sk_column_index(const SkDocTable *t, const char *name)
{
	int			i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->columns[i], name) == 0)
			return i;
	return -1;
}

/*
 * sk_column_indexes
 *		Parse a member that lists column names of t into indexes; returns
 *		the count.  When once, no column may be listed twice.
 */
static int
sk_column_indexes(SkDocTable *t, SkMember *m, const char *what, int **result,
				  bool once, MemoryContext cxt)
{
	json_object *obj;
	char	  **names;
	bool	   *listed;
	int			n,
				i;

	if (m->text == NULL)
		sk_malformed("Table \"%s\" has no \"%s\".", t->name, what);
	obj = sk_jc_parse(m->text, m->len, "a snapshot table header");
	n = sk_jc_string_array(obj, &names, cxt);
	if (n < 0)
		sk_malformed("\"%s\" of table \"%s\" is not an array of column names.",
					 what, t->name);
	*result = MemoryContextAlloc(cxt, sizeof(int) * (n + 1));
	listed = palloc0(sizeof(bool) * (t->ncols + 1));
	for (i = 0; i < n; i++)
	{
		(*result)[i] = sk_column_index(t, names[i]);
		if ((*result)[i] < 0)
			sk_malformed("\"%s\" of table \"%s\" names column \"%s\", which is not in its \"columns\".",
						 what, t->name, names[i]);
		if (once && listed[(*result)[i]])
			sk_malformed("\"%s\" of table \"%s\" names column \"%s\" twice.",
						 what, t->name, names[i]);
		listed[(*result)[i]] = true;
	}
	pfree(listed);
	return n;
}

/*
 * sk_parse_references
 *		Parse the "references" member of t.
 */
static void
sk_parse_references(SkDocTable *t, SkMember *m, MemoryContext cxt)
{
	json_object *arr;
	size_t		n,
				i;

	t->nrefs = 0;
	if (m->text == NULL)
		return;
	arr = sk_jc_parse(m->text, m->len, "a snapshot table header");
	if (arr == NULL)
		return;
	if (!json_object_is_type(arr, json_type_array))
		sk_malformed("\"references\" of table \"%s\" is not an array.", t->name);
	n = json_object_array_length(arr);
	t->refs = MemoryContextAllocZero(cxt, sizeof(SkDocRef) * (n + 1));
	for (i = 0; i < n; i++)
	{
		json_object *r = json_object_array_get_idx(arr, i);
		SkDocRef   *ref = &t->refs[i];
		json_object *v;
		int			nkey,
					j;

		if (r == NULL || !json_object_is_type(r, json_type_object))
			sk_malformed("A reference of table \"%s\" is not an object.", t->name);
		{
			struct json_object_iterator it = json_object_iter_begin(r);
			struct json_object_iterator itend = json_object_iter_end(r);

			for (; !json_object_iter_equal(&it, &itend); json_object_iter_next(&it))
			{
				const char *k = json_object_iter_peek_name(&it);

				if (strcmp(k, "constraint") != 0 && strcmp(k, "columns") != 0 &&
					strcmp(k, "table") != 0 && strcmp(k, "key") != 0 &&
					strcmp(k, "after") != 0)
					sk_malformed("Reference %d of table \"%s\" has an unknown member \"%s\".",
								 (int) i + 1, t->name, sk_message_value(k, -1));
			}
		}
		ref->constraint = json_object_object_get_ex(r, "constraint", &v) ?
			sk_jc_string(v, cxt) : NULL;
		ref->table = json_object_object_get_ex(r, "table", &v) ?
			sk_jc_string(v, cxt) : NULL;
		ref->ncols = json_object_object_get_ex(r, "columns", &v) ?
			sk_jc_string_array(v, &ref->columns, cxt) : -1;
		nkey = json_object_object_get_ex(r, "key", &v) ?
			sk_jc_string_array(v, &ref->key, cxt) : -1;
		ref->after = json_object_object_get_ex(r, "after", &v) &&
			v != NULL && json_object_is_type(v, json_type_boolean) &&
			json_object_get_boolean(v);
		if (ref->constraint == NULL || ref->table == NULL ||
			ref->ncols <= 0 || nkey != ref->ncols)
			sk_malformed("Reference %d of table \"%s\" needs \"constraint\", \"table\" and aligned \"columns\" and \"key\".",
						 (int) i + 1, t->name);
		for (j = 0; j < ref->ncols; j++)
			if (sk_column_index(t, ref->columns[j]) < 0)
				sk_malformed("Reference \"%s\" of table \"%s\" names column \"%s\", which is not in its \"columns\".",
							 ref->constraint, t->name, ref->columns[j]);
	}
	t->nrefs = (int) n;
}

/*
 * sk_key_text
 *		The name of a member (key spans its quotes) for a message, cut to a
 *		readable length.
 */
static char *
sk_key_text(const char *key, int keylen)
{
	return keylen < 2 ? pstrdup("") : sk_message_value(key + 1, keylen - 2);
}

/*
 * sk_table_header
 *		Parse the header members of t (spans in m, see sk_parse_table).
 */
static void
sk_table_header(SkDocTable *t, SkMember *m, int tableno, MemoryContext cxt)
{
	json_object *obj;
	int			ntypes;

	if (m[0].text == NULL ||
		(t->name = sk_jc_string(sk_jc_parse(m[0].text, m[0].len, "a snapshot table header"), cxt)) == NULL)
		sk_malformed("Table element %d has no \"table\" name.", tableno);
	obj = m[1].text ? sk_jc_parse(m[1].text, m[1].len, "a snapshot table header") : NULL;
	t->ncols = sk_jc_string_array(obj, &t->columns, cxt);
	if (t->ncols < 0)
		sk_malformed("Table \"%s\" has no \"columns\" array of names.", t->name);
	obj = m[2].text ? sk_jc_parse(m[2].text, m[2].len, "a snapshot table header") : NULL;
	ntypes = sk_jc_string_array(obj, &t->types, cxt);
	if (ntypes != t->ncols)
		sk_malformed("Table \"%s\" needs one entry in \"types\" per column.", t->name);
	t->nkey = sk_column_indexes(t, &m[3], "key", &t->key, false, cxt);
	t->nreset = sk_column_indexes(t, &m[4], "reset", &t->reset, true, cxt);
	sk_parse_references(t, &m[5], cxt);
}

/*
 * sk_cut
 *		A name or value from the document for a message (sk_message_value).
 */
static char *
sk_cut(const char *s)
{
	return sk_message_value(s, -1);
}

/*
 * sk_ordinal_text
 *		How a message quotes the value of a reset column: a number as
 *		written (cut to 32 characters), anything else by its kind only.
 */
static char *
sk_ordinal_text(const SkVal *v)
{
	switch (v->kind)
	{
		case SK_VAL_NUMBER:
			return sk_message_value(v->text, v->len);
		case SK_VAL_STRING:
			{
				int64		n;

				if (sk_val_int64(v, &n))
					return psprintf("%lld", (long long) n);
				return pstrdup("a string");
			}
		case SK_VAL_COMPOSITE:
			return pstrdup("an array or object");
		default:
			return pstrdup("a boolean");
	}
}

/* What is wrong with an ordinal, for sk_bad_ordinal. */
typedef enum SkOrdinalFault
{
	SK_ORD_NOT_INTEGER,
	SK_ORD_BELOW_ONE,
	SK_ORD_ABOVE_ROWS,
	SK_ORD_DUPLICATE
} SkOrdinalFault;

/*
 * sk_bad_ordinal
 *		Refuse value v of reset column col in row rowno of t.
 */
static void
sk_bad_ordinal(const SkDocTable *t, int64 rowno, int col, const SkVal *v,
			   SkOrdinalFault fault)
{
	char	   *value = sk_ordinal_text(v);

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("row %lld of table \"%s\" holds an invalid ordinal in reset column \"%s\"",
					(long long) rowno, sk_message_name(sk_cut(t->name)), sk_cut(t->columns[col])),
			 fault == SK_ORD_NOT_INTEGER ?
			 errdetail("The value is %s, not an integer.", value) :
			 fault == SK_ORD_BELOW_ONE ?
			 errdetail("The value is %s; ordinals start at 1.", value) :
			 fault == SK_ORD_ABOVE_ROWS ?
			 errdetail("The value is %s; the ordinals of the table run from 1 to its number of rows, %lld.",
					   value, (long long) t->nrows) :
			 errdetail("The value is %s, which an earlier row of the table holds too.", value),
			 errhint("A reset key column numbers the rows of its table from 1, each row once: take the snapshot again.")));
}

/*
 * sk_walk_rows
 *		One pass over the rows of t from t->rows (to end at most): checks
 *		their shape, counts them, checks that every reset column holds
 *		ordinals 1..rows, each once (nulls aside), and notes the largest;
 *		notes the first row holding an array or object in each column;
 *		sets t->rows_end.
 */
static void
sk_walk_rows(SkDocTable *t, const char *end, MemoryContext cxt)
{
	SkRowIter	it;
	SkVal	   *vals;
	int64		bound;
	int64	   *maxrow;
	SkVal	   *maxval;
	uint8	  **seen;
	int64	   *seenlen;
	int			i;

	t->reset_max = MemoryContextAllocZero(cxt, sizeof(int64) * (t->nreset + 1));
	t->composite_row = MemoryContextAllocZero(cxt, sizeof(int64) * (t->ncols + 1));
	vals = palloc(sizeof(SkVal) * (t->ncols + 1));

	/*
	 * A row takes at least three bytes ("[0]") and a comma, so the text
	 * bounds the row count: ordinals above it are out of range whatever
	 * the count, and the bitmaps of the ordinals seen never grow past it.
	 */
	bound = (end - t->rows) / 3 + 1;
	maxrow = palloc0(sizeof(int64) * (t->nreset + 1));
	maxval = palloc0(sizeof(SkVal) * (t->nreset + 1));
	seen = palloc0(sizeof(uint8 *) * (t->nreset + 1));
	seenlen = palloc0(sizeof(int64) * (t->nreset + 1));

	it.table = t;
	it.p = t->rows + 1;
	it.end = end;
	it.rowno = 0;
	while (sk_rows_next(&it, vals))
	{
		CHECK_FOR_INTERRUPTS();
		for (i = 0; i < t->ncols; i++)
			if (vals[i].kind == SK_VAL_COMPOSITE && t->composite_row[i] == 0)
				t->composite_row[i] = it.rowno;
		for (i = 0; i < t->nreset; i++)
		{
			SkVal	   *v = &vals[t->reset[i]];
			int64		ord;

			if (v->kind == SK_VAL_NULL)
				continue;
			if (!sk_val_int64(v, &ord))
				sk_bad_ordinal(t, it.rowno, t->reset[i], v, SK_ORD_NOT_INTEGER);
			if (ord < 1)
				sk_bad_ordinal(t, it.rowno, t->reset[i], v, SK_ORD_BELOW_ONE);
			if (ord > t->reset_max[i])
			{
				t->reset_max[i] = ord;
				maxrow[i] = it.rowno;
				maxval[i] = *v;
			}
			if (ord > bound)
				continue;		/* refused below, once the rows are counted */
			if (ord / BITS_PER_BYTE >= seenlen[i])
			{
				int64		len = Max(seenlen[i] * 2, ord / BITS_PER_BYTE + 1);

				len = Min(Max(len, SK_SEEN_MIN_BYTES), bound / BITS_PER_BYTE + 1);
				seen[i] = seen[i] == NULL ? palloc0(len) : repalloc(seen[i], len);
				memset(seen[i] + seenlen[i], 0, len - seenlen[i]);
				seenlen[i] = len;
			}
			if (seen[i][ord / BITS_PER_BYTE] & (1 << (ord % BITS_PER_BYTE)))
				sk_bad_ordinal(t, it.rowno, t->reset[i], v, SK_ORD_DUPLICATE);
			seen[i][ord / BITS_PER_BYTE] |= 1 << (ord % BITS_PER_BYTE);
		}
	}
	if (it.p > end || it.p[-1] != ']')
		sk_malformed("The rows of table \"%s\" run past the end of the document.", t->name);
	t->rows_end = it.p;
	t->nrows = it.rowno;

	/* the largest ordinal of each column is at most the row count */
	for (i = 0; i < t->nreset; i++)
	{
		if (t->reset_max[i] > t->nrows)
			sk_bad_ordinal(t, maxrow[i], t->reset[i], &maxval[i], SK_ORD_ABOVE_ROWS);
		if (seen[i] != NULL)
			pfree(seen[i]);
	}
	pfree(seen);
	pfree(seenlen);
	pfree(maxrow);
	pfree(maxval);
	pfree(vals);
}

/*
 * sk_parse_table
 *		Read one table element at p: its header through json-c, its rows
 *		in one pass (sk_walk_rows).  When the header members come before
 *		"rows", as seedkit_snapshot writes them, that pass is also the one
 *		that finds the end of the rows; otherwise the rows are skipped
 *		first and walked after.  Returns the position past the element.
 */
static const char *
sk_parse_table(const char *p, const char *end, SkDocTable *t, int tableno,
			   MemoryContext cxt)
{
	SkMember	m[6] = {{"table"}, {"columns"}, {"types"}, {"key"},
	{"reset"}, {"references"}};
	bool		header_done = false;
	bool		rows_done = false;
	int			i;

	for (i = 0; i < lengthof(m); i++)
		m[i].text = NULL;
	if (p >= end || *p != '{')
		sk_malformed("Table element %d is not an object.", tableno);
	p = sk_skip_ws(p + 1, end);
	if (p < end && *p == '}')
		sk_malformed("Table element %d has no \"table\" name.", tableno);
	for (;;)
	{
		const char *key;
		int			keylen;
		const char *val;
		SkValKind	kind;

		if (p >= end || *p != '"')
			sk_malformed("Table element %d has a member without a name.", tableno);
		key = p;
		p = sk_scan_string(p, end);
		keylen = p - key;
		p = sk_skip_ws(p, end);
		if (p >= end || *p != ':')
			sk_malformed("Table element %d has a member without a value.", tableno);
		val = sk_skip_ws(p + 1, end);
		if (sk_key_is(key, keylen, "rows"))
		{
			if (t->rows != NULL)
				sk_malformed("Table element %d has \"rows\" twice.", tableno);
			if (val >= end || *val != '[')
				sk_malformed("Table element %d has no \"rows\" array.", tableno);
			t->rows = val;
			if (m[0].text && m[1].text && m[2].text && m[3].text && m[4].text)
			{
				/* the header is complete: walk the rows once, here */
				sk_table_header(t, m, tableno, cxt);
				header_done = true;
				sk_walk_rows(t, end, cxt);
				rows_done = true;
				p = t->rows_end;
			}
			else
			{
				p = sk_scan_value(val, end, &kind);
				t->rows_end = p;
			}
		}
		else
		{
			p = sk_scan_value(val, end, &kind);
			for (i = 0; i < lengthof(m); i++)
			{
				if (sk_key_is(key, keylen, m[i].name))
				{
					if (header_done)
						sk_malformed("Table \"%s\" has \"%s\" after its rows.", t->name, m[i].name);
					if (m[i].text != NULL)
						sk_malformed("Table element %d has \"%s\" twice.", tableno, m[i].name);
					m[i].text = val;
					m[i].len = p - val;
					m[i].kind = kind;
					break;
				}
			}
			if (i == lengthof(m))
				sk_malformed("Table element %d has an unknown member \"%s\".",
							 tableno, sk_key_text(key, keylen));
		}
		p = sk_skip_ws(p, end);
		if (p < end && *p == ',')
		{
			p = sk_skip_ws(p + 1, end);
			continue;
		}
		if (p < end && *p == '}')
		{
			p++;
			break;
		}
		sk_malformed("Table element %d is not a well-formed object.", tableno);
	}
	if (!header_done)
		sk_table_header(t, m, tableno, cxt);
	if (t->rows == NULL)
		sk_malformed("Table \"%s\" has no \"rows\" array.", t->name);
	if (!rows_done)
		sk_walk_rows(t, t->rows_end, cxt);
	return p;
}

/*
 * sk_doc_check_format
 *		The version of a document whose "format" member (span m) is
 *		seedkit/1 or seedkit/2; refuses any other.
 */
static int
sk_doc_check_format(SkMember *m)
{
	char	   *format = NULL;

	if (m->text != NULL)
		format = sk_jc_string(sk_jc_parse(m->text, m->len, "the snapshot format"),
							  CurrentMemoryContext);
	if (format == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("snapshot has no format"),
				 errdetail("A seedkit snapshot is a JSON object with \"format\": \"%s\".",
						   "seedkit/1"),
				 errhint("Pass a document written by seedkit_snapshot.")));
	if (strcmp(format, "seedkit/1") == 0)
		return 1;
	if (strcmp(format, "seedkit/2") == 0)
		return 2;
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("unsupported snapshot format \"%s\"", sk_cut(format)),
			 errdetail("This version of seedkit reads formats \"%s\" and \"%s\" only.",
					   "seedkit/1", "seedkit/2"),
			 errhint("Restore it with the seedkit version that wrote it, or take the snapshot again.")));
	return 0;					/* keep compiler quiet */
}

/*
 * sk_doc_tables
 *		Read the "tables" array at p into doc; json-c objects go in tmp,
 *		reset after each table, results in cxt.  Returns the position past
 *		the array.
 */
static const char *
sk_doc_tables(SkDoc *doc, const char *p, const char *end, MemoryContext tmp,
			  MemoryContext cxt)
{
	int			cap = 16;

	doc->tables = MemoryContextAllocZero(cxt, sizeof(SkDocTable) * cap);
	p = sk_skip_ws(p + 1, end);
	while (p < end && *p != ']')
	{
		if (doc->ntables == cap)
		{
			cap *= 2;
			doc->tables = repalloc(doc->tables, sizeof(SkDocTable) * cap);
		}
		memset(&doc->tables[doc->ntables], 0, sizeof(SkDocTable));
		p = sk_parse_table(p, end, &doc->tables[doc->ntables],
						   doc->ntables + 1, cxt);
		doc->ntables++;
		/* drop this table's json-c objects before the next one */
		MemoryContextReset(tmp);
		p = sk_skip_ws(p, end);
		if (p < end && *p == ',')
			p = sk_skip_ws(p + 1, end);
		else if (p >= end || *p != ']')
			sk_malformed("The \"tables\" array is not well formed.");
	}
	if (p >= end)
		sk_malformed("The \"tables\" array runs past the end of the document.");
	return p + 1;
}

/*
 * sk_name_cmp
 *		qsort/bsearch order of table names (char * elements).
 */
static int
sk_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/*
 * sk_doc_check_refs
 *		Every reference must name a table of the document: the values of
 *		its columns are ordinals or keys of that table's rows, and without
 *		the rows restore would write them as they are, pointing at whatever
 *		rows hold those values.
 */
static void
sk_doc_check_refs(SkDoc *doc)
{
	char	  **names = palloc(sizeof(char *) * (doc->ntables + 1));
	int			i,
				r;

	for (i = 0; i < doc->ntables; i++)
		names[i] = doc->tables[i].name;
	qsort(names, doc->ntables, sizeof(char *), sk_name_cmp);
	for (i = 0; i < doc->ntables; i++)
	{
		SkDocTable *t = &doc->tables[i];

		for (r = 0; r < t->nrefs; r++)
		{
			if (bsearch(&t->refs[r].table, names, doc->ntables, sizeof(char *),
						sk_name_cmp) != NULL)
				continue;
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("table \"%s\" of the snapshot references table \"%s\", which the snapshot does not hold",
							sk_message_name(sk_cut(t->name)), sk_message_name(sk_cut(t->refs[r].table))),
					 errdetail("Reference \"%s\" lists it; a snapshot lists only the foreign keys to its own tables, as the values of their columns stand for rows of the snapshot.",
							   sk_cut(t->refs[r].constraint)),
					 errhint("Take the snapshot again, or correct the document.")));
		}
	}
	pfree(names);
}

/*
 * sk_doc_parse
 *		Read a whole document's structure: refuses other formats and wrong
 *		shapes, checks every row's length, the ordinals of reset columns
 *		and that references name tables of the document.  Row values stay
 *		in the text and are read later with sk_rows_next.  Results are
 *		allocated in the current memory context; json-c's objects are gone
 *		on return.
 */
SkDoc *
sk_doc_parse(const char *text, int len)
{
	MemoryContext cxt = CurrentMemoryContext;
	MemoryContext tmp;
	const char *end = text + len;
	const char *p;
	const char *tables = NULL;
	SkMember	m[3] = {{"format"}, {"name"}, {"root"}};
	SkDoc	   *doc = palloc0(sizeof(SkDoc));
	json_object *obj;
	bool		format_checked = false;
	int			i;

	/* json-c objects live in tmp: deleting it frees them all */
	tmp = AllocSetContextCreate(cxt, "seedkit document header",
								ALLOCSET_SMALL_SIZES);
	MemoryContextSwitchTo(tmp);
	for (i = 0; i < lengthof(m); i++)
		m[i].text = NULL;

	p = sk_skip_ws(text, end);
	if (p >= end || *p != '{')
		sk_malformed("The document is not an object.");
	p = sk_skip_ws(p + 1, end);
	while (p < end && *p != '}')
	{
		const char *key;
		int			keylen;
		const char *val;
		SkValKind	kind;

		if (*p != '"')
			sk_malformed("The document has a member without a name.");
		key = p;
		p = sk_scan_string(p, end);
		keylen = p - key;
		p = sk_skip_ws(p, end);
		if (p >= end || *p != ':')
			sk_malformed("The document has a member without a value.");
		val = sk_skip_ws(p + 1, end);
		if (sk_key_is(key, keylen, "tables") && tables != NULL)
			sk_malformed("The document has \"tables\" twice.");
		if (sk_key_is(key, keylen, "tables") && val < end && *val == '[')
		{
			tables = val;
			if (m[0].text != NULL)
			{
				/* the format is known: read the tables in place */
				doc->version = sk_doc_check_format(&m[0]);
				format_checked = true;
				p = sk_doc_tables(doc, val, end, tmp, cxt);
			}
			else
				p = sk_scan_value(val, end, &kind);
		}
		else
		{
			p = sk_scan_value(val, end, &kind);
			for (i = 0; i < lengthof(m); i++)
			{
				if (sk_key_is(key, keylen, m[i].name))
				{
					if (m[i].text != NULL)
						sk_malformed("The document has \"%s\" twice.", m[i].name);
					m[i].text = val;
					m[i].len = p - val;
					m[i].kind = kind;
					break;
				}
			}
			if (i == lengthof(m) && !sk_key_is(key, keylen, "tables"))
				sk_malformed("The document has an unknown member \"%s\".",
							 sk_key_text(key, keylen));
		}
		p = sk_skip_ws(p, end);
		if (p < end && *p == ',')
			p = sk_skip_ws(p + 1, end);
		else if (p >= end || *p != '}')
			sk_malformed("The document is not a well-formed object.");
	}
	if (p >= end || sk_skip_ws(p + 1, end) != end)
		sk_malformed("Text follows the document's closing brace.");

	if (!format_checked)
		doc->version = sk_doc_check_format(&m[0]);
	if (tables == NULL)
		sk_malformed("The document has no \"tables\" array.");
	if (!format_checked)
		(void) sk_doc_tables(doc, tables, end, tmp, cxt);
	sk_doc_check_refs(doc);
	for (i = 0; i < doc->ntables; i++)
		doc->tables[i].json_wrapped = doc->version >= 2;

	if (m[1].text)
		doc->name = sk_jc_string(sk_jc_parse(m[1].text, m[1].len, "the snapshot name"), cxt);
	if (m[2].text)
	{
		obj = sk_jc_parse(m[2].text, m[2].len, "the snapshot root");
		if (obj != NULL && json_object_is_type(obj, json_type_object))
		{
			json_object *v;

			if (json_object_object_get_ex(obj, "table", &v))
				doc->root_table = sk_jc_string(v, cxt);
			if (json_object_object_get_ex(obj, "filter", &v))
				doc->root_filter = sk_jc_string(v, cxt);
		}
	}

	MemoryContextSwitchTo(cxt);
	MemoryContextDelete(tmp);
	return doc;
}

/*
 * sk_rows_begin
 *		Start walking the rows of table.
 */
void
sk_rows_begin(SkRowIter *it, const SkDocTable *table)
{
	it->table = table;
	it->p = table->rows + 1;
	it->end = table->rows_end;
	it->rowno = 0;
}

/*
 * sk_rows_next
 *		Read the next row into vals (one entry per column); returns false
 *		after the last row.  A row of the wrong length is an error.
 */
bool
sk_rows_next(SkRowIter *it, SkVal *vals)
{
	const char *p = sk_skip_ws(it->p, it->end);
	const char *end = it->end;
	int			ncols = it->table->ncols;
	int			n = 0;

	if (p < end && *p == ',')
	{
		if (it->rowno == 0)
			sk_malformed("The rows of table \"%s\" start with a comma.", it->table->name);
		p = sk_skip_ws(p + 1, end);
		if (p < end && *p == ']')
			sk_malformed("The rows of table \"%s\" end with a comma.", it->table->name);
	}
	if (p >= end || *p == ']')
	{
		/* just past the rows array: how the first walk finds its end */
		it->p = p < end ? p + 1 : end;
		return false;
	}
	it->rowno++;
	if (*p != '[')
		sk_malformed("Row %lld of table \"%s\" is not an array.",
					 (long long) it->rowno, it->table->name);
	p = sk_skip_ws(p + 1, end);
	if (p < end && *p == ']')
		p++;
	else
	{
		for (;;)
		{
			SkValKind	kind;
			const char *start = p;

			p = sk_scan_value(p, end, &kind);
			if (n < ncols)
			{
				vals[n].kind = kind;
				vals[n].text = start;
				vals[n].len = p - start;
			}
			n++;
			p = sk_skip_ws(p, end);
			if (p < end && *p == ',')
			{
				p = sk_skip_ws(p + 1, end);
				continue;
			}
			if (p < end && *p == ']')
			{
				p++;
				break;
			}
			sk_malformed("Row %lld of table \"%s\" is not a well-formed array.",
						 (long long) it->rowno, it->table->name);
		}
	}
	if (n != ncols)
		sk_malformed("Row %lld of table \"%s\" does not have one value for each of its %d columns.",
					 (long long) it->rowno, it->table->name, ncols);
	it->p = p;
	return true;
}

/*
 * sk_hexval
 *		Value of one hex digit, or -1.
 */
static inline int
sk_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * sk_u4
 *		The code unit of the four hex digits at p (p[-2..-1] is "\u"), or -1.
 */
static int
sk_u4(const char *p, const char *end)
{
	int			v = 0,
				i;

	if (end - p < 4)
		return -1;
	for (i = 0; i < 4; i++)
	{
		int			h = sk_hexval(p[i]);

		if (h < 0)
			return -1;
		v = (v << 4) | h;
	}
	return v;
}

/*
 * sk_copy_field
 *		Append len bytes to out escaped as (part of) a COPY text field:
 *		backslash, newline, carriage return and tab; runs of other bytes
 *		are copied at once.
 */
void
sk_copy_field(StringInfo out, const char *s, int len)
{
	const char *run = s;
	const char *end = s + len;

	for (; s < end; s++)
	{
		const char *esc;

		switch (*s)
		{
			case '\\':
				esc = "\\\\";
				break;
			case '\n':
				esc = "\\n";
				break;
			case '\r':
				esc = "\\r";
				break;
			case '\t':
				esc = "\\t";
				break;
			default:
				continue;
		}
		if (s > run)
			appendBinaryStringInfo(out, run, s - run);
		appendBinaryStringInfoNT(out, esc, 2);
		run = s + 1;
	}
	if (end > run)
		appendBinaryStringInfo(out, run, end - run);
}

/*
 * sk_append_escaped
 *		Append bytes to out, escaped for COPY's text format when copy.
 */
static inline void
sk_append_escaped(StringInfo out, const char *s, int len, bool copy)
{
	if (copy)
		sk_copy_field(out, s, len);
	else
		appendBinaryStringInfo(out, s, len);
}

/*
 * sk_string_decode
 *		Append the decoded content of the JSON string literal val (quotes
 *		included) to out, escaped for COPY when copy.
 */
static void
sk_string_decode(StringInfo out, const SkVal *val, bool copy)
{
	const char *p = val->text + 1;
	const char *end = val->text + val->len - 1;

	while (p < end)
	{
		const char *run = p;
		char		c;
		char		ch[MAX_UNICODE_EQUIVALENT_STRING + 1];
		int			chlen = 1;

		while (p < end && *p != '\\')
			p++;
		if (p > run)
			sk_append_escaped(out, run, p - run, copy);
		if (p >= end)
			break;
		/* an escape */
		if (p + 1 >= end)
			sk_malformed("A string ends in a lone backslash.");
		c = p[1];
		p += 2;
		switch (c)
		{
			case '"':
			case '\\':
			case '/':
				ch[0] = c;
				break;
			case 'b':
				ch[0] = '\b';
				break;
			case 'f':
				ch[0] = '\f';
				break;
			case 'n':
				ch[0] = '\n';
				break;
			case 'r':
				ch[0] = '\r';
				break;
			case 't':
				ch[0] = '\t';
				break;
			case 'u':
				{
					int			cp = sk_u4(p, end);

					if (cp < 0)
						sk_malformed("A string has a malformed \\u escape.");
					p += 4;
					if (cp >= 0xD800 && cp <= 0xDBFF)
					{
						int			lo = -1;

						if (end - p >= 6 && p[0] == '\\' && p[1] == 'u')
							lo = sk_u4(p + 2, end);
						if (lo < 0xDC00 || lo > 0xDFFF)
							ereport(ERROR,
									(errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
									 errmsg("invalid Unicode surrogate pair in snapshot string")));
						cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
						p += 6;
					}
					else if (cp >= 0xDC00 && cp <= 0xDFFF)
						ereport(ERROR,
								(errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
								 errmsg("invalid Unicode surrogate pair in snapshot string")));
					if (cp == 0)
						ereport(ERROR,
								(errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
								 errmsg("unsupported Unicode escape sequence in snapshot string"),
								 errdetail("\\u0000 cannot be converted to text.")));
					pg_unicode_to_server((pg_wchar) cp, (unsigned char *) ch);
					chlen = strlen(ch);
					break;
				}
			default:
				sk_malformed("A string has the unknown escape \"\\%c\".", c);
		}
		sk_append_escaped(out, ch, chlen, copy);
	}
}

/*
 * sk_val_append_copy
 *		Append val as one field of COPY's text format.
 */
void
sk_val_append_copy(StringInfo out, const SkVal *val)
{
	switch (val->kind)
	{
		case SK_VAL_NULL:
			appendBinaryStringInfoNT(out, "\\N", 2);
			break;
		case SK_VAL_TRUE:
		case SK_VAL_FALSE:
		case SK_VAL_NUMBER:
			appendBinaryStringInfo(out, val->text, val->len);
			break;
		case SK_VAL_STRING:
			sk_string_decode(out, val, true);
			break;
		case SK_VAL_COMPOSITE:
			sk_append_escaped(out, val->text, val->len, true);
			break;
	}
}

/*
 * sk_name_is_wrap
 *		Whether the raw content of a member name (between its quotes, from
 *		p to end) decodes to "$json".  Raises nothing: escapes that cannot
 *		spell an ASCII character simply do not match.
 */
static bool
sk_name_is_wrap(const char *p, const char *end)
{
	static const char wrap[] = "$json";
	int			n = 0;

	while (p < end)
	{
		int			c = (unsigned char) *p++;

		if (c == '\\')
		{
			if (p >= end)
				return false;
			c = (unsigned char) *p++;
			if (c == 'u')
			{
				c = sk_u4(p, end);
				if (c < 0)
					return false;
				p += 4;
			}
			else if (c != '"' && c != '\\' && c != '/')
				return false;	/* \b \f \n \r \t: not in "$json" */
		}
		if (n >= (int) strlen(wrap) || c != wrap[n])
			return false;
		n++;
	}
	return n == (int) strlen(wrap);
}

/*
 * sk_json_unwrap
 *		Whether the JSON text (len bytes, an object or array as a row or an
 *		override holds it) is the wrapper of a json or jsonb value, an
 *		object with exactly one member named "$json" (escapes decoded); sets
 *		*inner to the span of that member's value, kind SK_VAL_NULL for the
 *		JSON literal null.  Whether the wrapper applies (a seedkit/2
 *		document, a json or jsonb column) is the caller's to know.
 */
bool
sk_json_unwrap(const char *text, int len, SkVal *inner)
{
	const char *end = text + len;
	const char *p = sk_skip_ws(text, end);
	const char *name;

	if (p >= end || *p != '{')
		return false;
	p = sk_skip_ws(p + 1, end);
	if (p >= end || *p != '"')
		return false;
	name = p;
	p = sk_scan_string(p, end);
	if (!sk_name_is_wrap(name + 1, p - 1))
		return false;
	p = sk_skip_ws(p, end);
	if (p >= end || *p != ':')
		return false;
	p = sk_skip_ws(p + 1, end);
	inner->text = p;
	p = sk_scan_value(p, end, &inner->kind);
	inner->len = p - inner->text;
	p = sk_skip_ws(p, end);
	if (p >= end || *p != '}')
		return false;
	return sk_skip_ws(p + 1, end) == end;
}

/*
 * sk_val_text
 *		val as a palloc'd C string (the decoded string, the number or
 *		literal as written, the exact text of an object or array); NULL for
 *		JSON null.
 */
char *
sk_val_text(const SkVal *val)
{
	StringInfoData buf;

	if (val->kind == SK_VAL_NULL)
		return NULL;
	initStringInfo(&buf);
	if (val->kind == SK_VAL_STRING)
		sk_string_decode(&buf, val, false);
	else
		appendBinaryStringInfo(&buf, val->text, val->len);
	return buf.data;
}

/*
 * sk_val_int64
 *		Whether val is an integer number (or a string of one) that fits in
 *		int64; sets *result.
 */
bool
sk_val_int64(const SkVal *val, int64 *result)
{
	const char *p = val->text;
	const char *end = val->text + val->len;
	bool		neg = false;
	uint64		v = 0;

	if (val->kind == SK_VAL_STRING)
	{
		p++;
		end--;
	}
	else if (val->kind != SK_VAL_NUMBER)
		return false;
	if (p < end && *p == '-')
	{
		neg = true;
		p++;
	}
	if (p >= end)
		return false;
	for (; p < end; p++)
	{
		if (*p < '0' || *p > '9')
			return false;
		if (v > (PG_UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (*p - '0');
	}
	if (v > (uint64) PG_INT64_MAX)
		return false;
	*result = neg ? -(int64) v : (int64) v;
	return true;
}

/*
 * sk_jc_value_text
 *		The text an override value stands for: a string's content, a
 *		number's or boolean's spelling, the JSON text of an object or
 *		array; NULL for null.
 */
static char *
sk_jc_value_text(json_object *v)
{
	if (v == NULL)
		return NULL;
	switch (json_object_get_type(v))
	{
		case json_type_null:
			return NULL;
		case json_type_string:
			{
				const char *s = json_object_get_string(v);

				if ((int) strlen(s) != json_object_get_string_len(v))
					ereport(ERROR,
							(errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
							 errmsg("unsupported Unicode escape sequence in overrides"),
							 errdetail("\\u0000 cannot be converted to text.")));
				return pstrdup(s);
			}
		default:
			return pstrdup(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	}
}

/*
 * sk_overrides_parse
 *		Read restore overrides (the text of a jsonb object) into a list of
 *		SkOverride.  {"t": {"col": v}} gives an entry without key; for
 *		{"t": {"k": {"col": v}}} each inner member gives an entry with key
 *		"k".  An object value could be either (a json column set on every
 *		row): such entries carry the object's text in value and its members
 *		as further entries; restore decides by the table's columns.
 */
List *
sk_overrides_parse(const char *text)
{
	MemoryContext cxt = CurrentMemoryContext;
	MemoryContext tmp;
	json_object *top;
	List	   *result = NIL;
	struct json_object_iterator it,
				itend;

	tmp = AllocSetContextCreate(cxt, "seedkit overrides", ALLOCSET_SMALL_SIZES);
	MemoryContextSwitchTo(tmp);
	top = sk_jc_parse(text, strlen(text), "overrides");
	if (top == NULL || !json_object_is_type(top, json_type_object))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("overrides must be a JSON object"),
				 errhint("Pass overrides like '{\"shop.books\": {\"title\": \"Title\"}}'.")));
	it = json_object_iter_begin(top);
	itend = json_object_iter_end(top);
	while (!json_object_iter_equal(&it, &itend))
	{
		const char *tname = json_object_iter_peek_name(&it);
		json_object *tval = json_object_iter_peek_value(&it);
		struct json_object_iterator cit,
					citend;

		if (tval == NULL || !json_object_is_type(tval, json_type_object))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("overrides for table \"%s\" must be a JSON object", sk_message_name(tname)),
					 errhint("Map column names to values, or row keys to objects of column values.")));
		cit = json_object_iter_begin(tval);
		citend = json_object_iter_end(tval);
		while (!json_object_iter_equal(&cit, &citend))
		{
			const char *cname = json_object_iter_peek_name(&cit);
			json_object *cval = json_object_iter_peek_value(&cit);
			SkOverride *o;

			MemoryContextSwitchTo(cxt);
			o = palloc0(sizeof(SkOverride));
			o->table = pstrdup(tname);
			o->column = pstrdup(cname);
			o->value = sk_jc_value_text(cval);
			result = lappend(result, o);
			if (cval != NULL && json_object_is_type(cval, json_type_object))
			{
				struct json_object_iterator kit,
							kitend;

				/* also as "row key cname: column values" */
				kit = json_object_iter_begin(cval);
				kitend = json_object_iter_end(cval);
				while (!json_object_iter_equal(&kit, &kitend))
				{
					o = palloc0(sizeof(SkOverride));
					o->table = pstrdup(tname);
					o->key = pstrdup(cname);
					o->column = pstrdup(json_object_iter_peek_name(&kit));
					o->value = sk_jc_value_text(json_object_iter_peek_value(&kit));
					result = lappend(result, o);
					json_object_iter_next(&kit);
				}
			}
			MemoryContextSwitchTo(tmp);
			json_object_iter_next(&cit);
		}
		json_object_iter_next(&it);
	}
	MemoryContextSwitchTo(cxt);
	MemoryContextDelete(tmp);
	return result;
}
