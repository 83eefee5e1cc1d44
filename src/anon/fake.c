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
 * src/anon/fake.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>
#include <sys/socket.h>

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "fmgr.h"
#include "datatype/timestamp.h"
#include "pgtime.h"
#include "mb/pg_wchar.h"
#include "nodes/nodeFuncs.h"
#include "nodes/primnodes.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"
#include "utils/hsearch.h"
#include "utils/inet.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"
#include "utils/uuid.h"

#include "anon/fake.h"
#include "anon/custom.h"
#include "anon/fakeparts.h"
#include "anon/generalize.h"
#include "anon/icu.h"
#include "anon/person.h"
#include "anon/prf.h"
#include "anon/rounds.h"
#include "anon/wordlists.h"
#include "core/core.h"

/* Candidates a word-list fake may try to fit the column. */
#define SK_FIT_TRIES 32

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
	ST_CREDIT_CARD,
	ST_SHUFFLE,
	ST_GENERALIZE,
	ST_FUNCTION,
	ST_PICK
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
	{"shuffle", ST_SHUFFLE, A_ANY, "", "every type (in place only)"},
	{"generalize", ST_GENERALIZE, A_DATE | A_NUM, "to, step",
	"date, timestamp, timestamptz, smallint, integer, bigint, numeric, real and double precision"},
	{"function", ST_FUNCTION, A_ANY, "function", "every type"},
	{"pick", ST_PICK, A_ANY, "list, column", "every type"},
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
 * sk_in_list
 *		Whether word is among the ", "-separated words of list.
 */
