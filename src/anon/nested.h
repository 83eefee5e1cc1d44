/*-------------------------------------------------------------------------
 *
 * nested.h
 *	  Strategies applied to the values inside a column: at a jsonpath of
 *	  a json or jsonb document, or to each element of an array (nested.c).
 *
 * src/anon/nested.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_ANON_NESTED_H
#define SEEDKIT_ANON_NESTED_H

#include "postgres.h"

#include "utils/jsonb.h"

typedef struct SkNested SkNested;

extern bool sk_nested_wants(Oid typid, Jsonb *options);
extern bool sk_has_path(Jsonb *options);
extern SkNested *sk_nested_prepare(const char *strategy, Jsonb *options, Oid typid,
								   int32 typmod, const char *colname,
								   MemoryContext mcxt, bool with_key);
extern Datum sk_nested_apply(SkNested *n, Datum value, bool *isnull);

#endif							/* SEEDKIT_ANON_NESTED_H */
