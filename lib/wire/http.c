/* http.c - HTTP/1.1 request builder, response head parser, framing, chunked decoder */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "http.h"
#include "view.h"
#include "base64.h"
#include "wire.h"

const char *
http_strerror(int e)
{
	switch (e) {
	case HTTP_ESTATUS: return "malformed status line";
	case HTTP_EFIELD: return "malformed header field";
	case HTTP_ECTL: return "control byte (NUL, bare CR) in the response head";
	case HTTP_ELINE: return "response head line too long";
	case HTTP_EHEAD: return "response head too large";
	case HTTP_EFOLD: return "folded first header line";
	case HTTP_ECL: return "bad or conflicting Content-Length";
	case HTTP_ETE: return "unrequested transfer coding";
	case HTTP_E101: return "101 Switching Protocols without an Upgrade request";
	case HTTP_ECHUNK: return "bad chunked encoding";
	case HTTP_ECHUNKSZ: return "chunk size too large";
	case HTTP_ETRAILER: return "bad trailer section";
	case HTTP_EREQ: return "bad request field (CR, LF, NUL) or request too large";
	default: return "no error";
	}
}

static int
tchar(int c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return 1;
	return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int
ieq(const char *a, size_t na, const char *b)
{
	return strlen(b) == na && tb_memcaseeq(a, b, na);
}

/* field-value bytes: HTAB, SP, VCHAR, obs-text */
static int
vchar(unsigned c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/* --- the head parser ------------------------------------------------------ */

enum { HS_STATUS, HS_FIELDS };

void
http_head_init(struct http_head *h)
{
	h->version = h->status = 0;
	h->reason = h->nreason = 0;
	h->nfields = h->nraw = h->wire = h->nwbuf = 0;
	h->state = HS_STATUS;
	h->blanks = 0;
	h->nline = 0;
}

static int
raw_add(struct http_head *h, const char *p, size_t n)
{
	if (n > sizeof h->raw - h->nraw)
		return -1;
	memcpy(h->raw + h->nraw, p, n);
	h->nraw += n;
	return 0;
}

static int
status_line(struct http_head *h, const char *s, size_t n)
{
	size_t i;

	/* HTTP/1.x SP 3DIGIT [SP reason] */
	if (n < 12 || memcmp(s, "HTTP/1.", 7) != 0 || s[7] < '0' || s[7] > '9' || s[8] != ' ')
		return HTTP_ESTATUS;
	for (i = 9; i < 12; i++)
		if (s[i] < '0' || s[i] > '9')
			return HTTP_ESTATUS;
	if (n > 12 && s[12] != ' ')
		return HTTP_ESTATUS;
	h->version = s[7] == '0' ? 10 : 11;
	h->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
	if (h->status < 100 || h->status > 599)
		return HTTP_ESTATUS;
	h->nraw = 0;
	if (raw_add(h, s, n) < 0)
		return HTTP_EHEAD;
	h->reason = n > 13 ? 13 : (uint32_t)n;
	h->nreason = n > 13 ? (uint32_t)(n - 13) : 0;
	return 0;
}

static void
trim(const char **p, size_t *n)
{
	while (*n > 0 && (**p == ' ' || **p == '\t')) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t'))
		(*n)--;
}

static int
field_line(struct http_head *h, const char *s, size_t n)
{
	struct http_field *f;
	const char *v;
	size_t i, nv;

	if (s[0] == ' ' || s[0] == '\t') {
		/* obs-fold (HTTP-12): replace with SP, append to the field before */
		if (h->nfields == 0)
			return HTTP_EFOLD;
		f = &h->f[h->nfields - 1];
		v = s;
		nv = n;
		trim(&v, &nv);
		if (nv == 0)
			return 0;
		if (f->vlen > 0 && raw_add(h, " ", 1) < 0)
			return HTTP_EHEAD;
		if (raw_add(h, v, nv) < 0)
			return HTTP_EHEAD;
		f->vlen = (uint32_t)(h->nraw - f->val);
		return 0;
	}
	for (i = 0; i < n && s[i] != ':'; i++)
		if (!tchar((unsigned char)s[i]))
			return HTTP_EFIELD;	/* includes "Name : v" (RFC 9112 §5.1) */
	if (i == 0 || i == n)
		return HTTP_EFIELD;
	if (h->nfields >= HTTP_HEADERS_MAX)
		return HTTP_EHEAD;
	f = &h->f[h->nfields];
	f->name = (uint32_t)h->nraw;
	f->nlen = (uint32_t)i;
	if (raw_add(h, s, i) < 0)
		return HTTP_EHEAD;
	v = s + i + 1;
	nv = n - i - 1;
	trim(&v, &nv);
	f->val = (uint32_t)h->nraw;
	f->vlen = (uint32_t)nv;
	if (raw_add(h, v, nv) < 0)
		return HTTP_EHEAD;
	h->nfields++;
	return 0;
}

static int
head_line(struct http_head *h)
{
	const char *s = h->line;
	size_t n = h->nline, i;

	if (n > 0 && s[n - 1] == '\r')
		n--;
	for (i = 0; i < n; i++)
		if (!vchar((unsigned char)s[i]))
			return HTTP_ECTL;	/* NUL, bare CR (HTTP-11, HTTP-14) */
	if (h->state == HS_STATUS) {
		if (n == 0) {
			/* tolerate a few stray empty lines between responses */
			if (++h->blanks > 4)
				return HTTP_ESTATUS;
			return HTTP_MORE;
		}
		if (status_line(h, s, n) < 0)
			return HTTP_ESTATUS;
		h->state = HS_FIELDS;
		return HTTP_MORE;
	}
	if (n == 0) {
		if (h->status == 101)
			return HTTP_E101;
		return h->status < 200 ? HTTP_INTERIM : HTTP_DONE;
	}
	return field_line(h, s, n);
}

int
http_head_feed(struct http_head *h, const void *buf, size_t n, size_t *used)
{
	const char *p = buf;
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		h->wire++;
		if (h->nwbuf < sizeof h->wbuf)
			h->wbuf[h->nwbuf++] = p[i];
		if (p[i] != '\n') {
			if (h->nline >= sizeof h->line) {
				*used = i;
				return HTTP_ELINE;
			}
			h->line[h->nline++] = p[i];
			continue;
		}
		r = head_line(h);
		h->nline = 0;
		if (r != HTTP_MORE) {
			*used = i + 1;
			return r;
		}
	}
	*used = n;
	return HTTP_MORE;
}

const char *
http_field(const struct http_head *h, const char *name, size_t idx, size_t *len)
{
	size_t i;

	for (i = 0; i < h->nfields; i++) {
		const struct http_field *f = &h->f[i];

		if (ieq(h->raw + f->name, f->nlen, name) && idx-- == 0) {
			*len = f->vlen;
			return h->raw + f->val;
		}
	}
	return NULL;
}

/* call fn on each comma-separated, trimmed element of every field named name */
static int
each_token(const struct http_head *h, const char *name,
    int (*fn)(const char *, size_t, void *), void *arg)
{
	const char *v;
	size_t idx, n;
	int r;

	for (idx = 0; (v = http_field(h, name, idx, &n)) != NULL; idx++) {
		while (n > 0) {
			const char *c = memchr(v, ',', n);
			size_t k = c ? (size_t)(c - v) : n;
			const char *t = v;
			size_t nt = k;

			trim(&t, &nt);
			if (nt > 0 && (r = fn(t, nt, arg)) != 0)
				return r;
			if (c == NULL)
				break;
			v += k + 1;
			n -= k + 1;
		}
	}
	return 0;
}

struct tokarg {
	const char *want;
};

static int
tok_match(const char *t, size_t n, void *arg)
{
	const struct tokarg *a = arg;
	size_t k = n;
	const char *semi = memchr(t, ';', n);

	if (semi) {
		k = (size_t)(semi - t);
		trim(&t, &k);
	}
	return ieq(t, k, a->want);
}

int
http_has_token(const struct http_head *h, const char *name, const char *token)
{
	struct tokarg a = { token };

	return each_token(h, name, tok_match, &a);
}

int
http_parse_cl(const char *s, size_t n, uint64_t *v)
{
	uint64_t first = 0, cur;
	size_t i = 0;
	int have = 0;

	for (;;) {
		size_t start;

		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		start = i;
		cur = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			unsigned d = (unsigned)(s[i] - '0');

			if (cur > (UINT64_MAX - d) / 10)
				return -1;	/* HTTP-07: never wrap */
			cur = cur * 10 + d;
			i++;
		}
		if (i == start)
			return -1;	/* empty, negative, letters (HTTP-05) */
		if (have && cur != first)
			return -1;	/* HTTP-06 */
		first = cur;
		have = 1;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == n)
			break;
		if (s[i] != ',')
			return -1;	/* trailing garbage (HTTP-05) */
		i++;
	}
	*v = first;
	return 0;
}

