/*-------------------------------------------------------------------------
 *
 * shim.c
 *	  Just enough of the backend for src/restore/reader.c to run outside the server.
 *
 * Memory contexts are lists of malloc'd chunks with reset callbacks, so an
 * ERROR (a siglongjmp back to the fuzz target, as the backend's error
 * recovery would) followed by a reset of the top context frees everything,
 * and AddressSanitizer's leak check sees whatever json.c did not give an
 * owner.  ereport records its SQLSTATE and message for the target to check.
 * StringInfo, List and the UTF-8 conversion are the backend's, simplified.
 *
 * test/fuzz/shim.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "utils/memutils.h"

#include "shim.h"

#undef vsnprintf
#undef snprintf
#undef vfprintf

typedef struct ShimChunk
{
	struct ShimCtx *ctx;
	struct ShimChunk *prev;
	struct ShimChunk *next;
	Size		size;
	Size		pad;			/* keeps the data 16-byte aligned */
} ShimChunk;

typedef struct ShimCtx
{
	const char *name;
	struct ShimCtx *parent;
	struct ShimCtx *firstchild;
	struct ShimCtx *nextchild;
	ShimChunk  *chunks;
	MemoryContextCallback *callbacks;
} ShimCtx;

MemoryContext CurrentMemoryContext = NULL;
sigjmp_buf *shim_error_jmp = NULL;
ShimError	shim_error;

static int	shim_elevel;

/*
 * shim_alloc
 *		A chunk of size bytes owned by ctx.
 */
static void *
shim_alloc(MemoryContext context, Size size, bool zero)
{
	ShimCtx    *ctx = (ShimCtx *) context;
	ShimChunk  *c;

	if (ctx == NULL)
		abort();
	if (!AllocSizeIsValid(size))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("invalid memory alloc request size %zu", size)));
	c = zero ? calloc(1, sizeof(ShimChunk) + size) : malloc(sizeof(ShimChunk) + size);
	if (c == NULL)
		abort();
	c->ctx = ctx;
	c->size = size;
	c->prev = NULL;
	c->next = ctx->chunks;
	if (ctx->chunks)
		ctx->chunks->prev = c;
	ctx->chunks = c;
	return (char *) c + sizeof(ShimChunk);
}

/*
 * shim_unlink
 *		Take a chunk out of its context's list; returns its header.
 */
static ShimChunk *
shim_unlink(void *pointer)
{
	ShimChunk  *c = (ShimChunk *) ((char *) pointer - sizeof(ShimChunk));

	if (c->prev)
		c->prev->next = c->next;
	else
		c->ctx->chunks = c->next;
	if (c->next)
		c->next->prev = c->prev;
	return c;
}

void *
palloc(Size size)
{
	return shim_alloc(CurrentMemoryContext, size, false);
}

void *
palloc0(Size size)
{
	return shim_alloc(CurrentMemoryContext, size, true);
}

void *
MemoryContextAlloc(MemoryContext context, Size size)
{
	return shim_alloc(context, size, false);
}

void *
MemoryContextAllocZero(MemoryContext context, Size size)
{
	return shim_alloc(context, size, true);
}

void *
MemoryContextAllocExtended(MemoryContext context, Size size, int flags)
{
	return shim_alloc(context, size, (flags & MCXT_ALLOC_ZERO) != 0);
}

void
pfree(void *pointer)
{
	free(shim_unlink(pointer));
}

void *
repalloc(void *pointer, Size size)
{
	ShimChunk  *c = (ShimChunk *) ((char *) pointer - sizeof(ShimChunk));
	ShimCtx    *ctx = c->ctx;
	void	   *fresh;

	if (!AllocSizeIsValid(size))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("invalid memory alloc request size %zu", size)));
	fresh = shim_alloc((MemoryContext) ctx, size, false);
	memcpy(fresh, pointer, Min(size, c->size));
	pfree(pointer);
	return fresh;
}

char *
MemoryContextStrdup(MemoryContext context, const char *string)
{
	Size		len = strlen(string) + 1;
	char	   *s = shim_alloc(context, len, false);

	memcpy(s, string, len);
	return s;
}

