/*
 * t_pop3fetch.c - pop3get's choice and delivery (lib/session/pop3fetch.c)
 * against a POP3 server played by a child on a socketpair, into a
 * Maildir under a temporary directory: what is delivered, DELEd, and
 * when no QUIT may go.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "peer.h"
#include "pop3fetch.h"
#include "tap.h"
#include "tubes.h"

/* the server's part: to a command starting with cmd, the reply */
struct turn {
	const char *cmd, *reply;
};
struct turns {
	const struct turn *t;
	size_t n;
};

static const char listing[] = "+OK\r\n1 20\r\n2 20\r\n.\r\n";
static const char uidl[] = "+OK\r\n1 u1\r\n2 u2\r\n.\r\n";
static const char m1[] = "+OK\r\nSubject: a\r\n\r\nhi 1\r\n.\r\n";
static const char m2[] = "+OK\r\nSubject: b\r\n\r\nhi 2\r\n.\r\n";

static char dir[] = "/tmp/t_pop3fetch.XXXXXX";
static char heard[4096], stored[1024];
static struct conn c;
static struct p3 P;
static struct p3list L;
static struct sink sink;
static struct p3fetch F;

/* the child: each line read answered by the first turn not yet used that fits */
static void
play(int fd, int log, const void *arg)
{
	const struct turn *t = ((const struct turns *)arg)->t;
	size_t n = ((const struct turns *)arg)->n;
	FILE *in = fdopen(fd, "r");
	char line[512], used[16] = { 0 };
	size_t k;

	while (in && fgets(line, sizeof line, in)) {
		(void)!write(log, line, strlen(line));
		for (k = 0; k < n; k++)
			if (!used[k] && strncmp(line, t[k].cmd, strlen(t[k].cmd)) == 0)
				break;
		if (k == n)
			break;
		used[k] = 1;
		(void)!write(fd, t[k].reply, strlen(t[k].reply));
	}
	_exit(0);
}

static void
refused(void *arg, const char *what, const struct pop3_status *s)
{
	(void)arg;
	(void)s;
	tb_warn("%s refused", what);
}

static void
on_stored(void *arg, const struct p3msg *m, const char *where, uint64_t octets)
{
	size_t n = strlen(stored);

	(void)arg;
	(void)where;
	snprintf(stored + n, sizeof stored - n, "%llu %s %llu\n", (unsigned long long)m->num,
	    m->uid, (unsigned long long)octets);
}

/* the messages in the Maildir's new/ */
static int
in_new(void)
{
	char path[128];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof path, "%s/new", dir);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* a session logged in (as far as the server knows), listed, F ready */
static void
start(struct peer *pr, const struct turn *t, size_t n)
{
	struct turns ts = { t, n };
	const char *why;

	peer_start(pr, &c, play, &ts);
	p3_init(&P, &c, "pop.test");
	P.ts.idle = 2000000;
	P.ts.deadline = -1;
	memset(&L, 0, sizeof L);
	if (p3_listing(&P, &L, 0, 0) != 0)
		exit(1);
	memset(&F, 0, sizeof F);
	F.p = &P;
	F.L = &L;
	F.sink = &sink;
	F.refused = refused;
	F.stored = on_stored;
	memset(&sink, 0, sizeof sink);
	if (sink_open(&sink, SINK_MAILDIR, dir, 1, 1000000, &why) < 0)
		exit(1);
	stored[0] = '\0';
}

/* the session over: what the server heard, into heard */
static void
stop(struct peer *pr)
{
	peer_stop(pr, &c, heard, sizeof heard);
	sink_close(&sink);
	tb_spool_close(&L.sp);
}

