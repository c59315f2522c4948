/*
 * resolv.c - the stub resolver every command uses: literals, the hosts
 * file, then DNS (resolv.conf servers, over lib's DNS codec).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addrsel.h"
#include "resolv.h"
#include "tubes.h"
#include "wire.h"

#define HOSTS_MAX (16 << 20)

static int
name_eq(const char *a, const char *b, size_t blen)
{
	size_t alen = strlen(a);

	/* a trailing dot is the same name */
	if (alen && a[alen - 1] == '.')
		alen--;
	if (blen && b[blen - 1] == '.')
		blen--;
	return alen == blen && tb_memcaseeq(a, b, alen);
}

/*
 * Hosts file: "addr name alias..." lines, # comments.  Returns the
 * number of addresses found for name, or for a reverse lookup (rev set)
 * copies the first name of rev's line into name.
 */
static int
hosts_scan(const char *name, int family, struct tb_addr *out, int max,
    const struct tb_addr *rev, char *rname, size_t rcap)
{
	const char *path = getenv("TUBES_HOSTS");
	char *buf, *line, *save = NULL;
	int n = 0;

	if (path == NULL || *path == '\0')
		path = "/etc/hosts";
	if ((buf = tb_slurp(path, HOSTS_MAX, NULL)) == NULL)
		return errno == ENOMEM ? -1 : 0;	/* no hosts file is no match */
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *p = line, *tok, *hash, *s2 = NULL;
		struct tb_addr a;

		if ((hash = strchr(p, '#')) != NULL)
			*hash = '\0';
		if ((tok = strtok_r(p, " \t\r", &s2)) == NULL || tb_addr_parse(tok, &a) < 0)
			continue;
		while ((tok = strtok_r(NULL, " \t\r", &s2)) != NULL) {
			if (rev) {
				if (tb_addr_eq(&a, rev)) {
					snprintf(rname, rcap, "%s", tok);
					tb_free(buf);
					return 1;
				}
				break;
			}
			if (!name_eq(name, tok, strlen(tok)))
				continue;
			if (family != AF_UNSPEC && a.family != family)
				break;
			if (n < max)
				out[n++] = a;
			break;
		}
	}
	tb_free(buf);
	return n;
}

/*
 * A string meant as an address, not a name: one with a ':' (no host
 * name has one), or whose last label is all digits (no top-level domain
 * is: RFC 3696 2), as 10.200.1.300 or 1.2.3.  If tb_addr_parse refused
 * it, it is a mistyped literal: asking the DNS for it would only turn a
 * typo into a slow NXDOMAIN, or worse an answer from a wildcard.
 */
static int
looks_literal(const char *s)
{
	size_t n = strlen(s), i;

	if (strchr(s, ':'))
		return 1;
	if (n && s[n - 1] == '.')
		n--;	/* the root's dot */
	for (i = n; i > 0 && s[i - 1] != '.'; i--)
		if (!isdigit((unsigned char)s[i - 1]))
			return 0;
	return i < n;	/* a last label, all digits */
}

int
tb_lookup_failed(const char *host, int r, const char *why, char *buf, size_t n)
{
	char h[300];

	tb_escape_buf(h, sizeof h, host, strlen(host));
	if (r == 0) {
		snprintf(buf, n, "%s: no such host", h);
		return EXIT_NO;
	}
	if (r == -1) {
		snprintf(buf, n, "lookup of %s failed: %s", h, why ? why : "no answer");
		return EXIT_NET;
	}
	snprintf(buf, n, "%s: %s", h, why ? why : "cannot be looked up");
	return EXIT_LOCAL;
}

int
tb_resolve(const char *name, int family, struct tb_addr *out, int max, const char **why)
{
	struct tb_addr a;
	int n;

	*why = NULL;
	if (max <= 0)
		return 0;
	if (tb_addr_parse(name, &a) == 0) {
		if (family != AF_UNSPEC && a.family != family) {
			*why = family == AF_INET ? "not an IPv4 address" : "not an IPv6 address";
			return -2;
		}
		out[0] = a;
		return 1;
	}
	if (looks_literal(name)) {
		*why = "invalid address";
		return -2;
	}
	if (*name == '\0' || strlen(name) > 253 + 1) {
		*why = "invalid host name";
		return -2;
	}
	if ((n = hosts_scan(name, family, out, max, NULL, NULL, 0)) > 0)
		return n;
	if (n < 0) {
		*why = "out of memory";
		return -2;
	}
	return resolv_dns(name, family, out, max, why);
}

/* the source the kernel would use towards a; 0, or -1 if it has no route */
static int
kernel_source(const struct tb_addr *a, struct tb_addr *src)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, r = -1;

	if ((fd = socket(a->family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	sl = tb_sockaddr(a, 9, &ss);	/* any port: a UDP connect sends nothing */
	if (connect(fd, (struct sockaddr *)&ss, sl) == 0) {
		sl = sizeof ss;
		if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0 &&
		    tb_from_sockaddr((struct sockaddr *)&ss, src, NULL) == 0)
			r = 0;
	}
	close(fd);
	return r;
}

void
tb_addr_order(struct tb_addr *addrs, int n, struct tb_addr *srcs)
{
	struct as_cand c[16];
	struct tb_addr in[16], is[16];
	int i;

	if (n > 16)
		n = 16;		/* the rest stay where they are */
	for (i = 0; i < n; i++) {
		memset(&c[i], 0, sizeof c[i]);
		memset(&is[i], 0, sizeof is[i]);
		in[i] = addrs[i];
		if (addrs[i].family == AF_INET)
			as_map4(c[i].dst, addrs[i].a);
		else
			memcpy(c[i].dst, addrs[i].a, 16);
		if (kernel_source(&addrs[i], &is[i]) == 0) {
			c[i].have_src = 1;
			if (is[i].family == AF_INET)
				as_map4(c[i].src, is[i].a);
			else
				memcpy(c[i].src, is[i].a, 16);
		} else {
			is[i].family = 0;
		}
	}
	as_sort(c, (size_t)n);
	for (i = 0; i < n; i++) {
		addrs[i] = in[c[i].index];
		if (srcs)
			srcs[i] = is[c[i].index];
	}
}

int
tb_resolve_mx(const char *domain, struct tb_mx *out, int max, const char **why)
{
	*why = NULL;
	return resolv_dns_mx(domain, out, max, why);
}

int
tb_resolve_ptr(const struct tb_addr *a, char *name, size_t n)
{
	if (hosts_scan(NULL, AF_UNSPEC, NULL, 0, a, name, n) > 0)
		return 0;
	return resolv_dns_ptr(a, name, n);
}
