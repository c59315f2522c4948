/*
 * fakepeer - a scripted TCP peer for the tests (tests/peers/README.md).
 *
 *   fakepeer [-6] [-a ADDR] [-T SECS] PORTFILE LOGFILE SCRIPT
 *
 * Listens on 127.0.0.1 (or ::1 with -6, or ADDR) on a port the kernel
 * picks, writes that port to PORTFILE, logs every byte received on the
 * control connection(s) raw to LOGFILE, and follows SCRIPT one directive
 * a line.  Events and failures go to stderr as "fakepeer: ...".  Every
 * wait is bounded by the overall deadline (-T, 20 s by default).
 *
 * Exit: 0 script done; 1 an expectation failed (mismatch, early EOF,
 * timeout); 2 usage, script or local error; 3 the client went away while
 * the peer was sending.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tubes.h"

#define MAXCONN 64
#define RBUFSZ 65536
#define MAXLINE 8192

enum { P_OK = 0, P_FAIL = 1, P_LOCAL = 2, P_GONE = 3 };

static struct {
	struct tb_addr addr;
	int lfd;
	uint16_t port;
	int conns[MAXCONN];
	int nconn;
	int cur;		/* current control connection, -1 none */
	int naccepted;
	uint8_t rbuf[RBUFSZ];
	size_t roff, rlen;
	int reof;
	int logfd;
	int64_t deadline;
	int trickle_ms;
	int dlfd, dfd;
	uint16_t dport;
	struct tb_addr paddr;	/* from the client's last PORT/EPRT */
	uint16_t pport;
	int have_port;
	char acc[1024];		/* line accumulator for PORT/EPRT */
	size_t acclen;
	const char *script;
	char scriptdir[4096];
	unsigned lineno;
} P;

static void __attribute__((format(printf, 1, 2)))
say(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	tb_warn("%s", msg);
}

static void __attribute__((noreturn, format(printf, 2, 3)))
fail(int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	tb_warn("%s:%u: FAIL: %s", P.script, P.lineno, msg);
	tb_exit(code);
}

static int
set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* wait for events on fd until the deadline (or until `until` if earlier); 1 ready, 0 timed out */
static int
wait_fd(int fd, short ev, int64_t until)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = ev };
		int64_t d = tb_earliest(P.deadline, until);
		int ms = tb_ms_until(d);
		int r = poll(&pfd, 1, ms);
		if (r > 0)
			return 1;
		if (r == 0)
			return 0;
		if (errno != EINTR)
			fail(P_LOCAL, "poll: %s", strerror(errno));
	}
}

/* --- what the client sent: the log, and PORT/EPRT spotting ------------ */

static void
note_line(const char *l, size_t n)
{
	char tmp[1024];
	long long v[6];
	if (n >= sizeof tmp)
		return;
	memcpy(tmp, l, n);
	tmp[n] = 0;
	while (n > 0 && (tmp[n - 1] == '\r' || tmp[n - 1] == '\n'))
		tmp[--n] = 0;
	if (strncasecmp(tmp, "PORT ", 5) == 0) {
		char *s = tmp + 5, *tok, *save = NULL;
		int i = 0;
		for (tok = strtok_r(s, ",", &save); tok && i < 6; tok = strtok_r(NULL, ",", &save))
			if (tb_num(tok, 0, 255, &v[i++]) < 0)
				return;
		if (i != 6 || tok)
			return;
		P.paddr.family = AF_INET;
		P.paddr.scope = 0;
		for (i = 0; i < 4; i++)
			P.paddr.a[i] = (uint8_t)v[i];
		P.pport = (uint16_t)(v[4] * 256 + v[5]);
		P.have_port = 1;
		say("client PORT %lld.%lld.%lld.%lld port %u", v[0], v[1], v[2], v[3], P.pport);
	} else if (strncasecmp(tmp, "EPRT ", 5) == 0 && tmp[5]) {
		char d = tmp[5], *f[4] = { 0 }, *s = tmp + 6;
		int i;
		for (i = 0; i < 3; i++) {
			char *e = strchr(s, d);
			if (!e)
				return;
			*e = 0;
			f[i] = s;
			s = e + 1;
		}
		long long port;
		if (tb_addr_parse(f[1], &P.paddr) < 0 || tb_num(f[2], 1, 65535, &port) < 0)
			return;
		P.pport = (uint16_t)port;
		P.have_port = 1;
		say("client EPRT %s port %u", f[1], P.pport);
	}
}

