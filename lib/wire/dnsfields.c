/*
 * dnsfields.c - a record's RDATA in the layer view (-X), one field a line
 * under its RFC name (RFC 1035 for SOA and MX, 2782 SRV, 8659 CAA, 3403
 * NAPTR, 4034 DS DNSKEY RRSIG NSEC, 4255 SSHFP, 6698 TLSA ...), where the
 * presentation line shows them as one string.  The field names are
 * indented two more than the record's own (NAME, TYPE, RDATA) to say they
 * are parts of RDATA.  Peer text is escaped; nothing is shown for rdata
 * that does not decode (the RDATA line says why) or a type known only as
 * bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dns.h"
#include "view.h"

/* a name field */
static void
f_name(struct layers *lv, const char *key, const struct dns_name *nm)
{
	char s[DNS_NAMESTRLEN];

	dns_name_str(nm, s, sizeof s);
	lv_field(lv, key, "%s", s);
}

/* a character-string (or any peer text) field, escaped and quoted */
static void
f_text(struct layers *lv, const char *key, const uint8_t *p, size_t n, char *buf, size_t cap)
{
	tb_escape_buf(buf, cap, p, n);
	lv_field(lv, key, "\"%s\"", buf);
}

static void
f_hex(struct layers *lv, const char *key, const uint8_t *p, size_t n, char *buf, size_t cap)
{
	dns_hex_str(p, n, buf, cap);
	lv_field(lv, key, "%s (%zu bytes)", n ? buf : "-", n);
}

static void
f_b64(struct layers *lv, const char *key, const uint8_t *p, size_t n, char *buf, size_t cap)
{
	dns_b64_str(p, n, buf, cap);
	lv_field(lv, key, "%s (%zu bytes)", buf, n);
}

static void
f_types(struct layers *lv, const char *key, const struct dns_rdata *rd, char *buf, size_t cap)
{
	size_t off = 0, l = 0;
	uint16_t type;
	char t[16];

	buf[0] = '\0';
	while (dns_bitmap_next(rd->map, rd->maplen, &off, &type)) {
		/* (the name may be the table's, not t) */
		const char *nm = dns_type_name(type, t, sizeof t);
		size_t k = strlen(nm);

		if (l + k + 2 > cap)
			break;
		if (l)
			buf[l++] = ' ';
		memcpy(buf + l, nm, k + 1);
		l += k;
	}
	lv_field(lv, key, "%s", buf);
}

