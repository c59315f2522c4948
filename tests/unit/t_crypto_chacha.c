/*
 * t_crypto_chacha.c - known answers and edge cases of lib/crypto
 * ChaCha20, Poly1305 and ChaCha20-Poly1305: every test vector of RFC 8439
 * (sections 2.1.1 to 2.8.2 and appendix A.1 to A.5), run on the portable
 * path (tb_cpu_set(0)) and on every fast path the CPU has; then the
 * edges the AEAD must get right, and the fast paths against the portable
 * one on random lengths.
 */
#include <stdio.h>
#include <string.h>

#include "crypto/chacha.h"
#include "crypto/ct.h"
#include "tap.h"

#define SUNSCREEN "Ladies and Gentlemen of the class of '99: If I could offer " \
	"you only one tip for the future, sunscreen would be it."
#define IETF "Any submission to the IETF intended by the Contributor for " \
	"publication as all or part of an IETF Internet-Draft or RFC and any " \
	"statement made within the context of an IETF activity is considered " \
	"an \"IETF Contribution\". Such statements include oral statements in " \
	"IETF sessions, as well as written and electronic communications made " \
	"at any time or place, which are addressed to"
#define JABBER "'Twas brillig, and the slithy toves\nDid gyre and gimble in " \
	"the wabe:\nAll mimsy were the borogoves,\nAnd the mome raths outgrabe."
#define K0 "0000000000000000000000000000000000000000000000000000000000000000"
#define K1 "0000000000000000000000000000000000000000000000000000000000000001"
#define K_SEQ "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define K_80 "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
#define K_1C "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0"

/* ChaCha20 key stream xored on a text (NULL: on zeros), RFC 8439 2.3.2,
 * 2.4.2, A.1, A.2; and the Poly1305 key generation of 2.6.2 and A.4,
 * which is the first 32 bytes of block 0 */
