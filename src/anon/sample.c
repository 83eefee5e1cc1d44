/*-------------------------------------------------------------------------
 *
 * sample.c
 *	  The key a subset's samples are drawn with: derived from the seed of
 *	  the fakes, so that the same seed samples the same rows and another
 *	  seed other rows; and the keyed hash of a row's key that the sample
 *	  compares with its bound (seedkit.seedkit_sample_hash).
 *
 * src/anon/sample.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "anon/anon.h"
#include "anon/prf.h"

/* The label the sampling key is derived under. */
#define SK_SAMPLE_LABEL "seedkit subset sample"

/*
 * sk_anon_sample_key
 *		Fill out (SK_SAMPLE_KEY_LEN bytes) with the sampling key: a subkey of
 *		the master key (seedkit.seed, else the database secret), in little
 *		endian order whatever the machine.
 */
void
sk_anon_sample_key(uint8 *out)
{
	SkKey		master;
	SkKey		key;
	int			i;

	sk_master_key(&master);
	sk_derive_key(&master, SK_SAMPLE_LABEL, strlen(SK_SAMPLE_LABEL), &key);
	for (i = 0; i < 8; i++)
	{
		out[i] = (uint8) (key.k0 >> (8 * i));
		out[8 + i] = (uint8) (key.k1 >> (8 * i));
	}
	explicit_bzero(&master, sizeof(master));
	explicit_bzero(&key, sizeof(key));
}

/*
 * How seedkit_sample_hash reads a key value's text: integers and strings
 * directly (the text their output functions would give), others through
 * their output function.
 */
typedef enum SkSampleKind
{
	SK_SAMPLE_OUTPUT,
	SK_SAMPLE_INT2,
	SK_SAMPLE_INT4,
	SK_SAMPLE_INT8,
	SK_SAMPLE_STRING
} SkSampleKind;

/* The key columns of a seedkit_sample_hash call site, read once. */
typedef struct SkSampleCache
{
	int			nargs;
	SkSampleKind *kinds;
	FmgrInfo   *out;
	StringInfoData buf;
} SkSampleCache;

/*
 * sk_sample_cache
 *		The cache of call site fcinfo for nargs key columns (from argument
 *		1 on), made on first use in the function's memory context.
 */
static SkSampleCache *
sk_sample_cache(FunctionCallInfo fcinfo, int nargs)
{
	SkSampleCache *c = (SkSampleCache *) fcinfo->flinfo->fn_extra;
	MemoryContext old;
	int			i;

	if (c != NULL && c->nargs == nargs)
		return c;
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	c = palloc0(sizeof(SkSampleCache));
	c->nargs = nargs;
	c->kinds = palloc(sizeof(SkSampleKind) * nargs);
	c->out = palloc(sizeof(FmgrInfo) * nargs);
	for (i = 0; i < nargs; i++)
	{
		Oid			type = get_fn_expr_argtype(fcinfo->flinfo, i + 1);
		Oid			fn;
		bool		varlena;

		if (!OidIsValid(type))
			elog(ERROR, "could not determine the type of argument %d", i + 2);
		getTypeOutputInfo(type, &fn, &varlena);
		fmgr_info_cxt(fn, &c->out[i], fcinfo->flinfo->fn_mcxt);
		switch (getBaseType(type))
		{
			case INT2OID:
				c->kinds[i] = SK_SAMPLE_INT2;
				break;
			case INT4OID:
				c->kinds[i] = SK_SAMPLE_INT4;
				break;
			case INT8OID:
				c->kinds[i] = SK_SAMPLE_INT8;
				break;
			case TEXTOID:
			case VARCHAROID:
			case BPCHAROID:
				c->kinds[i] = SK_SAMPLE_STRING;
				break;
			default:
				c->kinds[i] = SK_SAMPLE_OUTPUT;
				break;
		}
	}
	initStringInfo(&c->buf);
	MemoryContextSwitchTo(old);
	fcinfo->flinfo->fn_extra = c;
	return c;
}

/*
 * seedkit_sample_hash(key bytea, VARIADIC "any") returns bigint
 *		The keyed hash a subset's sample keeps a row by: SipHash-2-4 under
 *		key (the sampling key, 16 bytes) of the row key's canonical bytes,
 *		for each key value its text output in UTF-8 preceded by its length
 *		(4 bytes, little endian); the top 56 bits of the first output
 *		word.  The same key values give the same hash on any machine and in
 *		any server encoding; the text of a date or a float depends on the
 *		settings, so snapshots hash such keys under pinned settings (the
 *		function is STABLE, as the output functions it calls).
 */
PG_FUNCTION_INFO_V1(seedkit_sample_hash);

Datum
seedkit_sample_hash(PG_FUNCTION_ARGS)
{
	bytea	   *kb = PG_GETARG_BYTEA_PP(0);
	const uint8 *kp = (const uint8 *) VARDATA_ANY(kb);
	int			nargs = PG_NARGS() - 1;
	SkSampleCache *c;
	SkKey		key;
	uint64		h[2];
	int			i;

	if (VARSIZE_ANY_EXHDR(kb) != SK_SAMPLE_KEY_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sampling key must be %d bytes long", SK_SAMPLE_KEY_LEN)));
	if (get_fn_expr_variadic(fcinfo->flinfo) || nargs < 1)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot hash key values passed as a VARIADIC array"),
				 errhint("Pass each key value as an argument of its own.")));
	c = sk_sample_cache(fcinfo, nargs);
	key.k0 = key.k1 = 0;
	for (i = 0; i < 8; i++)
	{
		key.k0 |= ((uint64) kp[i]) << (8 * i);
		key.k1 |= ((uint64) kp[8 + i]) << (8 * i);
	}

	resetStringInfo(&c->buf);
	for (i = 0; i < nargs; i++)
	{
		Datum		d = PG_GETARG_DATUM(i + 1);
		char		digits[MAXINT8LEN + 1];
		char	   *str;
		char	   *utf8;
		int			len;
		uint8		lenb[4];
		int			j;

		/* the text of the value, as its output function writes it */
		switch (c->kinds[i])
		{
			case SK_SAMPLE_INT2:
				len = pg_ltoa((int32) DatumGetInt16(d), digits);
				str = digits;
				break;
			case SK_SAMPLE_INT4:
				len = pg_ltoa(DatumGetInt32(d), digits);
				str = digits;
				break;
			case SK_SAMPLE_INT8:
				len = pg_lltoa(DatumGetInt64(d), digits);
				str = digits;
				break;
			case SK_SAMPLE_STRING:
				{
					text	   *t = DatumGetTextPP(d);

					str = VARDATA_ANY(t);
					len = VARSIZE_ANY_EXHDR(t);
				}
				break;
			default:
				str = OutputFunctionCall(&c->out[i], d);
				len = strlen(str);
				break;
		}
		/* in UTF-8 whatever the server encoding (digits are ASCII) */
		utf8 = str == digits ? str : pg_server_to_any(str, len, PG_UTF8);
		if (utf8 != str)
			len = strlen(utf8);
		for (j = 0; j < 4; j++)
			lenb[j] = (uint8) ((uint32) len >> (8 * j));
		appendBinaryStringInfo(&c->buf, (char *) lenb, 4);
		appendBinaryStringInfo(&c->buf, utf8, len);
	}
	sk_siphash128(&key, c->buf.data, c->buf.len, h);
	explicit_bzero(&key, sizeof(key));
	PG_RETURN_INT64((int64) (h[0] >> 8));
}
