/*-------------------------------------------------------------------------
 *
 * prf.c
 *	  The keyed pseudo-random function behind every fake: SipHash-2-4 with
 *	  a 128-bit key derived by HMAC-SHA-256 from the seed.
 *
 * The seed is the setting seedkit.seed, or when it is empty a per-database
 * random secret kept in seedkit.secret (created on first use).  Without the
 * seed, knowing the word lists and this algorithm does not let anyone map a
 * fake back to its original: every choice is a SipHash output under a key
 * the attacker does not have.
 *
 * src/anon/prf.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "common/hmac.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "port/pg_bswap.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "anon/prf.h"
#include "core/core.h"

#define ROTL(x, b) (uint64) (((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND \
	do { \
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2; \
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0; \
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
	} while (0)

/*
 * sk_load64
 *		Little-endian 64-bit load, independent of the host's byte order.
 */
static inline uint64
sk_load64(const unsigned char *p)
{
	return (uint64) p[0] | ((uint64) p[1] << 8) | ((uint64) p[2] << 16) |
		((uint64) p[3] << 24) | ((uint64) p[4] << 32) | ((uint64) p[5] << 40) |
		((uint64) p[6] << 48) | ((uint64) p[7] << 56);
}

/*
 * sk_siphash128
 *		SipHash-2-4 with 128-bit output (the reference algorithm of Aumasson
 *		and Bernstein) of data under key; writes two 64-bit words to out.
 */
void
sk_siphash128(const SkKey *key, const void *data, size_t len, uint64 out[2])
{
	const unsigned char *in = (const unsigned char *) data;
	const unsigned char *end = in + len - (len % 8);
	uint64		v0 = UINT64CONST(0x736f6d6570736575) ^ key->k0;
	uint64		v1 = UINT64CONST(0x646f72616e646f6d) ^ key->k1;
	uint64		v2 = UINT64CONST(0x6c7967656e657261) ^ key->k0;
	uint64		v3 = UINT64CONST(0x7465646279746573) ^ key->k1;
	uint64		b = ((uint64) len) << 56;
	uint64		m;
	int			left = len & 7;

	v1 ^= 0xee;
	for (; in != end; in += 8)
	{
		m = sk_load64(in);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	switch (left)
	{
		case 7:
			b |= ((uint64) in[6]) << 48;
			/* FALLTHROUGH */
		case 6:
			b |= ((uint64) in[5]) << 40;
			/* FALLTHROUGH */
		case 5:
			b |= ((uint64) in[4]) << 32;
			/* FALLTHROUGH */
		case 4:
			b |= ((uint64) in[3]) << 24;
			/* FALLTHROUGH */
		case 3:
			b |= ((uint64) in[2]) << 16;
			/* FALLTHROUGH */
		case 2:
			b |= ((uint64) in[1]) << 8;
			/* FALLTHROUGH */
		case 1:
			b |= ((uint64) in[0]);
			break;
		case 0:
			break;
	}
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xee;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	out[0] = v0 ^ v1 ^ v2 ^ v3;
	v1 ^= 0xdd;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	out[1] = v0 ^ v1 ^ v2 ^ v3;
}

/*
 * sk_hmac_key
 *		Derive the 128-bit master key from the seed material with
 *		HMAC-SHA-256 under a fixed label.
 */
static void
sk_hmac_key(const uint8 *material, size_t len, SkKey *key)
{
	static const char label[] = "seedkit/1 anonymise master key";
	pg_hmac_ctx *ctx;
	uint8		digest[32];

	ctx = pg_hmac_create(PG_SHA256);
	if (ctx == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory")));
	if (pg_hmac_init(ctx, material, len) < 0 ||
		pg_hmac_update(ctx, (const uint8 *) label, sizeof(label) - 1) < 0 ||
		pg_hmac_final(ctx, digest, sizeof(digest)) < 0)
	{
		const char *err = pg_hmac_error(ctx);

		pg_hmac_free(ctx);
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not derive the anonymisation key"),
				 errdetail("HMAC-SHA-256 failed: %s.", err)));
	}
	pg_hmac_free(ctx);
	key->k0 = sk_load64(digest);
	key->k1 = sk_load64(digest + 8);
	explicit_bzero(digest, sizeof(digest));
}

