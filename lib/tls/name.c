/*
 * tls/name.c - the host a client asked for against a certificate's
 * subjectAltName (RFC 6125 section 6, as browsers apply it), and DNS and
 * IP name constraints (RFC 5280 4.2.1.10).
 *
 * DNS names compare case-insensitively (ASCII only: internationalized
 * names are in their xn-- A-label form on the wire).  A wildcard is a
 * whole left-most label "*" and stands for exactly one non-empty label;
 * "f*o.example" and "*.*.example" match nothing; a wildcard over fewer
 * than two labels ("*.com", "*.") matches nothing (there is no public
 * suffix list here, so "*.co.uk" still would).  An IP literal is
 * compared with iPAddress entries only, never with a dNSName.  The
 * subject's CN is never looked at.  Public data, no system calls.
 */
#include <stdio.h>
#include <string.h>

#include "tls/asn1.h"
#include "tls/x509_impl.h"
#include "view.h"

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* a and b (n bytes each) equal, ignoring ASCII case */
static int
eqcase(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

static size_t
ip4(const char *s, size_t n, uint8_t a[4])
{
	size_t i = 0;
	int k;

	for (k = 0; k < 4; k++) {
		unsigned v = 0, digits = 0;

		if (k > 0 && (i >= n || s[i++] != '.'))
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(s[i++] - '0');
			digits++;
		}
		/* no leading zero ("010" is octal to some parsers) */
		if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && s[i - digits] == '0'))
			return 0;
		a[k] = (uint8_t)v;
	}
	return i == n ? 4 : 0;
}

static int
hexdig(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static size_t
ip6(const char *s, size_t n, uint8_t a[16])
{
	uint8_t w[16];
	size_t i = 0, k = 0, gap = (size_t)-1, j;

	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		i = 2;
	} else if (n >= 1 && s[0] == ':')
		return 0;
	while (i < n) {
		unsigned v = 0, digits = 0;
		size_t start = i;
		int h;

		if (k >= 16)
			return 0;
		while (i < n && (h = hexdig((unsigned char)s[i])) >= 0 && digits < 5) {
			v = v << 4 | (unsigned)h;
			digits++;
			i++;
		}
		if (i < n && s[i] == '.') {	/* a dotted IPv4 tail */
			if (k > 12 || ip4(s + start, n - start, w + k) != 4)
				return 0;
			k += 4;
			i = n;
			break;
		}
		if (digits == 0 || digits > 4)
			return 0;
		w[k++] = (uint8_t)(v >> 8);
		w[k++] = (uint8_t)v;
		if (i == n)
			break;
		if (s[i] != ':')
			return 0;
		i++;
		if (i < n && s[i] == ':') {
			if (gap != (size_t)-1)
				return 0;
			gap = k;
			i++;
		} else if (i == n)
			return 0;	/* a trailing single colon */
	}
	if (gap == (size_t)-1) {
		if (k != 16)
			return 0;
		memcpy(a, w, 16);
	} else {
		if (k > 14)
			return 0;
		memset(a, 0, 16);
		memcpy(a, w, gap);
		for (j = 0; j < k - gap; j++)
			a[16 - (k - gap) + j] = w[gap + j];
	}
	return 16;
}

size_t
x509_ip_parse(const char *host, uint8_t a[16])
{
	size_t n = strlen(host);

	if (ip4(host, n, a) == 4)
		return 4;
	if (memchr(host, ':', n) != NULL)
		return ip6(host, n, a);
	return 0;
}

