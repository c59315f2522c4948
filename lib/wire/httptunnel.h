/*
 * httptunnel.h - the wire side of a tunnel through an HTTP proxy
 * (RFC 9110 §9.3.6): the CONNECT request a client sends the proxy, and
 * what the proxy's answer head means for the tunnel.  No system calls;
 * the head itself is read by http_head_feed (http.h), with its limits.
 * lib/session/proxytunnel.c holds the conversation.
 */
#ifndef TUBES_HTTPTUNNEL_H
#define TUBES_HTTPTUNNEL_H

#include <stddef.h>
#include <stdint.h>

#include "http.h"

/* "host:port" or "[v6]:port", with room for a zone as "%25..." */
#define HTTP_AUTHORITY_MAX 560

/*
 * The authority of a CONNECT request and its Host field: host (a name,
 * an IPv4 literal, or an IPv6 literal without brackets, a zone after
 * '%') and port.  The length, or -1 for a host with a control byte, a
 * blank or a byte that cannot stand in an authority, or no room.
 */
long http_authority(const char *host, uint16_t port, char *out, size_t cap);

/*
 * "CONNECT AUTH HTTP/1.1", Host: AUTH, User-Agent (agent, or none),
 * Proxy-Authorization Basic of auth (nauth bytes "user:pass", or NULL):
 * nothing else, no credential of the origin.  The length, or HTTP_EREQ.
 */
long http_connect_request(const char *authority, const char *agent, const char *auth,
    size_t nauth, char *out, size_t cap);

enum http_tunnel {
	HTTP_TUNNEL_OPEN = 0,	/* a 2xx: the bytes after the head are the origin's */
	HTTP_TUNNEL_AUTH = -1,	/* 407: the proxy wants (other) credentials */
	HTTP_TUNNEL_REFUSED = -2,	/* any other status: no tunnel */
	HTTP_TUNNEL_EXTRA = -3,	/* a 2xx, but bytes came after it before we spoke */
};
/*
 * The proxy's final head to CONNECT, and how many bytes came after it
 * before the client sent any (after: they cannot be the origin's answer
 * to a handshake not yet begun).  A Content-Length or Transfer-Encoding
 * of a 2xx is ignored, as RFC 9110 §9.3.6 tells the client to.
 */
enum http_tunnel http_tunnel_verdict(const struct http_head *, size_t after);
/* a sentence for a verdict */
const char *http_tunnel_str(enum http_tunnel);

#endif
