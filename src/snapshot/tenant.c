/*-------------------------------------------------------------------------
 *
 * tenant.c
 *	  A snapshot of one tenant of Citus tables, taken on the node holding
 *	  that tenant's shards.
 *
 * On a Citus coordinator the rows of a distributed table are in shards on
 * the workers.  With a filter fixing the distribution column of the root to
 * one value (store_id = 42), every row the closure can reach through
 * foreign keys that include the distribution column is in the shards of that
 * value, one per colocated table, on one node; the reference tables the
 * closure reaches have a copy on every node.  sk_tenant_route (coordinator)
 * calls the distributed function seedkit_citus_prepare created for the
 * root's colocation group; Citus runs it on the node holding the tenant,
 * where sk_tenant_enter points the snapshot's reads at the local shards
 * (core/citus.c; the graph and the document keep the distributed tables'
 * names and metadata) and puts the coordinator's flags and secret in place
 * for the call, in memory (written nowhere, so the caller needs only the
 * right to read them), so that fakes are the coordinator's (the seed or
 * secret goes ahead as a Citus intermediate result, never in the text of the
 * call, which a worker may log).  sk_tenant_leave undoes that.  Any other
 * filter on a distributed root is refused.
 *
 * src/snapshot/tenant.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/snapmgr.h"

#include "snapshot/graph.h"
#include "snapshot/closure.h"
#include "snapshot/tenant.h"
#include "core/core.h"

/* Where sk_tenant_leave returns to once the subtransaction is rolled back. */
static MemoryContext sk_tenant_mcxt = NULL;
static ResourceOwner sk_tenant_owner = NULL;

/*
 * sk_tenant_value
 *		When filter is "col = constant" (or "constant = col") with col the
 *		distribution column distcol, the constant as text; else NULL.
 */
static char *
sk_tenant_value(const char *filter, const char *distcol)
{
	MemoryContext cxt = CurrentMemoryContext;
	List	   *raw;
	SelectStmt *sel;
	A_Expr	   *e;
	Node	   *sides[2];
	int			i;

	if (filter == NULL)
		return NULL;
	PG_TRY();
	{
		raw = raw_parser(psprintf("SELECT WHERE %s", filter), RAW_PARSE_DEFAULT);
	}
	PG_CATCH();
	{
		/* the closure reports the filter's syntax error itself */
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
		return NULL;
	}
	PG_END_TRY();
	if (list_length(raw) != 1)
		return NULL;
	sel = (SelectStmt *) ((RawStmt *) linitial(raw))->stmt;
	if (!IsA(sel, SelectStmt) || sel->whereClause == NULL || !IsA(sel->whereClause, A_Expr))
		return NULL;
	e = (A_Expr *) sel->whereClause;
	if (e->kind != AEXPR_OP || list_length(e->name) != 1 ||
		strcmp(strVal(linitial(e->name)), "=") != 0)
		return NULL;
	sides[0] = e->lexpr;
	sides[1] = e->rexpr;
	for (i = 0; i < 2; i++)
	{
		Node	   *c = sides[i];
		Node	   *k = sides[1 - i];
		A_Const    *v;

		if (!IsA(c, ColumnRef) || list_length(((ColumnRef *) c)->fields) != 1 ||
			!IsA(linitial(((ColumnRef *) c)->fields), String) ||
			strcmp(strVal(linitial(((ColumnRef *) c)->fields)), distcol) != 0)
			continue;
		if (IsA(k, TypeCast))
			k = ((TypeCast *) k)->arg;
		if (!IsA(k, A_Const) || ((A_Const *) k)->isnull)
			return NULL;
		v = (A_Const *) k;
		switch (nodeTag(&v->val))
		{
			case T_Integer:
				return psprintf("%d", intVal(&v->val));
			case T_Float:
				return pstrdup(castNode(Float, &v->val)->fval);
			case T_String:
				return pstrdup(strVal(&v->val));
			default:
				return NULL;
		}
	}
	return NULL;
}

/*
 * sk_tenant_literal
 *		value as an SQL literal, or NULL.
 */
static const char *
sk_tenant_literal(const char *value)
{
	return value ? quote_literal_cstr(value) : "NULL";
}

/*
 * sk_tenant_route
 *		When the root of opt is a hash-distributed Citus table, take the
 *		snapshot on the node holding the tenant the filter names and return
 *		the document (a json datum in the caller's context); NULL when the
 *		root is not a Citus table (the closure refuses any Citus table it
 *		reaches then).  The caller is connected to SPI.
 */
