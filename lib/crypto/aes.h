/*
 * crypto/aes.h - AES-128 and AES-256 (FIPS 197, encryption only: GCM
 * never runs the inverse cipher) and AES-GCM (NIST SP 800-38D) as TLS
 * uses it: a 12-byte nonce and a 16-byte tag.
 *
 * Two paths, chosen when a key is set up (tb_aes_init, tb_gcm_init) from
 * tb_cpu():
 *  - aes_ni.c: AES-NI for the rounds (eight counter blocks in flight)
 *    and PCLMULQDQ for GHASH (eight blocks per reduction, with H..H^8
 *    precomputed); needs AESNI, PCLMUL, SSSE3 and SSE4.1.
 *  - aes.c and gcm.c: portable and constant time.  AES is bitsliced,
 *    four blocks at once, its S-box a Boyar-Peralta Boolean circuit, so
 *    there is no table and no branch on a key or data byte; the key
 *    schedule runs its S-boxes through the same circuit.  GHASH's
 *    carry-less multiply is made of integer multiplications of operands
 *    with holes (one bit in four), so no table is indexed by H or data.
 * Every function here is constant time in the key, the plaintext and the
 * tag on both paths; lengths, the nonce and the AAD's length are public.
 * (The portable GHASH relies on the CPU's integer multiply taking the
 * same time for all operands, as it does on x86-64 and ARMv8.)
 * tb_gcm_open compares tags with tb_ct_eq and zeroes the output on a bad
 * tag without a branch on the verdict.
 *
 * Deliberately not here: the inverse cipher, AES-192, other modes (no
 * CBC, no ECB API), nonces other than 96 bits, tags shorter than 16
 * bytes.  No ARMv8 fast path yet: other CPUs run the portable one.
 *
 * Tested by tests/unit/t_crypto_aes.c (FIPS 197 appendix C, the GCM
 * specification's test cases 1-6 and 13-18, edge cases, both paths),
 * tests/crypto-aes.bats (the block, CTR and GMAC against the openssl
 * command, whole seals against OpenSSL's library, thousands of random
 * inputs, both paths; the fast path against the portable one; the
 * valgrind constant-time check of both paths, tests/crypto/ct_aes.c,
 * and at -Os/-Oz in tests/crypto-ct-*.bats) and fuzz/fz_gcm_open.c.
 */
#ifndef TUBES_CRYPTO_AES_H
#define TUBES_CRYPTO_AES_H

#include <stddef.h>
#include <stdint.h>

#define TB_GCM_NONCE_LEN 12
#define TB_GCM_TAG_LEN   16
/* the most plaintext one nonce may cover: 2^32 - 2 blocks (2^39 - 256 bits) */
#define TB_GCM_MAX_LEN   ((uint64_t)0xfffffffe * 16)

/*
 * A key schedule.  rk holds either the bitsliced round keys of the
 * portable path (8 words a round) or, when ni is set, the plain 16-byte
 * round keys for AES-NI.
 */
struct tb_aes {
	uint64_t rk[15 * 8];
	unsigned nr;		/* rounds: 10 or 14 */
	unsigned ni;		/* 1: the AES-NI path */
};

/* 0, or -1 when keylen is not 16 or 32 */
int tb_aes_init(struct tb_aes *, const uint8_t *key, size_t keylen);
void tb_aes_encrypt_block(const struct tb_aes *, const uint8_t in[16], uint8_t out[16]);
void tb_aes_wipe(struct tb_aes *);

/*
 * CTR as GCM runs it: the blocks E(cb), E(cb+1), ... where only the low
 * 32 bits of the counter block cb (big-endian, bytes 12-15) count, mod
 * 2^32 (SP 800-38D inc32).  in and out may be the same buffer.
 */
void tb_aes_ctr32(const struct tb_aes *, const uint8_t cb[16], const uint8_t *in,
    size_t len, uint8_t *out);

struct tb_gcm {
	struct tb_aes aes;
	uint64_t h[8][2];	/* GHASH key: H and its bit reversals (portable),
				   H..H^8 (PCLMUL) */
};

/* 0, or -1 when keylen is not 16 or 32 */
int tb_gcm_init(struct tb_gcm *, const uint8_t *key, size_t keylen);

/*
 * Encrypt len bytes of in to out (the same buffer, or disjoint) and
 * write the tag.  -1 when len is over TB_GCM_MAX_LEN or aadlen over
 * 2^61 - 1 (nothing written), else 0.
 */
int tb_gcm_seal(const struct tb_gcm *, const uint8_t nonce[TB_GCM_NONCE_LEN],
    const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t len, uint8_t *out,
    uint8_t tag[TB_GCM_TAG_LEN]);

/*
 * Check the tag and decrypt len bytes of in to out (the same buffer, or
 * disjoint).  0 when the tag is right.  -1 when it is wrong, and then
 * out holds zeros, never plaintext (with in == out the ciphertext is
 * gone too); -1 also when a length is over the limits, out untouched.
 */
int tb_gcm_open(const struct tb_gcm *, const uint8_t nonce[TB_GCM_NONCE_LEN],
    const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t len,
    const uint8_t tag[TB_GCM_TAG_LEN], uint8_t *out);

void tb_gcm_wipe(struct tb_gcm *);

#endif
