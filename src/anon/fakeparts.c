/*-------------------------------------------------------------------------
 *
 * fakeparts.c
 *	  The pieces fakes are made of: names, emails and usernames from the
 *	  locale's word lists, addresses and companies from its templates,
 *	  phone numbers, IBANs, card numbers, filler text, masks, hex digests,
 *	  UUIDs and IP addresses.  Every choice comes from the keyed stream.
 *
 * src/anon/fakeparts.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "anon/fakeparts.h"
#include "anon/icu.h"
#include "anon/prf.h"
#include "anon/wordlists.h"

/* ---------------------------------------------------------------------
 * Building blocks
 * ---------------------------------------------------------------------
 */

/*
 * sk_append_word
 *		Append entry i of words (display form to out, ASCII form to ascii
 *		when not NULL).
 */
static void
sk_append_word(SkWords *words, int i, StringInfo out, StringInfo ascii)
{
	if (out)
		appendBinaryStringInfo(out, words->pack + words->off[i],
							   words->off[i + 1] - words->off[i] - 1);
	if (ascii)
	{
		int			len;
		const char *a = sk_word_ascii(words, i, &len);

		appendBinaryStringInfo(ascii, a, len);
	}
}

static void sk_template_depth(SkFakeState *st, SkRng *rng, const char *tpl,
							  StringInfo out, int depth);

/*
 * Distinctness: a locale whose lists give fewer than SK_SPACE combinations
 * adds a deterministic number to part of its names, emails and usernames,
 * so that a million distinct originals give at least 99.9% distinct fakes
 * (see sk_number_tail).
 */
#define SK_SPACE	1.0e9

/*
 * sk_squeeze_spaces
 *		Drop the blanks at both ends of out's text from start on and collapse
 *		runs of blanks inside it: Faker's templates lean on pieces that begin
 *		with a blank (" #", " s/n."), and some of its entries slip one more.
 */
static void
sk_squeeze_spaces(StringInfo out, int start)
{
	int			from;
	int			to = start;

	for (from = start; from < out->len; from++)
	{
		if (out->data[from] == ' ' &&
			(to == start || out->data[to - 1] == ' '))
			continue;
		out->data[to++] = out->data[from];
	}
	while (to > start && out->data[to - 1] == ' ')
		to--;
	out->len = to;
	out->data[to] = '\0';
}

/*
 * sk_pick
 *		Append a random entry of a list; an entry of a template list is
 *		expanded (its blanks squeezed).
 */
void
sk_pick(SkFakeState *st, SkRng *rng, SkList list, StringInfo out, StringInfo ascii)
{
	SkWords    *w = sk_words(st->loc, list);
	int			k;

	if (w->n <= 0)
		return;
	k = sk_rng_below(rng, w->n);
	if (w->tpl && out)
	{
		int			start = out->len;

		sk_template(st, rng, w->w[k], out);
		sk_squeeze_spaces(out, start);
	}
	else
		sk_append_word(w, k, out, ascii);
}

/*
 * sk_pick_given
 *		Append a given name (female when female, else male); where the
 *		locale composes given names (ja_JP), a beginning and an ending.
 */
void
sk_pick_given(SkFakeState *st, SkRng *rng, bool female, StringInfo out,
			  StringInfo ascii)
{
	sk_pick(st, rng, female ? SK_FEMALE : SK_MALE, out, ascii);
	sk_pick(st, rng, female ? SK_FEMALE_SUF : SK_MALE_SUF, out, ascii);
}

/*
 * sk_pick_last
 *		Append a surname: a real one, whole, from the locale's list.
 */
void
sk_pick_last(SkFakeState *st, SkRng *rng, StringInfo out, StringInfo ascii)
{
	sk_pick(st, rng, SK_LAST, out, ascii);
}

/*
 * sk_pick_last_of
 *		Append a surname of the gender where the locale's surnames have
 *		genders (ru_RU: Иванов, Иванова), else any surname.
 */
static void
sk_pick_last_of(SkFakeState *st, SkRng *rng, bool female, StringInfo out,
				StringInfo ascii)
{
	if (sk_words(st->loc, female ? SK_LAST_FEMALE : SK_LAST_MALE)->n > 0)
		sk_pick(st, rng, female ? SK_LAST_FEMALE : SK_LAST_MALE, out, ascii);
	else
		sk_pick_last(st, rng, out, ascii);
}

/*
 * sk_last_count
 *		How many surnames a person of one gender can get.
 */
static double
sk_last_count(SkLocale *loc)
{
	int			n = sk_words(loc, SK_LAST_MALE)->n;

	if (n <= 0)
		n = sk_words(loc, SK_LAST)->n;
	return (double) Max(n, 1);
}

/*
 * sk_given_count
 *		How many given names of a gender the locale can make.
 */
static double
sk_given_count(SkLocale *loc, bool female)
{
	SkWords    *w = sk_words(loc, female ? SK_FEMALE : SK_MALE);
	SkWords    *suf = sk_words(loc, female ? SK_FEMALE_SUF : SK_MALE_SUF);

	return (double) Max(w->n, 1) * (double) Max(suf->n, 1);
}

