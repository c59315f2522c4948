/*
 * ping-lite - ICMP and ICMPv6 echo as iputils ping does it, with the
 * echo request built by lib/ (icmp.h) and every reply judged by lib's
 * classifier.  One monotonic poll loop; signal handlers only set flags.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <time.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dnsnet.h"
#include "errqview.h"
#include "icmp.h"
#include "ip.h"
#include "pingseq.h"
#include "pingsock.h"
#include "resolv.h"
#include "rttstat.h"
#include "tubes.h"
#include "wire.h"

#define USAGE "usage: ping-lite [-4|-6] [-c count] [-i interval] [-w deadline] [-W wait] [-s size]\n" \
	"                 [-t ttl] [-I iface|addr] [-p pattern] [-n] [-q] [-D] [-O] [-f]\n" \
	"                 [-l preload] [-j] [-X] [--until up|down[=N]] host\n"

#define MINUSERINTERVAL 2000	/* µs: the shortest interval for a user, as iputils */
#define MININTERVAL PING_MININTERVAL
#define MAXPACKET (65535 + 512)

enum { UNTIL_NONE, UNTIL_UP, UNTIL_DOWN };

struct opts {
	int family;
	long long count;	/* 0: until stopped */
	int64_t interval;	/* µs */
	int64_t deadline;	/* µs, -1 none */
	int64_t linger;		/* µs: -W */
	int have_interval;
	size_t datalen;
	int ttl;		/* -1: default */
	const char *iface;
	uint8_t pat[16];
	int patlen;
	int numeric, quiet, tstamp, outstanding, flood, json, layers;
	long long preload;
	int until;
	long long until_n;
};

struct ping {
	struct opts o;
	int fd, raw, v6;
	const char *host;
	char addrstr[TB_ADDRSTRLEN];	/* the target, numeric */
	char hostname[340];		/* "name (addr)" or addr, for reply lines */
	struct tb_addr dst, src;
	int have_src;
	uint16_t ident;
	int timing;
	/* counters */
	struct pingseq sq;	/* requests sent (sq.ntx), acknowledged, in flight */
	long nrx, ndup, ncorrupt, nerr, nwrong;
	long consec_lost;
	struct rtt_stats rs;	/* rtt statistics, µs */
	/* times */
	int64_t start, start_wall, last_send;
	uint32_t sent_rel[65536];	/* µs since start, by sequence: kept here, never read from the payload */
	uint8_t rcvd[65536 / 8];	/* replies seen, by sequence (duplicates) */
	uint8_t reported[65536 / 8];	/* loss already reported (-O, JSON timeout) */
	uint8_t payload[65536];
	uint8_t out[65536 + 8];
	uint8_t in[MAXPACKET];
	struct json js;
	struct layers lv;
	int exit_override;	/* -1, or the exit code --until decided */
};

static struct ping P;
static volatile sig_atomic_t snapshot;

/* SIGQUIT's interim line; the signals that end the run are lib's (tb_interrupted) */
static void
on_signal(int sig)
{
	(void)sig;
	snapshot = 1;
}

static int finish(struct ping *);

/* -j: a run that dies before its first packet still ends with its summary */
static void
die_summary(int code)
{
	P.exit_override = code;
	P.js.fp = stdout;
	(void)finish(&P);
}

static void
usage(FILE *fp, int code)
{
	fputs(USAGE, fp);
	if (code == 0)
		fputs("\n"
		    "  -4, -6            IPv4 or IPv6 only\n"
		    "  -c count          stop after count replies (or errors)\n"
		    "  -i interval       seconds between requests (default 1)\n"
		    "  -w deadline       stop after deadline seconds\n"
		    "  -W wait           seconds to wait for a reply after the last request (default 10)\n"
		    "  -s size           data bytes (default 56)\n"
		    "  -t ttl            time to live / hop limit\n"
		    "  -I iface|addr     interface or source address\n"
		    "  -p pattern        up to 16 hex bytes to fill the data\n"
		    "  -n                numeric output only\n"
		    "  -q                summary only\n"
		    "  -D                print [seconds.micro] before each line\n"
		    "  -O                report requests with no answer yet\n"
		    "  -f                flood: as fast as replies come (root)\n"
		    "  -l preload        send preload requests at once\n"
		    "  -j, --json        NDJSON events\n"
		    "  -X, --layers      decode every packet sent and received\n"
		    "  --until up        exit 0 at the first reply\n"
		    "  --until down[=N]  exit 1 after N consecutive losses (default 1)\n"
		    "  -h, --help        this help\n"
		    "  -V, --version     version\n", fp);
	tb_exit(code);
}

/* --- small helpers ----------------------------------------------------------- */

static int bit_test(const uint8_t *b, uint16_t i) { return b[i >> 3] & (1u << (i & 7)); }
static void bit_set(uint8_t *b, uint16_t i) { b[i >> 3] |= (uint8_t)(1u << (i & 7)); }
static void bit_clear(uint8_t *b, uint16_t i) { b[i >> 3] &= (uint8_t)~(1u << (i & 7)); }