static void
note_bytes(const uint8_t *b, size_t n)
{
	if (P.logfd >= 0 && tb_write_all(P.logfd, b, n) < 0)
		fail(P_LOCAL, "log: %s", strerror(errno));
	for (size_t i = 0; i < n; i++) {
		if (P.acclen < sizeof P.acc)
			P.acc[P.acclen++] = (char)b[i];
		if (b[i] == '\n') {
			note_line(P.acc, P.acclen);
			P.acclen = 0;
		}
	}
}

/* --- connections ------------------------------------------------------- */

static int
accept_on(int lfd, const char *what, int64_t until)
{
	if (!wait_fd(lfd, POLLIN, until))
		return -1;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	int fd = accept(lfd, (struct sockaddr *)&ss, &sl);
	if (fd < 0)
		fail(P_LOCAL, "accept %s: %s", what, strerror(errno));
	(void)what;
	set_nonblock(fd);
	return fd;
}

static void
do_accept(void)
{
	if (P.nconn >= MAXCONN)
		fail(P_LOCAL, "too many connections");
	int fd = accept_on(P.lfd, "control", -1);
	if (fd < 0)
		fail(P_FAIL, "accept: timed out waiting for connection %d", P.naccepted + 1);
	P.conns[P.nconn++] = fd;
	P.cur = fd;
	P.roff = P.rlen = 0;
	P.reof = 0;
	P.acclen = 0;
	P.naccepted++;
	say("accepted connection %d", P.naccepted);
}

static void
need_conn(const char *what)
{
	if (P.cur >= 0)
		return;
	if (P.naccepted == 0) {
		do_accept();
		return;
	}
	fail(P_LOCAL, "%s: no open connection (use accept)", what);
}

static void
drop_cur(void)
{
	for (int i = 0; i < P.nconn; i++)
		if (P.conns[i] == P.cur) {
			P.conns[i] = P.conns[--P.nconn];
			break;
		}
	close(P.cur);
	P.cur = -1;
}

/*
 * read more into rbuf, until `until` at most; returns bytes read, 0 at
 * EOF, -1 when the time ran out.  Every byte is logged.
 */
static ssize_t
fill(int64_t until)
{
	if (P.reof)
		return 0;
	if (P.roff > 0) {
		memmove(P.rbuf, P.rbuf + P.roff, P.rlen - P.roff);
		P.rlen -= P.roff;
		P.roff = 0;
	}
	if (P.rlen == sizeof P.rbuf)
		P.rlen = 0;	/* only callers that discard come here full */
	for (;;) {
		if (!wait_fd(P.cur, POLLIN, until))
			return -1;
		ssize_t n = read(P.cur, P.rbuf + P.rlen, sizeof P.rbuf - P.rlen);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			say("read: %s", strerror(errno));
			P.reof = 1;
			return 0;
		}
		if (n == 0) {
			P.reof = 1;
			return 0;
		}
		note_bytes(P.rbuf + P.rlen, (size_t)n);
		P.rlen += (size_t)n;
		return n;
	}
}