/*
 * sk_given_space
 *		The effective number of given names of the locale: a gender is
 *		chosen first, so names of the smaller list come up more often
 *		(1 / sum of p^2); one list for both genders counts once.
 */
static double
sk_given_space(SkLocale *loc)
{
	double		f = sk_given_count(loc, true);
	double		m = sk_given_count(loc, false);

	if (sk_words(loc, SK_FEMALE)->w == sk_words(loc, SK_MALE)->w &&
		sk_words(loc, SK_FEMALE_SUF)->n == 0)
		return f;
	return 4.0 / (1.0 / f + 1.0 / m);
}

/*
 * sk_append_uint
 *		Append the decimal digits of v (what "%u" prints).
 */
static void
sk_append_uint(StringInfo out, uint32 v)
{
	enlargeStringInfo(out, MAXINT8LEN);
	out->len += pg_ultoa_n(v, out->data + out->len);
	out->data[out->len] = '\0';
}

/*
 * sk_number_tail
 *		Append sep and a deterministic number to part of the values of a
 *		strategy whose lists make only space combinations: a value stays
 *		plain with probability q = sqrt(space / SK_SPACE), else it gets a
 *		number among R = 2 * SK_SPACE / space.  The plain values then
 *		collide like values drawn from SK_SPACE, the numbered ones half
 *		as much: 1,000,000 values lose at most about 0.08% to collisions.
 *		Emails and usernames (no sep) count their space four times
 *		smaller, as their ASCII forms merge some names.
 */
static void
sk_number_tail(SkRng *rng, double space, const char *sep, StringInfo out)
{
	double		q;
	double		u;
	double		r;

	/* ASCII forms merge names (readings, accents): count them for less */
	if (*sep == '\0')
		space /= 4.0;
	q = sqrt(space / SK_SPACE);
	if (q >= 1.0)
		return;
	u = (double) (sk_rng_next(rng) >> 11) / (double) (UINT64CONST(1) << 53);
	if (u < q)
		return;
	r = ceil(2.0 * SK_SPACE / Max(space, 1.0));
	if (r < 90.0)
		r = 90.0;
	if (r > 1.0e9)
		r = 1.0e9;
	appendStringInfoString(out, sep);
	sk_append_uint(out, 10 + sk_rng_below(rng, (uint32) r));
}

/*
 * sk_full_name
 *		Append a full name in the locale's order: given, middle name or
 *		initial, surname (two surnames for es_ES; family name first and no
 *		middle name for ja_JP), and a number where the lists run out.
 */
void
sk_full_name(SkFakeState *st, SkRng *rng, StringInfo out)
{
	SkLocale   *loc = st->loc;
	bool		female = sk_rng_below(rng, 2) == 0;
	double		last = sk_last_count(loc);
	double		given = sk_given_space(loc);
	double		space;

	if (loc->family_first)
	{
		sk_pick_last_of(st, rng, female, out, NULL);
		appendStringInfoString(out, loc->name_sep);
		sk_pick_given(st, rng, female, out, NULL);
		space = given * last;
	}
	else
	{
		sk_pick_given(st, rng, female, out, NULL);
		space = given * last;
		if (loc->middle_names)
		{
			SkWords    *w = sk_words(loc, female ? SK_FEMALE : SK_MALE);
			int			initials = loc->two_surnames ? 0 : 26;
			uint32		k = sk_rng_below(rng, w->n + initials);

			appendStringInfoString(out, loc->name_sep);
			if (k < (uint32) w->n)
				sk_append_word(w, k, out, NULL);
			else
				appendStringInfo(out, "%c.", (char) ('A' + k - w->n));
			space *= (given / 2.0 + initials);	/* the same gender's names */
		}
		appendStringInfoString(out, loc->name_sep);
		sk_pick_last_of(st, rng, female, out, NULL);
		if (loc->two_surnames)
		{
			appendStringInfoString(out, loc->name_sep);
			sk_pick_last_of(st, rng, female, out, NULL);
			space *= last;
		}
	}
	sk_number_tail(rng, space, " ", out);
}

/*
 * sk_digits
 *		Expand a format: # a digit, % a digit from 1 to 9, the rest kept.
 */
void
sk_digits(SkRng *rng, const char *fmt, StringInfo out)
{
	for (; *fmt; fmt++)
	{
		if (*fmt == '#')
			appendStringInfoChar(out, '0' + sk_rng_below(rng, 10));
		else if (*fmt == '%')
			appendStringInfoChar(out, '1' + sk_rng_below(rng, 9));
		else
			appendStringInfoChar(out, *fmt);
	}
}

/*
 * sk_nanp3
 *		Three digits of a North American area code or exchange: the first
 *		2-9, never N11; area codes never N9X (reserved).
 */
