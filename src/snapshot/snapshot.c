/*-------------------------------------------------------------------------
 *
 * snapshot.c
 *	  seedkit_snapshot: a root table's rows plus every row related to them
 *	  through foreign keys, as one deterministic seedkit/1 JSON document,
 *	  stored in seedkit.snapshots and returned.
 *
 * Locking: the graph of tables is read from the catalogs first; then every
 * table of it is locked ACCESS SHARE in ascending OID order, a partitioned
 * table's partitions right after it (sk_graph_lock), and only then is the
 * one data snapshot of the document taken (sk_closure_take).  seedkit_plan
 * does the same; restore and anonymise lock in the same order.
 *
 * src/snapshot/snapshot.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "access/toast_compression.h"
#include "access/toast_internals.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"

#include "anon/anon.h"
#include "snapshot/graph.h"
#include "snapshot/closure.h"
#include "snapshot/subset.h"
#include "snapshot/writer.h"
#include "snapshot/tenant.h"
#include "core/core.h"

/* max_rows when passed null: the SQL functions' default. */
#define SK_DEFAULT_MAX_ROWS 1000000

/*
 * Past this size a document's buffer hands freed memory back to the system
 * after each table (sk_release_memory).
 */
#define SK_RELEASE_MIN_BYTES (16 * 1024 * 1024)

/*
 * A document larger than this is compressed (lz4) before it is stored and
 * returned: storing copies it once more (the row formed, then its toast
 * chunks written and WAL-logged), and compressing costs less than writing
 * the chunks it saves (17 MB: 21 ms of lz4 against 70 ms less spent
 * storing; about even at 1 MB).  It also keeps that copy small.
 */
#define SK_STORE_COMPRESS_MIN_BYTES (2 * 1024 * 1024)

PG_FUNCTION_INFO_V1(seedkit_snapshot);
PG_FUNCTION_INFO_V1(seedkit_snapshot_lines);
PG_FUNCTION_INFO_V1(seedkit_subset);
PG_FUNCTION_INFO_V1(seedkit_subset_lines);
PG_FUNCTION_INFO_V1(seedkit_citus_tenant_snapshot);

/*
 * sk_check_unanonymised
 *		anonymise => false is for owners: every table in the closure with a
 *		flagged column must belong to the caller.  Warns that the document
 *		holds personal data.
 */
static void
sk_check_unanonymised(SkGraph *g)
{
	ListCell   *lc;
	bool		any = false;

	foreach(lc, g->tables)
	{
		SkTable    *t = (SkTable *) lfirst(lc);
		int			i;

		if (!t->entered)
			continue;
		for (i = 0; i < t->ncols; i++)
		{
			if (!sk_anon_flagged(t->relid, t->attnums[i]))
				continue;
			if (!pg_class_ownercheck(t->relid, GetUserId()))
				ereport(ERROR,
						(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
						 errmsg("must be owner of table \"%s\" to take a snapshot without anonymisation",
								sk_message_name(t->qname)),
						 errdetail("Column \"%s\" of table \"%s\" is flagged as personal data.",
								   t->rawcols[i], sk_message_name(t->qname))));
			any = true;
		}
	}
	if (any)
		ereport(WARNING,
				(errcode(ERRCODE_WARNING),
				 errmsg("snapshot holds personal data that was not anonymised"),
				 errhint("Keep the document private, or take it again without anonymise => false.")));
}

/*
 * sk_options_from_args
 *		Read and check the arguments seedkit_snapshot and seedkit_plan share:
 *		(root, filter, name, children, exclude, max_rows, reset_keys,
 *		anonymise).
 */
