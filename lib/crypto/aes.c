/*
 * crypto/aes.c - AES-128 and AES-256 encryption (FIPS 197), the portable
 * constant-time path, and the choice between it and AES-NI (see aes.h).
 *
 * The bitsliced state.  Four blocks (64 bytes, 512 bits) are held in
 * eight 64-bit words q[0..7]: q[i] holds bit i of every byte.  Byte
 * r + 4c of a block (row r, column c of the FIPS 197 state) of block b
 * sits at bit 16r + 4c + b of each word, so that
 *  - SubBytes is one Boolean circuit on the eight words, 64 S-boxes at a
 *    time, with no table;
 *  - ShiftRows rotates each 16-bit row field by 4r bits;
 *  - MixColumns needs row r+1 beside row r: a rotation of the whole word
 *    by 16 bits.
 * Going between bytes and this form is an 8x8 bit-matrix transpose (the
 * bytes are first interleaved so that the transpose lands them where the
 * layout wants them).  Every step is a fixed sequence of word operations
 * whatever the key and data: no branch and no memory index depends on
 * them.
 */
#include <string.h>

#include "crypto/aes.h"
#include "crypto/aes_impl.h"
#include "crypto/ct.h"

int
tb_aes_ni_usable(void)
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned need = TB_CPU_AESNI | TB_CPU_PCLMUL | TB_CPU_SSSE3 | TB_CPU_SSE41;

	return (tb_cpu() & need) == need;
#else
	return 0;
#endif
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* the four bytes of v to the even bytes of a word: byte k to byte 2k */
static uint64_t
spread(uint32_t v)
{
	uint64_t x = v;

	x = (x | x << 16) & 0x0000ffff0000ffffULL;
	return (x | x << 8) & 0x00ff00ff00ff00ffULL;
}

/* the inverse: the even bytes of x back together */
static uint32_t
gather(uint64_t x)
{
	x &= 0x00ff00ff00ff00ffULL;
	x = (x | x >> 8) & 0x0000ffff0000ffffULL;
	return (uint32_t)(x | x >> 16);
}

#define SWAPMOVE(a, b, m, n) do { uint64_t t_ = (((a) >> (n)) ^ (b)) & (m); \
	(b) ^= t_; (a) ^= t_ << (n); } while (0)

/*
 * The 8x8 bit transpose, lane by lane: afterwards bit i of byte m of
 * q[j] is what bit j of byte m of q[i] was.  It is its own inverse.
 */
static void
ortho(uint64_t q[8])
{
	SWAPMOVE(q[0], q[1], 0x5555555555555555ULL, 1);
	SWAPMOVE(q[2], q[3], 0x5555555555555555ULL, 1);
	SWAPMOVE(q[4], q[5], 0x5555555555555555ULL, 1);
	SWAPMOVE(q[6], q[7], 0x5555555555555555ULL, 1);
	SWAPMOVE(q[0], q[2], 0x3333333333333333ULL, 2);
	SWAPMOVE(q[1], q[3], 0x3333333333333333ULL, 2);
	SWAPMOVE(q[4], q[6], 0x3333333333333333ULL, 2);
	SWAPMOVE(q[5], q[7], 0x3333333333333333ULL, 2);
	SWAPMOVE(q[0], q[4], 0x0f0f0f0f0f0f0f0fULL, 4);
	SWAPMOVE(q[1], q[5], 0x0f0f0f0f0f0f0f0fULL, 4);
	SWAPMOVE(q[2], q[6], 0x0f0f0f0f0f0f0f0fULL, 4);
	SWAPMOVE(q[3], q[7], 0x0f0f0f0f0f0f0f0fULL, 4);
}

/*
 * Before the transpose, byte m of word j must hold the byte that belongs
 * at bit 8m + j = 16r + 4c + b: word b (b < 4) takes the columns 0 and 2
 * of block b, word b + 4 the columns 1 and 3, row by row (bytes
 * 0,8,1,9,2,10,3,11 and 4,12,5,13,6,14,7,15).
 */
static void
load_block(uint64_t q[8], int b, const uint8_t *in)
{
	q[b] = spread(le32(in)) | spread(le32(in + 8)) << 8;
	q[b + 4] = spread(le32(in + 4)) | spread(le32(in + 12)) << 8;
}

static void
store_block(const uint64_t q[8], int b, uint8_t *out)
{
	put_le32(out, gather(q[b]));
	put_le32(out + 8, gather(q[b] >> 8));
	put_le32(out + 4, gather(q[b + 4]));
	put_le32(out + 12, gather(q[b + 4] >> 8));
}

