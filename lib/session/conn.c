/* conn.c - TCP connections with deadlines, --via helpers, the line reader */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <linux/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conn.h"
#include "segview.h"
#include "resolv.h"
#include "tubes.h"

static void
conn_reset(struct conn *c)
{
	c->rfd = c->wfd = -1;
	c->via_pid = 0;
	c->eof = 0;
	c->off = c->len = 0;
	c->nread = c->nwritten = 0;
	c->tp = NULL;
	c->tpctx = NULL;
	c->sv = NULL;
}

/* the last segments and the summary of the segment view, then free it */
static void
end_view(struct conn *c, int64_t wait)
{
	if (c->sv == NULL)
		return;
	segview_close(c->sv, wait);
	tb_free(c->sv);
	c->sv = NULL;
}

/*
 * -X: bind the socket to a port of its own first, so that the filter can
 * name the connection before its SYN leaves.  Says once why it cannot.
 */
static void
watch(struct conn *c, int fd, int family, uint16_t port)
{
	static int said;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	struct tb_addr any;
	uint16_t lport;

	memset(&any, 0, sizeof any);
	any.family = family;
	sl = tb_sockaddr(&any, 0, &ss);
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0)
		return;
	sl = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0 ||
	    tb_from_sockaddr((struct sockaddr *)&ss, &any, &lport) < 0)
		return;
	if ((c->sv = tb_malloc(sizeof *c->sv)) == NULL)
		return;
	if (segview_open(c->sv, c->lv, lport, port) == 0)
		return;
	if (!said++)
		lv_packet(c->lv, "TCP segments not shown: capturing them needs CAP_NET_RAW (%s); "
		    "the kernel's TCP_INFO account follows at the end", strerror(errno));
	tb_free(c->sv);
	c->sv = NULL;
}

int
conn_tcp(struct conn *c, const struct tb_addr *a, uint16_t port, int64_t timeout)
{
	struct sockaddr_storage ss;
	struct pollfd pfd;
	socklen_t sl;
	int fd, r, err;
	int64_t dl;

	conn_reset(c);
	fd = socket(a->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (c->lv)
		watch(c, fd, a->family, port);
	sl = tb_sockaddr(a, port, &ss);
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS) {
		err = errno;
		close(fd);
		end_view(c, 100000);
		errno = err;
		return -1;
	}
	dl = tb_earliest(c->deadline, timeout >= 0 ? tb_now() + timeout : -1);
	pfd.fd = fd;
	pfd.events = POLLOUT;
	r = tb_poll(&pfd, 1, dl);
	if (r <= 0) {
		err = r == 0 ? ETIMEDOUT : errno;
		close(fd);
		end_view(c, 100000);
		errno = err;
		return -1;
	}
	sl = sizeof err;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) < 0 || err != 0) {
		close(fd);
		end_view(c, 100000);
		errno = err ? err : EIO;
		return -1;
	}
	c->rfd = c->wfd = fd;
	if (c->sv)
		segview_drain(c->sv);	/* the handshake */
	return 0;
}

/* append s to the buffer, single-quoted for sh */
static int
shquote(char *dst, size_t cap, size_t *len, const char *s)
{
	if (*len + 1 >= cap)
		return -1;
	dst[(*len)++] = '\'';
	for (; *s; s++) {
		if (*s == '\'') {
			if (*len + 4 >= cap)
				return -1;
			memcpy(dst + *len, "'\\''", 4);
			*len += 4;
		} else {
			if (*len + 1 >= cap)
				return -1;
			dst[(*len)++] = *s;
		}
	}
	if (*len + 1 >= cap)
		return -1;
	dst[(*len)++] = '\'';
	dst[*len] = '\0';
	return 0;
}

int
conn_via(struct conn *c, const char *cmd, const char *host, uint16_t port)
{
	char line[4096], portstr[8];
	size_t len = 0;
	int sv[2];
	pid_t pid;

	conn_reset(c);
	snprintf(portstr, sizeof portstr, "%u", port);
	for (; *cmd; cmd++) {
		if (cmd[0] == '%' && (cmd[1] == 'h' || cmd[1] == 'p')) {
			if (shquote(line, sizeof line, &len, cmd[1] == 'h' ? host : portstr) < 0)
				goto toolong;
			cmd++;
			continue;
		}
		if (cmd[0] == '%' && cmd[1] == '%')
			cmd++;
		if (len + 1 >= sizeof line)
			goto toolong;
		line[len++] = *cmd;
	}
	line[len] = '\0';
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	if ((pid = fork()) < 0) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		if (dup2(sv[1], 0) < 0 || dup2(sv[1], 1) < 0)
			_exit(127);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", line, (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	c->rfd = c->wfd = sv[0];
	c->via_pid = pid;
	return 0;
toolong:
	errno = E2BIG;
	return -1;
}

static int dial_exit;

int
conn_dial_exit(void)
{
	return dial_exit;
}

