/*
 * t_crypto_25519.c - unit tests of lib/crypto/f25519.c, x25519.c and
 * ed25519.c: the RFC 7748 and RFC 8032 known answers, and the edge cases
 * that have broken real implementations, each a named test.  There is
 * one code path (no CPU-specific one), so tb_cpu_set changes nothing here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/c25519.h"
#include "crypto/f25519.h"
#include "tap.h"

static uint8_t *
h32(const char *hex)
{
	static uint8_t buf[8][32];
	static int i;
	uint8_t *b = buf[i++ & 7];

	if (tap_hex(hex, b, 32) != 32) {
		fprintf(stderr, "fixture is not 32 bytes: %s\n", hex);
		exit(2);
	}
	return b;
}

static int
x25519_is(const char *scalar, const char *u, const char *want)
{
	uint8_t out[32];

	return tb_x25519(out, h32(scalar), h32(u)) == 0 &&
	    memcmp(out, h32(want), 32) == 0;
}

/* X25519 of a few scalars with u is all zeros, and says so with -1 */
static int
low_order(const char *u)
{
	static const char *k[] = {
		"a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
		"4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
		"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	};
	static const uint8_t zero[32];
	uint8_t out[32];
	size_t i;

	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		memset(out, 0x55, sizeof(out));
		if (tb_x25519(out, h32(k[i]), h32(u)) != -1 ||
		    memcmp(out, zero, 32) != 0)
			return 0;
	}
	return 1;
}

/* u with bit 255 set: the bit is ignored (RFC 7748 section 5) */
static const char *
top(const char *u)
{
	static char s[65];

	memcpy(s, u, 64);
	s[64] = '\0';
	s[62] = "89abcdef89abcdef"[(s[62] >= 'a' ? s[62] - 'a' + 10 : s[62] - '0') & 15];
	return s;
}

/* the field: encode(decode(x)) for a value x given as 32 bytes */
static int
fe_roundtrip(const char *in, const char *want)
{
	tb_fe f;
	uint8_t out[32];

	tb_fe_frombytes(&f, h32(in));
	tb_fe_tobytes(out, &f);
	return memcmp(out, h32(want), 32) == 0;
}

static void
x25519_tests(void)
{
	static const char *u0 = "0000000000000000000000000000000000000000000000000000000000000000";
	static const char *u1 = "0100000000000000000000000000000000000000000000000000000000000000";
	static const char *um1 = "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f";
	static const char *u8a = "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800";
	static const char *u8b = "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157";
	static const char *up = "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f";
	static const char *up1 = "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f";
	uint8_t k[32], u[32], out[32], a[32], b[32];
	int i;

	/* RFC 7748 section 5.2 */
	TEST("x25519: RFC 7748 5.2 first vector") {
		CHECK(x25519_is(
		    "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
		    "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
		    "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"));
	}
	TEST("x25519: RFC 7748 5.2 second vector (u has bit 255 set, ignored)") {
		CHECK(x25519_is(
		    "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
		    "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
		    "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"));
	}

	/* RFC 7748 section 5.2: k = u = 9, then k, u = X25519(k, u), k */
	memset(k, 0, 32);
	k[0] = 9;
	memcpy(u, k, 32);
	for (i = 1; i <= 1000; i++) {
		tb_x25519(out, k, u);
		memcpy(u, k, 32);
		memcpy(k, out, 32);
		if (i == 1)
			TEST("x25519: RFC 7748 5.2 one iteration") {
				CHECK_MEM(k, h32("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079"), 32);
			}
	}
	TEST("x25519: RFC 7748 5.2 1,000 iterations") {
		CHECK_MEM(k, h32("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51"), 32);
	}
	/*
	 * The 1,000,000 iterations take over a minute here (about 15,000
	 * ladders a second): too slow for every make test.  T25519_MILLION=1
	 * runs them.
	 */
	if (getenv("T25519_MILLION") != NULL) {
		for (; i <= 1000000; i++) {
			tb_x25519(out, k, u);
			memcpy(u, k, 32);
			memcpy(k, out, 32);
		}
		TEST("x25519: RFC 7748 5.2 1,000,000 iterations") {
			CHECK_MEM(k, h32("7c3911e0ab2586fd864497297e575e6f3bc601c0883c30df5f4dd2d24f665424"), 32);
		}
	}

	TEST("x25519: RFC 7748 6.1 Diffie-Hellman, public keys and shared secret") {
		const char *ka = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
		const char *kb = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
		const char *pa = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
		const char *pb = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
		const char *ss = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

		tb_x25519_base(a, h32(ka));
		CHECK_MEM(a, h32(pa), 32);
		tb_x25519_base(b, h32(kb));
		CHECK_MEM(b, h32(pb), 32);
		CHECK(x25519_is(ka, pb, ss));
		CHECK(x25519_is(kb, pa, ss));
	}

	/*
	 * Points of small order (section 6.1: check for the all-zero
	 * result).  Curve25519's group is cyclic of order 8 L, its twist's
	 * 4 L'; a clamped scalar is a multiple of 8, so these give zero.
	 */
	TEST("x25519: low order u = 0 (order 2) gives zeros and -1")
		CHECK(low_order(u0));
	TEST("x25519: low order u = 1 (order 4) gives zeros and -1")
		CHECK(low_order(u1));
	TEST("x25519: low order u = p - 1 (order 4 on the twist) gives zeros and -1")
		CHECK(low_order(um1));
	TEST("x25519: low order u = e0eb7a7c... (order 8) gives zeros and -1")
		CHECK(low_order(u8a));
	TEST("x25519: low order u = 5f9c95bc... (order 8) gives zeros and -1")
		CHECK(low_order(u8b));
	/*
	 * Non-canonical encodings (u >= p, taken mod p): p + x fits in 255
	 * bits only for x < 19, so of the low-order points only 0 and 1 have
	 * one.  Every one of them also comes with bit 255 set.
	 */
	TEST("x25519: low order u = p (non-canonical 0) gives zeros and -1")
		CHECK(low_order(up));
	TEST("x25519: low order u = p + 1 (non-canonical 1) gives zeros and -1")
		CHECK(low_order(up1));
	TEST("x25519: low order points with bit 255 set give zeros and -1") {
		CHECK(low_order(top(u0)));
		CHECK(low_order(top(u1)));
		CHECK(low_order(top(um1)));
		CHECK(low_order(top(u8a)));
		CHECK(low_order(top(u8b)));
		CHECK(low_order(top(up)));
		CHECK(low_order(top(up1)));
	}

	TEST("x25519: non-canonical u = p + 9 is taken as 9 (the base point)") {
		const char *ks = "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4";

		tb_x25519_base(a, h32(ks));
		CHECK_EQ(tb_x25519(b, h32(ks),
		    h32("f6ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")), 0);
		CHECK_MEM(b, a, 32);
		CHECK_EQ(tb_x25519(b, h32(ks),
		    h32("f6ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")), 0);
		CHECK_MEM(b, a, 32);
	}
	TEST("x25519: non-canonical u = 2^255 - 1 is taken as 18") {
		const char *ks = "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d";

		CHECK_EQ(tb_x25519(a, h32(ks),
		    h32("1200000000000000000000000000000000000000000000000000000000000000")), 0);
		CHECK_EQ(tb_x25519(b, h32(ks),
		    h32("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")), 0);
		CHECK_MEM(b, a, 32);
	}
	TEST("x25519: clamping ignores scalar bits 0-2 and 255 and sets bit 254") {
		uint8_t k2[32];

		memcpy(k, h32("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"), 32);
		tb_x25519_base(a, k);
		memcpy(k2, k, 32);
		k2[0] ^= 7;
		k2[31] ^= 0x80 | 0x40;
		tb_x25519_base(b, k2);
		CHECK_MEM(b, a, 32);
	}
	TEST("x25519: out is written even when the result is rejected") {
		memset(out, 0xaa, 32);
		CHECK_EQ(tb_x25519(out, h32(u8a), h32(u0)), -1);
		CHECK_MEM(out, h32(u0), 32);
	}
}

