/*-------------------------------------------------------------------------
 *
 * person.h
 *	  The fields of one coherent fake person (person.c).
 *
 * src/anon/person.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_ANON_PERSON_H
#define SEEDKIT_ANON_PERSON_H

#include "postgres.h"

#include "access/attnum.h"
#include "lib/stringinfo.h"

#include "anon/fake.h"
#include "anon/prf.h"

/* Separates the identity from the gender column's text in a person's input. */
#define SK_PERSON_SEP '\x1f'

/* Ends the length of the field's own value before it (sk_person_compose). */
#define SK_PERSON_OWN '\x1e'

/* Where a person field's input is in a row (see sk_person_input). */
typedef struct SkPersonInput
{
	AttrNumber	attnum;			/* the field's own column */
	AttrNumber	id;				/* the person's identity column */
	AttrNumber	gender;			/* its gender column, or 0 */
	Oid			gender_out;		/* the gender column's output function */
	bool		id_bpchar;		/* the identity is char(n): trailing spaces go */
	bool		own_bpchar;		/* the field itself is char(n) */
} SkPersonInput;

extern void sk_person_compose(StringInfo out, const char *own, int ownlen,
							  const char *id, int idlen, const char *gender);
extern void sk_person_split(const char *in, int inlen, const char **id, int *idlen,
							int *gender, const char **own, int *ownlen);
extern Datum sk_person_input(const SkPersonInput *pi, struct TupleTableSlot *slot);
extern bool sk_person_is_field(const char *strategy);
extern void sk_person_fit_parse(SkFakeState *st, char *spec);
extern int	sk_person_gender(const char *s, int len);
extern bool sk_person_cached(SkFakeState *st, const char *field, const void *in,
							 int inlen, uint32 round, int gender, StringInfo out);
extern void sk_person_field(SkFakeState *st, const char *field, SkRng *rng,
							const void *in, int inlen, uint32 round, int gender,
							StringInfo out);
extern void sk_person_variant(SkFakeState *st, const char *field, SkRng *rng,
							  SkRng *vrng, const void *in, int inlen,
							  uint32 round, int gender, StringInfo out);

#endif							/* SEEDKIT_ANON_PERSON_H */
