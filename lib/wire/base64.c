/* base64.c - base64 encoding and decoding (RFC 4648, RFC 2045) */
#include <stddef.h>
#include <stdint.h>

#include "base64.h"

const char b64_alphabet[65] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* one output byte, counted always, stored if it fits */
static void
put(uint8_t *dst, size_t cap, size_t *len, uint8_t c)
{
	if (*len < cap)
		dst[*len] = c;
	(*len)++;
}

size_t
b64_len(size_t n)
{
	return (n + 2) / 3 * 4;
}

size_t
b64_encode(uint8_t *dst, size_t cap, const void *src, size_t n, unsigned linelen)
{
	const uint8_t *s = src;
	size_t i, col = 0, len = 0;
	uint32_t v;

	if (linelen % 4)
		linelen -= linelen % 4;
	for (i = 0; i < n; i += 3) {
		v = (uint32_t)s[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		put(dst, cap, &len, (uint8_t)b64_alphabet[v >> 18 & 63]);
		put(dst, cap, &len, (uint8_t)b64_alphabet[v >> 12 & 63]);
		put(dst, cap, &len, i + 1 < n ? (uint8_t)b64_alphabet[v >> 6 & 63] : '=');
		put(dst, cap, &len, i + 2 < n ? (uint8_t)b64_alphabet[v & 63] : '=');
		col += 4;
		if (linelen && (col >= linelen || i + 3 >= n)) {
			put(dst, cap, &len, '\r');
			put(dst, cap, &len, '\n');
			col = 0;
		}
	}
	return len;
}

static int
b64_val(uint8_t c)
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

static int
decode(uint8_t *dst, size_t cap, const void *src, size_t n, size_t *outlen, int strict)
{
	const uint8_t *s = src;
	uint32_t q = 0;
	size_t i, len = 0;
	int k = 0, pad = 0, v;

	*outlen = 0;
	for (i = 0; i < n; i++) {
		uint8_t c = s[i];

		if (!strict && (c == '\r' || c == '\n' || c == ' ' || c == '\t'))
			continue;
		if (c == '=') {
			/* padding: "xx==" or "xxx=" ends the data */
			if (k < 2 || (pad && k != 3))
				return MIME_EPAD;
			pad++;
			if (++k < 4)
				continue;
			if (len + (size_t)(3 - pad) > cap)
				return MIME_ESPACE;
			if (pad == 2) {
				dst[len++] = (uint8_t)(q >> 4);
			} else {
				dst[len++] = (uint8_t)(q >> 10);
				dst[len++] = (uint8_t)(q >> 2);
			}
			/* nothing but white space may follow */
			for (i++; i < n; i++)
				if (strict || (s[i] != '\r' && s[i] != '\n' && s[i] != ' ' && s[i] != '\t'))
					return MIME_EPAD;
			*outlen = len;
			return MIME_OK;
		}
		if (pad)
			return MIME_EPAD;
		if ((v = b64_val(c)) < 0)
			return MIME_EBADCHAR;
		q = q << 6 | (uint32_t)v;
		if (++k == 4) {
			if (len + 3 > cap)
				return MIME_ESPACE;
			dst[len++] = (uint8_t)(q >> 16);
			dst[len++] = (uint8_t)(q >> 8);
			dst[len++] = (uint8_t)q;
			k = 0;
			q = 0;
		}
	}
	if (k != 0)
		return pad ? MIME_EPAD : MIME_ETRUNC;
	*outlen = len;
	return MIME_OK;
}

int
b64_decode(uint8_t *dst, size_t cap, const void *src, size_t n, size_t *outlen)
{
	return decode(dst, cap, src, n, outlen, 0);
}

int
b64_decode_strict(uint8_t *dst, size_t cap, const void *src, size_t n, size_t *outlen)
{
	return decode(dst, cap, src, n, outlen, 1);
}
