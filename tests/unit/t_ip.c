/*
 * t_ip.c - IPv4, IPv6, ICMP, ICMPv6, UDP, TCP codecs and the ICMP reply
 * classifier: kernel-captured fixtures (tests/fixtures/{ip,icmp,tcp,udp},
 * values as tshark -V shows them in tests/fixtures/ip/tshark.txt),
 * byte-exact rebuilds, round trips, and the hostile cases ICMP-01..10
 * of hostile-peers.md at the parser level.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "icmp.h"
#include "ip.h"
#include "tap.h"
#include "tcp.h"
#include "tubes.h"
#include "udp.h"
#include "wire.h"

static const uint8_t CLIENT[4] = { 10, 99, 0, 1 }, SERVER[4] = { 10, 99, 1, 2 },
    R1[4] = { 10, 99, 0, 254 };
static const uint8_t C6[16] = { 0xfd, 0, 0, 0x99, [15] = 1 }, R6[16] = { 0xfd, 0, 0, 0x99, [15] = 0xfe };

static uint8_t fx[4096];

static size_t
load(const char *name)
{
	char path[256];

	snprintf(path, sizeof path, "tests/fixtures/%s", name);
	return tap_hexfile(path, fx, sizeof fx);
}

/* the text a decoder writes, for checking field names */
static char *
decoded(void (*fn)(struct layers *, const uint8_t *, size_t), const uint8_t *p, size_t n)
{
	static char *buf;
	size_t len;
	FILE *fp;
	struct layers lv;

	free(buf);
	buf = NULL;
	fp = open_memstream(&buf, &len);
	lv.fp = fp;
	fn(&lv, p, n);
	fclose(fp);
	return buf;
}

static void
icmp4_dec(struct layers *lv, const uint8_t *p, size_t n)
{
	ip4_decode(lv, p, n);
	if (n >= 20)
		icmp4_decode(lv, p + (p[0] & 15) * 4, n - (p[0] & 15) * 4);
}

/* a v4 probe state as ping-lite on a raw socket would have it */
static struct icmp_probe
probe4(uint16_t id)
{
	struct icmp_probe pr = { .version = 4, .ip_header = 1, .proto = IPP_ICMP, .id = id };

	memcpy(pr.dst, SERVER, 4);
	return pr;
}

/* build IPv4 + ICMP echo reply from SERVER to CLIENT into out; returns length */
static size_t
mk_reply(uint8_t *out, size_t cap, uint16_t id, uint16_t seq, const uint8_t *opt, size_t optlen)
{
	static const uint8_t pad[56] = { 1, 2, 3 };
	uint8_t icmpb[64];
	struct writer w;
	struct icmp m = { .version = 4, .type = IC4_ECHO_REPLY, .id = id, .seq = seq,
	    .data = pad, .datalen = sizeof pad };
	struct ip4 h = { .ttl = 64, .proto = IPP_ICMP, .opt = opt, .optlen = optlen };

	wr_init(&w, icmpb, sizeof icmpb);
	icmp_build(&w, &m, NULL);
	memcpy(h.src, SERVER, 4);
	memcpy(h.dst, CLIENT, 4);
	wr_init(&w, out, cap);
	ip4_build(&w, &h, sizeof icmpb);
	wr_bytes(&w, icmpb, sizeof icmpb);
	return w.bad ? 0 : w.len;
}

/* an ICMP error from R1 (type/code) quoting quote[0, qlen) */
static size_t
mk_error(uint8_t *out, size_t cap, uint8_t type, uint8_t code, const uint8_t *quote, size_t qlen)
{
	uint8_t icmpb[1024];
	struct writer w;
	struct icmp m = { .version = 4, .type = type, .code = code, .data = quote, .datalen = qlen };
	struct ip4 h = { .ttl = 64, .proto = IPP_ICMP, .tos = 0xc0 };

	wr_init(&w, icmpb, sizeof icmpb);
	icmp_build(&w, &m, NULL);
	memcpy(h.src, R1, 4);
	memcpy(h.dst, CLIENT, 4);
	wr_init(&w, out, cap);
	ip4_build(&w, &h, 8 + qlen);
	wr_bytes(&w, icmpb, 8 + qlen);
	return w.bad ? 0 : w.len;
}

/* our echo request (as the kernel would send it) to dst with id/seq, IPv4 + ICMP */
static size_t
mk_request(uint8_t *out, size_t cap, const uint8_t *dst, uint16_t id, uint16_t seq, uint8_t type)
{
	static const uint8_t pad[56];
	uint8_t icmpb[64];
	struct writer w;
	struct icmp m = { .version = 4, .type = type, .id = id, .seq = seq, .data = pad, .datalen = 56 };
	struct ip4 h = { .ttl = 1, .proto = IPP_ICMP, .flags = IP4_DF };

	wr_init(&w, icmpb, sizeof icmpb);
	icmp_build(&w, &m, NULL);
	memcpy(h.src, CLIENT, 4);
	memcpy(h.dst, dst, 4);
	wr_init(&w, out, cap);
	ip4_build(&w, &h, sizeof icmpb);
	wr_bytes(&w, icmpb, sizeof icmpb);
	return w.len;
}

