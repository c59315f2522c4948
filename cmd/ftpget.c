/*
 * ftpget - FTP download (and upload): a control connection and a data
 * connection per transfer, passive (EPSV, then PASV) or active (EPRT,
 * then PORT); FTPS, TLS on both (AUTH TLS or ftps://).  RFC 959, 2428,
 * 3659, 1123, 4217.
 *
 * The conversation is lib/session/ftpsess.c (its TLS ftptls.c), the downloads into local
 * files lib/session/ftpfetch.c, an upload's start lib/session/ftpput.c;
 * this file holds the options, the order of the work (one URL, a
 * listing, a mirror over --parallel connections, an upload) and the
 * output.
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
#include "ftpfetch.h"
#include "ftpput.h"
#include "ftpsess.h"
#include "ftptls.h"
#include "lines.h"
#include "tls/tlsopt.h"
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
	"              [-j] [-X] [--tls mode] [--cacert file] [--capath dir] [-k]\n" \
	"              [--tls-min v] [--tls-max v] [--pinnedpubkey hashes]\n" \
	"              ftp[s]://[user@]host[:port]/path...\n"

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
	int tls;		/* --tls: FTPTLS_AUTO, _REQUIRED, _OFF (ftps://: _IMPLICIT) */
	struct tlsopt tlso;	/* --cacert, -k ... */
} opt = { .parallel = 4, .pipeline = 1, .epsv = 1, .deadline = -1, .idle = 60000000, .family = AF_UNSPEC };

static struct layers lv;
static struct ftptls ftls;	/* the TLS of the session (lib/session/ftptls.h) */

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

/* one URL */
struct target {
	char user[256];
	char host[256];
	uint16_t port;
	char path[4096];	/* decoded, no leading '/' (relative to the login directory) */
	int dir;		/* ends in '/' */
	int implicit;		/* ftps://: TLS from the first byte */
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
	s->pm = &pm;
	ftls.o = &opt.tlso;
	s->tls = &ftls;
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
	    "  --tls mode         required, or off; by default AUTH TLS, and no password\n"
	    "                     in clear but to loopback (ftps://: TLS, port 990)\n"
	    TLSOPT_HELP
	    "  -h, --help         this help\n"
	    "  -V, --version      print the version\n", stdout);
}

/* --- URLs ----------------------------------------------------------------- */

/*
 * ftp://[user@]host[:port]/path (RFC 1738 3.2) through lib/url, or
 * ftps:// (TLS from the first byte, port 990).  A password in the URL
 * is refused: it would sit on the command line.
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
	if (strcmp(u.scheme, "ftp") != 0 && strcmp(u.scheme, "ftps") != 0)
		return "not an ftp:// or ftps:// URL";
	t->implicit = strcmp(u.scheme, "ftps") == 0;
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

/* a download done: count it, -j, -v (lib/session/ftpfetch.h's done hook) */
static void
done_file(void *arg, const char *url, const char *local, uint64_t got, int64_t size,
    int64_t mtime, int64_t t0)
{
	char ts[40];

	(void)arg;
	tot.transfers++;
	js_transfer(url, "download", local ? local : "-", got, size, mtime, tb_now() - t0, 1);
	if (opt.verbose && local)
		say("%s: %llu bytes%s%s", local, (unsigned long long)got,
		    mtime >= 0 ? ", modified " : "", mtime >= 0 ?
		    tb_iso8601(mtime * 1000000, ts, sizeof ts) : "");
}

/* a download failed (said already): count it, -j */
static void
failed_file(void *arg, const char *url, int e)
{
	(void)arg;
	tot.failed++;
	js_error(url, "download failed", e);
}

/* a file's attempt begins: no reason from an earlier one is stale */
static void
begin_file(void *arg)
{
	(void)arg;
	last_why[0] = '\0';
}

/* downloads (lib/session/ftpfetch.h): settings from the options, our hooks */
static struct ftpfetch ff = { .out = STDOUT_FILENO, .pm = &pm, .bytes = &tot.bytes,
    .begin = begin_file, .done = done_file, .failed = failed_file };

/* one URL's file: RETR path into local (NULL: ff.out) */
static int
fetch(struct ftps *s, const char *url, const char *path, const char *local)
{
	return ftpfetch_file(&ff, s, url, path, AT_FDCWD, local, -1, -1, NULL);
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

static int mirror(struct ftps *, const char *, const char *, int, int);

struct result {
	long transfers, failed;
	uint64_t bytes;
	int exit;
	unsigned long tls_data, tls_resumed;	/* the worker's TLS data connections */
};

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
	struct result r0 = { tot.transfers, tot.failed, tot.bytes, 0, 0, 0 };
	struct ftps cs;
	struct conn *c;

	close(j->parent->c->rfd);	/* the parent's control connection */
	j->parent->up = 0;
	ftls.data = ftls.resumed = 0;	/* counted anew for this worker's own session */
	if ((c = tb_malloc(sizeof *c)) != NULL) {
		sess_init(&cs, c);
		if (ftps_open(&cs, cur_target->host, cur_target->port, login_user(cur_target)) == 0) {
			res->exit = ftpfetch_files(&ff, &cs, j->url, j->dir, j->dirfd, j->w);
			ftps_quit(&cs);
		}
	}
	res->transfers = tot.transfers - r0.transfers;
	res->failed = tot.failed - r0.failed;
	res->bytes = tot.bytes - r0.bytes;
	res->tls_data = ftls.data;
	res->tls_resumed = ftls.resumed;
}

