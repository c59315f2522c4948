/*
 * t_arpeng.c - lib/sys/arpeng: arpq's engine without a network: the
 * adaptive wait, requests per target, the matching of received frames
 * to the targets that asked (answers, second MACs, DAD conflicts,
 * frames for others), the retry FIFO and its compaction, the verdict of
 * a finished target, and the results handed over in input order.
 */
#include <stdio.h>
#include <string.h>

#include "arp.h"
#include "arpeng.h"
#include "tap.h"
#include "tubes.h"

static const uint8_t MAC_US[6] = { 2, 0, 0, 0, 0, 1 }, MAC_B[6] = { 2, 0, 0, 0, 0, 2 };
static const uint8_t MAC_C[6] = { 2, 0, 0, 0, 0, 3 };
static const uint8_t IP_US[4] = { 10, 0, 0, 1 }, IP_B[4] = { 10, 0, 0, 2 };
static const uint8_t IP_C[4] = { 10, 0, 0, 3 };

static struct arpeng E;		/* too big for the stack */
static long seen[16];
static int nseen;

static void
note_result(struct arpeng *e, const struct arp_target *t)
{
	(void)e;
	if (nseen < 16)
		seen[nseen++] = t->seq;
}

/* an engine with one Ethernet interface, 10.0.0.1 at 02:..:01 */
static void
setup(void)
{
	arpeng_init(&E);
	E.opt.count = 2;
	E.opt.wait = 500000;
	E.opt.interval = 2625;
	E.opt.deadline = -1;
	E.result = note_result;
	nseen = 0;
	strcpy(E.ifaces[0].name, "eth9");
	E.ifaces[0].index = 9;
	E.ifaces[0].hwtype = 1;
	memcpy(E.ifaces[0].mac, MAC_US, 6);
	memcpy(E.ifaces[0].ip, IP_US, 4);
	E.ifaces[0].has_ip = E.ifaces[0].up = 1;
	E.nifaces = 1;
}

/* a target asked on eth9 for ip, one request sent at `sent` */
static struct arp_target *
asked(const uint8_t ip[4], int64_t sent)
{
	struct arp_target *t = arpeng_add(&E, "x");

	memcpy(t->ip, ip, 4);
	memcpy(t->ask, ip, 4);
	t->ifx = 0;
	t->st = ARPT_PENDING;
	t->sent = 1;
	t->t_sent = t->t_first = sent;
	arpeng_hash_add(&E, t);
	return t;
}

static size_t
reply_frame(uint8_t *f, const uint8_t *sha, const uint8_t *spa)
{
	struct arp_pkt p;

	arp_reply(&p, sha, spa, MAC_US, IP_US);
	return arp_frame(f, 64, MAC_US, &p);
}

