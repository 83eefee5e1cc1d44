/*-------------------------------------------------------------------------
 *
 * options.c
 *	  The restore options that decide where and how rows land in a living
 *	  database: schema_map (the document's schemas renamed before anything
 *	  is resolved), reuse (document rows matched to existing rows on a
 *	  unique key, one join per table) and merge mode (rows whose natural
 *	  key exists are updated).
 *
 * src/restore/options.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/syscache.h"
#include "utils/varlena.h"

#include "core/core.h"
#include "core/messages.h"
#include "restore/restore.h"

/*
 * sk_split_name
 *		The schema and table of a qualified document name, quietly: false
 *		for a name without a schema or that does not parse (sk_resolve
 *		reports those).
 */
static bool
sk_split_name(const char *name, char **schema, char **table)
{
	char	   *raw = pstrdup(name);
	List	   *parts;

	if (!SplitIdentifierString(raw, '.', &parts) || list_length(parts) != 2)
		return false;
	*schema = (char *) linitial(parts);
	*table = (char *) lsecond(parts);
	return true;
}

/*
 * sk_mapped_name
 *		The name a document table name takes under the schema map (from,
 *		to: parallel lists of schema names), or NULL when its schema is not
 *		mapped.  Sets *used[i] for the entry applied.
 */
static char *
sk_mapped_name(const char *name, List *from, List *to, bool *used)
{
	char	   *schema;
	char	   *table;
	ListCell   *lf,
			   *lt;
	int			i = 0;

	if (!sk_split_name(name, &schema, &table))
		return NULL;
	forboth(lf, from, lt, to)
	{
		if (strcmp((char *) lfirst(lf), schema) == 0)
		{
			used[i] = true;
			return pstrdup(quote_qualified_identifier((char *) lfirst(lt), table));
		}
		i++;
	}
	return NULL;
}

/*
 * sk_apply_schema_map
 *		Rename the document's tables and references under map, a jsonb
 *		object {"source schema": "target schema"}, before the tables are
 *		looked up.  Every target schema must exist and every source schema
 *		must hold a table of the document.
 */
void
sk_apply_schema_map(SkDoc *doc, Jsonb *map)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	List	   *from = NIL;
	List	   *to = NIL;
	char	   *key = NULL;
	bool	   *used;
	ListCell   *lc;
	int			i,
				r;

	if (!JB_ROOT_IS_OBJECT(map) || JB_ROOT_IS_SCALAR(map))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("schema_map must be a JSON object"),
				 errhint("Map each schema of the snapshot to a target schema, for example {\"shop\": \"shop_w3\"}.")));
	it = JsonbIteratorInit(&map->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
			key = pnstrdup(v.val.string.val, v.val.string.len);
		else if (tok == WJB_VALUE)
		{
			char	   *target;

			if (v.type != jbvString)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("schema_map maps schema \"%s\" to a value that is not a schema name", key),
						 errhint("Map each schema to a string naming the target schema.")));
			target = pnstrdup(v.val.string.val, v.val.string.len);
			if (!OidIsValid(get_namespace_oid(target, true)))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_SCHEMA_NAME),
						 errmsg("schema \"%s\" does not exist", target),
						 errdetail("The schema_map argument maps schema \"%s\" to it.", key),
						 errhint("Create the schema with the tables of the snapshot first.")));
			from = lappend(from, key);
			to = lappend(to, target);
		}
	}

	used = palloc0(sizeof(bool) * (list_length(from) + 1));
	for (i = 0; i < doc->ntables; i++)
	{
		SkDocTable *d = &doc->tables[i];
		char	   *name = sk_mapped_name(d->name, from, to, used);

		if (name != NULL)
		{
			d->source_name = d->name;
			d->name = name;
		}
		for (r = 0; r < d->nrefs; r++)
		{
			name = sk_mapped_name(d->refs[r].table, from, to, used);
			if (name != NULL)
				d->refs[r].table = name;
		}
	}
	i = 0;
	foreach(lc, from)
	{
		if (!used[i++])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("schema_map names schema \"%s\", which no table of the snapshot is in",
							(char *) lfirst(lc)),
					 errhint("Name the schemas as the snapshot does.")));
	}
}

/*
 * sk_option_target
 *		The target an option names (option: the parameter, for errors): the
 *		document's spelling, its spelling before schema_map, or any name of
 *		the same table.
 */
