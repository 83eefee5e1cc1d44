/*-------------------------------------------------------------------------
 *
 * anonymise.c
 *	  Flagged personal-data columns: seedkit_flag, seedkit_unflag, the
 *	  in-place seedkit_anonymise, the snapshot hook, and the settings
 *	  seedkit.seed and seedkit.locale.
 *
 * seedkit_anonymise rewrites each table once, the way ALTER TABLE does:
 * a new heap is filled with the anonymised rows, then its relfilenode is
 * swapped in and the indexes are rebuilt.  No dead row version with an
 * original value stays in the table's files, no trigger fires, and a
 * cancelled run leaves the table as it was.  It takes an ACCESS EXCLUSIVE
 * lock on each table until the transaction ends.
 *
 * src/anonymise.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/multixact.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/heap.h"
#include "catalog/index.h"
#include "catalog/partition.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "commands/cluster.h"
#include "commands/defrem.h"
#include "commands/tablecmds.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "portability/instr_time.h"
#include "rewrite/rewriteHandler.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "anon.h"
#include "seedkit.h"

char	   *sk_locale_guc = NULL;

/* One flagged column of a table. */
typedef struct SkFlag
{
	AttrNumber	attnum;
	char	   *attname;
	char	   *strategy;
	Jsonb	   *options;
} SkFlag;

/* A flagged column being anonymised. */
typedef struct SkCol
{
	AttrNumber	attnum;
	char	   *attname;
	SkFakeState *st;
	bool		unique;			/* under a single-column unique index */
	bool		notnull;
} SkCol;

/* A table of a seedkit_anonymise run. */
typedef struct SkTable
{
	Oid			relid;
	char	   *name;
	int			ncols;
	SkCol	   *cols;
	List	   *flags;			/* SkFlag, in cols' order */
	bool		copy_only;		/* values already replaced (triggers => true) */
} SkTable;

/*
 * Collision rounds of unique columns, by strategy key (seed, strategy and
 * options), for the current top-level statement: seedkit_anonymise fills
 * them before rewriting, a snapshot's sk_anon_expr before its rows are read,
 * and every seedkit_fake state with the same key uses them, so both sides of
 * a foreign key, and a snapshot and an in-place run over the same data, get
 * the same fakes.  Kept in a child of TopTransactionContext.
 */
typedef struct SkRoundReg
{
	SkKey		key;
	HTAB	   *rounds;
	List	   *resolved;		/* "relid/attnum" of the columns done */
	struct SkRoundReg *next;
} SkRoundReg;

static SkRoundReg *sk_registry = NULL;
static MemoryContext sk_registry_cxt = NULL;
static TimestampTz sk_registry_stmt = 0;
static bool sk_registry_callback = false;

/* Bumped whenever the registry changes: prepared states look their rounds up again. */
uint64		sk_rounds_generation = 1;

/* The flags of a table, resolving columns by number (or by name after a restore). */
#define SK_FLAGS_QUERY \
	"SELECT a.attnum, a.attname::text, f.strategy, f.options " \
	"FROM seedkit.flag f " \
	"JOIN pg_catalog.pg_attribute a ON a.attrelid = f.tbl AND a.attnum > 0 " \
	" AND NOT a.attisdropped " \
	" AND CASE WHEN f.tbl::oid = f.relid_seen THEN a.attnum = f.attnum " \
	"          ELSE a.attname = f.attname END " \
	"WHERE f.tbl = $1 ORDER BY a.attnum"

/*
 * sk_locale_check
 *		GUC check hook: seedkit.locale must be a supported locale.
 */
static bool
sk_locale_check(char **newval, void **extra, GucSource source)
{
	if (*newval == NULL || sk_find_locale(*newval) != NULL)
		return true;
	GUC_check_errdetail("Valid locales are: %s.", sk_locale_names());
	return false;
}

/*
 * sk_anonymise_define_gucs
 *		Define seedkit.seed and seedkit.locale (called from _PG_init).
 */
void
sk_anonymise_define_gucs(void)
{
	DefineCustomStringVariable("seedkit.seed",
							   "Secret seed of the keyed fakes; empty: the per-database secret in seedkit.secret.",
							   NULL,
							   &sk_seed_guc,
							   "",
							   PGC_USERSET,
							   GUC_NO_SHOW_ALL | GUC_NOT_IN_SAMPLE | GUC_SUPERUSER_ONLY,
							   NULL, NULL, NULL);
	DefineCustomStringVariable("seedkit.locale",
							   "Default locale of fake names, streets, cities and companies.",
							   NULL,
							   &sk_locale_guc,
							   "en_US",
							   PGC_USERSET,
							   0,
							   sk_locale_check, NULL, NULL);
}

/*
 * sk_flags_of
 *		The live flags of relid, ordered by column, allocated in the
 *		caller's memory context.
 */