/* a decimal number at s[*i], overflow-checked; 0 or -1 */
static int
dec64(const char *s, size_t n, size_t *i, uint64_t *v)
{
	size_t start = *i;

	*v = 0;
	while (*i < n && s[*i] >= '0' && s[*i] <= '9') {
		unsigned d = (unsigned)(s[*i] - '0');

		if (*v > (UINT64_MAX - d) / 10)
			return -1;
		*v = *v * 10 + d;
		(*i)++;
	}
	return *i > start ? 0 : -1;
}

int
http_content_range(const char *s, size_t n, uint64_t *first, uint64_t *last, uint64_t *total)
{
	size_t i = 6;

	if (n < 6 || !ieq(s, 5, "bytes") || s[5] != ' ')
		return -1;
	while (i < n && s[i] == ' ')
		i++;
	if (dec64(s, n, &i, first) < 0 || i >= n || s[i++] != '-' ||
	    dec64(s, n, &i, last) < 0 || i >= n || s[i++] != '/' || *first > *last)
		return -1;
	if (i < n && s[i] == '*') {
		*total = UINT64_MAX;
		i++;
	} else if (dec64(s, n, &i, total) < 0 || *last >= *total) {
		return -1;
	}
	return i == n ? 0 : -1;
}

int
http_range_unsatisfied(const char *s, size_t n, uint64_t *total)
{
	size_t i = 6;

	if (n < 6 || !ieq(s, 5, "bytes") || s[5] != ' ')
		return -1;
	while (i < n && s[i] == ' ')
		i++;
	if (i >= n || s[i++] != '*' || i >= n || s[i++] != '/' || dec64(s, n, &i, total) < 0)
		return -1;
	return i == n ? 0 : -1;
}

