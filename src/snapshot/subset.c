/*-------------------------------------------------------------------------
 *
 * subset.c
 *	  seedkit_subset's spec: several roots (each with a filter, a sample by
 *	  a keyed hash of the row key, or the n smallest keys), whole tables,
 *	  exclusions, or every table of some schemas ("roots": "all"); and the
 *	  seeding of the closure's key tables from them.
 *
 *	  A subset is one closure like a snapshot's, started from every root
 *	  and whole table at once, under one data snapshot: the graph, closure
 *	  and writer are the snapshot's.
 *
 * src/snapshot/subset.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/regproc.h"
#include "utils/snapmgr.h"

#include "anon/anon.h"
#include "snapshot/subset.h"
#include "snapshot/writer.h"
#include "core/core.h"

/* max_rows when passed null: the SQL function's default. */
#define SK_SUBSET_MAX_ROWS 10000000

/* A sample keeps the rows whose hash, 56 bits, is below percent of this. */
#define SK_SAMPLE_RANGE 72057594037927936.0

/*
 * sk_spec_error
 *		Report a spec that cannot be read: detail says why.
 */
static void
sk_spec_error(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid subset spec"),
			 errdetail("%s", detail),
			 errhint("A spec is an object with \"roots\" (an array of {\"table\", \"filter\", \"sample\", \"limit\"}, or \"all\"), \"whole\", \"exclude\", \"children\" and, with \"roots\": \"all\", \"schemas\".")));
}

/*
 * sk_jb_text
 *		The string v as a C string, or an error naming what.
 */
static char *
sk_jb_text(JsonbValue *v, const char *what)
{
	if (v->type != jbvString)
		sk_spec_error(psprintf("%s must be a string.", what));
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/*
 * sk_jb_elems
 *		The elements of the array v (scalars), or an error naming what.
 */
static List *
sk_jb_elems(JsonbValue *v, const char *what)
{
	JsonbIterator *it;
	JsonbValue	e;
	JsonbIteratorToken r;
	List	   *result = NIL;

	if (v->type != jbvBinary || !JsonContainerIsArray(v->val.binary.data))
		sk_spec_error(psprintf("%s must be an array.", what));
	it = JsonbIteratorInit(v->val.binary.data);
	while ((r = JsonbIteratorNext(&it, &e, true)) != WJB_DONE)
	{
		if (r == WJB_ELEM)
		{
			JsonbValue *copy = palloc(sizeof(JsonbValue));

			*copy = e;
			result = lappend(result, copy);
		}
	}
	return result;
}

/*
 * sk_jb_tables
 *		The tables named by the array v, looked up on the caller's
 *		search_path; what names the member for errors.
 */
static List *
sk_jb_tables(JsonbValue *v, const char *what)
{
	List	   *result = NIL;
	ListCell   *lc;

	foreach(lc, sk_jb_elems(v, what))
	{
		char	   *name = sk_jb_text((JsonbValue *) lfirst(lc),
									  psprintf("Each element of %s", what));

		result = lappend_oid(result, sk_relid_of_name(name, NoLock, false));
	}
	return result;
}

/*
 * sk_json_tables
 *		Append the tables relids as a JSON array of qualified names.
 */
static void
sk_json_tables(StringInfo buf, List *relids)
{
	ListCell   *lc;

	appendStringInfoChar(buf, '[');
	foreach(lc, relids)
	{
		char	   *q = sk_qualified_name(lfirst_oid(lc));

		if (lc != list_head(relids))
			appendStringInfoString(buf, ", ");
		sk_json_string(buf, q, strlen(q));
	}
	appendStringInfoChar(buf, ']');
}

/*
 * sk_parse_root
 *		One element of "roots": {"table", "filter", "sample", "limit"}.
 */
static SkSubsetRoot *
sk_parse_root(JsonbValue *v)
{
	SkSubsetRoot *root = palloc0(sizeof(SkSubsetRoot));
	JsonbIterator *it;
	JsonbValue	k,
				val;
	JsonbIteratorToken r;
	char	   *table = NULL;

	root->limit = -1;
	if (v->type != jbvBinary || !JsonContainerIsObject(v->val.binary.data))
		sk_spec_error("Each element of \"roots\" must be an object.");
	it = JsonbIteratorInit(v->val.binary.data);
	while ((r = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
	{
		char	   *key;

		if (r != WJB_KEY)
			continue;
		key = pnstrdup(k.val.string.val, k.val.string.len);
		(void) JsonbIteratorNext(&it, &val, true);
		if (strcmp(key, "table") == 0)
			table = sk_jb_text(&val, "\"table\" of a root");
		else if (strcmp(key, "filter") == 0)
			root->filter = val.type == jbvNull ? NULL :
				sk_jb_text(&val, "\"filter\" of a root");
		else if (strcmp(key, "sample") == 0)
		{
			if (val.type == jbvNull)
				continue;
			if (val.type != jbvNumeric)
				sk_spec_error("\"sample\" of a root must be a number.");
			root->sample = DatumGetCString(DirectFunctionCall1(numeric_out,
															   NumericGetDatum(val.val.numeric)));
			root->percent = DatumGetFloat8(DirectFunctionCall1(numeric_float8,
															   NumericGetDatum(val.val.numeric)));
			if (!(root->percent >= 0.0 && root->percent <= 100.0))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("sample %s is out of range", root->sample),
						 errdetail("A sample is a percentage of the root's rows, from 0 to 100.")));
		}
		else if (strcmp(key, "limit") == 0)
		{
			Numeric		n;

			if (val.type == jbvNull)
				continue;
			if (val.type != jbvNumeric)
				sk_spec_error("\"limit\" of a root must be a number.");
			n = val.val.numeric;
			if (numeric_is_nan(n) || numeric_is_inf(n) ||
				!DatumGetBool(DirectFunctionCall2(numeric_eq, NumericGetDatum(n),
												  DirectFunctionCall1(numeric_floor,
																	  NumericGetDatum(n)))) ||
				DatumGetBool(DirectFunctionCall2(numeric_lt, NumericGetDatum(n),
												 NumericGetDatum(int64_to_numeric(0)))) ||
				DatumGetBool(DirectFunctionCall2(numeric_gt, NumericGetDatum(n),
												 NumericGetDatum(int64_to_numeric(PG_INT64_MAX)))))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("limit %s is out of range",
								DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(n)))),
						 errdetail("A limit is a whole number of rows, not negative.")));
			root->limit = DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(n)));
		}
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown member \"%s\" in a root of the subset spec", key),
					 errhint("A root has the members \"table\", \"filter\", \"sample\" and \"limit\".")));
	}
	if (table == NULL)
		sk_spec_error("Each root must name its \"table\".");
	root->relid = sk_relid_of_name(table, NoLock, false);
	return root;
}

