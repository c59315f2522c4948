/*
 * tls/x509.c - one X.509 v3 certificate parsed (RFC 5280 section 4), and
 * a certificate's key checking a signature (TLS SignatureSchemes, RFC
 * 8446 4.2.3) over lib/crypto.
 *
 * Certificates are public: nothing here is constant time, and no
 * valgrind constant-time check applies.  Every input is attacker bytes,
 * so every length is bounded by asn1.c and every field is checked.
 * Tested by tests/unit/t_x509.c, tests/x509.bats (certificates made by
 * the openssl command at test time) and fuzz/fz_x509.c.
 */
#include <stdio.h>
#include <string.h>

#include "crypto/c25519.h"
#include "crypto/ec.h"
#include "crypto/hash.h"
#include "crypto/rsa.h"
#include "tls/asn1.h"
#include "tls/x509_impl.h"

/* OIDs, as the bytes of their contents */
#define OID_RSA		"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01"
#define OID_RSA_SHA1	"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x05"
#define OID_RSA_PSS	"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0a"
#define OID_RSA_SHA256	"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b"
#define OID_RSA_SHA384	"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0c"
#define OID_RSA_SHA512	"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0d"
#define OID_MGF1	"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x08"
#define OID_EC		"\x2a\x86\x48\xce\x3d\x02\x01"
#define OID_P256	"\x2a\x86\x48\xce\x3d\x03\x01\x07"
#define OID_P384	"\x2b\x81\x04\x00\x22"
#define OID_ECDSA_SHA1	"\x2a\x86\x48\xce\x3d\x04\x01"
#define OID_ECDSA_SHA256 "\x2a\x86\x48\xce\x3d\x04\x03\x02"
#define OID_ECDSA_SHA384 "\x2a\x86\x48\xce\x3d\x04\x03\x03"
#define OID_ECDSA_SHA512 "\x2a\x86\x48\xce\x3d\x04\x03\x04"
#define OID_ED25519	"\x2b\x65\x70"
#define OID_SHA256	"\x60\x86\x48\x01\x65\x03\x04\x02\x01"
#define OID_SHA384	"\x60\x86\x48\x01\x65\x03\x04\x02\x02"
#define OID_SHA512	"\x60\x86\x48\x01\x65\x03\x04\x02\x03"
#define OID_EXT(n)	"\x55\x1d" n	/* 2.5.29.n */
#define OID_KP_SERVER	"\x2b\x06\x01\x05\x05\x07\x03\x01"
#define OID_ANY_EKU	"\x55\x1d\x25\x00"

#define FAIL(msg) do { *why = (msg); return -1; } while (0)

/* the parameters of an AlgorithmIdentifier are absent or NULL */
static int
null_params(struct tb_asn1 *a)
{
	struct tb_der v;

	if (tb_asn1_done(a))
		return 0;
	if (tb_asn1_get(a, ASN1_NULL, &v) < 0 || v.len != 0 || !tb_asn1_done(a))
		return -1;
	return 0;
}

/* AlgorithmIdentifier of a hash inside RSASSA-PSS-params: its scheme offset, -1 unknown */
static int
pss_hash(const struct tb_der *alg)
{
	struct tb_asn1 a;
	struct tb_der oid;

	tb_asn1_init(&a, alg->p, alg->len);
	if (tb_asn1_get(&a, ASN1_OID, &oid) < 0 || null_params(&a) < 0)
		return -1;
	if (OID_IS(&oid, OID_SHA256))
		return 0;
	if (OID_IS(&oid, OID_SHA384))
		return 1;
	if (OID_IS(&oid, OID_SHA512))
		return 2;
	return -1;
}

/*
 * RSASSA-PSS-params (RFC 4055 3.1): the scheme rsa_pss_rsae_shaN when
 * the hash, the MGF1 hash and the salt length agree as TLS 1.3 has them
 * (salt as long as the hash, trailer 1); -1 for anything else (the
 * defaults, SHA-1, are not accepted).
 */
static int
pss_scheme(struct tb_asn1 *a)
{
	static const int scheme[3] = { TB_SIG_PSS_RSAE_SHA256, TB_SIG_PSS_RSAE_SHA384,
	    TB_SIG_PSS_RSAE_SHA512 };
	static const long salt[3] = { 32, 48, 64 };
	struct tb_asn1 s, e;
	struct tb_der params, v, alg, oid;
	int h, mh;
	long sl;

	if (tb_asn1_get(a, ASN1_SEQUENCE, &params) < 0 || !tb_asn1_done(a))
		return -1;
	tb_asn1_init(&s, params.p, params.len);
	/* [0] hashAlgorithm */
	if (tb_asn1_get(&s, ASN1_CTXC(0), &v) < 0)
		return -1;
	tb_asn1_init(&e, v.p, v.len);
	if (tb_asn1_get(&e, ASN1_SEQUENCE, &alg) < 0 || !tb_asn1_done(&e) ||
	    (h = pss_hash(&alg)) < 0)
		return -1;
	/* [1] maskGenAlgorithm: MGF1 with the same hash */
	if (tb_asn1_get(&s, ASN1_CTXC(1), &v) < 0)
		return -1;
	tb_asn1_init(&e, v.p, v.len);
	if (tb_asn1_get(&e, ASN1_SEQUENCE, &alg) < 0 || !tb_asn1_done(&e))
		return -1;
	tb_asn1_init(&e, alg.p, alg.len);
	if (tb_asn1_get(&e, ASN1_OID, &oid) < 0 || !OID_IS(&oid, OID_MGF1) ||
	    tb_asn1_get(&e, ASN1_SEQUENCE, &alg) < 0 || !tb_asn1_done(&e) ||
	    (mh = pss_hash(&alg)) != h)
		return -1;
	/* [2] saltLength */
	if (tb_asn1_get(&s, ASN1_CTXC(2), &v) < 0)
		return -1;
	tb_asn1_init(&e, v.p, v.len);
	if (tb_asn1_get(&e, ASN1_INTEGER, &alg) < 0 || !tb_asn1_done(&e) ||
	    tb_asn1_uint(&alg, &sl) < 0 || sl != salt[h])
		return -1;
	/* [3] trailerField: DEFAULT 1, so DER leaves it out */
	if (!tb_asn1_done(&s))
		return -1;
	return scheme[h];
}

