/* t_smtpsess.c - the SMTP conversation (lib/session/smtpsess.c) over a socketpair */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mail.h"
#include "resolv.h"
#include "smtpsess.h"
#include "tap.h"
#include "tubes.h"

static struct conn c;
static struct smtp_sess ss;
static struct reply r;
static int peer = -1;
static char *tbuf;
static size_t tlen;
static FILE *tfp;

/* a fresh session whose server end is peer; the transcript in tbuf */
static void
open_pair(void)
{
	int sv[2];

	if (peer >= 0)
		close(peer);
	if (c.rfd > 0)
		close(c.rfd);
	if (tfp)
		fclose(tfp);
	free(tbuf);
	tbuf = NULL;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0 ||
	    (tfp = open_memstream(&tbuf, &tlen)) == NULL)
		exit(1);
	memset(&c, 0, sizeof c);
	c.rfd = c.wfd = sv[0];
	c.idle = c.deadline = -1;
	peer = sv[1];
	smtp_sess_init(&ss, &c, "mx.test", tfp, NULL);
	ss.s.idle = ss.s.reply_total = 1000000;
	ss.s.deadline = -1;
}

static void
say(const char *t)
{
	if (tb_write_all(peer, t, strlen(t)) < 0)
		exit(1);
}

/*
 * A server that answers as a real one does: after each command line.
 * A child reads from the peer end; when it has seen after[i] lines in
 * all it sends text[i].  The bytes it read are kept in its log (heard
 * is then not used).
 */
static pid_t
serve(const int *after, const char *const *text, size_t n)
{
	pid_t pid = fork();
	size_t i = 0;
	int lines = 0;
	char b;

	if (pid != 0)
		return pid;
	for (;;) {
		while (i < n && after[i] <= lines)
			say(text[i++]);
		if (i == n || read(peer, &b, 1) != 1)
			_exit(0);
		lines += b == '\n';
	}
}

static void
reap(pid_t pid)
{
	int st;

	close(peer);
	peer = -1;
	(void)waitpid(pid, &st, 0);
}

