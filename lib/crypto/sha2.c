/*
 * crypto/sha2.c - SHA-256, SHA-384 and SHA-512 (FIPS 180-4), portable C.
 *
 * Every operation on message words is an add, a rotate or a bitwise
 * function: no branch and no table index depends on the data, so the
 * hash is constant time in its input (the length is public).  The
 * message schedule is kept as a ring of 16 words, not 64 or 80, which
 * is as fast with -O2 and smaller with -Oz.
 */
#include <string.h>

#include "crypto/ct.h"
#include "crypto/hash.h"
#include "crypto/hash_impl.h"

static uint32_t
ld32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
ld64(const uint8_t *p)
{
	return (uint64_t)ld32(p) << 32 | ld32(p + 4);
}

static void
st32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
st64(uint8_t *p, uint64_t v)
{
	st32(p, (uint32_t)(v >> 32));
	st32(p + 4, (uint32_t)v);
}

/* ------------------------------------------------------------------ */
/* SHA-256 */

/* the first 32 bits of the fractional parts of the cube roots of the
 * first 64 primes (FIPS 180-4 4.2.2); shared with the SHA-NI path */
const uint32_t tb_sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

#define ROR32(x, n) ((x) >> (n) | (x) << (32 - (n)))
#define CH(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))

void
tb_sha256_blocks_c(uint32_t st[8], const uint8_t *p, size_t n)
{
	uint32_t w[16], a, b, c, d, e, f, g, h, t1, t2;
	int i;

	for (; n > 0; n--, p += 64) {
		a = st[0]; b = st[1]; c = st[2]; d = st[3];
		e = st[4]; f = st[5]; g = st[6]; h = st[7];
		for (i = 0; i < 64; i++) {
			if (i < 16) {
				w[i] = ld32(p + 4 * i);
			} else {
				uint32_t x = w[(i + 1) & 15], y = w[(i + 14) & 15];

				w[i & 15] += (ROR32(x, 7) ^ ROR32(x, 18) ^ (x >> 3)) +
				    (ROR32(y, 17) ^ ROR32(y, 19) ^ (y >> 10)) +
				    w[(i + 9) & 15];
			}
			t1 = h + (ROR32(e, 6) ^ ROR32(e, 11) ^ ROR32(e, 25)) +
			    CH(e, f, g) + tb_sha256_k[i] + w[i & 15];
			t2 = (ROR32(a, 2) ^ ROR32(a, 13) ^ ROR32(a, 22)) +
			    MAJ(a, b, c);
			h = g; g = f; f = e; e = d + t1;
			d = c; c = b; b = a; a = t1 + t2;
		}
		st[0] += a; st[1] += b; st[2] += c; st[3] += d;
		st[4] += e; st[5] += f; st[6] += g; st[7] += h;
	}
	tb_wipe(w, sizeof(w));
}

static void
sha256_blocks(uint32_t st[8], const uint8_t *p, size_t n)
{
#ifdef TB_HAVE_SHANI
	if (tb_cpu() & TB_CPU_SHA) {
		tb_sha256_blocks_ni(st, p, n);
		return;
	}
#endif
	tb_sha256_blocks_c(st, p, n);
}

void
tb_sha256_init(tb_sha256_ctx *c)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
	};

	memcpy(c->h, iv, sizeof(iv));
	c->n = 0;
}

void
tb_sha256_update(tb_sha256_ctx *c, const void *data, size_t len)
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
		sha256_blocks(c->h, c->buf, 1);
		p += k;
		len -= k;
	}
	if (len >= 64) {
		sha256_blocks(c->h, p, len / 64);
		p += len & ~(size_t)63;
		len &= 63;
	}
	if (len > 0)
		memcpy(c->buf, p, len);
}

/* pad and write the state big-endian; outlen words of it */
static void
sha256_finish(tb_sha256_ctx *c, uint8_t *out, int words)
{
	size_t used = (size_t)(c->n & 63);
	uint64_t bits = c->n << 3;
	int i;

	c->buf[used++] = 0x80;
	if (used > 56) {
		memset(c->buf + used, 0, 64 - used);
		sha256_blocks(c->h, c->buf, 1);
		used = 0;
	}
	memset(c->buf + used, 0, 56 - used);
	st64(c->buf + 56, bits);
	sha256_blocks(c->h, c->buf, 1);
	for (i = 0; i < words; i++)
		st32(out + 4 * i, c->h[i]);
	tb_wipe(c, sizeof(*c));
}

void
tb_sha256_final(tb_sha256_ctx *c, uint8_t out[TB_SHA256_LEN])
{
	sha256_finish(c, out, 8);
}

void
tb_sha256(const void *p, size_t n, uint8_t out[TB_SHA256_LEN])
{
	tb_sha256_ctx c;

	tb_sha256_init(&c);
	tb_sha256_update(&c, p, n);
	tb_sha256_final(&c, out);
}

/* ------------------------------------------------------------------ */
/* SHA-384, SHA-512 */

/* the first 64 bits of the fractional parts of the cube roots of the
 * first 80 primes (FIPS 180-4 4.2.3) */
