/*-------------------------------------------------------------------------
 *
 * restore.c
 *	  seedkit_restore and seedkit_load: put a snapshot back.
 *
 * A restore reads the document's structure first (reader.c), checks it
 * against the target schema (tables, columns, NOT NULL columns without
 * defaults, privileges, overrides, how each cycle can be broken) before
 * writing anything, then in replace mode empties the covered tables, draws
 * fresh keys in bulk for the reset columns of the tables that get them,
 * and loads each table through COPY (load.c) in the document's order.
 * Cycles are closed at the end, and the sequences of the written tables
 * are moved past the rows (reseed.c).  Everything happens in the caller's
 * statement: an ERROR anywhere leaves the database as it was.
 *
 * Locking order: once the documents are parsed and before any table is
 * read, every table they name is locked in ascending OID order, a
 * partitioned table's partitions right after it, in the strongest mode
 * the restore takes on it: ACCESS EXCLUSIVE in replace mode (TRUNCATE),
 * ROW EXCLUSIVE in append mode.  Tables outside the documents that
 * reference them are locked ACCESS EXCLUSIVE when replace mode finds them
 * (they are emptied along).  Referenced tables get only the row locks of
 * the foreign key checks.  seedkit_snapshot and seedkit_anonymise lock in
 * the same order (doc/hardening.md).
 *
 * src/restore/restore.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/heap.h"
#include "catalog/namespace.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "catalog/pg_authid.h"
#include "mb/pg_wchar.h"
#include "storage/fd.h"
#include "storage/lmgr.h"
#include <sys/stat.h>
#include "nodes/makefuncs.h"
#include "rewrite/rewriteHandler.h"
#include "tcop/utility.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/json.h"
#include "common/jsonapi.h"
#include "utils/jsonfuncs.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/varlena.h"

#include "core/core.h"
#include "restore/restore.h"

PG_FUNCTION_INFO_V1(seedkit_restore);
PG_FUNCTION_INFO_V1(seedkit_restore_name);
PG_FUNCTION_INFO_V1(seedkit_restore_file);
PG_FUNCTION_INFO_V1(seedkit_restore_all);
PG_FUNCTION_INFO_V1(seedkit_load);

/* One document being restored, with its resolved tables. */
typedef struct SkJob
{
	SkDoc	   *doc;
	SkTarget   *targets;		/* one per document table */
	List	   *deferred;		/* qualified constraint names set DEFERRED */
	List	   *immediate;		/* of those, the ones to set IMMEDIATE again */
	List	   *emptied;		/* tables emptied by this call (replace) */
} SkJob;

/*
 * sk_find_target
 *		The target of the document table named name, or NULL.
 */
static SkTarget *
sk_find_target(SkJob *job, const char *name)
{
	int			i;

	for (i = 0; i < job->doc->ntables; i++)
		if (strcmp(job->doc->tables[i].name, name) == 0)
			return &job->targets[i];
	return NULL;
}

/*
 * sk_doc_column
 *		Index of the document column name of t, or -1.
 */
static int
sk_doc_column(SkTarget *t, const char *name)
{
	int			i;

	for (i = 0; i < t->doc->ncols; i++)
		if (strcmp(t->doc->columns[i], name) == 0)
			return i;
	return -1;
}

/*
 * sk_reset_slot
 *		Which reset column of t document column col is, or -1.
 */
static int
sk_reset_slot(SkTarget *t, int col)
{
	int			r;

	for (r = 0; r < t->doc->nreset; r++)
		if (t->doc->reset[r] == col)
			return r;
	return -1;
}

/*
 * sk_parse_mode
 *		True for replace, false for append; anything else is an error.
 */
static bool
sk_parse_mode(const char *mode)
{
	if (strcmp(mode, "append") == 0)
		return false;
	if (strcmp(mode, "replace") == 0)
		return true;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown restore mode \"%s\"", mode),
			 errhint("Valid modes are \"append\" and \"replace\".")));
	return false;				/* keep compiler quiet */
}

/*
 * sk_takes_composite
 *		Whether a column of type typid takes a JSON array or object from a
 *		document: json and jsonb, or a domain over one; the format writes
 *		every other type as a number, a boolean or a string.
 */
static bool
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
static void
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
static void
sk_resolve(SkJob *job)
{
	SkDoc	   *doc = job->doc;
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
					 errmsg("table name \"%s\" of the snapshot is too long", d->name),
					 errdetail("Each part of a name has at most %d bytes.",
							   NAMEDATALEN - 1)));
		t->relid = sk_relid_of_name(d->name, RowExclusiveLock, true);
		if (!OidIsValid(t->relid))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_TABLE),
					 errmsg("table \"%s\" of the snapshot does not exist", d->name),
					 errhint("Create the table, or restore into a database with the snapshot's schema.")));
		relkind = get_rel_relkind(t->relid);
		if (relkind != RELKIND_RELATION && relkind != RELKIND_PARTITIONED_TABLE &&
			relkind != RELKIND_FOREIGN_TABLE)
			ereport(ERROR,
					(errcode(ERRCODE_WRONG_OBJECT_TYPE),
					 errmsg("cannot restore into \"%s\"", d->name),
					 errdetail("Only tables, partitioned tables and foreign tables can receive rows.")));
		t->qname = sk_qualified_name(t->relid);
		for (c = 0; c < i; c++)
			if (job->targets[c].relid == t->relid)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("table %s is listed twice in the snapshot", t->qname),
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
								d->columns[c], d->name),
						 errdetail("The snapshot has values for the column; the target table has no such column."),
						 errhint("Add the column, or take the snapshot again from the current schema.")));
			att = TupleDescAttr(td, attnum - 1);
			if (att->attgenerated)
				ereport(ERROR,
						(errcode(ERRCODE_GENERATED_ALWAYS),
						 errmsg("column \"%s\" of table \"%s\" is a generated column",
								d->columns[c], d->name),
						 errdetail("The snapshot has values for the column, but generated columns cannot be written."),
						 errhint("Take the snapshot again from the current schema.")));
			t->cols[c].attnum = attnum;
			if (d->composite_row[c] > 0 && !sk_takes_composite(att->atttypid))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("row %lld of table \"%s\" holds an array or object in column \"%s\"",
								(long long) d->composite_row[c], d->name, d->columns[c]),
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
static void
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
						NameStr(att->attname), t->doc->name),
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
static void
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
					 errmsg("permission denied to restore into table \"%s\"", t->doc->name),
					 errdetail("Restoring a snapshot needs the INSERT privilege on every table it covers.")));
		if (replace && pg_class_aclcheck(t->relid, userid, ACL_TRUNCATE) != ACLCHECK_OK)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied to replace the rows of table \"%s\"", t->doc->name),
					 errdetail("Restoring in replace mode needs the TRUNCATE privilege on every table the snapshot covers."),
					 errhint("Restore in append mode, or ask the table's owner for TRUNCATE.")));
	}
}

