/*-------------------------------------------------------------------------
 *
 * collisions.c
 *	  Unique columns keep unique fakes: the collision pass that gives some
 *	  originals another candidate (a "round"), recorded in the rounds of
 *	  the current statement (rounds.c), which seedkit_anonymise, snapshots
 *	  and every seedkit_fake state with the same key share.
 *
 * A column that is a key column of a unique index gets distinct fakes for
 * distinct originals.  The pass reads the column, groups rows by the digest
 * of their fake, and in each group of several originals (ordered by their
 * keyed digest) the first keeps its fake and each other takes the first
 * round whose fake no value of the column uses.  The result depends only on
 * the seed, the strategy and options, and the set of values in the column.
 *
 * src/anon/collisions.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_index.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "anon/collisions.h"
#include "anon/fake.h"
#include "anon/memo.h"
#include "anon/person.h"
#include "anon/prf.h"
#include "anon/rounds.h"
#include "core/core.h"

/* Candidates tried for one original before giving up. */
#define SK_MAX_ROUNDS 10000

/* One row's digests in the collision pre-pass. */
typedef struct SkEntry
{
	uint64		fake[2];
	uint64		orig[2];
	uint64		rkey[2];		/* its rounds' key (a person field's: of its
								 * identity and own value) */
	ItemPointerData tid;
} SkEntry;

/*
 * sk_datum_digest
 *		A 128-bit digest of a value's bytes (fixed key: it only compares
 *		fakes with each other).
 */
static void
sk_datum_digest(Datum d, int16 typlen, bool typbyval, uint64 out[2])
{
	static const SkKey zero = {0, 0};

	if (typlen == -1)
	{
		struct varlena *v = PG_DETOAST_DATUM_PACKED(d);

		sk_siphash128(&zero, VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), out);
	}
	else if (typbyval)
	{
		int64		x = (int64) d;

		sk_siphash128(&zero, &x, sizeof(x), out);
	}
	else if (typlen == -2)
		sk_siphash128(&zero, DatumGetCString(d), strlen(DatumGetCString(d)), out);
	else
		sk_siphash128(&zero, DatumGetPointer(d), typlen, out);
}

/*
 * sk_digest_cmp
 *		Order two 128-bit digests.
 */
static int
sk_digest_cmp(const uint64 *a, const uint64 *b)
{
	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	if (a[1] != b[1])
		return a[1] < b[1] ? -1 : 1;
	return 0;
}

/*
 * sk_entry_cmp_fake
 *		The order of the pass (bsearch): by the digest of the fake.
 */
static int
sk_entry_cmp_fake(const void *a, const void *b)
{
	return sk_digest_cmp(((const SkEntry *) a)->fake, ((const SkEntry *) b)->fake);
}

/*
 * sk_sort_by_fake: the pass's sort by fake digest, with the comparison
 * inlined (the pass sorts every row of the column).
 */
#define ST_SORT sk_sort_by_fake
#define ST_ELEMENT_TYPE SkEntry
#define ST_COMPARE(a, b) sk_digest_cmp((a)->fake, (b)->fake)
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/*
 * sk_entry_cmp_orig
 *		qsort order within a group: by the keyed digest of the original,
 *		then (rows of one person identity) by the rounds' key.
 */
static int
sk_entry_cmp_orig(const void *a, const void *b)
{
	int			c = sk_digest_cmp(((const SkEntry *) a)->orig, ((const SkEntry *) b)->orig);

	if (c != 0)
		return c;
	return sk_digest_cmp(((const SkEntry *) a)->rkey, ((const SkEntry *) b)->rkey);
}

/*
 * sk_new_digest_set
 *		A hash table keyed by 16-byte digests.
 */
