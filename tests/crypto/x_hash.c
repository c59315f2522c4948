/*
 * x_hash - the differential driver of tests/crypto-hash.bats: it makes
 * random inputs and computes with lib/crypto what the openssl command
 * computes from the same inputs, in openssl's output formats.
 *
 *   x_hash gen DIR N MAXLEN SEED   N files DIR/m00000...: the boundary
 *                                  lengths first, then random ones
 *   x_hash dgst HASH FILE...       "HEX *FILE" (openssl dgst -r)
 *   x_hash hmac HASH HEXKEY FILE...
 *   x_hash cases hkdf|prf N SEED   random cases, one a line:
 *                                  hkdf: HASH LEN IKM SALT INFO
 *                                  prf:  HASH LEN SECRET LABEL SEED
 *                                  (hex; "-" is empty)
 *   x_hash hkdf|prf < CASES        the derived bytes in hex, one a line
 *
 * HASH is sha1, sha256, sha384 or sha512.  TUBES_NO_ASM=1 runs the
 * portable code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/hash.h"

static uint64_t rng;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32);
}

static const struct tb_hash *
hash_by_name(const char *s)
{
	const struct tb_hash *hs[] = { &tb_hash_sha1, &tb_hash_sha256,
	    &tb_hash_sha384, &tb_hash_sha512 };
	size_t i;

	for (i = 0; i < 4; i++)
		if (strcmp(s, hs[i]->name) == 0)
			return hs[i];
	fprintf(stderr, "x_hash: no hash %s\n", s);
	exit(2);
}

static void
hex_out(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
}

static void
hex_put(const uint8_t *p, size_t n)
{
	if (n == 0)
		putchar('-');
	hex_out(p, n);
}

/* hex (or "-") to bytes; returns the count */
static size_t
unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned v;

	if (strcmp(s, "-") == 0)
		return 0;
	while (s[0] && s[1]) {
		if (n == cap || sscanf(s, "%2x", &v) != 1) {
			fprintf(stderr, "x_hash: bad hex\n");
			exit(2);
		}
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
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

/* lengths at and around the block and padding boundaries */
static const size_t edges[] = { 0, 1, 54, 55, 56, 57, 63, 64, 65, 110, 111,
    112, 113, 119, 120, 127, 128, 129, 191, 192, 255, 256, 257 };

static int
gen(const char *dir, long n, long maxlen, unsigned long seed)
{
	char path[4096];
	long i, len, j;
	FILE *fp;

	rng = seed | 1;
	for (i = 0; i < n; i++) {
		if ((size_t)i < sizeof(edges) / sizeof(edges[0]))
			len = (long)edges[i];
		else
			len = (long)(rnd() % (unsigned long)(maxlen + 1));
		snprintf(path, sizeof path, "%s/m%05ld", dir, i);
		if ((fp = fopen(path, "wb")) == NULL) {
			perror(path);
			return 2;
		}
		for (j = 0; j < len; j++)
			putc((int)(rnd() & 0xff), fp);
		if (fclose(fp) != 0)
			return 2;
	}
	return 0;
}

static void
rand_hex(size_t n)
{
	uint8_t b[1024];
	size_t i;

	for (i = 0; i < n && i < sizeof b; i++)
		b[i] = (uint8_t)rnd();
	hex_put(b, i);
}

static int
cases(const char *what, long n, unsigned long seed)
{
	static const char *names[] = { "sha1", "sha256", "sha384", "sha512" };
	static const char alpha[] = "abcdefghijklmnopqrstuvwxyz ";
	long i;

	rng = seed | 1;
	for (i = 0; i < n; i++) {
		int prf = strcmp(what, "prf") == 0;
		/* TLS 1.2 uses the PRF with SHA-256 and SHA-384 */
		const char *h = prf ? names[1 + rnd() % 2] : names[rnd() % 4];
		size_t hl = hash_by_name(h)->len, len, j, ll;

		/* now and then the longest output HKDF allows */
		if (!prf && rnd() % 16 == 0)
			len = 255 * hl;
		else
			len = 1 + rnd() % 300;
		printf("%s %zu ", h, len);
		rand_hex(rnd() % 4 == 0 ? rnd() % 3 : rnd() % 200);	/* ikm, secret */
		putchar(' ');
		if (prf) {
			uint8_t label[40];

			ll = 1 + rnd() % 30;
			for (j = 0; j < ll; j++)
				label[j] = (uint8_t)alpha[rnd() % (sizeof(alpha) - 1)];
			hex_put(label, ll);
		} else
			rand_hex(rnd() % 4 == 0 ? 0 : rnd() % 200);	/* salt */
		putchar(' ');
		rand_hex(rnd() % 4 == 0 ? 0 : rnd() % 200);		/* info, seed */
		putchar('\n');
	}
	return 0;
}

static int
derive(const char *what)
{
	static uint8_t a[1024], b[1024], c[1024], out[255 * 64];
	char h[16], sa[2100], sb[2100], sc[2100];
	size_t len, an, bn, cn;

	while (scanf("%15s %zu %2099s %2099s %2099s", h, &len, sa, sb, sc) == 5) {
		const struct tb_hash *hash = hash_by_name(h);

		an = unhex(sa, a, sizeof a);
		bn = unhex(sb, b, sizeof b);
		cn = unhex(sc, c, sizeof c);
		if (len > sizeof out)
			return 2;
		if (strcmp(what, "hkdf") == 0) {
			uint8_t prk[TB_HASH_MAX];

			tb_hkdf_extract(hash, b, bn, a, an, prk);
			if (tb_hkdf_expand(hash, prk, hash->len, c, cn, out, len) != 0)
				return 1;
		} else {
			char label[1025];

			memcpy(label, b, bn);
			label[bn] = '\0';
			tb_tls12_prf(hash, a, an, label, c, cn, out, len);
		}
		hex_out(out, len);
		putchar('\n');
	}
	return 0;
}

int
main(int argc, char **argv)
{
	uint8_t md[TB_HASH_MAX], key[1024];
	size_t keylen = 0, len;
	int i, first;

	if (argc == 6 && strcmp(argv[1], "gen") == 0)
		return gen(argv[2], atol(argv[3]), atol(argv[4]), strtoul(argv[5], NULL, 0));
	if (argc == 5 && strcmp(argv[1], "cases") == 0)
		return cases(argv[2], atol(argv[3]), strtoul(argv[4], NULL, 0));
	if (argc == 2 && (strcmp(argv[1], "hkdf") == 0 || strcmp(argv[1], "prf") == 0))
		return derive(argv[1]);
	if (argc >= 3 && (strcmp(argv[1], "dgst") == 0 || strcmp(argv[1], "hmac") == 0)) {
		const struct tb_hash *h = hash_by_name(argv[2]);
		int mac = strcmp(argv[1], "hmac") == 0;

		first = 3;
		if (mac) {
			if (argc < 4)
				return 2;
			keylen = unhex(argv[3], key, sizeof key);
			first = 4;
		}
		for (i = first; i < argc; i++) {
			uint8_t *p = slurp(argv[i], &len);

			if (mac)
				tb_hmac(h, key, keylen, p, len, md);
			else {
				tb_hash_ctx c;

				h->init(&c);
				h->update(&c, p, len);
				h->final(&c, md);
			}
			free(p);
			hex_out(md, h->len);
			printf(" *%s\n", argv[i]);
		}
		return fflush(stdout) == 0 ? 0 : 2;
	}
	fprintf(stderr, "usage: x_hash gen|dgst|hmac|cases|hkdf|prf ...\n");
	return 2;
}
