/*-------------------------------------------------------------------------
 *
 * closure.c
 *	  The rows a document holds, computed with set operations: one key
 *	  table per entered table, filled from the root rows and grown along
 *	  foreign keys until nothing new arrives.
 *
 *	  A key table holds the key of every included row, whether the row was
 *	  reached as a child (its children are followed too) and the generation
 *	  it arrived in (or became a child in): each step writes a generation
 *	  of its own.  A step reads only the rows of its source that arrived
 *	  after it last ran, so every row is joined along each foreign key a
 *	  bounded number of times; the steps run in passes, child steps from the
 *	  referenced tables down and parent steps from the referencing tables
 *	  up, so that a pass follows whole chains (sk_closure_pass).
 *
 * src/snapshot/closure.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/dbcommands.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"

#include "snapshot/closure.h"
#include "core/core.h"

/* The pass from which key tables are indexed by generation. */
#define SK_GEN_INDEX_ROUND 8

/*
 * During the closure a key table is analyzed once it holds this many rows
 * and has grown by this factor since it was last analyzed.
 */
#define SK_ANALYZE_MIN_ROWS 100
#define SK_ANALYZE_GROWTH 2

/*
 * The statistics target key tables and maps are analyzed with (a sample of
 * 300 times this many rows): the planner needs their sizes and how many
 * distinct values their columns hold, not fine histograms.
 */
#define SK_ANALYZE_TARGET "10"

/*
 * A key table gets its unique index on the key (which the anti-joins of
 * later inserts probe) before the first step writing to it that finds it
 * with this many rows: below that a hash of the table costs less than
 * creating the index's file.
 */
#define SK_KEY_INDEX_MIN_ROWS 1000

static int *sk_fk_keymap(SkFk *fk);
static char *sk_insert_new(SkTable *t, const char *src, const char *tailcols,
						   const char *tail, bool unique);
static void sk_closure_analyze(SkGraph *g, SkTable *target, bool final);

/* Key tables of one backend get distinct numbers. */
static int	sk_ktable_counter = 0;

/*
 * sk_exec
 *		Run one statement with parameters under snap (advancing its command
 *		ID, so earlier writes to the key tables are seen); returns the number
 *		of rows processed.
 */
uint64
sk_exec(const char *sql, Snapshot snap, int nargs, Oid *argtypes, Datum *values)
{
	SPIPlanPtr	plan;
	int			rc;

	plan = SPI_prepare(sql, nargs, argtypes);
	if (plan == NULL)
		elog(ERROR, "could not prepare \"%s\": %s", sql,
			 SPI_result_code_string(SPI_result));
	rc = SPI_execute_snapshot(plan, values, NULL, snap, InvalidSnapshot,
							  false, false, 0);
	if (rc < 0)
		elog(ERROR, "could not run \"%s\": %s", sql, SPI_result_code_string(rc));
	SPI_freeplan(plan);
	return SPI_processed;
}

/*
 * sk_exec_utility
 *		Run utility statements on the key tables or maps (CREATE, ANALYZE,
 *		DROP); what names the statement's purpose for the error raised if
 *		it fails, which cannot happen short of a bug.
 */
void
sk_exec_utility(const char *sql, const char *what)
{
	int			rc = SPI_execute(sql, false, 0);

	if (rc != SPI_OK_UTILITY)
		elog(ERROR, "could not %s: %s", what, SPI_result_code_string(rc));
}

/*
 * sk_analyze
 *		ANALYZE a key table or an ordinal map with the small sample of
 *		SK_ANALYZE_TARGET; what names it for the error raised if it fails.
 */
void
sk_analyze(const char *rel, const char *what)
{
	int			level = NewGUCNestLevel();

	(void) set_config_option("default_statistics_target", SK_ANALYZE_TARGET,
							 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	sk_exec_utility(psprintf("ANALYZE %s", rel), what);
	AtEOXact_GUC(true, level);
}

/*
 * sk_result_int8
 *		Column col of the one row a counting statement returned; a missing
 *		row or a null cannot happen short of a bug.  what names the
 *		statement's purpose for that error.
 */
static int64
sk_result_int8(int col, const char *what)
{
	bool		isnull;
	Datum		d;

	if (SPI_processed != 1 || SPI_tuptable == NULL)
		elog(ERROR, "could not %s: %llu rows returned",
			 what, (unsigned long long) SPI_processed);
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, col, &isnull);
	if (isnull)
		elog(ERROR, "could not %s: null returned", what);
	return DatumGetInt64(d);
}

/*
 * sk_exec_walk
 *		sk_exec for a statement walking chains (a recursive query): one row
 *		per step is joined to a table, which wants index lookups; a hash or
 *		merge join would read the whole table at every step.
 */
static uint64
sk_exec_walk(const char *sql, Snapshot snap, int nargs, Oid *argtypes, Datum *values)
{
	int			level = NewGUCNestLevel();
	uint64		n;

	(void) set_config_option("enable_hashjoin", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	(void) set_config_option("enable_mergejoin", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	n = sk_exec(sql, snap, nargs, argtypes, values);
	AtEOXact_GUC(true, level);
	return n;
}

/*
 * sk_ktable
 *		The qualified name of a table's key table.
 */
char *
sk_ktable(SkTable *t)
{
	return psprintf("pg_temp.seedkit_k%d", t->knum);
}

/*
 * sk_key_select
 *		The select list producing unit t's key from alias, named k0.. or
 *		toid/tid.
 */
static char *
sk_key_select(SkTable *t, const char *alias)
{
	StringInfoData buf;
	int			k;

	initStringInfo(&buf);
	if (t->nkey == 0)
	{
		appendStringInfo(&buf, "%s.tableoid AS toid, %s.ctid AS tid", alias, alias);
		return buf.data;
	}
	for (k = 0; k < t->nkey; k++)
		appendStringInfo(&buf, "%s%s.%s AS k%d", k > 0 ? ", " : "",
						 alias, t->cols[t->keyidx[k]], k);
	return buf.data;
}

/*
 * sk_key_cols
 *		The key table's key column list: "k0, k1" or "toid, tid".
 */
static char *
sk_key_cols(SkTable *t)
{
	StringInfoData buf;
	int			k;

	if (t->nkey == 0)
		return "toid, tid";
	initStringInfo(&buf);
	for (k = 0; k < t->nkey; k++)
		appendStringInfo(&buf, "%sk%d", k > 0 ? ", " : "", k);
	return buf.data;
}

/*
 * sk_fk_direct
 *		Whether the parent step along fk may take the referenced keys from
 *		the values carried in the referencing key table: a validated foreign
 *		key to exactly the referenced key, on the whole unit, to a table whose
 *		rows row-level security does not hide (sk_closure_check reads those).
 */
static bool
sk_fk_direct(SkFk *fk)
{
	return !fk->to->excluded && fk->validated && fk->relfilter[0] == '\0' &&
		sk_fk_keymap(fk) != NULL &&
		check_enable_rls(fk->to->relid, InvalidOid, true) != RLS_ENABLED;
}

/*
 * sk_tid_col
 *		The key table column holding the ctid of each row of t, by which the
 *		document fetches the rows (sk_rows_plan): "tid" for a keyless table,
 *		"rt" for the others, where a row reached without reading its table
 *		has null there (tid_partial is then set).  NULL for a partitioned
 *		table, whose ctids are per partition, and for a table the caller
 *		may read only column by column (a system column needs SELECT on the
 *		table).  Decided when the key table is created.
 */
const char *
sk_tid_col(SkTable *t)
{
	if (t->tidcol == NULL && !t->partitioned)
	{
		if (t->nkey == 0)
			t->tidcol = "tid";
		else if (pg_class_aclcheck(t->relid, GetUserId(), ACL_SELECT) == ACLCHECK_OK)
			t->tidcol = "rt";
		else
			t->tidcol = "";
	}
	return t->tidcol == NULL || t->tidcol[0] == '\0' ? NULL : t->tidcol;
}

/*
 * sk_row_cols
 *		The key table's columns every insert fills: the key, the row's ctid
 *		(sk_tid_col) for a keyed table, then the carried values.
 */
static char *
sk_row_cols(SkTable *t)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfoString(&buf, sk_key_cols(t));
	if (t->nkey > 0 && sk_tid_col(t) != NULL)
		appendStringInfoString(&buf, ", rt");
	for (i = 0; i < t->ncols; i++)
		if (t->carry[i])
			appendStringInfo(&buf, ", c%d", i);
	return buf.data;
}

/*
 * sk_row_select
 *		The select list filling sk_row_cols from relation alias.
 */
static char *
sk_row_select(SkTable *t, const char *alias)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfoString(&buf, sk_key_select(t, alias));
	if (t->nkey > 0 && sk_tid_col(t) != NULL)
		appendStringInfo(&buf, ", %s.ctid AS rt", alias);
	for (i = 0; i < t->ncols; i++)
		if (t->carry[i])
			appendStringInfo(&buf, ", %s.%s AS c%d", alias, t->cols[i], i);
	return buf.data;
}