static HTAB *
sk_new_digest_set(const char *name, Size entrysize)
{
	HASHCTL		ctl;

	ctl.keysize = 2 * sizeof(uint64);
	ctl.entrysize = entrysize;
	ctl.hcxt = CurrentMemoryContext;
	return hash_create(name, 1024, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

/* The state of one collision pass over a column. */
typedef struct SkCollisionPass
{
	Relation	rel;
	AttrNumber	attnum;
	const char *attname;
	Form_pg_attribute att;
	SkFakeState *st;
	HTAB	   *rounds;			/* original digest -> round, filled here */
	Snapshot	snap;
	TupleTableSlot *slot;
	MemoryContext rowcxt;		/* reset after every fake */
	SkEntry    *e;				/* every row, sorted by fake digest */
	Size		n;
	HTAB	   *used;			/* digests of the fakes rounds gave out */
	SkRowInput	input;			/* the row's input, or NULL: the column's value */
	void	   *input_arg;
	SkFakeMemo *memo;			/* keeps the first fakes for the rewrite, or NULL */
} SkCollisionPass;

/*
 * sk_row_value
 *		What the fake of the row in slot is made of: the column's value, or
 *		what pass->input makes of the row (in the current memory context).
 *		Sets *isnull when the column is null (the row keeps its null).
 */
static Datum
sk_row_value(SkCollisionPass *pass, TupleTableSlot *slot, bool *isnull)
{
	Datum		v = slot_getattr(slot, pass->attnum, isnull);

	if (*isnull || pass->input == NULL)
		return v;
	slot_getallattrs(slot);
	return pass->input(pass->input_arg, slot);
}

/*
 * sk_collision_scan
 *		Read the column: one entry per non-null row, with the digest of its
 *		first fake and the keyed digest of its original; returns them
 *		sorted by fake digest (pass->e, pass->n).  The fakes go into
 *		pass->memo too when there is one.  The scan starts at the first
 *		block (no synchronized scan), as the rewrite's does (memo.c).
 */
static void
sk_collision_scan(SkCollisionPass *pass)
{
	TableScanDesc scan = table_beginscan_strat(pass->rel, pass->snap, 0, NULL,
											   true, false);
	TupleTableSlot *slot = pass->slot;
	Size		cap = 1024;
	Size		n = 0;
	SkEntry    *e = palloc(sizeof(SkEntry) * cap);

	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		bool		isnull;
		Datum		v;
		Datum		fake;
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(pass->rowcxt);
		v = sk_row_value(pass, slot, &isnull);
		MemoryContextSwitchTo(old);
		if (isnull)
		{
			MemoryContextReset(pass->rowcxt);
			continue;
		}
		if (n == cap)
		{
			cap *= 2;
			e = repalloc_huge(e, sizeof(SkEntry) * cap);
		}
		old = MemoryContextSwitchTo(pass->rowcxt);
		fake = sk_fake_apply(pass->st, v, &isnull, 0);
		if (!isnull)
		{
			sk_datum_digest(fake, pass->att->attlen, pass->att->attbyval, e[n].fake);
			if (pass->memo != NULL)
				sk_memo_add(pass->memo, &slot->tts_tid, VARDATA_ANY(DatumGetPointer(fake)),
							VARSIZE_ANY_EXHDR(DatumGetPointer(fake)));
		}
		else
			e[n].fake[0] = e[n].fake[1] = 0;
		sk_fake_last_digest(pass->st, e[n].orig);
		sk_fake_last_round_key(pass->st, e[n].rkey);
		e[n].tid = slot->tts_tid;
		MemoryContextSwitchTo(old);
		MemoryContextReset(pass->rowcxt);
		n++;
	}
	table_endscan(scan);
	sk_sort_by_fake(e, n);
	pass->e = e;
	pass->n = n;
}

/*
 * sk_free_round
 *		The first round > 0 whose fake of the original in row tid no row of
 *		the column has and no other round gave out; records it in the
 *		rounds.  ERROR after SK_MAX_ROUNDS candidates.
 */
static void
sk_free_round(SkCollisionPass *pass, SkEntry *member)
{
	uint32		round;
	bool		isnull;
	Datum		v;

	if (!table_tuple_fetch_row_version(pass->rel, &member->tid, pass->snap, pass->slot))
		elog(ERROR, "could not fetch a row of table \"%s\"", RelationGetRelationName(pass->rel));
	v = sk_row_value(pass, pass->slot, &isnull);
	for (round = 1;; round++)
	{
		Datum		fake;
		SkEntry		probe;
		SkRoundEntry *re;
		bool		found;
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		if (round > SK_MAX_ROUNDS)
			ereport(ERROR,
					(errcode(ERRCODE_UNIQUE_VIOLATION),
					 errmsg("could not find a unique fake for a value of column \"%s\" of table \"%s\"",
							pass->attname, RelationGetRelationName(pass->rel)),
					 errdetail("Strategy \"%s\" gave only used values in 10000 candidates.",
							   sk_fake_strategy(pass->st)),
					 errhint("Use a strategy with more possible values for a unique column, such as \"hash\" or \"email\".")));
		old = MemoryContextSwitchTo(pass->rowcxt);
		isnull = false;
		fake = sk_fake_apply(pass->st, v, &isnull, round);
		sk_datum_digest(fake, pass->att->attlen, pass->att->attbyval, probe.fake);
		MemoryContextSwitchTo(old);
		MemoryContextReset(pass->rowcxt);
		if (bsearch(&probe, pass->e, pass->n, sizeof(SkEntry), sk_entry_cmp_fake) != NULL)
			continue;
		hash_search(pass->used, probe.fake, HASH_ENTER, &found);
		if (found)
			continue;
		re = hash_search(pass->rounds, member->rkey, HASH_ENTER, NULL);
		re->round = round;
		return;
	}
}

/*
 * sk_resolve_group
 *		One group of rows whose first fakes are the same (count entries
 *		from first): one member per original, in keyed digest order; the
 *		first keeps its fake (or a member already given a round in another
 *		table does), every other gets a free round.
 */
static void
sk_resolve_group(SkCollisionPass *pass, SkEntry *first, Size count)
{
	SkEntry    *group = palloc(sizeof(SkEntry) * count);
	Size		ng = 0;
	Size		k;

	memcpy(group, first, sizeof(SkEntry) * count);
	qsort(group, count, sizeof(SkEntry), sk_entry_cmp_orig);
	/* one member per original: rows of the same original share its fake */
	for (k = 0; k < count; k++)
		if (ng == 0 || sk_digest_cmp(group[k].rkey, group[ng - 1].rkey) != 0)
			group[ng++] = group[k];
	/* a value already given a round (another table) keeps its fake */
	for (k = 1; k < ng; k++)
		if (hash_search(pass->rounds, group[k].rkey, HASH_FIND, NULL) != NULL)
		{
			SkEntry		tmp = group[0];

			group[0] = group[k];
			group[k] = tmp;
			break;
		}
	for (k = 1; k < ng; k++)
	{
		if (hash_search(pass->rounds, group[k].rkey, HASH_FIND, NULL) != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNIQUE_VIOLATION),
					 errmsg("could not make the fakes of column \"%s\" of table \"%s\" unique",
							pass->attname, RelationGetRelationName(pass->rel)),
					 errdetail("Two values already given other candidates in another table collide again."),
					 errhint("Anonymise the tables in separate calls, or use a strategy with more possible values.")));
		sk_free_round(pass, &group[k]);
	}
	pfree(group);
}