/*
 * SubBytes on all 64 bytes: the S-box as the 113-gate circuit of Boyar
 * and Peralta ("A new combinational logic minimization technique with
 * applications to cryptology", 2010; "A depth-16 circuit for the AES
 * S-box", 2011): a linear top layer, the GF(2^4) inversion in the
 * middle, a linear bottom layer.  u0 is the most significant bit.
 */
static void
sbox(uint64_t q[8])
{
	uint64_t u0 = q[7], u1 = q[6], u2 = q[5], u3 = q[4];
	uint64_t u4 = q[3], u5 = q[2], u6 = q[1], u7 = q[0];
	uint64_t t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13, t14;
	uint64_t t15, t16, t17, t18, t19, t20, t21, t22, t23, t24, t25, t26, t27;
	uint64_t m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14;
	uint64_t m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26;
	uint64_t m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38;
	uint64_t m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50;
	uint64_t m51, m52, m53, m54, m55, m56, m57, m58, m59, m60, m61, m62, m63;
	uint64_t l0, l1, l2, l3, l4, l5, l6, l7, l8, l9, l10, l11, l12, l13;
	uint64_t l14, l15, l16, l17, l18, l19, l20, l21, l22, l23, l24, l25;
	uint64_t l26, l27, l28, l29;

	/* top linear layer */
	t1 = u0 ^ u3;
	t2 = u0 ^ u5;
	t3 = u0 ^ u6;
	t4 = u3 ^ u5;
	t5 = u4 ^ u6;
	t6 = t1 ^ t5;
	t7 = u1 ^ u2;
	t8 = u7 ^ t6;
	t9 = u7 ^ t7;
	t10 = t6 ^ t7;
	t11 = u1 ^ u5;
	t12 = u2 ^ u5;
	t13 = t3 ^ t4;
	t14 = t6 ^ t11;
	t15 = t5 ^ t11;
	t16 = t5 ^ t12;
	t17 = t9 ^ t16;
	t18 = u3 ^ u7;
	t19 = t7 ^ t18;
	t20 = t1 ^ t19;
	t21 = u6 ^ u7;
	t22 = t7 ^ t21;
	t23 = t2 ^ t22;
	t24 = t2 ^ t10;
	t25 = t20 ^ t17;
	t26 = t3 ^ t16;
	t27 = t1 ^ t12;

	/* the non-linear middle */
	m1 = t13 & t6;
	m2 = t23 & t8;
	m3 = t14 ^ m1;
	m4 = t19 & u7;
	m5 = m4 ^ m1;
	m6 = t3 & t16;
	m7 = t22 & t9;
	m8 = t26 ^ m6;
	m9 = t20 & t17;
	m10 = m9 ^ m6;
	m11 = t1 & t15;
	m12 = t4 & t27;
	m13 = m12 ^ m11;
	m14 = t2 & t10;
	m15 = m14 ^ m11;
	m16 = m3 ^ m2;
	m17 = m5 ^ t24;
	m18 = m8 ^ m7;
	m19 = m10 ^ m15;
	m20 = m16 ^ m13;
	m21 = m17 ^ m15;
	m22 = m18 ^ m13;
	m23 = m19 ^ t25;
	m24 = m22 ^ m23;
	m25 = m22 & m20;
	m26 = m21 ^ m25;
	m27 = m20 ^ m21;
	m28 = m23 ^ m25;
	m29 = m28 & m27;
	m30 = m26 & m24;
	m31 = m20 & m23;
	m32 = m27 & m31;
	m33 = m27 ^ m25;
	m34 = m21 & m22;
	m35 = m24 & m34;
	m36 = m24 ^ m25;
	m37 = m21 ^ m29;
	m38 = m32 ^ m33;
	m39 = m23 ^ m30;
	m40 = m35 ^ m36;
	m41 = m38 ^ m40;
	m42 = m37 ^ m39;
	m43 = m37 ^ m38;
	m44 = m39 ^ m40;
	m45 = m42 ^ m41;
	m46 = m44 & t6;
	m47 = m40 & t8;
	m48 = m39 & u7;
	m49 = m43 & t16;
	m50 = m38 & t9;
	m51 = m37 & t17;
	m52 = m42 & t15;
	m53 = m45 & t27;
	m54 = m41 & t10;
	m55 = m44 & t13;
	m56 = m40 & t23;
	m57 = m39 & t19;
	m58 = m43 & t3;
	m59 = m38 & t22;
	m60 = m37 & t20;
	m61 = m42 & t1;
	m62 = m45 & t4;
	m63 = m41 & t2;

	/* bottom linear layer */
	l0 = m61 ^ m62;
	l1 = m50 ^ m56;
	l2 = m46 ^ m48;
	l3 = m47 ^ m55;
	l4 = m54 ^ m58;
	l5 = m49 ^ m61;
	l6 = m62 ^ l5;
	l7 = m46 ^ l3;
	l8 = m51 ^ m59;
	l9 = m52 ^ m53;
	l10 = m53 ^ l4;
	l11 = m60 ^ l2;
	l12 = m48 ^ m51;
	l13 = m50 ^ l0;
	l14 = m52 ^ m61;
	l15 = m55 ^ l1;
	l16 = m56 ^ l0;
	l17 = m57 ^ l1;
	l18 = m58 ^ l8;
	l19 = m63 ^ l4;
	l20 = l0 ^ l1;
	l21 = l1 ^ l7;
	l22 = l3 ^ l12;
	l23 = l18 ^ l2;
	l24 = l15 ^ l9;
	l25 = l6 ^ l10;
	l26 = l7 ^ l9;
	l27 = l8 ^ l10;
	l28 = l11 ^ l14;
	l29 = l11 ^ l17;
	q[7] = l6 ^ l24;
	q[6] = ~(l16 ^ l26);
	q[5] = ~(l19 ^ l28);
	q[4] = l6 ^ l21;
	q[3] = l20 ^ l22;
	q[2] = l25 ^ l29;
	q[1] = ~(l13 ^ l27);
	q[0] = ~(l6 ^ l23);
}

