/*
 * crypto/f25519.c - arithmetic modulo 2^255 - 19 in five 51-bit limbs
 * (see f25519.h).  Nothing here branches on or indexes by a value.
 *
 * The 128-bit column sums are the compiler's unsigned __int128 where it
 * has one (64-bit targets); elsewhere, or with TB_F25519_NO_INT128
 * defined (tests/unit/t_crypto_f25519emu.c builds it that way to compare
 * it with this one), a pair of 64-bit words with products from 32-bit
 * halves.
 */
#include <string.h>

#include "crypto/ct.h"
#include "crypto/f25519.h"

#if defined(__SIZEOF_INT128__) && !defined(TB_F25519_NO_INT128)
typedef unsigned __int128 u128;

static inline u128 mul64(uint64_t a, uint64_t b) { return (u128)a * b; }
static inline u128 add128(u128 a, u128 b) { return a + b; }
static inline u128 from64(uint64_t a) { return a; }
static inline uint64_t lo64(u128 a) { return (uint64_t)a; }
static inline uint64_t shr51(u128 a) { return (uint64_t)(a >> 51); }	/* below 2^64 here */
#else
typedef struct { uint64_t lo, hi; } u128;

static inline u128
mul64(uint64_t a, uint64_t b)
{
	uint64_t a0 = a & 0xffffffff, a1 = a >> 32, b0 = b & 0xffffffff,
	    b1 = b >> 32;
	uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
	uint64_t mid = (p00 >> 32) + (p01 & 0xffffffff) + (p10 & 0xffffffff);
	u128 r;

	r.lo = mid << 32 | (p00 & 0xffffffff);
	r.hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
	return r;
}

static inline u128
add128(u128 a, u128 b)
{
	u128 r;

	r.lo = a.lo + b.lo;
	r.hi = a.hi + b.hi + (r.lo < a.lo);	/* the carry, as a value */
	return r;
}

static inline u128 from64(uint64_t a) { u128 r = { a, 0 }; return r; }
static inline uint64_t lo64(u128 a) { return a.lo; }
static inline uint64_t shr51(u128 a) { return a.lo >> 51 | a.hi << 13; }
#endif

/* a0 b0 + a1 b1 + a2 b2 (+ a3 b3 + a4 b4) */
static inline u128
dot3(uint64_t a0, uint64_t b0, uint64_t a1, uint64_t b1, uint64_t a2,
    uint64_t b2)
{
	return add128(add128(mul64(a0, b0), mul64(a1, b1)), mul64(a2, b2));
}

static inline u128
dot5(uint64_t a0, uint64_t b0, uint64_t a1, uint64_t b1, uint64_t a2,
    uint64_t b2, uint64_t a3, uint64_t b3, uint64_t a4, uint64_t b4)
{
	return add128(add128(dot3(a0, b0, a1, b1, a2, b2), mul64(a3, b3)),
	    mul64(a4, b4));
}

#define M51 (((uint64_t)1 << 51) - 1)