/*
 * sk_resolve_collisions
 *		For a column under a unique index: find the originals whose fakes
 *		collide and give all but one of each group another round, chosen
 *		deterministically (groups and members in digest order, the first
 *		round whose fake is free).  Rounds go into the column's map.  The
 *		fakes are of the column's values, or when input is not NULL of
 *		what it makes of each row (a person field: the row's identity).
 *		With memo (st sk_fake_memoable), the first fakes are kept there for
 *		the rewrite.
 */
void
sk_resolve_collisions(Relation rel, AttrNumber attnum, const char *attname,
					  SkFakeState *st, HTAB *rounds, SkRowInput input, void *input_arg,
					  SkFakeMemo *memo)
{
	SkCollisionPass pass;
	Size		i;
	int64		cuts = sk_fake_cuts(st);

	pass.rel = rel;
	pass.attnum = attnum;
	pass.attname = attname;
	pass.att = TupleDescAttr(RelationGetDescr(rel), attnum - 1);
	pass.st = st;
	pass.rounds = rounds;
	pass.input = input;
	pass.input_arg = input_arg;
	pass.memo = memo;
	pass.snap = RegisterSnapshot(ActiveSnapshotSet() ? GetActiveSnapshot() :
								 GetLatestSnapshot());
	pass.slot = table_slot_create(rel, NULL);
	pass.rowcxt = AllocSetContextCreate(CurrentMemoryContext,
										"seedkit collision row",
										ALLOCSET_DEFAULT_SIZES);
	pass.used = sk_new_digest_set("seedkit used fakes", 2 * sizeof(uint64));

	sk_collision_scan(&pass);
	for (i = 0; i < pass.n;)
	{
		Size		j = i + 1;

		while (j < pass.n && sk_digest_cmp(pass.e[j].fake, pass.e[i].fake) == 0)
			j++;
		if (j - i > 1)
			sk_resolve_group(&pass, pass.e + i, j - i);
		i = j;
	}
	ExecDropSingleTupleTableSlot(pass.slot);
	UnregisterSnapshot(pass.snap);
	hash_destroy(pass.used);
	pfree(pass.e);
	MemoryContextDelete(pass.rowcxt);
	/* the rewrite makes these fakes again: its cuts are the ones counted */
	sk_fake_set_cuts(st, cuts);
}

/*
 * sk_unique_col
 *		Whether attnum is a key column of a unique index of rel.  Such a
 *		column gets distinct fakes for distinct originals, which keeps every
 *		unique index over it unique.
 */
