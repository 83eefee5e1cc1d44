/*-------------------------------------------------------------------------
 *
 * anon_internal.h
 *	  Interfaces shared by the anonymisation files: keyed PRF (prf.c),
 *	  word lists (wordlists.c), ICU helpers (icu.c), fakes (fake.c),
 *	  collision rounds (rounds.c), the collision pass (collisions.c),
 *	  flags (flags.c) and the rewrite of a table (rewrite.c).
 *
 * src/anon/anon_internal.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_ANON_H
#define SEEDKIT_ANON_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/hsearch.h"
#include "utils/jsonb.h"
#include "utils/relcache.h"
#include "utils/snapshot.h"

#include "core/core.h"

/* prf.c: SipHash-2-4 keyed by a 128-bit key derived from the seed */
typedef struct SkKey
{
	uint64		k0;
	uint64		k1;
} SkKey;

/* A deterministic stream of 64-bit values derived from one digest. */
typedef struct SkRng
{
	SkKey		key;
	uint64		d0;
	uint64		d1;
	uint64		ctr;
} SkRng;

extern void sk_siphash128(const SkKey *key, const void *data, size_t len,
						  uint64 out[2]);
extern void sk_master_key(SkKey *key);
extern void sk_derive_key(const SkKey *master, const char *label, size_t len,
						  SkKey *out);
extern void sk_rng_init(SkRng *rng, const SkKey *key, const void *data,
						size_t len, uint32 round);
extern uint64 sk_rng_next(SkRng *rng);
extern uint32 sk_rng_below(SkRng *rng, uint32 n);

/* wordlists.c: the word lists of one locale, parsed on first use */
typedef struct SkWords
{
	const char *src;			/* comma-separated; "text:reading" for ja_JP */
	int			n;				/* -1 until parsed */
	const char **w;				/* display forms */
	int		   *wlen;
	const char **ascii;			/* ASCII forms, built on first use */
} SkWords;

typedef enum SkList
{
	SK_FEMALE,
	SK_FEMALE_SUF,				/* ja_JP: given names are composed */
	SK_MALE,
	SK_MALE_SUF,
	SK_LAST,					/* whole surnames */
	SK_LAST_PRE,				/* surname beginnings ... */
	SK_LAST_SUF,				/* ... and endings, composed */
	SK_STREET,
	SK_STREET_TYPE,
	SK_CITY,
	SK_COMPANY_WORD,
	SK_COMPANY_FORMAT,			/* templates, see sk_template in fakeparts.c */
	SK_STREET_FORMAT,
	SK_PHONE_FORMAT,
	SK_LOREM,
	SK_NLISTS
} SkList;

typedef struct SkLocale
{
	const char *name;
	SkWords		lists[SK_NLISTS];
	const char *postcode_format;
	const char *iban_country;
	bool		family_first;	/* ja_JP: family name, then given name */
	bool		two_surnames;	/* es_ES: paternal and maternal surname */
	bool		middle_names;	/* a middle name or initial in full names */
	const char *name_sep;		/* between name parts */
} SkLocale;

extern SkLocale *sk_find_locale(const char *name);
extern const char *sk_locale_names(void);
extern SkWords *sk_words(SkLocale *loc, SkList list);
extern const char *sk_word_ascii(SkWords *words, int i);

/* icu.c */
extern char *sk_icu_to_ascii(const char *s, int len);
extern int	sk_icu_graphemes(const char *s, int len, int **offsets);
extern void sk_icu_scramble(SkRng *rng, const char *s, int len, StringInfo out);
extern void sk_icu_require_utf8(void);

/* fake.c */
typedef struct SkFakeState SkFakeState;
extern SkFakeState *sk_fake_prepare(const char *strategy, Jsonb *options,
									Oid typid, int32 typmod, bool column_notnull,
									const char *colname, MemoryContext mcxt);
extern Datum sk_fake_apply(SkFakeState *st, Datum value, bool *isnull,
						   uint32 round);
extern const char *sk_strategy_names(void);
extern void sk_fake_validate(const char *strategy, Jsonb *options, Oid typid,
							 int32 typmod, bool column_notnull,
							 const char *colname);
extern bool sk_strategy_takes(const char *strategy, const char *option);
extern void sk_fake_set_rounds(SkFakeState *st, HTAB *rounds);
extern void sk_fake_last_digest(SkFakeState *st, uint64 out[2]);
extern const char *sk_fake_strategy(SkFakeState *st);
extern const SkKey *sk_fake_key(SkFakeState *st);

/* rounds.c: the collision rounds of this statement, by strategy key */
typedef struct SkRoundEntry
{
	uint64		digest[2];		/* keyed digest of an original */
	uint32		round;
} SkRoundEntry;

extern uint64 sk_rounds_generation;
extern HTAB *sk_rounds_for(const SkKey *key, bool create, bool *created);
extern bool sk_rounds_first_time(const SkKey *key, Oid relid, AttrNumber attnum);
extern void sk_rounds_forget(void);

/* collisions.c: unique columns keep unique fakes */
extern bool sk_unique_col(Relation rel, AttrNumber attnum);
extern void sk_resolve_collisions(Relation rel, AttrNumber attnum,
								  const char *attname, SkFakeState *st,
								  HTAB *rounds);
extern void sk_column_rounds(Oid relid, AttrNumber attnum, const char *strategy,
							 Jsonb *options);

/* flags.c: which flag applies to a column */
typedef struct SkFlag
{
	AttrNumber	attnum;
	char	   *attname;
	char	   *strategy;
	Jsonb	   *options;
} SkFlag;

extern List *sk_effective_flags(Oid relid);
extern List *sk_referencing_closure(List *relids);
extern void sk_check_foreign_keys(List *run);
extern void sk_check_owner(Oid relid, const char *what);
extern void sk_check_table(Oid relid, bool flagging);
extern void sk_check_partition_key(Oid root, const char *attname);
extern void sk_reanchor(Oid relid);

/* A flagged column being anonymised in place. */
typedef struct SkAnonCol
{
	AttrNumber	attnum;
	char	   *attname;
	SkFakeState *st;
	bool		unique;			/* a key column of a unique index */
	bool		notnull;
} SkAnonCol;

/* A table of a seedkit_anonymise run. */
typedef struct SkAnonTable
{
	Oid			relid;
	char	   *name;
	int			ncols;
	SkAnonCol  *cols;
	List	   *flags;			/* SkFlag, in cols' order */
	bool		copy_only;		/* values already replaced (triggers => true) */
} SkAnonTable;

/* rewrite.c: one table's rewrite by seedkit_anonymise */
extern int64 sk_rewrite(Relation rel, SkAnonTable *t, Snapshot snap,
						SkProgress *progress);
extern void sk_update_with_triggers(SkAnonTable *t, List *flags);

#endif							/* SEEDKIT_ANON_H */
