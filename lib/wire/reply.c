/*
 * reply.c - 3-digit multi-line replies as SMTP sends them (RFC 5321
 * 4.2.1): "ddd-text" lines continue, "ddd text" (or a bare "ddd") with the
 * same code ends the reply.  FTP's looser grouping (RFC 959 4.2: inner
 * lines may carry any text) is the same function with loose set.  Pure:
 * reading replies off a connection is lib/session (replyio.c, session.c).
 */
#include <stddef.h>
#include <string.h>

#include "reply.h"

int
reply_line(const char *s, size_t len, int *code, int *more)
{
	if (len < 3 || s[0] < '1' || s[0] > '5' || s[1] < '0' || s[1] > '9' ||
	    s[2] < '0' || s[2] > '9')
		return -1;
	if (len > 3 && s[3] != ' ' && s[3] != '-')
		return -1;
	*code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	*more = len > 3 && s[3] == '-';
	return 0;
}

int
reply_add(struct reply *r, const char *line, size_t len, int first, int loose)
{
	int code, more, coded;
	size_t skip, tl;

	if (first) {
		r->code = 0;
		r->nlines = 0;
		r->len = 0;
		r->text[0] = '\0';
	}
	coded = reply_line(line, len, &code, &more) == 0;
	if (first && !coded)
		return REPLY_EBAD;
	if (first)
		r->code = code;
	else if (coded && code != r->code && !more && !loose)
		return REPLY_EBAD;	/* SMTP: the end must carry the same code */
	if (!coded || (loose && code != r->code)) {
		/* text inside the reply, whatever it starts with (RFC 959 4.2) */
		skip = 0;
		more = 1;
	} else {
		skip = len > 4 ? 4 : len;
	}
	tl = len - skip;
	if (r->len + tl + 2 > sizeof r->text || r->nlines >= REPLY_MAXLINES)
		return REPLY_ELONG;
	if (r->nlines++)
		r->text[r->len++] = '\n';
	memcpy(r->text + r->len, line + skip, tl);
	r->len += tl;
	r->text[r->len] = '\0';
	return more ? 0 : 1;
}