static uint64_t
ld64(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	    (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	    (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static void
st64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void
tb_fe_0(tb_fe *h)
{
	memset(h, 0, sizeof(*h));
}

void
tb_fe_1(tb_fe *h)
{
	memset(h, 0, sizeof(*h));
	h->v[0] = 1;
}

void
tb_fe_frombytes(tb_fe *h, const uint8_t in[32])
{
	uint64_t w0 = ld64(in), w1 = ld64(in + 8), w2 = ld64(in + 16),
	    w3 = ld64(in + 24);

	h->v[0] = w0 & M51;
	h->v[1] = (w0 >> 51 | w1 << 13) & M51;
	h->v[2] = (w1 >> 38 | w2 << 26) & M51;
	h->v[3] = (w2 >> 25 | w3 << 39) & M51;
	h->v[4] = (w3 >> 12) & M51;	/* bit 255 dropped, as RFC 7748 asks */
}

/* one pass of carries, the top one folded back as 19 (2^255 = 19 mod p) */
static void
carry(uint64_t r[5])
{
	uint64_t c;

	c = r[0] >> 51; r[0] &= M51; r[1] += c;
	c = r[1] >> 51; r[1] &= M51; r[2] += c;
	c = r[2] >> 51; r[2] &= M51; r[3] += c;
	c = r[3] >> 51; r[3] &= M51; r[4] += c;
	c = r[4] >> 51; r[4] &= M51; r[0] += 19 * c;
}

void
tb_fe_tobytes(uint8_t out[32], const tb_fe *f)
{
	uint64_t r[5], q;
	int i;

	memcpy(r, f->v, sizeof(r));
	carry(r);
	/*
	 * Now v = sum r[i] 2^(51 i) is below 2^255 + 2^52 < 2p, so
	 * q = floor((v + 19) / 2^255) is 1 exactly when v >= p, and
	 * v - q p = v + 19 q - q 2^255 is the canonical value.
	 */
	q = (r[0] + 19) >> 51;
	for (i = 1; i < 5; i++)
		q = (r[i] + q) >> 51;
	r[0] += 19 * q;
	for (i = 0; i < 4; i++) {
		r[i + 1] += r[i] >> 51;
		r[i] &= M51;
	}
	r[4] &= M51;
	st64(out, r[0] | r[1] << 51);
	st64(out + 8, r[1] >> 13 | r[2] << 38);
	st64(out + 16, r[2] >> 26 | r[3] << 25);
	st64(out + 24, r[3] >> 39 | r[4] << 12);
}

void
tb_fe_add(tb_fe *h, const tb_fe *f, const tb_fe *g)
{
	int i;

	for (i = 0; i < 5; i++)
		h->v[i] = f->v[i] + g->v[i];
}

/* f + 4p - g, carried: g's limbs must be below 2^53 - 76 */
void
tb_fe_sub(tb_fe *h, const tb_fe *f, const tb_fe *g)
{
	static const uint64_t p4[5] = {
		((uint64_t)1 << 53) - 76, ((uint64_t)1 << 53) - 4,
		((uint64_t)1 << 53) - 4, ((uint64_t)1 << 53) - 4,
		((uint64_t)1 << 53) - 4
	};
	uint64_t r[5];
	int i;

	for (i = 0; i < 5; i++)
		r[i] = f->v[i] + p4[i] - g->v[i];
	carry(r);
	memcpy(h->v, r, sizeof(r));
}

void
tb_fe_neg(tb_fe *h, const tb_fe *f)
{
	tb_fe z;

	tb_fe_0(&z);
	tb_fe_sub(h, &z, f);
}

/* the 128-bit column sums to five carried limbs */
static void
reduce128(tb_fe *h, u128 t0, u128 t1, u128 t2, u128 t3, u128 t4)
{
	uint64_t r0, r1, r2, r3, r4, c;

	t1 = add128(t1, from64(shr51(t0))); r0 = lo64(t0) & M51;
	t2 = add128(t2, from64(shr51(t1))); r1 = lo64(t1) & M51;
	t3 = add128(t3, from64(shr51(t2))); r2 = lo64(t2) & M51;
	t4 = add128(t4, from64(shr51(t3))); r3 = lo64(t3) & M51;
	c = shr51(t4); r4 = lo64(t4) & M51;
	r0 += c * 19;
	c = r0 >> 51; r0 &= M51;
	r1 += c;
	h->v[0] = r0; h->v[1] = r1; h->v[2] = r2; h->v[3] = r3; h->v[4] = r4;
}

/* limbs up to 2^54 in: every column sum stays below 2^115 */
void
tb_fe_mul(tb_fe *h, const tb_fe *f, const tb_fe *g)
{
	uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3],
	    f4 = f->v[4];
	uint64_t g0 = g->v[0], g1 = g->v[1], g2 = g->v[2], g3 = g->v[3],
	    g4 = g->v[4];
	uint64_t g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3,
	    g4_19 = 19 * g4;
	u128 t0, t1, t2, t3, t4;

	t0 = dot5(f0, g0, f1, g4_19, f2, g3_19, f3, g2_19, f4, g1_19);
	t1 = dot5(f0, g1, f1, g0, f2, g4_19, f3, g3_19, f4, g2_19);
	t2 = dot5(f0, g2, f1, g1, f2, g0, f3, g4_19, f4, g3_19);
	t3 = dot5(f0, g3, f1, g2, f2, g1, f3, g0, f4, g4_19);
	t4 = dot5(f0, g4, f1, g3, f2, g2, f3, g1, f4, g0);
	reduce128(h, t0, t1, t2, t3, t4);
}

void
tb_fe_sq(tb_fe *h, const tb_fe *f)
{
	uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3],
	    f4 = f->v[4];
	uint64_t f0_2 = 2 * f0, f1_2 = 2 * f1, f3_19 = 19 * f3,
	    f4_19 = 19 * f4;
	u128 t0, t1, t2, t3, t4;

	t0 = dot3(f0, f0, f1_2, f4_19, 2 * f2, f3_19);
	t1 = dot3(f0_2, f1, 2 * f2, f4_19, f3, f3_19);
	t2 = dot3(f0_2, f2, f1, f1, 2 * f3, f4_19);
	t3 = dot3(f0_2, f3, f1_2, f2, f4, f4_19);
	t4 = dot3(f0_2, f4, f1_2, f3, f2, f2);
	reduce128(h, t0, t1, t2, t3, t4);
}

void
tb_fe_mul_small(tb_fe *h, const tb_fe *f, uint32_t n)
{
	reduce128(h, mul64(f->v[0], n), mul64(f->v[1], n), mul64(f->v[2], n),
	    mul64(f->v[3], n), mul64(f->v[4], n));
}

/* h = f^(2^n) */
static void
sqn(tb_fe *h, const tb_fe *f, int n)
{
	tb_fe_sq(h, f);
	while (--n > 0)
		tb_fe_sq(h, h);
}

/*
 * z^(2^250 - 1) into a, and z^11 into z11: the common head of the two
 * exponentiations below (2^255 - 21 = (2^250 - 1) 2^5 + 11 and
 * 2^252 - 3 = (2^250 - 1) 2^2 + 1).
 */
static void
pow2250(tb_fe *a, tb_fe *z11, const tb_fe *z)
{
	tb_fe t0, t1, t2;

	tb_fe_sq(&t0, z);		/* 2 */
	sqn(&t1, &t0, 2);		/* 8 */
	tb_fe_mul(&t1, &t1, z);		/* 9 */
	tb_fe_mul(z11, &t1, &t0);	/* 11 */
	tb_fe_sq(&t0, z11);		/* 22 */
	tb_fe_mul(&t0, &t0, &t1);	/* 31 = 2^5 - 1 */
	sqn(&t1, &t0, 5);
	tb_fe_mul(&t0, &t1, &t0);	/* 2^10 - 1 */
	sqn(&t1, &t0, 10);
	tb_fe_mul(&t1, &t1, &t0);	/* 2^20 - 1 */
	sqn(&t2, &t1, 20);
	tb_fe_mul(&t1, &t2, &t1);	/* 2^40 - 1 */
	sqn(&t1, &t1, 10);
	tb_fe_mul(&t0, &t1, &t0);	/* 2^50 - 1 */
	sqn(&t1, &t0, 50);
	tb_fe_mul(&t1, &t1, &t0);	/* 2^100 - 1 */
	sqn(&t2, &t1, 100);
	tb_fe_mul(&t1, &t2, &t1);	/* 2^200 - 1 */
	sqn(&t1, &t1, 50);
	tb_fe_mul(a, &t1, &t0);		/* 2^250 - 1 */
	tb_wipe(&t0, sizeof(t0));
	tb_wipe(&t1, sizeof(t1));
	tb_wipe(&t2, sizeof(t2));
}

void
tb_fe_invert(tb_fe *h, const tb_fe *z)
{
	tb_fe a, z11;

	pow2250(&a, &z11, z);
	sqn(&a, &a, 5);
	tb_fe_mul(h, &a, &z11);
	tb_wipe(&a, sizeof(a));
	tb_wipe(&z11, sizeof(z11));
}

void
tb_fe_pow22523(tb_fe *h, const tb_fe *z)
{
	tb_fe a, z11;

	pow2250(&a, &z11, z);
	sqn(&a, &a, 2);
	tb_fe_mul(h, &a, z);
	tb_wipe(&a, sizeof(a));
	tb_wipe(&z11, sizeof(z11));
}

void
tb_fe_cswap(tb_fe *f, tb_fe *g, uint64_t bit)
{
	uint64_t m = (uint64_t)0 - bit, t;
	int i;

	for (i = 0; i < 5; i++) {
		t = m & (f->v[i] ^ g->v[i]);
		f->v[i] ^= t;
		g->v[i] ^= t;
	}
}

int
tb_fe_iszero(const tb_fe *f)
{
	uint8_t b[32];
	uint32_t acc = 0;
	int i;

	tb_fe_tobytes(b, f);
	for (i = 0; i < 32; i++)
		acc |= b[i];
	tb_wipe(b, sizeof(b));
	return (int)(((acc - 1) >> 8) & 1);
}

int
tb_fe_isneg(const tb_fe *f)
{
	uint8_t b[32];
	int r;

	tb_fe_tobytes(b, f);
	r = b[0] & 1;
	tb_wipe(b, sizeof(b));
	return r;
}
