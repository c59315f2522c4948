/*
 * x_aes - the differential driver of tests/crypto-aes.bats: AES and
 * AES-GCM against the openssl command line, and the fast path against
 * the portable one.
 *
 *   x_aes gen MODE N SEED DIR   make N random cases: DIR/I.in holds the
 *                               input; prints "I KEY IV" lines (hex)
 *   x_aes check MODE DIR        read those lines, each with openssl's
 *                               answer: for ecb and ctr in DIR/I.out,
 *                               for gmac a fourth field (the tag); print
 *                               "ok N", or each mismatch and exit 1
 *   x_aes paths N SEED          N random seals and opens (keys of 16 and
 *                               32 bytes, AAD 0..80 bytes, plaintext
 *                               0..1100 bytes) on both paths: the same
 *                               ciphertext and tag, and both reject a
 *                               flipped bit; "ok N (fast path: yes|no)"
 *   x_aes seal                  stdin lines "KEY NONCE AAD PT" (hex, "-"
 *                               for empty): prints "CT TAG"
 *   x_aes path                  prints the path a key gets: "fast" or
 *                               "portable" (TUBES_NO_ASM=1)
 * MODE: ecb128 ecb256 (a run of blocks under one key, against
 * `openssl enc -aes-*-ecb -nopad`), ctr128 ctr256 (the GCM ciphertext of
 * the input with no AAD, against `openssl enc -aes-*-ctr` from the IV
 * J0 + 1 = nonce || 00000002), gmac128 gmac256 (the GCM tag of AAD
 * alone, against `openssl mac ... GMAC`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aes.h"
#include "crypto/ct.h"

static uint64_t rng;

/* splitmix64: deterministic from the seed, so a failure can be replayed */
static uint64_t
rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
fill(uint8_t *p, size_t n)
{
	while (n-- > 0)
		*p++ = (uint8_t)rnd();
}

static void
hexout(FILE *fp, const uint8_t *p, size_t n)
{
	if (n == 0)
		fputc('-', fp);
	while (n-- > 0)
		fprintf(fp, "%02x", *p++);
}

/* hex (either case, or "-" for nothing) to bytes; -1 when malformed */
static long
unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	if (strcmp(s, "-") == 0)
		return 0;
	for (; s[0] && s[1]; s += 2) {
		unsigned v;

		if (n >= cap || sscanf(s, "%2x", &v) != 1)
			return -1;
		out[n++] = (uint8_t)v;
	}
	return *s ? -1 : (long)n;
}

static size_t
keylen_of(const char *mode)
{
	return strstr(mode, "256") ? 32 : 16;
}

static int
mode_ok(const char *m)
{
	return !strcmp(m, "ecb128") || !strcmp(m, "ecb256") || !strcmp(m, "ctr128") ||
	    !strcmp(m, "ctr256") || !strcmp(m, "gmac128") || !strcmp(m, "gmac256");
}

static uint8_t in[4096], got[4096], want[4096], raw[4096];

static int
readfile(const char *path, uint8_t *buf, size_t cap, size_t *n)
{
	FILE *fp = fopen(path, "rb");

	if (fp == NULL)
		return -1;
	*n = fread(buf, 1, cap, fp);
	fclose(fp);
	return 0;
}

static int
gen(const char *mode, long n, const char *dir)
{
	uint8_t key[32], iv[16];
	size_t kl = keylen_of(mode), len;
	char path[4096];
	long i;

	for (i = 0; i < n; i++) {
		FILE *fp;

		fill(key, kl);
		fill(iv, 12);
		if (mode[0] == 'e')
			len = 16 * (1 + rnd() % 16);	/* 1..16 blocks */
		else
			len = rnd() % 600;	/* 0..599: the stitched 8-block loop too */
		fill(in, len);
		snprintf(path, sizeof path, "%s/%ld.in", dir, i);
		if ((fp = fopen(path, "wb")) == NULL || fwrite(in, 1, len, fp) != len ||
		    fclose(fp) != 0) {
			perror(path);
			return 2;
		}
		printf("%ld ", i);
		hexout(stdout, key, kl);
		putchar(' ');
		if (mode[0] == 'c') {	/* the counter of the first data block */
			iv[12] = iv[13] = iv[14] = 0;
			iv[15] = 2;
			hexout(stdout, iv, 16);
		} else if (mode[0] == 'g')
			hexout(stdout, iv, 12);
		else
			putchar('-');
		putchar('\n');
	}
	return 0;
}

