/*
 * ftpsess.h - the FTP conversation (RFC 959, 2428, 3659) over lib/session:
 * connect and log in, TYPE, FEAT, SIZE and MDTM, the data connection
 * (passive EPSV then PASV, or active EPRT then PORT with an accept under
 * the deadlines), the transfer commands with their 1xx and final replies,
 * REST, the pipelined groups ftpget sends, and QUIT.
 *
 * The command (cmd/ftpget.c) keeps its options, the order of the work
 * and what it prints; it fills the settings of a struct ftps and calls
 * these.  Each function that fails has said why (through s->report) and
 * returns the exit status for it (tubes.7); a failure that leaves the
 * server's state in doubt also drops the control connection (s->up 0).
 *
 * The control connection is a struct ts (session.h) over a struct conn;
 * each data connection is a struct conn of its own, so that a transport
 * (TLS, for FTPS: ftptls.h) is put on it as on the control one, once
 * the server has answered the transfer command with its 1xx.
 */
#ifndef TB_FTPSESS_H
#define TB_FTPSESS_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "session.h"

struct ftp_entry;
struct ftptls;
struct layers;
struct progress;

/* one data connection */
struct ftpdata {
	struct conn *c;		/* connected (c->rfd >= 0), or NULL */
	int lfd;		/* active: listening, or -1 */
	int bg;			/* passive: leave the connect to finish in the background */
};
#define FTPDATA_INIT { NULL, -1, 0 }

struct ftps {
	struct ts t;		/* the control conversation */
	struct conn *c;		/* its connection (the caller allocates it) */
	int up;			/* connected and logged in (or logging in) */
	char host[256], user[256];
	uint16_t port;
	struct tb_addr peer, local;
	int type;		/* 'I', 'A' or 0 (unset) */
	int mlst, feat;		/* FEAT seen and lists MLST */
	int no_ext;		/* EPSV/EPRT refused: use PASV/PORT */
	int ext_known;		/* a passive open worked: EPSV or PASV is settled */
	int epsv_ok;		/* an EPSV data connection was made: no more probing */
	int pasv_note;		/* said once that the 227 address is ignored */
	char home[1024];	/* the login directory (PWD), once asked for */

	/* settings, from the command's options (ftps_init sets defaults) */
	int family;		/* AF_UNSPEC, AF_INET, AF_INET6 */
	int epsv;		/* try EPSV/EPRT first (1) */
	int active;		/* PORT/EPRT instead of EPSV/PASV */
	int ascii;		/* data in TYPE A: CR LF -> LF on receipt */
	int tcpinfo;		/* TCP_INFO of each connection on stderr when closed */
	FILE *transcript;	/* -v: the dialogue, or NULL */
	struct layers *lv;	/* -X, or NULL */
	int64_t idle;		/* µs between two bytes, and for one whole reply */
	int64_t deadline;	/* absolute, or -1 */
	const char *pwfile;	/* --password-file, or NULL */
	const char *pwenv;	/* the environment variable of the password */
	struct ftptls *tls;	/* FTPS (ftptls.h), or NULL: no TLS at all */
	/* every diagnostic, a whole line without the program's name; NULL: tb_warn */
	void (*report)(const char *msg);
	/*
	 * The meter of a data connection, or NULL: the caller starts it
	 * (progress_start: its base the bytes there before, -C); the
	 * transfer updates it with base + bytes moved and ends it.
	 */
	struct progress *pm;
};

/* defaults for the settings; c is the control connection's storage */
void ftps_init(struct ftps *, struct conn *c);

