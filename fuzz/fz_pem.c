/*
 * fz_pem - PEM certificate blocks on any bytes.  Oracles: every block
 * decoded stays within its buffer and is never longer than three
 * quarters of the text it came from; the offset only moves forward and
 * stays inside the text; a decoded block encoded again as base64 (64
 * characters a line) and wrapped in BEGIN/END lines decodes to the same
 * bytes (strict base64 has one encoding per value, whitespace aside).
 * At most 64 blocks a run.
 */
#include <string.h>

#include "fuzz.h"
#include "tls/x509.h"

static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t
encode(const uint8_t *d, size_t n, char *out)
{
	size_t o = 0, i, col = 0;

	o += (size_t)sprintf(out, "-----BEGIN CERTIFICATE-----\n");
	for (i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long)d[i] << 16 |
		    (i + 1 < n ? (unsigned long)d[i + 1] << 8 : 0) | (i + 2 < n ? d[i + 2] : 0);

		out[o++] = alpha[v >> 18 & 63];
		out[o++] = alpha[v >> 12 & 63];
		out[o++] = i + 1 < n ? alpha[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? alpha[v & 63] : '=';
		if ((col += 4) == 64) {
			out[o++] = '\n';
			col = 0;
		}
	}
	o += (size_t)sprintf(out + o, "\n-----END CERTIFICATE-----\n");
	return o;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static uint8_t der[65536], again[65536];
	static char text[2 * 65536 + 128];
	size_t off = 0, prev, o2;
	long k, k2;
	int blocks = 0;

	if (n > 60000)
		return 0;
	while (blocks++ < 64) {
		prev = off;
		k = tb_pem_next((const char *)d, n, &off, der, sizeof der);
		FUZZ_ASSERT(off >= prev && off <= n);
		if (k == 0)
			break;
		if (k < 0) {
			if (off == prev)
				break;	/* no END: nothing more to find */
			continue;
		}
		FUZZ_ASSERT((size_t)k <= 3 * (off - prev) / 4);
		o2 = 0;
		k2 = tb_pem_next(text, encode(der, (size_t)k, text), &o2, again, sizeof again);
		FUZZ_ASSERT(k2 == k && memcmp(again, der, (size_t)k) == 0);
		/* and into a buffer one byte short, refused */
		o2 = 0;
		FUZZ_ASSERT(tb_pem_next(text, strlen(text), &o2, again, (size_t)k - 1) == -1);
	}
	return 0;
}
