/* icmp.c - ICMP and ICMPv6: build, parse, decode, quoted datagram, classifier (wire code) */
#include <stdio.h>
#include <string.h>

#include "icmp.h"
#include "icmpquote.h"
#include "view.h"
#include "wire.h"

const char *
icmp_strerror(int err)
{
	switch (err) {
	case ICMP_OK: return "ok";
	case ICMP_ESHORT: return "ICMP message too short";
	case ICMP_ECKSUM: return "bad ICMP checksum";
	case ICMP_EQUOTE: return "quoted datagram too short or malformed";
	case ICMP_ENOTERR: return "not an ICMP error";
	}
	return "unknown error";
}

int
icmp_is_error(int version, uint8_t type)
{
	if (version == 6)
		return type >= 1 && type <= 4;
	return type == IC4_UNREACH || type == IC4_SOURCE_QUENCH || type == IC4_REDIRECT ||
	    type == IC4_TIME_EXCEEDED || type == IC4_PARAM_PROBLEM;
}

int
icmp_is_echo_reply(int version, uint8_t type)
{
	return version == 6 ? type == IC6_ECHO_REPLY : type == IC4_ECHO_REPLY;
}

static int
is_echo(int version, uint8_t type)
{
	if (version == 6)
		return type == IC6_ECHO_REQUEST || type == IC6_ECHO_REPLY;
	return type == IC4_ECHO_REQUEST || type == IC4_ECHO_REPLY;
}

static int
parse_common(int version, const uint8_t *p, size_t n, struct icmp *m)
{
	struct cursor c;

	memset(m, 0, sizeof *m);
	m->version = version;
	m->cksum_ok = -1;
	if (p == NULL || n < 8)
		return ICMP_ESHORT;
	cur_init(&c, p, n);
	m->type = cur_u8(&c);
	m->code = cur_u8(&c);
	m->cksum = cur_u16(&c);
	m->word = cur_u32(&c);
	m->id = (uint16_t)(m->word >> 16);
	m->seq = (uint16_t)m->word;
	if (version == 4) {
		if (m->type == IC4_UNREACH && m->code == IC4_FRAG_NEEDED)
			m->mtu = m->word & 0xffff;
		if (m->type == IC4_PARAM_PROBLEM)
			m->pointer = m->word >> 24;
		if (m->type == IC4_REDIRECT)
			put32(m->gateway, m->word);
	} else {
		if (m->type == IC6_PACKET_TOO_BIG)
			m->mtu = m->word;
		if (m->type == IC6_PARAM_PROBLEM)
			m->pointer = m->word;
	}
	if (!is_echo(version, m->type))
		m->id = m->seq = 0;
	m->data = p + 8;
	m->datalen = n - 8;
	return ICMP_OK;
}

int
icmp4_parse(const uint8_t *p, size_t n, struct icmp *m)
{
	int r = parse_common(4, p, n, m);

	if (r != ICMP_OK)
		return r;
	m->cksum_ok = cksum(p, n) == 0;
	return m->cksum_ok ? ICMP_OK : ICMP_ECKSUM;
}

int
icmp6_parse(const uint8_t *p, size_t n, const struct ip_pseudo *ps, struct icmp *m)
{
	int r = parse_common(6, p, n, m);

	if (r != ICMP_OK || ps == NULL)
		return r;
	m->cksum_ok = cksum_fold(cksum_add(ip_pseudo_sum(ps, IPP_ICMPV6, n), p, n)) == 0;
	return m->cksum_ok ? ICMP_OK : ICMP_ECKSUM;
}

