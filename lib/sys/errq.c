/*
 * errq.c - the error queue of an IP_RECVERR socket, and the receive
 * time and TTL of a reply (ping-lite, trace)
 */
#include <time.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "tubes.h"

int
tb_errqueue(struct msghdr *mh, struct sock_extended_err *ee, struct tb_addr *offender)
{
	struct cmsghdr *c;
	int found = 0;

	memset(offender, 0, sizeof *offender);
	for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (!((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
		    (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)) ||
		    c->cmsg_len < CMSG_LEN(sizeof *ee))
			continue;
		memcpy(ee, CMSG_DATA(c), sizeof *ee);
		if (c->cmsg_len > CMSG_LEN(sizeof *ee + sizeof(sa_family_t))) {
			/* SO_EE_OFFENDER: the sockaddr right after the error */
			struct sockaddr_storage os;
			size_t olen = c->cmsg_len - CMSG_LEN(sizeof *ee);

			memset(&os, 0, sizeof os);
			memcpy(&os, CMSG_DATA(c) + sizeof *ee, olen < sizeof os ? olen : sizeof os);
			(void)tb_from_sockaddr((struct sockaddr *)&os, offender, NULL);
		}
		found = 1;
	}
	return found;
}

int64_t
tb_recvmeta(struct msghdr *mh, int *ttl)
{
	struct cmsghdr *c;
	int64_t kwall = 0;

	if (ttl)
		*ttl = -1;
	for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct timespec))) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(c), sizeof ts);
			kwall = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
		} else if (ttl && ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) ||
		    (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT)) &&
		    c->cmsg_len >= CMSG_LEN(sizeof(int))) {
			memcpy(ttl, CMSG_DATA(c), sizeof *ttl);
		}
	}
	return kwall;
}
