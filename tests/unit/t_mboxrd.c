/* t_mboxrd.c - lib/sys/mboxrd.c: an mbox a message at a time through a small window */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mail.h"
#include "mboxrd.h"
#include "tap.h"
#include "tubes.h"

static char path[] = "/tmp/t_mboxrd.XXXXXX";

static void
put(const char *text)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL || fputs(text, fp) == EOF || fclose(fp) != 0)
		exit(1);
}

/* every message read through a window of win bytes, joined with '|' */
static const char *
all(size_t win, size_t max, int *rc)
{
	static char out[4096];
	struct mboxrd rd;
	const uint8_t *m;
	size_t len, o = 0;

	out[0] = '\0';
	if (mboxrd_open(&rd, path, win, max) < 0)
		return "(open)";
	while ((*rc = mboxrd_next(&rd, &m, &len)) == 1) {
		if (o + len + 2 > sizeof out)
			break;
		memcpy(out + o, m, len);
		o += len;
		out[o++] = '|';
		out[o] = '\0';
	}
	mboxrd_close(&rd);
	return out;
}

/* the same split as mbox_next on the whole file in memory */
static const char *
whole(void)
{
	static char out[4096];
	char *buf;
	size_t n = 0, pos = 0, off, len, o = 0;
	int fd = open(path, O_RDONLY);

	buf = fd < 0 ? NULL : tb_slurp_fd(fd, 1 << 20, &n);
	if (fd >= 0)
		close(fd);
	out[0] = '\0';
	while (buf && mbox_next((const uint8_t *)buf, n, &pos, &off, &len)) {
		memcpy(out + o, buf + off, len);
		o += len;
		out[o++] = '|';
		out[o] = '\0';
	}
	tb_free(buf);
	return out;
}

int
main(void)
{
	static const char *const boxes[] = {
		"From a Sun Nov 22 00:00:00 2026\nSubject: 1\n\none\n\n"
		    "From b Sun Nov 22 00:00:00 2026\nSubject: 2\n\ntwo\n>From here\n\n"
		    "From c Sun Nov 22 00:00:00 2026\nSubject: 3\n\nthree, no final newline",
		"From a x\r\nS: 1\r\n\r\nbody\r\n\r\nFrom b x\r\nS: 2\r\n\r\nbody 2\r\n",
		"From only\n",
		"",
		"no separator at all\nFrom inside a line is not one\n",
	};
	size_t i, win;
	int rc, fd = mkstemp(path);

	if (fd < 0)
		return 1;
	close(fd);
	TEST("messages split as mbox_next splits the whole file, through any window") {
		for (i = 0; i < sizeof boxes / sizeof boxes[0]; i++) {
			put(boxes[i]);
			for (win = 1; win <= 64; win++) {
				const char *got = all(win, 1 << 20, &rc);

				CHECK_EQ(rc, 0);
				CHECK_STR(got, whole());
			}
		}
	}
	TEST("rewind: the first message again; a message over max is EFBIG") {
		struct mboxrd rd;
		const uint8_t *m;
		size_t len;

		put(boxes[0]);
		CHECK_EQ(mboxrd_open(&rd, path, 8, 1 << 20), 0);
		CHECK_EQ(mboxrd_next(&rd, &m, &len), 1);
		CHECK_EQ(mboxrd_next(&rd, &m, &len), 1);
		mboxrd_rewind(&rd);
		CHECK_EQ(mboxrd_next(&rd, &m, &len), 1);
		CHECK(len == 16 && memcmp(m, "Subject: 1\n\none\n", 16) == 0);
		mboxrd_close(&rd);
		all(8, 20, &rc);
		CHECK_EQ(rc, -1);
		CHECK_EQ(errno, EFBIG);
		CHECK_EQ(mboxrd_open(&rd, "/nonexistent/x", 0, 10), -1);
		CHECK_EQ(errno, ENOENT);
	}
	unlink(path);
	return tap_done();
}
