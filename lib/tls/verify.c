/*
 * tls/verify.c - a server's certificate chain checked as RFC 5280 section
 * 6 and RFC 6125 want it for a TLS client (see x509.h).
 *
 * The chain is built from the leaf upwards: at each step the trust store
 * is asked first for an anchor whose subject is the certificate's issuer
 * and whose key verifies its signature (so a server that also sends the
 * root, or a cross-signed intermediate, ends at the shortest trusted
 * path), then the other certificates the server sent, in any order, each
 * used once.  A certificate that is itself an anchor (the same DER) ends
 * the chain without a signature check: that is the only place a SHA-1
 * signature is never looked at.  At most 10 certificates, anchor included;
 * of a Certificate message only the first 32 are looked at.  Name
 * constraints of other types than DNS and IP (directoryName, email, URI)
 * are not checked.
 *
 * Then, on every certificate, leaf first: validity at v->now; on every
 * issuer: version 3 with basicConstraints cA (an anchor may be a v1
 * certificate), keyUsage keyCertSign when keyUsage is present, the
 * pathLenConstraint, extendedKeyUsage (when present) allowing serverAuth,
 * and its DNS and IP name constraints over every certificate below it;
 * on the leaf: extendedKeyUsage serverAuth and keyUsage digitalSignature
 * when present (tubes has no RSA key transport, so keyEncipherment alone
 * will not do).  Last the host
 * against the leaf's subjectAltName (name.c).  Unknown critical
 * extensions fail in tb_x509_parse.
 *
 * Public data only: not constant time.  No system calls (the trust
 * store was read by tb_trust_open; the -X view goes through view.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "crypto/rsa.h"
#include "tls/asn1.h"
#include "tls/x509_impl.h"
#include "view.h"

#define MAX_DEPTH 10		/* certificates in a chain, anchor included */
#define MAX_SENT 32		/* certificates of a Certificate message looked at */

static void
date_str(int64_t t, char *buf, size_t n, int with_time)
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t s = t - days * 86400;
	int y, m, d;

	tb_civil(days, &y, &m, &d);
	if (with_time)
		snprintf(buf, n, "%04d-%02d-%02d %02d:%02d:%02d UTC", y, m, d,
		    (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));
	else
		snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
}

static const char *
key_str(const struct tb_x509 *x, char *buf, size_t n)
{
	switch (x->key) {
	case TB_KEY_RSA:
		snprintf(buf, n, "RSA %u bits", x->key_bits);
		break;
	case TB_KEY_P256:
		snprintf(buf, n, "ECDSA P-256");
		break;
	case TB_KEY_P384:
		snprintf(buf, n, "ECDSA P-384");
		break;
	case TB_KEY_ED25519:
		snprintf(buf, n, "Ed25519");
		break;
	default:
		snprintf(buf, n, "unsupported algorithm");
	}
	return buf;
}

/* one certificate as -X shows it */
static void
show_cert(struct layers *lv, const struct tb_x509 *x, size_t i, size_t n)
{
	char s[512], t[64];

	lv_layer(lv, "Certificate %zu of %zu, %zu bytes", i + 1, n, x->der.len);
	x509_name_str(&x->subject, 1, s, sizeof s);
	lv_field(lv, "subject", "%s", s);
	x509_name_str(&x->issuer, 1, s, sizeof s);
	lv_field(lv, "issuer", "%s", s);
	date_str(x->not_before, s, sizeof s, 1);
	date_str(x->not_after, t, sizeof t, 1);
	lv_field(lv, "validity", "%s to %s", s, t);
	if (x->san.len) {
		x509_san_str(&x->san, s, sizeof s);
		lv_field(lv, "subjectAltName", "%s", s);
	}
	lv_field(lv, "public key", "%s", key_str(x, s, sizeof s));
	lv_field(lv, "signature", "%s", x509_sigalg_name(x->sig_scheme));
	if (x->ca)
		lv_field(lv, "basicConstraints", x->pathlen >= 0 ? "CA, pathlen %d" : "CA",
		    x->pathlen);
}

/* "(CN=...)" of a certificate, for the end of a message */
static const char *
who(const struct tb_x509 *x, char *buf, size_t n)
{
	char s[160];

	x509_name_str(&x->subject, 0, s, sizeof s);
	snprintf(buf, n, "%s", s);
	return buf;
}