/*
 * sk_schema_tables
 *		Every table of the schemas (NIL: every schema but the system's,
 *		seedkit's own and the temporary ones), partitions and extension
 *		members left out, in the order of their names.
 */
static List *
sk_schema_tables(List *schemas)
{
	List	   *result = NIL;
	StringInfoData sql;
	ListCell   *lc;
	uint64		i;

	initStringInfo(&sql);
	appendStringInfoString(&sql,
						   "SELECT c.oid FROM pg_catalog.pg_class c "
						   "JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
						   "WHERE c.relkind OPERATOR(pg_catalog.=) ANY ('{r,p}'::pg_catalog.\"char\"[]) "
						   "AND NOT c.relispartition "
						   "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d "
						   "WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass "
						   "AND d.objid OPERATOR(pg_catalog.=) c.oid "
						   "AND d.deptype OPERATOR(pg_catalog.=) 'e') ");
	if (schemas == NIL)
		appendStringInfoString(&sql,
							   "AND n.nspname OPERATOR(pg_catalog.<>) ALL ('{pg_catalog,information_schema,pg_toast}'::pg_catalog.name[]) "
							   "AND n.nspname OPERATOR(pg_catalog.!~) '^pg_(toast_)?temp_' ");
	else
	{
		appendStringInfoString(&sql, "AND n.oid OPERATOR(pg_catalog.=) ANY ('{");
		foreach(lc, schemas)
		{
			char	   *nsp = (char *) lfirst(lc);

			appendStringInfo(&sql, "%s%u", lc == list_head(schemas) ? "" : ",",
							 get_namespace_oid(nsp, false));
		}
		appendStringInfoString(&sql, "}'::pg_catalog.oid[]) ");
	}
	appendStringInfoString(&sql, "ORDER BY n.nspname COLLATE pg_catalog.\"C\", c.relname COLLATE pg_catalog.\"C\"");
	if (SPI_execute(sql.data, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not list the tables of the schemas");
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;

		result = lappend_oid(result,
							 DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i],
															SPI_tuptable->tupdesc, 1,
															&isnull)));
	}
	return result;
}

