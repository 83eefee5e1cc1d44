/*-------------------------------------------------------------------------
 *
 * citus.c
 *	  What seedkit knows of Citus: whether it is installed, how a table is
 *	  distributed, and the shards a tenant snapshot reads instead of the
 *	  coordinator's empty tables.
 *
 * Everything here costs one catalog lookup per transaction (the citus
 * extension's OID) when Citus is not installed.
 *
 * src/core/citus.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "core/core.h"

/*
 * The tables a tenant snapshot reads from shards of this node: for each
 * table's OID, its shard's OID and the FROM item naming the shard.  Set only
 * for the duration of seedkit_citus_tenant_snapshot (sk_citus_shards_set,
 * sk_citus_shards_clear).
 */
static int	sk_nshards = 0;
static Oid *sk_shard_relids = NULL;
static Oid *sk_shard_oids = NULL;
static char **sk_shard_from = NULL;

/*
 * The coordinator's flags (json text, NULL for none) and database secret a
 * tenant snapshot fakes with on this node, in place of this node's
 * seedkit.flag and seedkit.secret: set with sk_citus_keys_set for the
 * duration of seedkit_citus_tenant_snapshot, forgotten by
 * sk_citus_shards_clear.  Held in memory, never written to the tables, so
 * the caller needs no right to write them (their row-level security stays
 * as it is).
 */
static bool sk_keys_set = false;
static char *sk_keys_flags = NULL;
static bytea *sk_keys_secret = NULL;

/* Whether seedkit_citus_seed answers: only while sk_citus_send_key sends */
static bool sk_seed_armed = false;

PG_FUNCTION_INFO_V1(seedkit_citus_seed);

/* sk_citus_present's answer, and the transaction it was given in */
static LocalTransactionId sk_citus_lxid = InvalidLocalTransactionId;
static bool sk_citus_installed = false;

/*
 * sk_citus_present
 *		Whether the citus extension is installed in this database: one
 *		catalog lookup per transaction.
 */
bool
sk_citus_present(void)
{
	if (sk_citus_lxid != MyProc->lxid || sk_citus_lxid == InvalidLocalTransactionId)
	{
		sk_citus_installed = OidIsValid(get_extension_oid("citus", true));
		sk_citus_lxid = MyProc->lxid;
	}
	return sk_citus_installed;
}

/*
 * sk_citus_table
 *		How Citus manages relid: 'h' hash-distributed, 'r' reference table,
 *		'o' any other kind (Citus local, append, range, single shard), or '\0'
 *		when it is not a Citus table or Citus is not installed.  For 'h',
 *		*colocation is its colocation group and *distcol (in the caller's
 *		context, past SPI_finish) its distribution column.  The caller is connected
 *		to SPI.
 */
