/*
 * route.c - the IPv4 route table, interfaces and the neighbour table,
 * as the kernel tells them (/proc/net/route, ioctl, /proc/net/arp).
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "eth.h"
#include "route.h"
#include "wire.h"
#include "tubes.h"

#define MAXFIELDS 12

/* split one line into whitespace-separated fields; returns the count */
static int
fields(const char *p, const char *end, const char **f, size_t *fl, int max)
{
	int n = 0;

	while (p < end && n < max) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= end)
			break;
		f[n] = p;
		while (p < end && *p != ' ' && *p != '\t')
			p++;
		fl[n] = (size_t)(p - f[n]);
		n++;
	}
	return n;
}

/* a field as an unsigned 32-bit number in base 16 (an 0x before it allowed) or 10, all of it; 0 or -1 */
static int
fnum(const char *f, size_t n, int base, unsigned long *out)
{
	uint64_t v;

	if (base == 16 && n > 2 && f[0] == '0' && (f[1] == 'x' || f[1] == 'X')) {
		f += 2;
		n -= 2;
	}
	if ((base == 16 ? hex_parse(f, n, 0xffffffffu, &v) : dec_parse(f, n, 0xffffffffu, &v)) < 0)
		return -1;
	*out = (unsigned long)v;
	return 0;
}

/* /proc/net/route prints each address as the %08X of its in-memory (network order) word */
static int
faddr(const char *f, size_t n, uint8_t a[4])
{
	unsigned long v;
	uint32_t w;

	if (n != 8 || fnum(f, n, 16, &v) < 0)
		return -1;
	w = (uint32_t)v;
	memcpy(a, &w, 4);
	return 0;
}

static int
prefix_len(const uint8_t m[4])
{
	int i, n = 0;

	for (i = 0; i < 32; i++)
		if (m[i / 8] & (0x80 >> (i % 8)))
			n++;
	return n;
}

static int
fname_is(const char *f, size_t n, const char *name)
{
	return strlen(name) == n && memcmp(f, name, n) == 0;
}

int
route_pick(const char *text, size_t len, const uint8_t dst[4], const char *ifname, struct route *out)
{
	const char *p = text, *end = text + len;
	int found = 0, first = 1;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;
		const char *f[MAXFIELDS];
		size_t fl[MAXFIELDS];
		struct route r;
		unsigned long flags, metric;
		int nf = fields(p, le, f, fl, MAXFIELDS), i, match = 1;

		p = nl ? nl + 1 : end;
		if (first) {	/* the heading */
			first = 0;
			continue;
		}
		if (nf < 8 || fl[0] >= TB_IFNAMSIZ)
			continue;
		memset(&r, 0, sizeof r);
		memcpy(r.ifname, f[0], fl[0]);
		if (faddr(f[1], fl[1], r.dst) < 0 || faddr(f[2], fl[2], r.gw) < 0 ||
		    fnum(f[3], fl[3], 16, &flags) < 0 || fnum(f[6], fl[6], 10, &metric) < 0 ||
		    faddr(f[7], fl[7], r.mask) < 0)
			continue;
		r.flags = (unsigned)flags;
		r.metric = (int)metric;
		if (!(r.flags & 0x1) || (r.flags & 0x200))	/* RTF_UP, RTF_REJECT */
			continue;
		if (ifname && strcmp(ifname, r.ifname) != 0)
			continue;
		for (i = 0; i < 4; i++)
			if ((dst[i] & r.mask[i]) != (r.dst[i] & r.mask[i]))
				match = 0;
		if (!match)
			continue;
		r.prefix = prefix_len(r.mask);
		if (!found || r.prefix > out->prefix ||
		    (r.prefix == out->prefix && r.metric < out->metric)) {
			*out = r;
			found = 1;
		}
	}
	return found;
}

int
route_lookup(const uint8_t dst[4], const char *ifname, struct route *out)
{
	size_t len;
	char *t = tb_slurp("/proc/net/route", 16u << 20, &len);
	int r;

	if (t == NULL)
		return -1;
	r = route_pick(t, len, dst, ifname, out);
	tb_free(t);
	return r;
}

static int
parse_ip4(const char *f, size_t n, uint8_t a[4])
{
	size_t i = 0;
	int k;

	for (k = 0; k < 4; k++) {
		unsigned v = 0, d = 0;

		while (i < n && f[i] >= '0' && f[i] <= '9' && d < 4) {
			v = v * 10 + (unsigned)(f[i++] - '0');
			d++;
		}
		if (d == 0 || d > 3 || v > 255)
			return -1;
		a[k] = (uint8_t)v;
		if (k < 3) {
			if (i >= n || f[i] != '.')
				return -1;
			i++;
		}
	}
	return i == n ? 0 : -1;
}

int
neigh_find(const char *text, size_t len, const uint8_t ip[4], const char *ifname,
    uint8_t mac[6], unsigned *flagsp)
{
	const char *p = text, *end = text + len;
	int first = 1;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;
		const char *f[MAXFIELDS];
		size_t fl[MAXFIELDS];
		uint8_t a[4];
		char ms[18];
		unsigned long flags;
		int nf = fields(p, le, f, fl, MAXFIELDS);

		p = nl ? nl + 1 : end;
		if (first) {
			first = 0;
			continue;
		}
		if (nf < 6 || parse_ip4(f[0], fl[0], a) < 0 || memcmp(a, ip, 4) != 0)
			continue;
		if (ifname && !fname_is(f[5], fl[5], ifname))
			continue;
		if (fnum(f[2], fl[2], 16, &flags) < 0 || fl[3] != 17)
			continue;
		memcpy(ms, f[3], 17);
		ms[17] = '\0';
		if (mac_parse(ms, mac) < 0)
			continue;
		*flagsp = (unsigned)flags;
		return 1;
	}
	return 0;
}