static void
print_stamp(const struct ping *p)
{
	int64_t w;

	if (!p->o.tstamp)
		return;
	w = tb_wall();
	printf("[%lld.%06lld] ", (long long)(w / 1000000), (long long)(w % 1000000));
}

/* "name (addr)" unless numeric; a small cache so a flood does not resolve per packet */
static const char *
pr_addr(struct ping *p, const struct tb_addr *a)
{
	static struct { struct tb_addr a; char s[340]; int used; } cache[8];
	static int next;
	char num[TB_ADDRSTRLEN], name[256];
	int i;

	tb_addr_str(a, num, sizeof num);
	if (p->o.numeric || tb_interrupted) {
		static char buf[TB_ADDRSTRLEN];

		snprintf(buf, sizeof buf, "%s", num);
		return buf;
	}
	for (i = 0; i < 8; i++)
		if (cache[i].used && tb_addr_eq(&cache[i].a, a))
			return cache[i].s;
	i = next++ % 8;
	cache[i].a = *a;
	cache[i].used = 1;
	if (tb_resolve_ptr(a, name, sizeof name) == 0 && name[0]) {
		char esc[256];

		tb_escape_buf(esc, sizeof esc, name, strlen(name));
		snprintf(cache[i].s, sizeof cache[i].s, "%s (%s)", esc, num);
	} else {
		snprintf(cache[i].s, sizeof cache[i].s, "%s", num);
	}
	return cache[i].s;
}

static void
flood_out(const char *s)
{
	fputs(s, stdout);
	fflush(stdout);
}

/* iputils prints 3 significant decimals below 1 ms, fewer above */
static void
print_time(int64_t t)
{
	if (t >= 100000 - 50)
		printf(" time=%lld ms", (long long)((t + 500) / 1000));
	else if (t >= 10000 - 5)
		printf(" time=%lld.%01lld ms", (long long)((t + 50) / 1000), (long long)(((t + 50) % 1000) / 100));
	else if (t >= 1000)
		printf(" time=%lld.%02lld ms", (long long)((t + 5) / 1000), (long long)(((t + 5) % 1000) / 10));
	else
		printf(" time=%lld.%03lld ms", (long long)(t / 1000), (long long)(t % 1000));
}

static void
js_event(struct ping *p, const char *type, long seq)
{
	char iso[40];

	js_begin(&p->js, stdout, type);
	if (seq >= 0)
		js_int(&p->js, "seq", seq);
	js_str(&p->js, "time", tb_iso8601(tb_wall(), iso, sizeof iso));
}

/* --- sending ------------------------------------------------------------------- */

static void
report_lost(struct ping *p, uint16_t seq)
{
	if (bit_test(p->rcvd, seq) || bit_test(p->reported, seq))
		return;
	bit_set(p->reported, seq);
	p->consec_lost++;
	if (p->o.json) {
		js_event(p, "timeout", seq);
		js_end(&p->js);
	} else if (p->o.outstanding && !p->o.quiet) {
		print_stamp(p);
		printf("no answer yet for icmp_seq=%u\n", seq);
	}
}

/* our pseudo-header (ICMPv6 checksums): the source the kernel picks, when known */
static const struct ip_pseudo *
pseudo6(const struct ping *p, struct ip_pseudo *ps, const struct tb_addr *from)
{
	if (!p->v6 || !p->have_src)
		return NULL;
	ps->version = 6;
	memcpy(ps->src, from ? from->a : p->src.a, 16);
	memcpy(ps->dst, from ? p->src.a : p->dst.a, 16);
	return ps;
}

/*
 * -X of a request as it left: on a ping socket the kernel writes the
 * identifier (ours read back with getsockname) and the checksum; on a
 * raw ICMPv6 socket the checksum.  The bytes shown are with those filled.
 */
static void
show_sent(struct ping *p, size_t n, uint16_t seq)
{
	struct ip_pseudo ps;
	const struct ip_pseudo *psp = pseudo6(p, &ps, NULL);
	int flags = (p->raw ? 0 : ICMP_DV_KERNEL_ID) | (p->v6 || !p->raw ? ICMP_DV_KERNEL_CKSUM : 0);

	if (flags)
		icmp_kernel_fill(p->out, n, p->v6 ? 6 : 4, !p->raw, p->ident, psp);
	lv_packet(&p->lv, "sent %zu bytes to %s (ICMP%s echo request, seq %u)", n, p->addrstr,
	    p->v6 ? "v6" : "", seq);
	icmp_decode_sent(&p->lv, p->v6 ? 6 : 4, p->out, n, psp, flags);
	lv_hex(&p->lv, p->out, n);
}