static const struct stream_kat {
	const char *what, *key, *nonce;
	uint32_t counter;
	const char *text;	/* NULL: len zero bytes */
	size_t len;
	const char *out;
} stream_kats[] = {
	{ "2.3.2 block function", K_SEQ, "000000090000004a00000000", 1, NULL, 64,
	  "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
	  "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e" },
	{ "2.4.2 encryption", K_SEQ, "000000000000004a00000000", 1, SUNSCREEN, 0,
	  "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
	  "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
	  "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
	  "5af90bbf74a35be6b40b8eedf2785e42874d" },
	{ "2.6.2 Poly1305 key generation", K_80, "000000000001020304050607", 0, NULL, 32,
	  "8ad5a08b905f81cc815040274ab29471a833b637e3fd0da508dbb8e2fdd1a646" },
	{ "A.1 #1 block", K0, "000000000000000000000000", 0, NULL, 64,
	  "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
	  "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586" },
	{ "A.1 #2 block", K0, "000000000000000000000000", 1, NULL, 64,
	  "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
	  "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f" },
	{ "A.1 #3 block", K1, "000000000000000000000000", 1, NULL, 64,
	  "3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a"
	  "8eca00bbb4a73bdad192b5c42f73f2fd4e273644c8b36125a64addeb006c13a0" },
	{ "A.1 #4 block",
	  "00ff000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000000", 2, NULL, 64,
	  "72d54dfbf12ec44b362692df94137f328fea8da73990265ec1bbbea1ae9af0ca"
	  "13b25aa26cb4a648cb9b9d1be65b2c0924a66c54d545ec1b7374f4872e99f096" },
	{ "A.1 #5 block", K0, "000000000000000000000002", 0, NULL, 64,
	  "c2c64d378cd536374ae204b9ef933fcd1a8b2288b3dfa49672ab765b54ee27c7"
	  "8a970e0e955c14f3a88e741b97c286f75f8fc299e8148362fa198a39531bed6d" },
	{ "A.2 #1 encryption", K0, "000000000000000000000000", 0, NULL, 64,
	  "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
	  "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586" },
	{ "A.2 #2 encryption", K1, "000000000000000000000002", 1, IETF, 0,
	  "a3fbf07df3fa2fde4f376ca23e82737041605d9f4f4f57bd8cff2c1d4b7955ec"
	  "2a97948bd3722915c8f3d337f7d370050e9e96d647b7c39f56e031ca5eb6250d"
	  "4042e02785ececfa4b4bb5e8ead0440e20b6e8db09d881a7c6132f420e527950"
	  "42bdfa7773d8a9051447b3291ce1411c680465552aa6c405b7764d5e87bea85a"
	  "d00f8449ed8f72d0d662ab052691ca66424bc86d2df80ea41f43abf937d3259d"
	  "c4b2d0dfb48a6c9139ddd7f76966e928e635553ba76c5c879d7b35d49eb2e62b"
	  "0871cdac638939e25e8a1e0ef9d5280fa8ca328b351c3c765989cbcf3daa8b6c"
	  "cc3aaf9f3979c92b3720fc88dc95ed84a1be059c6499b9fda236e7e818b04b0b"
	  "c39c1e876b193bfe5569753f88128cc08aaa9b63d1a16f80ef2554d7189c411f"
	  "5869ca52c5b83fa36ff216b9c1d30062bebcfd2dc5bce0911934fda79a86f6e6"
	  "98ced759c3ff9b6477338f3da4f9cd8514ea9982ccafb341b2384dd902f3d1ab"
	  "7ac61dd29c6f21ba5b862f3730e37cfdc4fd806c22f221" },
	{ "A.2 #3 encryption", K_1C, "000000000000000000000002", 42, JABBER, 0,
	  "62e6347f95ed87a45ffae7426f27a1df5fb69110044c0d73118effa95b01e5cf"
	  "166d3df2d721caf9b21e5fb14c616871fd84c54f9d65b283196c7fe4f60553eb"
	  "f39c6402c42234e32a356b3e764312a61a5532055716ead6962568f87d3f3f77"
	  "04c6a8d1bcd1bf4d50d6154b6da731b187b58dfd728afa36757a797ac188d1" },
	{ "A.4 #1 Poly1305 key generation", K0, "000000000000000000000000", 0, NULL, 32,
	  "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7" },
	{ "A.4 #2 Poly1305 key generation", K1, "000000000000000000000002", 0, NULL, 32,
	  "ecfa254f845f647473d3cb140da9e87606cb33066c447b87bc2666dde3fbb739" },
	{ "A.4 #3 Poly1305 key generation", K_1C, "000000000000000000000002", 0, NULL, 32,
	  "965e3bc6f9ec7ed9560808f4d229f94b137ff275ca9b3fcbdd59deaad23310ae" },
};

