/*-------------------------------------------------------------------------
 *
 * rewrite.h
 *	  The tables of a seedkit_anonymise run and the rewrite of one
 *	  (rewrite.c).
 *
 * src/anon/rewrite.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_ANON_REWRITE_H
#define SEEDKIT_ANON_REWRITE_H

#include "postgres.h"

#include "access/attnum.h"
#include "nodes/pg_list.h"
#include "utils/relcache.h"
#include "utils/snapshot.h"

#include "anon/fake.h"
#include "core/core.h"

/* A flagged column being anonymised in place. */
typedef struct SkAnonCol
{
	AttrNumber	attnum;
	char	   *attname;
	SkFakeState *st;
	bool		unique;			/* a key column of a unique index */
	bool		notnull;
	List	   *nested;			/* SkNested per json path or array; st NULL */
	bool		person;			/* a person field: st draws from the input below */
	AttrNumber	person_id;		/* the person's identity column */
	AttrNumber	person_gender;	/* its gender column, or 0 */
	Oid			gender_out;		/* the gender column's output function */
	bool		id_bpchar;		/* the identity is char(n): trailing spaces go */
	bool		own_bpchar;		/* the field itself is char(n) */
	struct SkFakeMemo *memo;	/* fakes of its collision pass, or NULL */
} SkAnonCol;

/* A table of a seedkit_anonymise run. */
typedef struct SkAnonTable
{
	Oid			relid;
	char	   *name;
	int			ncols;
	SkAnonCol  *cols;
	List	   *flags;			/* SkFlag, in cols' order */
	bool		copy_only;		/* values already replaced (triggers => true) */
} SkAnonTable;

extern int64 sk_rewrite(Relation rel, SkAnonTable *t, Snapshot snap,
						SkProgress *progress);
extern void sk_update_with_triggers(SkAnonTable *t, List *flags);
extern Datum sk_person_row_input(void *arg, TupleTableSlot *slot);

#endif							/* SEEDKIT_ANON_REWRITE_H */
