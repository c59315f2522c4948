/* pop3sess.c - the POP3 conversation on the text session (pop3sess.h) */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "crypto/ct.h"
#include "pop3sess.h"

/* the -X view of a command: PASS and the APOP digest are masked by the decoder */
static void
view_cmd(struct layers *lv, const char *line, size_t n, int secret)
{
	(void)secret;
	pop3_decode_cmd(lv, line, n);
}

void
p3_init(struct p3 *p, struct conn *c, const char *peer)
{
	memset(p, 0, sizeof *p);
	ts_init(&p->ts, c, TS_POP3, peer);
	p->ts.view_cmd = view_cmd;
	p->ts.view_status = pop3_decode_status;
}

int
p3_cmd(struct p3 *p, const char *verb, const char *arg, const char *arg2)
{
	char buf[1024];
	int n, r, keep;

	/* nothing may come before we ask: a reply out of step is injected */
	if (ts_unasked(&p->ts, verb)) {
		snprintf(p->ts.why, sizeof p->ts.why,
		    "the server sent data nobody asked for before %s: out of step", verb);
		errno = EPROTO;
		return -1;
	}
	if ((n = pop3_cmd(buf, sizeof buf, verb, arg, arg2)) < 0) {
		snprintf(p->ts.why, sizeof p->ts.why,
		    "%s: argument holds a line break or is too long", verb);
		errno = EINVAL;
		return -1;
	}
	keep = strcmp(verb, "PASS") == 0 ? 1 : strcmp(verb, "APOP") == 0 ? 2 : TS_PUBLIC;
	r = ts_send(&p->ts, buf, (size_t)n, keep);
	if (keep)
		tb_wipe(buf, sizeof buf);
	return r;
}

int
p3_status(struct p3 *p)
{
	ssize_t n = ts_status(&p->ts, p->line, sizeof p->line);
	char esc[160];

	if (n < 0)
		return -2;
	if (pop3_status(p->line, (size_t)n, &p->st) == POP3_BAD) {
		tb_escape_buf(esc, sizeof esc, p->line, (size_t)n);
		snprintf(p->ts.why, sizeof p->ts.why,
		    "%s: malformed status line (neither +OK nor -ERR): %s", p->ts.last, esc);
		errno = EPROTO;
		return -2;
	}
	return p->st.st;
}

/* a multi-line body cut into lines */
struct splitter {
	char buf[P3_LINE_MAX];
	size_t len;
	int toolong, failed;
	int (*fn)(void *, const char *, size_t);
	void *arg;
};

static int
split(void *arg, const uint8_t *b, size_t n)
{
	struct splitter *l = arg;
	size_t i;

	for (i = 0; i < n; i++) {
		if (b[i] == '\n') {
			if (!l->toolong && l->fn(l->arg, l->buf, l->len) < 0)
				return -1;
			l->len = 0;
			l->toolong = 0;
		} else if (l->len + 1 >= sizeof l->buf) {
			l->toolong = 1;
		} else {
			l->buf[l->len++] = (char)b[i];
		}
	}
	return 0;
}

int
p3_lines(struct p3 *p, int (*fn)(void *, const char *, size_t), void *arg, uint64_t max)
{
	static struct splitter l;
	struct pop3_ml ml;
	int r;

	l.len = 0;
	l.toolong = 0;
	l.fn = fn;
	l.arg = arg;
	pop3_ml_init(&ml, 0);
	r = ts_body(&p->ts, &ml, split, &l, max, max);
	if (r == 0 && l.len && !l.toolong && fn(arg, l.buf, l.len) < 0)
		r = -1;
	return r;
}

int
p3_greet(struct p3 *p)
{
	int r = p3_status(p);

	if (r == POP3_OK && pop3_apop_stamp(p->st.text, p->st.textlen, p->stamp,
	    sizeof p->stamp) < 0)
		p->stamp[0] = '\0';
	if (r == POP3_OK && ts_unasked(&p->ts, "the greeting"))
		return -2;
	return r;
}

static int
capa_line(void *arg, const char *l, size_t n)
{
	struct p3 *p = arg;

	p->caps |= pop3_capa(l, n);
	return 0;
}

int
p3_capa(struct p3 *p, uint64_t max)
{
	int r;

	if (p3_cmd(p, "CAPA", NULL, NULL) < 0 || (r = p3_status(p)) == -2)
		return -2;
	if (r == POP3_OK && p3_lines(p, capa_line, p, max) < 0)
		return -2;
	return ts_unasked(&p->ts, "CAPA") ? -2 : 0;
}

int
p3_login(struct p3 *p, const char *user, char *pass, size_t passcap, int apop)
{
	char hex[33];
	int r;

	if (apop) {
		if (p->stamp[0] == '\0') {
			tb_wipe(pass, passcap);
			snprintf(p->ts.why, sizeof p->ts.why,
			    "--apop: the greeting carries no timestamp");
			return -3;
		}
		pop3_apop_digest(p->stamp, pass, hex);
		tb_wipe(pass, passcap);
		r = p3_cmd(p, "APOP", user, hex) < 0 ? -2 : p3_status(p);
		tb_wipe(hex, sizeof hex);
		return r;
	}
	r = p3_cmd(p, "USER", user, NULL) < 0 ? -2 : p3_status(p);
	if (r == POP3_OK)
		r = p3_cmd(p, "PASS", pass, NULL) < 0 ? -2 : p3_status(p);
	tb_wipe(pass, passcap);
	return r;
}