int
main(void)
{
	TEST("ICMP echo request (iputils ping, kernel IPv4): IPv4 fields as tshark shows") {
		size_t n = load("icmp/echo-request.hex");
		struct ip4 h;

		CHECK_EQ(n, 84);
		CHECK_EQ(ip4_parse(fx, n, 0, &h), IP_OK);
		CHECK_EQ(h.hlen, 20);
		CHECK_EQ(h.tos, 0);
		CHECK_EQ(h.total_len, 84);
		CHECK_EQ(h.id, 0x2c2b);
		CHECK_EQ(h.flags, IP4_DF);
		CHECK_EQ(h.frag_off, 0);
		CHECK_EQ(h.ttl, 64);
		CHECK_EQ(h.proto, 1);
		CHECK_EQ(h.cksum, 0xf8b5);
		CHECK(h.cksum_ok);
		CHECK_MEM(h.src, CLIENT, 4);
		CHECK_MEM(h.dst, SERVER, 4);
		CHECK(h.opt == NULL);
		CHECK_EQ(h.paylen, 64);
	}
	TEST("ICMP echo request: ICMP fields as tshark shows, and builders reproduce the bytes") {
		size_t n = load("icmp/echo-request.hex");
		struct ip4 h, b = { 0 };
		struct icmp m, bm = { .version = 4 };
		uint8_t out[128];
		struct writer w;

		ip4_parse(fx, n, 0, &h);
		CHECK_EQ(icmp4_parse(h.payload, h.paylen, &m), ICMP_OK);
		CHECK_EQ(m.type, 8);
		CHECK_EQ(m.code, 0);
		CHECK_EQ(m.cksum, 0x9099);
		CHECK_EQ(m.cksum_ok, 1);
		CHECK_EQ(m.id, 12977);
		CHECK_EQ(m.seq, 1);
		CHECK_EQ(m.datalen, 56);
		/* values -> bytes */
		b.tos = 0, b.id = 0x2c2b, b.flags = IP4_DF, b.ttl = 64, b.proto = 1;
		memcpy(b.src, CLIENT, 4);
		memcpy(b.dst, SERVER, 4);
		bm.type = 8, bm.id = 12977, bm.seq = 1, bm.data = m.data, bm.datalen = 56;
		wr_init(&w, out, sizeof out);
		CHECK_EQ(ip4_build(&w, &b, 64), 0);
		CHECK_EQ(icmp_build(&w, &bm, NULL), 0);
		CHECK_EQ(w.len, n);
		CHECK_MEM(out, fx, n);
		CHECK_EQ(b.cksum, 0xf8b5);
		CHECK_EQ(bm.cksum, 0x9099);
	}
	TEST("ICMP echo reply (server kernel): fields, rebuild, classified ours") {
		size_t n = load("icmp/echo-reply.hex");
		struct ip4 h, b = { .id = 0x0755, .ttl = 63, .proto = 1 };
		struct icmp m, bm = { .version = 4, .type = 0 };
		struct icmp_probe pr = probe4(12977);
		struct icmp_verdict v;
		uint8_t out[128];
		struct writer w;

		CHECK_EQ(ip4_parse(fx, n, 0, &h), IP_OK);
		CHECK_EQ(h.id, 0x0755);
		CHECK_EQ(h.flags, 0);
		CHECK_EQ(h.ttl, 63);
		CHECK_EQ(h.cksum, 0x5e8c);
		CHECK_MEM(h.src, SERVER, 4);
		CHECK_EQ(icmp4_parse(h.payload, h.paylen, &m), ICMP_OK);
		CHECK_EQ(m.type, 0);
		CHECK_EQ(m.cksum, 0x9899);
		CHECK_EQ(m.id, 0x32b1);
		CHECK_EQ(m.seq, 1);
		memcpy(b.src, SERVER, 4);
		memcpy(b.dst, CLIENT, 4);
		bm.id = 0x32b1, bm.seq = 1, bm.data = m.data, bm.datalen = m.datalen;
		wr_init(&w, out, sizeof out);
		ip4_build(&w, &b, 64);
		icmp_build(&w, &bm, NULL);
		CHECK_EQ(w.len, n);
		CHECK_MEM(out, fx, n);
		CHECK_EQ(icmp_classify(&pr, fx, n, NULL, &v), ICMP_OURS);
		CHECK_EQ(v.seq, 1);
		CHECK_EQ(v.ttl, 63);
		CHECK_MEM(v.from, SERVER, 4);
		CHECK_EQ(v.msg.datalen, 56);
	}
	TEST("ICMP-01: an echo reply with another identifier is not ours") {
		size_t n = load("icmp/echo-reply.hex");
		struct icmp_probe pr = probe4(0x1234);
		struct icmp_verdict v;

		CHECK_EQ(icmp_classify(&pr, fx, n, NULL, &v), ICMP_NOT_OURS);
		CHECK_STR(v.why, "other identifier");
		pr.kernel_id = 1;	/* ping socket: the kernel already matched it */
		CHECK_EQ(icmp_classify(&pr, fx, n, NULL, &v), ICMP_OURS);
	}
	TEST("ICMP-01: our own echo request seen on a raw socket is not ours") {
		size_t n = load("icmp/echo-request.hex");
		struct icmp_probe pr = probe4(12977);
		struct icmp_verdict v;

		CHECK_EQ(icmp_classify(&pr, fx, n, NULL, &v), ICMP_NOT_OURS);
	}
	TEST("ICMP-02: short packets, IHL < 5, IHL past the end are dropped") {
		size_t n = load("icmp/echo-reply.hex");
		struct icmp_probe pr = probe4(12977);
		struct icmp_verdict v;
		struct ip4 h;
		uint8_t b[128];
		size_t k;

		for (k = 0; k < 28; k++) {	/* fewer than IHL*4 + 8 */
			CHECK_EQ(icmp_classify(&pr, fx, k, NULL, &v), ICMP_NOT_OURS);
		}
		CHECK_EQ(ip4_parse(fx, 19, 0, &h), IP_ESHORT);
		memcpy(b, fx, n);
		b[0] = 0x44;	/* IHL 4 */
		CHECK_EQ(ip4_parse(b, n, 0, &h), IP_EIHL);
		CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_NOT_OURS);
		b[0] = 0x4f;	/* IHL 15 = 60 bytes, packet of 40 */
		CHECK_EQ(ip4_parse(b, 40, 0, &h), IP_EIHL);
		CHECK_EQ(icmp_classify(&pr, b, 40, NULL, &v), ICMP_NOT_OURS);
		b[0] = 0x65;	/* version 6 in an IPv4 socket */
		CHECK_EQ(ip4_parse(b, n, 0, &h), IP_EVERSION);
		memcpy(b, fx, n);
		put16(b + 2, 200);	/* total length past the bytes */
		CHECK_EQ(ip4_parse(b, n, 0, &h), IP_ELEN);
		put16(b + 2, 10);	/* total length shorter than the header */
		CHECK_EQ(ip4_parse(b, n, 0, &h), IP_ELEN);
		CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_NOT_OURS);
		CHECK_EQ(icmp_classify(&pr, NULL, 0, NULL, &v), ICMP_NOT_OURS);
	}
	TEST("IPv4 header checksum error is typed, and bytes past total length (padding) ignored") {
		size_t n = load("icmp/echo-reply.hex");
		uint8_t b[128];
		struct ip4 h;

		memcpy(b, fx, n);
		b[8] = 62;
		CHECK_EQ(ip4_parse(b, n, 0, &h), IP_ECKSUM);
		CHECK_EQ(h.ttl, 62);
		CHECK(!h.cksum_ok);
		CHECK_EQ(ip4_parse(b, n, IP_NOCKSUM, &h), IP_OK);
		memcpy(b, fx, n);
		memset(b + n, 0xee, 6);
		CHECK_EQ(ip4_parse(b, n + 6, 0, &h), IP_OK);
		CHECK_EQ(h.paylen, 64);
	}
	TEST("ICMP-05: a reply with our id from another address is not counted") {
		uint8_t b[200];
		size_t n = mk_reply(b, sizeof b, 7, 3, NULL, 0);
		struct icmp_probe pr = probe4(7);
		struct icmp_verdict v;

		CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_OURS);
		b[15] = 99;	/* source 10.99.1.99, fix the header checksum */
		put16(b + 10, 0);
		put16(b + 10, cksum(b, 20));
		CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_NOT_OURS);
		CHECK_STR(v.why, "wrong source");
		CHECK(v.wrong_source);
		CHECK_EQ(v.seq, 3);
	}
	TEST("ICMP-07: the classifier gives the sequence so a repeat can be found in the bitmap") {
		uint8_t b[200];
		size_t n = mk_reply(b, sizeof b, 7, 65535, NULL, 0);
		struct icmp_probe pr = probe4(7);
		struct icmp_verdict v;

		CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_OURS);
		CHECK_EQ(v.seq, 65535);
		CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_OURS);	/* pure: same again */
	}
	TEST("ICMP-08: a reply with a bad ICMP checksum is corrupt, not received") {
		uint8_t b[200];
		size_t n = mk_reply(b, sizeof b, 7, 3, NULL, 0);
		struct icmp_probe pr = probe4(7);
		struct icmp_verdict v;

		b[n - 1] ^= 0x40;
		CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_CORRUPT);
		CHECK_STR(v.why, "bad checksum");
		CHECK_EQ(v.seq, 3);
		CHECK_EQ(v.msg.cksum_ok, 0);
		b[n - 1] ^= 0x40;
		b[24] ^= 0x01;	/* identifier 6: now not ours at all */
		CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_NOT_OURS);
	}
	TEST("ICMP-09: a truncated reply is ours with the shorter data length") {
		uint8_t b[200];
		size_t n = mk_reply(b, sizeof b, 7, 3, NULL, 0);
		struct icmp_probe pr = probe4(7);
		struct icmp_verdict v;

		CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_OURS);
		CHECK_EQ(v.msg.datalen, 56);
	}
	TEST("ICMP-10: IP options with a 0 or 1 length, or past the header, stop option parsing") {
		static const uint8_t rr_ok[8] = { 7, 7, 4, 0, 0, 0, 0, 0 };	/* record route, 1 slot, + EOL */
		static const uint8_t len0[4] = { 7, 0, 4, 0 }, len1[4] = { 1, 7, 1, 0 };
		static const uint8_t past[4] = { 1, 68, 40, 5 }, trailing[4] = { 1, 1, 1, 130 };
		const uint8_t *bad[4] = { len0, len1, past, trailing };
		struct icmp_probe pr = probe4(7);
		struct icmp_verdict v;
		struct ip4_opt o;
		uint8_t b[200];
		size_t n, off;
		int i, k;

		n = mk_reply(b, sizeof b, 7, 1, rr_ok, sizeof rr_ok);
		CHECK_EQ(n, 20 + 8 + 64);
		CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_OURS);
		CHECK_EQ(v.ip.hlen, 28);
		off = 0;
		CHECK_EQ(ip4_opt_next(v.ip.opt, v.ip.optlen, &off, &o), 1);
		CHECK_EQ(o.type, 7);
		CHECK_EQ(o.len, 7);
		CHECK_EQ(ip4_opt_next(v.ip.opt, v.ip.optlen, &off, &o), 0);
		for (i = 0; i < 4; i++) {
			n = mk_reply(b, sizeof b, 7, 1, bad[i], 4);
			CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_OURS);	/* the reply still counts */
			off = 0;
			while ((k = ip4_opt_next(v.ip.opt, v.ip.optlen, &off, &o)) == 1)
				CHECK(off <= v.ip.optlen);
			CHECK_EQ(k, -1);
			CHECK(strstr(decoded(ip4_decode, b, n), "malformed") != NULL);
		}
	}
	TEST("ICMP time exceeded from r1 quoting traceroute's UDP probe: fields and quote") {
		size_t n = load("icmp/time-exceeded.hex");
		struct ip4 h;
		struct icmp m;
		struct icmp_quote q;
		char d[80];

		CHECK_EQ(n, 88);
		CHECK_EQ(ip4_parse(fx, n, 0, &h), IP_OK);
		CHECK_EQ(h.tos, 0xc0);
		CHECK_EQ(h.total_len, 88);
		CHECK_EQ(h.id, 0xfe3c);
		CHECK_EQ(h.flags, 0);
		CHECK_EQ(h.ttl, 64);
		CHECK_EQ(h.cksum, 0x65e4);
		CHECK_MEM(h.src, R1, 4);
		CHECK_EQ(icmp4_parse(h.payload, h.paylen, &m), ICMP_OK);
		CHECK_EQ(m.type, 11);
		CHECK_EQ(m.code, 0);
		CHECK_EQ(m.cksum, 0x0b02);
		CHECK_EQ(m.word, 0);
		CHECK_STR(icmp_describe(&m, d, sizeof d), "Time to live exceeded");
		CHECK_STR(icmp_code_name(4, m.type, m.code), "ttl");
		CHECK_EQ(icmp_quoted(&m, &q), ICMP_OK);
		CHECK_EQ(q.proto, IPP_UDP);
		CHECK_EQ(q.ttl, 1);
		CHECK_MEM(q.src, CLIENT, 4);
		CHECK_MEM(q.dst, SERVER, 4);
		CHECK_EQ(q.sport, 43797);
		CHECK_EQ(q.dport, 33434);
		CHECK_EQ(q.ulen, 40);
		CHECK_EQ(q.l4len, 40);
	}
	TEST("time exceeded: rebuilt byte for byte, classified as an error for the UDP probe") {
		uint8_t probe[128], out[256];
		size_t pn = load("udp/probe.hex"), n;
		struct icmp_probe pr = { .version = 4, .ip_header = 1, .proto = IPP_UDP, .id = 43797 };
		struct icmp_verdict v;
		struct ip4 b = { .tos = 0xc0, .id = 0xfe3c, .ttl = 64, .proto = 1 };
		struct icmp m = { .version = 4, .type = 11, .code = 0 };
		struct writer w;

		memcpy(probe, fx, pn);
		n = load("icmp/time-exceeded.hex");
		memcpy(b.src, R1, 4);
		memcpy(b.dst, CLIENT, 4);
		m.data = probe, m.datalen = pn;
		wr_init(&w, out, sizeof out);
		ip4_build(&w, &b, 8 + pn);
		icmp_build(&w, &m, NULL);
		CHECK_EQ(w.len, n);
		CHECK_MEM(out, fx, n);
		memcpy(pr.dst, SERVER, 4);
		CHECK_EQ(icmp_classify(&pr, fx, n, NULL, &v), ICMP_FOR_PROBE);
		CHECK_EQ(v.seq, 33434);
		CHECK_MEM(v.from, R1, 4);
		pr.id = 43798;
		CHECK_EQ(icmp_classify(&pr, fx, n, NULL, &v), ICMP_NOT_OURS);
	}
	TEST("ICMP port unreachable quoting the UDP datagram: names as iputils prints") {
		size_t n = load("icmp/port-unreach.hex");
		struct ip4 h;
		struct icmp m;
		struct icmp_quote q;
		char d[80];

		CHECK_EQ(ip4_parse(fx, n, 0, &h), IP_OK);
		CHECK_EQ(h.id, 0x076b);
		CHECK_EQ(h.cksum, 0x5dcc);
		CHECK_EQ(icmp4_parse(h.payload, h.paylen, &m), ICMP_OK);
		CHECK_EQ(m.type, 3);
		CHECK_EQ(m.code, 3);
		CHECK_EQ(m.cksum, 0x12e5);
		CHECK_STR(icmp_describe(&m, d, sizeof d), "Destination Port Unreachable");
		CHECK_EQ(icmp_quoted(&m, &q), ICMP_OK);
		CHECK_EQ(q.sport, 48598);
		CHECK_EQ(q.dport, 9999);
		CHECK_EQ(q.ulen, 14);
	}
	TEST("every destination unreachable code has its iputils name") {
		static const char *const want[16] = {
			"Destination Net Unreachable", "Destination Host Unreachable",
			"Destination Protocol Unreachable", "Destination Port Unreachable",
			"Frag needed and DF set (mtu = 1400)", "Source Route Failed",
			"Destination Net Unknown", "Destination Host Unknown", "Source Host Isolated",
			"Destination Net Prohibited", "Destination Host Prohibited",
			"Destination Net Unreachable for Type of Service",
			"Destination Host Unreachable for Type of Service", "Packet filtered",
			"Precedence Violation", "Precedence Cutoff" };
		uint8_t b[16] = { 3, 0, 0, 0, 0, 0, 0x05, 0x78 };
		struct icmp m;
		char d[80];
		int c;

		for (c = 0; c < 16; c++) {
			b[1] = (uint8_t)c;
			icmp4_parse(b, 8, &m);
			CHECK_STR(icmp_describe(&m, d, sizeof d), want[c]);
			CHECK(icmp_code_name(4, 3, (uint8_t)c) != NULL);
		}
		b[1] = 16;
		icmp4_parse(b, 8, &m);
		CHECK_STR(icmp_describe(&m, d, sizeof d), "Dest Unreachable, Bad Code: 16");
		b[0] = 11, b[1] = 1;
		icmp4_parse(b, 8, &m);
		CHECK_STR(icmp_describe(&m, d, sizeof d), "Frag reassembly time exceeded");
		b[0] = 12, b[1] = 0, b[4] = 9;
		icmp4_parse(b, 8, &m);
		CHECK_STR(icmp_describe(&m, d, sizeof d), "Parameter problem: pointer = 9");
		b[0] = 5, b[1] = 1, b[4] = 10, b[5] = 0, b[6] = 0, b[7] = 1;
		icmp4_parse(b, 8, &m);
		CHECK_STR(icmp_describe(&m, d, sizeof d), "Redirect Host(New nexthop: 10.0.0.1)");
	}
	TEST("ICMP-03: errors whose quoted datagram is too short or malformed are ignored") {
		uint8_t req[128], b[256];
		size_t rn = mk_request(req, sizeof req, SERVER, 7, 5, IC4_ECHO_REQUEST), n, k;
		struct icmp_probe pr = probe4(7);
		struct icmp_verdict v;

		n = mk_error(b, sizeof b, 11, 0, req, 28);	/* IP header + 8: the minimum */
		CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_FOR_PROBE);
		CHECK_EQ(v.seq, 5);
		for (k = 0; k < 28; k++) {
			n = mk_error(b, sizeof b, 11, 0, req, k);
			CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_NOT_OURS);
		}
		req[0] = 0x4f;	/* inner IHL 60 > the 36 quoted bytes */
		n = mk_error(b, sizeof b, 3, 1, req, 36);
		CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_NOT_OURS);
		CHECK_STR(v.why, "quoted datagram too short");
		req[0] = 0x43;	/* inner IHL < 5 */
		n = mk_error(b, sizeof b, 3, 1, req, rn);
		CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_NOT_OURS);
		req[0] = 0x46;	/* inner IHL 24: options, then only 4 bytes of ICMP */
		n = mk_error(b, sizeof b, 3, 1, req, 28);
		CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_NOT_OURS);
	}
	TEST("ICMP-04: quoted datagrams that are not our probe are ignored") {
		static const uint8_t other[4] = { 10, 99, 1, 3 };
		uint8_t req[128], b[256];
		size_t rn, n;
		struct icmp_probe pr = probe4(7);
		struct icmp_verdict v;

		rn = mk_request(req, sizeof req, other, 7, 5, IC4_ECHO_REQUEST);
		n = mk_error(b, sizeof b, 3, 1, req, rn);
		CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_NOT_OURS);
		CHECK_STR(v.why, "quoted destination not ours");
		rn = mk_request(req, sizeof req, SERVER, 8, 5, IC4_ECHO_REQUEST);
		n = mk_error(b, sizeof b, 3, 1, req, rn);
		CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_NOT_OURS);
		CHECK_STR(v.why, "quoted identifier not ours");
		rn = mk_request(req, sizeof req, SERVER, 7, 5, IC4_ECHO_REPLY);
		n = mk_error(b, sizeof b, 3, 1, req, rn);
		CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_NOT_OURS);
		rn = mk_request(req, sizeof req, SERVER, 7, 5, IC4_ECHO_REQUEST);
		req[9] = IPP_UDP;
		n = mk_error(b, sizeof b, 3, 1, req, rn);
		CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_NOT_OURS);
		req[9] = IPP_ICMP;
		n = mk_error(b, sizeof b, 3, 1, req, rn);
		CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_FOR_PROBE);
		CHECK_EQ(v.msg.code, 1);
		CHECK_MEM(v.from, R1, 4);
		b[n - 1] ^= 1;	/* and a damaged error about our probe is corrupt */
		CHECK_EQ(icmp_classify(&pr, b, n, NULL, &v), ICMP_CORRUPT);
	}
	TEST("ICMP on a ping socket: no IP header, TTL unknown, kernel id") {
		size_t n = load("icmp/echo-reply.hex");
		struct icmp_probe pr = { .version = 4, .proto = IPP_ICMP, .kernel_id = 1 };
		struct icmp_verdict v;

		memcpy(pr.dst, SERVER, 4);
		CHECK_EQ(icmp_classify(&pr, fx + 20, n - 20, SERVER, &v), ICMP_OURS);
		CHECK_EQ(v.ttl, -1);
		CHECK_EQ(v.seq, 1);
		CHECK_EQ(icmp_classify(&pr, fx + 20, 7, SERVER, &v), ICMP_NOT_OURS);
	}
	TEST("UDP datagram (bash /dev/udp): fields, checksum, rebuild") {
		size_t n = load("udp/dgram.hex");
		struct ip4 h, b = { .id = 0x8ffb, .flags = IP4_DF, .ttl = 64, .proto = 17 };
		struct ip_pseudo ps = { .version = 4 };
		struct udp u, bu = { .sport = 48598, .dport = 9999 };
		uint8_t out[64];
		struct writer w;

		CHECK_EQ(ip4_parse(fx, n, 0, &h), IP_OK);
		CHECK_EQ(h.total_len, 34);
		CHECK_EQ(h.cksum, 0x9507);
		memcpy(ps.src, h.src, 4);
		memcpy(ps.dst, h.dst, 4);
		CHECK_EQ(udp_parse(h.payload, h.paylen, &ps, &u), UDP_OK);
		CHECK_EQ(u.sport, 48598);
		CHECK_EQ(u.dport, 9999);
		CHECK_EQ(u.len, 14);
		CHECK_EQ(u.cksum, 0xc147);
		CHECK_EQ(u.cksum_ok, 1);
		CHECK_EQ(u.datalen, 6);
		CHECK(memcmp(u.data, "hello\n", 6) == 0);
		memcpy(b.src, CLIENT, 4);
		memcpy(b.dst, SERVER, 4);
		bu.data = (const uint8_t *)"hello\n", bu.datalen = 6;
		wr_init(&w, out, sizeof out);
		ip4_build(&w, &b, 14);
		CHECK_EQ(udp_build(&w, &bu, &ps), 0);
		CHECK_EQ(w.len, n);
		CHECK_MEM(out, fx, n);
		CHECK_EQ(bu.cksum, 0xc147);
	}
	TEST("UDP probe (traceroute): fields and rebuild; hostile lengths typed") {
		size_t n = load("udp/probe.hex");
		struct ip4 h, b = { .id = 0xc863, .ttl = 1, .proto = 17 };
		struct ip_pseudo ps = { .version = 4 };
		struct udp u, bu = { .sport = 43797, .dport = 33434 };
		uint8_t out[128], bad[64];
		struct writer w;

		CHECK_EQ(ip4_parse(fx, n, 0, &h), IP_OK);
		CHECK_EQ(h.id, 0xc863);
		CHECK_EQ(h.ttl, 1);
		CHECK_EQ(h.flags, 0);
		CHECK_EQ(h.cksum, 0xdb85);
		memcpy(ps.src, h.src, 4);
		memcpy(ps.dst, h.dst, 4);
		CHECK_EQ(udp_parse(h.payload, h.paylen, &ps, &u), UDP_OK);
		CHECK_EQ(u.len, 40);
		CHECK_EQ(u.cksum, 0xc720);
		memcpy(b.src, CLIENT, 4);
		memcpy(b.dst, SERVER, 4);
		bu.data = u.data, bu.datalen = u.datalen;
		wr_init(&w, out, sizeof out);
		ip4_build(&w, &b, 40);
		udp_build(&w, &bu, &ps);
		CHECK_EQ(w.len, n);
		CHECK_MEM(out, fx, n);
		memcpy(bad, h.payload, 40);
		CHECK_EQ(udp_parse(bad, 7, &ps, &u), UDP_ESHORT);
		put16(bad + 4, 41);
		CHECK_EQ(udp_parse(bad, 40, &ps, &u), UDP_ELEN);
		put16(bad + 4, 7);
		CHECK_EQ(udp_parse(bad, 40, &ps, &u), UDP_ELEN);
		put16(bad + 4, 40);
		bad[20] ^= 1;
		CHECK_EQ(udp_parse(bad, 40, &ps, &u), UDP_ECKSUM);
		put16(bad + 6, 0);	/* 0 over IPv4: no checksum */
		CHECK_EQ(udp_parse(bad, 40, &ps, &u), UDP_OK);
		CHECK_EQ(u.cksum_ok, -1);
	}
	TEST("TCP SYN with options (Linux): every field as tshark shows, rebuilt byte for byte") {
		size_t n = load("tcp/syn.hex");
		struct ip4 h, b = { .id = 0xf588, .flags = IP4_DF, .ttl = 64, .proto = 6 };
		struct ip_pseudo ps = { .version = 4 };
		struct tcp t, bt = { 0 };
		uint8_t out[128];
		struct writer w;
		char f[32];

		CHECK_EQ(ip4_parse(fx, n, 0, &h), IP_OK);
		CHECK_EQ(h.total_len, 60);
		CHECK_EQ(h.cksum, 0x2f6b);
		memcpy(ps.src, h.src, 4);
		memcpy(ps.dst, h.dst, 4);
		CHECK_EQ(tcp_parse(h.payload, h.paylen, &ps, &t), TCP_OK);
		CHECK_EQ(t.sport, 42916);
		CHECK_EQ(t.dport, 8080);
		CHECK_EQ(t.seq, 3535833684u);
		CHECK_EQ(t.ack, 0);
		CHECK_EQ(t.doff, 40);
		CHECK_EQ(t.flags, TCP_SYN);
		CHECK_STR(tcp_flags_str(t.flags, f, sizeof f), "SYN");
		CHECK_EQ(t.window, 64240);
		CHECK_EQ(t.cksum, 0xe5d7);
		CHECK_EQ(t.cksum_ok, 1);
		CHECK_EQ(t.urg, 0);
		CHECK(t.has_mss);
		CHECK_EQ(t.mss, 1460);
		CHECK(t.sack_ok);
		CHECK(t.has_ts);
		CHECK_EQ(t.ts_val, 4196283139u);
		CHECK_EQ(t.ts_ecr, 0);
		CHECK(t.has_ws);
		CHECK_EQ(t.ws, 10);
		CHECK_EQ(t.datalen, 0);
		memcpy(b.src, CLIENT, 4);
		memcpy(b.dst, SERVER, 4);
		bt.sport = 42916, bt.dport = 8080, bt.seq = 3535833684u, bt.flags = TCP_SYN;
		bt.window = 64240, bt.has_mss = 1, bt.mss = 1460, bt.sack_ok = 1, bt.has_ts = 1;
		bt.ts_val = 4196283139u, bt.has_ws = 1, bt.ws = 10;
		wr_init(&w, out, sizeof out);
		ip4_build(&w, &b, 40);
		CHECK_EQ(tcp_build(&w, &bt, &ps), 0);
		CHECK_EQ(w.len, n);
		CHECK_MEM(out, fx, n);
		CHECK_EQ(bt.doff, 40);
		CHECK(strstr(decoded(icmp4_dec, fx, 20), "Time to Live") != NULL);
	}
	TEST("TCP hostile options and offsets are typed errors") {
		size_t n = load("tcp/syn.hex");
		uint8_t s[64];
		struct tcp t;

		memcpy(s, fx + 20, n - 20);
		CHECK_EQ(tcp_parse(s, 19, NULL, &t), TCP_ESHORT);
		s[12] = 0x40;	/* data offset 4 */
		CHECK_EQ(tcp_parse(s, 40, NULL, &t), TCP_EOFF);
		s[12] = 0xb0;	/* 44 > 40 bytes */
		CHECK_EQ(tcp_parse(s, 40, NULL, &t), TCP_EOFF);
		memcpy(s, fx + 20, n - 20);
		s[21] = 0;	/* MSS length 0 */
		CHECK_EQ(tcp_parse(s, 40, NULL, &t), TCP_EOPT);
		s[21] = 30;	/* past the header */
		CHECK_EQ(tcp_parse(s, 40, NULL, &t), TCP_EOPT);
		s[21] = 3;	/* wrong size for MSS */
		CHECK_EQ(tcp_parse(s, 40, NULL, &t), TCP_EOPT);
		memcpy(s, fx + 20, n - 20);
		s[39] = 8;	/* last byte a kind with no length */
		s[38] = 1, s[37] = 1, s[36] = 1;
		CHECK_EQ(tcp_parse(s, 40, NULL, &t), TCP_EOPT);
	}
	TEST("TCP round trip: every flag, SACK-permitted alone, data, IPv6 pseudo-header") {
		static const uint8_t data[5] = "abcde";
		struct ip_pseudo ps = { .version = 6 };
		struct tcp t = { .sport = 1, .dport = 2, .seq = 0xffffffff, .ack = 7, .flags = 0x1ff,
		    .window = 9, .urg = 3, .sack_ok = 1, .data = data, .datalen = 5 }, p;
		uint8_t out[128];
		struct writer w;

		memcpy(ps.src, C6, 16);
		memcpy(ps.dst, R6, 16);
		wr_init(&w, out, sizeof out);
		CHECK_EQ(tcp_build(&w, &t, &ps), 0);
		CHECK_EQ(w.len, 24 + 5);
		CHECK_EQ(tcp_parse(out, w.len, &ps, &p), TCP_OK);
		CHECK_EQ(p.flags, 0x1ff);
		CHECK_EQ(p.seq, 0xffffffff);
		CHECK(p.sack_ok && !p.has_ts && !p.has_mss && !p.has_ws);
		CHECK_EQ(p.datalen, 5);
		CHECK_EQ(p.cksum, t.cksum);
		CHECK_EQ(cksum_fold(cksum_add(ip_pseudo_sum(&ps, IPP_TCP, w.len), out, w.len)), 0);
	}
	TEST("ICMPv6 echo request (iputils ping -6): IPv6 and ICMPv6 fields, rebuilt") {
		size_t n = load("icmp/echo6-request.hex");
		struct ip6 h, b = { .flow = 0x2b759, .next = 58, .hlim = 64 };
		struct ip_pseudo ps = { .version = 6 };
		struct icmp m, bm = { .version = 6, .type = 128 };
		uint8_t out[160];
		struct writer w;

		CHECK_EQ(n, 104);
		CHECK_EQ(ip6_parse(fx, n, 0, &h), IP_OK);
		CHECK_EQ(h.tclass, 0);
		CHECK_EQ(h.flow, 0x2b759);
		CHECK_EQ(h.plen, 64);
		CHECK_EQ(h.next, 58);
		CHECK_EQ(h.proto, 58);
		CHECK_EQ(h.hlim, 64);
		CHECK_MEM(h.src, C6, 16);
		CHECK_MEM(h.dst, R6, 16);
		CHECK_EQ(h.next_ext, 0);
		memcpy(ps.src, h.src, 16);
		memcpy(ps.dst, h.dst, 16);
		CHECK_EQ(icmp6_parse(h.payload, h.paylen, &ps, &m), ICMP_OK);
		CHECK_EQ(m.type, 128);
		CHECK_EQ(m.cksum, 0x22f9);
		CHECK_EQ(m.cksum_ok, 1);
		CHECK_EQ(m.id, 0x32bd);
		CHECK_EQ(m.seq, 1);
		CHECK_EQ(m.datalen, 56);
		memcpy(b.src, C6, 16);
		memcpy(b.dst, R6, 16);
		bm.id = 0x32bd, bm.seq = 1, bm.data = m.data, bm.datalen = 56;
		wr_init(&w, out, sizeof out);
		ip6_build(&w, &b, 64);
		icmp_build(&w, &bm, &ps);
		CHECK_EQ(w.len, n);
		CHECK_MEM(out, fx, n);
		CHECK_EQ(bm.cksum, 0x22f9);
	}
	TEST("ICMPv6 echo reply: fields, classified ours; bad checksum corrupt") {
		size_t n = load("icmp/echo6-reply.hex");
		struct ip6 h;
		struct icmp m;
		struct icmp_probe pr = { .version = 6, .proto = IPP_ICMPV6, .id = 0x32bd, .have_src = 1 };
		struct icmp_verdict v;
		uint8_t b[128];

		CHECK_EQ(ip6_parse(fx, n, 0, &h), IP_OK);
		CHECK_EQ(h.flow, 0x269a6);
		CHECK_MEM(h.src, R6, 16);
		CHECK_EQ(icmp6_parse(h.payload, h.paylen, NULL, &m), ICMP_OK);
		CHECK_EQ(m.cksum_ok, -1);
		CHECK_EQ(m.type, 129);
		CHECK_EQ(m.cksum, 0x21f9);
		memcpy(pr.dst, R6, 16);
		memcpy(pr.src, C6, 16);
		CHECK_EQ(icmp_classify(&pr, h.payload, h.paylen, R6, &v), ICMP_OURS);
		CHECK_EQ(v.seq, 1);
		CHECK_EQ(v.msg.cksum_ok, 1);
		memcpy(b, h.payload, h.paylen);
		b[20] ^= 0x80;
		CHECK_EQ(icmp_classify(&pr, b, h.paylen, R6, &v), ICMP_CORRUPT);
		pr.id = 1;
		CHECK_EQ(icmp_classify(&pr, h.payload, h.paylen, R6, &v), ICMP_NOT_OURS);
	}
	TEST("ICMPv6 errors: names as iputils prints, quoted echo matched") {
		uint8_t req[128], b[256];
		struct ip6 h = { .next = 58, .hlim = 1 };
		struct icmp e = { .version = 6, .type = IC6_ECHO_REQUEST, .id = 9, .seq = 4 }, m;
		struct icmp_probe pr = { .version = 6, .proto = IPP_ICMPV6, .id = 9 };
		struct icmp_verdict v;
		struct writer w;
		char d[80];
		size_t rn;
		static const struct { uint8_t type, code; uint32_t word; const char *text; } cases[] = {
			{ 1, 0, 0, "Destination unreachable: No route" },
			{ 1, 1, 0, "Destination unreachable: Administratively prohibited" },
			{ 1, 2, 0, "Destination unreachable: Beyond scope of source address" },
			{ 1, 3, 0, "Destination unreachable: Address unreachable" },
			{ 1, 4, 0, "Destination unreachable: Port unreachable" },
			{ 1, 7, 0, "Destination unreachable: Unknown code 7" },
			{ 2, 1, 1400, "Packet too big: mtu=1400, code=1" },
			{ 4, 5, 2, "Parameter problem: code 5 at 2" },
			{ 2, 0, 1280, "Packet too big: mtu=1280" },
			{ 3, 0, 0, "Time exceeded: Hop limit" },
			{ 3, 1, 0, "Time exceeded: Defragmentation failure" },
			{ 4, 1, 40, "Parameter problem: Unknown header at 40" },
		};
		size_t i;

		memcpy(h.src, C6, 16);
		memcpy(h.dst, R6, 16);
		memcpy(pr.dst, R6, 16);
		wr_init(&w, req, sizeof req);
		ip6_build(&w, &h, 8 + 16);
		e.data = (const uint8_t *)"0123456789abcdef", e.datalen = 16;
		icmp_build(&w, &e, NULL);
		rn = w.len;
		for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			struct icmp em = { .version = 6, .type = cases[i].type, .code = cases[i].code,
			    .word = cases[i].word, .data = req, .datalen = rn };

			wr_init(&w, b, sizeof b);
			icmp_build(&w, &em, NULL);
			CHECK_EQ(icmp6_parse(b, w.len, NULL, &m), ICMP_OK);
			CHECK_STR(icmp_describe(&m, d, sizeof d), cases[i].text);
			CHECK_EQ(icmp_classify(&pr, b, w.len, R6, &v), ICMP_FOR_PROBE);
			CHECK_EQ(v.seq, 4);
			CHECK_EQ(icmp_classify(&pr, b, 8 + 40 + 7, R6, &v), ICMP_NOT_OURS);	/* ICMP-03 */
		}
	}
	TEST("IPv6 extension headers: the MLDv2 report's hop-by-hop header is walked") {
		size_t n = load("ip/mld-hbh.hex");
		struct ip6 h;
		struct ip_pseudo ps = { .version = 6 };
		struct icmp m;
		char s[64];

		CHECK_EQ(ip6_parse(fx, n, 0, &h), IP_OK);
		CHECK_EQ(h.plen, 56);
		CHECK_EQ(h.next, 0);
		CHECK_EQ(h.hlim, 1);
		CHECK_EQ(h.next_ext, 1);
		CHECK_EQ(h.ext[0].type, 0);
		CHECK_EQ(h.ext[0].len, 8);
		CHECK_EQ(h.proto, 58);
		CHECK_EQ(h.hdrlen, 48);
		CHECK_EQ(h.paylen, 48);
		CHECK_STR(ip_ntop(6, h.src, s, sizeof s), "fe80::94da:59ff:fea6:b722");
		CHECK_STR(ip_ntop(6, h.dst, s, sizeof s), "ff02::16");
		memcpy(ps.src, h.src, 16);
		memcpy(ps.dst, h.dst, 16);
		CHECK_EQ(icmp6_parse(h.payload, h.paylen, &ps, &m), ICMP_OK);
		CHECK_EQ(m.type, 143);
		CHECK_EQ(m.cksum, 0x1185);
		CHECK(strstr(decoded(ip6_decode, fx, n), "Hop-by-Hop Options header, 8 bytes") != NULL);
	}
	TEST("IPv6 hostile: truncated, extension past the end, too many, fragments") {
		size_t n = load("ip/mld-hbh.hex");
		uint8_t b[256];
		struct ip6 h;
		int i;

		memcpy(b, fx, n);
		CHECK_EQ(ip6_parse(b, 39, 0, &h), IP_ESHORT);
		CHECK_EQ(ip6_parse(b, n - 1, 0, &h), IP_ELEN);
		CHECK_EQ(ip6_parse(b, n - 1, IP_QUOTED, &h), IP_OK);
		CHECK(h.truncated);
		b[41] = 10;	/* hop-by-hop length 88 > 56 */
		CHECK_EQ(ip6_parse(b, n, 0, &h), IP_EEXT);
		b[0] = 0x45;
		CHECK_EQ(ip6_parse(b, n, 0, &h), IP_EVERSION);
		/* nine destination-options headers */
		memset(b, 0, sizeof b);
		b[0] = 0x60;
		put16(b + 4, 9 * 8);
		b[6] = IPP_DSTOPTS;
		for (i = 0; i < 9; i++)
			b[40 + 8 * i] = i < 8 ? IPP_DSTOPTS : IPP_NONE;
		CHECK_EQ(ip6_parse(b, 40 + 72, 0, &h), IP_EEXT);
		/* a non-first fragment stops the walk */
		memset(b, 0, sizeof b);
		b[0] = 0x60;
		put16(b + 4, 16);
		b[6] = IPP_FRAGMENT;
		b[40] = IPP_UDP;
		put16(b + 42, 185 << 3 | 1);
		put32(b + 44, 0xabcd);
		CHECK_EQ(ip6_parse(b, 56, 0, &h), IP_OK);
		CHECK(h.fragment);
		CHECK_EQ(h.frag_off, 185);
		CHECK_EQ(h.frag_more, 1);
		CHECK_EQ(h.frag_id, 0xabcd);
		CHECK_EQ(h.proto, IPP_UDP);
		CHECK_EQ(h.paylen, 8);
	}
	TEST("IPv4 builder round trip: options, fragments, and range checks") {
		static const uint8_t opt[8] = { 148, 4, 0, 0, 1, 1, 1, 0 };
		struct ip4 b = { .tos = 0x2e, .id = 0xbeef, .flags = IP4_MF, .frag_off = 0x1fff, .ttl = 255,
		    .proto = 17, .opt = opt, .optlen = 8 }, h;
		uint8_t out[64];
		struct writer w;

		memcpy(b.src, CLIENT, 4);
		memcpy(b.dst, SERVER, 4);
		wr_init(&w, out, sizeof out);
		CHECK_EQ(ip4_build(&w, &b, 4), 0);
		wr_bytes(&w, "data", 4);
		CHECK_EQ(ip4_parse(out, w.len, 0, &h), IP_OK);
		CHECK_EQ(h.hlen, 28);
		CHECK_EQ(h.tos, 0x2e);
		CHECK_EQ(h.id, 0xbeef);
		CHECK_EQ(h.flags, IP4_MF);
		CHECK_EQ(h.frag_off, 0x1fff);
		CHECK_EQ(h.ttl, 255);
		CHECK_EQ(h.optlen, 8);
		CHECK_EQ(h.paylen, 4);
		CHECK_EQ(h.cksum, b.cksum);
		CHECK_EQ(cksum(out, 28), 0);
		b.optlen = 6;
		wr_init(&w, out, sizeof out);
		CHECK_EQ(ip4_build(&w, &b, 4), -1);
		b.optlen = 8;
		wr_init(&w, out, 20);
		CHECK_EQ(ip4_build(&w, &b, 4), -1);
		b.optlen = 0;
		wr_init(&w, out, sizeof out);
		CHECK_EQ(ip4_build(&w, &b, 65516), -1);
	}
	TEST("ICMP builder round trip: error with word, echo with odd length") {
		static const uint8_t d[3] = { 1, 2, 3 };
		struct icmp m = { .version = 4, .type = 3, .code = 4, .word = 1400, .data = d, .datalen = 3 }, p;
		struct icmp e = { .version = 4, .type = 8, .id = 0xffff, .seq = 0, .data = d, .datalen = 3 };
		uint8_t out[32];
		struct writer w;
		char s[64];

		wr_init(&w, out, sizeof out);
		CHECK_EQ(icmp_build(&w, &m, NULL), 0);
		CHECK_EQ(icmp4_parse(out, w.len, &p), ICMP_OK);
		CHECK_EQ(p.mtu, 1400);
		CHECK_STR(icmp_describe(&p, s, sizeof s), "Frag needed and DF set (mtu = 1400)");
		CHECK_EQ(icmp_quoted(&p, &(struct icmp_quote){ 0 }), ICMP_EQUOTE);
		wr_init(&w, out, sizeof out);
		CHECK_EQ(icmp_build(&w, &e, NULL), 0);
		CHECK_EQ(icmp4_parse(out, w.len, &p), ICMP_OK);
		CHECK_EQ(p.id, 0xffff);
		CHECK_EQ(p.datalen, 3);
		CHECK_EQ(icmp_quoted(&p, &(struct icmp_quote){ 0 }), ICMP_ENOTERR);
		CHECK_EQ(icmp4_parse(out, 7, &p), ICMP_ESHORT);
		wr_init(&w, out, 10);
		CHECK_EQ(icmp_build(&w, &e, NULL), -1);
	}
	TEST("ip_ntop writes RFC 5952 text") {
		uint8_t a[16] = { 0 };
		char s[64];

		CHECK_STR(ip_ntop(6, a, s, sizeof s), "::");
		a[15] = 1;
		CHECK_STR(ip_ntop(6, a, s, sizeof s), "::1");
		CHECK_STR(ip_ntop(6, C6, s, sizeof s), "fd00:99::1");
		memset(a, 0, 16);
		a[1] = 1, a[7] = 1, a[15] = 1;	/* 1:0:0:1:0:0:0:1 */
		CHECK_STR(ip_ntop(6, a, s, sizeof s), "1:0:0:1::1");
		memset(a, 0, 16);
		a[1] = 1, a[5] = 2;	/* 1:0:2:0:0:0:0:0 */
		CHECK_STR(ip_ntop(6, a, s, sizeof s), "1:0:2::");
		memset(a, 0, 16);
		a[1] = 1, a[3] = 0, a[5] = 3;	/* 1:0:3:0:...: single zero run not shortened when len 1 */
		memset(a, 0x11, 16);
		a[2] = a[3] = 0;
		CHECK_STR(ip_ntop(6, a, s, sizeof s), "1111:0:1111:1111:1111:1111:1111:1111");
		memset(a, 0, 16);
		a[10] = a[11] = 0xff, a[12] = 127, a[15] = 1;
		CHECK_STR(ip_ntop(6, a, s, sizeof s), "::ffff:127.0.0.1");
		CHECK_STR(ip_ntop(4, SERVER, s, sizeof s), "10.99.1.2");
	}
	TEST("decoders name the fields of every fixture") {
		size_t n = load("icmp/time-exceeded.hex");
		const char *t = decoded(icmp4_dec, fx, n);

		CHECK(strstr(t, "Type of Service") && strstr(t, "Time to Live           64"));
		CHECK(strstr(t, "Header Checksum        0x65e4 [correct]"));
		CHECK(strstr(t, "Type                   11 (time-exceeded)"));
		CHECK(strstr(t, "Meaning                Time to live exceeded"));
		CHECK(strstr(t, "quoted UDP"));
		CHECK(strstr(t, "Destination Port       33434"));
		n = load("icmp/echo-request.hex");
		t = decoded(icmp4_dec, fx, n);
		CHECK(strstr(t, "Identifier             0x32b1 (12977)"));
		CHECK(strstr(t, "Flags                  0x2 DF"));
		t = decoded(icmp4_dec, fx, 10);
		CHECK(strstr(t, "packet too short"));
	}
	return tap_done();
}