struct tearg {
	int chunked;		/* how many "chunked" */
	int last_chunked;
	int other;
};

static int
te_tok(const char *t, size_t n, void *arg)
{
	struct tearg *a = arg;

	if (ieq(t, n, "chunked")) {
		a->chunked++;
		a->last_chunked = 1;
	} else {
		a->other++;
		a->last_chunked = 0;
	}
	return 0;
}

int
http_framing(const struct http_head *h, int head_request, struct http_framing *fr)
{
	struct tearg te = { 0, 0, 0 };
	const char *v;
	size_t n, idx;
	uint64_t cl = 0, x;
	int have_cl = 0, have_te;

	memset(fr, 0, sizeof *fr);
	if (h->version >= 11)
		fr->reusable = !http_has_token(h, "connection", "close");
	else
		fr->reusable = http_has_token(h, "connection", "keep-alive");
	fr->content_encoding = http_field(h, "content-encoding", 0, &n) != NULL;
	for (idx = 0; (v = http_field(h, "content-length", idx, &n)) != NULL; idx++) {
		if (http_parse_cl(v, n, &x) < 0 || (have_cl && x != cl))
			return HTTP_ECL;
		cl = x;
		have_cl = 1;
	}
	have_te = http_field(h, "transfer-encoding", 0, &n) != NULL;
	if (head_request || h->status < 200 || h->status == 204 || h->status == 304) {
		fr->body = HTTP_BODY_NONE;
		return 0;
	}
	if (have_te) {
		each_token(h, "transfer-encoding", te_tok, &te);
		/* HTTP-09: we never send TE, so only chunked is acceptable */
		if (te.other > 0 || te.chunked == 0 || !te.last_chunked)
			return HTTP_ETE;
		fr->body = HTTP_BODY_CHUNKED;
		if (have_cl || h->version < 11)
			fr->reusable = 0;	/* HTTP-08: possible smuggling */
		return 0;
	}
	if (have_cl) {
		fr->body = HTTP_BODY_LENGTH;
		fr->length = cl;
		return 0;
	}
	fr->body = HTTP_BODY_CLOSE;
	fr->reusable = 0;
	return 0;
}

/* --- chunked ---------------------------------------------------------------- */

enum {
	CH_SIZE, CH_SIZE_WS, CH_EXT, CH_SIZE_LF, CH_DATA, CH_DATA_END, CH_DATA_LF,
	CH_TRAILER, CH_TLINE, CH_TLINE_LF, CH_END_LF, CH_DONE
};

void
http_chunked_init(struct http_chunked *d)
{
	memset(d, 0, sizeof *d);
	d->state = CH_SIZE;
}

