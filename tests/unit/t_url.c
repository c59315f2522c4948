/* t_url.c - unit tests of lib/wire/url.c: parsing, refusals, RFC 3986 resolution */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "url.h"

static struct url u;

static int
parse(const char *s)
{
	const char *why;

	return url_parse(s, &u, &why);
}

static const char *
resolve(const char *base, const char *ref)
{
	static char out[URL_MAX];

	if (url_resolve(base, ref, out, sizeof out) < 0)
		return "(error)";
	return out;
}

int
main(void)
{
	char buf[512];

	TEST("plain http URL: default port and path") {
		CHECK_EQ(parse("http://Example.TEST"), URL_OK);
		CHECK_STR(u.scheme, "http");
		CHECK_STR(u.host, "example.test");
		CHECK_EQ(u.port, 80);
		CHECK_EQ(u.port_given, 0);
		CHECK_STR(u.path, "/");
		CHECK_EQ(u.has_user, 0);
		url_hostport(&u, buf, sizeof buf);
		CHECK_STR(buf, "example.test");
	}
	TEST("port, path, query kept, fragment dropped") {
		CHECK_EQ(parse("HTTP://h:8080/a/b%20c?x=1&y#frag"), URL_OK);
		CHECK_STR(u.scheme, "http");
		CHECK_EQ(u.port, 8080);
		CHECK_EQ(u.port_given, 1);
		CHECK_STR(u.path, "/a/b%20c?x=1&y");
		url_hostport(&u, buf, sizeof buf);
		CHECK_STR(buf, "h:8080");
		url_format(&u, buf, sizeof buf);
		CHECK_STR(buf, "http://h:8080/a/b%20c?x=1&y");
	}
	TEST("query without a path gets '/'") {
		CHECK_EQ(parse("http://h?q"), URL_OK);
		CHECK_STR(u.path, "/?q");
	}
	TEST("explicit default port is not repeated in Host") {
		CHECK_EQ(parse("http://h:80/"), URL_OK);
		url_hostport(&u, buf, sizeof buf);
		CHECK_STR(buf, "h");
		CHECK_EQ(parse("http://h:/"), URL_OK);	/* empty port: the default */
		CHECK_EQ(u.port, 80);
	}
	TEST("other schemes and their ports") {
		CHECK_EQ(parse("https://h/"), URL_OK);
		CHECK_EQ(u.port, 443);
		CHECK_EQ(parse("ftp://h/pub/f.txt"), URL_OK);
		CHECK_EQ(u.port, 21);
		CHECK_EQ(parse("pop3://h"), URL_OK);
		CHECK_EQ(u.port, 110);
	}
	TEST("HTTP-18 file:// and unknown schemes are URL_ESCHEME") {
		CHECK_EQ(parse("file:///etc/passwd"), URL_ESCHEME);
		CHECK_STR(u.scheme, "file");
		CHECK_EQ(parse("gopher://h/"), URL_ESCHEME);
		CHECK_EQ(parse("javascript:alert(1)"), URL_ESYNTAX);
		CHECK_EQ(parse("h/x"), URL_ESYNTAX);
		CHECK_EQ(parse(""), URL_ESYNTAX);
	}
	TEST("user and password, percent-decoded") {
		CHECK_EQ(parse("ftp://us%40er:p%3Ass@h/"), URL_OK);
		CHECK_EQ(u.has_user, 1);
		CHECK_EQ(u.has_pass, 1);
		CHECK_STR(u.user, "us@er");
		CHECK_STR(u.pass, "p:ss");
		CHECK_STR(u.host, "h");
		CHECK_EQ(parse("http://only@h/"), URL_OK);
		CHECK_EQ(u.has_user, 1);
		CHECK_EQ(u.has_pass, 0);
		CHECK_EQ(parse("http://a@b@h/"), URL_OK);	/* last '@' ends userinfo */
		CHECK_STR(u.host, "h");
	}
	TEST("HTTP-20 CR, LF, NUL, space refused, raw or encoded in credentials") {
		CHECK_EQ(parse("http://h/a\r\nX-Evil: 1"), URL_ESYNTAX);
		CHECK_EQ(parse("http://h/a\nb"), URL_ESYNTAX);
		CHECK_EQ(parse("http://h/a b"), URL_ESYNTAX);
		CHECK_EQ(parse("http://h/a\tb"), URL_ESYNTAX);
		CHECK_EQ(parse("http://h/a\x7f"), URL_ESYNTAX);
		CHECK_EQ(parse("pop3://us%0d%0aDELE 1@h/"), URL_ESYNTAX);
		CHECK_EQ(parse("ftp://u:p%0aQUIT@h/"), URL_ESYNTAX);
		CHECK_EQ(parse("ftp://u:p%00@h/"), URL_ESYNTAX);
		/* in the path an encoded CR LF stays encoded: harmless on the wire */
		CHECK_EQ(parse("http://h/a%0d%0a"), URL_OK);
		CHECK_STR(u.path, "/a%0d%0a");
	}
	TEST("bad percent escapes") {
		CHECK_EQ(parse("http://h/%"), URL_ESYNTAX);
		CHECK_EQ(parse("http://h/%4"), URL_ESYNTAX);
		CHECK_EQ(parse("http://h/%zz"), URL_ESYNTAX);
		CHECK_EQ(parse("http://u%4@h/"), URL_ESYNTAX);
	}
	TEST("bytes >= 0x80 are percent-encoded in the path") {
		CHECK_EQ(parse("http://h/caf\xc3\xa9"), URL_OK);
		CHECK_STR(u.path, "/caf%C3%A9");
	}
	TEST("IPv6 literals") {
		CHECK_EQ(parse("http://[::1]:8080/x"), URL_OK);
		CHECK_STR(u.host, "::1");
		CHECK_EQ(u.ipv6, 1);
		CHECK_EQ(u.port, 8080);
		url_hostport(&u, buf, sizeof buf);
		CHECK_STR(buf, "[::1]:8080");
		CHECK_EQ(parse("http://[2001:DB8::a:1]/"), URL_OK);
		CHECK_STR(u.host, "2001:db8::a:1");
		CHECK_EQ(parse("http://[1:2:3:4:5:6:7:8]/"), URL_OK);
		CHECK_EQ(parse("http://[::ffff:192.0.2.1]/"), URL_OK);
		CHECK_EQ(parse("http://[::]/"), URL_OK);
		CHECK_EQ(parse("http://[fe80::1%25eth0]:81/"), URL_OK);
		CHECK_STR(u.host, "fe80::1%eth0");
		url_hostport(&u, buf, sizeof buf);
		CHECK_STR(buf, "[fe80::1]:81");
	}
	TEST("bad IPv6 literals") {
		CHECK_EQ(parse("http://[::1/"), URL_ESYNTAX);
		CHECK_EQ(parse("http://[1:2:3:4:5:6:7:8:9]/"), URL_ESYNTAX);
		CHECK_EQ(parse("http://[1::2::3]/"), URL_ESYNTAX);
		CHECK_EQ(parse("http://[12345::1]/"), URL_ESYNTAX);
		CHECK_EQ(parse("http://[:1]/"), URL_ESYNTAX);
		CHECK_EQ(parse("http://[1:]/"), URL_ESYNTAX);
		CHECK_EQ(parse("http://[g::1]/"), URL_ESYNTAX);
		CHECK_EQ(parse("http://[::1]x/"), URL_ESYNTAX);
		CHECK_EQ(parse("http://[::256.1.1.1]/"), URL_ESYNTAX);
		CHECK_EQ(parse("http://[fe80::1%eth0]/"), URL_ESYNTAX);
		CHECK_EQ(parse("http://[]/"), URL_ESYNTAX);
	}
	TEST("bad hosts and ports") {
		CHECK_EQ(parse("http:///x"), URL_ESYNTAX);
		CHECK_EQ(parse("http://:80/x"), URL_ESYNTAX);
		CHECK_EQ(parse("http://h%41/"), URL_ESYNTAX);
		CHECK_EQ(parse("http://h!/"), URL_ESYNTAX);
		CHECK_EQ(parse("http://h:0/"), URL_ESYNTAX);
		CHECK_EQ(parse("http://h:65536/"), URL_ESYNTAX);
		CHECK_EQ(parse("http://h:123456/"), URL_ESYNTAX);
		CHECK_EQ(parse("http://h:8o/"), URL_ESYNTAX);
		CHECK_EQ(parse("http://h:-1/"), URL_ESYNTAX);
		CHECK_EQ(parse("http://h:65535/"), URL_OK);
	}
	TEST("length limits") {
		static char big[URL_MAX + 64];

		memcpy(big, "http://", 7);
		memset(big + 7, 'a', 300);
		big[307] = '\0';
		CHECK_EQ(parse(big), URL_ETOOLONG);
		memcpy(big, "http://h/", 9);
		memset(big + 9, 'a', URL_MAX);
		big[9 + URL_MAX] = '\0';
		CHECK_EQ(parse(big), URL_ETOOLONG);
	}
	TEST("RFC 3986 5.4.1 normal examples") {
		const char *b = "http://a/b/c/d;p?q";
		static const char *const t[][2] = {
			{ "g:h", "g:h" }, { "g", "http://a/b/c/g" }, { "./g", "http://a/b/c/g" },
			{ "g/", "http://a/b/c/g/" }, { "/g", "http://a/g" }, { "//g", "http://g" },
			{ "?y", "http://a/b/c/d;p?y" }, { "g?y", "http://a/b/c/g?y" },
			{ "#s", "http://a/b/c/d;p?q#s" }, { "g#s", "http://a/b/c/g#s" },
			{ "g?y#s", "http://a/b/c/g?y#s" }, { ";x", "http://a/b/c/;x" },
			{ "g;x", "http://a/b/c/g;x" }, { "g;x?y#s", "http://a/b/c/g;x?y#s" },
			{ "", "http://a/b/c/d;p?q" }, { ".", "http://a/b/c/" }, { "./", "http://a/b/c/" },
			{ "..", "http://a/b/" }, { "../", "http://a/b/" }, { "../g", "http://a/b/g" },
			{ "../..", "http://a/" }, { "../../", "http://a/" }, { "../../g", "http://a/g" },
		};
		size_t i;

		for (i = 0; i < sizeof t / sizeof t[0]; i++)
			CHECK_STR(resolve(b, t[i][0]), t[i][1]);
	}
	TEST("RFC 3986 5.4.2 abnormal examples") {
		const char *b = "http://a/b/c/d;p?q";
		static const char *const t[][2] = {
			{ "../../../g", "http://a/g" }, { "../../../../g", "http://a/g" },
			{ "/./g", "http://a/g" }, { "/../g", "http://a/g" }, { "g.", "http://a/b/c/g." },
			{ ".g", "http://a/b/c/.g" }, { "g..", "http://a/b/c/g.." },
			{ "..g", "http://a/b/c/..g" }, { "./../g", "http://a/b/g" },
			{ "./g/.", "http://a/b/c/g/" }, { "g/./h", "http://a/b/c/g/h" },
			{ "g/../h", "http://a/b/c/h" }, { "g;x=1/./y", "http://a/b/c/g;x=1/y" },
			{ "g;x=1/../y", "http://a/b/c/y" }, { "g?y/./x", "http://a/b/c/g?y/./x" },
			{ "g?y/../x", "http://a/b/c/g?y/../x" }, { "g#s/./x", "http://a/b/c/g#s/./x" },
			{ "g#s/../x", "http://a/b/c/g#s/../x" }, { "http:g", "http:g" },
		};
		size_t i;

		for (i = 0; i < sizeof t / sizeof t[0]; i++)
			CHECK_STR(resolve(b, t[i][0]), t[i][1]);
	}
	TEST("resolution against a base without a path, and output room") {
		char small[8];

		CHECK_STR(resolve("http://h:81", "x"), "http://h:81/x");
		CHECK_STR(resolve("http://h/a", "ftp://o/p"), "ftp://o/p");
		CHECK_EQ(url_resolve("http://h/", "abcdefgh", small, sizeof small), -1);
	}
	TEST("HTTP-21 file name from the last path segment") {
		CHECK_EQ(parse("http://h/dir/file.tar.gz?x=1"), URL_OK);
		CHECK_EQ(url_filename(&u, buf, sizeof buf), 0);
		CHECK_STR(buf, "file.tar.gz");
		CHECK_EQ(parse("http://h/dir/"), URL_OK);
		CHECK_EQ(url_filename(&u, buf, sizeof buf), -1);
		CHECK_EQ(parse("http://h/a/..%2F..%2Fetc%2Fpasswd"), URL_OK);
		CHECK_EQ(url_filename(&u, buf, sizeof buf), -1);
		CHECK_EQ(parse("http://h/a/%2e%2e"), URL_OK);
		CHECK_EQ(url_filename(&u, buf, sizeof buf), -1);
		CHECK_EQ(parse("http://h/a%5cb"), URL_OK);
		CHECK_EQ(url_filename(&u, buf, sizeof buf), -1);
		CHECK_EQ(parse("http://h/a%0ab"), URL_OK);
		CHECK_EQ(url_filename(&u, buf, sizeof buf), -1);
		CHECK_EQ(parse("http://h/my%20file"), URL_OK);
		CHECK_EQ(url_filename(&u, buf, sizeof buf), 0);
		CHECK_STR(buf, "my file");
	}
	TEST("NO_PROXY: names and the names under them, '*', addresses exactly") {
		CHECK_EQ(url_no_proxy("example.test", "example.test"), 1);
		CHECK_EQ(url_no_proxy("example.test", "a.b.example.test"), 1);
		CHECK_EQ(url_no_proxy(".example.test", "a.example.test"), 1);
		CHECK_EQ(url_no_proxy(".example.test", "example.test"), 1);
		CHECK_EQ(url_no_proxy("example.test", "badexample.test"), 0);
		CHECK_EQ(url_no_proxy("example.test", "example.test.evil"), 0);
		CHECK_EQ(url_no_proxy("EXAMPLE.test", "example.TEST"), 1);
		CHECK_EQ(url_no_proxy("example.test.", "example.test"), 1);
		CHECK_EQ(url_no_proxy("example.test", "example.test."), 1);
		CHECK_EQ(url_no_proxy("a.test, b.test c.test\td.test", "x.c.test"), 1);
		CHECK_EQ(url_no_proxy("a.test, b.test c.test\td.test", "d.test"), 1);
		CHECK_EQ(url_no_proxy("a.test,,b.test", "e.test"), 0);
		CHECK_EQ(url_no_proxy("*", "anything"), 1);
		CHECK_EQ(url_no_proxy("a.test,*", "anything"), 1);
		CHECK_EQ(url_no_proxy("*.a.test", "x.a.test"), 0);
		CHECK_EQ(url_no_proxy("", "a.test"), 0);
		CHECK_EQ(url_no_proxy(" , ,", "a.test"), 0);
		CHECK_EQ(url_no_proxy(".", "a.test"), 0);
		CHECK_EQ(url_no_proxy("a.test", ""), 0);
		CHECK_EQ(url_no_proxy("127.0.0.1", "127.0.0.1"), 1);
		CHECK_EQ(url_no_proxy("0.1", "10.0.0.1"), 0);
		CHECK_EQ(url_no_proxy("0.0.1", "127.0.0.1"), 0);
		CHECK_EQ(url_no_proxy("::1", "::1"), 1);
		CHECK_EQ(url_no_proxy("[::1]", "::1"), 1);
		CHECK_EQ(url_no_proxy("[::1]", "::2"), 0);
		CHECK_EQ(url_no_proxy("1", "::1"), 0);
	}
	return tap_done();
}
