/*
 * ftpget - FTP download (and upload): a control connection and a data
 * connection per transfer, passive (EPSV, then PASV) or active (EPRT,
 * then PORT).  RFC 959, 2428, 3659, 1123.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dnsnet.h"
#include "fsafe.h"
#include "ftp.h"
#include "conn.h"
#include "secret.h"
#include "tubes.h"
#include "url.h"
#include "wire.h"

#define USAGE \
	"usage: ftpget [-o file|-O] [-C] [-l] [-L] [-r] [-T file] [-a] [-P|--active]\n" \
	"              [--epsv|--no-epsv] [--parallel n] [--no-pipeline] [-u user]\n" \
	"              [--password-file file] [-w deadline] [-W idle] [-4|-6] [-s] [-v]\n" \
	"              [-j] [-X] ftp://[user@]host[:port]/path...\n"

#define DATABUF (128 * 1024)
#define MAXDEPTH 32

static struct {
	const char *out;	/* -o */
	int remote_name;	/* -O */
	int resume;		/* -C */
	int raw_list;		/* -l */
	int names;		/* -L */
	int mirror;		/* -r */
	const char *upload;	/* -T */
	int ascii;		/* -a */
	int active;		/* -P */
	int epsv;		/* extended commands first (default 1) */
	const char *user;	/* -u */
	const char *pwfile;
	int64_t deadline;	/* absolute, -1 none */
	int64_t idle;		/* µs */
	int family;
	int silent, verbose, json, layers;
	int parallel;		/* -r: control connections */
	int pipeline;		/* -r: send the next files' commands ahead */
} opt = { .parallel = 4, .pipeline = 1, .epsv = 1, .deadline = -1, .idle = 60000000, .family = AF_UNSPEC };

static struct layers lv;

/*
 * The last thing said on stderr about a failure: -j's error objects
 * carry it as their reason ("download failed" alone says nothing).
 * Cleared when a file's attempt begins, so that no reason is stale.
 */
static char last_why[600];

static void __attribute__((format(printf, 1, 2)))
say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_why, sizeof last_why, fmt, ap);
	va_end(ap);
	tb_warn("%s", last_why);
}

static int progress;
static uint8_t *dbuf;

/* one URL */
struct target {
	char user[256];
	char host[256];
	uint16_t port;
	char path[4096];	/* decoded, no leading '/' (relative to the login directory) */
	int dir;		/* ends in '/' */
	const char *url;
};

/* one control connection */
struct sess {
	struct conn *c;
	int up;
	char host[256], user[256];
	uint16_t port;
	struct tb_addr peer, local;
	int type;		/* 'I', 'A' or 0 (unset) */
	int mlst, feat;		/* FEAT seen and lists MLST */
	int no_ext;		/* EPSV/EPRT refused: use PASV/PORT */
	int ext_known;		/* a passive open worked: EPSV or PASV is settled */
	int epsv_ok;		/* an EPSV data connection was made: no more probing */
	int pasv_note;		/* said once that the 227 address is ignored */
};

/* totals for the summary */
static struct {
	long transfers, entries, failed;
	uint64_t bytes;
	int exit;
} tot;

static void
usage(void)
{
	fputs(USAGE, stdout);
	fputs("\n"
	    "  -o file            write the file there (default: stdout)\n"
	    "  -O                 write each file under its remote name\n"
	    "  -C                 resume: REST from .part-FILE (download), APPE (upload)\n"
	    "  -l                 directory URL: the server's raw LIST lines\n"
	    "  -L                 directory URL: bare names (NLST)\n"
	    "  -r                 mirror a directory tree into the current directory\n"
	    "  --parallel n       -r: up to n control connections at once (4)\n"
	    "  --no-pipeline      one command at a time, never sent ahead of a reply (for\n"
	    "                     servers that lose commands sent ahead)\n"
	    "  -T file            upload file (- for stdin) with STOR to the URL\n"
	    "  -a                 ASCII mode (TYPE A); default binary (TYPE I)\n"
	    "  -P, --active       active mode: the server connects to us (EPRT/PORT)\n"
	    "  --epsv, --no-epsv  try EPSV/EPRT first (default), or only PASV/PORT\n"
	    "  -u user            log in as user (default anonymous)\n"
	    "  --password-file f  the password (else ~/.netrc, else FTPGET_PASSWORD)\n"
	    "  -w deadline        give up after this many seconds in all\n"
	    "  -W idle            seconds allowed without a byte on either connection (60)\n"
	    "  -4, -6             IPv4 or IPv6 only\n"
	    "  -s                 no progress on stderr\n"
	    "  -v                 the control dialogue and TCP_INFO on stderr\n"
	    "  -j, --json         NDJSON events on stdout\n"
	    "  -X, --layers       every command and reply decoded on stderr\n"
	    "  -V, --version      print the version\n", stdout);
}

/* --- URLs ----------------------------------------------------------------- */

/* percent-decode s[0..n) into out; refuse NUL, CR, LF (FTP-10) */
static int
pct(const char *s, size_t n, char *out, size_t cap)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c == '%') {
			if (i + 2 >= n || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
				return -1;
			c = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
			i += 2;
		}
		if (c == 0 || c == '\r' || c == '\n' || k + 1 >= cap)
			return -1;
		out[k++] = (char)c;
	}
	out[k] = '\0';
	return 0;
}

/*
 * ftp://[user@]host[:port]/path (RFC 1738 3.2) through lib/url.  A
 * password in the URL is refused: it would sit on the command line.
 */
static const char *
parse_url(const char *s, struct target *t)
{
	static struct url u;
	const char *why, *semi;
	size_t pl;

	memset(t, 0, sizeof *t);
	t->url = s;
	if (url_parse(s, &u, &why) < 0)
		return why;
	if (strcmp(u.scheme, "ftp") != 0)
		return "not an ftp:// URL";
	if (u.has_pass)
		return "password in the URL (use --password-file, ~/.netrc or FTPGET_PASSWORD)";
	if (u.has_user && !u.user[0])
		return "empty user name";
	snprintf(t->user, sizeof t->user, "%s", u.user);
	snprintf(t->host, sizeof t->host, "%s", u.host);
	t->port = u.port;
	/* drop the leading '/': the path is relative to the login directory */
	semi = strchr(u.path + 1, ';');	/* ;type=a */
	pl = semi ? (size_t)(semi - u.path - 1) : strlen(u.path + 1);
	if (pct(u.path + 1, pl, t->path, sizeof t->path) < 0)
		return "bad path (CR, LF or NUL, or a bad %-escape)";
	t->dir = t->path[0] == '\0' || t->path[strlen(t->path) - 1] == '/';
	return NULL;
}

/* --- the control connection ------------------------------------------------- */

static int
code_exit(int code)
{
	if (code >= 500)
		return EXIT_NO;
	if (code >= 400)
		return EXIT_NET;
	return EXIT_OK;
}

static void
sess_drop(struct sess *s)
{
	if (s->up) {
		if (opt.verbose || opt.layers)
			tb_tcpinfo(stderr, s->c->rfd, "control");
		conn_close(s->c);
	}
	s->up = 0;
	s->type = 0;
	s->feat = s->mlst = 0;
}

/* say why the control connection failed; returns EXIT_NET */
static int
ctl_fail(struct sess *s, const char *what)
{
	const char *why = tb_interrupted ? "interrupted" : errno == EPROTO ? "malformed reply" :
	    errno == EMSGSIZE ? "malformed reply (too long, or too many lines)" :
	    errno == ETIMEDOUT ? "timed out (no whole reply in time: -W, -w)" :
	    errno == ECONNRESET ? "connection closed by the server" : strerror(errno);

	say("%s: %s: %s", s->host, what, why);
	sess_drop(s);
	return EXIT_NET;
}

/* read one whole reply; 0, or -1 with errno */
static int read_reply(struct sess *, struct reply *);

/*
 * Read one whole reply; 0, or -1 with errno.  -W bounds the time between
 * two bytes and also the whole reply (with -w over all): a server that
 * trickles a reply a byte at a time cannot hold the session longer;
 * ftp_reply_add bounds its lines and bytes.
 */
static int
get_reply(struct sess *s, struct reply *r)
{
	int64_t dl = s->c->deadline;
	int rc;

	s->c->deadline = tb_earliest(opt.deadline, tb_now() + (s->c->idle >= 0 &&
	    s->c->idle < opt.idle ? s->c->idle : opt.idle));
	rc = read_reply(s, r);
	s->c->deadline = dl;
	return rc;
}

static int
read_reply(struct sess *s, struct reply *r)
{
	static uint8_t raw[REPLY_MAX + 4096];
	char line[4096];
	size_t rawlen = 0;
	ssize_t n;
	int first = 1, rc;

	for (;;) {
		n = conn_line(s->c, line, sizeof line);
		if (n == -2) {
			errno = ECONNRESET;
			return -1;
		}
		if (n < 0)
			return -1;
		if (opt.layers && rawlen + (size_t)n + 2 <= sizeof raw) {
			/* the bytes as they came: conn_line took the CR (if any) and LF */
			memcpy(raw + rawlen, line, (size_t)n);
			rawlen += (size_t)n;
			if (s->c->off >= 2 && s->c->buf[s->c->off - 2] == '\r')
				raw[rawlen++] = '\r';
			raw[rawlen++] = '\n';
		}
		rc = ftp_reply_add(r, line, (size_t)n, first);
		first = 0;
		if (rc < 0) {
			errno = rc == FTP_ETOOLONG ? EMSGSIZE : EPROTO;
			return -1;
		}
		if (rc == 1)
			break;
	}
	if (opt.layers) {
		lv_packet(&lv, "received from %s (control)", s->host);
		ftp_decode_reply(&lv, r, raw, rawlen);
	}
	return 0;
}

/* print a reply's first line, escaped, after a prefix */
static void
warn_reply(struct sess *s, const char *what, const struct reply *r)
{
	char esc[512];
	size_t n = strcspn(r->text, "\n");

	tb_escape_buf(esc, sizeof esc, r->text, n > 300 ? 300 : n);
	say("%s: %s: %d %s", s->host, what, r->code, esc);
}

/*
 * A reply waiting before we sent anything (FTP-11): a 421 (closing) is
 * reported as such; anything else is a protocol error.  0 if clean.
 */
static int
unsolicited(struct sess *s, struct reply *r)
{
	struct pollfd pfd = { .fd = s->c->rfd, .events = POLLIN };

	if (s->c->off == s->c->len && poll(&pfd, 1, 0) <= 0)
		return 0;
	if (get_reply(s, r) < 0)
		return ctl_fail(s, "control connection");
	if (r->code == 421)
		warn_reply(s, "service closing", r);
	else
		warn_reply(s, "reply with no command outstanding", r);
	sess_drop(s);
	return EXIT_NET;
}

/*
 * Format one command into out (CR LF appended), checked and shown for
 * -v / -X.  Its length with the CR LF, or -1 after saying why.
 */
