/*-------------------------------------------------------------------------
 *
 * restore.c
 *	  seedkit_restore and seedkit_load: put a snapshot back.  The SQL entry
 *	  points and the top-level sequence of a restore; its phases are in
 *	  resolve.c, overrides.c, options.c, cycles.c, load.c and reseed.c.
 *
 * A restore reads the document's structure first (reader.c), checks it
 * against the target schema (tables, columns, NOT NULL columns without
 * defaults, privileges: resolve.c; overrides: overrides.c; how each cycle
 * can be broken: cycles.c) before writing anything, then in replace mode
 * empties the covered tables, draws fresh keys in bulk for the reset
 * columns of the tables that get them (resolve.c), and loads each table
 * through COPY (load.c) in the document's order.  Cycles are closed at the
 * end (cycles.c), and the sequences of the written tables are moved past
 * the rows (reseed.c).  Everything happens in the caller's statement: an
 * ERROR anywhere leaves the database as it was.
 *
 * Locking order: once the documents are parsed and before any table is
 * read, every table they name is locked in ascending OID order, a
 * partitioned table's partitions right after it, in the strongest mode
 * the restore takes on it: ACCESS EXCLUSIVE in replace mode (TRUNCATE),
 * ROW EXCLUSIVE in append mode.  Tables outside the documents that
 * reference them are locked ACCESS EXCLUSIVE when replace mode finds them
 * (they are emptied along).  Referenced tables get only the row locks of
 * the foreign key checks.  seedkit_snapshot and seedkit_anonymise lock in
 * the same order (doc/hardening.md).
 *
 * src/restore/restore.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <sys/stat.h>

#include "catalog/heap.h"
#include "catalog/pg_authid.h"
#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "common/jsonapi.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "storage/lmgr.h"
#include "tcop/utility.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/jsonfuncs.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "core/core.h"
#include "restore/restore.h"

PG_FUNCTION_INFO_V1(seedkit_restore);
PG_FUNCTION_INFO_V1(seedkit_restore_name);
PG_FUNCTION_INFO_V1(seedkit_restore_file);
PG_FUNCTION_INFO_V1(seedkit_restore_all);
PG_FUNCTION_INFO_V1(seedkit_load);

/*
 * sk_parse_mode
 *		Set opts->replace and opts->merge from a mode name: append, replace
 *		or merge; anything else is an error.
 */
static void
sk_parse_mode(const char *mode, SkRestoreOpts *opts)
{
	opts->replace = false;
	opts->merge = false;
	if (strcmp(mode, "append") == 0)
		return;
	if (strcmp(mode, "replace") == 0)
	{
		opts->replace = true;
		return;
	}
	if (strcmp(mode, "merge") == 0)
	{
		opts->merge = true;
		return;
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown restore mode \"%s\"", mode),
			 errhint("Valid modes are \"append\", \"replace\" and \"merge\".")));
}

/*
 * sk_truncate
 *		Empty the tables (replace mode) and restart their identities.  A
 *		table outside them that references one of them is refused when it
 *		holds rows and emptied along with them when it holds none (TRUNCATE
 *		needs every referencing table).  Inheritance children are not
 *		emptied with their parent: the document does not hold their rows.
 */
