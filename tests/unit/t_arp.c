/*
 * t_arp.c - Ethernet II and ARP: kernel- and arping-captured frames parsed
 * field by field, rebuilt byte for byte; the hostile cases ARP-01..07 at
 * the parser and classifier; the layer view; MAC text; the route and
 * neighbour table parsers of route.c.
 */
#include <stdio.h>
#include <string.h>

#include "arp.h"
#include "eth.h"
#include "route.h"
#include "tap.h"
#include "tubes.h"
#include "wire.h"

#define FIX "tests/fixtures/arp/"

static const uint8_t mac_a[6] = { 2, 0, 0, 0, 0, 1 }, mac_b[6] = { 2, 0, 0, 0, 0, 2 };
static const uint8_t mac_c[6] = { 2, 0, 0, 0, 0, 3 }, mac_zero[6];
static const uint8_t ip_a[4] = { 10, 0, 0, 1 }, ip_b[4] = { 10, 0, 0, 2 };
static const uint8_t ip_c[4] = { 10, 0, 0, 3 }, ip_zero[4];

/* A (10.0.0.1, 02:..:01) asks for B (10.0.0.2) */
static struct arp_query
query_a(void)
{
	struct arp_query q;

	memset(&q, 0, sizeof q);
	memcpy(q.mac, mac_a, 6);
	memcpy(q.spa, ip_a, 4);
	memcpy(q.tpa, ip_b, 4);
	return q;
}

/* a frame built by hand: any field may be wrong */
static size_t
raw_frame(uint8_t *b, const uint8_t *edst, const uint8_t *esrc, unsigned htype, unsigned ptype,
    unsigned hlen, unsigned plen, unsigned oper, const uint8_t *sha, const uint8_t *spa,
    const uint8_t *tha, const uint8_t *tpa)
{
	struct writer w;

	wr_init(&w, b, 128);
	wr_bytes(&w, edst, 6);
	wr_bytes(&w, esrc, 6);
	wr_u16(&w, ETYPE_ARP);
	wr_u16(&w, (uint16_t)htype);
	wr_u16(&w, (uint16_t)ptype);
	wr_u8(&w, (uint8_t)hlen);
	wr_u8(&w, (uint8_t)plen);
	wr_u16(&w, (uint16_t)oper);
	wr_bytes(&w, sha, 6);
	wr_bytes(&w, spa, 4);
	wr_bytes(&w, tha, 6);
	wr_bytes(&w, tpa, 4);
	return w.len;
}

static size_t
reply_frame(uint8_t *b, const uint8_t *from_mac, const uint8_t *from_ip, const uint8_t *to_mac,
    const uint8_t *to_ip)
{
	return raw_frame(b, to_mac, from_mac, 1, 0x0800, 6, 4, 2, from_mac, from_ip, to_mac, to_ip);
}

static char *
decode_to_string(const uint8_t *p, size_t n)
{
	static char out[8192];
	struct layers lv;
	FILE *fp = fmemopen(out, sizeof out, "w");

	if (fp == NULL)
		return NULL;
	lv.fp = fp;
	arp_decode_frame(&lv, p, n);
	fclose(fp);
	return out;
}

