/*
 * smtpxact.h - smtpsend's messages over one SMTP connection: the
 * session (greeting, EHLO, STARTTLS, AUTH, each on smtpsess.h), then
 * one transaction per message (MAIL, RCPT..., DATA, the message and its
 * end of data), and what each reply means: a verdict per recipient and
 * a data line per message, handed to the command's callbacks to count
 * and print.  A failure says whether another host may still be tried
 * (nothing definitive happened yet) or every message still to go is not
 * sent; a 4xx to MAIL after messages went (the server's limit per
 * session) asks for a new connection that goes on where this one ended.
 */
#ifndef TB_SMTPXACT_H
#define TB_SMTPXACT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "smtpsess.h"
#include "submit.h"

/* a session's end besides SMTP_OK, SMTP_TEMP, SMTP_PERM and SMTP_NET: reconnect, go on */
enum { SMTP_AGAIN = SMTP_PROTO + 1 };

struct smtp_job {
	/* the command's: where and how */
	struct conn *c;		/* connected, TLS on already for smtps */
	struct submit_src *src;	/* the messages (submit.h) */
	const char *from;	/* the envelope sender */
	const char *ehlo;	/* our name */
	int auth;		/* 0, SMTP_AUTH_PLAIN or SMTP_AUTH_LOGIN */
	const char *user, *pass;
	int tls;		/* SMTP_TLS_*: when STARTTLS goes */
	struct tlsopt *tlso;
	struct tls_info *tinfo;	/* the TLS of the connection, if any */
	FILE *transcript;	/* -v: the dialogue, and a word on TLS and reconnecting */
	struct layers *lv;	/* -X, or NULL */
	int64_t wait;		/* each whole reply, and between two bytes */
	int64_t deadline;	/* in all (absolute, < 0 none) */
	/*
	 * A recipient's verdict (code 0: none; text says why) once it is
	 * filled in (code, text, final), and a message's data line (m NULL
	 * for none in hand; msgno 0 when there is one message).
	 */
	void (*rcpt)(void *arg, const struct sub_rcpt *, int code, const char *text,
	    size_t tlen, const char *server);
	void (*data)(void *arg, struct sub_msg *m, int code, const char *text, size_t tlen,
	    size_t bytes, int msgno);
	void *arg;
	/* what came of it */
	int tls_on;		/* this connection is TLS (the command sets it for smtps) */
	int exitc;		/* the worst exit no reply code gave (no reply: 3; local: 2) */
	int said;		/* a line went to stderr */
	const char *why;	/* why the last connection failed, or NULL */
	char whybuf[1000];
};

/*
 * One session on the connection: the messages src->cur .. nmsg-1 (those
 * done already are passed over) to server.  SMTP_OK when every one got
 * its verdicts here; SMTP_TEMP, SMTP_PERM or SMTP_NET (j->why) when
 * can_retry and nothing definitive happened yet: try another host;
 * SMTP_AGAIN: reconnect and go on.
 */
int smtp_job_session(struct smtp_job *, size_t nmsg, const char *server, int can_retry);
/* r's verdict: code and text into r, final; then j->rcpt */
void smtp_job_verdict(struct smtp_job *, struct sub_rcpt *r, int code, const char *text,
    size_t tlen, const char *server);
/* every recipient of m without a verdict gets this one */
void smtp_job_rest(struct smtp_job *, struct sub_msg *m, int code, const char *text,
    const char *server);

#endif
