/*
 * t_crypto_hash.c - known answers of lib/crypto: SHA-1, SHA-256,
 * SHA-384, SHA-512, HMAC, HKDF and the TLS 1.2 PRF, each run on the portable path (tb_cpu_set(0)) and on
 * every fast path the CPU has (tb_cpu_set(~0u)).
 */
#include <stdio.h>
#include <string.h>

#include "crypto/ct.h"
#include "crypto/hash.h"
#include "tap.h"

#define M448 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define M896 "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn" \
	"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"

/*
 * FIPS 180-4 examples (NIST CSRC "Examples with Intermediate Values":
 * SHA1.pdf, SHA256.pdf, SHA384.pdf, SHA512.pdf): "abc", the 448-bit and
 * 896-bit messages, and one million 'a' (FIPS 180-2 appendix C.3).  The
 * one-byte messages are the first nonempty byte-oriented vectors of the
 * NIST CAVP SHAVS files SHA1ShortMsg.rsp, SHA256ShortMsg.rsp,
 * SHA384ShortMsg.rsp and SHA512ShortMsg.rsp; the empty ones the Len = 0
 * entries of the same files.
 */
static const struct kat {
	const struct tb_hash *h;
	const char *msg;	/* repeated rep times */
	size_t rep;
	const char *md;
} kats[] = {
	{ &tb_hash_sha1, "abc", 1, "a9993e364706816aba3e25717850c26c9cd0d89d" },
	{ &tb_hash_sha1, M448, 1, "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
	{ &tb_hash_sha1, M896, 1, "a49b2446a02c645bf419f995b67091253a04a259" },
	{ &tb_hash_sha1, "a", 1000000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f" },
	{ &tb_hash_sha1, "", 1, "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
	{ &tb_hash_sha1, "\x36", 1, "c1dfd96eea8cc2b62785275bca38ac261256e278" },
	{ &tb_hash_sha256, "abc", 1,
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ &tb_hash_sha256, M448, 1,
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ &tb_hash_sha256, M896, 1,
	  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	{ &tb_hash_sha256, "a", 1000000,
	  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
	{ &tb_hash_sha256, "", 1,
	  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ &tb_hash_sha256, "\xd3", 1,
	  "28969cdfa74a12c82f3bad960b0b000aca2ac329deea5c2328ebc6f2ba9802c1" },
	{ &tb_hash_sha384, "abc", 1,
	  "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163"
	  "1a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7" },
	{ &tb_hash_sha384, M448, 1,
	  "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05ab"
	  "fe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b" },
	{ &tb_hash_sha384, M896, 1,
	  "09330c33f71147e83d192fc782cd1b4753111b173b3b05d2"
	  "2fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039" },
	{ &tb_hash_sha384, "a", 1000000,
	  "9d0e1809716474cb086e834e310a4a1ced149e9c00f24852"
	  "7972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985" },
	{ &tb_hash_sha384, "", 1,
	  "38b060a751ac96384cd9327eb1b1e36a21fdb71114be0743"
	  "4c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b" },
	{ &tb_hash_sha384, "\xc5", 1,
	  "b52b72da75d0666379e20f9b4a79c33a329a01f06a2fb786"
	  "5c9062a28c1de860ba432edfd86b4cb1cb8a75b46076e3b1" },
	{ &tb_hash_sha512, "abc", 1,
	  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
	{ &tb_hash_sha512, M448, 1,
	  "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
	  "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445" },
	{ &tb_hash_sha512, M896, 1,
	  "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
	  "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909" },
	{ &tb_hash_sha512, "a", 1000000,
	  "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
	  "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b" },
	{ &tb_hash_sha512, "", 1,
	  "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
	  "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e" },
	{ &tb_hash_sha512, "\x21", 1,
	  "3831a6a6155e509dee59a7f451eb35324d8f8f2df6e3708894740f98fdee2388"
	  "9f4de5adb0c5010dfb555cda77c8ab5dc902094c52de3278f35a75ebc25f093a" },
};

/* the KAT message through update() in pieces of one repetition each */
static void
kat_digest(const struct kat *k, uint8_t *md)
{
	tb_hash_ctx c;
	size_t i, n = strlen(k->msg);

	k->h->init(&c);
	for (i = 0; i < k->rep; i++)
		k->h->update(&c, k->msg, n);
	k->h->final(&c, md);
}

/* the same message as one buffer through the one-shot function */
static void
kat_oneshot(const struct kat *k, uint8_t *md)
{
	static uint8_t big[1000000];
	size_t i, n = strlen(k->msg);

	for (i = 0; i < k->rep; i++)
		memcpy(big + i * n, k->msg, n);
	n *= k->rep;
	if (k->h == &tb_hash_sha1)
		tb_sha1(big, n, md);
	else if (k->h == &tb_hash_sha256)
		tb_sha256(big, n, md);
	else if (k->h == &tb_hash_sha384)
		tb_sha384(big, n, md);
	else
		tb_sha512(big, n, md);
}

static void
run(const char *path)
{
	uint8_t want[TB_HASH_MAX], md[TB_HASH_MAX], buf[300];
	char name[160];
	size_t i, j;

	for (i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
		const struct kat *k = &kats[i];

		snprintf(name, sizeof name, "%s: %s of %s", path, k->h->name,
		    k->rep > 1 ? "a million 'a' (FIPS 180-4)" :
		    strlen(k->msg) == 0 ? "the empty message (SHAVS)" :
		    strlen(k->msg) == 1 ? "one byte (SHAVS ShortMsg)" :
		    strlen(k->msg) == 3 ? "\"abc\" (FIPS 180-4)" :
		    strlen(k->msg) == 56 ? "the 448-bit message (FIPS 180-4)" :
		    "the 896-bit message (FIPS 180-4)");
		TEST(name) {
			CHECK_EQ(tap_hex(k->md, want, sizeof want), k->h->len);
			kat_digest(k, md);
			CHECK_MEM(md, want, k->h->len);
			memset(md, 0, sizeof md);
			kat_oneshot(k, md);
			CHECK_MEM(md, want, k->h->len);
		}
	}

	/* every split of a message across two update calls, across the
	 * block and padding boundaries, gives the one-shot digest */
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 1);
	{
		const struct tb_hash *hs[] = { &tb_hash_sha1, &tb_hash_sha256,
		    &tb_hash_sha384, &tb_hash_sha512 };

		for (i = 0; i < 4; i++) {
			snprintf(name, sizeof name, "%s: %s split across update calls at every offset",
			    path, hs[i]->name);
			TEST(name) {
				size_t n;
				int bad = 0;

				for (n = 0; n <= sizeof(buf); n += 1 + (n > 140) * 7) {
					tb_hash_ctx c;

					hs[i]->init(&c);
					hs[i]->update(&c, buf, n);
					hs[i]->final(&c, want);
					for (j = 0; j <= n; j++) {
						hs[i]->init(&c);
						hs[i]->update(&c, buf, j);
						hs[i]->update(&c, buf + j, 0);
						hs[i]->update(&c, buf + j, n - j);
						hs[i]->final(&c, md);
						bad |= memcmp(md, want, hs[i]->len) != 0;
					}
				}
				CHECK(!bad);
			}
		}
	}
}

/*
 * HMAC: RFC 4231 section 4 test cases 1-7 (SHA-256, SHA-384, SHA-512;
 * case 5 is truncated to 128 bits) and RFC 2202 section 3 test cases
 * 1-7 (SHA-1; case 5 truncated to 96 bits).  Keys and data in hex; a
 * key "aa x 131" is written out by rep().
 */
#define K_0B20 "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"
#define K_AA20 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define K_0C20 "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c"
#define K_0125 "0102030405060708090a0b0c0d0e0f10111213141516171819"
#define D_DD50 "dddddddddddddddddddddddddddddddddddddddddddddddddd" \
	"dddddddddddddddddddddddddddddddddddddddddddddddddd"
#define D_CD50 "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd" \
	"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"

static const struct hmac_kat {
	const struct tb_hash *h;
	const char *key;	/* hex, or NULL: 0xaa repeated keyrep times */
	size_t keyrep;
	const char *data;	/* text, or hex when datahex */
	int datahex;
	size_t tlen;		/* bytes of the tag compared */
	const char *mac;
	const char *what;
} hmac_kats[] = {
	{ &tb_hash_sha256, K_0B20, 0, "Hi There", 0, 32,
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	  "RFC 4231 case 1" },
	{ &tb_hash_sha256, "4a656665", 0, "what do ya want for nothing?", 0, 32,
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	  "RFC 4231 case 2 (key shorter than the tag)" },
	{ &tb_hash_sha256, K_AA20, 0, D_DD50, 1, 32,
	  "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
	  "RFC 4231 case 3" },
	{ &tb_hash_sha256, K_0125, 0, D_CD50, 1, 32,
	  "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
	  "RFC 4231 case 4" },
	{ &tb_hash_sha256, K_0C20, 0, "Test With Truncation", 0, 16,
	  "a3b6167473100ee06e0c796c2955552b", "RFC 4231 case 5 (truncated)" },
	{ &tb_hash_sha256, NULL, 131, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 32,
	  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	  "RFC 4231 case 6 (key longer than a block)" },
	{ &tb_hash_sha256, NULL, 131, "This is a test using a larger than block-size key "
	  "and a larger than block-size data. The key needs to be hashed before "
	  "being used by the HMAC algorithm.", 0, 32,
	  "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
	  "RFC 4231 case 7 (key and data longer than a block)" },
	{ &tb_hash_sha384, K_0B20, 0, "Hi There", 0, 48,
	  "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
	  "faea9ea9076ede7f4af152e8b2fa9cb6", "RFC 4231 case 1" },
	{ &tb_hash_sha384, "4a656665", 0, "what do ya want for nothing?", 0, 48,
	  "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
	  "8e2240ca5e69e2c78b3239ecfab21649", "RFC 4231 case 2" },
	{ &tb_hash_sha384, K_AA20, 0, D_DD50, 1, 48,
	  "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
	  "2a5ab39dc13814b94e3ab6e101a34f27", "RFC 4231 case 3" },
	{ &tb_hash_sha384, K_0125, 0, D_CD50, 1, 48,
	  "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
	  "6801dd23c4a7d679ccf8a386c674cffb", "RFC 4231 case 4" },
	{ &tb_hash_sha384, K_0C20, 0, "Test With Truncation", 0, 16,
	  "3abf34c3503b2a23a46efc619baef897", "RFC 4231 case 5 (truncated)" },
	{ &tb_hash_sha384, NULL, 131, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 48,
	  "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
	  "0c2ef6ab4030fe8296248df163f44952", "RFC 4231 case 6" },
	{ &tb_hash_sha384, NULL, 131, "This is a test using a larger than block-size key "
	  "and a larger than block-size data. The key needs to be hashed before "
	  "being used by the HMAC algorithm.", 0, 48,
	  "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
	  "a678cc31e799176d3860e6110c46523e", "RFC 4231 case 7" },
	{ &tb_hash_sha512, K_0B20, 0, "Hi There", 0, 64,
	  "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	  "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
	  "RFC 4231 case 1" },
	{ &tb_hash_sha512, "4a656665", 0, "what do ya want for nothing?", 0, 64,
	  "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	  "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
	  "RFC 4231 case 2" },
	{ &tb_hash_sha512, K_AA20, 0, D_DD50, 1, 64,
	  "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
	  "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb",
	  "RFC 4231 case 3" },
	{ &tb_hash_sha512, K_0125, 0, D_CD50, 1, 64,
	  "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
	  "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd",
	  "RFC 4231 case 4" },
	{ &tb_hash_sha512, K_0C20, 0, "Test With Truncation", 0, 16,
	  "415fad6271580a531d4179bc891d87a6", "RFC 4231 case 5 (truncated)" },
	{ &tb_hash_sha512, NULL, 131, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 64,
	  "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
	  "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
	  "RFC 4231 case 6" },
	{ &tb_hash_sha512, NULL, 131, "This is a test using a larger than block-size key "
	  "and a larger than block-size data. The key needs to be hashed before "
	  "being used by the HMAC algorithm.", 0, 64,
	  "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
	  "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58",
	  "RFC 4231 case 7" },
	{ &tb_hash_sha1, K_0B20, 0, "Hi There", 0, 20,
	  "b617318655057264e28bc0b6fb378c8ef146be00", "RFC 2202 case 1" },
	{ &tb_hash_sha1, "4a656665", 0, "what do ya want for nothing?", 0, 20,
	  "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79", "RFC 2202 case 2" },
	{ &tb_hash_sha1, K_AA20, 0, D_DD50, 1, 20,
	  "125d7342b9ac11cd91a39af48aa17b4f63f175d3", "RFC 2202 case 3" },
	{ &tb_hash_sha1, K_0125, 0, D_CD50, 1, 20,
	  "4c9007f4026250c6bc8414f9bf50c86c2d7235da", "RFC 2202 case 4" },
	{ &tb_hash_sha1, K_0C20, 0, "Test With Truncation", 0, 12,
	  "4c1a03424b55e07fe7f27be1", "RFC 2202 case 5 (truncated to 96 bits)" },
	{ &tb_hash_sha1, NULL, 80, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 20,
	  "aa4ae5e15272d00e95705637ce8a3b55ed402112", "RFC 2202 case 6" },
	{ &tb_hash_sha1, NULL, 80, "Test Using Larger Than Block-Size Key and Larger "
	  "Than One Block-Size Data", 0, 20,
	  "e8e99d0f45237d786d6bbaa7965c7808bbff1a91", "RFC 2202 case 7" },
};

/* RFC 5869 appendix A: cases 1-3 with SHA-256, 4-7 with SHA-1 */
static const struct hkdf_kat {
	const struct tb_hash *h;
	const char *ikm, *salt, *info;	/* hex; salt NULL: not provided */
	size_t len;
	const char *prk, *okm;
	const char *what;
} hkdf_kats[] = {
	{ &tb_hash_sha256, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	  "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9", 42,
	  "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
	  "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
	  "34007208d5b887185865", "RFC 5869 A.1 (SHA-256, basic)" },
	{ &tb_hash_sha256,
	  "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	  "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
	  "404142434445464748494a4b4c4d4e4f",
	  "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
	  "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
	  "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
	  "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
	  "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
	  "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", 82,
	  "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
	  "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
	  "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
	  "cc30c58179ec3e87c14c01d5c1f3434f1d87", "RFC 5869 A.2 (SHA-256, long inputs)" },
	{ &tb_hash_sha256, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "", 42,
	  "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
	  "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
	  "9d201395faa4b61a96c8", "RFC 5869 A.3 (SHA-256, empty salt and info)" },
	{ &tb_hash_sha1, "0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c",
	  "f0f1f2f3f4f5f6f7f8f9", 42, "9b6c18c432a7bf8f0e71c8eb88f4b30baa2ba243",
	  "085a01ea1b10f36933068b56efa5ad81a4f14b822f5b091568a9cdd4f155fda2"
	  "c22e422478d305f3f896", "RFC 5869 A.4 (SHA-1, basic)" },
	{ &tb_hash_sha1,
	  "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	  "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
	  "404142434445464748494a4b4c4d4e4f",
	  "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
	  "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
	  "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
	  "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
	  "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
	  "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", 82,
	  "8adae09a2a307059478d309b26c4115a224cfaf6",
	  "0bd770a74d1160f7c9f12cd5912a06ebff6adcae899d92191fe4305673ba2ffe"
	  "8fa3f1a4e5ad79f3f334b3b202b2173c486ea37ce3d397ed034c7f9dfeb15c5e"
	  "927336d0441f4c4300e2cff0d0900b52d3b4", "RFC 5869 A.5 (SHA-1, long inputs)" },
	{ &tb_hash_sha1, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "", 42,
	  "da8c8a73c7fa77288ec6f5e7c297786aa0d32d01",
	  "0ac1af7002b3d761d1e55298da9d0506b9ae52057220a306e07b6b87e8df21d0"
	  "ea00033de03984d34918", "RFC 5869 A.6 (SHA-1, empty salt and info)" },
	{ &tb_hash_sha1, "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", NULL, "", 42,
	  "2adccada18779e7c2077ad2eb19d3f3e731385dd",
	  "2c91117204d745f3500d636a62f64f0ab3bae548aa53d423b0d1f27ebba6f5e5"
	  "673a081d70cce7acfc48", "RFC 5869 A.7 (SHA-1, salt not provided)" },
};

/*
 * TLS 1.2 PRF.  No RFC lists vectors; these came from OpenSSL 3.0, whose
 * kdf takes the label as the first bytes of the seed:
 *   L=$(printf 'test label' | xxd -p)
 *   openssl kdf -keylen 100 -kdfopt digest:SHA256 \
 *     -kdfopt hexsecret:9bbe436ba940f017b17652849a71db35 \
 *     -kdfopt hexseed:${L}a0ba9f936cda311827a6f796ffd5198c TLS1-PRF
 *   openssl kdf -keylen 148 -kdfopt digest:SHA384 \
 *     -kdfopt hexsecret:b80b733d6ceefcdc71566ea48e5567df \
 *     -kdfopt hexseed:${L}cd665cf6a8447dd6ff8b27555edb7465 TLS1-PRF
 *   M=$(printf 'master secret' | xxd -p)
 *   openssl kdf -keylen 48 -kdfopt digest:SHA256 \
 *     -kdfopt hexsecret:$(printf '%02x' $(seq 1 48)) \
 *     -kdfopt hexseed:$M$(printf '%02x' $(seq 100 163)) TLS1-PRF
 *   K=$(printf 'key expansion' | xxd -p)
 *   openssl kdf -keylen 200 -kdfopt digest:SHA512 \
 *     -kdfopt hexsecret:$(printf '%02x' $(seq 1 200)) \
 *     -kdfopt hexseed:${K}00 TLS1-PRF
 * The first is also the SHA-256 vector that circulated on the IETF TLS
 * list when TLS 1.2 was written.  The last has a secret longer than a
 * SHA-512 block.
 */
static const struct prf_kat {
	const struct tb_hash *h;
	const char *secret;	/* hex, or NULL: bytes 1..secretlen */
	size_t secretlen;
	const char *label;
	const char *seed;	/* hex, or NULL: bytes 100..100+seedlen-1 */
	size_t seedlen, len;
	const char *out;
} prf_kats[] = {
	{ &tb_hash_sha256, "9bbe436ba940f017b17652849a71db35", 0, "test label",
	  "a0ba9f936cda311827a6f796ffd5198c", 0, 100,
	  "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a"
	  "6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab"
	  "4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701"
	  "87347b66" },
	{ &tb_hash_sha384, "b80b733d6ceefcdc71566ea48e5567df", 0, "test label",
	  "cd665cf6a8447dd6ff8b27555edb7465", 0, 148,
	  "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cd"
	  "e9ca0faa60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd"
	  "8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d918425"
	  "9b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee6"
	  "91c8f3a26854308d5eaa3be85e0990703d73e56f" },
	{ &tb_hash_sha256, NULL, 48, "master secret", NULL, 64, 48,
	  "1ff893305d3ae92184e8790ebc3e089ae7b4c261fb8313afe3ea574dee3edae3"
	  "b4c3db0484d6e13751135bd8dce36b83" },
	{ &tb_hash_sha512, NULL, 200, "key expansion", "00", 0, 200,
	  "d7d7694a0d47e2163df0cec70734780d728d5bb7b5f738cb6904f5e6f0f33fe9"
	  "e2c88638918c484ce0fe954cae8918adcafbcc4b35357a37f9667923ff5d6e96"
	  "0f5162a06a03e78ddac1cdbc9e963821024f88a5382fe98b258e9b26fbfe1533"
	  "9720c80ab2f075adf06935536da594e8bb30e29dac32c999761d9fa116a31319"
	  "2dac432fe2d16fbf626f2f2a5b27b1819a30f908f320fd18457d14a1b9bba76d"
	  "2bc7f8b41242bd94cc55ccba140a827fb2cfda60bd4c281d5f474f2f1432cc85"
	  "da1bacfaa0178eb3" },
};

static void
run_kdf(const char *path)
{
	uint8_t key[256], data[256], want[256], out[256], salt[256], info[256];
	char name[200];
	size_t i, kl, dl, sl, il, n;

	for (i = 0; i < sizeof(hmac_kats) / sizeof(hmac_kats[0]); i++) {
		const struct hmac_kat *k = &hmac_kats[i];

		snprintf(name, sizeof name, "%s: HMAC-%s, %s", path, k->h->name, k->what);
		TEST(name) {
			tb_hmac_ctx c;

			if (k->key != NULL)
				kl = tap_hex(k->key, key, sizeof key);
			else
				memset(key, 0xaa, kl = k->keyrep);
			if (k->datahex)
				dl = tap_hex(k->data, data, sizeof data);
			else
				memcpy(data, k->data, dl = strlen(k->data));
			CHECK_EQ(tap_hex(k->mac, want, sizeof want), k->tlen);
			tb_hmac(k->h, key, kl, data, dl, out);
			CHECK_MEM(out, want, k->tlen);
			/* the same through init/update/final, a byte at a time */
			memset(out, 0, sizeof out);
			tb_hmac_init(&c, k->h, key, kl);
			for (n = 0; n < dl; n++)
				tb_hmac_update(&c, data + n, 1);
			tb_hmac_final(&c, out);
			CHECK_MEM(out, want, k->tlen);
		}
	}
	for (i = 0; i < sizeof(hkdf_kats) / sizeof(hkdf_kats[0]); i++) {
		const struct hkdf_kat *k = &hkdf_kats[i];

		snprintf(name, sizeof name, "%s: HKDF, %s", path, k->what);
		TEST(name) {
			kl = tap_hex(k->ikm, key, sizeof key);
			sl = k->salt ? tap_hex(k->salt, salt, sizeof salt) : 0;
			il = tap_hex(k->info, info, sizeof info);
			CHECK_EQ(tap_hex(k->prk, want, sizeof want), k->h->len);
			tb_hkdf_extract(k->h, k->salt ? salt : NULL, sl, key, kl, out);
			CHECK_MEM(out, want, k->h->len);
			memcpy(data, out, k->h->len);
			CHECK_EQ(tap_hex(k->okm, want, sizeof want), k->len);
			memset(out, 0, sizeof out);
			CHECK_EQ(tb_hkdf_expand(k->h, data, k->h->len, info, il, out, k->len), 0);
			CHECK_MEM(out, want, k->len);
			CHECK_EQ(out[k->len], 0);	/* and not a byte more */
		}
	}
	snprintf(name, sizeof name, "%s: HKDF expand refuses more than 255 hash lengths", path);
	TEST(name) {
		static uint8_t big[255 * 64 + 1];

		memset(key, 7, 32);
		CHECK_EQ(tb_hkdf_expand(&tb_hash_sha256, key, 32, "", 0, big, 255 * 32), 0);
		CHECK_EQ(tb_hkdf_expand(&tb_hash_sha256, key, 32, "", 0, big, 255 * 32 + 1), -1);
		CHECK_EQ(tb_hkdf_expand(&tb_hash_sha512, key, 32, "", 0, big, 255 * 64), 0);
		CHECK_EQ(tb_hkdf_expand(&tb_hash_sha512, key, 32, "", 0, big, 255 * 64 + 1), -1);
		CHECK_EQ(tb_hkdf_expand(&tb_hash_sha1, key, 32, NULL, 0, big, 0), 0);
	}
	for (i = 0; i < sizeof(prf_kats) / sizeof(prf_kats[0]); i++) {
		const struct prf_kat *k = &prf_kats[i];

		snprintf(name, sizeof name, "%s: TLS 1.2 PRF-%s, \"%s\", %zu bytes (openssl kdf TLS1-PRF)",
		    path, k->h->name, k->label, k->len);
		TEST(name) {
			if (k->secret != NULL)
				kl = tap_hex(k->secret, key, sizeof key);
			else
				for (kl = 0; kl < k->secretlen; kl++)
					key[kl] = (uint8_t)(kl + 1);
			if (k->seed != NULL)
				sl = tap_hex(k->seed, salt, sizeof salt);
			else
				for (sl = 0; sl < k->seedlen; sl++)
					salt[sl] = (uint8_t)(sl + 100);
			CHECK_EQ(tap_hex(k->out, want, sizeof want), k->len);
			memset(out, 0, sizeof out);
			tb_tls12_prf(k->h, key, kl, k->label, salt, sl, out, k->len);
			CHECK_MEM(out, want, k->len);
			CHECK_EQ(out[k->len], 0);
			/* a shorter output is a prefix of the longer one */
			memset(out, 0, sizeof out);
			tb_tls12_prf(k->h, key, kl, k->label, salt, sl, out, 13);
			CHECK_MEM(out, want, 13);
			CHECK_EQ(out[13], 0);
		}
	}
}

int
main(void)
{
	tb_cpu_set(0);
	run("portable");
	run_kdf("portable");
	tb_cpu_set(~0u);
	run(tb_cpu() ? "fast" : "fast (none on this CPU: portable again)");
	run_kdf(tb_cpu() ? "fast" : "fast (none on this CPU: portable again)");
	return tap_done();
}
