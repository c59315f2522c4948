/*
 * smtp.c - EHLO keywords (RFC 5321 4.1.1.1, 2920, 1870, 6152, 4954),
 * envelope address checks, RFC 3463 enhanced codes, and the -X view of
 * commands and replies.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "reply.h"
#include "view.h"
#include "mail.h"
#include "mime.h"
#include "smtp.h"
#include "wire.h"

/* does the word w[0, n) equal s, case-insensitively? */
static int
word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && tb_memcaseeq(w, s, n);
}

static void
auth_mechs(struct smtp_ext *e, const char *p, const char *end)
{
	while (p < end) {
		const char *w;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		w = p;
		while (p < end && *p != ' ' && *p != '\t')
			p++;
		if (p == w)
			break;
		if (word_is(w, (size_t)(p - w), "PLAIN"))
			e->auth |= SMTP_AUTH_PLAIN;
		else if (word_is(w, (size_t)(p - w), "LOGIN"))
			e->auth |= SMTP_AUTH_LOGIN;
		else if (word_is(w, (size_t)(p - w), "CRAM-MD5"))
			e->auth |= SMTP_AUTH_CRAM_MD5;
		else
			e->auth |= SMTP_AUTH_OTHER;
	}
}

void
smtp_ehlo_parse(const char *text, size_t len, struct smtp_ext *e)
{
	const char *p = text, *end = text + len, *le, *kw, *ke;

	memset(e, 0, sizeof *e);
	/* the first line is the server's name and greeting */
	le = memchr(p, '\n', len);
	if (le == NULL)
		return;
	for (p = le + 1; p < end; p = le + 1) {
		le = memchr(p, '\n', (size_t)(end - p));
		if (le == NULL)
			le = end;
		kw = p;
		ke = kw;
		while (ke < le && *ke != ' ' && *ke != '=' && *ke != '\t')
			ke++;
		if (word_is(kw, (size_t)(ke - kw), "PIPELINING")) {
			e->pipelining = 1;
		} else if (word_is(kw, (size_t)(ke - kw), "8BITMIME")) {
			e->eightbit = 1;
		} else if (word_is(kw, (size_t)(ke - kw), "SMTPUTF8")) {
			e->smtputf8 = 1;
		} else if (word_is(kw, (size_t)(ke - kw), "STARTTLS")) {
			e->starttls = 1;
		} else if (word_is(kw, (size_t)(ke - kw), "CHUNKING")) {
			e->chunking = 1;
		} else if (word_is(kw, (size_t)(ke - kw), "AUTH")) {
			auth_mechs(e, ke < le ? ke + 1 : le, le);
		} else if (word_is(kw, (size_t)(ke - kw), "SIZE")) {
			const char *q = ke;
			uint64_t v = 0;
			int ok = 1, digits = 0;

			e->size = 1;
			while (q < le && *q == ' ')
				q++;
			for (; q < le && *q >= '0' && *q <= '9'; q++, digits++) {
				if (v > (UINT64_MAX - 9) / 10)
					ok = 0;
				else
					v = v * 10 + (uint64_t)(*q - '0');
			}
			if (q != le)
				ok = 0;
			e->size_max = ok && digits ? v : 0;
		}
	}
}

int
smtp_addr_ok(const char *a, int allow_empty)
{
	size_t n = strlen(a), i;
	int inq = 0;
	const char *at = NULL;

	if (n == 0)
		return allow_empty ? 0 : -1;
	if (n > 254)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)a[i];

		if (c < 32 || c == 127)
			return -1;	/* CR, LF, NUL, controls: command injection */
		if (inq) {
			if (c == '\\' && i + 1 < n)
				i++;
			else if (c == '"')
				inq = 0;
			continue;
		}
		if (c == '"') {
			inq = 1;
			continue;
		}
		if (c == '<' || c == '>' || c == ' ' || c == '\t')
			return -1;
		if (c == '@')
			at = a + i;
	}
	if (inq)
		return -1;
	if (at && (at == a || at[1] == '\0'))
		return -1;
	return 0;
}

const char *
smtp_addr_domain(const char *a)
{
	const char *at = NULL;
	int inq = 0;

	for (; *a; a++) {
		if (inq) {
			if (*a == '\\' && a[1])
				a++;
			else if (*a == '"')
				inq = 0;
		} else if (*a == '"') {
			inq = 1;
		} else if (*a == '@') {
			at = a;
		}
	}
	return at && at[1] ? at + 1 : NULL;
}

