/*-------------------------------------------------------------------------
 *
 * anonymise.c
 *	  Flagged personal-data columns: how a snapshot replaces them.
 *
 * src/anonymise.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "seedkit.h"

/*
 * sk_anon_expr
 *		No column is flagged until flags exist (see issue 4); returns NULL.
 */
char *
sk_anon_expr(Oid relid, AttrNumber attnum, const char *valexpr)
{
	return NULL;
}

/*
 * sk_anonymise_define_gucs
 *		Define the anonymisation settings (none yet).
 */
void
sk_anonymise_define_gucs(void)
{
}
