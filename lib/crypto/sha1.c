/*
 * crypto/sha1.c - SHA-1 (FIPS 180-4), portable C, only to check old
 * signatures and for HMAC-SHA1 where a peer insists.  Constant time in
 * the data, like sha2.c.
 */
#include <string.h>

#include "crypto/ct.h"
#include "crypto/hash.h"
#include "crypto/hash_impl.h"

#define ROL32(x, n) ((x) << (n) | (x) >> (32 - (n)))

void
tb_sha1_blocks_c(uint32_t st[5], const uint8_t *p, size_t n)
{
	uint32_t w[16], a, b, c, d, e, f, k, t;
	int i;

	for (; n > 0; n--, p += 64) {
		a = st[0]; b = st[1]; c = st[2]; d = st[3]; e = st[4];
		for (i = 0; i < 80; i++) {
			if (i < 16) {
				w[i] = (uint32_t)p[4 * i] << 24 |
				    (uint32_t)p[4 * i + 1] << 16 |
				    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
			} else {
				t = w[(i + 13) & 15] ^ w[(i + 8) & 15] ^
				    w[(i + 2) & 15] ^ w[i & 15];
				w[i & 15] = ROL32(t, 1);
			}
			/* the round number is public: these branches are fine */
			if (i < 20) {
				f = d ^ (b & (c ^ d));
				k = 0x5a827999;
			} else if (i < 40) {
				f = b ^ c ^ d;
				k = 0x6ed9eba1;
			} else if (i < 60) {
				f = (b & c) | (d & (b | c));
				k = 0x8f1bbcdc;
			} else {
				f = b ^ c ^ d;
				k = 0xca62c1d6;
			}
			t = ROL32(a, 5) + f + e + k + w[i & 15];
			e = d; d = c; c = ROL32(b, 30); b = a; a = t;
		}
		st[0] += a; st[1] += b; st[2] += c; st[3] += d; st[4] += e;
	}
	tb_wipe(w, sizeof(w));
}

static void
sha1_blocks(uint32_t st[5], const uint8_t *p, size_t n)
{
#ifdef TB_HAVE_SHANI
	if (tb_cpu() & TB_CPU_SHA) {
		tb_sha1_blocks_ni(st, p, n);
		return;
	}
#endif
	tb_sha1_blocks_c(st, p, n);
}

void
tb_sha1_init(tb_sha1_ctx *c)
{
	c->h[0] = 0x67452301;
	c->h[1] = 0xefcdab89;
	c->h[2] = 0x98badcfe;
	c->h[3] = 0x10325476;
	c->h[4] = 0xc3d2e1f0;
	c->n = 0;
}

void
tb_sha1_update(tb_sha1_ctx *c, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t used = (size_t)(c->n & 63), k;

	if (len == 0)
		return;	/* and data may be NULL */
	c->n += len;
	if (used > 0) {
		k = 64 - used;
		if (len < k) {
			memcpy(c->buf + used, p, len);
			return;
		}
		memcpy(c->buf + used, p, k);
		sha1_blocks(c->h, c->buf, 1);
		p += k;
		len -= k;
	}
	if (len >= 64) {
		sha1_blocks(c->h, p, len / 64);
		p += len & ~(size_t)63;
		len &= 63;
	}
	if (len > 0)
		memcpy(c->buf, p, len);
}

void
tb_sha1_final(tb_sha1_ctx *c, uint8_t out[TB_SHA1_LEN])
{
	size_t used = (size_t)(c->n & 63);
	uint64_t bits = c->n << 3;
	int i;

	c->buf[used++] = 0x80;
	if (used > 56) {
		memset(c->buf + used, 0, 64 - used);
		sha1_blocks(c->h, c->buf, 1);
		used = 0;
	}
	memset(c->buf + used, 0, 56 - used);
	for (i = 0; i < 8; i++)
		c->buf[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
	sha1_blocks(c->h, c->buf, 1);
	for (i = 0; i < 5; i++) {
		out[4 * i] = (uint8_t)(c->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)c->h[i];
	}
	tb_wipe(c, sizeof(*c));
}

void
tb_sha1(const void *p, size_t n, uint8_t out[TB_SHA1_LEN])
{
	tb_sha1_ctx c;

	tb_sha1_init(&c);
	tb_sha1_update(&c, p, n);
	tb_sha1_final(&c, out);
}
