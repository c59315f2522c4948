/*
 * mime.c - base64, quoted-printable and RFC 2047 encoded words.
 * Wire code: no system calls.  Outputs are written snprintf-style
 * through struct ob: everything is counted, only what fits is stored.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mime.h"
#include "wire.h"

struct ob {
	uint8_t *p;
	size_t cap, len;
};

static void
ob_put(struct ob *o, uint8_t c)
{
	if (o->len < o->cap)
		o->p[o->len] = c;
	o->len++;
}

static void
ob_mem(struct ob *o, const void *src, size_t n)
{
	const uint8_t *s = src;

	if (o->len < o->cap) {
		size_t k = o->cap - o->len < n ? o->cap - o->len : n;

		memcpy(o->p + o->len, s, k);
	}
	o->len += n;
}

static const char hexd[] = "0123456789ABCDEF";

const char *
mime_strerror(int err)
{
	switch (err) {
	case MIME_OK: return "no error";
	case MIME_EBADCHAR: return "byte outside the base64 alphabet";
	case MIME_EPAD: return "misplaced padding";
	case MIME_ETRUNC: return "input ends inside a quantum";
	case MIME_ESPACE: return "output does not fit";
	}
	return "unknown error";
}

/* --- quoted-printable ----------------------------------------------------- */

static void
qp_hex(struct ob *o, uint8_t c)
{
	ob_put(o, '=');
	ob_put(o, (uint8_t)hexd[c >> 4]);
	ob_put(o, (uint8_t)hexd[c & 15]);
}

size_t
qp_encode(uint8_t *dst, size_t cap, const void *src, size_t n)
{
	const uint8_t *s = src;
	struct ob o = { dst, cap, 0 };
	size_t i = 0, col;

	while (i < n) {
		/* one line: [i, e) then a line break (or the end) */
		size_t e = i, next;
		int brk;

		while (e < n && s[e] != '\n')
			e++;
		brk = e < n;
		next = brk ? e + 1 : e;
		if (brk && e > i && s[e - 1] == '\r')
			e--;
		col = 0;
		for (size_t j = i; j < e; j++) {
			uint8_t c = s[j];
			int enc, w;

			enc = c == '=' || (c < 33 && c != ' ' && c != '\t') || c > 126;
			if ((c == ' ' || c == '\t') && j + 1 == e)
				enc = 1;	/* white space before a break */
			if (col == 0 && (c == '.' ||
			    (c == 'F' && e - j >= 5 && memcmp(s + j, "From ", 5) == 0)))
				enc = 1;
			w = enc ? 3 : 1;
			/* room for this token and a soft break '=' on a 76-column line */
			if (col + (size_t)w > 75 && !(j + 1 == e && col + (size_t)w <= 76)) {
				ob_mem(&o, "=\r\n", 3);
				col = 0;
				if (c == '.' || (c == 'F' && e - j >= 5 && memcmp(s + j, "From ", 5) == 0))
					enc = 1, w = 3;
			}
			if (enc)
				qp_hex(&o, c);
			else
				ob_put(&o, c);
			col += (size_t)w;
		}
		if (brk)
			ob_mem(&o, "\r\n", 2);
		i = next;
	}
	return o.len;
}

size_t
qp_decode(uint8_t *dst, size_t cap, const void *src, size_t n, int q_mode)
{
	const uint8_t *s = src;
	struct ob o = { dst, cap, 0 };
	size_t i = 0;

	while (i < n) {
		size_t e = i, end, brk0;
		int soft = 0;

		while (e < n && s[e] != '\n')
			e++;
		brk0 = e;	/* where the line break starts */
		if (e < n && e > i && s[e - 1] == '\r')
			brk0 = e - 1;
		end = brk0;
		if (!q_mode) {
			/* trailing white space was added in transport: drop it */
			while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t'))
				end--;
			if (end > i && s[end - 1] == '=') {
				soft = 1;
				end--;
			}
		}
		for (size_t j = i; j < end; j++) {
			int h, l;

			if (s[j] == '=' && j + 2 < end &&
			    (h = hexval(s[j + 1])) >= 0 && (l = hexval(s[j + 2])) >= 0) {
				ob_put(&o, (uint8_t)(h << 4 | l));
				j += 2;
			} else if (q_mode && s[j] == '_') {
				ob_put(&o, ' ');
			} else {
				ob_put(&o, s[j]);
			}
		}
		if (e < n) {
			if (!soft)
				ob_mem(&o, s + brk0, e + 1 - brk0);
			i = e + 1;
		} else {
			i = e;
		}
	}
	return o.len;
}

/* --- RFC 2047 ------------------------------------------------------------- */

enum { CS_UTF8, CS_LATIN1 };

static int
ieq(const char *a, size_t n, const char *b)
{
	return strlen(b) == n && tb_memcaseeq(a, b, n);
}

/*
 * Parse an encoded word at s[0..n): returns its length, the charset
 * kind, and its decoded bytes in tmp; 0 if it is not one we decode.
 */
