/* fsbatch.c - complete downloads renamed into place after one syncfs (see fsbatch.h) */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fsbatch.h"
#include "tubes.h"

int
fsbatch_add(struct fsbatch *b, struct fsafe *f)
{
	size_t n;

	if (b->n == b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 64;
		char (*v)[256] = tb_realloc(b->names, nc * sizeof *v);

		if (v == NULL)
			tb_die(EXIT_LOCAL, "out of memory");
		b->names = v;
		b->cap = nc;
	}
	n = strnlen(f->name, sizeof b->names[0] - 1);
	memcpy(b->names[b->n], f->name, n);
	b->names[b->n++][n] = '\0';
	if (fsafe_close(f) < 0) {
		b->n--;
		return -1;
	}
	return 0;
}

int
fsbatch_flush(struct fsbatch *b, int dirfd, const char **failed)
{
	static char name[256];
	size_t i;
	int r = 0;

	if (b->n == 0)
		return 0;
	if (fsafe_sync(dirfd) < 0) {
		*failed = "syncfs";
		r = -1;
	}
	for (i = 0; i < b->n && r == 0; i++)
		if (fsafe_publish(dirfd, b->names[i]) < 0) {
			int e = errno;

			snprintf(name, sizeof name, "%s", b->names[i]);
			*failed = name;
			errno = e;
			r = -1;
		}
	b->n = 0;
	return r;
}

void
fsbatch_free(struct fsbatch *b)
{
	tb_free(b->names);
	b->names = NULL;
	b->n = b->cap = 0;
}
