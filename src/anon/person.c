/*-------------------------------------------------------------------------
 *
 * person.c
 *	  One coherent fake person per row: the fields of a person group
 *	  (seedkit_flag's option "person") drawn from one stream, so that the
 *	  email and username are made of the row's fake given and family
 *	  names, and city, postcode, phone and country come from one locale.
 *
 * fake.c seeds the stream with the person key (seed and locale only, not
 * the strategy) and the group's identity value, so every field of the
 * group, in every table, draws the same person for the same identity.
 * The draws come in one fixed order and stop once the asked field is
 * made: the fields never depend on which others are flagged.
 *
 * src/anon/person.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/typcache.h"

#include "anon/fakeparts.h"
#include "anon/person.h"

/* Reserved domains (RFC 2606) for fake addresses. */
static const char *const sk_person_domains[] = {
	"example.com", "example.net", "example.org"
};

/*
 * sk_person_gender
 *		The gender a gender column's text states: 1 female, 0 male, -1 when
 *		it does not say (then the person's stream decides).
 */
int
sk_person_gender(const char *s, int len)
{
	static const char *const female[] = {"f", "w", "female", "woman", "femme",
	"frau", "weiblich", "mujer", "femenino", "feminin", "féminin", "女", "女性"};
	static const char *const male[] = {"m", "h", "male", "man", "homme", "mann",
	"männlich", "hombre", "masculino", "masculin", "男", "男性"};
	char	   *low;
	int			i;

	while (len > 0 && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0)
		return -1;
	low = pnstrdup(s, len);
	for (i = 0; i < len; i++)
		if (low[i] >= 'A' && low[i] <= 'Z')
			low[i] += 'a' - 'A';
	for (i = 0; i < lengthof(female); i++)
		if (strcmp(low, female[i]) == 0)
			return 1;
	for (i = 0; i < lengthof(male); i++)
		if (strcmp(low, male[i]) == 0)
			return 0;
	return -1;
}

/*
 * sk_person_compose
 *		Append to out what a person field is the fake of: when own is not
 *		NULL (the field's own column is not the identity column), the
 *		length of own in decimal, SK_PERSON_OWN and own; then the identity
 *		(id, idlen), after SK_PERSON_OWN, its length in decimal and
 *		SK_PERSON_OWN when it holds either byte SK_PERSON_OWN or
 *		SK_PERSON_SEP (it would be misread otherwise); then SK_PERSON_SEP
 *		and the gender column's text when gender is not NULL.
 *		sk_person_split takes it apart; flags.c's sk_person_expr composes
 *		the same in SQL.
 */
void
sk_person_compose(StringInfo out, const char *own, int ownlen, const char *id,
				  int idlen, const char *gender)
{
	if (own != NULL)
	{
		char		num[12];
		int			n = pg_ltoa(ownlen, num);

		num[n++] = SK_PERSON_OWN;
		appendBinaryStringInfo(out, num, n);
		appendBinaryStringInfo(out, own, ownlen);
	}
	if (memchr(id, SK_PERSON_OWN, idlen) != NULL || memchr(id, SK_PERSON_SEP, idlen) != NULL)
	{
		char		num[13];
		int			n;

		num[0] = SK_PERSON_OWN;
		n = 1 + pg_ltoa(idlen, num + 1);
		num[n++] = SK_PERSON_OWN;
		appendBinaryStringInfo(out, num, n);
	}
	appendBinaryStringInfo(out, id, idlen);
	if (gender != NULL)
	{
		appendStringInfoChar(out, SK_PERSON_SEP);
		appendStringInfoString(out, gender);
	}
}

/*
 * sk_person_split
 *		Take a person field's input (in, inlen; see sk_person_compose)
 *		apart: the identity into *id, *idlen, the gender it states into
 *		*gender (-1: none, see sk_person_gender), the field's own value into
 *		*own, *ownlen (NULL, 0 when the input has none).  The fake is drawn
 *		from the identity and gender only; the own value only tells rows of
 *		one identity apart for a unique field's collision rounds.  An
 *		identity given with its length (it holds SK_PERSON_OWN or
 *		SK_PERSON_SEP) is taken whole.
 */
