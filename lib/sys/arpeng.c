/*
 * arpeng.c - arpq's engine (arpeng.h): the window of targets made from
 * the inputs, routed and resolved as they are needed; the scheduler that
 * sends one ARP request per interval over the AF_PACKET socket and
 * retries in the order requests went out; the matching of every frame
 * received to the targets that asked for its sender; arping's loop for
 * one host; and the kernel fallback without CAP_NET_RAW.  The command
 * prints: each target reaches it, final and in input order, through
 * e->result.
 */
#include <errno.h>
#include <netpacket/packet.h>
#include <net/ethernet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "arp.h"
#include "arpeng.h"
#include "eth.h"
#include "resolv.h"
#include "route.h"
#include "targets.h"
#include "tubes.h"
#include "wire.h"

#define TG(e, seq) ARPENG_TG(e, seq)

void
arpeng_init(struct arpeng *e)
{
	unsigned k;

	memset(e, 0, sizeof *e);
	e->packet_fd = -1;
	e->src.ranges = 1;
	e->src.min_prefix = ARPENG_MIN_PREFIX;
	e->group = -1;
	e->rtt_max = -1;
	for (k = 0; k <= ARPENG_HMASK; k++)
		e->hash[k] = -1;
}

/*
 * How long a request waits for its answer: -W, cut once answers have
 * been seen to eight times the slowest of them, but not under 0.1 s.
 */
int64_t
arpeng_req_wait(const struct arpeng *e)
{
	int64_t w;

	if (e->rtt_max < 0)
		return e->opt.wait;
	w = 8 * e->rtt_max;
	if (w < ARPENG_WAIT_FLOOR)
		w = ARPENG_WAIT_FLOOR;
	return w < e->opt.wait ? w : e->opt.wait;
}

/* requests a target gets: -c, else 2 (1 for each host of a scan) */
int
arpeng_max_sent(const struct arpeng *e, const struct arp_target *t)
{
	if (e->opt.count_set || e->opt.unsol)
		return (int)e->opt.count;
	return t->group >= 0 ? 1 : 2;
}

/* --- targets ---------------------------------------------------------------- */

/* the next target, in the slot after the last (the caller checked there is room) */
struct arp_target *
arpeng_add(struct arpeng *e, const char *input)
{
	struct arp_target *t = TG(e, e->nin);

	memset(t, 0, sizeof *t);
	t->input = input;
	t->seq = e->nin++;
	t->group = -1;
	t->ifx = -1;
	t->next_hash = -1;
	return t;
}

static void
fail_target(struct arp_target *t, int code, const char *why)
{
	t->st = ARPT_FINAL;
	t->code = code;
	t->why = why;
}

int
arpeng_iface(struct arpeng *e, const char *name, const char **why)
{
	struct iface *f;
	int i;

	for (i = 0; i < e->nifaces; i++)
		if (strcmp(e->ifaces[i].name, name) == 0)
			return i;
	if (e->nifaces == ARPENG_MAX_IFACES) {
		*why = "too many interfaces";
		return -1;
	}
	f = &e->ifaces[e->nifaces];
	if (iface_get(name, f, why) < 0)
		return -1;
	if (f->loopback || f->hwtype == 772) {
		*why = "loopback interface: nothing to ask on it";
		return -1;
	}
	if (f->hwtype != 1) {
		*why = "not an Ethernet interface";
		return -1;
	}
	if (f->noarp) {
		*why = "interface does not use ARP (NOARP)";
		return -1;
	}
	if (!f->up) {
		*why = "interface is down";
		return -1;
	}
	if (!f->has_ip && !e->opt.have_src && !e->opt.dad) {
		*why = "interface has no IPv4 address (use -s)";
		return -1;
	}
	return e->nifaces++;
}

