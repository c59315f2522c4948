/* url.c - the URL parser and RFC 3986 reference resolution (wire code) */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "url.h"
#include "wire.h"

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

uint16_t
url_default_port(const char *scheme)
{
	if (strcmp(scheme, "http") == 0)
		return 80;
	if (strcmp(scheme, "https") == 0)
		return 443;
	if (strcmp(scheme, "ftp") == 0)
		return 21;
	if (strcmp(scheme, "pop3") == 0)
		return 110;
	if (strcmp(scheme, "pop3s") == 0)
		return 995;
	if (strcmp(scheme, "ftps") == 0)
		return 990;
	if (strcmp(scheme, "smtps") == 0)
		return 465;
	return 0;
}

int
url_pct_decode(const char *s, size_t n, char *out, size_t cap)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		unsigned c = (unsigned char)s[i];

		if (c == '%') {
			int h, l;

			if (i + 2 >= n)
				return -1;
			h = hexval((unsigned char)s[i + 1]);
			l = hexval((unsigned char)s[i + 2]);
			if (h < 0 || l < 0)
				return -1;
			c = (unsigned)(h << 4 | l);
			i += 2;
		}
		if (c < 0x20 || c == 0x7f)
			return -1;
		if (o + 1 >= cap)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

/* a strict IPv6 literal: 8 groups, or fewer with one "::", maybe a dotted IPv4 tail */
static int
ipv6_ok(const char *s, size_t n)
{
	size_t i = 0;
	int groups = 0, dcolon = 0;

	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		dcolon = 1;
		i = 2;
		if (i == n)
			return 1;
	} else if (n >= 1 && s[0] == ':') {
		return 0;
	}
	while (i < n) {
		size_t j = i;
		int dots = 0;

		while (j < n && hexval((unsigned char)s[j]) >= 0)
			j++;
		if (j < n && s[j] == '.') {
			/* dotted IPv4 tail: the rest of the string */
			int octets = 0;

			j = i;
			while (j <= n) {
				unsigned v = 0;
				size_t k = j;

				while (k < n && is_digit((unsigned char)s[k]) && k - j < 3)
					v = v * 10 + (unsigned)(s[k++] - '0');
				if (k == j || v > 255 || (k - j > 1 && s[j] == '0'))
					return 0;
				octets++;
				if (k == n)
					break;
				if (s[k] != '.')
					return 0;
				dots++;
				j = k + 1;
			}
			if (octets != 4 || dots != 3)
				return 0;
			groups += 2;
			i = n;
			break;
		}
		if (j == i || j - i > 4)
			return 0;
		groups++;
		i = j;
		if (i == n)
			break;
		if (s[i] != ':')
			return 0;
		i++;
		if (i < n && s[i] == ':') {
			if (dcolon)
				return 0;
			dcolon = 1;
			i++;
			if (i == n)
				break;
		} else if (i == n) {
			return 0;	/* trailing single ':' */
		}
	}
	return dcolon ? groups <= 7 : groups == 8;
}

static int
fail(const char **why, const char *msg, int code)
{
	if (why)
		*why = msg;
	return code;
}

/* append c to out[*o] percent-encoding bytes >= 0x80; -1 when full */
static int
put_path(char *out, size_t cap, size_t *o, unsigned c)
{
	static const char hx[] = "0123456789ABCDEF";

	if (c >= 0x80) {
		if (*o + 3 >= cap)
			return -1;
		out[(*o)++] = '%';
		out[(*o)++] = hx[c >> 4];
		out[(*o)++] = hx[c & 15];
		return 0;
	}
	if (*o + 1 >= cap)
		return -1;
	out[(*o)++] = (char)c;
	return 0;
}

