/*-------------------------------------------------------------------------
 *
 * copies.c
 *	  copies => N and vary: one document loaded N times in one call, each
 *	  copy with fresh keys and its own values where the schema needs them.
 *
 * restore.c loads the copies one after another (keys drawn, tables loaded,
 * cycles closed, per copy, in a memory context reset between copies), so
 * that memory does not grow with N.  This file plans what differs between
 * copies and checks up front that the copies can coexist:
 *
 * - every key is fresh in every copy: reset keys and the references to
 *   them are remapped per copy by the key plan (resolve.c); a table whose
 *   key has no such column would repeat its keys, and is refused unless
 *   reuse covers it (its rows are then shared by all copies: the match of
 *   copy 2 finds the rows copy 1 inserted);
 * - a flagged column gets the fakes of its strategy under a key mixed with
 *   the copy number (anon.h's sk_anon_copy_*): copy 1 keeps the document's
 *   values, copy k is consistent inside itself;
 * - every unique index needs a column that differs between copies (a fresh
 *   key or reference, a flagged column, or one restore does not write and
 *   its default fills); an unflagged unique column is refused;
 * - vary: a date or timestamp column shifted by (k - 1) times an interval,
 *   a number with deterministic noise.
 *
 * src/restore/copies.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "anon/anon.h"
#include "core/core.h"
#include "restore/restore.h"

/* How a column's values vary across copies. */
typedef enum SkVaryKind
{
	SK_VARY_NONE,
	SK_VARY_SHIFT,				/* dates and timestamps: + (k - 1) * shift */
	SK_VARY_NOISE				/* numbers: * (1 + noise * u), u in [-1, 1) */
} SkVaryKind;

/* How one column's value is made in copy k > 1. */
struct SkCopyCol
{
	SkCopyFake *fake;			/* flagged: the strategy's per-copy fakes */
	int			person_id;		/* a person field: the document columns of */
	int			person_gender;	/* its identity and gender (-1: none) */
	bool		unique;			/* fake under a unique index: collisions
								 * resolved before each copy */
	SPIPlanPtr	plan;			/* unique: the collision check, prepared
								 * once (lives until SPI_finish) */
	SkVaryKind	vary;
	Oid			basetype;		/* vary: the column's base type */
	Interval	shift;			/* shift: the step from one copy to the next */
	Interval	step;			/* shift: (step_copy - 1) * shift */
	int32		step_copy;
	double		noise;			/* noise: the largest relative change */
	uint64		seed;			/* noise: hash of the table and column */
};

/*
 * sk_percopy
 *		Column c of t's per-copy plan, made on first use.
 */
static SkCopyCol *
sk_percopy(SkTarget *t, int c)
{
	if (t->cols[c].percopy == NULL)
		t->cols[c].percopy = palloc0(sizeof(SkCopyCol));
	return t->cols[c].percopy;
}

/*
 * sk_is_reference
 *		Whether document column c of t is a key column or a column of one
 *		of its foreign keys: restore sets those, vary may not.
 */
static bool
sk_is_reference(SkTarget *t, int c)
{
	SkDocTable *d = t->doc;
	int			i,
				j;

	for (i = 0; i < d->nkey; i++)
		if (d->key[i] == c)
			return true;
	for (i = 0; i < d->nrefs; i++)
		for (j = 0; j < d->refs[i].ncols; j++)
			if (strcmp(d->refs[i].columns[j], d->columns[c]) == 0)
				return true;
	return false;
}

/*
 * sk_vary_option
 *		Plan one vary option (shift or noise) with value v for document
 *		column c of t.
 */
