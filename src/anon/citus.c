/*-------------------------------------------------------------------------
 *
 * citus.c
 *	  seedkit_anonymise of hash-distributed Citus tables: every shard
 *	  rewritten on its node, inside Citus's distributed transaction.
 *
 * The flags live on the coordinator.  For each colocation group, the
 * distributed function seedkit_citus_prepare created
 * (seedkit.citus_anonymise_<group>) is called once per node, with a value
 * of the distribution column hashing into each shard group the node holds;
 * Citus runs it on that node (the first value routes it) as part of the
 * coordinator's transaction (force_delegation), where it runs
 * seedkit_anonymise on those shards with the coordinator's flags and
 * seedkit.seed.  The seed goes ahead of the calls as a Citus intermediate
 * result (sk_citus_send_key), never in their text, which a worker may log.
 * An error on any
 * node aborts every node's work; Citus commits them with two-phase commit.
 * Unique columns stay unique per shard (Citus's unique keys include the
 * distribution column, so per shard is what they ask).
 *
 * src/anon/citus.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "anon/citus.h"
#include "core/core.h"

/*
 * sk_anon_citus_cmp
 *		Order of tables by qualified name, as seedkit_anonymise reports them.
 */
static int
sk_anon_citus_cmp(const ListCell *a, const ListCell *b)
{
	return strcmp(sk_qualified_name(lfirst_oid(a)), sk_qualified_name(lfirst_oid(b)));
}

/*
 * sk_anon_citus_split
 *		Of leaves, the hash-distributed Citus tables are moved to *citus;
 *		returns the others.  Without Citus, one catalog lookup.  The caller
 *		is connected to SPI.
 */
List *
sk_anon_citus_split(List *leaves, List **citus)
{
	List	   *rest = NIL;
	ListCell   *lc;
	int			colocation;
	char	   *distcol;

	*citus = NIL;
	if (leaves == NIL || !sk_citus_present())
		return leaves;
	foreach(lc, leaves)
	{
		if (sk_citus_table(lfirst_oid(lc), &colocation, &distcol) == 'h')
			*citus = lappend_oid(*citus, lfirst_oid(lc));
		else
			rest = lappend_oid(rest, lfirst_oid(lc));
	}
	list_sort(*citus, sk_anon_citus_cmp);
	return rest;
}

/*
 * sk_anon_citus_group
 *		Anonymise tables (qualified names, a text[] literal's elements) of
 *		colocation group g, distributed by a column of type typ, adding
 *		each table's flagged columns and rows to cols and rows.  The caller
 *		is connected to SPI.
 */
