/*
 * trace - traceroute over UDP, ICMP and TCP.  Probes are built by lib/
 * (probe.h) and sent on raw sockets; replies are matched through the
 * headers they quote.  Without privilege, UDP (and ICMP over ping
 * sockets) with IP_RECVERR: the kernel reports the errors.  Many TTLs
 * are in flight at once; each hop is printed, in order, as soon as it is
 * complete; probing stops at the destination.  One monotonic poll loop.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <time.h>
#include <linux/errqueue.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <unistd.h>

#include "dnsnet.h"
#include "errqview.h"
#include "icmp.h"
#include "ip.h"
#include "probe.h"
#include "tcp.h"
#include "tracesock.h"
#include "resolv.h"
#include "tubes.h"
#include "udp.h"
#include "wire.h"

#define USAGE "usage: trace [-4|-6] [-n] [-I|-T|-U] [-f first_ttl] [-m max_ttl] [-q nqueries]\n" \
	"             [-w wait] [-N squeries] [-p port] [-s source] [-i iface] [-j] [-X] host\n" \
	"             [packetlen]\n"

#define MAXPACKET 65536
#define MAXPROBES (255 * 10)

struct opts {
	int family;
	int method;
	int numeric, json, layers;
	long long first, max, q, parallel;
	int64_t wait;		/* µs */
	double here, near;
	long long port;		/* -1: default */
	long long packetlen;	/* -1: default (60, or 80 for IPv6) */
	const char *source, *iface;
};

struct name {
	uint8_t a[16];
	char name[260];		/* the reverse name, escaped, or "" */
	char text[400];		/* "name (addr)" or "addr" */
};

struct trace {
	struct opts o;
	const char *host;
	struct tb_addr dst, src;
	int v6;
	char addrstr[TB_ADDRSTRLEN];
	/* sockets: send; ICMP errors (raw) or the error queue (datagram); TCP replies */
	struct tracesock sk;
	struct probe_cfg cfg;
	struct hoptab ht;
	struct probe_slot slots[MAXPROBES];
	int64_t sent_wall[MAXPROBES];
	long nsent, nrecv;
	int64_t start;
	struct json js;
	struct layers lv;
	struct name names[64];
	unsigned nnames;
	int ptr_dead;		/* a PTR lookup timed out: no more */
	unsigned last_hop;	/* the last hop printed */
	uint8_t out[MAXPACKET];
	uint8_t in[MAXPACKET];
};

static struct trace T;

/* -j: a run that dies before its first packet still ends with its summary */
static void
die_summary(int code)
{
	struct json js = { .fp = stdout };

	js_begin(&js, stdout, "summary");
	js_str(&js, "address", T.addrstr);
	js_str(&js, "result", "error");
	js_int(&js, "hops", 0);
	js_int(&js, "sent", T.nsent);
	js_int(&js, "answered", T.nrecv);
	js_ms(&js, "elapsed_ms", 0);
	js_int(&js, "exit", code);
	js_end(&js);
}

static void
usage(FILE *fp, int code)
{
	fputs(USAGE, fp);
	if (code == 0)
		fputs("\n"
		    "  -4, -6          IPv4 or IPv6 only\n"
		    "  -n              numeric addresses, no reverse lookups\n"
		    "  -U              UDP probes to port 33434 and up (default)\n"
		    "  -I              ICMP echo probes\n"
		    "  -T              TCP SYN probes (port 80 unless -p; needs a raw socket)\n"
		    "  -f first_ttl    start at this hop (default 1)\n"
		    "  -m max_ttl      give up after this hop (default 30)\n"
		    "  -q nqueries     probes per hop (default 3)\n"
		    "  -w MAX[,HERE[,NEAR]]  seconds to wait for a probe (default 5), or HERE\n"
		    "                  times the RTT of the same hop, or NEAR times a later\n"
		    "                  hop's (defaults 3 and 10; 0 turns them off)\n"
		    "  -N squeries     probes in flight at once (default 16)\n"
		    "  -p port         UDP: first destination port (33434); TCP: the port (80)\n"
		    "  -s source       source address\n"
		    "  -i iface        send through this interface\n"
		    "  -j, --json      NDJSON events: a reply, a hop, the summary\n"
		    "  -X, --layers    decode every probe and reply, then its bytes in hex\n"
		    "  -h, --help      this help\n"
		    "  -V, --version   version\n"
		    "  packetlen       the whole datagram in bytes, IP header included, as\n"
		    "                  traceroute's (default 60, IPv6 80; at most 65000; less\n"
		    "                  than the headers is the headers; -T: always the headers)\n", fp);
	tb_exit(code);
}

