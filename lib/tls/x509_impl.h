/*
 * tls/x509_impl.h - what the certificate files share among themselves
 * (x509.c, name.c, verify.c, trust.c); not an interface for commands.
 */
#ifndef TUBES_TLS_X509_IMPL_H
#define TUBES_TLS_X509_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "tls/x509.h"

/* TLS SignatureScheme values (RFC 8446 4.2.3) the certificate code names */
#define TB_SIG_RSA_PKCS1_SHA1	0x0201
#define TB_SIG_ECDSA_SHA1	0x0203
#define TB_SIG_RSA_PKCS1_SHA256	0x0401
#define TB_SIG_RSA_PKCS1_SHA384	0x0501
#define TB_SIG_RSA_PKCS1_SHA512	0x0601
#define TB_SIG_ECDSA_SHA256	0x0403	/* ecdsa_secp256r1_sha256 */
#define TB_SIG_ECDSA_SHA384	0x0503	/* ecdsa_secp384r1_sha384 */
#define TB_SIG_ECDSA_SHA512	0x0603
#define TB_SIG_PSS_RSAE_SHA256	0x0804
#define TB_SIG_PSS_RSAE_SHA384	0x0805
#define TB_SIG_PSS_RSAE_SHA512	0x0806
#define TB_SIG_ED25519		0x0807
#define TB_SIG_PSS_PSS_SHA256	0x0809
#define TB_SIG_PSS_PSS_SHA384	0x080a
#define TB_SIG_PSS_PSS_SHA512	0x080b

/*
 * Does issuer's key verify child's signature (child->sig_scheme over
 * child->tbs)?  As tb_x509_verify_sig, except that an ECDSA certificate
 * signature may use any of SHA-256/384/512 on either curve (a P-256 CA
 * signing with SHA-384 is common), and SHA-1 is refused.  0 or -1.
 */
int x509_issued_by(const struct tb_x509 *child, const struct tb_x509 *issuer);

/* the name of a signature scheme ("rsa_pss_rsae_sha256"), or "unknown" */
const char *x509_scheme_name(int scheme);
/* the same as a certificate's signatureAlgorithm is named ("ecdsa-with-SHA384") */
const char *x509_sigalg_name(int scheme);

/*
 * A Name for a person: "CN=value" when there is a common name (the
 * last one), else every attribute "O=x, OU=y" (full set: always all of
 * them, as in -X).  Peer bytes escaped (\xHH).  Always NUL-terminated.
 */
void x509_name_str(const struct tb_der *name, int full, char *buf, size_t n);

/* --- name.c ----------------------------------------------------------- */

/* an IPv4 or IPv6 literal into a (4 or 16 bytes): its length, or 0 if host is not one */
size_t x509_ip_parse(const char *host, uint8_t a[16]);
/*
 * host against the subjectAltName value san (RFC 6125: dNSName with at
 * most a whole left-most "*" label, iPAddress for IP literals, no CN).
 * 1 and the matching entry in matched (text), 0 no match, -1 a malformed SAN.
 */
int x509_host_match(const struct tb_der *san, const char *host, char *matched, size_t mn);
/* the SAN's entries as "a.test, 192.0.2.1, ..." into buf, cut with "..." */
void x509_san_str(const struct tb_der *san, char *buf, size_t n);
/*
 * The names of cert (its SAN dNSName and iPAddress entries) against the
 * nameConstraints value nc.  0 all fit, -1 one does not (its text in
 * bad), -2 the constraints are malformed.
 */
int x509_nc_check(const struct tb_der *nc, const struct tb_x509 *cert, char *bad, size_t bn);

/* --- pem.c ------------------------------------------------------------- */

/*
 * The next certificate block at or after *off: the range of its base64
 * body in [*body, *bodyend), *off moved past it.  1 found, 0 none, -1 a
 * BEGIN line without its END (then *off is moved past the BEGIN).
 */
int x509_pem_block(const char *text, size_t len, size_t *off, size_t *body, size_t *bodyend);
/*
 * Strict base64 (see pem.c) into der: the byte count, or -1.  With
 * prefix set, a der too small for it all is not an error: the first
 * whole groups that fit are decoded and counted (the rest unchecked).
 */
long x509_b64_decode(const char *s, size_t len, uint8_t *der, size_t cap, int prefix);

/* --- trust.c ------------------------------------------------------------ */

/*
 * The k-th anchor (k = 0, 1, ...) whose subject Name is this DER, parsed
 * into *out: 0, or -1 when there is no k-th one.  Anchors that do not
 * parse are skipped.
 */
int x509_trust_find(const struct tb_trust *, const struct tb_der *subject, int k,
    struct tb_x509 *out);
/* how many certificates the store holds (for -X) and where from */
size_t x509_trust_count(const struct tb_trust *);
const char *x509_trust_source(const struct tb_trust *);

#endif
