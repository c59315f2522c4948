/* probe.c - trace's probes, reply matching and hop table (see probe.h) */
#include <string.h>

#include "icmp.h"
#include "ip.h"
#include "probe.h"
#include "tcp.h"
#include "view.h"
#include "udp.h"
#include "wire.h"

#define WAIT_PREC 500	/* µs added to an RTT before scaling it: traceroute adds 1 ms for its
			   clock; ours are kernel stamps, so half of that */

static size_t
alen(int version)
{
	return version == 6 ? 16 : 4;
}

static size_t
l4_header(int method)
{
	return method == PM_TCP ? 40 : 8;	/* TCP: 20 + MSS, SACK-permitted, timestamps, window scale */
}

size_t
probe_min_size(int version, int method)
{
	return (version == 6 ? 40 : 20) + l4_header(method);
}

static uint8_t
l4_proto(int version, int method)
{
	switch (method) {
	case PM_ICMP: return version == 6 ? IPP_ICMPV6 : IPP_ICMP;
	case PM_TCP: return IPP_TCP;
	default: return IPP_UDP;
	}
}

static int
ports_ok(const struct probe_cfg *c)
{
	if (c->nprobes == 0)
		return 0;
	if (c->method == PM_UDP)
		return (unsigned)c->port + c->nprobes - 1 <= 65535;
	if (c->method == PM_TCP)
		return (unsigned)c->ident + c->nprobes - 1 <= 65535;
	return c->nprobes <= 65536;
}

int
probe_build(const struct probe_cfg *c, unsigned k, int ttl, uint8_t *buf, size_t cap)
{
	size_t iphl = c->version == 6 ? 0 : 20;
	size_t min = probe_min_size(c->version, c->method);
	size_t l4len, datalen;
	uint8_t data[65535];
	struct ip_pseudo ps = { .version = c->version };
	struct writer w;
	int r = -1;

	if (k >= c->nprobes || !ports_ok(c) || ttl < 1 || ttl > 255)
		return -1;
	if (c->method == PM_TCP || c->size < min)
		l4len = l4_header(c->method);
	else
		l4len = c->size - (c->version == 6 ? 40 : 20);
	if (l4len > 65535 - 20 || iphl + l4len > cap)
		return -1;
	datalen = l4len - l4_header(c->method);
	for (size_t i = 0; i < datalen; i++)
		data[i] = (uint8_t)(0x40 + (i & 0x3f));
	memcpy(ps.src, c->src, alen(c->version));
	memcpy(ps.dst, c->dst, alen(c->version));
	wr_init(&w, buf + iphl, cap - iphl);
	switch (c->method) {
	case PM_UDP: {
		struct udp u = { .sport = c->ident, .dport = (uint16_t)(c->port + k),
		    .data = data, .datalen = datalen };

		r = udp_build(&w, &u, &ps);
		break;
	}
	case PM_ICMP: {
		struct icmp m = { .version = c->version,
		    .type = c->version == 6 ? IC6_ECHO_REQUEST : IC4_ECHO_REQUEST,
		    .id = c->ident, .seq = (uint16_t)k, .data = data, .datalen = datalen };

		r = icmp_build(&w, &m, c->version == 6 ? &ps : NULL);
		break;
	}
	case PM_TCP: {
		struct tcp t = { .sport = (uint16_t)(c->ident + k), .dport = c->port,
		    .seq = c->isn + k, .flags = TCP_SYN, .window = 64240,
		    .has_mss = 1, .mss = 1460, .sack_ok = 1, .has_ts = 1,
		    .ts_val = c->isn ^ 0x5a5a5a5au, .has_ws = 1, .ws = 7 };

		r = tcp_build(&w, &t, &ps);
		break;
	}
	}
	if (r < 0 || w.bad || w.len != l4len)
		return -1;
	if (c->version == 4) {
		struct ip4 h = { .ttl = (uint8_t)ttl, .proto = l4_proto(4, c->method),
		    .id = (uint16_t)(c->ident + k) };
		struct writer wh;

		memcpy(h.src, c->src, 4);
		memcpy(h.dst, c->dst, 4);
		wr_init(&wh, buf, 20);
		if (ip4_build(&wh, &h, l4len) < 0 || wh.bad)
			return -1;
	}
	return (int)(iphl + l4len);
}

