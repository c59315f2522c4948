/* ftpfetch.c - ftpget's downloads into local files, one or pipelined (see ftpfetch.h) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fsafe.h"
#include "fsbatch.h"
#include "ftp.h"
#include "ftpfetch.h"
#include "ftplist.h"
#include "progress.h"
#include "tubes.h"

void
ftp_join(char *out, size_t cap, const char *dir, const char *name)
{
	snprintf(out, cap, "%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] != '/' ? "/" : "", name);
}

/* the last path component */
static const char *
base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

static void
begin(const struct ftpfetch *f)
{
	if (f->begin)
		f->begin(f->arg);
}

static void
count(const struct ftpfetch *f, uint64_t got)
{
	if (f->bytes)
		*f->bytes += got;
}

/* the meter for one file: base bytes there before it (-C), size the whole (-1 unknown) */
static void
meter(const struct ftpfetch *f, const char *label, uint64_t base, int64_t size)
{
	if (f->pm)
		progress_start(f->pm, label, base, size > 0 ? (uint64_t)size : 0, f->quiet);
}

/* open local's temporary file; 0, or EXIT_LOCAL after saying why */
static int
open_part(const struct ftpfetch *ff, struct ftps *s, struct fsafe *f, int dirfd,
    const char *local, off_t *have)
{
	const char *part = f->part;

	if (fsafe_open(f, dirfd, local, ff->resume ? FSAFE_RESUME : 0, have) == 0)
		return 0;
	if (errno == EINVAL)
		ftps_say(s, "%s: a name of the form %s... is reserved for partial files", local,
		    FSAFE_PREFIX);
	else
		ftps_say(s, "%s: %s%s", part[0] ? part : local, strerror(errno),
		    errno == EEXIST ? " (use -C to resume it, or remove it)" : "");
	return EXIT_LOCAL;
}

/* the batch renamed into place; 0 or EXIT_LOCAL after saying why */
static int
flush(struct ftps *s, struct fsbatch *b, int dirfd)
{
	const char *failed;

	if (fsbatch_flush(b, dirfd, &failed) == 0)
		return 0;
	ftps_say(s, "%s: %s", failed, strerror(errno));
	return EXIT_LOCAL;
}

/*
 * A complete temporary file: its modification time, then renamed now
 * (fsafe_commit: fsync first) or, with defer, closed and queued for the
 * batch's one syncfs and the renames after it.  0 or EXIT_LOCAL.
 */
static int
settle(struct ftps *s, struct fsafe *f, int64_t mtime, struct fsbatch *defer)
{
	if (mtime >= 0)
		(void)fsafe_mtime(f, mtime);
	if (!defer) {
		if (fsafe_commit(f) < 0) {
			ftps_say(s, "%s: %s", f->name, strerror(errno));
			return EXIT_LOCAL;
		}
		return 0;
	}
	if (fsbatch_add(defer, f) < 0) {
		ftps_say(s, "%s: %s", f->part, strerror(errno));
		return EXIT_LOCAL;
	}
	return 0;
}

/* one download under way */
struct dl {
	const char *url, *path, *local;	/* local NULL: f->out */
	struct fsafe f;
	struct ftpdata d;
	int out;
	uint64_t got;
	off_t have;		/* bytes in the .part already (-C) */
	int64_t size, mtime, t0;
};

