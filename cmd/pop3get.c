/*
 * pop3get - fetch mail over POP3 into a Maildir, an mbox or a pipe, and
 * never lose a message: DELE only after the local copy is durable, RSET
 * before QUIT on any local failure.  RFC 1939, RFC 2449.
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
"               [--cacert F] [--capath D] [-k] [--pinnedpubkey P]\n" \
"               pop3[s]://[user@]host[:port]/[msgnum]\n"

#define WINDOW 32		/* RETRs in flight with PIPELINING */
#define BATCH 32		/* messages staged for one group commit */
#define SCAN_MAX 65536		/* header bytes kept per message for --scan */
/*
 * A message may be longer than LIST said by one octet per line (a server
 * that counts LF line ends as one octet) plus SIZE_SLACK (a header added
 * on the way out); never shorter.  While it comes, more than
 * 3 * size + BODY_SLACK octets on the wire ends it at once.
 */
#define SIZE_SLACK 4096
#define BODY_SLACK 8192
#define CAPA_MAX 65536		/* octets of a CAPA listing */

enum { MODE_FETCH, MODE_LIST, MODE_SCAN };
enum { TLS_AUTO, TLS_REQUIRED, TLS_OFF, TLS_IMPLICIT };
enum { Q_RETR, Q_DELE };

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
/* counts for the summary */
static unsigned long delivered, deleted, dele_sent, dele_ok, failed, skipped;
static uint64_t octets;
static int64_t run_deadline = -1;	/* -w, absolute */

/* pipelined commands: sent, replies not yet read (a copy of the message) */
struct q {
	int kind;
	struct p3msg m;
};
#define QN (WINDOW + BATCH + 2)
static struct q qv[QN];		/* commands sent, replies not yet read */
static size_t qh, qt;

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

/* a failure of the session, on stderr; errno kept */
static void
say_why(void)
{
	int e = errno;

	tb_warn_peer("%s", P.ts.why);
	errno = e;
}

static int
send_cmd(const char *verb, const char *arg, const char *arg2)
{
	if (p3_cmd(&P, verb, arg, arg2) == 0)
		return 0;
	say_why();
	return -1;
}

/* the next status line into *s: POP3_OK, POP3_ERR, or -2 (reported) */
static int
read_status(struct pop3_status *s)
{
	int r = p3_status(&P);

	if (r == -2)
		say_why();
	*s = P.st;
	return r;
}

