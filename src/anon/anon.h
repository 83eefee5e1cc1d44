/*-------------------------------------------------------------------------
 *
 * anon.h
 *	  The anonymisation pipeline as the rest of seedkit sees it: what the
 *	  snapshot writer asks of a column, whether restore may quote a
 *	  column's values in a message, the per-copy fakes of restore's
 *	  copies, and the check of seedkit.locale.
 *	  Everything else of src/anon is internal to the folder.
 *
 * src/anon/anon.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_ANON_PUBLIC_H
#define SEEDKIT_ANON_PUBLIC_H

#include "postgres.h"

#include "access/attnum.h"
#include "nodes/pg_list.h"
#include "utils/guc.h"

/*
 * flags.c: the SQL expression that replaces column attnum of relid in a
 * snapshot when a flag applies to it, with valexpr standing for the
 * original value (NULL when none applies); and whether one applies.
 */
extern char *sk_anon_expr(Oid relid, AttrNumber attnum, const char *valexpr);
extern bool sk_anon_flagged(Oid relid, AttrNumber attnum);

/*
 * flags.c: sk_anon_flagged under the pinned settings, for callers running
 * under the caller's search_path (restore's messages hide such values)
 */
extern bool sk_column_flagged(Oid relid, AttrNumber attnum);
extern bool sk_any_flags(void);

/*
 * sample.c: the key a subset's samples are drawn with, derived from the
 * seed (SK_SAMPLE_KEY_LEN bytes)
 */
#define SK_SAMPLE_KEY_LEN 16
extern void sk_anon_sample_key(uint8 *out);

/*
 * copyfake.c: restore's copies => N.  The per-copy fakes of a flagged
 * column (NULL when no flag applies; others: those prepared before, which
 * share collision rounds by strategy key), the value of one copy (copy 1
 * keeps the value, copy k > 1 gets the column's strategy under its key
 * mixed with k: the same fake for the same value inside a copy), and the
 * next candidate for a value whose fake collided in a unique column.
 */
typedef struct SkCopyFake SkCopyFake;
extern SkCopyFake *sk_anon_copy_prepare(Oid relid, AttrNumber attnum,
										List *others, MemoryContext mcxt);
extern char *sk_anon_copy_value(SkCopyFake *cf, int32 copy, const char *value);
extern void sk_anon_copy_retry(SkCopyFake *cf, int32 copy, const char *value);
/*
 * A person field drawn from other columns of its row: the value passed to
 * the two above is the row's input (its value, identity and gender texts).
 */
extern bool sk_anon_copy_person(SkCopyFake *cf, AttrNumber *id, AttrNumber *gender);
extern char *sk_anon_copy_person_input(SkCopyFake *cf, const char *value,
									   const char *id, const char *gender);

/* wordlists.c: GUC check hook of seedkit.locale (a supported locale) */
extern bool sk_anon_locale_check(char **newval, void **extra, GucSource source);

#endif							/* SEEDKIT_ANON_PUBLIC_H */
