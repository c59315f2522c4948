/*
 * pop3get - fetch mail over POP3 into a Maildir, an mbox or a pipe, and
 * never lose a message: DELE only after the local copy is durable, RSET
 * before QUIT on any local failure.  RFC 1939, RFC 2449.
 *
 * Here: the options, the order of work (connect, TLS, log in, list,
 * choose, then fetch, list or scan) and the output.  The conversation
 * is lib/session/pop3sess.c; which messages are taken and their
 * delivery without loss lib/session/pop3fetch.c, into the sinks and
 * the state file of lib/sys/deliver.c.
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
#include <unistd.h>

#include "dnsnet.h"
#include "deliver.h"
#include "pop3.h"
#include "mime.h"
#include "conn.h"
#include "pop3fetch.h"
#include "pop3sess.h"
#include "tls/tlsopt.h"
#include "secret.h"
#include "spool.h"
#include "tubes.h"
#include "url.h"

#define USAGE \
"usage: pop3get [-u user] [--password-file F] [--apop] [-l] [--scan]\n" \
"               [-d maildir | -m mbox | -o - | --exec CMD] [-N] [--state F]\n" \
"               [--delete] [-n max] [--max-size N] [-w deadline] [-W idle]\n" \
"               [-4|-6] [-s] [-v] [-j] [-X] [--via CMD] [--tls MODE]\n" \
"               [--cacert F] [--capath D] [-k] [--tls-min V] [--tls-max V]\n" \
"               [--pinnedpubkey P]\n" \
"               pop3[s]://[user@]host[:port]/[msgnum]\n"

#define SCAN_MAX 65536		/* header bytes kept per message for --scan */
#define CAPA_MAX 65536		/* octets of a CAPA listing */

enum { MODE_FETCH, MODE_LIST, MODE_SCAN };
enum { TLS_AUTO, TLS_REQUIRED, TLS_OFF, TLS_IMPLICIT };

static struct opts {
	const char *user, *pwfile, *maildir, *mbox, *out, *exec, *state, *via;
	int apop, mode, newonly, del, quiet, verbose, json, layers, family;
	int tls;		/* TLS_AUTO, TLS_REQUIRED, TLS_OFF; pop3s: TLS_IMPLICIT */
	struct tlsopt tlso;
	long long max, maxsize;
	int64_t deadline, idle;
} o = { .family = AF_UNSPEC, .max = -1, .deadline = -1, .idle = 60000000 };

static struct conn *c;
static struct json js;
static struct layers lv;
static struct p3list L;		/* the listing: STAT, LIST, UIDL */
static int64_t run_deadline = -1;	/* -w, absolute */

static void
usage(void)
{
	fputs(USAGE, stdout);
	fputs("\n"
	    "  -u, --user USER       login name (or the URL's user)\n"
	    "      --password-file F read the password from F (mode 600)\n"
	    "      --apop            log in with APOP (if the greeting has a timestamp)\n"
	    "  -l, --list            num, size, uidl per message (LIST, UIDL)\n"
	    "      --scan            num, size, uidl, date, from, subject (TOP n 0)\n"
	    "  -d, --maildir DIR     deliver into a Maildir (tmp/ -> new/)\n"
	    "  -m, --mbox FILE       append to an mbox (locked)\n"
	    "  -o, --output -        write an mbox stream on stdout\n"
	    "      --exec CMD        run CMD per message, message on stdin\n"
	    "  -N, --new             only messages not fetched before (UIDL state)\n"
	    "      --state FILE      the state file (default beside the Maildir or mbox)\n"
	    "      --delete          delete each message once it is safely stored\n"
	    "  -n, --max N           at most N messages\n"
	    "      --max-size N      leave messages over N octets on the server\n"
	    "  -w, --deadline S      give up after S seconds in all\n"
	    "  -W, --idle S          give up after S seconds of silence (default 60)\n"
	    "  -4, -6                IPv4 or IPv6 only\n"
	    "  -s, --quiet           no summary\n"
	    "  -v, --verbose         the dialogue on stderr (password masked), TCP_INFO\n"
	    "  -j, --json            NDJSON events on stdout\n"
	    "  -X, --layers          every command and reply decoded, on stderr\n"
	    "      --via CMD         connect through CMD (%h host, %p port)\n"
	    "      --tls MODE        required, or off; by default STLS when offered, and\n"
	    "                        no password in clear but to loopback (pop3s://: TLS)\n"
	    TLSOPT_HELP
	    "  -h, --help            this help\n"
	    "  -V, --version         version\n", stdout);
	tb_exit(EXIT_OK);
}

