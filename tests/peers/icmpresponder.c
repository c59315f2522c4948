/*
 * icmpresponder - a hostile echo responder for ping-lite's tests
 * (hostile-peers.md B.2).  Runs inside a test namespace whose kernel
 * ignores echo requests (net.ipv4.icmp_echo_ignore_all=1), reads each
 * echo request on an AF_PACKET socket and answers it with a frame built
 * whole, per MODE:
 *
 *   normal       a correct echo reply
 *   wrongid      the identifier + 1                     (ICMP-01)
 *   short        an ICMP message of 4 bytes             (ICMP-02)
 *   shortquote   time exceeded quoting 20+4 bytes        (ICMP-03)
 *   otherquote   time exceeded quoting another id        (ICMP-04)
 *   spoof        the reply from another source address  (ICMP-05)
 *   ts0 / tshuge / tsneg  the first 16 data bytes zero / 0xff / 0x80..  (ICMP-06)
 *   dup          every reply three times                (ICMP-07)
 *   badsum       a wrong ICMP checksum                  (ICMP-08)
 *   trunc        the data cut to 8 bytes                (ICMP-09)
 *   optok        a valid record-route option            (ICMP-10)
 *   optbad       an option with length 0                (ICMP-10)
 *   slow         a correct reply, 1.5 s late            (ICMP-12)
 *
 * IPv6 echo requests get the same treatment in ICMPv6 (the namespace sets
 * net.ipv6.icmp.echo_ignore_all=1), except optok/optbad/short.
 *
 * usage: icmpresponder IFACE MODE READYFILE [SECONDS]
 * It writes READYFILE when listening and exits after SECONDS (default 30).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "icmp.h"
#include "ip.h"
#include "tubes.h"
#include "wire.h"

static int fd, ifindex;
static const char *mode;

static void
send_frame(const uint8_t *eth, const uint8_t *ip, size_t iplen, uint16_t ethertype)
{
	uint8_t f[2048];
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_ifindex = ifindex, .sll_halen = 6 };

	if (iplen + 14 > sizeof f)
		return;
	memcpy(f, eth + 6, 6);		/* back to the sender */
	memcpy(f + 6, eth, 6);
	put16(f + 12, ethertype);
	memcpy(f + 14, ip, iplen);
	memcpy(ll.sll_addr, eth + 6, 6);
	if (sendto(fd, f, 14 + iplen, 0, (struct sockaddr *)&ll, sizeof ll) < 0)
		perror("icmpresponder: sendto");
}

/* wrap an ICMP message m in IPv4 from src to dst (with options) into out */
static size_t
wrap(uint8_t *out, size_t cap, const uint8_t *src, const uint8_t *dst, struct icmp *m,
    const uint8_t *opt, size_t optlen)
{
	uint8_t body[1600];
	struct writer w;
	struct ip4 h = { .ttl = 64, .proto = IPP_ICMP, .opt = opt, .optlen = optlen, .id = 0x4242 };
	size_t blen;

	wr_init(&w, body, sizeof body);
	if (icmp_build(&w, m, NULL) < 0)
		return 0;
	blen = w.len;
	if (strcmp(mode, "badsum") == 0)
		body[2] ^= 0x5a;
	memcpy(h.src, src, 4);
	memcpy(h.dst, dst, 4);
	wr_init(&w, out, cap);
	if (ip4_build(&w, &h, blen) < 0)
		return 0;
	wr_bytes(&w, body, blen);
	return w.bad ? 0 : w.len;
}