static void
sk_vary_option(SkTarget *t, int c, const char *option, JsonbValue *v)
{
	const char *col = t->doc->columns[c];
	SkCopyCol  *cc = sk_percopy(t, c);
	Oid			basetype = getBaseType(get_atttype(t->relid, t->cols[c].attnum));

	if (cc->vary != SK_VARY_NONE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("vary gives column \"%s\" of table \"%s\" more than one option",
						col, sk_message_name(t->doc->name)),
				 errhint("Give each column either \"shift\" or \"noise\".")));
	cc->basetype = basetype;
	if (strcmp(option, "shift") == 0)
	{
		Interval   *iv;

		if (basetype != DATEOID && basetype != TIMESTAMPOID &&
			basetype != TIMESTAMPTZOID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("vary cannot shift column \"%s\" of table \"%s\" of type %s",
							col, sk_message_name(t->doc->name), format_type_be(basetype)),
					 errhint("Option \"shift\" works on date, timestamp and timestamp with time zone columns.")));
		if (v->type != jbvString)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("vary option \"shift\" of column \"%s\" of table \"%s\" must be an interval",
							col, sk_message_name(t->doc->name)),
					 errhint("Write the interval as a string, for example \"1 day\".")));
		iv = DatumGetIntervalP(DirectFunctionCall3(interval_in,
												   CStringGetDatum(pnstrdup(v->val.string.val,
																			v->val.string.len)),
												   ObjectIdGetDatum(InvalidOid),
												   Int32GetDatum(-1)));
		cc->vary = SK_VARY_SHIFT;
		cc->shift = *iv;
		cc->step_copy = 0;
	}
	else if (strcmp(option, "noise") == 0)
	{
		double		noise;

		if (basetype != INT2OID && basetype != INT4OID && basetype != INT8OID &&
			basetype != NUMERICOID && basetype != FLOAT4OID && basetype != FLOAT8OID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("vary cannot add noise to column \"%s\" of table \"%s\" of type %s",
							col, sk_message_name(t->doc->name), format_type_be(basetype)),
					 errhint("Option \"noise\" works on integer, numeric and floating-point columns.")));
		if (v->type != jbvNumeric)
			noise = -1;
		else
			noise = DatumGetFloat8(DirectFunctionCall1(numeric_float8,
													   NumericGetDatum(v->val.numeric)));
		if (!(noise > 0 && noise <= 1))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("vary option \"noise\" of column \"%s\" of table \"%s\" must be a number greater than 0 and at most 1",
							col, sk_message_name(t->doc->name)),
					 errdetail("It is the largest change relative to the value: 0.1 moves a value by up to 10%% either way.")));
		cc->vary = SK_VARY_NOISE;
		cc->noise = noise;
		cc->seed = hash_bytes_extended((const unsigned char *) t->qname,
									   strlen(t->qname),
									   hash_bytes_extended((const unsigned char *) col,
														   strlen(col), 0));
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown vary option \"%s\" for column \"%s\" of table \"%s\"",
						sk_message_value(option, -1), col, sk_message_name(t->doc->name)),
				 errhint("Valid options are \"shift\" and \"noise\".")));
}

/*
 * sk_vary_column
 *		Plan the options (a JSON object v) vary gives column col of t.
 */
static void
sk_vary_column(SkTarget *t, const char *col, JsonbValue *v)
{
	AttrNumber	attnum = get_attnum(t->relid, col);
	JsonbIterator *it;
	JsonbIteratorToken tok;
	JsonbValue	o;
	char	   *option = NULL;
	int			c;

	if (attnum == InvalidAttrNumber || attnum < 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of table \"%s\" does not exist",
						sk_message_value(col, -1), sk_message_name(t->doc->name)),
				 errdetail("The vary argument names it.")));
	c = sk_column_index(t->doc, col);
	if (c < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("vary names column \"%s\" of table \"%s\", which the snapshot does not hold",
						col, sk_message_name(t->doc->name)),
				 errhint("Vary columns the snapshot has values for.")));
	if (sk_is_reference(t, c))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot vary column \"%s\" of table \"%s\"", col, sk_message_name(t->doc->name)),
				 errdetail("The column is a key or a foreign key column: restore sets its values so that references hold.")));
	if (t->cols[c].flagged)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot vary column \"%s\" of table \"%s\"", col, sk_message_name(t->doc->name)),
				 errdetail("The column is flagged as personal data: each copy gets its own fakes of it already.")));
	if (v->type != jbvBinary || !JsonContainerIsObject(v->val.binary.data) ||
		JsonContainerSize(v->val.binary.data) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("vary of column \"%s\" of table \"%s\" must be a JSON object of options",
						col, sk_message_name(t->doc->name)),
				 errhint("For example {\"shift\": \"1 day\"} or {\"noise\": 0.1}.")));
	it = JsonbIteratorInit(v->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &o, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
			option = pnstrdup(o.val.string.val, o.val.string.len);
		else if (tok == WJB_VALUE)
			sk_vary_option(t, c, option, &o);
	}
}

