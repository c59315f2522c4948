/*
 * fsafe.h - atomic local files for downloads (system code).
 *
 * A download of NAME is written to a temporary file and renamed to
 * NAME once it is complete.  The temporary names have a name space of
 * their own: the last component of NAME gets the prefix FSAFE_PREFIX,
 *
 *	x.tar		-> .part-x.tar
 *	dir/x.tar	-> dir/.part-x.tar
 *
 * and fsafe refuses (EINVAL) to write any NAME whose last component
 * begins with FSAFE_PREFIX itself.  So the temporary name of one file
 * is never the real name of another, and two names never share a
 * temporary name (the map is one to one), whatever a peer lists: "a"
 * and "a.part", ".a.part", ".part-a" (refused), in any order.  A
 * command that turns peer names into local names refuses the reserved
 * ones with fsafe_reserved() before it gets here, and says so.
 *
 * The name is deterministic, so that a later run's -C finds the .part-
 * file an earlier run kept; it is created with O_CREAT|O_EXCL|
 * O_NOFOLLOW in a directory given as a descriptor (peer-named files
 * never leave it), so an existing one (another run, a stale partial)
 * is never written over unless the caller says FSAFE_RESUME or
 * FSAFE_TRUNC.  fsafe_abort removes the temporary file only if this
 * run created it (or emptied it, FSAFE_TRUNC): a resumed partial from
 * an earlier run is kept.
 *
 *	struct fsafe f;
 *	if (fsafe_open(&f, AT_FDCWD, "x.tar", 0, &have) < 0) ... errno
 *	fsafe_write(&f, ...);		(or write(f.fd, ...))
 *	complete ? fsafe_commit(&f) : fsafe_keep(&f);	(or fsafe_abort)
 *
 * f.part is the temporary name (relative to dirfd), for messages such
 * as "kept .part-x.tar for -C".
 */
#ifndef TUBES_FSAFE_H
#define TUBES_FSAFE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define FSAFE_PREFIX ".part-"
#define FSAFE_PREFIX_LEN 6

#define FSAFE_RESUME 1		/* append to an existing temporary file (else create it) */
#define FSAFE_TRUNC 2		/* empty an existing temporary file (else create it) */
#define FSAFE_NOCLOBBER 4	/* commit never replaces an existing NAME (EEXIST) */
#define FSAFE_NAME_MAX 4096

struct fsafe {
	int dirfd;		/* where NAME lives (AT_FDCWD allowed) */
	int fd;			/* the temporary file, open for writing; -1 when closed */
	int flags;
	int created;		/* this run created (or emptied) it: fsafe_abort may remove it */
	char name[FSAFE_NAME_MAX];
	char part[FSAFE_NAME_MAX + FSAFE_PREFIX_LEN];
};

/*
 * -o /dev/null, a FIFO, a terminal: a NAME that exists and is neither a
 * regular file nor a directory is written in place, for a rename over
 * it would replace the device itself (as root, /dev/null).  1 with *fd
 * open for writing; 0 when NAME is for fsafe_open; -1 with errno (ESPIPE
 * when resume is asked of such a file).  The one rule every command that
 * saves a download follows.
 */
int fsafe_open_special(const char *name, int resume, int *fd);

/* 1 if the file name base[0..len) is in fsafe's own name space */
int fsafe_reserved(const char *base, size_t len);
/*
 * The temporary name of name into out: 0, or -1 with errno (EINVAL for
 * an empty or reserved last component, ENAMETOOLONG).
 */
int fsafe_partname(const char *name, char *out, size_t cap);
/*
 * Open the temporary file of NAME under dirfd.  Without flags it must
 * not exist (EEXIST).  With FSAFE_RESUME an existing regular file (not
 * a symlink, FIFO or device) is appended to and *have gets its size;
 * with FSAFE_TRUNC it is emptied.  0, or -1 with errno.
 */
int fsafe_open(struct fsafe *, int dirfd, const char *name, int flags, off_t *have);
/* write all n bytes: 0 or -1 with errno */
int fsafe_write(struct fsafe *, const void *, size_t n);
/* set the modification time (seconds since 1970) before commit; 0 or -1 */
int fsafe_mtime(struct fsafe *, int64_t when);
/*
 * fsync, close, rename the temporary file to NAME (with FSAFE_NOCLOBBER
 * a link that fails with EEXIST if NAME exists, then the temporary name
 * removed): 0, or -1 with errno (the temporary file stays).
 */
int fsafe_commit(struct fsafe *);
/*
 * Batches (many small files): fsafe_close closes a complete temporary
 * file without renaming it; later one fsafe_sync on the directory
 * (syncfs) makes the whole batch durable, and fsafe_publish renames
 * each one (replacing NAME).  Same guarantee as fsafe_commit, one flush
 * instead of one per file.
 */
int fsafe_close(struct fsafe *);
int fsafe_sync(int dirfd);
int fsafe_publish(int dirfd, const char *name);
/* close and keep the temporary file for a resume */
void fsafe_keep(struct fsafe *);
/* close, and remove the temporary file if this run created it */
void fsafe_abort(struct fsafe *);

#endif
