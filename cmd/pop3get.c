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
#include "secret.h"
#include "tubes.h"
#include "url.h"

#define USAGE \
"usage: pop3get [-u user] [--password-file F] [--apop] [-l] [--scan]\n" \
"               [-d maildir | -m mbox | -o - | --exec CMD] [-N] [--state F]\n" \
"               [--delete] [-n max] [--max-size N] [-w deadline] [-W idle]\n" \
"               [-4|-6] [-s] [-v] [-j] [-X] [--via CMD]\n" \
"               pop3://[user@]host[:port]/[msgnum]\n"

#define LINE_MAX_ 8192
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
#define LISTING_LINE 96		/* octets per LIST or UIDL line at most, for the cap */

enum { MODE_FETCH, MODE_LIST, MODE_SCAN };
enum { Q_RETR, Q_DELE };

struct msg {
	uint64_t num, size;
	char uid[POP3_UIDL_MAX + 1];
};

static struct opts {
	const char *user, *pwfile, *maildir, *mbox, *out, *exec, *state, *via;
	int apop, mode, newonly, del, quiet, verbose, json, layers, family;
	long long max, maxsize;
	int64_t deadline, idle;
} o = { .family = AF_UNSPEC, .max = -1, .deadline = -1, .idle = 60000000 };

static struct conn *c;
static struct json js;
static struct layers lv;
static unsigned caps;
static size_t nmsgs;		/* messages listed: numbers first_num.. */
static uint64_t first_num = 1;
static uint64_t stat_count = POP3_NOCOUNT, stat_size;
static int uids_ok;
/* counts for the summary */
static unsigned long delivered, deleted, dele_sent, dele_ok, failed, skipped;
static uint64_t octets;
static int64_t run_deadline = -1;	/* -w, absolute */

/* pipelined commands: sent, replies not yet read (a copy of the message) */
struct q {
	int kind;
	struct msg m;
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
	    "  -h, --help            this help\n"
	    "  -V, --version         version\n", stdout);
	tb_exit(EXIT_OK);
}

/* --- talking ----------------------------------------------------------------- */

static void
say_peer(const char *what, const char *text, size_t len)
{
	char esc[1024];

	tb_escape_buf(esc, sizeof esc, text, len);
	tb_warn("%s: %s", what, esc);
}

/* why a read or write on the connection failed */
static const char *
neterr(int e)
{
	static char buf[64];

	if (tb_interrupted) {
		snprintf(buf, sizeof buf, "interrupted by %s",
		    tb_interrupted == SIGHUP ? "SIGHUP" : tb_interrupted == SIGINT ? "SIGINT" :
		    tb_interrupted == SIGTERM ? "SIGTERM" : "a signal");
		return buf;
	}
	return e == EPIPE ? "connection closed in a reply" :
	    e == EMSGSIZE ? "reply line too long" :
	    e == ETIMEDOUT ? "timed out" : strerror(e);
}

/*
 * The time a reply may take in all, whatever trickles (class 4): -W for
 * it to start and for a status line, plus a second per KiB expected (a
 * floor of 1 KiB/s for a listing or a message), and never past -w.
 */
static void
reply_limit(uint64_t expect)
{
	int64_t lim = o.idle + (int64_t)(expect / 1024) * 1000000;

	c->deadline = tb_earliest(run_deadline, tb_now() + lim);
}

/*
 * Bytes the server sent that no command asked for: in the buffer, or
 * waiting on the socket.  Only meaningful when no reply is due, i.e.
 * before a command is sent with nothing in flight (POP-11, POP-12).
 */
static int
stray(void)
{
	struct pollfd p;

	if (c->off < c->len)
		return 1;
	if (c->eof || c->rfd < 0)
		return 0;
	p.fd = c->rfd;
	p.events = POLLIN;
	p.revents = 0;
	if (poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN))
		return 0;
	reply_limit(0);		/* the last reply's limit may have passed */
	return conn_fill(c) > 0;	/* readable at EOF is not data */
}

