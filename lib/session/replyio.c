/* replyio.c - reading one whole 3-digit reply off a connection (reply.h) */
#include <errno.h>
#include <string.h>

#include "conn.h"

int
reply_read(struct conn *c, struct reply *r)
{
	char line[4096];
	ssize_t n;
	int code, more, first = 1, coded;
	size_t tl, skip;

	r->code = 0;
	r->nlines = 0;
	r->len = 0;
	r->text[0] = '\0';
	for (;;) {
		n = conn_line(c, line, sizeof line);
		if (n == -2) {
			errno = ECONNRESET;
			return -1;
		}
		if (n < 0)
			return -1;
		coded = reply_line(line, (size_t)n, &code, &more) == 0;
		if (!coded) {
			/*
			 * RFC 959 lets a multi-line FTP reply carry lines that
			 * do not start with the code; only its end must.
			 */
			if (first) {
				errno = EPROTO;
				return -1;
			}
			more = 1;
			code = r->code;
		} else if (first) {
			r->code = code;
		} else if (code != r->code && !more) {
			/* the end must carry the same code */
			errno = EPROTO;
			return -1;
		}
		first = 0;
		/* a line without a code is text as a whole; else drop "ddd-" */
		skip = !coded ? 0 : (size_t)n > 4 ? 4 : (size_t)n;
		tl = (size_t)n - skip;
		if (r->len + tl + 2 > sizeof r->text || r->nlines >= REPLY_MAXLINES) {
			errno = EMSGSIZE;
			return -1;
		}
		if (r->nlines++)
			r->text[r->len++] = '\n';
		memcpy(r->text + r->len, line + skip, tl);
		r->len += tl;
		r->text[r->len] = '\0';
		if (!more)
			return 0;
	}
}