void
sk_person_split(const char *in, int inlen, const char **id, int *idlen,
				int *gender, const char **own, int *ownlen)
{
	const char *sep;
	int			i = 0;
	int64		n = 0;

	*own = NULL;
	*ownlen = 0;
	*gender = -1;
	while (i < inlen && i < 10 && in[i] >= '0' && in[i] <= '9')
		n = n * 10 + (in[i++] - '0');
	if (i > 0 && i < inlen && in[i] == SK_PERSON_OWN && n <= inlen - i - 1)
	{
		*own = in + i + 1;
		*ownlen = (int) n;
		in += i + 1 + n;
		inlen -= i + 1 + n;
	}
	/* SK_PERSON_OWN, the identity's length, SK_PERSON_OWN, the identity */
	if (inlen > 0 && in[0] == SK_PERSON_OWN)
	{
		i = 1;
		n = 0;
		while (i < inlen && i < 11 && in[i] >= '0' && in[i] <= '9')
			n = n * 10 + (in[i++] - '0');
		if (i > 1 && i < inlen && in[i] == SK_PERSON_OWN && n <= inlen - i - 1)
		{
			*id = in + i + 1;
			*idlen = (int) n;
			in += i + 1 + n;
			inlen -= i + 1 + n;
			if (inlen > 0 && in[0] == SK_PERSON_SEP)
				*gender = sk_person_gender(in + 1, inlen - 1);
			return;
		}
	}
	sep = memchr(in, SK_PERSON_SEP, inlen);
	if (sep != NULL)
	{
		*gender = sk_person_gender(sep + 1, inlen - (sep + 1 - in));
		inlen = sep - in;
	}
	*id = in;
	*idlen = inlen;
}

/*
 * sk_person_input
 *		What a person field of the row in slot (original values, every
 *		attribute deformed) is the fake of, as sk_person_compose writes it:
 *		the field's own value when it is not the identity column, the
 *		identity column's text (the field's own when the identity is null),
 *		the gender column's text when there is one and it is not null.  A
 *		text Datum.
 */
Datum
sk_person_input(const SkPersonInput *pi, TupleTableSlot *slot)
{
	bool		noid = slot->tts_isnull[pi->id - 1];
	text	   *id = DatumGetTextPP(slot->tts_values[noid ? pi->attnum - 1 : pi->id - 1]);
	int			idlen = VARSIZE_ANY_EXHDR(id);
	char	   *gender = NULL;
	text	   *v = NULL;
	int			vlen = 0;
	StringInfoData buf;

	if (noid ? pi->own_bpchar : pi->id_bpchar)
		while (idlen > 0 && VARDATA_ANY(id)[idlen - 1] == ' ')
			idlen--;
	if (pi->gender != 0 && !slot->tts_isnull[pi->gender - 1])
		gender = OidOutputFunctionCall(pi->gender_out, slot->tts_values[pi->gender - 1]);
	if (pi->attnum != pi->id)
	{
		v = DatumGetTextPP(slot->tts_values[pi->attnum - 1]);
		vlen = VARSIZE_ANY_EXHDR(v);
		if (pi->own_bpchar)
			while (vlen > 0 && VARDATA_ANY(v)[vlen - 1] == ' ')
				vlen--;
	}
	/* one allocation of the size needed (a row's every person field) */
	buf.maxlen = VARHDRSZ + (v ? vlen + 12 : 0) + 13 + idlen + (gender ? strlen(gender) + 1 : 0) + 1;
	buf.data = palloc(buf.maxlen);
	buf.len = VARHDRSZ;
	buf.cursor = 0;
	sk_person_compose(&buf, v ? VARDATA_ANY(v) : NULL, vlen, VARDATA_ANY(id), idlen, gender);
	SET_VARSIZE(buf.data, buf.len);
	return PointerGetDatum(buf.data);
}

/*
 * sk_person_is_field
 *		Whether a strategy is a field of a person.
 */
bool
sk_person_is_field(const char *strategy)
{
	static const char *const fields[] = {"first_name", "last_name", "full_name",
		"email", "username", "city", "postcode", "country", "street_address",
	"phone"};
	int			i;

	for (i = 0; i < lengthof(fields); i++)
		if (strcmp(strategy, fields[i]) == 0)
			return true;
	return false;
}

/* One person's draws (the fields before rendering with a column's options). */
typedef struct SkPersonDraw
{
	SkKey		key;			/* the person key ... */
	StringInfoData input;		/* ... the identity ... */
	uint32		round;			/* ... the collision round ... */
	int			gender;			/* ... and the gender asked */
	StringInfoData given;
	StringInfoData family;
	StringInfoData ag;			/* ASCII forms */
	StringInfoData af;
	uint32		form;
	uint32		num;
	StringInfoData city;
	StringInfoData phone;
	SkRng		rest;			/* the stream after the phone: postcode, street */
	bool		has_rest;
	StringInfoData postcode;
	StringInfoData street;
	uint64		fit_sig;		/* the lengths it was chosen to fit */
} SkPersonDraw;