/*
 * sk_has_parent_steps
 *		Whether some entered table references t: rows of t may then be
 *		reached as parents.
 */
static bool
sk_has_parent_steps(SkTable *t)
{
	ListCell   *lc;

	foreach(lc, t->fks_in)
		if (((SkFk *) lfirst(lc))->from->entered)
			return true;
	return false;
}

/*
 * sk_check_select
 *		Raise an error naming the table unless the caller may read every
 *		column of it.
 */
static void
sk_check_select(SkTable *t)
{
	if (pg_class_aclcheck(t->relid, GetUserId(), ACL_SELECT) == ACLCHECK_OK)
		return;
	if (pg_attribute_aclcheck_all(t->relid, GetUserId(), ACL_SELECT,
								  ACLMASK_ALL) == ACLCHECK_OK)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("permission denied for table \"%s\"", sk_message_name(t->qname)),
			 errdetail("Table \"%s\" is reached by the snapshot's foreign keys and needs SELECT.",
					   sk_message_name(t->qname)),
			 errhint("Grant SELECT on the table, or leave it out with exclude.")));
}

/*
 * sk_single_path
 *		Whether t is filled by exactly one child step and by no parent step:
 *		it then gets each row once, as each row references one row of the
 *		other side and a row is read by the child step once (it becomes a
 *		child once).  Its key table needs no unique index.
 */
static bool
sk_single_path(SkGraph *g, SkTable *t)
{
	ListCell   *lc;
	int			child_steps = 0;

	foreach(lc, t->fks_out)
	{
		SkFk	   *fk = (SkFk *) lfirst(lc);

		if (g->children && t->childable && fk->to->childable)
			child_steps++;
	}
	return !t->seeded && !sk_has_parent_steps(t) && child_steps == 1;
}

/*
 * sk_table_carry
 *		Mark the columns of t's direct foreign keys (sk_fk_direct): they are
 *		carried in its key table.
 */
static void
sk_table_carry(SkTable *t)
{
	ListCell   *lc;

	t->carry = palloc0(sizeof(bool) * (t->ncols + 1));
	foreach(lc, t->fks_out)
	{
		SkFk	   *fk = (SkFk *) lfirst(lc);
		int			k,
					i;

		if (!fk->to->entered || !sk_fk_direct(fk))
			continue;
		for (k = 0; k < fk->nkeys; k++)
		{
			i = sk_table_col(t, fk->rawcols[k]);
			if (i >= 0)
				t->carry[i] = t->carries = true;
		}
	}
}

/*
 * sk_key_table_sql
 *		The statement creating t's key table: the key (or toid and tid),
 *		the row's ctid, the carried values, child, gen and via.  Its unique
 *		index comes later (sk_closure_analyze).
 */
static char *
sk_key_table_sql(SkTable *t)
{
	StringInfoData sql;
	int			k;

	initStringInfo(&sql);
	appendStringInfo(&sql, "CREATE TEMP TABLE seedkit_k%d (", t->knum);
	if (t->nkey == 0)
		appendStringInfoString(&sql, "toid pg_catalog.oid, tid pg_catalog.tid, ");
	/* With the typmod: a bare character is character(1). */
	for (k = 0; k < t->nkey; k++)
		appendStringInfo(&sql, "k%d %s, ", k, t->typnames[t->keyidx[k]]);
	if (t->nkey > 0 && sk_tid_col(t) != NULL)
		appendStringInfoString(&sql, "rt pg_catalog.tid, ");
	for (k = 0; k < t->ncols; k++)
		if (t->carry[k])
			appendStringInfo(&sql, "c%d %s, ", k, t->typnames[k]);
	appendStringInfoString(&sql, "child pg_catalog.bool NOT NULL, gen pg_catalog.int4 NOT NULL, "
						   "via pg_catalog.int8) ON COMMIT DROP");
	return sql.data;
}

/*
 * sk_self_referencing
 *		Whether a foreign key of t references t itself.
 */
static bool
sk_self_referencing(SkTable *t)
{
	ListCell   *lc;

	foreach(lc, t->fks_out)
		if (((SkFk *) lfirst(lc))->to == t)
			return true;
	return false;
}

/*
 * sk_closure_create
 *		Check that temporary tables can be created and SELECT on every
 *		entered table, and create the key tables.
 */
void
sk_closure_create(SkGraph *g)
{
	ListCell   *lc;

	/* Key tables are temporary tables: say so rather than fail inside. */
	if (XactReadOnly)
		ereport(ERROR,
				(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
				 errmsg("cannot take a snapshot in a read-only transaction"),
				 errdetail("A snapshot computes the rows it takes in temporary tables."),
				 errhint("Take it in a read-write transaction, on the primary server.")));
	if (pg_database_aclcheck(MyDatabaseId, GetUserId(), ACL_CREATE_TEMP) != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to create temporary tables in database \"%s\"",
						get_database_name(MyDatabaseId)),
				 errdetail("A snapshot computes the rows it takes in temporary tables."),
				 errhint("Grant TEMPORARY on the database to the role.")));

	foreach(lc, g->tables)
	{
		SkTable    *t = (SkTable *) lfirst(lc);

		if (!t->entered)
			continue;
		sk_check_select(t);
		t->knum = ++sk_ktable_counter;
		t->single_path = sk_single_path(g, t);
		sk_table_carry(t);
		if (SPI_execute(sk_key_table_sql(t), false, 0) != SPI_OK_UTILITY)
			elog(ERROR, "could not create key table for %s", t->qname);

		/*
		 * Steps along a self-reference walk chains with hash joins off
		 * (sk_exec_walk): their anti-join needs the index from the start.
		 */
		if (!t->single_path && sk_self_referencing(t))
		{
			sk_exec_utility(psprintf("CREATE UNIQUE INDEX ON %s (%s)",
									 sk_ktable(t), sk_key_cols(t)),
							"index a key table");
			t->key_indexed = true;
		}
	}
}

