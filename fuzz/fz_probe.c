/*
 * fz_probe - trace's reply matching (lib/wire/probe.c) on any bytes, as IPv4
 * (with the IP header) and IPv6 (the message alone), for every method:
 * a match always names a probe in range with a short annotation, and
 * nothing is read outside the input (ICMP-02..05).
 */
#include <string.h>

#include "fuzz.h"
#include "probe.h"

static void
check(const struct probe_cfg *c, const struct probe_reply *r, int ok)
{
	if (!ok)
		return;
	FUZZ_ASSERT(r->k < c->nprobes);
	FUZZ_ASSERT(memchr(r->annot, '\0', sizeof r->annot) != NULL);
	FUZZ_ASSERT(r->kind >= PK_TIME_EXCEEDED && r->kind <= PK_TCP);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const uint8_t src4[4] = { 10, 10, 0, 1 }, dst4[4] = { 10, 10, 3, 2 };
	static const uint8_t src6[16] = { 0xfd, 0, 0, 0x0a, [15] = 1 },
	    dst6[16] = { 0xfd, 0, 0, 0x0a, 0, 3, [15] = 2 };
	uint8_t from[16];
	struct probe_reply r;

	if (n < 4)
		return 0;
	/* the first bytes choose the identifiers, so matches happen */
	for (int v = 4; v <= 6; v += 2)
		for (int m = PM_UDP; m <= PM_TCP; m++) {
			struct probe_cfg c = { .version = v, .method = m, .ident = (uint16_t)(d[0] << 8 | d[1]),
			    .port = (uint16_t)(d[2] << 8 | d[3]), .isn = (uint32_t)d[0] << 24 | d[3],
			    .nprobes = 90, .size = v == 6 ? 80 : 60 };

			if (m == PM_UDP && c.port > 65535 - 89)
				c.port = 33434;
			if (m == PM_TCP && c.ident > 65535 - 89)
				c.ident = 40000;
			memcpy(c.src, v == 6 ? src6 : src4, v == 6 ? 16 : 4);
			memcpy(c.dst, v == 6 ? dst6 : dst4, v == 6 ? 16 : 4);
			memcpy(from, dst6, 16);
			if (v == 4)
				memcpy(from, dst4, 4);
			check(&c, &r, probe_match_icmp(&c, d + 4, n - 4, v == 6 ? from : NULL, &r));
			check(&c, &r, probe_match_tcp(&c, d + 4, n - 4, v == 6 ? from : NULL, &r));
			check(&c, &r, probe_match_ping(&c, d + 4, n - 4, from, &r));
			{
				long k = probe_errqueue_probe(&c, c.port, d + 4, n - 4);

				FUZZ_ASSERT(k < (long)c.nprobes);
			}
		}
	return 0;
}
