/*
 * dnsres.c - the DNS half of the stub resolver.
 * Interim: until the DNS codec lands (issue 4) names not in the hosts
 * file do not resolve.
 */
#include "tubes.h"

int
resolv_dns(const char *name, int family, struct tb_addr *out, int max, const char **why)
{
	(void)name; (void)family; (void)out; (void)max;
	*why = "not in the hosts file (DNS lookups not built yet)";
	return -1;
}

int
resolv_dns_mx(const char *domain, struct tb_mx *out, int max, const char **why)
{
	(void)domain; (void)out; (void)max;
	*why = "DNS lookups not built yet";
	return -1;
}

int
resolv_dns_ptr(const struct tb_addr *a, char *name, size_t n)
{
	(void)a; (void)name; (void)n;
	return -1;
}
