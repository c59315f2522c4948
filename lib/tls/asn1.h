/*
 * tls/asn1.h - a bounded DER reader for X.509 (ITU-T X.690 section 10,
 * as RFC 5280 uses it).  A cursor walks one level of TLVs; nothing is
 * allocated, nothing is copied, every length is checked against what is
 * left before it is used.
 *
 * Refused everywhere: high tag numbers (the 0x1f form: X.509 never needs
 * them), the indefinite length 0x80, lengths in the long form that the
 * short form could hold or with a leading zero byte, lengths over 2^32,
 * a BOOLEAN other than 00 or ff, an INTEGER that is empty or not minimal
 * where X.509 wants it minimal (basicConstraints, version), a BIT STRING
 * with more than 7 unused bits or unused bits that are not zero.  Nesting
 * is walked by the caller one level at a time; tb_asn1_check walks a
 * whole tree and stops at TB_ASN1_DEPTH levels.
 *
 * Public data only: no constant time here (certificates are public).
 * Wire side: no system calls.  Tested by tests/unit/t_x509.c and fuzzed
 * through fuzz/fz_x509.c.
 */
#ifndef TUBES_TLS_ASN1_H
#define TUBES_TLS_ASN1_H

#include <stddef.h>
#include <stdint.h>

#include "tls/x509.h"

#define TB_ASN1_DEPTH 16	/* deepest nesting tb_asn1_check accepts */

/* universal tags, and the context-specific ones X.509 uses */
#define ASN1_BOOLEAN	0x01
#define ASN1_INTEGER	0x02
#define ASN1_BITSTRING	0x03
#define ASN1_OCTETSTRING 0x04
#define ASN1_NULL	0x05
#define ASN1_OID	0x06
#define ASN1_UTF8	0x0c
#define ASN1_PRINTABLE	0x13
#define ASN1_T61	0x14
#define ASN1_IA5	0x16
#define ASN1_UTCTIME	0x17
#define ASN1_GENTIME	0x18
#define ASN1_UNIVERSAL	0x1c
#define ASN1_BMP	0x1e
#define ASN1_SEQUENCE	0x30
#define ASN1_SET	0x31
#define ASN1_CTX(n)	(0x80 | (n))	/* [n] IMPLICIT, primitive */
#define ASN1_CTXC(n)	(0xa0 | (n))	/* [n], constructed */

struct tb_asn1 {
	const uint8_t *p, *end;
};

/* a cursor over the bytes of a value (or of a whole DER) */
void tb_asn1_init(struct tb_asn1 *, const uint8_t *, size_t);
int tb_asn1_done(const struct tb_asn1 *);	/* nothing left */

/*
 * The next TLV: its tag, its contents in *val and (if whole is not NULL)
 * the whole TLV in *whole.  0, or -1 when nothing is left or it is
 * malformed.
 */
int tb_asn1_any(struct tb_asn1 *, unsigned *tag, struct tb_der *val, struct tb_der *whole);
/* the next TLV, which must have this tag */
int tb_asn1_get(struct tb_asn1 *, unsigned tag, struct tb_der *val);
/* 1 and the value if the next TLV has this tag, 0 if it has another or none is left, -1 malformed */
int tb_asn1_opt(struct tb_asn1 *, unsigned tag, struct tb_der *val);
/* the tag of the next TLV without moving, -1 if nothing is left */
int tb_asn1_peek(const struct tb_asn1 *);

/* a whole tree, depth bounded: 0 if der is exactly one well-formed TLV */
int tb_asn1_check(const uint8_t *der, size_t len);

/* contents helpers */
int tb_asn1_bool(const struct tb_der *, int *);	/* 00 or ff only */
/* a minimal non-negative INTEGER that fits a long; 0 or -1 */
int tb_asn1_uint(const struct tb_der *, long *);
/* a BIT STRING's bits: the unused-bit count checked, the bytes after it */
int tb_asn1_bits(const struct tb_der *, struct tb_der *bits, unsigned *unused);
/* UTCTime (tag 0x17) or GeneralizedTime (0x18) as RFC 5280 4.1.2.5 has them, "Z" only, to epoch seconds */
int tb_asn1_time(unsigned tag, const struct tb_der *, int64_t *);
/* days since 1970-01-01 of a proleptic Gregorian date, and back (year >= 1) */
int64_t tb_days(int y, int m, int d);
void tb_civil(int64_t days, int *y, int *m, int *d);
/* an OID's contents in dotted form into buf (always NUL-terminated); -1 if malformed */
int tb_asn1_oid_str(const struct tb_der *, char *buf, size_t n);
/* does the OID's contents equal this DER contents (given as a string literal of bytes) */
int tb_asn1_oid_is(const struct tb_der *, const char *oid, size_t len);
#define OID_IS(d, lit) tb_asn1_oid_is((d), (lit), sizeof(lit) - 1)

#endif
