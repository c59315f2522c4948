/*
 * x_25519 - the differential driver of tests/crypto-25519.bats: it makes
 * random inputs, wraps keys for the openssl command, and computes with
 * lib/crypto what openssl computes from the same inputs.  Hex is
 * lowercase; "-" is an empty message.
 *
 *   x_25519 keys N SEED           N random 32-byte strings, one a line
 *   x_25519 cases N SEED          N "SCALAR U" lines for X25519: random u,
 *                                 u with bit 255 set, non-canonical u
 *                                 (p .. 2^255 - 1), small u, low-order u
 *   x_25519 msgs PREFIX N MAX SEED  N files PREFIX0..: 1 to MAX random bytes
 *   x_25519 pem x25519|ed25519 PREFIX < KEYS
 *                                 each private key as PKCS#8 PEM in
 *                                 PREFIXi.pem, and all of them on stdout
 *   x_25519 pubpem PREFIX < POINTS  each u as an X25519 SubjectPublicKeyInfo
 *                                 PEM in PREFIXi.pem
 *   x_25519 x25519 < "SCALAR U"   X25519 in hex, or "fail" (all zeros)
 *   x_25519 hexfiles FILE...      each 32-byte file in hex, "fail" for a
 *                                 missing or empty one (openssl's results)
 *   x_25519 base < SCALARS        X25519(SCALAR, 9)
 *   x_25519 verify < "PUB SIGFILE MSGFILE"  "ok" or "bad" for each line
 *                                 (PUB in hex, the 64-byte signature and
 *                                 the message in files)
 *   x_25519 mutants N SEED < "PUB SIGFILE MSGFILE"  for each line: "ok" if it
 *                                 verifies, then N copies each with one
 *                                 random bit of sig, pub or message flipped
 *                                 (or one byte changed): the count of
 *                                 those that verified (must be 0)
 *   x_25519 pairs N SEED          N random a, b: X25519(a, X25519(b, 9)) =
 *                                 X25519(b, X25519(a, 9)); "N agree", or
 *                                 the first a, b that do not and exit 1
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/c25519.h"

static uint64_t rng;

static uint64_t
rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
rndbytes(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)rnd();
}

static void
puthex(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
}

static int
unhex(const char *s, uint8_t *out, size_t n)
{
	unsigned v;
	size_t i;

	if (strlen(s) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return 0;
}

static void
bad(const char *what)
{
	fprintf(stderr, "x_25519: %s\n", what);
	exit(2);
}

/* the low-order u-coordinates (t_crypto_25519.c names them) */
static const char *const low[] = {
	"0000000000000000000000000000000000000000000000000000000000000000",
	"0100000000000000000000000000000000000000000000000000000000000000",
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
	"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
};

static void
cases(long n)
{
	uint8_t k[32], u[32];
	long i;

	for (i = 0; i < n; i++) {
		rndbytes(k, 32);
		rndbytes(u, 32);
		switch (i % 10) {
		case 0: case 1: case 2: case 3: case 4:
			u[31] &= 0x7f;		/* a random u below 2^255 */
			break;
		case 5:				/* bit 255 set, ignored */
			u[31] |= 0x80;
			break;
		case 6:				/* p + j, j < 19: non-canonical */
			memset(u, 0xff, 32);
			u[0] = (uint8_t)(0xed + rnd() % 19);
			u[31] = (rnd() & 1) ? 0x7f : 0xff;
			break;
		case 7:				/* a small u */
			memset(u, 0, 32);
			u[0] = (uint8_t)(rnd() % 32);
			break;
		case 8:				/* a low-order u */
			unhex(low[rnd() % (sizeof(low) / sizeof(low[0]))], u, 32);
			if (rnd() & 1)
				u[31] |= 0x80;
			break;
		default:			/* random, top bit random */
			break;
		}
		puthex(k, 32);
		putchar(' ');
		puthex(u, 32);
		putchar('\n');
	}
}

static void
b64line(const uint8_t *p, size_t n, FILE *f)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	uint32_t v;

	for (i = 0; i < n; i += 3) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		fputc(a[v >> 18 & 63], f);
		fputc(a[v >> 12 & 63], f);
		fputc(i + 1 < n ? a[v >> 6 & 63] : '=', f);
		fputc(i + 2 < n ? a[v & 63] : '=', f);
	}
	fputc('\n', f);
}

