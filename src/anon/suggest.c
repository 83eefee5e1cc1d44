/*-------------------------------------------------------------------------
 *
 * suggest.c
 *	  seedkit_suggest_flags: columns that look like personal data, from
 *	  their names (in several languages) and from a sample of their values
 *	  (shapes and check digits), fields inside json and jsonb included.
 *
 * A suggestion names a table, a column, a strategy with options, a reason
 * and a confidence from 0 to 1.  The reason says what matched in seedkit's
 * own words (a name pattern, how many sampled values had a shape): it
 * never quotes a value, and nothing here logs one.  Values are read only
 * from columns the caller may SELECT, with the caller's rights and row
 * security; at most SK_SAMPLE values per column.  Columns already flagged
 * are left out.
 *
 * src/anon/suggest.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "parser/parse_coerce.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/formatting.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "core/core.h"

/* values sampled per column, documents per json column */
#define SK_SAMPLE	200
/* fields of a json column followed, and their depth */
#define SK_MAX_PATHS 200
#define SK_MAX_DEPTH 8

/* A name rule: a column (or field) name pattern and what it suggests. */
typedef struct SkNameRule
{
	const char *pattern;		/* lower case; '_' between words */
	bool		exact;			/* the whole name, not a word of it */
	const char *text_strategy;	/* for string types (NULL: none) */
	const char *date_strategy;	/* for date and timestamp types */
	float		confidence;
} SkNameRule;

/*
 * The rules, most specific first; the first that matches wins.  A pattern
 * matches a whole name, or (unless exact) a run of its '_'-separated words;
 * a pattern in a script without word separators (Japanese) matches
 * anywhere in the name.
 */
