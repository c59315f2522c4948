/*
 * smtpsend - send a message over SMTP, to a named server or straight to
 * each recipient's MX, with one verdict line per recipient.
 * RFC 5321, 5322, 2045-2049, 2920, 1870, 6152, 4954.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dnsnet.h"
#include "conn.h"
#include "resolv.h"
#include "secret.h"
#include "tubes.h"
#include "mail.h"
#include "mime.h"
#include "smtp.h"

#define MAX_RCPT 1024
#define MAX_LIST 64
#define MSG_MAX ((size_t)256 << 20)

static const char usage_text[] =
    "usage: smtpsend [-46hjntVvX] [-s server[:port]] [-p port] [-f from] [-S subject]\n"
    "                [-a file]... [-H 'Name: value']... [--ehlo name]\n"
    "                [--auth plain|login -u user] [--password-file file] [--batch mbox]\n"
    "                [--via cmd] [--date date] [--message-id id] [-w deadline] [-W wait]\n"
    "                [recipient...]\n";

struct rcpt {
	char addr[256];
	size_t idx;		/* its place on the command line, for a stable sort */
	int code;		/* reply code, 0 = none (not tried, or no reply) */
	char text[512];		/* its text, or why there was none */
	int final;		/* a verdict is known */
};

struct msg {
	uint8_t *m;		/* the message, header and body */
	size_t len;
	int cls;		/* mail_classify */
	struct rcpt *r;
	size_t nr, cap;
	int done;		/* its data line is out */
};

struct opt {
	const char *server, *from, *subject, *ehlo, *auth, *user, *pwfile;
	const char *batch, *via, *date, *msgid;
	const char *attach[MAX_LIST], *hdr[MAX_LIST];
	int nattach, nhdr;
	uint16_t port;
	int tflag, dry, verbose, json, layers, family;
	int64_t deadline, wait;
};

struct ctx {
	struct opt o;
	struct json js;
	struct layers lv;
	struct conn *c;
	char host[256];		/* our name for EHLO and Message-ID */
	char pass[1024];
	int have_pass;
	int exitc;
	unsigned sent, failed, accepted, refused, deferred;
	int64_t t0;
	/* attachments, read once */
	struct mail_part parts[MAX_LIST];
	uint8_t *pdata[MAX_LIST];
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
	    "      --auth plain|login    authenticate as -u USER (password: --password-file,\n"
	    "                            ~/.netrc or SMTPSEND_PASSWORD)\n"
	    "      --batch MBOX          send every message of MBOX over one connection\n"
	    "      --via CMD             talk through CMD (%h host, %p port), e.g. openssl s_client\n"
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
static void __attribute__((format(printf, 1, 2)))
warn_esc(const char *fmt, ...)
{
	char buf[1400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	fflush(stdout);
	fprintf(stderr, "%s: ", tb_prog);
	tb_escape(stderr, buf, strlen(buf), 1);
	fputc('\n', stderr);
	said = 1;
}

static void *
xmalloc(size_t n)
{
	void *p = tb_malloc(n);

	if (p == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	return p;
}

/* all of fd in a heap buffer, or die */
static uint8_t *
slurp_fd(int fd, const char *name, size_t *lenp)
{
	char *b = tb_slurp_fd(fd, MSG_MAX, lenp);

	if (b == NULL && errno == EFBIG)
		tb_die(EXIT_LOCAL, "%s: larger than %zu MiB", name, MSG_MAX >> 20);
	if (b == NULL)
		tb_die(EXIT_LOCAL, "%s: %s", name, errno == ENOMEM ? "out of memory" : strerror(errno));
	return (uint8_t *)b;
}

static uint8_t *
slurp_file(const char *path, size_t *lenp)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	uint8_t *b;

	if (fd < 0)
		tb_die(EXIT_LOCAL, "%s: %s", path, strerror(errno));
	b = slurp_fd(fd, path, lenp);
	close(fd);
	return b;
}

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

static void
copy_text(char *dst, size_t cap, const char *t, size_t n)
{
	size_t k = n < cap - 1 ? n : cap - 1, i;

	memcpy(dst, t, k);
	for (i = 0; i < k; i++)
		if (dst[i] == '\n')
			dst[i] = ' ';
	dst[k] = '\0';
}

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--) {
		h ^= *b++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static const char *
guess_type(const char *name)
{
	static const char *const t[][2] = {
		{ ".txt", "text/plain" }, { ".html", "text/html" }, { ".csv", "text/csv" },
		{ ".pdf", "application/pdf" }, { ".png", "image/png" }, { ".jpg", "image/jpeg" },
		{ ".jpeg", "image/jpeg" }, { ".gif", "image/gif" }, { ".zip", "application/zip" },
		{ ".gz", "application/gzip" }, { ".json", "application/json" },
	};
	size_t n = strlen(name), i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		size_t k = strlen(t[i][0]);

		if (n > k && strcasecmp(name + n - k, t[i][0]) == 0)
			return t[i][1];
	}
	return "application/octet-stream";
}

/* --- the conversation ----------------------------------------------------------- */

enum { OK, TEMP, PERM, NET, PROTO, AGAIN };	/* how a step ended; AGAIN: reconnect, go on */

/*
 * The commands whose replies are still to come, in order (a server
 * answers in order, RFC 2920 3.1): so that a reply that times out or
 * does not parse is named by the command it answers.
 */
#define PENDING_MAX 2048
static const char *pending[PENDING_MAX];
static size_t pend_head, pend_n;
static int greeted;
static const char *last_stage = "greeting";	/* what the last reply answered */

static void
pending_reset(void)
{
	pend_head = pend_n = 0;
	greeted = 0;
}

static void
pending_push(const char *what)
{
	if (pend_n < PENDING_MAX)
		pending[(pend_head + pend_n++) % PENDING_MAX] = what;
}

/* the command the next reply answers ("greeting" first) */
static const char *
pending_pop(void)
{
	const char *w;

	if (!greeted) {
		greeted = 1;
		return "greeting";
	}
	if (pend_n == 0)
		return "reply";
	w = pending[pend_head];
	pend_head = (pend_head + 1) % PENDING_MAX;
	pend_n--;
	return w;
}

static const char *
verb_of(const char *p, size_t n, int secret)
{
	static const char *const verbs[] = { "EHLO", "HELO", "AUTH", "MAIL", "RCPT", "DATA",
	    "RSET", "QUIT", "NOOP" };
	size_t i;

	for (i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
		if (n >= 4 && strncasecmp(p, verbs[i], 4) == 0 && (n == 4 || p[4] == ' '))
			return verbs[i];
	return secret ? "AUTH" : "command";
}

/* send bytes holding one or more command lines; trace and -X them */
static int
send_cmds(struct ctx *x, const char *buf, size_t len, int secret)
{
	const char *p = buf, *end = buf + len, *nl;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			break;
		pending_push(verb_of(p, (size_t)(nl - p) - (nl > p && nl[-1] == '\r'), secret));
	}
	p = buf;
	if (x->o.verbose || x->o.layers) {
		for (; p < end; p = nl + 1) {
			nl = memchr(p, '\n', (size_t)(end - p));
			if (nl == NULL)
				break;
			size_t n = (size_t)(nl - p) - (nl > p && nl[-1] == '\r');
			int sec = secret != 0;

			if (x->o.verbose) {
				fputs("C: ", stderr);
				if (sec) {
					/* "AUTH PLAIN xxx": the verb and mechanism stay */
					size_t keep = 0, sp = 0;

					while (secret == 1 && keep < n && sp < 2)
						if (p[keep++] == ' ')
							sp++;
					tb_escape(stderr, p, keep, 1);
					fputs("********", stderr);
				} else {
					tb_escape(stderr, p, n, 1);
				}
				fputc('\n', stderr);
			}
			if (x->o.layers)
				smtp_layers_cmd(&x->lv, p, n, sec);
		}
	}
	if (conn_write(x->c, buf, len) < 0)
		return NET;
	return OK;
}

/* is anything waiting that we did not ask for?  (SMTP-11) */
static int
unsolicited(struct conn *c)
{
	struct pollfd pfd;

	if (c->off < c->len)
		return 1;
	pfd.fd = c->rfd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN)) {
		char b;

		/* EOF is not data: let the next read report it */
		return recv(c->rfd, &b, 1, MSG_PEEK | MSG_DONTWAIT) == 1;
	}
	return 0;
}

