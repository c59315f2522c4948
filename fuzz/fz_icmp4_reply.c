/*
 * fz_icmp4_reply - an IPv4 packet (as a raw socket returns it) through the
 * ICMP reply classifier, against fixed probe state (an echo prober and a
 * UDP prober), and through the IPv4/ICMP decoders (hostile-peers.md E.7).
 * Oracle: the class is one of the four; what it reports is inside the
 * packet; a header that parses rebuilds to the same bytes.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "icmp.h"
#include "ip.h"
#include "tubes.h"
#include "wire.h"

static void
check(const struct icmp_probe *pr, const uint8_t *d, size_t n)
{
	struct icmp_verdict v;
	enum icmp_class c = icmp_classify(pr, d, n, NULL, &v);

	FUZZ_ASSERT(c == ICMP_NOT_OURS || c == ICMP_OURS || c == ICMP_CORRUPT || c == ICMP_FOR_PROBE);
	FUZZ_ASSERT(c == v.cls);
	if (c == ICMP_NOT_OURS)
		return;
	FUZZ_ASSERT(v.ttl >= 0 && v.ttl <= 255);
	FUZZ_ASSERT(v.ip.hlen >= 20 && v.ip.hlen <= n);
	FUZZ_ASSERT(v.msg.data >= d && v.msg.data + v.msg.datalen <= d + n);
	if (c == ICMP_OURS)
		FUZZ_ASSERT(v.msg.type == IC4_ECHO_REPLY && v.msg.cksum_ok == 1);
	if (c == ICMP_FOR_PROBE) {
		FUZZ_ASSERT(icmp_is_error(4, v.msg.type));
		FUZZ_ASSERT(v.q.l4len >= 8 && v.q.l4 >= v.msg.data &&
		    v.q.l4 + v.q.l4len <= v.msg.data + v.msg.datalen);
		FUZZ_ASSERT(memcmp(v.q.dst, pr->dst, 4) == 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static FILE *null;
	struct icmp_probe echo = { .version = 4, .ip_header = 1, .proto = IPP_ICMP, .id = 0x32b1,
	    .dst = { 10, 99, 1, 2 } };
	struct icmp_probe udp = { .version = 4, .ip_header = 1, .proto = IPP_UDP, .id = 43797,
	    .dst = { 10, 99, 1, 2 } };
	struct ip4 h, b;
	struct layers lv;

	check(&echo, d, n);
	check(&udp, d, n);
	echo.kernel_id = 1;
	check(&echo, d, n);
	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		return 0;
	lv.fp = null;
	ip4_decode(&lv, d, n);
	if (ip4_parse(d, n, 0, &h) == IP_OK) {
		uint8_t out[64];
		struct writer w;

		icmp4_decode(&lv, h.payload, h.paylen);
		b = h;
		wr_init(&w, out, sizeof out);
		FUZZ_ASSERT(ip4_build(&w, &b, h.paylen) == 0);
		FUZZ_ASSERT(w.len == h.hlen && memcmp(out, d, h.hlen) == 0);
	}
	return 0;
}
