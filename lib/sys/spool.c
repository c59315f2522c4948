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
tb_spool_open(struct tb_spool *sp, size_t size)
{
	const char *d = getenv("TMPDIR");
	char p[4200];

	memset(sp, 0, sizeof *sp);
	sp->fd = -1;
	if (size == 0 || size > TB_SPOOL_BUF) {
		errno = EINVAL;
		return -1;
	}
	sp->size = size;
	if (d == NULL || *d != '/')
		d = "/tmp";
#ifdef O_TMPFILE
	sp->fd = open(d, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
	if (sp->fd < 0) {
		/* no O_TMPFILE here (or on that file system): a name, gone at once */
		snprintf(p, sizeof p, "%s/.tubes-spool.XXXXXX", d);
		if ((sp->fd = mkostemp(p, O_CLOEXEC)) >= 0)
			(void)unlink(p);
	}
	if (sp->fd < 0) {
		/* no file can be made: the records stay in memory (it grows) */
		sp->cap = 0;
		return 0;
	}
	sp->cap = TB_SPOOL_BUF;
	if ((sp->buf = tb_malloc(TB_SPOOL_BUF)) == NULL) {
		close(sp->fd);
		sp->fd = -1;
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

int
tb_spool_flush(struct tb_spool *sp)
{
	off_t at = (off_t)(sp->flushed * sp->size);

	if (sp->len == 0 || sp->fd < 0)
		return 0;
	if (pwrite(sp->fd, sp->buf, sp->len, at) != (ssize_t)sp->len) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	sp->flushed += sp->len / sp->size;
	sp->len = 0;
	return 0;
}

int
tb_spool_put(struct tb_spool *sp, const void *rec)
{
	if (sp->fd < 0 && sp->len + sp->size > sp->cap) {
		size_t nc = sp->cap ? sp->cap * 2 : TB_SPOOL_BUF;
		unsigned char *b;

		if (nc < sp->cap || (b = tb_realloc(sp->buf, nc)) == NULL) {
			errno = ENOMEM;
			return -1;
		}
		sp->buf = b;
		sp->cap = nc;
	}
	if (sp->fd >= 0 && sp->len + sp->size > TB_SPOOL_BUF && tb_spool_flush(sp) < 0)
		return -1;
	memcpy(sp->buf + sp->len, rec, sp->size);
	sp->len += sp->size;
	sp->n++;
	return 0;
}

int
tb_spool_get(struct tb_spool *sp, uint64_t i, void *rec)
{
	ssize_t r;

	if (i >= sp->n) {
		errno = EINVAL;
		return -1;
	}
	if (i >= sp->flushed) {
		memcpy(rec, sp->buf + (i - sp->flushed) * sp->size, sp->size);
		return 0;
	}
	r = pread(sp->fd, rec, sp->size, (off_t)(i * sp->size));
	if (r != (ssize_t)sp->size) {
		if (r >= 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

int
tb_spool_set(struct tb_spool *sp, uint64_t i, const void *rec)
{
	if (i >= sp->n) {
		errno = EINVAL;
		return -1;
	}
	if (i >= sp->flushed) {
		memcpy(sp->buf + (i - sp->flushed) * sp->size, rec, sp->size);
		return 0;
	}
	if (pwrite(sp->fd, rec, sp->size, (off_t)(i * sp->size)) != (ssize_t)sp->size) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

void
tb_spool_close(struct tb_spool *sp)
{
	if (sp->fd >= 0)
		close(sp->fd);
	sp->fd = -1;
	tb_free(sp->buf);
	sp->buf = NULL;
	sp->n = sp->flushed = sp->len = sp->cap = 0;
}
