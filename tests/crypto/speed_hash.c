/*
 * speed_hash - how fast the hashes run: SHA-256, SHA-512, SHA-1 and
 * HMAC-SHA256 over buffers of SIZE bytes for about SECONDS seconds each.
 * Prints "NAME SIZE RATE MB/s" lines (MB = 10^6 bytes, as openssl speed
 * reports kB = 1000 bytes); bench/crypto-hash.sh sets them beside openssl.
 * TUBES_NO_ASM=1 measures the portable code.  Timed by the wall clock
 * (CLOCK_MONOTONIC), or with "cpu" by the process's CPU time, as openssl
 * speed times itself by default: on a loaded machine that ratio is the
 * steadier one.
 *
 *   speed_hash [SECONDS [SIZE [wall|cpu] [NAME...]]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/ct.h"
#include "crypto/hash.h"

static clockid_t clk = CLOCK_MONOTONIC;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const names[] = { "sha256", "sha512", "sha1", "hmac-sha256" };

static void
one(const char *name, const uint8_t *buf, size_t size, double secs)
{
	uint8_t md[TB_HASH_MAX], key[32];
	double t0 = now(), t;
	unsigned long n = 0, i;

	memset(key, 0x42, sizeof key);
	do {
		for (i = 0; i < 16; i++) {
			if (strcmp(name, "sha256") == 0)
				tb_sha256(buf, size, md);
			else if (strcmp(name, "sha512") == 0)
				tb_sha512(buf, size, md);
			else if (strcmp(name, "sha1") == 0)
				tb_sha1(buf, size, md);
			else
				tb_hmac(&tb_hash_sha256, key, sizeof key, buf, size, md);
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

	if (secs <= 0 || size == 0 || (buf = malloc(size)) == NULL) {
		fprintf(stderr, "usage: speed_hash [SECONDS [SIZE [wall|cpu] [NAME...]]]\n");
		return 2;
	}
	for (i = 0; i < size; i++)
		buf[i] = (uint8_t)i;
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
				fprintf(stderr, "speed_hash: no hash %s\n", argv[k]);
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