/* DNSSEC and key or digest records; 0 if rr is not one */
static int
keys(struct layers *lv, const struct dns_rr *rr, const struct dns_rdata *r, char *buf, size_t cap)
{
	char s[DNS_NAMESTRLEN], t[16];

	switch (rr->type) {
	case DNS_T_DS:
	case DNS_T_CDS:		/* RFC 4034 5.1 */
		lv_field(lv, "  Key Tag", "%u", r->u16[0]);
		lv_field(lv, "  Algorithm", "%u", r->u8[0]);
		lv_field(lv, "  Digest Type", "%u", r->u8[1]);
		f_hex(lv, "  Digest", r->data, r->datalen, buf, cap);
		break;
	case DNS_T_DNSKEY:
	case DNS_T_CDNSKEY:	/* RFC 4034 2.1 */
		lv_field(lv, "  Flags", "%u%s%s", r->u16[0], r->u16[0] & 0x100 ? " (Zone Key)" : "",
		    r->u16[0] & 1 ? " (Secure Entry Point)" : "");
		lv_field(lv, "  Protocol", "%u", r->u8[0]);
		lv_field(lv, "  Algorithm", "%u", r->u8[1]);
		f_b64(lv, "  Public Key", r->data, r->datalen, buf, cap);
		lv_field(lv, "  (key tag)", "%u (computed, RFC 4034 appendix B)", r->u16[1]);
		break;
	case DNS_T_RRSIG:	/* RFC 4034 3.1 */
		lv_field(lv, "  Type Covered", "%u (%s)", r->u16[2], dns_type_name(r->u16[2], t, sizeof t));
		lv_field(lv, "  Algorithm", "%u", r->u8[0]);
		lv_field(lv, "  Labels", "%u", r->u8[1]);
		lv_field(lv, "  Original TTL", "%u", (unsigned)r->n[0]);
		dns_time_str(r->n[1], s, sizeof s);
		lv_field(lv, "  Signature Expiration", "%u (%s)", (unsigned)r->n[1], s);
		dns_time_str(r->n[2], s, sizeof s);
		lv_field(lv, "  Signature Inception", "%u (%s)", (unsigned)r->n[2], s);
		lv_field(lv, "  Key Tag", "%u", r->u16[0]);
		f_name(lv, "  Signer's Name", &r->name);
		f_b64(lv, "  Signature", r->data, r->datalen, buf, cap);
		break;
	case DNS_T_NSEC:	/* RFC 4034 4.1 */
		f_name(lv, "  Next Domain Name", &r->name);
		f_types(lv, "  Type Bit Maps", r, buf, cap);
		break;
	case DNS_T_NSEC3:
	case DNS_T_NSEC3PARAM:	/* RFC 5155 3.2, 4.2 */
		lv_field(lv, "  Hash Algorithm", "%u", r->u8[0]);
		lv_field(lv, "  Flags", "%u", r->u8[1]);
		lv_field(lv, "  Iterations", "%u", r->u16[0]);
		f_hex(lv, "  Salt", r->tag, r->taglen, buf, cap);
		if (rr->type == DNS_T_NSEC3PARAM)
			break;
		dns_b32hex_str(r->data, r->datalen, buf, cap);
		lv_field(lv, "  Next Hashed Owner", "%s", buf);
		f_types(lv, "  Type Bit Maps", r, buf, cap);
		break;
	case DNS_T_SSHFP:	/* RFC 4255 3.1 */
		lv_field(lv, "  Algorithm", "%u", r->u8[0]);
		lv_field(lv, "  Fingerprint Type", "%u", r->u8[1]);
		f_hex(lv, "  Fingerprint", r->data, r->datalen, buf, cap);
		break;
	case DNS_T_TLSA:	/* RFC 6698 2.1 */
		lv_field(lv, "  Certificate Usage", "%u", r->u8[0]);
		lv_field(lv, "  Selector", "%u", r->u8[1]);
		lv_field(lv, "  Matching Type", "%u", r->u8[2]);
		f_hex(lv, "  Cert. Association Data", r->data, r->datalen, buf, cap);
		break;
	case DNS_T_OPENPGPKEY:	/* RFC 7929 */
		f_b64(lv, "  Public Key", r->data, r->datalen, buf, cap);
		break;
	case DNS_T_CSYNC:	/* RFC 7477 2.1 */
		lv_field(lv, "  SOA Serial", "%u", (unsigned)r->n[0]);
		lv_field(lv, "  Flags", "0x%04x", r->u16[0]);
		f_types(lv, "  Type Bit Map", r, buf, cap);
		break;
	case DNS_T_ZONEMD:	/* RFC 8976 2.2 */
		lv_field(lv, "  Serial", "%u", (unsigned)r->n[0]);
		lv_field(lv, "  Scheme", "%u", r->u8[0]);
		lv_field(lv, "  Hash Algorithm", "%u", r->u8[1]);
		f_hex(lv, "  Digest", r->data, r->datalen, buf, cap);
		break;
	default:
		return 0;
	}
	return 1;
}

/* SVCB and HTTPS (RFC 9460 2.2): priority, target, each SvcParam */
static void
svc(struct layers *lv, const struct dns_rdata *rd, char *buf, size_t cap)
{
	size_t off = 0;
	uint16_t key, vlen;
	const uint8_t *val;
	char t[16];

	lv_field(lv, "  SvcPriority", "%u%s", rd->u16[0], rd->u16[0] ? "" : " (AliasMode)");
	f_name(lv, "  TargetName", &rd->name);
	while (dns_svc_next(rd->data, rd->datalen, &off, &key, &val, &vlen)) {
		dns_svc_value_str(key, val, vlen, buf, cap);
		lv_field(lv, "  SvcParam", "%s=%s", dns_svckey_name(key, t, sizeof t), buf);
	}
}

/* LOC (RFC 1876 2): the raw values and what they mean */
static void
loc(struct layers *lv, const struct dns_rdata *rd)
{
	static const char *const pre[3] = { "  SIZE", "  HORIZ PRE", "  VERT PRE" };
	int k;

	lv_field(lv, "  VERSION", "0");
	for (k = 0; k < 3; k++)
		lv_field(lv, pre[k], "0x%02x (%.2f m)", rd->u8[k], dns_loc_m(rd->u8[k]));
	lv_field(lv, "  LATITUDE", "%u (%.7f degrees)", (unsigned)rd->n[0],
	    ((double)rd->n[0] - 2147483648.0) / 3600000.0);
	lv_field(lv, "  LONGITUDE", "%u (%.7f degrees)", (unsigned)rd->n[1],
	    ((double)rd->n[1] - 2147483648.0) / 3600000.0);
	lv_field(lv, "  ALTITUDE", "%u (%.2f m)", (unsigned)rd->n[2],
	    ((double)rd->n[2] - 10000000.0) / 100.0);
}