/* Person candidates tried to fit the group's limited columns. */
#define SK_PERSON_FIT_TRIES 32

/*
 * The last person drawn: the fields of one row are asked one after the
 * other, each with the same stream, so all but the first are served from
 * here.  Its buffers are in a child of TopMemoryContext, reused at each
 * draw.
 */
static SkPersonDraw sk_last;
static MemoryContext sk_last_cxt = NULL;
static bool sk_last_valid = false;

/*
 * sk_person_draw
 *		Draw a person from rng (fixed order: gender, names, the email and
 *		username form and number, city, phone; postcode and street later
 *		from the stream left in d->rest) into d's buffers, emptied first,
 *		in the current memory context.
 */
static void
sk_person_draw(SkFakeState *st, SkRng *rng, int gender, SkPersonDraw *d)
{
	SkLocale   *loc = st->loc;
	bool		female;

	resetStringInfo(&d->given);
	resetStringInfo(&d->family);
	resetStringInfo(&d->ag);
	resetStringInfo(&d->af);
	resetStringInfo(&d->city);
	resetStringInfo(&d->postcode);
	resetStringInfo(&d->street);
	resetStringInfo(&d->phone);
	female = sk_rng_below(rng, 2) == 0;
	if (gender >= 0)
		female = gender == 1;
	sk_pick_given(st, rng, female, &d->given, &d->ag);
	sk_pick_last(st, rng, &d->family, &d->af);
	if (loc->two_surnames)
	{
		appendStringInfoString(&d->family, loc->name_sep);
		sk_pick_last(st, rng, &d->family, NULL);
	}
	if (d->ag.len == 0)
		appendStringInfoString(&d->ag, "user");
	if (d->af.len == 0)
		appendStringInfoString(&d->af, "name");
	d->form = sk_rng_below(rng, 4);
	d->num = sk_rng_below(rng, 1000);
	sk_pick(st, rng, SK_CITY, &d->city, NULL);
	sk_pick(st, rng, SK_PHONE_FORMAT, &d->phone, NULL);
	/* postcode and street only when asked (sk_person_rest) */
	d->rest = *rng;
	d->has_rest = false;
}

/*
 * sk_person_rest
 *		Draw the postcode, then the street, of person d from the stream left
 *		after its phone (once).
 */
static void
sk_person_rest(SkFakeState *st, SkPersonDraw *d)
{
	MemoryContext old;

	if (d->has_rest)
		return;
	old = MemoryContextSwitchTo(sk_last_cxt);
	sk_pick(st, &d->rest, SK_POSTCODE_FORMAT, &d->postcode, NULL);
	sk_pick(st, &d->rest, SK_STREET_FORMAT, &d->street, NULL);
	d->has_rest = true;
	MemoryContextSwitchTo(old);
}

static void sk_person_render(SkFakeState *st, const char *field, StringInfo out);
static bool sk_person_fits(SkFakeState *st, SkPersonDraw *d);
static void sk_person_render_num(SkFakeState *st, const char *field, uint32 num,
								 StringInfo out);

/*
 * sk_person_hit
 *		Whether the last person drawn is the one of this key, identity
 *		(in, inlen), round and gender.
 */
static bool
sk_person_hit(SkFakeState *st, const void *in, int inlen, uint32 round, int gender)
{
	SkPersonDraw *d = &sk_last;

	return sk_last_valid && d->key.k0 == st->key.k0 && d->key.k1 == st->key.k1 &&
		d->fit_sig == st->fit_sig && d->round == round && d->gender == gender && d->input.len == inlen &&
		memcmp(d->input.data, in, inlen) == 0;
}

/*
 * sk_person_cached
 *		When the last person drawn is this identity's (the same key, input,
 *		round and gender; the fields of one row come one after the other),
 *		append field to out and return true, without hashing again.
 */
bool
sk_person_cached(SkFakeState *st, const char *field, const void *in, int inlen,
				 uint32 round, int gender, StringInfo out)
{
	if (!sk_person_hit(st, in, inlen, round, gender))
		return false;
	sk_person_render(st, field, out);
	return true;
}