static const SkNameRule sk_name_rules[] = {
	{"iban", false, "iban", NULL, 0.95f},
	{"credit_card", false, "credit_card", NULL, 0.9f},
	{"card_number", false, "credit_card", NULL, 0.9f},
	{"cc_number", false, "credit_card", NULL, 0.85f},
	{"kreditkarte", false, "credit_card", NULL, 0.9f},
	{"tarjeta", false, "credit_card", NULL, 0.8f},
	{"ssn", false, "scramble", NULL, 0.9f},
	{"social_security", false, "scramble", NULL, 0.9f},
	{"passport", false, "scramble", NULL, 0.85f},
	{"steuer_id", false, "scramble", NULL, 0.85f},
	{"steuernummer", false, "scramble", NULL, 0.85f},
	{"nir", true, "scramble", NULL, 0.7f},
	{"dni", false, "scramble", NULL, 0.8f},
	{"nif", false, "scramble", NULL, 0.8f},
	{"マイナンバー", false, "scramble", NULL, 0.9f},
	{"email", false, "email", NULL, 0.9f},
	{"e_mail", false, "email", NULL, 0.9f},
	{"courriel", false, "email", NULL, 0.9f},
	{"correo", false, "email", NULL, 0.85f},
	{"mail", false, "email", NULL, 0.75f},
	{"メール", false, "email", NULL, 0.85f},
	{"username", false, "username", NULL, 0.75f},
	{"user_name", false, "username", NULL, 0.75f},
	{"login", false, "username", NULL, 0.6f},
	{"benutzername", false, "username", NULL, 0.75f},
	{"first_name", false, "first_name", NULL, 0.85f},
	{"firstname", false, "first_name", NULL, 0.85f},
	{"given_name", false, "first_name", NULL, 0.85f},
	{"forename", false, "first_name", NULL, 0.85f},
	{"prenom", false, "first_name", NULL, 0.85f},
	{"prénom", false, "first_name", NULL, 0.85f},
	{"vorname", false, "first_name", NULL, 0.85f},
	{"nombre", true, "first_name", NULL, 0.7f},
	{"名前", false, "full_name", NULL, 0.8f},
	{"氏名", false, "full_name", NULL, 0.9f},
	{"full_name", false, "full_name", NULL, 0.85f},
	{"fullname", false, "full_name", NULL, 0.85f},
	{"nombre_completo", false, "full_name", NULL, 0.85f},
	{"last_name", false, "last_name", NULL, 0.85f},
	{"lastname", false, "last_name", NULL, 0.85f},
	{"surname", false, "last_name", NULL, 0.85f},
	{"family_name", false, "last_name", NULL, 0.85f},
	{"nachname", false, "last_name", NULL, 0.85f},
	{"familienname", false, "last_name", NULL, 0.85f},
	{"nom_de_famille", false, "last_name", NULL, 0.85f},
	{"nom", true, "last_name", NULL, 0.7f},
	{"apellido", false, "last_name", NULL, 0.85f},
	{"apellidos", false, "last_name", NULL, 0.85f},
	{"姓", true, "last_name", NULL, 0.7f},
	{"name", true, "full_name", NULL, 0.5f},
	{"birth", false, "scramble", "date_shift", 0.85f},
	{"birthday", false, "scramble", "date_shift", 0.85f},
	{"birthdate", false, "scramble", "date_shift", 0.85f},
	{"dob", false, "scramble", "date_shift", 0.85f},
	{"geburtsdatum", false, "scramble", "date_shift", 0.9f},
	{"geburtstag", false, "scramble", "date_shift", 0.85f},
	{"naissance", false, "scramble", "date_shift", 0.85f},
	{"nacimiento", false, "scramble", "date_shift", 0.85f},
	{"生年月日", false, "scramble", "date_shift", 0.9f},
	{"誕生日", false, "scramble", "date_shift", 0.85f},
	{"phone", false, "phone", NULL, 0.85f},
	{"telephone", false, "phone", NULL, 0.85f},
	{"téléphone", false, "phone", NULL, 0.85f},
	{"telefon", false, "phone", NULL, 0.85f},
	{"telefono", false, "phone", NULL, 0.85f},
	{"teléfono", false, "phone", NULL, 0.85f},
	{"tel", false, "phone", NULL, 0.7f},
	{"mobile", false, "phone", NULL, 0.75f},
	{"cell", false, "phone", NULL, 0.6f},
	{"handy", false, "phone", NULL, 0.7f},
	{"portable", false, "phone", NULL, 0.6f},
	{"movil", false, "phone", NULL, 0.7f},
	{"móvil", false, "phone", NULL, 0.7f},
	{"fax", false, "phone", NULL, 0.7f},
	{"電話", false, "phone", NULL, 0.85f},
	{"street", false, "street_address", NULL, 0.8f},
	{"address", false, "street_address", NULL, 0.75f},
	{"adresse", false, "street_address", NULL, 0.75f},
	{"strasse", false, "street_address", NULL, 0.8f},
	{"straße", false, "street_address", NULL, 0.8f},
	{"rue", false, "street_address", NULL, 0.6f},
	{"calle", false, "street_address", NULL, 0.8f},
	{"direccion", false, "street_address", NULL, 0.8f},
	{"dirección", false, "street_address", NULL, 0.8f},
	{"住所", false, "street_address", NULL, 0.85f},
	{"postcode", false, "postcode", NULL, 0.7f},
	{"postal_code", false, "postcode", NULL, 0.7f},
	{"zip", false, "postcode", NULL, 0.7f},
	{"zipcode", false, "postcode", NULL, 0.7f},
	{"plz", false, "postcode", NULL, 0.7f},
	{"code_postal", false, "postcode", NULL, 0.7f},
	{"codigo_postal", false, "postcode", NULL, 0.7f},
	{"郵便番号", false, "postcode", NULL, 0.8f},
	{"city", false, "city", NULL, 0.5f},
	{"ville", false, "city", NULL, 0.5f},
	{"stadt", false, "city", NULL, 0.5f},
	{"ciudad", false, "city", NULL, 0.5f},
	{"ip_address", false, "inet", NULL, 0.7f},
	{"ip", false, "inet", NULL, 0.6f},
};

