/*
 * speed_chacha - how fast ChaCha20, Poly1305 and ChaCha20-Poly1305 (seal)
 * run over buffers of SIZE bytes for about SECONDS seconds each.  Prints
 * "NAME SIZE RATE MB/s" lines (MB = 10^6 bytes, as openssl speed reports
 * kB = 1000 bytes); bench/crypto-hash.sh sets them beside openssl speed.
 * TUBES_NO_ASM=1 measures the portable code.  Timed by the wall clock
 * (CLOCK_MONOTONIC), or with "cpu" by the process's CPU time, as openssl
 * speed times itself by default: on a loaded machine that ratio is the
 * steadier one.
 *
 *   speed_chacha [SECONDS [SIZE [wall|cpu] [NAME...]]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/chacha.h"
#include "crypto/ct.h"

static clockid_t clk = CLOCK_MONOTONIC;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const names[] = { "chacha20", "poly1305", "chacha20-poly1305" };

static void
one(const char *name, uint8_t *buf, size_t size, double secs)
{
	uint8_t key[32], nonce[12], tag[16], aad[13];
	double t0 = now(), t;
	unsigned long n = 0, i;

	memset(key, 0x42, sizeof key);
	memset(nonce, 0x24, sizeof nonce);
	memset(aad, 0x11, sizeof aad);
	do {
		for (i = 0; i < 16; i++) {
			if (strcmp(name, "chacha20") == 0)
				tb_chacha20_xor(key, nonce, 1, buf, buf, size);
			else if (strcmp(name, "poly1305") == 0)
				tb_poly1305(key, buf, size, tag);
			else	/* 13 bytes of AAD, as TLS 1.2 has */
				tb_chacha20poly1305_seal(key, nonce, aad, sizeof aad,
				    buf, size, buf, tag);
		}
		n += 16;
		t = now() - t0;
	} while (t < secs);
	printf("%s %zu %.1f MB/s\n", name, size, (double)n * (double)size / t / 1e6);
}

int
main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	size_t size = argc > 2 ? (size_t)atol(argv[2]) : 16384, i;
	uint8_t *buf;
	int k;

	if (secs <= 0 || size == 0 || (buf = calloc(1, size)) == NULL) {
		fprintf(stderr, "usage: speed_chacha [SECONDS [SIZE [wall|cpu] [NAME...]]]\n");
		return 2;
	}
	k = 3;
	if (argc > 3 && (strcmp(argv[3], "cpu") == 0 || strcmp(argv[3], "wall") == 0)) {
		if (strcmp(argv[3], "cpu") == 0)
			clk = CLOCK_PROCESS_CPUTIME_ID;
		k = 4;
	}
	if (argc > k) {
		for (; k < argc; k++) {
			for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
				if (strcmp(argv[k], names[i]) == 0)
					break;
			if (i == sizeof(names) / sizeof(names[0])) {
				fprintf(stderr, "speed_chacha: no primitive %s\n", argv[k]);
				return 2;
			}
			one(argv[k], buf, size, secs);
		}
	} else
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			one(names[i], buf, size, secs);
	free(buf);
	return 0;
}
