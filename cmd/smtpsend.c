/*
 * smtpsend - send a message over SMTP, to a named server or straight to
 * each recipient's MX, with one verdict line per recipient.
 * RFC 5321, 5322, 2045-2049, 2920, 1870, 6152, 4954.
 *
 * Here: the options, the order of work (relay or each domain's MX,
 * reconnecting when a server limits messages per session) and the
 * output.  A connection's messages and what each reply means for them
 * are lib/session/smtpxact.c, on the conversation (with STARTTLS) in
 * lib/session/smtpsess.c; the message and its recipients
 * lib/sys/submit.c, -s HOST[:PORT] lib/wire/url.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <strings.h>
#include <unistd.h>

#include "conn.h"
#include "crypto/ct.h"
#include "dnsnet.h"
#include "mail.h"
#include "resolv.h"
#include "secret.h"
#include "smtp.h"
#include "smtpsess.h"
#include "smtpxact.h"
#include "tls/tlsopt.h"
#include "submit.h"
#include "tubes.h"
#include "url.h"


static const char usage_text[] =
    "usage: smtpsend [-46hjntVvX] [-s server[:port]] [-p port] [-f from] [-S subject]\n"
    "                [-a file]... [-H 'Name: value']... [--ehlo name]\n"
    "                [--auth plain|login -u user] [--password-file file] [--batch mbox]\n"
    "                [--via cmd] [--date date] [--message-id id] [-w deadline] [-W wait]\n"
    "                [--tls required|opportunistic|off] [--cacert F] [--capath D] [-k]\n"
    "                [--tls-min V] [--tls-max V] [--pinnedpubkey P] [recipient...]\n";

struct opt {
	const char *server, *from, *subject, *ehlo, *auth, *user, *pwfile;
	const char *batch, *via, *date, *msgid;
	const char *attach[SUBMIT_MAX_LIST], *hdr[SUBMIT_MAX_LIST];
	int nattach, nhdr;
	uint16_t port;
	int tflag, dry, verbose, json, layers, family;
	int64_t deadline, wait;
	int tls;		/* TLS_AUTO ... TLS_IMPLICIT (-s smtps://) */
	struct tlsopt tlso;	/* --cacert, -k ... */
};

enum { TLS_AUTO, TLS_REQUIRED, TLS_OPPORTUNISTIC, TLS_OFF, TLS_IMPLICIT };

struct ctx {
	struct opt o;
	struct submit sb;	/* what shapes the message (lib/sys/submit.c) */
	struct json js;
	struct layers lv;
	struct conn *c;
	char host[256];		/* our name for EHLO and Message-ID */
	char pass[1024];
	int have_pass;
	int exitc;
	unsigned sent, failed, accepted, refused, deferred;
	int64_t t0;
	int loopback;		/* the server of this connection is a loopback address */
	struct smtp_job job;	/* a connection's messages (lib/session/smtpxact.c) */
	struct tls_info tinfo;	/* with job.tls_on: the TLS of this connection */
	/* attachments, read once */
	struct mail_part parts[SUBMIT_MAX_LIST];
	uint8_t *pdata[SUBMIT_MAX_LIST];
};

/* a line on stderr was printed: every non-zero exit must have one */
static int said;
static int lookup_exit;	/* the exit of the last failed host lookup, or 0 */