static size_t
word_at(const char *s, size_t n, int *cs, uint8_t *tmp, size_t tcap, size_t *tlen)
{
	size_t i = 2, c0, clen, t0;
	char enc;

	if (n < 8 || s[0] != '=' || s[1] != '?')
		return 0;
	c0 = i;
	while (i < n && s[i] != '?' && s[i] > ' ' && s[i] < 127)
		i++;
	if (i >= n || s[i] != '?' || i == c0)
		return 0;
	clen = i - c0;
	for (size_t k = c0; k < i; k++)
		if (s[k] == '*') {	/* RFC 2231 language suffix */
			clen = k - c0;
			break;
		}
	if (ieq(s + c0, clen, "utf-8") || ieq(s + c0, clen, "us-ascii") ||
	    ieq(s + c0, clen, "utf8"))
		*cs = CS_UTF8;
	else if (ieq(s + c0, clen, "iso-8859-1") || ieq(s + c0, clen, "latin1") ||
	    ieq(s + c0, clen, "iso_8859-1"))
		*cs = CS_LATIN1;
	else
		return 0;
	i++;
	if (i + 1 >= n || s[i + 1] != '?')
		return 0;
	enc = s[i];
	if (enc != 'B' && enc != 'b' && enc != 'Q' && enc != 'q')
		return 0;
	i += 2;
	t0 = i;
	while (i + 1 < n && !(s[i] == '?' && s[i + 1] == '='))  {
		if (s[i] <= ' ' || s[i] >= 127)
			return 0;	/* no white space inside a word */
		i++;
	}
	if (i + 1 >= n)
		return 0;
	if (i - t0 > tcap)
		return 0;
	if (enc == 'B' || enc == 'b') {
		if (b64_decode(tmp, tcap, s + t0, i - t0, tlen) != MIME_OK)
			return 0;
	} else {
		*tlen = qp_decode(tmp, tcap, s + t0, i - t0, 1);
	}
	return i + 2;
}

size_t
mime_decode_words(char *dst, size_t cap, const char *src, size_t n)
{
	struct ob o = { (uint8_t *)dst, cap ? cap - 1 : 0, 0 };
	uint8_t tmp[1024];
	size_t i = 0, wl, tl;
	int cs, prev_word = 0;

	while (i < n) {
		if (src[i] == '\r' || src[i] == '\n') {
			i++;	/* unfold */
			continue;
		}
		if (src[i] == ' ' || src[i] == '\t') {
			size_t j = i;

			while (j < n && (src[j] == ' ' || src[j] == '\t' ||
			    src[j] == '\r' || src[j] == '\n'))
				j++;
			if (prev_word && word_at(src + j, n - j, &cs, tmp, sizeof tmp, &tl)) {
				i = j;	/* white space between two words goes */
				continue;
			}
			for (; i < j; i++)
				if (src[i] == ' ' || src[i] == '\t')
					ob_put(&o, (uint8_t)src[i]);
			prev_word = 0;
			continue;
		}
		if ((wl = word_at(src + i, n - i, &cs, tmp, sizeof tmp, &tl)) > 0) {
			if (cs == CS_UTF8) {
				ob_mem(&o, tmp, tl);
			} else {
				for (size_t k = 0; k < tl; k++) {
					if (tmp[k] < 0x80) {
						ob_put(&o, tmp[k]);
					} else {
						ob_put(&o, (uint8_t)(0xc0 | tmp[k] >> 6));
						ob_put(&o, (uint8_t)(0x80 | (tmp[k] & 0x3f)));
					}
				}
			}
			i += wl;
			prev_word = 1;
			continue;
		}
		ob_put(&o, (uint8_t)src[i++]);
		prev_word = 0;
	}
	if (cap)
		dst[o.len < cap ? o.len : cap - 1] = '\0';
	return o.len;
}

size_t
mime_encode_words(char *dst, size_t cap, const void *src, size_t n, size_t used)
{
	const uint8_t *s = src;
	struct ob o = { (uint8_t *)dst, cap, 0 };
	size_t i, take;
	int plain = 1;

	(void)used;
	for (i = 0; i < n; i++)
		if (s[i] < 32 || s[i] > 126 || (s[i] == '=' && i + 1 < n && s[i + 1] == '?'))
			plain = 0;
	if (plain) {
		ob_mem(&o, s, n);
		return o.len;
	}
	for (i = 0; i < n; i += take) {
		uint8_t enc[64];

		take = n - i > 45 ? 45 : n - i;
		/* never split a UTF-8 sequence between two words */
		while (take > 1 && i + take < n && (s[i + take] & 0xc0) == 0x80)
			take--;
		if (i)
			ob_mem(&o, "\r\n ", 3);
		ob_mem(&o, "=?UTF-8?B?", 10);
		ob_mem(&o, enc, b64_encode(enc, sizeof enc, s + i, take, 0));
		ob_mem(&o, "?=", 2);
	}
	return o.len;
}
