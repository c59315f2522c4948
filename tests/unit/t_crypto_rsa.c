/*
 * t_crypto_rsa.c - RSA signature verification (lib/crypto/rsa.c) and its
 * bignum (bn.c): known answers, and the malformed signatures and keys that
 * have broken real libraries, each a named test.  The hashes run on the
 * portable path (tb_cpu_set(0)) and on every fast path (tb_cpu_set(~0u));
 * RSA itself has one path.
 *
 * Vectors: RSASSA-PSS example 10.2 of the PKCS #1 v2.1 test vectors
 * (RSA Laboratories, pkcs-1v2-1-vec.zip, pss-vect.txt), and
 * rsa_vectors.h, made by openssl with the command written at its top
 * (tests/crypto/gen-rsa-vectors.sh).
 */
#include <stdio.h>
#include <string.h>

#include "crypto/ct.h"
#include "crypto/rsa.h"
#include "rsa_vectors.h"
#include "tap.h"

/* pss-vect.txt, Example 10: a 2048-bit key; 10.2: SHA-1, a 20-byte salt */
static const char ex10_n[] =
	"a5dd867ac4cb02f90b9457d48c14a770ef991c56c39c0ec65fd11afa8937cea5"
	"7b9be7ac73b45c0017615b82d622e318753b6027c0fd157be12f8090fee2a7ad"
	"cd0eef759f88ba4997c7a42d58c9aa12cb99ae001fe521c13bb5431445a8d5ae"
	"4f5e4c7e948ac227d3604071f20e577e905fbeb15dfaf06d1de5ae6253d63a6a"
	"2120b31a5da5dabc9550600e20f27d3739e2627925fea3cc509f21dff04e6eea"
	"4549c540d6809ff9307eede91fff58733d8385a237d6d3705a33e39190099207"
	"0df7adf1357cf7e3700ce3667de83f17b8df1778db381dce09cb4ad058a51100"
	"1a738198ee27cf55a13b754539906582ec8b174bd58d5d1f3d767c613721ae05";
static const char ex10_2_msg[] =
	"dd670a01465868adc93f26131957a50c52fb777cdbaa30892c9e12361164ec13"
	"979d43048118e4445db87bee58dd987b3425d02071d8dbae80708b039dbb64db"
	"d1de5657d9fed0c118a54143742e0ff3c87f74e45857647af3f79eb0a14c9d75"
	"ea9a1a04b7cf478a897a708fd988f48e801edb0b7039df8c23bb3c56f4e821ac";
static const char ex10_2_sig[] =
	"14ae35d9dd06ba92f7f3b897978aed7cd4bf5ff0b585a40bd46ce1b42cd27030"
	"53bb9044d64e813d8f96db2dd7007d10118f6f8f8496097ad75e1ff692341b28"
	"92ad55a633a1c55e7f0a0ad59a0e203a5b8278aec54dd8622e2831d87174f8ca"
	"ff43ee6c46445345d84a59659bfb92ecd4c818668695f34706f66828a8995963"
	"7f2bf3e3251c24bdba4d4b7649da0022218b119c84e79a6527ec5b8a5f861c15"
	"9952e23ec05e1e717346faefe8b1686825bd2b262fb2531066c0de09acde2e42"
	"31690728b5d85e115a2f6b92b79c25abc9bd9399ff8bcf825a52ea1f56ea76dd"
	"26f43baafa18bfa92a504cbd35699e26d1dcc5a2887385f3c63232f06f3244c3";

static const uint8_t e65537[] = { 0x01, 0x00, 0x01 };
static uint8_t nb[TB_RSA_MAX_BYTES + 8], sig[TB_RSA_MAX_BYTES + 8], dg[TB_HASH_MAX];
static uint8_t buf[2 * TB_RSA_MAX_BYTES];
static size_t nlen, slen;

/* the key of hex modulus nh and e = 65537; 0 or -1 */
static int
key(struct tb_rsa_pub *p, const char *nh, unsigned minbits)
{
	nlen = tap_hex(nh, nb, sizeof nb);
	return tb_rsa_pub_set(p, nb, nlen, e65537, sizeof e65537, minbits);
}

static int
pkcs1(const struct tb_rsa_pub *p, const struct tb_hash *h, const char *dh, const char *sh)
{
	tap_hex(dh, dg, sizeof dg);
	slen = tap_hex(sh, sig, sizeof sig);
	return tb_rsa_verify_pkcs1(p, h, dg, sig, slen);
}

