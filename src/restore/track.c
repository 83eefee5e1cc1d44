/*-------------------------------------------------------------------------
 *
 * track.c
 *	  Change tracking for the per-test reset: the seedkit_track trigger
 *	  installed on and removed from covered tables (seedkit_untrack), which
 *	  tables may be tracked, and the set of tables written since their last
 *	  reset.
 *
 * The trigger is statement-level, AFTER INSERT OR UPDATE OR DELETE OR
 * TRUNCATE, fires ALWAYS (session_replication_role = replica does not hide
 * a write) and runs seedkit.seedkit_track_change(), which inserts the
 * table's OID into the unlogged table seedkit.changes.  It depends on the
 * extension (DEPENDENCY_AUTO_EXTENSION), so DROP EXTENSION removes it.
 * Creating it needs the TRIGGER privilege, removing it the same.
 *
 * src/restore/track.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/table.h"
#include "catalog/dependency.h"
#include "catalog/heap.h"
#include "catalog/indexing.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_trigger.h"
#include "commands/extension.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "parser/parse_func.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "core/core.h"
#include "restore/restore.h"

PG_FUNCTION_INFO_V1(seedkit_untrack);

#define SK_TRACK_TRIGGER "seedkit_track"

/*
 * sk_track_func
 *		The OID of seedkit.seedkit_track_change(), or InvalidOid when the
 *		installed SQL is older than 0.2.0.
 */
static Oid
sk_track_func(void)
{
	return LookupFuncName(list_make2(makeString("seedkit"),
									 makeString("seedkit_track_change")),
						  0, NULL, true);
}

/*
 * sk_track_trigger
 *		The seedkit_track trigger of an open relation, or NULL.
 */
static Trigger *
sk_track_trigger(Relation rel, Oid func)
{
	TriggerDesc *td = rel->trigdesc;
	int			i;

	if (td == NULL)
		return NULL;
	for (i = 0; i < td->numtriggers; i++)
		if (strcmp(td->triggers[i].tgname, SK_TRACK_TRIGGER) == 0 &&
			td->triggers[i].tgfoid == func)
			return &td->triggers[i];
	return NULL;
}

/*
 * sk_track_active
 *		Whether relid carries the seedkit_track trigger, firing always.  The
 *		relation is locked by the caller.
 */
bool
sk_track_active(Oid relid)
{
	Oid			func = sk_track_func();
	Relation	rel;
	Trigger    *tg;
	bool		active;

	if (!OidIsValid(func))
		return false;
	rel = table_open(relid, NoLock);
	tg = sk_track_trigger(rel, func);
	active = tg != NULL && tg->tgenabled == TRIGGER_FIRES_ALWAYS;
	table_close(rel, NoLock);
	return active;
}

/*
 * sk_track_eligible
 *		Whether the tables (in document order) may be reset by difference:
 *		0 yes; 1 no, silently (a table that is not a plain table, has no
 *		primary key, takes part in inheritance, is covered twice, or is
 *		referenced by a table outside them); 2 no, because the caller lacks
 *		a privilege the tracking needs (*why says which).
 */
int
sk_track_eligible(List *relids, char **why)
{
	ListCell   *lc;
	List	   *refs;
	Oid			userid = GetUserId();

	if (!OidIsValid(sk_track_func()))
		return 1;
	foreach(lc, relids)
	{
		Oid			relid = lfirst_oid(lc);
		Relation	rel;
		bool		ok;
		int			i;
		TupleDesc	desc;
		ListCell   *prev;

		foreach(prev, relids)
		{
			if (prev == lc)
				break;
			if (lfirst_oid(prev) == relid)
				return 1;
		}
		if (get_rel_relkind(relid) != RELKIND_RELATION ||
			has_superclass(relid) || has_subclass(relid))
			return 1;
		rel = table_open(relid, NoLock);
		ok = OidIsValid(RelationGetPrimaryKeyIndex(rel)) &&
			rel->rd_rel->relpersistence != RELPERSISTENCE_TEMP;
		desc = RelationGetDescr(rel);
		/* a GENERATED ALWAYS identity column cannot be put back by UPDATE */
		for (i = 0; ok && i < desc->natts; i++)
			if (!TupleDescAttr(desc, i)->attisdropped &&
				TupleDescAttr(desc, i)->attidentity == ATTRIBUTE_IDENTITY_ALWAYS)
				ok = false;
		table_close(rel, NoLock);
		if (!ok)
			return 1;
	}
	refs = heap_truncate_find_FKs(relids);
	foreach(lc, refs)
		if (!list_member_oid(relids, lfirst_oid(lc)))
			return 1;

	foreach(lc, relids)
	{
		Oid			relid = lfirst_oid(lc);
		AclMode		need = ACL_TRIGGER | ACL_SELECT | ACL_INSERT |
			ACL_UPDATE | ACL_DELETE | ACL_TRUNCATE;
		List	   *seqs;
		ListCell   *sc;

		if (pg_class_aclmask(relid, userid, need, ACLMASK_ALL) != need)
		{
			*why = psprintf("The role lacks one of the TRIGGER, SELECT, INSERT, UPDATE, DELETE and TRUNCATE privileges on table \"%s\".",
							get_rel_name(relid));
			return 2;
		}
		seqs = sk_sequence_columns(relid);
		foreach(sc, seqs)
		{
			Oid			seq = ((SkSeqCol *) lfirst(sc))->seqid;

			if (pg_class_aclcheck(seq, userid, ACL_UPDATE) != ACLCHECK_OK ||
				pg_class_aclmask(seq, userid, ACL_SELECT | ACL_USAGE,
								 ACLMASK_ANY) == 0)
			{
				*why = psprintf("The role lacks the UPDATE or SELECT privilege on sequence \"%s\".",
								get_rel_name(seq));
				return 2;
			}
		}
	}
	if (pg_database_aclcheck(MyDatabaseId, userid, ACL_CREATE_TEMP) != ACLCHECK_OK)
	{
		*why = pstrdup("The role may not create temporary tables, which hold the copy of the fixture a reset compares against.");
		return 2;
	}
	return 0;
}

