/*
 * crypto/chacha_simd.c - ChaCha20 on several blocks at once: four with
 * SSSE3 (128-bit registers), eight with AVX2 (256-bit), chosen by
 * chacha.c from tb_cpu().  Register i holds state word i of every block,
 * one block a lane, so the rounds are the portable ones done lane-wise;
 * the lanes are then transposed back into blocks.  The rotations by 16
 * and 8 are byte shuffles.  tests/unit/t_crypto_chacha.c and
 * tests/crypto-chacha.bats compare both with the portable code.
 */
#include <string.h>

#include "crypto/chacha.h"
#include "crypto/chacha_impl.h"
#include "crypto/ct.h"
#include "crypto/poly1305_impl.h"

#ifdef TB_HAVE_CHACHA_SIMD
#include <immintrin.h>

#define QR4(a, b, c, d) do { \
	a = _mm_add_epi32(a, b); d = _mm_shuffle_epi8(_mm_xor_si128(d, a), rot16); \
	c = _mm_add_epi32(c, d); b = _mm_xor_si128(b, c); \
	b = _mm_or_si128(_mm_slli_epi32(b, 12), _mm_srli_epi32(b, 20)); \
	a = _mm_add_epi32(a, b); d = _mm_shuffle_epi8(_mm_xor_si128(d, a), rot8); \
	c = _mm_add_epi32(c, d); b = _mm_xor_si128(b, c); \
	b = _mm_or_si128(_mm_slli_epi32(b, 7), _mm_srli_epi32(b, 25)); \
} while (0)

/* x[a..a+3] (one word group of four blocks) to the four blocks' 16
 * bytes at out + 16 * g, each xored with in */
#define OUT4(a, g) do { \
	__m128i t0_ = _mm_unpacklo_epi32(x[a], x[(a) + 1]); \
	__m128i t1_ = _mm_unpacklo_epi32(x[(a) + 2], x[(a) + 3]); \
	__m128i t2_ = _mm_unpackhi_epi32(x[a], x[(a) + 1]); \
	__m128i t3_ = _mm_unpackhi_epi32(x[(a) + 2], x[(a) + 3]); \
	XOR16(0, g, _mm_unpacklo_epi64(t0_, t1_)); \
	XOR16(1, g, _mm_unpackhi_epi64(t0_, t1_)); \
	XOR16(2, g, _mm_unpacklo_epi64(t2_, t3_)); \
	XOR16(3, g, _mm_unpackhi_epi64(t2_, t3_)); \
} while (0)
#define XOR16(b, g, v) _mm_storeu_si128((__m128i *)(void *)(out + 64 * (b) + 16 * (g)), \
	_mm_xor_si128(v, _mm_loadu_si128((const __m128i *)(const void *)(in + 64 * (b) + 16 * (g)))))

__attribute__((target("ssse3"))) void
tb_chacha20_blocks_ssse3(uint32_t st[16], const uint8_t *in, uint8_t *out, size_t n)
{
	const __m128i rot16 = _mm_set_epi8(13, 12, 15, 14, 9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2);
	const __m128i rot8 = _mm_set_epi8(14, 13, 12, 15, 10, 9, 8, 11, 6, 5, 4, 7, 2, 1, 0, 3);
	__m128i x[16], s[16];
	int i;

	for (i = 0; i < 16; i++)
		s[i] = _mm_set1_epi32((int)st[i]);
	s[12] = _mm_add_epi32(s[12], _mm_set_epi32(3, 2, 1, 0));
	for (; n >= 4; n -= 4, in += 256, out += 256) {
		for (i = 0; i < 16; i++)
			x[i] = s[i];
		for (i = 0; i < 10; i++) {
			QR4(x[0], x[4], x[8], x[12]);
			QR4(x[1], x[5], x[9], x[13]);
			QR4(x[2], x[6], x[10], x[14]);
			QR4(x[3], x[7], x[11], x[15]);
			QR4(x[0], x[5], x[10], x[15]);
			QR4(x[1], x[6], x[11], x[12]);
			QR4(x[2], x[7], x[8], x[13]);
			QR4(x[3], x[4], x[9], x[14]);
		}
		for (i = 0; i < 16; i++)
			x[i] = _mm_add_epi32(x[i], s[i]);
		OUT4(0, 0);
		OUT4(4, 1);
		OUT4(8, 2);
		OUT4(12, 3);
		s[12] = _mm_add_epi32(s[12], _mm_set1_epi32(4));
		st[12] += 4;
	}
	tb_wipe(x, sizeof(x));
	tb_wipe(s, sizeof(s));
}

