/*-------------------------------------------------------------------------
 *
 * sample.c
 *	  The key a subset's samples are drawn with: derived from the seed of
 *	  the fakes, so that the same seed samples the same rows and another
 *	  seed other rows.
 *
 * src/anon/sample.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "anon/anon.h"
#include "anon/prf.h"

/* The label the sampling key is derived under. */
#define SK_SAMPLE_LABEL "seedkit subset sample"

/*
 * sk_anon_sample_key
 *		Fill out (SK_SAMPLE_KEY_LEN bytes) with the sampling key: a subkey of
 *		the master key (seedkit.seed, else the database secret), in little
 *		endian order whatever the machine.
 */
void
sk_anon_sample_key(uint8 *out)
{
	SkKey		master;
	SkKey		key;
	int			i;

	sk_master_key(&master);
	sk_derive_key(&master, SK_SAMPLE_LABEL, strlen(SK_SAMPLE_LABEL), &key);
	for (i = 0; i < 8; i++)
	{
		out[i] = (uint8) (key.k0 >> (8 * i));
		out[8 + i] = (uint8) (key.k1 >> (8 * i));
	}
	explicit_bzero(&master, sizeof(master));
	explicit_bzero(&key, sizeof(key));
}