int
url_parse(const char *s, struct url *u, const char **why)
{
	const char *p, *auth, *aend, *at, *hp, *hend, *colon;
	size_t i, n, o;

	memset(u, 0, sizeof *u);
	n = strnlen(s, URL_MAX + 1);
	if (n > URL_MAX)
		return fail(why, "URL too long", URL_ETOOLONG);
	for (i = 0; i < n; i++) {
		unsigned c = (unsigned char)s[i];

		if (c <= 0x20 || c == 0x7f)
			return fail(why, c == ' ' ? "space in URL (write it as %20)" :
			    "control byte in URL", URL_ESYNTAX);
		if (c == '%' && (hexval((unsigned char)s[i + 1]) < 0 ||
		    hexval((unsigned char)s[i + 2]) < 0))
			return fail(why, "'%' not followed by two hex digits", URL_ESYNTAX);
	}
	/* scheme */
	for (p = s; is_alpha((unsigned char)*p) || (p > s && (is_digit((unsigned char)*p) ||
	    *p == '+' || *p == '-' || *p == '.')); p++)
		;
	if (p == s || p[0] != ':' || p[1] != '/' || p[2] != '/')
		return fail(why, "not an absolute URL (scheme://host/...)", URL_ESYNTAX);
	if ((size_t)(p - s) >= sizeof u->scheme)
		return fail(why, "unsupported scheme", URL_ESCHEME);
	for (i = 0; s + i < p; i++)
		u->scheme[i] = (char)tb_lower((unsigned char)s[i]);
	u->scheme[i] = '\0';
	if (url_default_port(u->scheme) == 0)
		return fail(why, "unsupported scheme", URL_ESCHEME);
	/* authority */
	auth = p + 3;
	aend = auth + strcspn(auth, "/?#");
	at = NULL;
	for (p = auth; p < aend; p++)
		if (*p == '@')
			at = p;
	if (at) {
		colon = memchr(auth, ':', (size_t)(at - auth));
		u->has_user = 1;
		if (url_pct_decode(auth, (size_t)((colon ? colon : at) - auth), u->user,
		    sizeof u->user) < 0)
			return fail(why, "bad user name (control byte or too long)", URL_ESYNTAX);
		if (colon) {
			u->has_pass = 1;
			if (url_pct_decode(colon + 1, (size_t)(at - colon - 1), u->pass,
			    sizeof u->pass) < 0)
				return fail(why, "bad password (control byte or too long)",
				    URL_ESYNTAX);
		}
		hp = at + 1;
	} else {
		hp = auth;
	}
	if (hp < aend && *hp == '[') {
		const char *rb = memchr(hp, ']', (size_t)(aend - hp));
		const char *zone;
		size_t hl;

		if (rb == NULL)
			return fail(why, "unclosed '[' in host", URL_ESYNTAX);
		zone = memchr(hp + 1, '%', (size_t)(rb - hp - 1));
		hl = (size_t)((zone ? zone : rb) - hp - 1);
		if (!ipv6_ok(hp + 1, hl))
			return fail(why, "bad IPv6 literal", URL_ESYNTAX);
		if (hl >= sizeof u->host)
			return fail(why, "host too long", URL_ETOOLONG);
		for (i = 0; i < hl; i++)
			u->host[i] = (char)tb_lower((unsigned char)hp[1 + i]);
		if (zone) {
			/* RFC 6874: "%25" then the zone id */
			const char *z = zone + 3;

			if (rb - zone < 4 || zone[1] != '2' || zone[2] != '5')
				return fail(why, "bad IPv6 zone (write %25)", URL_ESYNTAX);
			if (hl + 1 + (size_t)(rb - z) >= sizeof u->host)
				return fail(why, "host too long", URL_ETOOLONG);
			u->host[hl++] = '%';
			for (; z < rb; z++) {
				if (!is_alpha((unsigned char)*z) && !is_digit((unsigned char)*z) &&
				    *z != '.' && *z != '-' && *z != '_' && *z != '~')
					return fail(why, "bad IPv6 zone", URL_ESYNTAX);
				u->host[hl++] = *z;
			}
		}
		u->host[hl] = '\0';
		u->ipv6 = 1;
		hend = rb + 1;
		if (hend < aend && *hend != ':')
			return fail(why, "junk after ']' in host", URL_ESYNTAX);
	} else {
		hend = memchr(hp, ':', (size_t)(aend - hp));
		if (hend == NULL)
			hend = aend;
		if ((size_t)(hend - hp) >= sizeof u->host)
			return fail(why, "host too long", URL_ETOOLONG);
		for (p = hp; p < hend; p++) {
			int c = (unsigned char)*p;

			if (!is_alpha(c) && !is_digit(c) && c != '.' && c != '-' && c != '_' &&
			    c != '~')
				return fail(why, "bad character in host name", URL_ESYNTAX);
			u->host[p - hp] = (char)tb_lower(c);
		}
		u->host[hend - hp] = '\0';
	}
	if (u->host[0] == '\0')
		return fail(why, "empty host", URL_ESYNTAX);
	u->port = url_default_port(u->scheme);
	if (hend < aend) {
		unsigned long v = 0;

		/* *hend == ':' */
		if (hend + 1 < aend) {
			for (p = hend + 1; p < aend; p++) {
				if (!is_digit((unsigned char)*p) || p - hend > 5)
					return fail(why, "bad port", URL_ESYNTAX);
				v = v * 10 + (unsigned long)(*p - '0');
			}
			if (v < 1 || v > 65535)
				return fail(why, "port out of range (1-65535)", URL_ESYNTAX);
			u->port = (uint16_t)v;
			u->port_given = 1;
		}
	}
	/* path and query; the fragment is dropped */
	o = 0;
	p = aend;
	if (*p != '/')
		u->path[o++] = '/';
	for (; *p && *p != '#'; p++)
		if (put_path(u->path, sizeof u->path, &o, (unsigned char)*p) < 0)
			return fail(why, "URL path too long", URL_ETOOLONG);
	u->path[o] = '\0';
	if (why)
		*why = NULL;
	return URL_OK;
}

