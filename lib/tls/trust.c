/*
 * tls/trust.c - the trust anchors: a CA bundle read whole and indexed by
 * subject Name DER (sorted, for a binary search).  Indexing decodes only
 * the first SKIM bytes of each certificate, as far as its subject; an
 * anchor is decoded whole and parsed only when a chain asks for its
 * name, and kept decoded from then on (so what tb_x509 points into
 * stays put until tb_trust_close).  A capath
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
#define SKIM 256			/* DER bytes decoded to find a subject, at first */
#define SKIM_MAX 2048

struct anchor {
	size_t file;		/* the text it is in (t->texts) */
	size_t b, e;		/* its base64 there */
	size_t soff, slen;	/* its subject Name, in t->names */
	uint8_t *der;		/* decoded when a chain first needs it */
	size_t len;
	int bad;		/* decoded, and it does not decode or parse */
};

struct tb_trust {
	char **texts;		/* the files, as read */
	size_t ntexts, tcap;
	uint8_t *names;		/* every anchor's subject Name DER, one after another */
	size_t nused, ncap;
	struct anchor *a;
	size_t n, acap;
	int sorted;
	char *dir;		/* a capath not read yet */
	char src[256];		/* for -X: where the anchors came from */
};

static char errbuf[512];

/* the length of a DER header (tag, length) at p, and the length it gives; -1 if malformed */
static int
header(const uint8_t *p, size_t n, size_t *hl, size_t *len)
{
	size_t i, nb;

	if (n < 2 || (p[0] & 0x1f) == 0x1f)
		return -1;
	if (p[1] < 0x80) {
		*hl = 2;
		*len = p[1];
		return 0;
	}
	nb = p[1] & 0x7f;
	if (nb == 0 || nb > 4 || n < 2 + nb || p[2] == 0)
		return -1;
	for (*len = 0, i = 0; i < nb; i++)
		*len = *len << 8 | p[2 + i];
	*hl = 2 + nb;
	return *len < 0x80 ? -1 : 0;
}

/*
 * The subject Name of a certificate from the first n bytes of its DER:
 * the headers of Certificate and tbsCertificate, then whole TLVs up to
 * and including the subject.  -1 if those n bytes do not reach it (or
 * it is not a certificate).
 */
