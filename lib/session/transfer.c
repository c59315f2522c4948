/* transfer.c - bodies from a connection into a sink, with deadlines (see transfer.h) */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"
#include "progress.h"
#include "transfer.h"
#include "tubes.h"

static uint8_t xbuf[XFER_BUFSZ];
static int pp[2] = { -1, -1 };	/* the splice pipe, kept for the next transfer */

/* the deadline or the signal: 0 go on, -1 with errno */
static int
stop(const struct conn *c)
{
	if (tb_interrupted) {
		errno = EINTR;
		return -1;
	}
	if (c->deadline >= 0 && tb_now() >= c->deadline) {
		errno = ETIMEDOUT;
		return -1;
	}
	return 0;
}

/* wait for the stream: 0 readable, -1 with errno (ETIMEDOUT, EINTR...) */
static int
wait_in(struct conn *c)
{
	int r = conn_wait(c);

	if (r > 0)
		return 0;
	if (r == 0)
		errno = tb_interrupted ? EINTR : ETIMEDOUT;
	return -1;
}

/* x->copied grew: start the file's write-out every XFER_WRITEBEHIND bytes */
static void
behind(struct xfer *x)
{
	if (!x->wb || x->copied - x->wb_at < XFER_WRITEBEHIND)
		return;
	x->wb_at = x->copied;
	/* all of the file (0, 0), asynchronously; a refusal only loses the head start */
	if (sync_file_range(x->fd, 0, 0, SYNC_FILE_RANGE_WRITE) < 0)
		x->wb = 0;
}

/* n bytes to the sink (none with fd -1 and no sink function) */
static int
put(struct xfer *x, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (x->sink ? x->sink(x->sink_arg, p, n) < 0 :
	    x->fd >= 0 && tb_write_all(x->fd, p, n) < 0) {
		x->sink_error = 1;
		return -1;
	}
	x->copied += n;
	behind(x);
	if (x->pm)
		progress_update(x->pm, x->pm->base + x->copied);
	return 0;
}

/* how much more to ask for: all that is left of a length, or cap */
static size_t
want(const struct xfer *x, size_t cap)
{
	uint64_t left;

	if (x->how != XFER_LENGTH)
		return cap;
	left = x->length - x->copied;
	return left < cap ? (size_t)left : cap;
}

/*
 * Up to n stream bytes into buf: > 0, 0 at the end, -1 with errno.  A
 * plain non-blocking socket is read before any poll (one system call a
 * buffer while data flows); anything else goes through conn_read.
 */
static ssize_t
get(struct conn *c, void *buf, size_t n, int nonblock)
{
	ssize_t r;

	for (;;) {
		if (stop(c) < 0)
			return -1;
		if (c->off < c->len || c->tp || !nonblock || c->eof)
			return conn_read(c, buf, n);
		r = read(c->rfd, buf, n);
		if (r > 0) {
			c->nread += (uint64_t)r;
			return r;
		}
		if (r == 0) {
			c->eof = 1;
			return 0;
		}
		if (errno != EAGAIN && errno != EINTR)
			return -1;
		if (wait_in(c) < 0)
			return -1;
	}
}

/* the end of the stream came first: EPIPE unless the body runs to it */
static int
ended(const struct xfer *x)
{
	if (x->how == XFER_EOF)
		return 0;
	errno = EPIPE;
	return -1;
}

/*
 * By read and write: a large body through our buffer, whatever is left
 * of a small one through the conn's (what follows it stays there, and
 * a run of small bodies never touches the large buffer).
 */
static int
copy_rw(struct conn *c, struct xfer *x, int nonblock)
{
	size_t k;
	ssize_t r;
	int f;

	while (x->how != XFER_LENGTH || x->copied < x->length) {
		if (want(x, sizeof xbuf) < sizeof xbuf || c->off < c->len) {
			if (stop(c) < 0 || (f = conn_fill(c)) < 0)
				return -1;
			if (f == 0)
				return ended(x);
			k = want(x, c->len - c->off);
			f = put(x, c->buf + c->off, k);
			c->off += k;
			if (f < 0)
				return -1;
			continue;
		}
		r = get(c, xbuf, sizeof xbuf, nonblock);
		if (r < 0)
			return -1;
		if (r == 0)
			return ended(x);
		if (put(x, xbuf, (size_t)r) < 0)
			return -1;
	}
	return 0;
}

/*
 * The sink takes splice(2)?  1 straight from the socket (a FIFO), 2
 * through our pipe (a regular file without O_APPEND, a character
 * device), 0 no.
 */
static int
splice_kind(int fd)
{
	struct stat st;
	int fl;

	if (fd < 0 || fstat(fd, &st) < 0 || (fl = fcntl(fd, F_GETFL)) < 0 || (fl & O_APPEND))
		return 0;
	if (S_ISFIFO(st.st_mode))
		return 1;
	if (S_ISREG(st.st_mode) || S_ISCHR(st.st_mode))
		return 2;
	return 0;
}

