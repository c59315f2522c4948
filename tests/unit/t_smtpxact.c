/*
 * t_smtpxact.c - smtpsend's messages over one SMTP connection
 * (lib/session/smtpxact.c) against a scripted server on a socketpair:
 * the verdicts and data lines each reply gives, and when STARTTLS must
 * stop a session.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "peer.h"
#include "smtpxact.h"
#include "tap.h"
#include "tubes.h"

/* what the callbacks were told, one line each: "rcpt ADDR CODE TEXT", "data CODE TEXT" */
static char told[4096];

static void
on_rcpt(void *arg, const struct sub_rcpt *r, int code, const char *text, size_t tlen,
    const char *server)
{
	size_t n = strlen(told);

	(void)arg;
	(void)server;
	snprintf(told + n, sizeof told - n, "rcpt %s %d %.*s\n", r->addr, code, (int)tlen, text);
}

static void
on_data(void *arg, struct sub_msg *m, int code, const char *text, size_t tlen, size_t bytes,
    int msgno)
{
	size_t n = strlen(told);

	(void)arg;
	(void)bytes;
	(void)msgno;
	if (m)
		m->done = 1;
	snprintf(told + n, sizeof told - n, "data %d %.*s\n", code, (int)tlen, text);
}

/*
 * The server: the greeting, then for each command line the next of
 * replies (none for the lines of a message after a 354, until its
 * "."); the lines it read go back on log when the script ends.
 */
struct play {
	const char *greet;
	const char *const *replies;
};

static void
script(int fd, int log, const void *arg)
{
	const struct play *pl = arg;
	const char *greet = pl->greet;
	const char *const *replies = pl->replies;
	char heard[8192], line[1024];
	size_t nh = 0, nl = 0;
	int data = 0;
	char b;

	(void)!write(fd, greet, strlen(greet));
	while (*replies && read(fd, &b, 1) == 1) {
		if (nl < sizeof line - 1)
			line[nl++] = b;
		if (b != '\n')
			continue;
		line[nl] = '\0';
		if (nh + nl < sizeof heard) {
			memcpy(heard + nh, line, nl);
			nh += nl;
		}
		nl = 0;
		if (data && strcmp(line, ".\r\n") != 0)
			continue;
		data = strncmp(*replies, "354", 3) == 0;
		(void)!write(fd, *replies, strlen(*replies));
		replies++;
	}
	(void)!write(log, heard, nh);
	_exit(0);
}

static struct conn c;
static struct submit sb = { .from = "s@x.test", .host = "me.test", .date = "Thu, 1 Jan 2026 00:00:00 +0000",
	.msgid = "<1@me.test>" };
static struct submit_src src;
static char heard[8192];

/* one session of job j with the message to rcpt against the script; its end */
static int
run(struct smtp_job *j, char **rcpt, int n, int can_retry, const char *greet,
    const char *const *replies)
{
	static const uint8_t msg[] = "Subject: t\n\nhello\n";
	struct play pl = { greet, replies };
	struct peer pr;
	int rc;

	told[0] = '\0';
	peer_start(&pr, &c, script, &pl);
	submit_src_one(&src, &sb, msg, sizeof msg - 1, rcpt, n);
	*j = (struct smtp_job){ .c = &c, .src = &src, .from = "s@x.test", .ehlo = "me.test",
	    .tls = j->tls, .wait = 2000000, .deadline = -1, .rcpt = on_rcpt, .data = on_data };
	rc = smtp_job_session(j, 1, "mx.test", can_retry);
	peer_stop(&pr, &c, heard, sizeof heard);
	submit_src_free(&src);
	return rc;
}

