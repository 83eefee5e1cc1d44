/*-------------------------------------------------------------------------
 *
 * flags.c
 *	  Flagged personal-data columns: seedkit_flag and seedkit_unflag, the
 *	  flags stored in seedkit.flag, which flag applies to a column (its own,
 *	  or through a foreign key the one of the column it references), and
 *	  the snapshot writer's sk_anon_expr / sk_anon_flagged.
 *
 * A flag of a partitioned table applies to all its partitions; a column
 * of a foreign key without a flag of its own takes the flag of the column
 * it references, so both sides of the key map alike.
 *
 * src/anon/flags.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/relation.h"
#include "access/table.h"
#include "catalog/partition.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "partitioning/partbounds.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "anon/anon.h"
#include "anon/collisions.h"
#include "anon/fake.h"
#include "anon/flags.h"
#include "anon/nested.h"
#include "anon/person.h"
#include "core/core.h"

/* Depth to which a flag is followed through foreign keys. */
#define SK_FK_DEPTH 8

/* The flags of a table, resolving columns by number (or by name after a restore). */
#define SK_FLAGS_QUERY \
	"SELECT a.attnum, a.attname::text, f.strategy, f.options " \
	"FROM seedkit.flag f " \
	"JOIN pg_catalog.pg_attribute a ON a.attrelid = f.tbl AND a.attnum > 0 " \
	" AND NOT a.attisdropped " \
	" AND CASE WHEN f.tbl::oid = f.relid_seen THEN a.attnum = f.attnum " \
	"          ELSE a.attname = f.attname END " \
	"WHERE f.tbl = $1 ORDER BY a.attnum, f.options->>'path'"

/*
 * The same from the coordinator's flags a Citus tenant snapshot fakes with
 * on this node ($2, json; core/citus.c): tables by qualified name, columns
 * by name.
 */
#define SK_FLAGS_PASSED_QUERY \
	"SELECT a.attnum, a.attname::pg_catalog.text, f.strategy, f.options " \
	"FROM pg_catalog.json_to_recordset($2) AS f(tbl pg_catalog.text, " \
	" attname pg_catalog.name, strategy pg_catalog.text, options pg_catalog.jsonb) " \
	"JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) $1 " \
	" AND a.attname OPERATOR(pg_catalog.=) f.attname " \
	" AND a.attnum OPERATOR(pg_catalog.>) 0::pg_catalog.int2 AND NOT a.attisdropped " \
	"WHERE pg_catalog.to_regclass(f.tbl)::pg_catalog.oid OPERATOR(pg_catalog.=) $1 " \
	"ORDER BY a.attnum, f.options OPERATOR(pg_catalog.->>) 'path'"

/* One column pair of a foreign key. */
typedef struct SkFkPair
{
	char	   *conname;
	Oid			relid;
	AttrNumber	attnum;
	Oid			refrelid;
	AttrNumber	refattnum;
} SkFkPair;

/*
 * sk_saved_plan
 *		*plan, or when NULL sql prepared (a generic plan: the parameters
 *		are OIDs of catalog rows) and kept for the session.  The lookups of
 *		flags and foreign keys run once per column and key of every table an
 *		anonymisation or snapshot reaches, a shard each on Citus: planning
 *		them each time was most of the time of a small table's rewrite.  The
 *		caller is connected to SPI.
 */
static SPIPlanPtr
sk_saved_plan(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes)
{
	if (*plan == NULL)
	{
		SPIPlanPtr	p = SPI_prepare_cursor(sql, nargs, argtypes,
										   CURSOR_OPT_GENERIC_PLAN);

		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "could not prepare a query of seedkit's flags: %s",
				 SPI_result_code_string(SPI_result));
		*plan = p;
	}
	return *plan;
}

/*
 * sk_merge_paths
 *		Flags ordered by column, with the flags of one column's json paths
 *		(several rows, option "path") merged into one flag "paths" holding
 *		them, so that every column has one flag.
 */
static List *
sk_merge_paths(List *flags)
{
	List	   *result = NIL;
	SkFlag	   *merged = NULL;
	ListCell   *lc;

	foreach(lc, flags)
	{
		SkFlag	   *f = (SkFlag *) lfirst(lc);

		if (!sk_has_path(f->options))
		{
			result = lappend(result, f);
			merged = NULL;
			continue;
		}
		if (merged == NULL || merged->attnum != f->attnum)
		{
			merged = palloc0(sizeof(SkFlag));
			merged->attnum = f->attnum;
			merged->attname = f->attname;
			merged->strategy = "paths";
			result = lappend(result, merged);
		}
		merged->paths = lappend(merged->paths, f);
	}

	/* the options of a merged flag: its paths' strategies and options */
	foreach(lc, result)
	{
		SkFlag	   *f = (SkFlag *) lfirst(lc);
		StringInfoData buf;
		ListCell   *pc;

		if (f->paths == NIL)
			continue;
		initStringInfo(&buf);
		appendStringInfoChar(&buf, '[');
		foreach(pc, f->paths)
		{
			SkFlag	   *p = (SkFlag *) lfirst(pc);

			appendStringInfo(&buf, "%s[", pc == list_head(f->paths) ? "" : ", ");
			escape_json(&buf, p->strategy);
			appendStringInfo(&buf, ", %s]", JsonbToCString(NULL, &p->options->root,
														   VARSIZE(p->options)));
		}
		appendStringInfoChar(&buf, ']');
		f->options = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
	}
	return result;
}

/*
 * sk_option_string
 *		The string value of a top-level option, or NULL.
 */
static char *
sk_option_string(Jsonb *options, const char *key)
{
	JsonbValue	k;
	JsonbValue *v;

	if (options == NULL || !JB_ROOT_IS_OBJECT(options) || JB_ROOT_IS_SCALAR(options))
		return NULL;
	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	v = findJsonbValueFromContainer(&options->root, JB_FOBJECT, &k);
	if (v == NULL || v->type != jbvString)
		return NULL;
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/*
 * sk_option_true
 *		Whether a top-level option is the boolean true.
 */
static bool
sk_option_true(Jsonb *options, const char *key)
{
	JsonbValue	k;
	JsonbValue *v;

	if (options == NULL || !JB_ROOT_IS_OBJECT(options) || JB_ROOT_IS_SCALAR(options))
		return false;
	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	v = findJsonbValueFromContainer(&options->root, JB_FOBJECT, &k);
	return v != NULL && v->type == jbvBool && v->val.boolean;
}

/*
 * sk_gender_column
 *		The gender column of relid for a person group: the column its
 *		option "gender" names, else a column named gender or sex (any
 *		case); 0 when none.
 */
static AttrNumber
sk_gender_column(Oid relid, const char *named)
{
	static const char *const names[] = {"gender", "sex"};
	Relation	rel;
	TupleDesc	desc;
	AttrNumber	result = 0;
	int			i,
				k;

	if (named != NULL)
		return get_attnum(relid, named);
	rel = relation_open(relid, AccessShareLock);
	desc = RelationGetDescr(rel);
	for (k = 0; k < lengthof(names) && result == 0; k++)
		for (i = 0; i < desc->natts && result == 0; i++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, i);

			if (!att->attisdropped && pg_strcasecmp(NameStr(att->attname), names[k]) == 0)
				result = att->attnum;
		}
	relation_close(rel, AccessShareLock);
	return result;
}