static int
check(const char *mode, const char *dir)
{
	char line[512], ks[80], ivs[40], tags[64], path[4096];
	uint8_t key[32], iv[16], tag[16], t2[16];
	struct tb_gcm g;
	long idx, count = 0, bad = 0;
	size_t kl = keylen_of(mode), len, wlen;
	int f;

	while (fgets(line, sizeof line, stdin) != NULL) {
		f = sscanf(line, "%ld %79s %39s %63s", &idx, ks, ivs, tags);
		if (f < 3 || unhex(ks, key, sizeof key) != (long)kl) {
			fprintf(stderr, "x_aes: bad line: %s", line);
			return 2;
		}
		snprintf(path, sizeof path, "%s/%ld.in", dir, idx);
		if (readfile(path, in, sizeof in, &len) < 0) {
			perror(path);
			return 2;
		}
		tb_gcm_init(&g, key, kl);
		count++;
		if (mode[0] == 'g') {
			if (f != 4 || unhex(ivs, iv, 12) != 12 || unhex(tags, t2, 16) != 16) {
				fprintf(stderr, "x_aes: no tag from openssl: %s", line);
				return 2;
			}
			tb_gcm_seal(&g, iv, in, len, NULL, 0, NULL, tag);
			if (memcmp(tag, t2, 16) != 0) {
				bad++;
				printf("mismatch %s case %ld: tag ", mode, idx);
				hexout(stdout, tag, 16);
				printf(" openssl %s\n", tags);
			}
			continue;
		}
		snprintf(path, sizeof path, "%s/%ld.out", dir, idx);
		if (readfile(path, want, sizeof want, &wlen) < 0) {
			perror(path);
			return 2;
		}
		if (mode[0] == 'e') {
			size_t i;

			for (i = 0; i + 16 <= len; i += 16)
				tb_aes_encrypt_block(&g.aes, in + i, got + i);
		} else {
			if (unhex(ivs, iv, 16) != 16) {
				fprintf(stderr, "x_aes: bad iv: %s", line);
				return 2;
			}
			tb_gcm_seal(&g, iv, NULL, 0, in, len, got, tag);
			/* and the raw CTR from the same counter block */
			tb_aes_ctr32(&g.aes, iv, in, len, raw);
			if (wlen != len || memcmp(raw, want, len) != 0) {
				bad++;
				printf("mismatch %s case %ld: tb_aes_ctr32\n", mode, idx);
			}
		}
		if (wlen != len || memcmp(got, want, len) != 0) {
			bad++;
			printf("mismatch %s case %ld: ", mode, idx);
			hexout(stdout, got, len);
			printf(" openssl ");
			hexout(stdout, want, wlen);
			putchar('\n');
		}
	}
	tb_gcm_wipe(&g);
	if (bad) {
		printf("%ld of %ld cases differ\n", bad, count);
		return 1;
	}
	printf("ok %ld\n", count);
	return count > 0 ? 0 : 1;
}