static int
send_cmd(const char *verb, const char *arg, const char *arg2)
{
	char buf[1024];
	int n = pop3_cmd(buf, sizeof buf, verb, arg, arg2);

	/* nothing may come before we ask: a reply out of step is injected */
	if (qh == qt && stray()) {
		tb_warn("the server sent data nobody asked for before %s: out of step", verb);
		errno = EPROTO;
		return -1;
	}
	if (n < 0) {
		tb_warn("%s: argument holds a line break or is too long", verb);
		errno = EINVAL;
		return -1;
	}
	if (o.verbose) {
		if (strcmp(verb, "PASS") == 0)
			fprintf(stderr, "C: PASS ********\n");
		else if (strcmp(verb, "APOP") == 0)
			fprintf(stderr, "C: APOP %s ********************************\n", arg);
		else
			fprintf(stderr, "C: %.*s\n", n - 2, buf);
	}
	if (o.layers) {
		lv_packet(&lv, "sent %d bytes", n);
		pop3_decode_cmd(&lv, buf, (size_t)n);
	}
	if (conn_write(c, buf, (size_t)n) < 0) {
		tb_warn("sending %s: %s", verb, neterr(errno));
		return -1;
	}
	return 0;
}

/*
 * Read a status line.  Returns POP3_OK / POP3_ERR, or -2 on a network
 * or protocol failure (already reported).
 */
static int
read_status(const char *what, struct pop3_status *s, char *line, size_t cap)
{
	ssize_t n;

	reply_limit(0);
	n = conn_line(c, line, cap);
	if (n == -2) {
		tb_warn("%s: connection closed by the server", what);
		return -2;
	}
	if (n < 0) {
		tb_warn("%s: %s", what, neterr(errno));
		return -2;
	}
	if (o.layers) {
		lv_packet(&lv, "received %zd bytes", n + 2);
		pop3_decode_status(&lv, line, (size_t)n);
	}
	if (pop3_status(line, (size_t)n, s) == POP3_BAD) {
		say_peer(what, line, (size_t)n);
		tb_warn("%s: malformed status line (neither +OK nor -ERR)", what);
		return -2;
	}
	return s->st;
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

/* make sure the conn buffer holds unread bytes; 1, 0 at EOF, -1 error */
static int
refill(void)
{
	return conn_fill(c);
}

/*
 * Read a multi-line body of at most max octets on the wire, handing
 * unstuffed bytes to fn; it must be whole within reply_limit(expect).
 * Returns 0 at the terminator; -2 for a network failure, a short body or
 * one over max (reported: the session is out of step); -1 when fn failed
 * (local; the body is still read to its end).
 */
static int
read_body(const char *what, struct pop3_ml *ml, int (*fn)(void *, const uint8_t *, size_t),
    void *arg, uint64_t expect, uint64_t max)
{
	static uint8_t out[65536];
	size_t used, got;
	int r, failed_ = 0;

	reply_limit(expect);
	while (!ml->done) {
		if (ml->wire > max) {
			tb_warn("%s: over %llu octets and no end: the server is out of step", what,
			    (unsigned long long)max);
			return -2;
		}
		if ((r = refill()) <= 0) {
			tb_warn("%s: %s", what, r == 0 ? "connection closed before the end of the data" :
			    neterr(errno));
			return -2;
		}
		used = pop3_ml_feed(ml, c->buf + c->off, c->len - c->off, out, sizeof out, &got);
		c->off += used;
		if (got && !failed_ && fn(arg, out, got) < 0)
			failed_ = 1;	/* keep reading to the end, to stay in step */
	}
	if (o.layers)
		lv_layer(&lv, "POP3 multi-line data: %llu lines, %llu octets unstuffed, %llu on the wire",
		    (unsigned long long)ml->lines, (unsigned long long)ml->octets,
		    (unsigned long long)ml->wire);
	return failed_ ? -1 : 0;
}

/* collect a multi-line listing into lines; fn per line */
struct lines {
	char buf[LINE_MAX_];
	size_t len;
	int toolong;
	int (*fn)(const char *, size_t);
};

static int
lines_fn(void *arg, const uint8_t *p, size_t n)
{
	struct lines *l = arg;
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == '\n') {
			if (!l->toolong && l->fn(l->buf, l->len) < 0)
				return -1;
			l->len = 0;
			l->toolong = 0;
			continue;
		}
		if (l->len + 1 >= sizeof l->buf) {
			l->toolong = 1;
			continue;
		}
		l->buf[l->len++] = (char)p[i];
	}
	return 0;
}

