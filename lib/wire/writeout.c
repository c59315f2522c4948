/*
 * writeout.c - curl's --write-out formats: see writeout.h.  Numbers are
 * printed as curl prints them: a status in three digits, sizes in
 * decimal, times in seconds with six decimals.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wire.h"
#include "writeout.h"

enum kind { K_CODE, K_INT, K_SIZE, K_TIME, K_STR, K_STDOUT, K_STDERR };

static const struct var {
	const char *name;
	enum kind kind;
	size_t off;
} vars[] = {
	{ "http_code", K_CODE, offsetof(struct wo_vals, http_code) },
	{ "response_code", K_CODE, offsetof(struct wo_vals, http_code) },
	{ "exitcode", K_INT, offsetof(struct wo_vals, exitcode) },
	{ "num_redirects", K_INT, offsetof(struct wo_vals, num_redirects) },
	{ "num_connects", K_INT, offsetof(struct wo_vals, num_connects) },
	{ "size_download", K_SIZE, offsetof(struct wo_vals, size_download) },
	{ "size_header", K_SIZE, offsetof(struct wo_vals, size_header) },
	{ "time_total", K_TIME, offsetof(struct wo_vals, time_total) },
	{ "time_connect", K_TIME, offsetof(struct wo_vals, time_connect) },
	{ "time_starttransfer", K_TIME, offsetof(struct wo_vals, time_starttransfer) },
	{ "url_effective", K_STR, offsetof(struct wo_vals, url_effective) },
	{ "content_type", K_STR, offsetof(struct wo_vals, content_type) },
	{ "redirect_url", K_STR, offsetof(struct wo_vals, redirect_url) },
	{ "method", K_STR, offsetof(struct wo_vals, method) },
	{ "scheme", K_STR, offsetof(struct wo_vals, scheme) },
	{ "stdout", K_STDOUT, 0 },
	{ "stderr", K_STDERR, 0 },
};

static const struct var *
lookup(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++)
		if (strlen(vars[i].name) == n && memcmp(vars[i].name, name, n) == 0)
			return &vars[i];
	return NULL;
}

int
wo_check(const char *fmt, const char **bad, size_t *nbad)
{
	const char *p = fmt, *end;

	while ((p = strstr(p, "%{")) != NULL) {
		/* "%%{" is a literal "%{" */
		if (p > fmt && p[-1] == '%') {
			p += 2;
			continue;
		}
		p += 2;
		if ((end = strchr(p, '}')) == NULL || lookup(p, (size_t)(end - p)) == NULL) {
			*bad = p;
			*nbad = end ? (size_t)(end - p) : strlen(p);
			return -1;
		}
		p = end + 1;
	}
	return 0;
}

/* µs as seconds with six decimals, as curl's %{time_*} */
static void
fmt_secs(struct fmt *f, int64_t us)
{
	if (us < 0)
		us = 0;
	fmt_uint(f, (uint64_t)us / 1000000, 10, 1);
	fmt_str(f, ".");
	fmt_uint(f, (uint64_t)us % 1000000, 10, 6);
}

static void
value(struct fmt *f, const struct var *var, const struct wo_vals *v)
{
	const char *base = (const char *)v + var->off;
	int i;

	switch (var->kind) {
	case K_CODE:
		memcpy(&i, base, sizeof i);
		fmt_uint(f, i > 0 && i < 1000 ? (uint64_t)i : 0, 10, 3);
		break;
	case K_INT:
		memcpy(&i, base, sizeof i);
		if (i < 0)
			fmt_str(f, "-");
		fmt_uint(f, i < 0 ? (uint64_t)-(int64_t)i : (uint64_t)i, 10, 1);
		break;
	case K_SIZE: {
		uint64_t u;

		memcpy(&u, base, sizeof u);
		fmt_uint(f, u, 10, 1);
		break;
	}
	case K_TIME: {
		int64_t t;

		memcpy(&t, base, sizeof t);
		fmt_secs(f, t);
		break;
	}
	default:
		break;
	}
}

void
wo_expand(const char *fmt, const struct wo_vals *v, wo_emit *emit, void *ctx)
{
	char buf[8192];
	struct fmt f;
	const struct var *var;
	const char *p = fmt, *end;
	int stream = WO_STDOUT;

	fmt_init(&f, buf, sizeof buf);
	while (*p) {
		if (p[0] == '%' && p[1] == '%') {
			fmt_str(&f, "%");
			p += 2;
		} else if (p[0] == '%' && p[1] == '{' && (end = strchr(p + 2, '}')) != NULL) {
			var = lookup(p + 2, (size_t)(end - p - 2));
			p = end + 1;
			if (var == NULL)
				continue;
			if (var->kind == K_STDOUT || var->kind == K_STDERR) {
				/* what came before goes where it was meant to */
				emit(ctx, stream, buf, f.len);
				fmt_init(&f, buf, sizeof buf);
				stream = var->kind == K_STDOUT ? WO_STDOUT : WO_STDERR;
				continue;
			}
			if (var->kind == K_STR) {
				/* a URL may be longer than the buffer: it goes as it is */
				const char *str;

				memcpy(&str, (const char *)v + var->off, sizeof str);
				emit(ctx, stream, buf, f.len);
				fmt_init(&f, buf, sizeof buf);
				if (str && *str)
					emit(ctx, stream, str, strlen(str));
			} else
				value(&f, var, v);
		} else if (p[0] == '\\' && p[1] && strchr("nrt\\", p[1])) {
			fmt_str(&f, p[1] == 'n' ? "\n" : p[1] == 'r' ? "\r" : p[1] == 't' ? "\t" : "\\");
			p += 2;
		} else {
			fmt_mem(&f, p, 1);
			p++;
		}
		if (f.len > sizeof buf - 64) {
			/* long formats go in pieces: room for the next number */
			emit(ctx, stream, buf, f.len);
			fmt_init(&f, buf, sizeof buf);
		}
	}
	if (f.len)
		emit(ctx, stream, buf, f.len);
}
