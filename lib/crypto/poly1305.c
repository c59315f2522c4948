/*
 * crypto/poly1305.c - the Poly1305 one-time authenticator (RFC 8439 2.5).
 *
 * The accumulator h is two 64-bit words and a few bits more
 * (h0 + h1 2^64 + h2 2^128, h2 small), the key r two words.  Products go
 * through unsigned __int128 (or, where the compiler has none, a two-word
 * emulation, below).  Since p = 2^130 - 5, anything at 2^130 or
 * above folds back down times 5; the clamp leaves r1 a multiple of 4, so
 * a product h1 r1 at 2^128 is h1 (r1 / 4) at 2^130, which is
 * h1 (5 r1 / 4) = h1 s1 at 2^0, with s1 = r1 + r1 / 4 exact.  That makes
 * a block four full multiplications and two small ones.  Every step is
 * a multiply, add, shift or mask: no branch or index on the key or the
 * message.
 */
#include <string.h>

#include "crypto/chacha.h"
#include "crypto/ct.h"
#include "crypto/poly1305_impl.h"

#define ld64le tb_ld64le

#ifndef TB_POLY1305_INT128
/*
 * Without unsigned __int128 (32-bit targets, or TB_POLY1305_NO_INT128 in
 * tests/unit/t_crypto_poly1305emu.c) the same arithmetic on two-word
 * numbers: a 64 x 64 -> 128-bit product from four 32 x 32 -> 64-bit
 * ones, sums with their carries.  Still no branch on the data.
 */
typedef struct { uint64_t lo, hi; } u128;

static u128
mul64(uint64_t a, uint64_t b)
{
	uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
	uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
	uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
	u128 r;

	r.lo = (uint32_t)p00 | mid << 32;
	r.hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
	return r;
}

static u128
add128(u128 a, u128 b)
{
	u128 r;

	r.lo = a.lo + b.lo;
	r.hi = a.hi + b.hi + (r.lo < b.lo);	/* a carry bit: setc, no branch */
	return r;
}

static u128
add64(u128 a, uint64_t b)
{
	u128 r;

	r.lo = a.lo + b;
	r.hi = a.hi + (r.lo < b);
	return r;
}

/* tb_poly1305_block of poly1305_impl.h, in those terms */
static void
tb_poly1305_block(uint64_t *h0p, uint64_t *h1p, uint64_t *h2p, uint64_t r0,
    uint64_t r1, uint64_t s1, const uint8_t *p, uint64_t hibit)
{
	uint64_t h0 = *h0p, h1 = *h1p, h2 = *h2p, m0, m1, c0, c1, fold;
	u128 d0, d1;

	/* h += m; the comparisons are carry bits */
	m0 = ld64le(p);
	m1 = ld64le(p + 8);
	h0 += m0;
	c0 = h0 < m0;
	h1 += m1;
	c1 = h1 < m1;
	h1 += c0;
	c1 += h1 < c0;
	h2 += c1 + hibit;

	d0 = add128(mul64(h0, r0), mul64(h1, s1));
	d1 = add128(mul64(h0, r1), mul64(h1, r0));
	d1 = add64(d1, d0.hi + h2 * s1);
	h0 = d0.lo;
	h1 = d1.lo;
	h2 = d1.hi + h2 * r0;

	fold = (h2 >> 2) + (h2 & ~(uint64_t)3);
	h2 &= 3;
	h0 += fold;
	c0 = h0 < fold;
	h1 += c0;
	c1 = h1 < c0;
	*h0p = h0;
	*h1p = h1;
	*h2p = h2 + c1;
}
#endif

static void
st64le(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void
tb_poly1305_init(tb_poly1305_ctx *c, const uint8_t key[32])
{
	/* r is clamped: 0x0ffffffc0ffffffc0ffffffc0fffffff */
	c->r[0] = ld64le(key) & 0x0ffffffc0fffffffULL;
	c->r[1] = ld64le(key + 8) & 0x0ffffffc0ffffffcULL;
	c->r[2] = c->r[1] + (c->r[1] >> 2);	/* s1 = 5 r1 / 4 */
	c->h[0] = c->h[1] = c->h[2] = 0;
	c->s[0] = ld64le(key + 16);
	c->s[1] = ld64le(key + 24);
	c->used = 0;
}

/* n 16-byte blocks; hibit is the 2^128 bit of each (1), or 0 for a last
 * block that was padded by hand */
static void
blocks(tb_poly1305_ctx *c, const uint8_t *p, size_t n, uint64_t hibit)
{
	const uint64_t r0 = c->r[0], r1 = c->r[1], s1 = c->r[2];
	uint64_t h0 = c->h[0], h1 = c->h[1], h2 = c->h[2];

	for (; n > 0; n--, p += 16)
		tb_poly1305_block(&h0, &h1, &h2, r0, r1, s1, p, hibit);
	c->h[0] = h0;
	c->h[1] = h1;
	c->h[2] = h2;
}

void
tb_poly1305_update(tb_poly1305_ctx *c, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t k;

	if (len == 0)
		return;		/* and data may be NULL */
	if (c->used > 0) {
		k = 16 - c->used;
		if (len < k) {
			memcpy(c->buf + c->used, p, len);
			c->used += len;
			return;
		}
		memcpy(c->buf + c->used, p, k);
		blocks(c, c->buf, 1, 1);
		c->used = 0;
		p += k;
		len -= k;
	}
	if (len >= 16) {
		blocks(c, p, len / 16, 1);
		p += len & ~(size_t)15;
		len &= 15;
	}
	if (len > 0) {
		memcpy(c->buf, p, len);
		c->used = len;
	}
}

void
tb_poly1305_final(tb_poly1305_ctx *c, uint8_t tag[16])
{
	uint64_t h0, h1, g0, g1, g2, mask, carry;

	if (c->used > 0) {
		/* the last piece gets a 1 byte after it, then zeros */
		c->buf[c->used] = 1;
		memset(c->buf + c->used + 1, 0, 15 - c->used);
		blocks(c, c->buf, 1, 0);
	}
	/* h < 2^130 + 2^128 here: h - p, if that is not below zero, is
	 * h mod p; h + 5 reaching 2^130 says so */
	g0 = c->h[0] + 5;
	carry = g0 < 5;				/* carry bits: setc, no branch */
	g1 = c->h[1] + carry;
	carry = g1 < carry;
	g2 = c->h[2] + carry;
	mask = (uint64_t)0 - (g2 >> 2);		/* all ones when h >= p */
	h0 = (c->h[0] & ~mask) | (g0 & mask);
	h1 = (c->h[1] & ~mask) | (g1 & mask);

	/* tag = (h + s) mod 2^128 */
	h0 += c->s[0];
	carry = h0 < c->s[0];
	h1 += c->s[1] + carry;
	st64le(tag, h0);
	st64le(tag + 8, h1);
	tb_wipe(c, sizeof(*c));
}

void
tb_poly1305(const uint8_t key[32], const void *msg, size_t len, uint8_t tag[16])
{
	tb_poly1305_ctx c;

	tb_poly1305_init(&c, key);
	tb_poly1305_update(&c, msg, len);
	tb_poly1305_final(&c, tag);
}
