/*-------------------------------------------------------------------------
 *
 * stats.c
 *	  Nothing left behind in the planner's statistics: after a table's
 *	  flagged columns are rewritten, remove the statistics that still
 *	  sample their original values outside the table's own column rows.
 *
 * The rewrite (rewrite.c) drops the table's own pg_statistic rows of its
 * flagged columns and its extended statistics on them.  Three more places
 * hold samples of the same values:
 *	- pg_statistic rows of an index's expression columns (starelid is the
 *	  index), e.g. of an index on lower(email);
 *	- the statistics of the table's ancestors, partitioned or inheritance
 *	  parents, which ANALYZE computes over the whole tree (stainherit), for
 *	  the same column by name;
 *	- the extended statistics of those ancestors on that column.
 * All are removed; ANALYZE computes them again from the fakes.  An
 * ancestor the caller does not own keeps its statistics (removing them is
 * its owner's decision) and a WARNING names it.
 *
 * src/anon/stats.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/sysattr.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/heap.h"
#include "catalog/indexing.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_statistic_ext.h"
#include "commands/defrem.h"
#include "miscadmin.h"
#include "nodes/bitmapset.h"
#include "optimizer/optimizer.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/syscache.h"

#include "anon/stats.h"
#include "core/core.h"

/*
 * sk_uses_flagged
 *		Whether the Vars of exprs (varno 1) reference a flagged column of t
 *		or the whole row.
 */
static bool
sk_uses_flagged(Node *exprs, SkAnonTable *t)
{
	Bitmapset  *atts = NULL;
	int			i;

	pull_varattnos(exprs, 1, &atts);
	if (bms_is_member(0 - FirstLowInvalidHeapAttributeNumber, atts))
		return true;
	for (i = 0; i < t->ncols; i++)
		if (bms_is_member(t->cols[i].attnum - FirstLowInvalidHeapAttributeNumber, atts))
			return true;
	return false;
}

/*
 * sk_scrub_index_statistics
 *		Remove the statistics of every index of t whose expressions use a
 *		flagged column.
 */
static void
sk_scrub_index_statistics(SkAnonTable *t)
{
	Relation	rel = table_open(t->relid, NoLock);
	List	   *indexes = RelationGetIndexList(rel);
	ListCell   *lc;

	table_close(rel, NoLock);
	foreach(lc, indexes)
	{
		Oid			indexoid = lfirst_oid(lc);
		Relation	irel = index_open(indexoid, AccessShareLock);
		List	   *exprs = RelationGetIndexExpressions(irel);

		if (exprs != NIL && sk_uses_flagged((Node *) exprs, t))
			RemoveStatistics(indexoid, 0);
		index_close(irel, AccessShareLock);
	}
}

/*
 * sk_ext_stats_on
 *		The extended statistics objects of relid on column attnum or on
 *		expressions (which may use it).
 */
static List *
sk_ext_stats_on(Oid relid, AttrNumber attnum)
{
	Relation	rel = table_open(relid, NoLock);
	List	   *all = RelationGetStatExtList(rel);
	List	   *result = NIL;
	ListCell   *lc;

	table_close(rel, NoLock);
	foreach(lc, all)
	{
		Oid			stxoid = lfirst_oid(lc);
		HeapTuple	tup = SearchSysCache1(STATEXTOID, ObjectIdGetDatum(stxoid));
		Form_pg_statistic_ext form;
		bool		hit;
		int			k;

		if (!HeapTupleIsValid(tup))
			continue;
		form = (Form_pg_statistic_ext) GETSTRUCT(tup);
		hit = !heap_attisnull(tup, Anum_pg_statistic_ext_stxexprs, NULL);
		for (k = 0; k < form->stxkeys.dim1 && !hit; k++)
			hit = form->stxkeys.values[k] == attnum;
		ReleaseSysCache(tup);
		if (hit)
			result = lappend_oid(result, stxoid);
	}
	return result;
}

/*
 * sk_ancestors
 *		Every table relid inherits from, directly or not (partitioned or
 *		inheritance parents), each once.
 */
static List *
sk_ancestors(Oid relid)
{
	List	   *todo = list_make1_oid(relid);
	List	   *result = NIL;
	Relation	inh = table_open(InheritsRelationId, AccessShareLock);

	while (todo != NIL)
	{
		Oid			child = linitial_oid(todo);
		ScanKeyData key;
		SysScanDesc scan;
		HeapTuple	tup;

		todo = list_delete_first(todo);
		ScanKeyInit(&key, Anum_pg_inherits_inhrelid, BTEqualStrategyNumber,
					F_OIDEQ, ObjectIdGetDatum(child));
		scan = systable_beginscan(inh, InheritsRelidSeqnoIndexId, true, NULL, 1, &key);
		while (HeapTupleIsValid(tup = systable_getnext(scan)))
		{
			Oid			parent = ((Form_pg_inherits) GETSTRUCT(tup))->inhparent;

			if (parent == relid || list_member_oid(result, parent))
				continue;
			result = lappend_oid(result, parent);
			todo = lappend_oid(todo, parent);
		}
		systable_endscan(scan);
	}
	table_close(inh, AccessShareLock);
	return result;
}

/*
 * sk_scrub_ancestor
 *		Remove the statistics of ancestor on t's flagged columns (matched by
 *		name) and its extended statistics on them; a WARNING instead when
 *		the caller does not own it.
 */
static void
sk_scrub_ancestor(SkAnonTable *t, Oid ancestor)
{
	int			i;

	if (!pg_class_ownercheck(ancestor, GetUserId()))
	{
		ereport(WARNING,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("statistics of table \"%s\" may still hold original values of table \"%s\"",
						sk_message_name(sk_qualified_name(ancestor)), sk_message_name(t->name)),
				 errdetail("Table \"%s\" is a parent of the anonymised table, and only its owner may remove its statistics.",
						   sk_message_name(sk_qualified_name(ancestor))),
				 errhint("Run ANALYZE on table \"%s\" as its owner.", sk_message_name(sk_qualified_name(ancestor)))));
		return;
	}
	/* the lock ANALYZE takes: no one computes them again meanwhile */
	LockRelationOid(ancestor, ShareUpdateExclusiveLock);
	for (i = 0; i < t->ncols; i++)
	{
		AttrNumber	attnum = get_attnum(ancestor, t->cols[i].attname);
		ListCell   *lc;

		if (attnum == InvalidAttrNumber)
			continue;
		RemoveStatistics(ancestor, attnum);
		foreach(lc, sk_ext_stats_on(ancestor, attnum))
		{
			RemoveStatisticsDataById(lfirst_oid(lc), false);
			RemoveStatisticsDataById(lfirst_oid(lc), true);
		}
	}
}

/*
 * sk_scrub_statistics
 *		After t's rewrite: remove the statistics that still sample the
 *		original values of its flagged columns (see the file header).
 */
void
sk_scrub_statistics(SkAnonTable *t)
{
	ListCell   *lc;

	if (t->ncols == 0)
		return;
	sk_scrub_index_statistics(t);
	foreach(lc, sk_ancestors(t->relid))
		sk_scrub_ancestor(t, lfirst_oid(lc));
	CommandCounterIncrement();
}