/*
 * sk_spec_json
 *		The document's "root" member for a spec: its members with every
 *		table qualified, in a fixed order.
 */
static char *
sk_spec_json(SkSpec *spec, bool all, List *schemas, List *exclude)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	appendStringInfoString(&buf, "{\"roots\": ");
	if (all)
	{
		appendStringInfoString(&buf, "\"all\", \"schemas\": ");
		if (schemas == NIL)
			appendStringInfoString(&buf, "null");
		else
		{
			appendStringInfoChar(&buf, '[');
			foreach(lc, schemas)
			{
				char	   *s = (char *) lfirst(lc);

				if (lc != list_head(schemas))
					appendStringInfoString(&buf, ", ");
				sk_json_string(&buf, s, strlen(s));
			}
			appendStringInfoChar(&buf, ']');
		}
	}
	else
	{
		appendStringInfoChar(&buf, '[');
		foreach(lc, spec->roots)
		{
			SkSubsetRoot *r = (SkSubsetRoot *) lfirst(lc);
			char	   *q = sk_qualified_name(r->relid);

			if (lc != list_head(spec->roots))
				appendStringInfoString(&buf, ", ");
			appendStringInfoString(&buf, "{\"table\": ");
			sk_json_string(&buf, q, strlen(q));
			appendStringInfoString(&buf, ", \"filter\": ");
			if (r->filter)
				sk_json_string(&buf, r->filter, strlen(r->filter));
			else
				appendStringInfoString(&buf, "null");
			appendStringInfo(&buf, ", \"sample\": %s", r->sample ? r->sample : "null");
			if (r->limit >= 0)
				appendStringInfo(&buf, ", \"limit\": %lld}", (long long) r->limit);
			else
				appendStringInfoString(&buf, ", \"limit\": null}");
		}
		appendStringInfoString(&buf, "], \"whole\": ");
		sk_json_tables(&buf, spec->wholes);
	}
	appendStringInfoString(&buf, ", \"exclude\": ");
	sk_json_tables(&buf, exclude);
	appendStringInfo(&buf, ", \"children\": %s}", spec->children ? "true" : "false");
	return buf.data;
}

/*
 * sk_subset_parse
 *		Read and check a spec: its members, the tables it names (on the
 *		caller's search_path), and the whole tables of "roots": "all".
 *		Runs inside SPI.
 */