/* what the server end has received, NUL-terminated */
static char *
heard(void)
{
	static char buf[8192];
	ssize_t n = recv(peer, buf, sizeof buf - 1, MSG_DONTWAIT);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static const char *
transcript(void)
{
	fflush(tfp);
	return tbuf ? tbuf : "";
}

int
main(void)
{
	const char *rcpt[] = { "a@x.test", "b@x.test" };
	char params[128];

	tb_init("t_smtpsess");
	TEST("greeting: only 220 is one; another 2xx is out of the protocol") {
		open_pair();
		say("250 hello there\r\n");
		CHECK_EQ(smtp_greeting(&ss, &r), SMTP_PROTO);
		CHECK_STR(ss.s.why, "greeting: malformed reply (250 hello there)");
		open_pair();
		say("554 go away\r\n");
		CHECK_EQ(smtp_greeting(&ss, &r), SMTP_PERM);
		CHECK_EQ(r.code, 554);
	}
	TEST("EHLO refused: HELO once, no extensions; EHLO's keywords parsed") {
		static const int a1[] = { 0, 1, 2 }, a2[] = { 0, 1 };
		static const char *const t1[] = { "220 mx ESMTP\r\n", "500 what\r\n", "250 mx\r\n" };
		static const char *const t2[] = { "220 mx ESMTP\r\n",
		    "250-mx\r\n250-PIPELINING\r\n250 SIZE 1000\r\n" };
		pid_t pid;

		open_pair();
		pid = serve(a1, t1, 3);
		CHECK_EQ(smtp_greeting(&ss, &r), SMTP_OK);
		CHECK_EQ(smtp_hello(&ss, "me.test", &r), SMTP_OK);
		CHECK_EQ(ss.helo, 1);
		CHECK_EQ(ss.ext.pipelining, 0);
		CHECK_STR(transcript(), "C: EHLO me.test\nC: HELO me.test\n");
		reap(pid);
		open_pair();
		pid = serve(a2, t2, 2);
		CHECK_EQ(smtp_greeting(&ss, &r), SMTP_OK);
		CHECK_EQ(smtp_hello(&ss, "me.test", &r), SMTP_OK);
		CHECK_EQ(ss.ext.pipelining, 1);
		CHECK_EQ(ss.ext.size_max, 1000);
		reap(pid);
	}
	TEST("a reply before EHLO is sent: unasked, nothing sent") {
		open_pair();
		say("220 mx ESMTP\r\n250 early\r\n");
		CHECK_EQ(smtp_greeting(&ss, &r), SMTP_OK);
		CHECK_EQ(smtp_hello(&ss, "me.test", &r), SMTP_PROTO);
		CHECK(strstr(ss.s.why, "nobody asked for") != NULL);
		CHECK_STR(heard(), "");
	}
	TEST("AUTH LOGIN: user and password masked whole; a 535 is SMTP_PERM") {
		open_pair();
		say("220 mx\r\n334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n535 no\r\n");
		CHECK_EQ(smtp_greeting(&ss, &r), SMTP_OK);
		CHECK_EQ(smtp_auth(&ss, SMTP_AUTH_LOGIN, "alice", "s3cret", &r), SMTP_PERM);
		CHECK_EQ(r.code, 535);
		CHECK_STR(ss.s.last, "AUTH");
		CHECK_STR(transcript(), "C: AUTH LOGIN\nC: ********\nC: ********\n");
		CHECK_STR(heard(), "AUTH LOGIN\r\nYWxpY2U=\r\nczNjcmV0\r\n");
	}
	TEST("AUTH PLAIN: mechanism kept, the rest masked; 235 is SMTP_OK") {
		open_pair();
		say("220 mx\r\n235 ok\r\n");
		CHECK_EQ(smtp_greeting(&ss, &r), SMTP_OK);
		CHECK_EQ(smtp_auth(&ss, SMTP_AUTH_PLAIN, "alice", "s3cret", &r), SMTP_OK);
		CHECK_STR(transcript(), "C: AUTH PLAIN ********\n");
		CHECK_STR(heard(), "AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n");
	}
	TEST("the pipelined group: one write, each reply named by its command; RSET after the first") {
		open_pair();
		say("220 mx\r\n");
		CHECK_EQ(smtp_greeting(&ss, &r), SMTP_OK);
		/* as if EHLO had been answered: SIZE (no limit) and PIPELINING */
		ss.ext.pipelining = ss.ext.size = 1;
		smtp_mail_params(&ss, params, sizeof params, 42, 1, 0);
		CHECK_STR(params, " SIZE=42");
		CHECK_EQ(smtp_begin(&ss, "me@x.test", params, rcpt, 2, &r), SMTP_OK);
		CHECK_STR(heard(), "MAIL FROM:<me@x.test> SIZE=42\r\nRCPT TO:<a@x.test>\r\n"
		    "RCPT TO:<b@x.test>\r\nDATA\r\n");
		CHECK_EQ(ts_due(&ss.s), 4);
		CHECK_STR(ts_next(&ss.s), "MAIL");
		say("250 ok\r\n250 ok\r\n550 no\r\n354 go\r\n");
		CHECK_EQ(smtp_reply(&ss, &r), SMTP_OK);
		CHECK_EQ(smtp_reply(&ss, &r), SMTP_OK);
		CHECK_STR(ts_next(&ss.s), "RCPT");
		CHECK_EQ(smtp_reply(&ss, &r), SMTP_PERM);
		CHECK_STR(ts_next(&ss.s), "DATA");
		CHECK_EQ(smtp_reply(&ss, &r), SMTP_OK);
		CHECK_EQ(r.code, 354);
		CHECK_EQ(smtp_body(&ss, (const uint8_t *)"x", 1, (const uint8_t *)"x\r\n.\r\n", 6),
		    SMTP_OK);
		CHECK_STR(ts_next(&ss.s), "end of data");
		say("250 queued\r\n");
		CHECK_EQ(smtp_reply(&ss, &r), SMTP_OK);
		CHECK_STR(heard(), "x\r\n.\r\n");
		/* the next transaction: RSET first, in the same write; a reply early is unasked */
		say("250 early\r\n");
		CHECK_EQ(smtp_begin(&ss, "", "", rcpt, 1, &r), SMTP_PROTO);
		CHECK_STR(heard(), "");
	}
	TEST("the second transaction: RSET in the group, its reply read by smtp_begin") {
		static const int a[] = { 0, 1 };
		static const char *const t[] = { "220 mx\r\n", "250 reset\r\n" };
		pid_t pid;

		open_pair();
		pid = serve(a, t, 2);
		CHECK_EQ(smtp_greeting(&ss, &r), SMTP_OK);
		ss.ext.pipelining = 1;
		ss.ntrans = 1;
		CHECK_EQ(smtp_begin(&ss, "", "", rcpt, 1, &r), SMTP_OK);
		CHECK_EQ(r.code, 250);
		CHECK_STR(ts_next(&ss.s), "MAIL");
		CHECK_EQ(ts_due(&ss.s), 3);
		CHECK_STR(transcript(), "C: RSET\nC: MAIL FROM:<>\nC: RCPT TO:<a@x.test>\nC: DATA\n");
		reap(pid);
	}
	TEST("the body: a signal stops it between pieces, and the end of data never goes") {
		static uint8_t wire[200000];
		ssize_t n;
		size_t got = 0;
		char buf[65536];

		open_pair();
		memset(wire, 'a', sizeof wire);
		memcpy(wire + sizeof wire - 5, "\r\n.\r\n", 5);
		tb_interrupted = 1;
		CHECK_EQ(smtp_body(&ss, wire, 10, wire, sizeof wire), SMTP_NET);
		CHECK_STR(ss.s.why, "interrupted");
		tb_interrupted = 0;
		while ((n = recv(peer, buf, sizeof buf, MSG_DONTWAIT)) > 0)
			got += (size_t)n;
		CHECK_EQ(got, 0);
		CHECK_EQ(ts_due(&ss.s), 1);	/* the greeting only: no end of data due */
	}
	TEST("smtp_wire: dots doubled, CR LF, the end of data; a bare CR refused") {
		uint8_t *w = NULL;
		size_t wl = 0;
		const char *why = NULL;
		struct smtp_ext ext = { .eightbit = 1 };

		CHECK_EQ(smtp_wire((const uint8_t *)"a\n.b\n", 5, 0, &ext, &w, &wl, &why), 0);
		CHECK(wl == 11 && memcmp(w, "a\r\n..b\r\n.\r\n", 11) == 0);
		tb_free(w);
		CHECK_EQ(smtp_wire((const uint8_t *)"a\rb\n", 4, 0, &ext, &w, &wl, &why), -1);
		CHECK(why != NULL);
	}
	TEST("smtp_route: an address literal is that host, no lookup") {
		struct tb_mx mx[2];
		const char *why = NULL;

		CHECK_EQ(smtp_route("[127.0.0.1]", mx, 2, &why), 1);
		CHECK_STR(mx[0].host, "127.0.0.1");
		CHECK_EQ(smtp_route("[IPv6:::1]", mx, 2, &why), 1);
		CHECK_STR(mx[0].host, "::1");
	}
	return tap_done();
}
