/*
 * crypto/ed25519.c - Ed25519 signature verification (RFC 8032 section
 * 5.1.7), strict and cofactorless (see c25519.h).  Every input is public,
 * so this code branches on it; it must only be bounded and refuse every
 * malformed encoding.
 *
 * Points are on -x^2 + y^2 = 1 + d x^2 y^2 in extended coordinates
 * (X:Y:Z:T), x = X/Z, y = Y/Z, x y = T/Z (Hisil, Wong, Carter, Dawson,
 * "Twisted Edwards curves revisited", 2008, the a = -1 formulas).
 * [S]B - [k]A is one pass of doublings with width-5 NAF digits of both
 * scalars (Straus's trick).
 */
#include <string.h>

#include "crypto/c25519.h"
#include "crypto/f25519.h"
#include "crypto/hash.h"

struct pt { tb_fe x, y, z, t; };		/* extended */
struct cpt { tb_fe ypx, ymx, z2, t2d; };	/* y+x, y-x, 2z, 2dt: ready to add */

/* d = -121665/121666 and sqrt(-1) = 2^((p-1)/4), little-endian */
static const uint8_t d_bytes[32] = {
	0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41, 0x41,
	0x4d, 0x0a, 0x70, 0x00, 0x98, 0xe8, 0x79, 0x77, 0x79, 0x40, 0xc7, 0x8c,
	0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52
};
static const uint8_t sqrtm1_bytes[32] = {
	0xb0, 0xa0, 0x0e, 0x4a, 0x27, 0x1b, 0xee, 0xc4, 0x78, 0xe4, 0x2f, 0xad,
	0x06, 0x18, 0x43, 0x2f, 0xa7, 0xd7, 0xfb, 0x3d, 0x99, 0x00, 0x4d, 0x2b,
	0x0b, 0xdf, 0xc1, 0x4f, 0x80, 0x24, 0x83, 0x2b
};
/* the base point B: y = 4/5, x positive (section 5.1) */
static const uint8_t base_bytes[32] = {
	0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66
};
/* the group order L = 2^252 + 27742317777372353535851937790883648493 */
static const uint64_t order[4] = {
	0x5812631a5cf5d3edULL, 0x14def9dea2f79cd6ULL, 0, 0x1000000000000000ULL
};

static int
fe_eq(const tb_fe *a, const tb_fe *b)
{
	tb_fe t;

	tb_fe_sub(&t, a, b);
	return tb_fe_iszero(&t);
}

/*
 * RFC 8032 section 5.1.3.  -1 for y >= p, for a y with no x on the curve,
 * and for x = 0 with the sign bit set.
 */
static int
decode(struct pt *p, const uint8_t s[32], const tb_fe *d)
{
	uint8_t y[32], back[32];
	int sign = s[31] >> 7;
	tb_fe u, v, v3, t, sq;

	memcpy(y, s, 32);
	y[31] &= 0x7f;
	tb_fe_frombytes(&p->y, y);
	tb_fe_tobytes(back, &p->y);
	if (memcmp(back, y, 32) != 0)
		return -1;			/* y >= p */

	/* x^2 = u / v with u = y^2 - 1, v = d y^2 + 1 */
	tb_fe_1(&p->z);
	tb_fe_sq(&u, &p->y);
	tb_fe_mul(&v, &u, d);
	tb_fe_sub(&u, &u, &p->z);
	tb_fe_add(&v, &v, &p->z);

	/* candidate root x = u v^3 (u v^7)^((p-5)/8) */
	tb_fe_sq(&v3, &v);
	tb_fe_mul(&v3, &v3, &v);
	tb_fe_sq(&t, &v3);
	tb_fe_mul(&t, &t, &v);
	tb_fe_mul(&t, &t, &u);
	tb_fe_pow22523(&t, &t);
	tb_fe_mul(&t, &t, &v3);
	tb_fe_mul(&p->x, &t, &u);

	tb_fe_sq(&sq, &p->x);
	tb_fe_mul(&sq, &sq, &v);
	if (!fe_eq(&sq, &u)) {
		tb_fe_neg(&u, &u);
		if (!fe_eq(&sq, &u))
			return -1;		/* u / v is not a square */
		tb_fe_frombytes(&t, sqrtm1_bytes);
		tb_fe_mul(&p->x, &p->x, &t);
	}
	if (tb_fe_iszero(&p->x) && sign)
		return -1;
	if (tb_fe_isneg(&p->x) != sign)
		tb_fe_neg(&p->x, &p->x);
	tb_fe_mul(&p->t, &p->x, &p->y);
	return 0;
}

