/*-------------------------------------------------------------------------
 *
 * anonymise.c
 *	  seedkit_anonymise: replace the flagged columns of tables in place,
 *	  in four phases: collect the tables, lock and prepare them, resolve
 *	  the collision rounds of unique columns, rewrite each table.
 *
 * seedkit_anonymise rewrites each table once, the way ALTER TABLE does
 * (rewrite.c): a new heap is filled with the anonymised rows, then its
 * relfilenode is swapped in and the indexes are rebuilt.  No dead row
 * version with an original value stays in the table's files, no trigger
 * fires, and a cancelled run leaves the table as it was.  It takes an
 * ACCESS EXCLUSIVE lock on each table until the transaction ends.
 *
 * Locking order: the tables named (or found through seedkit.flags) in
 * ascending OID order, each partitioned table's partitions right after it
 * (find_all_inheritors), all before any row is read; seedkit_snapshot and
 * seedkit_restore lock in the same order, so none of them deadlocks with
 * another.  Then one snapshot, taken after the last lock, serves the
 * collision rounds of unique columns and the rewrite.
 *
 * src/anon/anonymise.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/table.h"
#include "access/xact.h"
#include "catalog/partition.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/tablecmds.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "anon/citus.h"
#include "anon/collisions.h"
#include "anon/fake.h"
#include "anon/flags.h"
#include "anon/memo.h"
#include "anon/nested.h"
#include "anon/rewrite.h"
#include "anon/rounds.h"
#include "anon/stats.h"
#include "core/core.h"

/*
 * sk_name_cmp
 *		Order tables by qualified name.
 */
static int
sk_name_cmp(const ListCell *a, const ListCell *b)
{
	return strcmp(((SkAnonTable *) lfirst(a))->name,
				  ((SkAnonTable *) lfirst(b))->name);
}

/*
 * sk_seconds_since
 *		Seconds elapsed since t, for the progress NOTICEs.
 */
static double
sk_seconds_since(TimestampTz t)
{
	return TimestampDifferenceMilliseconds(t, GetCurrentTimestamp()) / 1000.0;
}

/*
 * sk_anon_requested
 *		The tables of the call: the array argument (NULL elements skipped,
 *		duplicates once), or with NULL every table with flags and every
 *		table whose foreign keys reference a flagged column (recursively).
 *		Needs SPI connected.
 */
static List *
sk_anon_requested(FunctionCallInfo fcinfo)
{
	List	   *relids = NIL;

	if (PG_ARGISNULL(0))
	{
		uint64		i;

		if (SPI_execute("SELECT DISTINCT \"table\"::oid FROM seedkit.flags", true, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not read seedkit.flags");
		for (i = 0; i < SPI_processed; i++)
		{
			bool		isnull;

			relids = lappend_oid(relids,
								 DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i],
																SPI_tuptable->tupdesc, 1, &isnull)));
		}
		relids = sk_referencing_closure(relids);
	}
	else
		relids = sk_regclass_list(PG_GETARG_ARRAYTYPE_P(0));
	return relids;
}

/*
 * sk_anon_collect
 *		Phase 1: the tables to rewrite, ordered by qualified name.  A
 *		partitioned table stands for its leaf partitions.  Locks are taken
 *		here, in OID order (a partitioned table's partitions right after
 *		it), before anything is read.  Hash-distributed Citus tables go to
 *		*citus instead.
 */
static List *
sk_anon_collect(FunctionCallInfo fcinfo, List **citus)
{
	List	   *relids = sk_anon_requested(fcinfo);
	List	   *leaves = NIL;
	List	   *tables = NIL;
	ListCell   *lc;

	list_sort(relids, sk_oid_cmp);
	foreach(lc, relids)
	{
		Oid			relid = lfirst_oid(lc);

		sk_check_table(relid, false);
		sk_check_owner(relid, "anonymise");
		if (get_rel_relkind(relid) == RELKIND_PARTITIONED_TABLE)
		{
			ListCell   *pc;

			foreach(pc, find_all_inheritors(relid, AccessExclusiveLock, NULL))
				if (get_rel_relkind(lfirst_oid(pc)) == RELKIND_RELATION)
					leaves = list_append_unique_oid(leaves, lfirst_oid(pc));
		}
		else
		{
			LockRelationOid(relid, AccessExclusiveLock);
			leaves = list_append_unique_oid(leaves, relid);
		}
	}
	/* hash-distributed Citus tables: every shard on its node (citus.c) */
	leaves = sk_anon_citus_split(leaves, citus);
	foreach(lc, leaves)
	{
		SkAnonTable *t = palloc0(sizeof(SkAnonTable));

		t->relid = lfirst_oid(lc);
		t->name = sk_qualified_name(t->relid);
		tables = lappend(tables, t);
	}
	list_sort(tables, sk_name_cmp);
	sk_refuse_distributed(leaves);
	return tables;
}