/*
 * sk_person_fit
 *		The limits the fields of person group of relid must fit, as option
 *		"person_fit" (person.c): "field=n" for each field of the group in a
 *		varchar(n) or char(n) column (an email's n without its domain),
 *		n -1 when the column has no length, followed by "/" and the OID of
 *		the column's domain when it has constraints (and for an email, "/"
 *		and its option "domain" when set); NULL when none is limited.
 *		Every field of the group gets the same text, so all draw the same
 *		person candidate.
 */
static char *
sk_person_fit(Oid relid, List *flags, const char *group)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, flags)
	{
		SkFlag	   *g = (SkFlag *) lfirst(lc);
		char	   *gg = sk_option_string(g->options, "person");
		Oid			typid;
		int32		typmod;
		Oid			collid;
		Oid			base;
		int			n = -1;
		char	   *dom;
		bool		checked;

		if (gg == NULL || strcmp(gg, group) != 0 || g->paths != NIL ||
			!sk_person_is_field(g->strategy) || g->attnum == InvalidAttrNumber)
			continue;
		get_atttypetypmodcoll(relid, g->attnum, &typid, &typmod, &collid);
		base = getBaseTypeAndTypmod(typid, &typmod);
		checked = base != typid && DomainHasConstraints(typid);
		if ((base == VARCHAROID || base == BPCHAROID) && typmod >= (int32) VARHDRSZ)
			n = typmod - VARHDRSZ;
		if (n < 0 && !checked)
			continue;
		/* fields whose length the column's own format fixes are left out */
		if (sk_option_string(g->options, "format") != NULL ||
			strcmp(g->strategy, "country") == 0)
			continue;
		dom = sk_option_string(g->options, "domain");
		if (strcmp(g->strategy, "email") == 0 && n >= 0)
		{
			/* person.c renders the address without its domain */
			n -= dom != NULL ? (int) strlen(dom) : (int) strlen("example.com");
			n = Max(n, 0);
		}
		appendStringInfo(&buf, "%s%s=%d", buf.len > 0 ? "," : "", g->strategy, n);
		if (checked)
		{
			appendStringInfo(&buf, "/%u", typid);
			/* a domain name (sk_reserved_domain) has no "," or "/" */
			if (strcmp(g->strategy, "email") == 0 && dom != NULL)
				appendStringInfo(&buf, "/%s", dom);
		}
	}
	return buf.len > 0 ? buf.data : NULL;
}

/*
 * sk_bind_persons
 *		Mark the person fields among the flags of relid (option "person")
 *		with their group's identity column, the one with option "identity",
 *		else the group's email, username or full_name column, else its
 *		first; and its gender column (sk_gender_column).
 */
static void
sk_bind_persons(Oid relid, List *flags)
{
	static const char *const pref[] = {"email", "username", "full_name"};
	ListCell   *lc;

	foreach(lc, flags)
	{
		SkFlag	   *f = (SkFlag *) lfirst(lc);
		char	   *group = sk_option_string(f->options, "person");
		SkFlag	   *id = NULL;
		char	   *gender = NULL;
		char	   *fit;
		ListCell   *gc;
		int			k;

		if (group == NULL || f->paths != NIL)
			continue;
		f->person = true;
		for (k = -1; k < (int) lengthof(pref) && id == NULL; k++)
			foreach(gc, flags)
			{
				SkFlag	   *g = (SkFlag *) lfirst(gc);
				char	   *gg = sk_option_string(g->options, "person");

				if (gg == NULL || strcmp(gg, group) != 0)
					continue;
				if (gender == NULL)
					gender = sk_option_string(g->options, "gender");
				if (id == NULL &&
					(k < 0 ? sk_option_true(g->options, "identity") :
					 strcmp(g->strategy, pref[k]) == 0))
					id = g;
			}
		if (id == NULL)
			foreach(gc, flags)
			{
				SkFlag	   *g = (SkFlag *) lfirst(gc);
				char	   *gg = sk_option_string(g->options, "person");

				if (gg != NULL && strcmp(gg, group) == 0)
				{
					id = g;
					break;
				}
			}
		f->person_id = id->attnum;
		f->person_gender = sk_gender_column(relid, gender);
		fit = sk_person_fit(relid, flags, group);
		if (fit != NULL)
		{
			Jsonb	   *add = DatumGetJsonbP(DirectFunctionCall1(jsonb_in,
																 CStringGetDatum(psprintf("{\"person_fit\": \"%s\"}", fit))));

			f->options = DatumGetJsonbP(DirectFunctionCall2(jsonb_concat,
															JsonbPGetDatum(f->options),
															JsonbPGetDatum(add)));
		}
	}
}

/*
 * sk_flags_stored
 *		The live flags stored for relid, ordered by column, allocated in the
 *		caller's memory context.
 */
