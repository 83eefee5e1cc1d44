/*-------------------------------------------------------------------------
 *
 * difference.c
 *	  The per-test reset by difference: after a full replace restore of
 *	  stored snapshots, a copy of each covered table's rows (a temporary
 *	  "shadow" table of the session) and the sequences' positions are kept;
 *	  the next restore of the same snapshots puts back only the tables
 *	  written since (track.c), each by difference against its shadow.
 *
 * A changed table is put back in three steps: rows of the fixture whose
 * key is missing are inserted and rows whose key is there but whose
 * values differ are updated (parents first), then rows whose key is not
 * in the fixture are deleted (children first).  A truncated table, with
 * the covered tables referencing it, is truncated and filled from its
 * shadow.  The whole runs in a subtransaction: when a foreign key or
 * unique constraint stops it (a cycle, a key swapped between rows), it is
 * rolled back and the caller does the full restore.  The sequences are
 * always set back.
 *
 * Session state lives in two temporary tables of the role,
 * pg_temp.seedkit_reset_<role> (one row per covered table: its shadow, the
 * epoch of the full restore it was copied after, the table's shape) and
 * pg_temp.seedkit_reset_<role>_seq, keyed by
 * the names and row versions of the stored snapshots; both are
 * transactional, so a rolled back restore leaves no stale state.
 *
 * src/restore/difference.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/table.h"
#include "access/xact.h"
#include "catalog/heap.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "storage/lmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/resowner.h"
#include "utils/syscache.h"

#include "core/core.h"
#include "restore/restore.h"

/* rounds of tables changed by the reset's own statements (user triggers) */
#define SK_DIFF_ROUNDS 3

/* One covered table of a reset. */
typedef struct SkShadow
{
	Oid			relid;
	Oid			shadow;
	int64		epoch;
	char	   *shape;
	int64		rows;
} SkShadow;

/* A kept plan of a statement of the reset, by its text. */
typedef struct SkKeptPlan
{
	char	   *sql;
	SPIPlanPtr	plan;
} SkKeptPlan;

static List *sk_kept = NIL;		/* of SkKeptPlan, in TopMemoryContext */
static bool sk_noticed = false; /* the fallback NOTICE was given */

/*
 * sk_run_kept
 *		Run a statement of the reset through a plan kept for the session
 *		(built on first use); returns SPI_processed.
 */
