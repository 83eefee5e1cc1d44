/*-------------------------------------------------------------------------
 *
 * nested.c
 *	  Values inside a column: a strategy applied at a jsonpath inside a
 *	  json or jsonb document (option "path"), or to each element of an
 *	  array; and seedkit_fake_inside, the same for one value in SQL.
 *
 * A json document is read by PostgreSQL's JSON parser, which tells where
 * each value starts and ends; only the values at the path are replaced, so
 * every other byte stays as it was.  A jsonb document goes through its
 * text form and back, which gives an equal document outside the path.
 * Paths follow SQL/JSON's lax mode: a key step on an array applies to each
 * element, and a path ending at an array applies to each element.
 *
 * src/anon/nested.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/jsonapi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/jsonfuncs.h"
#include "utils/jsonpath.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "anon/fake.h"
#include "anon/nested.h"

/* Steps of a path this file follows. */
typedef enum SkStepKind
{
	SK_STEP_KEY,				/* .key */
	SK_STEP_ANY_KEY,			/* .* */
	SK_STEP_ANY_ELEM,			/* [*] */
	SK_STEP_ELEMS				/* [1, 3 to 5] */
} SkStepKind;

typedef struct SkStep
{
	SkStepKind	kind;
	char	   *key;
	int			nrange;
	int		   *from;
	int		   *to;
} SkStep;

/* Largest array subscript a path may name. */
#define SK_MAX_SUBSCRIPT 1000000

/* A strategy prepared for values inside a column. */
struct SkNested
{
	Oid			typid;			/* the column's base type */
	bool		is_array;
	/* arrays: the element type and its state */
	Oid			elemtype;
	int16		elemlen;
	bool		elembyval;
	char		elemalign;
	SkFakeState *elem;
	/* json and jsonb: the path and the states for strings and numbers */
	char	   *path;
	int			nsteps;
	SkStep	   *steps;
	SkFakeState *text;
	SkFakeState *number;
};

/*
 * sk_nested_wants
 *		Whether a flag with these options on a column of type typid works
 *		on values inside it: an array column, or an option "path".
 */
bool
sk_nested_wants(Oid typid, Jsonb *options)
{
	return type_is_array(getBaseType(typid)) || sk_has_path(options);
}

/*
 * sk_has_path
 *		Whether the options (may be NULL) have a key "path".
 */
bool
sk_has_path(Jsonb *options)
{
	JsonbValue	k;

	if (options == NULL || !JB_ROOT_IS_OBJECT(options) || JB_ROOT_IS_SCALAR(options))
		return false;
	k.type = jbvString;
	k.val.string.val = "path";
	k.val.string.len = 4;
	return findJsonbValueFromContainer(&options->root, JB_FOBJECT, &k) != NULL;
}

/*
 * sk_path_error
 *		ERROR for a path this file cannot follow.
 */
static void
sk_path_error(const char *path, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("jsonpath \"%s\" is not supported for anonymisation", path),
			 errdetail("It uses %s.", what),
			 errhint("Use a path of keys, .*, [*] and constant subscripts, as in '$.contacts[*].email'.")));
}

/*
 * sk_subscript
 *		The constant array subscript of a path item, range-checked.
 */
static int
sk_subscript(const char *path, JsonPathItem *v)
{
	Numeric		n;
	int			i;

	if (v->type != jpiNumeric)
		sk_path_error(path, "a computed subscript");
	n = jspGetNumeric(v);
	i = DatumGetInt32(DirectFunctionCall1(numeric_int4, NumericGetDatum(n)));
	if (i < 0 || i > SK_MAX_SUBSCRIPT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("array subscript %d of jsonpath \"%s\" is out of range", i, path),
				 errhint("Use subscripts from 0 to %d.", SK_MAX_SUBSCRIPT)));
	return i;
}

/*
 * sk_parse_path
 *		Read path (PostgreSQL's jsonpath syntax, which reports syntax
 *		errors) into n's steps; ERROR for items other than keys, .*, [*]
 *		and constant subscripts.
 */
