/* session.c - the text-protocol conversation shared by SMTP, FTP and POP3 (session.h) */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "crypto/ct.h"
#include "pop3.h"
#include "session.h"
#include "tls/tls.h"

void
ts_init(struct ts *s, struct conn *c, int proto, const char *peer)
{
	memset(s, 0, sizeof *s);
	s->c = c;
	s->proto = proto;
	s->peer = peer;
	s->idle = s->reply_total = s->deadline = -1;
}

/* --- what each reply answers --------------------------------------------- */

static void
queue(struct ts *s, const char *what)
{
	if (s->pn < TS_PENDING_MAX)
		snprintf(s->pend[(s->ph + s->pn++) % TS_PENDING_MAX], sizeof s->pend[0], "%s", what);
}

void
ts_expect(struct ts *s, const char *what)
{
	queue(s, what);
}

static void
push(struct ts *s, const char *line, size_t n, int keep)
{
	char *e;
	size_t k, a;

	if (keep < 0) {
		/* TS_SECRET: a SASL response, named by the command it is part of */
		queue(s, "AUTH");
		return;
	}
	if (s->pn >= TS_PENDING_MAX)
		return;
	e = s->pend[(s->ph + s->pn++) % TS_PENDING_MAX];
	/* the verb, and its argument if that is a number ("RETR 7", "TOP 7") */
	for (k = 0; k < n && k < 10 && line[k] != ' '; k++)
		e[k] = (char)(line[k] >= 'a' && line[k] <= 'z' ? line[k] - 32 : line[k]);
	if (k == 0 || k >= 10 || (k < n && line[k] != ' ')) {
		memcpy(e, "command", 8);
		return;
	}
	e[k] = '\0';
	for (a = k + 1; keep == 0 && a < n && a - k <= 12 && line[a] >= '0' && line[a] <= '9'; a++)
		;
	if (keep == 0 && a > k + 1 && (a == n || line[a] == ' ')) {
		memcpy(e + k, line + k, a - k);
		e[a] = '\0';
	}
}

static const char *
pop(struct ts *s)
{
	if (!s->greeted) {
		s->greeted = 1;
		snprintf(s->lastbuf, sizeof s->lastbuf, "greeting");
	} else if (s->pn == 0) {
		snprintf(s->lastbuf, sizeof s->lastbuf, "reply");
	} else {
		memcpy(s->lastbuf, s->pend[s->ph], sizeof s->lastbuf);
		s->ph = (s->ph + 1) % TS_PENDING_MAX;
		s->pn--;
	}
	return s->lastbuf;
}

size_t
ts_due(const struct ts *s)
{
	return s->pn + !s->greeted;
}

const char *
ts_next(const struct ts *s)
{
	return !s->greeted ? "greeting" : s->pn ? s->pend[s->ph] : "reply";
}

/* --- sending -------------------------------------------------------------- */

/* the line, or its first keep words and a mask that says nothing of its length */
static void
show(struct ts *s, const char *p, size_t n, int keep)
{
	size_t k = n;
	int words = 0;

	if (keep < 0)
		k = 0;	/* TS_SECRET: all of it */
	else if (keep > 0)
		for (k = 0; k < n && words < keep; k++)
			if (p[k] == ' ')
				words++;
	if (s->transcript) {
		fputs("C: ", s->transcript);
		tb_escape(s->transcript, p, k, 1);
		if (keep != 0)
			fputs(k == 0 || p[k - 1] == ' ' ? "********" : " ********", s->transcript);
		fputc('\n', s->transcript);
	}
	if (s->lv && s->view_cmd)
		s->view_cmd(s->lv, p, n, keep != 0);
}

static int __attribute__((format(printf, 3, 4)))
fail(struct ts *s, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->why, sizeof s->why, fmt, ap);
	va_end(ap);
	errno = err;
	return -1;
}

