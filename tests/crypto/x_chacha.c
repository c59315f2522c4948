/*
 * x_chacha - the differential driver of tests/crypto-chacha.bats: random
 * cases for ChaCha20 and Poly1305 that the openssl command also
 * computes, and the AEAD on random cases for fast-against-portable runs.
 *
 *   x_chacha gen DIR N SEED    N messages DIR/m00000... (the boundary
 *                              lengths first, then random ones) and on
 *                              stdout one case a line:
 *                              NAME KEY NONCE COUNTER IV
 *                              (hex; IV is openssl's counter_le32||nonce)
 *   x_chacha stream DIR < CASES
 *                              checks DIR/NAME.ossl (what openssl enc
 *                              -chacha20 made of DIR/NAME) against our
 *                              ChaCha20; says which differ; exit 1 if any
 *   x_chacha poly DIR < CASES  the Poly1305 tag of DIR/NAME under KEY, in
 *                              upper-case hex as openssl mac prints it
 *   x_chacha aead N SEED       N random seals: ciphertext and tag in hex,
 *                              and whether open takes them back and
 *                              refuses them with one bit flipped
 *
 * TUBES_NO_ASM=1 runs the portable code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/chacha.h"

static uint64_t rng;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32);
}

static void
fill(uint8_t *p, size_t n)
{
	while (n-- > 0)
		*p++ = (uint8_t)rnd();
}

static void
hex(const uint8_t *p, size_t n)
{
	while (n-- > 0)
		printf("%02x", *p++);
}

static void
unhex(const char *s, uint8_t *out, size_t n)
{
	unsigned v;
	size_t i;

	for (i = 0; i < n; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1) {
			fprintf(stderr, "x_chacha: bad hex\n");
			exit(2);
		}
		out[i] = (uint8_t)v;
	}
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *p = NULL;
	size_t cap = 0, n = 0, r;

	if (fp == NULL) {
		perror(path);
		exit(2);
	}
	for (;;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 4096;
			if ((p = realloc(p, cap)) == NULL)
				exit(2);
		}
		r = fread(p + n, 1, cap - n, fp);
		if (r == 0)
			break;
		n += r;
	}
	fclose(fp);
	*len = n;
	return p;
}

static const size_t edges[] = { 0, 1, 15, 16, 17, 63, 64, 65, 127, 128,
    255, 256, 257, 511, 512, 513, 1023, 1024, 1025 };

static int
gen(const char *dir, long n, unsigned long seed)
{
	char path[4096];
	uint8_t key[32], nonce[12], msg[8192];
	size_t len, blocks;
	uint32_t ctr;
	long i;
	FILE *fp;

	rng = seed | 1;
	for (i = 0; i < n; i++) {
		if ((size_t)i < sizeof(edges) / sizeof(edges[0]))
			len = edges[i];
		else
			len = rnd() % 4000;
		blocks = (len + 63) / 64;
		fill(key, 32);
		fill(nonce, 12);
		fill(msg, len);
		switch (rnd() % 8) {
		case 0:		/* up to the last block the counter has */
			ctr = (uint32_t)(0xffffffffu - blocks + 1);
			break;
		case 1:
			ctr = 0;
			break;
		default:
			ctr = rnd();
			if ((uint64_t)ctr + blocks > (uint64_t)1 << 32)
				ctr = (uint32_t)(0xffffffffu - blocks + 1);
		}
		snprintf(path, sizeof path, "%s/m%05ld", dir, i);
		if ((fp = fopen(path, "wb")) == NULL || fwrite(msg, 1, len, fp) != len ||
		    fclose(fp) != 0) {
			perror(path);
			return 2;
		}
		printf("m%05ld ", i);
		hex(key, 32);
		putchar(' ');
		hex(nonce, 12);
		printf(" %lu ", (unsigned long)ctr);
		printf("%02x%02x%02x%02x", ctr & 0xff, (ctr >> 8) & 0xff,
		    (ctr >> 16) & 0xff, ctr >> 24);
		hex(nonce, 12);
		putchar('\n');
	}
	return 0;
}

static int
check(const char *dir, int poly)
{
	char name[64], skey[80], snonce[40], siv[80], path[4096];
	uint8_t key[32], nonce[12], tag[16];
	unsigned long ctr;
	int bad = 0;

	while (scanf("%63s %79s %39s %lu %79s", name, skey, snonce, &ctr, siv) == 5) {
		size_t len, olen;
		uint8_t *m, *o;

		unhex(skey, key, 32);
		unhex(snonce, nonce, 12);
		snprintf(path, sizeof path, "%s/%s", dir, name);
		m = slurp(path, &len);
		if (poly) {
			int i;

			tb_poly1305(key, m, len, tag);
			for (i = 0; i < 16; i++)
				printf("%02X", tag[i]);
			putchar('\n');
		} else {
			snprintf(path, sizeof path, "%s/%s.ossl", dir, name);
			o = slurp(path, &olen);
			if (tb_chacha20_xor(key, nonce, (uint32_t)ctr, m, m, len) != 0 ||
			    olen != len || memcmp(m, o, len) != 0) {
				printf("%s differs (%zu bytes, counter %lu)\n", name, len, ctr);
				bad = 1;
			}
			free(o);
		}
		free(m);
	}
	return bad;
}

static int
aead(long n, unsigned long seed)
{
	static uint8_t pt[5000], ct[5000], back[5000];
	uint8_t key[32], nonce[12], aad[300], tag[16];
	size_t len, aadlen;
	long i;

	rng = seed | 1;
	for (i = 0; i < n; i++) {
		len = rnd() % sizeof pt;
		aadlen = rnd() % 4 == 0 ? 0 : rnd() % sizeof aad;
		fill(key, 32);
		fill(nonce, 12);
		fill(aad, aadlen);
		fill(pt, len);
		if (tb_chacha20poly1305_seal(key, nonce, aad, aadlen, pt, len, ct, tag) != 0)
			return 1;
		hex(ct, len);
		putchar(' ');
		hex(tag, 16);
		if (tb_chacha20poly1305_open(key, nonce, aad, aadlen, ct, len, tag, back) != 0 ||
		    memcmp(back, pt, len) != 0)
			printf(" open-failed");
		tag[rnd() % 16] ^= (uint8_t)(1u << (rnd() % 8));
		if (tb_chacha20poly1305_open(key, nonce, aad, aadlen, ct, len, tag, back) != -1)
			printf(" bad-tag-accepted");
		putchar('\n');
	}
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "gen") == 0)
		return gen(argv[2], atol(argv[3]), strtoul(argv[4], NULL, 0));
	if (argc == 3 && strcmp(argv[1], "stream") == 0)
		return check(argv[2], 0);
	if (argc == 3 && strcmp(argv[1], "poly") == 0)
		return check(argv[2], 1);
	if (argc == 4 && strcmp(argv[1], "aead") == 0)
		return aead(atol(argv[2]), strtoul(argv[3], NULL, 0));
	fprintf(stderr, "usage: x_chacha gen|stream|poly|aead ...\n");
	return 2;
}