static int
read_lines(const char *what, int (*fn)(const char *, size_t), uint64_t max)
{
	static struct lines l;
	struct pop3_ml ml;
	int r;

	l.len = 0;
	l.toolong = 0;
	l.fn = fn;
	pop3_ml_init(&ml, 0);
	r = read_body(what, &ml, lines_fn, &l, max, max);
	if (r == 0 && l.len && fn(l.buf, l.len) < 0)
		r = -1;
	return r;
}

/* POP-11: nothing may be waiting when we have not asked */
static int
unasked(const char *after)
{
	if (stray()) {
		tb_warn("%s: followed by data nobody asked for (out of step)", after);
		return 1;
	}
	return 0;
}

/* --- the listings -------------------------------------------------------------- */

static int
capa_line(const char *l, size_t n)
{
	caps |= pop3_capa(l, n);
	return 0;
}

/*
 * The listing, in constant memory whatever the mailbox holds: one record
 * per message (its LIST size and unique-id) in an unlinked spool file
 * (O_TMPFILE in $TMPDIR or /tmp), read back one message at a time.  If
 * no such file can be made, the records stay in memory.  At the start of
 * a session the numbers are exactly 1..count (RFC 1939), so a message's
 * record is found by its number.
 */
struct rec {
	uint64_t size;
	char uid[POP3_UIDL_MAX + 1];
	char pad;
};
static int spoolfd = -1;
static struct rec *spoolmem;
static size_t spoolcap;

