/*
 * eth.h - Ethernet II: the 14-byte header (an 802.1Q tag is read through),
 * MAC addresses as text.  Wire code: no system calls.
 *
 *   0      6      12     14
 *   | dst  | src  | type | payload ...
 */
#ifndef TUBES_ETH_H
#define TUBES_ETH_H

#include <stddef.h>
#include <stdint.h>

struct cursor;
struct writer;
struct layers;

enum {
	MAC_LEN = 6,
	ETH2_HLEN = 14,		/* destination, source, type */
	ETH2_MIN_FRAME = 60,	/* without FCS: shorter frames are padded */
	ETH2_OFF_DST = 0,
	ETH2_OFF_SRC = 6,
	ETH2_OFF_TYPE = 12,
	VLAN_TAG_LEN = 4,
};

/* EtherType values (IEEE registry) */
enum {
	ETYPE_IPV4 = 0x0800,
	ETYPE_ARP = 0x0806,
	ETYPE_VLAN = 0x8100,
	ETYPE_IPV6 = 0x86dd,
	ETYPE_MIN = 0x0600,	/* below: an IEEE 802.3 length, not a type */
};

/* typed parse errors */
enum eth_err {
	ETH_OK = 0,
	ETH_ESHORT = -1,	/* fewer bytes than the header */
	ETH_ELENGTH = -2,	/* type field < 0x0600: an 802.3 length, not Ethernet II */
};

/* a decoded header, host order */
struct eth_hdr {
	uint8_t dst[MAC_LEN];
	uint8_t src[MAC_LEN];
	uint16_t type;		/* the payload's type (after any 802.1Q tag) */
	int vlan;		/* 802.1Q TCI, or -1 when untagged */
	size_t hlen;		/* 14, or 18 when tagged */
};

extern const uint8_t mac_broadcast[MAC_LEN];

/* write the 14-byte header (untagged; vlan is ignored) */
void eth_build(struct writer *, const uint8_t dst[MAC_LEN], const uint8_t src[MAC_LEN], uint16_t type);
/* read the header at the cursor, leaving it at the payload; ETH_OK or an eth_err */
int eth_parse(struct cursor *, struct eth_hdr *);
const char *eth_strerror(int);
/* the name of an EtherType ("ARP", "IPv4", ...), or NULL */
const char *eth_type_name(uint16_t);
/*
 * Describe the header at p (n bytes) to the layer view.  Returns the
 * header length, or 0 if the bytes are too short to hold one.
 */
size_t eth_decode(struct layers *, const uint8_t *p, size_t n);

/* "02:00:5e:00:00:0a" (lower case, zero-padded) into buf (>= 18 bytes); returns buf */
char *mac_str(const uint8_t mac[MAC_LEN], char *buf, size_t n);
/* six hex pairs separated by ':' or '-', either case; 0 or -1 */
int mac_parse(const char *, uint8_t mac[MAC_LEN]);
int mac_is_zero(const uint8_t mac[MAC_LEN]);
int mac_is_broadcast(const uint8_t mac[MAC_LEN]);
int mac_is_multicast(const uint8_t mac[MAC_LEN]);	/* group bit, broadcast included */

#endif