char *
pstrdup(const char *in)
{
	return MemoryContextStrdup(CurrentMemoryContext, in);
}

char *
pnstrdup(const char *in, Size len)
{
	char	   *s = shim_alloc(CurrentMemoryContext, len + 1, false);

	len = strnlen(in, len);
	memcpy(s, in, len);
	s[len] = '\0';
	return s;
}

char *
psprintf(const char *fmt,...)
{
	va_list		ap;
	int			n;
	char	   *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = shim_alloc(CurrentMemoryContext, n + 1, false);
	va_start(ap, fmt);
	vsnprintf(s, n + 1, fmt, ap);
	va_end(ap);
	return s;
}

MemoryContext
AllocSetContextCreateInternal(MemoryContext parent, const char *name,
							  Size minContextSize, Size initBlockSize,
							  Size maxBlockSize)
{
	ShimCtx    *ctx = calloc(1, sizeof(ShimCtx));
	ShimCtx    *p = (ShimCtx *) parent;

	if (ctx == NULL)
		abort();
	ctx->name = name;
	ctx->parent = p;
	if (p)
	{
		ctx->nextchild = p->firstchild;
		p->firstchild = ctx;
	}
	return (MemoryContext) ctx;
}

void
MemoryContextRegisterResetCallback(MemoryContext context, MemoryContextCallback *cb)
{
	ShimCtx    *ctx = (ShimCtx *) context;

	cb->next = ctx->callbacks;
	ctx->callbacks = cb;
}

void
MemoryContextReset(MemoryContext context)
{
	ShimCtx    *ctx = (ShimCtx *) context;

	/* callbacks first, newest first, as the backend does */
	while (ctx->callbacks)
	{
		MemoryContextCallback *cb = ctx->callbacks;

		ctx->callbacks = cb->next;
		cb->func(cb->arg);
	}
	while (ctx->firstchild)
		MemoryContextDelete((MemoryContext) ctx->firstchild);
	while (ctx->chunks)
	{
		ShimChunk  *c = ctx->chunks;

		ctx->chunks = c->next;
		free(c);
	}
}

void
MemoryContextDelete(MemoryContext context)
{
	ShimCtx    *ctx = (ShimCtx *) context;
	ShimCtx   **link;

	MemoryContextReset(context);
	if (ctx->parent)
	{
		for (link = &ctx->parent->firstchild; *link; link = &(*link)->nextchild)
		{
			if (*link == ctx)
			{
				*link = ctx->nextchild;
				break;
			}
		}
	}
	if (CurrentMemoryContext == context)
		CurrentMemoryContext = (MemoryContext) ctx->parent;
	free(ctx);
}

/* ---- ereport ---- */

bool
errstart_cold(int elevel, const char *domain)
{
	return errstart(elevel, domain);
}

bool
errstart(int elevel, const char *domain)
{
	if (elevel < ERROR)
		return false;
	shim_elevel = elevel;
	memset(&shim_error, 0, sizeof(shim_error));
	return true;
}

int
errcode(int sqlerrcode)
{
	shim_error.sqlerrcode = sqlerrcode;
	return 0;
}

int
errmsg(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(shim_error.message, sizeof(shim_error.message), fmt, ap);
	va_end(ap);
	return 0;
}

int
errdetail(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(shim_error.detail, sizeof(shim_error.detail), fmt, ap);
	va_end(ap);
	return 0;
}

int
errhint(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(shim_error.hint, sizeof(shim_error.hint), fmt, ap);
	va_end(ap);
	return 0;
}

void
errfinish(const char *filename, int lineno, const char *funcname)
{
	shim_error.raised = true;
	if (shim_elevel >= ERROR && shim_error_jmp != NULL)
		siglongjmp(*shim_error_jmp, 1);
	abort();
}

int
pg_vsnprintf(char *str, size_t count, const char *fmt, va_list args)
{
	return vsnprintf(str, count, fmt, args);
}

int
pg_snprintf(char *str, size_t count, const char *fmt,...)
{
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(str, count, fmt, ap);
	va_end(ap);
	return n;
}

