/*-------------------------------------------------------------------------
 *
 * fake.c
 *	  The anonymisation strategies and seedkit_fake(strategy, value, options).
 *
 * Every fake is F(seed, strategy, options, original): a SipHash key is
 * derived from the master key and the strategy with its options, the
 * original value is hashed under it, and the digest drives every choice
 * (names from the locale's lists, digits, shifts).  The same value gives the
 * same fake in every row, every table, in place and in snapshots.  The
 * state (parsed options, key, type I/O) is built once per call site and
 * kept in fn_extra; nothing expensive happens per row.
 *
 * src/fake.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>
#include <sys/socket.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "nodes/nodeFuncs.h"
#include "nodes/primnodes.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"
#include "utils/hsearch.h"
#include "utils/inet.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "anon.h"
#include "seedkit.h"

/* The input types a strategy accepts. */
#define A_TEXT	0x01
#define A_DATE	0x02
#define A_NUM	0x04
#define A_UUID	0x08
#define A_INET	0x10
#define A_ANY	0x1f

typedef enum SkStrategy
{
	ST_FIRST_NAME,
	ST_LAST_NAME,
	ST_FULL_NAME,
	ST_EMAIL,
	ST_PHONE,
	ST_STREET_ADDRESS,
	ST_CITY,
	ST_POSTCODE,
	ST_COUNTRY,
	ST_COMPANY,
	ST_USERNAME,
	ST_LOREM,
	ST_DATE_SHIFT,
	ST_NUMBER_NOISE,
	ST_HASH,
	ST_PARTIAL,
	ST_SCRAMBLE,
	ST_NULL,
	ST_VALUE,
	ST_UUID,
	ST_IPV4,
	ST_INET,
	ST_IBAN,
	ST_CREDIT_CARD
} SkStrategy;

typedef struct SkStrategyDef
{
	const char *name;
	SkStrategy	id;
	int			accepts;
	const char *options;		/* valid option names, ", "-separated */
	const char *types;			/* for error hints */
} SkStrategyDef;

static const SkStrategyDef sk_strategies[] = {
	{"first_name", ST_FIRST_NAME, A_TEXT, "locale", "text types"},
	{"last_name", ST_LAST_NAME, A_TEXT, "locale", "text types"},
	{"full_name", ST_FULL_NAME, A_TEXT, "locale", "text types"},
	{"email", ST_EMAIL, A_TEXT, "locale, domain", "text types"},
	{"phone", ST_PHONE, A_TEXT, "locale, format", "text types"},
	{"street_address", ST_STREET_ADDRESS, A_TEXT, "locale", "text types"},
	{"city", ST_CITY, A_TEXT, "locale", "text types"},
	{"postcode", ST_POSTCODE, A_TEXT, "locale, format", "text types"},
	{"country", ST_COUNTRY, A_TEXT, "locale, code", "text types"},
	{"company", ST_COMPANY, A_TEXT, "locale", "text types"},
	{"username", ST_USERNAME, A_TEXT, "locale", "text types"},
	{"lorem", ST_LOREM, A_TEXT, "locale", "text types"},
	{"date_shift", ST_DATE_SHIFT, A_DATE, "days", "date, timestamp and timestamptz"},
	{"number_noise", ST_NUMBER_NOISE, A_NUM, "percent", "smallint, integer, bigint, numeric, real and double precision"},
	{"hash", ST_HASH, A_TEXT, "length", "text types"},
	{"partial", ST_PARTIAL, A_TEXT, "first, last, mask", "text types"},
	{"scramble", ST_SCRAMBLE, A_TEXT, "", "text types"},
	{"null", ST_NULL, A_ANY, "", "every type (nullable columns only)"},
	{"value", ST_VALUE, A_ANY, "value", "every type"},
	{"uuid", ST_UUID, A_UUID | A_TEXT, "", "uuid and text types"},
	{"ipv4", ST_IPV4, A_INET | A_TEXT, "", "inet, cidr and text types"},
	{"inet", ST_INET, A_INET | A_TEXT, "", "inet, cidr and text types"},
	{"iban", ST_IBAN, A_TEXT, "locale, country", "text types"},
	{"credit_card", ST_CREDIT_CARD, A_TEXT, "brand", "text types"},
};

struct SkFakeState
{
	const SkStrategyDef *def;
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
	StringInfoData scratch;
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
	Datum		constval;
	bool		constnull;
	/* collision rounds (seedkit_anonymise on unique columns) */
	HTAB	   *rounds;
	uint64		digest[2];
};

/*
 * sk_jsonb_has
 *		Whether the object has top-level key.
 */
static bool
sk_jsonb_has(Jsonb *jb, const char *key)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	return findJsonbValueFromContainer(&jb->root, JB_FOBJECT, &k) != NULL;
}

/* GUC seedkit.locale, defined in anonymise.c */
extern char *sk_locale_guc;

/*
 * sk_strategy_names
 *		The valid strategies, for error hints.
 */
const char *
sk_strategy_names(void)
{
	static char *names = NULL;

	if (names == NULL)
	{
		StringInfoData s;
		int			i;
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

		initStringInfo(&s);
		for (i = 0; i < lengthof(sk_strategies); i++)
			appendStringInfo(&s, "%s%s", i ? ", " : "", sk_strategies[i].name);
		names = s.data;
		MemoryContextSwitchTo(old);
	}
	return names;
}

/*
 * sk_option_allowed
 *		Whether key is among def's comma-separated options.
 */
static bool
sk_option_allowed(const SkStrategyDef *def, const char *key)
{
	const char *p = def->options;
	size_t		klen = strlen(key);

	while (*p)
	{
		const char *end = strchr(p, ',');
		size_t		len = end ? (size_t) (end - p) : strlen(p);

		if (len == klen && strncmp(p, key, len) == 0)
			return true;
		if (!end)
			break;
		p = end + 1;
		while (*p == ' ')
			p++;
	}
	return false;
}

/*
 * sk_opt_error
 *		Report an invalid option value.
 */
