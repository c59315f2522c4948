/*
 * fsafe.c - atomic local files: a temporary name in a name space of its
 * own (.part-NAME), O_EXCL|O_NOFOLLOW, fsync, rename
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsafe.h"
#include "tubes.h"

int
fsafe_reserved(const char *base, size_t len)
{
	return len >= FSAFE_PREFIX_LEN && memcmp(base, FSAFE_PREFIX, FSAFE_PREFIX_LEN) == 0;
}

int
fsafe_partname(const char *name, char *out, size_t cap)
{
	const char *slash = strrchr(name, '/');
	const char *base = slash ? slash + 1 : name;
	size_t dl = (size_t)(base - name), bl = strlen(base);

	if (bl == 0 || fsafe_reserved(base, bl)) {
		errno = EINVAL;
		return -1;
	}
	if (dl + FSAFE_PREFIX_LEN + bl >= cap) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(out, name, dl);
	memcpy(out + dl, FSAFE_PREFIX, FSAFE_PREFIX_LEN);
	memcpy(out + dl + FSAFE_PREFIX_LEN, base, bl + 1);
	return 0;
}

/*
 * An existing temporary file, opened without following a link and
 * without blocking on a FIFO; it must be a regular file.
 */
static int
reopen(struct fsafe *f, int flags)
{
	struct stat st;
	int fd = openat(f->dirfd, f->part, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
	    flags);

	if (fd < 0) {
		if (errno == ENXIO)
			errno = EEXIST;	/* a FIFO with no reader: not a file of ours */
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EEXIST;
		return -1;
	}
	if (fcntl(fd, F_SETFL, flags & O_APPEND) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int
fsafe_open_special(const char *name, int resume, int *fd)
{
	struct stat st;

	if (stat(name, &st) < 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
		return 0;
	if (resume) {
		errno = ESPIPE;
		return -1;
	}
	if ((*fd = open(name, O_WRONLY | O_CLOEXEC)) < 0)
		return -1;
	return 1;
}

int
fsafe_open(struct fsafe *f, int dirfd, const char *name, int flags, off_t *have)
{
	struct stat st;
	int fd, n;

	f->fd = -1;
	f->dirfd = dirfd;
	f->flags = flags;
	f->created = 0;
	f->part[0] = '\0';
	if (have)
		*have = 0;
	n = snprintf(f->name, sizeof f->name, "%s", name);
	if (n < 0 || (size_t)n >= sizeof f->name) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (fsafe_partname(name, f->part, sizeof f->part) < 0)
		return -1;
	fd = openat(dirfd, f->part, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd >= 0) {
		f->created = 1;
	} else if (errno != EEXIST || !(flags & (FSAFE_RESUME | FSAFE_TRUNC))) {
		return -1;
	} else if (flags & FSAFE_RESUME) {
		if ((fd = reopen(f, O_APPEND)) < 0)
			return -1;
		if (fstat(fd, &st) < 0) {
			close(fd);
			return -1;
		}
		if (have)
			*have = st.st_size;
	} else {
		if ((fd = reopen(f, 0)) < 0)
			return -1;
		if (ftruncate(fd, 0) < 0) {
			close(fd);
			return -1;
		}
		f->created = 1;	/* its old bytes are gone: ours now */
	}
	f->fd = fd;
	return 0;
}

int
fsafe_write(struct fsafe *f, const void *p, size_t n)
{
	return tb_write_all(f->fd, p, n);
}

int
fsafe_mtime(struct fsafe *f, int64_t when)
{
	struct timespec ts[2];

	ts[0].tv_sec = 0;
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_sec = (time_t)when;
	ts[1].tv_nsec = 0;
	return futimens(f->fd, ts);
}

int
fsafe_commit(struct fsafe *f)
{
	int err;

	if (fsync(f->fd) < 0 && errno != EINVAL) {
		err = errno;
		fsafe_keep(f);
		errno = err;
		return -1;
	}
	if (close(f->fd) < 0) {
		f->fd = -1;
		return -1;
	}
	f->fd = -1;
	if (f->flags & FSAFE_NOCLOBBER) {
		/* link() never replaces: a NAME that appeared meanwhile is kept */
		if (linkat(f->dirfd, f->part, f->dirfd, f->name, 0) < 0)
			return -1;
		(void)unlinkat(f->dirfd, f->part, 0);
	} else if (renameat(f->dirfd, f->part, f->dirfd, f->name) < 0) {
		return -1;
	}
	f->created = 0;	/* the temporary name is free again: not ours to remove */
	return 0;
}

int
fsafe_close(struct fsafe *f)
{
	int r = close(f->fd);

	f->fd = -1;
	return r;
}

int
fsafe_sync(int dirfd)
{
	int fd = dirfd == AT_FDCWD ? open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : dirfd;
	int r;

	if (fd < 0)
		return -1;
	r = syncfs(fd);
	if (fd != dirfd)
		close(fd);
	return r;
}

int
fsafe_publish(int dirfd, const char *name)
{
	char part[FSAFE_NAME_MAX + FSAFE_PREFIX_LEN];

	if (fsafe_partname(name, part, sizeof part) < 0)
		return -1;
	return renameat(dirfd, part, dirfd, name);
}

void
fsafe_keep(struct fsafe *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

void
fsafe_abort(struct fsafe *f)
{
	fsafe_keep(f);
	if (f->created && f->part[0])
		(void)unlinkat(f->dirfd, f->part, 0);
	f->created = 0;
}