/* a signature AlgorithmIdentifier's contents -> SignatureScheme, -1 unknown */
static int
sig_scheme(const struct tb_der *alg)
{
	struct tb_asn1 a;
	struct tb_der oid;

	tb_asn1_init(&a, alg->p, alg->len);
	if (tb_asn1_get(&a, ASN1_OID, &oid) < 0)
		return -1;
	if (OID_IS(&oid, OID_RSA_PSS))
		return pss_scheme(&a);
	if (OID_IS(&oid, OID_RSA_SHA256) || OID_IS(&oid, OID_RSA_SHA384) ||
	    OID_IS(&oid, OID_RSA_SHA512) || OID_IS(&oid, OID_RSA_SHA1)) {
		if (null_params(&a) < 0)
			return -1;
		return OID_IS(&oid, OID_RSA_SHA256) ? TB_SIG_RSA_PKCS1_SHA256 :
		    OID_IS(&oid, OID_RSA_SHA384) ? TB_SIG_RSA_PKCS1_SHA384 :
		    OID_IS(&oid, OID_RSA_SHA512) ? TB_SIG_RSA_PKCS1_SHA512 :
		    TB_SIG_RSA_PKCS1_SHA1;
	}
	/* ECDSA and Ed25519: parameters absent (RFC 5758 3.2, RFC 8410 3) */
	if (!tb_asn1_done(&a))
		return -1;
	if (OID_IS(&oid, OID_ECDSA_SHA256))
		return TB_SIG_ECDSA_SHA256;
	if (OID_IS(&oid, OID_ECDSA_SHA384))
		return TB_SIG_ECDSA_SHA384;
	if (OID_IS(&oid, OID_ECDSA_SHA512))
		return TB_SIG_ECDSA_SHA512;
	if (OID_IS(&oid, OID_ECDSA_SHA1))
		return TB_SIG_ECDSA_SHA1;
	if (OID_IS(&oid, OID_ED25519))
		return TB_SIG_ED25519;
	return -1;
}

/* the modulus size of an RSAPublicKey, without building the key */
static int
rsa_bits(const struct tb_der *key, unsigned *bits)
{
	struct tb_asn1 a, s;
	struct tb_der seq, n, e;
	size_t i = 0;
	unsigned top;

	tb_asn1_init(&a, key->p, key->len);
	if (tb_asn1_get(&a, ASN1_SEQUENCE, &seq) < 0 || !tb_asn1_done(&a))
		return -1;
	tb_asn1_init(&s, seq.p, seq.len);
	if (tb_asn1_get(&s, ASN1_INTEGER, &n) < 0 || tb_asn1_get(&s, ASN1_INTEGER, &e) < 0 ||
	    !tb_asn1_done(&s) || n.len == 0 || e.len == 0 || (n.p[0] & 0x80))
		return -1;
	if (n.p[0] == 0) {
		if (n.len < 2 || !(n.p[1] & 0x80))
			return -1;
		i = 1;
	}
	if (n.len - i > TB_RSA_MAX_BYTES)
		return -1;
	for (top = 0; (n.p[i] >> top) != 0; top++)
		;
	*bits = (unsigned)(8 * (n.len - i - 1)) + top;
	return 0;
}