/* pick the interface and the address to ARP for */
static void
route_target(struct arpeng *e, struct arp_target *t)
{
	static char *routes;
	static size_t rlen;
	struct route r;
	const char *why = NULL;
	int rc;

	if (t->ip[0] == 0 || t->ip[0] == 127 || t->ip[0] >= 224) {
		/* this network, loopback, multicast, reserved, broadcast: nobody ARPs for them */
		if (e->single)
			tb_die(EXIT_LOCAL, "%s: not a unicast address on a link", t->input);
		fail_target(t, EXIT_LOCAL, "not a unicast address on a link");
		return;
	}
	if (routes == NULL && (routes = tb_slurp("/proc/net/route", 16u << 20, &rlen)) == NULL)
		tb_die(EXIT_LOCAL, "/proc/net/route: %s", strerror(errno));
	rc = route_pick(routes, rlen, t->ip, e->opt.ifname, &r);
	if (t->group >= 0 && ((rc == 0 && e->opt.ifname == NULL) || (rc && (r.flags & 2)))) {
		/* a scan asks only the hosts on the link */
		fail_target(t, EXIT_NO, "not on the link");
		return;
	}
	if (rc == 0 && e->opt.ifname == NULL) {
		fail_target(t, EXIT_LOCAL, "no route");
		return;
	}
	t->ifx = arpeng_iface(e, rc ? r.ifname : e->opt.ifname, &why);
	if (t->ifx < 0) {
		char msg[128];

		snprintf(msg, sizeof msg, "%s", rc ? r.ifname : e->opt.ifname);
		if (e->opt.ifname || e->single)
			tb_die(EXIT_LOCAL, "%s: %s", msg, why);
		fail_target(t, EXIT_LOCAL, why);
		return;
	}
	memcpy(t->ask, t->ip, 4);
	if (!e->opt.dad && !e->opt.unsol && e->ifaces[t->ifx].has_ip &&
	    memcmp(e->ifaces[t->ifx].ip, t->ip, 4) == 0) {
		/* our own address: nobody else answers for it; a scan skips it */
		t->st = ARPT_FINAL;
		if (t->group < 0) {
			arp_note_mac(&t->macs, e->ifaces[t->ifx].mac);
			t->how = ARPH_LOCAL;
		}
		return;
	}
	if (rc && (r.flags & 2) && !e->opt.dad && !e->opt.unsol) {
		memcpy(t->ask, r.gw, 4);
		t->via = 1;
	}
}

int
arpeng_parse_ip4(const char *s, uint8_t ip[4])
{
	struct tb_addr a;

	if (tb_addr_parse(s, &a) < 0 || a.family != AF_INET)
		return -1;
	memcpy(ip, a.a, 4);
	return 0;
}

/* the hash of targets by (interface, address asked for) */
static unsigned
hkey(const uint8_t ip[4], int ifx)
{
	return (get32(ip) * 2654435761u ^ (unsigned)ifx) & ARPENG_HMASK;
}

void
arpeng_hash_add(struct arpeng *e, struct arp_target *t)
{
	unsigned k = hkey(t->ask, t->ifx);

	t->next_hash = e->hash[k];
	e->hash[k] = (int)(t - e->tg);
	t->hashed = 1;
}

static void
hash_del(struct arpeng *e, struct arp_target *t)
{
	int *p = &e->hash[hkey(t->ask, t->ifx)], me = (int)(t - e->tg);

	while (*p >= 0 && *p != me)
		p = &e->tg[*p].next_hash;
	if (*p == me)
		*p = t->next_hash;
	t->hashed = 0;
}

/* route it, and answer it from the cache (--cached); then it can be asked */
static void
plan_target(struct arpeng *e, struct arp_target *t)
{
	uint8_t mac[6];

	if (t->st == ARPT_NEW)
		route_target(e, t);
	if (t->st == ARPT_NEW && e->opt.cached &&
	    neigh_reachable(t->ask, e->ifaces[t->ifx].index, mac) == 1) {
		arp_note_mac(&t->macs, mac);
		t->how = ARPH_CACHED;
		arpeng_finish(e, t);
	}
	if (t->st == ARPT_NEW)
		arpeng_hash_add(e, t);
}

