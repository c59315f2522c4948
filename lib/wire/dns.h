/*
 * dns.h - DNS messages (RFC 1034, 1035, 3597, 6891): wire-form names
 * with bounded decompression and compression when building, a parser
 * that validates a whole message before anything is read from it, typed
 * rdata, presentation format, and the -X decoder.
 *
 * dns.c and dnstext.c are wire code: no system calls.  The transport
 * (sockets, resolv.conf) is in dnsnet.h / dnsres.c.
 */
#ifndef TUBES_DNS_H
#define TUBES_DNS_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

#define DNS_HDRLEN	12
#define DNS_MAXNAME	255	/* octets in wire form, root label included */
#define DNS_MAXLABEL	63
#define DNS_MAXJUMPS	128	/* compression pointers followed per name */
#define DNS_MAXMSG	65535
#define DNS_EDNS_SIZE	1232	/* DNS Flag Day 2020 */
#define DNS_NAMESTRLEN	(DNS_MAXNAME * 4 + 2)	/* presentation, every byte \DDD */

/* header field offsets (RFC 1035 §4.1.1) */
enum { DNS_OFF_ID = 0, DNS_OFF_FLAGS = 2, DNS_OFF_QD = 4, DNS_OFF_AN = 6,
	DNS_OFF_NS = 8, DNS_OFF_AR = 10 };

/* flag bits of the 16-bit flags word */
#define DNS_QR		0x8000
#define DNS_AA		0x0400
#define DNS_TC		0x0200
#define DNS_RD		0x0100
#define DNS_RA		0x0080
#define DNS_Z		0x0040
#define DNS_AD		0x0020
#define DNS_CD		0x0010
#define DNS_OPCODE(f)	(((f) >> 11) & 0xf)
#define DNS_RCODE(f)	((f) & 0xf)

enum dns_type {
	DNS_T_A = 1, DNS_T_NS = 2, DNS_T_CNAME = 5, DNS_T_SOA = 6, DNS_T_PTR = 12,
	DNS_T_HINFO = 13, DNS_T_MX = 15, DNS_T_TXT = 16, DNS_T_AAAA = 28,
	DNS_T_SRV = 33, DNS_T_OPT = 41, DNS_T_DS = 43, DNS_T_RRSIG = 46,
	DNS_T_NSEC = 47, DNS_T_DNSKEY = 48, DNS_T_ANY = 255, DNS_T_CAA = 257,
	DNS_T_RP = 17, DNS_T_LOC = 29, DNS_T_NAPTR = 35, DNS_T_DNAME = 39,
	DNS_T_SSHFP = 44, DNS_T_NSEC3 = 50, DNS_T_NSEC3PARAM = 51, DNS_T_TLSA = 52,
	DNS_T_CDS = 59, DNS_T_CDNSKEY = 60, DNS_T_OPENPGPKEY = 61, DNS_T_CSYNC = 62,
	DNS_T_ZONEMD = 63, DNS_T_SVCB = 64, DNS_T_HTTPS = 65, DNS_T_URI = 256,
};
enum { DNS_C_IN = 1, DNS_C_CH = 3, DNS_C_HS = 4, DNS_C_ANY = 255 };
enum { DNS_R_NOERROR = 0, DNS_R_FORMERR = 1, DNS_R_SERVFAIL = 2, DNS_R_NXDOMAIN = 3,
	DNS_R_NOTIMP = 4, DNS_R_REFUSED = 5, DNS_R_BADVERS = 16 };
enum { DNS_SEC_QUESTION, DNS_SEC_ANSWER, DNS_SEC_AUTHORITY, DNS_SEC_ADDITIONAL };