int
conn_dial(struct conn *c, const char *host, uint16_t port, int family,
    int64_t timeout, struct tb_addr *used, const char **why)
{
	static char wb[400];
	struct tb_addr addrs[16];
	int n, i, err = 0;

	dial_exit = EXIT_NET;
	n = tb_resolve(host, family, addrs, 16, why);
	if (n <= 0) {
		dial_exit = tb_lookup_failed(host, n, *why, wb, sizeof wb);
		*why = wb;
		errno = n == 0 ? ENOENT : n == -2 ? EINVAL : EAGAIN;
		return -2;
	}
	for (i = 0; i < n; i++) {
		if (conn_tcp(c, &addrs[i], port, timeout) == 0) {
			if (used)
				*used = addrs[i];
			return 0;
		}
		err = errno;
		if (c->deadline >= 0 && tb_now() >= c->deadline)
			break;
	}
	*why = err == EINTR ? "interrupted" : strerror(err);	/* a signal, as every wait says it */
	errno = err;
	return -1;
}

void
conn_close(struct conn *c)
{
	int st;

	if (c->tp) {
		if (c->tp->free)
			c->tp->free(c);
		c->tp = NULL;
		c->tpctx = NULL;
	}
	if (c->lv && c->sv == NULL && c->via_pid == 0 && c->rfd >= 0)
		tb_tcpinfo(c->lv->fp, c->rfd, "TCP_INFO");
	if (c->rfd >= 0)
		close(c->rfd);
	if (c->wfd >= 0 && c->wfd != c->rfd)
		close(c->wfd);
	c->rfd = c->wfd = -1;
	end_view(c, 300000);	/* the FIN exchange, then the summary */
	if (c->via_pid > 0) {
		/* the helper sees EOF and should leave; do not wait forever */
		int64_t end = tb_now() + 1000000;

		while (waitpid(c->via_pid, &st, WNOHANG) == 0) {
			if (tb_now() > end) {
				kill(c->via_pid, SIGTERM);
				waitpid(c->via_pid, &st, 0);
				break;
			}
			poll(NULL, 0, 5);
		}
		c->via_pid = 0;
	}
}

int
conn_wait(struct conn *c)
{
	struct pollfd pfd;
	int64_t dl;
	int r;

	/* a stream that never pauses must still meet the deadline */
	if (c->deadline >= 0 && tb_now() >= c->deadline)
		return 0;
	if (c->tp && c->tp->pending && c->tp->pending(c) > 0)
		return 1;
	dl = tb_earliest(c->deadline, c->idle >= 0 ? tb_now() + c->idle : -1);
	pfd.fd = c->rfd;
	pfd.events = POLLIN;
	r = tb_poll(&pfd, 1, dl);
	return r < 0 ? -1 : r > 0;
}

ssize_t
conn_raw_read(struct conn *c, void *buf, size_t n)
{
	ssize_t r;
	int w;

	for (;;) {
		/* a stream that never pauses must still meet the deadline */
		if (c->deadline >= 0 && tb_now() >= c->deadline) {
			errno = ETIMEDOUT;
			return -1;
		}
		{
			struct pollfd pfd = { .fd = c->rfd, .events = POLLIN };

			w = tb_poll(&pfd, 1, tb_earliest(c->deadline,
			    c->idle >= 0 ? tb_now() + c->idle : -1));
		}
		if (w <= 0) {
			if (w == 0)
				errno = ETIMEDOUT;
			return -1;
		}
		r = read(c->rfd, buf, n);
		if (r < 0 && (errno == EAGAIN || (errno == EINTR && !tb_interrupted)))
			continue;
		return r;
	}
}

/* the stream: through the layer, or straight off the fd */
static ssize_t
stream_read(struct conn *c, void *buf, size_t n)
{
	ssize_t r;

	r = c->tp ? c->tp->read(c, buf, n) : conn_raw_read(c, buf, n);
	if (c->sv)
		segview_drain(c->sv);
	if (r == 0)
		c->eof = 1;
	if (r > 0)
		c->nread += (uint64_t)r;
	return r;
}

/* refill: 1 bytes added, 0 EOF, -1 error */
static int
fill(struct conn *c)
{
	ssize_t r;

	if (c->off > 0 && c->off == c->len)
		c->off = c->len = 0;
	if (c->off > 0 && c->len == sizeof c->buf) {
		memmove(c->buf, c->buf + c->off, c->len - c->off);
		c->len -= c->off;
		c->off = 0;
	}
	if (c->eof)
		return 0;
	r = stream_read(c, c->buf + c->len, sizeof c->buf - c->len);
	if (r <= 0)
		return (int)r;
	c->len += (size_t)r;
	return 1;
}

int
conn_fill(struct conn *c)
{
	if (c->off < c->len)
		return 1;
	return fill(c);
}