/*
 * sk_person_field
 *		Append field (a strategy name, see sk_person_is_field) of the person
 *		of identity (in, inlen), round and gender (as sk_person_gender
 *		returns it) to out; rng is that person's stream.  Every field comes
 *		from the same person, so the fields of one identity describe one
 *		person; a column's own "format" draws its postcode or phone from
 *		the stream again.
 */
void
sk_person_field(SkFakeState *st, const char *field, SkRng *rng, const void *in,
				int inlen, uint32 round, int gender, StringInfo out)
{
	SkPersonDraw *d = &sk_last;

	if (!sk_person_hit(st, in, inlen, round, gender))
	{
		MemoryContext old;
		SkRng		copy = *rng;

		if (sk_last_cxt == NULL)
		{
			/* the buffers live as long as the backend, reused for each person */
			sk_last_cxt = AllocSetContextCreate(TopMemoryContext, "seedkit person",
												ALLOCSET_DEFAULT_SIZES);
			old = MemoryContextSwitchTo(sk_last_cxt);
			initStringInfo(&d->input);
			initStringInfo(&d->given);
			initStringInfo(&d->family);
			initStringInfo(&d->ag);
			initStringInfo(&d->af);
			initStringInfo(&d->city);
			initStringInfo(&d->postcode);
			initStringInfo(&d->street);
			initStringInfo(&d->phone);
			MemoryContextSwitchTo(old);
		}
		sk_last_valid = false;
		old = MemoryContextSwitchTo(sk_last_cxt);
		sk_person_draw(st, &copy, gender, d);
		if (st->nfit > 0 && !sk_person_fits(st, d))
		{
			int			i;

			/* the next candidates of the stream, the first whole fit */
			for (i = 1; i < SK_PERSON_FIT_TRIES; i++)
			{
				sk_person_draw(st, &copy, gender, d);
				if (sk_person_fits(st, d))
					break;
			}
			if (i == SK_PERSON_FIT_TRIES)
			{
				/* none fits: the first, cut to length */
				copy = *rng;
				sk_person_draw(st, &copy, gender, d);
			}
		}
		resetStringInfo(&d->input);
		appendBinaryStringInfo(&d->input, in, inlen);
		MemoryContextSwitchTo(old);
		d->key = st->key;
		d->fit_sig = st->fit_sig;
		d->round = round;
		d->gender = gender;
		sk_last_valid = true;
	}
	sk_person_render(st, field, out);
}

/*
 * sk_person_render
 *		Append field of the last person drawn to out, with the column's
 *		options (domain, format, code).
 */
static void
sk_person_render(SkFakeState *st, const char *field, StringInfo out)
{
	SkPersonDraw *d = &sk_last;

	sk_person_render_num(st, field, d->num, out);
}

/*
 * sk_person_render_num
 *		sk_person_render with num as the number of the email and username.
 */
static void
sk_person_render_num(SkFakeState *st, const char *field, uint32 num, StringInfo out)
{
	SkPersonDraw *d = &sk_last;

	if (strcmp(field, "first_name") == 0)
		appendBinaryStringInfo(out, d->given.data, d->given.len);
	else if (strcmp(field, "last_name") == 0)
		appendBinaryStringInfo(out, d->family.data, d->family.len);
	else if (strcmp(field, "full_name") == 0)
		appendStringInfo(out, "%s%s%s",
						 st->loc->family_first ? d->family.data : d->given.data,
						 st->loc->name_sep,
						 st->loc->family_first ? d->given.data : d->family.data);
	else if (strcmp(field, "email") == 0)
	{
		const char *dom = st->domain ? st->domain :
			sk_person_domains[d->num % lengthof(sk_person_domains)];
		switch (d->form)
		{
			case 0:
				appendStringInfo(out, "%s.%s%u@%s", d->ag.data, d->af.data, num, dom);
				break;
			case 1:
				appendStringInfo(out, "%c%s%u@%s", d->ag.data[0], d->af.data, num, dom);
				break;
			case 2:
				appendStringInfo(out, "%s_%s%u@%s", d->ag.data, d->af.data, num, dom);
				break;
			default:
				appendStringInfo(out, "%s.%s%u@%s", d->af.data, d->ag.data, num, dom);
				break;
		}
	}
	else if (strcmp(field, "username") == 0)
	{
		switch (d->form)
		{
			case 0:
				appendStringInfo(out, "%c%s%u", d->ag.data[0], d->af.data, num);
				break;
			case 1:
				appendStringInfo(out, "%s.%s%u", d->ag.data, d->af.data, num);
				break;
			case 2:
				appendStringInfo(out, "%s%c%u", d->af.data, d->ag.data[0], num);
				break;
			default:
				appendStringInfo(out, "%s_%s%u", d->ag.data, d->af.data, num);
				break;
		}
	}
	else if (strcmp(field, "country") == 0)
		sk_locale_country(st, out);
	else if (strcmp(field, "city") == 0)
		appendBinaryStringInfo(out, d->city.data, d->city.len);
	else if (strcmp(field, "street_address") == 0)
	{
		sk_person_rest(st, d);
		appendBinaryStringInfo(out, d->street.data, d->street.len);
	}
	else if (strcmp(field, "postcode") == 0 && st->format == NULL)
	{
		sk_person_rest(st, d);
		appendBinaryStringInfo(out, d->postcode.data, d->postcode.len);
	}
	else if (strcmp(field, "phone") == 0 && st->format == NULL)
		appendBinaryStringInfo(out, d->phone.data, d->phone.len);
	else
	{
		/* a postcode or phone in the column's own format, from the person's rest */
		SkRng		copy = d->rest;

		sk_rng_next(&copy);
		sk_digits(&copy, st->format, out);
	}
}

