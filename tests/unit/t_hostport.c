/* t_hostport.c - unit tests of url_host_port (lib/wire/url.c): a server as HOST[:PORT] */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "url.h"

static char host[256];
static uint16_t port;
static const char *why;

static int
hp(const char *s)
{
	host[0] = 'X';
	port = 25;
	why = NULL;
	return url_host_port(s, strlen(s), host, sizeof host, &port, &why);
}

/* refused, and the reason holds want */
static int
refused(const char *s, const char *want)
{
	return hp(s) == -1 && why != NULL && strstr(why, want) != NULL && host[0] != 'X';
}

int
main(void)
{
	char big[400];

	TEST("a name, with and without a port") {
		CHECK_EQ(hp("mx.example.test"), 0);
		CHECK_STR(host, "mx.example.test");
		CHECK_EQ(port, 25);
		CHECK_EQ(hp("mx.example.test:587"), 1);
		CHECK_STR(host, "mx.example.test");
		CHECK_EQ(port, 587);
		CHECK_EQ(hp("127.0.0.1:2525"), 1);
		CHECK_STR(host, "127.0.0.1");
		CHECK_EQ(port, 2525);
		CHECK_EQ(hp("under_score-ok"), 0);
	}
	TEST("a trailing dot is an absolute name, kept; two are not a name") {
		CHECK_EQ(hp("mx.example.test.:25"), 1);
		CHECK_STR(host, "mx.example.test.");
		CHECK(refused("mx.example.test..", "empty label"));
		CHECK(refused(".", "no host"));
		CHECK(refused(".mx.test", "empty label"));
		CHECK(refused("a..b", "empty label"));
	}
	TEST("IPv6 in brackets, with or without a port; bare IPv6 is all host") {
		CHECK_EQ(hp("[::1]"), 0);
		CHECK_STR(host, "::1");
		CHECK_EQ(hp("[::1]:2525"), 1);
		CHECK_STR(host, "::1");
		CHECK_EQ(port, 2525);
		CHECK_EQ(hp("[2001:db8::1]:65535"), 1);
		CHECK_EQ(port, 65535);
		CHECK_EQ(hp("::1"), 0);
		CHECK_STR(host, "::1");
		CHECK_EQ(hp("2001:db8::25"), 0);
		CHECK_STR(host, "2001:db8::25");
		CHECK_EQ(port, 25);
		CHECK_EQ(hp("[::ffff:127.0.0.1]:25"), 1);
		CHECK_STR(host, "::ffff:127.0.0.1");
	}
	TEST("bad brackets and bad literals") {
		CHECK(refused("[::1", "missing ]"));
		CHECK(refused("[::1]x", "not :PORT"));
		CHECK(refused("[::1]25", "not :PORT"));
		CHECK(refused("[]:25", "no host"));
		CHECK(refused("[mx.test]:25", "bad IPv6"));
		CHECK(refused("[1:2:3:4:5:6:7:8:9]", "bad IPv6"));
		CHECK(refused("1:2:::3", "bad IPv6"));
	}
	TEST("the port: 1..65535, digits only, not empty") {
		CHECK(refused("mx.test:", "empty port"));
		CHECK(refused("[::1]:", "empty port"));
		CHECK(refused("mx.test:0", "out of range"));
		CHECK(refused("mx.test:65536", "out of range"));
		CHECK(refused("mx.test:99999999999999999999", "out of range"));
		CHECK(refused("mx.test:+25", "not a number"));
		CHECK(refused("mx.test:-1", "not a number"));
		CHECK(refused("mx.test:2 5", "not a number"));
		CHECK(refused("mx.test:0x19", "not a number"));
		CHECK_EQ(hp("mx.test:00025"), 1);
		CHECK_EQ(port, 25);
	}
	TEST("empty parts and bad bytes") {
		CHECK(refused("", "no host"));
		CHECK(refused(":25", "no host"));
		CHECK(refused("mx test", "bad character"));
		CHECK(refused("mx\r\nRCPT", "bad character"));
		CHECK(refused("user@mx.test", "bad character"));
		CHECK(refused("m\xc3\xa4il.test", "bad character"));
		CHECK_EQ(url_host_port("mx\0evil", 7, host, sizeof host, &port, &why), -1);
		CHECK(why != NULL && strstr(why, "NUL") != NULL);
	}
	TEST("lengths: a label of 63, a name of 253; one more is refused; a small buffer") {
		memset(big, 'a', 63);
		big[63] = '\0';
		CHECK_EQ(hp(big), 0);
		memset(big, 'a', 64);
		big[64] = '\0';
		CHECK(refused(big, "over 63"));
		for (size_t i = 0; i < 254; i++)
			big[i] = i % 2 ? '.' : 'a';
		big[253] = '\0';	/* "a.a. ... a": 253 octets */
		CHECK_EQ(hp(big), 0);
		big[253] = '.';		/* an absolute name of 253 */
		big[254] = '\0';
		CHECK_EQ(hp(big), 0);
		big[254] = 'a';
		big[255] = '\0';
		CHECK(refused(big, "over 253"));
		CHECK_EQ(url_host_port("mx.test", 7, host, 4, &port, &why), -1);
		CHECK_STR(host, "");
	}
	return tap_done();
}