static void
usage(void)
{
	fputs(usage_text, stdout);
	fputs("\nSend the message on stdin; without -s, straight to each recipient's MX.\n"
	    "  -s, --server HOST[:PORT]  relay through this server (default: direct delivery)\n"
	    "  -p, --port PORT           port (default 25)\n"
	    "  -f, --from ADDR           envelope sender (and From: of a built message)\n"
	    "  -t, --read-recipients     recipients from To/Cc/Bcc too; Bcc is removed\n"
	    "  -S, --subject TEXT        Subject of a built message\n"
	    "  -a, --attach FILE         attach FILE (base64, multipart/mixed)\n"
	    "  -H, --header 'N: V'       add a header field\n"
	    "      --ehlo NAME           name to give in EHLO/HELO\n"
	    "      --auth plain|login    authenticate as -u USER\n"
	    "  -u, --user USER           the user for --auth\n"
	    "      --password-file FILE  its password (else ~/.netrc or SMTPSEND_PASSWORD)\n"
	    "      --batch MBOX          send every message of MBOX over one connection\n"
	    "      --via CMD             talk through CMD (%h host, %p port), e.g. openssl s_client\n"
	    "      --tls MODE            required, opportunistic or off (default: STARTTLS when\n"
	    "                            offered; required with -s or --auth to non-loopback)\n"
	    "  -s smtps://HOST[:PORT]    TLS from the first byte (port 465)\n"
	    TLSOPT_HELP
	    "      --date DATE           Date: of generated headers (or SOURCE_DATE_EPOCH)\n"
	    "      --message-id ID       Message-ID: of generated headers\n"
	    "  -w, --deadline SECS       give up after SECS in all\n"
	    "  -W, --wait SECS           wait at most SECS for each whole reply (default 60)\n"
	    "  -n, --dry-run             print the message as it would be sent; send nothing\n"
	    "  -v, --verbose             the dialogue on stderr (C: / S:), then TCP_INFO\n"
	    "  -j, --json                NDJSON events\n"
	    "  -X, --layers              every command and reply decoded, on stderr\n"
	    "  -4, -6                    IPv4 or IPv6 only\n"
	    "  -h, --help, -V, --version\n"
	    "Output: rcpt<TAB>ADDR<TAB>CODE<TAB>TEXT per recipient, data<TAB>CODE<TAB>TEXT per message.\n"
	    "Exit: 0 all accepted, 1 a 5xx refusal, 3 a 4xx or network failure, 2 local error.\n",
	    stdout);
}

/* --- small helpers ------------------------------------------------------------ */

/* a diagnostic holding peer text (replies, names from DNS): escaped as a whole */
#define warn_esc(...) (said = 1, tb_warn_peer(__VA_ARGS__))

/* the reply text on one line: lines joined with a space, escaped */
static void
put_text(FILE *fp, const char *t, size_t n)
{
	const char *p = t, *end = t + n, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		tb_escape(fp, p, nl ? (size_t)(nl - p) : (size_t)(end - p), 1);
		if (nl == NULL)
			break;
		fputc(' ', fp);
		p = nl + 1;
	}
}

/* --- the verdicts -------------------------------------------------------------- */

/*
 * What the replies mean for each recipient and message is
 * lib/session/smtpxact.c; here they are counted and printed.
 * AGAIN: the server limits messages per session; reconnect and go on.
 */
enum { OK = SMTP_OK, TEMP = SMTP_TEMP, PERM = SMTP_PERM, NET = SMTP_NET, AGAIN = SMTP_AGAIN };

/* a recipient's verdict (smtp_job_verdict filled r in) */
static void
verdict_out(void *arg, const struct sub_rcpt *r, int code, const char *text, size_t tlen,
    const char *server)
{
	struct ctx *x = arg;
	size_t enh;

	if (code / 100 == 2)
		x->accepted++;
	else if (code / 100 == 5)
		x->refused++;
	else
		x->deferred++;
	if (code)
		x->exitc = exit_worst(x->exitc, ts_code_exit(code));
	if (x->o.json) {
		js_begin(&x->js, stdout, "rcpt");
		js_str(&x->js, "rcpt", r->addr);
		if (code)
			js_int(&x->js, "code", code);
		else
			js_null(&x->js, "code");
		enh = code ? smtp_enhanced(text, tlen, code) : 0;
		if (enh)
			js_strn(&x->js, "enhanced", text, enh);
		else
			js_null(&x->js, "enhanced");
		js_strn(&x->js, "text", text, tlen);
		js_bool(&x->js, "accepted", code / 100 == 2);
		if (server)
			js_str(&x->js, "server", server);
		js_end(&x->js);
		return;
	}
	fputs("rcpt\t", stdout);
	tb_escape(stdout, r->addr, strlen(r->addr), 1);
	if (code)
		printf("\t%d\t", code);
	else
		fputs("\t-\t", stdout);
	put_text(stdout, text, tlen);
	fputc('\n', stdout);
}

