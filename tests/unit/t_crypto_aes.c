/*
 * t_crypto_aes - AES (FIPS 197) and AES-GCM (SP 800-38D) known answers
 * and edge cases, every one on the portable path (tb_cpu_set(0)) and on
 * the fast path (tb_cpu_set(~0u): AES-NI and PCLMUL when the CPU has
 * them).
 */
#include <stdint.h>

#include "tap.h"
#include "crypto/aes.h"
#include "crypto/ct.h"

static uint8_t key[32], pt[256], ct[256], out[256], aad[64], nonce[12], tag[16];
static uint8_t want[256], wtag[16];
static size_t keylen, ptlen, ctlen, aadlen;

static const char *mode;
static char name[200];

static const char *
named(const char *what)
{
	snprintf(name, sizeof name, "%s (%s)", what, mode);
	return name;
}

/* FIPS 197 appendix C.1 and C.3: the example vectors */
static void
fips197(void)
{
	struct tb_aes k;

	TEST(named("FIPS 197 C.1 AES-128")) {
		tap_hex("000102030405060708090a0b0c0d0e0f", key, 16);
		tap_hex("00112233445566778899aabbccddeeff", pt, 16);
		tap_hex("69c4e0d86a7b0430d8cdb78070b4c55a", want, 16);
		CHECK_EQ(tb_aes_init(&k, key, 16), 0);
		CHECK_EQ(k.nr, 10);
		tb_aes_encrypt_block(&k, pt, out);
		CHECK_MEM(out, want, 16);
		tb_aes_encrypt_block(&k, pt, pt);	/* in place */
		CHECK_MEM(pt, want, 16);
	}
	TEST(named("FIPS 197 C.3 AES-256")) {
		tap_hex("000102030405060708090a0b0c0d0e0f"
		    "101112131415161718191a1b1c1d1e1f", key, 32);
		tap_hex("00112233445566778899aabbccddeeff", pt, 16);
		tap_hex("8ea2b7ca516745bfeafc49904b496089", want, 16);
		CHECK_EQ(tb_aes_init(&k, key, 32), 0);
		CHECK_EQ(k.nr, 14);
		tb_aes_encrypt_block(&k, pt, out);
		CHECK_MEM(out, want, 16);
	}
	TEST(named("AES key lengths other than 16 and 32 are refused")) {
		CHECK_EQ(tb_aes_init(&k, key, 24), -1);
		CHECK_EQ(tb_aes_init(&k, key, 0), -1);
		CHECK_EQ(tb_aes_init(&k, key, 17), -1);
	}
	TEST(named("the path chosen is the one asked for")) {
		CHECK_EQ(tb_aes_init(&k, key, 16), 0);
		CHECK_EQ(k.ni, (tb_cpu() & (TB_CPU_AESNI | TB_CPU_PCLMUL | TB_CPU_SSSE3 |
		    TB_CPU_SSE41)) == (TB_CPU_AESNI | TB_CPU_PCLMUL | TB_CPU_SSSE3 |
		    TB_CPU_SSE41));
	}
	tb_aes_wipe(&k);
}

struct gcmcase {
	const char *name, *key, *nonce, *aad, *pt, *ct, *tag;
};

/*
 * The GCM specification (McGrew and Viega, "The Galois/Counter Mode of
 * Operation", revised 2005, appendix B): test cases 1-4 (AES-128) and
 * 13-16 (AES-256), the ones with a 96-bit IV.
 */
#define K1 "feffe9928665731c6d6a8f9467308308"
#define IV1 "cafebabefacedbaddecaf888"
#define P1 "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
#define P1_60 "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define A1 "feedfacedeadbeeffeedfacedeadbeefabaddad2"
static const struct gcmcase spec[] = {
	{ "GCM spec test case 1", "00000000000000000000000000000000",
	  "000000000000000000000000", "", "", "", "58e2fccefa7e3061367f1d57a4e7455a" },
	{ "GCM spec test case 2", "00000000000000000000000000000000",
	  "000000000000000000000000", "", "00000000000000000000000000000000",
	  "0388dace60b6a392f328c2b971b2fe78", "ab6e47d42cec13bdf53a67b21257bddf" },
	{ "GCM spec test case 3", K1, IV1, "", P1,
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
	  "4d5c2af327cd64a62cf35abd2ba6fab4" },
	{ "GCM spec test case 4", K1, IV1, A1, P1_60,
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
	  "5bc94fbc3221a5db94fae95ae7121a47" },
	{ "GCM spec test case 13", "00000000000000000000000000000000"
	  "00000000000000000000000000000000",
	  "000000000000000000000000", "", "", "", "530f8afbc74536b9a963b4f1c4cb738b" },
	{ "GCM spec test case 14", "00000000000000000000000000000000"
	  "00000000000000000000000000000000",
	  "000000000000000000000000", "", "00000000000000000000000000000000",
	  "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919" },
	{ "GCM spec test case 15", K1 K1, IV1, "", P1,
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
	  "b094dac5d93471bdec1a502270e3cc6c" },
	{ "GCM spec test case 16", K1 K1, IV1, A1, P1_60,
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	  "76fc6ece0f4e1768cddf8853bb2d551b" },
};

