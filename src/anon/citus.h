/*-------------------------------------------------------------------------
 *
 * citus.h
 *	  seedkit_anonymise of Citus tables (citus.c), for anonymise.c.
 *
 * src/anon/citus.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_ANON_CITUS_H
#define SEEDKIT_ANON_CITUS_H

#include "postgres.h"

#include "funcapi.h"
#include "nodes/pg_list.h"

extern List *sk_anon_citus_split(List *leaves, List **citus);
extern void sk_anon_citus(List *citus, ReturnSetInfo *rsinfo);

#endif							/* SEEDKIT_ANON_CITUS_H */