/* an input that is not a range; late: the run is over, so no lookup */
static void
word_target(struct arpeng *e, struct arp_target *t, const struct tb_target *in, int late)
{
	struct tb_addr a;
	const char *why;
	int r;

	if (in->bad_range) {
		if (in->bad_range == -2)
			tb_warn("%s: a scan covers at most a /%d", in->input, ARPENG_MIN_PREFIX);
		fail_target(t, EXIT_LOCAL, "bad range");
		return;
	}
	if (arpeng_parse_ip4(in->input, t->ip) == 0)
		return;
	if (e->opt.numeric || strchr(in->input, '/')) {
		fail_target(t, EXIT_LOCAL, "not an IPv4 address");
		return;
	}
	if (late) {
		fail_target(t, EXIT_NO, e->stop == 1 ? "interrupted" : e->stop == 2 ? "stopped" : "deadline");
		return;
	}
	r = tb_resolve(in->input, AF_INET, &a, 1, &why);
	if (r > 0)
		memcpy(t->ip, a.a, 4);
	else {
		char m[400];
		int code = tb_lookup_failed(in->input, r, why, m, sizeof m);

		/* the one diagnostic on stderr (tubes(7)); the result line's
		 * reason must outlive the next lookup: a constant */
		tb_warn("%s", m);
		fail_target(t, code, r == 0 ? "no such host" : r == -1 ? "lookup failed" :
		    why ? why : "invalid address");
	}
}

/*
 * Make the next target: 1 made (planned, unless late), 0 none yet (stdin
 * has no whole line and wait is 0), -1 the inputs are over.  The caller
 * checked that the window has room.
 */
static int
next_target(struct arpeng *e, int wait, int late)
{
	struct tb_target in;
	struct arp_target *t;
	int r = tb_targets_next(&e->src, wait && !late, &in);

	if (r == TB_TG_NONE || r == TB_TG_END)
		return r == TB_TG_NONE ? 0 : -1;
	t = arpeng_add(e, in.input);
	t->owned = in.owned;
	if (r == TB_TG_LONG) {
		fail_target(t, EXIT_LOCAL, "line too long");
		return 1;
	}
	if (r == TB_TG_HOST) {
		if (in.first)
			e->group = t->seq;
		t->group = e->group;
		memcpy(t->ip, in.ip, 4);
		t->last_of_group = in.last;
	} else {
		word_target(e, t, &in, late);
	}
	if (!late)
		plan_target(e, t);
	return 1;
}

/*
 * Fill the window from the inputs; wait for stdin only when nothing is
 * held.  starved: stdin had no whole line (its descriptor wakes the wait).
 */
static void
fill_window(struct arpeng *e)
{
	int r;

	e->starved = 0;
	while (!e->inputs_over && e->nin - e->next_out < ARPENG_WIN) {
		r = next_target(e, e->nin == e->next_out, 0);
		if (r < 0)
			e->inputs_over = 1;
		if (r == 0)
			e->starved = 1;
		if (r <= 0)
			break;
	}
}

/* hand every final target at the head of the window to e->result; free its slot */
void
arpeng_flush(struct arpeng *e)
{
	while (e->next_out < e->nin && TG(e, e->next_out)->st == ARPT_FINAL) {
		struct arp_target *t = TG(e, e->next_out);

		e->result(e, t);
		if (t->hashed)
			hash_del(e, t);
		tb_free(t->owned);
		t->owned = NULL;
		e->next_out++;
	}
}

/*
 * The run is over (a signal, the deadline): every target held is final
 * now, and every input not yet read becomes one without a lookup or a
 * request -- one result per input still -- except stdin's lines that
 * have not arrived, which are not waited for.
 */
static void
finish_all(struct arpeng *e)
{
	long i;

	for (i = e->next_out; i < e->nin; i++) {
		struct arp_target *t = TG(e, i);

		if (t->st != ARPT_FINAL) {
			if (!e->stop && t->st != ARPT_ANSWERED)
				t->why = "deadline";
			arpeng_finish(e, t);
		}
	}
	arpeng_flush(e);
	while (!e->inputs_over) {
		if (e->nin - e->next_out == ARPENG_WIN)
			arpeng_flush(e);
		if (next_target(e, 0, 1) <= 0)
			break;
		if (TG(e, e->nin - 1)->st != ARPT_FINAL) {
			if (!e->stop)
				TG(e, e->nin - 1)->why = "deadline";
			arpeng_finish(e, TG(e, e->nin - 1));
		}
	}
	arpeng_flush(e);
}

