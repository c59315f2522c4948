/*
 * spool.h - an array of fixed-size records that lives in an unlinked
 * temporary file (O_TMPFILE in $TMPDIR or /tmp), so a listing of a
 * million entries costs no memory: pop3get's LIST/UIDL, ftpget -r's
 * directory listings.  If no such file can be made the records stay in
 * memory.  Record i is written and read back by its index.
 */
#ifndef TB_SPOOL_H
#define TB_SPOOL_H

#include <stddef.h>

struct spool {
	int fd;			/* the unlinked file, or -1: in memory */
	size_t recsz;		/* bytes per record */
	unsigned char *mem;	/* the records when there is no file */
	size_t cap;		/* records mem holds */
	size_t n;		/* one past the highest index written */
};

/* start an empty spool of records of recsz bytes; 0, or -1 with errno */
int spool_open(struct spool *, size_t recsz);
/* write record i (any index: a gap reads back as zeros); 0, or -1 with errno */
int spool_put(struct spool *, size_t i, const void *rec);
/* read record i (zeros if never written); 0, or -1 with errno */
int spool_get(const struct spool *, size_t i, void *rec);
/* drop it (closing the file frees its blocks) */
void spool_close(struct spool *);

#endif