static void
send_probe(struct ping *p)
{
	struct icmp m = { .version = p->v6 ? 6 : 4, .type = p->v6 ? IC6_ECHO_REQUEST : IC4_ECHO_REQUEST };
	struct sockaddr_storage ss;
	struct writer w;
	uint16_t seq = (uint16_t)(p->sq.ntx + 1);
	unsigned sl = tb_sockaddr(&p->dst, 0, &ss);
	int64_t now;
	ssize_t r;

	if (p->sq.ntx > 0 && (p->o.outstanding || p->o.json || p->o.until == UNTIL_DOWN))
		report_lost(p, (uint16_t)p->sq.ntx);
	m.id = p->ident;
	m.seq = seq;
	m.data = p->payload;
	m.datalen = p->o.datalen;
	wr_init(&w, p->out, sizeof p->out);
	/* ICMP: the checksum is ours; ICMPv6: the kernel fills it over its pseudo-header */
	if (icmp_build(&w, &m, NULL) < 0)
		tb_die(EXIT_LOCAL, "cannot build the echo request");
	bit_clear(p->rcvd, seq);
	bit_clear(p->reported, seq);
	now = tb_now();
	if (p->sq.ntx == 0) {
		p->start = now;
		p->start_wall = tb_wall();
	}
	p->sent_rel[seq] = (uint32_t)(now - p->start);
	r = sendto(p->fd, p->out, w.len, 0, (struct sockaddr *)&ss, sl);
	p->last_send = now;
	p->sq.ntx++;
	if (r < 0) {
		if (errno == EAGAIN || errno == ENOBUFS || errno == ENOMEM) {
			p->sq.ntx--;	/* not sent: try again at the next turn */
			return;
		}
		if (!p->o.quiet) {
			if (p->o.flood)
				flood_out("E");
			else
				tb_warn("sendmsg: %s", strerror(errno));
		}
		return;
	}
	if (!p->raw && p->ident == 0) {
		/* the kernel chose our identifier at the first send: learn it for -X */
		struct sockaddr_storage me;
		socklen_t ml = sizeof me;
		struct tb_addr a;
		uint16_t port;

		if (getsockname(p->fd, (struct sockaddr *)&me, &ml) == 0 &&
		    tb_from_sockaddr((struct sockaddr *)&me, &a, &port) == 0)
			p->ident = port;
	}
	if (p->o.layers)
		show_sent(p, w.len, seq);
	if (p->o.flood && !p->o.quiet && !p->o.json)
		flood_out(".");
}

/* --- receiving --------------------------------------------------------------------- */

static void
on_reply(struct ping *p, const struct icmp_verdict *v, const struct tb_addr *from, int ttl,
    int64_t rtt, int corrupt)
{
	int dup = 0;
	size_t cc = v->msg.datalen + 8;

	if (corrupt) {
		p->ncorrupt++;
	} else if (v->wrong_source) {
		p->nwrong++;
	} else {
		pingseq_ack(&p->sq, v->seq);
		if (bit_test(p->rcvd, v->seq)) {
			p->ndup++;
			dup = 1;
		} else {
			bit_set(p->rcvd, v->seq);
			p->nrx++;
			if (!bit_test(p->reported, v->seq))
				p->consec_lost = 0;
			else if (p->consec_lost > 0)
				p->consec_lost = 0;
		}
		if (p->timing)
			rtt_add(&p->rs, rtt);
	}
	if (p->o.json) {
		char a[TB_ADDRSTRLEN];

		js_event(p, corrupt ? "corrupt" : v->wrong_source ? "wrong_source" : dup ? "duplicate" : "reply", v->seq);
		js_str(&p->js, "from", tb_addr_str(from, a, sizeof a));
		js_int(&p->js, "bytes", (long long)cc);
		if (ttl >= 0)
			js_int(&p->js, "ttl", ttl);
		if (p->timing)
			js_ms(&p->js, "rtt_ms", rtt);
		if (cc < p->o.datalen + 8)
			js_bool(&p->js, "truncated", 1);
		js_end(&p->js);
		return;
	}
	if (p->o.quiet)
		return;
	if (p->o.flood) {
		flood_out(corrupt ? "\bC" : "\b \b");
		return;
	}
	print_stamp(p);
	printf("%zu bytes from %s: icmp_seq=%u", cc, pr_addr(p, from), v->seq);
	if (ttl >= 0)
		printf(" ttl=%d", ttl);
	if (cc < p->o.datalen + 8) {
		printf(" (truncated)\n");
		return;
	}
	if (p->timing)
		print_time(rtt);
	if (dup)
		printf(" (DUP!)");
	if (corrupt)
		printf(" (BAD CHECKSUM!)");
	if (v->wrong_source)
		printf(" (DIFFERENT ADDRESS!)");
	putchar('\n');
}

