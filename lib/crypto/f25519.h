/*
 * crypto/f25519.h - arithmetic modulo p = 2^255 - 19, shared by X25519
 * and Ed25519 (c25519.h).  Internal to lib/crypto and its tests.
 *
 * An element is five 51-bit limbs, least significant first, products
 * summed in 128 bits (unsigned __int128 where the compiler has it, two
 * 64-bit words elsewhere).  Limbs
 * are kept loosely reduced: tb_fe_mul, tb_fe_sq, tb_fe_sub, tb_fe_mul_small
 * and tb_fe_frombytes leave each limb below 2^52; tb_fe_add adds limbs
 * without a carry.  The bounds the callers keep: a product's inputs have
 * limbs below 2^54 (the sum of at most three reduced elements), the
 * subtrahend of tb_fe_sub below 2^53 - 76 (at most two).  Only
 * tb_fe_tobytes reduces fully to the canonical value below p.
 *
 * Every function here is constant time: no branch or index depends on an
 * element's value (tests/crypto/ct_25519.c checks that under valgrind).
 */
#ifndef TUBES_CRYPTO_F25519_H
#define TUBES_CRYPTO_F25519_H

#include <stdint.h>

typedef struct { uint64_t v[5]; } tb_fe;

void tb_fe_0(tb_fe *);
void tb_fe_1(tb_fe *);
void tb_fe_frombytes(tb_fe *, const uint8_t in[32]);	/* bit 255 ignored; any value below 2^255 */
void tb_fe_tobytes(uint8_t out[32], const tb_fe *);	/* canonical, below p */
void tb_fe_add(tb_fe *, const tb_fe *, const tb_fe *);
void tb_fe_sub(tb_fe *, const tb_fe *, const tb_fe *);
void tb_fe_neg(tb_fe *, const tb_fe *);
void tb_fe_mul(tb_fe *, const tb_fe *, const tb_fe *);
void tb_fe_sq(tb_fe *, const tb_fe *);
void tb_fe_mul_small(tb_fe *, const tb_fe *, uint32_t);
void tb_fe_invert(tb_fe *, const tb_fe *);	/* z^(p-2); 0 gives 0 */
void tb_fe_pow22523(tb_fe *, const tb_fe *);	/* z^((p-5)/8), for square roots */
void tb_fe_cswap(tb_fe *, tb_fe *, uint64_t bit);	/* swap if bit is 1 */
int tb_fe_iszero(const tb_fe *);	/* 1 if the value is 0 mod p */
int tb_fe_isneg(const tb_fe *);	/* the low bit of the canonical value */

#endif
