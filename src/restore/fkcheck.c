/*-------------------------------------------------------------------------
 *
 * fkcheck.c
 *	  Foreign keys of a large load checked once per table instead of once
 *	  per row.
 *
 * COPY fires a foreign key's check trigger for every row it writes: one
 * index probe plus an executor start and end each, most of a restore's
 * time.  When the caller may set session_replication_role and the table's
 * only triggers that fire on INSERT are those checks, the rows are loaded
 * under session_replication_role = replica inside a subtransaction, and
 * each foreign key is then checked over the rows just written with one
 * anti-join, after the parent rows they reference are locked FOR KEY
 * SHARE as the triggers lock them (rows this transaction wrote, which no
 * other can see, and tables restore holds in a mode that blocks other
 * writers, need no lock).  Should a row fail, the subtransaction is rolled
 * back and the table loaded again the ordinary way, so that the triggers
 * raise their own error on the same row as before.
 *
 * src/restore/fkcheck.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "miscadmin.h"
#include "executor/spi.h"
#include "optimizer/optimizer.h"
#include "rewrite/rewriteHandler.h"
#include "storage/bufmgr.h"
#include "storage/lmgr.h"
#include "storage/proc.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "restore/restore.h"

/* Tables with fewer document rows keep the per-row checks. */
#define SK_FK_BULK_MIN_ROWS 500

/*
 * sk_bulk_fk_ok
 *		Whether foreign key conoid of relid can be checked by one anti-join
 *		standing for its trigger: not deferrable (its trigger fires at the
 *		end of the load), MATCH SIMPLE or FULL, and referencing and
 *		referenced columns of the same collation (the trigger compares under
 *		the referenced column's).  The check runs as the caller, where the
 *		trigger runs as the tables' owner: the caller must be able to read
 *		both tables and lock the parent's rows (SELECT, and UPDATE for FOR
 *		KEY SHARE), and see all of the parent (no row-level security), else
 *		the per-row checks stay (so do they for row-typed key columns, whose
 *		value IS NULL to SQL when one of its fields is null).
 */
static bool
sk_bulk_fk_ok(Oid relid, Oid conoid)
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
	bool		ok;

	if (!HeapTupleIsValid(tup))
		return false;
	con = (Form_pg_constraint) GETSTRUCT(tup);
	ok = con->contype == CONSTRAINT_FOREIGN && con->conrelid == relid &&
		!con->condeferrable &&
		(con->confmatchtype == FKCONSTR_MATCH_SIMPLE ||
		 con->confmatchtype == FKCONSTR_MATCH_FULL) &&
		pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) == ACLCHECK_OK &&
		pg_class_aclcheck(con->confrelid, GetUserId(), ACL_SELECT) == ACLCHECK_OK &&
		pg_class_aclcheck(con->confrelid, GetUserId(), ACL_UPDATE) == ACLCHECK_OK &&
		pg_namespace_aclcheck(get_rel_namespace(relid), GetUserId(), ACL_USAGE) == ACLCHECK_OK &&
		pg_namespace_aclcheck(get_rel_namespace(con->confrelid), GetUserId(), ACL_USAGE) == ACLCHECK_OK &&
		check_enable_rls(con->confrelid, InvalidOid, true) != RLS_ENABLED;
	if (ok)
	{
		DeconstructFkConstraintRow(tup, &n, conkey, confkey, pf, pp, ff, NULL, NULL);
		for (i = 0; i < n; i++)
		{
			Oid			typid;
			int32		typmod;
			Oid			ccoll,
						pcoll;

			get_atttypetypmodcoll(relid, conkey[i], &typid, &typmod, &ccoll);
			/* a row value with a null field IS NULL to SQL, not to the trigger */
			if (type_is_rowtype(getBaseType(typid)))
				ok = false;
			get_atttypetypmodcoll(con->confrelid, confkey[i], &typid, &typmod, &pcoll);
			if (ccoll != pcoll || type_is_rowtype(getBaseType(typid)))
				ok = false;
		}
	}
	ReleaseSysCache(tup);
	return ok;
}

/*
 * sk_bulk_fks
 *		The foreign keys of target t to check once after its load instead
 *		of row by row, or NIL when the load keeps the per-row checks: the
 *		caller may not set session_replication_role, the table is small,
 *		not a plain table, under row-level security or on Citus, already
 *		holds many rows (the check reads them), has a trigger firing on
 *		INSERT other than the foreign key checks (replica would silence
 *		it, or what it writes elsewhere), a column the load leaves to a
 *		volatile default, or a foreign key sk_bulk_fk_ok refuses; or when
 *		this transaction's subtransactions would no longer fit in the
 *		cache other sessions read them from.  Matching (reuse, merge) and
 *		loads already under replica (cycles.c) keep their own path.
 */