static int
skim_subject(const uint8_t *p, size_t n, struct tb_der *subj)
{
	struct tb_asn1 t;
	struct tb_der v;
	size_t h1, l1, h2, l2;

	if (header(p, n, &h1, &l1) < 0 || p[0] != ASN1_SEQUENCE ||
	    header(p + h1, n - h1, &h2, &l2) < 0 || p[h1] != ASN1_SEQUENCE)
		return -1;
	tb_asn1_init(&t, p + h1 + h2, n - h1 - h2);
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

/* an anchor into the index, its subject copied; -1 out of memory */
static int
add(struct tb_trust *t, const struct tb_der *subj, size_t file, size_t b, size_t e, uint8_t *der,
    size_t len)
{
	struct anchor *a;

	if (grow((void **)&t->a, &t->acap, t->n + 1, sizeof *t->a) < 0 ||
	    grow((void **)&t->names, &t->ncap, t->nused + subj->len, 1) < 0)
		return -1;
	memcpy(t->names + t->nused, subj->p, subj->len);
	a = &t->a[t->n++];
	memset(a, 0, sizeof *a);
	a->file = file;
	a->b = b;
	a->e = e;
	a->soff = t->nused;
	a->slen = subj->len;
	a->der = der;
	a->len = len;
	t->nused += subj->len;
	t->sorted = 0;
	return 0;
}

/*
 * Index one PEM block: only the first SKIM bytes of its DER are decoded
 * to find the subject, twice as many while they fall short, all of it
 * past SKIM_MAX.
 * Blocks that do not decode or do not look like a certificate are
 * skipped: a bundle may hold other things.
 */
static int
index_block(struct tb_trust *t, size_t file, size_t b, size_t e)
{
	const char *text = t->texts[file];
	uint8_t buf[SKIM_MAX], *big;
	struct tb_der subj;
	size_t want;
	long k;
	int r;

	/* 256 bytes, then 512, 1024, 2048: most subjects end before byte 300 */
	for (want = SKIM; want <= sizeof buf; want *= 2) {
		k = x509_b64_decode(text + b, e - b, buf, want, 1);
		if (k <= 0)
			return 0;
		if (skim_subject(buf, (size_t)k, &subj) == 0)
			return add(t, &subj, file, b, e, NULL, 0);
		if ((size_t)k < want - 3)
			return 0;	/* it was all there, and is no certificate */
	}
	if ((big = tb_malloc(e - b)) == NULL)
		return -1;
	k = x509_b64_decode(text + b, e - b, big, e - b, 0);
	r = 0;
	if (k > 0 && skim_subject(big, (size_t)k, &subj) == 0)
		r = add(t, &subj, file, b, e, NULL, 0);
	tb_free(big);
	return r;
}

/*
 * Every certificate of a file (PEM blocks, or one DER certificate),
 * indexed.  -1 with errno when the file cannot be read; else how many
 * were added.
 */
static long
load_file(struct tb_trust *t, const char *path)
{
	size_t len, off = 0, before = t->n, b, e, file;
	char *text = tb_slurp(path, TRUST_MAX_FILE, &len);
	struct tb_der subj;
	int r;

	if (text == NULL)
		return -1;
	if (grow((void **)&t->texts, &t->tcap, t->ntexts + 1, sizeof *t->texts) < 0) {
		tb_free(text);
		errno = ENOMEM;
		return -1;
	}
	file = t->ntexts;
	t->texts[t->ntexts++] = text;
	if (len > 0 && (uint8_t)text[0] == ASN1_SEQUENCE && memmem(text, len, "-----BEGIN", 10) == NULL) {
		/* one DER certificate: it is its own decoded form */
		if (skim_subject((const uint8_t *)text, len, &subj) == 0) {
			if (add(t, &subj, file, 0, 0, (uint8_t *)text, len) < 0)
				goto nomem;
			t->a[t->n - 1].file = (size_t)-1;	/* der is the text: freed with it */
		}
		return (long)(t->n - before);
	}
	while ((r = x509_pem_block(text, len, &off, &b, &e)) != 0)
		if (r > 0 && index_block(t, file, b, e) < 0)
			goto nomem;
	return (long)(t->n - before);
nomem:
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

static const uint8_t *sort_base;	/* qsort has no context argument */

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
	return a->soff < b->soff ? -1 : a->soff > b->soff;
}

static void
sort_index(struct tb_trust *t)
{
	if (t->sorted)
		return;
	sort_base = t->names;
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
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++)
		if (t->a[i].file != (size_t)-1)
			tb_free(t->a[i].der);
	for (i = 0; i < t->ntexts; i++)
		tb_free(t->texts[i]);
	tb_free(t->texts);
	tb_free(t->names);
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
		c = memcmp(t->names + m->soff, subject->p, n);
		if (c == 0 && m->slen != subject->len)
			c = m->slen < subject->len ? -1 : 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->n; lo++) {
		struct anchor *m = &t->a[lo];

		if (m->slen != subject->len || memcmp(t->names + m->soff, subject->p, m->slen) != 0)
			return -1;
		if (m->der == NULL && !m->bad) {
			/* the first time a chain needs it: decoded, kept (pointers to it stay good) */
			const char *text = t->texts[m->file];
			long dl;

			if ((m->der = tb_malloc(m->e - m->b)) == NULL)
				return -1;
			dl = x509_b64_decode(text + m->b, m->e - m->b, m->der, m->e - m->b, 0);
			if (dl <= 0) {
				tb_free(m->der);
				m->der = NULL;
				m->bad = 1;
			} else
				m->len = (size_t)dl;
		}
		if (m->bad || tb_x509_parse(out, m->der, m->len, &why) < 0) {
			m->bad = 1;
			continue;
		}
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
