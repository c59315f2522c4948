/*
 * fz_noproxy - the NO_PROXY matcher (url_no_proxy) on any bytes.  The
 * input is "list\nhost".  Oracles: the answer is 0 or 1 and does not
 * depend on case; appending ",*" to the list always matches; an empty
 * list never does (nor any list a host of "" or "."); a plain name (letters, digits, '-', inner dots) is
 * covered by a list of itself, and by a list of its parent domain only
 * when it has one.
 */
#include <string.h>

#include "fuzz.h"
#include "url.h"

static char list[4200], host[1100], up[1100];

static int
plain(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && s[0] != '.' && s[n - 1] != '.' && !strstr(s, "..") &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-.") == n &&
	    strspn(s, "0123456789.") != n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	const uint8_t *nl;
	size_t ln, hn, i;
	int r;

	nl = memchr(d, '\n', n);
	ln = nl ? (size_t)(nl - d) : n;
	hn = nl ? n - ln - 1 : 0;
	if (ln >= sizeof list - 3 || hn >= sizeof host)
		return 0;
	memcpy(list, d, ln);
	list[ln] = '\0';
	memcpy(host, nl ? nl + 1 : d, hn);
	host[hn] = '\0';
	if (strlen(list) != ln || strlen(host) != hn)
		return 0;
	r = url_no_proxy(list, host);
	FUZZ_ASSERT(r == 0 || r == 1);
	for (i = 0; i <= hn; i++)
		up[i] = host[i] >= 'a' && host[i] <= 'z' ? (char)(host[i] - 32) : host[i];
	FUZZ_ASSERT(url_no_proxy(list, up) == r);
	FUZZ_ASSERT(url_no_proxy("", host) == 0);
	if (hn > 0 && strcmp(host, ".") != 0) {
		memcpy(list + ln, ",*", 3);
		FUZZ_ASSERT(url_no_proxy(list, host) == 1);
	}
	if (plain(host)) {
		const char *dot = strchr(host, '.');

		FUZZ_ASSERT(url_no_proxy(host, host) == 1);
		if (dot)
			FUZZ_ASSERT(url_no_proxy(dot + 1, host) == 1);
		/* a list of the host does not cover its parent (a name
		 * without a dot has none: "x" against "x" was this oracle's
		 * own bug, found by the fuzzer) */
		if (dot)
			FUZZ_ASSERT(url_no_proxy(host, dot + 1) == 0 ||
			    strcmp(host, dot + 1) == 0);
	}
	return 0;
}
