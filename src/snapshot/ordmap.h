/*-------------------------------------------------------------------------
 *
 * ordmap.h
 *	  Value-to-ordinal maps held in memory: the sorted integer keys of a
 *	  key table, a key's ordinal being its rank among them.
 *
 * src/snapshot/ordmap.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_ORDMAP_H
#define SEEDKIT_ORDMAP_H

#include "snapshot/graph.h"
#include "utils/snapshot.h"

/* The distinct keys of a table of the document, in ascending order. */
typedef struct SkOrdMap
{
	int64	   *keys;
	int64		n;
} SkOrdMap;

extern bool sk_ordmap_type(Oid typid);
extern SkOrdMap *sk_ordmap_load(SkTable *t, Snapshot snap);
extern int64 sk_ordmap_find(SkOrdMap *map, int64 value);

#endif							/* SEEDKIT_ORDMAP_H */
