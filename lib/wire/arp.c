/* arp.c - ARP for IPv4 over Ethernet: build, parse, classify, decode */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arp.h"
#include "eth.h"
#include "view.h"	/* the layer view (lv_*) only */
#include "wire.h"

static const uint8_t ip4_zero[IP4_LEN];

static void
arp_fill(struct arp_pkt *p, unsigned oper, const uint8_t *sha, const uint8_t *spa,
    const uint8_t *tha, const uint8_t *tpa)
{
	memset(p, 0, sizeof *p);
	p->htype = ARP_HTYPE_ETHER;
	p->ptype = ARP_PTYPE_IPV4;
	p->hlen = MAC_LEN;
	p->plen = IP4_LEN;
	p->oper = (uint16_t)oper;
	memcpy(p->sha, sha, MAC_LEN);
	memcpy(p->spa, spa, IP4_LEN);
	if (tha)
		memcpy(p->tha, tha, MAC_LEN);
	memcpy(p->tpa, tpa, IP4_LEN);
}

void
arp_request(struct arp_pkt *p, const uint8_t sha[MAC_LEN], const uint8_t spa[IP4_LEN],
    const uint8_t tpa[IP4_LEN])
{
	arp_fill(p, ARP_OP_REQUEST, sha, spa, NULL, tpa);
}

void
arp_reply(struct arp_pkt *p, const uint8_t sha[MAC_LEN], const uint8_t spa[IP4_LEN],
    const uint8_t tha[MAC_LEN], const uint8_t tpa[IP4_LEN])
{
	arp_fill(p, ARP_OP_REPLY, sha, spa, tha, tpa);
}

void
arp_probe(struct arp_pkt *p, const uint8_t sha[MAC_LEN], const uint8_t tpa[IP4_LEN])
{
	arp_fill(p, ARP_OP_REQUEST, sha, ip4_zero, NULL, tpa);
}

void
arp_announce(struct arp_pkt *p, const uint8_t sha[MAC_LEN], const uint8_t ip[IP4_LEN])
{
	arp_fill(p, ARP_OP_REQUEST, sha, ip, NULL, ip);
}

void
arp_build(struct writer *w, const struct arp_pkt *p)
{
	wr_u16(w, ARP_HTYPE_ETHER);
	wr_u16(w, ARP_PTYPE_IPV4);
	wr_u8(w, MAC_LEN);
	wr_u8(w, IP4_LEN);
	wr_u16(w, p->oper);
	wr_bytes(w, p->sha, MAC_LEN);
	wr_bytes(w, p->spa, IP4_LEN);
	wr_bytes(w, p->tha, MAC_LEN);
	wr_bytes(w, p->tpa, IP4_LEN);
}

size_t
arp_frame(uint8_t *buf, size_t cap, const uint8_t dst[MAC_LEN], const struct arp_pkt *p)
{
	struct writer w;

	wr_init(&w, buf, cap);
	eth_build(&w, dst, p->sha, ETYPE_ARP);
	arp_build(&w, p);
	return w.bad ? 0 : w.len;
}

int
arp_parse(struct cursor *c, struct arp_pkt *p)
{
	memset(p, 0, sizeof *p);
	p->htype = cur_u16(c);
	p->ptype = cur_u16(c);
	p->hlen = cur_u8(c);
	p->plen = cur_u8(c);
	p->oper = cur_u16(c);
	if (c->bad)
		return ARP_ESHORT;
	/* the addresses' room, by the lengths the packet claims (ARP-01) */
	if (cur_left(c) < 2 * ((size_t)p->hlen + p->plen))
		return ARP_ETRUNC;
	if (p->htype != ARP_HTYPE_ETHER)
		return ARP_EHTYPE;
	if (p->ptype != ARP_PTYPE_IPV4)
		return ARP_EPTYPE;
	if (p->hlen != MAC_LEN)
		return ARP_EHLEN;
	if (p->plen != IP4_LEN)
		return ARP_EPLEN;
	cur_copy(c, p->sha, MAC_LEN);
	cur_copy(c, p->spa, IP4_LEN);
	cur_copy(c, p->tha, MAC_LEN);
	cur_copy(c, p->tpa, IP4_LEN);
	if (c->bad)
		return ARP_ETRUNC;	/* not reached: the room was checked */
	if (p->oper != ARP_OP_REQUEST && p->oper != ARP_OP_REPLY)
		return ARP_EOPER;
	return ARP_OK;
}

