/*
 * transfer.h - the transfer layer: copy a body from a connection into a
 * sink under the connection's deadlines (session code).
 *
 * The source is a struct conn (conn.h): its buffered bytes first, then
 * the stream, through the conn's transport layer when there is one (TLS)
 * and straight off the socket when there is not.  The sink is a file
 * descriptor: a regular file opened through lib/sys/fsafe, stdout, a
 * device or a FIFO written in place; or -1, which reads the body and
 * drops it (a redirect's body, a refused resume).  The framing is one of
 *
 *	XFER_LENGTH	exactly length bytes (HTTP Content-Length, FTP SIZE)
 *	XFER_CHUNKED	HTTP/1.1 chunked: lib/wire/http.c decodes it
 *	XFER_EOF	until the peer's clean end (FTP data, HTTP close)
 *
 * Every wait keeps the conn's idle limit (c->idle between two bytes)
 * and its total deadline (c->deadline), so a peer trickling one byte a
 * second cannot hold a transfer past the deadline, and the signal flag
 * (tb_interrupted).  A body that ends early is an error (EPIPE), never a
 * short success.
 *
 * With no transport layer, nothing left in the conn's buffer, a
 * non-blocking socket and a sink that takes it (a FIFO directly; a
 * regular file not opened O_APPEND, or a character device such as
 * /dev/null, through a pipe) and no sink function, the bytes move with splice(2) and never
 * enter user space; otherwise by read(2) and write(2) through a 256 KiB
 * buffer.  No transfer takes a byte past the body's end: the last part
 * of a body (and a small body whole) is read through the conn's buffer,
 * where what follows it (the next pipelined response) stays.
 *
 * A regular-file sink gets write-behind: every XFER_WRITEBEHIND bytes
 * the kernel is asked to start writing the file's dirty pages out
 * (sync_file_range(2), without waiting), so the disk works while the
 * network does and the fsync that lib/fsafe makes before its rename
 * finds little left to write (httpget -o of 1 GiB from nginx on
 * loopback: the fsync took 0.38 s before, 0.004 s with it; strace -T).
 */
#ifndef TB_TRANSFER_H
#define TB_TRANSFER_H

#include <stdint.h>

#include "conn.h"

#define XFER_BUFSZ (256 * 1024)	/* the read/write path's buffer */
#define XFER_SPLICE (1 << 20)	/* bytes asked of one splice(2) */
#define XFER_WRITEBEHIND (8 << 20)	/* bytes between two write-behind kicks */

enum xfer_how { XFER_LENGTH, XFER_CHUNKED, XFER_EOF };

struct progress;
struct layers;

struct xfer {
	/* what to copy, and where */
	enum xfer_how how;
	uint64_t length;	/* XFER_LENGTH: the body's size */
	int fd;			/* the sink; -1: read the body and drop it */
	struct progress *pm;	/* updated with pm->base + copied, or NULL */
	struct layers *lv;	/* -X: chunk framing shown here, or NULL */
	int no_splice;		/* the caller wants the read/write path */
	/* instead of fd: a filter that takes the body (a decoder), 0 or -1 */
	int (*sink)(void *arg, const uint8_t *p, size_t n);
	void *sink_arg;
	/* the result */
	uint64_t copied;	/* body bytes taken from the conn (and written) */
	uint64_t chunks;	/* XFER_CHUNKED: chunks seen, the last included */
	int sink_error;		/* the error is the sink's (write(2)), not the peer's */
	int http_error;		/* EPROTO: the chunk decoder's enum http_err */
	int spliced;		/* the bytes went by splice(2) (for -v and tests) */
	/* private: write-behind on a regular file (xfer_copy sets these) */
	int wb;
	uint64_t wb_at;
};

/*
 * Copy as x says.  0 when the whole body is in the sink; -1 with errno
 * otherwise, x->copied saying how far it got:
 *	ETIMEDOUT	the idle limit or the total deadline passed
 *	EINTR		a signal (tb_interrupted)
 *	EPIPE		the peer ended the stream before the body's end
 *	EPROTO		bad chunked framing (x->http_error says which)
 *	other		a socket error, or with x->sink_error the sink's
 *			(ENOSPC, EIO, EPIPE from a closed pipe...)
 */
int xfer_copy(struct conn *, struct xfer *);

#endif
