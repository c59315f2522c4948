/* t_fsbatch.c - unit tests of lib/sys/fsbatch.c: complete files renamed after one syncfs */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsbatch.h"
#include "tap.h"

static int dir;

static int
exists(const char *name)
{
	struct stat st;

	return fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* the contents of name under dir, NUL-terminated, or "(none)" */
static const char *
slurp(const char *name)
{
	static char buf[64];
	int fd = openat(dir, name, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return "(none)";
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

/* a complete download of name with text, queued in b */
static int
queue(struct fsbatch *b, const char *name, const char *text)
{
	struct fsafe f;

	if (fsafe_open(&f, dir, name, 0, NULL) < 0 || fsafe_write(&f, text, strlen(text)) < 0)
		return -2;
	return fsbatch_add(b, &f);
}

int
main(void)
{
	char tmpl[] = "/tmp/t_fsbatch.XXXXXX", name[32];
	struct fsbatch b = FSBATCH_INIT;
	const char *failed = "unset";
	int i, ok;

	if (mkdtemp(tmpl) == NULL || (dir = open(tmpl, O_RDONLY | O_DIRECTORY)) < 0) {
		perror("t_fsbatch: mkdtemp");
		return 1;
	}

	TEST("an empty batch flushes to nothing, and says nothing failed") {
		CHECK_EQ(fsbatch_flush(&b, dir, &failed), 0);
		CHECK_STR(failed, "unset");
	}

	TEST("queued files stay .part- files until the flush; then each has its name, in order") {
		CHECK_EQ(queue(&b, "a", "A"), 0);
		CHECK_EQ(queue(&b, "b.part", "B.PART"), 0);
		CHECK_EQ(b.n, 2);
		CHECK(exists(".part-a") && exists(".part-b.part"));
		CHECK(!exists("a") && !exists("b.part"));
		CHECK_EQ(fsbatch_flush(&b, dir, &failed), 0);
		CHECK_EQ(b.n, 0);
		CHECK_STR(slurp("a"), "A");
		CHECK_STR(slurp("b.part"), "B.PART");
		CHECK(!exists(".part-a") && !exists(".part-b.part"));
	}

	TEST("a flush replaces an older file of the same name") {
		CHECK_EQ(queue(&b, "a", "NEW"), 0);
		CHECK_STR(slurp("a"), "A");
		CHECK_EQ(fsbatch_flush(&b, dir, &failed), 0);
		CHECK_STR(slurp("a"), "NEW");
	}

	TEST("more files than the first allocation: every one renamed") {
		for (ok = 1, i = 0; i < 200; i++) {
			snprintf(name, sizeof name, "f%d", i);
			ok &= queue(&b, name, name) == 0;
		}
		CHECK(ok);
		CHECK_EQ(b.n, 200);
		CHECK(b.cap >= 200);
		CHECK_EQ(fsbatch_flush(&b, dir, &failed), 0);
		for (ok = 1, i = 0; i < 200; i++) {
			snprintf(name, sizeof name, "f%d", i);
			ok &= strcmp(slurp(name), name) == 0;
		}
		CHECK(ok);
	}

	TEST("a rename that fails names its file; the ones after it stay .part- files") {
		CHECK_EQ(queue(&b, "c", "C"), 0);
		CHECK_EQ(queue(&b, "d", "D"), 0);
		CHECK_EQ(queue(&b, "e", "E"), 0);
		CHECK_EQ(unlinkat(dir, ".part-d", 0), 0);	/* gone before the flush */
		errno = 0;
		CHECK_EQ(fsbatch_flush(&b, dir, &failed), -1);
		CHECK_EQ(errno, ENOENT);
		CHECK_STR(failed, "d");
		CHECK_EQ(b.n, 0);
		CHECK_STR(slurp("c"), "C");
		CHECK(!exists("d") && !exists("e"));
		CHECK_STR(slurp(".part-e"), "E");
	}

	TEST("a file that cannot be closed is not queued") {
		struct fsafe f;

		CHECK_EQ(fsafe_open(&f, dir, "g", 0, NULL), 0);
		close(f.fd);	/* the close in fsbatch_add fails: EBADF */
		errno = 0;
		CHECK_EQ(fsbatch_add(&b, &f), -1);
		CHECK_EQ(errno, EBADF);
		CHECK_EQ(b.n, 0);
	}

	TEST("free leaves an empty batch") {
		fsbatch_free(&b);
		CHECK(b.names == NULL && b.n == 0 && b.cap == 0);
	}

	{
		char cmd[64];

		snprintf(cmd, sizeof cmd, "rm -rf %s", tmpl);
		if (system(cmd) != 0)
			perror("t_fsbatch: rm");
	}
	return tap_done();
}
