/* mboxrd.c - an mbox read a message at a time through one window (mboxrd.h) */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "mail.h"
#include "mboxrd.h"
#include "tubes.h"

int
mboxrd_open(struct mboxrd *rd, const char *path, size_t win, size_t max)
{
	memset(rd, 0, sizeof *rd);
	rd->cap = win ? win : 65536;
	rd->max = max;
	if ((rd->buf = tb_malloc(rd->cap)) == NULL)
		return -1;
	if ((rd->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		int e = errno;

		tb_free(rd->buf);
		rd->buf = NULL;
		errno = e;
		return -1;
	}
	return 0;
}

/* more of the file into the window, growing it when full: 0, or -1 with errno */
static int
more(struct mboxrd *rd)
{
	ssize_t n;

	if (rd->len == rd->cap) {
		size_t nc = rd->cap * 2;
		uint8_t *b;

		if (rd->cap >= rd->max + 8) {
			errno = EFBIG;	/* one message, and its separator, over max */
			return -1;
		}
		if (nc > rd->max + 8)
			nc = rd->max + 8;
		if ((b = tb_realloc(rd->buf, nc)) == NULL)
			return -1;
		rd->buf = b;
		rd->cap = nc;
	}
	do
		n = pread(rd->fd, rd->buf + rd->len, rd->cap - rd->len, (off_t)(rd->base + rd->len));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n == 0)
		rd->eof = 1;
	rd->len += (size_t)n;
	return 0;
}

int
mboxrd_next(struct mboxrd *rd, const uint8_t **msg, size_t *len)
{
	size_t p, off, mlen;

	if (rd->used) {
		/* the last message is done with: the window starts at its separator */
		memmove(rd->buf, rd->buf + rd->used, rd->len - rd->used);
		rd->base += rd->used;
		rd->len -= rd->used;
		rd->used = 0;
	}
	for (;;) {
		p = 0;
		/*
		 * A message is whole when the separator after it is in the
		 * window (mbox_next stopped short of the window's end), or
		 * the window reaches the end of the file.
		 */
		if (mbox_next(rd->buf, rd->len, &p, &off, &mlen) && (p < rd->len || rd->eof)) {
			*msg = rd->buf + off;
			*len = mlen;
			/* the next call starts at the separator: drop what is before it */
			rd->used = p;
			return 1;
		}
		if (rd->eof)
			return 0;
		if (more(rd) < 0)
			return -1;
	}
}

void
mboxrd_rewind(struct mboxrd *rd)
{
	rd->base = 0;
	rd->len = rd->used = 0;
	rd->eof = 0;
}

void
mboxrd_close(struct mboxrd *rd)
{
	if (rd->fd >= 0)
		close(rd->fd);
	rd->fd = -1;
	tb_free(rd->buf);
	rd->buf = NULL;
}