/* is x itself one of the anchors (the same DER)? */
static int
is_anchor(const struct tb_trust *t, const struct tb_x509 *x)
{
	struct tb_x509 a;
	int k;

	for (k = 0; x509_trust_find(t, &x->subject, k, &a) == 0; k++)
		if (a.der.len == x->der.len && memcmp(a.der.p, x->der.p, a.der.len) == 0)
			return 1;
	return 0;
}

static int
same_name(const struct tb_der *a, const struct tb_der *b)
{
	return a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

static int fail(struct tb_verify *, const char *, ...) __attribute__((format(printf, 2, 3)));

/* the message into v->why (cut to fit), shown with -X; -1 */
static int
fail(struct tb_verify *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->why, sizeof v->why, fmt, ap);
	va_end(ap);
	if (v->lv)
		lv_field(v->lv, "result", "failed: %s", v->why);
	return -1;
}

int
tb_x509_verify_chain(const struct tb_trust *t, const uint8_t *const *certs,
    const size_t *lens, size_t n, struct tb_verify *v)
{
	struct tb_x509 sent[MAX_SENT], chain[MAX_DEPTH + 1], cand;
	unsigned char used[MAX_SENT];
	char a[320], b[320];
	const char *why;
	size_t i, j, ns = n < MAX_SENT ? n : MAX_SENT;
	int d = 1, k, found, tried, weak, unsup, i_ca;

	v->why[0] = '\0';
	v->depth = 0;
	if (n == 0) {
		memset(&v->leaf, 0, sizeof v->leaf);
		snprintf(v->why, sizeof v->why, "the server sent no certificate");
		return -1;
	}
	/* every certificate parsed (and shown) before any is judged */
	for (i = 0; i < ns; i++) {
		int r = tb_x509_parse(&sent[i], certs[i], lens[i], &why);

		if (i == 0)
			v->leaf = sent[0];	/* parsed or not: -k still wants it */
		if (r < 0) {
			if (v->lv)
				lv_layer(v->lv, "Certificate %zu of %zu, %zu bytes", i + 1, n, lens[i]);
			if (sent[i].subject.len) {
				who(&sent[i], a, sizeof a);
				return fail(v, "%s (%s)", why, a);
			}
			return fail(v, "%s", why);
		}
		if (v->lv)
			show_cert(v->lv, &sent[i], i, n);
	}
	if (v->lv) {
		lv_layer(v->lv, "Certificate verification");
		lv_field(v->lv, "trust store", "%s", x509_trust_source(t));
	}

	/* build: leaf upwards, the trust store first at every step */
	memset(used, 0, sizeof used);
	used[0] = 1;
	chain[0] = sent[0];
	for (;;) {
		struct tb_x509 *cur = &chain[d - 1];

		if (is_anchor(t, cur))
			break;
		who(cur, a, sizeof a);
		if (cur->sig_scheme == 0x0201 || cur->sig_scheme == 0x0203)
			return fail(v, "%s is signed with SHA-1, which is not accepted", a);
		if (cur->sig_scheme < 0)
			return fail(v, "%s is signed with an unsupported algorithm", a);
		if (d == MAX_DEPTH)
			return fail(v, "certificate chain longer than 10 certificates (at %s)", a);
		found = tried = weak = unsup = 0;
		for (k = 0; x509_trust_find(t, &cur->issuer, k, &cand) == 0; k++) {
			tried = 1;
			weak |= cand.key == TB_KEY_RSA && cand.key_bits < TB_RSA_MIN_BITS;
			unsup |= cand.key == TB_KEY_NONE;
			if (x509_issued_by(cur, &cand) == 0) {
				chain[d++] = cand;
				found = 2;	/* an anchor: the chain is complete */
				break;
			}
		}
		for (j = 1; !found && j < ns; j++) {
			if (used[j] || !same_name(&sent[j].subject, &cur->issuer))
				continue;
			tried = 1;
			weak |= sent[j].key == TB_KEY_RSA && sent[j].key_bits < TB_RSA_MIN_BITS;
			unsup |= sent[j].key == TB_KEY_NONE;
			if (x509_issued_by(cur, &sent[j]) == 0) {
				used[j] = 1;
				chain[d++] = sent[j];
				found = 1;
			}
		}
		if (found == 2)
			break;
		if (found)
			continue;
		x509_name_str(&cur->issuer, 0, b, sizeof b);
		if (tried && unsup)
			return fail(v, "%s has a key of an unsupported algorithm", b);
		if (tried && weak)
			return fail(v, "%s has an RSA key under 2048 bits, which is not accepted", b);
		if (tried)
			return fail(v, "bad signature on %s by %s", a, b);
		if (same_name(&cur->subject, &cur->issuer) && x509_issued_by(cur, cur) == 0)
			return fail(v, d == 1 ? "self-signed certificate (%s)" :
			    "untrusted root certificate (%s)", a);
		return fail(v, "unknown issuer %s", b);
	}
	v->depth = d;

	/* judge: every certificate, leaf first */
	for (k = 0; k < d; k++) {
		const struct tb_x509 *x = &chain[k];

		who(x, a, sizeof a);
		if (v->now < x->not_before) {
			date_str(x->not_before, b, sizeof b, 0);
			return fail(v, "certificate not valid before %s (%s)", b, a);
		}
		if (v->now > x->not_after) {
			date_str(x->not_after, b, sizeof b, 0);
			return fail(v, "certificate expired on %s (%s)", b, a);
		}
		if (k == 0) {
			if (x->has_eku && !x->eku_server)
				return fail(v, "certificate not meant for a server: "
				    "extendedKeyUsage lacks serverAuth (%s)", a);
			if (x->key == TB_KEY_NONE)
				return fail(v, "certificate key of an unsupported algorithm (%s)", a);
			if (x->key == TB_KEY_RSA && x->key_bits < TB_RSA_MIN_BITS)
				return fail(v, "certificate key too small: RSA %u bits (%s)",
				    x->key_bits, a);
			/* every key exchange here is signed: no RSA key transport */
			if (x->has_ku && !(x->ku & 1u))
				return fail(v, "certificate key may not sign: "
				    "keyUsage lacks digitalSignature (%s)", a);
			continue;
		}
		/* an issuer: k - 1 CA certificates stand between it and the leaf */
		if (!x->ca && !(k == d - 1 && x->version < 3))
			return fail(v, "%s is not a CA (basicConstraints)", a);
		if (x->has_ku && !(x->ku & (1u << 5)))
			return fail(v, "%s may not sign certificates (keyUsage lacks keyCertSign)",
			    a);
		if (x->pathlen >= 0 && k - 1 > x->pathlen) {
			return fail(v, "path length exceeded: %s allows %d CA certificates below it",
			    a, x->pathlen);
		}
		if (x->has_eku && !x->eku_server)
			return fail(v, "%s may not issue server certificates "
			    "(extendedKeyUsage lacks serverAuth)", a);
		for (i_ca = 0; i_ca < k; i_ca++) {
			int r = x509_nc_check(&x->nc, &chain[i_ca], b, sizeof b);

			if (r == -1)
				return fail(v, "%s is outside the name constraints of %s", b, a);
			if (r == -2)
				return fail(v, "malformed name constraints in %s", a);
		}
	}
	if (v->lv) {
		x509_name_str(&chain[d - 1].subject, 1, a, sizeof a);
		lv_field(v->lv, "anchor", "%s", a);
		b[0] = '\0';
		for (k = 0; k < d; k++) {
			size_t o = strlen(b);

			x509_name_str(&chain[k].subject, 0, a, sizeof a);
			if (o + 4 + strlen(a) + 1 > sizeof b)
				break;
			if (k)
				memcpy(b + o, " <- ", 4), o += 4;
			memcpy(b + o, a, strlen(a) + 1);
		}
		lv_field(v->lv, "chain", "%s (%d certificate%s)", b, d, d == 1 ? "" : "s");
	}

	/* the name: subjectAltName only */
	if (v->host != NULL) {
		int r = x509_host_match(&chain[0].san, v->host, b, sizeof b);

		if (r != 1) {
			if (chain[0].san.len == 0)
				return fail(v, "%s does not match the certificate (no subjectAltName)",
				    v->host);
			x509_san_str(&chain[0].san, a, 200);
			return fail(v, "%s does not match the certificate (SAN: %s)", v->host, a);
		}
		if (v->lv)
			lv_field(v->lv, "name", "%s matches %s", v->host, b);
	}
	if (v->lv)
		lv_field(v->lv, "result", "verified");
	return 0;
}