/* why a wait on the connection ended, in words */
static const char *
neterr(const struct ts *s, int e, int64_t total)
{
	static char buf[320];
	const char *t;

	if (e == EINTR || tb_interrupted) {
		snprintf(buf, sizeof buf, "interrupted by %s", tb_signame(tb_interrupted));
		return buf;
	}
	/*
	 * Under TLS, the layer's own reason (an alert, a truncation, a
	 * record that broke the protocol), which errno's EPROTO would show
	 * as a malformed reply
	 */
	if (e != ETIMEDOUT && s->c && (t = tls_error(s->c)) != NULL) {
		snprintf(buf, sizeof buf, "TLS: %s", t);
		return buf;
	}
	if (e == ETIMEDOUT && s->deadline >= 0 && tb_now() >= s->deadline)
		return "timed out (the -w deadline)";
	if (e == ETIMEDOUT && total >= 0) {
		snprintf(buf, sizeof buf, "timed out (no whole reply within %g s)",
		    (double)total / 1e6);
		return buf;
	}
	if (e == ETIMEDOUT)
		return "timed out";
	if (e == EPROTO)
		return "malformed reply";
	if (e == EMSGSIZE)
		return "malformed reply (too long, or too many lines)";
	if (e == ECONNRESET || e == EPIPE)
		return "connection lost";
	return strerror(e);
}

int
ts_send(struct ts *s, const char *buf, size_t len, int keep)
{
	const char *p = buf, *end = buf + len, *nl;
	size_t n;

	/* every line whole, with no CR or LF but its own end */
	for (p = buf; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL || nl == p || nl[-1] != '\r' ||
		    memchr(p, '\r', (size_t)(nl - 1 - p)) != NULL)
			return fail(s, EINVAL, "refusing a line break inside a command");
	}
	for (p = buf; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)(nl - 1 - p);
		push(s, p, n, keep);
		show(s, p, n, keep);
	}
	s->c->idle = s->idle;
	s->c->deadline = s->deadline;
	if (conn_write(s->c, buf, len) < 0) {
		int e = errno;

		return fail(s, e, "sending %s: %s", s->pn ? s->pend[(s->ph + s->pn - 1) %
		    TS_PENDING_MAX] : "a command", neterr(s, e, -1));
	}
	return 0;
}

int
ts_cmd(struct ts *s, int keep, const char *fmt, ...)
{
	char line[4096];
	va_list ap;
	int n, r;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line - 2, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof line - 2)
		return fail(s, EMSGSIZE, "command too long");
	if (memchr(line, '\r', (size_t)n) || memchr(line, '\n', (size_t)n)) {
		tb_wipe(line, sizeof line);
		return fail(s, EINVAL, "refusing a line break inside a command");
	}
	memcpy(line + n, "\r\n", 2);
	r = ts_send(s, line, (size_t)n + 2, keep);
	if (keep != 0)
		tb_wipe(line, sizeof line);
	return r;
}

/* --- receiving ------------------------------------------------------------ */

/* the limits of one reply on the conn: the idle limit, and the total from now */
static int64_t
limit(struct ts *s, int64_t extra)
{
	int64_t total = s->reply_total >= 0 ? s->reply_total : s->idle;

	if (total >= 0)
		total += extra;
	s->c->deadline = tb_earliest(s->deadline, total >= 0 ? tb_now() + total : -1);
	s->c->idle = s->idle;
	return total;
}

int
ts_reply(struct ts *s, struct reply *r)
{
	char line[4096];
	uint8_t raw[4096];
	size_t rawlen = 0;
	const char *what = s->last = pop(s);
	int64_t total = limit(s, 0);
	int first = 1, rc;
	ssize_t n;

	for (;;) {
		n = conn_line(s->c, line, sizeof line);
		if (n == -2)
			return fail(s, ECONNRESET, "%s: connection closed by the server", what);
		if (n < 0) {
			int e = errno;

			return fail(s, e, "%s: %s", what, neterr(s, e, total));
		}
		if (s->lv && rawlen + (size_t)n + 2 <= sizeof raw) {
			/* the bytes as they came: conn_line took the CR (if any) and LF */
			memcpy(raw + rawlen, line, (size_t)n);
			rawlen += (size_t)n;
			if (s->c->off >= 2 && s->c->buf[s->c->off - 2] == '\r')
				raw[rawlen++] = '\r';
			raw[rawlen++] = '\n';
		}
		rc = reply_add(r, line, (size_t)n, first, s->proto == TS_FTP);
		first = 0;
		if (rc < 0)
			return fail(s, rc == REPLY_ELONG ? EMSGSIZE : EPROTO, "%s: %s", what,
			    neterr(s, rc == REPLY_ELONG ? EMSGSIZE : EPROTO, total));
		if (rc == 1)
			break;
	}
	if (s->lv && s->view_reply)
		s->view_reply(s->lv, r, raw, rawlen);
	return 0;
}