bool
sk_unique_col(Relation rel, AttrNumber attnum)
{
	List	   *indexes = RelationGetIndexList(rel);
	ListCell   *lc;
	bool		result = false;

	foreach(lc, indexes)
	{
		HeapTuple	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(lfirst_oid(lc)));
		Form_pg_index ix;

		if (!HeapTupleIsValid(tup))
			continue;
		ix = (Form_pg_index) GETSTRUCT(tup);
		if (ix->indisunique)
		{
			int			i;

			for (i = 0; i < ix->indnkeyatts; i++)
				if (ix->indkey.values[i] == attnum)
					result = true;
		}
		ReleaseSysCache(tup);
	}
	list_free(indexes);
	return result;
}

/*
 * sk_person_row
 *		SkRowInput of a person field: sk_person_input.
 */
static Datum
sk_person_row(void *arg, TupleTableSlot *slot)
{
	return sk_person_input((SkPersonInput *) arg, slot);
}

/*
 * sk_rounds_of
 *		Resolve the collisions of column attnum of relid (flagged with
 *		strategy and options) into this statement's rounds, once, when it
 *		is a key column of a unique index (see sk_unique_col); for a person
 *		field whose input is other columns of the row, person_id and
 *		person_gender name them.  In a Citus tenant snapshot the rows are
 *		those of relid's shard on this node.
 */
static void
sk_rounds_of(Oid relid, AttrNumber attnum, const char *strategy, Jsonb *options,
			 AttrNumber person_id, AttrNumber person_gender)
{
	Oid			shard = sk_citus_shard_of(relid);
	Oid			rel_id = OidIsValid(shard) ? shard : relid;
	Relation	rel;

	/* a Citus tenant snapshot: the columns are the shard's (core/citus.c) */
	if (OidIsValid(shard))
	{
		attnum = get_attnum(shard, get_attname(relid, attnum, false));
		if (person_id != 0)
			person_id = get_attnum(shard, get_attname(relid, person_id, false));
		if (person_gender != 0)
			person_gender = get_attnum(shard, get_attname(relid, person_gender, false));
	}
	rel = table_open(rel_id, AccessShareLock);
	if (sk_unique_col(rel, attnum))
	{
		TupleDesc	desc = RelationGetDescr(rel);
		Form_pg_attribute att = TupleDescAttr(desc, attnum - 1);
		char	   *attname = pstrdup(NameStr(att->attname));
		SkFakeState *st;
		HTAB	   *rounds;

		st = sk_fake_prepare(strategy, options, att->atttypid, att->atttypmod,
							 false, attname, CurrentMemoryContext);
		rounds = sk_rounds_for(sk_fake_key(st), true, NULL);
		if (sk_rounds_first_time(sk_fake_key(st), relid, attnum))
		{
			sk_fake_set_rounds(st, rounds);
			if (person_id != 0)
			{
				SkPersonInput *pi = palloc0(sizeof(SkPersonInput));
				bool		varlena;

				pi->attnum = attnum;
				pi->id = person_id;
				pi->gender = person_gender;
				pi->id_bpchar = getBaseType(TupleDescAttr(desc, person_id - 1)->atttypid) == BPCHAROID;
				pi->own_bpchar = getBaseType(att->atttypid) == BPCHAROID;
				if (person_gender != 0)
					getTypeOutputInfo(TupleDescAttr(desc, person_gender - 1)->atttypid,
									  &pi->gender_out, &varlena);
				sk_resolve_collisions(rel, attnum, attname, st, rounds, sk_person_row, pi,
									  NULL);
			}
			else
			{
				/* a person field here is its own identity: values go in bare */
				sk_fake_set_person_raw(st);
				sk_resolve_collisions(rel, attnum, attname, st, rounds, NULL, NULL, NULL);
			}
		}
	}
	table_close(rel, AccessShareLock);
}

/*
 * sk_column_rounds
 *		sk_rounds_of a column whose fakes are of its own values.
 */
void
sk_column_rounds(Oid relid, AttrNumber attnum, const char *strategy, Jsonb *options)
{
	sk_rounds_of(relid, attnum, strategy, options, 0, 0);
}

/*
 * sk_person_column_rounds
 *		sk_rounds_of a person field drawn from its row's identity column
 *		person_id and gender column person_gender (0: none).
 */
void
sk_person_column_rounds(Oid relid, AttrNumber attnum, const char *strategy,
						Jsonb *options, AttrNumber person_id, AttrNumber person_gender)
{
	sk_rounds_of(relid, attnum, strategy, options, person_id, person_gender);
}
