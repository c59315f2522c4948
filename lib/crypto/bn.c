/*
 * crypto/bn.c - fixed-capacity Montgomery arithmetic for RSA verification
 * (see bn.h).  Public data only: it branches on values and exponent bits.
 */
#include <string.h>

#include "crypto/bn.h"

typedef unsigned __int128 u128;

int
tb_bn_from_bytes(uint64_t *r, size_t nl, const uint8_t *in, size_t len)
{
	size_t i;

	/* leading zero bytes beyond the capacity are allowed (OS2IP) */
	while (len > 8 * nl) {
		if (*in != 0)
			return -1;
		in++;
		len--;
	}
	memset(r, 0, nl * sizeof r[0]);
	for (i = 0; i < len; i++)
		r[i / 8] |= (uint64_t)in[len - 1 - i] << (8 * (i % 8));
	return 0;
}

int
tb_bn_to_bytes(uint8_t *out, size_t len, const uint64_t *a, size_t nl)
{
	size_t i;

	if (tb_bn_bits(a, nl) > 8 * len)
		return -1;
	for (i = 0; i < len; i++)
		out[len - 1 - i] = i / 8 < nl ? (uint8_t)(a[i / 8] >> (8 * (i % 8))) : 0;
	return 0;
}

int
tb_bn_cmp(const uint64_t *a, const uint64_t *b, size_t nl)
{
	while (nl-- > 0)
		if (a[nl] != b[nl])
			return a[nl] < b[nl] ? -1 : 1;
	return 0;
}

size_t
tb_bn_bits(const uint64_t *a, size_t nl)
{
	while (nl > 0 && a[nl - 1] == 0)
		nl--;
	if (nl == 0)
		return 0;
	return 64 * nl - (size_t)__builtin_clzll(a[nl - 1]);
}

/* a -= b over nl limbs; returns the borrow */
static uint64_t
bn_sub(uint64_t *a, const uint64_t *b, size_t nl)
{
	uint64_t borrow = 0;
	size_t i;

	for (i = 0; i < nl; i++) {
		u128 d = (u128)a[i] - b[i] - borrow;

		a[i] = (uint64_t)d;
		borrow = (uint64_t)(d >> 64) & 1;
	}
	return borrow;
}

/* a = 2a mod n, for a < n */
static void
mont_dbl(const struct tb_mont *m, uint64_t *a)
{
	uint64_t carry = 0, top;
	size_t i;

	for (i = 0; i < m->nl; i++) {
		top = a[i] >> 63;
		a[i] = a[i] << 1 | carry;
		carry = top;
	}
	if (carry || tb_bn_cmp(a, m->n, m->nl) >= 0)
		bn_sub(a, m->n, m->nl);
}

/*
 * CIOS (Koc, Acar, Kaliski, "Analyzing and comparing Montgomery
 * multiplication algorithms", 1996), the multiplication and the reduction
 * of each word of b in one pass.  With a, b < n the running value t stays
 * below 2n < 2R: nl limbs and one bit in t[nl].
 */
void
tb_mont_mul(const struct tb_mont *m, uint64_t *r, const uint64_t *a,
    const uint64_t *b)
{
	uint64_t t[TB_BN_LIMBS + 1];
	const uint64_t *n = m->n;
	size_t nl = m->nl, i, j;

	memset(t, 0, (nl + 1) * sizeof t[0]);
	for (i = 0; i < nl; i++) {
		uint64_t bi = b[i], u, c1, c2;
		u128 p, q;

		p = (u128)a[0] * bi + t[0];
		c1 = (uint64_t)(p >> 64);
		u = (uint64_t)p * m->n0;
		q = (u128)u * n[0] + (uint64_t)p;	/* low word is zero */
		c2 = (uint64_t)(q >> 64);
		for (j = 1; j < nl; j++) {
			p = (u128)a[j] * bi + t[j] + c1;
			c1 = (uint64_t)(p >> 64);
			q = (u128)u * n[j] + (uint64_t)p + c2;
			c2 = (uint64_t)(q >> 64);
			t[j - 1] = (uint64_t)q;
		}
		p = (u128)t[nl] + c1 + c2;
		t[nl - 1] = (uint64_t)p;
		t[nl] = (uint64_t)(p >> 64);
	}
	if (t[nl] != 0 || tb_bn_cmp(t, n, nl) >= 0)
		bn_sub(t, n, nl);
	memcpy(r, t, nl * sizeof r[0]);
}

int
tb_mont_init(struct tb_mont *m, const uint64_t *n, size_t nl)
{
	uint64_t inv;
	size_t bits, e, i;
	int top;

	if (nl == 0 || nl > TB_BN_LIMBS || n[nl - 1] == 0 || (n[0] & 1) == 0)
		return -1;
	bits = tb_bn_bits(n, nl);
	if (bits < 2)
		return -1;
	m->nl = nl;
	memcpy(m->n, n, nl * sizeof n[0]);
	memset(m->n + nl, 0, (TB_BN_LIMBS - nl) * sizeof n[0]);

	/* Newton: each step doubles the correct low bits (3 to start, n odd) */
	inv = n[0];
	for (i = 0; i < 5; i++)
		inv *= 2 - n[0] * inv;
	m->n0 = (uint64_t)0 - inv;

	/*
	 * R^2 mod n, which is the Montgomery form of 2^(64 nl): 2R mod n
	 * (the form of 2) by doubling 2^(bits-1) < n, then square and
	 * double along the bits of 64 nl.
	 */
	memset(m->rr, 0, sizeof m->rr);
	m->rr[(bits - 1) / 64] = (uint64_t)1 << ((bits - 1) % 64);
	for (i = bits - 1; i < 64 * nl + 1; i++)
		mont_dbl(m, m->rr);
	e = 64 * nl;
	for (top = 63; !(e >> top & 1); top--)
		;
	while (--top >= 0) {
		tb_mont_mul(m, m->rr, m->rr, m->rr);
		if (e >> top & 1)
			mont_dbl(m, m->rr);
	}
	return 0;
}

void
tb_mont_exp(const struct tb_mont *m, uint64_t *r, const uint64_t *a,
    uint64_t e)
{
	uint64_t x[TB_BN_LIMBS], acc[TB_BN_LIMBS];
	int i;

	memset(x, 0, sizeof x);
	memset(acc, 0, sizeof acc);
	tb_mont_mul(m, x, a, m->rr);		/* a R mod n */
	memcpy(acc, x, m->nl * sizeof x[0]);
	for (i = 62 - __builtin_clzll(e | 1); i >= 0; i--) {
		tb_mont_mul(m, acc, acc, acc);
		if (e >> i & 1)
			tb_mont_mul(m, acc, acc, x);
	}
	memset(x, 0, m->nl * sizeof x[0]);
	x[0] = 1;
	tb_mont_mul(m, r, acc, x);		/* out of the Montgomery form */
}
