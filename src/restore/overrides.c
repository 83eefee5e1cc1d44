/*-------------------------------------------------------------------------
 *
 * overrides.c
 *	  The overrides argument of a restore planned onto the resolved tables:
 *	  which columns get a value on every row, which on the rows of a key
 *	  (the argument itself is parsed by reader.c).
 *
 * src/restore/overrides.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/lsyscache.h"

#include "core/core.h"
#include "restore/restore.h"

/* Per-row override columns are kept in arrays grown by this many. */
#define SK_KEYED_COLS_CHUNK 8

/*
 * sk_override_column
 *		Resolve column name of t for an override: a document column's index,
 *		or -1 - the index of an extra column (added when allowed).
 */
static int
sk_override_column(SkTarget *t, const char *name, bool every_row)
{
	int			c = sk_column_index(t->doc, name);
	AttrNumber	attnum;

	if (c >= 0)
	{
		if (sk_reset_slot(t, c) >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot override reset key column \"%s\" of table \"%s\"",
							name, sk_message_name(t->doc->name)),
					 errdetail("Restore gives reset keys fresh values and remaps every reference to them.")));
		return c;
	}
	for (c = 0; c < t->nextra; c++)
		if (strcmp(t->extra[c].name, name) == 0)
			return -1 - c;
	attnum = get_attnum(t->relid, name);
	if (attnum == InvalidAttrNumber || attnum < 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("overrides name column \"%s\" of table \"%s\", which does not exist",
						sk_message_name(sk_message_value(name, -1)), sk_message_name(t->doc->name))));
	if (get_attgenerated(t->relid, attnum))
		ereport(ERROR,
				(errcode(ERRCODE_GENERATED_ALWAYS),
				 errmsg("cannot override generated column \"%s\" of table \"%s\"",
						name, sk_message_name(t->doc->name))));
	if (!every_row)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot override column \"%s\" of table \"%s\" for single rows",
						name, sk_message_name(t->doc->name)),
				 errdetail("The snapshot has no values for the column, so its other rows would need the column's default."),
				 errhint("Override the column for every row of the table.")));
	t->extra = t->nextra == 0 ? palloc(sizeof(SkExtraCol)) :
		repalloc(t->extra, sizeof(SkExtraCol) * (t->nextra + 1));
	t->extra[t->nextra].attnum = attnum;
	t->extra[t->nextra].name = pstrdup(name);
	t->extra[t->nextra].has_override = false;
	t->extra[t->nextra].override = NULL;
	return -1 - t->nextra++;
}

/*
 * sk_override_value
 *		The text an override value stands for in column c of t (as
 *		sk_override_column numbers it): in a json or jsonb column the
 *		wrapper {"$json": v} stands for v, so {"$json": null} sets the JSON
 *		literal null where null sets SQL NULL.
 */
static char *
sk_override_value(SkTarget *t, int c, char *value)
{
	SkVal		inner;
	Oid			typid;

	if (value == NULL || value[0] != '{')
		return value;
	if (c >= 0)
		typid = get_atttype(t->relid, t->cols[c].attnum);
	else
		typid = get_atttype(t->relid, t->extra[-1 - c].attnum);
	if (!sk_takes_composite(typid) ||
		!sk_json_unwrap(value, strlen(value), &inner))
		return value;
	if (inner.kind == SK_VAL_NULL)
		return pstrdup("null");
	return sk_val_text(&inner);
}

/*
 * sk_override_target
 *		The target an override names: the document's own spelling, its
 *		spelling before schema_map renamed it, or any name of the same
 *		table.
 */
static SkTarget *
sk_override_target(SkJob *job, const char *name)
{
	SkTarget   *t = sk_named_target(job, name, sk_relid_of_name_quiet(name));

	if (t != NULL)
		return t;
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_TABLE),
			 errmsg("overrides name table \"%s\", which the snapshot does not cover",
					sk_message_name(sk_message_value(name, -1))),
			 errhint("Name tables as the snapshot does, for example \"%s\".",
					 sk_message_name(job->doc->tables[0].name))));
	return NULL;				/* keep compiler quiet */
}

/*
 * sk_plan_overrides
 *		Attach overrides to the targets.  {"t": {"c": v}} sets column c on
 *		every row; {"t": {"k": {"c": v}}} on the row with key k, unless k
 *		is a column (then the object is that column's value).
 */
void
sk_plan_overrides(SkJob *job, List *overrides)
{
	ListCell   *lc;
	bool		parent_is_column = true;

	foreach(lc, overrides)
	{
		SkOverride *o = (SkOverride *) lfirst(lc);
		SkTarget   *t = sk_override_target(job, o->table);

		if (o->key == NULL)
		{
			bool		is_column = sk_column_index(t->doc, o->column) >= 0 ||
				get_attnum(t->relid, o->column) != InvalidAttrNumber;

			parent_is_column = is_column || o->value == NULL || o->value[0] != '{';
			if (parent_is_column)
			{
				int			c = sk_override_column(t, o->column, true);
				char	   *value = sk_override_value(t, c, o->value);

				if (c >= 0)
				{
					t->cols[c].has_override = true;
					t->cols[c].override = value;
				}
				else
				{
					t->extra[-1 - c].has_override = true;
					t->extra[-1 - c].override = value;
				}
			}
			else if (t->doc->nkey == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("overrides name row \"%s\" of table \"%s\", which has no key",
								sk_message_value(o->column, -1), sk_message_name(t->doc->name)),
						 errhint("Override columns of a table without key for every row.")));
		}
		else if (!parent_is_column)
		{
			SkKeyOverride *ko = NULL;
			ListCell   *kc;
			int			c;

			foreach(kc, t->keyed)
			{
				if (strcmp(((SkKeyOverride *) lfirst(kc))->key, o->key) == 0)
					ko = (SkKeyOverride *) lfirst(kc);
			}
			if (ko == NULL)
			{
				ko = palloc0(sizeof(SkKeyOverride));
				ko->key = o->key;
				ko->cols = palloc(sizeof(int) * SK_KEYED_COLS_CHUNK);
				ko->values = palloc(sizeof(char *) * SK_KEYED_COLS_CHUNK);
				t->keyed = lappend(t->keyed, ko);
			}
			else if (ko->ncols % SK_KEYED_COLS_CHUNK == 0)
			{
				ko->cols = repalloc(ko->cols,
									sizeof(int) * (ko->ncols + SK_KEYED_COLS_CHUNK));
				ko->values = repalloc(ko->values,
									  sizeof(char *) * (ko->ncols + SK_KEYED_COLS_CHUNK));
			}
			c = sk_override_column(t, o->column, false);
			ko->cols[ko->ncols] = c;
			ko->values[ko->ncols] = sk_override_value(t, c, o->value);
			ko->ncols++;
		}
	}
}