/*
 * sk_plan_vary
 *		Plan the vary argument: {"table": {"column": {"option": value}}}.
 */
static void
sk_plan_vary(SkJob *job, Jsonb *vary)
{
	JsonbIterator *it;
	JsonbIteratorToken tok;
	JsonbValue	v;
	char	   *name = NULL;

	if (!JB_ROOT_IS_OBJECT(vary) || JB_ROOT_IS_SCALAR(vary))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("vary must be a JSON object"),
				 errhint("Name columns per table, for example {\"shop.orders\": {\"ordered_at\": {\"shift\": \"1 day\"}}}.")));
	it = JsonbIteratorInit(&vary->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		SkTarget   *t;
		JsonbIterator *cit;
		JsonbValue	cv;
		char	   *col = NULL;
		int			caller;
		Oid			relid;

		if (tok == WJB_KEY)
		{
			name = pnstrdup(v.val.string.val, v.val.string.len);
			continue;
		}
		if (tok != WJB_VALUE)
			continue;
		/* table names are the caller's: looked up under the caller's path */
		caller = sk_caller_path_push();
		relid = sk_relid_of_name_quiet(name);
		sk_unpin_settings(caller);
		t = sk_named_target(job, name, relid);
		if (t == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_TABLE),
					 errmsg("vary names table \"%s\", which the snapshot does not cover",
							sk_message_name(sk_message_value(name, -1))),
					 errhint("Name tables as the snapshot does, for example \"%s\".",
							 sk_message_name(job->doc->tables[0].name))));
		if (t->nmatch > 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot vary table \"%s\", whose rows reuse shares between copies",
							sk_message_name(t->doc->name)),
					 errhint("Leave the table out of vary or out of reuse.")));
		if (v.type != jbvBinary || !JsonContainerIsObject(v.val.binary.data))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("vary of table \"%s\" must be a JSON object of columns", sk_message_name(t->doc->name)),
					 errhint("For example {\"ordered_at\": {\"shift\": \"1 day\"}}.")));
		cit = JsonbIteratorInit(v.val.binary.data);
		while ((tok = JsonbIteratorNext(&cit, &cv, true)) != WJB_DONE)
		{
			if (tok == WJB_KEY)
				col = pnstrdup(cv.val.string.val, cv.val.string.len);
			else if (tok == WJB_VALUE)
				sk_vary_column(t, col, &cv);
		}
	}
}

/*
 * sk_refers_shared
 *		Whether document column c of t is a column of a reference to a
 *		table the copies share (reuse covers it) or the document does not
 *		hold: its values must stay those of the rows referenced.
 */
static bool
sk_refers_shared(SkJob *job, SkTarget *t, int c)
{
	SkDocTable *d = t->doc;
	int			i,
				j;

	for (i = 0; i < d->nrefs; i++)
		for (j = 0; j < d->refs[i].ncols; j++)
			if (strcmp(d->refs[i].columns[j], d->columns[c]) == 0)
			{
				SkTarget   *rt = sk_find_target(job, d->refs[i].table);

				if (rt == NULL || rt->nmatch > 0)
					return true;
			}
	return false;
}

/*
 * sk_plan_copies
 *		Plan copies => copies and vary on the resolved tables of job: the
 *		flagged columns of tables reuse does not cover get per-copy fakes
 *		(except references to rows the copies share), vary's columns their
 *		variation.  Runs under the pinned settings.
 */