static void
on_error(struct ping *p, const struct icmp *m, uint16_t seq, const struct tb_addr *from)
{
	int counted = !(p->v6 ? 0 : m->type == IC4_REDIRECT || m->type == IC4_SOURCE_QUENCH);
	char text[160];

	icmp_describe(m, text, sizeof text);
	if (counted) {
		p->nerr++;
		pingseq_ack(&p->sq, seq);
		bit_set(p->reported, seq);	/* answered: never also a timeout */
	}
	if (p->o.json) {
		char a[TB_ADDRSTRLEN];
		const char *cn = icmp_code_name(m->version, m->type, m->code);

		js_event(p, "error", seq);
		js_str(&p->js, "from", tb_addr_str(from, a, sizeof a));
		js_str(&p->js, "icmp_type", icmp_type_name(m->version, m->type));
		if (cn)
			js_str(&p->js, "icmp_code", cn);
		else
			js_int(&p->js, "icmp_code", m->code);
		js_str(&p->js, "text", text);
		js_end(&p->js);
		return;
	}
	if (p->o.quiet)
		return;
	if (p->o.flood) {
		flood_out("\bE");
		return;
	}
	print_stamp(p);
	printf(counted ? "From %s icmp_seq=%u %s\n" : "From %s: icmp_seq=%u %s\n", pr_addr(p, from), seq, text);
}

/* the rtt of seq: the kernel's receive stamp if sane, else the monotonic clock now */
static int64_t
rtt_of(struct ping *p, uint16_t seq, int64_t now, int64_t kwall)
{
	uint32_t rel = (uint32_t)(now - p->start), mono = rel - p->sent_rel[seq];

	if (kwall > 0) {
		uint32_t k = (uint32_t)(kwall - p->start_wall) - p->sent_rel[seq];

		if (k <= mono)	/* a wall-clock step shows up as k > mono (unsigned) */
			return k;
	}
	return mono;
}

static void
handle_packet(struct ping *p, size_t n, const struct sockaddr_storage *ss, int ttl, int64_t kwall)
{
	struct icmp_probe pr = { .version = p->v6 ? 6 : 4, .ip_header = p->raw && !p->v6,
	    .kernel_id = !p->raw, .proto = p->v6 ? IPP_ICMPV6 : IPP_ICMP, .id = p->ident };
	struct icmp_verdict v;
	struct tb_addr from;
	int64_t now = tb_now();
	enum icmp_class c;

	memset(&from, 0, sizeof from);
	if (tb_from_sockaddr((const struct sockaddr *)ss, &from, NULL) < 0)
		from.family = p->dst.family;
	memcpy(pr.dst, p->dst.a, 16);
	if (p->v6 && p->have_src) {
		pr.have_src = 1;
		memcpy(pr.src, p->src.a, 16);
	}
	c = icmp_classify(&pr, p->in, n, from.a, &v);
	if (p->o.layers && c != ICMP_NOT_OURS) {
		char a[TB_ADDRSTRLEN];

		lv_packet(&p->lv, "received %zu bytes from %s (%s)", n, tb_addr_str(&from, a, sizeof a),
		    c == ICMP_OURS ? "ours" : c == ICMP_CORRUPT ? "corrupt" : "error for our probe");
		if (pr.ip_header) {
			ip4_decode(&p->lv, p->in, n);
			icmp4_decode(&p->lv, v.ip.payload, v.ip.paylen);
		} else if (p->v6) {
			struct ip_pseudo ps;

			icmp6_decode(&p->lv, p->in, n, pseudo6(p, &ps, &from));
		} else {
			icmp4_decode(&p->lv, p->in, n);
		}
		lv_hex(&p->lv, p->in, n);
	}
	if (v.ttl >= 0)
		ttl = v.ttl;
	if (pr.ip_header)
		memcpy(from.a, v.from, 4);
	switch (c) {
	case ICMP_OURS:
	case ICMP_CORRUPT:
		if (!pingseq_sent(&p->sq, v.seq))
			return;	/* a reply to nothing we sent */
		if (c == ICMP_CORRUPT && icmp_is_error(pr.version, v.msg.type))
			return;	/* a damaged error: drop it */
		on_reply(p, &v, &from, ttl, rtt_of(p, v.seq, now, kwall), c == ICMP_CORRUPT);
		break;
	case ICMP_FOR_PROBE:
		if (pingseq_sent(&p->sq, v.seq))
			on_error(p, &v.msg, v.seq, &from);
		break;
	case ICMP_NOT_OURS:
		/* ICMP-05: shown flagged, never counted as received */
		if (v.wrong_source && pingseq_sent(&p->sq, v.seq))
			on_reply(p, &v, &from, ttl, rtt_of(p, v.seq, now, kwall), 0);
		break;
	}
}

/* one recvmsg: 1 a packet was handled, 0 nothing there (or timed out), -1 a socket error */
static int
recv_one(struct ping *p, int flags)
{
	struct sockaddr_storage ss;
	union { struct cmsghdr align; char buf[512]; } ctl;
	struct iovec iov = { p->in, sizeof p->in };
	struct msghdr mh = { .msg_name = &ss, .msg_namelen = sizeof ss, .msg_iov = &iov,
	    .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf };
	int64_t kwall;
	int ttl;
	ssize_t n = recvmsg(p->fd, &mh, flags);

	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
	kwall = tb_recvmeta(&mh, &ttl);
	handle_packet(p, (size_t)n, &ss, ttl, kwall);
	return 1;
}