long
http_chunked_feed(struct http_chunked *d, void *vbuf, size_t n, size_t *used)
{
	uint8_t *buf = vbuf;
	size_t i = 0, out = 0;

	while (i < n && d->state != CH_DONE) {
		unsigned c = buf[i];
		int x;

		switch (d->state) {
		case CH_SIZE:
			if ((x = hexval((int)c)) >= 0) {
				if (++d->ndigits > HTTP_CHUNK_DIGITS)
					return HTTP_ECHUNKSZ;	/* HTTP-01 */
				d->left = d->left << 4 | (uint64_t)x;
				i++;
				break;
			}
			if (d->ndigits == 0)
				return HTTP_ECHUNK;	/* HTTP-02 */
			d->state = CH_SIZE_WS;
			break;
		case CH_SIZE_WS:
			if (c == ' ' || c == '\t') {
				i++;
			} else if (c == ';') {
				d->state = CH_EXT;
				i++;
			} else if (c == '\r') {
				d->state = CH_SIZE_LF;
				i++;
			} else if (c == '\n') {
				d->state = CH_SIZE_LF;
			} else {
				return HTTP_ECHUNK;
			}
			break;
		case CH_EXT:
			if (c == '\r' || c == '\n') {
				d->state = CH_SIZE_WS;
				break;
			}
			if (!vchar(c))
				return HTTP_ECHUNK;
			if (++d->tline > HTTP_LINE_MAX)
				return HTTP_ECHUNK;
			i++;
			break;
		case CH_SIZE_LF:
			if (c != '\n')
				return HTTP_ECHUNK;
			i++;
			d->tline = 0;
			d->ndigits = 0;
			d->state = d->left ? CH_DATA : CH_TRAILER;
			if (d->on_chunk)
				d->on_chunk(d->arg, d->left);
			break;
		case CH_DATA: {
			size_t k = n - i;

			if (k > d->left)
				k = (size_t)d->left;
			if (out != i)
				memmove(buf + out, buf + i, k);
			out += k;
			i += k;
			d->left -= k;
			if (d->left == 0)
				d->state = CH_DATA_END;
			break;
		}
		case CH_DATA_END:
			if (c == '\r') {
				i++;
				d->state = CH_DATA_LF;
			} else if (c == '\n') {
				d->state = CH_DATA_LF;
			} else {
				return HTTP_ECHUNK;	/* HTTP-02: no CRLF after data */
			}
			break;
		case CH_DATA_LF:
			if (c != '\n')
				return HTTP_ECHUNK;
			i++;
			d->state = CH_SIZE;
			break;
		case CH_TRAILER:
			if (c == '\r') {
				i++;
				d->state = CH_END_LF;
			} else if (c == '\n') {
				d->state = CH_END_LF;
			} else if (c == ' ' || c == '\t') {
				return HTTP_ETRAILER;	/* no folding in trailers */
			} else {
				d->tline = 0;
				d->tcolon = 0;
				d->state = CH_TLINE;
			}
			break;
		case CH_TLINE:
			if (c == '\r' || c == '\n') {
				if (!d->tcolon)
					return HTTP_ETRAILER;
				d->trailers++;
				if (c == '\r')
					i++;
				d->state = CH_TLINE_LF;
				break;
			}
			if (!vchar(c) || (!d->tcolon && c != ':' && !tchar((int)c)) ||
			    (!d->tcolon && c == ':' && d->tline == 0))
				return HTTP_ETRAILER;
			if (c == ':')
				d->tcolon = 1;
			if (++d->tline > HTTP_LINE_MAX || ++d->ttotal > HTTP_HEAD_MAX)
				return HTTP_ETRAILER;
			i++;
			break;
		case CH_TLINE_LF:
			if (c != '\n')
				return HTTP_ETRAILER;
			i++;
			d->state = CH_TRAILER;
			break;
		case CH_END_LF:
			if (c != '\n')
				return HTTP_ECHUNK;
			i++;
			d->state = CH_DONE;
			d->done = 1;
			break;
		}
	}
	*used = i;
	return (long)out;
}

/* --- requests ----------------------------------------------------------- */

size_t
http_base64(const void *vp, size_t n, char *out, size_t cap)
{
	size_t need = b64_len(n);

	if (need + 1 > cap)
		return 0;
	b64_encode((uint8_t *)out, cap, vp, n, 0);
	out[need] = '\0';
	return need;
}

