/*
 * peer.h - a scripted server for the unit tests of a conversation
 * (t_smtpxact, t_pop3fetch): a child at the other end of a socketpair,
 * which hands back on a pipe what it heard.
 */
#ifndef TUBES_PEER_H
#define TUBES_PEER_H

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conn.h"

struct peer {
	pid_t pid;
	int log;		/* what the child heard, until it ends */
};

/*
 * Fork the child, which runs fn(fd, log, arg) on the server's end and
 * exits; c is set up on the client's end, with no deadline of its own.
 */
static void
peer_start(struct peer *pr, struct conn *c, void (*fn)(int, int, const void *), const void *arg)
{
	int sv[2], lg[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || pipe(lg) < 0)
		exit(1);
	if ((pr->pid = fork()) == 0) {
		close(sv[0]);
		close(lg[0]);
		fn(sv[1], lg[1], arg);
		_exit(0);
	}
	close(sv[1]);
	close(lg[1]);
	pr->log = lg[0];
	memset(c, 0, sizeof *c);
	c->rfd = c->wfd = sv[0];
	c->idle = c->deadline = -1;
}

/* close c, and wait for the child: what it heard, NUL-terminated, into buf */
static void
peer_stop(struct peer *pr, struct conn *c, char *buf, size_t cap)
{
	size_t n = 0;
	ssize_t k;
	int st;

	close(c->rfd);
	while (n < cap - 1 && (k = read(pr->log, buf + n, cap - 1 - n)) > 0)
		n += (size_t)k;
	buf[n] = '\0';
	close(pr->log);
	(void)waitpid(pr->pid, &st, 0);
}

#endif