/* an iPAddress entry as text */
static void
ip_str(const uint8_t *a, size_t len, char *buf, size_t n)
{
	size_t o = 0, i;
	int k;

	buf[0] = '\0';
	if (len == 4) {
		snprintf(buf, n, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
		return;
	}
	/* IPv6: the longest run of two or more zero groups becomes "::" */
	size_t best = 0, bestlen = 0, run = 0;
	for (i = 0; i < 8; i++) {
		if (a[2 * i] == 0 && a[2 * i + 1] == 0) {
			run++;
			if (run > bestlen) {
				bestlen = run;
				best = i + 1 - run;
			}
		} else
			run = 0;
	}
	if (bestlen < 2)
		bestlen = 0;
	for (i = 0; i < 8 && o < n; i++) {
		if (bestlen && i == best) {
			k = snprintf(buf + o, n - o, "::");
			i += bestlen - 1;
		} else
			k = snprintf(buf + o, n - o, "%s%x", o && buf[o - 1] != ':' ? ":" : "",
			    (unsigned)(a[2 * i] << 8 | a[2 * i + 1]));
		if (k < 0)
			return;
		o += (size_t)k;
	}
}

/*
 * pattern (a dNSName, plen bytes) against host (hlen bytes, already
 * without a trailing dot): 1 match, 0 not.
 */
static int
dns_match(const char *pat, size_t plen, const char *host, size_t hlen)
{
	const char *dot, *rest;
	size_t rlen;

	if (plen == 0 || hlen == 0 || memchr(pat, '\0', plen) || memchr(host, '*', hlen))
		return 0;
	if (plen >= 2 && pat[0] == '*' && pat[1] == '.') {
		rest = pat + 2;
		rlen = plen - 2;
		/* "*.com": under two labels after the wildcard */
		if (rlen == 0 || memchr(rest, '*', rlen) || !memchr(rest, '.', rlen) ||
		    rest[0] == '.' || rest[rlen - 1] == '.')
			return 0;
		dot = memchr(host, '.', hlen);
		if (dot == NULL || dot == host)
			return 0;
		dot++;
		return (size_t)(host + hlen - dot) == rlen && eqcase(dot, rest, rlen);
	}
	if (memchr(pat, '*', plen))
		return 0;
	return plen == hlen && eqcase(pat, host, hlen);
}

/* iterate a SAN's GeneralNames: 1 and the next one, 0 at the end, -1 malformed */
static int
next_name(struct tb_asn1 *s, unsigned *tag, struct tb_der *v)
{
	if (tb_asn1_done(s))
		return 0;
	return tb_asn1_any(s, tag, v, NULL) < 0 ? -1 : 1;
}

static int
open_san(const struct tb_der *san, struct tb_asn1 *s)
{
	struct tb_asn1 a;
	struct tb_der seq;

	tb_asn1_init(&a, san->p, san->len);
	if (tb_asn1_get(&a, ASN1_SEQUENCE, &seq) < 0)
		return -1;
	tb_asn1_init(s, seq.p, seq.len);
	return 0;
}

/* peer text (a dNSName) into buf, escaped */
static void
text_str(const struct tb_der *v, char *buf, size_t n)
{
	tb_escape_buf(buf, n, v->p, v->len);
}

int
x509_host_match(const struct tb_der *san, const char *host, char *matched, size_t mn)
{
	struct tb_asn1 s;
	struct tb_der v;
	uint8_t ip[16];
	size_t hlen = strlen(host), iplen;
	unsigned tag;
	int r;

	if (mn)
		matched[0] = '\0';
	if (san->len == 0)
		return 0;
	if (hlen > 0 && host[hlen - 1] == '.')
		hlen--;
	if (open_san(san, &s) < 0)
		return -1;
	iplen = x509_ip_parse(host, ip);
	while ((r = next_name(&s, &tag, &v)) == 1) {
		if (iplen && tag == ASN1_CTX(7) && v.len == iplen &&
		    memcmp(v.p, ip, iplen) == 0) {
			ip_str(v.p, v.len, matched, mn);
			return 1;
		}
		if (!iplen && tag == ASN1_CTX(2) &&
		    dns_match((const char *)v.p, v.len, host, hlen)) {
			text_str(&v, matched, mn);
			return 1;
		}
	}
	return r;
}

void
x509_san_str(const struct tb_der *san, char *buf, size_t n)
{
	struct tb_asn1 s;
	struct tb_der v;
	unsigned tag;
	size_t o = 0, l;
	char one[128];

	if (n == 0)
		return;
	buf[0] = '\0';
	if (san->len == 0 || open_san(san, &s) < 0)
		return;
	while (next_name(&s, &tag, &v) == 1) {
		if (tag == ASN1_CTX(2))
			text_str(&v, one, sizeof one);
		else if (tag == ASN1_CTX(7))
			ip_str(v.p, v.len, one, sizeof one);
		else
			continue;
		l = strlen(one);
		/* room for ", " + the name, and for ", ..." after it */
		if (o + 2 + l + 6 >= n) {
			snprintf(buf + o, n - o, "%s...", o ? ", " : "");
			return;
		}
		o += (size_t)snprintf(buf + o, n - o, "%s%s", o ? ", " : "", one);
	}
}

/*
 * A DNS name within a dNSName constraint: the constraint itself or any
 * name below it ("example.test" covers "a.example.test"; ".example.test"
 * only the names below); an empty constraint covers all.
 */
static int
dns_within(const char *name, size_t nl, const char *c, size_t cl)
{
	if (cl == 0)
		return 1;
	if (c[0] == '.')
		return nl > cl && eqcase(name + nl - cl, c, cl);
	if (nl == cl)
		return eqcase(name, c, cl);
	return nl > cl && name[nl - cl - 1] == '.' && eqcase(name + nl - cl, c, cl);
}

static int
ip_within(const uint8_t *a, size_t al, const struct tb_der *c)
{
	size_t i;

	if (c->len != 2 * al)
		return 0;
	for (i = 0; i < al; i++)
		if ((a[i] & c->p[al + i]) != (c->p[i] & c->p[al + i]))
			return 0;
	return 1;
}

/*
 * One name (tag [2] or [7]) against the subtrees in [0] permitted and [1]
 * excluded: 1 allowed, 0 not.  Subtrees of other name types do not
 * apply to it.
 */
static int
nc_one(const struct tb_der *nc, unsigned ntag, const struct tb_der *name, int wild)
{
	struct tb_asn1 a, s, t, g;
	struct tb_der seq, trees, sub, base;
	unsigned tag, ttag;
	int have_permit = 0, permitted = 0;

	tb_asn1_init(&a, nc->p, nc->len);
	if (tb_asn1_get(&a, ASN1_SEQUENCE, &seq) < 0)
		return 0;
	tb_asn1_init(&s, seq.p, seq.len);
	while (tb_asn1_any(&s, &ttag, &trees, NULL) == 0) {
		tb_asn1_init(&t, trees.p, trees.len);
		while (tb_asn1_get(&t, ASN1_SEQUENCE, &sub) == 0) {
			int in;

			tb_asn1_init(&g, sub.p, sub.len);
			if (tb_asn1_any(&g, &tag, &base, NULL) < 0)
				return 0;
			if (tag != ntag)
				continue;
			if (ntag == ASN1_CTX(2)) {
				in = dns_within((const char *)name->p, name->len,
				    (const char *)base.p, base.len);
				/*
				 * "*.a.test" reaches "x.a.test": an excluded
				 * subtree strictly below a.test meets it too
				 */
				if (wild && ttag == ASN1_CTXC(1) && base.len > name->len - 2 &&
				    dns_within((const char *)base.p, base.len,
				    (const char *)name->p + 2, name->len - 2))
					in = 1;
			} else
				in = ip_within(name->p, name->len, &base);
			if (ttag == ASN1_CTXC(1) && in)
				return 0;
			if (ttag == ASN1_CTXC(0)) {
				have_permit = 1;
				permitted |= in;
			}
		}
	}
	return !have_permit || permitted;
}

int
x509_nc_check(const struct tb_der *nc, const struct tb_x509 *cert, char *bad, size_t bn)
{
	struct tb_asn1 s;
	struct tb_der v;
	unsigned tag;
	int r, wild;

	if (nc->len == 0 || cert->san.len == 0)
		return 0;
	if (open_san(&cert->san, &s) < 0)
		return -2;
	while ((r = next_name(&s, &tag, &v)) == 1) {
		if (tag != ASN1_CTX(2) && tag != ASN1_CTX(7))
			continue;
		wild = tag == ASN1_CTX(2) && v.len > 2 && v.p[0] == '*' && v.p[1] == '.';
		if (!nc_one(nc, tag, &v, wild)) {
			if (tag == ASN1_CTX(2))
				text_str(&v, bad, bn);
			else
				ip_str(v.p, v.len, bad, bn);
			return -1;
		}
	}
	return r < 0 ? -2 : 0;
}
