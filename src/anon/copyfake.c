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
 * flag), and another fake in every other copy.  A fake that collides in a
 * unique column is moved to another candidate (a collision round, as
 * seedkit_anonymise does) by sk_anon_copy_retry; the rounds of a copy are
 * shared by every column of the same strategy key, so a reference follows
 * its key, and forgotten when the next copy starts.
 *
 * src/anon/copyfake.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "anon/anon.h"
#include "anon/fake.h"
#include "anon/fakeparts.h"
#include "anon/flags.h"
#include "anon/person.h"
#include "anon/prf.h"
#include "anon/rounds.h"

/* The collision rounds of one copy under one strategy key. */
typedef struct SkCopyRounds
{
	int32		copy;			/* the copy htab holds rounds of */
	HTAB	   *htab;			/* SkRoundEntry: digest -> round */
	MemoryContext cxt;			/* holds htab */
} SkCopyRounds;

/* The strategy of one flagged column, prepared for per-copy fakes. */
struct SkCopyFake
{
	SkFakeState *st;
	SkKey		base;			/* the strategy's key (seed, options) */
	SkKey		rbase;			/* its rounds' key (a person field's own) */
	int32		copy;			/* the copy st's key is mixed for, 0: none */
	SkCopyRounds *rounds;		/* shared with the same rbase key */
	/* a person field drawn from other columns of its row (person.c) */
	bool		person;
	AttrNumber	attnum;			/* its own column */
	AttrNumber	person_id;		/* its identity column */
	AttrNumber	person_gender;	/* its gender column, or 0 */
	bool		id_bpchar;		/* the identity is char(n) */
};

/*
 * sk_anon_copy_prepare
 *		The per-copy fakes of column attnum of relid, allocated in mcxt, or
 *		NULL when no flag applies to it (its own, or the one of the column it
 *		references).  others lists the SkCopyFake prepared before for the
 *		same restore: one of the same strategy key shares its collision
 *		rounds.  Reads seedkit.flag and the seed: call it under the pinned
 *		settings.
 */
SkCopyFake *
sk_anon_copy_prepare(Oid relid, AttrNumber attnum, List *others,
					 MemoryContext mcxt)
{
	SkFlag	   *f = sk_flag_applying(relid, attnum);
	SkCopyFake *cf;
	Oid			typid;
	int32		typmod;
	Oid			collid;
	ListCell   *lc;

	if (f == NULL)
		return NULL;
	get_atttypetypmodcoll(relid, attnum, &typid, &typmod, &collid);
	cf = MemoryContextAllocZero(mcxt, sizeof(SkCopyFake));
	cf->st = sk_fake_prepare(f->strategy, f->options, typid, typmod, false,
							 get_attname(relid, attnum, false), mcxt);
	/* its own identity, no gender column: its value goes in bare */
	if (f->person && f->person_id == attnum && f->person_gender == 0)
		sk_fake_set_person_raw(cf->st);
	/* a person field draws with the person key, its rounds are its own */
	if (f->person && (f->person_id != attnum || f->person_gender != 0))
	{
		cf->person = true;
		cf->attnum = attnum;
		cf->person_id = f->person_id;
		cf->person_gender = f->person_gender;
		cf->id_bpchar = getBaseType(get_atttype(relid, f->person_id)) == BPCHAROID;
	}
	cf->base = cf->st->key;
	cf->rbase = *sk_fake_key(cf->st);
	foreach(lc, others)
	{
		SkCopyFake *o = (SkCopyFake *) lfirst(lc);

		if (o->rbase.k0 == cf->rbase.k0 && o->rbase.k1 == cf->rbase.k1)
			cf->rounds = o->rounds;
	}
	if (cf->rounds == NULL)
	{
		cf->rounds = MemoryContextAllocZero(mcxt, sizeof(SkCopyRounds));
		cf->rounds->cxt = AllocSetContextCreate(mcxt, "seedkit copy rounds",
												ALLOCSET_SMALL_SIZES);
	}
	return cf;
}

