/*
 * t_recvmeta.c - lib/sys/errq.c's tb_recvmeta: the receive time and the
 * TTL or hop limit ping-lite and trace read from a reply's control
 * messages, from control buffers built by hand as the kernel lays them
 * out (both, one, none, and ones too short to hold their value).
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "tap.h"
#include "tubes.h"

static union { struct cmsghdr align; char buf[256]; } ctl;
static struct msghdr mh;

/* start an empty control buffer */
static void
reset(void)
{
	memset(&ctl, 0, sizeof ctl);
	memset(&mh, 0, sizeof mh);
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof ctl.buf;
}

/* append one control message; len: the data length claimed */
static struct cmsghdr *
add(struct cmsghdr *after, int level, int type, const void *data, size_t n, size_t len)
{
	struct cmsghdr *c = after ? CMSG_NXTHDR(&mh, after) : CMSG_FIRSTHDR(&mh);

	c->cmsg_level = level;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(c), data, n);
	return c;
}

static void
done(struct cmsghdr *last)
{
	mh.msg_controllen = (size_t)((char *)last - ctl.buf) + CMSG_SPACE(last->cmsg_len - CMSG_LEN(0));
}

int
main(void)
{
	struct timespec ts = { .tv_sec = 1700000000, .tv_nsec = 123456789 };
	int hops = 57, ttl;

	TEST("the timestamp in µs and the IPv4 TTL") {
		struct cmsghdr *c;

		reset();
		c = add(NULL, SOL_SOCKET, SO_TIMESTAMPNS, &ts, sizeof ts, sizeof ts);
		c = add(c, IPPROTO_IP, IP_TTL, &hops, sizeof hops, sizeof hops);
		done(c);
		CHECK_EQ(tb_recvmeta(&mh, &ttl), 1700000000LL * 1000000 + 123456);
		CHECK_EQ(ttl, 57);
		/* without ttl asked for, the time alone */
		CHECK_EQ(tb_recvmeta(&mh, NULL), 1700000000LL * 1000000 + 123456);
	}

	TEST("the IPv6 hop limit, no timestamp") {
		struct cmsghdr *c;

		reset();
		c = add(NULL, IPPROTO_IPV6, IPV6_HOPLIMIT, &hops, sizeof hops, sizeof hops);
		done(c);
		CHECK_EQ(tb_recvmeta(&mh, &ttl), 0);
		CHECK_EQ(ttl, 57);
	}

	TEST("nothing: time 0, ttl -1; messages too short for their value are skipped") {
		struct cmsghdr *c;

		reset();
		mh.msg_controllen = 0;
		CHECK_EQ(tb_recvmeta(&mh, &ttl), 0);
		CHECK_EQ(ttl, -1);
		reset();
		c = add(NULL, SOL_SOCKET, SO_TIMESTAMPNS, &ts, 4, 4);
		c = add(c, IPPROTO_IP, IP_TTL, &hops, 2, 2);
		done(c);
		CHECK_EQ(tb_recvmeta(&mh, &ttl), 0);
		CHECK_EQ(ttl, -1);
	}

	TEST("other control messages are ignored") {
		struct cmsghdr *c;
		int other = 9;

		reset();
		c = add(NULL, IPPROTO_IP, IP_TOS, &other, sizeof other, sizeof other);
		c = add(c, SOL_SOCKET, SO_TIMESTAMPNS, &ts, sizeof ts, sizeof ts);
		done(c);
		CHECK_EQ(tb_recvmeta(&mh, &ttl), 1700000000LL * 1000000 + 123456);
		CHECK_EQ(ttl, -1);
	}

	return tap_done();
}
