/*
 * base64.h - base64 (RFC 4648 section 4; RFC 2045 section 6.8 for the
 * line breaks), the one copy in lib: MIME bodies and encoded words,
 * SMTP AUTH, HTTP Basic credentials and DNS key and signature text all
 * come here.  Bytes in, bytes out, no system calls.  Encoders write like
 * snprintf: they return what the whole output needs and store what fits.
 */
#ifndef TUBES_BASE64_H
#define TUBES_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* typed decoding errors */
enum mime_err {
	MIME_OK = 0,
	MIME_EBADCHAR = -1,	/* a byte outside the alphabet */
	MIME_EPAD = -2,		/* '=' padding in the wrong place or data after it */
	MIME_ETRUNC = -3,	/* input ends inside a quantum */
	MIME_ESPACE = -4,	/* output does not fit */
};

/* --- base64 ------------------------------------------------------------- */

/* the alphabet, for an encoder that breaks lines its own way */
extern const char b64_alphabet[65];
/* length of the encoding of n bytes without line breaks: 4 * ceil(n / 3) */
size_t b64_len(size_t n);
/*
 * Encode n bytes.  linelen 0: one unbroken run (AUTH, encoded words);
 * otherwise lines of at most linelen characters (a multiple of 4; MIME
 * uses 76), each ended with CRLF, the last one included.
 */
size_t b64_encode(uint8_t *dst, size_t cap, const void *src, size_t n, unsigned linelen);
/*
 * Decode; CR, LF, SP and TAB are skipped anywhere.  Strict otherwise:
 * any other byte outside the alphabet, misplaced padding, or a
 * truncated final quantum is an error.  *outlen gets the decoded
 * length; returns MIME_OK or an error.
 */
int b64_decode(uint8_t *dst, size_t cap, const void *src, size_t n, size_t *outlen);
/* the same with nothing skipped: white space is MIME_EBADCHAR (SASL, RFC 4422) */
int b64_decode_strict(uint8_t *dst, size_t cap, const void *src, size_t n, size_t *outlen);

#endif
