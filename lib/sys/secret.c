/* secret.c - passwords from a file, ~/.netrc or the environment; never argv */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secret.h"
#include "tubes.h"
#include "wire.h"

#define NETRC_MAX (128 * 1024)
#define TOKEN_MAX 4096

static const char nomatch[] =
    "no password (give --password-file, a ~/.netrc entry, or the environment variable)";

/* next token of a netrc text; quoted tokens take \ escapes. 1 token, 0 end, -1 bad */
static int
token(const char **pp, const char *end, char *out, size_t cap)
{
	const char *p = *pp;
	size_t n = 0;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ','))
		p++;
	if (p >= end) {
		*pp = p;
		return 0;
	}
	if (*p == '"') {
		for (p++; p < end && *p != '"'; p++) {
			char ch = *p;

			if (ch == '\\' && p + 1 < end) {
				p++;
				ch = *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p == 't' ? '\t' : *p;
			}
			if (n + 1 >= cap)
				return -1;
			out[n++] = ch;
		}
		if (p >= end)
			return -1;	/* unterminated quote */
		p++;
	} else {
		for (; p < end && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r'; p++) {
			if (n + 1 >= cap)
				return -1;
			out[n++] = *p;
		}
	}
	out[n] = '\0';
	*pp = p;
	return 1;
}

int
netrc_find(const char *buf, size_t len, const char *host, const char *user,
    char *login, size_t lcap, char *pass, size_t pcap)
{
	const char *p = buf, *end = buf + len;
	char tok[TOKEN_MAX], l[TOKEN_MAX], pw[TOKEN_MAX];
	int r, in = 0, isdef = 0, have = 0;

	*login = *pass = '\0';
	l[0] = pw[0] = '\0';
	for (;;) {
		r = token(&p, end, tok, sizeof tok);
		if (r < 0)
			return -1;
		if (r == 0 || strcmp(tok, "machine") == 0 || strcmp(tok, "default") == 0) {
			/* an entry ends: did it match? */
			if (in && (user == NULL || *user == '\0' || strcmp(l, user) == 0)) {
				if (!isdef || !have) {
					snprintf(login, lcap, "%s", l);
					snprintf(pass, pcap, "%s", pw);
					if (!isdef)
						return 1;
					have = 1;
				}
			}
			in = isdef = 0;
			l[0] = pw[0] = '\0';
			if (r == 0)
				return have;
			if (strcmp(tok, "default") == 0) {
				in = isdef = 1;
				continue;
			}
			if ((r = token(&p, end, tok, sizeof tok)) <= 0)
				return -1;
			in = tb_strcaseeq(tok, host);
		} else if (strcmp(tok, "login") == 0) {
			if (token(&p, end, l, sizeof l) <= 0)
				return -1;
		} else if (strcmp(tok, "password") == 0) {
			if (token(&p, end, pw, sizeof pw) <= 0)
				return -1;
		} else if (strcmp(tok, "account") == 0) {
			if (token(&p, end, tok, sizeof tok) <= 0)
				return -1;
		} else if (strcmp(tok, "macdef") == 0) {
			/* the body runs to the first empty line */
			const char *e;

			for (e = p; e < end; e++)
				if (e[0] == '\n' && e + 1 < end && e[1] == '\n')
					break;
			p = e < end ? e + 2 : end;
		}
		/* unknown tokens are skipped, as ftp(1) does */
	}
}

