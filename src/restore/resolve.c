/*-------------------------------------------------------------------------
 *
 * resolve.c
 *	  A restore's document tables against the database, before anything is
 *	  written: the tables locked and found, their columns checked, the
 *	  caller's privileges, NOT NULL columns without defaults, and the key
 *	  plan (which columns are remapped, fresh keys drawn).
 *
 * src/restore/resolve.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "rewrite/rewriteHandler.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "anon/anon.h"
#include "core/core.h"
#include "restore/restore.h"

/*
 * sk_find_target
 *		The target of the document table named name, or NULL.
 */
SkTarget *
sk_find_target(SkJob *job, const char *name)
{
	int			i;

	for (i = 0; i < job->doc->ntables; i++)
		if (strcmp(job->doc->tables[i].name, name) == 0)
			return &job->targets[i];
	return NULL;
}

/*
 * sk_named_target
 *		The target a caller's argument (overrides, reuse) names, or NULL:
 *		the document's spelling, its spelling before schema_map renamed it,
 *		any name of the same table (relid, InvalidOid when the name found
 *		none), or the document's spelling as messages show it
 *		(sk_message_name: "Shop.My Table"), when only one table has it.
 */
SkTarget *
sk_named_target(SkJob *job, const char *name, Oid relid)
{
	SkTarget   *t = sk_find_target(job, name);
	int			i;

	if (t != NULL)
		return t;
	for (i = 0; i < job->doc->ntables; i++)
		if (job->doc->tables[i].source_name != NULL &&
			strcmp(job->doc->tables[i].source_name, name) == 0)
			return &job->targets[i];
	for (i = 0; i < job->doc->ntables && OidIsValid(relid); i++)
		if (job->targets[i].relid == relid)
			return &job->targets[i];
	/* the spelling the hints show, unless two tables share it */
	for (i = 0; i < job->doc->ntables; i++)
		if (strcmp(sk_message_name(job->doc->tables[i].name), name) == 0)
		{
			if (t != NULL)
				return NULL;
			t = &job->targets[i];
		}
	return t;
}

/*
 * sk_reset_slot
 *		Which reset column of t document column col is, or -1.
 */
int
sk_reset_slot(SkTarget *t, int col)
{
	int			r;

	for (r = 0; r < t->doc->nreset; r++)
		if (t->doc->reset[r] == col)
			return r;
	return -1;
}

/*
 * sk_takes_composite
 *		Whether a column of type typid takes a JSON array or object from a
 *		document: json and jsonb, or a domain over one; the format writes
 *		every other type as a number, a boolean or a string.
 */
bool
sk_takes_composite(Oid typid)
{
	typid = getBaseType(typid);
	return typid == JSONOID || typid == JSONBOID;
}

/*
 * sk_lock_targets
 *		Lock the tables of every document up front, in ascending OID order
 *		(a partitioned table's partitions right after it), in the strongest
 *		mode the restore needs: ACCESS EXCLUSIVE in replace mode (TRUNCATE
 *		takes it), ROW EXCLUSIVE in append mode.  Taking ROW EXCLUSIVE first
 *		and upgrading at TRUNCATE let two replace restores deadlock.  Tables
 *		the caller may not write are not locked (sk_check_privileges refuses
 *		them), nor names that do not resolve or do not parse (sk_resolve
 *		reports them; it also locks a rare catalog-qualified name itself).
 */
void
sk_lock_targets(List *jobs, bool replace)
{
	LOCKMODE	mode = replace ? AccessExclusiveLock : RowExclusiveLock;
	Oid			userid = GetUserId();
	List	   *relids = NIL;
	ListCell   *lc;
	int			i;

	foreach(lc, jobs)
	{
		SkDoc	   *doc = ((SkJob *) lfirst(lc))->doc;

		for (i = 0; i < doc->ntables; i++)
		{
			/* names sk_resolve refuses (or locks itself) are left to it */
			Oid			relid = sk_relid_of_name_quiet(doc->tables[i].name);

			if (!OidIsValid(relid))
				continue;
			if (pg_class_aclcheck(relid, userid, ACL_INSERT) != ACLCHECK_OK &&
				pg_attribute_aclcheck_all(relid, userid, ACL_INSERT, ACLMASK_ANY) != ACLCHECK_OK)
				continue;
			if (replace && pg_class_aclcheck(relid, userid, ACL_TRUNCATE) != ACLCHECK_OK)
				continue;
			relids = list_append_unique_oid(relids, relid);
		}
	}
	sk_lock_in_order(relids, mode);
	list_free(relids);
}

