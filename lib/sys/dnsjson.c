/*
 * dnsjson.c - DNS records as dig-lite -j prints them: every record with
 * its presentation-format rdata and, under "data", its fields by name
 * (the names of RFC 1035 and the RFC of each type).
 */
#include <stdio.h>
#include <string.h>

#include "dns.h"
#include "dnsnet.h"
#include "tubes.h"

/* the types of an NSEC, NSEC3 or CSYNC bitmap, as an array of names */
static void
json_types(struct json *js, const struct dns_rdata *rd)
{
	size_t off = 0;
	uint16_t type;
	char t[16];

	js_arr(js, "types");
	while (dns_bitmap_next(rd->map, rd->maplen, &off, &type))
		js_str(js, NULL, dns_type_name(type, t, sizeof t));
	js_close(js);
}

/* DNSSEC and key or digest records (RFC 4034, 5155, 6698, 7344, 7477, 8976, 4255, 7929); 0 if not one */
static int
json_keys(struct json *js, const struct dns_rr *rr, const struct dns_rdata *r, char *buf, size_t cap)
{
	char s[DNS_NAMESTRLEN], t[16];

	switch (rr->type) {
	case DNS_T_DS:
	case DNS_T_CDS:
		js_int(js, "key_tag", r->u16[0]);
		js_int(js, "algorithm", r->u8[0]);
		js_int(js, "digest_type", r->u8[1]);
		dns_hex_str(r->data, r->datalen, buf, cap);
		js_str(js, "digest", buf);
		break;
	case DNS_T_DNSKEY:
	case DNS_T_CDNSKEY:
		js_int(js, "flags", r->u16[0]);
		js_int(js, "protocol", r->u8[0]);
		js_int(js, "algorithm", r->u8[1]);
		js_int(js, "key_tag", r->u16[1]);
		dns_b64_str(r->data, r->datalen, buf, cap);
		js_str(js, "public_key", buf);
		break;
	case DNS_T_RRSIG:
		js_str(js, "type_covered", dns_type_name(r->u16[2], t, sizeof t));
		js_int(js, "algorithm", r->u8[0]);
		js_int(js, "labels", r->u8[1]);
		js_int(js, "original_ttl", r->n[0]);
		dns_time_str(r->n[1], s, sizeof s);
		js_str(js, "expiration", s);
		dns_time_str(r->n[2], s, sizeof s);
		js_str(js, "inception", s);
		js_int(js, "key_tag", r->u16[0]);
		dns_name_str(&r->name, s, sizeof s);
		js_str(js, "signer", s);
		dns_b64_str(r->data, r->datalen, buf, cap);
		js_str(js, "signature", buf);
		break;
	case DNS_T_NSEC:
		dns_name_str(&r->name, s, sizeof s);
		js_str(js, "next", s);
		json_types(js, r);
		break;
	case DNS_T_SSHFP:
		js_int(js, "algorithm", r->u8[0]);
		js_int(js, "fp_type", r->u8[1]);
		dns_hex_str(r->data, r->datalen, buf, cap);
		js_str(js, "fingerprint", buf);
		break;
	case DNS_T_TLSA:
		js_int(js, "usage", r->u8[0]);
		js_int(js, "selector", r->u8[1]);
		js_int(js, "matching_type", r->u8[2]);
		dns_hex_str(r->data, r->datalen, buf, cap);
		js_str(js, "data", buf);
		break;
	case DNS_T_NSEC3:
	case DNS_T_NSEC3PARAM:
		js_int(js, "algorithm", r->u8[0]);
		js_int(js, "flags", r->u8[1]);
		js_int(js, "iterations", r->u16[0]);
		dns_hex_str(r->tag, r->taglen, buf, cap);
		js_str(js, "salt", buf);
		if (rr->type == DNS_T_NSEC3PARAM)
			break;
		dns_b32hex_str(r->data, r->datalen, buf, cap);
		js_str(js, "next", buf);
		json_types(js, r);
		break;
	case DNS_T_OPENPGPKEY:
		dns_b64_str(r->data, r->datalen, buf, cap);
		js_str(js, "public_key", buf);
		break;
	case DNS_T_CSYNC:
		js_int(js, "serial", r->n[0]);
		js_int(js, "flags", r->u16[0]);
		json_types(js, r);
		break;
	case DNS_T_ZONEMD:
		js_int(js, "serial", r->n[0]);
		js_int(js, "scheme", r->u8[0]);
		js_int(js, "hash_algorithm", r->u8[1]);
		dns_hex_str(r->data, r->datalen, buf, cap);
		js_str(js, "digest", buf);
		break;
	default:
		return 0;
	}
	return 1;
}

