/*
 * crypto/aes_ni.c - the x86 fast path of AES and GHASH (see aes.h):
 * AESENC for the rounds, eight counter blocks in flight; PCLMULQDQ for
 * GHASH, eight blocks folded into one reduction with H..H^8.
 *
 * GHASH here works on the same integers as gcm.c's portable code: a
 * block byte-swapped (PSHUFB) is the big-endian 128-bit integer, GCM's
 * polynomial written backwards, and the product is shifted left once
 * and reduced by the same folds (see gcm.c).  The round keys are the
 * plain FIPS 197 ones that aes.c expanded.  Only called when
 * tb_aes_ni_usable() says the CPU has AESNI, PCLMUL, SSSE3 and SSE4.1.
 */
#include <string.h>

#include "crypto/aes.h"
#include "crypto/aes_impl.h"
#include "crypto/ct.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define NI __attribute__((target("aes,pclmul,sse4.1,ssse3")))
/* the helpers must inline, so that the eight blocks stay in registers */
#define NII NI inline __attribute__((always_inline))

NII static void
load_keys(const struct tb_aes *k, __m128i r[15])
{
	unsigned i;

	for (i = 0; i <= k->nr; i++)
		r[i] = _mm_loadu_si128((const __m128i *)(const void *)((const uint8_t *)k->rk + 16 * i));
}

NII static __m128i
enc1(const __m128i r[15], unsigned nr, __m128i b)
{
	unsigned i;

	b = _mm_xor_si128(b, r[0]);
	for (i = 1; i < nr; i++)
		b = _mm_aesenc_si128(b, r[i]);
	return _mm_aesenclast_si128(b, r[nr]);
}

/*
 * The eight blocks b0..b7 of a batch are named variables, not an array,
 * so that they live in registers; the round loop runs the rounds 1..9
 * of AES-128 and the extra four of AES-256.
 */
#define EACH8(op) do { op(b0); op(b1); op(b2); op(b3); op(b4); op(b5); \
	op(b6); op(b7); } while (0)
#define ENC8(r, nr) do { \
	__m128i k_ = (r)[0]; \
	unsigned i_; \
	EACH8(XOR_K); \
	for (i_ = 1; i_ < (nr); i_++) { \
		k_ = (r)[i_]; \
		EACH8(AESENC_K); \
	} \
	k_ = (r)[nr]; \
	EACH8(AESLAST_K); \
} while (0)
#define XOR_K(b) ((b) = _mm_xor_si128((b), k_))
#define AESENC_K(b) ((b) = _mm_aesenc_si128((b), k_))
#define AESLAST_K(b) ((b) = _mm_aesenclast_si128((b), k_))

NI void
tb_aes_ni_enc1(const struct tb_aes *k, const uint8_t in[16], uint8_t out[16])
{
	__m128i r[15];

	load_keys(k, r);
	_mm_storeu_si128((__m128i *)(void *)out,
	    enc1(r, k->nr, _mm_loadu_si128((const __m128i *)(const void *)in)));
	tb_wipe(r, sizeof r);
}

static uint32_t
ctr_get(const uint8_t cb[16])
{
	return (uint32_t)cb[12] << 24 | (uint32_t)cb[13] << 16 |
	    (uint32_t)cb[14] << 8 | cb[15];
}

static void
ctr_put(uint8_t cb[16], uint32_t c)
{
	cb[12] = (uint8_t)(c >> 24);
	cb[13] = (uint8_t)(c >> 16);
	cb[14] = (uint8_t)(c >> 8);
	cb[15] = (uint8_t)c;
}

/* the counter block with low 32 bits c (inc32: mod 2^32) */
NII static __m128i
ctr_block(__m128i tmpl, uint32_t c)
{
	return _mm_insert_epi32(tmpl, (int)__builtin_bswap32(c), 3);
}

#define LOADU(p) _mm_loadu_si128((const __m128i *)(const void *)(p))
#define STOREU(p, v) _mm_storeu_si128((__m128i *)(void *)(p), (v))

#define CTR8() do { b0 = ctr_block(tmpl, c); b1 = ctr_block(tmpl, c + 1); \
	b2 = ctr_block(tmpl, c + 2); b3 = ctr_block(tmpl, c + 3); \
	b4 = ctr_block(tmpl, c + 4); b5 = ctr_block(tmpl, c + 5); \
	b6 = ctr_block(tmpl, c + 6); b7 = ctr_block(tmpl, c + 7); } while (0)
#define XORSTORE1(b, j) STOREU(out + 16 * (j), _mm_xor_si128((b), LOADU(in + 16 * (j))))
#define XORSTORE8() do { XORSTORE1(b0, 0); XORSTORE1(b1, 1); XORSTORE1(b2, 2); \
	XORSTORE1(b3, 3); XORSTORE1(b4, 4); XORSTORE1(b5, 5); XORSTORE1(b6, 6); \
	XORSTORE1(b7, 7); } while (0)

