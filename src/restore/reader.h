/*-------------------------------------------------------------------------
 *
 * reader.h
 *	  The parsed shape of a seedkit/1 or seedkit/2 document, as restore
 *	  reads it.
 *
 * A document is read in two layers.  The structure (top level, each table
 * element's header) is parsed with json-c one small member at a time; the
 * rows are walked by a scanner over the document's own text, one row at a
 * time, so no json-c tree ever holds a table's rows and json/jsonb values
 * keep their exact text.
 *
 * src/restore/reader.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_READER_H
#define SEEDKIT_READER_H

#include "postgres.h"

#include "lib/stringinfo.h"
#include "nodes/pg_list.h"

/* A foreign key of a document table, as the document lists it. */
typedef struct SkDocRef
{
	char	   *constraint;
	int			ncols;
	char	  **columns;		/* this table's columns */
	char	   *table;			/* referenced table, as the document names it */
	char	  **key;			/* referenced columns, aligned with columns */
	bool		after;			/* closes a cycle: filled in after all rows */
} SkDocRef;

/* One table element of a document. */
typedef struct SkDocTable
{
	char	   *name;			/* schema-qualified, as in the document */
	char	   *source_name;	/* before schema_map renamed it, or NULL */
	int			ncols;
	char	  **columns;
	char	  **types;
	int			nkey;
	int		   *key;			/* indexes into columns */
	int			nreset;
	int		   *reset;			/* indexes into columns */
	int64	   *reset_max;		/* per reset column: largest ordinal seen */
	int64	   *composite_row;	/* per column: first row holding an array or
								 * object there, 0 for none */
	int			nrefs;
	SkDocRef   *refs;
	bool		json_wrapped;	/* json values may be wrapped (seedkit/2) */
	const char *rows;			/* the rows array's text, from '[' */
	const char *rows_end;		/* just past its ']' */
	int64		nrows;
} SkDocTable;

/* A whole document: header fields and its tables, in insertion order. */
typedef struct SkDoc
{
	char	   *name;
	char	   *root_table;
	char	   *root_filter;	/* NULL when the root was not filtered */
	int			version;		/* 1 or 2: seedkit/1 or seedkit/2 */
	int			ntables;
	SkDocTable *tables;
} SkDoc;

/* Kinds of a value in a row. */
typedef enum SkValKind
{
	SK_VAL_NULL,
	SK_VAL_TRUE,
	SK_VAL_FALSE,
	SK_VAL_NUMBER,
	SK_VAL_STRING,				/* text includes the quotes */
	SK_VAL_COMPOSITE			/* object or array: its exact text */
} SkValKind;

/* One value of a row: a span of the document's text. */
typedef struct SkVal
{
	SkValKind	kind;
	const char *text;
	int			len;
} SkVal;

/* Walks the rows of one table. */
typedef struct SkRowIter
{
	const SkDocTable *table;
	const char *p;
	const char *end;
	int64		rowno;			/* 1-based number of the row last read */
} SkRowIter;

/* One override: a column value for every row or for the row with key. */
typedef struct SkOverride
{
	char	   *table;			/* as the caller named it */
	char	   *key;			/* NULL: every row */
	char	   *column;
	char	   *value;			/* NULL: SQL null; else the value's text */
} SkOverride;

extern SkDoc *sk_doc_parse(const char *text, int len);
extern int	sk_column_index(const SkDocTable *t, const char *name);
extern void sk_rows_begin(SkRowIter *it, const SkDocTable *table);
extern bool sk_rows_next(SkRowIter *it, SkVal *vals);
extern void sk_val_append_copy(StringInfo out, const SkVal *val);
extern bool sk_json_unwrap(const char *text, int len, SkVal *inner);
extern char *sk_val_text(const SkVal *val);
extern void sk_copy_field(StringInfo out, const char *s, int len);
extern bool sk_val_int64(const SkVal *val, int64 *result);
extern List *sk_overrides_parse(const char *text);

#endif							/* SEEDKIT_READER_H */