static bool
sk_in_list(const char *list, const char *word)
{
	const char *p = list;
	size_t		klen = strlen(word);

	while (*p)
	{
		const char *end = strchr(p, ',');
		size_t		len = end ? (size_t) (end - p) : strlen(p);

		if (len == klen && strncmp(p, word, len) == 0)
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
 * sk_option_allowed
 *		Whether key is among def's comma-separated options.
 */
static bool
sk_option_allowed(const SkStrategyDef *def, const char *key)
{
	return sk_in_list(def->options, key);
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

/* How an option's value is read. */
typedef enum SkOptKind
{
	OPT_LOCALE,					/* a supported locale name */
	OPT_INT,					/* an integer from lo to hi, into an int */
	OPT_NUMBER,					/* a number over lo and at most hi, into a double */
	OPT_STRING,					/* a string, into a char * */
	OPT_BOOL,					/* true or false, into a bool */
	OPT_VALUE					/* the constant of strategy value */
} SkOptKind;

/* One option: its kind, where it goes in SkFakeState, what it must be. */
typedef struct SkOptionDef
{
	const char *key;
	SkOptKind	kind;
	size_t		field;			/* offsetof(SkFakeState, ...) */
	int			lo;
	int			hi;
	const char *what;			/* "Option ... must be <what>." */
	bool		nonempty;		/* OPT_STRING: not "" */
	const char *refused;		/* OPT_STRING: characters it must not hold */
	const char *choices;		/* OPT_STRING: the allowed values, ", "-separated */
} SkOptionDef;

#define SK_FIELD(f) offsetof(SkFakeState, f)

static const SkOptionDef sk_options[] = {
	{"locale", OPT_LOCALE, 0, 0, 0, "a locale name"},
	{"days", OPT_INT, SK_FIELD(days), 1, 100000, "an integer from 1 to 100000"},
	{"percent", OPT_NUMBER, SK_FIELD(percent), 0, 1000, "a number greater than 0 and at most 1000"},
	{"length", OPT_INT, SK_FIELD(hash_len), 1, 64, "an integer from 1 to 64"},
	{"first", OPT_INT, SK_FIELD(keep_first), 0, 1000, "an integer from 0 to 1000"},
	{"last", OPT_INT, SK_FIELD(keep_last), 0, 1000, "an integer from 0 to 1000"},
	{"mask", OPT_STRING, SK_FIELD(mask), 0, 0, "a non-empty string", true},
	{"domain", OPT_STRING, SK_FIELD(domain), 0, 0, "a domain name reserved for examples", true, "@"},
	{"format", OPT_STRING, SK_FIELD(format), 0, 0,
	"a string where # stands for a digit and % for a digit from 1 to 9"},
	{"code", OPT_BOOL, SK_FIELD(code), 0, 0, "true or false"},
	{"brand", OPT_STRING, SK_FIELD(brand), 0, 0, "one of visa, mastercard, amex",
	false, NULL, "visa, mastercard, amex"},
	{"country", OPT_STRING, SK_FIELD(country), 0, 0, "one of DE, ES, FR, GB",
	false, NULL, "DE, ES, FR, GB"},
	{"value", OPT_VALUE, 0, 0, 0, "a string, number, boolean or null"},
	{"to", OPT_STRING, SK_FIELD(gen_to), 0, 0, "one of month, year", false, NULL, "month, year"},
	{"step", OPT_NUMBER, SK_FIELD(gen_step), 0, 1000000000, "a number greater than 0 and at most 1000000000"},
	{"function", OPT_STRING, SK_FIELD(function), 0, 0, "a schema-qualified function name", true},
	{"list", OPT_STRING, SK_FIELD(list), 0, 0, "a table name", true},
	{"column", OPT_STRING, SK_FIELD(list_column), 0, 0, "a column name", true},
};

/*
 * sk_reserved_domain
 *		Whether name is a syntactically valid domain name under a name
 *		reserved for examples and tests (RFC 2606, RFC 6761):
 *		example.com, example.net, example.org and their subdomains, or a
 *		name under the top-level domains example, test or invalid.  Mail
 *		to such a name can reach no one.
 */
static bool
sk_reserved_domain(const char *name)
{
	static const char *const reserved[] = {
		"example.com", "example.net", "example.org", "example", "test", "invalid"
	};
	size_t		len = strlen(name);
	const char *label = name;
	const char *p;
	int			i;

	if (len == 0 || len > 253)
		return false;
	/* labels of letters, digits and inner hyphens, 1 to 63 characters */
	for (p = name;; p++)
	{
		if (*p == '.' || *p == '\0')
		{
			if (p == label || p - label > 63 || *label == '-' || p[-1] == '-')
				return false;
			if (*p == '\0')
				break;
			label = p + 1;
		}
		else if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
				   (*p >= '0' && *p <= '9') || *p == '-'))
			return false;
	}
	for (i = 0; i < lengthof(reserved); i++)
	{
		size_t		rlen = strlen(reserved[i]);
		bool		bare_tld = strchr(reserved[i], '.') == NULL;

		/* example.com itself or a subdomain; a TLD only with a name under it */
		if (len > rlen && name[len - rlen - 1] == '.' &&
			pg_strcasecmp(name + len - rlen, reserved[i]) == 0)
			return true;
		if (!bare_tld && pg_strcasecmp(name, reserved[i]) == 0)
			return true;
	}
	return false;
}

/*
 * sk_option_value
 *		Strategy value's constant: null, or the JSON scalar's text read by
 *		the type's input function.
 */
static void
sk_option_value(SkFakeState *st, JsonbValue *v)
{
	char	   *s;

	if (v->type == jbvNull)
	{
		st->constnull = true;
		return;
	}
	if (v->type == jbvString)
		s = pnstrdup(v->val.string.val, v->val.string.len);
	else if (v->type == jbvBool)
		s = pstrdup(v->val.boolean ? "true" : "false");
	else
		s = DatumGetCString(DirectFunctionCall1(numeric_out,
												NumericGetDatum(v->val.numeric)));
	st->constnull = false;
	st->constval = InputFunctionCall(&st->inproc, s, st->ioparam, st->typmod);
	st->constval = datumCopy(st->constval, get_typbyval(st->basetype),
							 get_typlen(st->basetype));
}

/*
 * sk_set_option
 *		Check the value v of option opt and store it in st.
 */
static void
sk_set_option(SkFakeState *st, const SkOptionDef *opt, JsonbValue *v)
{
	const SkStrategyDef *def = st->def;
	void	   *field = (char *) st + opt->field;

	switch (opt->kind)
	{
		case OPT_LOCALE:
			{
				char	   *l = sk_jv_str(def, opt->key, v, opt->what);

				st->loc = sk_find_locale(l);
				if (st->loc == NULL)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("unknown anonymisation locale \"%s\"", l),
							 errhint("The function seedkit_locales() lists the %d valid locales.",
									 sk_locale_count())));
				break;
			}
		case OPT_INT:
			*(int *) field = sk_jv_int(def, opt->key, v, opt->lo, opt->hi, opt->what);
			break;
		case OPT_NUMBER:
			{
				double		d;

				if (v->type != jbvNumeric)
					sk_opt_error(def, opt->key, opt->what);
				d = DatumGetFloat8(DirectFunctionCall1(numeric_float8,
													   NumericGetDatum(v->val.numeric)));
				if (!(d > opt->lo && d <= opt->hi))
					sk_opt_error(def, opt->key, opt->what);
				*(double *) field = d;
				break;
			}
		case OPT_STRING:
			{
				char	   *str = sk_jv_str(def, opt->key, v, opt->what);

				if ((opt->nonempty && str[0] == '\0') ||
					(opt->refused && strpbrk(str, opt->refused) != NULL) ||
					(opt->choices && !sk_in_list(opt->choices, str)))
					sk_opt_error(def, opt->key, opt->what);
				if (strcmp(opt->key, "domain") == 0 && !sk_reserved_domain(str))
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("email domain \"%s\" is not reserved for examples", str),
							 errdetail("Fake addresses at a real domain can reach real people; only names reserved by RFC 2606 and RFC 6761 are accepted."),
							 errhint("Use example.com, example.net, example.org, or a name ending in .example, .test or .invalid.")));
				*(char **) field = str;
				break;
			}
		case OPT_BOOL:
			if (v->type != jbvBool)
				sk_opt_error(def, opt->key, opt->what);
			*(bool *) field = v->val.boolean;
			break;
		case OPT_VALUE:
			sk_option_value(st, v);
			break;
	}
}