/* SubjectPublicKeyInfo: the key type, size and bits */
static int
parse_spki(struct tb_x509 *x, const char **why)
{
	struct tb_asn1 a, s;
	struct tb_der seq, alg, oid, curve, bits;
	unsigned unused;

	tb_asn1_init(&a, x->spki.p, x->spki.len);
	if (tb_asn1_get(&a, ASN1_SEQUENCE, &seq) < 0)
		FAIL("certificate: bad subjectPublicKeyInfo");
	tb_asn1_init(&s, seq.p, seq.len);
	if (tb_asn1_get(&s, ASN1_SEQUENCE, &alg) < 0 ||
	    tb_asn1_get(&s, ASN1_BITSTRING, &bits) < 0 || !tb_asn1_done(&s) ||
	    tb_asn1_bits(&bits, &x->pubkey, &unused) < 0 || unused != 0)
		FAIL("certificate: bad subjectPublicKeyInfo");
	tb_asn1_init(&a, alg.p, alg.len);
	if (tb_asn1_get(&a, ASN1_OID, &oid) < 0)
		FAIL("certificate: bad public key algorithm");
	x->key = TB_KEY_NONE;
	if (OID_IS(&oid, OID_RSA) || OID_IS(&oid, OID_RSA_PSS)) {
		/* a PSS key's parameters only restrict it; they are not read */
		if (OID_IS(&oid, OID_RSA) && null_params(&a) < 0)
			FAIL("certificate: bad RSA key parameters");
		if (rsa_bits(&x->pubkey, &x->key_bits) < 0)
			FAIL("certificate: bad RSA key");
		x->key = TB_KEY_RSA;
	} else if (OID_IS(&oid, OID_EC)) {
		if (tb_asn1_get(&a, ASN1_OID, &curve) < 0 || !tb_asn1_done(&a))
			FAIL("certificate: bad EC key parameters");
		if (OID_IS(&curve, OID_P256) && tb_ec_point_check(TB_EC_P256,
		    x->pubkey.p, x->pubkey.len) == 0) {
			x->key = TB_KEY_P256;
			x->key_bits = 256;
		} else if (OID_IS(&curve, OID_P384) && tb_ec_point_check(TB_EC_P384,
		    x->pubkey.p, x->pubkey.len) == 0) {
			x->key = TB_KEY_P384;
			x->key_bits = 384;
		} else if (OID_IS(&curve, OID_P256) || OID_IS(&curve, OID_P384))
			FAIL("certificate: bad EC public key");
	} else if (OID_IS(&oid, OID_ED25519)) {
		if (!tb_asn1_done(&a) || x->pubkey.len != TB_ED25519_PUB_LEN)
			FAIL("certificate: bad Ed25519 key");
		x->key = TB_KEY_ED25519;
		x->key_bits = 256;
	}
	/* another algorithm: the certificate parses, its key verifies nothing */
	return 0;
}

static int
parse_time(struct tb_asn1 *a, int64_t *t)
{
	struct tb_der v;
	unsigned tag;

	if (tb_asn1_any(a, &tag, &v, NULL) < 0)
		return -1;
	return tb_asn1_time(tag, &v, t);
}

/*
 * Name ::= SEQUENCE OF SET OF SEQUENCE { OID, ANY }: the structure
 * checked once here so that printing it later needs no checks.
 */
static int
check_name(const struct tb_der *name)
{
	struct tb_asn1 a, rdns, set, atv;
	struct tb_der seq, rdn, av, oid, val;
	unsigned tag;

	tb_asn1_init(&a, name->p, name->len);
	if (tb_asn1_get(&a, ASN1_SEQUENCE, &seq) < 0 || !tb_asn1_done(&a))
		return -1;
	tb_asn1_init(&rdns, seq.p, seq.len);
	while (!tb_asn1_done(&rdns)) {
		if (tb_asn1_get(&rdns, ASN1_SET, &rdn) < 0 || rdn.len == 0)
			return -1;
		tb_asn1_init(&set, rdn.p, rdn.len);
		while (!tb_asn1_done(&set)) {
			if (tb_asn1_get(&set, ASN1_SEQUENCE, &av) < 0)
				return -1;
			tb_asn1_init(&atv, av.p, av.len);
			if (tb_asn1_get(&atv, ASN1_OID, &oid) < 0 ||
			    tb_asn1_any(&atv, &tag, &val, NULL) < 0 || !tb_asn1_done(&atv))
				return -1;
		}
	}
	return 0;
}

/* GeneralNames (SAN): a SEQUENCE of context-tagged names, at least one */
static int
check_general_names(const struct tb_der *v)
{
	struct tb_asn1 a, s;
	struct tb_der seq, n;
	unsigned tag;

	tb_asn1_init(&a, v->p, v->len);
	if (tb_asn1_get(&a, ASN1_SEQUENCE, &seq) < 0 || !tb_asn1_done(&a) || seq.len == 0)
		return -1;
	tb_asn1_init(&s, seq.p, seq.len);
	while (!tb_asn1_done(&s)) {
		if (tb_asn1_any(&s, &tag, &n, NULL) < 0 || (tag & 0xc0) != 0x80)
			return -1;
		/* iPAddress is 4 or 16 bytes (8 or 32 only in name constraints) */
		if (tag == ASN1_CTX(7) && n.len != 4 && n.len != 16)
			return -1;
	}
	return 0;
}

static int
ext_basic(struct tb_x509 *x, const struct tb_der *v)
{
	struct tb_asn1 a, s;
	struct tb_der seq, b, n;
	long pl;
	int ca = 0, r;

	tb_asn1_init(&a, v->p, v->len);
	if (tb_asn1_get(&a, ASN1_SEQUENCE, &seq) < 0 || !tb_asn1_done(&a))
		return -1;
	tb_asn1_init(&s, seq.p, seq.len);
	if ((r = tb_asn1_opt(&s, ASN1_BOOLEAN, &b)) < 0)
		return -1;
	/* DEFAULT FALSE: DER leaves a false cA out, but many CAs write it; take it */
	if (r == 1 && tb_asn1_bool(&b, &ca) < 0)
		return -1;
	if ((r = tb_asn1_opt(&s, ASN1_INTEGER, &n)) < 0)
		return -1;
	if (r == 1) {
		if (tb_asn1_uint(&n, &pl) < 0 || pl > 255)
			return -1;
		x->pathlen = (int)pl;
	}
	if (!tb_asn1_done(&s))
		return -1;
	x->ca = ca;
	return 0;
}

