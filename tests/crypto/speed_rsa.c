/*
 * speed_rsa - RSA verification rate: PKCS#1 v1.5 with SHA-256 and e =
 * 65537, on the openssl-made vectors of 2048, 3072, 4096 and 8192 bits
 * (tests/unit/rsa_vectors.h).  Prints "rsa-verify BITS RATE op/s" lines
 * (per second of wall time), "rsa-verify-cpu BITS RATE op/s" (per second
 * of this process's CPU time, which a loaded machine does not skew), and
 * the rate of the key setup (R^2 mod n).  Argument: seconds per size
 * (default 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "crypto/rsa.h"
#include "../unit/rsa_vectors.h"

/* hex digits to bytes, skipping anything else; the byte count */
static size_t
hex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1, d;

	for (; *h && n < cap; h++) {
		if (*h >= '0' && *h <= '9')
			d = *h - '0';
		else if (*h >= 'a' && *h <= 'f')
			d = *h - 'a' + 10;
		else
			continue;
		if (hi < 0) {
			hi = d;
		} else {
			out[n++] = (uint8_t)(hi << 4 | d);
			hi = -1;
		}
	}
	return n;
}

static double
clock_of(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
now(void)
{
	return clock_of(CLOCK_MONOTONIC);
}

int
main(int argc, char **argv)
{
	static const struct {
		size_t bits;
		const char *n, *d, *s;
		const struct tb_hash *h;
	} v[] = {
		{ 2048, v2048_n, v2048_digest, v2048_pkcs1, &tb_hash_sha256 },
		{ 3072, v3072_n, v3072_digest, v3072_pkcs1, &tb_hash_sha384 },
		{ 4096, v4096_n, v4096_digest, v4096_pkcs1, &tb_hash_sha512 },
		{ 8192, v8192_n, v8192_digest, v8192_pkcs1, &tb_hash_sha256 },
	};
	static const uint8_t e[] = { 1, 0, 1 };
	static uint8_t n[TB_RSA_MAX_BYTES], sig[TB_RSA_MAX_BYTES], dg[TB_HASH_MAX];
	double secs = argc > 1 ? strtod(argv[1], NULL) : 1.0, t0, t, c0;
	struct tb_rsa_pub pub;
	size_t i, nl, sl;
	long ops;

	if (!(secs > 0 && secs <= 60))
		secs = 1.0;
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		nl = hex(v[i].n, n, sizeof n);
		sl = hex(v[i].s, sig, sizeof sig);
		hex(v[i].d, dg, sizeof dg);
		t0 = now();
		ops = 0;
		do {
			if (tb_rsa_pub_set(&pub, n, nl, e, sizeof e, 0) != 0) {
				fprintf(stderr, "speed_rsa: key %zu refused\n", v[i].bits);
				return 1;
			}
			ops++;
		} while ((t = now() - t0) < secs / 4);
		printf("rsa-keysetup %zu %.0f op/s\n", v[i].bits, ops / t);
		t0 = now();
		c0 = clock_of(CLOCK_PROCESS_CPUTIME_ID);
		ops = 0;
		do {
			if (tb_rsa_verify_pkcs1(&pub, v[i].h, dg, sig, sl) != 0) {
				fprintf(stderr, "speed_rsa: %zu-bit signature refused\n", v[i].bits);
				return 1;
			}
			ops++;
		} while ((t = now() - t0) < secs);
		printf("rsa-verify %zu %.0f op/s\n", v[i].bits, ops / t);
		printf("rsa-verify-cpu %zu %.0f op/s\n", v[i].bits,
		    ops / (clock_of(CLOCK_PROCESS_CPUTIME_ID) - c0));
	}
	return 0;
}
