/*-------------------------------------------------------------------------
 *
 * fake.h
 *	  The strategies (fake.c): prepare a strategy for a column or value
 *	  type once, then make the fake of each value.
 *
 * src/anon/fake.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_ANON_FAKE_H
#define SEEDKIT_ANON_FAKE_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/hsearch.h"
#include "utils/jsonb.h"

#include "anon/prf.h"

/* One strategy prepared for one type (struct in fakeparts.h). */
typedef struct SkFakeState SkFakeState;
extern SkFakeState *sk_fake_prepare(const char *strategy, Jsonb *options,
									Oid typid, int32 typmod, bool column_notnull,
									const char *colname, MemoryContext mcxt);
extern Datum sk_fake_apply(SkFakeState *st, Datum value, bool *isnull,
						   uint32 round);
extern Datum sk_fake_apply_known(SkFakeState *st, Datum value, bool *isnull,
								 const char *known, int knownlen);
extern bool sk_fake_memoable(SkFakeState *st);
extern int64 sk_fake_cuts(SkFakeState *st);
extern void sk_fake_set_cuts(SkFakeState *st, int64 cuts);
extern const char *sk_strategy_names(void);

/*
 * The per-call-site state of seedkit_fake and seedkit_fake_inside: the
 * strategy, options and type it was prepared for, and what the caller
 * prepared (in cxt).  sk_fake_args reads their arguments; sk_call_renew
 * says whether the state must be prepared again (returning the emptied
 * cache), and sk_call_keep records what it was prepared for.
 */
typedef struct SkCallCache
{
	MemoryContext cxt;
	text	   *strategy;
	Jsonb	   *options;
	Oid			typid;
	void	   *state;
} SkCallCache;

extern bool sk_fake_args(FunctionCallInfo fcinfo, text **strategy, Jsonb **options,
						 Oid *typid);
extern SkCallCache *sk_call_renew(FunctionCallInfo fcinfo, text *strategy,
								  Jsonb *options, Oid typid);
extern void sk_call_keep(SkCallCache *cache, text *strategy, Jsonb *options, Oid typid);
extern void sk_fake_validate(const char *strategy, Jsonb *options, Oid typid,
							 int32 typmod, bool column_notnull,
							 const char *colname);
extern bool sk_strategy_takes(const char *strategy, const char *option);
extern void sk_fake_set_rounds(SkFakeState *st, HTAB *rounds);
extern void sk_fake_set_person_raw(SkFakeState *st);
extern void sk_fake_last_digest(SkFakeState *st, uint64 out[2]);
extern void sk_fake_last_round_key(SkFakeState *st, uint64 out[2]);
extern const char *sk_fake_strategy(SkFakeState *st);
extern const SkKey *sk_fake_key(SkFakeState *st);

#endif							/* SEEDKIT_ANON_FAKE_H */