/* parse errors, one per hostile case family (hostile-peers.md DNS-01..09, 17) */
enum dns_err {
	DNS_OK = 0,
	DNS_ESHORT = -1,	/* message or field cut short (DNS-08) */
	DNS_ELOOP = -2,		/* compression pointer loop (DNS-01) */
	DNS_EPTR = -3,		/* pointer forward or past the end (DNS-02) */
	DNS_ELABELTYPE = -4,	/* reserved label type 0x40/0x80 (DNS-03) */
	DNS_ELABEL = -5,	/* label longer than 63 or empty (DNS-04) */
	DNS_ENAMELEN = -6,	/* name longer than 255 octets (DNS-05) */
	DNS_ERDATA = -7,	/* rdlength past the end or wrong for the type (DNS-07) */
	DNS_ECOUNT = -8,	/* fewer records than the counts say (DNS-09) */
	DNS_EOPT = -9,		/* several OPT, or OPT outside additional (DNS-17) */
	DNS_ESPACE = -10,	/* building: no room */
	DNS_ESYNTAX = -11,	/* presentation text that does not parse */
};
const char *dns_strerror(int err);

/* a name in uncompressed wire form: labels, then the root's 0 */
struct dns_name {
	uint8_t len;		/* octets in b, 1..255 */
	uint8_t b[DNS_MAXNAME];
};

/*
 * Read the name at off in msg (len bytes), following compression
 * pointers: each must point strictly below every label start seen so
 * far, at most DNS_MAXJUMPS of them, and the result at most 255 octets.
 * The uncompressed part must end at or before lim (an rdata's end, or
 * len).  *next gets the offset after the name where it sits (after the
 * first pointer).  Returns DNS_OK or an error.
 */
int dns_name_read(const uint8_t *msg, size_t len, size_t off, size_t lim,
    struct dns_name *out, size_t *next);
/* text ("www.example.com", "a\.b.", "\065") to wire form; "." is the root */
int dns_name_from_str(const char *s, struct dns_name *out);
/* presentation with RFC 1035 §5.1 escapes, trailing dot; returns the length */
size_t dns_name_str(const struct dns_name *, char *buf, size_t cap);
int dns_name_eq(const struct dns_name *, const struct dns_name *);	/* ASCII case-insensitive */
int dns_name_labels(const struct dns_name *);
/* join: out = a + b (a relative: its root byte dropped) */
int dns_name_cat(const struct dns_name *a, const struct dns_name *b, struct dns_name *out);
/* the in-addr.arpa / ip6.arpa name of a 4- or 16-byte address */
void dns_name_reverse(const uint8_t *addr, int len16, struct dns_name *out);

/* --- decoded header and parsed message ------------------------------ */

struct dns_header {
	uint16_t id, flags;
	uint16_t qdcount, ancount, nscount, arcount;
};
void dns_header_get(const uint8_t *msg, struct dns_header *);

struct dns_rr {
	size_t name_off;	/* where the owner name starts in the message */
	struct dns_name name;
	uint16_t type, cls;
	uint32_t ttl;
	uint16_t rdlen;
	size_t rdoff;		/* offset of rdata in the message */
	int section;		/* DNS_SEC_* */
};

struct dns_msg {
	const uint8_t *buf;
	size_t len;
	struct dns_header h;
	int has_q;		/* a question was present (qdcount >= 1) */
	struct dns_name qname;
	uint16_t qtype, qclass;
	size_t rr_off;		/* first record after the question(s) */
	unsigned nrr;		/* an + ns + ar */
	size_t trailing;	/* bytes after the last counted record */
	/* EDNS (RFC 6891) from the OPT record, if any */
	int edns;		/* an OPT record was present */
	uint16_t edns_size;
	uint8_t edns_ercode, edns_version;
	uint16_t edns_flags;	/* DO is 0x8000 */
	uint16_t rcode;		/* 12-bit rcode: header rcode | ext rcode << 4 */
	size_t opt_rdoff;
	uint16_t opt_rdlen;
};

/*
 * Validate and index a whole message: header, every question, every
 * counted record (names, rdlength, rdata per type), at most one OPT and
 * only in additional.  After DNS_OK, dns_rr_next cannot fail.  After an
 * error, the header, the question if it parsed and the records before
 * the bad one can still be read (dig's +besteffort).
 */