/*
 * sk_anon_prepare_table
 *		Check one table of the run and prepare a strategy state (in runcxt)
 *		for each column a flag applies to.  Returns the OIDs the foreign
 *		key check must see for it: the table, and for a partition its
 *		partitioned ancestors (whose flags it has).
 */
static List *
sk_anon_prepare_table(SkAnonTable *t, MemoryContext runcxt)
{
	Relation	rel;
	List	   *flags;
	List	   *run = NIL;
	ListCell   *lc;
	int			i = 0;

	sk_check_owner(t->relid, "anonymise");
	rel = table_open(t->relid, AccessExclusiveLock);
	CheckTableNotInUse(rel, "seedkit_anonymise");
	if (RELATION_IS_OTHER_TEMP(rel))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot anonymise temporary tables of other sessions")));
	if (get_rel_relispartition(t->relid))
	{
		/* flags live on the root; its ancestors join the foreign key check */
		List	   *anc = get_partition_ancestors(t->relid);

		sk_reanchor(llast_oid(anc));
		run = list_copy(anc);
	}
	else
		sk_reanchor(t->relid);
	flags = sk_effective_flags(t->relid);
	t->ncols = list_length(flags);
	t->cols = palloc0(sizeof(SkAnonCol) * Max(t->ncols, 1));
	foreach(lc, flags)
	{
		SkFlag	   *f = (SkFlag *) lfirst(lc);
		Form_pg_attribute att = TupleDescAttr(RelationGetDescr(rel), f->attnum - 1);
		SkAnonCol  *c = &t->cols[i++];

		c->attnum = f->attnum;
		c->attname = f->attname;
		c->notnull = att->attnotnull;
		if (sk_flag_nested(t->relid, f))
		{
			List	   *parts = f->paths != NIL ? f->paths : list_make1(f);
			ListCell   *pc;
			MemoryContext oldcxt = MemoryContextSwitchTo(runcxt);

			foreach(pc, parts)
			{
				SkFlag	   *p = (SkFlag *) lfirst(pc);

				c->nested = lappend(c->nested,
									sk_nested_prepare(p->strategy, p->options, att->atttypid,
													  att->atttypmod, f->attname, runcxt, true));
			}
			MemoryContextSwitchTo(oldcxt);
			/* no collision pass: the fakes are inside the values */
			c->unique = false;
		}
		else
		{
			c->st = sk_fake_prepare(f->strategy, f->options, att->atttypid, att->atttypmod,
									att->attnotnull, f->attname, runcxt);
			c->unique = sk_unique_col(rel, f->attnum);
		}
		if (f->person)
		{
			c->person = true;
			c->person_id = f->person_id;
			c->person_gender = f->person_gender;
			/* its own identity, no gender column: its value goes in bare */
			if (c->st != NULL && f->person_id == f->attnum && f->person_gender == 0)
				sk_fake_set_person_raw(c->st);
			c->id_bpchar = getBaseType(TupleDescAttr(RelationGetDescr(rel),
													 f->person_id - 1)->atttypid) == BPCHAROID;
			c->own_bpchar = getBaseType(att->atttypid) == BPCHAROID;
			if (f->person_gender != 0)
			{
				bool		varlena;

				getTypeOutputInfo(TupleDescAttr(RelationGetDescr(rel),
												f->person_gender - 1)->atttypid,
								  &c->gender_out, &varlena);
			}
		}
		if (get_rel_relispartition(t->relid))
			sk_check_partition_key(llast_oid(get_partition_ancestors(t->relid)),
								   f->attname);
	}
	t->flags = flags;
	table_close(rel, NoLock);
	return lappend_oid(run, t->relid);
}

/*
 * sk_anon_prepare
 *		Phase 2: check and prepare every table (all locked by phase 1),
 *		then check that both sides of each foreign key map alike.
 */
