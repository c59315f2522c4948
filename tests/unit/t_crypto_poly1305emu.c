/*
 * t_crypto_poly1305emu.c - lib/crypto/poly1305.c built a second time with
 * TB_POLY1305_NO_INT128, so that its 128-bit products and sums are the
 * two-word emulation 32-bit targets get, and compared with the library's
 * (unsigned __int128) on the RFC 8439 A.3 edge vectors and on random keys
 * and messages.  The emulated functions are renamed emu_poly1305*.
 */
#include <stdio.h>
#include <string.h>

#include "crypto/chacha.h"
#include "tap.h"

#define TB_POLY1305_NO_INT128 1
#define tb_poly1305_init emu_poly1305_init
#define tb_poly1305_update emu_poly1305_update
#define tb_poly1305_final emu_poly1305_final
#define tb_poly1305 emu_poly1305
/* the prototypes (chacha.h is already in, under its own names) */
void tb_poly1305_init(tb_poly1305_ctx *, const uint8_t key[TB_POLY1305_KEY]);
void tb_poly1305_update(tb_poly1305_ctx *, const void *, size_t);
void tb_poly1305_final(tb_poly1305_ctx *, uint8_t tag[TB_POLY1305_TAG]);
void tb_poly1305(const uint8_t key[TB_POLY1305_KEY], const void *msg, size_t len,
    uint8_t tag[TB_POLY1305_TAG]);
#include "crypto/poly1305.c"
#undef tb_poly1305_init
#undef tb_poly1305_update
#undef tb_poly1305_final
#undef tb_poly1305

static uint64_t rng = 0x8f1bbcdc5a827999ULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32);
}

/* RFC 8439 A.3 #5 to #11: the carries and reductions limb code gets wrong */
static const struct {
	const char *key, *msg, *tag;
} edges[] = {
	{ "0200000000000000000000000000000000000000000000000000000000000000",
	  "ffffffffffffffffffffffffffffffff", "03000000000000000000000000000000" },
	{ "02000000000000000000000000000000ffffffffffffffffffffffffffffffff",
	  "02000000000000000000000000000000", "03000000000000000000000000000000" },
	{ "0100000000000000000000000000000000000000000000000000000000000000",
	  "fffffffffffffffffffffffffffffffff0ffffffffffffffffffffffffffffff"
	  "11000000000000000000000000000000", "05000000000000000000000000000000" },
	{ "0100000000000000000000000000000000000000000000000000000000000000",
	  "fffffffffffffffffffffffffffffffffbfefefefefefefefefefefefefefefe"
	  "01010101010101010101010101010101", "00000000000000000000000000000000" },
	{ "0200000000000000000000000000000000000000000000000000000000000000",
	  "fdffffffffffffffffffffffffffffff", "faffffffffffffffffffffffffffffff" },
	{ "0100000000000000040000000000000000000000000000000000000000000000",
	  "e33594d7505e43b900000000000000003394d7505e4379cd0100000000000000"
	  "0000000000000000000000000000000001000000000000000000000000000000",
	  "14000000000000005500000000000000" },
	{ "0100000000000000040000000000000000000000000000000000000000000000",
	  "e33594d7505e43b900000000000000003394d7505e4379cd0100000000000000"
	  "00000000000000000000000000000000", "13000000000000000000000000000000" },
};

int
main(void)
{
	static uint8_t msg[3000];
	uint8_t key[32], a[16], b[16], want[16];
	size_t i, j, len;
	int bad;

	TEST("emulated 128-bit Poly1305: RFC 8439 A.3 #5-#11") {
		for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
			tap_hex(edges[i].key, key, sizeof key);
			len = tap_hex(edges[i].msg, msg, sizeof msg);
			tap_hex(edges[i].tag, want, sizeof want);
			emu_poly1305(key, msg, len, a);
			CHECK_MEM(a, want, 16);
		}
	}
	TEST("emulated 128-bit Poly1305 equals the __int128 one on 3000 random keys and messages") {
		bad = 0;
		for (i = 0; i < 3000; i++) {
			len = rnd() % sizeof msg;
			for (j = 0; j < 32; j++)
				key[j] = (uint8_t)rnd();
			/* now and then the largest r and s the clamp allows */
			if (i % 10 == 0)
				memset(key, 0xff, 32);
			for (j = 0; j < len; j++)
				msg[j] = i % 7 == 0 ? 0xff : (uint8_t)rnd();
			emu_poly1305(key, msg, len, a);
			tb_poly1305(key, msg, len, b);
			bad |= memcmp(a, b, 16) != 0;
		}
		CHECK(!bad);
	}
	return tap_done();
}
