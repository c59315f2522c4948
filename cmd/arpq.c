/*
 * arpq - ARP who-has over a raw Ethernet socket, for one host, a list,
 * or a whole subnet (RFC 826; RFC 5227 probes and announcements).
 *
 * One AF_PACKET socket, opened before anything else; privileges dropped
 * at once.  Every frame goes through arp_classify() against the query
 * of the target it could answer.  Without CAP_NET_RAW the kernel is
 * asked instead (a datagram to the discard port, then /proc/net/arp).
 * The engine (the targets, the scheduler, the sockets) is lib/sys/arpeng.c;
 * here are the options, the order of work and the output.
 */
#include <errno.h>
#include <getopt.h>
#include <net/ethernet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "arp.h"
#include "arpeng.h"
#include "dnsnet.h"
#include "eth.h"
#include "tubes.h"

#define USAGE "usage: arpq [-bDfhjnqUVX] [-I iface] [-c count] [-w deadline] [-W wait]\n" \
	"            [-i interval] [-s source_ip] [--cached] target ...\n"

/* the options as parsed; the engine runs on a copy */
static struct arpeng_opts opt = { .count = 2, .deadline = -1, .wait = 500000, .interval = 2625 };
static struct arpeng E;
static struct json js;

static void
on_signal(int sig)
{
	E.stop = 1;
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

/* --- output ----------------------------------------------------------------- */

static char *
ip_s(const uint8_t ip[4], char *b)
{
	return arp_ip4_str(ip, b, 16);
}

static void
print_answer(const struct arp_target *t, int k)
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
		if (opt.unsol || t->how == ARPH_CACHED || t->how == ARPH_LOCAL)
			js_null(&js, "rtt_ms");
		else
			js_ms(&js, "rtt_ms", rtt);
		js_str(&js, "interface", E.ifaces[t->ifx].name);
		js_str(&js, "via", t->via ? gw : NULL);
		js_bool(&js, "dup", k > 0);
		js_str(&js, "source", t->how == ARPH_KERNEL ? "kernel" : t->how == ARPH_CACHED ? "cache" :
		    t->how == ARPH_LOCAL ? "local" : "arp");
		js_end(&js);
		return;
	}
	printf("%s\t%s\t", ip, mac);
	if (opt.unsol)
		fputs("announced", stdout);
	else if (t->how == ARPH_CACHED || t->how == ARPH_LOCAL)
		fputs(t->how == ARPH_CACHED ? "cached" : "local", stdout);
	else
		printf("%.3f ms", (double)rtt / 1000.0);
	if (t->via || k > 0 || t->how == ARPH_KERNEL) {
		fputc('\t', stdout);
		if (t->via)
			printf("via %s%s", gw, k > 0 || t->how == ARPH_KERNEL ? " " : "");
		if (k > 0)
			printf("DUP%s", t->how == ARPH_KERNEL ? " " : "");
		if (t->how == ARPH_KERNEL)
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
print_miss(const struct arp_target *t, const char *what, int whole_range, int asked)
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
		js_str(&js, "interface", t->ifx >= 0 ? E.ifaces[t->ifx].name : NULL);
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
	js_int(&js, "targets", E.nin);
	js_int(&js, "answered", nanswered);
	js_int(&js, "sent", E.nsent);
	js_int(&js, "received", E.nrecv);
	js_int(&js, "exit", code);
	js_end(&js);
}

/* print a target that is final (the engine gives them in input order) */
static void
result(struct arpeng *e, const struct arp_target *t)
{
	int k;

	(void)e;
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
			struct arp_target g = *t;

			g.via = 0;
			print_miss(&g, group_asked ? (opt.dad ? "free" : "no reply") :
			    t->why ? t->why : "not on the link", 1, group_asked);
		}
	}
	if (t->group < 0 || t->last_of_group)
		group_answered = group_asked = 0;
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
arping_reply(struct arpeng *e, const struct arp_target *t, const struct arp_pkt *ap, int unicast,
    int64_t rtt)
{
	char ip[16], mac[18], gw[16];
	int i;

	(void)e;
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
		js_str(&js, "interface", E.ifaces[t->ifx].name);
		js_str(&js, "via", t->via ? gw : NULL);
		js_bool(&js, "unicast", unicast);
		js_int(&js, "request", E.ap_sent);
		js_end(&js);
		return;
	}
	for (i = 0; mac[i]; i++)	/* arping's upper case */
		if (mac[i] >= 'a' && mac[i] <= 'f')
			mac[i] = (char)(mac[i] - 'a' + 'A');
	printf("%s reply from %s [%s]  %lld.%03lldms\n", unicast ? "Unicast" : "Broadcast",
	    ip, mac, (long long)(rtt / 1000), (long long)(rtt % 1000));
}