static int __attribute__((format(printf, 4, 0)))
fmt_cmd(struct sess *s, char *out, size_t cap, const char *fmt, va_list ap)
{
	int n = vsnprintf(out, cap - 2, fmt, ap);

	if (n < 0 || (size_t)n >= cap - 2) {
		say("%s: command too long", s->host);
		return -1;
	}
	if (!ftp_arg_ok(out)) {
		say("%s: refusing CR or LF in a command argument", s->host);
		return -1;
	}
	if (opt.verbose) {
		fputs("C: ", stderr);
		if (strncmp(out, "PASS ", 5) == 0)
			fputs("PASS ****", stderr);
		else
			tb_escape(stderr, out, (size_t)n, 1);
		fputc('\n', stderr);
	}
	if (opt.layers) {
		lv_packet(&lv, "sent to %s (control)", s->host);
		ftp_decode_cmd(&lv, out, (size_t)n);
	}
	memcpy(out + n, "\r\n", 2);
	return n + 2;
}

/*
 * Send one command and read its reply (not waiting past a 1xx unless
 * asked to).  Returns 0 with *r filled, or an exit code after saying
 * why (the session is dropped on transport errors and 421).
 */
static int __attribute__((format(printf, 3, 4)))
cmd(struct sess *s, struct reply *r, const char *fmt, ...)
{
	char line[4200];
	va_list ap;
	int n, e;

	if ((e = unsolicited(s, r)) != 0)
		return e;
	va_start(ap, fmt);
	n = fmt_cmd(s, line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return EXIT_LOCAL;
	if (conn_write(s->c, line, (size_t)n) < 0)
		return ctl_fail(s, "control connection");
	if (strncmp(line, "PASS ", 5) == 0)
		explicit_bzero(line, sizeof line);
	if (get_reply(s, r) < 0)
		return ctl_fail(s, "control connection");
	if (r->code == 421) {
		warn_reply(s, "service closing", r);
		sess_drop(s);
		return EXIT_NET;
	}
	return 0;
}

/* append one command to the pipeline's buffer; 0, or -1 after saying why */
static int __attribute__((format(printf, 5, 6)))
queue_cmd(struct sess *s, char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (cap - *len < 16)
		return -1;
	va_start(ap, fmt);
	n = fmt_cmd(s, buf + *len, cap - *len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	*len += (size_t)n;
	return 0;
}

/* the reply that follows a 1xx */
static int
next_reply(struct sess *s, struct reply *r)
{
	if (get_reply(s, r) < 0)
		return ctl_fail(s, "control connection");
	if (r->code == 421) {
		warn_reply(s, "service closing", r);
		sess_drop(s);
		return EXIT_NET;
	}
	return 0;
}

/* the last password read, for the next login to the same host and user */
static struct {
	int have;
	char host[256], user[256], pw[512];
} saved;

static int
sess_open(struct sess *s, const struct target *t)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	struct reply *r;
	char pw[512];
	const char *why, *user;
	uint16_t lport;
	int e;

	if ((r = tb_malloc(sizeof *r)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	snprintf(s->host, sizeof s->host, "%s", t->host);
	snprintf(s->user, sizeof s->user, "%s", t->user);
	s->port = t->port;
	s->type = s->feat = s->mlst = s->no_ext = s->ext_known = s->epsv_ok = 0;
	s->c->deadline = opt.deadline;
	s->c->idle = opt.idle;
	s->c->trace = opt.verbose ? stderr : NULL;
	s->c->lv = NULL;	/* no segment view here yet; tb_malloc left it unset */
	if ((e = conn_dial(s->c, t->host, t->port, opt.family, opt.idle, &s->peer, &why)) < 0) {
		if (e == -2)
			say("%s", why);	/* the lookup's own words (tubes(7)) */
		else
			say("%s: %s", t->host, why);
		tb_free(r);
		return conn_dial_exit();
	}
	s->up = 1;
	if (getsockname(s->c->rfd, (struct sockaddr *)&ss, &sl) < 0 ||
	    tb_from_sockaddr((struct sockaddr *)&ss, &s->local, &lport) < 0) {
		tb_free(r);
		return ctl_fail(s, "getsockname");
	}
	/* the greeting: 120 (wait) then 220 */
	do {
		if (get_reply(s, r) < 0) {
			tb_free(r);
			return ctl_fail(s, "greeting");
		}
	} while (r->code == 120);
	if (r->code != 220) {
		warn_reply(s, "greeting", r);
		e = r->code >= 400 ? code_exit(r->code) : EXIT_NET;
		sess_drop(s);
		tb_free(r);
		return e;
	}
	user = t->user[0] ? t->user : opt.user ? opt.user : "anonymous";
	if ((e = cmd(s, r, "USER %s", user)) != 0)
		goto out;
	if (r->code == 331 || r->code == 332) {
		if (strcmp(user, "anonymous") == 0 || strcmp(user, "ftp") == 0) {
			snprintf(pw, sizeof pw, "ftpget@");
		} else if (saved.have && strcmp(saved.host, t->host) == 0 &&
		    strcmp(saved.user, user) == 0) {
			/* the environment variable is cleared once read: log in again with it */
			memcpy(pw, saved.pw, sizeof pw);
		} else if (tb_password(opt.pwfile, t->host, user, "FTPGET_PASSWORD", pw,
		    sizeof pw, &why) < 0) {
			say("%s: password for %s: %s", t->host, user, why);
			e = EXIT_LOCAL;
			sess_drop(s);
			goto out;
		} else {
			snprintf(saved.host, sizeof saved.host, "%s", t->host);
			snprintf(saved.user, sizeof saved.user, "%s", user);
			memcpy(saved.pw, pw, sizeof pw);
			saved.have = 1;
		}
		e = cmd(s, r, "PASS %s", pw);
		explicit_bzero(pw, sizeof pw);
		if (e)
			goto out;
	}
	if (r->code != 230 && r->code != 202) {
		warn_reply(s, "login refused", r);
		e = r->code >= 400 && r->code < 500 ? EXIT_NET : EXIT_NO;
		sess_drop(s);
		goto out;
	}
	e = 0;
out:
	tb_free(r);
	return e;
}

/* how long the reply to QUIT is waited for (microseconds) */
#define QUIT_WAIT 2000000

/*
 * Everything is done and reported by the time of QUIT: it is a
 * courtesy.  Its reply is waited for QUIT_WAIT at most and never
 * reported: a server that closes instead, or says nothing, changes
 * neither the output nor the exit status.
 */
static void
sess_quit(struct sess *s)
{
	struct reply *r;
	char line[32];
	size_t len = 0;

	if (!s->up)
		return;
	if (queue_cmd(s, line, sizeof line, &len, "QUIT") == 0 &&
	    conn_write(s->c, line, len) == 0 && (r = tb_malloc(sizeof *r)) != NULL) {
		if (s->c->idle < 0 || s->c->idle > QUIT_WAIT)
			s->c->idle = QUIT_WAIT;
		(void)get_reply(s, r);
		tb_free(r);
	}
	sess_drop(s);
}

static int
set_type(struct sess *s, struct reply *r, int type)
{
	int e;

	if (s->type == type)
		return 0;
	if ((e = cmd(s, r, "TYPE %c", type)) != 0)
		return e;
	if (r->code != 200) {
		warn_reply(s, "TYPE", r);
		return r->code >= 400 ? code_exit(r->code) : EXIT_NET;
	}
	s->type = type;
	return 0;
}

/* --- the data connection -------------------------------------------------- */

struct data {
	int fd;			/* connected, or -1 */
	int lfd;		/* active: listening, or -1 */
	int bg;			/* passive: connect in the background */
};

/*
 * How long the first EPSV data connection may take before PASV is tried
 * instead: a NAT or firewall whose FTP helper knows only PASV drops the
 * connection to an EPSV port, and the connect would hang until -W.
 */
#define EPSV_PROBE 3000000

/*
 * Connect the data connection to the control peer's port.  With d->bg
 * (pipelining) the connect is left to finish in the background: the
 * first read waits for it (with the idle timeout) and reports its error.
 * With probe, a connect that gets no answer within EPSV_PROBE returns 1
 * without a word (the caller tries PASV).
 */
static int
dial_data(struct sess *s, uint16_t port, struct data *d, int probe)
{
	struct sockaddr_storage ss;
	struct pollfd pfd;
	socklen_t sl;
	int fd, r, err = 0;
	int64_t dl;

	fd = socket(s->peer.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		say("socket: %s", strerror(errno));
		return EXIT_LOCAL;
	}
	sl = tb_sockaddr(&s->peer, port, &ss);
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0) {
		if (errno != EINPROGRESS) {
			err = errno;
			goto fail;
		}
		if (!d->bg) {
			dl = tb_earliest(opt.deadline, tb_now() + opt.idle);
			if (probe)
				dl = tb_earliest(dl, tb_now() + EPSV_PROBE);
			pfd.fd = fd;
			pfd.events = POLLOUT;
			r = tb_poll(&pfd, 1, dl);
			if (r == 0 && probe && (opt.deadline < 0 || tb_now() < opt.deadline)) {
				close(fd);
				return 1;
			}
			if (r <= 0) {
				err = r == 0 ? ETIMEDOUT : errno;
				goto fail;
			}
			sl = sizeof err;
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) < 0)
				err = errno;
			if (err)
				goto fail;
		}
	}
	d->fd = fd;
	return 0;
fail:
	close(fd);
	say("%s: data connection to port %u: %s", s->host, port, strerror(err));
	return EXIT_NET;
}

/*
 * The reply to EPSV (verb 'E') or PASV ('P'): connect the data
 * connection to the control peer.  0 connected; 1 EPSV refused with
 * 5xx (not understood: PASV next); else an exit code after saying why.
 */
static int
passive_dial(struct sess *s, const struct reply *r, int verb, struct data *d)
{
	char want[TB_ADDRSTRLEN], got[TB_ADDRSTRLEN];
	struct tb_addr named;
	uint8_t a[4];
	uint16_t port;
	int e;

	if (verb == 'E') {
		if (r->code == 229) {
			if (ftp_parse_229(r->text, r->len, &port) < 0) {
				warn_reply(s, "malformed 229 reply", r);
				return EXIT_NET;
			}
			s->ext_known = 1;
			/* over IPv6 PASV is no way out: no probe there */
			e = dial_data(s, port, d, !s->epsv_ok && !d->bg && s->peer.family == AF_INET);
			if (e == 1) {
				say("%s: no answer on the EPSV data port %u in %d s (a NAT or firewall "
				    "that knows only PASV?); trying PASV (--no-epsv skips EPSV)", s->host,
				    port, EPSV_PROBE / 1000000);
				s->no_ext = 1;
			} else if (e == 0) {
				s->epsv_ok = 1;
			}
			return e;
		}
		if (r->code < 500) {
			warn_reply(s, "EPSV", r);	/* 4xx, or no 229 */
			return EXIT_NET;
		}
		s->no_ext = s->ext_known = 1;	/* 5xx: not understood; PASV then */
		return 1;
	}
	if (r->code != 227) {
		warn_reply(s, "PASV", r);
		return r->code >= 400 ? code_exit(r->code) : EXIT_NET;
	}
	if (ftp_parse_227(r->text, r->len, a, &port) < 0) {
		warn_reply(s, "malformed 227 reply", r);
		return EXIT_NET;
	}
	/* FTP-01: the address is never used; the control peer is */
	memset(&named, 0, sizeof named);
	named.family = AF_INET;
	memcpy(named.a, a, 4);
	if (!tb_addr_eq(&named, &s->peer) && !s->pasv_note) {
		say("%s: 227 reply named %s; connecting to the control peer %s instead",
		    s->host, tb_addr_str(&named, got, sizeof got),
		    tb_addr_str(&s->peer, want, sizeof want));
		s->pasv_note = 1;
	}
	s->ext_known = 1;
	return dial_data(s, port, d, 0);
}