static void
encode(uint8_t s[32], const struct pt *p)
{
	tb_fe zi, x, y;

	tb_fe_invert(&zi, &p->z);
	tb_fe_mul(&x, &p->x, &zi);
	tb_fe_mul(&y, &p->y, &zi);
	tb_fe_tobytes(s, &y);
	s[31] |= (uint8_t)(tb_fe_isneg(&x) << 7);
}

static void
cache(struct cpt *c, const struct pt *p, const tb_fe *d2)
{
	tb_fe_add(&c->ypx, &p->y, &p->x);
	tb_fe_sub(&c->ymx, &p->y, &p->x);
	tb_fe_add(&c->z2, &p->z, &p->z);
	tb_fe_mul(&c->t2d, &p->t, d2);
}

/* r = p + q, or p - q when neg (add-2008-hwcd-3) */
static void
add(struct pt *r, const struct pt *p, const struct cpt *q, int neg)
{
	tb_fe a, b, c, d, e, f, g, h;

	tb_fe_sub(&a, &p->y, &p->x);
	tb_fe_add(&b, &p->y, &p->x);
	tb_fe_mul(&a, &a, neg ? &q->ypx : &q->ymx);
	tb_fe_mul(&b, &b, neg ? &q->ymx : &q->ypx);
	tb_fe_mul(&c, &p->t, &q->t2d);
	tb_fe_mul(&d, &p->z, &q->z2);
	tb_fe_sub(&e, &b, &a);
	tb_fe_add(&h, &b, &a);
	if (neg) {
		tb_fe_add(&f, &d, &c);
		tb_fe_sub(&g, &d, &c);
	} else {
		tb_fe_sub(&f, &d, &c);
		tb_fe_add(&g, &d, &c);
	}
	tb_fe_mul(&r->x, &e, &f);
	tb_fe_mul(&r->y, &g, &h);
	tb_fe_mul(&r->t, &e, &h);
	tb_fe_mul(&r->z, &f, &g);
}

/* r = 2p (dbl-2008-hwcd with a = -1, signs folded); p->t is not read */
static void
dbl(struct pt *r, const struct pt *p)
{
	tb_fe a, b, c, e, f, g, h;

	tb_fe_sq(&a, &p->x);
	tb_fe_sq(&b, &p->y);
	tb_fe_sq(&c, &p->z);
	tb_fe_add(&c, &c, &c);
	tb_fe_add(&h, &a, &b);
	tb_fe_add(&e, &p->x, &p->y);
	tb_fe_sq(&e, &e);
	tb_fe_sub(&e, &h, &e);
	tb_fe_sub(&g, &a, &b);
	tb_fe_add(&f, &c, &g);
	tb_fe_mul(&r->x, &e, &f);
	tb_fe_mul(&r->y, &g, &h);
	tb_fe_mul(&r->t, &e, &h);
	tb_fe_mul(&r->z, &f, &g);
}

/* the odd multiples P, 3P, ..., 15P, ready to add */
static void
table(struct cpt tab[8], const struct pt *p, const tb_fe *d2)
{
	struct pt p2, q;
	struct cpt c2;
	int i;

	dbl(&p2, p);
	cache(&c2, &p2, d2);
	q = *p;
	cache(&tab[0], &q, d2);
	for (i = 1; i < 8; i++) {
		add(&q, &q, &c2, 0);
		cache(&tab[i], &q, d2);
	}
}

/*
 * Width-5 NAF of a scalar below 2^253: n = sum r[i] 2^i with every
 * r[i] odd in [-15, 15] or zero, and at most one nonzero in any 5 in a row.
 */
static void
wnaf(int8_t r[256], const uint8_t s[32])
{
	uint64_t n[5] = { 0 };
	int i, j, dg;

	for (i = 0; i < 32; i++)
		n[i / 8] |= (uint64_t)s[i] << (8 * (i % 8));
	for (i = 0; i < 256; i++) {
		dg = 0;
		if (n[0] & 1) {
			dg = (int)(n[0] & 31);
			if (dg >= 16)
				dg -= 32;
			if (dg > 0) {
				n[0] -= (uint64_t)dg;	/* the low bits are dg: no borrow */
			} else {
				uint64_t c = (uint64_t)-dg;

				for (j = 0; j < 5 && c; j++) {
					n[j] += c;
					c = n[j] < c;
				}
			}
		}
		r[i] = (int8_t)dg;
		for (j = 0; j < 4; j++)
			n[j] = n[j] >> 1 | n[j + 1] << 63;
		n[4] >>= 1;
	}
}

