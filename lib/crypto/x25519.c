/*
 * crypto/x25519.c - X25519 (RFC 7748 section 5): the Montgomery ladder
 * on the u-coordinate, constant time in the scalar and the point.
 */
#include <string.h>

#include "crypto/c25519.h"
#include "crypto/ct.h"
#include "crypto/f25519.h"

int
tb_x25519(uint8_t out[32], const uint8_t scalar[32], const uint8_t point[32])
{
	uint8_t k[32];
	tb_fe x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d, da, cb;
	uint64_t swap = 0, bit;
	uint32_t acc = 0;
	int t, i;

	/* clamping (section 5): a multiple of the cofactor 8, bit 254 set */
	memcpy(k, scalar, 32);
	k[0] &= 248;
	k[31] &= 127;
	k[31] |= 64;

	tb_fe_frombytes(&x1, point);	/* top bit masked, u >= p taken mod p */
	tb_fe_1(&x2);
	tb_fe_0(&z2);
	x3 = x1;
	tb_fe_1(&z3);
	for (t = 254; t >= 0; t--) {
		bit = (uint64_t)(k[t >> 3] >> (t & 7)) & 1;
		swap ^= bit;
		tb_fe_cswap(&x2, &x3, swap);
		tb_fe_cswap(&z2, &z3, swap);
		swap = bit;

		tb_fe_add(&a, &x2, &z2);
		tb_fe_sq(&aa, &a);
		tb_fe_sub(&b, &x2, &z2);
		tb_fe_sq(&bb, &b);
		tb_fe_sub(&e, &aa, &bb);
		tb_fe_add(&c, &x3, &z3);
		tb_fe_sub(&d, &x3, &z3);
		tb_fe_mul(&da, &d, &a);
		tb_fe_mul(&cb, &c, &b);
		tb_fe_add(&x3, &da, &cb);
		tb_fe_sq(&x3, &x3);
		tb_fe_sub(&z3, &da, &cb);
		tb_fe_sq(&z3, &z3);
		tb_fe_mul(&z3, &z3, &x1);
		tb_fe_mul(&x2, &aa, &bb);
		tb_fe_mul_small(&z2, &e, 121665);	/* a24 = (486662 - 2) / 4 */
		tb_fe_add(&z2, &z2, &aa);
		tb_fe_mul(&z2, &z2, &e);
	}
	tb_fe_cswap(&x2, &x3, swap);
	tb_fe_cswap(&z2, &z3, swap);

	tb_fe_invert(&z2, &z2);
	tb_fe_mul(&x2, &x2, &z2);
	tb_fe_tobytes(out, &x2);

	tb_wipe(k, sizeof(k));
	tb_wipe(&x2, sizeof(x2));
	tb_wipe(&z2, sizeof(z2));
	tb_wipe(&x3, sizeof(x3));
	tb_wipe(&z3, sizeof(z3));
	tb_wipe(&a, sizeof(a));
	tb_wipe(&aa, sizeof(aa));
	tb_wipe(&b, sizeof(b));
	tb_wipe(&bb, sizeof(bb));
	tb_wipe(&e, sizeof(e));
	tb_wipe(&c, sizeof(c));
	tb_wipe(&d, sizeof(d));
	tb_wipe(&da, sizeof(da));
	tb_wipe(&cb, sizeof(cb));

	/* all zeros: the point had small order (section 6.1) */
	for (i = 0; i < 32; i++)
		acc |= out[i];
	return -(int)(((acc - 1) >> 8) & 1);
}

void
tb_x25519_base(uint8_t pub[32], const uint8_t scalar[32])
{
	static const uint8_t nine[32] = { 9 };

	/* a clamped scalar times the generator is never all zeros */
	(void)tb_x25519(pub, scalar, nine);
}
