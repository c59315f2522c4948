/*
 * ec.c - P-256 and P-384: ECDH (constant time) and ECDSA verification
 * (public data).  See crypto/ec.h for what is constant time and why.
 *
 * Numbers are little-endian arrays of 64-bit limbs, 4 for P-256 and 6
 * for P-384, always in arrays of ML limbs so that one engine serves both.
 * Field elements and scalars mod n live in Montgomery form (a R mod m,
 * R = 2^(64 nl)); every reduction is a subtraction chosen by a mask.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/ct.h"
#include "crypto/ec.h"

typedef uint64_t limb;
typedef unsigned __int128 dlimb;

#define ML 6

struct mod {
	int nl;			/* limbs in use */
	limb m0;		/* -m^-1 mod 2^64 */
	limb m[ML];		/* the modulus */
	limb rr[ML];		/* R^2 mod m: into Montgomery form */
	limb one[ML];		/* R mod m: 1 in Montgomery form */
};

struct curve {
	size_t len;		/* bytes of a coordinate or scalar */
	struct mod p, n;
	limb b[ML], gx[ML], gy[ML];	/* Montgomery form */
};

/* projective (X : Y : Z), x = X/Z, y = Y/Z; infinity is (0 : 1 : 0) */
struct pt {
	limb x[ML], y[ML], z[ML];
};

/*
 * The constants: FIPS 186-4 D.1.2.3 and D.1.2.4; the Montgomery forms and
 * -m^-1 computed from them (and checked by the vectors of the tests).
 */
static const struct curve p256 = {
	32,
	{ 4, 0x0000000000000001ULL,
	  { 0xffffffffffffffffULL, 0x00000000ffffffffULL, 0x0000000000000000ULL, 0xffffffff00000001ULL },
	  { 0x0000000000000003ULL, 0xfffffffbffffffffULL, 0xfffffffffffffffeULL, 0x00000004fffffffdULL },
	  { 0x0000000000000001ULL, 0xffffffff00000000ULL, 0xffffffffffffffffULL, 0x00000000fffffffeULL } },
	{ 4, 0xccd1c8aaee00bc4fULL,
	  { 0xf3b9cac2fc632551ULL, 0xbce6faada7179e84ULL, 0xffffffffffffffffULL, 0xffffffff00000000ULL },
	  { 0x83244c95be79eea2ULL, 0x4699799c49bd6fa6ULL, 0x2845b2392b6bec59ULL, 0x66e12d94f3d95620ULL },
	  { 0x0c46353d039cdaafULL, 0x4319055258e8617bULL, 0x0000000000000000ULL, 0x00000000ffffffffULL } },
	{ 0xd89cdf6229c4bddfULL, 0xacf005cd78843090ULL, 0xe5a220abf7212ed6ULL, 0xdc30061d04874834ULL },
	{ 0x79e730d418a9143cULL, 0x75ba95fc5fedb601ULL, 0x79fb732b77622510ULL, 0x18905f76a53755c6ULL },
	{ 0xddf25357ce95560aULL, 0x8b4ab8e4ba19e45cULL, 0xd2e88688dd21f325ULL, 0x8571ff1825885d85ULL },
};

static const struct curve p384 = {
	48,
	{ 6, 0x0000000100000001ULL,
	  { 0x00000000ffffffffULL, 0xffffffff00000000ULL, 0xfffffffffffffffeULL,
	    0xffffffffffffffffULL, 0xffffffffffffffffULL, 0xffffffffffffffffULL },
	  { 0xfffffffe00000001ULL, 0x0000000200000000ULL, 0xfffffffe00000000ULL,
	    0x0000000200000000ULL, 0x0000000000000001ULL, 0x0000000000000000ULL },
	  { 0xffffffff00000001ULL, 0x00000000ffffffffULL, 0x0000000000000001ULL,
	    0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL } },
	{ 6, 0x6ed46089e88fdc45ULL,
	  { 0xecec196accc52973ULL, 0x581a0db248b0a77aULL, 0xc7634d81f4372ddfULL,
	    0xffffffffffffffffULL, 0xffffffffffffffffULL, 0xffffffffffffffffULL },
	  { 0x2d319b2419b409a9ULL, 0xff3d81e5df1aa419ULL, 0xbc3e483afcb82947ULL,
	    0xd40d49174aab1cc5ULL, 0x3fb05b7a28266895ULL, 0x0c84ee012b39bf21ULL },
	  { 0x1313e695333ad68dULL, 0xa7e5f24db74f5885ULL, 0x389cb27e0bc8d220ULL,
	    0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL } },
	{ 0x081188719d412dccULL, 0xf729add87a4c32ecULL, 0x77f2209b1920022eULL,
	  0xe3374bee94938ae2ULL, 0xb62b21f41f022094ULL, 0xcd08114b604fbff9ULL },
	{ 0x3dd0756649c0b528ULL, 0x20e378e2a0d6ce38ULL, 0x879c3afc541b4d6eULL,
	  0x6454868459a30effULL, 0x812ff723614ede2bULL, 0x4d3aadc2299e1513ULL },
	{ 0x23043dad4b03a4feULL, 0xa1bfa8bf7bb4a9acULL, 0x8bade7562e83b050ULL,
	  0xc6c3521968f4ffd9ULL, 0xdd8002263969a840ULL, 0x2b78abc25a15c5e9ULL },
};

