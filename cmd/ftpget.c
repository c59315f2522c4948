/*
 * ftpget - FTP download (and upload): a control connection and a data
 * connection per transfer, passive (EPSV, then PASV) or active (EPRT,
 * then PORT).  RFC 959, 2428, 3659, 1123.
 *
 * The conversation is lib/session/ftpsess.c; this file holds the
 * options, the order of the work (one URL, a listing, a mirror over
 * --parallel connections, an upload), the local files and the output.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dnsnet.h"
#include "fsafe.h"
#include "ftp.h"
#include "ftpsess.h"
#include "lines.h"
#include "progress.h"
#include "ftplist.h"
#include "tubes.h"
#include "url.h"
#include "view.h"
#include "workers.h"

#define USAGE \
	"usage: ftpget [-o file|-O] [-C] [-l] [-L] [-r] [-T file] [-a] [-P|--active]\n" \
	"              [--epsv|--no-epsv] [--parallel n] [--no-pipeline] [-u user]\n" \
	"              [--password-file file] [-w deadline] [-W idle] [-4|-6] [-s] [-v]\n" \
	"              [-j] [-X] ftp://[user@]host[:port]/path...\n"

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

static void
report(const char *msg)
{
	snprintf(last_why, sizeof last_why, "%s", msg);
	tb_warn("%s", last_why);
}

static void __attribute__((format(printf, 1, 2)))
say(const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	report(msg);
}

/* the one progress meter (lib/sys/progress.h): the transfer under way */
static struct progress pm;
static uint64_t pm_base;	/* bytes there before it (-C) */

static void
meter(const char *label, uint64_t base, int64_t size)
{
	pm_base = base;
	progress_start(&pm, label, base, size > 0 ? (uint64_t)size : 0, opt.silent || opt.json);
}

static void
show_progress(uint64_t bytes, int done)
{
	progress_update(&pm, pm_base + bytes);
	if (done)
		progress_end(&pm);
}

/* one URL */
struct target {
	char user[256];
	char host[256];
	uint16_t port;
	char path[4096];	/* decoded, no leading '/' (relative to the login directory) */
	int dir;		/* ends in '/' */
	const char *url;
};

/* totals for the summary */
static struct {
	long transfers, entries, failed;
	uint64_t bytes;
	int exit;
} tot;

/* the user a target logs in as */
static const char *
login_user(const struct target *t)
{
	return t->user[0] ? t->user : opt.user ? opt.user : "anonymous";
}

/* a session with the options' settings, over c */
static void
sess_init(struct ftps *s, struct conn *c)
{
	ftps_init(s, c);
	s->family = opt.family;
	s->epsv = opt.epsv;
	s->active = opt.active;
	s->ascii = opt.ascii;
	s->tcpinfo = opt.verbose || opt.layers;
	s->transcript = opt.verbose ? stderr : NULL;
	s->lv = opt.layers ? &lv : NULL;
	s->idle = opt.idle;
	s->deadline = opt.deadline;
	s->pwfile = opt.pwfile;
	s->report = report;
	s->progress = show_progress;
}

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
	    "  -h, --help         this help\n"
	    "  -V, --version      print the version\n", stdout);
}

/* --- URLs ----------------------------------------------------------------- */

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
	if (url_pct_decode(u.path + 1, pl, t->path, sizeof t->path) < 0)
		return "bad path (CR, LF, NUL or another control byte, or a bad %-escape)";
	t->dir = t->path[0] == '\0' || t->path[strlen(t->path) - 1] == '/';
	return NULL;
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

/* one download under way */
struct xfer {
	const char *url, *path, *local;	/* local NULL: stdout (or out_dev) */
	struct fsafe f;
	struct ftpdata d;
	int out;
	uint64_t got;
	off_t have;		/* bytes in the .part already (-C) */
	int64_t size, mtime, t0;
};

/* TYPE, SIZE and MDTM before a RETR: at once (ftps_ask), or one at a time */
static int
ask(struct ftps *s, struct reply *r, struct xfer *x, int verb)
{
	int64_t *mt = x->local && x->mtime == -1 ? &x->mtime : NULL;	/* -2: do not ask */
	int64_t known = 0;
	int e;

	if (opt.pipeline)
		return ftps_ask(s, r, x->path, &x->size, mt, verb);
	if ((e = ftps_type(s, r, opt.ascii ? 'A' : 'I')) != 0 ||
	    (e = ftps_ask(s, r, x->path, &x->size, NULL, 0)) != 0)
		return e;
	return mt ? ftps_ask(s, r, x->path, &known, mt, 0) : 0;
}

