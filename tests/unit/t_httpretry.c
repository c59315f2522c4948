/* t_httpretry.c - unit tests of lib/session/httpretry.c: curl's --retry rules */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "http.h"
#include "httpretry.h"
#include "tap.h"
#include "tubes.h"

static struct http_head h;

static int
head(const char *s)
{
	size_t used;

	http_head_init(&h);
	return http_head_feed(&h, s, strlen(s), &used);
}

int
main(void)
{
	TEST("the statuses curl retries, and no other") {
		static const int yes[] = { 408, 429, 500, 502, 503, 504 };
		static const int no[] = { 200, 206, 301, 400, 401, 403, 404, 410, 501, 505 };
		struct hr_try t = { .exit = EXIT_NO };
		size_t i;

		for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
			t.status = yes[i];
			CHECK_EQ(hr_transient(&t, 0), HTTP_DONE);
		}
		for (i = 0; i < sizeof no / sizeof no[0]; i++) {
			t.status = no[i];
			CHECK_EQ(hr_transient(&t, 1), 0);
		}
	}
	TEST("timeouts and failed lookups are retried; a refused connection only when asked") {
		struct hr_try t = { .exit = EXIT_NET, .err = ETIMEDOUT };

		CHECK_EQ(hr_transient(&t, 0), HTTP_DONE);
		t.err = ECONNREFUSED;
		CHECK_EQ(hr_transient(&t, 0), 0);
		CHECK_EQ(hr_transient(&t, 1), HTTP_DONE);
		t.err = ECONNRESET;
		CHECK_EQ(hr_transient(&t, 1), 0);
		/* a 200 whose body stalled: a timeout too */
		t.status = 200;
		t.err = ETIMEDOUT;
		CHECK_EQ(hr_transient(&t, 0), 1);
		t.err = EPROTO;
		CHECK_EQ(hr_transient(&t, 0), 0);
		t.status = 0;
		t.err = 0;
		t.lookup = 1;
		CHECK_EQ(hr_transient(&t, 0), HTTP_DONE);
		/* NXDOMAIN is a definitive no (exit 1): not retried */
		t.exit = EXIT_NO;
		CHECK_EQ(hr_transient(&t, 0), 0);
		/* nor a local error */
		t.exit = EXIT_LOCAL;
		t.err = ETIMEDOUT;
		CHECK_EQ(hr_transient(&t, 0), 0);
	}
	TEST("backoff: 1 s doubling, capped at 10 minutes; --retry-delay is fixed") {
		CHECK_EQ(hr_wait(1, -1, -1), 1000000);
		CHECK_EQ(hr_wait(2, -1, -1), 2000000);
		CHECK_EQ(hr_wait(4, -1, -1), 8000000);
		CHECK_EQ(hr_wait(10, -1, -1), 512000000);
		CHECK_EQ(hr_wait(11, -1, -1), HR_MAX_WAIT);
		CHECK_EQ(hr_wait(60, -1, -1), HR_MAX_WAIT);
		CHECK_EQ(hr_wait(5, 250000, -1), 250000);
		CHECK_EQ(hr_wait(5, 0, -1), 0);
	}
	TEST("Retry-After in seconds replaces the wait, capped; a date is not taken") {
		CHECK_EQ(head("HTTP/1.1 503 x\r\nRetry-After: 3\r\n\r\n"), HTTP_DONE);
		CHECK_EQ(hr_retry_after(&h), 3000000);
		CHECK_EQ(hr_wait(1, 7000000, hr_retry_after(&h)), 3000000);
		CHECK_EQ(head("HTTP/1.1 503 x\r\nRetry-After: 99999999999999999999\r\n\r\n"), HTTP_DONE);
		CHECK_EQ(hr_wait(1, -1, hr_retry_after(&h)), HR_MAX_WAIT);
		CHECK_EQ(head("HTTP/1.1 429 x\r\nRetry-After: Fri, 31 Dec 1999 23:59:59 GMT\r\n\r\n"), HTTP_DONE);
		CHECK_EQ(hr_retry_after(&h), -1);
		CHECK_EQ(head("HTTP/1.1 503 x\r\n\r\n"), HTTP_DONE);
		CHECK_EQ(hr_retry_after(&h), -1);
	}
	return tap_done();
}
