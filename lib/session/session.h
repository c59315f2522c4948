/*
 * session.h - a text-protocol conversation over a connection: the part of
 * SMTP, FTP and POP3 that is the same in all three, written once.
 *
 * A command builds its verbs; the session sends them (one at a time or
 * pipelined), shows them (-v transcript with secrets masked, -X through
 * the protocol's decoder), remembers which command each coming reply
 * answers, reads replies under two limits (the idle limit between two
 * bytes and a total limit for one whole reply, so a peer trickling one
 * byte a second cannot hold a command), applies one rule to data the
 * server sends unasked, says QUIT without lingering, and maps a reply
 * code to an exit status.  Whatever is under the conn (a socket, a --via
 * helper, TLS) is invisible here.
 *
 * Every failure leaves a message a person can act on in s->why ("RCPT:
 * timed out (no whole reply within 30 s)"), which the command prints
 * with its own prefix.
 */
#ifndef TB_SESSION_H
#define TB_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"

struct layers;

enum ts_proto {
	TS_SMTP,		/* RFC 5321 4.2.1: the last line carries the same code */
	TS_FTP,			/* RFC 959 4.2: inner lines may carry any text */
	TS_POP3			/* RFC 1939: +OK / -ERR status lines, dot-terminated bodies */
};

#define TS_PENDING_MAX	2048	/* commands in flight (SMTP PIPELINING, FTP batches) */
#define TS_QUIT_WAIT	2000000	/* µs the reply to QUIT is waited for, at most */
#define TS_WHY_MAX	256

struct ts {
	struct conn *c;
	int proto;		/* enum ts_proto */
	const char *peer;	/* the server's name in messages */
	FILE *transcript;	/* -v: "C: " lines (the conn's trace prints "S: ") */
	struct layers *lv;	/* -X, or NULL */
	/* the protocol's -X decoders (lib/wire); NULL: no view */
	void (*view_cmd)(struct layers *, const char *line, size_t n, int secret);
	void (*view_reply)(struct layers *, const struct reply *, const void *raw, size_t rawlen);
	void (*view_status)(struct layers *, const char *line, size_t n);
	int64_t idle;		/* µs between two bytes; < 0 none */
	int64_t reply_total;	/* µs for one whole reply; < 0: the idle limit */
	int64_t deadline;	/* the run's total deadline (absolute µs); < 0 none */
	/* the commands whose replies are due, oldest first: the verb, and
	 * its argument when that is a number ("RETR 7") */
	char pend[TS_PENDING_MAX][24];
	size_t ph, pn;
	int greeted;		/* the greeting has been read */
	const char *last;	/* what the last reply answered (points to lastbuf) */
	char lastbuf[24];
	char why[TS_WHY_MAX];	/* the last failure, for a diagnostic */
};

/* a session over a connected c (its idle and deadline are set per wait) */
void ts_init(struct ts *, struct conn *c, int proto, const char *peer);

/*
 * Secrets in the transcript and the view: keep is how many words of the
 * line stay readable ("PASS" 1, "AUTH PLAIN" 2, "APOP user" 2); the rest
 * is shown as a fixed "********" that says nothing about its length.
 * TS_PUBLIC (0) shows the whole line.
 */
#define TS_PUBLIC 0
/*
 * TS_SECRET: the whole line is the secret (a SASL response such as
 * AUTH LOGIN's base64 user name and password): shown as "********" only,
 * and named "AUTH" in messages (SASL responses come only inside AUTH).
 */
#define TS_SECRET (-1)

/*
 * Send one command: fmt's result with CR LF appended.  A CR or LF inside
 * it is refused (EINVAL: "refusing a line break in a command"), as is one
 * longer than the protocol allows (EMSGSIZE).  Its verb goes on the list
 * of replies due.  0, or -1 with errno and s->why.
 */
int ts_cmd(struct ts *, int keep, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/*
 * Send len bytes holding whole command lines, each ending in CR LF
 * (a pipelined group).  Each line is shown and queued as ts_cmd does;
 * keep applies to every line.  0, or -1 with errno and s->why.
 */
int ts_send(struct ts *, const char *buf, size_t len, int keep);
/*
 * A reply is due that no command line asks for (SMTP's end of data,
 * sent by the caller with conn_write): it is named what.
 */
void ts_expect(struct ts *, const char *what);
/* the number of replies still due */
size_t ts_due(const struct ts *);
/* what the next reply answers ("greeting" first, then the oldest command sent) */
const char *ts_next(const struct ts *);

/*
 * Read one whole 3-digit reply (SMTP, FTP), under the idle limit and
 * the total limit for one reply.  0 with r filled, or -1 with errno
 * (ETIMEDOUT, EPROTO malformed, EMSGSIZE too long, ECONNRESET closed,
 * EINTR on a signal) and s->why ("RCPT: timed out (no whole reply
 * within 30 s)").  A 421 is a reply like any other: see ts_reply_exit.
 */
int ts_reply(struct ts *, struct reply *);
/*
 * The reply just read was a preliminary one (FTP's 1xx, "150 opening
 * data connection"): the command it answered has its final reply still
 * to come, so it goes back to the head of the replies due (the greeting
 * stays due after a 120).
 */
void ts_again(struct ts *);
/*
 * Read one POP3 status line into line (cap bytes), under the same
 * limits.  Its length, or -1 with errno and s->why.
 */
ssize_t ts_status(struct ts *, char *line, size_t cap);
/*
 * Read a dot-terminated body (POP3 RETR/TOP/LIST/UIDL, lib/wire pop3_ml
 * unstuffs it), handing the bytes to fn; whole within the idle limit
 * plus expect bytes at 1 KiB/s, and never more than max octets on the
 * wire.  0 at the terminator; -2 when the session is out of step (network
 * failure, short body, over max: s->why set); -1 when fn failed (the body
 * is still read to its end, so the session stays in step).
 */
struct pop3_ml;
int ts_body(struct ts *, struct pop3_ml *, int (*fn)(void *, const uint8_t *, size_t),
    void *arg, uint64_t expect, uint64_t max);

/*
 * The one rule for data nobody asked for: with no reply due, any byte
 * waiting (buffered, held by the transport, or on the socket; EOF is not
 * data) means the server is out of step -- an injected or pipelined
 * reply.  1 (s->why: "WHAT: followed by data nobody asked for"), or 0.
 */
int ts_unasked(struct ts *, const char *what);

/*
 * QUIT as a courtesy: sent, and its reply waited for TS_QUIT_WAIT at
 * most when wait is set, never reported (a server that closes instead
 * changes neither output nor exit status).  s->why is kept.
 */
void ts_quit(struct ts *, int wait);

/* 2xx, 3xx: 0; 4xx: 3 (try again later); 5xx: 1 (a definitive no); other: 3 */
int ts_code_exit(int code);

/*
 * "PROG: PEER: WHAT: CODE text" on stderr, the reply's first line
 * escaped (the peer's bytes are never printed raw).
 */
void ts_warn_reply(const struct ts *, const char *what, const struct reply *);

#endif