static List *
sk_flags_stored(Oid relid)
{
	MemoryContext caller = CurrentMemoryContext;
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1];
	List	   *result = NIL;
	uint64		i;

	args[0] = ObjectIdGetDatum(relid);
	SPI_connect();
	if (SPI_execute_with_args(SK_FLAGS_QUERY, 1, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read seedkit.flag");
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		MemoryContext old = MemoryContextSwitchTo(caller);
		SkFlag	   *f = palloc(sizeof(SkFlag));
		Jsonb	   *opts;

		f->attnum = DatumGetInt16(SPI_getbinval(tup, desc, 1, &isnull));
		f->attname = SPI_getvalue(tup, desc, 2);
		f->strategy = SPI_getvalue(tup, desc, 3);
		opts = DatumGetJsonbP(SPI_getbinval(tup, desc, 4, &isnull));
		f->options = (Jsonb *) palloc(VARSIZE(opts));
		memcpy(f->options, opts, VARSIZE(opts));
		result = lappend(result, f);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	return result;
}

/*
 * sk_flags_of
 *		The flags that apply to relid: its own, or for a partition those of
 *		its topmost partitioned ancestor, bound to the partition's attribute
 *		numbers by column name.
 */
static List *
sk_flags_of(Oid relid)
{
	List	   *flags;
	ListCell   *lc;

	if (!get_rel_relispartition(relid))
		return sk_flags_stored(relid);
	flags = sk_flags_stored(llast_oid(get_partition_ancestors(relid)));
	foreach(lc, flags)
	{
		SkFlag	   *f = (SkFlag *) lfirst(lc);

		f->attnum = get_attnum(relid, f->attname);
		if (f->attnum == InvalidAttrNumber)
			elog(ERROR, "partition \"%s\" has no column \"%s\"",
				 get_rel_name(relid), f->attname);
	}
	return flags;
}

/*
 * sk_options_text
 *		The canonical text of a jsonb.
 */
static char *
sk_options_text(Jsonb *options)
{
	return JsonbToCString(NULL, &options->root, VARSIZE(options));
}

static void sk_snapshot_rounds(Oid relid, AttrNumber attnum, const char *strategy,
							   Jsonb *options);

/*
 * sk_anon_expr
 *		The SQL expression that replaces column attnum of relid in a
 *		snapshot when it is flagged, with valexpr standing for the original
 *		value; NULL when the column is not flagged.  The expression calls
 *		seedkit_fake with the flag's strategy and options on the value cast
 *		to the column's base type and modifier, so it gives exactly what
 *		seedkit_anonymise writes in place.
 */
char *
sk_anon_expr(Oid relid, AttrNumber attnum, const char *valexpr)
{
	List	   *flags = sk_flags_of(relid);
	ListCell   *lc;

	foreach(lc, flags)
	{
		SkFlag	   *f = (SkFlag *) lfirst(lc);
		Oid			typid;
		int32		typmod;
		Oid			collid;
		Oid			basetype;

		if (f->attnum != attnum)
			continue;
		/*
		 * A unique column, or one referencing a unique column flagged alike:
		 * resolve collisions over the whole column now, as seedkit_anonymise
		 * would, so the document's fakes are unique and match in place.
		 * (valexpr "NULL" is only a question whether the column is flagged.)
		 */
		if (strcmp(valexpr, "NULL") != 0)
			sk_snapshot_rounds(relid, attnum, f->strategy, f->options);
		get_atttypetypmodcoll(relid, attnum, &typid, &typmod, &collid);
		basetype = getBaseTypeAndTypmod(typid, &typmod);
		return psprintf("%s.seedkit_fake(%s, (%s)::%s, %s::jsonb)",
						sk_ext_schema(),
						quote_literal_cstr(f->strategy),
						valexpr,
						format_type_extended(basetype, typmod,
											 FORMAT_TYPE_TYPEMOD_GIVEN |
											 FORMAT_TYPE_FORCE_QUALIFY),
						quote_literal_cstr(sk_options_text(f->options)));
	}
	return NULL;
}

/*
 * sk_check_owner
 *		ERROR unless the current user owns the table; what says what the
 *		caller wanted to do.
 */
static void
sk_check_owner(Oid relid, const char *what)
{
	if (!pg_class_ownercheck(relid, GetUserId()))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to %s table \"%s\"", what, get_rel_name(relid)),
				 errdetail("Only the owner of table \"%s\" may %s it.",
						   get_rel_name(relid), what)));
}

/*
 * sk_check_table
 *		ERROR unless relid is an ordinary or partitioned table; when
 *		flagging, also unless it is the top of its partition tree (flags of a
 *		partitioned table apply to all its partitions, and snapshots read
 *		partitions through it).
 */
static void
sk_check_table(Oid relid, bool flagging)
{
	char		kind = get_rel_relkind(relid);

	if (kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a table", get_rel_name(relid)),
				 errdetail("Only ordinary and partitioned tables can be anonymised."),
				 errhint("Flag the columns of the table the view or foreign table reads.")));
	if (flagging && get_rel_relispartition(relid))
	{
		Oid			root = llast_oid(get_partition_ancestors(relid));

		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("cannot flag columns of partition \"%s\"", get_rel_name(relid)),
				 errdetail("Flags of a partitioned table apply to all its partitions."),
				 errhint("Flag the column of partitioned table \"%s\".", get_rel_name(root))));
	}
}

/*
 * sk_check_partition_key
 *		ERROR when column attname is (part of) the partition key of root or
 *		of a partitioned table below it: a fake would move rows out of their
 *		partitions.
 */
static void
sk_check_partition_key(Oid root, const char *attname)
{
	List	   *rels;
	ListCell   *lc;

	if (get_rel_relkind(root) != RELKIND_PARTITIONED_TABLE)
		return;
	rels = find_all_inheritors(root, AccessShareLock, NULL);
	foreach(lc, rels)
	{
		Oid			relid = lfirst_oid(lc);
		Relation	rel;
		AttrNumber	attnum;
		bool		used;

		if (get_rel_relkind(relid) != RELKIND_PARTITIONED_TABLE)
			continue;
		attnum = get_attnum(relid, attname);
		if (attnum == InvalidAttrNumber)
			continue;
		rel = table_open(relid, AccessShareLock);
		used = has_partition_attrs(rel,
								   bms_make_singleton(attnum - FirstLowInvalidHeapAttributeNumber),
								   NULL);
		table_close(rel, AccessShareLock);
		if (used)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot flag column \"%s\": it is in the partition key of table \"%s\"",
							attname, get_rel_name(relid)),
					 errdetail("A fake would not belong to the row's partition."),
					 errhint("Leave the partition key unflagged, or flag another column.")));
	}
}

/*
 * sk_column
 *		The attribute number of column col of relid, with its type and
 *		NOT NULL flag; ERROR when there is no such user column.
 */
static AttrNumber
sk_column(Oid relid, const char *col, Oid *typid, int32 *typmod, bool *notnull)
{
	HeapTuple	tup = SearchSysCacheAttName(relid, col);
	Form_pg_attribute att;
	AttrNumber	attnum;

	if (!HeapTupleIsValid(tup))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of table \"%s\" does not exist",
						col, get_rel_name(relid))));
	att = (Form_pg_attribute) GETSTRUCT(tup);
	attnum = att->attnum;
	*typid = att->atttypid;
	*typmod = att->atttypmod;
	*notnull = att->attnotnull;
	ReleaseSysCache(tup);
	if (attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot flag system column \"%s\"", col)));
	return attnum;
}

/*
 * sk_reanchor
 *		Clean up the flags of relid: drop those whose column was dropped,
 *		and after a restore (new OIDs) bind the rest to the current
 *		attribute numbers again.
 */
