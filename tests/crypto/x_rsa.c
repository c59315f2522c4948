/*
 * x_rsa - the differential driver of tests/crypto-rsa.bats: RSA
 * verification (lib/crypto/rsa.c) on signatures made by openssl.
 *
 *   x_rsa key PUB.der            print "Modulus=HEX" and "Exponent=N" of a
 *                                PKCS#1 RSAPublicKey, as openssl prints them
 *   x_rsa raw PUB.der SIG...     print sig^e mod n of each file in hex, as
 *                                many bytes as n (RSAVP1, no padding)
 *   x_rsa verify PUB.der LIST    LIST lines: "pkcs1|pss HASH DIGESTFILE
 *                                SIGFILE"; each signature must verify (PSS:
 *                                salt as long as the hash) and, changed, must
 *                                not: a byte of the signature, a byte of the
 *                                digest, the other scheme, the salt length
 *                                one off.  Prints "N signatures verified, M
 *                                changed ones refused, K failures", and each
 *                                failure.
 *   x_rsa certs PUB.der pkcs1|pss HASH CERTS.pem
 *                                the same for every certificate in a file of
 *                                PEM certificates signed by openssl ca with
 *                                that key: the signature over the DER of
 *                                tbsCertificate, hashed here.
 *
 * Exit 0 if all went as it should, 1 if not, 2 on a usage or file error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/bn.h"
#include "crypto/rsa.h"

static uint8_t *
slurp(const char *path, size_t *len)
{
	static uint8_t bufs[2][4096];
	static int which;
	uint8_t *b = bufs[which ^= 1];
	FILE *fp = fopen(path, "rb");

	if (fp == NULL) {
		fprintf(stderr, "x_rsa: %s: cannot open\n", path);
		exit(2);
	}
	*len = fread(b, 1, sizeof bufs[0], fp);
	fclose(fp);
	return b;
}

static const struct tb_hash *
hash_by_name(const char *s)
{
	if (strcmp(s, "sha1") == 0)
		return &tb_hash_sha1;
	if (strcmp(s, "sha256") == 0)
		return &tb_hash_sha256;
	if (strcmp(s, "sha384") == 0)
		return &tb_hash_sha384;
	if (strcmp(s, "sha512") == 0)
		return &tb_hash_sha512;
	return NULL;
}

static uint32_t rng = 2463534242u;

static uint32_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static int
check(const struct tb_rsa_pub *pub, int pss, const struct tb_hash *h, uint8_t *dg,
    uint8_t *sig, size_t slen, size_t salt)
{
	if (pss)
		return tb_rsa_verify_pss(pub, h, dg, sig, slen, salt);
	return tb_rsa_verify_pkcs1(pub, h, dg, sig, slen);
}

static long ok, refused, bad;

/* one signature of digest dg: it must verify, and changed it must not */
static void
trial(const struct tb_rsa_pub *pub, int pss, const struct tb_hash *h, uint8_t *dg,
    uint8_t *sig, size_t sl, const char *what)
{
	size_t i, salt = h->len;
	uint8_t x;
	int r;

	if (check(pub, pss, h, dg, sig, sl, salt) != 0) {
		printf("FAIL %s: %s %s signature refused\n", what, pss ? "pss" : "pkcs1", h->name);
		bad++;
		return;
	}
	ok++;
	/* a byte of the signature, changed */
	i = next() % sl;
	x = (uint8_t)(1 + next() % 255);
	sig[i] ^= x;
	r = check(pub, pss, h, dg, sig, sl, salt);
	sig[i] ^= x;
	/* a byte of the digest */
	i = next() % h->len;
	dg[i] ^= x;
	r = r != 0 && check(pub, pss, h, dg, sig, sl, salt) != 0;
	dg[i] ^= x;
	/* the other scheme; PSS with the salt length one off */
	r = r && check(pub, !pss, h, dg, sig, sl, salt) != 0;
	if (pss)
		r = r && check(pub, 1, h, dg, sig, sl, salt + 1) != 0 &&
		    check(pub, 1, h, dg, sig, sl, salt - 1) != 0;
	/* and unchanged it still verifies */
	r = r && check(pub, pss, h, dg, sig, sl, salt) == 0;
	if (!r) {
		printf("FAIL %s: a changed %s %s signature verified\n", what,
		    pss ? "pss" : "pkcs1", h->name);
		bad++;
	} else {
		refused += pss ? 5 : 3;
	}
}

