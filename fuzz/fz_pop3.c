/*
 * fz_pop3 - the POP3 codecs.  The multi-line machine must decode the same
 * body whether the stream arrives whole or split at any point (byte-at-a-
 * time servers, POP-02/08), must stop exactly at the terminator, and its
 * output may never hold a CRLF "." CRLF.  Each line also goes through the
 * status, LIST, UIDL and CAPA parsers: UIDs that pass are 1..70 printable
 * octets (POP-06), numbers are in range (POP-07).
 * Input: first byte = split point, the rest = the stream.
 */
#include <string.h>

#include "fuzz.h"
#include "pop3.h"

static uint8_t a[1 << 17], b[1 << 17];

static size_t
run(const uint8_t *in, size_t n, size_t split, uint8_t *out, size_t cap, struct pop3_ml *ml)
{
	size_t used = 0, got, total = 0, chunk;

	pop3_ml_init(ml, 1);
	while (used < n && !ml->done) {
		chunk = split ? split : n;
		if (chunk > n - used)
			chunk = n - used;
		got = 0;
		used += pop3_ml_feed(ml, in + used, chunk, out + total, cap - total, &got);
		total += got;
		if (cap - total < 2)
			break;
	}
	return total;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct pop3_ml m1, m2;
	struct pop3_status st;
	size_t la, lb, i, start;
	uint64_t num, size;
	char uid[POP3_UIDL_MAX + 1];

	if (n < 1 || n > 60000)
		return 0;
	la = run(d + 1, n - 1, 0, a, sizeof a, &m1);
	lb = run(d + 1, n - 1, (size_t)d[0] % 7 + 1, b, sizeof b, &m2);
	FUZZ_ASSERT(la == lb && memcmp(a, b, la) == 0);
	FUZZ_ASSERT(m1.done == m2.done && m1.wire == m2.wire);
	FUZZ_ASSERT(m1.wire <= n - 1);
	FUZZ_ASSERT(la <= m1.wire);	/* unstuffing never adds bytes */

	for (i = start = 1; i <= n; i++) {
		const char *line = (const char *)d + start;
		size_t len;

		if (i < n && d[i] != '\n')
			continue;
		len = i - start;
		if (pop3_status(line, len, &st) == 0)
			(void)pop3_rc_name(0);
		if (pop3_list(line, len, 100, &num, &size) == POP3_E_OK)
			FUZZ_ASSERT(num >= 1 && num <= 100 && size <= POP3_MAXSIZE);
		if (pop3_uidl(line, len, POP3_NOCOUNT, &num, uid) == POP3_E_OK) {
			size_t k, ul = strlen(uid);

			FUZZ_ASSERT(ul >= 1 && ul <= POP3_UIDL_MAX && num >= 1);
			for (k = 0; k < ul; k++)
				FUZZ_ASSERT(uid[k] >= 0x21 && uid[k] <= 0x7e);
		}
		(void)pop3_capa(line, len);
		start = i + 1;
	}
	return 0;
}
