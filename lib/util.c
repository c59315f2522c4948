/* util.c - start-up, diagnostics, numbers, time, allocation, randomness */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

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

void
tb_die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_(fmt, ap);
	va_end(ap);
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

int64_t
tb_earliest(int64_t a, int64_t b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

char *
tb_iso8601(int64_t wall_us, char *buf, size_t n)
{
	time_t t = (time_t)(wall_us / 1000000);
	struct tm tm;
	char tmp[32];

	gmtime_r(&t, &tm);
	strftime(tmp, sizeof tmp, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, n, "%s.%03dZ", tmp, (int)(wall_us % 1000000 / 1000));
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