static void
answer(const uint8_t *eth, const struct ip4 *req, const struct icmp *echo)
{
	uint8_t out[1600], data[1500], src[4];
	struct icmp m = { .version = 4, .type = IC4_ECHO_REPLY, .id = echo->id, .seq = echo->seq };
	const uint8_t *opt = NULL;
	size_t n, optlen = 0, dlen = echo->datalen < sizeof data ? echo->datalen : sizeof data;
	int copies = 1;
	static const uint8_t rr[8] = { 7, 7, 4, 0, 0, 0, 0, 0 }, bad[4] = { 7, 0, 4, 0 };

	memcpy(data, echo->data, dlen);
	memcpy(src, req->dst, 4);
	m.data = data;
	m.datalen = dlen;
	if (strcmp(mode, "wrongid") == 0) {
		m.id++;
	} else if (strcmp(mode, "short") == 0) {
		/* 4 bytes of ICMP only */
		uint8_t tiny[4] = { IC4_ECHO_REPLY, 0, 0, 0 };
		struct ip4 h = { .ttl = 64, .proto = IPP_ICMP };
		struct writer w;

		memcpy(h.src, src, 4);
		memcpy(h.dst, req->src, 4);
		wr_init(&w, out, sizeof out);
		ip4_build(&w, &h, 4);
		wr_bytes(&w, tiny, 4);
		send_frame(eth, out, w.len, 0x0800);
		return;
	} else if (strcmp(mode, "shortquote") == 0 || strcmp(mode, "otherquote") == 0) {
		uint8_t q[1600];
		size_t qlen = req->total_len < sizeof q ? req->total_len : sizeof q;

		memcpy(q, (const uint8_t *)req->payload - req->hlen, qlen);
		if (strcmp(mode, "shortquote") == 0)
			qlen = req->hlen + 4;
		else
			q[req->hlen + 4] ^= 0xff;	/* another identifier */
		m.type = IC4_TIME_EXCEEDED;
		m.word = 0;
		m.data = q;
		m.datalen = qlen;
		n = wrap(out, sizeof out, src, req->src, &m, NULL, 0);
		send_frame(eth, out, n, 0x0800);
		return;
	} else if (strcmp(mode, "spoof") == 0) {
		src[3] ^= 0x01;
	} else if (strncmp(mode, "ts", 2) == 0 && dlen >= 16) {
		memset(data, strcmp(mode, "ts0") == 0 ? 0x00 : strcmp(mode, "tshuge") == 0 ? 0xff : 0x80, 16);
	} else if (strcmp(mode, "dup") == 0) {
		copies = 3;
	} else if (strcmp(mode, "trunc") == 0) {
		m.datalen = dlen > 8 ? 8 : dlen;
	} else if (strcmp(mode, "optok") == 0) {
		opt = rr, optlen = sizeof rr;
	} else if (strcmp(mode, "optbad") == 0) {
		opt = bad, optlen = sizeof bad;
	} else if (strcmp(mode, "slow") == 0) {
		poll(NULL, 0, 1500);
	}
	n = wrap(out, sizeof out, src, req->src, &m, opt, optlen);
	while (n && copies-- > 0)
		send_frame(eth, out, n, 0x0800);
}

