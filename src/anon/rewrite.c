/*-------------------------------------------------------------------------
 *
 * rewrite.c
 *	  The rewrite of one table by seedkit_anonymise: a new heap filled with
 *	  the anonymised rows (dependent generated columns recomputed,
 *	  dependent CHECK constraints checked), swapped in as ALTER TABLE does,
 *	  indexes rebuilt and planner statistics dropped; with triggers => true,
 *	  an UPDATE first so that user triggers fire.
 *
 * No dead row version with an original value stays in the table's files,
 * and a cancelled run leaves the table as it was.
 *
 * src/anon/rewrite.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/multixact.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/heap.h"
#include "catalog/pg_type.h"
#include "commands/cluster.h"
#include "commands/defrem.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "optimizer/optimizer.h"
#include "rewrite/rewriteHandler.h"
#include "utils/builtins.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "anon/anon.h"
#include "anon/fake.h"
#include "anon/flags.h"
#include "anon/memo.h"
#include "anon/nested.h"
#include "anon/person.h"
#include "anon/rewrite.h"
#include "anon/shuffle.h"
#include "core/core.h"

/* Rows between two progress ticks of a rewrite. */
#define SK_REWRITE_TICK_ROWS 10000

/*
 * The new heap is filled by batches of rows (table_multi_insert, as COPY
 * does): one WAL record per page instead of one per row.  A batch holds at
 * most this many rows and, beyond its first row, this many bytes.
 */
#define SK_REWRITE_BATCH_ROWS 1000
#define SK_REWRITE_BATCH_BYTES 65535

/* The rows waiting to go into the new heap. */
typedef struct SkBatch
{
	TupleTableSlot *slots[SK_REWRITE_BATCH_ROWS];	/* made on first use */
	int			n;
	Size		bytes;
} SkBatch;

/* A CHECK constraint or generated column to evaluate per row. */
typedef struct SkRowExpr
{
	char	   *name;
	AttrNumber	attnum;			/* generated column, or 0 for a CHECK */
	ExprState  *state;
} SkRowExpr;

/*
 * sk_uses_cols
 *		Whether expr references one of the flagged columns.
 */
static bool
sk_uses_cols(Node *expr, SkAnonTable *t)
{
	Bitmapset  *attrs = NULL;
	int			i;

	pull_varattnos(expr, 1, &attrs);
	for (i = 0; i < t->ncols; i++)
		if (bms_is_member(t->cols[i].attnum - FirstLowInvalidHeapAttributeNumber, attrs))
			return true;
	return false;
}

/*
 * sk_row_exprs
 *		The stored generated columns and CHECK constraints that depend on
 *		flagged columns, prepared for evaluation against the new row.
 */
static List *
sk_row_exprs(Relation rel, SkAnonTable *t, EState *estate)
{
	TupleDesc	desc = RelationGetDescr(rel);
	List	   *result = NIL;
	int			i;

	if (desc->constr == NULL)
		return NIL;
	if (desc->constr->has_generated_stored)
	{
		for (i = 0; i < desc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, i);
			Node	   *expr;
			SkRowExpr  *r;

			if (att->attisdropped || att->attgenerated != ATTRIBUTE_GENERATED_STORED)
				continue;
			expr = build_column_default(rel, att->attnum);
			if (expr == NULL || !sk_uses_cols(expr, t))
				continue;
			r = palloc(sizeof(SkRowExpr));
			r->name = pstrdup(NameStr(att->attname));
			r->attnum = att->attnum;
			r->state = ExecPrepareExpr((Expr *) expr, estate);
			result = lappend(result, r);
		}
	}
	for (i = 0; i < desc->constr->num_check; i++)
	{
		ConstrCheck *cc = &desc->constr->check[i];
		Node	   *expr;
		SkRowExpr  *r;

		if (!cc->ccvalid)
			continue;
		expr = stringToNode(cc->ccbin);
		if (!sk_uses_cols(expr, t))
			continue;
		r = palloc(sizeof(SkRowExpr));
		r->name = pstrdup(cc->ccname);
		r->attnum = 0;
		r->state = ExecPrepareExpr((Expr *) expr, estate);
		result = lappend(result, r);
	}
	return result;
}

