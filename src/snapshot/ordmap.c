/*-------------------------------------------------------------------------
 *
 * ordmap.c
 *	  Value-to-ordinal maps held in memory.  The ordinal of a reset key
 *	  that is the table's only key column is the row's number in key
 *	  order, that is its rank among the keys of the key table: for an
 *	  integer key these are loaded once into a sorted array, and the
 *	  writer looks the references up there by binary search instead of
 *	  joining a temporary map table to every referencing table's rows.
 *	  A map that would take more memory than a hash table may
 *	  (hash_mem_multiplier times work_mem) is not built: the writer keeps
 *	  the temporary table then.
 *
 * src/snapshot/ordmap.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "snapshot/closure.h"
#include "snapshot/ordmap.h"

/*
 * Where the keys go as the executor reads them (sk_ordmap_load): into the
 * map's array, grown within the budget; past it the statement stops.
 */
typedef struct SkKeyReceiver
{
	DestReceiver pub;
	SkOrdMap   *map;
	int64		cap;			/* room in map->keys */
	int64		limit;			/* the most keys the budget holds */
	bool		over;			/* stopped: more keys than that */
} SkKeyReceiver;

/* An inlined sort of int64 keys, ascending, that can be interrupted. */
#define ST_SORT sk_sort_keys
#define ST_ELEMENT_TYPE int64
#define ST_COMPARE(a, b) (*(a) < *(b) ? -1 : (*(a) > *(b) ? 1 : 0))
#define ST_CHECK_FOR_INTERRUPTS
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/*
 * sk_ordmap_type
 *		Whether values of a type (looking through domains) are compared as
 *		plain integers: smallint, integer, bigint.
 */
bool
sk_ordmap_type(Oid typid)
{
	switch (getBaseType(typid))
	{
		case INT2OID:
		case INT4OID:
		case INT8OID:
			return true;
		default:
			return false;
	}
}

/*
 * sk_keys_receive
 *		Keep one key (a null one numbers no row: it sorts last); false, to
 *		stop the statement, once the keys outgrow the budget.
 */
static bool
sk_keys_receive(TupleTableSlot *slot, DestReceiver *self)
{
	SkKeyReceiver *r = (SkKeyReceiver *) self;
	SkOrdMap   *map = r->map;

	slot_getsomeattrs(slot, 1);
	if (slot->tts_isnull[0])
		return true;
	if (map->n == r->cap)
	{
		if (r->cap >= r->limit)
		{
			r->over = true;
			return false;
		}
		r->cap = Min(r->cap * 2, r->limit);
		map->keys = repalloc_huge(map->keys, sizeof(int64) * r->cap);
	}
	map->keys[map->n++] = DatumGetInt64(slot->tts_values[0]);
	return true;
}

/*
 * sk_keys_startup
 *		Nothing to do when the keys start or end.
 */
static void
sk_keys_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
}

/*
 * sk_keys_shutdown
 *		See sk_keys_startup.
 */
static void
sk_keys_shutdown(DestReceiver *self)
{
}

/*
 * sk_ordmap_load
 *		The keys of t's key table (one integer key column) read under snap,
 *		sorted, in the current memory context.  NULL, nothing kept, when
 *		they would take more than a hash table may or two rows hold the
 *		same key: the caller builds the map as a table then.
 */
SkOrdMap *
sk_ordmap_load(SkTable *t, Snapshot snap)
{
	SkOrdMap   *map;
	SkKeyReceiver r;
	SPIExecuteOptions options;
	SPIPlanPtr	plan;
	char	   *sql;
	int			rc;
	int64		i;

	Assert(t->nkey == 1);
	memset(&r, 0, sizeof(r));
	r.limit = (int64) Min(get_hash_memory_limit() / sizeof(int64),
						  MaxAllocHugeSize / sizeof(int64));
	map = palloc(sizeof(SkOrdMap));
	map->n = 0;
	/* room for the rows counted: more grow it, past the limit stop it */
	r.cap = Min(Max(t->nrows, 64), r.limit);
	map->keys = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(int64) * r.cap);
	r.map = map;
	r.pub.receiveSlot = sk_keys_receive;
	r.pub.rStartup = sk_keys_startup;
	r.pub.rShutdown = sk_keys_shutdown;
	r.pub.rDestroy = sk_keys_shutdown;
	r.pub.mydest = DestNone;

	sql = psprintf("SELECT k.k0::pg_catalog.int8 FROM %s k", sk_ktable(t));
	plan = SPI_prepare(sql, 0, NULL);
	if (plan == NULL)
		elog(ERROR, "could not prepare the keys of %s: %s", t->qname,
			 SPI_result_code_string(SPI_result));
	memset(&options, 0, sizeof(options));
	options.read_only = true;
	options.dest = &r.pub;
	PushCopiedSnapshot(snap);
	UpdateActiveSnapshotCommandId();
	rc = SPI_execute_plan_extended(plan, &options);
	PopActiveSnapshot();
	if (rc < 0)
		elog(ERROR, "could not read the keys of %s: %s", t->qname,
			 SPI_result_code_string(rc));
	SPI_freeplan(plan);

	if (!r.over)
	{
		sk_sort_keys(map->keys, map->n);
		for (i = 1; i < map->n; i++)
			if (map->keys[i - 1] == map->keys[i])
				break;
		if (i >= map->n)
			return map;
	}
	pfree(map->keys);
	pfree(map);
	return NULL;
}

/*
 * sk_ordmap_find
 *		The ordinal of value in map (its rank among the keys, from 1), or 0
 *		when no row holds it.
 */
int64
sk_ordmap_find(SkOrdMap *map, int64 value)
{
	int64		lo = 0;
	int64		hi = map->n;

	while (lo < hi)
	{
		int64		mid = lo + (hi - lo) / 2;

		if (map->keys[mid] < value)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < map->n && map->keys[lo] == value ? lo + 1 : 0;
}
