/*
 * ct_hash - the constant-time check of the hashes and what is built on
 * them (tests/crypto/ct.h): with the portable code (tb_cpu_set(0)), hash
 * a secret message, HMAC a secret message under a secret key, HKDF a
 * secret IKM and expand the secret PRK, and run the TLS PRF on a secret,
 * under valgrind, which must report no branch or index on a secret.
 * Lengths, labels and salts are public.  Messages of several lengths go
 * through, across the block and padding boundaries.
 *
 *   ct_hash sha|hmac|hkdf|prf
 */
#include <string.h>

#include "crypto/ct.h"
#include "crypto/hash.h"
#include "ct.h"

static const struct tb_hash *const hs[] = { &tb_hash_sha1, &tb_hash_sha256,
    &tb_hash_sha384, &tb_hash_sha512 };
static const size_t lens[] = { 0, 1, 55, 56, 64, 111, 112, 128, 200, 300 };

int
main(int argc, char **argv)
{
	uint8_t key[300], msg[300], out[600];
	size_t i, j;

	if (argc != 2)
		return 2;
	tb_cpu_set(0);
	for (i = 0; i < sizeof(key); i++) {
		key[i] = (uint8_t)(i * 13 + 5);
		msg[i] = (uint8_t)(i * 7 + 1);
	}
	for (i = 0; i < 4; i++)
		for (j = 0; j < sizeof(lens) / sizeof(lens[0]); j++) {
			CT_SECRET(key, sizeof(key));
			CT_SECRET(msg, sizeof(msg));
			if (strcmp(argv[1], "sha") == 0) {
				tb_hash_ctx c;

				hs[i]->init(&c);
				hs[i]->update(&c, msg, lens[j]);
				hs[i]->update(&c, msg, lens[j] / 3);
				hs[i]->final(&c, out);
			} else if (strcmp(argv[1], "hmac") == 0) {
				/* keys shorter and longer than a block */
				tb_hmac(hs[i], key, lens[j], msg, lens[j], out);
				tb_hmac(hs[i], key, 32, msg, lens[j], out);
			} else if (strcmp(argv[1], "hkdf") == 0) {
				uint8_t prk[TB_HASH_MAX];

				tb_hkdf_extract(hs[i], "salt", 4, key, lens[j], prk);
				if (tb_hkdf_expand(hs[i], prk, hs[i]->len, "info", 4,
				    out, lens[j]) != 0)
					return 1;
				tb_hkdf_extract(hs[i], NULL, 0, key, lens[j], prk);
			} else if (strcmp(argv[1], "prf") == 0) {
				/* the seed is public randoms in TLS; the secret is not */
				tb_tls12_prf(hs[i], key, lens[j], "master secret",
				    msg, 64, out, lens[j] + 1);
			} else
				return 2;
			CT_PUBLIC(out, sizeof(out));
		}
	return 0;
}