static const struct curve *
curve_of(int curve)
{
	if (curve == TB_EC_P256)
		return &p256;
	if (curve == TB_EC_P384)
		return &p384;
	return NULL;
}

size_t
tb_ec_len(int curve)
{
	const struct curve *c = curve_of(curve);

	return c ? c->len : 0;
}

/* ---- multi-precision and modular arithmetic, constant time ---- */

/*
 * The field operations are written once for any limb count nl and
 * instantiated for 4 and 6 limbs, where nl is a constant the compiler
 * unrolls by (three times the speed of a loop over m->nl).
 */
#define INLINE static inline __attribute__((always_inline))
#ifdef __OPTIMIZE_SIZE__
#define UNROLL
#else
#define UNROLL _Pragma("GCC unroll 8")
#endif

/* t (with carry hi, 0 or 1) is below 2m: r = t - m if t >= m, else t */
INLINE void
csub_n(const struct mod *m, limb *r, const limb *t, limb hi, const int nl)
{
	limb d[ML] = { 0 }, bw = 0, mask;
	dlimb uv;
	int j;

	UNROLL
	for (j = 0; j < nl; j++) {
		uv = (dlimb)t[j] - m->m[j] - bw;
		d[j] = (limb)uv;
		bw = (limb)(uv >> 64) & 1;
	}
	/* keep d when there was a carry out or no borrow */
	mask = (limb)0 - (hi | (bw ^ 1));
	UNROLL
	for (j = 0; j < nl; j++)
		r[j] = (d[j] & mask) | (t[j] & ~mask);
}

/* r = a b R^-1 mod m (CIOS); a and b below m; r may alias either */
INLINE void
mmul_n(const struct mod *m, limb *r, const limb *a, const limb *b, const int nl)
{
	limb t[ML + 2], c, q;
	dlimb uv;
	int i, j;

	UNROLL
	for (j = 0; j < nl + 2; j++)
		t[j] = 0;
	UNROLL
	for (i = 0; i < nl; i++) {
		c = 0;
		UNROLL
		for (j = 0; j < nl; j++) {
			uv = (dlimb)a[j] * b[i] + t[j] + c;
			t[j] = (limb)uv;
			c = (limb)(uv >> 64);
		}
		uv = (dlimb)t[nl] + c;
		t[nl] = (limb)uv;
		t[nl + 1] = (limb)(uv >> 64);
		q = t[0] * m->m0;
		uv = (dlimb)q * m->m[0] + t[0];
		c = (limb)(uv >> 64);
		UNROLL
		for (j = 1; j < nl; j++) {
			uv = (dlimb)q * m->m[j] + t[j] + c;
			t[j - 1] = (limb)uv;
			c = (limb)(uv >> 64);
		}
		uv = (dlimb)t[nl] + c;
		t[nl - 1] = (limb)uv;
		t[nl] = t[nl + 1] + (limb)(uv >> 64);
	}
	csub_n(m, r, t, t[nl], nl);
}

INLINE void
madd_n(const struct mod *m, limb *r, const limb *a, const limb *b, const int nl)
{
	limb t[ML], c = 0;
	dlimb uv;
	int j;

	UNROLL
	for (j = 0; j < nl; j++) {
		uv = (dlimb)a[j] + b[j] + c;
		t[j] = (limb)uv;
		c = (limb)(uv >> 64);
	}
	csub_n(m, r, t, c, nl);
}

INLINE void
msub_n(const struct mod *m, limb *r, const limb *a, const limb *b, const int nl)
{
	limb t[ML], bw = 0, c = 0, mask;
	dlimb uv;
	int j;

	UNROLL
	for (j = 0; j < nl; j++) {
		uv = (dlimb)a[j] - b[j] - bw;
		t[j] = (limb)uv;
		bw = (limb)(uv >> 64) & 1;
	}
	mask = (limb)0 - bw;	/* add m back after a borrow */
	UNROLL
	for (j = 0; j < nl; j++) {
		uv = (dlimb)t[j] + (m->m[j] & mask) + c;
		r[j] = (limb)uv;
		c = (limb)(uv >> 64);
	}
}

#ifdef __OPTIMIZE_SIZE__
/*
 * The size build (-Os, -Oz): one copy of each operation, looping over
 * m->nl, at about a third of the speed and a sixth of the code.
 */
static void
mmul(const struct mod *m, limb *r, const limb *a, const limb *b)
{
	mmul_n(m, r, a, b, m->nl);
}

static void
madd(const struct mod *m, limb *r, const limb *a, const limb *b)
{
	madd_n(m, r, a, b, m->nl);
}