/* a worker's totals into ours */
static void
add_result(void *worst, const void *r)
{
	const struct result *res = r;

	tot.transfers += res->transfers;
	tot.failed += res->failed;
	tot.bytes += res->bytes;
	ftls.data += res->tls_data;
	ftls.resumed += res->tls_resumed;
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
	struct result fail = { 0, 0, 0, EXIT_NET, 0, 0 };	/* a worker that died */
	struct tb_workers wk;
	int worst;

	ftplist_rewind(w);
	if (opt.parallel <= 1 || w->nfiles < 8 || tb_spool_flush(&w->sp) < 0)
		return ftpfetch_files(&ff, s, url, dir, dirfd, w);
	tb_workers_start(&wk, opt.parallel - 1, worker, &j, sizeof(struct result));
	worst = ftpfetch_files(&ff, s, url, dir, dirfd, w);
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

	ftp_join(path, sizeof path, dir, local);
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

/* the size of the upload's input for the meter: a regular file's, else 0 (unknown) */
static uint64_t
input_size(int in)
{
	struct stat st;

	return fstat(in, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 ?
	    (uint64_t)st.st_size : 0;
}

/* -T: in to the URL (a directory URL: under the file's own name), STOR or APPE (-C) */
static int
upload(struct ftps *s, const struct target *t)
{
	struct ftpdata d = FTPDATA_INIT;
	struct reply *r;
	char path[4200];
	uint64_t sent = 0, at = 0;
	int64_t t0 = tb_now();
	int in, e;

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
	e = ftps_put_start(s, r, &d, path, in, opt.upload, opt.resume, &at);
	if (e == 0) {
		/* the meter of downloads: from the bytes the server has (-C) to the file's size */
		progress_start(&pm, base_name(opt.upload), at, input_size(in),
		    opt.silent || opt.json);
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
		js_transfer(t->url, at > 0 ? "append" : "upload", opt.upload, sent, -1, -1,
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
	const char *b;
	int fd, r;

	if (opt.out && strcmp(opt.out, "-") != 0) {
		/* -o /dev/null, a FIFO, a terminal: written as it is (fsafe.h) */
		if (ff.out == STDOUT_FILENO &&
		    (r = fsafe_open_special(opt.out, opt.resume, &fd)) != 0) {
			if (r < 0 && errno == ESPIPE)
				say("-C: %s is not a regular file", opt.out);
			else if (r < 0)
				say("%s: %s", opt.out, strerror(errno));
			if (r < 0)
				return EXIT_LOCAL;
			ff.out = fd;
		}
		return fetch(s, t->url, t->path, ff.out != STDOUT_FILENO ? NULL : opt.out);
	}
	if (opt.remote_name) {
		b = base_name(t->path);
		if (ftp_local_name(b, strlen(b), local, sizeof local) < 0) {
			say("%s: no usable local name in the URL (give -o)", t->url);
			return EXIT_LOCAL;
		}
		return fetch(s, t->url, t->path, local);
	}
	return fetch(s, t->url, t->path, NULL);
}

static int
do_target(struct ftps *s, const struct target *t)
{
	const char *user = login_user(t);
	int e, mode;

	if (s->up && (strcmp(s->host, t->host) != 0 || s->port != t->port ||
	    strcmp(s->user, user) != 0 || (ftls.mode == FTPTLS_IMPLICIT) != t->implicit))
		ftps_quit(s);
	ftls.mode = t->implicit ? FTPTLS_IMPLICIT : opt.tls;
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
		{ "tls", required_argument, NULL, 6 },
		TLSOPT_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	int64_t usec;

	argv[0] = (char *)tb_prog;	/* getopt's one line reads "NAME: ..." */
	while ((c = getopt_long(argc, argv, "46aCjklLo:OPrsT:u:vVw:W:Xh", lo, NULL)) != -1) {
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
		case 6:
			if (strcmp(optarg, "required") == 0)
				opt.tls = FTPTLS_REQUIRED;
			else if (strcmp(optarg, "off") == 0)
				opt.tls = FTPTLS_OFF;
			else
				tb_usage_error("--tls: required or off");
			break;
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
			if (!tlsopt_arg(&opt.tlso, c, optarg))
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
		if (t.implicit && opt.tls == FTPTLS_OFF)
			tb_usage_error("%s: --tls off with an ftps:// URL", targets[i]);
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
	/* the last session's TLS: its control connection, and its data connections */
	if (ftls.on)
		tlsopt_json(&j, "tls", &ftls.info);
	else
		js_null(&j, "tls");
	if (ftls.prot) {
		js_obj(&j, "data_tls");
		js_int(&j, "connections", (long long)ftls.data);
		js_int(&j, "resumed", (long long)ftls.resumed);
		js_close(&j);
	} else {
		js_null(&j, "data_tls");
	}
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
	ff.resume = opt.resume;
	ff.pipeline = opt.pipeline;
	ff.quiet = opt.silent || opt.json;
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
	tls_session_wipe(&ftls.sess);
	for (i = 0; i < nstdin; i++)
		tb_free(fromstdin[i]);
	tb_free(fromstdin);
	tb_free(s.c);
	tb_exit(tot.exit);
}
