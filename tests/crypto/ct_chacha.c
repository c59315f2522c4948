/*
 * ct_chacha - the constant-time check of ChaCha20, Poly1305 and the AEAD
 * (tests/crypto/ct.h): seal with a secret key, plaintext and AAD; open
 * with a secret key, both with a right tag and a wrong one (the tag
 * comparison and what open does with its verdict); ChaCha20 and Poly1305
 * on their own.  Lengths across the block boundaries.  valgrind must
 * report no branch or index on a secret.
 *
 *   ct_chacha portable|fast
 */
#include <string.h>

#include "crypto/chacha.h"
#include "crypto/ct.h"
#include "ct.h"

static const size_t lens[] = { 0, 1, 15, 16, 17, 64, 100, 256, 300, 513, 1100 };

int
main(int argc, char **argv)
{
	static uint8_t pt[1200], ct[1200], back[1200];
	uint8_t key[32], nonce[12], aad[40], tag[16], tag2[16];
	size_t i, j;
	int r, fails = 0;

	if (argc != 2)
		return 2;
	if (strcmp(argv[1], "portable") == 0)
		tb_cpu_set(0);
	else if (strcmp(argv[1], "fast") != 0)
		return 2;
	for (i = 0; i < sizeof(pt); i++)
		pt[i] = (uint8_t)(i * 29 + 3);
	for (i = 0; i < 32; i++)
		key[i] = (uint8_t)(i * 7 + 1);
	memset(nonce, 0x33, sizeof nonce);
	memset(aad, 0x44, sizeof aad);
	for (j = 0; j < sizeof(lens) / sizeof(lens[0]); j++) {
		size_t len = lens[j];

		CT_SECRET(key, sizeof key);
		CT_SECRET(pt, sizeof pt);
		CT_SECRET(aad, sizeof aad);
		r = tb_chacha20poly1305_seal(key, nonce, aad, j * 3, pt, len, ct, tag);
		CT_PUBLIC(&r, sizeof r);
		if (r != 0)
			return 1;
		/* what goes on the wire is public */
		CT_PUBLIC(ct, sizeof ct);
		CT_PUBLIC(tag, sizeof tag);
		CT_PUBLIC(aad, sizeof aad);

		/* open, right tag then wrong: the key stays secret */
		CT_SECRET(key, sizeof key);
		r = tb_chacha20poly1305_open(key, nonce, aad, j * 3, ct, len, tag, back);
		CT_PUBLIC(&r, sizeof r);
		fails += r != 0;
		memcpy(tag2, tag, 16);
		tag2[j % 16] ^= 0x10;
		r = tb_chacha20poly1305_open(key, nonce, aad, j * 3, ct, len, tag2, back);
		CT_PUBLIC(&r, sizeof r);
		fails += r != -1;

		/* the primitives alone */
		CT_SECRET(pt, sizeof pt);
		r = tb_chacha20_xor(key, nonce, 7, pt, back, len);
		CT_PUBLIC(&r, sizeof r);
		fails += r != 0;
		tb_poly1305(key, pt, len, tag2);
		CT_PUBLIC(back, sizeof back);
		CT_PUBLIC(tag2, sizeof tag2);
	}
	return fails != 0;
}