NI void
tb_aes_ni_ctr32(const struct tb_aes *k, uint8_t cb[16], const uint8_t *in,
    size_t n, uint8_t *out)
{
	__m128i r[15], b0, b1, b2, b3, b4, b5, b6, b7, tmpl = LOADU(cb);
	uint32_t c = ctr_get(cb);

	load_keys(k, r);
	for (; n >= 8; n -= 8, in += 128, out += 128, c += 8) {
		CTR8();
		ENC8(r, k->nr);
		XORSTORE8();
	}
	for (; n > 0; n--, in += 16, out += 16, c++)
		STOREU(out, _mm_xor_si128(enc1(r, k->nr, ctr_block(tmpl, c)), LOADU(in)));
	ctr_put(cb, c);
	tb_wipe(r, sizeof r);
}

NII static __m128i
bswap(__m128i x)
{
	return _mm_shuffle_epi8(x, _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
	    11, 12, 13, 14, 15));
}

/* the partial products of a*b, added to lo, mid and hi */
NII static void
mul_acc(__m128i a, __m128i b, __m128i *lo, __m128i *mid, __m128i *hi)
{
	*lo = _mm_xor_si128(*lo, _mm_clmulepi64_si128(a, b, 0x00));
	*hi = _mm_xor_si128(*hi, _mm_clmulepi64_si128(a, b, 0x11));
	*mid = _mm_xor_si128(*mid, _mm_xor_si128(_mm_clmulepi64_si128(a, b, 0x01),
	    _mm_clmulepi64_si128(a, b, 0x10)));
}

/* x<<63 ^ x<<62 ^ x<<57 in each lane: where bits land when shifted right by 1, 2, 7 */
NII static __m128i
spill(__m128i x)
{
	return _mm_xor_si128(_mm_xor_si128(_mm_slli_epi64(x, 63), _mm_slli_epi64(x, 62)),
	    _mm_slli_epi64(x, 57));
}

/* the 255-bit product (hi, mid, lo) shifted left once and reduced (gcm.c) */
NII static __m128i
reduce(__m128i lo, __m128i mid, __m128i hi)
{
	__m128i clo, chi, v;

	lo = _mm_xor_si128(lo, _mm_slli_si128(mid, 8));
	hi = _mm_xor_si128(hi, _mm_srli_si128(mid, 8));
	/* the 256-bit (hi, lo) left by one */
	clo = _mm_srli_epi64(lo, 63);
	chi = _mm_srli_epi64(hi, 63);
	hi = _mm_or_si128(_mm_slli_epi64(hi, 1), _mm_slli_si128(chi, 8));
	hi = _mm_or_si128(hi, _mm_srli_si128(clo, 8));
	lo = _mm_or_si128(_mm_slli_epi64(lo, 1), _mm_slli_si128(clo, 8));
	/* fold lo, and what its low lane pushes out, into hi */
	v = _mm_xor_si128(lo, _mm_slli_si128(spill(lo), 8));
	hi = _mm_xor_si128(hi, v);
	hi = _mm_xor_si128(hi, _mm_srli_si128(spill(v), 8));
	hi = _mm_xor_si128(hi, _mm_xor_si128(_mm_srli_epi64(v, 1), _mm_srli_epi64(v, 2)));
	return _mm_xor_si128(hi, _mm_srli_epi64(v, 7));
}

NII static __m128i
gmul(__m128i a, __m128i b)
{
	__m128i lo = _mm_setzero_si128(), mid = lo, hi = lo;

	mul_acc(a, b, &lo, &mid, &hi);
	return reduce(lo, mid, hi);
}

/* h[i] = H^(i+1) as integers (low lane first), from h[0] = (hi, lo) of gcm.c */
NI void
tb_gcm_ni_init(struct tb_gcm *g)
{
	__m128i h, p;
	int i;

	h = _mm_set_epi64x((long long)g->h[0][0], (long long)g->h[0][1]);
	p = h;
	for (i = 0; i < 8; i++) {
		STOREU(g->h[i], p);
		p = gmul(p, h);
	}
}

/* x = ((x ^ p[0]) H^8 ^ p[1] H^7 ^ ... ^ p[7] H), p eight blocks in memory */
NII static __m128i
ghash8(const __m128i hp[8], __m128i x, const uint8_t *p)
{
	__m128i lo = _mm_setzero_si128(), mid = lo, hi = lo;
	int j;

	mul_acc(_mm_xor_si128(x, bswap(LOADU(p))), hp[7], &lo, &mid, &hi);
	for (j = 1; j < 8; j++)
		mul_acc(bswap(LOADU(p + 16 * j)), hp[7 - j], &lo, &mid, &hi);
	return reduce(lo, mid, hi);
}

NII static void
load_h(const struct tb_gcm *g, __m128i hp[8])
{
	int i;

	for (i = 0; i < 8; i++)
		hp[i] = LOADU(g->h[i]);
}