static void
sk_truncate(List *relids)
{
	StringInfoData sql;
	ListCell   *lc;
	List	   *all = list_copy(relids);
	List	   *expanded;
	List	   *refs;
	bool		more = true;
	int			level;

	while (more)
	{
		more = false;
		/* TRUNCATE of a partitioned table covers its partitions */
		expanded = NIL;
		foreach(lc, all)
		{
			Oid			relid = lfirst_oid(lc);

			if (get_rel_relkind(relid) == RELKIND_PARTITIONED_TABLE)
				expanded = list_concat_unique_oid(expanded,
												  find_all_inheritors(relid, NoLock, NULL));
			else
				expanded = list_append_unique_oid(expanded, relid);
		}
		refs = heap_truncate_find_FKs(expanded);
		foreach(lc, refs)
		{
			Oid			from = lfirst_oid(lc);
			char	   *qname = sk_qualified_name(from);
			bool		isnull;
			bool		has_rows;

			/* TRUNCATE's lock before the first read: no upgrade later */
			LockRelationOid(from, AccessExclusiveLock);
			initStringInfo(&sql);
			appendStringInfo(&sql, "SELECT EXISTS (SELECT FROM %s)", sk_table_rows(from));
			if (SPI_execute(sql.data, true, 1) != SPI_OK_SELECT)
				elog(ERROR, "could not check table \"%s\"", qname);
			has_rows = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
												  SPI_tuptable->tupdesc, 1, &isnull));
			SPI_freetuptable(SPI_tuptable);
			if (has_rows)
				ereport(ERROR,
						(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
						 errmsg("cannot replace the rows of the tables of the snapshot"),
						 errdetail("Table \"%s\", which the snapshot does not cover, references one of them and holds rows.",
								   sk_message_name(qname)),
						 errhint("Empty table \"%s\" first, restore in append mode, or take a snapshot that covers it.",
								 sk_message_name(qname))));
			all = lappend_oid(all, from);
			more = true;
		}
	}

	initStringInfo(&sql);
	appendStringInfoString(&sql, "TRUNCATE TABLE ");
	foreach(lc, all)
	{
		if (lc != list_head(all))
			appendStringInfoString(&sql, ", ");
		appendStringInfoString(&sql, sk_table_rows(lfirst_oid(lc)));
	}
	appendStringInfoString(&sql, " RESTART IDENTITY");
	/* TRUNCATE triggers are the caller's code: they see the caller's path */
	level = sk_caller_path_push();
	if (SPI_execute(sql.data, false, 0) != SPI_OK_UTILITY)
		elog(ERROR, "could not empty the tables of the snapshot");
	sk_unpin_settings(level);
}

/*
 * sk_run_sql
 *		Run one utility statement built from catalog names.
 */
static void
sk_run_sql(const char *fmt, const char *arg)
{
	StringInfoData sql;

	initStringInfo(&sql);
	appendStringInfo(&sql, fmt, arg);
	if (SPI_execute(sql.data, false, 0) < 0)
		elog(ERROR, "could not run \"%s\"", sql.data);
}

/*
 * sk_copy_context
 *		Error context of copies => N: which copy (arg: copy and count).
 */
static void
sk_copy_context(void *arg)
{
	const int32 *cc = (const int32 *) arg;

	errcontext("restoring copy %d of %d", (int) cc[0], (int) cc[1]);
}

/*
 * sk_load_target
 *		Load the rows of one target of the copy being loaded: match them
 *		(reuse, merge), update the matched ones (merge), write the rest.
 */
static void
sk_load_target(SkTarget *t)
{
	uint64		written;
	int			caller;
	MemoryContext cxt = CurrentMemoryContext;
	List	   *fks;

	/* input functions, defaults and triggers see the caller's path */
	/*
	 * reuse and merge: match the rows first (references to reused rows
	 * follow them); merge updates the matched rows; the load skips them
	 */
	if (t->nmatch > 0)
		sk_reuse_match(t);
	if (t->merge)
	{
		if (t->replica)
		{
			int			level = NewGUCNestLevel();

			(void) set_config_option("session_replication_role", "replica",
									 superuser() ? PGC_SUSET : PGC_USERSET,
									 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
			sk_merge_update(t);
			AtEOXact_GUC(true, level);
		}
		else
			sk_merge_update(t);
	}
	/* SPI returns in its procedure context: the load runs in the copy's */
	MemoryContextSwitchTo(cxt);
	caller = sk_caller_path_push();
	if (t->replica)
	{
		int			level = NewGUCNestLevel();

		(void) set_config_option("session_replication_role", "replica",
								 superuser() ? PGC_SUSET : PGC_USERSET,
								 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
		written = sk_copy_table(t);
		AtEOXact_GUC(true, level);
	}
	else if ((fks = sk_bulk_fks(t)) != NIL)
		written = sk_copy_bulk_checked(t, fks);
	else
		written = sk_copy_table(t);
	sk_unpin_settings(caller);
	t->written += written;
}

/*
 * sk_table_done
 *		A target's last copy is loaded: report its rows inserted and reused
 *		or updated, check that every row overrides named was there.
 */
static void
sk_table_done(SkTarget *t)
{
	ListCell   *kc;

	if (t->merge)
	{
		ereport(NOTICE,
				(errcode(ERRCODE_SUCCESSFUL_COMPLETION),
				 errmsg("table \"%s\": %llu inserted, %llu updated",
						sk_message_name(t->doc->name), (unsigned long long) t->written,
						(unsigned long long) t->updated)));
		t->written += t->updated;
	}
	else if (t->nmatch > 0)
		ereport(NOTICE,
				(errcode(ERRCODE_SUCCESSFUL_COMPLETION),
				 errmsg("table \"%s\": %llu inserted, %llu reused",
						sk_message_name(t->doc->name), (unsigned long long) t->written,
						(unsigned long long) t->reused)));

	foreach(kc, t->keyed)
	{
		SkKeyOverride *ko = (SkKeyOverride *) lfirst(kc);

		if (!ko->matched)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("overrides name row \"%s\" of table \"%s\", which the snapshot does not hold",
							sk_message_value(ko->key, -1), sk_message_name(t->doc->name)),
					 errhint("Name rows by their key in the snapshot: the ordinal for reset keys, the key values joined by commas for composite keys.")));
	}
	sk_progress_table_end(t->progress, t->qname, (int64) t->written);
}

