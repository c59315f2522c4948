/* segview.c - every TCP segment of one connection, captured and decoded (segview.h) */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if_arp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "eth.h"
#include "ip.h"
#include "segview.h"
#include "tcp.h"

#define SNAP	192		/* Ethernet + the longest IPv4 and TCP headers */
#define ETH_HLEN_ 14

int
segview_open(struct segview *sv, struct layers *lv, uint16_t lport, uint16_t rport)
{
	/*
	 * Classic BPF over the frame: IPv4 (not a later fragment) or IPv6
	 * with TCP next, X = the IP header's length, then the ports either
	 * way round.  Jumps count instructions from the next one.
	 */
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),			/* 0 EtherType */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETHERTYPE_IPV6, 7, 0),	/* 1 -> 9 */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETHERTYPE_IP, 0, 17),	/* 2 else drop */
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 23),			/* 3 protocol */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 6, 0, 15),		/* 4 TCP? */
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 20),			/* 5 fragment offset */
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 13, 0),	/* 6 a later fragment: drop */
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, ETH_HLEN_),		/* 7 X = 4 * IHL */
		BPF_STMT(BPF_JMP | BPF_JA, 3),				/* 8 -> 12 */
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 20),			/* 9 IPv6 next header */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 6, 0, 9),		/* 10 TCP? */
		BPF_STMT(BPF_LDX | BPF_W | BPF_IMM, 40),		/* 11 X = 40 */
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, ETH_HLEN_),		/* 12 source port */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, lport, 0, 2),	/* 13 ours: check the other */
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, ETH_HLEN_ + 2),	/* 14 destination port */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, rport, 3, 4),	/* 15 */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, rport, 0, 3),	/* 16 the peer's */
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, ETH_HLEN_ + 2),	/* 17 */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, lport, 0, 1),	/* 18 */
		BPF_STMT(BPF_RET | BPF_K, SNAP),			/* 19 keep the headers */
		BPF_STMT(BPF_RET | BPF_K, 0),				/* 20 drop */
	};
	struct sock_fprog prog = { sizeof f / sizeof f[0], f };
	struct sockaddr_ll sll;
	int one = 1, buf = 4 << 20, e;

	memset(sv, 0, sizeof *sv);
	sv->lv = lv;
	sv->lport = lport;
	sv->rport = rport;
	/* protocol 0 receives nothing until bound: the filter is in place first */
	if ((sv->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0)
		return -1;
	memset(&sll, 0, sizeof sll);
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	if (setsockopt(sv->fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) < 0 ||
	    setsockopt(sv->fd, SOL_SOCKET, SO_TIMESTAMP, &one, sizeof one) < 0 ||
	    bind(sv->fd, (struct sockaddr *)&sll, sizeof sll) < 0) {
		e = errno;
		close(sv->fd);
		sv->fd = -1;
		errno = e;
		return -1;
	}
	/* a fast transfer must not outrun the reader: a large buffer */
	(void)setsockopt(sv->fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf);
	return 0;
}

/* a - b in sequence space (RFC 9293 3.4: modulo 2^32) */
static int32_t
seqdiff(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b);
}

/* the TCP header of a frame: its offset, and the IP header's facts */
static size_t
tcp_at(const uint8_t *p, size_t n, int *version, size_t *iplen)
{
	size_t ihl;

	if (n < ETH_HLEN_ + 20)
		return 0;
	*version = p[ETH_HLEN_] >> 4;
	if (*version == 4) {
		ihl = (size_t)(p[ETH_HLEN_] & 15) * 4;
		*iplen = (size_t)p[ETH_HLEN_ + 2] << 8 | p[ETH_HLEN_ + 3];
		return ihl >= 20 ? ETH_HLEN_ + ihl : 0;
	}
	if (*version == 6 && n >= ETH_HLEN_ + 40) {
		*iplen = 40 + ((size_t)p[ETH_HLEN_ + 4] << 8 | p[ETH_HLEN_ + 5]);
		return ETH_HLEN_ + 40;
	}
	return 0;
}