static SkTarget *
sk_option_target(SkJob *job, const char *name, const char *option)
{
	SkTarget   *t = sk_named_target(job, name, sk_relid_of_name_quiet(name));

	if (t != NULL)
		return t;
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_TABLE),
			 errmsg("%s names table \"%s\", which the snapshot does not cover", option,
					 sk_message_name(sk_message_value(name, -1))),
			 errhint("Name tables as the snapshot does, for example \"%s\".",
					 sk_message_name(job->doc->tables[0].name))));
	return NULL;				/* keep compiler quiet */
}

/*
 * sk_unique_key
 *		Whether the target of t has a valid, non-partial unique index (or
 *		primary key) on exactly the document columns cols; when it has,
 *		sets eqops[i] to the qualified equality operator of its operator
 *		class for cols[i] (eqops may be NULL).
 */
static bool
sk_unique_key(SkTarget *t, int n, const int *cols, char **eqops)
{
	Relation	rel = table_open(t->relid, NoLock);
	List	   *indexes = RelationGetIndexList(rel);
	ListCell   *lc;
	bool		found = false;

	foreach(lc, indexes)
	{
		HeapTuple	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(lfirst_oid(lc)));
		Form_pg_index idx;
		oidvector  *opclasses;
		Datum		d;
		bool		isnull;
		int			i,
					k;
		bool		ok = true;

		if (!HeapTupleIsValid(tup))
			elog(ERROR, "cache lookup failed for index %u", lfirst_oid(lc));
		idx = (Form_pg_index) GETSTRUCT(tup);
		if (!idx->indisunique || !idx->indisvalid || idx->indnkeyatts != n ||
			!heap_attisnull(tup, Anum_pg_index_indexprs, NULL) ||
			!heap_attisnull(tup, Anum_pg_index_indpred, NULL))
		{
			ReleaseSysCache(tup);
			continue;
		}
		for (i = 0; i < n && ok; i++)
		{
			ok = false;
			for (k = 0; k < n && !ok; k++)
				ok = idx->indkey.values[k] == t->cols[cols[i]].attnum;
		}
		if (ok && eqops != NULL)
		{
			d = SysCacheGetAttr(INDEXRELID, tup, Anum_pg_index_indclass, &isnull);
			opclasses = (oidvector *) DatumGetPointer(d);
			for (i = 0; i < n; i++)
			{
				Oid			opclass = InvalidOid;
				Oid			opfamily;
				Oid			intype;
				Oid			eqop;

				for (k = 0; k < n; k++)
					if (idx->indkey.values[k] == t->cols[cols[i]].attnum)
						opclass = opclasses->values[k];
				opfamily = get_opclass_family(opclass);
				intype = get_opclass_input_type(opclass);
				eqop = get_opfamily_member(opfamily, intype, intype, BTEqualStrategyNumber);
				if (!OidIsValid(eqop))
					elog(ERROR, "no equality operator in operator family %u", opfamily);
				eqops[i] = sk_opname(eqop);
			}
		}
		ReleaseSysCache(tup);
		if (ok)
		{
			found = true;
			break;
		}
	}
	list_free(indexes);
	table_close(rel, NoLock);
	return found;
}

/*
 * sk_column_list
 *		The document columns cols of t, quoted and comma separated, for
 *		messages.
 */
static char *
sk_column_list(SkTarget *t, int n, const int *cols)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < n; i++)
		appendStringInfo(&buf, "%s%s", i > 0 ? ", " : "",
						 quote_identifier(t->doc->columns[cols[i]]));
	return buf.data;
}

/*
 * sk_reuse_table
 *		Plan reuse on table t, matching on its document columns cols: they
 *		must be a unique key of the target, the table must not be in a
 *		cycle of the document, and every column other tables of the
 *		document reference it by must be remapped (a reset key) or matched
 *		on, so a reused row keeps what they point at.
 */
