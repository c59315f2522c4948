/*
 * tracesock.h - trace's sockets: every raw socket a trace may need,
 * opened before privileges are dropped; the source address the kernel
 * would use; then the set a method needs (raw sockets with privilege,
 * else a datagram or ping socket with IP_RECVERR), bound to -i and
 * filtered, the rest closed.
 */
#ifndef TUBES_TRACESOCK_H
#define TUBES_TRACESOCK_H

#include "tubes.h"

struct tracesock_raw {
	int snd4, icmp4, tcp4;		/* IPPROTO_RAW, ICMP, TCP */
	int icmp6, udp6, tcp6;
	int err;			/* errno of the first failure */
};

struct tracesock {
	int v6;
	int priv;			/* raw sockets: we build the headers */
	/* send; ICMP errors (raw) or the error queue (datagram); TCP replies */
	int sfd, ifd, tfd;
};

/* before privileges are dropped: open every raw socket (those that fail are -1) */
void tracesock_open(struct tracesock_raw *);
/*
 * The source the kernel would use towards dst (through iface, from *src
 * if have_source) into *src.  Dies (exit 2) on an unknown interface or
 * no route.
 */
void tracesock_source(const struct tb_addr *dst, const char *iface, int have_source,
    struct tb_addr *src);
/*
 * The sockets for method (PM_UDP, PM_ICMP, PM_TCP) towards dst from
 * src, through iface if set; the raw sockets not taken are closed.
 * Dies (exit 2) with a hint when a raw socket is needed and missing.
 */
void tracesock_setup(struct tracesock *, struct tracesock_raw *, int method,
    const struct tb_addr *dst, const struct tb_addr *src, const char *iface);
/* the time to live (hop limit) of the next probes on fd */
void tracesock_ttl(int fd, int v6, int ttl);

#endif