static SkSpec *
sk_subset_parse(Jsonb *jb)
{
	SkSpec	   *spec = palloc0(sizeof(SkSpec));
	JsonbIterator *it;
	JsonbValue	k,
				val;
	JsonbIteratorToken r;
	bool		all = false;
	bool		has_schemas = false;
	List	   *schemas = NIL;
	List	   *exclude = NIL;
	ListCell   *lc;
	int			i;

	spec->children = true;
	if (!JB_ROOT_IS_OBJECT(jb))
		sk_spec_error("The spec must be a JSON object.");
	it = JsonbIteratorInit(&jb->root);
	while ((r = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
	{
		char	   *key;

		if (r != WJB_KEY)
			continue;
		key = pnstrdup(k.val.string.val, k.val.string.len);
		(void) JsonbIteratorNext(&it, &val, true);
		if (strcmp(key, "roots") == 0)
		{
			if (val.type == jbvString)
			{
				if (strcmp(sk_jb_text(&val, "\"roots\""), "all") != 0)
					sk_spec_error("\"roots\" must be an array of roots or \"all\".");
				all = true;
			}
			else
				foreach(lc, sk_jb_elems(&val, "\"roots\""))
					spec->roots = lappend(spec->roots,
										  sk_parse_root((JsonbValue *) lfirst(lc)));
		}
		else if (strcmp(key, "whole") == 0)
			spec->wholes = sk_jb_tables(&val, "\"whole\"");
		else if (strcmp(key, "exclude") == 0)
			exclude = sk_jb_tables(&val, "\"exclude\"");
		else if (strcmp(key, "children") == 0)
		{
			if (val.type != jbvBool)
				sk_spec_error("\"children\" must be true or false.");
			spec->children = val.val.boolean;
		}
		else if (strcmp(key, "schemas") == 0)
		{
			has_schemas = true;
			foreach(lc, sk_jb_elems(&val, "\"schemas\""))
				schemas = lappend(schemas,
								  sk_jb_text((JsonbValue *) lfirst(lc),
											 "Each element of \"schemas\""));
		}
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown member \"%s\" in subset spec", key),
					 errhint("A spec has the members \"roots\", \"whole\", \"exclude\", \"children\" and \"schemas\".")));
	}
	if (has_schemas && !all)
		sk_spec_error("\"schemas\" goes only with \"roots\": \"all\".");

	if (all)
	{
		/* every table of the schemas, whole, but those excluded */
		List	   *tables = sk_schema_tables(schemas);

		foreach(lc, tables)
			if (!list_member_oid(exclude, lfirst_oid(lc)))
				spec->wholes = list_append_unique_oid(spec->wholes, lfirst_oid(lc));
	}
	if (spec->roots == NIL && spec->wholes == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("subset has no table"),
				 errdetail("The spec names no root and no whole table."),
				 errhint("List tables in \"roots\" or \"whole\", or use \"roots\": \"all\".")));

	spec->nexclude = list_length(exclude);
	spec->exclude = palloc(sizeof(Oid) * (spec->nexclude + 1));
	i = 0;
	foreach(lc, exclude)
		spec->exclude[i++] = lfirst_oid(lc);
	/* the whole tables of "all" have every row: no child to follow */
	if (all)
		spec->children = false;
	spec->json = sk_spec_json(spec, all, schemas, exclude);
	return spec;
}

/*
 * sk_subset_options
 *		Read seedkit_subset's arguments (spec, name, max_rows, reset_keys,
 *		anonymise) into opt.  Runs inside SPI (the spec's tables are read
 *		from the catalogs).
 */
void
sk_subset_options(FunctionCallInfo fcinfo, SkOptions *opt)
{
	memset(opt, 0, sizeof(SkOptions));
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("subset spec must not be null")));
	opt->max_rows = PG_ARGISNULL(2) ? SK_SUBSET_MAX_ROWS : PG_GETARG_INT64(2);
	opt->reset_keys = PG_ARGISNULL(3) ? true : PG_GETARG_BOOL(3);
	opt->anonymise = PG_ARGISNULL(4) ? true : PG_GETARG_BOOL(4);
	if (opt->max_rows < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_rows must not be negative")));
	opt->name = PG_ARGISNULL(1) ? "subset" : text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (opt->name[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("snapshot name must not be empty")));
	opt->spec = sk_subset_parse(PG_GETARG_JSONB_P(0));
	opt->children = opt->spec->children;
	opt->exclude = opt->spec->exclude;
	opt->nexclude = opt->spec->nexclude;
}

/*
 * sk_key_order
 *		The ORDER BY list of a row's key, in the order the writer writes
 *		rows (text in the C collation).  alias "k" reads a key table.
 */
static char *
sk_key_order(SkTable *t, const char *alias)
{
	StringInfoData buf;
	int			j;

	initStringInfo(&buf);
	for (j = 0; j < t->nkey; j++)
	{
		if (j > 0)
			appendStringInfoString(&buf, ", ");
		if (strcmp(alias, "k") == 0)
			appendStringInfo(&buf, "k.k%d", j);
		else
			appendStringInfo(&buf, "%s.%s", alias, t->cols[t->keyidx[j]]);
		if (type_is_collatable(t->typids[t->keyidx[j]]))
			appendStringInfoString(&buf, " COLLATE pg_catalog.\"C\"");
	}
	return buf.data;
}

/*
 * sk_sample_cond
 *		The condition keeping a row in the sample: the keyed hash of its key
 *		(seedkit_sample_hash under the sampling key, parameter $keyarg)
 *		below the bound (parameter $keyarg + 1).  alias "k" reads a key
 *		table (k0, k1, ...), any other alias the table itself.  Every name
 *		is schema-qualified: it may run under the caller's search_path.
 */
