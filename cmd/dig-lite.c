/*
 * dig-lite - ask a DNS server, in dig's syntax and layout.
 *
 * Options, the queries on the command line (or in a -f batch), the
 * exchange through lib's query engine (dnsres.c), and the output: dig's
 * sections, +short, -j NDJSON, -X layers.  +trace walks referrals from
 * the root hints.  Bytes are parsed only by lib/wire/dns.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "digout.h"
#include "dns.h"
#include "dnshops.h"
#include "dnsnet.h"
#include "dnsstream.h"
#include "lines.h"
#include "plusopt.h"
#include "resolv.h"
#include "tls/tlsopt.h"
#include "tubes.h"
#include "wire.h"

#define WINDOW		32	/* batch queries in flight */
#define BATCH_RCAP	512	/* a batch query's reply buffer, until a reply needs more */
#define BATCH_OBUF	8192	/* stdout buffer of a batch, flushed once per round */
#define MAXSRV		DNS_MAXNS
#define TRACE_NS	DNS_HOP_NS	/* name servers kept per +nssearch */

static const char usage_text[] =
    "usage: dig-lite [@server] [-46hjkVX] [-c class] [-f file|-] [-p port] [-q name]\n"
    "                [-t type] [-x addr] [+option ...] [name] [type] [class] ...\n";

struct query {
	struct dns_name qname;
	uint16_t type, cls;
	int rel;		/* typed without a final dot: +search may extend it */
};

static struct {
	int json, layers, tcp, trace, edns, notc, cd, ad;
	struct dig_disp d;	/* dig's display flags (+[no]all sets the first seven) */
	int search, fail, besteffort, nssearch;
	int dot, doh, dohget, tlsca;	/* +tls, +https, +https-get, +tls-ca */
	const char *dohpath, *tlsname;
	struct tlsopt tls;
	struct dns_stream_conf sc;	/* +tls, +https: how */
	int bufsize;
	int tries, family;
	long port;		/* -1: 53 or the resolv.conf port */
	int64_t timeout;
	const char *roothints, *batch;
	struct dns_server srv[MAXSRV];
	int nsrv;
	struct query *q;
	size_t nq, capq;
	uint16_t deftype, defclass;
	int anyset;		/* the current query took a type/class */
	struct dns_conf conf;	/* resolv.conf, for +search */
} o;

static struct json js;
static struct layers lv;
static unsigned nanswered, nfailed, nqueries;
static char rdbuf[1 << 18];

static void
add_query(const struct dns_name *nm)
{
	if (o.nq == o.capq) {
		size_t nc = o.capq ? o.capq * 2 : 8;
		struct query *nq = tb_realloc(o.q, nc * sizeof *nq);

		if (nq == NULL)
			tb_die(EXIT_LOCAL, "out of memory");
		o.q = nq;
		o.capq = nc;
	}
	o.q[o.nq].qname = *nm;
	o.q[o.nq].type = 0;	/* filled at the end: default type */
	o.q[o.nq].cls = 0;
	o.q[o.nq].rel = 0;
	o.nq++;
	o.anyset = 0;
}

static void
add_name(const char *s)
{
	struct dns_name nm;
	int e = dns_name_from_str(s, &nm);

	if (e != DNS_OK)
		tb_usage_error("%s: %s", s, dns_strerror(e));
	add_query(&nm);
	o.q[o.nq - 1].rel = s[0] != '\0' && s[strlen(s) - 1] != '.';
}

static void
add_reverse(const char *s)
{
	struct tb_addr a;
	struct dns_name nm;

	if (tb_addr_parse(s, &a) < 0)
		tb_usage_error("-x %s: not an IPv4 or IPv6 address", s);
	dns_name_reverse(a.a, a.family == AF_INET6, &nm);
	add_query(&nm);
	o.q[o.nq - 1].type = DNS_T_PTR;
}

/*
 * The +options, one table for the parser and --help (and so for the
 * completion, which reads --help, and the test that compares both with
 * the man page).  A flag takes +no too; a value option ends in '='.
 */
static int *const all_flags[] = { &o.d.cmd, &o.d.comments, &o.d.question, &o.d.answer,
	&o.d.authority, &o.d.additional, &o.d.stats, NULL };