/* What a sample of string values showed. */
typedef struct SkShapes
{
	int			n;				/* non-empty values seen */
	int			email;
	int			phone;
	int			iban;
	int			card;
} SkShapes;

/* One suggestion being built. */
typedef struct SkSuggestion
{
	const char *strategy;
	float		confidence;
	StringInfoData reason;
} SkSuggestion;

/* A field of a json column: its path, its last key, what its values showed. */
typedef struct SkJsonField
{
	char	   *path;
	char	   *key;
	int			ndocs;
	int			lastdoc;
	SkShapes	shapes;
} SkJsonField;

/*
 * sk_word_match
 *		Whether the normalised name (lower case, words joined by '_')
 *		matches the rule's pattern (see sk_name_rules).
 */
static bool
sk_word_match(const char *name, const SkNameRule *rule)
{
	const char *p = rule->pattern;
	size_t		plen = strlen(p);
	const char *hit;

	if (strcmp(name, p) == 0)
		return true;
	if (rule->exact)
		return false;
	/* a pattern in a script without spaces: anywhere */
	if ((unsigned char) p[0] >= 0xE3)
		return strstr(name, p) != NULL;
	for (hit = strstr(name, p); hit != NULL; hit = strstr(hit + 1, p))
	{
		bool		start = (hit == name || hit[-1] == '_');
		bool		end = (hit[plen] == '\0' || hit[plen] == '_');

		if (start && end)
			return true;
	}
	return false;
}

/*
 * sk_normalise_name
 *		A name in lower case with every run of ASCII characters other than
 *		letters and digits turned into one '_', and camelCase words split.
 */
static char *
sk_normalise_name(const char *name)
{
	StringInfoData s;
	const char *p;
	char	   *lower;

	initStringInfo(&s);
	for (p = name; *p; p++)
	{
		unsigned char c = (unsigned char) *p;

		if (c < 0x80 && !isalnum(c))
		{
			if (s.len > 0 && s.data[s.len - 1] != '_')
				appendStringInfoChar(&s, '_');
			continue;
		}
		/* firstName -> first_name */
		if (c >= 'A' && c <= 'Z' && p > name && p[-1] >= 'a' && p[-1] <= 'z')
			appendStringInfoChar(&s, '_');
		appendStringInfoChar(&s, (char) c);
	}
	while (s.len > 0 && s.data[s.len - 1] == '_')
		s.data[--s.len] = '\0';
	lower = str_tolower(s.data, s.len, DEFAULT_COLLATION_OID);
	pfree(s.data);
	return lower;
}

/*
 * sk_name_rule
 *		The first rule the name matches, or NULL.
 */
static const SkNameRule *
sk_name_rule(const char *name)
{
	char	   *norm = sk_normalise_name(name);
	int			i;

	for (i = 0; i < lengthof(sk_name_rules); i++)
		if (sk_word_match(norm, &sk_name_rules[i]))
			return &sk_name_rules[i];
	return NULL;
}

/*
 * sk_is_email
 *		Whether s has the shape of an email address.
 */
static bool
sk_is_email(const char *s)
{
	const char *at = strchr(s, '@');
	const char *dot;
	const char *p;

	if (at == NULL || at == s || strchr(at + 1, '@') != NULL || at - s > 64)
		return false;
	for (p = s; *p; p++)
		if (isspace((unsigned char) *p) || *p == ',' || *p == '<' || *p == '>')
			return false;
	dot = strrchr(at + 1, '.');
	if (dot == NULL || dot == at + 1 || strlen(dot + 1) < 2)
		return false;
	for (p = dot + 1; *p; p++)
		if (!isalpha((unsigned char) *p))
			return false;
	return true;
}

/*
 * sk_is_phone
 *		Whether s has the shape of a phone number: 7 to 15 digits with the
 *		usual separators, and a leading '+', a leading 0 or a separator.
 */