int
main(void)
{
	uint8_t f[64], ip[4];
	size_t n;

	TEST("the wait: -W until an answer, then 8 x the slowest answer, at least 0.1 s") {
		setup();
		CHECK_EQ(arpeng_req_wait(&E), 500000);
		E.rtt_max = 1000;
		CHECK_EQ(arpeng_req_wait(&E), ARPENG_WAIT_FLOOR);
		E.rtt_max = 20000;
		CHECK_EQ(arpeng_req_wait(&E), 160000);
		E.rtt_max = 200000;
		CHECK_EQ(arpeng_req_wait(&E), 500000);
	}

	TEST("requests per target: 2, 1 for a scan's host, -c (and -U) as given") {
		struct arp_target *t;

		setup();
		t = arpeng_add(&E, "10.0.0.2");
		CHECK_EQ(t->seq, 0);
		CHECK_EQ(t->group, -1);
		CHECK_EQ(arpeng_max_sent(&E, t), 2);
		t->group = 0;
		CHECK_EQ(arpeng_max_sent(&E, t), 1);
		E.opt.count = 5;
		E.opt.unsol = 1;
		CHECK_EQ(arpeng_max_sent(&E, t), 5);
		E.opt.unsol = 0;
		E.opt.count_set = 1;
		CHECK_EQ(arpeng_max_sent(&E, t), 5);
	}

	TEST("a reply answers the target that asked for its sender, rtt from the request") {
		struct arp_target *t, *other;

		setup();
		t = asked(IP_B, 1000);
		other = asked(IP_C, 1000);
		n = reply_frame(f, MAC_B, IP_B);
		CHECK(n >= 42);
		arpeng_input(&E, f, n, 0, 1500);
		CHECK_EQ(E.nrecv, 1);
		CHECK_EQ(t->st, ARPT_ANSWERED);
		CHECK_EQ(t->rtt, 500);
		CHECK_EQ(t->macs.n, 1);
		CHECK_MEM(t->macs.mac[0], MAC_B, 6);
		CHECK_EQ(E.rtt_max, 500);
		/* a short grace for a second MAC: 10 ms + 2 rtt, at most -W */
		CHECK_EQ(t->final_at, 1500 + 10000 + 1000);
		CHECK_EQ(other->st, ARPT_PENDING);
		CHECK_EQ(other->macs.n, 0);
		CHECK_EQ(E.stop, 0);
	}

	TEST("ARP-06: a second MAC for the address is noted with its own time") {
		struct arp_target *t;

		setup();
		t = asked(IP_B, 1000);
		n = reply_frame(f, MAC_B, IP_B);
		arpeng_input(&E, f, n, 0, 1500);
		arpeng_input(&E, f, n, 0, 1600);	/* the same MAC again: nothing new */
		CHECK_EQ(t->macs.n, 1);
		n = reply_frame(f, MAC_C, IP_B);
		arpeng_input(&E, f, n, 0, 2000);
		CHECK_EQ(t->macs.n, 2);
		CHECK_MEM(t->macs.mac[1], MAC_C, 6);
		CHECK_EQ(t->dup_rtt[1], 1000);
		CHECK_EQ(t->rtt, 500);
	}

	TEST("frames that answer nobody: another address, a target not yet asked, -f stops") {
		struct arp_target *t;

		setup();
		t = asked(IP_B, 1000);
		t->st = ARPT_NEW;
		n = reply_frame(f, MAC_B, IP_B);
		arpeng_input(&E, f, n, 0, 1500);
		CHECK_EQ(t->macs.n, 0);
		t->st = ARPT_PENDING;
		n = reply_frame(f, MAC_C, IP_C);
		arpeng_input(&E, f, n, 0, 1500);
		CHECK_EQ(t->macs.n, 0);
		CHECK_EQ(E.nrecv, 2);
		arpeng_input(&E, f, 10, 0, 1500);	/* short: malformed */
		CHECK_EQ(t->macs.n, 0);
		E.opt.first = 1;
		n = reply_frame(f, MAC_B, IP_B);
		arpeng_input(&E, f, n, 0, 1500);
		CHECK_EQ(t->macs.n, 1);
		CHECK_EQ(E.stop, 2);
	}

	TEST("-D: another host's probe for the same address is a conflict") {
		struct arp_pkt p;
		struct arp_target *t;

		setup();
		E.opt.dad = 1;
		t = asked(IP_B, 1000);
		arp_probe(&p, MAC_C, IP_B);
		n = arp_frame(f, sizeof f, mac_broadcast, &p);
		arpeng_input(&E, f, n, 0, 3000);
		CHECK_EQ(t->st, ARPT_ANSWERED);
		CHECK_MEM(t->macs.mac[0], MAC_C, 6);
		arpeng_finish(&E, t);
		CHECK_EQ(t->code, EXIT_NO);
	}

	TEST("the verdict of a finished target") {
		struct arp_target *t;

		setup();
		t = asked(IP_B, 0);
		arpeng_finish(&E, t);
		CHECK_EQ(t->st, ARPT_FINAL);
		CHECK_EQ(t->code, EXIT_NO);
		CHECK_STR(t->why, "timeout");
		t = asked(IP_B, 0);
		E.stop = 1;
		arpeng_finish(&E, t);
		CHECK_STR(t->why, "interrupted");
		E.stop = 0;
		E.opt.dad = 1;
		t = asked(IP_B, 0);
		arpeng_finish(&E, t);
		CHECK_EQ(t->code, EXIT_OK);
		CHECK_STR(t->why, "free");
		E.opt.dad = 0;
		E.opt.unsol = 1;
		t = asked(IP_B, 0);
		arpeng_finish(&E, t);
		CHECK_EQ(t->code, EXIT_OK);
		CHECK_EQ(t->macs.n, 1);		/* an announcement shows our MAC */
		CHECK_MEM(t->macs.mac[0], MAC_US, 6);
	}

	TEST("retries: the FIFO skips targets no longer waiting, and compacts when full") {
		long i;

		setup();
		asked(IP_B, 0);
		asked(IP_C, 0);
		asked(IP_B, 0);
		CHECK_EQ(arpeng_fifo_first(&E), -1);
		arpeng_fifo_push(&E, 0);
		arpeng_fifo_push(&E, 1);
		CHECK_EQ(arpeng_fifo_first(&E), 0);
		ARPENG_TG(&E, 0)->st = ARPT_ANSWERED;
		CHECK_EQ(arpeng_fifo_first(&E), 1);
		/* full of dead entries but one: a push keeps the live one and adds */
		setup();
		asked(IP_B, 0);
		asked(IP_C, 0);
		asked(IP_B, 0);
		for (i = 0; i < ARPENG_FIFO - 1; i++)
			arpeng_fifo_push(&E, 0);
		arpeng_fifo_push(&E, 1);
		CHECK_EQ(E.ftail - E.fhead, ARPENG_FIFO);
		ARPENG_TG(&E, 0)->st = ARPT_FINAL;
		arpeng_fifo_push(&E, 2);
		CHECK_EQ(E.ftail - E.fhead, 2);
		CHECK_EQ(arpeng_fifo_first(&E), 1);
	}

	TEST("results go out in input order, each once, and the slot is unhashed") {
		struct arp_target *a, *b, *c;

		setup();
		a = asked(IP_B, 0);
		b = asked(IP_C, 0);
		c = asked(IP_B, 0);
		arpeng_finish(&E, b);
		arpeng_finish(&E, c);
		arpeng_flush(&E);
		CHECK_EQ(nseen, 0);
		CHECK_EQ(E.next_out, 0);
		arpeng_finish(&E, a);
		arpeng_flush(&E);
		CHECK_EQ(nseen, 3);
		CHECK_EQ(seen[0], 0);
		CHECK_EQ(seen[1], 1);
		CHECK_EQ(seen[2], 2);
		CHECK_EQ(E.next_out, 3);
		CHECK_EQ(a->hashed + b->hashed + c->hashed, 0);
		/* a reply now answers nobody */
		n = reply_frame(f, MAC_B, IP_B);
		arpeng_input(&E, f, n, 0, 100);
		CHECK_EQ(a->macs.n + c->macs.n, 0);
	}

	TEST("IPv4 literals only") {
		CHECK_EQ(arpeng_parse_ip4("10.0.0.2", ip), 0);
		CHECK_MEM(ip, IP_B, 4);
		CHECK_EQ(arpeng_parse_ip4("10.0.0.300", ip), -1);
		CHECK_EQ(arpeng_parse_ip4("::1", ip), -1);
		CHECK_EQ(arpeng_parse_ip4("host", ip), -1);
	}

	return tap_done();
}
