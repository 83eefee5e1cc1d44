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
 * sk_store_document
 *		Store the document doc (a json datum) under name for the current
 *		user, replacing an older one of the same name; root and counts (the
 *		text of a JSON object of row counts per table) are listed beside it.
 *		The caller is connected to SPI.
 */
void
sk_store_document(const char *name, const char *root, const char *counts,
				  Datum doc)
{
	Oid			argtypes[SK_STORE_NARGS] = {TEXTOID, TEXTOID, TEXTOID, JSONOID};
	Datum		args[SK_STORE_NARGS];
	int			rc;

	args[0] = CStringGetTextDatum(name);
	args[1] = CStringGetTextDatum(root);
	args[2] = CStringGetTextDatum(counts);
	args[3] = doc;
	rc = SPI_execute_with_args("INSERT INTO seedkit.snapshots AS s"
							   " (name, root, row_counts, document)"
							   " VALUES ($1, $2, $3::pg_catalog.jsonb, $4)"
							   " ON CONFLICT (owner, name) DO UPDATE SET"
							   " taken_at = pg_catalog.now(), root = EXCLUDED.root,"
							   " row_counts = EXCLUDED.row_counts, document = EXCLUDED.document",
							   SK_STORE_NARGS, argtypes, args, NULL, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "could not store snapshot \"%s\": %s", name,
			 SPI_result_code_string(rc));
}
