/*
 * t_crypto_hash.c - known answers of lib/crypto: SHA-1, SHA-256,
 * SHA-384, SHA-512, each run on the portable path (tb_cpu_set(0)) and on
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

int
main(void)
{
	tb_cpu_set(0);
	run("portable");
	tb_cpu_set(~0u);
	run(tb_cpu() ? "fast" : "fast (none on this CPU: portable again)");
	return tap_done();
}
