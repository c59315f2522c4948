/*
 * fz_inflate - lib/wire/inflate.c on any bytes.  The first byte picks
 * the wrapping (raw, zlib, gzip, HTTP's zlib-or-raw) and the size of the
 * pieces the rest is fed in.  Oracles: the result does not depend on
 * how the input is cut (unless max_out cut it off: where that shows
 * depends on when the ring is flushed), and what came out before an
 * error is a prefix of the same stream cut otherwise; no more output
 * than max_out; a good end decodes the same bytes with the input fed
 * one byte at a time; the totals count what came out.
 */
#include <string.h>

#include "fuzz.h"
#include "inflate.h"

#define CAP (1u << 20)

static struct inflate s1, s2;
static uint8_t o1[CAP], o2[CAP];
static size_t n1, n2;

static int
sink1(void *arg, const uint8_t *p, size_t n)
{
	(void)arg;
	FUZZ_ASSERT(n <= CAP - n1);
	memcpy(o1 + n1, p, n);
	n1 += n;
	return 0;
}

static int
sink2(void *arg, const uint8_t *p, size_t n)
{
	(void)arg;
	FUZZ_ASSERT(n <= CAP - n2);
	memcpy(o2 + n2, p, n);
	n2 += n;
	return 0;
}

static int
feed(struct inflate *s, int wrap, int (*out)(void *, const uint8_t *, size_t),
    const uint8_t *d, size_t n, size_t step)
{
	size_t i, k;
	int r = 0;

	inflate_init(s, (enum inf_wrap)wrap);
	s->out = out;
	s->max_out = CAP;
	for (i = 0; i < n && r == 0; i += k) {
		k = n - i < step ? n - i : step;
		r = inflate_feed(s, d + i, k);
	}
	return r != 0 ? r : inflate_finish(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	int wrap, r1, r2;
	size_t step;

	if (n < 1 || n > 65536)
		return 0;
	wrap = d[0] & 3;
	step = (size_t)(d[0] >> 2) + 1;
	d++;
	n--;
	n1 = n2 = 0;
	r1 = feed(&s1, wrap, sink1, d, n, n);
	r2 = feed(&s2, wrap, sink2, d, n, step);
	FUZZ_ASSERT(s1.total_out == n1 && n1 <= CAP && s2.total_out == n2);
	FUZZ_ASSERT(memcmp(o1, o2, n1 < n2 ? n1 : n2) == 0);
	if (r1 == INF_EBOMB || r2 == INF_EBOMB)
		return 0;
	FUZZ_ASSERT(r1 == r2);
	if (r1 == INF_OK)
		FUZZ_ASSERT(n1 == n2);
	FUZZ_ASSERT(strlen(inflate_strerror(r1)) > 0);
	if (r1 == INF_OK) {
		n2 = 0;
		FUZZ_ASSERT(feed(&s2, wrap, sink2, d, n, 1) == INF_OK);
		FUZZ_ASSERT(n1 == n2 && memcmp(o1, o2, n1) == 0);
	}
	return 0;
}
