/*
 * fsafe.h - atomic local files for downloads (system code).
 *
 * A download goes to NAME.part, created with O_CREAT|O_EXCL|O_NOFOLLOW
 * in a directory given as a descriptor (so peer-named files never leave
 * it), or reopened for appending when resuming.  fsafe_commit fsyncs
 * and renames NAME.part over NAME; fsafe_keep leaves NAME.part for a
 * later resume (a short transfer); fsafe_abort removes it.
 *
 *	struct fsafe f;
 *	if (fsafe_open(&f, AT_FDCWD, "x.tar", 0, &have) < 0) ... errno
 *	write(f.fd, ...);
 *	complete ? fsafe_commit(&f) : fsafe_keep(&f);
 */
#ifndef TUBES_FSAFE_H
#define TUBES_FSAFE_H

#include <stdint.h>
#include <sys/types.h>

#define FSAFE_RESUME 1		/* reopen an existing NAME.part and append */
#define FSAFE_NAME_MAX 4096

struct fsafe {
	int dirfd;		/* where NAME lives (AT_FDCWD allowed) */
	int fd;			/* NAME.part, open for writing; -1 when closed */
	char name[FSAFE_NAME_MAX];
	char part[FSAFE_NAME_MAX + 8];
};

/*
 * Open NAME.part under dirfd.  With FSAFE_RESUME an existing regular
 * NAME.part (not a symlink) is appended to and *have gets its size;
 * otherwise it must not exist (EEXIST).  0, or -1 with errno.
 */
int fsafe_open(struct fsafe *, int dirfd, const char *name, int flags, off_t *have);
/* write all n bytes: 0 or -1 with errno */
int fsafe_write(struct fsafe *, const void *, size_t n);
/* set the modification time (seconds since 1970) before commit; 0 or -1 */
int fsafe_mtime(struct fsafe *, int64_t when);
/* fsync, close, rename NAME.part to NAME: 0 or -1 with errno (the .part stays) */
int fsafe_commit(struct fsafe *);
/*
 * Batches (many small files): fsafe_close closes a complete NAME.part
 * without renaming it; later one fsafe_sync on the directory (syncfs)
 * makes the whole batch durable, and fsafe_publish renames each one.
 * Same guarantee as fsafe_commit, one flush instead of one per file.
 */
int fsafe_close(struct fsafe *);
int fsafe_sync(int dirfd);
int fsafe_publish(int dirfd, const char *name);
/* close and keep NAME.part for a resume */
void fsafe_keep(struct fsafe *);
/* close and remove NAME.part */
void fsafe_abort(struct fsafe *);

#endif