static void read_errors(struct ping *);

static void
read_packets(struct ping *p)
{
	int r;

	/* stop when nothing is outstanding: back to the sender without another recvmsg */
	while ((r = recv_one(p, MSG_DONTWAIT)) > 0 && !tb_interrupted && pingseq_in_flight(&p->sq) > 0)
		;
	if (r < 0 && !p->raw)
		read_errors(p);
}

/* -X of an error queue entry: the kernel's account, then our request as it hands it back */
static void
show_errq(struct ping *p, const struct sock_extended_err *ee, const struct tb_addr *off,
    const uint8_t *b, size_t n, int ours)
{
	lv_packet(&p->lv, "error queue: %zu bytes the kernel quoted (%s)", n, ours ? "ours" : "not ours");
	errq_view(&p->lv, ee, off, p->v6 ? 6 : 4);
	errq_view_quoted(&p->lv, p->v6 ? 6 : 4, 1, b, n, p->o.datalen + 8);
}

/* errors the kernel matched to our ping socket (IP_RECVERR) */
static void
read_errors(struct ping *p)
{
	for (;;) {
		struct sockaddr_storage target;
		union { struct cmsghdr align; char buf[512]; } ctl;
		uint8_t buf[2048];	/* a PTB quotes up to 1232 bytes */
		struct iovec iov = { buf, sizeof buf };
		struct msghdr mh = { .msg_name = &target, .msg_namelen = sizeof target, .msg_iov = &iov,
		    .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf };
		struct sock_extended_err ee;
		struct tb_addr off, to;
		struct icmp sent, m = { 0 };
		int found = 0, ours;
		ssize_t n = recvmsg(p->fd, &mh, MSG_ERRQUEUE | MSG_DONTWAIT);

		if (n < 0)
			return;
		found = tb_errqueue(&mh, &ee, &off);
		if (!found)
			continue;
		ours = tb_from_sockaddr((struct sockaddr *)&target, &to, NULL) == 0 &&
		    tb_addr_eq(&to, &p->dst);
		if (p->o.layers)
			show_errq(p, &ee, &off, buf, (size_t)n, ours);
		if (ee.ee_origin == SO_EE_ORIGIN_LOCAL) {
			p->nerr++;
			if (p->o.quiet)
				continue;
			if (p->o.flood)
				flood_out("E");
			else if (ee.ee_errno == EMSGSIZE)
				tb_warn("local error: message too long, mtu=%u", ee.ee_info);
			else
				tb_warn("local error: %s", strerror((int)ee.ee_errno));
			continue;
		}
		if (ee.ee_origin != SO_EE_ORIGIN_ICMP && ee.ee_origin != SO_EE_ORIGIN_ICMP6)
			continue;
		/* the datagram is our own echo request: is it to our target? */
		if (!ours)
			continue;
		if ((p->v6 ? icmp6_parse(buf, (size_t)n, NULL, &sent) : icmp4_parse(buf, (size_t)n, &sent)) ==
		    ICMP_ESHORT || sent.type != (p->v6 ? IC6_ECHO_REQUEST : IC4_ECHO_REQUEST) ||
		    !pingseq_sent(&p->sq, sent.seq))
			continue;
		m.version = p->v6 ? 6 : 4;
		m.type = ee.ee_type;
		m.code = ee.ee_code;
		m.word = m.mtu = m.pointer = ee.ee_info;
		if (off.family == 0)
			off = p->dst;
		on_error(p, &m, sent.seq, &off);
	}
}

/* --- the summary --------------------------------------------------------------- */

static int
exit_code(const struct ping *p)
{
	if (p->exit_override >= 0)
		return p->exit_override;
	if (p->nrx == 0 || (p->o.deadline >= 0 && p->o.count && p->nrx < p->o.count))
		return EXIT_NO;
	return EXIT_OK;
}

static int64_t
elapsed(const struct ping *p)
{
	return p->sq.ntx ? p->last_send - p->start : 0;
}

