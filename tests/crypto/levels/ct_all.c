/*
 * ct_all - the tests/crypto/ct_* programs in one process, for
 * tests/crypto/ct-levels.sh: valgrind starts once for all the checks of
 * a build instead of once a check (its start-up was most of the time).
 * The script compiles each ct_NAME.c with -Dmain=ct_NAME_main and links
 * them with this file (so it lives outside tests/crypto/, which the
 * Makefile builds one program a file).
 *
 *   ct_all pass|leak:PROG:MODE[:fast] ...
 *
 * Each argument runs PROG's main with MODE (and "fast"), all CPU
 * features allowed first (a portable mode sets them off again), and
 * valgrind's count of errors (VALGRIND_COUNT_ERRORS) is read around it:
 * "pass" must return 0 and add no error, "leak" must add one (the
 * negative controls).  Prints "ok ..." or "FAIL ..." a check, and exits
 * 1 if one failed, 2 outside valgrind or without its header.
 */
#include <stdio.h>
#include <string.h>

#include "crypto/ct.h"
#include "ct.h"

int ct_selftest_main(int, char **);
int ct_aes_main(int, char **);
int ct_chacha_main(int, char **);
int ct_hash_main(int, char **);
int ct_25519_main(int, char **);
int ct_ec_main(int, char **);
int ct_reach_main(int, char **);

static const struct {
	const char *name;
	int (*main)(int, char **);
} progs[] = {
	{ "ct_selftest", ct_selftest_main },
	{ "ct_aes", ct_aes_main },
	{ "ct_chacha", ct_chacha_main },
	{ "ct_hash", ct_hash_main },
	{ "ct_25519", ct_25519_main },
	{ "ct_ec", ct_ec_main },
	{ "ct_reach", ct_reach_main },
};

int
main(int argc, char **argv)
{
	char spec[200], *f[5], *save;
	unsigned long e0, e1;
	int i, j, k, rc, bad = 0;

#if CT_HAVE_VALGRIND
	if (!RUNNING_ON_VALGRIND) {
		fprintf(stderr, "ct_all: run me under valgrind\n");
		return 2;
	}
#else
	fprintf(stderr, "ct_all: built without valgrind/memcheck.h\n");
	return 2;
#endif
	for (i = 1; i < argc; i++) {
		snprintf(spec, sizeof spec, "%s", argv[i]);
		for (k = 0, f[0] = strtok_r(spec, ":", &save); f[k] != NULL && k < 4;)
			f[++k] = strtok_r(NULL, ":", &save);
		if (k < 3 || (strcmp(f[0], "pass") != 0 && strcmp(f[0], "leak") != 0))
			return 2;
		for (j = 0; j < (int)(sizeof progs / sizeof progs[0]); j++)
			if (strcmp(progs[j].name, f[1]) == 0)
				break;
		if (j == (int)(sizeof progs / sizeof progs[0]))
			return 2;
		f[k] = NULL;
		tb_cpu_set(~0u);
		fflush(stdout);
		fprintf(stderr, "ct_all: %s\n", argv[i]);
		e0 = VALGRIND_COUNT_ERRORS;
		rc = progs[j].main(k - 1, f + 1);
		e1 = VALGRIND_COUNT_ERRORS;
		if (f[0][0] == 'p' && (rc != 0 || e1 != e0)) {
			printf("FAIL %s: exit %d, %lu secret-dependent branches or indexes\n",
			    argv[i], rc, e1 - e0);
			bad = 1;
		} else if (f[0][0] == 'l' && e1 == e0) {
			printf("FAIL %s: valgrind did not see the secret\n", argv[i]);
			bad = 1;
		} else
			printf("ok %s\n", argv[i]);
	}
	return bad;
}
