/* smtpxact.c - smtpsend's messages over one SMTP connection (smtpxact.h) */
#include <stdio.h>
#include <string.h>

#include "mail.h"
#include "smtpxact.h"
#include "tls/tlsopt.h"
#include "tubes.h"

enum { OK = SMTP_OK, TEMP = SMTP_TEMP, PERM = SMTP_PERM, NET = SMTP_NET, PROTO = SMTP_PROTO };

/* a diagnostic holding peer text (replies, names from DNS): escaped as a whole */
#define warn_esc(j, ...) ((j)->said = 1, tb_warn_peer(__VA_ARGS__))

/* the reply text for a verdict: on one line, cut to fit */
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

static void
set_why(struct smtp_job *j, const char *w)
{
	snprintf(j->whybuf, sizeof j->whybuf, "%.*s", (int)sizeof j->whybuf - 1, w);
	j->why = j->whybuf;
}

void
smtp_job_verdict(struct smtp_job *j, struct sub_rcpt *r, int code, const char *text, size_t tlen,
    const char *server)
{
	r->code = code;
	copy_text(r->text, sizeof r->text, text, tlen);
	r->final = 1;
	j->rcpt(j->arg, r, code, text, tlen, server);
}

void
smtp_job_rest(struct smtp_job *j, struct sub_msg *m, int code, const char *text,
    const char *server)
{
	size_t i;

	for (i = 0; i < m->nr; i++)
		if (!m->r[i].final)
			smtp_job_verdict(j, &m->r[i], code, text, strlen(text), server);
}

/* one connection's conversation */
struct run {
	struct smtp_job *j;
	struct smtp_sess ss;
	struct reply r;		/* the last reply */
	size_t first, nmsg;	/* the messages this connection is for */
	const char *server;
	int can_retry;		/* another host may still be tried */
	unsigned nsent;		/* messages sent on this connection */
	int rc;			/* the session's end after T_END */
	char line[1200];
};

#define MTEXT 700
#define MSG(u, k) (*submit_at((u)->j->src, (k)))
#define MSGNO(u, k) ((u)->nmsg > 1 ? (int)(k) + 1 : 0)

/* the session's limits: -W for each whole reply and between two bytes, -w in all */
static void
run_init(struct run *u, struct smtp_job *j, size_t nmsg, const char *server, int can_retry)
{
	memset(u, 0, sizeof *u);
	u->j = j;
	u->first = j->src->cur;	/* the messages before it are done */
	u->nmsg = nmsg;
	u->server = server;
	u->can_retry = can_retry;
	smtp_sess_init(&u->ss, j->c, server, j->transcript, j->lv);
	u->ss.s.idle = u->ss.s.reply_total = j->wait;
	u->ss.s.deadline = j->deadline;
}

static void
data_line(struct run *u, struct sub_msg *m, int code, const char *text, size_t tlen,
    size_t bytes, int msgno)
{
	u->j->data(u->j->arg, m, code, text, tlen, bytes, msgno);
}

/* every message still to go gets code and text; each one not done, "not sent" */
static void
verdict_all(struct run *u, int code, const char *text, const char *data)
{
	size_t k;

	for (k = u->first; k < u->nmsg; k++) {
		if (MSG(u, k).done)
			continue;
		smtp_job_rest(u->j, &MSG(u, k), code, text, u->server);
		data_line(u, &MSG(u, k), code, data, strlen(data), 0, MSGNO(u, k));
	}
}

/* the greeting was not a 220 */
static int
greet_fail(struct run *u, int st)
{
	struct smtp_job *j = u->j;
	char t[700];

	if (st == NET || st == PROTO) {
		set_why(j, u->ss.s.why);
		warn_esc(j, "%s: %s", u->server, u->ss.s.why);
		if (!u->can_retry) {
			j->exitc = exit_worst(j->exitc, EXIT_NET);
			verdict_all(u, 0, u->ss.s.why, "not sent");
		}
		return NET;
	}
	snprintf(t, sizeof t, "greeting: ");
	copy_text(t + 10, sizeof t - 10, u->r.text, u->r.len);
	ts_quit(&u->ss.s, u->r.code != 421);
	warn_esc(j, "%s: %d %s", u->server, u->r.code, t);
	if (u->can_retry) {
		snprintf(u->line, sizeof u->line, "%s: %d %s", u->server, u->r.code, t);
		set_why(j, u->line);
		return u->r.code / 100 == 5 ? PERM : TEMP;
	}
	verdict_all(u, u->r.code, t, "not sent");
	return OK;
}