/* --- talking ---------------------------------------------------------------- */

static struct p3 P;		/* the session (lib/session/pop3sess.c) */
static struct p3fetch F;	/* the choice and the delivery (lib/session/pop3fetch.c) */

/* a -ERR to what: on stderr, and a -j error object */
static void
report_err(void *arg, const char *what, const struct pop3_status *s)
{
	char esc[600];

	(void)arg;
	tb_escape_buf(esc, sizeof esc, s->text, s->textlen);
	if (s->code) {
		char code[80];

		tb_escape_buf(code, sizeof code, s->code, s->codelen);
		tb_warn("%s refused: [%s] %s", what, code, esc);
	} else {
		tb_warn("%s refused: %s", what, esc);
	}
	if (o.json) {
		js_begin(&js, stdout, "error");
		js_str(&js, "command", what);
		if (s->code)
			js_strn(&js, "code", s->code, s->codelen);
		js_strn(&js, "text", s->text, s->textlen);
		js_end(&js);
	}
}

/* --- --scan: headers from TOP n 0 ---------------------------------------------- */

struct hdr {
	char buf[SCAN_MAX];
	size_t len;
};

static int
hdr_fn(void *arg, const uint8_t *p, size_t n)
{
	struct hdr *h = arg;
	size_t k = n < sizeof h->buf - h->len ? n : sizeof h->buf - h->len;

	memcpy(h->buf + h->len, p, k);
	h->len += k;
	return 0;
}

static void
field(const struct hdr *h, const char *name, char *out, size_t cap)
{
	char raw[1024];

	if (pop3_header(h->buf, h->len, name, raw, sizeof raw) < 0) {
		snprintf(out, cap, "-");
		return;
	}
	mime_decode_words(out, cap, raw, strlen(raw));
}

/* --- delivery ------------------------------------------------------------------- */

static struct sink sink;
static struct uidstate state;
static int have_state;

/* a message delivered (durable) to where */
static void
print_delivered(void *arg, const struct p3msg *m, const char *where, uint64_t got)
{
	FILE *fp = o.out ? stderr : stdout;

	(void)arg;
	if (o.json) {
		js_begin(&js, stdout, "message");
		js_int(&js, "num", (long long)m->num);
		js_str(&js, "uidl", m->uid[0] ? m->uid : NULL);
		js_int(&js, "size", (long long)m->size);
		js_int(&js, "octets", (long long)got);
		js_str(&js, "path", where);
		js_end(&js);
		return;
	}
	if (o.out && o.quiet)
		return;
	fprintf(fp, "%llu\t%s\t%llu\t", (unsigned long long)m->num, m->uid[0] ? m->uid : "-",
	    (unsigned long long)got);
	tb_escape(fp, where, strlen(where), 1);
	fputc('\n', fp);
}

/* --- main ---------------------------------------------------------------------- */

static int64_t t0;
static const char *host;
static struct tls_info tinfo;	/* the TLS of the session, if any */
static int tls_on;