/*
 * sk_override_column
 *		Resolve column name of t for an override: a document column's index,
 *		or -1 - the index of an extra column (added when allowed).
 */
static int
sk_override_column(SkTarget *t, const char *name, bool every_row)
{
	int			c = sk_doc_column(t, name);
	AttrNumber	attnum;

	if (c >= 0)
	{
		if (sk_reset_slot(t, c) >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot override reset key column \"%s\" of table \"%s\"",
							name, t->doc->name),
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
						name, t->doc->name)));
	if (get_attgenerated(t->relid, attnum))
		ereport(ERROR,
				(errcode(ERRCODE_GENERATED_ALWAYS),
				 errmsg("cannot override generated column \"%s\" of table \"%s\"",
						name, t->doc->name)));
	if (!every_row)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot override column \"%s\" of table \"%s\" for single rows",
						name, t->doc->name),
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
 * sk_override_target
 *		The target an override names: the document's own spelling, or any
 *		name of the same table.
 */
static SkTarget *
sk_override_target(SkJob *job, const char *name)
{
	SkTarget   *t = sk_find_target(job, name);
	Oid			relid;
	int			i;

	if (t != NULL)
		return t;
	relid = sk_relid_of_name(name, NoLock, true);
	for (i = 0; i < job->doc->ntables && OidIsValid(relid); i++)
		if (job->targets[i].relid == relid)
			return &job->targets[i];
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_TABLE),
			 errmsg("overrides name table \"%s\", which the snapshot does not cover", name),
			 errhint("Name tables as the snapshot does, for example \"%s\".",
					 job->doc->tables[0].name)));
	return NULL;				/* keep compiler quiet */
}

/*
 * sk_plan_overrides
 *		Attach overrides to the targets.  {"t": {"c": v}} sets column c on
 *		every row; {"t": {"k": {"c": v}}} on the row with key k, unless k
 *		is a column (then the object is that column's value).
 */
static void
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
			bool		is_column = sk_doc_column(t, o->column) >= 0 ||
				get_attnum(t->relid, o->column) != InvalidAttrNumber;

			parent_is_column = is_column || o->value == NULL || o->value[0] != '{';
			if (parent_is_column)
			{
				int			c = sk_override_column(t, o->column, true);

				if (c >= 0)
				{
					t->cols[c].has_override = true;
					t->cols[c].override = o->value;
				}
				else
				{
					t->extra[-1 - c].has_override = true;
					t->extra[-1 - c].override = o->value;
				}
			}
			else if (t->doc->nkey == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("overrides name row \"%s\" of table \"%s\", which has no key",
								o->column, t->doc->name),
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
				ko->cols = palloc(sizeof(int) * 8);
				ko->values = palloc(sizeof(char *) * 8);
				t->keyed = lappend(t->keyed, ko);
			}
			else if (ko->ncols % 8 == 0)
			{
				ko->cols = repalloc(ko->cols, sizeof(int) * (ko->ncols + 8));
				ko->values = repalloc(ko->values, sizeof(char *) * (ko->ncols + 8));
			}
			c = sk_override_column(t, o->column, false);
			ko->cols[ko->ncols] = c;
			ko->values[ko->ncols] = o->value;
			ko->ncols++;
		}
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
static void
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
						kc = sk_doc_column(rt, ref->key[j]);
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
 * sk_partition_constraint_oid
 *		The constraint named conname of relid or, for a partitioned table,
 *		of one of its partitions (a foreign key declared on the partitions,
 *		written under the name of the first); InvalidOid if none.  Sets
 *		*on_partition when it was found on a partition.
 */
static Oid
sk_partition_constraint_oid(Oid relid, const char *conname, bool *on_partition)
{
	Oid			conoid = get_relation_constraint_oid(relid, conname, true);
	ListCell   *lc;

	*on_partition = false;
	if (OidIsValid(conoid) || get_rel_relkind(relid) != RELKIND_PARTITIONED_TABLE)
		return conoid;
	foreach(lc, find_all_inheritors(relid, NoLock, NULL))
	{
		conoid = get_relation_constraint_oid(lfirst_oid(lc), conname, true);
		if (OidIsValid(conoid))
		{
			*on_partition = true;
			return conoid;
		}
	}
	return InvalidOid;
}

/*
 * sk_plan_cycles
 *		Choose how each "after" reference is loaded: written as null and
 *		filled in by an UPDATE (nullable columns), written as is under a
 *		deferred constraint (DEFERRABLE), or written as is under
 *		session_replication_role = replica and checked by hand; otherwise
 *		the cycle cannot be restored.
 */