static void
sk_opt_error(const SkStrategyDef *def, const char *key, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid value for option \"%s\" of strategy \"%s\"", key, def->name),
			 errdetail("Option \"%s\" must be %s.", key, what)));
}

/*
 * sk_jv_int
 *		An integer option value in [lo, hi].
 */
static int
sk_jv_int(const SkStrategyDef *def, const char *key, JsonbValue *v, int lo, int hi,
		  const char *what)
{
	double		d;

	if (v->type != jbvNumeric)
		sk_opt_error(def, key, what);
	d = DatumGetFloat8(DirectFunctionCall1(numeric_float8,
										   NumericGetDatum(v->val.numeric)));
	if (d != floor(d) || d < lo || d > hi)
		sk_opt_error(def, key, what);
	return (int) d;
}

/*
 * sk_jv_str
 *		A string option value, palloc'd.
 */
static char *
sk_jv_str(const SkStrategyDef *def, const char *key, JsonbValue *v, const char *what)
{
	if (v->type != jbvString)
		sk_opt_error(def, key, what);
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/*
 * sk_parse_options
 *		Check the options against the strategy and store them in st.
 */
static void
sk_parse_options(SkFakeState *st, Jsonb *options)
{
	const SkStrategyDef *def = st->def;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *key = NULL;

	if (options == NULL)
		return;
	if (!JB_ROOT_IS_OBJECT(options) || JB_ROOT_IS_SCALAR(options))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("anonymisation options must be a JSON object"),
				 errhint("Write options as in '{\"locale\": \"de_DE\"}'.")));
	it = JsonbIteratorInit(&options->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
		{
			key = pnstrdup(v.val.string.val, v.val.string.len);
			if (!sk_option_allowed(def, key))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("unknown option \"%s\" for strategy \"%s\"", key, def->name),
						 def->options[0] ?
						 errhint("Valid options for strategy \"%s\" are: %s.", def->name, def->options) :
						 errhint("Strategy \"%s\" takes no options.", def->name)));
			continue;
		}
		if (tok != WJB_VALUE || key == NULL)
			continue;
		if (v.type == jbvBinary)
			sk_opt_error(def, key, "a string, number, boolean or null");
		if (strcmp(key, "locale") == 0)
		{
			char	   *l = sk_jv_str(def, key, &v, "a locale name");

			st->loc = sk_find_locale(l);
			if (st->loc == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("unknown anonymisation locale \"%s\"", l),
						 errhint("Valid locales are: %s.", sk_locale_names())));
		}
		else if (strcmp(key, "days") == 0)
			st->days = sk_jv_int(def, key, &v, 1, 100000, "an integer from 1 to 100000");
		else if (strcmp(key, "percent") == 0)
		{
			if (v.type != jbvNumeric)
				sk_opt_error(def, key, "a number greater than 0 and at most 1000");
			st->percent = DatumGetFloat8(DirectFunctionCall1(numeric_float8,
															 NumericGetDatum(v.val.numeric)));
			if (!(st->percent > 0 && st->percent <= 1000))
				sk_opt_error(def, key, "a number greater than 0 and at most 1000");
		}
		else if (strcmp(key, "length") == 0)
			st->hash_len = sk_jv_int(def, key, &v, 1, 64, "an integer from 1 to 64");
		else if (strcmp(key, "first") == 0)
			st->keep_first = sk_jv_int(def, key, &v, 0, 1000, "an integer from 0 to 1000");
		else if (strcmp(key, "last") == 0)
			st->keep_last = sk_jv_int(def, key, &v, 0, 1000, "an integer from 0 to 1000");
		else if (strcmp(key, "mask") == 0)
		{
			st->mask = sk_jv_str(def, key, &v, "a non-empty string");
			if (st->mask[0] == '\0')
				sk_opt_error(def, key, "a non-empty string");
		}
		else if (strcmp(key, "domain") == 0)
		{
			st->domain = sk_jv_str(def, key, &v, "a domain name");
			if (st->domain[0] == '\0' || strchr(st->domain, '@'))
				sk_opt_error(def, key, "a domain name");
		}
		else if (strcmp(key, "format") == 0)
			st->format = sk_jv_str(def, key, &v, "a string where # stands for a digit and % for a digit from 1 to 9");
		else if (strcmp(key, "code") == 0)
		{
			if (v.type != jbvBool)
				sk_opt_error(def, key, "true or false");
			st->code = v.val.boolean;
		}
		else if (strcmp(key, "brand") == 0)
		{
			st->brand = sk_jv_str(def, key, &v, "one of visa, mastercard, amex");
			if (strcmp(st->brand, "visa") != 0 && strcmp(st->brand, "mastercard") != 0 &&
				strcmp(st->brand, "amex") != 0)
				sk_opt_error(def, key, "one of visa, mastercard, amex");
		}
		else if (strcmp(key, "country") == 0)
		{
			st->country = sk_jv_str(def, key, &v, "one of DE, ES, FR, GB");
			if (strcmp(st->country, "DE") != 0 && strcmp(st->country, "ES") != 0 &&
				strcmp(st->country, "FR") != 0 && strcmp(st->country, "GB") != 0)
				sk_opt_error(def, key, "one of DE, ES, FR, GB");
		}
		else if (strcmp(key, "value") == 0)
		{
			char	   *s;

			if (v.type == jbvNull)
			{
				st->constnull = true;
				continue;
			}
			if (v.type == jbvString)
				s = pnstrdup(v.val.string.val, v.val.string.len);
			else if (v.type == jbvBool)
				s = pstrdup(v.val.boolean ? "true" : "false");
			else
				s = DatumGetCString(DirectFunctionCall1(numeric_out,
														NumericGetDatum(v.val.numeric)));
			st->constnull = false;
			st->constval = InputFunctionCall(&st->inproc, s, st->ioparam, st->typmod);
			st->constval = datumCopy(st->constval, get_typbyval(st->basetype),
									 get_typlen(st->basetype));
		}
	}
}

