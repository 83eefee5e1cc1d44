/*-------------------------------------------------------------------------
 *
 * prf.h
 *	  The keyed pseudo-random function (prf.c): SipHash-2-4 under a key
 *	  derived from the seed, and the deterministic streams fakes draw from.
 *
 * src/anon/prf.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_ANON_PRF_H
#define SEEDKIT_ANON_PRF_H

#include "postgres.h"

typedef struct SkKey
{
	uint64		k0;
	uint64		k1;
} SkKey;

/* A deterministic stream of 64-bit values derived from one digest. */
typedef struct SkRng
{
	SkKey		key;
	uint64		d0;
	uint64		d1;
	uint64		ctr;
	bool		mid;			/* v holds SipHash's state after d0 and d1 */
	uint64		v[4];
} SkRng;

extern void sk_siphash128(const SkKey *key, const void *data, size_t len,
						  uint64 out[2]);
extern void sk_master_key(SkKey *key);
extern void sk_derive_key(const SkKey *master, const char *label, size_t len,
						  SkKey *out);
extern void sk_rng_init(SkRng *rng, const SkKey *key, const void *data,
						size_t len, uint32 round);
extern uint64 sk_rng_next(SkRng *rng);
extern uint32 sk_rng_below(SkRng *rng, uint32 n);

#endif							/* SEEDKIT_ANON_PRF_H */