/*
 * sk_resolve
 *		Find and lock each document table's target and check its columns
 *		(sk_lock_targets has locked it already, unless the caller may not
 *		write it).
 */
void
sk_resolve(SkJob *job)
{
	SkDoc	   *doc = job->doc;
	bool		any_flags = sk_any_flags();
	int			i,
				c;

	job->targets = palloc0(sizeof(SkTarget) * (doc->ntables + 1));
	for (i = 0; i < doc->ntables; i++)
	{
		SkTarget   *t = &job->targets[i];
		SkDocTable *d = &doc->tables[i];
		Relation	rel;
		TupleDesc	td;
		char		relkind;

		t->doc = d;
		/* a longer name would be truncated into another table's name */
		if (sk_name_too_long(d->name))
			ereport(ERROR,
					(errcode(ERRCODE_NAME_TOO_LONG),
					 errmsg("table name \"%s\" of the snapshot is too long",
							sk_message_name(sk_message_value(d->name, -1))),
					 errdetail("Each part of a name has at most %d bytes.",
							   NAMEDATALEN - 1)));
		t->relid = sk_relid_of_name(d->name, RowExclusiveLock, true);
		if (!OidIsValid(t->relid))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_TABLE),
					 errmsg("table \"%s\" of the snapshot does not exist", sk_message_name(d->name)),
					 errhint("Create the table, or restore into a database with the snapshot's schema.")));
		relkind = get_rel_relkind(t->relid);
		if (relkind != RELKIND_RELATION && relkind != RELKIND_PARTITIONED_TABLE &&
			relkind != RELKIND_FOREIGN_TABLE)
			ereport(ERROR,
					(errcode(ERRCODE_WRONG_OBJECT_TYPE),
					 errmsg("cannot restore into \"%s\"", sk_message_name(d->name)),
					 errdetail("Only tables, partitioned tables and foreign tables can receive rows.")));
		t->qname = sk_qualified_name(t->relid);
		for (c = 0; c < i; c++)
			if (job->targets[c].relid == t->relid)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("table \"%s\" is listed twice in the snapshot", sk_message_name(t->qname)),
						 errdetail("Table elements %d and %d name the same table.", c + 1, i + 1)));

		rel = table_open(t->relid, NoLock);
		td = RelationGetDescr(rel);
		t->cols = palloc0(sizeof(SkColPlan) * (d->ncols + 1));
		for (c = 0; c < d->ncols; c++)
		{
			AttrNumber	attnum = get_attnum(t->relid, d->columns[c]);
			Form_pg_attribute att;

			if (attnum == InvalidAttrNumber || attnum < 0)
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_COLUMN),
						 errmsg("column \"%s\" of table \"%s\" does not exist",
								sk_message_value(d->columns[c], -1), sk_message_name(d->name)),
						 errdetail("The snapshot has values for the column; the target table has no such column."),
						 errhint("Add the column, or take the snapshot again from the current schema.")));
			att = TupleDescAttr(td, attnum - 1);
			if (att->attgenerated)
				ereport(ERROR,
						(errcode(ERRCODE_GENERATED_ALWAYS),
						 errmsg("column \"%s\" of table \"%s\" is a generated column",
								d->columns[c], sk_message_name(d->name)),
						 errdetail("The snapshot has values for the column, but generated columns cannot be written."),
						 errhint("Take the snapshot again from the current schema.")));
			t->cols[c].attnum = attnum;
			t->cols[c].json = sk_takes_composite(att->atttypid);
			/* the document's type: json, jsonb, or the target's own domain */
			t->cols[c].json_text = t->cols[c].json && d->json_wrapped &&
				(strcmp(d->types[c], "json") == 0 || strcmp(d->types[c], "jsonb") == 0 ||
				 strcmp(d->types[c],
						format_type_extended(att->atttypid, att->atttypmod,
											 FORMAT_TYPE_TYPEMOD_GIVEN |
											 FORMAT_TYPE_FORCE_QUALIFY)) == 0);
			t->cols[c].flagged = any_flags && sk_column_flagged(t->relid, attnum);
			if (d->composite_row[c] > 0 && !sk_takes_composite(att->atttypid))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("row %lld of table \"%s\" holds an array or object in column \"%s\"",
								(long long) d->composite_row[c], sk_message_name(d->name), d->columns[c]),
						 errdetail("The column's type is %s; a snapshot writes values of this type as strings, and only json and jsonb values as arrays or objects.",
								   format_type_be(att->atttypid)),
						 errhint("Take the snapshot again, or correct the document.")));
		}
		table_close(rel, NoLock);
	}
}

