/*-------------------------------------------------------------------------
 *
 * rounds.c
 *	  The registry of collision rounds: for each strategy key, the round
 *	  (candidate number) of the originals whose first fake collides in a
 *	  unique column, for the current statement.
 *
 * collisions.c fills the registry; fake.c reads it whenever it makes a fake,
 * so every state with the same key, in place and in snapshots, gives the
 * same fakes.  This file calls neither of them.
 *
 * src/anon/rounds.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "anon/prf.h"
#include "anon/rounds.h"

/*
 * Collision rounds of unique columns, by strategy key (seed, strategy and
 * options), for the current top-level statement: seedkit_anonymise fills
 * them before rewriting, a snapshot's sk_anon_expr before its rows are read,
 * and every seedkit_fake state with the same key uses them, so both sides of
 * a foreign key, and a snapshot and an in-place run over the same data, get
 * the same fakes.  Kept in a child of TopTransactionContext.
 */
typedef struct SkRoundReg
{
	SkKey		key;
	HTAB	   *rounds;
	List	   *resolved;		/* "relid/attnum" of the columns done */
	struct SkRoundReg *next;
} SkRoundReg;

static SkRoundReg *sk_registry = NULL;
static MemoryContext sk_registry_cxt = NULL;
static TimestampTz sk_registry_stmt = 0;
static bool sk_registry_callback = false;

/* Bumped whenever the registry changes: prepared states look their rounds up again. */
uint64		sk_rounds_generation = 1;

/*
 * sk_registry_xact
 *		Forget the rounds at the end of the transaction (their memory goes
 *		with TopTransactionContext).
 */
static void
sk_registry_xact(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
		event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT ||
		event == XACT_EVENT_PREPARE)
	{
		sk_registry = NULL;
		sk_registry_cxt = NULL;
		sk_rounds_generation++;
	}
}

/*
 * sk_rounds_for
 *		The collision rounds registered for key in this statement; when
 *		there are none, NULL, or a new empty table when create (and *created
 *		set, when not NULL).
 */
HTAB *
sk_rounds_for(const SkKey *key, bool create, bool *created)
{
	TimestampTz stmt = GetCurrentStatementStartTimestamp();
	SkRoundReg *r;
	MemoryContext old;
	HASHCTL		ctl;

	if (created)
		*created = false;
	if (sk_registry_cxt != NULL && sk_registry_stmt != stmt)
	{
		MemoryContextDelete(sk_registry_cxt);
		sk_registry_cxt = NULL;
		sk_registry = NULL;
		sk_rounds_generation++;
	}
	for (r = sk_registry; r != NULL; r = r->next)
		if (r->key.k0 == key->k0 && r->key.k1 == key->k1)
			return r->rounds;
	if (!create)
		return NULL;
	if (!sk_registry_callback)
	{
		RegisterXactCallback(sk_registry_xact, NULL);
		sk_registry_callback = true;
	}
	if (sk_registry_cxt == NULL)
	{
		sk_registry_cxt = AllocSetContextCreate(TopTransactionContext,
												"seedkit collision rounds",
												ALLOCSET_DEFAULT_SIZES);
		sk_registry_stmt = stmt;
	}
	old = MemoryContextSwitchTo(sk_registry_cxt);
	r = palloc(sizeof(SkRoundReg));
	r->key = *key;
	r->resolved = NIL;
	ctl.keysize = 2 * sizeof(uint64);
	ctl.entrysize = sizeof(SkRoundEntry);
	ctl.hcxt = sk_registry_cxt;
	r->rounds = hash_create("seedkit rounds", 256, &ctl,
							HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	r->next = sk_registry;
	sk_registry = r;
	sk_rounds_generation++;
	MemoryContextSwitchTo(old);
	if (created)
		*created = true;
	return r->rounds;
}

/*
 * sk_rounds_forget
 *		Drop the rounds of this statement (after an in-place run, whose
 *		tables now hold fakes the rounds no longer describe).
 */
void
sk_rounds_forget(void)
{
	if (sk_registry_cxt != NULL)
		MemoryContextDelete(sk_registry_cxt);
	sk_registry_cxt = NULL;
	sk_registry = NULL;
	sk_rounds_generation++;
}

/*
 * sk_rounds_first_time
 *		True the first time in this statement that column attnum of relid
 *		asks for the rounds of key (registered by sk_rounds_for).
 */
bool
sk_rounds_first_time(const SkKey *key, Oid relid, AttrNumber attnum)
{
	SkRoundReg *r;
	char	   *id = psprintf("%u/%d", relid, attnum);
	ListCell   *lc;
	MemoryContext old;

	for (r = sk_registry; r != NULL; r = r->next)
		if (r->key.k0 == key->k0 && r->key.k1 == key->k1)
			break;
	if (r == NULL)
		return true;
	foreach(lc, r->resolved)
		if (strcmp((char *) lfirst(lc), id) == 0)
			return false;
	old = MemoryContextSwitchTo(sk_registry_cxt);
	r->resolved = lappend(r->resolved, pstrdup(id));
	MemoryContextSwitchTo(old);
	return true;
}