static void
sk_reanchor(Oid relid)
{
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1];

	args[0] = ObjectIdGetDatum(relid);
	if (SPI_execute_with_args("UPDATE seedkit.flag f SET relid_seen = f.tbl, attnum = a.attnum "
							  "FROM pg_catalog.pg_attribute a "
							  "WHERE f.tbl = $1 AND f.relid_seen <> f.tbl::oid "
							  "AND a.attrelid = f.tbl AND a.attname = f.attname "
							  "AND a.attnum > 0 AND NOT a.attisdropped",
							  1, argtypes, args, NULL, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "could not update seedkit.flag");
	if (SPI_execute_with_args("UPDATE seedkit.flag f SET attname = a.attname "
							  "FROM pg_catalog.pg_attribute a "
							  "WHERE f.tbl = $1 AND f.relid_seen = f.tbl::oid "
							  "AND a.attrelid = f.tbl AND a.attnum = f.attnum "
							  "AND NOT a.attisdropped AND a.attname <> f.attname",
							  1, argtypes, args, NULL, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "could not update seedkit.flag");
	if (SPI_execute_with_args("DELETE FROM seedkit.flag f WHERE f.tbl = $1 AND NOT EXISTS ("
							  "SELECT 1 FROM pg_catalog.pg_attribute a "
							  "WHERE a.attrelid = f.tbl AND a.attnum > 0 AND NOT a.attisdropped "
							  "AND a.attnum = f.attnum AND f.relid_seen = f.tbl::oid)",
							  1, argtypes, args, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not delete from seedkit.flag");
}

PG_FUNCTION_INFO_V1(seedkit_flag);

/*
 * seedkit_flag
 *		seedkit_flag(tbl, col, strategy, options): flag a column for
 *		anonymisation (replacing an earlier flag).  Options are checked
 *		against the strategy and the column's type now; a strategy that
 *		takes a locale records the effective one.  Returns void.
 */
Datum
seedkit_flag(PG_FUNCTION_ARGS)
{
	Oid			relid;
	char	   *col;
	char	   *strategy;
	Jsonb	   *options;
	Oid			typid;
	int32		typmod;
	bool		notnull;
	AttrNumber	attnum;
	Oid			argtypes[6] = {OIDOID, OIDOID, INT2OID, NAMEOID, TEXTOID, JSONBOID};
	Datum		args[6];

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("table, column and strategy must not be null")));
	relid = PG_GETARG_OID(0);
	col = NameStr(*PG_GETARG_NAME(1));
	strategy = text_to_cstring(PG_GETARG_TEXT_PP(2));
	options = PG_ARGISNULL(3) ? NULL : PG_GETARG_JSONB_P(3);
	if (options == NULL)
		options = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum("{}")));

	sk_check_table(relid, true);
	sk_check_owner(relid, "flag columns of");
	attnum = sk_column(relid, col, &typid, &typmod, &notnull);
	sk_check_partition_key(relid, col);

	/* record the effective locale, so later runs do not depend on the setting */
	if (sk_strategy_takes(strategy, "locale"))
	{
		JsonbValue	k;

		k.type = jbvString;
		k.val.string.val = "locale";
		k.val.string.len = 6;
		if (JB_ROOT_IS_OBJECT(options) && !JB_ROOT_IS_SCALAR(options) &&
			findJsonbValueFromContainer(&options->root, JB_FOBJECT, &k) == NULL)
		{
			char	   *add = psprintf("{\"locale\": \"%s\"}", sk_locale_guc);

			options = DatumGetJsonbP(DirectFunctionCall2(jsonb_concat,
														 JsonbPGetDatum(options),
														 DirectFunctionCall1(jsonb_in, CStringGetDatum(add))));
		}
	}
	sk_fake_validate(strategy, options, typid, typmod, notnull, col);

	args[0] = ObjectIdGetDatum(relid);
	args[1] = ObjectIdGetDatum(relid);
	args[2] = Int16GetDatum(attnum);
	args[3] = DirectFunctionCall1(namein, CStringGetDatum(col));
	args[4] = CStringGetTextDatum(strategy);
	args[5] = JsonbPGetDatum(options);
	SPI_connect();
	sk_reanchor(relid);
	if (SPI_execute_with_args("DELETE FROM seedkit.flag WHERE tbl = $1 AND attnum = $3",
							  3, argtypes, args, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not delete from seedkit.flag");
	if (SPI_execute_with_args("INSERT INTO seedkit.flag (tbl, relid_seen, attnum, attname, strategy, options) "
							  "VALUES ($1, $2, $3, $4, $5, $6)",
							  6, argtypes, args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not insert into seedkit.flag");
	SPI_finish();
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(seedkit_unflag);

/*
 * seedkit_unflag
 *		seedkit_unflag(tbl, col): remove a column's flag; a NOTICE when it
 *		had none.  Returns void.
 */
Datum
seedkit_unflag(PG_FUNCTION_ARGS)
{
	Oid			relid;
	char	   *col;
	Oid			typid;
	int32		typmod;
	bool		notnull;
	AttrNumber	attnum;
	Oid			argtypes[2] = {OIDOID, INT2OID};
	Datum		args[2];

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("table and column must not be null")));
	relid = PG_GETARG_OID(0);
	col = NameStr(*PG_GETARG_NAME(1));
	sk_check_owner(relid, "unflag columns of");
	attnum = sk_column(relid, col, &typid, &typmod, &notnull);
	args[0] = ObjectIdGetDatum(relid);
	args[1] = Int16GetDatum(attnum);
	SPI_connect();
	sk_reanchor(relid);
	if (SPI_execute_with_args("DELETE FROM seedkit.flag WHERE tbl = $1 AND attnum = $2",
							  2, argtypes, args, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not delete from seedkit.flag");
	if (SPI_processed == 0)
		ereport(NOTICE,
				(errmsg("column \"%s\" of table \"%s\" is not flagged, skipping",
						col, get_rel_name(relid))));
	SPI_finish();
	PG_RETURN_VOID();
}

/* ---------------------------------------------------------------------
 * seedkit_anonymise
 * ---------------------------------------------------------------------
 */

/* One row's digests in the collision pre-pass. */
typedef struct SkEntry
{
	uint64		fake[2];
	uint64		orig[2];
	ItemPointerData tid;
} SkEntry;

/*
 * sk_datum_digest
 *		A 128-bit digest of a value's bytes (fixed key: it only compares
 *		fakes with each other).
 */
static void
sk_datum_digest(Datum d, int16 typlen, bool typbyval, uint64 out[2])
{
	static const SkKey zero = {0, 0};

	if (typlen == -1)
	{
		struct varlena *v = PG_DETOAST_DATUM_PACKED(d);

		sk_siphash128(&zero, VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), out);
	}
	else if (typbyval)
	{
		int64		x = (int64) d;

		sk_siphash128(&zero, &x, sizeof(x), out);
	}
	else if (typlen == -2)
		sk_siphash128(&zero, DatumGetCString(d), strlen(DatumGetCString(d)), out);
	else
		sk_siphash128(&zero, DatumGetPointer(d), typlen, out);
}

/*
 * sk_entry_cmp_fake / sk_entry_cmp_orig
 *		qsort orders for the pre-pass.
 */
static int
sk_digest_cmp(const uint64 *a, const uint64 *b)
{
	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	if (a[1] != b[1])
		return a[1] < b[1] ? -1 : 1;
	return 0;
}

static int
sk_entry_cmp_fake(const void *a, const void *b)
{
	return sk_digest_cmp(((const SkEntry *) a)->fake, ((const SkEntry *) b)->fake);
}

static int
sk_entry_cmp_orig(const void *a, const void *b)
{
	return sk_digest_cmp(((const SkEntry *) a)->orig, ((const SkEntry *) b)->orig);
}

/*
 * sk_new_digest_set
 *		A hash table keyed by 16-byte digests.
 */
static HTAB *
sk_new_digest_set(const char *name, Size entrysize)
{
	HASHCTL		ctl;

	ctl.keysize = 2 * sizeof(uint64);
	ctl.entrysize = entrysize;
	ctl.hcxt = CurrentMemoryContext;
	return hash_create(name, 1024, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

/*
 * sk_registry_xact
 *		Forget the rounds at the end of the transaction (their memory goes
 *		with TopTransactionContext).
 */
static void
sk_registry_xact(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
		event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT ||
		event == XACT_EVENT_PREPARE)
	{
		sk_registry = NULL;
		sk_registry_cxt = NULL;
		sk_rounds_generation++;
	}
}

/*
 * sk_rounds_for
 *		The collision rounds registered for key in this statement; when
 *		there are none, NULL, or a new empty table when create (and *created
 *		set, when not NULL).
 */
HTAB *
sk_rounds_for(const SkKey *key, bool create, bool *created)
{
	TimestampTz stmt = GetCurrentStatementStartTimestamp();
	SkRoundReg *r;
	MemoryContext old;
	HASHCTL		ctl;

	if (created)
		*created = false;
	if (sk_registry_cxt != NULL && sk_registry_stmt != stmt)
	{
		MemoryContextDelete(sk_registry_cxt);
		sk_registry_cxt = NULL;
		sk_registry = NULL;
		sk_rounds_generation++;
	}
	for (r = sk_registry; r != NULL; r = r->next)
		if (r->key.k0 == key->k0 && r->key.k1 == key->k1)
			return r->rounds;
	if (!create)
		return NULL;
	if (!sk_registry_callback)
	{
		RegisterXactCallback(sk_registry_xact, NULL);
		sk_registry_callback = true;
	}
	if (sk_registry_cxt == NULL)
	{
		sk_registry_cxt = AllocSetContextCreate(TopTransactionContext,
												"seedkit collision rounds",
												ALLOCSET_DEFAULT_SIZES);
		sk_registry_stmt = stmt;
	}
	old = MemoryContextSwitchTo(sk_registry_cxt);
	r = palloc(sizeof(SkRoundReg));
	r->key = *key;
	r->resolved = NIL;
	ctl.keysize = 2 * sizeof(uint64);
	ctl.entrysize = sizeof(SkRoundEntry);
	ctl.hcxt = sk_registry_cxt;
	r->rounds = hash_create("seedkit rounds", 256, &ctl,
							HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	r->next = sk_registry;
	sk_registry = r;
	sk_rounds_generation++;
	MemoryContextSwitchTo(old);
	if (created)
		*created = true;
	return r->rounds;
}

/*
 * sk_rounds_forget
 *		Drop the rounds of this statement (after an in-place run, whose
 *		tables now hold fakes the rounds no longer describe).
 */
static void
sk_rounds_forget(void)
{
	if (sk_registry_cxt != NULL)
		MemoryContextDelete(sk_registry_cxt);
	sk_registry_cxt = NULL;
	sk_registry = NULL;
	sk_rounds_generation++;
}

/*
 * sk_rounds_first_time
 *		True the first time in this statement that column attnum of relid
 *		asks for the rounds of key (registered by sk_rounds_for).
 */
static bool
sk_rounds_first_time(const SkKey *key, Oid relid, AttrNumber attnum)
{
	SkRoundReg *r;
	char	   *id = psprintf("%u/%d", relid, attnum);
	ListCell   *lc;
	MemoryContext old;

	for (r = sk_registry; r != NULL; r = r->next)
		if (r->key.k0 == key->k0 && r->key.k1 == key->k1)
			break;
	if (r == NULL)
		return true;
	foreach(lc, r->resolved)
		if (strcmp((char *) lfirst(lc), id) == 0)
			return false;
	old = MemoryContextSwitchTo(sk_registry_cxt);
	r->resolved = lappend(r->resolved, pstrdup(id));
	MemoryContextSwitchTo(old);
	return true;
}

/*
 * sk_resolve_collisions
 *		For a column under a unique index: find the originals whose fakes
 *		collide and give all but one of each group another round, chosen
 *		deterministically (groups and members in digest order, the first
 *		round whose fake is free).  Rounds go into the column's map.
 */
static void
sk_resolve_collisions(Relation rel, SkCol *col, HTAB *rounds)
{
	Snapshot	snap = RegisterSnapshot(ActiveSnapshotSet() ? GetActiveSnapshot() :
										GetLatestSnapshot());
	TableScanDesc scan = table_beginscan(rel, snap, 0, NULL);
	TupleTableSlot *slot = table_slot_create(rel, NULL);
	Form_pg_attribute att = TupleDescAttr(RelationGetDescr(rel), col->attnum - 1);
	MemoryContext rowcxt = AllocSetContextCreate(CurrentMemoryContext,
												 "seedkit collision row",
												 ALLOCSET_DEFAULT_SIZES);
	MemoryContext old;
	Size		cap = 1024;
	Size		n = 0;
	Size		i;
	SkEntry    *e = palloc(sizeof(SkEntry) * cap);
	HTAB	   *used = sk_new_digest_set("seedkit used fakes", 2 * sizeof(uint64));

	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		bool		isnull;
		Datum		v;
		Datum		fake;

		CHECK_FOR_INTERRUPTS();
		v = slot_getattr(slot, col->attnum, &isnull);
		if (isnull)
			continue;
		if (n == cap)
		{
			cap *= 2;
			e = repalloc_huge(e, sizeof(SkEntry) * cap);
		}
		old = MemoryContextSwitchTo(rowcxt);
		fake = sk_fake_apply(col->st, v, &isnull, 0);
		if (!isnull)
			sk_datum_digest(fake, att->attlen, att->attbyval, e[n].fake);
		else
			e[n].fake[0] = e[n].fake[1] = 0;
		sk_fake_last_digest(col->st, e[n].orig);
		e[n].tid = slot->tts_tid;
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
		n++;
	}
	table_endscan(scan);

	qsort(e, n, sizeof(SkEntry), sk_entry_cmp_fake);
	for (i = 0; i < n;)
	{
		Size		j = i + 1;
		Size		k;

		while (j < n && sk_digest_cmp(e[j].fake, e[i].fake) == 0)
			j++;
		if (j - i > 1)
		{
			SkEntry    *group = palloc(sizeof(SkEntry) * (j - i));
			Size		ng = 0;

			memcpy(group, e + i, sizeof(SkEntry) * (j - i));
			qsort(group, j - i, sizeof(SkEntry), sk_entry_cmp_orig);
			/* one member per original: rows of the same original share its fake */
			for (k = 0; k < j - i; k++)
				if (ng == 0 || sk_digest_cmp(group[k].orig, group[ng - 1].orig) != 0)
					group[ng++] = group[k];
			/* a value already given a round (another table) keeps its fake */
			for (k = 1; k < ng; k++)
				if (hash_search(rounds, group[k].orig, HASH_FIND, NULL) != NULL)
				{
					SkEntry		tmp = group[0];

					group[0] = group[k];
					group[k] = tmp;
					break;
				}
			for (k = 1; k < ng; k++)
			{
				uint32		round;
				bool		isnull;
				Datum		v;
				bool		found;

				if (hash_search(rounds, group[k].orig, HASH_FIND, NULL) != NULL)
					ereport(ERROR,
							(errcode(ERRCODE_UNIQUE_VIOLATION),
							 errmsg("could not make the fakes of column \"%s\" of table \"%s\" unique",
									col->attname, RelationGetRelationName(rel)),
							 errdetail("Two values already given other candidates in another table collide again."),
							 errhint("Anonymise the tables in separate calls, or use a strategy with more possible values.")));
				if (!table_tuple_fetch_row_version(rel, &group[k].tid, snap, slot))
					elog(ERROR, "could not fetch a row of table \"%s\"", RelationGetRelationName(rel));
				v = slot_getattr(slot, col->attnum, &isnull);
				for (round = 1;; round++)
				{
					Datum		fake;
					SkEntry		probe;
					SkRoundEntry *re;

					CHECK_FOR_INTERRUPTS();
					if (round > 10000)
						ereport(ERROR,
								(errcode(ERRCODE_UNIQUE_VIOLATION),
								 errmsg("could not find a unique fake for a value of column \"%s\" of table \"%s\"",
										col->attname, RelationGetRelationName(rel)),
								 errdetail("Strategy \"%s\" gave only used values in 10000 candidates.",
										   sk_fake_strategy(col->st)),
								 errhint("Use a strategy with more possible values for a unique column, such as \"hash\" or \"email\".")));
					old = MemoryContextSwitchTo(rowcxt);
					isnull = false;
					fake = sk_fake_apply(col->st, v, &isnull, round);
					sk_datum_digest(fake, att->attlen, att->attbyval, probe.fake);
					MemoryContextSwitchTo(old);
					MemoryContextReset(rowcxt);
					if (bsearch(&probe, e, n, sizeof(SkEntry), sk_entry_cmp_fake) != NULL)
						continue;
					hash_search(used, probe.fake, HASH_ENTER, &found);
					if (found)
						continue;
					re = hash_search(rounds, group[k].orig, HASH_ENTER, NULL);
					re->round = round;
					break;
				}
			}
			pfree(group);
		}
		i = j;
	}
	ExecDropSingleTupleTableSlot(slot);
	UnregisterSnapshot(snap);
	hash_destroy(used);
	pfree(e);
	MemoryContextDelete(rowcxt);
}

/* A CHECK constraint or generated column to evaluate per row. */
typedef struct SkRowExpr
{
	char	   *name;
	AttrNumber	attnum;			/* generated column, or 0 for a CHECK */
	ExprState  *state;
} SkRowExpr;

/*
 * sk_uses_cols
 *		Whether expr references one of the flagged columns.
 */
static bool
sk_uses_cols(Node *expr, SkTable *t)
{
	Bitmapset  *attrs = NULL;
	int			i;

	pull_varattnos(expr, 1, &attrs);
	for (i = 0; i < t->ncols; i++)
		if (bms_is_member(t->cols[i].attnum - FirstLowInvalidHeapAttributeNumber, attrs))
			return true;
	return false;
}

/*
 * sk_row_exprs
 *		The stored generated columns and CHECK constraints that depend on
 *		flagged columns, prepared for evaluation against the new row.
 */
static List *
sk_row_exprs(Relation rel, SkTable *t, EState *estate)
{
	TupleDesc	desc = RelationGetDescr(rel);
	List	   *result = NIL;
	int			i;

	if (desc->constr == NULL)
		return NIL;
	if (desc->constr->has_generated_stored)
	{
		for (i = 0; i < desc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, i);
			Node	   *expr;
			SkRowExpr  *r;

			if (att->attisdropped || att->attgenerated != ATTRIBUTE_GENERATED_STORED)
				continue;
			expr = build_column_default(rel, att->attnum);
			if (expr == NULL || !sk_uses_cols(expr, t))
				continue;
			r = palloc(sizeof(SkRowExpr));
			r->name = pstrdup(NameStr(att->attname));
			r->attnum = att->attnum;
			r->state = ExecPrepareExpr((Expr *) expr, estate);
			result = lappend(result, r);
		}
	}
	for (i = 0; i < desc->constr->num_check; i++)
	{
		ConstrCheck *cc = &desc->constr->check[i];
		Node	   *expr;
		SkRowExpr  *r;

		if (!cc->ccvalid)
			continue;
		expr = stringToNode(cc->ccbin);
		if (!sk_uses_cols(expr, t))
			continue;
		r = palloc(sizeof(SkRowExpr));
		r->name = pstrdup(cc->ccname);
		r->attnum = 0;
		r->state = ExecPrepareExpr((Expr *) expr, estate);
		result = lappend(result, r);
	}
	return result;
}

/*
 * sk_remove_ext_statistics
 *		Remove the data of extended statistics (CREATE STATISTICS) on a
 *		flagged column or on expressions of the table: their MCV lists hold
 *		original values.  ANALYZE computes them again.
 */
static void
sk_remove_ext_statistics(SkTable *t)
{
	Oid			argtypes[2] = {OIDOID, INT2ARRAYOID};
	Datum		args[2];
	Datum	   *atts = palloc(sizeof(Datum) * Max(t->ncols, 1));
	List	   *stats = NIL;
	ListCell   *lc;
	uint64		i;
	int			k;

	for (k = 0; k < t->ncols; k++)
		atts[k] = Int16GetDatum(t->cols[k].attnum);
	args[0] = ObjectIdGetDatum(t->relid);
	args[1] = PointerGetDatum(construct_array(atts, t->ncols, INT2OID, sizeof(int16),
											  true, TYPALIGN_SHORT));
	if (SPI_execute_with_args("SELECT s.oid FROM pg_catalog.pg_statistic_ext s "
							  "WHERE s.stxrelid = $1 AND (s.stxexprs IS NOT NULL "
							  "OR s.stxkeys::pg_catalog.int2[] OPERATOR(pg_catalog.&&) $2)",
							  2, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read extended statistics");
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;

		stats = lappend_oid(stats, DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i],
																  SPI_tuptable->tupdesc, 1, &isnull)));
	}
	foreach(lc, stats)
	{
		RemoveStatisticsDataById(lfirst_oid(lc), false);
		RemoveStatisticsDataById(lfirst_oid(lc), true);
	}
}

/*
 * sk_rewrite
 *		Copy the table's live rows into a new heap, replacing the flagged
 *		columns by their fakes (none when t->ncols is 0), recomputing
 *		dependent generated columns and checking dependent CHECK
 *		constraints; then swap the new heap in and rebuild the indexes.
 *		Returns the number of rows.
 */
static int64
sk_rewrite(Relation rel, SkTable *t, instr_time start)
{
	Oid			relid = RelationGetRelid(rel);
	char		persistence = rel->rd_rel->relpersistence;
	TupleDesc	desc = RelationGetDescr(rel);
	Oid			newrelid;
	Relation	newrel;
	TupleTableSlot *oldslot;
	TupleTableSlot *newslot;
	Snapshot	snap;
	TableScanDesc scan;
	BulkInsertState bistate;
	CommandId	cid = GetCurrentCommandId(true);
	EState	   *estate = CreateExecutorState();
	ExprContext *econtext = GetPerTupleExprContext(estate);
	List	   *rowexprs;
	ListCell   *lc;
	int64		rows = 0;
	int			natts = desc->natts;
	int			i;

	rowexprs = t->copy_only ? NIL : sk_row_exprs(rel, t, estate);
	newrelid = make_new_heap(relid, rel->rd_rel->reltablespace, rel->rd_rel->relam,
							 persistence, AccessExclusiveLock);
	newrel = table_open(newrelid, NoLock);
	oldslot = table_slot_create(rel, NULL);
	newslot = MakeSingleTupleTableSlot(desc, &TTSOpsVirtual);
	snap = RegisterSnapshot(GetLatestSnapshot());
	scan = table_beginscan(rel, snap, 0, NULL);
	bistate = GetBulkInsertState();

	while (table_scan_getnextslot(scan, ForwardScanDirection, oldslot))
	{
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		ResetExprContext(econtext);
		old = MemoryContextSwitchTo(econtext->ecxt_per_tuple_memory);
		slot_getallattrs(oldslot);
		ExecClearTuple(newslot);
		memcpy(newslot->tts_values, oldslot->tts_values, sizeof(Datum) * natts);
		memcpy(newslot->tts_isnull, oldslot->tts_isnull, sizeof(bool) * natts);
		for (i = 0; i < natts; i++)
			if (TupleDescAttr(desc, i)->attisdropped)
				newslot->tts_isnull[i] = true;
		for (i = 0; i < t->ncols && !t->copy_only; i++)
		{
			int			a = t->cols[i].attnum - 1;

			if (newslot->tts_isnull[a])
				continue;
			newslot->tts_values[a] = sk_fake_apply(t->cols[i].st, newslot->tts_values[a],
												   &newslot->tts_isnull[a], 0);
		}
		ExecStoreVirtualTuple(newslot);
		if (rowexprs != NIL)
		{
			econtext->ecxt_scantuple = newslot;
			foreach(lc, rowexprs)
			{
				SkRowExpr  *r = (SkRowExpr *) lfirst(lc);

				if (r->attnum > 0)
					newslot->tts_values[r->attnum - 1] =
						ExecEvalExpr(r->state, econtext, &newslot->tts_isnull[r->attnum - 1]);
			}
			foreach(lc, rowexprs)
			{
				SkRowExpr  *r = (SkRowExpr *) lfirst(lc);

				if (r->attnum == 0 && !ExecCheck(r->state, econtext))
					ereport(ERROR,
							(errcode(ERRCODE_CHECK_VIOLATION),
							 errmsg("anonymised values of table \"%s\" violate check constraint \"%s\"",
									t->name, r->name),
							 errdetail("A fake of a flagged column does not satisfy the constraint."),
							 errhint("Flag the column with a strategy or options whose fakes satisfy constraint \"%s\", or unflag it.",
									 r->name)));
			}
		}
		table_tuple_insert(newrel, newslot, cid, TABLE_INSERT_SKIP_FSM, bistate);
		MemoryContextSwitchTo(old);
		rows++;
		if (sk_progress && rows % 1000000 == 0)
		{
			instr_time	now;

			INSTR_TIME_SET_CURRENT(now);
			INSTR_TIME_SUBTRACT(now, start);
			ereport(NOTICE,
					(errmsg("anonymising table %s: %lld rows so far, %.1f s",
							t->name, (long long) rows, INSTR_TIME_GET_DOUBLE(now))));
		}
	}
	table_endscan(scan);
	UnregisterSnapshot(snap);
	ExecDropSingleTupleTableSlot(oldslot);
	ExecDropSingleTupleTableSlot(newslot);
	FreeBulkInsertState(bistate);
	table_finish_bulk_insert(newrel, TABLE_INSERT_SKIP_FSM);
	FreeExecutorState(estate);
	table_close(newrel, NoLock);

	finish_heap_swap(relid, newrelid, false, false, true, true,
					 RecentXmin, ReadNextMultiXactId(), persistence);

	/* the planner's statistics hold samples of the original values */
	for (i = 0; i < t->ncols; i++)
		RemoveStatistics(relid, t->cols[i].attnum);
	sk_remove_ext_statistics(t);
	return rows;
}

/*
 * sk_unique_col
 *		Whether attnum is a key column of a unique index of rel.  Such a
 *		column gets distinct fakes for distinct originals, which keeps every
 *		unique index over it unique.
 */
static bool
sk_unique_col(Relation rel, AttrNumber attnum)
{
	List	   *indexes = RelationGetIndexList(rel);
	ListCell   *lc;
	bool		result = false;

	foreach(lc, indexes)
	{
		HeapTuple	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(lfirst_oid(lc)));
		Form_pg_index ix;

		if (!HeapTupleIsValid(tup))
			continue;
		ix = (Form_pg_index) GETSTRUCT(tup);
		if (ix->indisunique)
		{
			int			i;

			for (i = 0; i < ix->indnkeyatts; i++)
				if (ix->indkey.values[i] == attnum)
					result = true;
		}
		ReleaseSysCache(tup);
	}
	list_free(indexes);
	return result;
}

