/*
 * conn.h - a connection to a peer with deadlines on every wait: plain TCP or a
 * --via helper's pipes, the buffered line reader, and whole replies.
 */
#ifndef TB_CONN_H
#define TB_CONN_H

#include <stdint.h>
#include <sys/types.h>

#include "reply.h"
#include "tubes.h"

/* --- connections and the line reader (conn.c) -------------------------- */

#define CONN_BUFSZ 65536

struct conn;
/*
 * A layer between the socket and the stream a command reads and writes:
 * TLS (lib/tls) is one.  With c->tp NULL the stream is the socket (or the
 * --via helper's pipes) itself.  A layer reads and writes the raw bytes
 * with conn_raw_read and conn_raw_write, so every wait it makes keeps the
 * conn's idle limit, total deadline and the signal flag; conn_fill,
 * conn_line, conn_read, conn_write and conn_wait go through it.
 */
struct conn_transport {
	const char *name;	/* "tls" */
	/* up to n bytes of the stream: > 0, 0 at its clean end, -1 errno */
	ssize_t (*read)(struct conn *, void *, size_t n);
	/* all n bytes, or -1 with errno */
	int (*write)(struct conn *, const void *, size_t n);
	/* stream bytes the layer holds, readable without waiting */
	size_t (*pending)(struct conn *);
	/* end the stream (TLS: close_notify); 0 or -1 */
	int (*shutdown)(struct conn *);
	/* free the layer (conn_close calls it before closing the fds) */
	void (*free)(struct conn *);
};

struct conn {
	int rfd, wfd;		/* the same socket, or a --via helper's pipes */
	pid_t via_pid;		/* the --via helper, or 0 */
	int64_t idle;		/* µs allowed between bytes; < 0 none */
	int64_t deadline;	/* absolute monotonic µs; < 0 none */
	int eof;
	size_t off, len;	/* unread bytes are buf[off, len) */
	uint64_t nread, nwritten;
	FILE *trace;		/* if set, lines are echoed here as "S: " / "C: " */
	struct layers *lv;	/* -X: set before conn_tcp/conn_dial to see every segment */
	struct segview *sv;	/* the segment view, when it could be opened */
	const struct conn_transport *tp;	/* NULL: the fds carry the stream */
	void *tpctx;		/* the layer's state */
	uint8_t buf[CONN_BUFSZ];
};

/*
 * Connect to addr:port within timeout µs (and the conn's deadline).
 * With c->lv set, every TCP segment of the connection is shown there
 * (segview.h), or with no CAP_NET_RAW, the kernel's TCP_INFO at the end.
 * Returns 0, or -1 with errno (ETIMEDOUT, ECONNREFUSED, ...).
 */
int conn_tcp(struct conn *, const struct tb_addr *, uint16_t port, int64_t timeout);
/*
 * Connect through a helper: run "sh -c CMD" with %h and %p replaced by
 * host and port (shell-quoted), talking over its stdin/stdout.
 */
int conn_via(struct conn *, const char *cmd, const char *host, uint16_t port);
/*
 * name -> addresses -> first that connects; *why says what failed.
 * -2: the lookup failed, and *why is the whole diagnostic of
 * tb_lookup_failed ("HOST: no such host", "lookup of HOST failed: ...");
 * errno ENOENT (no such host), EINVAL (invalid literal) or EAGAIN.
 * -1: no address took the connection, errno and *why say why.
 * conn_dial_exit() then gives the exit code, 1, 2 or 3 (tubes(7)).
 */
int conn_dial(struct conn *, const char *host, uint16_t port, int family,
    int64_t timeout, struct tb_addr *used, const char **why);
int conn_dial_exit(void);
/* free the transport layer (if any), close the fds, reap a --via helper */
void conn_close(struct conn *);
/*
 * The raw bytes under a transport layer: wait (idle limit, deadline,
 * signal) then read(2) up to n bytes: > 0, 0 at EOF, -1 with errno
 * (ETIMEDOUT, EINTR on a signal); and write all n bytes the same way.
 * Without a layer these are conn_read/conn_write minus the buffer.
 */
ssize_t conn_raw_read(struct conn *, void *, size_t n);
int conn_raw_write(struct conn *, const void *, size_t n);
/*
 * One line, CR LF (or a bare LF) stripped, NUL-terminated, into line.
 * Returns the length, or -1: errno EMSGSIZE (longer than cap-1),
 * ETIMEDOUT, EPIPE (EOF in the middle of a line), or a socket error;
 * returns -2 at a clean EOF before any byte of a line.
 */
ssize_t conn_line(struct conn *, char *line, size_t cap);
/*
 * make sure buf[off, len) holds unread bytes, reading more if it is empty:
 * 1 bytes are there, 0 EOF, -1 with errno (ETIMEDOUT...)
 */
int conn_fill(struct conn *);
/*
 * Stream bytes waiting now, without waiting for any: 1 if some are
 * buffered, held by the transport or readable (they are read into the
 * buffer), 0 if none (EOF is not data).  Under a transport layer (TLS)
 * only the bytes it already holds count: the socket is not read.
 */
int conn_ready(struct conn *);
/* up to n bytes (buffered first); 0 at EOF; -1 with errno (ETIMEDOUT...) */
ssize_t conn_read(struct conn *, void *, size_t n);
/* all n bytes or -1 with errno; EINTR retried; never SIGPIPE */
int conn_write(struct conn *, const void *, size_t n);
int conn_printf(struct conn *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* wait until readable; 1 readable, 0 timed out (idle or deadline), -1 error */
int conn_wait(struct conn *);
/* print the kernel's TCP_INFO account of fd on fp (segments, retrans, rtt) */
void tb_tcpinfo(FILE *, int fd, const char *label);
/* JSON object "tcp_info" with the same fields */
void tb_tcpinfo_json(struct json *, int fd);



/*
 * read one whole reply; 0, or -1 with errno (EPROTO for a malformed one,
 * EMSGSIZE for one over REPLY_MAX bytes or REPLY_MAXLINES lines).  The
 * caller sets the conn's deadline for the whole reply.
 */
int reply_read(struct conn *, struct reply *);

#endif
