/* ftpsess.c - the FTP conversation over lib/session (ftpsess.h) */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "crypto/ct.h"
#include "ftp.h"
#include "ftpsess.h"
#include "ftptls.h"
#include "progress.h"
#include "secret.h"
#include "transfer.h"
#include "view.h"

#define DATABUF (128 * 1024)

/*
 * How long the first EPSV data connection may take before PASV is tried
 * instead: a NAT or firewall whose FTP helper knows only PASV drops the
 * connection to an EPSV port, and the connect would hang until -W.
 */
#define EPSV_PROBE 3000000

/* the last password read, for the next login to the same host and user */
static struct {
	int have;
	char host[256], user[256], pw[512];
} saved;

/*
 * -X: the session's view callbacks take no argument, and a process has
 * one control connection at a time: its peer's name is kept here.
 */
static const char *view_host = "";

static void
view_cmd(struct layers *lv, const char *line, size_t n, int secret)
{
	(void)secret;		/* ftp_decode_cmd masks PASS itself */
	lv_packet(lv, "sent to %s (control)", view_host);
	ftp_decode_cmd(lv, line, n);
}

static void
view_reply(struct layers *lv, const struct reply *r, const void *raw, size_t rawlen)
{
	lv_packet(lv, "received from %s (control)", view_host);
	ftp_decode_reply(lv, r, raw, rawlen);
}

void
ftps_init(struct ftps *s, struct conn *c)
{
	memset(s, 0, sizeof *s);
	s->c = c;
	s->family = AF_UNSPEC;
	s->epsv = 1;
	s->idle = 60000000;
	s->deadline = -1;
	s->pwenv = "FTPGET_PASSWORD";
}

void
ftps_say(struct ftps *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->t.why, sizeof s->t.why, fmt, ap);
	va_end(ap);
	if (s->report)
		s->report(s->t.why);
	else
		tb_warn("%s", s->t.why);
}

void
ftps_warn_reply(struct ftps *s, const char *what, const struct reply *r)
{
	char esc[512];
	size_t n = strcspn(r->text, "\n");

	tb_escape_buf(esc, sizeof esc, r->text, n > 300 ? 300 : n);
	ftps_say(s, "%s: %s: %d %s", s->host, what, r->code, esc);
}

int
ftps_refused(struct ftps *s, const char *what, const struct reply *r)
{
	ftps_warn_reply(s, what, r);
	return r->code >= 400 ? ts_code_exit(r->code) : EXIT_NET;
}

/* --- passwords --------------------------------------------------------------- */

static void
remember(const char *host, const char *user, const char *pw)
{
	snprintf(saved.host, sizeof saved.host, "%s", host);
	snprintf(saved.user, sizeof saved.user, "%s", user);
	snprintf(saved.pw, sizeof saved.pw, "%s", pw);
	saved.have = 1;
}

int
ftps_password_early(const char *pwfile, const char *envvar, const char *host,
    const char *user, const char **why)
{
	char pw[512];

	if (saved.have)
		return 1;
	if (tb_password(pwfile, host, user, envvar, pw, sizeof pw, why) < 0)
		return strncmp(*why, "no password", 11) == 0 ? 0 : -1;
	if (!ftp_arg_ok(pw)) {
		tb_wipe(pw, sizeof pw);
		*why = "a CR or LF in it";
		return -1;
	}
	remember(host, user, pw);
	tb_wipe(pw, sizeof pw);
	return 1;
}

void
ftps_password_forget(void)
{
	tb_wipe(&saved, sizeof saved);
}

/* --- the control connection ------------------------------------------------- */

void
ftps_drop(struct ftps *s)
{
	if (s->up) {
		if (s->tcpinfo)
			tb_tcpinfo(stderr, s->c->rfd, "control");
		conn_close(s->c);
	}
	s->up = 0;
	s->type = 0;
	s->feat = s->mlst = 0;
}

void
ftps_quit(struct ftps *s)
{
	if (!s->up)
		return;
	ts_quit(&s->t, 1);
	if (s->c->tp && s->c->tp->shutdown)
		(void)s->c->tp->shutdown(s->c);	/* TLS: close_notify */
	ftps_drop(s);
}

/* the session failed (s->t.why says how): say so, drop it; EXIT_NET */
static int
ctl_fail(struct ftps *s)
{
	char why[TS_WHY_MAX];

	memcpy(why, s->t.why, sizeof why);
	ftps_say(s, "%s: %s", s->host, why);
	ftps_drop(s);
	return EXIT_NET;
}