void
sk_options_from_args(FunctionCallInfo fcinfo, SkOptions *opt)
{
	char	   *rootname;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("root table must not be null")));
	opt->rootrel = PG_GETARG_OID(0);
	opt->filter = PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1));
	opt->children = PG_ARGISNULL(3) ? true : PG_GETARG_BOOL(3);
	opt->max_rows = PG_ARGISNULL(5) ? SK_DEFAULT_MAX_ROWS : PG_GETARG_INT64(5);
	opt->reset_keys = PG_ARGISNULL(6) ? true : PG_GETARG_BOOL(6);
	opt->anonymise = PG_ARGISNULL(7) ? true : PG_GETARG_BOOL(7);
	opt->spec = NULL;
	opt->exclude = NULL;
	opt->nexclude = 0;
	if (opt->max_rows < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_rows must not be negative")));
	if (!PG_ARGISNULL(4))
	{
		ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(4);
		Datum	   *elems;
		bool	   *nulls;
		int			i;

		deconstruct_array(arr, REGCLASSOID, sizeof(Oid), true, TYPALIGN_INT,
						  &elems, &nulls, &opt->nexclude);
		opt->exclude = palloc(sizeof(Oid) * (opt->nexclude + 1));
		for (i = 0; i < opt->nexclude; i++)
		{
			if (nulls[i])
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("exclude must not contain nulls")));
			opt->exclude[i] = DatumGetObjectId(elems[i]);
		}
	}
	rootname = get_rel_name(opt->rootrel);
	if (rootname == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", opt->rootrel)));
	opt->name = PG_ARGISNULL(2) ? rootname : text_to_cstring(PG_GETARG_TEXT_PP(2));
	if (opt->name[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("snapshot name must not be empty")));
}

/*
 * sk_release_memory
 *		Once the document is big (SK_RELEASE_MIN_BYTES), hand memory freed
 *		by the statements so far back to the system.  The closure's and each
 *		table's hash tables and sorts are freed when their statement ends,
 *		but glibc keeps freed heap memory (tens of megabytes once big blocks
 *		have raised its thresholds), which would stay under the growing
 *		document.  A small document is not worth the page faults of taking
 *		that memory back.
 */
static void
sk_release_memory(StringInfo doc)
{
#ifdef __GLIBC__
	if (doc->len >= SK_RELEASE_MIN_BYTES)
		(void) malloc_trim(0);
#endif
}

/*
 * sk_document_write
 *		Build the document opt describes, appending it to doc and its row
 *		counts per table to counts; with a sink, complete lines go there as
 *		they are written.  Runs inside SPI.
 */
static void
sk_document_write(SkOptions *opt, StringInfo doc, StringInfo counts, SkSink *sink)
{
	SkGraph    *g;
	List	   *order;
	ListCell   *lc;
	Snapshot	snap;
	int			level;
	char	   *rq;
	SkProgress	progress;
	bool		anonymise;

	sk_progress_begin(&progress, "snapshot");

	/* locks the tables, then takes the one view of the data */
	if (opt->spec != NULL)
		g = sk_subset_take(opt, &snap, opt->max_rows, &level);
	else
		g = sk_closure_take(opt, &snap, opt->max_rows, &level);

	/* with no flag stored, no column needs its own lookup */
	anonymise = sk_any_flags();
	if (!opt->anonymise && anonymise)
		sk_check_unanonymised(g);
	anonymise = anonymise && opt->anonymise;
	order = sk_graph_order(g);
	sk_closure_check(g, snap);
	sk_document_maps(g, snap);

	appendStringInfo(doc, "{\n  \"format\": \"%s\",\n  \"name\": ",
					 sk_document_format(order));
	sk_json_string(doc, opt->name, strlen(opt->name));
	if (opt->spec != NULL)
	{
		/* a subset's root is its spec (doc/format.md) */
		appendStringInfo(doc, ",\n  \"root\": %s", opt->spec->json);
	}
	else
	{
		rq = sk_qualified_name(opt->rootrel);
		appendStringInfoString(doc, ",\n  \"root\": {\"table\": ");
		sk_json_string(doc, rq, strlen(rq));
		appendStringInfoString(doc, ", \"filter\": ");
		if (opt->filter)
			sk_json_string(doc, opt->filter, strlen(opt->filter));
		else
			appendStringInfoString(doc, "null");
		appendStringInfoChar(doc, '}');
	}
	appendStringInfoString(doc, ",\n  \"tables\": [\n");
	sk_sink_flush(doc, sink, false);

	appendStringInfoChar(counts, '{');
	foreach(lc, order)
	{
		SkTable    *t = (SkTable *) lfirst(lc);

		sk_document_table(doc, g, t, snap, anonymise, lnext(order, lc) == NULL,
						  &progress, sink);
		if (counts->len > 1)
			appendStringInfoString(counts, ", ");
		sk_json_string(counts, t->qname, strlen(t->qname));
		appendStringInfo(counts, ": %lld", (long long) t->nrows);
		sk_progress_table_end(&progress, t->qname, t->nrows);
		sk_release_memory(doc);
	}
	appendStringInfoString(doc, "  ]\n}");
	appendStringInfoChar(counts, '}');
	sk_sink_flush(doc, sink, true);

	sk_closure_drop(g);
	sk_unpin_settings(level);
	UnregisterSnapshot(snap);
	sk_progress_end(&progress);
}