static size_t
cat(char *out, size_t cap, size_t o, const char *s, size_t n)
{
	if (o < cap) {
		size_t k = cap - 1 - o < n ? cap - 1 - o : n;

		memcpy(out + o, s, k);
		out[o + k] = '\0';
	}
	return o + n;
}

size_t
url_hostport(const struct url *u, char *out, size_t cap)
{
	char pb[8];
	size_t o = 0, pn = 0;
	unsigned p = u->port;

	if (cap)
		out[0] = '\0';
	if (u->ipv6)
		o = cat(out, cap, o, "[", 1);
	/* a zone id never goes on the wire (RFC 6874 §3... host header) */
	o = cat(out, cap, o, u->host, strcspn(u->host, u->ipv6 ? "%" : ""));
	if (u->ipv6)
		o = cat(out, cap, o, "]", 1);
	if (u->port != url_default_port(u->scheme)) {
		char tmp[8];
		size_t k = 0;

		while (p) {
			tmp[k++] = (char)('0' + p % 10);
			p /= 10;
		}
		pb[pn++] = ':';
		while (k)
			pb[pn++] = tmp[--k];
		o = cat(out, cap, o, pb, pn);
	}
	return o;
}

size_t
url_format(const struct url *u, char *out, size_t cap)
{
	size_t o = 0;

	if (cap)
		out[0] = '\0';
	o = cat(out, cap, o, u->scheme, strlen(u->scheme));
	o = cat(out, cap, o, "://", 3);
	o += url_hostport(u, o < cap ? out + o : NULL, o < cap ? cap - o : 0);
	o = cat(out, cap, o, u->path, strlen(u->path));
	return o;
}

/* RFC 3986 §3 split: scheme, authority, path, query, fragment (ptr+len; ptr NULL when absent) */
struct parts {
	const char *sch, *auth, *path, *query, *frag;
	size_t nsch, nauth, npath, nquery, nfrag;
};

static void
split(const char *s, struct parts *r)
{
	const char *p = s;

	memset(r, 0, sizeof *r);
	while (is_alpha((unsigned char)*p) || (p > s && (is_digit((unsigned char)*p) ||
	    *p == '+' || *p == '-' || *p == '.')))
		p++;
	if (p > s && *p == ':') {
		r->sch = s;
		r->nsch = (size_t)(p - s);
		s = p + 1;
	}
	if (s[0] == '/' && s[1] == '/') {
		r->auth = s + 2;
		r->nauth = strcspn(r->auth, "/?#");
		s = r->auth + r->nauth;
	}
	r->path = s;
	r->npath = strcspn(s, "?#");
	s += r->npath;
	if (*s == '?') {
		r->query = s + 1;
		r->nquery = strcspn(r->query, "#");
		s = r->query + r->nquery;
	}
	if (*s == '#') {
		r->frag = s + 1;
		r->nfrag = strlen(r->frag);
	}
}

