/*
 * dnsresolve - the stub resolver from the shell, for tests/resolver.bats:
 *
 *   dnsresolve [-4|-6] NAME      addresses, one a line (tb_resolve)
 *   dnsresolve -m DOMAIN         "PREF HOST" lines (tb_resolve_mx)
 *   dnsresolve -r ADDRESS        the name (tb_resolve_ptr)
 *   -X                           the DNS packets, decoded, on stderr
 *
 * Exit 0 found, 1 a definitive no, 3 failure; the reason on stderr.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dnsnet.h"
#include "resolv.h"
#include "tubes.h"

int
main(int argc, char **argv)
{
	static struct layers lv;
	int c, family = AF_UNSPEC, mode = 0, n, i;
	const char *why = NULL;

	tb_init(argv[0]);
	while ((c = getopt(argc, argv, "46mrX")) != -1) {
		switch (c) {
		case '4': family = AF_INET; break;
		case '6': family = AF_INET6; break;
		case 'm': mode = 'm'; break;
		case 'r': mode = 'r'; break;
		case 'X': lv.fp = stderr; dns_resolver_layers(&lv); break;
		default: tb_usage_error("bad option");
		}
	}
	if (optind != argc - 1)
		tb_usage_error("one name");
	if (mode == 'm') {
		struct tb_mx mx[16];

		n = tb_resolve_mx(argv[optind], mx, 16, &why);
		for (i = 0; i < n; i++)
			printf("%u %s\n", mx[i].pref, mx[i].host);
	} else if (mode == 'r') {
		struct tb_addr a;
		char name[256];

		if (tb_addr_parse(argv[optind], &a) < 0)
			tb_usage_error("not an address");
		if (tb_resolve_ptr(&a, name, sizeof name) < 0)
			tb_die(EXIT_NET, "%s: no name", argv[optind]);
		puts(name);
		tb_exit(EXIT_OK);
	} else {
		struct tb_addr a[16];
		char s[TB_ADDRSTRLEN];

		n = tb_resolve(argv[optind], family, a, 16, &why);
		for (i = 0; i < n; i++)
			puts(tb_addr_str(&a[i], s, sizeof s));
	}
	if (n > 0)
		tb_exit(EXIT_OK);
	if (n == -2) {	/* tb_resolve's local refusals: the commands' rule */
		char m[400];
		int code = tb_lookup_failed(argv[optind], n, why, m, sizeof m);

		tb_warn("%s", m);
		tb_exit(code);
	}
	tb_warn("%s: %s", argv[optind], why ? why : "no answer");
	tb_exit(n == 0 ? EXIT_NO : EXIT_NET);
}
