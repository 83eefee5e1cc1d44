/*-------------------------------------------------------------------------
 *
 * names.c
 *	  Names as seedkit's SQL spells them: qualified and quoted tables and
 *	  columns, the extension's schema, schema-qualified operators and
 *	  column types, and table names of documents and overrides looked up
 *	  in the database.
 *
 * src/core/names.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_operator.h"
#include "commands/extension.h"
#include "nodes/makefuncs.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"
#include "utils/syscache.h"
#include "utils/typcache.h"
#include "utils/varlena.h"

#include "core/core.h"

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
 * sk_opname
 *		"OPERATOR(schema.name)" for an operator OID, safe under any
 *		search_path.
 */
char *
sk_opname(Oid opno)
{
	HeapTuple	tup;
	Form_pg_operator form;
	char	   *result;

	tup = SearchSysCache1(OPEROID, ObjectIdGetDatum(opno));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for operator %u", opno);
	form = (Form_pg_operator) GETSTRUCT(tup);
	result = psprintf("OPERATOR(%s.%s)",
					  quote_identifier(get_namespace_name(form->oprnamespace)),
					  NameStr(form->oprname));
	ReleaseSysCache(tup);
	return result;
}

/*
 * sk_type_eqop
 *		The qualified equality operator of a type, or an error when the type
 *		has none.
 */
char *
sk_type_eqop(Oid typid)
{
	TypeCacheEntry *tce = lookup_type_cache(typid, TYPECACHE_EQ_OPR);

	if (!OidIsValid(tce->eq_opr))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("could not identify an equality operator for type %s",
						format_type_be(typid))));
	return sk_opname(tce->eq_opr);
}

/*
 * sk_column_type
 *		The type of column attnum of relid with its typmod, qualified, for a
 *		cast.
 */
char *
sk_column_type(Oid relid, AttrNumber attnum)
{
	Oid			typid;
	int32		typmod;
	Oid			collid;

	get_atttypetypmodcoll(relid, attnum, &typid, &typmod, &collid);
	return format_type_extended(typid, typmod,
								FORMAT_TYPE_TYPEMOD_GIVEN | FORMAT_TYPE_FORCE_QUALIFY);
}

/*
 * sk_name_too_long
 *		Whether a part of a qualified name (quoted parts unquoted) is longer
 *		than PostgreSQL keeps: parsing it would truncate it silently.
 */
bool
sk_name_too_long(const char *name)
{
	const char *p = name;
	int			len = 0;
	bool		quoted = false;

	for (; *p; p++)
	{
		if (*p == '"')
		{
			if (quoted && p[1] == '"')
			{
				len++;
				p++;
				continue;
			}
			quoted = !quoted;
			continue;
		}
		if (*p == '.' && !quoted)
		{
			len = 0;
			continue;
		}
		if (++len >= NAMEDATALEN)
			return true;
	}
	return false;
}

/*
 * sk_relid_of_name
 *		The table a name of a document or of the overrides stands for (a
 *		name as PostgreSQL prints it: quoted where needed, qualified or
 *		not), looked up on the current search_path and locked in lockmode;
 *		InvalidOid when there is none and missing_ok.  A name that does not
 *		parse is an error.
 */
Oid
sk_relid_of_name(const char *name, LOCKMODE lockmode, bool missing_ok)
{
	RangeVar   *rv = makeRangeVarFromNameList(stringToQualifiedNameList(name));

	return RangeVarGetRelid(rv, lockmode, missing_ok);
}

/*
 * sk_relid_of_name_quiet
 *		sk_relid_of_name without errors and without a lock: InvalidOid also
 *		for a name that does not parse, has a part longer than PostgreSQL
 *		keeps, or has more than two parts.
 */
Oid
sk_relid_of_name_quiet(const char *name)
{
	char	   *raw = pstrdup(name);
	List	   *parts;
	List	   *names = NIL;
	ListCell   *pc;

	if (sk_name_too_long(name) ||
		!SplitIdentifierString(raw, '.', &parts) ||
		list_length(parts) < 1 || list_length(parts) > 2)
		return InvalidOid;
	foreach(pc, parts)
		names = lappend(names, makeString((char *) lfirst(pc)));
	return RangeVarGetRelid(makeRangeVarFromNameList(names), NoLock, true);
}

/*
 * sk_table_rows
 *		The rows of relid a document holds, as a FROM or UPDATE target: a
 *		partitioned table with its partitions, any other table without its
 *		inheritance children (ONLY), which are tables of their own and
 *		which its foreign keys do not cover.
 */
char *
sk_table_rows(Oid relid)
{
	if (get_rel_relkind(relid) == RELKIND_PARTITIONED_TABLE)
		return sk_qualified_name(relid);
	return psprintf("ONLY %s", sk_qualified_name(relid));
}