/* s (little-endian) < L */
static int
below_order(const uint8_t s[32])
{
	uint64_t w;
	int i, j;

	for (i = 3; i >= 0; i--) {
		w = 0;
		for (j = 7; j >= 0; j--)
			w = w << 8 | s[8 * i + j];
		if (w != order[i])
			return w < order[i];
	}
	return 0;
}

/* out = the 64-byte little-endian h mod L, one bit at a time */
static void
reduce512(uint8_t out[32], const uint8_t h[64])
{
	uint64_t r[4] = { 0 }, b, t[4], borrow;
	int i, j, ge;

	for (i = 511; i >= 0; i--) {
		b = (uint64_t)(h[i >> 3] >> (i & 7)) & 1;
		/* r < L < 2^253, so 2r + b fits */
		for (j = 3; j > 0; j--)
			r[j] = r[j] << 1 | r[j - 1] >> 63;
		r[0] = r[0] << 1 | b;
		ge = 1;
		for (j = 3; j >= 0; j--)
			if (r[j] != order[j]) {
				ge = r[j] > order[j];
				break;
			}
		if (!ge)
			continue;
		borrow = 0;
		for (j = 0; j < 4; j++) {
			t[j] = r[j] - order[j] - borrow;
			borrow = (r[j] < order[j]) || (r[j] == order[j] && borrow);
		}
		memcpy(r, t, sizeof(r));
	}
	for (i = 0; i < 32; i++)
		out[i] = (uint8_t)(r[i / 8] >> (8 * (i % 8)));
}

int
tb_ed25519_point_reencode(uint8_t out[32], const uint8_t in[32])
{
	struct pt p;
	tb_fe d;

	tb_fe_frombytes(&d, d_bytes);
	if (decode(&p, in, &d) < 0)
		return -1;
	encode(out, &p);
	return 0;
}

int
tb_ed25519_verify(const uint8_t pub[32], const void *msg, size_t len,
    const uint8_t sig[64])
{
	struct pt a, b, r, t;
	struct cpt ta[8], tbase[8];
	tb_fe d, d2;
	tb_sha512_ctx hc;
	uint8_t h[64], k[32], enc[32];
	int8_t na[256], nb[256];
	int i;

	if (!below_order(sig + 32))
		return -1;			/* S >= L: malleable, refused */
	tb_fe_frombytes(&d, d_bytes);
	tb_fe_add(&d2, &d, &d);
	if (decode(&a, pub, &d) < 0 || decode(&b, base_bytes, &d) < 0)
		return -1;

	/* a public key of order 1, 2, 4 or 8: [8]A is the identity */
	dbl(&t, &a);
	dbl(&t, &t);
	dbl(&t, &t);
	if (tb_fe_iszero(&t.x) && fe_eq(&t.y, &t.z))
		return -1;

	/*
	 * R is not decoded: the encoding of [S]B - [k]A is compared with
	 * it byte for byte, and an encoding is canonical (y < p, no
	 * negative zero), so a non-canonical or invalid R never matches.
	 */
	tb_sha512_init(&hc);
	tb_sha512_update(&hc, sig, 32);
	tb_sha512_update(&hc, pub, 32);
	tb_sha512_update(&hc, msg, len);
	tb_sha512_final(&hc, h);
	reduce512(k, h);

	wnaf(na, k);
	wnaf(nb, sig + 32);
	table(ta, &a, &d2);
	table(tbase, &b, &d2);

	for (i = 255; i >= 0 && na[i] == 0 && nb[i] == 0; i--)
		;
	tb_fe_0(&r.x);
	tb_fe_1(&r.y);
	tb_fe_1(&r.z);
	tb_fe_0(&r.t);
	for (; i >= 0; i--) {
		dbl(&r, &r);
		if (nb[i] > 0)
			add(&r, &r, &tbase[nb[i] / 2], 0);
		else if (nb[i] < 0)
			add(&r, &r, &tbase[-nb[i] / 2], 1);
		/* minus [k]A: the digits of k with their signs turned */
		if (na[i] > 0)
			add(&r, &r, &ta[na[i] / 2], 1);
		else if (na[i] < 0)
			add(&r, &r, &ta[-na[i] / 2], 0);
	}
	encode(enc, &r);
	return memcmp(enc, sig, 32) == 0 ? 0 : -1;
}