/*
 * sk_track_install
 *		Put the seedkit_track trigger on relid (locked by the caller) unless
 *		it is there and fires always: CREATE TRIGGER (the TRIGGER privilege,
 *		checked by sk_track_eligible), then ENABLE ALWAYS, then the
 *		dependency on the extension that makes DROP EXTENSION remove it.
 *		The caller is connected to SPI.
 */
void
sk_track_install(Oid relid)
{
	Oid			func = sk_track_func();
	Relation	rel;
	Trigger    *tg;
	bool		create;
	bool		enable;
	StringInfoData sql;

	rel = table_open(relid, NoLock);
	tg = sk_track_trigger(rel, func);
	create = tg == NULL;
	enable = tg == NULL || tg->tgenabled != TRIGGER_FIRES_ALWAYS;
	table_close(rel, NoLock);
	if (create)
	{
		ObjectAddress trig;
		ObjectAddress ext;

		initStringInfo(&sql);
		appendStringInfo(&sql,
						 "CREATE TRIGGER " SK_TRACK_TRIGGER
						 " AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s"
						 " FOR EACH STATEMENT EXECUTE FUNCTION seedkit.seedkit_track_change()",
						 sk_qualified_name(relid));
		if (SPI_execute(sql.data, false, 0) != SPI_OK_UTILITY)
			elog(ERROR, "could not create the tracking trigger of relation %u", relid);
		CommandCounterIncrement();
		ObjectAddressSet(trig, TriggerRelationId,
						 get_trigger_oid(relid, SK_TRACK_TRIGGER, false));
		ObjectAddressSet(ext, ExtensionRelationId,
						 get_extension_oid("seedkit", false));
		recordDependencyOn(&trig, &ext, DEPENDENCY_AUTO_EXTENSION);
	}
	if (enable)
	{
		/* the owner's ALTER TABLE ... ENABLE ALWAYS, for a trigger of ours */
		rel = table_open(relid, NoLock);
		EnableDisableTrigger(rel, SK_TRACK_TRIGGER, TRIGGER_FIRES_ALWAYS,
							 false, AccessExclusiveLock);
		table_close(rel, NoLock);
		CommandCounterIncrement();
	}
}

/*
 * sk_track_remove
 *		Remove the seedkit_track trigger of relid and its state; returns
 *		whether there was one.  An error when the caller lacks the TRIGGER
 *		privilege on the table.  The caller is connected to SPI.
 */
