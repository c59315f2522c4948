/*
 * reply.h - 3-digit multi-line replies (SMTP RFC 5321 4.2.1, FTP RFC 959 4.2):
 * the parsed form and the line parser.  Reading one off a connection is
 * reply_read (conn.h).
 */
#ifndef TB_REPLY_H
#define TB_REPLY_H

#include <stddef.h>

/* --- 3-digit multi-line replies (reply.c); SMTP's rules, RFC 5321 4.2.1 --- */

#define REPLY_MAX 16384
#define REPLY_MAXLINES 1000	/* lines in one reply: a count limit on continuations */
struct reply {
	int code;		/* 100..599 */
	size_t nlines;
	size_t len;		/* bytes in text */
	char text[REPLY_MAX];	/* the lines' text after "ddd-"/"ddd ", joined with \n */
};
/*
 * Parse one reply line: 0 and *code, *more (1 for "ddd-") on success,
 * -1 if it is not a reply line.  Pure: used by reply_read and fuzzed.
 */
int reply_line(const char *line, size_t len, int *code, int *more);

#define REPLY_EBAD	(-1)	/* not a reply line where one must be, or a wrong end code */
#define REPLY_ELONG	(-2)	/* over REPLY_MAX bytes or REPLY_MAXLINES lines */
/*
 * Group the lines of one reply: feed them in order (first = 1 for the
 * first, which resets r).  Returns 1 when the reply is complete, 0 when
 * more lines are due, REPLY_EBAD or REPLY_ELONG.  The first line must
 * carry a code.  Strict (SMTP, RFC 5321 4.2.1): a line with another code
 * and no "-" is malformed.  Loose (FTP, RFC 959 4.2): an inner line may
 * carry any text, another code included; only "ddd " with the first
 * line's code ends the reply.  Lines without a code are kept whole.
 */
int reply_add(struct reply *r, const char *line, size_t len, int first, int loose);

#endif