int
icmp_build(struct writer *w, struct icmp *m, const struct ip_pseudo *ps)
{
	size_t start = w->len, len = 8 + m->datalen;
	uint32_t sum = 0;

	if (m->datalen && m->data == NULL)
		return -1;
	wr_u8(w, m->type);
	wr_u8(w, m->code);
	wr_u16(w, 0);
	if (is_echo(m->version, m->type))
		wr_u32(w, (uint32_t)m->id << 16 | m->seq);
	else
		wr_u32(w, m->word);
	wr_bytes(w, m->data, m->datalen);
	if (w->bad)
		return -1;
	if (m->version == 6) {
		if (ps == NULL) {
			m->cksum = 0;
			return 0;
		}
		sum = ip_pseudo_sum(ps, IPP_ICMPV6, len);
	}
	m->cksum = cksum_fold(cksum_add(sum, w->buf + start, len));
	put16(w->buf + start + 2, m->cksum);
	return 0;
}

/* --- the quoted datagram ----------------------------------------------- */

int
icmp_quoted(const struct icmp *m, struct icmp_quote *q)
{
	const uint8_t *l4;
	size_t l4len;

	memset(q, 0, sizeof *q);
	if (!icmp_is_error(m->version, m->type))
		return ICMP_ENOTERR;
	q->version = m->version;
	if (m->version == 4) {
		struct ip4 h;

		/* a whole inner header (IHL checked) and 8 bytes beyond it */
		if (ip4_parse(m->data, m->datalen, IP_QUOTED | IP_NOCKSUM, &h) != IP_OK ||
		    h.paylen < 8)
			return ICMP_EQUOTE;
		q->proto = h.proto;
		memcpy(q->src, h.src, 4);
		memcpy(q->dst, h.dst, 4);
		q->ttl = h.ttl;
		q->hdrlen = h.hlen;
		l4 = h.payload;
		l4len = h.paylen;
	} else {
		struct ip6 h;

		if (ip6_parse(m->data, m->datalen, IP_QUOTED, &h) != IP_OK || h.paylen < 8)
			return ICMP_EQUOTE;
		q->proto = h.proto;
		memcpy(q->src, h.src, 16);
		memcpy(q->dst, h.dst, 16);
		q->ttl = h.hlim;
		q->hdrlen = h.hdrlen;
		l4 = h.payload;
		l4len = h.paylen;
	}
	q->l4 = l4;
	q->l4len = l4len;
	switch (q->proto) {
	case IPP_ICMP:
	case IPP_ICMPV6:
		q->itype = l4[0];
		q->icode = l4[1];
		q->id = get16(l4 + 4);
		q->seq = get16(l4 + 6);
		break;
	case IPP_UDP:
		q->sport = get16(l4);
		q->dport = get16(l4 + 2);
		q->ulen = get16(l4 + 4);
		break;
	case IPP_TCP:
		q->sport = get16(l4);
		q->dport = get16(l4 + 2);
		q->tcp_seq = get32(l4 + 4);
		break;
	}
	return ICMP_OK;
}

/* --- names -------------------------------------------------------------- */

const char *
icmp_type_name(int version, uint8_t type)
{
	if (version == 6) {
		switch (type) {
		case IC6_UNREACH: return "unreachable";
		case IC6_PACKET_TOO_BIG: return "packet-too-big";
		case IC6_TIME_EXCEEDED: return "time-exceeded";
		case IC6_PARAM_PROBLEM: return "parameter-problem";
		case IC6_ECHO_REQUEST: return "echo-request";
		case IC6_ECHO_REPLY: return "echo-reply";
		case 133: return "router-solicitation";
		case 134: return "router-advertisement";
		case 135: return "neighbor-solicitation";
		case 136: return "neighbor-advertisement";
		case 137: return "redirect";
		case 143: return "mldv2-report";
		}
		return "unknown";
	}
	switch (type) {
	case IC4_ECHO_REPLY: return "echo-reply";
	case IC4_UNREACH: return "unreachable";
	case IC4_SOURCE_QUENCH: return "source-quench";
	case IC4_REDIRECT: return "redirect";
	case IC4_ECHO_REQUEST: return "echo-request";
	case IC4_TIME_EXCEEDED: return "time-exceeded";
	case IC4_PARAM_PROBLEM: return "parameter-problem";
	case IC4_TIMESTAMP: return "timestamp";
	case IC4_TIMESTAMP_REPLY: return "timestamp-reply";
	}
	return "unknown";
}