/* --- names and output ------------------------------------------------------------ */

static const char *
addr_text(const struct trace *t, const uint8_t *a, char *buf, size_t n)
{
	return ip_ntop(t->v6 ? 6 : 4, a, buf, n);
}

/*
 * A reverse lookup; one that fails after a second or more means the
 * resolver is not answering: the rest of the hops are shown without
 * names rather than each costing the resolver's whole timeout.
 */
static int
ptr_lookup(struct trace *t, const struct tb_addr *a, char *name, size_t n)
{
	int64_t t0 = tb_now();
	int r = tb_resolve_ptr(a, name, n);

	if (r < 0 && tb_now() - t0 >= 1000000) {
		t->ptr_dead = 1;
		tb_warn("reverse lookups turned off: the resolver does not answer");
	}
	return r;
}

/* "addr" with -n, else "name (addr)"; looked up once per address */
static const struct name *
hop_lookup(struct trace *t, const uint8_t *a)
{
	size_t al = t->v6 ? 16 : 4;
	char as[64], name[256], esc[260];
	struct tb_addr ta = { .family = t->dst.family };
	struct name *nm;

	for (unsigned i = 0; i < t->nnames; i++)
		if (memcmp(t->names[i].a, a, al) == 0)
			return &t->names[i];
	nm = &t->names[t->nnames < 64 ? t->nnames++ : 63];
	memcpy(nm->a, a, al);
	nm->name[0] = '\0';
	addr_text(t, a, as, sizeof as);
	memcpy(ta.a, a, al);
	if (t->o.numeric || t->ptr_dead) {
		snprintf(nm->text, sizeof nm->text, t->o.numeric ? "%s" : "%s (%s)", as, as);
	} else if (ptr_lookup(t, &ta, name, sizeof name) == 0 && name[0]) {
		tb_escape_buf(esc, sizeof esc, name, strlen(name));
		snprintf(nm->name, sizeof nm->name, "%s", esc);
		snprintf(nm->text, sizeof nm->text, "%s (%s)", esc, as);
	} else {
		snprintf(nm->text, sizeof nm->text, "%s (%s)", as, as);
	}
	return nm;
}

static const char *
hop_name(struct trace *t, const uint8_t *a)
{
	return hop_lookup(t, a)->text;
}

static const char *
kind_name(int kind)
{
	switch (kind) {
	case PK_TIME_EXCEEDED: return "time-exceeded";
	case PK_UNREACH: return "unreachable";
	case PK_TOO_BIG: return "packet-too-big";
	case PK_ECHO_REPLY: return "echo-reply";
	case PK_TCP: return "tcp";
	case PK_PARAM: return "other";
	}
	return "none";
}

static const char *
method_name(int m)
{
	return m == PM_ICMP ? "icmp" : m == PM_TCP ? "tcp" : "udp";
}

static void
print_header(struct trace *t)
{
	size_t size = t->cfg.method == PM_TCP ? probe_min_size(t->v6 ? 6 : 4, PM_TCP) : t->cfg.size;
	char esc[300];

	tb_escape_buf(esc, sizeof esc, t->host, strlen(t->host));
	if (t->o.json) {
		js_begin(&t->js, stdout, "start");
		js_str(&t->js, "host", esc);
		js_str(&t->js, "address", t->addrstr);
		js_str(&t->js, "method", method_name(t->cfg.method));
		js_bool(&t->js, "privileged", t->sk.priv);
		js_int(&t->js, "first_ttl", t->o.first);
		js_int(&t->js, "max_ttl", t->o.max);
		js_int(&t->js, "queries", t->o.q);
		js_int(&t->js, "parallel", t->o.parallel);
		js_int(&t->js, "packet_size", (long long)size);
		js_end(&t->js);
		return;
	}
	printf("trace to %s (%s), %lld hops max, %zu byte packets\n", esc, t->addrstr, t->o.max, size);
}

