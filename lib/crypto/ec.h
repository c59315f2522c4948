/*
 * crypto/ec.h - the NIST prime curves P-256 and P-384 (FIPS 186-4, SEC 1):
 * ECDH key agreement and ECDSA signature verification, as TLS uses them.
 *
 * One engine (ec.c) serves both curves: field and scalar arithmetic in
 * Montgomery form on fixed arrays of 64-bit limbs, points in projective
 * coordinates with the complete addition and doubling formulas of Renes,
 * Costello and Batina (2016, a = -3), which have no exceptional case:
 * the point at infinity and P + P need no branch.
 *
 * Constant time (no branch or memory index on secret data; checked by
 * tests/crypto/ct_ec.c under valgrind): tb_p256_pubkey, tb_p256_ecdh,
 * tb_p384_pubkey, tb_p384_ecdh -- a fixed 4-bit window over the scalar
 * with the table entry chosen by masks, Fermat inversion with a public
 * exponent, and a validity verdict computed without a branch.  The peer's
 * point is public and is checked with branches.
 *
 * Not constant time, by design (every input is public): tb_ecdsa_verify
 * and tb_ecdsa_verify_raw (interleaved width-5 NAF, u1*G + u2*Q, in
 * Jacobian coordinates whose exceptional cases are branches),
 * tb_ec_point_check and the DER codec of signatures.  They parse
 * attacker bytes and reject every malformed one.
 *
 * Portable C only (64-bit limbs, unsigned __int128): there is no
 * CPU-specific path, so tb_cpu() changes nothing here.  The -O2 build
 * instantiates the field operations per curve, unrolled; the size build
 * (-Os/-Oz) keeps one looping copy of each and doubles with the complete
 * addition (about 10 KiB at -Oz, a third of the speed).
 *
 * Deliberately not here: signing (TLS clients here verify only),
 * compressed points, P-521, explicit curve parameters.
 *
 * Tested by tests/unit/t_crypto_ec.c (RFC 5903 and RFC 6979 vectors,
 * openssl-made SigVer vectors and the named edge cases),
 * tests/crypto-ec.bats (differential against the openssl command:
 * hundreds of openssl signatures, mutated ones, ECDH key pairs, and
 * thousands more from OpenSSL's library, tests/crypto/ossl.py; and the
 * valgrind constant-time check, tests/crypto/ct_ec.c, at -O2 there and
 * at -Os/-Oz by gcc, musl-gcc and clang in tests/crypto-ct-*.bats),
 * fuzz/fz_ecdsa.c
 * and fuzz/fz_ecpoint.c; timed by bench/crypto-ec.sh.
 */
#ifndef TUBES_CRYPTO_EC_H
#define TUBES_CRYPTO_EC_H

#include <stddef.h>
#include <stdint.h>

enum tb_ec_curve {
	TB_EC_P256,
	TB_EC_P384
};

#define TB_P256_LEN	32	/* bytes of a P-256 scalar or coordinate */
#define TB_P384_LEN	48
#define TB_EC_LEN_MAX	48
#define TB_EC_POINT_MAX	97	/* 0x04 || X || Y on P-384 */
#define TB_ECDSA_DER_MAX 104	/* SEQUENCE of two 49-byte INTEGERs */

/* bytes of a scalar or coordinate of the curve, 0 if it is unknown */
size_t tb_ec_len(int curve);

/*
 * pub = priv * G as 0x04 || X || Y.  -1 (and pub zeroed) if priv, a
 * big-endian scalar of TB_P256_LEN bytes, is 0 or >= n: a caller
 * drawing random bytes draws again.  Constant time.
 */
int tb_p256_pubkey(uint8_t pub[65], const uint8_t priv[32]);
int tb_p384_pubkey(uint8_t pub[97], const uint8_t priv[48]);

/*
 * shared = the X coordinate of priv * peer (SEC 1 3.3.1, RFC 8446 7.4.2).
 * -1 (and shared zeroed) if peer is not an uncompressed point
 * 0x04 || X || Y of the curve (wrong length or prefix, a coordinate >= p,
 * off the curve), if priv is 0 or >= n, or if the result is the point at
 * infinity.  Constant time in priv.
 */
int tb_p256_ecdh(uint8_t shared[32], const uint8_t priv[32],
    const uint8_t *peer, size_t peerlen);
int tb_p384_ecdh(uint8_t shared[48], const uint8_t priv[48],
    const uint8_t *peer, size_t peerlen);

/* 0 if pub is an uncompressed point on the curve, else -1 (public data) */
int tb_ec_point_check(int curve, const uint8_t *pub, size_t publen);

/*
 * ECDSA verification (FIPS 186-4 6.4): 0 if sig is a valid signature of
 * the digest hash under the public key pub (0x04 || X || Y), else -1.
 * A digest longer than the order is cut to its leftmost bits.  sig is
 * the DER ECDSA-Sig-Value (RFC 3279: SEQUENCE { INTEGER r, INTEGER s }),
 * parsed strictly; the raw form is r || s, each of tb_ec_len() bytes.
 */
int tb_ecdsa_verify(int curve, const uint8_t *pub, size_t publen,
    const uint8_t *hash, size_t hashlen, const uint8_t *sig, size_t siglen);
int tb_ecdsa_verify_raw(int curve, const uint8_t *pub, size_t publen,
    const uint8_t *hash, size_t hashlen, const uint8_t *rs, size_t rslen);

/*
 * The DER codec of ECDSA-Sig-Value.  tb_ecdsa_sig_parse: rs = r || s,
 * each len bytes big-endian, or -1 unless der is exactly one SEQUENCE of
 * two INTEGERs in DER (short-form lengths, minimal, non-negative, each
 * fitting len bytes) and nothing after it.  tb_ecdsa_sig_der: the DER of
 * r || s into out (TB_ECDSA_DER_MAX bytes), returns its length.
 */
int tb_ecdsa_sig_parse(uint8_t *rs, size_t len, const uint8_t *der, size_t derlen);
size_t tb_ecdsa_sig_der(uint8_t *out, const uint8_t *rs, size_t len);

#endif
