/*-------------------------------------------------------------------------
 *
 * distributed.c
 *	  Tables seedkit cannot read or write as plain tables: those Citus
 *	  distributes.
 *
 * src/core/distributed.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/lsyscache.h"

#include "core/core.h"

/*
 * sk_refuse_distributed
 *		Stop with an error when one of relids is a table Citus manages (a
 *		distributed, reference or Citus local table: listed in
 *		pg_dist_partition).  Its rows live in shards, so reading or writing
 *		the coordinator's table would silently miss them.  Without the citus
 *		extension in the database this is one catalog lookup.  Of several
 *		such tables the first by schema and name is named.  A table a tenant
 *		snapshot reads from its shard on this node (citus.c) is not refused.
 */
void
sk_refuse_distributed(List *relids)
{
	Datum	   *elems;
	Oid			argtypes[1] = {OIDARRAYOID};
	Datum		args[1];
	ListCell   *lc;
	int			n = 0;
	Oid			relid;
	char		method;
	char		model;
	bool		isnull;
	const char *kind;

	if (relids == NIL || !sk_citus_present())
		return;

	elems = palloc(sizeof(Datum) * list_length(relids));
	foreach(lc, relids)
		if (sk_citus_shard_from(lfirst_oid(lc)) == NULL)
			elems[n++] = ObjectIdGetDatum(lfirst_oid(lc));
	if (n == 0)
		return;
	args[0] = PointerGetDatum(construct_array(elems, n, OIDOID, sizeof(Oid),
											  true, TYPALIGN_INT));
	sk_spi_connect();
	if (SPI_execute_with_args("SELECT c.oid, p.partmethod, p.repmodel"
							  " FROM pg_catalog.pg_dist_partition p"
							  " JOIN pg_catalog.pg_class c"
							  " ON c.oid OPERATOR(pg_catalog.=) p.logicalrelid::pg_catalog.oid"
							  " JOIN pg_catalog.pg_namespace n"
							  " ON n.oid OPERATOR(pg_catalog.=) c.relnamespace"
							  " WHERE c.oid OPERATOR(pg_catalog.=) ANY ($1)"
							  " ORDER BY n.nspname COLLATE pg_catalog.\"C\","
							  " c.relname COLLATE pg_catalog.\"C\""
							  " LIMIT 1",
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read pg_dist_partition");
	if (SPI_processed == 0)
	{
		SPI_finish();
		return;
	}
	relid = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0],
										   SPI_tuptable->tupdesc, 1, &isnull));
	method = DatumGetChar(SPI_getbinval(SPI_tuptable->vals[0],
										SPI_tuptable->tupdesc, 2, &isnull));
	model = DatumGetChar(SPI_getbinval(SPI_tuptable->vals[0],
									   SPI_tuptable->tupdesc, 3, &isnull));
	SPI_finish();
	/* partmethod 'n' (none): a reference table, or a Citus local table */
	if (method != 'n')
		kind = "a distributed table";
	else if (model == 't')
		kind = "a reference table";
	else
		kind = "a Citus local table";
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("table \"%s\" is distributed by Citus", get_rel_name(relid)),
			 errdetail("Table \"%s\" is %s: its rows are kept in shards, which seedkit does not read or write yet.",
					   sk_message_name(sk_qualified_name(relid)), kind),
			 errhint("Leave the table out (a snapshot can exclude it), or use seedkit on a database where it is a plain table.")));
}