/* a diagnostic through s->report (kept in s->t.why too) */
void ftps_say(struct ftps *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "HOST: WHAT: CODE text", the reply's first line escaped */
void ftps_warn_reply(struct ftps *, const char *what, const struct reply *);
/* ftps_warn_reply, then the exit status of a refusal: 4xx 3, 5xx 1, else 3 */
int ftps_refused(struct ftps *, const char *what, const struct reply *);

/*
 * The password for host and user now (before the first packet): found
 * (1), none anywhere (0: looked for again if a server asks), or -1 with
 * *why.  A login to the same host and user uses it; the environment
 * variable is wiped once read, so a second login could not find it.
 */
int ftps_password_early(const char *pwfile, const char *envvar, const char *host,
    const char *user, const char **why);
void ftps_password_forget(void);

/*
 * Connect (the resolver or nothing else), read the greeting (120s, then
 * 220), log in (USER, PASS when asked: "ftpget@" for anonymous).  With
 * s->tls: TLS before the greeting (ftps://) or AUTH TLS after it, and
 * PBSZ/PROT after the login (ftptls.h).  0, or an exit status after
 * saying why.
 */
int ftps_open(struct ftps *, const char *host, uint16_t port, const char *user);
/* close the control connection without a word */
void ftps_drop(struct ftps *);
/* QUIT as a courtesy (ts_quit), then close */
void ftps_quit(struct ftps *);

/*
 * One command and its reply (a 1xx is returned as it is; ftps_reply
 * reads the next).  Data waiting before the command (a reply nobody
 * asked for, a 421) fails it first.  0 with r filled, or an exit status
 * after saying why (the session dropped on transport errors and 421).
 */
int ftps_cmd(struct ftps *, struct reply *, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* the next reply of a command already sent; as ftps_cmd */
int ftps_reply(struct ftps *, struct reply *);
/*
 * Append one command to buf (CR LF added) for ftps_send: a pipelined
 * group goes in one write.  0, or -1 after saying why.
 */
int ftps_queue(struct ftps *, char *buf, size_t cap, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* send a group of queued commands (checking for unasked data first); 0 or exit status */
int ftps_send(struct ftps *, const char *buf, size_t len);
/* a whole reply line is buffered already (the server answered ahead) */
int ftps_line_waiting(const struct ftps *);

/* TYPE type ('A' or 'I'), unless the session is in it already */
int ftps_type(struct ftps *, struct reply *, int type);
/* FEAT once: s->mlst */
int ftps_feat(struct ftps *);
/*
 * Whether dir can be entered: PWD (once), "CWD dir", CWD back home.  0
 * yes (or no way to tell: no PWD); a refusal of the CWD is said ("HOST:
 * DIR: 550 text") and its exit status returned (5xx: 1).  A server that
 * lets us in but not back out loses the session (its place is unknown).
 */
int ftps_isdir(struct ftps *, struct reply *, const char *dir);
/*
 * Before a RETR: TYPE (when not in it yet), SIZE (when *size < 0, binary
 * mode) and MDTM (when mtime is not NULL), in one write, their replies
 * in order; with verb ('E' EPSV, 'P' PASV) the passive command and
 * "RETR path" go in the same write, their replies left for the caller.
 * A refused SIZE or MDTM leaves the value unknown.  0 or exit status.
 */
int ftps_ask(struct ftps *, struct reply *, const char *path, int64_t *size, int64_t *mtime,
    int verb);

/* the data connection: passive or active as the settings say */
int ftps_data_open(struct ftps *, struct reply *, struct ftpdata *);
/*
 * The reply r to EPSV (verb 'E') or PASV ('P'), already read: connect
 * to the control peer (never to the address a 227 names).  0 connected;
 * 1 EPSV refused or not answered (PASV next); else an exit status.
 */
int ftps_passive(struct ftps *, const struct reply *r, int verb, struct ftpdata *);
/* active: take the server's connection (from the control peer only) */
int ftps_data_accept(struct ftps *, struct ftpdata *);
void ftps_data_close(struct ftps *, struct ftpdata *);

/*
 * A transfer command: the data connection, "REST rest" (when rest > 0),
 * the command (fmt), its 1xx, and the accept in active mode.  what
 * names the command in a refusal.  0 with r holding the 1xx, or an exit
 * status after saying why.
 */
int ftps_xfer(struct ftps *, struct reply *, struct ftpdata *, off_t rest, const char *what,
    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* the final reply of a transfer: 226 or 250, else "HOST: what: CODE text" */
int ftps_xfer_end(struct ftps *, struct reply *, const char *what);

/*
 * List dir ("" the login directory): mode 'M' MLSD, 'L' LIST parsed,
 * 'l' LIST raw, 'N' NLST, in TYPE A.  Each line goes to fn: en NULL in
 * the raw modes, else the entry it parses to (lines that are no entry,
 * "total 8", skipped; one that does not parse is said, and fails the
 * listing with EXIT_NET once it has been read to its end).  fn returns
 * 0, or -1 to stop (an exit status was said; the session is dropped,
 * the data connection being in the middle).  An empty listing of a
 * named directory is checked with ftps_isdir.  0 or an exit status.
 */
int ftps_list(struct ftps *, struct reply *, const char *dir, int mode,
    int (*fn)(void *arg, const char *line, size_t n, const struct ftp_entry *en), void *arg);

/*
 * The one-file RETR: with verb ('E', 'P') the replies to the passive
 * command and RETR that ftps_ask sent ahead, else the data connection,
 * REST (have > 0) and RETR now (ftps_xfer).  0 with r holding the 1xx,
 * or an exit status after saying why.
 */
int ftps_retr(struct ftps *, struct reply *, struct ftpdata *, int verb, off_t have,
    const char *path);

/*
 * Pipelining (ftpget -r): the commands of the next files (EPSV or PASV,
 * REST, RETR) go out before the replies of the current one come back;
 * an RFC 959 server answers them in order, and never waits for us
 * between files.  One such RETR sent ahead:
 */
struct ftps_ahead {
	int verb;		/* 'E' (EPSV) or 'P' (PASV) */
	off_t have;		/* REST sent for this many bytes, or 0 */
	int dialed;		/* the passive reply is read: pcode, perr, d */
	int pcode, perr;	/* its code; ftps_passive's result */
	struct ftpdata d;
};
/* queue a's commands for path into buf (ftps_queue); 0, or -1 after saying why */
int ftps_ahead_queue(struct ftps *, struct ftps_ahead *, off_t have, const char *path,
    char *buf, size_t cap, size_t *len);
/*
 * a's replies up to its 1xx (in r): 0, or an exit status.  A refusal
 * fails this file only; anything that leaves the server's state in
 * doubt (a 229 we cannot use while it waits for a data connection, a
 * transfer it starts that we must not take) drops the session.
 */
int ftps_ahead_start(struct ftps *, struct reply *, struct ftps_ahead *, const char *path);
/* the next file's passive reply came with this one's end: connect to it now */
void ftps_ahead_dial(struct ftps *, struct reply *, struct ftps_ahead *);

/*
 * Copy the data connection into out until its end; in TYPE A (s->ascii)
 * CR LF becomes LF.  Binary data goes through the transfer layer
 * (lib/session/transfer.h: splice(2) where the socket and out allow it).
 * *got counts the bytes received.  0 at the end, EXIT_NET (connection)
 * or EXIT_LOCAL (out) after saying why (a broken pipe on out is
 * EXIT_LOCAL without a word).
 */
int ftps_recv(struct ftps *, struct ftpdata *, int out, uint64_t *got);
/* copy in to the data connection until in's end; *sent counts the bytes */
int ftps_send_file(struct ftps *, struct ftpdata *, int in, const char *inname, uint64_t *sent);

#endif