/* a message's data line (m NULL: none in hand) */
static void
data_line(void *arg, struct sub_msg *m, int code, const char *text, size_t tlen, size_t bytes,
    int msgno)
{
	struct ctx *x = arg;

	if (m)
		m->done = 1;
	if (code / 100 == 2)
		x->sent++;
	else
		x->failed++;
	if (code)
		x->exitc = exit_worst(x->exitc, ts_code_exit(code));
	if (x->o.json) {
		size_t qoff = 0, ql = code ? smtp_queue_id(text, tlen, &qoff) : 0;

		js_begin(&x->js, stdout, "data");
		if (msgno)
			js_int(&x->js, "message", msgno);
		if (code)
			js_int(&x->js, "code", code);
		else
			js_null(&x->js, "code");
		if (code && smtp_enhanced(text, tlen, code))
			js_strn(&x->js, "enhanced", text, smtp_enhanced(text, tlen, code));
		js_strn(&x->js, "text", text, tlen);
		if (ql)
			js_strn(&x->js, "queue_id", text + qoff, ql);
		js_int(&x->js, "bytes", (long long)bytes);
		js_bool(&x->js, "sent", code / 100 == 2);
		js_end(&x->js);
		return;
	}
	if (code)
		printf("data\t%d\t", code);
	else
		fputs("data\t-\t", stdout);
	put_text(stdout, text, tlen);
	fputc('\n', stdout);
}

/* the messages (lib/sys/submit.c) */
static struct submit_src bsrc;

#define msg_at(x, k) submit_at(&bsrc, (k))
#define MSG(k) (*msg_at(x, (k)))

/* --- connecting ------------------------------------------------------------------ */

static void
json_connect(struct ctx *x, const char *domain, const char *host, const char *addr, uint16_t port)
{
	if (!x->o.json)
		return;
	js_begin(&x->js, stdout, "connect");
	if (domain)
		js_str(&x->js, "domain", domain);
	js_str(&x->js, "host", host);
	js_str(&x->js, "address", addr);
	js_int(&x->js, "port", port);
	js_ms(&x->js, "ms", tb_now() - x->t0);
	js_end(&x->js);
}

static void
closing(struct ctx *x, const char *label)
{
	if (x->o.verbose)
		tb_tcpinfo(stderr, x->c->rfd, label);
	if (x->o.json) {
		js_begin(&x->js, stdout, "close");
		js_str(&x->js, "host", label);
		js_int(&x->js, "bytes_out", (long long)x->c->nwritten);
		js_int(&x->js, "bytes_in", (long long)x->c->nread);
		if (x->job.tls_on)
			tlsopt_json(&x->js, "tls", &x->tinfo);
		else
			js_null(&x->js, "tls");
		tb_tcpinfo_json(&x->js, x->c->rfd);
		js_end(&x->js);
	}
	conn_close(x->c);
}

/* -s smtps://: TLS from the first byte (RFC 8314); 0, or -1 with *why */
static int
implicit_tls(struct ctx *x, const char *host, const char **why)
{
	static char wb[300];
	char line[200];

	x->job.tls_on = 0;
	if (x->o.tls != TLS_IMPLICIT)
		return 0;
	if (smtp_tls_implicit(x->c, &x->o.tlso, host, x->o.layers ? &x->lv : NULL, &x->tinfo,
	    wb, sizeof wb) < 0) {
		*why = wb;
		warn_esc("%s", wb);
		return -1;
	}
	x->job.tls_on = 1;
	if (x->o.verbose)
		warn_esc("TLS: %s", tlsopt_str(&x->tinfo, line, sizeof line));
	return 0;
}

/*
 * One session on the open connection (lib/session/smtpxact.c), with
 * STARTTLS as --tls says: by default whenever the server offers it, and
 * required (no message, no AUTH in clear) when relaying (-s) or
 * authenticating to an address that is not loopback; with --tls
 * opportunistic only when offered; never with --tls off.
 */
static int
session(struct ctx *x, size_t nmsg, const char *host, int can_retry)
{
	int must = x->o.tls == TLS_AUTO && (x->o.server || x->o.auth) && !x->loopback &&
	    !x->o.via;

	if (x->o.tls == TLS_OFF || x->o.tls == TLS_IMPLICIT)
		x->job.tls = SMTP_TLS_NEVER;
	else if (x->o.tls == TLS_REQUIRED)
		x->job.tls = SMTP_TLS_REQUIRED;
	else
		x->job.tls = must ? SMTP_TLS_MUST : SMTP_TLS_OFFERED;
	return smtp_job_session(&x->job, nmsg, host, can_retry);
}