/* --- judging a reply --------------------------------------------------------- */

static int
nomatch(struct probe_reply *r, const char *why)
{
	r->why = why;
	return 0;
}

void
probe_judge(const struct probe_cfg *c, uint8_t type, uint8_t code, uint32_t info,
    struct probe_reply *r)
{
	const char *a = NULL;
	struct fmt f;

	r->type = type;
	r->code = code;
	r->info = info;
	r->annot[0] = '\0';
	r->from_dst = memcmp(r->from, c->dst, alen(c->version)) == 0;
	r->final = 0;
	if (c->version == 4) {
		if (type == IC4_TIME_EXCEEDED) {
			r->kind = PK_TIME_EXCEEDED;
			return;
		}
		if (type != IC4_UNREACH) {
			r->kind = PK_PARAM;
			return;
		}
		r->kind = PK_UNREACH;
		r->final = 1;
		switch (code) {
		case IC4_NET_UNREACH: case IC4_NET_UNKNOWN: case IC4_HOST_ISOLATED: case IC4_NET_UNR_TOS:
			a = "!N"; break;
		case IC4_HOST_UNREACH: case IC4_HOST_UNKNOWN: case IC4_HOST_UNR_TOS:
			a = "!H"; break;
		case IC4_NET_PROHIB: case IC4_HOST_PROHIB: case IC4_FILTERED:
			a = "!X"; break;
		case IC4_PORT_UNREACH: a = ""; break;
		case IC4_PROTO_UNREACH: a = "!P"; break;
		case IC4_FRAG_NEEDED: a = "!F"; break;
		case IC4_SR_FAILED: a = "!S"; break;
		case IC4_PREC_VIOLATION: a = "!V"; break;
		case IC4_PREC_CUTOFF: a = "!C"; break;
		}
	} else {
		if (type == IC6_TIME_EXCEEDED) {
			r->kind = PK_TIME_EXCEEDED;
			return;
		}
		if (type == IC6_PACKET_TOO_BIG) {
			r->kind = PK_TOO_BIG;
			r->final = 1;
			fmt_init(&f, r->annot, sizeof r->annot);
			fmt_str(&f, "!F-");
			fmt_uint(&f, info, 10, 0);
			return;
		}
		if (type != IC6_UNREACH) {
			r->kind = PK_PARAM;
			return;
		}
		r->kind = PK_UNREACH;
		r->final = 1;
		switch (code) {
		case 0: a = "!N"; break;		/* no route */
		case 1: a = "!X"; break;		/* administratively prohibited */
		case 2: case 3: a = "!H"; break;	/* beyond scope, address unreachable */
		case 4: a = ""; break;			/* port unreachable: reached */
		}
	}
	fmt_init(&f, r->annot, sizeof r->annot);
	if (a) {
		fmt_str(&f, a);
	} else {
		fmt_str(&f, "!<");
		fmt_uint(&f, code, 10, 0);
		fmt_str(&f, ">");
	}
}

/* the probe number the quoted upper-layer header names, or -1 */
static long
quoted_probe(const struct probe_cfg *c, const struct icmp_quote *q, const char **why)
{
	unsigned k;

	if (q->proto != l4_proto(c->version, c->method)) {
		*why = "quoted protocol not ours";
		return -1;
	}
	switch (c->method) {
	case PM_UDP:
		if (q->sport != c->ident) {
			*why = "quoted source port not ours";
			return -1;
		}
		k = (uint16_t)(q->dport - c->port);
		break;
	case PM_ICMP:
		if (q->itype != (c->version == 6 ? IC6_ECHO_REQUEST : IC4_ECHO_REQUEST)) {
			*why = "quoted message not an echo request";
			return -1;
		}
		if (q->id != c->ident) {
			*why = "quoted identifier not ours";
			return -1;
		}
		k = q->seq;
		break;
	default:
		if (q->dport != c->port) {
			*why = "quoted destination port not ours";
			return -1;
		}
		k = (uint16_t)(q->sport - c->ident);
		if (k < c->nprobes && q->tcp_seq != c->isn + k) {
			*why = "quoted sequence number not ours";
			return -1;
		}
		break;
	}
	if (k >= c->nprobes) {
		*why = "quoted probe number out of range";
		return -1;
	}
	return (long)k;
}

