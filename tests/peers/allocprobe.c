/*
 * allocprobe - a test helper for the allocation switch: makes five
 * allocations through tb_malloc and exits 2 ("local error") at the first
 * that fails, as every command must.  Prints which one failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tubes.h"

int
main(int argc, char **argv)
{
	void *p[5];
	int i;

	tb_init(argv[0]);
	for (i = 0; i < 5; i++) {
		if ((p[i] = tb_malloc(16)) == NULL) {
			printf("allocation %d failed\n", i + 1);
			if (argc > 1 && strcmp(argv[1], "abort") == 0)
				abort();
			while (i-- > 0)
				tb_free(p[i]);
			tb_exit(EXIT_LOCAL);
		}
	}
	for (i = 0; i < 5; i++)
		tb_free(p[i]);
	tb_exit(EXIT_OK);
}