static void
msub(const struct mod *m, limb *r, const limb *a, const limb *b)
{
	msub_n(m, r, a, b, m->nl);
}
#else
#define INSTANCE(op, n) \
	static void op##n(const struct mod *m, limb *r, const limb *a, const limb *b) \
	{ op##_n(m, r, a, b, n); }
INSTANCE(mmul, 4)
INSTANCE(mmul, 6)
INSTANCE(madd, 4)
INSTANCE(madd, 6)
INSTANCE(msub, 4)
INSTANCE(msub, 6)

/*
 * The fields themselves, with the modulus a constant: the compiler folds
 * its limbs (for P-256, -p^-1 = 1 and the limbs 0 and 2^64 - 1 take no
 * multiplication), which is most of the time of a scalar multiplication.
 */
#define FIELD(op, name, c, n) \
	static void op##_##name(limb *r, const limb *a, const limb *b) \
	{ op##_n(&c.p, r, a, b, n); }
FIELD(mmul, p256, p256, 4)
FIELD(mmul, p384, p384, 6)
FIELD(madd, p256, p256, 4)
FIELD(madd, p384, p384, 6)
FIELD(msub, p256, p256, 4)
FIELD(msub, p384, p384, 6)

/* the branches are on the curve, which is public */
INLINE void
mmul(const struct mod *m, limb *r, const limb *a, const limb *b)
{
	if (m == &p256.p)
		mmul_p256(r, a, b);
	else if (m == &p384.p)
		mmul_p384(r, a, b);
	else if (m->nl == 4)
		mmul4(m, r, a, b);
	else
		mmul6(m, r, a, b);
}

INLINE void
madd(const struct mod *m, limb *r, const limb *a, const limb *b)
{
	if (m == &p256.p)
		madd_p256(r, a, b);
	else if (m == &p384.p)
		madd_p384(r, a, b);
	else if (m->nl == 4)
		madd4(m, r, a, b);
	else
		madd6(m, r, a, b);
}

INLINE void
msub(const struct mod *m, limb *r, const limb *a, const limb *b)
{
	if (m == &p256.p)
		msub_p256(r, a, b);
	else if (m == &p384.p)
		msub_p384(r, a, b);
	else if (m->nl == 4)
		msub4(m, r, a, b);
	else
		msub6(m, r, a, b);
}

#endif

/* t < 2m: t mod m (public or secret; no branch) */
static void
csub(const struct mod *m, limb *r, const limb *t)
{
	csub_n(m, r, t, 0, m->nl);
}

/*
 * r = a^-1 (0 for 0), both in Montgomery form: a^(m-2) by a fixed 4-bit
 * window.  The exponent is public, so its digits may pick the table
 * entry; the base is not, and nothing depends on it.
 */
static void
minv(const struct mod *m, limb *r, const limb *a)
{
	limb tab[16][ML], acc[ML], e[ML];
	int i, j, d;

	memcpy(tab[0], m->one, sizeof(tab[0]));
	memcpy(tab[1], a, sizeof(tab[1]));
	for (i = 2; i < 16; i++)
		mmul(m, tab[i], tab[i - 1], a);
	memcpy(e, m->m, sizeof(e));
	e[0] -= 2;		/* no borrow: every modulus here is odd and > 2 in limb 0 */
	memcpy(acc, m->one, sizeof(acc));
	for (i = 64 * m->nl - 4; i >= 0; i -= 4) {
		for (j = 0; j < 4; j++)
			mmul(m, acc, acc, acc);
		d = (int)(e[i / 64] >> (i % 64)) & 15;
		mmul(m, acc, acc, tab[d]);
	}
	memcpy(r, acc, sizeof(acc));
	tb_wipe(tab, sizeof(tab));
	tb_wipe(acc, sizeof(acc));
}

/* big-endian bytes (m->nl * 8 of them) to limbs */
static void
from_bytes(limb *r, const uint8_t *s, int nl)
{
	int i, j;

	memset(r, 0, ML * sizeof(limb));
	for (i = 0; i < nl; i++)
		for (j = 0; j < 8; j++)
			r[i] |= (limb)s[8 * (nl - 1 - i) + 7 - j] << (8 * j);
}

static void
to_bytes(uint8_t *s, const limb *a, int nl)
{
	int i, j;

	for (i = 0; i < nl; i++)
		for (j = 0; j < 8; j++)
			s[8 * (nl - 1 - i) + 7 - j] = (uint8_t)(a[i] >> (8 * j));
}

/* 1 if a < b, else 0, without a branch */
static limb
lt(const limb *a, const limb *b, int nl)
{
	limb bw = 0;
	dlimb uv;
	int j;

	for (j = 0; j < nl; j++) {
		uv = (dlimb)a[j] - b[j] - bw;
		bw = (limb)(uv >> 64) & 1;
	}
	return bw;
}

/* 1 if a is zero, else 0, without a branch */
static limb
iszero(const limb *a, int nl)
{
	limb x = 0;
	int j;

	for (j = 0; j < nl; j++)
		x |= a[j];
	return 1 ^ ((x | ((limb)0 - x)) >> 63);
}

/* out of Montgomery form */
static void
from_mont(const struct mod *m, limb *r, const limb *a)
{
	limb one[ML] = { 1 };

	mmul(m, r, a, one);
}

/* ---- points: complete formulas, Renes-Costello-Batina 2016, a = -3 ---- */

/* r = p + q (algorithm 4); any of them may alias */
static void
pt_add(const struct curve *c, struct pt *r, const struct pt *p, const struct pt *q)
{
	const struct mod *f = &c->p;
	limb t0[ML], t1[ML], t2[ML], t3[ML], t4[ML], x3[ML], y3[ML], z3[ML];

	mmul(f, t0, p->x, q->x);
	mmul(f, t1, p->y, q->y);
	mmul(f, t2, p->z, q->z);
	madd(f, t3, p->x, p->y);
	madd(f, t4, q->x, q->y);
	mmul(f, t3, t3, t4);
	madd(f, t4, t0, t1);
	msub(f, t3, t3, t4);
	madd(f, t4, p->y, p->z);
	madd(f, x3, q->y, q->z);
	mmul(f, t4, t4, x3);
	madd(f, x3, t1, t2);
	msub(f, t4, t4, x3);
	madd(f, x3, p->x, p->z);
	madd(f, y3, q->x, q->z);
	mmul(f, x3, x3, y3);
	madd(f, y3, t0, t2);
	msub(f, y3, x3, y3);
	mmul(f, z3, c->b, t2);
	msub(f, x3, y3, z3);
	madd(f, z3, x3, x3);
	madd(f, x3, x3, z3);
	msub(f, z3, t1, x3);
	madd(f, x3, t1, x3);
	mmul(f, y3, c->b, y3);
	madd(f, t1, t2, t2);
	madd(f, t2, t1, t2);
	msub(f, y3, y3, t2);
	msub(f, y3, y3, t0);
	madd(f, t1, y3, y3);
	madd(f, y3, t1, y3);
	madd(f, t1, t0, t0);
	madd(f, t0, t1, t0);
	msub(f, t0, t0, t2);
	mmul(f, t1, t4, y3);
	mmul(f, t2, t0, y3);
	mmul(f, y3, x3, z3);
	madd(f, y3, y3, t2);
	mmul(f, x3, t3, x3);
	msub(f, x3, x3, t1);
	mmul(f, z3, t4, z3);
	mmul(f, t1, t3, t0);
	madd(f, z3, z3, t1);
	memcpy(r->x, x3, sizeof(x3));
	memcpy(r->y, y3, sizeof(y3));
	memcpy(r->z, z3, sizeof(z3));
}

#ifdef __OPTIMIZE_SIZE__
/* the size build: the addition is complete, so it doubles too (900 bytes less) */
static void
pt_dbl(const struct curve *c, struct pt *r, const struct pt *p)
{
	pt_add(c, r, p, p);
}
#else
/* r = 2p (algorithm 6); r may alias p */
static void
pt_dbl(const struct curve *c, struct pt *r, const struct pt *p)
{
	const struct mod *f = &c->p;
	limb t0[ML], t1[ML], t2[ML], t3[ML], x3[ML], y3[ML], z3[ML];

	mmul(f, t0, p->x, p->x);
	mmul(f, t1, p->y, p->y);
	mmul(f, t2, p->z, p->z);
	mmul(f, t3, p->x, p->y);
	madd(f, t3, t3, t3);
	mmul(f, z3, p->x, p->z);
	madd(f, z3, z3, z3);
	mmul(f, y3, c->b, t2);
	msub(f, y3, y3, z3);
	madd(f, x3, y3, y3);
	madd(f, y3, x3, y3);
	msub(f, x3, t1, y3);
	madd(f, y3, t1, y3);
	mmul(f, y3, x3, y3);
	mmul(f, x3, x3, t3);
	madd(f, t3, t2, t2);
	madd(f, t2, t2, t3);
	mmul(f, z3, c->b, z3);
	msub(f, z3, z3, t2);
	msub(f, z3, z3, t0);
	madd(f, t3, z3, z3);
	madd(f, z3, z3, t3);
	madd(f, t3, t0, t0);
	madd(f, t0, t3, t0);
	msub(f, t0, t0, t2);
	mmul(f, t0, t0, z3);
	madd(f, y3, y3, t0);
	mmul(f, t0, p->y, p->z);
	madd(f, t0, t0, t0);
	mmul(f, z3, t0, z3);
	msub(f, x3, x3, z3);
	mmul(f, z3, t0, t1);
	madd(f, z3, z3, z3);
	madd(f, z3, z3, z3);
	memcpy(r->x, x3, sizeof(x3));
	memcpy(r->y, y3, sizeof(y3));
	memcpy(r->z, z3, sizeof(z3));
}
#endif

static void
pt_inf(const struct curve *c, struct pt *r)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->y, c->p.one, sizeof(r->y));
}