static void
sk_reuse_table(SkJob *job, SkTarget *t, int n, int *cols)
{
	int			i,
				r,
				j;

	if (t->fills != NIL || t->replica)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot reuse rows of table \"%s\", which is in a foreign key cycle of the snapshot",
						sk_message_name(t->doc->name)),
				 errhint("Leave the table out of reuse.")));
	for (i = 0; i < job->doc->ntables; i++)
	{
		SkDocTable *d = &job->doc->tables[i];

		for (r = 0; r < d->nrefs; r++)
		{
			SkDocRef   *ref = &d->refs[r];

			if (sk_find_target(job, ref->table) != t)
				continue;
			if (ref->after)
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("cannot reuse rows of table \"%s\", which is in a foreign key cycle of the snapshot",
								sk_message_name(t->doc->name)),
						 errhint("Leave the table out of reuse.")));
			for (j = 0; j < ref->ncols; j++)
			{
				int			kc = sk_column_index(t->doc, ref->key[j]);
				bool		matched = false;
				int			m;

				for (m = 0; m < n; m++)
					matched |= (cols[m] == kc);
				if (kc >= 0 && !matched && sk_reset_slot(t, kc) < 0)
					ereport(ERROR,
							(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
							 errmsg("cannot reuse rows of table \"%s\" on columns that leave out column \"%s\"",
									sk_message_name(t->doc->name), ref->key[j]),
							 errdetail("Table \"%s\" of the snapshot references it by column \"%s\", which a reused row would not keep.",
									   sk_message_name(d->name), ref->key[j]),
							 errhint("Include the column in the reuse key, or reuse the table on its key.")));
			}
		}
	}
	t->match_eqop = palloc0(sizeof(char *) * (n + 1));
	if (!sk_unique_key(t, n, cols, t->match_eqop))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_COLUMN_REFERENCE),
				 errmsg("reuse columns of table \"%s\" are not a unique key", sk_message_name(t->doc->name)),
				 errdetail("Table \"%s\" has no primary key or unique constraint on exactly (%s).",
						   sk_message_name(t->qname), sk_column_list(t, n, cols)),
				 errhint("Name the columns of a primary key or UNIQUE constraint of the table.")));
	t->nmatch = n;
	t->match = cols;
}

/*
 * sk_plan_reuse
 *		Plan the reuse argument: the string "natural" (every table whose key
 *		the document does not reset matches on that key) or an object
 *		{"table": ["column", ...]}.
 */
void
sk_plan_reuse(SkJob *job, Jsonb *reuse)
{
	JsonbValue	v;
	JsonbIterator *it;
	JsonbIteratorToken tok;
	char	   *key = NULL;
	int			i;

	if (JB_ROOT_IS_SCALAR(reuse))
	{
		if (!JsonbExtractScalar(&reuse->root, &v) || v.type != jbvString ||
			v.val.string.len != 7 || strncmp(v.val.string.val, "natural", 7) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("reuse must be \"natural\" or a JSON object"),
					 errhint("Name the key columns per table, for example {\"public.country\": [\"name\"]}.")));
		for (i = 0; i < job->doc->ntables; i++)
		{
			SkTarget   *t = &job->targets[i];

			if (t->doc->nreset == 0 && t->doc->nkey > 0)
				sk_reuse_table(job, t, t->doc->nkey, t->doc->key);
		}
		return;
	}
	if (!JB_ROOT_IS_OBJECT(reuse))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("reuse must be \"natural\" or a JSON object"),
				 errhint("Name the key columns per table, for example {\"public.country\": [\"name\"]}.")));
	it = JsonbIteratorInit(&reuse->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		SkTarget   *t;
		JsonbIterator *ait;
		JsonbValue	e;
		int		   *cols;
		int			n = 0;

		if (tok == WJB_KEY)
		{
			key = pnstrdup(v.val.string.val, v.val.string.len);
			continue;
		}
		if (tok != WJB_VALUE)
			continue;
		t = sk_option_target(job, key, "reuse");
		if (v.type != jbvBinary || !JsonContainerIsArray(v.val.binary.data) ||
			JsonContainerSize(v.val.binary.data) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("reuse of table \"%s\" must be an array of column names", sk_message_name(key)),
					 errhint("Name the columns of a unique key, for example [\"name\"].")));
		cols = palloc(sizeof(int) * (JsonContainerSize(v.val.binary.data) + 1));
		ait = JsonbIteratorInit(v.val.binary.data);
		while ((tok = JsonbIteratorNext(&ait, &e, true)) != WJB_DONE)
		{
			char	   *col;
			int			c;
			AttrNumber	attnum;

			if (tok != WJB_ELEM)
				continue;
			if (e.type != jbvString)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("reuse of table \"%s\" must be an array of column names", sk_message_name(key)),
						 errhint("Name the columns of a unique key, for example [\"name\"].")));
			col = pnstrdup(e.val.string.val, e.val.string.len);
			attnum = get_attnum(t->relid, col);
			if (attnum == InvalidAttrNumber || attnum < 0)
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_COLUMN),
						 errmsg("column \"%s\" of table \"%s\" does not exist", col, sk_message_name(t->doc->name)),
						 errdetail("The reuse argument names it as a key column.")));
			c = sk_column_index(t->doc, col);
			if (c < 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("reuse names column \"%s\" of table \"%s\", which the snapshot does not hold",
								col, sk_message_name(t->doc->name)),
						 errhint("Match on columns the snapshot has values for.")));
			for (i = 0; i < n; i++)
				if (cols[i] == c)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("reuse names column \"%s\" of table \"%s\" twice", col, sk_message_name(t->doc->name))));
			cols[n++] = c;
		}
		sk_reuse_table(job, t, n, cols);
	}
}