/*
 * sk_type_class
 *		The A_* class of a base type, or 0.
 */
static int
sk_type_class(Oid basetype, bool *fast)
{
	char		cat;
	bool		pref;

	*fast = false;
	switch (basetype)
	{
		case TEXTOID:
		case VARCHAROID:
		case BPCHAROID:
			*fast = true;
			return A_TEXT;
		case DATEOID:
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			return A_DATE;
		case INT2OID:
		case INT4OID:
		case INT8OID:
		case NUMERICOID:
		case FLOAT4OID:
		case FLOAT8OID:
			return A_NUM;
		case UUIDOID:
			return A_UUID;
		case INETOID:
		case CIDROID:
			return A_INET;
	}
	get_type_category_preferred(basetype, &cat, &pref);
	if (cat == TYPCATEGORY_STRING)
		return A_TEXT;
	return 0;
}

/*
 * sk_fake_prepare
 *		Check strategy and options for a value of type typid (typmod; a
 *		column that is NOT NULL when column_notnull) and return the state
 *		sk_fake_apply needs, allocated in mcxt.  colname, when not NULL,
 *		names the column in errors.
 */
static SkFakeState *
sk_prepare(const char *strategy, Jsonb *options, Oid typid, int32 typmod,
		   bool column_notnull, const char *colname, MemoryContext mcxt,
		   bool with_key)
{
	MemoryContext old = MemoryContextSwitchTo(mcxt);
	SkFakeState *st = palloc0(sizeof(SkFakeState));
	const SkStrategyDef *def = NULL;
	int			i;
	SkKey		master;
	StringInfoData label;
	Oid			infunc;
	Oid			outfunc;
	bool		isvarlena;

	sk_icu_require_utf8();
	for (i = 0; i < lengthof(sk_strategies); i++)
		if (strcmp(sk_strategies[i].name, strategy) == 0)
			def = &sk_strategies[i];
	if (def == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown anonymisation strategy \"%s\"", strategy),
				 errhint("Valid strategies are: %s.", sk_strategy_names())));
	st->def = def;
	st->mcxt = mcxt;
	st->typid = typid;
	st->typmod = typmod;
	st->basetype = getBaseTypeAndTypmod(typid, &st->typmod);
	if (typmod >= 0 && st->typmod < 0)
		st->typmod = typmod;
	st->is_domain = (st->basetype != typid);
	st->is_bpchar = (st->basetype == BPCHAROID);
	st->cls = sk_type_class(st->basetype, &st->fast_text);
	if ((st->cls & def->accepts) == 0 && def->accepts != A_ANY)
	{
		if (colname)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("strategy \"%s\" cannot produce values of type %s for column \"%s\"",
							def->name, format_type_with_typemod(typid, typmod), colname),
					 errhint("Strategy \"%s\" works on %s.", def->name, def->types)));
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("strategy \"%s\" cannot produce values of type %s",
						def->name, format_type_be(typid)),
				 errhint("Strategy \"%s\" works on %s.", def->name, def->types)));
	}
	getTypeInputInfo(st->basetype, &infunc, &st->ioparam);
	fmgr_info_cxt(infunc, &st->inproc, mcxt);
	getTypeOutputInfo(st->basetype, &outfunc, &isvarlena);
	fmgr_info_cxt(outfunc, &st->outproc, mcxt);

	/* defaults */
	st->days = 365;
	st->percent = 10;
	st->hash_len = 32;
	st->keep_first = 1;
	st->keep_last = 2;
	st->mask = "*";
	st->constnull = true;
	sk_parse_options(st, options);
	if (def->id == ST_VALUE && (options == NULL ||
								!sk_jsonb_has(options, "value")))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("strategy \"value\" needs option \"value\""),
				 errhint("Pass the constant as in '{\"value\": \"redacted\"}'.")));
	if (column_notnull &&
		(def->id == ST_NULL || (def->id == ST_VALUE && st->constnull)))
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("strategy \"%s\" would write null into NOT NULL column \"%s\"",
						def->name, colname ? colname : "?"),
				 errhint("Use strategy \"value\" with a non-null constant, or another strategy.")));
	if (st->loc == NULL)
	{
		st->loc = sk_find_locale(sk_locale_guc ? sk_locale_guc : "en_US");
		if (st->loc == NULL)
			st->loc = sk_find_locale("en_US");
	}

	/* the key: master key, then strategy and canonical options */
	if (!with_key)
	{
		MemoryContextSwitchTo(old);
		return st;
	}
	sk_master_key(&master);
	initStringInfo(&label);
	appendStringInfo(&label, "%s", def->name);
	appendStringInfoChar(&label, '\0');
	if (options != NULL)
		(void) JsonbToCString(&label, &options->root, VARSIZE(options));
	sk_derive_key(&master, label.data, label.len, &st->key);
	explicit_bzero(&master, sizeof(master));
	pfree(label.data);
	initStringInfo(&st->buf);
	initStringInfo(&st->scratch);
	MemoryContextSwitchTo(old);
	return st;
}

/*
 * sk_fake_prepare
 *		Check strategy and options for a value of type typid (typmod; a
 *		column that is NOT NULL when column_notnull) and return the state
 *		sk_fake_apply needs, allocated in mcxt.  colname, when not NULL,
 *		names the column in errors.
 */
SkFakeState *
sk_fake_prepare(const char *strategy, Jsonb *options, Oid typid, int32 typmod,
				bool column_notnull, const char *colname, MemoryContext mcxt)
{
	return sk_prepare(strategy, options, typid, typmod, column_notnull,
					  colname, mcxt, true);
}

/*
 * sk_fake_validate
 *		The checks of sk_fake_prepare without reading the seed (flag time).
 */
void
sk_fake_validate(const char *strategy, Jsonb *options, Oid typid, int32 typmod,
				 bool column_notnull, const char *colname)
{
	(void) sk_prepare(strategy, options, typid, typmod, column_notnull,
					  colname, CurrentMemoryContext, false);
}

