/*
 * mail.c - RFC 5322 messages: the header block, fields, address lists,
 * dates, building a MIME message, and the SMTP DATA encoding
 * (CRLF, dot-stuffing, the terminator) with its inverse.  Wire code: no
 * system calls.  Outputs are snprintf-style through struct ob.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "date.h"
#include "mail.h"
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
	if (o->len < o->cap) {
		size_t k = o->cap - o->len < n ? o->cap - o->len : n;

		memcpy(o->p + o->len, src, k);
	}
	o->len += n;
}

static void
ob_str(struct ob *o, const char *s)
{
	ob_mem(o, s, strlen(s));
}

/* the writable tail of o, for an inner encoder (NULL when full) */
static uint8_t *
ob_tail(struct ob *o, size_t *room)
{
	*room = o->len < o->cap ? o->cap - o->len : 0;
	return *room ? o->p + o->len : NULL;
}

static int
iprefix(const uint8_t *p, size_t n, const char *s)
{
	size_t k = strlen(s);

	return n >= k && tb_memcaseeq(p, s, k);
}

/* --- the header block ------------------------------------------------------ */

/* length of a field name at p (ftext up to ':'), 0 if the line is not a field */
static size_t
field_name_len(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && p[i] != ':'; i++)
		if (p[i] < 33 || p[i] > 126)
			return 0;
	return i < n && i > 0 ? i : 0;
}

int
mail_name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 33 || (unsigned char)s[i] > 126 || s[i] == ':')
			return 0;
	return 1;
}

int
mail_value_ok(const char *s)
{
	for (; *s; s++)
		if (*s == '\r' || *s == '\n')
			return 0;
	return 1;
}

int
mail_split(const uint8_t *m, size_t n, size_t *hend, size_t *body)
{
	size_t ls = 0, le, ce;
	int first = 1;

	while (ls < n) {
		const uint8_t *nl = memchr(m + ls, '\n', n - ls);

		le = nl ? (size_t)(nl - m) : n;
		ce = le > ls && m[le - 1] == '\r' ? le - 1 : le;
		if (ce == ls) {
			if (first)
				return 0;
			*hend = ls;
			*body = nl ? le + 1 : n;
			return 1;
		}
		if (m[ls] == ' ' || m[ls] == '\t') {
			if (first)
				return 0;
		} else if (field_name_len(m + ls, ce - ls) == 0) {
			return 0;
		}
		first = 0;
		ls = nl ? le + 1 : n;
	}
	if (first)
		return 0;
	*hend = *body = n;
	return 1;
}

int
mail_field_next(const uint8_t *h, size_t hlen, size_t *pos, struct mail_field *f)
{
	size_t p = *pos, e, nl, vend;

	if (p >= hlen)
		return 0;
	f->off = p;
	f->name = h + p;
	f->namelen = field_name_len(h + p, hlen - p);
	/* the field runs to a line break not followed by SP or TAB */
	e = p;
	for (;;) {
		const uint8_t *q = memchr(h + e, '\n', hlen - e);

		if (q == NULL) {
			nl = hlen;
			vend = hlen;
			e = hlen;
			break;
		}
		nl = (size_t)(q - h);
		vend = nl > p && h[nl - 1] == '\r' ? nl - 1 : nl;
		e = nl + 1;
		if (e >= hlen || (h[e] != ' ' && h[e] != '\t'))
			break;
	}
	f->value = h + p + f->namelen + (f->namelen ? 1 : 0);
	f->valuelen = vend > (size_t)(f->value - h) ? vend - (size_t)(f->value - h) : 0;
	f->len = e - p;
	*pos = e;
	return 1;
}

int
mail_field_find(const uint8_t *h, size_t hlen, const char *name, struct mail_field *f)
{
	size_t pos = 0, k = strlen(name);

	while (mail_field_next(h, hlen, &pos, f))
		if (f->namelen == k && iprefix(f->name, k, name))
			return 1;
	return 0;
}

/* --- address lists ------------------------------------------------------------- */