static List *
sk_flags_stored(Oid relid)
{
	static SPIPlanPtr stored_plan = NULL;
	static SPIPlanPtr passed_plan = NULL;
	MemoryContext caller = CurrentMemoryContext;
	Oid			argtypes[2] = {OIDOID, JSONOID};
	Datum		args[2];
	List	   *result = NIL;
	const char *passed;
	uint64		i;

	args[0] = ObjectIdGetDatum(relid);
	if (sk_citus_flags(&passed))
	{
		/* a Citus tenant snapshot: the coordinator's flags */
		if (passed == NULL)
			return NIL;
		args[1] = CStringGetTextDatum(passed);
		sk_spi_connect();
		if (SPI_execute_plan(sk_saved_plan(&passed_plan, SK_FLAGS_PASSED_QUERY, 2, argtypes),
							 args, NULL, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not read the coordinator's flags");
	}
	else
	{
		sk_spi_connect();
		if (SPI_execute_plan(sk_saved_plan(&stored_plan, SK_FLAGS_QUERY, 1, argtypes),
							 args, NULL, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not read seedkit.flag");
	}
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		MemoryContext old = MemoryContextSwitchTo(caller);
		SkFlag	   *f = palloc0(sizeof(SkFlag));
		Jsonb	   *opts;

		f->attnum = DatumGetInt16(SPI_getbinval(tup, desc, 1, &isnull));
		f->attname = SPI_getvalue(tup, desc, 2);
		f->strategy = SPI_getvalue(tup, desc, 3);
		opts = DatumGetJsonbP(SPI_getbinval(tup, desc, 4, &isnull));
		f->options = (Jsonb *) palloc(VARSIZE(opts));
		memcpy(f->options, opts, VARSIZE(opts));
		result = lappend(result, f);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	return sk_merge_paths(result);
}

/*
 * sk_flags_of
 *		The flags that apply to relid: its own, or for a partition those of
 *		its topmost partitioned ancestor, bound to the partition's attribute
 *		numbers by column name.
 */
static List *
sk_flags_of(Oid relid)
{
	List	   *flags;
	ListCell   *lc;

	if (!get_rel_relispartition(relid))
	{
		flags = sk_flags_stored(relid);
		sk_bind_persons(relid, flags);
		return flags;
	}
	flags = sk_flags_stored(llast_oid(get_partition_ancestors(relid)));
	foreach(lc, flags)
	{
		SkFlag	   *f = (SkFlag *) lfirst(lc);
		ListCell   *pc;

		f->attnum = get_attnum(relid, f->attname);
		if (f->attnum == InvalidAttrNumber)
			elog(ERROR, "partition \"%s\" has no column \"%s\"",
				 get_rel_name(relid), f->attname);
		foreach(pc, f->paths)
			((SkFlag *) lfirst(pc))->attnum = f->attnum;
	}
	sk_bind_persons(relid, flags);
	return flags;
}

/*
 * sk_options_text
 *		The canonical text of a jsonb.
 */
static char *
sk_options_text(Jsonb *options)
{
	return JsonbToCString(NULL, &options->root, VARSIZE(options));
}

/*
 * sk_virtual_pairs
 *		The column pairs of the relations declared with seedkit_relate
 *		(without a condition: a flag follows a column whose every value is a
 *		reference) whose child is relid or whose parent is refrelid: a
 *		flagged key's relation-linked copies get the same fakes.
 */
static List *
sk_virtual_pairs(Oid relid, Oid refrelid)
{
	List	   *result = NIL;
	ListCell   *lc;

	foreach(lc, sk_relations())
	{
		SkRelation *r = (SkRelation *) lfirst(lc);
		int			k;

		if (r->condition != NULL || (r->relid != relid && r->refrelid != refrelid))
			continue;
		for (k = 0; k < r->nkeys; k++)
		{
			SkFkPair   *p = palloc(sizeof(SkFkPair));

			p->conname = r->name;
			p->relid = r->relid;
			p->attnum = r->attnums[k];
			p->refrelid = r->refrelid;
			p->refattnum = r->refattnums[k];
			result = lappend(result, p);
		}
	}
	return result;
}

/*
 * sk_fk_pairs
 *		The column pairs of the foreign keys (top-level constraints only when
 *		toplevel) whose referencing table is relid (when valid) or whose
 *		referenced table is refrelid (when valid), then those of the
 *		relations declared with seedkit_relate (sk_virtual_pairs).
 */
static List *
sk_fk_pairs(Oid relid, Oid refrelid, bool toplevel)
{
	/*
	 * By referencing table (pg_constraint's index on conrelid), by
	 * referenced table, by either: a generic plan of the OR reads all of
	 * pg_constraint, which on a Citus worker holds every shard's keys.
	 */
	static const char *const where[3] = {
		"c.conrelid = $1",
		"c.confrelid = $2",
		"(c.conrelid = $1 OR c.confrelid = $2)"
	};
	static SPIPlanPtr plans[3];
	MemoryContext caller = CurrentMemoryContext;
	Oid			argtypes[3] = {OIDOID, OIDOID, BOOLOID};
	Datum		args[3];
	List	   *result = NIL;
	int			k;
	uint64		i;

	k = !OidIsValid(refrelid) ? 0 : !OidIsValid(relid) ? 1 : 2;
	args[0] = ObjectIdGetDatum(relid);
	args[1] = ObjectIdGetDatum(refrelid);
	args[2] = BoolGetDatum(toplevel);
	sk_spi_connect();
	if (SPI_execute_plan(sk_saved_plan(&plans[k],
									   psprintf("SELECT c.conname::text, c.conrelid, k.a, c.confrelid, k.b "
												"FROM pg_catalog.pg_constraint c, "
												"LATERAL unnest(c.conkey, c.confkey) AS k(a, b) "
												"WHERE c.contype = 'f' AND %s "
												"AND (NOT $3 OR c.conparentid = 0) "
												"ORDER BY 1, 2, 3", where[k]), 3, argtypes),
						 args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read foreign keys");
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		MemoryContext old = MemoryContextSwitchTo(caller);
		SkFkPair   *p = palloc(sizeof(SkFkPair));

		p->conname = SPI_getvalue(tup, desc, 1);
		p->relid = DatumGetObjectId(SPI_getbinval(tup, desc, 2, &isnull));
		p->attnum = DatumGetInt16(SPI_getbinval(tup, desc, 3, &isnull));
		p->refrelid = DatumGetObjectId(SPI_getbinval(tup, desc, 4, &isnull));
		p->refattnum = DatumGetInt16(SPI_getbinval(tup, desc, 5, &isnull));
		result = lappend(result, p);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	return list_concat(result, sk_virtual_pairs(relid, refrelid));
}

/*
 * sk_fk_name_cmp
 *		list_sort comparator: column pairs by constraint name, in the order
 *		of type name (bytewise).
 */
static int
sk_fk_name_cmp(const ListCell *a, const ListCell *b)
{
	return strcmp(((SkFkPair *) lfirst(a))->conname,
				  ((SkFkPair *) lfirst(b))->conname);
}

/*
 * sk_referenced_pairs
 *		The column pairs of the foreign keys of relid (those partitions
 *		inherit included) whose referencing column is attnum, by constraint
 *		name.
 */
static List *
sk_referenced_pairs(Oid relid, AttrNumber attnum)
{
	List	   *result = NIL;
	ListCell   *lc;

	foreach(lc, sk_fk_pairs(relid, InvalidOid, false))
	{
		SkFkPair   *p = (SkFkPair *) lfirst(lc);

		if (p->attnum == attnum)
			result = lappend(result, p);
	}
	list_sort(result, sk_fk_name_cmp);
	return result;
}

/*
 * sk_inherited_flag
 *		The flag pf of a referenced column as column attnum of relid takes
 *		it through a foreign key: a person field there is keyed by its own
 *		value (sk_check_foreign_keys refuses the keys where that differs
 *		from the referenced column's fakes).
 */
static SkFlag *
sk_inherited_flag(SkFlag *pf, Oid relid, AttrNumber attnum)
{
	SkFlag	   *f = palloc(sizeof(SkFlag));

	*f = *pf;
	f->attnum = attnum;
	f->attname = get_attname(relid, attnum, false);
	if (f->person)
	{
		f->person_id = attnum;
		f->person_gender = 0;
	}
	return f;
}

/*
 * sk_flag_for
 *		The flag that applies to column attnum of relid: its own, or for a
 *		column of a foreign key whose referenced column has a flag (directly
 *		or again through a foreign key), that flag: a reference must never
 *		carry the real value of a flagged key, and both sides map alike.
 *		NULL when none applies.
 */
static SkFlag *
sk_flag_for(Oid relid, AttrNumber attnum, int depth)
{
	List	   *flags = sk_flags_of(relid);
	ListCell   *lc;

	foreach(lc, flags)
	{
		SkFlag	   *f = (SkFlag *) lfirst(lc);

		if (f->attnum == attnum)
			return f;
	}
	if (depth >= SK_FK_DEPTH)
		return NULL;
	foreach(lc, sk_referenced_pairs(relid, attnum))
	{
		SkFkPair   *p = (SkFkPair *) lfirst(lc);
		SkFlag	   *f = sk_flag_for(p->refrelid, p->refattnum, depth + 1);

		if (f != NULL)
			return sk_inherited_flag(f, relid, attnum);
	}
	return NULL;
}

/*
 * sk_snapshot_rounds
 *		Before a snapshot reads a flagged column: the collision rounds of
 *		the column if it is unique, and of the columns it references through
 *		foreign keys when they are flagged alike (recursively).
 */
static void
sk_snapshot_rounds(Oid relid, AttrNumber attnum, const char *strategy, Jsonb *options,
				   int depth)
{
	char	   *opts = sk_options_text(options);
	ListCell   *lc;

	sk_column_rounds(relid, attnum, strategy, options);
	if (depth >= SK_FK_DEPTH)
		return;

	foreach(lc, sk_referenced_pairs(relid, attnum))
	{
		SkFkPair   *p = (SkFkPair *) lfirst(lc);
		SkFlag	   *pf;

		/* the referenced column, flagged alike (or inheriting the same flag) */
		pf = sk_flag_for(p->refrelid, p->refattnum, 0);
		if (pf != NULL && strcmp(pf->strategy, strategy) == 0 &&
			strcmp(sk_options_text(pf->options), opts) == 0)
			sk_snapshot_rounds(p->refrelid, p->refattnum, strategy, options, depth + 1);
	}
}

/*
 * sk_flag_nested
 *		Whether flag f of a column of relid works on values inside it: json
 *		paths, or an array column.
 */
bool
sk_flag_nested(Oid relid, SkFlag *f)
{
	return f->paths != NIL ||
		type_is_array(getBaseType(get_atttype(relid, f->attnum)));
}

/*
 * sk_column_type_text
 *		The qualified base type of column attnum of relid, with its type
 *		modifier when withmod.
 */
static char *
sk_column_type_text(Oid relid, AttrNumber attnum, bool withmod)
{
	Oid			typid;
	int32		typmod;
	Oid			collid;
	Oid			basetype;

	get_atttypetypmodcoll(relid, attnum, &typid, &typmod, &collid);
	basetype = getBaseTypeAndTypmod(typid, &typmod);
	return format_type_extended(basetype, withmod ? typmod : -1,
								FORMAT_TYPE_TYPEMOD_GIVEN | FORMAT_TYPE_FORCE_QUALIFY);
}

/*
 * sk_nested_expr
 *		sk_anon_expr for a flag working inside the column: one call of
 *		seedkit_fake_inside per json path (each on the result of the one
 *		before), or one for an array.
 */
static char *
sk_nested_expr(Oid relid, SkFlag *f, const char *valexpr)
{
	char	   *type = sk_column_type_text(relid, f->attnum, true);
	char	   *expr = psprintf("(%s)::%s", valexpr, type);
	List	   *parts = f->paths != NIL ? f->paths : list_make1(f);
	ListCell   *lc;

	foreach(lc, parts)
	{
		SkFlag	   *p = (SkFlag *) lfirst(lc);

		expr = psprintf("%s.seedkit_fake_inside(%s, %s, %s::pg_catalog.jsonb)",
						sk_ext_schema(), quote_literal_cstr(p->strategy), expr,
						quote_literal_cstr(sk_options_text(p->options)));
	}
	return expr;
}

/*
 * sk_sibling_expr
 *		The expression of column attnum of relid in the row valexpr (a
 *		column of the same row, written "alias.column" or "column") is
 *		read from.
 */
static char *
sk_sibling_expr(Oid relid, SkFlag *f, const char *valexpr, AttrNumber attnum)
{
	const char *own = quote_identifier(f->attname);
	size_t		vlen = strlen(valexpr);
	size_t		olen = strlen(own);
	size_t		plen = 0;

	if (vlen >= olen && strcmp(valexpr + vlen - olen, own) == 0)
		plen = vlen - olen;
	return psprintf("%.*s%s", (int) plen, valexpr,
					quote_identifier(get_attname(relid, attnum, false)));
}

/*
 * sk_person_id_sql
 *		SQL of the identity text x as sk_person_compose writes it: after
 *		SK_PERSON_OWN, its length and SK_PERSON_OWN when it holds either
 *		byte SK_PERSON_OWN or SK_PERSON_SEP, else as it is.
 */
static char *
sk_person_id_sql(const char *x)
{
	return psprintf("CASE WHEN pg_catalog.strpos(%s, pg_catalog.chr(%d)) OPERATOR(pg_catalog.>) 0"
					" OR pg_catalog.strpos(%s, pg_catalog.chr(%d)) OPERATOR(pg_catalog.>) 0"
					" THEN pg_catalog.chr(%d) OPERATOR(pg_catalog.||)"
					" pg_catalog.octet_length(%s)::pg_catalog.text OPERATOR(pg_catalog.||)"
					" pg_catalog.chr(%d) OPERATOR(pg_catalog.||) %s ELSE %s END",
					x, SK_PERSON_OWN, x, SK_PERSON_SEP, SK_PERSON_OWN, x,
					SK_PERSON_OWN, x, x);
}

/*
 * sk_person_expr
 *		sk_anon_expr for a person field: seedkit_fake of the row's identity
 *		(the column's own value when the identity is null), after the
 *		column's own value when it is not the identity and followed by the
 *		gender column's text when the table has one, as person.c's
 *		sk_person_compose writes it for the in-place rewrite; null stays
 *		null.
 */
static char *
sk_person_expr(Oid relid, SkFlag *f, const char *valexpr)
{
	char	   *id = sk_sibling_expr(relid, f, valexpr, f->person_id);
	char	   *input;

	if (f->person_id == f->attnum && f->person_gender == 0)
	{
		char	   *v = psprintf("(%s)::pg_catalog.text", valexpr);

		/* its own identity: collisions are resolved as for any column */
		sk_snapshot_rounds(relid, f->attnum, f->strategy, f->options, 0);
		/* as it is (as in place, person_raw), unless it must be framed */
		input = psprintf("CASE WHEN pg_catalog.strpos(%s, pg_catalog.chr(%d)) OPERATOR(pg_catalog.>) 0"
						 " OR pg_catalog.strpos(%s, pg_catalog.chr(%d)) OPERATOR(pg_catalog.>) 0"
						 " THEN (%s)::%s ELSE (%s)::%s END",
						 v, SK_PERSON_OWN, v, SK_PERSON_SEP, sk_person_id_sql(v),
						 sk_column_type_text(relid, f->attnum, false),
						 valexpr, sk_column_type_text(relid, f->attnum, false));
	}
	else
	{
		/* a unique field: its collisions over the row's identities */
		sk_person_column_rounds(relid, f->attnum, f->strategy, f->options,
								f->person_id, f->person_gender);
		input = psprintf("(%s", sk_person_id_sql(psprintf("COALESCE((%s)::pg_catalog.text, (%s)::pg_catalog.text)",
																  id, valexpr)));
		/* the field's own value first, when it is not the identity */
		if (f->person_id != f->attnum)
			input = psprintf("pg_catalog.octet_length((%s)::pg_catalog.text)::pg_catalog.text "
							 "OPERATOR(pg_catalog.||) pg_catalog.chr(%d) "
							 "OPERATOR(pg_catalog.||) (%s)::pg_catalog.text "
							 "OPERATOR(pg_catalog.||) %s",
							 valexpr, SK_PERSON_OWN, valexpr, input);
		if (f->person_gender != 0)
			input = psprintf("%s OPERATOR(pg_catalog.||) COALESCE(pg_catalog.chr(%d) "
							 "OPERATOR(pg_catalog.||) (%s)::pg_catalog.text, '')",
							 input, SK_PERSON_SEP,
							 sk_sibling_expr(relid, f, valexpr, f->person_gender));
		input = psprintf("(%s))::%s", input, sk_column_type_text(relid, f->attnum, false));
	}
	return psprintf("CASE WHEN (%s) IS NULL THEN NULL ELSE %s.seedkit_fake(%s, %s, %s::pg_catalog.jsonb) END::%s",
					valexpr, sk_ext_schema(), quote_literal_cstr(f->strategy), input,
					quote_literal_cstr(sk_options_text(f->options)),
					sk_column_type_text(relid, f->attnum, true));
}

/*
 * sk_anon_expr
 *		The SQL expression that replaces column attnum of relid in a
 *		snapshot when a flag applies to it (its own, or its referenced key
 *		column's), with valexpr standing for the original value; NULL when
 *		none applies.  The expression calls seedkit_fake with the flag's
 *		strategy and options on the value cast to the column's base type and
 *		modifier, so it gives exactly what seedkit_anonymise writes in place.
 */
char *
sk_anon_expr(Oid relid, AttrNumber attnum, const char *valexpr)
{
	SkFlag	   *f = sk_flag_for(relid, attnum, 0);
	Oid			typid;
	int32		typmod;
	Oid			collid;
	Oid			basetype;
	char	   *value;

	if (f == NULL)
		return NULL;
	if (sk_flag_nested(relid, f))
		return sk_nested_expr(relid, f, valexpr);
	if (f->person)
		return sk_person_expr(relid, f, valexpr);

	/*
	 * A unique column, or one referencing a unique column flagged alike:
	 * resolve collisions over the whole column now, as seedkit_anonymise
	 * would, so the document's fakes are unique and match in place.
	 */
	sk_snapshot_rounds(relid, attnum, f->strategy, f->options, 0);
	get_atttypetypmodcoll(relid, attnum, &typid, &typmod, &collid);
	basetype = getBaseTypeAndTypmod(typid, &typmod);

	value = psprintf("(%s)::%s", valexpr,
					 format_type_extended(basetype, typmod,
										  FORMAT_TYPE_TYPEMOD_GIVEN |
										  FORMAT_TYPE_FORCE_QUALIFY));

	/*
	 * A domain column's value goes in as the domain (seedkit_fake then
	 * chooses a fake its CHECK constraints accept, as in place), the
	 * modifier of its base type kept.
	 */
	if (basetype != typid)
		value = psprintf("(%s)::%s", value,
						 format_type_extended(typid, -1, FORMAT_TYPE_FORCE_QUALIFY));
	return psprintf("%s.seedkit_fake(%s, %s, %s::pg_catalog.jsonb)",
					sk_ext_schema(), quote_literal_cstr(f->strategy), value,
					quote_literal_cstr(sk_options_text(f->options)));
}

/*
 * sk_anon_flagged
 *		Whether a flag applies to column attnum of relid (its own, or the one
 *		of the column it references), without any of sk_anon_expr's work.
 */
bool
sk_anon_flagged(Oid relid, AttrNumber attnum)
{
	return sk_flag_for(relid, attnum, 0) != NULL;
}

/*
 * sk_flag_applying
 *		The flag that applies to column attnum of relid (its own, or the one
 *		of the column it references), or NULL: for copyfake.c.
 */
SkFlag *
sk_flag_applying(Oid relid, AttrNumber attnum)
{
	return sk_flag_for(relid, attnum, 0);
}

/*
 * sk_same_flag
 *		Whether two flags (either may be NULL) are the same strategy and
 *		options.
 */
static bool
sk_same_flag(SkFlag *a, SkFlag *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a->strategy, b->strategy) == 0 &&
		strcmp(sk_options_text(a->options), sk_options_text(b->options)) == 0;
}

/*
 * sk_effective_flags
 *		The flags that apply to relid in place: its own, and for a column of
 *		a foreign key without its own flag, the flag of the referenced column
 *		(so both sides map alike).
 */
List *
sk_effective_flags(Oid relid)
{
	List	   *flags = sk_flags_of(relid);
	ListCell   *lc;

	foreach(lc, sk_fk_pairs(relid, InvalidOid, false))
	{
		SkFkPair   *p = (SkFkPair *) lfirst(lc);
		ListCell   *fc;
		bool		have = false;
		SkFlag	   *pf;

		foreach(fc, flags)
			if (((SkFlag *) lfirst(fc))->attnum == p->attnum)
				have = true;
		if (have || (pf = sk_flag_for(p->refrelid, p->refattnum, 0)) == NULL)
			continue;
		flags = lappend(flags, sk_inherited_flag(pf, relid, p->attnum));
	}
	return flags;
}

/*
 * sk_referencing_closure
 *		relids and every table whose foreign key references a column a flag
 *		applies to, recursively (the tables seedkit_anonymise() with no list
 *		must rewrite).
 */
List *
sk_referencing_closure(List *relids)
{
	int			i;

	for (i = 0; i < list_length(relids); i++)
	{
		ListCell   *lc;

		foreach(lc, sk_fk_pairs(InvalidOid, list_nth_oid(relids, i), true))
		{
			SkFkPair   *p = (SkFkPair *) lfirst(lc);

			if (!list_member_oid(relids, p->relid) &&
				sk_flag_for(p->refrelid, p->refattnum, 0) != NULL)
				relids = lappend_oid(relids, p->relid);
		}
	}
	return relids;
}

/*
 * sk_check_foreign_keys
 *		Both sides of a foreign key must map alike: when a flag applies to
 *		one column of a foreign key pair, the same flag must apply to the
 *		other (a referencing column without a flag takes the referenced
 *		column's), and both tables must be anonymised in the same call.
 *		run holds the OIDs of the tables of the call and their partitioned
 *		ancestors.
 */
void
sk_check_foreign_keys(List *run)
{
	ListCell   *lc;
	List	   *pairs = NIL;

	foreach(lc, run)
	{
		pairs = list_concat(pairs, sk_fk_pairs(lfirst_oid(lc), InvalidOid, true));
		pairs = list_concat(pairs, sk_fk_pairs(InvalidOid, lfirst_oid(lc), true));
	}
	foreach(lc, pairs)
	{
		SkFkPair   *p = (SkFkPair *) lfirst(lc);
		SkFlag	   *child = sk_flag_for(p->relid, p->attnum, 0);
		SkFlag	   *parent = sk_flag_for(p->refrelid, p->refattnum, 0);
		const char *problem = NULL;
		const char *hint = NULL;

		if (child == NULL && parent == NULL)
			continue;
		if (parent != NULL && parent->person &&
			(parent->person_id != p->refattnum || parent->person_gender != 0))
		{
			problem = "the referenced column is a person field drawn from other columns of its row";
			hint = "Make the referenced column its person's identity (option \"identity\") in a table without a gender column, or flag it without option \"person\".";
		}
		else if (!sk_same_flag(child, parent))
		{
			problem = "the two are not flagged alike";
			hint = "Unflag the referencing column (it then takes the referenced column's flag), or flag both alike.";
		}
		else if (!list_member_oid(run, p->relid) || !list_member_oid(run, p->refrelid))
		{
			problem = "the two tables are not anonymised together";
			hint = "Anonymise both tables in one call (with no list, seedkit_anonymise takes every table involved).";
		}
		if (problem)
			ereport(ERROR,
					(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
					 errmsg("foreign key \"%s\" would not match after anonymisation",
							p->conname),
					 errdetail("Column \"%s\" of table \"%s\" references column \"%s\" of table \"%s\", and %s.",
							   get_attname(p->relid, p->attnum, false),
							   sk_message_name(sk_qualified_name(p->relid)),
							   get_attname(p->refrelid, p->refattnum, false),
							   sk_message_name(sk_qualified_name(p->refrelid)), problem),
					 errhint("%s", hint)));
	}
}

/*
 * sk_check_owner
 *		ERROR unless the current user owns the table; what says what the
 *		caller wanted to do.
 */
void
sk_check_owner(Oid relid, const char *what)
{
	if (!pg_class_ownercheck(relid, GetUserId()))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to %s table \"%s\"", what, get_rel_name(relid)),
				 errdetail("Only the owner of table \"%s\" may %s it.",
						   get_rel_name(relid), what)));
}

/*
 * sk_check_table
 *		ERROR unless relid is an ordinary or partitioned table; when
 *		flagging, also unless it is the top of its partition tree (flags of a
 *		partitioned table apply to all its partitions, and snapshots read
 *		partitions through it).
 */
void
sk_check_table(Oid relid, bool flagging)
{
	char		kind = get_rel_relkind(relid);

	if (kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a table", get_rel_name(relid)),
				 errdetail("Only ordinary and partitioned tables can be anonymised."),
				 errhint("Flag the columns of the table the view or foreign table reads.")));
	if (flagging && get_rel_relispartition(relid))
	{
		Oid			root = llast_oid(get_partition_ancestors(relid));

		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("cannot flag columns of partition \"%s\"", get_rel_name(relid)),
				 errdetail("Flags of a partitioned table apply to all its partitions."),
				 errhint("Flag the column of partitioned table \"%s\".", get_rel_name(root))));
	}
}

