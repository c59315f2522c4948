/*
 * fz_cidr - the text primitives of lib/wire against libc: ip4_from_str
 * gives inet_pton's verdict and bytes; a CIDR range that parses has its
 * prefix in 0..32 and first <= last inside the prefix; dec_parse and
 * hex_parse agree with strtoull on strings of digits and never exceed
 * max; tb_strcaseeq agrees with strcasecmp in the C locale.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "ip.h"
#include "wire.h"

static char s[4096];

static void
numbers(const char *p, size_t n)
{
	uint64_t v, max = n > 3 ? (uint64_t)(unsigned char)p[0] << 8 | (unsigned char)p[1] : 0;
	size_t i, digits = 0, xdigits = 0;

	for (i = 0; i < n; i++) {
		digits += p[i] >= '0' && p[i] <= '9';
		xdigits += hexval((unsigned char)p[i]) >= 0;
	}
	if (dec_parse(p, n, UINT64_MAX, &v) == 0) {
		FUZZ_ASSERT(digits == n && n > 0);
		FUZZ_ASSERT(n > 19 || v == strtoull(p, NULL, 10));
	} else
		FUZZ_ASSERT(digits != n || n == 0 || n >= 20);
	if (dec_parse(p, n, max, &v) == 0)
		FUZZ_ASSERT(v <= max);
	if (hex_parse(p, n, UINT64_MAX, &v) == 0) {
		FUZZ_ASSERT(xdigits == n && n > 0);
		FUZZ_ASSERT(n > 16 || v == strtoull(p, NULL, 16));
	} else
		FUZZ_ASSERT(xdigits != n || n == 0 || n > 16);
	if (hex_parse(p, n, max, &v) == 0)
		FUZZ_ASSERT(v <= max);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	uint8_t a[4], b[4];
	uint32_t first, last;
	int plen, r;
	size_t half;

	if (n >= sizeof s)
		n = sizeof s - 1;
	memcpy(s, d, n);
	s[n] = '\0';
	n = strlen(s);		/* text up to the first NUL */
	r = ip4_from_str(s, n, a);
	FUZZ_ASSERT((r == 0) == (inet_pton(AF_INET, s, b) == 1));
	if (r == 0)
		FUZZ_ASSERT(memcmp(a, b, 4) == 0);
	r = ip4_cidr_parse(s, &first, &last, &plen);
	FUZZ_ASSERT(r == (strchr(s, '/') == NULL ? 0 : r));
	if (r == 1) {
		uint32_t mask = plen == 0 ? 0 : 0xffffffffu << (32 - plen);

		FUZZ_ASSERT(plen >= 0 && plen <= 32);
		FUZZ_ASSERT(first <= last && (first & mask) == (last & mask));
	}
	numbers(s, n);
	half = n / 2;
	if (half < n) {
		char c = s[half];

		s[half] = '\0';
		FUZZ_ASSERT(tb_strcaseeq(s, s + half + 1) == (strcasecmp(s, s + half + 1) == 0));
		FUZZ_ASSERT(tb_strncaseeq(s, s + half + 1, 3) == (strncasecmp(s, s + half + 1, 3) == 0));
		s[half] = c;
	}
	return 0;
}