static void
init_conn(struct ctx *x)
{
	x->c->idle = x->o.wait;
	x->c->deadline = x->o.deadline;
	x->c->trace = x->o.verbose ? stderr : NULL;
	x->c->lv = x->o.layers ? &x->lv : NULL;	/* every TCP segment too */
}

/*
 * Try one host: its addresses (or --via), a session on the first that
 * answers.  OK when the recipients got their verdicts here.
 */
static int
try_host(struct ctx *x, size_t nmsg, const char *domain, const char *host,
    int can_retry, const char **why)
{
	struct tb_addr a[16];
	char as[TB_ADDRSTRLEN], label[600];
	int n, i, rc = NET;

	if (x->o.via) {
		init_conn(x);
		if (conn_via(x->c, x->o.via, host, x->o.port) < 0) {
			*why = strerror(errno);
			return NET;
		}
		init_conn(x);
		x->loopback = 0;
		if (implicit_tls(x, host, why) < 0)
			return NET;
		json_connect(x, domain, host, "via", x->o.port);
		rc = session(x, nmsg, host, can_retry);
		closing(x, host);
		*why = x->job.why;
		if (rc == AGAIN)
			return try_host(x, nmsg, domain, host, can_retry, why);
		return rc;
	}
	n = tb_resolve(host, x->o.family, a, 16, why);
	if (n <= 0) {
		static char wb[400];

		/* the one rule for a failed lookup (tubes(7)): its words and exit */
		lookup_exit = tb_lookup_failed(host, n, *why, wb, sizeof wb);
		*why = wb;
		return n == 0 ? PERM : NET;
	}
	for (i = 0; i < n; i++) {
		if (tb_interrupted)
			break;
		tb_addr_str(&a[i], as, sizeof as);
		init_conn(x);
		if (conn_tcp(x->c, &a[i], x->o.port, x->o.wait) < 0) {
			static char wb[400];

			snprintf(wb, sizeof wb, "%s (%s) port %u: %s", host, as, x->o.port, strerror(errno));
			*why = wb;
			warn_esc("%s", wb);
			continue;
		}
		init_conn(x);
		if (x->o.verbose)
			warn_esc("connected to %s (%s) port %u", host, as, x->o.port);
		x->loopback = tb_addr_loopback(&a[i]);
		if (implicit_tls(x, host, why) < 0)
			continue;
		json_connect(x, domain, host, as, x->o.port);
		if (domain && !x->o.json) {
			fputs("server\t", stdout);
			tb_escape(stdout, domain, strlen(domain), 1);
			fputc('\t', stdout);
			tb_escape(stdout, host, strlen(host), 1);
			printf("\t%s\n", as);
		}
		rc = session(x, nmsg, host, can_retry && i + 1 < n ? 1 : can_retry);
		snprintf(label, sizeof label, "%s (%s)", host, as);
		closing(x, label);
		*why = x->job.why;
		if (rc == AGAIN) {
			i--;	/* the same address again, for the rest */
			continue;
		}
		if (rc == OK)
			return OK;
	}
	return rc;
}

static int
cmp_domain(const void *a, const void *b)
{
	const struct sub_rcpt *ra = a, *rb = b;
	const char *da = smtp_addr_domain(ra->addr), *db = smtp_addr_domain(rb->addr);

	int c = strcasecmp(da ? da : "", db ? db : "");

	return c ? c : ra->idx < rb->idx ? -1 : ra->idx > rb->idx;
}

/* try_host for the recipients of one domain: the session sees them as the message's */
static int
try_group(struct ctx *x, struct sub_msg *g, const char *dom, const char *host, int can_retry,
    const char **why)
{
	struct sub_msg whole = bsrc.held;
	int rc;

	bsrc.held = *g;
	rc = try_host(x, 1, dom, host, can_retry, why);
	bsrc.held = whole;
	return rc;
}