static void
sk_anon_prepare(List *tables, MemoryContext runcxt)
{
	List	   *run = NIL;
	ListCell   *lc;

	foreach(lc, tables)
	{
		ListCell   *rc;

		foreach(rc, sk_anon_prepare_table((SkAnonTable *) lfirst(lc), runcxt))
			run = list_append_unique_oid(run, lfirst_oid(rc));
	}
	sk_check_foreign_keys(run);
}

/*
 * sk_anon_rounds
 *		Phase 3: the collision rounds of every unique column first (all of
 *		them, so that a referencing column of another table follows), then
 *		every column with the same key uses them.
 */
static void
sk_anon_rounds(List *tables, SkProgress *progress)
{
	ListCell   *lc;

	foreach(lc, tables)
	{
		SkAnonTable *t = (SkAnonTable *) lfirst(lc);
		int			i;

		for (i = 0; i < t->ncols; i++)
		{
			SkAnonCol  *c = &t->cols[i];
			HTAB	   *rounds;
			Relation	rel;

			if (!c->unique)
				continue;
			sk_progress_table_begin(progress, t->name);
			rounds = sk_rounds_for(sk_fake_key(c->st), true, NULL);
			sk_fake_set_rounds(c->st, rounds);
			rel = table_open(t->relid, NoLock);
			/* a person field is the fake of its row's identity (rewrite.c) */
			if (c->person && (c->person_id != c->attnum || c->person_gender != 0))
				sk_resolve_collisions(rel, c->attnum, c->attname, c->st, rounds,
									  sk_person_row_input, c, NULL);
			else
			{
				/* the rewrite takes the pass's fakes back (memo.c) */
				if (sk_fake_memoable(c->st))
					c->memo = sk_memo_create(CurrentMemoryContext);
				sk_resolve_collisions(rel, c->attnum, c->attname, c->st, rounds,
									  NULL, NULL, c->memo);
			}
			table_close(rel, NoLock);
			if (sk_progress)
				ereport(NOTICE,
						(errcode(ERRCODE_SUCCESSFUL_COMPLETION),
						 errmsg("unique column \"%s\" of table \"%s\": %lld values given another candidate, %.1f s",
								c->attname, sk_message_name(t->name),
								(long long) hash_get_num_entries(rounds),
								sk_seconds_since(progress->table_start))));
		}
	}
	foreach(lc, tables)
	{
		SkAnonTable *t = (SkAnonTable *) lfirst(lc);
		int			i;

		for (i = 0; i < t->ncols; i++)
			if (t->cols[i].st != NULL)
				sk_fake_set_rounds(t->cols[i].st,
								   sk_rounds_for(sk_fake_key(t->cols[i].st), false, NULL));
	}
}

/*
 * sk_anon_no_blocks
 *		Whether table relid and its TOAST table have no block at all: no
 *		row, and no dead row version either, so a rewrite has nothing to
 *		replace (and would only create new files, the fixed cost of every
 *		rewrite: an empty Citus shard each).
 */
static bool
sk_anon_no_blocks(Oid relid)
{
	Relation	rel = table_open(relid, NoLock);
	Oid			toast = rel->rd_rel->reltoastrelid;
	bool		none = RelationGetNumberOfBlocks(rel) == 0;

	table_close(rel, NoLock);
	if (none && OidIsValid(toast))
	{
		Relation	trel = table_open(toast, AccessShareLock);

		none = RelationGetNumberOfBlocks(trel) == 0;
		table_close(trel, NoLock);
	}
	return none;
}

/*
 * sk_anon_table
 *		Phase 4 for one table: rewrite it (after an UPDATE that fires the
 *		user's triggers when triggers), reading it as of snap.  Returns the
 *		number of rows.
 */
static int64
sk_anon_table(SkAnonTable *t, bool triggers, Snapshot snap, SkProgress *progress)
{
	Relation	rel;
	int64		rows;

	/* with triggers, the UPDATE fires statement triggers even on no row */
	if (!triggers && sk_anon_no_blocks(t->relid))
		return 0;
	if (triggers)
	{
		sk_update_with_triggers(t, t->flags);
		t->copy_only = true;	/* the rewrite below only copies */
	}
	rel = table_open(t->relid, NoLock);
	if (triggers)
	{
		/* the copy must see the rows the UPDATE just wrote */
		Snapshot	tsnap;

		CommandCounterIncrement();
		tsnap = RegisterSnapshot(GetLatestSnapshot());
		rows = sk_rewrite(rel, t, tsnap, progress);
		UnregisterSnapshot(tsnap);
	}
	else
		rows = sk_rewrite(rel, t, snap, progress);
	table_close(rel, NoLock);
	return rows;
}

