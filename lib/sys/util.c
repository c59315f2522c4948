/* util.c - start-up, diagnostics, numbers, time, allocation, randomness */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include "date.h"
#include "tubes.h"

const char *tb_prog = "tubes";
volatile sig_atomic_t tb_interrupted;

static long fail_at = -1;	/* TUBES_FAIL_ALLOC: make the k-th allocation fail */
static long nalloc;
static const char *alloc_log;	/* TUBES_ALLOC_LOG: write the count here at exit */

static void
write_alloc_log(void)
{
	char buf[32];
	int fd, n;

	if (alloc_log == NULL)
		return;
	fd = open(alloc_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	n = snprintf(buf, sizeof buf, "%ld\n", nalloc);
	(void)tb_write_all(fd, buf, (size_t)n);
	close(fd);
}

void
tb_init(const char *argv0)
{
	const char *s, *slash;
	long long k;

	if (argv0 && *argv0) {
		slash = strrchr(argv0, '/');
		tb_prog = slash ? slash + 1 : argv0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((s = getenv("TUBES_FAIL_ALLOC")) && tb_num(s, 1, 1000000000, &k) == 0)
		fail_at = (long)k;
	if ((s = getenv("TUBES_ALLOC_LOG")) && *s) {
		alloc_log = s;
		atexit(write_alloc_log);
	}
}

int
exit_worst(int a, int b)
{
	static const int rank[] = { 0, 1, 3, 2 };	/* 0 < 1 < 3 < 2 */

	if (a < 0 || a > 3)
		return a;
	if (b < 0 || b > 3)
		return b;
	return rank[a] >= rank[b] ? a : b;
}

void
tb_exit(int code)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		if (errno != EPIPE)
			fprintf(stderr, "%s: stdout: %s\n", tb_prog, strerror(errno));
		_exit(code == EXIT_OK ? EXIT_LOCAL : code);
	}
	exit(code);
}

static void vwarn_(const char *, va_list) __attribute__((format(printf, 1, 0)));

static void
vwarn_(const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", tb_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
tb_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_(fmt, ap);
	va_end(ap);
}

const char *
tb_signame(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP" :
	    "a signal";
}

void
tb_warn_peer(const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	fflush(stdout);
	fprintf(stderr, "%s: ", tb_prog);
	tb_escape(stderr, buf, strlen(buf), 1);
	fputc('\n', stderr);
}

static void (*die_summary)(int);

void
tb_on_die(void (*summary)(int))
{
	die_summary = summary;
}

void
tb_die(int code, const char *fmt, ...)
{
	void (*summary)(int) = die_summary;
	va_list ap;

	va_start(ap, fmt);
	vwarn_(fmt, ap);
	va_end(ap);
	die_summary = NULL;	/* a summary that dies must not loop */
	if (summary)
		summary(code);
	tb_exit(code);
}

void
tb_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help'.\n", tb_prog);
	tb_exit(EXIT_LOCAL);
}

void
tb_bad_option(void)
{
	fprintf(stderr, "Try '%s --help'.\n", tb_prog);
	tb_exit(EXIT_LOCAL);
}

int
tb_num(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0' || *s == ' ' || *s == '\t') {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == ERANGE || *end != '\0') {
		if (errno != ERANGE)
			errno = EINVAL;
		return -1;
	}
	if (v < min || v > max) {
		errno = ERANGE;
		return -1;
	}
	*out = v;
	return 0;
}

int
tb_secs(const char *s, double max_s, int64_t *usec)
{
	int64_t whole = 0, frac = 0, scale = 100000;
	const char *p = s;
	int digits = 0;

	if (s == NULL || *s == '\0') {
		errno = EINVAL;
		return -1;
	}
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		whole = whole * 10 + (*p - '0');
		if (whole > 100000000) {
			errno = ERANGE;
			return -1;
		}
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
			frac += (*p - '0') * scale;
			scale /= 10;
		}
	}
	if (*p != '\0' || digits == 0) {
		errno = EINVAL;
		return -1;
	}
	if ((double)whole + (double)frac / 1e6 > max_s) {
		errno = ERANGE;
		return -1;
	}
	*usec = whole * 1000000 + frac;
	return 0;
}

int64_t
tb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t
tb_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int
tb_ms_until(int64_t deadline)
{
	int64_t left;

	if (deadline < 0)
		return -1;
	left = deadline - tb_now();
	if (left <= 0)
		return 0;
	left = (left + 999) / 1000;
	return left > 86400000 ? 86400000 : (int)left;
}

/*
 * poll, in slices of at most a second, until an event, the deadline (< 0:
 * none) or a termination signal: r > 0 events, 0 the deadline passed, -1
 * an error or EINTR once tb_interrupted is set -- so a signal that came
 * just before the poll still ends the wait within a second.
 */