/*
 * sk_restore_job
 *		Load one resolved document: keys, tables in order, cycles closed,
 *		sequences moved; with copies => N, keys, tables and cycles once per
 *		copy, in a memory context reset between copies.  loaded lists the
 *		tables written earlier in this call (their rows keep their keys, so
 *		this document's rows in them get fresh ones).  Appends a result row
 *		per table.
 */
static List *
sk_restore_job(SkJob *job, bool replace, List *loaded, ReturnSetInfo *rsinfo,
			   SkProgress *progress)
{
	SkDoc	   *doc = job->doc;
	List	   *reseed = NIL;
	List	   *skip_rel = NIL;
	List	   *skip_att = NIL;
	ListCell   *lc;
	int			i;
	int			caller;
	int32		ncopies = Max(job->copies, 1);
	int32		copy;
	MemoryContext copycxt;
	MemoryContext old;
	ErrorContextCallback errcb;
	int32		where[2];

	for (i = 0; i < doc->ntables; i++)
	{
		SkTarget   *t = &job->targets[i];
		int			r;

		/*
		 * Fresh keys in append mode, and for tables an earlier document of
		 * this call wrote; in replace mode reset keys are the ordinals,
		 * except in columns that cannot hold them (a uuid key), and except
		 * with copies, where every copy draws its keys.
		 */
		t->fresh = !replace || ncopies > 1 || list_member_oid(loaded, t->relid);
		t->slot_fresh = palloc(sizeof(bool) * (t->doc->nreset + 1));
		for (r = 0; r < t->doc->nreset; r++)
			t->slot_fresh[r] = t->fresh ||
				!sk_takes_ordinal(t->relid, t->cols[t->doc->reset[r]].attnum);
	}

	foreach(lc, job->deferred)
		sk_run_sql("SET CONSTRAINTS %s DEFERRED", (char *) lfirst(lc));

	copycxt = AllocSetContextCreate(CurrentMemoryContext, "seedkit restore copy",
									ALLOCSET_DEFAULT_SIZES);
	where[1] = ncopies;
	errcb.callback = sk_copy_context;
	errcb.arg = where;
	errcb.previous = error_context_stack;
	if (ncopies > 1)
		error_context_stack = &errcb;
	for (copy = 1; copy <= ncopies; copy++)
	{
		CHECK_FOR_INTERRUPTS();
		where[0] = copy;
		old = MemoryContextSwitchTo(copycxt);
		for (i = 0; i < doc->ntables; i++)
		{
			job->targets[i].copy = copy;
			/* column defaults may call the caller's functions */
			caller = sk_caller_path_push();
			sk_alloc_keys(&job->targets[i]);
			sk_unpin_settings(caller);
		}
		sk_plan_maps(job);
		if (copy == 1 && ncopies > 1)
			sk_check_copies(job);
		if (copy > 1)
			sk_resolve_copy(job);
		MemoryContextSwitchTo(copycxt);

		for (i = 0; i < doc->ntables; i++)
		{
			SkTarget   *t = &job->targets[i];

			t->progress = progress;
			sk_progress_table_begin(progress, t->qname);
			sk_load_target(t);
			MemoryContextSwitchTo(copycxt);
			if (copy == ncopies)
				sk_table_done(t);
		}

		/* close the cycles; the UPDATEs fire user triggers */
		caller = sk_caller_path_push();
		for (i = 0; i < doc->ntables; i++)
		{
			foreach(lc, job->targets[i].fills)
			{
				SkAfterFill *fill = (SkAfterFill *) lfirst(lc);

				sk_fill_after(&job->targets[i], fill);
				MemoryContextSwitchTo(copycxt);
				/* the rows of this copy, kept in copycxt */
				fill->rows = NIL;
			}
		}
		sk_unpin_settings(caller);
		MemoryContextSwitchTo(old);
		MemoryContextReset(copycxt);
	}
	error_context_stack = errcb.previous;
	MemoryContextDelete(copycxt);

	for (i = 0; i < doc->ntables; i++)
	{
		SkTarget   *t = &job->targets[i];
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = ObjectIdGetDatum(t->relid);
		values[1] = Int64GetDatum((int64) t->written);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);

		/* a table replace mode did not empty (Citus: tenants deleted) is scanned */
		if (replace && !list_member_oid(job->emptied, t->relid))
			reseed = list_append_unique_oid(reseed, t->relid);
		else
			sk_plan_reseed(t, &reseed, &skip_rel, &skip_att);
	}

	/* the deferred checks fire user triggers */
	caller = sk_caller_path_push();
	foreach(lc, job->immediate)
		sk_run_sql("SET CONSTRAINTS %s IMMEDIATE", (char *) lfirst(lc));
	sk_unpin_settings(caller);
	/* what session_replication_role = replica did not check */
	for (i = 0; i < doc->ntables; i++)
		if (job->targets[i].replica)
			sk_verify_table(&job->targets[i]);
	/* what no constraint checks: relations declared with seedkit_relate */
	sk_check_relations(job);

	sk_reseed_internal(false, reseed, skip_rel, skip_att, job->emptied, NULL, NULL);

	for (i = 0; i < doc->ntables; i++)
		if (!list_member_oid(loaded, job->targets[i].relid))
			loaded = lappend_oid(loaded, job->targets[i].relid);
	return loaded;
}

