/*
 * icmpquote.h - the datagram quoted in an ICMP or ICMPv6 error, shown in
 * full for -X: every field of the inner IPv4 or IPv6 header and of the
 * UDP, TCP or ICMP header after it as far as the quote goes, how many
 * bytes were quoted and which fields it cuts off, then an RFC 4884
 * extension structure (length attribute, objects, MPLS label stacks).
 *
 * Wire code: no system calls; never reads outside the message.
 *
 *   icmpquote_decode(lv, &m);            // m: a parsed error (icmp.h)
 */
#ifndef TUBES_ICMPQUOTE_H
#define TUBES_ICMPQUOTE_H

#include <stddef.h>
#include <stdint.h>

struct icmp;
struct layers;

/*
 * RFC 4884's length attribute of error m, in bytes (ICMP: 32-bit words,
 * ICMPv6: 64-bit words), or 0 when the message has none or it is 0.
 */
size_t icmpquote_length(const struct icmp *m);

/*
 * Show the datagram quoted in error m (its data) and, when the length
 * attribute leaves room after it, the extension structure.
 */
void icmpquote_decode(struct layers *lv, const struct icmp *m);

/*
 * Show an upper-layer header as far as n bytes go: proto IPP_UDP,
 * IPP_TCP, IPP_ICMP or IPP_ICMPV6 (others: their length only).  full is
 * its length in the original datagram (0 if unknown): when all of it is
 * here and ps is given, the checksum is verified.
 */
struct ip_pseudo;
void icmpquote_l4(struct layers *lv, int version, uint8_t proto, const uint8_t *p, size_t n,
    size_t full, const struct ip_pseudo *ps);

#endif