#define QR8(a, b, c, d) do { \
	a = _mm256_add_epi32(a, b); d = _mm256_shuffle_epi8(_mm256_xor_si256(d, a), rot16); \
	c = _mm256_add_epi32(c, d); b = _mm256_xor_si256(b, c); \
	b = _mm256_or_si256(_mm256_slli_epi32(b, 12), _mm256_srli_epi32(b, 20)); \
	a = _mm256_add_epi32(a, b); d = _mm256_shuffle_epi8(_mm256_xor_si256(d, a), rot8); \
	c = _mm256_add_epi32(c, d); b = _mm256_xor_si256(b, c); \
	b = _mm256_or_si256(_mm256_slli_epi32(b, 7), _mm256_srli_epi32(b, 25)); \
} while (0)

/* transpose x[a..a+3] within each 128-bit half: r[b] then holds words
 * a..a+3 of block b in its low half and of block b + 4 in its high */
#define T8(a, r) do { \
	__m256i t0_ = _mm256_unpacklo_epi32(x[a], x[(a) + 1]); \
	__m256i t1_ = _mm256_unpacklo_epi32(x[(a) + 2], x[(a) + 3]); \
	__m256i t2_ = _mm256_unpackhi_epi32(x[a], x[(a) + 1]); \
	__m256i t3_ = _mm256_unpackhi_epi32(x[(a) + 2], x[(a) + 3]); \
	r[0] = _mm256_unpacklo_epi64(t0_, t1_); \
	r[1] = _mm256_unpackhi_epi64(t0_, t1_); \
	r[2] = _mm256_unpacklo_epi64(t2_, t3_); \
	r[3] = _mm256_unpackhi_epi64(t2_, t3_); \
} while (0)
#define XOR32(off, v) _mm256_storeu_si256((__m256i *)(void *)(out + (off)), \
	_mm256_xor_si256(v, _mm256_loadu_si256((const __m256i *)(const void *)(in + (off)))))

/*
 * Eight blocks of ChaCha20 with AVX2 and, if mac is not NULL, Poly1305
 * over the 512 bytes at mac in the same loop: three or four 16-byte
 * blocks after each double round.  The scalar multiplications of
 * Poly1305 and the vector work of ChaCha20 use different parts of the
 * core, which then run side by side.
 */
#ifdef TB_HAVE_AEAD_AVX2
static const uint8_t spread[11] = { 0, 3, 6, 9, 12, 15, 18, 21, 24, 28, 32 };
#endif

