/*
 * t_inflate.c - unit tests of lib/wire/inflate.c: python3 zlib and gzip
 * vectors (inflate_vectors.h) whole, byte by byte, cut short, corrupted
 * and with bad check values; streams built here with the fixed code for
 * every window distance, the limits and the errors.  The differential
 * run against python3's zlib at every level is tests/inflate.bats.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "inflate.h"
#include "inflate_vectors.h"

#define OUTCAP (1u << 22)

static uint8_t got[OUTCAP];
static size_t ngot;
static int refuse;
static struct inflate st;

static int
collect(void *arg, const uint8_t *p, size_t n)
{
	(void)arg;
	if (refuse || n > OUTCAP - ngot)
		return -1;
	memcpy(got + ngot, p, n);
	ngot += n;
	return 0;
}

static void
start(int wrap)
{
	inflate_init(&st, (enum inf_wrap)wrap);
	st.out = collect;
	ngot = 0;
	refuse = 0;
}

/* the whole input in pieces of step bytes, then the end: the first error or 0 */
static int
run(int wrap, const void *p, size_t n, size_t step)
{
	const uint8_t *b = p;
	size_t i, k;
	int r;

	start(wrap);
	for (i = 0; i < n; i += k) {
		k = n - i < step ? n - i : step;
		if ((r = inflate_feed(&st, b + i, k)) != 0)
			return r;
	}
	return inflate_finish(&st);
}

/* --- a writer of fixed-code DEFLATE streams -------------------------------- */

static uint8_t sbuf[1 << 20];
static size_t slen;
static uint64_t acc;
static unsigned nacc;
static uint8_t want[OUTCAP];
static size_t nwant;

static void
wbits(uint32_t v, unsigned n)
{
	acc |= (uint64_t)v << nacc;
	nacc += n;
	while (nacc >= 8) {
		sbuf[slen++] = (uint8_t)acc;
		acc >>= 8;
		nacc -= 8;
	}
}

/* a Huffman code goes most significant bit first */
static void
wcode(uint32_t code, unsigned len)
{
	while (len-- > 0)
		wbits(code >> len & 1, 1);
}

static void
wsym(unsigned sym)
{
	if (sym < 144)
		wcode(0x30 + sym, 8);
	else if (sym < 256)
		wcode(0x190 + sym - 144, 9);
	else if (sym < 280)
		wcode(sym - 256, 7);
	else
		wcode(0xc0 + sym - 280, 8);
}

static void
wbegin(int last)
{
	slen = nwant = 0;
	acc = nacc = 0;
	wbits((uint32_t)last, 1);
	wbits(1, 2);		/* fixed codes */
}

static void
wlit(uint8_t b)
{
	wsym(b);
	want[nwant++] = b;
}

