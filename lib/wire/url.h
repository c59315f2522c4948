/*
 * url.h - URLs for the transfer commands (http, https, ftp, pop3): a strict
 * parser and RFC 3986 relative-reference resolution.  Wire code: no system
 * calls.
 *
 *   struct url u;
 *   const char *why;
 *   if (url_parse("http://user@[::1]:8080/a%20b?q=1#frag", &u, &why) < 0)
 *           tb_die(EXIT_LOCAL, "bad URL: %s", why);
 *   // u.scheme "http", u.user "user", u.host "::1", u.ipv6 1,
 *   // u.port 8080, u.path "/a%20b?q=1" (the request target)
 *
 * What is refused (every case has a unit test in tests/unit/t_url.c):
 *   - any byte below 0x21 (CR, LF, NUL, space, tab...) or DEL anywhere,
 *     before or after decoding of the user name and password (HTTP-20);
 *   - a '%' not followed by two hex digits;
 *   - a scheme other than http, https, ftp, pop3 (URL_ESCHEME, so a caller
 *     can say "redirect to file:// refused"), or no "scheme://" at all;
 *   - an empty host, a host with characters outside [A-Za-z0-9.-_~]
 *     (no percent-encoded host names), a malformed IPv6 literal;
 *   - a port that is not 1..65535 decimal digits.
 * Bytes >= 0x80 in the path, query or fragment are percent-encoded into
 * u.path (what browsers and curl send).  The fragment is dropped: it
 * never travels.
 */
#ifndef TUBES_URL_H
#define TUBES_URL_H

#include <stddef.h>
#include <stdint.h>

#define URL_MAX 8192		/* longest URL accepted */

enum url_err {
	URL_OK = 0,
	URL_ESYNTAX = -1,	/* not a URL, or a forbidden byte */
	URL_ESCHEME = -2,	/* well-formed "scheme://" but not one we speak */
	URL_ETOOLONG = -3,	/* a part is longer than its buffer */
};

struct url {
	char scheme[16];	/* lower case; filled even for URL_ESCHEME */
	char user[256];		/* percent-decoded; "" when absent */
	char pass[256];		/* percent-decoded; "" when absent */
	int has_user, has_pass;	/* "user@", "user:pass@" (pass may be "") */
	char host[256];		/* lower case; an IPv6 literal without brackets,
				   a zone "%25eth0" decoded to "%eth0" */
	int ipv6;		/* host came in brackets */
	uint16_t port;		/* the explicit port, else the scheme's default */
	int port_given;		/* the URL named a port */
	char path[URL_MAX];	/* path and "?query", still percent-encoded, never
				   empty: "/" when the URL had no path */
};

/* 0 (URL_OK) or a negative enum url_err with *why saying what is wrong */
int url_parse(const char *s, struct url *u, const char **why);
/*
 * Percent-decode n bytes of s into out (NUL-terminated): -1 on a bad
 * escape, a control byte (below 0x20, or DEL; a NUL, CR or LF among
 * them) or no room.  The one decoder: ftpget's paths use it too.
 */
int url_pct_decode(const char *s, size_t n, char *out, size_t cap);
/* the scheme's well-known port, 0 if unknown */
uint16_t url_default_port(const char *scheme);
/*
 * The URL back as a string without user info or fragment:
 * "http://[::1]:8080/x".  The port is written only when not the default.
 * Returns the length wanted (like snprintf); out is always terminated.
 */
size_t url_format(const struct url *, char *out, size_t cap);
/* "host", "host:port", "[v6]" or "[v6]:port" (HTTP Host header) */
size_t url_hostport(const struct url *, char *out, size_t cap);
/*
 * RFC 3986 §5.2: resolve the reference ref (absolute URL, "//host/x",
 * "/abs", "rel", "?q", "#f", "../x") against the absolute URL base,
 * removing dot segments.  0, or -1 if out is too small.  The result is
 * not validated: pass it to url_parse.  A fragment is kept if ref has one.
 */
int url_resolve(const char *base, const char *ref, char *out, size_t cap);
/*
 * The last path segment, percent-decoded, as a safe local file name
 * (HTTP-21): no '/', '\\', control bytes, not "", "." or "..".
 * 0, or -1 when no safe name exists.
 */
int url_filename(const struct url *, char *out, size_t cap);
/*
 * Does a proxy exception list (no_proxy / NO_PROXY: entries separated
 * by commas or blanks) cover host?  An entry "*" covers every host; an
 * entry "example.com" or ".example.com" covers that name and every name
 * under it (a.example.com), never one that merely ends the same way
 * (badexample.com); an IP literal covers that address written the same
 * way.  Case does not matter, nor one trailing dot on either side; an
 * IPv6 literal may be given in brackets.  1 or 0.
 */
int url_no_proxy(const char *list, const char *host);

/*
 * A server given as HOST[:PORT] on a command line (smtpsend -s): a name
 * ("mx.example.", one trailing dot kept: an absolute name), an IPv4
 * address, "[v6]" or "[v6]:port", or a bare IPv6 literal (two colons or
 * more: all of it is the host, no port).  The n bytes of s need no NUL;
 * one inside is refused.  Refused with *why: an empty host or port, a
 * port that is not 1..65535 in decimal digits, a missing ']', text after
 * it that is not ":PORT", a bad IPv6 literal, a name with a byte outside
 * [A-Za-z0-9._-], an empty label, a label over 63 or a name over 253
 * octets.  Returns 1 with *port set (a port was given), 0 (none: *port
 * untouched), or -1.  host gets the name or literal, brackets removed.
 */
int url_host_port(const char *s, size_t n, char *host, size_t cap, uint16_t *port,
    const char **why);

#endif