List *
sk_bulk_fks(SkTarget *t)
{
	SkDocTable *d = t->doc;
	Relation	rel;
	TriggerDesc *trig;
	List	   *fks = NIL;
	bool	   *written;
	bool		ok = true;
	int			colocation;
	char	   *distcol;
	int			i;

	if (t->replica || t->nmatch > 0 || t->merge || t->skip != NULL ||
		d->nrows < SK_FK_BULK_MIN_ROWS ||
		MyProc->subxidStatus.overflowed ||
		MyProc->subxidStatus.count >= PGPROC_MAX_CACHED_SUBXIDS / 2 ||
		get_rel_relkind(t->relid) != RELKIND_RELATION ||
		!sk_caller_may_set_replication_role() ||
		check_enable_rls(t->relid, InvalidOid, true) == RLS_ENABLED ||
		sk_citus_table(t->relid, &colocation, &distcol) != '\0')
		return NIL;

	rel = table_open(t->relid, NoLock);
	/* the check reads the whole table: not when it holds far more rows */
	if ((int64) RelationGetNumberOfBlocks(rel) > d->nrows / 4)
		ok = false;
	trig = rel->trigdesc;
	for (i = 0; ok && trig != NULL && i < trig->numtriggers; i++)
	{
		Trigger    *tg = &trig->triggers[i];

		if (!TRIGGER_FOR_INSERT(tg->tgtype) || tg->tgenabled == TRIGGER_DISABLED)
			continue;
		if (RI_FKey_trigger_type(tg->tgfoid) == RI_TRIGGER_FK &&
			tg->tgenabled == TRIGGER_FIRES_ON_ORIGIN &&
			sk_bulk_fk_ok(t->relid, tg->tgconstraint))
			fks = list_append_unique_oid(fks, tg->tgconstraint);
		else
			ok = false;
	}

	/* defaults of the columns the load does not write run under replica */
	written = palloc0(sizeof(bool) * (RelationGetNumberOfAttributes(rel) + 1));
	for (i = 0; i < d->ncols; i++)
		written[t->cols[i].attnum] = true;
	for (i = 0; i < t->nextra; i++)
		written[t->extra[i].attnum] = true;
	for (i = 1; ok && i <= RelationGetNumberOfAttributes(rel); i++)
	{
		Form_pg_attribute att = TupleDescAttr(RelationGetDescr(rel), i - 1);
		Node	   *def;

		if (att->attisdropped || written[i] || att->attgenerated)
			continue;
		def = build_column_default(rel, i);
		if (def != NULL && contain_volatile_functions_not_nextval(def))
			ok = false;
	}
	table_close(rel, NoLock);
	if (!ok)
		return NIL;
	return fks;
}

/*
 * sk_fk_operand
 *		Column attnum of relid, as alias.column, cast to type want when it
 *		is of another type (a domain over it, a binary-compatible type), as
 *		the foreign key's trigger casts it.
 */
static char *
sk_fk_operand(const char *alias, Oid relid, AttrNumber attnum, Oid want)
{
	char	   *col = psprintf("%s.%s", alias, sk_quote_col(relid, attnum));

	if (get_atttype(relid, attnum) == want)
		return col;
	return psprintf("%s::%s", col, format_type_be_qualified(want));
}

/*
 * sk_fk_match
 *		Into sql: the condition that parent row p matches child row c on
 *		foreign key con (n column pairs, pf its PK = FK operators).
 */
static void
sk_fk_match(StringInfo sql, Form_pg_constraint con, int n,
			const AttrNumber *conkey, const AttrNumber *confkey, const Oid *pf)
{
	int			i;

	for (i = 0; i < n; i++)
	{
		HeapTuple	otup = SearchSysCache1(OPEROID, ObjectIdGetDatum(pf[i]));
		Form_pg_operator op;

		if (!HeapTupleIsValid(otup))
			elog(ERROR, "cache lookup failed for operator %u", pf[i]);
		op = (Form_pg_operator) GETSTRUCT(otup);
		appendStringInfo(sql, "%s%s %s %s", i > 0 ? " AND " : "",
						 sk_fk_operand("p", con->confrelid, confkey[i], op->oprleft),
						 sk_opname(pf[i]),
						 sk_fk_operand("c", con->conrelid, conkey[i], op->oprright));
		ReleaseSysCache(otup);
	}
}

