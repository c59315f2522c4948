/*
 * t_crypto_md5.c - MD5 (lib/crypto/md5.c): the test suite of RFC 1321
 * appendix A.5, input fed in pieces against input in one go (every block
 * boundary and padding case), and the APOP digest built on it.
 */
#include <stdio.h>
#include <string.h>

#include "crypto/md5.h"
#include "pop3.h"
#include "tap.h"

static const char *
md5_hex(const void *p, size_t n)
{
	static char hex[2 * TB_MD5_LEN + 1];
	struct md5 m;
	uint8_t d[TB_MD5_LEN];
	size_t i;

	md5_init(&m);
	md5_update(&m, p, n);
	md5_final(&m, d);
	for (i = 0; i < TB_MD5_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	return hex;
}

int
main(void)
{
	TEST("MD5 test suite of RFC 1321") {
		static const char *in[] = { "", "a", "abc", "message digest",
		    "abcdefghijklmnopqrstuvwxyz",
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
		    "12345678901234567890123456789012345678901234567890123456789012345678901234567890" };
		static const char *want[] = { "d41d8cd98f00b204e9800998ecf8427e",
		    "0cc175b9c0f1b6a831c399e269772661", "900150983cd24fb0d6963f7d28e17f72",
		    "f96b697d7cb7938d525a2f31aaf161d0", "c3fcd3d76192e4007dfb496cca67e13b",
		    "d174ab98d277d9f5a5611c2c9f419d9f", "57edf4a22be3c955ac49da2e2107b67a" };
		size_t k;

		for (k = 0; k < 7; k++)
			CHECK_STR(md5_hex(in[k], strlen(in[k])), want[k]);
	}
	TEST("MD5 fed in pieces equals MD5 in one go, for every length to 200") {
		uint8_t buf[200], da[TB_MD5_LEN], db[TB_MD5_LEN];
		struct md5 a, b;
		size_t i, n, step;

		for (i = 0; i < sizeof buf; i++)
			buf[i] = (uint8_t)(i * 7);
		for (n = 0; n <= sizeof buf; n++)
			for (step = 1; step <= 65; step += 16) {
				md5_init(&a);
				md5_update(&a, buf, n);
				md5_final(&a, da);
				md5_init(&b);
				for (i = 0; i < n; i += step)
					md5_update(&b, buf + i, n - i < step ? n - i : step);
				md5_final(&b, db);
				if (memcmp(da, db, sizeof da) != 0) {
					printf("#   length %zu, pieces of %zu\n", n, step);
					CHECK(0);
				}
			}
	}
	TEST("APOP: the digest of the timestamp then the secret") {
		char hex[33];

		/* the digest of "" + x is md5(x) */
		pop3_apop_digest("", "abc", hex);
		CHECK_STR(hex, "900150983cd24fb0d6963f7d28e17f72");
		pop3_apop_digest("ab", "c", hex);
		CHECK_STR(hex, "900150983cd24fb0d6963f7d28e17f72");
	}
	return tap_done();
}