/* Poly1305, RFC 8439 2.5.2 and A.3 #1-#11 (message as text or hex) */
static const struct mac_kat {
	const char *what, *key, *text, *hex, *tag;
} mac_kats[] = {
	{ "2.5.2", "85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b",
	  "Cryptographic Forum Research Group", NULL, "a8061dc1305136c6c22b8baf0c0127a9" },
	{ "A.3 #1 (zero key)", K0, NULL,
	  "00000000000000000000000000000000000000000000000000000000000000000"
	  "000000000000000000000000000000000000000000000000000000000000000",
	  "00000000000000000000000000000000" },
	{ "A.3 #2 (r = 0: the tag is s)",
	  "0000000000000000000000000000000036e5f6b5c5e06070f0efca96227a863e",
	  IETF, NULL, "36e5f6b5c5e06070f0efca96227a863e" },
	{ "A.3 #3 (s = 0)",
	  "36e5f6b5c5e06070f0efca96227a863e00000000000000000000000000000000",
	  IETF, NULL, "f3477e7cd95417af89a6b8794c310cf0" },
	{ "A.3 #4", K_1C, JABBER, NULL, "4541669a7eaaee61e708dc7cbcc5eb62" },
	{ "A.3 #5 (partly reduced result not fully reduced)",
	  "0200000000000000000000000000000000000000000000000000000000000000", NULL,
	  "ffffffffffffffffffffffffffffffff", "03000000000000000000000000000000" },
	{ "A.3 #6 (adding s overflows 2^128)",
	  "02000000000000000000000000000000ffffffffffffffffffffffffffffffff", NULL,
	  "02000000000000000000000000000000", "03000000000000000000000000000000" },
	{ "A.3 #7 (all-ones limb with a carry from below)",
	  "0100000000000000000000000000000000000000000000000000000000000000", NULL,
	  "fffffffffffffffffffffffffffffffff0ffffffffffffffffffffffffffffff"
	  "11000000000000000000000000000000", "05000000000000000000000000000000" },
	{ "A.3 #8 (result exactly 2^130 - 5)",
	  "0100000000000000000000000000000000000000000000000000000000000000", NULL,
	  "fffffffffffffffffffffffffffffffffbfefefefefefefefefefefefefefefe"
	  "01010101010101010101010101010101", "00000000000000000000000000000000" },
	{ "A.3 #9 (result exactly 2^130 - 6)",
	  "0200000000000000000000000000000000000000000000000000000000000000", NULL,
	  "fdffffffffffffffffffffffffffffff", "faffffffffffffffffffffffffffffff" },
	{ "A.3 #10 (131-bit intermediate after 5*H+L)",
	  "0100000000000000040000000000000000000000000000000000000000000000", NULL,
	  "e33594d7505e43b900000000000000003394d7505e4379cd0100000000000000"
	  "0000000000000000000000000000000001000000000000000000000000000000",
	  "14000000000000005500000000000000" },
	{ "A.3 #11 (131-bit final result after 5*H+L)",
	  "0100000000000000040000000000000000000000000000000000000000000000", NULL,
	  "e33594d7505e43b900000000000000003394d7505e4379cd0100000000000000"
	  "00000000000000000000000000000000", "13000000000000000000000000000000" },
};

/* the AEAD: 2.8.2 (seal) and A.5 (open) */
#define AEAD_282_CT \
	"d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6" \
	"3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36" \
	"92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc" \
	"3ff4def08e4b7a9de576d26586cec64b6116"
#define AEAD_A5_CT \
	"64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2" \
	"4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf" \
	"332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855" \
	"9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4" \
	"b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523e" \
	"af4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a" \
	"0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10" \
	"49e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29" \
	"a6ad5cb4022b02709b"
#define AEAD_A5_PT \
	"Internet-Drafts are draft documents valid for a maximum of six " \
	"months and may be updated, replaced, or obsoleted by other documents " \
	"at any time. It is inappropriate to use Internet-Drafts as reference " \
	"material or to cite them other than as /\xe2\x80\x9cwork in progress./\xe2\x80\x9d"

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32);
}

static void
fill(uint8_t *p, size_t n)
{
	while (n-- > 0)
		*p++ = (uint8_t)rnd();
}