/*
 * sk_filter_error
 *		Report a filter that is not one expression over the root table.
 */
static void
sk_filter_error(SkTable *r, const char *problem)
{
	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("invalid filter for table \"%s\": %s", sk_message_name(r->qname), problem),
				 errhint("The filter must be a boolean expression over the columns of the root table.")));
	ereport(ERROR,
			(errcode(ERRCODE_SYNTAX_ERROR),
			 errmsg("invalid filter for table \"%s\"", sk_message_name(r->qname)),
			 errdetail("The filter must be one boolean expression over the columns of the root table, with no clause or statement of its own.")));
}

/*
 * sk_check_filter
 *		Refuse a filter that is not exactly one expression
 *		(sk_expr_is_one).  Checking the text instead (one statement, the
 *		parentheses it is put in) let "false) UNION ALL SELECT ... WHERE
 *		(true" through.
 */
static void
sk_check_filter(SkTable *r, const char *filter)
{
	char	   *syntax_error;

	if (!sk_expr_is_one(filter, &syntax_error))
		sk_filter_error(r, syntax_error);
}

/*
 * sk_closure_roots
 *		Fill the root's key table with the rows matching filter, evaluated
 *		under the caller's own settings (sk_closure_seed).
 */
void
sk_closure_roots(SkGraph *g, const char *filter, Snapshot snap)
{
	(void) sk_closure_seed(g->root, g->rootrel, filter, NULL, 0, NULL, NULL,
						   true, 0, snap);
}

/*
 * sk_closure_seed
 *		Add to unit r's key table the rows of relation fromrel (r itself or
 *		one of its partitions, read as alias t) matching filter (NULL: every
 *		row) that are not there yet, as children when child is set, in
 *		generation gen.  The filter must be one expression
 *		(sk_check_filter); it is evaluated under the caller's own settings.
 *		extra, when given, is seedkit's own text put after the WHERE clause
 *		(" AND ...", ORDER BY, LIMIT), with nargs parameters.  Counts the
 *		rows as the seeded ones (generation 0) for the closure; returns how many
 *		were added.
 */
uint64
sk_closure_seed(SkTable *r, Oid fromrel, const char *filter, const char *extra,
				int nargs, Oid *argtypes, Datum *values, bool child, int gen,
				Snapshot snap)
{
	StringInfoData src;
	char	   *sql;
	SPIPlanPtr	plan;
	int			rc;
	MemoryContext oldcxt = CurrentMemoryContext;

	initStringInfo(&src);
	appendStringInfo(&src, "SELECT %s FROM %s t", sk_row_select(r, "t"),
					 fromrel == r->relid ? r->from :
					 quote_qualified_identifier(get_namespace_name(get_rel_namespace(fromrel)),
												get_rel_name(fromrel)));
	if (filter != NULL)
	{
		sk_check_filter(r, filter);
		appendStringInfo(&src, " WHERE (%s\n)", filter);
	}
	else if (extra != NULL)
		appendStringInfoString(&src, " WHERE true");
	if (extra != NULL)
		appendStringInfoString(&src, extra);
	if (r->nrows == 0)
		sql = psprintf("INSERT INTO %s (%s, child, gen) %s",
					   sk_ktable(r), sk_row_cols(r),
					   psprintf("SELECT s.*, %s, %d FROM (%s) s",
								child ? "true" : "false", gen, src.data));
	else
		sql = sk_insert_new(r, src.data, "child, gen",
							psprintf("%s, %d", child ? "true" : "false", gen), false);

	/*
	 * An error in the filter is reported as such, without the internal
	 * statement around it.  Nothing runs after the catch but the new error.
	 */
	PG_TRY();
	{
		plan = SPI_prepare(sql, nargs, argtypes);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(oldcxt);
		edata = CopyErrorData();
		FlushErrorState();
		ereport(ERROR,
				(errcode(edata->sqlerrcode),
				 errmsg("invalid filter for table \"%s\": %s", sk_message_name(r->qname), edata->message),
				 errhint("The filter must be a boolean expression over the columns of the root table.")));
	}
	PG_END_TRY();
	if (plan == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("invalid filter for table \"%s\"", sk_message_name(r->qname)),
				 errdetail("The filter must be a boolean expression over the columns of the root table.")));
	if (list_length(SPI_plan_get_plan_sources(plan)) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("invalid filter for table \"%s\"", sk_message_name(r->qname)),
				 errdetail("The filter must be one boolean expression, not several statements.")));
	rc = SPI_execute_snapshot(plan, values, NULL, snap, InvalidSnapshot, false, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "could not select root rows: %s", SPI_result_code_string(rc));
	SPI_freeplan(plan);
	r->nrows += SPI_processed;
	r->prev_new += SPI_processed;
	if (child)
		r->prev_child += SPI_processed;
	return SPI_processed;
}

/*
 * sk_set
 *		"expr IS NOT NULL" for a value of type typid, as a foreign key's
 *		trigger tests it: the value itself, not its fields, so for a row
 *		type (ROW(5, NULL) IS NULL to SQL) "IS DISTINCT FROM NULL".
 */
static char *
sk_set(const char *expr, Oid typid)
{
	if (type_is_rowtype(getBaseType(typid)))
		return psprintf("%s IS DISTINCT FROM NULL", expr);
	return psprintf("%s IS NOT NULL", expr);
}

/*
 * sk_fk_join
 *		"y.refcol OP x.col AND ..." for a foreign key, x the referencing alias
 *		and y the referenced one.
 */
static char *
sk_fk_join(SkFk *fk, const char *x, const char *y)
{
	StringInfoData buf;
	int			k;

	initStringInfo(&buf);
	for (k = 0; k < fk->nkeys; k++)
		appendStringInfo(&buf, "%s%s.%s %s %s.%s", k > 0 ? " AND " : "",
						 y, fk->refcols[k], fk->eqops[k], x, fk->cols[k]);
	return buf.data;
}

/*
 * sk_fk_keymap
 *		When fk references exactly the key of its referenced table (and not
 *		just one partition of it), the index of the foreign key column
 *		matching each key column; else NULL.
 */
static int *
sk_fk_keymap(SkFk *fk)
{
	SkTable    *y = fk->to;
	int		   *keymap;
	int			j,
				k;

	if (y->nkey == 0 || y->nkey != fk->nkeys || fk->reffilter[0] != '\0')
		return NULL;
	keymap = palloc(sizeof(int) * y->nkey);
	for (j = 0; j < y->nkey; j++)
	{
		keymap[j] = -1;
		for (k = 0; k < fk->nkeys; k++)
			if (strcmp(fk->rawrefcols[k], y->rawcols[y->keyidx[j]]) == 0)
				keymap[j] = k;
		if (keymap[j] < 0)
			return NULL;
	}
	return keymap;
}

