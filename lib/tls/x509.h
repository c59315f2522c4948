/*
 * tls/x509.h - certificates as a TLS client checks them (RFC 5280, RFC
 * 6125): a bounded DER parser, the trust store, chain building and
 * checking, and the leaf's key checking a signature (CertificateVerify,
 * ServerKeyExchange).
 *
 * Every byte here comes from the peer or a file: everything is bounded,
 * nothing is trusted, nothing is allocated per certificate parsed (a
 * struct tb_x509 points into the DER it was parsed from).  Wire side
 * (asn1.c, x509.c, pem.c, name.c, verify.c): no system calls.  The trust
 * store (trust.c) reads files.
 *
 * Certificates, keys and signatures here are public: nothing is constant
 * time and no valgrind constant-time check applies (the secrets of TLS
 * live in lib/crypto and the record layer).  Tested by
 * tests/unit/t_x509.c (DER, times, PEM, names, openssl-made certificates
 * of every key type), tests/x509.bats (chains made by the openssl command
 * at test time, each failure with its message, verdicts compared with
 * openssl verify, TLS signatures by every key type, the system bundle)
 * and fuzz/fz_x509.c, fuzz/fz_pem.c.
 */
#ifndef TUBES_TLS_X509_H
#define TUBES_TLS_X509_H

#include <stddef.h>
#include <stdint.h>

struct layers;

/* a byte range inside the DER a certificate was parsed from */
struct tb_der {
	const uint8_t *p;
	size_t len;
};

enum tb_x509_key {
	TB_KEY_NONE,
	TB_KEY_RSA,		/* rsaEncryption (and RSASSA-PSS keys) */
	TB_KEY_P256,		/* id-ecPublicKey, prime256v1 */
	TB_KEY_P384,		/* id-ecPublicKey, secp384r1 */
	TB_KEY_ED25519
};

struct tb_x509 {
	struct tb_der der;	/* the whole Certificate */
	struct tb_der tbs;	/* TBSCertificate, what the issuer signed */
	struct tb_der serial, issuer, subject;	/* issuer/subject: the Name DER */
	struct tb_der spki;	/* SubjectPublicKeyInfo */
	struct tb_der pubkey;	/* the key bits (RSA: RSAPublicKey DER; EC: point; Ed25519: 32 bytes) */
	struct tb_der sigalg;	/* signatureAlgorithm (outer) */
	struct tb_der sig;	/* signatureValue bits */
	struct tb_der san;	/* subjectAltName extension value, or len 0 */
	struct tb_der ski, aki;	/* key identifiers, or len 0 */
	struct tb_der nc;	/* nameConstraints value, or len 0 */
	int64_t not_before, not_after;	/* seconds since the epoch, UTC */
	int key;		/* enum tb_x509_key */
	unsigned key_bits;	/* RSA modulus bits, EC curve bits */
	int version;		/* 1..3 */
	int ca;			/* basicConstraints cA */
	int pathlen;		/* basicConstraints pathLenConstraint, -1 none */
	int has_ku;		/* keyUsage present */
	unsigned ku;		/* keyUsage bits, bit 0 = digitalSignature ... 5 = keyCertSign */
	int has_eku;		/* extendedKeyUsage present */
	int eku_server;		/* it lists id-kp-serverAuth or anyExtendedKeyUsage */
	int sig_scheme;		/* the TLS SignatureScheme the issuer signed with, -1 unknown */
};

/*
 * Parse one DER certificate.  0, or -1 with *why naming what is wrong
 * ("certificate: bad length", "unknown critical extension 2.5.29.99").
 */
int tb_x509_parse(struct tb_x509 *, const uint8_t *der, size_t len, const char **why);

/*
 * Check sig over msg with the certificate's public key, under the TLS
 * SignatureScheme scheme (RFC 8446 4.2.3: 0x0401 rsa_pkcs1_sha256 ...
 * 0x0804 rsa_pss_rsae_sha256 ... 0x0403 ecdsa_secp256r1_sha256,
 * 0x0503 ecdsa_secp384r1_sha384, 0x0807 ed25519).  0 valid, -1 not (a
 * scheme that does not fit the key is -1).  Public data: may branch.
 */
int tb_x509_verify_sig(const struct tb_x509 *, int scheme,
    const uint8_t *msg, size_t mlen, const uint8_t *sig, size_t slen);
/*
 * The same for TLS 1.2's ServerKeyExchange (RFC 5246 7.4.1.4.1, RFC 8422
 * 5.10), where an ECDSA SignatureAndHashAlgorithm names the hash only:
 * 0x0403/0x0503/0x0603 are SHA-256/384/512 on either curve.
 */
int tb_x509_verify_sig12(const struct tb_x509 *, int scheme,
    const uint8_t *msg, size_t mlen, const uint8_t *sig, size_t slen);

/* --- trust store (trust.c) ---------------------------------------------- */

struct tb_trust;
/*
 * Open the anchors: cafile and/or capath if given (--cacert, --capath),
 * else SSL_CERT_FILE / SSL_CERT_DIR, else the distribution's bundle
 * (/etc/ssl/certs/ca-certificates.crt first).  Cheap: a bundle is read
 * but only indexed; a certificate is decoded when a chain needs its
 * subject.  NULL with *why on failure.
 */
struct tb_trust *tb_trust_open(const char *cafile, const char *capath, const char **why);
void tb_trust_close(struct tb_trust *);

/* --- chain verification (verify.c) -------------------------------------- */

struct tb_verify {
	const char *host;	/* DNS name or IP literal to match; NULL: skip the name check */
	int64_t now;		/* seconds since the epoch (tests pass a fixed clock) */
	struct layers *lv;	/* if set, each step is shown (-X) */
	/* results */
	struct tb_x509 leaf;	/* the server's certificate, parsed */
	int depth;		/* certificates in the chain built, anchor included */
	char why[256];		/* on failure: a message a person can act on */
};

/*
 * Build a chain from certs[0] (the leaf) through any of certs[1..n-1], in
 * any order, to an anchor of t, and check it: signatures, validity at
 * v->now, basicConstraints and path length, keyUsage keyCertSign on
 * issuers, extendedKeyUsage serverAuth on the leaf, DNS name constraints,
 * unknown critical extensions; then v->host against the leaf's
 * subjectAltName only (left-most wildcard label, IP addresses for IP
 * literals, no CN fallback).  At most 10 certificates deep.  0 verified,
 * -1 with v->why ("certificate expired on 2026-01-01 (CN=...)",
 * "www.x.test does not match the certificate (SAN: a.test, b.test)",
 * "unknown issuer CN=...").  v->leaf is filled whenever certs[0] parses,
 * verified or not (so -k can still check CertificateVerify with it).
 */
int tb_x509_verify_chain(const struct tb_trust *t, const uint8_t *const *certs,
    const size_t *lens, size_t n, struct tb_verify *v);

/* --- PEM (pem.c) -------------------------------------------------------- */

/*
 * The next "-----BEGIN CERTIFICATE-----" block at or after *off in
 * text: its DER decoded into der (cap bytes), *off moved past it.
 * Returns the DER length, 0 when there is no further block, -1 on a
 * malformed block.
 */
long tb_pem_next(const char *text, size_t len, size_t *off, uint8_t *der, size_t cap);

#endif
