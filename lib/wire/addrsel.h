/*
 * addrsel.h - which address of a name to use first: the destination
 * address selection of RFC 6724 section 6, with its default policy table
 * (section 2.1).
 *
 * Pure: the caller says, for each candidate, which source address the
 * kernel would send from (or that there is no route), and as_sort puts
 * the candidates in the order to try them.  IPv4 addresses are given as
 * IPv4-mapped IPv6 (::ffff:a.b.c.d), as the RFC compares them.
 *
 *   struct as_cand c[2] = { { .dst = ::ffff:10.0.0.2, .src = ..., .have_src = 1 },
 *                           { .dst = fd00::2, .have_src = 0 } };
 *   as_sort(c, 2);      // c[0] is the one to use
 *
 * The rules applied: 1 (avoid unusable destinations), 2 (prefer matching
 * scope), 5 (prefer matching label), 6 (prefer higher precedence), 8
 * (prefer smaller scope), 9 (longest matching prefix, IPv6 with IPv6
 * only), 10 (otherwise the order given).  Rules 3, 4 and 7 need facts
 * about the source (deprecated, home address, encapsulation) that a
 * connect() does not tell; they never decide here.
 */
#ifndef TUBES_ADDRSEL_H
#define TUBES_ADDRSEL_H

#include <stddef.h>
#include <stdint.h>

struct as_cand {
	uint8_t dst[16];	/* IPv6, or IPv4-mapped */
	uint8_t src[16];	/* the kernel's source for dst, if have_src */
	int have_src;		/* 0: no route to dst (unusable) */
	int index;		/* set by as_sort: the place in the input */
};

/* the default policy table's precedence and label, and the scope (RFC 4291 values) */
int as_precedence(const uint8_t a[16]);
int as_label(const uint8_t a[16]);
int as_scope(const uint8_t a[16]);

/* < 0: a goes before b; > 0: after; 0: the rules cannot tell them apart */
int as_cmp(const struct as_cand *a, const struct as_cand *b);

/* sort in place, stable (rule 10); n is small (a name's addresses) */
void as_sort(struct as_cand *, size_t n);

/* a 4-byte IPv4 address as ::ffff:a.b.c.d */
void as_map4(uint8_t out[16], const uint8_t v4[4]);

#endif