static void
show(struct segview *sv, const uint8_t *p, size_t n, int64_t when)
{
	struct tcp t;
	char fl[64];
	size_t off, iplen = 0, datalen;
	int version = 0, d;
	uint32_t seqlen, win;

	if ((off = tcp_at(p, n, &version, &iplen)) == 0 || off + 20 > n)
		return;
	memset(&t, 0, sizeof t);
	if (tcp_parse(p + off, n - off, NULL, &t) < 0 && t.doff == 0)
		return;
	d = t.sport == sv->lport ? 0 : 1;
	/* the end: a reset, or the ACK of the second FIN */
	if ((t.flags & TCP_RST) || (sv->fin[0] && sv->fin[1] && !(t.flags & TCP_FIN) &&
	    (t.flags & TCP_ACK)))
		sv->done = 1;
	if (t.flags & TCP_FIN)
		sv->fin[d] = 1;
	/* the payload's length from the IP header: the capture holds headers only */
	datalen = iplen > off - ETH_HLEN_ + t.doff ? iplen - (off - ETH_HLEN_) - t.doff : 0;
	if (sv->segs[0] + sv->segs[1] == 0)
		sv->t0 = when;
	sv->segs[d]++;
	sv->bytes[d] += datalen;
	if (t.flags & TCP_SYN) {
		sv->isn[d] = t.seq;
		sv->have_isn[d] = 1;
		sv->next[d] = t.seq;
		sv->wscale[d] = t.has_ws ? t.ws : 0;
		if (d == 1)
			sv->wscale_ok = t.has_ws && sv->wscale[0] != 0xff;
		if (d == 0 && !t.has_ws)
			sv->wscale[0] = 0xff;	/* we did not offer it: no scaling */
	}
	seqlen = (uint32_t)datalen + !!(t.flags & TCP_SYN) + !!(t.flags & TCP_FIN);
	if (seqlen && sv->have_isn[d] && !(t.flags & TCP_SYN) &&
	    seqdiff(t.seq + seqlen, sv->next[d]) <= 0)
		sv->retrans[d]++;
	if (sv->have_isn[d] && seqdiff(t.seq + seqlen, sv->next[d]) > 0)
		sv->next[d] = t.seq + seqlen;
	win = t.window;
	if (!(t.flags & TCP_SYN) && sv->wscale_ok)
		win <<= sv->wscale[d] > 14 ? 14 : sv->wscale[d];
	if (win > sv->peak_win[d])
		sv->peak_win[d] = win;

	lv_packet(sv->lv, "TCP segment %s [%s], %zu bytes of data, at +%.3f ms",
	    d == 0 ? "sent" : "received", tcp_flags_str(t.flags, fl, sizeof fl), datalen,
	    (double)(when - sv->t0) / 1000.0);
	eth_decode(sv->lv, p, n);
	if (version == 4)
		ip4_decode(sv->lv, p + ETH_HLEN_, n - ETH_HLEN_);
	else
		ip6_decode(sv->lv, p + ETH_HLEN_, n - ETH_HLEN_);
	tcp_decode(sv->lv, p + off, n - off, NULL);
	if (sv->have_isn[d])
		lv_field(sv->lv, "Relative Sequence Number", "%u (from the %s's ISN %u)",
		    (unsigned)(t.seq - sv->isn[d]), d == 0 ? "client" : "server",
		    (unsigned)sv->isn[d]);
	if ((t.flags & TCP_ACK) && sv->have_isn[!d])
		lv_field(sv->lv, "Relative Acknowledgment Number", "%u",
		    (unsigned)(t.ack - sv->isn[!d]));
	if (!(t.flags & TCP_SYN) && sv->wscale_ok)
		lv_field(sv->lv, "Window (scaled)", "%u << %u = %u bytes", t.window,
		    (unsigned)sv->wscale[d], (unsigned)win);
	lv_field(sv->lv, "Checksum verdict", "not verified: headers only captured (and a "
	    "sender's checksum is filled late by offload, never on loopback)");
}

void
segview_drain(struct segview *sv)
{
	uint8_t p[SNAP + 64];
	union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(struct timeval))]; } cm;
	struct sockaddr_ll sll;
	struct iovec iov;
	struct msghdr mh;
	struct cmsghdr *c;
	struct timeval tv;
	ssize_t n;
	int64_t when;

	if (sv == NULL || sv->fd < 0)
		return;
	for (;;) {
		memset(&mh, 0, sizeof mh);
		iov.iov_base = p;
		iov.iov_len = sizeof p;
		mh.msg_name = &sll;
		mh.msg_namelen = sizeof sll;
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = &cm;
		mh.msg_controllen = sizeof cm;
		n = recvmsg(sv->fd, &mh, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		/* loopback shows each frame leaving and arriving: keep the arrival */
		if (sll.sll_pkttype == PACKET_OUTGOING && sll.sll_hatype == ARPHRD_LOOPBACK)
			continue;
		when = tb_now();
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMP) {
				memcpy(&tv, CMSG_DATA(c), sizeof tv);
				when = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
			}
		show(sv, p, (size_t)n, when);
	}
}

void
segview_close(struct segview *sv, int64_t wait)
{
	struct tpacket_stats st;
	socklen_t sl = sizeof st;
	struct pollfd pfd;
	int64_t end = tb_now() + wait;

	if (sv == NULL || sv->fd < 0)
		return;
	/* the FIN exchange: until both FINs are acknowledged, or wait runs out */
	pfd.fd = sv->fd;
	pfd.events = POLLIN;
	for (;;) {
		segview_drain(sv);
		if (sv->done || tb_now() >= end || poll(&pfd, 1, tb_ms_until(end)) <= 0)
			break;
	}
	segview_drain(sv);
	if (getsockopt(sv->fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl) == 0)
		sv->dropped = st.tp_drops;
	lv_packet(sv->lv, "TCP connection, port %u to %u: summary", sv->lport, sv->rport);
	lv_layer(sv->lv, "Segments of this connection, both ways");
	lv_field(sv->lv, "Segments sent", "%llu (%llu bytes of data, %llu retransmitted)",
	    (unsigned long long)sv->segs[0], (unsigned long long)sv->bytes[0],
	    (unsigned long long)sv->retrans[0]);
	lv_field(sv->lv, "Segments received", "%llu (%llu bytes of data, %llu retransmitted)",
	    (unsigned long long)sv->segs[1], (unsigned long long)sv->bytes[1],
	    (unsigned long long)sv->retrans[1]);
	lv_field(sv->lv, "Peak window offered", "ours %u, the peer's %u bytes",
	    (unsigned)sv->peak_win[0], (unsigned)sv->peak_win[1]);
	if (sv->dropped)
		lv_field(sv->lv, "Not captured", "%llu segments (the reader fell behind)",
		    (unsigned long long)sv->dropped);
	close(sv->fd);
	sv->fd = -1;
}
