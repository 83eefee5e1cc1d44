/*-------------------------------------------------------------------------
 *
 * wordlists.h
 *	  The locales and their word lists (wordlists.c).
 *
 * src/anon/wordlists.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_ANON_WORDLISTS_H
#define SEEDKIT_ANON_WORDLISTS_H

#include "postgres.h"

/* Where the ASCII form of a word-list entry is: len -1 until built. */
typedef struct SkAscii
{
	uint32		off;			/* in SkWords.apack */
	int32		len;
} SkAscii;

/* One word list of a locale, set up on first use. */
typedef struct SkWords
{
	const char *src;			/* hand-written: comma-separated, "text:reading" */
	const char *const *arr;		/* generated from Faker: the entries */
	int			narr;
	bool		tpl;			/* entries are templates (sk_template) */
	int			n;				/* -1 until set up */
	const char **w;				/* display forms */
	int		   *wlen;
	char	   *pack;			/* the display forms in one block ... */
	uint32	   *off;			/* ... entry i at off[i], n + 1 offsets */
	const char **reading;		/* hand-written readings, or NULL */
	SkAscii    *ascii;			/* ASCII forms, each built on first use ... */
	char	   *apack;			/* ... into this block */
	uint32		apack_len;
	uint32		apack_cap;
} SkWords;

typedef enum SkList
{
	SK_FEMALE,
	SK_FEMALE_SUF,				/* ja_JP: given names are composed */
	SK_MALE,
	SK_MALE_SUF,
	SK_LAST,					/* whole surnames, real ones only */
	SK_STREET,
	SK_STREET_TYPE,
	SK_CITY,
	SK_COMPANY_WORD,
	SK_COMPANY_FORMAT,			/* templates, see sk_template in fakeparts.c */
	SK_STREET_FORMAT,
	SK_PHONE_FORMAT,
	SK_POSTCODE_FORMAT,
	SK_REGION,
	SK_LOREM,
	SK_LAST_FEMALE,				/* surnames by gender, where the language has them */
	SK_LAST_MALE,
	SK_NLISTS
} SkList;

typedef struct SkLocale
{
	const char *name;
	const char *faker;			/* Faker's name of the locale */
	SkWords		lists[SK_NLISTS];
	SkWords    *refs;			/* Faker's lists, "{N}" in templates */
	int			nrefs;
	uint32		hand;			/* bit per SkList: hand-written */
	const char *iban_country;
	bool		family_first;	/* ja_JP: family name, then given name */
	bool		two_surnames;	/* es_ES: paternal and maternal surname */
	bool		middle_names;	/* a middle name or initial in full names */
	const char *name_sep;		/* between name parts */
} SkLocale;

extern SkLocale *sk_find_locale(const char *name);
extern const char *sk_locale_names(void);
extern int	sk_locale_count(void);
extern SkLocale *sk_locale_at(int i);
extern const char *sk_faker_version(void);
extern SkWords *sk_words(SkLocale *loc, SkList list);
extern SkWords *sk_ref_words(SkLocale *loc, int i);
extern const char *sk_word_ascii(SkWords *words, int i, int *len);

#endif							/* SEEDKIT_ANON_WORDLISTS_H */