/* RFC 3986 §5.2.4 on buf (NUL-terminated, edited in place) */
static void
remove_dots(char *buf)
{
	char *in = buf, *out = buf;

	while (*in) {
		if (strncmp(in, "../", 3) == 0) {
			in += 3;
		} else if (strncmp(in, "./", 2) == 0) {
			in += 2;
		} else if (strncmp(in, "/./", 3) == 0) {
			in += 2;
		} else if (strcmp(in, "/.") == 0) {
			in[1] = '\0';
		} else if (strncmp(in, "/../", 4) == 0 || strcmp(in, "/..") == 0) {
			if (in[3] == '/')
				in += 3;
			else {
				in += 2;
				*in = '/';	/* "/.." -> "/" */
			}
			while (out > buf && *--out != '/')
				;
		} else if (strcmp(in, ".") == 0 || strcmp(in, "..") == 0) {
			in += strlen(in);
		} else {
			/* move the first segment (with its leading '/') */
			do
				*out++ = *in++;
			while (*in && *in != '/');
		}
	}
	*out = '\0';
}

int
url_resolve(const char *base, const char *ref, char *out, size_t cap)
{
	struct parts b, r;
	char path[URL_MAX + 1];
	const char *q = NULL, *auth = NULL, *sch;
	size_t nq = 0, nauth = 0, nsch, o = 0, pl = 0;
	int has_q = 0, has_auth = 0;

	split(base, &b);
	split(ref, &r);
	path[0] = '\0';
	if (r.sch) {
		sch = r.sch;
		nsch = r.nsch;
		has_auth = r.auth != NULL;
		auth = r.auth;
		nauth = r.nauth;
		pl = cat(path, sizeof path, 0, r.path, r.npath);
		has_q = r.query != NULL;
		q = r.query;
		nq = r.nquery;
	} else {
		sch = b.sch;
		nsch = b.nsch;
		if (r.auth) {
			has_auth = 1;
			auth = r.auth;
			nauth = r.nauth;
			pl = cat(path, sizeof path, 0, r.path, r.npath);
			has_q = r.query != NULL;
			q = r.query;
			nq = r.nquery;
		} else {
			has_auth = b.auth != NULL;
			auth = b.auth;
			nauth = b.nauth;
			if (r.npath == 0) {
				pl = cat(path, sizeof path, 0, b.path, b.npath);
				if (r.query) {
					has_q = 1;
					q = r.query;
					nq = r.nquery;
				} else {
					has_q = b.query != NULL;
					q = b.query;
					nq = b.nquery;
				}
			} else {
				if (r.path[0] == '/') {
					pl = cat(path, sizeof path, 0, r.path, r.npath);
				} else {
					/* §5.2.3 merge */
					if (b.auth && b.npath == 0) {
						pl = cat(path, sizeof path, 0, "/", 1);
					} else {
						const char *sl = NULL, *p;

						for (p = b.path; p < b.path + b.npath; p++)
							if (*p == '/')
								sl = p;
						if (sl)
							pl = cat(path, sizeof path, 0, b.path,
							    (size_t)(sl - b.path + 1));
					}
					pl = cat(path, sizeof path, pl, r.path, r.npath);
				}
				has_q = r.query != NULL;
				q = r.query;
				nq = r.nquery;
			}
		}
	}
	if (pl >= sizeof path)
		return -1;
	remove_dots(path);
	if (cap)
		out[0] = '\0';
	if (sch) {
		o = cat(out, cap, o, sch, nsch);
		o = cat(out, cap, o, ":", 1);
	}
	if (has_auth) {
		o = cat(out, cap, o, "//", 2);
		o = cat(out, cap, o, auth, nauth);
	}
	o = cat(out, cap, o, path, strlen(path));
	if (has_q) {
		o = cat(out, cap, o, "?", 1);
		o = cat(out, cap, o, q, nq);
	}
	if (r.frag) {
		o = cat(out, cap, o, "#", 1);
		o = cat(out, cap, o, r.frag, r.nfrag);
	}
	return o < cap ? 0 : -1;
}

int
url_filename(const struct url *u, char *out, size_t cap)
{
	const char *end = u->path + strcspn(u->path, "?");
	const char *seg = end;
	char tmp[URL_MAX];
	size_t i;

	while (seg > u->path && seg[-1] != '/')
		seg--;
	if (url_pct_decode(seg, (size_t)(end - seg), tmp, sizeof tmp) < 0)
		return -1;
	if (tmp[0] == '\0' || strcmp(tmp, ".") == 0 || strcmp(tmp, "..") == 0)
		return -1;
	for (i = 0; tmp[i]; i++)
		if (tmp[i] == '/' || tmp[i] == '\\')
			return -1;
	if (i >= cap)
		return -1;
	memcpy(out, tmp, i + 1);
	return 0;
}