/*
 * sk_check_foreign_keys
 *		Both sides of a foreign key must map alike: when one side of a key
 *		column pair is flagged, the other must be flagged with the same
 *		strategy and options and be anonymised in the same call.
 */
static void
sk_check_foreign_keys(Datum relids)
{
	Oid			argtypes[1] = {OIDARRAYOID};
	Datum		args[1];

	args[0] = relids;
	if (SPI_execute_with_args(
							  "WITH fl AS ("
							  " SELECT f.\"table\"::oid AS tbl, a.attnum, f.strategy, f.options"
							  " FROM seedkit.flags f JOIN pg_catalog.pg_attribute a"
							  " ON a.attrelid = f.\"table\" AND a.attname = f.\"column\"),"
							  " fk AS ("
							  " SELECT c.conname, c.conrelid, k.a, c.confrelid, k.b"
							  " FROM pg_catalog.pg_constraint c,"
							  " LATERAL unnest(c.conkey, c.confkey) AS k(a, b)"
							  " WHERE c.contype = 'f' AND c.conparentid = 0"
							  " AND (c.conrelid = ANY ($1) OR c.confrelid = ANY ($1)))"
							  " SELECT fk.conname::text, fk.conrelid::regclass::text,"
							  " pg_catalog.quote_ident(ca.attname), fk.confrelid::regclass::text,"
							  " pg_catalog.quote_ident(pa.attname)"
							  " FROM fk"
							  " LEFT JOIN fl c1 ON c1.tbl = fk.conrelid AND c1.attnum = fk.a"
							  " LEFT JOIN fl c2 ON c2.tbl = fk.confrelid AND c2.attnum = fk.b"
							  " JOIN pg_catalog.pg_attribute ca ON ca.attrelid = fk.conrelid AND ca.attnum = fk.a"
							  " JOIN pg_catalog.pg_attribute pa ON pa.attrelid = fk.confrelid AND pa.attnum = fk.b"
							  " WHERE (c1.strategy IS NOT NULL OR c2.strategy IS NOT NULL)"
							  " AND (c1.strategy IS DISTINCT FROM c2.strategy"
							  "  OR c1.options IS DISTINCT FROM c2.options"
							  "  OR NOT (fk.conrelid = ANY ($1) AND fk.confrelid = ANY ($1)))"
							  " ORDER BY 1, 2 LIMIT 1",
							  1, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read foreign keys");
	if (SPI_processed > 0)
	{
		HeapTuple	tup = SPI_tuptable->vals[0];
		TupleDesc	desc = SPI_tuptable->tupdesc;

		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("foreign key \"%s\" would not match after anonymisation",
						SPI_getvalue(tup, desc, 1)),
				 errdetail("Column %s of table %s references column %s of table %s, and the two are not flagged alike or not anonymised together.",
						   SPI_getvalue(tup, desc, 3), SPI_getvalue(tup, desc, 2),
						   SPI_getvalue(tup, desc, 5), SPI_getvalue(tup, desc, 4)),
				 errhint("Flag both columns with the same strategy and options, and anonymise both tables in one call.")));
	}
}

