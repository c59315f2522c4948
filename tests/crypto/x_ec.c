/*
 * x_ec - the differential driver of lib/crypto/ec.c against the openssl
 * command (tests/crypto-ec.bats).  Files are what openssl wrote: keys
 * as PKCS#8 DER (genpkey -outform DER), digests as raw bytes,
 * signatures as DER (pkeyutl -sign), shared secrets as raw bytes
 * (pkeyutl -derive).  Lines on stdin, one case each:
 *
 *   x_ec verify p256|p384   "KEY DIGEST SIG": the signature must verify
 *       (DER and raw), and must not once a bit of the digest's first
 *       byte, of the signature or of the public key is flipped (which
 *       bit depends on the line number, so every position is hit).
 *   x_ec ecdh p256|p384     "KEYA KEYB SECRET": tb_*_pubkey(privA) is
 *       KEYA's public key, and tb_*_ecdh(privA, pubB) is SECRET.
 *   x_ec spki p256|p384     "KEY OUT": writes KEY's public key (openssl's
 *       bytes) as a DER SubjectPublicKeyInfo for pkeyutl -peerkey, so
 *       that one process does what would take one openssl per key.
 *
 * Prints "ok N" and exits 0 when every case held; else names each
 * failing case and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/ec.h"

static size_t
slurp(const char *path, unsigned char *buf, size_t cap)
{
	FILE *fp = fopen(path, "rb");
	size_t n;

	if (fp == NULL) {
		fprintf(stderr, "x_ec: %s: cannot open\n", path);
		exit(2);
	}
	n = fread(buf, 1, cap, fp);
	fclose(fp);
	return n;
}

/*
 * The private scalar and public point in a PKCS#8 EC key: the inner
 * ECPrivateKey is INTEGER 1, OCTET STRING priv, ..., [1] BIT STRING pub.
 */
static void
key(const char *path, size_t len, unsigned char *priv, unsigned char *pub)
{
	unsigned char der[512];
	size_t n = slurp(path, der, sizeof(der)), i;
	int got = 0;

	for (i = 0; i + 5 + len <= n; i++)
		if (der[i] == 2 && der[i + 1] == 1 && der[i + 2] == 1 &&
		    der[i + 3] == 4 && der[i + 4] == len) {
			memcpy(priv, der + i + 5, len);
			got |= 1;
			break;
		}
	for (; i + 4 + 2 * len <= n; i++)
		if (der[i] == 3 && der[i + 1] == 2 + 2 * len && der[i + 2] == 0 &&
		    der[i + 3] == 4) {
			memcpy(pub, der + i + 3, 1 + 2 * len);
			got |= 2;
			break;
		}
	if (got != 3) {
		fprintf(stderr, "x_ec: %s: not an EC key of this curve\n", path);
		exit(2);
	}
}

static int
verify(int curve, size_t len, const char *kf, const char *hf, const char *sf,
    unsigned long line)
{
	unsigned char priv[TB_EC_LEN_MAX], pub[TB_EC_POINT_MAX], h[128];
	unsigned char sig[TB_ECDSA_DER_MAX + 16], rs[2 * TB_EC_LEN_MAX];
	size_t hl, sl, pl = 1 + 2 * len, bit;
	int bad = 0;

	key(kf, len, priv, pub);
	hl = slurp(hf, h, sizeof(h));
	sl = slurp(sf, sig, sizeof(sig));
	if (tb_ecdsa_verify(curve, pub, pl, h, hl, sig, sl) != 0) {
		printf("line %lu: openssl's signature refused\n", line);
		bad = 1;
	}
	if (tb_ecdsa_sig_parse(rs, len, sig, sl) != 0 ||
	    tb_ecdsa_verify_raw(curve, pub, pl, h, hl, rs, 2 * len) != 0) {
		printf("line %lu: openssl's signature refused in raw form\n", line);
		bad = 1;
	}
	/* the digest: any bit of its first byte matters at every length */
	h[0] ^= (unsigned char)(1 << line % 8);
	if (tb_ecdsa_verify(curve, pub, pl, h, hl, sig, sl) == 0) {
		printf("line %lu: accepted with a digest bit flipped\n", line);
		bad = 1;
	}
	h[0] ^= (unsigned char)(1 << line % 8);
	bit = (line * 37) % (8 * sl);
	sig[bit / 8] ^= (unsigned char)(1 << bit % 8);
	if (tb_ecdsa_verify(curve, pub, pl, h, hl, sig, sl) == 0) {
		printf("line %lu: accepted with signature bit %zu flipped\n", line, bit);
		bad = 1;
	}
	sig[bit / 8] ^= (unsigned char)(1 << bit % 8);
	bit = 8 + (line * 53) % (8 * (pl - 1));
	pub[bit / 8] ^= (unsigned char)(1 << bit % 8);
	if (tb_ecdsa_verify(curve, pub, pl, h, hl, sig, sl) == 0) {
		printf("line %lu: accepted with public key bit %zu flipped\n", line, bit);
		bad = 1;
	}
	return bad;
}