static bool
sk_track_remove(Oid relid)
{
	Oid			func = sk_track_func();
	Oid			tgoid = InvalidOid;
	Relation	rel;
	Trigger    *tg;
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1];

	if (pg_class_aclcheck(relid, GetUserId(), ACL_TRIGGER) != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to untrack table \"%s\"", get_rel_name(relid)),
				 errdetail("Removing the seedkit_track trigger needs the TRIGGER privilege on the table.")));
	LockRelationOid(relid, ShareRowExclusiveLock);
	rel = table_open(relid, NoLock);
	tg = sk_track_trigger(rel, func);
	if (tg != NULL)
		tgoid = tg->tgoid;
	table_close(rel, NoLock);
	if (OidIsValid(tgoid))
	{
		ObjectAddress trig;

		ObjectAddressSet(trig, TriggerRelationId, tgoid);
		performDeletion(&trig, DROP_RESTRICT, PERFORM_DELETION_INTERNAL);
	}
	args[0] = ObjectIdGetDatum(relid);
	if (SPI_execute_with_args("DELETE FROM seedkit.tracked WHERE relid OPERATOR(pg_catalog.=) $1",
							  1, argtypes, args, NULL, false, 0) != SPI_OK_DELETE ||
		SPI_execute_with_args("DELETE FROM seedkit.reset_state WHERE relid OPERATOR(pg_catalog.=) $1",
							  1, argtypes, args, NULL, false, 0) != SPI_OK_DELETE ||
		SPI_execute_with_args("DELETE FROM seedkit.changes WHERE relid OPERATOR(pg_catalog.=) $1",
							  1, argtypes, args, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not forget the tracking of relation %u", relid);
	return OidIsValid(tgoid);
}

/*
 * sk_untrack_body
 *		seedkit_untrack(tables regclass[]): remove the seedkit_track trigger
 *		from the tables, or with NULL from every table carrying it on which
 *		the caller has the TRIGGER privilege.  Returns the tables it was
 *		removed from.
 */
static Datum
sk_untrack_body(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = sk_srf_begin(fcinfo, SRF_SINGLE_USE_EXPECTED);
	List	   *relids = NIL;
	ListCell   *lc;
	Oid			func = sk_track_func();

	if (!PG_ARGISNULL(0))
		relids = sk_regclass_list(PG_GETARG_ARRAYTYPE_P(0));
	else if (OidIsValid(func))
	{
		Oid			argtypes[1] = {OIDOID};
		Datum		args[1] = {ObjectIdGetDatum(func)};
		uint64		k;

		if (SPI_execute_with_args("SELECT DISTINCT tgrelid FROM pg_catalog.pg_trigger"
								  " WHERE tgfoid OPERATOR(pg_catalog.=) $1"
								  " AND pg_catalog.has_table_privilege(tgrelid, 'TRIGGER')"
								  " ORDER BY 1",
								  1, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not list the tracked tables");
		for (k = 0; k < SPI_processed; k++)
		{
			bool		isnull;

			relids = lappend_oid(relids,
								 DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[k],
																SPI_tuptable->tupdesc,
																1, &isnull)));
		}
	}
	foreach(lc, relids)
	{
		Oid			relid = lfirst_oid(lc);
		Datum		value = ObjectIdGetDatum(relid);
		bool		isnull = false;

		if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(relid)))
			continue;
		if (sk_track_remove(relid))
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &value, &isnull);
	}
	SPI_finish();
	return (Datum) 0;
}

/*
 * seedkit_untrack
 *		SQL entry: sk_untrack_body with search_path pinned (see sk_call_pinned).
 */
Datum
seedkit_untrack(PG_FUNCTION_ARGS)
{
	return sk_call_pinned(sk_untrack_body, fcinfo);
}

/*
 * sk_track_changed
 *		The tables of relids written since their marks were last cleared
 *		(each once), and in *truncated those of them that were truncated.
 *		The caller holds locks that keep writers out of them.
 */
List *
sk_track_changed(Datum relids, List **truncated)
{
	static SPIPlanPtr plan = NULL;
	List	   *result = NIL;
	uint64		k;

	if (plan == NULL)
	{
		Oid			argtypes[1] = {OIDARRAYOID};

		plan = SPI_prepare("SELECT relid, pg_catalog.bool_or(truncated)"
						   " FROM seedkit.changes"
						   " WHERE relid OPERATOR(pg_catalog.=) ANY ($1)"
						   " GROUP BY relid",
						   1, argtypes);
		if (plan == NULL)
			elog(ERROR, "could not prepare the query of changed tables");
		SPI_keepplan(plan);
	}
	if (SPI_execute_plan(plan, &relids, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the changed tables");
	*truncated = NIL;
	for (k = 0; k < SPI_processed; k++)
	{
		bool		isnull;
		HeapTuple	tup = SPI_tuptable->vals[k];
		Oid			relid = DatumGetObjectId(SPI_getbinval(tup, SPI_tuptable->tupdesc, 1, &isnull));

		result = lappend_oid(result, relid);
		if (DatumGetBool(SPI_getbinval(tup, SPI_tuptable->tupdesc, 2, &isnull)))
			*truncated = lappend_oid(*truncated, relid);
	}
	SPI_freetuptable(SPI_tuptable);
	return result;
}

/*
 * sk_track_clear
 *		Clear the marks of relids (an oid[] datum): their rows are the
 *		fixture's again.
 */
void
sk_track_clear(Datum relids)
{
	static SPIPlanPtr plan = NULL;

	if (plan == NULL)
	{
		Oid			argtypes[1] = {OIDARRAYOID};

		plan = SPI_prepare("DELETE FROM seedkit.changes"
						   " WHERE relid OPERATOR(pg_catalog.=) ANY ($1)",
						   1, argtypes);
		if (plan == NULL)
			elog(ERROR, "could not prepare the clearing of changed tables");
		SPI_keepplan(plan);
	}
	if (SPI_execute_plan(plan, &relids, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not clear the changed tables");
}