static int
ext_ku(struct tb_x509 *x, const struct tb_der *v)
{
	struct tb_asn1 a;
	struct tb_der bs, bits;
	unsigned unused, i;

	tb_asn1_init(&a, v->p, v->len);
	if (tb_asn1_get(&a, ASN1_BITSTRING, &bs) < 0 || !tb_asn1_done(&a) ||
	    tb_asn1_bits(&bs, &bits, &unused) < 0 || bits.len == 0 || bits.len > 2)
		return -1;
	x->ku = 0;
	for (i = 0; i < 8 * bits.len; i++)
		if (bits.p[i / 8] & (0x80 >> (i % 8)))
			x->ku |= 1u << i;
	x->has_ku = 1;
	return 0;
}

static int
ext_eku(struct tb_x509 *x, const struct tb_der *v)
{
	struct tb_asn1 a, s;
	struct tb_der seq, oid;

	tb_asn1_init(&a, v->p, v->len);
	if (tb_asn1_get(&a, ASN1_SEQUENCE, &seq) < 0 || !tb_asn1_done(&a) || seq.len == 0)
		return -1;
	tb_asn1_init(&s, seq.p, seq.len);
	while (!tb_asn1_done(&s)) {
		if (tb_asn1_get(&s, ASN1_OID, &oid) < 0)
			return -1;
		if (OID_IS(&oid, OID_KP_SERVER) || OID_IS(&oid, OID_ANY_EKU))
			x->eku_server = 1;
	}
	x->has_eku = 1;
	return 0;
}

static int
ext_octets(struct tb_der *out, const struct tb_der *v)
{
	struct tb_asn1 a;

	tb_asn1_init(&a, v->p, v->len);
	if (tb_asn1_get(&a, ASN1_OCTETSTRING, out) < 0 || !tb_asn1_done(&a))
		return -1;
	return 0;
}

static int
ext_aki(struct tb_x509 *x, const struct tb_der *v)
{
	struct tb_asn1 a, s;
	struct tb_der seq;

	tb_asn1_init(&a, v->p, v->len);
	if (tb_asn1_get(&a, ASN1_SEQUENCE, &seq) < 0 || !tb_asn1_done(&a))
		return -1;
	tb_asn1_init(&s, seq.p, seq.len);
	/* [0] keyIdentifier; [1] issuer and [2] serial are not used */
	return tb_asn1_opt(&s, ASN1_CTX(0), &x->aki) < 0 ? -1 : 0;
}

/* GeneralSubtrees in [0] permitted and [1] excluded, each a SEQUENCE of GeneralSubtree */
static int
ext_nc(const struct tb_der *v)
{
	struct tb_asn1 a, s, t, g;
	struct tb_der seq, trees, sub, base;
	unsigned tag;
	int r;

	tb_asn1_init(&a, v->p, v->len);
	if (tb_asn1_get(&a, ASN1_SEQUENCE, &seq) < 0 || !tb_asn1_done(&a))
		return -1;
	tb_asn1_init(&s, seq.p, seq.len);
	while (!tb_asn1_done(&s)) {
		if (tb_asn1_any(&s, &tag, &trees, NULL) < 0 ||
		    (tag != ASN1_CTXC(0) && tag != ASN1_CTXC(1)) || trees.len == 0)
			return -1;
		tb_asn1_init(&t, trees.p, trees.len);
		while (!tb_asn1_done(&t)) {
			if (tb_asn1_get(&t, ASN1_SEQUENCE, &sub) < 0)
				return -1;
			tb_asn1_init(&g, sub.p, sub.len);
			if (tb_asn1_any(&g, &tag, &base, NULL) < 0 || (tag & 0xc0) != 0x80)
				return -1;
			if (tag == ASN1_CTX(7) && base.len != 8 && base.len != 32)
				return -1;
			/* minimum is DEFAULT 0 and maximum absent in RFC 5280 profiles */
			if ((r = tb_asn1_peek(&g)) != -1)
				return -1;
		}
	}
	return 0;
}