static int
pss(const struct tb_rsa_pub *p, const struct tb_hash *h, const char *dh, const char *sh,
    size_t saltlen)
{
	tap_hex(dh, dg, sizeof dg);
	slen = tap_hex(sh, sig, sizeof sig);
	return tb_rsa_verify_pss(p, h, dg, sig, slen, saltlen);
}

/* a^e mod n for one limb, the slow way, to check the Montgomery code */
static uint64_t
ref_exp(uint64_t a, uint64_t e, uint64_t n)
{
	unsigned __int128 r = 1, b = a % n;

	for (; e; e >>= 1) {
		if (e & 1)
			r = r * b % n;
		b = b * b % n;
	}
	return (uint64_t)r;
}

static void
test_bn(void)
{
	static const uint64_t mods[] = { 3, 0xffffffffffffffc5ull, 0x8000000000000001ull,
	    1000000007, 0xc3a5c85c97cb3127ull };
	static const uint64_t exps[] = { 1, 3, 65537, 0xffffffffull, 17 };
	struct tb_mont m;
	uint64_t a[TB_BN_LIMBS], r[TB_BN_LIMBS], n[TB_BN_LIMBS];
	uint8_t b[16];
	size_t i, j;

	TEST("bn: one-limb Montgomery exponentiation matches a plain modular power") {
		for (i = 0; i < sizeof mods / sizeof mods[0]; i++) {
			n[0] = mods[i];
			CHECK_EQ(tb_mont_init(&m, n, 1), 0);
			for (j = 0; j < sizeof exps / sizeof exps[0]; j++) {
				a[0] = (0x9e3779b97f4a7c15ull * (i + 1) + j) % mods[i];
				tb_mont_exp(&m, r, a, exps[j]);
				CHECK(r[0] == ref_exp(a[0], exps[j], mods[i]));
			}
		}
	}
	TEST("bn: an even modulus, zero limbs or a zero top limb are refused") {
		n[0] = 10;
		CHECK_EQ(tb_mont_init(&m, n, 1), -1);
		n[0] = 11;
		CHECK_EQ(tb_mont_init(&m, n, 0), -1);
		n[1] = 0;
		CHECK_EQ(tb_mont_init(&m, n, 2), -1);
		n[0] = 1;
		CHECK_EQ(tb_mont_init(&m, n, 1), -1);
	}
	TEST("bn: bytes in and out (OS2IP, I2OSP), with leading zeros and overflow") {
		static const uint8_t in[10] = { 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 };

		CHECK_EQ(tb_bn_from_bytes(a, 1, in, sizeof in), 0);
		CHECK(a[0] == 0x0102030405060708ull);
		CHECK_EQ(tb_bn_to_bytes(b, 8, a, 1), 0);
		CHECK_MEM(b, in + 2, 8);
		CHECK_EQ(tb_bn_to_bytes(b, 10, a, 1), 0);
		CHECK_MEM(b, in, 10);
		CHECK_EQ(tb_bn_to_bytes(b, 7, a, 1), -1);
		CHECK_EQ(tb_bn_from_bytes(a, 1, (const uint8_t *)"\x01\x00\x00\x00\x00\x00\x00\x00\x00", 9), -1);
		CHECK_EQ(tb_bn_bits(a, 1), 57);
		a[0] = 0;
		CHECK_EQ(tb_bn_bits(a, 1), 0);
	}
}