/*
 * sk_secret_material
 *		The per-database secret from seedkit.secret, created on first use;
 *		returns a palloc'd copy and its length.  Readable by the table's
 *		owner (the extension's owner) and superusers only.  In a Citus
 *		tenant snapshot, the coordinator's secret sent with the call.
 */
static uint8 *
sk_secret_material(size_t *len)
{
	Oid			nsp = get_namespace_oid("seedkit", false);
	Oid			relid = get_relname_relid("secret", nsp);
	uint8	   *result = NULL;
	MemoryContext caller = CurrentMemoryContext;
	const bytea *passed = sk_citus_secret();
	int			attempt;

	/* a Citus tenant snapshot: the secret the coordinator sent (core/citus.c) */
	if (passed != NULL)
	{
		*len = VARSIZE_ANY_EXHDR(passed);
		result = palloc(*len);
		memcpy(result, VARDATA_ANY(passed), *len);
		return result;
	}
	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table \"seedkit.secret\" does not exist"),
				 errhint("Reinstall extension seedkit.")));
	if (pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to read the anonymisation seed"),
				 errdetail("Setting \"seedkit.seed\" is empty, and the database secret in table \"seedkit.secret\" is readable only by its owner and superusers."),
				 errhint("Set \"seedkit.seed\", or have the owner of extension seedkit grant SELECT on table \"seedkit.secret\" to this role.")));

	sk_spi_connect();
	for (attempt = 0; attempt < 2 && result == NULL; attempt++)
	{
		/* not read-only: the second attempt must see the row just inserted */
		if (SPI_execute("SELECT secret FROM seedkit.secret", false, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read seedkit.secret");
		if (SPI_processed == 1)
		{
			bool		isnull;
			Datum		d = SPI_getbinval(SPI_tuptable->vals[0],
										  SPI_tuptable->tupdesc, 1, &isnull);
			bytea	   *b;

			if (isnull)
				break;
			b = DatumGetByteaPP(d);
			*len = VARSIZE_ANY_EXHDR(b);
			result = MemoryContextAlloc(caller, *len);
			memcpy(result, VARDATA_ANY(b), *len);
		}
		else if (attempt == 0)
		{
			uint8		fresh[32];
			Oid			argtypes[1] = {BYTEAOID};
			Datum		args[1];
			bytea	   *b = palloc(VARHDRSZ + sizeof(fresh));

			if (pg_class_aclcheck(relid, GetUserId(), ACL_INSERT) != ACLCHECK_OK)
				ereport(ERROR,
						(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
						 errmsg("the database secret of the anonymisation has not been created yet"),
						 errdetail("It is created on first use by a role that may insert into table \"seedkit.secret\"."),
						 errhint("Have the owner of extension seedkit run SELECT seedkit_fake('hash', 'x'::text) once, or set \"seedkit.seed\".")));
			if (!pg_strong_random(fresh, sizeof(fresh)))
				ereport(ERROR,
						(errcode(ERRCODE_INTERNAL_ERROR),
						 errmsg("could not generate a random secret")));
			SET_VARSIZE(b, VARHDRSZ + sizeof(fresh));
			memcpy(VARDATA(b), fresh, sizeof(fresh));
			explicit_bzero(fresh, sizeof(fresh));
			args[0] = PointerGetDatum(b);
			if (SPI_execute_with_args("INSERT INTO seedkit.secret (secret) VALUES ($1) "
									  "ON CONFLICT DO NOTHING",
									  1, argtypes, args, NULL, false, 0) != SPI_OK_INSERT)
				elog(ERROR, "could not store seedkit.secret");
		}
	}
	SPI_finish();
	if (result == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("the database secret in table \"seedkit.secret\" is missing"),
				 errhint("Delete the row of table \"seedkit.secret\" so that a new secret is generated, or set \"seedkit.seed\".")));
	return result;
}