/* Extensions: every one checked; an unknown one marked critical fails */
static int
parse_exts(struct tb_x509 *x, const struct tb_der *exts, const char **why)
{
	static char msg[96];
	struct tb_asn1 a, s, e;
	struct tb_der seq, ext, oid, crit, val;
	unsigned seen = 0, bit;
	int critical, r;

	tb_asn1_init(&a, exts->p, exts->len);
	if (tb_asn1_get(&a, ASN1_SEQUENCE, &seq) < 0 || !tb_asn1_done(&a) || seq.len == 0)
		FAIL("certificate: bad extensions");
	tb_asn1_init(&s, seq.p, seq.len);
	while (!tb_asn1_done(&s)) {
		critical = 0;
		if (tb_asn1_get(&s, ASN1_SEQUENCE, &ext) < 0)
			FAIL("certificate: bad extension");
		tb_asn1_init(&e, ext.p, ext.len);
		if (tb_asn1_get(&e, ASN1_OID, &oid) < 0 ||
		    (r = tb_asn1_opt(&e, ASN1_BOOLEAN, &crit)) < 0 ||
		    (r == 1 && tb_asn1_bool(&crit, &critical) < 0) ||
		    tb_asn1_get(&e, ASN1_OCTETSTRING, &val) < 0 || !tb_asn1_done(&e))
			FAIL("certificate: bad extension");
		bit = 0;
		r = 0;
		if (OID_IS(&oid, OID_EXT("\x13"))) {
			bit = 1;
			r = ext_basic(x, &val);
		} else if (OID_IS(&oid, OID_EXT("\x0f"))) {
			bit = 2;
			r = ext_ku(x, &val);
		} else if (OID_IS(&oid, OID_EXT("\x25"))) {
			bit = 4;
			r = ext_eku(x, &val);
		} else if (OID_IS(&oid, OID_EXT("\x11"))) {
			bit = 8;
			x->san = val;
			r = check_general_names(&val);
		} else if (OID_IS(&oid, OID_EXT("\x0e"))) {
			bit = 16;
			r = ext_octets(&x->ski, &val);
		} else if (OID_IS(&oid, OID_EXT("\x23"))) {
			bit = 32;
			r = ext_aki(x, &val);
		} else if (OID_IS(&oid, OID_EXT("\x1e"))) {
			bit = 64;
			x->nc = val;
			r = ext_nc(&val);
		} else if (critical) {
			char o[64];

			if (tb_asn1_oid_str(&oid, o, sizeof o) < 0)
				FAIL("certificate: bad extension");
			snprintf(msg, sizeof msg, "unknown critical extension %s", o);
			FAIL(msg);
		}
		if (r < 0) {
			static const char *const bad[] = { "basicConstraints", "keyUsage",
			    "extendedKeyUsage", "subjectAltName", "subjectKeyIdentifier",
			    "authorityKeyIdentifier", "nameConstraints" };
			int i = 0;

			while ((1u << i) != bit)
				i++;
			snprintf(msg, sizeof msg, "certificate: bad %s extension", bad[i]);
			FAIL(msg);
		}
		if (seen & bit)
			FAIL("certificate: an extension appears twice");
		seen |= bit;
	}
	return 0;
}

int
tb_x509_parse(struct tb_x509 *x, const uint8_t *der, size_t len, const char **why)
{
	struct tb_asn1 a, c, t, v;
	struct tb_der cert, tbs, ver, alg, validity, u, sigbits;
	unsigned unused;
	long n;
	int r;

	memset(x, 0, sizeof *x);
	x->pathlen = -1;
	x->sig_scheme = -1;
	x->der.p = der;
	x->der.len = len;
	if (tb_asn1_check(der, len) < 0)
		FAIL("certificate: bad DER encoding");
	tb_asn1_init(&a, der, len);
	if (tb_asn1_get(&a, ASN1_SEQUENCE, &cert) < 0 || !tb_asn1_done(&a))
		FAIL("certificate: not a certificate");
	tb_asn1_init(&c, cert.p, cert.len);
	x->tbs.p = c.p;
	if (tb_asn1_get(&c, ASN1_SEQUENCE, &tbs) < 0)
		FAIL("certificate: bad tbsCertificate");
	x->tbs.len = (size_t)(c.p - x->tbs.p);
	x->sigalg.p = c.p;
	if (tb_asn1_get(&c, ASN1_SEQUENCE, &alg) < 0)
		FAIL("certificate: bad signatureAlgorithm");
	x->sigalg.len = (size_t)(c.p - x->sigalg.p);
	if (tb_asn1_get(&c, ASN1_BITSTRING, &sigbits) < 0 || !tb_asn1_done(&c) ||
	    tb_asn1_bits(&sigbits, &x->sig, &unused) < 0 || unused != 0)
		FAIL("certificate: bad signatureValue");
	x->sig_scheme = sig_scheme(&alg);

	tb_asn1_init(&t, tbs.p, tbs.len);
	/* [0] EXPLICIT Version DEFAULT v1 */
	x->version = 1;
	if ((r = tb_asn1_opt(&t, ASN1_CTXC(0), &ver)) < 0)
		FAIL("certificate: bad version");
	if (r == 1) {
		tb_asn1_init(&v, ver.p, ver.len);
		if (tb_asn1_get(&v, ASN1_INTEGER, &u) < 0 || !tb_asn1_done(&v) ||
		    tb_asn1_uint(&u, &n) < 0 || n > 2)
			FAIL("certificate: bad version");
		x->version = (int)n + 1;
	}
	/* serial: RFC 5280 4.1.2.2 allows up to 20 octets (a sign byte more is seen) */
	if (tb_asn1_get(&t, ASN1_INTEGER, &x->serial) < 0 || x->serial.len == 0 ||
	    x->serial.len > 21)
		FAIL("certificate: bad serialNumber");
	/* the inner signature algorithm is the outer one, byte for byte (4.1.1.2) */
	if (tb_asn1_get(&t, ASN1_SEQUENCE, &u) < 0 || u.len != alg.len || memcmp(u.p, alg.p, alg.len) != 0)
		FAIL("certificate: the two signature algorithms differ");
	x->issuer.p = t.p;
	if (tb_asn1_get(&t, ASN1_SEQUENCE, &u) < 0)
		FAIL("certificate: bad issuer");
	x->issuer.len = (size_t)(t.p - x->issuer.p);
	if (check_name(&x->issuer) < 0)
		FAIL("certificate: bad issuer");
	if (tb_asn1_get(&t, ASN1_SEQUENCE, &validity) < 0)
		FAIL("certificate: bad validity");
	tb_asn1_init(&v, validity.p, validity.len);
	if (parse_time(&v, &x->not_before) < 0 || parse_time(&v, &x->not_after) < 0 ||
	    !tb_asn1_done(&v))
		FAIL("certificate: bad validity");
	x->subject.p = t.p;
	if (tb_asn1_get(&t, ASN1_SEQUENCE, &u) < 0)
		FAIL("certificate: bad subject");
	x->subject.len = (size_t)(t.p - x->subject.p);
	if (check_name(&x->subject) < 0)
		FAIL("certificate: bad subject");
	x->spki.p = t.p;
	if (tb_asn1_get(&t, ASN1_SEQUENCE, &u) < 0)
		FAIL("certificate: bad subjectPublicKeyInfo");
	x->spki.len = (size_t)(t.p - x->spki.p);
	if (parse_spki(x, why) < 0)
		return -1;
	/* [1] issuerUniqueID, [2] subjectUniqueID: v2 and v3 only, not used */
	if ((r = tb_asn1_opt(&t, ASN1_CTX(1), &u)) < 0 || (r == 1 && x->version < 2))
		FAIL("certificate: bad issuerUniqueID");
	if ((r = tb_asn1_opt(&t, ASN1_CTX(2), &u)) < 0 || (r == 1 && x->version < 2))
		FAIL("certificate: bad subjectUniqueID");
	/* [3] EXPLICIT Extensions: v3 only */
	if ((r = tb_asn1_opt(&t, ASN1_CTXC(3), &u)) < 0 || (r == 1 && x->version != 3))
		FAIL("certificate: bad extensions");
	if (r == 1 && parse_exts(x, &u, why) < 0)
		return -1;
	if (!tb_asn1_done(&t))
		FAIL("certificate: bytes after the extensions");
	return 0;
}

