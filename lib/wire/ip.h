/*
 * ip.h - IPv4 (RFC 791) and IPv6 (RFC 8200) headers: build, parse, decode.
 *
 * Wire code: bytes in, host-order values out, no system calls.  A parsed
 * header is a host-order view whose pointers (options, payload) point
 * into the caller's buffer; it is valid as long as that buffer is.
 *
 *   struct ip4 h;
 *   if (ip4_parse(pkt, n, 0, &h) == 0) ... h.ttl, h.proto, h.payload ...
 *
 * Builders take the same struct: the caller fills the values, the
 * builder computes the lengths and (IPv4) the header checksum.
 */
#ifndef TUBES_IP_H
#define TUBES_IP_H

#include <stddef.h>
#include <stdint.h>

struct writer;
struct layers;

/* IP protocol numbers used by tubes */
enum {
	IPP_HOPOPTS = 0, IPP_ICMP = 1, IPP_TCP = 6, IPP_UDP = 17,
	IPP_ROUTING = 43, IPP_FRAGMENT = 44, IPP_ESP = 50, IPP_AH = 51,
	IPP_ICMPV6 = 58, IPP_NONE = 59, IPP_DSTOPTS = 60,
};

/* Typed errors of the IP parsers (negative; 0 is success). */
enum ip_err {
	IP_OK = 0,
	IP_ESHORT = -1,		/* fewer bytes than the fixed header */
	IP_EVERSION = -2,	/* version field is not 4 (or 6) */
	IP_EIHL = -3,		/* IHL < 5, or the header is longer than the bytes at hand */
	IP_ELEN = -4,		/* total/payload length smaller than the header, or larger than the bytes */
	IP_ECKSUM = -5,		/* IPv4 header checksum does not verify (struct still filled) */
	IP_EEXT = -6,		/* IPv6 extension header runs past the packet */
};
const char *ip_strerror(int err);

/* parse flags */
#define IP_QUOTED 0x1	/* a datagram quoted in an ICMP error: the bytes may stop
			   short of the total length (payload is what is present) */
#define IP_NOCKSUM 0x2	/* do not verify the IPv4 header checksum */

/* IPv4 flags (the 3 high bits of the flags/fragment word) */
#define IP4_RF 0x4	/* reserved, must be zero */
#define IP4_DF 0x2	/* don't fragment */
#define IP4_MF 0x1	/* more fragments */

struct ip4 {
	uint8_t hlen;		/* header length in bytes (IHL * 4), 20..60 */
	uint8_t tos;		/* DSCP << 2 | ECN */
	uint16_t total_len;	/* total length field */
	uint16_t id;
	uint8_t flags;		/* IP4_RF | IP4_DF | IP4_MF */
	uint16_t frag_off;	/* fragment offset in 8-byte units (13 bits) */
	uint8_t ttl;
	uint8_t proto;
	uint16_t cksum;		/* as received, or as computed by the builder */
	int cksum_ok;		/* parse: the header checksum verified */
	uint8_t src[4], dst[4];
	const uint8_t *opt;	/* options (hlen - 20 bytes), or NULL */
	size_t optlen;
	const uint8_t *payload;	/* bytes after the header, up to total_len */
	size_t paylen;
	int truncated;		/* IP_QUOTED: fewer than total_len bytes were present */
};

/*
 * Parse an IPv4 header at pkt[0, n).  Checks version, IHL >= 5,
 * IHL*4 <= n, total_len >= IHL*4 and (unless IP_QUOTED) total_len <= n;
 * bytes past total_len (link padding) are ignored.  Verifies the header
 * checksum unless IP_NOCKSUM: on a mismatch returns IP_ECKSUM with *h
 * filled.  Options are not interpreted here: see ip4_opt_next.
 */
int ip4_parse(const uint8_t *pkt, size_t n, int flags, struct ip4 *h);

/*
 * Write an IPv4 header for a payload of paylen bytes: hlen is taken from
 * 20 + optlen (optlen must be a multiple of 4, at most 40; returns -1
 * otherwise), total_len = hlen + paylen, the checksum is computed and
 * stored back in h->cksum.  The payload itself is not written.  Returns
 * 0, or -1 if the writer is full or a value is out of range.
 */