int
ftps_reply(struct ftps *s, struct reply *r)
{
	if (ts_reply(&s->t, r) < 0)
		return ctl_fail(s);
	if (r->code >= 100 && r->code < 200)
		ts_again(&s->t);	/* the final reply is still to come */
	if (r->code == 421) {
		ftps_warn_reply(s, "service closing", r);
		ftps_drop(s);
		return EXIT_NET;
	}
	return 0;
}

/*
 * The one rule for unasked data (ts_unasked), before a command: a
 * waiting 421 (closing) is reported as such, anything else as a reply
 * nobody asked for.  0 if clean.
 */
static int
unasked(struct ftps *s)
{
	struct reply *r;

	if (!ts_unasked(&s->t, s->t.last ? s->t.last : "greeting"))
		return 0;
	if ((r = tb_malloc(sizeof *r)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	if (ts_reply(&s->t, r) < 0)
		ctl_fail(s);
	else
		ftps_warn_reply(s, r->code == 421 ? "service closing" :
		    "reply with no command outstanding", r);
	tb_free(r);
	ftps_drop(s);
	return EXIT_NET;
}

static int __attribute__((format(printf, 5, 0)))
vqueue(struct ftps *s, char *buf, size_t cap, size_t *len, const char *fmt, va_list ap)
{
	int n;

	if (cap - *len < 16)
		return -1;
	n = vsnprintf(buf + *len, cap - *len - 2, fmt, ap);
	if (n < 0 || (size_t)n >= cap - *len - 2) {
		ftps_say(s, "%s: command too long", s->host);
		return -1;
	}
	if (!ftp_arg_ok(buf + *len)) {
		ftps_say(s, "%s: refusing CR or LF in a command argument", s->host);
		return -1;
	}
	memcpy(buf + *len + n, "\r\n", 2);
	*len += (size_t)n + 2;
	return 0;
}

int
ftps_queue(struct ftps *s, char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vqueue(s, buf, cap, len, fmt, ap);
	va_end(ap);
	return r;
}

int
ftps_send(struct ftps *s, const char *buf, size_t len)
{
	int e;

	if ((e = unasked(s)) != 0)
		return e;
	view_host = s->host;
	/* PASS is the one secret; it is always sent alone */
	if (ts_send(&s->t, buf, len, strncmp(buf, "PASS ", 5) == 0 ? 1 : TS_PUBLIC) < 0)
		return ctl_fail(s);
	return 0;
}

int
ftps_cmd(struct ftps *s, struct reply *r, const char *fmt, ...)
{
	char line[4200];
	size_t len = 0;
	va_list ap;
	int e;

	va_start(ap, fmt);
	e = vqueue(s, line, sizeof line, &len, fmt, ap);
	va_end(ap);
	if (e < 0)
		return EXIT_LOCAL;
	e = ftps_send(s, line, len);
	tb_wipe(line, sizeof line);
	return e ? e : ftps_reply(s, r);
}

int
ftps_line_waiting(const struct ftps *s)
{
	return s->up && s->c->off < s->c->len &&
	    memchr(s->c->buf + s->c->off, '\n', s->c->len - s->c->off) != NULL;
}

/* USER, and PASS when asked; 0 or exit status */
static int
login(struct ftps *s, struct reply *r, const char *user)
{
	const char *why;
	char pw[512];
	int e;

	if ((e = ftps_cmd(s, r, "USER %s", user)) != 0)
		return e;
	if (r->code == 331 || r->code == 332) {
		if (strcmp(user, "anonymous") == 0 || strcmp(user, "ftp") == 0) {
			snprintf(pw, sizeof pw, "ftpget@");
		} else if (saved.have && strcmp(saved.host, s->host) == 0 &&
		    strcmp(saved.user, user) == 0) {
			/* the environment variable is wiped once read: log in again with it */
			memcpy(pw, saved.pw, sizeof pw);
		} else if (tb_password(s->pwfile, s->host, user, s->pwenv, pw, sizeof pw,
		    &why) < 0) {
			ftps_say(s, "%s: password for %s: %s", s->host, user, why);
			ftps_drop(s);
			return EXIT_LOCAL;
		} else {
			remember(s->host, user, pw);
		}
		e = ftps_cmd(s, r, "PASS %s", pw);
		tb_wipe(pw, sizeof pw);
		if (e)
			return e;
	}
	if (r->code != 230 && r->code != 202) {
		ftps_warn_reply(s, "login refused", r);
		ftps_drop(s);
		return r->code >= 400 && r->code < 500 ? EXIT_NET : EXIT_NO;
	}
	return 0;
}

int
ftps_open(struct ftps *s, const char *host, uint16_t port, const char *user)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	struct reply *r;
	const char *why;
	uint16_t lport;
	int e;

	if ((r = tb_malloc(sizeof *r)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	snprintf(s->host, sizeof s->host, "%s", host);
	snprintf(s->user, sizeof s->user, "%s", user);
	s->port = port;
	s->type = s->feat = s->mlst = s->no_ext = s->ext_known = s->epsv_ok = 0;
	s->home[0] = '\0';
	if (s->tls)
		ftptls_reset(s->tls);
	s->c->deadline = s->deadline;
	s->c->idle = s->idle;
	s->c->trace = s->transcript;
	s->c->lv = s->lv;	/* -X: every TCP segment of the control connection */
	if ((e = conn_dial(s->c, host, port, s->family, s->idle, &s->peer, &why)) < 0) {
		if (e == -2)
			ftps_say(s, "%s", why);	/* the lookup's own words (tubes(7)) */
		else
			ftps_say(s, "%s: %s", host, why);
		tb_free(r);
		return conn_dial_exit();
	}
	s->up = 1;
	ts_init(&s->t, s->c, TS_FTP, s->host);
	s->t.transcript = s->transcript;
	s->t.lv = s->lv;
	s->t.view_cmd = view_cmd;
	s->t.view_reply = view_reply;
	s->t.idle = s->t.reply_total = s->idle;
	s->t.deadline = s->deadline;
	view_host = s->host;
	if (getsockname(s->c->rfd, (struct sockaddr *)&ss, &sl) < 0 ||
	    tb_from_sockaddr((struct sockaddr *)&ss, &s->local, &lport) < 0) {
		ftps_say(s, "%s: getsockname: %s", host, strerror(errno));
		ftps_drop(s);
		tb_free(r);
		return EXIT_NET;
	}
	if ((e = ftptls_implicit(s)) != 0) {
		tb_free(r);
		return e;
	}
	/* the greeting: 120 (wait) then 220 */
	do {
		if ((e = ftps_reply(s, r)) != 0) {
			tb_free(r);
			return e;
		}
	} while (r->code == 120);
	if (r->code != 220) {
		ftps_warn_reply(s, "greeting", r);
		e = r->code >= 400 ? ts_code_exit(r->code) : EXIT_NET;
		ftps_drop(s);
		tb_free(r);
		return e;
	}
	if ((e = ftptls_auth(s, r, user)) == 0 && (e = login(s, r, user)) == 0)
		e = ftptls_prot(s, r);
	tb_free(r);
	return e;
}

int
ftps_type(struct ftps *s, struct reply *r, int type)
{
	int e;

	if (s->type == type)
		return 0;
	if ((e = ftps_cmd(s, r, "TYPE %c", type)) != 0)
		return e;
	if (r->code != 200)
		return ftps_refused(s, "TYPE", r);
	s->type = type;
	return 0;
}

int
ftps_feat(struct ftps *s)
{
	struct reply *r;
	int e;

	if (s->feat)
		return 0;
	if ((r = tb_malloc(sizeof *r)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	if ((e = ftps_cmd(s, r, "FEAT")) == 0) {
		s->feat = 1;
		s->mlst = r->code == 211 && ftp_feat_has(r->text, r->len, "MLST");
	}
	tb_free(r);
	return e;
}

int
ftps_isdir(struct ftps *s, struct reply *r, const char *dir)
{
	int e;

	if (!s->home[0]) {
		if ((e = ftps_cmd(s, r, "PWD")) != 0)
			return e;
		if (r->code != 257 || ftp_parse_257(r->text, r->len, s->home, sizeof s->home) < 0 ||
		    !s->home[0] || !ftp_arg_ok(s->home)) {
			s->home[0] = '\0';
			return 0;
		}
	}
	if ((e = ftps_cmd(s, r, "CWD %s", dir)) != 0)
		return e;
	if (r->code < 200 || r->code >= 300)
		return ftps_refused(s, dir, r);
	if ((e = ftps_cmd(s, r, "CWD %s", s->home)) != 0)
		return e;
	if (r->code < 200 || r->code >= 300) {
		ftps_refused(s, "CWD back", r);
		ftps_drop(s);
		return EXIT_NET;
	}
	return 0;
}

int
ftps_ask(struct ftps *s, struct reply *r, const char *path, int64_t *size, int64_t *mtime,
    int verb)
{
	char buf[2 * 4200 + 16];
	size_t len = 0;
	uint64_t sz;
	int type = s->ascii ? 'A' : 'I', want_type = s->type != type;
	int want_size = *size < 0 && !s->ascii, e, worst = 0;

	if (!want_type && !want_size && !mtime && !verb)
		return 0;
	if ((want_type && ftps_queue(s, buf, sizeof buf, &len, "TYPE %c", type) < 0) ||
	    (want_size && ftps_queue(s, buf, sizeof buf, &len, "SIZE %s", path) < 0) ||
	    (mtime && ftps_queue(s, buf, sizeof buf, &len, "MDTM %s", path) < 0) ||
	    (verb && ftps_queue(s, buf, sizeof buf, &len, verb == 'E' ? "EPSV" : "PASV") < 0) ||
	    (verb && ftps_queue(s, buf, sizeof buf, &len, "RETR %s", path) < 0))
		return EXIT_LOCAL;
	if ((e = ftps_send(s, buf, len)) != 0)
		return e;
	if (want_type) {
		if ((e = ftps_reply(s, r)) != 0)
			return e;
		if (r->code == 200)
			s->type = type;
		else
			worst = ftps_refused(s, "TYPE", r);
	}
	if (want_size) {
		if ((e = ftps_reply(s, r)) != 0)
			return e;
		/* a 550 (no such file, or a directory) is left for RETR to report */
		if (r->code == 213 && !worst) {
			if (ftp_parse_size(r->text, r->len, &sz) < 0) {
				ftps_warn_reply(s, "malformed SIZE reply", r);
				worst = EXIT_NET;
			} else {
				*size = (int64_t)sz;
			}
		}
	}
	if (mtime) {
		if ((e = ftps_reply(s, r)) != 0)
			return e;
		if (r->code != 213 || ftp_parse_mdtm(r->text, r->len, mtime) < 0)
			*mtime = -1;
	}
	if (worst && verb)
		ftps_drop(s);	/* EPSV and RETR sent: their replies would be out of step */
	return worst;
}

/* --- the data connection -------------------------------------------------- */

/* a data conn around a connected (or connecting) socket */
static int
data_conn(struct ftps *s, struct ftpdata *d, int fd)
{
	if (d->c == NULL && (d->c = tb_malloc(sizeof *d->c)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	memset(d->c, 0, offsetof(struct conn, buf));
	d->c->rfd = d->c->wfd = fd;
	d->c->idle = s->idle;
	d->c->deadline = s->deadline;
	return 0;
}

/*
 * Connect the data connection to the control peer's port.  With d->bg
 * (pipelining) the connect is left to finish in the background: the
 * first read waits for it (with the idle limit) and reports its error.
 * With probe, a connect that gets no answer within EPSV_PROBE returns 1
 * without a word (the caller tries PASV).
 */
static int
dial_data(struct ftps *s, uint16_t port, struct ftpdata *d, int probe)
{
	struct sockaddr_storage ss;
	struct pollfd pfd;
	socklen_t sl;
	int fd, r, err = 0;
	int64_t dl;

	fd = socket(s->peer.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ftps_say(s, "socket: %s", strerror(errno));
		return EXIT_LOCAL;
	}
	sl = tb_sockaddr(&s->peer, port, &ss);
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS)
		err = errno;
	else if (!d->bg) {
		dl = tb_earliest(s->deadline, tb_now() + s->idle);
		if (probe)
			dl = tb_earliest(dl, tb_now() + EPSV_PROBE);
		pfd.fd = fd;
		pfd.events = POLLOUT;
		r = tb_poll(&pfd, 1, dl);
		if (r == 0 && probe && (s->deadline < 0 || tb_now() < s->deadline)) {
			close(fd);
			return 1;
		}
		sl = sizeof err;
		if (r <= 0)
			err = r == 0 ? ETIMEDOUT : errno;
		else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) < 0)
			err = errno;
	}
	if (err) {
		close(fd);
		ftps_say(s, "%s: data connection to port %u: %s", s->host, port, strerror(err));
		return EXIT_NET;
	}
	return data_conn(s, d, fd);
}

/* the reply to EPSV: 0 connected, 1 PASV next, else an exit status */
static int
epsv_reply(struct ftps *s, const struct reply *r, struct ftpdata *d)
{
	uint16_t port;
	int e;

	if (r->code != 229) {
		if (r->code < 500) {
			ftps_warn_reply(s, "EPSV", r);	/* 4xx, or no 229 */
			return EXIT_NET;
		}
		s->no_ext = s->ext_known = 1;	/* 5xx: not understood; PASV then */
		return 1;
	}
	if (ftp_parse_229(r->text, r->len, &port) < 0) {
		ftps_warn_reply(s, "malformed 229 reply", r);
		return EXIT_NET;
	}
	s->ext_known = 1;
	/* over IPv6 PASV is no way out: no probe there */
	e = dial_data(s, port, d, !s->epsv_ok && !d->bg && s->peer.family == AF_INET);
	if (e == 1) {
		ftps_say(s, "%s: no answer on the EPSV data port %u in %d s (a NAT or firewall "
		    "that knows only PASV?); trying PASV (--no-epsv skips EPSV)", s->host,
		    port, EPSV_PROBE / 1000000);
		s->no_ext = 1;
	} else if (e == 0) {
		s->epsv_ok = 1;
	}
	return e;
}

int
ftps_passive(struct ftps *s, const struct reply *r, int verb, struct ftpdata *d)
{
	char want[TB_ADDRSTRLEN], got[TB_ADDRSTRLEN];
	struct tb_addr named;
	uint8_t a[4];
	uint16_t port;

	if (verb == 'E')
		return epsv_reply(s, r, d);
	if (r->code != 227)
		return ftps_refused(s, "PASV", r);
	if (ftp_parse_227(r->text, r->len, a, &port) < 0) {
		ftps_warn_reply(s, "malformed 227 reply", r);
		return EXIT_NET;
	}
	/* FTP-01: the address is never used; the control peer is */
	memset(&named, 0, sizeof named);
	named.family = AF_INET;
	memcpy(named.a, a, 4);
	if (!tb_addr_eq(&named, &s->peer) && !s->pasv_note) {
		ftps_say(s, "%s: 227 reply named %s; connecting to the control peer %s instead",
		    s->host, tb_addr_str(&named, got, sizeof got),
		    tb_addr_str(&s->peer, want, sizeof want));
		s->pasv_note = 1;
	}
	s->ext_known = 1;
	return dial_data(s, port, d, 0);
}

/* passive: EPSV (unless refused before), else PASV */
static int
open_passive(struct ftps *s, struct reply *r, struct ftpdata *d)
{
	int e;

	if (s->epsv && !s->no_ext) {
		if ((e = ftps_cmd(s, r, "EPSV")) != 0)
			return e;
		if ((e = ftps_passive(s, r, 'E', d)) != 1)
			return e;
	}
	if ((e = ftps_cmd(s, r, "PASV")) != 0)
		return e;
	return ftps_passive(s, r, 'P', d);
}

/* active: EPRT (over IPv6, or first unless refused before), else PORT */
static int
announce(struct ftps *s, struct reply *r, const struct tb_addr *la, uint16_t port)
{
	char arg[128], as[TB_ADDRSTRLEN], *zone;
	int e;

	if (la->family == AF_INET6 || (s->epsv && !s->no_ext)) {
		tb_addr_str(la, as, sizeof as);
		if ((zone = strchr(as, '%')) != NULL)
			*zone = '\0';
		ftp_build_eprt(arg, sizeof arg, la->family == AF_INET6 ? 2 : 1, as, port);
		if ((e = ftps_cmd(s, r, "%s", arg)) != 0)
			return e;
		if (r->code == 200)
			return 0;
		if (r->code < 500 || la->family == AF_INET6)
			return ftps_refused(s, "EPRT", r);
		s->no_ext = 1;
	}
	ftp_build_port(arg, sizeof arg, la->a, port);
	if ((e = ftps_cmd(s, r, "%s", arg)) != 0)
		return e;
	return r->code == 200 ? 0 : ftps_refused(s, "PORT", r);
}

/* active: listen on the control connection's local address */
static int
open_active(struct ftps *s, struct reply *r, struct ftpdata *d)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	struct tb_addr la;
	uint16_t port;
	int fd;

	fd = socket(s->local.family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		ftps_say(s, "socket: %s", strerror(errno));
		return EXIT_LOCAL;
	}
	sl = tb_sockaddr(&s->local, 0, &ss);
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 1) < 0) {
		ftps_say(s, "active mode: bind/listen: %s", strerror(errno));
		close(fd);
		return EXIT_LOCAL;
	}
	sl = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0 ||
	    tb_from_sockaddr((struct sockaddr *)&ss, &la, &port) < 0) {
		close(fd);
		return EXIT_LOCAL;
	}
	d->lfd = fd;
	return announce(s, r, &la, port);
}

