/*
 * t_trace.c - lib/probe: trace's probe builders, the matching of ICMP
 * errors and TCP replies to probes against kernel/traceroute packets
 * captured in a namespace chain (tests/fixtures/trace/, each file says
 * how), traceroute's annotations, the hop table (adaptive wait, order,
 * late replies), and the hostile cases ICMP-02..05, ICMP-12 at the
 * parser level.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "icmp.h"
#include "ip.h"
#include "probe.h"
#include "tap.h"
#include "tcp.h"
#include "tubes.h"
#include "udp.h"
#include "wire.h"

static const uint8_t CLIENT[4] = { 10, 10, 0, 1 }, SERVER[4] = { 10, 10, 3, 2 },
    R1[4] = { 10, 10, 0, 2 }, R3[4] = { 10, 10, 2, 2 }, FAR[4] = { 10, 99, 0, 1 };
static const uint8_t C6[16] = { 0xfd, 0, 0, 0x0a, [15] = 1 },
    S6[16] = { 0xfd, 0, 0, 0x0a, 0, 3, [15] = 2 },
    R16[16] = { 0xfd, 0, 0, 0x0a, [15] = 2 },
    ADMIN6[16] = { 0xfd, 0, 0, 0x97, [15] = 1 };

static uint8_t fx[4096];

static size_t
load(const char *name)
{
	char path[256];

	snprintf(path, sizeof path, "tests/fixtures/trace/%s.hex", name);
	return tap_hexfile(path, fx, sizeof fx);
}

static struct probe_cfg
cfg4(int method, uint16_t ident, uint16_t port)
{
	struct probe_cfg c = { .version = 4, .method = method, .ident = ident, .port = port,
	    .nprobes = 90, .size = 60 };

	memcpy(c.src, CLIENT, 4);
	memcpy(c.dst, SERVER, 4);
	return c;
}

static struct probe_cfg
cfg6(int method, uint16_t ident, uint16_t port)
{
	struct probe_cfg c = { .version = 6, .method = method, .ident = ident, .port = port,
	    .nprobes = 90, .size = 80 };

	memcpy(c.src, C6, 16);
	memcpy(c.dst, S6, 16);
	return c;
}

/* an ICMPv6 fixture: the message after the 40-byte header, the sender from it */
static const uint8_t *
v6msg(size_t n, size_t *len, uint8_t from[16])
{
	memcpy(from, fx + 8, 16);
	*len = n - 40;
	return fx + 40;
}

