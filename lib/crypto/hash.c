/*
 * crypto/hash.c - the struct tb_hash descriptors, by which HMAC, HKDF,
 * the TLS PRF, MGF1 and the signature code take any of the hashes.
 */
#include "crypto/hash.h"

static void s1_init(tb_hash_ctx *c) { tb_sha1_init(&c->s1); }
static void s1_update(tb_hash_ctx *c, const void *p, size_t n) { tb_sha1_update(&c->s1, p, n); }
static void s1_final(tb_hash_ctx *c, uint8_t *out) { tb_sha1_final(&c->s1, out); }
static void s256_init(tb_hash_ctx *c) { tb_sha256_init(&c->s256); }
static void s256_update(tb_hash_ctx *c, const void *p, size_t n) { tb_sha256_update(&c->s256, p, n); }
static void s256_final(tb_hash_ctx *c, uint8_t *out) { tb_sha256_final(&c->s256, out); }
static void s384_init(tb_hash_ctx *c) { tb_sha384_init(&c->s512); }
static void s384_final(tb_hash_ctx *c, uint8_t *out) { tb_sha384_final(&c->s512, out); }
static void s512_init(tb_hash_ctx *c) { tb_sha512_init(&c->s512); }
static void s512_update(tb_hash_ctx *c, const void *p, size_t n) { tb_sha512_update(&c->s512, p, n); }
static void s512_final(tb_hash_ctx *c, uint8_t *out) { tb_sha512_final(&c->s512, out); }

const struct tb_hash tb_hash_sha1 = {
	"sha1", TB_SHA1_LEN, 64, s1_init, s1_update, s1_final
};
const struct tb_hash tb_hash_sha256 = {
	"sha256", TB_SHA256_LEN, 64, s256_init, s256_update, s256_final
};
const struct tb_hash tb_hash_sha384 = {
	"sha384", TB_SHA384_LEN, 128, s384_init, s512_update, s384_final
};
const struct tb_hash tb_hash_sha512 = {
	"sha512", TB_SHA512_LEN, 128, s512_init, s512_update, s512_final
};
