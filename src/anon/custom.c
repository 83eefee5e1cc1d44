/*-------------------------------------------------------------------------
 *
 * custom.c
 *	  The user's own strategies.
 *
 * "function" ({"function": "myschema.mask_ssn"}): a SQL function
 * f(original, key bytea) returning the fake, of the column's type (text
 * for string types).  key is 32 bytes of per-value key material derived
 * from the seed, the flag and the original (and the collision round of a
 * unique column): the function can be deterministic and keyed without
 * seeing the secret, and should use the key to give another fake when the
 * round changes.  Checked when flagged and when prepared: the name must be
 * schema-qualified, the signature as above, the function IMMUTABLE, not
 * SECURITY DEFINER, and owned by the current user (the table's owner) or
 * a superuser.  It runs as index expressions run: as the current user in a
 * security-restricted operation (no SET ROLE, no changes to session
 * state), under a search_path of pg_catalog and pg_temp.
 *
 * "pick" ({"list": "myschema.product_names", "column": "name"}): one of
 * the distinct non-null values of the column of the user's table, chosen
 * by the keyed digest of the original.  The list is read once per prepared
 * state, with the caller's rights, in byte order (COLLATE "C"), so the
 * same seed and list give the same picks.
 *
 * src/anon/custom.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "parser/parse_func.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/syscache.h"

#include "anon/custom.h"
#include "core/core.h"

#define SK_KEY_MATERIAL 32
#define SK_PICK_MAX 10000000

/* The prepared function or list of a state. */
typedef struct SkCustom
{
	FmgrInfo	fn;				/* function */
	Oid			fnargtype;		/* its first argument's type */
	Oid			owner;			/* whom it runs as */
	char	  **vals;			/* pick */
	int		   *lens;
	int			n;
} SkCustom;

/*
 * sk_function_error
 *		Report a function unfit for strategy "function".
 */
static void
sk_function_error(int code, const char *name, const char *detail, const char *hint)
{
	ereport(ERROR,
			(errcode(code),
			 errmsg("function \"%s\" cannot be used by strategy \"function\"", name),
			 errdetail("%s", detail),
			 errhint("%s", hint)));
}

/*
 * sk_function_prepare
 *		Look up and check option function for a value of st's type (text
 *		for text_class) and keep it in st->custom.
 */
void
sk_function_prepare(SkFakeState *st, bool text_class)
{
	const char *name = st->function;
	List	   *names;
	Oid			argtypes[2];
	Oid			fnoid;
	HeapTuple	tup;
	Form_pg_proc proc;
	SkCustom   *c;

	if (name == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("strategy \"function\" needs option \"function\""),
				 errhint("Name a schema-qualified function, as in '{\"function\": \"myschema.mask_ssn\"}'.")));
	names = stringToQualifiedNameList(name);
	if (list_length(names) < 2)
		sk_function_error(ERRCODE_INVALID_PARAMETER_VALUE, name,
						  "The name is not schema-qualified.",
						  "Write the function's schema before its name, as in \"myschema.mask_ssn\".");
	argtypes[0] = text_class ? TEXTOID : st->basetype;
	argtypes[1] = BYTEAOID;
	fnoid = LookupFuncName(names, 2, argtypes, true);
	if (!OidIsValid(fnoid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("function %s(%s, bytea) does not exist", name, format_type_be(argtypes[0])),
				 errhint("Strategy \"function\" calls a function of the original value and 32 bytes of key material that returns the fake, of type %s.",
						 format_type_be(argtypes[0]))));
	tup = SearchSysCache1(PROCOID, ObjectIdGetDatum(fnoid));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for function %u", fnoid);
	proc = (Form_pg_proc) GETSTRUCT(tup);
	if (proc->prorettype != argtypes[0] || proc->proretset)
		sk_function_error(ERRCODE_INVALID_FUNCTION_DEFINITION, name,
						  psprintf("It returns %s%s, not %s.", proc->proretset ? "a set of " : "",
								   format_type_be(proc->prorettype), format_type_be(argtypes[0])),
						  "Make the function return one value of the type of its first argument.");
	if (proc->provolatile != PROVOLATILE_IMMUTABLE)
		sk_function_error(ERRCODE_INVALID_FUNCTION_DEFINITION, name,
						  "It is not IMMUTABLE: the same original would not always give the same fake.",
						  "Declare the function IMMUTABLE, computing the fake from its arguments only.");
	if (proc->prosecdef)
		sk_function_error(ERRCODE_INVALID_FUNCTION_DEFINITION, name,
						  "It is SECURITY DEFINER: it would run with its owner's rights.",
						  "Declare the function SECURITY INVOKER.");
	if (proc->proowner != GetUserId() && !superuser_arg(proc->proowner))
		sk_function_error(ERRCODE_INSUFFICIENT_PRIVILEGE, name,
						  "It is owned by another role, who could change what it does with the original values.",
						  "Use a function you own.");
	ReleaseSysCache(tup);
	if (pg_proc_aclcheck(fnoid, GetUserId(), ACL_EXECUTE) != ACLCHECK_OK)
		sk_function_error(ERRCODE_INSUFFICIENT_PRIVILEGE, name,
						  "The current user may not execute it.",
						  "Grant EXECUTE on it, or use a function you own.");
	c = MemoryContextAllocZero(st->mcxt, sizeof(SkCustom));
	fmgr_info_cxt(fnoid, &c->fn, st->mcxt);
	c->fnargtype = argtypes[0];
	c->owner = GetUserId();
	st->custom = c;
}