void
sk_plan_copies(SkJob *job, int32 copies, Jsonb *vary)
{
	List	   *fakes = NIL;
	int			i,
				c;

	job->copies = copies;
	for (i = 0; i < job->doc->ntables && copies > 1; i++)
	{
		SkTarget   *t = &job->targets[i];

		if (t->nmatch > 0)
			continue;
		for (c = 0; c < t->doc->ncols; c++)
		{
			SkCopyFake *fake;

			if (!t->cols[c].flagged || sk_reset_slot(t, c) >= 0 ||
				sk_refers_shared(job, t, c))
				continue;
			fake = sk_anon_copy_prepare(t->relid, t->cols[c].attnum, fakes,
										CurrentMemoryContext);
			if (fake != NULL)
			{
				SkCopyCol  *cc = sk_percopy(t, c);
				AttrNumber	id;
				AttrNumber	gender;

				cc->fake = fake;
				fakes = lappend(fakes, fake);
				/* a person field: its row's identity and gender, if held */
				cc->person_id = cc->person_gender = -1;
				if (sk_anon_copy_person(fake, &id, &gender))
				{
					cc->person_id = sk_column_index(t->doc, get_attname(t->relid, id, false));
					if (gender != 0)
						cc->person_gender = sk_column_index(t->doc,
															get_attname(t->relid, gender, false));
				}
			}
		}
	}
	if (vary != NULL)
		sk_plan_vary(job, vary);
}

/*
 * sk_differs
 *		Whether the values restore writes into column attnum of t differ
 *		between copies: a remapped key or reference, a flagged column with
 *		per-copy fakes, or a column restore does not write (its default
 *		fills it, row by row).
 */
static bool
sk_differs(SkTarget *t, AttrNumber attnum)
{
	int			c;

	for (c = 0; c < t->doc->ncols; c++)
		if (t->cols[c].attnum == attnum)
			return t->cols[c].map != NULL ||
				(t->cols[c].percopy != NULL && t->cols[c].percopy->fake != NULL);
	for (c = 0; c < t->nextra; c++)
		if (t->extra[c].attnum == attnum)
			return false;
	return true;
}

/*
 * sk_faked
 *		Whether column attnum of t gets per-copy fakes.
 */
static bool
sk_faked(SkTarget *t, AttrNumber attnum)
{
	int			c;

	for (c = 0; c < t->doc->ncols; c++)
		if (t->cols[c].attnum == attnum)
			return t->cols[c].map == NULL && t->cols[c].percopy != NULL &&
				t->cols[c].percopy->fake != NULL;
	return false;
}

/*
 * sk_check_copies
 *		Before copy 1 is loaded, with the key plan made: refuse a table
 *		whose rows would repeat a key or a unique value in every copy
 *		(tables reuse covers are shared, not copied).
 */
void
sk_check_copies(SkJob *job)
{
	int			i,
				k;

	for (i = 0; i < job->doc->ntables; i++)
	{
		SkTarget   *t = &job->targets[i];
		SkDocTable *d = t->doc;
		Relation	rel;
		List	   *indexes;
		ListCell   *lc;
		bool		fresh = d->nkey == 0;

		if (t->nmatch > 0 || d->nrows == 0)
			continue;
		for (k = 0; k < d->nkey && !fresh; k++)
			fresh = sk_differs(t, t->cols[d->key[k]].attnum);
		if (!fresh)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot make copies of table \"%s\"", sk_message_name(d->name)),
					 errdetail("Its key is neither reset by the snapshot nor made of references to reset keys, so every copy would repeat it."),
					 errhint("Take the snapshot with reset_keys, or share the table's rows between copies with reuse.")));

		rel = table_open(t->relid, NoLock);
		indexes = RelationGetIndexList(rel);
		table_close(rel, NoLock);
		foreach(lc, indexes)
		{
			Oid			indexoid = lfirst_oid(lc);
			HeapTuple	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(indexoid));
			Form_pg_index index;
			bool		differs = false;
			AttrNumber	same = InvalidAttrNumber;

			if (!HeapTupleIsValid(tup))
				continue;
			index = (Form_pg_index) GETSTRUCT(tup);
			if (!index->indisunique)
			{
				ReleaseSysCache(tup);
				continue;
			}
			for (k = 0; k < index->indnkeyatts && !differs; k++)
			{
				AttrNumber	attnum = index->indkey.values[k];

				if (attnum == 0)
					continue;	/* an expression: it may read any column */
				if (sk_faked(t, attnum))
					continue;
				differs = sk_differs(t, attnum);
				if (!differs && same == InvalidAttrNumber)
					same = attnum;
			}
			/* only fakes tell the copies apart: they must not collide */
			for (k = 0; k < index->indnkeyatts && !differs; k++)
			{
				int			c;

				for (c = 0; c < d->ncols; c++)
					if (t->cols[c].attnum == index->indkey.values[k] &&
						sk_faked(t, t->cols[c].attnum))
						t->cols[c].percopy->unique = true;
			}
			for (k = 0; k < index->indnkeyatts && !differs; k++)
				differs = sk_faked(t, index->indkey.values[k]);
			ReleaseSysCache(tup);
			if (differs)
				continue;
			if (same != InvalidAttrNumber)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("cannot make copies of column \"%s\" of table \"%s\"",
								get_attname(t->relid, same, false), sk_message_name(d->name)),
						 errdetail("The column is under unique index \"%s\" and has no anonymisation strategy, so every copy would repeat its values.",
								   get_rel_name(indexoid)),
						 errhint("Flag the column with seedkit_flag() so that each copy gets its own fakes, or share the table's rows between copies with reuse.")));
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot make copies of table \"%s\"", sk_message_name(d->name)),
					 errdetail("Its unique index \"%s\" is on expressions whose values every copy would repeat.",
							   get_rel_name(indexoid)),
					 errhint("Share the table's rows between copies with reuse.")));
		}
	}
}

