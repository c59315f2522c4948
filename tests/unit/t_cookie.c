/* t_cookie.c - unit tests of lib/wire/cookie.c (RFC 6265, the Netscape file) */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "cookie.h"

#define NOW 1700000000LL

static struct ck_jar j, k;
static char out[1 << 20], out2[1 << 20];

static int
set(const char *v, const char *host, const char *path, int https)
{
	return ck_set(&j, v, strlen(v), host, path, https, NOW);
}

static const char *
hdr(const char *host, const char *path, int https, int64_t now)
{
	static char b[16384];

	ck_header(&j, host, path, https, now, b, sizeof b);
	return b;
}

int
main(void)
{
	int64_t t;
	size_t n;
	int i;
	char big[CK_LINE_MAX + 64], name[32];

	TEST("cookie-date: the three HTTP date forms and lenient ones (5.1.1)") {
		CHECK(ck_date("Sun, 06 Nov 1994 08:49:37 GMT", 29, &t) == 0);
		CHECK_EQ(t, 784111777);
		CHECK(ck_date("Sunday, 06-Nov-94 08:49:37 GMT", 30, &t) == 0);
		CHECK_EQ(t, 784111777);
		CHECK(ck_date("Sun Nov  6 08:49:37 1994", 24, &t) == 0);
		CHECK_EQ(t, 784111777);
		CHECK(ck_date("6 nov 2030 8:9:7", 16, &t) == 0);
		CHECK_EQ(t, 1920182947);
		CHECK(ck_date("Wed, 30 Feb 2022 00:00:00 GMT", 29, &t) < 0);
		CHECK(ck_date("Wed, 01 Feb 2022 24:00:00 GMT", 29, &t) < 0);
		CHECK(ck_date("Wed, 01 Feb 1600 00:00:00 GMT", 29, &t) < 0);
		CHECK(ck_date("Wed, 01 Feb 00:00:00 GMT", 24, &t) < 0);
		CHECK(ck_date("", 0, &t) < 0);
	}
	TEST("domain-match (5.1.3): suffix at a dot, never for an IP") {
		CHECK(ck_domain_match("www.example.test", "example.test"));
		CHECK(ck_domain_match("example.test", "example.test"));
		CHECK(!ck_domain_match("badexample.test", "example.test"));
		CHECK(!ck_domain_match("example.test", "www.example.test"));
		CHECK(!ck_domain_match("1.2.3.4", "2.3.4"));
		CHECK(ck_domain_match("1.2.3.4", "1.2.3.4"));
	}
	TEST("Set-Cookie: name=value, host-only, sent back to that host only") {
		ck_init(&j);
		CHECK_EQ(set("a=1", "www.example.test", "/", 0), CK_OK);
		CHECK_STR(hdr("www.example.test", "/x", 0, NOW), "a=1");
		CHECK_STR(hdr("sub.www.example.test", "/", 0, NOW), "");
		CHECK_STR(hdr("example.test", "/", 0, NOW), "");
		CHECK_EQ(set("noequals", "www.example.test", "/", 0), CK_ESYNTAX);
		CHECK_EQ(set("=v", "www.example.test", "/", 0), CK_ESYNTAX);
		CHECK_EQ(set("  b = 2 ; ", "www.example.test", "/", 0), CK_OK);
		CHECK_STR(hdr("www.example.test", "/", 0, NOW), "a=1; b=2");
		CHECK_EQ(set("a=3", "www.example.test", "/", 0), CK_OK);	/* replaced, order kept */
		CHECK_STR(hdr("www.example.test", "/", 0, NOW), "a=3; b=2");
		ck_free(&j);
	}
	TEST("Domain: must domain-match the host; no inner dot refused; IP host-only") {
		ck_init(&j);
		CHECK_EQ(set("a=1; Domain=.Example.TEST", "www.example.test", "/", 0), CK_OK);
		CHECK_STR(hdr("other.example.test", "/", 0, NOW), "a=1");
		CHECK_STR(hdr("example.test", "/", 0, NOW), "a=1");
		CHECK_STR(hdr("other.test", "/", 0, NOW), "");
		CHECK_EQ(set("b=1; Domain=evil.test", "www.example.test", "/", 0), CK_EDOMAIN);
		CHECK_EQ(set("b=1; Domain=www.example.test.evil", "www.example.test", "/", 0),
		    CK_EDOMAIN);
		CHECK_EQ(set("b=1; Domain=test", "www.example.test", "/", 0), CK_EDOMAIN);
		CHECK_EQ(set("b=1; Domain=.test", "www.example.test", "/", 0), CK_EDOMAIN);
		CHECK_EQ(set("c=1; Domain=localhost", "localhost", "/", 0), CK_OK);
		CHECK_STR(hdr("x.localhost", "/", 0, NOW), "");	/* host-only */
		CHECK_STR(hdr("localhost", "/", 0, NOW), "c=1");
		CHECK_EQ(set("d=1; Domain=0.0.1", "127.0.0.1", "/", 0), CK_EDOMAIN);
		CHECK_EQ(set("d=1; Domain=127.0.0.1", "127.0.0.1", "/", 0), CK_OK);
		CHECK_STR(hdr("127.0.0.1", "/", 0, NOW), "d=1");
		CHECK_STR(hdr("5.127.0.0.1", "/", 0, NOW), "");
		CHECK_EQ(set("e=1", "::1", "/", 0), CK_OK);
		CHECK_STR(hdr("::1", "/", 0, NOW), "e=1");
		ck_free(&j);
	}
	TEST("Path: default is the request's directory (5.1.4); path-match; longer first") {
		ck_init(&j);
		CHECK_EQ(set("a=1", "h.test", "/dir/page?q=/x/y", 0), CK_OK);
		CHECK_EQ(set("b=1", "h.test", "/page", 0), CK_OK);
		CHECK_EQ(set("c=1; Path=/dir/sub", "h.test", "/", 0), CK_OK);
		CHECK_EQ(set("d=1; Path=rel", "h.test", "/x/y", 0), CK_OK);	/* default: /x */
		CHECK_STR(hdr("h.test", "/dir/sub/x", 0, NOW), "c=1; a=1; b=1");
		CHECK_STR(hdr("h.test", "/dir", 0, NOW), "a=1; b=1");
		CHECK_STR(hdr("h.test", "/directory", 0, NOW), "b=1");
		CHECK_STR(hdr("h.test", "/dir/subway", 0, NOW), "a=1; b=1");
		CHECK_STR(hdr("h.test", "/x?a", 0, NOW), "d=1; b=1");
		ck_free(&j);
	}
	TEST("Secure: only over https, and not set over http; HttpOnly kept") {
		ck_init(&j);
		CHECK_EQ(set("s=1; Secure", "h.test", "/", 1), CK_OK);
		CHECK_EQ(set("t=1; secure", "h.test", "/", 0), CK_ESECURE);
		CHECK_EQ(set("h=1; HttpOnly; SameSite=Strict", "h.test", "/", 0), CK_OK);
		CHECK_STR(hdr("h.test", "/", 1, NOW), "s=1; h=1");
		CHECK_STR(hdr("h.test", "/", 0, NOW), "h=1");
		ck_free(&j);
	}
	TEST("Expires and Max-Age: Max-Age wins; past or 0 removes; bad ones ignored") {
		ck_init(&j);
		CHECK_EQ(set("a=1; Max-Age=60; Expires=Sun, 06 Nov 1994 08:49:37 GMT", "h.test",
		    "/", 0), CK_OK);
		CHECK_EQ(set("b=1; Expires=Sun, 06 Nov 2094 08:49:37 GMT; Max-Age=10", "h.test",
		    "/", 0), CK_OK);
		CHECK_EQ(set("c=1; Expires=Sun, 06 Nov 2094 08:49:37 GMT", "h.test", "/", 0), CK_OK);
		CHECK_EQ(set("d=1; Max-Age=abc", "h.test", "/", 0), CK_OK);	/* session */
		CHECK_STR(hdr("h.test", "/", 0, NOW + 5), "a=1; b=1; c=1; d=1");
		CHECK_STR(hdr("h.test", "/", 0, NOW + 30), "a=1; c=1; d=1");
		CHECK_STR(hdr("h.test", "/", 0, NOW + 61), "c=1; d=1");
		CHECK_EQ(set("c=1; Max-Age=0", "h.test", "/", 0), CK_EXPIRED);
		CHECK_EQ(set("d=1; Expires=Sun, 06 Nov 1994 08:49:37 GMT", "h.test", "/", 0),
		    CK_EXPIRED);
		CHECK_EQ(set("a=1; Max-Age=-5", "h.test", "/", 0), CK_EXPIRED);
		CHECK_STR(hdr("h.test", "/", 0, NOW), "b=1");
		ck_free(&j);
	}
	TEST("bounds: an 8 KiB line, 4 KiB cookie, 50 per domain, 1000 in all") {
		ck_init(&j);
		memset(big, 'x', sizeof big);
		memcpy(big, "a=", 2);
		CHECK_EQ(ck_set(&j, big, CK_LINE_MAX + 1, "h.test", "/", 0, NOW), CK_ELONG);
		CHECK_EQ(ck_set(&j, big, CK_ONE_MAX, "h.test", "/", 0, NOW), CK_ELONG);
		CHECK_EQ(ck_set(&j, big, 4000, "h.test", "/", 0, NOW), CK_OK);
		ck_free(&j);
		ck_init(&j);
		for (i = 0; i < 60; i++) {
			snprintf(name, sizeof name, "n%d=v", i);
			CHECK_EQ(set(name, "h.test", "/", 0), CK_OK);
		}
		CHECK_EQ(j.n, CK_DOMAIN_MAX);
		CHECK(strncmp(hdr("h.test", "/", 0, NOW), "n10=v; n11=v", 12) == 0);
		ck_free(&j);
		ck_init(&j);
		for (i = 0; i < 1100; i++) {
			char host[32];

			snprintf(host, sizeof host, "h%d.test", i);
			if (set("a=1", host, "/", 0) != CK_OK)
				break;
		}
		CHECK_EQ(i, CK_ALL_MAX);
		CHECK_EQ(set("a=1", "late.test", "/", 0), CK_EFULL);
		ck_free(&j);
	}
	TEST("control bytes in name or value refused") {
		ck_init(&j);
		CHECK_EQ(set("a=b\tc", "h.test", "/", 0), CK_ESYNTAX);
		CHECK_EQ(set("a=b\rc", "h.test", "/", 0), CK_ESYNTAX);
		CHECK_EQ(ck_set(&j, "a=b\0c", 5, "h.test", "/", 0, NOW), CK_ESYNTAX);
		CHECK_EQ(j.n, 0);
		ck_free(&j);
	}
	TEST("Netscape file: read, comments, #HttpOnly_, expiry, 6 fields") {
		static const char f[] =
		    "# Netscape HTTP Cookie File\n"
		    "\n"
		    ".example.test\tTRUE\t/\tFALSE\t0\tsess\tv1\n"
		    "#HttpOnly_www.example.test\tFALSE\t/p\tTRUE\t4000000000\tho\tv2\r\n"
		    "example.test\tFALSE\t/\tFALSE\t1000\told\tgone\n"
		    "example.test\tFALSE\t/\tFALSE\t0\tnoval\n"
		    "# a comment\tTRUE\t/\tFALSE\t0\tx\ty\n"
		    "bad line\n"
		    ".test\tTRUE\t/\tFALSE\t0\tx\ty\n"
		    "example.test\tMAYBE\t/\tFALSE\t0\tx\ty\n";

		ck_init(&j);
		CHECK_EQ(ck_load(&j, f, sizeof f - 1, NOW), 3);
		CHECK_EQ(j.n, 3);
		CHECK_STR(hdr("a.example.test", "/", 0, NOW), "sess=v1");
		CHECK_STR(hdr("www.example.test", "/p/q", 1, NOW), "ho=v2; sess=v1");
		CHECK_STR(hdr("example.test", "/", 0, NOW), "sess=v1; noval=");
		n = ck_save(&j, out, sizeof out, NOW);
		CHECK(n == strlen(out));
		CHECK(strncmp(out, "# Netscape HTTP Cookie File\n", 28) == 0);
		CHECK(strstr(out, "\n.example.test\tTRUE\t/\tFALSE\t0\tsess\tv1\n") != NULL);
		CHECK(strstr(out, "\n#HttpOnly_www.example.test\tFALSE\t/p\tTRUE\t4000000000\tho\tv2\n"));
		CHECK(strstr(out, "\nexample.test\tFALSE\t/\tFALSE\t0\tnoval\t\n") != NULL);
		CHECK_EQ(ck_save(&j, NULL, 0, NOW), n);
		/* and back: the same jar */
		ck_init(&k);
		CHECK_EQ(ck_load(&k, out, n, NOW), 0);
		CHECK_EQ(k.n, 3);
		ck_header(&k, "www.example.test", "/p/q", 1, NOW, out2, sizeof out2);
		CHECK_STR(out2, "ho=v2; sess=v1");
		CHECK_EQ(ck_save(&k, out2, sizeof out2, NOW), n);
		ck_free(&k);
		/* expired by save time: not written */
		CHECK(strstr((ck_save(&j, out, sizeof out, 4000000001LL), out), "ho\t") == NULL);
		ck_free(&j);
	}
	TEST("Set-Cookie then saved: Domain, host-only, Secure, HttpOnly, expiry") {
		ck_init(&j);
		CHECK_EQ(ck_set(&j, "a=1; Domain=example.test; Max-Age=100; HttpOnly", 47,
		    "www.example.test", "/d/p", 1, NOW), CK_OK);
		CHECK_EQ(set("b=2; Secure", "www.example.test", "/d/p", 1), CK_OK);
		ck_save(&j, out, sizeof out, NOW);
		CHECK(strstr(out, "\n#HttpOnly_.example.test\tTRUE\t/d\tFALSE\t1700000100\ta\t1\n"));
		CHECK(strstr(out, "\nwww.example.test\tFALSE\t/d\tTRUE\t0\tb\t2\n"));
		ck_free(&j);
	}
	TEST("the Cookie field holds whole cookies only") {
		ck_init(&j);
		CHECK_EQ(set("a=12345", "h.test", "/", 0), CK_OK);
		CHECK_EQ(set("b=1", "h.test", "/", 0), CK_OK);
		CHECK_EQ(ck_header(&j, "h.test", "/", 0, NOW, out, 8), 7);
		CHECK_STR(out, "a=12345");
		CHECK_EQ(ck_header(&j, "h.test", "/", 0, NOW, out, 7), 3);
		CHECK_STR(out, "b=1");
		ck_free(&j);
	}
	return tap_done();
}