static void
sk_anon_citus_group(int g, Oid typ, Oid rep, List *tables, int *cols, int64 *rows)
{
	char	   *fn = psprintf("seedkit.citus_anonymise_%d", g);
	StringInfoData sql;
	Oid			argtypes[2] = {TEXTARRAYOID, OIDOID};
	Datum		args[2];
	char	   *flags;
	char	   *key;
	char	  **values;
	int		   *nodes;
	uint64		nvalues;
	uint64		v;
	ListCell   *lc;
	bool		isnull;
	Datum	   *elems;
	int			n = 0;

	if (typ != INT2OID && typ != INT4OID && typ != INT8OID && typ != NUMERICOID &&
		typ != TEXTOID && typ != VARCHAROID)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot anonymise table \"%s\" distributed by a column of type %s",
						get_rel_name(linitial_oid(tables)), format_type_be(typ)),
				 errdetail("Each shard is reached through a value of the distribution column, which seedkit finds for integer, numeric and text columns only.")));

	if (SPI_execute(psprintf("SELECT pg_catalog.to_regproc(%s)", quote_literal_cstr(fn)),
					true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not look up %s", fn);
	(void) SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("anonymisation of table \"%s\" is not prepared",
						get_rel_name(linitial_oid(tables))),
				 errhint("Run SELECT seedkit_citus_prepare(); once after distributing the tables, and again after adding a worker.")));

	elems = palloc(sizeof(Datum) * list_length(tables));
	foreach(lc, tables)
		elems[n++] = CStringGetTextDatum(sk_qualified_name(lfirst_oid(lc)));
	args[0] = PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));

	/* the coordinator's flags of these tables */
	if (SPI_execute_with_args("SELECT pg_catalog.json_agg(pg_catalog.json_build_object("
							  "'tbl', pg_catalog.quote_ident(n.nspname) OPERATOR(pg_catalog.||) '.'"
							  " OPERATOR(pg_catalog.||) pg_catalog.quote_ident(c.relname),"
							  " 'attname', f.attname, 'strategy', f.strategy, 'options', f.options))"
							  " FROM seedkit.flag f"
							  " JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) f.tbl"
							  " JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace"
							  " WHERE pg_catalog.quote_ident(n.nspname) OPERATOR(pg_catalog.||) '.'"
							  " OPERATOR(pg_catalog.||) pg_catalog.quote_ident(c.relname)"
							  " OPERATOR(pg_catalog.=) ANY ($1)",
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read seedkit.flag");
	flags = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (flags == NULL)
		return;

	/* one value of the distribution column per shard group, by node */
	args[1] = ObjectIdGetDatum(rep);
	/*
	 * The smallest such value: the series in the target list is evaluated
	 * lazily, so each shard's search stops at its first value (about as many
	 * tries as there are shards), where a series in FROM would be computed
	 * whole first.
	 */
	if (SPI_execute_with_args(psprintf("SELECT pl.groupid, (SELECT x.v FROM"
									   " (SELECT pg_catalog.generate_series(0, 1000000) AS v) x"
									   " WHERE pg_catalog.worker_hash(x.v::%s)"
									   " BETWEEN s.shardminvalue::pg_catalog.int4 AND s.shardmaxvalue::pg_catalog.int4"
									   " LIMIT 1)::pg_catalog.text"
									   " FROM pg_catalog.pg_dist_shard s"
									   " JOIN pg_catalog.pg_dist_placement pl"
									   " ON pl.shardid OPERATOR(pg_catalog.=) s.shardid"
									   " WHERE s.logicalrelid OPERATOR(pg_catalog.=) $2::pg_catalog.regclass"
									   " AND $1 IS NOT NULL"
									   " ORDER BY pl.groupid, s.shardminvalue::pg_catalog.int4",
									   format_type_be_qualified(typ)),
							  2, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the shards of table \"%s\"", get_rel_name(rep));
	nvalues = SPI_processed;
	values = palloc(sizeof(char *) * (nvalues + 1));
	nodes = palloc(sizeof(int) * (nvalues + 1));
	for (v = 0; v < nvalues; v++)
	{
		bool		gnull;

		nodes[v] = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[v], SPI_tuptable->tupdesc, 1, &gnull));
		values[v] = SPI_getvalue(SPI_tuptable->vals[v], SPI_tuptable->tupdesc, 2);
		if (values[v] == NULL)
			elog(ERROR, "no value of table \"%s\" hashes into one of its shards",
				 get_rel_name(rep));
	}

	/* one call per node, for every shard group it holds, the seed ahead */
	key = sk_citus_send_key(false);
	initStringInfo(&sql);
	for (v = 0; v < nvalues;)
	{
		Oid			ctypes[4] = {TEXTARRAYOID, JSONOID, TEXTOID, TEXTARRAYOID};
		Datum		cargs[4];
		Datum	   *tenants = palloc(sizeof(Datum) * nvalues);
		int			ntenants = 0;
		uint64		first = v;
		Datum		res;
		uint64		i;

		while (v < nvalues && nodes[v] == nodes[first])
			tenants[ntenants++] = CStringGetTextDatum(values[v++]);
		resetStringInfo(&sql);
		appendStringInfo(&sql, "SELECT * FROM %s(%s, $1, $2, $3, $4)", fn,
						 quote_literal_cstr(values[first]));
		cargs[0] = args[0];
		cargs[1] = CStringGetTextDatum(flags);
		cargs[2] = CStringGetTextDatum(key);
		cargs[3] = PointerGetDatum(construct_array(tenants, ntenants, TEXTOID, -1, false,
												   TYPALIGN_INT));
		if (SPI_execute_with_args(sql.data, 4, ctypes, cargs, NULL, false, 1) != SPI_OK_SELECT ||
			SPI_processed != 1)
			elog(ERROR, "could not run %s", fn);
		res = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		if (isnull)
			continue;
		ctypes[0] = JSONOID;
		cargs[0] = res;
		if (SPI_execute_with_args("SELECT e OPERATOR(pg_catalog.->>) 0,"
								  " (e OPERATOR(pg_catalog.->>) 1)::pg_catalog.int4,"
								  " (e OPERATOR(pg_catalog.->>) 2)::pg_catalog.int8"
								  " FROM pg_catalog.json_array_elements($1) e",
								  1, ctypes, cargs, NULL, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not read the result of %s", fn);
		for (i = 0; i < SPI_processed; i++)
		{
			HeapTuple	tup = SPI_tuptable->vals[i];
			char	   *name = SPI_getvalue(tup, SPI_tuptable->tupdesc, 1);
			int			k = 0;

			foreach(lc, tables)
			{
				if (strcmp(sk_qualified_name(lfirst_oid(lc)), name) == 0)
				{
					cols[k] = DatumGetInt32(SPI_getbinval(tup, SPI_tuptable->tupdesc, 2, &isnull));
					rows[k] += isnull ? 0 :
						DatumGetInt64(SPI_getbinval(tup, SPI_tuptable->tupdesc, 3, &isnull));
				}
				k++;
			}
		}
	}
}

/*
 * sk_anon_citus
 *		Anonymise the hash-distributed tables citus (from
 *		sk_anon_citus_split) shard by shard on their nodes, and put a row per
 *		table (table_name, columns, rows) into rsinfo.  Needs seedkit.seed,
 *		so that every node fakes alike.  The caller is connected to SPI.
 */
void
sk_anon_citus(List *citus, ReturnSetInfo *rsinfo)
{
	ListCell   *lc;
	List	   *groups = NIL;
	int			n = list_length(citus);
	int		   *cols;
	int64	   *rows;
	int			k;

	if (citus == NIL)
		return;
	if (sk_seed_guc == NULL || sk_seed_guc[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("anonymising Citus table \"%s\" needs seedkit.seed", get_rel_name(linitial_oid(citus))),
				 errdetail("Every node fakes the shards it holds; they fake alike only with the same seed."),
				 errhint("SET seedkit.seed = '...' for the session first.")));
	cols = palloc0(sizeof(int) * n);
	rows = palloc0(sizeof(int64) * n);

	foreach(lc, citus)
	{
		int			g;
		char	   *distcol;

		(void) sk_citus_table(lfirst_oid(lc), &g, &distcol);
		groups = list_append_unique_int(groups, g);
	}
	foreach(lc, groups)
	{
		int			g = lfirst_int(lc);
		List	   *tables = NIL;
		ListCell   *tc;
		Oid			typ = InvalidOid;
		int		   *gcols;
		int64	   *grows;
		int			i = 0;

		foreach(tc, citus)
		{
			int			tg;
			char	   *distcol;

			(void) sk_citus_table(lfirst_oid(tc), &tg, &distcol);
			if (tg == g)
			{
				tables = lappend_oid(tables, lfirst_oid(tc));
				typ = get_atttype(lfirst_oid(tc), get_attnum(lfirst_oid(tc), distcol));
			}
		}
		gcols = palloc0(sizeof(int) * list_length(tables));
		grows = palloc0(sizeof(int64) * list_length(tables));
		sk_anon_citus_group(g, typ, linitial_oid(tables), tables, gcols, grows);
		foreach(tc, tables)
		{
			ListCell   *cc;

			k = 0;
			foreach(cc, citus)
			{
				if (lfirst_oid(cc) == lfirst_oid(tc))
				{
					cols[k] = gcols[i];
					rows[k] = grows[i];
				}
				k++;
			}
			i++;
		}
	}

	k = 0;
	foreach(lc, citus)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = ObjectIdGetDatum(lfirst_oid(lc));
		values[1] = Int32GetDatum(cols[k]);
		values[2] = Int64GetDatum(rows[k]);
		nulls[2] = cols[k] == 0;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		k++;
	}
}