/* --- the raw socket ----------------------------------------------------------- */

static void
send_frame_to(struct arpeng *e, struct arp_target *t, int64_t now, const uint8_t dst[MAC_LEN])
{
	struct iface *f = &e->ifaces[t->ifx];
	struct sockaddr_ll sll;
	struct arp_pkt p;
	uint8_t frame[64];
	size_t n;
	const uint8_t *spa = e->opt.have_src ? e->opt.src : f->ip;

	if (e->opt.dad)
		arp_probe(&p, f->mac, t->ask);
	else if (e->opt.unsol)
		arp_announce(&p, f->mac, t->ask);
	else
		arp_request(&p, f->mac, spa, t->ask);
	n = arp_frame(frame, sizeof frame, dst, &p);
	memset(&sll, 0, sizeof sll);
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ARP);
	sll.sll_ifindex = f->index;
	sll.sll_halen = MAC_LEN;
	memcpy(sll.sll_addr, dst, MAC_LEN);
	if (e->opt.layers) {
		lv_packet(&e->lv, "sent %zu bytes on %s", n, f->name);
		arp_decode_frame(&e->lv, frame, n);
	}
	if (sendto(e->packet_fd, frame, n, 0, (struct sockaddr *)&sll, sizeof sll) < 0) {
		if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
			tb_die(EXIT_LOCAL, "sendto %s: %s", f->name, strerror(errno));
	}
	e->nsent++;
	t->sent++;
	t->t_sent = now;
	if (t->sent == 1)
		t->t_first = now;
	if (t->st == ARPT_NEW)
		t->st = ARPT_PENDING;
}

static void
answered(struct arpeng *e, struct arp_target *t, const uint8_t mac[6], int64_t now)
{
	int r = arp_note_mac(&t->macs, mac);

	if (r == ARP_MAC_NEW) {
		t->rtt = now - t->t_sent;
		t->st = ARPT_ANSWERED;
		if (t->rtt > e->rtt_max)
			e->rtt_max = t->rtt;
		/* a short grace for a second MAC (ARP-06) */
		t->final_at = now + tb_earliest(e->opt.wait, 10000 + 2 * t->rtt);
		if (e->opt.first)
			e->stop = 2;
	} else if (r == ARP_MAC_DUP && t->macs.n > 1 && t->macs.n <= ARP_MAX_MACS) {
		t->dup_rtt[t->macs.n - 1] = now - t->t_sent;
	}
}

/*
 * A frame received on ifaces[ifx]: every target that asked this
 * interface for the sender's address (-D: or that a probe for the same
 * address also asks about) takes it as its answer.
 */
void
arpeng_input(struct arpeng *e, const uint8_t *buf, size_t n, int ifx, int64_t now)
{
	struct eth_hdr eh;
	struct arp_pkt ap;
	int i, seen = 0, err = 0;
	enum arp_class shown = ARP_NOT_OURS;

	e->nrecv++;
	if (arp_frame_parse(buf, n, &eh, &ap) == ARP_OK) {
		uint8_t spa[4], tpa[4];

		memcpy(spa, ap.spa, 4);
		memcpy(tpa, ap.tpa, 4);
		for (int pass = 0; pass < (e->opt.dad ? 2 : 1); pass++) {
			const uint8_t *key = pass ? tpa : spa;

			for (i = e->hash[hkey(key, ifx)]; i >= 0; i = e->tg[i].next_hash) {
				struct arp_target *t = &e->tg[i];
				struct arp_query q;
				enum arp_class c;

				if (t->ifx != ifx || memcmp(t->ask, key, 4) != 0 || t->st == ARPT_FINAL ||
				    t->st == ARPT_NEW)
					continue;
				memset(&q, 0, sizeof q);
				memcpy(q.mac, e->ifaces[ifx].mac, 6);
				if (!e->opt.dad)
					memcpy(q.spa, e->opt.have_src ? e->opt.src : e->ifaces[ifx].ip, 4);
				memcpy(q.tpa, t->ask, 4);
				q.dad = e->opt.dad;
				c = arp_classify(buf, n, &q, &eh, &ap, &err);
				seen = 1;
				shown = c;
				if (c == ARP_ANSWER ||
				    (e->opt.dad && c == ARP_PROBE && memcmp(ap.tpa, t->ask, 4) == 0))
					answered(e, t, ap.sha, now);
			}
		}
	}
	if (e->opt.layers) {
		if (!seen)
			shown = arp_classify(buf, n, &(struct arp_query){ .dad = e->opt.dad }, &eh, &ap, &err);
		lv_packet(&e->lv, "received %zu bytes on %s: %s%s%s", n, e->ifaces[ifx].name,
		    arp_class_name(shown), shown == ARP_MALFORMED ? ": " : "",
		    shown == ARP_MALFORMED ? arp_strerror(err) : "");
		arp_decode_frame(&e->lv, buf, n);
	}
}

