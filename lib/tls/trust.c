/*
 * tls/trust.c - the trust anchors: a CA bundle read whole, its PEM blocks
 * decoded, and an index sorted by subject Name DER, so that a chain finds
 * its anchor by binary search and only that anchor is parsed.  A capath
 * directory is read only when a chain first asks for an anchor (its
 * *.pem and *.crt files: OpenSSL's hashed file names need OpenSSL's hash
 * of the name, which is not here).
 *
 * Where the anchors come from, first match wins: --cacert FILE and/or
 * --capath DIR; else $SSL_CERT_FILE and/or $SSL_CERT_DIR; else the
 * first of /etc/ssl/certs/ca-certificates.crt (Debian, Ubuntu, Alpine),
 * /etc/pki/tls/certs/ca-bundle.crt (Fedora, RHEL), /etc/ssl/cert.pem
 * (Arch, OpenBSD) that can be read.
 *
 * System side: reads files (tb_slurp), allocates (tb_malloc).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls/asn1.h"
#include "tls/x509_impl.h"
#include "tubes.h"

#define TRUST_MAX_FILE (64u << 20)	/* a bundle bigger than this is not one */

struct anchor {
	size_t off, len;	/* the DER in t->der */
	size_t soff, slen;	/* its subject Name inside t->der */
};

struct tb_trust {
	uint8_t *der;		/* every anchor's DER, one after another */
	size_t used, cap;
	struct anchor *a;
	size_t n, acap;
	int sorted;
	char *dir;		/* a capath not read yet */
	char src[256];		/* for -X: where the anchors came from */
};

static char errbuf[512];

/* the subject Name of a certificate, found without a full parse */
static int
subject_of(const uint8_t *der, size_t len, struct tb_der *subj)
{
	struct tb_asn1 a, t;
	struct tb_der cert, tbs, v;

	tb_asn1_init(&a, der, len);
	if (tb_asn1_get(&a, ASN1_SEQUENCE, &cert) < 0 || !tb_asn1_done(&a))
		return -1;
	tb_asn1_init(&a, cert.p, cert.len);
	if (tb_asn1_get(&a, ASN1_SEQUENCE, &tbs) < 0)
		return -1;
	tb_asn1_init(&t, tbs.p, tbs.len);
	if (tb_asn1_opt(&t, ASN1_CTXC(0), &v) < 0 ||
	    tb_asn1_get(&t, ASN1_INTEGER, &v) < 0 ||	/* serial */
	    tb_asn1_get(&t, ASN1_SEQUENCE, &v) < 0 ||	/* signature */
	    tb_asn1_get(&t, ASN1_SEQUENCE, &v) < 0 ||	/* issuer */
	    tb_asn1_get(&t, ASN1_SEQUENCE, &v) < 0)	/* validity */
		return -1;
	subj->p = t.p;
	if (tb_asn1_get(&t, ASN1_SEQUENCE, &v) < 0)
		return -1;
	subj->len = (size_t)(t.p - subj->p);
	return 0;
}

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	if ((q = tb_realloc(*p, n * size)) == NULL)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

/* one certificate's DER, already at t->der + off, indexed; skipped if it does not look like one */
static int
add(struct tb_trust *t, size_t off, size_t len)
{
	struct tb_der s;
	struct anchor *a;

	if (subject_of(t->der + off, len, &s) < 0)
		return 0;
	if (grow((void **)&t->a, &t->acap, t->n + 1, sizeof *t->a) < 0)
		return -1;
	a = &t->a[t->n++];
	a->off = off;
	a->len = len;
	a->soff = (size_t)(s.p - t->der);
	a->slen = s.len;
	t->used = off + len;
	t->sorted = 0;
	return 0;
}

/*
 * Every certificate of a file (PEM blocks, or one DER certificate).
 * -1 with errno when the file cannot be read; else how many were added.
 */
static long
load_file(struct tb_trust *t, const char *path)
{
	size_t len, off = 0, before = t->n;
	char *text = tb_slurp(path, TRUST_MAX_FILE, &len);
	long k;

	if (text == NULL)
		return -1;
	/* DER is never longer than its PEM text */
	if (grow((void **)&t->der, &t->cap, t->used + len + 1, 1) < 0) {
		tb_free(text);
		return -1;
	}
	if (len > 0 && (uint8_t)text[0] == ASN1_SEQUENCE && memmem(text, len, "-----BEGIN", 10) == NULL) {
		memcpy(t->der + t->used, text, len);
		if (add(t, t->used, len) < 0)
			goto nomem;
	} else {
		while ((k = tb_pem_next(text, len, &off, t->der + t->used, t->cap - t->used)) != 0) {
			if (k > 0 && add(t, t->used, (size_t)k) < 0)
				goto nomem;
		}
	}
	tb_free(text);
	return (long)(t->n - before);
nomem:
	tb_free(text);
	errno = ENOMEM;
	return -1;
}

static int
has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n > m && strcmp(s + n - m, suf) == 0;
}