Datum
sk_tenant_route(SkOptions *opt)
{
	int			colocation = 0;
	char	   *distcol = NULL;
	char		kind;
	char	   *value;
	char	   *fn;
	char	   *flags = NULL;
	char	   *key = NULL;
	StringInfoData sql;
	StringInfoData excl;
	Oid			argtypes[2] = {JSONOID, TEXTOID};
	Datum		args[2];
	char		nulls[2];
	bool		isnull;
	Datum		doc;
	int			i;

	kind = sk_citus_table(opt->rootrel, &colocation, &distcol);
	if (kind == '\0' || kind != 'h')
		return (Datum) 0;

	value = sk_tenant_value(opt->filter, distcol);
	if (value == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("a snapshot of distributed table \"%s\" needs a filter naming one tenant",
						get_rel_name(opt->rootrel)),
				 errdetail("Table \"%s\" is distributed by column \"%s\"; seedkit reads one tenant's shards where they are, so the filter must be \"%s = <value>\".",
						   sk_message_name(sk_qualified_name(opt->rootrel)), distcol, distcol),
				 errhint("Take one snapshot per tenant, with filter => '%s = ...'.", distcol)));

	fn = psprintf("seedkit.citus_tenant_%d", colocation);
	if (SPI_execute(psprintf("SELECT pg_catalog.to_regproc(%s)", quote_literal_cstr(fn)),
					true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not look up %s", fn);
	(void) SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("tenant snapshots of table \"%s\" are not prepared",
						get_rel_name(opt->rootrel)),
				 errdetail("The distributed function that takes them on the tenant's node does not exist for the colocation group of table \"%s\".",
						   sk_message_name(sk_qualified_name(opt->rootrel))),
				 errhint("Run SELECT seedkit_citus_prepare(); once after distributing the tables, and again after adding a worker.")));

	/*
	 * the coordinator's flags go with the call (with anonymise => false too:
	 * that node checks the caller owns the flagged tables), its seed or
	 * secret ahead of it
	 */
	if (SPI_execute("SELECT pg_catalog.json_agg(pg_catalog.json_build_object("
					"'tbl', pg_catalog.quote_ident(n.nspname) OPERATOR(pg_catalog.||) '.'"
					" OPERATOR(pg_catalog.||) pg_catalog.quote_ident(c.relname),"
					" 'attname', f.attname, 'strategy', f.strategy, 'options', f.options))"
					" FROM seedkit.flag f"
					" JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) f.tbl"
					" JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace",
					true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read seedkit.flag");
	flags = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (flags != NULL && opt->anonymise)
	{
		if (sk_seed_guc != NULL && sk_seed_guc[0] != '\0')
			key = sk_citus_send_key(false);
		else
		{
			if (SPI_execute("SELECT FROM seedkit.secret s",
							true, 1) != SPI_OK_SELECT)
				elog(ERROR, "could not read seedkit.secret");
			if (SPI_processed == 0)
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("the database secret of the anonymisation has not been created yet"),
						 errdetail("A tenant snapshot of Citus tables fakes flagged columns on the tenant's node with the coordinator's secret."),
						 errhint("Have the owner of extension seedkit run SELECT seedkit_fake('hash', 'x'::text) once, or set \"seedkit.seed\".")));
			key = sk_citus_send_key(true);
		}
	}

	initStringInfo(&excl);
	appendStringInfoString(&excl, "ARRAY[");
	for (i = 0; i < opt->nexclude; i++)
		appendStringInfo(&excl, "%s%s", i ? ", " : "",
						 quote_literal_cstr(sk_qualified_name(opt->exclude[i])));
	appendStringInfoString(&excl, "]::pg_catalog.text[]");

	/*
	 * The planner folds the parameters into constants, as Citus needs to
	 * delegate the call, and so the worker logs the call with them: the seed
	 * or secret is not among them but went ahead as the intermediate result
	 * key names (sk_citus_send_key).
	 */
	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT * FROM %s(%s, %s, %s, %s, %s, %s, %lld, %s, %s, $1, $2)",
					 fn, quote_literal_cstr(value),
					 quote_literal_cstr(sk_qualified_name(opt->rootrel)),
					 sk_tenant_literal(opt->filter), quote_literal_cstr(opt->name),
					 opt->children ? "true" : "false", excl.data,
					 (long long) opt->max_rows,
					 opt->reset_keys ? "true" : "false",
					 opt->anonymise ? "true" : "false");
	args[0] = flags ? CStringGetTextDatum(flags) : (Datum) 0;
	args[1] = key ? CStringGetTextDatum(key) : (Datum) 0;
	nulls[0] = flags ? ' ' : 'n';
	nulls[1] = key ? ' ' : 'n';
	if (SPI_execute_with_args(sql.data, 2, argtypes, args, nulls, false, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "could not run %s", fn);
	doc = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		elog(ERROR, "%s returned null", fn);
	return PointerGetDatum(SPI_datumTransfer(doc, false, -1));
}

/*
 * sk_tenant_enter
 *		On the node Citus ran the tenant snapshot on: in a subtransaction,
 *		put the coordinator's flags and the seed or secret it sent as
 *		intermediate result key (sk_citus_send_key) in place of this
 *		node's (in memory, core/citus.c: nothing is written), and point
 *		the reads of every table colocated with the root at its shard for
 *		tenant, and of every reference table at its copy here.  Stops when
 *		the tenant's shard is not on this node (Citus did not delegate the
 *		call).  Undone by sk_tenant_leave, or by the error that ends the
 *		transaction.
 */
