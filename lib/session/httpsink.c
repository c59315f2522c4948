/*
 * httpsink.c - where httpget writes a body: see httpsink.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "httpsink.h"
#include "tubes.h"

static int fail(char *, size_t, const char *, ...) __attribute__((format(printf, 3, 4)));

/* why says it: EXIT_LOCAL */
static int
fail(char *why, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, cap, fmt, ap);
	va_end(ap);
	return EXIT_LOCAL;
}

int
hs_sink_open(struct hs_sink *s, const char *name, int remote, const struct url *u,
    int resume, int64_t at, int bar, char *why, size_t cap)
{
	struct stat st;
	off_t have = 0;
	int e, dev;

	memset(s, 0, sizeof s[0]);
	s->fd = 1;
	s->bar = bar;
	if (name && strcmp(name, "-") != 0) {
		snprintf(s->final, sizeof s->final, "%s", name);
		/* -o /dev/null, a FIFO, a terminal: written as it is (fsafe.h) */
		if ((e = fsafe_open_special(s->final, resume, &dev)) < 0)
			return errno == ESPIPE ?
			    fail(why, cap, "-C: %s is not a regular file", s->final) :
			    fail(why, cap, "%s: %s", s->final, strerror(errno));
		if (e > 0) {
			s->fd = dev;
			s->is_dev = 1;
			s->bar = 0;
			return 0;
		}
	} else if (remote) {
		if (url_filename(u, s->final, sizeof s->final) < 0)
			return fail(why, cap, "-O: no safe file name in %s (use -o)", u->path);
		s->noclobber = 1;
		if (lstat(s->final, &st) == 0)
			return fail(why, cap, "-O: %s exists; not overwritten", s->final);
	} else {
		if (s->bar && isatty(1))
			s->bar = 0;
		s->offset = at > 0 ? (uint64_t)at : 0;
		return 0;
	}
	/*
	 * lib/fsafe: O_EXCL, so a temporary file is this run's own, or one
	 * that -C resumes; never another run's truncated or removed
	 */
	if (fsafe_open(&s->fs, AT_FDCWD, s->final, (resume ? FSAFE_RESUME : 0) |
	    (s->noclobber ? FSAFE_NOCLOBBER : 0), &have) < 0) {
		e = errno;
		fsafe_partname(s->final, s->part, sizeof s->part);
		if (e == EEXIST && !resume)
			return fail(why, cap, "%s exists (a download cut short?): -C resumes it",
			    s->part);
		if (e == EEXIST)
			return fail(why, cap, "-C: %s is not a regular file", s->part);
		if (e == EINVAL)
			return fail(why, cap, "%s: names beginning with %s are for temporary files",
			    s->final, FSAFE_PREFIX);
		return fail(why, cap, "%s: %s", s->final, strerror(e));
	}
	snprintf(s->part, sizeof s->part, "%s", s->fs.part);
	if (hs_meta_name(s->part, s->meta, sizeof s->meta) < 0) {
		fsafe_abort(&s->fs);
		return fail(why, cap, "%s: name too long", s->final);
	}
	if (at >= 0 && at != have) {
		/* -C N: the .part must hold the N bytes kept */
		if (at > have || ftruncate(s->fs.fd, at) < 0) {
			e = at > have ? ERANGE : errno;
			if (s->fs.created)
				fsafe_abort(&s->fs);
			else
				fsafe_keep(&s->fs);
			return fail(why, cap, "-C: %s: %s", s->part, e == ERANGE ?
			    "holds fewer bytes than the offset" : strerror(e));
		}
		have = at;
	}
	s->fd = s->fs.fd;
	s->created = s->fs.created;
	s->offset = (uint64_t)have;
	if (s->offset > 0)
		hs_meta_load(s->meta, s->validator, sizeof s->validator);
	s->is_file = 1;
	return 0;
}

int
hs_sink_close(struct hs_sink *s, int complete, char *why, size_t cap)
{
	progress_end(&s->pm);
	if (s->is_dev) {
		s->is_dev = 0;
		if (close(s->fd) < 0 && complete)
			return fail(why, cap, "%s: %s", s->final, strerror(errno));
		return 0;
	}
	if (!s->is_file)
		return 0;
	if (!complete) {
		fsafe_keep(&s->fs);
		return 0;
	}
	/* fsync, then rename (-O: link, which never replaces a file that appeared) */
	if (fsafe_commit(&s->fs) < 0) {
		snprintf(why, cap, "%s: %s", s->final, strerror(errno));
		fsafe_keep(&s->fs);
		return EXIT_LOCAL;
	}
	unlink(s->meta);
	return 0;
}
