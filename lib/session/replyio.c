/* replyio.c - reading one whole 3-digit reply off a connection (reply.h) */
#include <errno.h>
#include <string.h>

#include "conn.h"

int
reply_read(struct conn *c, struct reply *r)
{
	char line[4096];
	ssize_t n;
	int first = 1, rc;

	for (;;) {
		n = conn_line(c, line, sizeof line);
		if (n == -2) {
			errno = ECONNRESET;
			return -1;
		}
		if (n < 0)
			return -1;
		rc = reply_add(r, line, (size_t)n, first, 0);
		first = 0;
		if (rc < 0) {
			errno = rc == REPLY_ELONG ? EMSGSIZE : EPROTO;
			return -1;
		}
		if (rc == 1)
			return 0;
	}
}
