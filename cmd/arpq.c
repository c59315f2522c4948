/*
 * arpq - ARP who-has over a raw Ethernet socket, for one host, a list,
 * or a whole subnet (RFC 826; RFC 5227 probes and announcements).
 *
 * One AF_PACKET socket, opened before anything else; privileges dropped
 * at once.  Every frame goes through arp_classify() against the query
 * of the target it could answer.  Without CAP_NET_RAW the kernel is
 * asked instead (a datagram to the discard port, then /proc/net/arp).
 */
#include <errno.h>
#include <getopt.h>
#include <netpacket/packet.h>
#include <net/ethernet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "arp.h"
#include "dnsnet.h"
#include "eth.h"
#include "lines.h"
#include "route.h"
#include "targets.h"
#include "resolv.h"
#include "tubes.h"
#include "wire.h"

#define USAGE "usage: arpq [-bDfhjnqUVX] [-I iface] [-c count] [-w deadline] [-W wait]\n" \
	"            [-i interval] [-s source_ip] [--cached] target ...\n"
#define MAX_IFACES 16
#define MIN_PREFIX 16		/* a scan covers at most a /16 */
#define WIN 2048		/* targets held at once, a power of two: any input in constant memory */

enum state { T_NEW, T_PENDING, T_ANSWERED, T_FINAL };
enum how { H_ARP, H_KERNEL, H_CACHED, H_LOCAL };

struct target {
	const char *input;	/* the argument or line it came from */
	char *owned;		/* a stdin line this target frees when printed */
	long seq;		/* its place in the input: targets are numbered as made */
	long group;		/* seq of the first target of a range, or -1 */
	int last_of_group;
	int hashed;
	enum state st;
	int code;		/* exit code it contributes */
	const char *why;	/* for a miss or error (static text) */
	uint8_t ip[4];		/* the target */
	uint8_t ask[4];		/* whom we ARP for: the target or its next hop */
	int via;		/* ask is a gateway */
	int ifx;		/* index into ifaces[] */
	int sent;
	int64_t t_sent;		/* last request */
	int64_t t_first;	/* first request */
	int64_t rtt;
	int64_t final_at;
	enum how how;
	struct arp_macs macs;
	int64_t dup_rtt[ARP_MAX_MACS];
	int next_hash;		/* chain in the hash by ask */
};

static struct {
	const char *ifname;
	long long count;
	int64_t deadline, wait, interval;
	int have_src;
	uint8_t src[4];
	int dad, unsol, first, quiet, numeric, cached, json, layers;
	int count_set, interval_set, bcast;
} opt = { .count = 2, .deadline = -1, .wait = 500000, .interval = 2625 };

static struct iface ifaces[MAX_IFACES];
static int nifaces;
/*
 * The targets, made from the inputs as they are needed: a ring of WIN,
 * target seq in slot seq % WIN.  [next_out, nin) are held: made, not yet
 * printed; [next_new, nin) not yet asked.
 */
static struct target tg[WIN];
static long nin, next_new, next_out;
#define TG(seq) (&tg[(seq) & (WIN - 1)])
static int hash[2 * WIN];	/* slots by (interface, address asked), chained */
static const unsigned hmask = 2 * WIN - 1;
static int single;		/* one address or name on the command line: its errors are fatal */
static struct json js;
static struct layers lv;
static int packet_fd = -1, packet_errno;
static long nsent, nrecv;
static volatile sig_atomic_t stop;
static int64_t rtt_max = -1;	/* the slowest answer so far */

#define WAIT_FLOOR 100000	/* µs: the shortest adaptive wait */

/*
 * How long a request waits for its answer: -W, cut once answers have
 * been seen to eight times the slowest of them, but not under 0.1 s.
 */
static int64_t
req_wait(void)
{
	int64_t w;

	if (rtt_max < 0)
		return opt.wait;
	w = 8 * rtt_max;
	if (w < WAIT_FLOOR)
		w = WAIT_FLOOR;
	return w < opt.wait ? w : opt.wait;
}

/* requests a target gets: -c, else 2 (1 for each host of a scan) */
static int
max_sent(const struct target *t)
{
	if (opt.count_set || opt.unsol)
		return (int)opt.count;
	return t->group >= 0 ? 1 : 2;
}

static void
on_signal(int sig)
{
	stop = 1;
	tb_interrupted = sig;	/* and a wait for stdin ends too */
}

static void
usage(FILE *fp)
{
	fputs(USAGE, fp);
	if (fp == stdout)
		fputs("\n"
		    "Ask who has each target IPv4 address; print its MAC, one line per target:\n"
		    "  10.0.0.7<TAB>02:00:00:00:00:07<TAB>0.213 ms\n"
		    "A target is an address, a host name, a CIDR range (a scan: only hosts that\n"
		    "answer are listed) or - (targets from stdin, one per line).\n\n"
		    "One host and -i (not -D, -U, --cached): arping's mode, a request every\n"
		    "interval, -c of them (default: until -w or interrupted), a line per reply\n"
		    "  Unicast reply from 10.0.0.7 [02:00:00:00:00:07]  0.213ms\n"
		    "then arping's summary: Sent N probes (B broadcast(s)), Received M response(s).\n\n"
		    "  -I iface      interface (default: from the route to the target)\n"
		    "  -c count      requests per target at most (default 2); arping's mode: requests\n"
		    "  -w deadline   give up on everything after this many seconds\n"
		    "  -W wait       seconds to wait for an answer to each request (default 0.5)\n"
		    "  -i interval   seconds between two frames sent (default 0.002625)\n"
		    "  -b            arping's mode: keep broadcasting after the first reply\n"
		    "  -s source_ip  sender address in the requests\n"
		    "  -D            duplicate address detection: exit 0 if nobody answers\n"
		    "  -U            unsolicited (gratuitous) announcement of the target\n"
		    "  -f            stop at the first answer\n"
		    "  -q            quiet: exit status only\n"
		    "  -n            numeric: never resolve names\n"
		    "      --cached  answer from a REACHABLE kernel neighbour entry when there is one\n"
		    "  -j, --json    NDJSON events, summary last\n"
		    "  -X, --layers  decode every frame sent and received, then its bytes in hex\n"
		    "  -h, --help    this help;  -V, --version  the version\n\n"
		    "Exit: 0 every target answered (-D: nobody answered; arping's mode: a reply,\n"
		    "with -w and -c: count replies), 1 some did not,\n"
		    "2 usage or local error, 3 name resolution failed.\n", fp);
}