int
main(void)
{
	char a[] = "a@x.test", b[] = "b@x.test";
	char *two[] = { a, b };
	struct smtp_job j;

	tb_init("t_smtpxact");
	setenv("SOURCE_DATE_EPOCH", "0", 1);
	TEST("one refused recipient of two: its 550, the other's 250, the message sent") {
		const char *r[] = { "250 hi\r\n", "250 ok\r\n", "250 a ok\r\n", "550 no b\r\n",
			"354 go\r\n", "250 queued as X1\r\n", "221 bye\r\n", NULL };

		j.tls = SMTP_TLS_NEVER;
		CHECK_EQ(run(&j, two, 2, 0, "220 mx.test\r\n", r), SMTP_OK);
		CHECK_STR(told, "rcpt a@x.test 250 a ok\nrcpt b@x.test 550 no b\n"
		    "data 250 queued as X1\n");
		CHECK_EQ(j.exitc, EXIT_OK);
		CHECK(strstr(heard, "MAIL FROM:<s@x.test>") != NULL);
		CHECK(strstr(heard, "RCPT TO:<b@x.test>\r\nDATA\r\n") != NULL);
		CHECK(strstr(heard, "\r\nhello\r\n.\r\nQUIT\r\n") != NULL);
	}
	TEST("no recipient accepted: no DATA, the message not sent") {
		const char *r[] = { "250 hi\r\n", "250 ok\r\n", "550 no a\r\n", "550 no b\r\n",
			"221 bye\r\n", NULL };

		j.tls = SMTP_TLS_NEVER;
		CHECK_EQ(run(&j, two, 2, 0, "220 mx.test\r\n", r), SMTP_OK);
		CHECK_STR(told, "rcpt a@x.test 550 no a\nrcpt b@x.test 550 no b\n"
		    "data 0 not sent: no recipient accepted\n");
		CHECK(strstr(heard, "DATA") == NULL);
	}
	TEST("a 421 greeting with another host to try: TEMP, no verdict yet, why kept") {
		const char *r[] = { "221 bye\r\n", NULL };

		j.tls = SMTP_TLS_NEVER;
		CHECK_EQ(run(&j, two, 2, 1, "421 busy\r\n", r), SMTP_TEMP);
		CHECK_STR(told, "");
		CHECK(j.why && strstr(j.why, "421 greeting: busy") != NULL);
	}
	TEST("TLS a must and no STARTTLS offered: nothing sent, each recipient told why, exit 3") {
		const char *r[] = { "250 hi\r\n", "221 bye\r\n", NULL };

		j.tls = SMTP_TLS_MUST;
		CHECK_EQ(run(&j, two, 2, 0, "220 mx.test\r\n", r), SMTP_OK);
		CHECK(strstr(told, "rcpt a@x.test 0 mx.test offers no STARTTLS: no message in clear")
		    != NULL);
		CHECK(strstr(told, "data 0 not sent: mx.test offers no STARTTLS") != NULL);
		CHECK_EQ(j.exitc, EXIT_NET);
		CHECK(strstr(heard, "MAIL") == NULL);
	}
	TEST("--tls required and no STARTTLS: its own words") {
		const char *r[] = { "250 hi\r\n", "221 bye\r\n", NULL };

		j.tls = SMTP_TLS_REQUIRED;
		(void)run(&j, two, 1, 0, "220 mx.test\r\n", r);
		CHECK(strstr(told, "offers no STARTTLS, and --tls required") != NULL);
	}
	TEST("STARTTLS offered but refused, TLS not a must: the message goes in clear") {
		const char *r[] = { "250-hi\r\n250 STARTTLS\r\n", "454 not now\r\n", "250 ok\r\n",
			"250 a ok\r\n", "354 go\r\n", "250 done\r\n", "221 bye\r\n", NULL };

		j.tls = SMTP_TLS_OFFERED;
		CHECK_EQ(run(&j, two, 1, 0, "220 mx.test\r\n", r), SMTP_OK);
		CHECK_STR(told, "rcpt a@x.test 250 a ok\ndata 250 done\n");
		CHECK_EQ(j.tls_on, 0);
	}
	TEST("STARTTLS refused and TLS a must: the refusal is every recipient's verdict") {
		const char *r[] = { "250-hi\r\n250 STARTTLS\r\n", "454 not now\r\n", "221 bye\r\n",
			NULL };

		j.tls = SMTP_TLS_MUST;
		CHECK_EQ(run(&j, two, 1, 0, "220 mx.test\r\n", r), SMTP_OK);
		CHECK_STR(told, "rcpt a@x.test 454 STARTTLS: not now\ndata 454 not sent\n");
	}
	TEST("SMTP-17: a reply injected with the 220 to STARTTLS: refused before any TLS") {
		const char *r[] = { "250-hi\r\n250 STARTTLS\r\n", "220 go\r\n250 injected\r\n",
			"221 bye\r\n", NULL };

		j.tls = SMTP_TLS_OFFERED;
		CHECK_EQ(run(&j, two, 1, 0, "220 mx.test\r\n", r), SMTP_OK);
		CHECK(strstr(told, "an injected reply?") != NULL);
		CHECK_EQ(j.exitc, EXIT_NET);
		CHECK_EQ(j.tls_on, 0);
	}
	return tap_done();
}