int
ftps_data_open(struct ftps *s, struct reply *r, struct ftpdata *d)
{
	d->lfd = -1;
	d->bg = 0;
	return s->active ? open_active(s, r, d) : open_passive(s, r, d);
}

int
ftps_data_accept(struct ftps *s, struct ftpdata *d)
{
	struct sockaddr_storage ss;
	struct tb_addr from;
	struct pollfd pfd;
	socklen_t sl;
	uint16_t port;
	int64_t dl = tb_earliest(s->deadline, tb_now() + s->idle);
	int fd, r;
	char as[TB_ADDRSTRLEN];

	if (d->lfd < 0)
		return 0;
	for (;;) {
		pfd.fd = d->lfd;
		pfd.events = POLLIN;
		r = tb_poll(&pfd, 1, dl);
		if (r <= 0) {
			ftps_say(s, "%s: active mode: %s", s->host, r < 0 ? "interrupted" :
			    "the server never connected");
			return EXIT_NET;
		}
		sl = sizeof ss;
		fd = accept4(d->lfd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0)
			continue;
		if (tb_from_sockaddr((struct sockaddr *)&ss, &from, &port) == 0 &&
		    tb_addr_eq(&from, &s->peer))
			break;
		ftps_say(s, "%s: active mode: refused a data connection from %s", s->host,
		    tb_addr_str(&from, as, sizeof as));
		close(fd);
	}
	close(d->lfd);
	d->lfd = -1;
	return data_conn(s, d, fd);
}