static void
run_kats(const char *path)
{
	static uint8_t in[1024], out[1024], want[1024];
	uint8_t key[32], nonce[12], tag[16], wtag[16], aad[16];
	char name[200];
	size_t i, n, len;

	snprintf(name, sizeof name, "%s: RFC 8439 2.1.1 quarter round", path);
	TEST(name) {
		uint32_t x[16] = { 0 };

		x[0] = 0x11111111; x[1] = 0x01020304; x[2] = 0x9b8d6f43; x[3] = 0x01234567;
		tb_chacha20_quarter(x, 0, 1, 2, 3);
		CHECK_EQ(x[0], 0xea2a92f4);
		CHECK_EQ(x[1], 0xcb1cf8ce);
		CHECK_EQ(x[2], 0x4581472e);
		CHECK_EQ(x[3], 0x5881c4bb);
	}
	snprintf(name, sizeof name, "%s: RFC 8439 2.2.1 quarter round on the ChaCha state", path);
	TEST(name) {
		uint32_t x[16] = {
			0x879531e0, 0xc5ecf37d, 0x516461b1, 0xc9a62f8a,
			0x44c20ef3, 0x3390af7f, 0xd9fc690b, 0x2a5f714c,
			0x53372767, 0xb00a5631, 0x974c541a, 0x359e9963,
			0x5c971061, 0x3d631689, 0x2098d9d6, 0x91dbd320
		};
		const uint32_t w[16] = {
			0x879531e0, 0xc5ecf37d, 0xbdb886dc, 0xc9a62f8a,
			0x44c20ef3, 0x3390af7f, 0xd9fc690b, 0xcfacafd2,
			0xe46bea80, 0xb00a5631, 0x974c541a, 0x359e9963,
			0x5c971061, 0xccc07c79, 0x2098d9d6, 0x91dbd320
		};

		tb_chacha20_quarter(x, 2, 7, 8, 13);
		CHECK_MEM(x, w, sizeof(w));
	}
	for (i = 0; i < sizeof(stream_kats) / sizeof(stream_kats[0]); i++) {
		const struct stream_kat *k = &stream_kats[i];

		snprintf(name, sizeof name, "%s: RFC 8439 %s", path, k->what);
		TEST(name) {
			tap_hex(k->key, key, sizeof key);
			tap_hex(k->nonce, nonce, sizeof nonce);
			len = k->text ? strlen(k->text) : k->len;
			if (k->text)
				memcpy(in, k->text, len);
			else
				memset(in, 0, len);
			CHECK_EQ(tap_hex(k->out, want, sizeof want), len);
			memset(out, 0xee, sizeof out);
			CHECK_EQ(tb_chacha20_xor(key, nonce, k->counter, in, out, len), 0);
			CHECK_MEM(out, want, len);
			CHECK_EQ(out[len], 0xee);	/* not a byte more */
			/* in place, and in pieces of 1, 63, 64, 65 ... bytes */
			CHECK_EQ(tb_chacha20_xor(key, nonce, k->counter, in, in, len), 0);
			CHECK_MEM(in, want, len);
			if (len == 64 || len == 32) {
				tb_chacha20_block(key, nonce, k->counter, out);
				CHECK_MEM(out, want, len);
			}
		}
	}
	for (i = 0; i < sizeof(mac_kats) / sizeof(mac_kats[0]); i++) {
		const struct mac_kat *k = &mac_kats[i];

		snprintf(name, sizeof name, "%s: RFC 8439 Poly1305 %s", path, k->what);
		TEST(name) {
			tb_poly1305_ctx c;

			tap_hex(k->key, key, sizeof key);
			if (k->text)
				memcpy(in, k->text, len = strlen(k->text));
			else
				len = tap_hex(k->hex, in, sizeof in);
			tap_hex(k->tag, wtag, sizeof wtag);
			tb_poly1305(key, in, len, tag);
			CHECK_MEM(tag, wtag, 16);
			/* the same a byte at a time, then in pieces of 7 */
			memset(tag, 0, sizeof tag);
			tb_poly1305_init(&c, key);
			for (n = 0; n < len; n++)
				tb_poly1305_update(&c, in + n, 1);
			tb_poly1305_final(&c, tag);
			CHECK_MEM(tag, wtag, 16);
			memset(tag, 0, sizeof tag);
			tb_poly1305_init(&c, key);
			for (n = 0; n < len; n += 7)
				tb_poly1305_update(&c, in + n, len - n < 7 ? len - n : 7);
			tb_poly1305_final(&c, tag);
			CHECK_MEM(tag, wtag, 16);
		}
	}
	snprintf(name, sizeof name, "%s: RFC 8439 2.8.2 AEAD seal, and open of the result", path);
	TEST(name) {
		tap_hex(K_80, key, sizeof key);
		tap_hex("070000004041424344454647", nonce, sizeof nonce);
		tap_hex("50515253c0c1c2c3c4c5c6c7", aad, sizeof aad);
		len = strlen(SUNSCREEN);
		CHECK_EQ(tap_hex(AEAD_282_CT, want, sizeof want), len);
		tap_hex("1ae10b594f09e26a7e902ecbd0600691", wtag, sizeof wtag);
		CHECK_EQ(tb_chacha20poly1305_seal(key, nonce, aad, 12, SUNSCREEN, len, out, tag), 0);
		CHECK_MEM(out, want, len);
		CHECK_MEM(tag, wtag, 16);
		memset(in, 0, sizeof in);
		CHECK_EQ(tb_chacha20poly1305_open(key, nonce, aad, 12, out, len, tag, in), 0);
		CHECK_MEM(in, SUNSCREEN, len);
	}
	snprintf(name, sizeof name, "%s: RFC 8439 A.5 AEAD decryption", path);
	TEST(name) {
		tap_hex(K_1C, key, sizeof key);
		tap_hex("000000000102030405060708", nonce, sizeof nonce);
		tap_hex("f33388860000000000004e91", aad, sizeof aad);
		len = tap_hex(AEAD_A5_CT, in, sizeof in);
		CHECK_EQ(len, strlen(AEAD_A5_PT));
		tap_hex("eead9d67890cbb22392336fea1851f38", wtag, sizeof wtag);
		CHECK_EQ(tb_chacha20poly1305_open(key, nonce, aad, 12, in, len, wtag, out), 0);
		CHECK_MEM(out, AEAD_A5_PT, len);
		CHECK_EQ(tb_chacha20poly1305_seal(key, nonce, aad, 12, AEAD_A5_PT, len, out, tag), 0);
		CHECK_MEM(out, in, len);
		CHECK_MEM(tag, wtag, 16);
	}
}