static void
summary(int ex)
{
	if (o.json) {
		js_begin(&js, stdout, "summary");
		js_str(&js, "server", host);
		if (L.count != POP3_NOCOUNT)
			js_int(&js, "messages", (long long)L.count);
		js_int(&js, "delivered", (long long)F.delivered);
		js_int(&js, "deleted", (long long)F.deleted);
		js_int(&js, "failed", (long long)F.failed);
		js_int(&js, "skipped", (long long)F.skipped);
		js_int(&js, "octets", (long long)F.octets);
		js_ms(&js, "time_ms", tb_now() - t0);
		if (tls_on)
			tlsopt_json(&js, "tls", &tinfo);
		else
			js_null(&js, "tls");
		js_int(&js, "exit", ex);
		js_end(&js);
	}
	if (!o.quiet && o.mode == MODE_FETCH)
		fprintf(stderr, "%s: %lu message%s (%llu octets) delivered, %lu deleted, "
		    "%lu failed, %.3f s\n", tb_prog, F.delivered, F.delivered == 1 ? "" : "s",
		    (unsigned long long)F.octets, F.deleted, F.failed, (tb_now() - t0) / 1e6);
}

static void
finish(int ex)
{
	if (c->rfd >= 0 && o.verbose && c->via_pid == 0)
		tb_tcpinfo(stderr, c->rfd, host);
	conn_close(c);
	if (sink.kind != SINK_EXEC || sink.path[0])
		sink_close(&sink);
	summary(ex);
	tb_exit(ex);
}

