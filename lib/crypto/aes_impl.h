/*
 * crypto/aes_impl.h - what aes.c, aes_ni.c and gcm.c share inside the
 * library; not an interface for callers (they use crypto/aes.h).
 */
#ifndef TUBES_CRYPTO_AES_IMPL_H
#define TUBES_CRYPTO_AES_IMPL_H

#include "crypto/aes.h"

/* the AES-NI path can run: AESNI, PCLMUL, SSSE3 and SSE4.1 in tb_cpu() */
int tb_aes_ni_usable(void);

/* aes.c: the portable cipher, four blocks of 16 bytes at once */
void tb_aes_ct_enc4(const struct tb_aes *, const uint8_t in[64], uint8_t out[64]);
/* tb_aes_ctr32 that advances cb past the blocks it used */
void tb_aes_ctr32_adv(const struct tb_aes *, uint8_t cb[16], const uint8_t *in,
    size_t len, uint8_t *out);

/* aes_ni.c (x86 only; never called when tb_aes_ni_usable() is 0) */
void tb_aes_ni_enc1(const struct tb_aes *, const uint8_t in[16], uint8_t out[16]);
void tb_aes_ni_ctr32(const struct tb_aes *, uint8_t cb[16], const uint8_t *in,
    size_t nblocks, uint8_t *out);
void tb_gcm_ni_init(struct tb_gcm *);
void tb_gcm_ni_ghash(const struct tb_gcm *, uint8_t x[16], const uint8_t *p,
    size_t nblocks);
void tb_gcm_ni_crypt(const struct tb_gcm *, uint8_t x[16], uint8_t cb[16],
    const uint8_t *in, size_t nblocks, uint8_t *out, int enc);

#endif