/*
 * sk_person_variant
 *		Field of the person of identity (in, inlen) given collision round
 *		round > 0 of a unique field: the email or username of the same
 *		person (rng is its stream) with the number 1000 * round above its
 *		own, so still made of the row's names; any other field drawn from
 *		vrng, the field's own stream for the round, in the person's locale.
 */
void
sk_person_variant(SkFakeState *st, const char *field, SkRng *rng, SkRng *vrng,
				  const void *in, int inlen, uint32 round, int gender, StringInfo out)
{
	SkPersonDraw *d = &sk_last;

	if (strcmp(field, "email") == 0 || strcmp(field, "username") == 0)
	{
		sk_person_field(st, field, rng, in, inlen, 0, gender, out);
		resetStringInfo(out);
		sk_person_render_num(st, field, d->num + 1000 * round, out);
		return;
	}
	/* a draw of this field's own stream: never served to another field */
	sk_last_valid = false;
	sk_person_field(st, field, vrng, in, inlen, round, gender, out);
	sk_last_valid = false;
}

/* A domain with constraints a field of the group must pass (person_fit). */
typedef struct SkPersonDomain
{
	Oid			typid;			/* the domain */
	char	   *domain;			/* an email's option "domain", or NULL */
	int32		typmod;			/* its base type's modifier */
	FmgrInfo	inproc;			/* its base type's input function */
	Oid			ioparam;
	DomainConstraintRef *ref;	/* made on first use */
	ExprContext *econtext;
} SkPersonDomain;

/*
 * sk_person_fit_parse
 *		Read option "person_fit" (flags.c sk_person_fit: "field=n" or
 *		"field=n/domain oid" or, for an email, "field=n/domain oid/domain
 *		name", comma-separated) into st, in the current memory context.
 */
void
sk_person_fit_parse(SkFakeState *st, char *spec)
{
	static const SkKey zero = {0, 0};
	uint64		sig[2];
	char	   *save = NULL;
	char	   *tok;
	int			n = 1;
	char	   *p;

	sk_siphash128(&zero, spec, strlen(spec), sig);
	for (p = spec; *p; p++)
		if (*p == ',')
			n++;
	st->fit_field = palloc(sizeof(char *) * n);
	st->fit_max = palloc(sizeof(int) * n);
	st->fit_domain = palloc0(sizeof(void *) * n);
	st->nfit = 0;
	for (tok = strtok_r(spec, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save))
	{
		char	   *eq = strchr(tok, '=');
		char	   *end;
		long		max;
		SkPersonDomain *dom = NULL;

		if (eq == NULL)
			continue;
		*eq = '\0';
		max = strtol(eq + 1, &end, 10);
		if (*end == '/')
		{
			char	   *name = strchr(end + 1, '/');
			unsigned long typid = strtoul(end + 1, &end, 10);
			Oid			base;
			Oid			infunc;

			dom = palloc0(sizeof(SkPersonDomain));
			dom->typid = (Oid) typid;
			dom->typmod = -1;
			if (name != NULL && name == end)
			{
				dom->domain = name + 1;
				end = name + strlen(name);
			}
			base = dom->typid != InvalidOid && get_typtype(dom->typid) == TYPTYPE_DOMAIN ?
				getBaseTypeAndTypmod(dom->typid, &dom->typmod) : InvalidOid;
			if (base != TEXTOID && base != VARCHAROID && base != BPCHAROID)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid value for option \"person_fit\""),
						 errdetail("A field's type must be a domain over text, varchar or char."),
						 errhint("Leave option \"person_fit\" out: seedkit sets it.")));
			getTypeInputInfo(base, &infunc, &dom->ioparam);
			fmgr_info(infunc, &dom->inproc);
		}
		if (!sk_person_is_field(tok) || *end != '\0' || max < -1 || max > 10485760)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for option \"person_fit\""),
					 errdetail("Each item must be a person field, \"=\" and a length."),
					 errhint("Leave option \"person_fit\" out: seedkit sets it.")));
		st->fit_field[st->nfit] = tok;
		st->fit_max[st->nfit] = (int) max;
		st->fit_domain[st->nfit] = dom;
		st->nfit++;
	}
	st->fit_sig = sig[0] ^ sig[1];
}