static void
receive_frames(struct arpeng *e)
{
	uint8_t buf[2048];

	for (;;) {
		struct sockaddr_ll sll;
		socklen_t sl = sizeof sll;
		ssize_t r = recvfrom(e->packet_fd, buf, sizeof buf, MSG_DONTWAIT | MSG_TRUNC,
		    (struct sockaddr *)&sll, &sl);
		int64_t now = tb_now();
		int i, ifx = -1;

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				tb_warn("recvfrom: %s", strerror(errno));
			return;
		}
		/* ARP-04: our own frames, and frames for other stations */
		if (sll.sll_pkttype == PACKET_OUTGOING || sll.sll_pkttype == PACKET_OTHERHOST)
			continue;
		for (i = 0; i < e->nifaces; i++)
			if (e->ifaces[i].index == sll.sll_ifindex)
				ifx = i;
		if (ifx >= 0)
			arpeng_input(e, buf, (size_t)r > sizeof buf ? sizeof buf : (size_t)r, ifx, now);
	}
}

/* poll to the microsecond: the pacing of a scan is finer than poll's milliseconds */
static int
wait_until(struct pollfd *pfd, int n, int64_t deadline)
{
	struct timespec ts;
	int64_t left;

	if (deadline < 0)
		return ppoll(pfd, (nfds_t)n, NULL, NULL);
	left = deadline - tb_now();
	if (left < 0)
		left = 0;
	ts.tv_sec = (time_t)(left / 1000000);
	ts.tv_nsec = (long)(left % 1000000) * 1000;
	return ppoll(pfd, (nfds_t)n, &ts, NULL);
}

/* --- the scheduler ------------------------------------------------------------- */

/*
 * Requests go out one per interval.  A retry is due `wait` after the
 * previous request to the same target; since every target waits the
 * same, retries fall due in the order requests were sent, so a ARPENG_FIFO of
 * sent targets (by seq) is the whole schedule.  An entry whose target has
 * been answered, or printed, is dropped when it comes up.
 */
static int
fifo_live(const struct arpeng *e, long seq)
{
	return seq >= e->next_out && TG(e, seq)->st == ARPT_PENDING;
}

void
arpeng_fifo_push(struct arpeng *e, long seq)
{
	if (e->ftail - e->fhead == ARPENG_FIFO) {	/* full: keep only the live entries */
		long i, n = e->ftail;

		for (i = e->fhead; i < n; i++)
			if (fifo_live(e, e->fifo[i % ARPENG_FIFO]))
				e->fifo[e->ftail++ % ARPENG_FIFO] = e->fifo[i % ARPENG_FIFO];
		e->fhead = n;
		if (e->ftail - e->fhead == ARPENG_FIFO)	/* cannot be: a held target has one entry */
			tb_die(EXIT_LOCAL, "retry queue full");
	}
	e->fifo[e->ftail++ % ARPENG_FIFO] = seq;
}

/* the earliest retry still to send, or -1 */
long
arpeng_fifo_first(struct arpeng *e)
{
	while (e->fhead < e->ftail && !fifo_live(e, e->fifo[e->fhead % ARPENG_FIFO]))
		e->fhead++;
	return e->fhead < e->ftail ? e->fifo[e->fhead % ARPENG_FIFO] : -1;
}

