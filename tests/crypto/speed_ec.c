/*
 * speed_ec [SECONDS [cpu|wall [NAME]]] - operations per second of
 * lib/crypto/ec.c, for bench/crypto-ec.sh: "NAME SIZE RATE op/s" lines,
 * each timed by its own loop for about SECONDS (default 1), by the
 * process's CPU time (cpu, what openssl speed counts by default) or
 * CLOCK_MONOTONIC (wall, the default); only NAME when it is given.
 * The keys and signature are the RFC 6979 A.2.5 / A.2.6 ones, checked
 * before timing so that a broken build is not timed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/ec.h"

/* hex digits (spaces skipped) into out[n] */
static void
hex(const char *s, unsigned char *out, size_t n)
{
	size_t i = 0;
	unsigned v;

	for (; *s && i < n; s += 2) {
		while (*s == ' ')
			s++;
		if (sscanf(s, "%2x", &v) != 1)
			exit(2);
		out[i++] = (unsigned char)v;
	}
	if (i != n)
		exit(2);
}

static clockid_t clk = CLOCK_MONOTONIC;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum { VERIFY256, VERIFY384, ECDH256, ECDH384, PUB256 };

static unsigned char pub256[65], pub384[97], sig256[64], sig384[96];
static unsigned char h256[32], h384[48], k256[32], k384[48];

static int
op(int which)
{
	unsigned char out[97];

	switch (which) {
	case VERIFY256:
		return tb_ecdsa_verify_raw(TB_EC_P256, pub256, 65, h256, 32, sig256, 64);
	case VERIFY384:
		return tb_ecdsa_verify_raw(TB_EC_P384, pub384, 97, h384, 48, sig384, 96);
	case ECDH256:
		return tb_p256_ecdh(out, k256, pub256, 65);
	case ECDH384:
		return tb_p384_ecdh(out, k384, pub384, 97);
	default:
		return tb_p256_pubkey(out, k256);
	}
}

static void
timeit(const char *name, int which, double secs)
{
	double t0 = now(), t;
	long n = 0;

	do {
		if (op(which) != 0) {
			fprintf(stderr, "%s: failed\n", name);
			exit(1);
		}
		n++;
		t = now() - t0;
	} while (t < secs);
	printf("%s 0 %.0f op/s\n", name, (double)n / t);
}

int
main(int argc, char **argv)
{
	static const char *names[] = {
		"p256-verify", "p384-verify", "p256-ecdh", "p384-ecdh", "p256-pubkey"
	};
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	const char *only = argc > 3 ? argv[3] : NULL;
	int i, ran = 0;

	if (argc > 2 && strcmp(argv[2], "cpu") == 0)
		clk = CLOCK_PROCESS_CPUTIME_ID;
	else if (argc > 2 && strcmp(argv[2], "wall") != 0) {
		fprintf(stderr, "usage: speed_ec [SECONDS [cpu|wall [NAME]]]\n");
		return 2;
	}

	/* RFC 6979 A.2.5 (P-256) and A.2.6 (P-384), message "sample" */
	hex("04 60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"
	    "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299", pub256, 65);
	hex("AF2BDBE1AA9B6EC1E2ADE1D694F41FC71A831D0268E9891562113D8A62ADD1BF", h256, 32);
	hex("EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716"
	    "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8", sig256, 64);
	hex("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721", k256, 32);
	hex("04 EC3A4E415B4E19A4568618029F427FA5DA9A8BC4AE92E02E06AAE5286B300C64"
	    "DEF8F0EA9055866064A254515480BC13"
	    "8015D9B72D7D57244EA8EF9AC0C621896708A59367F9DFB9F54CA84B3F1C9DB1"
	    "288B231C3AE0D4FE7344FD2533264720", pub384, 97);
	hex("9A9083505BC92276AEC4BE312696EF7BF3BF603F4BBD381196A029F340585312"
	    "313BCA4A9B5B890EFEE42C77B1EE25FE", h384, 48);
	hex("94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C"
	    "81A648152E44ACF96E36DD1E80FABE46"
	    "99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94F"
	    "A329C145786E679E7B82C71A38628AC8", sig384, 96);
	hex("6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D8"
	    "96D5724E4C70A825F872C9EA60D2EDF5", k384, 48);
	for (i = 0; i < 5; i++)
		if (only == NULL || strcmp(only, names[i]) == 0) {
			timeit(names[i], i, secs);
			ran++;
		}
	if (ran == 0) {
		fprintf(stderr, "speed_ec: no test named %s\n", only);
		return 2;
	}
	return 0;
}