/* write all of buf to fd, one byte per trickle interval if trickling */
static void
xsend(int fd, const uint8_t *b, size_t n, const char *what)
{
	size_t off = 0;
	while (off < n) {
		size_t chunk = n - off;
		if (P.trickle_ms > 0) {
			chunk = 1;
			if (off > 0) {
				int64_t t = tb_now() + (int64_t)P.trickle_ms * 1000;
				if (P.deadline >= 0 && t > P.deadline)
					fail(P_FAIL, "%s: overall timeout while trickling", what);
				while (tb_ms_until(t) > 0)
					poll(NULL, 0, tb_ms_until(t));
			}
		}
		if (!wait_fd(fd, POLLOUT, -1))
			fail(P_FAIL, "%s: timed out (client not reading) after %zu of %zu bytes", what, off, n);
		ssize_t w = send(fd, b + off, chunk, MSG_NOSIGNAL);
		if (w < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (w < 0)
			fail(P_GONE, "%s: %s after %zu of %zu bytes", what, strerror(errno), off, n);
		off += (size_t)w;
	}
}

/* --- text: %-substitution then \-escapes -------------------------------- */

static size_t
expand(const char *in, uint8_t *out, size_t cap)
{
	char sub[8192];
	size_t n = 0;
	char p1[8], p2[8], dp[8], cp[8], da[TB_ADDRSTRLEN], pasv[64], epsv[16];

	snprintf(dp, sizeof dp, "%u", P.dport);
	snprintf(p1, sizeof p1, "%u", P.dport >> 8);
	snprintf(p2, sizeof p2, "%u", P.dport & 255);
	snprintf(cp, sizeof cp, "%u", P.port);
	snprintf(epsv, sizeof epsv, "|||%u|", P.dport);
	tb_addr_str(&P.addr, da, sizeof da);
	if (P.addr.family == AF_INET)
		snprintf(pasv, sizeof pasv, "%u,%u,%u,%u,%s,%s", P.addr.a[0], P.addr.a[1],
		    P.addr.a[2], P.addr.a[3], p1, p2);
	else
		snprintf(pasv, sizeof pasv, "127,0,0,1,%s,%s", p1, p2);
	static const char *names[] = { "%DATAPORT", "%DATAADDR", "%P1", "%P2", "%PASV",
		"%EPSV", "%PORT", "%ADDR", "%FOREIGN", "%%" };
	const char *vals[] = { dp, da, p1, p2, pasv, epsv, cp, da, "203,0,113,9", "%" };
	size_t nn = sizeof names / sizeof names[0];

	for (const char *s = in; *s;) {
		size_t i;
		if (*s == '%') {
			for (i = 0; i < nn; i++) {
				size_t l = strlen(names[i]);
				if (strncmp(s, names[i], l) == 0)
					break;
			}
			if (i < nn) {
				if ((i < 6) && P.dlfd < 0)
					fail(P_LOCAL, "%s used before data-listen", names[i]);
				size_t l = strlen(vals[i]);
				if (n + l >= sizeof sub)
					fail(P_LOCAL, "text too long");
				memcpy(sub + n, vals[i], l);
				n += l;
				s += strlen(names[i]);
				continue;
			}
		}
		if (n + 1 >= sizeof sub)
			fail(P_LOCAL, "text too long");
		sub[n++] = *s++;
	}
	sub[n] = 0;

	size_t o = 0;
	for (const char *s = sub; *s; s++) {
		uint8_t c = (uint8_t)*s;
		if (c == '\\') {
			s++;
			switch (*s) {
			case 'r': c = '\r'; break;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case '0': c = 0; break;
			case '\\': c = '\\'; break;
			case 'x': {
				int v = 0;
				for (int k = 1; k <= 2; k++) {
					char h = s[k];
					int d = h >= '0' && h <= '9' ? h - '0' :
					    h >= 'a' && h <= 'f' ? h - 'a' + 10 :
					    h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
					if (d < 0)
						fail(P_LOCAL, "bad \\x escape");
					v = v * 16 + d;
				}
				s += 2;
				c = (uint8_t)v;
				break;
			}
			default:
				fail(P_LOCAL, "unknown escape \\%c", *s ? *s : '0');
			}
		}
		if (o >= cap)
			fail(P_LOCAL, "text too long");
		out[o++] = c;
	}
	return o;
}

static size_t
unhex(const char *in, uint8_t *out, size_t cap)
{
	size_t o = 0;
	int half = -1;
	for (const char *s = in; *s; s++) {
		char h = *s;
		int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 :
		    h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
		if (d < 0) {
			if (h == ' ' || h == '\t' || h == ':')
				continue;
			fail(P_LOCAL, "bad hex digit '%c'", h);
		}
		if (half < 0) {
			half = d;
			continue;
		}
		if (o >= cap)
			fail(P_LOCAL, "hex too long");
		out[o++] = (uint8_t)(half * 16 + d);
		half = -1;
	}
	if (half >= 0)
		fail(P_LOCAL, "odd number of hex digits");
	return o;
}

/* filler byte i: 'a'..'z' repeating, so a test can check what arrived */
static void
send_fill(int fd, long long n, const char *what)
{
	uint8_t b[16384];
	long long done = 0;
	while (done < n) {
		size_t c = n - done < (long long)sizeof b ? (size_t)(n - done) : sizeof b;
		for (size_t i = 0; i < c; i++)
			b[i] = (uint8_t)('a' + (done + (long long)i) % 26);
		xsend(fd, b, c, what);
		done += (long long)c;
	}
}

static void
path_in(const char *arg, char *out, size_t cap)
{
	if (arg[0] == '/')
		snprintf(out, cap, "%s", arg);
	else
		snprintf(out, cap, "%s/%s", P.scriptdir, arg);
}

static void
send_file(int fd, const char *arg, const char *what)
{
	char path[8192];
	uint8_t b[16384];
	path_in(arg, path, sizeof path);
	int f = open(path, O_RDONLY);
	if (f < 0)
		fail(P_LOCAL, "%s: %s: %s", what, path, strerror(errno));
	ssize_t n;
	while ((n = read(f, b, sizeof b)) > 0)
		xsend(fd, b, (size_t)n, what);
	if (n < 0)
		fail(P_LOCAL, "%s: %s: %s", what, path, strerror(errno));
	close(f);
}

/* --- directives -------------------------------------------------------- */

static void
d_expect(const char *re)
{
	regex_t rx;
	char err[256];
	int rc = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		regerror(rc, &rx, err, sizeof err);
		fail(P_LOCAL, "bad regex /%s/: %s", re, err);
	}
	need_conn("expect");
	char line[MAXLINE + 1];
	for (;;) {
		uint8_t *s = P.rbuf + P.roff, *nl = memchr(s, '\n', P.rlen - P.roff);
		if (nl) {
			size_t n = (size_t)(nl - s);
			size_t adv = n + 1;
			if (n > 0 && s[n - 1] == '\r')
				n--;
			if (n > MAXLINE)
				fail(P_FAIL, "expect /%s/: line longer than %d bytes", re, MAXLINE);
			memcpy(line, s, n);
			line[n] = 0;
			P.roff += adv;
			char esc[512];
			tb_escape_buf(esc, sizeof esc, line, n);
			if (memchr(line, 0, n) || regexec(&rx, line, 0, NULL, 0) != 0) {
				regfree(&rx);
				fail(P_FAIL, "expect /%s/: got \"%s\"", re, esc);
			}
			regfree(&rx);
			say("expect ok: %s", esc);
			return;
		}
		if (P.rlen - P.roff > MAXLINE)
			fail(P_FAIL, "expect /%s/: line longer than %d bytes", re, MAXLINE);
		ssize_t r = fill(-1);
		if (r < 0)
			fail(P_FAIL, "expect /%s/: timed out", re);
		if (r == 0) {
			char esc[512];
			tb_escape_buf(esc, sizeof esc, P.rbuf + P.roff, P.rlen - P.roff);
			fail(P_FAIL, "expect /%s/: connection closed (partial \"%s\")", re, esc);
		}
	}
}

