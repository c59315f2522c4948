/*
 * pop3fetch.h - pop3get's work on a logged-in POP3 session
 * (pop3sess.h): which messages of the listing it takes (--new against
 * the state file, --max-size, -n), and their delivery without loss:
 * RETR (and DELE) pipelined within a window, each message checked
 * against LIST's size and staged in the sink (deliver.h), made durable
 * in groups, recorded in the state file, and only then DELEd.  On a
 * local failure RSET before QUIT; on a network failure, a signal or
 * bytes out of step, no QUIT at all: the server keeps every message no
 * DELE of a finished session took.  What is printed is the command's.
 *
 * Every failure of the session is said on stderr here (the p3f_
 * functions that talk: p3f_cmd, p3f_status, p3f_body, p3f_quit).
 */
#ifndef TB_POP3FETCH_H
#define TB_POP3FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "deliver.h"
#include "pop3sess.h"

#define P3F_WINDOW 32		/* RETRs in flight with PIPELINING */
#define P3F_BATCH 32		/* messages staged for one group commit */
#define P3F_QN (P3F_WINDOW + P3F_BATCH + 2)
/* a message's octets on the wire past which its reply is cut: 3 * size + this */
#define P3F_BODY_SLACK 8192

struct p3fetch {
	/* the command's */
	struct p3 *p;		/* logged in */
	struct p3list *L;	/* the listing (p3_listing) */
	struct sink *sink;	/* where messages go; NULL for -l and --scan */
	struct uidstate *state;	/* the unique-ids delivered before, or NULL */
	int newonly;		/* -N: only those not in state */
	int del;		/* --delete once durable */
	long long max;		/* -n, or <= 0 */
	long long maxsize;	/* --max-size, or <= 0 */
	/* a -ERR to what (the command's report); a message delivered to where */
	void (*refused)(void *arg, const char *what, const struct pop3_status *);
	void (*stored)(void *arg, const struct p3msg *, const char *where, uint64_t octets);
	void *arg;
	/* the counts, for the summary */
	unsigned long delivered, deleted, dele_sent, dele_ok, failed, skipped;
	uint64_t octets;
	/* the work in hand */
	size_t cursor;		/* the next message of the listing to consider */
	struct { int kind; struct p3msg m; } q[P3F_QN];	/* sent, reply not read */
	size_t qh, qt;
	struct delivery dv;
	struct staged staged[P3F_BATCH];	/* written, not yet durable */
	struct p3msg staged_m[P3F_BATCH];
	uint64_t staged_octets[P3F_BATCH];
	size_t nstaged;
	struct p3msg dels[P3F_BATCH];	/* DELEs to send */
	size_t ndels;
};

/* p->ts.why on stderr; errno kept */
void p3f_warn(const struct p3fetch *);
/* p3_cmd: 0, or -1 said */
int p3f_cmd(struct p3fetch *, const char *verb, const char *arg, const char *arg2);
/* the next status line into *s: POP3_OK, POP3_ERR, or -2 (said) */
int p3f_status(struct p3fetch *, struct pop3_status *s);
/*
 * A multi-line body to fn (ts_body; -X gets a line of its counts): 0
 * at its end; -2 out of step (said); -1 when fn failed (the body was
 * still read to its end).
 */
int p3f_body(struct p3fetch *, struct pop3_ml *, int (*fn)(void *, const uint8_t *, size_t),
    void *arg, uint64_t expect, uint64_t max);
/* RSET first when rset; QUIT: 0 at its +OK, else -2 */
int p3f_quit(struct p3fetch *, int rset);
/*
 * How many messages of the listing are taken (the state is marked with
 * every id the server still has); those over --max-size are counted in
 * skipped and, when fetching, said.
 */
size_t p3f_choose(struct p3fetch *);
/* the next message taken, into *m (no more than p3f_choose counted) */
void p3f_next(struct p3fetch *, struct p3msg *m);
/* RETR, delivery, DELE and QUIT for the nsel messages taken: the exit code */
int p3f_fetch_all(struct p3fetch *, size_t nsel);

#endif
