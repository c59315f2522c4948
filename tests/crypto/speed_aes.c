/*
 * speed_aes - AES-GCM seal and open rates, for bench/crypto-aes.sh:
 * prints "NAME SIZE RATE UNIT" lines, e.g. "aes-128-gcm 16384 2345.6
 * MB/s" (seal), "aes-128-gcm-open 16384 2345.6 MB/s".
 *   speed_aes [SECONDS [SIZE [wall|cpu]]]   (default 1 second, 16384
 *   bytes, wall: CLOCK_MONOTONIC; cpu: the process's CPU time, which is
 *   what `openssl speed` measures unless given -elapsed, and which a
 *   loaded machine disturbs less)
 * The path is the one tb_cpu() gives: TUBES_NO_ASM=1 for the portable
 * one, whose lines are named "...-portable".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/aes.h"
#include "crypto/ct.h"

static clockid_t clk = CLOCK_MONOTONIC;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint8_t buf[1 << 20], ct[1 << 20];

/* seal, or (open) check and decrypt a sealed buffer, for secs seconds */
static void
run(const char *name, size_t keylen, double secs, size_t size, int open)
{
	struct tb_gcm g;
	uint8_t key[32], nonce[12], aad[13], tag[16];
	double t0, t;
	unsigned long n = 0;

	memset(key, 0x42, sizeof key);
	memset(nonce, 0x24, sizeof nonce);
	memset(aad, 0x17, sizeof aad);
	tb_gcm_init(&g, key, keylen);
	tb_gcm_seal(&g, nonce, aad, sizeof aad, buf, size, ct, tag);
	t0 = now();
	do {
		int i;

		for (i = 0; i < 16; i++, n++) {
			if (open) {
				if (tb_gcm_open(&g, nonce, aad, sizeof aad, ct, size, tag, buf) != 0) {
					fprintf(stderr, "speed_aes: open failed\n");
					exit(1);
				}
			} else {
				nonce[11] = (uint8_t)n;
				tb_gcm_seal(&g, nonce, aad, sizeof aad, buf, size, buf, tag);
			}
		}
		t = now() - t0;
	} while (t < secs);
	printf("%s%s%s %zu %.1f MB/s\n", name, open ? "-open" : "",
	    g.aes.ni ? "" : "-portable", size, (double)n * (double)size / t / 1e6);
	tb_gcm_wipe(&g);
}

int
main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	size_t size = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 16384;

	if (argc > 3 && strcmp(argv[3], "cpu") == 0)
		clk = CLOCK_PROCESS_CPUTIME_ID;
	else if (argc > 3 && strcmp(argv[3], "wall") != 0)
		size = 0;
	if (secs <= 0 || size == 0 || size > sizeof buf) {
		fprintf(stderr, "usage: speed_aes [SECONDS [SIZE <= %zu [wall|cpu]]]\n",
		    sizeof buf);
		return 2;
	}
	run("aes-128-gcm", 16, secs, size, 0);
	run("aes-256-gcm", 32, secs, size, 0);
	run("aes-128-gcm", 16, secs, size, 1);
	run("aes-256-gcm", 32, secs, size, 1);
	return 0;
}