/*
 * sk_check_partition_key
 *		ERROR when column attname is (part of) the partition key of root or
 *		of a partitioned table below it: a fake would move rows out of their
 *		partitions.
 */
void
sk_check_partition_key(Oid root, const char *attname)
{
	List	   *rels;
	ListCell   *lc;

	if (get_rel_relkind(root) != RELKIND_PARTITIONED_TABLE)
		return;
	rels = find_all_inheritors(root, AccessShareLock, NULL);
	foreach(lc, rels)
	{
		Oid			relid = lfirst_oid(lc);
		Relation	rel;
		AttrNumber	attnum;
		bool		used;

		if (get_rel_relkind(relid) != RELKIND_PARTITIONED_TABLE)
			continue;
		attnum = get_attnum(relid, attname);
		if (attnum == InvalidAttrNumber)
			continue;
		rel = table_open(relid, AccessShareLock);
		used = has_partition_attrs(rel,
								   bms_make_singleton(attnum - FirstLowInvalidHeapAttributeNumber),
								   NULL);
		table_close(rel, AccessShareLock);
		if (used)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot flag column \"%s\": it is in the partition key of table \"%s\"",
							attname, get_rel_name(relid)),
					 errdetail("A fake would not belong to the row's partition."),
					 errhint("Leave the partition key unflagged, or flag another column.")));
	}
}