void
ftps_data_close(struct ftps *s, struct ftpdata *d)
{
	if (d->c) {
		if (d->c->rfd >= 0 && s->tcpinfo) {
			char label[300];

			snprintf(label, sizeof label, "data (%s)", s->host);
			tb_tcpinfo(stderr, d->c->rfd, label);
		}
		conn_close(d->c);
		tb_free(d->c);
		d->c = NULL;
	}
	if (d->lfd >= 0)
		close(d->lfd);
	d->lfd = -1;
}

int
ftps_xfer(struct ftps *s, struct reply *r, struct ftpdata *d, off_t rest, const char *what,
    const char *fmt, ...)
{
	char line[4200];
	size_t len = 0;
	va_list ap;
	int e;

	va_start(ap, fmt);
	e = vqueue(s, line, sizeof line, &len, fmt, ap);
	va_end(ap);
	if (e < 0)
		return EXIT_LOCAL;
	if ((e = ftps_data_open(s, r, d)) != 0)
		return e;
	if (rest > 0) {
		if ((e = ftps_cmd(s, r, "REST %lld", (long long)rest)) != 0)
			return e;
		if (r->code != 350)
			return ftps_refused(s, "REST (resume)", r);
	}
	if ((e = ftps_send(s, line, len)) != 0 || (e = ftps_reply(s, r)) != 0)
		return e;
	if (r->code != 125 && r->code != 150)
		return ftps_refused(s, what, r);
	if ((e = ftps_data_accept(s, d)) != 0)
		return e;
	return ftptls_data(s, d);
}

