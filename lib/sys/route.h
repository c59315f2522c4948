/*
 * route.h - system code for the link layer: the IPv4 route table
 * (/proc/net/route, longest-prefix match), interfaces (index, MAC, IPv4
 * address by ioctl) and the kernel's neighbour table (/proc/net/arp).
 *
 * The table parsers take the file's text, so tests feed them fixtures.
 */
#ifndef TUBES_ROUTE_H
#define TUBES_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#define TB_IFNAMSIZ 16

struct route {
	char ifname[TB_IFNAMSIZ];
	uint8_t dst[4], mask[4], gw[4];	/* network order */
	unsigned flags;			/* RTF_*: 1 up, 2 gateway, 4 host */
	int metric;
	int prefix;			/* bits set in mask */
};

/*
 * Longest-prefix match of dst over the text of /proc/net/route; ties go
 * to the lower metric, then the earlier line.  Routes that are down or
 * reject routes are skipped.  If ifname is set only its routes count.
 * Returns 1 and *out, 0 if no route matches.
 */
int route_pick(const char *text, size_t len, const uint8_t dst[4], const char *ifname,
    struct route *out);
/* the same over /proc/net/route; -1 (errno) if it cannot be read */
int route_lookup(const uint8_t dst[4], const char *ifname, struct route *out);

/* neighbour entry flags of /proc/net/arp (ATF_*) */
enum { NEIGH_COMPLETE = 0x2, NEIGH_PERMANENT = 0x4 };

/*
 * Find ip (on ifname, if set) in the text of /proc/net/arp.  Returns 1
 * with the MAC and flags (an incomplete entry has flags without
 * NEIGH_COMPLETE), 0 if there is no entry.
 */
int neigh_find(const char *text, size_t len, const uint8_t ip[4], const char *ifname,
    uint8_t mac[6], unsigned *flags);
/* the same over /proc/net/arp; -1 (errno) if it cannot be read */
int neigh_lookup(const uint8_t ip[4], const char *ifname, uint8_t mac[6], unsigned *flags);

/*
 * Ask the kernel (rtnetlink RTM_GETNEIGH) for a REACHABLE or PERMANENT
 * entry of ip on interface ifindex.  1 and the MAC, 0 none, -1 error.
 */
int neigh_reachable(const uint8_t ip[4], int ifindex, uint8_t mac[6]);

struct iface {
	char name[TB_IFNAMSIZ];
	int index;
	unsigned short hwtype;	/* ARPHRD_*: 1 Ethernet, 772 loopback */
	uint8_t mac[6];
	int has_ip;
	uint8_t ip[4], mask[4];
	int up, loopback, noarp;
};

/* look an interface up by name (ioctl); 0, or -1 with *why and errno */
int iface_get(const char *name, struct iface *, const char **why);

#endif