int
probe_match_icmp(const struct probe_cfg *c, const uint8_t *pkt, size_t n, const uint8_t *from,
    struct probe_reply *r)
{
	size_t al = alen(c->version);
	const uint8_t *p = pkt;
	size_t len = n;
	struct icmp m;
	struct icmp_quote q;
	long k;
	int e;

	memset(r, 0, sizeof *r);
	r->reply_ttl = r->quoted_ttl = -1;
	if (pkt == NULL)
		return nomatch(r, "empty");
	if (from)
		memcpy(r->from, from, al);
	if (c->version == 4) {
		struct ip4 h;

		/* ICMP-02: IHL >= 5 and within the packet, then 8 ICMP bytes */
		if ((e = ip4_parse(pkt, n, IP_NOCKSUM, &h)) != IP_OK)
			return nomatch(r, ip_strerror(e));
		if (h.proto != IPP_ICMP)
			return nomatch(r, "not ICMP");
		memcpy(r->from, h.src, 4);
		r->reply_ttl = h.ttl;
		p = h.payload;
		len = h.paylen;
		e = icmp4_parse(p, len, &m);
	} else {
		if (from == NULL)
			return nomatch(r, "no sender address");
		e = icmp6_parse(p, len, NULL, &m);	/* the kernel verified the checksum */
	}
	if (e == ICMP_ESHORT)
		return nomatch(r, "packet too short");
	if (e == ICMP_ECKSUM)
		return nomatch(r, "bad checksum");	/* ICMP-08 */
	if (icmp_is_echo_reply(c->version, m.type)) {
		if (c->method != PM_ICMP)
			return nomatch(r, "echo reply");
		if (m.id != c->ident)
			return nomatch(r, "other identifier");	/* ICMP-01 */
		if (m.seq >= c->nprobes)
			return nomatch(r, "sequence out of range");
		if (memcmp(r->from, c->dst, al) != 0)
			return nomatch(r, "wrong source");	/* ICMP-05 */
		r->k = m.seq;
		r->kind = PK_ECHO_REPLY;
		r->type = m.type;
		r->final = r->from_dst = 1;
		return 1;
	}
	if (!(c->version == 4 ? m.type == IC4_TIME_EXCEEDED || m.type == IC4_UNREACH :
	    m.type == IC6_TIME_EXCEEDED || m.type == IC6_UNREACH || m.type == IC6_PACKET_TOO_BIG))
		return nomatch(r, "not a trace reply");
	/* ICMP-03: the quoted header whole and 8 bytes after it, before any field */
	if (icmp_quoted(&m, &q) != ICMP_OK)
		return nomatch(r, "quoted datagram too short");
	/* ICMP-04: our probe, by destination, source, protocol, ports or id */
	if (memcmp(q.dst, c->dst, al) != 0)
		return nomatch(r, "quoted destination not ours");
	if (memcmp(q.src, c->src, al) != 0)
		return nomatch(r, "quoted source not ours");
	if ((k = quoted_probe(c, &q, &r->why)) < 0)
		return 0;
	r->k = (unsigned)k;
	r->quoted_ttl = q.ttl;
	probe_judge(c, m.type, m.code, m.mtu, r);
	return 1;
}

int
probe_match_tcp(const struct probe_cfg *c, const uint8_t *pkt, size_t n, const uint8_t *from,
    struct probe_reply *r)
{
	size_t al = alen(c->version);
	const uint8_t *p = pkt;
	size_t len = n;
	struct tcp t;
	unsigned k;
	int e;

