/*
 * cookie.h - HTTP cookies (RFC 6265) in memory: a jar, Set-Cookie
 * parsing (section 5.2) and storage (5.3), the Cookie field of a
 * request (5.4), and the Netscape cookie file that curl and wget share
 * (7 TAB-separated fields: domain, include-subdomains TRUE/FALSE, path,
 * secure TRUE/FALSE, expiry in Unix seconds (0: a session cookie), name,
 * value; "#HttpOnly_" before the domain marks HttpOnly, other lines
 * starting with '#' are comments).  No system calls: the caller passes
 * the current time (Unix seconds) and does the file I/O.
 *
 * There is no public-suffix list: a Domain attribute without an inner
 * dot ("com", "localhost" for another host) is refused, but
 * "Domain=co.uk" is not.  Cookies are credentials; the bounds below keep
 * a hostile server from growing the jar without end.
 */
#ifndef TUBES_COOKIE_H
#define TUBES_COOKIE_H

#include <stddef.h>
#include <stdint.h>

#define CK_ONE_MAX 4096		/* name, value, domain and path of one cookie, bytes */
#define CK_DOMAIN_MAX 50	/* cookies of one domain */
#define CK_ALL_MAX 1000		/* cookies in the jar */
#define CK_LINE_MAX 8192	/* a longer Set-Cookie value is ignored */
#define CK_EXPIRY_MAX 253402300799LL	/* 9999-12-31T23:59:59Z */

enum ck_err {
	CK_OK = 0,
	CK_ESYNTAX = -1,	/* no name=value, an empty name, a control byte */
	CK_ELONG = -2,		/* over CK_LINE_MAX or CK_ONE_MAX */
	CK_EDOMAIN = -3,	/* Domain does not match the host, or has no inner dot */
	CK_ESECURE = -4,	/* Secure set over plain http (as curl, RFC 6265bis) */
	CK_EFULL = -5,		/* the jar holds CK_ALL_MAX live cookies */
	CK_EXPIRED = 1,		/* taken: it removed a cookie (or was already expired) */
};

/* a cookie: its fields NUL-terminated in s, at 0 (the name) and the offsets */
struct ck {
	uint16_t value, domain, path;
	int64_t expires;	/* Unix seconds; 0: until the end of the run */
	uint64_t seq;		/* creation order (kept when a cookie is replaced) */
	int host_only, secure, httponly;
	char s[CK_ONE_MAX + 4];
};
#define CK_NAME(c) ((c)->s)
#define CK_VALUE(c) ((c)->s + (c)->value)
#define CK_DOMAIN(c) ((c)->s + (c)->domain)
#define CK_PATH(c) ((c)->s + (c)->path)

/* the jar (about 4 MiB: a static or heap object); no allocation in here */
struct ck_jar {
	size_t n;
	uint64_t seq;
	struct ck c[CK_ALL_MAX];
};

void ck_init(struct ck_jar *);
/* every cookie wiped (they are credentials) */
void ck_free(struct ck_jar *);

/*
 * One Set-Cookie value v[0..n) received from host (lower case; an IP
 * literal without brackets) for the request path (query allowed) over
 * https or not.  CK_OK or CK_EXPIRED taken, else a negative ck_err.
 */
int ck_set(struct ck_jar *, const char *v, size_t n, const char *host, const char *path,
    int https, int64_t now);

/*
 * A Netscape cookie file's text: every valid line that has not expired
 * is taken (the rules of ck_set's storage: bounds, bytes).  The number
 * of lines refused (not comments or blank ones).
 */
size_t ck_load(struct ck_jar *, const char *s, size_t n, int64_t now);

/*
 * The jar as a Netscape cookie file, header comments first, every
 * cookie that has not expired (session ones too), into out[0..cap)
 * NUL-terminated when it fits.  Returns the length it needs (without
 * the NUL), as snprintf: call with cap 0 to size the buffer.
 */
size_t ck_save(const struct ck_jar *, char *out, size_t cap, int64_t now);

/*
 * The cookies for a request to host and path (its query ignored) over
 * https or not, as "n=v; n2=v2" (longer paths first, then older ones)
 * into out[0..cap), whole cookies only, NUL-terminated.  Returns the
 * length (0: none).
 */
size_t ck_header(const struct ck_jar *, const char *host, const char *path, int https,
    int64_t now, char *out, size_t cap);

/* RFC 6265 5.1.3: does host domain-match domain (both lower case)? */
int ck_domain_match(const char *host, const char *domain);
/* RFC 6265 5.1.1 cookie-date: 0 with *t (Unix seconds), or -1 */
int ck_date(const char *s, size_t n, int64_t *t);

#endif