/* the fields of a record's rdata under "data"; nothing if it does not decode */
void
dns_json_rdata(struct json *js, const struct dns_msg *m, const struct dns_rr *rr, char *buf, size_t cap)
{
	struct dns_rdata rd;
	char s[DNS_NAMESTRLEN], t[16];
	size_t i;

	if (dns_rdata_get(m->buf, m->len, rr, &rd) != DNS_OK)
		return;
	js_obj(js, "data");
	if (rr->cls == DNS_C_IN && json_keys(js, rr, &rd, buf, cap)) {
		js_close(js);
		return;
	}
	switch (rr->cls == DNS_C_IN || rr->type == DNS_T_TXT ? rr->type : 0) {
	case DNS_T_A:
	case DNS_T_AAAA:
		dns_rdata_str(m->buf, m->len, rr, s, sizeof s);
		js_str(js, "address", s);
		break;
	case DNS_T_NS:
	case DNS_T_CNAME:
	case DNS_T_PTR:
		dns_name_str(&rd.name, s, sizeof s);
		js_str(js, "target", s);
		break;
	case DNS_T_MX:
		js_int(js, "preference", rd.u16[0]);
		dns_name_str(&rd.name, s, sizeof s);
		js_str(js, "exchange", s);
		break;
	case DNS_T_SOA:
		dns_name_str(&rd.name, s, sizeof s);
		js_str(js, "mname", s);
		dns_name_str(&rd.name2, s, sizeof s);
		js_str(js, "rname", s);
		js_int(js, "serial", rd.n[0]);
		js_int(js, "refresh", rd.n[1]);
		js_int(js, "retry", rd.n[2]);
		js_int(js, "expire", rd.n[3]);
		js_int(js, "minimum", rd.n[4]);
		break;
	case DNS_T_TXT:
		js_arr(js, "strings");
		for (i = 0; i < rd.datalen; i += 1 + (size_t)rd.data[i])
			js_strn(js, NULL, rd.data + i + 1, rd.data[i]);
		js_close(js);
		break;
	case DNS_T_SRV:
		js_int(js, "priority", rd.u16[0]);
		js_int(js, "weight", rd.u16[1]);
		js_int(js, "port", rd.u16[2]);
		dns_name_str(&rd.name, s, sizeof s);
		js_str(js, "target", s);
		break;
	case DNS_T_CAA:
		js_int(js, "flags", rd.u8[0]);
		js_strn(js, "tag", rd.tag, rd.taglen);
		js_strn(js, "value", rd.data, rd.datalen);
		break;
	case DNS_T_HINFO:
		js_strn(js, "cpu", rd.tag, rd.taglen);
		js_strn(js, "os", rd.data, rd.datalen);
		break;
	case DNS_T_RP:
		dns_name_str(&rd.name, s, sizeof s);
		js_str(js, "mbox", s);
		dns_name_str(&rd.name2, s, sizeof s);
		js_str(js, "txt", s);
		break;
	case DNS_T_DNAME:
		dns_name_str(&rd.name, s, sizeof s);
		js_str(js, "target", s);
		break;
	case DNS_T_NAPTR:
		js_int(js, "order", rd.u16[0]);
		js_int(js, "preference", rd.u16[1]);
		js_strn(js, "flags", rd.tag, rd.taglen);
		js_strn(js, "services", rd.data, rd.datalen);
		js_strn(js, "regexp", rd.data2, rd.datalen2);
		dns_name_str(&rd.name, s, sizeof s);
		js_str(js, "replacement", s);
		break;
	case DNS_T_URI:
		js_int(js, "priority", rd.u16[0]);
		js_int(js, "weight", rd.u16[1]);
		js_strn(js, "target", rd.data, rd.datalen);
		break;
	case DNS_T_LOC:
		if (rd.data != NULL) {	/* not version 0 */
			dns_hex_str(rd.data, rd.datalen, buf, cap);
			js_str(js, "hex", buf);
			break;
		}
		/* degrees north and east, metres above the WGS 84 ellipsoid */
		js_num(js, "latitude", ((double)rd.n[0] - 2147483648.0) / 3600000.0, 7);
		js_num(js, "longitude", ((double)rd.n[1] - 2147483648.0) / 3600000.0, 7);
		js_num(js, "altitude", ((double)rd.n[2] - 10000000.0) / 100.0, 2);
		js_num(js, "size", dns_loc_m(rd.u8[0]), 2);
		js_num(js, "horiz_pre", dns_loc_m(rd.u8[1]), 2);
		js_num(js, "vert_pre", dns_loc_m(rd.u8[2]), 2);
		break;
	case DNS_T_SVCB:
	case DNS_T_HTTPS: {
		size_t off = 0;
		uint16_t key, vlen;
		const uint8_t *val;

		js_int(js, "priority", rd.u16[0]);
		dns_name_str(&rd.name, s, sizeof s);
		js_str(js, "target", s);
		js_obj(js, "params");
		while (dns_svc_next(rd.data, rd.datalen, &off, &key, &val, &vlen)) {
			dns_svc_value_str(key, val, vlen, buf, cap);
			js_str(js, dns_svckey_name(key, t, sizeof t), buf);
		}
		js_close(js);
		break;
	}
	default:
		dns_hex_str(rd.data, rd.datalen, buf, cap);
		js_str(js, "hex", buf);
		break;
	}
	js_close(js);
}