/* PEM blocks of DER = prefix || 32 key bytes, one file each and on stdout */
static void
pem(const char *kind, const char *prefix, int pub)
{
	/* PKCS#8 PrivateKeyInfo and SubjectPublicKeyInfo for OID 1.3.101.110/112 */
	static const uint8_t priv[16] = { 0x30, 0x2e, 0x02, 0x01, 0x00, 0x30,
	    0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20 };
	static const uint8_t spki[12] = { 0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
	    0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00 };
	const char *label = pub ? "PUBLIC KEY" : "PRIVATE KEY";
	char line[256], path[4096];
	uint8_t der[48];
	size_t hl = pub ? sizeof(spki) : sizeof(priv);
	long i = 0;
	FILE *f;

	memcpy(der, pub ? spki : priv, hl);
	if (strcmp(kind, "ed25519") == 0)
		der[pub ? 8 : 11] = 0x70;
	else if (strcmp(kind, "x25519") != 0)
		bad("kind is x25519 or ed25519");
	while (fgets(line, sizeof(line), stdin) != NULL) {
		line[strcspn(line, " \n")] = '\0';
		if (unhex(line, der + hl, 32) < 0)
			bad("a key is not 32 bytes of hex");
		snprintf(path, sizeof(path), "%s%ld.pem", prefix, i++);
		if ((f = fopen(path, "w")) == NULL)
			bad(path);
		fprintf(f, "-----BEGIN %s-----\n", label);
		b64line(der, hl + 32, f);
		fprintf(f, "-----END %s-----\n", label);
		fclose(f);
		if (!pub) {
			printf("-----BEGIN %s-----\n", label);
			b64line(der, hl + 32, stdout);
			printf("-----END %s-----\n", label);
		}
	}
}