/*
 * sk_vary_shift
 *		Date or timestamp text moved by (copy - 1) times the column's shift.
 */
static char *
sk_vary_shift(SkCopyCol *cc, int32 copy, const char *text)
{
	Datum		d;

	if (cc->step_copy != copy)
	{
		Interval   *s;

		s = DatumGetIntervalP(DirectFunctionCall2(interval_mul,
												  IntervalPGetDatum(&cc->shift),
												  Float8GetDatum((float8) (copy - 1))));
		cc->step = *s;
		cc->step_copy = copy;
	}
	switch (cc->basetype)
	{
		case DATEOID:
			d = DirectFunctionCall1(date_in, CStringGetDatum(text));
			d = DirectFunctionCall2(date_pl_interval, d, IntervalPGetDatum(&cc->step));
			d = DirectFunctionCall1(timestamp_date, d);
			return DatumGetCString(DirectFunctionCall1(date_out, d));
		case TIMESTAMPOID:
			d = DirectFunctionCall3(timestamp_in, CStringGetDatum(text),
									ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
			d = DirectFunctionCall2(timestamp_pl_interval, d, IntervalPGetDatum(&cc->step));
			return DatumGetCString(DirectFunctionCall1(timestamp_out, d));
		default:
			d = DirectFunctionCall3(timestamptz_in, CStringGetDatum(text),
									ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
			d = DirectFunctionCall2(timestamptz_pl_interval, d, IntervalPGetDatum(&cc->step));
			return DatumGetCString(DirectFunctionCall1(timestamptz_out, d));
	}
}

/*
 * sk_vary_noise
 *		Number text times 1 + noise * u, u in [-1, 1) drawn from the table,
 *		the column, the row and the copy (the same in every run): integers
 *		rounded, numerics kept at the scale the value is written with.
 */
static char *
sk_vary_noise(SkCopyCol *cc, int32 copy, int64 rowno, const char *text)
{
	uint64		in[2];
	uint64		h;
	double		factor;

	in[0] = (uint64) rowno;
	in[1] = (uint64) copy;
	h = hash_bytes_extended((const unsigned char *) in, sizeof(in), cc->seed);
	factor = 1.0 + cc->noise * ((double) (h >> 11) / (double) (UINT64CONST(1) << 53) * 2.0 - 1.0);
	switch (cc->basetype)
	{
		case INT2OID:
		case INT4OID:
		case INT8OID:
			{
				double		r = rint((double) pg_strtoint64(text) * factor);

				/* out of the column's range: its input function says so */
				if (!(r >= -9.2e18 && r <= 9.2e18))
					return pstrdup(text);
				return psprintf("%lld", (long long) r);
			}
		case FLOAT4OID:
		case FLOAT8OID:
			{
				double		r = DatumGetFloat8(DirectFunctionCall1(float8in,
																   CStringGetDatum(text)));

				return DatumGetCString(DirectFunctionCall1(float8out,
														   Float8GetDatum(r * factor)));
			}
		default:
			{
				Datum		n = DirectFunctionCall3(numeric_in, CStringGetDatum(text),
												ObjectIdGetDatum(InvalidOid),
												Int32GetDatum(-1));
				const char *dot = strchr(text, '.');
				int			scale = 0;

				if (dot != NULL)
					while (isdigit((unsigned char) dot[scale + 1]))
						scale++;
				n = DirectFunctionCall2(numeric_mul, n,
										DirectFunctionCall1(float8_numeric,
															Float8GetDatum(factor)));
				n = DirectFunctionCall2(numeric_round, n, Int32GetDatum(scale));
				return DatumGetCString(DirectFunctionCall1(numeric_out, n));
			}
	}
}

/*
 * sk_copy_input
 *		What the per-copy fake of flagged document column col of a row
 *		(vals) is made of: its text, or for a person field drawn from other
 *		columns of its row, the row's input (its text, the identity's and
 *		the gender's), so that every field of the row draws one person in
 *		every copy.  NULL for SQL null; in the current memory context.
 */
static char *
sk_copy_input(SkTarget *t, int col, const SkVal *vals)
{
	SkCopyCol  *cc = t->cols[col].percopy;
	char	   *text = sk_val_text(&vals[col]);

	if (text == NULL || cc->fake == NULL || (cc->person_id < 0 && cc->person_gender < 0))
		return text;
	return sk_anon_copy_person_input(cc->fake, text,
									 cc->person_id >= 0 ? sk_val_text(&vals[cc->person_id]) : NULL,
									 cc->person_gender >= 0 ? sk_val_text(&vals[cc->person_gender]) : NULL);
}

/*
 * sk_copy_value
 *		Document column col of row rowno of t (vals: the row's values) in
 *		the copy being loaded (t->copy > 1): its per-copy fake or
 *		variation.  NULL for SQL null; allocated in the current memory
 *		context.
 */
char *
sk_copy_value(SkTarget *t, int col, int64 rowno, const SkVal *vals)
{
	SkCopyCol  *cc = t->cols[col].percopy;
	char	   *text = sk_val_text(&vals[col]);

	if (text == NULL || t->copy <= 1)
		return text;
	if (cc->fake != NULL)
		return sk_anon_copy_value(cc->fake, t->copy, sk_copy_input(t, col, vals));
	if (cc->vary == SK_VARY_SHIFT)
		return sk_vary_shift(cc, t->copy, text);
	if (cc->vary == SK_VARY_NOISE)
		return sk_vary_noise(cc, t->copy, rowno, text);
	return text;
}

/* How many times one copy's fakes of a unique column are drawn again. */
#define SK_COPY_ROUNDS 32

/*
 * sk_column_texts
 *		Document column c of every row of t as a text[]: the document's
 *		values, or with fakes their fakes in the copy being loaded.
 */
static Datum
sk_column_texts(SkTarget *t, int c, bool fakes)
{
	SkDocTable *d = t->doc;
	SkRowIter	it;
	SkVal	   *vals = palloc(sizeof(SkVal) * (d->ncols + 1));
	Datum	   *elems = palloc(sizeof(Datum) * (d->nrows + 1));
	bool	   *nulls = palloc(sizeof(bool) * (d->nrows + 1));
	int			dims[1];
	int			lbs[1] = {1};
	int			n = 0;

	sk_rows_begin(&it, d);
	while (sk_rows_next(&it, vals) && n < d->nrows)
	{
		char	   *text = fakes ? sk_copy_value(t, c, it.rowno, vals) :
			sk_copy_input(t, c, vals);

		nulls[n] = text == NULL;
		elems[n] = nulls[n] ? (Datum) 0 : CStringGetTextDatum(text);
		n++;
	}
	dims[0] = n;
	return PointerGetDatum(construct_md_array(elems, nulls, 1, dims, lbs,
											  TEXTOID, -1, false, TYPALIGN_INT));
}

/*
 * sk_collision_plan
 *		The collision check of document column c of t, prepared: given the
 *		fakes ($1) and the originals ($2) of a copy's rows, the originals
 *		whose fake another original of the copy has too or a row of the
 *		target holds.  The plan lives until SPI_finish.
 */
static SPIPlanPtr
sk_collision_plan(SkTarget *t, int c)
{
	AttrNumber	attnum = t->cols[c].attnum;
	Oid			argtypes[2] = {TEXTARRAYOID, TEXTARRAYOID};
	StringInfoData sql;
	SPIPlanPtr	plan;

	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "SELECT v.o FROM (SELECT f, o, pg_catalog.dense_rank() OVER (PARTITION BY f ORDER BY o) AS r"
					 " FROM (SELECT DISTINCT f, o FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2)) AS u(f, o)"
					 " WHERE f IS NOT NULL) d) v"
					 /* one index probe a value, not a scan of the table a copy */
					 " LEFT JOIN LATERAL (SELECT true AS hit FROM %s AS x"
					 " WHERE x.%s %s v.f::%s LIMIT 1) h ON true"
					 " WHERE v.r OPERATOR(pg_catalog.>) 1 OR h.hit",
					 sk_table_rows(t->relid), quote_identifier(t->doc->columns[c]),
					 sk_type_eqop(get_atttype(t->relid, attnum)),
					 sk_column_type(t->relid, attnum));
	plan = SPI_prepare(sql.data, 2, argtypes);
	if (plan == NULL)
		elog(ERROR, "could not prepare the check of the fakes of table \"%s\"", t->qname);
	return plan;
}

/*
 * sk_resolve_column
 *		Before copy t->copy (> 1) is loaded: the fakes of document column c
 *		of t, which is under a unique index, drawn again for the values
 *		whose fake another value of this copy has too or a row of the
 *		target holds (one query a round), until none collides.
 */
static void
sk_resolve_column(SkTarget *t, int c)
{
	SkCopyCol  *cc = t->cols[c].percopy;
	int32		copy = t->copy;
	Datum		args[2];
	int			round;
	MemoryContext cxt = CurrentMemoryContext;

	args[1] = sk_column_texts(t, c, false);

	if (cc->plan == NULL)
	{
		cc->plan = sk_collision_plan(t, c);
		MemoryContextSwitchTo(cxt);
	}
	for (round = 0;; round++)
	{
		uint64		n;
		uint64		k;

		CHECK_FOR_INTERRUPTS();
		args[0] = sk_column_texts(t, c, true);
		if (SPI_execute_plan(cc->plan, args, NULL, false, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not check the fakes of table \"%s\"", t->qname);
		/* SPI returns in its procedure context: back to the copy's */
		MemoryContextSwitchTo(cxt);
		n = SPI_processed;
		if (n == 0)
			break;
		if (round >= SK_COPY_ROUNDS)
			ereport(ERROR,
					(errcode(ERRCODE_UNIQUE_VIOLATION),
					 errmsg("could not make unique values of column \"%s\" of table \"%s\" for copy %d",
							t->doc->columns[c], sk_message_name(t->doc->name), (int) copy),
					 errdetail("%llu values still collide after %d candidates each.",
							   (unsigned long long) n, SK_COPY_ROUNDS),
					 errhint("Flag the column with a strategy of more distinct values, or make fewer copies.")));
		for (k = 0; k < n; k++)
		{
			bool		isnull;
			Datum		o = SPI_getbinval(SPI_tuptable->vals[k], SPI_tuptable->tupdesc, 1, &isnull);

			if (!isnull)
				sk_anon_copy_retry(cc->fake, copy, TextDatumGetCString(o));
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_freetuptable(SPI_tuptable);
}

/*
 * sk_resolve_copy
 *		Before copy k > 1 is loaded (targets' copy set, keys planned): the
 *		fakes of every unique flagged column made unique in the copy and
 *		against the rows already there (sk_resolve_column).  References to
 *		them follow: they share the collision rounds.
 */
void
sk_resolve_copy(SkJob *job)
{
	int			i,
				c;

	for (i = 0; i < job->doc->ntables; i++)
	{
		SkTarget   *t = &job->targets[i];

		for (c = 0; c < t->doc->ncols; c++)
			if (t->cols[c].percopy != NULL && t->cols[c].percopy->unique &&
				t->copy > 1)
				sk_resolve_column(t, c);
	}
}