size_t
smtp_enhanced(const char *t, size_t n, int code)
{
	size_t i = 0, k;

	if (n < 5 || t[0] != '0' + code / 100 || (t[0] != '2' && t[0] != '4' && t[0] != '5'))
		return 0;
	i = 1;
	for (int part = 0; part < 2; part++) {
		if (i >= n || t[i] != '.')
			return 0;
		i++;
		for (k = 0; i < n && t[i] >= '0' && t[i] <= '9' && k < 3; i++, k++)
			;
		if (k == 0)
			return 0;
	}
	if (i < n && t[i] != ' ')
		return 0;
	return i;
}

size_t
smtp_queue_id(const char *t, size_t n, size_t *off)
{
	size_t i, e;

	for (i = 0; i + 10 <= n; i++) {
		if (memcmp(t + i, "queued as ", 10) != 0)
			continue;
		for (e = i + 10; e < n && t[e] > ' ' && t[e] < 127; e++)
			;
		if (e == i + 10)
			return 0;
		*off = i + 10;
		return e - *off;
	}
	return 0;
}

static const char *
reply_class(int code)
{
	switch (code / 100) {
	case 2: return "positive completion";
	case 3: return "positive intermediate";
	case 4: return "transient negative completion";
	case 5: return "permanent negative completion";
	}
	return "preliminary";
}

void
smtp_layers_cmd(struct layers *lv, const char *line, size_t len, int secret)
{
	char esc[1024];
	size_t v = 0, p;

	while (v < len && line[v] != ' ')
		v++;
	lv_packet(lv, "sent %zu bytes", len + 2);
	lv_layer(lv, "SMTP command, %zu bytes", len + 2);
	tb_escape_buf(esc, sizeof esc, line, v);
	lv_field(lv, "verb", "%s", esc);
	p = v < len ? v + 1 : len;
	if (secret) {
		lv_field(lv, "argument", "(secret, %zu bytes, not shown)", len - p);
		return;
	}
	if ((word_is(line, v, "MAIL") || word_is(line, v, "RCPT")) && p < len) {
		const char *lt = memchr(line + p, '<', len - p);
		const char *gt = lt ? memchr(lt, '>', len - (size_t)(lt - line)) : NULL;

		if (lt && gt) {
			tb_escape_buf(esc, sizeof esc, line + p, (size_t)(lt - line) - p);
			lv_field(lv, "keyword", "%s", esc);
			tb_escape_buf(esc, sizeof esc, lt, (size_t)(gt - lt) + 1);
			lv_field(lv, "path", "%s", esc);
			for (p = (size_t)(gt - line) + 1; p < len;) {
				size_t e;

				while (p < len && line[p] == ' ')
					p++;
				for (e = p; e < len && line[e] != ' '; e++)
					;
				if (e > p) {
					tb_escape_buf(esc, sizeof esc, line + p, e - p);
					lv_field(lv, "parameter", "%s", esc);
				}
				p = e;
			}
		}
	} else if (p < len) {
		tb_escape_buf(esc, sizeof esc, line + p, len - p);
		lv_field(lv, "argument", "%s", esc);
	}
	lv_field(lv, "end", "CRLF");
	{
		uint8_t raw[1024];
		size_t k = len < sizeof raw - 2 ? len : sizeof raw - 2;

		memcpy(raw, line, k);
		raw[k] = '\r';
		raw[k + 1] = '\n';
		lv_hex(lv, raw, k + 2);
	}
}