/*
 * sk_restore
 *		Restore documents (texts, with their lengths) in one step.  In
 *		replace mode every covered table is emptied once, first.  The
 *		options of opts (overrides: the text of a jsonb object; reuse;
 *		schema_map) apply to a single document.  Returns the tables written,
 *		as SkCovered in document order (the per-test reset keeps them).
 */
static List *
sk_restore(List *texts, List *lens, const SkRestoreOpts *opts,
		   ReturnSetInfo *rsinfo)
{
	bool		replace = opts->replace;
	const char *overrides = opts->overrides;
	int			level;
	int			caller;
	List	   *jobs = NIL;
	List	   *relids = NIL;
	List	   *loaded = NIL;
	List	   *covered = NIL;
	ListCell   *lc,
			   *ll;
	int			i;
	SkProgress	progress;

	PreventCommandIfReadOnly("seedkit_restore()");
	sk_progress_begin(&progress, "restore");

	/*
	 * seedkit's own statements run under pinned settings, search_path =
	 * pg_catalog, pg_temp among them (the entry points run under
	 * sk_call_pinned): no operator or function of the caller's schemas can
	 * stand in for the catalog's.  The caller's path comes back
	 * (sk_caller_path_push) only to look up the table names of documents
	 * and overrides, and around the statements that run the caller's code:
	 * the loads (input functions, defaults, triggers), TRUNCATE, the
	 * UPDATEs closing cycles and the deferred checks.  Those statements
	 * name their operators with their schemas.
	 */
	level = sk_pin_settings();

	forboth(lc, texts, ll, lens)
	{
		SkJob	   *job = palloc0(sizeof(SkJob));

		job->doc = sk_doc_parse((const char *) lfirst(lc), lfirst_int(ll));
		if (opts->schema_map != NULL)
			sk_apply_schema_map(job->doc, opts->schema_map);
		jobs = lappend(jobs, job);
	}
	caller = sk_caller_path_push();
	sk_lock_targets(jobs, replace);
	sk_unpin_settings(caller);

	foreach(lc, jobs)
	{
		SkJob	   *job = (SkJob *) lfirst(lc);

		caller = sk_caller_path_push();
		sk_resolve(job);
		sk_unpin_settings(caller);
		sk_check_privileges(job, replace);
		if (overrides != NULL)
		{
			caller = sk_caller_path_push();
			sk_plan_overrides(job, sk_overrides_parse(overrides));
			sk_unpin_settings(caller);
		}
		for (i = 0; i < job->doc->ntables; i++)
			sk_check_not_null(&job->targets[i]);
		sk_plan_cycles(job);
		if (opts->reuse != NULL)
		{
			caller = sk_caller_path_push();
			sk_plan_reuse(job, opts->reuse);
			sk_unpin_settings(caller);
		}
		if (opts->merge)
			sk_plan_merge(job);
		if (opts->copies > 1 || opts->vary != NULL)
			sk_plan_copies(job, opts->copies, opts->vary);
		for (i = 0; i < job->doc->ntables; i++)
			if (!list_member_oid(relids, job->targets[i].relid))
				relids = lappend_oid(relids, job->targets[i].relid);
	}

	/* Citus tables: refused, or their tenants deleted in replace mode */
	relids = sk_citus_restore_targets(jobs, relids, replace);
	if (replace && relids != NIL)
		sk_truncate(relids);
	foreach(lc, jobs)
	{
		((SkJob *) lfirst(lc))->emptied = replace ? relids : NIL;
		loaded = sk_restore_job((SkJob *) lfirst(lc), replace, loaded, rsinfo,
								&progress);
		for (i = 0; i < ((SkJob *) lfirst(lc))->doc->ntables; i++)
		{
			SkCovered  *c = palloc(sizeof(SkCovered));

			c->relid = ((SkJob *) lfirst(lc))->targets[i].relid;
			c->doc = foreach_current_index(lc);
			c->rows = (int64) ((SkJob *) lfirst(lc))->targets[i].written;
			covered = lappend(covered, c);
		}
	}

	sk_unpin_settings(level);
	sk_progress_end(&progress);
	return covered;
}