/* the rest of a flag's and a number's entry */
#define F(p, h)			p, NULL, 0, 0, 0, NULL, h, NULL
#define N(p, lo, hi, add, h)	p, NULL, lo, hi, add, "N", h, NULL
static const struct plusopt plusopts[] = {
	{ "all", NULL, PO_ALL, NULL, all_flags, 0, 0, 0, NULL,
	    "set or clear every display flag below, to +stats", NULL },
	{ "cmd", NULL, PO_FLAG, F(&o.d.cmd, "the first comment, naming the query (default on)") },
	{ "comments", NULL, PO_FLAG, F(&o.d.comments, "header, flags, OPT and section names (on)") },
	{ "question", NULL, PO_FLAG, F(&o.d.question, "the question section (on)") },
	{ "answer", NULL, PO_FLAG, F(&o.d.answer, "the answer section (on)") },
	{ "authority", NULL, PO_FLAG, F(&o.d.authority, "the authority section (on)") },
	{ "additional", NULL, PO_FLAG, F(&o.d.additional, "the additional section (on)") },
	{ "stats", NULL, PO_FLAG, F(&o.d.stats, "query time, server, when, size (on)") },
	{ "short", NULL, PO_FLAG, F(&o.d.shortout, "the answers' rdata only, one per line") },
	{ "identify", NULL, PO_FLAG, F(&o.d.identify, "with +short: the server and time after each") },
	{ "ttlid", NULL, PO_FLAG, F(&o.d.ttlid, "the TTL of each record (on)") },
	{ "class", NULL, PO_FLAG, F(&o.d.showclass, "the class of each record (on)") },
	{ "multiline", NULL, PO_FLAG, F(&o.d.multiline, "long records over several lines, with comments") },
	{ "tcp", "vc", PO_FLAG, F(&o.tcp, "ask over TCP only") },
	{ "recurse", "rec", PO_FLAG, F(&o.d.rec, "set RD, recursion desired (on)") },
	{ "search", NULL, PO_FLAG, F(&o.search, "try resolv.conf's search list (off)") },
	{ "fail", NULL, PO_FLAG, F(&o.fail, "stop at SERVFAIL (on); +nofail tries the next server") },
	{ "besteffort", NULL, PO_FLAG, F(&o.besteffort, "print what parses of a malformed reply") },
	{ "ignore", NULL, PO_FLAG, F(&o.notc, "do not retry a truncated (TC) reply over TCP") },
	{ "trace", NULL, PO_FLAG, F(&o.trace, "walk the delegations from the root") },
	{ "nssearch", NULL, PO_FLAG, F(&o.nssearch, "the SOA of the zone at each of its name servers") },
	{ "dnssec", NULL, PO_FLAG, F(&o.d.dnssec, "set DO, DNSSEC records wanted") },
	{ "edns", NULL, PO_FLAG, F(&o.edns, "send an OPT record (on)") },
	{ "cd", "cdflag", PO_FLAG, F(&o.cd, "set CD, checking disabled") },
	{ "ad", "adflag", PO_FLAG, F(&o.ad, "set AD, authentic data wanted (on)") },
	{ "bufsize=", NULL, PO_NUM, N(&o.bufsize, 0, 65535, 0, "EDNS UDP payload size, 0..65535 (1232)") },
	{ "timeout=", "time=", PO_SECS, &o.timeout, NULL, 0, 3600, 0, "S",
	    "seconds to wait for a reply (5)", NULL },
	{ "tries=", NULL, PO_NUM, N(&o.tries, 1, 100, 0, "rounds over the servers, 1..100 (3)") },
	{ "retry=", NULL, PO_NUM, N(&o.tries, 0, 99, 1, "tries after the first, 0..99 (2)") },
	{ "roothints=", NULL, PO_STR, &o.roothints, NULL, 0, 0, 0, "file",
	    "the root servers for +trace, from a zone file", NULL },
	{ "tls", NULL, PO_FLAG, F(&o.dot, "DNS over TLS (RFC 7858), port 853") },
	{ "https", NULL, PO_OPTSTR, &o.dohpath, NULL, 0, 0, 0, "path",
	    "DNS over HTTPS/1.1, POST (RFC 8484), port 443", &o.doh },
	{ "https-get", NULL, PO_OPTSTR, &o.dohpath, NULL, 0, 0, 0, "path",
	    "the same with GET ?dns= (path /dns-query)", &o.dohget },
	{ "tls-ca", NULL, PO_OPTSTR, &o.tls.cacert, NULL, 0, 0, 0, "file",
	    "trust the CAs in file (as --cacert)", &o.tlsca },
	{ "tls-hostname=", NULL, PO_STR, &o.tlsname, NULL, 0, 0, 0, "name",
	    "the name the server's certificate must carry", NULL },
};
#undef F
#undef N

#define NPLUS (sizeof plusopts / sizeof plusopts[0])

static void
plus_option(const char *arg)
{
	char why[300];

	if (plus_parse(plusopts, NPLUS, arg, why, sizeof why) < 0)
		tb_usage_error("%s", why);
}