/*
 * sk_check_not_null
 *		Every NOT NULL column of the target that restore does not write
 *		must have a default.
 */
void
sk_check_not_null(SkTarget *t)
{
	Relation	rel = table_open(t->relid, NoLock);
	TupleDesc	td = RelationGetDescr(rel);
	int			a,
				c;

	for (a = 0; a < td->natts; a++)
	{
		Form_pg_attribute att = TupleDescAttr(td, a);
		bool		written = false;

		if (att->attisdropped || att->attgenerated || !att->attnotnull)
			continue;
		for (c = 0; c < t->doc->ncols && !written; c++)
			written = (t->cols[c].attnum == att->attnum);
		for (c = 0; c < t->nextra && !written; c++)
			written = (t->extra[c].attnum == att->attnum);
		if (written || build_column_default(rel, att->attnum) != NULL)
			continue;
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("column \"%s\" of table \"%s\" is not in the snapshot and has no default",
						NameStr(att->attname), sk_message_name(t->doc->name)),
				 errdetail("The column is NOT NULL, so every restored row would violate it."),
				 errhint("Give the column a default, set it with overrides, or take the snapshot again.")));
	}
	table_close(rel, NoLock);
}

/*
 * sk_check_privileges
 *		The caller needs INSERT on every table (TRUNCATE too in replace
 *		mode): say so before anything is written.
 */
void
sk_check_privileges(SkJob *job, bool replace)
{
	Oid			userid = GetUserId();
	int			i,
				c;

	for (i = 0; i < job->doc->ntables; i++)
	{
		SkTarget   *t = &job->targets[i];
		bool		ok = pg_class_aclcheck(t->relid, userid, ACL_INSERT) == ACLCHECK_OK;

		/* column privileges are enough when they cover what is written */
		if (!ok)
		{
			ok = true;
			for (c = 0; c < t->doc->ncols && ok; c++)
				ok = pg_attribute_aclcheck(t->relid, t->cols[c].attnum, userid,
										   ACL_INSERT) == ACLCHECK_OK;
		}
		if (!ok)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied to restore into table \"%s\"", sk_message_name(t->doc->name)),
					 errdetail("Restoring a snapshot needs the INSERT privilege on every table it covers.")));
		if (replace && pg_class_aclcheck(t->relid, userid, ACL_TRUNCATE) != ACLCHECK_OK)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied to replace the rows of table \"%s\"", sk_message_name(t->doc->name)),
					 errdetail("Restoring in replace mode needs the TRUNCATE privilege on every table the snapshot covers."),
					 errhint("Restore in append mode, or ask the table's owner for TRUNCATE.")));
	}
}

/*
 * sk_plan_maps
 *		Decide for each column whether its ordinal is remapped: reset
 *		columns of fresh tables, and the columns referencing a reset column
 *		through any chain of foreign keys (composite ones included), which
 *		hold the ordinal of the row at the end of the chain.  A column takes
 *		its ordinal through the reference with the fewest hops to a reset
 *		column, the first one listed among equals: the choice the snapshot
 *		made.  Its map is that reset column's (none when the reset column
 *		keeps its ordinals).
 */
