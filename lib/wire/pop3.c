/*
 * pop3.c - POP3 codecs: status lines, multi-line bodies, listings,
 * CAPA, APOP and MD5.  RFC 1939, RFC 2449, RFC 3206, RFC 1321.
 * Pure: no system calls (the -X decoders print through struct layers).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pop3.h"
#include "view.h"

/* --- small helpers --------------------------------------------------------- */

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* ASCII case-insensitive comparison of n bytes */
static int
ieq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

/*
 * Decimal digits at s[*i..len) into *v, at most max.  No sign, at least
 * one digit.  0, POP3_E_SYNTAX or POP3_E_RANGE.
 */
static int
number(const char *s, size_t len, size_t *i, uint64_t max, uint64_t *v)
{
	uint64_t n = 0;
	size_t start = *i;
	int over = 0;

	while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
		if (n > (UINT64_MAX - 9) / 10)
			over = 1;
		else
			n = n * 10 + (uint64_t)(s[*i] - '0');
		(*i)++;
	}
	if (*i == start)
		return POP3_E_SYNTAX;
	if (over || n > max)
		return POP3_E_RANGE;
	*v = n;
	return 0;
}

/* --- status lines ---------------------------------------------------------- */

static const struct {
	const char *name;
	unsigned bit;
} rcodes[] = {
	{ "IN-USE", POP3_RC_IN_USE },
	{ "LOGIN-DELAY", POP3_RC_LOGIN_DELAY },
	{ "AUTH", POP3_RC_AUTH },
	{ "SYS/TEMP", POP3_RC_SYS_TEMP },
	{ "SYS/PERM", POP3_RC_SYS_PERM },
};

int
pop3_status(const char *line, size_t len, struct pop3_status *s)
{
	size_t p, i, k;

	memset(s, 0, sizeof *s);
	s->st = POP3_BAD;
	if (len >= 3 && memcmp(line, "+OK", 3) == 0 && (len == 3 || line[3] == ' ')) {
		s->st = POP3_OK;
		p = 3;
	} else if (len >= 4 && memcmp(line, "-ERR", 4) == 0 && (len == 4 || line[4] == ' ')) {
		s->st = POP3_ERR;
		p = 4;
	} else {
		s->text = line;
		s->textlen = len;
		return POP3_BAD;
	}
	if (p < len)
		p++;		/* the space */
	/* RFC 2449 section 8: "[" resp-code "]" right after the status */
	if (p < len && line[p] == '[') {
		for (i = p + 1; i < len && line[i] != ']' && line[i] != ' '; i++)
			;
		if (i < len && line[i] == ']' && i > p + 1) {
			s->code = line + p + 1;
			s->codelen = i - p - 1;
			for (k = 0; k < sizeof rcodes / sizeof rcodes[0]; k++) {
				size_t n = strlen(rcodes[k].name);

				if (s->codelen >= n && ieq(s->code, rcodes[k].name, n) &&
				    (s->codelen == n || s->code[n] == '/')) {
					s->rc |= rcodes[k].bit;
					break;
				}
			}
			if (s->rc == 0)
				s->rc = POP3_RC_OTHER;
			p = i + 1;
			if (p < len && line[p] == ' ')
				p++;
		}
	}
	s->text = line + p;
	s->textlen = len - p;
	return s->st;
}

const char *
pop3_rc_name(unsigned rc)
{
	size_t k;

	for (k = 0; k < sizeof rcodes / sizeof rcodes[0]; k++)
		if (rc & rcodes[k].bit)
			return rcodes[k].name;
	return NULL;
}

/* --- multi-line bodies ----------------------------------------------------- */

enum { S_BOL, S_DOT, S_DOTCR, S_MID, S_CR };

void
pop3_ml_init(struct pop3_ml *ml, int keep_crlf)
{
	memset(ml, 0, sizeof *ml);
	ml->state = S_BOL;
	ml->bol_crlf = 1;	/* the status line ended with CRLF */
	ml->keep_crlf = keep_crlf;
}