/*
 * sk_update_with_triggers
 *		triggers => true: replace the flagged columns with an UPDATE, so
 *		that user triggers fire (unique collisions are not resolved here).
 */
static void
sk_update_with_triggers(SkTable *t, List *flags)
{
	StringInfoData sql;
	ListCell   *lc;
	bool		first = true;

	initStringInfo(&sql);
	appendStringInfo(&sql, "UPDATE %s SET ", t->name);
	foreach(lc, flags)
	{
		SkFlag	   *f = (SkFlag *) lfirst(lc);
		const char *col = quote_identifier(f->attname);

		appendStringInfo(&sql, "%s%s = %s", first ? "" : ", ", col,
						 sk_anon_expr(t->relid, f->attnum, col));
		first = false;
	}
	if (SPI_execute(sql.data, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "could not update table %s", t->name);
	pfree(sql.data);
}

/*
 * sk_name_cmp
 *		Order tables by qualified name.
 */
static int
sk_name_cmp(const ListCell *a, const ListCell *b)
{
	return strcmp(((SkTable *) lfirst(a))->name, ((SkTable *) lfirst(b))->name);
}

PG_FUNCTION_INFO_V1(seedkit_anonymise);

/*
 * seedkit_anonymise
 *		seedkit_anonymise(tables regclass[], triggers boolean): replace
 *		every flagged column of the tables (NULL: every table with flags)
 *		in place, one table rewrite each.  Returns a row per table:
 *		table_name, columns, rows.
 */
Datum
seedkit_anonymise(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	bool		triggers = PG_NARGS() > 1 && !PG_ARGISNULL(1) && PG_GETARG_BOOL(1);
	MemoryContext runcxt;
	MemoryContext old;
	List	   *tables = NIL;
	ListCell   *lc;
	Datum	   *oids;
	int			ntables;
	int			k;
	ArrayType  *oidarr;

	InitMaterializedSRF(fcinfo, 0);
	runcxt = AllocSetContextCreate(CurrentMemoryContext, "seedkit_anonymise",
								   ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(runcxt);

	SPI_connect();
	/* the tables */
	{
		List	   *relids = NIL;
		List	   *leaves = NIL;

		if (PG_ARGISNULL(0))
		{
			uint64		i;

			if (SPI_execute("SELECT DISTINCT \"table\"::oid FROM seedkit.flags", true, 0) != SPI_OK_SELECT)
				elog(ERROR, "could not read seedkit.flags");
			for (i = 0; i < SPI_processed; i++)
			{
				bool		isnull;

				relids = lappend_oid(relids,
									 DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i],
																	SPI_tuptable->tupdesc, 1, &isnull)));
			}
		}
		else
		{
			ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
			Datum	   *elems;
			bool	   *nulls;
			int			n;
			int			i;

			deconstruct_array(arr, REGCLASSOID, sizeof(Oid), true, TYPALIGN_INT,
							  &elems, &nulls, &n);
			for (i = 0; i < n; i++)
				if (!nulls[i])
					relids = list_append_unique_oid(relids, DatumGetObjectId(elems[i]));
		}
		/* a partitioned table stands for its leaf partitions */
		foreach(lc, relids)
		{
			Oid			relid = lfirst_oid(lc);

			sk_check_table(relid, false);
			if (get_rel_relkind(relid) == RELKIND_PARTITIONED_TABLE)
			{
				ListCell   *pc;

				sk_check_owner(relid, "anonymise");
				foreach(pc, find_all_inheritors(relid, AccessExclusiveLock, NULL))
					if (get_rel_relkind(lfirst_oid(pc)) == RELKIND_RELATION)
						leaves = list_append_unique_oid(leaves, lfirst_oid(pc));
			}
			else
				leaves = list_append_unique_oid(leaves, relid);
		}
		foreach(lc, leaves)
		{
			SkTable    *t = palloc0(sizeof(SkTable));

			t->relid = lfirst_oid(lc);
			t->name = sk_qualified_name(t->relid);
			tables = lappend(tables, t);
		}
		list_sort(tables, sk_name_cmp);
	}

	/* lock, check, prepare */
	ntables = list_length(tables);
	oids = palloc(sizeof(Datum) * Max(ntables * 8, 1));
	k = 0;
	foreach(lc, tables)
	{
		SkTable    *t = (SkTable *) lfirst(lc);
		Relation	rel;
		List	   *flags;
		ListCell   *fc;
		int			i = 0;

		sk_check_owner(t->relid, "anonymise");
		rel = table_open(t->relid, AccessExclusiveLock);
		CheckTableNotInUse(rel, "seedkit_anonymise");
		if (RELATION_IS_OTHER_TEMP(rel))
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot anonymise temporary tables of other sessions")));
		if (get_rel_relispartition(t->relid))
		{
			/* flags live on the root; its ancestors join the foreign key check */
			List	   *anc = get_partition_ancestors(t->relid);
			ListCell   *ac;

			sk_reanchor(llast_oid(anc));
			foreach(ac, anc)
			{
				if (k >= ntables * 8)
					oids = repalloc(oids, sizeof(Datum) * (k + 8));
				oids[k++] = ObjectIdGetDatum(lfirst_oid(ac));
			}
		}
		else
			sk_reanchor(t->relid);
		flags = sk_flags_of(t->relid);
		t->ncols = list_length(flags);
		t->cols = palloc0(sizeof(SkCol) * Max(t->ncols, 1));
		foreach(fc, flags)
		{
			SkFlag	   *f = (SkFlag *) lfirst(fc);
			Form_pg_attribute att = TupleDescAttr(RelationGetDescr(rel), f->attnum - 1);
			SkCol	   *c = &t->cols[i++];

			c->attnum = f->attnum;
			c->attname = f->attname;
			c->notnull = att->attnotnull;
			c->st = sk_fake_prepare(f->strategy, f->options, att->atttypid, att->atttypmod,
									att->attnotnull, f->attname, runcxt);
			c->unique = sk_unique_col(rel, f->attnum);
			if (get_rel_relispartition(t->relid))
				sk_check_partition_key(llast_oid(get_partition_ancestors(t->relid)),
									   f->attname);
		}
		t->flags = flags;
		table_close(rel, NoLock);
		if (k >= ntables * 8)
			oids = repalloc(oids, sizeof(Datum) * (k + 8));
		oids[k++] = ObjectIdGetDatum(t->relid);
	}
	oidarr = construct_array(oids, k, OIDOID, sizeof(Oid), true, TYPALIGN_INT);
	sk_check_foreign_keys(PointerGetDatum(oidarr));

	/*
	 * Collision rounds of unique columns first (all of them, so that a
	 * referencing column of another table follows), then every column with
	 * the same key uses them.
	 */
	if (!triggers)
	{
		foreach(lc, tables)
		{
			SkTable    *t = (SkTable *) lfirst(lc);
			int			i;

			for (i = 0; i < t->ncols; i++)
			{
				HTAB	   *rounds;
				Relation	rel;

				if (!t->cols[i].unique)
					continue;
				rounds = sk_rounds_for(sk_fake_key(t->cols[i].st), true, NULL);
				sk_fake_set_rounds(t->cols[i].st, rounds);
				rel = table_open(t->relid, NoLock);
				sk_resolve_collisions(rel, &t->cols[i], rounds);
				table_close(rel, NoLock);
			}
		}
		foreach(lc, tables)
		{
			SkTable    *t = (SkTable *) lfirst(lc);
			int			i;

			for (i = 0; i < t->ncols; i++)
				sk_fake_set_rounds(t->cols[i].st,
								   sk_rounds_for(sk_fake_key(t->cols[i].st), false, NULL));
		}
	}

	/* rewrite */
	foreach(lc, tables)
	{
		SkTable    *t = (SkTable *) lfirst(lc);
		Relation	rel;
		instr_time	start;
		instr_time	now;
		int64		rows;
		Datum		values[3];
		bool		nulls[3] = {false, false, false};
		int			ncols = t->ncols;

		if (ncols == 0)
		{
			/* nothing flagged: no rewrite */
			values[0] = ObjectIdGetDatum(t->relid);
			values[1] = Int32GetDatum(0);
			nulls[2] = true;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
			continue;
		}
		INSTR_TIME_SET_CURRENT(start);
		if (triggers)
		{
			sk_update_with_triggers(t, t->flags);
			t->copy_only = true;	/* the rewrite below only copies */
		}
		rel = table_open(t->relid, NoLock);
		rows = sk_rewrite(rel, t, start);
		table_close(rel, NoLock);
		INSTR_TIME_SET_CURRENT(now);
		INSTR_TIME_SUBTRACT(now, start);
		if (sk_progress)
			ereport(NOTICE,
					(errmsg("anonymised table %s: %d columns, %lld rows in %.1f s",
							t->name, ncols, (long long) rows, INSTR_TIME_GET_DOUBLE(now))));
		values[0] = ObjectIdGetDatum(t->relid);
		values[1] = Int32GetDatum(ncols);
		values[2] = Int64GetDatum(rows);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	SPI_finish();
	sk_rounds_forget();
	MemoryContextSwitchTo(old);
	MemoryContextDelete(runcxt);
	return (Datum) 0;
}

