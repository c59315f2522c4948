/*
 * fz_dns_tcp - DNS over TCP (RFC 7766 §8, DNS-11) on any byte stream, fed
 * through a pipe to the real reader that dig-lite and the resolver use.
 * Oracles: each message read is exactly the bytes its 2-byte prefix
 * announced, at least a header long, taken in order from the stream; the
 * reader fails with EBADMSG only on a short length and EPIPE only when the
 * stream ends part-way; a message accepted as the answer to a fixed query
 * (ID 0x2b1d, www.lab.test A) has that ID, QR set and the question
 * echoed, and parses or is refused without reading outside itself.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "dnsnet.h"
#include "fuzz.h"
#include "wire.h"

static uint8_t buf[DNS_MAXMSG];
static struct dns_q q;

static void
setup(void)
{
	struct dns_query dq;

	memset(&dq, 0, sizeof dq);
	dq.id = 0x2b1d;
	dq.flags = DNS_RD;
	if (dns_name_from_str("www.lab.test", &dq.qname) != DNS_OK)
		abort();
	dq.qtype = DNS_T_A;
	dq.qclass = DNS_C_IN;
	dq.edns_size = 1232;
	q.qlen = dns_build_query(&dq, q.query, sizeof q.query);
	if (q.qlen == 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	int fd;
	size_t off = 0;
	ssize_t r;

	if (q.qlen == 0)
		setup();
	if ((fd = fuzz_stream(d, n)) < 0)
		return 0;
	for (;;) {
		struct dns_msg m;

		r = dns_tcp_read(fd, buf, tb_now() + 1000000);
		if (r < 0) {
			int e = errno;

			if (off == n)
				FUZZ_ASSERT(e == EPIPE);	/* clean end */
			else if (e == EBADMSG)
				FUZZ_ASSERT(off + 2 <= n && get16(d + off) < DNS_HDRLEN);
			else
				FUZZ_ASSERT(e == EPIPE && (off + 2 > n ||
				    off + 2 + get16(d + off) > n));
			break;
		}
		FUZZ_ASSERT(off + 2 + (size_t)r <= n);
		FUZZ_ASSERT((size_t)r == get16(d + off) && r >= DNS_HDRLEN);
		FUZZ_ASSERT(memcmp(buf, d + off + 2, (size_t)r) == 0);
		off += 2 + (size_t)r;
		if (dnsq_matches(&q, buf, (size_t)r)) {
			FUZZ_ASSERT(get16(buf) == 0x2b1d && (get16(buf + 2) & DNS_QR));
			FUZZ_ASSERT(get16(buf + DNS_OFF_QD) == 1);
		}
		(void)dns_parse(&m, buf, (size_t)r);
	}
	close(fd);
	return 0;
}
