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
 *   x_x509 sigs CERT.pem LIST
 *       LIST lines "SCHEME MSG SIG": each must verify, and must not with
 *       the message changed in one byte, the signature changed in one
 *       byte, or under the scheme one higher; prints "N good, M changed
 *       ones refused, K failures" and each failure.
 *   x_x509 bundle FILE
 *       every certificate of a CA bundle: parsed, its self-signature
 *       verified (SHA-1 ones only counted), and found as an anchor of the
 *       bundle opened as a trust store; prints the counts and each failure.
 *   x_x509 parse CERT.pem
 *       prints the parsed fields (or "fail: MESSAGE").
 *   x_x509 trust N CERT.pem [CAFILE]
 *       opens the trust store N times (CAFILE, else the default search)
 *       and each time looks up the anchor named as CERT's issuer, then
 *       prints the mean CPU time of an open and of a lookup.
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
	    "       x_x509 sigs CERT.pem LIST\n"
	    "       x_x509 bundle FILE\n"
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
	int r;

	if (load_pem(argv[0], 0) != 1 || tb_x509_parse(&x, ders[0], lens[0], &why) < 0) {
		fprintf(stderr, "x_x509: %s: not one certificate\n", argv[0]);
		return 2;
	}
	if ((msg = tb_slurp(argv[2], 1 << 24, &ml)) == NULL ||
	    (sig = tb_slurp(argv[3], 1 << 16, &sl)) == NULL) {
		fprintf(stderr, "x_x509: cannot read the message or signature\n");
		return 2;
	}
	r = tb_x509_verify_sig(&x, (int)strtol(argv[1], NULL, 16), (const uint8_t *)msg, ml,
	    (const uint8_t *)sig, sl);
	printf("%s\n", r == 0 ? "good" : "bad");
	free(msg);
	free(sig);
	return r == 0 ? 0 : 1;
}

static int
cmd_sigs(char **argv)
{
	struct tb_x509 x;
	const char *why;
	char line[3000], mf[1024], sf[1024];
	size_t ml, sl, good = 0, refused = 0, bad = 0;
	unsigned scheme;
	FILE *fp;

	if (load_pem(argv[0], 0) != 1 || tb_x509_parse(&x, ders[0], lens[0], &why) < 0 ||
	    (fp = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "x_x509: %s or %s unusable\n", argv[0], argv[1]);
		return 2;
	}
	while (fgets(line, sizeof line, fp) != NULL) {
		uint8_t *msg, *sig;

		if (sscanf(line, "%x %1023s %1023s", &scheme, mf, sf) != 3)
			continue;
		if ((msg = (uint8_t *)tb_slurp(mf, 1 << 20, &ml)) == NULL ||
		    (sig = (uint8_t *)tb_slurp(sf, 1 << 16, &sl)) == NULL || ml == 0 || sl == 0) {
			fprintf(stderr, "x_x509: cannot read %s or %s\n", mf, sf);
			return 2;
		}
		if (tb_x509_verify_sig(&x, (int)scheme, msg, ml, sig, sl) == 0)
			good++;
		else {
			printf("not verified: %s", line);
			bad++;
		}
		msg[ml / 2] ^= 0x20;
		refused += tb_x509_verify_sig(&x, (int)scheme, msg, ml, sig, sl) == -1;
		msg[ml / 2] ^= 0x20;
		sig[sl / 3] ^= 0x01;
		refused += tb_x509_verify_sig(&x, (int)scheme, msg, ml, sig, sl) == -1;
		sig[sl / 3] ^= 0x01;
		refused += tb_x509_verify_sig(&x, (int)scheme + 1, msg, ml, sig, sl) == -1;
		if (refused != 3 * (good + bad)) {
			printf("changed and still verified: %s", line);
			bad++;
			refused = 3 * (good + bad);
		}
		free(msg);
		free(sig);
	}
	fclose(fp);
	printf("%zu good, %zu changed ones refused, %zu failures\n", good, refused, bad);
	return bad == 0 && good > 0 ? 0 : 1;
}

static int
cmd_bundle(const char *path)
{
	static uint8_t der[65536];
	struct tb_x509 x, a;
	struct tb_trust *t;
	const char *why;
	char *text, name[256];
	size_t len, off = 0, n = 0, parsed = 0, selfok = 0, sha1 = 0, found = 0, bad = 0;
	long k;
	int j;

	if ((text = tb_slurp(path, 1 << 24, &len)) == NULL ||
	    (t = tb_trust_open(path, NULL, &why)) == NULL) {
		fprintf(stderr, "x_x509: cannot read %s\n", path);
		return 2;
	}
	while ((k = tb_pem_next(text, len, &off, der, sizeof der)) != 0) {
		n++;
		if (k < 0 || tb_x509_parse(&x, der, (size_t)k, &why) < 0) {
			printf("certificate %zu: %s\n", n, k < 0 ? "bad PEM" : why);
			bad++;
			continue;
		}
		parsed++;
		x509_name_str(&x.subject, 1, name, sizeof name);
		if (x.sig_scheme == 0x0201 || x.sig_scheme == 0x0203)
			sha1++;
		else if (x509_issued_by(&x, &x) == 0)
			selfok++;
		else {
			printf("certificate %zu (%s): its self-signature does not verify\n", n, name);
			bad++;
		}
		for (j = 0; x509_trust_find(t, &x.subject, j, &a) == 0; j++)
			if (a.der.len == x.der.len && memcmp(a.der.p, x.der.p, a.der.len) == 0)
				break;
		if (x509_trust_find(t, &x.subject, j, &a) == 0)
			found++;
		else {
			printf("certificate %zu (%s): not found in the trust store\n", n, name);
			bad++;
		}
	}
	printf("%zu certificates, %zu parsed, %zu self-signatures verified, %zu SHA-1 not checked, "
	    "%zu found as anchors, %zu failures\n", n, parsed, selfok, sha1, found, bad);
	free(text);
	tb_trust_close(t);
	return bad == 0 && n > 0 ? 0 : 1;
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

	/* CPU time, not wall time: the test machine is shared and loaded */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
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
	if (strcmp(argv[1], "sigs") == 0 && argc == 4)
		return cmd_sigs(argv + 2);
	if (strcmp(argv[1], "bundle") == 0 && argc == 3)
		return cmd_bundle(argv[2]);
	if (strcmp(argv[1], "parse") == 0 && argc == 3)
		return cmd_parse(argv + 2);
	if (strcmp(argv[1], "trust") == 0 && argc >= 4)
		return cmd_trust(argc - 2, argv + 2);
	usage();
	return 2;
}
