/*
 * probe.h - trace's wire logic: building the UDP, ICMP and TCP probes,
 * matching ICMP errors and TCP replies to them through the quoted
 * headers (only after the quoted length is checked: ICMP-03, ICMP-04),
 * traceroute's annotations, and the hop table that decides when a probe
 * has waited long enough and when a hop is complete.
 *
 * Wire code: no system calls.  Times are passed in (µs, monotonic).
 *
 *   struct probe_cfg c = { .version = 4, .method = PM_UDP, .ident = 40000,
 *                          .port = 33434, .nprobes = 90, .size = 60, ... };
 *   n = probe_build(&c, k, ttl, buf, sizeof buf);       // probe number k
 *   if (probe_match_icmp(&c, pkt, len, from, &r)) ... r.k, r.annot, r.final ...
 *
 * Probe numbers: probe k carries UDP destination port port + k, ICMP
 * echo sequence k, or TCP source port ident + k and sequence isn + k.
 */
#ifndef TUBES_PROBE_H
#define TUBES_PROBE_H

#include <stddef.h>
#include <stdint.h>

enum probe_method { PM_UDP = 1, PM_ICMP = 2, PM_TCP = 3 };

struct probe_cfg {
	int version;		/* 4 or 6 */
	int method;		/* PM_UDP, PM_ICMP, PM_TCP */
	uint8_t src[16], dst[16];	/* 4 bytes used for IPv4 */
	uint16_t ident;		/* UDP source port; ICMP identifier; TCP first source port */
	uint16_t port;		/* UDP first destination port; TCP destination port */
	uint32_t isn;		/* TCP sequence number of probe 0 */
	unsigned nprobes;	/* valid probe numbers: 0 .. nprobes - 1 */
	size_t size;		/* whole datagram, IP header included (60 as traceroute) */
};

/*
 * Write probe k with time to live ttl into buf.  IPv4: the whole
 * datagram (header with TTL, ID ident + k, protocol, checksum; then the
 * UDP, ICMP or TCP header with its checksum and the payload).  IPv6: the
 * upper-layer header and payload only (the kernel adds the IPv6 header;
 * the hop limit is a socket option), checksums over the pseudo-header.
 * Returns the number of bytes, or -1 (no room, size too small, k out of
 * range or the ports would wrap).
 */
int probe_build(const struct probe_cfg *, unsigned k, int ttl, uint8_t *buf, size_t cap);
/* the smallest size (IP header included) a probe of this kind can have */
size_t probe_min_size(int version, int method);

enum probe_kind {
	PK_NONE = 0,
	PK_TIME_EXCEEDED,	/* a router on the way */
	PK_UNREACH,		/* destination unreachable (port unreachable = reached) */
	PK_TOO_BIG,		/* ICMPv6 packet too big */
	PK_PARAM,		/* parameter problem, source quench, ... */
	PK_ECHO_REPLY,		/* -I: the destination answered */
	PK_TCP,			/* -T: SYN-ACK or RST from the destination */
};

struct probe_reply {
	unsigned k;		/* the probe answered */
	int kind;		/* enum probe_kind */
	uint8_t from[16];	/* who answered */
	uint8_t type, code;	/* the ICMP message */
	uint32_t info;		/* ICMP MTU / pointer */
	uint16_t tcp_flags;	/* PK_TCP */
	int reply_ttl;		/* TTL of the reply's IPv4 header, -1 unknown */
	int quoted_ttl;		/* TTL left in the quoted header, -1 unknown */
	int final;		/* nothing lies beyond this hop: stop probing further */
	int from_dst;		/* the responder is the destination */
	char annot[16];		/* "!H", "!N", "!X", "!F-1400", "!<9>", or "" */
	const char *why;	/* not matched: the reason, for -X */
};

/*
 * An ICMP/ICMPv6 message as a raw socket returned it: IPv4 with its IP
 * header, IPv6 without (from is then the sender's 16 bytes; may be NULL
 * for IPv4).  Matches echo replies (PM_ICMP) and errors whose quoted
 * datagram is one of our probes: quoted IP header whole, 8 bytes after
 * it, our destination, our protocol, our identifier/ports, a probe
 * number in range.  Returns 1 and fills r, or 0 with r->why.
 */
