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

#endif
