/* t_pop3.c - unit tests of the POP3 codecs (lib/wire/pop3.c) */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "deliver.h"
#include "pop3.h"
#include "tubes.h"

/* run a whole wire text through the multi-line machine in chunks of step bytes */
static size_t
unstuff(const char *wire, size_t step, int keep, char *out, size_t cap, struct pop3_ml *ml,
    size_t *consumed)
{
	size_t n = strlen(wire), i = 0, o = 0, got, used;

	pop3_ml_init(ml, keep);
	while (i < n && !ml->done) {
		size_t chunk = n - i < step ? n - i : step;

		used = pop3_ml_feed(ml, (const uint8_t *)wire + i, chunk,
		    (uint8_t *)out + o, cap - o - 1, &got);
		i += used;
		o += got;
		if (used == 0 && got == 0)
			break;
	}
	out[o] = '\0';
	*consumed = i;
	return o;
}

static int
st(const char *line)
{
	struct pop3_status s;

	return pop3_status(line, strlen(line), &s);
}

static size_t
slurp(const char *path, char *buf, size_t cap)
{
	FILE *fp = fopen(path, "r");
	size_t n;

	if (fp == NULL)
		return 0;
	n = fread(buf, 1, cap - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	return n;
}

int
main(void)
{
	static struct delivery d;
	char dir[] = "/tmp/t_pop3.XXXXXX";

	if (mkdtemp(dir) == NULL)
		return 2;
	tb_init("t_pop3");
	TEST("POP-01 status must be exactly +OK or -ERR") {
		struct pop3_status s;

		CHECK_EQ(st("+OK"), POP3_OK);
		CHECK_EQ(st("+OK 2 messages"), POP3_OK);
		CHECK_EQ(st("-ERR"), POP3_ERR);
		CHECK_EQ(st("-ERR no such message"), POP3_ERR);
		CHECK_EQ(st("+OKAY"), POP3_BAD);
		CHECK_EQ(st("OK"), POP3_BAD);
		CHECK_EQ(st("+ok"), POP3_BAD);
		CHECK_EQ(st(""), POP3_BAD);
		CHECK_EQ(st("-ERROR"), POP3_BAD);
		CHECK_EQ(st("+"), POP3_BAD);
		CHECK_EQ(st(" +OK"), POP3_BAD);
		CHECK_EQ(st("+OK\tx"), POP3_BAD);
		CHECK_EQ(st("garbage"), POP3_BAD);
		pop3_status("+OK 2 200", 9, &s);
		CHECK_EQ(s.textlen, 5);
		CHECK(memcmp(s.text, "2 200", 5) == 0);
	}
	TEST("POP-01 response codes [IN-USE] [AUTH] [SYS/TEMP]") {
		struct pop3_status s;
		const char *l = "-ERR [IN-USE] mailbox locked";

		CHECK_EQ(pop3_status(l, strlen(l), &s), POP3_ERR);
		CHECK_EQ(s.rc, POP3_RC_IN_USE);
		CHECK_EQ(s.codelen, 6);
		CHECK_EQ(s.textlen, strlen("mailbox locked"));
		l = "-ERR [AUTH] Authentication failed.";
		pop3_status(l, strlen(l), &s);
		CHECK_EQ(s.rc, POP3_RC_AUTH);
		CHECK_STR(pop3_rc_name(s.rc), "AUTH");
		l = "-ERR [SYS/TEMP/DISK] try later";
		pop3_status(l, strlen(l), &s);
		CHECK_EQ(s.rc, POP3_RC_SYS_TEMP);
		l = "-ERR [AUTHX] x";
		pop3_status(l, strlen(l), &s);
		CHECK_EQ(s.rc, POP3_RC_OTHER);
		l = "-ERR [unclosed text";
		pop3_status(l, strlen(l), &s);
		CHECK_EQ(s.rc, 0);
		CHECK(s.code == NULL);
		CHECK_EQ(s.textlen, strlen("[unclosed text"));
		l = "-ERR []";
		pop3_status(l, strlen(l), &s);
		CHECK(s.code == NULL);
	}
	TEST("POP-02 multi-line end is exactly CRLF . CRLF") {
		struct pop3_ml ml;
		char out[256];
		size_t used, n;
		const char *w = "Subject: x\r\n\r\nbody\r\n.\r\n+OK next";

		n = unstuff(w, 1000, 0, out, sizeof out, &ml, &used);
		CHECK(ml.done);
		CHECK_STR(out, "Subject: x\n\nbody\n");
		CHECK_EQ(n, 17);
		CHECK_EQ(used, strlen(w) - strlen("+OK next"));
		CHECK_EQ(ml.octets, 20);	/* as the server counts: CRLF line ends */
		CHECK_EQ(ml.lines, 3);
	}
	TEST("POP-02 dot-unstuffing: .. lines, lone . inside the message") {
		struct pop3_ml ml;
		char out[256];
		size_t used;
		/* the message holds a line "." and a line ".." and a line "...x" */
		const char *w = "a\r\n..\r\n...\r\n....x\r\n.y\r\n.\r\n";

		unstuff(w, 1000, 0, out, sizeof out, &ml, &used);
		CHECK(ml.done);
		CHECK_STR(out, "a\n.\n..\n...x\ny\n");
		unstuff(w, 1000, 1, out, sizeof out, &ml, &used);
		CHECK_STR(out, "a\r\n.\r\n..\r\n...x\r\ny\r\n");
		CHECK_EQ(ml.octets, strlen(out));
	}
	TEST("POP-02 byte-at-a-time feeding gives the same result") {
		struct pop3_ml ml;
		char a[256], b[256];
		size_t u1, u2;
		const char *w = "x\r\n..\r\n.\rz\r\nq\r\r\n\r\n.\r\nrest";

		unstuff(w, 1000, 0, a, sizeof a, &ml, &u1);
		CHECK(ml.done);
		unstuff(w, 1, 0, b, sizeof b, &ml, &u2);
		CHECK(ml.done);
		CHECK_STR(b, a);
		CHECK_EQ(u1, u2);
		CHECK_STR(a, "x\n.\n\rz\nq\r\n\n");
	}
	TEST("POP-02 the empty body and the terminator first") {
		struct pop3_ml ml;
		char out[16];
		size_t used, n;

		n = unstuff(".\r\n", 1000, 0, out, sizeof out, &ml, &used);
		CHECK(ml.done);
		CHECK_EQ(n, 0);
		CHECK_EQ(used, 3);
	}
	TEST("POP-02 . LF and . after a bare LF are not the end") {
		struct pop3_ml ml;
		char out[64];
		size_t used;

		unstuff("a\r\n.\nb\r\n", 1000, 0, out, sizeof out, &ml, &used);
		CHECK(!ml.done);
		CHECK_STR(out, "a\n\nb\n");
		unstuff("a\n.\r\nb\r\n.\r\n", 1000, 0, out, sizeof out, &ml, &used);
		CHECK(ml.done);
		CHECK_STR(out, "a\n\nb\n");
	}
	TEST("POP-02 a final line without CRLF is incomplete") {
		struct pop3_ml ml;
		char out[64];
		size_t used;

		unstuff("a\r\nlast", 1000, 0, out, sizeof out, &ml, &used);
		CHECK(!ml.done);
		CHECK(pop3_ml_midline(&ml));
		unstuff("a\r\n.", 1000, 0, out, sizeof out, &ml, &used);
		CHECK(!ml.done);
		CHECK(pop3_ml_midline(&ml));
		unstuff("a\r\n.\r", 1000, 0, out, sizeof out, &ml, &used);
		CHECK(!ml.done);
		unstuff("a\r\n", 1000, 0, out, sizeof out, &ml, &used);
		CHECK(!ml.done);
		CHECK(!pop3_ml_midline(&ml));
	}
	TEST("multi-line machine stops when the output is full") {
		struct pop3_ml ml;
		uint8_t out[2];
		size_t got, used;

		pop3_ml_init(&ml, 0);
		used = pop3_ml_feed(&ml, (const uint8_t *)"abcd", 4, out, 2, &got);
		CHECK_EQ(used, 1);
		CHECK_EQ(got, 1);
		used = pop3_ml_feed(&ml, (const uint8_t *)"abcd", 4, out, 1, &got);
		CHECK_EQ(used, 0);
	}
	TEST("POP-08 a very long line passes through") {
		static char w[200010], out[200010];
		struct pop3_ml ml;
		size_t used, n;

		memset(w, 'x', 200000);
		memcpy(w + 200000, "\r\n.\r\n", 6);
		n = unstuff(w, 4096, 0, out, sizeof out, &ml, &used);
		CHECK(ml.done);
		CHECK_EQ(n, 200001);
	}
	TEST("POP-07 STAT, LIST lines and ranges") {
		uint64_t c, s, num, size;

		CHECK_EQ(pop3_stat("2 320", 5, &c, &s), 0);
		CHECK_EQ(c, 2);
		CHECK_EQ(s, 320);
		CHECK_EQ(pop3_stat("2 320 extra", 11, &c, &s), 0);
		CHECK_EQ(pop3_stat("-1 320", 6, &c, &s), POP3_E_SYNTAX);
		CHECK_EQ(pop3_stat("2", 1, &c, &s), POP3_E_SYNTAX);
		CHECK_EQ(pop3_stat("2x 3", 4, &c, &s), POP3_E_SYNTAX);
		CHECK_EQ(pop3_stat("99999999999999999999999 1", 25, &c, &s), POP3_E_RANGE);
		CHECK_EQ(pop3_list("1 120", 5, 2, &num, &size), 0);
		CHECK_EQ(num, 1);
		CHECK_EQ(size, 120);
		CHECK_EQ(pop3_list("2 200 more info", 15, 2, &num, &size), 0);
		CHECK_EQ(pop3_list("3 200", 5, 2, &num, &size), POP3_E_RANGE);
		CHECK_EQ(pop3_list("0 200", 5, 2, &num, &size), POP3_E_RANGE);
		CHECK_EQ(pop3_list("-1 200", 6, 2, &num, &size), POP3_E_SYNTAX);
		CHECK_EQ(pop3_list("1 -200", 6, 2, &num, &size), POP3_E_SYNTAX);
		CHECK_EQ(pop3_list("1 +200", 6, 2, &num, &size), POP3_E_SYNTAX);
		CHECK_EQ(pop3_list("1  200", 6, 2, &num, &size), POP3_E_SYNTAX);
		CHECK_EQ(pop3_list("1 20x", 5, 2, &num, &size), POP3_E_SYNTAX);
		CHECK_EQ(pop3_list("1", 1, 2, &num, &size), POP3_E_SYNTAX);
		CHECK_EQ(pop3_list("4294967297 1", 12, POP3_NOCOUNT, &num, &size), POP3_E_RANGE);
		CHECK_EQ(pop3_list("1 99999999999999999", 19, 2, &num, &size), POP3_E_RANGE);
		CHECK_EQ(pop3_list("5 1", 3, POP3_NOCOUNT, &num, &size), 0);
	}
	TEST("POP-06 UIDL lines: length, characters, ranges") {
		char uid[POP3_UIDL_MAX + 1], l[200];
		uint64_t num;

		CHECK_EQ(pop3_uidl("1 whqtswO00WBw418f9t5JxYwZ", 26, 2, &num, uid), 0);
		CHECK_STR(uid, "whqtswO00WBw418f9t5JxYwZ");
		CHECK_EQ(pop3_uidl("2 abc  ", 7, 2, &num, uid), 0);
		CHECK_STR(uid, "abc");
		CHECK_EQ(pop3_uidl("2 ", 2, 2, &num, uid), POP3_E_UIDL);
		CHECK_EQ(pop3_uidl("2", 1, 2, &num, uid), POP3_E_SYNTAX);
		CHECK_EQ(pop3_uidl("2 a b", 5, 2, &num, uid), POP3_E_UIDL);
		CHECK_EQ(pop3_uidl("2 a\tb", 5, 2, &num, uid), POP3_E_UIDL);
		CHECK_EQ(pop3_uidl("2 caf\xc3\xa9", 7, 2, &num, uid), POP3_E_UIDL);
		CHECK_EQ(pop3_uidl("3 abc", 5, 2, &num, uid), POP3_E_RANGE);
		memset(l, 'u', sizeof l);
		memcpy(l, "1 ", 2);
		CHECK_EQ(pop3_uidl(l, 72, 2, &num, uid), 0);	/* 70 octets */
		CHECK_EQ(strlen(uid), 70);
		CHECK_EQ(pop3_uidl(l, 73, 2, &num, uid), POP3_E_UIDL);	/* 71 */
		CHECK_EQ(pop3_uidl(l, 200, 2, &num, uid), POP3_E_UIDL);
		CHECK_EQ(pop3_uid_ok("!~", 2), 0);
		CHECK_EQ(pop3_uid_ok("\x7f", 1), POP3_E_UIDL);
	}
	TEST("POP-06 duplicate UIDLs found") {
		const char *a[] = { "b", "a", "c", "a" };
		const char *b[] = { "b", "a", "c" };

		CHECK(pop3_uid_dups(a, 4) >= 0);
		CHECK_EQ(pop3_uid_dups(b, 3), -1);
		CHECK_EQ(pop3_uid_dups(b, 0), -1);
		CHECK_STR(b[0], "a");	/* sorted */
		CHECK_STR(b[2], "c");
	}
	TEST("POP-06 duplicates found among many ids, in any order") {
		static char ids[5000][12];
		static const char *v[5000];
		size_t i;

		for (i = 0; i < 5000; i++) {
			snprintf(ids[i], sizeof ids[i], "id%zu", (i * 7919) % 5000);
			v[i] = ids[i];
		}
		CHECK_EQ(pop3_uid_dups(v, 5000), -1);
		for (i = 1; i < 5000; i++)
			CHECK(strcmp(v[i - 1], v[i]) < 0);
		for (i = 0; i < 5000; i++)
			v[i] = ids[i];
		v[4321] = ids[17];
		CHECK(pop3_uid_dups(v, 5000) >= 0);
	}
	TEST("CAPA lines") {
		CHECK_EQ(pop3_capa("PIPELINING", 10), POP3_CAP_PIPELINING);
		CHECK_EQ(pop3_capa("pipelining", 10), POP3_CAP_PIPELINING);
		CHECK_EQ(pop3_capa("TOP", 3), POP3_CAP_TOP);
		CHECK_EQ(pop3_capa("SASL PLAIN LOGIN", 16), POP3_CAP_SASL);
		CHECK_EQ(pop3_capa("UIDL", 4), POP3_CAP_UIDL);
		CHECK_EQ(pop3_capa("RESP-CODES", 10), POP3_CAP_RESP_CODES);
		CHECK_EQ(pop3_capa("PIPELININGX", 11), 0);
		CHECK_EQ(pop3_capa("X-FOO", 5), 0);
		CHECK_EQ(pop3_capa("", 0), 0);
	}
	TEST("commands are built with CRLF and refuse CR LF in arguments") {
		char b[64];

		CHECK_EQ(pop3_cmd(b, sizeof b, "RETR", "12", NULL), 9);
		CHECK_STR(b, "RETR 12\r\n");
		CHECK_EQ(pop3_cmd(b, sizeof b, "TOP", "1", "0"), 9);
		CHECK_STR(b, "TOP 1 0\r\n");
		CHECK_EQ(pop3_cmd(b, sizeof b, "QUIT", NULL, NULL), 6);
		CHECK_EQ(pop3_cmd(b, sizeof b, "USER", "a\r\nDELE 1", NULL), -1);
		CHECK_EQ(pop3_cmd(b, sizeof b, "USER", "", NULL), -1);
		CHECK_EQ(pop3_cmd(b, 8, "USER", "abc", NULL), -1);
		CHECK_EQ(pop3_cmd(b, 11, "USER", "abc", NULL), 10);
	}
	TEST("POP-09 APOP timestamp and the RFC 1939 example digest") {
		char stamp[128], hex[33];
		const char *g = "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>";

		CHECK_EQ(pop3_apop_stamp(g, strlen(g), stamp, sizeof stamp), 33);
		CHECK_STR(stamp, "<1896.697170952@dbc.mtview.ca.us>");
		pop3_apop_digest(stamp, "tanstaaf", hex);
		CHECK_STR(hex, "c4c9334bac560ecc979e58001b3e22fb");
		CHECK_EQ(pop3_apop_stamp("+OK ready", 9, stamp, sizeof stamp), -1);
		CHECK_EQ(pop3_apop_stamp("+OK <noat>", 10, stamp, sizeof stamp), -1);
		CHECK_EQ(pop3_apop_stamp("+OK <a@b", 8, stamp, sizeof stamp), -1);
		CHECK_EQ(pop3_apop_stamp("+OK <a @b>", 10, stamp, sizeof stamp), -1);
		CHECK_EQ(pop3_apop_stamp("+OK <a@b>", 9, stamp, 5), -1);
		CHECK_EQ(pop3_apop_stamp("+OK <a@b>", 9, stamp, 6), 5);
	}
	TEST("header fields for --scan, folded and case-insensitive") {
		const char *h = "From: Aunt Martha <martha@kindoldaunts.com>\r\n"
		    "subject: Happy\r\n birthday\r\nDate: Sat, 30 Jan 2016 10:00:00 +0000 \r\n"
		    "\r\nSubject: body\r\n";
		char v[64];

		CHECK_EQ(pop3_header(h, strlen(h), "Subject", v, sizeof v), 14);
		CHECK_STR(v, "Happy birthday");
		CHECK(pop3_header(h, strlen(h), "date", v, sizeof v) > 0);
		CHECK_STR(v, "Sat, 30 Jan 2016 10:00:00 +0000");
		CHECK(pop3_header(h, strlen(h), "from", v, 10) > 9);
		CHECK_STR(v, "Aunt Mart");
		CHECK_EQ(pop3_header(h, strlen(h), "To", v, sizeof v), -1);
		CHECK_EQ(pop3_header(h, strlen(h), "Subj", v, sizeof v), -1);
	}
	TEST("layer view masks PASS") {
		char buf[4096];
		FILE *fp = fmemopen(buf, sizeof buf, "w");
		struct layers lv = { fp };

		pop3_decode_cmd(&lv, "PASS s3cret\r\n", 13);
		pop3_decode_cmd(&lv, "APOP bob c4c9334bac560ecc979e58001b3e22fb\r\n", 43);
		pop3_decode_status(&lv, "-ERR [AUTH] no", 14);
		fclose(fp);
		CHECK(strstr(buf, "s3cret") == NULL);
		CHECK(strstr(buf, "c4c9") == NULL);
		CHECK(strstr(buf, "bob") != NULL);
		CHECK(strstr(buf, "[AUTH]") != NULL);
	}
	TEST("POP-04 Maildir delivery: tmp/ empty, file in new/, byte-exact") {
		struct sink s;
		const char *why = "";
		char md[128], where[4200], buf[256];

		snprintf(md, sizeof md, "%s/Maildir", dir);
		CHECK_EQ(sink_open(&s, SINK_MAILDIR, md, -1, 0, &why), 0);
		CHECK_EQ(dv_begin(&s, &d, NULL), 0);
		CHECK_EQ(dv_write(&d, "From: a\n\nFrom here\n", 20), 0);
		CHECK_EQ(dv_commit(&d, where, sizeof where, NULL), 0);
		CHECK(strstr(where, "/new/") != NULL);
		CHECK_EQ(slurp(where, buf, sizeof buf), 20);
		CHECK_STR(buf, "From: a\n\nFrom here\n");
		/* an aborted message leaves nothing in tmp/ */
		CHECK_EQ(dv_begin(&s, &d, NULL), 0);
		dv_write(&d, "partial", 7);
		dv_abort(&d);
		snprintf(buf, sizeof buf, "rmdir %s/tmp", md);
		CHECK_EQ(system(buf), 0);
		sink_close(&s);
	}
	TEST("POP-20 Maildir: a name taken in new/ is left alone, the message gets another") {
		struct sink s;
		struct staged sd[2];
		const char *why = "";
		char md[128], path[4400], buf[256];
		int i, fd;

		snprintf(md, sizeof md, "%s/Maildir20", dir);
		CHECK_EQ(sink_open(&s, SINK_MAILDIR, md, -1, 0, &why), 0);
		for (i = 0; i < 2; i++) {
			CHECK_EQ(dv_begin(&s, &d, NULL), 0);
			CHECK_EQ(dv_write(&d, i ? "two\n" : "one\n", 4), 0);
			CHECK_EQ(dv_stage(&d, &sd[i], NULL), 0);
			/* someone else's message already has this name in new/ */
			snprintf(path, sizeof path, "%s/new/%.255s", md, sd[i].name);
			CHECK((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) >= 0);
			CHECK_EQ(write(fd, "precious\n", 9), 9);
			close(fd);
		}
		CHECK_EQ(sink_flush(&s, sd, 2), 0);
		for (i = 0; i < 2; i++) {
			snprintf(path, sizeof path, "%s/new/%.255s", md, sd[i].name);
			CHECK_EQ(slurp(path, buf, sizeof buf), 9);
			CHECK_STR(buf, "precious\n");
			CHECK(strcmp(sd[i].where, path) != 0);
			CHECK(strstr(sd[i].where, "/new/") != NULL);
			CHECK_EQ(slurp(sd[i].where, buf, sizeof buf), 4);
			CHECK_STR(buf, i ? "two\n" : "one\n");
		}
		/* tmp/ is empty again: only our own names were removed */
		snprintf(buf, sizeof buf, "rmdir %s/tmp", md);
		CHECK_EQ(system(buf), 0);
		sink_close(&s);
	}
	TEST("POP-20 Maildir: names are unique within a run and carry a random part") {
		struct sink s;
		const char *why = "";
		char md[128], a[256];

		snprintf(md, sizeof md, "%s/Maildir20b", dir);
		CHECK_EQ(sink_open(&s, SINK_MAILDIR, md, -1, 0, &why), 0);
		CHECK_EQ(dv_begin(&s, &d, NULL), 0);
		snprintf(a, sizeof a, "%s", d.name);
		dv_abort(&d);
		CHECK_EQ(dv_begin(&s, &d, NULL), 0);
		CHECK(strcmp(a, d.name) != 0);
		CHECK(strchr(d.name, 'R') != NULL);
		dv_abort(&d);
		sink_close(&s);
	}
	TEST("mbox: From_ line, >From quoting, blank line after, abort truncates") {
		struct sink s;
		const char *why = "";
		char mb[256], where[4200], buf[512];
		const char *msg = "Subject: x\n\nFrom me\n>From you\nFro\n>>From x\nFrom";

		snprintf(mb, sizeof mb, "%s/mbox", dir);
		CHECK_EQ(sink_open(&s, SINK_MBOX, mb, -1, 1000000, &why), 0);
		CHECK_EQ(dv_begin(&s, &d, NULL), 0);
		/* byte at a time: the quoting lookahead spans writes */
		for (size_t i = 0; i < strlen(msg); i++)
			dv_write(&d, msg + i, 1);
		CHECK_EQ(dv_commit(&d, where, sizeof where, NULL), 0);
		CHECK_EQ(dv_begin(&s, &d, NULL), 0);
		dv_write(&d, "half a message", 14);
		dv_abort(&d);
		sink_close(&s);
		slurp(mb, buf, sizeof buf);
		CHECK(strncmp(buf, "From MAILER-DAEMON ", 19) == 0);
		CHECK(strstr(buf, "\n\n>From me\n>>From you\nFro\n>>>From x\nFrom\n\n") != NULL);
		CHECK(strstr(buf, "half") == NULL);
	}
	TEST("--exec: environment, stdin, exit status") {
		struct sink s;
		const char *why = "";
		char where[64], cmd[512], buf[128], out[256];
		char *env[] = { "POP3_NUM=7", "POP3_UIDL=abc", NULL };
		int st;

		snprintf(out, sizeof out, "%s/exec.out", dir);
		snprintf(cmd, sizeof cmd, "{ echo $POP3_NUM $POP3_UIDL; cat; } > %s", out);
		CHECK_EQ(sink_open(&s, SINK_EXEC, cmd, -1, 0, &why), 0);
		CHECK_EQ(dv_begin(&s, &d, env), 0);
		dv_write(&d, "body\n", 5);
		CHECK_EQ(dv_commit(&d, where, sizeof where, &st), 0);
		slurp(out, buf, sizeof buf);
		CHECK_STR(buf, "7 abc\nbody\n");
		CHECK_EQ(sink_open(&s, SINK_EXEC, "cat >/dev/null; exit 75", -1, 0, &why), 0);
		CHECK_EQ(dv_begin(&s, &d, env), 0);
		dv_write(&d, "body\n", 5);
		CHECK_EQ(dv_commit(&d, where, sizeof where, &st), -1);
		CHECK_STR(where, "exit 75");
	}
	TEST("state file: load, add, prune to the server's ids, other accounts kept") {
		struct uidstate u;
		const char *why = "";
		char sp[256], buf[512];
		FILE *fp;

		snprintf(sp, sizeof sp, "%s/state", dir);
		fp = fopen(sp, "w");
		fputs("bob@other:110\tx1\nme@h:110\tu1\nme@h:110\tu2\n", fp);
		fclose(fp);
		CHECK_EQ(state_load(&u, sp, "me@h:110", &why), 0);
		CHECK_EQ(u.n, 2);
		CHECK(state_has(&u, "u1"));
		CHECK(!state_has(&u, "u3"));
		CHECK_EQ(state_add(&u, "u3"), 0);
		CHECK_EQ(state_add(&u, "u3"), 0);
		CHECK_EQ(u.n, 3);
		/* the server has u2 (and u3, just added): u1 is dropped */
		state_mark(&u, "u2");
		state_mark(&u, "u9");
		CHECK_EQ(state_save(&u, 1, &why), 0);
		slurp(sp, buf, sizeof buf);
		CHECK_STR(buf, "bob@other:110\tx1\nme@h:110\tu2\nme@h:110\tu3\n");
		/* without pruning every id stays */
		CHECK_EQ(state_add(&u, "u1"), 0);
		CHECK_EQ(state_save(&u, 0, &why), 0);
		state_free(&u);
		slurp(sp, buf, sizeof buf);
		CHECK_STR(buf, "bob@other:110\tx1\nme@h:110\tu1\nme@h:110\tu2\nme@h:110\tu3\n");
		CHECK_EQ(state_load(&u, "/nonexistent/state", "me@h:110", &why), 0);
		CHECK_EQ(u.n, 0);
		state_free(&u);
	}
	{
		char cmd[300];

		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd) != 0)
			return 2;
	}
	return tap_done();
}
