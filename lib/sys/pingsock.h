/*
 * pingsock.h - ping-lite's socket: an ICMP ping socket, else a raw one
 * (iputils' order), the hint when neither opens, the source address
 * the kernel would use, and the options a ping needs (timestamps, -I,
 * the error queue or an ICMP filter, the TTL) with the identifier its
 * requests carry.
 */
#ifndef TUBES_PINGSOCK_H
#define TUBES_PINGSOCK_H

#include <stdint.h>

#include "tubes.h"

#define PING_MININTERVAL 10000	/* µs: flood pace when replies are outstanding */

struct pingsock {
	int fd;
	int raw;
	int err;		/* errno of the datagram and raw attempts (both failed) */
};

/* a datagram ICMP socket of family, else a raw one; fd -1 and err if neither */
struct pingsock pingsock_open(int family);
/*
 * The socket of the family chosen (v6 or not), the other closed; if it
 * did not open, die (exit 2) saying why, with ping_group_range and
 * cap_net_raw.
 */
struct pingsock pingsock_pick(struct pingsock *s4, struct pingsock *s6, int v6);
/*
 * The source the kernel would use towards dst, as iputils learns it:
 * iface is -I, an address (into *src) or an interface.  1 and *src
 * when known, 0 if not; dies (exit 2) on an unknown interface or an
 * unreachable network.
 */
int pingsock_source(const struct tb_addr *dst, const char *iface, struct tb_addr *src);
/*
 * Set fd up: receive timestamps, a larger buffer when busy (flood,
 * preload), a short receive timeout when fast (-i 0), -I, the error
 * queue (ping socket) or an ICMP filter (raw), the TTL if ttl >= 0.
 * Returns the identifier the requests carry (the kernel's for a ping
 * socket).
 */
uint16_t pingsock_setup(int fd, int raw, int v6, const char *iface, int ttl, int busy, int fast);

#endif