static void
d_expect_bytes(long long n)
{
	need_conn("expect-bytes");
	long long got = 0;
	while (got < n) {
		size_t have = P.rlen - P.roff;
		if (have > 0) {
			size_t take = (long long)have < n - got ? have : (size_t)(n - got);
			P.roff += take;
			got += (long long)take;
			continue;
		}
		P.roff = P.rlen = 0;
		ssize_t r = fill(-1);
		if (r < 0)
			fail(P_FAIL, "expect-bytes %lld: timed out after %lld", n, got);
		if (r == 0)
			fail(P_FAIL, "expect-bytes %lld: connection closed after %lld", n, got);
	}
	say("expect-bytes ok: %lld", n);
}

/* read and log until EOF; until < 0 means the overall deadline; returns 1 at EOF */
static int
drain(int64_t until)
{
	for (;;) {
		P.roff = P.rlen = 0;
		ssize_t r = fill(until);
		if (r == 0)
			return 1;
		if (r < 0)
			return 0;
	}
}

static void
d_sleep(long long ms)
{
	int64_t t = tb_now() + ms * 1000;
	if (P.deadline >= 0 && t > P.deadline)
		fail(P_FAIL, "sleep %lld: beyond the overall deadline", ms);
	while (tb_ms_until(t) > 0)
		poll(NULL, 0, tb_ms_until(t));
}

