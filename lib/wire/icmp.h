/*
 * icmp.h - ICMP (RFC 792) and ICMPv6 (RFC 4443): build, parse, decode,
 * the quoted datagram of an error, the names iputils prints, and a pure
 * reply classifier shared by ping-lite and trace.
 *
 * Wire code: no system calls.  A parsed message points into the caller's
 * buffer.
 *
 *   struct icmp m = { .version = 4, .type = IC4_ECHO_REQUEST, .id = id,
 *                     .seq = seq, .data = pad, .datalen = 56 };
 *   icmp_build(&w, &m, NULL);                 // checksum computed
 *
 *   struct icmp_verdict v;
 *   switch (icmp_classify(&probe, buf, n, from, &v)) {
 *   case ICMP_OURS:      ... v.seq, v.ttl, v.msg.datalen ...
 *   case ICMP_FOR_PROBE: ... v.seq, v.msg.type/code, v.from ...
 *   case ICMP_CORRUPT:   ... v.why ...          // count apart, never ack
 *   case ICMP_NOT_OURS:  break;                 // drop silently
 *   }
 */
#ifndef TUBES_ICMP_H
#define TUBES_ICMP_H

#include <stddef.h>
#include <stdint.h>

#include "ip.h"

/* ICMP types (RFC 792) */
enum {
	IC4_ECHO_REPLY = 0, IC4_UNREACH = 3, IC4_SOURCE_QUENCH = 4, IC4_REDIRECT = 5,
	IC4_ECHO_REQUEST = 8, IC4_TIME_EXCEEDED = 11, IC4_PARAM_PROBLEM = 12,
	IC4_TIMESTAMP = 13, IC4_TIMESTAMP_REPLY = 14,
};
/* destination unreachable codes (RFC 792, 1122, 1812) */
enum {
	IC4_NET_UNREACH = 0, IC4_HOST_UNREACH, IC4_PROTO_UNREACH, IC4_PORT_UNREACH,
	IC4_FRAG_NEEDED, IC4_SR_FAILED, IC4_NET_UNKNOWN, IC4_HOST_UNKNOWN,
	IC4_HOST_ISOLATED, IC4_NET_PROHIB, IC4_HOST_PROHIB, IC4_NET_UNR_TOS,
	IC4_HOST_UNR_TOS, IC4_FILTERED, IC4_PREC_VIOLATION, IC4_PREC_CUTOFF,
};
/* ICMPv6 types (RFC 4443) */
enum {
	IC6_UNREACH = 1, IC6_PACKET_TOO_BIG = 2, IC6_TIME_EXCEEDED = 3, IC6_PARAM_PROBLEM = 4,
	IC6_ECHO_REQUEST = 128, IC6_ECHO_REPLY = 129,
};

enum icmp_err {
	ICMP_OK = 0,
	ICMP_ESHORT = -1,	/* fewer than the 8 header bytes */
	ICMP_ECKSUM = -2,	/* checksum does not verify (message still filled) */
	ICMP_EQUOTE = -3,	/* the quoted datagram is too short or malformed (ICMP-03) */
	ICMP_ENOTERR = -4,	/* icmp_quoted on a message that quotes nothing */
};
const char *icmp_strerror(int err);

struct icmp {
	int version;		/* 4 (ICMP) or 6 (ICMPv6) */
	uint8_t type, code;
	uint16_t cksum;		/* as received, or as computed by the builder */
	int cksum_ok;		/* parse: 1 verified, 0 wrong, -1 not checked */
	uint32_t word;		/* the 4 bytes after the checksum ("rest of header") */
	/* views of word, filled by the parser; the builder takes id/seq for echo */
	uint16_t id, seq;	/* echo request/reply */
	uint32_t mtu;		/* IPv4 frag needed (next-hop MTU), ICMPv6 packet too big */
	uint32_t pointer;	/* parameter problem */
	uint8_t gateway[4];	/* IPv4 redirect */
	const uint8_t *data;	/* after the 8-byte header: echo data or the quoted datagram */
	size_t datalen;
};

/* Parse an ICMP message (no IP header) of n bytes; the checksum covers all n. */
int icmp4_parse(const uint8_t *p, size_t n, struct icmp *m);
/*
 * Parse an ICMPv6 message.  ps (source, destination as on the wire) is
 * needed to verify the checksum; with ps NULL it is not checked
 * (cksum_ok = -1), as when the kernel already did (raw ICMPv6 and ping
 * sockets always verify it).
 */
int icmp6_parse(const uint8_t *p, size_t n, const struct ip_pseudo *ps, struct icmp *m);
/*
 * Write m: type, code, then id/seq for echo messages or word for the
 * others, then data.  The checksum is computed (ICMPv6: over the
 * pseudo-header ps; with ps NULL it is left 0 for the kernel to fill,
 * which Linux does on raw ICMPv6 and ping sockets) and stored in
 * m->cksum.  0, or -1 if the writer is full.
 */
int icmp_build(struct writer *w, struct icmp *m, const struct ip_pseudo *ps);

/* an error message that quotes a datagram (unreachable, time exceeded, ...) */
int icmp_is_error(int version, uint8_t type);
int icmp_is_echo_reply(int version, uint8_t type);

