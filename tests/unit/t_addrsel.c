/* t_addrsel.c - RFC 6724 destination address selection (addrsel.c) */
#include <string.h>
#include <sys/socket.h>

#include "addrsel.h"
#include "tap.h"
#include "tubes.h"

/* a candidate from text: dst, and src or NULL for no route */
static struct as_cand
cand(const char *dst, const char *src)
{
	struct as_cand c;
	struct tb_addr a;

	memset(&c, 0, sizeof c);
	if (tb_addr_parse(dst, &a) < 0)
		abort();
	if (a.family == AF_INET)
		as_map4(c.dst, a.a);
	else
		memcpy(c.dst, a.a, 16);
	if (src) {
		if (tb_addr_parse(src, &a) < 0)
			abort();
		if (a.family == AF_INET)
			as_map4(c.src, a.a);
		else
			memcpy(c.src, a.a, 16);
		c.have_src = 1;
	}
	return c;
}

static const uint8_t *
A(const char *s)
{
	static struct as_cand c;

	c = cand(s, NULL);
	return c.dst;
}

/* sort n candidates; the input index of each, in the order chosen, as digits */
static const char *
order(struct as_cand *c, size_t n)
{
	static char buf[17];
	size_t i;

	as_sort(c, n);
	for (i = 0; i < n && i < 16; i++)
		buf[i] = (char)('0' + c[i].index);
	buf[i] = '\0';
	return buf;
}

int
main(void)
{
	TEST("the default policy table of RFC 6724 2.1: precedence and label") {
		CHECK_EQ(as_precedence(A("::1")), 50);
		CHECK_EQ(as_label(A("::1")), 0);
		CHECK_EQ(as_precedence(A("2001:0:5ef5:79fb::1")), 5);	/* 2001::/32, Teredo */
		CHECK_EQ(as_precedence(A("2001:db8::1")), 40);	/* not Teredo: 2001:db8 */
		CHECK_EQ(as_precedence(A("2a00::1")), 40);
		CHECK_EQ(as_label(A("2a00::1")), 1);
		CHECK_EQ(as_precedence(A("10.0.0.1")), 35);
		CHECK_EQ(as_label(A("10.0.0.1")), 4);
		CHECK_EQ(as_precedence(A("2002:c000:201::1")), 30);
		CHECK_EQ(as_label(A("2002:c000:201::1")), 2);
		CHECK_EQ(as_precedence(A("fd00:a::2")), 3);
		CHECK_EQ(as_label(A("fd00:a::2")), 13);
		CHECK_EQ(as_precedence(A("fec0::1")), 1);
		CHECK_EQ(as_label(A("fec0::1")), 11);
		CHECK_EQ(as_label(A("3ffe::1")), 12);
		CHECK_EQ(as_label(A("::10.0.0.1")), 3);
	}

	TEST("scopes: link-local, loopback, IPv4's link-local, multicast's field, global") {
		CHECK_EQ(as_scope(A("fe80::1")), 2);
		CHECK_EQ(as_scope(A("::1")), 2);
		CHECK_EQ(as_scope(A("127.0.0.1")), 2);
		CHECK_EQ(as_scope(A("169.254.1.1")), 2);
		CHECK_EQ(as_scope(A("10.0.0.1")), 14);
		CHECK_EQ(as_scope(A("fec0::1")), 5);
		CHECK_EQ(as_scope(A("ff05::2")), 5);
		CHECK_EQ(as_scope(A("fd00::1")), 14);
	}

	TEST("rule 1: an address without a route goes after one with a route") {
		struct as_cand c[2] = { cand("2a00::2", NULL), cand("10.0.0.2", "10.0.0.1") };

		CHECK_STR(order(c, 2), "10");
		struct as_cand d[2] = { cand("10.0.0.2", NULL), cand("2a00::2", "2a00::1") };

		CHECK_STR(order(d, 2), "10");
	}

	TEST("rule 6: both routed, global IPv6 (40) before IPv4 (35) before ULA (3)") {
		struct as_cand c[2] = { cand("10.0.0.2", "10.0.0.1"), cand("2a00::2", "2a00::1") };

		CHECK_STR(order(c, 2), "10");
		struct as_cand d[2] = { cand("fd00:a:3::2", "fd00:a::1"), cand("10.10.3.2", "10.10.0.1") };

		CHECK_STR(order(d, 2), "10");
		struct as_cand e[2] = { cand("127.0.0.1", "127.0.0.1"), cand("::1", "::1") };

		CHECK_STR(order(e, 2), "10");
	}

	TEST("rule 2: matching scope wins over precedence") {
		/* a global IPv6 destination reachable only from a link-local source */
		struct as_cand c[2] = { cand("2a00::2", "fe80::1"), cand("10.0.0.2", "10.0.0.1") };

		CHECK_STR(order(c, 2), "10");
	}

	TEST("rule 5: matching label wins over precedence") {
		/* a global IPv6 destination from a ULA source (label 13 vs 1): IPv4 first */
		struct as_cand c[2] = { cand("2a00::2", "fd00::1"), cand("10.0.0.2", "10.0.0.1") };

		CHECK_STR(order(c, 2), "10");
		/* a 6to4 destination from a 6to4 source, before a native one from a ULA source */
		struct as_cand d[2] = { cand("2a00::2", "fd00::1"), cand("2002:c000:201::2", "2002:c000:201::1") };

		CHECK_STR(order(d, 2), "10");
	}

	TEST("rule 8: smaller scope first when precedence ties") {
		struct as_cand c[2] = { cand("2a00::2", "2a00::1"), cand("fe80::2", "fe80::1") };

		CHECK_STR(order(c, 2), "10");
	}

	TEST("rule 9: the longer prefix shared with its source, IPv6 only; rule 10 keeps the order") {
		struct as_cand c[2] = { cand("2a00:1::2", "2a00:2::1"), cand("2a00:2::2", "2a00:2::1") };

		CHECK_STR(order(c, 2), "10");
		/* IPv4: no rule 9, the order given (DNS round robin survives) */
		struct as_cand d[2] = { cand("10.1.0.2", "10.0.0.1"), cand("10.0.0.2", "10.0.0.1") };

		CHECK_STR(order(d, 2), "01");
		/* beyond 64 bits the prefix does not count */
		struct as_cand e[2] = { cand("2a00::1:2", "2a00::1:1"), cand("2a00::2", "2a00::1:1") };

		CHECK_STR(order(e, 2), "01");
		/* nothing routed: precedence still orders them */
		struct as_cand f[3] = { cand("10.0.0.2", NULL), cand("fd00::2", NULL), cand("2a00::2", NULL) };

		CHECK_STR(order(f, 3), "201");
	}

	return tap_done();
}