static int
paths(long n)
{
	static uint8_t pt[1100], c1[1100], c2[1100], p2[1100];
	uint8_t key[32], nonce[12], aad[80], t1[16], t2[16];
	struct tb_gcm fast, port;
	long i, bad = 0;
	int ni = 0;

	for (i = 0; i < n; i++) {
		size_t kl = rnd() & 1 ? 32 : 16, al = rnd() % 81, len = rnd() % 1101, bit;

		fill(key, kl);
		fill(nonce, 12);
		fill(aad, al);
		fill(pt, len);
		tb_cpu_set(0);
		tb_gcm_init(&port, key, kl);
		tb_cpu_set(~0u);
		tb_gcm_init(&fast, key, kl);
		ni = (int)fast.aes.ni;
		tb_gcm_seal(&fast, nonce, aad, al, pt, len, c1, t1);
		tb_gcm_seal(&port, nonce, aad, al, pt, len, c2, t2);
		if (memcmp(c1, c2, len) != 0 || memcmp(t1, t2, 16) != 0) {
			bad++;
			printf("mismatch seal case %ld: keylen %zu aad %zu len %zu\n", i, kl, al, len);
			continue;
		}
		if (tb_gcm_open(&fast, nonce, aad, al, c1, len, t1, p2) != 0 ||
		    memcmp(p2, pt, len) != 0 ||
		    tb_gcm_open(&port, nonce, aad, al, c2, len, t2, c2) != 0 ||
		    memcmp(c2, pt, len) != 0) {
			bad++;
			printf("mismatch open case %ld\n", i);
			continue;
		}
		/* one flipped bit of ciphertext, AAD or tag: both refuse */
		bit = rnd() % (8 * (len + al + 16));
		if (bit < 8 * len)
			c1[bit / 8] ^= (uint8_t)(1 << bit % 8);
		else if (bit < 8 * (len + al))
			aad[bit / 8 - len] ^= (uint8_t)(1 << bit % 8);
		else
			t1[bit / 8 - len - al] ^= (uint8_t)(1 << bit % 8);
		memcpy(c2, c1, len);
		if (tb_gcm_open(&fast, nonce, aad, al, c1, len, t1, p2) != -1 ||
		    tb_gcm_open(&port, nonce, aad, al, c2, len, t1, c2) != -1) {
			bad++;
			printf("mismatch case %ld: a flipped bit was accepted\n", i);
		}
	}
	tb_gcm_wipe(&fast);
	tb_gcm_wipe(&port);
	if (bad) {
		printf("%ld of %ld cases differ\n", bad, n);
		return 1;
	}
	printf("ok %ld (fast path: %s)\n", n, ni ? "yes" : "no");
	return 0;
}

static int
seal(void)
{
	static uint8_t pt[8192], out[8192];
	char line[40000], ks[80], ns[40], as[8200], ps[16400];
	uint8_t key[32], nonce[12], aad[4096], tag[16];
	struct tb_gcm g;
	long kl, al, pl;

	while (fgets(line, sizeof line, stdin) != NULL) {
		if (sscanf(line, "%79s %39s %8199s %16399s", ks, ns, as, ps) != 4 ||
		    (kl = unhex(ks, key, sizeof key)) < 0 || unhex(ns, nonce, 12) != 12 ||
		    (al = unhex(as, aad, sizeof aad)) < 0 ||
		    (pl = unhex(ps, pt, sizeof pt)) < 0 ||
		    tb_gcm_init(&g, key, (size_t)kl) < 0) {
			fprintf(stderr, "x_aes: bad line: %.100s\n", line);
			return 2;
		}
		tb_gcm_seal(&g, nonce, aad, (size_t)al, pt, (size_t)pl, out, tag);
		hexout(stdout, out, (size_t)pl);
		putchar(' ');
		hexout(stdout, tag, 16);
		putchar('\n');
	}
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 6 && strcmp(argv[1], "gen") == 0 && mode_ok(argv[2])) {
		rng = strtoull(argv[4], NULL, 10);
		return gen(argv[2], atol(argv[3]), argv[5]);
	}
	if (argc == 4 && strcmp(argv[1], "check") == 0 && mode_ok(argv[2]))
		return check(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "paths") == 0) {
		rng = strtoull(argv[3], NULL, 10);
		return paths(atol(argv[2]));
	}
	if (argc == 2 && strcmp(argv[1], "seal") == 0)
		return seal();
	if (argc == 2 && strcmp(argv[1], "path") == 0) {
		struct tb_gcm g;
		uint8_t key[16] = { 0 };

		tb_gcm_init(&g, key, sizeof key);
		puts(g.aes.ni ? "fast" : "portable");
		return 0;
	}
	fprintf(stderr, "usage: x_aes gen MODE N SEED DIR | check MODE DIR | "
	    "paths N SEED | seal | path\n");
	return 2;
}