/* --- targets ---------------------------------------------------------------- */

/* the next target, in the slot after the last (the caller checked there is room) */
static struct target *
add_target(const char *input)
{
	struct target *t = TG(nin);

	memset(t, 0, sizeof *t);
	t->input = input;
	t->seq = nin++;
	t->group = -1;
	t->ifx = -1;
	t->next_hash = -1;
	return t;
}

static void
fail_target(struct target *t, int code, const char *why)
{
	t->st = T_FINAL;
	t->code = code;
	t->why = why;
}

static int
find_iface(const char *name, const char **why)
{
	struct iface *f;
	int i;

	for (i = 0; i < nifaces; i++)
		if (strcmp(ifaces[i].name, name) == 0)
			return i;
	if (nifaces == MAX_IFACES) {
		*why = "too many interfaces";
		return -1;
	}
	f = &ifaces[nifaces];
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
	if (!f->has_ip && !opt.have_src && !opt.dad) {
		*why = "interface has no IPv4 address (use -s)";
		return -1;
	}
	return nifaces++;
}

/* pick the interface and the address to ARP for */
static void
route_target(struct target *t)
{
	static char *routes;
	static size_t rlen;
	struct route r;
	const char *why = NULL;
	int rc;

	if (t->ip[0] == 0 || t->ip[0] == 127 || t->ip[0] >= 224) {
		/* this network, loopback, multicast, reserved, broadcast: nobody ARPs for them */
		if (single)
			tb_die(EXIT_LOCAL, "%s: not a unicast address on a link", t->input);
		fail_target(t, EXIT_LOCAL, "not a unicast address on a link");
		return;
	}
	if (routes == NULL && (routes = tb_slurp("/proc/net/route", 16u << 20, &rlen)) == NULL)
		tb_die(EXIT_LOCAL, "/proc/net/route: %s", strerror(errno));
	rc = route_pick(routes, rlen, t->ip, opt.ifname, &r);
	if (t->group >= 0 && ((rc == 0 && opt.ifname == NULL) || (rc && (r.flags & 2)))) {
		/* a scan asks only the hosts on the link */
		fail_target(t, EXIT_NO, "not on the link");
		return;
	}
	if (rc == 0 && opt.ifname == NULL) {
		fail_target(t, EXIT_LOCAL, "no route");
		return;
	}
	t->ifx = find_iface(rc ? r.ifname : opt.ifname, &why);
	if (t->ifx < 0) {
		char msg[128];

		snprintf(msg, sizeof msg, "%s", rc ? r.ifname : opt.ifname);
		if (opt.ifname || single)
			tb_die(EXIT_LOCAL, "%s: %s", msg, why);
		fail_target(t, EXIT_LOCAL, why);
		return;
	}
	memcpy(t->ask, t->ip, 4);
	if (!opt.dad && !opt.unsol && ifaces[t->ifx].has_ip &&
	    memcmp(ifaces[t->ifx].ip, t->ip, 4) == 0) {
		/* our own address: nobody else answers for it; a scan skips it */
		t->st = T_FINAL;
		if (t->group < 0) {
			arp_note_mac(&t->macs, ifaces[t->ifx].mac);
			t->how = H_LOCAL;
		}
		return;
	}
	if (rc && (r.flags & 2) && !opt.dad && !opt.unsol) {
		memcpy(t->ask, r.gw, 4);
		t->via = 1;
	}
}

static int
parse_ip4(const char *s, uint8_t ip[4])
{
	struct tb_addr a;

	if (tb_addr_parse(s, &a) < 0 || a.family != AF_INET)
		return -1;
	memcpy(ip, a.a, 4);
	return 0;
}

/* hash of targets by (interface, address asked for) */
static unsigned
hkey(const uint8_t ip[4], int ifx)
{
	return (get32(ip) * 2654435761u ^ (unsigned)ifx) & hmask;
}

static void
hash_add(struct target *t)
{
	unsigned k = hkey(t->ask, t->ifx);

	t->next_hash = hash[k];
	hash[k] = (int)(t - tg);
	t->hashed = 1;
}

static void
hash_del(struct target *t)
{
	int *p = &hash[hkey(t->ask, t->ifx)], me = (int)(t - tg);

	while (*p >= 0 && *p != me)
		p = &tg[*p].next_hash;
	if (*p == me)
		*p = t->next_hash;
	t->hashed = 0;
}

/* the inputs, read as targets are needed; a range's hosts share its group */
static struct tb_targets src = { .ranges = 1, .min_prefix = MIN_PREFIX };
static long group = -1;

