/*
 * mime.h - MIME codecs: base64 (base64.h), quoted-printable (RFC 2045 section 6.7) and RFC 2047 encoded
 * words.  Bytes in, bytes out, no system calls.
 *
 * Every encoder and decoder writes like snprintf: it returns the number
 * of bytes the whole output needs and stores only what fits in cap, so a
 * caller may measure with (NULL, 0) and then allocate.  Outputs are not
 * NUL-terminated unless said.
 */
#ifndef TUBES_MIME_H
#define TUBES_MIME_H

#include <stddef.h>
#include <stdint.h>

#include "base64.h"	/* base64 and the error codes */

const char *mime_strerror(int err);

/* --- quoted-printable ----------------------------------------------------- */

/*
 * Encode text: LF or CRLF in the input are line breaks and come out as
 * CRLF; '=', bytes outside 33..126 (TAB and SP excepted) and a TAB or
 * SP before a line break are =XX; a line starting with '.' or "From "
 * gets its first byte encoded too (safe through SMTP and mbox); soft
 * breaks ("=" CRLF) keep every line within 76 characters.  A bare CR is
 * encoded as =0D.
 */
size_t qp_encode(uint8_t *dst, size_t cap, const void *src, size_t n);
/*
 * Decode: =XX (either case), soft line breaks ("=" then optional
 * white space then a line break) removed, white space before a line
 * break dropped, line breaks out as they came.  A malformed '=' is kept
 * as it is (RFC 2045 6.7 note 1).  q_mode: RFC 2047 'Q' ('_' is a space).
 * Returns the decoded length.
 */
size_t qp_decode(uint8_t *dst, size_t cap, const void *src, size_t n, int q_mode);

/* --- RFC 2047 encoded words ---------------------------------------------- */

/*
 * Decode every encoded word =?charset?B|Q?text?= in a header value
 * into UTF-8: UTF-8 and US-ASCII pass through, ISO-8859-1 (latin1) is
 * converted; a word in any other charset, or malformed, is left as it
 * is.  White space between two adjacent encoded words is dropped (RFC
 * 2047 6.2).  An RFC 2231 language suffix (charset*lang) is accepted.
 * The output is always NUL-terminated when cap > 0; returns the length
 * wanted.
 */
size_t mime_decode_words(char *dst, size_t cap, const char *src, size_t n);
/*
 * Encode text for a header (Subject, display names): pure printable
 * ASCII passes as it is; otherwise a run of =?UTF-8?B?...?= words of at
 * most 75 characters each, separated by CRLF SP (folded).  `used` is how
 * many characters the line already holds (e.g. strlen("Subject: ")).
 */
size_t mime_encode_words(char *dst, size_t cap, const void *src, size_t n, size_t used);

#endif