/*
 * sk_strategy_takes
 *		Whether the strategy (known or not) accepts the option.
 */
bool
sk_strategy_takes(const char *strategy, const char *option)
{
	int			i;

	for (i = 0; i < lengthof(sk_strategies); i++)
		if (strcmp(sk_strategies[i].name, strategy) == 0)
			return sk_option_allowed(&sk_strategies[i], option);
	return false;
}

/*
 * sk_fake_set_rounds
 *		Collision rounds for this state: original digest -> round, used by
 *		sk_fake_apply when called with round 0.
 */
void
sk_fake_set_rounds(SkFakeState *st, HTAB *rounds)
{
	st->rounds = rounds;
}

/*
 * sk_fake_last_digest
 *		The keyed digest of the last original value sk_fake_apply saw.
 */
void
sk_fake_last_digest(SkFakeState *st, uint64 out[2])
{
	out[0] = st->digest[0];
	out[1] = st->digest[1];
}

/*
 * sk_fake_strategy
 *		The strategy's name.
 */
const char *
sk_fake_strategy(SkFakeState *st)
{
	return st->def->name;
}

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
		appendBinaryStringInfo(out, words->w[i], words->wlen[i]);
	if (ascii)
		appendStringInfoString(ascii, sk_word_ascii(words, i));
}

/*
 * sk_pick
 *		Append a random entry of a list.
 */
static void
sk_pick(SkFakeState *st, SkRng *rng, SkList list, StringInfo out, StringInfo ascii)
{
	SkWords    *w = sk_words(st->loc, list);

	if (w->n > 0)
		sk_append_word(w, sk_rng_below(rng, w->n), out, ascii);
}

/*
 * sk_pick_given
 *		Append a given name (female when female, else male); where the
 *		locale composes given names (ja_JP), a beginning and an ending.
 */
static void
sk_pick_given(SkFakeState *st, SkRng *rng, bool female, StringInfo out,
			  StringInfo ascii)
{
	sk_pick(st, rng, female ? SK_FEMALE : SK_MALE, out, ascii);
	sk_pick(st, rng, female ? SK_FEMALE_SUF : SK_MALE_SUF, out, ascii);
}

/*
 * sk_pick_last
 *		Append a surname: a whole common surname or one composed of a
 *		beginning and an ending; family-name-first locales (ja_JP) also
 *		compose three parts (小野寺 style).
 */
static void
sk_pick_last(SkFakeState *st, SkRng *rng, StringInfo out, StringInfo ascii)
{
	SkWords    *whole = sk_words(st->loc, SK_LAST);
	SkWords    *pre = sk_words(st->loc, SK_LAST_PRE);
	SkWords    *suf = sk_words(st->loc, SK_LAST_SUF);
	uint32		two = pre->n * suf->n;
	uint32		three = st->loc->family_first ? two * pre->n : 0;
	uint32		k = sk_rng_below(rng, whole->n + two + three);

	if (k < (uint32) whole->n)
		sk_append_word(whole, k, out, ascii);
	else if (k < (uint32) whole->n + two)
	{
		k -= whole->n;
		sk_append_word(pre, k / suf->n, out, ascii);
		sk_append_word(suf, k % suf->n, out, ascii);
	}
	else
	{
		k -= whole->n + two;
		sk_append_word(pre, k % pre->n, out, ascii);
		k /= pre->n;
		sk_append_word(pre, k % pre->n, out, ascii);
		k /= pre->n;
		sk_append_word(suf, k % suf->n, out, ascii);
	}
}

/*
 * sk_full_name
 *		Append a full name in the locale's order: given, middle name or
 *		initial, surname (two surnames for es_ES; family name first and no
 *		middle name for ja_JP).
 */
static void
sk_full_name(SkFakeState *st, SkRng *rng, StringInfo out)
{
	SkLocale   *loc = st->loc;
	bool		female = sk_rng_below(rng, 2) == 0;

	if (loc->family_first)
	{
		sk_pick_last(st, rng, out, NULL);
		appendStringInfoString(out, loc->name_sep);
		sk_pick_given(st, rng, female, out, NULL);
		return;
	}
	sk_pick_given(st, rng, female, out, NULL);
	if (loc->middle_names)
	{
		SkWords    *w = sk_words(loc, female ? SK_FEMALE : SK_MALE);
		uint32		k = sk_rng_below(rng, w->n + 26);

		appendStringInfoString(out, loc->name_sep);
		if (k < (uint32) w->n)
			sk_append_word(w, k, out, NULL);
		else
			appendStringInfo(out, "%c.", (char) ('A' + k - w->n));
	}
	appendStringInfoString(out, loc->name_sep);
	sk_pick_last(st, rng, out, NULL);
	if (loc->two_surnames)
	{
		appendStringInfoString(out, loc->name_sep);
		sk_pick_last(st, rng, out, NULL);
	}
}

/*
 * sk_digits
 *		Expand a format: # a digit, % a digit from 1 to 9, the rest kept.
 */
static void
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
 * sk_template
 *		Expand a locale template: {L} surname, {F} given name, {W} company
 *		word, {S} street, {T} street type, {C} city, {#} house number.
 */
static void
sk_template(SkFakeState *st, SkRng *rng, const char *tpl, StringInfo out)
{
	const char *p = tpl;

	while (*p)
	{
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
				case '#':
					if (st->loc->family_first)
						appendStringInfo(out, "%u", 1 + sk_rng_below(rng, 30));
					else if (sk_rng_below(rng, 8) == 0)
						appendStringInfo(out, "%u", 200 + sk_rng_below(rng, 800));
					else
						appendStringInfo(out, "%u", 1 + sk_rng_below(rng, 199));
					break;
			}
			p += 3;
			continue;
		}
		appendStringInfoChar(out, *p++);
	}
}

/*
 * sk_pick_format
 *		A random template of a locale's list.
 */
