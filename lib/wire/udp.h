/*
 * udp.h - UDP (RFC 768): build, parse, decode.  Wire code, no system calls.
 *
 * The checksum covers the IPv4 or IPv6 pseudo-header (struct ip_pseudo,
 * ip.h).  A computed checksum of 0 is sent as 0xffff; a received 0 over
 * IPv4 means "not computed".
 */
#ifndef TUBES_UDP_H
#define TUBES_UDP_H

#include <stddef.h>
#include <stdint.h>

#include "ip.h"

enum udp_err {
	UDP_OK = 0,
	UDP_ESHORT = -1,	/* fewer than 8 bytes */
	UDP_ELEN = -2,		/* length field < 8 or larger than the bytes at hand */
	UDP_ECKSUM = -3,	/* checksum does not verify (struct still filled) */
};
const char *udp_strerror(int err);

struct udp {
	uint16_t sport, dport;
	uint16_t len;		/* length field: header + data */
	uint16_t cksum;
	int cksum_ok;		/* 1 verified, 0 wrong, -1 not checked (no pseudo-header, or 0 over IPv4) */
	const uint8_t *data;	/* len - 8 bytes (trailing bytes past len are ignored) */
	size_t datalen;
};

/* parse n bytes; with ps NULL the checksum is not verified */
int udp_parse(const uint8_t *p, size_t n, const struct ip_pseudo *ps, struct udp *u);
/*
 * Write header and data (u->data, u->datalen): the length is computed;
 * the checksum too when ps is given (else 0: "none", IPv4 only), and
 * both stored back in u.  0, or -1 if full or longer than 65535.
 */
int udp_build(struct writer *w, struct udp *u, const struct ip_pseudo *ps);
void udp_decode(struct layers *lv, const uint8_t *p, size_t n, const struct ip_pseudo *ps);

#endif