/* a host name: labels of [A-Za-z0-9_-], 1..63 octets, one trailing dot allowed */
static int
name_ok(const char *s, size_t n, const char **why)
{
	size_t i, label = 0;

	if (n > 0 && s[n - 1] == '.')
		n--;	/* an absolute name: the dot is the root */
	if (n == 0)
		return fail(why, "no host", -1);
	if (n > 253)
		return fail(why, "host name over 253 octets", -1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (label == 0)
				return fail(why, "empty label in the host name", -1);
			label = 0;
			continue;
		}
		if (!is_alpha(c) && !is_digit(c) && c != '-' && c != '_')
			return fail(why, "bad character in the host name", -1);
		if (++label > 63)
			return fail(why, "host name label over 63 octets", -1);
	}
	if (label == 0)
		return fail(why, "empty label in the host name", -1);
	return 0;
}

int
url_host_port(const char *s, size_t n, char *host, size_t cap, uint16_t *port,
    const char **why)
{
	const char *h = s, *colon = NULL, *rb, *p;
	size_t hl, i;
	unsigned v = 0;

	if (cap > 0)
		host[0] = '\0';
	if (memchr(s, '\0', n) != NULL)
		return fail(why, "NUL byte", -1);
	if (n > 0 && s[0] == '[') {
		rb = memchr(s, ']', n);
		if (rb == NULL)
			return fail(why, "missing ] after the IPv6 address", -1);
		h = s + 1;
		hl = (size_t)(rb - h);
		if (rb + 1 < s + n) {
			if (rb[1] != ':')
				return fail(why, "text after ] that is not :PORT", -1);
			colon = rb + 1;
		}
		if (hl == 0)
			return fail(why, "no host", -1);
		if (!ipv6_ok(h, hl))
			return fail(why, "bad IPv6 address", -1);
	} else {
		for (i = 0; i < n; i++)
			if (s[i] == ':')
				colon = colon ? s + n : s + i;	/* two or more: bare IPv6 */
		if (colon == s + n) {
			/* a bare IPv6 literal: all of it, no port */
			colon = NULL;
			if (!ipv6_ok(s, n))
				return fail(why, "bad IPv6 address (a port after one needs [ ])", -1);
			hl = n;
		} else {
			hl = colon ? (size_t)(colon - s) : n;
			if (name_ok(s, hl, why) < 0)
				return -1;
		}
	}
	if (hl + 1 > cap)
		return fail(why, "host name too long", -1);
	memcpy(host, h, hl);
	host[hl] = '\0';
	if (colon == NULL)
		return 0;
	p = colon + 1;
	if (p == s + n)
		return fail(why, "empty port", -1);
	for (; p < s + n; p++) {
		if (!is_digit((unsigned char)*p))
			return fail(why, "port is not a number", -1);
		v = v * 10 + (unsigned)(*p - '0');
		if (v > 65535)
			return fail(why, "port out of range (1-65535)", -1);
	}
	if (v == 0)
		return fail(why, "port out of range (1-65535)", -1);
	*port = (uint16_t)v;
	return 1;
}

/* a[0..n) and b[0..n) equal but for ASCII case */
static int
ieqn(const char *a, const char *b, size_t n)
{
	return tb_memcaseeq(a, b, n);
}

int
url_no_proxy(const char *list, const char *host)
{
	size_t hl = strlen(host), k;
	const char *e;
	int literal;

	if (hl > 0 && host[hl - 1] == '.')
		hl--;
	if (hl == 0)
		return 0;
	/* an address has no names under it: 10.0.0.1 is not "under" 0.1 */
	literal = strchr(host, ':') != NULL || strspn(host, "0123456789.") == strlen(host);
	while (*list) {
		while (*list == ',' || *list == ' ' || *list == '\t')
			list++;
		k = strcspn(list, ", \t");
		e = list;
		list += k;
		if (k == 0)
			continue;
		if (k == 1 && e[0] == '*')
			return 1;
		if (k >= 2 && e[0] == '[' && e[k - 1] == ']') {
			e++;
			k -= 2;
		} else if (e[0] == '.') {
			e++;
			k--;
		}
		if (k > 0 && e[k - 1] == '.')
			k--;
		if (k == 0)
			continue;
		if (k == hl && ieqn(e, host, k))
			return 1;
		if (!literal && hl > k && host[hl - k - 1] == '.' && ieqn(e, host + hl - k, k))
			return 1;
	}
	return 0;
}