/* no CR, LF, NUL or other control byte (HTAB allowed); 0 or -1 */
static int
clean(const char *s, int allow_space)
{
	for (; *s; s++) {
		unsigned c = (unsigned char)*s;

		if ((c < 0x20 && c != '\t') || c == 0x7f || (!allow_space && (c == ' ' || c == '\t')))
			return -1;
	}
	return 0;
}

int
http_check_header(const char *s)
{
	const char *c = strchr(s, ':');
	const char *p;

	if (c == NULL || c == s)
		return -1;
	for (p = s; p < c; p++)
		if (!tchar((unsigned char)*p))
			return -1;
	return clean(c + 1, 1);
}

/* does the n bytes at s contain w (lower case) ignoring case? */
static int
icontains(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w), i;

	for (i = 0; i + k <= n; i++)
		if (ieq(s + i, k, w))
			return 1;
	return 0;
}

int
http_is_credential(const char *s)
{
	static const char *const words[] = {
		"auth", "cookie", "token", "key", "secret", "passw", "session",
		"credential", "signature",
	};
	size_t n = strcspn(s, ":"), i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (icontains(s, n, words[i]))
			return 1;
	return 0;
}

/* does a user header (-H) name this field? */
static int
user_has(const struct http_req *r, const char *name)
{
	size_t i, k = strlen(name);

	for (i = 0; i < r->nextra; i++)
		if (strlen(r->extra[i]) > k && r->extra[i][k] == ':' && ieq(r->extra[i], k, name))
			return 1;
	return 0;
}

struct sbuf {
	char *p;
	size_t cap, len;
	int bad;
};

