/*
 * crypto/hash.c - the struct tb_hash descriptors, by which HMAC, HKDF,
 * the TLS PRF, MGF1 and the signature code take any of the hashes; and
 * HMAC, HKDF and the TLS 1.2 PRF on top of them.  Keys and every
 * intermediate are wiped when done; nothing branches on a key byte.
 */
#include <string.h>

#include "crypto/ct.h"
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

/* ------------------------------------------------------------------ */
/* HMAC (RFC 2104) */

void
tb_hmac_init(tb_hmac_ctx *c, const struct tb_hash *h, const void *key, size_t keylen)
{
	uint8_t k[TB_BLOCK_MAX];
	size_t i;

	c->h = h;
	memset(k, 0, sizeof(k));
	if (keylen > h->block) {
		/* a long key is hashed first (RFC 2104 section 2) */
		h->init(&c->in);
		h->update(&c->in, key, keylen);
		h->final(&c->in, k);
	} else if (keylen > 0)
		memcpy(k, key, keylen);
	for (i = 0; i < h->block; i++)
		k[i] ^= 0x36;
	h->init(&c->in);
	h->update(&c->in, k, h->block);
	for (i = 0; i < h->block; i++)
		k[i] ^= 0x36 ^ 0x5c;
	h->init(&c->out);
	h->update(&c->out, k, h->block);
	tb_wipe(k, sizeof(k));
}

void
tb_hmac_update(tb_hmac_ctx *c, const void *p, size_t n)
{
	c->h->update(&c->in, p, n);
}

void
tb_hmac_final(tb_hmac_ctx *c, uint8_t *out)
{
	uint8_t ih[TB_HASH_MAX];
	const struct tb_hash *h = c->h;

	h->final(&c->in, ih);
	h->update(&c->out, ih, h->len);
	h->final(&c->out, out);
	tb_wipe(ih, sizeof(ih));
	tb_wipe(c, sizeof(*c));
}

void
tb_hmac(const struct tb_hash *h, const void *key, size_t keylen,
    const void *msg, size_t msglen, uint8_t *out)
{
	tb_hmac_ctx c;

	tb_hmac_init(&c, h, key, keylen);
	tb_hmac_update(&c, msg, msglen);
	tb_hmac_final(&c, out);
}

/* ------------------------------------------------------------------ */
/* HKDF (RFC 5869) */

void
tb_hkdf_extract(const struct tb_hash *h, const void *salt, size_t saltlen,
    const void *ikm, size_t ikmlen, uint8_t *prk)
{
	/* no salt is HashLen zero bytes, which HMAC pads to the same key
	 * as the empty one */
	tb_hmac(h, salt, saltlen, ikm, ikmlen, prk);
}

int
tb_hkdf_expand(const struct tb_hash *h, const void *prk, size_t prklen,
    const void *info, size_t infolen, uint8_t *out, size_t outlen)
{
	tb_hmac_ctx key, c;
	uint8_t t[TB_HASH_MAX], i;
	size_t n;

	if (outlen > 255 * h->len)
		return -1;
	/* HMAC keyed once; each T(i) starts from a copy */
	tb_hmac_init(&key, h, prk, prklen);
	for (i = 1; outlen > 0; i++) {
		c = key;
		if (i > 1)
			tb_hmac_update(&c, t, h->len);
		tb_hmac_update(&c, info, infolen);
		tb_hmac_update(&c, &i, 1);
		tb_hmac_final(&c, t);
		n = outlen < h->len ? outlen : h->len;
		memcpy(out, t, n);
		out += n;
		outlen -= n;
	}
	tb_wipe(t, sizeof(t));
	tb_wipe(&key, sizeof(key));
	return 0;
}

/* ------------------------------------------------------------------ */
/* TLS 1.2 PRF (RFC 5246 section 5) */

void
tb_tls12_prf(const struct tb_hash *h, const void *secret, size_t secretlen,
    const char *label, const void *seed, size_t seedlen, uint8_t *out, size_t outlen)
{
	tb_hmac_ctx key, c;
	uint8_t a[TB_HASH_MAX], t[TB_HASH_MAX];
	size_t labellen = strlen(label), n;

	tb_hmac_init(&key, h, secret, secretlen);
	/* A(1) = HMAC(secret, label || seed) */
	c = key;
	tb_hmac_update(&c, label, labellen);
	tb_hmac_update(&c, seed, seedlen);
	tb_hmac_final(&c, a);
	while (outlen > 0) {
		/* HMAC(secret, A(i) || label || seed), then A(i+1) */
		c = key;
		tb_hmac_update(&c, a, h->len);
		tb_hmac_update(&c, label, labellen);
		tb_hmac_update(&c, seed, seedlen);
		tb_hmac_final(&c, t);
		n = outlen < h->len ? outlen : h->len;
		memcpy(out, t, n);
		out += n;
		outlen -= n;
		if (outlen > 0) {
			c = key;
			tb_hmac_update(&c, a, h->len);
			tb_hmac_final(&c, a);
		}
	}
	tb_wipe(a, sizeof(a));
	tb_wipe(t, sizeof(t));
	tb_wipe(&key, sizeof(key));
}
