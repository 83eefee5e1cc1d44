/*-------------------------------------------------------------------------
 *
 * memo.h
 *	  The fakes a collision pass made, kept for the rewrite (memo.c).
 *
 * src/anon/memo.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_ANON_MEMO_H
#define SEEDKIT_ANON_MEMO_H

#include "postgres.h"

#include "storage/itemptr.h"

/*
 * The text fakes of a column's rows in the order a scan read them, each
 * with its row's tid; up to a memory budget.
 */
typedef struct SkFakeMemo
{
	MemoryContext cxt;
	Size		n;				/* rows kept */
	Size		cap;
	Size		next;			/* the next row sk_memo_next gives */
	ItemPointerData *tids;
	uint32	   *off;			/* n + 1 offsets into bytes */
	char	   *bytes;
	Size		len;
	Size		bytecap;
	Size		budget;			/* bytes all of it may take */
	bool		full;			/* the budget ran out: rows after n not kept */
} SkFakeMemo;

extern SkFakeMemo *sk_memo_create(MemoryContext parent);
extern void sk_memo_add(SkFakeMemo *m, ItemPointer tid, const char *s, int len);
extern bool sk_memo_next(SkFakeMemo *m, ItemPointer tid, const char **s, int *len);
extern void sk_memo_free(SkFakeMemo *m);

#endif							/* SEEDKIT_ANON_MEMO_H */