size_t
pop3_ml_feed(struct pop3_ml *ml, const uint8_t *in, size_t n,
    uint8_t *out, size_t outcap, size_t *outn)
{
	size_t i = 0, o = 0;
	uint8_t b;

	while (i < n && !ml->done && outcap - o >= 2) {
		b = in[i++];
		ml->wire++;
		switch (ml->state) {
		case S_BOL:
			if (b == '.') {
				ml->state = S_DOT;
				break;
			}
			goto mid;
		case S_DOT:
			/* a leading dot: the end if CRLF follows, else stripped */
			if (b == '\r') {
				ml->state = S_DOTCR;
				break;
			}
			goto mid;
		case S_DOTCR:
			if (b == '\n' && ml->bol_crlf) {
				ml->done = 1;
				break;
			}
			/* "." CR then something else: the CR is data */
			goto cr;
		case S_CR:
		cr:
			if (b == '\n') {
				if (ml->keep_crlf)
					out[o++] = '\r';
				out[o++] = '\n';
				ml->octets += 2;
				ml->lines++;
				ml->state = S_BOL;
				ml->bol_crlf = 1;
				break;
			}
			out[o++] = '\r';
			ml->octets++;
			if (b == '\r') {
				ml->state = S_CR;
				break;
			}
			goto mid;
		case S_MID:
		default:
		mid:
			if (b == '\r') {
				ml->state = S_CR;
			} else if (b == '\n') {
				/* a bare LF ends a line, but no "." after it ends the body */
				out[o++] = '\n';
				ml->octets++;
				ml->lines++;
				ml->state = S_BOL;
				ml->bol_crlf = 0;
			} else {
				out[o++] = b;
				ml->octets++;
				ml->state = S_MID;
			}
			break;
		}
	}
	*outn = o;
	return i;
}

int
pop3_ml_midline(const struct pop3_ml *ml)
{
	return ml->state != S_BOL;
}

/* --- listings -------------------------------------------------------------- */

const char *
pop3_perr_str(int e)
{
	switch (e) {
	case POP3_E_OK:
		return "ok";
	case POP3_E_SYNTAX:
		return "malformed listing";
	case POP3_E_RANGE:
		return "number out of range";
	case POP3_E_UIDL:
		return "invalid unique-id";
	}
	return "error";
}

int
pop3_stat(const char *text, size_t len, uint64_t *count, uint64_t *size)
{
	size_t i = 0;
	int r;

	if ((r = number(text, len, &i, POP3_MAXNUM, count)) < 0)
		return r;
	if (i >= len || text[i] != ' ')
		return POP3_E_SYNTAX;
	i++;
	if ((r = number(text, len, &i, UINT64_MAX / 2, size)) < 0)
		return r;
	if (i < len && text[i] != ' ')
		return POP3_E_SYNTAX;
	return 0;
}

int
pop3_list(const char *line, size_t len, uint64_t count, uint64_t *num, uint64_t *size)
{
	size_t i = 0;
	int r;

	if ((r = number(line, len, &i, POP3_MAXNUM, num)) < 0)
		return r;
	if (i >= len || line[i] != ' ')
		return POP3_E_SYNTAX;
	i++;
	if ((r = number(line, len, &i, POP3_MAXSIZE, size)) < 0)
		return r;
	/* RFC 1939 section 5: anything may follow the size after a space */
	if (i < len && line[i] != ' ')
		return POP3_E_SYNTAX;
	if (*num == 0 || (count != POP3_NOCOUNT && *num > count))
		return POP3_E_RANGE;
	return 0;
}

int
pop3_uid_ok(const char *uid, size_t len)
{
	size_t i;

	if (len < 1 || len > POP3_UIDL_MAX)
		return POP3_E_UIDL;
	for (i = 0; i < len; i++)
		if ((unsigned char)uid[i] < 0x21 || (unsigned char)uid[i] > 0x7e)
			return POP3_E_UIDL;
	return 0;
}

