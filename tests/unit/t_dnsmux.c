/*
 * t_dnsmux.c - the query engine's mux (dnsres.c): several queries in
 * flight on one shared, connected UDP socket.  A UDP socket of this
 * program on 127.0.0.1 plays the server: it reads the queries and sends
 * replies out of order, with another query's ID, twice, from another
 * port (DNS-12, 13, 14, 16 on a shared socket).  Also: IDs unique on a
 * socket, a fresh socket (port) after `reuse` queries (DNS-15), a
 * timeout's retry, and a reply bigger than the caller's small buffer.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dns.h"
#include "dnsnet.h"
#include "tap.h"
#include "tubes.h"
#include "wire.h"

#define NQ 8

static struct dns_mux mux;
static struct dns_server srv;
static int sfd;				/* the server's socket */
static struct dns_q q[NQ];
static struct dns_query dq[NQ];
static uint8_t rbuf[NQ][DNS_MAXMSG];

/* a query seen by the server */
struct seen {
	uint8_t b[DNS_QMAX];
	size_t n;
	struct sockaddr_in from;
};

static int
server_up(void)
{
	struct sockaddr_in a;
	socklen_t al = sizeof a;

	sfd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (sfd < 0 || bind(sfd, (struct sockaddr *)&a, sizeof a) < 0 ||
	    getsockname(sfd, (struct sockaddr *)&a, &al) < 0)
		return -1;
	memset(&srv, 0, sizeof srv);
	tb_addr_parse("127.0.0.1", &srv.addr);
	srv.port = ntohs(a.sin_port);
	return 0;
}

/* query i for NAME A, no EDNS (so an answer can be appended), on the mux */
static void
setup_q(int i, const char *name)
{
	memset(&q[i], 0, sizeof q[i]);
	memset(&dq[i], 0, sizeof dq[i]);
	dns_name_from_str(name, &dq[i].qname);
	dq[i].flags = DNS_RD;
	dq[i].qtype = DNS_T_A;
	dq[i].qclass = DNS_C_IN;
	q[i].srv = &srv;
	q[i].nsrv = 1;
	q[i].timeout = 2000000;
	q[i].tries = 1;
	q[i].reply = rbuf[i];
	q[i].mux = &mux;
	dnsq_prepare(&q[i], &dq[i]);
}

/* the server reads one query (waits up to 2 s); 0 or -1 */
static int
server_read(struct seen *s)
{
	struct pollfd p = { sfd, POLLIN, 0 };
	socklen_t al = sizeof s->from;
	ssize_t n;

	if (poll(&p, 1, 2000) != 1)
		return -1;
	n = recvfrom(sfd, s->b, sizeof s->b, 0, (struct sockaddr *)&s->from, &al);
	if (n < DNS_HDRLEN)
		return -1;
	s->n = (size_t)n;
	return 0;
}

/*
 * A reply to the query in s: its question, ID id, one A record addr4 of
 * `last` (192.0.2.last), padded with pad zero bytes after the record.
 * Returns its length.
 */
static size_t
reply_for(const struct seen *s, uint16_t id, uint8_t last, size_t pad, uint8_t *out)
{
	static const uint8_t rr[] = { 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 192, 0, 2 };
	size_t n = s->n;

	memcpy(out, s->b, n);
	put16(out, id);
	put16(out + 2, DNS_QR | DNS_RD | DNS_RA);
	put16(out + DNS_OFF_AN, 1);
	memcpy(out + n, rr, sizeof rr);
	n += sizeof rr;
	out[n++] = last;
	memset(out + n, 0, pad);
	return n + pad;
}

static void
server_send(const struct seen *to, const uint8_t *p, size_t n)
{
	sendto(sfd, p, n, 0, (const struct sockaddr *)&to->from, sizeof to->from);
}

/* the question name of a received query, as text */
static const char *
qname_of(const struct seen *s, char *buf, size_t n)
{
	struct dns_name nm;
	size_t end;

	if (dns_name_read(s->b, s->n, DNS_HDRLEN, s->n, &nm, &end) != DNS_OK)
		return "?";
	dns_name_str(&nm, buf, n);
	return buf;
}