/* seal a random message, flip one bit of what, and open: must fail and
 * leave zeros, not plaintext, in the output buffer (and nothing after) */
static int
tamper(int what, size_t len, size_t aadlen)
{
	static uint8_t pt[600], ct[600], back[600];
	uint8_t key[32], nonce[12], aad[64], tag[16];
	size_t i, j;
	int bad = 0;

	fill(key, sizeof key);
	fill(nonce, sizeof nonce);
	fill(aad, aadlen);
	fill(pt, len);
	if (tb_chacha20poly1305_seal(key, nonce, aad, aadlen, pt, len, ct, tag) != 0)
		return 1;
	if (tb_chacha20poly1305_open(key, nonce, aad, aadlen, ct, len, tag, back) != 0 ||
	    memcmp(back, pt, len) != 0)
		return 1;
	for (i = 0; i < 8 * (what == 0 ? 16 : what == 1 ? len : aadlen); i++) {
		uint8_t *p = what == 0 ? tag : what == 1 ? ct : aad;

		memset(back, 0xa5, sizeof back);
		p[i / 8] ^= (uint8_t)(1u << (i % 8));
		bad |= tb_chacha20poly1305_open(key, nonce, aad, aadlen, ct, len, tag, back) != -1;
		p[i / 8] ^= (uint8_t)(1u << (i % 8));
		for (j = 0; j < sizeof back; j++)
			bad |= back[j] != (j < len ? 0 : 0xa5);
	}
	/* and the wrong nonce or key */
	nonce[0] ^= 1;
	bad |= tb_chacha20poly1305_open(key, nonce, aad, aadlen, ct, len, tag, back) != -1;
	nonce[0] ^= 1;
	key[31] ^= 0x80;
	bad |= tb_chacha20poly1305_open(key, nonce, aad, aadlen, ct, len, tag, back) != -1;
	return bad;
}