static void
load(const struct gcmcase *c)
{
	keylen = tap_hex(c->key, key, sizeof key);
	tap_hex(c->nonce, nonce, sizeof nonce);
	aadlen = tap_hex(c->aad, aad, sizeof aad);
	ptlen = tap_hex(c->pt, pt, sizeof pt);
	ctlen = tap_hex(c->ct, want, sizeof want);
	tap_hex(c->tag, wtag, sizeof wtag);
}

static void
gcm_spec(void)
{
	struct tb_gcm g;
	size_t i;

	for (i = 0; i < sizeof spec / sizeof spec[0]; i++) {
		TEST(named(spec[i].name)) {
			load(&spec[i]);
			CHECK_EQ(ptlen, ctlen);
			CHECK_EQ(tb_gcm_init(&g, key, keylen), 0);
			CHECK_EQ(tb_gcm_seal(&g, nonce, aad, aadlen, pt, ptlen, ct, tag), 0);
			CHECK_MEM(ct, want, ctlen);
			CHECK_MEM(tag, wtag, 16);
			memset(out, 0xaa, sizeof out);
			CHECK_EQ(tb_gcm_open(&g, nonce, aad, aadlen, ct, ctlen, tag, out), 0);
			CHECK_MEM(out, pt, ptlen);
			/* in place, both ways */
			memcpy(out, pt, ptlen);
			CHECK_EQ(tb_gcm_seal(&g, nonce, aad, aadlen, out, ptlen, out, tag), 0);
			CHECK_MEM(out, want, ctlen);
			CHECK_EQ(tb_gcm_open(&g, nonce, aad, aadlen, out, ctlen, tag, out), 0);
			CHECK_MEM(out, pt, ptlen);
			tb_gcm_wipe(&g);
		}
	}
}

static int
all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* test case 4's key, nonce, AAD and plaintext, sealed into ct and tag */
static void
case4(struct tb_gcm *g)
{
	load(&spec[3]);
	tb_gcm_init(g, key, keylen);
	tb_gcm_seal(g, nonce, aad, aadlen, pt, ptlen, ct, tag);
}

