/*-------------------------------------------------------------------------
 *
 * flags.h
 *	  Which flag applies to a column, and the checks shared by
 *	  seedkit_flag and seedkit_anonymise (flags.c).
 *
 * src/anon/flags.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_ANON_FLAGS_H
#define SEEDKIT_ANON_FLAGS_H

#include "postgres.h"

#include "access/attnum.h"
#include "nodes/pg_list.h"
#include "utils/jsonb.h"

/* One flag: a column, its strategy and options. */
typedef struct SkFlag
{
	AttrNumber	attnum;
	char	   *attname;
	char	   *strategy;
	Jsonb	   *options;
	/* json paths: one SkFlag per path (strategy "paths"), else NIL */
	List	   *paths;
	/* a person field: the row's identity and gender columns (0: none) */
	bool		person;
	AttrNumber	person_id;
	AttrNumber	person_gender;
} SkFlag;

extern SkFlag *sk_flag_applying(Oid relid, AttrNumber attnum);
extern List *sk_effective_flags(Oid relid);
extern bool sk_flag_nested(Oid relid, SkFlag *f);
extern List *sk_referencing_closure(List *relids);
extern void sk_check_foreign_keys(List *run);
extern void sk_check_owner(Oid relid, const char *what);
extern void sk_check_table(Oid relid, bool flagging);
extern void sk_check_partition_key(Oid root, const char *attname);
extern void sk_reanchor(Oid relid);

#endif							/* SEEDKIT_ANON_FLAGS_H */
