/*
 * icmpquote.c - the datagram quoted in an ICMP or ICMPv6 error, every
 * field as far as the quote goes, and RFC 4884 extensions (wire code)
 *
 * A router quotes as much of the offending datagram as it likes (RFC 792:
 * the IP header and 8 bytes; RFC 1812 and 4443: as much as fits), so each
 * field is shown only if all its bytes are there; the others are named as
 * cut off, and the list of them ends the header.
 */
#include <string.h>

#include "icmp.h"
#include "icmpquote.h"
#include "ip.h"
#include "view.h"
#include "wire.h"

/* a quoted header being shown: its bytes and the fields the quote cuts off */
struct qv {
	struct layers *lv;
	const uint8_t *p;
	size_t n;
	char cut[200];
	size_t cutlen;
};

static void
qv_init(struct qv *q, struct layers *lv, const uint8_t *p, size_t n)
{
	q->lv = lv;
	q->p = p;
	q->n = p ? n : 0;
	q->cut[0] = '\0';
	q->cutlen = 0;
}

/* are bytes [off, off + size) quoted?  If not, the field is named as cut off */
static int
have(struct qv *q, const char *name, size_t off, size_t size)
{
	struct fmt f;

	if (off + size <= q->n)
		return 1;
	lv_field(q->lv, name, "(cut off)");
	if (q->cutlen < sizeof q->cut) {
		fmt_init(&f, q->cut + q->cutlen, sizeof q->cut - q->cutlen);
		if (q->cutlen)
			fmt_str(&f, ", ");
		fmt_str(&f, name);
		q->cutlen += f.len;
	}
	return 0;
}

static void
qv_done(struct qv *q)
{
	if (q->cutlen)
		lv_field(q->lv, "Cut off", "%s", q->cut);
}

size_t
icmpquote_length(const struct icmp *m)
{
	if (m->version == 4) {
		if (m->type != IC4_UNREACH && m->type != IC4_TIME_EXCEEDED &&
		    m->type != IC4_PARAM_PROBLEM)
			return 0;
		return (size_t)((m->word >> 16) & 0xff) * 4;
	}
	if (m->type != IC6_UNREACH && m->type != IC6_TIME_EXCEEDED)
		return 0;
	return (size_t)(m->word >> 24) * 8;
}

/* --- the upper layer ------------------------------------------------------- */

static void
l4_cksum(struct qv *q, size_t off, size_t full, uint8_t proto, const struct ip_pseudo *ps)
{
	uint16_t field = get16(q->p + off);
	uint32_t pseudo = 0;
	char v[160];

	if (full < off + 2 || q->n < full || (ps == NULL && proto != IPP_ICMP)) {
		lv_field(q->lv, "Checksum", "0x%04x [not verified: the datagram is not quoted whole]",
		    field);
		return;
	}
	if (proto == IPP_UDP && field == 0 && ps->version == 4) {
		lv_field(q->lv, "Checksum", "0x0000 [none sent]");
		return;
	}
	if (proto != IPP_ICMP)
		pseudo = ip_pseudo_sum(ps, proto, full);
	lv_field(q->lv, "Checksum", "%s", cksum_verdict(v, sizeof v, field,
	    cksum_add(pseudo, q->p, full), proto != IPP_ICMP, pseudo));
}

static void
l4_icmp(struct qv *q, int version, size_t full, uint8_t proto, const struct ip_pseudo *ps)
{
	const uint8_t *p = q->p;
	const char *cn;
	int echo = 0;

	if (have(q, "Type", 0, 1)) {
		lv_field(q->lv, "Type", "%u (%s)", p[0], icmp_type_name(version, p[0]));
		echo = version == 6 ? p[0] == IC6_ECHO_REQUEST || p[0] == IC6_ECHO_REPLY :
		    p[0] == IC4_ECHO_REQUEST || p[0] == IC4_ECHO_REPLY;
	}
	if (have(q, "Code", 1, 1)) {
		cn = icmp_code_name(version, p[0], p[1]);
		lv_field(q->lv, "Code", "%u%s%s%s", p[1], cn ? " (" : "", cn ? cn : "", cn ? ")" : "");
	}
	if (have(q, "Checksum", 2, 2))
		l4_cksum(q, 2, full, proto, ps);
	if (echo) {
		if (have(q, "Identifier", 4, 2))
			lv_field(q->lv, "Identifier", "0x%04x (%u)", get16(p + 4), get16(p + 4));
		if (have(q, "Sequence Number", 6, 2))
			lv_field(q->lv, "Sequence Number", "%u", get16(p + 6));
	} else if (have(q, "Rest of Header", 4, 4)) {
		lv_field(q->lv, "Rest of Header", "0x%08x", (unsigned)get32(p + 4));
	}
}