/* row r (bits 16r..16r+15) rotates by r columns of 4 bits toward column 0 */
static void
shift_rows(uint64_t q[8])
{
	int i;

	for (i = 0; i < 8; i++) {
		uint64_t x = q[i];

		q[i] = (x & 0x000000000000ffffULL) |
		    ((x >> 4) & 0x000000000fff0000ULL) | ((x << 12) & 0x00000000f0000000ULL) |
		    ((x >> 8) & 0x000000ff00000000ULL) | ((x << 8) & 0x0000ff0000000000ULL) |
		    ((x >> 12) & 0x000f000000000000ULL) | ((x << 4) & 0xfff0000000000000ULL);
	}
}

static uint64_t
rot16(uint64_t x)
{
	return x >> 16 | x << 48;
}

/*
 * MixColumns: out = 2a ^ 3b ^ c ^ d, a..d being the rows r..r+3 of a
 * column, = 2(a ^ b) ^ (b ^ c ^ d).  Doubling in GF(2^8) mod
 * x^8+x^4+x^3+x+1 shifts the bit planes up and folds bit 7 into bits 0,
 * 1, 3 and 4.
 */
static void
mix_columns(uint64_t q[8])
{
	uint64_t t[8], u[8];
	int i;

	for (i = 0; i < 8; i++) {
		uint64_t b = rot16(q[i]), c = rot16(b), d = rot16(c);

		t[i] = q[i] ^ b;
		u[i] = b ^ c ^ d;
	}
	q[0] = t[7] ^ u[0];
	q[1] = t[0] ^ t[7] ^ u[1];
	q[2] = t[1] ^ u[2];
	q[3] = t[2] ^ t[7] ^ u[3];
	q[4] = t[3] ^ t[7] ^ u[4];
	q[5] = t[4] ^ u[5];
	q[6] = t[5] ^ u[6];
	q[7] = t[6] ^ u[7];
}

static void
add_round_key(uint64_t q[8], const uint64_t *rk)
{
	int i;

	for (i = 0; i < 8; i++)
		q[i] ^= rk[i];
}

void
tb_aes_ct_enc4(const struct tb_aes *k, const uint8_t in[64], uint8_t out[64])
{
	uint64_t q[8];
	unsigned r;
	int b;

	for (b = 0; b < 4; b++)
		load_block(q, b, in + 16 * b);
	ortho(q);
	add_round_key(q, k->rk);
	for (r = 1; r < k->nr; r++) {
		sbox(q);
		shift_rows(q);
		mix_columns(q);
		add_round_key(q, k->rk + 8 * r);
	}
	sbox(q);
	shift_rows(q);
	add_round_key(q, k->rk + 8 * k->nr);
	ortho(q);
	for (b = 0; b < 4; b++)
		store_block(q, b, out + 16 * b);
	tb_wipe(q, sizeof q);
}

/* SubWord of the key schedule, through the same circuit (byte 0 low) */
static uint32_t
sub_word(uint32_t w)
{
	uint64_t q[8];
	uint32_t r;

	memset(q, 0, sizeof q);
	q[0] = spread(w);
	ortho(q);
	sbox(q);
	ortho(q);
	r = gather(q[0]);
	tb_wipe(q, sizeof q);
	return r;
}