int
ftps_xfer_end(struct ftps *s, struct reply *r, const char *what)
{
	int e;

	if ((e = ftps_reply(s, r)) != 0)
		return e;
	if (r->code != 226 && r->code != 250)
		return ftps_refused(s, what, r);
	return 0;
}

int
ftps_retr(struct ftps *s, struct reply *r, struct ftpdata *d, int verb, off_t have,
    const char *path)
{
	int e;

	if (!verb)
		return ftps_xfer(s, r, d, have, path, "RETR %s", path);
	/* the passive reply, then the RETR reply, both asked for already */
	if ((e = ftps_reply(s, r)) != 0)
		return e;
	if ((e = ftps_passive(s, r, verb, d)) != 0) {
		if (r->code < 400) {
			ftps_drop(s);	/* a 229/227 we could not use: the server waits */
		} else {
			if (e == 1)
				ftps_warn_reply(s, "EPSV", r);
			(void)ftps_reply(s, r);	/* the RETR's refusal */
		}
		return e == 1 ? EXIT_NET : e;
	}
	if ((e = ftps_reply(s, r)) != 0)
		return e;
	if (r->code != 125 && r->code != 150)
		return ftps_refused(s, path, r);
	return ftptls_data(s, d);
}

int
ftps_ahead_queue(struct ftps *s, struct ftps_ahead *a, off_t have, const char *path,
    char *buf, size_t cap, size_t *len)
{
	size_t mark = *len;

	a->verb = s->epsv && !s->no_ext ? 'E' : 'P';
	a->have = have;
	a->dialed = 0;
	a->d = (struct ftpdata)FTPDATA_INIT;
	a->d.bg = 1;
	if (ftps_queue(s, buf, cap, len, a->verb == 'E' ? "EPSV" : "PASV") == 0 &&
	    (have == 0 || ftps_queue(s, buf, cap, len, "REST %lld", (long long)have) == 0) &&
	    ftps_queue(s, buf, cap, len, "RETR %s", path) == 0)
		return 0;
	*len = mark;
	return -1;
}