/*
 * sk_parse_options
 *		Check the options against the strategy and store them in st (see
 *		sk_options for what each must be).
 */
static void
sk_parse_options(SkFakeState *st, Jsonb *options)
{
	const SkStrategyDef *def = st->def;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *key = NULL;
	int			i;

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
			if (strcmp(key, "person") == 0 || strcmp(key, "identity") == 0 ||
				strcmp(key, "gender") == 0 || strcmp(key, "person_fit") == 0)
			{
				/* a person group (flags.c groups the columns, person.c draws) */
				if (!sk_person_is_field(def->name))
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("strategy \"%s\" cannot be part of a person", def->name),
							 errhint("Option \"%s\" goes with strategies first_name, last_name, full_name, email, username, city, postcode, country, street_address and phone.",
									 key)));
				continue;
			}
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
		if (strcmp(key, "person") == 0)
		{
			if (v.type != jbvString || v.val.string.len == 0)
				sk_opt_error(def, key, "a non-empty string naming the person group");
			st->person = true;
			continue;
		}
		if (strcmp(key, "person_fit") == 0)
		{
			/* the lengths the group's fields must fit (flags.c sk_person_fit) */
			if (v.type != jbvString)
				sk_opt_error(def, key, "a list of field=length");
			sk_person_fit_parse(st, pnstrdup(v.val.string.val, v.val.string.len));
			continue;
		}
		if (strcmp(key, "identity") == 0)
		{
			if (v.type != jbvBool)
				sk_opt_error(def, key, "true or false");
			continue;
		}
		if (strcmp(key, "gender") == 0)
		{
			if (v.type != jbvString || v.val.string.len == 0)
				sk_opt_error(def, key, "the name of the table's gender column");
			continue;
		}
		if (v.type == jbvBinary)
			sk_opt_error(def, key, "a string, number, boolean or null");
		for (i = 0; i < lengthof(sk_options); i++)
			if (strcmp(key, sk_options[i].key) == 0)
				sk_set_option(st, &sk_options[i], &v);
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
 * sk_prepare
 *		The work of sk_fake_prepare and sk_fake_validate: check strategy and
 *		options for a value of type typid and build the state in mcxt; the
 *		key (which reads the seed) and the collision rounds only when
 *		with_key.
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

	st->colname = colname ? pstrdup(colname) : NULL;

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
	st->gen_to = "month";
	st->gen_step = 10;
	sk_parse_options(st, options);
	if (st->person && !st->fast_text)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("a person field needs a column of type text, varchar or char, not %s",
						format_type_with_typemod(typid, typmod)),
				 errhint("Flag the column without option \"person\".")));
	if (def->id == ST_VALUE && (options == NULL ||
								!sk_jsonb_has(options, "value")))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("strategy \"value\" needs option \"value\""),
				 errhint("Pass the constant as in '{\"value\": \"redacted\"}'.")));
	if (def->id == ST_FUNCTION)
		sk_function_prepare(st, st->cls == A_TEXT);
	if (def->id == ST_PICK)
		sk_pick_prepare(st, with_key);
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

	/*
	 * The key: master key, then strategy and canonical options with the
	 * effective locale, so that a default locale and the same locale given
	 * explicitly give the same fakes.
	 */
	if (sk_option_allowed(def, "locale") &&
		(options == NULL || !sk_jsonb_has(options, "locale")))
	{
		char	   *add = psprintf("{\"locale\": \"%s\"}", st->loc->name);
		Datum		addj = DirectFunctionCall1(jsonb_in, CStringGetDatum(add));

		options = options == NULL ? DatumGetJsonbP(addj) :
			DatumGetJsonbP(DirectFunctionCall2(jsonb_concat, JsonbPGetDatum(options), addj));
	}
	if (!with_key)
	{
		MemoryContextSwitchTo(old);
		return st;
	}
	sk_master_key(&master);
	initStringInfo(&label);
	if (st->person)
	{
		/*
		 * Every field of a person, whatever its strategy and options, draws
		 * from the same stream: the key names the locale only.
		 */
		appendStringInfoString(&label, "person");
		appendStringInfoChar(&label, '\0');
		appendStringInfoString(&label, st->loc->name);
	}
	else
		appendStringInfo(&label, "%s", def->name);
	appendStringInfoChar(&label, '\0');
	if (!st->person && options != NULL)
		(void) JsonbToCString(&label, &options->root, VARSIZE(options));
	else if (!st->person)
		appendStringInfoString(&label, "{}");	/* as JsonbToCString writes it */
	sk_derive_key(&master, label.data, label.len, &st->key);
	st->rkey = st->key;
	if (st->person)
	{
		/*
		 * The person key is shared by every field of the locale; the rounds
		 * of a unique field are its own (field and rendering options), so
		 * that resolving one unique field never moves another.
		 */
		appendStringInfoString(&label, def->name);
		appendStringInfoChar(&label, '\0');
		appendStringInfoString(&label, st->domain ? st->domain : "");
		appendStringInfoChar(&label, '\0');
		appendStringInfoString(&label, st->format ? st->format : "");
		sk_derive_key(&master, label.data, label.len, &st->rkey);
	}
	/* collision rounds of a unique column with this key, in this statement */
	st->rounds = sk_rounds_for(&st->rkey, false, NULL);
	st->rounds_gen = sk_rounds_generation;
	explicit_bzero(&master, sizeof(master));
	pfree(label.data);
	initStringInfo(&st->buf);
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
	st->rounds_gen = sk_rounds_generation;
}