static void
sk_plan_cycles(SkJob *job)
{
	int			i,
				r,
				j;

	for (i = 0; i < job->doc->ntables; i++)
	{
		SkTarget   *t = &job->targets[i];
		SkDocTable *d = t->doc;

		for (r = 0; r < d->nrefs; r++)
		{
			SkDocRef   *ref = &d->refs[r];
			Oid			conoid;
			HeapTuple	tup;
			Form_pg_constraint con;
			bool		nullable = true;
			bool		on_partition;

			if (!ref->after || sk_find_target(job, ref->table) == NULL)
				continue;
			conoid = sk_partition_constraint_oid(t->relid, ref->constraint, &on_partition);
			if (!OidIsValid(conoid))
				continue;		/* no such foreign key here: nothing to break */
			for (j = 0; j < ref->ncols; j++)
			{
				AttrNumber	attnum = get_attnum(t->relid, ref->columns[j]);
				HeapTuple	atup = SearchSysCache2(ATTNUM, ObjectIdGetDatum(t->relid),
												   Int16GetDatum(attnum));

				if (HeapTupleIsValid(atup))
				{
					if (((Form_pg_attribute) GETSTRUCT(atup))->attnotnull)
						nullable = false;
					ReleaseSysCache(atup);
				}
			}
			tup = SearchSysCache1(CONSTROID, ObjectIdGetDatum(conoid));
			if (!HeapTupleIsValid(tup))
				elog(ERROR, "cache lookup failed for constraint %u", conoid);
			con = (Form_pg_constraint) GETSTRUCT(tup);

			if (nullable && d->nkey > 0)
			{
				SkAfterFill *fill = palloc0(sizeof(SkAfterFill));

				for (j = 0; j < d->nkey; j++)
				{
					int			k;

					for (k = 0; k < ref->ncols; k++)
						if (strcmp(ref->columns[k], d->columns[d->key[j]]) == 0)
							nullable = false;
				}
				if (nullable)
				{
					fill->ref = r;
					t->fills = lappend(t->fills, fill);
					for (j = 0; j < ref->ncols; j++)
						t->cols[sk_doc_column(t, ref->columns[j])].written_null = true;
					if (pg_class_aclcheck(t->relid, GetUserId(), ACL_UPDATE) != ACLCHECK_OK)
						ereport(ERROR,
								(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
								 errmsg("permission denied to restore into table \"%s\"", d->name),
								 errdetail("The foreign key \"%s\" closes a cycle; its columns are filled in by an UPDATE, which needs the UPDATE privilege.",
										   ref->constraint)));
					ReleaseSysCache(tup);
					continue;
				}
			}
			if (on_partition)
			{
				ReleaseSysCache(tup);
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("cannot restore the foreign key cycle through constraint \"%s\" of table \"%s\"",
								ref->constraint, d->name),
						 errdetail("The foreign key is declared on the partitions of table \"%s\" and its columns cannot be written as null and filled in afterwards.",
								   d->name),
						 errhint("Allow NULL in its columns, or declare the foreign key on the partitioned table.")));
			}
			if (con->condeferrable)
			{
				char	   *qcon = quote_qualified_identifier(get_namespace_name(con->connamespace),
															  NameStr(con->conname));

				job->deferred = lappend(job->deferred, qcon);
				if (!con->condeferred)
					job->immediate = lappend(job->immediate, qcon);
			}
			else if (sk_caller_may_set_replication_role())
				t->replica = true;	/* every foreign key checked afterwards */
			else
				ereport(ERROR,
						(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
						 errmsg("cannot restore the foreign key cycle through constraint \"%s\" of table \"%s\"",
								ref->constraint, d->name),
						 nullable ?
						 errdetail("Table \"%s\" references table \"%s\", which references it back; "
								   "the table has no key to fill in the foreign key's columns afterwards "
								   "and the constraint is not deferrable, "
								   "so the rows can only be loaded with session_replication_role = replica, "
								   "which the current role may not set.",
								   d->name, ref->table) :
						 errdetail("Table \"%s\" references table \"%s\", which references it back; "
								   "the foreign key's columns are NOT NULL and the constraint is not deferrable, "
								   "so the rows can only be loaded with session_replication_role = replica, "
								   "which the current role may not set.",
								   d->name, ref->table),
						 errhint("Make the constraint DEFERRABLE, allow NULL in its columns, "
								 "or restore as a role granted SET ON PARAMETER session_replication_role.")));
			ReleaseSysCache(tup);
		}
	}
}

/*
 * sk_takes_ordinal
 *		Whether column attnum of relid can hold an ordinal as it is: an
 *		integer or numeric type, or a domain over one.
 */
static bool
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
static void
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
							d->columns[d->reset[r]], d->name),
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
								d->columns[d->reset[r]], d->name)));
			map->keys[k] = OutputFunctionCall(&flinfo, v);
			ResetExprContext(econtext);
		}
		FreeExecutorState(estate);
	}
	table_close(rel, NoLock);
}

/*
 * sk_truncate
 *		Empty the tables (replace mode) and restart their identities.  A
 *		table outside them that references one of them is refused when it
 *		holds rows and emptied along with them when it holds none (TRUNCATE
 *		needs every referencing table).
 */
static void
sk_truncate(List *relids)
{
	StringInfoData sql;
	ListCell   *lc;
	List	   *all = list_copy(relids);
	List	   *expanded;
	List	   *refs;
	bool		more = true;
	int			level;

	while (more)
	{
		more = false;
		/* TRUNCATE of a partitioned table covers its partitions */
		expanded = NIL;
		foreach(lc, all)
		{
			Oid			relid = lfirst_oid(lc);

			if (get_rel_relkind(relid) == RELKIND_PARTITIONED_TABLE)
				expanded = list_concat_unique_oid(expanded,
												  find_all_inheritors(relid, NoLock, NULL));
			else
				expanded = list_append_unique_oid(expanded, relid);
		}
		refs = heap_truncate_find_FKs(expanded);
		foreach(lc, refs)
		{
			Oid			from = lfirst_oid(lc);
			char	   *qname = sk_qualified_name(from);
			bool		isnull;
			bool		has_rows;

			/* TRUNCATE's lock before the first read: no upgrade later */
			LockRelationOid(from, AccessExclusiveLock);
			initStringInfo(&sql);
			appendStringInfo(&sql, "SELECT EXISTS (SELECT FROM %s)", qname);
			if (SPI_execute(sql.data, true, 1) != SPI_OK_SELECT)
				elog(ERROR, "could not check table %s", qname);
			has_rows = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
												  SPI_tuptable->tupdesc, 1, &isnull));
			SPI_freetuptable(SPI_tuptable);
			if (has_rows)
				ereport(ERROR,
						(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
						 errmsg("cannot replace the rows of the tables of the snapshot"),
						 errdetail("Table %s, which the snapshot does not cover, references one of them and holds rows.",
								   qname),
						 errhint("Empty table %s first, restore in append mode, or take a snapshot that covers it.",
								 qname)));
			all = lappend_oid(all, from);
			more = true;
		}
	}

	initStringInfo(&sql);
	appendStringInfoString(&sql, "TRUNCATE TABLE ");
	foreach(lc, all)
	{
		if (lc != list_head(all))
			appendStringInfoString(&sql, ", ");
		appendStringInfoString(&sql, sk_qualified_name(lfirst_oid(lc)));
	}
	appendStringInfoString(&sql, " RESTART IDENTITY");
	/* TRUNCATE triggers are the caller's code: they see the caller's path */
	level = sk_caller_path_push();
	if (SPI_execute(sql.data, false, 0) != SPI_OK_UTILITY)
		elog(ERROR, "could not empty the tables of the snapshot");
	sk_unpin_settings(level);
}

/*
 * sk_text_array
 *		A text[] datum of n C strings (NULL entries become nulls).
 */