/* the same for ICMPv6 */
static void
answer6(const uint8_t *eth, const struct ip6 *req, const struct icmp *echo)
{
	uint8_t out[1600], body[1600], data[1500], q[1600];
	struct icmp m = { .version = 6, .type = IC6_ECHO_REPLY, .id = echo->id, .seq = echo->seq };
	struct ip6 h = { .next = IPP_ICMPV6, .hlim = 64 };
	struct ip_pseudo ps = { .version = 6 };
	size_t dlen = echo->datalen < sizeof data ? echo->datalen : sizeof data, blen;
	struct writer w;
	int copies = 1;

	memcpy(data, echo->data, dlen);
	memcpy(h.src, req->dst, 16);
	memcpy(h.dst, req->src, 16);
	m.data = data;
	m.datalen = dlen;
	if (strcmp(mode, "wrongid") == 0) {
		m.id++;
	} else if (strcmp(mode, "shortquote") == 0 || strcmp(mode, "otherquote") == 0) {
		size_t qlen = 40 + (size_t)req->plen;

		if (qlen > sizeof q)
			qlen = sizeof q;
		memcpy(q, req->payload - req->hdrlen, qlen);
		if (strcmp(mode, "shortquote") == 0)
			qlen = req->hdrlen + 4;
		else
			q[req->hdrlen + 4] ^= 0xff;	/* another identifier */
		m.type = IC6_TIME_EXCEEDED;
		m.word = 0;
		m.data = q;
		m.datalen = qlen;
	} else if (strcmp(mode, "spoof") == 0) {
		h.src[15] ^= 0x01;
	} else if (strncmp(mode, "ts", 2) == 0 && dlen >= 16) {
		memset(data, strcmp(mode, "ts0") == 0 ? 0x00 : strcmp(mode, "tshuge") == 0 ? 0xff : 0x80, 16);
	} else if (strcmp(mode, "dup") == 0) {
		copies = 3;
	} else if (strcmp(mode, "trunc") == 0) {
		m.datalen = dlen > 8 ? 8 : dlen;
	} else if (strcmp(mode, "slow") == 0) {
		poll(NULL, 0, 1500);
	}
	memcpy(ps.src, h.src, 16);
	memcpy(ps.dst, h.dst, 16);
	wr_init(&w, body, sizeof body);
	if (icmp_build(&w, &m, &ps) < 0)
		return;
	if (strcmp(mode, "badsum") == 0)
		body[2] ^= 0x5a;
	blen = w.len;
	wr_init(&w, out, sizeof out);
	if (ip6_build(&w, &h, blen) < 0)
		return;
	wr_bytes(&w, body, blen);
	while (!w.bad && copies-- > 0)
		send_frame(eth, out, w.len, 0x86dd);
}

int
main(int argc, char **argv)
{
	int64_t end;
	long long secs = 30;
	FILE *fp;

	tb_init(argv[0]);
	if (argc < 4) {
		fprintf(stderr, "usage: icmpresponder IFACE MODE READYFILE [SECONDS]\n");
		return 2;
	}
	mode = argv[2];
	if (argc > 4 && tb_num(argv[4], 1, 3600, &secs) < 0)
		return 2;
	end = tb_now() + secs * 1000000;
	if ((ifindex = (int)if_nametoindex(argv[1])) == 0 ||
	    (fd = socket(AF_PACKET, SOCK_RAW, htons(0x0003))) < 0) {
		perror("icmpresponder");
		return 2;
	}
	{
		struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(0x0003),
		    .sll_ifindex = ifindex };

		if (bind(fd, (struct sockaddr *)&ll, sizeof ll) < 0) {
			perror("icmpresponder: bind");
			return 2;
		}
	}
	if ((fp = fopen(argv[3], "w")) == NULL || fprintf(fp, "%d\n", (int)getpid()) < 0 || fclose(fp))
		return 2;
	while (tb_now() < end) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		struct sockaddr_ll from;
		socklen_t fl = sizeof from;
		uint8_t f[2048];
		struct ip4 h;
		struct icmp m;
		ssize_t n;

		if (poll(&pfd, 1, tb_ms_until(end)) <= 0)
			continue;
		n = recvfrom(fd, f, sizeof f, 0, (struct sockaddr *)&from, &fl);
		if (n < 14 + 20 || from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (get16(f + 12) == 0x86dd) {
			struct ip6 h6;

			if (ip6_parse(f + 14, (size_t)n - 14, 0, &h6) == IP_OK && h6.proto == IPP_ICMPV6 &&
			    icmp6_parse(h6.payload, h6.paylen, NULL, &m) == ICMP_OK &&
			    m.type == IC6_ECHO_REQUEST)
				answer6(f, &h6, &m);
			continue;
		}
		if (get16(f + 12) != 0x0800 || ip4_parse(f + 14, (size_t)n - 14, 0, &h) != IP_OK ||
		    h.proto != IPP_ICMP)
			continue;
		if (icmp4_parse(h.payload, h.paylen, &m) != ICMP_OK || m.type != IC4_ECHO_REQUEST)
			continue;
		answer(f, &h, &m);
	}
	return 0;
}