void
dns_json_section(struct json *js, const struct dns_msg *m, int sec, const char *key, char *buf, size_t cap)
{
	struct dns_rr rr;
	size_t off = 0;
	unsigned idx = 0;
	char s[DNS_NAMESTRLEN], t[16];

	js_arr(js, key);
	while (dns_rr_next(m, &off, &idx, &rr)) {
		if (rr.section != sec || rr.type == DNS_T_OPT)
			continue;
		js_obj(js, NULL);
		dns_name_str(&rr.name, s, sizeof s);
		js_str(js, "name", s);
		js_int(js, "ttl", rr.ttl);
		js_str(js, "class", dns_class_name(rr.cls, t, sizeof t));
		js_str(js, "type", dns_type_name(rr.type, t, sizeof t));
		dns_rdata_str(m->buf, m->len, &rr, buf, cap);
		js_str(js, "rdata", buf);
		dns_json_rdata(js, m, &rr, buf, cap);
		js_close(js);
	}
	js_close(js);
}

/* a reply's header as -j prints it: id, opcode, status, flags, EDNS, question */
void
dns_json_head(struct json *js, const struct dns_msg *m)
{
	char s[DNS_NAMESTRLEN], b[16];

	js_int(js, "id", m->h.id);
	js_str(js, "opcode", dns_opcode_name(DNS_OPCODE(m->h.flags), b, sizeof b));
	js_str(js, "status", dns_rcode_name(m->rcode, b, sizeof b));
	js_int(js, "rcode", m->rcode);
	js_obj(js, "flags");
	js_bool(js, "qr", m->h.flags & DNS_QR);
	js_bool(js, "aa", m->h.flags & DNS_AA);
	js_bool(js, "tc", m->h.flags & DNS_TC);
	js_bool(js, "rd", m->h.flags & DNS_RD);
	js_bool(js, "ra", m->h.flags & DNS_RA);
	js_bool(js, "ad", m->h.flags & DNS_AD);
	js_bool(js, "cd", m->h.flags & DNS_CD);
	js_close(js);
	if (m->edns) {
		js_obj(js, "edns");
		js_int(js, "version", m->edns_version);
		js_int(js, "udp", m->edns_size);
		js_bool(js, "do", m->edns_flags & 0x8000);
		js_close(js);
	} else {
		js_null(js, "edns");
	}
	js_arr(js, "question");
	if (m->has_q) {
		js_obj(js, NULL);
		dns_name_str(&m->qname, s, sizeof s);
		js_str(js, "name", s);
		js_str(js, "type", dns_type_name(m->qtype, b, sizeof b));
		js_str(js, "class", dns_class_name(m->qclass, b, sizeof b));
		js_close(js);
	}
	js_close(js);
}