/* affine x and y (Montgomery form) of p; (0, 0) for infinity */
static void
pt_affine(const struct curve *c, limb *x, limb *y, const struct pt *p)
{
	limb zi[ML];

	minv(&c->p, zi, p->z);
	mmul(&c->p, x, p->x, zi);
	if (y != NULL)
		mmul(&c->p, y, p->y, zi);
	tb_wipe(zi, sizeof(zi));
}

/* 1 if affine (x, y), Montgomery form, is on the curve, else 0 */
static limb
on_curve(const struct curve *c, const limb *x, const limb *y)
{
	const struct mod *f = &c->p;
	limb l[ML], r[ML], t[ML];

	mmul(f, l, y, y);
	mmul(f, r, x, x);
	mmul(f, r, r, x);
	madd(f, t, x, x);
	madd(f, t, t, x);
	msub(f, r, r, t);
	madd(f, r, r, c->b);
	msub(f, t, l, r);
	return iszero(t, f->nl);
}

/*
 * An uncompressed point (public): 0 and p set, or -1 for a wrong length
 * or prefix, a coordinate >= p, or a point off the curve.  Infinity has
 * no uncompressed encoding, and every point on these curves (cofactor 1)
 * is in the group of order n.
 */
static int
pt_decode(const struct curve *c, struct pt *p, const uint8_t *s, size_t len)
{
	const struct mod *f = &c->p;

	if (len != 1 + 2 * c->len || s[0] != 0x04)
		return -1;
	from_bytes(p->x, s + 1, f->nl);
	from_bytes(p->y, s + 1 + c->len, f->nl);
	if (!lt(p->x, f->m, f->nl) || !lt(p->y, f->m, f->nl))
		return -1;
	mmul(f, p->x, p->x, f->rr);
	mmul(f, p->y, p->y, f->rr);
	memcpy(p->z, f->one, sizeof(p->z));
	return on_curve(c, p->x, p->y) ? 0 : -1;
}

