/* pop3sess.c - the POP3 conversation on the text session (pop3sess.h) */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "crypto/ct.h"
#include "pop3sess.h"
#include "tls/tlsopt.h"

/* the -X view of a command: PASS and the APOP digest are masked by the decoder */
static void
view_cmd(struct layers *lv, const char *line, size_t n, int secret)
{
	(void)secret;
	lv_packet(lv, "POP3 command sent, %zu bytes with its CR LF", n + 2);
	pop3_decode_cmd(lv, line, n);
}

static void
view_status(struct layers *lv, const char *line, size_t n)
{
	lv_packet(lv, "POP3 status received");
	pop3_decode_status(lv, line, n);
}

void
p3_init(struct p3 *p, struct conn *c, const char *peer)
{
	memset(p, 0, sizeof *p);
	ts_init(&p->ts, c, TS_POP3, peer);
	p->ts.view_cmd = view_cmd;
	p->ts.view_status = view_status;
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
p3_stls(struct p3 *p, struct tlsopt *o, const char *host, struct tls_info *info,
    uint64_t capamax)
{
	char why[200];
	int r;

	if (p3_cmd(p, "STLS", NULL, NULL) < 0 || (r = p3_status(p)) == -2)
		return -2;
	if (r == POP3_ERR)
		return POP3_ERR;
	if (conn_ready(p->ts.c)) {
		snprintf(p->ts.why, sizeof p->ts.why, "STLS: the server sent more after its +OK, "
		    "before TLS began (an injected reply?): refused");
		return -2;
	}
	if (tlsopt_start(p->ts.c, o, host, NULL, p->ts.lv, info, why, sizeof why) < 0) {
		snprintf(p->ts.why, sizeof p->ts.why, "TLS: %s", why);
		return -2;
	}
	/* RFC 2595 4: what the server said before TLS is forgotten */
	p->caps = 0;
	p->stamp[0] = '\0';
	return p3_capa(p, capamax) < 0 ? -2 : POP3_OK;
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

/* --- the listing ----------------------------------------------------------- */

struct rec {
	uint64_t size;
	char uid[POP3_UIDL_MAX + 1];
	char pad;
};

#define LISTING_LINE	96	/* octets per LIST or UIDL line at most, for the cap */

struct lctx {
	struct p3 *p;
	struct p3list *l;
	int err;		/* a spool write failed: errno */
};

static void
bad_line(struct p3list *l, const char *what, const char *line, size_t n, const char *why,
    const char *then)
{
	char esc[300];

	if (l->bad++ >= 5)
		return;
	tb_escape_buf(esc, sizeof esc, line, n);
	tb_warn("%s: %s", what, esc);
	tb_warn("%s: %s%s", what, why, then);
}

static int
list_line(void *arg, const char *line, size_t n)
{
	struct lctx *x = arg;
	struct p3list *l = x->l;
	struct rec rec;
	uint64_t num, size;
	int r = pop3_list(line, n, l->count, &num, &size);

	/* one line per message, numbered on from first */
	if (r < 0 || num != l->first + l->n) {
		bad_line(l, "LIST", line, n, r < 0 ? pop3_perr_str(r) :
		    "number out of order, missing or repeated", "; line ignored");
		return 0;
	}
	memset(&rec, 0, sizeof rec);
	rec.size = size;
	if (tb_spool_put(&l->sp, &rec) < 0) {
		x->err = errno;
		return -1;
	}
	l->n++;
	return 0;
}

static int
uidl_line(void *arg, const char *line, size_t n)
{
	struct lctx *x = arg;
	struct p3list *l = x->l;
	char uid[POP3_UIDL_MAX + 1];
	struct rec rec;
	uint64_t num;
	int r = pop3_uidl(line, n, l->count, &num, uid);

	if (r < 0 || num < l->first || num - l->first >= l->n) {
		if (l->uids_ok)
			bad_line(l, "UIDL", line, n, r < 0 ? pop3_perr_str(r) :
			    "no such message in LIST", "");
		l->uids_ok = 0;	/* POP-06: no incremental state with broken ids */
		return 0;
	}
	if (tb_spool_get(&l->sp, num - l->first, &rec) < 0)
		goto fail;
	if (rec.uid[0])
		l->uids_ok = 0;	/* the same number twice */
	memset(rec.uid, 0, sizeof rec.uid);
	memcpy(rec.uid, uid, strlen(uid) + 1);
	if (tb_spool_set(&l->sp, num - l->first, &rec) < 0)
		goto fail;
	l->nuids++;
	return 0;
fail:
	x->err = errno;
	return -1;
}

/* every message has a unique-id, and with dups no two are the same */
static int
check_uids(struct p3list *l, int dups)
{
	const char **v;
	char *all;
	struct rec r;
	size_t i;
	int ret = 0;

	if (l->nuids != l->n)
		l->uids_ok = 0;
	if (!l->uids_ok || !dups || l->n < 2)
		return 0;
	v = tb_calloc(l->n, sizeof *v);
	all = tb_calloc(l->n, sizeof r.uid);
	if (v == NULL || all == NULL) {
		ret = -1;
		goto out;
	}
	for (i = 0; i < l->n; i++) {
		if (tb_spool_get(&l->sp, i, &r) < 0) {
			ret = -1;
			goto out;
		}
		memcpy(all + i * sizeof r.uid, r.uid, sizeof r.uid);
		v[i] = all + i * sizeof r.uid;
	}
	if (pop3_uid_dups(v, l->n) >= 0) {
		tb_warn("UIDL: the server gives two messages the same unique-id");
		l->uids_ok = 0;
	}
out:
	tb_free(v);
	tb_free(all);
	return ret;
}

/* send a command and read its status: POP3_OK, POP3_ERR, -2 */
static int
ask(struct p3 *p, const char *verb, const char *arg)
{
	return p3_cmd(p, verb, arg, NULL) < 0 ? -2 : p3_status(p);
}

/* the listings of every message: as p3_listing */
static int
list_all(struct p3 *p, struct p3list *l, struct lctx *x)
{
	uint64_t cap = (l->count + 16) * LISTING_LINE;
	int r;

	if ((r = ask(p, "LIST", NULL)) != POP3_OK)
		return r == POP3_ERR ? 1 : -2;
	if ((r = p3_lines(p, list_line, x, cap)) < 0)
		return r == -1 ? -1 : -2;
	if (l->n != l->count) {
		/* POP-13: a listing cut short by a "." line, or padded */
		snprintf(p->ts.why, sizeof p->ts.why,
		    "LIST shows %zu messages, STAT said %llu: out of step", l->n,
		    (unsigned long long)l->count);
		return -2;
	}
	if (ts_unasked(&p->ts, "LIST"))
		return -2;
	l->uids_ok = 1;
	l->bad = 0;
	if ((r = ask(p, "UIDL", NULL)) == -2)
		return -2;
	if (r == POP3_ERR) {
		l->uids_ok = 0;
		return 0;
	}
	if ((r = p3_lines(p, uidl_line, x, cap)) < 0)
		return r == -1 ? -1 : -2;
	return 0;
}

/* the listing of message want alone: as p3_listing */
static int
list_one(struct p3 *p, struct p3list *l, struct lctx *x, uint64_t want)
{
	char num[24];
	int r;

	snprintf(num, sizeof num, "%llu", (unsigned long long)want);
	if (want > l->count) {
		snprintf(p->ts.why, sizeof p->ts.why, "message %s: the mailbox holds %llu", num,
		    (unsigned long long)l->count);
		return 1;
	}
	if ((r = ask(p, "LIST", num)) != POP3_OK)
		return r == POP3_ERR ? 1 : -2;
	l->first = want;
	if (list_line(x, p->st.text, p->st.textlen) < 0)
		return -1;
	if (l->n != 1) {
		snprintf(p->ts.why, sizeof p->ts.why, "LIST %s: the reply names another message", num);
		return -2;
	}
	if ((r = ask(p, "UIDL", num)) == -2)
		return -2;
	l->uids_ok = r == POP3_OK;
	if (l->uids_ok && uidl_line(x, p->st.text, p->st.textlen) < 0)
		return -1;
	return 0;
}

int
p3_listing(struct p3 *p, struct p3list *l, uint64_t want, int dups)
{
	struct lctx x = { p, l, 0 };
	int r;

	if (tb_spool_open(&l->sp, sizeof(struct rec)) < 0) {
		snprintf(p->ts.why, sizeof p->ts.why, "the listing spool: %s", strerror(errno));
		return -1;
	}
	l->first = 1;
	l->n = l->nuids = 0;
	l->uids_ok = 0;
	l->bad = 0;
	l->count = POP3_NOCOUNT;
	if ((r = ask(p, "STAT", NULL)) != POP3_OK)
		return r == POP3_ERR ? 1 : -2;
	if ((r = pop3_stat(p->st.text, p->st.textlen, &l->count, &l->size)) < 0) {
		char esc[120];

		tb_escape_buf(esc, sizeof esc, p->st.text, p->st.textlen);
		snprintf(p->ts.why, sizeof p->ts.why, "STAT: %s: %s", pop3_perr_str(r), esc);
		l->count = POP3_NOCOUNT;
		return -2;
	}
	r = want ? list_one(p, l, &x, want) : l->count > 0 ? list_all(p, l, &x) : 0;
	if (r == -1 || (r == 0 && check_uids(l, dups) < 0)) {
		snprintf(p->ts.why, sizeof p->ts.why, "the listing spool: %s",
		    strerror(x.err ? x.err : errno ? errno : ENOMEM));
		return -1;
	}
	if (r == 0 && ts_unasked(&p->ts, "the listings"))
		return -2;
	return r;
}

int
p3_msg(struct p3list *l, size_t i, struct p3msg *m)
{
	struct rec r;

	if (tb_spool_get(&l->sp, i, &r) < 0)
		return -1;
	r.uid[POP3_UIDL_MAX] = '\0';
	m->num = l->first + i;
	m->size = r.size;
	memcpy(m->uid, l->uids_ok ? r.uid : "", l->uids_ok ? sizeof m->uid : 1);
	return 0;
}