int probe_match_icmp(const struct probe_cfg *, const uint8_t *pkt, size_t n,
    const uint8_t *from, struct probe_reply *r);
/*
 * A TCP segment from a raw IPPROTO_TCP socket (IPv4 with its IP header,
 * IPv6 without, from = sender).  Matches a SYN-ACK or RST from the
 * destination port of the destination, to one of our source ports,
 * acknowledging isn + k + 1.  1 or 0 as above.
 */
int probe_match_tcp(const struct probe_cfg *, const uint8_t *pkt, size_t n,
    const uint8_t *from, struct probe_reply *r);
/*
 * An ICMP/ICMPv6 message from a ping socket (no IP header; the kernel
 * already matched the identifier): an echo reply to probe k from the
 * destination.  1 or 0 as above.
 */
int probe_match_ping(const struct probe_cfg *, const uint8_t *msg, size_t n,
    const uint8_t *from, struct probe_reply *r);
/*
 * The unprivileged path: which probe the kernel's error report is about.
 * dport is the destination port of the datagram in error (UDP), data
 * the bytes the kernel returned with it (ping sockets: the quoted ICMP
 * echo request).  The probe number, or -1.
 */
long probe_errqueue_probe(const struct probe_cfg *, uint16_t dport, const uint8_t *data, size_t n);
/*
 * Fill kind, annot, final and from_dst from an ICMP type and code (the
 * unprivileged path, where the kernel reports them in a
 * sock_extended_err); r->from must be set.
 */
void probe_judge(const struct probe_cfg *, uint8_t type, uint8_t code, uint32_t info,
    struct probe_reply *r);

/* --- the hop table --------------------------------------------------------- */

enum { PS_UNSENT = 0, PS_INFLIGHT, PS_ANSWERED, PS_EXPIRED, PS_SKIPPED };

struct probe_slot {
	int state;
	int64_t sent;		/* µs */
	int64_t rtt;		/* µs, answered */
	struct probe_reply r;	/* answered */
};

struct hoptab {
	unsigned first, max;	/* TTLs */
	unsigned q;		/* probes per hop */
	unsigned n;		/* (max - first + 1) * q */
	unsigned parallel;	/* probes in flight at most (-N) */
	int64_t wait;		/* µs: the longest a probe waits (-w MAX) */
	double here, near;	/* traceroute's -w MAX,HERE,NEAR factors; 0 = unused */
	unsigned final_ttl;	/* 0, or the TTL at which the destination (or an error) answered */
	unsigned next;		/* the next probe to send */
	unsigned inflight;
	unsigned done_hops;	/* hops handed out by ht_next_hop */
	struct probe_slot *s;	/* n slots, supplied by the caller */
};

void ht_init(struct hoptab *, unsigned first, unsigned max, unsigned q, unsigned parallel,
    int64_t wait, double here, double near, struct probe_slot *slots);
static inline unsigned ht_ttl(const struct hoptab *t, unsigned k) { return t->first + k / t->q; }
/* the probe to send now, or -1 (none left, or -N in flight) */
int ht_want_send(const struct hoptab *);
void ht_sent(struct hoptab *, unsigned k, int64_t now);
/*
 * A reply to probe k at time now: 1 if it was taken (the first answer of
 * a probe in flight), 0 if late, a duplicate, or beyond the final hop
 * (ICMP-12).  A final reply ends probing past its hop.
 */
int ht_answer(struct hoptab *, const struct probe_reply *, int64_t now);
/* when probe k stops waiting: sent + the adaptive wait */
int64_t ht_deadline(const struct hoptab *, unsigned k);
/* expire probes whose deadline is <= now; returns how many */
unsigned ht_expire(struct hoptab *, int64_t now);
/* the earliest deadline of a probe in flight, or -1 */
int64_t ht_next_deadline(const struct hoptab *);
/*
 * The next hop to print, in order, once each of its probes is answered
 * or expired: its TTL, or 0 if it is not complete yet.  Marks it handed
 * out.  -1 when the trace is over (past the final hop or max).
 */
int ht_next_hop(struct hoptab *);

#endif