void
arpeng_finish(struct arpeng *e, struct arp_target *t)
{
	t->st = ARPT_FINAL;
	if (e->opt.unsol && t->ifx >= 0 && t->macs.n == 0)
		arp_note_mac(&t->macs, e->ifaces[t->ifx].mac);
	if (t->macs.n > 0)
		t->code = e->opt.dad ? EXIT_NO : EXIT_OK;
	else if (e->opt.unsol || e->opt.dad) {
		t->code = EXIT_OK;
		if (e->opt.dad && t->why == NULL)
			t->why = "free";
	}
	else {
		t->code = EXIT_NO;
		if (t->why == NULL)
			t->why = e->stop == 1 ? "interrupted" : e->stop == 2 ? "stopped" : "timeout";
	}
}

/* the next target not yet asked, or -1 */
static long
first_new(struct arpeng *e)
{
	while (e->next_new < e->nin && TG(e, e->next_new)->st != ARPT_NEW)
		e->next_new++;
	return e->next_new < e->nin ? e->next_new : -1;
}

void
arpeng_raw(struct arpeng *e)
{
	int64_t start = tb_now(), last_send = -1;
	int64_t end = e->opt.deadline >= 0 ? start + e->opt.deadline : -1;
	long i, r, n;
	unsigned k;

	for (k = 0; k <= ARPENG_HMASK; k++)
		e->hash[k] = -1;
	for (;;) {
		int64_t now = tb_now(), wake = -1;
		struct pollfd pfd[2] = { { .fd = e->packet_fd, .events = POLLIN }, { .fd = -1 } };

		if (e->stop || (end >= 0 && now >= end)) {
			finish_all(e);
			return;
		}
		fill_window(e);
		/* send one frame if one is due and the pacing allows */
		if (last_send < 0 || now >= last_send + e->opt.interval) {
			struct arp_target *t = NULL;

			if ((r = arpeng_fifo_first(e)) >= 0 && now >= TG(e, r)->t_sent + arpeng_req_wait(e)) {
				t = TG(e, r);
				e->fhead++;
			} else if ((n = first_new(e)) >= 0) {
				t = TG(e, n);
				e->next_new++;
			}
			if (t) {
				send_frame_to(e, t, now, mac_broadcast);
				last_send = now;
				if (t->sent < arpeng_max_sent(e, t))
					arpeng_fifo_push(e, t->seq);
			}
		}
		/* retire targets */
		for (i = e->next_out; i < e->nin; i++) {
			struct arp_target *t = TG(e, i);

			if (t->st == ARPT_PENDING && t->sent >= arpeng_max_sent(e, t) &&
			    (e->opt.unsol || now >= t->t_sent + arpeng_req_wait(e)))
				arpeng_finish(e, t);
			else if (t->st == ARPT_ANSWERED && now >= t->final_at)
				arpeng_finish(e, t);
			if (t->st == ARPT_NEW)
				break;
		}
		arpeng_flush(e);
		if (e->inputs_over && e->next_out == e->nin)
			return;
		/* when to wake: the next send, the next retirement, more input */
		r = arpeng_fifo_first(e);
		if (first_new(e) >= 0 || r >= 0) {
			int64_t due = last_send + e->opt.interval;

			if (first_new(e) < 0 && TG(e, r)->t_sent + arpeng_req_wait(e) > due)
				due = TG(e, r)->t_sent + arpeng_req_wait(e);
			wake = tb_earliest(wake, due);
		}
		for (i = e->next_out; i < e->nin && TG(e, i)->st != ARPT_NEW; i++) {
			struct arp_target *t = TG(e, i);

			if (t->st == ARPT_PENDING && t->sent >= arpeng_max_sent(e, t))
				wake = tb_earliest(wake, t->t_sent + arpeng_req_wait(e));
			else if (t->st == ARPT_ANSWERED)
				wake = tb_earliest(wake, t->final_at);
		}
		wake = tb_earliest(wake, end);
		if (!e->inputs_over && e->nin - e->next_out < ARPENG_WIN) {
			if (e->starved)
				pfd[1].fd = STDIN_FILENO;	/* the next line wakes us */
			else
				wake = now;	/* printing made room: make more targets now */
		}
		if (wait_until(pfd, pfd[1].fd >= 0 ? 2 : 1, wake) < 0 && errno != EINTR)
			tb_die(EXIT_LOCAL, "poll: %s", strerror(errno));
		if (pfd[0].revents & POLLIN)
			receive_frames(e);
	}
}