/* read the passive reply of a and connect: 0, or an exit status (the session dropped) */
static int
ahead_passive(struct ftps *s, struct reply *r, struct ftps_ahead *a)
{
	int e;

	if ((e = ftps_reply(s, r)) != 0)
		return e;
	a->dialed = 1;
	a->pcode = r->code;
	a->perr = ftps_passive(s, r, a->verb, &a->d);
	return 0;
}

void
ftps_ahead_dial(struct ftps *s, struct reply *r, struct ftps_ahead *a)
{
	if (!a->dialed && ftps_line_waiting(s))
		(void)ahead_passive(s, r, a);
}

int
ftps_ahead_start(struct ftps *s, struct reply *r, struct ftps_ahead *a, const char *path)
{
	int e, fail;

	if (!a->dialed && (e = ahead_passive(s, r, a)) != 0)
		return e;
	if ((fail = a->perr) != 0) {
		if (fail == 1) {
			ftps_say(s, "%s: EPSV refused in the middle of the pipeline", s->host);
			fail = EXIT_NET;
		}
		if (a->pcode < 400) {
			ftps_drop(s);
			return fail;
		}
	}
	if (a->have > 0) {
		if ((e = ftps_reply(s, r)) != 0)
			return e;
		if (r->code != 350 && !fail)
			fail = ftps_refused(s, "REST (resume)", r);
	}
	if ((e = ftps_reply(s, r)) != 0)
		return e;
	if (r->code != 125 && r->code != 150)
		return fail ? fail : ftps_refused(s, path, r);
	if (fail) {
		ftps_drop(s);
		return fail;
	}
	return ftptls_data(s, &a->d);
}

