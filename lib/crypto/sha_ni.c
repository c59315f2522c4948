/*
 * crypto/sha_ni.c - SHA-256 and SHA-1 block functions with the x86 SHA
 * extensions (SHA-NI), chosen at run time by sha2.c and sha1.c when
 * tb_cpu() has TB_CPU_SHA.  tests/unit/t_crypto_hash.c and
 * tests/crypto-hash.bats compare them with the portable C on every
 * known answer and on random messages.
 *
 * The instructions keep the state in two registers in an order of their
 * own: {A,B,E,F} and {C,D,G,H} for SHA-256 (A in the top lane), {A,B,C,D}
 * with A on top for SHA-1.  Each group of four rounds is written out by
 * a macro so that every message register and round-function immediate
 * is a constant the compiler can keep in a register.
 */
#include "crypto/hash_impl.h"

#ifdef TB_HAVE_SHANI
#include <immintrin.h>

#define TB_SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/* four rounds of SHA-256; g is the group, 0..15, a constant */
#define R256(g) do { \
	if ((g) >= 4) \
		m[(g) & 3] = _mm_sha256msg2_epu32(_mm_add_epi32( \
		    _mm_sha256msg1_epu32(m[(g) & 3], m[((g) + 1) & 3]), \
		    _mm_alignr_epi8(m[((g) + 3) & 3], m[((g) + 2) & 3], 4)), \
		    m[((g) + 3) & 3]); \
	wk = _mm_add_epi32(m[(g) & 3], \
	    _mm_loadu_si128((const __m128i *)(const void *)(tb_sha256_k + 4 * (g)))); \
	cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk); \
	abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0e)); \
} while (0)

TB_SHA_TARGET void
tb_sha256_blocks_ni(uint32_t st[8], const uint8_t *p, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i abef, cdgh, abef0, cdgh0, t, wk, m[4];

	/* {A,B,C,D} {E,F,G,H} to {A,B,E,F} {C,D,G,H}, A in the top lane */
	t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(void *)st), 0xb1);
	cdgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(void *)(st + 4)), 0x1b);
	abef = _mm_alignr_epi8(t, cdgh, 8);
	cdgh = _mm_blend_epi16(cdgh, t, 0xf0);

	for (; n > 0; n--, p += 64) {
		abef0 = abef;
		cdgh0 = cdgh;
		m[0] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), bswap);
		m[1] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16)), bswap);
		m[2] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 32)), bswap);
		m[3] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 48)), bswap);
		R256(0); R256(1); R256(2); R256(3);
		R256(4); R256(5); R256(6); R256(7);
		R256(8); R256(9); R256(10); R256(11);
		R256(12); R256(13); R256(14); R256(15);
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}

	t = _mm_shuffle_epi32(abef, 0x1b);		/* {F,E,B,A} */
	cdgh = _mm_shuffle_epi32(cdgh, 0xb1);		/* {D,C,H,G} */
	_mm_storeu_si128((__m128i *)(void *)st, _mm_blend_epi16(t, cdgh, 0xf0));
	_mm_storeu_si128((__m128i *)(void *)(st + 4), _mm_alignr_epi8(cdgh, t, 8));
}

/* four rounds of SHA-1; g is the group, 0..19, f the round function */
#define R1(g, f) do { \
	if ((g) >= 4) \
		m[(g) & 3] = _mm_sha1msg2_epu32(_mm_xor_si128( \
		    _mm_sha1msg1_epu32(m[(g) & 3], m[((g) + 1) & 3]), \
		    m[((g) + 2) & 3]), m[((g) + 3) & 3]); \
	if ((g) == 0) \
		e = _mm_add_epi32(e, m[0]); \
	else \
		e = _mm_sha1nexte_epu32(prev, m[(g) & 3]); \
	prev = abcd; \
	abcd = _mm_sha1rnds4_epu32(abcd, e, f); \
} while (0)

TB_SHA_TARGET void
tb_sha1_blocks_ni(uint32_t st[5], const uint8_t *p, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
	__m128i abcd, e, abcd0, e0, prev, m[4];

	abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(void *)st), 0x1b);
	e0 = _mm_set_epi32((int)st[4], 0, 0, 0);

	for (; n > 0; n--, p += 64) {
		abcd0 = abcd;
		e = e0;
		m[0] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), bswap);
		m[1] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16)), bswap);
		m[2] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 32)), bswap);
		m[3] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 48)), bswap);
		R1(0, 0); R1(1, 0); R1(2, 0); R1(3, 0); R1(4, 0);
		R1(5, 1); R1(6, 1); R1(7, 1); R1(8, 1); R1(9, 1);
		R1(10, 2); R1(11, 2); R1(12, 2); R1(13, 2); R1(14, 2);
		R1(15, 3); R1(16, 3); R1(17, 3); R1(18, 3); R1(19, 3);
		/* E after the 80 rounds comes from A four rounds back */
		e0 = _mm_sha1nexte_epu32(prev, e0);
		abcd = _mm_add_epi32(abcd, abcd0);
	}

	_mm_storeu_si128((__m128i *)(void *)st, _mm_shuffle_epi32(abcd, 0x1b));
	st[4] = (uint32_t)_mm_extract_epi32(e0, 3);
}
#endif