/*
 * sk_remove_ext_statistics
 *		Remove the data of extended statistics (CREATE STATISTICS) on a
 *		flagged column or on expressions of the table: their MCV lists hold
 *		original values.  ANALYZE computes them again.
 */
static void
sk_remove_ext_statistics(SkAnonTable *t)
{
	Oid			argtypes[2] = {OIDOID, INT2ARRAYOID};
	Datum		args[2];
	Datum	   *atts = palloc(sizeof(Datum) * Max(t->ncols, 1));
	List	   *stats = NIL;
	ListCell   *lc;
	uint64		i;
	int			k;

	for (k = 0; k < t->ncols; k++)
		atts[k] = Int16GetDatum(t->cols[k].attnum);
	args[0] = ObjectIdGetDatum(t->relid);
	args[1] = PointerGetDatum(construct_array(atts, t->ncols, INT2OID, sizeof(int16),
											  true, TYPALIGN_SHORT));
	if (SPI_execute_with_args("SELECT s.oid FROM pg_catalog.pg_statistic_ext s "
							  "WHERE s.stxrelid = $1 AND (s.stxexprs IS NOT NULL "
							  "OR s.stxkeys::pg_catalog.int2[] OPERATOR(pg_catalog.&&) $2)",
							  2, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read extended statistics");
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;

		stats = lappend_oid(stats, DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i],
																  SPI_tuptable->tupdesc, 1, &isnull)));
	}
	foreach(lc, stats)
	{
		RemoveStatisticsDataById(lfirst_oid(lc), false);
		RemoveStatisticsDataById(lfirst_oid(lc), true);
	}
}

/*
 * sk_person_input_col
 *		sk_person_input for column c of the row in slot.
 */
static Datum
sk_person_input_col(SkAnonCol *c, TupleTableSlot *slot)
{
	SkPersonInput pi;

	pi.attnum = c->attnum;
	pi.id = c->person_id;
	pi.gender = c->person_gender;
	pi.gender_out = c->gender_out;
	pi.id_bpchar = c->id_bpchar;
	pi.own_bpchar = c->own_bpchar;
	return sk_person_input(&pi, slot);
}

/*
 * sk_person_row_input
 *		sk_person_input for the collision pass of a unique person field
 *		(arg: its SkAnonCol; every attribute of slot deformed).
 */
Datum
sk_person_row_input(void *arg, TupleTableSlot *slot)
{
	return sk_person_input_col((SkAnonCol *) arg, slot);
}

/*
 * sk_batch_flush
 *		Insert the batch's rows into the new heap (in the current memory
 *		context, a short-lived one: table_multi_insert allocates there) and
 *		empty it.
 */
static void
sk_batch_flush(SkBatch *batch, Relation newrel, CommandId cid, BulkInsertState bistate)
{
	int			i;

	if (batch->n == 0)
		return;
	table_multi_insert(newrel, batch->slots, batch->n, cid, TABLE_INSERT_SKIP_FSM, bistate);
	for (i = 0; i < batch->n; i++)
		ExecClearTuple(batch->slots[i]);
	batch->n = 0;
	batch->bytes = 0;
}

/*
 * sk_batch_add
 *		Copy the row of slot into the batch (its tuple formed in the batch
 *		slot's own memory), flushing the batch when full.
 */
static void
sk_batch_add(SkBatch *batch, TupleTableSlot *slot, Relation newrel, CommandId cid,
			 BulkInsertState bistate, MemoryContext slotcxt)
{
	TupleTableSlot *dst = batch->slots[batch->n];

	if (dst == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(slotcxt);

		dst = batch->slots[batch->n] = table_slot_create(newrel, NULL);
		MemoryContextSwitchTo(old);
	}
	ExecCopySlot(dst, slot);
	batch->bytes += ExecFetchSlotHeapTuple(dst, false, NULL)->t_len;
	batch->n++;
	if (batch->n == SK_REWRITE_BATCH_ROWS || batch->bytes >= SK_REWRITE_BATCH_BYTES)
		sk_batch_flush(batch, newrel, cid, bistate);
}

