/*
 * ct_aes - the portable AES and AES-GCM under the ctgrind check
 * (tests/crypto/ct.h): the key, the plaintext, the AAD and the tag are
 * marked secret, and valgrind must see no branch or memory index that
 * depends on them.
 *   ct_aes aes128|aes256   key schedule, block encryption and CTR
 *   ct_aes gcm128|gcm256   GHASH key, seal, open with the right tag and
 *                          with a wrong one (the tb_ct_eq compare and the
 *                          wipe of the output); the verdicts are made
 *                          public (CT_PUBLIC) before they are checked
 *   ct_aes verdict-leak    the negative control: branches on an open's
 *                          verdict without making it public -- valgrind
 *                          must report that, which shows the secret
 *                          marks reach through AES and GHASH to it
 *   ct_aes MODE fast       the same on the AES-NI and PCLMULQDQ path
 *                          (valgrind runs both instructions): exit 3
 *                          when the CPU, as valgrind shows it, has not
 *                          both, or a key does not get the fast path
 * Exit 0 when the results are right (the known answer of FIPS 197 C.1
 * for aes128), 1 when not.
 */
#include <stdio.h>
#include <string.h>

#include "crypto/aes.h"
#include "crypto/ct.h"
#include "ct.h"

static uint8_t key[32], pt[300], ct[300], out[300], aad[40], nonce[12], tag[16];
static unsigned want_ni;	/* the path every key must get */

static int
aes(size_t kl)
{
	static const uint8_t c1[16] = {	/* FIPS 197 C.1 */
		0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
		0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a
	};
	struct tb_aes k;
	uint8_t cb[16], blk[16];
	size_t i;
	int ok = 1;

	for (i = 0; i < kl; i++)
		key[i] = (uint8_t)i;
	for (i = 0; i < 16; i++)
		pt[i] = (uint8_t)(i * 0x11);
	memset(cb, 0xfe, sizeof cb);
	CT_SECRET(key, kl);
	CT_SECRET(pt, sizeof pt);
	tb_aes_init(&k, key, kl);
	if (k.ni != want_ni)
		return 3;
	tb_aes_encrypt_block(&k, pt, blk);
	tb_aes_ctr32(&k, cb, pt, 200, out);
	CT_PUBLIC(blk, sizeof blk);
	if (kl == 16)
		ok = memcmp(blk, c1, 16) == 0;
	tb_aes_wipe(&k);
	return ok ? 0 : 1;
}

static int
gcm(size_t kl, int leak)
{
	struct tb_gcm g;
	int r1, r2, r3;

	memset(key, 0x5c, sizeof key);
	memset(pt, 0xa5, sizeof pt);
	memset(aad, 0x3c, sizeof aad);
	memset(nonce, 0x01, sizeof nonce);
	CT_SECRET(key, kl);
	CT_SECRET(pt, sizeof pt);
	CT_SECRET(aad, sizeof aad);
	tb_gcm_init(&g, key, kl);
	if (g.aes.ni != want_ni)
		return 3;
	tb_gcm_seal(&g, nonce, aad, sizeof aad, pt, 250, ct, tag);	/* 15 blocks and a tail */
	r1 = tb_gcm_open(&g, nonce, aad, sizeof aad, ct, 250, tag, out);
	if (leak) {
		if (r1 == 0)	/* a branch on the secret verdict: must be reported */
			puts("accepted");
		return 0;
	}
	tag[3] ^= 0x10;
	r2 = tb_gcm_open(&g, nonce, aad, sizeof aad, ct, 250, tag, out);
	tag[3] ^= 0x10;
	/* in place, as TLS does it */
	r3 = tb_gcm_open(&g, nonce, aad, sizeof aad, ct, 250, tag, ct);
	CT_PUBLIC(&r1, sizeof r1);
	CT_PUBLIC(&r2, sizeof r2);
	CT_PUBLIC(&r3, sizeof r3);
	CT_PUBLIC(ct, sizeof ct);
	CT_PUBLIC(pt, sizeof pt);
	tb_gcm_wipe(&g);
	return r1 == 0 && r2 == -1 && r3 == 0 && memcmp(ct, pt, 250) == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[2], "fast") == 0) {
		if ((tb_cpu() & (TB_CPU_AESNI | TB_CPU_PCLMUL)) !=
		    (TB_CPU_AESNI | TB_CPU_PCLMUL))
			return 3;
		want_ni = 1;
	} else if (argc != 2) {
		fprintf(stderr, "usage: ct_aes aes128|aes256|gcm128|gcm256|verdict-leak [fast]\n");
		return 2;
	} else {
		tb_cpu_set(0);	/* the portable path: the one that must be constant time */
		want_ni = 0;	/* (tests/crypto/levels/ct_all calls main again) */
	}
	if (strcmp(argv[1], "aes128") == 0)
		return aes(16);
	if (strcmp(argv[1], "aes256") == 0)
		return aes(32);
	if (strcmp(argv[1], "gcm128") == 0)
		return gcm(16, 0);
	if (strcmp(argv[1], "gcm256") == 0)
		return gcm(32, 0);
	if (strcmp(argv[1], "verdict-leak") == 0)
		return gcm(16, 1);
	return 2;
}