static void
sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->bad || n > b->cap - b->len) {
		b->bad = 1;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void
sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void
sb_u64(struct sbuf *b, uint64_t v)
{
	char tmp[24];
	size_t k = sizeof tmp;

	do
		tmp[--k] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	sb_add(b, tmp + k, sizeof tmp - k);
}

static void
sb_basic(struct sbuf *b, const char *field, const char *cred, size_t n)
{
	char enc[1024];

	if (http_base64(cred, n, enc, sizeof enc) == 0 && n > 0) {
		b->bad = 1;
		return;
	}
	sb_str(b, field);
	sb_str(b, ": Basic ");
	sb_str(b, enc);
	sb_str(b, "\r\n");
}

long
http_request(const struct http_req *r, char *out, size_t cap)
{
	struct sbuf b = { out, cap, 0, 0 };
	const char *p;
	size_t i;

	for (p = r->method; *p; p++)
		if (!tchar((unsigned char)*p))
			return HTTP_EREQ;
	if (r->method[0] == '\0' || r->target[0] == '\0' || clean(r->target, 0) < 0 ||
	    clean(r->host, 0) < 0 || (r->agent && clean(r->agent, 1) < 0) ||
	    (r->if_range && (r->if_range[0] == '\0' || clean(r->if_range, 1) < 0)))
		return HTTP_EREQ;	/* HTTP-20 */
	for (i = 0; i < r->nextra; i++)
		if (http_check_header(r->extra[i]) < 0)
			return HTTP_EREQ;
	sb_str(&b, r->method);
	sb_str(&b, " ");
	sb_str(&b, r->target);
	sb_str(&b, " HTTP/1.1\r\n");
	if (!user_has(r, "host")) {
		sb_str(&b, "Host: ");
		sb_str(&b, r->host);
		sb_str(&b, "\r\n");
	}
	if (r->agent && !user_has(r, "user-agent")) {
		sb_str(&b, "User-Agent: ");
		sb_str(&b, r->agent);
		sb_str(&b, "\r\n");
	}
	if (!user_has(r, "accept"))
		sb_str(&b, "Accept: */*\r\n");
	if (r->auth && !user_has(r, "authorization"))
		sb_basic(&b, "Authorization", r->auth, r->nauth);
	if (r->proxy_auth && !user_has(r, "proxy-authorization"))
		sb_basic(&b, "Proxy-Authorization", r->proxy_auth, r->nproxy_auth);
	if (r->range_from >= 0 && !user_has(r, "range")) {
		sb_str(&b, "Range: bytes=");
		sb_u64(&b, (uint64_t)r->range_from);
		sb_str(&b, "-\r\n");
		if (r->if_range && !user_has(r, "if-range")) {
			sb_str(&b, "If-Range: ");
			sb_str(&b, r->if_range);
			sb_str(&b, "\r\n");
		}
	}
	if (r->body_len >= 0 && !user_has(r, "content-length")) {
		sb_str(&b, "Content-Length: ");
		sb_u64(&b, (uint64_t)r->body_len);
		sb_str(&b, "\r\n");
	}
	if (!user_has(r, "connection"))
		sb_str(&b, r->close ? "Connection: close\r\n" : "Connection: keep-alive\r\n");
	for (i = 0; i < r->nextra; i++) {
		const char *c = strchr(r->extra[i], ':');
		const char *v = c + 1;

		while (*v == ' ' || *v == '\t')
			v++;
		if (*v == '\0')
			continue;	/* "Name:" removes a default header */
		sb_str(&b, r->extra[i]);
		sb_str(&b, "\r\n");
	}
	sb_str(&b, "\r\n");
	if (b.bad)
		return HTTP_EREQ;
	return (long)b.len;
}

/* --- layer view --------------------------------------------------------- */

static void
lv_text(struct layers *lv, const char *name, const char *p, size_t n)
{
	char esc[512];

	tb_escape_buf(esc, sizeof esc, p, n);
	lv_field(lv, name, "%s", esc);
}

void
http_head_layers(struct layers *lv, const struct http_head *h)
{
	size_t i;

	lv_layer(lv, "HTTP/1.%d response head, %zu bytes, %zu fields", h->version % 10,
	    h->wire, h->nfields);
	lv_field(lv, "HTTP-version", "HTTP/1.%d", h->version % 10);
	lv_field(lv, "status-code", "%d", h->status);
	lv_text(lv, "reason-phrase", h->raw + h->reason, h->nreason);
	for (i = 0; i < h->nfields; i++) {
		char name[256];
		const struct http_field *f = &h->f[i];

		tb_escape_buf(name, sizeof name, h->raw + f->name, f->nlen);
		lv_text(lv, name, h->raw + f->val, f->vlen);
	}
	lv_hex(lv, h->wbuf, h->nwbuf);
}

static char mask[16384];

/* the request with the credentials of (Proxy-)Authorization as '*', for the hex dump */
static const char *
masked(const char *req, size_t n)
{
	size_t i, k;

	if (n > sizeof mask)
		n = sizeof mask;
	memcpy(mask, req, n);
	for (i = 0; i < n; i++) {
		if (i > 0 && mask[i - 1] != '\n')
			continue;
		if (n - i > 15 && ieq(mask + i, 14, "authorization:"))
			k = i + 14;
		else if (n - i > 21 && ieq(mask + i, 20, "proxy-authorization:"))
			k = i + 20;
		else
			continue;
		for (; k < n && mask[k] != '\r' && mask[k] != '\n'; k++)
			if (mask[k] != ' ')
				mask[k] = '*';
	}
	return mask;
}

void
http_request_layers(struct layers *lv, const char *req, size_t n)
{
	const char *p = req, *end = req + n, *nl, *sp1, *sp2;
	size_t k;

	lv_layer(lv, "HTTP/1.1 request head, %zu bytes", n);
	nl = memchr(p, '\n', n);
	if (nl == NULL)
		return;
	k = (size_t)(nl - p) - (nl > p && nl[-1] == '\r');
	sp1 = memchr(p, ' ', k);
	sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(p + k - sp1 - 1)) : NULL;
	if (sp1 && sp2) {
		lv_text(lv, "method", p, (size_t)(sp1 - p));
		lv_text(lv, "request-target", sp1 + 1, (size_t)(sp2 - sp1 - 1));
		lv_text(lv, "HTTP-version", sp2 + 1, (size_t)(p + k - sp2 - 1));
	}
	for (p = nl + 1; p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL;
	    p = nl + 1) {
		const char *c;
		char name[256];

		k = (size_t)(nl - p) - (nl > p && nl[-1] == '\r');
		if (k == 0)
			break;
		c = memchr(p, ':', k);
		if (c == NULL)
			continue;
		tb_escape_buf(name, sizeof name, p, (size_t)(c - p));
		if (strncmp(name, "Authorization", 13) == 0 ||
		    strncmp(name, "Proxy-Authorization", 19) == 0) {
			lv_field(lv, name, "(credentials not shown)");
			continue;
		}
		c++;
		while (c < p + k && *c == ' ')
			c++;
		lv_text(lv, name, c, (size_t)(p + k - c));
	}
	lv_hex(lv, masked(req, n), n < sizeof mask ? n : sizeof mask);
}