int
tb_ec_point_check(int curve, const uint8_t *pub, size_t publen)
{
	const struct curve *c = curve_of(curve);
	struct pt p;

	if (c == NULL)
		return -1;
	return pt_decode(c, &p, pub, publen);
}

/* ---- ECDH: constant time in the scalar ---- */

/*
 * A zero the compiler cannot see through.  Seeing that the mask below is
 * all ones or zero, clang -Os and -Oz made "s & mask" a branch between s
 * and 0 (ct_ec caught it); mask ^ opaque_zero could be any value, so the
 * AND has to stay an AND.
 */
static volatile limb opaque_zero;

/* r = tab[d] for a secret d in 0..15: read every entry, keep one by mask */
static void
pt_select(struct pt *r, const struct pt tab[16], unsigned d)
{
	limb mask, *o = (limb *)r;
	const limb *s;
	size_t i, j, n = sizeof(*r) / sizeof(limb);

	memset(r, 0, sizeof(*r));
	for (i = 0; i < 16; i++) {
		mask = ((limb)0 - ((((limb)(i ^ d)) - 1) >> 63)) ^ opaque_zero;
		s = (const limb *)&tab[i];
		for (j = 0; j < n; j++)
			o[j] |= s[j] & mask;
	}
}

/* r = k p, k big-endian of c->len bytes: a fixed 4-bit window, top down */
static void
mul_ct(const struct curve *c, struct pt *r, const struct pt *p, const uint8_t *k)
{
	struct pt tab[16], t;
	size_t i;
	unsigned d;

	pt_inf(c, &tab[0]);
	tab[1] = *p;
	for (i = 2; i < 16; i++) {
		if (i % 2 == 0)
			pt_dbl(c, &tab[i], &tab[i / 2]);
		else
			pt_add(c, &tab[i], &tab[i - 1], p);
	}
	pt_inf(c, r);
	for (i = 0; i < 2 * c->len; i++) {
		if (i > 0) {
			pt_dbl(c, r, r);
			pt_dbl(c, r, r);
			pt_dbl(c, r, r);
			pt_dbl(c, r, r);
		}
		d = (k[i / 2] >> (i % 2 ? 0 : 4)) & 15;
		pt_select(&t, tab, d);
		pt_add(c, r, r, &t);
	}
	tb_wipe(tab, sizeof(tab));
	tb_wipe(&t, sizeof(t));
}

/* 1 if the scalar k is in [1, n-1], else 0, without a branch */
static limb
scalar_ok(const struct curve *c, const uint8_t *k)
{
	limb s[ML], ok;

	from_bytes(s, k, c->n.nl);
	ok = lt(s, c->n.m, c->n.nl) & (iszero(s, c->n.nl) ^ 1);
	tb_wipe(s, sizeof(s));
	return ok;
}

/*
 * out = the X (and Y when outy is not NULL) of k p, each c->len bytes;
 * every byte zero unless ok.  Returns 0 or -1, computed without a branch
 * on k, so that only the caller's test of it is a branch.
 */
