/*-------------------------------------------------------------------------
 *
 * lock.c
 *	  The order seedkit locks tables in: ascending OID, a partitioned
 *	  table's partitions right after it (doc/hardening.md).
 *
 * src/core/lock.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "storage/lmgr.h"
#include "utils/lsyscache.h"

#include "core/core.h"

/*
 * sk_oid_cmp
 *		list_sort comparator: OIDs in ascending order, the order locks are
 *		taken in.
 */
int
sk_oid_cmp(const ListCell *a, const ListCell *b)
{
	Oid			x = lfirst_oid(a);
	Oid			y = lfirst_oid(b);

	return (x > y) - (x < y);
}

/*
 * sk_lock_in_order
 *		Lock the tables of relids in mode, in ascending OID order, each
 *		partitioned table's partitions right after it.  Sorts relids in
 *		place.
 */
void
sk_lock_in_order(List *relids, LOCKMODE mode)
{
	ListCell   *lc;

	list_sort(relids, sk_oid_cmp);
	foreach(lc, relids)
	{
		Oid			relid = lfirst_oid(lc);

		if (get_rel_relkind(relid) == RELKIND_PARTITIONED_TABLE)
			(void) find_all_inheritors(relid, mode, NULL);
		else
			LockRelationOid(relid, mode);
	}
}