static void
sk_parse_path(SkNested *n, const char *path)
{
	JsonPath   *jp = DatumGetJsonPathP(DirectFunctionCall1(jsonpath_in,
														   CStringGetDatum(path)));
	JsonPathItem v;
	JsonPathItem next;
	int			cap = 8;

	n->path = pstrdup(path);
	n->steps = palloc0(sizeof(SkStep) * cap);
	n->nsteps = 0;
	jspInit(&v, jp);
	if (v.type != jpiRoot)
		sk_path_error(path, "something other than $ at its start");
	while (jspGetNext(&v, &next))
	{
		SkStep	   *s;
		int			i;

		v = next;
		if (n->nsteps == cap)
		{
			cap *= 2;
			n->steps = repalloc(n->steps, sizeof(SkStep) * cap);
		}
		s = &n->steps[n->nsteps++];
		switch (v.type)
		{
			case jpiKey:
				{
					int32		len;
					char	   *k = jspGetString(&v, &len);

					s->kind = SK_STEP_KEY;
					s->key = pnstrdup(k, len);
					break;
				}
			case jpiAnyKey:
				s->kind = SK_STEP_ANY_KEY;
				break;
			case jpiAnyArray:
				s->kind = SK_STEP_ANY_ELEM;
				break;
			case jpiIndexArray:
				s->kind = SK_STEP_ELEMS;
				s->nrange = v.content.array.nelems;
				s->from = palloc(sizeof(int) * s->nrange);
				s->to = palloc(sizeof(int) * s->nrange);
				for (i = 0; i < s->nrange; i++)
				{
					JsonPathItem from;
					JsonPathItem to;

					if (jspGetArraySubscript(&v, &from, &to, i))
					{
						s->from[i] = sk_subscript(path, &from);
						s->to[i] = sk_subscript(path, &to);
					}
					else
						s->from[i] = s->to[i] = sk_subscript(path, &from);
				}
				break;
			default:
				sk_path_error(path, "filters, methods or operators");
		}
	}
	if (n->nsteps == 0)
		sk_path_error(path, "no step below $");
}

/*
 * sk_without_path
 *		The options without their "path" (the strategy's own options, which
 *		key its fakes: a value inside a document maps as in a column).
 */
static Jsonb *
sk_without_path(Jsonb *options)
{
	return DatumGetJsonbP(DirectFunctionCall2(jsonb_delete, JsonbPGetDatum(options),
											  CStringGetTextDatum("path")));
}

/*
 * sk_path_text
 *		The value of option "path" (a string), or ERROR.
 */
static char *
sk_path_text(Jsonb *options)
{
	JsonbValue	k;
	JsonbValue *v;

	k.type = jbvString;
	k.val.string.val = "path";
	k.val.string.len = 4;
	v = findJsonbValueFromContainer(&options->root, JB_FOBJECT, &k);
	if (v == NULL || v->type != jbvString || v->val.string.len == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("option \"path\" must be a jsonpath string"),
				 errhint("Write the path as in '{\"path\": \"$.contact.email\"}'.")));
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/*
 * sk_nested_prepare
 *		Prepare strategy (with options) for the values inside a column or
 *		value of type typid (typmod): each element of an array, or the
 *		values at option "path" inside a json or jsonb document.  colname
 *		names the column in errors (NULL: none).  When with_key is false,
 *		only the checks run (flag time, no seed read).  Allocated in mcxt.
 */