/*
 * The network side of a download: the data connection and RETR (or
 * their replies, when ftps_ask sent them ahead with verb), the data into
 * x->out, the final reply.  0, or an exit status after saying why.
 */
static int
retr(struct ftps *s, struct reply *r, struct xfer *x, int verb)
{
	uint64_t sz;
	int e;

	if ((e = ftps_retr(s, r, &x->d, verb, x->have, x->path)) != 0)
		return e;
	if (x->size < 0 && !opt.ascii && x->have == 0 && ftp_parse_150(r->text, r->len, &sz) == 0)
		x->size = (int64_t)sz;	/* no SIZE, but the 150 said how much */
	meter(x->local ? x->local : base_name(x->path), (uint64_t)x->have, x->size);
	e = ftps_recv(s, &x->d, x->out, 0, &x->got);
	ftps_data_close(s, &x->d);
	tot.bytes += x->got;
	if (e != 0) {
		ftps_drop(s);	/* mid-transfer: the control state is unknown now */
		return e;
	}
	/* the final reply: 226/250 success, anything else a failure (FTP-06) */
	if ((e = ftps_xfer_end(s, r, "transfer failed")) != 0)
		return e;
	if (x->size >= 0 && (int64_t)x->got + x->have != x->size) {
		say("%s: %s: got %lld bytes of %lld%s%s%s", s->host, x->path,
		    (long long)x->got + x->have, (long long)x->size,
		    x->local ? "; kept " : "", x->local ? x->f.part : "", x->local ? " for -C" : "");
		return EXIT_NET;
	}
	return 0;
}

/*
 * RETR path into dirfd/local (local NULL: stdout).  known_size and
 * known_mtime come from a listing (-r) or are -1 to ask SIZE and MDTM
 * (mtime -2: do not ask).  defer: -r's batch of renames, or NULL.
 */
