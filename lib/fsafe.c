/* fsafe.c - atomic local files: NAME.part, O_EXCL|O_NOFOLLOW, fsync, rename */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsafe.h"
#include "tubes.h"

int
fsafe_open(struct fsafe *f, int dirfd, const char *name, int flags, off_t *have)
{
	struct stat st;
	int fd, n;

	f->fd = -1;
	f->dirfd = dirfd;
	if (*name == '\0') {
		errno = EINVAL;
		return -1;
	}
	n = snprintf(f->name, sizeof f->name, "%s", name);
	if (n < 0 || (size_t)n >= sizeof f->name) {
		errno = ENAMETOOLONG;
		return -1;
	}
	snprintf(f->part, sizeof f->part, "%s.part", name);
	if (have)
		*have = 0;
	if (flags & FSAFE_RESUME) {
		fd = openat(dirfd, f->part, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
		    O_CLOEXEC, 0644);
		if (fd < 0)
			return -1;
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			close(fd);
			errno = EEXIST;
			return -1;
		}
		if (have)
			*have = st.st_size;
	} else {
		fd = openat(dirfd, f->part, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0644);
		if (fd < 0)
			return -1;
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
	return renameat(f->dirfd, f->part, f->dirfd, f->name);
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
	char part[FSAFE_NAME_MAX + 8];
	int n = snprintf(part, sizeof part, "%s.part", name);

	if (n < 0 || (size_t)n >= sizeof part) {
		errno = ENAMETOOLONG;
		return -1;
	}
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
	unlinkat(f->dirfd, f->part, 0);
}