/*
 * sk_person_domain_accepts
 *		Whether text (s, len) is a value of domain dom: it fits the base
 *		type's length and passes the domain's CHECK constraints, answered
 *		without raising the violation.  The constraints are looked up on
 *		first use, in st's memory context.
 */
static bool
sk_person_domain_accepts(SkFakeState *st, SkPersonDomain *dom, const char *s, int len)
{
	ListCell   *lc;
	Datum		value;
	MemoryContext old;
	bool		ok = true;

	if (dom->typmod >= (int32) VARHDRSZ &&
		pg_mbstrlen_with_len(s, len) > dom->typmod - (int32) VARHDRSZ)
		return false;
	if (dom->ref == NULL)
	{
		old = MemoryContextSwitchTo(st->mcxt);
		dom->ref = palloc0(sizeof(DomainConstraintRef));
		InitDomainConstraintRef(dom->typid, dom->ref, st->mcxt, true);
		dom->econtext = CreateStandaloneExprContext();
		MemoryContextSwitchTo(old);
	}
	else
		UpdateDomainConstraintRef(dom->ref);
	/* the value and the checks' work in the per-tuple memory, reset here */
	old = MemoryContextSwitchTo(dom->econtext->ecxt_per_tuple_memory);
	value = InputFunctionCall(&dom->inproc, pnstrdup(s, len), dom->ioparam, dom->typmod);
	MemoryContextSwitchTo(old);
	dom->econtext->domainValue_datum = value;
	dom->econtext->domainValue_isNull = false;
	foreach(lc, dom->ref->constraints)
	{
		DomainConstraintState *con = (DomainConstraintState *) lfirst(lc);

		if (con->constrainttype == DOM_CONSTRAINT_CHECK &&
			!ExecCheck(con->check_exprstate, dom->econtext))
		{
			ok = false;
			break;
		}
	}
	ResetExprContext(dom->econtext);
	return ok;
}

/*
 * sk_person_fits
 *		Whether every limited field of the group (st->fit_field) of person d
 *		fits: its length, rendered without the options of any column (an
 *		email without its domain), so that every field of the group decides
 *		alike; and its column's domain, rendered as that column renders it
 *		(an email with its domain).
 */
static bool
sk_person_fits(SkFakeState *st, SkPersonDraw *d)
{
	static char nodomain[1] = "";
	char	   *format = st->format;
	char	   *domain = st->domain;
	StringInfoData tmp;
	bool		ok = true;
	int			i;

	st->format = NULL;
	initStringInfo(&tmp);
	for (i = 0; i < st->nfit && ok; i++)
	{
		SkPersonDomain *dom = (SkPersonDomain *) st->fit_domain[i];

		if (st->fit_max[i] >= 0)
		{
			st->domain = nodomain;
			resetStringInfo(&tmp);
			sk_person_render(st, st->fit_field[i], &tmp);
			if (tmp.len > st->fit_max[i] &&
				pg_mbstrlen_with_len(tmp.data, tmp.len) > st->fit_max[i])
				ok = false;
		}
		if (ok && dom != NULL)
		{
			st->domain = dom->domain;
			resetStringInfo(&tmp);
			sk_person_render(st, st->fit_field[i], &tmp);
			ok = sk_person_domain_accepts(st, dom, tmp.data, tmp.len);
		}
	}
	pfree(tmp.data);
	st->format = format;
	st->domain = domain;
	return ok;
}
