/*
 * t_transfer.c - unit tests of lib/session/transfer.c (bodies by length,
 * chunked and to the end, by splice and by read/write, through a
 * transport layer; deadlines against a trickling peer; the sink's
 * errors) and of lib/sys/progress.c's frame.  Peers are socketpairs.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conn.h"
#include "http.h"
#include "progress.h"
#include "tap.h"
#include "transfer.h"
#include "tubes.h"

static struct conn c;
static int peerfd = -1;

/* a conn on one end of a socketpair; the peer wrote bytes and maybe closed */
static void
peer(const char *bytes, size_t n, int close_it)
{
	int sv[2];

	if (peerfd >= 0)
		close(peerfd);
	if (c.rfd > 0)
		close(c.rfd);
	memset(&c, 0, sizeof c);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		perror("socketpair");
		exit(1);
	}
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	c.rfd = c.wfd = sv[0];
	c.idle = 2000000;
	c.deadline = -1;
	if (n && write(sv[1], bytes, n) != (ssize_t)n) {
		perror("write");
		exit(1);
	}
	peerfd = sv[1];
	if (close_it) {
		close(peerfd);
		peerfd = -1;
	}
}

/* the sink: a pipe; what reached it, NUL-terminated */
static int sinkp[2];

static void
sink_new(void)
{
	if (pipe(sinkp) < 0) {
		perror("pipe");
		exit(1);
	}
}

static const char *
sink_take(void)
{
	static char buf[4096];
	ssize_t r;

	close(sinkp[1]);
	r = read(sinkp[0], buf, sizeof buf - 1);
	close(sinkp[0]);
	buf[r < 0 ? 0 : r] = '\0';
	return buf;
}

static int
run(enum xfer_how how, uint64_t len, int fd, int no_splice, struct xfer *x)
{
	memset(x, 0, sizeof *x);
	x->how = how;
	x->length = len;
	x->fd = fd;
	x->no_splice = no_splice;
	return xfer_copy(&c, x);
}

/* a transport layer that passes the stream through and counts its reads */
static int tp_reads;

static ssize_t
tp_read(struct conn *cc, void *buf, size_t n)
{
	tp_reads++;
	return conn_raw_read(cc, buf, n);
}

static int
tp_write(struct conn *cc, const void *buf, size_t n)
{
	return conn_raw_write(cc, buf, n);
}

static const struct conn_transport passthru = { "test", tp_read, tp_write, NULL, NULL, NULL };

