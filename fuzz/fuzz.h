/* fuzz.h - shared by the fuzz targets: the oracle's way to fail */
#ifndef TUBES_FUZZ_H
#define TUBES_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tubes.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* an oracle failure: print and abort, so libFuzzer and the replay both see it */
#define FUZZ_ASSERT(c) do { if (!(c)) { fprintf(stderr, "%s:%d: oracle failed: %s\n", \
	__FILE__, __LINE__, #c); abort(); } } while (0)

/*
 * The input as a stream: a pipe holding its n bytes, its write end
 * closed, so a reader sees them and then EOF.  The read end, or -1 when
 * the input is over 60,000 bytes (more than a pipe holds) or no pipe.
 */
static inline int
fuzz_stream(const uint8_t *d, size_t n)
{
	int fds[2];

	if (n > 60000 || pipe(fds) < 0)
		return -1;
	if (tb_write_all(fds[1], d, n) < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	close(fds[1]);
	return fds[0];
}

#endif