/*
 * sk_column
 *		The attribute number of column col of relid, with its type and
 *		NOT NULL flag; ERROR when there is no such user column.
 */
static AttrNumber
sk_column(Oid relid, const char *col, Oid *typid, int32 *typmod, bool *notnull)
{
	HeapTuple	tup = SearchSysCacheAttName(relid, col);
	Form_pg_attribute att;
	AttrNumber	attnum;

	if (!HeapTupleIsValid(tup))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of table \"%s\" does not exist",
						col, get_rel_name(relid))));
	att = (Form_pg_attribute) GETSTRUCT(tup);
	attnum = att->attnum;
	*typid = att->atttypid;
	*typmod = att->atttypmod;
	*notnull = att->attnotnull;
	ReleaseSysCache(tup);
	if (attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot flag system column \"%s\"", col)));
	return attnum;
}

/*
 * sk_reanchor
 *		Clean up the flags of relid: drop those whose column was dropped,
 *		and after a restore (new OIDs) bind the rest to the current
 *		attribute numbers again.
 */
void
sk_reanchor(Oid relid)
{
	static const struct
	{
		const char *sql;
		int			expect;
		const char *error;
	}			steps[] = {
		/* after a restore: bind flags by name to the new table */
		{"UPDATE seedkit.flag f SET relid_seen = f.tbl, attnum = a.attnum "
			"FROM pg_catalog.pg_attribute a "
			"WHERE f.tbl = $1 AND f.relid_seen <> f.tbl::oid "
			"AND a.attrelid = f.tbl AND a.attname = f.attname "
			"AND a.attnum > 0 AND NOT a.attisdropped",
		SPI_OK_UPDATE, "could not update seedkit.flag"},
		/* a renamed column keeps its flag under its new name */
		{"UPDATE seedkit.flag f SET attname = a.attname "
			"FROM pg_catalog.pg_attribute a "
			"WHERE f.tbl = $1 AND f.relid_seen = f.tbl::oid "
			"AND a.attrelid = f.tbl AND a.attnum = f.attnum "
			"AND NOT a.attisdropped AND a.attname <> f.attname",
		SPI_OK_UPDATE, "could not update seedkit.flag"},
		/* the flags of dropped (or unmatched) columns go */
		{"DELETE FROM seedkit.flag f WHERE f.tbl = $1 AND NOT EXISTS ("
			"SELECT 1 FROM pg_catalog.pg_attribute a "
			"WHERE a.attrelid = f.tbl AND a.attnum > 0 AND NOT a.attisdropped "
			"AND a.attnum = f.attnum AND f.relid_seen = f.tbl::oid)",
		SPI_OK_DELETE, "could not delete from seedkit.flag"},
	};
	static SPIPlanPtr plans[lengthof(steps)];
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1];
	int			i;

	args[0] = ObjectIdGetDatum(relid);
	for (i = 0; i < lengthof(steps); i++)
		if (SPI_execute_plan(sk_saved_plan(&plans[i], steps[i].sql, 1, argtypes),
							 args, NULL, false, 0) != steps[i].expect)
			elog(ERROR, "%s", steps[i].error);
}