/* TYPE, SIZE and MDTM before a RETR: at once (ftps_ask), or one at a time */
static int
ask(const struct ftpfetch *f, struct ftps *s, struct reply *r, struct dl *x, int verb)
{
	int64_t *mt = x->local && x->mtime == -1 ? &x->mtime : NULL;	/* -2: do not ask */
	int64_t known = 0;
	int e;

	if (f->pipeline)
		return ftps_ask(s, r, x->path, &x->size, mt, verb);
	if ((e = ftps_type(s, r, s->ascii ? 'A' : 'I')) != 0 ||
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
retr(const struct ftpfetch *f, struct ftps *s, struct reply *r, struct dl *x, int verb)
{
	uint64_t sz;
	int e;

	if ((e = ftps_retr(s, r, &x->d, verb, x->have, x->path)) != 0)
		return e;
	if (x->size < 0 && !s->ascii && x->have == 0 && ftp_parse_150(r->text, r->len, &sz) == 0)
		x->size = (int64_t)sz;	/* no SIZE, but the 150 said how much */
	meter(f, x->local ? x->local : base_name(x->path), (uint64_t)x->have, x->size);
	e = ftps_recv(s, &x->d, x->out, &x->got);
	ftps_data_close(s, &x->d);
	count(f, x->got);
	if (e != 0) {
		ftps_drop(s);	/* mid-transfer: the control state is unknown now */
		return e;
	}
	/* the final reply: 226/250 success, anything else a failure (FTP-06) */
	if ((e = ftps_xfer_end(s, r, "transfer failed")) != 0)
		return e;
	if (x->size >= 0 && (int64_t)x->got + x->have != x->size) {
		ftps_say(s, "%s: %s: got %lld bytes of %lld%s%s%s", s->host, x->path,
		    (long long)x->got + x->have, (long long)x->size,
		    x->local ? "; kept " : "", x->local ? x->f.part : "", x->local ? " for -C" : "");
		return EXIT_NET;
	}
	return 0;
}

int
ftpfetch_file(const struct ftpfetch *f, struct ftps *s, const char *url, const char *path,
    int dirfd, const char *local, int64_t known_size, int64_t known_mtime,
    struct fsbatch *defer)
{
	struct dl x = { url, path, local, .d = FTPDATA_INIT, .out = f->out,
	    .size = known_size, .mtime = known_mtime, .t0 = tb_now() };
	struct reply *r;
	int e, verb = 0;

	if ((r = tb_malloc(sizeof *r)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	x.f.fd = -1;
	begin(f);
	/*
	 * Once the session has shown which passive command works (an
	 * earlier URL or listing) and is in binary mode: EPSV (or PASV) and
	 * RETR go with SIZE and MDTM, one round trip for the file.  Not for
	 * -C: REST needs the .part's size first.
	 */
	if (f->pipeline && s->ext_known && s->type == 'I' && !s->ascii && !s->active &&
	    !f->resume)
		verb = s->no_ext || !s->epsv ? 'P' : 'E';
	e = ask(f, s, r, &x, verb);
	if (e == 0 && local && (e = open_part(f, s, &x.f, dirfd, local, &x.have)) != 0 && verb)
		ftps_drop(s);	/* EPSV and RETR sent: their replies out of step */
	if (e == 0 && local && x.size >= 0 && x.have > x.size) {
		ftps_say(s, "%s: larger than the remote file (%lld > %lld bytes)",
		    x.f.part, (long long)x.have, (long long)x.size);
		e = EXIT_LOCAL;
	}
	if (local)
		x.out = x.f.fd;
	fflush(stdout);
	/* nothing left to fetch when the .part is whole already */
	if (e == 0 && !(local && x.size >= 0 && x.have == x.size && x.have > 0))
		e = retr(f, s, r, &x, verb);
	if (e == 0 && local)
		e = settle(s, &x.f, x.mtime, defer);
	if (e == 0)
		f->done(f->arg, url, local, x.got, x.size, x.mtime, x.t0);
	ftps_data_close(s, &x.d);
	if (x.f.fd >= 0) {
		/* a short or failed transfer keeps what it got, for -C */
		if (x.got > 0 || x.have > 0)
			fsafe_keep(&x.f);
		else
			fsafe_abort(&x.f);
	}
	if (e)
		f->failed(f->arg, url, e);
	tb_free(r);
	return e;
}

/* --- pipelining ------------------------------------------------------------ */

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
pipe_one(const struct ftpfetch *f, struct ftps *s, struct reply *r, const char *url,
    const char *path, struct inflight *it, struct inflight *next, struct fsbatch *pend)
{
	uint64_t got = 0, sz;
	int64_t size = it->rec.size, mtime = it->rec.mtime >= 0 ? it->rec.mtime : -1;
	int e;

	begin(f);
	if ((e = ftps_ahead_start(s, r, &it->a, path)) == 0) {
		if (size < 0 && it->have == 0 && ftp_parse_150(r->text, r->len, &sz) == 0)
			size = (int64_t)sz;
		meter(f, it->f.name, (uint64_t)it->have, size);
		e = ftps_recv(s, &it->a.d, it->f.fd, &got);
		ftps_data_close(s, &it->a.d);
		count(f, got);
		if (e != 0)
			ftps_drop(s);	/* mid-transfer: the control state is unknown now */
		else
			e = ftps_xfer_end(s, r, "transfer failed");
	}
	if (e == 0 && size >= 0 && (int64_t)got + it->have != size) {
		ftps_say(s, "%s: %s: got %lld bytes of %lld; kept %s for -C", s->host, path,
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
	if (e == 0 && (e = settle(s, &it->f, mtime, pend)) == 0) {
		f->done(f->arg, url, it->f.name, got, size, mtime, it->t0);
		return 0;
	}
	ftps_data_close(s, &it->a.d);
	if (it->f.fd >= 0) {
		if (got > 0 || it->have > 0)
			fsafe_keep(&it->f);
		else
			fsafe_abort(&it->f);
	}
	f->failed(f->arg, url, e);
	return e;
}

/*
 * Put one file in flight: its .part opened, its commands queued in
 * wbuf.  1 queued; 0 nothing to fetch (done, or failed and counted).
 */
static int
pipe_add(const struct ftpfetch *f, struct ftps *s, const char *url, const char *dir,
    int dirfd, struct inflight *it, char *wbuf, size_t cap, size_t *wlen,
    struct fsbatch *pend, int *worst)
{
	const struct ftp_rec *en = &it->rec;
	char path[4200];
	int e;

	ftp_join(path, sizeof path, dir, en->name);
	it->t0 = tb_now();
	if ((e = open_part(f, s, &it->f, dirfd, en->name, &it->have)) == 0 && en->size >= 0 &&
	    it->have > en->size) {
		ftps_say(s, "%s: larger than the remote file (%lld > %lld bytes)",
		    it->f.part, (long long)it->have, (long long)en->size);
		fsafe_keep(&it->f);
		e = EXIT_LOCAL;
	}
	if (e == 0 && en->size >= 0 && it->have == en->size && it->have > 0) {
		/* nothing left to fetch */
		if ((e = settle(s, &it->f, en->mtime, pend)) == 0) {
			f->done(f->arg, url, en->name, 0, en->size, en->mtime, it->t0);
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
	f->failed(f->arg, url, e);
	return 0;
}

/* the files of the walk, PIPE_DEPTH at a time in flight on one session */
static int
fetch_pipelined(const struct ftpfetch *f, struct ftps *s, const char *url, const char *dir,
    int dirfd, struct ftplist *w, struct fsbatch *pend)
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
				n += (size_t)pipe_add(f, s, url, dir, dirfd, it, wbuf, sizeof wbuf,
				    &wlen, pend, &worst);
		}
		if (wlen > 0 && ftps_send(s, wbuf, wlen) != 0)
			break;
		if (n == 0)
			break;
		it = &q[head];
		ftp_join(path, sizeof path, dir, it->f.name);
		worst = exit_worst(worst, pipe_one(f, s, r, url, path, it,
		    n > 1 ? &q[(head + 1) % PIPE_DEPTH] : NULL, pend));
		head = (head + 1) % PIPE_DEPTH;
		n--;
		if (pend->n >= FSBATCH_MAX)
			worst = exit_worst(worst, flush(s, pend, dirfd));
	}
	/* the session ended (or SIGINT) with files in flight: none of their bytes came */
	if (n > 0) {
		ftps_say(s, "%s: %zu file%s in flight not fetched", s->host, n, n == 1 ? "" : "s");
		worst = exit_worst(worst, EXIT_NET);
	}
	for (lost = 0; lost < n; lost++) {
		it = &q[(head + lost) % PIPE_DEPTH];
		ftps_data_close(s, &it->a.d);
		fsafe_abort(&it->f);
		f->failed(f->arg, url, EXIT_NET);
	}
	tb_free(r);
	tb_free(q);
	return worst;
}

int
ftpfetch_files(const struct ftpfetch *f, struct ftps *s, const char *url, const char *dir,
    int dirfd, struct ftplist *w)
{
	struct fsbatch pend = FSBATCH_INIT;
	struct ftp_rec rec;
	char path[4200];
	int worst = 0;

	while (!tb_interrupted && s->up) {
		/*
		 * Pipelined once the session has shown which passive command
		 * works (one file the plain way first), in binary passive mode.
		 */
		if (f->pipeline && !s->active && !s->ascii && s->ext_known && s->type == 'I') {
			worst = exit_worst(worst, fetch_pipelined(f, s, url, dir, dirfd, w, &pend));
			break;
		}
		if (!ftplist_next(w, &rec))
			break;
		ftp_join(path, sizeof path, dir, rec.name);
		worst = exit_worst(worst, ftpfetch_file(f, s, url, path, dirfd, rec.name, rec.size,
		    rec.mtime >= 0 ? rec.mtime : -2, &pend));
		if (pend.n >= FSBATCH_MAX)
			worst = exit_worst(worst, flush(s, &pend, dirfd));
	}
	if (!s->up && !ftplist_done(w))
		worst = exit_worst(worst, EXIT_NET);
	worst = exit_worst(worst, flush(s, &pend, dirfd));
	fsbatch_free(&pend);
	return worst;
}