int
arp_frame_parse(const uint8_t *frame, size_t n, struct eth_hdr *eh, struct arp_pkt *ap)
{
	struct cursor c;

	memset(ap, 0, sizeof *ap);
	cur_init(&c, frame, n);
	if (eth_parse(&c, eh) != ETH_OK)
		return ARP_EETH;
	if (eh->type != ETYPE_ARP)
		return ARP_ENOTARP;
	return arp_parse(&c, ap);
}

const char *
arp_strerror(int e)
{
	switch (e) {
	case ARP_OK: return "no error";
	case ARP_ESHORT: return "shorter than the fixed ARP header";
	case ARP_ETRUNC: return "shorter than its address lengths claim";
	case ARP_EHTYPE: return "hardware type is not Ethernet";
	case ARP_EPTYPE: return "protocol type is not IPv4";
	case ARP_EHLEN: return "hardware address length is not 6";
	case ARP_EPLEN: return "protocol address length is not 4";
	case ARP_EOPER: return "operation is neither request nor reply";
	case ARP_ENOTARP: return "not an ARP frame";
	case ARP_EETH: return "bad Ethernet header";
	}
	return "unknown ARP error";
}

const char *
arp_oper_name(unsigned op)
{
	switch (op) {
	case ARP_OP_REQUEST: return "request";
	case ARP_OP_REPLY: return "reply";
	case 3: return "RARP request";
	case 4: return "RARP reply";
	case 8: return "InARP request";
	case 9: return "InARP reply";
	}
	return NULL;
}

const char *
arp_class_name(enum arp_class k)
{
	switch (k) {
	case ARP_ANSWER: return "answer";
	case ARP_NOT_OURS: return "not ours";
	case ARP_GRATUITOUS: return "gratuitous";
	case ARP_PROBE: return "probe";
	case ARP_MALFORMED: return "malformed";
	}
	return "?";
}

enum arp_class
arp_classify(const uint8_t *frame, size_t n, const struct arp_query *q,
    struct eth_hdr *ehp, struct arp_pkt *app, int *errp)
{
	struct eth_hdr ehs, *eh = ehp ? ehp : &ehs;
	struct arp_pkt aps, *ap = app ? app : &aps;
	int dummy, *err = errp ? errp : &dummy;

	*err = arp_frame_parse(frame, n, eh, ap);
	if (*err != ARP_OK)
		return ARP_MALFORMED;
	/* our own frames, and frames for another station (ARP-04) */
	if (memcmp(eh->src, q->mac, MAC_LEN) == 0 || memcmp(ap->sha, q->mac, MAC_LEN) == 0)
		return ARP_NOT_OURS;
	if (memcmp(eh->dst, q->mac, MAC_LEN) != 0 && !mac_is_broadcast(eh->dst))
		return ARP_NOT_OURS;

	if (q->dad) {
		/* RFC 5227 2.1.1: any packet whose sender is the tested address */
		if (memcmp(ap->spa, q->tpa, IP4_LEN) == 0)
			return ARP_ANSWER;
		if (memcmp(ap->spa, ip4_zero, IP4_LEN) == 0)
			return ARP_PROBE;
		if (memcmp(ap->spa, ap->tpa, IP4_LEN) == 0)
			return ARP_GRATUITOUS;
		return ARP_NOT_OURS;
	}
	/* announcements and probes are not answers (ARP-05) */
	if (memcmp(ap->spa, ip4_zero, IP4_LEN) == 0)
		return ARP_PROBE;
	if (memcmp(ap->spa, ap->tpa, IP4_LEN) == 0)
		return ARP_GRATUITOUS;
	/* a reply from the target, to us, about us (ARP-03) */
	if (ap->oper != ARP_OP_REPLY)
		return ARP_NOT_OURS;
	if (memcmp(ap->spa, q->tpa, IP4_LEN) != 0)
		return ARP_NOT_OURS;
	if (memcmp(ap->tpa, q->spa, IP4_LEN) != 0)
		return ARP_NOT_OURS;
	if (memcmp(ap->tha, q->mac, MAC_LEN) != 0)
		return ARP_NOT_OURS;
	return ARP_ANSWER;
}

