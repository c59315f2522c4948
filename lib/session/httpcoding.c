/* httpcoding.c - content codings of HTTP response bodies (see httpcoding.h) */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "httpcoding.h"
#include "tubes.h"

enum hc_coding
hc_parse(const char *v, size_t n)
{
	while (n > 0 && (*v == ' ' || *v == '\t'))
		v++, n--;
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	if (n == 0 || (n == 8 && strncasecmp(v, "identity", 8) == 0))
		return HC_NONE;
	if ((n == 4 && strncasecmp(v, "gzip", 4) == 0) ||
	    (n == 6 && strncasecmp(v, "x-gzip", 6) == 0))
		return HC_GZIP;
	if (n == 7 && strncasecmp(v, "deflate", 7) == 0)
		return HC_DEFLATE;
	return HC_OTHER;
}

enum hc_coding
hc_coding(const struct http_head *h)
{
	const char *v;
	size_t n, i;
	enum hc_coding c = HC_NONE, k;

	/* several fields are one list (RFC 9110 5.3): one real coding at most */
	for (i = 0; (v = http_field(h, "content-encoding", i, &n)) != NULL; i++) {
		if ((k = hc_parse(v, n)) == HC_NONE)
			continue;
		if (c != HC_NONE)
			return HC_OTHER;
		c = k;
	}
	return c;
}

int
hc_size(const char *s, uint64_t *v)
{
	uint64_t n = 0, mul = 1;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > (UINT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	if (p == s)
		return -1;
	if (*p == 'k' || *p == 'K')
		mul = 1ull << 10;
	else if (*p == 'm' || *p == 'M')
		mul = 1ull << 20;
	else if (*p == 'g' || *p == 'G')
		mul = 1ull << 30;
	if (mul > 1)
		p++;
	if (*p != '\0' || n > UINT64_MAX / mul)
		return -1;
	*v = n * mul;
	return 0;
}

int
hc_arg(struct hc_opts *o, int ch, const char *arg)
{
	long long v;

	switch (ch) {
	case HC_OPT_COMPRESSED:
		o->compressed = 1;
		return 1;
	case HC_OPT_MAXDEC:
		if (hc_size(arg, &o->max_decoded) < 0)
			tb_usage_error("--max-decoded '%s': want bytes (k, M, G)", arg);
		return 1;
	case HC_OPT_MAXRATIO:
		if (tb_num(arg, 0, 100000, &v) < 0)
			tb_usage_error("--max-ratio '%s': want 0-100000", arg);
		o->max_ratio = (uint32_t)v;
		return 1;
	}
	return 0;
}

static int
write_out(void *arg, const uint8_t *p, size_t n)
{
	struct hc_decoder *d = arg;

	if (d->fd >= 0 && tb_write_all(d->fd, p, n) < 0) {
		d->werr = errno;
		return -1;
	}
	return 0;
}

void
hc_init(struct hc_decoder *d, enum hc_coding c, int fd, uint64_t max_out, uint32_t max_ratio)
{
	inflate_init(&d->inf, c == HC_GZIP ? INF_GZIP : INF_AUTO);
	d->inf.out = write_out;
	d->inf.arg = d;
	d->inf.max_out = max_out;
	d->inf.max_ratio = max_ratio;
	d->fd = fd;
	d->werr = d->ierr = 0;
}

int
hc_put(void *arg, const uint8_t *p, size_t n)
{
	struct hc_decoder *d = arg;
	int r = inflate_feed(&d->inf, p, n);

	if (r == 0)
		return 0;
	if (r == INF_ESINK) {
		errno = d->werr;
		return -1;
	}
	d->ierr = r;
	errno = EPROTO;
	return -1;
}

int
hc_end(struct hc_decoder *d)
{
	int r = inflate_finish(&d->inf);

	if (r != 0 && d->ierr == 0)
		d->ierr = r;
	return r != 0 ? -1 : 0;
}
