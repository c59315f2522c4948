/* t_lines.c - the streaming target reader (lines.c): lines as they come, long lines whole */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lines.h"
#include "tap.h"
#include "tubes.h"

static struct tb_lines l;

static void
put(int fd, const char *s)
{
	if (tb_write_all(fd, s, strlen(s)) < 0)
		abort();
}

int
main(void)
{
	char *line;
	int p[2];

	TEST("a line is returned as soon as it is whole; no wait gives NONE for a part") {
		if (pipe(p) < 0)
			return 1;
		tb_lines_init(&l, p[0]);
		CHECK_EQ(tb_lines_next(&l, &line, 0), TB_LINE_NONE);
		put(p[1], "first\r\nsec");
		CHECK_EQ(tb_lines_next(&l, &line, 0), TB_LINE_OK);
		CHECK_STR(line, "first");
		CHECK_EQ(tb_lines_next(&l, &line, 0), TB_LINE_NONE);
		put(p[1], "ond\n\nthird");
		CHECK_EQ(tb_lines_next(&l, &line, 1), TB_LINE_OK);
		CHECK_STR(line, "second");
		CHECK_EQ(tb_lines_next(&l, &line, 1), TB_LINE_OK);
		CHECK_STR(line, "");
		close(p[1]);
		CHECK_EQ(tb_lines_next(&l, &line, 1), TB_LINE_OK);	/* the last, without LF */
		CHECK_STR(line, "third");
		CHECK_EQ(l.lineno, 4);
		CHECK_EQ(tb_lines_next(&l, &line, 1), TB_LINE_EOF);
		CHECK_EQ(tb_lines_next(&l, &line, 0), TB_LINE_EOF);
		close(p[0]);
	}
	TEST("a line over TB_LINE_MAX is one LONG result, then the next line as it is") {
		static char big[3 * TB_LINE_MAX];

		if (pipe(p) < 0)
			return 1;
		tb_lines_init(&l, p[0]);
		if (fork() == 0) {	/* more than a pipe holds at once: a writer of its own */
			close(p[0]);
			memset(big, 'a', sizeof big - 1);
			put(p[1], "x\n");
			put(p[1], big);
			put(p[1], "\ny\n");
			put(p[1], big + TB_LINE_MAX * 2 - 1);	/* exactly TB_LINE_MAX: long */
			put(p[1], "\n");
			memset(big, 'b', TB_LINE_MAX);
			big[TB_LINE_MAX - 1] = '\0';		/* TB_LINE_MAX - 1: fits */
			put(p[1], big);
			put(p[1], "\nz");
			_exit(0);
		}
		close(p[1]);
		CHECK_EQ(tb_lines_next(&l, &line, 1), TB_LINE_OK);
		CHECK_STR(line, "x");
		CHECK_EQ(tb_lines_next(&l, &line, 1), TB_LINE_LONG);
		CHECK_EQ(l.lineno, 2);
		CHECK_EQ(tb_lines_next(&l, &line, 1), TB_LINE_OK);
		CHECK_STR(line, "y");
		CHECK_EQ(l.lineno, 3);
		CHECK_EQ(tb_lines_next(&l, &line, 1), TB_LINE_LONG);
		CHECK_EQ(tb_lines_next(&l, &line, 1), TB_LINE_OK);
		CHECK_EQ(strlen(line), TB_LINE_MAX - 1);
		CHECK_EQ(tb_lines_next(&l, &line, 1), TB_LINE_OK);
		CHECK_STR(line, "z");
		CHECK_EQ(l.lineno, 6);
		CHECK_EQ(tb_lines_next(&l, &line, 1), TB_LINE_EOF);
		close(p[0]);
	}
	TEST("a long last line without LF is LONG, then the end") {
		static char big[TB_LINE_MAX + 10];

		if (pipe(p) < 0)
			return 1;
		tb_lines_init(&l, p[0]);
		memset(big, 'c', sizeof big - 1);
		if (fork() == 0) {
			close(p[0]);
			put(p[1], big);
			_exit(0);
		}
		close(p[1]);
		CHECK_EQ(tb_lines_next(&l, &line, 1), TB_LINE_LONG);
		CHECK_EQ(tb_lines_next(&l, &line, 1), TB_LINE_EOF);
		close(p[0]);
	}
	TEST("a read error is ERR with errno") {
		int fd = dup(0);

		close(fd);	/* a descriptor that is not open */
		tb_lines_init(&l, fd);
		errno = 0;
		CHECK_EQ(tb_lines_next(&l, &line, 1), TB_LINE_ERR);
		CHECK_EQ(errno, EBADF);
	}
	return tap_done();
}
