/*-------------------------------------------------------------------------
 *
 * store.c
 *	  Stored documents: the rows of seedkit.snapshots that
 *	  seedkit_snapshot(..., name => ...) and seedkit_load write.
 *
 * src/core/store.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

#include "core/core.h"

/* Parameters of the INSERT below. */
#define SK_STORE_NARGS 4

/*
 * sk_store_exec
 *		Run one statement of sk_store_document with its four parameters
 *		under a generic plan: a custom plan would fold the document into a
 *		constant, a copy of it.  Returns the rows processed.
 */
static uint64
sk_store_exec(const char *sql, int expected, Oid *argtypes, Datum *args,
			  const char *name)
{
	SPIPlanPtr	plan;
	int			rc;

	plan = SPI_prepare_cursor(sql, SK_STORE_NARGS, argtypes, CURSOR_OPT_GENERIC_PLAN);
	if (plan == NULL)
		elog(ERROR, "could not prepare to store snapshot \"%s\": %s", name,
			 SPI_result_code_string(SPI_result));
	rc = SPI_execute_plan(plan, args, NULL, false, 0);
	if (rc != expected)
		elog(ERROR, "could not store snapshot \"%s\": %s", name,
			 SPI_result_code_string(rc));
	SPI_freeplan(plan);
	return SPI_processed;
}

/*
 * sk_store_document
 *		Store the document doc (a json datum) under name for the current
 *		user, replacing an older one of the same name; root and counts (the
 *		text of a JSON object of row counts per table) are listed beside it.
 *		The caller is connected to SPI.
 *
 *		An older document is replaced by an UPDATE: ON CONFLICT DO UPDATE
 *		would form the new row twice (the proposed row, then the update's),
 *		two copies of a document that may be hundreds of megabytes.  The
 *		INSERT keeps ON CONFLICT for a row stored concurrently.
 */
void
sk_store_document(const char *name, const char *root, const char *counts,
				  Datum doc)
{
	Oid			argtypes[SK_STORE_NARGS] = {TEXTOID, TEXTOID, TEXTOID, JSONOID};
	Datum		args[SK_STORE_NARGS];

	args[0] = CStringGetTextDatum(name);
	args[1] = CStringGetTextDatum(root);
	args[2] = CStringGetTextDatum(counts);
	args[3] = doc;
	if (sk_store_exec("UPDATE seedkit.snapshots AS s SET"
					  " taken_at = pg_catalog.now(), root = $2,"
					  " row_counts = $3::pg_catalog.jsonb, document = $4"
					  " WHERE s.owner OPERATOR(pg_catalog.=) CURRENT_USER::pg_catalog.regrole"
					  " AND s.name OPERATOR(pg_catalog.=) $1",
					  SPI_OK_UPDATE, argtypes, args, name) > 0)
		return;
	(void) sk_store_exec("INSERT INTO seedkit.snapshots AS s"
						 " (name, root, row_counts, document)"
						 " VALUES ($1, $2, $3::pg_catalog.jsonb, $4)"
						 " ON CONFLICT (owner, name) DO UPDATE SET"
						 " taken_at = pg_catalog.now(), root = EXCLUDED.root,"
						 " row_counts = EXCLUDED.row_counts, document = EXCLUDED.document",
						 SPI_OK_INSERT, argtypes, args, name);
}