/*
 * sk_check_person
 *		Flag time checks of a person field of column col of relid: its
 *		option "gender" names a column of the table, and the other fields
 *		of its group have the same locale (one person, one locale).
 */
static void
sk_check_person(Oid relid, const char *col, Jsonb *options)
{
	char	   *group = sk_option_string(options, "person");
	char	   *gender = sk_option_string(options, "gender");
	char	   *locale = sk_option_string(options, "locale");
	ListCell   *lc;

	if (gender != NULL && get_attnum(relid, gender) <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("gender column \"%s\" of table \"%s\" does not exist",
						gender, get_rel_name(relid)),
				 errhint("Name a column of table \"%s\" in option \"gender\".",
						 get_rel_name(relid))));
	foreach(lc, sk_flags_stored(relid))
	{
		SkFlag	   *f = (SkFlag *) lfirst(lc);
		char	   *g = sk_option_string(f->options, "person");
		char	   *l = sk_option_string(f->options, "locale");

		if (g == NULL || strcmp(g, group) != 0 || strcmp(f->attname, col) == 0)
			continue;
		if (l != NULL && locale != NULL && strcmp(l, locale) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("person \"%s\" of table \"%s\" has locale %s, not %s",
							group, get_rel_name(relid), l, locale),
					 errdetail("Column \"%s\" is a field of the same person.", f->attname),
					 errhint("Give every field of a person the same locale.")));
	}
}

