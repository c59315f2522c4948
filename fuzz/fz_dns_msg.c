/*
 * fz_dns_msg - a whole DNS message: dns_parse either rejects it or every
 * record it indexed iterates, decodes and prints; printed text never
 * holds a raw control byte (DNS-06); names are at most 255 octets.
 * Round trip: every record of a known type is rebuilt from its typed
 * rdata into a fresh message, which must parse and print the same.
 * The -X view of the message (its RDATA fields too) holds no control
 * byte but its own line ends.
 */
#include <string.h>

#include "dns.h"
#include "dnsnet.h"
#include "fuzz.h"
#include "wire.h"

static char text[70000], text2[70000];
static uint8_t out[65535];

static int
known(uint16_t t)
{
	return t == DNS_T_A || t == DNS_T_AAAA || t == DNS_T_NS || t == DNS_T_CNAME ||
	    t == DNS_T_PTR || t == DNS_T_MX || t == DNS_T_SOA ||
	    /* issue 23's types: those without a name written from the fields or raw */
	    t == DNS_T_DNAME || t == DNS_T_RP || t == DNS_T_HINFO || t == DNS_T_SSHFP ||
	    t == DNS_T_TLSA || t == DNS_T_NSEC3 || t == DNS_T_NSEC3PARAM || t == DNS_T_URI ||
	    t == DNS_T_OPENPGPKEY || t == DNS_T_CDS || t == DNS_T_CDNSKEY ||
	    t == DNS_T_CSYNC || t == DNS_T_ZONEMD || t == DNS_T_LOC;
}

/* the walkers -j uses: SvcParams, type bitmaps, stay inside the rdata */
static void
walk(const struct dns_rdata *rd)
{
	size_t off = 0, l;
	uint16_t key, vlen, type;
	const uint8_t *v;

	if (rd->type == DNS_T_SVCB || rd->type == DNS_T_HTTPS) {
		while (dns_svc_next(rd->data, rd->datalen, &off, &key, &v, &vlen)) {
			FUZZ_ASSERT(v >= rd->data && v + vlen <= rd->data + rd->datalen);
			l = dns_svc_value_str(key, v, vlen, text2, sizeof text2);
			FUZZ_ASSERT(l < sizeof text2);
		}
	}
	off = 0;
	while (dns_bitmap_next(rd->map, rd->maplen, &off, &type))
		FUZZ_ASSERT(dns_type_name(type, text2, 16) != NULL);
}

/* -X: dns_layers on any bytes, its text checked */
static void
view(const uint8_t *d, size_t n)
{
	struct layers lv;
	char *buf = NULL;
	size_t len = 0, i;

	if ((lv.fp = open_memstream(&buf, &len)) == NULL)
		return;
	dns_layers_fields(dns_rdata_layers);	/* as dig-lite -X */
	dns_layers(&lv, d, n);
	fclose(lv.fp);
	for (i = 0; i < len; i++)
		FUZZ_ASSERT((uint8_t)buf[i] >= 0x20 || buf[i] == '\n');
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct dns_msg m, m2;
	struct dns_rr rr, rr2;
	struct dns_rdata rd;
	size_t off = 0, off2, len, i;
	unsigned idx = 0, idx2;

	view(d, n);
	if (dns_parse(&m, d, n) != DNS_OK)
		return 0;
	while (dns_rr_next(&m, &off, &idx, &rr) == 1) {
		FUZZ_ASSERT(rr.name.len >= 1 && rr.name.len <= DNS_MAXNAME);
		FUZZ_ASSERT(rr.rdoff + rr.rdlen <= n);
		len = dns_rr_str(d, n, &rr, text, sizeof text);
		for (i = 0; i < len && i < sizeof text - 1; i++)
			FUZZ_ASSERT((uint8_t)text[i] >= 0x20 || text[i] == '\t');
		/* +multiline and the column options: only its own line breaks */
		len = dns_rr_str_opt(d, n, &rr, DNS_STR_MULTI | (rr.ttl & 3), text, sizeof text);
		for (i = 0; i < len && i < sizeof text - 1; i++)
			FUZZ_ASSERT((uint8_t)text[i] >= 0x20 || text[i] == '\t' ||
			    (text[i] == '\n' && text[i + 1] == '\t'));
		if (dns_rdata_get(d, n, &rr, &rd) != DNS_OK)
			continue;
		walk(&rd);
		if (!known(rr.type) || rr.section == DNS_SEC_QUESTION)
			continue;
		{
			struct writer w;
			struct dns_header h = { 0, DNS_QR, 0, 1, 0, 0 };
			struct dns_comp comp = { 0 };

			wr_init(&w, out, sizeof out);
			dns_put_header(&w, &h);
			dns_put_rr(&w, &comp, &rr.name, rr.type, rr.cls, rr.ttl, &rd);
			FUZZ_ASSERT(!w.bad);
			FUZZ_ASSERT(dns_parse(&m2, out, w.len) == DNS_OK);
			off2 = 0;
			idx2 = 0;
			FUZZ_ASSERT(dns_rr_next(&m2, &off2, &idx2, &rr2) == 1);
			dns_rr_str(out, w.len, &rr2, text2, sizeof text2);
			dns_rr_str(d, n, &rr, text, sizeof text);
			FUZZ_ASSERT(strcmp(text, text2) == 0);
		}
	}
	return 0;
}