/*
 * sk_anon_rewrite_all
 *		Phase 4: rewrite every table with flagged columns and put a row per
 *		table (table_name, columns, rows; rows NULL when nothing was
 *		flagged and the table was left alone) into the result.
 */
static void
sk_anon_rewrite_all(List *tables, bool triggers, Snapshot snap,
					SkProgress *progress, ReturnSetInfo *rsinfo)
{
	ListCell   *lc;

	foreach(lc, tables)
	{
		SkAnonTable *t = (SkAnonTable *) lfirst(lc);
		Datum		values[3];
		bool		nulls[3] = {false, false, false};
		int64		rows;
		int			i;

		values[0] = ObjectIdGetDatum(t->relid);
		values[1] = Int32GetDatum(t->ncols);
		if (t->ncols == 0)
		{
			/* nothing flagged: no rewrite */
			nulls[2] = true;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
			continue;
		}
		sk_progress_table_begin(progress, t->name);
		rows = sk_anon_table(t, triggers, snap, progress);
		for (i = 0; i < t->ncols; i++)
			if (t->cols[i].memo != NULL)
			{
				sk_memo_free(t->cols[i].memo);
				t->cols[i].memo = NULL;
			}
		sk_scrub_statistics(t);
		if (sk_progress)
			ereport(NOTICE,
					(errcode(ERRCODE_SUCCESSFUL_COMPLETION),
					 errmsg("anonymised table \"%s\": %d columns, %lld rows in %.1f s",
							sk_message_name(t->name), t->ncols, (long long) rows,
							sk_seconds_since(progress->table_start))));
		values[2] = Int64GetDatum(rows);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}

/*
 * sk_anonymise_body
 *		seedkit_anonymise(tables regclass[], triggers boolean): replace
 *		every flagged column of the tables (NULL: every table with flags)
 *		in place, one table rewrite each.  Returns a row per table:
 *		table_name, columns, rows.
 */
static Datum
sk_anonymise_body(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	bool		triggers = PG_NARGS() > 1 && !PG_ARGISNULL(1) && PG_GETARG_BOOL(1);
	MemoryContext runcxt;
	MemoryContext old;
	List	   *tables;
	List	   *citus;
	Snapshot	snap;
	SkProgress	progress;

	SetSingleFuncCall(fcinfo, 0);
	runcxt = AllocSetContextCreate(CurrentMemoryContext, "seedkit_anonymise",
								   ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(runcxt);
	sk_progress_begin(&progress, "anonymise");

	sk_spi_connect();
	tables = sk_anon_collect(fcinfo, &citus);
	sk_anon_prepare(tables, runcxt);

	/*
	 * Every table is locked: one view of the data, taken now, for the
	 * collision rounds and the rewrite alike.  A snapshot from before the
	 * lock wait would miss rows committed meanwhile, which the rewrite
	 * then copies with fakes the collision rounds never saw.  Under
	 * REPEATABLE READ and SERIALIZABLE too the tables are read as of now,
	 * as ALTER TABLE rewrites them: no committed row is lost.
	 */
	snap = RegisterSnapshot(GetLatestSnapshot());
	PushActiveSnapshot(snap);

	/* with triggers, sk_anon_expr resolves the rounds (see rewrite.c) */
	if (!triggers)
		sk_anon_rounds(tables, &progress);
	sk_anon_rewrite_all(tables, triggers, snap, &progress, rsinfo);
	sk_anon_citus(citus, rsinfo);

	PopActiveSnapshot();
	UnregisterSnapshot(snap);
	SPI_finish();
	sk_rounds_forget();
	sk_progress_end(&progress);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(runcxt);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(seedkit_anonymise);

/*
 * seedkit_anonymise
 *		SQL entry: sk_anonymise_body with search_path pinned (see sk_call_pinned).
 */
Datum
seedkit_anonymise(PG_FUNCTION_ARGS)
{
	return sk_call_pinned(sk_anonymise_body, fcinfo);
}
