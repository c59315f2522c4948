/*
 * t_crypto_f25519emu.c - the field code of lib/crypto/f25519.c built a
 * second time with TB_F25519_NO_INT128, so that its 128-bit sums are the
 * two-word emulation 32-bit targets get, and compared with the library's
 * (unsigned __int128) on random and extreme elements.  The emulated
 * functions are renamed emu_fe_*.
 */
#include <stdio.h>
#include <string.h>

#include "crypto/f25519.h"
#include "tap.h"

#define TB_F25519_NO_INT128 1
#define tb_fe_0 emu_fe_0
#define tb_fe_1 emu_fe_1
#define tb_fe_frombytes emu_fe_frombytes
#define tb_fe_tobytes emu_fe_tobytes
#define tb_fe_add emu_fe_add
#define tb_fe_sub emu_fe_sub
#define tb_fe_neg emu_fe_neg
#define tb_fe_mul emu_fe_mul
#define tb_fe_sq emu_fe_sq
#define tb_fe_mul_small emu_fe_mul_small
#define tb_fe_invert emu_fe_invert
#define tb_fe_pow22523 emu_fe_pow22523
#define tb_fe_cswap emu_fe_cswap
#define tb_fe_iszero emu_fe_iszero
#define tb_fe_isneg emu_fe_isneg
/* the prototypes (f25519.h is already in, under its own names) */
void tb_fe_0(tb_fe *);
void tb_fe_1(tb_fe *);
void tb_fe_frombytes(tb_fe *, const uint8_t in[32]);
void tb_fe_tobytes(uint8_t out[32], const tb_fe *);
void tb_fe_add(tb_fe *, const tb_fe *, const tb_fe *);
void tb_fe_sub(tb_fe *, const tb_fe *, const tb_fe *);
void tb_fe_neg(tb_fe *, const tb_fe *);
void tb_fe_mul(tb_fe *, const tb_fe *, const tb_fe *);
void tb_fe_sq(tb_fe *, const tb_fe *);
void tb_fe_mul_small(tb_fe *, const tb_fe *, uint32_t);
void tb_fe_invert(tb_fe *, const tb_fe *);
void tb_fe_pow22523(tb_fe *, const tb_fe *);
void tb_fe_cswap(tb_fe *, tb_fe *, uint64_t bit);
int tb_fe_iszero(const tb_fe *);
int tb_fe_isneg(const tb_fe *);
#include "crypto/f25519.c"
#undef tb_fe_0
#undef tb_fe_1
#undef tb_fe_frombytes
#undef tb_fe_tobytes
#undef tb_fe_add
#undef tb_fe_sub
#undef tb_fe_neg
#undef tb_fe_mul
#undef tb_fe_sq
#undef tb_fe_mul_small
#undef tb_fe_invert
#undef tb_fe_pow22523
#undef tb_fe_cswap
#undef tb_fe_iszero
#undef tb_fe_isneg

static uint64_t rng = 0x2551925519ULL;

static uint64_t
rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* 32 bytes: random, or all ones, or p - 1 .. p + 18, or 0 */
static void
element(uint8_t b[32], int i)
{
	int j;

	for (j = 0; j < 32; j++)
		b[j] = (uint8_t)rnd();
	switch (i % 8) {
	case 0:
		memset(b, 0xff, 32);
		break;
	case 1:
		memset(b, 0xff, 32);
		b[0] = (uint8_t)(0xec + rnd() % 20);
		b[31] = 0x7f;
		break;
	case 2:
		memset(b, 0, 32);
		b[0] = (uint8_t)(rnd() % 3);
		break;
	default:
		break;
	}
}

/* a loose element: the sum of three reduced ones (limbs near 2^53) */
static void
loose(tb_fe *f, const uint8_t b[32])
{
	tb_fe t;

	tb_fe_frombytes(&t, b);
	tb_fe_add(f, &t, &t);
	tb_fe_add(f, f, &t);
}

int
main(void)
{
	uint8_t a[32], b[32], x[32], y[32];
	tb_fe f, g, h, k;
	int i, bad;

	TEST("f25519 emulated 128-bit sums: mul, sq, mul_small of 20000 pairs agree") {
		bad = 0;
		for (i = 0; i < 20000; i++) {
			element(a, i);
			element(b, i / 8);
			loose(&f, a);
			loose(&g, b);
			tb_fe_mul(&h, &f, &g);
			emu_fe_mul(&k, &f, &g);
			bad += memcmp(&h, &k, sizeof(h)) != 0;
			tb_fe_sq(&h, &f);
			emu_fe_sq(&k, &f);
			bad += memcmp(&h, &k, sizeof(h)) != 0;
			tb_fe_mul_small(&h, &f, 121665);
			emu_fe_mul_small(&k, &f, 121665);
			bad += memcmp(&h, &k, sizeof(h)) != 0;
		}
		CHECK_EQ(bad, 0);
	}
	TEST("f25519 emulated 128-bit sums: invert and pow22523 of 500 elements agree") {
		bad = 0;
		for (i = 0; i < 500; i++) {
			element(a, i);
			tb_fe_frombytes(&f, a);
			tb_fe_invert(&h, &f);
			emu_fe_invert(&k, &f);
			tb_fe_tobytes(x, &h);
			emu_fe_tobytes(y, &k);
			bad += memcmp(x, y, 32) != 0;
			tb_fe_pow22523(&h, &f);
			emu_fe_pow22523(&k, &f);
			bad += memcmp(&h, &k, sizeof(h)) != 0;
			/* and the inverse is one */
			emu_fe_mul(&k, &k, &f);
			if (!emu_fe_iszero(&f)) {
				emu_fe_invert(&k, &f);
				emu_fe_mul(&k, &k, &f);
				emu_fe_1(&g);
				emu_fe_sub(&k, &k, &g);
				bad += !emu_fe_iszero(&k);
			}
		}
		CHECK_EQ(bad, 0);
	}
	return tap_done();
}