int
conn_ready(struct conn *c)
{
	struct pollfd pfd;
	int64_t dl = c->deadline, idle = c->idle;
	int r;

	if (c->off < c->len)
		return 1;
	if (c->tp && c->tp->pending && c->tp->pending(c) > 0)
		return 1;
	/*
	 * Under a layer, a readable socket may hold a record that carries no
	 * data (a TLS ticket or KeyUpdate), or part of one: reading it here
	 * with no time to wait would cut the layer off mid-record.  Only what
	 * the layer already holds counts (the checks that matter most, before
	 * STARTTLS and STLS, run before there is a layer).
	 */
	if (c->tp)
		return 0;
	if (c->eof || c->rfd < 0)
		return 0;
	pfd.fd = c->rfd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) <= 0 || !(pfd.revents & (POLLIN | POLLHUP)))
		return 0;
	/* readable: data, EOF, or (under TLS) a record that may carry none */
	c->idle = 0;
	c->deadline = -1;
	r = fill(c);
	c->idle = idle;
	c->deadline = dl;
	return r > 0;
}

ssize_t
conn_line(struct conn *c, char *line, size_t cap)
{
	uint8_t *nl;
	size_t scanned = 0, n;
	int r;

	for (;;) {
		nl = memchr(c->buf + c->off + scanned, '\n', c->len - c->off - scanned);
		if (nl)
			break;
		scanned = c->len - c->off;
		if (scanned >= cap) {
			errno = EMSGSIZE;
			return -1;
		}
		if ((r = fill(c)) < 0)
			return -1;
		if (r == 0) {
			if (c->len == c->off)
				return -2;
			errno = EPIPE;
			return -1;
		}
	}
	n = (size_t)(nl - (c->buf + c->off));
	if (n >= cap) {
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(line, c->buf + c->off, n);
	c->off += n + 1;
	if (n > 0 && line[n - 1] == '\r')
		n--;
	line[n] = '\0';
	if (c->trace) {
		fputs("S: ", c->trace);
		tb_escape(c->trace, line, n, 1);
		fputc('\n', c->trace);
	}
	return (ssize_t)n;
}

ssize_t
conn_read(struct conn *c, void *buf, size_t n)
{
	size_t have;

	if (n == 0)
		return 0;
	if (c->off == c->len) {
		/* nothing buffered: read straight into the caller's buffer */
		c->off = c->len = 0;
		if (c->eof)
			return 0;
		return stream_read(c, buf, n);
	}
	have = c->len - c->off;
	if (have > n)
		have = n;
	memcpy(buf, c->buf + c->off, have);
	c->off += have;
	return (ssize_t)have;
}

int
conn_write(struct conn *c, const void *buf, size_t n)
{
	if (c->sv)
		segview_drain(c->sv);
	if (c->tp)
		return c->tp->write(c, buf, n);
	return conn_raw_write(c, buf, n);
}

int
conn_raw_write(struct conn *c, const void *buf, size_t n)
{
	const uint8_t *p = buf;
	struct pollfd pfd;
	ssize_t w;
	int r;

	while (n > 0) {
		w = send(c->wfd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && errno == ENOTSOCK)
			w = write(c->wfd, p, n);
		if (w < 0) {
			if (errno == EINTR && !tb_interrupted)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return -1;
			pfd.fd = c->wfd;
			pfd.events = POLLOUT;
			r = tb_poll(&pfd, 1, tb_earliest(c->deadline,
			    c->idle >= 0 ? tb_now() + c->idle : -1));
			if (r <= 0) {
				if (r == 0)
					errno = ETIMEDOUT;
				return -1;
			}
			continue;
		}
		p += w;
		n -= (size_t)w;
		c->nwritten += (uint64_t)w;
	}
	return 0;
}

int
conn_printf(struct conn *c, const char *fmt, ...)
{
	char buf[8192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof buf) {
		errno = EMSGSIZE;
		return -1;
	}
	return conn_write(c, buf, (size_t)n);
}

void
tb_tcpinfo(FILE *fp, int fd, const char *label)
{
	struct tcp_info ti;
	socklen_t sl = sizeof ti;

	memset(&ti, 0, sizeof ti);
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &sl) < 0)
		return;
	fprintf(fp, "%s%s%s: segments out %u, in %u, retransmitted %u, "
	    "rtt %.3f ms (var %.3f), mss %u, cwnd %u\n",
	    tb_prog, label ? " " : "", label ? label : "",
	    ti.tcpi_segs_out, ti.tcpi_segs_in, ti.tcpi_total_retrans,
	    ti.tcpi_rtt / 1000.0, ti.tcpi_rttvar / 1000.0, ti.tcpi_snd_mss,
	    ti.tcpi_snd_cwnd);
}

void
tb_tcpinfo_json(struct json *j, int fd)
{
	struct tcp_info ti;
	socklen_t sl = sizeof ti;

	memset(&ti, 0, sizeof ti);
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &sl) < 0)
		return;
	js_obj(j, "tcp_info");
	js_int(j, "segs_out", ti.tcpi_segs_out);
	js_int(j, "segs_in", ti.tcpi_segs_in);
	js_int(j, "retrans", ti.tcpi_total_retrans);
	js_ms(j, "rtt_ms", ti.tcpi_rtt);
	js_ms(j, "rttvar_ms", ti.tcpi_rttvar);
	js_int(j, "mss", ti.tcpi_snd_mss);
	js_close(j);
}