/*
 * No reply, or one out of step: every message still to go is not sent
 * (with can_retry and no verdict given yet, another host is tried).
 */
static int
fail_all(struct run *u, int st)
{
	struct smtp_job *j = u->j;
	const char *w = j->why ? j->why : "failed";
	size_t k, i;
	int any = 0;

	if (u->can_retry) {
		for (k = u->first; k < u->nmsg; k++)
			for (i = 0; i < MSG(u, k).nr; i++)
				any |= MSG(u, k).r[i].final;
		if (!any) {
			warn_esc(j, "%s: %s", u->server, w);
			return NET;
		}
	}
	warn_esc(j, "%s: %s", u->server, w);
	snprintf(u->line, sizeof u->line, "not sent: %s", w);
	verdict_all(u, 0, w, u->line);
	if (st == PROTO)
		ts_quit(&u->ss.s, 1);
	j->exitc = exit_worst(j->exitc, EXIT_NET);
	return OK;
}

/* a failure of the session: a 4xx or 5xx reply (to what it answers), or fail_all */
static int
fail_step(struct run *u, int st)
{
	char t[700];

	if (st != TEMP && st != PERM) {
		set_why(u->j, u->ss.s.why);
		return fail_all(u, st);
	}
	copy_text(t, sizeof t, u->r.text, u->r.len);
	snprintf(u->line, sizeof u->line, "%s: %s", u->ss.s.last ? u->ss.s.last : "reply", t);
	set_why(u->j, u->line);
	if (u->r.code != 421)
		ts_quit(&u->ss.s, 1);
	warn_esc(u->j, "%s: %d %s", u->server, u->r.code, u->line);
	if (u->can_retry && st == TEMP)
		return TEMP;
	verdict_all(u, u->r.code, u->line, "not sent");
	return OK;
}

/* the message was cut before its end of data, or its end got no reply */
static int
data_lost(struct run *u, size_t k, int cut)
{
	struct smtp_job *j = u->j;

	set_why(j, u->ss.s.why);
	if (cut)
		/* the server discards it (RFC 5321 4.1.1.4); nothing more may go: no QUIT */
		snprintf(u->line, sizeof u->line, "not sent: %s before the end of the message "
		    "(never sent: the server discards it)", j->why);
	else
		/* SMTP-08: only 250 to end-of-data transfers responsibility */
		snprintf(u->line, sizeof u->line, "no final reply after the message (%s): "
		    "not sent; a duplicate is possible on retry", j->why);
	if (u->nmsg > 1)
		warn_esc(j, "%s: message %zu: %s", u->server, k + 1, u->line);
	else
		warn_esc(j, "%s: %s", u->server, u->line);
	data_line(u, &MSG(u, k), 0, u->line, strlen(u->line), 0, MSGNO(u, k));
	j->exitc = exit_worst(j->exitc, EXIT_NET);
	u->first = k + 1;
	verdict_all(u, 0, j->why, "not sent");
	u->rc = OK;
	return OK;
}

/* what a transaction ends in, for the session */
enum { T_NEXT, T_FAIL, T_AGAIN, T_END };

/* 421 (or a reply we cannot follow) in the middle: the rest is not sent */
static int
t_closing(struct run *u, int st, const char *what)
{
	char t[700];

	copy_text(t, sizeof t, u->r.text, u->r.len);
	snprintf(u->line, sizeof u->line, "%d %s: %s", u->r.code, what, t);
	set_why(u->j, u->r.code == 421 || st != OK ? u->line : "unexpected reply to DATA");
	u->rc = fail_all(u, NET);
	return T_END;
}

/* a 4xx to MAIL after messages went: the server's limit per session (OpenSMTPD: 100) */
static int
t_again(struct run *u)
{
	while (ts_due(&u->ss.s) > 0)
		if (smtp_reply(&u->ss, &u->r) >= NET)
			break;
	if (u->j->transcript)
		warn_esc(u->j, "%s: reconnecting after %u messages", u->server, u->nsent);
	ts_quit(&u->ss.s, 1);
	return T_AGAIN;
}

/* how the envelope ended (t_envelope) */
enum { E_OK, E_FAIL, E_AGAIN, E_CLOSING, E_REFUSED };

/*
 * MAIL and RCPT: each recipient's verdict, the accepted ones counted in
 * *nacc.  A refused MAIL (*mcode, mtext) refuses every recipient; with
 * PIPELINING their replies are read all the same.  E_FAIL leaves the
 * session's failure in *stp.
 */