int
main(void)
{
	struct xfer x;
	int i, r;

	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < 2; i++)
	TEST(i ? "length by read/write: the body, nothing after it" :
	    "length by splice into a FIFO: the body, nothing after it") {
		peer("helloHTTP/1.1 200", 17, 0);
		sink_new();
		CHECK_EQ(run(XFER_LENGTH, 5, sinkp[1], i, &x), 0);
		CHECK_EQ(x.copied, 5);
		CHECK_EQ(x.spliced, !i);
		CHECK_STR(sink_take(), "hello");
		CHECK_EQ(conn_ready(&c), 1);
		CHECK_EQ(c.len - c.off, 12);
		CHECK_MEM(c.buf + c.off, "HTTP/1.1 200", 12);
	}
	TEST("length into a regular file by splice through a pipe") {
		char tmpl[] = "/tmp/t_transfer.XXXXXX", got[16] = "";
		int fd = mkstemp(tmpl);

		peer("0123456789", 10, 1);
		CHECK_EQ(run(XFER_LENGTH, 10, fd, 0, &x), 0);
		CHECK_EQ(x.spliced, 1);
		CHECK_EQ(pread(fd, got, sizeof got - 1, 0), 10);
		CHECK_STR(got, "0123456789");
		close(fd);
		unlink(tmpl);
	}
	for (i = 0; i < 2; i++)
	TEST(i ? "write-behind: 20 MiB into a regular file by read/write, kicked every 8 MiB" :
	    "write-behind: 20 MiB into a regular file by splice, kicked every 8 MiB") {
		char tmpl[] = "/tmp/t_transfer.XXXXXX", got[8];
		int fd = mkstemp(tmpl);
		uint64_t len = 20 << 20;
		pid_t pid;

		peer(NULL, 0, 0);
		if ((pid = fork()) == 0) {
			static char blk[65536];
			uint64_t k;

			for (k = 0; k < len; k += sizeof blk) {
				memset(blk, 'a' + (int)(k >> 20) % 26, sizeof blk);
				if (write(peerfd, blk, sizeof blk) != (ssize_t)sizeof blk)
					_exit(1);
			}
			_exit(0);
		}
		close(peerfd);
		peerfd = -1;
		CHECK_EQ(run(XFER_LENGTH, len, fd, i, &x), 0);
		CHECK_EQ(x.copied, len);
		CHECK_EQ(x.spliced, !i);
		CHECK_EQ(x.wb, 1);
		CHECK(x.wb_at >= 2 * (uint64_t)XFER_WRITEBEHIND && x.wb_at <= len);
		CHECK_EQ(lseek(fd, 0, SEEK_END), (off_t)len);
		CHECK_EQ(pread(fd, got, 1, (off_t)(len - 1)), 1);
		CHECK_EQ(got[0], 'a' + 19);
		waitpid(pid, NULL, 0);
		close(fd);
		unlink(tmpl);
	}
	TEST("write-behind: none for a pipe or a character device") {
		int fd = open("/dev/null", O_WRONLY);

		peer("hello", 5, 1);
		sink_new();
		CHECK_EQ(run(XFER_LENGTH, 5, sinkp[1], 0, &x), 0);
		CHECK_EQ(x.wb, 0);
		CHECK_STR(sink_take(), "hello");
		peer("hello", 5, 1);
		CHECK_EQ(run(XFER_LENGTH, 5, fd, 0, &x), 0);
		CHECK_EQ(x.wb, 0);
		close(fd);
	}
	TEST("length: the bytes that came with the head first, then the stream") {
		peer("defgh", 5, 1);
		memcpy(c.buf, "abc", 3);
		c.len = 3;
		sink_new();
		CHECK_EQ(run(XFER_LENGTH, 8, sinkp[1], 0, &x), 0);
		CHECK_STR(sink_take(), "abcdefgh");
	}
	for (i = 0; i < 2; i++)
	TEST(i ? "length cut short (read/write): EPIPE, the bytes so far written" :
	    "length cut short (splice): EPIPE, the bytes so far written") {
		peer("hel", 3, 1);
		sink_new();
		CHECK_EQ(run(XFER_LENGTH, 5, sinkp[1], i, &x), -1);
		CHECK_EQ(errno, EPIPE);
		CHECK_EQ(x.sink_error, 0);
		CHECK_EQ(x.copied, 3);
		CHECK_STR(sink_take(), "hel");
	}
	TEST("to EOF: everything until the peer's end") {
		peer("abc", 3, 1);
		sink_new();
		CHECK_EQ(run(XFER_EOF, 0, sinkp[1], 0, &x), 0);
		CHECK_EQ(x.copied, 3);
		CHECK_STR(sink_take(), "abc");
	}
	TEST("dropped (fd -1): read and counted, written nowhere") {
		peer("abcdef", 6, 1);
		CHECK_EQ(run(XFER_LENGTH, 6, -1, 0, &x), 0);
		CHECK_EQ(x.copied, 6);
	}
	TEST("chunked: the data, the chunks counted, what follows stays buffered") {
		static const char body[] = "3\r\nabc\r\n2;x=1\r\nde\r\n0\r\nT: v\r\n\r\nNEXT";

		peer(body, sizeof body - 1, 0);
		sink_new();
		CHECK_EQ(run(XFER_CHUNKED, 0, sinkp[1], 0, &x), 0);
		CHECK_EQ(x.copied, 5);
		CHECK_EQ(x.chunks, 3);
		CHECK_STR(sink_take(), "abcde");
		CHECK_EQ(c.len - c.off, 4);
		CHECK_MEM(c.buf + c.off, "NEXT", 4);
	}
	TEST("chunked framing error: EPROTO with the decoder's reason") {
		peer("zz\r\n", 4, 1);
		CHECK_EQ(run(XFER_CHUNKED, 0, -1, 0, &x), -1);
		CHECK_EQ(errno, EPROTO);
		CHECK_EQ(x.http_error, HTTP_ECHUNK);
	}
	TEST("chunked without its last chunk: EPIPE, never success") {
		peer("3\r\nabc\r\n", 8, 1);
		CHECK_EQ(run(XFER_CHUNKED, 0, -1, 0, &x), -1);
		CHECK_EQ(errno, EPIPE);
		CHECK_EQ(x.copied, 3);
	}
	TEST("a silent peer: the idle limit ends the wait with ETIMEDOUT") {
		int64_t t0 = tb_now();

		peer("ab", 2, 0);
		c.idle = 100000;
		CHECK_EQ(run(XFER_LENGTH, 5, -1, 0, &x), -1);
		CHECK_EQ(errno, ETIMEDOUT);
		CHECK_EQ(x.copied, 2);
		CHECK(tb_now() - t0 < 1000000);
	}
	TEST("a peer trickling a byte every 20 ms meets the total deadline") {
		int64_t t0;
		pid_t pid;

		peer(NULL, 0, 0);
		if ((pid = fork()) == 0) {
			for (i = 0; i < 200; i++) {
				if (write(peerfd, "x", 1) != 1)
					_exit(0);
				usleep(20000);
			}
			_exit(0);
		}
		t0 = tb_now();
		c.idle = 1000000;
		c.deadline = t0 + 300000;
		for (i = 0; i < 2; i++) {
			r = run(XFER_EOF, 0, -1, i, &x);
			CHECK_EQ(r, -1);
			CHECK_EQ(errno, ETIMEDOUT);
			CHECK(x.copied > 0);
			c.deadline = tb_now() + 300000;
		}
		CHECK(tb_now() - t0 < 1500000);
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
	for (i = 0; i < 2; i++)
	TEST(i ? "a sink whose reader left (read/write): EPIPE, the sink's error" :
	    "a sink whose reader left (splice): EPIPE, the sink's error") {
		peer("hello", 5, 1);
		sink_new();
		close(sinkp[0]);
		CHECK_EQ(run(XFER_LENGTH, 5, sinkp[1], i, &x), -1);
		CHECK_EQ(errno, EPIPE);
		CHECK_EQ(x.sink_error, 1);
		close(sinkp[1]);
	}
	TEST("a full disk (/dev/full): ENOSPC, the sink's error") {
		int fd = open("/dev/full", O_WRONLY);

		if (fd >= 0) {
			peer("hello", 5, 1);
			CHECK_EQ(run(XFER_LENGTH, 5, fd, 0, &x), -1);
			CHECK_EQ(errno, ENOSPC);
			CHECK_EQ(x.sink_error, 1);
			close(fd);
		}
	}
	TEST("through a transport layer: no splice, the layer reads the stream") {
		peer("through the layer", 17, 1);
		c.tp = &passthru;
		tp_reads = 0;
		sink_new();
		CHECK_EQ(run(XFER_EOF, 0, sinkp[1], 0, &x), 0);
		CHECK_EQ(x.spliced, 0);
		CHECK(tp_reads >= 2);
		CHECK_STR(sink_take(), "through the layer");
		c.tp = NULL;
	}
	TEST("a signal ends the copy with EINTR") {
		peer("ab", 2, 0);
		tb_interrupted = SIGINT;
		CHECK_EQ(run(XFER_LENGTH, 5, -1, 0, &x), -1);
		CHECK_EQ(errno, EINTR);
		tb_interrupted = 0;
	}
	TEST("progress frames: share, bytes, rate, time left; the last one's total") {
		char b[128];

		progress_format(b, sizeof b, "f", 0, 512, 1024, 2000000, 0);
		CHECK_STR(b, "f   50%  512 B  256 B/s  0:02 left");
		progress_format(b, sizeof b, "f", 0, 1024, 1024, 2000000, 1);
		CHECK_STR(b, "f  100%  1.00 KiB  512 B/s  0:02 total");
		progress_format(b, sizeof b, NULL, 1 << 20, 3 << 20, 0, 1000000, 0);
		CHECK_STR(b, "3.00 MiB  2.00 MiB/s  -:-- left");
		progress_format(b, sizeof b, NULL, 0, 0, 0, 0, 0);
		CHECK_STR(b, "0 B  0 B/s  -:-- left");
		CHECK_EQ(progress_format(b, 8, "a-long-label", 0, 1, 2, 1, 0), 7);
	}
	return tap_done();
}