	memset(r, 0, sizeof *r);
	r->reply_ttl = r->quoted_ttl = -1;
	if (pkt == NULL || c->method != PM_TCP)
		return nomatch(r, "not a TCP trace");
	if (from)
		memcpy(r->from, from, al);
	if (c->version == 4) {
		struct ip4 h;

		if ((e = ip4_parse(pkt, n, IP_NOCKSUM, &h)) != IP_OK)
			return nomatch(r, ip_strerror(e));
		if (h.proto != IPP_TCP)
			return nomatch(r, "not TCP");
		memcpy(r->from, h.src, 4);
		r->reply_ttl = h.ttl;
		p = h.payload;
		len = h.paylen;
	} else if (from == NULL) {
		return nomatch(r, "no sender address");
	}
	if (memcmp(r->from, c->dst, al) != 0)
		return nomatch(r, "not from the destination");
	/* the checksum is not verified: a segment between namespaces or on
	   this host may carry a partial one (offload), and the kernel checks
	   it for TCP; the acknowledgment of our random sequence number is
	   the proof that the segment answers our probe */
	e = tcp_parse(p, len, NULL, &t);
	if (e != TCP_OK)
		return nomatch(r, tcp_strerror(e));
	if (t.sport != c->port)
		return nomatch(r, "other source port");
	k = (uint16_t)(t.dport - c->ident);
	if (k >= c->nprobes)
		return nomatch(r, "other destination port");
	if (!((t.flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK) || (t.flags & TCP_RST)))
		return nomatch(r, "neither SYN-ACK nor RST");
	if (!(t.flags & TCP_ACK) || t.ack != c->isn + k + 1)
		return nomatch(r, "acknowledges another sequence number");
	r->k = k;
	r->kind = PK_TCP;
	r->tcp_flags = t.flags;
	r->final = r->from_dst = 1;
	return 1;
}

/* --- the hop table ------------------------------------------------------------ */

void
ht_init(struct hoptab *t, unsigned first, unsigned max, unsigned q, unsigned parallel,
    int64_t wait, double here, double near, struct probe_slot *slots)
{
	memset(t, 0, sizeof *t);
	t->first = first;
	t->max = max;
	t->q = q;
	t->n = (max - first + 1) * q;
	t->parallel = parallel ? parallel : 1;
	t->wait = wait;
	t->here = here;
	t->near = near;
	t->s = slots;
	memset(slots, 0, t->n * sizeof *slots);
}

int
ht_want_send(const struct hoptab *t)
{
	if (t->next >= t->n || t->inflight >= t->parallel)
		return -1;
	if (t->final_ttl && ht_ttl(t, t->next) > t->final_ttl)
		return -1;
	return (int)t->next;
}

void
ht_sent(struct hoptab *t, unsigned k, int64_t now)
{
	if (k >= t->n || t->s[k].state != PS_UNSENT)
		return;
	t->s[k].state = PS_INFLIGHT;
	t->s[k].sent = now;
	t->inflight++;
	if (k >= t->next)
		t->next = k + 1;
}

static void
settle(struct hoptab *t, unsigned k, int state)
{
	if (t->s[k].state == PS_INFLIGHT)
		t->inflight--;
	t->s[k].state = state;
}

int
ht_answer(struct hoptab *t, const struct probe_reply *r, int64_t now)
{
	unsigned k = r->k, ttl;

	if (k >= t->n || t->s[k].state != PS_INFLIGHT)
		return 0;	/* late (expired), duplicate, or never sent: ICMP-12 */
	ttl = ht_ttl(t, k);
	if (t->final_ttl && ttl > t->final_ttl)
		return 0;
	settle(t, k, PS_ANSWERED);
	t->s[k].rtt = now - t->s[k].sent;
	if (t->s[k].rtt < 0)
		t->s[k].rtt = 0;
	t->s[k].r = *r;
	if (r->final && (!t->final_ttl || ttl < t->final_ttl)) {
		t->final_ttl = ttl;
		for (unsigned i = (ttl - t->first + 1) * t->q; i < t->n; i++)
			if (t->s[i].state == PS_INFLIGHT || t->s[i].state == PS_UNSENT)
				settle(t, i, PS_SKIPPED);
	}
	return 1;
}

static int64_t
scaled(int64_t rtt, double f)
{
	return (int64_t)((double)(rtt + WAIT_PREC) * f);
}

