/*-------------------------------------------------------------------------
 *
 * shuffle.c
 *	  Strategy shuffle: the non-null values of a column move among its rows
 *	  by a keyed permutation.  The column keeps exactly its values and their
 *	  counts (what a statistic over the column shows stays true) while no
 *	  row keeps its own value unless it shares it with the row it receives
 *	  from.  Nulls stay where they are.
 *
 * The permutation: the rows with a value are ordered by the keyed digest of
 * their value (the strategy's key, as every fake), ties by their place in
 * the table; each row receives the value of the next row in that order,
 * the last the first's: one cycle through all rows, so it is a
 * derangement.  It depends on the seed and the column's values only, not
 * on where the rows lie, except between rows of equal value.  The values
 * are read once before the rewrite into memory (one column, one copy).
 *
 * src/anon/shuffle.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/tableam.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "anon/shuffle.h"

/* One row with a value: where it is, its value, its digest. */
typedef struct SkShuffleRow
{
	ItemPointerData tid;
	uint64		digest[2];
	int64		pos;			/* place in the scan, the tie-break */
	Datum		value;
} SkShuffleRow;

/* tid -> the value the row receives */
typedef struct SkShuffleEntry
{
	ItemPointerData tid;
	Datum		value;
} SkShuffleEntry;

struct SkShuffle
{
	HTAB	   *map;
};

/*
 * sk_is_shuffle
 *		Whether the prepared strategy is shuffle.
 */
bool
sk_is_shuffle(SkFakeState *st)
{
	return strcmp(sk_fake_strategy(st), "shuffle") == 0;
}

/*
 * sk_shuffle_cmp
 *		Order rows by digest, then by place.
 */
static int
sk_shuffle_cmp(const void *a, const void *b)
{
	const SkShuffleRow *x = (const SkShuffleRow *) a;
	const SkShuffleRow *y = (const SkShuffleRow *) b;

	if (x->digest[0] != y->digest[0])
		return x->digest[0] < y->digest[0] ? -1 : 1;
	if (x->digest[1] != y->digest[1])
		return x->digest[1] < y->digest[1] ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos ? 1 : 0;
}

/*
 * sk_shuffle_prepare
 *		Read column attnum of rel as of snap and compute where each value
 *		goes (see the file header).  Allocated in the current memory
 *		context, which must live through the rewrite.
 */
SkShuffle *
sk_shuffle_prepare(Relation rel, Snapshot snap, AttrNumber attnum, SkFakeState *st)
{
	Form_pg_attribute att = TupleDescAttr(RelationGetDescr(rel), attnum - 1);
	SkShuffle  *sh = palloc0(sizeof(SkShuffle));
	TupleTableSlot *slot = table_slot_create(rel, NULL);
	TableScanDesc scan = table_beginscan(rel, snap, 0, NULL);
	SkShuffleRow *rows;
	int64		n = 0;
	int64		cap = 1024;
	int64		i;
	HASHCTL		ctl;

	rows = palloc(sizeof(SkShuffleRow) * cap);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		bool		isnull;
		Datum		v;

		CHECK_FOR_INTERRUPTS();
		v = slot_getattr(slot, attnum, &isnull);
		if (isnull)
			continue;
		if (n == cap)
		{
			if ((Size) cap * 2 * sizeof(SkShuffleRow) >= MaxAllocHugeSize)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("too many rows to shuffle column \"%s\" of table \"%s\"",
								NameStr(att->attname), RelationGetRelationName(rel))));
			cap *= 2;
			rows = repalloc_huge(rows, sizeof(SkShuffleRow) * cap);
		}
		rows[n].tid = slot->tts_tid;
		rows[n].pos = n;
		rows[n].value = datumCopy(v, att->attbyval, att->attlen);
		(void) sk_fake_apply(st, rows[n].value, &isnull, 0);
		sk_fake_last_digest(st, rows[n].digest);
		n++;
	}
	table_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);

	qsort(rows, n, sizeof(SkShuffleRow), sk_shuffle_cmp);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(ItemPointerData);
	ctl.entrysize = sizeof(SkShuffleEntry);
	ctl.hcxt = CurrentMemoryContext;
	sh->map = hash_create("seedkit shuffle", Max(n, 16), &ctl,
						  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	for (i = 0; i < n; i++)
	{
		SkShuffleEntry *e = hash_search(sh->map, &rows[i].tid, HASH_ENTER, NULL);

		e->value = rows[(i + 1) % n].value;
	}
	pfree(rows);
	return sh;
}

/*
 * sk_shuffle_value
 *		The value the row at tid receives (value itself for a row the
 *		preparing scan did not see, which the lock rules out).
 */
Datum
sk_shuffle_value(SkShuffle *sh, ItemPointer tid, Datum value)
{
	SkShuffleEntry *e = hash_search(sh->map, tid, HASH_FIND, NULL);

	return e ? e->value : value;
}