/*
 * sk_key_eq
 *		"a.k0 OP b.k0 AND ..." (or the toid/tid pair of a keyless table)
 *		equating the keys of two aliases of t's key table rows.
 */
static char *
sk_key_eq(SkTable *t, const char *a, const char *b)
{
	StringInfoData buf;
	int			k;

	initStringInfo(&buf);
	if (t->nkey == 0)
		appendStringInfo(&buf, "%s.toid = %s.toid AND %s.tid = %s.tid", a, b, a, b);
	for (k = 0; k < t->nkey; k++)
		appendStringInfo(&buf, "%s%s.k%d %s %s.k%d", k > 0 ? " AND " : "",
						 a, k, t->keyeqops[k], b, k);
	return buf.data;
}

/*
 * sk_insert_new
 *		"INSERT INTO <key table of t> ... " adding the rows of the query src
 *		(columns named as sk_row_cols) that are not there yet, once each;
 *		tail is the rest of each new row (child, gen and via values, listed
 *		in tailcols).  A single-path table cannot get a row twice.  When
 *		unique is set, src gives each row once (a child step: every row it
 *		reads references one row of the key table, or, along a
 *		self-reference, a recursion whose UNION removes repeats), and no
 *		DISTINCT is needed.  A parent step needs it: rows share parents.  Cheaper than ON
 *		CONFLICT DO NOTHING, whose speculative insertion costs more than the
 *		anti-join.
 */
static char *
sk_insert_new(SkTable *t, const char *src, const char *tailcols, const char *tail,
			  bool unique)
{
	if (t->single_path)
		return psprintf("INSERT INTO %s (%s, %s) SELECT s.*, %s FROM (%s) s",
						sk_ktable(t), sk_row_cols(t), tailcols, tail, src);
	return psprintf("INSERT INTO %s (%s, %s) SELECT %ss.*, %s FROM (%s) s "
					"WHERE NOT EXISTS (SELECT 1 FROM %s e WHERE %s)",
					sk_ktable(t), sk_row_cols(t), tailcols, unique ? "" : "DISTINCT ",
					tail, src, sk_ktable(t), sk_key_eq(t, "e", "s"));
}

/*
 * sk_recursive
 *		For a self-referencing foreign key, the query following it to the
 *		end of every chain in one statement: first from the previous
 *		generation (firstsql), then from its own results (stepsql, reading
 *		"r"); UNION makes each row come once and ends cycles.  Otherwise just
 *		firstsql.
 */
static char *
sk_recursive(SkFk *fk, const char *firstsql, const char *stepsql)
{
	if (fk->from != fk->to)
		return pstrdup(firstsql);
	return psprintf("WITH RECURSIVE r AS (%s UNION %s) SELECT * FROM r",
					firstsql, stepsql);
}

/*
 * sk_src_gens
 *		The generations of key table src after watermark wm, as an int4[].
 */
static Datum
sk_src_gens(SkTable *src, int wm)
{
	Datum	   *gens = palloc(sizeof(Datum) * (list_length(src->gens) + 1));
	int			n = 0;
	ListCell   *lc;

	foreach(lc, src->gens)
		if (lfirst_int(lc) > wm)
			gens[n++] = Int32GetDatum(lfirst_int(lc));
	return PointerGetDatum(construct_array(gens, n, INT4OID, sizeof(int32),
										   true, TYPALIGN_INT));
}

/*
 * sk_step_exec
 *		Run a closure step's statement with the generation it writes as $1
 *		and, as $2, the generations of its source key table src after the
 *		step's watermark wm (the step reads their rows); walk when it
 *		follows chains (sk_exec_walk).  The generations are listed rather
 *		than bounded: the planner estimates "gen = ANY" of a key table too
 *		small to be analyzed as the few rows it is, not as a third of the
 *		table, and reads a big table by index for them.
 */
static uint64
sk_step_exec(const char *sql, int gen, SkTable *src, int wm, Snapshot snap,
			 bool walk)
{
	Oid			types[2] = {INT4OID, INT4ARRAYOID};
	Datum		vals[2];

	vals[0] = Int32GetDatum(gen);
	vals[1] = sk_src_gens(src, wm);
	if (walk)
		return sk_exec_walk(sql, snap, lengthof(types), types, vals);
	return sk_exec(sql, snap, lengthof(types), types, vals);
}

/*
 * sk_parent_carried
 *		The referenced keys of a direct parent step (sk_fk_direct) from the
 *		values carried in the referencing key table, rows of its previous
 *		generation chosen by where; the referenced table is read only to
 *		fetch the values it carries in turn.
 */
static char *
sk_parent_carried(SkFk *fk, const char *where)
{
	SkTable    *y = fk->to;
	int		   *keymap = sk_fk_keymap(fk);
	StringInfoData vals_sql;
	StringInfoData cond;
	StringInfoData dcols;
	char	   *select;
	int			j;

	initStringInfo(&vals_sql);
	initStringInfo(&cond);
	initStringInfo(&dcols);
	for (j = 0; j < y->nkey; j++)
	{
		int			c = sk_table_col(fk->from, fk->rawcols[keymap[j]]);

		Assert(c >= 0 && fk->from->carry[c]);
		appendStringInfo(&vals_sql, "%sd.c%d AS k%d", j > 0 ? ", " : "", c, j);
		appendStringInfo(&dcols, "%sc%d", j > 0 ? ", " : "", c);
		if (y->carries)
			appendStringInfo(&cond, "%sy.%s %s d.c%d", j > 0 ? " AND " : "",
							 y->cols[y->keyidx[j]], fk->eqops[keymap[j]], c);
		else
			appendStringInfo(&cond, " AND %s",
							 sk_set(psprintf("d.c%d", c), fk->from->typids[c]));
	}

	/*
	 * Without carried values of its own the referenced table is not read
	 * (it cannot be this table: this one carries); with them, it is joined
	 * by key to fetch them.
	 */
	if (!y->carries)
		return psprintf("SELECT %s%s FROM %s d %s%s",
						vals_sql.data,
						sk_tid_col(y) != NULL ? ", NULL::pg_catalog.tid AS rt" : "",
						sk_ktable(fk->from), where, cond.data);

	/* Each referenced row is looked up once, however many refer to it. */
	select = psprintf("SELECT %s FROM %%s d JOIN %s y ON %s",
					  sk_row_select(y, "y"), y->from, cond.data);
	return sk_recursive(fk,
						psprintf(select,
								 psprintf("(SELECT DISTINCT %s FROM %s d %s)",
										  dcols.data, sk_ktable(fk->from), where)),
						psprintf(select, "r"));
}

/*
 * sk_parent_step
 *		Add the rows referenced through fk by the rows of its referencing
 *		table that arrived since the step last ran (to the end of the chain
 *		for a self-reference); returns how many were new.
 */