/*
 * sk_master_key
 *		The master key for this session's seed: from seedkit.seed when set,
 *		else from the database secret.  Callers derive it once per statement
 *		(fn_extra), never per row.
 */
void
sk_master_key(SkKey *key)
{
	if (sk_seed_guc != NULL && sk_seed_guc[0] != '\0')
		sk_hmac_key((const uint8 *) sk_seed_guc, strlen(sk_seed_guc), key);
	else
	{
		size_t		len;
		uint8	   *m = sk_secret_material(&len);

		sk_hmac_key(m, len, key);
		explicit_bzero(m, len);
		pfree(m);
	}
}

/*
 * sk_derive_key
 *		A subkey for one purpose (strategy and options) from the master key.
 */
void
sk_derive_key(const SkKey *master, const char *label, size_t len, SkKey *out)
{
	uint64		h[2];

	sk_siphash128(master, label, len, h);
	out->k0 = h[0];
	out->k1 = h[1];
}

/*
 * sk_rng_init
 *		Start the stream for one original value (and collision round).
 */
void
sk_rng_init(SkRng *rng, const SkKey *key, const void *data, size_t len,
			uint32 round)
{
	uint64		h[2];

	sk_siphash128(key, data, len, h);
	if (round > 0)
	{
		uint64		buf[3];

		buf[0] = h[0];
		buf[1] = h[1];
		buf[2] = round;
		sk_siphash128(key, buf, sizeof(buf), h);
	}
	rng->key = *key;
	rng->d0 = h[0];
	rng->d1 = h[1];
	rng->ctr = 0;
	rng->mid = false;
}

/*
 * sk_le64
 *		The word sk_load64 reads from the bytes of x in memory.
 */
static inline uint64
sk_le64(uint64 x)
{
#ifdef WORDS_BIGENDIAN
	return pg_bswap64(x);
#else
	return x;
#endif
}

/*
 * sk_rng_next
 *		The next 64 pseudo-random bits: the digest's two words first, then
 *		the first word of SipHash of the digest and a counter.
 *
 * That is sk_siphash128(key, {d0, d1, ctr}) cut short: SipHash's state
 * after the blocks d0 and d1 is the same for every counter, so it is kept
 * in the stream (computed on first need); only the counter's block, the
 * length block and the first finalisation remain per call.  The second
 * output word is never computed.
 */
uint64
sk_rng_next(SkRng *rng)
{
	uint64		v0;
	uint64		v1;
	uint64		v2;
	uint64		v3;
	uint64		m;

	if (rng->ctr == 0)
	{
		rng->ctr++;
		return rng->d0;
	}
	if (rng->ctr == 1)
	{
		rng->ctr++;
		return rng->d1;
	}
	if (!rng->mid)
	{
		v0 = UINT64CONST(0x736f6d6570736575) ^ rng->key.k0;
		v1 = UINT64CONST(0x646f72616e646f6d) ^ rng->key.k1;
		v2 = UINT64CONST(0x6c7967656e657261) ^ rng->key.k0;
		v3 = UINT64CONST(0x7465646279746573) ^ rng->key.k1;
		v1 ^= 0xee;
		m = sk_le64(rng->d0);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
		m = sk_le64(rng->d1);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
		rng->v[0] = v0;
		rng->v[1] = v1;
		rng->v[2] = v2;
		rng->v[3] = v3;
		rng->mid = true;
	}
	v0 = rng->v[0];
	v1 = rng->v[1];
	v2 = rng->v[2];
	v3 = rng->v[3];
	m = sk_le64(rng->ctr++);
	v3 ^= m;
	SIPROUND;
	SIPROUND;
	v0 ^= m;
	/* the length block: 24 bytes, no tail */
	m = ((uint64) 3 * sizeof(uint64)) << 56;
	v3 ^= m;
	SIPROUND;
	SIPROUND;
	v0 ^= m;
	v2 ^= 0xee;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

/*
 * sk_rng_below
 *		A value in [0, n) (n > 0); the modulo bias is below 2^-32.
 */
uint32
sk_rng_below(SkRng *rng, uint32 n)
{
	return (uint32) (sk_rng_next(rng) % n);
}