int
tb_poll(struct pollfd *pfd, int n, int64_t deadline)
{
	int ms, r;

	for (;;) {
		if (tb_interrupted) {
			errno = EINTR;
			return -1;
		}
		ms = tb_ms_until(deadline);
		if (ms < 0 || ms > 1000)
			ms = 1000;
		r = poll(pfd, (nfds_t)n, ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r != 0)
			return r;
		if (deadline >= 0 && tb_now() >= deadline)
			return 0;
	}
}

static void
on_term_signal(int sig)
{
	tb_interrupted = sig;
}

/*
 * The one signal path: SIGINT, SIGTERM and SIGHUP set tb_interrupted
 * (the signal's number) and interrupt the wait in progress; every wait
 * in conn.c honours it within a second.  No SA_RESTART.
 */
void
tb_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int64_t
tb_earliest(int64_t a, int64_t b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

/* dates through lib/wire/date.c, not gmtime_r + strftime: those pull the time zone code into every static binary */
static void
civil_date(int64_t days, int *y, int *m, int *d)
{
	int64_t yy;

	civil_from_days(days, &yy, m, d);
	*y = (int)yy;
}

char *
tb_iso8601(int64_t wall_us, char *buf, size_t n)
{
	int64_t s = wall_us / 1000000, us = wall_us % 1000000, days, sod;
	int y, mo, d;

	if (us < 0) {
		us += 1000000;
		s--;
	}
	days = s / 86400;
	sod = s % 86400;
	if (sod < 0) {
		sod += 86400;
		days--;
	}
	civil_date(days, &y, &mo, &d);
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, mo, d, (int)(sod / 3600),
	    (int)(sod / 60 % 60), (int)(sod % 60), (int)(us / 1000));
	return buf;
}

static int
alloc_fails(void)
{
	nalloc++;
	if (fail_at > 0 && nalloc == fail_at) {
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

void *
tb_malloc(size_t n)
{
	return alloc_fails() ? NULL : malloc(n ? n : 1);
}

void *
tb_xmalloc(size_t n)
{
	void *p = tb_malloc(n);

	if (p == NULL)
		tb_die(EXIT_LOCAL, "out of memory");
	return p;
}

void *
tb_calloc(size_t n, size_t size)
{
	return alloc_fails() ? NULL : calloc(n ? n : 1, size ? size : 1);
}

void *
tb_realloc(void *p, size_t n)
{
	return alloc_fails() ? NULL : realloc(p, n ? n : 1);
}

char *
tb_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = tb_malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

char *
tb_slurp_fd(int fd, size_t max, size_t *lenp)
{
	size_t cap = max < 4095 ? max + 1 : 4096, len = 0;
	char *buf = tb_malloc(cap), *nb;

	if (buf == NULL)
		return NULL;
	for (;;) {
		ssize_t r;

		if (len + 1 == cap) {
			if (len >= max) {
				/* one byte more than max, or exactly max and the end? */
				char c;

				while ((r = read(fd, &c, 1)) < 0 && errno == EINTR)
					;
				if (r == 0)
					break;
				tb_free(buf);
				errno = r < 0 ? errno : EFBIG;
				return NULL;
			}
			/* malloc and copy, not realloc: keeps realloc out of
			 * the static binaries that read a file or two */
			cap = cap > max / 2 ? max + 1 : cap * 2;
			if ((nb = tb_malloc(cap)) == NULL) {
				tb_free(buf);
				return NULL;
			}
			memcpy(nb, buf, len);
			tb_free(buf);
			buf = nb;
		}
		r = read(fd, buf + len, cap - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			tb_free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

ssize_t
tb_read_small(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;
	size_t len = 0;
	ssize_t r = 0;

	buf[0] = '\0';
	if (fd < 0)
		return -1;
	while (len + 1 < cap && (r = read(fd, buf + len, cap - 1 - len)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		len += (size_t)r;
	}
	e = errno;
	close(fd);
	buf[len] = '\0';
	errno = e;
	return r < 0 ? -1 : (ssize_t)len;
}

char *
tb_slurp(const char *path, size_t max, size_t *lenp)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;
	char *b;

	if (fd < 0)
		return NULL;
	b = tb_slurp_fd(fd, max, lenp);
	e = errno;
	close(fd);
	errno = e;
	return b;
}

void
tb_free(void *p)
{
	free(p);
}

int
tb_random(void *buf, size_t n)
{
	uint8_t *p = buf;
	ssize_t r;

	while (n > 0) {
		r = getrandom(p, n, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

int
tb_write_all(int fd, const void *buf, size_t n)
{
	const uint8_t *p = buf;
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}
