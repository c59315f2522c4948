/* ip.c - IPv4 and IPv6 headers: build, parse, decode (wire code, no system calls) */
#include <stdio.h>
#include <string.h>

#include "ip.h"
#include "view.h"
#include "wire.h"

const char *
ip_strerror(int err)
{
	switch (err) {
	case IP_OK: return "ok";
	case IP_ESHORT: return "packet too short";
	case IP_EVERSION: return "bad IP version";
	case IP_EIHL: return "bad header length";
	case IP_ELEN: return "bad total length";
	case IP_ECKSUM: return "bad header checksum";
	case IP_EEXT: return "bad extension header";
	}
	return "unknown error";
}

const char *
ip_proto_name(uint8_t p)
{
	switch (p) {
	case IPP_HOPOPTS: return "Hop-by-Hop Options";
	case IPP_ICMP: return "ICMP";
	case IPP_TCP: return "TCP";
	case IPP_UDP: return "UDP";
	case IPP_ROUTING: return "Routing";
	case IPP_FRAGMENT: return "Fragment";
	case IPP_ESP: return "ESP";
	case IPP_AH: return "AH";
	case IPP_ICMPV6: return "ICMPv6";
	case IPP_NONE: return "No Next Header";
	case IPP_DSTOPTS: return "Destination Options";
	}
	return NULL;
}

/* --- IPv4 -------------------------------------------------------------- */

int
ip4_parse(const uint8_t *pkt, size_t n, int flags, struct ip4 *h)
{
	struct cursor c;
	uint8_t vihl;
	uint16_t ff;

	memset(h, 0, sizeof *h);
	if (pkt == NULL || n < 20)
		return IP_ESHORT;
	cur_init(&c, pkt, n);
	vihl = cur_u8(&c);
	if (vihl >> 4 != 4)
		return IP_EVERSION;
	h->hlen = (uint8_t)((vihl & 0x0f) * 4);
	if (h->hlen < 20 || h->hlen > n)
		return IP_EIHL;
	h->tos = cur_u8(&c);
	h->total_len = cur_u16(&c);
	h->id = cur_u16(&c);
	ff = cur_u16(&c);
	h->flags = (uint8_t)(ff >> 13);
	h->frag_off = ff & 0x1fff;
	h->ttl = cur_u8(&c);
	h->proto = cur_u8(&c);
	h->cksum = cur_u16(&c);
	cur_copy(&c, h->src, 4);
	cur_copy(&c, h->dst, 4);
	if (c.bad)
		return IP_ESHORT;
	h->opt = h->hlen > 20 ? pkt + 20 : NULL;
	h->optlen = h->hlen - 20u;
	if (h->total_len < h->hlen)
		return IP_ELEN;
	h->payload = pkt + h->hlen;
	if (h->total_len > n) {
		if (!(flags & IP_QUOTED))
			return IP_ELEN;
		h->truncated = 1;
		h->paylen = n - h->hlen;
	} else {
		h->paylen = h->total_len - h->hlen;
	}
	h->cksum_ok = cksum(pkt, h->hlen) == 0;
	if (!h->cksum_ok && !(flags & IP_NOCKSUM))
		return IP_ECKSUM;
	return IP_OK;
}

int
ip4_build(struct writer *w, struct ip4 *h, size_t paylen)
{
	uint8_t *start;
	size_t hlen = 20 + h->optlen;

	if (h->optlen % 4 || h->optlen > 40 || hlen + paylen > 65535 || h->frag_off > 0x1fff ||
	    h->flags > 7 || (h->optlen && h->opt == NULL))
		return -1;
	start = wr_reserve(w, hlen);
	if (start == NULL || w->bad)
		return -1;
	h->hlen = (uint8_t)hlen;
	h->total_len = (uint16_t)(hlen + paylen);
	start[0] = (uint8_t)(0x40 | hlen / 4);
	start[1] = h->tos;
	put16(start + 2, h->total_len);
	put16(start + 4, h->id);
	put16(start + 6, (uint16_t)(h->flags << 13 | h->frag_off));
	start[8] = h->ttl;
	start[9] = h->proto;
	put16(start + 10, 0);
	memcpy(start + 12, h->src, 4);
	memcpy(start + 16, h->dst, 4);
	if (h->optlen)
		memcpy(start + 20, h->opt, h->optlen);
	h->cksum = cksum(start, hlen);
	put16(start + 10, h->cksum);
	return 0;
}

int
ip4_opt_next(const uint8_t *opt, size_t optlen, size_t *off, struct ip4_opt *o)
{
	size_t i = *off, len;

	if (opt == NULL || i >= optlen)
		return 0;
	o->type = opt[i];
	o->p = opt + i;
	if (o->type == 0) {		/* end of option list */
		o->len = 1;
		*off = optlen;
		return 0;
	}
	if (o->type == 1) {		/* no operation */
		o->len = 1;
		*off = i + 1;
		return 1;
	}
	if (i + 1 >= optlen)
		return -1;
	len = opt[i + 1];
	if (len < 2 || len > optlen - i)
		return -1;
	o->len = len;
	*off = i + len;
	return 1;
}

