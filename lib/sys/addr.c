/* addr.c - IPv4/IPv6 addresses and sockaddrs */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "tubes.h"

int
tb_addr_parse(const char *s, struct tb_addr *a)
{
	char tmp[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	const char *pct;
	size_t n;

	memset(a, 0, sizeof *a);
	if (s == NULL)
		return -1;
	if (inet_pton(AF_INET, s, a->a) == 1) {
		a->family = AF_INET;
		return 0;
	}
	n = strlen(s);
	if (n >= sizeof tmp)
		return -1;
	memcpy(tmp, s, n + 1);
	if ((pct = strchr(s, '%')) != NULL) {
		tmp[pct - s] = '\0';
		if ((a->scope = if_nametoindex(pct + 1)) == 0) {
			long long k;

			if (tb_num(pct + 1, 1, 0xffffffffLL, &k) < 0)
				return -1;
			a->scope = (uint32_t)k;
		}
	}
	if (inet_pton(AF_INET6, tmp, a->a) == 1) {
		a->family = AF_INET6;
		return 0;
	}
	memset(a, 0, sizeof *a);
	return -1;
}

int
tb_addr_loopback(const struct tb_addr *a)
{
	static const uint8_t lo6[16] = { [15] = 1 };
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (a->family == AF_INET)
		return a->a[0] == 127;
	return a->family == AF_INET6 && (memcmp(a->a, lo6, 16) == 0 ||
	    (memcmp(a->a, mapped, 12) == 0 && a->a[12] == 127));
}

char *
tb_addr_str(const struct tb_addr *a, char *buf, size_t n)
{
	if (inet_ntop(a->family, a->a, buf, (socklen_t)n) == NULL)
		snprintf(buf, n, "?");
	return buf;
}

unsigned
tb_sockaddr(const struct tb_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, a->a, 4);
		return sizeof *sin;
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, a->a, 16);
		sin6->sin6_scope_id = a->scope;
		return sizeof *sin6;
	}
}

int
tb_from_sockaddr(const struct sockaddr *sa, struct tb_addr *a, uint16_t *port)
{
	memset(a, 0, sizeof *a);
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

		a->family = AF_INET;
		memcpy(a->a, &sin->sin_addr, 4);
		if (port)
			*port = ntohs(sin->sin_port);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

		a->family = AF_INET6;
		memcpy(a->a, &sin6->sin6_addr, 16);
		a->scope = sin6->sin6_scope_id;
		if (port)
			*port = ntohs(sin6->sin6_port);
		return 0;
	}
	errno = EAFNOSUPPORT;
	return -1;
}

int
tb_addr_eq(const struct tb_addr *x, const struct tb_addr *y)
{
	if (x->family != y->family)
		return 0;
	return memcmp(x->a, y->a, x->family == AF_INET ? 4 : 16) == 0;
}