/*
 * sk_anon_copy_person
 *		Whether cf's column is a person field drawn from other columns of
 *		its row; then *id and *gender are its identity and gender columns
 *		(0: none), whose texts sk_anon_copy_person_input takes.
 */
bool
sk_anon_copy_person(SkCopyFake *cf, AttrNumber *id, AttrNumber *gender)
{
	*id = cf->person ? cf->person_id : 0;
	*gender = cf->person ? cf->person_gender : 0;
	return cf->person;
}

/*
 * sk_anon_copy_person_input
 *		What the person field of cf is the fake of in a row whose column
 *		holds value and whose identity and gender columns hold id and
 *		gender (NULL: SQL null, or not in the document), as the in-place
 *		rewrite composes it (sk_person_compose): the value of
 *		sk_anon_copy_value and sk_anon_copy_retry, so that every field of
 *		the row draws the same person in every copy.  NULL when value is.
 */
char *
sk_anon_copy_person_input(SkCopyFake *cf, const char *value, const char *id,
						  const char *gender)
{
	StringInfoData buf;
	int			vlen;
	int			idlen;

	if (value == NULL)
		return NULL;
	vlen = strlen(value);
	if (cf->st->is_bpchar)
		while (vlen > 0 && value[vlen - 1] == ' ')
			vlen--;
	if (id == NULL)
	{
		id = value;
		idlen = vlen;
	}
	else
	{
		idlen = strlen(id);
		if (cf->id_bpchar)
			while (idlen > 0 && id[idlen - 1] == ' ')
				idlen--;
	}
	initStringInfo(&buf);
	sk_person_compose(&buf, cf->person_id != cf->attnum ? value : NULL, vlen,
					  id, idlen, gender);
	return buf.data;
}

/*
 * sk_copy_rounds
 *		The collision rounds of copy in cf's shared table, emptied when a
 *		new copy starts.
 */
static HTAB *
sk_copy_rounds(SkCopyFake *cf, int32 copy)
{
	SkCopyRounds *r = cf->rounds;

	if (r->copy != copy || r->htab == NULL)
	{
		HASHCTL		ctl;

		MemoryContextReset(r->cxt);
		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(uint64) * 2;
		ctl.entrysize = sizeof(SkRoundEntry);
		ctl.hcxt = r->cxt;
		r->htab = hash_create("seedkit copy rounds", 64, &ctl,
							  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		r->copy = copy;
	}
	return r->htab;
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
		sk_derive_key(&cf->rbase, label, len, &st->rkey);
		cf->copy = copy;
	}
	/* this copy's collision rounds, whatever the statement's registry holds */
	st->rounds = sk_copy_rounds(cf, copy);
	st->rounds_gen = sk_rounds_generation;
	/* a person's input (sk_anon_copy_person_input) may be longer than n */
	d = InputFunctionCall(&st->inproc, (char *) value, st->ioparam,
						  cf->person ? -1 : st->typmod);
	d = sk_fake_apply(st, d, &isnull, 0);
	if (isnull)
		return NULL;
	return OutputFunctionCall(&st->outproc, d);
}

/*
 * sk_anon_copy_retry
 *		The fake of value in copy copy (> 1) collided in a unique column:
 *		from now on in this copy, value gets the next candidate, in every
 *		column of the same strategy key.
 */
void
sk_anon_copy_retry(SkCopyFake *cf, int32 copy, const char *value)
{
	uint64		digest[2];
	SkRoundEntry *e;
	bool		found;

	if (value == NULL || copy <= 1)
		return;
	(void) sk_anon_copy_value(cf, copy, value);
	sk_fake_last_round_key(cf->st, digest);
	e = hash_search(sk_copy_rounds(cf, copy), digest, HASH_ENTER, &found);
	e->round = found ? e->round + 1 : 1;
}
