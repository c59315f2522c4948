/*
 * crypto/gcm.c - AES-GCM (NIST SP 800-38D) with a 96-bit nonce and a
 * 128-bit tag, and the portable constant-time GHASH (see aes.h).
 *
 * GHASH in integers.  A 16-byte block is read big-endian into a 128-bit
 * integer (hi, lo): GCM's bit x_i, the coefficient of a^i, lands at bit
 * 127 - i, so the integer is the polynomial written backwards.  The
 * carry-less product of two backward polynomials is the product
 * backwards in 255 bits; one shift left makes it 256 bits whose high
 * half is the coefficients 0..127 (in our order) and whose low half L
 * holds a^128..a^255.  With a^128 = a^7 + a^2 + a + 1, L folds in as
 * L ^ L>>1 ^ L>>2 ^ L>>7; the bits those shifts push out at the bottom
 * are degree 128..134 again and fold once more the same way.
 *
 * The 64x64 carry-less multiply (bmul64) has no table and no branch:
 * each operand is split into four parts with one bit in four kept; an
 * integer product of two such parts has, at each kept position, a count
 * of at most 16 terms in a 4-bit field (16 only at the top, where its
 * carry leaves the word), so its low bit is the carry-less bit.  The
 * high half of a product is the low half of the product of the
 * bit-reversed operands, reversed.
 */
#include <string.h>

#include "crypto/aes.h"
#include "crypto/aes_impl.h"
#include "crypto/ct.h"

static uint64_t
be64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void
put_be64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

static uint64_t
bmul64(uint64_t x, uint64_t y)
{
	const uint64_t m0 = 0x1111111111111111ULL, m1 = m0 << 1, m2 = m0 << 2,
	    m3 = m0 << 3;
	uint64_t x0 = x & m0, x1 = x & m1, x2 = x & m2, x3 = x & m3;
	uint64_t y0 = y & m0, y1 = y & m1, y2 = y & m2, y3 = y & m3;
	uint64_t z0, z1, z2, z3;

	z0 = (x0 * y0) ^ (x1 * y3) ^ (x2 * y2) ^ (x3 * y1);
	z1 = (x0 * y1) ^ (x1 * y0) ^ (x2 * y3) ^ (x3 * y2);
	z2 = (x0 * y2) ^ (x1 * y1) ^ (x2 * y0) ^ (x3 * y3);
	z3 = (x0 * y3) ^ (x1 * y2) ^ (x2 * y1) ^ (x3 * y0);
	return (z0 & m0) | (z1 & m1) | (z2 & m2) | (z3 & m3);
}

static uint64_t
rev64(uint64_t x)
{
	x = ((x >> 1) & 0x5555555555555555ULL) | ((x & 0x5555555555555555ULL) << 1);
	x = ((x >> 2) & 0x3333333333333333ULL) | ((x & 0x3333333333333333ULL) << 2);
	x = ((x >> 4) & 0x0f0f0f0f0f0f0f0fULL) | ((x & 0x0f0f0f0f0f0f0f0fULL) << 4);
	x = ((x >> 8) & 0x00ff00ff00ff00ffULL) | ((x & 0x00ff00ff00ff00ffULL) << 8);
	x = ((x >> 16) & 0x0000ffff0000ffffULL) | ((x & 0x0000ffff0000ffffULL) << 16);
	return x >> 32 | x << 32;
}

/* the 127-bit carry-less product of x and y, as (*hi, *lo); ry = rev64(y) */
static void
clmul64(uint64_t x, uint64_t y, uint64_t ry, uint64_t *hi, uint64_t *lo)
{
	*lo = bmul64(x, y);
	*hi = rev64(bmul64(rev64(x), ry)) >> 1;
}

/*
 * (x1, x0) = (x1, x0) * H in GF(2^128), GCM's bit order.  h is the
 * portable GHASH key of tb_gcm_init: H's halves, their bit reversals,
 * and those of their sum (Karatsuba's middle operand).
 */
static void
gf_mul(uint64_t *x1, uint64_t *x0, const uint64_t h[8][2])
{
	uint64_t a1, a0, b1, b0, c1, c0, z3, z2, z1, z0, e;

	/* Karatsuba: three 64-bit products */
	clmul64(*x0, h[0][1], h[1][1], &a1, &a0);
	clmul64(*x1, h[0][0], h[1][0], &b1, &b0);
	clmul64(*x0 ^ *x1, h[2][0], h[2][1], &c1, &c0);
	c1 ^= a1 ^ b1;
	c0 ^= a0 ^ b0;
	z0 = a0;
	z1 = a1 ^ c0;
	z2 = b0 ^ c1;
	z3 = b1;
	/* shift the 255-bit product left by one */
	z3 = z3 << 1 | z2 >> 63;
	z2 = z2 << 1 | z1 >> 63;
	z1 = z1 << 1 | z0 >> 63;
	z0 <<= 1;
	/* fold (z1, z0), with what falls off its bottom, into (z3, z2) */
	e = z0 << 63 ^ z0 << 62 ^ z0 << 57;
	z1 ^= e;
	*x1 = z3 ^ z1 ^ z1 >> 1 ^ z1 >> 2 ^ z1 >> 7;
	*x0 = z2 ^ z0 ^ (z0 >> 1 | z1 << 63) ^ (z0 >> 2 | z1 << 62) ^
	    (z0 >> 7 | z1 << 57);
}