int64_t
ht_deadline(const struct hoptab *t, unsigned k)
{
	int64_t w = t->wait;
	unsigned base = k - k % t->q;

	/* traceroute's adaptive wait: an answer on the same hop (HERE), else
	   on a later probe (NEAR), bounds how long this one is worth waiting */
	if (t->here > 0) {
		for (unsigned i = base; i < base + t->q && i < t->n; i++)
			if (i != k && t->s[i].state == PS_ANSWERED) {
				int64_t v = scaled(t->s[i].rtt, t->here);

				return t->s[k].sent + (v < w ? v : w);
			}
	}
	if (t->near > 0) {
		for (unsigned i = k + 1; i < t->n; i++)
			if (t->s[i].state == PS_ANSWERED) {
				int64_t v = scaled(t->s[i].rtt, t->near);

				return t->s[k].sent + (v < w ? v : w);
			}
	}
	return t->s[k].sent + w;
}

unsigned
ht_expire(struct hoptab *t, int64_t now)
{
	unsigned n = 0;

	for (unsigned k = 0; k < t->next && k < t->n; k++)
		if (t->s[k].state == PS_INFLIGHT && ht_deadline(t, k) <= now) {
			settle(t, k, PS_EXPIRED);
			n++;
		}
	return n;
}

int64_t
ht_next_deadline(const struct hoptab *t)
{
	int64_t best = -1;

	for (unsigned k = 0; k < t->next && k < t->n; k++)
		if (t->s[k].state == PS_INFLIGHT) {
			int64_t d = ht_deadline(t, k);

			if (best < 0 || d < best)
				best = d;
		}
	return best;
}

int
ht_next_hop(struct hoptab *t)
{
	unsigned ttl = t->first + t->done_hops;
	unsigned base = t->done_hops * t->q;

	if (ttl > t->max || (t->final_ttl && ttl > t->final_ttl))
		return -1;
	for (unsigned i = base; i < base + t->q; i++)
		if (t->s[i].state == PS_UNSENT || t->s[i].state == PS_INFLIGHT)
			return 0;
	t->done_hops++;
	return (int)ttl;
}

/* --- the unprivileged path ------------------------------------------------------ */

int
probe_match_ping(const struct probe_cfg *c, const uint8_t *msg, size_t n, const uint8_t *from,
    struct probe_reply *r)
{
	size_t al = alen(c->version);
	struct icmp m;
	int e;

	memset(r, 0, sizeof *r);
	r->reply_ttl = r->quoted_ttl = -1;
	if (msg == NULL || from == NULL || c->method != PM_ICMP)
		return nomatch(r, "not an ICMP trace");
	memcpy(r->from, from, al);
	e = c->version == 6 ? icmp6_parse(msg, n, NULL, &m) : icmp4_parse(msg, n, &m);
	if (e == ICMP_ESHORT)
		return nomatch(r, "packet too short");
	if (e == ICMP_ECKSUM)
		return nomatch(r, "bad checksum");
	if (!icmp_is_echo_reply(c->version, m.type))
		return nomatch(r, "not an echo reply");
	if (m.seq >= c->nprobes)
		return nomatch(r, "sequence out of range");
	if (memcmp(r->from, c->dst, al) != 0)
		return nomatch(r, "wrong source");
	r->k = m.seq;
	r->kind = PK_ECHO_REPLY;
	r->type = m.type;
	r->final = r->from_dst = 1;
	return 1;
}

long
probe_errqueue_probe(const struct probe_cfg *c, uint16_t dport, const uint8_t *data, size_t n)
{
	unsigned k;

	if (c->method == PM_UDP) {
		k = (uint16_t)(dport - c->port);
	} else if (c->method == PM_ICMP) {
		struct icmp m;
		int e = c->version == 6 ? icmp6_parse(data, n, NULL, &m) : icmp4_parse(data, n, &m);

		if (e == ICMP_ESHORT ||
		    m.type != (c->version == 6 ? IC6_ECHO_REQUEST : IC4_ECHO_REQUEST))
			return -1;
		k = m.seq;
	} else {
		return -1;
	}
	return k < c->nprobes ? (long)k : -1;
}