static int
mul_out(const struct curve *c, uint8_t *outx, uint8_t *outy, const struct pt *p,
    const uint8_t *k)
{
	struct pt r;
	limb x[ML], y[ML], ok;
	uint8_t mask;
	size_t i;

	ok = scalar_ok(c, k);
	mul_ct(c, &r, p, k);
	ok &= iszero(r.z, c->p.nl) ^ 1;
	pt_affine(c, x, y, &r);
	from_mont(&c->p, x, x);
	from_mont(&c->p, y, y);
	mask = (uint8_t)(0 - ok);
	to_bytes(outx, x, c->p.nl);
	for (i = 0; i < c->len; i++)
		outx[i] &= mask;
	if (outy != NULL) {
		to_bytes(outy, y, c->p.nl);
		for (i = 0; i < c->len; i++)
			outy[i] &= mask;
	}
	tb_wipe(&r, sizeof(r));
	tb_wipe(x, sizeof(x));
	tb_wipe(y, sizeof(y));
	return (int)ok - 1;
}

static int
pubkey(const struct curve *c, uint8_t *pub, const uint8_t *priv)
{
	struct pt g;
	int ret;

	memcpy(g.x, c->gx, sizeof(g.x));
	memcpy(g.y, c->gy, sizeof(g.y));
	memcpy(g.z, c->p.one, sizeof(g.z));
	ret = mul_out(c, pub + 1, pub + 1 + c->len, &g, priv);
	pub[0] = (uint8_t)(0x04 & ~(unsigned)ret);	/* 0 with the rest */
	return ret;
}

static int
ecdh(const struct curve *c, uint8_t *shared, const uint8_t *priv,
    const uint8_t *peer, size_t peerlen)
{
	struct pt q;

	if (pt_decode(c, &q, peer, peerlen) < 0) {
		memset(shared, 0, c->len);
		return -1;
	}
	return mul_out(c, shared, NULL, &q, priv);
}

int
tb_p256_pubkey(uint8_t pub[65], const uint8_t priv[32])
{
	return pubkey(&p256, pub, priv);
}

int
tb_p384_pubkey(uint8_t pub[97], const uint8_t priv[48])
{
	return pubkey(&p384, pub, priv);
}

int
tb_p256_ecdh(uint8_t shared[32], const uint8_t priv[32], const uint8_t *peer,
    size_t peerlen)
{
	return ecdh(&p256, shared, priv, peer, peerlen);
}

int
tb_p384_ecdh(uint8_t shared[48], const uint8_t priv[48], const uint8_t *peer,
    size_t peerlen)
{
	return ecdh(&p384, shared, priv, peer, peerlen);
}

/* ---- ECDSA verification: public data, variable time ---- */

#define NAFW 5			/* odd multiples 1, 3, ..., 15 */

/*
 * The width-5 NAF of k: digits odd in -15..15 or 0, no two non-zero
 * within 5 places, least significant first.  Returns how many.
 */
static int
wnaf(signed char *out, const limb *k0, int nl)
{
	limb k[ML + 1], c;
	int i, j, n = 0;
	long d;

	memcpy(k, k0, nl * sizeof(limb));
	k[nl] = 0;
	while (!iszero(k, nl + 1)) {
		d = 0;
		if (k[0] & 1) {
			d = (long)(k[0] & 31);
			if (d > 15)
				d -= 32;
			/* k -= d: clears the low 5 bits */
			if (d > 0) {
				c = k[0] < (limb)d;
				k[0] -= (limb)d;
				for (j = 1; c && j <= nl; j++)
					c = k[j]-- == 0;
			} else {
				k[0] += (limb)-d;
				c = k[0] < (limb)-d;
				for (j = 1; c && j <= nl; j++)
					c = ++k[j] == 0;
			}
		}
		out[n++] = (signed char)d;
		for (i = 0; i < nl; i++)
			k[i] = k[i] >> 1 | k[i + 1] << 63;
		k[nl] >>= 1;
	}
	return n;
}

/*
 * Verification works in Jacobian coordinates, x = X/Z^2, y = Y/Z^3
 * (infinity: Z = 0), whose doubling costs 8 multiplications to the
 * complete formula's 13: everything here is public, so the exceptional
 * cases of the addition may be branches.
 */

/* r = 2p (dbl-2001-b, a = -3); r may alias p */
static void
jdbl(const struct curve *c, struct pt *r, const struct pt *p)
{
	const struct mod *f = &c->p;
	limb d[ML], g[ML], b[ML], a[ML], t[ML];

	mmul(f, d, p->z, p->z);		/* delta = Z^2 */
	mmul(f, g, p->y, p->y);		/* gamma = Y^2 */
	mmul(f, b, p->x, g);		/* beta = X gamma */
	msub(f, t, p->x, d);
	madd(f, a, p->x, d);
	mmul(f, a, a, t);
	madd(f, t, a, a);
	madd(f, a, a, t);		/* alpha = 3 (X - delta)(X + delta) */
	madd(f, t, p->y, p->z);
	mmul(f, t, t, t);
	msub(f, t, t, g);
	msub(f, r->z, t, d);		/* Z3 = (Y + Z)^2 - gamma - delta */
	madd(f, b, b, b);
	madd(f, b, b, b);		/* 4 beta */
	mmul(f, t, a, a);
	msub(f, t, t, b);
	msub(f, r->x, t, b);		/* X3 = alpha^2 - 8 beta */
	msub(f, b, b, r->x);
	mmul(f, b, a, b);
	mmul(f, g, g, g);
	madd(f, g, g, g);
	madd(f, g, g, g);
	madd(f, g, g, g);
	msub(f, r->y, b, g);		/* Y3 = alpha (4 beta - X3) - 8 gamma^2 */
}