int dns_parse(struct dns_msg *, const void *buf, size_t len);
/* iterate records: *it starts at 0; returns 1 with rr filled, 0 at the end */
int dns_rr_next(const struct dns_msg *, size_t *off, unsigned *idx, struct dns_rr *rr);
/*
 * The answers to the question asked: answer records of its type (any for
 * ANY, or with no question).  0 after a CNAME chain that ends without one
 * is NODATA (RFC 2308 section 2.2).
 */
unsigned dns_answer_count(const struct dns_msg *);

/*
 * typed rdata; which field holds what, per type:
 *   A AAAA	addr
 *   NS CNAME PTR DNAME	name
 *   MX		u16[0] preference, name exchange
 *   SOA	name mname, name2 rname, n[0..4] serial refresh retry expire minimum
 *   TXT	data: the character-strings in wire form
 *   SRV	u16[0..2] priority weight port, name target
 *   CAA	u8[0] flags, tag, data value
 *   DS CDS	u16[0] key tag, u8[0] algorithm, u8[1] digest type, data digest
 *   DNSKEY CDNSKEY u16[0] flags, u8[0] protocol, u8[1] algorithm, u16[1] key tag, data key
 *   RRSIG	u16[2] type covered, u8[0] algorithm, u8[1] labels, n[0] original ttl,
 *		n[1] expiration, n[2] inception, u16[0] key tag, name signer, data signature
 *   NSEC	name next, data and map the type bitmap
 *   HINFO	tag cpu, data os
 *   RP		name mbox, name2 txt
 *   NAPTR	u16[0] order, u16[1] preference, tag flags, data services, data2 regexp,
 *		name replacement
 *   SSHFP	u8[0] algorithm, u8[1] fingerprint type, data fingerprint
 *   TLSA	u8[0] usage, u8[1] selector, u8[2] matching type, data
 *   NSEC3	u8[0] algorithm, u8[1] flags, u16[0] iterations, tag salt, data next hash,
 *		map the type bitmap
 *   NSEC3PARAM	u8[0] algorithm, u8[1] flags, u16[0] iterations, tag salt
 *   URI	u16[0] priority, u16[1] weight, data target
 *   OPENPGPKEY	data key
 *   CSYNC	n[0] serial, u16[0] flags, map the type bitmap
 *   ZONEMD	n[0] serial, u8[0] scheme, u8[1] hash algorithm, data digest
 *   LOC	u8[0..2] size horiz_pre vert_pre, n[0..2] latitude longitude altitude
 *		(version 0 only; another version is opaque)
 *   SVCB HTTPS	u16[0] priority, name target, data the SvcParams in wire form
 *   others	data: the rdata (RFC 3597)
 * dns_put_rr writes the types it knows from the fields, others from raw.
 */
struct dns_rdata {
	uint16_t type;
	uint8_t addr[16];
	struct dns_name name;
	struct dns_name name2;
	uint32_t n[5];
	uint16_t u16[3];
	uint8_t u8[3];
	const uint8_t *tag;
	size_t taglen;
	const uint8_t *data;
	size_t datalen;
	const uint8_t *data2;
	size_t datalen2;
	const uint8_t *map;
	size_t maplen;
	const uint8_t *raw;		/* the whole rdata as it came (names maybe compressed) */
	size_t rawlen;
};
int dns_rdata_get(const uint8_t *msg, size_t len, const struct dns_rr *, struct dns_rdata *);
/*
 * Walk validated rdata: the next SvcParam of SVCB/HTTPS data (1 with
 * key, value and its length), the next type of a type bitmap, the next
 * character-string of a run of them.  *off starts at 0; 0 at the end.
 */
int dns_svc_next(const uint8_t *p, size_t n, size_t *off, uint16_t *key,
    const uint8_t **val, uint16_t *vlen);
