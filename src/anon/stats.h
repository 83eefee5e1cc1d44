/*-------------------------------------------------------------------------
 *
 * stats.h
 *	  Planner statistics that describe an anonymised table's original
 *	  values elsewhere than in its own rows (stats.c).
 *
 * src/anon/stats.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_ANON_STATS_H
#define SEEDKIT_ANON_STATS_H

#include "postgres.h"

#include "anon/rewrite.h"

extern void sk_scrub_statistics(SkAnonTable *t);

#endif							/* SEEDKIT_ANON_STATS_H */
