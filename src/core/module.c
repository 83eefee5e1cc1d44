/*-------------------------------------------------------------------------
 *
 * module.c
 *	  Module entry: magic block and the seedkit.* settings.
 *
 * src/core/module.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "anon/anon.h"
#include "core/core.h"

PG_MODULE_MAGIC;

bool		sk_progress = false;
char	   *sk_seed_guc = NULL;
char	   *sk_locale_guc = NULL;

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

/*
 * sk_column_flagged
 *		Whether a flag applies to column attnum of relid, its own or through
 *		a foreign key: then no message may quote the column's values.  The
 *		answer is anonymisation's (sk_anon_flagged), passed on so that the
 *		restore pipeline need not include anything of src/anon.  Restore
 *		asks while the caller's search_path is in force, hence the pin.
 */
bool
sk_column_flagged(Oid relid, AttrNumber attnum)
{
	/* the lookup's SQL runs under the pinned path, whatever the caller's */
	int			level = sk_pin_settings();
	bool		flagged = sk_anon_flagged(relid, attnum);

	sk_unpin_settings(level);
	return flagged;
}