static void
test_vectors(void)
{
	static const struct {
		size_t bits;
		const char *n, *d, *p1, *ps;
		const struct tb_hash *h;
	} v[] = {
		{ 2048, v2048_n, v2048_digest, v2048_pkcs1, v2048_pss, &tb_hash_sha256 },
		{ 3072, v3072_n, v3072_digest, v3072_pkcs1, v3072_pss, &tb_hash_sha384 },
		{ 4096, v4096_n, v4096_digest, v4096_pkcs1, v4096_pss, &tb_hash_sha512 },
		{ 8192, v8192_n, v8192_digest, v8192_pkcs1, v8192_pss, &tb_hash_sha256 },
	};
	struct tb_rsa_pub p;
	char name[96];
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		snprintf(name, sizeof name, "openssl vectors, %zu bits, %s: PKCS#1 v1.5 and PSS verify",
		    v[i].bits, v[i].h->name);
		TEST(name) {
			CHECK_EQ(key(&p, v[i].n, 0), 0);
			CHECK_EQ(p.bits, v[i].bits);
			CHECK_EQ(pkcs1(&p, v[i].h, v[i].d, v[i].p1), 0);
			CHECK_EQ(pss(&p, v[i].h, v[i].d, v[i].ps, v[i].h->len), 0);
			/* and each is refused as the other scheme */
			CHECK_EQ(pkcs1(&p, v[i].h, v[i].d, v[i].ps), -1);
			CHECK_EQ(pss(&p, v[i].h, v[i].d, v[i].p1, v[i].h->len), -1);
		}
		snprintf(name, sizeof name, "openssl vectors, %zu bits: a flipped digest bit is refused",
		    v[i].bits);
		TEST(name) {
			CHECK_EQ(key(&p, v[i].n, 0), 0);
			tap_hex(v[i].p1, sig, sizeof sig);
			tap_hex(v[i].d, dg, sizeof dg);
			dg[v[i].h->len - 1] ^= 0x01;
			CHECK_EQ(tb_rsa_verify_pkcs1(&p, v[i].h, dg, sig, p.len), -1);
			tap_hex(v[i].ps, sig, sizeof sig);
			CHECK_EQ(tb_rsa_verify_pss(&p, v[i].h, dg, sig, p.len, v[i].h->len), -1);
			dg[v[i].h->len - 1] ^= 0x01;
			CHECK_EQ(tb_rsa_verify_pss(&p, v[i].h, dg, sig, p.len, v[i].h->len), 0);
		}
	}
	TEST("openssl vector, 2048 bits, sha1: PKCS#1 v1.5 verifies, not as another hash") {
		CHECK_EQ(key(&p, v2048_n, 0), 0);
		CHECK_EQ(pkcs1(&p, &tb_hash_sha1, v2048_sha1_digest, v2048_sha1_pkcs1), 0);
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, v2048_pkcs1), 0);
		CHECK_EQ(pkcs1(&p, &tb_hash_sha384, v2048_digest, v2048_pkcs1), -1);
	}
	TEST("PKCS#1 v2.1 pss-vect.txt example 10.2 (2048 bits, sha1, 20-byte salt)") {
		uint8_t msg[128];
		size_t ml = tap_hex(ex10_2_msg, msg, sizeof msg);

		CHECK_EQ(key(&p, ex10_n, 0), 0);
		tb_sha1(msg, ml, dg);
		slen = tap_hex(ex10_2_sig, sig, sizeof sig);
		CHECK_EQ(tb_rsa_verify_pss(&p, &tb_hash_sha1, dg, sig, slen, 20), 0);
		CHECK_EQ(tb_rsa_verify_pss(&p, &tb_hash_sha1, dg, sig, slen, 19), -1);
		sig[100] ^= 0x40;
		CHECK_EQ(tb_rsa_verify_pss(&p, &tb_hash_sha1, dg, sig, slen, 20), -1);
	}
}