int
pop3_uidl(const char *line, size_t len, uint64_t count, uint64_t *num,
    char uid[POP3_UIDL_MAX + 1])
{
	size_t i = 0, end = len;
	int r;

	uid[0] = '\0';
	if ((r = number(line, len, &i, POP3_MAXNUM, num)) < 0)
		return r;
	if (i >= len || line[i] != ' ')
		return POP3_E_SYNTAX;
	i++;
	while (end > i && line[end - 1] == ' ')
		end--;		/* trailing blanks are not part of the id */
	if (*num == 0 || (count != POP3_NOCOUNT && *num > count))
		return POP3_E_RANGE;
	if (pop3_uid_ok(line + i, end - i) < 0)
		return POP3_E_UIDL;
	memcpy(uid, line + i, end - i);
	uid[end - i] = '\0';
	return 0;
}

/* heapsort of string pointers (no libc qsort: wire code stays pure) */
static void
sift(const char **v, size_t root, size_t n)
{
	for (;;) {
		size_t c = 2 * root + 1;
		const char *t;

		if (c >= n)
			return;
		if (c + 1 < n && strcmp(v[c], v[c + 1]) < 0)
			c++;
		if (strcmp(v[root], v[c]) >= 0)
			return;
		t = v[root];
		v[root] = v[c];
		v[c] = t;
		root = c;
	}
}

static void
sortp(const char **v, size_t n)
{
	size_t i;

	for (i = n / 2; i-- > 0;)
		sift(v, i, n);
	for (i = n; i-- > 1;) {
		const char *t = v[0];

		v[0] = v[i];
		v[i] = t;
		sift(v, 0, i);
	}
}

long
pop3_uid_dups(const char **v, size_t n)
{
	size_t i;

	if (n < 2)
		return -1;
	sortp(v, n);
	for (i = 1; i < n; i++)
		if (strcmp(v[i - 1], v[i]) == 0)
			return (long)i;
	return -1;
}

/* --- CAPA ------------------------------------------------------------------ */

unsigned
pop3_capa(const char *line, size_t len)
{
	static const struct {
		const char *name;
		unsigned bit;
	} caps[] = {
		{ "TOP", POP3_CAP_TOP },
		{ "USER", POP3_CAP_USER },
		{ "UIDL", POP3_CAP_UIDL },
		{ "PIPELINING", POP3_CAP_PIPELINING },
		{ "RESP-CODES", POP3_CAP_RESP_CODES },
		{ "AUTH-RESP-CODE", POP3_CAP_AUTH_RESP_CODE },
		{ "SASL", POP3_CAP_SASL },
		{ "STLS", POP3_CAP_STLS },
		{ "EXPIRE", POP3_CAP_EXPIRE },
		{ "LOGIN-DELAY", POP3_CAP_LOGIN_DELAY },
		{ "IMPLEMENTATION", POP3_CAP_IMPLEMENTATION },
	};
	size_t k, w = 0;

	while (w < len && line[w] != ' ')
		w++;
	for (k = 0; k < sizeof caps / sizeof caps[0]; k++)
		if (strlen(caps[k].name) == w && ieq(line, caps[k].name, w))
			return caps[k].bit;
	return 0;
}

/* --- commands -------------------------------------------------------------- */

static int
argok(const char *a)
{
	if (*a == '\0')
		return 0;
	for (; *a; a++)
		if (*a == '\r' || *a == '\n')
			return 0;
	return 1;
}

int
pop3_cmd(char *buf, size_t cap, const char *verb, const char *arg, const char *arg2)
{
	size_t n = 0, l;
	const char *parts[3];
	int k;

	parts[0] = verb;
	parts[1] = arg;
	parts[2] = arg ? arg2 : NULL;
	for (k = 0; k < 3 && parts[k]; k++) {
		if (!argok(parts[k]))
			return -1;
		l = strlen(parts[k]);
		if (n + (k > 0) + l + 3 > cap)
			return -1;
		if (k > 0)
			buf[n++] = ' ';
		memcpy(buf + n, parts[k], l);
		n += l;
	}
	buf[n++] = '\r';
	buf[n++] = '\n';
	buf[n] = '\0';
	return (int)n;
}