static inline __attribute__((always_inline, target("avx2"))) void
batch8(__m256i s[16], const uint8_t *in, uint8_t *out, const uint8_t *mac,
    uint64_t *h0, uint64_t *h1, uint64_t *h2, uint64_t r0, uint64_t r1, uint64_t s1)
{
	const __m256i rot16 = _mm256_set_epi8(13, 12, 15, 14, 9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2,
	    13, 12, 15, 14, 9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2);
	const __m256i rot8 = _mm256_set_epi8(14, 13, 12, 15, 10, 9, 8, 11, 6, 5, 4, 7, 2, 1, 0, 3,
	    14, 13, 12, 15, 10, 9, 8, 11, 6, 5, 4, 7, 2, 1, 0, 3);
	__m256i x[16], r0v[4], r1v[4], r2v[4], r3v[4];
	int i, b, k;

	for (i = 0; i < 16; i++)
		x[i] = s[i];
	for (i = 0; i < 10; i++) {
		QR8(x[0], x[4], x[8], x[12]);
		QR8(x[1], x[5], x[9], x[13]);
		QR8(x[2], x[6], x[10], x[14]);
		QR8(x[3], x[7], x[11], x[15]);
		QR8(x[0], x[5], x[10], x[15]);
		QR8(x[1], x[6], x[11], x[12]);
		QR8(x[2], x[7], x[8], x[13]);
		QR8(x[3], x[4], x[9], x[14]);
#ifdef TB_HAVE_AEAD_AVX2
		/* 32 Poly1305 blocks over ten double rounds */
		if (mac != NULL)
			for (k = spread[i]; k < spread[i + 1]; k++)
				tb_poly1305_block(h0, h1, h2, r0, r1, s1, mac + 16 * k, 1);
#else
		(void)mac; (void)h0; (void)h1; (void)h2; (void)r0; (void)r1; (void)s1; (void)k;
#endif
	}
	for (i = 0; i < 16; i++)
		x[i] = _mm256_add_epi32(x[i], s[i]);
	T8(0, r0v);
	T8(4, r1v);
	T8(8, r2v);
	T8(12, r3v);
	for (b = 0; b < 4; b++) {
		/* block b: words 0-7 then 8-15 from the low halves;
		 * block b + 4 the same from the high halves */
		XOR32(64 * b, _mm256_permute2x128_si256(r0v[b], r1v[b], 0x20));
		XOR32(64 * b + 32, _mm256_permute2x128_si256(r2v[b], r3v[b], 0x20));
		XOR32(64 * (b + 4), _mm256_permute2x128_si256(r0v[b], r1v[b], 0x31));
		XOR32(64 * (b + 4) + 32, _mm256_permute2x128_si256(r2v[b], r3v[b], 0x31));
	}
	s[12] = _mm256_add_epi32(s[12], _mm256_set1_epi32(8));
	tb_wipe(x, sizeof(x));
	tb_wipe(r0v, sizeof(r0v));
	tb_wipe(r1v, sizeof(r1v));
	tb_wipe(r2v, sizeof(r2v));
	tb_wipe(r3v, sizeof(r3v));
}

static inline __attribute__((always_inline, target("avx2"))) void
load_state(__m256i s[16], const uint32_t st[16])
{
	int i;

	for (i = 0; i < 16; i++)
		s[i] = _mm256_set1_epi32((int)st[i]);
	s[12] = _mm256_add_epi32(s[12], _mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0));
}

/*
 * n blocks (a multiple of 8) of ChaCha20, and with mac_out >= 0
 * Poly1305 over the ciphertext: out when sealing (mac_out 1), so each
 * batch hashes the one before it; in when opening (mac_out 0), so each
 * batch hashes its own input before it writes (in may be out).  The
 * Poly1305 context must be at a block boundary.  One copy of the loop
 * for both callers (noinline): it is the bulk of this file's code.
 */
static __attribute__((noinline, target("avx2"))) void
run_avx2(uint32_t st[16], const uint8_t *in, uint8_t *out, size_t n,
    tb_poly1305_ctx *pc, int mac_out)
{
	const uint64_t r0 = pc->r[0], r1 = pc->r[1], s1 = pc->r[2];
	uint64_t h0 = pc->h[0], h1 = pc->h[1], h2 = pc->h[2];
	__m256i s[16];
	const uint8_t *mac;
	int k;

	load_state(s, st);
	for (mac = NULL; n >= 8; n -= 8, in += 512, out += 512) {
		if (mac_out == 0)
			mac = in;
		batch8(s, in, out, mac, &h0, &h1, &h2, r0, r1, s1);
		if (mac_out == 1)
			mac = out;
		st[12] += 8;
	}
#ifdef TB_HAVE_AEAD_AVX2
	if (mac_out == 1 && mac != NULL)
		for (k = 0; k < 32; k++)
			tb_poly1305_block(&h0, &h1, &h2, r0, r1, s1, mac + 16 * k, 1);
#else
	(void)k;
#endif
	pc->h[0] = h0;
	pc->h[1] = h1;
	pc->h[2] = h2;
	tb_wipe(s, sizeof(s));
}

__attribute__((target("avx2"))) void
tb_chacha20_blocks_avx2(uint32_t st[16], const uint8_t *in, uint8_t *out, size_t n)
{
	tb_poly1305_ctx none;

	memset(&none, 0, sizeof(none));
	run_avx2(st, in, out, n, &none, -1);
}

#ifdef TB_HAVE_AEAD_AVX2
__attribute__((target("avx2"))) void
tb_chacha20_poly1305_avx2(uint32_t st[16], const uint8_t *in, uint8_t *out, size_t n,
    tb_poly1305_ctx *pc, int mac_out)
{
	run_avx2(st, in, out, n, pc, mac_out != 0);
}
#endif
#endif