void
ts_again(struct ts *s)
{
	if (s->last == NULL)
		return;
	if (strcmp(s->last, "greeting") == 0) {
		s->greeted = 0;
		return;
	}
	if (s->pn >= TS_PENDING_MAX)
		return;
	s->ph = (s->ph + TS_PENDING_MAX - 1) % TS_PENDING_MAX;
	snprintf(s->pend[s->ph], sizeof s->pend[s->ph], "%s", s->last);
	s->pn++;
}

ssize_t
ts_status(struct ts *s, char *line, size_t cap)
{
	const char *what = s->last = pop(s);
	int64_t total = limit(s, 0);
	ssize_t n;

	n = conn_line(s->c, line, cap);
	if (n == -2)
		return fail(s, ECONNRESET, "%s: connection closed by the server", what);
	if (n < 0) {
		int e = errno;

		return fail(s, e, "%s: %s", what, e == EMSGSIZE ? "status line too long" :
		    neterr(s, e, total));
	}
	if (s->lv && s->view_status)
		s->view_status(s->lv, line, (size_t)n);
	return n;
}

int
ts_body(struct ts *s, struct pop3_ml *ml, int (*fn)(void *, const uint8_t *, size_t),
    void *arg, uint64_t expect, uint64_t max)
{
	static uint8_t out[65536];
	const char *what = s->last;
	size_t used, got;
	int r, failed = 0;
	int64_t total;

	/* a body may be long: the limit grows with it, 1 s per KiB expected */
	total = limit(s, (int64_t)(expect / 1024) * 1000000);
	while (!ml->done) {
		if ((r = conn_fill(s->c)) <= 0) {
			if (r == 0)
				fail(s, EPIPE, "%s: connection closed before the end of the data", what);
			else
				fail(s, errno, "%s: %s", what, neterr(s, errno, total));
			return -2;
		}
		used = pop3_ml_feed(ml, s->c->buf + s->c->off, s->c->len - s->c->off, out,
		    sizeof out, &got);
		s->c->off += used;
		if (ml->wire > max) {
			/* whether its end came in the same read or not */
			fail(s, EMSGSIZE, "%s: over %llu octets%s: the server is out of step",
			    what, (unsigned long long)max, ml->done ? "" : " and no end");
			return -2;
		}
		if (got && !failed && fn(arg, out, got) < 0)
			failed = 1;	/* read on to the end, to stay in step */
	}
	return failed ? -1 : 0;
}

int
ts_unasked(struct ts *s, const char *what)
{
	if (ts_due(s) > 0)
		return 0;
	if (conn_ready(s->c) <= 0)
		return 0;
	fail(s, EPROTO, "%s: followed by data nobody asked for (out of step)", what);
	return 1;
}

void
ts_quit(struct ts *s, int wait)
{
	char why[TS_WHY_MAX];
	struct reply *r;
	char line[512];
	int64_t idle = s->idle, total = s->reply_total;

	memcpy(why, s->why, sizeof why);
	if (ts_cmd(s, TS_PUBLIC, "QUIT") == 0 && wait) {
		if (s->idle < 0 || s->idle > TS_QUIT_WAIT)
			s->idle = TS_QUIT_WAIT;
		s->reply_total = TS_QUIT_WAIT;
		if (s->proto == TS_POP3) {
			(void)ts_status(s, line, sizeof line);
		} else if ((r = tb_malloc(sizeof *r)) != NULL) {
			(void)ts_reply(s, r);
			tb_free(r);
		}
	}
	s->idle = idle;
	s->reply_total = total;
	memcpy(s->why, why, sizeof why);
}

int
ts_code_exit(int code)
{
	if (code >= 200 && code < 400)
		return EXIT_OK;
	if (code >= 500 && code < 600)
		return EXIT_NO;
	return EXIT_NET;
}

void
ts_warn_reply(const struct ts *s, const char *what, const struct reply *r)
{
	size_t n = strcspn(r->text, "\n");

	tb_warn_peer("%s: %s: %d %.*s", s->peer, what, r->code, (int)(n > 300 ? 300 : n),
	    r->text);
}