int
main(void)
{
	uint8_t f[256], g[256];
	char s[64];
	size_t n, m;

	/* --- Ethernet II and MAC text ------------------------------------- */

	TEST("eth: kernel request header parses (tshark: ff:ff.. from 02:..:01, ARP)") {
		struct cursor c;
		struct eth_hdr h;

		n = tap_hexfile(FIX "kernel-request.hex", f, sizeof f);
		CHECK_EQ(n, 42);
		cur_init(&c, f, n);
		CHECK_EQ(eth_parse(&c, &h), ETH_OK);
		CHECK_MEM(h.dst, mac_broadcast, 6);
		CHECK_MEM(h.src, mac_a, 6);
		CHECK_EQ(h.type, 0x0806);
		CHECK_EQ(h.vlan, -1);
		CHECK_EQ(h.hlen, 14);
		CHECK_EQ(c.off, 14);
		CHECK_STR(eth_type_name(h.type), "ARP");
	}
	TEST("eth: builder reproduces the captured header") {
		struct writer w;

		n = tap_hexfile(FIX "kernel-reply.hex", f, sizeof f);
		wr_init(&w, g, sizeof g);
		eth_build(&w, mac_a, mac_b, ETYPE_ARP);
		CHECK_EQ(w.len, 14);
		CHECK_MEM(g, f, 14);
	}
	TEST("eth: short header, 802.3 length, 802.1Q tag") {
		static const uint8_t tagged[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1,
			0x81, 0x00, 0x20, 0x0a, 0x08, 0x06, 0 };
		static const uint8_t llc[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1,
			0x00, 0x26, 0x42, 0x42, 0x03 };
		struct cursor c;
		struct eth_hdr h;

		cur_init(&c, tagged, 13);
		CHECK_EQ(eth_parse(&c, &h), ETH_ESHORT);
		cur_init(&c, tagged, 16);
		CHECK_EQ(eth_parse(&c, &h), ETH_ESHORT);	/* tag without inner type */
		cur_init(&c, tagged, sizeof tagged);
		CHECK_EQ(eth_parse(&c, &h), ETH_OK);
		CHECK_EQ(h.vlan, 0x200a);
		CHECK_EQ(h.type, ETYPE_ARP);
		CHECK_EQ(h.hlen, 18);
		cur_init(&c, llc, sizeof llc);
		CHECK_EQ(eth_parse(&c, &h), ETH_ELENGTH);
		CHECK_STR(eth_strerror(ETH_ELENGTH), "IEEE 802.3 length field, not an Ethernet II type");
	}
	TEST("mac_str and mac_parse") {
		static const uint8_t mx[6] = { 0x02, 0xab, 0x0c, 0xff, 0x00, 0x7e };
		uint8_t out[6];

		CHECK_STR(mac_str(mx, s, sizeof s), "02:ab:0c:ff:00:7e");
		CHECK_EQ(mac_parse("02:AB:0c:ff:00:7e", out), 0);
		CHECK_MEM(out, mx, 6);
		CHECK_EQ(mac_parse("02-ab-0c-ff-00-7e", out), 0);
		CHECK_MEM(out, mx, 6);
		CHECK_EQ(mac_parse("02:ab-0c:ff:00:7e", out), -1);
		CHECK_EQ(mac_parse("02:ab:0c:ff:00", out), -1);
		CHECK_EQ(mac_parse("02:ab:0c:ff:00:7e:", out), -1);
		CHECK_EQ(mac_parse("2:ab:0c:ff:00:7e", out), -1);
		CHECK_EQ(mac_parse("02:ab:0c:ff:00:7g", out), -1);
		CHECK_EQ(mac_parse("", out), -1);
		CHECK(mac_is_broadcast(mac_broadcast));
		CHECK(mac_is_multicast(mac_broadcast));
		CHECK(!mac_is_multicast(mx));
		CHECK(mac_is_zero(mac_zero));
		s[0] = 'x';
		mac_str(mx, s, 5);
		CHECK_EQ(s[0], '\0');
	}

	/* --- captured ARP: parse field by field, rebuild byte for byte ----- */

	TEST("arp: kernel request parses to tshark's values") {
		struct cursor c;
		struct eth_hdr h;
		struct arp_pkt a;

		n = tap_hexfile(FIX "kernel-request.hex", f, sizeof f);
		cur_init(&c, f, n);
		CHECK_EQ(eth_parse(&c, &h), ETH_OK);
		CHECK_EQ(arp_parse(&c, &a), ARP_OK);
		CHECK_EQ(a.htype, 1);
		CHECK_EQ(a.ptype, 0x0800);
		CHECK_EQ(a.hlen, 6);
		CHECK_EQ(a.plen, 4);
		CHECK_EQ(a.oper, ARP_OP_REQUEST);
		CHECK_STR(mac_str(a.sha, s, sizeof s), "02:00:00:00:00:01");
		CHECK_STR(arp_ip4_str(a.spa, s, sizeof s), "10.0.0.1");
		CHECK_STR(mac_str(a.tha, s, sizeof s), "00:00:00:00:00:00");
		CHECK_STR(arp_ip4_str(a.tpa, s, sizeof s), "10.0.0.2");
		CHECK_EQ(c.off, 42);
	}
	TEST("arp: kernel reply parses to tshark's values") {
		struct cursor c;
		struct eth_hdr h;
		struct arp_pkt a;

		n = tap_hexfile(FIX "kernel-reply.hex", f, sizeof f);
		cur_init(&c, f, n);
		CHECK_EQ(eth_parse(&c, &h), ETH_OK);
		CHECK_MEM(h.dst, mac_a, 6);
		CHECK_MEM(h.src, mac_b, 6);
		CHECK_EQ(arp_parse(&c, &a), ARP_OK);
		CHECK_EQ(a.htype, 1);
		CHECK_EQ(a.ptype, 0x0800);
		CHECK_EQ(a.hlen, 6);
		CHECK_EQ(a.plen, 4);
		CHECK_EQ(a.oper, ARP_OP_REPLY);
		CHECK_STR(mac_str(a.sha, s, sizeof s), "02:00:00:00:00:02");
		CHECK_STR(arp_ip4_str(a.spa, s, sizeof s), "10.0.0.2");
		CHECK_STR(mac_str(a.tha, s, sizeof s), "02:00:00:00:00:01");
		CHECK_STR(arp_ip4_str(a.tpa, s, sizeof s), "10.0.0.1");
	}
	TEST("arp: request builder reproduces the kernel's request") {
		struct arp_pkt a;

		n = tap_hexfile(FIX "kernel-request.hex", f, sizeof f);
		arp_request(&a, mac_a, ip_a, ip_b);
		m = arp_frame(g, sizeof g, mac_broadcast, &a);
		CHECK_EQ(m, n);
		CHECK_MEM(g, f, n);
	}
	TEST("arp: reply builder reproduces the kernel's reply") {
		struct arp_pkt a;

		n = tap_hexfile(FIX "kernel-reply.hex", f, sizeof f);
		arp_reply(&a, mac_b, ip_b, mac_a, ip_a);
		m = arp_frame(g, sizeof g, mac_a, &a);
		CHECK_EQ(m, n);
		CHECK_MEM(g, f, n);
	}
	TEST("arp: builder reproduces arping's request (THA broadcast) from parsed values") {
		struct cursor c;
		struct eth_hdr h;
		struct arp_pkt a;

		n = tap_hexfile(FIX "arping-request.hex", f, sizeof f);
		cur_init(&c, f, n);
		CHECK_EQ(eth_parse(&c, &h), ETH_OK);
		CHECK_EQ(arp_parse(&c, &a), ARP_OK);
		CHECK_MEM(a.tha, mac_broadcast, 6);
		m = arp_frame(g, sizeof g, h.dst, &a);
		CHECK_EQ(m, n);
		CHECK_MEM(g, f, n);
	}
	TEST("arp: probe builder matches arping -D but for THA (RFC 5227: zero)") {
		struct arp_pkt a;

		n = tap_hexfile(FIX "arping-dad-probe.hex", f, sizeof f);
		arp_probe(&a, mac_a, ip_b);
		m = arp_frame(g, sizeof g, mac_broadcast, &a);
		CHECK_EQ(m, n);
		CHECK_MEM(g, f, ARP_FRAME_LEN - 10);	/* up to THA */
		CHECK_MEM(g + 38, f + 38, 4);		/* TPA */
		CHECK(mac_is_zero(g + 32));
		memcpy(g + 32, mac_broadcast, 6);
		CHECK_MEM(g, f, n);
	}
	TEST("arp: announcement builder matches arping -U but for THA (RFC 5227: zero)") {
		struct arp_pkt a;

		n = tap_hexfile(FIX "arping-announce.hex", f, sizeof f);
		arp_announce(&a, mac_a, ip_a);
		m = arp_frame(g, sizeof g, mac_broadcast, &a);
		CHECK_EQ(m, n);
		CHECK(mac_is_zero(g + 32));
		memcpy(g + 32, mac_broadcast, 6);
		CHECK_MEM(g, f, n);
	}
	TEST("arp: every builder re-parses to its values") {
		struct arp_pkt a, b;
		struct cursor c;
		struct eth_hdr h;
		int i;

		for (i = 0; i < 4; i++) {
			if (i == 0)
				arp_request(&a, mac_c, ip_c, ip_a);
			else if (i == 1)
				arp_reply(&a, mac_c, ip_c, mac_a, ip_a);
			else if (i == 2)
				arp_probe(&a, mac_c, ip_a);
			else
				arp_announce(&a, mac_c, ip_c);
			n = arp_frame(f, sizeof f, mac_broadcast, &a);
			CHECK_EQ(n, 42);
			cur_init(&c, f, n);
			CHECK_EQ(eth_parse(&c, &h), ETH_OK);
			CHECK_EQ(arp_parse(&c, &b), ARP_OK);
			CHECK_MEM(&a, &b, sizeof a);
		}
		CHECK_EQ(arp_frame(f, 41, mac_broadcast, &a), 0);
	}

	TEST("arp_frame_parse: a frame, a tagged frame, errors") {
		struct eth_hdr h;
		struct arp_pkt a;
		uint8_t t[64];

		n = tap_hexfile(FIX "kernel-reply.hex", f, sizeof f);
		CHECK_EQ(arp_frame_parse(f, n, &h, &a), ARP_OK);
		CHECK_MEM(a.spa, ip_b, 4);
		/* the same inside an 802.1Q tag, VID 10 */
		memcpy(t, f, 12);
		put16(t + 12, ETYPE_VLAN);
		put16(t + 14, 10);
		memcpy(t + 16, f + 12, n - 12);
		CHECK_EQ(arp_frame_parse(t, n + 4, &h, &a), ARP_OK);
		CHECK_EQ(h.vlan, 10);
		CHECK_MEM(a.tpa, ip_a, 4);
		CHECK_EQ(arp_frame_parse(f, 10, &h, &a), ARP_EETH);
		put16(f + 12, ETYPE_IPV6);
		CHECK_EQ(arp_frame_parse(f, n, &h, &a), ARP_ENOTARP);
		CHECK_EQ(arp_frame_parse(f, 30, &h, &a), ARP_ENOTARP);
	}

	/* --- classifier on the captures ------------------------------------ */

	TEST("classify: kernel reply answers A's query") {
		struct arp_query q = query_a();
		struct arp_pkt a;
		int err = 99;

		n = tap_hexfile(FIX "kernel-reply.hex", f, sizeof f);
		CHECK_EQ(arp_classify(f, n, &q, NULL, &a, &err), ARP_ANSWER);
		CHECK_EQ(err, ARP_OK);
		CHECK_MEM(a.sha, mac_b, 6);
	}
	TEST("classify: our own request is not an answer") {
		struct arp_query q = query_a();

		n = tap_hexfile(FIX "kernel-request.hex", f, sizeof f);
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, NULL), ARP_NOT_OURS);
	}
	TEST("classify: DAD probe and the kernel's reply to it (taken address)") {
		struct arp_query q = query_a();

		memset(q.spa, 0, 4);
		q.dad = 1;
		n = tap_hexfile(FIX "kernel-dad-reply.hex", f, sizeof f);
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, NULL), ARP_ANSWER);
		/* the same reply does not answer a normal query: TPA is 0.0.0.0 */
		q = query_a();
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, NULL), ARP_NOT_OURS);
		/* B sees A's probe: a probe, not an answer */
		n = tap_hexfile(FIX "arping-dad-probe.hex", f, sizeof f);
		memcpy(q.mac, mac_b, 6);
		memcpy(q.spa, ip_b, 4);
		memcpy(q.tpa, ip_a, 4);
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, NULL), ARP_PROBE);
	}

	/* --- hostile frames, one test each (hostile-peers.md B.3) ----------- */

	TEST("ARP-01 short frame: fixed header cut, then addresses cut") {
		struct arp_query q = query_a();
		struct cursor c;
		struct arp_pkt a;
		int err, k;

		n = tap_hexfile(FIX "kernel-reply.hex", f, sizeof f);
		for (k = 0; k < 42; k++) {
			enum arp_class cl = arp_classify(f, (size_t)k, &q, NULL, NULL, &err);

			CHECK_EQ(cl, ARP_MALFORMED);
			CHECK_EQ(err, k < 14 ? ARP_EETH : k < 22 ? ARP_ESHORT : ARP_ETRUNC);
		}
		CHECK_EQ(arp_classify(f, 42, &q, NULL, NULL, &err), ARP_ANSWER);
		/* lengths that claim more than the frame holds */
		f[14 + ARP_OFF_HLEN] = 200;
		f[14 + ARP_OFF_PLEN] = 200;
		cur_init(&c, f + 14, 28);
		CHECK_EQ(arp_parse(&c, &a), ARP_ETRUNC);
		CHECK_EQ(arp_classify(f, 42, &q, NULL, NULL, &err), ARP_MALFORMED);
		CHECK_EQ(err, ARP_ETRUNC);
		CHECK_STR(arp_strerror(err), "shorter than its address lengths claim");
	}
	TEST("ARP-02 wrong hardware type, protocol type, lengths, operation") {
		struct arp_query q = query_a();
		int err;

		n = raw_frame(f, mac_a, mac_b, 6, 0x0800, 6, 4, 2, mac_b, ip_b, mac_a, ip_a);
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, &err), ARP_MALFORMED);
		CHECK_EQ(err, ARP_EHTYPE);
		n = raw_frame(f, mac_a, mac_b, 1, 0x86dd, 6, 4, 2, mac_b, ip_b, mac_a, ip_a);
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, &err), ARP_MALFORMED);
		CHECK_EQ(err, ARP_EPTYPE);
		/* HLEN 8 with room for it: still not Ethernet */
		n = raw_frame(f, mac_a, mac_b, 1, 0x0800, 8, 4, 2, mac_b, ip_b, mac_a, ip_a);
		memset(f + n, 0, 4);
		CHECK_EQ(arp_classify(f, n + 4, &q, NULL, NULL, &err), ARP_MALFORMED);
		CHECK_EQ(err, ARP_EHLEN);
		n = raw_frame(f, mac_a, mac_b, 1, 0x0800, 6, 16, 2, mac_b, ip_b, mac_a, ip_a);
		memset(f + n, 0, 24);
		CHECK_EQ(arp_classify(f, n + 24, &q, NULL, NULL, &err), ARP_MALFORMED);
		CHECK_EQ(err, ARP_EPLEN);
		n = raw_frame(f, mac_a, mac_b, 1, 0x0800, 6, 4, 4, mac_b, ip_b, mac_a, ip_a);
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, &err), ARP_MALFORMED);
		CHECK_EQ(err, ARP_EOPER);
		/* not ARP at all */
		n = reply_frame(f, mac_b, ip_b, mac_a, ip_a);
		put16(f + 12, ETYPE_IPV4);
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, &err), ARP_MALFORMED);
		CHECK_EQ(err, ARP_ENOTARP);
	}
	TEST("ARP-03 reply for another IP, or aimed at another host") {
		struct arp_query q = query_a();

		/* C answers for itself, not for B */
		n = reply_frame(f, mac_c, ip_c, mac_a, ip_a);
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, NULL), ARP_NOT_OURS);
		/* B answers someone else's query (TPA 10.0.0.3) */
		n = reply_frame(f, mac_b, ip_b, mac_a, ip_c);
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, NULL), ARP_NOT_OURS);
		/* B answers to our MAC on the wire but THA names C */
		n = raw_frame(f, mac_a, mac_b, 1, 0x0800, 6, 4, 2, mac_b, ip_b, mac_c, ip_a);
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, NULL), ARP_NOT_OURS);
		/* B asks about us: a request is not an answer */
		n = raw_frame(f, mac_broadcast, mac_b, 1, 0x0800, 6, 4, 1, mac_b, ip_b, mac_zero, ip_a);
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, NULL), ARP_NOT_OURS);
		/* the right one */
		n = reply_frame(f, mac_b, ip_b, mac_a, ip_a);
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, NULL), ARP_ANSWER);
	}
	TEST("ARP-04 frames not addressed to us, and our own") {
		struct arp_query q = query_a();

		/* a reply unicast to C's MAC (seen in promiscuous mode) */
		n = raw_frame(f, mac_c, mac_b, 1, 0x0800, 6, 4, 2, mac_b, ip_b, mac_a, ip_a);
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, NULL), ARP_NOT_OURS);
		/* an outgoing frame of ours, echoed back */
		n = raw_frame(f, mac_b, mac_a, 1, 0x0800, 6, 4, 2, mac_a, ip_b, mac_a, ip_a);
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, NULL), ARP_NOT_OURS);
		/* a broadcast reply is accepted (some stacks send them) */
		n = raw_frame(f, mac_broadcast, mac_b, 1, 0x0800, 6, 4, 2, mac_b, ip_b, mac_a, ip_a);
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, NULL), ARP_ANSWER);
	}
	TEST("ARP-05 gratuitous ARP and probes are not answers") {
		struct arp_query q = query_a();

		/* B announces itself with a request, and with a reply */
		n = raw_frame(f, mac_broadcast, mac_b, 1, 0x0800, 6, 4, 1, mac_b, ip_b, mac_zero, ip_b);
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, NULL), ARP_GRATUITOUS);
		n = raw_frame(f, mac_broadcast, mac_b, 1, 0x0800, 6, 4, 2, mac_b, ip_b, mac_broadcast, ip_b);
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, NULL), ARP_GRATUITOUS);
		/* B probes for 10.0.0.2 */
		n = raw_frame(f, mac_broadcast, mac_b, 1, 0x0800, 6, 4, 1, mac_b, ip_zero, mac_zero, ip_b);
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, NULL), ARP_PROBE);
		/* in DAD mode, the announcement is a conflict, so is a reply */
		q.dad = 1;
		memset(q.spa, 0, 4);
		n = raw_frame(f, mac_broadcast, mac_b, 1, 0x0800, 6, 4, 1, mac_b, ip_b, mac_zero, ip_b);
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, NULL), ARP_ANSWER);
		n = raw_frame(f, mac_broadcast, mac_b, 1, 0x0800, 6, 4, 1, mac_b, ip_zero, mac_zero, ip_b);
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, NULL), ARP_PROBE);
		/* C announces 10.0.0.3 during our DAD of 10.0.0.2: not ours */
		n = raw_frame(f, mac_broadcast, mac_c, 1, 0x0800, 6, 4, 1, mac_c, ip_c, mac_zero, ip_c);
		CHECK_EQ(arp_classify(f, n, &q, NULL, NULL, NULL), ARP_GRATUITOUS);
		CHECK_STR(arp_class_name(ARP_GRATUITOUS), "gratuitous");
	}
	TEST("ARP-06 two MACs answer for one IP: both kept, the second flagged") {
		struct arp_query q = query_a();
		struct arp_macs seen = { 0 };
		struct arp_pkt a;

		n = reply_frame(f, mac_b, ip_b, mac_a, ip_a);
		CHECK_EQ(arp_classify(f, n, &q, NULL, &a, NULL), ARP_ANSWER);
		CHECK_EQ(arp_note_mac(&seen, a.sha), ARP_MAC_NEW);
		n = reply_frame(f, mac_c, ip_b, mac_a, ip_a);
		CHECK_EQ(arp_classify(f, n, &q, NULL, &a, NULL), ARP_ANSWER);
		CHECK_EQ(arp_note_mac(&seen, a.sha), ARP_MAC_DUP);
		CHECK_EQ(arp_note_mac(&seen, mac_b), ARP_MAC_SAME);
		CHECK_EQ(seen.n, 2);
		CHECK_MEM(seen.mac[0], mac_b, 6);
		CHECK_MEM(seen.mac[1], mac_c, 6);
	}
	TEST("ARP-06 a full table still flags new MACs") {
		struct arp_macs seen = { 0 };
		uint8_t mm[6] = { 2, 0, 0, 0, 1, 0 };
		int i;

		for (i = 0; i < ARP_MAX_MACS + 3; i++) {
			mm[5] = (uint8_t)i;
			CHECK_EQ(arp_note_mac(&seen, mm), i == 0 ? ARP_MAC_NEW : ARP_MAC_DUP);
		}
		CHECK_EQ(seen.n, ARP_MAX_MACS);
	}
	TEST("ARP-07 Ethernet padding to 60 bytes is not an error") {
		struct arp_query q = query_a();
		struct arp_pkt a;
		int err;

		n = tap_hexfile(FIX "kernel-reply.hex", f, sizeof f);
		memset(f + n, 0, 60 - n);
		CHECK_EQ(arp_classify(f, 60, &q, NULL, &a, &err), ARP_ANSWER);
		CHECK_EQ(err, ARP_OK);
		memset(f + n, 0xa5, 60 - n);	/* junk padding, too */
		CHECK_EQ(arp_classify(f, 60, &q, NULL, &a, &err), ARP_ANSWER);
		CHECK_MEM(a.sha, mac_b, 6);
	}

	/* --- the layer view ------------------------------------------------ */

	TEST("decode names every field (-X)") {
		const char *out;

		n = tap_hexfile(FIX "kernel-reply.hex", f, sizeof f);
		memset(f + n, 0, 60 - n);
		out = decode_to_string(f, 60);
		CHECK(out != NULL);
		CHECK(strstr(out, "Ethernet II, 14 bytes\n") != NULL);
		CHECK(strstr(out, "Destination            02:00:00:00:00:01\n") != NULL);
		CHECK(strstr(out, "Source                 02:00:00:00:00:02\n") != NULL);
		CHECK(strstr(out, "Type                   0x0806 (ARP)\n") != NULL);
		CHECK(strstr(out, "ARP reply, 28 bytes\n") != NULL);
		CHECK(strstr(out, "HTYPE                  1 (Ethernet)\n") != NULL);
		CHECK(strstr(out, "PTYPE                  0x0800 (IPv4)\n") != NULL);
		CHECK(strstr(out, "HLEN                   6\n") != NULL);
		CHECK(strstr(out, "PLEN                   4\n") != NULL);
		CHECK(strstr(out, "OPER                   2 (reply)\n") != NULL);
		CHECK(strstr(out, "SHA                    02:00:00:00:00:02\n") != NULL);
		CHECK(strstr(out, "SPA                    10.0.0.2\n") != NULL);
		CHECK(strstr(out, "THA                    02:00:00:00:00:01\n") != NULL);
		CHECK(strstr(out, "TPA                    10.0.0.1\n") != NULL);
		CHECK(strstr(out, "Padding, 18 bytes\n") != NULL);
		CHECK(strstr(out, "  0000  02 00 00 00 00 01 02 00  00 00 00 02 08 06 00 01") != NULL);
	}
	TEST("decode shows a short or hostile frame as far as it goes") {
		const char *out;

		n = raw_frame(f, mac_a, mac_b, 6, 0x0800, 6, 4, 2, mac_b, ip_b, mac_a, ip_a);
		out = decode_to_string(f, n);
		CHECK(strstr(out, "ARP reply, 8 bytes: hardware type is not Ethernet\n") != NULL);
		CHECK(strstr(out, "HTYPE                  6\n") != NULL);
		CHECK(strstr(out, "SHA") == NULL);
		out = decode_to_string(f, 18);
		CHECK(strstr(out, "ARP, 4 bytes: shorter than the fixed ARP header\n") != NULL);
		out = decode_to_string(f, 5);
		CHECK(strstr(out, "Ethernet II, 5 bytes: frame shorter than the Ethernet header\n") != NULL);
		CHECK(strstr(out, "  0000  02 00 00 00 00") != NULL);
		CHECK(arp_decode_frame != NULL);
	}
	TEST("arp_ip4_str") {
		static const uint8_t big[4] = { 255, 255, 255, 255 }, mix[4] = { 192, 0, 2, 10 };
		char t[8];

		CHECK_STR(arp_ip4_str(big, s, sizeof s), "255.255.255.255");
		CHECK_STR(arp_ip4_str(mix, s, sizeof s), "192.0.2.10");
		CHECK_STR(arp_ip4_str(ip_zero, s, sizeof s), "0.0.0.0");
		CHECK_STR(arp_ip4_str(big, t, sizeof t), "255.255");
	}

	/* --- route and neighbour tables (route.c parsers) ------------------ */

	TEST("route_pick: longest prefix, then metric; gateway and interface") {
		/* /proc/net/route prints addresses as the %08X of the network-order word */
		uint32_t w;
		uint8_t d[4];
		char txt[1024];
		struct route r;
		int le;

		w = 1;
		memcpy(d, &w, 1);
		le = d[0] == 1;
		/* the same table for either byte order: the words below are written per host */
		snprintf(txt, sizeof txt,
		    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
		    "eth0\t00000000\t%s\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
		    "eth0\t%s\t00000000\t0001\t0\t0\t0\t%s\t0\t0\t0\n"
		    "eth1\t%s\t00000000\t0001\t0\t0\t0\t%s\t0\t0\t0\n"
		    "eth2\t%s\t00000000\t0001\t0\t0\t5\t%s\t0\t0\t0\n"
		    "eth3\t%s\t%s\t0003\t0\t0\t1\t%s\t0\t0\t0\n"
		    "down0\t%s\t00000000\t0000\t0\t0\t0\t%s\t0\t0\t0\n"
		    "bad\tzzzz\n",
		    le ? "0100000A" : "0A000001",
		    le ? "0000000A" : "0A000000", le ? "00FFFFFF" : "FFFFFF00",	/* 10.0.0.0/24 eth0 */
		    le ? "0000010A" : "0A010000", le ? "0000FFFF" : "FFFF0000",	/* 10.1.0.0/16 eth1 */
		    le ? "0000010A" : "0A010000", le ? "0000FFFF" : "FFFF0000",	/* same, metric 5 */
		    le ? "0001010A" : "0A010100", le ? "FE01010A" : "0A0101FE",
		    le ? "00FFFFFF" : "FFFFFF00",	/* 10.1.1.0/24 via 10.1.1.254 eth3 */
		    le ? "0000000B" : "0B000000", le ? "000000FF" : "FF000000");	/* 11/8 down */
		d[0] = 10; d[1] = 0; d[2] = 0; d[3] = 7;
		CHECK_EQ(route_pick(txt, strlen(txt), d, NULL, &r), 1);
		CHECK_STR(r.ifname, "eth0");
		CHECK_EQ(r.prefix, 24);
		CHECK_EQ(r.flags & 2, 0);
		d[1] = 1; d[2] = 2;
		CHECK_EQ(route_pick(txt, strlen(txt), d, NULL, &r), 1);
		CHECK_STR(r.ifname, "eth1");	/* /16, metric 0 beats metric 5 */
		d[2] = 1;
		CHECK_EQ(route_pick(txt, strlen(txt), d, NULL, &r), 1);
		CHECK_STR(r.ifname, "eth3");
		CHECK_EQ(r.prefix, 24);
		CHECK_STR(arp_ip4_str(r.gw, s, sizeof s), "10.1.1.254");
		CHECK(r.flags & 2);
		d[0] = 11;
		CHECK_EQ(route_pick(txt, strlen(txt), d, NULL, &r), 1);
		CHECK_STR(r.ifname, "eth0");	/* the down route is skipped: default */
		CHECK_STR(arp_ip4_str(r.gw, s, sizeof s), "10.0.0.1");
		CHECK_EQ(r.prefix, 0);
		d[0] = 10;
		CHECK_EQ(route_pick(txt, strlen(txt), d, "eth2", &r), 1);
		CHECK_EQ(r.metric, 5);
		CHECK_EQ(route_pick(txt, strlen(txt), d, "eth9", &r), 0);
		CHECK_EQ(route_pick(txt, 20, d, NULL, &r), 0);	/* heading only */
	}
	TEST("neigh_find: complete, incomplete, by interface") {
		static const char txt[] =
		    "IP address       HW type     Flags       HW address            Mask     Device\n"
		    "10.0.0.2         0x1         0x2         02:00:00:00:00:02     *        veth-a\n"
		    "10.0.0.9         0x1         0x0         00:00:00:00:00:00     *        veth-a\n"
		    "10.0.0.2         0x1         0x6         02:00:00:00:00:22     *        veth-b\n"
		    "10.0.0.300       0x1         0x2         02:00:00:00:00:03     *        veth-a\n"
		    "10.0.0.3         0x1         0x2         02:00:00:00:00        *        veth-a\n";
		uint8_t mm[6], ip9[4] = { 10, 0, 0, 9 };
		unsigned fl = 0;

		CHECK_EQ(neigh_find(txt, strlen(txt), ip_b, NULL, mm, &fl), 1);
		CHECK_MEM(mm, mac_b, 6);
		CHECK_EQ(fl, NEIGH_COMPLETE);
		CHECK_EQ(neigh_find(txt, strlen(txt), ip_b, "veth-b", mm, &fl), 1);
		CHECK_EQ(mm[5], 0x22);
		CHECK_EQ(fl, NEIGH_COMPLETE | NEIGH_PERMANENT);
		CHECK_EQ(neigh_find(txt, strlen(txt), ip9, NULL, mm, &fl), 1);
		CHECK_EQ(fl & NEIGH_COMPLETE, 0);
		CHECK_EQ(neigh_find(txt, strlen(txt), ip_c, NULL, mm, &fl), 0);
		CHECK_EQ(neigh_find(txt, strlen(txt), ip_a, NULL, mm, &fl), 0);
	}

	return tap_done();
}