/* the options, checked; the URL into *u, a message number into *want (0: all) */
static void
parse_args(int argc, char **argv, struct url *u, uint64_t *want)
{
	enum { O_PWFILE = 256, O_APOP, O_SCAN, O_EXECCMD, O_STATE, O_DELETE, O_VIA, O_MAXSIZE,
		O_TLS };
	static const struct option lopts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "password-file", required_argument, NULL, O_PWFILE },
		{ "apop", no_argument, NULL, O_APOP },
		{ "list", no_argument, NULL, 'l' },
		{ "scan", no_argument, NULL, O_SCAN },
		{ "maildir", required_argument, NULL, 'd' },
		{ "mbox", required_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "exec", required_argument, NULL, O_EXECCMD },
		{ "new", no_argument, NULL, 'N' },
		{ "state", required_argument, NULL, O_STATE },
		{ "delete", no_argument, NULL, O_DELETE },
		{ "max", required_argument, NULL, 'n' },
		{ "max-size", required_argument, NULL, O_MAXSIZE },
		{ "deadline", required_argument, NULL, 'w' },
		{ "idle", required_argument, NULL, 'W' },
		{ "quiet", no_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'j' },
		{ "layers", no_argument, NULL, 'X' },
		{ "via", required_argument, NULL, O_VIA },
		{ "tls", required_argument, NULL, O_TLS },
		TLSOPT_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *why = NULL;
	int ch, nsinks;

	while ((ch = getopt_long(argc, argv, "46d:hjklm:Nn:o:su:VvW:w:X", lopts, NULL)) != -1) {
		switch (ch) {
		case '4': o.family = AF_INET; break;
		case '6': o.family = AF_INET6; break;
		case 'd': o.maildir = optarg; break;
		case 'h': usage(); break;
		case 'j': o.json = 1; break;
		case 'l': o.mode = MODE_LIST; break;
		case 'm': o.mbox = optarg; break;
		case 'N': o.newonly = 1; break;
		case 'n':
			if (tb_num(optarg, 1, 10000000, &o.max) < 0)
				tb_usage_error("-n: bad count '%s'", optarg);
			break;
		case 'o':
			if (strcmp(optarg, "-") != 0)
				tb_usage_error("-o: only '-' (stdout) is supported; use -m for a file");
			o.out = optarg;
			break;
		case 's': o.quiet = 1; break;
		case 'u': o.user = optarg; break;
		case 'V': printf("pop3get (tubes) " TUBES_VERSION "\n"); tb_exit(EXIT_OK);
		case 'v': o.verbose = 1; break;
		case 'W':
			if (tb_secs(optarg, 86400, &o.idle) < 0 || o.idle == 0)
				tb_usage_error("-W: bad time '%s'", optarg);
			break;
		case 'w':
			if (tb_secs(optarg, 86400 * 7, &o.deadline) < 0 || o.deadline == 0)
				tb_usage_error("-w: bad time '%s'", optarg);
			break;
		case 'X': o.layers = 1; break;
		case O_PWFILE: o.pwfile = optarg; break;
		case O_APOP: o.apop = 1; break;
		case O_SCAN: o.mode = MODE_SCAN; break;
		case O_EXECCMD: o.exec = optarg; break;
		case O_STATE: o.state = optarg; break;
		case O_DELETE: o.del = 1; break;
		case O_VIA: o.via = optarg; break;
		case O_TLS:
			if (strcmp(optarg, "required") == 0)
				o.tls = TLS_REQUIRED;
			else if (strcmp(optarg, "off") == 0)
				o.tls = TLS_OFF;
			else
				tb_usage_error("--tls: required or off");
			break;
		case O_MAXSIZE:
			if (tb_num(optarg, 1, (long long)POP3_MAXSIZE, &o.maxsize) < 0)
				tb_usage_error("--max-size: bad size '%s'", optarg);
			break;
		default:
			if (!tlsopt_arg(&o.tlso, ch, optarg))
				tb_bad_option();
		}
	}
	if (optind != argc - 1)
		tb_usage_error(optind < argc ? "one server URL only" : "no server URL given");
	if (url_parse(argv[optind], u, &why) < 0)
		tb_usage_error("%s: %s", argv[optind], why ? why : "bad URL");
	if (strcmp(u->scheme, "pop3s") == 0) {
		if (o.tls == TLS_OFF)
			tb_usage_error("--tls off with a pop3s:// URL");
		o.tls = TLS_IMPLICIT;
	} else if (u->scheme[0] && strcmp(u->scheme, "pop3") != 0) {
		tb_usage_error("%s: only pop3:// and pop3s:// URLs", argv[optind]);
	}
	if (u->port == 0)
		u->port = o.tls == TLS_IMPLICIT ? 995 : 110;
	*want = 0;
	if (u->path[0] && strcmp(u->path, "/") != 0) {
		long long v;

		if (tb_num(u->path + (u->path[0] == '/'), 1, POP3_MAXNUM, &v) < 0)
			tb_usage_error("%s: the path must be a message number", argv[optind]);
		*want = (uint64_t)v;
	}
	nsinks = !!o.maildir + !!o.mbox + !!o.out + !!o.exec;
	if (nsinks > 1)
		tb_usage_error("-d, -m, -o and --exec exclude each other");
	if (o.mode == MODE_FETCH && nsinks == 0)
		tb_usage_error("nothing to deliver to: give -d DIR, -m FILE, -o - or --exec CMD (or -l, --scan)");
	if (o.mode != MODE_FETCH && (nsinks || o.del))
		tb_usage_error("-l and --scan fetch nothing: no -d, -m, -o, --exec or --delete with them");
	if (o.json && o.out)
		tb_usage_error("-j and -o - both want stdout");
	if (o.newonly && !o.state && !o.maildir && !o.mbox)
		tb_usage_error("--new with -o - or --exec needs --state FILE");
}