static char *
sk_sample_cond(SkTable *t, const char *alias, int keyarg)
{
	StringInfoData buf;
	int			j;

	initStringInfo(&buf);
	appendStringInfo(&buf, "seedkit.seedkit_sample_hash($%d", keyarg);
	for (j = 0; j < t->nkey; j++)
	{
		if (strcmp(alias, "k") == 0)
			appendStringInfo(&buf, ", k.k%d", j);
		else
			appendStringInfo(&buf, ", %s.%s", alias, t->cols[t->keyidx[j]]);
	}
	appendStringInfo(&buf, ") OPERATOR(pg_catalog.<) $%d", keyarg + 1);
	return buf.data;
}

/*
 * sk_sample_args
 *		The two parameters of sk_sample_cond for root: the sampling key and
 *		the bound, percent of the hash's range.
 */
static void
sk_sample_args(SkSubsetRoot *root, Oid *types, Datum *vals)
{
	uint8		key[SK_SAMPLE_KEY_LEN];
	bytea	   *kb = palloc(VARHDRSZ + SK_SAMPLE_KEY_LEN);

	sk_anon_sample_key(key);
	SET_VARSIZE(kb, VARHDRSZ + SK_SAMPLE_KEY_LEN);
	memcpy(VARDATA(kb), key, SK_SAMPLE_KEY_LEN);
	explicit_bzero(key, sizeof(key));
	types[0] = BYTEAOID;
	vals[0] = PointerGetDatum(kb);
	types[1] = INT8OID;
	vals[1] = Int64GetDatum((int64) (root->percent / 100.0 * SK_SAMPLE_RANGE));
}

/*
 * sk_key_text_fixed
 *		Whether the text of t's key is the same under any settings: every
 *		key column is an integer, numeric, text, uuid, boolean or oid (not
 *		a date, a float, a bytea, ...).  The sample can then be chosen as the
 *		rows are read, under the caller's settings.
 */
static bool
sk_key_text_fixed(SkTable *t)
{
	int			j;

	for (j = 0; j < t->nkey; j++)
	{
		switch (getBaseType(t->typids[t->keyidx[j]]))
		{
			case INT2OID:
			case INT4OID:
			case INT8OID:
			case NUMERICOID:
			case TEXTOID:
			case VARCHAROID:
			case BPCHAROID:
			case UUIDOID:
			case BOOLOID:
			case OIDOID:
				break;
			default:
				return false;
		}
	}
	return true;
}

/*
 * sk_subset_trim
 *		Keep of the rows just seeded into t's key table (generation -1) the
 *		sample and the limit of root, and make them generation 0: the same
 *		choice as sk_subset_seed_root makes in one statement, for keys
 *		whose text depends on the settings.  Runs under the pinned settings.
 */
static void
sk_subset_trim(SkTable *t, SkSubsetRoot *root, Snapshot snap)
{
	char	   *kt = sk_ktable(t);
	bool		isnull;

	if (root->sample != NULL)
	{
		Oid			types[2];
		Datum		vals[2];

		sk_sample_args(root, types, vals);
		(void) sk_exec(psprintf("DELETE FROM %s k WHERE k.gen = -1 AND NOT (%s)",
								kt, sk_sample_cond(t, "k", 1)),
					   snap, 2, types, vals);
	}
	if (root->limit >= 0)
	{
		Oid			types[1] = {INT8OID};
		Datum		vals[1] = {Int64GetDatum(root->limit)};

		(void) sk_exec(psprintf("DELETE FROM %s d USING (SELECT k.ctid AS c, "
								"pg_catalog.row_number() OVER (ORDER BY %s) AS n "
								"FROM %s k WHERE k.gen = -1) s "
								"WHERE d.ctid = s.c AND s.n > $1",
								kt, sk_key_order(t, "k"), kt),
					   snap, 1, types, vals);
	}
	(void) sk_exec(psprintf("UPDATE %s SET gen = 0 WHERE gen = -1", kt), snap, 0, NULL, NULL);

	/* the rows left are the previous generation of the closure's first round */
	(void) sk_exec(psprintf("SELECT pg_catalog.count(*), pg_catalog.count(*) FILTER (WHERE child) FROM %s",
							kt), snap, 0, NULL, NULL);
	t->nrows = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	t->prev_new = t->nrows;
	t->prev_child = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
}