/* move n bytes from our pipe to the sink; 1 if the sink refuses splice */
static int
drain(struct xfer *x, size_t n)
{
	ssize_t m;

	while (n > 0) {
		m = splice(pp[0], NULL, x->fd, NULL, n, SPLICE_F_MOVE);
		if (m < 0 && errno == EINTR)
			continue;
		if (m < 0 && errno == EINVAL) {
			/* the sink takes no splice after all: empty the pipe by hand */
			while (n > 0) {
				m = read(pp[0], xbuf, n < sizeof xbuf ? n : sizeof xbuf);
				if (m <= 0 || tb_write_all(x->fd, xbuf, (size_t)m) < 0) {
					x->sink_error = 1;
					if (m == 0)
						errno = EIO;
					return -1;
				}
				n -= (size_t)m;
			}
			return 1;
		}
		if (m <= 0) {
			x->sink_error = 1;
			if (m == 0)
				errno = EIO;
			return -1;
		}
		n -= (size_t)m;
	}
	return 0;
}

/* 0 done, 1 go on by read/write (splice does not apply), -1 with errno */
static int
copy_splice(struct conn *c, struct xfer *x, int kind)
{
	ssize_t n;
	int d;

	if (kind == 2 && pp[0] < 0) {
		if (pipe2(pp, O_CLOEXEC) < 0)
			return 1;
		(void)fcntl(pp[1], F_SETPIPE_SZ, XFER_SPLICE);
	}
	while (x->how != XFER_LENGTH || x->copied < x->length) {
		if (stop(c) < 0)
			return -1;
		/*
		 * The socket is O_NONBLOCK, so EAGAIN means it has nothing
		 * now; the pipe side blocks (a sink's reader that is slow
		 * holds us as write(2) would; our own pipe is always empty
		 * here), else EAGAIN could also mean a full FIFO and the
		 * wait for the socket would spin.
		 */
		n = splice(c->rfd, NULL, kind == 1 ? x->fd : pp[1], NULL, want(x, XFER_SPLICE),
		    SPLICE_F_MOVE);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			if (wait_in(c) < 0)
				return -1;
			continue;
		}
		if (n < 0 && (errno == EINVAL || errno == ENOSYS) && !x->spliced)
			return 1;
		if (n < 0) {
			/* a FIFO sink's reader went away: the sink's error */
			if (kind == 1 && errno == EPIPE)
				x->sink_error = 1;
			return -1;
		}
		if (n == 0) {
			c->eof = 1;
			return ended(x);
		}
		x->spliced = 1;
		c->nread += (uint64_t)n;
		if (kind == 2 && (d = drain(x, (size_t)n)) != 0) {
			if (d < 0)
				return -1;
			x->copied += (uint64_t)n;
			return 1;
		}
		x->copied += (uint64_t)n;
		behind(x);
		if (x->pm)
			progress_update(x->pm, x->pm->base + x->copied);
	}
	return 0;
}

static void
show_chunk(void *arg, uint64_t size)
{
	struct xfer *x = arg;

	x->chunks++;
	if (x->lv == NULL)
		return;
	lv_layer(x->lv, "HTTP chunk %llu", (unsigned long long)x->chunks);
	lv_field(x->lv, "chunk-size", "0x%llx (%llu bytes)%s", (unsigned long long)size,
	    (unsigned long long)size, size == 0 ? ", last-chunk" : "");
}

/* chunked: decoded in place in the conn's buffer; what follows stays there */
static int
copy_chunked(struct conn *c, struct xfer *x)
{
	struct http_chunked ch;
	size_t used;
	long dn;
	int r;

	http_chunked_init(&ch);
	ch.on_chunk = show_chunk;
	ch.arg = x;
	while (!ch.done) {
		if (stop(c) < 0)
			return -1;
		if ((r = conn_fill(c)) < 0)
			return -1;
		if (r == 0)
			return ended(x);
		dn = http_chunked_feed(&ch, c->buf + c->off, c->len - c->off, &used);
		if (dn < 0) {
			x->http_error = (int)dn;
			errno = EPROTO;
			return -1;
		}
		r = put(x, c->buf + c->off, (size_t)dn);
		c->off += used;
		if (r < 0)
			return -1;
	}
	return 0;
}

int
xfer_copy(struct conn *c, struct xfer *x)
{
	struct stat st;
	size_t k;
	int nonblock, kind, r;

	x->copied = x->chunks = x->wb_at = 0;
	x->sink_error = x->http_error = x->spliced = 0;
	x->wb = x->sink == NULL && x->fd >= 0 && fstat(x->fd, &st) == 0 && S_ISREG(st.st_mode);
	if (x->how == XFER_CHUNKED)
		return copy_chunked(c, x);
	/* the bytes that came with the head first */
	k = want(x, c->len - c->off);
	if (k > 0) {
		r = put(x, c->buf + c->off, k);
		c->off += k;
		if (r < 0)
			return -1;
	}
	if (x->how == XFER_LENGTH && x->copied == x->length)
		return 0;
	nonblock = c->tp == NULL && (fcntl(c->rfd, F_GETFL) & O_NONBLOCK);
	if (nonblock && c->off == c->len && !c->eof && !x->no_splice && x->sink == NULL &&
	    (kind = splice_kind(x->fd)) != 0 && (r = copy_splice(c, x, kind)) != 1)
		return r;
	return copy_rw(c, x, nonblock);
}