static void
sk_nanp3(SkRng *rng, bool area, StringInfo out)
{
	uint32		a = 2 + sk_rng_below(rng, 8);
	uint32		b = sk_rng_below(rng, area ? 9 : 10);
	uint32		c = sk_rng_below(rng, 10);

	if (b == 1 && c == 1)
		c = 2 + sk_rng_below(rng, 8);
	appendStringInfo(out, "%u%u%u", a, b, c);
}

/*
 * sk_template
 *		Expand a template: {L} surname, {F} given name, {W} company word,
 *		{S} street, {T} street type, {C} city, {#} house number, {c} a digit
 *		1-9, {;} a comma, {N} an entry of the locale's Faker list N; the
 *		numbering rules {A}/{E} NANP area code/exchange, {M}/{G} Spanish
 *		mobile/landline prefix, {R} French area digit, {D} a digit 2-9, {Z} US ZIP code,
 *		{Y} German, {P} French, {Q} Spanish postcode; outside braces '#' a
 *		digit, '%' a digit 1-9, '?' a capital letter.
 */
void
sk_template(SkFakeState *st, SkRng *rng, const char *tpl, StringInfo out)
{
	sk_template_depth(st, rng, tpl, out, 0);
}

/*
 * sk_template_depth
 *		sk_template at nesting depth depth: Faker's templates nest a few
 *		levels ("{street_name}" -> "{last_name} {suffix}"); deeper ones,
 *		which only a cycle would make, expand to nothing.
 */
static void
sk_template_depth(SkFakeState *st, SkRng *rng, const char *tpl, StringInfo out,
				  int depth)
{
	const char *p = tpl;

	while (*p)
	{
		if (p[0] == '{' && p[1] >= '0' && p[1] <= '9')
		{
			int			n = 0;
			SkWords    *w;

			for (p++; *p >= '0' && *p <= '9'; p++)
				n = n * 10 + (*p - '0');
			if (*p == '}')
				p++;
			if (n < st->loc->nrefs)
			{
				w = sk_ref_words(st->loc, n);
				if (w->n > 0)
				{
					int			k = sk_rng_below(rng, w->n);

					if (!w->tpl)
						appendBinaryStringInfo(out, w->w[k], w->wlen[k]);
					else if (depth < 8)
						sk_template_depth(st, rng, w->w[k], out, depth + 1);
				}
			}
			continue;
		}
		if (p[0] == '{' && p[1] && p[2] == '}')
		{
			switch (p[1])
			{
				case 'L':
					sk_pick_last(st, rng, out, NULL);
					break;
				case 'F':
					sk_pick_given(st, rng, sk_rng_below(rng, 2) == 0, out, NULL);
					break;
				case 'W':
					sk_pick(st, rng, SK_COMPANY_WORD, out, NULL);
					break;
				case 'S':
					sk_pick(st, rng, SK_STREET, out, NULL);
					break;
				case 'T':
					sk_pick(st, rng, SK_STREET_TYPE, out, NULL);
					break;
				case 'C':
					sk_pick(st, rng, SK_CITY, out, NULL);
					break;
				case 'c':
					appendStringInfo(out, "%u", 1 + sk_rng_below(rng, 9));
					break;
				case ';':
					appendStringInfoChar(out, ',');	/* lists split on commas */
					break;
				case '#':
					if (st->loc->family_first)
						appendStringInfo(out, "%u", 1 + sk_rng_below(rng, 30));
					else if (sk_rng_below(rng, 8) == 0)
						appendStringInfo(out, "%u", 200 + sk_rng_below(rng, 800));
					else
						appendStringInfo(out, "%u", 1 + sk_rng_below(rng, 199));
					break;
				case 'A':
				case 'E':
					sk_nanp3(rng, p[1] == 'A', out);
					break;
				case 'M':
					/* mobiles: 6xx, 71x-74x */
					if (sk_rng_below(rng, 4) == 0)
						appendStringInfo(out, "7%u%u", 1 + sk_rng_below(rng, 4),
										 sk_rng_below(rng, 10));
					else
						appendStringInfo(out, "6%02u", sk_rng_below(rng, 100));
					break;
				case 'G':
					/* geographic landlines: 8[1-8]x, 9[1-8]x */
					appendStringInfo(out, "%c%u%u", sk_rng_below(rng, 3) ? '9' : '8',
									 1 + sk_rng_below(rng, 8), sk_rng_below(rng, 10));
					break;
				case 'D':
					appendStringInfoChar(out, '2' + sk_rng_below(rng, 8));
					break;
				case 'R':
					/* 1-5 geographic, 6-7 mobile, 9 VoIP */
					appendStringInfoChar(out, "123456779"[sk_rng_below(rng, 9)]);
					break;
				case 'Z':
					/* ZIP codes run from 00501 to 99950 */
					appendStringInfo(out, "%05u", 501 + sk_rng_below(rng, 99950 - 501 + 1));
					break;
				case 'Y':
					/* Postleitzahlen run from 01067 to 99998 */
					appendStringInfo(out, "%05u", 1067 + sk_rng_below(rng, 99998 - 1067 + 1));
					break;
				case 'P':
					{
						/* a department (01-95, Corsica 20) or overseas 971-976 */
						uint32		d = sk_rng_below(rng, 100);

						if (d >= 95)
							appendStringInfo(out, "97%u%02u", 1 + sk_rng_below(rng, 6),
											 sk_rng_below(rng, 100));
						else
							appendStringInfo(out, "%02u%03u", 1 + d, sk_rng_below(rng, 1000));
						break;
					}
				case 'Q':
					/* a province 01-52, then three digits */
					appendStringInfo(out, "%02u%03u", 1 + sk_rng_below(rng, 52),
									 sk_rng_below(rng, 1000));
					break;
			}
			p += 3;
			continue;
		}
		if (*p == '#')
			appendStringInfoChar(out, '0' + sk_rng_below(rng, 10));
		else if (*p == '%')
			appendStringInfoChar(out, '1' + sk_rng_below(rng, 9));
		else if (*p == '?')
			appendStringInfoChar(out, 'A' + sk_rng_below(rng, 26));
		else
			appendStringInfoChar(out, *p);
		p++;
	}
}

