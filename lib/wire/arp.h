/*
 * arp.h - ARP (RFC 826) for IPv4 over Ethernet, with RFC 5227 probes and
 * announcements.  Wire code: no system calls.
 *
 *   0     2     4    5    6     8      14    18     24    28
 *   |HTYPE|PTYPE|HLEN|PLEN|OPER | SHA  | SPA | THA  | TPA |
 */
#ifndef TUBES_ARP_H
#define TUBES_ARP_H

#include <stddef.h>
#include <stdint.h>

#include "eth.h"

struct cursor;
struct writer;
struct layers;

enum {
	ARP_FIXED_LEN = 8,	/* HTYPE PTYPE HLEN PLEN OPER */
	ARP_LEN = 28,		/* the whole packet for Ethernet and IPv4 */
	ARP_FRAME_LEN = ETH2_HLEN + ARP_LEN,	/* 42; the link pads to 60 */
	ARP_OFF_HTYPE = 0,
	ARP_OFF_PTYPE = 2,
	ARP_OFF_HLEN = 4,
	ARP_OFF_PLEN = 5,
	ARP_OFF_OPER = 6,
	ARP_OFF_SHA = 8,
	ARP_OFF_SPA = 14,
	ARP_OFF_THA = 18,
	ARP_OFF_TPA = 24,
	ARP_HTYPE_ETHER = 1,
	ARP_PTYPE_IPV4 = 0x0800,
	ARP_OP_REQUEST = 1,
	ARP_OP_REPLY = 2,
	IP4_LEN = 4,
};

/* typed parse errors (hostile-peers.md ARP-01, ARP-02) */
enum arp_err {
	ARP_OK = 0,
	ARP_ESHORT = -1,	/* shorter than the fixed 8-byte header */
	ARP_ETRUNC = -2,	/* shorter than 8 + 2*(HLEN+PLEN) */
	ARP_EHTYPE = -3,	/* hardware type is not Ethernet (1) */
	ARP_EPTYPE = -4,	/* protocol type is not IPv4 (0x0800) */
	ARP_EHLEN = -5,		/* hardware address length is not 6 */
	ARP_EPLEN = -6,		/* protocol address length is not 4 */
	ARP_EOPER = -7,		/* operation is neither request nor reply */
	ARP_ENOTARP = -8,	/* the Ethernet frame does not carry ARP */
	ARP_EETH = -9,		/* the Ethernet header is short or not Ethernet II */
};

/* an ARP packet, host order (HTYPE..PLEN as received, for the parser) */
struct arp_pkt {
	uint16_t htype, ptype;
	uint8_t hlen, plen;
	uint16_t oper;
	uint8_t sha[MAC_LEN], spa[IP4_LEN], tha[MAC_LEN], tpa[IP4_LEN];
};

/* fill p with the packets arpq sends; THA is all zeros as RFC 5227 asks */
void arp_request(struct arp_pkt *, const uint8_t sha[MAC_LEN], const uint8_t spa[IP4_LEN],
    const uint8_t tpa[IP4_LEN]);
void arp_reply(struct arp_pkt *, const uint8_t sha[MAC_LEN], const uint8_t spa[IP4_LEN],
    const uint8_t tha[MAC_LEN], const uint8_t tpa[IP4_LEN]);
/* RFC 5227 probe: SPA 0.0.0.0, TPA the address to test */
void arp_probe(struct arp_pkt *, const uint8_t sha[MAC_LEN], const uint8_t tpa[IP4_LEN]);
/* RFC 5227 announcement (gratuitous ARP): SPA = TPA = our address */
void arp_announce(struct arp_pkt *, const uint8_t sha[MAC_LEN], const uint8_t ip[IP4_LEN]);

/* write the 28-byte packet (HTYPE 1, PTYPE 0x0800, HLEN 6, PLEN 4 always) */
void arp_build(struct writer *, const struct arp_pkt *);
/*
 * Write a whole frame: Ethernet II to dst from the packet's SHA, then the
 * packet; no padding.  Returns the length (42) or 0 if buf is too small.
 */
