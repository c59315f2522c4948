/*
 * tls/pem.c - "-----BEGIN CERTIFICATE-----" blocks (RFC 7468) to DER.
 * The base64 is decoded strictly: only the alphabet, whitespace between
 * characters, "=" padding at the very end only, a length that is a
 * multiple of four, and the unused bits of the last group zero.  No
 * headers (RFC 1421's "Proc-Type:" and the like are refused).  Public
 * data: not constant time.  No system calls.
 */
#include <string.h>

#include "tls/x509.h"

static const char begin[] = "-----BEGIN CERTIFICATE-----";
static const char end[] = "-----END CERTIFICATE-----";

/* where needle starts in text[from, len), or len */
static size_t
find(const char *text, size_t len, size_t from, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = from; i + n <= len; i++)
		if (text[i] == needle[0] && memcmp(text + i, needle, n) == 0)
			return i;
	return len;
}

static int
b64(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

long
tb_pem_next(const char *text, size_t len, size_t *off, uint8_t *der, size_t cap)
{
	size_t b, e, i, out = 0;
	unsigned long acc = 0;
	int n = 0, pad = 0, v;

	if (*off >= len)
		return 0;
	b = find(text, len, *off, begin);
	if (b == len) {
		*off = len;
		return 0;
	}
	b += sizeof begin - 1;
	e = find(text, len, b, end);
	if (e == len)
		return -1;
	*off = e + sizeof end - 1;
	for (i = b; i < e; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			/* padding: only after two or three characters of a group */
			if (n < 2 || pad >= 2)
				return -1;
			pad++;
			n++;
			acc <<= 6;
		} else {
			if (pad || (v = b64(c)) < 0)
				return -1;
			acc = acc << 6 | (unsigned)v;
			n++;
		}
		if (n == 4) {
			size_t k = 3 - (size_t)pad;

			if (out + k > cap)
				return -1;
			/* the bits the padding leaves over are zero */
			if ((pad == 1 && (acc & 0xff)) || (pad == 2 && (acc & 0xffff)))
				return -1;
			der[out++] = (uint8_t)(acc >> 16);
			if (k > 1)
				der[out++] = (uint8_t)(acc >> 8);
			if (k > 2)
				der[out++] = (uint8_t)acc;
			acc = 0;
			n = 0;
			if (pad)
				pad = 3;	/* nothing may follow */
		}
	}
	if (n != 0 || out == 0)
		return -1;
	return (long)out;
}
