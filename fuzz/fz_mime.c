/*
 * fz_mime - lib/wire/mime.c on any bytes: base64 decode then encode gives the
 * canonical form back; quoted-printable decode(encode(x)) is x with CRLF
 * line ends; RFC 2047 decoding stays in bounds and NUL-terminates.
 */
#include <string.h>

#include "fuzz.h"
#include "mime.h"

static uint8_t a[1 << 17], b[1 << 17], c[1 << 17];

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	size_t la, lb, lc, i, k;

	if (n > 16384)
		return 0;
	/* base64: what decodes re-encodes to something that decodes the same */
	if (b64_decode(a, sizeof a, d, n, &la) == MIME_OK) {
		lb = b64_encode(b, sizeof b, a, la, 76);
		FUZZ_ASSERT(lb <= sizeof b && lb == b64_encode(NULL, 0, a, la, 76));
		FUZZ_ASSERT(b64_decode(c, sizeof c, b, lb, &lc) == MIME_OK);
		FUZZ_ASSERT(lc == la && memcmp(a, c, la) == 0);
	}
	/* quoted-printable round trip against the CRLF form of the input */
	la = qp_encode(a, sizeof a, d, n);
	FUZZ_ASSERT(la <= sizeof a);
	for (i = 0; i < la; i++)
		FUZZ_ASSERT(a[i] == '\r' || a[i] == '\n' || a[i] == '\t' || (a[i] >= 32 && a[i] < 127));
	for (i = k = 0; i < la; i = k + 2) {	/* lines of at most 76 */
		const uint8_t *nl = memchr(a + i, '\n', la - i);

		k = nl ? (size_t)(nl - a) - 1 : la;
		FUZZ_ASSERT(k - i <= 76);
		if (nl == NULL)
			break;
	}
	lb = qp_decode(b, sizeof b, a, la, 0);
	for (i = lc = 0; i < n; i++) {
		if (d[i] == '\n' && (i == 0 || d[i - 1] != '\r'))
			c[lc++] = '\r';
		c[lc++] = d[i];
	}
	FUZZ_ASSERT(lb == lc && memcmp(b, c, lb) == 0);
	/* the decoders on raw input: bounded, never past cap */
	(void)qp_decode(b, 7, d, n, n & 1);
	lb = mime_decode_words((char *)b, 9, (const char *)d, n);
	FUZZ_ASSERT(strlen((char *)b) <= 8);
	lb = mime_decode_words((char *)b, sizeof b, (const char *)d, n);
	FUZZ_ASSERT(lb < sizeof b && b[lb] == '\0');
	return 0;
}
