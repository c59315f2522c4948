/*
 * pop3sess.h - the POP3 conversation (RFC 1939, RFC 2449) on the text
 * session (session.h): commands with PASS and APOP masked, status lines
 * named by the command they answer, listings line by line, the greeting
 * and its APOP timestamp, CAPA and the login.  What pop3get does with
 * the mailbox (choose, fetch, deliver, delete) is pop3fetch.h.
 * A STLS (TLS) would start between p3_capa and p3_login.
 */
#ifndef TB_POP3SESS_H
#define TB_POP3SESS_H

#include <stddef.h>
#include <stdint.h>

#include "pop3.h"
#include "session.h"
#include "spool.h"

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

/*
 * STLS (RFC 2595): ask, and on +OK start TLS through tlsopt (tls/tlsopt.h)
 * for host; then CAPA again, as nothing the server said before TLS is
 * kept.  Bytes buffered after the +OK, before the handshake, are refused:
 * they could be a reply injected in clear (the STARTTLS class of
 * CVE-2011-0411).  POP3_OK; POP3_ERR the server refused STLS (p->st);
 * -2 (p->ts.why).
 */
struct tlsopt;
struct tls_info;
int p3_stls(struct p3 *, struct tlsopt *, const char *host, struct tls_info *, uint64_t capamax);

/* --- the listing -------------------------------------------------------- */

/*
 * The maildrop's listing in constant memory, whatever it holds: one
 * record per message (LIST size, UIDL unique-id) in a spool (spool.h),
 * read back one message at a time.  At the start of a session the
 * numbers are exactly first..first+n-1 (RFC 1939).
 */
struct p3list {
	struct tb_spool sp;
	uint64_t count, size;	/* STAT's answer */
	uint64_t first;		/* the number of message 0 */
	size_t n;		/* messages listed */
	size_t nuids;		/* unique-ids listed */
	int uids_ok;		/* every message has a unique-id, none twice */
	int bad;		/* malformed lines seen (the first 5 are reported) */
};
struct p3msg {
	uint64_t num, size;
	char uid[POP3_UIDL_MAX + 1];	/* "" unless the unique-ids are usable */
};
/*
 * STAT, then LIST and UIDL: of every message, or of message want alone
 * (want > 0).  With dups, two messages with the same unique-id make the
 * ids unusable (--new needs them distinct; that check holds every id in
 * memory once).  0; 1 a definitive no (a -ERR to STAT or LIST: p->st and
 * p->ts.last say which; or want beyond the maildrop: p->ts.why); -2 out
 * of step or the connection failed (p->ts.why); -1 local (p->ts.why).
 * Malformed LIST and UIDL lines are reported on stderr as they come.
 */
int p3_listing(struct p3 *, struct p3list *, uint64_t want, int dups);
/* message i (0-based) of the listing */
int p3_msg(struct p3list *, size_t i, struct p3msg *);

#endif