/* which of the seen queries asks for name */
static int
find_seen(struct seen *s, int n, const char *name)
{
	char b[DNS_NAMESTRLEN];
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(qname_of(&s[i], b, sizeof b), name) == 0)
			return i;
	return -1;
}

/* run the mux until q[0..n-1] are all done or 3 s pass */
static void
run_until_done(int n)
{
	int64_t until = tb_now() + 3000000;
	int i, left;

	do {
		dns_mux_run(&mux, until);
		for (left = 0, i = 0; i < n; i++)
			left += q[i].state != DNSQ_DONE;
	} while (left && tb_now() < until);
}

/* the last octet of q's A record (the reply's last byte without padding) */
static int
answer_of(const struct dns_q *x)
{
	struct dns_msg m;
	struct dns_rr rr;
	size_t off = 0;
	unsigned idx = 0;

	if (x->state != DNSQ_DONE || x->err || dns_parse(&m, x->reply, x->rlen) != DNS_OK)
		return -1;
	while (dns_rr_next(&m, &off, &idx, &rr))
		if (rr.type == DNS_T_A && rr.rdlen == 4)
			return x->reply[rr.rdoff + 3];
	return -1;
}

int
main(void)
{
	static const char *names[NQ] = { "a.test.", "b.test.", "c.test.", "d.test.",
		"e.test.", "f.test.", "g.test.", "h.test." };
	uint8_t out[DNS_MAXMSG];

	if (server_up() < 0) {
		printf("1..0 # skip: no UDP socket on 127.0.0.1: %s\n", strerror(errno));
		return 0;
	}

	TEST("mux: three queries share one socket; replies in reverse order land on the right query") {
		struct seen s[3];
		int i, k;

		dns_mux_init(&mux);
		for (i = 0; i < 3; i++) {
			setup_q(i, names[i]);
			dnsq_start(&q[i]);
			CHECK_EQ(q[i].state, DNSQ_WAIT);
		}
		CHECK_EQ(mux.opened, 1);
		for (i = 0; i < 3; i++)
			CHECK_EQ(server_read(&s[i]), 0);
		CHECK(s[0].from.sin_port == s[1].from.sin_port);
		CHECK(s[1].from.sin_port == s[2].from.sin_port);
		/* answer c, b, a: the address tells which reply a query took */
		for (i = 2; i >= 0; i--) {
			k = find_seen(s, 3, names[i]);
			CHECK(k >= 0);
			if (k >= 0)
				server_send(&s[k], out, reply_for(&s[k], get16(s[k].b), (uint8_t)(10 + i), 0, out));
		}
		run_until_done(3);
		for (i = 0; i < 3; i++) {
			CHECK_EQ(q[i].state, DNSQ_DONE);
			CHECK_EQ(q[i].err, 0);
			CHECK_EQ(answer_of(&q[i]), 10 + i);
		}
		CHECK_EQ(mux.nfl, 0);
		CHECK_EQ(mux.ignored, 0);
		dns_mux_close(&mux);
	}

	TEST("DNS-12/13 on a shared socket: b's question with a's ID is taken by neither") {
		struct seen s[2];
		int ka, kb;

		dns_mux_init(&mux);
		setup_q(0, names[0]);
		setup_q(1, names[1]);
		dnsq_start(&q[0]);
		dnsq_start(&q[1]);
		CHECK_EQ(server_read(&s[0]), 0);
		CHECK_EQ(server_read(&s[1]), 0);
		ka = find_seen(s, 2, "a.test.");
		kb = find_seen(s, 2, "b.test.");
		CHECK(ka >= 0 && kb >= 0);
		if (ka >= 0 && kb >= 0) {
			/* hostile: b's question under a's ID, then b's ID under a's question */
			server_send(&s[kb], out, reply_for(&s[kb], get16(s[ka].b), 66, 0, out));
			server_send(&s[ka], out, reply_for(&s[ka], get16(s[kb].b), 67, 0, out));
			/* an ID no query has */
			server_send(&s[ka], out, reply_for(&s[ka],
			    (uint16_t)(get16(s[ka].b) ^ get16(s[kb].b) ^ 0x5a5a), 68, 0, out));
			dns_mux_run(&mux, tb_now() + 200000);
			dns_mux_run(&mux, tb_now() + 200000);
			CHECK_EQ(q[0].state, DNSQ_WAIT);
			CHECK_EQ(q[1].state, DNSQ_WAIT);
			CHECK_EQ(q[0].ignored, 1);
			CHECK_EQ(q[1].ignored, 1);
			/* the true replies, b first */
			server_send(&s[kb], out, reply_for(&s[kb], get16(s[kb].b), 2, 0, out));
			server_send(&s[ka], out, reply_for(&s[ka], get16(s[ka].b), 1, 0, out));
			run_until_done(2);
			CHECK_EQ(answer_of(&q[0]), 1);
			CHECK_EQ(answer_of(&q[1]), 2);
			CHECK(mux.ignored >= 3);
		}
		dns_mux_close(&mux);
	}

	TEST("DNS-16 on a shared socket: a duplicate after the answer is dropped, not given to the next query") {
		struct seen s[2];
		unsigned long ign;

		dns_mux_init(&mux);
		setup_q(0, names[0]);
		dnsq_start(&q[0]);
		CHECK_EQ(server_read(&s[0]), 0);
		server_send(&s[0], out, reply_for(&s[0], get16(s[0].b), 1, 0, out));
		run_until_done(1);
		CHECK_EQ(answer_of(&q[0]), 1);
		/* a new query for the same name on the same socket, then the duplicate */
		setup_q(1, names[0]);
		dnsq_start(&q[1]);
		CHECK_EQ(server_read(&s[1]), 0);
		CHECK(s[0].from.sin_port == s[1].from.sin_port);
		ign = mux.ignored;
		if (get16(s[0].b) != get16(s[1].b)) {
			server_send(&s[0], out, reply_for(&s[0], get16(s[0].b), 99, 0, out));
			dns_mux_run(&mux, tb_now() + 200000);
			CHECK_EQ(q[1].state, DNSQ_WAIT);
			CHECK_EQ(mux.ignored, ign + 1);
		}
		server_send(&s[1], out, reply_for(&s[1], get16(s[1].b), 2, 0, out));
		run_until_done(2);
		CHECK_EQ(answer_of(&q[1]), 2);
		dns_mux_close(&mux);
	}

	TEST("DNS-14 on a shared socket: the right ID and question from another port are not taken") {
		struct seen s;
		struct sockaddr_in a;
		int other = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		size_t n;

		dns_mux_init(&mux);
		setup_q(0, names[0]);
		dnsq_start(&q[0]);
		CHECK_EQ(server_read(&s), 0);
		memset(&a, 0, sizeof a);
		a.sin_family = AF_INET;
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		CHECK(other >= 0 && bind(other, (struct sockaddr *)&a, sizeof a) == 0);
		n = reply_for(&s, get16(s.b), 66, 0, out);
		sendto(other, out, n, 0, (struct sockaddr *)&s.from, sizeof s.from);
		dns_mux_run(&mux, tb_now() + 200000);
		CHECK_EQ(q[0].state, DNSQ_WAIT);
		server_send(&s, out, reply_for(&s, get16(s.b), 1, 0, out));
		run_until_done(1);
		CHECK_EQ(answer_of(&q[0]), 1);
		close(other);
		dns_mux_close(&mux);
	}

	TEST("mux: two queries with one ID on one socket: the second gets a fresh ID") {
		struct seen s[2];

		dns_mux_init(&mux);
		setup_q(0, names[0]);
		setup_q(1, names[1]);
		put16(q[1].query, get16(q[0].query));
		dnsq_start(&q[0]);
		dnsq_start(&q[1]);
		CHECK(get16(q[0].query) != get16(q[1].query));
		CHECK_EQ(server_read(&s[0]), 0);
		CHECK_EQ(server_read(&s[1]), 0);
		CHECK(get16(s[0].b) != get16(s[1].b));
		dns_mux_close(&mux);
		CHECK_EQ(q[0].state, DNSQ_DONE);
		CHECK_EQ(q[0].err, EINTR);
		CHECK_EQ(mux.nfl, 0);
	}

	TEST("DNS-15 on a shared socket: a fresh socket (port) after `reuse` queries; the old one closes when idle") {
		struct seen s[3];
		int i, k, old = -1, open_socks = 0;

		dns_mux_init(&mux);
		mux.reuse = 2;
		for (i = 0; i < 3; i++) {
			setup_q(i, names[i]);
			dnsq_start(&q[i]);
			CHECK_EQ(server_read(&s[i]), 0);
		}
		CHECK_EQ(mux.opened, 2);
		CHECK(s[0].from.sin_port == s[1].from.sin_port);
		CHECK(s[1].from.sin_port != s[2].from.sin_port);	/* both bound now */
		for (k = 0; k < DNS_MUX_SOCKS; k++)
			if (mux.s[k].fd >= 0 && mux.s[k].retired)
				old = k;
		CHECK(old >= 0);
		for (i = 0; i < 3; i++)
			server_send(&s[i], out, reply_for(&s[i], get16(s[i].b), (uint8_t)i, 0, out));
		run_until_done(3);
		for (i = 0; i < 3; i++)
			CHECK_EQ(answer_of(&q[i]), i);
		for (k = 0; k < DNS_MUX_SOCKS; k++)
			open_socks += mux.s[k].fd >= 0;
		CHECK_EQ(open_socks, 1);
		if (old >= 0)
			CHECK_EQ(mux.s[old].fd, -1);
		dns_mux_close(&mux);
	}

	TEST("mux: no reply to the first try: the second try on the mux is answered") {
		struct seen s[2];

		dns_mux_init(&mux);
		setup_q(0, names[0]);
		q[0].timeout = 100000;
		q[0].tries = 2;
		dnsq_start(&q[0]);
		CHECK_EQ(server_read(&s[0]), 0);	/* dropped */
		while (q[0].state == DNSQ_WAIT && q[0].attempt == 0)
			dns_mux_run(&mux, -1);
		CHECK_EQ(q[0].attempt, 1);
		CHECK_EQ(server_read(&s[1]), 0);
		server_send(&s[1], out, reply_for(&s[1], get16(s[1].b), 7, 0, out));
		run_until_done(1);
		CHECK_EQ(answer_of(&q[0]), 7);
		dns_mux_close(&mux);
	}

	TEST("mux: every try unanswered ends in ETIMEDOUT") {
		struct seen s;

		dns_mux_init(&mux);
		setup_q(0, names[0]);
		q[0].timeout = 50000;
		dnsq_start(&q[0]);
		CHECK_EQ(server_read(&s), 0);
		run_until_done(1);
		CHECK_EQ(q[0].state, DNSQ_DONE);
		CHECK_EQ(q[0].err, ETIMEDOUT);
		CHECK_EQ(mux.nfl, 0);
		dns_mux_close(&mux);
	}

	TEST("mux: a 600-byte reply into a 512-byte buffer (rcap) grows it") {
		struct seen s;
		uint8_t *small = tb_malloc(512);

		dns_mux_init(&mux);
		setup_q(0, names[0]);
		q[0].reply = small;
		q[0].rcap = 512;
		dnsq_start(&q[0]);
		CHECK_EQ(server_read(&s), 0);
		server_send(&s, out, reply_for(&s, get16(s.b), 5, 600, out));
		run_until_done(1);
		CHECK_EQ(q[0].err, 0);
		CHECK(q[0].rlen > 600);
		CHECK_EQ(q[0].rcap, DNS_MAXMSG);
		CHECK(q[0].reply != NULL);
		CHECK_EQ(q[0].reply[q[0].rlen - 601], 5);
		tb_free(q[0].reply);
		dns_mux_close(&mux);
	}

	close(sfd);
	return tap_done();
}