char
sk_citus_table(Oid relid, int *colocation, char **distcol)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1];
	HeapTuple	tup;
	TupleDesc	desc;
	char		method;
	char		model;
	bool		isnull;
	char	   *col;

	if (!sk_citus_present())
		return '\0';
	args[0] = ObjectIdGetDatum(relid);
	/* planned once per session: anonymise asks once per shard */
	if (plan == NULL)
	{
		SPIPlanPtr	p = SPI_prepare_cursor("SELECT p.partmethod, p.repmodel, p.colocationid,"
										   " CASE WHEN p.partmethod OPERATOR(pg_catalog.=) 'h'"
										   " THEN pg_catalog.column_to_column_name(p.logicalrelid, p.partkey) END"
										   " FROM pg_catalog.pg_dist_partition p"
										   " WHERE p.logicalrelid OPERATOR(pg_catalog.=) $1::pg_catalog.regclass",
										   1, argtypes, CURSOR_OPT_GENERIC_PLAN);

		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "could not prepare the query of pg_dist_partition");
		plan = p;
	}
	if (SPI_execute_plan(plan, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read pg_dist_partition");
	if (SPI_processed == 0)
		return '\0';
	tup = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	method = DatumGetChar(SPI_getbinval(tup, desc, 1, &isnull));
	model = DatumGetChar(SPI_getbinval(tup, desc, 2, &isnull));
	if (method == 'n' && model == 't')
		return 'r';
	if (method != 'h')
		return 'o';
	*colocation = DatumGetInt32(SPI_getbinval(tup, desc, 3, &isnull));
	col = SPI_getvalue(tup, desc, 4);
	*distcol = col ? strcpy(SPI_palloc(strlen(col) + 1), col) : NULL;
	return 'h';
}

/*
 * sk_citus_shards_set
 *		Until sk_citus_shards_clear, read relids[i] from its shard shards[i]
 *		(on this node).  The arrays are copied into TopTransactionContext;
 *		a transaction's end forgets them too.
 */
void
sk_citus_shards_set(int n, const Oid *relids, const Oid *shards)
{
	MemoryContext old = MemoryContextSwitchTo(TopTransactionContext);
	int			i;

	sk_shard_relids = palloc(sizeof(Oid) * Max(n, 1));
	sk_shard_oids = palloc(sizeof(Oid) * Max(n, 1));
	sk_shard_from = palloc(sizeof(char *) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		sk_shard_relids[i] = relids[i];
		sk_shard_oids[i] = shards[i];
		sk_shard_from[i] = psprintf("ONLY %s", sk_qualified_name(shards[i]));
	}
	sk_nshards = n;
	MemoryContextSwitchTo(old);
}

/*
 * sk_citus_shards_clear
 *		Read every table from itself again.
 */
void
sk_citus_shards_clear(void)
{
	sk_nshards = 0;
	sk_shard_relids = NULL;
	sk_shard_oids = NULL;
	sk_shard_from = NULL;
	if (sk_keys_secret != NULL)
		explicit_bzero(VARDATA(sk_keys_secret), VARSIZE(sk_keys_secret) - VARHDRSZ);
	sk_keys_set = false;
	sk_keys_flags = NULL;
	sk_keys_secret = NULL;
}

/*
 * sk_citus_keys_set
 *		Until sk_citus_shards_clear, fake with flags (the coordinator's
 *		flags as a json array of {tbl, attname, strategy, options}, or NULL
 *		for none) instead of this node's seedkit.flag, and with secret (or
 *		NULL: this node's seedkit.secret) instead of its database secret.
 *		Copied into TopTransactionContext.
 */
void
sk_citus_keys_set(const char *flags, const bytea *secret)
{
	MemoryContext old = MemoryContextSwitchTo(TopTransactionContext);

	sk_keys_flags = flags ? pstrdup(flags) : NULL;
	sk_keys_secret = NULL;
	if (secret != NULL)
	{
		sk_keys_secret = palloc(VARSIZE_ANY(secret));
		SET_VARSIZE(sk_keys_secret, VARSIZE_ANY_EXHDR(secret) + VARHDRSZ);
		memcpy(VARDATA(sk_keys_secret), VARDATA_ANY(secret), VARSIZE_ANY_EXHDR(secret));
	}
	sk_keys_set = true;
	MemoryContextSwitchTo(old);
}

/*
 * sk_citus_flags
 *		Whether a tenant snapshot on this node fakes with the coordinator's
 *		flags (sk_citus_keys_set) rather than seedkit.flag; if so *flags is
 *		their json text, or NULL when the coordinator has none.
 */
bool
sk_citus_flags(const char **flags)
{
	*flags = sk_keys_flags;
	return sk_keys_set;
}

/*
 * sk_citus_secret
 *		The coordinator's database secret a tenant snapshot on this node
 *		fakes with (sk_citus_keys_set), or NULL.
 */
const bytea *
sk_citus_secret(void)
{
	return sk_keys_set ? sk_keys_secret : NULL;
}

/*
 * sk_citus_shard_from
 *		The FROM item a tenant snapshot reads relid from (its shard on this
 *		node), or NULL when relid is read from itself.
 */
const char *
sk_citus_shard_from(Oid relid)
{
	int			i;

	for (i = 0; i < sk_nshards; i++)
		if (sk_shard_relids[i] == relid)
			return sk_shard_from[i];
	return NULL;
}

/*
 * sk_citus_shard_of
 *		The shard a tenant snapshot reads relid from (on this node), or
 *		InvalidOid when relid is read from itself.
 */
Oid
sk_citus_shard_of(Oid relid)
{
	int			i;

	for (i = 0; i < sk_nshards; i++)
		if (sk_shard_relids[i] == relid)
			return sk_shard_oids[i];
	return InvalidOid;
}

/*
 * sk_citus_unsupported
 *		Of relids, the Citus tables seedkit cannot write through the
 *		coordinator: Citus local tables and tables distributed by append,
 *		range or a single shard (those sk_refuse_distributed refuses).  NIL
 *		without Citus.  The caller is connected to SPI.
 */
List *
sk_citus_unsupported(List *relids)
{
	List	   *result = NIL;
	ListCell   *lc;
	int			colocation;
	char	   *distcol;

	if (relids == NIL || !sk_citus_present())
		return NIL;
	foreach(lc, relids)
		if (sk_citus_table(lfirst_oid(lc), &colocation, &distcol) == 'o')
			result = lappend_oid(result, lfirst_oid(lc));
	return result;
}

/*
 * sk_citus_own_range
 *		For column attnum of relid fed by a sequence: " WHERE col <= bound"
 *		limiting the values read to those the coordinator's sequence hands
 *		out, when relid is a distributed or reference table and the column a
 *		bigint (Citus gives node group g the values from (g << 48) + 1 of such
 *		a sequence, the coordinator being group 0); else "".  The caller is
 *		connected to SPI.
 */
const char *
sk_citus_own_range(Oid relid, AttrNumber attnum)
{
	int			colocation;
	char	   *distcol;
	char		kind;

	if (!sk_citus_present())
		return "";
	kind = sk_citus_table(relid, &colocation, &distcol);
	if ((kind != 'h' && kind != 'r') || get_atttype(relid, attnum) != INT8OID)
		return "";
	return psprintf(" WHERE %s OPERATOR(pg_catalog.<=) %lld",
					sk_quote_col(relid, attnum), ((long long) 1) << 48);
}

/*
 * sk_citus_reseed_workers
 *		After the coordinator's sequence seq was moved past the rows of its
 *		own range: on every worker, move that worker's copy of seq past the
 *		values of column attnum of relid in the worker's own range (when
 *		relid is a distributed or reference table and the column a bigint;
 *		else nothing).  A worker's range ends before its sequence's maximum,
 *		which is where the next worker's begins.  Sequences are not transactional, so neither is this
 *		(run_command_on_workers).  The caller is connected to SPI.
 */
void
sk_citus_reseed_workers(Oid seq, Oid relid, AttrNumber attnum)
{
	int			colocation;
	char	   *distcol;
	char		kind;
	char	   *seqname;
	char	   *col;
	char	   *cmd;
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	uint64		i;

	if (!sk_citus_present())
		return;
	kind = sk_citus_table(relid, &colocation, &distcol);
	if ((kind != 'h' && kind != 'r') || get_atttype(relid, attnum) != INT8OID)
		return;
	seqname = quote_literal_cstr(sk_qualified_name(seq));
	col = (char *) sk_quote_col(relid, attnum);
	cmd = psprintf("SELECT pg_catalog.setval(%s, x.v, true) FROM"
				   " (SELECT pg_catalog.max(%s) AS v FROM %s WHERE %s OPERATOR(pg_catalog.>=)"
				   " (SELECT s.seqmin FROM pg_catalog.pg_sequence s"
				   " WHERE s.seqrelid OPERATOR(pg_catalog.=) %s::pg_catalog.regclass) AND %s OPERATOR(pg_catalog.<)"
				   " (SELECT s.seqmax FROM pg_catalog.pg_sequence s"
				   " WHERE s.seqrelid OPERATOR(pg_catalog.=) %s::pg_catalog.regclass)) x"
				   " WHERE x.v IS NOT NULL AND x.v OPERATOR(pg_catalog.>)"
				   " COALESCE(pg_catalog.pg_sequence_last_value(%s), 0)",
				   seqname, col, sk_qualified_name(relid), col, seqname, col, seqname, seqname);
	args[0] = CStringGetTextDatum(cmd);
	if (SPI_execute_with_args("SELECT success, result FROM pg_catalog.run_command_on_workers($1)",
							  1, argtypes, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not reseed sequence \"%s\" on the workers", get_rel_name(seq));
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;

		if (!DatumGetBool(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull)))
			ereport(ERROR,
					(errcode(ERRCODE_CONNECTION_FAILURE),
					 errmsg("could not move sequence \"%s\" on a worker", get_rel_name(seq)),
					 errdetail("The worker answered: %s.",
							   SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2))));
	}
}

