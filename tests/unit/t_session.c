/* t_session.c - the text-protocol session (lib/session/session.c) over a socketpair */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "pop3.h"
#include "session.h"
#include "tubes.h"

static struct conn c;
static struct ts s;
static int peer = -1;

/* a fresh session whose server end is peer */
static void
open_pair(int proto)
{
	int sv[2];

	if (peer >= 0)
		close(peer);
	if (c.rfd > 0)
		close(c.rfd);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		exit(1);
	memset(&c, 0, sizeof c);
	c.rfd = c.wfd = sv[0];
	c.idle = c.deadline = -1;
	peer = sv[1];
	ts_init(&s, &c, proto, "server.test");
	s.idle = 1000000;
}

static void
say(const char *t)
{
	if (tb_write_all(peer, t, strlen(t)) < 0)
		exit(1);
}

/* what the server end has received, NUL-terminated */
static char *
heard(void)
{
	static char buf[4096];
	ssize_t n = recv(peer, buf, sizeof buf - 1, MSG_DONTWAIT);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static int
collect(void *arg, const uint8_t *p, size_t n)
{
	char *out = arg;
	size_t l = strlen(out);

	if (l + n >= 256)
		return -1;
	memcpy(out + l, p, n);
	out[l + n] = '\0';
	return 0;
}

int
main(void)
{
	static struct reply r;

	tb_init("t_session");
	TEST("ts_cmd: CR LF appended; a line break inside is refused and nothing is sent") {
		open_pair(TS_SMTP);
		CHECK_EQ(ts_cmd(&s, TS_PUBLIC, "MAIL FROM:<%s>", "a@b"), 0);
		CHECK_STR(heard(), "MAIL FROM:<a@b>\r\n");
		CHECK_EQ(ts_cmd(&s, TS_PUBLIC, "RCPT TO:<%s>", "x\r\nDATA"), -1);
		CHECK_EQ(errno, EINVAL);
		CHECK_STR(s.why, "refusing a line break inside a command");
		CHECK_STR(heard(), "");
		CHECK_EQ(ts_send(&s, "NOOP\r\nRSET\n", 11, TS_PUBLIC), -1);
		CHECK_EQ(ts_send(&s, "NO\rOP\r\n", 7, TS_PUBLIC), -1);
		CHECK_STR(heard(), "");
	}
	TEST("transcript: secrets masked with a fixed mask, verbs kept") {
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);

		open_pair(TS_POP3);
		s.transcript = fp;
		CHECK_EQ(ts_cmd(&s, 1, "PASS %s", "hunter2"), 0);
		CHECK_EQ(ts_cmd(&s, 1, "PASS %s", "a-much-longer-password"), 0);
		CHECK_EQ(ts_cmd(&s, 2, "AUTH PLAIN %s", "AGJvYgBzZWNyZXQ="), 0);
		CHECK_EQ(ts_cmd(&s, 2, "APOP %s %s", "bob", "0123456789abcdef0123456789abcdef"), 0);
		CHECK_EQ(ts_cmd(&s, TS_PUBLIC, "USER %s", "bob"), 0);
		CHECK_EQ(ts_cmd(&s, TS_SECRET, "%s", "aHVudGVyMg=="), 0);
		CHECK_EQ(ts_cmd(&s, TS_SECRET, "%s", "a b"), 0);
		fclose(fp);
		CHECK_STR(buf, "C: PASS ********\nC: PASS ********\nC: AUTH PLAIN ********\n"
		    "C: APOP bob ********\nC: USER bob\nC: ********\nC: ********\n");
		CHECK_EQ(ts_due(&s), 8);	/* the greeting, then seven commands */
		CHECK(strstr(heard(), "PASS hunter2\r\n") != NULL);
		free(buf);
	}
	TEST("ts_reply: SMTP strict grouping, and which command a reply answers") {
		open_pair(TS_SMTP);
		say("220-hello\r\n220 ready\r\n");
		CHECK_STR(ts_next(&s), "greeting");
		CHECK_EQ(ts_reply(&s, &r), 0);
		CHECK_EQ(r.code, 220);
		CHECK_STR(r.text, "hello\nready");
		CHECK_EQ(ts_cmd(&s, TS_PUBLIC, "EHLO x"), 0);
		CHECK_EQ(ts_send(&s, "MAIL FROM:<>\r\nRCPT TO:<a@b>\r\n", 29, TS_PUBLIC), 0);
		CHECK_EQ(ts_due(&s), 3);
		CHECK_STR(ts_next(&s), "EHLO");
		say("250-x\r\n251 y\r\n");
		CHECK_EQ(ts_reply(&s, &r), -1);
		CHECK_EQ(errno, EPROTO);
		CHECK_STR(s.why, "EHLO: malformed reply");
		CHECK_STR(ts_next(&s), "MAIL");
		CHECK_EQ(ts_cmd(&s, TS_PUBLIC, "retr 7"), 0);
		CHECK_EQ(ts_cmd(&s, TS_PUBLIC, "TOP 12 0"), 0);
		CHECK_EQ(ts_cmd(&s, 1, "PASS 1234"), 0);
		CHECK_EQ(ts_cmd(&s, TS_PUBLIC, "STARTTLS"), 0);
		CHECK_EQ(ts_cmd(&s, TS_PUBLIC, "XVERYLONGVERB a"), 0);
		say("250 m\r\n250 r\r\n250 a\r\n250 b\r\n250 c\r\n250 d\r\n250 e\r\n");
		CHECK_EQ(ts_reply(&s, &r), 0);
		CHECK_STR(s.last, "MAIL");
		CHECK_EQ(ts_reply(&s, &r), 0);
		CHECK_STR(s.last, "RCPT");
		CHECK_EQ(ts_reply(&s, &r), 0);
		CHECK_STR(s.last, "RETR 7");
		CHECK_EQ(ts_reply(&s, &r), 0);
		CHECK_STR(s.last, "TOP 12");
		CHECK_EQ(ts_reply(&s, &r), 0);
		CHECK_STR(s.last, "PASS");	/* a secret argument is never a name */
		CHECK_EQ(ts_reply(&s, &r), 0);
		CHECK_STR(s.last, "STARTTLS");
		CHECK_EQ(ts_reply(&s, &r), 0);
		CHECK_STR(s.last, "command");
	}
	TEST("ts_expect: a reply due with no command line, named; a TS_SECRET line is AUTH") {
		open_pair(TS_SMTP);
		say("220 ready\r\n");
		CHECK_EQ(ts_reply(&s, &r), 0);
		CHECK_EQ(ts_cmd(&s, TS_SECRET, "%s", "dXNlcg=="), 0);
		ts_expect(&s, "end of data");
		CHECK_EQ(ts_due(&s), 2);
		CHECK_STR(ts_next(&s), "AUTH");
		say("334 UGFzc3dvcmQ6\r\n");
		CHECK_EQ(ts_reply(&s, &r), 0);
		CHECK_STR(ts_next(&s), "end of data");
		close(peer);
		peer = -1;
		CHECK_EQ(ts_reply(&s, &r), -1);
		CHECK(strncmp(s.why, "end of data: connection ", 24) == 0);
		CHECK_EQ(ts_due(&s), 0);
	}
	TEST("ts_reply: FTP loose grouping keeps inner lines whole") {
		open_pair(TS_FTP);
		say("211-Features:\r\n MDTM\r\n211-not the end\r\n500 text\r\n211 End\r\n");
		CHECK_EQ(ts_reply(&s, &r), 0);
		CHECK_EQ(r.code, 211);
		CHECK_EQ(r.nlines, 5);
		CHECK_STR(r.text, "Features:\n MDTM\nnot the end\n500 text\nEnd");
	}
	TEST("ts_again: after a 1xx the command's final reply is still due (FTP)") {
		open_pair(TS_FTP);
		say("120 soon\r\n220 ready\r\n");
		CHECK_EQ(ts_reply(&s, &r), 0);
		CHECK_EQ(r.code, 120);
		ts_again(&s);
		CHECK_STR(ts_next(&s), "greeting");
		CHECK_EQ(ts_reply(&s, &r), 0);
		CHECK_EQ(r.code, 220);
		CHECK_EQ(ts_send(&s, "EPSV\r\nRETR f\r\nEPSV\r\n", 20, TS_PUBLIC), 0);
		say("229 (|||1000|)\r\n150 here\r\n226 done\r\n");
		CHECK_EQ(ts_reply(&s, &r), 0);
		CHECK_STR(s.last, "EPSV");
		CHECK_EQ(ts_reply(&s, &r), 0);
		CHECK_EQ(r.code, 150);
		CHECK_STR(s.last, "RETR");
		ts_again(&s);
		CHECK_EQ(ts_due(&s), 2);
		CHECK_STR(ts_next(&s), "RETR");
		CHECK_EQ(ts_reply(&s, &r), 0);
		CHECK_EQ(r.code, 226);
		CHECK_STR(s.last, "RETR");
		CHECK_STR(ts_next(&s), "EPSV");
		CHECK_EQ(ts_due(&s), 1);
	}
	TEST("ts_reply: a peer trickling a byte at a time is cut off by the total limit") {
		pid_t pid;
		int64_t t0;

		open_pair(TS_SMTP);
		s.idle = 2000000;		/* each byte comes well within the idle limit */
		s.reply_total = 300000;		/* but the whole reply may take 0.3 s */
		if ((pid = fork()) == 0) {
			const char *t = "220 slowly, slowly\r\n";

			for (; *t; t++) {
				if (write(peer, t, 1) != 1)
					_exit(0);
				usleep(50000);
			}
			_exit(0);
		}
		t0 = tb_now();
		CHECK_EQ(ts_reply(&s, &r), -1);
		CHECK_EQ(errno, ETIMEDOUT);
		CHECK(tb_now() - t0 < 1000000);
		CHECK_STR(s.why, "greeting: timed out (no whole reply within 0.3 s)");
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	TEST("ts_reply: closed by the server, and the run's deadline named as such") {
		open_pair(TS_SMTP);
		shutdown(peer, SHUT_WR);
		CHECK_EQ(ts_reply(&s, &r), -1);
		CHECK_STR(s.why, "greeting: connection closed by the server");
		open_pair(TS_SMTP);
		s.deadline = tb_now() + 100000;
		CHECK_EQ(ts_reply(&s, &r), -1);
		CHECK_STR(s.why, "greeting: timed out (the -w deadline)");
	}
	TEST("ts_unasked: bytes with nothing due are out of step; EOF is not data") {
		open_pair(TS_POP3);
		say("+OK hi\r\n");
		CHECK(ts_status(&s, (char *)r.text, sizeof r.text) == 6);
		CHECK_EQ(ts_unasked(&s, "the greeting"), 0);
		say("+OK injected\r\n");
		CHECK_EQ(ts_unasked(&s, "the greeting"), 1);
		CHECK_STR(s.why, "the greeting: followed by data nobody asked for (out of step)");
		open_pair(TS_POP3);
		say("+OK hi\r\n");
		CHECK(ts_status(&s, (char *)r.text, sizeof r.text) == 6);
		shutdown(peer, SHUT_WR);
		CHECK_EQ(ts_unasked(&s, "the greeting"), 0);
		/* while a reply is due, waiting bytes are that reply */
		open_pair(TS_POP3);
		say("+OK hi\r\n");
		CHECK_EQ(ts_unasked(&s, "connect"), 0);
	}
	TEST("ts_body: dot-unstuffed, and a body over max is out of step") {
		char out[256] = "";
		struct pop3_ml ml;

		open_pair(TS_POP3);
		say("a\r\n..b\r\n.\r\n");
		pop3_ml_init(&ml, 0);
		CHECK_EQ(ts_body(&s, &ml, collect, out, 0, 1000), 0);
		CHECK_STR(out, "a\n.b\n");
		say("0123456789\r\n0123456789\r\n.\r\n");
		pop3_ml_init(&ml, 0);
		out[0] = '\0';
		CHECK_EQ(ts_body(&s, &ml, collect, out, 0, 10), -2);
		CHECK(strstr(s.why, "out of step") != NULL);
	}
	TEST("ts_quit: waits TS_QUIT_WAIT at most for a silent server, keeps why") {
		int64_t t0;

		open_pair(TS_SMTP);
		s.idle = 30000000;
		snprintf(s.why, sizeof s.why, "RCPT: refused");
		s.greeted = 1;
		t0 = tb_now();
		ts_quit(&s, 1);
		CHECK(tb_now() - t0 < TS_QUIT_WAIT + 500000);
		CHECK(tb_now() - t0 >= TS_QUIT_WAIT - 100000);
		CHECK_STR(heard(), "QUIT\r\n");
		CHECK_STR(s.why, "RCPT: refused");
		CHECK_EQ(s.idle, 30000000);
	}
	TEST("ts_code_exit: 2xx 3xx 0, 4xx 3, 5xx 1, nonsense 3") {
		CHECK_EQ(ts_code_exit(250), 0);
		CHECK_EQ(ts_code_exit(354), 0);
		CHECK_EQ(ts_code_exit(421), 3);
		CHECK_EQ(ts_code_exit(550), 1);
		CHECK_EQ(ts_code_exit(150), 3);
		CHECK_EQ(ts_code_exit(0), 3);
	}
	return tap_done();
}