static size_t
readfile(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f;
	size_t n;

	if (strcmp(path, "-") == 0)
		return 0;
	if ((f = fopen(path, "rb")) == NULL)
		bad(path);
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

/* "PUB SIGFILE MSGFILE" */
static int
sigline(char *line, uint8_t pub[32], uint8_t sig[64], uint8_t *msg,
    size_t cap, size_t *len)
{
	char *p = strtok(line, " \n"), *s = strtok(NULL, " \n"),
	    *m = strtok(NULL, " \n");

	if (p == NULL || s == NULL || m == NULL || unhex(p, pub, 32) < 0 ||
	    readfile(s, sig, 64) != 64)
		return -1;
	*len = readfile(m, msg, cap);
	return 0;
}

int
main(int argc, char **argv)
{
	static uint8_t msg[65536];
	char line[512];
	uint8_t k[32], u[32], out[32], a[32], b[32], pub[32], sig[64];
	size_t len;
	long n, i;

	if (argc < 2)
		bad("usage: x_25519 keys|cases|msgs|pem|pubpem|x25519|base|verify|mutants|pairs ...");
	if (argc == 4 && (strcmp(argv[1], "keys") == 0 ||
	    strcmp(argv[1], "cases") == 0 || strcmp(argv[1], "pairs") == 0)) {
		n = atol(argv[2]);
		rng = strtoull(argv[3], NULL, 10);
		if (strcmp(argv[1], "cases") == 0) {
			cases(n);
			return 0;
		}
		for (i = 0; i < n; i++) {
			rndbytes(a, 32);
			if (argv[1][0] == 'k') {
				puthex(a, 32);
				putchar('\n');
				continue;	/* keys: no pairs */
			}
			rndbytes(b, 32);
			tb_x25519_base(pub, b);
			if (tb_x25519(k, a, pub) != 0)
				bad("an honest public key gave all zeros");
			tb_x25519_base(pub, a);
			if (tb_x25519(u, b, pub) != 0)
				bad("an honest public key gave all zeros");
			if (memcmp(k, u, 32) != 0) {
				printf("disagree: a ");
				puthex(a, 32);
				printf(" b ");
				puthex(b, 32);
				printf("\n");
				return 1;
			}
		}
		if (argv[1][0] != 'k')
			printf("%ld agree\n", n);
		return 0;
	}
	if (argc == 6 && strcmp(argv[1], "msgs") == 0) {
		char path[4096];
		long max = atol(argv[4]);
		FILE *f;

		n = atol(argv[3]);
		rng = strtoull(argv[5], NULL, 10);
		if (max < 1 || max > (long)sizeof(msg))
			bad("MAX out of range");
		for (i = 0; i < n; i++) {
			len = 1 + (size_t)(rnd() % (uint64_t)max);
			rndbytes(msg, len);
			snprintf(path, sizeof(path), "%s%ld", argv[2], i);
			if ((f = fopen(path, "wb")) == NULL ||
			    fwrite(msg, 1, len, f) != len || fclose(f) != 0)
				bad(path);
		}
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "pem") == 0) {
		pem(argv[2], argv[3], 0);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "pubpem") == 0) {
		pem("x25519", argv[2], 1);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "x25519") == 0) {
		while (fgets(line, sizeof(line), stdin) != NULL) {
			char *ks = strtok(line, " \n"), *us = strtok(NULL, " \n");

			if (ks == NULL || us == NULL || unhex(ks, k, 32) < 0 ||
			    unhex(us, u, 32) < 0)
				bad("want SCALAR U in hex");
			if (tb_x25519(out, k, u) < 0)
				printf("fail\n");
			else {
				puthex(out, 32);
				putchar('\n');
			}
		}
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "hexfiles") == 0) {
		for (i = 2; i < argc; i++) {
			FILE *f = fopen(argv[i], "rb");

			len = f != NULL ? fread(out, 1, 32, f) : 0;
			if (f != NULL)
				fclose(f);
			if (len == 0)
				printf("fail\n");
			else if (len != 32)
				bad("a result is not 32 bytes");
			else {
				puthex(out, 32);
				putchar('\n');
			}
		}
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "base") == 0) {
		while (fgets(line, sizeof(line), stdin) != NULL) {
			line[strcspn(line, " \n")] = '\0';
			if (unhex(line, k, 32) < 0)
				bad("want SCALAR in hex");
			tb_x25519_base(out, k);
			puthex(out, 32);
			putchar('\n');
		}
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "verify") == 0) {
		while (fgets(line, sizeof(line), stdin) != NULL) {
			if (sigline(line, pub, sig, msg, sizeof(msg), &len) < 0)
				bad("want PUB SIGFILE MSGFILE");
			printf("%s\n", tb_ed25519_verify(pub, msg, len, sig) == 0 ?
			    "ok" : "bad");
		}
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "mutants") == 0) {
		long m = atol(argv[2]), j, passed;
		uint8_t p2[32], s2[64];

		rng = strtoull(argv[3], NULL, 10);
		while (fgets(line, sizeof(line), stdin) != NULL) {
			if (sigline(line, pub, sig, msg, sizeof(msg), &len) < 0)
				bad("want PUB SIGFILE MSGFILE");
			printf("%s", tb_ed25519_verify(pub, msg, len, sig) == 0 ?
			    "ok" : "bad");
			passed = 0;
			for (j = 0; j < m; j++) {
				uint64_t r = rnd(), where = r % 3;
				uint8_t x = (uint8_t)(1 << (r >> 8 & 7));

				if (r >> 11 & 1)	/* a byte changed, not a bit */
					x = (uint8_t)((r >> 16) | 1);
				memcpy(p2, pub, 32);
				memcpy(s2, sig, 64);
				if (where == 0)
					s2[(r >> 24) % 64] ^= x;
				else if (where == 1)
					p2[(r >> 24) % 32] ^= x;
				else if (len > 0)
					msg[(r >> 24) % len] ^= x;
				else
					s2[(r >> 24) % 64] ^= x;
				passed += tb_ed25519_verify(p2, msg, len, s2) == 0;
				if (where == 2 && len > 0)
					msg[(r >> 24) % len] ^= x;
			}
			printf(" %ld\n", passed);
		}
		return 0;
	}
	bad("unknown mode or wrong arguments");
	return 2;
}
