/*
 * fz_cookie - the cookie jar (lib/wire/cookie.c) on any bytes.  The input
 * is a Netscape cookie file, then after a 0x01 byte Set-Cookie lines, one
 * a line, each led by a byte choosing the host, the request path and
 * https.  Oracles: every stored cookie is clean (a domain, a path from
 * '/', no control byte); the jar saved loads again with no line refused
 * and saves to the same text; and no cookie is ever sent to a host it
 * does not domain-match (the jar cut down to the cookies that do not
 * match a host gives that host an empty Cookie field).
 */
#include <string.h>

#include "cookie.h"
#include "fuzz.h"

#define NOW 1700000000LL

static const char *hosts[] = { "example.com", "www.example.com", "a.b.example.com",
	"127.0.0.1", "::1", "localhost", "co.uk", "x.co.uk" };
static const char *paths[] = { "/", "/a/b", "/a?x/y", "", "/a/b/c/", "/ab" };
static struct ck_jar a, b;
static char t1[1 << 23], t2[1 << 23], hv[16384];

/* the oracle's own domain-match, written apart from the code under test */
static int
sendable(const struct ck *c, const char *h)
{
	size_t hn = strlen(h), dn = strlen(CK_DOMAIN(c));

	if (strcmp(h, CK_DOMAIN(c)) == 0)
		return 1;
	if (c->host_only || dn >= hn || h[hn - dn - 1] != '.' || strchr(h, ':'))
		return 0;
	if (strspn(h, "0123456789.") == hn)
		return 0;
	return strcmp(h + hn - dn, CK_DOMAIN(c)) == 0;
}

static void
check_clean(const char *s)
{
	for (; *s; s++)
		FUZZ_ASSERT((unsigned char)*s >= 0x20 && *s != 0x7f && *s != ';');
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	const char *s = (const char *)d, *sep, *p, *e, *end = s + n;
	size_t i, h, k, n1, n2;
	int sel;

	if (n > 200000)
		return 0;
	ck_init(&a);
	sep = memchr(s, 1, n);
	ck_load(&a, s, sep ? (size_t)(sep - s) : n, NOW);
	for (p = sep ? sep + 1 : end; p < end; p = e + 1) {
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			e = end;
		if (e - p < 1)
			continue;
		sel = (unsigned char)p[0];
		ck_set(&a, p + 1, (size_t)(e - p - 1), hosts[sel % 8], paths[(sel >> 3) % 6],
		    sel >> 7, NOW);
	}
	FUZZ_ASSERT(a.n <= CK_ALL_MAX);
	for (i = 0; i < a.n; i++) {
		FUZZ_ASSERT(CK_NAME(&a.c[i])[0] != '\0' && CK_DOMAIN(&a.c[i])[0] != '\0');
		FUZZ_ASSERT(CK_PATH(&a.c[i])[0] == '/');
		check_clean(CK_NAME(&a.c[i]));
		check_clean(CK_VALUE(&a.c[i]));
		check_clean(CK_PATH(&a.c[i]));
		check_clean(CK_DOMAIN(&a.c[i]));
		FUZZ_ASSERT(strchr(CK_NAME(&a.c[i]), '=') == NULL);
	}
	/* save, load, save: the same text */
	n1 = ck_save(&a, t1, sizeof t1, NOW);
	FUZZ_ASSERT(n1 < sizeof t1 && strlen(t1) == n1);
	ck_init(&b);
	FUZZ_ASSERT(ck_load(&b, t1, n1, NOW) == 0);
	FUZZ_ASSERT(b.n == a.n);
	n2 = ck_save(&b, t2, sizeof t2, NOW);
	FUZZ_ASSERT(n1 == n2 && memcmp(t1, t2, n1) == 0);
	/* the Cookie field: never to a host a cookie does not match */
	for (h = 0; h < 8; h++) {
		k = ck_header(&a, hosts[h], "/a/b/c/d", 1, NOW, hv, sizeof hv);
		FUZZ_ASSERT(k < sizeof hv && strlen(hv) == k);
		ck_init(&b);
		for (i = 0; i < a.n; i++)
			if (!sendable(&a.c[i], hosts[h]))
				b.c[b.n++] = a.c[i];
		FUZZ_ASSERT(ck_header(&b, hosts[h], "/a/b/c/d", 1, NOW, hv, sizeof hv) == 0);
	}
	return 0;
}
