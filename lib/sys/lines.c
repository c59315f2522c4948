/* lines.c - targets from a file or stdin, one line each, as they come (lines.h) */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "lines.h"
#include "tubes.h"

void
tb_lines_init(struct tb_lines *l, int fd)
{
	l->fd = fd;
	l->eof = l->skipping = 0;
	l->lineno = 0;
	l->off = l->len = 0;
}

/* one read: 1 bytes added, 0 none (nothing there and no wait), -1 error */
static int
fill(struct tb_lines *l, int wait)
{
	struct pollfd pfd = { .fd = l->fd, .events = POLLIN };
	ssize_t r;

	if (l->off > 0) {
		memmove(l->buf, l->buf + l->off, l->len - l->off);
		l->len -= l->off;
		l->off = 0;
	}
	for (;;) {
		r = tb_poll(&pfd, 1, wait ? -1 : 0);
		if (r < 0)
			return -1;
		if (r == 0)
			return 0;
		r = read(l->fd, l->buf + l->len, TB_LINE_MAX - l->len);
		if (r < 0 && (errno == EINTR || errno == EAGAIN) && !tb_interrupted)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			l->eof = 1;
		l->len += (size_t)r;
		return 1;
	}
}

int
tb_lines_next(struct tb_lines *l, char **line, int wait)
{
	char *p, *nl;
	size_t n;

	for (;;) {
		p = l->buf + l->off;
		nl = memchr(p, '\n', l->len - l->off);
		if (l->skipping) {
			/* the rest of a line too long, up to and with its LF */
			if (nl == NULL) {
				l->off = l->len;
			} else {
				l->off += (size_t)(nl - p) + 1;
				l->skipping = 0;
				continue;
			}
		} else if (nl != NULL || (l->eof && l->off < l->len)) {
			n = nl ? (size_t)(nl - p) : l->len - l->off;
			l->off += n + (nl != NULL);
			if (n > 0 && p[n - 1] == '\r')
				n--;
			p[n] = '\0';	/* over the LF, or the spare byte at the end */
			l->lineno++;
			*line = p;
			return TB_LINE_OK;
		} else if (l->len - l->off >= TB_LINE_MAX) {
			l->off = l->len;
			l->skipping = 1;
			l->lineno++;
			return TB_LINE_LONG;
		}
		if (l->eof)
			return TB_LINE_EOF;
		switch (fill(l, wait)) {
		case 0:
			return TB_LINE_NONE;
		case -1:
			return TB_LINE_ERR;
		}
	}
}
