/*
 * ftptls.h - FTPS (RFC 4217) on an FTP session (ftpsess.h): TLS on the
 * control connection, from the first byte (ftps://, "implicit") or after
 * AUTH TLS; PBSZ 0 and PROT P after the login; and TLS on every data
 * connection, resuming the control connection's TLS session (vsftpd's
 * require_ssl_reuse, on by default, refuses a data connection that does
 * not: it wants proof that the same client holds both).
 *
 * The rules, in one place:
 *   - FTPTLS_AUTO (the default): AUTH TLS is asked after the greeting.
 *     Taken: TLS from there on.  Refused (any reply but 234): the login
 *     goes on in clear to a loopback address, or as anonymous (its
 *     password "ftpget@" is no secret: curl and every FTP client send
 *     it in clear); a named user's password is never sent in clear to
 *     another address (nor the user name: nothing after the refusal but
 *     QUIT).
 *   - FTPTLS_REQUIRED: a refusal (or a server that has no TLS) ends the
 *     session before USER, with QUIT; exit 3.  PROT P refused likewise.
 *   - FTPTLS_OFF: never AUTH TLS; everything in clear (the user asked).
 *   - FTPTLS_IMPLICIT (ftps://): TLS before the greeting; PROT P as with
 *     REQUIRED.
 *   - Bytes the server sent after its 234 and before the handshake
 *     began are refused (the STARTTLS injection class, CVE-2011-0411):
 *     nothing more is sent, exit 3.  What the server said before TLS
 *     (FEAT) is forgotten.
 *   - A data connection's handshake starts once the server has said it
 *     opens it (the 1xx to RETR, STOR, LIST...), in passive and active
 *     mode alike: we are the TLS client on both (RFC 4217 7).
 *
 * Each function that fails has said why through ftps_say and returns
 * the exit status (tubes.7); the session is dropped where its state is
 * in doubt.
 */
#ifndef TB_FTPTLS_H
#define TB_FTPTLS_H

#include "ftpsess.h"
#include "tls/tls.h"

struct tlsopt;

enum { FTPTLS_AUTO, FTPTLS_REQUIRED, FTPTLS_OFF, FTPTLS_IMPLICIT };

struct ftptls {
	/* settings */
	int mode;		/* FTPTLS_* */
	struct tlsopt *o;	/* --cacert, -k, --pinnedpubkey ... */
	/* the current session's state (ftptls_reset clears it) */
	int on;			/* the control connection is TLS */
	int prot;		/* PROT P in effect: the data connections are TLS */
	struct tls_info info;	/* the control connection's handshake */
	struct tls_session sess;	/* offered on every data connection */
	unsigned long data, resumed;	/* data handshakes, and those that resumed */
	struct tls_info dinfo;	/* the last data connection's handshake */
};

/*
 * What a refused AUTH TLS leaves: 0 go on in clear, or 1 stop before
 * USER (--tls required; a named user to an address that is not
 * loopback).  The rule alone, for the tests.
 */
int ftptls_clear_refused(int mode, const struct tb_addr *peer, const char *user);

/* a new control connection: no TLS yet */
void ftptls_reset(struct ftptls *);

/* ftps://: TLS on the control connection before the greeting; 0 or exit status */
int ftptls_implicit(struct ftps *);
/*
 * After the greeting: AUTH TLS (unless off or implicit) and the
 * handshake, or the refusal's rule for user.  0 (go on: TLS or clear),
 * or an exit status with the session dropped.
 */
int ftptls_auth(struct ftps *, struct reply *, const char *user);
/* after the login, on a TLS control connection: PBSZ 0, PROT P; 0 or exit status */
int ftptls_prot(struct ftps *, struct reply *);
/*
 * TLS on the data connection d (connected, its 1xx read) when PROT P is
 * in effect, offering the control connection's session; 0 or EXIT_NET
 * (the session dropped: its transfer is in the middle).
 */
int ftptls_data(struct ftps *, struct ftpdata *);
/*
 * The end of an upload's stream on a TLS data connection: close_notify,
 * then the server's read up to its own (so that no unread byte turns
 * our close into an RST that could cost the server the upload's end)
 */
void ftptls_data_end(struct ftpdata *);
/* why a data connection's read or write failed: the TLS layer's words, or strerror */
const char *ftptls_data_why(struct ftpdata *, int e);

#endif