int
tb_aes_init(struct tb_aes *k, const uint8_t *key, size_t keylen)
{
	static const uint8_t rcon[10] = {
		0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36
	};
	uint32_t w[60];		/* FIPS 197 5.2, words little-endian: byte 0 low */
	uint8_t rk[16];
	unsigned nk, nw, i;

	if (keylen != 16 && keylen != 32)
		return -1;
	memset(k, 0, sizeof *k);
	nk = (unsigned)keylen / 4;
	k->nr = nk + 6;
	nw = 4 * (k->nr + 1);
	for (i = 0; i < nk; i++)
		w[i] = le32(key + 4 * i);
	for (; i < nw; i++) {
		uint32_t t = w[i - 1];

		if (i % nk == 0)
			t = sub_word(t >> 8 | t << 24) ^ rcon[i / nk - 1];
		else if (nk > 6 && i % nk == 4)
			t = sub_word(t);
		w[i] = w[i - nk] ^ t;
	}
	k->ni = (unsigned)tb_aes_ni_usable();
	for (i = 0; i <= k->nr; i++) {
		put_le32(rk, w[4 * i]);
		put_le32(rk + 4, w[4 * i + 1]);
		put_le32(rk + 8, w[4 * i + 2]);
		put_le32(rk + 12, w[4 * i + 3]);
		if (k->ni) {
			memcpy((uint8_t *)k->rk + 16 * i, rk, 16);
		} else {
			uint64_t *q = k->rk + 8 * i;
			int b;

			/* the same round key in all four block slots */
			for (b = 0; b < 4; b++)
				load_block(q, b, rk);
			ortho(q);
		}
	}
	tb_wipe(w, sizeof w);
	tb_wipe(rk, sizeof rk);
	return 0;
}

void
tb_aes_encrypt_block(const struct tb_aes *k, const uint8_t in[16], uint8_t out[16])
{
	uint8_t buf[64];

	if (k->ni) {
		tb_aes_ni_enc1(k, in, out);
		return;
	}
	memset(buf, 0, sizeof buf);
	memcpy(buf, in, 16);
	tb_aes_ct_enc4(k, buf, buf);
	memcpy(out, buf, 16);
	tb_wipe(buf, sizeof buf);
}

/* inc32 of SP 800-38D: the low 32 bits, big-endian, mod 2^32 */
static void
inc32(uint8_t cb[16], uint32_t n)
{
	uint32_t c = (uint32_t)cb[12] << 24 | (uint32_t)cb[13] << 16 |
	    (uint32_t)cb[14] << 8 | cb[15];

	c += n;
	cb[12] = (uint8_t)(c >> 24);
	cb[13] = (uint8_t)(c >> 16);
	cb[14] = (uint8_t)(c >> 8);
	cb[15] = (uint8_t)c;
}

/*
 * CTR from cb over len bytes, and cb advanced past the blocks used (the
 * last one even when partial).  GCM runs its counter through here, so
 * the test of the wrap of tb_aes_ctr32 tests GCM's.
 */
void
tb_aes_ctr32_adv(const struct tb_aes *k, uint8_t cb[16], const uint8_t *in,
    size_t len, uint8_t *out)
{
	uint8_t ks[64];
	size_t i, n;

	if (k->ni && len >= 16) {
		n = len / 16;
		tb_aes_ni_ctr32(k, cb, in, n, out);
		in += 16 * n;
		out += 16 * n;
		len -= 16 * n;
	}
	while (len > 0) {
		n = len < 64 ? len : 64;
		for (i = 0; i < 4; i++) {
			memcpy(ks + 16 * i, cb, 16);
			if (16 * i < n)
				inc32(cb, 1);
		}
		if (k->ni)
			tb_aes_ni_enc1(k, ks, ks);	/* n < 16 here */
		else
			tb_aes_ct_enc4(k, ks, ks);
		for (i = 0; i < n; i++)
			out[i] = in[i] ^ ks[i];
		in += n;
		out += n;
		len -= n;
	}
	tb_wipe(ks, sizeof ks);
}

void
tb_aes_ctr32(const struct tb_aes *k, const uint8_t cb0[16], const uint8_t *in,
    size_t len, uint8_t *out)
{
	uint8_t cb[16];

	memcpy(cb, cb0, 16);
	tb_aes_ctr32_adv(k, cb, in, len, out);
	tb_wipe(cb, sizeof cb);
}

void
tb_aes_wipe(struct tb_aes *k)
{
	tb_wipe(k, sizeof *k);
}
