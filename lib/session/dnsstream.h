/*
 * dnsstream.h - DNS over TLS (RFC 7858: TCP's two-byte length framing
 * inside TLS, port 853) and DNS over HTTPS (RFC 8484, over HTTP/1.1:
 * POST of application/dns-message, or GET with ?dns=base64url), for
 * dig-lite's +tls and +https.  The query is a struct dns_q prepared by
 * dnsq_prepare; the answer lands where the UDP engine puts it, so the
 * command prints it the same way.  One connection is kept and reused by
 * the queries that follow (DoT: this file's; DoH: httpsess's pool).
 */
#ifndef TUBES_DNSSTREAM_H
#define TUBES_DNSSTREAM_H

#include <stdint.h>

#include "dnsnet.h"

struct tlsopt;
struct layers;

struct dns_stream_conf {
	int https;		/* 0: DNS over TLS; 1: DNS over HTTPS */
	int get;		/* DoH: GET ?dns= instead of POST */
	const char *path;	/* DoH: the path, "/dns-query" */
	const char *host;	/* the server's name: certificate, SNI and Host:; or
				   NULL for its address */
	struct tlsopt *tls;
	struct layers *lv;	/* -X: TCP segments, TLS records, HTTP heads */
};

/*
 * Ask q's first server (q->srv[0]) over the stream: connect and start
 * TLS if no connection to it is open, send q->query, and take one
 * answer within q->timeout (µs, the whole exchange).  Fills q->reply,
 * rlen, rtt, from, srvi, err and why (a TLS failure, an HTTP status
 * other than 200, an answer cut short, one that does not match),
 * and sets q->state DNSQ_DONE.  q->show (if set) sees both messages.
 */
void dns_stream_ask(struct dns_q *, const struct dns_stream_conf *);

/* what the TLS of the last answered query is (-j), or NULL */
const struct tls_info *dns_stream_tls(void);

/* close the connections (TLS close_notify) */
void dns_stream_close(void);

#endif