static Datum
sk_text_array(char **strs, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * (n + 1));
	bool	   *nulls = palloc(sizeof(bool) * (n + 1));
	int			dims[1] = {n};
	int			lbs[1] = {1};
	int			i;

	for (i = 0; i < n; i++)
	{
		nulls[i] = strs[i] == NULL;
		elems[i] = nulls[i] ? (Datum) 0 : CStringGetTextDatum(strs[i]);
	}
	return PointerGetDatum(construct_md_array(elems, nulls, 1, dims, lbs,
											  TEXTOID, -1, false, TYPALIGN_INT));
}

/*
 * sk_fill_after
 *		Fill in the columns of one "after" reference with one set-based
 *		UPDATE matching the rows by key.
 */
static void
sk_fill_after(SkTarget *t, SkAfterFill *fill)
{
	SkDocTable *d = t->doc;
	SkDocRef   *ref = &d->refs[fill->ref];
	int			nrows = list_length(fill->rows);
	int			nparams = d->nkey + ref->ncols;
	StringInfoData sql;
	Oid		   *argtypes;
	Datum	   *args;
	char	  **column;
	int			p,
				r;
	ListCell   *lc;

	if (nrows == 0)
		return;
	argtypes = palloc(sizeof(Oid) * nparams);
	args = palloc(sizeof(Datum) * nparams);
	column = palloc(sizeof(char *) * nrows);
	for (p = 0; p < nparams; p++)
	{
		r = 0;
		foreach(lc, fill->rows)
			column[r++] = ((char **) lfirst(lc))[p];
		argtypes[p] = TEXTARRAYOID;
		args[p] = sk_text_array(column, nrows);
	}

	initStringInfo(&sql);
	appendStringInfo(&sql, "UPDATE %s AS t SET ", t->qname);
	for (p = 0; p < ref->ncols; p++)
	{
		AttrNumber	attnum = get_attnum(t->relid, ref->columns[p]);

		appendStringInfo(&sql, "%s%s = v.c%d::%s", p > 0 ? ", " : "",
						 quote_identifier(ref->columns[p]), p + 1,
						 sk_column_type(t->relid, attnum));
	}
	appendStringInfoString(&sql, " FROM ROWS FROM (");
	for (p = 0; p < nparams; p++)
		appendStringInfo(&sql, "%spg_catalog.unnest($%d)", p > 0 ? ", " : "", p + 1);
	appendStringInfoString(&sql, ") AS v(");
	for (p = 0; p < d->nkey; p++)
		appendStringInfo(&sql, "k%d, ", p + 1);
	for (p = 0; p < ref->ncols; p++)
		appendStringInfo(&sql, "%sc%d", p > 0 ? ", " : "", p + 1);
	appendStringInfoString(&sql, ") WHERE ");
	/* runs under the caller's path (for the triggers): operators qualified */
	for (p = 0; p < d->nkey; p++)
		appendStringInfo(&sql, "%st.%s %s v.k%d::%s", p > 0 ? " AND " : "",
						 quote_identifier(d->columns[d->key[p]]),
						 sk_type_eqop(get_atttype(t->relid, t->cols[d->key[p]].attnum)),
						 p + 1, sk_column_type(t->relid, t->cols[d->key[p]].attnum));

	if (SPI_execute_with_args(sql.data, nparams, argtypes, args, NULL,
							  false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "could not fill in foreign key \"%s\"", ref->constraint);
	if (SPI_processed != (uint64) nrows)
		ereport(ERROR,
				(errcode(ERRCODE_TRIGGERED_DATA_CHANGE_VIOLATION),
				 errmsg("could not fill in foreign key \"%s\" of table \"%s\"",
						ref->constraint, d->name),
				 errdetail("%d restored rows should have been updated, but %llu were found by their key.",
						   nrows, (unsigned long long) SPI_processed),
				 errhint("A trigger may have changed the key of restored rows.")));
}

/*
 * sk_rel_from
 *		The FROM item reading exactly the rows a foreign key covers: the
 *		table with its partitions, but without inheritance children, which
 *		a foreign key does not cover.
 */
static char *
sk_rel_from(Oid relid)
{
	if (get_rel_relkind(relid) == RELKIND_PARTITIONED_TABLE)
		return sk_qualified_name(relid);
	return psprintf("ONLY %s", sk_qualified_name(relid));
}

/* Longest key value quoted in a foreign key error, in bytes. */
#define SK_VERIFY_KEY_MAX 200

/*
 * sk_verify_fk
 *		Check foreign key conoid of relid, whose rows were loaded under
 *		session_replication_role = replica, with one anti-join using the
 *		constraint's own operators (MATCH SIMPLE or FULL as declared); raise
 *		the foreign key error naming the table, the constraint and the
 *		smallest missing key when a row fails.
 */
static void
sk_verify_fk(Oid relid, Oid conoid)
{
	HeapTuple	tup = SearchSysCache1(CONSTROID, ObjectIdGetDatum(conoid));
	Form_pg_constraint con;
	AttrNumber	conkey[INDEX_MAX_KEYS];
	AttrNumber	confkey[INDEX_MAX_KEYS];
	Oid			pf[INDEX_MAX_KEYS],
				pp[INDEX_MAX_KEYS],
				ff[INDEX_MAX_KEYS];
	int			n,
				i;
	Oid			confrelid;
	bool		full;
	char	   *conname;
	StringInfoData sql;
	StringInfoData cols;
	bool		isnull;
	int64		bad;
	char	   *key;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for constraint %u", conoid);
	con = (Form_pg_constraint) GETSTRUCT(tup);
	confrelid = con->confrelid;
	full = con->confmatchtype == FKCONSTR_MATCH_FULL;
	conname = pstrdup(NameStr(con->conname));
	DeconstructFkConstraintRow(tup, &n, conkey, confkey, pf, pp, ff, NULL, NULL);
	ReleaseSysCache(tup);

	/* the key as text, nulls shown as null (MATCH FULL reports half-null keys) */
	initStringInfo(&cols);
	for (i = 0; i < n; i++)
		appendStringInfo(&cols, "%sCOALESCE(c.%s::pg_catalog.text, 'null')",
						 i > 0 ? ", " : "", sk_quote_col(relid, conkey[i]));

	/* rows with some referencing column set (FULL) or all set (SIMPLE) */
	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT pg_catalog.count(*), pg_catalog.min(pg_catalog.concat_ws(', ', %s)) "
					 "FROM %s c WHERE (", cols.data, sk_rel_from(relid));
	for (i = 0; i < n; i++)
		appendStringInfo(&sql, "%sc.%s IS NOT NULL", i == 0 ? "" : full ? " OR " : " AND ",
						 sk_quote_col(relid, conkey[i]));
	appendStringInfoString(&sql, ") AND (");
	/* MATCH FULL: a row with some columns null and some set fails too */
	for (i = 0; i < n && full; i++)
		appendStringInfo(&sql, "c.%s IS NULL OR ", sk_quote_col(relid, conkey[i]));
	appendStringInfo(&sql, "NOT EXISTS (SELECT FROM %s p WHERE ", sk_rel_from(confrelid));
	for (i = 0; i < n; i++)
		appendStringInfo(&sql, "%sp.%s %s c.%s", i > 0 ? " AND " : "",
						 sk_quote_col(confrelid, confkey[i]), sk_opname(pf[i]),
						 sk_quote_col(relid, conkey[i]));
	appendStringInfoString(&sql, "))");
	/* not read-only: the check must see the rows just written */
	if (SPI_execute(sql.data, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not check foreign key \"%s\"", conname);
	bad = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
									  SPI_tuptable->tupdesc, 1, &isnull));
	key = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	SPI_freetuptable(SPI_tuptable);
	if (bad == 0)
		return;

	if (key == NULL)
		key = "null";
	else if (strlen(key) > SK_VERIFY_KEY_MAX)
		key = psprintf("%.*s...", pg_mbcliplen(key, strlen(key), SK_VERIFY_KEY_MAX), key);
	resetStringInfo(&cols);
	for (i = 0; i < n; i++)
		appendStringInfo(&cols, "%s%s", i > 0 ? ", " : "", sk_quote_col(relid, conkey[i]));
	ereport(ERROR,
			(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
			 errmsg("insert or update on table \"%s\" violates foreign key constraint \"%s\"",
					get_rel_name(relid), conname),
			 errdetail_plural("Key (%s)=(%s) is not present in table \"%s\"; %lld row of table \"%s\" references a missing row.",
							  "Key (%s)=(%s) is not present in table \"%s\"; %lld rows of table \"%s\" reference missing rows.",
							  (unsigned long) bad,
							  cols.data, key, get_rel_name(confrelid), (long long) bad,
							  get_rel_name(relid)),
			 errhint("The table was loaded with session_replication_role = replica, which skips foreign key checks: check the document and the overrides against table \"%s\".",
					 get_rel_name(confrelid)),
			 err_generic_string(PG_DIAG_SCHEMA_NAME,
								get_namespace_name(get_rel_namespace(relid))),
			 err_generic_string(PG_DIAG_TABLE_NAME, get_rel_name(relid)),
			 err_generic_string(PG_DIAG_CONSTRAINT_NAME, conname)));
}