static int
summary(void)
{
	printf("%ld signatures verified, %ld changed ones refused, %ld failures\n",
	    ok, refused, bad);
	return bad || ok == 0 ? 1 : 0;
}

static int
verify(const struct tb_rsa_pub *pub, const char *list)
{
	char line[1024], mode[16], hn[16], df[480], sf[480];
	FILE *fp = fopen(list, "r");
	long ln = 0;

	if (fp == NULL) {
		fprintf(stderr, "x_rsa: %s: cannot open\n", list);
		return 2;
	}
	while (fgets(line, sizeof line, fp) != NULL) {
		const struct tb_hash *h;
		uint8_t dg[TB_HASH_MAX], sig[TB_RSA_MAX_BYTES + 1], *p;
		size_t dl, sl;

		ln++;
		if (sscanf(line, "%15s %15s %479s %479s", mode, hn, df, sf) != 4 ||
		    (h = hash_by_name(hn)) == NULL) {
			fprintf(stderr, "x_rsa: %s:%ld: bad line\n", list, ln);
			return 2;
		}
		p = slurp(df, &dl);
		if (dl != h->len) {
			fprintf(stderr, "x_rsa: %s: not a %s digest\n", df, hn);
			return 2;
		}
		memcpy(dg, p, dl);
		p = slurp(sf, &sl);
		if (sl > TB_RSA_MAX_BYTES) {
			fprintf(stderr, "x_rsa: %s: too long\n", sf);
			return 2;
		}
		memcpy(sig, p, sl);
		trial(pub, strcmp(mode, "pss") == 0, h, dg, sig, sl, sf);
	}
	fclose(fp);
	return summary();
}

/* a DER header at p (n bytes): its size in *hdr, the content's in *clen */
static int
tlv(const uint8_t *p, size_t n, size_t *hdr, size_t *clen)
{
	size_t i, k;

	if (n < 2)
		return -1;
	*hdr = 2;
	*clen = p[1];
	if (p[1] & 0x80) {
		k = p[1] & 0x7f;
		if (k == 0 || k > 3 || n < 2 + k)
			return -1;
		for (*clen = 0, i = 0; i < k; i++)
			*clen = *clen << 8 | p[2 + i];
		*hdr += k;
	}
	return *hdr + *clen <= n ? 0 : -1;
}

static int
b64(int c)
{
	const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *q = c ? strchr(a, c) : NULL;

	return q ? (int)(q - a) : -1;
}

/* one certificate (DER): hash its tbsCertificate, check its signature */
static int
cert(const struct tb_rsa_pub *pub, int pss, const struct tb_hash *h,
    const uint8_t *der, size_t n, const char *what)
{
	uint8_t dg[TB_HASH_MAX], sig[TB_RSA_MAX_BYTES];
	const uint8_t *c;
	size_t hl, cl, th, tl, ah, al, sh, sl;
	tb_hash_ctx ctx;

	if (tlv(der, n, &hl, &cl) != 0 || der[0] != 0x30)
		return -1;
	c = der + hl;
	if (tlv(c, cl, &th, &tl) != 0 ||
	    tlv(c + th + tl, cl - th - tl, &ah, &al) != 0 ||
	    tlv(c + th + tl + ah + al, cl - th - tl - ah - al, &sh, &sl) != 0)
		return -1;
	c += th + tl + ah + al;
	if (c[0] != 0x03 || sl < 2 || c[sh] != 0 || sl - 1 > sizeof sig)
		return -1;
	memcpy(sig, c + sh + 1, sl - 1);
	h->init(&ctx);
	h->update(&ctx, der + hl, th + tl);
	h->final(&ctx, dg);
	trial(pub, pss, h, dg, sig, sl - 1, what);
	return 0;
}

