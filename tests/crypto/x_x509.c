/*
 * x_x509 - the driver of tests/x509.bats: certificate chains, signatures
 * and the trust store (lib/tls) on files made by the openssl command.
 *
 *   x_x509 verify [-X] [-d CAPATH] NOW HOST CAFILE CHAIN.pem...
 *       build and check the chain of every certificate in the CHAIN files
 *       (the first is the leaf; the rest in any order) at the fixed clock
 *       NOW (seconds since the epoch; never the real date) against the
 *       anchors of CAFILE ("-": none, or the default search when there is
 *       no -d either); HOST "-" skips the name check.  Prints "ok depth
 *       N" or "fail: MESSAGE"; -X shows each step on stdout first.
 *   x_x509 sig CERT.pem SCHEME MSG SIG
 *       tb_x509_verify_sig with the certificate's key; SCHEME in hex
 *       (0804); prints "good" or "bad".
 *   x_x509 parse CERT.pem
 *       prints the parsed fields (or "fail: MESSAGE").
 *   x_x509 trust N CERT.pem [CAFILE]
 *       opens the trust store N times (CAFILE, else the default search)
 *       and each time looks up the anchor named as CERT's issuer, then
 *       prints the mean time of an open and of a lookup.
 *
 * Exit 0 ok or good, 1 fail or bad, 2 usage or file error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tls/x509.h"
#include "tls/x509_impl.h"
#include "tubes.h"
#include "view.h"

#define MAXC 40

static uint8_t ders[MAXC][16384];
static size_t lens[MAXC];
static const uint8_t *ptrs[MAXC];

static size_t
load_pem(const char *path, size_t n)
{
	size_t len, off = 0;
	char *text = tb_slurp(path, 1 << 24, &len);
	long k;

	if (text == NULL) {
		fprintf(stderr, "x_x509: cannot read %s\n", path);
		exit(2);
	}
	while (n < MAXC && (k = tb_pem_next(text, len, &off, ders[n], sizeof ders[n])) != 0) {
		if (k < 0) {
			fprintf(stderr, "x_x509: bad PEM in %s\n", path);
			exit(2);
		}
		lens[n] = (size_t)k;
		ptrs[n] = ders[n];
		n++;
	}
	free(text);
	return n;
}

static void
usage(void)
{
	fprintf(stderr, "usage: x_x509 verify [-X] [-d CAPATH] NOW HOST CAFILE CHAIN.pem...\n"
	    "       x_x509 sig CERT.pem SCHEME MSG SIG\n"
	    "       x_x509 parse CERT.pem\n"
	    "       x_x509 trust N CERT.pem [CAFILE]\n");
	exit(2);
}

static int
cmd_verify(int argc, char **argv)
{
	static struct tb_verify v;
	struct layers lv = { stdout };
	const char *capath = NULL, *cafile, *why;
	struct tb_trust *t;
	size_t n = 0;
	int i = 0, r;

	memset(&v, 0, sizeof v);
	for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "-X") == 0)
			v.lv = &lv;
		else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc)
			capath = argv[++i];
		else
			usage();
	}
	if (argc - i < 4)
		usage();
	v.now = strtoll(argv[i], NULL, 10);
	v.host = strcmp(argv[i + 1], "-") == 0 ? NULL : argv[i + 1];
	cafile = strcmp(argv[i + 2], "-") == 0 ? NULL : argv[i + 2];
	for (i += 3; i < argc; i++)
		n = load_pem(argv[i], n);
	if ((t = tb_trust_open(cafile, capath, &why)) == NULL) {
		printf("fail: %s\n", why);
		return 1;
	}
	r = tb_x509_verify_chain(t, ptrs, lens, n, &v);
	if (r == 0)
		printf("ok depth %d\n", v.depth);
	else
		printf("fail: %s\n", v.why);
	tb_trust_close(t);
	return r == 0 ? 0 : 1;
}

static int
cmd_sig(char **argv)
{
	struct tb_x509 x;
	const char *why;
	char *msg, *sig;
	size_t ml, sl;

	if (load_pem(argv[0], 0) != 1 || tb_x509_parse(&x, ders[0], lens[0], &why) < 0) {
		fprintf(stderr, "x_x509: %s: not one certificate\n", argv[0]);
		return 2;
	}
	if ((msg = tb_slurp(argv[2], 1 << 24, &ml)) == NULL ||
	    (sig = tb_slurp(argv[3], 1 << 16, &sl)) == NULL) {
		fprintf(stderr, "x_x509: cannot read the message or signature\n");
		return 2;
	}
	if (tb_x509_verify_sig(&x, (int)strtol(argv[1], NULL, 16), (const uint8_t *)msg, ml,
	    (const uint8_t *)sig, sl) == 0) {
		printf("good\n");
		return 0;
	}
	printf("bad\n");
	return 1;
}

static int
cmd_parse(char **argv)
{
	struct tb_x509 x;
	const char *why;
	char s[512];

	if (load_pem(argv[0], 0) < 1)
		return 2;
	if (tb_x509_parse(&x, ders[0], lens[0], &why) < 0) {
		printf("fail: %s\n", why);
		return 1;
	}
	x509_name_str(&x.subject, 1, s, sizeof s);
	printf("subject: %s\n", s);
	x509_name_str(&x.issuer, 1, s, sizeof s);
	printf("issuer: %s\n", s);
	printf("notBefore: %lld\nnotAfter: %lld\n", (long long)x.not_before,
	    (long long)x.not_after);
	printf("key: %d %u\nsig: %s\nca: %d pathlen %d\n", x.key, x.key_bits,
	    x509_scheme_name(x.sig_scheme), x.ca, x.pathlen);
	x509_san_str(&x.san, s, sizeof s);
	printf("san: %s\n", s);
	return 0;
}

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
cmd_trust(int argc, char **argv)
{
	long rounds = strtol(argv[0], NULL, 10), r;
	const char *why, *cafile = argc > 2 ? argv[2] : NULL;
	double t0, open_us = 0, find_us = 0;
	struct tb_trust *t;
	struct tb_x509 a, want;
	size_t count = 0, found = 0;
	char src[300];

	if (rounds < 1 || load_pem(argv[1], 0) != 1 ||
	    tb_x509_parse(&want, ders[0], lens[0], &why) < 0) {
		fprintf(stderr, "x_x509: %s: not one certificate\n", argv[1]);
		return 2;
	}
	for (r = 0; r < rounds; r++) {
		t0 = now_us();
		if ((t = tb_trust_open(cafile, NULL, &why)) == NULL) {
			printf("fail: %s\n", why);
			return 1;
		}
		open_us += now_us() - t0;
		t0 = now_us();
		if (x509_trust_find(t, &want.issuer, 0, &a) == 0)
			found++;
		find_us += now_us() - t0;
		count = x509_trust_count(t);
		snprintf(src, sizeof src, "%s", x509_trust_source(t));
		tb_trust_close(t);
	}
	printf("open: %.1f us, lookup: %.1f us, %zu anchors from %s, found %zu of %ld\n",
	    open_us / (double)rounds, find_us / (double)rounds, count, src, found, rounds);
	return found == (size_t)rounds ? 0 : 1;
}

int
main(int argc, char **argv)
{
	tb_init(argv[0]);
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "verify") == 0)
		return cmd_verify(argc - 2, argv + 2);
	if (strcmp(argv[1], "sig") == 0 && argc == 6)
		return cmd_sig(argv + 2);
	if (strcmp(argv[1], "parse") == 0 && argc == 3)
		return cmd_parse(argv + 2);
	if (strcmp(argv[1], "trust") == 0 && argc >= 4)
		return cmd_trust(argc - 2, argv + 2);
	usage();
	return 2;
}
