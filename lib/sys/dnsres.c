/*
 * dnsres.c - the DNS half of the stub resolver: resolv.conf, the query
 * engine (also dig-lite's), and resolv_dns / resolv_dns_mx /
 * resolv_dns_ptr behind tb_resolve*.
 *
 * Each query has its own connected UDP socket on a port the kernel
 * picks (or, in a batch, a socket shared through the mux, below), a
 * random ID from getrandom(2), and accepts a reply only from
 * the server's address and port, with its ID, QR set and the question
 * echoed (RFC 5452).  TC moves the query to TCP (RFC 7766); FORMERR or
 * NOTIMP to a query with OPT retries once without it (RFC 6891 §7).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dns.h"
#include "dnsnet.h"
#include "resolv.h"
#include "tubes.h"
#include "wire.h"

/* --- resolv.conf -------------------------------------------------------- */

void
dns_conf_default(struct dns_conf *c)
{
	memset(c, 0, sizeof *c);
	c->ndots = 1;
	c->timeout = 5000000;
	c->attempts = 2;
}

static const char *
word(const char **pp, size_t *len)
{
	const char *p = *pp, *s;

	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	s = p;
	while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
		p++;
	*len = (size_t)(p - s);
	*pp = p;
	return *len ? s : NULL;
}

static int
opt_num(const char *w, size_t n, const char *key, int max, int *out)
{
	size_t kl = strlen(key);
	char buf[16];
	long long v;

	if (n <= kl || strncmp(w, key, kl) != 0 || n - kl >= sizeof buf)
		return 0;
	memcpy(buf, w + kl, n - kl);
	buf[n - kl] = '\0';
	if (tb_num(buf, 0, 1000000, &v) == 0)
		*out = v > max ? max : (int)v;
	return 1;
}

void
dns_conf_parse(struct dns_conf *c, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *w, *eol = strchr(p, '\n');
		size_t n;

		if (eol == NULL)
			eol = p + strlen(p);
		if ((w = word(&p, &n)) == NULL || *w == '#' || *w == ';') {
			p = *eol ? eol + 1 : eol;
			continue;
		}
		if (n == 10 && strncmp(w, "nameserver", 10) == 0) {
			char a[TB_ADDRSTRLEN];

			if ((w = word(&p, &n)) != NULL && n < sizeof a && c->nns < DNS_MAXNS) {
				char *hash;
				long long port = 53;

				memcpy(a, w, n);
				a[n] = '\0';
				/* ADDR#PORT (BIND's notation) lets tests use a peer's own port */
				if ((hash = strchr(a, '#')) != NULL) {
					*hash = '\0';
					if (tb_num(hash + 1, 1, 65535, &port) < 0)
						port = -1;
				}
				if (port > 0 && tb_addr_parse(a, &c->ns[c->nns].addr) == 0)
					c->ns[c->nns++].port = (uint16_t)port;
			}
		} else if ((n == 6 && strncmp(w, "search", 6) == 0) ||
		    (n == 6 && strncmp(w, "domain", 6) == 0)) {
			c->nsearch = 0;	/* the last of search/domain wins, as in glibc */
			while (p < eol && (w = word(&p, &n)) != NULL && c->nsearch < DNS_MAXSEARCH) {
				if (n >= sizeof c->search[0])
					continue;
				memcpy(c->search[c->nsearch], w, n);
				c->search[c->nsearch++][n] = '\0';
			}
		} else if (n == 7 && strncmp(w, "options", 7) == 0) {
			while (p < eol && (w = word(&p, &n)) != NULL) {
				int v;

				if (opt_num(w, n, "ndots:", 15, &c->ndots))
					continue;
				if (opt_num(w, n, "timeout:", 30, &v)) {
					c->timeout = (int64_t)(v ? v : 1) * 1000000;
					continue;
				}
				if (opt_num(w, n, "attempts:", 5, &c->attempts)) {
					if (c->attempts < 1)
						c->attempts = 1;
					continue;
				}
				if (n == 6 && strncmp(w, "rotate", 6) == 0)
					c->rotate = 1;
			}
		}
		p = *eol ? eol + 1 : eol;
	}
}

int
dns_conf_load(struct dns_conf *c)
{
	const char *path = getenv("TUBES_RESOLV_CONF");
	char buf[8192];

	dns_conf_default(c);
	if (path == NULL || *path == '\0')
		path = "/etc/resolv.conf";
	tb_read_small(path, buf, sizeof buf);	/* none: the defaults */
	dns_conf_parse(c, buf);
	if (c->nns == 0) {
		tb_addr_parse("127.0.0.1", &c->ns[0].addr);
		c->ns[0].port = 53;
		c->nns = 1;
	}
	return 0;
}

/* --- the query engine ------------------------------------------------- */

/*
 * 16-bit IDs from getrandom(2), fetched 256 at a time: a batch of
 * queries costs one system call per 256 IDs, not one each.
 */
static int
random_id(uint16_t *id)
{
	static uint8_t pool[512];
	static size_t left;

	if (left < 2) {
		if (tb_random(pool, sizeof pool) < 0)
			return -1;
		left = sizeof pool;
	}
	left -= 2;
	*id = get16(pool + left);
	memset(pool + left, 0, 2);	/* used once */
	return 0;
}

