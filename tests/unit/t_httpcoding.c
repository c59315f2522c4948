/* t_httpcoding.c - unit tests of lib/session/httpcoding.c: Content-Encoding, sizes, the decoder sink */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "httpcoding.h"

static struct http_head h;

static enum hc_coding
coding_of(const char *head)
{
	size_t used;

	http_head_init(&h);
	if (http_head_feed(&h, head, strlen(head), &used) != HTTP_DONE)
		return (enum hc_coding)-1;
	return hc_coding(&h);
}

int
main(void)
{
	static struct hc_decoder d;
	/* "hello\n" in gzip, as python3 gzip.compress(b"hello\n", mtime=0) */
	static const uint8_t gz[] = { 0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	    0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0xe7, 0x02, 0x00, 0x20, 0x30, 0x3a, 0x36,
	    0x06, 0x00, 0x00, 0x00 };
	char got[64];
	uint64_t v;
	int fds[2];
	ssize_t n;

	signal(SIGPIPE, SIG_IGN);
	TEST("Content-Encoding values") {
		CHECK_EQ(hc_parse("gzip", 4), HC_GZIP);
		CHECK_EQ(hc_parse(" GZip ", 6), HC_GZIP);
		CHECK_EQ(hc_parse("x-gzip", 6), HC_GZIP);
		CHECK_EQ(hc_parse("deflate", 7), HC_DEFLATE);
		CHECK_EQ(hc_parse("identity", 8), HC_NONE);
		CHECK_EQ(hc_parse("", 0), HC_NONE);
		CHECK_EQ(hc_parse("br", 2), HC_OTHER);
		CHECK_EQ(hc_parse("gzip, br", 8), HC_OTHER);
		CHECK_EQ(hc_parse("gzipx", 5), HC_OTHER);
	}

	TEST("a response's coding: every field, one real coding at most") {
		CHECK_EQ(coding_of("HTTP/1.1 200 OK\r\n\r\n"), HC_NONE);
		CHECK_EQ(coding_of("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n"), HC_GZIP);
		CHECK_EQ(coding_of("HTTP/1.1 200 OK\r\nContent-Encoding: identity\r\n"
		    "content-encoding: deflate\r\n\r\n"), HC_DEFLATE);
		CHECK_EQ(coding_of("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
		    "Content-Encoding: gzip\r\n\r\n"), HC_OTHER);
	}

	TEST("sizes") {
		CHECK_EQ(hc_size("0", &v), 0);
		CHECK_EQ(v, 0);
		CHECK_EQ(hc_size("300k", &v), 0);
		CHECK_EQ(v, 300 * 1024);
		CHECK_EQ(hc_size("2M", &v), 0);
		CHECK_EQ(v, 2 << 20);
		CHECK_EQ(hc_size("5G", &v), 0);
		CHECK_EQ(v, 5ull << 30);
		CHECK_EQ(hc_size("", &v), -1);
		CHECK_EQ(hc_size("k", &v), -1);
		CHECK_EQ(hc_size("12Q", &v), -1);
		CHECK_EQ(hc_size("1kk", &v), -1);
		CHECK_EQ(hc_size("-1", &v), -1);
		CHECK_EQ(hc_size("99999999999999999999", &v), -1);
		CHECK_EQ(hc_size("17179869184G", &v), -1);
	}

	TEST("the sink decodes into its fd; errors say whose") {
		CHECK(pipe(fds) == 0);
		hc_init(&d, HC_GZIP, fds[1], 0, 0);
		CHECK_EQ(hc_put(&d, gz, 10), 0);
		CHECK_EQ(hc_put(&d, gz + 10, sizeof gz - 10), 0);
		CHECK_EQ(hc_end(&d), 0);
		n = read(fds[0], got, sizeof got);
		CHECK_EQ(n, 6);
		CHECK(n == 6 && memcmp(got, "hello\n", 6) == 0);
		/* cut short: the end says so */
		hc_init(&d, HC_GZIP, fds[1], 0, 0);
		CHECK_EQ(hc_put(&d, gz, sizeof gz - 1), 0);
		CHECK_EQ(hc_end(&d), -1);
		CHECK_EQ(d.ierr, INF_ETRUNC);
		/* bad data: EPROTO and the decoder's error */
		hc_init(&d, HC_DEFLATE, fds[1], 0, 0);
		CHECK_EQ(hc_put(&d, (const uint8_t *)"\x07\x00", 2), -1);
		CHECK_EQ(errno, EPROTO);
		CHECK_EQ(d.ierr, INF_EBTYPE);
		/* a write that fails: its errno, no decoder error */
		close(fds[0]);
		hc_init(&d, HC_GZIP, fds[1], 0, 0);
		CHECK_EQ(hc_put(&d, gz, sizeof gz), -1);
		CHECK_EQ(d.ierr, 0);
		CHECK_EQ(d.werr, EPIPE);
		close(fds[1]);
	}
	return tap_done();
}
