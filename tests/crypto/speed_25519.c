/*
 * speed_25519 - how fast X25519 (a shared secret from a peer's point,
 * and a public key from a scalar) and Ed25519 verification run, each for
 * about SECONDS seconds.  Prints "NAME SIZE RATE op/s" lines (SIZE: the
 * signed message's bytes, or 32); bench/crypto-25519.sh sets them beside
 * openssl speed.  CLOCK is wall (CLOCK_MONOTONIC, the default) or cpu
 * (the process's CPU time, what openssl speed divides by unless -elapsed).
 *
 *   speed_25519 [SECONDS [CLOCK [NAME...]]]   NAME: x25519 x25519-base ed25519-verify
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/c25519.h"

static clockid_t clk = CLOCK_MONOTONIC;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const names[] = { "x25519", "x25519-base", "ed25519-verify" };

/* RFC 8032 section 7.1 TEST SHA(abc): a 64-byte message */
static const char *vpub = "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf";
static const char *vmsg = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";
static const char *vsig = "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
    "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704";

static void
unhex(const char *s, uint8_t *out, size_t n)
{
	unsigned v;
	size_t i;

	for (i = 0; i < n; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			exit(2);
		out[i] = (uint8_t)v;
	}
}

static int
one(const char *name, double secs)
{
	uint8_t k[32], u[32], out[32], pub[32], sig[64], msg[64];
	double t0, t;
	unsigned long n = 0, i;
	int bad = 0;

	memset(k, 0x5a, 32);
	memset(u, 0, 32);
	u[0] = 9;
	unhex(vpub, pub, 32);
	unhex(vsig, sig, 64);
	unhex(vmsg, msg, 64);
	t0 = now();
	do {
		for (i = 0; i < 8; i++) {
			if (strcmp(name, "x25519") == 0) {
				bad |= tb_x25519(out, k, u);
				memcpy(u, out, 32);
			} else if (strcmp(name, "x25519-base") == 0) {
				tb_x25519_base(out, k);
				k[0] ^= out[0];
			} else
				bad |= tb_ed25519_verify(pub, msg, 64, sig);
		}
		n += 8;
		t = now() - t0;
	} while (t < secs);
	if (bad) {
		fprintf(stderr, "speed_25519: %s failed\n", name);
		return 1;
	}
	printf("%s %d %.1f op/s\n", name, strcmp(name, "ed25519-verify") == 0 ? 64 : 32,
	    (double)n / t);
	return 0;
}

int
main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	size_t i;
	int k, rc = 0;

	if (argc > 2 && strcmp(argv[2], "cpu") == 0)
		clk = CLOCK_PROCESS_CPUTIME_ID;
	else if (argc > 2 && strcmp(argv[2], "wall") != 0)
		secs = 0;
	if (secs <= 0) {
		fprintf(stderr, "usage: speed_25519 [SECONDS [wall|cpu [NAME...]]]\n");
		return 2;
	}
	if (argc > 3) {
		for (k = 3; k < argc; k++) {
			for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
				if (strcmp(argv[k], names[i]) == 0)
					break;
			if (i == sizeof(names) / sizeof(names[0])) {
				fprintf(stderr, "speed_25519: no %s\n", argv[k]);
				return 2;
			}
			rc |= one(argv[k], secs);
		}
	} else
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			rc |= one(names[i], secs);
	return rc;
}
