/*
 * tracesock.c - trace's sockets (tracesock.h): raw sockets opened with
 * privilege, the kernel's choice of source address, the set a probe
 * method needs, -i, the ICMPv6 filter and receive timestamps.
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "icmp.h"
#include "probe.h"
#include "tracesock.h"
#include "tubes.h"

static int
raw(int family, int proto, int *err)
{
	int fd = socket(family, SOCK_RAW | SOCK_CLOEXEC, proto);

	if (fd < 0 && *err == 0)
		*err = errno;
	return fd;
}

/* before privileges are dropped: every raw socket a trace may need */
void
tracesock_open(struct tracesock_raw *r)
{
	r->err = 0;
	r->snd4 = raw(AF_INET, IPPROTO_RAW, &r->err);
	r->icmp4 = raw(AF_INET, IPPROTO_ICMP, &r->err);
	r->tcp4 = raw(AF_INET, IPPROTO_TCP, &r->err);
	r->icmp6 = raw(AF_INET6, IPPROTO_ICMPV6, &r->err);
	r->udp6 = raw(AF_INET6, IPPROTO_UDP, &r->err);
	r->tcp6 = raw(AF_INET6, IPPROTO_TCP, &r->err);
}

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void
bind_iface(int fd, const char *iface)
{
	if (fd >= 0 && iface &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, iface, (socklen_t)strlen(iface) + 1) < 0)
		tb_die(EXIT_LOCAL, "SO_BINDTODEVICE %s: %s", iface, strerror(errno));
}

static void
bind_src(int fd, const struct tb_addr *a, uint16_t port)
{
	struct sockaddr_storage ss;
	unsigned sl = tb_sockaddr(a, port, &ss);

	if (bind(fd, (struct sockaddr *)&ss, sl) < 0) {
		char s[TB_ADDRSTRLEN];

		tb_die(EXIT_LOCAL, "bind %s: %s", tb_addr_str(a, s, sizeof s), strerror(errno));
	}
}

void
tracesock_source(const struct tb_addr *dst, const char *iface, int have_source, struct tb_addr *src)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd = socket(dst->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		tb_die(EXIT_LOCAL, "socket: %s", strerror(errno));
	if (iface && if_nametoindex(iface) == 0)
		tb_die(EXIT_LOCAL, "unknown interface: %s", iface);
	bind_iface(fd, iface);
	if (have_source)
		bind_src(fd, src, 0);
	sl = tb_sockaddr(dst, 33434, &ss);
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0) {
		char d[TB_ADDRSTRLEN];

		tb_die(EXIT_LOCAL, "connect %s: %s", tb_addr_str(dst, d, sizeof d), strerror(errno));
	}
	sl = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0 ||
	    tb_from_sockaddr((struct sockaddr *)&ss, src, NULL) < 0)
		tb_die(EXIT_LOCAL, "getsockname: %s", strerror(errno));
	close(fd);
}

void
tracesock_ttl(int fd, int v6, int ttl)
{
	int r;

	if (v6)
		r = setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof ttl);
	else
		r = setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl);
	if (r < 0)
		tb_die(EXIT_LOCAL, "cannot set the time to live: %s", strerror(errno));
}

static void
no_privilege(int method, int err)
{
	tb_die(EXIT_LOCAL, "socket: %s: %s needs a raw socket (cap_net_raw: setcap cap_net_raw+ep trace)%s",
	    strerror(err), method == PM_TCP ? "-T" : "-I",
	    method == PM_ICMP ? ", or a ping socket (net.ipv4.ping_group_range)" : "");
}

void
tracesock_setup(struct tracesock *t, struct tracesock_raw *r, int method, const struct tb_addr *dst,
    const struct tb_addr *src, const char *iface)
{
	int on = 1, rcv = 1 << 20;
	int have_raw;

	t->v6 = dst->family == AF_INET6;
	have_raw = t->v6 ? r->icmp6 >= 0 && (method == PM_ICMP ||
	    (method == PM_UDP ? r->udp6 : r->tcp6) >= 0) :
	    r->snd4 >= 0 && r->icmp4 >= 0 && (method != PM_TCP || r->tcp4 >= 0);

	t->sfd = t->ifd = t->tfd = -1;
	if (have_raw) {
		t->priv = 1;
		if (t->v6) {
			t->ifd = r->icmp6;
			r->icmp6 = -1;
			if (method == PM_ICMP) {
				t->sfd = t->ifd;
			} else if (method == PM_UDP) {
				t->sfd = r->udp6;
				r->udp6 = -1;
			} else {
				t->sfd = t->tfd = r->tcp6;
				r->tcp6 = -1;
			}
			bind_src(t->sfd, src, 0);
		} else {
			t->sfd = r->snd4;
			t->ifd = r->icmp4;
			r->snd4 = r->icmp4 = -1;
			if (method == PM_TCP) {
				t->tfd = r->tcp4;
				r->tcp4 = -1;
			}
		}
	} else if (method == PM_TCP) {
		no_privilege(method, r->err);
	} else {
		int fam = dst->family;

		if (method == PM_UDP)
			t->sfd = socket(fam, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		else
			t->sfd = socket(fam, SOCK_DGRAM | SOCK_CLOEXEC, t->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
		if (t->sfd < 0) {
			if (method == PM_ICMP)
				no_privilege(method, errno);
			tb_die(EXIT_LOCAL, "socket: %s", strerror(errno));
		}
		t->ifd = t->sfd;
		bind_src(t->sfd, src, 0);
		if (t->v6)
			setsockopt(t->sfd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof on);
		else
			setsockopt(t->sfd, IPPROTO_IP, IP_RECVERR, &on, sizeof on);
	}
	close_fd(&r->snd4); close_fd(&r->icmp4); close_fd(&r->tcp4);
	close_fd(&r->icmp6); close_fd(&r->udp6); close_fd(&r->tcp6);
	bind_iface(t->sfd, iface);
	if (t->ifd != t->sfd)
		bind_iface(t->ifd, iface);
	if (t->tfd >= 0 && t->tfd != t->sfd)
		bind_iface(t->tfd, iface);
	setsockopt(t->ifd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
	setsockopt(t->ifd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
	if (t->tfd >= 0) {
		setsockopt(t->tfd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
		setsockopt(t->tfd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
	}
	if (t->priv && t->v6) {
		struct icmp6_filter f;

		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(IC6_UNREACH, &f);
		ICMP6_FILTER_SETPASS(IC6_PACKET_TOO_BIG, &f);
		ICMP6_FILTER_SETPASS(IC6_TIME_EXCEEDED, &f);
		if (method == PM_ICMP)
			ICMP6_FILTER_SETPASS(IC6_ECHO_REPLY, &f);
		setsockopt(t->ifd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof f);
	}
}

/* --- names and output ------------------------------------------------------------ */