int ip4_build(struct writer *w, struct ip4 *h, size_t paylen);

/*
 * Walk IPv4 options: *off starts at 0.  Returns 1 with the option's
 * type, its bytes (type byte included) and length, 0 at the end (EOL or
 * the end of the options), or -1 for a malformed option (length 0 or 1,
 * or running past the header: ICMP-10); parsing stops there.
 */
struct ip4_opt {
	uint8_t type;
	const uint8_t *p;
	size_t len;
};
int ip4_opt_next(const uint8_t *opt, size_t optlen, size_t *off, struct ip4_opt *o);
const char *ip4_opt_name(uint8_t type);

/* "ICMP", "TCP", "UDP", "ICMPv6", ... or NULL */
const char *ip_proto_name(uint8_t proto);

/* the -X view: every field by its RFC 791 name (does not print the payload) */
void ip4_decode(struct layers *lv, const uint8_t *pkt, size_t n);

/* --- IPv6 ------------------------------------------------------------- */

#define IP6_MAXEXT 8

struct ip6 {
	uint8_t tclass;		/* traffic class */
	uint32_t flow;		/* flow label, 20 bits */
	uint16_t plen;		/* payload length field */
	uint8_t next;		/* next header field of the fixed header */
	uint8_t hlim;		/* hop limit */
	uint8_t src[16], dst[16];
	/* after walking the extension headers: */
	uint8_t proto;		/* upper-layer protocol (or 59, or 50 ESP: not walked) */
	const uint8_t *payload;	/* upper-layer bytes */
	size_t paylen;
	size_t hdrlen;		/* 40 + extension headers */
	unsigned next_ext;	/* how many extension headers were walked */
	struct {
		uint8_t type;	/* 0, 43, 44, 51, 60 */
		uint16_t off, len;	/* within the packet */
	} ext[IP6_MAXEXT];
	int fragment;		/* a fragment header was seen */
	uint16_t frag_off;	/* its offset in 8-byte units */
	int frag_more;		/* its M flag */
	uint32_t frag_id;
	int truncated;		/* IP_QUOTED: fewer than 40 + plen bytes present */
};

/*
 * Parse the fixed IPv6 header and walk the extension headers (hop-by-hop,
 * routing, fragment, destination options, AH) to the upper layer.  A
 * non-first fragment stops the walk (its payload is not an upper-layer
 * header).  More than IP6_MAXEXT headers, or one running past the
 * packet: IP_EEXT.  Flags: IP_QUOTED as for IPv4.
 */
int ip6_parse(const uint8_t *pkt, size_t n, int flags, struct ip6 *h);

/*
 * Write the fixed 40-byte header (no extension headers) for paylen
 * bytes of payload; next is h->next.  0, or -1 (full, or paylen > 65535).
 */
int ip6_build(struct writer *w, const struct ip6 *h, size_t paylen);

void ip6_decode(struct layers *lv, const uint8_t *pkt, size_t n);

/* --- shared ------------------------------------------------------------ */

/* 4 or 16 address bytes as text (dotted quad, RFC 5952 for IPv6); buf >= 46 */
char *ip_ntop(int version, const uint8_t *a, char *buf, size_t n);

/*
 * The upper-layer checksum context: addresses and version, from which
 * UDP, TCP and ICMPv6 compute their pseudo-header.
 */
struct ip_pseudo {
	int version;		/* 4 or 6 */
	uint8_t src[16], dst[16];	/* 4 bytes used for IPv4 */
};
/* the unfolded pseudo-header sum for an upper-layer length len */
uint32_t ip_pseudo_sum(const struct ip_pseudo *, uint8_t proto, size_t len);

/* --- addresses as text (cidr.c) --- */

/*
 * A dotted quad of n bytes as inet_pton(AF_INET) takes it: four decimal
 * parts of 0..255, no leading zero; 0 or -1.
 */
int ip4_from_str(const char *s, size_t n, uint8_t ip[4]);
/*
 * "A.B.C.D/LEN" (LEN 0..32): the hosts of the range as numbers, first and
 * last, without the network and broadcast addresses for a prefix under
 * /31.  1 for a range, 0 for text without '/', -1 for a malformed one.
 */
int ip4_cidr_parse(const char *s, uint32_t *first, uint32_t *last, int *plen);

#endif
