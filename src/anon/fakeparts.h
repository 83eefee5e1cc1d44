/*-------------------------------------------------------------------------
 *
 * fakeparts.h
 *	  The state of one prepared strategy, shared by fake.c (strategies and
 *	  seedkit_fake) and fakeparts.c (the pieces fakes are made of).
 *
 * src/anon/fakeparts.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_ANON_FAKEPARTS_H
#define SEEDKIT_ANON_FAKEPARTS_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/hsearch.h"

#include "anon/fake.h"
#include "anon/prf.h"
#include "anon/wordlists.h"

/* One strategy prepared for one type: options, key, type I/O, buffers. */
struct SkFakeState
{
	const struct SkStrategyDef *def;
	SkLocale   *loc;
	SkKey		key;
	Oid			typid;			/* declared type, maybe a domain */
	Oid			basetype;
	int32		typmod;			/* of the base type */
	int			cls;			/* A_* class of the base type */
	bool		fast_text;		/* text, varchar or bpchar */
	bool		is_bpchar;
	bool		is_domain;
	void	   *domain_extra;
	FmgrInfo	inproc;
	FmgrInfo	outproc;
	Oid			ioparam;
	MemoryContext mcxt;
	StringInfoData buf;
	StringInfoData afirst;		/* scratch of emails and usernames: ASCII */
	StringInfoData alast;		/* given name and surname (sk_person_ascii) */
	/* options */
	int			days;
	double		percent;
	int			hash_len;
	int			keep_first;
	int			keep_last;
	char	   *mask;
	char	   *domain;
	char	   *format;
	char	   *brand;
	char	   *country;
	bool		code;
	char	   *gen_to;			/* generalize: month or year */
	double		gen_step;		/* generalize: width of a number range */
	char	   *function;		/* function: its qualified name */
	char	   *list;			/* pick: the table */
	char	   *list_column;	/* pick: its column */
	void	   *custom;			/* function or pick, prepared (custom.c) */
	Datum		constval;
	bool		constnull;
	/* collision rounds (seedkit_anonymise on unique columns) */
	HTAB	   *rounds;
	uint64		rounds_gen;		/* sk_rounds_generation rounds was read at */
	uint64		digest[2];
	uint64		rdigest[2];		/* the rounds' key of the original */
	/* fitting the column (sk_fit_candidates) */
	char	   *colname;
	StringInfo	first;			/* the first candidate, cut when none fits */
	int64		truncated;		/* fakes cut, for one NOTICE */
	bool		truncated_cb;	/* that NOTICE's callback registered */
	struct DomainConstraintRef *domref;
	struct ExprContext *domecxt;
	/* a field of a coherent person (option "person", person.c) */
	bool		person;
	bool		person_raw;		/* its input is its own value, the bare
								 * identity (no gender column): never split */
	SkKey		rkey;			/* its collision rounds' key (see sk_fake_key) */
	int			nfit;			/* fields of its group in limited columns ... */
	char	  **fit_field;		/* ... their strategies ... */
	int		   *fit_max;		/* ... lengths (email: without the domain), -1:
								 * none ... */
	void	  **fit_domain;		/* ... and domains with constraints (person.c) */
	uint64		fit_sig;		/* a digest of the list, for the person cache */
};

/* fakeparts.c */
extern void sk_pick(SkFakeState *st, SkRng *rng, SkList list, StringInfo out, StringInfo ascii);
extern void sk_pick_given(SkFakeState *st, SkRng *rng, bool female, StringInfo out, StringInfo ascii);
extern void sk_pick_last(SkFakeState *st, SkRng *rng, StringInfo out, StringInfo ascii);
extern void sk_full_name(SkFakeState *st, SkRng *rng, StringInfo out);
extern void sk_digits(SkRng *rng, const char *fmt, StringInfo out);
extern void sk_template(SkFakeState *st, SkRng *rng, const char *tpl, StringInfo out);
extern const char *sk_pick_format(SkFakeState *st, SkRng *rng, SkList list);
extern void sk_email(SkFakeState *st, SkRng *rng, StringInfo out);
extern bool sk_email_short(SkFakeState *st, SkRng *rng, int maxchars,
						   bool numbered, StringInfo out);
extern void sk_username(SkFakeState *st, SkRng *rng, StringInfo out);
extern void sk_iban(SkFakeState *st, SkRng *rng, const char *s, int len, StringInfo out);
extern void sk_credit_card(SkFakeState *st, SkRng *rng, char sep, StringInfo out);
extern void sk_lorem(SkFakeState *st, SkRng *rng, int nchars, StringInfo out);
extern void sk_partial(SkFakeState *st, SkRng *rng, bool vary, const char *s,
					   int len, StringInfo out);
extern void sk_hex(SkRng *rng, int length, StringInfo out);
extern void sk_uuid_bytes(SkRng *rng, unsigned char *u);
extern void sk_ip_bytes(SkRng *rng, bool v6, unsigned char *a);
extern void sk_mask_bits(unsigned char *a, int nbytes, int bits);
extern void sk_country(SkFakeState *st, SkRng *rng, StringInfo out);
extern void sk_ip_text(const unsigned char *a, bool v6, int bits, StringInfo out);
extern void sk_locale_country(SkFakeState *st, StringInfo out);

#endif							/* SEEDKIT_ANON_FAKEPARTS_H */