static const char *const unreach4_short[16] = {
	"net", "host", "protocol", "port", "frag-needed", "source-route-failed",
	"net-unknown", "host-unknown", "host-isolated", "net-prohibited", "host-prohibited",
	"net-tos", "host-tos", "filtered", "precedence-violation", "precedence-cutoff",
};
static const char *const unreach4_text[16] = {
	"Destination Net Unreachable", "Destination Host Unreachable",
	"Destination Protocol Unreachable", "Destination Port Unreachable",
	"Frag needed and DF set", "Source Route Failed", "Destination Net Unknown",
	"Destination Host Unknown", "Source Host Isolated", "Destination Net Prohibited",
	"Destination Host Prohibited", "Destination Net Unreachable for Type of Service",
	"Destination Host Unreachable for Type of Service", "Packet filtered",
	"Precedence Violation", "Precedence Cutoff",
};
static const char *const unreach6_short[8] = {
	"no-route", "admin-prohibited", "beyond-scope", "address", "port",
	"source-policy", "reject-route", "source-routing-header",
};
static const char *const unreach6_text[8] = {
	"No route", "Administratively prohibited", "Beyond scope of source address",
	"Address unreachable", "Port unreachable", "Source address failed ingress/egress policy",
	"Reject route to destination", "Error in source routing header",
};

const char *
icmp_code_name(int version, uint8_t type, uint8_t code)
{
	if (version == 6) {
		if (type == IC6_UNREACH && code < 8)
			return unreach6_short[code];
		if (type == IC6_TIME_EXCEEDED && code < 2)
			return code ? "reassembly" : "hop-limit";
		if (type == IC6_PARAM_PROBLEM && code < 3)
			return (const char *[]){ "header-field", "next-header", "option" }[code];
		return NULL;
	}
	if (type == IC4_UNREACH && code < 16)
		return unreach4_short[code];
	if (type == IC4_TIME_EXCEEDED && code < 2)
		return code ? "reassembly" : "ttl";
	if (type == IC4_REDIRECT && code < 4)
		return (const char *[]){ "net", "host", "tos-net", "tos-host" }[code];
	return NULL;
}