static const char *why_net;

/*
 * One reply, whole within total µs (and the -w deadline) however its
 * bytes come: -W is the limit between two bytes and for the whole
 * reply, so a server that trickles one byte a second cannot hold us;
 * reply_read bounds its lines (REPLY_MAXLINES) and bytes (REPLY_MAX).
 */
static int
get_reply_within(struct ctx *x, struct reply *r, int64_t total)
{
	static char why[160];
	const char *stage = last_stage = pending_pop();
	const char *pre = strcmp(stage, "greeting") == 0 ? "" : stage;
	int64_t dl = x->c->deadline, idle = x->c->idle;
	int rr;

	x->c->deadline = tb_earliest(x->o.deadline, tb_now() + total);
	if (x->c->idle < 0 || x->c->idle > total)
		x->c->idle = total;
	rr = reply_read(x->c, r);
	x->c->deadline = dl;
	x->c->idle = idle;
	if (rr < 0) {
		int e = errno;
		char t[80];

		if (tb_interrupted)
			snprintf(t, sizeof t, "interrupted");
		else if (e == ETIMEDOUT && x->o.deadline >= 0 && tb_now() >= x->o.deadline)
			snprintf(t, sizeof t, "timed out (the -w deadline)");
		else if (e == ETIMEDOUT)
			snprintf(t, sizeof t, "timed out (no whole reply within %g s)",
			    (double)total / 1e6);
		else if (e == EMSGSIZE)
			snprintf(t, sizeof t, "malformed reply (too long, or too many lines)");
		else
			snprintf(t, sizeof t, "%s", e == EPROTO ? "malformed reply" :
			    e == ECONNRESET || e == EPIPE ? "connection lost" : strerror(e));
		snprintf(why, sizeof why, "%s%s%s", pre, *pre ? ": " : "", t);
		why_net = why;
		return e == EPROTO || e == EMSGSIZE ? PROTO : NET;
	}
	if (x->o.layers)
		smtp_layers_reply(&x->lv, r);
	return r->code / 100 == 2 || r->code / 100 == 3 ? OK : r->code / 100 == 4 ? TEMP : PERM;
}

static int
get_reply(struct ctx *x, struct reply *r)
{
	return get_reply_within(x, r, x->o.wait);
}

static int
cls_exit(int code)
{
	return code / 100 == 5 ? EXIT_NO : code / 100 == 4 ? EXIT_NET : code ? EXIT_OK : EXIT_NET;
}

static void
verdict(struct ctx *x, struct rcpt *r, int code, const char *text, size_t tlen, const char *server)
{
	size_t enh;

	r->code = code;
	copy_text(r->text, sizeof r->text, text, tlen);
	r->final = 1;
	if (code / 100 == 2)
		x->accepted++;
	else if (code / 100 == 5)
		x->refused++;
	else
		x->deferred++;
	if (code)
		x->exitc = exit_worst(x->exitc, cls_exit(code));
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

static void
data_line(struct ctx *x, struct msg *m, int code, const char *text, size_t tlen, size_t bytes,
    int msgno)
{
	if (m)
		m->done = 1;
	if (code / 100 == 2)
		x->sent++;
	else
		x->failed++;
	if (code)
		x->exitc = exit_worst(x->exitc, cls_exit(code));
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

/* every recipient without a verdict gets this one */
static void
verdict_rest(struct ctx *x, struct msg *m, int code, const char *text, const char *server)
{
	size_t i;

	for (i = 0; i < m->nr; i++)
		if (!m->r[i].final)
			verdict(x, &m->r[i], code, text, strlen(text), server);
}

static void
quit(struct ctx *x, int wait)
{
	struct reply *r = xmalloc(sizeof *r);
	const char *why = why_net;

	if (send_cmds(x, "QUIT\r\n", 6, 0) == OK && wait)
		(void)get_reply_within(x, r, 2000000);	/* do not linger for a 221 */
	why_net = why;
	tb_free(r);
}

/*
 * The message up to (not with) its end of data, a piece at a time, so
 * that a signal stops it between pieces: 0, or -1 with why_net set.
 */
static int
send_body(struct ctx *x, const uint8_t *p, size_t n)
{
	size_t k;

	while (n > 0) {
		if (tb_interrupted) {
			why_net = "interrupted";
			return -1;
		}
		k = n < 65536 ? n : 65536;
		if (conn_write(x->c, p, k) < 0) {
			why_net = tb_interrupted ? "interrupted" : errno == ETIMEDOUT ?
			    "timed out sending the message" : strerror(errno);
			return -1;
		}
		p += k;
		n -= k;
	}
	return tb_interrupted ? (why_net = "interrupted", -1) : 0;
}

/*
 * The message as it goes through this server: 8-bit without 8BITMIME
 * becomes quoted-printable.  Sets the wire bytes (heap) or says why not.
 */
static int prepare_wire(struct ctx *, struct msg *, const struct smtp_ext *,
    uint8_t **wire, size_t *wlen, const char **why);

/* does the envelope need SMTPUTF8: a byte over 0x7f in the sender or a recipient? */
static int
utf8_envelope(const struct ctx *x, const struct msg *m)
{
	const unsigned char *p;
	size_t i;

	for (p = (const unsigned char *)x->o.from; *p; p++)
		if (*p >= 0x80)
			return 1;
	for (i = 0; i < m->nr; i++)
		for (p = (const unsigned char *)m->r[i].addr; *p; p++)
			if (*p >= 0x80)
				return 1;
	return 0;
}

/*
 * The messages: one from stdin, held whole; or --batch's mbox, mapped,
 * and prepared one message at a time as the session reaches it, so that
 * a batch holds the same memory whatever its size: the pages of the
 * mbox already sent are given back (MADV_DONTNEED), and only the message
 * in hand is prepared.  Messages are asked for in order; an earlier one
 * (a new connection that starts again) rewinds.
 */
static struct {
	const uint8_t *mb;	/* the mbox mapped, or NULL (one message, held) */
	size_t len, pos, next, rel;
	size_t cur;		/* the index in held */
	struct msg held;
	char **argv;
	int argc;
} bsrc;

static void prepare(struct ctx *, struct msg *, const uint8_t *, size_t, char **, int);

static void
msg_free(struct msg *m)
{
	tb_free(m->m);
	tb_free(m->r);
	m->m = NULL;
	m->r = NULL;
}

/* give back the mapped pages before off: sent, never read again in order */
static void
src_release(size_t off)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE), to = off / pg * pg;

	if (to > bsrc.rel) {
		(void)madvise((void *)(uintptr_t)(bsrc.mb + bsrc.rel), to - bsrc.rel, MADV_DONTNEED);
		bsrc.rel = to;
	}
}

