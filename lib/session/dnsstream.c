/*
 * dnsstream.c - DNS over TLS and over HTTPS/1.1 (dnsstream.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base64.h"
#include "conn.h"
#include "dnsstream.h"
#include "http.h"
#include "httpsess.h"
#include "tls/tls.h"
#include "tls/tlsopt.h"
#include "tubes.h"

/* DoT's one connection, and the server it goes to */
static struct {
	int open;
	struct dns_server srv;
	struct tls_info info;
	struct conn c;
} dot;

static const struct tls_info *last_tls;	/* of the last exchange */
static struct hs_conf hc;
static struct http_head head;	/* 150 KiB: never on the stack */

static void
fail(struct dns_q *q, int err, const char *why)
{
	static char buf[400];

	snprintf(buf, sizeof buf, "%s", why);
	q->err = err;
	q->why = buf;
	q->state = DNSQ_DONE;
}

static void
failf(struct dns_q *q, int err, const char *what, const char *why)
{
	char b[400];
	char a[TB_ADDRSTRLEN];

	snprintf(b, sizeof b, "%s#%u: %s%s%s", tb_addr_str(&q->srv[0].addr, a, sizeof a),
	    q->srv[0].port, what, *what ? ": " : "", why);
	fail(q, err, b);
}

static void
dot_close(void)
{
	if (!dot.open)
		return;
	if (dot.c.tp && dot.c.tp->shutdown)
		dot.c.tp->shutdown(&dot.c);
	conn_close(&dot.c);
	dot.open = 0;
}

const struct tls_info *
dns_stream_tls(void)
{
	return last_tls;
}

void
dns_stream_close(void)
{
	dot_close();
	hs_close_all();
}

static int
dot_connect(struct dns_q *q, const struct dns_stream_conf *sc, int64_t until)
{
	char a[TB_ADDRSTRLEN], why[256];

	memset(&dot.c, 0, sizeof dot.c);
	dot.c.rfd = dot.c.wfd = -1;
	dot.c.lv = sc->lv;
	dot.c.idle = q->timeout;
	dot.c.deadline = until;
	if (conn_tcp(&dot.c, &q->srv[0].addr, q->srv[0].port, until - tb_now()) < 0) {
		failf(q, errno, "", strerror(errno));
		return -1;
	}
	if (tlsopt_start(&dot.c, sc->tls, sc->host ? sc->host :
	    tb_addr_str(&q->srv[0].addr, a, sizeof a), "dot", sc->lv, &dot.info, why,
	    sizeof why) < 0) {
		conn_close(&dot.c);
		failf(q, EPROTO, "TLS", why);
		return -1;
	}
	dot.open = 1;
	dot.srv = q->srv[0];
	last_tls = &dot.info;
	return 0;
}

/* exactly n bytes: 1, 0 at EOF before the first, -1 (errno; EPIPE: EOF part-way) */
static int
read_all(struct conn *c, uint8_t *p, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		if ((r = conn_read(c, p + got, n - got)) < 0)
			return -1;
		if (r == 0) {
			if (got == 0)
				return 0;
			errno = EPIPE;
			return -1;
		}
		got += (size_t)r;
	}
	return 1;
}