static void
gcm_edges(void)
{
	struct tb_gcm g, g2;
	uint8_t t2[16], big[200];
	size_t i, len;
	int bad;

	TEST(named("GCM: every flipped tag bit is rejected")) {
		case4(&g);
		for (bad = 0, i = 0; i < 128; i++) {
			tag[i / 8] ^= (uint8_t)(1 << i % 8);
			bad += tb_gcm_open(&g, nonce, aad, aadlen, ct, ptlen, tag, out) == -1;
			tag[i / 8] ^= (uint8_t)(1 << i % 8);
		}
		CHECK_EQ(bad, 128);
		CHECK_EQ(tb_gcm_open(&g, nonce, aad, aadlen, ct, ptlen, tag, out), 0);
	}
	TEST(named("GCM: every flipped ciphertext bit is rejected")) {
		case4(&g);
		for (bad = 0, i = 0; i < 8 * ptlen; i++) {
			ct[i / 8] ^= (uint8_t)(1 << i % 8);
			bad += tb_gcm_open(&g, nonce, aad, aadlen, ct, ptlen, tag, out) == -1;
			ct[i / 8] ^= (uint8_t)(1 << i % 8);
		}
		CHECK_EQ(bad, (int)(8 * ptlen));
	}
	TEST(named("GCM: every flipped AAD bit is rejected")) {
		case4(&g);
		for (bad = 0, i = 0; i < 8 * aadlen; i++) {
			aad[i / 8] ^= (uint8_t)(1 << i % 8);
			bad += tb_gcm_open(&g, nonce, aad, aadlen, ct, ptlen, tag, out) == -1;
			aad[i / 8] ^= (uint8_t)(1 << i % 8);
		}
		CHECK_EQ(bad, (int)(8 * aadlen));
	}
	TEST(named("GCM: a flipped nonce bit, a shorter AAD or ciphertext are rejected")) {
		case4(&g);
		nonce[11] ^= 1;
		CHECK_EQ(tb_gcm_open(&g, nonce, aad, aadlen, ct, ptlen, tag, out), -1);
		nonce[11] ^= 1;
		CHECK_EQ(tb_gcm_open(&g, nonce, aad, aadlen - 1, ct, ptlen, tag, out), -1);
		CHECK_EQ(tb_gcm_open(&g, nonce, aad, aadlen, ct, ptlen - 1, tag, out), -1);
		/* the AAD moved into the ciphertext: the length block tells them apart */
		CHECK_EQ(tb_gcm_open(&g, nonce, NULL, 0, aad, aadlen, tag, out), -1);
	}
	TEST(named("GCM: open with a wrong tag leaves no plaintext, also in place")) {
		case4(&g);
		tag[0] ^= 0x80;
		memset(out, 0xaa, sizeof out);
		CHECK_EQ(tb_gcm_open(&g, nonce, aad, aadlen, ct, ptlen, tag, out), -1);
		CHECK(all_zero(out, ptlen));
		CHECK_EQ(out[ptlen], 0xaa);	/* and nothing past it */
		memcpy(out, ct, ptlen);
		CHECK_EQ(tb_gcm_open(&g, nonce, aad, aadlen, out, ptlen, tag, out), -1);
		CHECK(all_zero(out, ptlen));
	}
	TEST(named("GCM: empty plaintext with AAD (GMAC)")) {
		case4(&g);
		/* made with: python3 -c 'from cryptography.hazmat.primitives.ciphers.aead
		 * import AESGCM; print(AESGCM(K).encrypt(IV, b"", A).hex())' (K, IV, A of
		 * test case 4) */
		tap_hex("346434fd51d5cd0c5887ec63e39b907a", wtag, 16);
		CHECK_EQ(tb_gcm_seal(&g, nonce, aad, aadlen, NULL, 0, NULL, t2), 0);
		CHECK_MEM(t2, wtag, 16);
		CHECK_EQ(tb_gcm_open(&g, nonce, aad, aadlen, NULL, 0, t2, NULL), 0);
		t2[15] ^= 1;
		CHECK_EQ(tb_gcm_open(&g, nonce, aad, aadlen, NULL, 0, t2, NULL), -1);
	}
	TEST(named("GCM: empty AAD and empty plaintext (test cases 1 and 13)")) {
		load(&spec[0]);
		tb_gcm_init(&g, key, keylen);
		CHECK_EQ(tb_gcm_seal(&g, nonce, NULL, 0, NULL, 0, NULL, t2), 0);
		CHECK_MEM(t2, wtag, 16);
		CHECK_EQ(tb_gcm_open(&g, nonce, NULL, 0, NULL, 0, t2, NULL), 0);
	}
	TEST(named("GCM: plaintexts of 1..47 bytes (partial blocks)")) {
		/*
		 * The ciphertext is a prefix of test case 4's (same keystream); the
		 * tags of some lengths were made with python3's cryptography
		 * (AESGCM(K).encrypt(IV, P[:len], A)); each length round-trips.
		 */
		static const struct { size_t len; const char *tag; } tags[] = {
			{ 1, "9c04b24e54684d360d707b2618202c90" },
			{ 15, "edbdfaecfe45bbdd0284aeaa689c58cd" },
			{ 16, "d9f20ea917428bc48f586f2936d0fddf" },
			{ 17, "b605d0f1deea4c237fab4f166521a235" },
			{ 31, "c36fe2aca9f74fa0c5b2d6a8cecabaee" },
			{ 33, "b2c64e43a2867898b22439bfdd6d40bc" },
			{ 47, "9704b5645a5ceb2cae78e967b77bd9c6" },
		};
		case4(&g);
		for (len = 1; len <= 47; len++) {
			memset(out, 0xaa, sizeof out);
			CHECK_EQ(tb_gcm_seal(&g, nonce, aad, aadlen, pt, len, out, t2), 0);
			CHECK_MEM(out, ct, len);
			CHECK_EQ(out[len], 0xaa);
			for (i = 0; i < sizeof tags / sizeof tags[0]; i++)
				if (tags[i].len == len) {
					tap_hex(tags[i].tag, wtag, 16);
					CHECK_MEM(t2, wtag, 16);
				}
			CHECK_EQ(tb_gcm_open(&g, nonce, aad, aadlen, out, len, t2, out), 0);
			CHECK_MEM(out, pt, len);
		}
	}
	/* GCM runs its counter through tb_aes_ctr32 (its advancing form) */
	TEST(named("GCM: 32-bit counter wraps mod 2^32 without carrying into the nonce")) {
		uint8_t cb[16], blk[16], ks[20 * 16], zero[20 * 16];
		uint32_t c;

		load(&spec[2]);
		tb_aes_init(&g.aes, key, keylen);
		memset(zero, 0, sizeof zero);
		memcpy(cb, nonce, 12);
		/* from 0xfffffff9: the wrap falls inside an eight-block batch */
		cb[12] = cb[13] = cb[14] = 0xff;
		cb[15] = 0xf9;
		tb_aes_ctr32(&g.aes, cb, zero, sizeof zero, ks);
		for (bad = 0, i = 0, c = 0xfffffff9u; i < 20; i++, c++) {
			memcpy(blk, nonce, 12);
			blk[12] = (uint8_t)(c >> 24);
			blk[13] = (uint8_t)(c >> 16);
			blk[14] = (uint8_t)(c >> 8);
			blk[15] = (uint8_t)c;
			tb_aes_encrypt_block(&g.aes, blk, blk);
			bad += memcmp(blk, ks + 16 * i, 16) != 0;
		}
		CHECK_EQ(bad, 0);
		CHECK(c == 13);		/* it did cross zero */
		/* odd lengths: the tail block too */
		tb_aes_ctr32(&g.aes, cb, zero, 7 * 16 + 5, big);
		CHECK_MEM(big, ks, 7 * 16 + 5);
	}
	TEST(named("GCM: lengths over the limit of SP 800-38D are refused")) {
		case4(&g);
		if (sizeof(size_t) > 4) {
			CHECK_EQ(tb_gcm_seal(&g, nonce, aad, aadlen, pt,
			    (size_t)TB_GCM_MAX_LEN + 1, out, t2), -1);
			CHECK_EQ(tb_gcm_open(&g, nonce, aad, aadlen, pt,
			    (size_t)TB_GCM_MAX_LEN + 1, t2, out), -1);
			CHECK_EQ(tb_gcm_seal(&g, nonce, aad, (size_t)1 << 61, pt, 1, out, t2), -1);
		}
		CHECK_EQ(tb_gcm_init(&g, key, 24), -1);
	}
	TEST(named("GCM: seal and open across lengths 0..200 in place and not")) {
		case4(&g);
		for (i = 0; i < sizeof big; i++)
			big[i] = (uint8_t)(i * 7 + 1);
		for (bad = 0, len = 0; len <= sizeof big; len++) {
			uint8_t c1[200], c2[200];

			tb_gcm_seal(&g, nonce, aad, aadlen, big, len, c1, tag);
			memcpy(c2, big, len);
			tb_gcm_seal(&g, nonce, aad, aadlen, c2, len, c2, t2);
			bad += memcmp(c1, c2, len) != 0 || memcmp(tag, t2, 16) != 0;
			bad += tb_gcm_open(&g, nonce, aad, aadlen, c2, len, t2, c2) != 0;
			bad += memcmp(c2, big, len) != 0;
		}
		CHECK_EQ(bad, 0);
	}
	TEST(named("GCM: the fast and portable paths agree on lengths 0..200")) {
		unsigned save = tb_cpu();
		uint8_t c1[200], c2[200];

		load(&spec[6]);
		tb_cpu_set(0);
		tb_gcm_init(&g2, key, keylen);
		tb_cpu_set(~0u);
		tb_gcm_init(&g, key, keylen);
		tb_cpu_set(save);
		for (bad = 0, len = 0; len <= sizeof big; len++) {
			tb_gcm_seal(&g, nonce, big, len % 41, big, len, c1, tag);
			tb_gcm_seal(&g2, nonce, big, len % 41, big, len, c2, t2);
			bad += memcmp(c1, c2, len) != 0 || memcmp(tag, t2, 16) != 0;
		}
		CHECK_EQ(bad, 0);
		tb_gcm_wipe(&g2);
	}
	tb_gcm_wipe(&g);
}

int
main(void)
{
	static const unsigned masks[2] = { 0, ~0u };
	int m;

	for (m = 0; m < 2; m++) {
		tb_cpu_set(masks[m]);
		mode = m == 0 ? "portable" : "fast path";
		fips197();
		gcm_spec();
		gcm_edges();
	}
	return tap_done();
}