int
arp_note_mac(struct arp_macs *m, const uint8_t mac[MAC_LEN])
{
	int i;

	for (i = 0; i < m->n; i++)
		if (memcmp(m->mac[i], mac, MAC_LEN) == 0)
			return ARP_MAC_SAME;
	if (m->n < ARP_MAX_MACS)
		memcpy(m->mac[m->n++], mac, MAC_LEN);
	return m->n == 1 ? ARP_MAC_NEW : ARP_MAC_DUP;
}

char *
arp_ip4_str(const uint8_t ip[IP4_LEN], char *buf, size_t n)
{
	char tmp[16];
	size_t k = 0;
	int i;

	for (i = 0; i < IP4_LEN; i++) {
		unsigned v = ip[i];

		if (v >= 100)
			tmp[k++] = (char)('0' + v / 100);
		if (v >= 10)
			tmp[k++] = (char)('0' + v / 10 % 10);
		tmp[k++] = (char)('0' + v % 10);
		tmp[k++] = i + 1 < IP4_LEN ? '.' : '\0';
	}
	if (n == 0)
		return buf;
	if (k > n)
		k = n;
	memcpy(buf, tmp, k);
	buf[k - 1] = '\0';
	return buf;
}

size_t
arp_decode(struct layers *lv, const uint8_t *p, size_t n)
{
	struct cursor c;
	struct arp_pkt a;
	const char *name;
	char s[18];
	int e;

	cur_init(&c, p, n);
	e = arp_parse(&c, &a);
	if (e == ARP_ESHORT) {
		lv_layer(lv, "ARP, %zu bytes: %s", n, arp_strerror(e));
		return 0;
	}
	name = arp_oper_name(a.oper);
	lv_layer(lv, "ARP %s, %zu bytes%s%s", name ? name : "(unknown operation)",
	    e == ARP_OK ? (size_t)ARP_LEN : (size_t)ARP_FIXED_LEN,
	    e == ARP_OK ? "" : ": ", e == ARP_OK ? "" : arp_strerror(e));
	lv_field(lv, "HTYPE", "%u%s", a.htype, a.htype == ARP_HTYPE_ETHER ? " (Ethernet)" : "");
	lv_field(lv, "PTYPE", "0x%04x%s", a.ptype, a.ptype == ARP_PTYPE_IPV4 ? " (IPv4)" : "");
	lv_field(lv, "HLEN", "%u", a.hlen);
	lv_field(lv, "PLEN", "%u", a.plen);
	lv_field(lv, "OPER", "%u%s%s%s", a.oper, name ? " (" : "", name ? name : "", name ? ")" : "");
	if (e != ARP_OK && e != ARP_EOPER)
		return ARP_FIXED_LEN;
	lv_field(lv, "SHA", "%s", mac_str(a.sha, s, sizeof s));
	lv_field(lv, "SPA", "%s", arp_ip4_str(a.spa, s, sizeof s));
	lv_field(lv, "THA", "%s", mac_str(a.tha, s, sizeof s));
	lv_field(lv, "TPA", "%s", arp_ip4_str(a.tpa, s, sizeof s));
	return ARP_LEN;
}

void
arp_decode_frame(struct layers *lv, const uint8_t *p, size_t n)
{
	size_t off = eth_decode(lv, p, n), used = 0;

	if (off > 0 && get16(p + off - 2) == ETYPE_ARP) {
		used = arp_decode(lv, p + off, n - off);
		if (used > 0 && off + used < n)
			lv_layer(lv, "Padding, %zu bytes", n - off - used);
	}
	lv_hex(lv, p, n);
}