/* the lines of a listing on d to fn: 0, EXIT_NET (lines that are no entry), or -1 (fn said stop) */
static int
list_lines(struct ftps *s, struct ftpdata *d, int mode,
    int (*fn)(void *, const char *, size_t, const struct ftp_entry *), void *arg, long *count)
{
	static char line[8192];
	static struct ftp_entry en;
	char esc[256];
	int64_t now = tb_wall() / 1000000;
	ssize_t n;
	int pe, bad = 0;

	d->c->idle = s->idle;
	d->c->deadline = s->deadline;
	while ((n = conn_line(d->c, line, sizeof line)) != -2) {
		if (n < 0) {
			ftps_say(s, "%s: listing: %s", s->host, errno == EMSGSIZE ? "line too long" :
			    errno == EPIPE ? "closed in the middle of a line" :
			    ftptls_data_why(d, errno));
			ftps_drop(s);
			return EXIT_NET;
		}
		if (mode == 'l' || mode == 'N') {
			++*count;
			if (fn(arg, line, (size_t)n, NULL) < 0)
				return -1;
			continue;
		}
		pe = mode == 'M' ? ftp_parse_mlsd(line, (size_t)n, &en) :
		    ftp_parse_list(line, (size_t)n, now, &en);
		if (pe == FTP_ESKIP || (n == 0 && mode == 'L'))
			continue;
		if (pe < 0) {
			tb_escape_buf(esc, sizeof esc, line, (size_t)n > 120 ? 120 : (size_t)n);
			ftps_say(s, "%s: unparsable %s line (%s): %s", s->host, mode == 'M' ? "MLSD" :
			    "LIST", ftp_strerror(pe), esc);
			bad++;
			continue;
		}
		++*count;
		if (fn(arg, line, (size_t)n, &en) < 0)
			return -1;
	}
	return bad ? EXIT_NET : 0;
}

int
ftps_list(struct ftps *s, struct reply *r, const char *dir, int mode,
    int (*fn)(void *, const char *, size_t, const struct ftp_entry *), void *arg)
{
	const char *verb = mode == 'M' ? "MLSD" : mode == 'N' ? "NLST" : "LIST";
	struct ftpdata d = FTPDATA_INIT;
	char arg1[4200];
	size_t n;
	long count = 0;
	int e;

	/* the directory argument: no trailing '/' (but "/" itself) */
	snprintf(arg1, sizeof arg1, "%s", dir);
	if ((n = strlen(arg1)) > 1 && arg1[n - 1] == '/')
		arg1[n - 1] = '\0';
	if ((e = ftps_type(s, r, 'A')) != 0)
		return e;
	e = arg1[0] ? ftps_xfer(s, r, &d, 0, verb, "%s %s", verb, arg1) :
	    ftps_xfer(s, r, &d, 0, verb, "%s", verb);
	if (e == 0) {
		e = list_lines(s, &d, mode, fn, arg, &count);
		ftps_data_close(s, &d);
		if (e < 0) {
			ftps_drop(s);
			return EXIT_LOCAL;
		}
		if (s->up)
			e = exit_worst(e, ftps_xfer_end(s, r, "listing failed"));
	}
	ftps_data_close(s, &d);
	/*
	 * Some servers (vsftpd) answer the listing of a directory that does
	 * not exist with an empty one: an empty listing is believed only
	 * when the directory can be entered.
	 */
	if (e == 0 && arg1[0] && count == 0)
		e = ftps_isdir(s, r, arg1);
	return e;
}

