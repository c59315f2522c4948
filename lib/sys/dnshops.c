/*
 * dnshops.c - the name servers of each step of +trace (dnshops.h).
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "dnshops.h"
#include "resolv.h"
#include "tubes.h"

static int
af_of(int family)
{
	return family == 4 ? AF_INET : family == 6 ? AF_INET6 : AF_UNSPEC;
}

int
dns_hop_roots(struct dns_hop *h, const char *path, int family, uint16_t port)
{
	char line[512], addr[TB_ADDRSTRLEN + 20];
	FILE *fp;
	size_t i;

	h->n = 0;
	if (path == NULL) {
		for (i = 0; i < DNS_NROOTS && h->n < DNS_HOP_NS; i++) {
			tb_addr_parse(dns_roots[i][1], &h->srv[h->n].addr);
			h->srv[h->n].port = port;
			snprintf(h->names[h->n], sizeof h->names[0], "%s", dns_roots[i][0]);
			h->n++;
		}
		return 0;
	}
	if ((fp = fopen(path, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof line, fp) && h->n < DNS_HOP_NS) {
		if (dns_hints_line(line, family, h->names[h->n], sizeof h->names[0],
		    addr, sizeof addr) && tb_addr_parse(addr, &h->srv[h->n].addr) == 0) {
			h->srv[h->n].port = port;
			h->n++;
		}
	}
	fclose(fp);
	return h->n ? 0 : -2;
}

int
dns_hop_referral(struct dns_hop *h, const struct dns_msg *m, int family, uint16_t port)
{
	struct dns_ref_it it;
	struct dns_ref ref;

	memset(&it, 0, sizeof it);
	h->n = 0;
	while (h->n < DNS_HOP_NS && dns_referral_next(m, family, &it, &ref)) {
		char nm[DNS_NAMESTRLEN];
		struct tb_addr a[2];
		const char *why;
		int k, n;

		dns_name_str(&ref.name, nm, sizeof nm);
		if (ref.af) {
			memset(&a[0], 0, sizeof a[0]);
			a[0].family = ref.af == 4 ? AF_INET : AF_INET6;
			memcpy(a[0].a, ref.addr, ref.af == 4 ? 4 : 16);
			n = 1;
		} else {
			/* no glue: ask the ordinary resolver for the server's address */
			n = tb_resolve(nm, af_of(family), a, 2, &why);
		}
		for (k = 0; k < n && h->n < DNS_HOP_NS; k++) {
			h->srv[h->n].addr = a[k];
			h->srv[h->n].port = port;
			snprintf(h->names[h->n], sizeof h->names[0], "%s", nm);
			h->n++;
		}
	}
	return h->n;
}