char *
icmp_describe(const struct icmp *m, char *buf, size_t n)
{
	char gw[64];

	if (n == 0)
		return buf;
	if (m->version == 6) {
		switch (m->type) {
		case IC6_UNREACH:
			if (m->code < 7)	/* iputils names 0..6 */
				snprintf(buf, n, "Destination unreachable: %s", unreach6_text[m->code]);
			else
				snprintf(buf, n, "Destination unreachable: Unknown code %u", m->code);
			break;
		case IC6_PACKET_TOO_BIG:
			if (m->code)
				snprintf(buf, n, "Packet too big: mtu=%u, code=%u", (unsigned)m->mtu, m->code);
			else
				snprintf(buf, n, "Packet too big: mtu=%u", (unsigned)m->mtu);
			break;
		case IC6_TIME_EXCEEDED:
			if (m->code == 0)
				snprintf(buf, n, "Time exceeded: Hop limit");
			else if (m->code == 1)
				snprintf(buf, n, "Time exceeded: Defragmentation failure");
			else
				snprintf(buf, n, "Time exceeded: code %u", m->code);
			break;
		case IC6_PARAM_PROBLEM:
			if (m->code < 3)
				snprintf(buf, n, "Parameter problem: %s at %u", m->code == 0 ?
				    "Wrong header field" : m->code == 1 ? "Unknown header" : "Unknown option",
				    (unsigned)m->pointer);
			else
				snprintf(buf, n, "Parameter problem: code %u at %u", m->code, (unsigned)m->pointer);
			break;
		case IC6_ECHO_REQUEST:
			snprintf(buf, n, "Echo request");
			break;
		case IC6_ECHO_REPLY:
			snprintf(buf, n, "Echo reply");
			break;
		default:
			snprintf(buf, n, "unknown icmp type: %u", m->type);
		}
		return buf;
	}
	switch (m->type) {
	case IC4_ECHO_REPLY:
		snprintf(buf, n, "Echo Reply");
		break;
	case IC4_UNREACH:
		if (m->code == IC4_FRAG_NEEDED)
			snprintf(buf, n, "Frag needed and DF set (mtu = %u)", (unsigned)m->mtu);
		else if (m->code < 16)
			snprintf(buf, n, "%s", unreach4_text[m->code]);
		else
			snprintf(buf, n, "Dest Unreachable, Bad Code: %u", m->code);
		break;
	case IC4_SOURCE_QUENCH:
		snprintf(buf, n, "Source Quench");
		break;
	case IC4_REDIRECT:
		ip_ntop(4, m->gateway, gw, sizeof gw);
		snprintf(buf, n, "%s(New nexthop: %s)",
		    m->code == 0 ? "Redirect Network" : m->code == 1 ? "Redirect Host" :
		    m->code == 2 ? "Redirect Type of Service and Network" :
		    m->code == 3 ? "Redirect Type of Service and Host" : "Redirect, Bad Code", gw);
		break;
	case IC4_ECHO_REQUEST:
		snprintf(buf, n, "Echo Request");
		break;
	case IC4_TIME_EXCEEDED:
		if (m->code == 0)
			snprintf(buf, n, "Time to live exceeded");
		else if (m->code == 1)
			snprintf(buf, n, "Frag reassembly time exceeded");
		else
			snprintf(buf, n, "Time exceeded, Bad Code: %u", m->code);
		break;
	case IC4_PARAM_PROBLEM:
		snprintf(buf, n, "Parameter problem: pointer = %u", (unsigned)m->pointer);
		break;
	default:
		snprintf(buf, n, "Bad ICMP type: %u", m->type);
	}
	return buf;
}

/* --- decoders ------------------------------------------------------------ */

/* the checksum line: the verdict on what we received, or what the kernel fills in */
static void
decode_cksum(struct layers *lv, const struct icmp *m, const struct ip_pseudo *ps, int flags)
{
	size_t n = m->datalen + 8;
	uint32_t pseudo = 0, sum;
	char v[160];

	if (m->version == 6 && ps)
		pseudo = ip_pseudo_sum(ps, IPP_ICMPV6, n);
	sum = cksum_add(pseudo, m->data - 8, n);
	if (flags & ICMP_DV_KERNEL_CKSUM) {
		if (m->version == 6 && ps == NULL)
			lv_field(lv, "Checksum", "0x%04x (kernel-filled; not computed: source address "
			    "unknown)", m->cksum);
		else
			lv_field(lv, "Checksum", "0x%04x (kernel-filled; computed)",
			    cksum_fold(sum) == 0 ? m->cksum : cksum_want(sum, m->cksum));
		return;
	}
	if (m->cksum_ok < 0)
		lv_field(lv, "Checksum", "0x%04x [not verified%s]", m->cksum,
		    m->version == 6 ? ": the kernel checks ICMPv6 checksums" : "");
	else
		lv_field(lv, "Checksum", "%s", cksum_verdict(v, sizeof v, m->cksum, sum,
		    m->version == 6, pseudo));
}

