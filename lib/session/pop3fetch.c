/* pop3fetch.c - pop3get's choice and delivery of messages (pop3fetch.h) */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pop3fetch.h"
#include "tubes.h"
#include "view.h"

/*
 * A message may be longer than LIST said by one octet per line (a server
 * that counts LF line ends as one octet) plus SIZE_SLACK (a header added
 * on the way out); never shorter.  While it comes, more than
 * 3 * size + P3F_BODY_SLACK octets on the wire ends it at once.
 */
#define SIZE_SLACK 4096

enum { Q_RETR, Q_DELE };

void
p3f_warn(const struct p3fetch *f)
{
	int e = errno;

	tb_warn_peer("%s", f->p->ts.why);
	errno = e;
}

int
p3f_cmd(struct p3fetch *f, const char *verb, const char *arg, const char *arg2)
{
	if (p3_cmd(f->p, verb, arg, arg2) == 0)
		return 0;
	p3f_warn(f);
	return -1;
}

int
p3f_status(struct p3fetch *f, struct pop3_status *s)
{
	int r = p3_status(f->p);

	if (r == -2)
		p3f_warn(f);
	*s = f->p->st;
	return r;
}

int
p3f_body(struct p3fetch *f, struct pop3_ml *ml, int (*fn)(void *, const uint8_t *, size_t),
    void *arg, uint64_t expect, uint64_t max)
{
	int r = ts_body(&f->p->ts, ml, fn, arg, expect, max);

	if (r == -2)
		p3f_warn(f);
	if (r != -2 && f->p->ts.lv)
		lv_layer(f->p->ts.lv, "POP3 multi-line data: %llu lines, %llu octets unstuffed, "
		    "%llu on the wire", (unsigned long long)ml->lines,
		    (unsigned long long)ml->octets, (unsigned long long)ml->wire);
	return r;
}

int
p3f_quit(struct p3fetch *f, int rset)
{
	struct pop3_status s;
	int r;

	if (rset) {
		if (p3f_cmd(f, "RSET", NULL, NULL) < 0)
			return -2;
		if ((r = p3f_status(f, &s)) == -2)
			return -2;
		if (r == POP3_ERR)
			f->refused(f->arg, "RSET", &s);
	}
	if (p3f_cmd(f, "QUIT", NULL, NULL) < 0)
		return -2;
	r = p3f_status(f, &s);
	if (r == POP3_ERR)
		f->refused(f->arg, "QUIT", &s);
	return r == POP3_OK ? 0 : -2;
}

/* POP-11: nothing may be waiting when we have not asked */
static int
unasked(struct p3fetch *f, const char *after)
{
	if (ts_unasked(&f->p->ts, after)) {
		p3f_warn(f);
		return 1;
	}
	return 0;
}

/* message i (0-based) of the listing */
static void
msg_get(struct p3fetch *f, size_t i, struct p3msg *m)
{
	if (p3_msg(f->L, i, m) < 0)
		tb_die(EXIT_LOCAL, "the listing spool: %s", strerror(errno));
}

/* --- the choice ------------------------------------------------------------------- */

/*
 * The choice, made twice in the same way without a list of the chosen:
 * once to count (and warn), then again as the messages are fetched.
 */
static int
wanted(struct p3fetch *f, const struct p3msg *m, int first)
{
	if (f->newonly && f->state && state_has(f->state, m->uid))
		return 0;
	if (f->maxsize > 0 && m->size > (uint64_t)f->maxsize) {
		/* POP-08: the only cap is on a whole message, and it is the user's */
		if (first) {
			if (f->sink)
				tb_warn("message %llu: %llu octets, over --max-size: left on the server",
				    (unsigned long long)m->num, (unsigned long long)m->size);
			f->skipped++;
		}
		return 0;
	}
	return 1;
}

size_t
p3f_choose(struct p3fetch *f)
{
	size_t nsel = 0, i;
	struct p3msg m;

	for (i = 0; i < f->L->n; i++) {
		if (!f->state && f->max > 0 && (long long)nsel >= f->max)
			break;
		msg_get(f, i, &m);
		if (f->state)
			state_mark(f->state, m.uid);
		if (f->max > 0 && (long long)nsel >= f->max)
			continue;
		if (wanted(f, &m, 1))
			nsel++;
	}
	return nsel;
}