void
sk_tenant_enter(SkOptions *opt, const char *tenant, Datum flags, const char *key)
{
	int			colocation = 0;
	char	   *distcol = NULL;
	Oid			argtypes[3] = {OIDOID, TEXTOID, INT4OID};
	Datum		args[3];
	Oid		   *relids;
	Oid		   *shards;
	char	   *seed = NULL;
	Datum		secret = (Datum) 0;
	bool		root_here = false;
	int			n;
	uint64		i;

	sk_tenant_mcxt = CurrentMemoryContext;
	sk_tenant_owner = CurrentResourceOwner;
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(sk_tenant_mcxt);
	sk_spi_connect();
	if (sk_citus_table(opt->rootrel, &colocation, &distcol) != 'h')
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("table \"%s\" is not a hash-distributed Citus table",
						get_rel_name(opt->rootrel))));

	args[0] = ObjectIdGetDatum(opt->rootrel);
	args[1] = CStringGetTextDatum(tenant);
	args[2] = Int32GetDatum(colocation);
	if (SPI_execute_with_args("SELECT p.logicalrelid::pg_catalog.oid,"
							  " pg_catalog.to_regclass(pg_catalog.shard_name(p.logicalrelid, s.shardid, false))::pg_catalog.oid,"
							  " p.logicalrelid OPERATOR(pg_catalog.=) $1::pg_catalog.regclass"
							  " FROM pg_catalog.pg_dist_partition p"
							  " JOIN pg_catalog.pg_dist_shard s ON s.logicalrelid OPERATOR(pg_catalog.=) p.logicalrelid"
							  " WHERE ((p.partmethod OPERATOR(pg_catalog.=) 'h'"
							  " AND p.colocationid OPERATOR(pg_catalog.=) $3"
							  " AND s.shardid OPERATOR(pg_catalog.=)"
							  " pg_catalog.get_shard_id_for_distribution_column(p.logicalrelid, $2))"
							  " OR (p.partmethod OPERATOR(pg_catalog.=) 'n' AND p.repmodel OPERATOR(pg_catalog.=) 't'))"
							  " AND EXISTS (SELECT FROM pg_catalog.pg_dist_placement pl"
							  " WHERE pl.shardid OPERATOR(pg_catalog.=) s.shardid"
							  " AND pl.groupid OPERATOR(pg_catalog.=)"
							  " (SELECT groupid FROM pg_catalog.pg_dist_local_group))",
							  3, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the shards of tenant %s", tenant);
	n = (int) SPI_processed;
	relids = palloc(sizeof(Oid) * Max(n, 1));
	shards = palloc(sizeof(Oid) * Max(n, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;

		relids[i] = DatumGetObjectId(SPI_getbinval(tup, desc, 1, &isnull));
		shards[i] = DatumGetObjectId(SPI_getbinval(tup, desc, 2, &isnull));
		if (isnull)
			elog(ERROR, "shard of table \"%s\" not found on this node",
				 get_rel_name(relids[i]));
		if (DatumGetBool(SPI_getbinval(tup, desc, 3, &isnull)))
			root_here = true;
	}
	if (!root_here)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("tenant %s of table \"%s\" is not on this node", tenant,
						get_rel_name(opt->rootrel)),
				 errdetail("Citus runs a tenant snapshot on the node holding the tenant only when seedkit_snapshot is called outside a transaction block."),
				 errhint("Call seedkit_snapshot on its own, not inside BEGIN ... COMMIT.")));

	/* the seed or secret the coordinator sent ahead of the call */
	if (key != NULL)
	{
		Oid			ktype[1] = {TEXTOID};
		Datum		karg[1];
		bool		isnull;
		Datum		d;

		karg[0] = CStringGetTextDatum(key);
		if (SPI_execute_with_args("SELECT r.seed, r.secret FROM pg_catalog.read_intermediate_result($1, 'binary')"
								  " AS r(seed pg_catalog.text, secret pg_catalog.bytea)",
								  1, ktype, karg, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read the key of the anonymisation");
		if (SPI_processed != 1)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("the key of the anonymisation did not reach this node"),
					 errdetail("The coordinator sends its seed or secret to the workers before the call, as intermediate result \"%s\".", key)));
		seed = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
		if (!isnull)
			secret = datumCopy(d, false, -1);
	}

	/*
	 * the coordinator's flags and secret, for this call only, in memory:
	 * the caller may read seedkit.flag and the tables, not write them
	 */
	(void) set_config_option("seedkit.seed", seed ? seed : "", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_LOCAL, true, 0, false);
	sk_citus_keys_set(DatumGetPointer(flags) ? TextDatumGetCString(flags) : NULL,
					  DatumGetPointer(secret) ? DatumGetByteaPP(secret) : NULL);
	sk_citus_shards_set(n, relids, shards);
	SPI_finish();
}

/*
 * sk_tenant_leave
 *		Undo sk_tenant_enter once the document is written: the flags and
 *		the secret are forgotten, the settings of the call go with the
 *		subtransaction.
 */
void
sk_tenant_leave(void)
{
	sk_citus_shards_clear();
	RollbackAndReleaseCurrentSubTransaction();
	MemoryContextSwitchTo(sk_tenant_mcxt);
	CurrentResourceOwner = sk_tenant_owner;
}