static uint64
sk_parent_step(SkFk *fk, int gen, Snapshot snap)
{
	SkTable    *y = fk->to;
	char	   *src;
	char	   *where;
	const char *tailcols = fk->from == fk->to ? "child, gen, via" : "child, gen";
	char	   *tail = fk->from == fk->to ? psprintf("false, $1, %lld", (long long) fk->viaid) : "false, $1";
	uint64		n;

	where = psprintf("WHERE d.gen = ANY ($2) AND d.via IS DISTINCT FROM %lld", (long long) fk->viaid);
	if (sk_fk_direct(fk) && !y->carries)
	{
		/* the referenced table is not read: its rows come without ctid */
		n = sk_step_exec(sk_insert_new(y, sk_parent_carried(fk, where), tailcols, tail,
									   false),
						 gen, fk->from, fk->pwm, snap, fk->from == fk->to);
		if (n > 0)
			y->tid_partial = true;
		return n;
	}
	if (sk_fk_direct(fk))
		src = sk_parent_carried(fk, where);
	else
	{
		char	   *select;

		select = psprintf("SELECT %s FROM %%s d JOIN %s x ON %s JOIN %s y ON %s%s",
						  sk_row_select(y, "y"), fk->fromrel,
						  sk_keyjoin(fk->from, "x", "d"),
						  y->from, sk_fk_join(fk, "x", "y"), fk->reffilter);
		src = sk_recursive(fk,
						   psprintf("%s %s", psprintf(select, sk_ktable(fk->from)), where),
						   psprintf(select, "r"));
	}
	return sk_step_exec(sk_insert_new(y, src, tailcols, tail, false), gen,
						fk->from, fk->pwm, snap, fk->from == fk->to);
}

/*
 * sk_child_src
 *		The query of the rows referencing through fk the previous
 *		generation's child rows of the referenced table (every descendant
 *		for a self-reference), as sk_row_cols of the referencing table.
 */
static char *
sk_child_src(SkFk *fk)
{
	SkTable    *x = fk->from;
	SkTable    *y = fk->to;
	StringInfoData select;
	int		   *keymap;
	int			j;

	/*
	 * When the foreign key references exactly the key of the referenced
	 * table, the key table holds the referenced values: no need to read the
	 * referenced table again.  "%s d" stands for the key table, or for the
	 * recursion of a self-reference.
	 */
	keymap = sk_fk_keymap(fk);
	initStringInfo(&select);
	appendStringInfo(&select, "SELECT %s FROM %%s d ", sk_row_select(x, "x"));
	if (keymap != NULL)
	{
		appendStringInfo(&select, "JOIN %s x ON ", fk->fromrel);
		for (j = 0; j < y->nkey; j++)
			appendStringInfo(&select, "%sd.k%d %s x.%s", j > 0 ? " AND " : "", j,
							 fk->eqops[keymap[j]], fk->cols[keymap[j]]);
	}
	else
		appendStringInfo(&select, "JOIN %s y ON %s%s JOIN %s x ON %s",
						 y->from, sk_keyjoin(y, "y", "d"), fk->reffilter,
						 fk->fromrel, sk_fk_join(fk, "x", "y"));

	/*
	 * Rows that came through this self-reference as children had all their
	 * descendants along it walked already.
	 */
	return sk_recursive(fk,
						psprintf("%s WHERE d.gen = ANY ($2) AND d.child%s",
								 psprintf(select.data, sk_ktable(y)),
								 fk->from == fk->to ?
								 psprintf(" AND d.via IS DISTINCT FROM %lld", (long long) fk->viaid) : ""),
						psprintf(select.data, "r"));
}

/*
 * sk_child_step
 *		Add the rows referencing through fk the rows of the referenced table
 *		that became children since the step last ran (every descendant for a self-reference),
 *		and make rows already there children; returns how many were new.
 */
static uint64
sk_child_step(SkFk *fk, int gen, Snapshot snap, uint64 *upgraded)
{
	SkTable    *x = fk->from;
	char	   *src = sk_child_src(fk);
	char	   *tail = psprintf("true, $1, %lld", (long long) fk->viaid);
	char	   *sql;

	/* Walking down needs an index on the referencing columns. */
	bool		walk = fk->from == fk->to && fk->indexed;

	/*
	 * Rows reached only as parents can exist only if some key leads here,
	 * or in a whole table (a subset's), all of whose rows are there.
	 */
	if (!sk_has_parent_steps(x) && !x->whole)
		return sk_step_exec(sk_insert_new(x, src, "child, gen, via", tail, true),
							gen, fk->to, fk->cwm, snap, walk);

	/* the rows made children and the rows added, counted */
	sql = psprintf("WITH s AS (%s), "
				   "u AS (UPDATE %s k SET child = true, gen = $1, via = %lld FROM s "
				   "WHERE %s AND NOT k.child RETURNING 1), "
				   "i AS (%s RETURNING 1) "
				   "SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM i)",
				   src, sk_ktable(x), (long long) fk->viaid, sk_key_eq(x, "k", "s"),
				   sk_insert_new(x, "SELECT * FROM s", "child, gen, via", tail, true));
	(void) sk_step_exec(sql, gen, fk->to, fk->cwm, snap, walk);
	*upgraded = sk_result_int8(1, "count the rows of a child step");
	return sk_result_int8(2, "count the rows of a child step");
}

/*
 * sk_child_mergeable
 *		Whether the child step along fk may share one statement with the
 *		other child steps filling its referencing table (sk_child_merged):
 *		it reads the whole referencing unit (no partial key: not declared
 *		on some partitions only, no condition), takes the referenced keys
 *		from the key table alone (sk_fk_keymap), and is no self-reference
 *		(whose recursion walks chains).
 */
static bool
sk_child_mergeable(SkFk *fk)
{
	return fk->from != fk->to && fk->declared == NIL && fk->condition == NULL &&
		sk_fk_keymap(fk) != NULL;
}

/*
 * sk_child_merged
 *		The child steps along fks (two or more, each sk_child_mergeable,
 *		filling the same table) as one statement reading the referencing
 *		table once: its rows referencing, along some of fks, a row that
 *		became a child since the step along that key last ran ($2, $3, ...:
 *		the generations of each referenced key table after its watermark),
 *		the new children of each key hash joined to it.  Each key table
 *		holds a key once, so each row comes once.  A row gets the via of
 *		the first of fks it is reached along (its parent along that key is
 *		a child already; a parent step re-checks the others).  Returns how
 *		many rows were new; *upgraded counts the rows made children.
 */
