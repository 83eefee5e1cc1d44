/*-------------------------------------------------------------------------
 *
 * seedkit.h
 *	  Declarations shared between seedkit's source files.
 *
 * src/seedkit.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_H
#define SEEDKIT_H

#include "postgres.h"

#include "access/attnum.h"
#include "lib/stringinfo.h"
#include "nodes/pg_list.h"

/* Format identifier written into and required from every document. */
#define SK_FORMAT "seedkit/1"

/* GUCs (seedkit.c) */
extern bool sk_progress;

/* util.c */
extern int	sk_pin_settings(void);
extern void sk_unpin_settings(int nestlevel);
extern char *sk_qualified_name(Oid relid);
extern char *sk_ext_schema(void);
extern const char *sk_quote_col(Oid relid, AttrNumber attnum);
extern bool sk_caller_may_set_replication_role(void);

/*
 * anonymise.c: the SQL expression that replaces column attnum of relid in a
 * snapshot when it is flagged, with valexpr standing for the original value;
 * NULL when the column is not flagged.
 */
extern char *sk_anon_expr(Oid relid, AttrNumber attnum, const char *valexpr);
extern void sk_anonymise_define_gucs(void);

#endif							/* SEEDKIT_H */