/*
 * sk_pick_format
 *		A random template of a locale's list.
 */
const char *
sk_pick_format(SkFakeState *st, SkRng *rng, SkList list)
{
	SkWords    *w = sk_words(st->loc, list);

	return w->w[sk_rng_below(rng, w->n)];
}

/*
 * sk_person_ascii
 *		ASCII given name and surname of a fake person (for emails and
 *		usernames) into the state's scratch buffers st->afirst and
 *		st->alast, falling back to "user" when transliteration is empty;
 *		returns how many such pairs the locale can make.
 */
static double
sk_person_ascii(SkFakeState *st, SkRng *rng)
{
	bool		female = sk_rng_below(rng, 2) == 0;

	if (st->afirst.data == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(st->mcxt);

		initStringInfo(&st->afirst);
		initStringInfo(&st->alast);
		MemoryContextSwitchTo(old);
	}
	resetStringInfo(&st->afirst);
	resetStringInfo(&st->alast);
	sk_pick_given(st, rng, female, NULL, &st->afirst);
	sk_pick_last_of(st, rng, female, NULL, &st->alast);
	if (st->afirst.len == 0)
		appendStringInfoString(&st->afirst, "user");
	if (st->alast.len == 0)
		appendStringInfoString(&st->alast, "name");
	return sk_given_space(st->loc) * sk_last_count(st->loc);
}

/*
 * sk_append_pair
 *		Append a, the separator sep (none when '\0') and b.
 */
static void
sk_append_pair(StringInfo out, StringInfo a, char sep, StringInfo b)
{
	appendBinaryStringInfo(out, a->data, a->len);
	if (sep != '\0')
		appendStringInfoChar(out, sep);
	appendBinaryStringInfo(out, b->data, b->len);
}

static const char *const sk_email_domains[] = {
	"example.com", "example.net", "example.org"
};

/*
 * sk_email
 *		An email address made from a fake name in ASCII, with a number
 *		where the locale's names run out.
 */
void
sk_email(SkFakeState *st, SkRng *rng, StringInfo out)
{
	StringInfo	f = &st->afirst;
	StringInfo	l = &st->alast;
	double		space;

	space = sk_person_ascii(st, rng);
	switch (sk_rng_below(rng, 5))
	{
		case 0:
			sk_append_pair(out, f, '.', l);
			break;
		case 1:
			sk_append_pair(out, f, '\0', l);
			break;
		case 2:
			sk_append_pair(out, f, '_', l);
			break;
		case 3:
			appendStringInfoChar(out, f->data[0]);
			appendStringInfoChar(out, '.');
			appendBinaryStringInfo(out, l->data, l->len);
			/* about 20 initials in use */
			space = 20.0 * (double) Max(sk_words(st->loc, SK_LAST)->n, 1);
			break;
		default:
			sk_append_pair(out, l, '.', f);
			break;
	}
	/* formats and domains multiply the space, the initial form less */
	space *= 4.0 * (st->domain ? 1 : lengthof(sk_email_domains));
	sk_number_tail(rng, space, "", out);
	appendStringInfoChar(out, '@');
	appendStringInfoString(out, st->domain ? st->domain :
						   sk_email_domains[sk_rng_below(rng, lengthof(sk_email_domains))]);
}

/*
 * sk_email_short
 *		A shorter email address, for a column of maxchars characters that no
 *		form of sk_email fitted: the initial and surname of a fake name, or
 *		with numbered the initial and a number as long as the local part's
 *		room allows (up to nine digits).  False, and nothing appended, when
 *		the local part has room for less than an initial and three digits
 *		(cutting the first candidate keeps as many different values there).
 */