static const uint64_t k512[80] = {
	0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL,
	0xe9b5dba58189dbbcULL, 0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL,
	0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL, 0xd807aa98a3030242ULL,
	0x12835b0145706fbeULL, 0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
	0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL,
	0xc19bf174cf692694ULL, 0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL,
	0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL, 0x2de92c6f592b0275ULL,
	0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
	0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL, 0xb00327c898fb213fULL,
	0xbf597fc7beef0ee4ULL, 0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL,
	0x06ca6351e003826fULL, 0x142929670a0e6e70ULL, 0x27b70a8546d22ffcULL,
	0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
	0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL,
	0x92722c851482353bULL, 0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL,
	0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL, 0xd192e819d6ef5218ULL,
	0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
	0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL, 0x2748774cdf8eeb99ULL,
	0x34b0bcb5e19b48a8ULL, 0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL,
	0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL, 0x748f82ee5defb2fcULL,
	0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
	0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL,
	0xc67178f2e372532bULL, 0xca273eceea26619cULL, 0xd186b8c721c0c207ULL,
	0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL, 0x06f067aa72176fbaULL,
	0x0a637dc5a2c898a6ULL, 0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
	0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL,
	0x431d67c49c100d4cULL, 0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL,
	0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL
};

#define ROR64(x, n) ((x) >> (n) | (x) << (64 - (n)))

static void
sha512_blocks(uint64_t st[8], const uint8_t *p, size_t n)
{
	uint64_t w[16], a, b, c, d, e, f, g, h, t1, t2;
	int i;

	for (; n > 0; n--, p += 128) {
		a = st[0]; b = st[1]; c = st[2]; d = st[3];
		e = st[4]; f = st[5]; g = st[6]; h = st[7];
		for (i = 0; i < 80; i++) {
			if (i < 16) {
				w[i] = ld64(p + 8 * i);
			} else {
				uint64_t x = w[(i + 1) & 15], y = w[(i + 14) & 15];

				w[i & 15] += (ROR64(x, 1) ^ ROR64(x, 8) ^ (x >> 7)) +
				    (ROR64(y, 19) ^ ROR64(y, 61) ^ (y >> 6)) +
				    w[(i + 9) & 15];
			}
			t1 = h + (ROR64(e, 14) ^ ROR64(e, 18) ^ ROR64(e, 41)) +
			    CH(e, f, g) + k512[i] + w[i & 15];
			t2 = (ROR64(a, 28) ^ ROR64(a, 34) ^ ROR64(a, 39)) +
			    MAJ(a, b, c);
			h = g; g = f; f = e; e = d + t1;
			d = c; c = b; b = a; a = t1 + t2;
		}
		st[0] += a; st[1] += b; st[2] += c; st[3] += d;
		st[4] += e; st[5] += f; st[6] += g; st[7] += h;
	}
	tb_wipe(w, sizeof(w));
}

void
tb_sha512_init(tb_sha512_ctx *c)
{
	static const uint64_t iv[8] = {
		0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL,
		0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
		0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
		0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL
	};

	memcpy(c->h, iv, sizeof(iv));
	c->n = 0;
}

void
tb_sha384_init(tb_sha512_ctx *c)
{
	static const uint64_t iv[8] = {
		0xcbbb9d5dc1059ed8ULL, 0x629a292a367cd507ULL,
		0x9159015a3070dd17ULL, 0x152fecd8f70e5939ULL,
		0x67332667ffc00b31ULL, 0x8eb44a8768581511ULL,
		0xdb0c2e0d64f98fa7ULL, 0x47b5481dbefa4fa4ULL
	};

	memcpy(c->h, iv, sizeof(iv));
	c->n = 0;
}

void
tb_sha512_update(tb_sha512_ctx *c, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t used = (size_t)(c->n & 127), k;

	if (len == 0)
		return;	/* and data may be NULL */
	c->n += len;
	if (used > 0) {
		k = 128 - used;
		if (len < k) {
			memcpy(c->buf + used, p, len);
			return;
		}
		memcpy(c->buf + used, p, k);
		sha512_blocks(c->h, c->buf, 1);
		p += k;
		len -= k;
	}
	if (len >= 128) {
		sha512_blocks(c->h, p, len / 128);
		p += len & ~(size_t)127;
		len &= 127;
	}
	if (len > 0)
		memcpy(c->buf, p, len);
}

/* the length field is 128 bits; a byte count in 64 bits fills its low
 * 67 bits */
static void
sha512_finish(tb_sha512_ctx *c, uint8_t *out, int words)
{
	size_t used = (size_t)(c->n & 127);
	int i;

	c->buf[used++] = 0x80;
	if (used > 112) {
		memset(c->buf + used, 0, 128 - used);
		sha512_blocks(c->h, c->buf, 1);
		used = 0;
	}
	memset(c->buf + used, 0, 112 - used);
	st64(c->buf + 112, c->n >> 61);
	st64(c->buf + 120, c->n << 3);
	sha512_blocks(c->h, c->buf, 1);
	for (i = 0; i < words; i++)
		st64(out + 8 * i, c->h[i]);
	tb_wipe(c, sizeof(*c));
}

void
tb_sha512_final(tb_sha512_ctx *c, uint8_t out[TB_SHA512_LEN])
{
	sha512_finish(c, out, 8);
}

void
tb_sha384_final(tb_sha512_ctx *c, uint8_t out[TB_SHA384_LEN])
{
	sha512_finish(c, out, 6);
}

void
tb_sha512(const void *p, size_t n, uint8_t out[TB_SHA512_LEN])
{
	tb_sha512_ctx c;

	tb_sha512_init(&c);
	tb_sha512_update(&c, p, n);
	tb_sha512_final(&c, out);
}

void
tb_sha384(const void *p, size_t n, uint8_t out[TB_SHA384_LEN])
{
	tb_sha512_ctx c;

	tb_sha384_init(&c);
	tb_sha512_update(&c, p, n);
	tb_sha384_final(&c, out);
}