/*
 * sk_fk_query
 *		Run sql with the xid $1 and the xid[] $2 of args under snap;
 *		returns the rows it gave (in SPI_tuptable).
 */
static uint64
sk_fk_query(const char *sql, Datum *args, Snapshot snap)
{
	Oid			argtypes[2] = {XIDOID, XIDARRAYOID};
	SPIPlanPtr	plan = SPI_prepare(sql, 2, argtypes);

	if (plan == NULL)
		elog(ERROR, "could not prepare a foreign key check: %s",
			 SPI_result_code_string(SPI_result));
	if (SPI_execute_snapshot(plan, args, NULL, snap, InvalidSnapshot,
							 false, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not run a foreign key check: %s", sql);
	SPI_freeplan(plan);
	return SPI_processed;
}

/*
 * sk_fk_bulk_check
 *		Check foreign key conoid over the rows of its table whose xmin is
 *		xid (the rows just loaded): lock the parent rows they reference
 *		that others could delete, then count the rows whose key is set
 *		(every column under MATCH SIMPLE, some under MATCH FULL) and finds
 *		no parent.  mine: the xids of the rows this transaction wrote.
 *		Returns whether no row fails.
 *
 *		The lock and the check read one data snapshot, and every parent
 *		row the check finds must have been locked: a parent another
 *		transaction deletes (or whose key it changes) after the snapshot is
 *		not locked, and one it adds after the snapshot is not found, so
 *		either sends the table to the per-row checks, which see the latest
 *		rows as the triggers do.  (Locking and checking under two snapshots
 *		let a parent added between them be found, never locked, and
 *		deleted before the load committed.)
 */
static bool
sk_fk_bulk_check(Oid conoid, TransactionId xid, Datum mine)
{
	HeapTuple	tup = SearchSysCache1(CONSTROID, ObjectIdGetDatum(conoid));
	Form_pg_constraint con;
	AttrNumber	conkey[INDEX_MAX_KEYS];
	AttrNumber	confkey[INDEX_MAX_KEYS];
	Oid			pf[INDEX_MAX_KEYS],
				pp[INDEX_MAX_KEYS],
				ff[INDEX_MAX_KEYS];
	Datum		args[2];
	int			n,
				i;
	bool		full;
	bool		isnull;
	int64		bad;
	int64		referenced;
	uint64		locked = 0;
	Relation	parent;
	bool		lock;
	const char *child;
	const char *ptable;
	StringInfoData used;
	StringInfoData sql;
	Snapshot	snap;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for constraint %u", conoid);
	con = (Form_pg_constraint) GETSTRUCT(tup);
	full = con->confmatchtype == FKCONSTR_MATCH_FULL;
	DeconstructFkConstraintRow(tup, &n, conkey, confkey, pf, pp, ff, NULL, NULL);
	child = sk_table_rows(con->conrelid);
	ptable = sk_table_rows(con->confrelid);
	args[0] = TransactionIdGetDatum(xid);
	args[1] = mine;

	/* the parent rows others wrote that the loaded rows reference */
	initStringInfo(&used);
	appendStringInfo(&used, "FROM %s p WHERE p.xmin OPERATOR(pg_catalog.<>) ALL ($2)"
					 " AND EXISTS (SELECT FROM %s c WHERE c.xmin OPERATOR(pg_catalog.=) $1 AND ",
					 ptable, child);
	sk_fk_match(&used, con, n, conkey, confkey, pf);
	appendStringInfoChar(&used, ')');

	/* one snapshot for the lock and the check, seeing the rows just loaded */
	CommandCounterIncrement();
	snap = RegisterSnapshot(GetTransactionSnapshot());

	/*
	 * the parent rows referenced, locked as the trigger locks them; a table
	 * restore holds in SHARE mode or stronger has no other writer
	 */
	parent = table_open(con->confrelid, AccessShareLock);
	lock = !CheckRelationLockedByMe(parent, ShareLock, true);
	table_close(parent, NoLock);
	if (lock)
	{
		locked = sk_fk_query(psprintf("SELECT %s FOR KEY SHARE OF p", used.data), args, snap);
		SPI_freetuptable(SPI_tuptable);
	}

	initStringInfo(&sql);
	/* the parents found are counted only when they had to be locked */
	appendStringInfo(&sql, "SELECT pg_catalog.count(*), %s FROM %s c"
					 " WHERE c.xmin OPERATOR(pg_catalog.=) $1 AND (",
					 lock ? psprintf("(SELECT pg_catalog.count(*) %s)", used.data) : "0::pg_catalog.int8",
					 child);
	for (i = 0; i < n; i++)
		appendStringInfo(&sql, "%sc.%s IS NOT NULL", i == 0 ? "" : full ? " OR " : " AND ",
						 sk_quote_col(con->conrelid, conkey[i]));
	appendStringInfoString(&sql, ") AND (");
	/* MATCH FULL: a key with some columns null fails (the trigger says why) */
	for (i = 0; i < n && full; i++)
		appendStringInfo(&sql, "c.%s IS NULL OR ", sk_quote_col(con->conrelid, conkey[i]));
	appendStringInfo(&sql, "NOT EXISTS (SELECT FROM %s p WHERE ", ptable);
	sk_fk_match(&sql, con, n, conkey, confkey, pf);
	appendStringInfoString(&sql, "))");
	ReleaseSysCache(tup);
	if (sk_fk_query(sql.data, args, snap) != 1)
		elog(ERROR, "could not check the rows loaded against constraint %u", conoid);
	bad = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	referenced = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	SPI_freetuptable(SPI_tuptable);
	UnregisterSnapshot(snap);
	return bad == 0 && (!lock || (int64) locked == referenced);
}

/*
 * sk_xid_array
 *		An xid[] of the n xids of xids and one more, extra.
 */
static Datum
sk_xid_array(const TransactionId *xids, int n, TransactionId extra)
{
	Datum	   *elems = palloc(sizeof(Datum) * (n + 1));
	int			i;

	for (i = 0; i < n; i++)
		elems[i] = TransactionIdGetDatum(xids[i]);
	elems[n] = TransactionIdGetDatum(extra);
	return PointerGetDatum(construct_array(elems, n + 1, XIDOID, sizeof(TransactionId),
										   true, TYPALIGN_INT));
}

/*
 * sk_copy_bulk_checked
 *		Load target t (sk_copy_table) with its per-row foreign key checks
 *		replaced by one check of each of fks (sk_bulk_fks) over the rows
 *		written, in a subtransaction; when a row fails, roll it back and
 *		load t again with the per-row checks, which raise the error.  Any
 *		other error of the load passes unchanged.  Returns the rows
 *		written.  The caller is connected to SPI.
 */
uint64
sk_copy_bulk_checked(SkTarget *t, List *fks)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	TransactionId *children;
	int			nchildren = xactGetCommittedChildren(&children);
	TransactionId *mine = palloc(sizeof(TransactionId) * (nchildren + 1));
	int			nmine = 0;
	List	   *kept = NIL;
	uint64		written = 0;
	bool		ok = true;
	ListCell   *lc,
			   *ll;

	/*
	 * the rows this transaction wrote so far: those of the current
	 * (sub)transaction and of the subtransactions committed into it, the
	 * earlier loads of this restore among them
	 */
	if (TransactionIdIsValid(GetCurrentTransactionIdIfAny()))
		mine[nmine++] = GetCurrentTransactionIdIfAny();
	memcpy(mine + nmine, children, sizeof(TransactionId) * nchildren);
	nmine += nchildren;

	/* what the "after" updates had before: a second load appends again */
	foreach(lc, t->fills)
		kept = lappend_int(kept, list_length(((SkAfterFill *) lfirst(lc))->rows));

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		int			level = NewGUCNestLevel();
		TransactionId xid;

		(void) set_config_option("session_replication_role", "replica",
								 superuser() ? PGC_SUSET : PGC_USERSET,
								 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
		written = sk_copy_table(t);
		AtEOXact_GUC(true, level);
		MemoryContextSwitchTo(cxt);
		xid = GetCurrentTransactionIdIfAny();
		if (TransactionIdIsValid(xid))
		{
			/* the rows of this load are this transaction's too */
			Datum		ours = sk_xid_array(mine, nmine, xid);
			/* seedkit's own statements: under the pinned settings */
			int			pin = sk_pin_settings();

			foreach(lc, fks)
				if (ok && !sk_fk_bulk_check(lfirst_oid(lc), xid, ours))
					ok = false;
			sk_unpin_settings(pin);
		}
		if (ok)
			ReleaseCurrentSubTransaction();
		else
			RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
		ReThrowError(edata);
	}
	PG_END_TRY();
	if (ok)
		return written;

	/* a row fails: the per-row checks name it */
	forboth(lc, t->fills, ll, kept)
	{
		SkAfterFill *fill = (SkAfterFill *) lfirst(lc);

		fill->rows = list_truncate(fill->rows, lfirst_int(ll));
	}
	return sk_copy_table(t);
}
