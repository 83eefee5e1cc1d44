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

#include "core/core.h"

PG_MODULE_MAGIC;

bool		sk_progress = false;

void		_PG_init(void);

/*
 * _PG_init
 *		Define the seedkit.* settings.
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
	sk_anonymise_define_gucs();
	MarkGUCPrefixReserved("seedkit");
}