/*
 * sk_conname_cmp
 *		list_sort comparator: constraint OIDs by constraint name, so that
 *		the first foreign key reported does not depend on catalog order.
 */
static int
sk_conname_cmp(const ListCell *a, const ListCell *b)
{
	return strcmp(get_constraint_name(lfirst_oid(a)), get_constraint_name(lfirst_oid(b)));
}

/*
 * sk_constraint_declared
 *		Whether constraint conoid is declared on its table rather than
 *		cloned from a partitioned ancestor's (conparentid set).
 */
static bool
sk_constraint_declared(Oid conoid)
{
	HeapTuple	tup = SearchSysCache1(CONSTROID, ObjectIdGetDatum(conoid));
	bool		result;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for constraint %u", conoid);
	result = !OidIsValid(((Form_pg_constraint) GETSTRUCT(tup))->conparentid);
	ReleaseSysCache(tup);
	return result;
}

/*
 * sk_verify_table
 *		Check every foreign key of a target loaded under
 *		session_replication_role = replica, which fires none of them: those
 *		of the table itself and, for a partitioned table, those declared on
 *		its partitions (the clones of an ancestor's are checked through it).
 */
static void
sk_verify_table(SkTarget *t)
{
	List	   *rels = list_make1_oid(t->relid);
	ListCell   *lc;
	ListCell   *fc;

	if (get_rel_relkind(t->relid) == RELKIND_PARTITIONED_TABLE)
		rels = find_all_inheritors(t->relid, NoLock, NULL);
	foreach(lc, rels)
	{
		Oid			relid = lfirst_oid(lc);
		Relation	rel = table_open(relid, NoLock);
		List	   *conoids = NIL;

		foreach(fc, RelationGetFKeyList(rel))
		{
			Oid			conoid = ((ForeignKeyCacheInfo *) lfirst(fc))->conoid;

			if (relid == t->relid || sk_constraint_declared(conoid))
				conoids = lappend_oid(conoids, conoid);
		}
		table_close(rel, NoLock);
		list_sort(conoids, sk_conname_cmp);
		foreach(fc, conoids)
			sk_verify_fk(relid, lfirst_oid(fc));
	}
}

/*
 * sk_run_sql
 *		Run one utility statement built from catalog names.
 */
static void
sk_run_sql(const char *fmt, const char *arg)
{
	StringInfoData sql;

	initStringInfo(&sql);
	appendStringInfo(&sql, fmt, arg);
	if (SPI_execute(sql.data, false, 0) < 0)
		elog(ERROR, "could not run \"%s\"", sql.data);
}

/*
 * sk_plan_reseed
 *		Sequences of a written table: reset columns of fresh tables got
 *		their keys from their sequence, nothing to do; reset columns of a
 *		table emptied in this call hold exactly 1..n, so their sequence is
 *		set to the largest ordinal directly (owned or not: repeated restores
 *		give the same next key); any other sequence column, and every
 *		sequence that also feeds another column, is left to
 *		sk_reseed_internal (which scans for the largest values).
 */
