/*-------------------------------------------------------------------------
 *
 * memo.c
 *	  The fakes the collision pass of a unique column made, kept for the
 *	  rewrite of the same table, so that the rewrite does not make them a
 *	  second time.
 *
 * The collision pass (collisions.c) reads the table in physical order and
 * makes every row's first fake; seedkit_anonymise's rewrite (rewrite.c)
 * then reads the same rows in the same order under the same snapshot and
 * lock.  The memo keeps each row's fake with its tid, the rewrite takes
 * them back in order: a row whose tid is not the next one kept (or that
 * came after the memory budget ran out) has its fake made again, so the
 * memo can only save work, never change a value.  Only the text fakes
 * that are whole functions of the original are kept (see
 * sk_fake_memoable); an original given another round is made again too.
 *
 * The budget is maintenance_work_mem (at most 1 GB) per unique column.
 *
 * src/anon/memo.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/memutils.h"

#include "anon/memo.h"

/*
 * sk_memo_create
 *		An empty memo in a context of its own under parent.
 */
SkFakeMemo *
sk_memo_create(MemoryContext parent)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "seedkit fake memo",
											  ALLOCSET_DEFAULT_SIZES);
	SkFakeMemo *m = MemoryContextAllocZero(cxt, sizeof(SkFakeMemo));

	m->cxt = cxt;
	m->budget = Min((Size) maintenance_work_mem * 1024, (Size) MaxAllocSize);
	return m;
}

/*
 * sk_memo_add
 *		Keep the fake s (len bytes) of the row at tid, unless the budget
 *		would run out; then keep nothing more.
 */
void
sk_memo_add(SkFakeMemo *m, ItemPointer tid, const char *s, int len)
{
	Size		need;

	if (m->full)
		return;
	/* what the arrays and the bytes would take once doubled */
	need = (m->n + 1 >= m->cap ? 2 * Max(m->cap, 1024) : m->cap) *
		(sizeof(ItemPointerData) + sizeof(uint32)) +
		(m->len + len >= m->bytecap ? 2 * Max(m->bytecap + len, 16384) : m->bytecap);
	if (need > m->budget)
	{
		m->full = true;
		return;
	}
	if (m->n + 1 >= m->cap)
	{
		Size		cap = 2 * Max(m->cap, 1024);

		if (m->tids == NULL)
		{
			m->tids = MemoryContextAlloc(m->cxt, cap * sizeof(ItemPointerData));
			m->off = MemoryContextAlloc(m->cxt, cap * sizeof(uint32));
		}
		else
		{
			m->tids = repalloc(m->tids, cap * sizeof(ItemPointerData));
			m->off = repalloc(m->off, cap * sizeof(uint32));
		}
		m->cap = cap;
	}
	if (m->len + len >= m->bytecap)
	{
		Size		cap = 2 * Max(m->bytecap + len, 16384);

		m->bytes = m->bytes == NULL ? MemoryContextAlloc(m->cxt, cap) :
			repalloc(m->bytes, cap);
		m->bytecap = cap;
	}
	m->tids[m->n] = *tid;
	m->off[m->n] = m->len;
	memcpy(m->bytes + m->len, s, len);
	m->len += len;
	m->n++;
	m->off[m->n] = m->len;
}

/*
 * sk_memo_next
 *		The fake kept for the row at tid when it is the next one kept (the
 *		memo then moves on); false otherwise.
 */
bool
sk_memo_next(SkFakeMemo *m, ItemPointer tid, const char **s, int *len)
{
	if (m->next >= m->n || !ItemPointerEquals(&m->tids[m->next], tid))
		return false;
	*s = m->bytes + m->off[m->next];
	*len = m->off[m->next + 1] - m->off[m->next];
	m->next++;
	return true;
}

/*
 * sk_memo_free
 *		Release the memo.
 */
void
sk_memo_free(SkFakeMemo *m)
{
	MemoryContextDelete(m->cxt);
}
