/*
 * lopeer.h - the pieces of a scripted server on 127.0.0.1 that the FTP
 * unit tests (t_ftpfetch, t_ftpput) share: a listening socket on a free
 * port, a reply written whole, a command line read without its CR LF.
 * The server itself (what it answers) is each test's own.
 */
#ifndef TUBES_LOPEER_H
#define TUBES_LOPEER_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tubes.h"

/* a listening socket on 127.0.0.1, its port in *port */
static inline int
listen_lo(uint16_t *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 1) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) < 0)
		exit(99);
	*port = ntohs(sa.sin_port);
	return fd;
}

static inline void
put(int fd, const char *s)
{
	if (tb_write_all(fd, s, strlen(s)) < 0)
		_exit(98);
}

/* one line from fd without its CR LF; 0 at the end */
static inline int
line(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	char ch;

	while (read(fd, &ch, 1) == 1) {
		if (ch == '\n') {
			if (n > 0 && buf[n - 1] == '\r')
				n--;
			buf[n] = '\0';
			return 1;
		}
		if (n + 1 < cap)
			buf[n++] = ch;
	}
	return 0;
}

#endif