SkNested *
sk_nested_prepare(const char *strategy, Jsonb *options, Oid typid, int32 typmod,
				  const char *colname, MemoryContext mcxt, bool with_key)
{
	MemoryContext old = MemoryContextSwitchTo(mcxt);
	SkNested   *n = palloc0(sizeof(SkNested));
	bool		has_path = sk_has_path(options);
	Jsonb	   *inner = options;

	n->typid = getBaseTypeAndTypmod(typid, &typmod);
	if (has_path)
	{
		char	   *path = sk_path_text(options);

		if (n->typid != JSONOID && n->typid != JSONBOID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("option \"path\" needs a json or jsonb column, not %s",
							format_type_be(typid)),
					 colname ? errdetail("Column \"%s\" is of type %s.", colname,
										 format_type_be(typid)) : 0,
					 errhint("Flag the column without option \"path\".")));
		sk_parse_path(n, path);
		inner = sk_without_path(options);
		/* a strategy for numbers changes numbers, any other strings */
		if (strcmp(strategy, "number_noise") == 0 && with_key)
			n->number = sk_fake_prepare(strategy, inner, NUMERICOID, -1, false, colname, mcxt);
		else if (strcmp(strategy, "number_noise") == 0)
			sk_fake_validate(strategy, inner, NUMERICOID, -1, false, colname);
		else if (with_key)
			n->text = sk_fake_prepare(strategy, inner, TEXTOID, -1, false, colname, mcxt);
		else
			sk_fake_validate(strategy, inner, TEXTOID, -1, false, colname);
	}
	else
	{
		n->is_array = true;
		n->elemtype = get_element_type(n->typid);
		if (!OidIsValid(n->elemtype))
			elog(ERROR, "type %s is not an array", format_type_be(typid));
		get_typlenbyvalalign(n->elemtype, &n->elemlen, &n->elembyval, &n->elemalign);
		if (with_key)
			n->elem = sk_fake_prepare(strategy, inner, n->elemtype, typmod, false, colname, mcxt);
		else
			sk_fake_validate(strategy, inner, n->elemtype, typmod, false, colname);
	}
	MemoryContextSwitchTo(old);
	return n;
}

/* ---------------------------------------------------------------------
 * Arrays
 * ---------------------------------------------------------------------
 */

/*
 * sk_array_apply
 *		The array with each non-null element replaced by its fake, with the
 *		same dimensions and bounds.
 */
static Datum
sk_array_apply(SkNested *n, Datum value, bool *isnull)
{
	ArrayType  *arr = DatumGetArrayTypeP(value);
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	int			i;

	if (ARR_NDIM(arr) == 0)
		return value;
	deconstruct_array(arr, n->elemtype, n->elemlen, n->elembyval, n->elemalign,
					  &elems, &nulls, &nelems);
	for (i = 0; i < nelems; i++)
		if (!nulls[i])
			elems[i] = sk_fake_apply(n->elem, elems[i], &nulls[i], 0);
	return PointerGetDatum(construct_md_array(elems, nulls, ARR_NDIM(arr), ARR_DIMS(arr),
											  ARR_LBOUND(arr), n->elemtype, n->elemlen,
											  n->elembyval, n->elemalign));
}

/* ---------------------------------------------------------------------
 * JSON documents
 * ---------------------------------------------------------------------
 */

/* One open object or array while walking a document. */
typedef struct SkFrame
{
	int			step;			/* path step its members are matched with */
	bool		is_array;
	int			index;			/* next element's index */
} SkFrame;

/* The walk of one document for one path. */
typedef struct SkWalk
{
	SkNested   *n;
	JsonLexContext *lex;
	SkFrame    *stack;
	int			depth;
	int			cap;
	int			pending;		/* step of the value about to start */
	char	   *start;			/* where that value starts */
	StringInfoData out;			/* the document with replacements so far */
	char	   *copied;			/* input copied to out up to here */
	int			replaced;
} SkWalk;

/*
 * sk_elem_matches
 *		Whether array index i is named by step s.
 */
static bool
sk_elem_matches(SkStep *s, int i)
{
	int			k;

	if (s->kind == SK_STEP_ANY_ELEM)
		return true;
	for (k = 0; k < s->nrange; k++)
		if (i >= s->from[k] && i <= s->to[k])
			return true;
	return false;
}

/*
 * sk_lax_wrap
 *		Lax mode: an array step met by a value that is not an array applies
 *		to the value itself (as if it were a one-element array).
 */
static int
sk_lax_wrap(SkWalk *w, int step)
{
	while (step >= 0 && step < w->n->nsteps &&
		   (w->n->steps[step].kind == SK_STEP_ANY_ELEM ||
			(w->n->steps[step].kind == SK_STEP_ELEMS && sk_elem_matches(&w->n->steps[step], 0))))
		step++;
	return step;
}