static struct msg *
msg_at(struct ctx *x, size_t k)
{
	size_t off = 0, len = 0, ul;
	uint8_t *u;

	if (k == bsrc.cur || bsrc.mb == NULL)
		return &bsrc.held;
	if (k < bsrc.next)
		bsrc.pos = bsrc.next = bsrc.rel = 0;
	for (;;) {
		if (!mbox_next(bsrc.mb, bsrc.len, &bsrc.pos, &off, &len))
			tb_die(EXIT_LOCAL, "%s: fewer messages than it had", x->o.batch);
		if (bsrc.next++ == k)
			break;
	}
	src_release(off);
	msg_free(&bsrc.held);
	u = xmalloc(len ? len : 1);
	ul = mbox_unquote(u, len, bsrc.mb + off, len);
	prepare(x, &bsrc.held, u, ul, bsrc.argv, bsrc.argc);
	tb_free(u);
	bsrc.cur = k;
	return &bsrc.held;
}

#define MSG(k) (*msg_at(x, (k)))

/*
 * One session on an open connection: greeting, EHLO, AUTH, then each
 * message.  Returns OK when every message got its verdicts here, or
 * TEMP/NET when nothing definitive happened yet (try another MX).
 */
static int
session(struct ctx *x, size_t nmsg, const char *server, int can_retry)
{
	size_t first = bsrc.cur;	/* the messages before it are done */
	struct reply *r = xmalloc(sizeof *r);
	struct smtp_ext ext;
	char line[1200];
	char *cmds = NULL;
	size_t i, k, n, cap, k2;
	int st, rc = OK, helo = 0;
	unsigned nsent = 0, ntrans = 0;

	memset(&ext, 0, sizeof ext);
	/* greeting */
	st = get_reply(x, r);
	if (st == OK && r->code != 220) {
		/* a positive reply that is not a greeting: nothing to trust */
		static char g[640];

		snprintf(g, sizeof g, "malformed reply (%d %.*s)", r->code, (int)r->len, r->text);
		why_net = g;
		st = PROTO;
	}
	if (st != OK || r->code != 220) {
		const char *why = st == NET || st == PROTO ? why_net : NULL;

		if (st == OK || st == TEMP || st == PERM) {
			char t[600];

			snprintf(t, sizeof t, "greeting: %.*s", (int)r->len, r->text);
			quit(x, r->code != 421);
			if (can_retry) {
				static char g[640];

				snprintf(g, sizeof g, "%s: %d %s", server, r->code, t);
				warn_esc("%s", g);
				why_net = g;
				rc = r->code / 100 == 5 ? PERM : TEMP;
				goto out;
			}
			warn_esc("%s: %d %s", server, r->code, t);
			for (k = first; k < nmsg; k++) {
				for (i = 0; i < MSG(k).nr; i++)
					if (!MSG(k).r[i].final)
						verdict(x, &MSG(k).r[i], r->code, t, strlen(t), server);
				data_line(x, msg_at(x, k), r->code, "not sent", 8, 0, nmsg > 1 ? (int)k + 1 : 0);
			}
			goto out;
		}
		rc = NET;
		if (can_retry) {
			warn_esc("%s: greeting: %s", server, why);
			goto out;
		}
		snprintf(line, sizeof line, "greeting: %s", why);
		warn_esc("%s: %s", server, line);
		x->exitc = exit_worst(x->exitc, EXIT_NET);
		for (k = first; k < nmsg; k++) {
			verdict_rest(x, msg_at(x, k), 0, line, server);
			data_line(x, msg_at(x, k), 0, "not sent", 8, 0, nmsg > 1 ? (int)k + 1 : 0);
		}
		goto out;
	}
	/* EHLO, falling back to HELO once (SMTP-10) */
	if (unsolicited(x->c)) {
		why_net = "the server spoke before being asked";
		st = PROTO;
		goto fail_all;
	}
	n = (size_t)snprintf(line, sizeof line, "EHLO %s\r\n", x->host);
	if (send_cmds(x, line, n, 0) != OK) {
		why_net = strerror(errno);
		st = NET;
		goto fail_all;
	}
	st = get_reply(x, r);
	if (st == PERM && r->code != 421) {
		helo = 1;
		n = (size_t)snprintf(line, sizeof line, "HELO %s\r\n", x->host);
		if (send_cmds(x, line, n, 0) != OK) {
			why_net = strerror(errno);
			st = NET;
			goto fail_all;
		}
		st = get_reply(x, r);
	}
	if (st != OK)
		goto fail_reply;
	if (!helo)
		smtp_ehlo_parse(r->text, r->len, &ext);
	/* AUTH (RFC 4954), only when asked */
	if (x->o.auth) {
		uint8_t raw[2048];
		char b64[3000];
		size_t ul = strlen(x->o.user), pl = strlen(x->pass);

		if (ul + pl + 2 > sizeof raw) {
			why_net = "user name or password too long";
			st = PERM;
			goto fail_all;
		}
		if (strcmp(x->o.auth, "plain") == 0) {
			raw[0] = '\0';
			memcpy(raw + 1, x->o.user, ul);
			raw[1 + ul] = '\0';
			memcpy(raw + 2 + ul, x->pass, pl);
			k = b64_encode((uint8_t *)b64, sizeof b64, raw, ul + pl + 2, 0);
			n = (size_t)snprintf(line, sizeof line, "AUTH PLAIN %.*s\r\n", (int)k, b64);
			memset(raw, 0, sizeof raw);
			st = n < sizeof line ? send_cmds(x, line, n, 1) : PERM;
			memset(line, 0, sizeof line);
			if (st == OK)
				st = get_reply(x, r);
		} else {
			st = send_cmds(x, "AUTH LOGIN\r\n", 12, 0);
			if (st == OK)
				st = get_reply(x, r);
			for (i = 0; i < 2 && st == OK && r->code == 334; i++) {
				const char *s = i == 0 ? x->o.user : x->pass;

				k = b64_encode((uint8_t *)b64, sizeof b64 - 2, s, strlen(s), 0);
				memcpy(b64 + k, "\r\n", 2);
				st = send_cmds(x, b64, k + 2, 2);
				memset(b64, 0, sizeof b64);
				if (st == OK)
					st = get_reply(x, r);
			}
		}
		if (st == OK && r->code != 235)
			st = PERM;
		if (st != OK) {
			if (st == TEMP || st == PERM) {
				snprintf(line, sizeof line, "AUTH: %.*s", (int)r->len, r->text);
				why_net = line;
			}
			goto fail_reply;
		}
	}
	/* the transactions */
	for (k = first; k < nmsg; k++) {
		struct msg *m = msg_at(x, k);
		uint8_t *wire = NULL;
		size_t wlen = 0, nacc = 0, naddr = 0;
		const char *why;
		int msgno = nmsg > 1 ? (int)k + 1 : 0, mst, mcode = 0;
		char mtext[600];

		if (tb_interrupted) {
			why_net = "interrupted";
			st = NET;
			goto fail_all;
		}
		for (i = 0; i < m->nr; i++)
			if (!m->r[i].final)
				naddr++;
		if (naddr == 0)
			continue;
		if (prepare_wire(x, m, &ext, &wire, &wlen, &why) < 0) {
			verdict_rest(x, m, 0, why, server);
			data_line(x, msg_at(x, k), 0, why, strlen(why), 0, msgno);
			x->exitc = exit_worst(x->exitc, EXIT_LOCAL);
			continue;
		}
		if (ext.size && ext.size_max && wlen - 3 > ext.size_max) {
			/* RFC 1870: do not send what the server said it will not take */
			snprintf(line, sizeof line, "message of %zu bytes exceeds the server's SIZE %llu",
			    wlen - 3, (unsigned long long)ext.size_max);
			verdict_rest(x, m, 0, "not tried: message too big", server);
			data_line(x, msg_at(x, k), 552, line, strlen(line), wlen - 3, msgno);
			tb_free(wire);
			continue;
		}
		/* MAIL, RCPT..., DATA: one write with PIPELINING (RFC 2920) */
		cap = 64 + 300 * (m->nr + 2);
		cmds = xmalloc(cap);
		n = 0;
		if (ntrans > 0 && !ext.pipelining) {
			/* one at a time: RSET, its reply, then MAIL */
			if (send_cmds(x, "RSET\r\n", 6, 0) != OK) {
				why_net = strerror(errno);
				st = NET;
				tb_free(wire);
				goto fail_all;
			}
			st = get_reply(x, r);
			if (st != OK) {
				tb_free(wire);
				if (st == NET || st == PROTO)
					goto fail_all;
				snprintf(line, sizeof line, "RSET: %.*s", (int)r->len, r->text);
				why_net = line;
				goto fail_reply;
			}
		} else if (ntrans > 0) {
			n += (size_t)snprintf(cmds + n, cap - n, "RSET\r\n");
		}
		n += (size_t)snprintf(cmds + n, cap - n, "MAIL FROM:<%s>", x->o.from);
		if (ext.size)
			n += (size_t)snprintf(cmds + n, cap - n, " SIZE=%zu", wlen - 3);
		if (ext.eightbit && (m->cls & MAIL_8BIT))
			n += (size_t)snprintf(cmds + n, cap - n, " BODY=8BITMIME");
		if (ext.smtputf8 && utf8_envelope(x, m))
			n += (size_t)snprintf(cmds + n, cap - n, " SMTPUTF8");	/* RFC 6531 */
		n += (size_t)snprintf(cmds + n, cap - n, "\r\n");
		if (unsolicited(x->c)) {
			why_net = "the server spoke before being asked";
			st = PROTO;
			tb_free(wire);
			goto fail_all;
		}
		if (ext.pipelining) {
			for (i = 0; i < m->nr; i++)
				if (!m->r[i].final)
					n += (size_t)snprintf(cmds + n, cap - n, "RCPT TO:<%s>\r\n", m->r[i].addr);
			n += (size_t)snprintf(cmds + n, cap - n, "DATA\r\n");
		}
		st = send_cmds(x, cmds, n, 0);
		if (st == OK && ntrans++ > 0 && ext.pipelining)
			st = get_reply(x, r);	/* RSET */
		if (st == OK || st == TEMP || st == PERM)
			st = get_reply(x, r);	/* MAIL */
		mst = st;
		if (mst == TEMP || mst == PERM) {
			char t[600];

			snprintf(t, sizeof t, "MAIL FROM: %.*s", (int)r->len, r->text);
			mcode = r->code;
			copy_text(mtext, sizeof mtext, t, strlen(t));
			if (mst == TEMP && nsent > 0) {
				/*
				 * A limit of messages per session (OpenSMTPD's 452
				 * after 100): take the pending replies, QUIT, and
				 * go on over a new connection.
				 */
				for (i = 0; ext.pipelining && i <= naddr; i++)
					if (get_reply(x, r) == NET)
						break;
				tb_free(wire);
				if (x->o.verbose)
					warn_esc("%s: reconnecting after %u messages", server, nsent);
				quit(x, 1);
				rc = AGAIN;
				goto out;
			}
			if (!ext.pipelining) {
				if (r->code == 421) {
					tb_free(wire);
					goto fail_reply;
				}
				verdict_rest(x, m, r->code, t, server);
				data_line(x, msg_at(x, k), r->code, "not sent", 8, 0, msgno);
				tb_free(wire);
				tb_free(cmds);
				cmds = NULL;
				continue;
			}
		}
		if (mst == NET || mst == PROTO) {
			tb_free(wire);
			goto fail_all;
		}
		for (i = 0; i < m->nr; i++) {
			struct rcpt *rc_ = &m->r[i];

			if (rc_->final)
				continue;
			if (!ext.pipelining) {
				n = (size_t)snprintf(cmds, cap, "RCPT TO:<%s>\r\n", rc_->addr);
				if (send_cmds(x, cmds, n, 0) != OK) {
					why_net = strerror(errno);
					st = NET;
					break;
				}
			}
			st = get_reply(x, r);
			if (st == NET || st == PROTO)
				break;
			if (mst != OK) {
				verdict(x, rc_, mcode, mtext, strlen(mtext), server);
				continue;
			}
			verdict(x, rc_, r->code, r->text, r->len, server);
			if (r->code / 100 == 2)
				nacc++;
			if (r->code == 421) {
				/* closing: nothing more will be answered */
				snprintf(line, sizeof line, "%d RCPT: %.*s", r->code, (int)r->len, r->text);
				why_net = line;
				st = NET;
				break;
			}
		}
		if (st == NET || st == PROTO) {
			tb_free(wire);
			goto fail_all;
		}
		/* DATA: only with a recipient (SMTP-03, SMTP-04) */
		if (!ext.pipelining && nacc > 0) {
			if (send_cmds(x, "DATA\r\n", 6, 0) != OK) {
				why_net = strerror(errno);
				st = NET;
				tb_free(wire);
				goto fail_all;
			}
		}
		if (ext.pipelining || nacc > 0) {
			st = get_reply(x, r);
			if (st == NET || st == PROTO) {
				tb_free(wire);
				goto fail_all;
			}
			if (st == OK && r->code == 354 && nacc == 0) {
				/* RFC 2920 3.1: end the data we must not send */
				(void)send_cmds(x, ".\r\n", 3, 0);
				(void)get_reply(x, r);
				st = PERM;
			}
		}
		if (nacc == 0) {
			if (mst != OK)
				data_line(x, msg_at(x, k), mcode, "not sent: sender refused", 24, 0, msgno);
			else
				data_line(x, msg_at(x, k), 0, "not sent: no recipient accepted", 31, 0, msgno);
			tb_free(wire);
			tb_free(cmds);
			cmds = NULL;
			continue;
		}
		if (st != OK || r->code != 354) {
			/* SMTP-09: no body unless 354 */
			char t[600];

			snprintf(t, sizeof t, "DATA: %.*s", (int)r->len, r->text);
			data_line(x, msg_at(x, k), r->code / 100 == 2 || r->code / 100 == 3 ? 554 : r->code, t,
			    strlen(t), 0, msgno);
			tb_free(wire);
			tb_free(cmds);
			cmds = NULL;
			if (r->code == 421 || r->code / 100 == 3 || r->code / 100 == 2) {
				/* closing, or somewhere we cannot follow: the rest is not sent */
				snprintf(line, sizeof line, "%d DATA: %.*s", r->code, (int)r->len, r->text);
				why_net = r->code == 421 ? line : "unexpected reply to DATA";
				st = NET;
				goto fail_all;
			}
			continue;
		}
		if (x->o.verbose)
			fprintf(stderr, "C: (message, %zu bytes)\nC: .\n", wlen - 3);
		if (x->o.layers) {
			lv_packet(&x->lv, "sent message, %zu bytes", wlen);
			lv_layer(&x->lv, "SMTP mail data (RFC 5321 4.5.2), %zu bytes", wlen);
			lv_field(&x->lv, "end of data", "CRLF . CRLF");
			smtp_layers_message(&x->lv, m->m, m->len);
			lv_hex(&x->lv, wire, wlen > 4096 ? 4096 : wlen);
			if (wlen > 4096)
				fprintf(stderr, "    (%zu more bytes)\n", wlen - 4096);
		}
		/*
		 * All but the last piece, then the last piece with the end of
		 * data in one write (a write of its own would wait on Nagle
		 * and the server's delayed ACK, some 40 ms a message).  A
		 * write that fails has not sent its last bytes: the end of
		 * data never went whole, and the message is not sent.
		 */
		k2 = wlen - 3 > 65536 ? (wlen - 3 - 1) / 65536 * 65536 : 0;
		if (send_body(x, wire, k2) < 0) {
			tb_free(wire);
			st = NET;
			goto cut_in_data;
		}
		if (conn_write(x->c, wire + k2, wlen - k2) < 0) {
			why_net = tb_interrupted ? "interrupted" : errno == ETIMEDOUT ?
			    "timed out sending the message" : strerror(errno);
			tb_free(wire);
			st = NET;
			goto cut_in_data;
		}
		pending_push("end of data");
		st = get_reply(x, r);
		if (st == NET || st == PROTO) {
			tb_free(wire);
			goto lost_in_data;
		}
		data_line(x, msg_at(x, k), r->code, r->text, r->len, wlen - 3, msgno);
		nsent++;
		tb_free(wire);
		tb_free(cmds);
		cmds = NULL;
		if (r->code == 421) {
			snprintf(line, sizeof line, "%d end of data: %.*s", r->code, (int)r->len, r->text);
			why_net = line;
			st = NET;
			goto fail_all;
		}
	}
	if (unsolicited(x->c))
		warn_esc("%s: the server sent more than the replies asked for", server);
	quit(x, 1);
	goto out;

cut_in_data:
	/*
	 * The message was cut before its end of data: the server discards
	 * what it got (RFC 5321 4.1.1.4), so it is not sent, and nothing
	 * more may go on this connection (a QUIT would be message text):
	 * it is closed as it is.
	 */
	snprintf(line, sizeof line, "not sent: %s before the end of the message "
	    "(never sent: the server discards it)", why_net);
	goto report_data;
lost_in_data:
	/* SMTP-08: only 250 to end-of-data transfers responsibility */
	snprintf(line, sizeof line, "no final reply after the message (%s): not sent; "
	    "a duplicate is possible on retry", why_net);
report_data:
	if (nmsg > 1)
		warn_esc("%s: message %zu: %s", server, k + 1, line);
	else
		warn_esc("%s: %s", server, line);
	data_line(x, msg_at(x, k), 0, line, strlen(line), 0, nmsg > 1 ? (int)k + 1 : 0);
	x->exitc = exit_worst(x->exitc, EXIT_NET);
	for (k++; k < nmsg; k++) {
		verdict_rest(x, msg_at(x, k), 0, why_net, server);
		data_line(x, msg_at(x, k), 0, "not sent", 8, 0, (int)k + 1);
	}
	rc = OK;
	goto out;

fail_reply:
	if (st == TEMP || st == PERM) {
		char t[600];

		copy_text(t, sizeof t, r->text, r->len);
		if (why_net != line)
			snprintf(line, sizeof line, "%s: %s", last_stage, t);
		if (r->code != 421)
			quit(x, 1);
		warn_esc("%s: %d %s", server, r->code, line);
		if (can_retry && st == TEMP) {
			rc = TEMP;
			goto out;
		}
		for (k = first; k < nmsg; k++) {
			if (MSG(k).done)
				continue;
			for (i = 0; i < MSG(k).nr; i++)
				if (!MSG(k).r[i].final)
					verdict(x, &MSG(k).r[i], r->code, line, strlen(line), server);
			data_line(x, msg_at(x, k), r->code, "not sent", 8, 0, nmsg > 1 ? (int)k + 1 : 0);
		}
		goto out;
	}
fail_all:
	if (can_retry) {
		int any = 0;

		for (k = first; k < nmsg; k++)
			for (i = 0; i < MSG(k).nr; i++)
				any |= MSG(k).r[i].final;
		if (!any) {
			warn_esc("%s: %s", server, why_net);
			rc = NET;
			goto out;
		}
	}
	warn_esc("%s: %s", server, why_net ? why_net : "failed");
	for (k = first; k < nmsg; k++) {
		const char *w = why_net ? why_net : "failed";
		char ns[700];

		if (MSG(k).done)
			continue;
		verdict_rest(x, msg_at(x, k), 0, w, server);
		snprintf(ns, sizeof ns, "not sent: %s", w);
		data_line(x, msg_at(x, k), 0, ns, strlen(ns), 0, nmsg > 1 ? (int)k + 1 : 0);
	}
	if (st == PROTO)
		quit(x, 1);
	x->exitc = exit_worst(x->exitc, EXIT_NET);
out:
	tb_free(cmds);
	tb_free(r);
	return rc;
}