static uint64
sk_child_merged(List *fks, int gen, Snapshot snap, uint64 *upgraded)
{
	SkTable    *x = ((SkFk *) linitial(fks))->from;
	int			nargs = list_length(fks) + 1;
	Oid		   *types = palloc(sizeof(Oid) * nargs);
	Datum	   *vals = palloc(sizeof(Datum) * nargs);
	StringInfoData joins;
	StringInfoData via;
	StringInfoData found;
	char	   *src;
	char	   *sql;
	char	   *mk;
	ListCell   *lc;
	int			m = 0;

	Assert(!x->single_path && list_length(fks) >= 2);
	initStringInfo(&joins);
	initStringInfo(&via);
	initStringInfo(&found);
	types[0] = INT4OID;
	vals[0] = Int32GetDatum(gen);
	foreach(lc, fks)
	{
		SkFk	   *fk = (SkFk *) lfirst(lc);
		SkTable    *y = fk->to;
		int		   *keymap = sk_fk_keymap(fk);
		int			j;

		Assert(fk->from == x && sk_child_mergeable(fk));
		m++;
		types[m] = INT4ARRAYOID;
		vals[m] = sk_src_gens(y, fk->cwm);
		appendStringInfo(&joins, " LEFT JOIN (SELECT %s FROM %s d "
						 "WHERE d.gen = ANY ($%d) AND d.child) m%d ON ",
						 sk_key_cols(y), sk_ktable(y), m + 1, m);
		for (j = 0; j < y->nkey; j++)
			appendStringInfo(&joins, "%sm%d.k%d %s x.%s", j > 0 ? " AND " : "",
							 m, j, fk->eqops[keymap[j]], fk->cols[keymap[j]]);
		/* a key table's key columns are never null (as values) */
		mk = sk_set(psprintf("m%d.k0", m), y->typids[y->keyidx[0]]);
		appendStringInfo(&via, " WHEN %s THEN %lld::pg_catalog.int8",
						 mk, (long long) fk->viaid);
		appendStringInfo(&found, "%s%s", m > 1 ? " OR " : "", mk);
	}
	/*
	 * OFFSET 0 keeps the query whole: the anti-join of sk_insert_new then
	 * reads the rows found, not every row of the table before the joins.
	 */
	src = psprintf("SELECT %s, CASE%s END AS via FROM %s x%s WHERE %s OFFSET 0",
				   sk_row_select(x, "x"), via.data, x->from, joins.data, found.data);

	/* as sk_child_step: rows reached only as parents may be there */
	if (!sk_has_parent_steps(x) && !x->whole)
		return sk_exec(sk_insert_new(x, src, "via, child, gen", "true, $1", true),
					   snap, nargs, types, vals);
	sql = psprintf("WITH s AS (%s), "
				   "u AS (UPDATE %s k SET child = true, gen = $1, via = s.via FROM s "
				   "WHERE %s AND NOT k.child RETURNING 1), "
				   "i AS (%s RETURNING 1) "
				   "SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM i)",
				   src, sk_ktable(x), sk_key_eq(x, "k", "s"),
				   sk_insert_new(x, "SELECT * FROM s", "via, child, gen", "true, $1", true));
	(void) sk_exec(sql, snap, nargs, types, vals);
	*upgraded = sk_result_int8(1, "count the rows of a child step");
	return sk_result_int8(2, "count the rows of a child step");
}

/*
 * sk_rows_so_far
 *		"shop.books 10, shop.reviews 40" for the max_rows error.
 */
static char *
sk_rows_so_far(SkGraph *g)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, g->tables)
	{
		SkTable    *t = (SkTable *) lfirst(lc);

		if (t->entered)
			appendStringInfo(&buf, "%s%s %lld",
							 buf.len > 0 ? ", " : "", t->qname, (long long) t->nrows);
	}
	return buf.data;
}

/*
 * sk_check_max_rows
 *		Stop with the counts reached so far once the closure passes max_rows
 *		(a subset's error names its spec and seedkit_subset_plan).
 */
static void
sk_check_max_rows(SkGraph *g, int64 max_rows)
{
	ListCell   *lc;
	int64		total = 0;

	foreach(lc, g->tables)
		total += ((SkTable *) lfirst(lc))->nrows;
	if (total > max_rows && g->spec != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("subset exceeds max_rows (%lld)", (long long) max_rows),
				 errdetail("Rows the subset of spec %s reached so far: %s.",
						   g->spec, sk_rows_so_far(g)),
				 errhint("Sample or filter the roots, leave tables out with \"exclude\", set \"children\" to false, or raise max_rows; seedkit_subset_plan() with the same spec shows what the subset takes.")));
	if (total > max_rows)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("snapshot of table \"%s\" exceeds max_rows (%lld)",
						sk_message_name(g->root->qname), (long long) max_rows),
				 errdetail("Rows reached so far: %s.", sk_rows_so_far(g)),
				 errhint("Narrow the root rows with filter, leave tables out with exclude, pass children => false, or raise max_rows; seedkit_plan() with the same arguments shows what the snapshot takes.")));
}

/*
 * sk_closure_index_gen
 *		Index every key table by generation.  Most closures end within a
 *		few passes, and reading a step's new rows by scanning a key table is
 *		cheaper than keeping an index on it.  Long chains (a cycle of keys
 *		followed far) get the index from pass SK_GEN_INDEX_ROUND on, so that
 *		each step reads only the generations after its watermark.
 */
static void
sk_closure_index_gen(SkGraph *g)
{
	ListCell   *lc;

	foreach(lc, g->tables)
	{
		SkTable    *t = (SkTable *) lfirst(lc);

		if (t->entered)
		{
			sk_exec_utility(psprintf("CREATE INDEX ON %s (gen)", sk_ktable(t)),
							"index a key table by generation");
			sk_analyze(sk_ktable(t), "analyze a key table");
		}
	}
}

/*
 * sk_closure_rank
 *		Rank every entered table by the longest chain of foreign keys from
 *		it to a table referencing nothing (self-references left out, and at
 *		most as deep as there are tables when keys form a cycle): a table
 *		ranks above every table it references.
 */
static void
sk_closure_rank(SkGraph *g)
{
	ListCell   *lc;
	int			pass;
	bool		changed = true;

	foreach(lc, g->tables)
		((SkTable *) lfirst(lc))->rank = 0;
	for (pass = 0; changed && pass < list_length(g->tables); pass++)
	{
		changed = false;
		foreach(lc, g->fks)
		{
			SkFk	   *fk = (SkFk *) lfirst(lc);

			if (fk->from != fk->to && fk->from->rank <= fk->to->rank)
			{
				fk->from->rank = fk->to->rank + 1;
				changed = true;
			}
		}
	}
}

/*
 * sk_parent_idle
 *		Whether the parent step along fk can read no row: its referencing
 *		table is filled by the child step along fk alone (sk_single_path),
 *		so every row there came down from its parent along fk and has fk
 *		as its via, which the parent step skips.
 */
static bool
sk_parent_idle(SkGraph *g, SkFk *fk)
{
	SkTable    *x = fk->from;
	ListCell   *lc;

	if (!x->single_path || fk->to->excluded)
		return false;
	foreach(lc, x->fks_out)
	{
		SkFk	   *other = (SkFk *) lfirst(lc);

		if (other != fk && g->children && x->childable && other->to->childable)
			return false;
	}
	return g->children && x->childable && fk->to->childable;
}

/*
 * One step of a pass: the child step along fk, or along each of mates
 * (two or more child steps filling one table, sk_child_merged), or the
 * parent step along fk.
 */
typedef struct SkStep
{
	SkFk	   *fk;
	bool		child;
	List	   *mates;
} SkStep;