/* the sink and the state file, opened before the first packet: a local error costs no connection */
static void
open_sink(const char *account)
{
	static char statepath[4200];
	const char *why = NULL;
	int kind = o.maildir ? SINK_MAILDIR : o.mbox ? SINK_MBOX : o.out ? SINK_STREAM : SINK_EXEC;
	const char *path = o.maildir ? o.maildir : o.mbox ? o.mbox : o.exec;

	/* the locks are waited for 10 s, or -W if shorter */
	if (sink_open(&sink, kind, path, 1, o.idle < 10000000 ? o.idle : 10000000, &why) < 0) {
		if (why == sink.lockwhy)
			tb_die(EXIT_LOCAL, "cannot take the mbox dotlock: %s", why);
		tb_die(EXIT_LOCAL, "%s: %s: %s", path ? path : "-", why, strerror(errno));
	}
	if (sink.stale)
		tb_warn("%s.lock: removed a stale dotlock (its process is gone, or it was 5 minutes old)", path);
	/* every run that delivers records what it delivered, so -N works from the first */
	if (!o.newonly && !o.state && !o.maildir && !o.mbox)
		return;
	if (o.state)
		snprintf(statepath, sizeof statepath, "%s", o.state);
	else if (o.maildir)
		snprintf(statepath, sizeof statepath, "%s/.pop3get-uidl", o.maildir);
	else
		snprintf(statepath, sizeof statepath, "%s.pop3get-uidl", o.mbox);
	if (state_load(&state, statepath, account, &why) < 0) {
		if (o.newonly)
			tb_die(EXIT_LOCAL, "%s: %s: %s", statepath, why, strerror(errno));
		tb_warn("%s: %s: %s; not recording unique-ids", statepath, why, strerror(errno));
		return;
	}
	have_state = 1;
}

/* TLS as --tls and the URL say: pop3s from the start, else STLS; or refuse a password in clear */
static void
secure(const struct url *u, const struct tb_addr *peer, int start)
{
	char why[200], line[200];
	int r;

	if (start) {
		if (o.tls != TLS_IMPLICIT)
			return;
		r = tlsopt_start(c, &o.tlso, u->host, NULL, o.layers ? &lv : NULL, &tinfo, why,
		    sizeof why) < 0 ? -2 : 0;
		if (r < 0)
			snprintf(P.ts.why, sizeof P.ts.why, "TLS: %s", why);
	} else if (o.tls == TLS_REQUIRED || (o.tls == TLS_AUTO && (P.caps & POP3_CAP_STLS))) {
		if ((r = p3_stls(&P, &o.tlso, u->host, &tinfo, CAPA_MAX)) == POP3_ERR) {
			report_err(NULL, "STLS", &P.st);
			p3f_quit(&F, 0);
			finish(EXIT_NET);
		}
	} else {
		if (o.tls == TLS_AUTO && !o.via && !tb_addr_loopback(peer)) {
			tb_warn("%s offers no STLS: not sending the password in clear to an address "
			    "that is not loopback (--tls off allows it, pop3s:// uses TLS)", u->host);
			p3f_quit(&F, 0);
			finish(EXIT_NET);
		}
		return;
	}
	if (r < 0) {
		p3f_warn(&F);
		finish(EXIT_NET);
	}
	tls_on = 1;
	if (o.verbose)
		fprintf(stderr, "%s: TLS: %s\n", tb_prog, tlsopt_str(&tinfo, line, sizeof line));
}

