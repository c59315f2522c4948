/*
 * fz_url - the URL parser and RFC 3986 resolution on any bytes (HTTP-18,
 * HTTP-20, HTTP-21).  The input is "base\nref".  Oracles: a parsed URL
 * has a known scheme, a non-empty host, a path starting with '/', no byte
 * below 0x21 or DEL in host and path, and no control byte in the decoded
 * user and password; its
 * formatted form parses again to the same host, port and path; a file
 * name from url_filename is never "", ".", ".." nor holds '/', '\\' or a
 * control byte; resolution stays inside its output.
 */
#include <string.h>

#include "fuzz.h"
#include "url.h"

static struct url u, v;
static char base[URL_MAX + 2], out[2 * URL_MAX], name[URL_MAX];

static void
check_clean(const char *s)
{
	for (; *s; s++)
		FUZZ_ASSERT((unsigned char)*s > 0x20 && *s != 0x7f);
}

/* decoded credentials may hold a space, never a control byte */
static void
check_noctl(const char *s)
{
	for (; *s; s++)
		FUZZ_ASSERT((unsigned char)*s >= 0x20 && *s != 0x7f);
}

static void
check(const char *s)
{
	const char *why;
	size_t i;

	if (url_parse(s, &u, &why) != URL_OK)
		return;
	FUZZ_ASSERT(url_default_port(u.scheme) != 0);
	FUZZ_ASSERT(u.host[0] != '\0' && u.path[0] == '/' && u.port != 0);
	check_clean(u.path);
	check_noctl(u.user);
	check_noctl(u.pass);
	check_clean(u.host);
	url_format(&u, out, sizeof out);
	FUZZ_ASSERT(url_parse(out, &v, &why) == URL_OK);
	FUZZ_ASSERT(strcmp(u.host, v.host) == 0 || strchr(u.host, '%'));
	FUZZ_ASSERT(u.port == v.port && strcmp(u.path, v.path) == 0);
	if (url_filename(&u, name, sizeof name) == 0) {
		FUZZ_ASSERT(name[0] && strcmp(name, ".") && strcmp(name, ".."));
		for (i = 0; name[i]; i++)
			FUZZ_ASSERT(name[i] != '/' && name[i] != '\\' &&
			    (unsigned char)name[i] >= 0x20 && name[i] != 0x7f);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	const uint8_t *nl;
	size_t bn;

	if (n > URL_MAX)
		return 0;
	nl = memchr(d, '\n', n);
	bn = nl ? (size_t)(nl - d) : n;
	memcpy(base, d, bn);
	base[bn] = '\0';
	if (strlen(base) != bn)
		return 0;
	check(base);
	if (nl) {
		static char ref[URL_MAX + 1];
		size_t rn = n - bn - 1;

		memcpy(ref, nl + 1, rn);
		ref[rn] = '\0';
		if (url_resolve(base, ref, out, sizeof out) == 0) {
			FUZZ_ASSERT(strlen(out) < sizeof out);
			check(out);
		}
	}
	return 0;
}
