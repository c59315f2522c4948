/*
 * t_dnsref.c - what +trace reads besides answers (dnsref.c): root hints
 * lines as named.root writes them, the servers of a referral with and
 * without glue in the order dig-lite asks them, and the EDNS option walk
 * that stops at an option running past the OPT rdata.
 */
#include <stdio.h>
#include <string.h>

#include "dns.h"
#include "tap.h"
#include "wire.h"

static uint8_t m[4096];

static struct dns_name
N(const char *s)
{
	struct dns_name nm;

	if (dns_name_from_str(s, &nm) != DNS_OK)
		nm.len = 0;
	return nm;
}

static void
put_addr(struct writer *w, struct dns_comp *c, const char *owner, uint16_t type,
    const uint8_t *a)
{
	struct dns_name nm = N(owner);
	struct dns_rdata rd;

	memset(&rd, 0, sizeof rd);
	memcpy(rd.addr, a, type == DNS_T_A ? 4 : 16);
	dns_put_rr(w, c, &nm, type, DNS_C_IN, 60, &rd);
}

static void
put_ns(struct writer *w, struct dns_comp *c, const char *zone, const char *ns)
{
	struct dns_name z = N(zone);
	struct dns_rdata rd;

	memset(&rd, 0, sizeof rd);
	rd.name = N(ns);
	dns_put_rr(w, c, &z, DNS_T_NS, DNS_C_IN, 60, &rd);
}

/*
 * A referral for lab.test: ns1 with an A and an AAAA in additional, ns2
 * without glue, ns3 with an A; an A record for an unrelated name and one
 * in answer that must not count as glue.
 */
static size_t
referral_msg(void)
{
	static const uint8_t a1[4] = { 10, 0, 0, 1 }, a3[4] = { 10, 0, 0, 3 },
	    a9[4] = { 10, 0, 0, 9 };
	static const uint8_t v6[16] = { 0xfd, 0, [15] = 1 };
	struct writer w;
	struct dns_comp c = { 0 };
	struct dns_header h = { 9, DNS_QR, 1, 1, 3, 4 };
	struct dns_name q = N("www.lab.test");

	wr_init(&w, m, sizeof m);
	dns_put_header(&w, &h);
	dns_put_question(&w, &c, &q, DNS_T_A, DNS_C_IN);
	put_addr(&w, &c, "ns2.lab.test", DNS_T_A, a9);	/* answer: not glue */
	put_ns(&w, &c, "lab.test", "ns1.lab.test");
	put_ns(&w, &c, "lab.test", "ns2.lab.test");
	put_ns(&w, &c, "lab.test", "NS3.lab.test");
	put_addr(&w, &c, "ns1.lab.test", DNS_T_A, a1);
	put_addr(&w, &c, "other.test", DNS_T_A, a9);
	put_addr(&w, &c, "ns1.lab.test", DNS_T_AAAA, v6);
	put_addr(&w, &c, "ns3.lab.test", DNS_T_A, a3);
	return w.bad ? 0 : w.len;
}

/* the referral's items as "name/af/first byte of address" lines */
static const char *
walk(const struct dns_msg *msg, int family)
{
	static char out[512];
	struct dns_ref_it it;
	struct dns_ref r;
	char s[DNS_NAMESTRLEN];
	size_t n = 0;

	memset(&it, 0, sizeof it);
	out[0] = '\0';
	while (dns_referral_next(msg, family, &it, &r) && n + 100 < sizeof out) {
		dns_name_str(&r.name, s, sizeof s);
		n += (size_t)snprintf(out + n, sizeof out - n, "%s/%d/%u ", s, r.af,
		    r.af == 4 ? r.addr[3] : r.af == 6 ? r.addr[0] : 0);
	}
	return out;
}

