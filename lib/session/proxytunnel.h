/*
 * proxytunnel.h - a tunnel through an HTTP proxy (session code): on a
 * connection to the proxy, CONNECT to the origin's authority, the
 * proxy's answer head read with the response head's parser and limits
 * (HTTP_HEAD_MAX, a total deadline for the head, the connection's idle
 * limit), and the verdict of lib/wire/httptunnel.c.  When it returns 0
 * the connection carries the origin's bytes and nothing else: TLS to
 * the origin starts next (lib/session/httpsess.c).
 */
#ifndef TB_PROXYTUNNEL_H
#define TB_PROXYTUNNEL_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "http.h"

struct pt_conf {
	const char *proxy;	/* "host port N" of the proxy, for messages */
	const char *authority;	/* the origin's "host:port" (http_authority) */
	const char *agent;	/* User-Agent, or NULL */
	const char *auth;	/* "user:pass" of the proxy, or NULL */
	size_t nauth;
	int verbose;		/* "* ", "> " and "< " lines on stderr */
	struct layers *lv;	/* -X: the exchange decoded, or NULL */
	int64_t head_us;	/* the whole answer head within this */
};

/*
 * Open the tunnel on c (connected to the proxy, no transport yet): 0,
 * or EXIT_NET with why naming the proxy (errno ETIMEDOUT for a
 * timeout).  hd gets the proxy's answer head.  c's deadline is kept.
 */
int pt_open(struct conn *c, const struct pt_conf *, struct http_head *hd, char *why,
    size_t cap);

#endif
