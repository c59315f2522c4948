/*
 * httpjar.c - httpget's -b and -c: the cookie files read and written
 * (see httpjar.h); the cookie rules are lib/wire/cookie.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"
#include "httpjar.h"
#include "httpopt.h"
#include "tubes.h"
#include "url.h"

#define HJ_FILE_MAX (16u << 20)	/* a cookie file read: at most this */

static int64_t
now_s(void)
{
	return tb_wall() / 1000000;
}

int
hj_arg(struct httpjar *j, int ch, const char *arg)
{
	if (ch == 'c') {
		if (*arg == '\0')
			tb_usage_error("-c: want a file name, or -");
		j->jar = arg;
		j->engine = 1;
		return 1;
	}
	if (ch != 'b')
		return 0;
	if (j->ndata >= HJ_MAX_ARGS || j->nfiles >= HJ_MAX_ARGS)
		tb_usage_error("-b: at most %d of each kind", HJ_MAX_ARGS);
	if (strchr(arg, '=') == NULL) {
		j->files[j->nfiles++] = arg;
		j->engine = 1;
		return 1;
	}
	if (http_has_ctl(arg, 0x20) || strlen(arg) > HJ_FIELD_MAX / 2)
		tb_usage_error("-b: control byte in the cookies, or more than %d bytes",
		    HJ_FIELD_MAX / 2);
	j->data[j->ndata++] = arg;
	return 1;
}

void
hj_start(struct httpjar *j, int stdout_used, int verbose)
{
	char *text;
	size_t n, bad;
	int i;

	ck_init(&j->ck);
	if (j->jar && strcmp(j->jar, "-") == 0 && stdout_used)
		tb_usage_error("-c -: standard output carries the body, the heads or -j; "
		    "name a file");
	for (i = 0; i < j->nfiles; i++) {
		if ((text = tb_slurp(strcmp(j->files[i], "-") == 0 ? "/dev/stdin" :
		    j->files[i], HJ_FILE_MAX, &n)) == NULL) {
			if (errno != ENOENT)
				tb_die(EXIT_LOCAL, "-b %s: %s", j->files[i], strerror(errno));
			if (verbose)
				fprintf(stderr, "* -b %s: no such file: no cookies read\n",
				    j->files[i]);
			continue;
		}
		bad = ck_load(&j->ck, text, n, now_s());
		explicit_bzero(text, n);
		free(text);
		if (bad && verbose)
			fprintf(stderr, "* -b %s: %zu lines not taken\n", j->files[i], bad);
	}
}

size_t
hj_field(const struct httpjar *j, const struct url *u, int foreign, int trusted, char *out,
    size_t cap)
{
	static const char pre[] = "Cookie: ";
	size_t len = sizeof pre - 1, n;
	int i;

	if (cap < len + 4)
		return 0;
	memcpy(out, pre, len);
	for (i = 0; i < j->ndata && (!foreign || trusted); i++) {
		n = strlen(j->data[i]);
		if (len + 2 + n + 1 > cap)
			break;
		if (i > 0)
			memcpy(out + len, "; ", 2), len += 2;
		memcpy(out + len, j->data[i], n);
		len += n;
	}
	if (j->engine && len + 3 < cap) {
		int sep = len > sizeof pre - 1;

		n = ck_header(&j->ck, u->host, u->path, strcmp(u->scheme, "https") == 0,
		    now_s(), out + len + 2 * sep, cap - len - 2 * sep);
		if (n > 0 && sep)
			memcpy(out + len, "; ", 2);
		if (n > 0)
			len += n + 2 * sep;
	}
	out[len] = '\0';
	if (len == sizeof pre - 1)
		out[0] = '\0', len = 0;
	return len;
}

void
hj_take(struct httpjar *j, const struct http_head *h, const struct url *u, int verbose)
{
	static const char *why[] = { "", "malformed", "too long",
	    "its Domain is not the host's", "Secure over http", "the jar is full" };
	const char *v;
	size_t i, n;
	int r;

	if (!j->engine)
		return;
	for (i = 0; (v = http_field(h, "set-cookie", i, &n)) != NULL; i++) {
		r = ck_set(&j->ck, v, n, u->host, u->path, strcmp(u->scheme, "https") == 0,
		    now_s());
		if (r < 0 && verbose)
			fprintf(stderr, "* Set-Cookie %zu from %s ignored: %s\n", i + 1, u->host,
			    why[-r]);
	}
}

/* text[0..n) to path by a temporary file in its directory, renamed; 0 or -1 */
static int
save_file(const char *path, const char *text, size_t n)
{
	char tmp[4096];
	const char *slash = strrchr(path, '/');
	int fd, e;

	if (slash)
		e = snprintf(tmp, sizeof tmp, "%.*s/.%s.XXXXXX", (int)(slash - path), path,
		    slash + 1);
	else
		e = snprintf(tmp, sizeof tmp, ".%s.XXXXXX", path);
	if (e < 0 || (size_t)e >= sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = mkstemp(tmp)) < 0)
		return -1;
	if (fchmod(fd, 0600) < 0 || tb_write_all(fd, text, n) < 0 || fsync(fd) < 0) {
		e = errno;
		close(fd);
		unlink(tmp);
		errno = e;
		return -1;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		e = errno;
		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
}

int
hj_finish(struct httpjar *j)
{
	char *text;
	size_t n;
	int r;

	/* no cookies: a file that is not there is not created (one that is, is emptied) */
	if (j->jar == NULL || (j->ck.n == 0 && strcmp(j->jar, "-") != 0 &&
	    access(j->jar, F_OK) < 0 && errno == ENOENT)) {
		ck_free(&j->ck);
		return 0;
	}
	n = ck_save(&j->ck, NULL, 0, now_s());
	text = tb_malloc(n + 1);
	ck_save(&j->ck, text, n + 1, now_s());
	if (strcmp(j->jar, "-") == 0) {
		fflush(stdout);
		r = tb_write_all(1, text, n);
	} else
		r = save_file(j->jar, text, n);
	if (r < 0)
		tb_warn("-c %s: %s", j->jar, strerror(errno));
	explicit_bzero(text, n);
	free(text);
	ck_free(&j->ck);
	return r;
}
