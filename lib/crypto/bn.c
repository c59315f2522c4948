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

/* acc (two words and c2 above them) += x y */
#define MAC(x, y) do {						\
	u128 p_ = (u128)(x) * (y);				\
	acc += p_;						\
	c2 += acc < p_;						\
} while (0)
/* the next column: the accumulator shifted down one word */
#define NEXT() do {						\
	acc = (acc >> 64) | (u128)c2 << 64;			\
	c2 = 0;							\
} while (0)

/*
 * FIPS, the finely integrated product scanning form (Koc, Acar, Kaliski,
 * "Analyzing and comparing Montgomery multiplication algorithms", 1996):
 * column by column, the products a[j] b[i-j] and the reduction's q[j]
 * n[i-j] go into one three-word accumulator that stays in registers,
 * with no array of partial sums to load and store.  Column i < nl picks
 * q[i] so that the column's low word becomes zero.  With a, b < n the
 * result is below 2n: one conditional subtraction.
 */
void
tb_mont_mul(const struct tb_mont *m, uint64_t *r, const uint64_t *a,
    const uint64_t *b)
{
	uint64_t q[TB_BN_LIMBS], t[TB_BN_LIMBS];
	const uint64_t *n = m->n;
	size_t nl = m->nl, i, j;
	uint64_t c2 = 0, top;
	u128 acc = 0;

	for (i = 0; i < nl; i++) {
		for (j = 0; j < i; j++) {
			MAC(a[j], b[i - j]);
			MAC(q[j], n[i - j]);
		}
		MAC(a[i], b[0]);
		q[i] = (uint64_t)acc * m->n0;
		MAC(q[i], n[0]);
		NEXT();
	}
	for (i = nl; i < 2 * nl - 1; i++) {
		for (j = i - nl + 1; j < nl; j++) {
			MAC(a[j], b[i - j]);
			MAC(q[j], n[i - j]);
		}
		t[i - nl] = (uint64_t)acc;
		NEXT();
	}
	t[nl - 1] = (uint64_t)acc;
	top = (uint64_t)(acc >> 64);
	if (top != 0 || tb_bn_cmp(t, n, nl) >= 0)
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