static const char *
sk_pick_format(SkFakeState *st, SkRng *rng, SkList list)
{
	SkWords    *w = sk_words(st->loc, list);

	return w->w[sk_rng_below(rng, w->n)];
}

/*
 * sk_person_ascii
 *		ASCII given name and surname of a fake person (for emails and
 *		usernames), falling back to "user" when transliteration is empty.
 */
static void
sk_person_ascii(SkFakeState *st, SkRng *rng, StringInfo first, StringInfo last)
{
	sk_pick_given(st, rng, sk_rng_below(rng, 2) == 0, NULL, first);
	sk_pick_last(st, rng, NULL, last);
	if (first->len == 0)
		appendStringInfoString(first, "user");
	if (last->len == 0)
		appendStringInfoString(last, "name");
}

static const char *const sk_email_domains[] = {
	"example.com", "example.net", "example.org"
};

/*
 * sk_email
 *		An email address made from a fake name in ASCII.
 */
static void
sk_email(SkFakeState *st, SkRng *rng, StringInfo out)
{
	StringInfoData f;
	StringInfoData l;

	initStringInfo(&f);
	initStringInfo(&l);
	sk_person_ascii(st, rng, &f, &l);
	switch (sk_rng_below(rng, 6))
	{
		case 0:
			appendStringInfo(out, "%s.%s", f.data, l.data);
			break;
		case 1:
			appendStringInfo(out, "%s%s", f.data, l.data);
			break;
		case 2:
			appendStringInfo(out, "%s_%s", f.data, l.data);
			break;
		case 3:
			appendStringInfo(out, "%c%s", f.data[0], l.data);
			break;
		case 4:
			appendStringInfo(out, "%s.%s%02u", f.data, l.data, sk_rng_below(rng, 100));
			break;
		default:
			appendStringInfo(out, "%s.%s", l.data, f.data);
			break;
	}
	appendStringInfo(out, "@%s", st->domain ? st->domain :
					 sk_email_domains[sk_rng_below(rng, lengthof(sk_email_domains))]);
	pfree(f.data);
	pfree(l.data);
}

/*
 * sk_username
 *		A login name made from a fake name in ASCII.
 */
