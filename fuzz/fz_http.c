/*
 * fz_http - the HTTP response head parser, framing and the chunked
 * decoder on any bytes (HTTP-01..16).  The first byte picks how the input
 * is split (the result must not depend on it) and whether the request was
 * HEAD.  Oracles: a head is either refused or has a status in 100..599,
 * version 10/11 and fields inside its stored bytes; framing never yields a
 * body for HEAD/1xx/204/304; the chunked decoder returns no more bytes
 * than it was given, consumes no more than it was given, gives the same
 * body for a whole feed and a split feed, and never finishes twice.
 * The input is also a Content-Range value (HTTP-24): a range accepted has
 * first <= last < total, and no value is both a range and a 416's form.
 */
#include <string.h>

#include "fuzz.h"
#include "http.h"

static struct http_head h1, h2;
static uint8_t a[1 << 16], b[1 << 16], body_a[1 << 16], body_b[1 << 16];

/* feed whole; returns the result and the bytes used */
static int
head_feed(struct http_head *h, const uint8_t *d, size_t n, size_t step, size_t *used)
{
	size_t off = 0, u;
	int r = HTTP_MORE;

	http_head_init(h);
	while (off < n) {
		size_t k = n - off < step ? n - off : step;

		r = http_head_feed(h, d + off, k, &u);
		FUZZ_ASSERT(u <= k);
		off += u;
		if (r == HTTP_INTERIM) {
			FUZZ_ASSERT(h->status >= 100 && h->status < 200);
			http_head_init(h);
			continue;
		}
		if (r != HTTP_MORE)
			break;
	}
	*used = off;
	return r;
}

/* decode d[0..n) split every step bytes into out; returns bytes out or < 0 */
static long
chunk_feed(const uint8_t *d, size_t n, size_t step, uint8_t *work, uint8_t *out, int *done)
{
	struct http_chunked c;
	size_t off = 0, o = 0, u;
	long r;

	http_chunked_init(&c);
	while (off < n && !c.done) {
		size_t k = n - off < step ? n - off : step;

		memcpy(work, d + off, k);
		r = http_chunked_feed(&c, work, k, &u);
		if (r < 0)
			return r;
		FUZZ_ASSERT((size_t)r <= k && u <= k);
		FUZZ_ASSERT(u == k || c.done);
		memcpy(out + o, work, (size_t)r);
		o += (size_t)r;
		off += u;
	}
	*done = c.done;
	return (long)o;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct http_framing f;
	size_t step, u1, u2, i;
	int r1, r2, head_req, da, db;
	long la, lb;

	if (n < 1 || n > sizeof a)
		return 0;
	step = (size_t)(d[0] & 0x3f) + 1;
	head_req = d[0] >> 7;
	d++;
	n--;

	r1 = head_feed(&h1, d, n, n ? n : 1, &u1);
	r2 = head_feed(&h2, d, n, step, &u2);
	FUZZ_ASSERT(r1 == r2);
	if (r1 == HTTP_DONE) {
		FUZZ_ASSERT(u1 == u2);
		FUZZ_ASSERT(h1.status >= 200 && h1.status <= 599);
		FUZZ_ASSERT(h1.version == 10 || h1.version == 11);
		FUZZ_ASSERT(h1.nfields <= HTTP_HEADERS_MAX && h1.nraw <= sizeof h1.raw);
		for (i = 0; i < h1.nfields; i++) {
			FUZZ_ASSERT(h1.f[i].nlen > 0);
			FUZZ_ASSERT(h1.f[i].name + h1.f[i].nlen <= h1.nraw);
			FUZZ_ASSERT(h1.f[i].val + h1.f[i].vlen <= h1.nraw);
		}
		if (http_framing(&h1, head_req, &f) == 0) {
			if (head_req || h1.status == 204 || h1.status == 304)
				FUZZ_ASSERT(f.body == HTTP_BODY_NONE);
			if (f.body == HTTP_BODY_CLOSE)
				FUZZ_ASSERT(!f.reusable);
		}
	}

	/* the input as a Content-Range value, of a 206 and of a 416 */
	{
		uint64_t first, last, total, t416;
		int cr = http_content_range((const char *)d, n, &first, &last, &total);
		int un = http_range_unsatisfied((const char *)d, n, &t416);

		if (cr == 0)
			FUZZ_ASSERT(first <= last && (total == UINT64_MAX || last < total));
		FUZZ_ASSERT(cr != 0 || un != 0);
	}

	/* the rest of the input (or all of it) as a chunked body */
	la = chunk_feed(d, n, n ? n : 1, a, body_a, &da);
	lb = chunk_feed(d, n, step, b, body_b, &db);
	FUZZ_ASSERT(la == lb);
	if (la >= 0) {
		FUZZ_ASSERT(da == db);
		FUZZ_ASSERT(memcmp(body_a, body_b, (size_t)la) == 0);
	}
	return 0;
}
