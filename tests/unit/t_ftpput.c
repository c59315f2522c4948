/*
 * t_ftpput.c - the start of an upload (lib/session/ftpput.c) against an
 * FTP server scripted in a child process on 127.0.0.1: STOR, or with
 * -C the remote SIZE and APPE from there (the input moved past the
 * bytes the server has), and the input that cannot be moved refused
 * before any transfer command.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ftpput.h"
#include "lopeer.h"
#include "tap.h"
#include "tubes.h"

static const char *size_reply;	/* the server's answer to SIZE */
static char logbuf[4096];	/* what the server heard: commands, then DATA:bytes */

/* the server: one control connection on lfd, its log written to out */
static void
serve(int lfd, int out)
{
	char cmd[512], rep[128], data[256];
	uint16_t dport = 0;
	int c, dl = -1, d;
	ssize_t n;

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
		else if (strncmp(cmd, "SIZE ", 5) == 0)
			put(c, size_reply);
		else if (strcmp(cmd, "EPSV") == 0) {
			dl = listen_lo(&dport);
			snprintf(rep, sizeof rep, "229 Entering Extended Passive Mode (|||%u|)\r\n",
			    dport);
			put(c, rep);
		} else if (strncmp(cmd, "STOR ", 5) == 0 || strncmp(cmd, "APPE ", 5) == 0) {
			put(c, "150 go\r\n");
			if (dl < 0 || (d = accept(dl, NULL, NULL)) < 0)
				_exit(96);
			put(out, "DATA:");
			while ((n = read(d, data, sizeof data)) > 0)
				if (tb_write_all(out, data, (size_t)n) < 0)
					_exit(95);
			put(out, "\n");
			close(d);
			put(c, "226 stored\r\n");
		} else if (strcmp(cmd, "QUIT") == 0) {
			put(c, "221 bye\r\n");
			break;
		} else
			put(c, "502 what\r\n");
	}
	_exit(0);
}

/*
 * An upload of in to "up.bin" as ftpget does it: ftps_put_start, the
 * bytes, the final reply, QUIT.  Its exit status; *at and *sent as
 * found; the server's log in logbuf.
 */
static int
upload(int in, int resume, uint64_t *at, uint64_t *sent)
{
	static struct conn c;
	struct ftps s;
	struct ftpdata d = FTPDATA_INIT;
	struct reply r;
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
	*sent = 0;
	if ((e = ftps_open(&s, "127.0.0.1", port, "anonymous")) == 0) {
		e = ftps_put_start(&s, &r, &d, "up.bin", in, "input", resume, at);
		if (e == 0)
			e = ftps_send_file(&s, &d, in, "input", sent);
		ftps_data_close(&s, &d);
		if (e == 0)
			e = ftps_xfer_end(&s, &r, "upload failed");
		ftps_quit(&s);
	}
	while (len + 1 < sizeof logbuf && (n = read(lp[0], logbuf + len, sizeof logbuf - 1 - len)) > 0)
		len += (size_t)n;
	logbuf[len] = '\0';
	close(lp[0]);
	waitpid(pid, &st, 0);
	return e;
}

/* a regular file holding text, opened for reading */
static int
file_with(const char *text)
{
	char tmpl[] = "/tmp/t_ftpput.XXXXXX";
	int fd = mkstemp(tmpl);

	if (fd < 0 || tb_write_all(fd, text, strlen(text)) < 0 || lseek(fd, 0, SEEK_SET) < 0)
		exit(99);
	unlink(tmpl);
	return fd;
}

int
main(void)
{
	uint64_t at, sent;
	int in, pp[2];

	tb_init("t_ftpput");

	TEST("no -C: TYPE I and STOR, no SIZE; every byte sent") {
		in = file_with("hello, world");
		size_reply = "213 5\r\n";
		CHECK_EQ(upload(in, 0, &at, &sent), 0);
		CHECK_EQ(at, 0);
		CHECK_EQ(sent, 12);
		CHECK_STR(logbuf, "USER anonymous\nTYPE I\nEPSV\nSTOR up.bin\nDATA:hello, world\nQUIT\n");
		close(in);
	}

	TEST("-C with a remote file of 5 bytes: SIZE, then APPE with the input from byte 5") {
		in = file_with("hello, world");
		size_reply = "213 5\r\n";
		CHECK_EQ(upload(in, 1, &at, &sent), 0);
		CHECK_EQ(at, 5);
		CHECK_EQ(sent, 7);
		CHECK_STR(logbuf,
		    "USER anonymous\nTYPE I\nSIZE up.bin\nEPSV\nAPPE up.bin\nDATA:, world\nQUIT\n");
		close(in);
	}

	TEST("-C with no remote file (550) or an empty one (213 0): STOR from the start") {
		in = file_with("abc");
		size_reply = "550 no such file\r\n";
		CHECK_EQ(upload(in, 1, &at, &sent), 0);
		CHECK_EQ(at, 0);
		CHECK_STR(logbuf, "USER anonymous\nTYPE I\nSIZE up.bin\nEPSV\nSTOR up.bin\nDATA:abc\nQUIT\n");
		close(in);
		in = file_with("abc");
		size_reply = "213 0\r\n";
		CHECK_EQ(upload(in, 1, &at, &sent), 0);
		CHECK_EQ(at, 0);
		CHECK(strstr(logbuf, "STOR up.bin\nDATA:abc\n") != NULL);
		close(in);
	}

	TEST("-C from a pipe the server has bytes of: a local error, no transfer command sent") {
		if (pipe(pp) < 0)
			exit(99);
		size_reply = "213 5\r\n";
		CHECK_EQ(upload(pp[0], 1, &at, &sent), EXIT_LOCAL);
		CHECK_EQ(sent, 0);
		CHECK_STR(logbuf, "USER anonymous\nTYPE I\nSIZE up.bin\nQUIT\n");
		close(pp[0]);
		close(pp[1]);
	}

	return tap_done();
}
