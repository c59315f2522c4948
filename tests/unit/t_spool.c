/* t_spool.c - fixed-size records in an unlinked temporary file (lib/sys/spool.c) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "spool.h"
#include "tubes.h"

struct rec {
	uint32_t i;
	char name[300];
};

int
main(void)
{
	static struct tb_spool sp;
	static struct rec r, got;
	struct stat st;
	uint32_t i;
	int bad;

	tb_init("t_spool");
	TEST("records put are read back by number, across many buffer flushes") {
		CHECK_EQ(tb_spool_open(&sp, sizeof r), 0);
		CHECK_EQ(fstat(sp.fd, &st), 0);
		CHECK_EQ(st.st_nlink, 0);	/* no name anywhere */
		for (i = 0, bad = 0; i < 10000; i++) {
			memset(&r, 0, sizeof r);
			r.i = i;
			snprintf(r.name, sizeof r.name, "name-%u", i);
			bad += tb_spool_put(&sp, &r) < 0;
		}
		CHECK_EQ(bad, 0);
		CHECK_EQ(sp.n, 10000);
		CHECK(sp.flushed > 0 && sp.flushed < 10000);	/* some on file, some in the buffer */
		for (i = 0, bad = 0; i < 10000; i++)
			bad += tb_spool_get(&sp, i, &got) < 0 || got.i != i;
		CHECK_EQ(bad, 0);
		CHECK_EQ(tb_spool_get(&sp, 3, &got), 0);
		CHECK_STR(got.name, "name-3");
		CHECK_EQ(tb_spool_get(&sp, 10000, &got), -1);
		CHECK_EQ(errno, EINVAL);
	}
	TEST("a record is replaced in place, on the file or in the buffer") {
		r.i = 77;
		snprintf(r.name, sizeof r.name, "replaced");
		CHECK_EQ(tb_spool_set(&sp, 5, &r), 0);
		CHECK_EQ(tb_spool_set(&sp, 9999, &r), 0);
		CHECK_EQ(tb_spool_get(&sp, 5, &got), 0);
		CHECK_STR(got.name, "replaced");
		CHECK_EQ(tb_spool_get(&sp, 9999, &got), 0);
		CHECK_STR(got.name, "replaced");
		CHECK_EQ(tb_spool_get(&sp, 6, &got), 0);
		CHECK_STR(got.name, "name-6");
		CHECK_EQ(tb_spool_set(&sp, 10000, &r), -1);
	}
	TEST("after a flush a forked child reads the same records") {
		pid_t pid;
		int stt = -1;

		CHECK_EQ(tb_spool_flush(&sp), 0);
		CHECK_EQ(sp.flushed, 10000);
		if ((pid = fork()) == 0) {
			struct tb_spool *c = &sp;

			c->len = 0;	/* nothing from the parent's buffer: the file only */
			_exit(tb_spool_get(c, 9998, &got) == 0 && got.i == 9998 ? 0 : 1);
		}
		CHECK(pid > 0 && waitpid(pid, &stt, 0) == pid);
		CHECK_EQ(stt, 0);
		tb_spool_close(&sp);
		CHECK_EQ(sp.fd, -1);
	}
	TEST("a record larger than the buffer, or empty, is refused") {
		CHECK_EQ(tb_spool_open(&sp, TB_SPOOL_BUF + 1), -1);
		CHECK_EQ(errno, EINVAL);
		CHECK_EQ(tb_spool_open(&sp, 0), -1);
	}
	return tap_done();
}
