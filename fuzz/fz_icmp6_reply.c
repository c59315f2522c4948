/*
 * fz_icmp6_reply - an ICMPv6 message (as a raw or ping socket returns it)
 * through the classifier against fixed probe state, with and without
 * checksum verification; then the same bytes as a whole IPv6 packet
 * through the extension-header walk and the decoders (hostile-peers.md E.7).
 * Oracle: one of the four classes, everything reported lies inside the
 * input, the walk ends inside the packet.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "icmp.h"
#include "ip.h"
#include "tubes.h"
#include "wire.h"

static const uint8_t US[16] = { 0xfd, 0, 0, 0x99, [15] = 1 }, THEM[16] = { 0xfd, 0, 0, 0x99, [15] = 0xfe };

static void
check(const struct icmp_probe *pr, const uint8_t *d, size_t n)
{
	struct icmp_verdict v;
	enum icmp_class c = icmp_classify(pr, d, n, THEM, &v);

	FUZZ_ASSERT(c == ICMP_NOT_OURS || c == ICMP_OURS || c == ICMP_CORRUPT || c == ICMP_FOR_PROBE);
	if (c == ICMP_NOT_OURS)
		return;
	FUZZ_ASSERT(v.ttl == -1);
	FUZZ_ASSERT(v.msg.data == d + 8 && v.msg.datalen == n - 8);
	if (c == ICMP_OURS)
		FUZZ_ASSERT(v.msg.type == IC6_ECHO_REPLY && v.msg.cksum_ok != 0);
	if (c == ICMP_FOR_PROBE)
		FUZZ_ASSERT(v.q.l4len >= 8 && v.q.l4 + v.q.l4len <= d + n && v.q.hdrlen >= 40);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static FILE *null;
	struct icmp_probe pr = { .version = 6, .proto = IPP_ICMPV6, .id = 0x32bd };
	struct icmp_probe udp = { .version = 6, .proto = IPP_UDP, .id = 43797 };
	struct ip_pseudo ps = { .version = 6 };
	struct layers lv;
	struct ip6 h;

	memcpy(pr.dst, THEM, 16);
	memcpy(udp.dst, THEM, 16);
	check(&pr, d, n);
	check(&udp, d, n);
	pr.have_src = 1;
	memcpy(pr.src, US, 16);
	check(&pr, d, n);
	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		return 0;
	lv.fp = null;
	memcpy(ps.src, THEM, 16);
	memcpy(ps.dst, US, 16);
	icmp6_decode(&lv, d, n, &ps);
	ip6_decode(&lv, d, n);
	if (ip6_parse(d, n, IP_QUOTED, &h) == IP_OK) {
		FUZZ_ASSERT(h.hdrlen >= 40 && h.hdrlen <= n);
		FUZZ_ASSERT(h.payload == d + h.hdrlen && h.hdrlen + h.paylen <= n);
		FUZZ_ASSERT(h.next_ext <= IP6_MAXEXT);
	}
	return 0;
}