/*
 * sk_arg_text
 *		Text argument n as a C string; NULL arguments are an error, naming
 *		the parameter.
 */
static char *
sk_arg_text(FunctionCallInfo fcinfo, int n, const char *param)
{
	if (PG_ARGISNULL(n))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", param)));
	return text_to_cstring(PG_GETARG_TEXT_PP(n));
}

/*
 * sk_arg_mode
 *		The mode argument n; NULL means the default, append.
 */
static char *
sk_arg_mode(FunctionCallInfo fcinfo, int n)
{
	if (PG_ARGISNULL(n))
		return "append";
	return text_to_cstring(PG_GETARG_TEXT_PP(n));
}

/*
 * sk_arg_overrides
 *		The overrides argument n as jsonb text, or NULL.
 */
static char *
sk_arg_overrides(FunctionCallInfo fcinfo, int n)
{
	if (PG_NARGS() <= n || PG_ARGISNULL(n))
		return NULL;
	return DatumGetCString(DirectFunctionCall1(jsonb_out, PG_GETARG_DATUM(n)));
}

/*
 * sk_arg_options
 *		The mode and options of a restore from arguments mode, overrides,
 *		reuse, schema_map, copies and vary at n to n + 5 (the last four
 *		absent under older definitions; copies and vary are range-checked).
 */