int
mail_addr_next(const uint8_t *v, size_t n, size_t *pos, char *out, size_t cap)
{
	char plain[512], angle[512];
	size_t i = *pos, pl, al;
	int depth, inq, inangle, had_angle;

	for (;;) {
		pl = al = 0;
		depth = inq = inangle = had_angle = 0;
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == '\r' ||
		    v[i] == '\n' || v[i] == ',' || v[i] == ';'))
			i++;
		if (i >= n) {
			*pos = i;
			return 0;
		}
		for (; i < n; i++) {
			uint8_t c = v[i];

			if (c == '\r' || c == '\n')
				continue;
			if (inq) {
				if (c == '\\' && i + 1 < n) {
					if (inangle ? al + 2 >= sizeof angle : pl + 2 >= sizeof plain)
						return -1;
					if (inangle) {
						angle[al++] = (char)c;
						angle[al++] = (char)v[++i];
					} else {
						plain[pl++] = (char)c;
						plain[pl++] = (char)v[++i];
					}
					continue;
				}
				if (c == '"')
					inq = 0;
			} else if (depth > 0) {
				if (c == '\\' && i + 1 < n)
					i++;
				else if (c == '(')
					depth++;
				else if (c == ')')
					depth--;
				continue;
			} else if (c == '(') {
				depth = 1;
				continue;
			} else if (c == '"') {
				inq = 1;
			} else if (inangle) {
				if (c == '>') {
					inangle = 0;
					continue;
				}
				if (c == '<')
					return -1;
				if (c == ' ' || c == '\t')
					continue;
			} else if (c == '<') {
				if (had_angle)
					return -1;
				inangle = had_angle = 1;
				continue;
			} else if (c == '>') {
				return -1;
			} else if (c == ':' && !had_angle) {
				pl = 0;		/* a group's display name */
				continue;
			} else if (c == ',' || c == ';') {
				break;
			} else if (c == ' ' || c == '\t') {
				continue;
			}
			if (inangle) {
				if (al + 1 >= sizeof angle)
					return -1;
				angle[al++] = (char)c;
			} else if (!had_angle) {
				if (pl + 1 >= sizeof plain)
					return -1;
				plain[pl++] = (char)c;
			}
		}
		if (inq || inangle || depth)
			return -1;
		if (had_angle) {
			/* drop an obsolete source route "@a,@b:" */
			char *colon = al && angle[0] == '@' ? memchr(angle, ':', al) : NULL;

			if (colon) {
				size_t skip = (size_t)(colon - angle) + 1;

				memmove(angle, angle + skip, al - skip);
				al -= skip;
			}
			if (al == 0)
				continue;	/* "<>" */
			if (al + 1 > cap)
				return -1;
			memcpy(out, angle, al);
			out[al] = '\0';
		} else {
			if (pl == 0)
				continue;	/* an empty group */
			if (memchr(plain, '@', pl) == NULL)
				return -1;	/* a phrase without an address */
			if (pl + 1 > cap)
				return -1;
			memcpy(out, plain, pl);
			out[pl] = '\0';
		}
		*pos = i;
		return 1;
	}
}

/* --- dates ---------------------------------------------------------------------- */

