/* t_dnshops.c - +trace's root servers (dnshops.c): built in, from a hints file, none */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dnshops.h"
#include "tap.h"

static struct dns_hop h;

static void
hints(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL || fputs(text, fp) < 0 || fclose(fp) != 0)
		abort();
}

int
main(void)
{
	char path[] = "/tmp/t_dnshops.XXXXXX";
	int fd = mkstemp(path);
	char a[TB_ADDRSTRLEN];

	if (fd < 0)
		return 1;
	close(fd);
	TEST("the built-in root servers, on the port asked") {
		CHECK_EQ(dns_hop_roots(&h, NULL, 0, 5353), 0);
		CHECK_EQ(h.n, DNS_NROOTS);
		CHECK_STR(h.names[0], dns_roots[0][0]);
		CHECK_STR(tb_addr_str(&h.srv[0].addr, a, sizeof a), dns_roots[0][1]);
		CHECK_EQ(h.srv[12].port, 5353);
	}
	TEST("a hints file: A and AAAA of the family asked, NS lines skipped") {
		hints(path, ".  3600 IN NS a.root.test.\n"
		    "a.root.test. 3600 IN A 127.0.0.9\n"
		    "a.root.test. 3600 IN AAAA ::1\n");
		CHECK_EQ(dns_hop_roots(&h, path, 0, 53), 0);
		CHECK_EQ(h.n, 2);
		CHECK_EQ(dns_hop_roots(&h, path, 6, 53), 0);
		CHECK_EQ(h.n, 1);
		CHECK_STR(tb_addr_str(&h.srv[0].addr, a, sizeof a), "::1");
		CHECK_STR(h.names[0], "a.root.test.");
	}
	TEST("a file without an address is -2, a missing file -1") {
		hints(path, "; nothing\n.  IN NS a.root.test.\n");
		CHECK_EQ(dns_hop_roots(&h, path, 0, 53), -2);
		unlink(path);
		CHECK_EQ(dns_hop_roots(&h, path, 0, 53), -1);
	}
	return tap_done();
}