int
neigh_lookup(const uint8_t ip[4], const char *ifname, uint8_t mac[6], unsigned *flags)
{
	size_t len;
	char *t = tb_slurp("/proc/net/arp", 16u << 20, &len);
	int r;

	if (t == NULL)
		return -1;
	r = neigh_find(t, len, ip, ifname, mac, flags);
	tb_free(t);
	return r;
}

int
iface_get(const char *name, struct iface *ifc, const char **why)
{
	struct ifreq ifr;
	int fd, e;

	memset(ifc, 0, sizeof *ifc);
	if (strlen(name) >= TB_IFNAMSIZ || strlen(name) >= sizeof ifr.ifr_name || !*name) {
		*why = "interface name too long";
		errno = EINVAL;
		return -1;
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*why = "socket";
		return -1;
	}
	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, name, strlen(name));
	memcpy(ifc->name, name, strlen(name));
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) {
		*why = "no such interface";
		goto fail;
	}
	ifc->index = ifr.ifr_ifindex;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		*why = "SIOCGIFFLAGS";
		goto fail;
	}
	ifc->up = (ifr.ifr_flags & IFF_UP) != 0;
	ifc->loopback = (ifr.ifr_flags & IFF_LOOPBACK) != 0;
	ifc->noarp = (ifr.ifr_flags & IFF_NOARP) != 0;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
		*why = "SIOCGIFHWADDR";
		goto fail;
	}
	ifc->hwtype = ifr.ifr_hwaddr.sa_family;
	memcpy(ifc->mac, ifr.ifr_hwaddr.sa_data, 6);
	if (ioctl(fd, SIOCGIFADDR, &ifr) == 0 && ifr.ifr_addr.sa_family == AF_INET) {
		struct sockaddr_in sin;

		memcpy(&sin, &ifr.ifr_addr, sizeof sin);
		memcpy(ifc->ip, &sin.sin_addr, 4);
		ifc->has_ip = 1;
		if (ioctl(fd, SIOCGIFNETMASK, &ifr) == 0) {
			memcpy(&sin, &ifr.ifr_netmask, sizeof sin);
			memcpy(ifc->mask, &sin.sin_addr, 4);
		}
	}
	close(fd);
	return 0;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

int
neigh_reachable(const uint8_t ip[4], int ifindex, uint8_t mac[6])
{
	struct {
		struct nlmsghdr nh;
		struct ndmsg nd;
	} req;
	static uint8_t buf[32768] __attribute__((aligned(8)));
	int64_t deadline = tb_now() + 1000000;
	int fd, found = 0, done = 0;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -1;
	memset(&req, 0, sizeof req);
	req.nh.nlmsg_len = sizeof req;
	req.nh.nlmsg_type = RTM_GETNEIGH;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nh.nlmsg_seq = 1;
	req.nd.ndm_family = AF_INET;
	if (send(fd, &req, sizeof req, 0) < 0)
		goto fail;
	while (!done) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct nlmsghdr *nh;
		ssize_t r;
		int len;

		if (poll(&pfd, 1, tb_ms_until(deadline)) <= 0) {
			errno = ETIMEDOUT;
			goto fail;
		}
		r = recv(fd, buf, sizeof buf, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			goto fail;
		len = (int)r;
		/* NLMSG_OK compares the u32 nlmsg_len with an int (clang -Wsign-compare) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-compare"
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, len); nh = NLMSG_NEXT(nh, len)) {
#pragma GCC diagnostic pop
			struct ndmsg *nd;
			struct rtattr *a;
			int alen, have_dst = 0, have_ll = 0;
			uint8_t dst[4], ll[6];

			if (nh->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (nh->nlmsg_type == NLMSG_ERROR) {
				errno = EPROTO;
				goto fail;
			}
			if (nh->nlmsg_type != RTM_NEWNEIGH || nh->nlmsg_len < NLMSG_LENGTH(sizeof *nd))
				continue;
			nd = NLMSG_DATA(nh);
			if (nd->ndm_family != AF_INET || nd->ndm_ifindex != ifindex ||
			    !(nd->ndm_state & (NUD_REACHABLE | NUD_PERMANENT)))
				continue;
			alen = (int)(nh->nlmsg_len - NLMSG_LENGTH(sizeof *nd));
			for (a = (struct rtattr *)((char *)nd + NLMSG_ALIGN(sizeof *nd)); RTA_OK(a, alen);
			    a = RTA_NEXT(a, alen)) {
				if (a->rta_type == NDA_DST && RTA_PAYLOAD(a) == 4) {
					memcpy(dst, RTA_DATA(a), 4);
					have_dst = 1;
				} else if (a->rta_type == NDA_LLADDR && RTA_PAYLOAD(a) == 6) {
					memcpy(ll, RTA_DATA(a), 6);
					have_ll = 1;
				}
			}
			if (have_dst && have_ll && !found && memcmp(dst, ip, 4) == 0) {
				memcpy(mac, ll, 6);
				found = 1;
			}
		}
	}
	close(fd);
	return found;
fail:
	{
		int e = errno;

		close(fd);
		errno = e;
	}
	return -1;
}
