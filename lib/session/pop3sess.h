/*
 * pop3sess.h - the POP3 conversation (RFC 1939, RFC 2449) on the text
 * session (session.h): commands with PASS and APOP masked, status lines
 * named by the command they answer, listings line by line, the greeting
 * and its APOP timestamp, CAPA and the login.  What a command does with
 * the mailbox (choose, fetch, deliver, delete) stays in cmd/pop3get.c.
 * A STLS (TLS) would start between p3_capa and p3_login.
 */
#ifndef TB_POP3SESS_H
#define TB_POP3SESS_H

#include <stddef.h>
#include <stdint.h>

#include "pop3.h"
#include "session.h"

#define P3_LINE_MAX 8192

struct p3 {
	struct ts ts;
	struct pop3_status st;	/* the last status line, parsed; points into line */
	char line[P3_LINE_MAX];
	unsigned caps;		/* POP3_CAP_* from CAPA */
	char stamp[256];	/* the greeting's APOP timestamp, or "" */
};

void p3_init(struct p3 *, struct conn *, const char *peer);
/*
 * Send VERB [arg [arg2]].  With no reply due, data waiting from the
 * server is refused first (out of step, errno EPROTO).  An argument
 * holding CR, LF or NUL, or too long, is EINVAL.  0, or -1 with p->ts.why.
 */
int p3_cmd(struct p3 *, const char *verb, const char *arg, const char *arg2);
/*
 * Read the next status line into p->st: POP3_OK, POP3_ERR, or -2 on a
 * network failure or a malformed line (p->ts.why says which).
 */
int p3_status(struct p3 *);
/*
 * The lines of a multi-line reply after +OK, each without its line end
 * (a line over P3_LINE_MAX is dropped whole), to fn; at most max octets
 * on the wire.  0; -2 out of step (p->ts.why); -1 if fn failed.
 */
int p3_lines(struct p3 *, int (*fn)(void *, const char *, size_t), void *arg, uint64_t max);
/* the greeting, its APOP timestamp, nothing after it: as p3_status */
int p3_greet(struct p3 *);
/* CAPA into p->caps (an old server's -ERR means none): 0, or -2 */
int p3_capa(struct p3 *, uint64_t max);
/*
 * Log in with USER/PASS, or APOP when apop is set (-3 with p->ts.why if
 * the greeting carried no timestamp).  pass is wiped.  POP3_OK,
 * POP3_ERR (p->st says why: [AUTH], [IN-USE] ...), or -2.
 */
int p3_login(struct p3 *, const char *user, char *pass, size_t passcap, int apop);

#endif
