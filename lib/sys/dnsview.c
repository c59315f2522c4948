/*
 * dnsview.c - the -X decoder of a DNS message: every header field by
 * its RFC 1035 / 6891 name, the question, each record and OPT, then the
 * bytes.  A message that does not parse is shown as far as it goes.
 */
#include <stdio.h>
#include <string.h>

#include "dns.h"
#include "dnsnet.h"
#include "tubes.h"
#include "wire.h"

static const char *const secname[] = { "Question", "Answer", "Authority", "Additional" };

static void
show_opt(struct layers *lv, const uint8_t *m, const struct dns_rr *rr)
{
	size_t off = 0;
	uint16_t code, olen;
	const uint8_t *val;

	lv_layer(lv, "OPT pseudo-record (RFC 6891), %u bytes of options", rr->rdlen);
	lv_field(lv, "UDP payload size", "%u", rr->cls);
	lv_field(lv, "EXTENDED-RCODE", "%u", (unsigned)(rr->ttl >> 24));
	lv_field(lv, "VERSION", "%u", (unsigned)(rr->ttl >> 16 & 0xff));
	lv_field(lv, "DO", "%u", (unsigned)(rr->ttl >> 15 & 1));
	lv_field(lv, "Z", "0x%04x", (unsigned)(rr->ttl & 0x7fff));
	while (dns_opt_next(m + rr->rdoff, rr->rdlen, &off, &code, &val, &olen)) {
		char name[32];

		snprintf(name, sizeof name, "OPTION %u", code);
		lv_field(lv, name, "%u bytes%s", olen,
		    code == 3 ? " (NSID)" : code == 10 ? " (COOKIE)" : code == 8 ? " (ECS)" : "");
	}
}



static dns_fields_fn *fields;	/* dns_layers_fields */

void
dns_layers_fields(dns_fields_fn *f)
{
	fields = f;
}

void
dns_layers(struct layers *lv, const uint8_t *m, size_t len)
{
	struct dns_msg msg;
	struct dns_rr rr;
	size_t off = 0;
	unsigned idx = 0;
	char b[16], nb[DNS_NAMESTRLEN];
	static char rd[1 << 17];
	int e = dns_parse(&msg, m, len);

	if (len < DNS_HDRLEN) {
		lv_layer(lv, "DNS, %zu bytes: shorter than a header", len);
		lv_hex(lv, m, len);
		return;
	}
	lv_layer(lv, "DNS, %zu bytes", len);
	lv_field(lv, "ID", "0x%04x (%u)", msg.h.id, msg.h.id);
	lv_field(lv, "QR", "%u (%s)", msg.h.flags >> 15, msg.h.flags & DNS_QR ? "response" : "query");
	lv_field(lv, "OPCODE", "%u (%s)", DNS_OPCODE(msg.h.flags),
	    dns_opcode_name(DNS_OPCODE(msg.h.flags), b, sizeof b));
	lv_field(lv, "AA", "%u", !!(msg.h.flags & DNS_AA));
	lv_field(lv, "TC", "%u", !!(msg.h.flags & DNS_TC));
	lv_field(lv, "RD", "%u", !!(msg.h.flags & DNS_RD));
	lv_field(lv, "RA", "%u", !!(msg.h.flags & DNS_RA));
	lv_field(lv, "Z", "%u", !!(msg.h.flags & DNS_Z));
	lv_field(lv, "AD", "%u", !!(msg.h.flags & DNS_AD));
	lv_field(lv, "CD", "%u", !!(msg.h.flags & DNS_CD));
	lv_field(lv, "RCODE", "%u (%s)", DNS_RCODE(msg.h.flags),
	    dns_rcode_name(DNS_RCODE(msg.h.flags), b, sizeof b));
	lv_field(lv, "QDCOUNT", "%u", msg.h.qdcount);
	lv_field(lv, "ANCOUNT", "%u", msg.h.ancount);
	lv_field(lv, "NSCOUNT", "%u", msg.h.nscount);
	lv_field(lv, "ARCOUNT", "%u", msg.h.arcount);
	if (msg.has_q) {
		dns_name_str(&msg.qname, nb, sizeof nb);
		lv_layer(lv, "Question");
		lv_field(lv, "QNAME", "%s", nb);
		lv_field(lv, "QTYPE", "%u (%s)", msg.qtype, dns_type_name(msg.qtype, b, sizeof b));
		lv_field(lv, "QCLASS", "%u (%s)", msg.qclass, dns_class_name(msg.qclass, b, sizeof b));
	}
	if (e != DNS_OK) {
		lv_layer(lv, "malformed: %s", dns_strerror(e));
		lv_hex(lv, m, len);
		return;
	}
	while (dns_rr_next(&msg, &off, &idx, &rr)) {
		if (rr.type == DNS_T_OPT) {
			show_opt(lv, m, &rr);
			continue;
		}
		dns_name_str(&rr.name, nb, sizeof nb);
		lv_layer(lv, "%s record at offset %zu", secname[rr.section], rr.name_off);
		lv_field(lv, "NAME", "%s", nb);
		lv_field(lv, "TYPE", "%u (%s)", rr.type, dns_type_name(rr.type, b, sizeof b));
		lv_field(lv, "CLASS", "%u (%s)", rr.cls, dns_class_name(rr.cls, b, sizeof b));
		lv_field(lv, "TTL", "%u", (unsigned)rr.ttl);
		lv_field(lv, "RDLENGTH", "%u", rr.rdlen);
		dns_rdata_str(m, len, &rr, rd, sizeof rd);
		lv_field(lv, "RDATA", "%s", rd);
		if (fields)
			fields(lv, m, len, &rr, rd, sizeof rd);
	}
	if (msg.trailing)
		lv_field(lv, "trailing bytes", "%zu", msg.trailing);
	lv_hex(lv, m, len);
}
