/*
 * t_proxytunnel.c - unit tests of the CONNECT tunnel's conversation
 * (lib/session/proxytunnel.c) against a scripted proxy at the other end of
 * a socketpair (HTTP-27 to HTTP-27l of tests/hostile-peers-2.md: the
 * same cases end to end are in tests/httpget-proxy.bats).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "httptunnel.h"
#include "peer.h"
#include "proxytunnel.h"
#include "tap.h"
#include "tubes.h"

/*
 * the proxy's answer: text at once, or a byte each trickle_us, or a head
 * over the limit; then it waits for the client to close, or hangs up
 */
struct ans {
	const char *text;
	useconds_t trickle_us;
	int big;
	int hangup;
};

static void
proxy(int fd, int log, const void *arg)
{
	const struct ans *a = arg;
	char heard[4096], b, line[8200];
	size_t nh = 0, i;
	int k;

	while (nh < sizeof heard && read(fd, &b, 1) == 1) {
		heard[nh++] = b;
		if (nh >= 4 && memcmp(heard + nh - 4, "\r\n\r\n", 4) == 0)
			break;
	}
	(void)!write(log, heard, nh);
	close(log);
	if (a->big) {
		(void)!write(fd, "HTTP/1.1 200 OK\r\n", 17);
		memset(line, 'f', sizeof line);
		memcpy(line, "X-F: ", 5);
		memcpy(line + sizeof line - 2, "\r\n", 2);
		for (k = 0; k < 10; k++)
			(void)!write(fd, line, sizeof line);
	} else if (a->trickle_us)
		for (i = 0; a->text[i]; i++) {
			(void)!write(fd, a->text + i, 1);
			usleep(a->trickle_us);
		}
	else if (a->text)
		(void)!write(fd, a->text, strlen(a->text));
	while (!a->hangup && read(fd, &b, 1) == 1)
		;
	_exit(0);
}

static struct conn c;
static struct http_head hd;
static char why[1024], heard[4096];

/* pt_open against a proxy answering a; its result, what the proxy heard in heard */
static int
run(const struct ans *a, const char *auth, int64_t head_us)
{
	struct peer pr;
	struct pt_conf pc = { .proxy = "proxy.test port 3128", .authority = "o.test:443",
	    .agent = "t/1", .auth = auth, .nauth = auth ? strlen(auth) : 0,
	    .head_us = head_us };
	int r;

	why[0] = '\0';
	peer_start(&pr, &c, proxy, a);
	r = pt_open(&c, &pc, &hd, why, sizeof why);
	peer_stop(&pr, &c, heard, sizeof heard);
	return r;
}

int
main(void)
{
	int64_t t0;

	TEST("HTTP-27: a 200 opens the tunnel; the proxy heard CONNECT with its credentials") {
		CHECK_EQ(run(&(struct ans){ .text = "HTTP/1.1 200 Connection established\r\n\r\n" },
		    "pu:pw", 2000000), 0);
		CHECK_EQ(hd.status, 200);
		CHECK_EQ(c.len - c.off, 0);
		CHECK_STR(heard, "CONNECT o.test:443 HTTP/1.1\r\nHost: o.test:443\r\nUser-Agent: t/1\r\n"
		    "Proxy-Authorization: Basic cHU6cHc=\r\n\r\n");
	}
	TEST("HTTP-27l: a 200 with Content-Length 5 and no body: open") {
		CHECK_EQ(run(&(struct ans){ .text = "HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\n" },
		    NULL, 2000000), 0);
		CHECK(strstr(heard, "Proxy-Authorization") == NULL);
	}
	TEST("1xx before the 200: skipped") {
		CHECK_EQ(run(&(struct ans){ .text = "HTTP/1.1 100 Continue\r\n\r\n"
		    "HTTP/1.1 200 OK\r\n\r\n" }, NULL, 2000000), 0);
		CHECK_EQ(hd.status, 200);
	}
	TEST("HTTP-27f: 407: exit 3, the status line, credentials wanted") {
		CHECK_EQ(run(&(struct ans){ .text = "HTTP/1.1 407 Proxy Authentication Required\r\n"
		    "Content-Length: 3\r\n\r\nno\n" }, NULL, 2000000), EXIT_NET);
		CHECK_STR(why, "proxy proxy.test port 3128: \"HTTP/1.1 407 Proxy Authentication "
		    "Required\" to CONNECT o.test:443: the proxy wants credentials (user:pass@ in "
		    "the proxy URL)");
	}
	TEST("HTTP-27g: 502: exit 3, refused") {
		CHECK_EQ(run(&(struct ans){ .text = "HTTP/1.1 502 Bad Gateway\r\n\r\n" }, NULL,
		    2000000), EXIT_NET);
		CHECK(strstr(why, "\"HTTP/1.1 502 Bad Gateway\" to CONNECT o.test:443: the proxy "
		    "refused the tunnel") != NULL);
	}
	TEST("HTTP-27h: bytes after the 200, before the handshake: exit 3") {
		CHECK_EQ(run(&(struct ans){ .text = "HTTP/1.1 200 OK\r\n\r\n\x16\x03\x03" }, NULL,
		    2000000), EXIT_NET);
		CHECK(strstr(why, "3 bytes after \"HTTP/1.1 200 OK\"") != NULL);
	}
	TEST("HTTP-27i: an answer that trickles ends at head_us, however steady the bytes") {
		t0 = tb_now();
		CHECK_EQ(run(&(struct ans){ .text = "HTTP/1.1 200 Connection established\r\n\r\n",
		    .trickle_us = 50000 }, NULL, 300000), EXIT_NET);
		CHECK(tb_now() - t0 < 1500000);
		CHECK_EQ(errno, ETIMEDOUT);
		CHECK_STR(why, "proxy proxy.test port 3128: no complete answer to CONNECT in 0.3 s "
		    "(--head-timeout)");
	}
	TEST("HTTP-27j: a head over HTTP_HEAD_MAX: exit 3") {
		CHECK_EQ(run(&(struct ans){ .big = 1 }, NULL, 2000000), EXIT_NET);
		CHECK(strstr(why, "malformed answer to CONNECT: response head too large") != NULL);
	}
	TEST("HTTP-27k: closed without an answer, or in it: exit 3, said which") {
		CHECK_EQ(run(&(struct ans){ .text = "", .hangup = 1 }, NULL, 2000000), EXIT_NET);
		CHECK_STR(why, "proxy proxy.test port 3128: connection closed without an answer "
		    "to CONNECT");
		CHECK_EQ(run(&(struct ans){ .text = "HTTP/1.1 200 OK\r\n", .hangup = 1 }, NULL,
		    2000000), EXIT_NET);
		CHECK_STR(why, "proxy proxy.test port 3128: connection closed in its answer "
		    "to CONNECT");
	}
	return tap_done();
}