static int
prepare_wire(struct ctx *x, struct msg *m, const struct smtp_ext *ext,
    uint8_t **wire, size_t *wlen, const char **why)
{
	static char whybuf[160];
	const uint8_t *src = m->m;
	size_t slen = m->len, line, n;
	uint8_t *conv = NULL;
	int r;

	(void)x;
	if (((m->cls & MAIL_8BIT) && !ext->eightbit) || (m->cls & MAIL_LONG)) {
		/* RFC 6152: a 7-bit path gets quoted-printable; so do lines over 998 */
		n = mail_to_qp(NULL, 0, src, slen);
		if (n == 0) {
			*why = m->cls & MAIL_LONG ? "a line over 998 octets in a message that cannot be "
			    "converted to quoted-printable" :
			    "8-bit message, the server lacks 8BITMIME, and it cannot be converted";
			return -1;
		}
		conv = xmalloc(n);
		mail_to_qp(conv, n, src, slen);
		src = conv;
		slen = n;
	}
	r = data_encode(NULL, 0, src, slen, &n, &line);
	if (r != DATA_OK) {
		snprintf(whybuf, sizeof whybuf, "message line %zu: %s", line, data_strerror(r));
		*why = whybuf;
		tb_free(conv);
		return -1;
	}
	*wire = xmalloc(n);
	data_encode(*wire, n, src, slen, wlen, &line);
	tb_free(conv);
	return 0;
}

