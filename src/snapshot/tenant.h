/*-------------------------------------------------------------------------
 *
 * tenant.h
 *	  A snapshot of one tenant of Citus tables (tenant.c), for snapshot.c.
 *
 * src/snapshot/tenant.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_TENANT_H
#define SEEDKIT_TENANT_H

#include "snapshot/closure.h"

extern Datum sk_tenant_route(SkOptions *opt);
extern void sk_tenant_enter(SkOptions *opt, const char *tenant, Datum flags,
							const char *key);
extern void sk_tenant_leave(void);

#endif							/* SEEDKIT_TENANT_H */