static void
json_reply(struct trace *t, const struct probe_slot *s, unsigned k)
{
	char as[64];

	js_begin(&t->js, stdout, "reply");
	js_int(&t->js, "ttl", ht_ttl(&t->ht, k));
	js_int(&t->js, "probe", k % t->ht.q + 1);
	js_str(&t->js, "from", addr_text(t, s->r.from, as, sizeof as));
	js_ms(&t->js, "rtt_ms", s->rtt);
	js_str(&t->js, "kind", kind_name(s->r.kind));
	if (s->r.kind == PK_TCP) {
		char fl[64];

		js_str(&t->js, "tcp_flags", tcp_flags_str(s->r.tcp_flags, fl, sizeof fl));
	} else {
		js_int(&t->js, "icmp_type", s->r.type);
		js_int(&t->js, "icmp_code", s->r.code);
	}
	if (s->r.annot[0])
		js_str(&t->js, "annotation", s->r.annot);
	else
		js_null(&t->js, "annotation");
	js_bool(&t->js, "destination", s->r.from_dst);
	if (s->r.reply_ttl >= 0)
		js_int(&t->js, "reply_ttl", s->r.reply_ttl);
	js_end(&t->js);
}

static void
print_hop(struct trace *t, unsigned ttl)
{
	unsigned base = (ttl - t->ht.first) * t->ht.q;
	const struct probe_slot *prev = NULL;
	size_t al = t->v6 ? 16 : 4;

	t->last_hop = ttl;
	if (t->o.json) {
		unsigned answered = 0;
		char as[64];

		js_begin(&t->js, stdout, "hop");
		js_int(&t->js, "ttl", ttl);
		js_arr(&t->js, "probes");
		for (unsigned i = base; i < base + t->ht.q; i++) {
			const struct probe_slot *s = &t->slots[i];

			js_obj(&t->js, NULL);
			if (s->state == PS_ANSWERED) {
				answered++;
				js_str(&t->js, "from", addr_text(t, s->r.from, as, sizeof as));
				if (!t->o.numeric) {
					const struct name *nm = hop_lookup(t, s->r.from);

					if (nm->name[0])
						js_str(&t->js, "name", nm->name);
				}
				js_ms(&t->js, "rtt_ms", s->rtt);
				if (s->r.annot[0])
					js_str(&t->js, "annotation", s->r.annot);
			} else {
				js_null(&t->js, "from");
			}
			js_close(&t->js);
		}
		js_close(&t->js);
		js_int(&t->js, "answered", answered);
		js_end(&t->js);
		return;
	}
	printf("%2u ", ttl);
	for (unsigned i = base; i < base + t->ht.q; i++) {
		const struct probe_slot *s = &t->slots[i];

		if (s->state != PS_ANSWERED) {
			printf(" *");
			continue;
		}
		if (prev == NULL || memcmp(prev->r.from, s->r.from, al) != 0)
			printf(" %s", hop_name(t, s->r.from));
		prev = s;
		printf("  %.3f ms", (double)s->rtt / 1000.0);
		if (s->r.annot[0])
			printf(" %s", s->r.annot);
	}
	printf("\n");
}

/* --- -X: the layer view --------------------------------------------------------------- */

static void
show_l4(struct trace *t, int proto, const uint8_t *p, size_t n, const uint8_t *from, const uint8_t *to)
{
	struct ip_pseudo ps = { .version = t->v6 ? 6 : 4 };
	size_t al = t->v6 ? 16 : 4;

	memcpy(ps.src, from, al);
	memcpy(ps.dst, to, al);
	if (proto == IPP_UDP)
		udp_decode(&t->lv, p, n, &ps);
	else if (proto == IPP_TCP)
		tcp_decode(&t->lv, p, n, &ps);
	else if (proto == IPP_ICMPV6)
		icmp6_decode(&t->lv, p, n, NULL);
	else if (proto == IPP_ICMP)
		icmp4_decode(&t->lv, p, n);
}

static uint8_t
probe_proto(const struct trace *t)
{
	if (t->cfg.method == PM_TCP)
		return IPP_TCP;
	if (t->cfg.method == PM_ICMP)
		return t->v6 ? IPP_ICMPV6 : IPP_ICMP;
	return IPP_UDP;
}

