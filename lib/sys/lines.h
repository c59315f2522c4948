/*
 * lines.h - targets from a file or stdin, one line each, as they come.
 *
 * A command that takes targets on stdin (dig-lite -f, and the others in
 * time) reads them through this, so that a line is answered as soon as
 * it has arrived -- `(echo a; sleep 2; echo b) | dig-lite -f -` prints a's
 * answer at once -- and a line longer than the buffer is one error
 * result, never split into two targets.
 */
#ifndef TUBES_LINES_H
#define TUBES_LINES_H

#include <stddef.h>

#define TB_LINE_MAX 4096	/* a longer line is TB_LINE_LONG */

struct tb_lines {
	int fd;
	int eof;
	int skipping;		/* inside a line too long: dropping to its end */
	unsigned long lineno;	/* lines returned so far, long ones included */
	size_t off, len;	/* unread bytes are buf[off, len) */
	char buf[TB_LINE_MAX + 1];
};

enum {
	TB_LINE_OK = 1,		/* *line holds one line, NUL-terminated, no CR LF */
	TB_LINE_NONE = 0,	/* (no wait) no whole line has arrived yet */
	TB_LINE_EOF = -1,	/* the end; a last line without LF came before it */
	TB_LINE_LONG = -2,	/* a line over TB_LINE_MAX bytes: one error result */
	TB_LINE_ERR = -3	/* a read error, errno set */
};

void tb_lines_init(struct tb_lines *, int fd);
/*
 * The next line.  wait 0: return TB_LINE_NONE rather than block when no
 * whole line is buffered and the descriptor has nothing to read now;
 * wait 1: block until a line, the end or an error (a signal that sets
 * tb_interrupted ends the wait with TB_LINE_ERR, EINTR).
 */
int tb_lines_next(struct tb_lines *, char **line, int wait);

#endif