size_t arp_frame(uint8_t *buf, size_t cap, const uint8_t dst[MAC_LEN], const struct arp_pkt *);

/*
 * Parse an ARP packet at the cursor.  The fixed header is checked before
 * HLEN and PLEN are trusted; trailing bytes (Ethernet padding) are left
 * unread.  ARP_OK or an arp_err.
 */
int arp_parse(struct cursor *, struct arp_pkt *);
/* a whole frame: Ethernet II (802.1Q read through), then ARP; ARP_OK or an arp_err */
int arp_frame_parse(const uint8_t *frame, size_t n, struct eth_hdr *, struct arp_pkt *);
const char *arp_strerror(int);
const char *arp_oper_name(unsigned);

/*
 * The classifier: what a received Ethernet frame means for our query.
 * Pure; the command feeds it every frame its socket delivers.
 */
struct arp_query {
	uint8_t mac[MAC_LEN];	/* our interface's MAC */
	uint8_t spa[IP4_LEN];	/* our sender address; 0.0.0.0 in DAD mode */
	uint8_t tpa[IP4_LEN];	/* the address we ask about */
	int dad;		/* duplicate address detection (RFC 5227 probe) */
};

enum arp_class {
	ARP_ANSWER,		/* the target answers our query (DAD: claims the address) */
	ARP_NOT_OURS,		/* valid ARP, but not for this query (other IPs, other hosts, our own) */
	ARP_GRATUITOUS,		/* an announcement, SPA == TPA: not an answer */
	ARP_PROBE,		/* someone's RFC 5227 probe, SPA 0.0.0.0: not an answer */
	ARP_MALFORMED,		/* fails the parser; *err says why */
};

/*
 * Classify frame (n bytes, Ethernet header first) against q.  eh, ap and
 * err may be NULL; when not, they receive the headers and the parse error.
 *
 * Normal mode: ARP_ANSWER only for a reply sent to our MAC from SPA =
 * q->tpa, to TPA = q->spa and THA = our MAC.  DAD mode (RFC 5227 2.1.1):
 * any request or reply from another MAC whose SPA is the tested address
 * is ARP_ANSWER (a conflict); another host's probe for the same address
 * is ARP_PROBE with ap->tpa = q->tpa, also a conflict to the caller.
 */
enum arp_class arp_classify(const uint8_t *frame, size_t n, const struct arp_query *q,
    struct eth_hdr *eh, struct arp_pkt *ap, int *err);
const char *arp_class_name(enum arp_class);

/*
 * Several MACs for one address (ARP-06): remember each distinct MAC.
 * arp_note_mac returns ARP_MAC_NEW for the first, ARP_MAC_SAME for one
 * seen before, ARP_MAC_DUP for a new, different one (also when the
 * table is full: it is still a duplicate, only not remembered).
 */
#define ARP_MAX_MACS 8
struct arp_macs {
	int n;
	uint8_t mac[ARP_MAX_MACS][MAC_LEN];
};
enum { ARP_MAC_NEW, ARP_MAC_SAME, ARP_MAC_DUP };
int arp_note_mac(struct arp_macs *, const uint8_t mac[MAC_LEN]);

/*
 * Describe the ARP packet at p (n bytes) to the layer view, every field
 * by name (HTYPE PTYPE HLEN PLEN OPER SHA SPA THA TPA); a short or
 * inconsistent packet is shown as far as it goes, with the error.
 * Returns the bytes described.
 */
size_t arp_decode(struct layers *, const uint8_t *p, size_t n);
/* a whole frame: Ethernet II, then ARP, then padding, then the hex */
void arp_decode_frame(struct layers *, const uint8_t *p, size_t n);

/* dotted quad into buf (>= 16 bytes); returns buf */
char *arp_ip4_str(const uint8_t ip[IP4_LEN], char *buf, size_t n);

#endif
