/*
 * t_ftptls.c - the FTPS rules of lib/session/ftptls.c that need no TLS
 * server: when a refused AUTH TLS may go on in clear (the table), and
 * against an FTP server scripted in a child process on 127.0.0.1: a
 * reply injected after the 234 (nothing more sent), AUTH TLS refused
 * with --tls required (QUIT, no USER) and by default to loopback (the
 * login goes on), --tls off (no AUTH at all).  The handshakes themselves
 * are tests/ftpget-tls.bats's, against Python's ssl and vsftpd.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ftptls.h"
#include "lopeer.h"
#include "tap.h"
#include "tls/tlsopt.h"
#include "tubes.h"

static const char *auth_reply;	/* the server's answer to AUTH TLS */
static char logbuf[4096];	/* the commands the server heard, one a line */

/* the server: one control connection on lfd, every command line logged to out */
static void
serve(int lfd, int out)
{
	char cmd[512];
	int c;

	if ((c = accept(lfd, NULL, NULL)) < 0)
		_exit(97);
	put(c, "220 test\r\n");
	while (line(c, cmd, sizeof cmd)) {
		put(out, cmd);
		put(out, "\n");
		if (strcmp(cmd, "AUTH TLS") == 0)
			put(c, auth_reply);
		else if (strncmp(cmd, "USER ", 5) == 0)
			put(c, "331 password please\r\n");
		else if (strncmp(cmd, "PASS ", 5) == 0)
			put(c, "230 in\r\n");
		else if (strcmp(cmd, "QUIT") == 0) {
			put(c, "221 bye\r\n");
			break;
		} else
			put(c, "502 what\r\n");
	}
	_exit(0);
}

/* a login as user in mode; its exit status, the server's log in logbuf, why in why */
static int
login(int mode, const char *user, char *why, size_t cap)
{
	static struct conn c;
	static struct tlsopt o;
	struct ftptls t;
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
	memset(&t, 0, sizeof t);
	t.mode = mode;
	t.o = &o;
	s.tls = &t;
	s.idle = 5000000;
	e = ftps_open(&s, "127.0.0.1", port, user);
	snprintf(why, cap, "%s", s.t.why);
	ftps_quit(&s);
	while (len + 1 < sizeof logbuf && (n = read(lp[0], logbuf + len, sizeof logbuf - 1 - len)) > 0)
		len += (size_t)n;
	logbuf[len] = '\0';
	close(lp[0]);
	waitpid(pid, &st, 0);
	return e;
}

static struct tb_addr
addr(const char *s)
{
	struct tb_addr a;

	if (tb_addr_parse(s, &a) < 0)
		exit(99);
	return a;
}

int
main(void)
{
	struct tb_addr lo4 = addr("127.0.0.9"), lo6 = addr("::1"), far4 = addr("10.254.19.1"),
	    far6 = addr("fd00::1");
	char why[TS_WHY_MAX];

	tb_init("t_ftptls");
	setenv("FTPGET_PASSWORD", "s3cret", 1);

	TEST("a refused AUTH TLS: clear to loopback or as anonymous, never a named user's login elsewhere") {
		CHECK_EQ(ftptls_clear_refused(FTPTLS_AUTO, &lo4, "bob"), 0);
		CHECK_EQ(ftptls_clear_refused(FTPTLS_AUTO, &lo6, "bob"), 0);
		CHECK_EQ(ftptls_clear_refused(FTPTLS_AUTO, &far4, "bob"), 1);
		CHECK_EQ(ftptls_clear_refused(FTPTLS_AUTO, &far6, "bob"), 1);
		CHECK_EQ(ftptls_clear_refused(FTPTLS_AUTO, &far4, "anonymous"), 0);
		CHECK_EQ(ftptls_clear_refused(FTPTLS_AUTO, &far6, "ftp"), 0);
		/* a user merely named like it is not anonymous */
		CHECK_EQ(ftptls_clear_refused(FTPTLS_AUTO, &far4, "anonymous2"), 1);
	}

	TEST("--tls required and ftps:// never go on in clear; --tls off always does") {
		CHECK_EQ(ftptls_clear_refused(FTPTLS_REQUIRED, &lo4, "anonymous"), 1);
		CHECK_EQ(ftptls_clear_refused(FTPTLS_IMPLICIT, &lo4, "anonymous"), 1);
		CHECK_EQ(ftptls_clear_refused(FTPTLS_OFF, &far4, "bob"), 0);
	}

	TEST("a reply injected after the 234: refused, nothing more sent (not even QUIT)") {
		auth_reply = "234 go ahead\r\n230 logged in (injected)\r\n";
		CHECK_EQ(login(FTPTLS_AUTO, "bob", why, sizeof why), EXIT_NET);
		CHECK(strstr(why, "AUTH TLS: the server sent more after its 234, before TLS "
		    "began") != NULL);
		CHECK_STR(logbuf, "AUTH TLS\n");
	}

	TEST("--tls required and AUTH TLS refused: exit 3, QUIT, no USER") {
		auth_reply = "500 AUTH not understood\r\n";
		CHECK_EQ(login(FTPTLS_REQUIRED, "anonymous", why, sizeof why), EXIT_NET);
		CHECK(strstr(why, "AUTH TLS refused (500 AUTH not understood), and --tls "
		    "required") != NULL);
		CHECK_STR(logbuf, "AUTH TLS\nQUIT\n");
	}

	TEST("by default, AUTH TLS refused by a loopback server: the login goes on in clear") {
		auth_reply = "530 Please login with USER and PASS.\r\n";
		CHECK_EQ(login(FTPTLS_AUTO, "bob", why, sizeof why), 0);
		CHECK_STR(logbuf, "AUTH TLS\nUSER bob\nPASS s3cret\nQUIT\n");
	}

	TEST("--tls off: no AUTH TLS at all") {
		auth_reply = "234 must not be asked\r\n";
		CHECK_EQ(login(FTPTLS_OFF, "anonymous", why, sizeof why), 0);
		CHECK_STR(logbuf, "USER anonymous\nPASS ftpget@\nQUIT\n");
	}

	return tap_done();
}