static void
usage(void)
{
	size_t i;

	fputs(usage_text, stdout);
	fputs("\n"
	    "  @server           the server to ask (default: resolv.conf's)\n"
	    "  -4, -6            IPv4 or IPv6 servers only\n"
	    "  -c class          the class (IN, CH, HS, ANY, CLASSn)\n"
	    "  -f file|-         one query per line of file or stdin\n"
	    "  -p port           the server's port (53; 853 with +tls, 443 with +https)\n"
	    "  -q name           a name, even one that looks like a type or class\n"
	    "  -t type           the type (see types below, or TYPEn)\n"
	    "  -x addr           the reverse (PTR) name of an IPv4 or IPv6 address\n"
	    "  -j, --json        NDJSON: one object per response, and a summary\n"
	    "  -k, --insecure    +tls, +https: go on when the certificate does not verify\n"
	    "      --cacert FILE, --capath DIR, --tls-min V, --tls-max V, --pinnedpubkey KEYS\n"
	    "  -X, --layers      decode every packet sent and received\n"
	    "  -h, --help        this help\n"
	    "  -V, --version     version\n", stdout);
	plus_help(stdout, plusopts, NPLUS);
	fputs("\ntypes:", stdout);
	for (i = 0; i < dns_type_count(); i++)
		printf(" %s", dns_type_at(i));
	fputs(" TYPEn\n", stdout);
	tb_exit(EXIT_OK);
}

/* a type (istype) or class: the last name's if it has none yet, else the default */
static void
set_tc(int istype, uint16_t v)
{
	struct query *q = o.nq ? &o.q[o.nq - 1] : NULL;
	uint16_t *cur = q == NULL ? NULL : istype ? &q->type : &q->cls;

	if (cur && !*cur)
		*cur = v;
	else if (istype)
		o.deftype = v;
	else
		o.defclass = v;
}

/* a positional word: @server, +option, type, class or a name */
static void
word(const char *a)
{
	uint16_t v;

	if (a[0] == '@') {
		o.d.srvname = a + 1;
		return;
	}
	if (a[0] == '+') {
		plus_option(a + 1);
		return;
	}
	if (dns_type_parse(a, &v) == 0 && strcmp(a, "a.") != 0)
		set_tc(1, v);
	else if (dns_class_parse(a, &v) == 0)
		set_tc(0, v);
	else
		add_name(a);
}

/* -j's last line; a run that dies before its queries still ends with it */
static void
die_summary(int code)
{
	js_begin(&js, stdout, "summary");
	js_int(&js, "queries", nqueries);
	js_int(&js, "answered", nanswered);
	js_int(&js, "failed", nfailed);
	js_int(&js, "exit", code);
	js_end(&js);
}

/* the servers to ask: EXIT_OK, or the exit of @server's failed lookup (said) */
static int
servers(void)
{
	struct dns_conf conf;
	int i;

	if (o.d.srvname) {
		struct tb_addr a[MAXSRV];
		const char *why;
		int n = tb_resolve(o.d.srvname, o.family == 4 ? AF_INET : o.family == 6 ? AF_INET6 :
		    AF_UNSPEC, a, MAXSRV, &why);

		if (n <= 0) {
			char m[400];
			int code = tb_lookup_failed(o.d.srvname, n, why, m, sizeof m);

			tb_warn("%s", m);
			return code;
		}
		for (i = 0; i < n; i++) {
			o.srv[i].addr = a[i];
			o.srv[i].port = 53;
		}
		o.nsrv = n;
	} else {
		dns_conf_load(&conf);
		for (i = 0; i < conf.nns; i++) {
			if ((o.family == 4 && conf.ns[i].addr.family != AF_INET) ||
			    (o.family == 6 && conf.ns[i].addr.family != AF_INET6))
				continue;
			o.srv[o.nsrv++] = conf.ns[i];
		}
		if (o.nsrv == 0)
			tb_die(EXIT_LOCAL, "no name server of that address family in resolv.conf");
		if (o.timeout <= 0)
			o.timeout = conf.timeout;
	}
	if (o.port >= 0 || o.dot || o.doh)
		for (i = 0; i < o.nsrv; i++)
			o.srv[i].port = o.port >= 0 ? (uint16_t)o.port : o.doh ? 443 : 853;
	if (o.timeout <= 0)
		o.timeout = 5000000;
	return EXIT_OK;
}

/* --- output -------------------------------------------------------------- */

static const char *
srv_str(const struct dns_server *s, char *buf, size_t n)
{
	char a[TB_ADDRSTRLEN];

	snprintf(buf, n, "%s#%u", tb_addr_str(&s->addr, a, sizeof a), s->port);
	return buf;
}

/* what carried a query: "UDP", "TCP", "TLS", "HTTPS" */
static const char *
proto(const struct dns_q *q)
{
	return o.doh ? "HTTPS" : o.dot ? "TLS" : q->used_tcp ? "TCP" : "UDP";
}

static void
show(void *arg, int dir, const struct dns_q *q, const uint8_t *p, size_t n)
{
	char s[TB_ADDRSTRLEN + 8];

	(void)arg;
	lv_packet(&lv, "%s %zu bytes %s %s (%s)", dir ? "received" : "sent", n, dir ? "from" : "to",
	    srv_str(&q->srv[q->srvi], s, sizeof s), proto(q));
	dns_transport_layers(&lv, q, dir, n, o.doh ? DNS_BY_HTTPS : o.dot ? DNS_BY_TLS :
	    q->used_tcp ? DNS_BY_TCP : DNS_BY_UDP);
	dns_layers(&lv, p, n);
}

