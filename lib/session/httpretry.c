/*
 * httpretry.c - httpget's --retry rules: see httpretry.h.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>

#include "http.h"
#include "httpretry.h"
#include "tubes.h"

int
hr_transient(const struct hr_try *t, int connrefused)
{
	switch (t->status) {
	case 408: case 429: case 500: case 502: case 503: case 504:
		return 1;
	}
	if (t->exit != EXIT_NET)
		return 0;	/* an answer, or a definitive no such as NXDOMAIN */
	if (t->err == ETIMEDOUT || t->lookup)
		return 1;	/* curl: a timeout, a lookup that could not be done */
	return connrefused && t->err == ECONNREFUSED;
}

int64_t
hr_wait(int n, int64_t delay_us, int64_t retry_after_us)
{
	int64_t w = 1000000;

	if (retry_after_us >= 0)
		return retry_after_us < HR_MAX_WAIT ? retry_after_us : HR_MAX_WAIT;
	if (delay_us >= 0)
		return delay_us;
	while (--n > 0 && w < HR_MAX_WAIT)
		w *= 2;
	return w < HR_MAX_WAIT ? w : HR_MAX_WAIT;
}

int64_t
hr_retry_after(const struct http_head *h)
{
	const char *v;
	size_t n, i;
	int64_t s = 0;

	if ((v = http_field(h, "retry-after", 0, &n)) == NULL || n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;	/* an HTTP-date: not taken */
		if (s < HR_MAX_WAIT / 1000000)
			s = s * 10 + (v[i] - '0');
	}
	return s * 1000000;
}

int
hr_sleep(int64_t us, int64_t deadline)
{
	int64_t end = tb_earliest(tb_now() + us, deadline), left;

	/* in slices of at most a second: a signal ends the wait at once */
	while (!tb_interrupted && (left = end - tb_now()) > 0)
		poll(NULL, 0, left > 1000000 ? 1000 : (int)((left + 999) / 1000));
	return tb_interrupted ? -1 : 0;
}
