/* t_core.c - unit tests of the core: cursor, writer, checksum, numbers, JSON, escaping, replies, netrc */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tap.h"
#include "conn.h"
#include "secret.h"
#include "tubes.h"
#include "wire.h"

int
main(void)
{
	TEST("tb_addr_loopback: 127/8, ::1 and ::ffff:127.x; nothing else") {
		static const char *yes[] = { "127.0.0.1", "127.255.0.9", "::1", "::ffff:127.0.0.2" };
		static const char *no[] = { "128.0.0.1", "10.0.0.1", "0.0.0.0", "::", "::2",
		    "::ffff:10.0.0.1", "fe80::1", "::127.0.0.1" };
		struct tb_addr a;
		size_t k;

		for (k = 0; k < sizeof yes / sizeof yes[0]; k++)
			CHECK(tb_addr_parse(yes[k], &a) == 0 && tb_addr_loopback(&a));
		for (k = 0; k < sizeof no / sizeof no[0]; k++)
			CHECK(tb_addr_parse(no[k], &a) == 0 && !tb_addr_loopback(&a));
	}
	TEST("cursor reads big-endian and poisons on a short read") {
		static const uint8_t b[] = { 0x12, 0x34, 0x56, 0x78, 0x9a };
		struct cursor c;

		cur_init(&c, b, sizeof b);
		CHECK_EQ(cur_u16(&c), 0x1234);
		CHECK_EQ(cur_u8(&c), 0x56);
		CHECK_EQ(cur_left(&c), 2);
		CHECK_EQ(cur_u32(&c), 0);
		CHECK(c.bad);
		CHECK_EQ(cur_u8(&c), 0);	/* sticky */
		CHECK_EQ(cur_left(&c), 0);
	}
	TEST("cursor take, copy, seek bounds") {
		static const uint8_t b[] = { 1, 2, 3 };
		uint8_t d[3];
		struct cursor c;

		cur_init(&c, b, 3);
		CHECK(cur_take(&c, 2) == b);
		CHECK(cur_take(&c, 2) == NULL);
		CHECK(c.bad);
		cur_init(&c, b, 3);
		CHECK_EQ(cur_copy(&c, d, 3), 0);
		CHECK_MEM(d, b, 3);
		cur_seek(&c, 4);
		CHECK(c.bad);
		cur_init(&c, NULL, 10);
		CHECK_EQ(cur_left(&c), 0);
	}
	TEST("writer stops at capacity") {
		uint8_t buf[5];
		struct writer w;

		wr_init(&w, buf, sizeof buf);
		wr_u32(&w, 0xdeadbeef);
		CHECK(!w.bad);
		wr_u16(&w, 1);
		CHECK(w.bad);
		CHECK_EQ(w.len, 4);
		CHECK_EQ(buf[0], 0xde);
		CHECK_EQ(buf[3], 0xef);
	}
	TEST("RFC 1071 checksum example") {
		/* RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2 */
		static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
		uint32_t s = cksum_add(0, b, sizeof b);

		CHECK_EQ(cksum_fold(s), (uint16_t)~0xddf2);
		CHECK_EQ(cksum(b, sizeof b), 0x220d);
	}
	TEST("checksum of odd length pads with zero, and a summed packet verifies") {
		uint8_t b[] = { 0x45, 0x00, 0x00, 0x1c, 0xab, 0xcd, 0x00, 0x00, 0x40, 0x01,
		    0x00, 0x00, 0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02 };
		static const uint8_t odd[] = { 0xff };
		uint16_t c;

		CHECK_EQ(cksum(odd, 1), (uint16_t)~0xff00);
		c = cksum(b, sizeof b);
		put16(b + 10, c);
		CHECK_EQ(cksum(b, sizeof b), 0);
	}
	TEST("pseudo-header sums") {
		static const uint8_t s4[4] = { 10, 0, 0, 1 }, d4[4] = { 10, 0, 0, 2 };
		uint8_t s6[16] = { 0 }, d6[16] = { 0 };

		/* 0a00+0001+0a00+0002+0011+0008 */
		CHECK_EQ(cksum_pseudo4(s4, d4, 17, 8), 0x0a00 + 1 + 0x0a00 + 2 + 17 + 8);
		s6[15] = 1;
		d6[15] = 2;
		CHECK_EQ(cksum_pseudo6(s6, d6, 58, 16), 1 + 2 + 16 + 58);
	}
	TEST("numbers and seconds") {
		long long v;
		int64_t us;

		CHECK_EQ(tb_num("42", 0, 100, &v), 0);
		CHECK_EQ(v, 42);
		CHECK_EQ(tb_num("101", 0, 100, &v), -1);
		CHECK_EQ(tb_num("4x", 0, 100, &v), -1);
		CHECK_EQ(tb_num("", 0, 100, &v), -1);
		CHECK_EQ(tb_num(" 4", 0, 100, &v), -1);
		CHECK_EQ(tb_num("99999999999999999999", 0, 100, &v), -1);
		CHECK_EQ(tb_secs("1.5", 10, &us), 0);
		CHECK_EQ(us, 1500000);
		CHECK_EQ(tb_secs(".25", 10, &us), 0);
		CHECK_EQ(us, 250000);
		CHECK_EQ(tb_secs("0.0000019", 10, &us), 0);
		CHECK_EQ(us, 1);
		CHECK_EQ(tb_secs("11", 10, &us), -1);
		CHECK_EQ(tb_secs("-1", 10, &us), -1);
		CHECK_EQ(tb_secs(".", 10, &us), -1);
		CHECK_EQ(tb_secs("1e3", 1e9, &us), -1);
	}
	TEST("exit_worst orders 2 > 3 > 1 > 0") {
		CHECK_EQ(exit_worst(0, 1), 1);
		CHECK_EQ(exit_worst(1, 3), 3);
		CHECK_EQ(exit_worst(3, 2), 2);
		CHECK_EQ(exit_worst(2, 0), 2);
	}
	TEST("escaping peer text") {
		char buf[64];

		tb_escape_buf(buf, sizeof buf, "a\x1b[2J\\\r\n\x80", 9);
		CHECK_STR(buf, "a\\x1b[2J\\\\\\r\\n\\x80");
		CHECK_EQ(tb_escape_buf(buf, 4, "abcdef", 6), 6);
		CHECK_STR(buf, "abc");
	}
	TEST("JSON writer: escaping, nesting, numbers") {
		char *out = NULL;
		size_t n = 0;
		FILE *fp = open_memstream(&out, &n);
		struct json j;

		js_begin(&j, fp, "reply");
		js_str(&j, "s", "a\"b\\c\n\x01");
		js_int(&j, "n", -5);
		js_ms(&j, "rtt_ms", 1234);
		js_arr(&j, "list");
		js_int(&j, NULL, 1);
		js_obj(&j, NULL);
		js_bool(&j, "ok", 1);
		js_close(&j);
		js_close(&j);
		js_null(&j, "z");
		js_strn(&j, "bin", "\xff", 1);
		js_end(&j);
		fclose(fp);
		CHECK_STR(out, "{\"type\":\"reply\",\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"n\":-5,"
		    "\"rtt_ms\":1.234,\"list\":[1,{\"ok\":true}],\"z\":null,\"bin\":\"\\\\xff\"}\n");
		free(out);
	}
	TEST("addresses parse and print") {
		struct tb_addr a, b;
		char s[TB_ADDRSTRLEN];

		CHECK_EQ(tb_addr_parse("10.1.2.3", &a), 0);
		CHECK_EQ(a.family, AF_INET);
		CHECK_STR(tb_addr_str(&a, s, sizeof s), "10.1.2.3");
		CHECK_EQ(tb_addr_parse("fd00::1", &b), 0);
		CHECK_EQ(b.family, AF_INET6);
		CHECK_STR(tb_addr_str(&b, s, sizeof s), "fd00::1");
		CHECK(!tb_addr_eq(&a, &b));
		CHECK_EQ(tb_addr_parse("10.1.2", &a), -1);
		CHECK_EQ(tb_addr_parse("host.test", &a), -1);
	}
	TEST("reply lines: SMTP-01") {
		int code, more;

		CHECK_EQ(reply_line("250-PIPELINING", 14, &code, &more), 0);
		CHECK_EQ(code, 250);
		CHECK_EQ(more, 1);
		CHECK_EQ(reply_line("250", 3, &code, &more), 0);
		CHECK_EQ(more, 0);
		CHECK_EQ(reply_line("25", 2, &code, &more), -1);
		CHECK_EQ(reply_line("2500", 4, &code, &more), -1);
		CHECK_EQ(reply_line("650 x", 5, &code, &more), -1);
		CHECK_EQ(reply_line("abc x", 5, &code, &more), -1);
	}
	TEST("reply_read: continuation text kept whole, same code ends, other code is EPROTO") {
		static struct conn c;
		static struct reply r;
		static const char in[] = "220-Welcome\r\n MLST type*;\r\n220 ok\r\n"
		    "250-a\r\n251 b\r\n";
		int fds[2];

		CHECK_EQ(pipe(fds), 0);
		CHECK_EQ(tb_write_all(fds[1], in, sizeof in - 1), 0);
		close(fds[1]);
		memset(&c, 0, sizeof c);
		c.rfd = c.wfd = fds[0];
		c.idle = 1000000;
		c.deadline = -1;
		CHECK_EQ(reply_read(&c, &r), 0);
		CHECK_EQ(r.code, 220);
		CHECK_EQ(r.nlines, 3);
		CHECK_STR(r.text, "Welcome\n MLST type*;\nok");
		CHECK_EQ(reply_read(&c, &r), -1);
		CHECK_EQ(errno, EPROTO);
		close(fds[0]);
	}
	TEST("netrc: machine, default, quoting, macdef, user filter") {
		static const char rc[] =
		    "machine a.test login al password \"p w\\\"x\"\n"
		    "macdef init\ncd /\nls\n\n"
		    "machine b.test login bo password bp\n"
		    "machine b.test login bx password bq\n"
		    "default login anonymous password guest";
		char l[64], p[64];

		CHECK_EQ(netrc_find(rc, strlen(rc), "A.TEST", NULL, l, sizeof l, p, sizeof p), 1);
		CHECK_STR(l, "al");
		CHECK_STR(p, "p w\"x");
		CHECK_EQ(netrc_find(rc, strlen(rc), "b.test", "bx", l, sizeof l, p, sizeof p), 1);
		CHECK_STR(p, "bq");
		CHECK_EQ(netrc_find(rc, strlen(rc), "c.test", NULL, l, sizeof l, p, sizeof p), 1);
		CHECK_STR(l, "anonymous");
		CHECK_EQ(netrc_find("machine x login", 15, "x", NULL, l, sizeof l, p, sizeof p), -1);
		CHECK_EQ(netrc_find("machine x password \"abc", 23, "x", NULL, l, sizeof l, p, sizeof p), -1);
		/* no newline at the end (CVE-2022-35260 class) */
		CHECK_EQ(netrc_find("machine x password y", 20, "x", NULL, l, sizeof l, p, sizeof p), 1);
		CHECK_STR(p, "y");
		CHECK_EQ(netrc_find("machine x password y", 20, "z", NULL, l, sizeof l, p, sizeof p), 0);
	}
	TEST("tb_iso8601: UTC to the millisecond, as gmtime_r gives it, any day") {
		char b[40], w[96];
		struct tm tm;
		int64_t t;
		int bad = 0;

		CHECK_STR(tb_iso8601(0, b, sizeof b), "1970-01-01T00:00:00.000Z");
		CHECK_STR(tb_iso8601(1795315889123456LL, b, sizeof b), "2026-11-22T02:51:29.123Z");
		CHECK_STR(tb_iso8601(951782400000000LL, b, sizeof b), "2000-02-29T00:00:00.000Z");
		CHECK_STR(tb_iso8601(-1000, b, sizeof b), "1969-12-31T23:59:59.999Z");
		/* every 6 hours 17 minutes from 1901 to 2200 against libc */
		for (t = -2145916800LL; t < 7258118400LL && !bad; t += 22620) {
			time_t tt = (time_t)t;

			gmtime_r(&tt, &tm);
			snprintf(w, sizeof w, "%04d-%02d-%02dT%02d:%02d:%02d.042Z", tm.tm_year + 1900,
			    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
			bad = strcmp(tb_iso8601(t * 1000000 + 42000, b, sizeof b), w) != 0;
		}
		CHECK_STR(b, w);
	}
	TEST("tb_slurp, tb_read_small: whole file, NUL-terminated; over max is EFBIG") {
		char path[] = "/tmp/t_core.XXXXXX", small[8], *b;
		static char big[10000];
		size_t len = 0;
		int fd = mkstemp(path);

		CHECK(fd >= 0);
		memset(big, 'x', sizeof big);
		CHECK_EQ(write(fd, big, sizeof big), (long long)sizeof big);
		close(fd);
		b = tb_slurp(path, sizeof big, &len);
		CHECK(b != NULL);
		CHECK_EQ(len, sizeof big);
		CHECK(b && b[len] == '\0' && b[len - 1] == 'x');
		tb_free(b);
		errno = 0;
		CHECK(tb_slurp(path, sizeof big - 1, &len) == NULL);
		CHECK_EQ(errno, EFBIG);
		CHECK(tb_slurp(path, 100, &len) == NULL);	/* max below the first buffer */
		CHECK(tb_slurp("/nonexistent/t_core", 100, &len) == NULL);
		CHECK_EQ(tb_read_small(path, small, sizeof small), 7);
		CHECK_STR(small, "xxxxxxx");
		CHECK_EQ(tb_read_small("/nonexistent/t_core", small, sizeof small), -1);
		CHECK_STR(small, "");
		unlink(path);
	}
	return tap_done();
}
