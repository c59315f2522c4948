/*
 * crypto/chacha_impl.h - what chacha.c and its fast paths share inside
 * lib/crypto; not part of the interface (that is chacha.h).
 */
#ifndef TUBES_CRYPTO_CHACHA_IMPL_H
#define TUBES_CRYPTO_CHACHA_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/chacha.h"
#include "crypto/poly1305_impl.h"

/*
 * n whole 64-byte blocks of in xor key stream to out, from the state st
 * (constants, key, counter st[12], nonce), whose counter they advance;
 * n a multiple of 4 (SSSE3) or 8 (AVX2).  Call only when tb_cpu() has
 * the feature.
 */
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define TB_HAVE_CHACHA_SIMD 1
void tb_chacha20_blocks_ssse3(uint32_t st[16], const uint8_t *in, uint8_t *out, size_t n);
void tb_chacha20_blocks_avx2(uint32_t st[16], const uint8_t *in, uint8_t *out, size_t n);

/* the same with AVX2 and Poly1305 over the ciphertext in one pass: out
 * when mac_out, else in (see chacha_simd.c); n a multiple of 8.  Only
 * with the 64-bit Poly1305 (unsigned __int128). */
#ifdef TB_POLY1305_INT128
#define TB_HAVE_AEAD_AVX2 1
void tb_chacha20_poly1305_avx2(uint32_t st[16], const uint8_t *in, uint8_t *out,
    size_t n, tb_poly1305_ctx *pc, int mac_out);
#endif
#endif

#endif
