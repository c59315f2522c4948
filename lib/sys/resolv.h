/*
 * resolv.h - the stub resolver: hosts file, then DNS through resolv.conf's
 * servers (resolv.c, dnsres.c).
 */
#ifndef TB_RESOLV_H
#define TB_RESOLV_H

#include "tubes.h"

/* --- the resolver (resolv.c) ------------------------------------------- */

/*
 * Literals pass through; names go to the hosts file (TUBES_HOSTS or
 * /etc/hosts), then DNS via the resolv.conf (TUBES_RESOLV_CONF) servers.
 * family: AF_UNSPEC, AF_INET or AF_INET6.  Returns the number of
 * addresses (> 0); 0 when the name definitively has none (NXDOMAIN,
 * NODATA: exit 1); -1 when resolution failed (timeout, SERVFAIL,
 * REFUSED, a signal: exit 3; *why names the server and what it said);
 * -2 when it could not be tried here (an invalid literal such as
 * 10.200.1.300 or one of the wrong family, never sent to the DNS; out
 * of memory: exit 2).  *why names the reason for 0, -1 and -2.
 */
int tb_resolve(const char *name, int family, struct tb_addr *out, int max, const char **why);
/*
 * The one rule for a failed lookup of a host to contact (tubes(7)), so
 * that every command says it alike: r and why from tb_resolve (r <= 0).
 * Writes the diagnostic, without the "PROG: " prefix, into buf:
 *   0   "HOST: no such host"                      returns 1
 *  -1   "lookup of HOST failed: WHY"              returns 3
 *  -2   "HOST: WHY" (invalid address ...)         returns 2
 * HOST is escaped.
 */
int tb_lookup_failed(const char *host, int r, const char *why, char *buf, size_t n);

struct tb_mx {
	unsigned pref;
	char host[256];
};
/* MX records of domain sorted by preference; same returns as tb_resolve */
int tb_resolve_mx(const char *domain, struct tb_mx *out, int max, const char **why);
/*
 * Put a name's addresses in the order to try them, as getaddrinfo does:
 * RFC 6724's destination selection (addrsel.h) with the source the
 * kernel picks for each, learnt by connect()ing a UDP socket to it (no
 * packet is sent); an address with no route goes last.  src, if not
 * NULL, gets each address's source (family 0: none).
 */
void tb_addr_order(struct tb_addr *, int n, struct tb_addr *src);
/* reverse name of addr (hosts file, then PTR); 0 or -1 */
int tb_resolve_ptr(const struct tb_addr *, char *name, size_t n);
/* the DNS half behind these (dnsres.c), called after literals and hosts */
int resolv_dns(const char *name, int family, struct tb_addr *out, int max, const char **why);
int resolv_dns_mx(const char *domain, struct tb_mx *out, int max, const char **why);
int resolv_dns_ptr(const struct tb_addr *, char *name, size_t n);

#endif
