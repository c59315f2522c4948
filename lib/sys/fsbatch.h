/*
 * fsbatch.h - a batch of complete downloads waiting to be renamed into
 * place (system code, over lib/sys/fsafe.h).
 *
 * A mirror of many small files would pay one fsync a file with
 * fsafe_commit.  Instead each complete temporary file is closed
 * (fsafe_close) and its name queued here; fsbatch_flush makes the whole
 * batch durable with one syncfs on the directory, then renames each
 * .part- file to its name (fsafe_publish).  A file is never renamed
 * before its bytes are on disk, and a crash leaves .part- files, never a
 * short file under its real name.
 *
 *	struct fsbatch b = FSBATCH_INIT;
 *	fsbatch_add(&b, &f);		(for each complete file)
 *	if (b.n >= FSBATCH_MAX) fsbatch_flush(&b, dirfd, &failed);
 *	fsbatch_flush(&b, dirfd, &failed); fsbatch_free(&b);
 */
#ifndef TUBES_FSBATCH_H
#define TUBES_FSBATCH_H

#include <stddef.h>

#include "fsafe.h"

#define FSBATCH_MAX 256		/* files queued before a caller flushes */

struct fsbatch {
	char (*names)[256];
	size_t n, cap;
};
#define FSBATCH_INIT { NULL, 0, 0 }

/*
 * Close f (complete) and queue its name (f->name, under 256 bytes).  0,
 * or -1 with errno: the close failed, f->part is not queued.  Out of
 * memory ends the program (EXIT_LOCAL).
 */
int fsbatch_add(struct fsbatch *, struct fsafe *f);
/*
 * syncfs on dirfd, then every queued name renamed into place, in order;
 * the batch is empty afterwards.  0, or -1 with errno and *failed naming
 * what failed ("syncfs", or the name whose rename failed: the names
 * after it are not renamed and stay .part- files).
 */
int fsbatch_flush(struct fsbatch *, int dirfd, const char **failed);
void fsbatch_free(struct fsbatch *);

#endif