/* --- arping's mode: one host, -i given ---------------------------------------- */

/*
 * One host asked again and again as arping(8) does: a request every
 * interval (-c of them, or until -w, -f or a signal), one line per reply
 * with the time since the last request, then what was sent and received.
 * As arping, once the host has answered the requests go to its MAC
 * (unicast) unless -b; the run lasts count intervals (the last request
 * gets its interval, or 0.1 s if that is shorter, to be answered).
 */
static void
arping_receive(struct arpeng *e, struct arp_target *t, int64_t last_send, uint8_t peer[MAC_LEN],
    int *have_peer)
{
	uint8_t buf[2048];

	for (;;) {
		struct sockaddr_ll sll;
		socklen_t sl = sizeof sll;
		ssize_t r = recvfrom(e->packet_fd, buf, sizeof buf, MSG_DONTWAIT | MSG_TRUNC,
		    (struct sockaddr *)&sll, &sl);
		int64_t now = tb_now();
		struct arp_query q;
		struct eth_hdr eh;
		struct arp_pkt ap;
		enum arp_class c;
		size_t n;
		int err = 0;

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				tb_warn("recvfrom: %s", strerror(errno));
			return;
		}
		n = (size_t)r > sizeof buf ? sizeof buf : (size_t)r;
		if (sll.sll_pkttype == PACKET_OUTGOING || sll.sll_pkttype == PACKET_OTHERHOST ||
		    sll.sll_ifindex != e->ifaces[t->ifx].index)
			continue;
		memset(&q, 0, sizeof q);
		memcpy(q.mac, e->ifaces[t->ifx].mac, 6);
		memcpy(q.spa, e->opt.have_src ? e->opt.src : e->ifaces[t->ifx].ip, 4);
		memcpy(q.tpa, t->ask, 4);
		c = arp_classify(buf, n, &q, &eh, &ap, &err);
		if (e->opt.layers) {
			lv_packet(&e->lv, "received %zu bytes on %s: %s%s%s", n, e->ifaces[t->ifx].name,
			    arp_class_name(c), c == ARP_MALFORMED ? ": " : "",
			    c == ARP_MALFORMED ? arp_strerror(err) : "");
			arp_decode_frame(&e->lv, buf, n);
		}
		if (c != ARP_ANSWER)
			continue;
		e->ap_recv++;
		e->reply(e, t, &ap, sll.sll_pkttype == PACKET_HOST, now - last_send);
		if (!*have_peer) {
			memcpy(peer, ap.sha, MAC_LEN);
			*have_peer = 1;
		}
		if (e->opt.first)
			e->stop = 2;
	}
}

struct arp_target *
arpeng_arping_target(struct arpeng *e)
{
	fill_window(e);
	if (e->nin != 1 || TG(e, 0)->st != ARPT_NEW)
		return NULL;
	return TG(e, 0);
}

