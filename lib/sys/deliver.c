/*
 * deliver.c - durable local delivery: Maildir, mbox, an mbox stream, a
 * command per message; and the state file of delivered unique-ids.
 *
 * A message counts as delivered only once dv_commit returned 0: its
 * bytes are fsync'd and, for a Maildir, its name is in new/ and new/ is
 * fsync'd too (so a crash after that point cannot lose it).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "deliver.h"
#include "tubes.h"

/* --- opening sinks --------------------------------------------------------- */

static int
mkdir_ok(const char *p)
{
	return mkdir(p, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

static int
open_dir(const char *root, const char *sub)
{
	char p[4200];

	snprintf(p, sizeof p, "%s/%s", root, sub);
	if (mkdir_ok(p) < 0)
		return -1;
	return open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

#define LOCK_STALE 300	/* seconds: a dotlock naming no process we can check */

static char lockwhy[160];	/* why the dotlock could not be taken */

/*
 * Is the dotlock described by st (just read into text) stale?  Ours hold
 * "PID HOST\n": stale when HOST is this host (or absent, as liblockfile
 * writes it) and no process PID exists -- so a run killed with SIGKILL
 * does not lock out the next ones.  A lock without a PID (procmail,
 * mutt) is stale after LOCK_STALE seconds, the usual convention.
 * Describes the holder in lockwhy.
 */
static int
lock_stale(const struct sink *s, const struct stat *st, const char *text)
{
	char *end, host[64];
	long pid;
	long age = (long)(time(NULL) - st->st_mtime);

	errno = 0;
	pid = strtol(text, &end, 10);
	if (errno == 0 && end != text && pid > 0 && pid <= INT_MAX &&
	    (*end == '\n' || *end == '\0' || *end == ' ')) {
		host[0] = '\0';
		if (*end == ' ')
			sscanf(end + 1, "%63[^\n]", host);
		if (host[0] == '\0' || strcmp(host, s->host) == 0) {
			if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
				return 1;
			snprintf(lockwhy, sizeof lockwhy, "held by process %ld, still running", pid);
			return 0;
		}
		snprintf(lockwhy, sizeof lockwhy, "held by process %ld on %s, %ld s old (stale after %d s)",
		    pid, host, age, LOCK_STALE);
		return age > LOCK_STALE;
	}
	snprintf(lockwhy, sizeof lockwhy, "held by another program, %ld s old (stale after %d s)",
	    age, LOCK_STALE);
	return age > LOCK_STALE;
}

/*
 * Take the dotlock path.lock within wait µs (or until a termination
 * signal); EACCES means we may not (skip it).  A stale lock is removed,
 * but only if it is still the file we judged (same inode and mtime).
 */
static int
dotlock(struct sink *s, int64_t wait)
{
	int64_t end = tb_now() + wait;
	struct stat st, st2;
	char text[128];
	ssize_t n;
	int fd;

	snprintf(s->lock, sizeof s->lock, "%s.lock", s->path);
	for (;;) {
		fd = open(s->lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0) {
			n = snprintf(text, sizeof text, "%ld %s\n", (long)getpid(), s->host);
			if (write(fd, text, (size_t)n) != n || fstat(fd, &st) < 0) {
				close(fd);
				unlink(s->lock);
				break;
			}
			s->lock_dev = st.st_dev;
			s->lock_ino = st.st_ino;
			close(fd);
			return 0;
		}
		if (errno == EACCES || errno == EROFS || errno == EPERM) {
			s->lock[0] = '\0';
			return 0;	/* no write access to the directory: fcntl alone */
		}
		if (errno != EEXIST)
			break;
		if ((fd = open(s->lock, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
			n = fstat(fd, &st) == 0 ? read(fd, text, sizeof text - 1) : -1;
			close(fd);
			if (n >= 0) {
				text[n] = '\0';
				if (lock_stale(s, &st, text) && lstat(s->lock, &st2) == 0 &&
				    st2.st_ino == st.st_ino && st2.st_dev == st.st_dev &&
				    st2.st_mtime == st.st_mtime && unlink(s->lock) == 0) {
					s->stale++;
					continue;
				}
			}
		}
		if (tb_interrupted) {
			errno = EINTR;
			break;
		}
		if (tb_now() >= end) {
			errno = EWOULDBLOCK;
			break;
		}
		poll(NULL, 0, 50);
	}
	s->lock[0] = '\0';
	return -1;
}

/* remove our dotlock -- only if the file there is still the one we made */
static void
dotunlock(struct sink *s)
{
	struct stat st;

	if (s->lock[0] && lstat(s->lock, &st) == 0 && st.st_dev == s->lock_dev &&
	    st.st_ino == s->lock_ino)
		unlink(s->lock);
	s->lock[0] = '\0';
}

static int
fcntl_lock(int fd, int64_t wait)
{
	int64_t end = tb_now() + wait;
	struct flock fl;

	for (;;) {
		memset(&fl, 0, sizeof fl);
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		if (fcntl(fd, F_SETLK, &fl) == 0)
			return 0;
		if (errno != EACCES && errno != EAGAIN && errno != EINTR)
			return -1;
		if (tb_interrupted) {
			errno = EINTR;
			return -1;
		}
		if (tb_now() >= end) {
			errno = EWOULDBLOCK;
			return -1;
		}
		poll(NULL, 0, 50);
	}
}

int
sink_open(struct sink *s, int kind, const char *path, int fd, int64_t lock_wait,
    const char **why)
{
	char *dot;

	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->newfd = s->tmpfd = s->fd = -1;
	if (path)
		snprintf(s->path, sizeof s->path, "%s", path);
	if (gethostname(s->host, sizeof s->host) < 0 || s->host[0] == '\0')
		snprintf(s->host, sizeof s->host, "localhost");
	s->host[sizeof s->host - 1] = '\0';
	/* Maildir names must not hold '/' or ':' */
	for (dot = s->host; *dot; dot++)
		if (*dot == '/' || *dot == ':')
			*dot = '_';
	switch (kind) {
	case SINK_MAILDIR:
		*why = "cannot create the Maildir";
		if (mkdir_ok(s->path) < 0)
			return -1;
		*why = "cannot open tmp/ of the Maildir";
		if ((s->tmpfd = open_dir(s->path, "tmp")) < 0)
			return -1;
		*why = "cannot open new/ of the Maildir";
		if ((s->newfd = open_dir(s->path, "new")) < 0)
			goto fail;
		*why = "cannot create cur/ of the Maildir";
		{
			char p[4200];

			snprintf(p, sizeof p, "%s/cur", s->path);
			if (mkdir_ok(p) < 0)
				goto fail;
		}
		return 0;
	case SINK_MBOX:
		*why = "cannot open the mbox";
		s->fd = open(s->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		if (s->fd < 0)
			return -1;
		lockwhy[0] = '\0';
		*why = "cannot take the mbox dotlock";
		if (dotlock(s, lock_wait) < 0) {
			if (lockwhy[0] && errno == EWOULDBLOCK) {
				snprintf(s->lockwhy, sizeof s->lockwhy, "%s.lock %s",
				    s->path, lockwhy);
				*why = s->lockwhy;
			}
			goto fail;
		}
		*why = "cannot lock the mbox";
		if (fcntl_lock(s->fd, lock_wait) < 0)
			goto fail;
		return 0;
	case SINK_STREAM:
		s->fd = fd;
		return 0;
	case SINK_EXEC:
		return 0;
	}
	errno = EINVAL;
	*why = "unknown sink";
	return -1;
fail:
	{
		int e = errno;

		sink_close(s);
		errno = e;
	}
	return -1;
}

void
sink_close(struct sink *s)
{
	if (s->newfd >= 0)
		close(s->newfd);
	if (s->tmpfd >= 0)
		close(s->tmpfd);
	if (s->kind == SINK_MBOX && s->fd >= 0)
		close(s->fd);	/* releases the fcntl lock */
	dotunlock(s);
	s->newfd = s->tmpfd = s->fd = -1;
}

/* --- Maildir names ----------------------------------------------------------- */

#define NAME_TRIES 8		/* fresh names tried when one is taken */

/*
 * A fresh unique name: time.MusecPpidQseqRrand.host (maildir(5) with a
 * random part), so that neither another deliverer nor a reused PID nor a
 * file planted in tmp/ or new/ makes two messages share a name.
 */
static void
uniq_name(struct sink *s, char *name, size_t cap)
{
	int64_t now = tb_wall();
	uint32_t r;

	if (tb_random(&r, sizeof r) < 0)
		r = (uint32_t)now ^ (s->seq * 2654435761u);
	snprintf(name, cap, "%lld.M%06lldP%ldQ%uR%08x.%s",
	    (long long)(now / 1000000), (long long)(now % 1000000),
	    (long)getpid(), ++s->seq, (unsigned)r, s->host);
}

/* rename that never replaces: renameat2 RENAME_NOREPLACE, else check first */
static int
rename_noreplace(int fd1, const char *a, int fd2, const char *b)
{
	struct stat st;

#ifdef SYS_renameat2
	if (syscall(SYS_renameat2, fd1, a, fd2, b, 1 /* RENAME_NOREPLACE */) == 0)
		return 0;
	if (errno != ENOSYS && errno != EINVAL)
		return -1;
#endif
	if (fstatat(fd2, b, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		errno = EEXIST;
		return -1;
	}
	return renameat(fd1, a, fd2, b);
}

/* --- writing a message ----------------------------------------------------- */

static int
flush(struct delivery *d)
{
	if (d->err)
		return -1;
	if (d->len && tb_write_all(d->fd, d->buf, d->len) < 0) {
		d->err = errno ? errno : EIO;
		return -1;
	}
	d->len = 0;
	return 0;
}

static int
put(struct delivery *d, const void *p, size_t n)
{
	if (d->err)
		return -1;
	if (n > sizeof d->buf - d->len) {
		if (flush(d) < 0)
			return -1;
		if (n > sizeof d->buf) {
			if (tb_write_all(d->fd, p, n) < 0) {
				d->err = errno ? errno : EIO;
				return -1;
			}
			d->lastnl = ((const uint8_t *)p)[n - 1] == '\n';
			return 0;
		}
	}
	memcpy(d->buf + d->len, p, n);
	d->len += n;
	if (n)
		d->lastnl = ((const uint8_t *)p)[n - 1] == '\n';
	return 0;
}

int
dv_begin(struct sink *s, struct delivery *d, char *const env[])
{
	int64_t now = tb_wall();
	int p[2];

	memset(d, 0, offsetof(struct delivery, buf));
	d->s = s;
	d->fd = -1;
	d->bol = 1;
	d->lastnl = 1;
	switch (s->kind) {
	case SINK_MAILDIR: {
		int i;

		/* O_EXCL: a name already there is never ours; try another */
		for (i = 0; i < NAME_TRIES; i++) {
			uniq_name(s, d->name, sizeof d->name);
			d->fd = openat(s->tmpfd, d->name,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
			if (d->fd >= 0 || errno != EEXIST)
				break;
		}
		if (d->fd < 0)
			d->name[0] = '\0';	/* nothing of ours to remove */
		return d->fd < 0 ? -1 : 0;
	}
	case SINK_MBOX:
	case SINK_STREAM: {
		struct tm tm;
		time_t t = (time_t)(now / 1000000);
		char line[96];
		struct stat st;

		d->fd = s->fd;
		d->mbox = 1;
		if (s->kind == SINK_MBOX) {
			if (fstat(d->fd, &st) < 0)
				return -1;
			d->start = st.st_size;
		}
		gmtime_r(&t, &tm);
		strftime(line, sizeof line, "From MAILER-DAEMON %a %b %e %H:%M:%S %Y\n", &tm);
		d->bol = 1;
		return put(d, line, strlen(line));
	}
	case SINK_EXEC: {
		sigset_t term, old;

		if (pipe2(p, O_CLOEXEC) < 0)
			return -1;
		/*
		 * The termination signals wait until the child has their
		 * default actions: a SIGTERM from dv_abort that came before
		 * the exec would otherwise only set the child's copy of
		 * tb_interrupted, and the command would run on.
		 */
		sigemptyset(&term);
		sigaddset(&term, SIGTERM);
		sigaddset(&term, SIGINT);
		sigaddset(&term, SIGHUP);
		sigprocmask(SIG_BLOCK, &term, &old);
		d->pid = fork();
		if (d->pid != 0)
			sigprocmask(SIG_SETMASK, &old, NULL);
		if (d->pid < 0) {
			close(p[0]);
			close(p[1]);
			return -1;
		}
		if (d->pid > 0)
			setpgid(d->pid, d->pid);	/* both sides: no race */
		if (d->pid == 0) {
			size_t k;

			/*
			 * Its own process group, so that stopping it stops what
			 * it started too (the cat of "m=$(cat); ...").
			 */
			setpgid(0, 0);
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			signal(SIGHUP, SIG_DFL);
			sigprocmask(SIG_SETMASK, &old, NULL);
			/* the command's stdout goes to our stderr: stdout is for results */
			if (dup2(p[0], 0) < 0 || dup2(2, 1) < 0)
				_exit(127);
			for (k = 0; env && env[k]; k++)
				putenv(env[k]);
			signal(SIGPIPE, SIG_DFL);
			execl("/bin/sh", "sh", "-c", s->path, (char *)NULL);
			_exit(127);
		}
		close(p[0]);
		d->fd = p[1];
		return 0;
	}
	}
	errno = EINVAL;
	return -1;
}

static const char from_[] = "From ";

/* mboxrd: a line matching ^>*From  gets one more '>' */
static int
quoted(struct delivery *d, const uint8_t *p, size_t n)
{
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		uint8_t b = p[i];

		if (!d->bol) {
			/* copy the rest of the line in one go */
			const uint8_t *nl = memchr(p + i, '\n', n - i);
			size_t k = nl ? (size_t)(nl - (p + i)) + 1 : n - i;

			run = k;
			if (put(d, p + i, run) < 0)
				return -1;
			i += run - 1;
			if (nl)
				d->bol = 1;
			continue;
		}
		/* at the start of a line: look ahead over >* and "From " */
		if (d->from == 0 && b == '>') {
			d->gt++;
			continue;
		}
		if (b == (uint8_t)from_[d->from]) {
			if (++d->from == 5) {
				if (put(d, ">", 1) < 0)
					return -1;
				for (; d->gt > 0; d->gt--)
					if (put(d, ">", 1) < 0)
						return -1;
				if (put(d, from_, 5) < 0)
					return -1;
				d->from = 0;
				d->bol = 0;
			}
			continue;
		}
		/* no match: give back what was held, then this byte */
		for (; d->gt > 0; d->gt--)
			if (put(d, ">", 1) < 0)
				return -1;
		if (d->from && put(d, from_, (size_t)d->from) < 0)
			return -1;
		d->from = 0;
		if (put(d, &b, 1) < 0)
			return -1;
		d->bol = b == '\n';
	}
	return 0;
}

/* flush a held lookahead at the end of the message */
static int
unhold(struct delivery *d)
{
	for (; d->gt > 0; d->gt--)
		if (put(d, ">", 1) < 0)
			return -1;
	if (d->from && put(d, from_, (size_t)d->from) < 0)
		return -1;
	d->from = 0;
	return 0;
}

int
dv_write(struct delivery *d, const void *p, size_t n)
{
	if (d->err) {
		errno = d->err;
		return -1;
	}
	d->bytes += n;
	if (n == 0)
		return 0;
	if ((d->mbox ? quoted(d, p, n) : put(d, p, n)) < 0) {
		errno = d->err;
		return -1;
	}
	return 0;
}

static int
fsync_ok(int fd)
{
	/* a pipe or a terminal cannot be synced: that is not a failure */
	if (fsync(fd) == 0 || errno == EINVAL || errno == EROFS || errno == ENOTSUP)
		return 0;
	return -1;
}

int
dv_stage(struct delivery *d, struct staged *sd, int *status)
{
	struct sink *s = d->s;
	int st, e;

	if (status)
		*status = 0;
	sd->where[0] = '\0';
	sd->name[0] = '\0';
	sd->start = d->start;
	if (d->mbox) {
		if (unhold(d) < 0)
			goto bad;
		/* the message ends with a newline, then an empty line separates */
		if (!d->lastnl && put(d, "\n", 1) < 0)
			goto bad;
		if (put(d, "\n", 1) < 0)
			goto bad;
	}
	if (flush(d) < 0)
		goto bad;
	switch (s->kind) {
	case SINK_MAILDIR:
		if (close(d->fd) < 0) {
			d->err = errno;
			d->fd = -1;
			goto bad;
		}
		d->fd = -1;
		snprintf(sd->name, sizeof sd->name, "%s", d->name);
		return 0;
	case SINK_MBOX:
		return 0;
	case SINK_STREAM:
		if (fsync_ok(d->fd) < 0) {
			d->err = errno;
			goto bad;
		}
		snprintf(sd->where, sizeof sd->where, "-");
		return 0;
	case SINK_EXEC:
		close(d->fd);
		d->fd = -1;
		while (waitpid(d->pid, &st, 0) < 0) {
			if (errno != EINTR) {
				d->err = errno;
				d->pid = 0;
				goto bad;
			}
			if (tb_interrupted)
				kill(d->pid, SIGTERM);	/* we are told to go: so is it */
		}
		d->pid = 0;
		if (status)
			*status = st;
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
			snprintf(sd->where, sizeof sd->where, "exit 0");
			return 0;
		}
		if (WIFEXITED(st))
			snprintf(sd->where, sizeof sd->where, "exit %d", WEXITSTATUS(st));
		else
			snprintf(sd->where, sizeof sd->where, "signal %d",
			    WIFSIGNALED(st) ? WTERMSIG(st) : 0);
		d->err = ECHILD;
		dv_abort(d);
		errno = ECHILD;
		return -1;
	}
bad:
	e = d->err ? d->err : EIO;
	dv_abort(d);
	errno = e;
	return -1;
}

int
sink_flush(struct sink *s, struct staged *v, size_t n)
{
	size_t i, k;
	int e;

	if (n == 0)
		return 0;
	switch (s->kind) {
	case SINK_MAILDIR:
		/* every staged file's data and inode, in one go */
		if (syncfs(s->tmpfd) < 0) {
			/* fall back to one fsync per file */
			for (i = 0; i < n; i++) {
				int fd = openat(s->tmpfd, v[i].name, O_RDONLY | O_CLOEXEC);

				if (fd < 0 || fsync(fd) < 0) {
					e = errno;
					if (fd >= 0)
						close(fd);
					goto fail;
				}
				close(fd);
			}
		}
		for (i = 0; i < n; i++)
			v[i].linked = 0;
		for (i = 0; i < n; i++) {
			int t, r;

			/*
			 * Link, not rename: never replace an existing name.  A
			 * name taken in new/ (EEXIST) is someone else's message:
			 * take another name, never touch that one.
			 */
			snprintf(v[i].newname, sizeof v[i].newname, "%s", v[i].name);
			for (t = 0;; t++) {
				r = linkat(s->tmpfd, v[i].name, s->newfd, v[i].newname, 0);
				if (r == 0) {
					v[i].linked = 1;
					break;
				}
				if (errno == EPERM || errno == ENOSYS || errno == EOPNOTSUPP)
					r = rename_noreplace(s->tmpfd, v[i].name, s->newfd,
					    v[i].newname);
				if (r == 0)
					break;
				if (errno != EEXIST || t + 1 >= NAME_TRIES) {
					e = errno;
					goto unlink_new;
				}
				uniq_name(s, v[i].newname, sizeof v[i].newname);
			}
		}
		if (fsync(s->newfd) < 0) {
			e = errno;
			goto unlink_new;
		}
		for (i = 0; i < n; i++) {
			unlinkat(s->tmpfd, v[i].name, 0);
			snprintf(v[i].where, sizeof v[i].where, "%s/new/%s", s->path, v[i].newname);
		}
		return 0;
	unlink_new:
		/*
		 * The names may not survive a crash: take back the links this
		 * call made -- and only those (a message moved by rename is
		 * kept: it exists nowhere else).
		 */
		for (k = 0; k < n; k++)
			if (v[k].linked)
				unlinkat(s->newfd, v[k].newname, 0);
		goto fail;
	case SINK_MBOX:
		if (fsync(s->fd) < 0) {
			e = errno;
			goto fail;
		}
		for (i = 0; i < n; i++)
			snprintf(v[i].where, sizeof v[i].where, "%s", s->path);
		return 0;
	default:
		return 0;
	}
fail:
	sink_discard(s, v, n);
	errno = e;
	return -1;
}

void
sink_discard(struct sink *s, struct staged *v, size_t n)
{
	size_t i;

	if (n == 0)
		return;
	if (s->kind == SINK_MAILDIR)
		for (i = 0; i < n; i++)
			unlinkat(s->tmpfd, v[i].name, 0);
	if (s->kind == SINK_MBOX && ftruncate(s->fd, v[0].start) == 0)
		fsync(s->fd);
}

int
dv_commit(struct delivery *d, char *where, size_t cap, int *status)
{
	static struct staged sd;
	int r;

	r = dv_stage(d, &sd, status);
	if (r == 0)
		r = sink_flush(d->s, &sd, 1);
	snprintf(where, cap, "%s", sd.where);
	return r;
}

/*
 * Stop a --exec command and its children before the pipe is closed: an
 * EOF first could be taken for the message's end.  A SIGTERM may be lost
 * or ignored (sent before the exec, or trapped by the command), so after
 * a second the group gets SIGKILL; the pipe stays open until it is gone.
 */
static void
stop_command(pid_t pid)
{
	struct timespec t0, now;
	int st, killed = 0;
	pid_t r;

	kill(-pid, SIGTERM);
	kill(pid, SIGTERM);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		r = waitpid(pid, &st, killed ? 0 : WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			break;
		if (killed)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - t0.tv_sec) * 1000 +
		    (now.tv_nsec - t0.tv_nsec) / 1000000 >= 1000) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			killed = 1;
		} else
			poll(NULL, 0, 10);
	}
}

void
dv_abort(struct delivery *d)
{
	struct sink *s = d->s;

	switch (s->kind) {
	case SINK_MAILDIR:
		if (d->fd >= 0)
			close(d->fd);
		d->fd = -1;
		if (d->name[0])
			unlinkat(s->tmpfd, d->name, 0);
		break;
	case SINK_MBOX:
		/* take the partial message back out of the mbox */
		if (ftruncate(s->fd, d->start) == 0)
			fsync(s->fd);
		break;
	case SINK_STREAM:
		break;
	case SINK_EXEC:
		/*
		 * A message cut short or out of step must not be delivered:
		 * the command is stopped before it sees an EOF it could take
		 * for the message's end.
		 */
		if (d->pid > 0)
			stop_command(d->pid);
		d->pid = 0;
		if (d->fd >= 0)
			close(d->fd);
		d->fd = -1;
		break;
	}
	d->len = 0;
}

/* --- the state file -------------------------------------------------------- */

#define STATE_MAX (64 * 1024 * 1024)

int
state_add(struct uidstate *u, const char *uid)
{
	char *c;

	if (state_has(u, uid))
		return 0;
	if (u->n == u->cap) {
		size_t nc = u->cap ? u->cap * 2 : 64;
		char **nu = tb_realloc(u->uid, nc * sizeof *nu);
		unsigned char *nm;

		if (nu == NULL) {
			errno = ENOMEM;
			return -1;
		}
		u->uid = nu;
		if ((nm = tb_realloc(u->mark, nc)) == NULL) {
			errno = ENOMEM;
			return -1;
		}
		u->mark = nm;
		u->cap = nc;
	}
	if ((c = tb_strdup(uid)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	u->mark[u->n] = 1;	/* new: fetched now, so the server has it */
	u->uid[u->n++] = c;
	return 0;
}

static long
state_find(const struct uidstate *u, const char *uid)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		if (strcmp(u->uid[i], uid) == 0)
			return (long)i;
	return -1;
}

int
state_has(const struct uidstate *u, const char *uid)
{
	return state_find(u, uid) >= 0;
}

void
state_mark(struct uidstate *u, const char *uid)
{
	long i = state_find(u, uid);

	if (i >= 0)
		u->mark[i] = 1;
}

int
state_load(struct uidstate *u, const char *path, const char *account, const char **why)
{
	char *buf = NULL, *p, *end, *nl, *tab;
	struct stat st;
	size_t len = 0;
	ssize_t r;
	int fd;

	memset(u, 0, sizeof *u);
	snprintf(u->path, sizeof u->path, "%s", path);
	snprintf(u->account, sizeof u->account, "%s", account);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		*why = "cannot open the state file";
		return -1;
	}
	if (fstat(fd, &st) < 0 || st.st_size > STATE_MAX) {
		if (errno == 0 || st.st_size > STATE_MAX)
			errno = EFBIG;
		*why = "cannot read the state file";
		close(fd);
		return -1;
	}
	if ((buf = tb_malloc((size_t)st.st_size + 1)) == NULL || (u->other = tb_malloc((size_t)st.st_size + 1)) == NULL) {
		tb_free(buf);
		close(fd);
		errno = ENOMEM;
		*why = "out of memory";
		return -1;
	}
	while (len < (size_t)st.st_size && (r = read(fd, buf + len, (size_t)st.st_size - len)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			*why = "cannot read the state file";
			close(fd);
			tb_free(buf);
			return -1;
		}
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	/* lines "account TAB uid"; other accounts' lines are kept as they are */
	for (p = buf, end = buf + len; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		*nl = '\0';
		tab = strrchr(p, '\t');
		if (tab && (size_t)(tab - p) == strlen(account) &&
		    memcmp(p, account, (size_t)(tab - p)) == 0) {
			if (state_add(u, tab + 1) < 0) {
				*why = "out of memory";
				tb_free(buf);
				return -1;
			}
		} else if (*p) {
			size_t l = strlen(p);

			memcpy(u->other + u->olen, p, l);
			u->olen += l;
			u->other[u->olen++] = '\n';
		}
	}
	tb_free(buf);
	/* loaded ids count as not seen on the server until state_mark */
	if (u->n)
		memset(u->mark, 0, u->n);
	return 0;
}

int
state_save(struct uidstate *u, int prune, const char **why)
{
	char tmp[4200], dir[4200], *slash;
	FILE *fp;
	int fd, dfd, e;
	size_t i;

	snprintf(tmp, sizeof tmp, "%s.tmp", u->path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		*why = "cannot write the state file";
		return -1;
	}
	if ((fp = fdopen(fd, "w")) == NULL) {
		e = errno;
		close(fd);
		unlink(tmp);
		errno = e;
		*why = "cannot write the state file";
		return -1;
	}
	if (u->olen)
		fwrite(u->other, 1, u->olen, fp);
	for (i = 0; i < u->n; i++)
		if (!prune || u->mark[i])
			fprintf(fp, "%s\t%s\n", u->account, u->uid[i]);
	if (fflush(fp) != 0 || ferror(fp) || fsync(fd) < 0) {
		e = errno ? errno : EIO;
		fclose(fp);
		unlink(tmp);
		errno = e;
		*why = "cannot write the state file";
		return -1;
	}
	if (fclose(fp) != 0 || rename(tmp, u->path) < 0) {
		e = errno;
		unlink(tmp);
		errno = e;
		*why = "cannot replace the state file";
		return -1;
	}
	snprintf(dir, sizeof dir, "%s", u->path);
	slash = strrchr(dir, '/');
	if (slash == NULL)
		snprintf(dir, sizeof dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		if (fsync(dfd) < 0) {
			e = errno;
			close(dfd);
			errno = e;
			*why = "cannot sync the state file's directory";
			return -1;
		}
		close(dfd);
	}
	return 0;
}

void
state_free(struct uidstate *u)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		tb_free(u->uid[i]);
	tb_free(u->uid);
	tb_free(u->mark);
	tb_free(u->other);
	u->mark = NULL;
	u->uid = NULL;
	u->other = NULL;
	u->n = u->cap = u->olen = 0;
}