static void finish_target(struct target *, int64_t);

/* route it, and answer it from the cache (--cached); then it can be asked */
static void
plan_target(struct target *t)
{
	uint8_t mac[6];

	if (t->st == T_NEW)
		route_target(t);
	if (t->st == T_NEW && opt.cached &&
	    neigh_reachable(t->ask, ifaces[t->ifx].index, mac) == 1) {
		arp_note_mac(&t->macs, mac);
		t->how = H_CACHED;
		finish_target(t, 0);
	}
	if (t->st == T_NEW)
		hash_add(t);
}

/* an input that is not a range; late: the run is over, so no lookup */
static void
word_target(struct target *t, const struct tb_target *in, int late)
{
	struct tb_addr a;
	const char *why;
	int r;

	if (in->bad_range) {
		if (in->bad_range == -2)
			tb_warn("%s: a scan covers at most a /%d", in->input, MIN_PREFIX);
		fail_target(t, EXIT_LOCAL, "bad range");
		return;
	}
	if (parse_ip4(in->input, t->ip) == 0)
		return;
	if (opt.numeric || strchr(in->input, '/')) {
		fail_target(t, EXIT_LOCAL, "not an IPv4 address");
		return;
	}
	if (late) {
		fail_target(t, EXIT_NO, stop == 1 ? "interrupted" : stop == 2 ? "stopped" : "deadline");
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
next_target(int wait, int late)
{
	struct tb_target in;
	struct target *t;
	int r = tb_targets_next(&src, wait && !late, &in);

	if (r == TB_TG_NONE || r == TB_TG_END)
		return r == TB_TG_NONE ? 0 : -1;
	t = add_target(in.input);
	t->owned = in.owned;
	if (r == TB_TG_LONG) {
		fail_target(t, EXIT_LOCAL, "line too long");
		return 1;
	}
	if (r == TB_TG_HOST) {
		if (in.first)
			group = t->seq;
		t->group = group;
		memcpy(t->ip, in.ip, 4);
		t->last_of_group = in.last;
	} else {
		word_target(t, &in, late);
	}
	if (!late)
		plan_target(t);
	return 1;
}

/*
 * Fill the window from the inputs; wait for stdin only when nothing is
 * held.  starved: stdin had no whole line (its descriptor wakes the wait).
 */
static int inputs_over, starved;

static void
fill_window(void)
{
	int r;

	starved = 0;
	while (!inputs_over && nin - next_out < WIN) {
		r = next_target(nin == next_out, 0);
		if (r < 0)
			inputs_over = 1;
		if (r == 0)
			starved = 1;
		if (r <= 0)
			break;
	}
}

/* --- output ----------------------------------------------------------------- */

static char *
ip_s(const uint8_t ip[4], char *b)
{
	return arp_ip4_str(ip, b, 16);
}

static void
print_answer(const struct target *t, int k)
{
	char ip[16], gw[16], mac[18];
	int64_t rtt = k == 0 ? t->rtt : t->dup_rtt[k];

	if (opt.quiet)
		return;
	mac_str(t->macs.mac[k], mac, sizeof mac);
	ip_s(t->ip, ip);
	ip_s(t->ask, gw);
	if (opt.json) {
		js_begin(&js, stdout, opt.unsol ? "announce" : opt.dad ? "conflict" : "reply");
		js_str(&js, "target", t->input);
		js_str(&js, "ip", ip);
		js_str(&js, "mac", mac);
		if (opt.unsol || t->how == H_CACHED || t->how == H_LOCAL)
			js_null(&js, "rtt_ms");
		else
			js_ms(&js, "rtt_ms", rtt);
		js_str(&js, "interface", ifaces[t->ifx].name);
		js_str(&js, "via", t->via ? gw : NULL);
		js_bool(&js, "dup", k > 0);
		js_str(&js, "source", t->how == H_KERNEL ? "kernel" : t->how == H_CACHED ? "cache" :
		    t->how == H_LOCAL ? "local" : "arp");
		js_end(&js);
		return;
	}
	printf("%s\t%s\t", ip, mac);
	if (opt.unsol)
		fputs("announced", stdout);
	else if (t->how == H_CACHED || t->how == H_LOCAL)
		fputs(t->how == H_CACHED ? "cached" : "local", stdout);
	else
		printf("%.3f ms", (double)rtt / 1000.0);
	if (t->via || k > 0 || t->how == H_KERNEL) {
		fputc('\t', stdout);
		if (t->via)
			printf("via %s%s", gw, k > 0 || t->how == H_KERNEL ? " " : "");
		if (k > 0)
			printf("DUP%s", t->how == H_KERNEL ? " " : "");
		if (t->how == H_KERNEL)
			fputs("(kernel)", stdout);
	}
	fputc('\n', stdout);
}

/*
 * A target without an answer.  In -j its type is "timeout" (or "free"
 * for -D) only when requests went out and none was answered; anything
 * that stopped it before a request (no such host, no route, a bad
 * range) is an "error" naming why.
 */
static void
print_miss(const struct target *t, const char *what, int whole_range, int asked)
{
	char ip[16], gw[16];
	int have_ip = !whole_range && (t->why == NULL || t->ifx >= 0);

	if (opt.quiet)
		return;
	ip_s(t->ip, ip);
	ip_s(t->ask, gw);
	if (opt.json) {
		js_begin(&js, stdout, asked && (t->code == EXIT_NO || t->code == EXIT_OK) ?
		    (opt.dad ? "free" : "timeout") : "error");
		js_str(&js, "target", t->input);
		js_str(&js, "ip", have_ip ? ip : NULL);
		js_str(&js, "interface", t->ifx >= 0 ? ifaces[t->ifx].name : NULL);
		js_str(&js, "via", t->via ? gw : NULL);
		js_str(&js, "error", what);
		js_end(&js);
		return;
	}
	if (have_ip)
		fputs(ip, stdout);
	else	/* the argument or line as given: escaped */
		tb_escape(stdout, t->input, strlen(t->input), 1);
	printf("\t-\t%s", what);
	if (t->via)
		printf("\tvia %s", gw);
	fputc('\n', stdout);
}

static int group_answered, group_asked;
/* the exit status as targets are printed: of every target (-D), and with
 * a range counting as one that answered if any host did */
static int code_all = EXIT_OK, code_rng = EXIT_OK, nanswered;

/* -j: a run that dies before its first packet still ends with its summary */
static void
die_summary(int code)
{
	js_begin(&js, stdout, "summary");
	js_int(&js, "targets", nin);
	js_int(&js, "answered", nanswered);
	js_int(&js, "sent", nsent);
	js_int(&js, "received", nrecv);
	js_int(&js, "exit", code);
	js_end(&js);
}

/* print every target, in input order, that is final; free its slot */
static void
flush_output(void)
{
	while (next_out < nin && TG(next_out)->st == T_FINAL) {
		struct target *t = TG(next_out);
		int k;

		if (t->sent > 0)
			group_asked = 1;
		code_all = exit_worst(code_all, t->code);
		if (t->macs.n > 0)
			nanswered++;
		if (t->macs.n > 0) {
			for (k = 0; k < t->macs.n; k++)
				print_answer(t, k);
			group_answered++;
		} else if (t->group < 0) {
			print_miss(t, t->why ? t->why : "timeout", 0, t->sent > 0);
		}
		if (t->group < 0)
			code_rng = exit_worst(code_rng, t->code);
		else if (t->last_of_group)
			code_rng = exit_worst(code_rng, group_answered || t->macs.n ? EXIT_OK : EXIT_NO);
		else if (t->code != EXIT_OK && t->code != EXIT_NO)
			code_rng = exit_worst(code_rng, t->code);
		if (t->group >= 0 && t->last_of_group) {
			if (group_answered == 0) {
				struct target g = *t;

				g.via = 0;
				print_miss(&g, group_asked ? (opt.dad ? "free" : "no reply") :
				    t->why ? t->why : "not on the link", 1, group_asked);
			}
		}
		if (t->group < 0 || t->last_of_group)
			group_answered = group_asked = 0;
		if (t->hashed)
			hash_del(t);
		tb_free(t->owned);
		t->owned = NULL;
		next_out++;
	}
}

/*
 * The run is over (a signal, the deadline): every target held is final
 * now, and every input not yet read becomes one without a lookup or a
 * request -- one result per input still -- except stdin's lines that
 * have not arrived, which are not waited for.
 */
static void
finish_all(int64_t now)
{
	long i;

	for (i = next_out; i < nin; i++) {
		struct target *t = TG(i);

		if (t->st != T_FINAL) {
			if (!stop && t->st != T_ANSWERED)
				t->why = "deadline";
			finish_target(t, now);
		}
	}
	flush_output();
	while (!inputs_over) {
		if (nin - next_out == WIN)
			flush_output();
		if (next_target(0, 1) <= 0)
			break;
		if (TG(nin - 1)->st != T_FINAL) {
			if (!stop)
				TG(nin - 1)->why = "deadline";
			finish_target(TG(nin - 1), now);
		}
	}
	flush_output();
}

/* --- the raw socket ----------------------------------------------------------- */

static void
send_frame_to(struct target *t, int64_t now, const uint8_t dst[MAC_LEN])
{
	struct iface *f = &ifaces[t->ifx];
	struct sockaddr_ll sll;
	struct arp_pkt p;
	uint8_t frame[64];
	size_t n;
	const uint8_t *spa = opt.have_src ? opt.src : f->ip;

	if (opt.dad)
		arp_probe(&p, f->mac, t->ask);
	else if (opt.unsol)
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
	if (opt.layers) {
		lv_packet(&lv, "sent %zu bytes on %s", n, f->name);
		arp_decode_frame(&lv, frame, n);
	}
	if (sendto(packet_fd, frame, n, 0, (struct sockaddr *)&sll, sizeof sll) < 0) {
		if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
			tb_die(EXIT_LOCAL, "sendto %s: %s", f->name, strerror(errno));
	}
	nsent++;
	t->sent++;
	t->t_sent = now;
	if (t->sent == 1)
		t->t_first = now;
	if (t->st == T_NEW)
		t->st = T_PENDING;
}

static void
send_frame(struct target *t, int64_t now)
{
	send_frame_to(t, now, mac_broadcast);
}

static void
answered(struct target *t, const uint8_t mac[6], int64_t now)
{
	int r = arp_note_mac(&t->macs, mac);

	if (r == ARP_MAC_NEW) {
		t->rtt = now - t->t_sent;
		t->st = T_ANSWERED;
		if (t->rtt > rtt_max)
			rtt_max = t->rtt;
		/* a short grace for a second MAC (ARP-06) */
		t->final_at = now + tb_earliest(opt.wait, 10000 + 2 * t->rtt);
		if (opt.first)
			stop = 2;
	} else if (r == ARP_MAC_DUP && t->macs.n > 1 && t->macs.n <= ARP_MAX_MACS) {
		t->dup_rtt[t->macs.n - 1] = now - t->t_sent;
	}
}

static void
receive_frames(void)
{
	uint8_t buf[2048];

	for (;;) {
		struct sockaddr_ll sll;
		socklen_t sl = sizeof sll;
		ssize_t r = recvfrom(packet_fd, buf, sizeof buf, MSG_DONTWAIT | MSG_TRUNC,
		    (struct sockaddr *)&sll, &sl);
		int64_t now = tb_now();
		struct eth_hdr eh;
		struct arp_pkt ap;
		size_t n;
		int i, ifx = -1, seen = 0, err = 0;
		enum arp_class shown = ARP_NOT_OURS;

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				tb_warn("recvfrom: %s", strerror(errno));
			return;
		}
		n = (size_t)r > sizeof buf ? sizeof buf : (size_t)r;
		/* ARP-04: our own frames, and frames for other stations */
		if (sll.sll_pkttype == PACKET_OUTGOING || sll.sll_pkttype == PACKET_OTHERHOST)
			continue;
		for (i = 0; i < nifaces; i++)
			if (ifaces[i].index == sll.sll_ifindex)
				ifx = i;
		if (ifx < 0)
			continue;
		nrecv++;
		/* every target that asked this interface for the sender's address */
		if (arp_frame_parse(buf, n, &eh, &ap) == ARP_OK) {
			uint8_t spa[4], tpa[4];

			memcpy(spa, ap.spa, 4);
			memcpy(tpa, ap.tpa, 4);
			for (int pass = 0; pass < (opt.dad ? 2 : 1); pass++) {
				const uint8_t *key = pass ? tpa : spa;

				for (i = hash[hkey(key, ifx)]; i >= 0; i = tg[i].next_hash) {
					struct target *t = &tg[i];
					struct arp_query q;
					enum arp_class c;

					if (t->ifx != ifx || memcmp(t->ask, key, 4) != 0 || t->st == T_FINAL ||
					    t->st == T_NEW)
						continue;
					memset(&q, 0, sizeof q);
					memcpy(q.mac, ifaces[ifx].mac, 6);
					if (!opt.dad)
						memcpy(q.spa, opt.have_src ? opt.src : ifaces[ifx].ip, 4);
					memcpy(q.tpa, t->ask, 4);
					q.dad = opt.dad;
					c = arp_classify(buf, n, &q, &eh, &ap, &err);
					seen = 1;
					shown = c;
					if (c == ARP_ANSWER ||
					    (opt.dad && c == ARP_PROBE && memcmp(ap.tpa, t->ask, 4) == 0))
						answered(t, ap.sha, now);
				}
			}
		}
		if (opt.layers) {
			if (!seen)
				shown = arp_classify(buf, n, &(struct arp_query){ .dad = opt.dad }, &eh, &ap, &err);
			lv_packet(&lv, "received %zu bytes on %s: %s%s%s", n, ifaces[ifx].name,
			    arp_class_name(shown), shown == ARP_MALFORMED ? ": " : "",
			    shown == ARP_MALFORMED ? arp_strerror(err) : "");
			arp_decode_frame(&lv, buf, n);
		}
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
 * same, retries fall due in the order requests were sent, so a FIFO of
 * sent targets (by seq) is the whole schedule.  An entry whose target has
 * been answered, or printed, is dropped when it comes up.
 */
#define FIFO (4 * WIN)
static long fifo[FIFO];
static long fhead, ftail;	/* entries fifo[fhead % FIFO .. ftail % FIFO) */

static int
fifo_live(long seq)
{
	return seq >= next_out && TG(seq)->st == T_PENDING;
}

static void
fifo_push(long seq)
{
	if (ftail - fhead == FIFO) {	/* full: keep only the live entries */
		long i, n = ftail;

		for (i = fhead; i < n; i++)
			if (fifo_live(fifo[i % FIFO]))
				fifo[ftail++ % FIFO] = fifo[i % FIFO];
		fhead = n;
		if (ftail - fhead == FIFO)	/* cannot be: a held target has one entry */
			tb_die(EXIT_LOCAL, "retry queue full");
	}
	fifo[ftail++ % FIFO] = seq;
}

/* the earliest retry still to send, or -1 */
static long
fifo_first(void)
{
	while (fhead < ftail && !fifo_live(fifo[fhead % FIFO]))
		fhead++;
	return fhead < ftail ? fifo[fhead % FIFO] : -1;
}

static void
finish_target(struct target *t, int64_t now)
{
	(void)now;
	t->st = T_FINAL;
	if (opt.unsol && t->ifx >= 0 && t->macs.n == 0)
		arp_note_mac(&t->macs, ifaces[t->ifx].mac);
	if (t->macs.n > 0)
		t->code = opt.dad ? EXIT_NO : EXIT_OK;
	else if (opt.unsol || opt.dad) {
		t->code = EXIT_OK;
		if (opt.dad && t->why == NULL)
			t->why = "free";
	}
	else {
		t->code = EXIT_NO;
		if (t->why == NULL)
			t->why = stop == 1 ? "interrupted" : stop == 2 ? "stopped" : "timeout";
	}
}

/* the next target not yet asked, or -1 */
static long
first_new(void)
{
	while (next_new < nin && TG(next_new)->st != T_NEW)
		next_new++;
	return next_new < nin ? next_new : -1;
}

static void
run_raw(void)
{
	int64_t start = tb_now(), last_send = -1;
	int64_t end = opt.deadline >= 0 ? start + opt.deadline : -1;
	long i, r, n;
	unsigned k;

	for (k = 0; k <= hmask; k++)
		hash[k] = -1;
	for (;;) {
		int64_t now = tb_now(), wake = -1;
		struct pollfd pfd[2] = { { .fd = packet_fd, .events = POLLIN }, { .fd = -1 } };

		if (stop || (end >= 0 && now >= end)) {
			finish_all(now);
			return;
		}
		fill_window();
		/* send one frame if one is due and the pacing allows */
		if (last_send < 0 || now >= last_send + opt.interval) {
			struct target *t = NULL;

			if ((r = fifo_first()) >= 0 && now >= TG(r)->t_sent + req_wait()) {
				t = TG(r);
				fhead++;
			} else if ((n = first_new()) >= 0) {
				t = TG(n);
				next_new++;
			}
			if (t) {
				send_frame(t, now);
				last_send = now;
				if (t->sent < max_sent(t))
					fifo_push(t->seq);
			}
		}
		/* retire targets */
		for (i = next_out; i < nin; i++) {
			struct target *t = TG(i);

			if (t->st == T_PENDING && t->sent >= max_sent(t) &&
			    (opt.unsol || now >= t->t_sent + req_wait()))
				finish_target(t, now);
			else if (t->st == T_ANSWERED && now >= t->final_at)
				finish_target(t, now);
			if (t->st == T_NEW)
				break;
		}
		flush_output();
		if (inputs_over && next_out == nin)
			return;
		/* when to wake: the next send, the next retirement, more input */
		r = fifo_first();
		if (first_new() >= 0 || r >= 0) {
			int64_t due = last_send + opt.interval;

			if (first_new() < 0 && TG(r)->t_sent + req_wait() > due)
				due = TG(r)->t_sent + req_wait();
			wake = tb_earliest(wake, due);
		}
		for (i = next_out; i < nin && TG(i)->st != T_NEW; i++) {
			struct target *t = TG(i);

			if (t->st == T_PENDING && t->sent >= max_sent(t))
				wake = tb_earliest(wake, t->t_sent + req_wait());
			else if (t->st == T_ANSWERED)
				wake = tb_earliest(wake, t->final_at);
		}
		wake = tb_earliest(wake, end);
		if (!inputs_over && nin - next_out < WIN) {
			if (starved)
				pfd[1].fd = STDIN_FILENO;	/* the next line wakes us */
			else
				wake = now;	/* printing made room: make more targets now */
		}
		if (wait_until(pfd, pfd[1].fd >= 0 ? 2 : 1, wake) < 0 && errno != EINTR)
			tb_die(EXIT_LOCAL, "poll: %s", strerror(errno));
		if (pfd[0].revents & POLLIN)
			receive_frames();
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
static long ap_sent, ap_bcast, ap_recv;

static void
arping_reply(struct target *t, const struct arp_pkt *ap, int unicast, int64_t rtt)
{
	char ip[16], mac[18], gw[16];
	int i;

	if (opt.quiet)
		return;
	ip_s(ap->spa, ip);
	mac_str(ap->sha, mac, sizeof mac);
	if (opt.json) {
		ip_s(t->ask, gw);
		js_begin(&js, stdout, "reply");
		js_str(&js, "target", t->input);
		js_str(&js, "ip", ip);
		js_str(&js, "mac", mac);
		js_ms(&js, "rtt_ms", rtt);
		js_str(&js, "interface", ifaces[t->ifx].name);
		js_str(&js, "via", t->via ? gw : NULL);
		js_bool(&js, "unicast", unicast);
		js_int(&js, "request", ap_sent);
		js_end(&js);
		return;
	}
	for (i = 0; mac[i]; i++)	/* arping's upper case */
		if (mac[i] >= 'a' && mac[i] <= 'f')
			mac[i] = (char)(mac[i] - 'a' + 'A');
	printf("%s reply from %s [%s]  %lld.%03lldms\n", unicast ? "Unicast" : "Broadcast",
	    ip, mac, (long long)(rtt / 1000), (long long)(rtt % 1000));
}

static void
arping_receive(struct target *t, int64_t last_send, uint8_t peer[MAC_LEN], int *have_peer)
{
	uint8_t buf[2048];

	for (;;) {
		struct sockaddr_ll sll;
		socklen_t sl = sizeof sll;
		ssize_t r = recvfrom(packet_fd, buf, sizeof buf, MSG_DONTWAIT | MSG_TRUNC,
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
		    sll.sll_ifindex != ifaces[t->ifx].index)
			continue;
		memset(&q, 0, sizeof q);
		memcpy(q.mac, ifaces[t->ifx].mac, 6);
		memcpy(q.spa, opt.have_src ? opt.src : ifaces[t->ifx].ip, 4);
		memcpy(q.tpa, t->ask, 4);
		c = arp_classify(buf, n, &q, &eh, &ap, &err);
		if (opt.layers) {
			lv_packet(&lv, "received %zu bytes on %s: %s%s%s", n, ifaces[t->ifx].name,
			    arp_class_name(c), c == ARP_MALFORMED ? ": " : "",
			    c == ARP_MALFORMED ? arp_strerror(err) : "");
			arp_decode_frame(&lv, buf, n);
		}
		if (c != ARP_ANSWER)
			continue;
		ap_recv++;
		arping_reply(t, &ap, sll.sll_pkttype == PACKET_HOST, now - last_send);
		if (!*have_peer) {
			memcpy(peer, ap.sha, MAC_LEN);
			*have_peer = 1;
		}
		if (opt.first)
			stop = 2;
	}
}

static int
run_arping(void)
{
	struct target *t;
	int64_t start, next, last_send = -1, end, after;
	uint8_t peer[MAC_LEN];
	int have_peer = 0, code;
	char ip[16], from[16];

	fill_window();
	t = TG(0);
	if (nin != 1 || t->st != T_NEW)
		return -1;	/* not a host to ask (an error, our own address): as always */
	start = tb_now();
	end = opt.deadline >= 0 ? start + opt.deadline : -1;
	after = opt.interval > WAIT_FLOOR ? opt.interval : WAIT_FLOOR;
	if (!opt.quiet && !opt.json)
		printf("ARPING %s from %s %s\n", ip_s(t->ask, ip),
		    ip_s(opt.have_src ? opt.src : ifaces[t->ifx].ip, from), ifaces[t->ifx].name);
	for (next = start;;) {
		struct pollfd pfd = { .fd = packet_fd, .events = POLLIN };
		int64_t now = tb_now(), wake;
		int more = !opt.count_set || ap_sent < opt.count;

		if (stop || (end >= 0 && now >= end) || (!more && now >= last_send + after))
			break;
		if (more && now >= next) {
			send_frame_to(t, now, have_peer && !opt.bcast ? peer : mac_broadcast);
			if (!have_peer || opt.bcast)
				ap_bcast++;
			ap_sent++;
			last_send = now;
			next += opt.interval;
			if (next < now)
				next = now;
			more = !opt.count_set || ap_sent < opt.count;
		}
		wake = more ? next : last_send + after;
		wake = tb_earliest(wake, end);
		if (wait_until(&pfd, 1, wake) < 0 && errno != EINTR)
			tb_die(EXIT_LOCAL, "poll: %s", strerror(errno));
		if (pfd.revents & POLLIN)
			arping_receive(t, last_send, peer, &have_peer);
	}
	/* as arping: with -w and -c, every request answered; else any */
	code = ap_recv > 0 ? EXIT_OK : EXIT_NO;
	if (opt.deadline >= 0 && opt.count_set && ap_recv < opt.count)
		code = EXIT_NO;
	if (opt.json && !opt.quiet) {
		js_begin(&js, stdout, "summary");
		js_int(&js, "targets", 1);
		js_int(&js, "answered", ap_recv > 0);
		js_int(&js, "sent", ap_sent);
		js_int(&js, "broadcasts", ap_bcast);
		js_int(&js, "received", ap_recv);
		js_int(&js, "exit", code);
		js_end(&js);
	} else if (!opt.quiet) {
		printf("Sent %ld probes (%ld broadcast(s))\n", ap_sent, ap_bcast);
		printf("Received %ld response(s)\n", ap_recv);
	}
	return code;
}

/* --- without CAP_NET_RAW: ask the kernel ---------------------------------------- */

static void
run_kernel(void)
{
	int64_t start = tb_now(), end = opt.deadline >= 0 ? start + opt.deadline : -1;
	int64_t last_send = -1;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	long i, n;

	if (fd < 0)
		tb_die(EXIT_LOCAL, "socket: %s", strerror(errno));
	for (;;) {
		int64_t now = tb_now();
		size_t len = 0;
		char *text;

		if (stop || (end >= 0 && now >= end)) {
			finish_all(now);
			break;
		}
		fill_window();
		if ((last_send < 0 || now >= last_send + opt.interval) && (n = first_new()) >= 0) {
			struct target *t = TG(n);
			struct tb_addr a = { .family = AF_INET };
			struct sockaddr_storage ss;
			static int warned;
			unsigned sl;

			next_new++;
			if (!warned++ && !opt.quiet && !opt.json)
				tb_warn("no CAP_NET_RAW: asking the kernel instead "
				    "(results marked (kernel))");
			memcpy(a.a, t->ip, 4);
			sl = tb_sockaddr(&a, 9, &ss);	/* discard */
			(void)sendto(fd, "", 0, 0, (struct sockaddr *)&ss, sl);
			if (opt.layers) {
				char ip[16], gw[16];

				lv_packet(&lv, "sent an empty UDP datagram to %s port 9: the kernel "
				    "asks who has %s (no CAP_NET_RAW: its frames are not seen here)",
				    ip_s(t->ip, ip), ip_s(t->ask, gw));
			}
			t->st = T_PENDING;
			t->t_sent = t->t_first = now;
			t->how = H_KERNEL;
			t->sent = 1;
			nsent++;
			last_send = now;
		}
		text = tb_slurp("/proc/net/arp", 16u << 20, &len);
		if (text == NULL)
			tb_die(EXIT_LOCAL, "/proc/net/arp: %s", strerror(errno));
		for (i = next_out; i < nin && TG(i)->st != T_NEW; i++) {
			struct target *t = TG(i);
			uint8_t mac[6];
			unsigned fl;

			if (t->st != T_PENDING)
				continue;
			if (neigh_find(text, len, t->ask, ifaces[t->ifx].name, mac, &fl) == 1 &&
			    (fl & NEIGH_COMPLETE)) {
				arp_note_mac(&t->macs, mac);
				t->rtt = tb_now() - t->t_sent;
				finish_target(t, now);
				nrecv++;
				if (opt.first)
					stop = 2;
			} else if (now >= t->t_sent + opt.wait * max_sent(t)) {
				finish_target(t, now);
			}
		}
		tb_free(text);
		flush_output();
		if (inputs_over && next_out == nin)
			break;
		/* the kernel offers no wake-up for /proc/net/arp: look again shortly */
		(void)poll(NULL, 0, 2);
	}
	flush_output();
	close(fd);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cached", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "layers", no_argument, NULL, 'X' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct sigaction sa;
	int c, code = EXIT_OK, answered_any = 0;

	/* the raw socket first, then no more privilege than the caller's */
	packet_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ARP));
	packet_errno = packet_fd < 0 ? errno : 0;
	tb_drop_privs();
	tb_init(argv[0]);
	argv[0] = (char *)tb_prog;	/* getopt's one line reads "NAME: ..." */

	while ((c = getopt_long(argc, argv, "bc:DfhI:i:jnqs:UVW:w:X", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (tb_num(optarg, 1, 1000000, &opt.count) < 0)
				tb_usage_error("bad count: %s", optarg);
			opt.count_set = 1;
			break;
		case 'b': opt.bcast = 1; break;
		case 'C': opt.cached = 1; break;
		case 'D': opt.dad = 1; break;
		case 'f': opt.first = 1; break;
		case 'h': usage(stdout); tb_exit(EXIT_OK);
		case 'I': opt.ifname = optarg; break;
		case 'i':
			if (tb_secs(optarg, 60, &opt.interval) < 0)
				tb_usage_error("bad interval: %s", optarg);
			opt.interval_set = 1;
			break;
		case 'j': opt.json = 1; break;
		case 'n': opt.numeric = 1; break;
		case 'q': opt.quiet = 1; break;
		case 's':
			if (parse_ip4(optarg, opt.src) < 0)
				tb_usage_error("bad source address: %s", optarg);
			opt.have_src = 1;
			break;
		case 'U': opt.unsol = 1; break;
		case 'V': printf("arpq (tubes) %s\n", TUBES_VERSION); tb_exit(EXIT_OK);
		case 'W':
			if (tb_secs(optarg, 3600, &opt.wait) < 0)
				tb_usage_error("bad wait: %s", optarg);
			break;
		case 'w':
			if (tb_secs(optarg, 86400, &opt.deadline) < 0)
				tb_usage_error("bad deadline: %s", optarg);
			break;
		case 'X': opt.layers = 1; break;
		default: tb_bad_option();
		}
	}
	if (optind >= argc)
		tb_usage_error("no target");
	if (opt.dad && opt.unsol)
		tb_usage_error("-D and -U exclude each other");
	if (opt.cached && (opt.dad || opt.unsol))
		tb_usage_error("--cached asks about others: not with -D or -U");
	if (opt.unsol && !opt.count_set)
		opt.count = 1;
	if (opt.dad && !opt.count_set)
		opt.count = 3;		/* RFC 5227 PROBE_NUM */
	if (opt.ifname && strlen(opt.ifname) >= TB_IFNAMSIZ)
		tb_usage_error("interface name too long: %s", opt.ifname);
	lv.fp = stdout;
	if (opt.layers)
		dns_resolver_layers(&lv);	/* the DNS packets of name lookups, too */

	if (packet_fd < 0) {
		if (packet_errno != EPERM && packet_errno != EACCES)
			tb_die(EXIT_LOCAL, "AF_PACKET socket: %s", strerror(packet_errno));
		if (opt.dad || opt.unsol)
			tb_die(EXIT_LOCAL, "-%c needs CAP_NET_RAW (setcap cap_net_raw+ep arpq)",
			    opt.dad ? 'D' : 'U');
	}
	if (opt.json && !opt.quiet)
		tb_on_die(die_summary);
	if (opt.ifname) {
		const char *why;

		if (find_iface(opt.ifname, &why) < 0)
			tb_die(EXIT_LOCAL, "%s: %s", opt.ifname, why);
	}

	src.arg = argv + optind;
	src.narg = argc - optind;
	single = src.narg == 1 && strcmp(argv[optind], "-") != 0 && strchr(argv[optind], '/') == NULL;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	/*
	 * arping's mode: one host named and -i given (-c alone keeps its
	 * older meaning here, requests until the first answer)
	 */
	if (single && opt.interval_set && !opt.dad && !opt.unsol && !opt.cached) {
		if (packet_fd < 0)
			tb_die(EXIT_LOCAL, "one host with -i (arping's mode) needs CAP_NET_RAW "
			    "(setcap cap_net_raw+ep arpq)");
		for (unsigned k = 0; k <= hmask; k++)
			hash[k] = -1;
		if ((code = run_arping()) >= 0)
			tb_exit(code);
		flush_output();		/* an error or our own address: its line */
	}
	/* targets are made from the inputs as the window has room for them */
	if (packet_fd >= 0)
		run_raw();
	else
		run_kernel();

	/* a range answers if any of its hosts did (-D: every target counts) */
	code = opt.dad ? code_all : code_rng;
	answered_any = nanswered > 0;
	if (opt.first && answered_any && code == EXIT_NO)
		code = EXIT_OK;
	if (stop == 1 && code == EXIT_OK && !answered_any)
		code = EXIT_NO;
	if (opt.json && !opt.quiet) {
		js_begin(&js, stdout, "summary");
		js_int(&js, "targets", nin);
		js_int(&js, "answered", nanswered);
		js_int(&js, "sent", nsent);
		js_int(&js, "received", nrecv);
		js_int(&js, "exit", code);
		js_end(&js);
	}
	tb_exit(code);
}