/* v (>= 0) in decimal, at least width digits */
static size_t
dec(char *p, int64_t v, int width)
{
	char t[24];
	int k = 0;
	size_t n = 0;

	if (v < 0)
		v = 0;
	do {
		t[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 && k < 20);
	while (k < width)
		t[k++] = '0';
	while (k > 0)
		p[n++] = t[--k];
	return n;
}

size_t
mail_date(char *buf, size_t cap, int64_t t)
{
	static const char wd[][4] = { "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed" };
	static const char mo[][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int64_t days = days_of(t), sec = t - days * 86400, y;
	int d, m;
	char tmp[64];
	size_t n;

	civil_from_days(days, &y, &m, &d);
	n = 0;
	memcpy(tmp, wd[((days % 7) + 7) % 7], 3);
	n = 3;
	tmp[n++] = ',';
	tmp[n++] = ' ';
	if (d >= 10)
		tmp[n++] = (char)('0' + d / 10);
	tmp[n++] = (char)('0' + d % 10);
	tmp[n++] = ' ';
	memcpy(tmp + n, mo[m - 1], 3);
	n += 3;
	tmp[n++] = ' ';
	n += dec(tmp + n, y, 4);
	tmp[n++] = ' ';
	n += dec(tmp + n, sec / 3600, 2);
	tmp[n++] = ':';
	n += dec(tmp + n, sec / 60 % 60, 2);
	tmp[n++] = ':';
	n += dec(tmp + n, sec % 60, 2);
	memcpy(tmp + n, " +0000", 6);
	n += 6;
	if (cap) {
		size_t k = n < cap ? n : cap - 1;

		memcpy(buf, tmp, k);
		buf[k] = '\0';
	}
	return n;
}

/* --- classification ------------------------------------------------------------ */

int
mail_classify(const uint8_t *m, size_t n)
{
	size_t i, col = 0;
	int f = 0;

	for (i = 0; i < n; i++) {
		uint8_t c = m[i];

		if (c == '\n') {
			col = 0;
			continue;
		}
		if (c == '\r') {
			if (i + 1 >= n || m[i + 1] != '\n')
				f |= MAIL_BARECR;
			continue;
		}
		if (c >= 0x80)
			f |= MAIL_8BIT;
		if (c == 0)
			f |= MAIL_NUL;
		if (++col > 998)
			f |= MAIL_LONG;
	}
	return f;
}

/* --- building ----------------------------------------------------------------- */

/* text with every LF made CRLF (CRLF kept), ending in CRLF if it had any text */
static void
ob_crlf(struct ob *o, const uint8_t *m, size_t n)
{
	size_t i, s = 0;

	for (i = 0; i < n; i++) {
		if (m[i] == '\n' && (i == 0 || m[i - 1] != '\r')) {
			ob_mem(o, m + s, i - s);
			ob_mem(o, "\r\n", 2);
			s = i + 1;
		}
	}
	ob_mem(o, m + s, n - s);
	if (n > 0 && m[n - 1] != '\n')
		ob_mem(o, "\r\n", 2);
}

static void
ob_field(struct ob *o, const char *name, const char *val)
{
	ob_str(o, name);
	ob_str(o, ": ");
	ob_str(o, val);
	ob_mem(o, "\r\n", 2);
}

static void
ob_text_part(struct ob *o, const struct mail_msg *msg)
{
	int f = mail_classify(msg->body, msg->bodylen);
	size_t room;
	uint8_t *t;

	ob_str(o, "Content-Type: text/plain; charset=");
	ob_str(o, f & MAIL_8BIT ? "utf-8" : "us-ascii");
	ob_str(o, "\r\nContent-Transfer-Encoding: ");
	ob_str(o, msg->cte == CTE_QP ? "quoted-printable" : msg->cte == CTE_8BIT ? "8bit" : "7bit");
	ob_str(o, "\r\n\r\n");
	if (msg->cte == CTE_QP) {
		t = ob_tail(o, &room);
		o->len += qp_encode(t, room, msg->body, msg->bodylen);
		if (msg->bodylen > 0 && msg->body[msg->bodylen - 1] != '\n')
			ob_mem(o, "\r\n", 2);
	} else {
		ob_crlf(o, msg->body, msg->bodylen);
	}
}

/* a file name as a parameter: quoted if plain ASCII, else RFC 2231 */
static void
ob_param(struct ob *o, const char *key, const char *val)
{
	static const char hx[] = "0123456789ABCDEF";
	const unsigned char *p;
	int plain = 1;

	for (p = (const unsigned char *)val; *p; p++)
		if (*p < 32 || *p > 126 || *p == '"' || *p == '\\')
			plain = 0;
	ob_str(o, "; ");
	ob_str(o, key);
	if (plain) {
		ob_str(o, "=\"");
		ob_str(o, val);
		ob_put(o, '"');
		return;
	}
	ob_str(o, "*=utf-8''");
	for (p = (const unsigned char *)val; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_') {
			ob_put(o, *p);
		} else {
			ob_put(o, '%');
			ob_put(o, (uint8_t)hx[*p >> 4]);
			ob_put(o, (uint8_t)hx[*p & 15]);
		}
	}
}

size_t
mail_build(uint8_t *dst, size_t cap, const struct mail_msg *msg)
{
	struct ob o = { dst, cap, 0 };
	size_t i, room;
	uint8_t *t;

	if (msg->from)
		ob_field(&o, "From", msg->from);
	if (msg->to)
		ob_field(&o, "To", msg->to);
	if (msg->subject) {
		ob_str(&o, "Subject: ");
		t = ob_tail(&o, &room);
		o.len += mime_encode_words((char *)t, room, msg->subject, strlen(msg->subject), 9);
		ob_mem(&o, "\r\n", 2);
	}
	if (msg->date)
		ob_field(&o, "Date", msg->date);
	if (msg->msgid)
		ob_field(&o, "Message-ID", msg->msgid);
	for (i = 0; i < msg->nextra; i++) {
		ob_str(&o, msg->extra[i]);
		ob_mem(&o, "\r\n", 2);
	}
	ob_str(&o, "MIME-Version: 1.0\r\n");
	if (msg->nparts == 0) {
		ob_text_part(&o, msg);
		return o.len;
	}
	ob_str(&o, "Content-Type: multipart/mixed; boundary=\"");
	ob_str(&o, msg->boundary);
	ob_str(&o, "\"\r\n\r\nThis is a message in MIME format.\r\n\r\n--");
	ob_str(&o, msg->boundary);
	ob_str(&o, "\r\n");
	ob_text_part(&o, msg);
	for (i = 0; i < msg->nparts; i++) {
		const struct mail_part *p = &msg->parts[i];

		ob_str(&o, "\r\n--");
		ob_str(&o, msg->boundary);
		ob_str(&o, "\r\nContent-Type: ");
		ob_str(&o, p->type ? p->type : "application/octet-stream");
		if (p->name)
			ob_param(&o, "name", p->name);
		ob_str(&o, "\r\nContent-Disposition: attachment");
		if (p->name)
			ob_param(&o, "filename", p->name);
		ob_str(&o, "\r\nContent-Transfer-Encoding: base64\r\n\r\n");
		t = ob_tail(&o, &room);
		o.len += b64_encode(t, room, p->data, p->len, 76);
		if (p->len == 0)
			ob_str(&o, "");
	}
	ob_str(&o, "\r\n--");
	ob_str(&o, msg->boundary);
	ob_str(&o, "--\r\n");
	return o.len;
}

static int
in_list(const struct mail_field *f, const char *const *list)
{
	for (; list && *list; list++)
		if (strlen(*list) == f->namelen && iprefix(f->name, f->namelen, *list))
			return 1;
	return 0;
}

size_t
mail_amend(uint8_t *dst, size_t cap, const uint8_t *m, size_t n,
    const char *const *add, size_t nadd, const char *const *strip)
{
	struct ob o = { dst, cap, 0 };
	struct mail_field f;
	size_t hend, body, pos = 0, i;

	if (!mail_split(m, n, &hend, &body)) {
		hend = 0;
		body = 0;
	}
	while (mail_field_next(m, hend, &pos, &f)) {
		if (in_list(&f, strip))
			continue;
		ob_mem(&o, m + f.off, f.len);
		if (f.off + f.len == n && m[n - 1] != '\n')
			ob_mem(&o, "\r\n", 2);	/* a header without a final line end */
	}
	for (i = 0; i < nadd; i++) {
		ob_str(&o, add[i]);
		ob_mem(&o, "\r\n", 2);
	}
	if (hend == body)
		ob_mem(&o, "\r\n", 2);
	ob_mem(&o, m + hend, n - hend);
	return o.len;
}

size_t
mail_to_qp(uint8_t *dst, size_t cap, const uint8_t *m, size_t n)
{
	static const char *const strip[] = { "Content-Transfer-Encoding", NULL };
	struct ob o = { dst, cap, 0 };
	struct mail_field f;
	size_t hend, body, room, pos = 0;
	uint8_t *t;
	const uint8_t *v;
	size_t vl;

	if (!mail_split(m, n, &hend, &body))
		return 0;
	if (mail_field_find(m, hend, "Content-Type", &f)) {
		v = f.value;
		vl = f.valuelen;
		while (vl && (*v == ' ' || *v == '\t'))
			v++, vl--;
		if (iprefix(v, vl, "multipart/") || iprefix(v, vl, "message/"))
			return 0;
	}
	if (mail_field_find(m, hend, "Content-Transfer-Encoding", &f)) {
		v = f.value;
		vl = f.valuelen;
		while (vl && (*v == ' ' || *v == '\t'))
			v++, vl--;
		if (iprefix(v, vl, "base64") || iprefix(v, vl, "quoted-printable"))
			return 0;
	}
	while (mail_field_next(m, hend, &pos, &f)) {
		if (in_list(&f, strip))
			continue;
		ob_mem(&o, m + f.off, f.len);
		if (f.off + f.len == n && m[n - 1] != '\n')
			ob_mem(&o, "\r\n", 2);
	}
	if (!mail_field_find(m, hend, "MIME-Version", &f))
		ob_str(&o, "MIME-Version: 1.0\r\n");
	if (!mail_field_find(m, hend, "Content-Type", &f))
		ob_str(&o, "Content-Type: text/plain; charset=utf-8\r\n");
	ob_str(&o, "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	t = ob_tail(&o, &room);
	o.len += qp_encode(t, room, m + body, n - body);
	if (n > body && m[n - 1] != '\n')
		ob_mem(&o, "\r\n", 2);
	return o.len;
}

/* --- SMTP DATA --------------------------------------------------------------- */

const char *
data_strerror(int e)
{
	switch (e) {
	case DATA_OK: return "no error";
	case DATA_EBARECR: return "a bare CR (not followed by LF)";
	case DATA_ELONG: return "a line longer than 998 octets";
	case DATA_ENUL: return "a NUL byte";
	case DATA_ENOEND: return "no CRLF.CRLF terminator";
	case DATA_ETRAIL: return "bytes after the terminator";
	case DATA_ELF: return "a bare LF";
	}
	return "unknown error";
}

int
data_encode(uint8_t *dst, size_t cap, const uint8_t *m, size_t n,
    size_t *outlen, size_t *line)
{
	struct ob o = { dst, cap, 0 };
	size_t ls = 0, ln = 0;

	*outlen = 0;
	*line = 0;
	while (ls < n) {
		const uint8_t *nl = memchr(m + ls, '\n', n - ls);
		size_t le = nl ? (size_t)(nl - m) : n, ce, wire;

		ce = nl && le > ls && m[le - 1] == '\r' ? le - 1 : le;
		ln++;
		if (memchr(m + ls, '\r', ce - ls) != NULL) {
			*line = ln;
			return DATA_EBARECR;
		}
		if (memchr(m + ls, '\0', ce - ls) != NULL) {
			*line = ln;
			return DATA_ENUL;
		}
		wire = ce - ls + (m[ls] == '.' && ce > ls);
		if (wire > 998) {
			*line = ln;
			return DATA_ELONG;
		}
		if (ce > ls && m[ls] == '.')
			ob_put(&o, '.');
		ob_mem(&o, m + ls, ce - ls);
		ob_mem(&o, "\r\n", 2);
		ls = nl ? le + 1 : n;
	}
	ob_mem(&o, ".\r\n", 3);
	*outlen = o.len;
	return DATA_OK;
}

int
data_decode(uint8_t *dst, size_t cap, const uint8_t *w, size_t n, size_t *outlen)
{
	struct ob o = { dst, cap, 0 };
	size_t ls = 0;

	*outlen = 0;
	while (ls < n) {
		const uint8_t *nl = memchr(w + ls, '\n', n - ls);
		size_t le, ce;

		if (nl == NULL)
			return DATA_ENOEND;
		le = (size_t)(nl - w);
		if (le == ls || w[le - 1] != '\r')
			return DATA_ELF;
		ce = le - 1;
		if (memchr(w + ls, '\r', ce - ls) != NULL)
			return DATA_EBARECR;
		if (ce - ls == 1 && w[ls] == '.') {
			if (le + 1 != n)
				return DATA_ETRAIL;
			*outlen = o.len;
			return DATA_OK;
		}
		if (w[ls] == '.')
			ls++;
		ob_mem(&o, w + ls, ce - ls);
		ob_mem(&o, "\r\n", 2);
		ls = le + 1;
	}
	return DATA_ENOEND;
}

/* --- mbox ---------------------------------------------------------------------- */

int
mbox_next(const uint8_t *m, size_t n, size_t *pos, size_t *off, size_t *len)
{
	size_t p = *pos, s, e;

	if (p >= n)
		return 0;
	if (n - p >= 5 && memcmp(m + p, "From ", 5) == 0) {
		const uint8_t *nl = memchr(m + p, '\n', n - p);

		p = nl ? (size_t)(nl - m) + 1 : n;
	}
	s = p;
	e = s;
	for (;;) {
		const uint8_t *nl = memchr(m + e, '\n', n - e);

		if (nl == NULL) {
			e = n;
			break;
		}
		e = (size_t)(nl - m) + 1;
		/* a separator: "From " after an empty line */
		if (n - e >= 5 && memcmp(m + e, "From ", 5) == 0 && e - s >= 2 &&
		    (m[e - 2] == '\n' || (e - s >= 3 && m[e - 2] == '\r' && m[e - 3] == '\n')))
			break;
	}
	*pos = e;
	/* the empty line before the next separator belongs to the mbox */
	*off = s;
	*len = e - s;
	if (*len >= 2 && m[e - 1] == '\n' && m[e - 2] == '\n')
		(*len)--;
	else if (*len >= 3 && m[e - 1] == '\n' && m[e - 2] == '\r' && m[e - 3] == '\n')
		*len -= 2;
	if (*len == 0 && e < n)
		return mbox_next(m, n, pos, off, len);
	return *len > 0;
}

size_t
mbox_unquote(uint8_t *dst, size_t cap, const uint8_t *m, size_t n)
{
	struct ob o = { dst, cap, 0 };
	size_t ls = 0;

	while (ls < n) {
		const uint8_t *nl = memchr(m + ls, '\n', n - ls);
		size_t le = nl ? (size_t)(nl - m) + 1 : n, k = ls;

		while (k < le && m[k] == '>')
			k++;
		if (k > ls && le - k >= 5 && memcmp(m + k, "From ", 5) == 0)
			ls++;
		ob_mem(&o, m + ls, le - ls);
		ls = le;
	}
	return o.len;
}