/* --- moving the data --------------------------------------------------------- */

static uint8_t *
databuf(void)
{
	static uint8_t *buf;

	if (buf == NULL && (buf = tb_malloc(DATABUF)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	return buf;
}

/* why the data connection failed (the TLS layer's words first), said; EXIT_NET */
static int
data_fail(struct ftps *s, struct ftpdata *d, int e)
{
	ftps_say(s, "%s: data connection: %s", s->host, ftptls_data_why(d, e));
	return EXIT_NET;
}

/* TYPE A: CR LF -> LF in buf[0..n), a CR at its end held in *cr for the next; the new length */
static size_t
unascii(uint8_t *buf, size_t n, int *cr, int out)
{
	uint8_t *p = buf, *q = buf, *end = buf + n;

	if (*cr && n > 0 && *p != '\n')
		(void)tb_write_all(out, "\r", 1);
	*cr = 0;
	for (; p < end; p++) {
		if (*p == '\r' && p + 1 == end) {
			*cr = 1;
			continue;
		}
		if (*p == '\r' && p[1] == '\n')
			continue;
		*q++ = *p;
	}
	return (size_t)(q - buf);
}

/* out could not be written: said (but a closed pipe, whose reader is gone); EXIT_LOCAL */
static int
write_fail(struct ftps *s)
{
	if (errno != EPIPE)
		ftps_say(s, "write: %s", strerror(errno));
	return EXIT_LOCAL;
}

/* TYPE A by read(2) and write(2): the conn's bytes with CR LF turned into LF */
static int
recv_ascii(struct ftps *s, struct ftpdata *d, int out, uint64_t *got)
{
	uint8_t *buf = databuf();
	ssize_t n;
	int cr = 0;

	d->c->idle = s->idle;
	d->c->deadline = s->deadline;
	while ((n = conn_read(d->c, buf, DATABUF)) != 0) {
		if (n < 0)
			return data_fail(s, d, errno);
		*got += (uint64_t)n;
		n = (ssize_t)unascii(buf, (size_t)n, &cr, out);
		if (tb_write_all(out, buf, (size_t)n) < 0)
			return write_fail(s);
		if (s->pm)
			progress_update(s->pm, s->pm->base + *got);
	}
	if (cr && tb_write_all(out, "\r", 1) < 0)
		return write_fail(s);
	return 0;
}

/*
 * Binary data through the one transfer layer (lib/session/transfer.h):
 * to the end of the stream, by splice(2) when no transport sits on the
 * socket and out takes it, else by read(2) and write(2).
 */
static int
recv_binary(struct ftps *s, struct ftpdata *d, int out, uint64_t *got)
{
	struct xfer x = { .how = XFER_EOF, .fd = out, .pm = s->pm };
	int r;

	d->c->idle = s->idle;
	d->c->deadline = s->deadline;
	r = xfer_copy(d->c, &x);
	*got += x.copied;
	if (r == 0)
		return 0;
	if (x.sink_error)
		return write_fail(s);
	return data_fail(s, d, errno);
}

int
ftps_recv(struct ftps *s, struct ftpdata *d, int out, uint64_t *got)
{
	int e;

	e = s->ascii ? recv_ascii(s, d, out, got) : recv_binary(s, d, out, got);
	if (e == 0 && s->pm) {
		progress_update(s->pm, s->pm->base + *got);
		progress_end(s->pm);
	}
	return e;
}

int
ftps_send_file(struct ftps *s, struct ftpdata *d, int in, const char *inname, uint64_t *sent)
{
	uint8_t *buf = databuf();
	ssize_t n;

	d->c->idle = s->idle;
	d->c->deadline = s->deadline;
	for (;;) {
		n = read(in, buf, DATABUF);
		if (n < 0 && errno == EINTR && !tb_interrupted)
			continue;
		if (n < 0) {
			ftps_say(s, "%s: %s", inname, strerror(errno));
			return EXIT_LOCAL;
		}
		if (n == 0)
			break;
		if (conn_write(d->c, buf, (size_t)n) < 0)
			return data_fail(s, d, errno);
		*sent += (uint64_t)n;
		if (s->pm)
			progress_update(s->pm, s->pm->base + *sent);
	}
	ftptls_data_end(d);	/* TLS: close_notify says the file is whole */
	if (s->pm)
		progress_end(s->pm);
	return 0;
}
