/*
 * pingsock.c - ping-lite's socket (pingsock.h): which socket, from which
 * address, with which options.
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "icmp.h"
#include "pingsock.h"
#include "tubes.h"

#ifndef ICMP_FILTER
#define ICMP_FILTER 1	/* linux/icmp.h, not included: it clashes with net/if.h */
#endif
#ifndef SOL_RAW
#define SOL_RAW 255
#endif

/* --- sockets and privilege ------------------------------------------------ */

struct pingsock
pingsock_open(int family)
{
	struct pingsock s = { -1, 0, 0 };
	int proto = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;

	s.fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, proto);
	if (s.fd >= 0)
		return s;
	if (errno != EACCES && errno != EPERM && errno != EPROTONOSUPPORT && errno != EAFNOSUPPORT) {
		s.err = errno;
		return s;
	}
	s.fd = socket(family, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (s.fd >= 0) {
		s.raw = 1;
		return s;
	}
	s.err = errno;
	return s;
}

static void
no_socket(int family, int err)
{
	char range[64];

	if (err != EACCES && err != EPERM)
		tb_die(EXIT_LOCAL, "socket: %s", strerror(err));
	tb_read_small("/proc/sys/net/ipv4/ping_group_range", range, sizeof range);
	range[strcspn(range, "\n")] = '\0';
	for (char *c = range; *c; c++)
		if (*c == '\t')
			*c = ' ';
	tb_die(EXIT_LOCAL, "socket: %s: no %s ping socket for gid %u (net.ipv4.ping_group_range is \"%s\") "
	    "and no raw socket (needs cap_net_raw: setcap cap_net_raw+ep ping-lite)",
	    strerror(err), family == AF_INET ? "ICMP" : "ICMPv6", (unsigned)getgid(), range);
}

struct pingsock
pingsock_pick(struct pingsock *s4, struct pingsock *s6, int v6)
{
	struct pingsock *keep = v6 ? s6 : s4, *other = v6 ? s4 : s6;

	if (other->fd >= 0)
		close(other->fd);
	other->fd = -1;
	if (keep->fd < 0)
		no_socket(v6 ? AF_INET6 : AF_INET, keep->err);
	return *keep;
}

/* learn the source address the kernel would use (and check -I), as iputils does */
int
pingsock_source(const struct tb_addr *dst, const char *iface, struct tb_addr *src)
{
	int have_src = 0;
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd = socket(dst->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return 0;
	if (iface && tb_addr_parse(iface, src) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, iface, (socklen_t)strlen(iface) + 1) < 0) {
		if (if_nametoindex(iface) == 0)
			tb_die(EXIT_LOCAL, "unknown iface: %s", iface);
	}
	if (src->family) {
		sl = tb_sockaddr(src, 0, &ss);
		if (bind(fd, (struct sockaddr *)&ss, sl) < 0)
			tb_die(EXIT_LOCAL, "bind: %s: %s", iface, strerror(errno));
	}
	sl = tb_sockaddr(dst, 1025, &ss);
	if (connect(fd, (struct sockaddr *)&ss, sl) == 0) {
		sl = sizeof ss;
		if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0 &&
		    tb_from_sockaddr((struct sockaddr *)&ss, src, NULL) == 0)
			have_src = 1;
	} else if (errno == ENETUNREACH || errno == EHOSTUNREACH) {
		close(fd);
		tb_die(EXIT_LOCAL, "connect: %s", strerror(errno));
	}
	close(fd);
	return have_src;
}

uint16_t
pingsock_setup(int fd, int raw, int v6, const char *iface, int ttl, int busy, int fast)
{
	int on = 1;
	int rcv = 65536;
	uint16_t ident = 0;

	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
	if (busy)
		rcv = 4 * 65536;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
	if (fast) {
		struct timeval tv = { 0, PING_MININTERVAL };

		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	}
	if (iface) {
		struct tb_addr a;

		if (tb_addr_parse(iface, &a) == 0) {
			struct sockaddr_storage ss;
			unsigned sl = tb_sockaddr(&a, 0, &ss);

			if (bind(fd, (struct sockaddr *)&ss, sl) < 0)
				tb_die(EXIT_LOCAL, "bind: %s: %s", iface, strerror(errno));
		} else if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, iface,
		    (socklen_t)strlen(iface) + 1) < 0) {
			tb_die(EXIT_LOCAL, "SO_BINDTODEVICE %s: %s", iface, strerror(errno));
		}
	}
	if (!v6) {
		if (!raw) {
			setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof on);
			setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &on, sizeof on);
		} else {
			/* only echo replies and the errors that quote a request */
			uint32_t filt = ~(uint32_t)(1u << IC4_ECHO_REPLY | 1u << IC4_UNREACH |
			    1u << IC4_SOURCE_QUENCH | 1u << IC4_REDIRECT | 1u << IC4_TIME_EXCEEDED |
			    1u << IC4_PARAM_PROBLEM);

			setsockopt(fd, SOL_RAW, ICMP_FILTER, &filt, sizeof filt);
		}
		if (ttl >= 0 && setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl) < 0)
			tb_die(EXIT_LOCAL, "cannot set unicast time-to-live: %s", strerror(errno));
	} else {
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof on);
		if (!raw) {
			setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof on);
		} else {
			struct icmp6_filter f;

			ICMP6_FILTER_SETBLOCKALL(&f);
			ICMP6_FILTER_SETPASS(IC6_ECHO_REPLY, &f);
			ICMP6_FILTER_SETPASS(IC6_UNREACH, &f);
			ICMP6_FILTER_SETPASS(IC6_PACKET_TOO_BIG, &f);
			ICMP6_FILTER_SETPASS(IC6_TIME_EXCEEDED, &f);
			ICMP6_FILTER_SETPASS(IC6_PARAM_PROBLEM, &f);
			setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof f);
		}
		if (ttl >= 0 &&
		    setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof ttl) < 0)
			tb_die(EXIT_LOCAL, "cannot set unicast hop limit: %s", strerror(errno));
	}
	if (raw) {
		if (tb_random(&ident, sizeof ident) < 0)
			ident = (uint16_t)getpid();
	} else {
		/* the kernel puts its own identifier in; binding makes it choose one now */
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		uint16_t port = 0;
		struct tb_addr a;

		if (!iface || tb_addr_parse(iface, &a) < 0) {
			memset(&a, 0, sizeof a);
			a.family = v6 ? AF_INET6 : AF_INET;
			sl = tb_sockaddr(&a, 0, &ss);
			(void)bind(fd, (struct sockaddr *)&ss, sl);
			sl = sizeof ss;
		}
		if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0 &&
		    tb_from_sockaddr((struct sockaddr *)&ss, &a, &port) == 0)
			ident = port;
	}
	return ident;
}