bool
sk_email_short(SkFakeState *st, SkRng *rng, int maxchars, bool numbered,
			   StringInfo out)
{
	const char *dom = st->domain ? st->domain :
		sk_email_domains[sk_rng_below(rng, lengthof(sk_email_domains))];
	int			room = maxchars - 1 - pg_mbstrlen(dom);

	if (room < 4)
		return false;
	(void) sk_person_ascii(st, rng);
	appendStringInfoChar(out, st->afirst.data[0]);
	if (numbered)
	{
		uint32		low = 1;
		int			k;

		for (k = 1; k < Min(room - 1, 9); k++)
			low *= 10;
		sk_append_uint(out, low + sk_rng_below(rng, 9 * low));
	}
	else
		appendBinaryStringInfo(out, st->alast.data, st->alast.len);
	appendStringInfoChar(out, '@');
	appendStringInfoString(out, dom);
	return true;
}

/*
 * sk_username
 *		A login name made from a fake name in ASCII, with a number where
 *		the locale's names run out.
 */
void
sk_username(SkFakeState *st, SkRng *rng, StringInfo out)
{
	StringInfo	f = &st->afirst;
	StringInfo	l = &st->alast;
	double		space;

	space = sk_person_ascii(st, rng);
	switch (sk_rng_below(rng, 4))
	{
		case 0:
			appendStringInfoChar(out, f->data[0]);
			appendBinaryStringInfo(out, l->data, l->len);
			space = 20.0 * (double) Max(sk_words(st->loc, SK_LAST)->n, 1);
			break;
		case 1:
			sk_append_pair(out, f, '.', l);
			break;
		case 2:
			sk_append_pair(out, f, '\0', l);
			break;
		default:
			sk_append_pair(out, f, '_', l);
			break;
	}
	sk_number_tail(rng, space * 3.0, "", out);
}

/* Countries: ISO code and names in en, de, fr, es, ja. */
static const char *const sk_countries[][6] = {
	{"US", "United States", "Vereinigte Staaten", "États-Unis", "Estados Unidos", "アメリカ合衆国"},
	{"DE", "Germany", "Deutschland", "Allemagne", "Alemania", "ドイツ"},
	{"FR", "France", "Frankreich", "France", "Francia", "フランス"},
	{"ES", "Spain", "Spanien", "Espagne", "España", "スペイン"},
	{"JP", "Japan", "Japan", "Japon", "Japón", "日本"},
	{"GB", "United Kingdom", "Vereinigtes Königreich", "Royaume-Uni", "Reino Unido", "イギリス"},
	{"IT", "Italy", "Italien", "Italie", "Italia", "イタリア"},
	{"NL", "Netherlands", "Niederlande", "Pays-Bas", "Países Bajos", "オランダ"},
	{"BE", "Belgium", "Belgien", "Belgique", "Bélgica", "ベルギー"},
	{"CH", "Switzerland", "Schweiz", "Suisse", "Suiza", "スイス"},
	{"AT", "Austria", "Österreich", "Autriche", "Austria", "オーストリア"},
	{"PT", "Portugal", "Portugal", "Portugal", "Portugal", "ポルトガル"},
	{"CA", "Canada", "Kanada", "Canada", "Canadá", "カナダ"},
	{"MX", "Mexico", "Mexiko", "Mexique", "México", "メキシコ"},
	{"BR", "Brazil", "Brasilien", "Brésil", "Brasil", "ブラジル"},
	{"AR", "Argentina", "Argentinien", "Argentine", "Argentina", "アルゼンチン"},
	{"SE", "Sweden", "Schweden", "Suède", "Suecia", "スウェーデン"},
	{"NO", "Norway", "Norwegen", "Norvège", "Noruega", "ノルウェー"},
	{"PL", "Poland", "Polen", "Pologne", "Polonia", "ポーランド"},
	{"IE", "Ireland", "Irland", "Irlande", "Irlanda", "アイルランド"},
	{"AU", "Australia", "Australien", "Australie", "Australia", "オーストラリア"},
	{"NZ", "New Zealand", "Neuseeland", "Nouvelle-Zélande", "Nueva Zelanda", "ニュージーランド"},
	{"KR", "South Korea", "Südkorea", "Corée du Sud", "Corea del Sur", "韓国"},
	{"IN", "India", "Indien", "Inde", "India", "インド"},
};

/*
 * sk_locale_index
 *		Position of the locale in sk_countries' name columns.
 */
static int
sk_locale_index(SkLocale *loc)
{
	if (strncmp(loc->name, "de_", 3) == 0)
		return 2;
	if (strncmp(loc->name, "fr_", 3) == 0)
		return 3;
	if (strncmp(loc->name, "es_", 3) == 0)
		return 4;
	if (strncmp(loc->name, "ja_", 3) == 0)
		return 5;
	return 1;
}

/*
 * sk_mod97
 *		The remainder modulo 97 of a string of digits and letters, letters
 *		counting as two digits (A = 10), as ISO 13616 computes it.
 */
static int
sk_mod97(const char *s)
{
	int			r = 0;

	for (; *s; s++)
	{
		if (*s >= '0' && *s <= '9')
			r = (r * 10 + (*s - '0')) % 97;
		else if (*s >= 'A' && *s <= 'Z')
			r = (r * 100 + (*s - 'A' + 10)) % 97;
	}
	return r;
}

/*
 * sk_es_control
 *		A Spanish account control digit for ten digits.
 */