/*
 * sk_column_rounds
 *		Resolve the collisions of column attnum of relid (flagged with
 *		strategy and options) into this statement's rounds, once, when a
 *		unique index has it as its only key.
 */
static void
sk_column_rounds(Oid relid, AttrNumber attnum, const char *strategy, Jsonb *options)
{
	Relation	rel = table_open(relid, AccessShareLock);

	if (sk_unique_col(rel, attnum))
	{
		Form_pg_attribute att = TupleDescAttr(RelationGetDescr(rel), attnum - 1);
		SkCol		col;
		HTAB	   *rounds;

		memset(&col, 0, sizeof(col));
		col.attnum = attnum;
		col.attname = pstrdup(NameStr(att->attname));
		col.st = sk_fake_prepare(strategy, options, att->atttypid, att->atttypmod,
								 false, col.attname, CurrentMemoryContext);
		rounds = sk_rounds_for(sk_fake_key(col.st), true, NULL);
		if (sk_rounds_first_time(sk_fake_key(col.st), relid, attnum))
		{
			sk_fake_set_rounds(col.st, rounds);
			sk_resolve_collisions(rel, &col, rounds);
		}
	}
	table_close(rel, AccessShareLock);
}

/*
 * sk_snapshot_rounds
 *		Before a snapshot reads a flagged column: the collision rounds of
 *		the column if it is unique, and of the column it references through
 *		a single-column foreign key when that one is flagged alike.
 */
