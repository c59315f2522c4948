/*
 * t_proxytunnel.c - unit tests of the CONNECT tunnel: the request and the
 * verdict of lib/wire/httptunnel.c, and the conversation of
 * lib/session/proxytunnel.c against a scripted proxy at the other end of
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
	char out[2048];
	long n;
	int64_t t0;

	TEST("authority: names, IPv4, IPv6 in brackets with a zone as %25; bad bytes refused") {
		CHECK_EQ(http_authority("example.org", 443, out, sizeof out), 15);
		CHECK_STR(out, "example.org:443");
		CHECK(http_authority("192.0.2.1", 8443, out, sizeof out) > 0);
		CHECK_STR(out, "192.0.2.1:8443");
		CHECK(http_authority("::1", 443, out, sizeof out) > 0);
		CHECK_STR(out, "[::1]:443");
		CHECK(http_authority("fe80::1%eth0", 1, out, sizeof out) > 0);
		CHECK_STR(out, "[fe80::1%25eth0]:1");
		CHECK_EQ(http_authority("a b", 1, out, sizeof out), -1);
		CHECK_EQ(http_authority("a\r\nX: y", 1, out, sizeof out), -1);
		CHECK_EQ(http_authority("a/b", 1, out, sizeof out), -1);
		CHECK_EQ(http_authority("u@h", 1, out, sizeof out), -1);
		CHECK_EQ(http_authority("", 1, out, sizeof out), -1);
		CHECK_EQ(http_authority("h", 0, out, sizeof out), -1);
		CHECK_EQ(http_authority("example.org", 443, out, 15), -1);
		CHECK_EQ(http_authority("example.org", 443, out, 16), 15);
	}
	TEST("CONNECT request: authority form, Host, agent, Proxy-Authorization; nothing else") {
		n = http_connect_request("[::1]:443", "t/1", "u:p", 3, out, sizeof out);
		CHECK(n > 0);
		out[n > 0 ? n : 0] = '\0';	/* a head is bytes, not a string */
		CHECK_STR(out, "CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\nUser-Agent: t/1\r\n"
		    "Proxy-Authorization: Basic dTpw\r\n\r\n");
		n = http_connect_request("h:1", NULL, NULL, 0, out, sizeof out);
		out[n > 0 ? n : 0] = '\0';
		CHECK_STR(out, "CONNECT h:1 HTTP/1.1\r\nHost: h:1\r\n\r\n");
		CHECK_EQ(http_connect_request("h:1", NULL, NULL, 0, out, 10), HTTP_EREQ);
		CHECK_EQ(http_connect_request("h:1", "a\r\nX: y", NULL, 0, out, sizeof out),
		    HTTP_EREQ);
	}
	TEST("verdict: 2xx open (Content-Length ignored), 407 credentials, others refused") {
		size_t used;
		const char *t = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";

		http_head_init(&hd);
		CHECK_EQ(http_head_feed(&hd, t, strlen(t), &used), HTTP_DONE);
		CHECK_EQ(http_tunnel_verdict(&hd, 0), HTTP_TUNNEL_OPEN);
		CHECK_EQ(http_tunnel_verdict(&hd, 5), HTTP_TUNNEL_EXTRA);
		hd.status = 204;
		CHECK_EQ(http_tunnel_verdict(&hd, 0), HTTP_TUNNEL_OPEN);
		hd.status = 407;
		CHECK_EQ(http_tunnel_verdict(&hd, 0), HTTP_TUNNEL_AUTH);
		hd.status = 300;
		CHECK_EQ(http_tunnel_verdict(&hd, 0), HTTP_TUNNEL_REFUSED);
		hd.status = 502;
		CHECK_EQ(http_tunnel_verdict(&hd, 0), HTTP_TUNNEL_REFUSED);
		CHECK(strstr(http_tunnel_str(HTTP_TUNNEL_AUTH), "wants credentials") != NULL);
	}
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