static void
sk_plan_reseed(SkTarget *t, List **reseed, List **skip_rel, List **skip_att)
{
	List	   *seqs = sk_sequence_columns(t->relid);
	ListCell   *lc;
	bool		other = false;
	int			r;

	foreach(lc, seqs)
	{
		SkSeqCol   *sc = (SkSeqCol *) lfirst(lc);
		int			slot = -1;

		for (r = 0; r < t->doc->nreset; r++)
			if (t->cols[t->doc->reset[r]].attnum == sc->attnum)
				slot = r;
		/* a sequence feeding other columns too goes past all of them */
		if (sc->shared)
		{
			other = true;
			continue;
		}
		if (slot >= 0 && t->slot_fresh[slot])
			;
		else if (slot >= 0 && sc->increment > 0 &&
				 t->doc->reset_max[slot] > 0 && t->doc->reset_max[slot] >= sc->min)
			(void) DirectFunctionCall3(setval3_oid,
									   ObjectIdGetDatum(sc->seqid),
									   Int64GetDatum(t->doc->reset_max[slot]),
									   BoolGetDatum(true));
		else
		{
			other = true;
			continue;
		}
		*skip_rel = lappend_oid(*skip_rel, t->relid);
		*skip_att = lappend_int(*skip_att, sc->attnum);
	}
	if (other && !list_member_oid(*reseed, t->relid))
		*reseed = lappend_oid(*reseed, t->relid);
}

/*
 * sk_restore_job
 *		Load one resolved document: keys, tables in order, cycles closed,
 *		sequences moved.  loaded lists the tables written earlier in this
 *		call (their rows keep their keys, so this document's rows in them
 *		get fresh ones).  Appends a result row per table.
 */
static List *
sk_restore_job(SkJob *job, bool replace, List *loaded, ReturnSetInfo *rsinfo,
			   SkProgress *progress)
{
	SkDoc	   *doc = job->doc;
	List	   *reseed = NIL;
	List	   *skip_rel = NIL;
	List	   *skip_att = NIL;
	ListCell   *lc;
	int			i;
	int			caller;

	for (i = 0; i < doc->ntables; i++)
	{
		SkTarget   *t = &job->targets[i];
		int			r;

		/*
		 * Fresh keys in append mode, and for tables an earlier document of
		 * this call wrote; in replace mode reset keys are the ordinals,
		 * except in columns that cannot hold them (a uuid key).
		 */
		t->fresh = !replace || list_member_oid(loaded, t->relid);
		t->slot_fresh = palloc(sizeof(bool) * (t->doc->nreset + 1));
		for (r = 0; r < t->doc->nreset; r++)
			t->slot_fresh[r] = t->fresh ||
				!sk_takes_ordinal(t->relid, t->cols[t->doc->reset[r]].attnum);
		/* column defaults may call the caller's functions */
		caller = sk_caller_path_push();
		sk_alloc_keys(t);
		sk_unpin_settings(caller);
	}
	sk_plan_maps(job);

	foreach(lc, job->deferred)
		sk_run_sql("SET CONSTRAINTS %s DEFERRED", (char *) lfirst(lc));

	for (i = 0; i < doc->ntables; i++)
	{
		SkTarget   *t = &job->targets[i];
		Datum		values[2];
		bool		nulls[2] = {false, false};
		ListCell   *kc;

		t->progress = progress;
		sk_progress_table_begin(progress, t->qname);
		/* input functions, defaults and triggers see the caller's path */
		caller = sk_caller_path_push();
		if (t->replica)
		{
			int			level = NewGUCNestLevel();

			(void) set_config_option("session_replication_role", "replica",
									 superuser() ? PGC_SUSET : PGC_USERSET,
									 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
			t->written = sk_copy_table(t);
			AtEOXact_GUC(true, level);
		}
		else
			t->written = sk_copy_table(t);
		sk_unpin_settings(caller);

		foreach(kc, t->keyed)
		{
			SkKeyOverride *ko = (SkKeyOverride *) lfirst(kc);

			if (!ko->matched)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("overrides name row \"%s\" of table \"%s\", which the snapshot does not hold",
								ko->key, t->doc->name),
						 errhint("Name rows by their key in the snapshot: the ordinal for reset keys, the key values joined by commas for composite keys.")));
		}
		sk_progress_table_end(progress, t->qname, (int64) t->written);
		values[0] = ObjectIdGetDatum(t->relid);
		values[1] = Int64GetDatum((int64) t->written);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);

		sk_plan_reseed(t, &reseed, &skip_rel, &skip_att);
	}

	/* close the cycles; the UPDATEs and deferred checks fire user triggers */
	caller = sk_caller_path_push();
	for (i = 0; i < doc->ntables; i++)
	{
		foreach(lc, job->targets[i].fills)
			sk_fill_after(&job->targets[i], (SkAfterFill *) lfirst(lc));
	}
	foreach(lc, job->immediate)
		sk_run_sql("SET CONSTRAINTS %s IMMEDIATE", (char *) lfirst(lc));
	sk_unpin_settings(caller);
	/* what session_replication_role = replica did not check */
	for (i = 0; i < doc->ntables; i++)
		if (job->targets[i].replica)
			sk_verify_table(&job->targets[i]);

	sk_reseed_internal(false, reseed, skip_rel, skip_att, job->emptied, NULL, NULL);

	for (i = 0; i < doc->ntables; i++)
		if (!list_member_oid(loaded, job->targets[i].relid))
			loaded = lappend_oid(loaded, job->targets[i].relid);
	return loaded;
}

/*
 * sk_restore
 *		Restore documents (texts, with their lengths) in one step.  In
 *		replace mode every covered table is emptied once, first.  overrides
 *		(the text of a jsonb object, or NULL) apply to a single document.
 */