/* one exchange on the open connection: 0, -1 failed (q says), 1 closed before a byte */
static int
dot_exchange(struct dns_q *q, int64_t until)
{
	uint8_t len[2], msg[2 + DNS_QMAX];
	char why[300];
	size_t n;
	int r;

	dot.c.deadline = until;
	dot.c.idle = q->timeout;
	msg[0] = (uint8_t)(q->qlen >> 8);
	msg[1] = (uint8_t)q->qlen;
	memcpy(msg + 2, q->query, q->qlen);
	if (q->show)	/* -X: the query once the connection is there */
		q->show(q->show_arg, 0, q, q->query, q->qlen);
	q->sent = tb_now();
	if (conn_write(&dot.c, msg, q->qlen + 2) < 0) {
		if (errno == EPIPE || errno == ECONNRESET)
			return 1;
		failf(q, errno, "", strerror(errno));
		return -1;
	}
	if ((r = read_all(&dot.c, len, 2)) == 0)
		return 1;
	if (r > 0) {
		n = (size_t)len[0] << 8 | len[1];
		if (n < DNS_HDRLEN) {
			failf(q, EBADMSG, "", "answer shorter than a DNS header");
			return -1;
		}
		if ((r = read_all(&dot.c, q->reply, n)) > 0) {
			q->rlen = n;
			return 0;
		}
		/* EOF, or TLS saying the stream was cut (no close_notify) */
		snprintf(why, sizeof why, "the connection closed in the middle of the answer (%s)",
		    r == 0 || errno == EPIPE ? "end of stream" : tls_error(&dot.c) ?
		    tls_error(&dot.c) : strerror(errno));
		failf(q, EPIPE, "", why);
		return -1;
	}
	failf(q, errno, "", tls_error(&dot.c) ? tls_error(&dot.c) : strerror(errno));
	return -1;
}

static void
dot_ask(struct dns_q *q, const struct dns_stream_conf *sc, int64_t until)
{
	int tries, r = 1;

	if (dot.open && (dot.srv.port != q->srv[0].port || !tb_addr_eq(&dot.srv.addr,
	    &q->srv[0].addr)))
		dot_close();
	/* a kept connection the server closed meanwhile: once more on a new one */
	for (tries = 0; tries < 2 && r == 1; tries++) {
		int fresh = !dot.open;

		if (fresh && dot_connect(q, sc, until) < 0)
			return;
		if ((r = dot_exchange(q, until)) != 0)
			dot_close();
		if (r == 1 && fresh) {
			failf(q, EPIPE, "", "the server closed the connection without an answer");
			return;
		}
	}
}

static const char *
reason(const struct http_head *h, char *buf, size_t cap)
{
	size_t n = h->nreason < cap - 1 ? h->nreason : cap - 1;

	memcpy(buf, h->raw + h->reason, n);	/* tb_warn escapes the line */
	buf[n] = '\0';
	return buf;
}

/* the request head of a DoH query into req: its length, or -1 */
static int
doh_request(const struct dns_q *q, const struct dns_stream_conf *sc, const char *host,
    char *req, size_t cap)
{
	char b64[2 * DNS_QMAX];
	size_t n, i;
	int r;

	if (!sc->get)
		r = snprintf(req, cap, "POST %s HTTP/1.1\r\nHost: %s\r\n"
		    "Accept: application/dns-message\r\nContent-Type: application/dns-message\r\n"
		    "Content-Length: %zu\r\n\r\n", sc->path, host, q->qlen);
	else {
		/* base64url without padding (RFC 8484 §4.1, RFC 4648 §5) */
		n = b64_encode((uint8_t *)b64, sizeof b64 - 1, q->query, q->qlen, 0);
		while (n && b64[n - 1] == '=')
			n--;
		for (i = 0; i < n; i++)
			b64[i] = b64[i] == '+' ? '-' : b64[i] == '/' ? '_' : b64[i];
		b64[n] = '\0';
		r = snprintf(req, cap, "GET %s%sdns=%s HTTP/1.1\r\nHost: %s\r\n"
		    "Accept: application/dns-message\r\n\r\n", sc->path,
		    strchr(sc->path, '?') ? "&" : "?", b64, host);
	}
	return r < 0 || (size_t)r >= cap ? -1 : r;
}