/* print one finished query; returns its exit code */
static int
report(const struct query *qu, const struct dns_q *q)
{
	struct dns_msg m;
	char s[DNS_NAMESTRLEN + 20], sv[2 * TB_ADDRSTRLEN + 300], b[16];
	int e, code;
	unsigned an;

	nqueries++;
	dig_qdesc(&qu->qname, qu->type, s, sizeof s);
	/* +besteffort: a reply that did not parse is shown as far as it goes */
	if (q->err == EBADMSG && o.besteffort && !o.json && q->rlen >= DNS_HDRLEN) {
		tb_warn("%s: malformed reply: %s", s, q->why ? q->why : strerror(q->err));
		nfailed++;
	} else if (q->err) {
		nfailed++;
		tb_warn("%s: %s%s", s, q->err == EBADMSG ? "malformed reply: " : "",
		    q->why ? q->why : strerror(q->err));
		if (o.json) {
			js_begin(&js, stdout, "error");
			js_str(&js, "query", s);
			js_str(&js, "error", q->why ? q->why : strerror(q->err));
			js_end(&js);
		}
		return q->err == EAFNOSUPPORT || q->err == EINVAL || q->err == ENOMEM ?
		    EXIT_LOCAL : EXIT_NET;
	}
	if ((e = dns_parse(&m, q->reply, q->rlen)) != DNS_OK && !q->err) {
		nfailed++;
		tb_warn("%s: malformed reply: %s", s, dns_strerror(e));
		if (!o.besteffort || o.json)
			return EXIT_NET;
	}
	an = dns_answer_count(&m);
	if (m.rcode == DNS_R_NOERROR)
		code = an ? EXIT_OK : EXIT_NO;
	else if (m.rcode == DNS_R_NXDOMAIN)
		code = EXIT_NO;
	else
		code = EXIT_NET;
	if ((m.h.flags & DNS_TC) && !q->used_tcp) {
		tb_warn("%s: answer truncated (TC) and not retried over TCP", s);
		code = EXIT_NET;
	}
	if (e != DNS_OK)
		code = EXIT_NET;
	else if (m.trailing)
		tb_warn("%s: %zu bytes after the last record", s, m.trailing);
	nanswered += code == EXIT_OK;
	nfailed += code == EXIT_NET;
	srv_str(q->from ? q->from : &q->srv[q->srvi], sv, sizeof sv);
	if (o.json) {
		js_begin(&js, stdout, "response");
		dns_name_str(&qu->qname, s, sizeof s);
		js_str(&js, "name", s);
		js_str(&js, "qtype", dns_type_name(qu->type, b, sizeof b));
		js_str(&js, "server", sv);
		js_str(&js, "transport", o.doh ? "https" : o.dot ? "tls" : q->used_tcp ? "tcp" : "udp");
		js_ms(&js, "time_ms", q->rtt);
		js_int(&js, "size", (long long)q->rlen);
		if ((o.dot || o.doh) && dns_stream_tls())
			tlsopt_json(&js, "tls", dns_stream_tls());
		dns_json_head(&js, &m);
		dns_json_section(&js, &m, DNS_SEC_ANSWER, "answer", rdbuf, sizeof rdbuf);
		dns_json_section(&js, &m, DNS_SEC_AUTHORITY, "authority", rdbuf, sizeof rdbuf);
		dns_json_section(&js, &m, DNS_SEC_ADDITIONAL, "additional", rdbuf, sizeof rdbuf);
		js_end(&js);
		return code;
	}
	if (o.d.shortout) {
		char a[TB_ADDRSTRLEN];

		dig_section(&o.d, &m, DNS_SEC_ANSWER, "ANSWER", 1, dig_from(q, a, sizeof a), q->rtt);
		if (!an)
			tb_warn("%s: %s", s, m.rcode == DNS_R_NOERROR ? "NODATA" :
			    dns_rcode_name(m.rcode, b, sizeof b));
		return code;
	}
	dig_reply(&o.d, q, &m, e, s, sv, proto(q));
	return code;
}

/* --- queries ------------------------------------------------------------- */

struct slot {
	struct dns_q q;
	struct dns_query dq;
	const struct query *qu;
	int used;
};