/* --- preparing messages ------------------------------------------------------ */

static int
field_is(const struct mail_field *f, const char *name)
{
	return f->namelen == strlen(name) && strncasecmp((const char *)f->name, name, f->namelen) == 0;
}

/* the value without leading white space */
static const uint8_t *
fvalue(const struct mail_field *f, size_t *len)
{
	const uint8_t *v = f->value;
	size_t n = f->valuelen;

	while (n && (*v == ' ' || *v == '\t'))
		v++, n--;
	*len = n;
	return v;
}

static void
add_rcpt(struct msg *m, const char *a, size_t alen)
{
	size_t i;

	if (alen == 0 || alen >= sizeof m->r[0].addr)
		tb_die(EXIT_LOCAL, "recipient address too long");
	for (i = 0; i < m->nr; i++)
		if (strlen(m->r[i].addr) == alen && strncasecmp(m->r[i].addr, a, alen) == 0)
			return;	/* once each */
	if (m->nr >= MAX_RCPT)
		tb_die(EXIT_LOCAL, "more than %d recipients", MAX_RCPT);
	if (m->nr == m->cap) {
		/* grown as needed: a batch prepares a message at a time, each its own size */
		size_t nc = m->cap ? m->cap * 2 : 8;
		struct rcpt *v = tb_realloc(m->r, sizeof *v * nc);

		if (v == NULL)
			tb_die(EXIT_LOCAL, "out of memory");
		m->r = v;
		m->cap = nc;
	}
	memset(&m->r[m->nr], 0, sizeof m->r[0]);
	memcpy(m->r[m->nr].addr, a, alen);
	m->r[m->nr].addr[alen] = '\0';
	m->r[m->nr].idx = m->nr;
	if (smtp_addr_ok(m->r[m->nr].addr, 0) < 0) {
		fprintf(stderr, "%s: recipient address refused (control byte, <, >, space or bad form): ",
		    tb_prog);
		tb_escape(stderr, a, alen, 1);
		fputc('\n', stderr);
		tb_exit(EXIT_LOCAL);
	}
	m->nr++;
}

