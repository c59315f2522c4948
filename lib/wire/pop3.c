/*
 * pop3.c - POP3 codecs: status lines, multi-line bodies, listings,
 * CAPA and APOP (MD5 is in lib/crypto/md5.c).  RFC 1939, RFC 2449, RFC 3206.
 * Pure: no system calls (the -X decoders print through struct layers).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/md5.h"
#include "pop3.h"
#include "view.h"
#include "wire.h"

/* --- small helpers --------------------------------------------------------- */

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

				if (s->codelen >= n && tb_memcaseeq(s->code, rcodes[k].name, n) &&
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
		if (strlen(caps[k].name) == w && tb_memcaseeq(line, caps[k].name, w))
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
		} else if (eol - i > nl && h[i + nl] == ':' && tb_memcaseeq(h + i, name, nl)) {
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
	if (v == 4 && tb_memcaseeq(shown, "PASS", 4)) {
		mask = v + 1;
	} else if (v == 4 && tb_memcaseeq(shown, "APOP", 4)) {
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