void
p3f_next(struct p3fetch *f, struct p3msg *m)
{
	while (f->cursor < f->L->n) {
		msg_get(f, f->cursor++, m);
		if (wanted(f, m, 0))
			return;
	}
	tb_die(EXIT_LOCAL, "internal error: fewer messages chosen than counted");
}

/* --- one message ------------------------------------------------------------------ */

static int
discard(void *arg, const uint8_t *p, size_t n)
{
	(void)arg;
	(void)p;
	(void)n;
	return 0;
}

struct dvarg {
	struct p3fetch *f;
	int toobig;
};

static int
dv_fn(void *arg, const uint8_t *p, size_t n)
{
	struct dvarg *a = arg;
	struct p3fetch *f = a->f;

	if (f->maxsize > 0 && f->dv.bytes + n > (uint64_t)f->maxsize) {
		a->toobig = 1;	/* the server's LIST size was a lie: stop writing */
		return -1;
	}
	return dv_write(&f->dv, p, n);
}

/*
 * POP-10, POP-12: the reply must be the message LIST announced.  One
 * that ends early is what a server that does not dot-stuff sends for
 * a message with a lone "." line -- and what follows it is no longer
 * in step with our commands: never delivered, and the session ends.
 * Longer is tolerated by a CR per line and a header's worth (servers
 * that count LF line ends as one octet, or add a header on the way out).
 * 0, or -2 (said, the delivery aborted).
 */
static int
size_check(struct p3fetch *f, const struct p3msg *m, const struct pop3_ml *ml, const char *num)
{
	if (ml->octets < m->size || ml->octets - m->size > ml->lines + SIZE_SLACK) {
		dv_abort(&f->dv);
		tb_warn("message %s: LIST said %llu octets, RETR gave %llu: %s; not delivered", num,
		    (unsigned long long)m->size, (unsigned long long)ml->octets,
		    ml->octets < m->size ? "it ended early (a server that does not dot-stuff?)" :
		    "far more than announced");
		return -2;
	}
	if (ml->octets != m->size)
		tb_warn("message %s: LIST said %llu octets, RETR gave %llu (tolerated)", num,
		    (unsigned long long)m->size, (unsigned long long)ml->octets);
	return 0;
}

/*
 * Fetch one message whose RETR has been sent, into the staging area.
 * Returns 0 staged, 1 the server said -ERR (nothing stored), -2
 * network/protocol failure, -1 local failure.
 */
static int
fetch_one(struct p3fetch *f, const struct p3msg *m)
{
	struct pop3_status s;
	struct pop3_ml ml;
	char what[64], num[24], uidenv[96], numenv[40], sizeenv[40];
	char *env[] = { numenv, uidenv, sizeenv, NULL };
	struct dvarg a = { f, 0 };
	uint64_t max;
	int r, st;

	snprintf(what, sizeof what, "RETR %llu", (unsigned long long)m->num);
	snprintf(num, sizeof num, "%llu", (unsigned long long)m->num);
	r = p3f_status(f, &s);
	if (r == -2)
		return -2;
	if (r == POP3_ERR) {
		f->refused(f->arg, what, &s);
		return 1;
	}
	snprintf(numenv, sizeof numenv, "POP3_NUM=%s", num);
	snprintf(uidenv, sizeof uidenv, "POP3_UIDL=%s", m->uid);
	snprintf(sizeenv, sizeof sizeenv, "POP3_SIZE=%llu", (unsigned long long)m->size);
	pop3_ml_init(&ml, 0);
	max = 3 * m->size + P3F_BODY_SLACK;
	if (dv_begin(f->sink, &f->dv, env) < 0) {
		tb_warn("message %s: cannot start the delivery: %s", num, strerror(errno));
		/* still read the body, to stay in step for RSET */
		r = p3f_body(f, &ml, discard, NULL, m->size, max);
		return r == -2 ? -2 : -1;
	}
	r = p3f_body(f, &ml, dv_fn, &a, m->size, max);
	if (r == -2) {
		/* POP-03: a short message is thrown away, never delivered */
		dv_abort(&f->dv);
		tb_warn("message %s: incomplete (%llu of %llu octets); discarded", num,
		    (unsigned long long)ml.octets, (unsigned long long)m->size);
		return -2;
	}
	if (r == -1 && a.toobig) {
		dv_abort(&f->dv);
		tb_warn("message %s: more than --max-size octets; discarded, left on the server", num);
		return 1;
	}
	if (r == -1) {
		tb_warn("message %s: writing it: %s", num, strerror(f->dv.err ? f->dv.err : errno));
		dv_abort(&f->dv);
		return -1;
	}
	if (size_check(f, m, &ml, num) < 0)
		return -2;
	if (dv_stage(&f->dv, &f->staged[f->nstaged], &st) < 0) {
		if (f->sink->kind == SINK_EXEC)
			tb_warn("message %s: --exec command failed (%s); not delivered", num,
			    f->staged[f->nstaged].where);
		else
			tb_warn("message %s: not stored: %s", num, strerror(errno));
		return -1;
	}
	f->staged_m[f->nstaged] = *m;
	f->staged_octets[f->nstaged] = ml.octets;
	f->nstaged++;
	return 0;
}