int
dns_rdata_layers(struct layers *lv, const uint8_t *m, size_t len, const struct dns_rr *rr,
    char *buf, size_t cap)
{
	struct dns_rdata rd;
	size_t off = 0, sl;
	const uint8_t *s;

	if (cap < 4 || dns_rdata_get(m, len, rr, &rd) != DNS_OK)
		return 0;
	if (rr->cls == DNS_C_IN && keys(lv, rr, &rd, buf, cap))
		return 1;
	switch (rr->cls == DNS_C_IN || rr->type == DNS_T_TXT ? rr->type : 0) {
	case DNS_T_NS:
		f_name(lv, "  NSDNAME", &rd.name);
		break;
	case DNS_T_CNAME:
		f_name(lv, "  CNAME", &rd.name);
		break;
	case DNS_T_PTR:
		f_name(lv, "  PTRDNAME", &rd.name);
		break;
	case DNS_T_DNAME:	/* RFC 6672 2.1 */
		f_name(lv, "  target", &rd.name);
		break;
	case DNS_T_MX:		/* RFC 1035 3.3.9 */
		lv_field(lv, "  PREFERENCE", "%u", rd.u16[0]);
		f_name(lv, "  EXCHANGE", &rd.name);
		break;
	case DNS_T_SOA:		/* RFC 1035 3.3.13 */
		f_name(lv, "  MNAME", &rd.name);
		f_name(lv, "  RNAME", &rd.name2);
		lv_field(lv, "  SERIAL", "%u", (unsigned)rd.n[0]);
		lv_field(lv, "  REFRESH", "%u", (unsigned)rd.n[1]);
		lv_field(lv, "  RETRY", "%u", (unsigned)rd.n[2]);
		lv_field(lv, "  EXPIRE", "%u", (unsigned)rd.n[3]);
		lv_field(lv, "  MINIMUM", "%u", (unsigned)rd.n[4]);
		break;
	case DNS_T_TXT:		/* RFC 1035 3.3.14 */
		while (dns_cstr_next(rd.data, rd.datalen, &off, &s, &sl))
			f_text(lv, "  TXT-DATA", s, sl, buf, cap);
		break;
	case DNS_T_HINFO:	/* RFC 1035 3.3.2 */
		f_text(lv, "  CPU", rd.tag, rd.taglen, buf, cap);
		f_text(lv, "  OS", rd.data, rd.datalen, buf, cap);
		break;
	case DNS_T_RP:		/* RFC 1183 2.2 */
		f_name(lv, "  mbox-dname", &rd.name);
		f_name(lv, "  txt-dname", &rd.name2);
		break;
	case DNS_T_SRV:		/* RFC 2782 */
		lv_field(lv, "  Priority", "%u", rd.u16[0]);
		lv_field(lv, "  Weight", "%u", rd.u16[1]);
		lv_field(lv, "  Port", "%u", rd.u16[2]);
		f_name(lv, "  Target", &rd.name);
		break;
	case DNS_T_CAA:		/* RFC 8659 4.1 */
		lv_field(lv, "  Flags", "%u%s", rd.u8[0], rd.u8[0] & 0x80 ? " (Issuer Critical)" : "");
		f_text(lv, "  Tag", rd.tag, rd.taglen, buf, cap);
		f_text(lv, "  Value", rd.data, rd.datalen, buf, cap);
		break;
	case DNS_T_NAPTR:	/* RFC 3403 4.1 */
		lv_field(lv, "  ORDER", "%u", rd.u16[0]);
		lv_field(lv, "  PREFERENCE", "%u", rd.u16[1]);
		f_text(lv, "  FLAGS", rd.tag, rd.taglen, buf, cap);
		f_text(lv, "  SERVICES", rd.data, rd.datalen, buf, cap);
		f_text(lv, "  REGEXP", rd.data2, rd.datalen2, buf, cap);
		f_name(lv, "  REPLACEMENT", &rd.name);
		break;
	case DNS_T_URI:		/* RFC 7553 4.5 */
		lv_field(lv, "  Priority", "%u", rd.u16[0]);
		lv_field(lv, "  Weight", "%u", rd.u16[1]);
		f_text(lv, "  Target", rd.data, rd.datalen, buf, cap);
		break;
	case DNS_T_LOC:
		if (rd.data != NULL)	/* not version 0: bytes only */
			return 0;
		loc(lv, &rd);
		break;
	case DNS_T_SVCB:
	case DNS_T_HTTPS:
		svc(lv, &rd, buf, cap);
		break;
	default:	/* A and AAAA are one field already; others are bytes */
		return 0;
	}
	return 1;
}