static bool
sk_is_phone(const char *s)
{
	int			digits = 0;
	bool		sep = false;
	const char *p;

	for (p = s; *p; p++)
	{
		if (isdigit((unsigned char) *p))
			digits++;
		else if (strchr(" -().+/", *p) != NULL)
			sep = true;
		else
			return false;
	}
	return digits >= 7 && digits <= 15 && (sep || s[0] == '0');
}

/*
 * sk_compact
 *		s without spaces and dashes into out (at most outlen - 1 bytes), in
 *		upper case; false when longer.
 */
static bool
sk_compact(const char *s, char *out, int outlen)
{
	int			n = 0;

	for (; *s; s++)
	{
		if (*s == ' ' || *s == '-')
			continue;
		if (n >= outlen - 1)
			return false;
		out[n++] = (*s >= 'a' && *s <= 'z') ? *s - 'a' + 'A' : *s;
	}
	out[n] = '\0';
	return true;
}

/*
 * sk_is_iban
 *		Whether s is an IBAN with valid ISO 13616 check digits.
 */
static bool
sk_is_iban(const char *s)
{
	char		c[40];
	int			len;
	int			r = 0;
	int			i;

	if (!sk_compact(s, c, sizeof(c)))
		return false;
	len = strlen(c);
	if (len < 15 || len > 34 || !isupper((unsigned char) c[0]) ||
		!isupper((unsigned char) c[1]) || !isdigit((unsigned char) c[2]) ||
		!isdigit((unsigned char) c[3]))
		return false;
	for (i = 0; i < len; i++)
	{
		char		ch = c[(i + 4) % len];

		if (isdigit((unsigned char) ch))
			r = (r * 10 + (ch - '0')) % 97;
		else if (ch >= 'A' && ch <= 'Z')
			r = (r * 100 + (ch - 'A' + 10)) % 97;
		else
			return false;
	}
	return r == 1;
}

/*
 * sk_is_card
 *		Whether s is a payment card number (13 to 19 digits, first digit 2
 *		to 6) with a valid Luhn check digit.
 */