static void
sk_restore(List *texts, List *lens, bool replace, const char *overrides,
		   ReturnSetInfo *rsinfo)
{
	int			level;
	int			caller;
	List	   *jobs = NIL;
	List	   *relids = NIL;
	List	   *loaded = NIL;
	ListCell   *lc,
			   *ll;
	int			i;
	SkProgress	progress;

	PreventCommandIfReadOnly("seedkit_restore()");
	sk_progress_begin(&progress, "restore");

	/*
	 * seedkit's own statements run under pinned settings, search_path =
	 * pg_catalog, pg_temp among them (the entry points run under
	 * sk_call_pinned): no operator or function of the caller's schemas can
	 * stand in for the catalog's.  The caller's path comes back
	 * (sk_caller_path_push) only to look up the table names of documents
	 * and overrides, and around the statements that run the caller's code:
	 * the loads (input functions, defaults, triggers), TRUNCATE, the
	 * UPDATEs closing cycles and the deferred checks.  Those statements
	 * name their operators with their schemas.
	 */
	level = sk_pin_settings();

	forboth(lc, texts, ll, lens)
	{
		SkJob	   *job = palloc0(sizeof(SkJob));

		job->doc = sk_doc_parse((const char *) lfirst(lc), lfirst_int(ll));
		jobs = lappend(jobs, job);
	}
	caller = sk_caller_path_push();
	sk_lock_targets(jobs, replace);
	sk_unpin_settings(caller);

	foreach(lc, jobs)
	{
		SkJob	   *job = (SkJob *) lfirst(lc);

		caller = sk_caller_path_push();
		sk_resolve(job);
		sk_unpin_settings(caller);
		sk_check_privileges(job, replace);
		if (overrides != NULL)
		{
			caller = sk_caller_path_push();
			sk_plan_overrides(job, sk_overrides_parse(overrides));
			sk_unpin_settings(caller);
		}
		for (i = 0; i < job->doc->ntables; i++)
			sk_check_not_null(&job->targets[i]);
		sk_plan_cycles(job);
		for (i = 0; i < job->doc->ntables; i++)
			if (!list_member_oid(relids, job->targets[i].relid))
				relids = lappend_oid(relids, job->targets[i].relid);
	}

	sk_refuse_distributed(relids);
	if (replace && relids != NIL)
		sk_truncate(relids);
	foreach(lc, jobs)
	{
		((SkJob *) lfirst(lc))->emptied = replace ? relids : NIL;
		loaded = sk_restore_job((SkJob *) lfirst(lc), replace, loaded, rsinfo,
								&progress);
	}

	sk_unpin_settings(level);
	sk_progress_end(&progress);
}

/*
 * sk_srf_begin
 *		Set up the result tuplestore and connect to SPI.
 */
static ReturnSetInfo *
sk_srf_begin(FunctionCallInfo fcinfo)
{
	SetSingleFuncCall(fcinfo, 0);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	return (ReturnSetInfo *) fcinfo->resultinfo;
}

/*
 * sk_arg_text
 *		Text argument n as a C string; NULL arguments are an error, naming
 *		the parameter.
 */
static char *
sk_arg_text(FunctionCallInfo fcinfo, int n, const char *param)
{
	if (PG_ARGISNULL(n))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", param)));
	return text_to_cstring(PG_GETARG_TEXT_PP(n));
}

/*
 * sk_arg_mode
 *		The mode argument n; NULL means the default, append.
 */
static char *
sk_arg_mode(FunctionCallInfo fcinfo, int n)
{
	if (PG_ARGISNULL(n))
		return "append";
	return text_to_cstring(PG_GETARG_TEXT_PP(n));
}

/*
 * sk_arg_overrides
 *		The overrides argument n as jsonb text, or NULL.
 */
static char *
sk_arg_overrides(FunctionCallInfo fcinfo, int n)
{
	if (PG_NARGS() <= n || PG_ARGISNULL(n))
		return NULL;
	return DatumGetCString(DirectFunctionCall1(jsonb_out, PG_GETARG_DATUM(n)));
}

/*
 * sk_restore_doc_body
 *		seedkit_restore(snapshot json, mode text, overrides jsonb): restore
 *		a document.  Returns (table_name, rows) per table, in order.
 */
static Datum
sk_restore_doc_body(PG_FUNCTION_ARGS)
{
	text	   *doc;
	char	   *mode;
	char	   *overrides;
	ReturnSetInfo *rsinfo;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("snapshot must not be null")));
	doc = PG_GETARG_TEXT_PP(0);
	mode = sk_arg_mode(fcinfo, 1);
	overrides = sk_arg_overrides(fcinfo, 2);
	rsinfo = sk_srf_begin(fcinfo);
	sk_restore(list_make1(VARDATA_ANY(doc)),
			   list_make1_int(VARSIZE_ANY_EXHDR(doc)),
			   sk_parse_mode(mode), overrides, rsinfo);
	SPI_finish();
	return (Datum) 0;
}

/*
 * seedkit_restore
 *		SQL entry: sk_restore_doc_body with search_path pinned (see sk_call_pinned).
 */
Datum
seedkit_restore(PG_FUNCTION_ARGS)
{
	return sk_call_pinned(sk_restore_doc_body, fcinfo);
}

/*
 * sk_stored_document
 *		The caller's stored document called name (detoasted, in the current
 *		memory context).
 */
static text *
sk_stored_document(const char *name)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	bool		isnull;
	text	   *doc;
	const char *p = name;

	args[0] = CStringGetTextDatum(name);
	if (SPI_execute_with_args("SELECT document FROM seedkit.snapshots"
							  " WHERE owner OPERATOR(pg_catalog.=) CURRENT_USER::pg_catalog.regrole"
							  " AND name OPERATOR(pg_catalog.=) $1",
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read stored snapshots");
	if (SPI_processed == 0)
	{
		while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '{')
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("no stored snapshot has a name starting with \"{\""),
					 errdetail("A text argument names a stored snapshot."),
					 errhint("To restore a document, pass it as json: seedkit_restore('...'::json).")));
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("snapshot \"%s\" does not exist", name),
				 errhint("Store one with seedkit_snapshot(..., name => '%s') or seedkit_load(); "
						 "list yours with SELECT name FROM seedkit.snapshots.", name)));
	}
	doc = (text *) PG_DETOAST_DATUM_COPY(SPI_getbinval(SPI_tuptable->vals[0],
													   SPI_tuptable->tupdesc, 1,
													   &isnull));
	SPI_freetuptable(SPI_tuptable);
	return doc;
}

/*
 * sk_restore_name_body
 *		seedkit_restore(name text, mode text, overrides jsonb): restore the
 *		caller's stored snapshot called name.
 */
static Datum
sk_restore_name_body(PG_FUNCTION_ARGS)
{
	char	   *name = sk_arg_text(fcinfo, 0, "name");
	char	   *mode = sk_arg_mode(fcinfo, 1);
	char	   *overrides = sk_arg_overrides(fcinfo, 2);
	bool		replace = sk_parse_mode(mode);
	ReturnSetInfo *rsinfo = sk_srf_begin(fcinfo);
	text	   *doc = sk_stored_document(name);

	sk_restore(list_make1(VARDATA_ANY(doc)),
			   list_make1_int(VARSIZE_ANY_EXHDR(doc)),
			   replace, overrides, rsinfo);
	SPI_finish();
	return (Datum) 0;
}

/*
 * seedkit_restore_name
 *		SQL entry: sk_restore_name_body with search_path pinned (see sk_call_pinned).
 */
Datum
seedkit_restore_name(PG_FUNCTION_ARGS)
{
	return sk_call_pinned(sk_restore_name_body, fcinfo);
}

