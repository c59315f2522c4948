/*
 * ct_reach - the negative controls of the constant-time checks, one per
 * secret-handling primitive: each mode runs the primitive on a secret
 * input (CT_SECRET) and then branches on a byte of its result WITHOUT
 * declassifying it, so valgrind must report.  That proves the secret
 * marks travel through the primitive as this build compiled it: a build
 * whose code valgrind cannot follow, or a ct.h without valgrind's
 * header, would let every ct_check of that primitive pass without
 * proving anything.  tests/crypto/ct-levels.sh runs them at each
 * compiler and optimisation level beside the checks that must pass.
 *
 *   ct_reach MODE [fast]   MODE: aes gcm chacha poly aead sha1 sha256
 *                          sha512 hmac hkdf prf x25519 p256 p384;
 *                          portable code unless "fast"
 *
 * Exits 0 after the branch (valgrind's report is the result), 2 on a
 * bad argument.
 */
#include <stdio.h>
#include <string.h>

#include "crypto/aes.h"
#include "crypto/c25519.h"
#include "crypto/chacha.h"
#include "crypto/ct.h"
#include "crypto/ec.h"
#include "crypto/hash.h"
#include "ct.h"

int
main(int argc, char **argv)
{
	static uint8_t key[64], msg[200], out[300];
	uint8_t nonce[12], tag[16];
	const char *m;
	size_t i;
	int r = 0;

	if (argc == 3 && strcmp(argv[2], "fast") == 0)
		;
	else if (argc == 2)
		tb_cpu_set(0);
	else
		return 2;
	m = argv[1];
	for (i = 0; i < sizeof key; i++)
		key[i] = (uint8_t)(i * 5 + 9);
	for (i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)(i * 3 + 1);
	memset(nonce, 7, sizeof nonce);
	memset(tag, 0, sizeof tag);
	CT_SECRET(key, sizeof key);
	CT_SECRET(msg, sizeof msg);
	if (strcmp(m, "aes") == 0) {
		struct tb_aes k;

		tb_aes_init(&k, key, 16);
		tb_aes_encrypt_block(&k, msg, out);
		tb_aes_wipe(&k);
	} else if (strcmp(m, "gcm") == 0) {
		struct tb_gcm g;

		/* the tag: GHASH of a secret plaintext's ciphertext */
		tb_gcm_init(&g, key, 32);
		tb_gcm_seal(&g, nonce, NULL, 0, msg, 100, out + 16, out);
		tb_gcm_wipe(&g);
	} else if (strcmp(m, "chacha") == 0) {
		r = tb_chacha20_xor(key, nonce, 1, msg, out, 150);
		CT_PUBLIC(&r, sizeof r);
	} else if (strcmp(m, "poly") == 0)
		tb_poly1305(key, msg, 150, out);
	else if (strcmp(m, "aead") == 0) {
		/* the verdict of an open under a secret key */
		r = tb_chacha20poly1305_open(key, nonce, NULL, 0, msg, 100, tag, out);
		out[0] = (uint8_t)r;
	} else if (strcmp(m, "sha1") == 0)
		tb_sha1(msg, 150, out);
	else if (strcmp(m, "sha256") == 0)
		tb_sha256(msg, 150, out);
	else if (strcmp(m, "sha512") == 0)
		tb_sha512(msg, 150, out);
	else if (strcmp(m, "hmac") == 0)
		tb_hmac(&tb_hash_sha256, key, 40, "public", 6, out);
	else if (strcmp(m, "hkdf") == 0) {
		uint8_t prk[TB_HASH_MAX];

		tb_hkdf_extract(&tb_hash_sha384, "salt", 4, key, 48, prk);
		r = tb_hkdf_expand(&tb_hash_sha384, prk, 48, "info", 4, out, 100);
		CT_PUBLIC(&r, sizeof r);
	} else if (strcmp(m, "prf") == 0)
		tb_tls12_prf(&tb_hash_sha256, key, 48, "master secret", "seed", 4, out, 48);
	else if (strcmp(m, "x25519") == 0)
		tb_x25519_base(out, key);
	else if (strcmp(m, "p256") == 0 || strcmp(m, "p384") == 0) {
		r = m[1] == '2' ? tb_p256_pubkey(out, key) : tb_p384_pubkey(out, key);
		CT_PUBLIC(&r, sizeof r);
		out[0] = out[1];	/* out[0] is the constant 04 */
	} else
		return 2;
	if (r < -1 || r > 0)
		return 1;
	if (out[0] & 1)		/* a branch on the secret's image: must be reported */
		puts("odd");
	return 0;
}