/*
 * sk_document_compress
 *		A big document (over SK_STORE_COMPRESS_MIN_BYTES) compressed with
 *		lz4, its text freed; otherwise, or when lz4 is not built in or does
 *		not make it smaller, the document itself.  Allocates in the current
 *		memory context.  Storing the compressed document writes a quarter of
 *		the toast chunks and keeps the one copy of the document that storing
 *		makes small; the value reads back as the same json everywhere.
 */
static Datum
sk_document_compress(Datum doc)
{
#ifdef USE_LZ4
	Datum		compressed;

	if (VARSIZE(DatumGetPointer(doc)) <= SK_STORE_COMPRESS_MIN_BYTES)
		return doc;
	compressed = toast_compress_datum(doc, TOAST_LZ4_COMPRESSION);
	if (DatumGetPointer(compressed) == NULL)
		return doc;
	pfree(DatumGetPointer(doc));
	return compressed;
#else
	return doc;
#endif
}

/*
 * seedkit_snapshot
 *		SQL: seedkit_snapshot(root, filter, name, children, exclude, max_rows,
 *		reset_keys, anonymise) RETURNS json: the document, also stored under
 *		name in seedkit.snapshots.
 */
Datum
seedkit_snapshot(PG_FUNCTION_ARGS)
{
	SkOptions	opt;
	StringInfoData doc;
	StringInfoData counts;
	Datum		result;
	MemoryContext caller = CurrentMemoryContext;
	MemoryContext oldcxt;

	sk_options_from_args(fcinfo, &opt);

	/* The document lives in the caller's context, past SPI_finish. */
	initStringInfo(&doc);
	appendStringInfoSpaces(&doc, VARHDRSZ);
	initStringInfo(&counts);

	sk_spi_connect();

	/* a distributed root: taken on the tenant's node (tenant.c) */
	result = sk_tenant_route(&opt);
	if (DatumGetPointer(result) != NULL)
	{
		Oid			argtypes[1] = {JSONOID};
		Datum		args[1];

		args[0] = result;
		if (SPI_execute_with_args("SELECT pg_catalog.json_object_agg(t OPERATOR(pg_catalog.->>) 'table',"
								  " pg_catalog.json_array_length(t OPERATOR(pg_catalog.->) 'rows'))"
								  " FROM pg_catalog.json_array_elements($1 OPERATOR(pg_catalog.->) 'tables') t",
								  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not count the rows of the document");
		sk_store_document(opt.name, sk_qualified_name(opt.rootrel),
						  SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1),
						  result);
		SPI_finish();
		PG_RETURN_DATUM(result);
	}

	sk_document_write(&opt, &doc, &counts, NULL);
	SET_VARSIZE(doc.data, doc.len);

	/*
	 * Trim the buffer to the document, which is stored as it is (STORAGE
	 * EXTERNAL: the toaster makes no compressed copy on the way) and
	 * returned: a big document is compressed first (sk_document_compress),
	 * so that the copy storing makes is small.
	 */
	result = PointerGetDatum(repalloc_huge(doc.data, doc.len + 1));
	oldcxt = MemoryContextSwitchTo(caller);
	result = sk_document_compress(result);
	MemoryContextSwitchTo(oldcxt);
	sk_store_document(opt.name, sk_qualified_name(opt.rootrel), counts.data, result);
	SPI_finish();

	PG_RETURN_DATUM(result);
}

/*
 * seedkit_snapshot_lines
 *		SQL: seedkit_snapshot_lines(<seedkit_snapshot's arguments>) RETURNS
 *		SETOF text: the same document, one row per line, streamed through a
 *		tuplestore so that it may exceed the 1 GB limit of one value.  Not
 *		stored.
 */
Datum
seedkit_snapshot_lines(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SkOptions	opt;
	StringInfoData doc;
	StringInfoData counts;
	SkSink		sink;

	sk_options_from_args(fcinfo, &opt);
	SetSingleFuncCall(fcinfo, SRF_SINGLE_USE_EXPECTED | SRF_SINGLE_BLESS);
	sink.store = rsinfo->setResult;
	sink.desc = rsinfo->setDesc;
	initStringInfo(&doc);
	initStringInfo(&counts);

	sk_spi_connect();
	sk_document_write(&opt, &doc, &counts, &sink);
	SPI_finish();
	return (Datum) 0;
}

/*
 * seedkit_subset
 *		SQL: seedkit_subset(spec, name, max_rows, reset_keys, anonymise)
 *		RETURNS json: the subset the spec describes as one document, also
 *		stored under name in seedkit.snapshots.
 */
Datum
seedkit_subset(PG_FUNCTION_ARGS)
{
	SkOptions	opt;
	StringInfoData doc;
	StringInfoData counts;
	Datum		result;
	MemoryContext caller = CurrentMemoryContext;
	MemoryContext oldcxt;

	/* The document lives in the caller's context, past SPI_finish. */
	initStringInfo(&doc);
	appendStringInfoSpaces(&doc, VARHDRSZ);
	initStringInfo(&counts);

	sk_spi_connect();
	sk_subset_options(fcinfo, &opt);
	sk_document_write(&opt, &doc, &counts, NULL);
	SET_VARSIZE(doc.data, doc.len);
	/* trimmed, then compressed when big, as in seedkit_snapshot */
	result = PointerGetDatum(repalloc_huge(doc.data, doc.len + 1));
	oldcxt = MemoryContextSwitchTo(caller);
	result = sk_document_compress(result);
	MemoryContextSwitchTo(oldcxt);
	sk_store_document(opt.name, opt.spec->json, counts.data, result);
	SPI_finish();

	PG_RETURN_DATUM(result);
}

/*
 * seedkit_subset_lines
 *		SQL: seedkit_subset_lines(<seedkit_subset's arguments>) RETURNS
 *		SETOF text: the same document, one row per line, streamed (past the
 *		1 GB limit of one value).  Not stored.
 */
Datum
seedkit_subset_lines(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SkOptions	opt;
	StringInfoData doc;
	StringInfoData counts;
	SkSink		sink;

	SetSingleFuncCall(fcinfo, SRF_SINGLE_USE_EXPECTED | SRF_SINGLE_BLESS);
	sink.store = rsinfo->setResult;
	sink.desc = rsinfo->setDesc;
	initStringInfo(&doc);
	initStringInfo(&counts);

	sk_spi_connect();
	sk_subset_options(fcinfo, &opt);
	sk_document_write(&opt, &doc, &counts, &sink);
	SPI_finish();
	return (Datum) 0;
}

/*
 * seedkit_citus_tenant_snapshot
 *		SQL: seedkit_citus_tenant_snapshot(<seedkit_snapshot's arguments>,
 *		tenant, flags, key) RETURNS json: the document of one tenant, run by
 *		Citus on the node holding that tenant's shards (through the
 *		distributed function seedkit_citus_prepare creates) with the
 *		coordinator's flags and the seed or secret it sent ahead as
 *		intermediate result key.  Not stored.
 */
Datum
seedkit_citus_tenant_snapshot(PG_FUNCTION_ARGS)
{
	SkOptions	opt;
	StringInfoData doc;
	StringInfoData counts;

	if (PG_ARGISNULL(8))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("tenant must not be null")));
	sk_options_from_args(fcinfo, &opt);
	initStringInfo(&doc);
	appendStringInfoSpaces(&doc, VARHDRSZ);
	initStringInfo(&counts);

	PG_TRY();
	{
		sk_tenant_enter(&opt, text_to_cstring(PG_GETARG_TEXT_PP(8)),
						PG_ARGISNULL(9) ? (Datum) 0 : PG_GETARG_DATUM(9),
						PG_ARGISNULL(10) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(10)));
		sk_spi_connect();
		sk_document_write(&opt, &doc, &counts, NULL);
		SPI_finish();
		sk_tenant_leave();
	}
	PG_CATCH();
	{
		/* the error ends the subtransaction; the shards must be forgotten */
		sk_citus_shards_clear();
		PG_RE_THROW();
	}
	PG_END_TRY();
	SET_VARSIZE(doc.data, doc.len);
	PG_RETURN_POINTER(doc.data);
}