/* passive: EPSV (unless refused before), else PASV; connect to the control peer */
static int
open_passive(struct sess *s, struct reply *r, struct data *d)
{
	int e;

	if (opt.epsv && !s->no_ext) {
		if ((e = cmd(s, r, "EPSV")) != 0)
			return e;
		if ((e = passive_dial(s, r, 'E', d)) != 1)
			return e;
	}
	if ((e = cmd(s, r, "PASV")) != 0)
		return e;
	return passive_dial(s, r, 'P', d);
}

/* active: listen on the control connection's local address; EPRT or PORT */
static int
open_active(struct sess *s, struct reply *r, struct data *d)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	struct tb_addr la;
	char arg[128], as[TB_ADDRSTRLEN];
	uint16_t port;
	int fd, e;

	fd = socket(s->local.family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		say("socket: %s", strerror(errno));
		return EXIT_LOCAL;
	}
	sl = tb_sockaddr(&s->local, 0, &ss);
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 1) < 0) {
		say("active mode: bind/listen: %s", strerror(errno));
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
	tb_addr_str(&la, as, sizeof as);
	if (la.family == AF_INET6 || (opt.epsv && !s->no_ext)) {
		char *pct6 = strchr(as, '%');

		if (pct6)
			*pct6 = '\0';
		ftp_build_eprt(arg, sizeof arg, la.family == AF_INET6 ? 2 : 1, as, port);
		if ((e = cmd(s, r, "%s", arg)) != 0)
			return e;
		if (r->code == 200)
			return 0;
		if (r->code < 500 || la.family == AF_INET6) {
			warn_reply(s, "EPRT", r);
			return r->code >= 400 ? code_exit(r->code) : EXIT_NET;
		}
		s->no_ext = 1;
	}
	ftp_build_port(arg, sizeof arg, la.a, port);
	if ((e = cmd(s, r, "%s", arg)) != 0)
		return e;
	if (r->code != 200) {
		warn_reply(s, "PORT", r);
		return r->code >= 400 ? code_exit(r->code) : EXIT_NET;
	}
	return 0;
}

static int
open_data(struct sess *s, struct reply *r, struct data *d)
{
	d->fd = d->lfd = -1;
	d->bg = 0;
	return opt.active ? open_active(s, r, d) : open_passive(s, r, d);
}