/* --- signatures --------------------------------------------------------- */

static const struct tb_hash *
scheme_hash(int scheme)
{
	switch (scheme) {
	case TB_SIG_RSA_PKCS1_SHA256: case TB_SIG_ECDSA_SHA256:
	case TB_SIG_PSS_RSAE_SHA256: case TB_SIG_PSS_PSS_SHA256:
		return &tb_hash_sha256;
	case TB_SIG_RSA_PKCS1_SHA384: case TB_SIG_ECDSA_SHA384:
	case TB_SIG_PSS_RSAE_SHA384: case TB_SIG_PSS_PSS_SHA384:
		return &tb_hash_sha384;
	case TB_SIG_RSA_PKCS1_SHA512: case TB_SIG_ECDSA_SHA512:
	case TB_SIG_PSS_RSAE_SHA512: case TB_SIG_PSS_PSS_SHA512:
		return &tb_hash_sha512;
	}
	return NULL;
}

const char *
x509_scheme_name(int scheme)
{
	switch (scheme) {
	case TB_SIG_RSA_PKCS1_SHA1: return "rsa_pkcs1_sha1";
	case TB_SIG_ECDSA_SHA1: return "ecdsa_sha1";
	case TB_SIG_RSA_PKCS1_SHA256: return "rsa_pkcs1_sha256";
	case TB_SIG_RSA_PKCS1_SHA384: return "rsa_pkcs1_sha384";
	case TB_SIG_RSA_PKCS1_SHA512: return "rsa_pkcs1_sha512";
	case TB_SIG_ECDSA_SHA256: return "ecdsa_secp256r1_sha256";
	case TB_SIG_ECDSA_SHA384: return "ecdsa_secp384r1_sha384";
	case TB_SIG_ECDSA_SHA512: return "ecdsa_secp521r1_sha512";
	case TB_SIG_PSS_RSAE_SHA256: return "rsa_pss_rsae_sha256";
	case TB_SIG_PSS_RSAE_SHA384: return "rsa_pss_rsae_sha384";
	case TB_SIG_PSS_RSAE_SHA512: return "rsa_pss_rsae_sha512";
	case TB_SIG_ED25519: return "ed25519";
	case TB_SIG_PSS_PSS_SHA256: return "rsa_pss_pss_sha256";
	case TB_SIG_PSS_PSS_SHA384: return "rsa_pss_pss_sha384";
	case TB_SIG_PSS_PSS_SHA512: return "rsa_pss_pss_sha512";
	}
	return "unknown";
}

