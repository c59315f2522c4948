/*
 * ct_selftest - proves that the ctgrind check can fail.  "clean" runs
 * tb_ct_eq and tb_ct_cmov on secret bytes (valgrind must stay silent);
 * "branch" and "index" run code that branches on, and indexes a table
 * by, a secret byte (valgrind must report it).
 */
#include <stdio.h>
#include <string.h>

#include "crypto/ct.h"
#include "ct.h"

static const unsigned char table[256] = { 1, 2, 3 };

int
main(int argc, char **argv)
{
	unsigned char a[32], b[32], c[32];
	volatile unsigned sink = 0;
	int r;

	if (argc != 2)
		return 2;
	memset(a, 0x5a, sizeof(a));
	memcpy(b, a, sizeof(b));
	memset(c, 0, sizeof(c));
	CT_SECRET(a, sizeof(a));
	if (strcmp(argv[1], "clean") == 0) {
		r = tb_ct_eq(a, b, sizeof(a));
		tb_ct_cmov(c, a, sizeof(c), tb_ct_mask32((uint32_t)r));
		CT_PUBLIC(&r, sizeof(r));
		tb_wipe(a, sizeof(a));
		return r == 1 ? 0 : 1;
	}
	if (strcmp(argv[1], "branch") == 0) {
		if (a[0] == 0x5a)	/* a branch on a secret: must be reported */
			sink = 1;
		return (int)sink - 1;
	}
	if (strcmp(argv[1], "index") == 0) {
		sink = table[a[1]];	/* an index by a secret: must be reported */
		return 0;
	}
	return 2;
}