static void
run_edges(const char *path)
{
	static uint8_t a[2048], b[2048], c[2048];
	uint8_t key[32], nonce[12], tag[16], tag2[16], blk[64];
	char name[200];
	size_t len, off, piece;
	int bad;

	snprintf(name, sizeof name, "%s: AEAD: every flipped tag bit is refused, zeros written, not plaintext", path);
	TEST(name) {
		CHECK_EQ(tamper(0, 100, 20), 0);
		CHECK_EQ(tamper(0, 0, 0), 0);
	}
	snprintf(name, sizeof name, "%s: AEAD: every flipped ciphertext bit is refused", path);
	TEST(name) {
		CHECK_EQ(tamper(1, 130, 13), 0);
		CHECK_EQ(tamper(1, 1, 0), 0);
	}
	snprintf(name, sizeof name, "%s: AEAD: every flipped AAD bit is refused", path);
	TEST(name) {
		CHECK_EQ(tamper(2, 77, 33), 0);
		CHECK_EQ(tamper(2, 0, 1), 0);
	}
	snprintf(name, sizeof name, "%s: AEAD: empty plaintext (a tag of the AAD alone) and empty AAD", path);
	TEST(name) {
		fill(key, 32);
		fill(nonce, 12);
		fill(a, 100);
		CHECK_EQ(tb_chacha20poly1305_seal(key, nonce, a, 100, NULL, 0, NULL, tag), 0);
		CHECK_EQ(tb_chacha20poly1305_open(key, nonce, a, 100, NULL, 0, tag, NULL), 0);
		a[99] ^= 1;
		CHECK_EQ(tb_chacha20poly1305_open(key, nonce, a, 100, NULL, 0, tag, NULL), -1);
		CHECK_EQ(tb_chacha20poly1305_seal(key, nonce, NULL, 0, NULL, 0, NULL, tag2), 0);
		CHECK_EQ(tb_chacha20poly1305_open(key, nonce, NULL, 0, NULL, 0, tag2, NULL), 0);
		CHECK(memcmp(tag, tag2, 16) != 0);
		CHECK_EQ(tb_chacha20poly1305_seal(key, nonce, NULL, 0, a, 50, b, tag), 0);
		CHECK_EQ(tb_chacha20poly1305_open(key, nonce, NULL, 0, b, 50, tag, c), 0);
		CHECK_MEM(c, a, 50);
		/* AAD and ciphertext are padded apart: moving a byte from one
		 * to the other changes the tag */
		CHECK_EQ(tb_chacha20poly1305_open(key, nonce, b, 1, b + 1, 49, tag, c), -1);
	}
	snprintf(name, sizeof name, "%s: AEAD: every length 0..300 (not multiples of 64 or 16) round-trips", path);
	TEST(name) {
		bad = 0;
		for (len = 0; len <= 300; len++) {
			fill(key, 32);
			fill(nonce, 12);
			fill(a, len);
			fill(c, len % 40);
			bad |= tb_chacha20poly1305_seal(key, nonce, c, len % 40, a, len, b, tag) != 0;
			bad |= tb_chacha20poly1305_open(key, nonce, c, len % 40, b, len, tag, b) != 0;
			bad |= memcmp(a, b, len) != 0;
		}
		CHECK(!bad);
	}
	snprintf(name, sizeof name, "%s: ChaCha20 in pieces of any size gives the one-shot stream", path);
	TEST(name) {
		bad = 0;
		fill(key, 32);
		fill(nonce, 12);
		memset(a, 0, sizeof a);
		tb_chacha20_xor(key, nonce, 7, a, b, sizeof a);
		/* pieces of whole blocks continue the counter */
		for (off = 0; off < sizeof a; off += piece) {
			piece = 64 * (1 + rnd() % 12);
			if (piece > sizeof a - off)
				piece = sizeof a - off;
			bad |= tb_chacha20_xor(key, nonce, (uint32_t)(7 + off / 64), a + off, c + off, piece);
		}
		bad |= memcmp(b, c, sizeof a) != 0;
		CHECK(!bad);
	}
	snprintf(name, sizeof name, "%s: ChaCha20 refuses to wrap the 32-bit block counter", path);
	TEST(name) {
		fill(key, 32);
		fill(nonce, 12);
		memset(a, 0, sizeof a);
		/* the last block there is, and up to it, are allowed */
		CHECK_EQ(tb_chacha20_xor(key, nonce, 0xffffffff, a, b, 64), 0);
		tb_chacha20_block(key, nonce, 0xffffffff, blk);
		CHECK_MEM(b, blk, 64);
		CHECK_EQ(tb_chacha20_xor(key, nonce, 0xffffffff, a, b, 1), 0);
		CHECK_EQ(tb_chacha20_xor(key, nonce, 0xfffffff0, a, b, 16 * 64), 0);
		tb_chacha20_block(key, nonce, 0xffffffff, blk);
		CHECK_MEM(b + 15 * 64, blk, 64);
		CHECK_EQ(tb_chacha20_xor(key, nonce, 0xffffffff, a, b, 0), 0);
		/* one byte more wraps: refused, and nothing written */
		memset(b, 0x5a, sizeof b);
		CHECK_EQ(tb_chacha20_xor(key, nonce, 0xffffffff, a, b, 65), -1);
		CHECK_EQ(tb_chacha20_xor(key, nonce, 0xfffffff0, a, b, 16 * 64 + 1), -1);
		CHECK_EQ(tb_chacha20_xor(key, nonce, 0xfffffff9, a, b, sizeof a), -1);
		CHECK_EQ(b[0], 0x5a);
		CHECK_EQ(b[sizeof b - 1], 0x5a);
		/* the AEAD starts at block 1: 2^32 - 1 blocks at most */
		if (sizeof(size_t) > 4) {
			uint64_t max = (((uint64_t)1 << 32) - 1) * 64;

			CHECK_EQ(tb_chacha20_xor(key, nonce, 1, NULL, NULL, (size_t)max + 1), -1);
			CHECK_EQ(tb_chacha20_xor(key, nonce, 0, NULL, NULL, (size_t)max + 65), -1);
			CHECK_EQ(tb_chacha20poly1305_seal(key, nonce, NULL, 0, NULL,
			    (size_t)max + 1, NULL, tag), -1);
			CHECK_EQ(tb_chacha20poly1305_open(key, nonce, NULL, 0, NULL,
			    (size_t)max + 1, tag, NULL), -1);
		}
	}
}