static int
finish(struct ping *p)
{
	int64_t t = elapsed(p), avg = 0, mdev = 0;
	int code = exit_code(p);
	const char *comma = "";
	double loss = p->sq.ntx ? (double)(p->sq.ntx - p->nrx) * 100.0 / (double)p->sq.ntx : 0;

	if (p->nrx && p->timing)
		rtt_summary(&p->rs, p->nrx + p->ndup, &avg, &mdev);
	if (p->o.json) {
		js_begin(&p->js, stdout, "summary");
		js_str(&p->js, "host", p->host);
		js_str(&p->js, "addr", p->addrstr);
		js_int(&p->js, "transmitted", p->sq.ntx);
		js_int(&p->js, "received", p->nrx);
		js_int(&p->js, "duplicates", p->ndup);
		js_int(&p->js, "corrupted", p->ncorrupt);
		js_int(&p->js, "errors", p->nerr);
		js_int(&p->js, "wrong_source", p->nwrong);
		js_num(&p->js, "loss_pct", loss, 3);
		js_int(&p->js, "time_ms", (t + 500) / 1000);
		if (p->nrx && p->timing) {
			js_ms(&p->js, "rtt_min_ms", p->rs.tmin);
			js_ms(&p->js, "rtt_avg_ms", avg);
			js_ms(&p->js, "rtt_max_ms", p->rs.tmax);
			js_ms(&p->js, "rtt_mdev_ms", mdev);
		}
		js_int(&p->js, "exit", code);
		js_end(&p->js);
		return code;
	}
	putchar('\n');
	printf("--- %s ping statistics ---\n", p->host);
	printf("%ld packets transmitted, %ld received", p->sq.ntx, p->nrx);
	if (p->ndup)
		printf(", +%ld duplicates", p->ndup);
	if (p->ncorrupt)
		printf(", +%ld corrupted", p->ncorrupt);
	if (p->nerr)
		printf(", +%ld errors", p->nerr);
	if (p->sq.ntx) {
		printf(", %g%% packet loss", (float)loss);
		printf(", time %lldms", (long long)((t + 500) / 1000));
	}
	putchar('\n');
	if (p->nrx && p->timing) {
		printf("rtt min/avg/max/mdev = %lld.%03lld/%lld.%03lld/%lld.%03lld/%lld.%03lld ms",
		    (long long)(p->rs.tmin / 1000), (long long)(p->rs.tmin % 1000), (long long)(avg / 1000),
		    (long long)(avg % 1000), (long long)(p->rs.tmax / 1000), (long long)(p->rs.tmax % 1000),
		    (long long)(mdev / 1000), (long long)(mdev % 1000));
		comma = ", ";
	}
	if (p->sq.pipesize > 1) {
		printf("%spipe %d", comma, p->sq.pipesize);
		comma = ", ";
	}
	if (p->nrx && (p->o.interval == 0 || p->o.flood) && p->sq.ntx > 1) {
		int64_t ipg = t / (p->sq.ntx - 1);

		printf("%sipg/ewma %lld.%03lld/%ld.%03ld ms", comma, (long long)(ipg / 1000),
		    (long long)(ipg % 1000), p->rs.rtt8 / 8000, (p->rs.rtt8 / 8) % 1000);
	}
	putchar('\n');
	return code;
}

static void
status(struct ping *p)
{
	int loss = p->sq.ntx ? (int)((p->sq.ntx - p->nrx) * 100 / p->sq.ntx) : 0;

	snapshot = 0;
	fprintf(stderr, "\r%ld/%ld packets, %d%% loss", p->nrx, p->sq.ntx, loss);
	if (p->nrx && p->timing) {
		int64_t avg = p->rs.tsum / (p->nrx + p->ndup);

		fprintf(stderr, ", min/avg/ewma/max = %lld.%03lld/%lld.%03lld/%ld.%03ld/%lld.%03lld ms",
		    (long long)(p->rs.tmin / 1000), (long long)(p->rs.tmin % 1000), (long long)(avg / 1000),
		    (long long)(avg % 1000), p->rs.rtt8 / 8000, (p->rs.rtt8 / 8) % 1000,
		    (long long)(p->rs.tmax / 1000), (long long)(p->rs.tmax % 1000));
	}
	fputc('\n', stderr);
}

/* --- set-up ------------------------------------------------------------------------- */

static void
parse_pattern(struct opts *o, const char *s)
{
	size_t bad = 0;
	int n = hex_pattern(s, o->pat, 16, &bad);

	if (n == -1)
		tb_usage_error("patterns must be specified as hex digits: %s", s + bad);
	if (n < 0)
		tb_usage_error("pattern must be 1 to 16 bytes of hex: %s", s);
	o->patlen = n;
}

static void
secs_opt(const char *name, const char *s, double max, int64_t *out)
{
	if (tb_secs(s, max, out) < 0)
		tb_usage_error("bad %s: %s", name, s);
}

static long long
num_opt(const char *name, const char *s, long long min, long long max)
{
	long long v;

	if (tb_num(s, min, max, &v) < 0)
		tb_usage_error("invalid %s: '%s': out of range: %lld <= value <= %lld", name, s, min, max);
	return v;
}