static int
t_envelope(struct run *u, struct sub_msg *m, int *stp, int *mcode, char *mtext, size_t *nacc)
{
	struct smtp_job *j = u->j;
	const char **addr = tb_xmalloc(sizeof *addr * (m->nr ? m->nr : 1));
	char params[128];
	size_t i, n = 0;
	int st, mst;

	for (i = 0; i < m->nr; i++)
		if (!m->r[i].final)
			addr[n++] = m->r[i].addr;
	smtp_mail_params(&u->ss, params, sizeof params, m->wlen - 3, (m->cls & MAIL_8BIT) != 0,
	    submit_utf8(m, j->from));
	st = smtp_begin(&u->ss, j->from, params, addr, n, &u->r);
	tb_free(addr);
	if (st != OK)
		return *stp = st, E_FAIL;	/* RSET refused, or no reply */
	mst = smtp_reply(&u->ss, &u->r);	/* MAIL */
	if (mst == NET || mst == PROTO)
		return *stp = mst, E_FAIL;
	if (mst != OK) {
		*mcode = u->r.code;
		snprintf(mtext, MTEXT, "MAIL FROM: ");
		copy_text(mtext + 11, MTEXT - 11, u->r.text, u->r.len);
		if (mst == TEMP && u->nsent > 0)
			return E_AGAIN;
		if (!u->ss.ext.pipelining && u->r.code == 421)
			return *stp = mst, E_FAIL;
		if (!u->ss.ext.pipelining)
			return E_REFUSED;
	}
	for (i = 0; i < m->nr; i++) {
		struct sub_rcpt *rp = &m->r[i];

		if (rp->final)
			continue;
		if ((st = smtp_rcpt(&u->ss, rp->addr)) == OK)
			st = smtp_reply(&u->ss, &u->r);
		if (st == NET || st == PROTO)
			return *stp = st, E_FAIL;
		if (mst != OK) {
			smtp_job_verdict(j, rp, *mcode, mtext, strlen(mtext), u->server);
			continue;
		}
		smtp_job_verdict(j, rp, u->r.code, u->r.text, u->r.len, u->server);
		if (u->r.code / 100 == 2)
			(*nacc)++;
		if (u->r.code == 421)
			return E_CLOSING;	/* nothing more will be answered */
	}
	return E_OK;
}

/* the message itself after a 354, and the reply to its end of data */
static int
t_message(struct run *u, size_t k, struct sub_msg *m)
{
	int st;

	if (smtp_body(&u->ss, m->m, m->len, m->wire, m->wlen) != OK)
		return data_lost(u, k, 1), T_END;
	st = smtp_reply(&u->ss, &u->r);
	if (st == NET || st == PROTO)
		return data_lost(u, k, 0), T_END;
	data_line(u, m, u->r.code, u->r.text, u->r.len, m->wlen - 3, MSGNO(u, k));
	u->nsent++;
	if (u->r.code == 421)
		return t_closing(u, st, "end of data");
	return T_NEXT;
}

/* after the envelope: DATA, then the message */
static int
t_data(struct run *u, size_t k, struct sub_msg *m, int *stp, int mcode, size_t nacc)
{
	char t[MTEXT];
	int st = OK, msgno = MSGNO(u, k);

	/* DATA: only with a recipient (SMTP-03, SMTP-04) */
	if (nacc > 0 && smtp_data(&u->ss) != OK)
		return *stp = NET, T_FAIL;
	if (u->ss.ext.pipelining || nacc > 0) {
		st = smtp_reply(&u->ss, &u->r);
		if (st == NET || st == PROTO)
			return *stp = st, T_FAIL;
		if (st == OK && u->r.code == 354 && nacc == 0) {
			/* RFC 2920 3.1: end the data we must not send */
			(void)smtp_data_abort(&u->ss, &u->r);
			st = PERM;
		}
	}
	if (nacc == 0) {
		if (mcode)
			data_line(u, m, mcode, "not sent: sender refused", 24, 0, msgno);
		else
			data_line(u, m, 0, "not sent: no recipient accepted", 31, 0, msgno);
		return T_NEXT;
	}
	if (st != OK || u->r.code != 354) {
		/* SMTP-09: no body unless 354 */
		snprintf(t, sizeof t, "DATA: ");
		copy_text(t + 6, sizeof t - 6, u->r.text, u->r.len);
		data_line(u, m, smtp_class(u->r.code) == OK ? 554 : u->r.code, t, strlen(t), 0, msgno);
		if (u->r.code == 421 || smtp_class(u->r.code) == OK)
			return t_closing(u, u->r.code == 421 ? NET : OK, "DATA");
		return T_NEXT;
	}
	return t_message(u, k, m);
}