/*
 * sk_fake_set_person_raw
 *		A person field that is its own identity, with no gender column: its
 *		input is the bare identity, never split (person.c).  Nothing for
 *		other fields.
 */
void
sk_fake_set_person_raw(SkFakeState *st)
{
	st->person_raw = st->person;
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
 * sk_fake_last_round_key
 *		The digest the collision rounds of the last original sk_fake_apply
 *		saw (with rounds set) are keyed by: its keyed digest, or for a
 *		person field that is not its row's identity, that of its identity
 *		and own value (rows of one identity may need different rounds).
 */
void
sk_fake_last_round_key(SkFakeState *st, uint64 out[2])
{
	out[0] = st->rdigest[0];
	out[1] = st->rdigest[1];
}

/*
 * sk_fake_key
 *		The key of the state's collision rounds: its key (seed, strategy
 *		and options), or for a person field the person key with the field
 *		and its rendering options.
 */
const SkKey *
sk_fake_key(SkFakeState *st)
{
	return &st->rkey;
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
 * sk_candidate
 *		One candidate fake of a word-list strategy, into out.
 */
static void
sk_candidate(SkFakeState *st, SkRng *rng, StringInfo out)
{
	switch (st->def->id)
	{
		case ST_FIRST_NAME:
			sk_pick_given(st, rng, sk_rng_below(rng, 2) == 0, out, NULL);
			break;
		case ST_LAST_NAME:
			sk_pick_last(st, rng, out, NULL);
			break;
		case ST_FULL_NAME:
			sk_full_name(st, rng, out);
			break;
		case ST_EMAIL:
			sk_email(st, rng, out);
			break;
		case ST_USERNAME:
			sk_username(st, rng, out);
			break;
		case ST_PHONE:
			if (st->format)
				sk_digits(rng, st->format, out);
			else
				sk_pick(st, rng, SK_PHONE_FORMAT, out, NULL);
			break;
		case ST_POSTCODE:
			if (st->format)
				sk_digits(rng, st->format, out);
			else
				sk_pick(st, rng, SK_POSTCODE_FORMAT, out, NULL);
			break;
		case ST_STREET_ADDRESS:
			sk_pick(st, rng, SK_STREET_FORMAT, out, NULL);
			break;
		case ST_CITY:
			sk_pick(st, rng, SK_CITY, out, NULL);
			break;
		case ST_COMPANY:
			sk_pick(st, rng, SK_COMPANY_FORMAT, out, NULL);
			break;
		default:
			elog(ERROR, "strategy \"%s\" has no word-list candidates", st->def->name);
	}
}

/*
 * sk_domain_accepts
 *		Whether value passes the CHECK constraints of the column's domain,
 *		answered without raising the violation (a check expression that
 *		itself raises an error still does, as in domain_check).
 */
static bool
sk_domain_accepts(SkFakeState *st, Datum value)
{
	ListCell   *lc;

	if (st->domref == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(st->mcxt);

		st->domref = palloc0(sizeof(DomainConstraintRef));
		InitDomainConstraintRef(st->typid, st->domref, st->mcxt, true);
		st->domecxt = CreateStandaloneExprContext();
		MemoryContextSwitchTo(old);
	}
	else
		UpdateDomainConstraintRef(st->domref);
	foreach(lc, st->domref->constraints)
	{
		DomainConstraintState *con = (DomainConstraintState *) lfirst(lc);

		if (con->constrainttype != DOM_CONSTRAINT_CHECK)
			continue;
		st->domecxt->domainValue_datum = value;
		st->domecxt->domainValue_isNull = false;
		if (!ExecCheck(con->check_exprstate, st->domecxt))
		{
			ResetExprContext(st->domecxt);
			return false;
		}
		ResetExprContext(st->domecxt);
	}
	return true;
}

/*
 * sk_fit_truncated
 *		Memory context callback: one NOTICE counting the fakes that had to
 *		be cut to fit the column (only while the transaction is healthy).
 */
static void
sk_fit_truncated(void *arg)
{
	SkFakeState *st = (SkFakeState *) arg;

	if (st->truncated <= 0 || !IsTransactionState())
		return;
	if (st->colname)
		ereport(NOTICE,
				(errcode(ERRCODE_WARNING_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("strategy \"%s\" cut %lld fakes to fit column \"%s\"",
						st->def->name, (long long) st->truncated, st->colname),
				 errdetail("None of %d candidates fitted the column's length or check constraints.",
						   SK_FIT_TRIES)));
	else
		ereport(NOTICE,
				(errcode(ERRCODE_WARNING_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("strategy \"%s\" cut %lld fakes to fit the type",
						st->def->name, (long long) st->truncated),
				 errdetail("None of %d candidates fitted the type's length or check constraints.",
						   SK_FIT_TRIES)));
}

/*
 * sk_fit_candidates
 *		The fake of a word-list strategy as a Datum of the column's type:
 *		the first of up to SK_FIT_TRIES candidates (one keyed stream, so
 *		deterministic) that fits varchar(n) / char(n) and the domain's
 *		checks; an email none of them fits tries shorter forms
 *		(sk_email_short: initial and surname, then initial and number, each
 *		with its own domain) from the same stream; when none fits, the first
 *		one cut to length, counted for one NOTICE.
 */
static void sk_fit_count_cut(SkFakeState *st);
static void sk_email_shorten(StringInfo email, int maxchars);
static bool sk_fit_one(SkFakeState *st, StringInfo out, int maxchars, Datum *d);

static Datum
sk_fit_candidates(SkFakeState *st, SkRng *rng)
{
	StringInfo	out = &st->buf;
	int			maxchars = -1;
	int			i;

	if (st->fast_text && st->typmod >= (int32) VARHDRSZ)
		maxchars = st->typmod - VARHDRSZ;
	if (maxchars < 0 && !st->is_domain)
	{
		sk_candidate(st, rng, out);
		return sk_fit_text(st, out->data, out->len);
	}
	if (st->first == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(st->mcxt);

		st->first = makeStringInfo();
		MemoryContextSwitchTo(old);
	}
	for (i = 0; i < SK_FIT_TRIES; i++)
	{
		Datum		d;

		resetStringInfo(out);
		sk_candidate(st, rng, out);
		if (i == 0)
		{
			MemoryContext old = MemoryContextSwitchTo(st->mcxt);

			resetStringInfo(st->first);
			appendBinaryStringInfo(st->first, out->data, out->len);
			MemoryContextSwitchTo(old);
		}
		if (sk_fit_one(st, out, maxchars, &d))
			return d;
	}
	/* half as many initial-and-surname forms, then four numbered */
	if (st->def->id == ST_EMAIL && maxchars >= 0)
		for (i = 0; i < SK_FIT_TRIES / 2 + 4; i++)
		{
			Datum		d;

			resetStringInfo(out);
			if (!sk_email_short(st, rng, maxchars, i >= SK_FIT_TRIES / 2, out))
				break;
			if (sk_fit_one(st, out, maxchars, &d))
				return d;
		}
	sk_fit_count_cut(st);
	if (st->def->id == ST_EMAIL && maxchars >= 0)
		sk_email_shorten(st->first, maxchars);
	return sk_fit_text(st, st->first->data, st->first->len);
}

/*
 * sk_fit_one
 *		Whether candidate out fits maxchars characters (-1: any) and the
 *		domain's checks; if so, *d is it as a Datum of the column's type.
 */
static bool
sk_fit_one(SkFakeState *st, StringInfo out, int maxchars, Datum *d)
{
	if (maxchars >= 0 && out->len > maxchars &&
		pg_mbstrlen_with_len(out->data, out->len) > maxchars)
		return false;
	*d = sk_fit_text(st, out->data, out->len);
	return !st->is_domain || sk_domain_accepts(st, *d);
}

/*
 * sk_email_shorten
 *		Cut an email address (ASCII, see sk_email) to maxchars by its local
 *		part, so that what is left is still an address at its domain; when
 *		even one character and the domain do not fit, leave it to be cut as
 *		any text.
 */
static void
sk_email_shorten(StringInfo email, int maxchars)
{
	char	   *at = strrchr(email->data, '@');
	int			domain;
	int			keep;

	if (at == NULL || email->len <= maxchars)
		return;
	domain = email->len - (int) (at - email->data);
	keep = maxchars - domain;
	/* no separator left at the end of the local part */
	while (keep > 0 && (email->data[keep - 1] == '.' || email->data[keep - 1] == '_'))
		keep--;
	if (keep < 1)
		return;
	memmove(email->data + keep, at, domain + 1);
	email->len = keep + domain;
}

/*
 * sk_fit_count_cut
 *		Count one fake cut to fit, for sk_fit_truncated's NOTICE.
 */
static void
sk_fit_count_cut(SkFakeState *st)
{
	st->truncated++;
	if (!st->truncated_cb)
	{
		MemoryContextCallback *cb = MemoryContextAlloc(st->mcxt, sizeof(MemoryContextCallback));

		cb->func = sk_fit_truncated;
		cb->arg = st;
		MemoryContextRegisterResetCallback(st->mcxt, cb);
		st->truncated_cb = true;
	}
}

/*
 * sk_fake_cuts
 *		How many fakes st has cut to fit so far.
 */
int64
sk_fake_cuts(SkFakeState *st)
{
	return st->truncated;
}

/*
 * sk_fake_set_cuts
 *		Set that count back (a pass whose fakes are made again later).
 */
void
sk_fake_set_cuts(SkFakeState *st, int64 cuts)
{
	st->truncated = cuts;
}

/*
 * sk_fit_person
 *		A person field's text as a Datum of the column's type: person.c
 *		chose the person to fit (see sk_person_fits); when none of its
 *		candidates did, the text is cut, counted for one NOTICE.
 */
static Datum
sk_fit_person(SkFakeState *st, const char *s, int len)
{
	if (st->fast_text && st->typmod >= (int32) VARHDRSZ &&
		len > st->typmod - (int32) VARHDRSZ &&
		pg_mbstrlen_with_len(s, len) > st->typmod - (int32) VARHDRSZ)
		sk_fit_count_cut(st);
	return sk_fit_text(st, s, len);
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
 * sk_shift_one
 *		value shifted by delta whole days, or false when the result leaves
 *		the type's range or the value's era (AD or BC).  A timestamptz is
 *		shifted in local time under the session's time zone, as adding an
 *		interval of days does: the wall-clock time stays across DST changes.
 */
static bool
sk_shift_one(Oid basetype, Datum value, int32 delta, Datum *result)
{
	if (basetype == DATEOID)
	{
		DateADT		d = DatumGetDateADT(value);
		int64		r = (int64) d + delta;
		DateADT		ad = date2j(1, 1, 1) - POSTGRES_EPOCH_JDATE;

		if (!IS_VALID_DATE(r) || (d >= ad) != (r >= ad))
			return false;
		*result = DateADTGetDatum((DateADT) r);
		return true;
	}
	else
	{
		Timestamp	t = DatumGetTimestamp(value);
		struct pg_tm tm;
		fsec_t		fsec;
		int			tz;
		int			bc;
		Timestamp	r;

		if (basetype == TIMESTAMPOID)
		{
			if (timestamp2tm(t, NULL, &tm, &fsec, NULL, NULL) != 0)
				return false;
		}
		else if (timestamp2tm(t, &tz, &tm, &fsec, NULL, NULL) != 0)
			return false;
		bc = tm.tm_year <= 0;
		j2date(date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) + delta,
			   &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
		if ((tm.tm_year <= 0) != bc || !IS_VALID_JULIAN(tm.tm_year, tm.tm_mon, tm.tm_mday))
			return false;
		if (basetype == TIMESTAMPOID)
		{
			if (tm2timestamp(&tm, fsec, NULL, &r) != 0)
				return false;
		}
		else
		{
			tz = DetermineTimeZoneOffset(&tm, session_timezone);
			if (tm2timestamp(&tm, fsec, &tz, &r) != 0)
				return false;
		}
		if (!IS_VALID_TIMESTAMP(r))
			return false;
		*result = TimestampGetDatum(r);
		return true;
	}
}

/*
 * sk_date_shift
 *		Shift a date or timestamp by a non-zero number of whole days within
 *		the option's range, the other way when that would leave the type's
 *		range or the value's era; infinities stay.
 */
static Datum
sk_date_shift(SkFakeState *st, SkRng *rng, Datum value)
{
	int32		delta = 1 + sk_rng_below(rng, st->days);
	Datum		result;

	if (sk_rng_below(rng, 2))
		delta = -delta;
	if (st->basetype == DATEOID ? DATE_NOT_FINITE(DatumGetDateADT(value)) :
		TIMESTAMP_NOT_FINITE(DatumGetTimestamp(value)))
		return value;
	if (sk_shift_one(st->basetype, value, delta, &result) ||
		sk_shift_one(st->basetype, value, -delta, &result))
		return result;
	return value;
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
 * sk_fake_memoable
 *		Whether the fakes of st are text that is a whole function of the
 *		original, so that a fake made once can stand for the fake made
 *		again (memo.c): a word-list strategy into text, varchar or bpchar
 *		without a length limit or domain, not a person field.
 */
bool
sk_fake_memoable(SkFakeState *st)
{
	switch (st->def->id)
	{
		case ST_FIRST_NAME:
		case ST_LAST_NAME:
		case ST_FULL_NAME:
		case ST_EMAIL:
		case ST_USERNAME:
		case ST_PHONE:
		case ST_POSTCODE:
		case ST_STREET_ADDRESS:
		case ST_CITY:
		case ST_COMPANY:
			break;
		default:
			return false;
	}
	return st->cls == A_TEXT && st->fast_text && !st->is_domain &&
		st->typmod < (int32) VARHDRSZ && !st->person;
}

static Datum sk_fake_apply_int(SkFakeState *st, Datum value, bool *isnull,
							   uint32 round, const char *known, int knownlen);

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
	return sk_fake_apply_int(st, value, isnull, round, NULL, 0);
}

/*
 * sk_fake_apply_known
 *		sk_fake_apply(st, value, isnull, 0) when its first candidate is
 *		already known (knownlen bytes kept by a collision pass, st
 *		sk_fake_memoable): the candidate is not made again unless the
 *		value was given another round.
 */
Datum
sk_fake_apply_known(SkFakeState *st, Datum value, bool *isnull,
					const char *known, int knownlen)
{
	return sk_fake_apply_int(st, value, isnull, 0, known, knownlen);
}

/*
 * sk_fake_apply_int
 *		The work of sk_fake_apply and sk_fake_apply_known (known NULL when
 *		not known).
 */
static Datum
sk_fake_apply_int(SkFakeState *st, Datum value, bool *isnull, uint32 round,
				  const char *known, int knownlen)
{
	SkRng		rng;
	const void *in;
	int			inlen;
	int64		ibuf;
	StringInfo	out = &st->buf;
	Datum		result;
	const char *s = NULL;
	int			slen = 0;
	int			gender = -1;
	const char *own = NULL;
	int			ownlen = 0;

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
	/* the registry changed (new statement, new rounds): look them up again */
	if (st->rounds_gen != sk_rounds_generation && (st->key.k0 | st->key.k1) != 0)
	{
		st->rounds = sk_rounds_for(&st->rkey, false, NULL);
		st->rounds_gen = sk_rounds_generation;
	}
	in = sk_hash_input(st, value, &inlen, &ibuf);
	if (st->person)
	{
		/* the field's own value, the identity, the gender column's text */
		const char *id;

		if (!st->person_raw)
		{
			sk_person_split(in, inlen, &id, &inlen, &gender, &own, &ownlen);
			in = id;
		}
		/* the row's other fields already drew this person: no hashing */
		resetStringInfo(out);
		if (round == 0 && st->rounds == NULL && inlen > 0 &&
			sk_person_cached(st, st->def->name, in, inlen, 0, gender, out))
		{
			result = sk_fit_person(st, out->data, out->len);
			goto done;
		}
	}
	sk_rng_init(&rng, &st->key, in, inlen, 0);
	st->digest[0] = rng.d0;
	st->digest[1] = rng.d1;
	st->rdigest[0] = rng.d0;
	st->rdigest[1] = rng.d1;
	if (own != NULL && st->rounds != NULL)
	{
		uint64		parts[4] = {rng.d0, rng.d1, 0, 0};

		/*
		 * Rows of one identity with other values of their own (a field that
		 * is not the identity) are other originals for the collision rounds
		 * of a unique field: in its column, no two rows then share a key,
		 * whatever their genders.  The gender stays out, so that a row takes
		 * the rounds of the same identity and value in a table without one.
		 */
		sk_siphash128(&st->key, own, ownlen, &parts[2]);
		sk_siphash128(&st->key, parts, sizeof(parts), st->rdigest);
	}
	if (round == 0 && st->rounds != NULL)
	{
		SkRoundEntry *e = hash_search(st->rounds, st->rdigest, HASH_FIND, NULL);

		if (e != NULL)
			round = e->round;
	}
	if (st->person)
	{
		/* an empty identity carries nothing: the field stays empty */
		if (inlen == 0)
			return sk_fit_text(st, "", 0);
		/* one person per identity; a round varies only this field */
		resetStringInfo(out);
		if (round == 0)
			sk_person_field(st, st->def->name, &rng, in, inlen, 0, gender, out);
		else
		{
			SkRng		vrng;

			sk_rng_init(&vrng, &st->rkey, in, inlen, round);
			sk_person_variant(st, st->def->name, &rng, &vrng, in, inlen, round,
							  gender, out);
		}
		result = sk_fit_person(st, out->data, out->len);
		goto done;
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
		case ST_LAST_NAME:
		case ST_FULL_NAME:
		case ST_EMAIL:
		case ST_USERNAME:
		case ST_PHONE:
		case ST_POSTCODE:
		case ST_STREET_ADDRESS:
		case ST_CITY:
		case ST_COMPANY:
			/* the first candidate, already made by a collision pass */
			if (known != NULL && round == 0)
				result = sk_fit_text(st, known, knownlen);
			else
				result = sk_fit_candidates(st, &rng);
			goto done;
		case ST_COUNTRY:
			sk_country(st, &rng, out);
			break;
		case ST_LOREM:
			{
				int			k;

				/* whitespace carries nothing: it stays as it is */
				for (k = 0; k < slen && isspace((unsigned char) s[k]); k++)
					;
				if (k == slen)
				{
					appendBinaryStringInfo(out, s, slen);
					break;
				}
				sk_lorem(st, &rng, pg_mbstrlen_with_len(s, slen), out);
				break;
			}
		case ST_HASH:
			sk_hex(&rng, st->hash_len, out);
			break;
		case ST_PARTIAL:
			sk_partial(st, &rng, round > 0, s, slen, out);
			break;
		case ST_SCRAMBLE:
			sk_icu_scramble(&rng, s, slen, out);
			break;
		case ST_IBAN:
			sk_iban(st, &rng, s, slen, out);
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
		case ST_GENERALIZE:
			result = sk_generalize(st, value);
			goto done;
		case ST_SHUFFLE:
			/* rewrite.c permutes the values (shuffle.c); here: the digest only */
			result = value;
			goto done;
		case ST_PICK:
			sk_pick_apply(st, &rng, out);
			break;
		case ST_FUNCTION:
			/* text types as text: char(n) without its padding */
			result = sk_function_apply(st, &rng, st->cls == A_TEXT ?
									   PointerGetDatum(cstring_to_text_with_len(s, slen)) :
									   value);
			if (st->cls != A_TEXT)
				goto done;
			{
				text	   *t = DatumGetTextPP(result);

				appendBinaryStringInfo(out, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
			}
			break;
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

/*
 * sk_fake_args
 *		The arguments (strategy text, value anyelement, options jsonb) of
 *		seedkit_fake and seedkit_fake_inside: false when value is NULL (the
 *		result is NULL); a NULL strategy is an error.
 */
bool
sk_fake_args(FunctionCallInfo fcinfo, text **strategy, Jsonb **options, Oid *typid)
{
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("anonymisation strategy must not be null"),
				 errhint("Valid strategies are: %s.", sk_strategy_names())));
	if (PG_ARGISNULL(1))
		return false;
	*strategy = PG_GETARG_TEXT_PP(0);
	*options = PG_ARGISNULL(2) ? NULL : PG_GETARG_JSONB_P(2);
	*typid = get_fn_expr_argtype(fcinfo->flinfo, 1);
	return true;
}

/*
 * sk_call_renew
 *		NULL when the call site's state was prepared for this strategy,
 *		options and type; else its cache, emptied (no state, no key, so that
 *		an error while preparing leaves it to be prepared again), for the
 *		caller to prepare its state in cache->cxt and call sk_call_keep.
 */
SkCallCache *
sk_call_renew(FunctionCallInfo fcinfo, text *strategy, Jsonb *options, Oid typid)
{
	SkCallCache *cache = (SkCallCache *) fcinfo->flinfo->fn_extra;

	if (cache != NULL && cache->state != NULL && cache->typid == typid &&
		sk_same_varlena((struct varlena *) cache->strategy, (struct varlena *) strategy) &&
		sk_same_varlena((struct varlena *) cache->options, (struct varlena *) options))
		return NULL;
	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SkCallCache));
		cache->cxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "seedkit_fake state",
										   ALLOCSET_SMALL_SIZES);
		fcinfo->flinfo->fn_extra = cache;
	}
	else
	{
		MemoryContextReset(cache->cxt);
		cache->state = NULL;
		cache->strategy = NULL;
		cache->options = NULL;
	}
	return cache;
}

/*
 * sk_call_keep
 *		Record the strategy, options and type the cache's state was just
 *		prepared for.
 */
void
sk_call_keep(SkCallCache *cache, text *strategy, Jsonb *options, Oid typid)
{
	cache->typid = typid;
	cache->strategy = (text *) MemoryContextAlloc(cache->cxt, VARSIZE_ANY(strategy));
	memcpy(cache->strategy, strategy, VARSIZE_ANY(strategy));
	if (options)
	{
		cache->options = (Jsonb *) MemoryContextAlloc(cache->cxt, VARSIZE_ANY(options));
		memcpy(cache->options, options, VARSIZE_ANY(options));
	}
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
	SkCallCache *cache;
	SkFakeState *st;
	text	   *strategy;
	Jsonb	   *options;
	Oid			typid;
	bool		isnull = false;
	Datum		result;

	if (!sk_fake_args(fcinfo, &strategy, &options, &typid))
		PG_RETURN_NULL();
	cache = sk_call_renew(fcinfo, strategy, options, typid);
	if (cache != NULL)
	{
		int32		typmod = -1;

		if (fcinfo->flinfo->fn_expr && IsA(fcinfo->flinfo->fn_expr, FuncExpr))
		{
			List	   *args = ((FuncExpr *) fcinfo->flinfo->fn_expr)->args;

			if (list_length(args) >= 2)
				typmod = exprTypmod((Node *) lsecond(args));
		}
		cache->state = sk_fake_prepare(text_to_cstring(strategy), options, typid, typmod,
									   false, NULL, cache->cxt);
		sk_call_keep(cache, strategy, options, typid);
	}
	st = (SkFakeState *) ((SkCallCache *) fcinfo->flinfo->fn_extra)->state;
	if (st->def->id == ST_SHUFFLE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("strategy \"shuffle\" works only in place"),
				 errdetail("A shuffle moves the values of a column among its rows; a single value or a snapshot has no rows to move it to."),
				 errhint("Run seedkit_anonymise (without triggers => true) on the table, or flag the column with another strategy.")));
	result = sk_fake_apply(st, PG_GETARG_DATUM(1), &isnull, 0);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(result);
}
