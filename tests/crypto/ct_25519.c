/*
 * ct_25519 - the constant-time check of X25519 (tests/crypto/ct.h):
 * every byte of the scalar and of the peer's point is marked secret, and
 * valgrind must find no branch or index computed from them.
 *   x25519  the ladder, the inversion and the all-zero check, on a
 *           random-looking point and on a low-order one (result zero)
 *   base    tb_x25519_base
 *   invert  the field inversion alone, and tb_fe_iszero on its result
 * The results are declassified (CT_PUBLIC) before they are compared
 * with the known answers.  Ed25519 verification works on public data
 * and is not checked here (crypto/c25519.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/c25519.h"
#include "crypto/ct.h"
#include "crypto/f25519.h"
#include "ct.h"

static void
hex32(const char *s, uint8_t out[32])
{
	unsigned v;
	int i;

	for (i = 0; i < 32; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			exit(2);
		out[i] = (uint8_t)v;
	}
}

int
main(int argc, char **argv)
{
	uint8_t k[32], u[32], out[32], want[32];
	int r;

	if (argc != 2)
		return 2;
	tb_cpu_set(0);
	if (strcmp(argv[1], "x25519") == 0) {
		/* RFC 7748 section 5.2, first vector */
		hex32("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4", k);
		hex32("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c", u);
		hex32("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552", want);
		CT_SECRET(k, 32);
		CT_SECRET(u, 32);
		r = tb_x25519(out, k, u);
		CT_PUBLIC(&r, sizeof(r));
		CT_PUBLIC(out, 32);
		if (r != 0 || memcmp(out, want, 32) != 0)
			return 1;
		/* a point of order 8: the all-zero result, found without a branch */
		hex32("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", u);
		CT_SECRET(u, 32);
		r = tb_x25519(out, k, u);
		CT_PUBLIC(&r, sizeof(r));
		return r == -1 ? 0 : 1;
	}
	if (strcmp(argv[1], "base") == 0) {
		/* RFC 7748 section 6.1, Alice */
		hex32("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", k);
		hex32("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", want);
		CT_SECRET(k, 32);
		tb_x25519_base(out, k);
		CT_PUBLIC(out, 32);
		return memcmp(out, want, 32) == 0 ? 0 : 1;
	}
	if (strcmp(argv[1], "invert") == 0) {
		tb_fe f, g, h;

		hex32("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c", u);
		CT_SECRET(u, 32);
		tb_fe_frombytes(&f, u);
		tb_fe_invert(&g, &f);
		tb_fe_mul(&h, &g, &f);
		tb_fe_1(&g);
		tb_fe_sub(&h, &h, &g);
		r = tb_fe_iszero(&h);
		CT_PUBLIC(&r, sizeof(r));
		return r == 1 ? 0 : 1;
	}
	return 2;
}