/* r = p + q (add-2007-bl, with its exceptions); r may alias p or q */
static void
jadd(const struct curve *c, struct pt *r, const struct pt *p, const struct pt *q)
{
	const struct mod *f = &c->p;
	limb z1z1[ML], z2z2[ML], u1[ML], u2[ML], s1[ML], s2[ML], h[ML];
	limb i[ML], j[ML], rr[ML], v[ML], t[ML];
	int nl = f->nl;

	if (iszero(p->z, nl)) {
		*r = *q;
		return;
	}
	if (iszero(q->z, nl)) {
		*r = *p;
		return;
	}
	mmul(f, z1z1, p->z, p->z);
	mmul(f, z2z2, q->z, q->z);
	mmul(f, u1, p->x, z2z2);
	mmul(f, u2, q->x, z1z1);
	mmul(f, s1, p->y, q->z);
	mmul(f, s1, s1, z2z2);
	mmul(f, s2, q->y, p->z);
	mmul(f, s2, s2, z1z1);
	msub(f, h, u2, u1);
	msub(f, rr, s2, s1);
	if (iszero(h, nl)) {
		if (iszero(rr, nl))
			jdbl(c, r, p);		/* p = q */
		else
			pt_inf(c, r);		/* p = -q */
		return;
	}
	madd(f, rr, rr, rr);
	madd(f, i, h, h);
	mmul(f, i, i, i);		/* I = (2H)^2 */
	mmul(f, j, h, i);		/* J = H I */
	mmul(f, v, u1, i);		/* V = U1 I */
	mmul(f, t, p->z, q->z);
	mmul(f, t, t, h);
	madd(f, r->z, t, t);		/* Z3 = 2 Z1 Z2 H */
	mmul(f, t, rr, rr);
	msub(f, t, t, j);
	msub(f, t, t, v);
	msub(f, r->x, t, v);		/* X3 = rr^2 - J - 2V */
	msub(f, t, v, r->x);
	mmul(f, t, rr, t);
	mmul(f, s1, s1, j);
	madd(f, s1, s1, s1);
	msub(f, r->y, t, s1);		/* Y3 = rr (V - X3) - 2 S1 J */
}

/* tab = p, 3p, 5p, ..., 15p */
static void
odd_multiples(const struct curve *c, struct pt tab[8], const struct pt *p)
{
	struct pt p2;
	int i;

	tab[0] = *p;
	jdbl(c, &p2, p);
	for (i = 1; i < 8; i++)
		jadd(c, &tab[i], &tab[i - 1], &p2);
}

static void
add_digit(const struct curve *c, struct pt *r, const struct pt tab[8], int d)
{
	struct pt t;

	if (d > 0) {
		jadd(c, r, r, &tab[d / 2]);
	} else if (d < 0) {
		limb zero[ML] = { 0 };

		t = tab[-d / 2];
		msub(&c->p, t.y, zero, t.y);	/* -y */
		jadd(c, r, r, &t);
	}
}

static int
verify(const struct curve *c, const uint8_t *pub, size_t publen,
    const uint8_t *hash, size_t hashlen, const uint8_t *rs)
{
	const struct mod *n = &c->n, *f = &c->p;
	struct pt q, acc, tg[8], tq[8], g;
	limb r[ML], s[ML], e[ML], w[ML], u1[ML], u2[ML], z2[ML], t[ML];
	signed char n1[64 * ML + 1], n2[64 * ML + 1];
	uint8_t eb[TB_EC_LEN_MAX];
	int i, l1, l2, started = 0;
	limb c1;
	dlimb uv;

	if (pt_decode(c, &q, pub, publen) < 0)
		return -1;
	from_bytes(r, rs, n->nl);
	from_bytes(s, rs + c->len, n->nl);
	if (iszero(r, n->nl) || !lt(r, n->m, n->nl) ||
	    iszero(s, n->nl) || !lt(s, n->m, n->nl))
		return -1;
	/*
	 * e: the leftmost bits of the digest, as many as n has; both orders
	 * here have a whole number of bytes, so this is a cut at a byte.
	 * e < 2^bits < 2n: one subtraction reduces it.
	 */
	memset(eb, 0, sizeof(eb));
	if (hashlen >= c->len)
		memcpy(eb, hash, c->len);
	else if (hashlen > 0)
		memcpy(eb + c->len - hashlen, hash, hashlen);
	from_bytes(e, eb, n->nl);
	csub(n, e, e);

	mmul(n, w, s, n->rr);		/* s R */
	minv(n, w, w);			/* s^-1 R */
	mmul(n, u1, e, w);		/* e s^-1 */
	mmul(n, u2, r, w);		/* r s^-1 */

	memcpy(g.x, c->gx, sizeof(g.x));
	memcpy(g.y, c->gy, sizeof(g.y));
	memcpy(g.z, c->p.one, sizeof(g.z));
	odd_multiples(c, tg, &g);
	odd_multiples(c, tq, &q);
	l1 = wnaf(n1, u1, n->nl);
	l2 = wnaf(n2, u2, n->nl);
	pt_inf(c, &acc);
	for (i = (l1 > l2 ? l1 : l2) - 1; i >= 0; i--) {
		if (started)
			jdbl(c, &acc, &acc);
		if (i < l1 && n1[i] != 0) {
			add_digit(c, &acc, tg, n1[i]);
			started = 1;
		}
		if (i < l2 && n2[i] != 0) {
			add_digit(c, &acc, tq, n2[i]);
			started = 1;
		}
	}
	if (iszero(acc.z, f->nl))
		return -1;
	/*
	 * x mod n == r without inverting Z: x = X/Z^2 is below p < 2n, so
	 * x mod n == r means x == r or x == r + n (when that is below p),
	 * that is X == r Z^2 or X == (r + n) Z^2.
	 */
	mmul(f, z2, acc.z, acc.z);
	mmul(f, t, r, f->rr);
	mmul(f, t, t, z2);
	if (memcmp(t, acc.x, sizeof(limb) * f->nl) == 0)
		return 0;
	c1 = 0;
	for (i = 0; i < n->nl; i++) {
		uv = (dlimb)r[i] + n->m[i] + c1;
		r[i] = (limb)uv;
		c1 = (limb)(uv >> 64);
	}
	if (c1 || !lt(r, f->m, f->nl))
		return -1;
	mmul(f, t, r, f->rr);
	mmul(f, t, t, z2);
	return memcmp(t, acc.x, sizeof(limb) * f->nl) == 0 ? 0 : -1;
}

