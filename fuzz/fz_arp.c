/*
 * fz_arp - any frame through the ARP parser, classifier and decoder
 * (ARP-01..07).  Oracles: a frame the parser refuses is ARP_MALFORMED to
 * the classifier; an ARP_ANSWER always comes from the address asked about
 * and carries Ethernet/IPv4 lengths; a parsed packet rebuilds to the same
 * 28 bytes.  The first byte picks the mode (DAD or not).
 */
#include <stdio.h>
#include <string.h>

#include "arp.h"
#include "eth.h"
#include "fuzz.h"
#include "tubes.h"
#include "wire.h"

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const uint8_t mymac[MAC_LEN] = { 2, 0, 0, 0, 0, 1 };
	struct arp_query q = { { 2, 0, 0, 0, 0, 1 }, { 10, 9, 0, 1 }, { 10, 9, 0, 7 }, 0 };
	struct eth_hdr eh;
	struct arp_pkt ap, ap2;
	enum arp_class cls;
	int perr, err = 0;
	static FILE *devnull;
	struct layers lv;

	if (n < 1)
		return 0;
	q.dad = d[0] & 1;
	if (q.dad)
		memset(q.spa, 0, sizeof q.spa);
	d++, n--;
	perr = arp_frame_parse(d, n, &eh, &ap);
	cls = arp_classify(d, n, &q, &eh, &ap2, &err);
	if (perr != ARP_OK)
		FUZZ_ASSERT(cls == ARP_MALFORMED);
	if (cls == ARP_ANSWER) {
		FUZZ_ASSERT(perr == ARP_OK);
		FUZZ_ASSERT(ap2.hlen == MAC_LEN && ap2.plen == IP4_LEN);
		FUZZ_ASSERT(memcmp(ap2.spa, q.tpa, IP4_LEN) == 0);
		FUZZ_ASSERT(memcmp(ap2.sha, mymac, MAC_LEN) != 0 || !q.dad);
	}
	if (perr == ARP_OK) {
		uint8_t out[ARP_LEN];
		struct writer w;
		struct cursor c;

		wr_init(&w, out, sizeof out);
		arp_build(&w, &ap);
		FUZZ_ASSERT(!w.bad && w.len == ARP_LEN);
		cur_init(&c, out, w.len);
		FUZZ_ASSERT(arp_parse(&c, &ap2) == ARP_OK);
		FUZZ_ASSERT(memcmp(&ap, &ap2, sizeof ap) == 0);
	}
	if (devnull == NULL)
		devnull = fopen("/dev/null", "w");
	if (devnull) {
		lv.fp = devnull;
		arp_decode_frame(&lv, d, n);
	}
	return 0;
}