static void
l4_udp(struct qv *q, size_t full, const struct ip_pseudo *ps)
{
	const uint8_t *p = q->p;

	if (have(q, "Source Port", 0, 2))
		lv_field(q->lv, "Source Port", "%u", get16(p));
	if (have(q, "Destination Port", 2, 2))
		lv_field(q->lv, "Destination Port", "%u", get16(p + 2));
	if (have(q, "Length", 4, 2)) {
		lv_field(q->lv, "Length", "%u", get16(p + 4));
		if (full == 0 || get16(p + 4) < full)
			full = get16(p + 4);	/* the UDP length bounds what the checksum covers */
	}
	if (have(q, "Checksum", 6, 2))
		l4_cksum(q, 6, full, IPP_UDP, ps);
}

static void
l4_tcp(struct qv *q, size_t full, const struct ip_pseudo *ps)
{
	const uint8_t *p = q->p;

	if (have(q, "Source Port", 0, 2))
		lv_field(q->lv, "Source Port", "%u", get16(p));
	if (have(q, "Destination Port", 2, 2))
		lv_field(q->lv, "Destination Port", "%u", get16(p + 2));
	if (have(q, "Sequence Number", 4, 4))
		lv_field(q->lv, "Sequence Number", "%u", (unsigned)get32(p + 4));
	if (have(q, "Acknowledgment Number", 8, 4))
		lv_field(q->lv, "Acknowledgment Number", "%u", (unsigned)get32(p + 8));
	if (have(q, "Data Offset", 12, 1))
		lv_field(q->lv, "Data Offset", "%u (%u bytes)", p[12] >> 4, (p[12] >> 4) * 4u);
	if (have(q, "Flags", 12, 2))
		lv_field(q->lv, "Flags", "0x%03x", get16(p + 12) & 0xfffu);
	if (have(q, "Window", 14, 2))
		lv_field(q->lv, "Window", "%u", get16(p + 14));
	if (have(q, "Checksum", 16, 2))
		l4_cksum(q, 16, full, IPP_TCP, ps);
	if (have(q, "Urgent Pointer", 18, 2))
		lv_field(q->lv, "Urgent Pointer", "%u", get16(p + 18));
}

void
icmpquote_l4(struct layers *lv, int version, uint8_t proto, const uint8_t *p, size_t n,
    size_t full, const struct ip_pseudo *ps)
{
	const char *pn = ip_proto_name(proto);
	struct qv q;

	qv_init(&q, lv, p, n);
	if (full)
		lv_layer(lv, "quoted %s, first %zu bytes of %zu", pn ? pn : "payload", q.n, full);
	else
		lv_layer(lv, "quoted %s, first %zu bytes", pn ? pn : "payload", q.n);
	switch (proto) {
	case IPP_ICMP:
	case IPP_ICMPV6:
		l4_icmp(&q, version, full, proto, ps);
		break;
	case IPP_UDP:
		l4_udp(&q, full, ps);
		break;
	case IPP_TCP:
		l4_tcp(&q, full, ps);
		break;
	default:
		return;
	}
	qv_done(&q);
}

/* --- the quoted IP header --------------------------------------------------- */

