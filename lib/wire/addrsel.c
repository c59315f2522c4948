/*
 * addrsel.c - RFC 6724 destination address selection: the default
 * policy table, scopes, and the comparison of two candidates.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "addrsel.h"

/* the default policy table of RFC 6724 section 2.1, longest prefix first */
static const struct policy {
	uint8_t prefix[16];
	int len, precedence, label;
} policy[] = {
	{ { [15] = 1 }, 128, 50, 0 },					/* ::1/128 */
	{ { [10] = 0xff, [11] = 0xff }, 96, 35, 4 },			/* ::ffff:0:0/96 */
	{ { 0 }, 96, 1, 3 },						/* ::/96 */
	{ { 0x20, 0x01 }, 32, 5, 5 },					/* 2001::/32 Teredo */
	{ { 0x20, 0x02 }, 16, 30, 2 },					/* 2002::/16 6to4 */
	{ { 0x3f, 0xfe }, 16, 1, 12 },					/* 3ffe::/16 6bone */
	{ { 0xfe, 0xc0 }, 10, 1, 11 },					/* fec0::/10 site-local */
	{ { 0xfc }, 7, 3, 13 },						/* fc00::/7 ULA */
	{ { 0 }, 0, 40, 1 },						/* ::/0 */
};

/* the bits a and b have in common from the start, at most max */
static int
common_prefix(const uint8_t a[16], const uint8_t b[16], int max)
{
	int n = 0, i;

	for (i = 0; i < 16 && n < max; i++) {
		uint8_t x = a[i] ^ b[i];

		if (x == 0) {
			n += 8;
			continue;
		}
		while (!(x & 0x80)) {
			n++;
			x = (uint8_t)(x << 1);
		}
		break;
	}
	return n < max ? n : max;
}

static const struct policy *
lookup(const uint8_t a[16])
{
	size_t i;

	for (i = 0; i < sizeof policy / sizeof policy[0]; i++)
		if (common_prefix(a, policy[i].prefix, 128) >= policy[i].len)
			return &policy[i];
	return &policy[sizeof policy / sizeof policy[0] - 1];
}

int
as_precedence(const uint8_t a[16])
{
	return lookup(a)->precedence;
}

int
as_label(const uint8_t a[16])
{
	return lookup(a)->label;
}

static int
is_mapped(const uint8_t a[16])
{
	static const uint8_t pfx[12] = { [10] = 0xff, [11] = 0xff };

	return memcmp(a, pfx, 12) == 0;
}

int
as_scope(const uint8_t a[16])
{
	static const uint8_t loop[16] = { [15] = 1 };

	if (is_mapped(a)) {
		/* RFC 6724 3.2: loopback and autoconfiguration are link-local, the rest global */
		if (a[12] == 127 || (a[12] == 169 && a[13] == 254))
			return 0x2;
		return 0xe;
	}
	if (a[0] == 0xff)
		return a[1] & 0x0f;		/* multicast: its scope field */
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return 0x2;			/* fe80::/10 */
	if (memcmp(a, loop, 16) == 0)
		return 0x2;			/* ::1 is link-local in scope (RFC 4007) */
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0)
		return 0x5;			/* fec0::/10, deprecated site-local */
	return 0xe;
}

int
as_cmp(const struct as_cand *a, const struct as_cand *b)
{
	int sa, sb, x, y;

	/* rule 1: avoid unusable destinations */
	if (a->have_src != b->have_src)
		return a->have_src ? -1 : 1;
	sa = as_scope(a->dst);
	sb = as_scope(b->dst);
	if (a->have_src) {
		/* rule 2: prefer matching scope */
		x = sa == as_scope(a->src);
		y = sb == as_scope(b->src);
		if (x != y)
			return x ? -1 : 1;
		/* rule 5: prefer matching label */
		x = as_label(a->src) == as_label(a->dst);
		y = as_label(b->src) == as_label(b->dst);
		if (x != y)
			return x ? -1 : 1;
	}
	/* rule 6: prefer higher precedence */
	x = as_precedence(a->dst);
	y = as_precedence(b->dst);
	if (x != y)
		return x > y ? -1 : 1;
	/* rule 8: prefer smaller scope */
	if (sa != sb)
		return sa < sb ? -1 : 1;
	/*
	 * rule 9: longest matching prefix, up to the source's prefix (64
	 * bits for the unicast addresses a kernel hands out); IPv6 only,
	 * as glibc: for IPv4 it would defeat DNS round robin
	 */
	if (a->have_src && !is_mapped(a->dst) && !is_mapped(b->dst)) {
		x = common_prefix(a->src, a->dst, 64);
		y = common_prefix(b->src, b->dst, 64);
		if (x != y)
			return x > y ? -1 : 1;
	}
	/* rule 10: leave the order unchanged */
	return 0;
}

void
as_sort(struct as_cand *c, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		c[i].index = (int)i;
	/* insertion sort: stable, and a name has a handful of addresses */
	for (i = 1; i < n; i++) {
		struct as_cand k = c[i];

		for (j = i; j > 0 && as_cmp(&k, &c[j - 1]) < 0; j--)
			c[j] = c[j - 1];
		c[j] = k;
	}
}

void
as_map4(uint8_t out[16], const uint8_t v4[4])
{
	memset(out, 0, 10);
	out[10] = out[11] = 0xff;
	memcpy(out + 12, v4, 4);
}