static void
field_tests(void)
{
	tb_fe f, g, h;
	uint8_t out[32];

	TEST("f25519: p .. 2^255 - 1 encode as 0 .. 18 (canonical output)") {
		CHECK(fe_roundtrip("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		    "0000000000000000000000000000000000000000000000000000000000000000"));
		CHECK(fe_roundtrip("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		    "1200000000000000000000000000000000000000000000000000000000000000"));
		CHECK(fe_roundtrip("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"));
		CHECK(fe_roundtrip("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
		    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"));
	}
	TEST("f25519: (p - 1)^2 = 1 and (p - 1) + 1 = 0") {
		tb_fe_frombytes(&f, h32("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"));
		tb_fe_sq(&g, &f);
		tb_fe_tobytes(out, &g);
		CHECK_MEM(out, h32("0100000000000000000000000000000000000000000000000000000000000000"), 32);
		tb_fe_1(&g);
		tb_fe_add(&h, &f, &g);
		CHECK(tb_fe_iszero(&h));
		CHECK(!tb_fe_iszero(&f));
		CHECK(tb_fe_isneg(&g));
		CHECK(!tb_fe_isneg(&f));
	}
	TEST("f25519: x * x^-1 = 1, and 0^-1 = 0") {
		tb_fe_frombytes(&f, h32("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"));
		tb_fe_invert(&g, &f);
		tb_fe_mul(&h, &f, &g);
		tb_fe_tobytes(out, &h);
		CHECK_MEM(out, h32("0100000000000000000000000000000000000000000000000000000000000000"), 32);
		tb_fe_0(&f);
		tb_fe_invert(&g, &f);
		CHECK(tb_fe_iszero(&g));
	}
	TEST("f25519: subtraction wraps: 0 - 1 = p - 1, and neg(neg(x)) = x") {
		tb_fe_0(&f);
		tb_fe_1(&g);
		tb_fe_sub(&h, &f, &g);
		tb_fe_tobytes(out, &h);
		CHECK_MEM(out, h32("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), 32);
		tb_fe_frombytes(&f, h32("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"));
		tb_fe_neg(&g, &f);
		tb_fe_neg(&h, &g);
		tb_fe_tobytes(out, &h);
		CHECK_MEM(out, h32("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"), 32);
	}
}

int
main(void)
{
	field_tests();
	x25519_tests();
	return tap_done();
}