static void
test_signatures(void)
{
	struct tb_rsa_pub p;

	if (key(&p, v2048_n, 0) != 0) {
		TEST("the 2048-bit vector key loads") CHECK(0);
		return;
	}
	TEST("signature with leading zero bytes: valid at full length, refused shortened") {
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, lz_digest, lz_pkcs1), 0);
		CHECK_EQ(sig[0], 0);
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, sig + 1, slen - 1), -1);
	}
	TEST("wrong length signature: one byte short, one byte long (a 00 in front)") {
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, v2048_pkcs1), 0);
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, sig, slen - 1), -1);
		buf[0] = 0;
		memcpy(buf + 1, sig, slen);
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, buf, slen + 1), -1);
		CHECK_EQ(tb_rsa_verify_pss(&p, &tb_hash_sha256, dg, buf, slen + 1, 32), -1);
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, sig, 0), -1);
	}
	TEST("signature >= n: n, n + 1, all ones; n - 1 is in range and wrong") {
		tap_hex(v2048_digest, dg, sizeof dg);
		memcpy(buf, nb, nlen);
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, buf, nlen), -1);
		CHECK_EQ(tb_rsa_verify_pss(&p, &tb_hash_sha256, dg, buf, nlen, 32), -1);
		buf[nlen - 1]++;		/* n is odd: no carry */
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, buf, nlen), -1);
		buf[nlen - 1] -= 2;
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, buf, nlen), -1);
		memset(buf, 0xff, nlen);
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, buf, nlen), -1);
	}
	TEST("signature + n, the same value mod n, refused (s < n is checked)") {
		unsigned c = 0;
		size_t i;

		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, lz_digest, lz_pkcs1), 0);
		for (i = nlen; i-- > 0;) {
			c += (unsigned)sig[i] + nb[i];
			buf[i] = (uint8_t)c;
			c >>= 8;
		}
		CHECK_EQ(c, 0);		/* lz_pkcs1 is small enough to add n */
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, buf, nlen), -1);
	}
	TEST("signature 0 and 1 are refused") {
		memset(buf, 0, nlen);
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, buf, nlen), -1);
		CHECK_EQ(tb_rsa_verify_pss(&p, &tb_hash_sha256, dg, buf, nlen, 32), -1);
		buf[nlen - 1] = 1;
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, buf, nlen), -1);
		CHECK_EQ(tb_rsa_verify_pss(&p, &tb_hash_sha256, dg, buf, nlen, 32), -1);
	}
	TEST("raw-signed 00 01 FF.. 00 DigestInfo digest verifies (the control)") {
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, em_good), 0);
	}
	TEST("wrong padding: a byte of the FF run changed") {
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, em_ffrun), -1);
	}
	TEST("wrong padding: the 00 separator missing") {
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, em_nosep), -1);
	}
	TEST("wrong padding: block type 00 02") {
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, em_bt2), -1);
	}
	TEST("wrong padding: a short FF run with garbage after the digest (Bleichenbacher'06)") {
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, em_short), -1);
	}
	TEST("wrong DigestInfo: the SHA-384 OID over a SHA-256 digest") {
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, em_oid), -1);
	}
	TEST("wrong DigestInfo: NULL parameters absent (only the NULL form is accepted)") {
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, em_nonull), -1);
	}
	TEST("trailing garbage after the digest") {
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, em_trail), -1);
	}
	TEST("PSS: the raw-signed unbroken encoded message verifies (the control)") {
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_good, 32), 0);
	}
	TEST("PSS: wrong salt length (0, 20, 31, 33, 64, too long for the key)") {
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_good, 0), -1);
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_good, 20), -1);
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_good, 31), -1);
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_good, 33), -1);
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_good, 64), -1);
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_good, 223), -1);
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_good, (size_t)-1), -1);
	}
	TEST("PSS: wrong trailing byte (0xbd, not 0xbc)") {
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_trailer, 32), -1);
	}
	TEST("PSS: the top bit of maskedDB not zero") {
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_topbit, 32), -1);
	}
	TEST("PSS: a flipped bit in the salt") {
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_salt, 32), -1);
	}
	TEST("PSS: a flipped bit in H") {
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_hash, 32), -1);
	}
}

/* RSAPublicKey DER of the 2048-bit vector key: head, then n, then tail */
static size_t
der(uint8_t *out, const char *head, const char *tail)
{
	size_t n = tap_hex(head, out, 16);

	memcpy(out + n, nb, nlen);
	n += nlen;
	return n + tap_hex(tail, out + n, 32);
}

