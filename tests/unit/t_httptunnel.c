/*
 * t_httptunnel.c - unit tests of the wire side of a CONNECT tunnel
 * (lib/wire/httptunnel.c): the authority, the request, the verdict on the
 * proxy's answer.  The conversation is t_proxytunnel's.
 */
#include <string.h>

#include "http.h"
#include "httptunnel.h"
#include "tap.h"

static struct http_head hd;

int
main(void)
{
	char out[2048];
	long n;

	TEST("authority: names, IPv4, IPv6 in brackets with a zone as %25; bad bytes refused") {
		CHECK_EQ(http_authority("www.ex.test", 443, out, sizeof out), 15);
		CHECK_STR(out, "www.ex.test:443");
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
		CHECK_EQ(http_authority("www.ex.test", 443, out, 15), -1);
		CHECK_EQ(http_authority("www.ex.test", 443, out, 16), 15);
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
	return tap_done();
}