int dns_bitmap_next(const uint8_t *p, size_t n, size_t *off, uint16_t *type);
int dns_cstr_next(const uint8_t *p, size_t n, size_t *off, const uint8_t **s, size_t *len);
/*
 * The next EDNS option (RFC 6891 section 6.1.2) of OPT rdata, which the
 * parser does not look into: 1 with its code, value and length; 0 at the
 * end, or at an option whose length runs past the rdata (the rest is
 * garbage and is not shown).  *off starts at 0.
 */
int dns_opt_next(const uint8_t *rd, size_t n, size_t *off, uint16_t *code,
    const uint8_t **val, uint16_t *vlen);
/* the DNSKEY/RRSIG key tag (RFC 4034 appendix B) of DNSKEY rdata */
uint16_t dns_keytag(const uint8_t *rdata, size_t n);

/* --- iterative resolution (+trace) ------------------------------------ */

/* the root servers (IANA's named.root, 2024): name and IPv4 address */
#define DNS_NROOTS	13
extern const char *const dns_roots[DNS_NROOTS][2];

/*
 * One line of a root hints file (named.root: "NAME [TTL] [IN] A|AAAA|NS
 * DATA", ';' comments): 1 when it gives a server address, with the owner
 * name and the address text copied out, NUL-terminated (the name cut to
 * fit); 0 for any other line, for an address not of family (4 or 6; 0
 * for either), and for an address word of addrcap bytes or more.  The
 * caller parses the address.
 */
int dns_hints_line(const char *line, int family, char *name, size_t namecap,
    char *addr, size_t addrcap);

/*
 * A query line of dig's -f file: "name [type|class ...]", words split by
 * blanks, in place (line is cut up).  DNS_QL_SKIP for a blank line or one
 * whose first word starts with '#' or ';'; DNS_QL_BADNAME when the name
 * does not parse (bad[0] is it); else *type and *cls are set by the words
 * that are a type or class (left as they were otherwise) and the result is
 * the number of other words, the first DNS_QL_MAXBAD of them in bad[]:
 * DNS_QL_OK when there are none.
 */
#define DNS_QL_MAXBAD	8
enum { DNS_QL_BADNAME = -2, DNS_QL_SKIP = -1, DNS_QL_OK = 0 };
int dns_query_line(char *line, struct dns_name *, uint16_t *type, uint16_t *cls,
    const char *bad[DNS_QL_MAXBAD]);

/*
 * The servers a referral (RFC 1034 section 4.3.2) names, in order: for
 * each NS record in authority (class IN: elsewhere its rdata is opaque),
 * one item per address record (class IN) of that name in additional (glue; A or AAAA as family 0, 4 or 6 allows), or, when it
 * has none, one item with af 0 for the caller to look the name up.  Start
 * with a zeroed dns_ref_it; 1 per item, 0 at the end.
 */
struct dns_ref {
	struct dns_name name;	/* the name server */
	int af;			/* 4, 6, or 0: no glue */
	uint8_t addr[16];	/* af 4: the first 4 bytes */
};
struct dns_ref_it {
	size_t off, off2;
	unsigned idx, idx2;
	int inner;		/* walking additional for ns */
	int glue;		/* ns had an address there */
	struct dns_name ns;
};
int dns_referral_next(const struct dns_msg *, int family, struct dns_ref_it *, struct dns_ref *);

/* --- building -------------------------------------------------------- */

#define DNS_COMP_MAX 64
struct dns_comp {		/* names already written, for compression */
	size_t n;
	uint16_t off[DNS_COMP_MAX];
};

/* header with all counts; counts can be fixed later with dns_set_counts */
void dns_put_header(struct writer *, const struct dns_header *);
void dns_set_counts(uint8_t *msg, uint16_t qd, uint16_t an, uint16_t ns, uint16_t ar);
/* write a name, compressed against earlier names when comp is non-NULL */
void dns_put_name(struct writer *, struct dns_comp *, const struct dns_name *);
void dns_put_question(struct writer *, struct dns_comp *, const struct dns_name *,
    uint16_t type, uint16_t cls);