static void
show_sent(struct trace *t, unsigned k, int ttl, const uint8_t *p, size_t n)
{
	lv_packet(&t->lv, "sent %zu bytes to %s (probe %u, ttl %d, %s)", n, t->addrstr, k, ttl,
	    t->sk.priv ? "raw socket" : "datagram socket: the kernel builds the headers");
	if (t->sk.priv && !t->v6) {
		struct ip4 h;

		ip4_decode(&t->lv, p, n);
		if (ip4_parse(p, n, 0, &h) == IP_OK)
			show_l4(t, h.proto, h.payload, h.paylen, h.src, h.dst);
	} else if (t->sk.priv || t->cfg.method == PM_ICMP) {
		lv_layer(&t->lv, "%s header: built by the kernel, %s %d", t->v6 ? "IPv6" : "IPv4",
		    t->v6 ? "hop limit" : "ttl", ttl);
		if (t->cfg.method == PM_ICMP) {
			/* the ping socket fills identifier and checksum, raw ICMPv6 the checksum */
			struct ip_pseudo ps = { .version = t->v6 ? 6 : 4 };

			memcpy(ps.src, t->src.a, 16);
			memcpy(ps.dst, t->dst.a, 16);
			icmp_decode_sent(&t->lv, t->v6 ? 6 : 4, p, n, &ps, ICMP_DV_KERNEL_CKSUM |
			    (t->sk.priv ? 0 : ICMP_DV_KERNEL_ID));
		} else {
			show_l4(t, probe_proto(t), p, n, t->src.a, t->dst.a);
		}
	} else {
		lv_layer(&t->lv, "%s and UDP headers: built by the kernel (ttl %d, destination port %u)",
		    t->v6 ? "IPv6" : "IPv4", ttl, (unsigned)(t->cfg.port + k));
		lv_field(&t->lv, "Data", "%zu bytes", n);
	}
	lv_hex(&t->lv, p, n);
}

static void
show_received(struct trace *t, const uint8_t *p, size_t n, const uint8_t *from, int tcp,
    const struct probe_reply *r, int matched)
{
	char as[64];
	uint8_t src4[4];

	if (!t->v6 && n >= 20) {
		struct ip4 h;

		if (ip4_parse(p, n, IP_NOCKSUM, &h) == IP_OK) {
			memcpy(src4, h.src, 4);
			from = src4;
		}
	}
	if (matched)
		lv_packet(&t->lv, "received %zu bytes from %s (probe %u)", n,
		    from ? addr_text(t, from, as, sizeof as) : "?", r->k);
	else
		lv_packet(&t->lv, "received %zu bytes from %s (not ours: %s)", n,
		    from ? addr_text(t, from, as, sizeof as) : "?", r->why ? r->why : "?");
	if (!t->v6) {
		struct ip4 h;

		ip4_decode(&t->lv, p, n);
		if (ip4_parse(p, n, IP_NOCKSUM, &h) == IP_OK)
			show_l4(t, h.proto, h.payload, h.paylen, h.src, h.dst);
	} else if (from) {
		show_l4(t, tcp ? IPP_TCP : IPP_ICMPV6, p, n, from, t->src.a);
	}
	lv_hex(&t->lv, p, n);
}

/* --- sending and receiving --------------------------------------------------------------- */

/*
 * A datagram socket with IP_RECVERR reports the last ICMP error once
 * more as the result of the next send, which then did not go out; the
 * error is in the queue already, so the send is made again.
 */
static int
do_send(struct trace *t, const uint8_t *p, size_t n, const struct sockaddr_storage *ss, unsigned sl)
{
	for (int i = 0; i < 8; i++) {
		if (sendto(t->sk.sfd, p, n, 0, (const struct sockaddr *)ss, sl) >= 0)
			return 0;
		if (t->sk.priv || errno == EINTR || !(errno == ECONNREFUSED || errno == EHOSTUNREACH ||
		    errno == ENETUNREACH || errno == EPROTO || errno == EACCES || errno == EHOSTDOWN ||
		    errno == ENONET || errno == EOPNOTSUPP))
			break;
	}
	return -1;
}

static void
send_probe(struct trace *t, unsigned k)
{
	int ttl = (int)ht_ttl(&t->ht, k);
	struct sockaddr_storage ss;
	unsigned sl;
	const uint8_t *p = t->out;
	size_t n;
	int len = probe_build(&t->cfg, k, ttl, t->out, sizeof t->out);
	uint16_t port = 0;

	if (len < 0)
		tb_die(EXIT_LOCAL, "cannot build probe %u", k);
	n = (size_t)len;
	if (!t->sk.priv) {
		if (t->cfg.method == PM_UDP) {
			/* the kernel writes the headers: send the payload only */
			size_t hl = t->v6 ? 8 : 28;

			p = t->out + hl;
			n -= hl;
			port = (uint16_t)(t->cfg.port + k);
		} else if (!t->v6) {
			p = t->out + 20;
			n -= 20;
		}
		tracesock_ttl(t->sk.sfd, t->v6, ttl);
	} else if (t->v6) {
		tracesock_ttl(t->sk.sfd, t->v6, ttl);
	}
	sl = tb_sockaddr(&t->dst, port, &ss);
	if (t->o.layers)
		show_sent(t, k, ttl, p, n);
	ht_sent(&t->ht, k, tb_now());
	t->sent_wall[k] = tb_wall();
	if (do_send(t, p, n, &ss, sl) < 0) {
		/* a local error (no route, EMSGSIZE): the probe stays unanswered */
		if (errno != EHOSTUNREACH && errno != ENETUNREACH && errno != EMSGSIZE &&
		    errno != ENOBUFS && errno != EAGAIN)
			tb_die(EXIT_LOCAL, "sendto %s: %s", t->addrstr, strerror(errno));
		tb_warn("sendto %s: %s", t->addrstr, strerror(errno));
	}
	t->nsent++;
}

