/*
 * dnstransport.c - the -X view of what carries a DNS message: over UDP
 * the IP addresses and the UDP header (RFC 768) as far as a UDP socket
 * knows them -- the source port is the one the kernel picked at random
 * for the socket (getsockname), the length is the message's plus 8, and
 * the checksum and the rest of the IP header are the kernel's, which a
 * socket never sees, so they are labelled, not printed as 0; over TCP
 * (and inside TLS) the 2-byte length prefix of RFC 1035 4.2.2 / RFC 7766
 * section 8 as a field of its own.  Shown before the message's own view.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "dnsnet.h"
#include "tubes.h"

/* the socket q's message went out on, or -1 (a stream's: not known here) */
static int
query_fd(const struct dns_q *q)
{
	if (q->mux != NULL && !q->used_tcp)
		return q->sock >= 0 && q->sock < DNS_MUX_SOCKS ? q->mux->s[q->sock].fd : -1;
	return q->fd;
}

/* the local address and port of fd; 0, or -1 if it has none */
static int
local_end(int fd, struct tb_addr *a, uint16_t *port)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;

	if (fd < 0 || getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
		return -1;
	return tb_from_sockaddr((struct sockaddr *)&ss, a, port);
}

static void
udp_view(struct layers *lv, const struct dns_q *q, int dir, size_t n)
{
	const struct dns_server *s = &q->srv[q->srvi];
	struct tb_addr me;
	uint16_t myport = 0;
	char a[TB_ADDRSTRLEN], b[TB_ADDRSTRLEN];
	int known = local_end(query_fd(q), &me, &myport) == 0;

	if (!known)
		snprintf(a, sizeof a, "(not known: no socket)");
	else
		tb_addr_str(&me, a, sizeof a);
	tb_addr_str(&s->addr, b, sizeof b);
	if (s->addr.family == AF_INET6) {
		lv_layer(lv, "IPv6, 40 bytes header (built by the kernel: only the addresses are the socket's)");
		lv_field(lv, "Payload Length", "%zu", n + 8);
	} else {
		lv_layer(lv, "IPv4, 20 bytes header (built by the kernel: only the addresses are the socket's)");
		lv_field(lv, "Total Length", "%zu", n + 28);
	}
	lv_field(lv, "Source Address", "%s", dir ? b : a);
	lv_field(lv, "Destination Address", "%s", dir ? a : b);
	lv_layer(lv, "UDP, 8 bytes header");
	if (dir) {
		lv_field(lv, "Source Port", "%u", s->port);
		if (known)
			lv_field(lv, "Destination Port", "%u (this socket's)", myport);
		else
			lv_field(lv, "Destination Port", "(not known)");
	} else {
		if (known)
			lv_field(lv, "Source Port", "%u (chosen at random by the kernel)", myport);
		else
			lv_field(lv, "Source Port", "(not known)");
		lv_field(lv, "Destination Port", "%u", s->port);
	}
	lv_field(lv, "Length", "%zu (8 + %zu)", n + 8, n);
	lv_field(lv, "Checksum", "%s by the kernel (a UDP socket does not see it)",
	    dir ? "checked" : "filled in");
}

static void
prefix_view(struct layers *lv, const struct dns_q *q, int dir, size_t n, enum dns_carrier by)
{
	const struct dns_server *s = &q->srv[q->srvi];
	struct tb_addr me;
	uint16_t myport;

	if (by == DNS_BY_TCP && local_end(q->fd, &me, &myport) == 0) {
		lv_layer(lv, "TCP (segments and their headers: the kernel's)");
		lv_field(lv, "Source Port", "%u", dir ? s->port : myport);
		lv_field(lv, "Destination Port", "%u", dir ? myport : s->port);
	}
	lv_layer(lv, "DNS over %s: 2-byte length prefix (RFC %s)", by == DNS_BY_TLS ? "TLS" : "TCP",
	    by == DNS_BY_TLS ? "7858 3.3" : "1035 4.2.2, RFC 7766 8");
	lv_field(lv, "Length", "%zu (0x%02x 0x%02x)", n, (unsigned)(n >> 8 & 0xff), (unsigned)(n & 0xff));
}

void
dns_transport_layers(struct layers *lv, const struct dns_q *q, int dir, size_t n, enum dns_carrier by)
{
	if (q->srvi < 0 || q->srvi >= q->nsrv)
		return;
	switch (by) {
	case DNS_BY_UDP:
		udp_view(lv, q, dir, n);
		break;
	case DNS_BY_TCP:
	case DNS_BY_TLS:
		prefix_view(lv, q, dir, n, by);
		break;
	case DNS_BY_HTTPS:	/* HTTP frames it: the head says the length */
		break;
	}
}