static void
sk_arg_options(FunctionCallInfo fcinfo, int n, SkRestoreOpts *opts)
{
	memset(opts, 0, sizeof(*opts));
	sk_parse_mode(sk_arg_mode(fcinfo, n), opts);
	opts->overrides = sk_arg_overrides(fcinfo, n + 1);
	if (PG_NARGS() > n + 2 && !PG_ARGISNULL(n + 2))
		opts->reuse = PG_GETARG_JSONB_P_COPY(n + 2);
	if (PG_NARGS() > n + 3 && !PG_ARGISNULL(n + 3))
		opts->schema_map = PG_GETARG_JSONB_P_COPY(n + 3);
	opts->copies = 1;
	if (PG_NARGS() > n + 4 && !PG_ARGISNULL(n + 4))
		opts->copies = PG_GETARG_INT32(n + 4);
	if (PG_NARGS() > n + 5 && !PG_ARGISNULL(n + 5))
		opts->vary = PG_GETARG_JSONB_P_COPY(n + 5);
	if (opts->copies < 1 || opts->copies > SK_MAX_COPIES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("copies must be between 1 and %d", SK_MAX_COPIES),
				 errdetail("The call asked for %d copies.", opts->copies)));
	if (opts->copies > 1 && opts->merge)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("copies cannot be combined with merge mode"),
				 errdetail("Merge mode updates the rows of the document's keys; every copy would update the same rows."),
				 errhint("Restore the copies in append or replace mode.")));
	/* on Citus, reuse of reference tables (never emptied) is checked later */
	if (opts->reuse != NULL && opts->replace && !sk_citus_present())
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("reuse cannot be combined with replace mode"),
				 errdetail("Replace mode empties the tables first, so no row is left to reuse."),
				 errhint("Restore in append or merge mode.")));
}

/*
 * sk_restore_doc_body
 *		seedkit_restore(snapshot json, mode, overrides, reuse, schema_map): restore
 *		a document.  Returns (table_name, rows) per table, in order.
 */
static Datum
sk_restore_doc_body(PG_FUNCTION_ARGS)
{
	text	   *doc;
	SkRestoreOpts opts;
	ReturnSetInfo *rsinfo;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("snapshot must not be null")));
	doc = PG_GETARG_TEXT_PP(0);
	sk_arg_options(fcinfo, 1, &opts);
	rsinfo = sk_srf_begin(fcinfo, 0);
	sk_restore(list_make1(VARDATA_ANY(doc)),
			   list_make1_int(VARSIZE_ANY_EXHDR(doc)), &opts, rsinfo);
	SPI_finish();
	return (Datum) 0;
}

/*
 * seedkit_restore
 *		SQL entry: sk_restore_doc_body with search_path pinned (see sk_call_pinned).
 */
Datum
seedkit_restore(PG_FUNCTION_ARGS)
{
	return sk_call_pinned(sk_restore_doc_body, fcinfo);
}

/*
 * sk_stored_document
 *		The caller's stored document called name (detoasted, in the current
 *		memory context).
 */
static text *
sk_stored_document(const char *name)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	bool		isnull;
	text	   *doc;
	const char *p = name;

	args[0] = CStringGetTextDatum(name);
	if (SPI_execute_with_args("SELECT document FROM seedkit.snapshots"
							  " WHERE owner OPERATOR(pg_catalog.=) CURRENT_USER::pg_catalog.regrole"
							  " AND name OPERATOR(pg_catalog.=) $1",
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read stored snapshots");
	if (SPI_processed == 0)
	{
		while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '{')
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("no stored snapshot has a name starting with \"{\""),
					 errdetail("A text argument names a stored snapshot."),
					 errhint("To restore a document, pass it as json: seedkit_restore('...'::json).")));
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("snapshot \"%s\" does not exist", name),
				 errhint("Store one with seedkit_snapshot(..., name => '%s') or seedkit_load(); "
						 "list yours with SELECT name FROM seedkit.snapshots.", name)));
	}
	doc = (text *) PG_DETOAST_DATUM_COPY(SPI_getbinval(SPI_tuptable->vals[0],
													   SPI_tuptable->tupdesc, 1,
													   &isnull));
	SPI_freetuptable(SPI_tuptable);
	return doc;
}

/*
 * sk_restore_name_body
 *		seedkit_restore(name text, mode, overrides, reuse, schema_map, copies,
 *		vary): restore the caller's stored snapshot called name.
 */
