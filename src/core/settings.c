/*-------------------------------------------------------------------------
 *
 * settings.c
 *	  The settings seedkit runs under: pinned settings, the SQL entry
 *	  points' pinned search_path and the caller's path put back for the
 *	  caller's own code, whether the caller may set
 *	  session_replication_role.
 *
 * src/core/settings.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/guc.h"

#include "core/core.h"

/* The seedkit.* settings; src/seedkit.c registers them in _PG_init. */
bool		sk_progress = false;
char	   *sk_seed_guc = NULL;
char	   *sk_locale_guc = NULL;

/*
 * Settings under which values are written and read: a document must not
 * depend on the session's TimeZone, DateStyle, float digits or search_path.
 */
static const char *const sk_pinned[][2] = {
	{"search_path", "pg_catalog, pg_temp"},
	{"DateStyle", "ISO, YMD"},
	{"TimeZone", "UTC"},
	{"IntervalStyle", "postgres"},
	{"extra_float_digits", "1"},
	{"bytea_output", "hex"},
	{"lc_monetary", "C"},
	{"xmloption", "content"},
};

/*
 * sk_pin_settings
 *		Open a GUC nest level and pin the settings above; returns the level
 *		to hand to sk_unpin_settings.  An ERROR unwinds it with the
 *		transaction or subtransaction.
 */
int
sk_pin_settings(void)
{
	int			level = NewGUCNestLevel();
	int			i;

	for (i = 0; i < lengthof(sk_pinned); i++)
		(void) set_config_option(sk_pinned[i][0], sk_pinned[i][1],
								 PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
	return level;
}

/*
 * sk_unpin_settings
 *		Restore the settings in force before sk_pin_settings.
 */
void
sk_unpin_settings(int nestlevel)
{
	AtEOXact_GUC(true, nestlevel);
}

/*
 * sk_caller_may_set_replication_role
 *		True when the current user may set session_replication_role.
 */
bool
sk_caller_may_set_replication_role(void)
{
	if (superuser())
		return true;
	return pg_parameter_aclcheck("session_replication_role", GetUserId(),
								 ACL_SET) == ACLCHECK_OK;
}

/* The caller's search_path while sk_call_pinned runs a body (else NULL). */
static char *sk_caller_path = NULL;

/*
 * sk_call_pinned
 *		Run a SQL-callable function body with search_path pinned to
 *		pg_catalog (and pg_temp), so that the catalog queries it runs through
 *		SPI cannot reach functions or operators of the caller's schemas.
 *		The caller's path stays at hand for sk_caller_path_push.
 */
Datum
sk_call_pinned(PGFunction body, FunctionCallInfo fcinfo)
{
	int			level = NewGUCNestLevel();
	char	   *saved = sk_caller_path;
	Datum		result;

	sk_caller_path = pstrdup(namespace_search_path);
	PG_TRY();
	{
		(void) set_config_option("search_path", "pg_catalog, pg_temp",
								 PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
		result = body(fcinfo);
	}
	PG_FINALLY();
	{
		sk_caller_path = saved;
	}
	PG_END_TRY();
	AtEOXact_GUC(true, level);
	return result;
}

/*
 * sk_caller_search_path
 *		The caller's search_path while sk_call_pinned runs a body, else NULL.
 */
const char *
sk_caller_search_path(void)
{
	return sk_caller_path;
}

/*
 * sk_caller_path_push
 *		Put the caller's search_path back, for statements that run the
 *		caller's own code (user triggers); returns the level to hand to
 *		sk_unpin_settings.
 */
int
sk_caller_path_push(void)
{
	int			level = NewGUCNestLevel();

	if (sk_caller_path != NULL)
		(void) set_config_option("search_path", sk_caller_path,
								 PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
	return level;
}
