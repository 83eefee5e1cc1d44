/*-------------------------------------------------------------------------
 *
 * seedkit.c
 *	  Module entry: magic block and the seedkit.* settings.
 *
 * src/seedkit.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "anon/anon.h"
#include "core/core.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/*
 * _PG_init
 *		Define the seedkit.* settings (the only place that defines any).
 */
void
_PG_init(void)
{
	DefineCustomBoolVariable("seedkit.progress",
							 "Report progress of long seedkit operations as NOTICEs.",
							 NULL,
							 &sk_progress,
							 false,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
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
							   sk_anon_locale_check, NULL, NULL);
	MarkGUCPrefixReserved("seedkit");
}