int
main(void)
{
	char cmd[200];
	struct peer pr;

	tb_init("t_pop3fetch");
	if (mkdtemp(dir) == NULL)
		return 1;
	TEST("two messages with --delete: both durable first, then DELE, then QUIT") {
		const struct turn t[] = { { "STAT", "+OK 2 40\r\n" }, { "LIST", listing },
			{ "UIDL", uidl }, { "RETR 1", m1 }, { "RETR 2", m2 },
			{ "DELE 1", "+OK\r\n" }, { "DELE 2", "+OK\r\n" }, { "QUIT", "+OK bye\r\n" } };

		start(&pr, t, 8);
		F.del = 1;
		CHECK_EQ(p3f_choose(&F), 2);
		CHECK_EQ(p3f_fetch_all(&F, 2), EXIT_OK);
		stop(&pr);
		CHECK_STR(stored, "1 u1 20\n2 u2 20\n");
		CHECK_EQ(in_new(), 2);
		CHECK_EQ(F.delivered, 2);
		CHECK_EQ(F.deleted, 2);
		CHECK(strstr(heard, "RETR 1\r\nRETR 2\r\nDELE 1\r\nDELE 2\r\nQUIT\r\n") != NULL);
	}
	TEST("POP-10: a message shorter than LIST said is not delivered, and no QUIT goes") {
		const struct turn t[] = { { "STAT", "+OK 2 40\r\n" }, { "LIST", listing },
			{ "UIDL", uidl }, { "RETR 1", "+OK\r\nshort\r\n.\r\n" },
			{ "QUIT", "+OK bye\r\n" } };

		start(&pr, t, 5);
		F.del = 1;
		CHECK_EQ(p3f_fetch_all(&F, p3f_choose(&F)), EXIT_NET);
		stop(&pr);
		CHECK_STR(stored, "");
		CHECK_EQ(F.delivered, 0);
		CHECK_EQ(F.failed, 1);
		CHECK(strstr(heard, "QUIT") == NULL);
		CHECK(strstr(heard, "DELE") == NULL);
	}
	TEST("a -ERR to RETR: that message fails (exit 1), the other is delivered") {
		const struct turn t[] = { { "STAT", "+OK 2 40\r\n" }, { "LIST", listing },
			{ "UIDL", uidl }, { "RETR 1", "-ERR gone\r\n" }, { "RETR 2", m2 },
			{ "QUIT", "+OK bye\r\n" } };

		start(&pr, t, 6);
		CHECK_EQ(p3f_fetch_all(&F, p3f_choose(&F)), EXIT_NO);
		stop(&pr);
		CHECK_STR(stored, "2 u2 20\n");
		CHECK_EQ(F.failed, 1);
		CHECK(strstr(heard, "QUIT\r\n") != NULL);
	}
	TEST("the choice: --max-size skips (counted), -N passes over what the state holds") {
		const struct turn t[] = { { "STAT", "+OK 2 70\r\n" },
			{ "LIST", "+OK\r\n1 20\r\n2 50\r\n.\r\n" }, { "UIDL", uidl },
			{ "QUIT", "+OK bye\r\n" } };
		struct uidstate us;
		struct p3msg m;
		const char *why;

		start(&pr, t, 4);
		F.maxsize = 30;
		F.sink = NULL;
		CHECK_EQ(p3f_choose(&F), 1);
		CHECK_EQ(F.skipped, 1);
		p3f_next(&F, &m);
		CHECK_EQ(m.num, 1);
		memset(&us, 0, sizeof us);
		snprintf(cmd, sizeof cmd, "%s/state", dir);
		CHECK_EQ(state_load(&us, cmd, "u@pop.test", &why), 0);
		CHECK_EQ(state_add(&us, "u1"), 0);
		F.maxsize = 0;
		F.newonly = 1;
		F.state = &us;
		F.cursor = 0;
		CHECK_EQ(p3f_choose(&F), 1);
		p3f_next(&F, &m);
		CHECK_EQ(m.num, 2);
		CHECK_EQ(p3f_quit(&F, 0), 0);
		stop(&pr);
		state_free(&us);
	}
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	(void)!system(cmd);
	return tap_done();
}