/* x = (x ^ block) * H for each of n blocks: the portable path */
static void
ghash_ct(const struct tb_gcm *g, uint8_t x[16], const uint8_t *p, size_t n)
{
	uint64_t x1 = be64(x), x0 = be64(x + 8);

	for (; n > 0; n--, p += 16) {
		x1 ^= be64(p);
		x0 ^= be64(p + 8);
		gf_mul(&x1, &x0, g->h);
	}
	put_be64(x, x1);
	put_be64(x + 8, x0);
}

static void
ghash(const struct tb_gcm *g, uint8_t x[16], const uint8_t *p, size_t n)
{
	if (g->aes.ni)
		tb_gcm_ni_ghash(g, x, p, n);
	else
		ghash_ct(g, x, p, n);
}

/* GHASH over p and its zero padding to a whole block */
static void
ghash_pad(const struct tb_gcm *g, uint8_t x[16], const uint8_t *p, size_t len)
{
	uint8_t b[16];

	if (len >= 16)
		ghash(g, x, p, len / 16);
	if (len % 16) {
		memset(b, 0, sizeof b);
		memcpy(b, p + len - len % 16, len % 16);
		ghash(g, x, b, 1);
		tb_wipe(b, sizeof b);
	}
}

int
tb_gcm_init(struct tb_gcm *g, const uint8_t *key, size_t keylen)
{
	uint8_t h[16];

	memset(g, 0, sizeof *g);
	if (tb_aes_init(&g->aes, key, keylen) < 0)
		return -1;
	memset(h, 0, sizeof h);
	tb_aes_encrypt_block(&g->aes, h, h);
	g->h[0][0] = be64(h);
	g->h[0][1] = be64(h + 8);
	tb_wipe(h, sizeof h);
	if (g->aes.ni) {
		tb_gcm_ni_init(g);
		return 0;
	}
	g->h[1][0] = rev64(g->h[0][0]);
	g->h[1][1] = rev64(g->h[0][1]);
	g->h[2][0] = g->h[0][0] ^ g->h[0][1];
	g->h[2][1] = rev64(g->h[2][0]);
	return 0;
}

void
tb_gcm_wipe(struct tb_gcm *g)
{
	tb_wipe(g, sizeof *g);
}

/*
 * Both directions: enc says whether in is plaintext (seal: GHASH the
 * output) or ciphertext (open: GHASH the input, before an in-place
 * decryption overwrites it).  Writes the computed tag to tag.
 */
static void
gcm_crypt(const struct tb_gcm *g, const uint8_t nonce[12], const uint8_t *aad,
    size_t aadlen, const uint8_t *in, size_t len, uint8_t *out, uint8_t tag[16],
    int enc)
{
	uint8_t x[16], cb[16], ek0[16], last[16];
	size_t n, i, total = len;

	memset(x, 0, sizeof x);
	memcpy(cb, nonce, 12);
	cb[12] = cb[13] = cb[14] = 0;
	cb[15] = 1;
	tb_aes_encrypt_block(&g->aes, cb, ek0);
	cb[15] = 2;
	ghash_pad(g, x, aad, aadlen);

	n = len / 16;
	if (g->aes.ni && n > 0) {
		tb_gcm_ni_crypt(g, x, cb, in, n, out, enc);
		in += 16 * n;
		out += 16 * n;
		len -= 16 * n;
	}
	/* the portable path, and the fast path's last partial block */
	while (len > 0) {
		size_t m = len < 64 ? len : 64;

		if (!enc)
			ghash_pad(g, x, in, m);
		tb_aes_ctr32_adv(&g->aes, cb, in, m, out);
		if (enc)
			ghash_pad(g, x, out, m);
		in += m;
		out += m;
		len -= m;
	}
	put_be64(last, (uint64_t)aadlen * 8);
	put_be64(last + 8, (uint64_t)total * 8);
	ghash(g, x, last, 1);
	for (i = 0; i < 16; i++)
		tag[i] = x[i] ^ ek0[i];
	tb_wipe(x, sizeof x);
	tb_wipe(ek0, sizeof ek0);
}

static int
gcm_lengths_ok(size_t aadlen, size_t len)
{
	return (uint64_t)len <= TB_GCM_MAX_LEN &&
	    (uint64_t)aadlen <= ((uint64_t)1 << 61) - 1;
}

int
tb_gcm_seal(const struct tb_gcm *g, const uint8_t nonce[TB_GCM_NONCE_LEN],
    const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t len, uint8_t *out,
    uint8_t tag[TB_GCM_TAG_LEN])
{
	if (!gcm_lengths_ok(aadlen, len))
		return -1;
	gcm_crypt(g, nonce, aad, aadlen, in, len, out, tag, 1);
	return 0;
}

int
tb_gcm_open(const struct tb_gcm *g, const uint8_t nonce[TB_GCM_NONCE_LEN],
    const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t len,
    const uint8_t tag[TB_GCM_TAG_LEN], uint8_t *out)
{
	uint8_t want[16];
	uint64_t keep;
	size_t i;
	int ok;

	if (!gcm_lengths_ok(aadlen, len))
		return -1;
	gcm_crypt(g, nonce, aad, aadlen, in, len, out, want, 0);
	ok = tb_ct_eq(want, tag, 16);
	tb_wipe(want, sizeof want);
	/*
	 * Zero the output unless the tag was right, without a branch on the
	 * verdict: the check under valgrind sees it as secret (it is derived
	 * from the key) and only the caller makes it public.
	 */
	keep = (uint64_t)0 - (uint64_t)ok;
	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, out + i, 8);
		w &= keep;
		memcpy(out + i, &w, 8);
	}
	for (; i < len; i++)
		out[i] &= (uint8_t)keep;
	return ok - 1;
}
