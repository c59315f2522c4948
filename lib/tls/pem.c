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
#include "tls/x509_impl.h"

static const char begin[] = "-----BEGIN CERTIFICATE-----";
static const char end[] = "-----END CERTIFICATE-----";

/* where needle starts in text[from, len), or len */
static size_t
find(const char *text, size_t len, size_t from, const char *needle)
{
	const char *p = memmem(text + from, len - from, needle, strlen(needle));

	return p ? (size_t)(p - text) : len;
}

/*
 * The value of a base64 character, WS for whitespace, PAD for '=', BAD
 * for anything else: a table, because a bundle is 200 KB of base64 read
 * on every run (certificates are public: an index on them leaks nothing)
 */
#define BAD 0xff
#define WS 0xfe
#define PAD 0xfd
static uint8_t b64[256];

static void
b64_init(void)
{
	static const char alpha[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	int i;

	memset(b64, BAD, sizeof b64);
	for (i = 0; i < 64; i++)
		b64[(unsigned char)alpha[i]] = (uint8_t)i;
	b64[' '] = b64['\t'] = b64['\r'] = b64['\n'] = WS;
	b64['='] = PAD;
}

int
x509_pem_block(const char *text, size_t len, size_t *off, size_t *body, size_t *bodyend)
{
	size_t b, e;

	if (*off >= len)
		return 0;
	b = find(text, len, *off, begin);
	if (b == len) {
		*off = len;
		return 0;
	}
	b += sizeof begin - 1;
	e = find(text, len, b, end);
	if (e == len) {
		*off = b;	/* a caller may look for a later block */
		return -1;
	}
	*off = e + sizeof end - 1;
	*body = b;
	*bodyend = e;
	return 1;
}

long
x509_b64_decode(const char *s, size_t len, uint8_t *der, size_t cap, int prefix)
{
	size_t i, out = 0;
	unsigned long acc = 0;
	int n = 0, pad = 0;

	if (b64['='] != PAD)
		b64_init();
	for (i = 0; i < len; i++) {
		uint8_t c = b64[(unsigned char)s[i]];

		if (c == WS)
			continue;
		if (c == PAD) {
			/* padding: only after two or three characters of a group */
			if (n < 2 || pad >= 2)
				return -1;
			pad++;
			n++;
			acc <<= 6;
		} else {
			if (pad || c == BAD)
				return -1;
			acc = acc << 6 | c;
			n++;
		}
		if (n == 4) {
			size_t k = 3 - (size_t)pad;

			if (out + k > cap) {
				if (prefix)
					return (long)out;
				return -1;
			}
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

long
tb_pem_next(const char *text, size_t len, size_t *off, uint8_t *der, size_t cap)
{
	size_t b, e;
	int r = x509_pem_block(text, len, off, &b, &e);

	if (r <= 0)
		return r;
	return x509_b64_decode(text + b, e - b, der, cap, 0);
}