/*
 * sk_rewrite
 *		Copy the table's live rows into a new heap, replacing the flagged
 *		columns by their fakes (none when t->ncols is 0), recomputing
 *		dependent generated columns and checking dependent CHECK
 *		constraints; then swap the new heap in and rebuild the indexes.
 *		Ticks progress every SK_REWRITE_TICK_ROWS rows.  Returns the number
 *		of rows.
 */
int64
sk_rewrite(Relation rel, SkAnonTable *t, Snapshot snap, SkProgress *progress)
{
	Oid			relid = RelationGetRelid(rel);
	char		persistence = rel->rd_rel->relpersistence;
	TupleDesc	desc = RelationGetDescr(rel);
	Oid			newrelid;
	Relation	newrel;
	TupleTableSlot *oldslot;
	TupleTableSlot *newslot;
	TableScanDesc scan;
	BulkInsertState bistate;
	CommandId	cid = GetCurrentCommandId(true);
	EState	   *estate = CreateExecutorState();
	ExprContext *econtext = GetPerTupleExprContext(estate);
	List	   *rowexprs;
	ListCell   *lc;
	int64		rows = 0;
	SkShuffle **shuffles;
	SkBatch    *batch = palloc0(sizeof(SkBatch));
	MemoryContext slotcxt = CurrentMemoryContext;
	int			natts = desc->natts;
	int			i;

	rowexprs = t->copy_only ? NIL : sk_row_exprs(rel, t, estate);
	shuffles = palloc0(sizeof(SkShuffle *) * Max(t->ncols, 1));
	for (i = 0; i < t->ncols && !t->copy_only; i++)
		if (t->cols[i].st != NULL && sk_is_shuffle(t->cols[i].st))
			shuffles[i] = sk_shuffle_prepare(rel, snap, t->cols[i].attnum, t->cols[i].st);
	newrelid = make_new_heap(relid, rel->rd_rel->reltablespace, rel->rd_rel->relam,
							 persistence, AccessExclusiveLock);
	newrel = table_open(newrelid, NoLock);
	oldslot = table_slot_create(rel, NULL);
	newslot = MakeSingleTupleTableSlot(desc, &TTSOpsVirtual);
	/* from the first block, as the collision pass read it (memo.c) */
	scan = table_beginscan_strat(rel, snap, 0, NULL, true, false);
	bistate = GetBulkInsertState();

	while (table_scan_getnextslot(scan, ForwardScanDirection, oldslot))
	{
		MemoryContext old;
		const char *known;
		int			knownlen;

		CHECK_FOR_INTERRUPTS();
		ResetExprContext(econtext);
		old = MemoryContextSwitchTo(econtext->ecxt_per_tuple_memory);
		slot_getallattrs(oldslot);
		ExecClearTuple(newslot);
		memcpy(newslot->tts_values, oldslot->tts_values, sizeof(Datum) * natts);
		memcpy(newslot->tts_isnull, oldslot->tts_isnull, sizeof(bool) * natts);
		for (i = 0; i < natts; i++)
			if (TupleDescAttr(desc, i)->attisdropped)
				newslot->tts_isnull[i] = true;
		for (i = 0; i < t->ncols && !t->copy_only; i++)
		{
			SkAnonCol  *c = &t->cols[i];
			int			a = c->attnum - 1;

			if (newslot->tts_isnull[a])
				continue;
			if (shuffles[i])
				newslot->tts_values[a] = sk_shuffle_value(shuffles[i], &oldslot->tts_tid,
														  newslot->tts_values[a]);
			else if (c->nested != NIL)
			{
				ListCell   *nc;

				foreach(nc, c->nested)
					newslot->tts_values[a] = sk_nested_apply((SkNested *) lfirst(nc),
															 newslot->tts_values[a],
															 &newslot->tts_isnull[a]);
			}
			else if (c->person && (c->person_id != c->attnum || c->person_gender != 0))
				newslot->tts_values[a] = sk_fake_apply(c->st, sk_person_input_col(c, oldslot),
													   &newslot->tts_isnull[a], 0);
			else if (c->memo != NULL &&
					 sk_memo_next(c->memo, &oldslot->tts_tid, &known, &knownlen))
				newslot->tts_values[a] = sk_fake_apply_known(c->st, newslot->tts_values[a],
															 &newslot->tts_isnull[a],
															 known, knownlen);
			else
				newslot->tts_values[a] = sk_fake_apply(c->st, newslot->tts_values[a],
													   &newslot->tts_isnull[a], 0);
		}
		ExecStoreVirtualTuple(newslot);
		if (rowexprs != NIL)
		{
			econtext->ecxt_scantuple = newslot;
			foreach(lc, rowexprs)
			{
				SkRowExpr  *r = (SkRowExpr *) lfirst(lc);

				if (r->attnum > 0)
					newslot->tts_values[r->attnum - 1] =
						ExecEvalExpr(r->state, econtext, &newslot->tts_isnull[r->attnum - 1]);
			}
			foreach(lc, rowexprs)
			{
				SkRowExpr  *r = (SkRowExpr *) lfirst(lc);

				if (r->attnum == 0 && !ExecCheck(r->state, econtext))
					ereport(ERROR,
							(errcode(ERRCODE_CHECK_VIOLATION),
							 errmsg("anonymised values of table \"%s\" violate check constraint \"%s\"",
									sk_message_name(t->name), r->name),
							 errdetail("A fake of a flagged column does not satisfy the constraint."),
							 errhint("Flag the column with a strategy or options whose fakes satisfy constraint \"%s\", or unflag it.",
									 r->name)));
			}
		}
		sk_batch_add(batch, newslot, newrel, cid, bistate, slotcxt);
		MemoryContextSwitchTo(old);
		rows++;
		if (rows % SK_REWRITE_TICK_ROWS == 0)
			sk_progress_tick(progress, t->name, rows);
	}
	table_endscan(scan);
	{
		MemoryContext old = MemoryContextSwitchTo(econtext->ecxt_per_tuple_memory);

		sk_batch_flush(batch, newrel, cid, bistate);
		MemoryContextSwitchTo(old);
	}
	for (i = 0; i < SK_REWRITE_BATCH_ROWS && batch->slots[i] != NULL; i++)
		ExecDropSingleTupleTableSlot(batch->slots[i]);
	pfree(batch);
	ExecDropSingleTupleTableSlot(oldslot);
	ExecDropSingleTupleTableSlot(newslot);
	FreeBulkInsertState(bistate);
	table_finish_bulk_insert(newrel, TABLE_INSERT_SKIP_FSM);
	FreeExecutorState(estate);
	table_close(newrel, NoLock);

	finish_heap_swap(relid, newrelid, false, false, true, true,
					 RecentXmin, ReadNextMultiXactId(), persistence);

	/* the planner's statistics hold samples of the original values */
	for (i = 0; i < t->ncols; i++)
		RemoveStatistics(relid, t->cols[i].attnum);
	sk_remove_ext_statistics(t);
	return rows;
}

/*
 * sk_update_with_triggers
 *		triggers => true: replace the flagged columns with an UPDATE, so
 *		that user triggers fire.  The new values are sk_anon_expr's, which
 *		resolves the collisions of unique columns first, as for a snapshot.
 */
void
sk_update_with_triggers(SkAnonTable *t, List *flags)
{
	StringInfoData sql;
	ListCell   *lc;
	bool		first = true;
	int			level;

	initStringInfo(&sql);
	appendStringInfo(&sql, "UPDATE %s SET ", t->name);
	foreach(lc, flags)
	{
		SkFlag	   *f = (SkFlag *) lfirst(lc);
		const char *col = quote_identifier(f->attname);

		appendStringInfo(&sql, "%s%s = %s", first ? "" : ", ", col,
						 sk_anon_expr(t->relid, f->attnum, col));
		first = false;
	}
	/* the triggers are the caller's code: they see the caller's path */
	level = sk_caller_path_push();
	if (SPI_execute(sql.data, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "could not update table \"%s\"", t->name);
	sk_unpin_settings(level);
	pfree(sql.data);
}