int
pg_fprintf(FILE *stream, const char *fmt,...)
{
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vfprintf(stream, fmt, ap);
	va_end(ap);
	return n;
}

/* ---- StringInfo ---- */

void
initStringInfo(StringInfo str)
{
	str->data = palloc(1024);
	str->maxlen = 1024;
	str->len = 0;
	str->data[0] = '\0';
	str->cursor = 0;
}

void
resetStringInfo(StringInfo str)
{
	str->data[0] = '\0';
	str->len = 0;
	str->cursor = 0;
}

void
enlargeStringInfo(StringInfo str, int needed)
{
	int			newlen;

	if (needed < 0 || ((Size) needed) >= (MaxAllocSize - (Size) str->len))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("out of memory")));
	needed += str->len + 1;
	if (needed <= str->maxlen)
		return;
	newlen = 2 * str->maxlen;
	while (needed > newlen)
		newlen = 2 * newlen;
	if (newlen > (int) MaxAllocSize)
		newlen = (int) MaxAllocSize;
	str->data = repalloc(str->data, newlen);
	str->maxlen = newlen;
}

void
appendBinaryStringInfo(StringInfo str, const char *data, int datalen)
{
	enlargeStringInfo(str, datalen);
	memcpy(str->data + str->len, data, datalen);
	str->len += datalen;
	str->data[str->len] = '\0';
}

void
appendBinaryStringInfoNT(StringInfo str, const char *data, int datalen)
{
	enlargeStringInfo(str, datalen);
	memcpy(str->data + str->len, data, datalen);
	str->len += datalen;
}

/* ---- List ---- */

List *
lappend(List *list, void *datum)
{
	if (list == NIL)
	{
		list = palloc(offsetof(List, initial_elements) + 4 * sizeof(ListCell));
		list->type = T_List;
		list->length = 0;
		list->max_length = 4;
		list->elements = list->initial_elements;
	}
	else if (list->length == list->max_length)
	{
		ListCell   *cells = palloc(sizeof(ListCell) * list->max_length * 2);

		memcpy(cells, list->elements, sizeof(ListCell) * list->length);
		if (list->elements != list->initial_elements)
			pfree(list->elements);
		list->elements = cells;
		list->max_length *= 2;
	}
	list->elements[list->length++].ptr_value = datum;
	return list;
}

/* ---- encoding: the server is UTF-8 ---- */

void
pg_unicode_to_server(pg_wchar c, unsigned char *s)
{
	if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("invalid Unicode code point: %04X", c)));
	if (c <= 0x7F)
	{
		s[0] = c;
		s[1] = 0;
	}
	else if (c <= 0x7FF)
	{
		s[0] = 0xC0 | (c >> 6);
		s[1] = 0x80 | (c & 0x3F);
		s[2] = 0;
	}
	else if (c <= 0xFFFF)
	{
		s[0] = 0xE0 | (c >> 12);
		s[1] = 0x80 | ((c >> 6) & 0x3F);
		s[2] = 0x80 | (c & 0x3F);
		s[3] = 0;
	}
	else
	{
		s[0] = 0xF0 | (c >> 18);
		s[1] = 0x80 | ((c >> 12) & 0x3F);
		s[2] = 0x80 | ((c >> 6) & 0x3F);
		s[3] = 0x80 | (c & 0x3F);
		s[4] = 0;
	}
}

/* the server is UTF-8: cut before a continuation byte */
int
pg_mbcliplen(const char *mbstr, int len, int limit)
{
	if (len <= limit)
		return len;
	while (limit > 0 && (((unsigned char) mbstr[limit]) & 0xC0) == 0x80)
		limit--;
	return limit;
}

/* ---- interrupts and sorting ---- */

volatile sig_atomic_t InterruptPending = false;

void
ProcessInterrupts(void)
{
	InterruptPending = false;
}

#undef qsort
void
pg_qsort(void *base, size_t nel, size_t elsize,
		 int (*cmp) (const void *, const void *))
{
	qsort(base, nel, elsize, cmp);
}