int
dnsq_prepare(struct dns_q *q, struct dns_query *dq)
{
	uint16_t id;

	if (random_id(&id) < 0)
		return -1;
	dq->id = id;
	q->qlen = dns_build_query(dq, q->query, sizeof q->query);
	q->state = DNSQ_IDLE;
	q->fd = -1;
	q->sock = q->mi = -1;
	q->err = 0;
	q->why = NULL;
	q->rlen = 0;
	q->used_tcp = q->noedns = 0;
	q->ignored = 0;
	q->from = NULL;
	return q->qlen ? 0 : -1;
}


void
dnsq_close(struct dns_q *q)
{
	if (q->mux && q->sock >= 0)
		q->mux->release(q);
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
}

static void
finish(struct dns_q *q, int err, const char *why)
{
	dnsq_close(q);
	q->err = err;
	q->why = why;
	q->state = DNSQ_DONE;
}

/* a fresh ID for a resend that changes the query (no EDNS) */
static void
new_id(struct dns_q *q)
{
	uint16_t id;

	if (random_id(&id) == 0)
		put16(q->query + DNS_OFF_ID, id);
}

/* a UDP socket connected to s, port chosen by the kernel; -1 with errno */
static int
udp_socket(const struct dns_server *s)
{
	struct sockaddr_storage ss;
	unsigned sl = tb_sockaddr(&s->addr, s->port, &ss);
	int fd = socket(s->addr.family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}


/* room for an n-byte reply at q->reply (see rcap); -1: out of memory */
static int
reply_room(struct dns_q *q, size_t n)
{
	uint8_t *p;

	if (q->rcap == 0 || n <= q->rcap)
		return 0;
	if ((p = tb_realloc(q->reply, DNS_MAXMSG)) == NULL)
		return -1;
	q->reply = p;
	q->rcap = DNS_MAXMSG;
	return 0;
}

/* send on a connected UDP socket of its own, or the mux's; -1 on a local error */
static int
udp_send(struct dns_q *q)
{
	dnsq_close(q);
	if (q->mux)
		return q->mux->send(q);
	if ((q->fd = udp_socket(&q->srv[q->srvi])) < 0)
		return -1;
	q->sent = tb_now();
	q->until = q->sent + q->timeout;
	if (q->show)
		q->show(q->show_arg, 0, q, q->query, q->qlen);
	if (send(q->fd, q->query, q->qlen, 0) < 0)
		return -1;
	return 0;
}

/* move to the next server / round; returns 0 if sent, 1 if out of tries */
static int
next_try(struct dns_q *q, int err, const char *why)
{
	for (;;) {
		q->attempt++;
		if (q->attempt >= q->nsrv * q->tries) {
			finish(q, err, why);
			return 1;
		}
		q->srvi = (q->first + q->attempt) % q->nsrv;
		if (udp_send(q) == 0)
			return 0;
		err = errno;
		why = strerror(err);
	}
}

static int
wait_fd(int fd, short ev, int64_t until)
{
	struct pollfd p = { fd, ev, 0 };
	int r;

	do
		r = poll(&p, 1, tb_ms_until(until));
	while (r < 0 && errno == EINTR);
	if (r == 0)
		errno = ETIMEDOUT;
	return r > 0 ? 0 : -1;
}

/* read exactly n bytes before until; -1 with errno (EPIPE at EOF part-way) */
static int
read_full(int fd, uint8_t *p, size_t n, int64_t until)
{
	while (n) {
		ssize_t r;

		if (wait_fd(fd, POLLIN, until) < 0)
			return -1;
		r = read(fd, p, n);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r < 0)
			return -1;
		if (r == 0) {
			errno = EPIPE;
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* does the reply answer our query: ID, QR, and the question echoed? */
int
dnsq_matches(const struct dns_q *q, const uint8_t *r, size_t n)
{
	struct dns_name a, b;
	size_t qe, re;

	if (n < DNS_HDRLEN || get16(r) != get16(q->query) || !(get16(r + 2) & DNS_QR))
		return 0;
	if (get16(r + DNS_OFF_QD) != 1)
		return 0;
	if (dns_name_read(q->query, q->qlen, DNS_HDRLEN, q->qlen, &a, &qe) != DNS_OK ||
	    dns_name_read(r, n, DNS_HDRLEN, n, &b, &re) != DNS_OK || re + 4 > n)
		return 0;
	return dns_name_eq(&a, &b) && memcmp(q->query + qe, r + re, 4) == 0;
}

/* DNS-11: exactly the 2-byte length, then exactly that many bytes */
ssize_t
dns_tcp_read(int fd, uint8_t *buf, int64_t until)
{
	uint8_t lenb[2];
	size_t n;

	if (read_full(fd, lenb, 2, until) < 0)
		return -1;
	n = get16(lenb);
	if (n < DNS_HDRLEN) {
		errno = EBADMSG;
		return -1;
	}
	if (read_full(fd, buf, n, until) < 0)
		return -1;
	return (ssize_t)n;
}

/* the same query over TCP to the server that answered; 0 or -1 (q finished) */
static int
tcp_exchange(struct dns_q *q)
{
	const struct dns_server *s = &q->srv[q->srvi];
	struct sockaddr_storage ss;
	unsigned sl = tb_sockaddr(&s->addr, s->port, &ss);
	uint8_t lenb[2];
	int64_t until = tb_now() + q->timeout;
	ssize_t r;
	size_t n;
	int err = 0;
	socklen_t el = sizeof err;

	dnsq_close(q);
	q->used_tcp = 1;
	q->fd = socket(s->addr.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (q->fd < 0)
		goto fail;
	if (connect(q->fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS)
		goto fail;
	if (wait_fd(q->fd, POLLOUT, until) < 0)
		goto fail;
	if (getsockopt(q->fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0 || err) {
		errno = err ? err : EIO;
		goto fail;
	}
	q->sent = tb_now();
	if (q->show)
		q->show(q->show_arg, 0, q, q->query, q->qlen);
	put16(lenb, (uint16_t)q->qlen);
	{
		uint8_t out[DNS_QMAX + 2];

		memcpy(out, lenb, 2);
		memcpy(out + 2, q->query, q->qlen);
		if (wait_fd(q->fd, POLLOUT, until) < 0 ||
		    send(q->fd, out, q->qlen + 2, MSG_NOSIGNAL) != (ssize_t)(q->qlen + 2))
			goto fail;
	}
	/* a TCP answer may be any size: the whole buffer (rare: TC, +tcp) */
	if (reply_room(q, DNS_MAXMSG) < 0) {
		finish(q, ENOMEM, "out of memory");
		return -1;
	}
	r = dns_tcp_read(q->fd, q->reply, until);
	if (r < 0) {
		if (errno == EBADMSG) {
			finish(q, EBADMSG, "TCP reply length too short");
			return -1;
		}
		if (errno == EPIPE) {
			finish(q, EBADMSG, "TCP reply cut short");
			return -1;
		}
		goto fail;
	}
	n = (size_t)r;
	q->rtt = tb_now() - q->sent;
	q->rlen = n;
	if (q->show)
		q->show(q->show_arg, 1, q, q->reply, n);
	if (!dnsq_matches(q, q->reply, n)) {
		finish(q, EBADMSG, "TCP reply does not match the query");
		return -1;
	}
	return 0;
fail:
	err = errno;
	finish(q, err, err == ETIMEDOUT ? "timed out (TCP)" : strerror(err));
	return -1;
}

/* an accepted reply: check it parses, handle TC and FORMERR-to-EDNS */
static void
accept_reply(struct dns_q *q)
{
	struct dns_msg m;
	uint16_t fl = get16(q->reply + 2);
	int e;

	q->from = &q->srv[q->srvi];
	if ((fl & DNS_TC) && !q->used_tcp && !q->notc) {
		if (tcp_exchange(q) < 0)
			return;
		fl = get16(q->reply + 2);
	}
	e = dns_parse(&m, q->reply, q->rlen);
	if ((DNS_RCODE(fl) == DNS_R_FORMERR || DNS_RCODE(fl) == DNS_R_NOTIMP) &&
	    !q->noedns && get16(q->query + DNS_OFF_AR) == 1 && (e != DNS_OK || !m.edns)) {
		/* RFC 6891 §7: once more without the OPT record */
		q->noedns = 1;
		q->qlen -= 11;
		put16(q->query + DNS_OFF_AR, 0);
		new_id(q);
		if (q->used_tcp) {
			tcp_exchange(q);
			if (q->state == DNSQ_DONE)
				return;
			e = dns_parse(&m, q->reply, q->rlen);
		} else {
			if (udp_send(q) < 0)
				next_try(q, errno, strerror(errno));
			return;
		}
	}
	if (e != DNS_OK) {
		finish(q, EBADMSG, dns_strerror(e));
		return;
	}
	finish(q, 0, NULL);
}

void
dnsq_start(struct dns_q *q)
{
	q->attempt = 0;
	q->srvi = q->first % (q->nsrv ? q->nsrv : 1);
	q->state = DNSQ_WAIT;
	if (q->nsrv <= 0) {
		finish(q, EINVAL, "no name servers");
		return;
	}
	if (q->tries < 1)
		q->tries = 1;
	if (q->tcp) {
		while (tcp_exchange(q) < 0) {
			if (q->err == EBADMSG || ++q->attempt >= q->nsrv * q->tries)
				return;
			q->srvi = (q->first + q->attempt) % q->nsrv;
			q->state = DNSQ_WAIT;
		}
		accept_reply(q);
		return;
	}
	if (udp_send(q) < 0)
		next_try(q, errno, strerror(errno));
}

int
dnsq_fd(const struct dns_q *q)
{
	return q->state == DNSQ_WAIT ? q->fd : -1;
}

int64_t
dnsq_deadline(const struct dns_q *q)
{
	return q->state == DNSQ_WAIT ? q->until : -1;
}

void
dnsq_step(struct dns_q *q, int readable)
{
	if (q->state != DNSQ_WAIT || q->mux)
		return;
	if (readable && reply_room(q, DNS_MAXMSG) < 0) {
		finish(q, ENOMEM, "out of memory");
		return;
	}
	while (readable) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		struct tb_addr fa;
		uint16_t fport;
		ssize_t n;

		/* DNS-19: MSG_TRUNC tells the real size of anything bigger */
		n = recvfrom(q->fd, q->reply, DNS_MAXMSG, MSG_TRUNC, (struct sockaddr *)&ss, &sl);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				break;
			/* ECONNREFUSED: nothing listens there; next server */
			next_try(q, errno, strerror(errno));
			return;
		}
		/* DNS-14: the connected socket filters, and we check again */
		if (tb_from_sockaddr((struct sockaddr *)&ss, &fa, &fport) < 0 ||
		    !tb_addr_eq(&fa, &q->srv[q->srvi].addr) || fport != q->srv[q->srvi].port ||
		    n > DNS_MAXMSG || n == 0) {
			q->ignored++;
			continue;
		}
		if (q->show)
			q->show(q->show_arg, 1, q, q->reply, (size_t)n);
		/* DNS-12, 13, 16: not our ID / question: ignore, keep waiting */
		if (!dnsq_matches(q, q->reply, (size_t)n)) {
			q->ignored++;
			continue;
		}
		q->rtt = tb_now() - q->sent;
		q->rlen = (size_t)n;
		accept_reply(q);
		return;
	}
	if (q->state == DNSQ_WAIT && tb_now() >= q->until)
		next_try(q, ETIMEDOUT, "timed out");
}

void
dnsq_run(struct dns_q **qs, int n, volatile int *stop)
{
	struct pollfd pf[64];
	int i;

	for (i = 0; i < n; i++)
		if (qs[i]->state == DNSQ_IDLE)
			dnsq_start(qs[i]);
	for (;;) {
		int64_t dl = -1;
		int k = 0, base = 0;

		if (stop && *stop)
			break;
		for (i = 0; i < n; i++)
			if (qs[i]->state == DNSQ_WAIT)
				dl = tb_earliest(dl, qs[i]->until);
		if (dl < 0)
			return;
		/* poll at most 64 at a time: more would be a caller's bug */
		for (i = 0; i < n && k < 64; i++) {
			pf[k].fd = dnsq_fd(qs[i]);
			pf[k].events = POLLIN;
			pf[k].revents = 0;
			k++;
		}
		if (poll(pf, (nfds_t)k, tb_ms_until(dl)) < 0 && errno != EINTR)
			return;
		for (i = base; i < k; i++)
			dnsq_step(qs[i], pf[i].revents != 0);
	}
	for (i = 0; i < n; i++)
		if (qs[i]->state == DNSQ_WAIT)
			finish(qs[i], EINTR, "interrupted");
}

/* --- the mux: shared sockets for a batch -------------------------------- */

static int mux_send(struct dns_q *);
static void mux_release(struct dns_q *);

void
dns_mux_init(struct dns_mux *m)
{
	int i;

	for (i = 0; i < DNS_MUX_SOCKS; i++) {
		m->s[i].fd = -1;
		m->s[i].sent = m->s[i].live = 0;
		m->s[i].retired = m->s[i].err = 0;
	}
	m->nfl = 0;
	m->reuse = 0;
	m->ignored = m->opened = 0;
	m->wake_fd = -1;
	m->send = mux_send;
	m->release = mux_release;
}

static void
sock_close(struct dns_msock *k)
{
	close(k->fd);
	k->fd = -1;
	k->sent = k->live = 0;
	k->retired = k->err = 0;
}

static int
same_srv(const struct dns_server *a, const struct dns_server *b)
{
	return a->port == b->port && tb_addr_eq(&a->addr, &b->addr);
}

/*
 * The socket for a query to s: the server's current one, or after
 * `reuse` queries a fresh one (a fresh port; the old one is closed once
 * nothing waits on it).  -1 with errno.
 */
static int
mux_sock(struct dns_mux *m, const struct dns_server *s)
{
	unsigned reuse = m->reuse ? m->reuse : DNS_MUX_REUSE;
	int i, cur = -1, fr = -1, fd;

	for (i = 0; i < DNS_MUX_SOCKS; i++) {
		if (m->s[i].fd < 0) {
			if (fr < 0)
				fr = i;
		} else if (!m->s[i].retired && same_srv(&m->s[i].srv, s)) {
			cur = i;
		}
	}
	if (cur >= 0 && (m->s[cur].sent < reuse || fr < 0))
		return cur;	/* (no room for another: keep the old port a while) */
	if (fr < 0) {
		errno = EMFILE;
		return -1;
	}
	if ((fd = udp_socket(s)) < 0)
		return cur >= 0 ? cur : -1;
	m->opened++;
	m->s[fr].fd = fd;
	m->s[fr].srv = *s;
	m->s[fr].sent = m->s[fr].live = 0;
	m->s[fr].retired = m->s[fr].err = 0;
	if (cur >= 0) {
		m->s[cur].retired = 1;
		if (m->s[cur].live == 0)
			sock_close(&m->s[cur]);
	}
	return fr;
}

static void
mux_release(struct dns_q *q)
{
	struct dns_mux *m = q->mux;
	struct dns_msock *k = &m->s[q->sock];

	m->fl[q->mi] = m->fl[--m->nfl];
	m->fl[q->mi]->mi = q->mi;
	q->sock = q->mi = -1;
	if (--k->live == 0 && k->retired)
		sock_close(k);
}

/* the query waiting on socket i with this ID, or NULL */
static struct dns_q *
mux_find(const struct dns_mux *m, int i, uint16_t id)
{
	int j;

	for (j = 0; j < m->nfl; j++)
		if (m->fl[j]->sock == i && get16(m->fl[j]->query) == id)
			return m->fl[j];
	return NULL;
}

static int
mux_send(struct dns_q *q)
{
	struct dns_mux *m = q->mux;
	int i, n = 0;

	if (m->nfl >= DNS_MUX_MAX) {
		errno = ENOBUFS;
		return -1;
	}
	if ((i = mux_sock(m, &q->srv[q->srvi])) < 0)
		return -1;
	/* IDs unique among the queries waiting on this socket */
	while (mux_find(m, i, get16(q->query)) != NULL) {
		if (++n > 1000) {
			errno = EAGAIN;
			return -1;
		}
		new_id(q);
	}
	q->sock = i;
	q->mi = m->nfl;
	m->fl[m->nfl++] = q;
	m->s[i].live++;
	m->s[i].sent++;
	q->sent = tb_now();
	q->until = q->sent + q->timeout;
	if (q->show)
		q->show(q->show_arg, 0, q, q->query, q->qlen);
	if (send(m->s[i].fd, q->query, q->qlen, 0) < 0) {
		/*
		 * ICMP unreachable for an earlier query on this socket: the
		 * server's port is closed for all of them (dns_mux_run)
		 */
		if (errno == ECONNREFUSED)
			m->s[i].err = errno;
		return -1;
	}
	return 0;
}

/* one datagram n bytes long (real size: MSG_TRUNC) from ss on socket i */
static void
mux_datagram(struct dns_mux *m, int i, const uint8_t *p, size_t n,
    const struct sockaddr_storage *ss)
{
	struct tb_addr fa;
	uint16_t fport;
	struct dns_q *q;

	/* DNS-14: the connected socket filters, and we check again */
	if (tb_from_sockaddr((const struct sockaddr *)ss, &fa, &fport) < 0 ||
	    !tb_addr_eq(&fa, &m->s[i].srv.addr) || fport != m->s[i].srv.port ||
	    n > DNS_MAXMSG || n < DNS_HDRLEN ||
	    (q = mux_find(m, i, get16(p))) == NULL) {
		m->ignored++;	/* DNS-12, 16: no query waits for this ID here */
		return;
	}
	if (q->show)
		q->show(q->show_arg, 1, q, p, n);
	/* DNS-13: the ID of a waiting query but not its question */
	if (!dnsq_matches(q, p, n)) {
		q->ignored++;
		m->ignored++;
		return;
	}
	q->rtt = tb_now() - q->sent;
	if (reply_room(q, n) < 0) {
		finish(q, ENOMEM, "out of memory");
		return;
	}
	memcpy(q->reply, p, n);
	q->rlen = n;
	accept_reply(q);
}

/* every query waiting on socket i to its next try (the socket failed) */
static void
mux_fail(struct dns_mux *m, int i, int err)
{
	struct dns_q *qs[DNS_MUX_MAX];
	int j, n = 0;

	for (j = 0; j < m->nfl; j++)
		if (m->fl[j]->sock == i)
			qs[n++] = m->fl[j];
	for (j = 0; j < n; j++)
		if (qs[j]->state == DNSQ_WAIT && qs[j]->sock == i)
			next_try(qs[j], err, strerror(err));
}

/* take what socket i holds; the number of datagrams */
static int
mux_drain(struct dns_mux *m, int i)
{
	struct mmsghdr mh[DNS_MUX_VLEN];
	struct iovec iov[DNS_MUX_VLEN];
	struct sockaddr_storage ss[DNS_MUX_VLEN];
	int got = 0, r, j;

	do {
		if (m->s[i].fd < 0)
			break;
		for (j = 0; j < DNS_MUX_VLEN; j++) {
			iov[j].iov_base = m->buf[j];
			iov[j].iov_len = DNS_MAXMSG;
			memset(&mh[j], 0, sizeof mh[j]);
			mh[j].msg_hdr.msg_name = &ss[j];
			mh[j].msg_hdr.msg_namelen = sizeof ss[j];
			mh[j].msg_hdr.msg_iov = &iov[j];
			mh[j].msg_hdr.msg_iovlen = 1;
		}
		/* DNS-19: MSG_TRUNC tells the real size of anything bigger */
		r = recvmmsg(m->s[i].fd, mh, DNS_MUX_VLEN, MSG_TRUNC, NULL);
		if (r < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				mux_fail(m, i, errno);	/* ECONNREFUSED: nothing listens */
			break;
		}
		for (j = 0; j < r; j++)
			mux_datagram(m, i, m->buf[j], (mh[j].msg_hdr.msg_flags & MSG_TRUNC) ?
			    (size_t)DNS_MAXMSG + 1 : mh[j].msg_len, &ss[j]);
		got += r;
	} while (r == DNS_MUX_VLEN);
	return got;
}

void
dns_mux_run(struct dns_mux *m, int64_t until)
{
	struct pollfd pf[DNS_MUX_SOCKS + 1];
	struct dns_q *late[DNS_MUX_MAX];
	int idx[DNS_MUX_SOCKS];
	int i, j, k = 0, got = 0, nl = 0;
	int64_t now;

	if (m->nfl == 0)
		return;
	for (i = 0; i < DNS_MUX_SOCKS; i++)
		if (m->s[i].fd >= 0 && m->s[i].err) {
			int e = m->s[i].err;

			m->s[i].err = 0;
			mux_fail(m, i, e);
			got++;
		}
	for (i = 0; i < DNS_MUX_SOCKS; i++)
		if (m->s[i].fd >= 0 && m->s[i].live)
			got += mux_drain(m, i);
	if (!got && m->nfl) {
		int64_t dl = until;

		for (j = 0; j < m->nfl; j++)
			dl = tb_earliest(dl, m->fl[j]->until);
		for (i = 0; i < DNS_MUX_SOCKS; i++)
			if (m->s[i].fd >= 0 && m->s[i].live) {
				pf[k].fd = m->s[i].fd;
				pf[k].events = POLLIN;
				pf[k].revents = 0;
				idx[k++] = i;
			}
		/* the caller's input: a new line ends the wait, to be started at once */
		pf[k].fd = m->wake_fd;	/* poll ignores a negative fd */
		pf[k].events = POLLIN;
		pf[k].revents = 0;
		if (poll(pf, (nfds_t)k + 1, tb_ms_until(dl)) > 0)
			for (j = 0; j < k; j++)
				if (pf[j].revents)
					mux_drain(m, idx[j]);
	}
	now = tb_now();
	for (j = 0; j < m->nfl; j++)
		if (now >= m->fl[j]->until)
			late[nl++] = m->fl[j];
	for (j = 0; j < nl; j++)
		if (late[j]->state == DNSQ_WAIT && late[j]->sock >= 0)
			next_try(late[j], ETIMEDOUT, "timed out");
}

void
dns_mux_close(struct dns_mux *m)
{
	int i;

	while (m->nfl)
		finish(m->fl[m->nfl - 1], EINTR, "interrupted");
	for (i = 0; i < DNS_MUX_SOCKS; i++)
		if (m->s[i].fd >= 0)
			sock_close(&m->s[i]);
}

int
dnsq_rcode(const struct dns_q *q)
{
	struct dns_msg m;

	if (q->err || dns_parse(&m, q->reply, q->rlen) != DNS_OK)
		return -1;
	return m.rcode;
}

int
dnsq_once(struct dns_q *q, struct dns_query *dq)
{
	struct dns_q *qs[1] = { q };

	if (dnsq_prepare(q, dq) < 0)
		return -1;
	dnsq_run(qs, 1, NULL);
	return 0;
}

/* --- the resolver ------------------------------------------------------- */

static struct dns_conf conf;
static int conf_loaded;
static unsigned rotor;
static struct layers *res_lv;
static dnsq_show_fn *res_showfn;

static void
res_show(void *arg, int dir, const struct dns_q *q, const uint8_t *p, size_t n)
{
	const struct dns_server *s = &q->srv[q->srvi];
	char a[TB_ADDRSTRLEN];

	(void)arg;
	lv_packet(res_lv, "resolver: %s %zu bytes %s %s#%u (%s)", dir ? "received" : "sent", n,
	    dir ? "from" : "to", tb_addr_str(&s->addr, a, sizeof a), s->port,
	    q->used_tcp ? "TCP" : "UDP");
	dns_transport_layers(res_lv, q, dir, n, q->used_tcp ? DNS_BY_TCP : DNS_BY_UDP);
	dns_layers(res_lv, p, n);
}

/* only a command that calls this links the DNS decoders in */
void
dns_resolver_layers(struct layers *lv)
{
	res_lv = lv;
	res_showfn = lv ? res_show : NULL;
}

static struct dns_conf *
getconf(void)
{
	if (!conf_loaded) {
		dns_conf_load(&conf);
		conf_loaded = 1;
		/* rotate: start at a random server, then round robin */
		if (conf.rotate && tb_random(&rotor, sizeof rotor) < 0)
			rotor = 0;
	}
	return &conf;
}

/*
 * The candidates of name in the order glibc tries them: a trailing dot
 * means only the name; with at least ndots dots the name first, then the
 * search list; otherwise the search list, then the name.
 */
static int
candidates(const struct dns_conf *c, const char *name, struct dns_name *out, int max)
{
	struct dns_name nm, dom;
	size_t len = strlen(name);
	int dots = 0, n = 0, i, abs = len && name[len - 1] == '.';
	const char *p;

	if (dns_name_from_str(name, &nm) != DNS_OK)
		return -1;
	for (p = name; *p; p++)
		dots += *p == '.';
	if (!abs && dots >= c->ndots && n < max)
		out[n++] = nm;
	if (!abs)
		for (i = 0; i < c->nsearch && n < max; i++)
			if (dns_name_from_str(c->search[i], &dom) == DNS_OK &&
			    dns_name_cat(&nm, &dom, &out[n]) == DNS_OK)
				n++;
	if ((abs || dots < c->ndots) && n < max)
		out[n++] = nm;
	return n;
}

struct lookup {
	struct dns_q q;
	struct dns_query dq;
	uint8_t buf[DNS_MAXMSG];
};

static void
lookup_init(struct lookup *l, struct dns_conf *c, const struct dns_name *nm, uint16_t type)
{
	memset(&l->dq, 0, sizeof l->dq);
	l->dq.flags = DNS_RD;
	l->dq.qname = *nm;
	l->dq.qtype = type;
	l->dq.qclass = DNS_C_IN;
	l->dq.edns_size = DNS_EDNS_SIZE;
	l->q.srv = c->ns;
	l->q.nsrv = c->nns;
	l->q.first = c->rotate ? (int)(rotor++ % (unsigned)c->nns) : 0;
	l->q.timeout = c->timeout;
	l->q.tries = c->attempts;
	l->q.tcp = l->q.notc = 0;
	l->q.reply = l->buf;
	l->q.show = res_showfn;
}

/* "ADDR" or "ADDR#PORT" (resolv.conf's own form) of a server, appended to b */
static void
server_str(const struct dns_server *s, char *b, size_t cap)
{
	char a[TB_ADDRSTRLEN];
	size_t l = strlen(b);

	tb_addr_str(&s->addr, a, sizeof a);
	if (s->port == 53)
		snprintf(b + l, cap - l, "%s", a);
	else
		snprintf(b + l, cap - l, "%s#%u", a, s->port);
}

/*
 * 0 answered (maybe empty), 1 NXDOMAIN, -1 failure; *why for failures
 * names the server and what it said ("127.0.0.1 answered REFUSED"), so
 * that a refusal by the name server never reads as a refused connection
 * to the host looked up.  The text is in a static buffer.
 */
static int
outcome(const struct dns_q *q, struct dns_msg *m, const char **why)
{
	static char wb[256];
	const char *rc;
	int i;

	wb[0] = '\0';
	*why = wb;
	if (q->err == ETIMEDOUT) {
		/* every server was tried in turn: name them all */
		snprintf(wb, sizeof wb, "no answer from ");
		for (i = 0; i < q->nsrv; i++) {
			if (i)
				strncat(wb, ", ", sizeof wb - strlen(wb) - 1);
			server_str(&q->srv[i], wb, sizeof wb);
		}
		strncat(wb, " (timed out)", sizeof wb - strlen(wb) - 1);
		return -1;
	}
	if (q->err == EINTR) {
		*why = "interrupted";
		return -1;
	}
	server_str(&q->srv[q->srvi], wb, sizeof wb);
	if (q->err) {
		snprintf(wb + strlen(wb), sizeof wb - strlen(wb), ": %s",
		    q->why ? q->why : strerror(q->err));
		return -1;
	}
	if (dns_parse(m, q->reply, q->rlen) != DNS_OK) {
		strncat(wb, " sent a malformed reply", sizeof wb - strlen(wb) - 1);
		return -1;
	}
	switch (m->rcode) {
	case DNS_R_NOERROR:
		return 0;
	case DNS_R_NXDOMAIN:
		return 1;
	case DNS_R_SERVFAIL:
		rc = "SERVFAIL";
		break;
	case DNS_R_REFUSED:
		rc = "REFUSED";
		break;
	default:
		snprintf(wb + strlen(wb), sizeof wb - strlen(wb), " answered rcode %u",
		    (unsigned)m->rcode);
		return -1;
	}
	snprintf(wb + strlen(wb), sizeof wb - strlen(wb), " answered %s", rc);
	return -1;
}

/*
 * Walk the answer section: follow the CNAME chain from the qname and
 * call fn for each record of the wanted type owned by the chain's end.
 */
typedef void rr_fn(void *arg, const struct dns_msg *, const struct dns_rr *, const struct dns_rdata *);

static int
walk(const struct dns_msg *m, uint16_t type, rr_fn *fn, void *arg)
{
	struct dns_name cur = m->qname;
	struct dns_rr rr;
	struct dns_rdata rd;
	int pass, found = 0;

	for (pass = 0; pass < 8; pass++) {
		size_t off = 0;
		unsigned idx = 0;
		int moved = 0;

		while (dns_rr_next(m, &off, &idx, &rr) && rr.section == DNS_SEC_ANSWER) {
			if (!dns_name_eq(&rr.name, &cur) || dns_rdata_get(m->buf, m->len, &rr, &rd))
				continue;
			if (rr.type == DNS_T_CNAME && type != DNS_T_CNAME) {
				cur = rd.name;
				moved = 1;
				break;
			}
		}
		if (!moved)
			break;
	}
	{
		size_t off = 0;
		unsigned idx = 0;

		while (dns_rr_next(m, &off, &idx, &rr) && rr.section == DNS_SEC_ANSWER) {
			if (rr.type != type || !dns_name_eq(&rr.name, &cur) ||
			    dns_rdata_get(m->buf, m->len, &rr, &rd) != DNS_OK)
				continue;
			fn(arg, m, &rr, &rd);
			found++;
		}
	}
	return found;
}

struct addrs {
	struct tb_addr *out;
	int max, n, family;
};

static void
add_addr(void *arg, const struct dns_msg *m, const struct dns_rr *rr, const struct dns_rdata *rd)
{
	struct addrs *a = arg;

	(void)m;
	if (a->n >= a->max)
		return;
	memset(&a->out[a->n], 0, sizeof a->out[a->n]);
	a->out[a->n].family = rr->type == DNS_T_A ? AF_INET : AF_INET6;
	memcpy(a->out[a->n].a, rd->addr, rr->type == DNS_T_A ? 4 : 16);
	a->n++;
}

/*
 * Ask for each candidate name in turn; for each, the types in types[]
 * together.  Returns 0 after a usable answer (the messages in ls[]),
 * 1 when every candidate is NXDOMAIN or NODATA, -1 on failure.
 */
static int
search(const char *name, const uint16_t *types, int ntypes, struct lookup **ls,
    int (*have)(struct lookup **, int, void *), void *arg, const char **why)
{
	struct dns_conf *c = getconf();
	struct dns_name cand[DNS_MAXSEARCH + 1];
	int nc = candidates(c, name, cand, DNS_MAXSEARCH + 1), i, t, nodata = 0, failed = 0;

	if (nc < 0) {
		*why = "invalid name";
		return 1;
	}
	for (i = 0; i < nc; i++) {
		struct dns_q *qs[2];
		int nx = 0, ok = 0;

		for (t = 0; t < ntypes; t++) {
			lookup_init(ls[t], c, &cand[i], types[t]);
			if (dnsq_prepare(&ls[t]->q, &ls[t]->dq) < 0) {
				*why = "cannot build the query";
				return -1;
			}
			qs[t] = &ls[t]->q;
		}
		/* a signal ends the lookup within a second (tubes(7) SIGNALS) */
		dnsq_run(qs, ntypes, (volatile int *)&tb_interrupted);
		for (t = 0; t < ntypes; t++) {
			struct dns_msg m;
			const char *w = NULL;
			int r = outcome(&ls[t]->q, &m, &w);

			if (r < 0) {
				failed = 1;
				*why = w;
				if (ls[t]->q.err == ETIMEDOUT || ls[t]->q.err == EINTR)
					return -1;	/* every server timed out, or a signal: stop here */
			} else if (r == 1) {
				nx++;
			} else {
				ok++;
			}
		}
		if (ok && have(ls, ntypes, arg))
			return 0;
		if (ok)
			nodata = 1;
		(void)nx;
	}
	if (failed)
		return -1;
	*why = nodata ? "no address for this name (NODATA)" : "no such name (NXDOMAIN)";
	return 1;
}

static int
have_addrs(struct lookup **ls, int n, void *arg)
{
	struct addrs *a = arg;
	int t;

	a->n = 0;
	for (t = 0; t < n; t++) {
		struct dns_msg m;

		if (ls[t]->q.err || dns_parse(&m, ls[t]->q.reply, ls[t]->q.rlen) != DNS_OK ||
		    m.rcode != DNS_R_NOERROR)
			continue;
		walk(&m, ls[t]->dq.qtype, add_addr, a);
	}
	return a->n > 0;
}

static struct lookup *
lookups(int n)
{
	struct lookup *l = tb_calloc((size_t)n, sizeof *l);

	return l;
}

int
resolv_dns(const char *name, int family, struct tb_addr *out, int max, const char **why)
{
	uint16_t types[2];
	struct lookup *l, *ls[2];
	struct addrs a = { out, max, 0, family };
	int nt = 0, r;

	if (family != AF_INET6)
		types[nt++] = DNS_T_A;
	if (family != AF_INET)
		types[nt++] = DNS_T_AAAA;
	if ((l = lookups(nt)) == NULL) {
		*why = "out of memory";
		return -2;
	}
	ls[0] = &l[0];
	ls[1] = &l[nt - 1];
	r = search(name, types, nt, ls, have_addrs, &a, why);
	tb_free(l);
	if (r == 0)
		return a.n;
	return r == 1 ? 0 : -1;
}

struct mxs {
	struct tb_mx *out;
	int max, n;
};

static void
add_mx(void *arg, const struct dns_msg *m, const struct dns_rr *rr, const struct dns_rdata *rd)
{
	struct mxs *x = arg;
	size_t len;

	(void)m;
	(void)rr;
	if (x->n >= x->max)
		return;
	x->out[x->n].pref = rd->u16[0];
	len = dns_name_str(&rd->name, x->out[x->n].host, sizeof x->out[x->n].host);
	if (len > 1 && len < sizeof x->out[x->n].host)
		x->out[x->n].host[len - 1] = '\0';	/* no trailing dot */
	x->n++;
}

static int
have_mx(struct lookup **ls, int n, void *arg)
{
	struct mxs *x = arg;
	struct dns_msg m;

	(void)n;
	x->n = 0;
	if (ls[0]->q.err || dns_parse(&m, ls[0]->q.reply, ls[0]->q.rlen) != DNS_OK)
		return 0;
	walk(&m, DNS_T_MX, add_mx, x);
	return x->n > 0;
}

int
resolv_dns_mx(const char *domain, struct tb_mx *out, int max, const char **why)
{
	static const uint16_t t[1] = { DNS_T_MX };
	struct lookup *l, *ls[1];
	struct mxs x = { out, max, 0 };
	int r, i, j;

	if ((l = lookups(1)) == NULL) {
		*why = "out of memory";
		return -2;
	}
	ls[0] = l;
	r = search(domain, t, 1, ls, have_mx, &x, why);
	tb_free(l);
	if (r != 0) {
		if (r == 1 && *why && strstr(*why, "NODATA"))
			*why = "no MX records (NODATA)";
		return r == 1 ? 0 : -1;
	}
	/* by preference; stable for equal ones */
	for (i = 1; i < x.n; i++)
		for (j = i; j > 0 && out[j - 1].pref > out[j].pref; j--) {
			struct tb_mx tmp = out[j];

			out[j] = out[j - 1];
			out[j - 1] = tmp;
		}
	return x.n;
}

struct ptr {
	char *name;
	size_t n;
	int found;
};

static void
add_ptr(void *arg, const struct dns_msg *m, const struct dns_rr *rr, const struct dns_rdata *rd)
{
	struct ptr *p = arg;
	size_t len;

	(void)m;
	(void)rr;
	if (p->found++)
		return;
	len = dns_name_str(&rd->name, p->name, p->n);
	if (len > 1 && len < p->n)
		p->name[len - 1] = '\0';
}

static int
have_ptr(struct lookup **ls, int n, void *arg)
{
	struct dns_msg m;

	(void)n;
	if (ls[0]->q.err || dns_parse(&m, ls[0]->q.reply, ls[0]->q.rlen) != DNS_OK)
		return 0;
	return walk(&m, DNS_T_PTR, add_ptr, arg) > 0;
}

int
resolv_dns_ptr(const struct tb_addr *a, char *name, size_t n)
{
	static const uint16_t t[1] = { DNS_T_PTR };
	struct lookup *l, *ls[1];
	struct dns_name rev;
	char text[DNS_NAMESTRLEN];
	struct ptr p = { name, n, 0 };
	const char *why;
	int r;

	if (n == 0)
		return -1;
	dns_name_reverse(a->a, a->family == AF_INET6, &rev);
	dns_name_str(&rev, text, sizeof text);	/* ends with a dot: no search */
	if ((l = lookups(1)) == NULL)
		return -1;
	ls[0] = l;
	r = search(text, t, 1, ls, have_ptr, &p, &why);
	tb_free(l);
	return r == 0 && p.found ? 0 : -1;
}
