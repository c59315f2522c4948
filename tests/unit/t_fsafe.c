/* t_fsafe.c - unit tests of lib/sys/fsafe.c: the partial-file name space (FTP-12) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsafe.h"
#include "tap.h"

static int dir;

/* the contents of name under dir, NUL-terminated, or "(none)" */
static const char *
slurp(const char *name)
{
	static char buf[256];
	int fd = openat(dir, name, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return "(none)";
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

static int
exists(const char *name)
{
	struct stat st;

	return fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static void
put(const char *name, const char *text)
{
	int fd = openat(dir, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
}

/* fetch name with contents text the way a download does */
static int
fetch(const char *name, const char *text)
{
	struct fsafe f;

	if (fsafe_open(&f, dir, name, 0, NULL) < 0)
		return -1;
	if (fsafe_write(&f, text, strlen(text)) < 0)
		return -1;
	return fsafe_commit(&f);
}

int
main(void)
{
	char tmpl[] = "/tmp/t_fsafe.XXXXXX", out[64];
	struct fsafe f, g;
	off_t have;

	if (mkdtemp(tmpl) == NULL || (dir = open(tmpl, O_RDONLY | O_DIRECTORY)) < 0) {
		perror("t_fsafe: mkdtemp");
		return 1;
	}

	TEST("FTP-12 the temporary name: a prefix on the last component, one to one") {
		CHECK_EQ(fsafe_partname("a", out, sizeof out), 0);
		CHECK_STR(out, ".part-a");
		CHECK_EQ(fsafe_partname("a.part", out, sizeof out), 0);
		CHECK_STR(out, ".part-a.part");
		CHECK_EQ(fsafe_partname("d/x.tar", out, sizeof out), 0);
		CHECK_STR(out, "d/.part-x.tar");
		CHECK_EQ(fsafe_partname("/abs/.a.part", out, sizeof out), 0);
		CHECK_STR(out, "/abs/.part-.a.part");
		CHECK_EQ(fsafe_partname(".part-a", out, sizeof out), -1);
		CHECK_EQ(errno, EINVAL);
		CHECK_EQ(fsafe_partname(".part-", out, sizeof out), -1);
		CHECK_EQ(fsafe_partname("d/", out, sizeof out), -1);
		CHECK_EQ(fsafe_partname("", out, sizeof out), -1);
		CHECK_EQ(fsafe_partname("abcdefghij", out, 16), -1);
		CHECK_EQ(errno, ENAMETOOLONG);
		CHECK_EQ(fsafe_reserved(".part-x", 7), 1);
		CHECK_EQ(fsafe_reserved(".part", 5), 0);
		CHECK_EQ(fsafe_reserved(".Part-x", 7), 0);
		CHECK_EQ(fsafe_reserved("x.part-", 7), 0);
	}

	TEST("FTP-12 a.part then a, and a then a.part: two files, each its own bytes") {
		CHECK_EQ(fetch("a.part", "A.PART"), 0);
		CHECK_EQ(fetch("a", "A"), 0);
		CHECK_STR(slurp("a.part"), "A.PART");
		CHECK_STR(slurp("a"), "A");
		CHECK_EQ(fetch("b", "B"), 0);
		CHECK_EQ(fetch("b.part", "B.PART"), 0);
		CHECK_STR(slurp("b"), "B");
		CHECK_STR(slurp("b.part"), "B.PART");
		CHECK_EQ(fetch(".b.part", ".B.PART"), 0);
		CHECK_STR(slurp(".b.part"), ".B.PART");
		CHECK_STR(slurp("b"), "B");
		CHECK(!exists(".part-a") && !exists(".part-b") && !exists(".part-b.part"));
		CHECK_EQ(fetch(".part-b", "X"), -1);
		CHECK_EQ(errno, EINVAL);
	}

	TEST("FTP-12 two open at once (a batch): a.part's and a's temporary files differ") {
		CHECK_EQ(fsafe_open(&f, dir, "c.part", 0, NULL), 0);
		CHECK_EQ(fsafe_open(&g, dir, "c", 0, NULL), 0);
		CHECK_EQ(fsafe_write(&f, "C.PART", 6), 0);
		CHECK_EQ(fsafe_write(&g, "C", 1), 0);
		CHECK_EQ(fsafe_close(&f), 0);
		CHECK_EQ(fsafe_close(&g), 0);
		CHECK_EQ(fsafe_sync(dir), 0);
		CHECK_EQ(fsafe_publish(dir, "c.part"), 0);
		CHECK_EQ(fsafe_publish(dir, "c"), 0);
		CHECK_STR(slurp("c.part"), "C.PART");
		CHECK_STR(slurp("c"), "C");
	}

	TEST("FTP-12 an existing temporary file: EEXIST, untouched; -C appends; TRUNC empties") {
		put(".part-d", "old");
		CHECK_EQ(fsafe_open(&f, dir, "d", 0, NULL), -1);
		CHECK_EQ(errno, EEXIST);
		CHECK_STR(slurp(".part-d"), "old");
		CHECK_EQ(fsafe_open(&f, dir, "d", FSAFE_RESUME, &have), 0);
		CHECK_EQ(have, 3);
		CHECK_EQ(f.created, 0);
		CHECK_EQ(fsafe_write(&f, "new", 3), 0);
		fsafe_abort(&f);	/* not this run's: kept */
		CHECK_STR(slurp(".part-d"), "oldnew");
		CHECK_EQ(fsafe_open(&f, dir, "d", FSAFE_TRUNC, &have), 0);
		CHECK_EQ(have, 0);
		CHECK_EQ(fsafe_write(&f, "x", 1), 0);
		fsafe_keep(&f);
		CHECK_STR(slurp(".part-d"), "x");
	}

	TEST("FTP-12 clean-up removes only what this run created") {
		CHECK_EQ(fsafe_open(&f, dir, "e", FSAFE_RESUME, &have), 0);
		CHECK_EQ(have, 0);
		CHECK_EQ(f.created, 1);
		fsafe_abort(&f);
		CHECK(!exists(".part-e"));
		CHECK_EQ(fsafe_open(&f, dir, "e", 0, NULL), 0);
		fsafe_keep(&f);
		CHECK(exists(".part-e"));
		fsafe_abort(&f);	/* closed already: still removes what it created */
		CHECK(!exists(".part-e"));
	}

	TEST("FTP-12 a symlink or a FIFO as the temporary file: refused, never followed nor blocked on") {
		CHECK_EQ(symlinkat("target", dir, ".part-s"), 0);
		CHECK_EQ(fsafe_open(&f, dir, "s", FSAFE_RESUME, &have), -1);
		CHECK_EQ(fsafe_open(&f, dir, "s", FSAFE_TRUNC, &have), -1);
		CHECK(!exists("target"));
		CHECK_EQ(mkfifoat(dir, ".part-p", 0644), 0);
		CHECK_EQ(fsafe_open(&f, dir, "p", FSAFE_RESUME, &have), -1);
		CHECK_EQ(errno, EEXIST);
	}

	TEST("FSAFE_NOCLOBBER: commit never replaces an existing NAME; the temporary file stays") {
		put("n", "mine");
		CHECK_EQ(fsafe_open(&f, dir, "n", FSAFE_NOCLOBBER, NULL), 0);
		CHECK_EQ(fsafe_write(&f, "theirs", 6), 0);
		CHECK_EQ(fsafe_commit(&f), -1);
		CHECK_EQ(errno, EEXIST);
		CHECK_STR(slurp("n"), "mine");
		CHECK_STR(slurp(".part-n"), "theirs");
		CHECK_EQ(fsafe_open(&f, dir, "m", FSAFE_NOCLOBBER, NULL), 0);
		CHECK_EQ(fsafe_commit(&f), 0);
		CHECK(exists("m") && !exists(".part-m"));
	}

	TEST("fsafe_open_special: a device is written in place, a file or directory is not") {
		char path[4200];
		int fd = -1;

		CHECK_EQ(fsafe_open_special("/dev/null", 0, &fd), 1);
		CHECK(fd >= 0 && write(fd, "x", 1) == 1);
		close(fd);
		fd = -1;
		CHECK_EQ(fsafe_open_special("/dev/null", 1, &fd), -1);
		CHECK_EQ(errno, ESPIPE);
		CHECK_EQ(fd, -1);
		put("reg", "r");
		snprintf(path, sizeof path, "%s/reg", tmpl);
		CHECK_EQ(fsafe_open_special(path, 0, &fd), 0);
		CHECK_EQ(fsafe_open_special(tmpl, 0, &fd), 0);
		snprintf(path, sizeof path, "%s/none", tmpl);
		CHECK_EQ(fsafe_open_special(path, 1, &fd), 0);
		CHECK_EQ(fd, -1);
	}

	{
		char cmd[64];

		snprintf(cmd, sizeof cmd, "rm -rf %s", tmpl);
		if (system(cmd) != 0)
			perror("t_fsafe: rm");
	}
	return tap_done();
}
