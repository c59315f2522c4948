/*
 * httpretry.h - the rules of httpget's --retry, as curl's: which failed
 * try is worth another (a timeout, a failed name lookup that was not a
 * definitive no, a refused connection with --retry-connrefused, an HTTP
 * 408, 429, 500, 502, 503 or 504), and how long to wait before it (the
 * --retry-delay, else 1 s doubling up to 10 minutes; a Retry-After of
 * the server in seconds wins); and the wait itself.
 */
#ifndef TB_HTTPRETRY_H
#define TB_HTTPRETRY_H

#include <stdint.h>

#include "http.h"

#define HR_MAX_WAIT (600 * 1000000LL)	/* µs: curl's cap on the backoff */

/* how a try ended */
struct hr_try {
	int status;		/* the final status, 0: no response */
	int exit;		/* the try's exit status (EXIT_* of tubes.h) */
	int err;		/* errno of a failure (in a body too), or 0 */
	int lookup;		/* the failure was the name lookup */
};

/* 1 when the try failed in a way curl retries; connrefused: --retry-connrefused */
int hr_transient(const struct hr_try *, int connrefused);
/*
 * The wait before retry n (1 for the first): delay_us when given (>= 0),
 * else 1 s doubled each time, at most HR_MAX_WAIT; a Retry-After
 * (retry_after_us >= 0) replaces it, also capped.
 */
int64_t hr_wait(int n, int64_t delay_us, int64_t retry_after_us);
/* Retry-After of the head in µs (delta-seconds only), or -1 */
int64_t hr_retry_after(const struct http_head *);
/* wait us (not past deadline, if >= 0): 0, or -1 when a signal came */
int hr_sleep(int64_t us, int64_t deadline);

#endif