int
main(void)
{
	TEST("root hints: named.root's A and AAAA lines, owner and address") {
		char name[64], addr[64];

		CHECK(dns_hints_line("A.ROOT-SERVERS.NET.      3600000      A     198.41.0.4\n",
		    0, name, sizeof name, addr, sizeof addr));
		CHECK_STR(name, "A.ROOT-SERVERS.NET.");
		CHECK_STR(addr, "198.41.0.4");
		CHECK(dns_hints_line("a.root-servers.net. 3600000 IN aaaa 2001:503:ba3e::2:30", 0,
		    name, sizeof name, addr, sizeof addr));
		CHECK_STR(addr, "2001:503:ba3e::2:30");
		CHECK(dns_hints_line("\tb.root\tA\t170.247.170.2\r\n", 0, name, sizeof name,
		    addr, sizeof addr));
		CHECK_STR(name, "b.root");
		CHECK_STR(addr, "170.247.170.2");
	}
	TEST("root hints: NS lines, comments, short lines and the other family give nothing") {
		char name[64], addr[64];

		CHECK(!dns_hints_line(".  3600000  NS  A.ROOT-SERVERS.NET.", 0, name, sizeof name,
		    addr, sizeof addr));
		CHECK(!dns_hints_line("; a.root 1 A 1.2.3.4", 0, name, sizeof name, addr, sizeof addr));
		CHECK(!dns_hints_line("a.root A", 0, name, sizeof name, addr, sizeof addr));
		CHECK(!dns_hints_line("", 0, name, sizeof name, addr, sizeof addr));
		CHECK(!dns_hints_line("a.root 1 AAAA ::1", 4, name, sizeof name, addr, sizeof addr));
		CHECK(!dns_hints_line("a.root 1 A 1.2.3.4", 6, name, sizeof name, addr, sizeof addr));
		CHECK(dns_hints_line("a.root 1 A 1.2.3.4", 4, name, sizeof name, addr, sizeof addr));
		/* the type must come before the last of the first five words */
		CHECK(!dns_hints_line("a.root 1 IN X Y A 1.2.3.4", 0, name, sizeof name,
		    addr, sizeof addr));
	}
	TEST("root hints: a long name is cut to fit, a long address is refused") {
		char name[8], addr[8];

		CHECK(dns_hints_line("very.long.name A 1.2.3.4", 0, name, sizeof name, addr,
		    sizeof addr));
		CHECK_STR(name, "very.lo");
		CHECK(!dns_hints_line("n A 1.2.3.45", 0, name, sizeof name, addr, sizeof addr));
	}
	TEST("referral: glue in additional order per NS, no-glue NS as af 0, answer ignored") {
		struct dns_msg msg;
		size_t n = referral_msg();

		CHECK(n > 0);
		CHECK_EQ(dns_parse(&msg, m, n), DNS_OK);
		CHECK_STR(walk(&msg, 0), "ns1.lab.test./4/1 ns1.lab.test./6/253 ns2.lab.test./0/0 "
		    "NS3.lab.test./4/3 ");
		CHECK_STR(walk(&msg, 4), "ns1.lab.test./4/1 ns2.lab.test./0/0 NS3.lab.test./4/3 ");
		/* IPv6 only: ns3's A does not count, so ns3 has to be looked up */
		CHECK_STR(walk(&msg, 6), "ns1.lab.test./6/253 ns2.lab.test./0/0 NS3.lab.test./0/0 ");
	}
	TEST("referral: an answer without authority names no server") {
		struct dns_msg msg;
		struct writer w;
		struct dns_comp c = { 0 };
		struct dns_header h = { 9, DNS_QR, 1, 1, 0, 0 };
		struct dns_name q = N("www.lab.test");
		static const uint8_t a[4] = { 10, 0, 0, 1 };

		wr_init(&w, m, sizeof m);
		dns_put_header(&w, &h);
		dns_put_question(&w, &c, &q, DNS_T_A, DNS_C_IN);
		put_addr(&w, &c, "www.lab.test", DNS_T_A, a);
		CHECK_EQ(dns_parse(&msg, m, w.len), DNS_OK);
		CHECK_STR(walk(&msg, 0), "");
	}
	TEST("EDNS options: NSID and COOKIE walked, an overrunning option ends the walk") {
		static const uint8_t rd[] = { 0, 3, 0, 2, 'n', 's', 0, 10, 0, 0,
		    0, 8, 0, 9, 1, 2 };
		size_t off = 0;
		uint16_t code, len;
		const uint8_t *v;

		CHECK(dns_opt_next(rd, sizeof rd, &off, &code, &v, &len));
		CHECK_EQ(code, 3);
		CHECK_EQ(len, 2);
		CHECK(v == rd + 4);
		CHECK(dns_opt_next(rd, sizeof rd, &off, &code, &v, &len));
		CHECK_EQ(code, 10);
		CHECK_EQ(len, 0);
		CHECK(!dns_opt_next(rd, sizeof rd, &off, &code, &v, &len));
		off = 0;
		CHECK(!dns_opt_next(rd, 3, &off, &code, &v, &len));
	}
	TEST("-f lines: name, type and class words in any order; comments and blank lines skipped") {
		char l1[] = "  www.lab.test\tMX CH", l2[] = "# x", l3[] = " ; x", l4[] = " \t ",
		    l5[] = "a..b A", l6[] = "x.test A bogus CH more";
		struct dns_name nm;
		uint16_t t = DNS_T_A, c = DNS_C_IN;
		const char *bad[DNS_QL_MAXBAD];
		char s[DNS_NAMESTRLEN];

		CHECK_EQ(dns_query_line(l1, &nm, &t, &c, bad), DNS_QL_OK);
		dns_name_str(&nm, s, sizeof s);
		CHECK_STR(s, "www.lab.test.");
		CHECK_EQ(t, DNS_T_MX);
		CHECK_EQ(c, DNS_C_CH);
		CHECK_EQ(dns_query_line(l2, &nm, &t, &c, bad), DNS_QL_SKIP);
		CHECK_EQ(dns_query_line(l3, &nm, &t, &c, bad), DNS_QL_SKIP);
		CHECK_EQ(dns_query_line(l4, &nm, &t, &c, bad), DNS_QL_SKIP);
		CHECK_EQ(dns_query_line(l5, &nm, &t, &c, bad), DNS_QL_BADNAME);
		CHECK_STR(bad[0], "a..b");
		t = DNS_T_AAAA;
		CHECK_EQ(dns_query_line(l6, &nm, &t, &c, bad), 2);
		CHECK_STR(bad[0], "bogus");
		CHECK_STR(bad[1], "more");
		CHECK_EQ(t, DNS_T_A);
	}
	TEST("the flags dig lists, and the answers counted for the question's type") {
		char f[40];
		struct dns_msg msg;

		dns_flags_str(DNS_QR | DNS_RD | DNS_RA, f, sizeof f);
		CHECK_STR(f, "qr rd ra");
		dns_flags_str(0, f, sizeof f);
		CHECK_STR(f, "");
		CHECK_EQ(dns_flags_str(DNS_QR | DNS_AA, f, 4), 5);
		CHECK_STR(f, "qr ");
		CHECK_EQ(dns_parse(&msg, m, referral_msg()), DNS_OK);
		CHECK_EQ(dns_answer_count(&msg), 1);	/* the A in answer, of the type asked */
	}
	TEST("the built-in root servers all parse as dotted quads") {
		size_t i, k, dots;

		for (i = 0; i < DNS_NROOTS; i++) {
			for (k = dots = 0; dns_roots[i][1][k]; k++)
				dots += dns_roots[i][1][k] == '.';
			CHECK_EQ(dots, 3);
			CHECK_EQ(dns_roots[i][0][0], 'a' + (int)i);
		}
	}
	return tap_done();
}