static int
fetch(struct ftps *s, const char *url, const char *path, int dirfd, const char *local,
    int64_t known_size, int64_t known_mtime, struct pending *defer)
{
	struct xfer x = { url, path, local, .d = FTPDATA_INIT,
	    .out = out_dev >= 0 ? out_dev : STDOUT_FILENO, .size = known_size,
	    .mtime = known_mtime, .t0 = tb_now() };
	struct reply *r;
	int e, verb = 0;

	if ((r = tb_malloc(sizeof *r)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	x.f.fd = -1;
	last_why[0] = '\0';
	/*
	 * Once the session has shown which passive command works (an
	 * earlier URL or listing) and is in binary mode: EPSV (or PASV) and
	 * RETR go with SIZE and MDTM, one round trip for the file.  Not for
	 * -C: REST needs the .part's size first.
	 */
	if (opt.pipeline && s->ext_known && s->type == 'I' && !opt.ascii && !opt.active &&
	    !opt.resume)
		verb = s->no_ext || !opt.epsv ? 'P' : 'E';
	e = ask(s, r, &x, verb);
	if (e == 0 && local && (e = open_part(&x.f, dirfd, local, &x.have)) != 0 && verb)
		ftps_drop(s);	/* EPSV and RETR sent: their replies out of step */
	if (e == 0 && local && x.size >= 0 && x.have > x.size) {
		say("%s: larger than the remote file (%lld > %lld bytes)",
		    x.f.part, (long long)x.have, (long long)x.size);
		e = EXIT_LOCAL;
	}
	if (local)
		x.out = x.f.fd;
	fflush(stdout);
	/* nothing left to fetch when the .part is whole already */
	if (e == 0 && !(local && x.size >= 0 && x.have == x.size && x.have > 0))
		e = retr(s, r, &x, verb);
	if (e == 0 && local)
		e = settle(&x.f, local, x.mtime, defer);
	if (e == 0)
		done_file(url, local, x.got, x.size, x.mtime, x.t0);
	ftps_data_close(s, &x.d);
	if (x.f.fd >= 0) {
		/* a short or failed transfer keeps what it got, for -C */
		if (x.got > 0 || x.have > 0)
			fsafe_keep(&x.f);
		else
			fsafe_abort(&x.f);
	}
	if (e) {
		tot.failed++;
		js_error(url, "download failed", e);
	}
	tb_free(r);
	return e;
}

/* --- listings -------------------------------------------------------------- */

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

/* one line of a raw (-l) or names (-L) listing */
static void
print_line(const char *url, int mode, const char *line, size_t n)
{
	tot.entries++;
	if (opt.json) {
		struct json j;

		js_begin(&j, stdout, mode == 'l' ? "list_line" : "name");
		js_str(&j, "url", url);
		js_strn(&j, "text", line, n);
		js_end(&j);
		return;
	}
	tb_escape(stdout, line, n, 1);
	fputc('\n', stdout);
}

struct listing {
	const char *url;
	int mode;
};

static int
list_print(void *arg, const char *line, size_t n, const struct ftp_entry *en)
{
	const struct listing *l = arg;

	if (en)
		print_entry(en, l->url);
	else
		print_line(l->url, l->mode, line, n);
	return 0;
}

/* list dir: mode 'M' MLSD, 'L' LIST parsed, 'l' LIST raw, 'N' NLST */
static int
list_dir(struct ftps *s, const char *url, const char *dir, int mode)
{
	struct listing l = { url, mode };
	struct reply *r;
	int e;

	if ((r = tb_malloc(sizeof *r)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	e = ftps_list(s, r, dir, mode, list_print, &l);
	tb_free(r);
	if (e) {
		tot.failed++;
		js_error(url, "listing failed", e);
	}
	return e;
}

static int
list_mode(struct ftps *s, int *mode)
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
	if ((e = ftps_feat(s)) != 0)
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

/* dir/name into out */
static void
join_path(char *out, size_t cap, const char *dir, const char *name)
{
	snprintf(out, cap, "%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] != '/' ? "/" : "", name);
}

static int mirror(struct ftps *, const char *, const char *, int, int);

/*
 * -r pipelining: the commands for the next files (EPSV or PASV, REST
 * when resuming, RETR) go out before the replies to the current one
 * come back; an RFC 959 server reads and answers them in order, so it
 * never waits for us between files.  One file in flight: its
 * NAME.part is open, its commands sent, its replies not all read.
 */
#define PIPE_DEPTH 4
struct inflight {
	struct ftp_rec rec;
	struct ftps_ahead a;	/* its commands, replies and data connection */
	off_t have;		/* bytes already in the .part (-C) */
	int64_t t0;
	struct fsafe f;
};

/* the file at the head of the pipeline: its replies, its data, its end */
static int
pipe_one(struct ftps *s, struct reply *r, const char *url, const char *path,
    struct inflight *it, struct inflight *next, struct pending *pend)
{
	uint64_t got = 0, sz;
	int64_t size = it->rec.size, mtime = it->rec.mtime >= 0 ? it->rec.mtime : -1;
	int e;

	last_why[0] = '\0';
	if ((e = ftps_ahead_start(s, r, &it->a, path)) == 0) {
		if (size < 0 && it->have == 0 && ftp_parse_150(r->text, r->len, &sz) == 0)
			size = (int64_t)sz;
		meter(it->f.name, (uint64_t)it->have, size);
		/* O_APPEND with -C refuses splice: a plain new file only without it */
		e = ftps_recv(s, &it->a.d, it->f.fd, !opt.resume, &got);
		ftps_data_close(s, &it->a.d);
		tot.bytes += got;
		if (e != 0)
			ftps_drop(s);	/* mid-transfer: the control state is unknown now */
		else
			e = ftps_xfer_end(s, r, "transfer failed");
	}
	if (e == 0 && size >= 0 && (int64_t)got + it->have != size) {
		say("%s: %s: got %lld bytes of %lld; kept %s for -C", s->host, path,
		    (long long)got + it->have, (long long)size, it->f.part);
		e = EXIT_NET;
	}
	/*
	 * The next file's 229 came with this 226: connect now, so that the
	 * server (waiting in accept) goes on while we finish this file.  A
	 * 421 there drops the session, but this file is whole.
	 */
	if (e == 0 && next)
		ftps_ahead_dial(s, r, &next->a);
	if (e == 0 && (e = settle(&it->f, it->f.name, mtime, pend)) == 0) {
		done_file(url, it->f.name, got, size, mtime, it->t0);
		return 0;
	}
	ftps_data_close(s, &it->a.d);
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

/*
 * Put one file in flight: its .part opened, its commands queued in
 * wbuf.  1 queued; 0 nothing to fetch (done, or failed and counted).
 */
static int
pipe_add(struct ftps *s, const char *url, const char *dir, int dirfd, struct inflight *it,
    char *wbuf, size_t cap, size_t *wlen, struct pending *pend, int *worst)
{
	const struct ftp_rec *en = &it->rec;
	char path[4200];
	int e;

	join_path(path, sizeof path, dir, en->name);
	it->t0 = tb_now();
	if ((e = open_part(&it->f, dirfd, en->name, &it->have)) == 0 && en->size >= 0 &&
	    it->have > en->size) {
		say("%s: larger than the remote file (%lld > %lld bytes)",
		    it->f.part, (long long)it->have, (long long)en->size);
		fsafe_keep(&it->f);
		e = EXIT_LOCAL;
	}
	if (e == 0 && en->size >= 0 && it->have == en->size && it->have > 0) {
		/* nothing left to fetch */
		if ((e = settle(&it->f, en->name, en->mtime, pend)) == 0) {
			done_file(url, en->name, 0, en->size, en->mtime, it->t0);
			return 0;
		}
	}
	if (e == 0) {
		if (ftps_ahead_queue(s, &it->a, it->have, path, wbuf, cap, wlen) == 0)
			return 1;
		fsafe_abort(&it->f);
		e = EXIT_LOCAL;
	}
	*worst = exit_worst(*worst, e);
	tot.failed++;
	js_error(url, "download failed", e);
	return 0;
}

/* the files of the walk, PIPE_DEPTH at a time in flight on one session */
static int
fetch_pipelined(struct ftps *s, const char *url, const char *dir, int dirfd,
    struct ftplist *w, struct pending *pend)
{
	static char wbuf[PIPE_DEPTH * 4400];
	struct inflight *q, *it;
	struct reply *r;
	char path[4200];
	size_t head = 0, n = 0, wlen, lost;
	int more = 1, worst = 0;

	if ((q = tb_malloc(PIPE_DEPTH * sizeof *q)) == NULL || (r = tb_malloc(sizeof *r)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	while (s->up && !tb_interrupted) {
		/* top the pipeline up */
		wlen = 0;
		while (more && n < PIPE_DEPTH) {
			it = &q[(head + n) % PIPE_DEPTH];
			if (!ftplist_next(w, &it->rec))
				more = 0;
			else
				n += (size_t)pipe_add(s, url, dir, dirfd, it, wbuf, sizeof wbuf, &wlen,
				    pend, &worst);
		}
		if (wlen > 0 && ftps_send(s, wbuf, wlen) != 0)
			break;
		if (n == 0)
			break;
		it = &q[head];
		join_path(path, sizeof path, dir, it->f.name);
		worst = exit_worst(worst, pipe_one(s, r, url, path, it,
		    n > 1 ? &q[(head + 1) % PIPE_DEPTH] : NULL, pend));
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
		it = &q[(head + lost) % PIPE_DEPTH];
		ftps_data_close(s, &it->a.d);
		fsafe_abort(&it->f);
		tot.failed++;
		js_error(url, "download failed", EXIT_NET);
	}
	tb_free(r);
	tb_free(q);
	return worst;
}

/* fetch the files of the walk that no other process takes first */
static int
fetch_jobs(struct ftps *s, const char *url, const char *dir, int dirfd, struct ftplist *w)
{
	struct pending pend = { 0 };
	struct ftp_rec rec;
	char path[4200];
	int worst = 0;

	while (!tb_interrupted && s->up) {
		/*
		 * Pipelined once the session has shown which passive command
		 * works (one file the plain way first), in binary passive mode.
		 */
		if (opt.pipeline && !opt.active && !opt.ascii && s->ext_known && s->type == 'I') {
			worst = exit_worst(worst, fetch_pipelined(s, url, dir, dirfd, w, &pend));
			break;
		}
		if (!ftplist_next(w, &rec))
			break;
		join_path(path, sizeof path, dir, rec.name);
		worst = exit_worst(worst, fetch(s, url, path, dirfd, rec.name, rec.size,
		    rec.mtime >= 0 ? rec.mtime : -2, &pend));
		if (pend.n >= 256)
			worst = exit_worst(worst, flush_pending(&pend, dirfd));
	}
	if (!s->up && !ftplist_done(w))
		worst = exit_worst(worst, EXIT_NET);
	worst = exit_worst(worst, flush_pending(&pend, dirfd));
	tb_free(pend.names);
	return worst;
}

/* what a --parallel worker does: the directory's files, on a login of its own */
struct job {
	struct ftps *parent;
	const char *url, *dir;
	int dirfd;
	struct ftplist *w;
};

static void
worker(void *arg, void *out)
{
	struct job *j = arg;
	struct result *res = out;
	struct result r0 = { tot.transfers, tot.failed, tot.bytes, 0 };
	struct ftps cs;
	struct conn *c;

	close(j->parent->c->rfd);	/* the parent's control connection */
	j->parent->up = 0;
	if ((c = tb_malloc(sizeof *c)) != NULL) {
		sess_init(&cs, c);
		if (ftps_open(&cs, cur_target->host, cur_target->port, login_user(cur_target)) == 0) {
			res->exit = fetch_jobs(&cs, j->url, j->dir, j->dirfd, j->w);
			ftps_quit(&cs);
		}
	}
	res->transfers = tot.transfers - r0.transfers;
	res->failed = tot.failed - r0.failed;
	res->bytes = tot.bytes - r0.bytes;
}

/* a worker's totals into ours */
static void
add_result(void *worst, const void *r)
{
	const struct result *res = r;

	tot.transfers += res->transfers;
	tot.failed += res->failed;
	tot.bytes += res->bytes;
	*(int *)worst = exit_worst(*(int *)worst, res->exit);
}

/*
 * The files of one directory, over --parallel control connections: this
 * process and its workers (lib/sys/workers.h) take the files from the
 * spool through the shared counter.
 */
static int
fetch_files(struct ftps *s, const char *url, const char *dir, int dirfd, struct ftplist *w)
{
	struct job j = { s, url, dir, dirfd, w };
	struct result fail = { 0, 0, 0, EXIT_NET };	/* a worker that died */
	struct tb_workers wk;
	int worst;

	ftplist_rewind(w);
	if (opt.parallel <= 1 || w->nfiles < 8 || tb_spool_flush(&w->sp) < 0)
		return fetch_jobs(s, url, dir, dirfd, w);
	tb_workers_start(&wk, opt.parallel - 1, worker, &j, sizeof(struct result));
	worst = fetch_jobs(s, url, dir, dirfd, w);
	tb_workers_wait(&wk, sizeof(struct result), &fail, add_result, &worst);
	return worst;
}

/* -r: one subdirectory, created here and mirrored into */
static int
mirror_sub(struct ftps *s, const char *url, const char *dir, int dirfd, const char *local,
    int depth)
{
	char path[4200];
	int sub, e;

	join_path(path, sizeof path, dir, local);
	if (mkdirat(dirfd, local, 0755) < 0 && errno != EEXIST) {
		say("%s: %s", local, strerror(errno));
		return EXIT_LOCAL;
	}
	sub = openat(dirfd, local, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0) {
		say("%s: %s", local, strerror(errno));
		return EXIT_LOCAL;
	}
	e = mirror(s, url, path, sub, depth + 1);
	close(sub);
	return e;
}

/* -r: mirror dir into dirfd: the files first (perhaps in parallel), then the subdirectories */
static int
mirror(struct ftps *s, const char *url, const char *dir, int dirfd, int depth)
{
	struct ftplist w;
	struct ftp_rec rec;
	uint64_t i;
	int e, mode, worst;

	if (depth > MAXDEPTH) {
		say("%s: %s: deeper than %d levels; not followed", s->host, dir, MAXDEPTH);
		return EXIT_NET;
	}
	if ((e = list_mode(s, &mode)) != 0)
		return e;
	worst = ftplist_read(&w, s, dir, mode == 'M' ? 'M' : 'L', opt.verbose);
	if (worst && w.sp.n == 0) {
		ftplist_close(&w);
		return worst;
	}
	if (w.nfiles)
		worst = exit_worst(worst, fetch_files(s, url, dir, dirfd, &w));
	for (i = 0; i < w.sp.n && !tb_interrupted && s->up; i++) {
		if (ftplist_get(&w, i, &rec) < 0)
			tb_die(EXIT_LOCAL, "the listing's spool file: %s", strerror(errno));
		if (rec.type == FTP_T_DIR)
			worst = exit_worst(worst, mirror_sub(s, url, dir, dirfd, rec.name, depth));
	}
	if (!s->up)
		worst = exit_worst(worst, EXIT_NET);
	ftplist_close(&w);
	return worst;
}

/* --- uploads ------------------------------------------------------------- */

/* -C: the size of the remote file, to APPE from there; 1 resume, 0 from the start, or -exit */
static int
resume_at(struct ftps *s, struct reply *r, const char *path, int in)
{
	struct stat st;
	uint64_t sz = 0;
	int e;

	if ((e = ftps_cmd(s, r, "SIZE %s", path)) != 0)
		return -e;
	if (r->code != 213 || ftp_parse_size(r->text, r->len, &sz) < 0 || sz == 0)
		return 0;
	if (fstat(in, &st) < 0 || !S_ISREG(st.st_mode) || lseek(in, (off_t)sz, SEEK_SET) < 0) {
		say("%s: cannot resume from byte %llu", opt.upload, (unsigned long long)sz);
		return -EXIT_LOCAL;
	}
	return 1;
}

static int
upload(struct ftps *s, const struct target *t)
{
	struct ftpdata d = FTPDATA_INIT;
	struct reply *r;
	char path[4200];
	uint64_t sent = 0;
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
	e = ftps_type(s, r, opt.ascii ? 'A' : 'I');
	if (e == 0 && opt.resume && (append = resume_at(s, r, path, in)) < 0)
		e = -append;
	if (e == 0)
		e = ftps_xfer(s, r, &d, 0, append ? "APPE" : "STOR", "%s %s",
		    append ? "APPE" : "STOR", path);
	if (e == 0) {
		meter(base_name(opt.upload), 0, -1);
		e = ftps_send_file(s, &d, in, opt.upload, &sent);
		ftps_data_close(s, &d);
		tot.bytes += sent;
		if (e)
			ftps_drop(s);
		else
			e = ftps_xfer_end(s, r, "upload failed");
	}
	ftps_data_close(s, &d);
	if (in != STDIN_FILENO)
		close(in);
	if (e) {
		tot.failed++;
		js_error(t->url, "upload failed", e);
	} else {
		tot.transfers++;
		js_transfer(t->url, append ? "append" : "upload", opt.upload, sent, -1, -1,
		    tb_now() - t0, 1);
	}
	tb_free(r);
	return e;
}

/* --- one URL ------------------------------------------------------------ */

/* a single file: to -o (a regular file, or a device written in place), -O, or stdout */
static int
do_file(struct ftps *s, const struct target *t)
{
	char local[256];
	struct stat st;
	const char *b;

	if (opt.out && strcmp(opt.out, "-") != 0) {
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
		b = base_name(t->path);
		if (ftp_local_name(b, strlen(b), local, sizeof local) < 0) {
			say("%s: no usable local name in the URL (give -o)", t->url);
			return EXIT_LOCAL;
		}
		return fetch(s, t->url, t->path, AT_FDCWD, local, -1, -1, NULL);
	}
	return fetch(s, t->url, t->path, AT_FDCWD, NULL, -1, -1, NULL);
}

static int
do_target(struct ftps *s, const struct target *t)
{
	const char *user = login_user(t);
	int e, mode;

	if (s->up && (strcmp(s->host, t->host) != 0 || s->port != t->port ||
	    strcmp(s->user, user) != 0))
		ftps_quit(s);
	if (!s->up && (e = ftps_open(s, t->host, t->port, user)) != 0) {
		tot.failed++;
		js_error(t->url, "connection or login failed", e);
		return e;
	}
	if (opt.upload)
		return upload(s, t);
	if (!t->dir)
		return do_file(s, t);
	if (opt.mirror)
		return mirror(s, t->url, t->path, AT_FDCWD, 0);
	if ((e = list_mode(s, &mode)) != 0)
		return e;
	return list_dir(s, t->url, t->path, mode);
}

/*
 * The URLs on stdin, one a line (lib/sys/lines.h): a line longer than
 * TB_LINE_MAX is refused as one bad target, never read as two.
 */
static void
read_targets(char ***list, int *n)
{
	struct tb_lines in;
	char *line;
	int cap = 0, r;

	*list = NULL;
	*n = 0;
	tb_lines_init(&in, STDIN_FILENO);
	while ((r = tb_lines_next(&in, &line, 1)) != TB_LINE_EOF) {
		if (r == TB_LINE_LONG)
			tb_usage_error("stdin line %lu: longer than %d bytes", in.lineno, TB_LINE_MAX);
		if (r == TB_LINE_ERR)
			tb_die(EXIT_LOCAL, "stdin: %s", strerror(errno));
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
}

/* the options into opt; argv's index of the first URL */
static int
options(int argc, char **argv)
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
	int c;
	int64_t usec;

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
	return optind;
}

/* every URL and option checked before the first connection: a usage error exits 2 */
static void
check_targets(char **targets, int ntargets)
{
	struct target t;
	const char *err, *b;
	char local[256];
	int i;

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
	for (i = 0; i < ntargets; i++) {
		if ((err = parse_url(targets[i], &t)) != NULL)
			tb_usage_error("%s: %s", targets[i], err);
		if (opt.upload) {
			if (t.dir && strcmp(opt.upload, "-") == 0)
				tb_usage_error("%s: -T - needs a file name in the URL", targets[i]);
			continue;
		}
		if (t.dir)
			continue;
		if (opt.mirror)
			tb_usage_error("%s: -r needs a directory URL (ending in /)", targets[i]);
		if (opt.json && (!opt.out || strcmp(opt.out, "-") == 0) && !opt.remote_name)
			tb_usage_error("-j writes JSON on stdout: give -o or -O for files");
		if (opt.resume && (!opt.out || strcmp(opt.out, "-") == 0) && !opt.remote_name)
			tb_usage_error("-C resumes a file: give -o or -O");
		b = base_name(t.path);
		if (opt.remote_name && ftp_local_name(b, strlen(b), local, sizeof local) < 0)
			tb_usage_error("%s: no usable local name in the URL (give -o)%s",
			    targets[i], fsafe_reserved(b, strlen(b)) ?
			    ": " FSAFE_PREFIX "... is for partial files" : "");
	}
}

/*
 * The password of the first login that needs one, found now: one with a
 * CR or LF is refused before the first packet (FTP-16), and
 * FTPGET_PASSWORD leaves the environment at once.  One not found is
 * looked for again if the server asks (some never do).
 */
static void
early_password(char **targets, int ntargets)
{
	struct target t;
	const char *user, *why;
	int i, r;

	for (i = 0; i < ntargets; i++) {
		parse_url(targets[i], &t);
		user = login_user(&t);
		if (strcmp(user, "anonymous") == 0 || strcmp(user, "ftp") == 0)
			continue;
		r = ftps_password_early(opt.pwfile, "FTPGET_PASSWORD", t.host, user, &why);
		if (r < 0)
			tb_die(EXIT_LOCAL, "%s: password for %s: %s", t.host, user, why);
		return;	/* found, or none at all: perhaps the server never asks */
	}
}

static void
summary(void)
{
	struct json j;

	if (!opt.json)
		return;
	js_begin(&j, stdout, "summary");
	js_int(&j, "transfers", tot.transfers);
	js_int(&j, "entries", tot.entries);
	js_int(&j, "failed", tot.failed);
	js_int(&j, "bytes", (long long)tot.bytes);
	js_int(&j, "exit", tot.exit);
	js_end(&j);
}

int
main(int argc, char **argv)
{
	struct ftps s;
	struct target t;
	char **targets, **fromstdin = NULL;
	int i, ntargets, nstdin = 0, e;

	tb_init(argv[0]);
	i = options(argc, argv);
	targets = argv + i;
	ntargets = argc - i;
	if (ntargets == 0)
		tb_usage_error("no URL given");
	if (ntargets == 1 && strcmp(targets[0], "-") == 0) {
		read_targets(&fromstdin, &nstdin);
		targets = fromstdin;
		ntargets = nstdin;
	}
	check_targets(targets, ntargets);
	early_password(targets, ntargets);
	lv.fp = stderr;
	if (opt.layers)
		dns_resolver_layers(&lv);	/* the DNS packets of the lookups, too */
	tb_catch_signals();
	signal(SIGPIPE, SIG_IGN);
	{
		struct conn *c = tb_malloc(sizeof *c);

		if (c == NULL)
			tb_die(EXIT_LOCAL, "out of memory");
		sess_init(&s, c);
	}
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
	ftps_quit(&s);
	summary();
	ftps_password_forget();
	for (i = 0; i < nstdin; i++)
		tb_free(fromstdin[i]);
	tb_free(fromstdin);
	tb_free(s.c);
	tb_exit(tot.exit);
}