/* direct delivery: recipients grouped by domain, each domain's MX by preference */
static void
deliver_direct(struct ctx *x, struct sub_msg *m)
{
	struct tb_mx *mx = tb_xmalloc(sizeof *mx * 16);
	struct sub_rcpt *all = m->r;
	size_t nall = m->nr, i = 0, j;

	qsort(all, nall, sizeof *all, cmp_domain);
	while (i < nall && !tb_interrupted) {
		const char *dom = smtp_addr_domain(all[i].addr);
		const char *why = "no mail exchanger answered";
		struct sub_msg g = *m;
		int n, k, rc = NET;

		if (dom == NULL) {
			smtp_job_verdict(&x->job, &all[i], 0, "no domain to deliver to", 23, NULL);
			x->exitc = exit_worst(x->exitc, EXIT_LOCAL);
			i++;
			continue;
		}
		for (j = i + 1; j < nall; j++) {
			const char *d2 = smtp_addr_domain(all[j].addr);

			if (d2 == NULL || strcasecmp(d2, dom) != 0)
				break;
		}
		g.r = all + i;
		g.nr = j - i;
		n = smtp_route(dom, mx, 16, &why);
		if (n == -2)
			tb_die(EXIT_LOCAL, "MX lookup for %s: %s", dom, why);
		if (n <= 0) {
			char t[300];

			/* RFC 7505 null MX: this domain takes no mail */
			snprintf(t, sizeof t, n == 0 ? "the domain accepts no mail (null MX)" :
			    "MX lookup for %s: %s", dom, why);
			for (k = 0; k < (int)g.nr; k++)
				smtp_job_verdict(&x->job, &g.r[k], 0, t, strlen(t), NULL);
			x->exitc = exit_worst(x->exitc, n == 0 ? EXIT_NO : EXIT_NET);
			data_line(x, NULL, 0, "not sent", 8, 0, 0);
			i = j;
			continue;
		}
		for (k = 0; k < n && !tb_interrupted; k++) {
			if (x->o.verbose && dom[0] != '[')
				warn_esc("%s: MX %u %s", dom, mx[k].pref, mx[k].host);
			rc = try_group(x, &g, dom, mx[k].host, k + 1 < n, &why);
			if (rc == OK)
				break;
		}
		if (rc != OK) {
			char t[300];
			int perm = rc == PERM;

			snprintf(t, sizeof t, "%s", why ? why : "no mail exchanger answered");
			for (k = 0; k < (int)g.nr; k++)
				if (!g.r[k].final)
					smtp_job_verdict(&x->job, &g.r[k], 0, t, strlen(t), NULL);
			x->exitc = exit_worst(x->exitc, perm ? EXIT_NO : EXIT_NET);
			data_line(x, NULL, 0, "not sent", 8, 0, 0);
		}
		i = j;
	}
	tb_free(mx);
}

/* --- main --------------------------------------------------------------------------- */

/* -s HOST[:PORT] (lib/wire/url.c): a bad one is a usage error, before any packet */
static void
split_server(struct ctx *x, const char *arg, char *host, size_t cap)
{
	const char *why;

	if (strncmp(arg, "smtps://", 8) == 0) {
		/* RFC 8314: TLS from the first byte, port 465 unless named */
		if (x->o.tls == TLS_OFF)
			tb_usage_error("--tls off with -s smtps://");
		x->o.tls = TLS_IMPLICIT;
		arg += 8;
		if (x->o.port == 25)
			x->o.port = 465;
	}
	if (url_host_port(arg, strlen(arg), host, cap, &x->o.port, &why) < 0)
		tb_usage_error("-s: %s in %s", why, arg);
}