static int
certs(const struct tb_rsa_pub *pub, const char *mode, const char *hn, const char *path)
{
	static uint8_t der[8192];
	const struct tb_hash *h = hash_by_name(hn);
	char line[256], what[64];
	FILE *fp = fopen(path, "r");
	size_t n = 0, i;
	unsigned acc = 0;
	int in = 0, bits = 0, v, count = 0;

	if (fp == NULL || h == NULL) {
		fprintf(stderr, "x_rsa: %s: cannot open, or no hash %s\n", path, hn);
		return 2;
	}
	while (fgets(line, sizeof line, fp) != NULL) {
		if (strncmp(line, "-----BEGIN CERTIFICATE-----", 27) == 0) {
			in = 1;
			n = 0;
			acc = 0;
			bits = 0;
			continue;
		}
		if (strncmp(line, "-----END CERTIFICATE-----", 25) == 0) {
			snprintf(what, sizeof what, "%s certificate %d", path, ++count);
			if (!in || cert(pub, strcmp(mode, "pss") == 0, h, der, n, what) != 0) {
				fprintf(stderr, "x_rsa: %s: not a certificate\n", what);
				return 2;
			}
			in = 0;
			continue;
		}
		for (i = 0; in && line[i] != '\0'; i++) {
			if ((v = b64((unsigned char)line[i])) < 0)
				continue;
			acc = acc << 6 | (unsigned)v;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				if (n < sizeof der)
					der[n++] = (uint8_t)(acc >> bits);
			}
		}
	}
	fclose(fp);
	return summary();
}

int
main(int argc, char **argv)
{
	struct tb_rsa_pub pub;
	const uint8_t *der;
	size_t len, i;
	int a;

	if (argc < 3)
		goto usage;
	der = slurp(argv[2], &len);
	if (tb_rsa_pubkey_parse(&pub, der, len, 0) != 0) {
		printf("%s: key refused\n", argv[2]);
		return 1;
	}
	if (strcmp(argv[1], "key") == 0 && argc == 3) {
		uint8_t n[TB_RSA_MAX_BYTES];

		tb_bn_to_bytes(n, pub.len, pub.m.n, pub.m.nl);
		printf("Modulus=");
		for (i = 0; i < pub.len; i++)
			printf("%02X", n[i]);
		printf("\nExponent=%lu\n", (unsigned long)pub.e);
		return 0;
	}
	if (strcmp(argv[1], "raw") == 0) {
		for (a = 3; a < argc; a++) {
			uint64_t s[TB_BN_LIMBS];
			uint8_t out[TB_RSA_MAX_BYTES];
			const uint8_t *sig = slurp(argv[a], &len);

			if (tb_bn_from_bytes(s, pub.m.nl, sig, len) != 0 ||
			    tb_bn_cmp(s, pub.m.n, pub.m.nl) >= 0) {
				printf("%s: not below n\n", argv[a]);
				return 1;
			}
			tb_mont_exp(&pub.m, s, s, pub.e);
			tb_bn_to_bytes(out, pub.len, s, pub.m.nl);
			for (i = 0; i < pub.len; i++)
				printf("%02x", out[i]);
			printf("\n");
		}
		return 0;
	}
	if (strcmp(argv[1], "verify") == 0 && argc == 4)
		return verify(&pub, argv[3]);
	if (strcmp(argv[1], "certs") == 0 && argc == 6)
		return certs(&pub, argv[3], argv[4], argv[5]);
usage:
	fprintf(stderr, "usage: x_rsa key PUB.der | raw PUB.der SIG... | verify PUB.der LIST |\n"
	    "       certs PUB.der pkcs1|pss HASH CERTS.pem\n");
	return 2;
}