static void
decode_msg(struct layers *lv, const struct icmp *m, int r, const struct ip_pseudo *ps, int flags)
{
	const char *cn = icmp_code_name(m->version, m->type, m->code);
	char d[128], gw[64];

	lv_layer(lv, "%s, %zu bytes", m->version == 6 ? "ICMPv6" : "ICMP", m->datalen + 8);
	lv_field(lv, "Type", "%u (%s)", m->type, icmp_type_name(m->version, m->type));
	lv_field(lv, "Code", "%u%s%s%s", m->code, cn ? " (" : "", cn ? cn : "", cn ? ")" : "");
	decode_cksum(lv, m, ps, flags);
	if (r != ICMP_OK && r != ICMP_ECKSUM)
		return;
	if (is_echo(m->version, m->type)) {
		lv_field(lv, "Identifier", "0x%04x (%u)%s", m->id, m->id,
		    flags & ICMP_DV_KERNEL_ID ? " (kernel-filled; read back)" : "");
		lv_field(lv, "Sequence Number", "%u", m->seq);
		lv_field(lv, "Data", "%zu bytes", m->datalen);
		return;
	}
	if (m->version == 4 && m->type == IC4_REDIRECT)
		lv_field(lv, "Gateway Internet Address", "%s", ip_ntop(4, m->gateway, gw, sizeof gw));
	else if (m->mtu)
		lv_field(lv, "MTU", "%u", (unsigned)m->mtu);
	else if ((m->version == 4 && m->type == IC4_PARAM_PROBLEM) ||
	    (m->version == 6 && m->type == IC6_PARAM_PROBLEM))
		lv_field(lv, "Pointer", "%u", (unsigned)m->pointer);
	else
		lv_field(lv, "Unused", "0x%08x", (unsigned)m->word);
	if (icmp_is_error(m->version, m->type)) {
		lv_field(lv, "Meaning", "%s", icmp_describe(m, d, sizeof d));
		icmpquote_decode(lv, m);
	} else if (m->datalen) {
		lv_field(lv, "Data", "%zu bytes", m->datalen);
	}
}

void
icmp4_decode(struct layers *lv, const uint8_t *p, size_t n)
{
	struct icmp m;
	int r = icmp4_parse(p, n, &m);

	if (r == ICMP_ESHORT) {
		lv_layer(lv, "ICMP: %s (%zu bytes)", icmp_strerror(r), n);
		return;
	}
	decode_msg(lv, &m, r, NULL, 0);
}

void
icmp6_decode(struct layers *lv, const uint8_t *p, size_t n, const struct ip_pseudo *ps)
{
	struct icmp m;
	int r = icmp6_parse(p, n, ps, &m);

	if (r == ICMP_ESHORT) {
		lv_layer(lv, "ICMPv6: %s (%zu bytes)", icmp_strerror(r), n);
		return;
	}
	decode_msg(lv, &m, r, ps, 0);
}

void
icmp_kernel_fill(uint8_t *p, size_t n, int version, int fill_id, uint16_t id,
    const struct ip_pseudo *ps)
{
	uint32_t sum = 0;

	if (n < 8)
		return;
	if (fill_id)
		put16(p + 4, id);
	if (version == 6) {
		if (ps == NULL)
			return;
		sum = ip_pseudo_sum(ps, IPP_ICMPV6, n);
	}
	put16(p + 2, 0);
	put16(p + 2, cksum_fold(cksum_add(sum, p, n)));
}

void
icmp_decode_sent(struct layers *lv, int version, const uint8_t *p, size_t n,
    const struct ip_pseudo *ps, int flags)
{
	struct icmp m;
	int r = version == 6 ? icmp6_parse(p, n, NULL, &m) : icmp4_parse(p, n, &m);

	if (r == ICMP_ESHORT) {
		lv_layer(lv, "%s: %s (%zu bytes)", version == 6 ? "ICMPv6" : "ICMP", icmp_strerror(r), n);
		return;
	}
	decode_msg(lv, &m, r, ps, flags);
}

/* --- the classifier ------------------------------------------------------ */

static enum icmp_class
verdict(struct icmp_verdict *v, enum icmp_class cls, const char *why)
{
	v->cls = cls;
	v->why = why;
	return cls;
}

enum icmp_class
icmp_classify(const struct icmp_probe *pr, const uint8_t *pkt, size_t n, const uint8_t *from,
    struct icmp_verdict *v)
{
	size_t alen = pr->version == 6 ? 16 : 4;
	const uint8_t *p = pkt;
	size_t len = n;
	int r;