/* active: accept the server's connection (from the control peer only), with a deadline */
static int
accept_data(struct sess *s, struct data *d)
{
	struct sockaddr_storage ss;
	struct tb_addr from;
	struct pollfd pfd;
	socklen_t sl;
	uint16_t port;
	int64_t dl = tb_earliest(opt.deadline, tb_now() + opt.idle);
	int fd, r;
	char as[TB_ADDRSTRLEN];

	if (d->lfd < 0)
		return 0;
	for (;;) {
		pfd.fd = d->lfd;
		pfd.events = POLLIN;
		r = tb_poll(&pfd, 1, dl);
		if (r <= 0) {
			say("%s: active mode: %s", s->host, r < 0 ? "interrupted" :
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
		say("%s: active mode: refused a data connection from %s", s->host,
		    tb_addr_str(&from, as, sizeof as));
		close(fd);
	}
	close(d->lfd);
	d->lfd = -1;
	d->fd = fd;
	return 0;
}

static void
close_data(struct data *d, const char *host)
{
	if (d->fd >= 0) {
		if (opt.verbose || opt.layers) {
			char label[300];

			snprintf(label, sizeof label, "data (%s)", host);
			tb_tcpinfo(stderr, d->fd, label);
		}
		close(d->fd);
	}
	if (d->lfd >= 0)
		close(d->lfd);
	d->fd = d->lfd = -1;
}

/* wait for the data fd: 1 ready, 0 timed out, -1 interrupted (within a second) */
static int
data_wait(int fd, short ev, int64_t *last)
{
	struct pollfd pfd = { .fd = fd, .events = ev };
	int r;

	r = tb_poll(&pfd, 1, tb_earliest(opt.deadline, *last + opt.idle));
	return r < 0 ? -1 : r > 0;
}

static void
show_progress(uint64_t got, int64_t size, int done)
{
	static int64_t last;
	int64_t now = tb_now();

	if (!progress || (!done && now - last < 200000))
		return;
	last = now;
	if (size > 0)
		fprintf(stderr, "\r%s: %llu of %lld bytes (%d%%)", tb_prog,
		    (unsigned long long)got, (long long)size, (int)(got * 100 / (uint64_t)size));
	else
		fprintf(stderr, "\r%s: %llu bytes", tb_prog, (unsigned long long)got);
	if (done)
		fputc('\n', stderr);
}

/* the overall deadline passed? */
static int
past_deadline(void)
{
	return opt.deadline >= 0 && tb_now() >= opt.deadline;
}

/*
 * Binary transfers move through a pipe with splice(2): socket -> pipe ->
 * out (or straight into out when it is a pipe), never copied through
 * user space.  Returns 0 at EOF, 1 when splice does not apply here (the
 * caller falls back to read/write before any byte moved), EXIT_NET or
 * EXIT_LOCAL after saying why.
 */
static int
recv_splice(struct sess *s, int fd, int out, int plain, uint64_t *got, uint64_t base,
    int64_t size)
{
	static int pp[2] = { -1, -1 };
	struct stat st;
	int64_t last = tb_now();
	int direct, w;
	ssize_t n, m;

	/* splice(2) refuses O_APPEND files (-C) and needs a pipe or a file */
	if (plain)
		direct = 0;	/* a new regular file of ours */
	else if (fstat(out, &st) < 0 || !(S_ISFIFO(st.st_mode) || S_ISREG(st.st_mode)) ||
	    (fcntl(out, F_GETFL) & O_APPEND))
		return 1;
	else
		direct = S_ISFIFO(st.st_mode);
	if (!direct && pp[0] < 0) {
		if (pipe2(pp, O_CLOEXEC) < 0)
			return 1;
		(void)fcntl(pp[1], F_SETPIPE_SZ, 1 << 20);
	}
	for (;;) {
		if (tb_interrupted || past_deadline()) {
			say("%s: data connection: %s", s->host, tb_interrupted ? "interrupted" : "timed out");
			return EXIT_NET;
		}
		/* the socket is O_NONBLOCK: EAGAIN means it has nothing now */
		n = splice(fd, NULL, direct ? out : pp[1], NULL, 1 << 20, SPLICE_F_MOVE);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			w = data_wait(fd, POLLIN, &last);
			if (w <= 0) {
				say("%s: data connection: %s", s->host, w < 0 ? "interrupted" : "timed out");
				return EXIT_NET;
			}
			continue;
		}
		if (n < 0 && (errno == EINVAL || errno == ENOSYS) && *got == 0)
			return 1;
		if (n < 0) {
			if (direct && errno == EPIPE)
				return EXIT_LOCAL;
			say("%s: data connection: %s", s->host, strerror(errno));
			return EXIT_NET;
		}
		if (n == 0)
			break;
		last = tb_now();
		*got += (uint64_t)n;
		while (!direct && n > 0) {
			m = splice(pp[0], NULL, out, NULL, (size_t)n, SPLICE_F_MOVE);
			if (m < 0 && errno == EINTR)
				continue;
			if (m < 0 && errno == EINVAL) {
				/* out takes no splice after all: drain the pipe by hand, go on by read/write */
				while (n > 0 && (m = read(pp[0], dbuf, DATABUF)) > 0) {
					if (tb_write_all(out, dbuf, (size_t)m) < 0) {
						say("write: %s", strerror(errno));
						return EXIT_LOCAL;
					}
					n -= m;
				}
				return n == 0 ? 1 : EXIT_LOCAL;
			}
			if (m <= 0) {
				say("write: %s", m < 0 ? strerror(errno) : "short");
				return EXIT_LOCAL;
			}
			n -= m;
		}
		show_progress(base + *got, size, 0);
	}
	show_progress(base + *got, size, 1);
	return 0;
}

/*
 * Copy the data connection to out (an fd); ASCII mode turns CR LF into
 * LF.  Returns 0 at EOF, EXIT_NET on timeout/error, EXIT_LOCAL if out
 * cannot be written.  *got counts bytes received.
 */
static int
recv_data(struct sess *s, int fd, int out, int plain, uint64_t *got, uint64_t base,
    int64_t size)
{
	int64_t last = tb_now();
	ssize_t n;
	int w, cr = 0;

	if (!opt.ascii && (w = recv_splice(s, fd, out, plain, got, base, size)) != 1)
		return w;
	for (;;) {
		if (tb_interrupted || past_deadline()) {
			say("%s: data connection: %s", s->host, tb_interrupted ? "interrupted" : "timed out");
			return EXIT_NET;
		}
		/* read first, wait only when there is nothing: one syscall a chunk */
		n = read(fd, dbuf, DATABUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			w = data_wait(fd, POLLIN, &last);
			if (w <= 0) {
				say("%s: data connection: %s", s->host, w < 0 ? "interrupted" : "timed out");
				return EXIT_NET;
			}
			continue;
		}
		if (n < 0) {
			say("%s: data connection: %s", s->host, strerror(errno));
			return EXIT_NET;
		}
		if (n == 0)
			break;
		last = tb_now();
		*got += (uint64_t)n;
		if (opt.ascii) {
			/* CR LF -> LF, keeping a CR at the end of a read for the next */
			uint8_t *p = dbuf, *q = dbuf, *end = dbuf + n;

			if (cr && *p != '\n' && tb_write_all(out, "\r", 1) < 0)
				goto werr;
			cr = 0;
			for (; p < end; p++) {
				if (*p == '\r' && p + 1 == end) {
					cr = 1;
					continue;
				}
				if (*p == '\r' && p[1] == '\n')
					continue;
				*q++ = *p;
			}
			n = q - dbuf;
		}
		if (tb_write_all(out, dbuf, (size_t)n) < 0)
			goto werr;
		show_progress(base + *got, size, 0);
	}
	if (cr && tb_write_all(out, "\r", 1) < 0)
		goto werr;
	show_progress(base + *got, size, 1);
	return 0;
werr:
	if (errno != EPIPE)
		say("write: %s", strerror(errno));
	return EXIT_LOCAL;
}

/* --- JSON ---------------------------------------------------------------- */

static void
js_error(const char *url, const char *what, int code)
{
	struct json j;

	if (!opt.json)
		return;
	js_begin(&j, stdout, "error");
	js_str(&j, "url", url);
	js_str(&j, "error", what);
	if (last_why[0])
		js_str(&j, "reason", last_why);
	else
		js_null(&j, "reason");
	js_int(&j, "exit", code);
	js_end(&j);
	last_why[0] = '\0';
}

static void
js_transfer(const char *url, const char *dir, const char *file, uint64_t bytes,
    int64_t size, int64_t mtime, int64_t usec, int ok)
{
	struct json j;
	char ts[40];

	if (!opt.json)
		return;
	js_begin(&j, stdout, "transfer");
	js_str(&j, "url", url);
	js_str(&j, "direction", dir);
	js_str(&j, "file", file);
	js_int(&j, "bytes", (long long)bytes);
	if (size >= 0)
		js_int(&j, "size", size);
	else
		js_null(&j, "size");
	if (mtime >= 0)
		js_str(&j, "mtime", tb_iso8601(mtime * 1000000, ts, sizeof ts));
	else
		js_null(&j, "mtime");
	js_ms(&j, "time_ms", usec);
	js_num(&j, "rate_bps", usec > 0 ? (double)bytes * 1e6 / (double)usec : 0, 0);
	js_bool(&j, "ok", ok);
	js_end(&j);
}

/* --- downloads ------------------------------------------------------------- */

/* the last path component */
static const char *
base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

/*
 * A name from the server as a local file name: ftp_safe_name's rule,
 * and never a name in lib/fsafe's own name space (.part-...), which
 * is where the files being fetched live until they are complete: so
 * that no entry's temporary name is another entry's real name.
 */
static int
local_name(const char *name, size_t len, char *out, size_t cap)
{
	if (fsafe_reserved(name, len))
		return FTP_EUNSAFE;
	return ftp_safe_name(name, len, out, cap);
}

/* open local's temporary file; 0, or EXIT_LOCAL after saying why */
static int
open_part(struct fsafe *f, int dirfd, const char *local, off_t *have)
{
	const char *part = f->part;

	if (fsafe_open(f, dirfd, local, opt.resume ? FSAFE_RESUME : 0, have) == 0)
		return 0;
	if (errno == EINVAL)
		say("%s: a name of the form %s... is reserved for partial files", local,
		    FSAFE_PREFIX);
	else
		say("%s: %s%s", part[0] ? part : local, strerror(errno),
		    errno == EEXIST ? " (use -C to resume it, or remove it)" : "");
	return EXIT_LOCAL;
}

/*
 * Before a RETR: TYPE (unless the session is in that type already),
 * SIZE (binary mode, no size known yet) and MDTM (when mtime is asked
 * for), sent in one write and their replies read in order: one round
 * trip instead of three.  Every reply is read even after a refusal, so
 * that the session stays in step.  A SIZE of 550 (no such file, or a
 * directory) is left for RETR to report; another refusal of SIZE or
 * MDTM leaves the value unknown.  With verb ('E' EPSV, 'P' PASV) the
 * passive command and the RETR go in the same write, their replies left
 * for the caller (then TYPE must be set already).  0, or an exit code
 * after saying why (with verb, the session is dropped then: its
 * replies are out of step).
 */
static int
ask_ahead(struct sess *s, struct reply *r, const char *path, int64_t *size, int64_t *mtime,
    int verb)
{
	char buf[2 * 4200 + 16];
	size_t len = 0;
	uint64_t sz;
	int type = opt.ascii ? 'A' : 'I', want_type = s->type != type;
	int want_size = *size < 0 && !opt.ascii, want_mtime = mtime != NULL, e, worst = 0;

	if (!want_type && !want_size && !want_mtime && !verb)
		return 0;
	if ((e = unsolicited(s, r)) != 0)
		return e;
	if ((want_type && queue_cmd(s, buf, sizeof buf, &len, "TYPE %c", type) < 0) ||
	    (want_size && queue_cmd(s, buf, sizeof buf, &len, "SIZE %s", path) < 0) ||
	    (want_mtime && queue_cmd(s, buf, sizeof buf, &len, "MDTM %s", path) < 0) ||
	    (verb && queue_cmd(s, buf, sizeof buf, &len, verb == 'E' ? "EPSV" : "PASV") < 0) ||
	    (verb && queue_cmd(s, buf, sizeof buf, &len, "RETR %s", path) < 0))
		return EXIT_LOCAL;
	if (conn_write(s->c, buf, len) < 0)
		return ctl_fail(s, "control connection");
	if (want_type) {
		if ((e = next_reply(s, r)) != 0)
			return e;
		if (r->code == 200) {
			s->type = type;
		} else {
			warn_reply(s, "TYPE", r);
			worst = r->code >= 400 ? code_exit(r->code) : EXIT_NET;
		}
	}
	if (want_size) {
		if ((e = next_reply(s, r)) != 0)
			return e;
		if (r->code == 213 && !worst) {
			if (ftp_parse_size(r->text, r->len, &sz) < 0) {
				warn_reply(s, "malformed SIZE reply", r);
				worst = EXIT_NET;
			} else {
				*size = (int64_t)sz;
			}
		}
	}
	if (want_mtime) {
		if ((e = next_reply(s, r)) != 0)
			return e;
		if (r->code != 213 || ftp_parse_mdtm(r->text, r->len, mtime) < 0)
			*mtime = -1;
	}
	if (worst && verb)
		sess_drop(s);
	return worst;
}

/*
 * RETR path into dirfd/local (local NULL: stdout).  known_size and
 * known_mtime come from a listing (-r) or are -1 to ask SIZE and MDTM.
 */
/* -r: complete files waiting for one syncfs, then their renames */
struct pending {
	char (*names)[256];
	size_t n, cap;
};

static int
flush_pending(struct pending *p, int dirfd)
{
	size_t i;
	int e = 0;

	if (p->n == 0)
		return 0;
	if (fsafe_sync(dirfd) < 0) {
		say("syncfs: %s", strerror(errno));
		e = EXIT_LOCAL;
	}
	for (i = 0; i < p->n && e == 0; i++)
		if (fsafe_publish(dirfd, p->names[i]) < 0) {
			say("%s: %s", p->names[i], strerror(errno));
			e = EXIT_LOCAL;
		}
	p->n = 0;
	return e;
}

/*
 * A complete temporary file (lib/fsafe): its modification time, then renamed now
 * (fsafe_commit: fsync first) or, with defer, closed and queued for the
 * batch's one syncfs and the renames after it.  0 or EXIT_LOCAL.
 */
static int
settle(struct fsafe *f, const char *local, int64_t mtime, struct pending *defer)
{
	if (mtime >= 0)
		(void)fsafe_mtime(f, mtime);
	if (!defer) {
		if (fsafe_commit(f) < 0) {
			say("%s: %s", local, strerror(errno));
			return EXIT_LOCAL;
		}
		return 0;
	}
	if (defer->n == defer->cap) {
		size_t nc = defer->cap ? defer->cap * 2 : 64;
		char (*v)[256] = tb_realloc(defer->names, nc * sizeof *v);

		if (v == NULL)
			tb_die(EXIT_LOCAL, "out of memory");
		defer->names = v;
		defer->cap = nc;
	}
	snprintf(defer->names[defer->n++], 256, "%s", local);
	if (fsafe_close(f) < 0) {
		defer->n--;
		say("%s: %s", f->part, strerror(errno));
		return EXIT_LOCAL;
	}
	return 0;
}

/* a download done: count it, -j, -v */
static void
done_file(const char *url, const char *local, uint64_t got, int64_t size, int64_t mtime,
    int64_t t0)
{
	char ts[40];

	tot.transfers++;
	js_transfer(url, "download", local ? local : "-", got, size, mtime, tb_now() - t0, 1);
	if (opt.verbose && local)
		say("%s: %llu bytes%s%s", local, (unsigned long long)got,
		    mtime >= 0 ? ", modified " : "", mtime >= 0 ?
		    tb_iso8601(mtime * 1000000, ts, sizeof ts) : "");
}

/* -o names a device or FIFO: its descriptor (fetch writes there, not stdout) */
static int out_dev = -1;

static int
fetch(struct sess *s, const char *url, const char *path, int dirfd, const char *local,
    int64_t known_size, int64_t known_mtime, struct pending *defer)
{
	struct reply *r;
	struct fsafe f;
	struct data d = { -1, -1, 0 };
	uint64_t sz, got = 0;
	int64_t size = known_size, mtime = known_mtime, t0 = tb_now();
	off_t have = 0;
	int e, out = out_dev >= 0 ? out_dev : STDOUT_FILENO, pe, final, verb = 0;

	if ((r = tb_malloc(sizeof *r)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	f.fd = -1;
	last_why[0] = '\0';
	if (opt.pipeline) {
		/*
		 * Once the session has shown which passive command works (an
		 * earlier URL or listing) and is in binary mode: EPSV (or PASV)
		 * and RETR go with SIZE and MDTM, one round trip for the file.
		 * Not for -C: REST needs the .part's size first.
		 */
		if (s->ext_known && s->type == 'I' && !opt.ascii && !opt.active && !opt.resume)
			verb = s->no_ext || !opt.epsv ? 'P' : 'E';
		if ((e = ask_ahead(s, r, path, &size, local && mtime == -1 ? &mtime : NULL,
		    verb)) != 0)
			goto out;
		goto asked;
	}
	if ((e = set_type(s, r, opt.ascii ? 'A' : 'I')) != 0)
		goto out;
	if (size < 0 && !opt.ascii) {
		if ((e = cmd(s, r, "SIZE %s", path)) != 0)
			goto out;
		if (r->code == 213) {
			if ((pe = ftp_parse_size(r->text, r->len, &sz)) < 0) {
				warn_reply(s, "malformed SIZE reply", r);
				e = EXIT_NET;
				goto out;
			}
			size = (int64_t)sz;
		} else if (r->code == 550) {
			/* no such file, or a directory; RETR will tell */
		}
	}
	if (local && mtime == -1) {	/* -2: do not ask (-r without a time) */
		if ((e = cmd(s, r, "MDTM %s", path)) != 0)
			goto out;
		if (r->code == 213 && ftp_parse_mdtm(r->text, r->len, &mtime) < 0)
			mtime = -1;
	}
asked:
	if (local) {
		if ((e = open_part(&f, dirfd, local, &have)) != 0) {
			if (verb)
				sess_drop(s);	/* EPSV and RETR sent: their replies out of step */
			goto out;
		}
		out = f.fd;
		if (size >= 0 && have > size) {
			say("%s: larger than the remote file (%lld > %lld bytes)",
			    f.part, (long long)have, (long long)size);
			e = EXIT_LOCAL;
			goto out;
		}
		if (size >= 0 && have == size && have > 0)
			goto complete;	/* nothing left to fetch */
	}
	fflush(stdout);
	if (verb) {
		/* the passive reply, then the RETR reply, both asked for already */
		if ((e = next_reply(s, r)) != 0)
			goto out;
		if ((e = passive_dial(s, r, verb, &d)) != 0) {
			if (r->code < 400) {
				/* a 229/227 we could not use: the server waits for a connection */
				sess_drop(s);
			} else {
				if (e == 1)
					warn_reply(s, "EPSV", r);
				(void)next_reply(s, r);	/* the RETR's refusal */
			}
			e = e == 1 ? EXIT_NET : e;
			goto out;
		}
		if ((e = next_reply(s, r)) != 0)
			goto out;
		goto retr_reply;
	}
	if ((e = open_data(s, r, &d)) != 0)
		goto out;
	if (have > 0) {
		if ((e = cmd(s, r, "REST %lld", (long long)have)) != 0)
			goto out;
		if (r->code != 350) {
			warn_reply(s, "REST (resume)", r);
			e = r->code >= 400 ? code_exit(r->code) : EXIT_NET;
			goto out;
		}
	}
	if ((e = cmd(s, r, "RETR %s", path)) != 0)
		goto out;
retr_reply:
	if (r->code != 125 && r->code != 150) {
		warn_reply(s, path, r);
		e = r->code >= 400 ? code_exit(r->code) : EXIT_NET;
		goto out;
	}
	if (size < 0 && !opt.ascii && have == 0 && ftp_parse_150(r->text, r->len, &sz) == 0)
		size = (int64_t)sz;	/* no SIZE, but the 150 said how much */
	if ((e = accept_data(s, &d)) != 0)
		goto out;
	e = recv_data(s, d.fd, out, 0, &got, (uint64_t)have, size);
	close_data(&d, s->host);
	tot.bytes += got;
	if (e == EXIT_NET && tb_interrupted) {
		sess_drop(s);
		goto out;
	}
	if (e != 0) {
		sess_drop(s);	/* mid-transfer: the control state is unknown now */
		goto out;
	}
	/* the final reply: 226/250 success, anything else a failure (FTP-06) */
	if ((e = next_reply(s, r)) != 0)
		goto out;
	final = r->code;
	if (final != 226 && final != 250) {
		warn_reply(s, "transfer failed", r);
		e = final >= 400 ? code_exit(final) : EXIT_NET;
		goto out;
	}
	if (size >= 0 && (int64_t)got + have != size) {
		say("%s: %s: got %lld bytes of %lld%s%s%s", s->host, path,
		    (long long)got + have, (long long)size,
		    local ? "; kept " : "", local ? f.part : "", local ? " for -C" : "");
		e = EXIT_NET;
		goto out;
	}
complete:
	if (local && (e = settle(&f, local, mtime, defer)) != 0)
		goto out;
	done_file(url, local, got, size, mtime, t0);
	e = 0;
out:
	close_data(&d, s->host);
	if (f.fd >= 0) {
		/* a short or failed transfer keeps what it got, for -C */
		if (got > 0 || have > 0)
			fsafe_keep(&f);
		else
			fsafe_abort(&f);
	}
	if (e) {
		tot.failed++;
		js_error(url, "download failed", e);
	}
	tb_free(r);
	return e;
}

/* --- listings -------------------------------------------------------------- */

/*
 * The entries of one directory, kept for -r: each one's facts, and its
 * name in one arena of names back to back (not NUL-terminated), so that
 * a directory of n files costs about 50 bytes a file, not a struct
 * ftp_entry (over a kilobyte) each.
 */
struct rent {
	int64_t size, mtime;
	size_t off, namelen;
	int type;
};

struct entries {
	struct rent *v;
	char *names;
	size_t n, cap, used, room;
};

#define RNAME(es, en) ((es)->names + (en)->off)

/* keep one entry; 0, or -1 out of memory */
static int
entries_add(struct entries *es, const struct ftp_entry *en)
{
	if (es->n == es->cap) {
		size_t nc = es->cap ? es->cap * 2 : 64;
		struct rent *v = tb_realloc(es->v, nc * sizeof *v);

		if (v == NULL)
			return -1;
		es->v = v;
		es->cap = nc;
	}
	if (es->room - es->used < en->namelen) {
		size_t nr = es->room ? es->room : 4096;
		char *p;

		while (nr - es->used < en->namelen)
			nr *= 2;
		if ((p = tb_realloc(es->names, nr)) == NULL)
			return -1;
		es->names = p;
		es->room = nr;
	}
	if (en->namelen > 0)	/* an empty name (refused later) may come before any arena */
		memcpy(es->names + es->used, en->name, en->namelen);
	es->v[es->n] = (struct rent){ en->size, en->mtime, es->used, en->namelen, en->type };
	es->used += en->namelen;
	es->n++;
	return 0;
}

static void
entries_free(struct entries *es)
{
	tb_free(es->v);
	tb_free(es->names);
}

static void
print_entry(const struct ftp_entry *en, const char *url)
{
	char ts[40];

	tot.entries++;
	if (opt.json) {
		struct json j;

		js_begin(&j, stdout, "entry");
		js_str(&j, "url", url);
		js_str(&j, "kind", ftp_type_name(en->type));
		if (en->size >= 0)
			js_int(&j, "size", en->size);
		else
			js_null(&j, "size");
		if (en->mtime >= 0)
			js_str(&j, "mtime", tb_iso8601(en->mtime * 1000000, ts, sizeof ts));
		else
			js_null(&j, "mtime");
		js_strn(&j, "name", en->name, en->namelen);
		js_end(&j);
		return;
	}
	printf("%s\t", ftp_type_name(en->type));
	if (en->size >= 0)
		printf("%lld\t", (long long)en->size);
	else
		fputs("-\t", stdout);
	if (en->mtime >= 0) {
		/* seconds: 2024-01-31T09:15:00Z */
		tb_iso8601(en->mtime * 1000000, ts, sizeof ts);
		char *dot = strchr(ts, '.');

		if (dot)
			memcpy(dot, "Z", 2);
		printf("%s\t", ts);
	} else {
		fputs("-\t", stdout);
	}
	tb_escape(stdout, en->name, en->namelen, 1);
	fputc('\n', stdout);
}

/*
 * List dir: mode 'M' MLSD, 'L' LIST parsed, 'l' LIST raw, 'N' NLST.
 * With collect, entries are stored (for -r) instead of printed.
 */
static int
list_dir(struct sess *s, const char *url, const char *dir, int mode, struct entries *collect)
{
	static const char *verbs[] = { ['M'] = "MLSD", ['L'] = "LIST", ['l'] = "LIST", ['N'] = "NLST" };
	struct reply *r;
	struct conn *dc = NULL;
	struct data d = { -1, -1, 0 };
	struct ftp_entry en;
	char line[8192], arg[4200];
	ssize_t n;
	int e, pe, bad = 0;
	int64_t now = tb_wall() / 1000000;

	if ((r = tb_malloc(sizeof *r)) == NULL || (dc = tb_malloc(sizeof *dc)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	/* the directory argument: no trailing '/' (but "/" itself) */
	snprintf(arg, sizeof arg, "%s", dir);
	if (strlen(arg) > 1 && arg[strlen(arg) - 1] == '/')
		arg[strlen(arg) - 1] = '\0';
	if ((e = set_type(s, r, 'A')) != 0)
		goto out;
	if ((e = open_data(s, r, &d)) != 0)
		goto out;
	e = arg[0] ? cmd(s, r, "%s %s", verbs[mode], arg) : cmd(s, r, "%s", verbs[mode]);
	if (e)
		goto out;
	if (r->code != 125 && r->code != 150) {
		warn_reply(s, verbs[mode], r);
		e = r->code >= 400 ? code_exit(r->code) : EXIT_NET;
		goto out;
	}
	if ((e = accept_data(s, &d)) != 0)
		goto out;
	memset(dc, 0, offsetof(struct conn, buf));
	dc->rfd = dc->wfd = d.fd;
	dc->via_pid = 0;
	dc->idle = opt.idle;
	dc->deadline = opt.deadline;
	for (;;) {
		n = conn_line(dc, line, sizeof line);
		if (n == -2)
			break;
		if (n < 0) {
			say("%s: listing: %s", s->host, errno == EMSGSIZE ? "line too long" :
			    errno == EPIPE ? "closed in the middle of a line" : strerror(errno));
			e = EXIT_NET;
			sess_drop(s);
			goto out;
		}
		if (mode == 'l' || mode == 'N') {
			tot.entries++;
			if (opt.json) {
				struct json j;

				js_begin(&j, stdout, mode == 'l' ? "list_line" : "name");
				js_str(&j, "url", url);
				js_strn(&j, "text", line, (size_t)n);
				js_end(&j);
				continue;
			}
			tb_escape(stdout, line, (size_t)n, 1);
			fputc('\n', stdout);
			continue;
		}
		pe = mode == 'M' ? ftp_parse_mlsd(line, (size_t)n, &en) :
		    ftp_parse_list(line, (size_t)n, now, &en);
		if (pe == FTP_ESKIP || (n == 0 && mode == 'L'))
			continue;
		if (pe < 0) {
			char esc[256];

			tb_escape_buf(esc, sizeof esc, line, (size_t)n > 120 ? 120 : (size_t)n);
			say("%s: unparsable %s line (%s): %s", s->host, verbs[mode],
			    ftp_strerror(pe), esc);
			bad++;
			continue;
		}
		if (collect) {
			if (entries_add(collect, &en) < 0)
				tb_die(EXIT_LOCAL, "out of memory");
		} else {
			print_entry(&en, url);
		}
	}
	close_data(&d, s->host);
	if ((e = next_reply(s, r)) != 0)
		goto out;
	if (r->code != 226 && r->code != 250) {
		warn_reply(s, "listing failed", r);
		e = r->code >= 400 ? code_exit(r->code) : EXIT_NET;
		goto out;
	}
	e = bad ? EXIT_NET : 0;
out:
	close_data(&d, s->host);
	tb_free(dc);
	tb_free(r);
	if (e) {
		tot.failed++;
		js_error(url, "listing failed", e);
	}
	return e;
}

static int
feat(struct sess *s)
{
	struct reply *r;
	int e;

	if (s->feat)
		return 0;
	if ((r = tb_malloc(sizeof *r)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	if ((e = cmd(s, r, "FEAT")) == 0) {
		s->feat = 1;
		s->mlst = r->code == 211 && ftp_feat_has(r->text, r->len, "MLST");
	}
	tb_free(r);
	return e;
}

static int
list_mode(struct sess *s, int *mode)
{
	int e;

	if (opt.raw_list) {
		*mode = 'l';
		return 0;
	}
	if (opt.names) {
		*mode = 'N';
		return 0;
	}
	if ((e = feat(s)) != 0)
		return e;
	*mode = s->mlst ? 'M' : 'L';
	return 0;
}

/* the URL being worked on: -r workers log in to it again */
static const struct target *cur_target;

struct result {
	long transfers, failed;
	uint64_t bytes;
	int exit;
};

/* the next job: from jobs[] (jobfd < 0) or the shared pipe; 1, or 0 when there is none */
static int
next_job(const uint32_t *jobs, size_t njobs, int jobfd, size_t *k, uint32_t *idx)
{
	ssize_t n;

	if (jobfd < 0) {
		if (*k >= njobs)
			return 0;
		*idx = jobs[(*k)++];
		return 1;
	}
	do
		n = read(jobfd, idx, sizeof *idx);
	while (n < 0 && errno == EINTR && !tb_interrupted);
	return n == (ssize_t)sizeof *idx;
}

/* dir/name into out */
static void
join_path(char *out, size_t cap, const char *dir, const char *name)
{
	snprintf(out, cap, "%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] != '/' ? "/" : "", name);
}

/*
 * -r pipelining: the commands for the next files (EPSV or PASV, REST
 * when resuming, RETR) go out before the replies to the current one
 * come back; an RFC 959 server reads and answers them in order, so it
 * never waits for us between files.  One file in flight: its
 * NAME.part is open, its commands sent, its replies not all read.
 */
#define PIPE_DEPTH 4
struct inflight {
	uint32_t idx;
	int verb;		/* 'E' (EPSV) or 'P' (PASV) */
	off_t have;		/* bytes already in the .part (-C): REST sent */
	int64_t t0;
	int dialed;		/* the passive reply is read: pcode, perr, d */
	int pcode, perr;	/* its code; passive_dial's result */
	struct data d;
	struct fsafe f;
};

/* read the passive reply of it and connect: 0, or an exit code (the session dropped) */
static int
passive_of(struct sess *s, struct reply *r, struct inflight *it)
{
	int e;

	if ((e = next_reply(s, r)) != 0)
		return e;
	it->dialed = 1;
	it->pcode = r->code;
	it->perr = passive_dial(s, r, it->verb, &it->d);
	return 0;
}

/* a whole line waits in the control connection's buffer */
static int
line_waiting(const struct sess *s)
{
	return s->up && s->c->off < s->c->len &&
	    memchr(s->c->buf + s->c->off, '\n', s->c->len - s->c->off) != NULL;
}

/*
 * Read the replies of the file at the head of the pipeline and fetch
 * it.  A refusal fails this file only; anything that leaves the
 * server's state in doubt (a 229 we cannot use while it waits for a
 * data connection, a broken transfer) drops the session.
 */
static int
pipe_one(struct sess *s, struct reply *r, const char *url, const char *path,
    const struct rent *en, struct inflight *it, struct inflight *next,
    struct pending *pend)
{
	struct data *d = &it->d;
	uint64_t got = 0, sz;
	int64_t size = en->size, mtime = en->mtime >= 0 ? en->mtime : -1;
	int e, fail = 0;

	last_why[0] = '\0';
	if (!it->dialed && (e = passive_of(s, r, it)) != 0)
		goto out;
	if ((fail = it->perr) != 0) {
		if (fail == 1) {
			say("%s: EPSV refused in the middle of the pipeline", s->host);
			fail = EXIT_NET;
		}
		if (it->pcode < 400) {
			/* a 229/227 we could not use: the server waits for a connection */
			sess_drop(s);
			e = fail;
			goto out;
		}
	}
	if (it->have > 0) {
		if ((e = next_reply(s, r)) != 0)
			goto out;
		if (r->code != 350 && !fail) {
			warn_reply(s, "REST (resume)", r);
			fail = r->code >= 400 ? code_exit(r->code) : EXIT_NET;
		}
	}
	if ((e = next_reply(s, r)) != 0)
		goto out;
	if (r->code != 125 && r->code != 150) {
		if (!fail) {
			warn_reply(s, path, r);
			fail = r->code >= 400 ? code_exit(r->code) : EXIT_NET;
		}
		e = fail;
		goto out;
	}
	if (fail) {
		/* the server starts a transfer we must not take (no data connection, no REST) */
		sess_drop(s);
		e = fail;
		goto out;
	}
	if (size < 0 && it->have == 0 && ftp_parse_150(r->text, r->len, &sz) == 0)
		size = (int64_t)sz;
	/* O_APPEND with -C refuses splice: a plain new file only without it */
	e = recv_data(s, d->fd, it->f.fd, !opt.resume, &got, (uint64_t)it->have, size);
	close_data(d, s->host);
	tot.bytes += got;
	if (e != 0) {
		sess_drop(s);	/* mid-transfer: the control state is unknown now */
		goto out;
	}
	if ((e = next_reply(s, r)) != 0)
		goto out;
	if (r->code != 226 && r->code != 250) {
		warn_reply(s, "transfer failed", r);
		e = r->code >= 400 ? code_exit(r->code) : EXIT_NET;
		goto out;
	}
	if (size >= 0 && (int64_t)got + it->have != size) {
		say("%s: %s: got %lld bytes of %lld; kept %s for -C", s->host, path,
		    (long long)got + it->have, (long long)size, it->f.part);
		e = EXIT_NET;
		goto out;
	}
	/*
	 * The next file's 229 came with this 226: connect now, so that the
	 * server (waiting in accept) goes on while we finish this file.  A
	 * 421 there drops the session, but this file is whole.
	 */
	if (next && !next->dialed && line_waiting(s))
		(void)passive_of(s, r, next);
	if ((e = settle(&it->f, it->f.name, mtime, pend)) != 0)
		goto out;
	done_file(url, it->f.name, got, size, mtime, it->t0);
	return 0;
out:
	close_data(d, s->host);
	if (it->f.fd >= 0) {
		if (got > 0 || it->have > 0)
			fsafe_keep(&it->f);
		else
			fsafe_abort(&it->f);
	}
	tot.failed++;
	js_error(url, "download failed", e);
	return e;
}

/* the files of the jobs, PIPE_DEPTH at a time in flight on one session */
static int
fetch_pipelined(struct sess *s, const char *url, const char *dir, int dirfd,
    const struct entries *es, const uint32_t *jobs, size_t njobs, int jobfd, size_t *k,
    struct pending *pend)
{
	static char wbuf[PIPE_DEPTH * 4400];
	struct inflight *q;
	struct reply *r;
	char path[4200], local[256];
	size_t head = 0, n = 0, wlen, mark, lost;
	uint32_t idx;
	int more = 1, worst = 0, e, was_empty;

	if ((q = tb_malloc(PIPE_DEPTH * sizeof *q)) == NULL || (r = tb_malloc(sizeof *r)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	while (s->up && !tb_interrupted) {
		/* top the pipeline up */
		wlen = 0;
		was_empty = n == 0;
		while (more && n < PIPE_DEPTH) {
			struct inflight *it = &q[(head + n) % PIPE_DEPTH];
			const struct rent *en;

			if (!next_job(jobs, njobs, jobfd, k, &idx)) {
				more = 0;
				break;
			}
			en = &es->v[idx];
			/* names were checked by the walk; copy for the local side */
			if (local_name(RNAME(es, en), en->namelen, local, sizeof local) < 0)
				continue;
			join_path(path, sizeof path, dir, local);
			it->idx = idx;
			it->t0 = tb_now();
			if ((e = open_part(&it->f, dirfd, local, &it->have)) != 0)
				goto failed;
			if (en->size >= 0 && it->have > en->size) {
				say("%s: larger than the remote file (%lld > %lld bytes)",
				    it->f.part, (long long)it->have, (long long)en->size);
				fsafe_keep(&it->f);
				e = EXIT_LOCAL;
				goto failed;
			}
			if (en->size >= 0 && it->have == en->size && it->have > 0) {
				/* nothing left to fetch */
				if ((e = settle(&it->f, local, en->mtime, pend)) != 0)
					goto failed;
				done_file(url, local, 0, en->size, en->mtime, it->t0);
				continue;
			}
			it->verb = opt.epsv && !s->no_ext ? 'E' : 'P';
			it->dialed = 0;
			it->d.fd = it->d.lfd = -1;
			it->d.bg = 1;
			mark = wlen;
			if (queue_cmd(s, wbuf, sizeof wbuf, &wlen, it->verb == 'E' ? "EPSV" : "PASV") < 0 ||
			    (it->have > 0 && queue_cmd(s, wbuf, sizeof wbuf, &wlen, "REST %lld",
			    (long long)it->have) < 0) ||
			    queue_cmd(s, wbuf, sizeof wbuf, &wlen, "RETR %s", path) < 0) {
				wlen = mark;
				fsafe_abort(&it->f);
				e = EXIT_LOCAL;
				goto failed;
			}
			n++;
			continue;
failed:
			worst = exit_worst(worst, e);
			tot.failed++;
			js_error(url, "download failed", e);
		}
		if (wlen > 0) {
			if (was_empty && unsolicited(s, r) != 0)
				break;
			if (conn_write(s->c, wbuf, wlen) < 0) {
				ctl_fail(s, "control connection");
				break;
			}
		}
		if (n == 0)
			break;
		{
			struct inflight *it = &q[head];
			const struct rent *en = &es->v[it->idx];

			join_path(path, sizeof path, dir, it->f.name);
			worst = exit_worst(worst, pipe_one(s, r, url, path, en, it,
			    n > 1 ? &q[(head + 1) % PIPE_DEPTH] : NULL, pend));
		}
		head = (head + 1) % PIPE_DEPTH;
		n--;
		if (pend->n >= 256)
			worst = exit_worst(worst, flush_pending(pend, dirfd));
	}
	/* the session ended (or SIGINT) with files in flight: none of their bytes came */
	if (n > 0) {
		say("%s: %zu file%s in flight not fetched", s->host, n, n == 1 ? "" : "s");
		worst = exit_worst(worst, EXIT_NET);
	}
	for (lost = 0; lost < n; lost++) {
		struct inflight *it = &q[(head + lost) % PIPE_DEPTH];

		close_data(&it->d, s->host);
		fsafe_abort(&it->f);
		tot.failed++;
		js_error(url, "download failed", EXIT_NET);
	}
	tb_free(r);
	tb_free(q);
	return worst;
}

/* fetch the files named by job indices read from jobfd (or all of jobs[] if jobfd < 0) */
static int
fetch_jobs(struct sess *s, const char *url, const char *dir, int dirfd,
    const struct entries *es, const uint32_t *jobs, size_t njobs, int jobfd)
{
	struct pending pend = { 0 };
	char path[4200], local[256];
	uint32_t idx;
	size_t k = 0;
	int e, worst = 0;

	while (!tb_interrupted && s->up) {
		/*
		 * Pipelined once the session has shown which passive command
		 * works (one file the plain way first), in binary passive mode.
		 */
		if (opt.pipeline && !opt.active && !opt.ascii && s->ext_known && s->type == 'I') {
			worst = exit_worst(worst, fetch_pipelined(s, url, dir, dirfd, es, jobs,
			    njobs, jobfd, &k, &pend));
			break;
		}
		if (!next_job(jobs, njobs, jobfd, &k, &idx))
			break;
		const struct rent *en = &es->v[idx];

		/* names were checked by the walk; copy for the local side */
		if (local_name(RNAME(es, en), en->namelen, local, sizeof local) < 0)
			continue;
		join_path(path, sizeof path, dir, local);
		e = fetch(s, url, path, dirfd, local, en->size, en->mtime >= 0 ? en->mtime : -2,
		    &pend);
		worst = exit_worst(worst, e);
		if (pend.n >= 256)
			worst = exit_worst(worst, flush_pending(&pend, dirfd));
	}
	if (!s->up && (jobfd >= 0 ? 0 : k < njobs))
		worst = exit_worst(worst, EXIT_NET);
	worst = exit_worst(worst, flush_pending(&pend, dirfd));
	tb_free(pend.names);
	return worst;
}

/*
 * The files of one directory, over --parallel control connections: the
 * job indices go into a pipe that this process and its workers read
 * four bytes at a time, so a worker that cannot log in leaves its share
 * to the others.  Each worker reports its totals through a pipe.
 */
static int
fetch_files(struct sess *s, const char *url, const char *dir, int dirfd,
    const struct entries *es, const uint32_t *jobs, size_t njobs)
{
	struct result res[16];
	int jp[2], rp[16][2], nw = 0, w, worst, st, i, forwarded = 0;
	pid_t pid[16];

	if (opt.parallel <= 1 || njobs < 8 || njobs > 16000 ||
	    pipe2(jp, O_CLOEXEC | O_NONBLOCK) < 0)
		return fetch_jobs(s, url, dir, dirfd, es, jobs, njobs, -1);
	/*
	 * All the jobs in one write, before any reader: at most 64000
	 * bytes, which a pipe holds unless the user's pipe pages are
	 * rationed (then one connection does it all).  With the write end
	 * closed an empty pipe reads as EOF, O_NONBLOCK or not.
	 */
	if (write(jp[1], jobs, njobs * sizeof *jobs) != (ssize_t)(njobs * sizeof *jobs)) {
		close(jp[0]);
		close(jp[1]);
		return fetch_jobs(s, url, dir, dirfd, es, jobs, njobs, -1);
	}
	close(jp[1]);
	fflush(stdout);
	fflush(stderr);
	for (w = 0; w < opt.parallel - 1 && w < 15; w++) {
		if (pipe2(rp[nw], O_CLOEXEC) < 0)
			break;
		if ((pid[nw] = fork()) < 0) {
			close(rp[nw][0]);
			close(rp[nw][1]);
			break;
		}
		if (pid[nw] == 0) {
			struct sess cs;
			struct result r0 = { tot.transfers, tot.failed, tot.bytes, 0 };
			struct result out = { 0 };

			close(rp[nw][0]);
			close(s->c->rfd);	/* the parent's control connection */
			s->up = 0;
			memset(&cs, 0, sizeof cs);
			if ((cs.c = tb_malloc(sizeof *cs.c)) != NULL && sess_open(&cs, cur_target) == 0) {
				out.exit = fetch_jobs(&cs, url, dir, dirfd, es, NULL, 0, jp[0]);
				sess_quit(&cs);
			}
			out.transfers = tot.transfers - r0.transfers;
			out.failed = tot.failed - r0.failed;
			out.bytes = tot.bytes - r0.bytes;
			(void)tb_write_all(rp[nw][1], &out, sizeof out);
			fflush(stdout);
			fflush(stderr);
			_exit(0);
		}
		close(rp[nw][1]);
		nw++;
	}
	worst = fetch_jobs(s, url, dir, dirfd, es, NULL, 0, jp[0]);
	close(jp[0]);
	if (tb_interrupted) {
		for (i = 0; i < nw; i++)
			kill(pid[i], tb_interrupted);
		forwarded = 1;
	}
	for (w = 0; w < nw; w++) {
		memset(&res[w], 0, sizeof res[w]);
		res[w].exit = EXIT_NET;
		/*
		 * A signal sent to this process alone (kill PID, not the
		 * terminal's process group) goes on to the workers, which
		 * stop within a second as this one did, and report.
		 */
		while (read(rp[w][0], &res[w], sizeof res[w]) < 0 && errno == EINTR)
			if (tb_interrupted && !forwarded) {
				for (i = 0; i < nw; i++)
					kill(pid[i], tb_interrupted);
				forwarded = 1;
			}
		close(rp[w][0]);
		while (waitpid(pid[w], &st, 0) < 0 && errno == EINTR)
			;
		tot.transfers += res[w].transfers;
		tot.failed += res[w].failed;
		tot.bytes += res[w].bytes;
		worst = exit_worst(worst, res[w].exit);
	}
	return worst;
}

/* -r: the names of one listing, for drop_twins (qsort has no context argument) */
static const struct entries *twin_es;

static int
twin_cmp(const void *a, const void *b)
{
	uint32_t ia = *(const uint32_t *)a, ib = *(const uint32_t *)b;
	const struct rent *x = &twin_es->v[ia], *y = &twin_es->v[ib];
	size_t n = x->namelen < y->namelen ? x->namelen : y->namelen;
	int c = memcmp(RNAME(twin_es, x), RNAME(twin_es, y), n);

	if (c != 0)
		return c;
	if (x->namelen != y->namelen)
		return x->namelen < y->namelen ? -1 : 1;
	return ia < ib ? -1 : ia > ib;	/* the first in the listing first */
}

/*
 * A listing that names one entry twice (a file twice, or a file and a
 * directory): both would be written to one local name, the second over
 * the first.  The first in the listing is kept, the others refused:
 * idx[0..n) are the entries with safe names; the refused ones get type
 * -1.  0, or EXIT_NET if there was a twin.
 */
static int
drop_twins(struct sess *s, struct entries *es, uint32_t *idx, size_t n)
{
	char esc[300];
	size_t i;
	int e = 0;

	twin_es = es;
	qsort(idx, n, sizeof *idx, twin_cmp);
	for (i = 1; i < n; i++) {
		struct rent *a = &es->v[idx[i - 1]], *b = &es->v[idx[i]];

		if (a->namelen != b->namelen || memcmp(RNAME(es, a), RNAME(es, b), a->namelen) != 0)
			continue;
		tb_escape_buf(esc, sizeof esc, RNAME(es, b), b->namelen > 200 ? 200 : b->namelen);
		say("%s: %s: listed twice; only the first entry is fetched", s->host, esc);
		b->type = -1;
		e = EXIT_NET;
	}
	return e;
}

/* -r: mirror dir into dirfd: the files first (perhaps in parallel), then the subdirectories */
static int
mirror(struct sess *s, const char *url, const char *dir, int dirfd, int depth)
{
	struct entries es = { 0 };
	uint32_t *jobs = NULL;
	size_t i, njobs = 0;
	char path[4200], local[256], esc[300];
	int e, mode, worst = 0, sub;

	if (depth > MAXDEPTH) {
		say("%s: %s: deeper than %d levels; not followed", s->host, dir, MAXDEPTH);
		return EXIT_NET;
	}
	if ((e = list_mode(s, &mode)) != 0)
		return e;
	if (mode != 'M')
		mode = 'L';
	if ((e = list_dir(s, url, dir, mode, &es)) != 0 && es.n == 0) {
		entries_free(&es);
		return e;
	}
	worst = e;
	if (es.n && (jobs = tb_malloc(es.n * sizeof *jobs)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	for (i = 0; i < es.n; i++) {
		struct rent *en = &es.v[i];

		if (local_name(RNAME(&es, en), en->namelen, local, sizeof local) < 0) {
			tb_escape_buf(esc, sizeof esc, RNAME(&es, en), en->namelen > 200 ? 200 : en->namelen);
			if (fsafe_reserved(RNAME(&es, en), en->namelen))
				say("%s: refusing reserved name from the server (" FSAFE_PREFIX
				    "... is for partial files): %s", s->host, esc);
			else
				say("%s: refusing unsafe name from the server: %s", s->host, esc);
			worst = exit_worst(worst, EXIT_NET);
			en->type = -1;
			continue;
		}
		jobs[njobs++] = (uint32_t)i;
	}
	worst = exit_worst(worst, drop_twins(s, &es, jobs, njobs));
	for (i = njobs = 0; i < es.n; i++) {
		struct rent *en = &es.v[i];

		if (en->type == FTP_T_FILE)
			jobs[njobs++] = (uint32_t)i;
		else if (en->type != FTP_T_DIR && en->type != -1 && opt.verbose &&
		    local_name(RNAME(&es, en), en->namelen, local, sizeof local) == 0)
			say("%s: skipping %s (%s)", s->host, local, ftp_type_name(en->type));
	}
	if (njobs)
		worst = exit_worst(worst, fetch_files(s, url, dir, dirfd, &es, jobs, njobs));
	for (i = 0; i < es.n && !tb_interrupted && s->up; i++) {
		struct rent *en = &es.v[i];

		if (en->type != FTP_T_DIR ||
		    local_name(RNAME(&es, en), en->namelen, local, sizeof local) < 0)
			continue;
		snprintf(path, sizeof path, "%s%s%s", dir,
		    dir[0] && dir[strlen(dir) - 1] != '/' ? "/" : "", local);
		if (mkdirat(dirfd, local, 0755) < 0 && errno != EEXIST) {
			say("%s: %s", local, strerror(errno));
			worst = exit_worst(worst, EXIT_LOCAL);
			continue;
		}
		sub = openat(dirfd, local, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0) {
			say("%s: %s", local, strerror(errno));
			worst = exit_worst(worst, EXIT_LOCAL);
			continue;
		}
		worst = exit_worst(worst, mirror(s, url, path, sub, depth + 1));
		close(sub);
	}
	if (!s->up)
		worst = exit_worst(worst, EXIT_NET);
	tb_free(jobs);
	entries_free(&es);
	return worst;
}

/* --- uploads ------------------------------------------------------------- */

static int
send_data(struct sess *s, int fd, int in, uint64_t *sent)
{
	int64_t last = tb_now();
	ssize_t n, w;
	size_t off;

	for (;;) {
		n = read(in, dbuf, DATABUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			say("%s: %s", opt.upload, strerror(errno));
			return EXIT_LOCAL;
		}
		if (n == 0)
			return 0;
		for (off = 0; off < (size_t)n;) {
			w = send(fd, dbuf + off, (size_t)n - off, MSG_NOSIGNAL);
			if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
				int r = data_wait(fd, POLLOUT, &last);

				if (r <= 0) {
					say("%s: data connection: %s", s->host,
					    r < 0 ? "interrupted" : "timed out");
					return EXIT_NET;
				}
				continue;
			}
			if (w < 0) {
				say("%s: data connection: %s", s->host, strerror(errno));
				return EXIT_NET;
			}
			off += (size_t)w;
			*sent += (uint64_t)w;
			last = tb_now();
		}
		show_progress(*sent, -1, 0);
	}
}

static int
upload(struct sess *s, const struct target *t)
{
	struct reply *r;
	struct data d = { -1, -1, 0 };
	struct stat st;
	char path[4200];
	uint64_t sent = 0, sz = 0;
	int64_t t0 = tb_now();
	int in, e, append = 0;

	if (strcmp(opt.upload, "-") == 0)
		in = STDIN_FILENO;
	else if ((in = open(opt.upload, O_RDONLY | O_CLOEXEC)) < 0) {
		say("%s: %s", opt.upload, strerror(errno));
		return EXIT_LOCAL;
	}
	if ((r = tb_malloc(sizeof *r)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	if (t->dir)
		snprintf(path, sizeof path, "%s%s", t->path, base_name(opt.upload));
	else
		snprintf(path, sizeof path, "%s", t->path);
	if ((e = set_type(s, r, opt.ascii ? 'A' : 'I')) != 0)
		goto out;
	if (opt.resume) {
		if ((e = cmd(s, r, "SIZE %s", path)) != 0)
			goto out;
		if (r->code == 213 && ftp_parse_size(r->text, r->len, &sz) == 0 && sz > 0) {
			if (fstat(in, &st) < 0 || !S_ISREG(st.st_mode) ||
			    lseek(in, (off_t)sz, SEEK_SET) < 0) {
				say("%s: cannot resume from byte %llu", opt.upload,
				    (unsigned long long)sz);
				e = EXIT_LOCAL;
				goto out;
			}
			append = 1;
		}
	}
	if ((e = open_data(s, r, &d)) != 0)
		goto out;
	if ((e = cmd(s, r, "%s %s", append ? "APPE" : "STOR", path)) != 0)
		goto out;
	if (r->code != 125 && r->code != 150) {
		warn_reply(s, append ? "APPE" : "STOR", r);
		e = r->code >= 400 ? code_exit(r->code) : EXIT_NET;
		goto out;
	}
	if ((e = accept_data(s, &d)) != 0)
		goto out;
	e = send_data(s, d.fd, in, &sent);
	show_progress(sent, -1, 1);
	close_data(&d, s->host);
	tot.bytes += sent;
	if (e) {
		sess_drop(s);
		goto out;
	}
	if ((e = next_reply(s, r)) != 0)
		goto out;
	if (r->code != 226 && r->code != 250) {
		warn_reply(s, "upload failed", r);
		e = r->code >= 400 ? code_exit(r->code) : EXIT_NET;
		goto out;
	}
	tot.transfers++;
	js_transfer(t->url, append ? "append" : "upload", opt.upload, sent, -1, -1,
	    tb_now() - t0, 1);
out:
	close_data(&d, s->host);
	if (in != STDIN_FILENO)
		close(in);
	if (e) {
		tot.failed++;
		js_error(t->url, "upload failed", e);
	}
	tb_free(r);
	return e;
}

/* --- one URL ------------------------------------------------------------ */

static int
do_target(struct sess *s, const struct target *t)
{
	char local[256];
	int e, mode;

	if (s->up && (strcmp(s->host, t->host) != 0 || s->port != t->port ||
	    strcmp(s->user, t->user) != 0))
		sess_quit(s);
	if (!s->up && (e = sess_open(s, t)) != 0) {
		tot.failed++;
		js_error(t->url, "connection or login failed", e);
		return e;
	}
	if (opt.upload)
		return upload(s, t);
	if (t->dir) {
		if (opt.mirror)
			return mirror(s, t->url, t->path, AT_FDCWD, 0);
		if ((e = list_mode(s, &mode)) != 0)
			return e;
		return list_dir(s, t->url, t->path, mode, NULL);
	}
	if (opt.out && strcmp(opt.out, "-") != 0) {
		struct stat st;

		/*
		 * -o /dev/null, a FIFO, a terminal: written as it is.  FILE.part
		 * and rename are for regular files; renamed over a device they
		 * would replace it (as root, /dev/null itself).
		 */
		if (stat(opt.out, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
			if (opt.resume) {
				say("-C: %s is not a regular file", opt.out);
				return EXIT_LOCAL;
			}
			if (out_dev < 0 && (out_dev = open(opt.out, O_WRONLY | O_CLOEXEC)) < 0) {
				say("%s: %s", opt.out, strerror(errno));
				return EXIT_LOCAL;
			}
			return fetch(s, t->url, t->path, AT_FDCWD, NULL, -1, -1, NULL);
		}
		return fetch(s, t->url, t->path, AT_FDCWD, opt.out, -1, -1, NULL);
	}
	if (opt.remote_name) {
		const char *b = base_name(t->path);

		if (local_name(b, strlen(b), local, sizeof local) < 0) {
			say("%s: no usable local name in the URL (give -o)", t->url);
			return EXIT_LOCAL;
		}
		return fetch(s, t->url, t->path, AT_FDCWD, local, -1, -1, NULL);
	}
	return fetch(s, t->url, t->path, AT_FDCWD, NULL, -1, -1, NULL);
}

static int
read_targets(char ***list, int *n)
{
	static char line[8192];
	int cap = 0;

	*list = NULL;
	*n = 0;
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0])
			continue;
		if (*n == cap) {
			char **v = tb_realloc(*list, (size_t)(cap = cap ? cap * 2 : 16) * sizeof *v);

			if (v == NULL)
				tb_die(EXIT_LOCAL, "out of memory");
			*list = v;
		}
		if (((*list)[(*n)++] = tb_strdup(line)) == NULL)
			tb_die(EXIT_LOCAL, "out of memory");
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "active", no_argument, NULL, 'P' },
		{ "epsv", no_argument, NULL, 1 },
		{ "no-epsv", no_argument, NULL, 2 },
		{ "password-file", required_argument, NULL, 3 },
		{ "parallel", required_argument, NULL, 4 },
		{ "no-pipeline", no_argument, NULL, 5 },
		{ "json", no_argument, NULL, 'j' },
		{ "layers", no_argument, NULL, 'X' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct sess s;
	struct target t;
	char **targets, **fromstdin = NULL;
	const char *err;
	int c, i, ntargets, nstdin = 0, e;
	int64_t usec;

	tb_init(argv[0]);
	argv[0] = (char *)tb_prog;	/* getopt's one line reads "NAME: ..." */
	while ((c = getopt_long(argc, argv, "46aCjlLo:OPrsT:u:vVw:W:Xh", lo, NULL)) != -1) {
		switch (c) {
		case '4': opt.family = AF_INET; break;
		case '6': opt.family = AF_INET6; break;
		case 'a': opt.ascii = 1; break;
		case 'C': opt.resume = 1; break;
		case 'j': opt.json = 1; break;
		case 'l': opt.raw_list = 1; break;
		case 'L': opt.names = 1; break;
		case 'o': opt.out = optarg; break;
		case 'O': opt.remote_name = 1; break;
		case 'P': opt.active = 1; break;
		case 'r': opt.mirror = 1; break;
		case 's': opt.silent = 1; break;
		case 'T': opt.upload = optarg; break;
		case 'u': opt.user = optarg; break;
		case 'v': opt.verbose = 1; break;
		case 'X': opt.layers = 1; break;
		case 1: opt.epsv = 1; break;
		case 2: opt.epsv = 0; break;
		case 3: opt.pwfile = optarg; break;
		case 5: opt.pipeline = 0; break;
		case 4: {
			long long v;

			if (tb_num(optarg, 1, 16, &v) < 0)
				tb_usage_error("bad --parallel (1..16): %s", optarg);
			opt.parallel = (int)v;
			break;
		}
		case 'w':
			if (tb_secs(optarg, 86400 * 365, &usec) < 0 || usec == 0)
				tb_usage_error("bad deadline: %s", optarg);
			opt.deadline = tb_now() + usec;
			break;
		case 'W':
			if (tb_secs(optarg, 86400, &usec) < 0 || usec == 0)
				tb_usage_error("bad idle time: %s", optarg);
			opt.idle = usec;
			break;
		case 'h':
			usage();
			tb_exit(EXIT_OK);
		case 'V':
			printf("ftpget (tubes) %s\n", TUBES_VERSION);
			tb_exit(EXIT_OK);
		default:
			tb_bad_option();
		}
	}
	targets = argv + optind;
	ntargets = argc - optind;
	if (ntargets == 0)
		tb_usage_error("no URL given");
	if (ntargets == 1 && strcmp(targets[0], "-") == 0) {
		read_targets(&fromstdin, &nstdin);
		targets = fromstdin;
		ntargets = nstdin;
	}
	if (opt.out && opt.remote_name)
		tb_usage_error("-o and -O exclude each other");
	if (opt.out && strcmp(opt.out, "-") != 0 && fsafe_reserved(base_name(opt.out),
	    strlen(base_name(opt.out))))
		tb_usage_error("-o %s: a name of the form " FSAFE_PREFIX "... is reserved for "
		    "partial files", opt.out);
	if (opt.out && ntargets > 1)
		tb_usage_error("-o names one file; give one URL (or use -O)");
	if (opt.raw_list + opt.names + opt.mirror > 1)
		tb_usage_error("-l, -L and -r exclude each other");
	if (opt.upload && (opt.out || opt.remote_name || opt.mirror || opt.raw_list || opt.names))
		tb_usage_error("-T uploads; it takes none of -o -O -r -l -L");
	if (opt.user && !ftp_arg_ok(opt.user))
		tb_usage_error("CR or LF in the user name");
	/* check every URL before the first connection */
	for (i = 0; i < ntargets; i++) {
		if ((err = parse_url(targets[i], &t)) != NULL)
			tb_usage_error("%s: %s", targets[i], err);
		if (opt.upload && t.dir && strcmp(opt.upload, "-") == 0)
			tb_usage_error("%s: -T - needs a file name in the URL", targets[i]);
		if (!opt.upload && !t.dir && opt.mirror)
			tb_usage_error("%s: -r needs a directory URL (ending in /)", targets[i]);
		if (!opt.upload && !t.dir && opt.json && (!opt.out || strcmp(opt.out, "-") == 0) &&
		    !opt.remote_name)
			tb_usage_error("-j writes JSON on stdout: give -o or -O for files");
		if (!opt.upload && !t.dir && opt.resume && (!opt.out || strcmp(opt.out, "-") == 0) &&
		    !opt.remote_name)
			tb_usage_error("-C resumes a file: give -o or -O");
		if (!opt.upload && !t.dir && opt.remote_name) {
			const char *b = base_name(t.path);
			char local[256];

			if (local_name(b, strlen(b), local, sizeof local) < 0)
				tb_usage_error("%s: no usable local name in the URL (give -o)%s",
				    targets[i], fsafe_reserved(b, strlen(b)) ?
				    ": " FSAFE_PREFIX "... is for partial files" : "");
		}
	}
	/*
	 * The password of the first login that needs one, found now: one
	 * with a CR or LF is refused before the first packet (FTP-16), and
	 * FTPGET_PASSWORD leaves the environment at once.  One not found
	 * is looked for again if the server asks (some never do).
	 */
	for (i = 0; i < ntargets && !saved.have; i++) {
		const char *user, *why;

		parse_url(targets[i], &t);
		user = t.user[0] ? t.user : opt.user ? opt.user : "anonymous";
		if (strcmp(user, "anonymous") == 0 || strcmp(user, "ftp") == 0)
			continue;
		if (tb_password(opt.pwfile, t.host, user, "FTPGET_PASSWORD", saved.pw,
		    sizeof saved.pw, &why) < 0) {
			/* none at all: perhaps the server never asks */
			if (strncmp(why, "no password", 11) == 0)
				break;
			tb_die(EXIT_LOCAL, "%s: password for %s: %s", t.host, user, why);
		}
		if (!ftp_arg_ok(saved.pw)) {
			explicit_bzero(&saved, sizeof saved);
			tb_die(EXIT_LOCAL, "%s: password for %s: a CR or LF in it", t.host, user);
		}
		snprintf(saved.host, sizeof saved.host, "%s", t.host);
		snprintf(saved.user, sizeof saved.user, "%s", user);
		saved.have = 1;
	}
	progress = !opt.silent && !opt.json && isatty(STDERR_FILENO);
	lv.fp = stderr;
	if (opt.layers)
		dns_resolver_layers(&lv);	/* the DNS packets of the lookups, too */
	tb_catch_signals();
	signal(SIGPIPE, SIG_IGN);
	memset(&s, 0, sizeof s);
	if ((s.c = tb_malloc(sizeof *s.c)) == NULL || (dbuf = tb_malloc(DATABUF)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	for (i = 0; i < ntargets && !tb_interrupted; i++) {
		parse_url(targets[i], &t);
		cur_target = &t;
		e = do_target(&s, &t);
		tot.exit = exit_worst(tot.exit, e);
		if (e == EXIT_LOCAL && errno == EPIPE)
			break;
	}
	if (tb_interrupted) {
		tot.exit = exit_worst(tot.exit, EXIT_NET);
		tb_warn("interrupted");
	}
	sess_quit(&s);
	if (opt.json) {
		struct json j;

		js_begin(&j, stdout, "summary");
		js_int(&j, "transfers", tot.transfers);
		js_int(&j, "entries", tot.entries);
		js_int(&j, "failed", tot.failed);
		js_int(&j, "bytes", (long long)tot.bytes);
		js_int(&j, "exit", tot.exit);
		js_end(&j);
	}
	explicit_bzero(&saved, sizeof saved);
	for (i = 0; i < nstdin; i++)
		tb_free(fromstdin[i]);
	tb_free(fromstdin);
	tb_free(dbuf);
	tb_free(s.c);
	tb_exit(tot.exit);
}