/* --- APOP ------------------------------------------------------------------ */

int
pop3_apop_stamp(const char *g, size_t len, char *out, size_t cap)
{
	size_t i, j;
	int at = 0;

	for (i = 0; i < len && g[i] != '<'; i++)
		;
	if (i >= len)
		return -1;
	for (j = i + 1; j < len && g[j] != '>'; j++) {
		unsigned char c = (unsigned char)g[j];

		if (c < 0x21 || c > 0x7e || c == '<')
			return -1;
		if (c == '@')
			at = 1;
	}
	if (j >= len || !at || j == i + 1 || j - i + 2 > cap)
		return -1;
	memcpy(out, g + i, j - i + 1);
	out[j - i + 1] = '\0';
	return (int)(j - i + 1);
}

void
pop3_apop_digest(const char *stamp, const char *secret, char hex[33])
{
	static const char xd[] = "0123456789abcdef";
	struct md5 m;
	uint8_t d[16];
	int i;

	md5_init(&m);
	md5_update(&m, stamp, strlen(stamp));
	md5_update(&m, secret, strlen(secret));
	md5_final(&m, d);
	for (i = 0; i < 16; i++) {
		hex[2 * i] = xd[d[i] >> 4];
		hex[2 * i + 1] = xd[d[i] & 15];
	}
	hex[32] = '\0';
	memset(&m, 0, sizeof m);
}

/* --- MD5, RFC 1321 --------------------------------------------------------- */

/* T[i] = floor(2^32 * abs(sin(i + 1))), RFC 1321 section 3.4 */
static const uint32_t md5_t[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a,
	0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
	0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
	0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
	0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
	0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
	0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
	0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
	0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};
static const uint8_t md5_s[16] = { 7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21 };

static uint32_t
rol(uint32_t x, unsigned n)
{
	return x << n | x >> (32 - n);
}