/* a reply matched: take it if its probe is still waiting */
static void
answered(struct trace *t, struct probe_reply *r, int64_t kwall)
{
	unsigned k = r->k;
	int64_t now = tb_now();

	if (k >= t->ht.n || t->slots[k].state != PS_INFLIGHT)
		return;
	/* the kernel's receive time, so a slow loop does not inflate the RTT */
	if (kwall > 0 && kwall >= t->sent_wall[k] && kwall - t->sent_wall[k] <= now - t->slots[k].sent)
		now = t->slots[k].sent + (kwall - t->sent_wall[k]);
	if (!ht_answer(&t->ht, r, now))
		return;
	t->nrecv++;
	if (t->o.json)
		json_reply(t, &t->slots[k], k);
}

/* everything waiting on a raw socket (tcp: the TCP one) */
static void
read_raw(struct trace *t, int fd, int tcp)
{
	for (;;) {
		struct sockaddr_storage ss;
		union { struct cmsghdr align; char buf[256]; } ctl;
		struct iovec iov = { t->in, sizeof t->in };
		struct msghdr mh = { .msg_name = &ss, .msg_namelen = sizeof ss, .msg_iov = &iov,
		    .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf };
		struct probe_reply r;
		struct tb_addr from = { 0 };
		ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);
		int ok;

		if (n < 0)
			return;
		tb_from_sockaddr((struct sockaddr *)&ss, &from, NULL);
		if (tcp)
			ok = probe_match_tcp(&t->cfg, t->in, (size_t)n, t->v6 ? from.a : NULL, &r);
		else
			ok = probe_match_icmp(&t->cfg, t->in, (size_t)n, t->v6 ? from.a : NULL, &r);
		/* -X shows our replies, and ICMP errors not ours with the reason; not all TCP */
		if (t->o.layers && (ok || (!tcp && r.why && strcmp(r.why, "not a trace reply") != 0 &&
		    strcmp(r.why, "echo reply") != 0)))
			show_received(t, t->in, (size_t)n, t->v6 ? from.a : NULL, tcp, &r, ok);
		if (ok)
			answered(t, &r, tb_recvmeta(&mh, NULL));
	}
}

/* the unprivileged path: the kernel's error queue, and echo replies on a ping socket */
static void
read_dgram(struct trace *t)
{
	for (;;) {
		struct sockaddr_storage ss;
		union { struct cmsghdr align; char buf[512]; } ctl;
		struct iovec iov = { t->in, sizeof t->in };
		struct msghdr mh = { .msg_name = &ss, .msg_namelen = sizeof ss, .msg_iov = &iov,
		    .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf };
		struct sock_extended_err ee;
		struct tb_addr off = { 0 }, to = { 0 };
		struct probe_reply r;
		uint16_t dport = 0;
		int found = 0;
		long k;
		ssize_t n = recvmsg(t->sk.sfd, &mh, MSG_ERRQUEUE | MSG_DONTWAIT);

		if (n < 0) {
			if (t->cfg.method != PM_ICMP)
				return;
			/* no error waiting: an echo reply? */
			mh.msg_namelen = sizeof ss;
			mh.msg_controllen = sizeof ctl.buf;
			n = recvmsg(t->sk.sfd, &mh, MSG_DONTWAIT);
			if (n < 0)
				return;
			tb_from_sockaddr((struct sockaddr *)&ss, &off, NULL);
			found = probe_match_ping(&t->cfg, t->in, (size_t)n, off.a, &r);
			if (t->o.layers)
				show_received(t, t->in, (size_t)n, off.a, 0, &r, found);
			if (found)
				answered(t, &r, tb_recvmeta(&mh, NULL));
			continue;
		}
		found = tb_errqueue(&mh, &ee, &off);
		if (!found || (ee.ee_origin != SO_EE_ORIGIN_ICMP && ee.ee_origin != SO_EE_ORIGIN_ICMP6))
			continue;
		if (tb_from_sockaddr((struct sockaddr *)&ss, &to, &dport) < 0 || !tb_addr_eq(&to, &t->dst))
			continue;
		k = probe_errqueue_probe(&t->cfg, dport, t->in, (size_t)n);
		memset(&r, 0, sizeof r);
		r.reply_ttl = r.quoted_ttl = -1;
		memcpy(r.from, off.family ? off.a : t->dst.a, sizeof r.from);
		if (t->o.layers) {
			lv_packet(&t->lv, "error queue: %zd bytes the kernel quoted (%s)", n,
			    k < 0 ? "not ours" : "ours");
			errq_view(&t->lv, &ee, &off, t->v6 ? 6 : 4);
			lv_field(&t->lv, "Destination", "%s port %u", t->addrstr, dport);
			errq_view_quoted(&t->lv, t->v6 ? 6 : 4, t->cfg.method == PM_ICMP, t->in, (size_t)n, 0);
		}
		if (k < 0)
			continue;
		r.k = (unsigned)k;
		probe_judge(&t->cfg, ee.ee_type, ee.ee_code, ee.ee_info, &r);
		answered(t, &r, tb_recvmeta(&mh, NULL));
	}
}