/* a whole RR from typed rdata (names in NS/CNAME/PTR/MX/SOA compressed) */
void dns_put_rr(struct writer *, struct dns_comp *, const struct dns_name *,
    uint16_t type, uint16_t cls, uint32_t ttl, const struct dns_rdata *);
/* OPT pseudo-record: udp payload size, DO bit */
void dns_put_opt(struct writer *, uint16_t size, int dobit);

struct dns_query {
	uint16_t id;
	uint16_t flags;		/* DNS_RD, DNS_CD, DNS_AD */
	struct dns_name qname;
	uint16_t qtype, qclass;
	uint16_t edns_size;	/* 0: no OPT */
	int dobit;
};
/* a query message; returns its length, or 0 if cap is too small */
size_t dns_build_query(const struct dns_query *, uint8_t *buf, size_t cap);

/* --- names of things, presentation (dnstext.c) ----------------------- */

const char *dns_type_name(uint16_t type, char *buf, size_t cap);	/* "MX", "TYPE999" */
int dns_type_parse(const char *, uint16_t *);			/* 0 or -1 */
const char *dns_class_name(uint16_t cls, char *buf, size_t cap);
int dns_class_parse(const char *, uint16_t *);
const char *dns_rcode_name(unsigned rcode, char *buf, size_t cap);
/* the header flags set, as dig lists them: "qr rd ra" */
size_t dns_flags_str(uint16_t flags, char *buf, size_t cap);
const char *dns_opcode_name(unsigned op, char *buf, size_t cap);
/* rdata in presentation format (RFC 1035 §5.1, RFC 3597 for unknown types) */
size_t dns_rdata_str(const uint8_t *msg, size_t len, const struct dns_rr *, char *buf, size_t cap);
/* "name ttl class type rdata" with dig's tabs */
size_t dns_rr_str(const uint8_t *msg, size_t len, const struct dns_rr *, char *buf, size_t cap);
/* the same without the TTL and/or the class (dig's +nottlid, +noclass) */
#define DNS_STR_NOTTL	1
#define DNS_STR_NOCLASS	2
#define DNS_STR_MULTI	4	/* dig's +multiline */
size_t dns_rr_str_opt(const uint8_t *msg, size_t len, const struct dns_rr *, unsigned opt,
    char *buf, size_t cap);
/* the question as dig comments it: ";name class type" in the same columns */
size_t dns_question_str(const struct dns_name *, uint16_t cls, uint16_t type, unsigned opt,
    char *buf, size_t cap);

/* hex (upper case) and base64 without line breaks, RRSIG times; for JSON */
size_t dns_hex_str(const uint8_t *, size_t, char *buf, size_t cap);
size_t dns_b64_str(const uint8_t *, size_t, char *buf, size_t cap);
size_t dns_time_str(uint32_t secs, char *buf, size_t cap);
size_t dns_b32hex_str(const uint8_t *, size_t, char *buf, size_t cap);	/* NSEC3, no padding */
/* a SvcParamKey by name ("alpn", "key65000"); a SvcParam's value as presented, unquoted */
const char *dns_svckey_name(uint16_t key, char *buf, size_t cap);
size_t dns_svc_value_str(uint16_t key, const uint8_t *val, size_t n, char *buf, size_t cap);
/* a LOC size or precision in metres from its mantissa/exponent octet */
double dns_loc_m(uint8_t);
/*
 * -X (dnsfields.c): the fields of rr's rdata, one line each under its
 * RFC name (SOA's MNAME .. MINIMUM, MX, SRV, CAA, NAPTR, DS, DNSKEY ...);
 * buf is scratch for text and hex.  1 shown, 0 nothing (bytes only, or
 * rdata that does not decode).
 */
struct layers;
int dns_rdata_layers(struct layers *, const uint8_t *msg, size_t len, const struct dns_rr *,
    char *buf, size_t cap);
/* the number of records types[] names, and each, for --help and completion tests */
size_t dns_type_count(void);
const char *dns_type_at(size_t);

#endif