int
main(void)
{
	uint8_t buf[2048], from[16];
	struct probe_reply r;
	size_t n, len;
	int b;

	/* --- builders --- */

	TEST("build: IPv4 UDP probe is 60 bytes like traceroute's, checksums verify") {
		struct probe_cfg c = cfg4(PM_UDP, 40000, 33434);
		struct ip4 h;
		struct udp u;
		struct ip_pseudo ps = { .version = 4 };

		b = probe_build(&c, 7, 3, buf, sizeof buf);
		n = load("udp-probe");
		CHECK_EQ(b, (int)n);
		CHECK_EQ(ip4_parse(buf, (size_t)b, 0, &h), IP_OK);
		CHECK(h.cksum_ok);
		CHECK_EQ(h.ttl, 3);
		CHECK_EQ(h.proto, IPP_UDP);
		CHECK_EQ(h.total_len, 60);
		CHECK_EQ(h.id, 40007);
		memcpy(ps.src, CLIENT, 4);
		memcpy(ps.dst, SERVER, 4);
		CHECK_EQ(udp_parse(h.payload, h.paylen, &ps, &u), UDP_OK);
		CHECK_EQ(u.cksum_ok, 1);
		CHECK_EQ(u.sport, 40000);
		CHECK_EQ(u.dport, 33434 + 7);
		CHECK_EQ(u.datalen, 32);
	}
	TEST("build: IPv4 ICMP echo probe: identifier, sequence = probe number, checksum") {
		struct probe_cfg c = cfg4(PM_ICMP, 0x78df, 0);
		struct ip4 h;
		struct icmp m;

		b = probe_build(&c, 4, 4, buf, sizeof buf);
		CHECK_EQ(b, 60);
		CHECK_EQ(ip4_parse(buf, (size_t)b, 0, &h), IP_OK);
		CHECK_EQ(h.proto, IPP_ICMP);
		CHECK_EQ(icmp4_parse(h.payload, h.paylen, &m), ICMP_OK);
		CHECK_EQ(m.type, IC4_ECHO_REQUEST);
		CHECK_EQ(m.id, 0x78df);
		CHECK_EQ(m.seq, 4);
	}
	TEST("build: IPv4 TCP SYN probe: source port ident + k, sequence isn + k, options, checksum") {
		struct probe_cfg c = cfg4(PM_TCP, 50000, 8080);
		struct ip4 h;
		struct tcp t;
		struct ip_pseudo ps = { .version = 4 };

		c.isn = 0xfffffffe;
		b = probe_build(&c, 3, 9, buf, sizeof buf);
		CHECK_EQ(b, 60);
		CHECK_EQ(ip4_parse(buf, (size_t)b, 0, &h), IP_OK);
		memcpy(ps.src, CLIENT, 4);
		memcpy(ps.dst, SERVER, 4);
		CHECK_EQ(tcp_parse(h.payload, h.paylen, &ps, &t), TCP_OK);
		CHECK_EQ(t.cksum_ok, 1);
		CHECK_EQ(t.flags, TCP_SYN);
		CHECK_EQ(t.sport, 50003);
		CHECK_EQ(t.dport, 8080);
		CHECK_EQ(t.seq, 1);	/* wraps */
		CHECK(t.has_mss && t.sack_ok && t.has_ts && t.has_ws);
	}
	TEST("build: IPv6 probes are the upper layer only, checksums over the pseudo-header") {
		struct probe_cfg c = cfg6(PM_UDP, 40000, 33434);
		struct ip_pseudo ps = { .version = 6 };
		struct udp u;
		struct tcp t;

		memcpy(ps.src, C6, 16);
		memcpy(ps.dst, S6, 16);
		b = probe_build(&c, 0, 1, buf, sizeof buf);
		CHECK_EQ(b, 40);
		CHECK_EQ(udp_parse(buf, (size_t)b, &ps, &u), UDP_OK);
		CHECK_EQ(u.cksum_ok, 1);
		c = cfg6(PM_TCP, 40000, 80);
		b = probe_build(&c, 2, 1, buf, sizeof buf);
		CHECK_EQ(b, 40);
		CHECK_EQ(tcp_parse(buf, (size_t)b, &ps, &t), TCP_OK);
		CHECK_EQ(t.cksum_ok, 1);
		CHECK_EQ(t.sport, 40002);
	}
	TEST("build: refuses out-of-range probe numbers, TTLs, wrapping ports, no room") {
		struct probe_cfg c = cfg4(PM_UDP, 40000, 65500);

		CHECK_EQ(probe_build(&c, 0, 1, buf, sizeof buf), -1);	/* 65500 + 89 > 65535 */
		c = cfg4(PM_UDP, 40000, 33434);
		CHECK_EQ(probe_build(&c, 90, 1, buf, sizeof buf), -1);
		CHECK_EQ(probe_build(&c, 0, 0, buf, sizeof buf), -1);
		CHECK_EQ(probe_build(&c, 0, 256, buf, sizeof buf), -1);
		CHECK_EQ(probe_build(&c, 0, 1, buf, 59), -1);
	}

	/* --- matching captured replies --- */

	TEST("fixture: UDP time exceeded from r1 matches probe 0, no annotation, not final") {
		struct probe_cfg c = cfg4(PM_UDP, 49379, 33434);

		n = load("udp-time-exceeded");
		CHECK_EQ(probe_match_icmp(&c, fx, n, NULL, &r), 1);
		CHECK_EQ(r.k, 0);
		CHECK_EQ(r.kind, PK_TIME_EXCEEDED);
		CHECK_MEM(r.from, R1, 4);
		CHECK_STR(r.annot, "");
		CHECK_EQ(r.final, 0);
		CHECK_EQ(r.from_dst, 0);
		CHECK_EQ(r.reply_ttl, 64);
		CHECK_EQ(r.quoted_ttl, 1);
	}
	TEST("fixture: UDP port unreachable from the server is probe 3, final, the destination") {
		struct probe_cfg c = cfg4(PM_UDP, 58395, 33434);

		n = load("udp-port-unreach");
		CHECK_EQ(probe_match_icmp(&c, fx, n, NULL, &r), 1);
		CHECK_EQ(r.k, 3);
		CHECK_EQ(r.kind, PK_UNREACH);
		CHECK_STR(r.annot, "");
		CHECK_EQ(r.final, 1);
		CHECK_EQ(r.from_dst, 1);
	}
	TEST("fixture: ICMP time exceeded quoting an echo request; the echo reply ends the trace") {
		struct probe_cfg c = cfg4(PM_ICMP, 0x78df, 0);

		n = load("icmp-time-exceeded");
		CHECK_EQ(probe_match_icmp(&c, fx, n, NULL, &r), 1);
		CHECK_EQ(r.k, 1);
		CHECK_EQ(r.kind, PK_TIME_EXCEEDED);
		n = load("icmp-echo-reply");
		CHECK_EQ(probe_match_icmp(&c, fx, n, NULL, &r), 1);
		CHECK_EQ(r.k, 4);
		CHECK_EQ(r.kind, PK_ECHO_REPLY);
		CHECK_EQ(r.final, 1);
		CHECK_EQ(r.from_dst, 1);
	}
	TEST("fixture: TCP time exceeded matches by port and quoted sequence number") {
		struct probe_cfg c = cfg4(PM_TCP, 56909, 8080);

		n = load("tcp-time-exceeded");
		c.isn = get32(fx + 20 + 8 + 20 + 4);
		CHECK_EQ(probe_match_icmp(&c, fx, n, NULL, &r), 1);
		CHECK_EQ(r.k, 0);
		c.isn++;	/* another sequence number: not ours */
		CHECK_EQ(probe_match_icmp(&c, fx, n, NULL, &r), 0);
		CHECK_STR(r.why, "quoted sequence number not ours");
	}
	TEST("fixture: SYN-ACK from an open port and RST from a closed one are final replies") {
		struct probe_cfg c = cfg4(PM_TCP, 39039, 8080);

		n = load("tcp-synack");
		c.isn = get32(fx + 20 + 8) - 1;
		CHECK_EQ(probe_match_tcp(&c, fx, n, NULL, &r), 1);
		CHECK_EQ(r.k, 0);
		CHECK_EQ(r.kind, PK_TCP);
		CHECK_EQ(r.tcp_flags, TCP_SYN | TCP_ACK);
		CHECK_EQ(r.final, 1);
		c = cfg4(PM_TCP, 48557 - 5, 81);
		n = load("tcp-rst");
		c.isn = get32(fx + 20 + 8) - 1 - 5;
		CHECK_EQ(probe_match_tcp(&c, fx, n, NULL, &r), 1);
		CHECK_EQ(r.k, 5);
		CHECK(r.tcp_flags & TCP_RST);
	}
	TEST("fixture: IPv6 UDP time exceeded and port unreachable, echo reply, RST") {
		struct probe_cfg c = cfg6(PM_UDP, 54793, 33434);
		const uint8_t *m;

		n = load("udp6-time-exceeded");
		m = v6msg(n, &len, from);
		CHECK_EQ(probe_match_icmp(&c, m, len, from, &r), 1);
		CHECK_EQ(r.k, 0);
		CHECK_MEM(r.from, R16, 16);
		CHECK_EQ(r.kind, PK_TIME_EXCEEDED);
		c = cfg6(PM_UDP, 53662, 33434);
		n = load("udp6-port-unreach");
		m = v6msg(n, &len, from);
		CHECK_EQ(probe_match_icmp(&c, m, len, from, &r), 1);
		CHECK_EQ(r.k, 3);
		CHECK_EQ(r.final, 1);
		CHECK_EQ(r.from_dst, 1);
		CHECK_STR(r.annot, "");
		c = cfg6(PM_ICMP, 0x7fde, 0);
		n = load("icmp6-echo-reply");
		m = v6msg(n, &len, from);
		CHECK_EQ(probe_match_icmp(&c, m, len, from, &r), 1);
		CHECK_EQ(r.k, 4);
		CHECK_EQ(r.kind, PK_ECHO_REPLY);
		CHECK_EQ(probe_match_ping(&c, m, len, from, &r), 1);
		CHECK_EQ(r.k, 4);
		c = cfg6(PM_TCP, 41011, 8080);
		n = load("tcp6-rst");
		m = v6msg(n, &len, from);
		c.isn = get32(m + 8) - 1;
		CHECK_EQ(probe_match_tcp(&c, m, len, from, &r), 1);
		CHECK_EQ(r.k, 0);
	}
	TEST("fixture: net unreachable from r3 is !N, final, not the destination") {
		struct probe_cfg c = cfg4(PM_UDP, 0, 33434);

		n = load("net-unreach");
		memcpy(c.dst, FAR, 4);
		c.ident = get16(fx + 20 + 8 + 20);
		CHECK_EQ(probe_match_icmp(&c, fx, n, NULL, &r), 1);
		CHECK_EQ(r.k, get16(fx + 20 + 8 + 22) - 33434u);
		CHECK_STR(r.annot, "!N");
		CHECK_EQ(r.final, 1);
		CHECK_EQ(r.from_dst, 0);
		CHECK_MEM(r.from, R3, 4);
	}
	TEST("fixture: ICMPv6 administratively prohibited is !X") {
		struct probe_cfg c = cfg6(PM_UDP, 0, 33434);
		const uint8_t *m;

		n = load("admin6-unreach");
		m = v6msg(n, &len, from);
		memcpy(c.dst, ADMIN6, 16);
		c.ident = get16(m + 8 + 40);
		CHECK_EQ(probe_match_icmp(&c, m, len, from, &r), 1);
		CHECK_STR(r.annot, "!X");
		CHECK_EQ(r.final, 1);
	}

	/* --- hostile replies --- */

	TEST("ICMP-03: a quoted datagram cut short of IP header + 8 bytes is not matched") {
		struct probe_cfg c = cfg4(PM_UDP, 49379, 33434);

		n = load("udp-time-exceeded");
		for (size_t cut = 20 + 8; cut < 20 + 8 + 20 + 8; cut++) {
			uint8_t p[128];

			memcpy(p, fx, cut);
			put16(p + 2, (uint16_t)cut);	/* an honest outer length and checksum */
			put16(p + 22, 0);
			put16(p + 22, cksum(p + 20, cut - 20));
			CHECK_EQ(probe_match_icmp(&c, p, cut, NULL, &r), 0);
		}
		CHECK_STR(r.why, "quoted datagram too short");
	}
	TEST("ICMP-03: quoted IHL < 5 or running past the bytes is not matched") {
		struct probe_cfg c = cfg4(PM_UDP, 49379, 33434);

		n = load("udp-time-exceeded");
		fx[28] = 0x44;
		CHECK_EQ(probe_match_icmp(&c, fx, n, NULL, &r), 0);
		fx[28] = 0x4f;	/* 60-byte header claimed, 60 bytes quoted in all */
		CHECK_EQ(probe_match_icmp(&c, fx, n, NULL, &r), 0);
		fx[28] = 0x65;	/* not IPv4 */
		CHECK_EQ(probe_match_icmp(&c, fx, n, NULL, &r), 0);
	}
	TEST("ICMP-02: outer IHL < 5, IHL past the packet, fewer than 8 ICMP bytes") {
		struct probe_cfg c = cfg4(PM_UDP, 49379, 33434);

		n = load("udp-time-exceeded");
		fx[0] = 0x44;
		CHECK_EQ(probe_match_icmp(&c, fx, n, NULL, &r), 0);
		n = load("udp-time-exceeded");
		CHECK_EQ(probe_match_icmp(&c, fx, 19, NULL, &r), 0);
		CHECK_EQ(probe_match_icmp(&c, fx, 27, NULL, &r), 0);
		CHECK_EQ(probe_match_icmp(&c, NULL, 0, NULL, &r), 0);
	}
	TEST("ICMP-04: quoted packet not ours: destination, source, port, protocol, range") {
		struct probe_cfg c = cfg4(PM_UDP, 49379, 33434);

		n = load("udp-time-exceeded");
		c.dst[3] = 9;
		CHECK_EQ(probe_match_icmp(&c, fx, n, NULL, &r), 0);
		CHECK_STR(r.why, "quoted destination not ours");
		c = cfg4(PM_UDP, 49379, 33434);
		c.src[3] = 9;
		CHECK_EQ(probe_match_icmp(&c, fx, n, NULL, &r), 0);
		CHECK_STR(r.why, "quoted source not ours");
		c = cfg4(PM_UDP, 49380, 33434);
		CHECK_EQ(probe_match_icmp(&c, fx, n, NULL, &r), 0);
		CHECK_STR(r.why, "quoted source port not ours");
		c = cfg4(PM_UDP, 49379, 33435);	/* 33434 is below our first port */
		CHECK_EQ(probe_match_icmp(&c, fx, n, NULL, &r), 0);
		CHECK_STR(r.why, "quoted probe number out of range");
		c = cfg4(PM_ICMP, 49379, 33434);
		CHECK_EQ(probe_match_icmp(&c, fx, n, NULL, &r), 0);
		CHECK_STR(r.why, "quoted protocol not ours");
		c = cfg4(PM_ICMP, 0x78e0, 0);
		n = load("icmp-time-exceeded");
		CHECK_EQ(probe_match_icmp(&c, fx, n, NULL, &r), 0);
		CHECK_STR(r.why, "quoted identifier not ours");
	}
	TEST("ICMP-01/05: echo replies with another identifier or from another address") {
		struct probe_cfg c = cfg4(PM_ICMP, 0x78de, 0);

		n = load("icmp-echo-reply");
		CHECK_EQ(probe_match_icmp(&c, fx, n, NULL, &r), 0);
		CHECK_STR(r.why, "other identifier");
		c = cfg4(PM_ICMP, 0x78df, 0);
		c.dst[3] = 3;
		CHECK_EQ(probe_match_icmp(&c, fx, n, NULL, &r), 0);
		CHECK_STR(r.why, "wrong source");
		c = cfg4(PM_UDP, 0x78df, 33434);	/* UDP trace: an echo reply is not an answer */
		CHECK_EQ(probe_match_icmp(&c, fx, n, NULL, &r), 0);
	}
	TEST("ICMP-08: a corrupted ICMP checksum is not matched") {
		struct probe_cfg c = cfg4(PM_UDP, 49379, 33434);

		n = load("udp-time-exceeded");
		fx[22] ^= 0x01;
		CHECK_EQ(probe_match_icmp(&c, fx, n, NULL, &r), 0);
		CHECK_STR(r.why, "bad checksum");
	}
	TEST("TCP: wrong acknowledgment, other address, SYN alone, short segment are not matched") {
		struct probe_cfg c = cfg4(PM_TCP, 39039, 8080);

		n = load("tcp-synack");
		c.isn = get32(fx + 20 + 8);	/* one too many */
		CHECK_EQ(probe_match_tcp(&c, fx, n, NULL, &r), 0);
		c.isn--;
		CHECK_EQ(probe_match_tcp(&c, fx, n, NULL, &r), 1);
		c.dst[3] = 7;
		CHECK_EQ(probe_match_tcp(&c, fx, n, NULL, &r), 0);
		CHECK_STR(r.why, "not from the destination");
		c.dst[3] = 2;
		c.port = 8081;
		CHECK_EQ(probe_match_tcp(&c, fx, n, NULL, &r), 0);
		c.port = 8080;
		fx[20 + 13] = TCP_SYN;
		CHECK_EQ(probe_match_tcp(&c, fx, n, NULL, &r), 0);
		n = load("tcp-synack");
		put16(fx + 2, 20 + 19);
		CHECK_EQ(probe_match_tcp(&c, fx, 20 + 19, NULL, &r), 0);
		c.method = PM_UDP;
		CHECK_EQ(probe_match_tcp(&c, fx, n, NULL, &r), 0);
	}
	TEST("round trip: a time exceeded quoting our own built probe matches its number") {
		struct probe_cfg c = cfg4(PM_UDP, 41000, 33434);
		uint8_t probe[128], msg[256];
		struct icmp e = { .version = 4, .type = IC4_TIME_EXCEEDED };
		struct ip4 h = { .ttl = 64, .proto = IPP_ICMP };
		struct writer w;

		b = probe_build(&c, 17, 6, probe, sizeof probe);
		CHECK_EQ(b, 60);
		e.data = probe;
		e.datalen = 28;	/* RFC 792: header + 64 bits */
		wr_init(&w, msg + 20, sizeof msg - 20);
		CHECK_EQ(icmp_build(&w, &e, NULL), 0);
		memcpy(h.src, R1, 4);
		memcpy(h.dst, CLIENT, 4);
		len = w.len;
		wr_init(&w, msg, 20);
		CHECK_EQ(ip4_build(&w, &h, len), 0);
		CHECK_EQ(probe_match_icmp(&c, msg, 20 + len, NULL, &r), 1);
		CHECK_EQ(r.k, 17);
		CHECK_EQ(r.quoted_ttl, 6);
	}

	/* --- annotations and the unprivileged path --- */

	TEST("annotations as traceroute: !N !H !P !F !S !X !V !C !<code>, port unreachable none") {
		struct probe_cfg c = cfg4(PM_UDP, 1, 33434);
		static const struct { uint8_t code; const char *a; } v4[] = {
			{ 0, "!N" }, { 1, "!H" }, { 2, "!P" }, { 3, "" }, { 4, "!F" }, { 5, "!S" },
			{ 6, "!N" }, { 7, "!H" }, { 8, "!N" }, { 9, "!X" }, { 10, "!X" }, { 11, "!N" },
			{ 12, "!H" }, { 13, "!X" }, { 14, "!V" }, { 15, "!C" }, { 99, "!<99>" },
		};
		static const struct { uint8_t code; const char *a; } v6[] = {
			{ 0, "!N" }, { 1, "!X" }, { 2, "!H" }, { 3, "!H" }, { 4, "" }, { 5, "!<5>" },
		};

		for (size_t i = 0; i < sizeof v4 / sizeof v4[0]; i++) {
			probe_judge(&c, IC4_UNREACH, v4[i].code, 0, &r);
			CHECK_STR(r.annot, v4[i].a);
			CHECK_EQ(r.final, 1);
		}
		probe_judge(&c, IC4_TIME_EXCEEDED, 0, 0, &r);
		CHECK_STR(r.annot, "");
		CHECK_EQ(r.final, 0);
		c = cfg6(PM_UDP, 1, 33434);
		for (size_t i = 0; i < sizeof v6 / sizeof v6[0]; i++) {
			probe_judge(&c, IC6_UNREACH, v6[i].code, 0, &r);
			CHECK_STR(r.annot, v6[i].a);
		}
		probe_judge(&c, IC6_PACKET_TOO_BIG, 0, 1280, &r);
		CHECK_STR(r.annot, "!F-1280");
	}
	TEST("error queue: UDP by destination port, ping socket by the quoted sequence") {
		struct probe_cfg c = cfg4(PM_UDP, 1, 33434);
		struct icmp m = { .version = 4, .type = IC4_ECHO_REQUEST, .id = 5, .seq = 12 };
		struct writer w;

		CHECK_EQ(probe_errqueue_probe(&c, 33434 + 89, NULL, 0), 89);
		CHECK_EQ(probe_errqueue_probe(&c, 33434 + 90, NULL, 0), -1);
		CHECK_EQ(probe_errqueue_probe(&c, 33433, NULL, 0), -1);
		c = cfg4(PM_ICMP, 5, 0);
		wr_init(&w, buf, sizeof buf);
		icmp_build(&w, &m, NULL);
		CHECK_EQ(probe_errqueue_probe(&c, 0, buf, w.len), 12);
		CHECK_EQ(probe_errqueue_probe(&c, 0, buf, 7), -1);
		buf[0] = IC4_ECHO_REPLY;
		CHECK_EQ(probe_errqueue_probe(&c, 0, buf, w.len), -1);
	}

	/* --- the hop table --- */

	TEST("hop table: hops print in order, only once complete; the final hop ends it") {
		struct probe_slot s[12];
		struct hoptab t;
		struct probe_reply a = { 0 };

		ht_init(&t, 1, 4, 3, 16, 5000000, 3, 10, s);
		for (int k; (k = ht_want_send(&t)) >= 0;)
			ht_sent(&t, (unsigned)k, 1000);
		CHECK_EQ(t.inflight, 12);
		for (unsigned k = 3; k < 6; k++) {	/* hop 2 answers first */
			a.k = k;
			CHECK_EQ(ht_answer(&t, &a, 1100), 1);
		}
		CHECK_EQ(ht_next_hop(&t), 0);	/* hop 1 still waiting */
		for (unsigned k = 0; k < 3; k++) {
			a.k = k;
			ht_answer(&t, &a, 1050);
		}
		CHECK_EQ(ht_next_hop(&t), 1);
		CHECK_EQ(ht_next_hop(&t), 2);
		CHECK_EQ(ht_next_hop(&t), 0);
		a.k = 6;
		a.final = 1;	/* hop 3 is the destination: hop 4 is dropped */
		CHECK_EQ(ht_answer(&t, &a, 1200), 1);
		CHECK_EQ(t.final_ttl, 3);
		CHECK_EQ(s[9].state, PS_SKIPPED);
		a.k = 9;
		CHECK_EQ(ht_answer(&t, &a, 1200), 0);	/* beyond the final hop */
		a.k = 7;
		a.final = 0;
		ht_answer(&t, &a, 1200);
		CHECK_EQ(ht_next_hop(&t), 0);
		ht_expire(&t, 1000 + 5000000);
		CHECK_EQ(s[8].state, PS_EXPIRED);
		CHECK_EQ(ht_next_hop(&t), 3);
		CHECK_EQ(ht_next_hop(&t), -1);
	}
	TEST("hop table: adaptive wait - an answer further on cuts a silent hop's wait (NEAR)") {
		struct probe_slot s[9];
		struct hoptab t;
		struct probe_reply a = { 0 };

		ht_init(&t, 1, 3, 3, 16, 5000000, 3, 10, s);
		for (int k; (k = ht_want_send(&t)) >= 0;)
			ht_sent(&t, (unsigned)k, 0);
		CHECK_EQ(ht_deadline(&t, 0), 5000000);
		a.k = 6;	/* hop 3 answers in 50 µs */
		ht_answer(&t, &a, 50);
		CHECK_EQ(ht_deadline(&t, 0), (50 + 500) * 10);
		/* the same hop: HERE, 3 x (rtt + 0.5 ms), comes first */
		CHECK_EQ(ht_deadline(&t, 7), 3 * (50 + 500));
		CHECK_EQ(ht_next_deadline(&t), 3 * (50 + 500));
		CHECK_EQ(ht_expire(&t, 1649), 0);
		CHECK_EQ(ht_expire(&t, 1650), 2);	/* probes 7 and 8 of hop 3 */
		CHECK_EQ(ht_expire(&t, 5499), 0);
		CHECK_EQ(ht_expire(&t, 5500), 6);	/* hops 1 and 2 */
		CHECK_EQ(ht_next_hop(&t), 1);
	}
	TEST("hop table: factors 0 wait the full time; -N bounds probes in flight") {
		struct probe_slot s[30];
		struct hoptab t;
		struct probe_reply a = { 0 };

		ht_init(&t, 1, 10, 3, 4, 1000000, 0, 0, s);
		for (int k; (k = ht_want_send(&t)) >= 0;)
			ht_sent(&t, (unsigned)k, 0);
		CHECK_EQ(t.inflight, 4);
		CHECK_EQ(ht_want_send(&t), -1);
		a.k = 3;
		ht_answer(&t, &a, 10);
		CHECK_EQ(ht_deadline(&t, 0), 1000000);
		CHECK_EQ(ht_want_send(&t), 4);
	}
	TEST("ICMP-12: a reply after its probe expired, or a duplicate, is dropped") {
		struct probe_slot s[3];
		struct hoptab t;
		struct probe_reply a = { 0 };

		ht_init(&t, 1, 1, 3, 16, 1000, 0, 0, s);
		ht_sent(&t, 0, 0);
		ht_sent(&t, 1, 0);
		ht_expire(&t, 1000);
		a.k = 0;
		CHECK_EQ(ht_answer(&t, &a, 1500), 0);
		ht_sent(&t, 2, 2000);
		a.k = 2;
		CHECK_EQ(ht_answer(&t, &a, 2100), 1);
		CHECK_EQ(ht_answer(&t, &a, 2200), 0);
		CHECK_EQ(s[2].rtt, 100);
		a.k = 40;
		CHECK_EQ(ht_answer(&t, &a, 2200), 0);
	}
	return tap_done();
}
