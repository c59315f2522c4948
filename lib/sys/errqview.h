/*
 * errqview.h - the -X view of an error the kernel queued on an
 * IP_RECVERR socket (ping-lite's ping socket, trace's datagram sockets):
 * what struct sock_extended_err says, labelled as the error queue's and
 * not the wire's (the ICMP message itself never reaches us: the kernel
 * keeps it and hands back our own datagram), then that datagram.
 */
#ifndef TUBES_ERRQVIEW_H
#define TUBES_ERRQVIEW_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <linux/errqueue.h>

#include "tubes.h"

/*
 * The fields of ee: origin, ICMP type and code by name, info (the MTU of
 * a packet too big, the pointer of a parameter problem), errno, and the
 * offender (off, family 0 if the kernel gave none).  version 4 or 6.
 */
void errq_view(struct layers *, const struct sock_extended_err *ee, const struct tb_addr *off,
    int version);
/*
 * Our datagram as the kernel handed it back with the error, as far as
 * the router quoted it: an ICMP echo request (icmp set; ping socket: the
 * kernel's identifier and checksum are in it; full is the length we
 * sent, 0 if unknown, so the checksum is verified when it is all there),
 * or the payload of a UDP datagram; then its bytes.
 */
void errq_view_quoted(struct layers *, int version, int icmp, const uint8_t *p, size_t n,
    size_t full);

#endif