/*
 * sk_closure_steps
 *		The closure's steps in the order a pass runs them (*nsteps of them):
 *		the child steps from the referenced tables down (by the rank of the
 *		table they fill), then the parent steps from the referencing tables
 *		up.  In this order the rows a step adds are, as far as the keys
 *		allow, in place before the steps reading them run, so that one pass
 *		carries the roots' rows down every chain of children and the rows
 *		reached up every chain of parents: a big table is read once per
 *		foreign key, not once per generation.  Ties keep the order of
 *		g->fks.  The child steps filling one table that can share a
 *		statement (sk_child_mergeable) run as one, where the first of them
 *		stands: the table is then read once, not once per foreign key.  A
 *		parent step into a table that holds every row already
 *		(SkTable.complete), or one that can read no row (sk_parent_idle),
 *		could add nothing, and is left out.
 */
static SkStep *
sk_closure_steps(SkGraph *g, int *nsteps)
{
	int			nfks = list_length(g->fks);
	SkStep	   *steps = palloc0(sizeof(SkStep) * (2 * nfks + 1));
	int			n = 0;
	int			first;
	int			i,
				j;
	ListCell   *lc;

	sk_closure_rank(g);
	foreach(lc, g->fks)
	{
		SkFk	   *fk = (SkFk *) lfirst(lc);

		if (!fk->to->excluded && g->children && fk->from->childable &&
			fk->to->childable)
		{
			steps[n].fk = fk;
			steps[n++].child = true;
		}
	}
	/* insertion sorts: stable, and the lists are short */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && steps[j - 1].fk->from->rank > steps[j].fk->from->rank; j--)
		{
			SkStep		tmp = steps[j];

			steps[j] = steps[j - 1];
			steps[j - 1] = tmp;
		}

	/* merge the child steps filling one table into the first of them */
	for (i = 0; i < n; i++)
	{
		if (!sk_child_mergeable(steps[i].fk))
			continue;
		for (j = i + 1; j < n; j++)
		{
			if (steps[j].fk->from != steps[i].fk->from ||
				!sk_child_mergeable(steps[j].fk))
				continue;
			if (steps[i].mates == NIL)
				steps[i].mates = list_make1(steps[i].fk);
			steps[i].mates = lappend(steps[i].mates, steps[j].fk);
			memmove(&steps[j], &steps[j + 1], sizeof(SkStep) * (n - j - 1));
			n--;
			j--;
		}
	}

	first = n;
	foreach(lc, g->fks)
	{
		SkFk	   *fk = (SkFk *) lfirst(lc);

		if (!fk->to->excluded && !fk->to->complete && !sk_parent_idle(g, fk))
		{
			steps[n].fk = fk;
			steps[n++].child = false;
		}
	}
	for (i = first + 1; i < n; i++)
		for (j = i; j > first && steps[j - 1].fk->from->rank < steps[j].fk->from->rank; j--)
		{
			SkStep		tmp = steps[j];

			steps[j] = steps[j - 1];
			steps[j - 1] = tmp;
		}
	*nsteps = n;
	return steps;
}

/*
 * sk_step_due
 *		The foreign keys of child step s whose referenced table has rows
 *		that became children since the step along it last ran.
 */
static List *
sk_step_due(SkStep *s)
{
	List	   *due = NIL;
	ListCell   *lc;

	if (s->mates == NIL)
		return s->fk->to->last_child > s->fk->cwm ? list_make1(s->fk) : NIL;
	foreach(lc, s->mates)
	{
		SkFk	   *fk = (SkFk *) lfirst(lc);

		if (fk->to->last_child > fk->cwm)
			due = lappend(due, fk);
	}
	return due;
}

/*
 * sk_closure_pass
 *		Run once every step that has rows to read; returns whether one ran.
 *
 *		Each step has a watermark: the generation it last ran in.  It reads
 *		the rows of its source key table of later generations (for a child
 *		step, the rows that are children) and writes its rows, and the rows
 *		it makes children, as a generation of its own.  A row's generation
 *		only grows, and a row becomes a child once: so every row is read by
 *		every parent step of its table after it arrives, and by every child
 *		step of its table after it becomes a child, whatever the order of the
 *		steps; when no step has a row to read the closure is a fixpoint.  A
 *		step is skipped when no row arrived in (or became a child of) its
 *		source table since it last ran.  The generation a step writes is
 *		above its own watermark, which is set to it: a step along a
 *		self-reference has followed its own rows to the end of their chains.
 *		Merged child steps run together those of their keys with rows to
 *		read, and each of those keys gets the watermark.
 */
static bool
sk_closure_pass(SkGraph *g, SkStep *steps, int nsteps, int *gen, Snapshot snap,
				int64 max_rows)
{
	bool		ran = false;
	int			i;

	for (i = 0; i < nsteps; i++)
	{
		SkFk	   *fk = steps[i].fk;
		List	   *due = NIL;
		ListCell   *lc;
		uint64		n;
		uint64		upgraded = 0;

		if (steps[i].child)
		{
			due = sk_step_due(&steps[i]);
			if (due == NIL)
				continue;
		}
		else if (fk->from->last_new <= fk->pwm)
			continue;
		CHECK_FOR_INTERRUPTS();
		sk_closure_analyze(g, steps[i].child ? fk->from : fk->to, false);
		ran = true;
		++*gen;
		if (steps[i].child)
		{
			if (list_length(due) == 1)
				n = sk_child_step(linitial(due), *gen, snap, &upgraded);
			else
				n = sk_child_merged(due, *gen, snap, &upgraded);
			foreach(lc, due)
				((SkFk *) lfirst(lc))->cwm = *gen;
			fk->from->nrows += n;
			if (n > 0)
				fk->from->last_new = *gen;
			if (n + upgraded > 0)
			{
				fk->from->last_child = *gen;
				fk->from->gens = lappend_int(fk->from->gens, *gen);
			}
		}
		else
		{
			n = sk_parent_step(fk, *gen, snap);
			fk->pwm = *gen;
			fk->to->nrows += n;
			if (n > 0)
			{
				fk->to->last_new = *gen;
				fk->to->gens = lappend_int(fk->to->gens, *gen);
			}
		}
		sk_check_max_rows(g, max_rows);
	}
	return ran;
}

/*
 * sk_closure_compute
 *		Grow the key tables from the seeded rows (generation 0) until a
 *		pass over the steps finds nothing to read.
 */
void
sk_closure_compute(SkGraph *g, Snapshot snap, int64 max_rows)
{
	SkStep	   *steps;
	int			nsteps;
	int			gen = 0;
	int			pass;
	ListCell   *lc;

	foreach(lc, g->tables)
	{
		SkTable    *t = (SkTable *) lfirst(lc);

		t->last_new = t->prev_new > 0 ? 0 : -1;
		t->last_child = t->prev_child > 0 ? 0 : -1;
		t->gens = t->prev_new > 0 ? list_make1_int(0) : NIL;
	}
	foreach(lc, g->fks)
	{
		SkFk	   *fk = (SkFk *) lfirst(lc);

		fk->pwm = fk->cwm = -1;
	}
	steps = sk_closure_steps(g, &nsteps);
	sk_check_max_rows(g, max_rows);
	for (pass = 1;; pass++)
	{
		if (pass == SK_GEN_INDEX_ROUND)
			sk_closure_index_gen(g);
		if (!sk_closure_pass(g, steps, nsteps, &gen, snap, max_rows))
			break;
	}
}