/* The datagram quoted in an ICMP error. */
struct icmp_quote {
	int version;
	uint8_t proto;		/* upper-layer protocol of the quoted datagram */
	uint8_t src[16], dst[16];
	uint8_t ttl;		/* TTL / hop limit left in the quoted header */
	size_t hdrlen;		/* its IP header length (with options / extension headers) */
	const uint8_t *l4;	/* the quoted upper-layer bytes (at least 8) */
	size_t l4len;
	/* the first 8 upper-layer bytes, by protocol */
	uint8_t itype, icode;	/* ICMP/ICMPv6 */
	uint16_t id, seq;	/* ICMP/ICMPv6 echo */
	uint16_t sport, dport;	/* UDP, TCP */
	uint16_t ulen;		/* UDP length */
	uint32_t tcp_seq;	/* TCP sequence number */
};
/*
 * Parse the datagram quoted in error m: its IP header must be whole
 * (IHL >= 5 and fitting, version matching) and followed by at least 8
 * bytes (ICMP-03).  0, ICMP_ENOTERR or ICMP_EQUOTE.
 */
int icmp_quoted(const struct icmp *m, struct icmp_quote *q);

/*
 * What iputils ping prints for an ICMP error or other message, e.g.
 * "Destination Host Unreachable", "Time to live exceeded",
 * "Frag needed and DF set (mtu = 1400)", "Destination unreachable: No
 * route" (ICMPv6).  Writes into buf and returns it.
 */
char *icmp_describe(const struct icmp *m, char *buf, size_t n);
/* short names for JSON and -X: "echo-reply", "unreachable", ...; code: "host", "port", ... */
const char *icmp_type_name(int version, uint8_t type);
const char *icmp_code_name(int version, uint8_t type, uint8_t code);	/* NULL if none */

/* the -X view of an ICMP/ICMPv6 message (and the quoted headers of an error) */
void icmp4_decode(struct layers *lv, const uint8_t *p, size_t n);
void icmp6_decode(struct layers *lv, const uint8_t *p, size_t n, const struct ip_pseudo *ps);

/*
 * A request as it leaves a ping socket (or a raw ICMPv6 one), for -X:
 * the kernel writes the identifier (fill_id: id, as read back with
 * getsockname) and the checksum (ICMPv6: over the pseudo-header ps; with
 * ps NULL it is left as it is).  Writes them into p[0, n).
 */
void icmp_kernel_fill(uint8_t *p, size_t n, int version, int fill_id, uint16_t id,
    const struct ip_pseudo *ps);
/* the fields icmp_decode_sent labels as the kernel's */
#define ICMP_DV_KERNEL_ID	0x1	/* "(kernel-filled; read back)" */
#define ICMP_DV_KERNEL_CKSUM	0x2	/* "(kernel-filled; computed)", over ps for ICMPv6 */
/* the -X view of a message we send; ps: our source and the destination */
void icmp_decode_sent(struct layers *lv, int version, const uint8_t *p, size_t n,
    const struct ip_pseudo *ps, int flags);

/* --- the reply classifier ------------------------------------------------ */

/* what a prober sent: the state a received packet is matched against */
struct icmp_probe {
	int version;		/* 4 or 6 */
	int ip_header;		/* received IPv4 buffers start with the IP header (raw socket) */
	int kernel_id;		/* ping socket: the kernel matched the identifier already */
	uint8_t proto;		/* probe protocol: IPP_ICMP / IPP_ICMPV6 (echo), IPP_UDP, IPP_TCP */
	uint16_t id;		/* echo identifier, or the UDP/TCP source port */
	uint8_t dst[16];	/* where the probes went */
	int have_src;		/* src is known: ICMPv6 checksums can be verified */
	uint8_t src[16];	/* our address */
};

enum icmp_class {
	ICMP_NOT_OURS = 0,	/* someone else's traffic: drop without a word */
	ICMP_OURS = 1,		/* an echo reply to our probe */
	ICMP_CORRUPT = 2,	/* for us, but damaged: count apart, never ack */
	ICMP_FOR_PROBE = 3,	/* an ICMP error about one of our probes */
};

struct icmp_verdict {
	enum icmp_class cls;
	const char *why;	/* NOT_OURS / CORRUPT: a short reason */
	uint8_t from[16];	/* who sent it (IPv4: 4 bytes used) */
	int ttl;		/* from the IPv4 header when present, else -1 */
	uint16_t seq;		/* OURS, FOR_PROBE: the probe's sequence (echo seq; UDP/TCP: dport) */
	int wrong_source;	/* NOT_OURS: an echo reply with our id from another address (seq set) */
	struct ip4 ip;		/* the outer IPv4 header (when ip_header) */
	struct icmp msg;	/* the ICMP message */
	struct icmp_quote q;	/* FOR_PROBE: the quoted probe */
};

/*
 * Classify one received buffer against probe state.  pkt is what the
 * socket returned: an IPv4 header + ICMP (raw IPv4 socket, ip_header
 * set), or the ICMP/ICMPv6 message alone.  from is the sender's address
 * from recvfrom (may be NULL when ip_header is set).  Never reads
 * outside pkt[0, n).  Returns v->cls.
 *
 * Rules (hostile-peers.md B.2): IHL < 5, IHL past the packet, fewer than
 * IHL + 8 bytes: not ours (ICMP-02); bad ICMP checksum on an echo reply
 * with our id: corrupt (ICMP-08); another identifier: not ours
 * (ICMP-01); an echo reply from an address other than the target: not
 * ours, why = "wrong source" (ICMP-05); an error whose quoted datagram is
 * short, malformed, or not our probe (other destination, protocol, id,
 * or not an echo request): not ours (ICMP-03, ICMP-04).
 */
enum icmp_class icmp_classify(const struct icmp_probe *pr, const uint8_t *pkt, size_t n,
    const uint8_t *from, struct icmp_verdict *v);

#endif