static uint64
sk_run_kept(const char *sql, int nargs, Oid *argtypes, Datum *args, int expect)
{
	ListCell   *lc;
	SkKeptPlan *kp = NULL;
	int			rc;

	foreach(lc, sk_kept)
	{
		if (strcmp(((SkKeptPlan *) lfirst(lc))->sql, sql) == 0)
		{
			kp = (SkKeptPlan *) lfirst(lc);
			break;
		}
	}
	if (kp == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare(sql, nargs, argtypes);
		MemoryContext old;

		if (plan == NULL)
			elog(ERROR, "could not prepare \"%s\": %s", sql,
				 SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		old = MemoryContextSwitchTo(TopMemoryContext);
		kp = palloc(sizeof(SkKeptPlan));
		kp->sql = pstrdup(sql);
		kp->plan = plan;
		sk_kept = lappend(sk_kept, kp);
		MemoryContextSwitchTo(old);
	}
	rc = SPI_execute_plan(kp->plan, args, NULL, false, 0);
	if (rc != expect)
		elog(ERROR, "could not run \"%s\": %s", sql, SPI_result_code_string(rc));
	return SPI_processed;
}

/*
 * sk_forget_kept
 *		Free the kept plans (their shadow tables are being replaced).
 */
static void
sk_forget_kept(void)
{
	ListCell   *lc;

	foreach(lc, sk_kept)
	{
		SkKeptPlan *kp = (SkKeptPlan *) lfirst(lc);

		SPI_freeplan(kp->plan);
		pfree(kp->sql);
		pfree(kp);
	}
	list_free(sk_kept);
	sk_kept = NIL;
}

/*
 * sk_state_sql
 *		sql with the names of the session state tables made the current
 *		role's: "seedkit_reset" becomes "seedkit_reset_<role OID>" (temporary
 *		tables belong to the role that created them, and a session may
 *		change roles).
 */
static char *
sk_state_sql(const char *sql)
{
	StringInfoData buf;
	const char *p = sql;
	const char *hit;

	initStringInfo(&buf);
	while ((hit = strstr(p, "seedkit_reset")) != NULL)
	{
		appendBinaryStringInfo(&buf, p, hit - p);
		appendStringInfo(&buf, "seedkit_reset_%u", GetUserId());
		p = hit + strlen("seedkit_reset");
	}
	appendStringInfoString(&buf, p);
	return buf.data;
}

/*
 * sk_state_exists
 *		Whether the session's state tables exist.
 */
static bool
sk_state_exists(void)
{
	return OidIsValid(RangeVarGetRelid(makeRangeVar("pg_temp",
													sk_state_sql("seedkit_reset_seq"), -1),
									   NoLock, true));
}

/*
 * sk_oid_array
 *		An oid[] datum of the OIDs.
 */
static Datum
sk_oid_array(List *oids)
{
	Datum	   *elems = palloc(sizeof(Datum) * (list_length(oids) + 1));
	ListCell   *lc;
	int			n = 0;

	foreach(lc, oids)
		elems[n++] = ObjectIdGetDatum(lfirst_oid(lc));
	return PointerGetDatum(construct_array(elems, n, OIDOID, sizeof(Oid), true,
										   TYPALIGN_INT));
}

/*
 * sk_reset_key
 *		The key of the session state of a reset: the names and row versions
 *		of the caller's stored snapshot called name, or with NULL of all of
 *		them; NULL when there is none.
 */
char *
sk_reset_key(const char *name)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	bool		isnull;
	Datum		key;

	args[0] = name ? CStringGetTextDatum(name) : CStringGetTextDatum("");
	(void) sk_run_kept("SELECT pg_catalog.string_agg(pg_catalog.to_json(name)::pg_catalog.text"
					   " OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) xmin::pg_catalog.text,"
					   " ',' ORDER BY name COLLATE \"C\")"
					   " FROM seedkit.snapshots"
					   " WHERE owner OPERATOR(pg_catalog.=) CURRENT_USER::pg_catalog.regrole"
					   " AND ($1 OPERATOR(pg_catalog.=) '' OR name OPERATOR(pg_catalog.=) $1)",
					   1, argtypes, args, SPI_OK_SELECT);
	key = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		return NULL;
	return psprintf("%s%s", name ? "one " : "all ", TextDatumGetCString(key));
}

/*
 * sk_shape
 *		The definition of relid that the statements of a reset depend on:
 *		its columns (name, type, typmod, generated, identity) and primary
 *		key, as text.  A change (ALTER TABLE) makes the next reset a full one.
 */
static char *
sk_shape(Oid relid)
{
	Relation	rel = table_open(relid, NoLock);
	TupleDesc	desc = RelationGetDescr(rel);
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);

		if (a->attisdropped)
			continue;
		appendStringInfo(&buf, "%s %u %d %c%c,", NameStr(a->attname), a->atttypid,
						 a->atttypmod, a->attgenerated ? a->attgenerated : '-',
						 a->attidentity ? a->attidentity : '-');
	}
	appendStringInfo(&buf, "pk %u", RelationGetPrimaryKeyIndex(rel));
	table_close(rel, NoLock);
	return buf.data;
}

/*
 * sk_forget_state
 *		Drop the session state of key and of every state row of relids, with
 *		their shadow tables.
 */