/*
 * sk_closure_check
 *		After the closure: a NOT NULL foreign key into an excluded table is
 *		an error, and so is a referenced row that row-level security hides
 *		(the document would hold a dangling reference).
 */
void
sk_closure_check(SkGraph *g, Snapshot snap)
{
	ListCell   *lc;

	foreach(lc, g->fks)
	{
		SkFk	   *fk = (SkFk *) lfirst(lc);
		StringInfoData sql;
		int			k;
		int64		n;

		if (fk->from->nrows == 0)
			continue;
		if (fk->to->excluded)
		{
			if (fk->notnull)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("cannot exclude table \"%s\" referenced by NOT NULL foreign key \"%s\"",
								sk_message_name(fk->to->qname), fk->conname),
						 errdetail("Rows of table \"%s\" reach table \"%s\" through constraint \"%s\", whose columns cannot be written as null.",
								   sk_message_name(fk->from->qname), sk_message_name(fk->to->qname), fk->conname),
						 errhint("Keep table \"%s\" in the snapshot, or exclude table \"%s\" as well.",
								 sk_message_name(fk->to->qname), sk_message_name(fk->from->qname))));
			continue;
		}
		if (check_enable_rls(fk->to->relid, InvalidOid, true) != RLS_ENABLED)
			continue;

		initStringInfo(&sql);
		appendStringInfo(&sql, "SELECT count(*) FROM %s d JOIN %s x ON %s WHERE ",
						 sk_ktable(fk->from), fk->fromrel,
						 sk_keyjoin(fk->from, "x", "d"));
		for (k = 0; k < fk->nkeys; k++)
			appendStringInfo(&sql, "%s AND ",
							 sk_set(psprintf("x.%s", fk->cols[k]),
									fk->from->typids[sk_table_col(fk->from, fk->rawcols[k])]));
		appendStringInfo(&sql, "NOT EXISTS (SELECT 1 FROM %s y WHERE %s%s)",
						 fk->to->from, sk_fk_join(fk, "x", "y"), fk->reffilter);
		(void) sk_exec(sql.data, snap, 0, NULL, NULL);
		n = sk_result_int8(1, "count the rows row-level security hides");
		if (n > 0)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("row-level security hides rows of table \"%s\" referenced through constraint \"%s\"",
							sk_message_name(fk->to->qname), fk->conname),
					 errdetail_plural("%lld row of table \"%s\" in the snapshot references a row that the policies of table \"%s\" do not let you see.",
									  "%lld rows of table \"%s\" in the snapshot reference rows that the policies of table \"%s\" do not let you see.",
									  n, (long long) n, sk_message_name(fk->from->qname), sk_message_name(fk->to->qname)),
					 errhint("Take the snapshot as a role that may see the referenced rows, or narrow the filter.")));
	}
}

/*
 * sk_closure_analyze
 *		Give the planner statistics on the key tables: temporary tables have
 *		none, and joins would otherwise be planned from guesses (a hash join
 *		reading a big table for two keys, or nested loops for thousands).
 *		During the closure, a table is analyzed when it has grown by
 *		SK_ANALYZE_GROWTH; target, the table the step about to run writes
 *		to, gets its unique index once it holds SK_KEY_INDEX_MIN_ROWS (a
 *		table no step writes to after its seeding, such as a whole table
 *		nothing reaches, never needs one); at the end (final), every table
 *		that changed is analyzed.
 */
static void
sk_closure_analyze(SkGraph *g, SkTable *target, bool final)
{
	ListCell   *lc;

	foreach(lc, g->tables)
	{
		SkTable    *t = (SkTable *) lfirst(lc);

		if (!t->entered)
			continue;

		/*
		 * The unique index on the key, unless t is single-path (it gets no
		 * key twice); the anti-joins probe it, and it checks that no key
		 * came twice.
		 */
		if (t == target && !t->single_path && !t->key_indexed &&
			t->nrows >= SK_KEY_INDEX_MIN_ROWS)
		{
			sk_exec_utility(psprintf("CREATE UNIQUE INDEX ON %s (%s)",
									 sk_ktable(t), sk_key_cols(t)),
							"index a key table");
			t->key_indexed = true;
		}
		if (t->nrows == t->analyzed)
			continue;
		if (!final && (t->nrows < SK_ANALYZE_MIN_ROWS ||
					   t->nrows < SK_ANALYZE_GROWTH * t->analyzed))
			continue;
		sk_analyze(sk_ktable(t), "analyze a key table");
		t->analyzed = t->nrows;
	}
}

/*
 * sk_closure_take
 *		Build the graph for opt (which locks its tables), register the data
 *		snapshot in *snap, create the key tables and compute the closure
 *		under it.  The data snapshot is taken only once every table is
 *		locked: one taken before waiting for a lock would not see the rows
 *		of a rewrite (anonymise, TRUNCATE, ALTER TABLE) that held it.  Catalog
 *		reads and the closure run under pinned settings; the root rows are
 *		chosen under the caller's own.  Returns the graph with settings
 *		pinned at *level; the caller unregisters *snap.
 */
SkGraph *
sk_closure_take(SkOptions *opt, Snapshot *snap, int64 max_rows, int *level)
{
	SkGraph    *g;

	*level = sk_pin_settings();
	g = sk_graph_build(opt->rootrel, opt->children, opt->exclude,
					   opt->nexclude, opt->reset_keys);
	sk_refuse_distributed(sk_graph_relids(g));
	/* One view of the data for every statement behind the document. */
	*snap = RegisterSnapshot(GetTransactionSnapshot());
	sk_closure_create(g);
	sk_unpin_settings(*level);
	sk_closure_roots(g, opt->filter, *snap);
	*level = sk_pin_settings();
	sk_closure_finish(g, *snap, max_rows);
	return g;
}

/*
 * sk_closure_finish
 *		Compute the closure from the seeded key tables and analyze them for
 *		the writer.  JIT compilation is off meanwhile: the planner's guesses
 *		for a step along a self-reference (a recursive query) are far above
 *		the rows it reads, and compiling such a step cost more than running
 *		it (0.3 s of a 0.3 s step at the bookstore's scale 100).
 */
void
sk_closure_finish(SkGraph *g, Snapshot snap, int64 max_rows)
{
	int			level = NewGUCNestLevel();

	(void) set_config_option("jit", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	sk_closure_compute(g, snap, max_rows);
	sk_closure_analyze(g, NULL, true);
	AtEOXact_GUC(true, level);
}

/*
 * sk_closure_drop
 *		Drop the key tables, so that several documents can be taken in one
 *		transaction (the ordinal maps go at commit).
 */
void
sk_closure_drop(SkGraph *g)
{
	ListCell   *lc;
	StringInfoData sql;

	/* one statement: each DROP fires the extension's sql_drop trigger */
	initStringInfo(&sql);
	foreach(lc, g->tables)
	{
		SkTable    *t = (SkTable *) lfirst(lc);

		if (t->entered && t->knum > 0)
			appendStringInfo(&sql, "%s%s", sql.len == 0 ? "DROP TABLE " : ", ",
							 sk_ktable(t));
	}
	if (sql.len > 0)
		sk_exec_utility(sql.data, "drop the key tables");
}
