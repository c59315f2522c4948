/* proxytunnel.c - CONNECT through an HTTP proxy (see proxytunnel.h) */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "httpsess.h"
#include "httptunnel.h"
#include "proxytunnel.h"
#include "tubes.h"
#include "view.h"

#define PT_MAX_INTERIM 20	/* 1xx heads before the answer, as HS_MAX_INTERIM */

/* the stream ended or failed before the answer was whole: EXIT_NET */
static int
failed(const struct pt_conf *pc, const struct http_head *hd, int r, int e,
    int64_t head_deadline, int64_t deadline, char *why, size_t cap)
{
	if (r < 0 && e == ETIMEDOUT && head_deadline != deadline && tb_now() >= head_deadline)
		snprintf(why, cap, "proxy %s: no complete answer to CONNECT in %.3g s "
		    "(--head-timeout)", pc->proxy, (double)pc->head_us / 1e6);
	else if (r == 0)
		snprintf(why, cap, "proxy %s: connection closed %s", pc->proxy, hd->wire ||
		    hd->nline ? "in its answer to CONNECT" : "without an answer to CONNECT");
	else
		snprintf(why, cap, "proxy %s: reading the answer to CONNECT: %s", pc->proxy,
		    e == EINTR ? "interrupted" : strerror(e));
	errno = r < 0 ? e : 0;
	return EXIT_NET;
}

/* the answer head into hd, 1xx skipped: 0 or EXIT_NET */
static int
answer(struct conn *c, const struct pt_conf *pc, struct http_head *hd, char *why, size_t cap)
{
	int64_t deadline = c->deadline, head_deadline;
	int r, e, ninterim = 0;
	size_t used;

	head_deadline = tb_earliest(tb_now() + pc->head_us, deadline);
	c->deadline = head_deadline;
	http_head_init(hd);
	for (;;) {
		if (c->off == c->len) {
			r = tb_interrupted ? -1 : conn_fill(c);
			if (r <= 0) {
				e = tb_interrupted ? EINTR : errno;
				c->deadline = deadline;
				return failed(pc, hd, r, e, head_deadline, deadline, why, cap);
			}
		}
		r = http_head_feed(hd, c->buf + c->off, c->len - c->off, &used);
		c->off += used;
		if (r == HTTP_MORE)
			continue;
		if (r != HTTP_INTERIM)
			break;
		if (pc->verbose)
			hs_print_head(stderr, "< ", hd);
		if (++ninterim > PT_MAX_INTERIM) {
			c->deadline = deadline;
			snprintf(why, cap, "proxy %s: more than %d interim (1xx) answers to CONNECT",
			    pc->proxy, PT_MAX_INTERIM);
			return EXIT_NET;
		}
		http_head_init(hd);
	}
	c->deadline = deadline;
	if (r < 0) {
		snprintf(why, cap, "proxy %s: malformed answer to CONNECT: %s", pc->proxy,
		    http_strerror(r));
		return EXIT_NET;
	}
	if (pc->verbose)
		hs_print_head(stderr, "< ", hd);
	if (pc->lv) {
		lv_packet(pc->lv, "received %zu bytes of the proxy's answer from %s", hd->wire,
		    pc->proxy);
		http_head_layers(pc->lv, hd);
	}
	return 0;
}

int
pt_open(struct conn *c, const struct pt_conf *pc, struct http_head *hd, char *why,
    size_t cap)
{
	char req[2048], sl[256];
	enum http_tunnel v;
	size_t after;
	long n;
	int r;

	n = http_connect_request(pc->authority, pc->agent, pc->auth, pc->nauth, req, sizeof req);
	if (n < 0) {
		snprintf(why, cap, "proxy %s: CONNECT %s: %s", pc->proxy, pc->authority,
		    http_strerror((int)n));
		errno = EINVAL;
		return EXIT_NET;
	}
	if (pc->verbose) {
		fprintf(stderr, "* tunnel through proxy %s to %s\n", pc->proxy, pc->authority);
		hs_print_request(stderr, req, (size_t)n);
	}
	if (pc->lv) {
		lv_packet(pc->lv, "sent %ld bytes of CONNECT to proxy %s", n, pc->proxy);
		http_request_layers(pc->lv, req, (size_t)n);
	}
	r = conn_write(c, req, (size_t)n);
	explicit_bzero(req, sizeof req);	/* Proxy-Authorization */
	if (r < 0) {
		snprintf(why, cap, "proxy %s: sending CONNECT: %s", pc->proxy, strerror(errno));
		return EXIT_NET;
	}
	if ((r = answer(c, pc, hd, why, cap)) != 0)
		return r;
	/*
	 * Bytes the proxy sent after its answer, before we began TLS: not
	 * the origin's (it has nothing to answer yet); the buffer would hide
	 * them from the TLS layer, which reads the socket.
	 */
	after = c->len - c->off;
	if (after == 0 && conn_ready(c))
		after = c->len - c->off;
	v = http_tunnel_verdict(hd, after);
	if (v == HTTP_TUNNEL_OPEN)
		return 0;
	tb_escape_buf(sl, sizeof sl, hd->raw, hd->nfields ? hd->f[0].name : hd->nraw);
	if (v == HTTP_TUNNEL_EXTRA)
		snprintf(why, cap, "proxy %s: %zu bytes after \"%s\": %s", pc->proxy, after, sl,
		    http_tunnel_str(v));
	else
		snprintf(why, cap, "proxy %s: \"%s\" to CONNECT %s: %s", pc->proxy, sl,
		    pc->authority, http_tunnel_str(v));
	errno = 0;
	return EXIT_NET;
}
