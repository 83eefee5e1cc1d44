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

/* Keys fetched from the key table at a time. */
#define SK_ORDMAP_FETCH 10000

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
 * sk_ordmap_cmp
 *		qsort comparator of int64 keys.
 */
static int
sk_ordmap_cmp(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return x < y ? -1 : (x > y ? 1 : 0);
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
	Size		budget = get_hash_memory_limit();
	int64		cap;
	int64		i;
	SPIPlanPtr	plan;
	Portal		portal;
	char	   *sql;

	Assert(t->nkey == 1);
	if ((Size) t->nrows > budget / sizeof(int64))
		return NULL;
	map = palloc(sizeof(SkOrdMap));
	map->n = 0;
	cap = Max(t->nrows, 64);
	map->keys = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(int64) * cap);

	sql = psprintf("SELECT k.k0::pg_catalog.int8 FROM %s k", sk_ktable(t));
	plan = SPI_prepare(sql, 0, NULL);
	if (plan == NULL)
		elog(ERROR, "could not prepare the keys of %s: %s", t->qname,
			 SPI_result_code_string(SPI_result));
	PushCopiedSnapshot(snap);
	UpdateActiveSnapshotCommandId();
	portal = SPI_cursor_open(NULL, plan, NULL, NULL, true);
	PopActiveSnapshot();
	if (portal == NULL)
		elog(ERROR, "could not open a cursor on the keys of %s: %s", t->qname,
			 SPI_result_code_string(SPI_result));
	for (;;)
	{
		uint64		n;

		SPI_cursor_fetch(portal, true, SK_ORDMAP_FETCH);
		if (SPI_processed == 0)
			break;
		if (map->n + (int64) SPI_processed > cap)
		{
			/* more rows than counted: grow, within the budget */
			cap = Max(cap * 2, map->n + (int64) SPI_processed);
			if ((Size) cap > budget / sizeof(int64))
			{
				SPI_freetuptable(SPI_tuptable);
				SPI_cursor_close(portal);
				SPI_freeplan(plan);
				pfree(map->keys);
				pfree(map);
				return NULL;
			}
			map->keys = repalloc_huge(map->keys, sizeof(int64) * cap);
		}
		for (n = 0; n < SPI_processed; n++)
		{
			bool		isnull;
			Datum		d = SPI_getbinval(SPI_tuptable->vals[n],
										  SPI_tuptable->tupdesc, 1, &isnull);

			/* no row is numbered by a null key: it sorts last */
			if (!isnull)
				map->keys[map->n++] = DatumGetInt64(d);
		}
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
	SPI_freeplan(plan);

	qsort(map->keys, map->n, sizeof(int64), sk_ordmap_cmp);
	for (i = 1; i < map->n; i++)
		if (map->keys[i - 1] == map->keys[i])
		{
			pfree(map->keys);
			pfree(map);
			return NULL;
		}
	return map;
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