/* the body (at most DNS_MAXMSG bytes) into q->reply: 0, or -1 with q failed */
static int
doh_body(struct dns_q *q, struct hs_conn *h, const struct http_framing *fr)
{
	char why[300];
	uint64_t got = 0;
	ssize_t r;
	int fd, code;

	if (fr->body == HTTP_BODY_LENGTH && fr->length > DNS_MAXMSG) {
		hs_close(h);
		failf(q, EBADMSG, "", "the answer is longer than a DNS message");
		return -1;
	}
	if ((fd = memfd_create("doh", MFD_CLOEXEC)) < 0) {
		failf(q, errno, "", strerror(errno));
		return -1;
	}
	code = hs_body(h, fr, fd, NULL, &got, why, sizeof why);
	if (code == 0 && got > DNS_MAXMSG) {
		code = EXIT_NET;
		snprintf(why, sizeof why, "the answer is longer than a DNS message");
	}
	if (code == 0 && (r = pread(fd, q->reply, (size_t)got, 0)) != (ssize_t)got) {
		code = EXIT_LOCAL;
		snprintf(why, sizeof why, "%s", strerror(errno));
	}
	close(fd);
	if (code != 0) {
		failf(q, code == EXIT_LOCAL ? EIO : EPIPE, "", why);
		return -1;
	}
	if (fr->body == HTTP_BODY_CLOSE && h->tls && h->open)
		hs_close(h);
	q->rlen = (size_t)got;
	return 0;
}

static void
doh_ask(struct dns_q *q, const struct dns_stream_conf *sc, int64_t until)
{
	char a[TB_ADDRSTRLEN], key[400], req[1400], why[400], rs[100];
	const char *host = sc->host ? sc->host : tb_addr_str(&q->srv[0].addr, a, sizeof a);
	struct http_framing fr;
	struct hs_conn *h;
	int reused, code, bad = 0, tries, len, r = HS_RETRY;
	int64_t first;

	hc = (struct hs_conf){ .lv = sc->lv, .connect_us = q->timeout,
	    .idle_us = q->timeout, .head_us = q->timeout, .deadline_us = until, .tls = sc->tls,
	    .tls_name = sc->host };
	hs_init(&hc);
	if ((len = doh_request(q, sc, host, req, sizeof req)) < 0) {
		failf(q, EINVAL, "", "the request is too long");
		return;
	}
	tb_addr_str(&q->srv[0].addr, a, sizeof a);
	snprintf(key, sizeof key, "https|%s|%u", a, q->srv[0].port);
	for (tries = 0; tries < 2 && r == HS_RETRY; tries++) {
		if ((h = hs_get(key, a, q->srv[0].port, 1, &reused, &code, why, sizeof why)) == NULL) {
			failf(q, code == EXIT_LOCAL ? EINVAL : EPROTO, "", why);
			return;
		}
		if (q->show)
			q->show(q->show_arg, 0, q, q->query, q->qlen);
		q->sent = tb_now();
		if (hs_send(h, req, (size_t)len) < 0 ||
		    (!sc->get && conn_write(&h->c, q->query, q->qlen) < 0)) {
			hs_close(h);
			if (reused)
				continue;
			failf(q, errno, "", strerror(errno));
			return;
		}
		r = hs_head(h, &head, reused, 0, &bad, &first, why, sizeof why);
		last_tls = &h->tinfo;
	}
	if (r != 0) {
		failf(q, EPIPE, "", r == HS_RETRY ? "the server closed the connection" : why);
		return;
	}
	if (head.status != 200) {
		hs_close(h);
		snprintf(why, sizeof why, "HTTP status %d %s", head.status, reason(&head, rs, sizeof rs));
		failf(q, EPROTO, "", why);
		return;
	}
	if (http_framing(&head, 0, &fr) != 0) {
		hs_close(h);
		failf(q, EBADMSG, "", "malformed response framing");
		return;
	}
	doh_body(q, h, &fr);
}

void
dns_stream_ask(struct dns_q *q, const struct dns_stream_conf *sc)
{
	int64_t until = tb_now() + q->timeout;

	q->err = 0;
	q->why = NULL;
	q->rlen = 0;
	q->srvi = 0;
	q->from = &q->srv[0];
	q->used_tcp = 1;
	q->state = DNSQ_WAIT;
	if (sc->https)
		doh_ask(q, sc, until);
	else
		dot_ask(q, sc, until);
	if (q->err)
		return;
	q->rtt = tb_now() - q->sent;
	q->state = DNSQ_DONE;
	if (q->show)
		q->show(q->show_arg, 1, q, q->reply, q->rlen);
	if (!dnsq_matches(q, q->reply, q->rlen))
		fail(q, EBADMSG, "the answer does not match the query (ID or question)");
}
