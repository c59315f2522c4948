/*
 * crypto/hash_impl.h - what the portable hash code and its fast paths
 * share inside lib/crypto; not part of the interface (that is hash.h).
 */
#ifndef TUBES_CRYPTO_HASH_IMPL_H
#define TUBES_CRYPTO_HASH_IMPL_H

#include <stddef.h>
#include <stdint.h>

extern const uint32_t tb_sha256_k[64];

/* n 64-byte blocks into the state: portable C */
void tb_sha256_blocks_c(uint32_t st[8], const uint8_t *p, size_t n);
void tb_sha1_blocks_c(uint32_t st[5], const uint8_t *p, size_t n);

#endif
