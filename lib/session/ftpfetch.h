/*
 * ftpfetch.h - ftpget's downloads into local files (session code, over
 * lib/session/ftpsess.h): one file (TYPE, SIZE and MDTM, the .part-
 * file opened or resumed, REST and RETR, the byte count checked against
 * SIZE or the 150's announcement, the modification time set, the file
 * renamed into place), and the files of a -r walk's directory, several
 * in flight on one control connection (pipelined).
 *
 * The command keeps its output: each file's end goes to the done or
 * failed hook, and every diagnostic through the session's s->report.
 * A failure that leaves the server's state in doubt drops the session
 * (s->up 0), as in ftpsess.
 */
#ifndef TB_FTPFETCH_H
#define TB_FTPFETCH_H

#include <stddef.h>
#include <stdint.h>

#include "ftpsess.h"

struct fsbatch;
struct ftplist;
struct progress;

struct ftpfetch {
	/* settings */
	int resume;		/* -C: resume a .part- file with REST */
	int pipeline;		/* send commands ahead of the replies */
	int out;		/* a download with no local name goes here (stdout, a device) */
	struct progress *pm;	/* the meter, started for each file; or NULL */
	int quiet;		/* the meter never draws */
	uint64_t *bytes;	/* bytes received, added up as they come; or NULL */
	/* the command's hooks, with arg; begin and the counters may be NULL */
	void *arg;
	void (*begin)(void *arg);	/* a file's attempt begins (no reason is stale) */
	void (*done)(void *arg, const char *url, const char *local, uint64_t got,
	    int64_t size, int64_t mtime, int64_t t0);
	void (*failed)(void *arg, const char *url, int e);	/* said already */
};

/* dir/name into out ("" dir: name) */
void ftp_join(char *out, size_t cap, const char *dir, const char *name);

/*
 * RETR path into dirfd/local (local NULL: f->out).  size and mtime come
 * from a listing (-r) or are -1 to ask SIZE and MDTM (mtime -2: do not
 * ask).  defer: a batch of renames (-r), or NULL to rename now.  0, or
 * an exit status after saying why; done or failed has been called.
 */
int ftpfetch_file(const struct ftpfetch *, struct ftps *, const char *url, const char *path,
    int dirfd, const char *local, int64_t size, int64_t mtime, struct fsbatch *defer);
/*
 * The files of a listing that no other process takes first
 * (ftplist_next), into dirfd; pipelined once the session has shown
 * which passive command works.  Renamed in batches.  The worst exit
 * status of them all, or 0.
 */
int ftpfetch_files(const struct ftpfetch *, struct ftps *, const char *url, const char *dir,
    int dirfd, struct ftplist *);

#endif