static void
gen_date(struct ctx *x, char *d, size_t cap)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	long long t;

	if (x->o.date) {
		snprintf(d, cap, "%s", x->o.date);
	} else if (sde && *sde) {
		if (tb_num(sde, 0, 253402300799LL, &t) < 0)
			tb_die(EXIT_LOCAL, "SOURCE_DATE_EPOCH: not a number of seconds");
		mail_date(d, cap, t);
	} else {
		mail_date(d, cap, tb_wall() / 1000000);
	}
}

static void
gen_msgid(struct ctx *x, char *id, size_t cap, uint64_t h)
{
	const char *dom = smtp_addr_domain(x->o.from);
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	uint64_t rnd = 0;

	if (x->o.msgid) {
		snprintf(id, cap, x->o.msgid[0] == '<' ? "%s" : "<%s>", x->o.msgid);
		return;
	}
	if (dom == NULL)
		dom = x->host;
	if (sde && *sde) {
		snprintf(id, cap, "<%s.%016llx@%s>", sde, (unsigned long long)h, dom);
		return;
	}
	(void)tb_random(&rnd, sizeof rnd);
	snprintf(id, cap, "<%lld.%016llx@%s>", (long long)(tb_wall() / 1000000),
	    (unsigned long long)rnd, dom);
}

/* recipients: the command line's, then with -t the header's */
static void
collect_rcpts(struct ctx *x, struct msg *m, const uint8_t *in, size_t hend, int hashdr,
    char **argv_rcpt, int nargv)
{
	static const char *const fields[] = { "To", "Cc", "Bcc" };
	struct mail_field f;
	size_t i, pos, fpos;
	char a[256];
	int r;

	m->r = NULL;
	m->nr = m->cap = 0;
	for (i = 0; i < (size_t)nargv; i++)
		add_rcpt(m, argv_rcpt[i], strlen(argv_rcpt[i]));
	if (x->o.tflag) {
		if (!hashdr)
			tb_die(EXIT_LOCAL, "-t: the message has no header block");
		for (i = 0; i < 3; i++) {
			fpos = 0;
			while (mail_field_next(in, hend, &fpos, &f)) {
				if (!field_is(&f, fields[i]))
					continue;
				pos = 0;
				while ((r = mail_addr_next(f.value, f.valuelen, &pos, a, sizeof a)) == 1)
					add_rcpt(m, a, strlen(a));
				if (r < 0)
					tb_die(EXIT_LOCAL, "-t: a malformed address in %s:", fields[i]);
			}
		}
	}
	if (m->nr == 0)
		tb_die(EXIT_LOCAL, "no recipient (give addresses, or -t)");
}

/* rebuild an existing plain-text message around attachments */
static void
wrap_existing(struct ctx *x, struct mail_msg *mm, const uint8_t *in, size_t hend,
    const char ***extra, size_t *nextra, char ***store)
{
	struct mail_field f;
	size_t pos = 0, n = 0, vl;
	const uint8_t *v;

	*extra = xmalloc(sizeof **extra * (256 + MAX_LIST));
	*store = xmalloc(sizeof **store * 256);
	while (mail_field_next(in, hend, &pos, &f)) {
		size_t l = f.len;

		if (field_is(&f, "Content-Type")) {
			v = fvalue(&f, &vl);
			if (vl < 10 || strncasecmp((const char *)v, "text/plain", 10) != 0)
				tb_die(EXIT_LOCAL, "-a: the message is already MIME (not text/plain)");
			continue;
		}
		if (field_is(&f, "Content-Transfer-Encoding")) {
			v = fvalue(&f, &vl);
			if (vl < 4 || (strncasecmp((const char *)v, "7bit", 4) != 0 &&
			    strncasecmp((const char *)v, "8bit", 4) != 0))
				tb_die(EXIT_LOCAL, "-a: the message body is already encoded");
			continue;
		}
		if (field_is(&f, "MIME-Version") ||
		    (x->o.tflag && (field_is(&f, "Bcc") || field_is(&f, "Resent-Bcc"))))
			continue;
		if (field_is(&f, "Date"))
			mm->date = NULL;
		if (field_is(&f, "Message-ID"))
			mm->msgid = NULL;
		if (field_is(&f, "From"))
			mm->from = NULL;
		if (field_is(&f, "Subject"))
			mm->subject = NULL;
		if (n >= 256)
			tb_die(EXIT_LOCAL, "-a: too many header fields");
		while (l && (f.name[l - 1] == '\n' || f.name[l - 1] == '\r'))
			l--;
		(*store)[n] = xmalloc(l + 1);
		memcpy((*store)[n], f.name, l);
		(*store)[n][l] = '\0';
		(*extra)[n] = (*store)[n];
		n++;
	}
	*nextra = n;
}

/*
 * The message to send, from what came on stdin or out of the mbox: as it
 * is, with Date, Message-ID, From (and -S, -H) added when missing and Bcc
 * removed with -t; or built, with -a attachments.
 */