/* --- the session ------------------------------------------------------------------ */

/*
 * Make the staged messages durable; then they count, are printed, go
 * into the state file and (with --delete) are queued for DELE.
 * 0, or -1 on a local failure (nothing of the batch delivered).
 */
static int
commit_staged(struct p3fetch *f)
{
	size_t i;
	const char *why = "";

	if (f->nstaged == 0)
		return 0;
	if (sink_flush(f->sink, f->staged, f->nstaged) < 0) {
		tb_warn("%s: cannot make %zu message%s durable: %s", f->sink->path, f->nstaged,
		    f->nstaged == 1 ? "" : "s", strerror(errno));
		f->failed += f->nstaged;
		f->nstaged = 0;
		return -1;
	}
	for (i = 0; i < f->nstaged; i++) {
		f->delivered++;
		f->octets += f->staged_octets[i];
		f->stored(f->arg, &f->staged_m[i], f->staged[i].where, f->staged_octets[i]);
		if (f->state && f->staged_m[i].uid[0] && state_add(f->state, f->staged_m[i].uid) < 0) {
			tb_warn("out of memory");
			f->nstaged = 0;
			return -1;
		}
		if (f->del)
			f->dels[f->ndels++] = f->staged_m[i];
	}
	f->nstaged = 0;
	if (f->state && state_save(f->state, 1, &why) < 0) {
		tb_warn("%s: %s: %s", f->state->path, why, strerror(errno));
		f->ndels = 0;	/* recorded or not, nothing is deleted */
		return -1;
	}
	return 0;
}

/*
 * Drain the replies of commands still in flight (after a local failure
 * with PIPELINING), so RSET's reply is read in step.
 */
