/*
 * crypto/hash.h - SHA-1, SHA-256, SHA-384, SHA-512 (FIPS 180-4), HMAC
 * (RFC 2104), HKDF (RFC 5869) and the TLS 1.2 PRF (RFC 5246 section 5).
 *
 * SHA-1 is here only to check old signatures; nothing new is signed or
 * derived with it.  Hashing is constant time in the data (no branch or
 * index on a message byte); the length is public.  HMAC, HKDF and the
 * PRF are constant time in the key, the secret and the message; key
 * lengths, salts, labels and output lengths are public.  Every context
 * is wiped by its final function.
 *
 * sha1.c, sha2.c: portable C; sha_ni.c: SHA-256 and SHA-1 with the x86
 * SHA extensions, used when tb_cpu() has TB_CPU_SHA; hash.c: the
 * descriptors, HMAC, HKDF, the PRF.  Tested by tests/unit/t_crypto_hash.c
 * (FIPS 180-4, SHAVS, RFC 4231, RFC 2202, RFC 5869 vectors, portable
 * and fast), tests/crypto-hash.bats (random inputs against the openssl
 * command and OpenSSL's library; fast against portable; ctgrind of
 * tests/crypto/ct_hash.c, and at -Os/-Oz in tests/crypto-ct-*.bats).
 */
#ifndef TUBES_CRYPTO_HASH_H
#define TUBES_CRYPTO_HASH_H

#include <stddef.h>
#include <stdint.h>

#define TB_SHA1_LEN   20
#define TB_SHA256_LEN 32
#define TB_SHA384_LEN 48
#define TB_SHA512_LEN 64
#define TB_HASH_MAX   64	/* the longest digest */
#define TB_BLOCK_MAX  128	/* the longest block */

typedef struct { uint32_t h[5]; uint64_t n; uint8_t buf[64]; } tb_sha1_ctx;
typedef struct { uint32_t h[8]; uint64_t n; uint8_t buf[64]; } tb_sha256_ctx;
typedef struct { uint64_t h[8]; uint64_t n; uint8_t buf[128]; } tb_sha512_ctx;

void tb_sha1_init(tb_sha1_ctx *);
void tb_sha1_update(tb_sha1_ctx *, const void *, size_t);
void tb_sha1_final(tb_sha1_ctx *, uint8_t out[TB_SHA1_LEN]);
void tb_sha256_init(tb_sha256_ctx *);
void tb_sha256_update(tb_sha256_ctx *, const void *, size_t);
void tb_sha256_final(tb_sha256_ctx *, uint8_t out[TB_SHA256_LEN]);
void tb_sha384_init(tb_sha512_ctx *);	/* update is tb_sha512_update */
void tb_sha384_final(tb_sha512_ctx *, uint8_t out[TB_SHA384_LEN]);
void tb_sha512_init(tb_sha512_ctx *);
void tb_sha512_update(tb_sha512_ctx *, const void *, size_t);
void tb_sha512_final(tb_sha512_ctx *, uint8_t out[TB_SHA512_LEN]);

/* one-shot */
void tb_sha1(const void *, size_t, uint8_t out[TB_SHA1_LEN]);
void tb_sha256(const void *, size_t, uint8_t out[TB_SHA256_LEN]);
void tb_sha384(const void *, size_t, uint8_t out[TB_SHA384_LEN]);
void tb_sha512(const void *, size_t, uint8_t out[TB_SHA512_LEN]);

/* any of them, for HMAC, HKDF, the PRF, MGF1, signatures and transcripts */
typedef union {
	tb_sha1_ctx s1;
	tb_sha256_ctx s256;
	tb_sha512_ctx s512;
} tb_hash_ctx;

struct tb_hash {
	const char *name;	/* "sha256" */
	size_t len;		/* digest bytes */
	size_t block;		/* block bytes */
	void (*init)(tb_hash_ctx *);
	void (*update)(tb_hash_ctx *, const void *, size_t);
	void (*final)(tb_hash_ctx *, uint8_t *out);
};
extern const struct tb_hash tb_hash_sha1, tb_hash_sha256, tb_hash_sha384,
    tb_hash_sha512;

/* HMAC: incremental, or one-shot; the context holds key material: wipe it */
typedef struct {
	const struct tb_hash *h;
	tb_hash_ctx in, out;
} tb_hmac_ctx;
void tb_hmac_init(tb_hmac_ctx *, const struct tb_hash *, const void *key, size_t keylen);
void tb_hmac_update(tb_hmac_ctx *, const void *, size_t);
void tb_hmac_final(tb_hmac_ctx *, uint8_t *out);	/* h->len bytes; wipes the context */
void tb_hmac(const struct tb_hash *, const void *key, size_t keylen,
    const void *msg, size_t msglen, uint8_t *out);

/* HKDF (RFC 5869): extract writes h->len bytes; expand returns -1 if
 * outlen > 255 * h->len, else 0 */
void tb_hkdf_extract(const struct tb_hash *, const void *salt, size_t saltlen,
    const void *ikm, size_t ikmlen, uint8_t *prk);
int tb_hkdf_expand(const struct tb_hash *, const void *prk, size_t prklen,
    const void *info, size_t infolen, uint8_t *out, size_t outlen);

/* TLS 1.2 PRF (RFC 5246 section 5): P_hash(secret, label || seed) */
void tb_tls12_prf(const struct tb_hash *, const void *secret, size_t secretlen,
    const char *label, const void *seed, size_t seedlen, uint8_t *out, size_t outlen);

#endif
