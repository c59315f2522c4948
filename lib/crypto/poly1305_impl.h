/*
 * crypto/poly1305_impl.h - one Poly1305 block, inline, for poly1305.c and
 * for the AEAD's AVX2 loop in chacha_simd.c, which hashes one batch of
 * ciphertext while it makes the key stream of the next.  See poly1305.c
 * for the arithmetic.
 */
#ifndef TUBES_CRYPTO_POLY1305_IMPL_H
#define TUBES_CRYPTO_POLY1305_IMPL_H

#include <stdint.h>

/* where the compiler has unsigned __int128 (64-bit targets); poly1305.c
 * has a slower way for the others, which TB_POLY1305_NO_INT128 forces */
#if defined(__SIZEOF_INT128__) && !defined(TB_POLY1305_NO_INT128)
#define TB_POLY1305_INT128 1
#endif

/* written out, so that the compiler sees a plain load */
static inline uint64_t
tb_ld64le(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	    (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	    (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

#ifdef TB_POLY1305_INT128
typedef unsigned __int128 tb_u128;

/*
 * h = (h + block + hibit 2^128) r, partly reduced (h2 stays below 8).
 * The 64-bit adds carry through __builtin_add_overflow (an add and an
 * adc, no branch), and each 128-bit sum is of two products: gcc makes
 * poor code of 128-bit sums that start from a zero-extended 64-bit word.
 */
static inline __attribute__((always_inline)) void
tb_poly1305_block(uint64_t *h0p, uint64_t *h1p, uint64_t *h2p, uint64_t r0,
    uint64_t r1, uint64_t s1, const uint8_t *p, uint64_t hibit)
{
	uint64_t h0 = *h0p, h1 = *h1p, h2 = *h2p, c0, c1, c2, lo, hi, fold;
	tb_u128 d0, d1;

	/* h += m */
	c0 = __builtin_add_overflow(h0, tb_ld64le(p), &h0);
	c1 = __builtin_add_overflow(h1, tb_ld64le(p + 8), &h1);
	c2 = __builtin_add_overflow(h1, c0, &h1);
	h2 += c1 + c2 + hibit;

	/* h *= r: each sum is below 2^126; h2 s1 and h2 r0 below 2^63 */
	d0 = (tb_u128)h0 * r0 + (tb_u128)h1 * s1;
	d1 = (tb_u128)h0 * r1 + (tb_u128)h1 * r0;
	h0 = (uint64_t)d0;
	/* d1 + hi(d0) + h2 s1: the word added cannot carry out of 64 bits */
	c0 = __builtin_add_overflow((uint64_t)d1, (uint64_t)(d0 >> 64) + h2 * s1, &lo);
	hi = (uint64_t)(d1 >> 64) + c0;
	h1 = lo;
	h2 = hi + h2 * r0;

	/* what is at 2^130 and above comes back times 5 */
	fold = (h2 >> 2) + (h2 & ~(uint64_t)3);
	h2 &= 3;
	c0 = __builtin_add_overflow(h0, fold, &h0);
	c1 = __builtin_add_overflow(h1, c0, &h1);
	*h0p = h0;
	*h1p = h1;
	*h2p = h2 + c1;
}
#endif

#endif