static void
sk_snapshot_rounds(Oid relid, AttrNumber attnum, const char *strategy, Jsonb *options)
{
	Oid			argtypes[2] = {OIDOID, INT2OID};
	Datum		args[2];
	char	   *opts = sk_options_text(options);
	List	   *parents = NIL;
	ListCell   *lc;
	uint64		i;

	sk_column_rounds(relid, attnum, strategy, options);

	args[0] = ObjectIdGetDatum(relid);
	args[1] = Int16GetDatum(attnum);
	SPI_connect();
	if (SPI_execute_with_args("SELECT c.confrelid, c.confkey[1] FROM pg_catalog.pg_constraint c "
							  "WHERE c.contype = 'f' AND c.conrelid = $1 "
							  "AND c.conkey = ARRAY[$2]::pg_catalog.int2[]",
							  2, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read foreign keys");
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		Oid			parent = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i],
															SPI_tuptable->tupdesc, 1, &isnull));
		int16		patt = DatumGetInt16(SPI_getbinval(SPI_tuptable->vals[i],
													   SPI_tuptable->tupdesc, 2, &isnull));

		parents = lappend(parents, psprintf("%u/%d", parent, patt));
	}
	SPI_finish();
	foreach(lc, parents)
	{
		Oid			parent;
		int			patt;
		List	   *flags;
		ListCell   *fc;

		if (sscanf((char *) lfirst(lc), "%u/%d", &parent, &patt) != 2)
			continue;
		flags = sk_flags_of(parent);
		foreach(fc, flags)
		{
			SkFlag	   *pf = (SkFlag *) lfirst(fc);

			if (pf->attnum == patt && strcmp(pf->strategy, strategy) == 0 &&
				strcmp(sk_options_text(pf->options), opts) == 0)
				sk_column_rounds(parent, patt, strategy, options);
		}
	}
}