static void
wmatch(unsigned len, unsigned dist)
{
	static const uint16_t lb[29] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27,
	    31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
	static const uint8_t le[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3,
	    3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
	unsigned i, d, e, base;

	for (i = 28; lb[i] > len; i--)
		;
	wsym(257 + i);
	wbits(len - lb[i], le[i]);
	/* distance codes: base 1, 2, 3, 4, then two per extra bit count */
	for (d = 0, base = 1;; d++) {
		e = d < 4 ? 0 : (d - 2) / 2;
		if (dist < base + (1u << e))
			break;
		base += 1u << e;
	}
	wcode(d, 5);
	wbits(dist - base, e);
	for (i = 0; i < len; i++, nwant++)
		want[nwant] = nwant >= dist ? want[nwant - dist] : 0;
}

static void
wend(void)
{
	wsym(256);
	if (nacc > 0)
		wbits(0, 8 - nacc);
}

static uint32_t lcg = 1;

static uint8_t
rnd8(void)
{
	lcg = lcg * 1103515245u + 12345u;
	return (uint8_t)(lcg >> 16);
}

int
main(void)
{
	static uint8_t buf[1 << 16];
	size_t i, k, nv = sizeof infvecs / sizeof infvecs[0];
	unsigned d;
	int r, bad;

	TEST("python3 vectors: all at once and one byte at a time") {
		for (i = 0; i < nv; i++) {
			const struct infvec *v = &infvecs[i];

			for (k = 1; k <= v->ncomp + 1; k = k == 1 ? 7 : k * 8) {
				r = run(v->wrap, v->comp, v->ncomp, k);
				if (r != 0 || ngot != v->nplain || memcmp(got, v->plain, ngot) != 0) {
					printf("# %s, pieces of %zu: %s, %zu bytes\n", v->name, k,
					    inflate_strerror(r), ngot);
					CHECK(0);
				}
			}
			r = run(v->wrap, v->comp, v->ncomp, v->ncomp);
			CHECK_EQ(st.total_in, v->ncomp);
			CHECK_EQ(st.total_out, v->nplain);
		}
		r = run(INF_GZIP, infvecs[15].comp, infvecs[15].ncomp, 100);
		CHECK_EQ(st.members, 2);
	}

	TEST("cut short anywhere: never a good end") {
		for (i = bad = 0; i < nv; i++) {
			const struct infvec *v = &infvecs[i];

			if (strstr(v->name, "members") || strstr(v->name, "padded"))
				continue;
			for (k = 1; k < v->ncomp; k++)
				if (run(v->wrap, v->comp, k, 3) == 0) {
					printf("# %s cut at %zu decoded well\n", v->name, k);
					bad++;
				}
		}
		CHECK_EQ(bad, 0);
		/* a member's end is a good end; inside the second one it is not */
		CHECK_EQ(run(INF_GZIP, infvecs[15].comp, infvecs[15].ncomp - 5, 64), INF_ETRUNC);
	}

	TEST("no byte at all is an empty body") {
		CHECK_EQ(run(INF_GZIP, "", 0, 1), 0);
		CHECK_EQ(ngot, 0);
		CHECK_EQ(run(INF_AUTO, "\x78", 1, 1), INF_ETRUNC);
	}

	TEST("a wrong check value or size is an error") {
		for (i = 0; i < nv; i++) {
			const struct infvec *v = &infvecs[i];

			if (v->wrap == INF_RAW || strcmp(v->name, "auto raw") == 0 ||
			    strstr(v->name, "members") || strstr(v->name, "padded"))
				continue;
			memcpy(buf, v->comp, v->ncomp);
			if (v->wrap == INF_GZIP) {
				buf[v->ncomp - 8] ^= 1;
				CHECK_EQ(run(v->wrap, buf, v->ncomp, 5), INF_ECHECK);
				buf[v->ncomp - 8] ^= 1;
				buf[v->ncomp - 1] ^= 0x80;
				CHECK_EQ(run(v->wrap, buf, v->ncomp, 5), INF_ESIZE);
			} else {
				buf[v->ncomp - 1] ^= 0x10;
				CHECK_EQ(run(v->wrap, buf, v->ncomp, 5), INF_ECHECK);
			}
		}
		/* the gzip header's CRC16 */
		memcpy(buf, infvecs[14].comp, infvecs[14].ncomp);
		buf[37] ^= 1;
		CHECK_EQ(run(INF_GZIP, buf, infvecs[14].ncomp, 1), INF_ECHECK);
	}

	TEST("a corrupted byte anywhere: an error, or the same bytes") {
		for (i = bad = 0; i < nv; i++) {
			const struct infvec *v = &infvecs[i];
			size_t stepk = v->ncomp / 200 + 1;

			memcpy(buf, v->comp, v->ncomp);
			for (k = 0; k < v->ncomp; k += stepk) {
				buf[k] ^= 0x5a;
				r = run(v->wrap, buf, v->ncomp, 64);
				if (r == 0 && v->wrap != INF_RAW && strcmp(v->name, "auto raw") != 0 &&
				    (ngot != v->nplain || memcmp(got, v->plain, ngot) != 0)) {
					printf("# %s byte %zu flipped: good end, wrong bytes\n", v->name, k);
					bad++;
				}
				buf[k] ^= 0x5a;
			}
		}
		CHECK_EQ(bad, 0);
	}

	TEST("every window distance, 1 to 32768") {
		wbegin(1);
		for (i = 0; i < 32768; i++)
			wlit(rnd8());
		for (d = 1; d <= 32768; d++)
			wmatch(3 + d % 64, d);
		wmatch(258, 32768);
		wend();
		for (k = 1; k <= 100000; k *= 10) {
			CHECK_EQ(run(INF_RAW, sbuf, slen, k), 0);
			CHECK_EQ(ngot, nwant);
			CHECK(ngot == nwant && memcmp(got, want, ngot) == 0);
		}
	}

	TEST("a distance past the start of the output") {
		wbegin(1);
		for (i = 0; i < 10; i++)
			wlit('a');
		wmatch(3, 11);
		wend();
		CHECK_EQ(run(INF_RAW, sbuf, slen, 4), INF_EDIST);
		wbegin(1);
		for (i = 0; i < 10; i++)
			wlit('a');
		wmatch(3, 10);
		wend();
		CHECK_EQ(run(INF_RAW, sbuf, slen, 4), 0);
	}

	TEST("malformed streams") {
		/* block type 3 */
		CHECK_EQ(run(INF_RAW, "\x07", 1, 1), INF_EBTYPE);
		/* stored: LEN and NLEN that disagree */
		CHECK_EQ(run(INF_RAW, "\x01\x05\x00\xfa\xfe" "abcde", 10, 1), INF_ESTORED);
		CHECK_EQ(run(INF_RAW, "\x01\x05\x00\xfa\xff" "abcde", 10, 1), 0);
		CHECK_EQ(ngot, 5);
		/* a zlib header with a preset dictionary, and a bad one */
		CHECK_EQ(run(INF_ZLIB, "\x78\xbb\x00\x00\x00\x01", 6, 1), INF_EDICT);
		CHECK_EQ(run(INF_ZLIB, "\x78\x9d\x03\x00", 4, 1), INF_EHEADER);
		/* gzip: magic, method, reserved flags */
		CHECK_EQ(run(INF_GZIP, "\x1f\x8c\x08\x00", 4, 1), INF_EHEADER);
		CHECK_EQ(run(INF_GZIP, "\x1f\x8b\x07\x00", 4, 1), INF_EHEADER);
		CHECK_EQ(run(INF_GZIP, "\x1f\x8b\x08\x20", 4, 1), INF_EHEADER);
		/* dynamic: HLIT 30 (287 codes) is not allowed */
		CHECK_EQ(run(INF_RAW, "\xf5\x00\x00", 3, 1), INF_ETABLE);
		/* bytes after the end */
		memcpy(buf, infvecs[0].comp, infvecs[0].ncomp);
		buf[infvecs[0].ncomp] = 0;
		CHECK_EQ(run(INF_ZLIB, buf, infvecs[0].ncomp + 1, 1000), INF_ETRAIL);
		memcpy(buf, infvecs[12].comp, infvecs[12].ncomp);
		buf[infvecs[12].ncomp] = 'x';
		CHECK_EQ(run(INF_GZIP, buf, infvecs[12].ncomp + 1, 1000), INF_ETRAIL);
		/* an error sticks */
		CHECK_EQ(inflate_feed(&st, "", 0), INF_ETRAIL);
		CHECK_EQ(inflate_finish(&st), INF_ETRAIL);
	}

	TEST("the limits cut a bomb off") {
		/* one zero, then 16000 matches of 258: 4 MB from 26 KB */
		wbegin(1);
		wlit(0);
		for (i = 0; i < 16000; i++)
			wmatch(258, 1);
		wend();
		CHECK_EQ(run(INF_RAW, sbuf, slen, 4096), 0);
		CHECK_EQ(st.total_out, 16000 * 258 + 1);
		start(INF_RAW);
		st.max_out = 1000000;
		CHECK_EQ(inflate_feed(&st, sbuf, slen), INF_EBOMB);
		CHECK(ngot <= 1000000);
		start(INF_RAW);
		st.max_ratio = 100;
		CHECK_EQ(inflate_feed(&st, sbuf, slen), INF_EBOMB);
		CHECK(ngot <= 100 * slen);
		/* below the floor the ratio does not count */
		start(INF_RAW);
		st.max_ratio = 2;
		CHECK_EQ(inflate_feed(&st, infvecs[8].comp, infvecs[8].ncomp), 0);
	}

	TEST("the sink refuses") {
		start(INF_ZLIB);
		refuse = 1;
		CHECK_EQ(inflate_feed(&st, infvecs[2].comp, infvecs[2].ncomp), INF_ESINK);
	}

	TEST("checksums") {
		CHECK_EQ(inf_crc32(0, (const uint8_t *)"123456789", 9), 0xcbf43926u);
		CHECK_EQ(inf_adler32(1, (const uint8_t *)"Wikipedia", 9), 0x11e60398u);
		memset(buf, 0xff, sizeof buf);
		/* past the 5552-byte reduction */
		CHECK_EQ(inf_adler32(1, buf, sizeof buf), 0x77970ef2u);
	}
	return tap_done();
}