void
arpeng_arping(struct arpeng *e, struct arp_target *t)
{
	int64_t start = tb_now(), next, last_send = -1, end, after;
	uint8_t peer[MAC_LEN];
	int have_peer = 0;

	end = e->opt.deadline >= 0 ? start + e->opt.deadline : -1;
	after = e->opt.interval > ARPENG_WAIT_FLOOR ? e->opt.interval : ARPENG_WAIT_FLOOR;
	for (next = start;;) {
		struct pollfd pfd = { .fd = e->packet_fd, .events = POLLIN };
		int64_t now = tb_now(), wake;
		int more = !e->opt.count_set || e->ap_sent < e->opt.count;

		if (e->stop || (end >= 0 && now >= end) || (!more && now >= last_send + after))
			break;
		if (more && now >= next) {
			send_frame_to(e, t, now, have_peer && !e->opt.bcast ? peer : mac_broadcast);
			if (!have_peer || e->opt.bcast)
				e->ap_bcast++;
			e->ap_sent++;
			last_send = now;
			next += e->opt.interval;
			if (next < now)
				next = now;
			more = !e->opt.count_set || e->ap_sent < e->opt.count;
		}
		wake = more ? next : last_send + after;
		wake = tb_earliest(wake, end);
		if (wait_until(&pfd, 1, wake) < 0 && errno != EINTR)
			tb_die(EXIT_LOCAL, "poll: %s", strerror(errno));
		if (pfd.revents & POLLIN)
			arping_receive(e, t, last_send, peer, &have_peer);
	}
}

/* --- without CAP_NET_RAW: ask the kernel ---------------------------------------- */

void
arpeng_kernel(struct arpeng *e)
{
	int64_t start = tb_now(), end = e->opt.deadline >= 0 ? start + e->opt.deadline : -1;
	int64_t last_send = -1;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	long i, n;

	if (fd < 0)
		tb_die(EXIT_LOCAL, "socket: %s", strerror(errno));
	for (;;) {
		int64_t now = tb_now();
		size_t len = 0;
		char *text;

		if (e->stop || (end >= 0 && now >= end)) {
			finish_all(e);
			break;
		}
		fill_window(e);
		if ((last_send < 0 || now >= last_send + e->opt.interval) && (n = first_new(e)) >= 0) {
			struct arp_target *t = TG(e, n);
			struct tb_addr a = { .family = AF_INET };
			struct sockaddr_storage ss;
			static int warned;
			unsigned sl;

			e->next_new++;
			if (!warned++ && !e->opt.quiet && !e->opt.json)
				tb_warn("no CAP_NET_RAW: asking the kernel instead "
				    "(results marked (kernel))");
			memcpy(a.a, t->ip, 4);
			sl = tb_sockaddr(&a, 9, &ss);	/* discard */
			(void)sendto(fd, "", 0, 0, (struct sockaddr *)&ss, sl);
			if (e->opt.layers) {
				char ip[16], gw[16];

				lv_packet(&e->lv, "sent an empty UDP datagram to %s port 9: the kernel "
				    "asks who has %s (no CAP_NET_RAW: its frames are not seen here)",
				    arp_ip4_str(t->ip, ip, sizeof ip), arp_ip4_str(t->ask, gw, sizeof gw));
			}
			t->st = ARPT_PENDING;
			t->t_sent = t->t_first = now;
			t->how = ARPH_KERNEL;
			t->sent = 1;
			e->nsent++;
			last_send = now;
		}
		text = tb_slurp("/proc/net/arp", 16u << 20, &len);
		if (text == NULL)
			tb_die(EXIT_LOCAL, "/proc/net/arp: %s", strerror(errno));
		for (i = e->next_out; i < e->nin && TG(e, i)->st != ARPT_NEW; i++) {
			struct arp_target *t = TG(e, i);
			uint8_t mac[6];
			unsigned fl;

			if (t->st != ARPT_PENDING)
				continue;
			if (neigh_find(text, len, t->ask, e->ifaces[t->ifx].name, mac, &fl) == 1 &&
			    (fl & NEIGH_COMPLETE)) {
				arp_note_mac(&t->macs, mac);
				t->rtt = tb_now() - t->t_sent;
				arpeng_finish(e, t);
				e->nrecv++;
				if (e->opt.first)
					e->stop = 2;
			} else if (now >= t->t_sent + e->opt.wait * arpeng_max_sent(e, t)) {
				arpeng_finish(e, t);
			}
		}
		tb_free(text);
		arpeng_flush(e);
		if (e->inputs_over && e->next_out == e->nin)
			break;
		/* the kernel offers no wake-up for /proc/net/arp: look again shortly */
		(void)poll(NULL, 0, 2);
	}
	arpeng_flush(e);
	close(fd);
}