static void
sk_username(SkFakeState *st, SkRng *rng, StringInfo out)
{
	StringInfoData f;
	StringInfoData l;

	initStringInfo(&f);
	initStringInfo(&l);
	sk_person_ascii(st, rng, &f, &l);
	switch (sk_rng_below(rng, 5))
	{
		case 0:
			appendStringInfo(out, "%c%s", f.data[0], l.data);
			break;
		case 1:
			appendStringInfo(out, "%s.%s", f.data, l.data);
			break;
		case 2:
			appendStringInfo(out, "%s%s%u", f.data, l.data, sk_rng_below(rng, 100));
			break;
		case 3:
			appendStringInfo(out, "%s_%s", f.data, l.data);
			break;
		default:
			appendStringInfo(out, "%s%c%02u", l.data, f.data[0], sk_rng_below(rng, 100));
			break;
	}
	pfree(f.data);
	pfree(l.data);
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
	if (strcmp(loc->name, "de_DE") == 0)
		return 2;
	if (strcmp(loc->name, "fr_FR") == 0)
		return 3;
	if (strcmp(loc->name, "es_ES") == 0)
		return 4;
	if (strcmp(loc->name, "ja_JP") == 0)
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
 * sk_iban
 *		An IBAN of the country with valid check digits (and valid national
 *		check digits for FR and ES), grouped by four when group.
 */
static void
sk_iban(SkFakeState *st, SkRng *rng, bool group, StringInfo out)
{
	const char *cc = st->country ? st->country : st->loc->iban_country;
	char		bban[40];
	char		tmp[64];
	int			check;
	int			i;
	StringInfoData b;

	initStringInfo(&b);
	if (strcmp(cc, "FR") == 0)
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
		snprintf(bban, sizeof(bban), "%s%02d", rib, key);
	}
	else if (strcmp(cc, "ES") == 0)
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
		snprintf(bban, sizeof(bban), "%s%d%d%s", ten + 2, d1, d2, acct);
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
static void
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
 * sk_lorem
 *		Filler words of the locale, clipped to nchars characters.
 */
static void
sk_lorem(SkFakeState *st, SkRng *rng, int nchars, StringInfo out)
{
	SkWords    *w = sk_words(st->loc, SK_LOREM);
	bool		spaces = !st->loc->family_first;
	int			chars = 0;
	int			clip;

	while (chars < nchars)
	{
		int			k = sk_rng_below(rng, w->n);

		if (chars > 0 && spaces)
		{
			appendStringInfoChar(out, ' ');
			chars++;
		}
		appendBinaryStringInfo(out, w->w[k], w->wlen[k]);
		chars += pg_mbstrlen_with_len(w->w[k], w->wlen[k]);
	}
	clip = pg_mbcharcliplen(out->data, out->len, nchars);
	out->len = clip;
	out->data[clip] = '\0';
	/* no trailing space, capital first letter */
	if (out->len > 0 && out->data[out->len - 1] == ' ')
		out->data[out->len - 1] = 'a';
	if (out->len > 0 && out->data[0] >= 'a' && out->data[0] <= 'z')
		out->data[0] += 'A' - 'a';
}

/*
 * sk_partial
 *		Keep the first and last user-perceived characters, mask the rest;
 *		a value too short to keep anything is masked entirely.
 */
static void
sk_partial(SkFakeState *st, const char *s, int len, StringInfo out)
{
	int		   *off;
	int			n = sk_icu_graphemes(s, len, &off);
	int			i;

	if (n <= st->keep_first + st->keep_last)
	{
		for (i = 0; i < n; i++)
			appendStringInfoString(out, st->mask);
	}
	else
	{
		appendBinaryStringInfo(out, s, off[st->keep_first]);
		for (i = st->keep_first; i < n - st->keep_last; i++)
			appendStringInfoString(out, st->mask);
		appendBinaryStringInfo(out, s + off[n - st->keep_last],
							   len - off[n - st->keep_last]);
	}
	pfree(off);
}

/*
 * sk_hex
 *		length hex digits of the keyed digest stream.
 */
static void
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
static void
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
static void
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
static void
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
static void
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

/* ---------------------------------------------------------------------
 * Applying a strategy to one value
 * ---------------------------------------------------------------------
 */

/*
 * sk_fit_text
 *		The text result as a Datum of the column's type: clipped to
 *		varchar(n) / char(n) and padded for char(n), or through the type's
 *		input function for other string types.
 */
static Datum
sk_fit_text(SkFakeState *st, const char *s, int len)
{
	if (st->fast_text)
	{
		if (st->typmod >= (int32) VARHDRSZ)
		{
			int			maxchars = st->typmod - VARHDRSZ;
			int			clip = pg_mbcharcliplen(s, len, maxchars);

			if (st->is_bpchar)
			{
				int			nchars = pg_mbstrlen_with_len(s, clip);
				text	   *t;

				if (nchars < maxchars)
				{
					t = (text *) palloc(VARHDRSZ + clip + (maxchars - nchars));
					memcpy(VARDATA(t), s, clip);
					memset(VARDATA(t) + clip, ' ', maxchars - nchars);
					SET_VARSIZE(t, VARHDRSZ + clip + (maxchars - nchars));
					return PointerGetDatum(t);
				}
			}
			len = clip;
		}
		return PointerGetDatum(cstring_to_text_with_len(s, len));
	}
	else
	{
		char	   *c = pnstrdup(s, len);

		return InputFunctionCall(&st->inproc, c, st->ioparam, st->typmod);
	}
}

/*
 * sk_value_text
 *		The original value as text bytes (trailing blanks of char(n) are not
 *		significant and left out).
 */
static const char *
sk_value_text(SkFakeState *st, Datum value, int *len)
{
	if (st->cls == A_TEXT && st->fast_text)
	{
		text	   *t = DatumGetTextPP(value);
		const char *p = VARDATA_ANY(t);
		int			l = VARSIZE_ANY_EXHDR(t);

		if (st->is_bpchar)
			while (l > 0 && p[l - 1] == ' ')
				l--;
		*len = l;
		return p;
	}
	else
	{
		char	   *c = OutputFunctionCall(&st->outproc, value);

		*len = strlen(c);
		return c;
	}
}

/*
 * sk_date_shift
 *		Shift a date or timestamp by a non-zero number of whole days within
 *		the option's range; infinities stay.
 */
static Datum
sk_date_shift(SkFakeState *st, SkRng *rng, Datum value)
{
	int32		delta = 1 + sk_rng_below(rng, st->days);

	if (sk_rng_below(rng, 2))
		delta = -delta;
	if (st->basetype == DATEOID)
	{
		DateADT		d = DatumGetDateADT(value);
		int64		r;

		if (DATE_NOT_FINITE(d))
			return value;
		r = (int64) d + delta;
		if (!IS_VALID_DATE(r))
			r = (int64) d - delta;
		return DateADTGetDatum((DateADT) r);
	}
	else
	{
		Timestamp	t = DatumGetTimestamp(value);
		Timestamp	r;

		if (TIMESTAMP_NOT_FINITE(t))
			return value;
		r = t + (int64) delta * USECS_PER_DAY;
		if (!IS_VALID_TIMESTAMP(r))
			r = t - (int64) delta * USECS_PER_DAY;
		return TimestampGetDatum(r);
	}
}

/*
 * sk_number_noise
 *		Multiply by 1 + u, u uniform within the percentage, keeping the type
 *		and (for numeric) the scale and the column's precision.
 */
static Datum
sk_number_noise(SkFakeState *st, SkRng *rng, Datum value)
{
	/* u in [-1, 1] with 2^-52 resolution, then a factor around 1 */
	double		u = ((double) (sk_rng_next(rng) >> 11) / (double) (UINT64CONST(1) << 53)) * 2.0 - 1.0;
	double		f = 1.0 + u * st->percent / 100.0;

	switch (st->basetype)
	{
		case INT2OID:
			{
				double		r = rint(DatumGetInt16(value) * f);

				r = Max(Min(r, PG_INT16_MAX), PG_INT16_MIN);
				return Int16GetDatum((int16) r);
			}
		case INT4OID:
			{
				double		r = rint(DatumGetInt32(value) * f);

				r = Max(Min(r, PG_INT32_MAX), PG_INT32_MIN);
				return Int32GetDatum((int32) r);
			}
		case INT8OID:
			{
				double		r = rint((double) DatumGetInt64(value) * f);

				if (r >= 9.2e18)
					r = 9.2e18;
				if (r <= -9.2e18)
					r = -9.2e18;
				return Int64GetDatum((int64) r);
			}
		case FLOAT4OID:
			return Float4GetDatum((float4) (DatumGetFloat4(value) * f));
		case FLOAT8OID:
			return Float8GetDatum(DatumGetFloat8(value) * f);
		default:
			{
				/* numeric: exact arithmetic, factor with 9 decimals */
				Numeric		num = DatumGetNumeric(value);
				int64		fm = (int64) rint(f * 1000000000.0);
				Datum		factor;
				Datum		r;
				int32		scale;

				if (numeric_is_nan(num) || numeric_is_inf(num))
					return value;
				scale = DatumGetInt32(DirectFunctionCall1(numeric_scale, value));
				factor = DirectFunctionCall2(numeric_div,
											 NumericGetDatum(int64_to_numeric(fm)),
											 NumericGetDatum(int64_to_numeric(1000000000)));
				r = DirectFunctionCall2(numeric_mul, value, factor);
				r = DirectFunctionCall2(numeric_round, r, Int32GetDatum(scale));
				if (st->typmod >= (int32) VARHDRSZ)
				{
					int32		precision = ((st->typmod - VARHDRSZ) >> 16) & 0xffff;
					int32		tscale = (st->typmod - VARHDRSZ) & 0x7ff;
					Datum		limit;

					/* over the column's precision: mirror the factor below 1 */
					limit = DirectFunctionCall2(numeric_power,
												NumericGetDatum(int64_to_numeric(10)),
												NumericGetDatum(int64_to_numeric(precision - tscale)));
					if (DatumGetBool(DirectFunctionCall2(numeric_ge,
														 DirectFunctionCall1(numeric_abs, r),
														 limit)))
					{
						factor = DirectFunctionCall2(numeric_sub,
													 NumericGetDatum(int64_to_numeric(2)),
													 factor);
						r = DirectFunctionCall2(numeric_mul, value, factor);
						r = DirectFunctionCall2(numeric_round, r, Int32GetDatum(scale));
					}
					r = DirectFunctionCall2(numeric, r, Int32GetDatum(st->typmod));
				}
				return r;
			}
	}
}

/*
 * sk_hash_input
 *		The bytes an original value is hashed by: its text for strings,
 *		integers as 64-bit (an int4 and an int8 column map alike), numeric
 *		normalised, other types by their text form.
 */
static const void *
sk_hash_input(SkFakeState *st, Datum value, int *len, int64 *ibuf)
{
	switch (st->basetype)
	{
		case INT2OID:
			*ibuf = DatumGetInt16(value);
			*len = sizeof(int64);
			return ibuf;
		case INT4OID:
			*ibuf = DatumGetInt32(value);
			*len = sizeof(int64);
			return ibuf;
		case INT8OID:
			*ibuf = DatumGetInt64(value);
			*len = sizeof(int64);
			return ibuf;
		case DATEOID:
			*ibuf = DatumGetDateADT(value);
			*len = sizeof(int64);
			return ibuf;
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			*ibuf = DatumGetTimestamp(value);
			*len = sizeof(int64);
			return ibuf;
		case NUMERICOID:
			{
				char	   *c = numeric_normalize(DatumGetNumeric(value));

				*len = strlen(c);
				return c;
			}
		case UUIDOID:
			*len = UUID_LEN;
			return DatumGetUUIDP(value)->data;
	}
	return sk_value_text(st, value, len);
}

/*
 * sk_fake_apply
 *		The fake for value (a non-null Datum of the prepared type; *isnull
 *		false on entry).  round > 0 asks for another candidate, used to
 *		resolve collisions in unique columns.  Sets *isnull for the null
 *		strategy.
 */
Datum
sk_fake_apply(SkFakeState *st, Datum value, bool *isnull, uint32 round)
{
	SkRng		rng;
	const void *in;
	int			inlen;
	int64		ibuf;
	StringInfo	out = &st->buf;
	Datum		result;
	const char *s = NULL;
	int			slen = 0;

	if (*isnull)
		return value;
	switch (st->def->id)
	{
		case ST_NULL:
			*isnull = true;
			return (Datum) 0;
		case ST_VALUE:
			*isnull = st->constnull;
			result = st->constval;
			goto done;
		default:
			break;
	}
	in = sk_hash_input(st, value, &inlen, &ibuf);
	sk_rng_init(&rng, &st->key, in, inlen, 0);
	st->digest[0] = rng.d0;
	st->digest[1] = rng.d1;
	if (round == 0 && st->rounds != NULL)
	{
		SkRoundEntry *e = hash_search(st->rounds, st->digest, HASH_FIND, NULL);

		if (e != NULL)
			round = e->round;
	}
	if (round > 0)
		sk_rng_init(&rng, &st->key, in, inlen, round);
	if (st->cls == A_TEXT)
	{
		if (st->fast_text)
		{
			s = in;
			slen = inlen;
		}
		else
			s = sk_value_text(st, value, &slen);
		/* an empty string carries nothing: it stays empty */
		if (slen == 0 && st->def->id != ST_HASH && st->def->id != ST_UUID)
			return sk_fit_text(st, "", 0);
	}
	resetStringInfo(out);
	switch (st->def->id)
	{
		case ST_FIRST_NAME:
			sk_pick_given(st, &rng, sk_rng_below(&rng, 2) == 0, out, NULL);
			break;
		case ST_LAST_NAME:
			sk_pick_last(st, &rng, out, NULL);
			break;
		case ST_FULL_NAME:
			sk_full_name(st, &rng, out);
			break;
		case ST_EMAIL:
			sk_email(st, &rng, out);
			break;
		case ST_USERNAME:
			sk_username(st, &rng, out);
			break;
		case ST_PHONE:
			sk_digits(&rng, st->format ? st->format :
					  sk_pick_format(st, &rng, SK_PHONE_FORMAT), out);
			break;
		case ST_POSTCODE:
			sk_digits(&rng, st->format ? st->format : st->loc->postcode_format, out);
			break;
		case ST_STREET_ADDRESS:
			sk_template(st, &rng, sk_pick_format(st, &rng, SK_STREET_FORMAT), out);
			break;
		case ST_CITY:
			sk_pick(st, &rng, SK_CITY, out, NULL);
			break;
		case ST_COMPANY:
			sk_template(st, &rng, sk_pick_format(st, &rng, SK_COMPANY_FORMAT), out);
			break;
		case ST_COUNTRY:
			{
				int			k = sk_rng_below(&rng, lengthof(sk_countries));

				appendStringInfoString(out, sk_countries[k][st->code ? 0 :
															 sk_locale_index(st->loc)]);
				break;
			}
		case ST_LOREM:
			sk_lorem(st, &rng, pg_mbstrlen_with_len(s, slen), out);
			break;
		case ST_HASH:
			sk_hex(&rng, st->hash_len, out);
			break;
		case ST_PARTIAL:
			sk_partial(st, s, slen, out);
			break;
		case ST_SCRAMBLE:
			sk_icu_scramble(&rng, s, slen, out);
			break;
		case ST_IBAN:
			sk_iban(st, &rng, memchr(s, ' ', slen) != NULL, out);
			break;
		case ST_CREDIT_CARD:
			sk_credit_card(st, &rng, memchr(s, ' ', slen) ? ' ' :
						   memchr(s, '-', slen) ? '-' : '\0', out);
			break;
		case ST_UUID:
			{
				pg_uuid_t  *u = palloc(sizeof(pg_uuid_t));

				sk_uuid_bytes(&rng, u->data);
				if (st->cls == A_UUID)
				{
					result = UUIDPGetDatum(u);
					goto done;
				}
				appendStringInfoString(out, DatumGetCString(DirectFunctionCall1(uuid_out,
																				UUIDPGetDatum(u))));
				break;
			}
		case ST_IPV4:
		case ST_INET:
			{
				unsigned char a[16];
				bool		v6;
				int			bits = -1;

				if (st->cls == A_INET)
				{
					inet	   *ip = DatumGetInetPP(value);
					inet	   *res;

					v6 = ip_family(ip) == PGSQL_AF_INET6 && st->def->id == ST_INET;
					bits = ip_bits(ip);
					if (ip_family(ip) == PGSQL_AF_INET6 && !v6)
						bits = 32;
					sk_ip_bytes(&rng, v6, a);
					if (st->basetype == CIDROID)
						sk_mask_bits(a, v6 ? 16 : 4, bits);
					res = (inet *) palloc0(sizeof(inet));
					ip_family(res) = v6 ? PGSQL_AF_INET6 : PGSQL_AF_INET;
					ip_bits(res) = Min(bits, v6 ? 128 : 32);
					memcpy(ip_addr(res), a, v6 ? 16 : 4);
					SET_INET_VARSIZE(res);
					result = InetPGetDatum(res);
					goto done;
				}
				else
				{
					const char *slash = memchr(s, '/', slen);

					v6 = memchr(s, ':', slen) != NULL && st->def->id == ST_INET;
					if (slash)
						bits = atoi(pnstrdup(slash + 1, slen - (slash + 1 - s)));
					if (bits > (v6 ? 128 : 32))
						bits = v6 ? 128 : 32;
					sk_ip_bytes(&rng, v6, a);
					sk_ip_text(a, v6, slash ? bits : -1, out);
				}
				break;
			}
		case ST_DATE_SHIFT:
			result = sk_date_shift(st, &rng, value);
			goto done;
		case ST_NUMBER_NOISE:
			result = sk_number_noise(st, &rng, value);
			goto done;
		case ST_NULL:
		case ST_VALUE:
			break;
	}
	result = sk_fit_text(st, out->data, out->len);
done:
	if (st->is_domain)
		domain_check(result, *isnull, st->typid, &st->domain_extra, st->mcxt);
	return result;
}

/* ---------------------------------------------------------------------
 * SQL function
 * ---------------------------------------------------------------------
 */

typedef struct SkFakeCache
{
	MemoryContext cxt;
	text	   *strategy;
	Jsonb	   *options;
	Oid			typid;
	SkFakeState *st;
} SkFakeCache;

/*
 * sk_same_varlena
 *		Whether two varlenas (either may be NULL) hold the same bytes.
 */
static bool
sk_same_varlena(const struct varlena *a, const struct varlena *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return VARSIZE_ANY(a) == VARSIZE_ANY(b) &&
		memcmp(a, b, VARSIZE_ANY(a)) == 0;
}

PG_FUNCTION_INFO_V1(seedkit_fake);

/*
 * seedkit_fake
 *		seedkit_fake(strategy text, value anyelement, options jsonb) returns
 *		the fake for value, of value's type; NULL for NULL.  The prepared
 *		state lives in fn_extra while strategy and options stay the same.
 */
Datum
seedkit_fake(PG_FUNCTION_ARGS)
{
	SkFakeCache *cache = (SkFakeCache *) fcinfo->flinfo->fn_extra;
	text	   *strategy;
	Jsonb	   *options;
	Oid			typid;
	bool		isnull = false;
	Datum		result;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("anonymisation strategy must not be null"),
				 errhint("Valid strategies are: %s.", sk_strategy_names())));
	if (PG_ARGISNULL(1))
		PG_RETURN_NULL();
	strategy = PG_GETARG_TEXT_PP(0);
	options = PG_ARGISNULL(2) ? NULL : PG_GETARG_JSONB_P(2);
	typid = get_fn_expr_argtype(fcinfo->flinfo, 1);
	if (cache == NULL || cache->typid != typid ||
		!sk_same_varlena((struct varlena *) cache->strategy, (struct varlena *) strategy) ||
		!sk_same_varlena((struct varlena *) cache->options, (struct varlena *) options))
	{
		int32		typmod = -1;
		char	   *sname = text_to_cstring(strategy);

		if (fcinfo->flinfo->fn_expr && IsA(fcinfo->flinfo->fn_expr, FuncExpr))
		{
			List	   *args = ((FuncExpr *) fcinfo->flinfo->fn_expr)->args;

			if (list_length(args) >= 2)
				typmod = exprTypmod((Node *) lsecond(args));
		}
		if (cache == NULL)
		{
			cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SkFakeCache));
			cache->cxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt,
											   "seedkit_fake state",
											   ALLOCSET_SMALL_SIZES);
			fcinfo->flinfo->fn_extra = cache;
		}
		else
		{
			MemoryContextReset(cache->cxt);
			cache->st = NULL;
			cache->strategy = NULL;
			cache->options = NULL;
		}
		cache->st = sk_fake_prepare(sname, options, typid, typmod, false, NULL, cache->cxt);
		cache->typid = typid;
		cache->strategy = (text *) MemoryContextAlloc(cache->cxt, VARSIZE_ANY(strategy));
		memcpy(cache->strategy, strategy, VARSIZE_ANY(strategy));
		if (options)
		{
			cache->options = (Jsonb *) MemoryContextAlloc(cache->cxt, VARSIZE_ANY(options));
			memcpy(cache->options, options, VARSIZE_ANY(options));
		}
	}
	result = sk_fake_apply(cache->st, PG_GETARG_DATUM(1), &isnull, 0);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(result);
}