/* one message: MAIL, RCPT..., DATA, the message; T_FAIL leaves the failure in *stp */
static int
transaction(struct run *u, size_t k, int *stp)
{
	struct smtp_job *j = u->j;
	struct sub_msg *m = &MSG(u, k);
	size_t i, naddr = 0, nacc = 0;
	const char *why;
	char mtext[MTEXT];
	int t, mcode = 0, msgno = MSGNO(u, k);

	if (tb_interrupted) {
		snprintf(u->ss.s.why, sizeof u->ss.s.why, "interrupted");
		return *stp = NET, T_FAIL;
	}
	for (i = 0; i < m->nr; i++)
		naddr += !m->r[i].final;
	if (naddr == 0)
		return T_NEXT;
	if (smtp_wire(m->m, m->len, m->cls, &u->ss.ext, &m->wire, &m->wlen, &why) < 0) {
		smtp_job_rest(j, m, 0, why, u->server);
		data_line(u, m, 0, why, strlen(why), 0, msgno);
		j->exitc = exit_worst(j->exitc, EXIT_LOCAL);
		return T_NEXT;
	}
	if (u->ss.ext.size && u->ss.ext.size_max && m->wlen - 3 > u->ss.ext.size_max) {
		/* RFC 1870: do not send what the server said it will not take */
		snprintf(u->line, sizeof u->line, "message of %zu bytes exceeds the server's SIZE %llu",
		    m->wlen - 3, (unsigned long long)u->ss.ext.size_max);
		smtp_job_rest(j, m, 0, "not tried: message too big", u->server);
		data_line(u, m, 552, u->line, strlen(u->line), m->wlen - 3, msgno);
		t = T_NEXT;
	} else {
		switch (t_envelope(u, m, stp, &mcode, mtext, &nacc)) {
		case E_FAIL: t = T_FAIL; break;
		case E_AGAIN: t = t_again(u); break;
		case E_CLOSING: t = t_closing(u, NET, "RCPT"); break;
		case E_REFUSED:
			/* without PIPELINING a refused MAIL: this message only */
			smtp_job_rest(j, m, u->r.code, mtext, u->server);
			data_line(u, m, u->r.code, "not sent", 8, 0, msgno);
			t = T_NEXT;
			break;
		default: t = t_data(u, k, m, stp, mcode, nacc); break;
		}
	}
	tb_free(m->wire);
	m->wire = NULL;
	return t;
}

/*
 * EHLO, STARTTLS as j->tls says (smtp_starttls; then EHLO again, as
 * nothing the server said in clear is kept), AUTH: OK, or a class for
 * fail_step.
 */
static int
hello(struct run *u)
{
	struct smtp_job *j = u->j;
	char line[200];
	int st;

	if ((st = smtp_hello(&u->ss, j->ehlo, &u->r)) != OK)
		return st;
	if ((st = smtp_starttls(&u->ss, j->tls, j->auth != 0, j->tlso, j->tinfo, &u->r)) != OK)
		return st;
	if (u->ss.tls) {
		j->tls_on = 1;
		if (j->transcript)
			warn_esc(j, "TLS: %s", tlsopt_str(j->tinfo, line, sizeof line));
		/* RFC 3207 4.2: forget what the server said in clear, and ask again */
		if ((st = smtp_hello(&u->ss, j->ehlo, &u->r)) != OK)
			return st;
	}
	if (j->auth)
		return smtp_auth(&u->ss, j->auth, j->user, j->pass, &u->r);
	return OK;
}

int
smtp_job_session(struct smtp_job *j, size_t nmsg, const char *server, int can_retry)
{
	struct run *u = tb_xmalloc(sizeof *u);
	int st, t = T_NEXT, rc = OK;
	size_t k;

	run_init(u, j, nmsg, server, can_retry);
	if ((st = smtp_greeting(&u->ss, &u->r)) != OK)
		rc = greet_fail(u, st);
	else if ((st = hello(u)) != OK)
		rc = fail_step(u, st);
	else {
		for (k = u->first; k < nmsg && t == T_NEXT; k++)
			t = transaction(u, k, &st);
		if (t == T_FAIL)
			rc = fail_step(u, st);
		else if (t == T_AGAIN)
			rc = SMTP_AGAIN;
		else if (t == T_END)
			rc = u->rc;
		else if (t == T_NEXT) {
			if (ts_unasked(&u->ss.s, u->ss.s.last ? u->ss.s.last : "reply"))
				warn_esc(j, "%s: %s", server, u->ss.s.why);
			ts_quit(&u->ss.s, 1);
		}
	}
	tb_free(u);
	return rc;
}