static void
print_header(struct ping *p)
{
	if (p->o.json) {
		js_begin(&p->js, stdout, "start");
		js_str(&p->js, "host", p->host);
		js_str(&p->js, "addr", p->addrstr);
		js_int(&p->js, "data_bytes", (long long)p->o.datalen);
		js_str(&p->js, "socket", p->raw ? "raw" : "dgram");
		js_end(&p->js);
		return;
	}
	if (p->o.patlen && !p->o.quiet) {
		printf("PATTERN: 0x");
		for (int i = 0; i < p->o.patlen; i++)
			printf("%02x", p->o.pat[i]);
		putchar('\n');
	}
	if (p->v6)
		printf("PING %s(%s) ", p->host, p->hostname);
	else
		printf("PING %s (%s) ", p->host, p->addrstr);
	if (p->o.iface) {
		char s[TB_ADDRSTRLEN] = "";

		if (p->have_src)
			tb_addr_str(&p->src, s, sizeof s);
		printf("from %s %s: ", s, tb_addr_parse(p->o.iface, &(struct tb_addr){ 0 }) == 0 ? "" : p->o.iface);
	}
	if (p->v6)
		printf("%zu data bytes\n", p->o.datalen);
	else
		printf("%zu(%zu) bytes of data.\n", p->o.datalen, p->o.datalen + 8 + 20);
}

/* --- the loop ----------------------------------------------------------------------- */

/* may a request go now?  preload burst, flood pacing, or the interval */
static int
may_send(const struct ping *p, int64_t now, int64_t next_send)
{
	if (p->sq.ntx < p->o.preload)
		return 1;
	if (p->o.interval == 0)
		return pingseq_in_flight(&p->sq) < p->o.preload || now - p->last_send >= MININTERVAL;
	return now >= next_send;
}

