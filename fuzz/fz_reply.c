/*
 * fz_reply - the SMTP/FTP reply reader on any byte stream (SMTP-01,
 * FTP-04): every reply it returns has a code in 100..599 and bounded text;
 * it never reads past what arrived.  The stream is fed through a pipe to
 * the real reader, so the line reader is fuzzed too.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "conn.h"
#include "tubes.h"

static struct conn c;
static struct reply r;

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	int fd, code, more;
	size_t i, start;

	/* the pure line parser on each line of the input */
	for (i = start = 0; i <= n; i++) {
		if (i == n || d[i] == '\n') {
			if (reply_line((const char *)d + start, i - start, &code, &more) == 0)
				FUZZ_ASSERT(code >= 100 && code <= 599 && (more == 0 || more == 1));
			start = i + 1;
		}
	}
	if ((fd = fuzz_stream(d, n)) < 0)
		return 0;
	memset(&c, 0, sizeof c);
	c.rfd = c.wfd = fd;
	c.idle = 1000000;
	c.deadline = -1;
	while (reply_read(&c, &r) == 0) {
		FUZZ_ASSERT(r.code >= 100 && r.code <= 599);
		FUZZ_ASSERT(r.len < sizeof r.text && strlen(r.text) <= r.len);
		FUZZ_ASSERT(r.nlines >= 1);
	}
	close(fd);
	return 0;
}
