/*
 * fz_ecpoint - the point decoder of lib/crypto/ec.c on any bytes.  The
 * first byte picks the curve and a mode; the rest is the point:
 *   mode 0: the bytes as they are (any length, any prefix);
 *   mode 1: 0x04 || the bytes, cut or zero-padded to X || Y;
 *   mode 2: the public key of the bytes as a private scalar, with one
 *           byte of it changed when the input says so (points on the
 *           curve, and points one byte off it).
 * Oracle: tb_ec_point_check agrees with a slow check written here with
 * nothing shared (schoolbook multiplication, bit-by-bit reduction):
 * length 1 + 2 len, prefix 4, both coordinates below p, y^2 = x^3 - 3x + b;
 * and ECDH with such a point succeeds exactly when the point is good.
 */
#include <string.h>

#include "crypto/ec.h"
#include "fuzz.h"

#define W 13			/* 32-bit words: 384 bits and one to spare */

struct slow {
	size_t len;
	const char *p, *b;	/* big-endian hex, FIPS 186-4 D.1.2 */
};

static const struct slow curves[2] = {
	{ 32, "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
	  "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b" },
	{ 48, "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe"
	      "ffffffff0000000000000000ffffffff",
	  "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875a"
	  "c656398d8a2ed19d2a85c8edd3ec2aef" },
};

/* big-endian bytes to little-endian words */
static void
words(uint32_t *w, const uint8_t *s, size_t len)
{
	size_t i;

	memset(w, 0, W * sizeof(*w));
	for (i = 0; i < len; i++)
		w[(len - 1 - i) / 4] |= (uint32_t)s[i] << (8 * ((len - 1 - i) % 4));
}

static void
hexwords(uint32_t *w, const char *hex, size_t len)
{
	uint8_t b[48];
	size_t i;
	unsigned v;

	for (i = 0; i < len; i++) {
		v = 0;
		for (int j = 0; j < 2; j++) {
			char c = hex[2 * i + j];

			v = v << 4 | (unsigned)(c <= '9' ? c - '0' : c - 'a' + 10);
		}
		b[i] = (uint8_t)v;
	}
	words(w, b, len);
}

static int
cmp(const uint32_t *a, const uint32_t *b)
{
	int i;

	for (i = W - 1; i >= 0; i--)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static void
sub(uint32_t *a, const uint32_t *b)
{
	uint64_t bw = 0;
	int i;

	for (i = 0; i < W; i++) {
		uint64_t d = (uint64_t)a[i] - b[i] - bw;

		a[i] = (uint32_t)d;
		bw = (d >> 32) & 1;
	}
}

/* r = a * b mod p, one bit of the product at a time */
static void
mulmod(uint32_t *r, const uint32_t *a, const uint32_t *b, const uint32_t *p)
{
	uint32_t prod[2 * W];
	int i, j;

	memset(prod, 0, sizeof(prod));
	for (i = 0; i < W; i++) {
		uint64_t c = 0;

		for (j = 0; j < W; j++) {
			uint64_t t = (uint64_t)a[i] * b[j] + prod[i + j] + c;

			prod[i + j] = (uint32_t)t;
			c = t >> 32;
		}
		prod[i + W] = (uint32_t)c;
	}
	memset(r, 0, W * sizeof(*r));
	for (i = 2 * W * 32 - 1; i >= 0; i--) {
		for (j = W - 1; j > 0; j--)
			r[j] = r[j] << 1 | r[j - 1] >> 31;
		r[0] = r[0] << 1 | ((prod[i / 32] >> (i % 32)) & 1);
		if (cmp(r, p) >= 0)
			sub(r, p);
	}
}

static void
addmod(uint32_t *r, const uint32_t *a, const uint32_t *p)
{
	uint64_t c = 0;
	int i;

	for (i = 0; i < W; i++) {
		uint64_t t = (uint64_t)r[i] + a[i] + c;

		r[i] = (uint32_t)t;
		c = t >> 32;
	}
	if (cmp(r, p) >= 0)
		sub(r, p);
}

static int
slow_check(int curve, const uint8_t *s, size_t n)
{
	const struct slow *c = &curves[curve];
	uint32_t p[W], b[W], x[W], y[W], l[W], r[W], t[W], one[W] = { 1 };
	int i;

	if (n != 1 + 2 * c->len || s[0] != 4)
		return -1;
	hexwords(p, c->p, c->len);
	hexwords(b, c->b, c->len);
	words(x, s + 1, c->len);
	words(y, s + 1 + c->len, c->len);
	if (cmp(x, p) >= 0 || cmp(y, p) >= 0)
		return -1;
	mulmod(l, y, y, p);
	mulmod(t, x, x, p);
	mulmod(r, t, x, p);
	addmod(r, b, p);
	/* - 3x as + 3 (p - x) */
	memcpy(t, p, sizeof(t));
	sub(t, x);
	mulmod(t, t, one, p);
	for (i = 0; i < 3; i++)
		addmod(r, t, p);
	return cmp(l, r) == 0 ? 0 : -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const int ids[2] = { TB_EC_P256, TB_EC_P384 };
	uint8_t pt[TB_EC_POINT_MAX], k[TB_EC_LEN_MAX], sh[TB_EC_LEN_MAX];
	int curve, mode, got, want, r;
	size_t len, m;

	if (n < 1)
		return 0;
	curve = d[0] & 1;
	mode = (d[0] >> 1) % 3;
	len = curves[curve].len;
	d++;
	n--;
	if (mode == 0) {
		got = tb_ec_point_check(ids[curve], d, n);
		FUZZ_ASSERT(got == slow_check(curve, d, n));
		return 0;
	}
	memset(pt, 0, sizeof(pt));
	pt[0] = 4;
	if (mode == 1) {
		memcpy(pt + 1, d, n < 2 * len ? n : 2 * len);
	} else {
		memset(k, 0, sizeof(k));
		memcpy(k, d, n < len ? n : len);
		r = curve == 0 ? tb_p256_pubkey(pt, k) : tb_p384_pubkey(pt, k);
		if (r != 0)
			return 0;
		FUZZ_ASSERT(slow_check(curve, pt, 1 + 2 * len) == 0);
		if (n > len + 1) {
			m = d[len] % (1 + 2 * len);
			pt[m] ^= d[len + 1];
		}
	}
	got = tb_ec_point_check(ids[curve], pt, 1 + 2 * len);
	want = slow_check(curve, pt, 1 + 2 * len);
	FUZZ_ASSERT(got == want);
	/* ECDH with a fixed scalar takes exactly the good points (when bit
	 * 3 of the first byte is set: a scalar multiplication is slow) */
	if (!(d[-1] & 8))
		return 0;
	memset(k, 0x42, sizeof(k));
	r = curve == 0 ? tb_p256_ecdh(sh, k, pt, 65) : tb_p384_ecdh(sh, k, pt, 97);
	FUZZ_ASSERT(r == want);
	return 0;
}