/*
 * sk_subset_seed_root
 *		Seed t's key table with root's rows: those the filter lets through
 *		(under the caller's settings), then the sample, then the limit.
 *		When the key's text does not depend on the settings, in one
 *		statement; else the filtered rows go in as generation -1 and are
 *		trimmed under the pinned settings (sk_subset_trim).
 */
static void
sk_subset_seed_root(SkTable *t, SkSubsetRoot *root, Snapshot snap)
{
	StringInfoData extra;
	Oid			types[3];
	Datum		vals[3];
	int			nargs = 0;
	int			level;

	if (root->sample == NULL && root->limit < 0)
	{
		(void) sk_closure_seed(t, root->relid, root->filter, NULL, 0, NULL, NULL,
							   true, 0, snap);
		return;
	}
	if (t->nkey == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot sample table \"%s\", which has no key", sk_message_name(t->qname)),
				 errdetail("A sample or a limit chooses rows by their key: a primary key or a NOT NULL unique key."),
				 errhint("Choose the rows with a filter instead.")));
	if (!sk_key_text_fixed(t))
	{
		(void) sk_closure_seed(t, root->relid, root->filter, NULL, 0, NULL, NULL,
							   true, -1, snap);
		level = sk_pin_settings();
		sk_subset_trim(t, root, snap);
		sk_unpin_settings(level);
		return;
	}

	initStringInfo(&extra);
	if (root->sample != NULL)
	{
		level = sk_pin_settings();
		sk_sample_args(root, types, vals);
		sk_unpin_settings(level);
		nargs = 2;
		appendStringInfo(&extra, " AND %s", sk_sample_cond(t, "t", 1));
	}
	if (root->limit >= 0)
	{
		types[nargs] = INT8OID;
		vals[nargs] = Int64GetDatum(root->limit);
		nargs++;
		appendStringInfo(&extra, " ORDER BY %s LIMIT $%d", sk_key_order(t, "t"), nargs);
	}
	(void) sk_closure_seed(t, root->relid, root->filter, extra.data, nargs, types, vals,
						   true, 0, snap);
}

/*
 * sk_subset_take
 *		sk_closure_take for a subset: build the graph from every root and
 *		whole table (which locks its tables), register the one data snapshot
 *		in *snap, create the key tables, seed them (the roots' rows chosen
 *		under the caller's own settings, sk_subset_seed_root; then every
 *		row of the whole tables) and compute the closure.  Returns the graph with settings pinned at
 *		*level; the caller unregisters *snap.
 */
SkGraph *
sk_subset_take(SkOptions *opt, Snapshot *snap, int64 max_rows, int *level)
{
	SkSpec	   *spec = opt->spec;
	SkGraph    *g;
	List	   *roots = NIL;
	ListCell   *lc;

	foreach(lc, spec->roots)
		roots = lappend_oid(roots, ((SkSubsetRoot *) lfirst(lc))->relid);

	*level = sk_pin_settings();
	g = sk_graph_build_subset(roots, spec->wholes, spec->children, spec->exclude,
							  spec->nexclude, opt->reset_keys);
	g->spec = spec->json;
	sk_refuse_distributed(sk_graph_relids(g));
	/* One view of the data for every statement behind the document. */
	*snap = RegisterSnapshot(GetTransactionSnapshot());
	sk_closure_create(g);
	sk_unpin_settings(*level);

	foreach(lc, spec->roots)
	{
		SkSubsetRoot *r = (SkSubsetRoot *) lfirst(lc);

		sk_subset_seed_root(sk_graph_table(g, sk_graph_unit(r->relid)), r, *snap);
	}

	*level = sk_pin_settings();
	foreach(lc, spec->wholes)
	{
		Oid			relid = lfirst_oid(lc);
		SkTable    *t = sk_graph_table(g, sk_graph_unit(relid));

		(void) sk_closure_seed(t, relid, NULL, NULL, 0, NULL, NULL, false, 0, *snap);
		/* a partition given whole leaves the unit's other rows out */
		if (relid == t->relid)
			t->complete = true;
	}
	sk_closure_finish(g, *snap, max_rows);
	return g;
}
