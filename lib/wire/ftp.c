/*
 * ftp.c - FTP codecs (RFC 959, 2428, 3659): reply grouping, PASV/EPSV
 * replies, PORT/EPRT arguments, PWD, SIZE, MDTM, FEAT, LIST and MLSD
 * lines, safe local names, the -X decoders.  Pure: no system calls.
 */
#include <stdint.h>
#include <string.h>

#include "date.h"
#include "ftp.h"
#include "reply.h"
#include "view.h"
#include "wire.h"

const char *
ftp_strerror(int err)
{
	switch (err) {
	case FTP_OK: return "ok";
	case FTP_EMALFORMED: return "malformed";
	case FTP_ERANGE: return "number out of range";
	case FTP_EDELIM: return "bad delimiters";
	case FTP_EQUOTE: return "unterminated quote";
	case FTP_ETOOLONG: return "too long";
	case FTP_ESKIP: return "not an entry";
	case FTP_EUNSAFE: return "unsafe name";
	case FTP_ECODE: return "not a reply line";
	}
	return "unknown error";
}

static int isdig(char c) { return c >= '0' && c <= '9'; }

static int
ieq(const char *a, size_t n, const char *b)
{
	return strlen(b) == n && tb_memcaseeq(a, b, n);
}

/* decimal digits at s[0..n) into *v, at most max; 0 or FTP_ERANGE/EMALFORMED */
static int
decnum(const char *s, size_t n, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (n == 0)
		return FTP_EMALFORMED;
	for (i = 0; i < n; i++) {
		if (!isdig(s[i]))
			return FTP_EMALFORMED;
		if (x > (max - (uint64_t)(s[i] - '0')) / 10)
			return FTP_ERANGE;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	*v = x;
	return 0;
}

/* --- reply grouping --------------------------------------------------- */

int
ftp_reply_add(struct reply *r, const char *line, size_t len, int first)
{
	int rc = reply_add(r, line, len, first, 1);

	return rc == REPLY_EBAD ? FTP_ECODE : rc == REPLY_ELONG ? FTP_ETOOLONG : rc;
}

/* --- passive and active ---------------------------------------------- */

/* up to three digits 0..255 at s; digits used or 0 */
static size_t
octet(const char *s, const char *end, unsigned *v)
{
	size_t n = 0;
	unsigned x = 0;

	while (s + n < end && isdig(s[n])) {
		if (n == 3)
			return 0;
		x = x * 10 + (unsigned)(s[n] - '0');
		n++;
	}
	if (n == 0 || x > 255)
		return 0;
	*v = x;
	return n;
}

int
ftp_parse_227(const char *text, size_t len, uint8_t addr[4], uint16_t *port)
{
	const char *p, *end = text + len;
	unsigned v[6];
	int i, sawrange = 0;

	for (p = text; p < end; p++) {
		const char *q = p;
		size_t n;

		if (!isdig(*p) || (p > text && isdig(p[-1])))
			continue;
		for (i = 0; i < 6; i++) {
			n = octet(q, end, &v[i]);
			if (n == 0)
				break;
			q += n;
			if (i < 5) {
				if (q >= end || *q != ',')
					break;
				q++;
			}
		}
		if (i == 6 && !(q < end && isdig(*q))) {
			if (v[4] == 0 && v[5] == 0)
				return FTP_ERANGE;
			for (i = 0; i < 4; i++)
				addr[i] = (uint8_t)v[i];
			*port = (uint16_t)(v[4] << 8 | v[5]);
			return 0;
		}
		/* a number over 255 where an octet was due: say range */
		if (q < end && isdig(*q))
			sawrange = 1;
	}
	return sawrange ? FTP_ERANGE : FTP_EMALFORMED;
}

int
ftp_parse_229(const char *text, size_t len, uint16_t *port)
{
	const char *p = memchr(text, '(', len), *end = text + len, *q;
	uint64_t v;
	char d;
	int r;

	if (p == NULL)
		return FTP_EMALFORMED;
	p++;
	if (end - p < 6)
		return FTP_EMALFORMED;
	d = p[0];
	if (d < 33 || d > 126 || isdig(d) || p[1] != d || p[2] != d)
		return FTP_EDELIM;
	p += 3;
	for (q = p; q < end && isdig(*q); q++)
		;
	if (q >= end || *q != d)
		return q < end && q != p ? FTP_EDELIM : (q == p ? FTP_EMALFORMED : FTP_EDELIM);
	if ((r = decnum(p, (size_t)(q - p), 65535, &v)) < 0)
		return r;
	if (v == 0)
		return FTP_ERANGE;
	if (q + 1 >= end || q[1] != ')')
		return FTP_EDELIM;
	*port = (uint16_t)v;
	return 0;
}

/* append decimal v; advances *n */
static void
putnum(char *out, size_t cap, size_t *n, unsigned long long v)
{
	char tmp[24];
	size_t k = 0;

	do {
		tmp[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (k--) {
		if (*n + 1 < cap)
			out[*n] = tmp[k];
		(*n)++;
	}
}

static void
putstr(char *out, size_t cap, size_t *n, const char *s)
{
	for (; *s; s++) {
		if (*n + 1 < cap)
			out[*n] = *s;
		(*n)++;
	}
}

int
ftp_build_port(char *out, size_t cap, const uint8_t addr[4], uint16_t port)
{
	size_t n = 0;
	int i;

	putstr(out, cap, &n, "PORT ");
	for (i = 0; i < 4; i++) {
		putnum(out, cap, &n, addr[i]);
		putstr(out, cap, &n, ",");
	}
	putnum(out, cap, &n, port >> 8);
	putstr(out, cap, &n, ",");
	putnum(out, cap, &n, port & 0xff);
	if (n >= cap) {
		if (cap)
			out[0] = '\0';
		return FTP_ETOOLONG;
	}
	out[n] = '\0';
	return (int)n;
}

int
ftp_build_eprt(char *out, size_t cap, int proto, const char *addrtext, uint16_t port)
{
	size_t n = 0;

	if ((proto != 1 && proto != 2) || strchr(addrtext, '|') || !ftp_arg_ok(addrtext))
		return FTP_EMALFORMED;
	putstr(out, cap, &n, "EPRT |");
	putnum(out, cap, &n, (unsigned)proto);
	putstr(out, cap, &n, "|");
	putstr(out, cap, &n, addrtext);
	putstr(out, cap, &n, "|");
	putnum(out, cap, &n, port);
	putstr(out, cap, &n, "|");
	if (n >= cap) {
		if (cap)
			out[0] = '\0';
		return FTP_ETOOLONG;
	}
	out[n] = '\0';
	return (int)n;
}

/* --- PWD, SIZE, MDTM, FEAT ------------------------------------------- */

int
ftp_parse_257(const char *text, size_t len, char *out, size_t cap)
{
	const char *p = memchr(text, '"', len), *end = text + len;
	size_t n = 0;

	if (p == NULL)
		return FTP_EMALFORMED;
	for (p++; p < end; p++) {
		if (*p == '"') {
			if (p + 1 < end && p[1] == '"') {
				p++;	/* "" is one quote */
			} else {
				if (n >= cap)
					return FTP_ETOOLONG;
				out[n] = '\0';
				return 0;
			}
		}
		if (*p == '\0' || *p == '\n' || *p == '\r')
			return FTP_EQUOTE;
		if (n + 1 >= cap)
			return FTP_ETOOLONG;
		out[n++] = *p;
	}
	return FTP_EQUOTE;
}

static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

int
ftp_parse_size(const char *text, size_t len, uint64_t *size)
{
	trim(&text, &len);
	return decnum(text, len, INT64_MAX, size);
}

int
ftp_parse_150(const char *text, size_t len, uint64_t *size)
{
	const char *p, *end = text + len, *q;

	/* the last "(digits bytes" in the text */
	for (p = end; p > text; p--) {
		if (p[-1] != '(')
			continue;
		for (q = p; q < end && isdig(*q); q++)
			;
		if (q > p && end - q >= 6 && memcmp(q, " bytes", 6) == 0)
			return decnum(p, (size_t)(q - p), INT64_MAX, size);
	}
	return FTP_EMALFORMED;
}

int64_t
ftp_epoch(int year, int mon, int day, int hh, int mm, int ss)
{
	return days_from_civil(year, mon, day) * 86400 + hh * 3600 + mm * 60 + ss;
}

static int
mdays(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

static int
datetime_ok(int y, int mo, int d, int h, int mi, int s)
{
	return y >= 1970 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 &&
	    d <= mdays(y, mo) && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 &&
	    s >= 0 && s <= 60;
}

/* n digits at s as an int, or -1 */
static int
digits(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!isdig(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* YYYYMMDDHHMMSS[.f+] as used by MDTM and the MLSD modify fact */
static int
timeval14(const char *s, size_t len, int64_t *when)
{
	int y, mo, d, h, mi, sec;
	size_t i;

	if (len < 14)
		return FTP_EMALFORMED;
	if (len > 14) {
		if (s[14] != '.' || len == 15)
			return FTP_EMALFORMED;
		for (i = 15; i < len; i++)
			if (!isdig(s[i]))
				return FTP_EMALFORMED;
	}
	y = digits(s, 4);
	mo = digits(s + 4, 2);
	d = digits(s + 6, 2);
	h = digits(s + 8, 2);
	mi = digits(s + 10, 2);
	sec = digits(s + 12, 2);
	if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0)
		return FTP_EMALFORMED;
	if (!datetime_ok(y, mo, d, h, mi, sec))
		return FTP_ERANGE;
	*when = ftp_epoch(y, mo, d, h, mi, sec);
	return 0;
}

int
ftp_parse_mdtm(const char *text, size_t len, int64_t *when)
{
	trim(&text, &len);
	return timeval14(text, len, when);
}

int
ftp_feat_has(const char *text, size_t len, const char *feature)
{
	const char *p = text, *end = text + len, *nl, *w;
	size_t fl = strlen(feature), wl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		/* feature lines start with one space (RFC 2389 3.2) */
		if (p < nl && *p == ' ') {
			w = p + 1;
			for (wl = 0; w + wl < nl && w[wl] != ' ' && w[wl] != '\r'; wl++)
				;
			if (wl == fl && ieq(w, wl, feature))
				return 1;
		}
		p = nl + 1;
	}
	return 0;
}

/* --- listings --------------------------------------------------------- */

const char *
ftp_type_name(int type)
{
	switch (type) {
	case FTP_T_FILE: return "file";
	case FTP_T_DIR: return "dir";
	case FTP_T_LINK: return "link";
	}
	return "other";
}

static int
setname(struct ftp_entry *e, const char *s, size_t n)
{
	if (n == 0)
		return FTP_EMALFORMED;
	if (memchr(s, '\0', n))
		return FTP_EUNSAFE;
	if (n >= sizeof e->name)
		return FTP_ETOOLONG;
	memcpy(e->name, s, n);
	e->name[n] = '\0';
	e->namelen = n;
	return 0;
}

struct tok {
	const char *s;
	size_t n;
};

/* split at runs of spaces/tabs; returns tokens found (<= max), *rest after token max-1 */
static int
tokens(const char *s, size_t len, struct tok *t, int max)
{
	const char *end = s + len;
	int k = 0;

	while (k < max) {
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if (s >= end)
			break;
		t[k].s = s;
		while (s < end && *s != ' ' && *s != '\t')
			s++;
		t[k].n = (size_t)(s - t[k].s);
		k++;
	}
	return k;
}

static int
month(const struct tok *t)
{
	static const char m[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	int i;

	if (t->n != 3)
		return 0;
	for (i = 0; i < 12; i++)
		if (tb_lower((unsigned char)t->s[0]) == m[i * 3] && tb_lower((unsigned char)t->s[1]) == m[i * 3 + 1] &&
		    tb_lower((unsigned char)t->s[2]) == m[i * 3 + 2])
			return i + 1;
	return 0;
}

/* "day time|year" after month mo -> *when; 0 or FTP_EMALFORMED */
static int
unix_date(const struct tok *t, int mo, int64_t now, int64_t *when)
{
	int d, y, h = 0, mi = 0, r;

	if (t[0].n > 2 || (d = digits(t[0].s, t[0].n)) < 1 || d > 31)
		return FTP_EMALFORMED;
	if (t[1].n == 5 && t[1].s[2] == ':') {
		h = digits(t[1].s, 2);
		mi = digits(t[1].s + 3, 2);
		if (h < 0 || mi < 0 || h > 23 || mi > 59)
			return FTP_EMALFORMED;
		/* no year: the latest such date not more than a day ahead of now */
		y = 1970 + (int)(now / 31556952) + 1;
		while (y > 1970 && ftp_epoch(y, 1, 1, 0, 0, 0) > now)
			y--;
		for (r = 0; r < 8; r++, y--)
			if (d <= mdays(y, mo) && ftp_epoch(y, mo, d, h, mi, 0) <= now + 86400)
				break;
		if (r == 8 || y < 1970)
			return FTP_EMALFORMED;
	} else if (t[1].n == 4 && (y = digits(t[1].s, 4)) >= 1970) {
		if (d > mdays(y, mo))
			return FTP_EMALFORMED;
	} else {
		return FTP_EMALFORMED;
	}
	*when = ftp_epoch(y, mo, d, h, mi, 0);
	return 0;
}

static int
list_unix(const char *line, size_t len, int64_t now, struct ftp_entry *e)
{
	struct tok t[12];
	int k, i, mo, r;
	uint64_t size = 0;
	int64_t when = -1;
	const char *name, *end = line + len, *arrow;
	size_t nlen;

	k = tokens(line, len, t, 12);
	if (k < 5 || t[0].n != 10)
		return FTP_EMALFORMED;
	switch (t[0].s[0]) {
	case '-': e->type = FTP_T_FILE; break;
	case 'd': e->type = FTP_T_DIR; break;
	case 'l': e->type = FTP_T_LINK; break;
	default: e->type = FTP_T_OTHER; break;
	}
	/*
	 * "size month day time|year name": the first month token after the
	 * links count that follows a number and is followed by a valid date
	 * (an owner or group may look like a month or a number)
	 */
	for (i = 2; i + 3 < k; i++)
		if ((mo = month(&t[i])) != 0 &&
		    decnum(t[i - 1].s, t[i - 1].n, INT64_MAX, &size) == 0 &&
		    unix_date(&t[i + 1], mo, now, &when) == 0)
			break;
	if (i + 3 >= k)
		return FTP_EMALFORMED;
	e->size = e->type == FTP_T_DIR ? -1 : (int64_t)size;
	e->mtime = when;
	/* the name: after one separator following the time/year token */
	name = t[i + 2].s + t[i + 2].n;
	if (name >= end)
		return FTP_EMALFORMED;
	name++;
	nlen = (size_t)(end - name);
	if (e->type == FTP_T_LINK) {
		for (arrow = name; arrow + 4 <= end; arrow++)
			if (memcmp(arrow, " -> ", 4) == 0) {
				nlen = (size_t)(arrow - name);
				break;
			}
	}
	if ((r = setname(e, name, nlen)) < 0)
		return r;
	return 0;
}

static int
list_dos(const char *line, size_t len, struct ftp_entry *e)
{
	struct tok t[4];
	int k, mo, d, y, h, mi, r;
	uint64_t size;
	const char *name, *end = line + len;

	k = tokens(line, len, t, 4);
	if (k < 4)
		return FTP_EMALFORMED;
	/* MM-DD-YY or MM-DD-YYYY */
	if ((t[0].n != 8 && t[0].n != 10) || t[0].s[2] != '-' || t[0].s[5] != '-')
		return FTP_EMALFORMED;
	mo = digits(t[0].s, 2);
	d = digits(t[0].s + 3, 2);
	y = digits(t[0].s + 6, t[0].n - 6);
	if (mo < 1 || mo > 12 || d < 1 || y < 0)
		return FTP_EMALFORMED;
	if (t[0].n == 8)
		y += y < 70 ? 2000 : 1900;
	if (y < 1970 || d > mdays(y, mo))
		return FTP_EMALFORMED;
	/* HH:MM(AM|PM) or HH:MM */
	if ((t[1].n != 7 && t[1].n != 5) || t[1].s[2] != ':')
		return FTP_EMALFORMED;
	h = digits(t[1].s, 2);
	mi = digits(t[1].s + 3, 2);
	if (h < 0 || mi < 0 || mi > 59)
		return FTP_EMALFORMED;
	if (t[1].n == 7) {
		char a = (char)tb_lower((unsigned char)t[1].s[5]);

		if ((a != 'a' && a != 'p') || tb_lower((unsigned char)t[1].s[6]) != 'm' || h < 1 || h > 12)
			return FTP_EMALFORMED;
		h = h % 12 + (a == 'p' ? 12 : 0);
	} else if (h > 23) {
		return FTP_EMALFORMED;
	}
	if (t[2].n == 5 && memcmp(t[2].s, "<DIR>", 5) == 0) {
		e->type = FTP_T_DIR;
		e->size = -1;
	} else if (decnum(t[2].s, t[2].n, INT64_MAX, &size) == 0) {
		e->type = FTP_T_FILE;
		e->size = (int64_t)size;
	} else {
		return FTP_EMALFORMED;
	}
	e->mtime = ftp_epoch(y, mo, d, h, mi, 0);
	name = t[2].s + t[2].n;
	while (name < end && (*name == ' ' || *name == '\t'))
		name++;
	if ((r = setname(e, name, (size_t)(end - name))) < 0)
		return r;
	return 0;
}

int
ftp_parse_list(const char *line, size_t len, int64_t now, struct ftp_entry *e)
{
	e->type = FTP_T_OTHER;
	e->size = e->mtime = -1;
	e->namelen = 0;
	e->name[0] = '\0';
	if (len >= 6 && memcmp(line, "total ", 6) == 0)
		return FTP_ESKIP;
	if (len > 0 && isdig(line[0]))
		return list_dos(line, len, e);
	return list_unix(line, len, now, e);
}

int
ftp_parse_mlsd(const char *line, size_t len, struct ftp_entry *e)
{
	const char *p = line, *end = line + len, *semi, *eq;
	int skip = 0;

	e->type = FTP_T_OTHER;
	e->size = e->mtime = -1;
	e->namelen = 0;
	e->name[0] = '\0';
	/* facts: "name=value;" until the space before the pathname */
	while (p < end && *p != ' ') {
		semi = memchr(p, ';', (size_t)(end - p));
		if (semi == NULL)
			return FTP_EMALFORMED;
		eq = memchr(p, '=', (size_t)(semi - p));
		if (eq == NULL || eq == p)
			return FTP_EMALFORMED;
		if (ieq(p, (size_t)(eq - p), "type")) {
			const char *v = eq + 1;
			size_t vn = (size_t)(semi - v);

			if (ieq(v, vn, "file"))
				e->type = FTP_T_FILE;
			else if (ieq(v, vn, "dir"))
				e->type = FTP_T_DIR;
			else if (ieq(v, vn, "cdir") || ieq(v, vn, "pdir"))
				skip = 1;
			else if (ieq(v, vn, "OS.unix=symlink") ||
			    (vn >= 13 && ieq(v, 13, "OS.unix=slink")))
				e->type = FTP_T_LINK;
			else
				e->type = FTP_T_OTHER;
		} else if (ieq(p, (size_t)(eq - p), "size")) {
			uint64_t v;
			int r = decnum(eq + 1, (size_t)(semi - eq - 1), INT64_MAX, &v);

			if (r < 0)
				return r;
			e->size = (int64_t)v;
		} else if (ieq(p, (size_t)(eq - p), "modify")) {
			int r = timeval14(eq + 1, (size_t)(semi - eq - 1), &e->mtime);

			if (r < 0)
				return r;
		}
		p = semi + 1;
	}
	if (p >= end)
		return FTP_EMALFORMED;
	p++;	/* the one space */
	if (skip)
		return FTP_ESKIP;
	if (e->type == FTP_T_DIR)
		e->size = -1;
	return setname(e, p, (size_t)(end - p));
}

/* --- safety ----------------------------------------------------------- */

int
ftp_safe_name(const char *name, size_t len, char *out, size_t cap)
{
	size_t i;

	if (len == 0 || len > 255 || len >= cap)
		return FTP_EUNSAFE;
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return FTP_EUNSAFE;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 0x20 || c == 0x7f || c == '/' || c == '\\')
			return FTP_EUNSAFE;
	}
	memcpy(out, name, len);
	out[len] = '\0';
	return 0;
}

int
ftp_arg_ok(const char *s)
{
	return strpbrk(s, "\r\n") == NULL;
}

/* --- the layer view --------------------------------------------------- */

void
ftp_decode_cmd(struct layers *lv, const char *line, size_t len)
{
	char esc[1024];
	const char *sp = memchr(line, ' ', len);	/* the line need not end in a NUL */
	size_t vl = sp ? (size_t)(sp - line) : len;
	int pass = vl == 4 && ieq(line, 4, "PASS");

	lv_layer(lv, "FTP command (RFC 959 4.1), %zu bytes with CR LF", len + 2);
	tb_escape_buf(esc, sizeof esc, line, vl);
	lv_field(lv, "command", "%s", esc);
	if (vl < len) {
		if (pass)
			lv_field(lv, "argument", "(masked)");
		else {
			tb_escape_buf(esc, sizeof esc, line + vl + 1, len - vl - 1);
			lv_field(lv, "argument", "%s", esc);
		}
	}
	if (!pass) {
		uint8_t buf[1024];
		size_t n = len < sizeof buf - 2 ? len : sizeof buf - 2;

		memcpy(buf, line, n);
		buf[n] = '\r';
		buf[n + 1] = '\n';
		lv_hex(lv, buf, n + 2);
	}
}

void
ftp_decode_reply(struct layers *lv, const struct reply *r, const void *raw, size_t rawlen)
{
	static const char *cls[] = { "", "1yz positive preliminary",
	    "2yz positive completion", "3yz positive intermediate",
	    "4yz transient negative", "5yz permanent negative" };
	char esc[1024];
	uint8_t a[4];
	uint16_t port;
	int e;

	lv_layer(lv, "FTP reply (RFC 959 4.2), %zu line%s", r->nlines, r->nlines == 1 ? "" : "s");
	lv_field(lv, "code", "%d", r->code);
	lv_field(lv, "class", "%s", r->code >= 100 && r->code < 600 ? cls[r->code / 100] : "?");
	tb_escape_buf(esc, sizeof esc, r->text, r->len < 512 ? r->len : 512);
	lv_field(lv, "text", "%s", esc);
	if (r->code == 227) {
		if ((e = ftp_parse_227(r->text, r->len, a, &port)) == 0) {
			lv_field(lv, "h1,h2,h3,h4 (address)", "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
			lv_field(lv, "p1,p2 (port)", "%u,%u = %u", port >> 8, port & 0xff, port);
		} else {
			lv_field(lv, "227 address", "unparsable: %s", ftp_strerror(e));
		}
	} else if (r->code == 229) {
		if ((e = ftp_parse_229(r->text, r->len, &port)) == 0)
			lv_field(lv, "port (RFC 2428)", "%u", port);
		else
			lv_field(lv, "229 port", "unparsable: %s", ftp_strerror(e));
	}
	if (raw)
		lv_hex(lv, raw, rawlen);
	else
		lv_hex(lv, r->text, r->len);
}