/* read a secret file we own and nobody else can read */
static int
read_private(const char *path, char *buf, size_t cap, size_t *lenp, const char **why)
{
	struct stat st;
	ssize_t n;
	size_t len = 0;
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		*why = errno == ELOOP ? "is a symbolic link" : strerror(errno);
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		*why = "not a regular file";
		close(fd);
		return -1;
	}
	if (st.st_mode & 077) {
		*why = "readable by others (chmod 600 it)";
		close(fd);
		return -1;
	}
	if (st.st_uid != getuid()) {
		*why = "not owned by you";
		close(fd);
		return -1;
	}
	while (len + 1 < cap && (n = read(fd, buf + len, cap - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	*lenp = len;
	return 0;
}

/*
 * unsetenv alone only drops the pointer from environ: the bytes stay in
 * the block the kernel shows as /proc/PID/environ (to the same user and
 * root) for the whole run.  So every entry of that name is overwritten
 * where it lies first (all of them: a hostile environment may carry two).
 */
void
tb_env_scrub(const char *name)
{
	extern char **environ;
	size_t nlen = strlen(name);
	char **e;

	for (e = environ; e && *e; e++)
		if (strncmp(*e, name, nlen) == 0 && (*e)[nlen] == '=')
			explicit_bzero(*e + nlen + 1, strlen(*e + nlen + 1));
	unsetenv(name);
}

static const char badbyte[] = "the password holds a CR, LF or NUL byte";

static int
find_password(const char *pwfile, const char *host, const char *user,
    const char *envvar, char *out, size_t cap, const char **why)
{
	char path[4096], login[TOKEN_MAX], *buf;
	const char *home, *env;
	size_t len;
	int r;

	*why = NULL;
	if (envvar && (env = getenv(envvar)) != NULL) {
		/* taken now and wiped from the environment whichever source wins */
		char tmp[TOKEN_MAX];
		int fits = strlen(env) < sizeof tmp;

		if (fits)
			memcpy(tmp, env, strlen(env) + 1);
		tb_env_scrub(envvar);
		r = find_password(pwfile, host, user, NULL, out, cap, why);
		if (r < 0 && *why == nomatch) {
			if (!fits || strlen(tmp) >= cap) {
				*why = "password too long";
				r = -1;
			} else {
				memcpy(out, tmp, strlen(tmp) + 1);
				*why = NULL;
				r = 0;
			}
		}
		explicit_bzero(tmp, sizeof tmp);
		return r;
	}
	if (pwfile) {
		char tmp[TOKEN_MAX];

		const char *nl;
		size_t l;

		if (read_private(pwfile, tmp, sizeof tmp, &len, why) < 0)
			return -1;
		/* the first line, its LF or CRLF dropped; a NUL in it is no end */
		nl = memchr(tmp, '\n', len);
		l = nl ? (size_t)(nl - tmp) : len;
		if (l > 0 && tmp[l - 1] == '\r')
			l--;
		r = 0;
		if (memchr(tmp, '\0', l) != NULL || memchr(tmp, '\r', l) != NULL) {
			*why = badbyte;
			r = -1;
		} else if (l >= cap) {
			*why = "password too long";
			r = -1;
		} else {
			memcpy(out, tmp, l);
			out[l] = '\0';
		}
		explicit_bzero(tmp, sizeof tmp);
		return r;
	}
	env = getenv("NETRC");
	if (env == NULL && (home = getenv("HOME")) != NULL) {
		snprintf(path, sizeof path, "%s/.netrc", home);
		env = path;
	}
	if (env && access(env, F_OK) == 0) {
		if ((buf = tb_malloc(NETRC_MAX + 1)) == NULL) {
			*why = strerror(ENOMEM);
			return -1;
		}
		if (read_private(env, buf, NETRC_MAX + 1, &len, why) < 0) {
			tb_free(buf);
			return -1;
		}
		r = netrc_find(buf, len, host, user, login, sizeof login, out, cap);
		explicit_bzero(buf, len);
		tb_free(buf);
		if (r < 0) {
			*why = "malformed netrc";
			return -1;
		}
		if (r > 0 && *out)
			return 0;
	}
	*why = nomatch;
	return -1;
}

/*
 * Every source, then one check: a CR or LF (from the environment, a
 * netrc escape, a password file) could never go into a line protocol's
 * command safely, so it is refused here -- before the first packet.
 */
int
tb_password(const char *pwfile, const char *host, const char *user,
    const char *envvar, char *out, size_t cap, const char **why)
{
	if (find_password(pwfile, host, user, envvar, out, cap, why) < 0)
		return -1;
	if (strpbrk(out, "\r\n") != NULL) {
		explicit_bzero(out, strlen(out));
		*why = badbyte;
		return -1;
	}
	return 0;
}
