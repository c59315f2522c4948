/*
 * fz_l4 - any bytes as a UDP datagram and a TCP segment (with options),
 * parsed with and without a pseudo-header, and decoded.  Oracle: data
 * and options lie inside the input; a UDP datagram that parses rebuilds
 * to the same bytes when its checksum verified.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "ip.h"
#include "tcp.h"
#include "tubes.h"
#include "udp.h"
#include "wire.h"

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static FILE *null;
	struct ip_pseudo ps = { .version = 4, .src = { 10, 99, 0, 1 }, .dst = { 10, 99, 1, 2 } };
	struct layers lv;
	struct udp u;
	struct tcp t;
	int r;

	if (tcp_parse(d, n, &ps, &t) != TCP_ESHORT && t.doff >= 20 && t.doff <= n) {
		FUZZ_ASSERT(t.data == d + t.doff && t.datalen == n - t.doff);
		FUZZ_ASSERT(t.optlen == t.doff - 20u && t.nsack <= 4);
	}
	r = udp_parse(d, n, &ps, &u);
	if (r == UDP_OK || r == UDP_ECKSUM) {
		FUZZ_ASSERT(u.data == d + 8 && u.datalen + 8 == u.len && u.len <= n);
		if (r == UDP_OK && u.cksum_ok == 1 && u.cksum != 0xffff) {
			uint8_t out[65536 + 8];
			struct writer w;
			struct udp b = u;

			wr_init(&w, out, sizeof out);
			FUZZ_ASSERT(udp_build(&w, &b, &ps) == 0);
			FUZZ_ASSERT(w.len == u.len && memcmp(out, d, u.len) == 0);
		}
	}
	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		return 0;
	lv.fp = null;
	tcp_decode(&lv, d, n, &ps);
	udp_decode(&lv, d, n, &ps);
	return 0;
}
