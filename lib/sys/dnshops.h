/*
 * dnshops.h - the name servers of one step of dig-lite's +trace walk:
 * the root's (the built-in hints or a named.root file) and those a
 * referral names (glue, or an address looked up by the stub resolver).
 */
#ifndef TUBES_DNSHOPS_H
#define TUBES_DNSHOPS_H

#include <stdint.h>

#include "dns.h"
#include "dnsnet.h"

#define DNS_HOP_NS	16	/* name servers kept per step */

struct dns_hop {
	struct dns_server srv[DNS_HOP_NS];
	char names[DNS_HOP_NS][DNS_NAMESTRLEN];
	int n;
};

/*
 * The root servers: from the zone-file lines "NAME [TTL] [IN] A|AAAA
 * DATA" of path (addresses of family 4 or 6 only, or 0 for both), or
 * the built-in list when path is NULL; each on port.  0; -1 with
 * errno when the file cannot be read; -2 when it gives no address.
 */
int dns_hop_roots(struct dns_hop *, const char *path, int family, uint16_t port);

/* the servers of a referral, on port; returns their number */
int dns_hop_referral(struct dns_hop *, const struct dns_msg *, int family, uint16_t port);

#endif
