/*
 * t_ftpfetch.c - one download into a local file (lib/session/ftpfetch.c)
 * against an FTP server scripted in a child process on 127.0.0.1:
 * SIZE and MDTM, the .part- file, REST for -C, the count checked
 * against SIZE (a short file kept as .part- for -C, never renamed), a
 * whole .part- renamed with no RETR, and a rename left to a batch.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsbatch.h"
#include "ftpfetch.h"
#include "lopeer.h"
#include "tap.h"
#include "tubes.h"

static const char *body;	/* the remote file */
static size_t sendn;		/* bytes of it the server sends (from REST on) */
static char logbuf[4096];	/* the commands the server heard */
static int dir;			/* the local directory */

/* the hooks' record */
static int ndone, nfailed, lastexit;
static uint64_t lastgot;
static int64_t lastsize, lastmtime;

static void
done(void *arg, const char *url, const char *local, uint64_t got, int64_t size, int64_t mtime,
    int64_t t0)
{
	(void)arg, (void)url, (void)local, (void)t0;
	ndone++;
	lastgot = got;
	lastsize = size;
	lastmtime = mtime;
}

static void
failed(void *arg, const char *url, int e)
{
	(void)arg, (void)url;
	nfailed++;
	lastexit = e;
}

static void
quiet(const char *msg)
{
	(void)msg;
}

/* the server: one control connection on lfd, the commands it heard written to out */
static void
serve(int lfd, int out)
{
	char cmd[512], rep[128];
	uint16_t dport = 0;
	unsigned long rest = 0;
	size_t n;
	int c, dl = -1, d;

	if ((c = accept(lfd, NULL, NULL)) < 0)
		_exit(97);
	put(c, "220 test\r\n");
	while (line(c, cmd, sizeof cmd)) {
		put(out, cmd);
		put(out, "\n");
		if (strncmp(cmd, "USER ", 5) == 0)
			put(c, "230 in\r\n");
		else if (strncmp(cmd, "TYPE ", 5) == 0)
			put(c, "200 ok\r\n");
		else if (strncmp(cmd, "SIZE ", 5) == 0) {
			snprintf(rep, sizeof rep, "213 %zu\r\n", strlen(body));
			put(c, rep);
		} else if (strncmp(cmd, "MDTM ", 5) == 0)
			put(c, "213 20210304050607\r\n");
		else if (strncmp(cmd, "REST ", 5) == 0) {
			rest = strtoul(cmd + 5, NULL, 10);
			put(c, "350 ok\r\n");
		} else if (strcmp(cmd, "EPSV") == 0) {
			dl = listen_lo(&dport);
			snprintf(rep, sizeof rep, "229 Entering Extended Passive Mode (|||%u|)\r\n",
			    dport);
			put(c, rep);
		} else if (strncmp(cmd, "RETR ", 5) == 0) {
			put(c, "150 here\r\n");
			if (dl < 0 || (d = accept(dl, NULL, NULL)) < 0)
				_exit(96);
			n = strlen(body) - rest;
			if (tb_write_all(d, body + rest, n < sendn ? n : sendn) < 0)
				_exit(95);
			close(d);
			put(c, "226 sent\r\n");
		} else if (strcmp(cmd, "QUIT") == 0) {
			put(c, "221 bye\r\n");
			break;
		} else
			put(c, "502 what\r\n");
	}
	_exit(0);
}

/* ftpfetch_file of "f" into dir as ftpget does it; its exit status, the server's log in logbuf */
static int
fetch(int resume, struct fsbatch *defer)
{
	static struct conn c;
	struct ftpfetch f = { .resume = resume, .out = -1, .done = done, .failed = failed };
	struct ftps s;
	uint16_t port;
	int lfd = listen_lo(&port), lp[2], e, st;
	pid_t pid;
	ssize_t n;
	size_t len = 0;

	if (pipe(lp) < 0)
		exit(99);
	if ((pid = fork()) == 0) {
		close(lp[0]);
		serve(lfd, lp[1]);
	}
	close(lp[1]);
	close(lfd);
	ftps_init(&s, &c);
	s.idle = 5000000;
	s.report = quiet;
	ndone = nfailed = lastexit = 0;
	if ((e = ftps_open(&s, "127.0.0.1", port, "anonymous")) == 0) {
		e = ftpfetch_file(&f, &s, "ftp://test/f", "f", dir, "f", -1, -1, defer);
		ftps_quit(&s);
	}
	while (len + 1 < sizeof logbuf && (n = read(lp[0], logbuf + len, sizeof logbuf - 1 - len)) > 0)
		len += (size_t)n;
	logbuf[len] = '\0';
	close(lp[0]);
	waitpid(pid, &st, 0);
	return e;
}