static int
slot_start(struct slot *sl, const struct query *qu, const struct dns_server *srv, int nsrv,
    int rd)
{
	memset(&sl->dq, 0, sizeof sl->dq);
	sl->qu = qu;
	sl->dq.flags = (uint16_t)((rd ? DNS_RD : 0) | (o.cd ? DNS_CD : 0) | (o.ad ? DNS_AD : 0));
	sl->dq.qname = qu->qname;
	sl->dq.qtype = qu->type;
	sl->dq.qclass = qu->cls;
	sl->dq.edns_size = o.edns ? (uint16_t)o.bufsize : 0;
	sl->dq.dobit = o.d.dnssec;
	sl->q.srv = srv;
	sl->q.nsrv = nsrv;
	sl->q.first = 0;
	sl->q.timeout = o.timeout;
	sl->q.tries = o.tries;
	sl->q.tcp = o.tcp;
	sl->q.notc = o.notc;
	sl->q.show = o.layers ? show : NULL;
	sl->q.show_arg = NULL;
	if (sl->q.reply == NULL && (sl->q.reply = tb_malloc(DNS_MAXMSG)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	if (dnsq_prepare(&sl->q, &sl->dq) < 0)
		tb_die(EXIT_LOCAL, "cannot build the query (getrandom failed?)");
	sl->used = 1;
	if (!o.dot && !o.doh)
		dnsq_start(&sl->q);
	return 0;
}

/*
 * One query: with +nofail a SERVFAIL goes on to the next server (dig's
 * default, +fail, stops there).
 */
static int
ask(const struct query *qu, struct slot *sl)
{
	struct dns_q *qs[1] = { &sl->q };
	int k;

	for (k = 0; k < o.nsrv; k++) {
		slot_start(sl, qu, o.srv + k, o.nsrv - k, o.d.rec);
		if (o.dot || o.doh)
			dns_stream_ask(&sl->q, &o.sc);
		else
			dnsq_run(qs, 1, (volatile int *)&tb_interrupted);
		if (tb_interrupted || o.fail || k + 1 == o.nsrv || dnsq_rcode(&sl->q) != DNS_R_SERVFAIL)
			break;
	}
	return tb_interrupted ? -1 : 0;
}

/*
 * +search: a name typed without a final dot is tried with each domain of
 * resolv.conf's search list (before the name as it is when it has fewer
 * dots than ndots, after it otherwise); the first answer that is not
 * NXDOMAIN is the one shown, as dig does.
 */
static int
run_one(const struct query *qu)
{
	static struct slot sl;
	struct query cand[DNS_MAXSEARCH + 1];
	int n = 0, i, asis;

	asis = !o.search || !qu->rel || o.conf.nsearch == 0 ||
	    dns_name_labels(&qu->qname) > o.conf.ndots;
	if (asis || !qu->rel || !o.search)
		cand[n++] = *qu;
	if (o.search && qu->rel)
		for (i = 0; i < o.conf.nsearch; i++) {
			struct dns_name dom;

			if (dns_name_from_str(o.conf.search[i], &dom) != DNS_OK)
				continue;
			cand[n] = *qu;
			if (dns_name_cat(&qu->qname, &dom, &cand[n].qname) == DNS_OK)
				n++;
		}
	if (!asis)
		cand[n++] = *qu;
	for (i = 0; i < n; i++) {
		if (ask(&cand[i], &sl) < 0)
			return EXIT_NET;
		if (i + 1 < n && dnsq_rcode(&sl.q) == DNS_R_NXDOMAIN)
			continue;
		return report(&cand[i], &sl.q);
	}
	return EXIT_NET;
}

/*
 * The next "name [type] [class]" line: 1 with *q filled (*bad set for a
 * line that is not a query: one error result), 0 when no whole line has
 * arrived yet (wait 0), -1 at the end of the input.  Waiting for input,
 * what is printed so far goes out first.
 */
static int
batch_line(struct tb_lines *in, struct query *q, int *bad, int wait)
{
	char *line;
	const char *w[DNS_QL_MAXBAD];
	int r, k;

	for (;;) {
		*bad = 0;
		if (wait)
			fflush(stdout);
		r = tb_lines_next(in, &line, wait);
		if (r == TB_LINE_NONE)
			return 0;
		if (r == TB_LINE_EOF)
			return -1;
		if (r == TB_LINE_ERR) {
			if (!tb_interrupted)
				tb_warn("%s", strerror(errno));
			return -1;
		}
		if (r == TB_LINE_LONG) {
			tb_warn("line %lu: longer than %d bytes", in->lineno, TB_LINE_MAX);
			*bad = 1;
			return 1;
		}
		q->type = o.deftype;
		q->cls = o.defclass;
		r = dns_query_line(line, &q->qname, &q->type, &q->cls, w);
		if (r == DNS_QL_SKIP)
			continue;
		if (r == DNS_QL_BADNAME)
			tb_warn("line %lu: %s: not a domain name", in->lineno, w[0]);
		for (k = 0; k < r && k < DNS_QL_MAXBAD; k++)
			tb_warn("line %lu: %s: not a type or class", in->lineno, w[k]);
		*bad = r != DNS_QL_OK;
		return 1;
	}
}

/*
 * Batch: up to WINDOW queries in flight over the mux's shared sockets,
 * results printed in input order (a finished query waits for the ones
 * before it).  Lines are started as they arrive: while queries are in
 * flight the mux's wait also ends when more input comes, and with none in
 * flight the input is waited for.
 */
static int
run_batch(const char *path)
{
	static struct slot sl[WINDOW];
	static struct query qs[WINDOW];
	static int badline[WINDOW];
	static struct dns_mux mux;
	static struct tb_lines in;
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	unsigned long next = 0, head = 0;	/* inputs started, inputs reported */
	int eof = 0, code = EXIT_OK, i, r;

	if (fd < 0)
		tb_die(EXIT_LOCAL, "%s: %s", path, strerror(errno));
	tb_lines_init(&in, fd);
	dns_mux_init(&mux);
	/*
	 * to a file or pipe, results are written once per round of the loop
	 * (before each wait), not once per line; a terminal keeps lines
	 */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, BATCH_OBUF);
	while (!tb_interrupted) {
		/* fill the window with the lines there are; wait for one only when idle */
		while (!eof && next - head < WINDOW) {
			int k = (int)(next % WINDOW), bad = 0;

			r = batch_line(&in, &qs[k], &bad, next == head);
			if (r < 0)
				eof = 1;
			if (r <= 0)
				break;
			badline[k] = bad ? (int)in.lineno : 0;
			if (bad) {
				sl[k].used = 1;
				sl[k].q.state = DNSQ_DONE;
			} else {
				sl[k].q.mux = o.tcp ? NULL : &mux;
				/* most replies are small: the engine grows a buffer for a big one */
				if (sl[k].q.reply == NULL) {
					if ((sl[k].q.reply = tb_malloc(BATCH_RCAP)) == NULL)
						tb_die(EXIT_LOCAL, "out of memory");
					sl[k].q.rcap = BATCH_RCAP;
				}
				slot_start(&sl[k], &qs[k], o.srv, o.nsrv, o.d.rec);
			}
			next++;
		}
		/* report what is done, in order */
		while (head < next && sl[head % WINDOW].q.state == DNSQ_DONE) {
			int k = (int)(head % WINDOW);

			if (badline[k] && o.json) {
				js_begin(&js, stdout, "error");
				js_int(&js, "line", (long long)badline[k]);
				js_str(&js, "error", "not a query line");
				js_end(&js);
			}
			code = exit_worst(code, badline[k] ? EXIT_LOCAL : report(&qs[k], &sl[k].q));
			sl[k].used = 0;
			head++;
		}
		if (head == next) {
			if (eof)
				break;
			continue;	/* nothing in flight: wait for the next line */
		}
		fflush(stdout);
		mux.wake_fd = !eof && next - head < WINDOW ? in.fd : -1;
		dns_mux_run(&mux, -1);
	}
	fflush(stdout);
	if (fd != STDIN_FILENO)
		close(fd);
	dns_mux_close(&mux);
	for (i = 0; i < WINDOW; i++)
		tb_free(sl[i].q.reply);
	if (tb_interrupted)
		code = exit_worst(code, EXIT_NET);
	return code;
}

/* --- +nssearch ------------------------------------------------------------ */

/*
 * The zone's NS records from the server asked, then its SOA from each
 * address of each name server (non-recursive), one line each as dig
 * prints them: "SOA rdata from server ADDR in N ms.".
 */
static int
run_nssearch(const struct query *qu)
{
	static struct slot sl;
	struct dns_q *qs[1] = { &sl.q };
	struct query nsq = *qu, soaq = *qu;
	char names[TRACE_NS][DNS_NAMESTRLEN], s[DNS_NAMESTRLEN + 20];
	struct dns_msg m;
	struct dns_rr rr;
	struct dns_rdata rd;
	size_t off = 0;
	unsigned idx = 0;
	int nn = 0, i, k, got = 0, rc;

	nsq.type = DNS_T_NS;
	soaq.type = DNS_T_SOA;
	dig_qdesc(&qu->qname, qu->type, s, sizeof s);
	if (ask(&nsq, &sl) < 0)
		return EXIT_NET;
	if (sl.q.err || dns_parse(&m, sl.q.reply, sl.q.rlen) != DNS_OK) {
		tb_warn("%s: %s", s, sl.q.why ? sl.q.why : "malformed reply");
		return EXIT_NET;
	}
	if (m.rcode != DNS_R_NOERROR) {
		tb_warn("%s: %s", s, dns_rcode_name(m.rcode, names[0], sizeof names[0]));
		return m.rcode == DNS_R_NXDOMAIN ? EXIT_NO : EXIT_NET;
	}
	while (nn < TRACE_NS && dns_rr_next(&m, &off, &idx, &rr))
		if (rr.section == DNS_SEC_ANSWER && rr.type == DNS_T_NS &&
		    dns_rdata_get(m.buf, m.len, &rr, &rd) == DNS_OK)
			dns_name_str(&rd.name, names[nn++], sizeof names[0]);
	if (nn == 0) {
		tb_warn("%s: no NS records", s);
		return EXIT_NO;
	}
	for (i = 0; i < nn && !tb_interrupted; i++) {
		struct tb_addr a[4];
		const char *why;
		int n = tb_resolve(names[i], o.family == 4 ? AF_INET : o.family == 6 ? AF_INET6 :
		    AF_UNSPEC, a, 4, &why);

		if (n <= 0) {
			tb_warn("couldn't get address for '%s': %s", names[i], why ? why : "no address");
			continue;
		}
		for (k = 0; k < n && !tb_interrupted; k++) {
			struct dns_server srv;
			char as[TB_ADDRSTRLEN];

			srv.addr = a[k];
			srv.port = o.port >= 0 ? (uint16_t)o.port : 53;
			tb_addr_str(&a[k], as, sizeof as);
			slot_start(&sl, &soaq, &srv, 1, 0);
			dnsq_run(qs, 1, (volatile int *)&tb_interrupted);
			rc = dnsq_rcode(&sl.q);
			if (rc < 0) {
				tb_warn("%s: %s: %s", s, as, sl.q.why ? sl.q.why : "malformed reply");
				continue;
			}
			dns_parse(&m, sl.q.reply, sl.q.rlen);
			off = 0;
			idx = 0;
			while (dns_rr_next(&m, &off, &idx, &rr)) {
				if (rr.section != DNS_SEC_ANSWER || rr.type != DNS_T_SOA)
					continue;
				dns_rdata_str(m.buf, m.len, &rr, rdbuf, sizeof rdbuf);
				printf("SOA %s from server %s in %lld ms.\n", rdbuf, as,
				    (long long)(sl.q.rtt / 1000));
				got++;
				break;
			}
		}
	}
	nqueries++;
	if (got)
		nanswered++;
	return got ? EXIT_OK : EXIT_NET;
}

/* --- +trace --------------------------------------------------------------- */

static int
run_trace(const struct query *qu)
{
	static struct slot sl;
	static struct dns_hop hop;
	struct dns_q *qs[1] = { &sl.q };
	int step, r;
	char s[DNS_NAMESTRLEN + 20];

	if ((r = dns_hop_roots(&hop, o.roothints, o.family, o.port >= 0 ? (uint16_t)o.port : 53)) < 0)
		tb_die(EXIT_LOCAL, "%s: %s", o.roothints, r == -2 ? "no root server addresses" :
		    strerror(errno));
	dig_qdesc(&qu->qname, qu->type, s, sizeof s);
	if (!o.json && !o.d.shortout)
		printf("\n; <<>> dig-lite (tubes) " TUBES_VERSION " <<>> +trace %s\n", s);
	for (step = 0; step < 30 && !tb_interrupted; step++) {
		struct dns_msg m;
		unsigned an;
		int i, code;
		char sv[TB_ADDRSTRLEN + 8];

		/* each server of this hop in turn until one answers */
		for (i = 0; i < hop.n; i++) {
			slot_start(&sl, qu, &hop.srv[i], 1, 0);
			dnsq_run(qs, 1, (volatile int *)&tb_interrupted);
			if (!sl.q.err && dns_parse(&m, sl.q.reply, sl.q.rlen) == DNS_OK)
				break;
			tb_warn("%s: %s: %s", s, hop.names[i], sl.q.why ? sl.q.why : "malformed reply");
		}
		if (i == hop.n)
			return EXIT_NET;
		srv_str(&hop.srv[i], sv, sizeof sv);
		an = dns_answer_count(&m);
		if (o.json) {
			js_begin(&js, stdout, "trace");
			js_int(&js, "step", step + 1);
			js_str(&js, "server", sv);
			js_str(&js, "server_name", hop.names[i]);
			js_ms(&js, "time_ms", sl.q.rtt);
			js_int(&js, "size", (long long)sl.q.rlen);
			js_str(&js, "status", dns_rcode_name(m.rcode, rdbuf, 16));
			dns_json_section(&js, &m, DNS_SEC_ANSWER, "answer", rdbuf, sizeof rdbuf);
			dns_json_section(&js, &m, DNS_SEC_AUTHORITY, "authority", rdbuf, sizeof rdbuf);
			js_end(&js);
		} else {
			dig_trace_hop(&o.d, &m, sv, hop.names[i], sl.q.rlen, sl.q.rtt);
		}
		if (an || m.rcode != DNS_R_NOERROR || (m.h.flags & DNS_AA)) {
			code = m.rcode == DNS_R_NOERROR ? (an ? EXIT_OK : EXIT_NO) :
			    m.rcode == DNS_R_NXDOMAIN ? EXIT_NO : EXIT_NET;
			nqueries++;
			if (code == EXIT_OK)
				nanswered++;
			if (code != EXIT_OK && (o.d.shortout || o.json))
				tb_warn("%s: %s", s, m.rcode == DNS_R_NOERROR ? "NODATA" :
				    dns_rcode_name(m.rcode, rdbuf, 16));
			return code;
		}
		if (dns_hop_referral(&hop, &m, o.family, o.port >= 0 ? (uint16_t)o.port : 53) == 0) {
			tb_warn("%s: %s: referral without usable name servers", s, hop.names[i]);
			return EXIT_NET;
		}
	}
	tb_warn("%s: too many referrals", s);
	return EXIT_NET;
}

/* --- main --------------------------------------------------------------- */

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "json", no_argument, NULL, 'j' },
		{ "layers", no_argument, NULL, 'X' },
		TLSOPT_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	long long v;
	size_t i;
	int c, code = EXIT_OK, nosrv = 0;

	tb_init(argv[0]);
	argv[0] = (char *)tb_prog;	/* getopt's one line reads "NAME: ..." */
	o.d.rec = o.edns = o.ad = 1;
	o.d.cmd = o.d.comments = o.d.question = o.d.answer = o.d.authority = 1;
	o.d.additional = o.d.stats = 1;
	o.d.ttlid = o.d.showclass = o.fail = 1;
	o.d.buf = rdbuf;
	o.d.cap = sizeof rdbuf;
	o.bufsize = DNS_EDNS_SIZE;
	o.tries = 3;
	o.port = -1;
	o.deftype = DNS_T_A;
	o.defclass = DNS_C_IN;
	while ((c = getopt_long(argc, argv, "-46c:f:hjkp:q:t:Vx:X", lopts, NULL)) != -1) {
		uint16_t t;

		switch (c) {
		case 1:
			word(optarg);
			break;
		case '4':
		case '6':
			o.family = c - '0';
			break;
		case 'c':
			if (dns_class_parse(optarg, &t) < 0)
				tb_usage_error("-c %s: unknown class", optarg);
			set_tc(0, t);
			break;
		case 'f':
			o.batch = optarg;
			break;
		case 'h':
			usage();
			break;
		case 'j':
			o.json = 1;
			break;
		case 'p':
			if (tb_num(optarg, 1, 65535, &v) < 0)
				tb_usage_error("-p %s: not a port number", optarg);
			o.port = (long)v;
			break;
		case 'q':
			add_name(optarg);
			break;
		case 't':
			if (dns_type_parse(optarg, &t) < 0)
				tb_usage_error("-t %s: unknown type", optarg);
			set_tc(1, t);
			break;
		case 'V':
			puts("dig-lite (tubes) " TUBES_VERSION);
			tb_exit(EXIT_OK);
			break;
		case 'x':
			add_reverse(optarg);
			break;
		case 'X':
			o.layers = 1;
			dns_layers_fields(dns_rdata_layers);	/* RDATA in fields */
			break;
		default:
			if (!tlsopt_arg(&o.tls, c, optarg))
				tb_bad_option();
		}
	}
	if ((o.trace || o.nssearch) && o.batch)
		tb_usage_error("+%s and -f cannot be combined", o.trace ? "trace" : "nssearch");
	o.doh |= o.dohget;
	if ((o.dot || o.doh) && (o.batch || o.trace || o.nssearch))
		tb_usage_error("+%s cannot be combined with %s", o.doh ? "https" : "tls",
		    o.batch ? "-f" : o.trace ? "+trace" : "+nssearch");
	if (o.dohpath && o.dohpath[0] != '/')
		tb_usage_error("+https=%s: the path must start with /", o.dohpath);
	o.sc = (struct dns_stream_conf){ .https = o.doh, .get = o.dohget, .path = o.dohpath ?
	    o.dohpath : "/dns-query", .host = o.tlsname ? o.tlsname : o.d.srvname, .tls = &o.tls,
	    .lv = o.layers ? &lv : NULL };
	if (o.trace && o.nssearch)
		tb_usage_error("+trace and +nssearch cannot be combined");
	if (o.batch && o.nq)
		tb_usage_error("-f and names on the command line cannot be combined");
	if (!o.batch && o.nq == 0) {
		/* like dig: the root's name servers */
		add_name(".");
		if (o.deftype == DNS_T_A)
			o.q[0].type = DNS_T_NS;
	}
	for (i = 0; i < o.nq; i++) {
		if (!o.q[i].type)
			o.q[i].type = o.deftype;
		if (!o.q[i].cls)
			o.q[i].cls = o.defclass;
	}
	lv.fp = stdout;
	if (o.json)
		tb_on_die(die_summary);
	/* SIGINT, SIGTERM, SIGHUP: lib's one flag, which every wait honours */
	tb_catch_signals();
	if (o.search)
		dns_conf_load(&o.conf);
	if (!o.trace)
		code = servers();
	else if (o.timeout <= 0)
		o.timeout = 5000000;
	nosrv = code != EXIT_OK;	/* nothing to ask: straight to the summary */
	if (o.batch && code == EXIT_OK)
		code = run_batch(o.batch);
	for (i = 0; i < o.nq && !tb_interrupted && !nosrv; i++)
		code = exit_worst(code, o.trace ? run_trace(&o.q[i]) :
		    o.nssearch ? run_nssearch(&o.q[i]) : run_one(&o.q[i]));
	if (tb_interrupted)
		code = exit_worst(code, EXIT_NET);
	if (o.json)
		die_summary(code);
	dns_stream_close();
	tb_free(o.q);
	tb_exit(code);
}
