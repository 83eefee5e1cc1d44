/*-------------------------------------------------------------------------
 *
 * copyfake.c
 *	  Per-copy fakes for restore's copies => N: the strategy of a flagged
 *	  column under its key mixed with the copy number.
 *
 * Copy 1 keeps the document's value (a plain restore).  Copy k > 1 gets
 * F(seed, strategy, options, k, value): the strategy's own key is derived
 * once more with the copy number, so the same value gives the same fake
 * everywhere inside copy k (the references to a flagged key take the same
 * flag), and another fake in every other copy.  Collision rounds are not
 * used: they belong to the plain key of seedkit_anonymise and snapshots.
 *
 * src/anon/copyfake.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/lsyscache.h"

#include "anon/anon.h"
#include "anon/fake.h"
#include "anon/fakeparts.h"
#include "anon/flags.h"
#include "anon/prf.h"
#include "anon/rounds.h"

/* The strategy of one flagged column, prepared for per-copy fakes. */
struct SkCopyFake
{
	SkFakeState *st;
	SkKey		base;			/* the strategy's key (seed, options) */
	int32		copy;			/* the copy st's key is mixed for, 0: none */
};

/*
 * sk_anon_copy_prepare
 *		The per-copy fakes of column attnum of relid, allocated in mcxt, or
 *		NULL when no flag applies to it (its own, or the one of the column it
 *		references).  Reads seedkit.flag and the seed: call it under the
 *		pinned settings.
 */
SkCopyFake *
sk_anon_copy_prepare(Oid relid, AttrNumber attnum, MemoryContext mcxt)
{
	SkFlag	   *f = sk_flag_applying(relid, attnum);
	SkCopyFake *cf;
	Oid			typid;
	int32		typmod;
	Oid			collid;

	if (f == NULL)
		return NULL;
	get_atttypetypmodcoll(relid, attnum, &typid, &typmod, &collid);
	cf = MemoryContextAllocZero(mcxt, sizeof(SkCopyFake));
	cf->st = sk_fake_prepare(f->strategy, f->options, typid, typmod, false,
							 get_attname(relid, attnum, false), mcxt);
	cf->base = *sk_fake_key(cf->st);
	return cf;
}

/*
 * sk_anon_copy_value
 *		The value text of the column in copy number copy: value itself in
 *		copy 1 (and for SQL null, value NULL), else the fake of copy copy.
 *		Returns NULL for SQL null; allocated in the current memory context.
 */
char *
sk_anon_copy_value(SkCopyFake *cf, int32 copy, const char *value)
{
	SkFakeState *st = cf->st;
	Datum		d;
	bool		isnull = false;

	if (value == NULL)
		return NULL;
	if (copy <= 1)
		return pstrdup(value);
	if (cf->copy != copy)
	{
		char		label[32];
		int			len;

		len = snprintf(label, sizeof(label), "seedkit copy %d", (int) copy);
		sk_derive_key(&cf->base, label, len, &st->key);
		/* no collision rounds were ever made under this key */
		st->rounds = NULL;
		st->rounds_gen = sk_rounds_generation;
		cf->copy = copy;
	}
	d = InputFunctionCall(&st->inproc, (char *) value, st->ioparam, st->typmod);
	d = sk_fake_apply(st, d, &isnull, 0);
	if (isnull)
		return NULL;
	return OutputFunctionCall(&st->outproc, d);
}