const char *
ip4_opt_name(uint8_t type)
{
	switch (type) {
	case 0: return "End of Options List";
	case 1: return "No Operation";
	case 7: return "Record Route";
	case 68: return "Timestamp";
	case 130: return "Security";
	case 131: return "Loose Source Route";
	case 137: return "Strict Source Route";
	case 148: return "Router Alert";
	}
	return "Unknown";
}

/* --- addresses as text ------------------------------------------------- */

char *
ip_ntop(int version, const uint8_t *a, char *buf, size_t n)
{
	size_t o = 0;
	int i, best = -1, bestlen = 0, run = -1, runlen = 0;

	if (n == 0)
		return buf;
	buf[0] = '\0';
	if (version == 4) {
		snprintf(buf, n, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
		return buf;
	}
	/* RFC 5952: the longest run (>= 2) of zero groups, the first on ties, is "::" */
	for (i = 0; i < 8; i++) {
		if (get16(a + 2 * i) == 0) {
			if (run < 0)
				run = i, runlen = 0;
			runlen++;
			if (runlen > bestlen)
				best = run, bestlen = runlen;
		} else {
			run = -1;
		}
	}
	if (bestlen < 2)
		best = -1;
	/* IPv4-mapped ::ffff:a.b.c.d */
	if (best == 0 && bestlen == 5 && get16(a + 10) == 0xffff) {
		snprintf(buf, n, "::ffff:%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
		return buf;
	}
	for (i = 0; i < 8 && o < n; i++) {
		int w;

		if (i == best) {
			w = snprintf(buf + o, n - o, "::");
			i += bestlen - 1;
		} else {
			w = snprintf(buf + o, n - o, "%s%x", i > 0 && i != best + bestlen ? ":" : "",
			    get16(a + 2 * i));
		}
		if (w < 0)
			break;
		o += (size_t)w;
	}
	return buf;
}

uint32_t
ip_pseudo_sum(const struct ip_pseudo *ps, uint8_t proto, size_t len)
{
	if (ps->version == 6)
		return cksum_pseudo6(ps->src, ps->dst, proto, (uint32_t)len);
	return cksum_pseudo4(ps->src, ps->dst, proto, (uint16_t)len);
}

/* --- IPv4 decoder ------------------------------------------------------ */

void
ip4_decode(struct layers *lv, const uint8_t *pkt, size_t n)
{
	struct ip4 h;
	struct ip4_opt o;
	char s[64], d[64], v[160];
	size_t off = 0;
	int r = ip4_parse(pkt, n, IP_QUOTED | IP_NOCKSUM, &h), k;
	const char *pn;

	if (r != IP_OK) {
		lv_layer(lv, "IPv4: %s (%zu bytes)", ip_strerror(r), n);
		return;
	}
	lv_layer(lv, "IPv4, %u bytes header%s", h.hlen, h.truncated ? " (quoted, truncated)" : "");
	lv_field(lv, "Version", "4");
	lv_field(lv, "IHL", "%u (%u bytes)", h.hlen / 4u, h.hlen);
	lv_field(lv, "Type of Service", "0x%02x (DSCP %u, ECN %u)", h.tos, h.tos >> 2, h.tos & 3u);
	lv_field(lv, "Total Length", "%u", h.total_len);
	lv_field(lv, "Identification", "0x%04x (%u)", h.id, h.id);
	lv_field(lv, "Flags", "0x%x%s%s%s", h.flags, h.flags & IP4_RF ? " RF(!)" : "",
	    h.flags & IP4_DF ? " DF" : "", h.flags & IP4_MF ? " MF" : "");
	lv_field(lv, "Fragment Offset", "%u (%u bytes)", h.frag_off, h.frag_off * 8u);
	lv_field(lv, "Time to Live", "%u", h.ttl);
	pn = ip_proto_name(h.proto);
	lv_field(lv, "Protocol", "%u (%s)", h.proto, pn ? pn : "unknown");
	lv_field(lv, "Header Checksum", "%s",
	    cksum_verdict(v, sizeof v, h.cksum, cksum_add(0, pkt, h.hlen), 0, 0));
	lv_field(lv, "Source Address", "%s", ip_ntop(4, h.src, s, sizeof s));
	lv_field(lv, "Destination Address", "%s", ip_ntop(4, h.dst, d, sizeof d));
	while ((k = ip4_opt_next(h.opt, h.optlen, &off, &o)) == 1)
		lv_field(lv, "Option", "%u (%s), %zu bytes", o.type, ip4_opt_name(o.type), o.len);
	if (k < 0)
		lv_field(lv, "Option", "malformed at offset %zu: parsing stopped", off);
}

/* --- IPv6 -------------------------------------------------------------- */

int
ip6_parse(const uint8_t *pkt, size_t n, int flags, struct ip6 *h)
{
	struct cursor c;
	uint32_t w0;
	size_t end, off;
	uint8_t nh;

	memset(h, 0, sizeof *h);
	if (pkt == NULL || n < 40)
		return IP_ESHORT;
	cur_init(&c, pkt, n);
	w0 = cur_u32(&c);
	if (w0 >> 28 != 6)
		return IP_EVERSION;
	h->tclass = (uint8_t)(w0 >> 20);
	h->flow = w0 & 0xfffff;
	h->plen = cur_u16(&c);
	h->next = cur_u8(&c);
	h->hlim = cur_u8(&c);
	cur_copy(&c, h->src, 16);
	cur_copy(&c, h->dst, 16);
	if (c.bad)
		return IP_ESHORT;
	end = 40 + (size_t)h->plen;
	if (end > n) {
		if (!(flags & IP_QUOTED))
			return IP_ELEN;
		h->truncated = 1;
		end = n;
	}
	/* walk extension headers */
	nh = h->next;
	off = 40;
	for (;;) {
		size_t len;

		if (nh != IPP_HOPOPTS && nh != IPP_ROUTING && nh != IPP_FRAGMENT &&
		    nh != IPP_DSTOPTS && nh != IPP_AH)
			break;
		if (h->fragment && h->frag_off != 0)
			break;	/* a later fragment: the rest is not headers */
		if (h->next_ext >= IP6_MAXEXT || end - off < 8)
			return IP_EEXT;
		if (nh == IPP_FRAGMENT)
			len = 8;
		else if (nh == IPP_AH)
			len = ((size_t)pkt[off + 1] + 2) * 4;
		else
			len = ((size_t)pkt[off + 1] + 1) * 8;
		if (len > end - off)
			return IP_EEXT;
		if (nh == IPP_FRAGMENT) {
			uint16_t fo = get16(pkt + off + 2);

			h->fragment = 1;
			h->frag_off = fo >> 3;
			h->frag_more = fo & 1;
			h->frag_id = get32(pkt + off + 4);
		}
		h->ext[h->next_ext].type = nh;
		h->ext[h->next_ext].off = (uint16_t)off;
		h->ext[h->next_ext].len = (uint16_t)len;
		h->next_ext++;
		nh = pkt[off];
		off += len;
	}
	h->proto = nh;
	h->hdrlen = off;
	h->payload = pkt + off;
	h->paylen = end - off;
	return IP_OK;
}

int
ip6_build(struct writer *w, const struct ip6 *h, size_t paylen)
{
	if (paylen > 65535 || h->flow > 0xfffff)
		return -1;
	wr_u32(w, 6u << 28 | (uint32_t)h->tclass << 20 | h->flow);
	wr_u16(w, (uint16_t)paylen);
	wr_u8(w, h->next);
	wr_u8(w, h->hlim);
	wr_bytes(w, h->src, 16);
	wr_bytes(w, h->dst, 16);
	return w->bad ? -1 : 0;
}

void
ip6_decode(struct layers *lv, const uint8_t *pkt, size_t n)
{
	struct ip6 h;
	char s[64];
	unsigned i;
	int r = ip6_parse(pkt, n, IP_QUOTED, &h);
	const char *pn;

	if (r != IP_OK) {
		lv_layer(lv, "IPv6: %s (%zu bytes)", ip_strerror(r), n);
		return;
	}
	lv_layer(lv, "IPv6, %zu bytes of headers%s", h.hdrlen, h.truncated ? " (quoted, truncated)" : "");
	lv_field(lv, "Version", "6");
	lv_field(lv, "Traffic Class", "0x%02x (DSCP %u, ECN %u)", h.tclass, h.tclass >> 2, h.tclass & 3u);
	lv_field(lv, "Flow Label", "0x%05x", (unsigned)h.flow);
	lv_field(lv, "Payload Length", "%u", h.plen);
	pn = ip_proto_name(h.next);
	lv_field(lv, "Next Header", "%u (%s)", h.next, pn ? pn : "unknown");
	lv_field(lv, "Hop Limit", "%u", h.hlim);
	lv_field(lv, "Source Address", "%s", ip_ntop(6, h.src, s, sizeof s));
	lv_field(lv, "Destination Address", "%s", ip_ntop(6, h.dst, s, sizeof s));
	for (i = 0; i < h.next_ext; i++) {
		uint8_t nx = pkt[h.ext[i].off];

		pn = ip_proto_name(h.ext[i].type);
		lv_layer(lv, "IPv6 %s header, %u bytes", pn ? pn : "extension", h.ext[i].len);
		pn = ip_proto_name(nx);
		lv_field(lv, "Next Header", "%u (%s)", nx, pn ? pn : "unknown");
		if (h.ext[i].type == IPP_FRAGMENT) {
			uint16_t fo = get16(pkt + h.ext[i].off + 2);

			lv_field(lv, "Fragment Offset", "%u", fo >> 3);
			lv_field(lv, "M", "%u", fo & 1u);
			lv_field(lv, "Identification", "0x%08x", (unsigned)get32(pkt + h.ext[i].off + 4));
		} else {
			lv_field(lv, "Hdr Ext Len", "%u", pkt[h.ext[i].off + 1]);
		}
	}
}
