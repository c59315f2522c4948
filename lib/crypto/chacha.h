/*
 * crypto/chacha.h - ChaCha20, Poly1305 and the ChaCha20-Poly1305 AEAD
 * (RFC 8439).
 *
 * Everything here is constant time in the key, the plaintext and the
 * tag: ChaCha20 is additions, rotations and xors; Poly1305 multiplies
 * with 64-bit limbs (unsigned __int128 products, or a two-word emulation
 * where the compiler has no such type) and reduces with masks; the tag
 * is compared with tb_ct_eq and open does not branch on the verdict.
 * Lengths are public.  Contexts and key streams are wiped when done.
 *
 * chacha.c: ChaCha20 in portable C and the AEAD; chacha_simd.c: ChaCha20
 * four blocks at a time with SSSE3 and eight with AVX2, chosen by
 * tb_cpu(), and with AVX2 the AEAD's ChaCha20 and Poly1305 in one pass;
 * poly1305.c, poly1305_impl.h.  Tested by tests/unit/t_crypto_chacha.c
 * (every RFC 8439 vector and the named edge cases, portable and fast),
 * tests/unit/t_crypto_poly1305emu.c (the no-__int128 Poly1305),
 * tests/crypto-chacha.bats (random cases against openssl enc -chacha20
 * and openssl mac Poly1305, thousands more against OpenSSL's library,
 * both paths; fast against portable; ctgrind of tests/crypto/ct_chacha.c,
 * and at -Os/-Oz in tests/crypto-ct-*.bats) and fuzz/fz_aead_open.c.
 */
#ifndef TUBES_CRYPTO_CHACHA_H
#define TUBES_CRYPTO_CHACHA_H

#include <stddef.h>
#include <stdint.h>

#define TB_CHACHA20_KEY   32
#define TB_CHACHA20_NONCE 12
#define TB_POLY1305_KEY   32
#define TB_POLY1305_TAG   16

/*
 * in xor the key stream from block counter onwards to out (which may be
 * in).  The 32-bit block counter must not wrap: a len that would need a
 * block past 2^32 - 1 is refused with -1 and nothing written; else 0.
 */
int tb_chacha20_xor(const uint8_t key[TB_CHACHA20_KEY],
    const uint8_t nonce[TB_CHACHA20_NONCE], uint32_t counter,
    const void *in, void *out, size_t len);

/* one 64-byte block of key stream (RFC 8439 2.3) */
void tb_chacha20_block(const uint8_t key[TB_CHACHA20_KEY],
    const uint8_t nonce[TB_CHACHA20_NONCE], uint32_t counter, uint8_t out[64]);

/* the quarter round on four words of a state (RFC 8439 2.1, 2.2) */
void tb_chacha20_quarter(uint32_t x[16], int a, int b, int c, int d);

/* Poly1305: a one-time key of 32 bytes; incremental or one-shot */
typedef struct {
	uint64_t r[3], h[3], s[2];
	uint8_t buf[16];
	size_t used;
} tb_poly1305_ctx;
void tb_poly1305_init(tb_poly1305_ctx *, const uint8_t key[TB_POLY1305_KEY]);
void tb_poly1305_update(tb_poly1305_ctx *, const void *, size_t);
void tb_poly1305_final(tb_poly1305_ctx *, uint8_t tag[TB_POLY1305_TAG]);	/* wipes */
void tb_poly1305(const uint8_t key[TB_POLY1305_KEY], const void *msg, size_t len,
    uint8_t tag[TB_POLY1305_TAG]);

/*
 * The AEAD (RFC 8439 2.8).  seal writes len bytes of ciphertext and the
 * tag.  open writes the plaintext when the tag is right, and len zero
 * bytes to pt when it is wrong (it decrypts and then masks, so as not to
 * branch on the verdict); pt may be ct.  Both return -1 (writing
 * nothing) when len is more than the 32-bit counter allows, 2^32 - 1
 * blocks of 64 bytes; open -1 also when the tag is wrong.  0 on success.
 */
int tb_chacha20poly1305_seal(const uint8_t key[TB_CHACHA20_KEY],
    const uint8_t nonce[TB_CHACHA20_NONCE], const void *aad, size_t aadlen,
    const void *pt, size_t len, void *ct, uint8_t tag[TB_POLY1305_TAG]);
int tb_chacha20poly1305_open(const uint8_t key[TB_CHACHA20_KEY],
    const uint8_t nonce[TB_CHACHA20_NONCE], const void *aad, size_t aadlen,
    const void *ct, size_t len, const uint8_t tag[TB_POLY1305_TAG], void *pt);

#endif