static void
report_err(const char *what, const struct pop3_status *s)
{
	char esc[600];

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

/*
 * A multi-line body to fn (see ts_body): 0 at its end; -2 out of step
 * (reported); -1 when fn failed (the body was still read to its end).
 */
static int
read_body(struct pop3_ml *ml, int (*fn)(void *, const uint8_t *, size_t), void *arg,
    uint64_t expect, uint64_t max)
{
	int r = ts_body(&P.ts, ml, fn, arg, expect, max);

	if (r == -2)
		say_why();
	if (r != -2 && o.layers)
		lv_layer(&lv, "POP3 multi-line data: %llu lines, %llu octets unstuffed, %llu on the wire",
		    (unsigned long long)ml->lines, (unsigned long long)ml->octets,
		    (unsigned long long)ml->wire);
	return r;
}

/* POP-11: nothing may be waiting when we have not asked */
static int
unasked(const char *after)
{
	if (ts_unasked(&P.ts, after)) {
		say_why();
		return 1;
	}
	return 0;
}

/* message i (0-based) of the listing */
static void
msg_get(size_t i, struct p3msg *m)
{
	if (p3_msg(&L, i, m) < 0)
		tb_die(EXIT_LOCAL, "the listing spool: %s", strerror(errno));
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
static struct delivery dv;
static struct uidstate state;
static int have_state;

static int discard(void *, const uint8_t *, size_t);

static int
dv_fn(void *arg, const uint8_t *p, size_t n)
{
	int *toobig = arg;

	if (o.maxsize > 0 && dv.bytes + n > (uint64_t)o.maxsize) {
		*toobig = 1;	/* the server's LIST size was a lie: stop writing */
		return -1;
	}
	return dv_write(&dv, p, n);
}

static void
print_delivered(const struct p3msg *m, const char *where, uint64_t got)
{
	FILE *fp = o.out ? stderr : stdout;

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

/*
 * Messages written but not yet durable (group commit): up to BATCH of
 * them are made durable by one sink_flush, and only then counted,
 * printed, recorded in the state file and DELEd.
 */
static struct staged staged[BATCH];
static struct p3msg staged_m[BATCH];
static uint64_t staged_octets[BATCH];
static size_t nstaged;

/*
 * Fetch one message whose RETR has been sent, into the staging area.
 * Returns 0 staged, 1 the server said -ERR (nothing stored), -2
 * network/protocol failure, -1 local failure.
 */
static int
fetch_one(const struct p3msg *m)
{
	struct pop3_status s;
	struct pop3_ml ml;
	char what[64], num[24], uidenv[96], numenv[40], sizeenv[40];
	char *env[] = { numenv, uidenv, sizeenv, NULL };
	uint64_t max;
	int r, st, toobig;

	snprintf(what, sizeof what, "RETR %llu", (unsigned long long)m->num);
	snprintf(num, sizeof num, "%llu", (unsigned long long)m->num);
	r = read_status(&s);
	if (r == -2)
		return -2;
	if (r == POP3_ERR) {
		report_err(what, &s);
		return 1;
	}
	snprintf(numenv, sizeof numenv, "POP3_NUM=%s", num);
	snprintf(uidenv, sizeof uidenv, "POP3_UIDL=%s", m->uid);
	snprintf(sizeenv, sizeof sizeenv, "POP3_SIZE=%llu", (unsigned long long)m->size);
	pop3_ml_init(&ml, 0);
	max = 3 * m->size + BODY_SLACK;
	if (dv_begin(&sink, &dv, env) < 0) {
		tb_warn("message %s: cannot start the delivery: %s", num, strerror(errno));
		/* still read the body, to stay in step for RSET */
		r = read_body(&ml, discard, NULL, m->size, max);
		return r == -2 ? -2 : -1;
	}
	toobig = 0;
	r = read_body(&ml, dv_fn, &toobig, m->size, max);
	if (r == -2) {
		/* POP-03: a short message is thrown away, never delivered */
		dv_abort(&dv);
		tb_warn("message %s: incomplete (%llu of %llu octets); discarded", num,
		    (unsigned long long)ml.octets, (unsigned long long)m->size);
		return -2;
	}
	if (r == -1 && toobig) {
		dv_abort(&dv);
		tb_warn("message %s: more than --max-size octets; discarded, left on the server", num);
		return 1;
	}
	if (r == -1) {
		tb_warn("message %s: writing it: %s", num, strerror(dv.err ? dv.err : errno));
		dv_abort(&dv);
		return -1;
	}
	/*
	 * POP-10, POP-12: the reply must be the message LIST announced.  One
	 * that ends early is what a server that does not dot-stuff sends for
	 * a message with a lone "." line -- and what follows it is no longer
	 * in step with our commands: never delivered, and the session ends.
	 * Longer is tolerated by a CR per line and a header's worth (servers
	 * that count LF line ends as one octet, or add a header on the way out).
	 */
	if (ml.octets < m->size || ml.octets - m->size > ml.lines + SIZE_SLACK) {
		dv_abort(&dv);
		tb_warn("message %s: LIST said %llu octets, RETR gave %llu: %s; not delivered", num,
		    (unsigned long long)m->size, (unsigned long long)ml.octets,
		    ml.octets < m->size ? "it ended early (a server that does not dot-stuff?)" :
		    "far more than announced");
		return -2;
	}
	if (ml.octets != m->size)
		tb_warn("message %s: LIST said %llu octets, RETR gave %llu (tolerated)", num,
		    (unsigned long long)m->size, (unsigned long long)ml.octets);
	if (dv_stage(&dv, &staged[nstaged], &st) < 0) {
		if (sink.kind == SINK_EXEC)
			tb_warn("message %s: --exec command failed (%s); not delivered", num,
			    staged[nstaged].where);
		else
			tb_warn("message %s: not stored: %s", num, strerror(errno));
		return -1;
	}
	staged_m[nstaged] = *m;
	staged_octets[nstaged] = ml.octets;
	nstaged++;
	return 0;
}

/* --- the session ---------------------------------------------------------------- */

static struct p3msg dels[BATCH];		/* DELEs to send */
static size_t ndels;

/*
 * Make the staged messages durable; then they count, are printed, go
 * into the state file and (with --delete) are queued for DELE.
 * 0, or -1 on a local failure (nothing of the batch delivered).
 */
static int
commit_staged(void)
{
	size_t i;
	const char *why = "";

	if (nstaged == 0)
		return 0;
	if (sink_flush(&sink, staged, nstaged) < 0) {
		tb_warn("%s: cannot make %zu message%s durable: %s", sink.path, nstaged,
		    nstaged == 1 ? "" : "s", strerror(errno));
		failed += nstaged;
		nstaged = 0;
		return -1;
	}
	for (i = 0; i < nstaged; i++) {
		delivered++;
		octets += staged_octets[i];
		print_delivered(&staged_m[i], staged[i].where, staged_octets[i]);
		if (have_state && staged_m[i].uid[0] && state_add(&state, staged_m[i].uid) < 0) {
			tb_warn("out of memory");
			nstaged = 0;
			return -1;
		}
		if (o.del)
			dels[ndels++] = staged_m[i];
	}
	nstaged = 0;
	if (have_state && state_save(&state, 1, &why) < 0) {
		tb_warn("%s: %s: %s", state.path, why, strerror(errno));
		ndels = 0;	/* recorded or not, nothing is deleted */
		return -1;
	}
	return 0;
}

static int
quit(int rset)
{
	struct pop3_status s;
	int r;

	if (rset) {
		if (send_cmd("RSET", NULL, NULL) < 0)
			return -2;
		if ((r = read_status(&s)) == -2)
			return -2;
		if (r == POP3_ERR)
			report_err("RSET", &s);
	}
	if (send_cmd("QUIT", NULL, NULL) < 0)
		return -2;
	r = read_status(&s);
	if (r == POP3_ERR)
		report_err("QUIT", &s);
	return r == POP3_OK ? 0 : -2;
}

static int
discard(void *arg, const uint8_t *p, size_t n)
{
	(void)arg;
	(void)p;
	(void)n;
	return 0;
}

/*
 * Drain the replies of commands still in flight (after a local failure
 * with PIPELINING), so RSET's reply is read in step.
 */
static int
drain(void)
{
	struct pop3_status s;
	struct pop3_ml ml;

	for (; qh < qt; qh++) {
		int r = read_status(&s);

		if (r == -2)
			return -2;
		if (qv[qh % QN].kind == Q_RETR && r == POP3_OK) {
			uint64_t size = qv[qh % QN].m.size;

			pop3_ml_init(&ml, 0);
			if (read_body(&ml, discard, NULL, size,
			    3 * size + BODY_SLACK) == -2)
				return -2;
		}
	}
	return 0;
}

/*
 * A network or protocol failure, or a signal: keep what was fully
 * received, and send no QUIT -- without it the server never enters the
 * UPDATE state (RFC 1939 section 6), so no DELE of this session takes
 * effect.
 */
static int
net_failed(void)
{
	int ex = EXIT_NET;

	if (commit_staged() < 0)
		ex = EXIT_LOCAL;
	if (tb_interrupted)
		tb_warn("interrupted by %s: no QUIT sent, the server keeps every message",
		    tb_signame(tb_interrupted));
	else if (dele_sent)
		tb_warn("no QUIT was sent: the server keeps every message");
	deleted = 0;
	return ex;
}

/*
 * Bytes nobody asked for came after a reply (POP-15): the messages read
 * since the last commit are suspect -- the one just read may have ended
 * early at a "." line of its own -- so none of them is delivered or
 * recorded; without QUIT the server keeps them all for the next run.
 */
static int
out_of_step(void)
{
	sink_discard(&sink, staged, nstaged);
	failed += nstaged;
	nstaged = 0;
	return net_failed();
}

/*
 * The choice, made twice in the same way without a list of the chosen:
 * once to count (and warn), then again as the messages are fetched.
 */
static int
wanted(const struct p3msg *m, int first)
{
	if (o.newonly && have_state && state_has(&state, m->uid))
		return 0;
	if (o.maxsize > 0 && m->size > (uint64_t)o.maxsize) {
		/* POP-08: the only cap is on a whole message, and it is the user's */
		if (first) {
			if (o.mode == MODE_FETCH)
				tb_warn("message %llu: %llu octets, over --max-size: left on the server",
				    (unsigned long long)m->num, (unsigned long long)m->size);
			skipped++;
		}
		return 0;
	}
	return 1;
}

static size_t cursor;		/* the next message to consider */

/* the next chosen message into *m (the caller knows how many there are) */
static void
next_sel(struct p3msg *m)
{
	while (cursor < L.n) {
		msg_get(cursor++, m);
		if (wanted(m, 0))
			return;
	}
	tb_die(EXIT_LOCAL, "internal error: fewer messages chosen than counted");
}

/* RETR (and DELE) for each selected message; returns the exit code */
static int
fetch_all(size_t nsel)
{
	size_t next = 0;
	unsigned inflight = 0, window = (P.caps & POP3_CAP_PIPELINING) ? WINDOW : 1;
	int ex = EXIT_OK, r;
	struct pop3_status s;
	char num[40];

	for (;;) {
		/* DELEs first, then RETRs, as far as the window allows */
		while (ndels && qt - qh < window) {
			struct p3msg m = dels[0];

			memmove(dels, dels + 1, --ndels * sizeof *dels);
			snprintf(num, sizeof num, "%llu", (unsigned long long)m.num);
			if (send_cmd("DELE", num, NULL) < 0)
				return errno == EPROTO ? out_of_step() : net_failed();
			dele_sent++;
			qv[qt++ % QN] = (struct q){ Q_DELE, m };
		}
		if (tb_interrupted)
			return net_failed();
		while (next < nsel && qt - qh < window && !ndels &&
		    nstaged + inflight < BATCH) {
			struct p3msg m;

			next_sel(&m);
			snprintf(num, sizeof num, "%llu", (unsigned long long)m.num);
			if (send_cmd("RETR", num, NULL) < 0)
				return errno == EPROTO ? out_of_step() : net_failed();
			qv[qt++ % QN] = (struct q){ Q_RETR, m };
			next++;
			inflight++;
		}
		if (qh == qt) {
			if (nstaged) {
				if (unasked("the last reply"))
					return out_of_step();
				if (commit_staged() < 0)
					goto local;
				continue;
			}
			if (ndels)
				continue;
			break;
		}
		{
			struct q cur = qv[qh++ % QN];

			if (cur.kind == Q_DELE) {
				snprintf(num, sizeof num, "DELE %llu", (unsigned long long)cur.m.num);
				r = read_status(&s);
				if (r == -2)
					return net_failed();
				if (r == POP3_ERR) {
					report_err(num, &s);
					ex = exit_worst(ex, EXIT_NO);
				} else {
					dele_ok++;	/* counts only once QUIT is +OK */
				}
				continue;
			}
			inflight--;
			r = fetch_one(&cur.m);
			if (r == -2) {
				failed++;
				return net_failed();
			}
			if (r == 1) {
				failed++;
				ex = exit_worst(ex, EXIT_NO);
				continue;
			}
			if (r == -1) {
				/* the messages staged before this one are whole: keep them */
				failed++;
				ndels = 0;
				if (commit_staged() < 0)
					goto local;
				ndels = 0;
				goto local;
			}
			if (nstaged >= BATCH || (inflight == 0 && next >= nsel) ||
			    sink.kind == SINK_EXEC || sink.kind == SINK_STREAM) {
				/* nothing may follow the last reply due (POP-15) */
				if (qh == qt && unasked("the last reply"))
					return out_of_step();
				if (commit_staged() < 0)
					goto local;
			}
		}
	}
	if (unasked("the last reply"))
		return out_of_step();
	r = quit(0);
	if (r < 0) {
		if (dele_sent)	/* POP-05: DELE takes effect only at a successful QUIT */
			tb_warn("QUIT failed: the deletions may not have happened");
		return exit_worst(ex, EXIT_NET);
	}
	deleted = dele_ok;	/* the server confirmed each DELE, and the UPDATE */
	return ex;
local:
	/* a local failure: keep everything on the server */
	sink_discard(&sink, staged, nstaged);
	nstaged = 0;
	if (tb_interrupted) {
		tb_warn("interrupted by %s: no QUIT sent, the server keeps every message",
		    tb_signame(tb_interrupted));
		return EXIT_NET;
	}
	if (drain() < 0 || quit(1) < 0)
		return EXIT_NET;
	if (dele_sent)
		tb_warn("RSET sent: no message was deleted");
	deleted = 0;
	return EXIT_LOCAL;
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
		js_int(&js, "delivered", (long long)delivered);
		js_int(&js, "deleted", (long long)deleted);
		js_int(&js, "failed", (long long)failed);
		js_int(&js, "skipped", (long long)skipped);
		js_int(&js, "octets", (long long)octets);
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
		    "%lu failed, %.3f s\n", tb_prog, delivered, delivered == 1 ? "" : "s",
		    (unsigned long long)octets, deleted, failed, (tb_now() - t0) / 1e6);
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

static int
loopback(const struct tb_addr *a)
{
	static const uint8_t v6lo[16] = { [15] = 1 };

	return (a->family == AF_INET && a->a[0] == 127) ||
	    (a->family == AF_INET6 && memcmp(a->a, v6lo, 16) == 0);
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
			report_err("STLS", &P.st);
			quit(0);
			finish(EXIT_NET);
		}
	} else {
		if (o.tls == TLS_AUTO && !o.via && !loopback(peer)) {
			tb_warn("%s offers no STLS: not sending the password in clear to an address "
			    "that is not loopback (--tls off allows it, pop3s:// uses TLS)", u->host);
			quit(0);
			finish(EXIT_NET);
		}
		return;
	}
	if (r < 0) {
		say_why();
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
		say_why();
		finish(EXIT_NET);
	}
	if (r == POP3_ERR) {
		report_err("the connection", &P.st);
		finish(EXIT_NET);
	}
	if (p3_capa(&P, CAPA_MAX) < 0) {
		say_why();
		finish(EXIT_NET);
	}
	secure(u, &peer, 0);
	r = p3_login(&P, user, pass, passcap, o.apop);
	if (r == -3) {
		say_why();
		quit(0);
		finish(EXIT_LOCAL);
	}
	if (r == -2) {
		say_why();
		finish(EXIT_NET);
	}
	if (r == POP3_ERR) {
		s = P.st;
		report_err("login", &s);
		/* [IN-USE], [LOGIN-DELAY], [SYS/TEMP]: try again later */
		ex = s.rc & (POP3_RC_IN_USE | POP3_RC_LOGIN_DELAY | POP3_RC_SYS_TEMP) ?
		    EXIT_NET : EXIT_NO;
		quit(0);
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
			report_err(P.ts.last, &P.st);
		else
			say_why();
		quit(0);
		finish(EXIT_NO);
	}
	if (r < 0) {
		say_why();
		finish(r == -1 ? EXIT_LOCAL : EXIT_NET);
	}
}

/* choose: count (the state keeps only the ids the server still has) */
static size_t
choose(void)
{
	size_t nsel = 0, i;
	struct p3msg m;

	for (i = 0; i < L.n; i++) {
		if (!have_state && o.max > 0 && (long long)nsel >= o.max)
			break;
		msg_get(i, &m);
		if (have_state)
			state_mark(&state, m.uid);
		if (o.max > 0 && (long long)nsel >= o.max)
			continue;
		if (wanted(&m, 1))
			nsel++;
	}
	return nsel;
}

/* -l: num, size, uidl per chosen message */
static int
list_mode(size_t nsel)
{
	struct p3msg m;
	size_t i;

	for (i = 0; i < nsel; i++) {
		next_sel(&m);
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
	return quit(0) < 0 ? EXIT_NET : EXIT_OK;
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
		next_sel(&m);
		snprintf(num, sizeof num, "%llu", (unsigned long long)m.num);
		if (send_cmd("TOP", num, "0") < 0 || (r = read_status(&s)) == -2)
			finish(EXIT_NET);
		if (r == POP3_ERR) {
			report_err("TOP", &s);
			ex = exit_worst(ex, EXIT_NO);
			continue;
		}
		h.len = 0;
		pop3_ml_init(&ml, 0);
		if (read_body(&ml, hdr_fn, &h, m.size, 3 * m.size + BODY_SLACK) < 0)
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
	return exit_worst(ex, quit(0) < 0 ? EXIT_NET : EXIT_OK);
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
	login(&u, user, pass, sizeof pass);
	listings(want);
	if (have_state && !L.uids_ok && L.n) {
		if (o.newonly)
			tb_warn("no usable unique-ids: --new cannot tell old from new; fetching every message");
		have_state = 0;
	}
	nsel = choose();
	if (o.mode == MODE_LIST)
		finish(list_mode(nsel));
	if (o.mode == MODE_SCAN)
		finish(scan_mode(nsel));
	ex = fetch_all(nsel);
	if (o.out && fflush(stdout) != 0)
		ex = exit_worst(ex, EXIT_LOCAL);
	finish(ex);
}