static int
sk_es_control(const char *ten)
{
	static const int w[10] = {1, 2, 4, 8, 5, 10, 9, 7, 3, 6};
	int			sum = 0;
	int			i;
	int			d;

	for (i = 0; i < 10; i++)
		sum += (ten[i] - '0') * w[i];
	d = 11 - sum % 11;
	return d == 11 ? 0 : d == 10 ? 1 : d;
}

/*
 * sk_iban_bban
 *		A national account part (BBAN) for country cc into bban: the
 *		country's own layout with its national check digits for FR and ES
 *		(when len is theirs), else shaped like the template tpl of len
 *		characters (a letter for a letter, a digit for a digit), else the
 *		layout seedkit knows for cc.
 */
static void
sk_iban_bban(SkRng *rng, const char *cc, const char *tpl, int len, char *bban)
{
	int			i;

	if (strcmp(cc, "FR") == 0 && (tpl == NULL || len == 23))
	{
		char		rib[32];
		int			key;

		/* bank 5, branch 5, account 11 digits, RIB key 2 */
		for (i = 0; i < 21; i++)
			rib[i] = '0' + sk_rng_below(rng, 10);
		rib[21] = '\0';
		key = 97 - (int) ((89 * (int64) atoi(pnstrdup(rib, 5)) +
						   15 * (int64) atoi(pnstrdup(rib + 5, 5)) +
						   3 * (int64) (sk_mod97(pnstrdup(rib + 10, 11)))) % 97);
		snprintf(bban, 40, "%s%02d", rib, key);
	}
	else if (strcmp(cc, "ES") == 0 && (tpl == NULL || len == 20))
	{
		char		ten[11];
		char		acct[11];
		int			d1;
		int			d2;

		ten[0] = ten[1] = '0';
		for (i = 2; i < 10; i++)
			ten[i] = '0' + sk_rng_below(rng, 10);
		ten[10] = '\0';
		for (i = 0; i < 10; i++)
			acct[i] = '0' + sk_rng_below(rng, 10);
		acct[10] = '\0';
		d1 = sk_es_control(ten);
		d2 = sk_es_control(acct);
		snprintf(bban, 40, "%s%d%d%s", ten + 2, d1, d2, acct);
	}
	else if (tpl != NULL)
	{
		for (i = 0; i < len; i++)
			bban[i] = (tpl[i] >= 'A' && tpl[i] <= 'Z') ?
				'A' + sk_rng_below(rng, 26) : '0' + sk_rng_below(rng, 10);
		bban[len] = '\0';
	}
	else if (strcmp(cc, "GB") == 0)
	{
		for (i = 0; i < 4; i++)
			bban[i] = 'A' + sk_rng_below(rng, 26);
		for (i = 4; i < 18; i++)
			bban[i] = '0' + sk_rng_below(rng, 10);
		bban[18] = '\0';
	}
	else
	{
		for (i = 0; i < 18; i++)
			bban[i] = '0' + sk_rng_below(rng, 10);
		bban[18] = '\0';
	}
}

/*
 * sk_iban
 *		An IBAN with valid check digits (and valid national check digits
 *		for FR and ES).  When the original s (len bytes) is an IBAN, the
 *		fake keeps its country and length, letters where it has letters;
 *		otherwise (or with option country) the country is the option's or
 *		the locale's.  Grouped by four when the original has a space.
 */