static Datum
sk_restore_name_body(PG_FUNCTION_ARGS)
{
	char	   *name = sk_arg_text(fcinfo, 0, "name");
	SkRestoreOpts opts;
	ReturnSetInfo *rsinfo;
	text	   *doc;
	char	   *key = NULL;
	List	   *covered;

	sk_arg_options(fcinfo, 1, &opts);
	rsinfo = sk_srf_begin(fcinfo, 0);
	/*
	 * the per-test reset: only the tables written since (difference.c); a
	 * call with any option that changes what is written takes the full path
	 */
	if (opts.replace && opts.overrides == NULL && opts.schema_map == NULL &&
		opts.reuse == NULL && opts.copies <= 1 && opts.vary == NULL)
	{
		key = sk_reset_key(name);
		if (sk_reset_fast(key, rsinfo))
		{
			SPI_finish();
			return (Datum) 0;
		}
	}
	doc = sk_stored_document(name);
	covered = sk_restore(list_make1(VARDATA_ANY(doc)),
						 list_make1_int(VARSIZE_ANY_EXHDR(doc)), &opts, rsinfo);
	if (key != NULL)
		sk_reset_record(key, list_make1(name), covered);
	SPI_finish();
	return (Datum) 0;
}

/*
 * seedkit_restore_name
 *		SQL entry: sk_restore_name_body with search_path pinned (see sk_call_pinned).
 */
Datum
seedkit_restore_name(PG_FUNCTION_ARGS)
{
	return sk_call_pinned(sk_restore_name_body, fcinfo);
}

/*
 * sk_read_file
 *		The whole of a server-side file, which may exceed the 1 GB limit of
 *		one value (up to 2 GB, what the document reader takes); checked to be
 *		valid in the database encoding.  Sets *len.
 */
static char *
sk_read_file(const char *path, int *len)
{
	FILE	   *f;
	struct stat st;
	char	   *buf;
	size_t		n;

	if (!has_privs_of_role(GetUserId(), ROLE_PG_READ_SERVER_FILES))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to read server files"),
				 errdetail("Only roles with privileges of the \"pg_read_server_files\" role may restore a file on the server."),
				 errhint("Pass the document as a json value instead.")));
	f = AllocateFile(path, PG_BINARY_R);
	if (f == NULL)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not open file \"%s\" for reading: %m", path)));
	if (fstat(fileno(f), &st) < 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not stat file \"%s\": %m", path)));
	if (st.st_size >= PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("file \"%s\" is too large to restore", path),
				 errdetail("The file has %lld bytes; the limit is 2 GB.",
						   (long long) st.st_size)));
	buf = MemoryContextAllocHuge(CurrentMemoryContext, st.st_size + 1);
	n = fread(buf, 1, st.st_size, f);
	if (n != (size_t) st.st_size || ferror(f))
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not read file \"%s\": %m", path)));
	FreeFile(f);
	buf[n] = '\0';
	(void) pg_verify_mbstr(GetDatabaseEncoding(), buf, (int) n, false);

	/* The same check the json type's input makes on a document argument. */
	{
		JsonLexContext *lex = makeJsonLexContextCstringLen(buf, (int) n,
														   GetDatabaseEncoding(), true);
		JsonParseErrorType err = pg_parse_json(lex, &nullSemAction);

		if (err != JSON_SUCCESS)
			json_ereport_error(err, lex);
	}
	*len = (int) n;
	return buf;
}

/*
 * sk_restore_file_body
 *		seedkit_restore_file(path text, mode, overrides, reuse, schema_map): restore
 *		a document from a file on the server, such as the lines of
 *		seedkit_snapshot_lines written by psql, past the 1 GB limit of a
 *		json value.
 */
static Datum
sk_restore_file_body(PG_FUNCTION_ARGS)
{
	char	   *path = sk_arg_text(fcinfo, 0, "path");
	SkRestoreOpts opts;
	ReturnSetInfo *rsinfo;
	char	   *doc;
	int			len;

	sk_arg_options(fcinfo, 1, &opts);
	doc = sk_read_file(path, &len);
	rsinfo = sk_srf_begin(fcinfo, 0);
	sk_restore(list_make1(doc), list_make1_int(len), &opts, rsinfo);
	SPI_finish();
	return (Datum) 0;
}

/*
 * seedkit_restore_file
 *		SQL entry: sk_restore_file_body with search_path pinned (see sk_call_pinned).
 */