static void
quote_ip4(struct layers *lv, const uint8_t *p, size_t n)
{
	struct ip_pseudo ps = { .version = 4 };
	struct qv q;
	unsigned hl = 0, tl = 0;
	size_t l4n;
	uint8_t proto = 0;
	char s[64], v[160];

	qv_init(&q, lv, p, n);
	lv_layer(lv, "quoted IPv4 header, %zu bytes quoted", q.n);
	if (!have(&q, "Version", 0, 1)) {
		qv_done(&q);
		return;
	}
	if (p[0] >> 4 != 4) {
		lv_field(lv, "Version", "%u (not 4: not decoded further)", p[0] >> 4);
		return;
	}
	hl = (p[0] & 15u) * 4;
	lv_field(lv, "Version", "4");
	lv_field(lv, "IHL", "%u (%u bytes)%s", hl / 4, hl, hl < 20 ? " [less than 5: malformed]" :
	    hl > q.n ? " [longer than the quote]" : "");
	if (have(&q, "Type of Service", 1, 1))
		lv_field(lv, "Type of Service", "0x%02x (DSCP %u, ECN %u)", p[1], p[1] >> 2, p[1] & 3u);
	if (have(&q, "Total Length", 2, 2)) {
		tl = get16(p + 2);
		lv_field(lv, "Total Length", "%u", tl);
	}
	if (have(&q, "Identification", 4, 2))
		lv_field(lv, "Identification", "0x%04x (%u)", get16(p + 4), get16(p + 4));
	if (have(&q, "Flags", 6, 1))
		lv_field(lv, "Flags", "0x%x%s%s%s", p[6] >> 5, p[6] & 0x80 ? " RF(!)" : "",
		    p[6] & 0x40 ? " DF" : "", p[6] & 0x20 ? " MF" : "");
	if (have(&q, "Fragment Offset", 6, 2))
		lv_field(lv, "Fragment Offset", "%u (%u bytes)", get16(p + 6) & 0x1fffu,
		    (get16(p + 6) & 0x1fffu) * 8);
	if (have(&q, "Time to Live", 8, 1))
		lv_field(lv, "Time to Live", "%u", p[8]);
	if (have(&q, "Protocol", 9, 1)) {
		const char *pn = ip_proto_name(p[9]);

		proto = p[9];
		lv_field(lv, "Protocol", "%u (%s)", proto, pn ? pn : "unknown");
	}
	if (have(&q, "Header Checksum", 10, 2)) {
		if (hl >= 20 && hl <= q.n)
			lv_field(lv, "Header Checksum", "%s",
			    cksum_verdict(v, sizeof v, get16(p + 10), cksum_add(0, p, hl), 0, 0));
		else
			lv_field(lv, "Header Checksum", "0x%04x [not verified: header not quoted whole]",
			    get16(p + 10));
	}
	if (have(&q, "Source Address", 12, 4)) {
		memcpy(ps.src, p + 12, 4);
		lv_field(lv, "Source Address", "%s", ip_ntop(4, p + 12, s, sizeof s));
	}
	if (have(&q, "Destination Address", 16, 4)) {
		memcpy(ps.dst, p + 16, 4);
		lv_field(lv, "Destination Address", "%s", ip_ntop(4, p + 16, s, sizeof s));
	}
	if (hl > 20 && have(&q, "Options", 20, hl - 20))
		lv_field(lv, "Options", "%u bytes", hl - 20);
	if (q.n > tl && tl >= 20)
		lv_field(lv, "Quoted", "all %u bytes (Total Length), padded to %zu", tl, q.n);
	else
		lv_field(lv, "Quoted", "%zu of %u bytes (Total Length)", q.n, tl);
	qv_done(&q);
	if (hl < 20 || hl > q.n)
		return;	/* no upper layer to speak of */
	l4n = q.n - hl;
	if (tl > hl && l4n > tl - hl)
		l4n = tl - hl;	/* RFC 4884 padding is not the datagram's */
	icmpquote_l4(lv, 4, proto, p + hl, l4n, tl > hl ? tl - hl : 0, &ps);
}

static void
quote_ip6(struct layers *lv, const uint8_t *p, size_t n)
{
	struct ip_pseudo ps = { .version = 6 };
	struct qv q;
	struct ip6 h;
	unsigned i, plen = 0;
	char s[64];
	int r;

	qv_init(&q, lv, p, n);
	lv_layer(lv, "quoted IPv6 header, %zu bytes quoted", q.n);
	if (!have(&q, "Version", 0, 1)) {
		qv_done(&q);
		return;
	}
	if (p[0] >> 4 != 6) {
		lv_field(lv, "Version", "%u (not 6: not decoded further)", p[0] >> 4);
		return;
	}
	lv_field(lv, "Version", "6");
	if (have(&q, "Traffic Class", 0, 2)) {
		unsigned tc = (get16(p) >> 4) & 0xff;

		lv_field(lv, "Traffic Class", "0x%02x (DSCP %u, ECN %u)", tc, tc >> 2, tc & 3u);
	}
	if (have(&q, "Flow Label", 0, 4))
		lv_field(lv, "Flow Label", "0x%05x", (unsigned)(get32(p) & 0xfffff));
	if (have(&q, "Payload Length", 4, 2)) {
		plen = get16(p + 4);
		lv_field(lv, "Payload Length", "%u", plen);
	}
	if (have(&q, "Next Header", 6, 1)) {
		const char *pn = ip_proto_name(p[6]);

		lv_field(lv, "Next Header", "%u (%s)", p[6], pn ? pn : "unknown");
	}
	if (have(&q, "Hop Limit", 7, 1))
		lv_field(lv, "Hop Limit", "%u", p[7]);
	if (have(&q, "Source Address", 8, 16))
		lv_field(lv, "Source Address", "%s", ip_ntop(6, p + 8, s, sizeof s));
	if (have(&q, "Destination Address", 24, 16))
		lv_field(lv, "Destination Address", "%s", ip_ntop(6, p + 24, s, sizeof s));
	lv_field(lv, "Quoted", "%zu of %u bytes (40 + Payload Length)", q.n, 40 + plen);
	qv_done(&q);
	if (q.n < 40)
		return;
	r = ip6_parse(p, q.n, IP_QUOTED, &h);
	if (r != IP_OK) {
		lv_field(lv, "Extension Headers", "%s: upper layer not decoded", ip_strerror(r));
		return;
	}
	for (i = 0; i < h.next_ext; i++) {
		const char *pn = ip_proto_name(h.ext[i].type);

		lv_field(lv, "Extension Header", "%u (%s), %u bytes", h.ext[i].type,
		    pn ? pn : "unknown", h.ext[i].len);
	}
	if (h.fragment && h.frag_off != 0) {
		lv_field(lv, "Upper Layer", "not in this fragment (offset %u)", h.frag_off);
		return;
	}
	memcpy(ps.src, h.src, 16);
	memcpy(ps.dst, h.dst, 16);
	icmpquote_l4(lv, 6, h.proto, h.payload, h.paylen,
	    40 + (size_t)plen > h.hdrlen ? 40 + (size_t)plen - h.hdrlen : 0, &ps);
}

