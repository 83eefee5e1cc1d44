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

/*
 * sk_person_field
 *		Append field (a strategy name, see sk_person_is_field) of the person
 *		rng draws to out; gender as sk_person_gender returns it.  Every
 *		field draws the same prefix of the stream in the same order, so the
 *		fields of one identity describe one person.
 */
void
sk_person_field(SkFakeState *st, const char *field, SkRng *rng, int gender,
				StringInfo out)
{
	SkLocale   *loc = st->loc;
	StringInfoData given;
	StringInfoData family;
	StringInfoData ag;
	StringInfoData af;
	bool		female;
	uint32		form;
	uint32		num;

	/* names: gender, given name, family name(s) */
	female = sk_rng_below(rng, 2) == 0;
	if (gender >= 0)
		female = gender == 1;
	initStringInfo(&given);
	initStringInfo(&family);
	initStringInfo(&ag);
	initStringInfo(&af);
	sk_pick_given(st, rng, female, &given, &ag);
	sk_pick_last(st, rng, &family, &af);
	if (loc->two_surnames)
	{
		appendStringInfoString(&family, loc->name_sep);
		sk_pick_last(st, rng, &family, NULL);
	}
	if (ag.len == 0)
		appendStringInfoString(&ag, "user");
	if (af.len == 0)
		appendStringInfoString(&af, "name");
	if (strcmp(field, "first_name") == 0)
	{
		appendBinaryStringInfo(out, given.data, given.len);
		return;
	}
	if (strcmp(field, "last_name") == 0)
	{
		appendBinaryStringInfo(out, family.data, family.len);
		return;
	}
	if (strcmp(field, "full_name") == 0)
	{
		if (loc->family_first)
			appendStringInfo(out, "%s%s%s", family.data, loc->name_sep, given.data);
		else
			appendStringInfo(out, "%s%s%s", given.data, loc->name_sep, family.data);
		return;
	}

	/* email and username from the ASCII forms of the same names */
	form = sk_rng_below(rng, 4);
	num = sk_rng_below(rng, 1000);
	if (strcmp(field, "email") == 0)
	{
		const char *dom = st->domain ? st->domain :
			sk_person_domains[num % lengthof(sk_person_domains)];

		switch (form)
		{
			case 0:
				appendStringInfo(out, "%s.%s%u@%s", ag.data, af.data, num, dom);
				break;
			case 1:
				appendStringInfo(out, "%c%s%u@%s", ag.data[0], af.data, num, dom);
				break;
			case 2:
				appendStringInfo(out, "%s_%s%u@%s", ag.data, af.data, num, dom);
				break;
			default:
				appendStringInfo(out, "%s.%s%u@%s", af.data, ag.data, num, dom);
				break;
		}
		return;
	}
	if (strcmp(field, "username") == 0)
	{
		switch (form)
		{
			case 0:
				appendStringInfo(out, "%c%s%u", ag.data[0], af.data, num);
				break;
			case 1:
				appendStringInfo(out, "%s.%s%u", ag.data, af.data, num);
				break;
			case 2:
				appendStringInfo(out, "%s%c%u", af.data, ag.data[0], num);
				break;
			default:
				appendStringInfo(out, "%s_%s%u", ag.data, af.data, num);
				break;
		}
		return;
	}

	/* the address and phone, all from the locale */
	if (strcmp(field, "country") == 0)
	{
		sk_locale_country(st, out);
		return;
	}
	resetStringInfo(&given);
	sk_pick(st, rng, SK_CITY, &given, NULL);
	if (strcmp(field, "city") == 0)
	{
		appendBinaryStringInfo(out, given.data, given.len);
		return;
	}
	resetStringInfo(&given);
	sk_digits(rng, st->format && strcmp(field, "postcode") == 0 ? st->format :
			  loc->postcode_format, &given);
	if (strcmp(field, "postcode") == 0)
	{
		appendBinaryStringInfo(out, given.data, given.len);
		return;
	}
	if (strcmp(field, "street_address") == 0)
	{
		sk_template(st, rng, sk_pick_format(st, rng, SK_STREET_FORMAT), out);
		return;
	}
	sk_digits(rng, st->format ? st->format : sk_pick_format(st, rng, SK_PHONE_FORMAT), out);
}