static void
test_keys(void)
{
	static const uint8_t e3[] = { 3 }, e1[] = { 1 }, eeven[] = { 1, 0, 0 },
	    emax[] = { 0xff, 0xff, 0xff, 0xff }, ebig[] = { 1, 0, 0, 0, 1 },
	    ezero[] = { 0, 0, 1, 0, 1 };
	struct tb_rsa_pub p, q;
	size_t n;

	TEST("modulus too small: 1024 bits refused by default, taken with minbits 1024") {
		CHECK_EQ(key(&p, v1024_n, 0), -1);
		CHECK_EQ(key(&p, v1024_n, 1024), 0);
		CHECK_EQ(key(&p, v1024_n, 512), 0);	/* the floor is 1024 */
		CHECK_EQ(key(&p, v2048_n, 3072), -1);
		CHECK_EQ(key(&p, v3072_n, 3072), 0);
	}
	TEST("modulus too large: 8193 bits refused, 8192 taken") {
		CHECK_EQ(key(&p, v8192_n, 0), 0);
		memset(buf, 0xff, 1025);
		buf[0] = 0x01;
		CHECK_EQ(tb_rsa_pub_set(&p, buf, 1025, e65537, 3, 0), -1);
		buf[0] = 0x00;
		CHECK_EQ(tb_rsa_pub_set(&p, buf, 1025, e65537, 3, 0), 0);
		CHECK_EQ(p.bits, 8192);
	}
	TEST("even modulus refused") {
		key(&p, v2048_n, 0);
		nb[nlen - 1] ^= 1;
		CHECK_EQ(tb_rsa_pub_set(&p, nb, nlen, e65537, 3, 0), -1);
	}
	TEST("public exponent: even, 1, above 2^32 refused; 3, 2^32-1, zero-padded taken") {
		key(&p, v2048_n, 0);
		CHECK_EQ(tb_rsa_pub_set(&p, nb, nlen, eeven, sizeof eeven, 0), -1);
		CHECK_EQ(tb_rsa_pub_set(&p, nb, nlen, e1, sizeof e1, 0), -1);
		CHECK_EQ(tb_rsa_pub_set(&p, nb, nlen, ebig, sizeof ebig, 0), -1);
		CHECK_EQ(tb_rsa_pub_set(&p, nb, nlen, e1, 0, 0), -1);
		CHECK_EQ(tb_rsa_pub_set(&p, nb, nlen, e3, sizeof e3, 0), 0);
		CHECK_EQ(p.e, 3);
		CHECK_EQ(tb_rsa_pub_set(&p, nb, nlen, emax, sizeof emax, 0), 0);
		CHECK_EQ(p.e, 0xffffffffu);
		CHECK_EQ(tb_rsa_pub_set(&p, nb, nlen, ezero, sizeof ezero, 0), 0);
		CHECK_EQ(p.e, 65537);
	}
	TEST("RSAPublicKey DER from openssl parses to the same key") {
		uint8_t d[1100];
		size_t dl = tap_hex(v2048_der, d, sizeof d);

		CHECK_EQ(key(&q, v2048_n, 0), 0);
		CHECK_EQ(tb_rsa_pubkey_parse(&p, d, dl, 0), 0);
		CHECK_EQ(p.bits, 2048);
		CHECK_EQ(p.e, 65537);
		CHECK(memcmp(p.m.n, q.m.n, sizeof p.m.n) == 0);
		CHECK(memcmp(p.m.rr, q.m.rr, sizeof p.m.rr) == 0);
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, v2048_pkcs1), 0);
		CHECK_EQ(tb_rsa_pubkey_parse(&p, d, dl - 1, 0), -1);	/* cut short */
		d[dl] = 0;
		CHECK_EQ(tb_rsa_pubkey_parse(&p, d, dl + 1, 0), -1);	/* trailing byte */
	}
	key(&q, v2048_n, 0);
	TEST("DER: the hand-built encoding parses (the control)") {
		n = der(buf, "3082010a 0282010100", "0203010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), 0);
	}
	TEST("DER: non-minimal length (81 03 for 3) refused") {
		n = der(buf, "3082010b 0282010100", "028103010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
	}
	TEST("DER: long-form length with a leading zero byte refused") {
		n = der(buf, "308300010a 0282010100", "0203010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
		n = der(buf, "3082010b 028300010100", "0203010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
	}
	TEST("DER: indefinite length refused") {
		n = der(buf, "3080 0282010100", "0203010001 0000");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
	}
	TEST("DER: negative modulus (no 00 before a high bit) refused") {
		n = der(buf, "30820109 02820100", "0203010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
	}
	TEST("DER: a needless zero byte in an INTEGER refused") {
		n = der(buf, "3082010b 028201020000", "0203010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
		n = der(buf, "3082010b 0282010100", "020400010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
	}
	TEST("DER: empty INTEGER, wrong tags, a third INTEGER, a length past the end") {
		n = der(buf, "30820107 0282010100", "0200");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
		n = der(buf, "3182010a 0282010100", "0203010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
		n = der(buf, "3082010a 0382010100", "0203010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
		n = der(buf, "3082010d 0282010100", "0203010001 020101");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
		n = der(buf, "3082010b 0282010100", "0203010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
		n = der(buf, "3082010a 0282010100", "0204010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, 0, 0), -1);
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, 1, 0), -1);
	}
	TEST("DER: an even exponent inside a well-formed encoding refused") {
		n = der(buf, "3082010a 0282010100", "0203010000");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
	}
}

int
main(void)
{
	unsigned paths[] = { 0, ~0u };
	size_t i;

	test_bn();
	for (i = 0; i < 2; i++) {
		tb_cpu_set(paths[i]);
		printf("# hashes on %s\n", i ? "every fast path" : "the portable path");
		test_vectors();
		test_signatures();
	}
	test_keys();
	return tap_done();
}
