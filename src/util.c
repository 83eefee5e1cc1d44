/*-------------------------------------------------------------------------
 *
 * util.c
 *	  Small helpers shared by seedkit's files: pinned settings, names.
 *
 * src/util.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_extension.h"
#include "commands/extension.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"

#include "seedkit.h"

/*
 * Settings under which values are written and read: a document must not
 * depend on the session's TimeZone, DateStyle, float digits or search_path.
 */
static const char *const sk_pinned[][2] = {
	{"search_path", "pg_catalog, pg_temp"},
	{"DateStyle", "ISO, YMD"},
	{"TimeZone", "UTC"},
	{"IntervalStyle", "postgres"},
	{"extra_float_digits", "1"},
	{"bytea_output", "hex"},
	{"lc_monetary", "C"},
	{"xmloption", "content"},
};

/*
 * sk_pin_settings
 *		Open a GUC nest level and pin the settings above; returns the level
 *		to hand to sk_unpin_settings.  An ERROR unwinds it with the
 *		transaction or subtransaction.
 */
int
sk_pin_settings(void)
{
	int			level = NewGUCNestLevel();
	int			i;

	for (i = 0; i < lengthof(sk_pinned); i++)
		(void) set_config_option(sk_pinned[i][0], sk_pinned[i][1],
								 PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
	return level;
}

/*
 * sk_unpin_settings
 *		Restore the settings in force before sk_pin_settings.
 */
void
sk_unpin_settings(int nestlevel)
{
	AtEOXact_GUC(true, nestlevel);
}

/*
 * sk_qualified_name
 *		The relation's schema-qualified name, quoted as PostgreSQL quotes it.
 */
char *
sk_qualified_name(Oid relid)
{
	char	   *relname = get_rel_name(relid);
	char	   *nspname;

	if (relname == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
	nspname = get_namespace_name(get_rel_namespace(relid));
	return quote_qualified_identifier(nspname, relname);
}

/*
 * sk_ext_schema
 *		The quoted name of the schema holding seedkit's functions.
 */
char *
sk_ext_schema(void)
{
	Oid			extoid = get_extension_oid("seedkit", false);
	Oid			nspoid = InvalidOid;
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;

	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber,
				F_OIDEQ, ObjectIdGetDatum(extoid));
	scan = systable_beginscan(rel, ExtensionOidIndexId, true, NULL, 1, &key);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
		nspoid = ((Form_pg_extension) GETSTRUCT(tup))->extnamespace;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	if (!OidIsValid(nspoid))
		elog(ERROR, "extension seedkit has no schema");
	return pstrdup(quote_identifier(get_namespace_name(nspoid)));
}

/*
 * sk_quote_col
 *		The quoted name of column attnum of relid.
 */
const char *
sk_quote_col(Oid relid, AttrNumber attnum)
{
	return quote_identifier(get_attname(relid, attnum, false));
}

/*
 * sk_caller_may_set_replication_role
 *		True when the current user may set session_replication_role.
 */
bool
sk_caller_may_set_replication_role(void)
{
	if (superuser())
		return true;
	return pg_parameter_aclcheck("session_replication_role", GetUserId(),
								 ACL_SET) == ACLCHECK_OK;
}
