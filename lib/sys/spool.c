/* spool.c - fixed-size records in an unlinked temporary file (spool.h) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spool.h"
#include "tubes.h"

int
spool_open(struct spool *sp, size_t recsz)
{
	const char *d = getenv("TMPDIR");
	char p[4200];

	memset(sp, 0, sizeof *sp);
	sp->recsz = recsz;
	if (d == NULL || *d != '/')
		d = "/tmp";
#ifdef O_TMPFILE
	if ((sp->fd = open(d, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) >= 0)
		return 0;
#endif
	snprintf(p, sizeof p, "%s/.tubes-spool.XXXXXX", d);
	if ((sp->fd = mkostemp(p, O_CLOEXEC)) >= 0)
		unlink(p);
	return 0;	/* without a file the records stay in memory */
}

int
spool_put(struct spool *sp, size_t i, const void *rec)
{
	if (sp->fd >= 0) {
		ssize_t w = pwrite(sp->fd, rec, sp->recsz, (off_t)(i * sp->recsz));

		if (w != (ssize_t)sp->recsz) {
			if (w >= 0)
				errno = ENOSPC;
			return -1;
		}
	} else {
		if (i >= sp->cap) {
			size_t nc = sp->cap ? sp->cap * 2 : 256;
			unsigned char *m;

			while (nc <= i)
				nc *= 2;
			if (nc > (size_t)-1 / sp->recsz ||
			    (m = tb_realloc(sp->mem, nc * sp->recsz)) == NULL) {
				errno = ENOMEM;
				return -1;
			}
			memset(m + sp->cap * sp->recsz, 0, (nc - sp->cap) * sp->recsz);
			sp->mem = m;
			sp->cap = nc;
		}
		memcpy(sp->mem + i * sp->recsz, rec, sp->recsz);
	}
	if (i >= sp->n)
		sp->n = i + 1;
	return 0;
}

int
spool_get(const struct spool *sp, size_t i, void *rec)
{
	ssize_t r;

	memset(rec, 0, sp->recsz);
	if (i >= sp->n)
		return 0;
	if (sp->fd < 0) {
		memcpy(rec, sp->mem + i * sp->recsz, sp->recsz);
		return 0;
	}
	r = pread(sp->fd, rec, sp->recsz, (off_t)(i * sp->recsz));
	if (r < 0)
		return -1;
	if ((size_t)r < sp->recsz)
		memset((unsigned char *)rec + r, 0, sp->recsz - (size_t)r);
	return 0;
}

void
spool_close(struct spool *sp)
{
	if (sp->fd >= 0)
		close(sp->fd);
	tb_free(sp->mem);
	sp->fd = -1;
	sp->mem = NULL;
	sp->cap = sp->n = 0;
}
