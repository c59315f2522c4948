/*
 * ct_ec - the constant-time check of lib/crypto/ec.c (tests/crypto-ec.bats
 * runs it under valgrind): the private scalar is marked secret before
 * tb_p*_pubkey and tb_p*_ecdh, so any branch or memory index that
 * depends on it -- in the window selection, the point formulas, the
 * field arithmetic, the inversion of Z, the range check of the scalar or
 * the masking of the output -- is reported.  Scalars valid and invalid
 * (0, n) both run: the verdict too must come without a branch.  Results
 * are declassified (CT_PUBLIC) before they are compared.
 *
 *   ct_ec p256 | p384   the check; exits 1 if a result is wrong
 *   ct_ec leak          a negative control: branches on a scalar bit
 */
#include <stdio.h>
#include <string.h>

#include "crypto/ct.h"
#include "crypto/ec.h"
#include "ct.h"

static const unsigned char n256[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84,
	0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51
};

static int
pubkey(int curve, unsigned char *pub, const unsigned char *priv)
{
	return curve == TB_EC_P256 ? tb_p256_pubkey(pub, priv) : tb_p384_pubkey(pub, priv);
}

static int
ecdh(int curve, unsigned char *out, const unsigned char *priv,
    const unsigned char *peer, size_t len)
{
	return curve == TB_EC_P256 ? tb_p256_ecdh(out, priv, peer, len) :
	    tb_p384_ecdh(out, priv, peer, len);
}

/* one scalar, secret: its public key and an ECDH with peer; the verdicts */
static void
run(int curve, const unsigned char *k, const unsigned char *peer,
    unsigned char *pub, unsigned char *shared, int *r1, int *r2)
{
	size_t len = tb_ec_len(curve);
	unsigned char s[TB_EC_LEN_MAX];

	memcpy(s, k, len);
	CT_SECRET(s, len);
	*r1 = pubkey(curve, pub, s);
	*r2 = ecdh(curve, shared, s, peer, 1 + 2 * len);
	CT_PUBLIC(r1, sizeof(*r1));
	CT_PUBLIC(r2, sizeof(*r2));
	CT_PUBLIC(pub, 1 + 2 * len);
	CT_PUBLIC(shared, len);
	tb_wipe(s, sizeof(s));
}

static int
check(int curve)
{
	size_t len = tb_ec_len(curve), i;
	unsigned char a[TB_EC_LEN_MAX], b[TB_EC_LEN_MAX], pa[TB_EC_POINT_MAX];
	unsigned char pb[TB_EC_POINT_MAX], sa[TB_EC_LEN_MAX], sb[TB_EC_LEN_MAX];
	unsigned char k[TB_EC_LEN_MAX], junk[TB_EC_POINT_MAX];
	int r1, r2, bad = 0;

	for (i = 0; i < len; i++) {
		a[i] = (unsigned char)(0x3c + 29 * i);
		b[i] = (unsigned char)(0x51 + 71 * i);
	}
	/* the peers' public keys are public: computed before marking */
	if (pubkey(curve, pa, a) != 0 || pubkey(curve, pb, b) != 0)
		return 1;
	run(curve, a, pb, junk, sa, &r1, &r2);
	bad |= r1 != 0 || r2 != 0 || memcmp(junk, pa, 1 + 2 * len) != 0;
	run(curve, b, pa, junk, sb, &r1, &r2);
	bad |= r1 != 0 || r2 != 0 || memcmp(junk, pb, 1 + 2 * len) != 0;
	bad |= memcmp(sa, sb, len) != 0;
	/* invalid scalars: 0, and n (P-256) or all ones (P-384) */
	memset(k, 0, sizeof(k));
	run(curve, k, pa, junk, sa, &r1, &r2);
	bad |= r1 != -1 || r2 != -1;
	if (curve == TB_EC_P256)
		memcpy(k, n256, 32);
	else
		memset(k, 0xff, sizeof(k));
	run(curve, k, pa, junk, sa, &r1, &r2);
	bad |= r1 != -1 || r2 != -1;
	if (bad)
		fprintf(stderr, "ct_ec: wrong results\n");
	return bad;
}

int
main(int argc, char **argv)
{
	unsigned char k[32];
	volatile int sink = 0;

	tb_cpu_set(0);
	if (argc == 2 && strcmp(argv[1], "p256") == 0)
		return check(TB_EC_P256);
	if (argc == 2 && strcmp(argv[1], "p384") == 0)
		return check(TB_EC_P384);
	if (argc == 2 && strcmp(argv[1], "leak") == 0) {
		memset(k, 0x35, sizeof(k));
		CT_SECRET(k, sizeof(k));
		if (k[31] & 1)		/* a branch on a scalar bit: must be reported */
			sink = 1;
		return sink - 1;
	}
	fprintf(stderr, "usage: ct_ec p256|p384|leak\n");
	return 2;
}