void
sk_plan_maps(SkJob *job)
{
	int		  **depth;
	int			i,
				c,
				r,
				j,
				level;
	bool		changed = true;

	depth = palloc(sizeof(int *) * (job->doc->ntables + 1));
	for (i = 0; i < job->doc->ntables; i++)
	{
		SkTarget   *t = &job->targets[i];

		depth[i] = palloc(sizeof(int) * (t->doc->ncols + 1));
		for (c = 0; c < t->doc->ncols; c++)
		{
			int			slot = sk_reset_slot(t, c);

			t->cols[c].map = NULL;
			depth[i][c] = slot >= 0 ? 0 : -1;
			if (slot >= 0 && t->slot_fresh[slot])
			{
				t->cols[c].map = &t->maps[slot];
				t->cols[c].maptable = t->doc->name;
			}
		}
	}

	/* breadth first from the reset columns, one reference hop a level */
	for (level = 1; changed; level++)
	{
		changed = false;
		for (i = 0; i < job->doc->ntables; i++)
		{
			SkTarget   *t = &job->targets[i];
			SkDocTable *d = t->doc;

			for (c = 0; c < d->ncols; c++)
			{
				if (depth[i][c] >= 0)
					continue;
				for (r = 0; r < d->nrefs && depth[i][c] < 0; r++)
				{
					SkDocRef   *ref = &d->refs[r];
					SkTarget   *rt = sk_find_target(job, ref->table);

					if (rt == NULL)
						continue;
					for (j = 0; j < ref->ncols; j++)
					{
						int			kc;

						if (strcmp(ref->columns[j], d->columns[c]) != 0)
							continue;
						kc = sk_column_index(rt->doc, ref->key[j]);
						if (kc >= 0 && depth[rt - job->targets][kc] == level - 1)
						{
							depth[i][c] = level;
							t->cols[c].map = rt->cols[kc].map;
							t->cols[c].maptable = rt->cols[kc].maptable;
							changed = true;
						}
						break;
					}
				}
			}
		}
	}
}

/*
 * sk_takes_ordinal
 *		Whether column attnum of relid can hold an ordinal as it is: an
 *		integer or numeric type, or a domain over one.
 */
bool
sk_takes_ordinal(Oid relid, AttrNumber attnum)
{
	Oid			typid = getBaseType(get_atttype(relid, attnum));

	return typid == INT2OID || typid == INT4OID || typid == INT8OID ||
		typid == NUMERICOID;
}

/*
 * sk_alloc_keys
 *		Draw fresh keys for the reset columns of t that get them
 *		(slot_fresh) from each column's own
 *		default (sequence, identity, or any default expression), all in one
 *		go: ordinal k gets the k-th value, so the original order holds.
 */
void
sk_alloc_keys(SkTarget *t)
{
	SkDocTable *d = t->doc;
	Relation	rel;
	int			r;

	t->maps = palloc0(sizeof(SkKeyMap) * (d->nreset + 1));
	if (d->nreset == 0)
		return;
	rel = table_open(t->relid, NoLock);
	for (r = 0; r < d->nreset; r++)
	{
		SkKeyMap   *map = &t->maps[r];
		AttrNumber	attnum = t->cols[d->reset[r]].attnum;
		Node	   *expr;
		EState	   *estate;
		ExprState  *es;
		ExprContext *econtext;
		Oid			outfunc;
		bool		varlena;
		FmgrInfo	flinfo;
		int64		k;

		if (!t->slot_fresh[r])
			continue;
		/* at most the row count (sk_doc_parse): the size cannot wrap */
		map->n = d->reset_max[r];
		Assert(map->n >= 0 && map->n <= d->nrows);
		map->keys = palloc(sizeof(char *) * (map->n + 1));
		if (map->n == 0)
			continue;
		expr = build_column_default(rel, attnum);
		if (expr == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("reset key column \"%s\" of table \"%s\" has no default to draw fresh keys from",
							d->columns[d->reset[r]], sk_message_name(d->name)),
					 errhint("Restore in replace mode, or give the column an identity or default.")));
		getTypeOutputInfo(TupleDescAttr(RelationGetDescr(rel), attnum - 1)->atttypid,
						  &outfunc, &varlena);
		fmgr_info(outfunc, &flinfo);
		estate = CreateExecutorState();
		es = ExecPrepareExpr((Expr *) expr, estate);
		econtext = GetPerTupleExprContext(estate);
		for (k = 0; k < map->n; k++)
		{
			bool		isnull;
			Datum		v;

			CHECK_FOR_INTERRUPTS();
			v = ExecEvalExprSwitchContext(es, econtext, &isnull);

			if (isnull)
				ereport(ERROR,
						(errcode(ERRCODE_NOT_NULL_VIOLATION),
						 errmsg("default of reset key column \"%s\" of table \"%s\" gave null",
								d->columns[d->reset[r]], sk_message_name(d->name))));
			map->keys[k] = OutputFunctionCall(&flinfo, v);
			ResetExprContext(econtext);
		}
		FreeExecutorState(estate);
	}
	table_close(rel, NoLock);
}
