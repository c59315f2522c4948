/* httptunnel.c - the CONNECT request and the proxy's verdict (see httptunnel.h) */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "httptunnel.h"

long
http_authority(const char *host, uint16_t port, char *out, size_t cap)
{
	char digits[8];
	size_t n = 0, nd = 0, i;
	int v6 = strchr(host, ':') != NULL;
	unsigned p = port;

#define PUT(c) do { if (n + 1 >= cap) return -1; out[n++] = (c); } while (0)
	if (host[0] == '\0' || port == 0)
		return -1;
	if (v6)
		PUT('[');
	for (i = 0; host[i]; i++) {
		unsigned char c = (unsigned char)host[i];

		/* the bytes a reg-name, IPv4 or IPv6 literal (with a zone) may hold */
		if (c <= 0x20 || c >= 0x7f || strchr("/?#@[]\\\"<>^`{|}", c) != NULL ||
		    (c == ':' && !v6))
			return -1;
		if (c == '%') {	/* a zone: RFC 6874's "%25" */
			PUT('%');
			PUT('2');
			PUT('5');
			continue;
		}
		PUT((char)c);
	}
	if (v6)
		PUT(']');
	PUT(':');
	do
		digits[nd++] = (char)('0' + p % 10);
	while ((p /= 10) != 0);
	while (nd > 0)
		PUT(digits[--nd]);
#undef PUT
	out[n] = '\0';
	return (long)n;
}

long
http_connect_request(const char *authority, const char *agent, const char *auth,
    size_t nauth, char *out, size_t cap)
{
	/* "Name:" drops a default field: a CONNECT asks for no media, no keep-alive */
	static const char *const drop[] = { "Accept:", "Connection:" };
	struct http_req q;

	memset(&q, 0, sizeof q);
	q.method = "CONNECT";
	q.target = authority;
	q.host = authority;
	q.agent = agent;
	q.proxy_auth = auth;
	q.nproxy_auth = auth ? nauth : 0;
	q.extra = drop;
	q.nextra = 2;
	q.body_len = -1;
	q.range_from = -1;
	return http_request(&q, out, cap);
}

enum http_tunnel
http_tunnel_verdict(const struct http_head *hd, size_t after)
{
	if (hd->status == 407)
		return HTTP_TUNNEL_AUTH;
	if (hd->status < 200 || hd->status > 299)
		return HTTP_TUNNEL_REFUSED;
	/* Content-Length, Transfer-Encoding: not read, not a body (§9.3.6) */
	return after > 0 ? HTTP_TUNNEL_EXTRA : HTTP_TUNNEL_OPEN;
}

const char *
http_tunnel_str(enum http_tunnel v)
{
	switch (v) {
	case HTTP_TUNNEL_OPEN: return "tunnel open";
	case HTTP_TUNNEL_AUTH: return "the proxy wants credentials (user:pass@ in the proxy URL)";
	case HTTP_TUNNEL_REFUSED: return "the proxy refused the tunnel";
	case HTTP_TUNNEL_EXTRA: return "the proxy sent bytes after its answer, before the "
	    "TLS handshake: the tunnel does not start clean";
	}
	return "?";
}
