/*
 * fz_ed25519 - Ed25519 verification on any bytes.  The first byte picks
 * the oracle:
 *   even: the rest is pub (32) || sig (64) || message, taken as they
 *         are: it never verifies (nobody forges a signature), and any
 *         32 bytes of it that decode as a point (the key, R) encode back
 *         to exactly themselves;
 *   odd:  the rest is XORed into RFC 8032's TEST 3 (pub || sig ||
 *         message, and bytes past its end are appended to the message):
 *         it verifies exactly when nothing changed.
 */
#include <string.h>

#include "crypto/c25519.h"
#include "fuzz.h"

/* RFC 8032 section 7.1 TEST 3: key, signature, message */
static const uint8_t good[32 + 64 + 2] = {
	0xfc, 0x51, 0xcd, 0x8e, 0x62, 0x18, 0xa1, 0xa3, 0x8d, 0xa4, 0x7e, 0xd0,
	0x02, 0x30, 0xf0, 0x58, 0x08, 0x16, 0xed, 0x13, 0xba, 0x33, 0x03, 0xac,
	0x5d, 0xeb, 0x91, 0x15, 0x48, 0x90, 0x80, 0x25,
	0x62, 0x91, 0xd6, 0x57, 0xde, 0xec, 0x24, 0x02, 0x48, 0x27, 0xe6, 0x9c,
	0x3a, 0xbe, 0x01, 0xa3, 0x0c, 0xe5, 0x48, 0xa2, 0x84, 0x74, 0x3a, 0x44,
	0x5e, 0x36, 0x80, 0xd7, 0xdb, 0x5a, 0xc3, 0xac, 0x18, 0xff, 0x9b, 0x53,
	0x8d, 0x16, 0xf2, 0x90, 0xae, 0x67, 0xf7, 0x60, 0x98, 0x4d, 0xc6, 0x59,
	0x4a, 0x7c, 0x15, 0xe9, 0x71, 0x6e, 0xd2, 0x8d, 0xc0, 0x27, 0xbe, 0xce,
	0xea, 0x1e, 0xc4, 0x0a,
	0xaf, 0x82
};

static uint8_t buf[4096];

static void
roundtrip(const uint8_t p[32])
{
	uint8_t out[32];

	if (tb_ed25519_point_reencode(out, p) == 0)
		FUZZ_ASSERT(memcmp(out, p, 32) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	size_t i, len;
	int changed = 0;

	if (n == 0)
		return 0;
	if ((d[0] & 1) == 0) {
		if (n < 1 + 96)
			return 0;
		roundtrip(d + 1);
		roundtrip(d + 33);
		FUZZ_ASSERT(tb_ed25519_verify(d + 1, d + 97, n - 97, d + 33) == -1);
		return 0;
	}
	d++, n--;
	if (n > sizeof(buf))
		n = sizeof(buf);
	len = n > sizeof(good) ? n : sizeof(good);
	memcpy(buf, good, sizeof(good));
	for (i = 0; i < n; i++) {
		if (i >= sizeof(good))
			buf[i] = 0;	/* appended: the message is longer */
		buf[i] ^= d[i];
		changed |= i >= sizeof(good) || d[i] != 0;
	}
	if (changed)
		FUZZ_ASSERT(tb_ed25519_verify(buf, buf + 96, len - 96, buf + 32) == -1);
	else
		FUZZ_ASSERT(tb_ed25519_verify(buf, buf + 96, len - 96, buf + 32) == 0);
	return 0;
}
