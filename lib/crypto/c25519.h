/*
 * crypto/c25519.h - X25519 key agreement (RFC 7748) and Ed25519
 * signature verification (RFC 8032) over curve25519, on the field code
 * of f25519.c.  tubes is a client: it never signs, so there is no
 * Ed25519 signing here.
 *
 * X25519 is constant time in the scalar and the point: a Montgomery
 * ladder with masked swaps, inversion by exponentiation, and the
 * all-zero check by OR-ing the bytes (tests/crypto/ct_25519.c runs all
 * three under valgrind with the inputs marked secret).  Ed25519
 * verification works on public data only and does branch; it is not
 * constant time and need not be.
 *
 * Tests: RFC 7748 and RFC 8032 vectors, C2SP/CCTV Ed25519 edge vectors
 * and the named edge cases in tests/unit/t_crypto_25519.c;
 * tests/crypto-25519.bats against the openssl command and, by the
 * thousand, its library (tests/crypto/ossl.py); the constant-time check
 * of X25519 there and at -Os/-Oz in tests/crypto-ct-*.bats; fuzz/fz_x25519.c
 * (against a slow reference) and fuzz/fz_ed25519.c.  There is one code
 * path (portable C with 64x64->128-bit products, so a 64-bit compiler),
 * no CPU-specific one.
 *
 * Where this differs from `openssl pkeyutl -verify` (3.0): OpenSSL accepts
 * a public key of small order; this code refuses it.
 */
#ifndef TUBES_CRYPTO_C25519_H
#define TUBES_CRYPTO_C25519_H

#include <stddef.h>
#include <stdint.h>

#define TB_X25519_LEN 32
#define TB_ED25519_PUB_LEN 32
#define TB_ED25519_SIG_LEN 64

/*
 * out = X25519(scalar, point): the scalar is clamped, the point's top
 * bit is ignored and a u-coordinate of p or more is taken mod p (RFC 7748
 * section 5).  Returns -1 when the result is all zeros -- the peer sent
 * a point of small order, and TLS must abort (RFC 7748 section 6.1,
 * RFC 8446 section 7.4.2) -- else 0.  out is written either way.
 */
int tb_x25519(uint8_t out[32], const uint8_t scalar[32], const uint8_t point[32]);

/* pub = X25519(scalar, 9), the public key of a private scalar */
void tb_x25519_base(uint8_t pub[32], const uint8_t scalar[32]);

/*
 * 0 if sig is a valid Ed25519 signature of msg under pub, else -1.
 * Strict, cofactorless verification (RFC 8032 section 5.1.7 with the
 * unbatched equation [S]B = R + [k]A checked on encodings): rejected are
 * S >= L; an encoding of A or R with y >= p, with no x for its y, or with
 * x = 0 and the sign bit set; and a public key A of small order (order 1,
 * 2, 4 or 8), which would let one signature fit many messages.
 */
int tb_ed25519_verify(const uint8_t pub[32], const void *msg, size_t len,
    const uint8_t sig[64]);

/*
 * For the tests and the fuzzer: decode a point as verification does and
 * encode it again into out; -1 if in is not a valid, canonical encoding.
 */
int tb_ed25519_point_reencode(uint8_t out[32], const uint8_t in[32]);

#endif