static void
run(struct ping *p)
{
	int64_t next_send = 0, deadline = -1, end_wait = -1;
	int all_sent = 0;
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };

	if (p->o.deadline >= 0)
		deadline = tb_now() + p->o.deadline;
	for (;;) {
		int64_t now, wake;
		int r;

		if (tb_interrupted)
			break;
		if (p->o.count && p->nrx + p->nerr >= p->o.count)
			break;
		if (p->o.until == UNTIL_UP && p->nrx > 0) {
			p->exit_override = EXIT_OK;
			break;
		}
		if (p->o.until == UNTIL_DOWN && p->consec_lost >= p->o.until_n) {
			p->exit_override = EXIT_NO;
			break;
		}
		now = tb_now();
		if (deadline >= 0 && now >= deadline)
			break;
		if (all_sent && now >= end_wait)
			break;
		while (!all_sent && may_send(p, now, next_send)) {
			send_probe(p);
			if (p->sq.ntx <= p->o.preload)
				next_send = p->start + p->o.interval;
			else
				next_send += p->o.interval;
			if (next_send < now - p->o.interval)
				next_send = now;
			if (p->o.count && p->sq.ntx >= p->o.count && p->o.deadline < 0) {
				int64_t wait = p->o.linger;

				all_sent = 1;
				if (p->nrx) {
					wait = 2 * p->rs.tmax;
					if (wait < p->o.interval)
						wait = p->o.interval;
				}
				end_wait = now + wait;
			}
			if (p->sq.ntx >= p->o.preload)
				break;
		}
		if (p->o.interval == 0 && !all_sent && pingseq_in_flight(&p->sq) >= p->o.preload &&
		    (deadline < 0 || deadline - now > MININTERVAL)) {
			/* flood, waiting for a reply: one blocking recvmsg, bounded by SO_RCVTIMEO */
			if (recv_one(p, 0) < 0 && !p->raw)
				read_errors(p);
			if (snapshot)
				status(p);
			continue;
		}
		if (all_sent)
			wake = end_wait;
		else if (p->o.interval == 0)
			wake = pingseq_in_flight(&p->sq) < p->o.preload ? now : p->last_send + MININTERVAL;
		else
			wake = next_send;
		wake = tb_earliest(wake, deadline);
		r = poll(&pfd, 1, tb_ms_until(wake));
		if (snapshot)
			status(p);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			tb_die(EXIT_LOCAL, "poll: %s", strerror(errno));
		}
		if (r > 0) {
			if (pfd.revents & POLLIN)
				read_packets(p);
			if (pfd.revents & POLLERR)
				read_errors(p);
		}
	}
}

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "json", no_argument, NULL, 'j' },
		{ "layers", no_argument, NULL, 'X' },
		{ "until", required_argument, NULL, 'U' },
		{ NULL, 0, NULL, 0 },
	};
	struct ping *p = &P;
	struct opts *o = &p->o;
	struct pingsock s4, s6, s;
	struct tb_addr addrs[8];
	struct sigaction sa;
	const char *why;
	int c, n, code;
	int64_t maxs = 65507;

	tb_init(argv[0]);
	argv[0] = (char *)tb_prog;	/* getopt's one line reads "NAME: ..." */
	/* sockets first, then any setuid identity is dropped, then options */
	s4 = pingsock_open(AF_INET);
	s6 = pingsock_open(AF_INET6);
	tb_drop_privs();

	o->family = AF_UNSPEC;
	o->interval = 1000000;
	o->deadline = -1;
	o->linger = 10000000;
	o->datalen = 56;
	o->ttl = -1;
	o->preload = 1;
	p->exit_override = -1;
	while ((c = getopt_long(argc, argv, "46c:Dfhi:I:jl:nOp:qs:t:Vw:W:X", lopts, NULL)) != -1) {
		switch (c) {
		case '4': o->family = AF_INET; break;
		case '6': o->family = AF_INET6; break;
		case 'c': o->count = num_opt("argument", optarg, 1, LLONG_MAX / 2); break;
		case 'D': o->tstamp = 1; break;
		case 'f': o->flood = 1; break;
		case 'h': usage(stdout, EXIT_OK); break;
		case 'i': secs_opt("interval", optarg, 2147483.0, &o->interval); o->have_interval = 1; break;
		case 'I': o->iface = optarg; break;
		case 'j': o->json = 1; break;
		case 'l': o->preload = num_opt("preload", optarg, 1, 65536); break;
		case 'n': o->numeric = 1; break;
		case 'O': o->outstanding = 1; break;
		case 'p': parse_pattern(o, optarg); break;
		case 'q': o->quiet = 1; break;
		case 's': o->datalen = (size_t)num_opt("packet size", optarg, 0, 65527); break;
		case 't': o->ttl = (int)num_opt("ttl", optarg, 1, 255); break;
		case 'V': printf("ping-lite (tubes) " TUBES_VERSION "\n"); tb_exit(EXIT_OK); break;
		case 'w': secs_opt("deadline", optarg, 2147483.0, &o->deadline); break;
		case 'W': secs_opt("wait", optarg, 2147483.0, &o->linger); break;
		case 'X': o->layers = 1; break;
		case 'U':
			if (strcmp(optarg, "up") == 0) {
				o->until = UNTIL_UP;
			} else if (strncmp(optarg, "down", 4) == 0 && (optarg[4] == '\0' || optarg[4] == '=')) {
				o->until = UNTIL_DOWN;
				o->until_n = optarg[4] ? num_opt("--until down count", optarg + 5, 1, 1000000) : 1;
			} else {
				tb_usage_error("--until wants up or down[=N]: %s", optarg);
			}
			break;
		default: tb_bad_option();
		}
	}
	if (optind != argc - 1)
		tb_usage_error(optind >= argc ? "a host is needed" : "only one host: %s", argv[argc - 1]);
	p->host = argv[optind];
	if (o->json)
		tb_on_die(die_summary);
	if (o->flood && !o->have_interval)
		o->interval = 0;
	if (getuid() != 0 && o->interval < MINUSERINTERVAL)
		tb_die(EXIT_LOCAL, "cannot flood; minimal interval allowed for user is %dms", MINUSERINTERVAL / 1000);
	if (getuid() != 0 && o->preload > 3)
		tb_die(EXIT_LOCAL, "cannot set preload to value greater than 3: %lld", o->preload);

	/* SIGINT, SIGTERM, SIGHUP: one flag, honoured from the lookup on */
	tb_catch_signals();
	if (o->layers) {
		p->lv.fp = stdout;
		dns_resolver_layers(&p->lv);	/* the DNS packets of the lookups, too */
	}
	n = tb_resolve(p->host, o->family, addrs, 8, &why);
	if (n <= 0) {
		char m[400];

		code = tb_lookup_failed(p->host, n, why, m, sizeof m);
		tb_die(code, "%s", m);
	}
	/* a name with both families: the address getaddrinfo would give iputils ping first */
	if (o->family == AF_UNSPEC && n > 1)
		tb_addr_order(addrs, n, NULL);
	p->dst = addrs[0];
	p->v6 = p->dst.family == AF_INET6;
	if (!p->v6 && o->datalen > (size_t)maxs)
		tb_usage_error("invalid packet size: %zu: out of range: 0 <= value <= 65507", o->datalen);
	s = pingsock_pick(&s4, &s6, p->v6);
	p->fd = s.fd;
	p->raw = s.raw;
	tb_addr_str(&p->dst, p->addrstr, sizeof p->addrstr);
	if (tb_addr_parse(p->host, &(struct tb_addr){ 0 }) == 0)
		o->numeric = 1;	/* a literal target: no reverse lookups, as iputils */
	snprintf(p->hostname, sizeof p->hostname, "%s", pr_addr(p, &p->dst));
	p->have_src = pingsock_source(&p->dst, o->iface, &p->src);
	p->ident = pingsock_setup(p->fd, p->raw, p->v6, o->iface, o->ttl, o->flood || o->preload > 1,
	    o->interval == 0);
	p->timing = o->datalen >= 16;
	for (size_t i = 0; i < o->datalen; i++)
		p->payload[i] = o->patlen ? o->pat[i % (size_t)o->patlen] : (uint8_t)i;
	rtt_init(&p->rs);
	p->js.fp = stdout;
	p->lv.fp = stdout;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGQUIT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	print_header(p);
	run(p);
	if (p->sq.ntx > 0 && (o->json || o->until == UNTIL_DOWN) &&
	    !bit_test(p->rcvd, (uint16_t)p->sq.ntx) && p->exit_override < 0)
		report_lost(p, (uint16_t)p->sq.ntx);
	code = finish(p);
	close(p->fd);
	tb_exit(code);
}