static void
spool_open(void)
{
	const char *d = getenv("TMPDIR");
	char p[4200];

	if (d == NULL || *d != '/')
		d = "/tmp";
#ifdef O_TMPFILE
	if ((spoolfd = open(d, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) >= 0)
		return;
#endif
	snprintf(p, sizeof p, "%s/.pop3get.XXXXXX", d);
	if ((spoolfd = mkstemp(p)) >= 0) {
		unlink(p);
		fcntl(spoolfd, F_SETFD, FD_CLOEXEC);
	}
}

static void
rec_put(size_t i, const struct rec *r)
{
	if (spoolfd >= 0) {
		if (pwrite(spoolfd, r, sizeof *r, (off_t)(i * sizeof *r)) != (ssize_t)sizeof *r)
			tb_die(EXIT_LOCAL, "the listing spool: %s", strerror(errno ? errno : EIO));
		return;
	}
	if (i >= spoolcap) {
		size_t nc = spoolcap ? spoolcap * 2 : 256;
		struct rec *n;

		while (nc <= i)
			nc *= 2;
		if ((n = tb_realloc(spoolmem, nc * sizeof *n)) == NULL)
			tb_die(EXIT_LOCAL, "out of memory");
		memset(n + spoolcap, 0, (nc - spoolcap) * sizeof *n);
		spoolmem = n;
		spoolcap = nc;
	}
	spoolmem[i] = *r;
}

static void
rec_get(size_t i, struct rec *r)
{
	ssize_t n;

	memset(r, 0, sizeof *r);
	if (spoolfd >= 0) {
		n = pread(spoolfd, r, sizeof *r, (off_t)(i * sizeof *r));
		if (n < 0)
			tb_die(EXIT_LOCAL, "the listing spool: %s", strerror(errno));
		r->uid[POP3_UIDL_MAX] = '\0';
	} else if (i < spoolcap) {
		*r = spoolmem[i];
	}
}

/* message i (0-based) as a struct msg; no unique-id unless they are usable */
static void
msg_get(size_t i, struct msg *m)
{
	struct rec r;

	rec_get(i, &r);
	m->num = first_num + i;
	m->size = r.size;
	memcpy(m->uid, uids_ok ? r.uid : "", uids_ok ? sizeof m->uid : 1);
}

static int bad_lines;
static size_t nuids;

static int
list_line(const char *l, size_t n)
{
	struct rec rec;
	uint64_t num, size;
	int r = pop3_list(l, n, stat_count, &num, &size);

	/* one line per message, numbered on from first_num */
	if (r < 0 || num != first_num + nmsgs) {
		if (bad_lines++ < 5) {
			say_peer("LIST", l, n);
			tb_warn("LIST: %s; line ignored", r < 0 ? pop3_perr_str(r) :
			    "number out of order, missing or repeated");
		}
		return 0;
	}
	memset(&rec, 0, sizeof rec);
	rec.size = size;
	rec_put(nmsgs++, &rec);
	return 0;
}

static int
uidl_line(const char *l, size_t n)
{
	char uid[POP3_UIDL_MAX + 1];
	struct rec rec;
	uint64_t num;
	int r = pop3_uidl(l, n, stat_count, &num, uid);

	if (r < 0 || num < first_num || num - first_num >= nmsgs) {
		if (uids_ok && bad_lines++ < 5) {
			say_peer("UIDL", l, n);
			tb_warn("UIDL: %s", r < 0 ? pop3_perr_str(r) : "no such message in LIST");
		}
		uids_ok = 0;	/* POP-06: no incremental state with broken ids */
		return 0;
	}
	rec_get((size_t)(num - first_num), &rec);
	if (rec.uid[0])
		uids_ok = 0;	/* the same number twice */
	memset(rec.uid, 0, sizeof rec.uid);
	memcpy(rec.uid, uid, strlen(uid) + 1);
	rec_put((size_t)(num - first_num), &rec);
	nuids++;
	return 0;
}

/*
 * Every message must have a unique-id; and for --new (only) no two may
 * be the same -- that check holds every id in memory once.  uids_ok
 * stays 1 only if so.
 */
static void
check_uids(int dups)
{
	const char **v;
	char *all;
	struct rec r;
	size_t i;

	if (nuids != nmsgs)
		uids_ok = 0;
	if (!uids_ok || !dups || nmsgs < 2)
		return;
	if ((v = tb_calloc(nmsgs, sizeof *v)) == NULL ||
	    (all = tb_calloc(nmsgs, sizeof r.uid)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	for (i = 0; i < nmsgs; i++) {
		rec_get(i, &r);
		memcpy(all + i * sizeof r.uid, r.uid, sizeof r.uid);
		v[i] = all + i * sizeof r.uid;
	}
	if (pop3_uid_dups(v, nmsgs) >= 0) {
		tb_warn("UIDL: the server gives two messages the same unique-id");
		uids_ok = 0;
	}
	tb_free(v);
	tb_free(all);
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
print_delivered(const struct msg *m, const char *where, uint64_t got)
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
static struct msg staged_m[BATCH];
static uint64_t staged_octets[BATCH];
static size_t nstaged;

/*
 * Fetch one message whose RETR has been sent, into the staging area.
 * Returns 0 staged, 1 the server said -ERR (nothing stored), -2
 * network/protocol failure, -1 local failure.
 */
static int
fetch_one(const struct msg *m, char *line)
{
	struct pop3_status s;
	struct pop3_ml ml;
	char what[64], num[24], uidenv[96], numenv[40], sizeenv[40];
	char *env[] = { numenv, uidenv, sizeenv, NULL };
	uint64_t max;
	int r, st, toobig;

	snprintf(what, sizeof what, "RETR %llu", (unsigned long long)m->num);
	snprintf(num, sizeof num, "%llu", (unsigned long long)m->num);
	r = read_status(what, &s, line, LINE_MAX_);
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
		r = read_body(what, &ml, discard, NULL, m->size, max);
		return r == -2 ? -2 : -1;
	}
	toobig = 0;
	r = read_body(what, &ml, dv_fn, &toobig, m->size, max);
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

static struct msg dels[BATCH];		/* DELEs to send */
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
	char line[LINE_MAX_];
	int r;

	if (rset) {
		if (send_cmd("RSET", NULL, NULL) < 0)
			return -2;
		if ((r = read_status("RSET", &s, line, sizeof line)) == -2)
			return -2;
		if (r == POP3_ERR)
			report_err("RSET", &s);
	}
	if (send_cmd("QUIT", NULL, NULL) < 0)
		return -2;
	r = read_status("QUIT", &s, line, sizeof line);
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
drain(char *line)
{
	struct pop3_status s;
	struct pop3_ml ml;

	for (; qh < qt; qh++) {
		int r = read_status("draining", &s, line, LINE_MAX_);

		if (r == -2)
			return -2;
		if (qv[qh % QN].kind == Q_RETR && r == POP3_OK) {
			uint64_t size = qv[qh % QN].m.size;

			pop3_ml_init(&ml, 0);
			if (read_body("draining", &ml, discard, NULL, size,
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
		tb_warn("%s: no QUIT sent, the server keeps every message", neterr(EINTR));
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
wanted(const struct msg *m, int first)
{
	if (have_state && state_has(&state, m->uid))
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
next_sel(struct msg *m)
{
	while (cursor < nmsgs) {
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
	static char line[LINE_MAX_];
	size_t next = 0;
	unsigned inflight = 0, window = (caps & POP3_CAP_PIPELINING) ? WINDOW : 1;
	int ex = EXIT_OK, r;
	struct pop3_status s;
	char num[40];

	for (;;) {
		/* DELEs first, then RETRs, as far as the window allows */
		while (ndels && qt - qh < window) {
			struct msg m = dels[0];

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
			struct msg m;

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
				r = read_status(num, &s, line, sizeof line);
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
			r = fetch_one(&cur.m, line);
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
		tb_warn("%s: no QUIT sent, the server keeps every message", neterr(EINTR));
		return EXIT_NET;
	}
	if (drain(line) < 0 || quit(1) < 0)
		return EXIT_NET;
	if (dele_sent)
		tb_warn("RSET sent: no message was deleted");
	deleted = 0;
	return EXIT_LOCAL;
}

/* --- main ---------------------------------------------------------------------- */

static void
summary(int ex, int64_t t0, const char *host)
{
	if (o.json) {
		js_begin(&js, stdout, "summary");
		js_str(&js, "server", host);
		if (stat_count != POP3_NOCOUNT)
			js_int(&js, "messages", (long long)stat_count);
		js_int(&js, "delivered", (long long)delivered);
		js_int(&js, "deleted", (long long)deleted);
		js_int(&js, "failed", (long long)failed);
		js_int(&js, "skipped", (long long)skipped);
		js_int(&js, "octets", (long long)octets);
		js_ms(&js, "time_ms", tb_now() - t0);
		js_int(&js, "exit", ex);
		js_end(&js);
	}
	if (!o.quiet && o.mode == MODE_FETCH)
		fprintf(stderr, "%s: %lu message%s (%llu octets) delivered, %lu deleted, "
		    "%lu failed, %.3f s\n", tb_prog, delivered, delivered == 1 ? "" : "s",
		    (unsigned long long)octets, deleted, failed, (tb_now() - t0) / 1e6);
}

static void
finish(int ex, int64_t t0, const char *host)
{
	if (c->rfd >= 0 && o.verbose && c->via_pid == 0)
		tb_tcpinfo(stderr, c->rfd, host);
	conn_close(c);
	if (sink.kind != SINK_EXEC || sink.path[0])
		sink_close(&sink);
	summary(ex, t0, host);
	tb_exit(ex);
}

int
main(int argc, char **argv)
{
	enum { O_PWFILE = 256, O_APOP, O_SCAN, O_EXECCMD, O_STATE, O_DELETE, O_VIA, O_MAXSIZE };
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
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static char line[LINE_MAX_], pass[1024], account[600], statepath[4200];
	struct pop3_status s;
	struct url u;
	const char *why = NULL, *user;

	size_t nsel = 0, i;
	uint64_t want = 0;
	int64_t t0 = tb_now();
	int ch, r, ex = EXIT_OK, nsinks;

	tb_init(argv[0]);
	argv[0] = (char *)tb_prog;	/* getopt's one line reads "NAME: ..." */
	while ((ch = getopt_long(argc, argv, "46d:hjlm:Nn:o:su:VvW:w:X", lopts, NULL)) != -1) {
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
		case O_MAXSIZE:
			if (tb_num(optarg, 1, (long long)POP3_MAXSIZE, &o.maxsize) < 0)
				tb_usage_error("--max-size: bad size '%s'", optarg);
			break;
		default: tb_bad_option();
		}
	}
	if (optind != argc - 1)
		tb_usage_error(optind < argc ? "one server URL only" : "no server URL given");
	if (url_parse(argv[optind], &u, &why) < 0)
		tb_usage_error("%s: %s", argv[optind], why ? why : "bad URL");
	if (u.scheme[0] && strcmp(u.scheme, "pop3") != 0)
		tb_usage_error("%s: only pop3:// URLs (use --via for TLS)", argv[optind]);
	if (u.port == 0)
		u.port = 110;
	if (u.path[0] && strcmp(u.path, "/") != 0) {
		long long v;

		if (tb_num(u.path + (u.path[0] == '/'), 1, POP3_MAXNUM, &v) < 0)
			tb_usage_error("%s: the path must be a message number", argv[optind]);
		want = (uint64_t)v;
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
	if (o.layers)
		lv.fp = stderr;
	if (o.layers)
		dns_resolver_layers(&lv);	/* the DNS packets of the lookups, too */

	/* open the sink first: a local error costs no connection */
	sink.kind = SINK_EXEC;
	if (o.mode == MODE_FETCH) {
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
		if (o.newonly) {
			if (o.state)
				snprintf(statepath, sizeof statepath, "%s", o.state);
			else if (o.maildir)
				snprintf(statepath, sizeof statepath, "%s/.pop3get-uidl", o.maildir);
			else
				snprintf(statepath, sizeof statepath, "%s.pop3get-uidl", o.mbox);
			if (state_load(&state, statepath, account, &why) < 0)
				tb_die(EXIT_LOCAL, "%s: %s: %s", statepath, why, strerror(errno));
			have_state = 1;
		}
	}

	spool_open();
	if ((c = tb_calloc(1, sizeof *c)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	c->rfd = c->wfd = -1;
	c->idle = o.idle;
	run_deadline = o.deadline > 0 ? t0 + o.deadline : -1;
	c->deadline = run_deadline;
	if (o.verbose)
		c->trace = stderr;
	if (o.via) {
		if (conn_via(c, o.via, u.host, u.port) < 0)
			tb_die(EXIT_LOCAL, "--via: %s", strerror(errno));
	} else if ((r = conn_dial(c, u.host, u.port, o.family, o.idle, NULL, &why)) < 0) {
		if (r == -2)
			tb_warn("%s", why);	/* the lookup's own words (tubes(7)) */
		else
			tb_warn("%s port %u: %s", u.host, u.port, why ? why : strerror(errno));
		finish(conn_dial_exit(), t0, u.host);
	}

	/* greeting */
	if ((r = read_status("greeting", &s, line, sizeof line)) == -2)
		finish(EXIT_NET, t0, u.host);
	if (r == POP3_ERR) {
		report_err("the connection", &s);
		finish(EXIT_NET, t0, u.host);
	}
	if (unasked("the greeting"))
		finish(EXIT_NET, t0, u.host);
	{
		char stamp[256], hex[33];
		int haveapop = pop3_apop_stamp(s.text, s.textlen, stamp, sizeof stamp) > 0;

		/* CAPA (RFC 2449); an old server's -ERR just means none */
		if (send_cmd("CAPA", NULL, NULL) < 0)
			finish(EXIT_NET, t0, u.host);
		if ((r = read_status("CAPA", &s, line, sizeof line)) == -2)
			finish(EXIT_NET, t0, u.host);
		if (r == POP3_OK && read_lines("CAPA", capa_line, CAPA_MAX) < 0)
			finish(EXIT_NET, t0, u.host);
		if (unasked("CAPA"))
			finish(EXIT_NET, t0, u.host);
		if (o.apop) {
			if (!haveapop) {
				tb_warn("--apop: the greeting carries no timestamp");
				quit(0);
				finish(EXIT_LOCAL, t0, u.host);
			}
			pop3_apop_digest(stamp, pass, hex);
			explicit_bzero(pass, sizeof pass);
			if (send_cmd("APOP", user, hex) < 0)
				finish(EXIT_NET, t0, u.host);
			explicit_bzero(hex, sizeof hex);
			r = read_status("APOP", &s, line, sizeof line);
		} else {
			if (send_cmd("USER", user, NULL) < 0)
				finish(EXIT_NET, t0, u.host);
			if ((r = read_status("USER", &s, line, sizeof line)) == POP3_OK) {
				r = send_cmd("PASS", pass, NULL) < 0 ? -2 :
				    read_status("PASS", &s, line, sizeof line);
			}
			explicit_bzero(pass, sizeof pass);
		}
		if (r == -2)
			finish(EXIT_NET, t0, u.host);
		if (r == POP3_ERR) {
			report_err("login", &s);
			/* [IN-USE], [LOGIN-DELAY], [SYS/TEMP]: try again later */
			ex = s.rc & (POP3_RC_IN_USE | POP3_RC_LOGIN_DELAY | POP3_RC_SYS_TEMP) ?
			    EXIT_NET : EXIT_NO;
			quit(0);
			finish(ex, t0, u.host);
		}
	}

	/* STAT, then LIST and UIDL (n alone: single-line replies) */
	if (send_cmd("STAT", NULL, NULL) < 0 ||
	    (r = read_status("STAT", &s, line, sizeof line)) == -2)
		finish(EXIT_NET, t0, u.host);
	if (r == POP3_ERR) {
		report_err("STAT", &s);
		quit(0);
		finish(EXIT_NO, t0, u.host);
	}
	{
		uint64_t cnt, sz;

		if ((r = pop3_stat(s.text, s.textlen, &cnt, &sz)) < 0) {
			say_peer("STAT", s.text, s.textlen);
			tb_warn("STAT: %s", pop3_perr_str(r));
			finish(EXIT_NET, t0, u.host);
		}
		stat_count = cnt;
		stat_size = sz;
	}
	if (want) {
		char num[24];

		snprintf(num, sizeof num, "%llu", (unsigned long long)want);
		if (want > stat_count) {
			tb_warn("message %s: the mailbox holds %llu", num, (unsigned long long)stat_count);
			quit(0);
			finish(EXIT_NO, t0, u.host);
		}
		if (send_cmd("LIST", num, NULL) < 0 ||
		    (r = read_status("LIST", &s, line, sizeof line)) == -2)
			finish(EXIT_NET, t0, u.host);
		if (r == POP3_ERR) {
			report_err("LIST", &s);
			quit(0);
			finish(EXIT_NO, t0, u.host);
		}
		first_num = want;
		list_line(s.text, s.textlen);
		if (nmsgs != 1) {
			tb_warn("LIST %s: the reply names another message", num);
			finish(EXIT_NET, t0, u.host);
		}
		uids_ok = 1;
		if (send_cmd("UIDL", num, NULL) < 0 ||
		    (r = read_status("UIDL", &s, line, sizeof line)) == -2)
			finish(EXIT_NET, t0, u.host);
		if (r == POP3_OK)
			uidl_line(s.text, s.textlen);
		else
			uids_ok = 0;
	} else if (stat_count > 0) {
		if (send_cmd("LIST", NULL, NULL) < 0 ||
		    (r = read_status("LIST", &s, line, sizeof line)) == -2)
			finish(EXIT_NET, t0, u.host);
		if (r == POP3_ERR) {
			report_err("LIST", &s);
			quit(0);
			finish(EXIT_NO, t0, u.host);
		}
		if (read_lines("LIST", list_line, (stat_count + 16) * LISTING_LINE) < 0)
			finish(EXIT_NET, t0, u.host);
		if (nmsgs != stat_count) {
			/* POP-13: a listing cut short by a "." line, or padded */
			tb_warn("LIST shows %zu messages, STAT said %llu: out of step", nmsgs,
			    (unsigned long long)stat_count);
			finish(EXIT_NET, t0, u.host);
		}
		if (unasked("LIST"))
			finish(EXIT_NET, t0, u.host);
		uids_ok = 1;
		bad_lines = 0;
		if (send_cmd("UIDL", NULL, NULL) < 0 ||
		    (r = read_status("UIDL", &s, line, sizeof line)) == -2)
			finish(EXIT_NET, t0, u.host);
		if (r == POP3_OK) {
			if (read_lines("UIDL", uidl_line, (stat_count + 16) * LISTING_LINE) < 0)
				finish(EXIT_NET, t0, u.host);
		} else {
			uids_ok = 0;
		}
	}
	if (unasked("the listings"))
		finish(EXIT_NET, t0, u.host);
	check_uids(have_state);
	if (have_state && !uids_ok && nmsgs) {
		tb_warn("no usable unique-ids: --new cannot tell old from new; fetching every message");
		have_state = 0;
	}

	/* choose: count (the state keeps only the ids the server still has) */
	for (i = 0; i < nmsgs; i++) {
		struct msg m;

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

	if (o.mode == MODE_LIST) {
		for (i = 0; i < nsel; i++) {
			struct msg m;

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
		ex = quit(0) < 0 ? EXIT_NET : EXIT_OK;
		finish(ex, t0, u.host);
	}
	if (o.mode == MODE_SCAN) {
		static struct hdr h;
		char date[256], from[512], subj[1024], num[24];

		for (i = 0; i < nsel; i++) {
			struct pop3_ml ml;
			struct msg m;

			next_sel(&m);
			snprintf(num, sizeof num, "%llu", (unsigned long long)m.num);
			if (send_cmd("TOP", num, "0") < 0 ||
			    (r = read_status("TOP", &s, line, sizeof line)) == -2)
				finish(EXIT_NET, t0, u.host);
			if (r == POP3_ERR) {
				report_err("TOP", &s);
				ex = exit_worst(ex, EXIT_NO);
				continue;
			}
			h.len = 0;
			pop3_ml_init(&ml, 0);
			if (read_body("TOP", &ml, hdr_fn, &h, m.size,
			    3 * m.size + BODY_SLACK) < 0)
				finish(EXIT_NET, t0, u.host);
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
			} else {
				printf("%s\t%llu\t%s\t", num, (unsigned long long)m.size,
				    m.uid[0] ? m.uid : "-");
				tb_escape(stdout, date, strlen(date), 1);
				putchar('\t');
				tb_escape(stdout, from, strlen(from), 1);
				putchar('\t');
				tb_escape(stdout, subj, strlen(subj), 1);
				putchar('\n');
			}
		}
		r = quit(0);
		finish(exit_worst(ex, r < 0 ? EXIT_NET : EXIT_OK), t0, u.host);
	}
	ex = fetch_all(nsel);
	if (o.out && fflush(stdout) != 0)
		ex = exit_worst(ex, EXIT_LOCAL);
	finish(ex, t0, u.host);
	return ex;
}
