/*
 * spool.h - fixed-size records in an unlinked temporary file, so that a
 * listing of any length costs a command the same memory (ftpget -r).
 *
 * The file is O_TMPFILE in $TMPDIR (or /tmp): it has no name, and goes
 * when the last descriptor closes, whatever ends the process.  Records
 * are read back by number with pread(2), so processes forked after the
 * records were put (and flushed) read them independently.  When no file
 * can be made (no writable $TMPDIR or /tmp), the records stay in memory.
 */
#ifndef TB_SPOOL_H
#define TB_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#define TB_SPOOL_BUF 65536	/* records are written in batches of this many bytes */

struct tb_spool {
	int fd;
	size_t size;		/* bytes a record */
	uint64_t n;		/* records put */
	uint64_t flushed;	/* records on the file */
	size_t len;		/* bytes waiting in buf */
	unsigned char *buf;	/* TB_SPOOL_BUF bytes; with no file, every record */
	size_t cap;		/* bytes buf holds */
};

/* a new empty spool of records of size bytes (at most TB_SPOOL_BUF); 0, or -1 with errno */
int tb_spool_open(struct tb_spool *, size_t size);
/* append one record; 0, or -1 with errno (the disk is full...) */
int tb_spool_put(struct tb_spool *, const void *rec);
/* write what waits in the buffer; 0 or -1 with errno */
int tb_spool_flush(struct tb_spool *);
/* record i (< n) into rec; 0, or -1 with errno (EINVAL past the end) */
int tb_spool_get(struct tb_spool *, uint64_t i, void *rec);
/* record i (already put and flushed) replaced by rec; 0 or -1 with errno */
int tb_spool_set(struct tb_spool *, uint64_t i, const void *rec);
/* close the file (its space is freed) and the buffer */
void tb_spool_close(struct tb_spool *);

#endif