	memset(v, 0, sizeof *v);
	v->ttl = -1;
	if (from)
		memcpy(v->from, from, alen);
	if (pkt == NULL)
		return verdict(v, ICMP_NOT_OURS, "empty");
	if (pr->version == 4 && pr->ip_header) {
		/* ICMP-02: IHL >= 5, IHL within the packet, then 8 ICMP bytes */
		r = ip4_parse(pkt, n, IP_NOCKSUM, &v->ip);
		if (r != IP_OK)
			return verdict(v, ICMP_NOT_OURS, ip_strerror(r));
		if (v->ip.proto != IPP_ICMP)
			return verdict(v, ICMP_NOT_OURS, "not ICMP");
		if (v->ip.paylen < 8)
			return verdict(v, ICMP_NOT_OURS, "packet too short");
		v->ttl = v->ip.ttl;
		memcpy(v->from, v->ip.src, 4);
		p = v->ip.payload;
		len = v->ip.paylen;
	}
	if (pr->version == 6) {
		struct ip_pseudo ps = { .version = 6 };

		if (pr->have_src && from) {
			memcpy(ps.src, from, 16);
			memcpy(ps.dst, pr->src, 16);
		}
		r = icmp6_parse(p, len, pr->have_src && from ? &ps : NULL, &v->msg);
	} else {
		r = icmp4_parse(p, len, &v->msg);
	}
	if (r == ICMP_ESHORT)
		return verdict(v, ICMP_NOT_OURS, "packet too short");

	if (icmp_is_echo_reply(pr->version, v->msg.type)) {
		int is_icmp = pr->proto == IPP_ICMP || pr->proto == IPP_ICMPV6;

		if (!is_icmp)
			return verdict(v, ICMP_NOT_OURS, "echo reply");
		if (!pr->kernel_id && v->msg.id != pr->id)
			return verdict(v, ICMP_NOT_OURS, "other identifier");	/* ICMP-01 */
		v->seq = v->msg.seq;
		if (r == ICMP_ECKSUM)
			return verdict(v, ICMP_CORRUPT, "bad checksum");	/* ICMP-08 */
		if (memcmp(v->from, pr->dst, alen) != 0) {
			v->wrong_source = 1;
			return verdict(v, ICMP_NOT_OURS, "wrong source");	/* ICMP-05 */
		}
		return verdict(v, ICMP_OURS, NULL);
	}
	if (!icmp_is_error(pr->version, v->msg.type))
		return verdict(v, ICMP_NOT_OURS, "not a reply");
	/* an error: is the quoted datagram our probe? (ICMP-03, ICMP-04) */
	if (icmp_quoted(&v->msg, &v->q) != ICMP_OK)
		return verdict(v, ICMP_NOT_OURS, "quoted datagram too short");
	if (memcmp(v->q.dst, pr->dst, alen) != 0)
		return verdict(v, ICMP_NOT_OURS, "quoted destination not ours");
	if (v->q.proto != pr->proto)
		return verdict(v, ICMP_NOT_OURS, "quoted protocol not ours");
	if (pr->proto == IPP_ICMP || pr->proto == IPP_ICMPV6) {
		if (v->q.itype != (pr->version == 6 ? IC6_ECHO_REQUEST : IC4_ECHO_REQUEST))
			return verdict(v, ICMP_NOT_OURS, "quoted message not an echo request");
		if (!pr->kernel_id && v->q.id != pr->id)
			return verdict(v, ICMP_NOT_OURS, "quoted identifier not ours");
		v->seq = v->q.seq;
	} else {
		if (v->q.sport != pr->id)
			return verdict(v, ICMP_NOT_OURS, "quoted port not ours");
		v->seq = v->q.dport;
	}
	if (r == ICMP_ECKSUM)
		return verdict(v, ICMP_CORRUPT, "bad checksum");
	return verdict(v, ICMP_FOR_PROBE, NULL);
}