static int
run_arping(void)
{
	struct arp_target *t;
	int code;
	char ip[16], from[16];

	if ((t = arpeng_arping_target(&E)) == NULL)
		return -1;	/* not a host to ask (an error, our own address): as always */
	if (!opt.quiet && !opt.json)
		printf("ARPING %s from %s %s\n", ip_s(t->ask, ip),
		    ip_s(opt.have_src ? opt.src : E.ifaces[t->ifx].ip, from), E.ifaces[t->ifx].name);
	arpeng_arping(&E, t);
	/* as arping: with -w and -c, every request answered; else any */
	code = E.ap_recv > 0 ? EXIT_OK : EXIT_NO;
	if (opt.deadline >= 0 && opt.count_set && E.ap_recv < opt.count)
		code = EXIT_NO;
	if (opt.json && !opt.quiet) {
		js_begin(&js, stdout, "summary");
		js_int(&js, "targets", 1);
		js_int(&js, "answered", E.ap_recv > 0);
		js_int(&js, "sent", E.ap_sent);
		js_int(&js, "broadcasts", E.ap_bcast);
		js_int(&js, "received", E.ap_recv);
		js_int(&js, "exit", code);
		js_end(&js);
	} else if (!opt.quiet) {
		printf("Sent %ld probes (%ld broadcast(s))\n", E.ap_sent, E.ap_bcast);
		printf("Received %ld response(s)\n", E.ap_recv);
	}
	return code;
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
	int c, code = EXIT_OK, answered_any = 0, packet_errno;

	arpeng_init(&E);
	E.result = result;
	E.reply = arping_reply;
	/* the raw socket first, then no more privilege than the caller's */
	E.packet_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ARP));
	packet_errno = E.packet_fd < 0 ? errno : 0;
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
			if (arpeng_parse_ip4(optarg, opt.src) < 0)
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
	E.opt = opt;
	E.lv.fp = stdout;
	if (opt.layers)
		dns_resolver_layers(&E.lv);	/* the DNS packets of name lookups, too */

	if (E.packet_fd < 0) {
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

		if (arpeng_iface(&E, opt.ifname, &why) < 0)
			tb_die(EXIT_LOCAL, "%s: %s", opt.ifname, why);
	}

	E.src.arg = argv + optind;
	E.src.narg = argc - optind;
	E.single = E.src.narg == 1 && strcmp(argv[optind], "-") != 0 &&
	    strchr(argv[optind], '/') == NULL;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	/*
	 * arping's mode: one host named and -i given (-c alone keeps its
	 * older meaning here, requests until the first answer)
	 */
	if (E.single && opt.interval_set && !opt.dad && !opt.unsol && !opt.cached) {
		if (E.packet_fd < 0)
			tb_die(EXIT_LOCAL, "one host with -i (arping's mode) needs CAP_NET_RAW "
			    "(setcap cap_net_raw+ep arpq)");
		if ((code = run_arping()) >= 0)
			tb_exit(code);
		arpeng_flush(&E);		/* an error or our own address: its line */
	}
	/* targets are made from the inputs as the window has room for them */
	if (E.packet_fd >= 0)
		arpeng_raw(&E);
	else
		arpeng_kernel(&E);

	/* a range answers if any of its hosts did (-D: every target counts) */
	code = opt.dad ? code_all : code_rng;
	answered_any = nanswered > 0;
	if (opt.first && answered_any && code == EXIT_NO)
		code = EXIT_OK;
	if (E.stop == 1 && code == EXIT_OK && !answered_any)
		code = EXIT_NO;
	if (opt.json && !opt.quiet) {
		js_begin(&js, stdout, "summary");
		js_int(&js, "targets", E.nin);
		js_int(&js, "answered", nanswered);
		js_int(&js, "sent", E.nsent);
		js_int(&js, "received", E.nrecv);
		js_int(&js, "exit", code);
		js_end(&js);
	}
	tb_exit(code);
}