/*
 * sk_plan_merge
 *		Merge mode: every table whose document key is not reset (unless
 *		reuse covers it) matches its rows on that key like reuse does; the
 *		matched rows are updated (sk_merge_update), the others loaded by
 *		COPY.  Tables with reset keys are appended.  A table without a key
 *		cannot be merged.
 */
void
sk_plan_merge(SkJob *job)
{
	int			i;

	for (i = 0; i < job->doc->ntables; i++)
	{
		SkTarget   *t = &job->targets[i];
		SkDocTable *d = t->doc;

		if (d->nreset > 0 || t->nmatch > 0)
			continue;
		if (d->nkey == 0)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot merge table \"%s\", which has no key in the snapshot", sk_message_name(d->name)),
					 errdetail("Merge mode matches rows by their key."),
					 errhint("Restore in append mode, or give the table a primary key and take the snapshot again.")));
		t->match_eqop = palloc0(sizeof(char *) * (d->nkey + 1));
		if (!sk_unique_key(t, d->nkey, d->key, t->match_eqop))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_COLUMN_REFERENCE),
					 errmsg("cannot merge table \"%s\": its key is not a unique key of the target", sk_message_name(d->name)),
					 errdetail("Table \"%s\" has no primary key or unique constraint on exactly (%s).",
							   sk_message_name(t->qname), sk_column_list(t, d->nkey, d->key)),
					 errhint("Restore in append mode, or add the constraint.")));
		if (pg_class_aclcheck(t->relid, GetUserId(), ACL_UPDATE) != ACLCHECK_OK)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied to merge into table \"%s\"", sk_message_name(d->name)),
					 errdetail("Merge mode updates rows whose key exists, which needs the UPDATE privilege.")));
		t->merge = true;
		t->nmatch = d->nkey;
		t->match = d->key;
	}
}

/*
 * sk_reuse_match
 *		Match the rows of t to existing rows of the target on its reuse key,
 *		with one join of the rows' key values (as the target will hold
 *		them) against the table.  A matched row is marked skipped, and each
 *		of its reset keys maps to the existing row's value, so every
 *		reference to it follows.  Run just before t is loaded, after the
 *		tables it references.
 */
void
sk_reuse_match(SkTarget *t)
{
	SkDocTable *d = t->doc;
	int64	  **ords = palloc0(sizeof(int64 *) * (d->nreset + 1));
	Datum	   *args;
	Oid		   *argtypes;
	StringInfoData sql;
	SPITupleTable *tt;
	uint64		k,
				n;
	int			i,
				r;

	/* an empty table matches nothing: no pass over the rows, no join */
	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT EXISTS (SELECT FROM %s)", t->qname);
	if (SPI_execute(sql.data, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read table \"%s\"", t->qname);
	{
		bool		isnull;
		bool		any = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
													 SPI_tuptable->tupdesc, 1, &isnull));

		SPI_freetuptable(SPI_tuptable);
		if (!any)
			return;
	}

	args = sk_collect_columns(t, t->nmatch, t->match, NULL, ords, false);
	argtypes = palloc(sizeof(Oid) * (t->nmatch + 1));
	resetStringInfo(&sql);
	appendStringInfoString(&sql, "SELECT sk_v.n");
	for (r = 0; r < d->nreset; r++)
		appendStringInfo(&sql, ", sk_t.%s::pg_catalog.text",
						 quote_identifier(d->columns[d->reset[r]]));
	appendStringInfoString(&sql, " FROM ROWS FROM (");
	for (i = 0; i < t->nmatch; i++)
	{
		argtypes[i] = TEXTARRAYOID;
		appendStringInfo(&sql, "%spg_catalog.unnest($%d)", i > 0 ? ", " : "", i + 1);
	}
	appendStringInfoString(&sql, ") WITH ORDINALITY AS sk_v(");
	for (i = 0; i < t->nmatch; i++)
		appendStringInfo(&sql, "c%d, ", i + 1);
	appendStringInfo(&sql, "n) JOIN %s AS sk_t ON ", t->qname);
	for (i = 0; i < t->nmatch; i++)
		appendStringInfo(&sql, "%ssk_t.%s %s sk_v.c%d::%s", i > 0 ? " AND " : "",
						 quote_identifier(d->columns[t->match[i]]), t->match_eqop[i],
						 i + 1, sk_column_type(t->relid, t->cols[t->match[i]].attnum));

	if (SPI_execute_with_args(sql.data, t->nmatch, argtypes, args, NULL,
							  true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not match the rows of table \"%s\"", t->qname);
	tt = SPI_tuptable;
	n = SPI_processed;
	t->skip = palloc0(sizeof(bool) * (d->nrows + 1));
	for (k = 0; k < n; k++)
	{
		bool		isnull;
		int64		row = DatumGetInt64(SPI_getbinval(tt->vals[k], tt->tupdesc, 1, &isnull));

		if (isnull || row < 1 || row > d->nrows)
			elog(ERROR, "row number out of range in the match of table \"%s\"", t->qname);
		t->skip[row] = true;
		for (r = 0; r < d->nreset; r++)
		{
			int64		ord = ords[r][row];
			char	   *key = SPI_getvalue(tt->vals[k], tt->tupdesc, r + 2);

			if (t->slot_fresh[r] && ord >= 1 && ord <= t->maps[r].n && key != NULL)
				t->maps[r].keys[ord - 1] = key;
		}
	}
	t->reused += n;			/* summed over copies */
	SPI_freetuptable(tt);
}