static void
prepare(struct ctx *x, struct msg *m, const uint8_t *in, size_t inlen, char **argv_rcpt, int nargv)
{
	static const char *const bcc[] = { "Bcc", "Resent-Bcc", NULL };
	static char dl[160], il[600], sl[1100], fl[700];
	const char *add[MAX_LIST + 4];
	char date[128], id[512];
	size_t hend = 0, body = 0, nadd = 0, n, i;
	struct mail_field f;
	int hashdr = mail_split(in, inlen, &hend, &body);
	uint64_t h = fnv(0xcbf29ce484222325ULL, in, inlen);

	memset(m, 0, sizeof *m);
	collect_rcpts(x, m, in, hend, hashdr, argv_rcpt, nargv);
	for (i = 0; i < (size_t)x->o.nattach; i++)
		h = fnv(h, x->parts[i].data, x->parts[i].len);
	gen_date(x, date, sizeof date);
	gen_msgid(x, id, sizeof id, h);
	if (hashdr && x->o.nattach == 0) {
		if (!mail_field_find(in, hend, "Date", &f)) {
			snprintf(dl, sizeof dl, "Date: %s", date);
			add[nadd++] = dl;
		}
		if (!mail_field_find(in, hend, "Message-ID", &f)) {
			snprintf(il, sizeof il, "Message-ID: %s", id);
			add[nadd++] = il;
		}
		if (!mail_field_find(in, hend, "From", &f) && x->o.from[0]) {
			snprintf(fl, sizeof fl, "From: %s", x->o.from);
			add[nadd++] = fl;
		}
		if (x->o.subject && !mail_field_find(in, hend, "Subject", &f)) {
			n = (size_t)snprintf(sl, sizeof sl, "Subject: ");
			n += mime_encode_words(sl + n, sizeof sl - n, x->o.subject, strlen(x->o.subject), 9);
			if (n >= sizeof sl)
				tb_die(EXIT_LOCAL, "-S: subject too long");
			sl[n] = '\0';
			add[nadd++] = sl;
		}
		for (i = 0; i < (size_t)x->o.nhdr; i++)
			add[nadd++] = x->o.hdr[i];
		n = mail_amend(NULL, 0, in, inlen, add, nadd, x->o.tflag ? bcc : NULL);
		m->m = xmalloc(n);
		m->len = mail_amend(m->m, n, in, inlen, add, nadd, x->o.tflag ? bcc : NULL);
	} else {
		struct mail_msg mm;
		char to[4096], boundary[64];
		const char **extra = NULL;
		char **store = NULL;
		size_t nextra = 0, tl = 0;
		int cls;

		memset(&mm, 0, sizeof mm);
		mm.from = x->o.from[0] ? x->o.from : NULL;
		mm.subject = x->o.subject;
		mm.date = date;
		mm.msgid = id;
		if (hashdr) {
			wrap_existing(x, &mm, in, hend, &extra, &nextra, &store);
			mm.body = in + body;
			mm.bodylen = inlen - body;
		} else {
			for (i = 0; i < m->nr; i++) {
				n = (size_t)snprintf(to + tl, sizeof to - tl, "%s%s", i ? ", " : "", m->r[i].addr);
				if (n >= sizeof to - tl)
					tb_die(EXIT_LOCAL, "too many recipients for a To: field");
				tl += n;
			}
			mm.to = to;
			mm.body = in;
			mm.bodylen = inlen;
			extra = xmalloc(sizeof *extra * MAX_LIST);
		}
		for (i = 0; i < (size_t)x->o.nhdr; i++)
			extra[nextra++] = x->o.hdr[i];
		mm.extra = extra;
		mm.nextra = nextra;
		cls = mail_classify(mm.body, mm.bodylen);
		if (cls & MAIL_BARECR)
			tb_die(EXIT_LOCAL, "the message has a bare CR (refused: SMTP smuggling)");
		/* long lines, or 8-bit text beside attachments, go quoted-printable */
		mm.cte = (cls & MAIL_LONG) || ((cls & MAIL_8BIT) && x->o.nattach) ? CTE_QP :
		    cls & MAIL_8BIT ? CTE_8BIT : CTE_7BIT;
		mm.parts = x->parts;
		mm.nparts = (size_t)x->o.nattach;
		for (uint64_t salt = h;; salt++) {
			snprintf(boundary, sizeof boundary, "=_tubes_%016llx", (unsigned long long)salt);
			if (memmem(mm.body, mm.bodylen, boundary, strlen(boundary)) == NULL)
				break;
		}
		mm.boundary = boundary;
		n = mail_build(NULL, 0, &mm);
		m->m = xmalloc(n);
		m->len = mail_build(m->m, n, &mm);
		if (store)
			for (i = 0; i < nextra; i++)
				if (i < 256 && store[i] && extra[i] == store[i])
					tb_free(store[i]);
		tb_free(store);
		tb_free(extra);
	}
	m->cls = mail_classify(m->m, m->len);
	if (m->cls & MAIL_BARECR)
		tb_die(EXIT_LOCAL, "the message has a bare CR (refused: SMTP smuggling)");
	if (m->cls & MAIL_NUL)
		tb_die(EXIT_LOCAL, "the message has a NUL byte");
}

static void
read_attachments(struct ctx *x)
{
	int i;

	for (i = 0; i < x->o.nattach; i++) {
		const char *p = x->o.attach[i], *base = strrchr(p, '/');
		size_t len;

		x->pdata[i] = slurp_file(p, &len);
		x->parts[i].data = x->pdata[i];
		x->parts[i].len = len;
		x->parts[i].name = base ? base + 1 : p;
		x->parts[i].type = guess_type(x->parts[i].name);
	}
}

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
		tb_tcpinfo_json(&x->js, x->c->rfd);
		js_end(&x->js);
	}
	conn_close(x->c);
}

static void
init_conn(struct ctx *x)
{
	pending_reset();
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
		json_connect(x, domain, host, "via", x->o.port);
		rc = session(x, nmsg, host, can_retry);
		closing(x, host);
		*why = why_net;
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
		*why = why_net;
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
	const struct rcpt *ra = a, *rb = b;
	const char *da = smtp_addr_domain(ra->addr), *db = smtp_addr_domain(rb->addr);

	int c = strcasecmp(da ? da : "", db ? db : "");

	return c ? c : ra->idx < rb->idx ? -1 : ra->idx > rb->idx;
}

/* try_host for the recipients of one domain: the session sees them as the message's */
static int
try_group(struct ctx *x, struct msg *g, const char *dom, const char *host, int can_retry,
    const char **why)
{
	struct msg whole = bsrc.held;
	int rc;

	bsrc.held = *g;
	rc = try_host(x, 1, dom, host, can_retry, why);
	bsrc.held = whole;
	return rc;
}

