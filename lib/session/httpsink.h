/*
 * httpsink.h - where httpget writes a body (session code): standard
 * output, a device or FIFO written in place, or a regular file written
 * as DIR/.part-NAME by lib/fsafe and renamed only when complete, with
 * the validator for -C's If-Range kept beside it (HTTP-24, HTTP-26).
 */
#ifndef TB_HTTPSINK_H
#define TB_HTTPSINK_H

#include <stddef.h>
#include <stdint.h>

#include "fsafe.h"
#include "httpsess.h"
#include "progress.h"
#include "url.h"

struct hs_sink {
	int fd;
	int is_file;
	char final[4096];
	struct fsafe fs;	/* the file: DIR/.part-NAME until complete (HTTP-26) */
	char part[FSAFE_NAME_MAX + FSAFE_PREFIX_LEN];
	char meta[FSAFE_NAME_MAX + 2 * FSAFE_PREFIX_LEN];	/* validator (HTTP-24) */
	char validator[256];	/* read from meta on -C: sent as If-Range */
	int created;		/* this run created the .part */
	struct hs_range range;	/* a 206 to our Range, checked against its Content-Range */
	int noclobber;		/* -O: never overwrite (HTTP-21) */
	int is_dev;		/* -o names a device or FIFO: written in place */
	uint64_t offset;	/* bytes already in the .part (-C), or asked for (-C N) */
	uint64_t written;	/* body bytes written by this run */
	int bar;		/* a progress meter on stderr */
	struct progress pm;
};

/*
 * Open the sink of one URL: name (NULL or "-": standard output), or
 * with remote the last segment of u's path (-O, never overwriting).
 * resume: take up the .part-NAME there is (-C); at >= 0: from that byte
 * (-C N: a .part holding more is cut there; on standard output the body
 * from that byte).  bar: a progress meter is wanted.  0, or EXIT_LOCAL
 * with why.
 */
int hs_sink_open(struct hs_sink *, const char *name, int remote, const struct url *u,
    int resume, int64_t at, int bar, char *why, size_t cap);
/* complete: sync and rename the .part into place; 0, or EXIT_LOCAL with why */
int hs_sink_close(struct hs_sink *, int complete, char *why, size_t cap);

#endif
