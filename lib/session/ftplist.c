/* ftplist.c - a directory's listing for ftpget -r, spooled (ftplist.h) */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "fsafe.h"
#include "ftp.h"
#include "ftplist.h"
#include "view.h"


static uint8_t *seen;

/* 1 if name may have been seen before (its bits all set), then set them */
static int
seen_before(const char *name)
{
	uint64_t h1 = 1469598103934665603ull, h2 = 0x9e3779b97f4a7c15ull;
	const unsigned char *p;
	uint32_t b;
	int k, all = 1;

	for (p = (const unsigned char *)name; *p; p++) {
		h1 = (h1 ^ *p) * 1099511628211ull;
		h2 = (h2 ^ *p) * 0xff51afd7ed558ccdull;
	}
	for (k = 0; k < 4; k++) {
		b = (uint32_t)((h1 + (uint64_t)k * (h2 | 1)) % SEEN_BITS);
		if (!(seen[b / 8] & (1u << (b % 8))))
			all = 0;
		seen[b / 8] |= (uint8_t)(1u << (b % 8));
	}
	return all;
}

/* one entry of a -r listing: refused, or spooled */
static int
walk_entry(void *arg, const char *line, size_t n, const struct ftp_entry *en)
{
	struct ftplist *w = arg;
	struct ftp_rec rec;
	char esc[300];

	(void)line;
	(void)n;
	memset(&rec, 0, sizeof rec);
	if (ftp_local_name(en->name, en->namelen, rec.name, sizeof rec.name) < 0) {
		tb_escape_buf(esc, sizeof esc, en->name, en->namelen > 200 ? 200 : en->namelen);
		if (fsafe_reserved(en->name, en->namelen))
			ftps_say(w->s, "%s: refusing reserved name from the server (" FSAFE_PREFIX
			    "... is for partial files): %s", w->s->host, esc);
		else
			ftps_say(w->s, "%s: refusing unsafe name from the server: %s", w->s->host, esc);
		w->worst = EXIT_NET;
		return 0;
	}
	if (en->type != FTP_T_FILE && en->type != FTP_T_DIR && w->verbose)
		ftps_say(w->s, "%s: skipping %s (%s)", w->s->host, rec.name, ftp_type_name(en->type));
	rec.size = en->size;
	rec.mtime = en->mtime;
	rec.type = en->type;
	if (seen_before(rec.name)) {
		if (w->nmaybe == SEEN_MAX) {
			ftps_say(w->s, "%s: over %d names listed twice: not fetched", w->s->host, SEEN_MAX);
			rec.type = -1;
			w->worst = EXIT_NET;
		} else {
			snprintf(w->maybe[w->nmaybe++], 256, "%s", rec.name);
		}
	}
	w->nfiles += rec.type == FTP_T_FILE;
	if (tb_spool_put(&w->sp, &rec) < 0) {
		ftps_say(w->s, "the listing's spool file: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* the second pass: of each name listed twice the first entry is kept; EXIT_NET if there was one */
static int
drop_twins(struct ftplist *w)
{
	struct ftp_rec rec;
	uint64_t i;
	size_t k;
	int e = 0;

	for (i = 0; w->nmaybe > 0 && i < w->sp.n; i++) {
		if (tb_spool_get(&w->sp, i, &rec) < 0)
			tb_die(EXIT_LOCAL, "the listing's spool file: %s", strerror(errno));
		for (k = 0; k < w->nmaybe && strcmp(w->maybe[k], rec.name) != 0; k++)
			;
		if (k == w->nmaybe || rec.type == -1)
			continue;
		if (!w->hit[k]) {
			w->hit[k] = 1;
			continue;
		}
		ftps_say(w->s, "%s: %s: listed twice; only the first entry is fetched", w->s->host, rec.name);
		w->nfiles -= rec.type == FTP_T_FILE;
		rec.type = -1;
		if (tb_spool_set(&w->sp, i, &rec) < 0)
			tb_die(EXIT_LOCAL, "the listing's spool file: %s", strerror(errno));
		e = EXIT_NET;
	}
	return e;
}

/* the spool's index, in memory shared with the --parallel workers */
static uint32_t *next_rec;

int
ftplist_next(struct ftplist *w, struct ftp_rec *rec)
{
	uint64_t i;

	while (!tb_interrupted) {
		i = __atomic_fetch_add(next_rec, 1, __ATOMIC_RELAXED);
		if (i >= w->sp.n)
			return 0;
		if (tb_spool_get(&w->sp, i, rec) < 0) {
			ftps_say(w->s, "the listing's spool file: %s", strerror(errno));
			return 0;
		}
		if (rec->type == FTP_T_FILE)
			return 1;
	}
	return 0;
}

int
ftplist_read(struct ftplist *w, struct ftps *s, const char *dir, int mode, int verbose)
{
	struct reply *r;
	int e;

	memset(w, 0, sizeof *w);
	w->s = s;
	w->verbose = verbose;
	w->sp.fd = -1;
	if (seen == NULL && ((seen = tb_malloc(SEEN_BITS / 8)) == NULL ||
	    (next_rec = mmap(NULL, sizeof *next_rec, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED))
		tb_die(EXIT_LOCAL, "out of memory");
	memset(seen, 0, SEEN_BITS / 8);
	if ((w->maybe = tb_malloc(SEEN_MAX * sizeof *w->maybe)) == NULL ||
	    (w->hit = tb_malloc(SEEN_MAX)) == NULL || (r = tb_malloc(sizeof *r)) == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	memset(w->hit, 0, SEEN_MAX);
	if (tb_spool_open(&w->sp, sizeof(struct ftp_rec)) < 0) {
		ftps_say(w->s, "a spool file for the listing: %s", strerror(errno));
		e = EXIT_LOCAL;
	} else {
		e = ftps_list(s, r, dir, mode, walk_entry, w);
		e = exit_worst(exit_worst(e, w->worst), drop_twins(w));
	}
	tb_free(r);
	tb_free(w->maybe);
	tb_free(w->hit);
	w->maybe = NULL;
	w->hit = NULL;
	return e;
}

void
ftplist_rewind(struct ftplist *w)
{
	(void)w;	/* one counter: one directory's files are fetched at a time */
	*next_rec = 0;
}

int
ftplist_done(const struct ftplist *w)
{
	return *next_rec >= w->sp.n;
}

int
ftplist_get(struct ftplist *w, uint64_t i, struct ftp_rec *rec)
{
	return tb_spool_get(&w->sp, i, rec);
}

void
ftplist_close(struct ftplist *w)
{
	tb_spool_close(&w->sp);
}

int
ftp_local_name(const char *name, size_t len, char *out, size_t cap)
{
	if (fsafe_reserved(name, len))
		return FTP_EUNSAFE;
	return ftp_safe_name(name, len, out, cap);
}