/* --- RFC 4884 extensions ------------------------------------------------------ */

static const char *
ext_class_name(uint8_t cls)
{
	switch (cls) {
	case 1: return "MPLS Label Stack";	/* RFC 4950 */
	case 2: return "Interface Information";	/* RFC 5837 */
	case 3: return "Interface Identification";	/* RFC 8335 */
	}
	return "unknown";
}

static void
quote_ext(struct layers *lv, const uint8_t *p, size_t n)
{
	size_t off = 4, i;
	unsigned count = 0;
	char v[160];

	lv_layer(lv, "ICMP extension structure (RFC 4884), %zu bytes", n);
	if (n < 4) {
		lv_field(lv, "Header", "(cut off: %zu of 4 bytes)", n);
		return;
	}
	lv_field(lv, "Version", "%u%s", p[0] >> 4, p[0] >> 4 == 2 ? "" : " [not 2]");
	lv_field(lv, "Checksum", "%s", get16(p + 2) == 0 ? "0x0000 [not computed by the sender]" :
	    cksum_verdict(v, sizeof v, get16(p + 2), cksum_add(0, p, n), 0, 0));
	while (n - off >= 4 && count++ < 32) {
		size_t len = get16(p + off);
		uint8_t cls = p[off + 2], ct = p[off + 3];

		if (len < 4 || len > n - off) {
			lv_field(lv, "Object", "length %zu at offset %zu runs past the structure: "
			    "stopped", len, off);
			return;
		}
		lv_field(lv, "Object", "class %u (%s), c-type %u, %zu bytes", cls,
		    ext_class_name(cls), ct, len);
		if (cls == 1 && ct == 1) {
			for (i = off + 4; i + 4 <= off + len; i += 4) {
				uint32_t e = get32(p + i);

				lv_field(lv, "MPLS Label", "%u (TC %u, S %u, TTL %u)", (unsigned)(e >> 12),
				    (unsigned)(e >> 9) & 7, (unsigned)(e >> 8) & 1, (unsigned)e & 0xff);
			}
		}
		off += len;
	}
	if (off < n)
		lv_field(lv, "Trailing", "%zu bytes", n - off);
}

void
icmpquote_decode(struct layers *lv, const struct icmp *m)
{
	size_t olen = icmpquote_length(m), qn = m->datalen;
	unsigned unit = m->version == 6 ? 8 : 4;

	if (olen) {
		if (olen <= m->datalen) {
			lv_field(lv, "Length", "%zu (RFC 4884: %zu bytes of original datagram%s)",
			    olen / unit, olen, olen < m->datalen ? ", then an extension structure" : "");
			qn = olen;
		} else {
			lv_field(lv, "Length", "%zu (RFC 4884: %zu bytes, more than the %zu there: "
			    "ignored)", olen / unit, olen, m->datalen);
			olen = 0;
		}
	}
	if (m->version == 6)
		quote_ip6(lv, m->data, qn);
	else
		quote_ip4(lv, m->data, qn);
	if (olen && olen < m->datalen)
		quote_ext(lv, m->data + olen, m->datalen - olen);
}