/* connect, read the greeting, CAPA, log in; returns only when logged in */
static void
login(const struct url *u, const char *user, char *pass, size_t passcap)
{
	struct pop3_status s;
	struct tb_addr peer;
	const char *why = NULL;
	int r, ex;

	memset(&peer, 0, sizeof peer);
	if ((c = tb_calloc(1, sizeof *c)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	c->rfd = c->wfd = -1;
	c->idle = o.idle;
	c->lv = o.layers ? &lv : NULL;	/* every TCP segment too */
	run_deadline = o.deadline > 0 ? t0 + o.deadline : -1;
	c->deadline = run_deadline;
	if (o.verbose)
		c->trace = stderr;
	p3_init(&P, c, host);
	P.ts.idle = o.idle;
	P.ts.deadline = run_deadline;
	P.ts.transcript = o.verbose ? stderr : NULL;
	P.ts.lv = o.layers ? &lv : NULL;
	if (o.via) {
		if (conn_via(c, o.via, u->host, u->port) < 0)
			tb_die(EXIT_LOCAL, "--via: %s", strerror(errno));
	} else if ((r = conn_dial(c, u->host, u->port, o.family, o.idle, &peer, &why)) < 0) {
		if (r == -2)
			tb_warn("%s", why);	/* the lookup's own words (tubes(7)) */
		else
			tb_warn("%s port %u: %s", u->host, u->port, why ? why : strerror(errno));
		finish(conn_dial_exit());
	}
	secure(u, &peer, 1);
	if ((r = p3_greet(&P)) == -2) {
		p3f_warn(&F);
		finish(EXIT_NET);
	}
	if (r == POP3_ERR) {
		report_err(NULL, "the connection", &P.st);
		finish(EXIT_NET);
	}
	if (p3_capa(&P, CAPA_MAX) < 0) {
		p3f_warn(&F);
		finish(EXIT_NET);
	}
	secure(u, &peer, 0);
	r = p3_login(&P, user, pass, passcap, o.apop);
	if (r == -3) {
		p3f_warn(&F);
		p3f_quit(&F, 0);
		finish(EXIT_LOCAL);
	}
	if (r == -2) {
		p3f_warn(&F);
		finish(EXIT_NET);
	}
	if (r == POP3_ERR) {
		s = P.st;
		report_err(NULL, "login", &s);
		/* [IN-USE], [LOGIN-DELAY], [SYS/TEMP]: try again later */
		ex = s.rc & (POP3_RC_IN_USE | POP3_RC_LOGIN_DELAY | POP3_RC_SYS_TEMP) ?
		    EXIT_NET : EXIT_NO;
		p3f_quit(&F, 0);
		finish(ex);
	}
}

/* STAT, then LIST and UIDL (with want, for that message alone) */
static void
listings(uint64_t want)
{
	int r = p3_listing(&P, &L, want, o.newonly && have_state);

	if (r == 1) {
		/* STAT or LIST refused, or no such message */
		if (P.st.st == POP3_ERR)
			report_err(NULL, P.ts.last, &P.st);
		else
			p3f_warn(&F);
		p3f_quit(&F, 0);
		finish(EXIT_NO);
	}
	if (r < 0) {
		p3f_warn(&F);
		finish(r == -1 ? EXIT_LOCAL : EXIT_NET);
	}
}

/* -l: num, size, uidl per chosen message */
static int
list_mode(size_t nsel)
{
	struct p3msg m;
	size_t i;

	for (i = 0; i < nsel; i++) {
		p3f_next(&F, &m);
		if (o.json) {
			js_begin(&js, stdout, "message");
			js_int(&js, "num", (long long)m.num);
			js_int(&js, "size", (long long)m.size);
			js_str(&js, "uidl", m.uid[0] ? m.uid : NULL);
			js_end(&js);
		} else {
			printf("%llu\t%llu\t%s\n", (unsigned long long)m.num,
			    (unsigned long long)m.size, m.uid[0] ? m.uid : "-");
		}
	}
	return p3f_quit(&F, 0) < 0 ? EXIT_NET : EXIT_OK;
}

/* --scan: one line of Date, From, Subject per chosen message (TOP n 0) */
static int
scan_mode(size_t nsel)
{
	static struct hdr h;
	char date[256], from[512], subj[1024], num[24];
	struct pop3_status s;
	struct pop3_ml ml;
	struct p3msg m;
	size_t i;
	int r, ex = EXIT_OK;

	for (i = 0; i < nsel; i++) {
		p3f_next(&F, &m);
		snprintf(num, sizeof num, "%llu", (unsigned long long)m.num);
		if (p3f_cmd(&F, "TOP", num, "0") < 0 || (r = p3f_status(&F, &s)) == -2)
			finish(EXIT_NET);
		if (r == POP3_ERR) {
			report_err(NULL, "TOP", &s);
			ex = exit_worst(ex, EXIT_NO);
			continue;
		}
		h.len = 0;
		pop3_ml_init(&ml, 0);
		if (p3f_body(&F, &ml, hdr_fn, &h, m.size, 3 * m.size + P3F_BODY_SLACK) < 0)
			finish(EXIT_NET);
		field(&h, "Date", date, sizeof date);
		field(&h, "From", from, sizeof from);
		field(&h, "Subject", subj, sizeof subj);
		if (o.json) {
			js_begin(&js, stdout, "message");
			js_int(&js, "num", (long long)m.num);
			js_int(&js, "size", (long long)m.size);
			js_str(&js, "uidl", m.uid[0] ? m.uid : NULL);
			js_str(&js, "date", date);
			js_str(&js, "from", from);
			js_str(&js, "subject", subj);
			js_end(&js);
			continue;
		}
		printf("%s\t%llu\t%s\t", num, (unsigned long long)m.size, m.uid[0] ? m.uid : "-");
		tb_escape(stdout, date, strlen(date), 1);
		putchar('\t');
		tb_escape(stdout, from, strlen(from), 1);
		putchar('\t');
		tb_escape(stdout, subj, strlen(subj), 1);
		putchar('\n');
	}
	return exit_worst(ex, p3f_quit(&F, 0) < 0 ? EXIT_NET : EXIT_OK);
}

int
main(int argc, char **argv)
{
	static char pass[1024], account[600];
	struct url u;
	const char *why = NULL, *user;
	uint64_t want;
	size_t nsel;
	int ex;

	tb_init(argv[0]);
	argv[0] = (char *)tb_prog;	/* getopt's one line reads "NAME: ..." */
	t0 = tb_now();
	L.count = POP3_NOCOUNT;	/* no STAT yet: the summary leaves it out */
	parse_args(argc, argv, &u, &want);
	host = u.host;
	user = o.user ? o.user : u.user[0] ? u.user : NULL;
	if (user == NULL)
		tb_usage_error("no user: give -u USER or pop3://USER@host/");
	if (tb_password(o.pwfile, u.host, user, "POP3GET_PASSWORD", pass, sizeof pass, &why) < 0)
		tb_die(EXIT_LOCAL, "password: %s%s%s", o.pwfile ? o.pwfile : "",
		    o.pwfile ? ": " : "", why);
	{
		/* every field we will send is checked now, before the first packet */
		char cmd[1024];

		if (pop3_cmd(cmd, sizeof cmd, "APOP", user, "0123456789abcdef0123456789abcdef") < 0)
			tb_usage_error("the user name is empty, too long, or holds a CR, LF or NUL");
		if (pop3_cmd(cmd, sizeof cmd, "PASS", pass, NULL) < 0) {
			explicit_bzero(pass, sizeof pass);
			tb_die(EXIT_LOCAL, "password: empty or too long");
		}
		explicit_bzero(cmd, sizeof cmd);
	}
	snprintf(account, sizeof account, "%s@%s", user, u.host);
	signal(SIGPIPE, SIG_IGN);
	tb_catch_signals();
	if (o.layers) {
		lv.fp = stderr;
		dns_resolver_layers(&lv);	/* the DNS packets of the lookups, too */
	}
	sink.kind = SINK_EXEC;
	if (o.mode == MODE_FETCH)
		open_sink(account);
	F.p = &P;	/* F is static: the rest starts zero */
	F.L = &L;
	F.sink = o.mode == MODE_FETCH ? &sink : NULL;
	F.newonly = o.newonly;
	F.del = o.del;
	F.max = o.max;
	F.maxsize = o.maxsize;
	F.refused = report_err;
	F.stored = print_delivered;
	login(&u, user, pass, sizeof pass);
	listings(want);
	if (have_state && !L.uids_ok && L.n) {
		if (o.newonly)
			tb_warn("no usable unique-ids: --new cannot tell old from new; fetching every message");
		have_state = 0;
	}
	F.state = have_state ? &state : NULL;
	nsel = p3f_choose(&F);
	if (o.mode == MODE_LIST)
		finish(list_mode(nsel));
	if (o.mode == MODE_SCAN)
		finish(scan_mode(nsel));
	ex = p3f_fetch_all(&F, nsel);
	if (o.out && fflush(stdout) != 0)
		ex = exit_worst(ex, EXIT_LOCAL);
	finish(ex);
}