/* the fast paths against the portable one, random lengths */
static void
run_fast_vs_portable(void)
{
	static uint8_t a[5000], b[5000], c[5000], aad[100];
	uint8_t key[32], nonce[12], t1[16], t2[16];
	size_t i, len;
	uint32_t ctr;
	int bad = 0;

	TEST(tb_cpu() ? "ChaCha20 and the AEAD: fast paths and portable agree on 1000 random lengths; open in place" :
	    "ChaCha20 and the AEAD: fast and portable (no fast path on this CPU) agree") {
		for (i = 0; i < 1000; i++) {
			len = rnd() % sizeof a;
			fill(key, 32);
			fill(nonce, 12);
			fill(a, len);
			fill(aad, 100);
			ctr = rnd() % 1000;
			tb_cpu_set(0);
			tb_chacha20_xor(key, nonce, ctr, a, b, len);
			tb_chacha20poly1305_seal(key, nonce, aad, i % 100, a, len, c, t1);
			tb_cpu_set(~0u);
			tb_chacha20_xor(key, nonce, ctr, b, b, len);
			bad |= memcmp(a, b, len) != 0;
			tb_chacha20poly1305_seal(key, nonce, aad, i % 100, a, len, b, t2);
			bad |= memcmp(b, c, len) != 0 || memcmp(t1, t2, 16) != 0;
			/* open in place, with the fast path */
			bad |= tb_chacha20poly1305_open(key, nonce, aad, i % 100, b, len, t2, b) != 0;
			bad |= memcmp(a, b, len) != 0;
		}
		CHECK(!bad);
	}
}

int
main(void)
{
	tb_cpu_set(0);
	run_kats("portable");
	run_edges("portable");
	tb_cpu_set(~0u);
	run_kats(tb_cpu() ? "fast" : "fast (none on this CPU: portable again)");
	run_edges(tb_cpu() ? "fast" : "fast (none on this CPU: portable again)");
	run_fast_vs_portable();
	return tap_done();
}
