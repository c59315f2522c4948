/*
 * fz_x25519 - X25519 on any 32-byte scalar and u-coordinate: the input's
 * first 64 bytes (padded with zeros).  Oracles: the result equals a slow
 * reference written here independently (eight 32-bit limbs, reduction
 * by 2^256 = 38, inversion bit by bit, a ladder that swaps by branching);
 * -1 comes back exactly when the result is all zeros; and when the input
 * holds 96 bytes, X25519(a, X25519(b, 9)) = X25519(b, X25519(a, 9)).
 * Longer inputs are passed over: nothing past 96 bytes would be read,
 * and the replay feeds every corpus file of every target to this one.
 */
#include <string.h>

#include "crypto/c25519.h"
#include "fuzz.h"

typedef uint32_t rf[8];

static const rf P = { 0xffffffed, 0xffffffff, 0xffffffff, 0xffffffff,
    0xffffffff, 0xffffffff, 0xffffffff, 0x7fffffff };

/* r = a + c * 38 folded until no carry is left */
static void
fold(rf r, uint64_t c)
{
	uint64_t v;
	int i;

	while (c) {
		v = c * 38;
		for (i = 0; i < 8; i++) {
			v += r[i];
			r[i] = (uint32_t)v;
			v >>= 32;
		}
		c = v;
	}
}

static void
radd(rf r, const rf a, const rf b)
{
	uint64_t c = 0;
	int i;

	for (i = 0; i < 8; i++) {
		c += (uint64_t)a[i] + b[i];
		r[i] = (uint32_t)c;
		c >>= 32;
	}
	fold(r, c);
}

static void
rsub(rf r, const rf a, const rf b)
{
	int64_t c = 0;
	int i, borrow;

	for (i = 0; i < 8; i++) {
		c += (int64_t)a[i] - b[i];
		r[i] = (uint32_t)c;
		c >>= 32;		/* arithmetic: 0 or -1 */
	}
	borrow = c != 0;
	while (borrow) {		/* -2^256 = -38 */
		c = -38;
		for (i = 0; i < 8; i++) {
			c += r[i];
			r[i] = (uint32_t)c;
			c >>= 32;
		}
		borrow = c != 0;
	}
}

static void
rmul(rf r, const rf a, const rf b)
{
	uint64_t t[16] = { 0 }, v, c;
	int i, j;

	for (i = 0; i < 8; i++) {
		c = 0;
		for (j = 0; j < 8; j++) {
			v = t[i + j] + (uint64_t)a[i] * b[j] + c;
			t[i + j] = (uint32_t)v;
			c = v >> 32;
		}
		t[i + 8] = c;
	}
	c = 0;
	for (i = 0; i < 8; i++) {
		c += t[i] + 38 * t[i + 8];
		r[i] = (uint32_t)c;
		c >>= 32;
	}
	fold(r, c);
}

/* the value mod p, below p */
static void
rfinal(rf r)
{
	rf t;
	int i, k;

	for (k = 0; k < 3; k++) {
		int64_t c = 0;

		for (i = 0; i < 8; i++) {
			c += (int64_t)r[i] - P[i];
			t[i] = (uint32_t)c;
			c >>= 32;
		}
		if (c != 0)
			break;		/* r < p */
		memcpy(r, t, sizeof(t));
	}
}

static void
rinv(rf r, const rf a)
{
	rf x = { 1 };
	int i;

	/* a^(p-2), p - 2 = 2^255 - 21: bits 254..5 set, then 01011 */
	for (i = 254; i >= 0; i--) {
		rmul(x, x, x);
		if (i >= 5 || ((0x0b >> i) & 1))
			rmul(x, x, a);
	}
	memcpy(r, x, sizeof(x));
}

static void
ref_x25519(uint8_t out[32], const uint8_t scalar[32], const uint8_t point[32])
{
	uint8_t k[32];
	rf x1, x2 = { 1 }, z2 = { 0 }, x3, z3 = { 1 }, a, aa, b, bb, e, c, d,
	    da, cb, t, a24 = { 121665 };
	int i, bit, swap = 0;

	memcpy(k, scalar, 32);
	k[0] &= 248;
	k[31] = (uint8_t)((k[31] & 127) | 64);
	for (i = 0; i < 8; i++)
		x1[i] = (uint32_t)point[4 * i] | (uint32_t)point[4 * i + 1] << 8 |
		    (uint32_t)point[4 * i + 2] << 16 | (uint32_t)point[4 * i + 3] << 24;
	x1[7] &= 0x7fffffff;
	memcpy(x3, x1, sizeof(x1));
	for (i = 254; i >= 0; i--) {
		bit = k[i / 8] >> (i % 8) & 1;
		if (swap ^ bit) {
			memcpy(t, x2, 32); memcpy(x2, x3, 32); memcpy(x3, t, 32);
			memcpy(t, z2, 32); memcpy(z2, z3, 32); memcpy(z3, t, 32);
		}
		swap = bit;
		radd(a, x2, z2);
		rmul(aa, a, a);
		rsub(b, x2, z2);
		rmul(bb, b, b);
		rsub(e, aa, bb);
		radd(c, x3, z3);
		rsub(d, x3, z3);
		rmul(da, d, a);
		rmul(cb, c, b);
		radd(t, da, cb);
		rmul(x3, t, t);
		rsub(t, da, cb);
		rmul(t, t, t);
		rmul(z3, x1, t);
		rmul(x2, aa, bb);
		rmul(t, a24, e);
		radd(t, aa, t);
		rmul(z2, e, t);
	}
	if (swap) {
		memcpy(x2, x3, 32);
		memcpy(z2, z3, 32);
	}
	rinv(z2, z2);
	rmul(x2, x2, z2);
	rfinal(x2);
	for (i = 0; i < 32; i++)
		out[i] = (uint8_t)(x2[i / 4] >> (8 * (i % 4)));
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const uint8_t zero[32];
	uint8_t in[96] = { 0 }, out[32], want[32], pa[32], pb[32], s1[32], s2[32];
	int r;

	if (n > sizeof(in))
		return 0;
	memcpy(in, d, n);
	r = tb_x25519(out, in, in + 32);
	ref_x25519(want, in, in + 32);
	FUZZ_ASSERT(memcmp(out, want, 32) == 0);
	FUZZ_ASSERT((r == -1) == (memcmp(out, zero, 32) == 0));
	FUZZ_ASSERT(r == 0 || r == -1);
	if (n >= 96) {
		tb_x25519_base(pa, in);
		tb_x25519_base(pb, in + 64);
		FUZZ_ASSERT(tb_x25519(s1, in, pb) == 0);
		FUZZ_ASSERT(tb_x25519(s2, in + 64, pa) == 0);
		FUZZ_ASSERT(memcmp(s1, s2, 32) == 0);
	}
	return 0;
}
