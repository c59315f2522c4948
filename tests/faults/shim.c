/*
 * shim.c - test-only I/O fault injection, preloaded with LD_PRELOAD.
 *
 * TUBES_FAULT is a comma-separated list of OP:N:WHAT[:CLASS]
 *   OP     write send recv read fsync rename
 *   N      the N-th call of OP (1-based) in the chosen class, or * for every call
 *   WHAT   an errno name (EINTR EAGAIN EPIPE ENOSPC EIO ECONNRESET),
 *          "short" (write/send half, at least one byte), or
 *          "one" (read/recv/write/send one byte at a time)
 *   CLASS  sock, file or any (default any: every descriptor but 0, 1 and 2)
 * Example: TUBES_FAULT=write:2:ENOSPC:file,recv:*:one:sock
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

enum { W_ERR, W_SHORT, W_ONE };
enum { C_ANY, C_SOCK, C_FILE };

struct rule {
	char op[8];
	long n;			/* 0 = every call */
	int what, err, cls;
	long count;
};

static struct rule rules[16];
static int nrules = -1;

static int
errno_named(const char *s)
{
	static const struct { const char *name; int e; } t[] = {
		{ "EINTR", EINTR }, { "EAGAIN", EAGAIN }, { "EPIPE", EPIPE },
		{ "ENOSPC", ENOSPC }, { "EIO", EIO }, { "ECONNRESET", ECONNRESET },
		{ "EDQUOT", EDQUOT }, { "EROFS", EROFS },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(s, t[i].name) == 0)
			return t[i].e;
	return EIO;
}

static void
load(void)
{
	const char *env = getenv("TUBES_FAULT");
	char buf[512], *item, *save = NULL;

	nrules = 0;
	if (env == NULL || strlen(env) >= sizeof buf)
		return;
	memcpy(buf, env, strlen(env) + 1);
	for (item = strtok_r(buf, ",", &save); item && nrules < 16;
	    item = strtok_r(NULL, ",", &save)) {
		struct rule *r = &rules[nrules];
		char *f[4] = { 0 }, *s2 = NULL;
		int k = 0;

		for (f[k] = strtok_r(item, ":", &s2); f[k] && k < 3; f[++k] = strtok_r(NULL, ":", &s2))
			;
		if (f[0] == NULL || f[1] == NULL || f[2] == NULL)
			continue;
		snprintf(r->op, sizeof r->op, "%s", f[0]);
		r->n = strcmp(f[1], "*") == 0 ? 0 : strtol(f[1], NULL, 10);
		r->what = strcmp(f[2], "short") == 0 ? W_SHORT : strcmp(f[2], "one") == 0 ? W_ONE : W_ERR;
		r->err = r->what == W_ERR ? errno_named(f[2]) : 0;
		r->cls = f[3] == NULL ? C_ANY : strcmp(f[3], "sock") == 0 ? C_SOCK :
		    strcmp(f[3], "file") == 0 ? C_FILE : C_ANY;
		nrules++;
	}
}

/* the rule that fires for this call, or NULL */
static struct rule *
hit(const char *op, int fd)
{
	struct stat st;
	int i, cls = C_ANY;

	if (nrules < 0)
		load();
	for (i = 0; i < nrules; i++) {
		struct rule *r = &rules[i];

		if (strcmp(r->op, op) != 0)
			continue;
		if (r->cls == C_ANY && fd >= 0 && fd <= 2)
			continue;	/* "any" spares stdin, stdout and stderr */
		if (r->cls != C_ANY) {
			if (fd < 0 || fstat(fd, &st) < 0)
				continue;
			cls = S_ISSOCK(st.st_mode) ? C_SOCK : S_ISREG(st.st_mode) ? C_FILE : C_ANY;
			if (cls != r->cls)
				continue;
		}
		r->count++;
		if (r->n == 0 || r->count == r->n)
			return r;
	}
	return NULL;
}

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*send_fn)(int, const void *, size_t, int);
typedef ssize_t (*read_fn)(int, void *, size_t);
typedef ssize_t (*recv_fn)(int, void *, size_t, int);
typedef int (*fsync_fn)(int);
typedef int (*rename_fn)(const char *, const char *);

#define REAL(name) static name##_fn real_##name; \
	if (!real_##name) real_##name = (name##_fn)dlsym(RTLD_NEXT, #name)

static size_t
shrink(struct rule *r, size_t n)
{
	if (r->what == W_ONE || n <= 1)
		return n ? 1 : 0;
	return n / 2;
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	REAL(write);
	struct rule *r = hit("write", fd);

	if (r && r->what == W_ERR) {
		errno = r->err;
		return -1;
	}
	return real_write(fd, buf, r ? shrink(r, n) : n);
}

ssize_t
send(int fd, const void *buf, size_t n, int flags)
{
	REAL(send);
	struct rule *r = hit("send", fd);

	if (r && r->what == W_ERR) {
		errno = r->err;
		return -1;
	}
	return real_send(fd, buf, r ? shrink(r, n) : n, flags);
}

ssize_t
read(int fd, void *buf, size_t n)
{
	REAL(read);
	struct rule *r = hit("read", fd);

	if (r && r->what == W_ERR) {
		errno = r->err;
		return -1;
	}
	return real_read(fd, buf, r ? shrink(r, n) : n);
}

ssize_t
recv(int fd, void *buf, size_t n, int flags)
{
	REAL(recv);
	struct rule *r = hit("recv", fd);

	if (r && r->what == W_ERR) {
		errno = r->err;
		return -1;
	}
	return real_recv(fd, buf, r ? shrink(r, n) : n, flags);
}

int
fsync(int fd)
{
	REAL(fsync);
	struct rule *r = hit("fsync", fd);

	if (r) {
		errno = r->err ? r->err : EIO;
		return -1;
	}
	return real_fsync(fd);
}

int
rename(const char *from, const char *to)
{
	REAL(rename);
	struct rule *r = hit("rename", -1);

	if (r) {
		errno = r->err ? r->err : EIO;
		return -1;
	}
	return real_rename(from, to);
}