/* the contents of name under dir, or "(none)" */
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

static void
write_file(const char *name, const char *text)
{
	int fd = openat(dir, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || tb_write_all(fd, text, strlen(text)) < 0)
		exit(99);
	close(fd);
}

int
main(void)
{
	char tmpl[] = "/tmp/t_ftpfetch.XXXXXX";
	struct fsbatch b = FSBATCH_INIT;
	const char *why = NULL;
	struct stat st;

	tb_init("t_ftpfetch");
	if (mkdtemp(tmpl) == NULL || (dir = open(tmpl, O_RDONLY | O_DIRECTORY)) < 0) {
		perror("t_ftpfetch: mkdtemp");
		return 1;
	}

	TEST("a whole file: TYPE, SIZE, MDTM, then EPSV and RETR; renamed, its mtime set") {
		body = "hello";
		sendn = 100;
		CHECK_EQ(fetch(0, NULL), 0);
		CHECK_STR(logbuf, "USER anonymous\nTYPE I\nSIZE f\nMDTM f\nEPSV\nRETR f\nQUIT\n");
		CHECK_STR(slurp("f"), "hello");
		CHECK_STR(slurp(".part-f"), "(none)");
		CHECK(fstatat(dir, "f", &st, 0) == 0 && st.st_mtime == 1614834367);
		CHECK_EQ(ndone, 1);
		CHECK_EQ(nfailed, 0);
		CHECK_EQ(lastgot, 5);
		CHECK_EQ(lastsize, 5);
		CHECK_EQ(lastmtime, 1614834367);
		unlinkat(dir, "f", 0);
	}

	TEST("fewer bytes than SIZE: exit 3, the .part- kept for -C, no file") {
		body = "hello";
		sendn = 3;
		CHECK_EQ(fetch(0, NULL), EXIT_NET);
		CHECK_STR(slurp("f"), "(none)");
		CHECK_STR(slurp(".part-f"), "hel");
		CHECK_EQ(ndone, 0);
		CHECK_EQ(nfailed, 1);
		CHECK_EQ(lastexit, EXIT_NET);
	}

	TEST("-C: REST from the .part-'s size, the rest appended, renamed") {
		sendn = 100;
		CHECK_EQ(fetch(1, NULL), 0);
		CHECK(strstr(logbuf, "EPSV\nREST 3\nRETR f\n") != NULL);
		CHECK_STR(slurp("f"), "hello");
		CHECK_STR(slurp(".part-f"), "(none)");
		CHECK_EQ(lastgot, 2);
		unlinkat(dir, "f", 0);
	}

	TEST("-C with a whole .part-: no RETR, renamed; a larger one: a local error, kept") {
		write_file(".part-f", "hello");
		CHECK_EQ(fetch(1, NULL), 0);
		CHECK(strstr(logbuf, "RETR") == NULL && strstr(logbuf, "EPSV") == NULL);
		CHECK_STR(slurp("f"), "hello");
		CHECK_EQ(ndone, 1);
		CHECK_EQ(lastgot, 0);
		unlinkat(dir, "f", 0);
		write_file(".part-f", "hello, world");
		CHECK_EQ(fetch(1, NULL), EXIT_LOCAL);
		CHECK(strstr(logbuf, "RETR") == NULL);
		CHECK_STR(slurp(".part-f"), "hello, world");
		CHECK_STR(slurp("f"), "(none)");
		unlinkat(dir, ".part-f", 0);
	}

	TEST("without -C an existing .part- is a local error, left as it is") {
		write_file(".part-f", "old");
		CHECK_EQ(fetch(0, NULL), EXIT_LOCAL);
		CHECK_STR(slurp(".part-f"), "old");
		CHECK_EQ(nfailed, 1);
		unlinkat(dir, ".part-f", 0);
	}

	TEST("with a batch: the file waits as .part- until the batch is flushed") {
		body = "batch";
		CHECK_EQ(fetch(0, &b), 0);
		CHECK_EQ(b.n, 1);
		CHECK_STR(slurp("f"), "(none)");
		CHECK_STR(slurp(".part-f"), "batch");
		CHECK_EQ(fsbatch_flush(&b, dir, &why), 0);
		CHECK_STR(slurp("f"), "batch");
		fsbatch_free(&b);
	}

	{
		char cmd[64];

		snprintf(cmd, sizeof cmd, "rm -rf %s", tmpl);
		if (system(cmd) != 0)
			perror("t_ftpfetch: rm");
	}
	return tap_done();
}