/* the options into x->o; returns optind */
static int
parse_args(struct ctx *x, int argc, char **argv)
{
	enum { O_EHLO = 256, O_AUTH, O_PWFILE, O_BATCH, O_VIA, O_DATE, O_MSGID, O_TLS };
	static const struct option lo[] = {
		{ "server", required_argument, NULL, 's' },
		{ "port", required_argument, NULL, 'p' },
		{ "from", required_argument, NULL, 'f' },
		{ "read-recipients", no_argument, NULL, 't' },
		{ "subject", required_argument, NULL, 'S' },
		{ "attach", required_argument, NULL, 'a' },
		{ "header", required_argument, NULL, 'H' },
		{ "user", required_argument, NULL, 'u' },
		{ "ehlo", required_argument, NULL, O_EHLO },
		{ "auth", required_argument, NULL, O_AUTH },
		{ "password-file", required_argument, NULL, O_PWFILE },
		{ "batch", required_argument, NULL, O_BATCH },
		{ "via", required_argument, NULL, O_VIA },
		{ "date", required_argument, NULL, O_DATE },
		{ "message-id", required_argument, NULL, O_MSGID },
		{ "deadline", required_argument, NULL, 'w' },
		{ "wait", required_argument, NULL, 'W' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'j' },
		{ "layers", no_argument, NULL, 'X' },
		{ "tls", required_argument, NULL, O_TLS },
		TLSOPT_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	long long v;
	int ch;

	while ((ch = getopt_long(argc, argv, "46a:f:H:hjknp:S:s:tu:VvW:w:X", lo, NULL)) != -1) {
		switch (ch) {
		case '4': x->o.family = 2; break;
		case '6': x->o.family = 10; break;
		case 'a':
			if (x->o.nattach >= SUBMIT_MAX_LIST)
				tb_usage_error("-a: at most %d attachments", SUBMIT_MAX_LIST);
			x->o.attach[x->o.nattach++] = optarg;
			break;
		case 'f': x->o.from = optarg; break;
		case 'H': {
			const char *c = strchr(optarg, ':');

			if (c == NULL || !mail_name_ok(optarg, (size_t)(c - optarg)) || !mail_value_ok(c))
				tb_usage_error("-H: not a header field (Name: value, no CR or LF): refused");
			if (x->o.nhdr >= SUBMIT_MAX_LIST)
				tb_usage_error("-H: at most %d fields", SUBMIT_MAX_LIST);
			x->o.hdr[x->o.nhdr++] = optarg;
			break;
		}
		case 'h': usage(); tb_exit(EXIT_OK);
		case 'j': x->o.json = 1; break;
		case 'n': x->o.dry = 1; break;
		case 'p':
			if (tb_num(optarg, 1, 65535, &v) < 0)
				tb_usage_error("-p: bad port %s", optarg);
			x->o.port = (uint16_t)v;
			break;
		case 'S':
			if (!mail_value_ok(optarg))
				tb_usage_error("-S: CR or LF in the subject: refused");
			x->o.subject = optarg;
			break;
		case 's': x->o.server = optarg; break;
		case 't': x->o.tflag = 1; break;
		case 'u': x->o.user = optarg; break;
		case 'V': printf("smtpsend (tubes) %s\n", TUBES_VERSION); tb_exit(EXIT_OK);
		case 'v': x->o.verbose = 1; break;
		case 'W':
			if (tb_secs(optarg, 86400, &x->o.wait) < 0 || x->o.wait == 0)
				tb_usage_error("-W: bad wait %s", optarg);
			break;
		case 'w':
			if (tb_secs(optarg, 86400 * 7, &x->o.deadline) < 0 || x->o.deadline == 0)
				tb_usage_error("-w: bad deadline %s", optarg);
			x->o.deadline += tb_now();
			break;
		case 'X': x->o.layers = 1; break;
		case O_EHLO: x->o.ehlo = optarg; break;
		case O_AUTH:
			if (strcasecmp(optarg, "plain") != 0 && strcasecmp(optarg, "login") != 0)
				tb_usage_error("--auth: plain or login, not %s", optarg);
			x->o.auth = strcasecmp(optarg, "plain") == 0 ? "plain" : "login";
			break;
		case O_PWFILE: x->o.pwfile = optarg; break;
		case O_BATCH: x->o.batch = optarg; break;
		case O_VIA: x->o.via = optarg; break;
		case O_DATE:
			if (!mail_value_ok(optarg))
				tb_usage_error("--date: CR or LF: refused");
			x->o.date = optarg;
			break;
		case O_MSGID:
			if (!mail_value_ok(optarg) || strchr(optarg, ' '))
				tb_usage_error("--message-id: CR, LF or space: refused");
			x->o.msgid = optarg;
			break;
		case O_TLS:
			if (strcmp(optarg, "required") == 0)
				x->o.tls = TLS_REQUIRED;
			else if (strcmp(optarg, "opportunistic") == 0)
				x->o.tls = TLS_OPPORTUNISTIC;
			else if (strcmp(optarg, "off") == 0)
				x->o.tls = TLS_OFF;
			else
				tb_usage_error("--tls: required, opportunistic or off");
			break;
		default:
			if (!tlsopt_arg(&x->o.tlso, ch, optarg))
				tb_bad_option();
		}
	}
	return optind;
}

/* the options together, who we are, the password: all before the first packet */
static void
check_args(struct ctx *x, char **argv, int argc, const char *server)
{
	static char from[600];
	int i;

	if (x->o.auth && x->o.user == NULL)
		tb_usage_error("--auth needs -u user");
	if (x->o.user && x->o.auth == NULL)
		tb_usage_error("-u needs --auth");
	if (x->o.user && (!mail_value_ok(x->o.user) || x->o.user[0] == '\0'))
		tb_usage_error("-u: empty, or a CR or LF in the user name: refused");
	if (x->o.batch && x->o.server == NULL && !x->o.dry)
		tb_usage_error("--batch needs -s (a relay)");
	if (x->o.batch && x->o.nattach)
		tb_usage_error("--batch and -a do not go together");
	if (x->o.via && x->o.server == NULL)
		tb_usage_error("--via needs -s (the host and port it is given)");
	/* who we are */
	if (x->o.ehlo) {
		if (!mail_value_ok(x->o.ehlo) || strchr(x->o.ehlo, ' '))
			tb_usage_error("--ehlo: CR, LF or space: refused");
		snprintf(x->host, sizeof x->host, "%s", x->o.ehlo);
	} else if (gethostname(x->host, sizeof x->host - 1) < 0 || x->host[0] == '\0') {
		snprintf(x->host, sizeof x->host, "localhost");
	}
	if (x->o.from == NULL) {
		const char *u = getenv("USER");

		if (u == NULL || *u == '\0' || smtp_addr_ok(u, 0) < 0 || strchr(u, '@'))
			u = "nobody";
		snprintf(from, sizeof from, "%.64s@%.255s", u, x->host);
		x->o.from = from;
	}
	if (smtp_addr_ok(x->o.from, 1) < 0)
		tb_usage_error("-f: sender address refused (control byte, <, >, space or bad form)");
	if (x->o.auth && !x->o.dry) {
		const char *why;

		if (tb_password(x->o.pwfile, server, x->o.user, "SMTPSEND_PASSWORD",
		    x->pass, sizeof x->pass, &why) < 0)
			tb_die(EXIT_LOCAL, "password for %s: %s", x->o.user, why);
		if (!mail_value_ok(x->pass))
			tb_die(EXIT_LOCAL, "password: CR or LF in it");
	}
	for (i = 0; i < argc; i++)
		if (smtp_addr_ok(argv[i], 0) < 0)
			tb_usage_error("recipient address refused (control byte, <, >, space or bad form)");
}

/* the message from stdin, or the mbox's each prepared once: how many */
static size_t
load_messages(struct ctx *x, char **argv, int argc)
{
	size_t inlen;
	uint8_t *in;

	if (x->o.batch)
		return submit_src_mbox(&bsrc, &x->sb, x->o.batch, argv, argc);
	in = submit_slurp(0, "stdin", &inlen);
	submit_src_one(&bsrc, &x->sb, in, inlen, argv, argc);
	tb_free(in);
	return 1;
}

/* -n: the message(s) as they would go, an mbox for a batch */
static void
dry_run(struct ctx *x, size_t nmsg)
{
	size_t i;

	for (i = 0; i < nmsg; i++)
		submit_print(stdout, msg_at(x, i), nmsg > 1, x->o.from);
	tb_exit(EXIT_OK);
}

/* through the relay, or straight to each domain's MX */
static void
send_all(struct ctx *x, size_t nmsg, const char *server)
{
	size_t i;

	if (x->o.server) {
		const char *why = NULL;

		lookup_exit = 0;
		if (try_host(x, nmsg, NULL, server, 0, &why) != OK) {
			char t[300];

			if (lookup_exit) {
				tb_warn("%s", why);	/* the lookup's own words, once */
				said = 1;
			}

			snprintf(t, sizeof t, "%s", why ? why : "failed");
			for (i = bsrc.cur; i < nmsg; i++) {
				if (MSG(i).done)
					continue;
				smtp_job_rest(&x->job, msg_at(x, i), 0, t, server);
				data_line(x, msg_at(x, i), 0, "not sent", 8, 0, nmsg > 1 ? (int)i + 1 : 0);
			}
			x->exitc = exit_worst(x->exitc, lookup_exit ? lookup_exit : EXIT_NET);
		}
	} else {
		deliver_direct(x, &bsrc.held);
	}
}

/* the exit status by the results; the summary line (stderr, and -j) */
static void
summary(struct ctx *x, size_t nmsg)
{
	size_t i;

	if (tb_interrupted) {
		/* exit by the results: 3 if anything was left undone */
		warn_esc("interrupted");
		for (i = bsrc.cur; i < nmsg; i++) {
			struct sub_msg *m = msg_at(x, i);
			size_t k;

			for (k = 0; k < m->nr; k++)
				if (!m->r[k].final)
					x->exitc = exit_worst(x->exitc, EXIT_NET);
			if (!m->done && x->o.server)
				x->exitc = exit_worst(x->exitc, EXIT_NET);
		}
	}
	x->exitc = exit_worst(x->exitc, x->job.exitc);
	if (x->exitc != EXIT_OK && !said && !x->job.said) {
		/* the verdicts are on stdout; stderr still says why the exit is not 0 */
		warn_esc("%u of %zu message%s sent; %u recipient%s refused, %u deferred",
		    x->sent, nmsg, nmsg == 1 ? "" : "s", x->refused, x->refused == 1 ? "" : "s",
		    x->deferred);
	}
	if (x->o.json) {
		js_begin(&x->js, stdout, "summary");
		js_int(&x->js, "messages", (long long)nmsg);
		js_int(&x->js, "sent", x->sent);
		js_int(&x->js, "not_sent", x->failed);
		js_int(&x->js, "accepted", x->accepted);
		js_int(&x->js, "refused", x->refused);
		js_int(&x->js, "deferred", x->deferred);
		js_ms(&x->js, "ms", tb_now() - x->t0);
		js_int(&x->js, "exit", x->exitc);
		js_end(&x->js);
	}
}

int
main(int argc, char **argv)
{
	static struct ctx ctx;
	static struct conn conn;
	struct ctx *x = &ctx;
	char server[256];
	size_t nmsg, i;
	int n;

	tb_init(argv[0]);
	argv[0] = (char *)tb_prog;	/* getopt's one line reads "NAME: ..." */
	x->t0 = tb_now();
	x->c = &conn;
	x->lv.fp = stderr;
	x->o.port = 25;
	x->o.wait = 60000000;
	x->o.deadline = -1;
	server[0] = '\0';
	n = parse_args(x, argc, argv);
	argc -= n;
	argv += n;
	if (x->o.server)
		split_server(x, x->o.server, server, sizeof server);
	check_args(x, argv, argc, server);
	if (x->o.json)
		x->lv.fp = stderr;
	if (x->o.layers) {
		dns_resolver_layers(&x->lv);	/* the DNS packets of the lookups, too */
		dns_layers_fields(dns_rdata_layers);	/* MX records in fields */
	}
	tb_catch_signals();
	x->sb = (struct submit){ .from = x->o.from, .subject = x->o.subject, .date = x->o.date,
	    .msgid = x->o.msgid, .host = x->host, .hdr = x->o.hdr, .nhdr = x->o.nhdr,
	    .tflag = x->o.tflag, .parts = x->parts, .nparts = x->o.nattach };
	submit_attach(x->parts, x->pdata, x->o.attach, x->o.nattach);
	x->job = (struct smtp_job){ .c = x->c, .src = &bsrc, .from = x->o.from, .ehlo = x->host,
	    .user = x->o.user, .pass = x->pass, .tlso = &x->o.tlso, .tinfo = &x->tinfo,
	    .transcript = x->o.verbose ? stderr : NULL, .lv = x->o.layers ? &x->lv : NULL,
	    .wait = x->o.wait, .deadline = x->o.deadline, .rcpt = verdict_out, .data = data_line,
	    .arg = x };
	if (x->o.auth)
		x->job.auth = strcmp(x->o.auth, "plain") == 0 ? SMTP_AUTH_PLAIN : SMTP_AUTH_LOGIN;
	nmsg = load_messages(x, argv, argc);
	if (x->o.dry)
		dry_run(x, nmsg);
	send_all(x, nmsg, server);
	tb_wipe(x->pass, sizeof x->pass);
	summary(x, nmsg);
	submit_src_free(&bsrc);
	for (i = 0; i < (size_t)x->o.nattach; i++)
		tb_free(x->pdata[i]);
	tb_exit(x->exitc);
}