/*
 * sk_citus_send_key
 *		Send this session's seedkit.seed, or with with_secret the database
 *		secret of table seedkit.secret (read as the current role), to every
 *		worker as a Citus intermediate result of the current distributed
 *		transaction, and return its name.  A delegated call reads it there
 *		with read_intermediate_result(name, 'binary') AS r(seed text,
 *		secret bytea).  The value travels in COPY data, not in statement
 *		text or bind parameters, so log_statement and error reports on the
 *		workers never show it; Citus removes the result when the
 *		transaction ends.  The caller is connected to SPI.
 */
char *
sk_citus_send_key(bool with_secret)
{
	static uint32 sk_key_counter = 0;
	char	   *name;
	Oid			argtypes[2] = {TEXTOID, TEXTOID};
	Datum		args[2];

	name = psprintf("seedkit_key_%d_%u", MyProcPid, ++sk_key_counter);
	args[0] = CStringGetTextDatum(name);

	/*
	 * The seed comes from seedkit_citus_seed, which answers only during this
	 * call: it is neither a literal of the query (which auto_explain or an
	 * error context would show) nor readable with current_setting (a
	 * superuser-only setting to read).  broadcast_intermediate_result runs
	 * the query here, on the coordinator, and sends its rows to the workers.
	 */
	args[1] = CStringGetTextDatum(with_secret ?
								  "SELECT NULL::pg_catalog.text, s.secret FROM seedkit.secret s" :
								  psprintf("SELECT %s.seedkit_citus_seed(), NULL::pg_catalog.bytea",
										   sk_ext_schema()));
	sk_seed_armed = !with_secret;
	PG_TRY();
	{
		if (SPI_execute_with_args("SELECT pg_catalog.broadcast_intermediate_result($1, $2)",
								  2, argtypes, args, NULL, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not send the key of the anonymisation to the workers");
	}
	PG_FINALLY();
	{
		sk_seed_armed = false;
	}
	PG_END_TRY();
	return name;
}

/*
 * seedkit_citus_seed
 *		SQL: seedkit_citus_seed() RETURNS text: this session's seedkit.seed,
 *		only while sk_citus_send_key sends it to the workers (the query
 *		broadcast_intermediate_result runs); an error at any other time.
 */
Datum
seedkit_citus_seed(PG_FUNCTION_ARGS)
{
	if (!sk_seed_armed)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("seedkit_citus_seed is for seedkit's own use"),
				 errdetail("It answers only while seedkit sends the seed to the Citus workers.")));
	PG_RETURN_TEXT_P(cstring_to_text(sk_seed_guc ? sk_seed_guc : ""));
}
