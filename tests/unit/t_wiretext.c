/*
 * t_wiretext.c - the text primitives of lib/wire: ASCII case-insensitive
 * comparison (never the locale), bounded decimal and hex numbers, IPv4
 * dotted quads as inet_pton takes them and CIDR ranges as arpq walks
 * them, ping's -p patterns and round-trip statistics; and lib/sys/targets.c, which reads targets from arguments and a
 * pipe.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base64.h"
#include "date.h"
#include "ip.h"
#include "rttstat.h"
#include "tap.h"
#include "targets.h"
#include "tubes.h"
#include "wire.h"

/* ip4_from_str agrees with inet_pton on s */
static int
same_as_pton(const char *s)
{
	uint8_t a[4], b[4];
	int r1 = ip4_from_str(s, strlen(s), a) == 0, r2 = inet_pton(AF_INET, s, b) == 1;

	return r1 == r2 && (!r1 || memcmp(a, b, 4) == 0);
}

int
main(void)
{
	TEST("case-insensitive compare: ASCII letters only, lengths and NULs count") {
		CHECK(tb_strcaseeq("Content-Length", "content-LENGTH"));
		CHECK(!tb_strcaseeq("abc", "abcd"));
		CHECK(!tb_strcaseeq("abcd", "abc"));
		CHECK(tb_strcaseeq("", ""));
		CHECK(!tb_strcaseeq("[", "{"));	/* 0x5b and 0x7b differ by 32 but are not letters */
		CHECK(!tb_strcaseeq("\xc9", "\xe9"));	/* Latin-1 É and é: not ASCII */
		CHECK(tb_strncaseeq("RANGE: bytes", "range:", 6));
		CHECK(!tb_strncaseeq("RANG", "range:", 6));
		CHECK(tb_strncaseeq("ab", "AB", 10));
		CHECK(tb_memcaseeq("QUIT\r\n", "quit\r\n", 6));
		CHECK(!tb_memcaseeq("QUIT", "QUIZ", 4));
		CHECK(tb_memcaseeq("x", "y", 0));
	}
	TEST("decimal: digits only, up to max, no overflow past 2^64") {
		uint64_t v;

		CHECK_EQ(dec_parse("65535", 5, 65535, &v), 0);
		CHECK_EQ(v, 65535);
		CHECK_EQ(dec_parse("65536", 5, 65535, &v), -1);
		CHECK_EQ(dec_parse("", 0, 10, &v), -1);
		CHECK_EQ(dec_parse("+1", 2, 10, &v), -1);
		CHECK_EQ(dec_parse(" 1", 2, 10, &v), -1);
		CHECK_EQ(dec_parse("-0", 2, 10, &v), -1);
		CHECK_EQ(dec_parse("18446744073709551615", 20, UINT64_MAX, &v), 0);
		CHECK(v == UINT64_MAX);
		CHECK_EQ(dec_parse("18446744073709551616", 20, UINT64_MAX, &v), -1);
		CHECK_EQ(dec_parse("99999999999999999999999", 23, UINT64_MAX, &v), -1);
		CHECK_EQ(dec_parse("0009", 4, 9, &v), 0);
		CHECK_EQ(v, 9);
		CHECK_EQ(dec_parse("12x", 2, 99, &v), 0);	/* n bytes, not to the NUL */
		CHECK_EQ(v, 12);
	}
	TEST("hex: either case, up to max, no 0x") {
		uint64_t v;

		CHECK_EQ(hex_parse("0100007F", 8, 0xffffffff, &v), 0);
		CHECK_EQ(v, 0x0100007f);
		CHECK_EQ(hex_parse("ffffffff", 8, 0xffffffff, &v), 0);
		CHECK_EQ(hex_parse("100000000", 9, 0xffffffff, &v), -1);
		CHECK_EQ(hex_parse("0x10", 4, 0xffff, &v), -1);
		CHECK_EQ(hex_parse("g", 1, 0xffff, &v), -1);
		CHECK_EQ(hex_parse("FFFFFFFFFFFFFFFF", 16, UINT64_MAX, &v), 0);
		CHECK_EQ(hex_parse("10000000000000000", 17, UINT64_MAX, &v), -1);
	}
	TEST("dotted quads: the same verdict and bytes as inet_pton") {
		static const char *const cases[] = { "10.0.0.1", "255.255.255.255", "0.0.0.0",
		    "256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "1..2.3", "1.2.3.4 ",
		    " 1.2.3.4", "1.2.3.-4", "1.2.3.+4", "1.2.3.4/24", "", "....", "1.2.3.0000",
		    "192.168.1.1000", "0x1.2.3.4", "10.200.1.300" };
		size_t i;

		for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
			if (!same_as_pton(cases[i])) {
				printf("#   %s\n", cases[i]);
				CHECK(0);
			}
	}
	TEST("CIDR: hosts without network and broadcast, /31 and /32 whole") {
		uint32_t f, l;
		int p;

		CHECK_EQ(ip4_cidr_parse("10.9.0.77/24", &f, &l, &p), 1);
		CHECK_EQ(f, 0x0a090001);
		CHECK_EQ(l, 0x0a0900fe);
		CHECK_EQ(p, 24);
		CHECK_EQ(ip4_cidr_parse("10.9.0.7/32", &f, &l, &p), 1);
		CHECK_EQ(f, 0x0a090007);
		CHECK_EQ(l, 0x0a090007);
		CHECK_EQ(ip4_cidr_parse("10.9.0.7/31", &f, &l, &p), 1);
		CHECK_EQ(f, 0x0a090006);
		CHECK_EQ(l, 0x0a090007);
		CHECK_EQ(ip4_cidr_parse("0.0.0.0/0", &f, &l, &p), 1);
		CHECK_EQ(f, 1);
		CHECK_EQ(l, 0xfffffffe);
		CHECK_EQ(ip4_cidr_parse("10.9.0.7", &f, &l, &p), 0);
		CHECK_EQ(ip4_cidr_parse("host.test", &f, &l, &p), 0);
		CHECK_EQ(ip4_cidr_parse("10.9.0.7/33", &f, &l, &p), -1);
		CHECK_EQ(ip4_cidr_parse("10.9.0.7/", &f, &l, &p), -1);
		CHECK_EQ(ip4_cidr_parse("10.9.0/24", &f, &l, &p), -1);
		CHECK_EQ(ip4_cidr_parse("10.9.0.7/2x", &f, &l, &p), -1);
		CHECK_EQ(ip4_cidr_parse("10.9.0.7/24/1", &f, &l, &p), -1);
		CHECK_EQ(ip4_cidr_parse("/24", &f, &l, &p), -1);
	}
	TEST("targets: arguments, a /30 host by host, then stdin lines trimmed, comments skipped") {
		static char a0[] = "h.test", a1[] = "10.0.0.0/30", a2[] = "-", a3[] = "10.0.0.0/8",
		    a4[] = "1.2.3.4/99";
		char *argv[] = { a0, a1, a2, a3, a4 };
		struct tb_targets src = { .arg = argv, .narg = 5, .ranges = 1, .min_prefix = 16 };
		struct tb_target t;
		int fds[2], r;
		static const char in[] = "  x.test \t\n\n# c\n10.1.1.0/31\nlast";

		CHECK(pipe(fds) == 0);
		CHECK(write(fds[1], in, sizeof in - 1) == (ssize_t)(sizeof in - 1));
		close(fds[1]);
		dup2(fds[0], STDIN_FILENO);
		CHECK_EQ(tb_targets_next(&src, 1, &t), TB_TG_WORD);
		CHECK_STR(t.input, "h.test");
		CHECK_EQ(tb_targets_next(&src, 1, &t), TB_TG_HOST);
		CHECK(t.first && !t.last && t.ip[3] == 1);
		CHECK_EQ(tb_targets_next(&src, 1, &t), TB_TG_HOST);
		CHECK(!t.first && t.last && t.ip[3] == 2 && t.owned == NULL);
		CHECK_STR(t.input, "10.0.0.0/30");
		CHECK_EQ(tb_targets_next(&src, 1, &t), TB_TG_WORD);
		CHECK_STR(t.input, "x.test");
		CHECK(t.owned == t.input);
		tb_free(t.owned);
		CHECK_EQ(tb_targets_next(&src, 1, &t), TB_TG_HOST);
		CHECK(t.first && t.ip[3] == 0 && t.owned == NULL);
		CHECK_EQ(tb_targets_next(&src, 1, &t), TB_TG_HOST);
		CHECK(t.last && t.ip[3] == 1 && t.owned != NULL);
		tb_free(t.owned);
		CHECK_EQ(tb_targets_next(&src, 1, &t), TB_TG_WORD);
		CHECK_STR(t.input, "last");
		tb_free(t.owned);
		r = tb_targets_next(&src, 1, &t);
		CHECK_EQ(r, TB_TG_WORD);	/* too wide for min_prefix 16 */
		CHECK_EQ(t.bad_range, -2);
		CHECK_EQ(tb_targets_next(&src, 1, &t), TB_TG_WORD);
		CHECK_EQ(t.bad_range, -1);
		CHECK_EQ(tb_targets_next(&src, 1, &t), TB_TG_END);
	}
	TEST("ping -p patterns: two digits a byte, an odd last digit alone, 16 bytes at most") {
		uint8_t pat[16];
		size_t bad = 0;

		CHECK_EQ(hex_pattern("ff00A5", pat, 16, &bad), 3);
		CHECK(pat[0] == 0xff && pat[1] == 0 && pat[2] == 0xa5);
		CHECK_EQ(hex_pattern("abc", pat, 16, &bad), 2);
		CHECK(pat[0] == 0xab && pat[1] == 0x0c);
		CHECK_EQ(hex_pattern("12x4", pat, 16, &bad), -1);
		CHECK_EQ(bad, 2);
		CHECK_EQ(hex_pattern("", pat, 16, &bad), -2);
		CHECK_EQ(hex_pattern("00112233445566778899aabbccddeeff", pat, 16, &bad), 16);
		CHECK_EQ(hex_pattern("00112233445566778899aabbccddeeff0", pat, 16, &bad), -2);
	}
	TEST("rtt statistics: min, max, mean, mdev as iputils computes them, and the EWMA") {
		struct rtt_stats s;
		int64_t avg, mdev;

		rtt_init(&s);
		rtt_add(&s, 1000);
		rtt_add(&s, 3000);
		CHECK_EQ(s.tmin, 1000);
		CHECK_EQ(s.tmax, 3000);
		rtt_summary(&s, 2, &avg, &mdev);
		CHECK_EQ(avg, 2000);
		CHECK_EQ(mdev, 1000);
		CHECK_EQ(s.rtt8, 8000 + (3000 - 1000));
		CHECK_EQ(isqrt64(99), 10);	/* as ping-lite always computed it */
		CHECK_EQ(isqrt64(1000000), 1000);
		CHECK_EQ(isqrt64(100), 10);
		CHECK_EQ(isqrt64(-5), 0);
		/* past the exact sums: the floating-point fallback still gives the deviation */
		rtt_init(&s);
		rtt_add(&s, 3000000000LL);
		rtt_add(&s, 3000000000LL);
		rtt_summary(&s, 2, &avg, &mdev);
		CHECK_EQ(avg, 3000000000LL);
		CHECK_EQ(mdev, 0);
	}
	TEST("base64: the RFC 4648 section 10 vectors both ways") {
		static const char *in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
		static const char *out[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
		uint8_t b[16];
		size_t k, n, got;

		for (k = 0; k < 7; k++) {
			n = b64_encode(b, sizeof b, in[k], strlen(in[k]), 0);
			CHECK_EQ(n, strlen(out[k]));
			CHECK_EQ(n, b64_len(strlen(in[k])));
			CHECK(memcmp(b, out[k], n) == 0);
			CHECK_EQ(b64_decode_strict(b, sizeof b, out[k], strlen(out[k]), &got), MIME_OK);
			CHECK_EQ(got, strlen(in[k]));
			CHECK(memcmp(b, in[k], got) == 0);
		}
	}
	TEST("base64: lenient skips line breaks and blanks, strict refuses them; both refuse bad padding") {
		uint8_t b[16];
		size_t got;

		CHECK_EQ(b64_decode(b, sizeof b, "Zm9v\r\nYmFy\r\n", 12, &got), MIME_OK);
		CHECK_EQ(got, 6);
		CHECK_EQ(b64_decode_strict(b, sizeof b, "Zm9v\r\nYmFy", 10, &got), MIME_EBADCHAR);
		CHECK_EQ(b64_decode(b, sizeof b, "Zg== ", 5, &got), MIME_OK);
		CHECK_EQ(b64_decode_strict(b, sizeof b, "Zg== ", 5, &got), MIME_EPAD);
		CHECK_EQ(b64_decode_strict(b, sizeof b, "Z===", 4, &got), MIME_EPAD);
		CHECK_EQ(b64_decode_strict(b, sizeof b, "Zg=a", 4, &got), MIME_EPAD);
		CHECK_EQ(b64_decode_strict(b, sizeof b, "Zm9", 3, &got), MIME_ETRUNC);
		CHECK_EQ(b64_decode_strict(b, sizeof b, "Zm9*", 4, &got), MIME_EBADCHAR);
		CHECK_EQ(b64_decode_strict(b, 2, "Zm9v", 4, &got), MIME_ESPACE);
	}
	TEST("base64: lines of 76 with CRLF, and an encoder that measures with (NULL, 0)") {
		uint8_t src[100], b[200];
		size_t n;

		memset(src, 0xab, sizeof src);
		CHECK_EQ(b64_encode(NULL, 0, src, sizeof src, 76), 136 + 4);
		n = b64_encode(b, sizeof b, src, sizeof src, 76);
		CHECK_EQ(n, 140);
		CHECK(b[76] == '\r' && b[77] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n');
	}
	TEST("dates: known days, leap days, before 1970, and every day of 1900..2400 round-trips") {
		int64_t d, y;
		int m, dd, prev_ok = 1;

		CHECK_EQ(days_from_civil(1970, 1, 1), 0);
		CHECK_EQ(days_from_civil(2000, 3, 1), 11017);
		CHECK_EQ(days_from_civil(1969, 12, 31), -1);
		CHECK_EQ(days_from_civil(2038, 1, 19), 24855);	/* the 32-bit time_t limit */
		civil_from_days(11016, &y, &m, &dd);
		CHECK(y == 2000 && m == 2 && dd == 29);
		civil_from_days(-719468, &y, &m, &dd);
		CHECK(y == 0 && m == 3 && dd == 1);
		civil_from_days(days_from_civil(1900, 3, 1) - 1, &y, &m, &dd);
		CHECK(y == 1900 && m == 2 && dd == 28);	/* 1900 is not a leap year */
		CHECK_EQ(days_of(-1), -1);
		CHECK_EQ(days_of(-86400), -1);
		CHECK_EQ(days_of(-86401), -2);
		CHECK_EQ(days_of(86399), 0);
		for (d = days_from_civil(1900, 1, 1); d <= days_from_civil(2400, 12, 31); d++) {
			civil_from_days(d, &y, &m, &dd);
			if (days_from_civil(y, m, dd) != d || m < 1 || m > 12 || dd < 1 || dd > 31)
				prev_ok = 0;
		}
		CHECK(prev_ok);
	}
	TEST("fmt: snprintf's contract without stdio: counts all, stores what fits, NUL-terminated") {
		char b[8];
		struct fmt f;

		fmt_init(&f, b, sizeof b);
		fmt_str(&f, "!<");
		fmt_uint(&f, 255, 10, 0);
		fmt_str(&f, ">");
		CHECK_STR(b, "!<255>");
		CHECK_EQ(f.len, 6);
		fmt_uint(&f, 0xab, 16, 4);
		CHECK_STR(b, "!<255>0");
		CHECK_EQ(f.len, 10);
		fmt_init(&f, b, sizeof b);
		fmt_uint(&f, 0, 10, 0);
		CHECK_STR(b, "0");
		fmt_init(&f, b, sizeof b);
		fmt_uint(&f, UINT64_MAX, 10, 0);
		CHECK_EQ(f.len, 20);
		CHECK_STR(b, "1844674");
		fmt_init(&f, NULL, 0);
		fmt_str(&f, "abc");
		CHECK_EQ(f.len, 3);
	}
	return tap_done();
}