/* direct delivery: recipients grouped by domain, each domain's MX by preference */
static void
deliver_direct(struct ctx *x, struct msg *m)
{
	struct tb_mx *mx = xmalloc(sizeof *mx * 16);
	struct rcpt *all = m->r;
	size_t nall = m->nr, i = 0, j;

	qsort(all, nall, sizeof *all, cmp_domain);
	while (i < nall && !tb_interrupted) {
		const char *dom = smtp_addr_domain(all[i].addr);
		const char *why = "no mail exchanger answered";
		struct msg g = *m;
		int n, k, rc = NET;

		if (dom == NULL) {
			verdict(x, &all[i], 0, "no domain to deliver to", 23, NULL);
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
		if (dom[0] == '[') {
			/* an address literal: that host, no MX */
			char lit[256];
			size_t l = strlen(dom);

			snprintf(lit, sizeof lit, "%.*s", (int)(l > 2 ? l - 2 : 0), dom + 1);
			if (strncasecmp(lit, "IPv6:", 5) == 0)
				memmove(lit, lit + 5, strlen(lit + 5) + 1);
			rc = try_group(x, &g, dom, lit, 0, &why);
		} else {
			n = tb_resolve_mx(dom, mx, 16, &why);
			if (n == -2)
				tb_die(EXIT_LOCAL, "MX lookup for %s: %s", dom, why);
			if (n == 1 && (mx[0].host[0] == '\0' || strcmp(mx[0].host, ".") == 0)) {
				/* RFC 7505 null MX: this domain takes no mail */
				for (k = 0; k < (int)g.nr; k++)
					verdict(x, &g.r[k], 0, "the domain accepts no mail (null MX)", 36, NULL);
				x->exitc = exit_worst(x->exitc, EXIT_NO);
				data_line(x, NULL, 0, "not sent", 8, 0, 0);
				i = j;
				continue;
			}
			if (n < 0) {
				char t[300];

				snprintf(t, sizeof t, "MX lookup for %s: %s", dom, why);
				for (k = 0; k < (int)g.nr; k++)
					verdict(x, &g.r[k], 0, t, strlen(t), NULL);
				x->exitc = exit_worst(x->exitc, EXIT_NET);
				data_line(x, NULL, 0, "not sent", 8, 0, 0);
				i = j;
				continue;
			}
			if (n == 0) {
				/* RFC 5321 5.1: no MX, the domain itself is the host */
				n = 1;
				mx[0].pref = 0;
				snprintf(mx[0].host, sizeof mx[0].host, "%s", dom);
			}
			for (k = 0; k < n && !tb_interrupted; k++) {
				if (x->o.verbose)
					warn_esc("%s: MX %u %s", dom, mx[k].pref, mx[k].host);
				rc = try_group(x, &g, dom, mx[k].host, k + 1 < n, &why);
				if (rc == OK)
					break;
			}
		}
		if (rc != OK) {
			char t[300];
			int perm = rc == PERM;

			snprintf(t, sizeof t, "%s", why ? why : "no mail exchanger answered");
			for (k = 0; k < (int)g.nr; k++)
				if (!g.r[k].final)
					verdict(x, &g.r[k], 0, t, strlen(t), NULL);
			x->exitc = exit_worst(x->exitc, perm ? EXIT_NO : EXIT_NET);
			data_line(x, NULL, 0, "not sent", 8, 0, 0);
		}
		i = j;
	}
	tb_free(mx);
}

/* --- main --------------------------------------------------------------------------- */

static void
print_dry(const struct msg *m, int mbox)
{
	size_t s = 0, e, k;

	/* the message as it would go, with local line ends; in an mbox, mboxrd quoting */
	while (s < m->len) {
		const uint8_t *nl = memchr(m->m + s, '\n', m->len - s);

		e = nl ? (size_t)(nl - m->m) : m->len;
		for (k = s; mbox && k < e && m->m[k] == '>'; k++)
			;
		if (mbox && e - k >= 5 && memcmp(m->m + k, "From ", 5) == 0)
			fputc('>', stdout);
		fwrite(m->m + s, 1, (nl && e > s && m->m[e - 1] == '\r' ? e - 1 : e) - s, stdout);
		if (nl)
			fputc('\n', stdout);
		s = nl ? e + 1 : e;
	}
	if (mbox)
		fputc('\n', stdout);
}

static void
split_server(struct ctx *x, const char *arg, char *host, size_t cap)
{
	const char *colon = strrchr(arg, ':');
	long long v;

	if (arg[0] == '[') {
		const char *rb = strchr(arg, ']');

		if (rb == NULL)
			tb_usage_error("-s: missing ] in %s", arg);
		snprintf(host, cap, "%.*s", (int)(rb - arg - 1), arg + 1);
		colon = rb[1] == ':' ? rb + 1 : NULL;
		if (rb[1] && !colon)
			tb_usage_error("-s: bad server %s", arg);
	} else if (colon && strchr(arg, ':') != colon) {
		snprintf(host, cap, "%s", arg);	/* a bare IPv6 literal */
		colon = NULL;
	} else {
		snprintf(host, cap, "%.*s", colon ? (int)(colon - arg) : (int)strlen(arg), arg);
	}
	if (colon) {
		if (tb_num(colon + 1, 1, 65535, &v) < 0)
			tb_usage_error("-s: bad port in %s", arg);
		x->o.port = (uint16_t)v;
	}
	if (host[0] == '\0')
		tb_usage_error("-s: no host in %s", arg);
}

int
main(int argc, char **argv)
{
	enum { O_EHLO = 256, O_AUTH, O_PWFILE, O_BATCH, O_VIA, O_DATE, O_MSGID };
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
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static struct ctx ctx;
	static struct conn conn;
	struct ctx *x = &ctx;
	size_t nmsg = 0, i, inlen;
	uint8_t *in;
	char server[256], from[600];
	long long v;
	int ch;

	tb_init(argv[0]);
	argv[0] = (char *)tb_prog;	/* getopt's one line reads "NAME: ..." */
	x->t0 = tb_now();
	x->c = &conn;
	x->lv.fp = stderr;
	x->o.port = 25;
	x->o.wait = 60000000;
	x->o.deadline = -1;
	server[0] = '\0';
	while ((ch = getopt_long(argc, argv, "46a:f:H:hjnp:S:s:tu:VvW:w:X", lo, NULL)) != -1) {
		switch (ch) {
		case '4': x->o.family = 2; break;
		case '6': x->o.family = 10; break;
		case 'a':
			if (x->o.nattach >= MAX_LIST)
				tb_usage_error("-a: at most %d attachments", MAX_LIST);
			x->o.attach[x->o.nattach++] = optarg;
			break;
		case 'f': x->o.from = optarg; break;
		case 'H': {
			const char *c = strchr(optarg, ':');

			if (c == NULL || !mail_name_ok(optarg, (size_t)(c - optarg)) || !mail_value_ok(c))
				tb_usage_error("-H: not a header field (Name: value, no CR or LF): refused");
			if (x->o.nhdr >= MAX_LIST)
				tb_usage_error("-H: at most %d fields", MAX_LIST);
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
		default: tb_bad_option();
		}
	}
	argc -= optind;
	argv += optind;
	if (x->o.server)
		split_server(x, x->o.server, server, sizeof server);
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
	for (i = 0; i < (size_t)argc; i++)
		if (smtp_addr_ok(argv[i], 0) < 0)
			tb_usage_error("recipient address refused (control byte, <, >, space or bad form)");
	if (x->o.json)
		x->lv.fp = stderr;
	if (x->o.layers)
		dns_resolver_layers(&x->lv);	/* the DNS packets of the lookups, too */
	tb_catch_signals();

	read_attachments(x);
	/* the message(s) */
	bsrc.argv = argv;
	bsrc.argc = argc;
	if (x->o.batch) {
		size_t pos = 0, off, len;
		int fd = open(x->o.batch, O_RDONLY | O_CLOEXEC);
		struct stat st;
		void *mp;

		if (fd < 0 || fstat(fd, &st) < 0)
			tb_die(EXIT_LOCAL, "%s: %s", x->o.batch, strerror(errno));
		if (st.st_size == 0)
			tb_die(EXIT_LOCAL, "%s: no message in the mbox", x->o.batch);
		mp = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (mp == MAP_FAILED)
			tb_die(EXIT_LOCAL, "%s: %s", x->o.batch, strerror(errno));
		close(fd);
		bsrc.mb = mp;
		bsrc.len = (size_t)st.st_size;
		while (mbox_next(bsrc.mb, bsrc.len, &pos, &off, &len)) {
			nmsg++;
			src_release(off);	/* counted: its pages go back */
		}
		bsrc.rel = 0;
		if (nmsg == 0)
			tb_die(EXIT_LOCAL, "%s: no message in the mbox", x->o.batch);
		/* every message prepared once before the first packet: a bad one is exit 2 */
		bsrc.cur = (size_t)-1;
		for (i = 0; i < nmsg; i++)
			(void)msg_at(x, i);
		(void)msg_at(x, 0);
	} else {
		in = slurp_fd(0, "stdin", &inlen);
		prepare(x, &bsrc.held, in, inlen, argv, argc);
		tb_free(in);
		nmsg = 1;
	}
	if (x->o.dry) {
		for (i = 0; i < nmsg; i++) {
			if (nmsg > 1) {
				char when[64];
				time_t t = (time_t)(tb_wall() / 1000000);
				struct tm tm;

				gmtime_r(&t, &tm);
				strftime(when, sizeof when, "%a %b %e %H:%M:%S %Y", &tm);
				printf("From %s %s\n", x->o.from[0] ? x->o.from : "MAILER-DAEMON", when);
			}
			print_dry(msg_at(x, i), nmsg > 1);
		}
		tb_exit(EXIT_OK);
	}
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
				verdict_rest(x, msg_at(x, i), 0, t, server);
				data_line(x, msg_at(x, i), 0, "not sent", 8, 0, nmsg > 1 ? (int)i + 1 : 0);
			}
			x->exitc = exit_worst(x->exitc, lookup_exit ? lookup_exit : EXIT_NET);
		}
	} else {
		deliver_direct(x, &bsrc.held);
	}
	memset(x->pass, 0, sizeof x->pass);
	if (tb_interrupted) {
		/* exit by the results: 3 if anything was left undone */
		warn_esc("interrupted");
		for (i = bsrc.cur; i < nmsg; i++) {
			struct msg *m = msg_at(x, i);
			size_t k;

			for (k = 0; k < m->nr; k++)
				if (!m->r[k].final)
					x->exitc = exit_worst(x->exitc, EXIT_NET);
			if (!m->done && x->o.server)
				x->exitc = exit_worst(x->exitc, EXIT_NET);
		}
	}
	if (x->exitc != EXIT_OK && !said) {
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
	msg_free(&bsrc.held);
	if (bsrc.mb)
		munmap((void *)(uintptr_t)bsrc.mb, bsrc.len);
	for (i = 0; i < (size_t)x->o.nattach; i++)
		tb_free(x->pdata[i]);
	tb_exit(x->exitc);
}