/*
 * sk_walk_open
 *		An object or array opens: its members are matched from the step
 *		the value was reached with.
 */
static void
sk_walk_open(SkWalk *w, bool is_array)
{
	int			step = w->pending;

	if (!is_array)
		step = sk_lax_wrap(w, step);
	if (w->depth == w->cap)
	{
		w->cap *= 2;
		w->stack = repalloc(w->stack, sizeof(SkFrame) * w->cap);
	}
	w->stack[w->depth].step = step;
	w->stack[w->depth].is_array = is_array;
	w->stack[w->depth].index = 0;
	w->depth++;
}

static void
sk_walk_object_start(void *state)
{
	sk_walk_open((SkWalk *) state, false);
}

static void
sk_walk_array_start(void *state)
{
	sk_walk_open((SkWalk *) state, true);
}

/*
 * sk_walk_close
 *		An object or array closes.
 */
static void
sk_walk_close(void *state)
{
	((SkWalk *) state)->depth--;
}

/*
 * sk_walk_field
 *		A member of an object starts: the step its value is reached with.
 */
static void
sk_walk_field(void *state, char *fname, bool isnull)
{
	SkWalk	   *w = (SkWalk *) state;
	int			step = w->stack[w->depth - 1].step;
	SkStep	   *s;

	w->start = w->lex->token_start;
	w->pending = -1;
	if (step < 0 || step >= w->n->nsteps)
		return;
	s = &w->n->steps[step];
	if (s->kind == SK_STEP_ANY_KEY ||
		(s->kind == SK_STEP_KEY && strcmp(s->key, fname) == 0))
		w->pending = step + 1;
}

/*
 * sk_walk_elem
 *		An element of an array starts: the step it is reached with (a key
 *		step stays, lax mode; the path's end stays: each element of an array
 *		at the path is replaced).
 */
static void
sk_walk_elem(void *state, bool isnull)
{
	SkWalk	   *w = (SkWalk *) state;
	SkFrame    *f = &w->stack[w->depth - 1];
	int			i = f->index++;
	SkStep	   *s;

	w->start = w->lex->token_start;
	w->pending = -1;
	if (f->step < 0)
		return;
	if (f->step >= w->n->nsteps)
	{
		w->pending = f->step;
		return;
	}
	s = &w->n->steps[f->step];
	if (s->kind == SK_STEP_KEY || s->kind == SK_STEP_ANY_KEY)
		w->pending = f->step;
	else if (sk_elem_matches(s, i))
		w->pending = f->step + 1;
}

/*
 * sk_walk_scalar
 *		A scalar: replaced by its fake when it is at the end of the path (a
 *		string by a string, a number by a number for strategies on numbers,
 *		else by a string; true, false and null stay).
 */
static void
sk_walk_scalar(void *state, char *token, JsonTokenType tokentype)
{
	SkWalk	   *w = (SkWalk *) state;
	int			step = w->depth == 0 ? 0 : w->pending;
	char	   *start = w->depth == 0 ? w->lex->input : w->start;
	char	   *end = w->lex->prev_token_terminator;
	bool		isnull = false;
	Datum		fake;

	step = sk_lax_wrap(w, step);
	if (step != w->n->nsteps ||
		(tokentype != JSON_TOKEN_STRING && tokentype != JSON_TOKEN_NUMBER) ||
		(tokentype == JSON_TOKEN_STRING && w->n->text == NULL))
		return;
	while (w->depth == 0 && (*start == ' ' || *start == '\t' || *start == '\n' || *start == '\r'))
		start++;
	appendBinaryStringInfo(&w->out, w->copied, start - w->copied);
	w->copied = end;
	w->replaced++;
	if (w->n->number != NULL)
	{
		fake = sk_fake_apply(w->n->number,
							 DirectFunctionCall3(numeric_in, CStringGetDatum(token),
												 ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)),
							 &isnull, 0);
		if (isnull)
			appendStringInfoString(&w->out, "null");
		else
			appendStringInfoString(&w->out, DatumGetCString(DirectFunctionCall1(numeric_out, fake)));
		return;
	}
	fake = sk_fake_apply(w->n->text, CStringGetTextDatum(token), &isnull, 0);
	if (isnull)
		appendStringInfoString(&w->out, "null");
	else
		escape_json(&w->out, TextDatumGetCString(fake));
}