static int
ecdh(int curve, size_t len, const char *ka, const char *kb, const char *sf,
    unsigned long line)
{
	unsigned char pa[TB_EC_LEN_MAX], qa[TB_EC_POINT_MAX], pb[TB_EC_LEN_MAX];
	unsigned char qb[TB_EC_POINT_MAX], q[TB_EC_POINT_MAX], want[64];
	unsigned char got[TB_EC_LEN_MAX];
	int bad = 0, r1, r2;

	key(ka, len, pa, qa);
	key(kb, len, pb, qb);
	if (slurp(sf, want, sizeof(want)) != len) {
		printf("line %lu: %s is not a shared secret\n", line, sf);
		return 1;
	}
	if (curve == TB_EC_P256) {
		r1 = tb_p256_pubkey(q, pa);
		r2 = tb_p256_ecdh(got, pa, qb, 1 + 2 * len);
	} else {
		r1 = tb_p384_pubkey(q, pa);
		r2 = tb_p384_ecdh(got, pa, qb, 1 + 2 * len);
	}
	if (r1 != 0 || memcmp(q, qa, 1 + 2 * len) != 0) {
		printf("line %lu: public key of %s differs from openssl's\n", line, ka);
		bad = 1;
	}
	if (r2 != 0 || memcmp(got, want, len) != 0) {
		printf("line %lu: shared secret differs from openssl's\n", line);
		bad = 1;
	}
	return bad;
}

/* the SubjectPublicKeyInfo header of each curve (RFC 5480), then the point */
static const unsigned char spki256[] = {
	0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
	0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03,
	0x42, 0x00
};
static const unsigned char spki384[] = {
	0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
	0x01, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00
};

static int
spki(int curve, size_t len, const char *kf, const char *of)
{
	unsigned char priv[TB_EC_LEN_MAX], pub[TB_EC_POINT_MAX];
	FILE *fp;
	int bad;

	key(kf, len, priv, pub);
	if ((fp = fopen(of, "wb")) == NULL) {
		fprintf(stderr, "x_ec: %s: cannot create\n", of);
		exit(2);
	}
	if (curve == TB_EC_P256)
		fwrite(spki256, 1, sizeof(spki256), fp);
	else
		fwrite(spki384, 1, sizeof(spki384), fp);
	fwrite(pub, 1, 1 + 2 * len, fp);
	bad = ferror(fp) != 0;
	return (fclose(fp) != 0) | bad;
}

int
main(int argc, char **argv)
{
	char buf[3 * 4096], a[4096], b[4096], c[4096];
	unsigned long line = 0, bad = 0;
	int curve;
	size_t len;

	if (argc != 3)
		goto usage;
	if (strcmp(argv[2], "p256") == 0)
		curve = TB_EC_P256;
	else if (strcmp(argv[2], "p384") == 0)
		curve = TB_EC_P384;
	else
		goto usage;
	len = tb_ec_len(curve);
	if (strcmp(argv[1], "verify") != 0 && strcmp(argv[1], "ecdh") != 0 &&
	    strcmp(argv[1], "spki") != 0)
		goto usage;
	while (fgets(buf, sizeof(buf), stdin) != NULL) {
		line++;
		if (argv[1][0] == 's') {
			if (sscanf(buf, "%4095s %4095s", a, b) != 2)
				goto bad_line;
			bad += spki(curve, len, a, b) != 0;
			continue;
		}
		if (sscanf(buf, "%4095s %4095s %4095s", a, b, c) != 3)
			goto bad_line;
		if (argv[1][0] == 'v')
			bad += verify(curve, len, a, b, c, line) != 0;
		else
			bad += ecdh(curve, len, a, b, c, line) != 0;
	}
	if (bad) {
		printf("%lu of %lu cases failed\n", bad, line);
		return 1;
	}
	printf("ok %lu\n", line);
	return 0;
bad_line:
	fprintf(stderr, "x_ec: line %lu: too few file names\n", line);
	return 2;
usage:
	fprintf(stderr, "usage: x_ec verify|ecdh|spki p256|p384 < cases\n");
	return 2;
}