const char *
x509_sigalg_name(int scheme)
{
	switch (scheme) {
	case TB_SIG_RSA_PKCS1_SHA1: return "sha1WithRSAEncryption";
	case TB_SIG_ECDSA_SHA1: return "ecdsa-with-SHA1";
	case TB_SIG_RSA_PKCS1_SHA256: return "sha256WithRSAEncryption";
	case TB_SIG_RSA_PKCS1_SHA384: return "sha384WithRSAEncryption";
	case TB_SIG_RSA_PKCS1_SHA512: return "sha512WithRSAEncryption";
	case TB_SIG_ECDSA_SHA256: return "ecdsa-with-SHA256";
	case TB_SIG_ECDSA_SHA384: return "ecdsa-with-SHA384";
	case TB_SIG_ECDSA_SHA512: return "ecdsa-with-SHA512";
	case TB_SIG_PSS_RSAE_SHA256: return "RSASSA-PSS SHA-256";
	case TB_SIG_PSS_RSAE_SHA384: return "RSASSA-PSS SHA-384";
	case TB_SIG_PSS_RSAE_SHA512: return "RSASSA-PSS SHA-512";
	case TB_SIG_ED25519: return "Ed25519";
	}
	return "unsupported";
}

/* is the certificate's key an RSASSA-PSS one (id-RSASSA-PSS in the SPKI)? */
static int
pss_key(const struct tb_x509 *x)
{
	/* SEQUENCE { SEQUENCE { OID ... */
	static const uint8_t oid[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
	    0x01, 0x01, 0x0a };
	struct tb_asn1 a;
	struct tb_der s, alg;

	tb_asn1_init(&a, x->spki.p, x->spki.len);
	if (tb_asn1_get(&a, ASN1_SEQUENCE, &s) < 0)
		return 0;
	tb_asn1_init(&a, s.p, s.len);
	if (tb_asn1_get(&a, ASN1_SEQUENCE, &alg) < 0)
		return 0;
	return alg.len >= sizeof oid && memcmp(alg.p, oid, sizeof oid) == 0;
}

/*
 * The one verifier: curve_bound says whether an ECDSA scheme names the
 * curve (TLS 1.3) or only the hash (certificate signatures).
 */
static int
verify(const struct tb_x509 *x, int scheme, int curve_bound, const uint8_t *msg,
    size_t mlen, const uint8_t *sig, size_t slen)
{
	const struct tb_hash *h;
	struct tb_rsa_pub rsa;
	tb_hash_ctx ctx;
	uint8_t dg[TB_HASH_MAX];
	int pss = pss_key(x), r = -1;

	if (scheme == TB_SIG_ED25519) {
		if (x->key != TB_KEY_ED25519 || slen != TB_ED25519_SIG_LEN)
			return -1;
		return tb_ed25519_verify(x->pubkey.p, msg, mlen, sig);
	}
	if ((h = scheme_hash(scheme)) == NULL)
		return -1;	/* SHA-1 and the unknown */
	h->init(&ctx);
	h->update(&ctx, msg, mlen);
	h->final(&ctx, dg);
	switch (scheme) {
	case TB_SIG_RSA_PKCS1_SHA256: case TB_SIG_RSA_PKCS1_SHA384:
	case TB_SIG_RSA_PKCS1_SHA512:
	case TB_SIG_PSS_RSAE_SHA256: case TB_SIG_PSS_RSAE_SHA384:
	case TB_SIG_PSS_RSAE_SHA512:
	case TB_SIG_PSS_PSS_SHA256: case TB_SIG_PSS_PSS_SHA384:
	case TB_SIG_PSS_PSS_SHA512:
		if (x->key != TB_KEY_RSA)
			return -1;
		/* an RSASSA-PSS key signs only rsa_pss_pss_*; rsaEncryption the others */
		if (pss != (scheme >= TB_SIG_PSS_PSS_SHA256 && scheme <= TB_SIG_PSS_PSS_SHA512))
			return -1;
		if (tb_rsa_pubkey_parse(&rsa, x->pubkey.p, x->pubkey.len, 0) < 0)
			return -1;
		if ((scheme & 0xff) == 0x01)
			r = tb_rsa_verify_pkcs1(&rsa, h, dg, sig, slen);
		else
			r = tb_rsa_verify_pss(&rsa, h, dg, sig, slen, h->len);
		break;
	case TB_SIG_ECDSA_SHA256: case TB_SIG_ECDSA_SHA384: case TB_SIG_ECDSA_SHA512:
		if (x->key != TB_KEY_P256 && x->key != TB_KEY_P384)
			return -1;
		if (curve_bound && !((scheme == TB_SIG_ECDSA_SHA256 && x->key == TB_KEY_P256) ||
		    (scheme == TB_SIG_ECDSA_SHA384 && x->key == TB_KEY_P384)))
			return -1;
		r = tb_ecdsa_verify(x->key == TB_KEY_P256 ? TB_EC_P256 : TB_EC_P384,
		    x->pubkey.p, x->pubkey.len, dg, h->len, sig, slen);
		break;
	}
	return r == 0 ? 0 : -1;
}

int
tb_x509_verify_sig(const struct tb_x509 *x, int scheme, const uint8_t *msg, size_t mlen,
    const uint8_t *sig, size_t slen)
{
	return verify(x, scheme, 1, msg, mlen, sig, slen);
}