/* a capath's *.pem and *.crt files; unreadable ones are skipped */
static void
load_dir(struct tb_trust *t)
{
	char path[4096];
	struct dirent *e;
	DIR *d;

	if (t->dir == NULL)
		return;
	if ((d = opendir(t->dir)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (!has_suffix(e->d_name, ".pem") && !has_suffix(e->d_name, ".crt"))
				continue;
			if ((size_t)snprintf(path, sizeof path, "%s/%s", t->dir, e->d_name) >=
			    sizeof path)
				continue;
			(void)load_file(t, path);
		}
		closedir(d);
	}
	tb_free(t->dir);
	t->dir = NULL;
}

static const uint8_t *sort_base;

static int
cmp_anchor(const void *x, const void *y)
{
	const struct anchor *a = x, *b = y;
	size_t n = a->slen < b->slen ? a->slen : b->slen;
	int c = memcmp(sort_base + a->soff, sort_base + b->soff, n);

	if (c != 0)
		return c;
	if (a->slen != b->slen)
		return a->slen < b->slen ? -1 : 1;
	return a->off < b->off ? -1 : a->off > b->off;
}

static void
sort_index(struct tb_trust *t)
{
	if (t->sorted)
		return;
	sort_base = t->der;
	qsort(t->a, t->n, sizeof *t->a, cmp_anchor);
	t->sorted = 1;
}

static void
note(struct tb_trust *t, const char *what, const char *path)
{
	size_t o = strlen(t->src);

	snprintf(t->src + o, sizeof t->src - o, "%s%s %s", o ? ", " : "", what, path);
}

struct tb_trust *
tb_trust_open(const char *cafile, const char *capath, const char **why)
{
	static const char *const bundles[] = { "/etc/ssl/certs/ca-certificates.crt",
	    "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem" };
	struct tb_trust *t;
	const char *ef, *ed;
	size_t i;

	if ((t = tb_calloc(1, sizeof *t)) == NULL) {
		*why = "out of memory";
		return NULL;
	}
	if (cafile == NULL && capath == NULL) {
		ef = getenv("SSL_CERT_FILE");
		ed = getenv("SSL_CERT_DIR");
		cafile = ef && *ef ? ef : NULL;
		capath = ed && *ed ? ed : NULL;
		if (cafile == NULL && capath == NULL) {
			for (i = 0; i < sizeof bundles / sizeof bundles[0]; i++)
				if (load_file(t, bundles[i]) >= 0) {
					note(t, "bundle", bundles[i]);
					break;
				}
			if (i == sizeof bundles / sizeof bundles[0]) {
				*why = "no trust store found (set SSL_CERT_FILE or use --cacert)";
				tb_trust_close(t);
				return NULL;
			}
			return t;
		}
	}
	if (cafile != NULL) {
		if (load_file(t, cafile) < 0) {
			snprintf(errbuf, sizeof errbuf, "cannot read %s: %s", cafile,
			    strerror(errno));
			*why = errbuf;
			tb_trust_close(t);
			return NULL;
		}
		if (t->n == 0) {
			snprintf(errbuf, sizeof errbuf, "%s holds no certificate", cafile);
			*why = errbuf;
			tb_trust_close(t);
			return NULL;
		}
		note(t, "file", cafile);
	}
	if (capath != NULL) {
		DIR *d = opendir(capath);

		if (d == NULL) {
			snprintf(errbuf, sizeof errbuf, "cannot read %s: %s", capath,
			    strerror(errno));
			*why = errbuf;
			tb_trust_close(t);
			return NULL;
		}
		closedir(d);
		if ((t->dir = tb_strdup(capath)) == NULL) {
			*why = "out of memory";
			tb_trust_close(t);
			return NULL;
		}
		note(t, "directory", capath);
	}
	return t;
}

void
tb_trust_close(struct tb_trust *t)
{
	if (t == NULL)
		return;
	tb_free(t->der);
	tb_free(t->a);
	tb_free(t->dir);
	tb_free(t);
}

int
x509_trust_find(const struct tb_trust *ct, const struct tb_der *subject, int k,
    struct tb_x509 *out)
{
	/* the store is read lazily: finding is where it changes */
	struct tb_trust *t = (struct tb_trust *)ct;
	size_t lo = 0, hi, mid;
	const char *why;

	load_dir(t);
	sort_index(t);
	hi = t->n;
	/* the first anchor whose subject is not below this one */
	while (lo < hi) {
		const struct anchor *m;
		size_t n;
		int c;

		mid = lo + (hi - lo) / 2;
		m = &t->a[mid];
		n = m->slen < subject->len ? m->slen : subject->len;
		c = memcmp(t->der + m->soff, subject->p, n);
		if (c == 0 && m->slen != subject->len)
			c = m->slen < subject->len ? -1 : 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->n; lo++) {
		const struct anchor *m = &t->a[lo];

		if (m->slen != subject->len || memcmp(t->der + m->soff, subject->p, m->slen) != 0)
			return -1;
		if (tb_x509_parse(out, t->der + m->off, m->len, &why) < 0)
			continue;
		if (k-- == 0)
			return 0;
	}
	return -1;
}

size_t
x509_trust_count(const struct tb_trust *ct)
{
	return ct->n;
}

const char *
x509_trust_source(const struct tb_trust *ct)
{
	return ct->src;
}