/*
 * sk_function_apply
 *		Call the function on value with the key material of rng, as index
 *		expressions are evaluated: security-restricted, search_path pinned.
 *		Returns its non-null result.
 */
Datum
sk_function_apply(SkFakeState *st, SkRng *rng, Datum value)
{
	SkCustom   *c = (SkCustom *) st->custom;
	bytea	   *key = palloc(VARHDRSZ + SK_KEY_MATERIAL);
	Oid			save_userid;
	int			save_sec;
	int			level;
	int			i;
	LOCAL_FCINFO(fcinfo, 2);
	Datum		result;

	SET_VARSIZE(key, VARHDRSZ + SK_KEY_MATERIAL);
	for (i = 0; i < SK_KEY_MATERIAL / 8; i++)
	{
		uint64		x = sk_rng_next(rng);

		memcpy(VARDATA(key) + 8 * i, &x, 8);
	}
	GetUserIdAndSecContext(&save_userid, &save_sec);
	SetUserIdAndSecContext(c->owner, save_sec | SECURITY_RESTRICTED_OPERATION);
	level = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET,
							 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	InitFunctionCallInfoData(*fcinfo, &c->fn, 2, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = value;
	fcinfo->args[0].isnull = false;
	fcinfo->args[1].value = PointerGetDatum(key);
	fcinfo->args[1].isnull = false;
	result = FunctionCallInvoke(fcinfo);
	AtEOXact_GUC(true, level);
	SetUserIdAndSecContext(save_userid, save_sec);
	if (fcinfo->isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("function \"%s\" of strategy \"function\" returned null", st->function),
				 errhint("Return a fake for every non-null original; flag the column with strategy \"null\" to empty it.")));
	return result;
}

/*
 * sk_pick_prepare
 *		Check options list and column (a table and its column the caller
 *		may read) and, when load, read its distinct values into st->custom.
 */
void
sk_pick_prepare(SkFakeState *st, bool load)
{
	Oid			relid;
	AttrNumber	attnum;
	SkCustom   *c;
	char	   *sql;
	uint64		i;
	MemoryContext old;

	if (st->list == NULL || st->list_column == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("strategy \"pick\" needs options \"list\" and \"column\""),
				 errhint("Name a table and its column, as in '{\"list\": \"myschema.product_names\", \"column\": \"name\"}'.")));
	relid = RangeVarGetRelid(makeRangeVarFromNameList(stringToQualifiedNameList(st->list)),
							 AccessShareLock, true);
	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table \"%s\" of strategy \"pick\" does not exist", sk_message_name(st->list)),
				 errhint("Name the word list table with its schema.")));
	attnum = get_attnum(relid, st->list_column);
	if (attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of table \"%s\" does not exist", st->list_column, sk_message_name(st->list))));
	if (pg_attribute_aclcheck(relid, attnum, GetUserId(), ACL_SELECT) != ACLCHECK_OK &&
		pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to read column \"%s\" of table \"%s\"", st->list_column, sk_message_name(st->list))));
	if (!load)
		return;
	sql = psprintf("SELECT DISTINCT (%s)::pg_catalog.text COLLATE \"C\" AS v FROM %s "
				   "WHERE %s IS NOT NULL ORDER BY 1 LIMIT %d",
				   quote_identifier(st->list_column), sk_qualified_name(relid),
				   quote_identifier(st->list_column), SK_PICK_MAX + 1);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "could not connect to SPI");
	if (SPI_execute(sql, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the word list \"%s\"", st->list);
	if (SPI_processed == 0 || SPI_processed > SK_PICK_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("word list \"%s\" of strategy \"pick\" has %s values", sk_message_name(st->list),
						SPI_processed == 0 ? "no" : "too many"),
				 errdetail("Column \"%s\" must hold from 1 to %d distinct non-null values.",
						   st->list_column, SK_PICK_MAX)));
	old = MemoryContextSwitchTo(st->mcxt);
	c = palloc0(sizeof(SkCustom));
	c->n = (int) SPI_processed;
	c->vals = palloc(sizeof(char *) * c->n);
	c->lens = palloc(sizeof(int) * c->n);
	for (i = 0; i < SPI_processed; i++)
	{
		c->vals[i] = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
		c->lens[i] = strlen(c->vals[i]);
	}
	MemoryContextSwitchTo(old);
	SPI_finish();
	st->custom = c;
}

/*
 * sk_pick_apply
 *		Append the list's value chosen by rng.
 */
void
sk_pick_apply(SkFakeState *st, SkRng *rng, StringInfo out)
{
	SkCustom   *c = (SkCustom *) st->custom;
	int			k = sk_rng_below(rng, c->n);

	appendBinaryStringInfo(out, c->vals[k], c->lens[k]);
}