/*
 * sk_read_file
 *		The whole of a server-side file, which may exceed the 1 GB limit of
 *		one value (up to 2 GB, what the document reader takes); checked to be
 *		valid in the database encoding.  Sets *len.
 */
static char *
sk_read_file(const char *path, int *len)
{
	FILE	   *f;
	struct stat st;
	char	   *buf;
	size_t		n;

	if (!has_privs_of_role(GetUserId(), ROLE_PG_READ_SERVER_FILES))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to read server files"),
				 errdetail("Only roles with privileges of the \"pg_read_server_files\" role may restore a file on the server."),
				 errhint("Pass the document as a json value instead.")));
	f = AllocateFile(path, PG_BINARY_R);
	if (f == NULL)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not open file \"%s\" for reading: %m", path)));
	if (fstat(fileno(f), &st) < 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not stat file \"%s\": %m", path)));
	if (st.st_size >= PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("file \"%s\" is too large to restore", path),
				 errdetail("The file has %lld bytes; the limit is 2 GB.",
						   (long long) st.st_size)));
	buf = MemoryContextAllocHuge(CurrentMemoryContext, st.st_size + 1);
	n = fread(buf, 1, st.st_size, f);
	if (n != (size_t) st.st_size || ferror(f))
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not read file \"%s\": %m", path)));
	FreeFile(f);
	buf[n] = '\0';
	(void) pg_verify_mbstr(GetDatabaseEncoding(), buf, (int) n, false);

	/* The same check the json type's input makes on a document argument. */
	{
		JsonLexContext *lex = makeJsonLexContextCstringLen(buf, (int) n,
														   GetDatabaseEncoding(), true);
		JsonParseErrorType err = pg_parse_json(lex, &nullSemAction);

		if (err != JSON_SUCCESS)
			json_ereport_error(err, lex);
	}
	*len = (int) n;
	return buf;
}

/*
 * sk_restore_file_body
 *		seedkit_restore_file(path text, mode text, overrides jsonb): restore
 *		a document from a file on the server, such as the lines of
 *		seedkit_snapshot_lines written by psql, past the 1 GB limit of a
 *		json value.
 */
static Datum
sk_restore_file_body(PG_FUNCTION_ARGS)
{
	char	   *path = sk_arg_text(fcinfo, 0, "path");
	char	   *mode = sk_arg_mode(fcinfo, 1);
	char	   *overrides = sk_arg_overrides(fcinfo, 2);
	bool		replace = sk_parse_mode(mode);
	ReturnSetInfo *rsinfo;
	char	   *doc;
	int			len;

	doc = sk_read_file(path, &len);
	rsinfo = sk_srf_begin(fcinfo);
	sk_restore(list_make1(doc), list_make1_int(len), replace, overrides, rsinfo);
	SPI_finish();
	return (Datum) 0;
}

/*
 * seedkit_restore_file
 *		SQL entry: sk_restore_file_body with search_path pinned (see sk_call_pinned).
 */
Datum
seedkit_restore_file(PG_FUNCTION_ARGS)
{
	return sk_call_pinned(sk_restore_file_body, fcinfo);
}

/*
 * sk_restore_all_body
 *		seedkit_restore(): every stored snapshot of the caller, in replace
 *		mode, in one step (in name order) - the per-test reset.
 */
static Datum
sk_restore_all_body(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = sk_srf_begin(fcinfo);
	List	   *texts = NIL;
	List	   *lens = NIL;
	uint64		k;
	SPITupleTable *tt;
	uint64		n;

	if (SPI_execute("SELECT document FROM seedkit.snapshots"
					" WHERE owner OPERATOR(pg_catalog.=) CURRENT_USER::pg_catalog.regrole"
					" ORDER BY name COLLATE \"C\"",
					true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read stored snapshots");
	tt = SPI_tuptable;
	n = SPI_processed;
	for (k = 0; k < n; k++)
	{
		bool		isnull;
		text	   *doc;

		doc = (text *) PG_DETOAST_DATUM_COPY(SPI_getbinval(tt->vals[k], tt->tupdesc,
														   1, &isnull));
		texts = lappend(texts, VARDATA_ANY(doc));
		lens = lappend_int(lens, VARSIZE_ANY_EXHDR(doc));
	}
	SPI_freetuptable(tt);
	sk_restore(texts, lens, true, NULL, rsinfo);
	SPI_finish();
	return (Datum) 0;
}

/*
 * seedkit_restore_all
 *		SQL entry: sk_restore_all_body with search_path pinned (see sk_call_pinned).
 */
Datum
seedkit_restore_all(PG_FUNCTION_ARGS)
{
	return sk_call_pinned(sk_restore_all_body, fcinfo);
}

/*
 * sk_load_body
 *		seedkit_load(snapshot json): check a document and store it under its
 *		name for the caller, replacing an older one of that name.  Returns
 *		the name.
 */
static Datum
sk_load_body(PG_FUNCTION_ARGS)
{
	text	   *doc;
	SkDoc	   *parsed;
	StringInfoData counts;
	int			i;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("snapshot must not be null")));
	doc = PG_GETARG_TEXT_PP(0);
	parsed = sk_doc_parse(VARDATA_ANY(doc), VARSIZE_ANY_EXHDR(doc));
	if (parsed->name == NULL || parsed->name[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("snapshot has no name"),
				 errdetail("seedkit_load stores a document under its \"name\" member."),
				 errhint("Add \"name\" to the document, or take the snapshot with a name.")));

	initStringInfo(&counts);
	appendStringInfoChar(&counts, '{');
	for (i = 0; i < parsed->ntables; i++)
	{
		if (i > 0)
			appendStringInfoString(&counts, ", ");
		escape_json(&counts, parsed->tables[i].name);
		appendStringInfo(&counts, ": %lld", (long long) parsed->tables[i].nrows);
	}
	appendStringInfoChar(&counts, '}');

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	sk_store_document(parsed->name,
					  parsed->root_table ? parsed->root_table :
					  parsed->ntables > 0 ? parsed->tables[0].name : "",
					  counts.data, PointerGetDatum(doc));
	SPI_finish();
	PG_RETURN_TEXT_P(cstring_to_text(parsed->name));
}

/*
 * seedkit_load
 *		SQL entry: sk_load_body with search_path pinned (see sk_call_pinned).
 */
Datum
seedkit_load(PG_FUNCTION_ARGS)
{
	return sk_call_pinned(sk_load_body, fcinfo);
}
