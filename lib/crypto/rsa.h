/*
 * crypto/rsa.h - RSA signature verification (RFC 8017): RSASSA-PKCS1-v1_5
 * (section 8.2.2) and RSASSA-PSS (section 8.1.2, MGF1 with the same hash)
 * with SHA-1, SHA-256, SHA-384 and SHA-512, for public keys given as a
 * PKCS#1 RSAPublicKey (DER) or as the bytes of n and e.
 *
 * Verification only: no signing, no encryption, no RSA key exchange.
 *
 * Keys: the modulus is odd, of TB_RSA_MAX_BITS (8192) bits at most and
 * of at least the caller's minimum, TB_RSA_MIN_BITS (2048) when the
 * caller passes 0 and never below 1024.  The public exponent is odd, 3 <=
 * e < 2^32 (65537 in practice; a larger e would only let a key cost more
 * work per signature).  The DER parser is strict: minimal lengths, no
 * negative or zero-padded INTEGER, nothing after the SEQUENCE.
 *
 * Signatures: exactly as long as the modulus in bytes (so a signature
 * whose integer is shorter keeps its leading zero bytes, as I2OSP makes
 * it), and below n.  PKCS#1 v1.5 builds the whole expected encoded message
 * 00 01 FF..FF 00 DigestInfo digest and compares every byte, so no part of
 * the decrypted block is ever parsed (no Bleichenbacher'06 forgery by
 * garbage after the digest or a short FF run).  The DigestInfo is the DER
 * of RFC 8017 section 9.2 note 1, with the NULL parameters present; the
 * form without them (allowed by RFC 3279 readers) is rejected.  PSS takes
 * the salt length from the caller: TLS 1.3 wants the hash length; an
 * X.509 RSASSA-PSS key states its own.
 *
 * Not constant time, on purpose: every input here is public (key,
 * signature, digest); there is no secret to leak, so the code may branch
 * and no valgrind ctgrind check applies.  It bounds all work by the
 * modulus size and the 32-bit exponent and rejects every malformed input.
 *
 * Tested by tests/unit/t_crypto_rsa.c (the PKCS#1 v2.1 PSS example 10.2,
 * NIST CAVP SigVer15 records, openssl-made vectors for 2048 to 8192 bits,
 * and named malformed signatures and keys), tests/crypto-rsa.bats (about
 * 2,500 openssl signatures, every one verified and, changed, refused),
 * fuzz/fz_rsa.c (key parser round trip, random signatures never verify)
 * and tests/crypto/speed_rsa.c with bench/crypto-rsa.sh.
 */
#ifndef TUBES_CRYPTO_RSA_H
#define TUBES_CRYPTO_RSA_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/bn.h"
#include "crypto/hash.h"

#define TB_RSA_MIN_BITS   2048	/* the default minimum */
#define TB_RSA_FLOOR_BITS 1024	/* no minimum goes below this */
#define TB_RSA_MAX_BITS   8192
#define TB_RSA_MAX_BYTES  (TB_RSA_MAX_BITS / 8)

struct tb_rsa_pub {
	size_t bits;		/* of the modulus */
	size_t len;		/* bytes of the modulus, and of a signature */
	uint32_t e;
	struct tb_mont m;
};

/*
 * A key from the big-endian bytes of n and e (leading zero bytes allowed),
 * or from the DER of a PKCS#1 RSAPublicKey, SEQUENCE { INTEGER n, INTEGER
 * e }.  minbits 0 means TB_RSA_MIN_BITS.  0, or -1 if the key is malformed
 * or out of the limits above.
 */
int tb_rsa_pub_set(struct tb_rsa_pub *, const uint8_t *n, size_t nlen,
    const uint8_t *e, size_t elen, unsigned minbits);
int tb_rsa_pubkey_parse(struct tb_rsa_pub *, const uint8_t *der, size_t len,
    unsigned minbits);

/*
 * 0 if sig is a valid signature of the h->len bytes of digest (a hash of
 * the message by h), else -1.  h is one of tb_hash_sha1, _sha256, _sha384,
 * _sha512.
 */
int tb_rsa_verify_pkcs1(const struct tb_rsa_pub *, const struct tb_hash *h,
    const uint8_t *digest, const uint8_t *sig, size_t siglen);
int tb_rsa_verify_pss(const struct tb_rsa_pub *, const struct tb_hash *h,
    const uint8_t *digest, const uint8_t *sig, size_t siglen, size_t saltlen);

#endif
