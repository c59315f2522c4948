/*
 * cookie.c - HTTP cookies in memory (RFC 6265): see cookie.h.
 */
#include <string.h>

#include "cookie.h"
#include "date.h"

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int
is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

/* s[0..n) as lower-case ASCII equals the lower-case word w */
static int
eq_ci(const char *s, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (w[i] == '\0' || lower((unsigned char)s[i]) != w[i])
			return 0;
	return w[n] == '\0';
}

/* trim blanks at both ends of [*s, *s + *n) */
static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && is_wsp((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_wsp((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* a byte a Netscape file or a Cookie field cannot carry: controls, TAB, DEL */
static int
bad_bytes(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 1;
	return 0;
}

/* ".." somewhere in s[0..n): an empty label */
static int
memmem_dots(const char *s, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (s[i] == '.' && s[i - 1] == '.')
			return 1;
	return 0;
}

/* a domain as stored: letters, digits, '-', '_', '.', ':' (IPv6), '%' (zone) */
static int
bad_domain(const char *s, size_t n)
{
	size_t i;
	int c;

	if (n == 0 || n > 255 || s[0] == '.' || memmem_dots(s, n))
		return 1;
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-' &&
		    c != '_' && c != '.' && c != ':' && c != '%')
			return 1;
	}
	return 0;
}

/* an IP literal: any ':' (IPv6), or only digits and dots (IPv4) */
static int
is_ip_n(const char *h, size_t n)
{
	size_t i;

	if (memchr(h, ':', n))
		return 1;
	for (i = 0; i < n; i++)
		if (h[i] != '.' && (h[i] < '0' || h[i] > '9'))
			return 0;
	return n > 0;
}

static int
is_ip(const char *h)
{
	return is_ip_n(h, strlen(h));
}

int
ck_domain_match(const char *host, const char *domain)
{
	size_t hn = strlen(host), dn = strlen(domain);

	if (hn == dn)
		return memcmp(host, domain, hn) == 0;
	return dn > 0 && hn > dn && memcmp(host + hn - dn, domain, dn) == 0 &&
	    host[hn - dn - 1] == '.' && !is_ip(host);
}

/* RFC 6265 5.1.4: does the request path match the cookie path? */
static int
path_match(const char *req, size_t rn, const char *cp)
{
	size_t cn = strlen(cp);

	if (cn > rn || memcmp(req, cp, cn) != 0)
		return 0;
	return cn == rn || cp[cn - 1] == '/' || req[cn] == '/';
}

/* the request path without its query, and its length */
static size_t
req_path(const char *path, const char **p)
{
	size_t n = strcspn(path, "?#");

	*p = path;
	if (n == 0 || path[0] != '/') {
		*p = "/";
		return 1;
	}
	return n;
}

/* --- cookie-date (5.1.1) ------------------------------------------------- */

static int
is_delim(int c)
{
	return c == 0x09 || (c >= 0x20 && c <= 0x2f) || (c >= 0x3b && c <= 0x40) ||
	    (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

/* min..max digits at s[*i], value into *v; 0 or -1 */
static int
digits(const char *s, size_t n, size_t *i, int min, int max, int *v)
{
	int k = 0;

	*v = 0;
	while (*i < n && k < max && s[*i] >= '0' && s[*i] <= '9') {
		*v = *v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	return k >= min ? 0 : -1;
}

/* the token ends here or goes on with a non-digit */
static int
nondigit_end(const char *s, size_t n, size_t i)
{
	return i >= n || s[i] < '0' || s[i] > '9';
}

int
ck_date(const char *s, size_t n, int64_t *t)
{
	static const char mo[12][4] = { "jan", "feb", "mar", "apr", "may", "jun", "jul",
	    "aug", "sep", "oct", "nov", "dec" };
	int have_time = 0, have_day = 0, have_mon = 0, have_year = 0;
	int hh = 0, mm = 0, ss = 0, day = 0, mon = 0, year = 0, v, m;
	size_t i = 0, a, j;

	while (i < n) {
		while (i < n && is_delim((unsigned char)s[i]))
			i++;
		a = i;
		while (i < n && !is_delim((unsigned char)s[i]))
			i++;
		if (a == i)
			break;
		j = a;
		if (!have_time && digits(s, i, &j, 1, 2, &hh) == 0 && j < i && s[j] == ':' &&
		    (j++, digits(s, i, &j, 1, 2, &mm) == 0) && j < i && s[j] == ':' &&
		    (j++, digits(s, i, &j, 1, 2, &ss) == 0) && nondigit_end(s, i, j)) {
			have_time = 1;
			continue;
		}
		j = a;
		if (!have_day && digits(s, i, &j, 1, 2, &v) == 0 && nondigit_end(s, i, j)) {
			day = v;
			have_day = 1;
			continue;
		}
		if (!have_mon && i - a >= 3) {
			for (m = 0; m < 12; m++)
				if (eq_ci(s + a, 3, mo[m]))
					break;
			if (m < 12) {
				mon = m + 1;
				have_mon = 1;
				continue;
			}
		}
		j = a;
		if (!have_year && digits(s, i, &j, 2, 4, &v) == 0 && nondigit_end(s, i, j)) {
			year = v;
			have_year = 1;
		}
	}
	if (!have_time || !have_day || !have_mon || !have_year)
		return -1;
	if (year >= 70 && year <= 99)
		year += 1900;
	else if (year <= 69)
		year += 2000;
	if (day < 1 || day > 31 || year < 1601 || hh > 23 || mm > 59 || ss > 59)
		return -1;
	/* February 30 is not a date: it must come back as the same day */
	{
		int64_t d = days_from_civil(year, mon, day), y;
		int cm, cd;

		civil_from_days(d, &y, &cm, &cd);
		if (cm != mon || cd != day)
			return -1;
		*t = d * 86400 + hh * 3600 + mm * 60 + ss;
	}
	return 0;
}

/* --- the jar --------------------------------------------------------------- */

void
ck_init(struct ck_jar *j)
{
	j->n = 0;
	j->seq = 0;
}

void
ck_free(struct ck_jar *j)
{
	memset(j->c, 0, j->n * sizeof j->c[0]);
	j->n = 0;
}

static int
expired(const struct ck *c, int64_t now)
{
	return c->expires != 0 && c->expires <= now;
}

static void
drop(struct ck_jar *j, size_t i)
{
	if (i != --j->n)
		j->c[i] = j->c[j->n];
	memset(&j->c[j->n], 0, sizeof j->c[0]);
}

/* a cookie to store: its fields, not yet copied */
struct ck_new {
	const char *name, *value, *domain, *path;
	size_t nname, nvalue, ndomain, npath;
	int64_t expires;
	int host_only, secure, httponly;
};

/* 5.3 steps 11-12: replace, or add within the bounds; a ck_err */
static int
store(struct ck_jar *j, const struct ck_new *w, int64_t now)
{
	struct ck *c;
	size_t i, same = 0, total;
	uint64_t seq;
	char *s;

	if (w->nname == 0 || bad_bytes(w->name, w->nname) || bad_bytes(w->value, w->nvalue) ||
	    memchr(w->name, '=', w->nname) || memchr(w->name, ';', w->nname) ||
	    memchr(w->value, ';', w->nvalue) || bad_domain(w->domain, w->ndomain) ||
	    w->npath == 0 || w->path[0] != '/' || bad_bytes(w->path, w->npath) ||
	    memchr(w->path, ' ', w->npath) || memchr(w->path, ';', w->npath))
		return CK_ESYNTAX;
	total = w->nname + w->nvalue + w->ndomain + w->npath;
	if (total > CK_ONE_MAX)
		return CK_ELONG;
	for (i = 0; i < j->n; i++)
		if (expired(&j->c[i], now))
			drop(j, i--);
	seq = ++j->seq;
	for (i = 0; i < j->n; i++) {
		c = &j->c[i];
		if (strlen(CK_DOMAIN(c)) != w->ndomain || memcmp(CK_DOMAIN(c), w->domain, w->ndomain))
			continue;
		if (strlen(CK_NAME(c)) == w->nname && memcmp(CK_NAME(c), w->name, w->nname) == 0 &&
		    strlen(CK_PATH(c)) == w->npath && memcmp(CK_PATH(c), w->path, w->npath) == 0) {
			seq = c->seq;	/* 5.3 step 11: the old creation time */
			drop(j, i);
			break;
		}
	}
	if (w->expires != 0 && w->expires <= now)
		return CK_EXPIRED;
	for (i = 0; i < j->n; i++)
		if (strlen(CK_DOMAIN(&j->c[i])) == w->ndomain &&
		    memcmp(CK_DOMAIN(&j->c[i]), w->domain, w->ndomain) == 0)
			same++;
	if (same >= CK_DOMAIN_MAX) {
		/* the domain's oldest goes: one site cannot push out another's */
		size_t old = j->n;

		for (i = 0; i < j->n; i++)
			if (strlen(CK_DOMAIN(&j->c[i])) == w->ndomain &&
			    memcmp(CK_DOMAIN(&j->c[i]), w->domain, w->ndomain) == 0 &&
			    (old == j->n || j->c[i].seq < j->c[old].seq))
				old = i;
		drop(j, old);
	}
	if (j->n >= CK_ALL_MAX)
		return CK_EFULL;
	c = &j->c[j->n++];
	s = c->s;
	memcpy(s, w->name, w->nname);
	s[w->nname] = '\0';
	c->value = (uint16_t)(w->nname + 1);
	memcpy(s + c->value, w->value, w->nvalue);
	s[c->value + w->nvalue] = '\0';
	c->domain = (uint16_t)(c->value + w->nvalue + 1);
	memcpy(s + c->domain, w->domain, w->ndomain);
	s[c->domain + w->ndomain] = '\0';
	c->path = (uint16_t)(c->domain + w->ndomain + 1);
	memcpy(s + c->path, w->path, w->npath);
	s[c->path + w->npath] = '\0';
	c->expires = w->expires;
	c->seq = seq;
	c->host_only = w->host_only;
	c->secure = w->secure;
	c->httponly = w->httponly;
	return CK_OK;
}

/* --- Set-Cookie (5.2, 5.3) ------------------------------------------------ */

int
ck_set(struct ck_jar *j, const char *v, size_t n, const char *host, const char *path,
    int https, int64_t now)
{
	struct ck_new w;
	char dom[256];
	const char *p, *e, *end = v + n, *an, *av, *rp, *slash;
	size_t nan, nav, rn, k;
	int64_t expires = 0, t;
	int have_maxage = 0;

	if (n > CK_LINE_MAX)
		return CK_ELONG;
	memset(&w, 0, sizeof w);
	e = memchr(v, ';', n);
	if (e == NULL)
		e = end;
	if ((p = memchr(v, '=', (size_t)(e - v))) == NULL)
		return CK_ESYNTAX;
	w.name = v;
	w.nname = (size_t)(p - v);
	trim(&w.name, &w.nname);
	w.value = p + 1;
	w.nvalue = (size_t)(e - p - 1);
	trim(&w.value, &w.nvalue);
	if (w.nname == 0)
		return CK_ESYNTAX;
	while (e < end) {
		p = e + 1;
		if ((e = memchr(p, ';', (size_t)(end - p))) == NULL)
			e = end;
		an = p;
		av = memchr(p, '=', (size_t)(e - p));
		nan = (size_t)((av ? av : e) - p);
		if (av) {
			av++;
			nav = (size_t)(e - av);
		} else {
			av = e;
			nav = 0;
		}
		trim(&an, &nan);
		trim(&av, &nav);
		if (eq_ci(an, nan, "expires")) {
			if (!have_maxage && ck_date(av, nav, &t) == 0)
				expires = t <= 0 ? 1 : t > CK_EXPIRY_MAX ? CK_EXPIRY_MAX : t;
		} else if (eq_ci(an, nan, "max-age")) {
			int neg = nav > 0 && av[0] == '-';
			int64_t d = 0;

			for (k = neg; k < nav && av[k] >= '0' && av[k] <= '9'; k++)
				if (d < CK_EXPIRY_MAX)
					d = d * 10 + (av[k] - '0');
			if (nav == 0 || k != nav || nav == (size_t)neg)
				continue;	/* not a number: ignored */
			have_maxage = 1;
			/* 5.2.2: zero or less is "the earliest time": expired now */
			expires = neg || d == 0 ? 1 : d >= CK_EXPIRY_MAX - now ? CK_EXPIRY_MAX :
			    now + d;
		} else if (eq_ci(an, nan, "domain") && nav > 0) {
			if (av[0] == '.') {
				av++;
				nav--;
			}
			if (nav == 0 || nav >= sizeof dom)
				return CK_EDOMAIN;
			for (k = 0; k < nav; k++)
				dom[k] = (char)lower((unsigned char)av[k]);
			dom[nav] = '\0';
			w.domain = dom;
			w.ndomain = nav;
		} else if (eq_ci(an, nan, "path")) {
			if (nav > 0 && av[0] == '/') {
				w.path = av;
				w.npath = nav;
			} else
				w.path = NULL;	/* 5.2.4: the default path */
		} else if (eq_ci(an, nan, "secure"))
			w.secure = 1;
		else if (eq_ci(an, nan, "httponly"))
			w.httponly = 1;
		/* SameSite and anything else: accepted, ignored */
	}
	if (w.domain) {
		if (strcmp(dom, host) == 0) {
			/* Domain=host: host-only when it has no inner dot or is an IP */
			w.host_only = strchr(dom, '.') == NULL || is_ip(host);
		} else if (!ck_domain_match(host, dom) || strchr(dom, '.') == NULL)
			return CK_EDOMAIN;
	} else {
		w.domain = host;
		w.ndomain = strlen(host);
		w.host_only = 1;
	}
	if (w.secure && !https)
		return CK_ESECURE;
	if (w.path == NULL) {
		/* 5.1.4: the default path is the request's directory */
		rn = req_path(path, &rp);
		slash = NULL;
		for (k = 0; k < rn; k++)
			if (rp[k] == '/')
				slash = rp + k;
		w.path = rp;
		w.npath = slash == NULL || slash == rp ? 1 : (size_t)(slash - rp);
		if (slash == NULL)
			w.path = "/";
	}
	w.expires = expires;
	return store(j, &w, now);
}

/* --- the Netscape file ------------------------------------------------------ */

size_t
ck_load(struct ck_jar *j, const char *s, size_t n, int64_t now)
{
	struct ck_new w;
	const char *end = s + n, *le, *f[7], *p;
	size_t nf[7], refused = 0, k, ln;
	int64_t t;
	int i, nfields;

	for (; s < end; s = le + (le < end)) {
		if ((le = memchr(s, '\n', (size_t)(end - s))) == NULL)
			le = end;
		ln = (size_t)(le - s);
		if (ln > 0 && s[ln - 1] == '\r')
			ln--;
		memset(&w, 0, sizeof w);
		if (ln >= 10 && memcmp(s, "#HttpOnly_", 10) == 0) {
			w.httponly = 1;
			s += 10;
			ln -= 10;
		} else if (ln == 0 || s[0] == '#')
			continue;
		for (nfields = 0, p = s; nfields < 7; nfields++) {
			const char *tab = memchr(p, '\t', (size_t)(s + ln - p));

			f[nfields] = p;
			nf[nfields] = (size_t)((tab ? tab : s + ln) - p);
			if (tab == NULL) {
				nfields++;
				break;
			}
			p = tab + 1;
		}
		if (nfields == 6) {	/* as curl: no value field is an empty value */
			f[6] = "";
			nf[6] = 0;
		} else if (nfields != 7 || memchr(f[6], '\t', nf[6])) {
			refused++;
			continue;
		}
		w.domain = f[0];
		w.ndomain = nf[0];
		if (w.ndomain > 0 && w.domain[0] == '.') {
			w.domain++;
			w.ndomain--;
		}
		if (eq_ci(f[1], nf[1], "true"))
			w.host_only = 0;
		else if (eq_ci(f[1], nf[1], "false"))
			w.host_only = 1;
		else {
			refused++;
			continue;
		}
		w.path = f[2];
		w.npath = nf[2];
		if (eq_ci(f[3], nf[3], "true"))
			w.secure = 1;
		else if (!eq_ci(f[3], nf[3], "false")) {
			refused++;
			continue;
		}
		for (t = 0, k = 0; k < nf[4] && f[4][k] >= '0' && f[4][k] <= '9'; k++)
			if ((t = t * 10 + (f[4][k] - '0')) > CK_EXPIRY_MAX)
				t = CK_EXPIRY_MAX;
		if (nf[4] == 0 || k != nf[4]) {
			refused++;
			continue;
		}
		w.expires = t;
		w.name = f[5];
		w.nname = nf[5];
		w.value = f[6];
		w.nvalue = nf[6];
		for (k = 0; k < w.ndomain; k++)
			if (w.domain[k] >= 'A' && w.domain[k] <= 'Z')
				break;
		if (k < w.ndomain || (!w.host_only && (is_ip_n(w.domain, w.ndomain) ||
		    memchr(w.domain, '.', w.ndomain) == NULL))) {
			refused++;
			continue;
		}
		if (t != 0 && t <= now)
			continue;	/* expired: dropped, not refused */
		i = store(j, &w, now);
		if (i != CK_OK)
			refused++;
	}
	return refused;
}

/* append s[0..n) at *len when it fits in cap (room for a NUL kept) */
static void
put(char *out, size_t cap, size_t *len, const char *s, size_t n)
{
	if (*len + n < cap)
		memcpy(out + *len, s, n);
	*len += n;
}

static void
puts0(char *out, size_t cap, size_t *len, const char *s)
{
	put(out, cap, len, s, strlen(s));
}

size_t
ck_save(const struct ck_jar *j, char *out, size_t cap, int64_t now)
{
	static const char hdr[] = "# Netscape HTTP Cookie File\n"
	    "# https://curl.se/docs/http-cookies.html\n"
	    "# This file was generated by httpget (tubes). Edit at your own risk.\n\n";
	const struct ck *c;
	char num[24];
	size_t len = 0, i, k;
	int64_t t;

	puts0(out, cap, &len, hdr);
	for (i = 0; i < j->n; i++) {
		c = &j->c[i];
		if (expired(c, now))
			continue;
		if (c->httponly)
			puts0(out, cap, &len, "#HttpOnly_");
		if (!c->host_only)
			puts0(out, cap, &len, ".");
		puts0(out, cap, &len, CK_DOMAIN(c));
		puts0(out, cap, &len, c->host_only ? "\tFALSE\t" : "\tTRUE\t");
		puts0(out, cap, &len, CK_PATH(c));
		puts0(out, cap, &len, c->secure ? "\tTRUE\t" : "\tFALSE\t");
		k = sizeof num;
		t = c->expires;
		num[--k] = '\0';
		do {
			num[--k] = (char)('0' + t % 10);
			t /= 10;
		} while (t > 0);
		puts0(out, cap, &len, num + k);
		puts0(out, cap, &len, "\t");
		puts0(out, cap, &len, CK_NAME(c));
		puts0(out, cap, &len, "\t");
		puts0(out, cap, &len, CK_VALUE(c));
		puts0(out, cap, &len, "\n");
	}
	if (cap > 0)
		out[len < cap ? len : cap - 1] = '\0';
	return len;
}

/* the order of 5.4 step 2: longer paths first, then earlier creation */
static int
before(const struct ck *a, const struct ck *b)
{
	size_t la = strlen(CK_PATH(a)), lb = strlen(CK_PATH(b));

	return la != lb ? la > lb : a->seq < b->seq;
}

size_t
ck_header(const struct ck_jar *j, const char *host, const char *path, int https,
    int64_t now, char *out, size_t cap)
{
	const struct ck *pick[CK_ALL_MAX], *c;
	const char *rp;
	size_t rn = req_path(path, &rp), np = 0, i, k, len = 0, need;

	if (cap > 0)
		out[0] = '\0';
	for (i = 0; i < j->n && np < CK_ALL_MAX; i++) {
		c = &j->c[i];
		if (expired(c, now) || (c->secure && !https) ||
		    !(c->host_only ? strcmp(host, CK_DOMAIN(c)) == 0 :
		    ck_domain_match(host, CK_DOMAIN(c))) || !path_match(rp, rn, CK_PATH(c)))
			continue;
		for (k = np++; k > 0 && before(c, pick[k - 1]); k--)
			pick[k] = pick[k - 1];
		pick[k] = c;
	}
	for (i = 0; i < np; i++) {
		c = pick[i];
		need = (len ? 2 : 0) + strlen(CK_NAME(c)) + 1 + strlen(CK_VALUE(c));
		if (len + need >= cap)
			continue;	/* whole cookies only */
		if (len)
			put(out, cap, &len, "; ", 2);
		puts0(out, cap, &len, CK_NAME(c));
		put(out, cap, &len, "=", 1);
		puts0(out, cap, &len, CK_VALUE(c));
		out[len] = '\0';
	}
	return len;
}