void
smtp_layers_reply(struct layers *lv, const struct reply *r)
{
	char esc[1024];
	const char *p = r->text, *end = r->text + r->len;
	size_t enh = smtp_enhanced(r->text, r->len, r->code), i = 0;

	lv_packet(lv, "received reply, %zu line%s", r->nlines, r->nlines == 1 ? "" : "s");
	lv_layer(lv, "SMTP reply, %zu line%s", r->nlines, r->nlines == 1 ? "" : "s");
	lv_field(lv, "reply code", "%d (%s)", r->code, reply_class(r->code));
	if (enh) {
		tb_escape_buf(esc, sizeof esc, r->text, enh);
		lv_field(lv, "enhanced status code", "%s", esc);
	}
	while (p <= end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char name[32];
		struct fmt fm;

		tb_escape_buf(esc, sizeof esc, p, n);
		fmt_init(&fm, name, sizeof name);
		fmt_str(&fm, "line ");
		fmt_uint(&fm, ++i, 10, 0);
		lv_field(lv, name, "%d%c%s", r->code, nl ? '-' : ' ', esc);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	{
		/* the reply's bytes, rebuilt from its lines */
		uint8_t raw[4096];
		size_t k = 0;

		for (p = r->text;;) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

			if (k + n + 6 > sizeof raw)
				break;
			raw[k++] = (uint8_t)('0' + r->code / 100);
			raw[k++] = (uint8_t)('0' + r->code / 10 % 10);
			raw[k++] = (uint8_t)('0' + r->code % 10);
			raw[k++] = nl ? '-' : ' ';
			memcpy(raw + k, p, n);
			k += n;
			raw[k++] = '\r';
			raw[k++] = '\n';
			if (nl == NULL)
				break;
			p = nl + 1;
		}
		lv_hex(lv, raw, k);
	}
}

/* text for the layer view: as it is when printable ASCII or valid UTF-8, escaped otherwise */
static void
show_text(char *dst, size_t cap, const char *src, size_t n)
{
	const unsigned char *p = (const unsigned char *)src;
	size_t i = 0, k;

	while (i < n) {
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			i++;
			continue;
		}
		k = p[i] >= 0xf0 && p[i] < 0xf5 ? 3 : p[i] >= 0xe0 && p[i] < 0xf0 ? 2 :
		    p[i] >= 0xc2 && p[i] < 0xe0 ? 1 : 0;
		if (k == 0 || i + k >= n)
			break;
		for (i++; k > 0 && i < n && (p[i] & 0xc0) == 0x80; k--)
			i++;
		if (k)
			break;
	}
	if (i == n && n < cap) {
		memcpy(dst, src, n);
		dst[n] = '\0';
		return;
	}
	tb_escape_buf(dst, cap, src, n);
}

void
smtp_layers_message(struct layers *lv, const uint8_t *m, size_t n)
{
	struct mail_field f;
	size_t hend, body, pos = 0, lines = 0, i, nparts = 0;
	char name[80], val[1024], dec[1024];
	const char *b;

	if (!mail_split(m, n, &hend, &body)) {
		lv_layer(lv, "RFC 5322 message without a header, %zu bytes", n);
		return;
	}
	lv_layer(lv, "RFC 5322 message, %zu bytes: header %zu, body %zu", n, body, n - body);
	while (mail_field_next(m, hend, &pos, &f)) {
		size_t vl = f.valuelen, k;
		const uint8_t *v = f.value;

		while (vl && (*v == ' ' || *v == '\t'))
			v++, vl--;
		tb_escape_buf(name, sizeof name, f.name, f.namelen);
		k = mime_decode_words(dec, sizeof dec, (const char *)v, vl);
		show_text(val, sizeof val, dec, k < sizeof dec ? k : sizeof dec - 1);
		lv_field(lv, name, "%s", val);
	}
	for (i = body; i < n; i++)
		lines += m[i] == '\n';
	lv_field(lv, "body", "%zu bytes, %zu lines", n - body, lines);
	if (mail_field_find(m, hend, "Content-Type", &f) &&
	    (b = memmem(f.value, f.valuelen, "boundary=", 9)) != NULL) {
		const char *e, *end = (const char *)f.value + f.valuelen;
		char delim[80];
		size_t dl;
		struct fmt fm;

		b += 9;
		if (b < end && *b == '"')
			b++;
		for (e = b; e < end && *e != '"' && *e != ';' && *e != ' ' && *e != '\r' && *e != '\n'; e++)
			;
		fmt_init(&fm, delim, sizeof delim);
		fmt_str(&fm, "\n--");
		fmt_mem(&fm, b, (size_t)(e - b));
		dl = fm.len;
		if (dl < sizeof delim) {
			for (i = body; i + dl <= n; i++)
				if (memcmp(m + i - 1, delim, dl) == 0 && i > body)
					nparts++;
			if (n - body >= dl - 1 && memcmp(m + body, delim + 1, dl - 1) == 0)
				nparts++;
			tb_escape_buf(val, sizeof val, b, (size_t)(e - b));
			lv_field(lv, "MIME boundary", "%s", val);
			lv_field(lv, "MIME parts", "%zu", nparts ? nparts - 1 : 0);
		}
	}
}