static void
md5_block(struct md5 *m, const uint8_t *p)
{
	uint32_t x[16], a = m->h[0], b = m->h[1], c = m->h[2], d = m->h[3], f, t;
	unsigned i, g;

	for (i = 0; i < 16; i++)
		x[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
		    (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
	for (i = 0; i < 64; i++) {
		switch (i / 16) {
		case 0:
			f = (b & c) | (~b & d);
			g = i;
			break;
		case 1:
			f = (b & d) | (c & ~d);
			g = (5 * i + 1) % 16;
			break;
		case 2:
			f = b ^ c ^ d;
			g = (3 * i + 5) % 16;
			break;
		default:
			f = c ^ (b | ~d);
			g = (7 * i) % 16;
			break;
		}
		t = d;
		d = c;
		c = b;
		b = b + rol(a + f + md5_t[i] + x[g], md5_s[(i / 16) * 4 + i % 4]);
		a = t;
	}
	m->h[0] += a;
	m->h[1] += b;
	m->h[2] += c;
	m->h[3] += d;
}

void
md5_init(struct md5 *m)
{
	m->h[0] = 0x67452301;
	m->h[1] = 0xefcdab89;
	m->h[2] = 0x98badcfe;
	m->h[3] = 0x10325476;
	m->len = 0;
}

void
md5_update(struct md5 *m, const void *data, size_t n)
{
	const uint8_t *p = data;
	size_t have = (size_t)(m->len % 64), take;

	m->len += n;
	if (have) {
		take = 64 - have < n ? 64 - have : n;
		memcpy(m->buf + have, p, take);
		p += take;
		n -= take;
		if (have + take < 64)
			return;
		md5_block(m, m->buf);
	}
	for (; n >= 64; p += 64, n -= 64)
		md5_block(m, p);
	memcpy(m->buf, p, n);
}

void
md5_final(struct md5 *m, uint8_t digest[16])
{
	uint64_t bits = m->len * 8;
	uint8_t pad[72];
	size_t have = (size_t)(m->len % 64), padn = have < 56 ? 56 - have : 120 - have;
	int i;

	memset(pad, 0, sizeof pad);
	pad[0] = 0x80;
	for (i = 0; i < 8; i++)
		pad[padn + (size_t)i] = (uint8_t)(bits >> (8 * i));
	md5_update(m, pad, padn + 8);
	for (i = 0; i < 16; i++)
		digest[i] = (uint8_t)(m->h[i / 4] >> (8 * (i % 4)));
}

/* --- header fields for --scan ---------------------------------------------- */

long
pop3_header(const char *h, size_t len, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name), i = 0, o = 0, eol;
	int found = 0;

	if (cap)
		out[0] = '\0';
	while (i < len) {
		/* find this line's end */
		for (eol = i; eol < len && h[eol] != '\n'; eol++)
			;
		if (eol == i || (eol == i + 1 && h[i] == '\r'))
			break;	/* the empty line ends the header */
		if (found) {
			if (h[i] != ' ' && h[i] != '\t')
				break;
		} else if (eol - i > nl && h[i + nl] == ':' && ieq(h + i, name, nl)) {
			found = 1;
			i += nl + 1;
		} else {
			i = eol + 1;
			continue;
		}
		/* append the line (or continuation) to the value, without CR LF */
		for (; i < eol; i++) {
			if (h[i] == '\r' && i + 1 == eol)
				break;
			if (o == 0 && (h[i] == ' ' || h[i] == '\t'))
				continue;	/* leading blanks */
			if (o + 1 < cap)
				out[o] = h[i];
			o++;
		}
		i = eol + 1;
	}
	if (!found)
		return -1;
	if (o < cap) {
		while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\t'))
			o--;
		out[o] = '\0';
	} else if (cap) {
		out[cap - 1] = '\0';
	}
	return (long)o;
}

/* --- layer view ------------------------------------------------------------ */

void
pop3_decode_cmd(struct layers *lv, const char *line, size_t len)
{
	char shown[600], esc[1200];
	size_t v = 0, n, k, mask;

	n = len < sizeof shown ? len : sizeof shown;
	memcpy(shown, line, n);
	while (v < n && shown[v] != ' ' && shown[v] != '\r' && shown[v] != '\n')
		v++;
	/* never show a secret: the PASS argument, the APOP digest */
	mask = n;
	if (v == 4 && ieq(shown, "PASS", 4)) {
		mask = v + 1;
	} else if (v == 4 && ieq(shown, "APOP", 4)) {
		for (k = v + 1; k < n && shown[k] != ' '; k++)
			;
		mask = k + 1;
	}
	for (k = mask; k < n; k++)
		if (shown[k] != '\r' && shown[k] != '\n')
			shown[k] = '*';
	lv_layer(lv, "POP3 command, %zu bytes", len);
	tb_escape_buf(esc, sizeof esc, shown, v);
	lv_field(lv, "command", "%s", esc);
	n = n >= 2 && shown[n - 2] == '\r' ? n - 2 : n;
	if (v < n) {
		tb_escape_buf(esc, sizeof esc, shown + v + 1, n - v - 1);
		lv_field(lv, "arguments", "%s", esc);
	}
	lv_hex(lv, shown, len < sizeof shown ? len : sizeof shown);
}

void
pop3_decode_status(struct layers *lv, const char *line, size_t len)
{
	struct pop3_status s;
	char esc[1200];

	pop3_status(line, len, &s);
	lv_layer(lv, "POP3 status line, %zu bytes", len + 2);
	lv_field(lv, "status", "%s", s.st == POP3_OK ? "+OK" : s.st == POP3_ERR ?
	    "-ERR" : "(malformed)");
	if (s.code) {
		tb_escape_buf(esc, sizeof esc, s.code, s.codelen);
		lv_field(lv, "response code", "[%s]", esc);
	}
	tb_escape_buf(esc, sizeof esc, s.text, s.textlen);
	lv_field(lv, "text", "%s", esc);
	lv_hex(lv, line, len > 512 ? 512 : len);
}