Datum
seedkit_restore_file(PG_FUNCTION_ARGS)
{
	return sk_call_pinned(sk_restore_file_body, fcinfo);
}

/*
 * sk_restore_all_body
 *		seedkit_restore(): every stored snapshot of the caller, in replace
 *		mode, in one step (in name order) - the per-test reset.
 */
static Datum
sk_restore_all_body(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = sk_srf_begin(fcinfo, 0);
	List	   *texts = NIL;
	List	   *lens = NIL;
	uint64		k;
	SPITupleTable *tt;
	uint64		n;
	SkRestoreOpts opts;
	List	   *names = NIL;
	char	   *key = sk_reset_key(NULL);
	List	   *covered;

	/* the per-test reset: only the tables written since (difference.c) */
	if (sk_reset_fast(key, rsinfo))
	{
		SPI_finish();
		return (Datum) 0;
	}
	if (SPI_execute("SELECT document, name FROM seedkit.snapshots"
					" WHERE owner OPERATOR(pg_catalog.=) CURRENT_USER::pg_catalog.regrole"
					" ORDER BY name COLLATE \"C\"",
					true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read stored snapshots");
	tt = SPI_tuptable;
	n = SPI_processed;
	for (k = 0; k < n; k++)
	{
		bool		isnull;
		text	   *doc;

		doc = (text *) PG_DETOAST_DATUM_COPY(SPI_getbinval(tt->vals[k], tt->tupdesc,
														   1, &isnull));
		texts = lappend(texts, VARDATA_ANY(doc));
		lens = lappend_int(lens, VARSIZE_ANY_EXHDR(doc));
		names = lappend(names, SPI_getvalue(tt->vals[k], tt->tupdesc, 2));
	}
	SPI_freetuptable(tt);
	memset(&opts, 0, sizeof(opts));
	opts.replace = true;
	covered = sk_restore(texts, lens, &opts, rsinfo);
	sk_reset_record(key, names, covered);
	SPI_finish();
	return (Datum) 0;
}

/*
 * seedkit_restore_all
 *		SQL entry: sk_restore_all_body with search_path pinned (see sk_call_pinned).
 */
Datum
seedkit_restore_all(PG_FUNCTION_ARGS)
{
	return sk_call_pinned(sk_restore_all_body, fcinfo);
}

/*
 * sk_load_body
 *		seedkit_load(snapshot json): check a document and store it under its
 *		name for the caller, replacing an older one of that name.  Returns
 *		the name.
 */
static Datum
sk_load_body(PG_FUNCTION_ARGS)
{
	text	   *doc;
	SkDoc	   *parsed;
	StringInfoData counts;
	int			i;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("snapshot must not be null")));
	doc = PG_GETARG_TEXT_PP(0);
	parsed = sk_doc_parse(VARDATA_ANY(doc), VARSIZE_ANY_EXHDR(doc));
	if (parsed->name == NULL || parsed->name[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("snapshot has no name"),
				 errdetail("seedkit_load stores a document under its \"name\" member."),
				 errhint("Add \"name\" to the document, or take the snapshot with a name.")));

	initStringInfo(&counts);
	appendStringInfoChar(&counts, '{');
	for (i = 0; i < parsed->ntables; i++)
	{
		if (i > 0)
			appendStringInfoString(&counts, ", ");
		escape_json(&counts, parsed->tables[i].name);
		appendStringInfo(&counts, ": %lld", (long long) parsed->tables[i].nrows);
	}
	appendStringInfoChar(&counts, '}');

	sk_spi_connect();
	sk_store_document(parsed->name,
					  parsed->root_table ? parsed->root_table :
					  parsed->ntables > 0 ? parsed->tables[0].name : "",
					  counts.data, PointerGetDatum(doc));
	SPI_finish();
	PG_RETURN_TEXT_P(cstring_to_text(parsed->name));
}

/*
 * seedkit_load
 *		SQL entry: sk_load_body with search_path pinned (see sk_call_pinned).
 */
Datum
seedkit_load(PG_FUNCTION_ARGS)
{
	return sk_call_pinned(sk_load_body, fcinfo);
}