static void
d_data_listen(void)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	if (P.dlfd >= 0)
		close(P.dlfd);
	P.dlfd = socket(P.addr.family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (P.dlfd < 0)
		fail(P_LOCAL, "data-listen: socket: %s", strerror(errno));
	sl = tb_sockaddr(&P.addr, 0, &ss);
	if (bind(P.dlfd, (struct sockaddr *)&ss, sl) < 0 || listen(P.dlfd, 8) < 0)
		fail(P_LOCAL, "data-listen: %s", strerror(errno));
	sl = sizeof ss;
	if (getsockname(P.dlfd, (struct sockaddr *)&ss, &sl) < 0)
		fail(P_LOCAL, "data-listen: getsockname: %s", strerror(errno));
	struct tb_addr a;
	tb_from_sockaddr((struct sockaddr *)&ss, &a, &P.dport);
	say("data listening on port %u", P.dport);
}

static void
d_data_connect(void)
{
	struct sockaddr_storage ss;
	if (!P.have_port)
		fail(P_FAIL, "data-connect: the client sent no PORT or EPRT");
	char as[TB_ADDRSTRLEN];
	tb_addr_str(&P.paddr, as, sizeof as);
	/* the network rule: only ever connect to loopback or our own address */
	int local = tb_addr_eq(&P.paddr, &P.addr) ||
	    (P.paddr.family == AF_INET && P.paddr.a[0] == 127);
	if (!local) {
		static const uint8_t lo6[16] = { [15] = 1 };
		local = P.paddr.family == AF_INET6 && memcmp(P.paddr.a, lo6, 16) == 0;
	}
	if (!local)
		fail(P_FAIL, "data-connect: refusing to connect to %s (not loopback or our address)", as);
	if (P.dfd >= 0)
		close(P.dfd);
	P.dfd = socket(P.paddr.family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (P.dfd < 0)
		fail(P_LOCAL, "data-connect: socket: %s", strerror(errno));
	unsigned sl = tb_sockaddr(&P.paddr, P.pport, &ss);
	if (connect(P.dfd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS)
		fail(P_FAIL, "data-connect %s port %u: %s", as, P.pport, strerror(errno));
	if (!wait_fd(P.dfd, POLLOUT, -1))
		fail(P_FAIL, "data-connect %s port %u: timed out", as, P.pport);
	int e = 0;
	socklen_t el = sizeof e;
	getsockopt(P.dfd, SOL_SOCKET, SO_ERROR, &e, &el);
	if (e)
		fail(P_FAIL, "data-connect %s port %u: %s", as, P.pport, strerror(e));
	say("data connected to %s port %u", as, P.pport);
}

static void
d_data_recv_to(const char *path)
{
	uint8_t b[16384];
	int f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long long total = 0;
	if (f < 0)
		fail(P_LOCAL, "data-recv-to: %s: %s", path, strerror(errno));
	for (;;) {
		if (!wait_fd(P.dfd, POLLIN, -1))
			fail(P_FAIL, "data-recv-to: timed out after %lld bytes", total);
		ssize_t n = read(P.dfd, b, sizeof b);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			fail(P_FAIL, "data-recv-to: %s", strerror(errno));
		if (n == 0)
			break;
		if (tb_write_all(f, b, (size_t)n) < 0)
			fail(P_LOCAL, "data-recv-to: %s: %s", path, strerror(errno));
		total += n;
	}
	close(f);
	close(P.dfd);
	P.dfd = -1;
	say("data received %lld bytes", total);
}

static long long
num_arg(const char *d, const char *arg, long long max)
{
	long long v;
	if (!arg || tb_num(arg, 0, max, &v) < 0)
		fail(P_LOCAL, "%s: needs a number in 0..%lld", d, max);
	return v;
}

static void
need_data(const char *d)
{
	if (P.dfd < 0)
		fail(P_LOCAL, "%s: no data connection (data-accept or data-connect first)", d);
}

static void
run_line(char *line)
{
	uint8_t *buf;
	size_t n;
	char *d = line, *arg;

	while (*d == ' ' || *d == '\t')
		d++;
	size_t l = strlen(d);
	while (l > 0 && (d[l - 1] == '\n' || d[l - 1] == '\r'))
		d[--l] = 0;
	if (*d == 0 || *d == '#')
		return;
	arg = strpbrk(d, " \t");
	if (arg) {
		*arg++ = 0;
	}

	if (strcmp(d, "expect") == 0) {
		d_expect(arg ? arg : "");
	} else if (strcmp(d, "expect-bytes") == 0) {
		d_expect_bytes(num_arg(d, arg, 1LL << 40));
	} else if (strcmp(d, "send") == 0 || strcmp(d, "send-hex") == 0 ||
	    strcmp(d, "data-send") == 0) {
		int data = d[0] == 'd';
		if (data)
			need_data(d);
		else
			need_conn(d);
		buf = tb_malloc(65536);
		if (!buf)
			fail(P_LOCAL, "out of memory");
		n = strcmp(d, "send-hex") == 0 ? unhex(arg ? arg : "", buf, 65536) :
		    expand(arg ? arg : "", buf, 65536);
		xsend(data ? P.dfd : P.cur, buf, n, d);
		tb_free(buf);
	} else if (strcmp(d, "send-file") == 0 || strcmp(d, "data-send-file") == 0) {
		int data = d[0] == 'd';
		if (!arg)
			fail(P_LOCAL, "%s: needs a path", d);
		if (data)
			need_data(d);
		else
			need_conn(d);
		send_file(data ? P.dfd : P.cur, arg, d);
	} else if (strcmp(d, "send-fill") == 0 || strcmp(d, "data-send-fill") == 0) {
		int data = d[0] == 'd';
		long long v = num_arg(d, arg, 1LL << 40);
		if (data)
			need_data(d);
		else
			need_conn(d);
		send_fill(data ? P.dfd : P.cur, v, d);
	} else if (strcmp(d, "sleep") == 0) {
		d_sleep(num_arg(d, arg, 3600000));
	} else if (strcmp(d, "trickle") == 0) {
		P.trickle_ms = (int)num_arg(d, arg, 60000);
	} else if (strcmp(d, "close") == 0) {
		need_conn(d);
		drop_cur();
		say("closed");
	} else if (strcmp(d, "shutdown-wr") == 0) {
		need_conn(d);
		shutdown(P.cur, SHUT_WR);
		say("shut down writing");
	} else if (strcmp(d, "reset") == 0) {
		need_conn(d);
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };
		setsockopt(P.cur, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
		drop_cur();
		say("reset");
	} else if (strcmp(d, "idle") == 0) {
		need_conn(d);
		int64_t until = arg ? tb_now() + num_arg(d, arg, 3600000) * 1000 : -1;
		/* idling to the end is what was asked, not a failure */
		if (drain(until))
			say("idle: client closed");
		else
			say("idle: time is up");
	} else if (strcmp(d, "read-until-close") == 0) {
		need_conn(d);
		if (!drain(-1))
			fail(P_FAIL, "read-until-close: timed out");
		say("client closed");
	} else if (strcmp(d, "accept") == 0) {
		do_accept();
	} else if (strcmp(d, "data-listen") == 0) {
		d_data_listen();
	} else if (strcmp(d, "data-accept") == 0) {
		if (P.dlfd < 0)
			fail(P_LOCAL, "data-accept: no data-listen");
		if (P.dfd >= 0)
			close(P.dfd);
		P.dfd = accept_on(P.dlfd, "data", -1);
		if (P.dfd < 0)
			fail(P_FAIL, "data-accept: timed out");
		say("data accepted");
	} else if (strcmp(d, "data-connect") == 0) {
		d_data_connect();
	} else if (strcmp(d, "data-close") == 0) {
		need_data(d);
		close(P.dfd);
		P.dfd = -1;
		say("data closed");
	} else if (strcmp(d, "data-recv-to") == 0) {
		if (!arg)
			fail(P_LOCAL, "data-recv-to: needs a path");
		need_data(d);
		d_data_recv_to(arg);
	} else {
		fail(P_LOCAL, "unknown directive \"%s\"", d);
	}
}

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: fakepeer [-6] [-a ADDR] [-T SECS] PORTFILE LOGFILE SCRIPT\n");
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *addr = "127.0.0.1";
	int64_t total = 20 * 1000000LL;
	int c;

	tb_init(argv[0]);
	signal(SIGPIPE, SIG_IGN);
	while ((c = getopt_long(argc, argv, "6a:hT:", lo, NULL)) != -1) {
		switch (c) {
		case '6': addr = "::1"; break;
		case 'a': addr = optarg; break;
		case 'T':
			if (tb_secs(optarg, 3600, &total) < 0)
				tb_usage_error("bad timeout: %s", optarg);
			break;
		case 'h': usage(stdout); tb_exit(0);
		default: usage(stderr); tb_exit(2);
		}
	}
	if (argc - optind != 3) {
		usage(stderr);
		tb_exit(2);
	}
	const char *portfile = argv[optind], *logfile = argv[optind + 1];
	P.script = argv[optind + 2];
	P.cur = P.dlfd = P.dfd = -1;
	P.deadline = tb_now() + total;
	snprintf(P.scriptdir, sizeof P.scriptdir, "%s", P.script);
	char *slash = strrchr(P.scriptdir, '/');
	if (slash)
		*slash = 0;
	else
		snprintf(P.scriptdir, sizeof P.scriptdir, ".");

	FILE *sf = fopen(P.script, "r");
	if (!sf)
		tb_die(2, "%s: %s", P.script, strerror(errno));
	P.logfd = open(logfile, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	if (P.logfd < 0)
		tb_die(2, "%s: %s", logfile, strerror(errno));
	if (tb_addr_parse(addr, &P.addr) < 0)
		tb_usage_error("bad address: %s", addr);

	struct sockaddr_storage ss;
	socklen_t sl = tb_sockaddr(&P.addr, 0, &ss);
	int one = 1;
	P.lfd = socket(P.addr.family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (P.lfd < 0)
		tb_die(2, "socket: %s", strerror(errno));
	setsockopt(P.lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(P.lfd, (struct sockaddr *)&ss, sl) < 0 || listen(P.lfd, 16) < 0)
		tb_die(2, "listen on %s: %s", addr, strerror(errno));
	sl = sizeof ss;
	if (getsockname(P.lfd, (struct sockaddr *)&ss, &sl) < 0)
		tb_die(2, "getsockname: %s", strerror(errno));
	struct tb_addr got;
	tb_from_sockaddr((struct sockaddr *)&ss, &got, &P.port);

	/* the port file appears whole: write a temporary, then rename */
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", portfile);
	FILE *pf = fopen(tmp, "w");
	if (!pf || fprintf(pf, "%u\n", P.port) < 0 || fclose(pf) != 0 || rename(tmp, portfile) < 0)
		tb_die(2, "%s: %s", portfile, strerror(errno));
	say("listening on %s port %u", addr, P.port);

	char line[MAXLINE];
	while (fgets(line, sizeof line, sf)) {
		P.lineno++;
		run_line(line);
	}
	fclose(sf);
	for (int i = 0; i < P.nconn; i++)
		close(P.conns[i]);
	say("script done");
	tb_exit(0);
}