static int
drain(struct p3fetch *f)
{
	struct pop3_status s;
	struct pop3_ml ml;

	for (; f->qh < f->qt; f->qh++) {
		int r = p3f_status(f, &s);

		if (r == -2)
			return -2;
		if (f->q[f->qh % P3F_QN].kind == Q_RETR && r == POP3_OK) {
			uint64_t size = f->q[f->qh % P3F_QN].m.size;

			pop3_ml_init(&ml, 0);
			if (p3f_body(f, &ml, discard, NULL, size, 3 * size + P3F_BODY_SLACK) == -2)
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
net_failed(struct p3fetch *f)
{
	int ex = EXIT_NET;

	if (commit_staged(f) < 0)
		ex = EXIT_LOCAL;
	if (tb_interrupted)
		tb_warn("interrupted by %s: no QUIT sent, the server keeps every message",
		    tb_signame(tb_interrupted));
	else if (f->dele_sent)
		tb_warn("no QUIT was sent: the server keeps every message");
	f->deleted = 0;
	return ex;
}

/*
 * Bytes nobody asked for came after a reply (POP-15): the messages read
 * since the last commit are suspect -- the one just read may have ended
 * early at a "." line of its own -- so none of them is delivered or
 * recorded; without QUIT the server keeps them all for the next run.
 */
static int
out_of_step(struct p3fetch *f)
{
	sink_discard(f->sink, f->staged, f->nstaged);
	f->failed += f->nstaged;
	f->nstaged = 0;
	return net_failed(f);
}

/* a local failure: keep everything on the server (RSET, in step, then QUIT) */
static int
local_failed(struct p3fetch *f)
{
	sink_discard(f->sink, f->staged, f->nstaged);
	f->nstaged = 0;
	if (tb_interrupted) {
		tb_warn("interrupted by %s: no QUIT sent, the server keeps every message",
		    tb_signame(tb_interrupted));
		return EXIT_NET;
	}
	if (drain(f) < 0 || p3f_quit(f, 1) < 0)
		return EXIT_NET;
	if (f->dele_sent)
		tb_warn("RSET sent: no message was deleted");
	f->deleted = 0;
	return EXIT_LOCAL;
}

/* send a DELE or a RETR for m, queued: 0, or the exit of the session's end */
static int
send_q(struct p3fetch *f, int kind, const struct p3msg *m)
{
	char num[40];

	snprintf(num, sizeof num, "%llu", (unsigned long long)m->num);
	if (p3f_cmd(f, kind == Q_DELE ? "DELE" : "RETR", num, NULL) < 0)
		return errno == EPROTO ? out_of_step(f) : net_failed(f);
	f->q[f->qt++ % P3F_QN].kind = kind;
	f->q[(f->qt - 1) % P3F_QN].m = *m;
	return 0;
}

/*
 * The reply to the oldest command in flight: *ex raised for a -ERR; 0
 * to go on, or 1 with *ex the session's end.
 */
static int
take_reply(struct p3fetch *f, int *ex, unsigned *inflight, int last)
{
	struct pop3_status s;
	char num[40];
	int r, kind = f->q[f->qh % P3F_QN].kind;
	struct p3msg m = f->q[f->qh++ % P3F_QN].m;

	if (kind == Q_DELE) {
		snprintf(num, sizeof num, "DELE %llu", (unsigned long long)m.num);
		r = p3f_status(f, &s);
		if (r == -2)
			return *ex = net_failed(f), 1;
		if (r == POP3_ERR) {
			f->refused(f->arg, num, &s);
			*ex = exit_worst(*ex, EXIT_NO);
		} else {
			f->dele_ok++;	/* counts only once QUIT is +OK */
		}
		return 0;
	}
	(*inflight)--;
	r = fetch_one(f, &m);
	if (r == -2) {
		f->failed++;
		return *ex = net_failed(f), 1;
	}
	if (r == 1) {
		f->failed++;
		*ex = exit_worst(*ex, EXIT_NO);
		return 0;
	}
	if (r == -1) {
		/* the messages staged before this one are whole: keep them */
		f->failed++;
		f->ndels = 0;
		(void)commit_staged(f);
		f->ndels = 0;
		return *ex = local_failed(f), 1;
	}
	if (f->nstaged >= P3F_BATCH || (*inflight == 0 && last) ||
	    f->sink->kind == SINK_EXEC || f->sink->kind == SINK_STREAM) {
		/* nothing may follow the last reply due (POP-15) */
		if (f->qh == f->qt && unasked(f, "the last reply"))
			return *ex = out_of_step(f), 1;
		if (commit_staged(f) < 0)
			return *ex = local_failed(f), 1;
	}
	return 0;
}

int
p3f_fetch_all(struct p3fetch *f, size_t nsel)
{
	size_t next = 0;
	unsigned inflight = 0, window = (f->p->caps & POP3_CAP_PIPELINING) ? P3F_WINDOW : 1;
	int ex = EXIT_OK, r;

	for (;;) {
		/* DELEs first, then RETRs, as far as the window allows */
		while (f->ndels && f->qt - f->qh < window) {
			struct p3msg m = f->dels[0];

			memmove(f->dels, f->dels + 1, --f->ndels * sizeof *f->dels);
			if ((r = send_q(f, Q_DELE, &m)) != 0)
				return r;
			f->dele_sent++;
		}
		if (tb_interrupted)
			return net_failed(f);
		while (next < nsel && f->qt - f->qh < window && !f->ndels &&
		    f->nstaged + inflight < P3F_BATCH) {
			struct p3msg m;

			p3f_next(f, &m);
			if ((r = send_q(f, Q_RETR, &m)) != 0)
				return r;
			next++;
			inflight++;
		}
		if (f->qh == f->qt) {
			if (f->nstaged) {
				if (unasked(f, "the last reply"))
					return out_of_step(f);
				if (commit_staged(f) < 0)
					return local_failed(f);
				continue;
			}
			if (f->ndels)
				continue;
			break;
		}
		if (take_reply(f, &ex, &inflight, next >= nsel))
			return ex;
	}
	if (unasked(f, "the last reply"))
		return out_of_step(f);
	if (p3f_quit(f, 0) < 0) {
		if (f->dele_sent)	/* POP-05: DELE takes effect only at a successful QUIT */
			tb_warn("QUIT failed: the deletions may not have happened");
		return exit_worst(ex, EXIT_NET);
	}
	f->deleted = f->dele_ok;	/* the server confirmed each DELE, and the UPDATE */
	return ex;
}