static bool
sk_is_card(const char *s)
{
	char		c[40];
	int			len;
	int			sum = 0;
	int			i;

	if (!sk_compact(s, c, sizeof(c)))
		return false;
	len = strlen(c);
	if (len < 13 || len > 19 || c[0] < '2' || c[0] > '6')
		return false;
	for (i = 0; i < len; i++)
	{
		int			d = c[len - 1 - i] - '0';

		if (d < 0 || d > 9)
			return false;
		if (i % 2 == 1)
		{
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return sum % 10 == 0;
}

/*
 * sk_shape_count
 *		Count the shapes of one string value.
 */
static void
sk_shape_count(SkShapes *sh, const char *s)
{
	while (isspace((unsigned char) *s))
		s++;
	if (*s == '\0')
		return;
	sh->n++;
	if (sk_is_email(s))
		sh->email++;
	else if (sk_is_iban(s))
		sh->iban++;
	else if (sk_is_card(s))
		sh->card++;
	else if (sk_is_phone(s))
		sh->phone++;
}

/*
 * sk_suggest_add
 *		Offer a strategy with a confidence and a reason; the strongest offer
 *		stays, an offer agreeing with it raises its confidence.
 */
static void
sk_suggest_add(SkSuggestion *sg, const char *strategy, float confidence,
			   const char *reason)
{
	if (sg->strategy != NULL && strcmp(sg->strategy, strategy) == 0)
	{
		sg->confidence = Min(0.99f, Max(sg->confidence, confidence) + 0.05f);
		appendStringInfo(&sg->reason, "; %s", reason);
		return;
	}
	if (sg->strategy != NULL && sg->confidence >= confidence)
		return;
	sg->strategy = strategy;
	sg->confidence = confidence;
	resetStringInfo(&sg->reason);
	appendStringInfoString(&sg->reason, reason);
}

/*
 * sk_suggest_shapes
 *		Offers from the shapes of a sample: when at least 80% of the
 *		non-empty values have one.
 */
static void
sk_suggest_shapes(SkSuggestion *sg, const SkShapes *sh)
{
	static const char *const what[] = {"email addresses", "IBANs with valid check digits",
	"card numbers with a valid Luhn digit", "phone numbers"};
	static const char *const strategy[] = {"email", "iban", "credit_card", "phone"};
	static const float base[] = {0.5f, 0.55f, 0.5f, 0.35f};
	int			counts[4];
	int			i;

	counts[0] = sh->email;
	counts[1] = sh->iban;
	counts[2] = sh->card;
	counts[3] = sh->phone;
	if (sh->n == 0)
		return;
	for (i = 0; i < 4; i++)
	{
		double		ratio = (double) counts[i] / sh->n;

		if (ratio >= 0.8)
		{
			char	   *reason = psprintf("%d of %d sampled values are %s",
										  counts[i], sh->n, what[i]);

			sk_suggest_add(sg, strategy[i], (float) (base[i] + 0.4 * ratio), reason);
		}
	}
}

/*
 * sk_suggest_name
 *		The offer of a name rule for a value of type class: 'S' string,
 *		'D' date or timestamp, 'I' inet.
 */
static void
sk_suggest_name(SkSuggestion *sg, const char *name, char cls, const char *what)
{
	const SkNameRule *rule = sk_name_rule(name);
	const char *strategy;

	if (rule == NULL)
		return;
	strategy = cls == 'D' ? rule->date_strategy :
		cls == 'I' ? (strcmp(rule->text_strategy, "inet") == 0 ? "inet" : NULL) :
		rule->text_strategy;
	if (strategy == NULL)
		return;
	sk_suggest_add(sg, strategy, rule->confidence,
				   psprintf("%s matches \"%s\"", what, rule->pattern));
}

/*
 * sk_suggest_class
 *		'S' for string types, 'D' for date and timestamps, 'I' for inet and
 *		cidr, 'J' for json and jsonb, '\0' for others.
 */
static char
sk_suggest_class(Oid typid)
{
	Oid			base = getBaseType(typid);

	switch (base)
	{
		case DATEOID:
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			return 'D';
		case INETOID:
		case CIDROID:
			return 'I';
		case JSONOID:
		case JSONBOID:
			return 'J';
	}
	return TypeCategory(base) == TYPCATEGORY_STRING ? 'S' : '\0';
}

/*
 * sk_sample_sql
 *		The statement reading at most SK_SAMPLE non-null values of a column
 *		as cast.
 */
static char *
sk_sample_sql(Oid relid, const char *attname, const char *cast)
{
	const char *col = quote_identifier(attname);

	return psprintf("SELECT (%s)::%s FROM %s WHERE %s IS NOT NULL LIMIT %d",
					col, cast, sk_qualified_name(relid), col, SK_SAMPLE);
}

/*
 * sk_sample_strings
 *		The shapes of a sample of a string column.
 */
static void
sk_sample_strings(Oid relid, const char *attname, SkShapes *sh)
{
	uint64		i;

	if (SPI_execute(sk_sample_sql(relid, attname, "pg_catalog.text"), true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not sample column \"%s\"", attname);
	for (i = 0; i < SPI_processed; i++)
	{
		char	   *v = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);

		if (v != NULL)
		{
			sk_shape_count(sh, v);
			pfree(v);
		}
	}
	SPI_freetuptable(SPI_tuptable);
}

/*
 * sk_sample_dates
 *		Whether a sample of a date column looks like dates of birth: at
 *		least 80% between 16 and 110 years ago.  Counts only: the values
 *		stay in the server's statement.
 */
static void
sk_sample_dates(Oid relid, const char *attname, SkSuggestion *sg)
{
	const char *col = quote_identifier(attname);
	char	   *sql;
	bool		isnull;
	int64		n;
	int64		adult;

	sql = psprintf("SELECT count(*), count(*) FILTER (WHERE v::pg_catalog.date BETWEEN "
				   "CURRENT_DATE - 110 * 365 AND CURRENT_DATE - 16 * 365) "
				   "FROM (SELECT %s AS v FROM %s WHERE %s IS NOT NULL "
				   "AND %s NOT IN ('infinity', '-infinity') LIMIT %d) s",
				   col, sk_qualified_name(relid), col, col, SK_SAMPLE);
	if (SPI_execute(sql, true, 0) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not sample column \"%s\"", attname);
	n = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	adult = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	SPI_freetuptable(SPI_tuptable);
	if (n >= 5 && adult * 10 >= n * 8)
		sk_suggest_add(sg, "date_shift", (float) (0.3 + 0.3 * adult / n),
					   psprintf("%lld of %lld sampled values are dates 16 to 110 years ago",
								(long long) adult, (long long) n));
}

/*
 * sk_key_usable
 *		Whether an object key may appear in a path we return: a short name
 *		without '@' and not all digits (a key that is itself data, such as
 *		an email address or an id, must not leave the server).
 */
static bool
sk_key_usable(const char *key, int len)
{
	int			i;
	bool		digits = true;

	if (len == 0 || len > 63)
		return false;
	for (i = 0; i < len; i++)
	{
		if (key[i] == '@' || key[i] == '"' || key[i] == '\\' || (unsigned char) key[i] < 0x20)
			return false;
		if (!isdigit((unsigned char) key[i]))
			digits = false;
	}
	return !digits;
}

/*
 * sk_json_field
 *		The field of path in fields (appended when new and room is left).
 */
static SkJsonField *
sk_json_field(List **fields, const char *path, const char *key)
{
	ListCell   *lc;
	SkJsonField *f;

	foreach(lc, *fields)
	{
		f = (SkJsonField *) lfirst(lc);
		if (strcmp(f->path, path) == 0)
			return f;
	}
	if (list_length(*fields) >= SK_MAX_PATHS)
		return NULL;
	f = palloc0(sizeof(SkJsonField));
	f->path = pstrdup(path);
	f->key = pstrdup(key);
	f->lastdoc = -1;
	*fields = lappend(*fields, f);
	return f;
}

/*
 * sk_json_walk
 *		Record every string leaf of a document (number doc) under its path
 *		($.a.b, [*] for array elements, .* for keys not usable).
 */
static void
sk_json_walk(Jsonb *jb, int doc, List **fields)
{
	JsonbIterator *it = JsonbIteratorInit(&jb->root);
	JsonbValue	v;
	JsonbIteratorToken tok;
	StringInfoData path[SK_MAX_DEPTH + 2];
	char	   *keys[SK_MAX_DEPTH + 2];
	int			depth = 0;
	int			i;

	for (i = 0; i < SK_MAX_DEPTH + 2; i++)
	{
		initStringInfo(&path[i]);
		keys[i] = "";
	}
	appendStringInfoChar(&path[0], '$');
	while ((tok = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		switch (tok)
		{
			case WJB_BEGIN_ARRAY:
				if (v.val.array.rawScalar)
					break;
				/* elements one level down, under [*] */
				if (depth < SK_MAX_DEPTH)
				{
					resetStringInfo(&path[depth + 1]);
					appendStringInfo(&path[depth + 1], "%s[*]", path[depth].data);
					keys[depth + 1] = keys[depth];
				}
				depth++;
				break;
			case WJB_BEGIN_OBJECT:
				depth++;
				break;
			case WJB_END_ARRAY:
			case WJB_END_OBJECT:
				depth--;
				break;
			case WJB_KEY:
				if (depth <= SK_MAX_DEPTH)
				{
					char	   *k = pnstrdup(v.val.string.val, v.val.string.len);

					resetStringInfo(&path[depth]);
					if (!sk_key_usable(k, v.val.string.len))
						appendStringInfo(&path[depth], "%s.*", path[depth - 1].data);
					else if (strspn(k, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789") ==
							 (size_t) v.val.string.len && !isdigit((unsigned char) k[0]))
						appendStringInfo(&path[depth], "%s.%s", path[depth - 1].data, k);
					else
						appendStringInfo(&path[depth], "%s.\"%s\"", path[depth - 1].data, k);
					keys[depth] = sk_key_usable(k, v.val.string.len) ? k : "";
				}
				break;
			case WJB_VALUE:
			case WJB_ELEM:
				if (depth <= SK_MAX_DEPTH && v.type == jbvString &&
					!(tok == WJB_ELEM && depth == 0))
				{
					SkJsonField *f = sk_json_field(fields, path[depth].data, keys[depth]);

					if (f != NULL)
					{
						char	   *s = pnstrdup(v.val.string.val, v.val.string.len);

						if (f->lastdoc != doc)
						{
							f->ndocs++;
							f->lastdoc = doc;
						}
						sk_shape_count(&f->shapes, s);
						pfree(s);
					}
				}
				break;
			default:
				break;
		}
	}
}

/*
 * sk_path_option
 *		The options {"path": path} as a jsonb Datum.
 */
static Datum
sk_path_option(const char *path)
{
	StringInfoData s;

	initStringInfo(&s);
	appendStringInfoString(&s, "{\"path\": ");
	escape_json(&s, path);
	appendStringInfoChar(&s, '}');
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(s.data));
}

/*
 * sk_suggest_json
 *		Suggestions for the fields of a json or jsonb column, each with
 *		option path.
 */
static void
sk_suggest_json(Oid relid, AttrNumber attnum, const char *attname,
				ReturnSetInfo *rsinfo)
{
	List	   *fields = NIL;
	ListCell   *lc;
	uint64		i;
	uint64		ndocs;
	MemoryContext cxt = CurrentMemoryContext;

	if (SPI_execute(sk_sample_sql(relid, attname, "pg_catalog.jsonb"), true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not sample column \"%s\"", attname);
	ndocs = SPI_processed;
	for (i = 0; i < ndocs; i++)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);
		MemoryContext old = MemoryContextSwitchTo(cxt);

		if (!isnull)
			sk_json_walk(DatumGetJsonbP(d), (int) i, &fields);
		MemoryContextSwitchTo(old);
	}
	SPI_freetuptable(SPI_tuptable);
	foreach(lc, fields)
	{
		SkJsonField *f = (SkJsonField *) lfirst(lc);
		SkSuggestion sg = {0};
		Datum		values[6];
		bool		nulls[6] = {false, false, false, false, false, false};

		/* a path seen in one document only may be made of data */
		if (ndocs >= 2 && f->ndocs < 2)
			continue;
		initStringInfo(&sg.reason);
		if (f->key[0] != '\0')
			sk_suggest_name(&sg, f->key, 'S', "key");
		sk_suggest_shapes(&sg, &f->shapes);
		if (sg.strategy == NULL)
			continue;
		values[0] = ObjectIdGetDatum(relid);
		values[1] = DirectFunctionCall1(namein, CStringGetDatum(attname));
		values[2] = CStringGetTextDatum(sg.strategy);
		values[3] = sk_path_option(f->path);
		values[4] = CStringGetTextDatum(psprintf("field %s: %s", f->path, sg.reason.data));
		values[5] = Float4GetDatum(rintf(sg.confidence * 100.0f) / 100.0f);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	(void) attnum;
}

/*
 * sk_suggest_body
 *		seedkit_suggest_flags(schemas name[]): a row per column (or json
 *		field) that looks like personal data, in schema, table and column
 *		order: table_name, column_name, strategy, options, reason,
 *		confidence.
 */
static Datum
sk_suggest_body(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = sk_srf_begin(fcinfo, 0);
	Oid			argtypes[1] = {NAMEARRAYOID};
	Datum		args[1];
	char		argnulls[1] = {' '};
	SPITupleTable *cols;
	uint64		ncols;
	uint64		i;
	MemoryContext percol;
	MemoryContext old;

	if (PG_ARGISNULL(0))
	{
		args[0] = (Datum) 0;
		argnulls[0] = 'n';
	}
	else
		args[0] = PG_GETARG_DATUM(0);
	if (SPI_execute_with_args("SELECT c.oid, a.attnum, a.attname::text, a.atttypid, "
							  "has_column_privilege(c.oid, a.attnum, 'SELECT') "
							  "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
							  "JOIN pg_attribute a ON a.attrelid = c.oid "
							  "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "
							  "AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' "
							  "AND n.nspname <> ALL ('{pg_catalog, information_schema, seedkit}') "
							  "AND n.nspname !~ '^pg_(toast|temp_)' "
							  "AND ($1 IS NULL OR n.nspname = ANY ($1)) "
							  "AND NOT EXISTS (SELECT FROM seedkit.flags f "
							  "WHERE f.\"table\" = c.oid AND f.\"column\" = a.attname) "
							  "ORDER BY n.nspname, c.relname, a.attnum",
							  1, argtypes, args, argnulls, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the columns to suggest flags for");
	cols = SPI_tuptable;
	ncols = SPI_processed;
	percol = AllocSetContextCreate(CurrentMemoryContext, "seedkit_suggest_flags column",
								   ALLOCSET_DEFAULT_SIZES);
	for (i = 0; i < ncols; i++)
	{
		HeapTuple	tup = cols->vals[i];
		bool		isnull;
		Oid			relid = DatumGetObjectId(SPI_getbinval(tup, cols->tupdesc, 1, &isnull));
		AttrNumber	attnum = DatumGetInt16(SPI_getbinval(tup, cols->tupdesc, 2, &isnull));
		char	   *attname = SPI_getvalue(tup, cols->tupdesc, 3);
		Oid			typid = DatumGetObjectId(SPI_getbinval(tup, cols->tupdesc, 4, &isnull));
		bool		may_read = DatumGetBool(SPI_getbinval(tup, cols->tupdesc, 5, &isnull));
		char		cls = sk_suggest_class(typid);
		SkSuggestion sg = {0};
		Datum		values[6];
		bool		nulls[6] = {false, false, false, false, false, false};

		CHECK_FOR_INTERRUPTS();
		if (cls == '\0')
			continue;
		old = MemoryContextSwitchTo(percol);
		if (cls == 'J')
		{
			if (may_read)
				sk_suggest_json(relid, attnum, attname, rsinfo);
			MemoryContextSwitchTo(old);
			MemoryContextReset(percol);
			continue;
		}
		initStringInfo(&sg.reason);
		sk_suggest_name(&sg, attname, cls, "column name");
		if (may_read && cls == 'S')
		{
			SkShapes	sh = {0};

			sk_sample_strings(relid, attname, &sh);
			sk_suggest_shapes(&sg, &sh);
		}
		else if (may_read && cls == 'D')
			sk_sample_dates(relid, attname, &sg);
		MemoryContextSwitchTo(old);
		if (sg.strategy != NULL)
		{
			values[0] = ObjectIdGetDatum(relid);
			values[1] = DirectFunctionCall1(namein, CStringGetDatum(attname));
			values[2] = CStringGetTextDatum(sg.strategy);
			values[3] = DirectFunctionCall1(jsonb_in, CStringGetDatum("{}"));
			values[4] = CStringGetTextDatum(sg.reason.data);
			values[5] = Float4GetDatum(rintf(sg.confidence * 100.0f) / 100.0f);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
		MemoryContextReset(percol);
	}
	MemoryContextDelete(percol);
	SPI_finish();
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(seedkit_suggest_flags);

/*
 * seedkit_suggest_flags
 *		SQL entry: sk_suggest_body with search_path pinned.
 */
Datum
seedkit_suggest_flags(PG_FUNCTION_ARGS)
{
	return sk_call_pinned(sk_suggest_body, fcinfo);
}