PG_FUNCTION_INFO_V1(seedkit_flag);

/*
 * sk_flag_body
 *		seedkit_flag(tbl, col, strategy, options): flag a column for
 *		anonymisation (replacing an earlier flag).  Options are checked
 *		against the strategy and the column's type now; a strategy that
 *		takes a locale records the effective one.  Returns void.
 */
static Datum
sk_flag_body(PG_FUNCTION_ARGS)
{
	Oid			relid;
	char	   *col;
	char	   *strategy;
	Jsonb	   *options;
	Oid			typid;
	int32		typmod;
	bool		notnull;
	AttrNumber	attnum;
	Oid			argtypes[6] = {OIDOID, OIDOID, INT2OID, NAMEOID, TEXTOID, JSONBOID};
	Datum		args[6];

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("table, column and strategy must not be null")));
	relid = PG_GETARG_OID(0);
	col = NameStr(*PG_GETARG_NAME(1));
	strategy = text_to_cstring(PG_GETARG_TEXT_PP(2));
	options = PG_ARGISNULL(3) ? NULL : PG_GETARG_JSONB_P(3);
	if (options == NULL)
		options = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum("{}")));

	sk_check_table(relid, true);
	sk_check_owner(relid, "flag columns of");
	/* flags of Citus tables live on the coordinator, like any other */
	attnum = sk_column(relid, col, &typid, &typmod, &notnull);
	sk_check_partition_key(relid, col);
	if (get_attgenerated(relid, attnum) != '\0')
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot flag generated column \"%s\"", col),
				 errdetail("Its values are computed from other columns, and recomputed when they are anonymised."),
				 errhint("Flag the columns it is computed from.")));

	/* record the effective locale, so later runs do not depend on the setting */
	if (sk_strategy_takes(strategy, "locale"))
	{
		JsonbValue	k;

		k.type = jbvString;
		k.val.string.val = "locale";
		k.val.string.len = 6;
		if (JB_ROOT_IS_OBJECT(options) && !JB_ROOT_IS_SCALAR(options) &&
			findJsonbValueFromContainer(&options->root, JB_FOBJECT, &k) == NULL)
		{
			char	   *add = psprintf("{\"locale\": \"%s\"}", sk_locale_guc);

			options = DatumGetJsonbP(DirectFunctionCall2(jsonb_concat,
														 JsonbPGetDatum(options),
														 DirectFunctionCall1(jsonb_in, CStringGetDatum(add))));
		}
	}
	if (sk_option_string(options, "person_fit") != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("option \"person_fit\" cannot be set by a flag"),
				 errdetail("It is derived from the lengths of the person's columns."),
				 errhint("Leave option \"person_fit\" out.")));
	if (sk_option_string(options, "person") != NULL &&
		sk_nested_wants(typid, options))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("option \"person\" cannot be used inside column \"%s\"", col),
				 errdetail("A person's fields are whole columns of text, varchar or char."),
				 errhint("Flag the values inside the column without option \"person\".")));
	if (sk_nested_wants(typid, options))
		(void) sk_nested_prepare(strategy, options, typid, typmod, col,
								 CurrentMemoryContext, false);
	else
		sk_fake_validate(strategy, options, typid, typmod, notnull, col);
	if (sk_option_string(options, "person") != NULL)
		sk_check_person(relid, col, options);

	args[0] = ObjectIdGetDatum(relid);
	args[1] = ObjectIdGetDatum(relid);
	args[2] = Int16GetDatum(attnum);
	args[3] = DirectFunctionCall1(namein, CStringGetDatum(col));
	args[4] = CStringGetTextDatum(strategy);
	args[5] = JsonbPGetDatum(options);
	sk_spi_connect();
	sk_reanchor(relid);
	/* a flag replaces the column's flag, or its flag for the same json path */
	if (SPI_execute_with_args("DELETE FROM seedkit.flag WHERE tbl = $1 AND attnum = $3 "
							  "AND ($6->>'path' IS NULL OR options->>'path' IS NULL "
							  "OR options->>'path' = $6->>'path')",
							  6, argtypes, args, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not delete from seedkit.flag");
	if (SPI_execute_with_args("INSERT INTO seedkit.flag (tbl, relid_seen, attnum, attname, strategy, options) "
							  "VALUES ($1, $2, $3, $4, $5, $6)",
							  6, argtypes, args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not insert into seedkit.flag");
	SPI_finish();
	PG_RETURN_VOID();
}

/*
 * seedkit_flag
 *		SQL entry: sk_flag_body with search_path pinned (see sk_call_pinned).
 */
Datum
seedkit_flag(PG_FUNCTION_ARGS)
{
	return sk_call_pinned(sk_flag_body, fcinfo);
}

PG_FUNCTION_INFO_V1(seedkit_unflag);

/*
 * sk_unflag_body
 *		seedkit_unflag(tbl, col): remove a column's flag; a NOTICE when it
 *		had none.  Returns void.
 */
static Datum
sk_unflag_body(PG_FUNCTION_ARGS)
{
	Oid			relid;
	char	   *col;
	Oid			typid;
	int32		typmod;
	bool		notnull;
	AttrNumber	attnum;
	Oid			argtypes[2] = {OIDOID, INT2OID};
	Datum		args[2];

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("table and column must not be null")));
	relid = PG_GETARG_OID(0);
	col = NameStr(*PG_GETARG_NAME(1));
	sk_check_owner(relid, "unflag columns of");
	attnum = sk_column(relid, col, &typid, &typmod, &notnull);
	args[0] = ObjectIdGetDatum(relid);
	args[1] = Int16GetDatum(attnum);
	sk_spi_connect();
	sk_reanchor(relid);
	if (SPI_execute_with_args("DELETE FROM seedkit.flag WHERE tbl = $1 AND attnum = $2",
							  2, argtypes, args, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not delete from seedkit.flag");
	if (SPI_processed == 0)
		ereport(NOTICE,
				(errcode(ERRCODE_SUCCESSFUL_COMPLETION),
				 errmsg("column \"%s\" of table \"%s\" is not flagged, skipping",
						col, get_rel_name(relid))));
	SPI_finish();
	PG_RETURN_VOID();
}

/*
 * seedkit_unflag
 *		SQL entry: sk_unflag_body with search_path pinned (see sk_call_pinned).
 */
Datum
seedkit_unflag(PG_FUNCTION_ARGS)
{
	return sk_call_pinned(sk_unflag_body, fcinfo);
}

/*
 * sk_column_flagged
 *		Whether a flag applies to column attnum of relid, its own or through
 *		a foreign key: then no message may quote the column's values.
 *		Restore asks while the caller's search_path is in force, hence the
 *		pin around sk_anon_flagged's lookup.
 */
bool
sk_column_flagged(Oid relid, AttrNumber attnum)
{
	int			level = sk_pin_settings();
	bool		flagged = sk_anon_flagged(relid, attnum);

	sk_unpin_settings(level);
	return flagged;
}

/*
 * sk_any_flags
 *		Whether any flag is stored: when none is, no column of a restore
 *		needs sk_column_flagged's per-column lookups.
 */
bool
sk_any_flags(void)
{
	int			level;
	bool		isnull;
	bool		any;
	const char *passed;

	/* a Citus tenant snapshot: the coordinator's flags (NULL: none) */
	if (sk_citus_flags(&passed))
		return passed != NULL;
	level = sk_pin_settings();
	sk_spi_connect();
	if (SPI_execute("SELECT EXISTS (SELECT FROM seedkit.flag)", true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "could not read seedkit.flag");
	any = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_finish();
	sk_unpin_settings(level);
	return any;
}