NI void
tb_gcm_ni_ghash(const struct tb_gcm *g, uint8_t xb[16], const uint8_t *p, size_t n)
{
	__m128i hp[8], x = bswap(LOADU(xb));

	load_h(g, hp);
	for (; n >= 8; n -= 8, p += 128)
		x = ghash8(hp, x, p);
	for (; n > 0; n--, p += 16)
		x = gmul(_mm_xor_si128(x, bswap(LOADU(p))), hp[0]);
	STOREU(xb, bswap(x));
	tb_wipe(hp, sizeof hp);
}

/*
 * n whole blocks of CTR from cb (advanced past them) with GHASH of the
 * ciphertext into xb.  The GHASH multiplies are stitched into the AES
 * rounds, one block a round, so that the AES and the carry-less
 * multiplier units work at once: when opening, the eight input blocks
 * of this batch (read before the stores, so in == out works); when
 * sealing, the eight output blocks of the batch before.
 */
/*
 * An empty asm that claims to change the blocks and the GHASH sums: the
 * compiler must emit each round's AES and multiplies before the next
 * round's.  Left alone, clang moves all the multiplies ahead of all the
 * rounds, and the loop runs at half the speed.  No instruction comes
 * of it.
 */
#define ROUND_FENCE() __asm__("" : "+x"(b0), "+x"(b1), "+x"(b2), "+x"(b3), \
	"+x"(b4), "+x"(b5), "+x"(b6), "+x"(b7), "+x"(lo), "+x"(mid), "+x"(hi))

NI void
tb_gcm_ni_crypt(const struct tb_gcm *g, uint8_t xb[16], uint8_t cb[16],
    const uint8_t *in, size_t n, uint8_t *out, int enc)
{
	__m128i r[15], hp[8], b0, b1, b2, b3, b4, b5, b6, b7, k_, lo, mid, hi;
	__m128i x = bswap(LOADU(xb)), tmpl = LOADU(cb);
	const uint8_t *prev = NULL, *gp;
	uint32_t c = ctr_get(cb);
	unsigned nr = g->aes.nr, i;

	load_keys(&g->aes, r);
	load_h(g, hp);
	for (; n >= 8; n -= 8, in += 128, out += 128, c += 8) {
		gp = enc ? prev : in;
		CTR8();
		k_ = r[0];
		EACH8(XOR_K);
		i = 1;
		if (gp != NULL) {
			lo = mid = hi = _mm_setzero_si128();
			k_ = r[1];
			EACH8(AESENC_K);
			mul_acc(_mm_xor_si128(x, bswap(LOADU(gp))), hp[7], &lo, &mid, &hi);
			ROUND_FENCE();
			for (i = 2; i <= 8; i++) {
				k_ = r[i];
				EACH8(AESENC_K);
				mul_acc(bswap(LOADU(gp + 16 * (i - 1))), hp[8 - i], &lo, &mid, &hi);
				ROUND_FENCE();
			}
			x = reduce(lo, mid, hi);
		}
		for (; i < nr; i++) {
			k_ = r[i];
			EACH8(AESENC_K);
		}
		k_ = r[nr];
		EACH8(AESLAST_K);
		XORSTORE8();
		prev = out;
	}
	if (enc && prev != NULL)
		x = ghash8(hp, x, prev);
	for (; n > 0; n--, in += 16, out += 16, c++) {
		__m128i d = LOADU(in), o;

		o = _mm_xor_si128(d, enc1(r, nr, ctr_block(tmpl, c)));
		STOREU(out, o);
		x = gmul(_mm_xor_si128(x, bswap(enc ? o : d)), hp[0]);
	}
	ctr_put(cb, c);
	STOREU(xb, bswap(x));
	tb_wipe(r, sizeof r);
	tb_wipe(hp, sizeof hp);
}

#else	/* not x86: tb_aes_ni_usable() is 0 and these are never called */

void tb_aes_ni_enc1(const struct tb_aes *k, const uint8_t in[16], uint8_t out[16])
{ (void)k; (void)in; (void)out; }
void tb_aes_ni_ctr32(const struct tb_aes *k, uint8_t cb[16], const uint8_t *in,
    size_t n, uint8_t *out)
{ (void)k; (void)cb; (void)in; (void)n; (void)out; }
void tb_gcm_ni_init(struct tb_gcm *g) { (void)g; }
void tb_gcm_ni_ghash(const struct tb_gcm *g, uint8_t x[16], const uint8_t *p, size_t n)
{ (void)g; (void)x; (void)p; (void)n; }
void tb_gcm_ni_crypt(const struct tb_gcm *g, uint8_t x[16], uint8_t cb[16],
    const uint8_t *in, size_t n, uint8_t *out, int enc)
{ (void)g; (void)x; (void)cb; (void)in; (void)n; (void)out; (void)enc; }

#endif