static int
print_ready(struct trace *t)
{
	int ttl;

	while ((ttl = ht_next_hop(&t->ht)) > 0)
		print_hop(t, (unsigned)ttl);
	return ttl < 0;
}

static void
run(struct trace *t)
{
	struct pollfd pf[2];
	int nfd = 0;

	pf[nfd++] = (struct pollfd){ .fd = t->sk.ifd, .events = POLLIN };
	if (t->sk.tfd >= 0 && t->sk.tfd != t->sk.ifd)
		pf[nfd++] = (struct pollfd){ .fd = t->sk.tfd, .events = POLLIN };
	t->start = tb_now();
	while (!tb_interrupted) {
		int k;
		int64_t dl, now;
		struct timespec ts, *tp = NULL;

		while ((k = ht_want_send(&t->ht)) >= 0)
			send_probe(t, (unsigned)k);
		if (print_ready(t))
			return;
		dl = ht_next_deadline(&t->ht);
		if (dl >= 0) {
			int64_t us = dl - tb_now();

			if (us < 0)
				us = 0;
			ts.tv_sec = (time_t)(us / 1000000);
			ts.tv_nsec = (long)(us % 1000000) * 1000;
			tp = &ts;
		}
		if (ppoll(pf, (nfds_t)nfd, tp, NULL) < 0 && errno != EINTR)
			tb_die(EXIT_LOCAL, "poll: %s", strerror(errno));
		if (t->sk.priv) {
			read_raw(t, t->sk.ifd, 0);
			if (t->sk.tfd >= 0 && t->sk.tfd != t->sk.ifd)
				read_raw(t, t->sk.tfd, 1);
			else if (t->sk.tfd >= 0)
				read_raw(t, t->sk.tfd, 1);
		} else {
			read_dgram(t);
		}
		now = tb_now();
		ht_expire(&t->ht, now);
	}
}

/* --- the end ------------------------------------------------------------------------------- */

static int
finish(struct trace *t)
{
	const char *result = "max-hops";
	char annot[16] = "";
	int code = EXIT_NO;
	unsigned hops = t->last_hop;

	if (tb_interrupted && !t->ht.final_ttl) {
		result = "interrupted";
	} else if (t->ht.final_ttl && t->last_hop >= t->ht.final_ttl) {
		unsigned base = (t->ht.final_ttl - t->ht.first) * t->ht.q;
		int reached = 0;

		for (unsigned i = base; i < base + t->ht.q; i++) {
			const struct probe_slot *s = &t->slots[i];

			if (s->state != PS_ANSWERED)
				continue;
			if (s->r.from_dst && s->r.annot[0] == '\0')
				reached = 1;
			else if (!annot[0] && s->r.annot[0])
				snprintf(annot, sizeof annot, "%s", s->r.annot);
		}
		if (reached) {
			result = "reached";
			code = EXIT_OK;
		} else {
			result = "unreachable";
		}
		hops = t->ht.final_ttl;
	} else if (tb_interrupted) {
		result = "interrupted";
	}
	if (t->o.json) {
		js_begin(&t->js, stdout, "summary");
		js_str(&t->js, "address", t->addrstr);
		js_str(&t->js, "result", result);
		if (annot[0])
			js_str(&t->js, "annotation", annot);
		js_int(&t->js, "hops", hops);
		js_int(&t->js, "sent", t->nsent);
		js_int(&t->js, "answered", t->nrecv);
		js_ms(&t->js, "elapsed_ms", tb_now() - t->start);
		js_int(&t->js, "exit", code);
		js_end(&t->js);
	} else {
		/* stdout stays traceroute's: hops only, so | tail -1 is the last hop */
		fflush(stdout);
		if (annot[0])
			fprintf(stderr, "trace: stop reason=%s(%s) hops=%u\n", result, annot, hops);
		else
			fprintf(stderr, "trace: stop reason=%s hops=%u\n", result, hops);
	}
	return code;
}