/*
 * sk_merge_update
 *		Merge mode: update the rows of the target that sk_reuse_match found
 *		for rows of t to the document's values (keys remapped, overrides
 *		applied), with one UPDATE ... FROM the matched rows' values joined
 *		on the key.  Sets t->updated; the rows are skipped by the load.
 */
void
sk_merge_update(SkTarget *t)
{
	SkDocTable *d = t->doc;
	int			ncols = d->ncols + t->nextra;
	int		   *cols = palloc(sizeof(int) * (ncols + 1));
	Oid		   *argtypes = palloc(sizeof(Oid) * (ncols + 1));
	Datum	   *args;
	StringInfoData sql;
	bool		any = false;
	int			i,
				k;
	int			level;

	t->updated = t->reused;
	t->reused = 0;
	if (t->updated == 0)
		return;
	for (i = 0; i < ncols; i++)
	{
		cols[i] = i;
		argtypes[i] = TEXTARRAYOID;
	}
	args = sk_collect_columns(t, ncols, cols, t->skip, NULL, true);

	initStringInfo(&sql);
	appendStringInfo(&sql, "UPDATE %s AS sk_t SET ", sk_table_rows(t->relid));
	for (i = 0; i < ncols; i++)
	{
		AttrNumber	attnum = i < d->ncols ? t->cols[i].attnum : t->extra[i - d->ncols].attnum;
		const char *name = i < d->ncols ? d->columns[i] : t->extra[i - d->ncols].name;
		bool		is_key = false;

		for (k = 0; k < t->nmatch; k++)
			is_key |= (t->match[k] == i);
		if (is_key)
			continue;
		appendStringInfo(&sql, "%s%s = sk_v.c%d::%s", any ? ", " : "",
						 quote_identifier(name), i + 1, sk_column_type(t->relid, attnum));
		any = true;
	}
	if (!any)
		return;					/* only key columns: nothing to change */
	appendStringInfoString(&sql, " FROM ROWS FROM (");
	for (i = 0; i < ncols; i++)
		appendStringInfo(&sql, "%spg_catalog.unnest($%d)", i > 0 ? ", " : "", i + 1);
	appendStringInfoString(&sql, ") AS sk_v(");
	for (i = 0; i < ncols; i++)
		appendStringInfo(&sql, "%sc%d", i > 0 ? ", " : "", i + 1);
	appendStringInfoString(&sql, ") WHERE ");
	for (k = 0; k < t->nmatch; k++)
		appendStringInfo(&sql, "%ssk_t.%s %s sk_v.c%d::%s", k > 0 ? " AND " : "",
						 quote_identifier(d->columns[t->match[k]]), t->match_eqop[k],
						 t->match[k] + 1,
						 sk_column_type(t->relid, t->cols[t->match[k]].attnum));

	/* input functions and UPDATE triggers see the caller's path */
	level = sk_caller_path_push();
	if (SPI_execute_with_args(sql.data, ncols, argtypes, args, NULL,
							  false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "could not update the rows of table \"%s\"", t->qname);
	sk_unpin_settings(level);
}
