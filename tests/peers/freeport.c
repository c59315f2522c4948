/*
 * freeport - print N port numbers that are free, at this moment, for both
 * TCP and UDP on ADDR (127.0.0.1 by default): for servers whose port must
 * be written in a config file (tests/interop).  The kernel picks them: each
 * is bound with port 0, checked on the other protocol, and held until all
 * N are found, so the N are distinct.
 *
 *   freeport [-a ADDR] [N]
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tubes.h"

#define MAXN 32

int
main(int argc, char **argv)
{
	struct tb_addr a;
	const char *addr = "127.0.0.1";
	long long n = 1;
	int fds[2 * MAXN], nfd = 0, found = 0, tries = 0;
	uint16_t ports[MAXN];

	tb_init(argv[0]);
	if (argc > 2 && strcmp(argv[1], "-a") == 0) {
		addr = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc > 2 || (argc == 2 && tb_num(argv[1], 1, MAXN, &n) < 0)) {
		fprintf(stderr, "usage: freeport [-a ADDR] [N]\n");
		tb_exit(2);
	}
	if (tb_addr_parse(addr, &a) < 0)
		tb_die(2, "bad address: %s", addr);
	while (found < n) {
		struct sockaddr_storage ss;
		socklen_t sl = tb_sockaddr(&a, 0, &ss);
		uint16_t port;
		struct tb_addr got;
		if (++tries > 1000)
			tb_die(2, "no free port found");
		int t = socket(a.family, SOCK_STREAM, 0);
		if (t < 0 || bind(t, (struct sockaddr *)&ss, sl) < 0)
			tb_die(2, "bind %s: %s", addr, strerror(errno));
		sl = sizeof ss;
		getsockname(t, (struct sockaddr *)&ss, &sl);
		tb_from_sockaddr((struct sockaddr *)&ss, &got, &port);
		int u = socket(a.family, SOCK_DGRAM, 0);
		if (u < 0 || bind(u, (struct sockaddr *)&ss, sl) < 0) {
			close(t);
			if (u >= 0)
				close(u);
			continue;
		}
		fds[nfd++] = t;
		fds[nfd++] = u;
		ports[found++] = port;
	}
	for (int i = 0; i < found; i++)
		printf("%u\n", ports[i]);
	for (int i = 0; i < nfd; i++)
		close(fds[i]);
	tb_exit(0);
}