int
tb_x509_verify_sig12(const struct tb_x509 *x, int scheme, const uint8_t *msg, size_t mlen,
    const uint8_t *sig, size_t slen)
{
	return verify(x, scheme, 0, msg, mlen, sig, slen);
}

int
x509_issued_by(const struct tb_x509 *child, const struct tb_x509 *issuer)
{
	return verify(issuer, child->sig_scheme, 0, child->tbs.p, child->tbs.len,
	    child->sig.p, child->sig.len);
}

/* --- names for people ---------------------------------------------------- */

static const struct {
	const char *name;
	const char *oid;
} attrs[] = {
	{ "CN", "\x55\x04\x03" }, { "C", "\x55\x04\x06" }, { "L", "\x55\x04\x07" },
	{ "ST", "\x55\x04\x08" }, { "O", "\x55\x04\x0a" }, { "OU", "\x55\x04\x0b" },
	{ "serialNumber", "\x55\x04\x05" }, { "DC", "\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x19" },
	{ "emailAddress", "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x01" },
};

/* append s (n bytes, or up to NUL if n is (size_t)-1) to buf at *o, escaping */
static void
put(char *buf, size_t cap, size_t *o, const char *s, size_t n, int esc)
{
	size_t i;

	for (i = 0; i < n && (n != (size_t)-1 || s[i]); i++) {
		unsigned char ch = (unsigned char)s[i];
		char tmp[5];
		size_t k, tl;

		if (esc && (ch < 0x20 || ch >= 0x7f || ch == '\\')) {
			if (ch == '\\')
				tmp[0] = tmp[1] = '\\', tl = 2;
			else
				tl = (size_t)snprintf(tmp, sizeof tmp, "\\x%02x", ch);
		} else
			tmp[0] = (char)ch, tl = 1;
		for (k = 0; k < tl && *o + 1 < cap; k++)
			buf[(*o)++] = tmp[k];
	}
	buf[*o < cap ? *o : cap - 1] = '\0';
}

/* one attribute "CN=value" (a UTF-8 string's bytes above 0x7f escaped) */
static void
put_attr(char *buf, size_t cap, size_t *o, const struct tb_der *oid, unsigned tag,
    const struct tb_der *val)
{
	char os[64];
	size_t i;

	for (i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
		if (oid->len == strlen(attrs[i].oid) &&
		    memcmp(oid->p, attrs[i].oid, oid->len) == 0)
			break;
	if (i < sizeof attrs / sizeof attrs[0])
		put(buf, cap, o, attrs[i].name, (size_t)-1, 0);
	else {
		if (tb_asn1_oid_str(oid, os, sizeof os) < 0)
			snprintf(os, sizeof os, "?");
		put(buf, cap, o, os, (size_t)-1, 0);
	}
	put(buf, cap, o, "=", 1, 0);
	if (tag == ASN1_BMP) {		/* UCS-2: the ASCII ones kept */
		for (i = 0; i + 1 < val->len; i += 2) {
			char ch = val->p[i] == 0 ? (char)val->p[i + 1] : '?';

			put(buf, cap, o, &ch, 1, 1);
		}
	} else
		put(buf, cap, o, (const char *)val->p, val->len, 1);
}

void
x509_name_str(const struct tb_der *name, int full, char *buf, size_t n)
{
	struct tb_asn1 a, rdns, set, atv;
	struct tb_der seq, rdn, av, oid, val, cn = { NULL, 0 };
	unsigned tag, cntag = 0;
	size_t o = 0;

	if (n == 0)
		return;
	buf[0] = '\0';
	tb_asn1_init(&a, name->p, name->len);
	if (tb_asn1_get(&a, ASN1_SEQUENCE, &seq) < 0)
		return;
	/* a common name first, for messages, unless all is wanted */
	for (int pass = full ? 1 : 0; pass < 2; pass++) {
		tb_asn1_init(&rdns, seq.p, seq.len);
		while (tb_asn1_get(&rdns, ASN1_SET, &rdn) == 0) {
			tb_asn1_init(&set, rdn.p, rdn.len);
			while (tb_asn1_get(&set, ASN1_SEQUENCE, &av) == 0) {
				tb_asn1_init(&atv, av.p, av.len);
				if (tb_asn1_get(&atv, ASN1_OID, &oid) < 0 ||
				    tb_asn1_any(&atv, &tag, &val, NULL) < 0)
					return;
				if (pass == 0) {
					if (OID_IS(&oid, "\x55\x04\x03")) {
						cn = val;
						cntag = tag;
					}
					continue;
				}
				if (o > 0)
					put(buf, n, &o, ", ", 2, 0);
				put_attr(buf, n, &o, &oid, tag, &val);
			}
		}
		if (pass == 0 && cn.p != NULL) {
			static const struct tb_der cnoid = { (const uint8_t *)"\x55\x04\x03", 3 };

			put_attr(buf, n, &o, &cnoid, cntag, &cn);
			return;
		}
	}
	if (o == 0)
		put(buf, n, &o, "(empty name)", (size_t)-1, 0);
}