/*
 * sk_json_apply
 *		The json text (len bytes) with the values at the path replaced;
 *		NULL when nothing was at the path.
 */
static char *
sk_json_apply(SkNested *n, char *json, int len, int *outlen)
{
	SkWalk		w;
	JsonSemAction sem;

	memset(&w, 0, sizeof(w));
	memset(&sem, 0, sizeof(sem));
	w.n = n;
	w.lex = makeJsonLexContextCstringLen(json, len, GetDatabaseEncoding(), true);
	w.cap = 8;
	w.stack = palloc(sizeof(SkFrame) * w.cap);
	w.copied = json;
	initStringInfo(&w.out);
	sem.semstate = &w;
	sem.object_start = sk_walk_object_start;
	sem.object_end = sk_walk_close;
	sem.array_start = sk_walk_array_start;
	sem.array_end = sk_walk_close;
	sem.object_field_start = sk_walk_field;
	sem.array_element_start = sk_walk_elem;
	sem.scalar = sk_walk_scalar;
	pg_parse_json_or_ereport(w.lex, &sem);
	if (w.replaced == 0)
		return NULL;
	appendBinaryStringInfo(&w.out, w.copied, json + len - w.copied);
	*outlen = w.out.len;
	return w.out.data;
}

/*
 * sk_nested_apply
 *		The fake of a non-null value: each element of an array replaced, or
 *		the values at the path of a json or jsonb document (the document
 *		itself when nothing is there).  Sets *isnull only for arrays'
 *		elements.
 */
Datum
sk_nested_apply(SkNested *n, Datum value, bool *isnull)
{
	char	   *doc;
	char	   *res;
	int			len;
	int			outlen;

	if (*isnull)
		return value;
	if (n->is_array)
		return sk_array_apply(n, value, isnull);
	if (n->typid == JSONOID)
	{
		text	   *t = DatumGetTextPP(value);

		res = sk_json_apply(n, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &outlen);
		if (res == NULL)
			return value;
		return PointerGetDatum(cstring_to_text_with_len(res, outlen));
	}
	doc = JsonbToCString(NULL, &DatumGetJsonbP(value)->root, VARSIZE_ANY(DatumGetPointer(value)));
	len = strlen(doc);
	res = sk_json_apply(n, doc, len, &outlen);
	if (res == NULL)
		return value;
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(res));
}

/* ---------------------------------------------------------------------
 * SQL function
 * ---------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(seedkit_fake_inside);

/*
 * seedkit_fake_inside
 *		seedkit_fake_inside(strategy text, value anyelement, options jsonb)
 *		returns value with the strategy applied inside it: to each element
 *		of an array, or at options' "path" inside a json or jsonb document;
 *		NULL for NULL.  The prepared state lives in fn_extra while strategy,
 *		options and type stay the same.
 */
Datum
seedkit_fake_inside(PG_FUNCTION_ARGS)
{
	SkCallCache *cache;
	text	   *strategy;
	Jsonb	   *options;
	Oid			typid;
	bool		isnull = false;
	Datum		result;

	if (!sk_fake_args(fcinfo, &strategy, &options, &typid))
		PG_RETURN_NULL();
	cache = sk_call_renew(fcinfo, strategy, options, typid);
	if (cache != NULL)
	{
		if (!sk_nested_wants(typid, options))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("seedkit_fake_inside needs an array, or a json or jsonb value with option \"path\""),
					 errhint("Use seedkit_fake for a value of type %s.", format_type_be(typid))));
		cache->state = sk_nested_prepare(text_to_cstring(strategy), options, typid, -1, NULL,
										 cache->cxt, true);
		sk_call_keep(cache, strategy, options, typid);
	}
	result = sk_nested_apply((SkNested *) ((SkCallCache *) fcinfo->flinfo->fn_extra)->state,
							 PG_GETARG_DATUM(1), &isnull);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(result);
}