static void
sk_forget_state(const char *key, List *relids)
{
	Oid			argtypes[2] = {TEXTOID, OIDARRAYOID};
	Datum		args[2];
	uint64		k;
	SPITupleTable *tt;
	uint64		n;

	if (!sk_state_exists())
		return;
	args[0] = CStringGetTextDatum(key);
	args[1] = sk_oid_array(relids);
	if (SPI_execute_with_args(sk_state_sql("DELETE FROM pg_temp.seedkit_reset"
											" WHERE setkey OPERATOR(pg_catalog.=) $1"
											" OR relid OPERATOR(pg_catalog.=) ANY ($2) RETURNING shadow"),
							  2, argtypes, args, NULL, false, 0) != SPI_OK_DELETE_RETURNING)
		elog(ERROR, "could not forget the reset state");
	tt = SPI_tuptable;
	n = SPI_processed;
	for (k = 0; k < n; k++)
	{
		bool		isnull;
		Oid			shadow = DatumGetObjectId(SPI_getbinval(tt->vals[k], tt->tupdesc, 1, &isnull));

		if (SearchSysCacheExists1(RELOID, ObjectIdGetDatum(shadow)))
		{
			StringInfoData sql;

			initStringInfo(&sql);
			appendStringInfo(&sql, "DROP TABLE %s", sk_qualified_name(shadow));
			if (SPI_execute(sql.data, false, 0) != SPI_OK_UTILITY)
				elog(ERROR, "could not drop a shadow table");
		}
	}
	if (SPI_execute(sk_state_sql("DELETE FROM pg_temp.seedkit_reset_seq q WHERE NOT EXISTS"
								 " (SELECT FROM pg_temp.seedkit_reset r"
								 "  WHERE r.setkey OPERATOR(pg_catalog.=) q.setkey)"),
					false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not forget the reset state");
	sk_forget_kept();
}

/*
 * sk_reset_record
 *		After a full replace restore of the snapshots of key (names: their
 *		names, by document index; covered: SkCovered in document order):
 *		track the covered tables, copy their rows into shadow tables and
 *		keep the sequences' positions, so that the next reset of key can be
 *		done by difference.  When the tables cannot be tracked, the state of
 *		key is dropped; when the caller lacks a privilege for it, one NOTICE
 *		per session says so.  The caller is connected to SPI.
 */
void
sk_reset_record(const char *key, List *names, List *covered)
{
	List	   *relids = NIL;
	List	   *seqs = NIL;
	ListCell   *lc;
	char	   *why = NULL;
	int			eligible;
	int64		epoch;
	bool		isnull;
	int			ord = 0;
	Oid			argtypes[7] = {TEXTOID, INT4OID, OIDOID, OIDOID, INT8OID, TEXTOID, INT8OID};
	Datum		args[7];

	if (key == NULL)
		return;
	foreach(lc, covered)
		relids = lappend_oid(relids, ((SkCovered *) lfirst(lc))->relid);
	eligible = sk_track_eligible(relids, &why);
	if (eligible == 2 && !sk_noticed)
	{
		sk_noticed = true;
		ereport(NOTICE,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("every reset restores all the tables of the snapshot"),
				 errdetail("%s", why),
				 errhint("Resets put back only the tables a test changed when the role may track them.")));
	}
	if (eligible != 0)
	{
		sk_forget_state(key, relids);
		return;
	}

	foreach(lc, relids)
		sk_track_install(lfirst_oid(lc));
	foreach(lc, covered)
	{
		SkCovered  *c = (SkCovered *) lfirst(lc);
		Oid			targtypes[2] = {OIDOID, TEXTOID};
		Datum		targs[2];

		targs[0] = ObjectIdGetDatum(c->relid);
		targs[1] = CStringGetTextDatum((char *) list_nth(names, c->doc));
		if (SPI_execute_with_args("INSERT INTO seedkit.tracked (relid, name) VALUES ($1, $2)"
								  " ON CONFLICT DO NOTHING",
								  2, targtypes, targs, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not record a tracked table");
	}

	if (SPI_execute("SELECT pg_catalog.nextval('seedkit.reset_epoch'::pg_catalog.regclass)",
					false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not draw a reset epoch");
	epoch = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	{
		Oid			eargtypes[2] = {OIDARRAYOID, INT8OID};
		Datum		eargs[2];

		eargs[0] = sk_oid_array(relids);
		eargs[1] = Int64GetDatum(epoch);
		if (SPI_execute_with_args("INSERT INTO seedkit.reset_state (relid, epoch)"
								  " SELECT r, $2 FROM pg_catalog.unnest($1) r"
								  " ON CONFLICT (relid) DO UPDATE SET epoch = EXCLUDED.epoch",
								  2, eargtypes, eargs, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not record the reset epoch");
	}

	if (!sk_state_exists())
	{
		if (SPI_execute(sk_state_sql("CREATE TEMPORARY TABLE seedkit_reset (setkey pg_catalog.text,"
									 " ord pg_catalog.int4, relid pg_catalog.oid, shadow pg_catalog.oid,"
									 " epoch pg_catalog.int8, shape pg_catalog.text, nrows pg_catalog.int8);"
									 " CREATE TEMPORARY TABLE seedkit_reset_seq (setkey pg_catalog.text,"
									 " seq pg_catalog.oid, last pg_catalog.int8, start pg_catalog.int8)"),
						false, 0) != SPI_OK_UTILITY)
			elog(ERROR, "could not create the reset state");
		CommandCounterIncrement();
	}
	else
		sk_forget_state(key, relids);

	foreach(lc, covered)
	{
		SkCovered  *c = (SkCovered *) lfirst(lc);
		StringInfoData sql;
		char	   *shadow = psprintf("seedkit_fx_%lld_%u", (long long) epoch, c->relid);
		List	   *sc;
		ListCell   *sl;

		initStringInfo(&sql);
		appendStringInfo(&sql, "CREATE TEMPORARY TABLE %s AS SELECT * FROM %s",
						 quote_identifier(shadow), sk_table_rows(c->relid));
		if (SPI_execute(sql.data, false, 0) != SPI_OK_UTILITY)
			elog(ERROR, "could not copy table \"%s\"", get_rel_name(c->relid));
		CommandCounterIncrement();
		args[0] = CStringGetTextDatum(key);
		args[1] = Int32GetDatum(ord++);
		args[2] = ObjectIdGetDatum(c->relid);
		args[3] = ObjectIdGetDatum(RangeVarGetRelid(makeRangeVar("pg_temp", shadow, -1),
													NoLock, false));
		args[4] = Int64GetDatum(epoch);
		args[5] = CStringGetTextDatum(sk_shape(c->relid));
		args[6] = Int64GetDatum(c->rows);
		if (SPI_execute_with_args(sk_state_sql("INSERT INTO pg_temp.seedkit_reset"
												" VALUES ($1, $2, $3, $4, $5, $6, $7)"),
								  7, argtypes, args, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not record the reset state");
		sc = sk_sequence_columns(c->relid);
		foreach(sl, sc)
			seqs = list_append_unique_oid(seqs, ((SkSeqCol *) lfirst(sl))->seqid);
	}
	{
		Oid			sargtypes[2] = {TEXTOID, OIDARRAYOID};
		Datum		sargs[2];

		sargs[0] = CStringGetTextDatum(key);
		sargs[1] = sk_oid_array(seqs);
		if (SPI_execute_with_args(sk_state_sql("INSERT INTO pg_temp.seedkit_reset_seq"
												" SELECT $1, s.seqrelid,"
												" pg_catalog.pg_sequence_last_value(s.seqrelid), s.seqstart"
												" FROM pg_catalog.pg_sequence s"
												" WHERE s.seqrelid OPERATOR(pg_catalog.=) ANY ($2)"),
								  2, sargtypes, sargs, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not record the sequences of the reset");
	}
	sk_track_clear(sk_oid_array(relids));
}

/*
 * sk_key_columns
 *		The primary key columns of rel: names (quoted) and qualified
 *		equality operators; returns how many.
 */
static int
sk_key_columns(Relation rel, char ***names, char ***ops)
{
	Oid			pk = RelationGetPrimaryKeyIndex(rel);
	HeapTuple	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(pk));
	Form_pg_index idx;
	int			n;
	int			i;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for index %u", pk);
	idx = (Form_pg_index) GETSTRUCT(tup);
	n = idx->indnkeyatts;
	*names = palloc(sizeof(char *) * n);
	*ops = palloc(sizeof(char *) * n);
	for (i = 0; i < n; i++)
	{
		AttrNumber	att = idx->indkey.values[i];
		Form_pg_attribute a = TupleDescAttr(RelationGetDescr(rel), att - 1);

		(*names)[i] = (char *) quote_identifier(NameStr(a->attname));
		(*ops)[i] = sk_type_eqop(a->atttypid);
	}
	ReleaseSysCache(tup);
	return n;
}

/*
 * sk_key_match
 *		"a.k1 OPERATOR(op) b.k1 AND ..." for the key columns.
 */
static void
sk_key_match(StringInfo buf, int nkeys, char **keys, char **ops,
			 const char *a, const char *b)
{
	int			i;

	for (i = 0; i < nkeys; i++)
		appendStringInfo(buf, "%s%s.%s %s %s.%s", i > 0 ? " AND " : "",
						 a, keys[i], ops[i], b, keys[i]);
}

/*
 * sk_diff_table
 *		Put back one table from its shadow: with deletes, the rows whose key
 *		the fixture lacks are deleted; otherwise the fixture's rows whose key
 *		is missing are inserted and, unless only_insert, the rows whose
 *		values differ are updated.
 */
static void
sk_diff_table(SkShadow *s, bool deletes, bool only_insert)
{
	Relation	rel = table_open(s->relid, NoLock);
	TupleDesc	desc = RelationGetDescr(rel);
	char	  **keys;
	char	  **ops;
	int			nkeys = sk_key_columns(rel, &keys, &ops);
	char	   *t = sk_qualified_name(s->relid);
	char	   *sh = sk_qualified_name(s->shadow);
	StringInfoData cols;
	StringInfoData scols;
	StringInfoData set;
	StringInfoData sval;
	StringInfoData sql;
	int			i;
	int			caller;

	initStringInfo(&cols);
	initStringInfo(&scols);
	initStringInfo(&set);
	initStringInfo(&sval);
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);
		const char *name;
		bool		key = false;
		int			k;

		if (a->attisdropped || a->attgenerated)
			continue;
		name = quote_identifier(NameStr(a->attname));
		appendStringInfo(&cols, "%s%s", cols.len ? ", " : "", name);
		appendStringInfo(&scols, "%ss.%s", scols.len ? ", " : "", name);
		for (k = 0; k < nkeys; k++)
			if (strcmp(keys[k], name) == 0)
				key = true;
		if (!key)
		{
			appendStringInfo(&set, "%s%s", set.len ? ", " : "", name);
			appendStringInfo(&sval, "%ss.%s", sval.len ? ", " : "", name);
		}
	}
	table_close(rel, NoLock);

	/* the caller's triggers see the caller's path */
	caller = sk_caller_path_push();
	initStringInfo(&sql);
	if (deletes)
	{
		appendStringInfo(&sql, "DELETE FROM ONLY %s t WHERE NOT EXISTS (SELECT FROM %s s WHERE ",
						 t, sh);
		sk_key_match(&sql, nkeys, keys, ops, "t", "s");
		appendStringInfoChar(&sql, ')');
		(void) sk_run_kept(sql.data, 0, NULL, NULL, SPI_OK_DELETE);
	}
	else
	{
		appendStringInfo(&sql, "INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM %s s"
						 " WHERE NOT EXISTS (SELECT FROM ONLY %s t WHERE ",
						 t, cols.data, scols.data, sh, t);
		sk_key_match(&sql, nkeys, keys, ops, "t", "s");
		appendStringInfoChar(&sql, ')');
		(void) sk_run_kept(sql.data, 0, NULL, NULL, SPI_OK_INSERT);
		if (!only_insert && set.len > 0)
		{
			resetStringInfo(&sql);
			appendStringInfo(&sql, "UPDATE ONLY %s t SET (%s) = ROW(%s) FROM %s s WHERE ",
							 t, set.data, sval.data, sh);
			sk_key_match(&sql, nkeys, keys, ops, "t", "s");
			appendStringInfoString(&sql, " AND t::pg_catalog.text OPERATOR(pg_catalog.<>) s::pg_catalog.text");
			(void) sk_run_kept(sql.data, 0, NULL, NULL, SPI_OK_UPDATE);
		}
	}
	sk_unpin_settings(caller);
}

/*
 * sk_truncate_closure
 *		The tables of trunc with the covered tables referencing them, which
 *		TRUNCATE needs along; NIL when a referencing table is not covered.
 */
static List *
sk_truncate_closure(List *trunc, List *relids)
{
	List	   *all = list_copy(trunc);
	bool		more = true;

	while (more)
	{
		List	   *refs = heap_truncate_find_FKs(all);
		ListCell   *lc;

		more = false;
		foreach(lc, refs)
		{
			if (!list_member_oid(relids, lfirst_oid(lc)))
				return NIL;
			if (!list_member_oid(all, lfirst_oid(lc)))
			{
				all = lappend_oid(all, lfirst_oid(lc));
				more = true;
			}
		}
	}
	return all;
}

/*
 * sk_diff
 *		Put back the changed tables (and the truncated ones with the tables
 *		referencing them) from their shadows, then the tables the reset's
 *		own statements changed through user triggers, up to SK_DIFF_ROUNDS
 *		rounds.  Returns false when that was not enough (nothing is undone
 *		here: the caller rolls back).
 */
static bool
sk_diff(SkShadow *sh, int n, List *relids, List *changed, List *trunc)
{
	List	   *done = NIL;
	int			round;
	int			i;

	for (round = 0; round < SK_DIFF_ROUNDS; round++)
	{
		ListCell   *lc;
		List	   *again;
		List	   *again_trunc;

		if (trunc != NIL)
		{
			StringInfoData sql;
			int			caller;

			initStringInfo(&sql);
			appendStringInfoString(&sql, "TRUNCATE TABLE ");
			foreach(lc, trunc)
				appendStringInfo(&sql, "%sONLY %s", lc == list_head(trunc) ? "" : ", ",
								 sk_qualified_name(lfirst_oid(lc)));
			caller = sk_caller_path_push();
			if (SPI_execute(sql.data, false, 0) != SPI_OK_UTILITY)
				elog(ERROR, "could not empty the truncated tables");
			sk_unpin_settings(caller);
		}
		/* parents first: missing rows inserted, differing rows updated */
		for (i = 0; i < n; i++)
			if (list_member_oid(changed, sh[i].relid) || list_member_oid(trunc, sh[i].relid))
				sk_diff_table(&sh[i], false, list_member_oid(trunc, sh[i].relid));
		/* children first: rows the fixture lacks deleted */
		for (i = n - 1; i >= 0; i--)
			if (list_member_oid(changed, sh[i].relid) && !list_member_oid(trunc, sh[i].relid))
				sk_diff_table(&sh[i], true, false);
		done = list_concat_unique_oid(done, changed);
		done = list_concat_unique_oid(done, trunc);

		/* tables the statements above changed that were not put back */
		again = sk_track_changed(sk_oid_array(relids), &again_trunc);
		changed = list_difference_oid(again, done);
		if (changed == NIL)
			return true;
		trunc = NIL;
		foreach(lc, again_trunc)
			if (list_member_oid(changed, lfirst_oid(lc)))
				trunc = lappend_oid(trunc, lfirst_oid(lc));
		if (trunc != NIL)
		{
			trunc = sk_truncate_closure(trunc, relids);
			if (trunc == NIL)
				return false;
		}
	}
	return false;
}

/*
 * sk_diff_guarded
 *		sk_diff in a subtransaction, the marks cleared after it; returns
 *		false, with everything rolled back, when it was not enough or a
 *		constraint stopped it (an integrity constraint violation); any
 *		other error is the caller's, as in a full restore.
 */
static bool
sk_diff_guarded(SkShadow *sh, int n, List *relids, List *changed, List *trunc,
				Datum relarr)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	volatile bool ok = false;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(oldcxt);
	PG_TRY();
	{
		ok = sk_diff(sh, n, relids, changed, trunc);
		if (ok)
		{
			sk_track_clear(relarr);
			ReleaseCurrentSubTransaction();
		}
		else
			RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(oldcxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;
		/* any other error is the caller's, the subtransaction gone first */
		if (ERRCODE_TO_CATEGORY(edata->sqlerrcode) != ERRCODE_INTEGRITY_CONSTRAINT_VIOLATION)
			ReThrowError(edata);
		FreeErrorData(edata);
		ok = false;
	}
	PG_END_TRY();
	return ok;
}

/*
 * sk_full
 *		Say at DEBUG1 why this reset is a full one; returns false.
 */
static bool
sk_full(const char *why)
{
	ereport(DEBUG1,
			(errcode(ERRCODE_SUCCESSFUL_COMPLETION),
			 errmsg("the per-test reset restores every table: %s", why)));
	return false;
}

/*
 * sk_reset_fast
 *		The per-test reset of the snapshots of key by difference, when the
 *		session holds their state and every covered table is as tracked:
 *		locks the tables (ACCESS EXCLUSIVE, in OID order, as a full replace
 *		restore does), puts back the changed ones, sets the sequences back
 *		and appends a result row per table.  Returns false, having written
 *		nothing, when the caller must do the full restore instead.  The
 *		caller is connected to SPI.
 */
bool
sk_reset_fast(const char *key, ReturnSetInfo *rsinfo)
{
	Oid			argtypes[2] = {TEXTOID, INT8ARRAYOID};
	Datum		args[2];
	SkShadow   *sh;
	int			n;
	int			i;
	List	   *relids = NIL;
	List	   *locks;
	List	   *changed;
	List	   *trunc;
	Datum		relarr;

	if (key == NULL)
		return false;
	if (IsolationUsesXactSnapshot())
		return sk_full("the transaction uses one snapshot");
	if (!sk_state_exists())
		return sk_full("no copy of the fixture in this session");
	args[0] = CStringGetTextDatum(key);
	n = (int) sk_run_kept(sk_state_sql("SELECT relid, shadow, epoch, shape, nrows"
									   " FROM pg_temp.seedkit_reset"
									   " WHERE setkey OPERATOR(pg_catalog.=) $1 ORDER BY ord"),
						  1, argtypes, args, SPI_OK_SELECT);
	if (n == 0)
		return sk_full("no copy of these stored snapshots in this session");
	sh = palloc(sizeof(SkShadow) * n);
	for (i = 0; i < n; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;

		sh[i].relid = DatumGetObjectId(SPI_getbinval(tup, desc, 1, &isnull));
		sh[i].shadow = DatumGetObjectId(SPI_getbinval(tup, desc, 2, &isnull));
		sh[i].epoch = DatumGetInt64(SPI_getbinval(tup, desc, 3, &isnull));
		sh[i].shape = TextDatumGetCString(SPI_getbinval(tup, desc, 4, &isnull));
		sh[i].rows = DatumGetInt64(SPI_getbinval(tup, desc, 5, &isnull));
		relids = lappend_oid(relids, sh[i].relid);
	}
	SPI_freetuptable(SPI_tuptable);

	/* the full restore's locks: writers wait, and so a reset sees them all */
	locks = list_copy(relids);
	sk_lock_in_order(locks, AccessExclusiveLock);
	for (i = 0; i < n; i++)
	{
		if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(sh[i].relid)) ||
			!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(sh[i].shadow)))
			return sk_full("a table or its copy is gone");
		if (!sk_track_active(sh[i].relid))
			return sk_full("a table's seedkit_track trigger is missing or does not fire always");
		if (strcmp(sk_shape(sh[i].relid), sh[i].shape) != 0)
			return sk_full("a table's definition changed");
	}
	relarr = sk_oid_array(relids);
	{
		Oid			eargtypes[2] = {OIDARRAYOID, INT8ARRAYOID};
		Datum		eargs[2];
		Datum	   *epochs = palloc(sizeof(Datum) * n);
		bool		isnull;

		for (i = 0; i < n; i++)
			epochs[i] = Int64GetDatum(sh[i].epoch);
		eargs[0] = relarr;
		eargs[1] = PointerGetDatum(construct_array(epochs, n, INT8OID, sizeof(int64),
												   FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		(void) sk_run_kept("SELECT pg_catalog.count(*) FROM seedkit.reset_state g,"
						   " ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2)) u(r, e)"
						   " WHERE g.relid OPERATOR(pg_catalog.=) u.r"
						   " AND g.epoch OPERATOR(pg_catalog.=) u.e",
						   2, eargtypes, eargs, SPI_OK_SELECT);
		if (DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
										1, &isnull)) != n)
			return sk_full("a table was restored fully elsewhere since");
	}

	changed = sk_track_changed(relarr, &trunc);
	if (trunc != NIL)
	{
		trunc = sk_truncate_closure(trunc, relids);
		if (trunc == NIL)
			return sk_full("a truncated table is referenced from outside the snapshot");
	}
	if (changed != NIL && !sk_diff_guarded(sh, n, relids, changed, trunc, relarr))
		return sk_full("a constraint or a user trigger stopped the reset by difference");

	(void) sk_run_kept(sk_state_sql("SELECT pg_catalog.setval(seq::pg_catalog.regclass,"
									" CASE WHEN last IS NULL THEN start ELSE last END, last IS NOT NULL)"
									" FROM pg_temp.seedkit_reset_seq WHERE setkey OPERATOR(pg_catalog.=) $1"),
					   1, argtypes, args, SPI_OK_SELECT);
	for (i = 0; i < n; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = ObjectIdGetDatum(sh[i].relid);
		values[1] = Int64GetDatum(sh[i].rows);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return true;
}
