/*
 * tcp.h - the TCP header (RFC 9293) with its options: MSS, window scale
 * (RFC 7323), SACK-permitted and SACK blocks (RFC 2018), timestamps
 * (RFC 7323).  Build, parse, decode.  Wire code, no system calls.
 */
#ifndef TUBES_TCP_H
#define TUBES_TCP_H

#include <stddef.h>
#include <stdint.h>

#include "ip.h"

/* flags: the low 9 bits of the 4th 16-bit word */
#define TCP_FIN 0x001
#define TCP_SYN 0x002
#define TCP_RST 0x004
#define TCP_PSH 0x008
#define TCP_ACK 0x010
#define TCP_URG 0x020
#define TCP_ECE 0x040
#define TCP_CWR 0x080
#define TCP_AE  0x100	/* formerly NS (RFC 3540), now Accurate ECN */

/* option kinds */
enum { TCPOPT_EOL_ = 0, TCPOPT_NOP_ = 1, TCPOPT_MSS_ = 2, TCPOPT_WS_ = 3,
	TCPOPT_SACKOK_ = 4, TCPOPT_SACK_ = 5, TCPOPT_TS_ = 8 };

enum tcp_err {
	TCP_OK = 0,
	TCP_ESHORT = -1,	/* fewer than 20 bytes */
	TCP_EOFF = -2,		/* data offset < 5 or past the segment */
	TCP_EOPT = -3,		/* malformed option (length < 2, past the header, wrong size) */
	TCP_ECKSUM = -4,	/* checksum does not verify (struct still filled) */
};
const char *tcp_strerror(int err);

struct tcp {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t doff;		/* header length in bytes (data offset * 4) */
	uint8_t reserved;	/* the 3 reserved bits */
	uint16_t flags;		/* TCP_FIN ... TCP_AE */
	uint16_t window, cksum, urg;
	int cksum_ok;		/* 1 verified, 0 wrong, -1 not checked */
	/* options, parsed; the builder writes the ones set, in Linux's order */
	int has_mss, has_ws, sack_ok, has_ts;
	uint16_t mss;
	uint8_t ws;		/* shift count */
	uint32_t ts_val, ts_ecr;
	unsigned nsack;		/* SACK blocks (parse only) */
	uint32_t sack[4][2];
	const uint8_t *opt;	/* raw options; a builder given opt writes them verbatim */
	size_t optlen;
	const uint8_t *data;	/* payload */
	size_t datalen;
};

/* parse a segment of n bytes; with ps NULL the checksum is not verified */
int tcp_parse(const uint8_t *p, size_t n, const struct ip_pseudo *ps, struct tcp *t);
/*
 * Write header, options and data.  Options: t->opt verbatim when set
 * (padded with EOL to 4 bytes), else built from the fields as Linux
 * orders them (MSS; SACK-permitted + timestamps, or NOP NOP + one of
 * them; NOP + window scale).  doff is computed; the checksum is computed
 * when ps is given.  Both are stored back in t.  0 or -1.
 */
int tcp_build(struct writer *w, struct tcp *t, const struct ip_pseudo *ps);
/* "SYN,ACK" style list of the flags set into buf */
char *tcp_flags_str(uint16_t flags, char *buf, size_t n);
void tcp_decode(struct layers *lv, const uint8_t *p, size_t n, const struct ip_pseudo *ps);

#endif
