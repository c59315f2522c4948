/*
 * crypto/bn.h - fixed-capacity unsigned integers for RSA verification:
 * little-endian arrays of 64-bit limbs, at most TB_BN_LIMBS of them (8192
 * bits), Montgomery multiplication (CIOS, with unsigned __int128) and
 * exponentiation by a public exponent.  No allocation: every number is a
 * caller's array of TB_BN_LIMBS limbs.
 *
 * NOT constant time: it branches on the values and on the exponent's bits.
 * It is for public data only (public keys, signatures); never pass it a
 * secret.
 */
#ifndef TUBES_CRYPTO_BN_H
#define TUBES_CRYPTO_BN_H

#include <stddef.h>
#include <stdint.h>

#define TB_BN_MAXBITS 8192
#define TB_BN_LIMBS   (TB_BN_MAXBITS / 64)

/* a modulus ready for Montgomery arithmetic, R = 2^(64 nl) */
struct tb_mont {
	size_t nl;			/* limbs in use, 1..TB_BN_LIMBS */
	uint64_t n0;			/* -n^-1 mod 2^64 */
	uint64_t n[TB_BN_LIMBS];	/* the odd modulus */
	uint64_t rr[TB_BN_LIMBS];	/* R^2 mod n */
};

/* big-endian bytes to nl limbs; -1 if the value needs more than nl limbs */
int tb_bn_from_bytes(uint64_t *r, size_t nl, const uint8_t *in, size_t len);
/* nl limbs to len big-endian bytes (I2OSP); -1 if the value needs more */
int tb_bn_to_bytes(uint8_t *out, size_t len, const uint64_t *a, size_t nl);
/* -1, 0 or 1 as a <, = or > b */
int tb_bn_cmp(const uint64_t *a, const uint64_t *b, size_t nl);
/* the bit length of a (0 for zero) */
size_t tb_bn_bits(const uint64_t *a, size_t nl);

/* set up m for the odd modulus n > 1 of nl limbs; -1 if n is unusable */
int tb_mont_init(struct tb_mont *m, const uint64_t *n, size_t nl);
/* r = a b / R mod n, for a, b < n; r may be a or b */
void tb_mont_mul(const struct tb_mont *m, uint64_t *r, const uint64_t *a,
    const uint64_t *b);
/* r = a^e mod n, for a < n and e >= 1; r may be a */
void tb_mont_exp(const struct tb_mont *m, uint64_t *r, const uint64_t *a,
    uint64_t e);

#endif