static long long
num_opt(const char *name, const char *s, long long min, long long max)
{
	long long v;

	if (tb_num(s, min, max, &v) < 0)
		tb_usage_error("invalid %s: '%s': out of range: %lld <= value <= %lld", name, s, min, max);
	return v;
}

/* -w MAX[,HERE[,NEAR]] as traceroute */
static void
wait_opt(struct opts *o, const char *arg)
{
	char buf[64];
	char *f[3] = { buf, NULL, NULL };
	int64_t us;

	if (strlen(arg) >= sizeof buf)
		tb_usage_error("invalid wait: '%s'", arg);
	snprintf(buf, sizeof buf, "%s", arg);
	for (int i = 1; i < 3 && f[i - 1]; i++) {
		char *c = strchr(f[i - 1], ',');

		if (c) {
			*c = '\0';
			f[i] = c + 1;
		}
	}
	if (strchr(f[2] ? f[2] : "", ','))
		tb_usage_error("invalid wait: '%s'", arg);
	if (tb_secs(f[0], 86400.0, &us) < 0 || us <= 0)
		tb_usage_error("invalid wait: '%s'", f[0]);
	o->wait = us;
	for (int i = 1; i < 3; i++)
		if (f[i]) {
			int64_t v;

			if (tb_secs(f[i], 1000.0, &v) < 0)
				tb_usage_error("invalid wait factor: '%s'", f[i]);
			if (i == 1)
				o->here = (double)v / 1e6;
			else
				o->near = (double)v / 1e6;
		}
}

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "json", no_argument, NULL, 'j' },
		{ "layers", no_argument, NULL, 'X' },
		{ NULL, 0, NULL, 0 },
	};
	struct trace *t = &T;
	struct opts *o = &t->o;
	struct tracesock_raw rs;
	struct tb_addr addrs[8];
	const char *why;
	int c, n, code;
	uint16_t rnd[2];

	tb_init(argv[0]);
	argv[0] = (char *)tb_prog;	/* getopt's one line reads "NAME: ..." */
	/* raw sockets first, then any setuid identity is dropped, then options */
	tracesock_open(&rs);
	tb_drop_privs();

	o->family = AF_UNSPEC;
	o->method = PM_UDP;
	o->first = 1;
	o->max = 30;
	o->q = 3;
	o->parallel = 16;
	o->wait = 5000000;
	o->here = 3;
	o->near = 10;
	o->port = -1;
	o->packetlen = -1;
	while ((c = getopt_long(argc, argv, "46f:hIi:jm:nN:p:q:s:TUVw:X", lopts, NULL)) != -1) {
		switch (c) {
		case '4': o->family = AF_INET; break;
		case '6': o->family = AF_INET6; break;
		case 'f': o->first = num_opt("first ttl", optarg, 1, 255); break;
		case 'h': usage(stdout, EXIT_OK); break;
		case 'I': o->method = PM_ICMP; break;
		case 'i': o->iface = optarg; break;
		case 'j': o->json = 1; break;
		case 'm': o->max = num_opt("max ttl", optarg, 1, 255); break;
		case 'n': o->numeric = 1; break;
		case 'N': o->parallel = num_opt("squeries", optarg, 1, 1000); break;
		case 'p': o->port = num_opt("port", optarg, 1, 65535); break;
		case 'q': o->q = num_opt("nqueries", optarg, 1, 10); break;
		case 's': o->source = optarg; break;
		case 'T': o->method = PM_TCP; break;
		case 'U': o->method = PM_UDP; break;
		case 'V': printf("trace (tubes) " TUBES_VERSION "\n"); tb_exit(EXIT_OK); break;
		case 'w': wait_opt(o, optarg); break;
		case 'X': o->layers = 1; break;
		default: tb_bad_option();
		}
	}
	if (optind >= argc)
		tb_usage_error("a host is needed");
	if (argc - optind > 2)
		tb_usage_error("only one host and a packet length: %s", argv[argc - 1]);
	/*
	 * traceroute's second operand: the whole datagram, IP header
	 * included; 0 to 65000, and less than the headers is raised to the
	 * headers (TCP probes are always the headers alone, as traceroute's)
	 */
	if (argc - optind == 2)
		o->packetlen = num_opt("packet length", argv[optind + 1], 0, 65000);
	if (o->first > o->max)
		tb_usage_error("first ttl (%lld) is greater than max ttl (%lld)", o->first, o->max);
	t->host = argv[optind];
	if (o->json)
		tb_on_die(die_summary);
	if (o->source) {
		if (tb_addr_parse(o->source, &t->src) < 0)
			tb_usage_error("invalid source address: %s", o->source);
		if (o->family == AF_UNSPEC)
			o->family = t->src.family;
		else if (o->family != t->src.family)
			tb_usage_error("source %s is not of the address family asked for", o->source);
	}

	/* SIGINT, SIGTERM, SIGHUP: one flag, honoured from the lookup on */
	tb_catch_signals();
	if (o->layers) {
		t->lv.fp = stdout;
		dns_resolver_layers(&t->lv);	/* the DNS packets of the lookups, too */
	}
	n = tb_resolve(t->host, o->family, addrs, 8, &why);
	if (n <= 0) {
		char m[400];

		code = tb_lookup_failed(t->host, n, why, m, sizeof m);
		tb_die(code, "%s", m);
	}
	/* both families: the address getaddrinfo would give traceroute first (RFC 6724) */
	if (o->family == AF_UNSPEC && n > 1)
		tb_addr_order(addrs, n, NULL);
	t->dst = addrs[0];
	t->v6 = t->dst.family == AF_INET6;
	tb_addr_str(&t->dst, t->addrstr, sizeof t->addrstr);
	tracesock_source(&t->dst, o->iface, o->source != NULL, &t->src);
	tracesock_setup(&t->sk, &rs, o->method, &t->dst, &t->src, o->iface);

	/* the probe numbering: identifiers from the random source */
	if (tb_random(rnd, sizeof rnd) < 0)
		tb_die(EXIT_LOCAL, "getrandom: %s", strerror(errno));
	t->cfg.version = t->v6 ? 6 : 4;
	t->cfg.method = o->method;
	memcpy(t->cfg.src, t->src.a, 16);
	memcpy(t->cfg.dst, t->dst.a, 16);
	t->cfg.nprobes = (unsigned)((o->max - o->first + 1) * o->q);
	t->cfg.size = t->v6 ? 80 : 60;
	if (o->packetlen >= 0) {
		size_t min = probe_min_size(t->cfg.version, o->method);

		t->cfg.size = (size_t)o->packetlen < min ? min : (size_t)o->packetlen;
	}
	if (o->method == PM_UDP) {
		t->cfg.port = (uint16_t)(o->port > 0 ? o->port : 33434);
		t->cfg.ident = (uint16_t)(32768 + rnd[0] % 28000);
		if (o->port > 0 && o->port + t->cfg.nprobes - 1 > 65535)
			tb_usage_error("port %lld leaves no room for %u probes", o->port, t->cfg.nprobes);
	} else if (o->method == PM_TCP) {
		t->cfg.port = (uint16_t)(o->port > 0 ? o->port : 80);
		t->cfg.ident = (uint16_t)(32768 + rnd[0] % (32768 - MAXPROBES));
		t->cfg.isn = (uint32_t)rnd[0] << 16 | rnd[1];
	} else {
		t->cfg.ident = rnd[0];
	}
	if (!t->sk.priv) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		struct tb_addr me;
		uint16_t lport = 0;

		/* UDP: the kernel picked the source port; ping socket: it is the identifier */
		if (getsockname(t->sk.sfd, (struct sockaddr *)&ss, &sl) == 0 &&
		    tb_from_sockaddr((struct sockaddr *)&ss, &me, &lport) == 0)
			t->cfg.ident = lport;
	}
	ht_init(&t->ht, (unsigned)o->first, (unsigned)o->max, (unsigned)o->q, (unsigned)o->parallel,
	    o->wait, o->here, o->near, t->slots);
	t->js.fp = stdout;
	t->lv.fp = stdout;

	signal(SIGPIPE, SIG_IGN);

	print_header(t);
	run(t);
	code = finish(t);
	tb_exit(code);
}