int
tb_ecdsa_verify_raw(int curve, const uint8_t *pub, size_t publen,
    const uint8_t *hash, size_t hashlen, const uint8_t *rs, size_t rslen)
{
	const struct curve *c = curve_of(curve);

	if (c == NULL || rslen != 2 * c->len)
		return -1;
	return verify(c, pub, publen, hash, hashlen, rs);
}

int
tb_ecdsa_verify(int curve, const uint8_t *pub, size_t publen,
    const uint8_t *hash, size_t hashlen, const uint8_t *sig, size_t siglen)
{
	const struct curve *c = curve_of(curve);
	uint8_t rs[2 * TB_EC_LEN_MAX];

	if (c == NULL || tb_ecdsa_sig_parse(rs, c->len, sig, siglen) < 0)
		return -1;
	return verify(c, pub, publen, hash, hashlen, rs);
}

/* ---- the DER of ECDSA-Sig-Value (RFC 3279 2.2.3, X.690 DER) ---- */

/*
 * One INTEGER at *pp, before end, into out[len] left-padded with zeros.
 * No INTEGER of a curve here is 128 bytes or more, so a long-form length
 * is never the minimal one and is refused.
 */
static int
der_int(uint8_t *out, size_t len, const uint8_t **pp, const uint8_t *end)
{
	const uint8_t *p = *pp;
	size_t n;

	if (end - p < 2 || p[0] != 0x02 || p[1] >= 0x80)
		return -1;
	n = p[1];
	p += 2;
	if (n == 0 || n > (size_t)(end - p))
		return -1;
	*pp = p + n;
	if (p[0] & 0x80)
		return -1;		/* negative */
	if (n > 1 && p[0] == 0 && !(p[1] & 0x80))
		return -1;		/* a zero byte that was not needed */
	if (n > 1 && p[0] == 0) {
		p++;
		n--;
	}
	if (n > len)
		return -1;
	memset(out, 0, len - n);
	memcpy(out + len - n, p, n);
	return 0;
}

int
tb_ecdsa_sig_parse(uint8_t *rs, size_t len, const uint8_t *der, size_t derlen)
{
	const uint8_t *p = der, *end = der + derlen;

	if (len == 0 || len > TB_EC_LEN_MAX)
		return -1;
	if (derlen < 2 || der[0] != 0x30 || der[1] >= 0x80 ||
	    (size_t)der[1] != derlen - 2)
		return -1;
	p += 2;
	if (der_int(rs, len, &p, end) < 0 ||
	    der_int(rs + len, len, &p, end) < 0 || p != end)
		return -1;
	return 0;
}

static size_t
der_put_int(uint8_t *out, const uint8_t *v, size_t len)
{
	size_t i = 0, n, pad;

	while (i + 1 < len && v[i] == 0)
		i++;
	n = len - i;
	pad = v[i] >> 7;
	out[0] = 0x02;
	out[1] = (uint8_t)(n + pad);
	out[2] = 0;
	memcpy(out + 2 + pad, v + i, n);
	return 2 + pad + n;
}

size_t
tb_ecdsa_sig_der(uint8_t *out, const uint8_t *rs, size_t len)
{
	size_t n;

	if (len == 0 || len > TB_EC_LEN_MAX)
		return 0;
	n = der_put_int(out + 2, rs, len);
	n += der_put_int(out + 2 + n, rs + len, len);
	out[0] = 0x30;
	out[1] = (uint8_t)n;
	return 2 + n;
}