void
sk_iban(SkFakeState *st, SkRng *rng, const char *s, int len, StringInfo out)
{
	const char *cc = st->country ? st->country : st->loc->iban_country;
	char		compact[40];
	char		ccbuf[3];
	char		bban[40];
	char		tmp[64];
	int			clen = 0;
	int			check;
	int			i;
	bool		group = memchr(s, ' ', len) != NULL;
	bool		is_iban = true;
	StringInfoData b;

	/* the original without spaces, upper case, when it is IBAN-shaped */
	for (i = 0; i < len && is_iban; i++)
	{
		char		c = s[i];

		if (c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c += 'A' - 'a';
		if (clen >= 34 || !((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) ||
			((clen < 2) != (c >= 'A' && c <= 'Z') && clen < 4))
			is_iban = false;
		else
			compact[clen++] = c;
	}
	if (clen < 5)
		is_iban = false;
	initStringInfo(&b);
	if (is_iban && st->country == NULL)
	{
		ccbuf[0] = compact[0];
		ccbuf[1] = compact[1];
		ccbuf[2] = '\0';
		cc = ccbuf;
		sk_iban_bban(rng, cc, compact + 4, clen - 4, bban);
	}
	else
		sk_iban_bban(rng, cc, NULL, 0, bban);
	snprintf(tmp, sizeof(tmp), "%s%s00", bban, cc);
	check = 98 - sk_mod97(tmp);
	appendStringInfo(&b, "%s%02d%s", cc, check, bban);
	if (group)
	{
		for (i = 0; i < b.len; i++)
		{
			if (i > 0 && i % 4 == 0)
				appendStringInfoChar(out, ' ');
			appendStringInfoChar(out, b.data[i]);
		}
	}
	else
		appendBinaryStringInfo(out, b.data, b.len);
	pfree(b.data);
}

/*
 * sk_credit_card
 *		A card number of the brand with a valid Luhn check digit, grouped
 *		with sep when sep is not '\0'.
 */
void
sk_credit_card(SkFakeState *st, SkRng *rng, char sep, StringInfo out)
{
	const char *brand = st->brand ? st->brand : "visa";
	char		d[20];
	int			len = 16;
	int			i;
	int			sum = 0;

	if (strcmp(brand, "amex") == 0)
	{
		len = 15;
		d[0] = '3';
		d[1] = sk_rng_below(rng, 2) ? '7' : '4';
		i = 2;
	}
	else if (strcmp(brand, "mastercard") == 0)
	{
		d[0] = '5';
		d[1] = '1' + sk_rng_below(rng, 5);
		i = 2;
	}
	else
	{
		d[0] = '4';
		i = 1;
	}
	for (; i < len - 1; i++)
		d[i] = '0' + sk_rng_below(rng, 10);
	/* Luhn: double every second digit from the right, check digit excluded */
	for (i = len - 2; i >= 0; i--)
	{
		int			v = d[i] - '0';

		if ((len - 2 - i) % 2 == 0)
		{
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	d[len - 1] = '0' + (10 - sum % 10) % 10;
	d[len] = '\0';
	for (i = 0; i < len; i++)
	{
		if (sep && i > 0 && ((len == 15 && (i == 4 || i == 10)) ||
							 (len == 16 && i % 4 == 0)))
			appendStringInfoChar(out, sep);
		appendStringInfoChar(out, d[i]);
	}
}

/*
 * sk_lorem_fit
 *		A word of w of at most room characters, the first such from a
 *		random position on; -1 when none is that short.
 */
static int
sk_lorem_fit(SkWords *w, SkRng *rng, int room)
{
	int			start = sk_rng_below(rng, w->n);
	int			i;

	for (i = 0; i < w->n; i++)
	{
		int			k = (start + i) % w->n;

		if (pg_mbstrlen_with_len(w->w[k], w->wlen[k]) <= room)
			return k;
	}
	return -1;
}

/*
 * sk_lorem
 *		Whole filler words of the locale, at most nchars characters (the
 *		last word is chosen to fit, never cut or padded); one short word
 *		when no word is as short as nchars.
 */
void
sk_lorem(SkFakeState *st, SkRng *rng, int nchars, StringInfo out)
{
	SkWords    *w = sk_words(st->loc, SK_LOREM);
	bool		spaces = !st->loc->family_first;
	int			chars = 0;

	for (;;)
	{
		int			sep = (chars > 0 && spaces) ? 1 : 0;
		int			k = sk_rng_below(rng, w->n);
		int			room;

		if (chars + sep + pg_mbstrlen_with_len(w->w[k], w->wlen[k]) > nchars)
			k = sk_lorem_fit(w, rng, nchars - chars - sep);
		/* no word is that short: one of the shortest */
		for (room = nchars + 1; k < 0 && chars == 0 && w->n > 0; room++)
			k = sk_lorem_fit(w, rng, room);
		if (k < 0)
			break;
		if (sep)
			appendStringInfoChar(out, ' ');
		appendBinaryStringInfo(out, w->w[k], w->wlen[k]);
		chars += sep + pg_mbstrlen_with_len(w->w[k], w->wlen[k]);
		if (chars >= nchars)
			break;
	}
	/* capital first letter */
	if (out->len > 0 && out->data[0] >= 'a' && out->data[0] <= 'z')
		out->data[0] += 'A' - 'a';
}

/*
 * sk_partial_char
 *		One character standing for the masked character at s: a random one
 *		of the same kind (digit, upper or lower case ASCII letter), a
 *		random digit for any other.
 */
static void
sk_partial_char(SkRng *rng, const char *s, StringInfo out)
{
	char		c = *s;

	if (c >= 'A' && c <= 'Z')
		appendStringInfoChar(out, 'A' + sk_rng_below(rng, 26));
	else if (c >= 'a' && c <= 'z')
		appendStringInfoChar(out, 'a' + sk_rng_below(rng, 26));
	else
		appendStringInfoChar(out, '0' + sk_rng_below(rng, 10));
}

/*
 * sk_partial
 *		Keep the first and last user-perceived characters, mask the rest;
 *		a value too short to keep anything is masked entirely.  With vary
 *		(another candidate for a unique column, drawn from rng) each masked
 *		character becomes a random one of its kind instead of the mask.
 */
void
sk_partial(SkFakeState *st, SkRng *rng, bool vary, const char *s, int len,
		   StringInfo out)
{
	int		   *off = NULL;
	int			n;
	int			first = st->keep_first;
	int			last = st->keep_last;
	int			masklen = strlen(st->mask);
	int			head;
	int			tail;
	int			i;

	/* ASCII without CR: a byte per character, no offsets needed */
	for (i = 0; i < len; i++)
		if (IS_HIGHBIT_SET(s[i]) || s[i] == '\r')
			break;
	if (i == len)
		n = len;
	else
		n = sk_icu_graphemes(s, len, &off);
	if (n <= first + last)
		first = last = 0;
	head = off ? off[first] : first;
	tail = off ? off[n - last] : n - last;
	appendBinaryStringInfo(out, s, head);
	if (!vary && masklen == 1)
	{
		/* the usual mask: one byte per masked character */
		enlargeStringInfo(out, n - last - first);
		memset(out->data + out->len, st->mask[0], n - last - first);
		out->len += n - last - first;
		out->data[out->len] = '\0';
	}
	else
		for (i = first; i < n - last; i++)
		{
			if (vary)
				sk_partial_char(rng, s + (off ? off[i] : i), out);
			else
				appendBinaryStringInfo(out, st->mask, masklen);
		}
	appendBinaryStringInfo(out, s + tail, len - tail);
	if (off)
		pfree(off);
}

/*
 * sk_hex
 *		length hex digits of the keyed digest stream.
 */
void
sk_hex(SkRng *rng, int length, StringInfo out)
{
	static const char hex[] = "0123456789abcdef";

	while (length > 0)
	{
		uint64		x = sk_rng_next(rng);
		int			k;

		for (k = 0; k < 16 && length > 0; k++, length--)
		{
			appendStringInfoChar(out, hex[x & 0xf]);
			x >>= 4;
		}
	}
}

/*
 * sk_uuid_bytes
 *		A version-4 layout UUID from the stream.
 */
void
sk_uuid_bytes(SkRng *rng, unsigned char *u)
{
	uint64		a = sk_rng_next(rng);
	uint64		b = sk_rng_next(rng);
	int			i;

	for (i = 0; i < 8; i++)
	{
		u[i] = (a >> (8 * i)) & 0xff;
		u[8 + i] = (b >> (8 * i)) & 0xff;
	}
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
}

/*
 * sk_ip_bytes
 *		Random address bytes: IPv4 in 1.0.0.0-223.255.255.255 except
 *		loopback, IPv6 in the documentation prefix 2001:db8::/32.
 */
void
sk_ip_bytes(SkRng *rng, bool v6, unsigned char *a)
{
	uint64		x = sk_rng_next(rng);
	int			i;

	if (!v6)
	{
		a[0] = 1 + (x % 223);
		if (a[0] == 127)
			a[0] = 128;
		a[1] = (x >> 8) & 0xff;
		a[2] = (x >> 16) & 0xff;
		a[3] = (x >> 24) & 0xff;
		return;
	}
	a[0] = 0x20;
	a[1] = 0x01;
	a[2] = 0x0d;
	a[3] = 0xb8;
	for (i = 4; i < 16; i++)
	{
		if (i == 12)
			x = sk_rng_next(rng);
		a[i] = x & 0xff;
		x >>= 8;
	}
}

/*
 * sk_mask_bits
 *		Zero the host bits beyond bits (for cidr).
 */
void
sk_mask_bits(unsigned char *a, int nbytes, int bits)
{
	int			i;

	for (i = 0; i < nbytes; i++)
	{
		int			keep = bits - 8 * i;

		if (keep >= 8)
			continue;
		if (keep <= 0)
			a[i] = 0;
		else
			a[i] &= (unsigned char) (0xff << (8 - keep));
	}
}

/*
 * sk_ip_text
 *		Format an address (with "/bits" when bits is not the full length).
 */
void
sk_ip_text(const unsigned char *a, bool v6, int bits, StringInfo out)
{
	if (!v6)
		appendStringInfo(out, "%d.%d.%d.%d", a[0], a[1], a[2], a[3]);
	else
	{
		int			i;

		for (i = 0; i < 16; i += 2)
			appendStringInfo(out, "%s%x", i ? ":" : "", (a[i] << 8) | a[i + 1]);
	}
	if (bits >= 0 && bits != (v6 ? 128 : 32))
		appendStringInfo(out, "/%d", bits);
}

/*
 * sk_country
 *		A country: its name in the locale's language, or its ISO code.
 */
void
sk_country(SkFakeState *st, SkRng *rng, StringInfo out)
{
	int			k = sk_rng_below(rng, lengthof(sk_countries));

	appendStringInfoString(out, sk_countries[k][st->code ? 0 : sk_locale_index(st->loc)]);
}

/*
 * sk_locale_country
 *		Append the country of the locale itself (the part after "_" of its
 *		name): its ISO code with option code, else its name in the locale's
 *		language; the code when the country is not in the table.
 */
void
sk_locale_country(SkFakeState *st, StringInfo out)
{
	const char *cc = strchr(st->loc->name, '_');
	int			k;

	cc = cc ? cc + 1 : st->loc->name;
	for (k = 0; k < lengthof(sk_countries); k++)
		if (strcmp(sk_countries[k][0], cc) == 0)
		{
			appendStringInfoString(out, sk_countries[k][st->code ? 0 : sk_locale_index(st->loc)]);
			return;
		}
	appendStringInfoString(out, cc);
}
