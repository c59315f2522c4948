/*
 * arpresponder - a hostile ARP peer for tests (hostile-peers.md ARP-01..07).
 * Run inside a test's own network namespace:
 *
 *   arpresponder IFACE IP MODE[,MODE...] READYFILE
 *
 * For every ARP request for IP seen on IFACE it sends one frame per MODE,
 * in order, to the requester:
 *   good       a correct reply from IFACE's MAC
 *   pad        the correct reply padded to 60 bytes with junk (ARP-07)
 *   short      the reply cut to 30 bytes, then to 24 (ARP-01; frames under
 *              22 bytes do not cross a veth, so the unit tests cover those)
 *   htype      hardware type 6 (ARP-02)      ptype   protocol type 0x86dd (ARP-02)
 *   otherip    a reply for IP+1 (ARP-03)     othertpa  a reply to another TPA (ARP-03)
 *   othertha   a reply whose THA is another MAC (ARP-03)
 *   otherhost  the correct reply sent to another station's MAC (ARP-04)
 *   gratuitous an announcement of IP (ARP-05) probe  a probe for IP (ARP-05)
 *   dup        a correct reply from a second MAC, 02:00:00:01:00:99 (ARP-06)
 * READYFILE is written once the socket listens.  Runs until killed.
 */
#include <errno.h>
#include <netpacket/packet.h>
#include <net/ethernet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <fcntl.h>

#include "arp.h"
#include "eth.h"
#include "route.h"
#include "tubes.h"
#include "wire.h"

static int fd;
static struct iface ifc;

static void
xmit(const uint8_t *frame, size_t n)
{
	struct sockaddr_ll sll;

	memset(&sll, 0, sizeof sll);
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ARP);
	sll.sll_ifindex = ifc.index;
	sll.sll_halen = MAC_LEN;
	memcpy(sll.sll_addr, frame, MAC_LEN);
	if (sendto(fd, frame, n, 0, (struct sockaddr *)&sll, sizeof sll) < 0)
		tb_warn("sendto: %s", strerror(errno));
}

static void
respond(const char *mode, const struct arp_pkt *req, const uint8_t ip[4])
{
	static const uint8_t other_mac[6] = { 2, 0, 0, 1, 0, 0x99 };
	static const uint8_t stranger[6] = { 2, 0, 0, 1, 0, 0x77 };
	uint8_t f[128], ip2[4];
	struct arp_pkt p;
	size_t n;

	memcpy(ip2, ip, 4);
	ip2[3]++;
	arp_reply(&p, ifc.mac, ip, req->sha, req->spa);
	if (strcmp(mode, "good") == 0) {
		n = arp_frame(f, sizeof f, req->sha, &p);
	} else if (strcmp(mode, "pad") == 0) {
		n = arp_frame(f, sizeof f, req->sha, &p);
		memset(f + n, 0xa5, 60 - n);
		n = 60;
	} else if (strcmp(mode, "short") == 0) {
		n = arp_frame(f, sizeof f, req->sha, &p);
		xmit(f, 30);
		n = 24;
	} else if (strcmp(mode, "htype") == 0) {
		n = arp_frame(f, sizeof f, req->sha, &p);
		put16(f + ETH2_HLEN + ARP_OFF_HTYPE, 6);
	} else if (strcmp(mode, "ptype") == 0) {
		n = arp_frame(f, sizeof f, req->sha, &p);
		put16(f + ETH2_HLEN + ARP_OFF_PTYPE, 0x86dd);
	} else if (strcmp(mode, "otherip") == 0) {
		memcpy(p.spa, ip2, 4);
		n = arp_frame(f, sizeof f, req->sha, &p);
	} else if (strcmp(mode, "othertpa") == 0) {
		p.tpa[3] ^= 0x40;
		n = arp_frame(f, sizeof f, req->sha, &p);
	} else if (strcmp(mode, "othertha") == 0) {
		memcpy(p.tha, stranger, 6);
		n = arp_frame(f, sizeof f, req->sha, &p);
	} else if (strcmp(mode, "otherhost") == 0) {
		n = arp_frame(f, sizeof f, stranger, &p);
	} else if (strcmp(mode, "gratuitous") == 0) {
		arp_announce(&p, ifc.mac, ip);
		n = arp_frame(f, sizeof f, mac_broadcast, &p);
	} else if (strcmp(mode, "probe") == 0) {
		arp_probe(&p, ifc.mac, ip);
		n = arp_frame(f, sizeof f, mac_broadcast, &p);
	} else if (strcmp(mode, "dup") == 0) {
		arp_reply(&p, other_mac, ip, req->sha, req->spa);
		n = arp_frame(f, sizeof f, req->sha, &p);
	} else {
		tb_die(EXIT_LOCAL, "unknown mode %s", mode);
	}
	xmit(f, n);
}

int
main(int argc, char **argv)
{
	struct sockaddr_ll sll;
	uint8_t ip[4];
	struct tb_addr a;
	const char *why;
	char modes[512];
	int rfd;

	tb_init(argv[0]);
	if (argc != 5)
		tb_die(EXIT_LOCAL, "usage: arpresponder IFACE IP MODE[,MODE...] READYFILE");
	if (tb_addr_parse(argv[2], &a) < 0 || a.family != AF_INET)
		tb_die(EXIT_LOCAL, "bad address %s", argv[2]);
	memcpy(ip, a.a, 4);
	if (strlen(argv[3]) >= sizeof modes)
		tb_die(EXIT_LOCAL, "modes too long");
	if (iface_get(argv[1], &ifc, &why) < 0)
		tb_die(EXIT_LOCAL, "%s: %s", argv[1], why);
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ARP));
	if (fd < 0)
		tb_die(EXIT_LOCAL, "AF_PACKET socket: %s", strerror(errno));
	memset(&sll, 0, sizeof sll);
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ARP);
	sll.sll_ifindex = ifc.index;
	if (bind(fd, (struct sockaddr *)&sll, sizeof sll) < 0)
		tb_die(EXIT_LOCAL, "bind: %s", strerror(errno));
	rfd = open(argv[4], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (rfd < 0 || tb_write_all(rfd, "ready\n", 6) < 0 || close(rfd) < 0)
		tb_die(EXIT_LOCAL, "%s: %s", argv[4], strerror(errno));

	for (;;) {
		uint8_t buf[2048];
		socklen_t sl = sizeof sll;
		ssize_t r = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&sll, &sl);
		struct cursor c;
		struct eth_hdr eh;
		struct arp_pkt req;
		char *tok, *save;

		if (r < 0) {
			if (errno == EINTR)
				continue;
			tb_die(EXIT_LOCAL, "recvfrom: %s", strerror(errno));
		}
		if (sll.sll_pkttype == PACKET_OUTGOING)
			continue;
		cur_init(&c, buf, (size_t)r);
		if (eth_parse(&c, &eh) != ETH_OK || eh.type != ETYPE_ARP || arp_parse(&c, &req) != ARP_OK)
			continue;
		if (req.oper != ARP_OP_REQUEST || memcmp(req.tpa, ip, 4) != 0 ||
		    memcmp(req.spa, req.tpa, 4) == 0)
			continue;
		memcpy(modes, argv[3], strlen(argv[3]) + 1);
		for (tok = strtok_r(modes, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			respond(tok, &req, ip);
	}
}
