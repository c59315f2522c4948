/*
 * httpget - fetch URLs over HTTP/1.1: keep-alive, chunked, redirects,
 * resume, honest exit codes.  The protocol bytes are built and parsed by
 * lib/wire/http.c and lib/wire/url.c; this file holds options, connections and output.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dnsnet.h"
#include "fsafe.h"
#include "http.h"
#include "conn.h"
#include "secret.h"
#include "tubes.h"
#include "url.h"

#define MAX_URLS 4096
#define MAX_HEADERS 64
#define MAX_POOL 4
#define IN_BUFSZ (256 * 1024)	/* our read buffer: fewer, larger reads */
#define PIPE_MAX 8		/* requests sent ahead on one connection */
#define MAX_BODY (64u << 20)	/* -d data held in memory */
#define MAX_INTERIM 20		/* 1xx heads before the final one (HTTP-25) */

static const char usage_text[] =
    "usage: httpget [-CIiLsvj46] [-o file | -O] [--no-location] [--max-redirs N]\n"
    "               [--location-trusted]\n"
    "               [-H 'Name: value']... [-A agent] [-d data|@file|@-] [-X method]\n"
    "               [-u user] [-w deadline] [-W idle] [--connect-timeout S]\n"
    "               [--head-timeout S]\n"
    "               [--expect CODE[,CODE]] [--via CMD] [--no-pipeline] [--layers] URL...\n";

struct opts {
	const char *outs[MAX_URLS];	/* -o per URL, in order */
	int nouts;
	int remote_name;	/* -O */
	int resume;		/* -C */
	int head_only;		/* -I */
	int include;		/* -i */
	int follow;		/* -L (default) */
	long max_redirs;
	const char *headers[MAX_HEADERS];
	int nheaders;
	const char *agent;
	const char *data;	/* -d as given */
	const char *method;	/* -X */
	const char *user;	/* -u */
	int64_t deadline_us, idle_us, connect_us;
	int64_t head_us;	/* --head-timeout: each response head, 1xx included */
	int family;
	int silent, verbose, json, layers;
	int expect[32];
	int nexpect;
	const char *via;
	int no_pipeline;
	int trusted;		/* --location-trusted */
};

static struct opts o;
static char *body;		/* the -d data */
static size_t nbody;
static int have_body;
static FILE *meta;		/* where -j goes: never the stream the body uses */
static struct layers lv;
static char **urls_all;		/* the URLs, for pipelining */
static int nurls_all;
static int pipeline_ok;		/* plain GETs or HEADs without credentials */

/* a connection, with our read buffer (the body never passes conn's) */
struct hconn {
	char key[600];
	char label[300];	/* "host port N" for diagnostics */
	int open, reusable;
	unsigned requests;
	struct tb_addr addr;
	int via;
	int pipe[PIPE_MAX];	/* URLs whose requests went ahead, in order */
	int npipe;
	size_t ioff, ilen;
	struct conn c;
	uint8_t in[IN_BUFSZ];
};
static struct hconn *pool[MAX_POOL];
static struct http_head head;

/* one URL's result */
struct result {
	int status;
	char final[URL_MAX];
	uint64_t bytes;
	int64_t t0, ttfb, total;
	int reused;
	int redirects;
	int redirect;		/* the response was a redirect we follow */
	int discard;		/* the body was not written (resume refused) */
	int already;		/* 416 with If-Range: the .part was complete */
	const char *file;
	int exit;
	const char *error;
	char errbuf[URL_MAX * 2 + 4096];
};

static void
usage(void)
{
	fputs(usage_text, stdout);
	fputs("\n"
	    "  -o FILE         write the body to FILE (via .part-FILE), once per URL\n"
	    "  -O              name the file after the URL's last path segment\n"
	    "  -C              resume .part-FILE with Range and If-Range\n"
	    "  -I              HEAD: print the response head only\n"
	    "  -i              print the response head before the body\n"
	    "  -L              follow redirects (default); --no-location: do not\n"
	    "  --max-redirs N  redirects to follow (default 10)\n"
	    "  --location-trusted  send -u, netrc and credential -H fields (Authorization,\n"
	    "                  Cookie, *auth*, *token*, *key*...) to other origins too\n"
	    "  -H 'N: v'       add a header; 'N:' removes a default one\n"
	    "  -A AGENT        User-Agent (default httpget/" TUBES_VERSION ")\n"
	    "  -d DATA         send DATA (or @file, @- for stdin) with POST\n"
	    "  -X METHOD       request method (the layer view is --layers)\n"
	    "  -u USER         Basic auth; password from ~/.netrc or HTTPGET_PASSWORD\n"
	    "  -w SECS         overall deadline;  -W SECS  idle wait (default 30)\n"
	    "  --connect-timeout SECS  (default 10)\n"
	    "  --head-timeout SECS  each response head, 1xx included, within (default 60)\n"
	    "  -4, -6          IPv4 or IPv6 only\n"
	    "  -s              no progress bar or warnings;  -v  heads and connection on stderr\n"
	    "  -j              one JSON object per transfer (stdout if the body goes to a file)\n"
	    "  --expect CODES  exit 1 unless the final status is one of CODES\n"
	    "  --via CMD       connect through CMD (%h host, %p port), e.g. for https\n"
	    "  --no-pipeline   wait for each response before sending the next request\n"
	    "  --layers        every head decoded field by field, then hex, on stderr\n"
	    "  -h, -V          help, version\n", stdout);
}

/* --- output sinks -------------------------------------------------------- */

struct sink {
	int fd;
	int is_file;
	char final[4096];
	struct fsafe fs;	/* the file: DIR/.part-NAME until complete (HTTP-26) */
	char part[FSAFE_NAME_MAX + FSAFE_PREFIX_LEN];
	char meta[FSAFE_NAME_MAX + 2 * FSAFE_PREFIX_LEN];	/* validator (HTTP-24) */
	char validator[256];	/* read from meta on -C: sent as If-Range */
	int created;		/* this run created the .part */
	int partial;		/* a 206 to our Range: check it against its Content-Range */
	uint64_t range_first, range_len, range_total;
	int noclobber;		/* -O: never overwrite (HTTP-21) */
	int is_dev;		/* -o names a device or FIFO: written in place */
	uint64_t offset;	/* bytes already in the .part (-C) */
	uint64_t written;
	uint64_t expected;	/* for the progress bar; 0 unknown */
	int64_t last_bar;
	int bar;
};

static int
sink_write(struct sink *s, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (tb_write_all(s->fd, p, n) < 0)
		return -1;
	s->written += n;
	if (s->bar) {
		int64_t now = tb_now();

		if (now - s->last_bar > 200000) {
			s->last_bar = now;
			if (s->expected)
				fprintf(stderr, "\r%3d%% %llu bytes ",
				    (int)((s->offset + s->written) * 100 / s->expected),
				    (unsigned long long)(s->offset + s->written));
			else
				fprintf(stderr, "\r%llu bytes ",
				    (unsigned long long)(s->offset + s->written));
		}
	}
	return 0;
}

/*
 * The validator's file of a download: DIR/.part-.part-NAME.  fsafe
 * writes NAME to DIR/.part-NAME and refuses any NAME that begins with
 * .part-, so this name is neither a real name nor another download's
 * temporary one (HTTP-26).  -1 if it does not fit.
 */
static int
meta_name(const char *part, char *out, size_t cap)
{
	const char *slash = strrchr(part, '/');
	int dl = slash ? (int)(slash - part + 1) : 0;
	int n = snprintf(out, cap, "%.*s%s%s", dl, part, FSAFE_PREFIX, part + dl);

	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* did the user ask for a range with -H 'Range: ...'? */
static int
user_range(void)
{
	int i;

	for (i = 0; i < o.nheaders; i++)
		if (strncasecmp(o.headers[i], "range:", 6) == 0)
			return 1;
	return 0;
}

/*
 * HTTP-24: keep the response's validator beside the .part, so that -C
 * can send it as If-Range: a strong ETag, else Last-Modified (a weak
 * ETag cannot be used for a range).  None: no meta file at all.
 */
static void
sink_meta(struct sink *s, const struct http_head *hd)
{
	const char *v;
	size_t n = 0;
	int fd;

	if (!s->is_file)
		return;
	v = http_field(hd, "etag", 0, &n);
	if (v && (n < 2 || v[0] != '"'))
		v = NULL;	/* W/"x" is weak, and anything else is not an ETag */
	if (v == NULL)
		v = http_field(hd, "last-modified", 0, &n);
	unlink(s->meta);
	if (v == NULL || n == 0 || n >= sizeof s->validator || memchr(v, '\n', n))
		return;
	fd = open(s->meta, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (tb_write_all(fd, v, n) < 0 || tb_write_all(fd, "\n", 1) < 0 || close(fd) < 0) {
		unlink(s->meta);
		return;
	}
}

/* -C: the validator saved with the .part, or "" */
static void
load_meta(struct sink *s)
{
	int fd = open(s->meta, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t r;
	size_t i;

	s->validator[0] = '\0';
	if (fd < 0)
		return;
	r = read(fd, s->validator, sizeof s->validator - 1);
	close(fd);
	if (r <= 0 || s->validator[r - 1] != '\n') {
		s->validator[0] = '\0';
		return;
	}
	s->validator[r - 1] = '\0';
	for (i = 0; s->validator[i]; i++)
		if ((unsigned char)s->validator[i] < 0x20 || s->validator[i] == 0x7f) {
			s->validator[0] = '\0';
			return;
		}
}

/* --- connections ---------------------------------------------------------- */

static void
hc_close(struct hconn *h)
{
	if (!h->open)
		return;
	if (o.verbose && !h->via)
		tb_tcpinfo(stderr, h->c.rfd, h->label);
	conn_close(&h->c);
	h->open = 0;
	h->reusable = 0;
	h->npipe = 0;
	h->ioff = h->ilen = 0;
}

/* a connection for key: a reusable one from the pool, or a new one */
static struct hconn *
hc_get(const char *key, const char *host, uint16_t port, struct result *res)
{
	struct hconn *h = NULL;
	const char *why = NULL;
	char a[TB_ADDRSTRLEN];
	int i, one = 1;

	for (i = 0; i < MAX_POOL && pool[i]; i++)
		if (pool[i]->open && pool[i]->reusable && strcmp(pool[i]->key, key) == 0) {
			h = pool[i];
			res->reused = 1;
			if (o.verbose)
				fprintf(stderr, "* reusing the connection to %s\n", h->label);
			return h;
		}
	res->reused = 0;
	for (i = 0; i < MAX_POOL; i++) {
		if (pool[i] == NULL) {
			if ((pool[i] = tb_calloc(1, sizeof *pool[i])) == NULL)
				tb_die(EXIT_LOCAL, "out of memory");
			h = pool[i];
			break;
		}
		if (!pool[i]->open || !pool[i]->reusable) {
			h = pool[i];
			break;
		}
	}
	if (h == NULL) {
		/* pool full: drop the oldest */
		h = pool[0];
		memmove(pool, pool + 1, (MAX_POOL - 1) * sizeof pool[0]);
		pool[MAX_POOL - 1] = h;
	}
	hc_close(h);
	snprintf(h->key, sizeof h->key, "%s", key);
	snprintf(h->label, sizeof h->label, "%s port %u", host, port);
	h->c.deadline = o.deadline_us;
	h->c.idle = o.idle_us;
	h->c.trace = NULL;
	h->ioff = h->ilen = 0;
	h->requests = 0;
	h->via = o.via != NULL;
	if (o.via) {
		if (conn_via(&h->c, o.via, host, port) < 0) {
			snprintf(res->errbuf, sizeof res->errbuf, "--via: %s", strerror(errno));
			res->exit = EXIT_LOCAL;
			return NULL;
		}
		h->c.deadline = o.deadline_us;
		h->c.idle = o.idle_us;
		if (o.verbose)
			fprintf(stderr, "* connected through --via to %s port %u\n", host, port);
	} else {
		int64_t ct = o.connect_us;

		int dr;

		if ((dr = conn_dial(&h->c, host, port, o.family, ct, &h->addr, &why)) < 0) {
			int e = errno;

			h->c.rfd = h->c.wfd = -1;
			if (dr == -2)	/* the lookup's own words (tubes(7)) */
				snprintf(res->errbuf, sizeof res->errbuf, "%s", why);
			else
				snprintf(res->errbuf, sizeof res->errbuf, "%s port %u: %s", host, port,
				    why ? why : strerror(e));
			res->exit = conn_dial_exit();
			return NULL;
		}
		h->c.deadline = o.deadline_us;
		h->c.idle = o.idle_us;
		/* requests are whole writes: never hold one back for an ACK */
		setsockopt(h->c.rfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		if (o.verbose) {
			tb_addr_str(&h->addr, a, sizeof a);
			if (strcmp(a, host) != 0)
				fprintf(stderr, "* %s resolved to %s\n", host, a);
			fprintf(stderr, "* connected to %s port %u\n", a, port);
		}
	}
	h->open = 1;
	h->reusable = 1;
	return h;
}

/*
 * Bytes already here after a complete response: the next pipelined
 * response if one is due and they start like one, else junk (HTTP-04,
 * HTTP-16) that ends the connection's reuse.
 */
static int
junk_after(const struct hconn *h)
{
	size_t n = h->ilen - h->ioff;

	if (n == 0)
		return 0;
	if (h->npipe == 0)
		return 1;
	if (n > 5)
		n = 5;
	return memcmp(h->in + h->ioff, "HTTP/", n) != 0;
}

/* more bytes into h->in: 1, 0 at EOF, -1 error (errno) */
static int
hc_fill(struct hconn *h)
{
	ssize_t r;

	if (h->ioff == h->ilen)
		h->ioff = h->ilen = 0;
	if (h->ilen == sizeof h->in)
		return 1;
	if (h->c.deadline >= 0 && tb_now() >= h->c.deadline) {
		/* a peer that trickles forever still meets the deadline (HTTP-22) */
		errno = ETIMEDOUT;
		return -1;
	}
	r = -1;
	if (!h->via && h->c.off == h->c.len && !h->c.eof) {
		/* the socket is non-blocking: try before paying for a poll */
		r = read(h->c.rfd, h->in + h->ilen, sizeof h->in - h->ilen);
		if (r == 0)
			h->c.eof = 1;
		if (r < 0 && errno != EAGAIN && errno != EINTR)
			return -1;
	}
	if (r < 0)
		r = conn_read(&h->c, h->in + h->ilen, sizeof h->in - h->ilen);
	if (tb_interrupted) {
		errno = EINTR;
		return -1;
	}
	if (r < 0)
		return -1;
	if (r == 0)
		return 0;
	h->ilen += (size_t)r;
	return 1;
}

/* --- printing heads ------------------------------------------------------ */

static void
print_head(FILE *fp, const char *prefix, const struct http_head *hd)
{
	size_t i;

	fputs(prefix, fp);
	tb_escape(fp, hd->raw, hd->nfields ? hd->f[0].name : hd->nraw, 1);
	fputc('\n', fp);
	for (i = 0; i < hd->nfields; i++) {
		const struct http_field *f = &hd->f[i];

		fputs(prefix, fp);
		tb_escape(fp, hd->raw + f->name, f->nlen, 1);
		fputs(": ", fp);
		tb_escape(fp, hd->raw + f->val, f->vlen, 1);
		fputc('\n', fp);
	}
	fputs(prefix, fp);
	fputc('\n', fp);
}

static void
print_request(const char *req, size_t n)
{
	const char *p = req, *end = req + n, *nl;

	for (; p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL; p = nl + 1) {
		size_t k = (size_t)(nl - p) - (nl > p && nl[-1] == '\r');

		fputs("> ", stderr);
		if (k > 15 && (strncmp(p, "Authorization: ", 15) == 0))
			fputs("Authorization: (credentials not shown)", stderr);
		else if (k > 21 && strncmp(p, "Proxy-Authorization: ", 21) == 0)
			fputs("Proxy-Authorization: (credentials not shown)", stderr);
		else
			tb_escape(stderr, p, k, 1);
		fputc('\n', stderr);
	}
}

static int
is_redirect(int s)
{
	return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
}

/* the head as text with CRLF line ends (for -i, -I); its length */
static size_t
head_text(const struct http_head *hd, char *buf, size_t cap)
{
	size_t i, n = 0, sl = hd->nfields ? hd->f[0].name : hd->nraw;

#define ADD(p, k) do { if (n + (k) <= cap) { memcpy(buf + n, (p), (k)); n += (k); } } while (0)
	ADD(hd->raw, sl);
	ADD("\r\n", 2);
	for (i = 0; i < hd->nfields; i++) {
		ADD(hd->raw + hd->f[i].name, hd->f[i].nlen);
		ADD(": ", 2);
		ADD(hd->raw + hd->f[i].val, hd->f[i].vlen);
		ADD("\r\n", 2);
	}
	ADD("\r\n", 2);
#undef ADD
	return n;
}

/* --- one exchange ---------------------------------------------------------- */

/* credentials for the current target: "user:pass" (Basic), or none */
struct creds {
	char up[600];
	size_t n;
	int set;
	char scheme[16], host[256];
	uint16_t port;
};

static int
in_no_proxy(const char *host)
{
	const char *np = getenv("no_proxy");
	size_t hl = strlen(host);

	if (np == NULL)
		np = getenv("NO_PROXY");
	if (np == NULL)
		return 0;
	while (*np) {
		size_t k;
		const char *e;

		while (*np == ',' || *np == ' ')
			np++;
		k = strcspn(np, ", ");
		e = np;
		np += k;
		if (k == 0)
			continue;
		if (k == 1 && e[0] == '*')
			return 1;
		if (e[0] == '.') {
			e++;
			k--;
		}
		if (k == hl && strncasecmp(e, host, k) == 0)
			return 1;
		if (hl > k && host[hl - k - 1] == '.' && strncasecmp(e, host + hl - k, k) == 0)
			return 1;
	}
	return 0;
}

static struct url proxy;
static int have_proxy;
static char proxy_up[600];
static size_t proxy_nup;

static void
setup_proxy(void)
{
	const char *p = getenv("http_proxy"), *why;
	char tmp[URL_MAX];

	if (p == NULL || *p == '\0')
		return;
	if (strstr(p, "://") == NULL) {
		snprintf(tmp, sizeof tmp, "http://%s", p);
		p = tmp;
	}
	if (url_parse(p, &proxy, &why) < 0 || strcmp(proxy.scheme, "http") != 0)
		tb_die(EXIT_LOCAL, "http_proxy: %s", why ? why : "only http:// proxies");
	if (proxy.has_user) {
		proxy_nup = (size_t)snprintf(proxy_up, sizeof proxy_up, "%s:%s", proxy.user,
		    proxy.pass);
		explicit_bzero(proxy.pass, sizeof proxy.pass);
		explicit_bzero(tmp, sizeof tmp);
		/* the proxy's password leaves the environment block too */
		tb_env_scrub("http_proxy");
		if (proxy_nup >= sizeof proxy_up)
			tb_die(EXIT_LOCAL, "http_proxy: credentials too long");
	}
	have_proxy = 1;
}

enum { XCH_OK, XCH_RETRY };

/*
 * Send one request and read its response head and body.
 * Returns XCH_RETRY when a reused connection turned out dead before any
 * byte of the response, else XCH_OK with res filled.
 */
/* is this URL one we may fetch (or follow a redirect to)? */
static const char *
scheme_refusal(const struct url *u)
{
	if (strcmp(u->scheme, "http") == 0 || (strcmp(u->scheme, "https") == 0 && o.via))
		return NULL;
	if (strcmp(u->scheme, "https") == 0)
		return "https:// needs --via: libc has no TLS "
		    "(e.g. --via 'openssl s_client -quiet -connect %h:%p')";
	return "httpget speaks http:// only (and https:// with --via)";
}

/* a request ready to send, and the connection it needs */
struct prepared {
	char key[600];
	const char *chost;
	uint16_t cport;
	long len;
	char req[16384];
};

/*
 * 0, or -1 with res->errbuf set.  foreign: u is not the origin the user
 * named (a redirect changed scheme, host or port), so no -H field that
 * carries a credential goes with it (HTTP-23).
 */
static int
prepare(const struct url *u, const char *method, int send_body, const struct creds *cr,
    int foreign, int64_t range, const char *if_range, struct prepared *p,
    struct result *res)
{
	static const char *hv[MAX_HEADERS];
	struct http_req q;
	char hostport[300], target[URL_MAX];
	int use_proxy, i;
	size_t nh = 0;

	use_proxy = have_proxy && strcmp(u->scheme, "http") == 0 && !in_no_proxy(u->host);
	p->chost = use_proxy ? proxy.host : u->host;
	p->cport = use_proxy ? proxy.port : u->port;
	snprintf(p->key, sizeof p->key, "%s|%s|%u", use_proxy ? "proxy" : u->scheme, p->chost,
	    p->cport);
	url_hostport(u, hostport, sizeof hostport);
	if (use_proxy)
		url_format(u, target, sizeof target);
	else
		snprintf(target, sizeof target, "%s", u->path);
	memset(&q, 0, sizeof q);
	q.method = method;
	q.target = target;
	q.host = hostport;
	q.agent = o.agent;
	if (cr && cr->set) {
		q.auth = cr->up;
		q.nauth = cr->n;
	}
	if (use_proxy && proxy.has_user) {
		q.proxy_auth = proxy_up;
		q.nproxy_auth = proxy_nup;
	}
	for (i = 0; i < o.nheaders; i++) {
		/* Proxy-Authorization is for a proxy, never for an origin server */
		if (!use_proxy && strncasecmp(o.headers[i], "proxy-authorization:", 20) == 0)
			continue;
		if (foreign && !o.trusted && http_is_credential(o.headers[i]))
			continue;
		hv[nh++] = o.headers[i];
	}
	q.extra = hv;
	q.nextra = nh;
	q.body_len = send_body ? (int64_t)nbody : -1;
	q.range_from = range > 0 ? range : -1;
	q.if_range = if_range && *if_range ? if_range : NULL;
	q.close = 0;
	p->len = http_request(&q, p->req, sizeof p->req);
	if (p->len < 0) {
		snprintf(res->errbuf, sizeof res->errbuf, "%s", http_strerror((int)p->len));
		res->exit = EXIT_LOCAL;
		return -1;
	}
	return 0;
}

static int
send_req(struct hconn *h, const struct prepared *p)
{
	if (o.verbose)
		print_request(p->req, (size_t)p->len);
	if (o.layers) {
		lv_packet(&lv, "--- sent %ld bytes to %s ---", p->len, h->label);
		http_request_layers(&lv, p->req, (size_t)p->len);
	}
	h->requests++;
	return conn_write(&h->c, p->req, (size_t)p->len);
}

/*
 * Pipelining: after the request for URL idx, send the requests of the
 * URLs that follow it on the command line, while they are plain GETs or
 * HEADs to the same connection, up to PIPE_MAX outstanding.  A URL whose
 * request went ahead reads its response without sending; any mismatch
 * (a redirect hop, a URL that failed early) closes the connection, and
 * the requests still outstanding are sent again on a new one.
 */
static void
pipeline_ahead(struct hconn *h, int idx)
{
	static struct url pu;
	static struct prepared pp;
	static struct result scratch;
	const char *why, *method;
	int k;

	if (!pipeline_ok || !h->open || !h->reusable || h->via)
		return;
	method = o.method ? o.method : o.head_only ? "HEAD" : "GET";
	k = h->npipe > 0 ? h->pipe[h->npipe - 1] + 1 : idx + 1;
	for (; k < nurls_all && h->npipe < PIPE_MAX; k++) {
		const char *arg = urls_all[k];
		char tmp[URL_MAX + 16];

		if (strstr(arg, "://") == NULL) {
			if (strlen(arg) >= URL_MAX - 8)
				return;
			snprintf(tmp, sizeof tmp, "http://%s", arg);
			arg = tmp;
		}
		if (url_parse(arg, &pu, &why) < 0 || pu.has_user || scheme_refusal(&pu))
			return;
		if (prepare(&pu, method, 0, NULL, 0, -1, NULL, &pp, &scratch) < 0 ||
		    strcmp(pp.key, h->key) != 0)
			return;
		if (send_req(h, &pp) < 0) {
			/* the outstanding ones will be retried on a new connection */
			h->reusable = 0;
			return;
		}
		h->pipe[h->npipe++] = k;
	}
}

static int
exchange(const struct url *u, const char *method, int send_body, const struct creds *cr,
    int foreign, struct sink *out, int may_follow, int idx, struct http_framing *fr,
    struct result *res)
{
	static struct prepared p;
	int redirecting = 0;
	struct hconn *h;
	struct http_chunked ch;
	int r, got_any = 0, is_head, i, pipelined = 0, ninterim = 0;
	int64_t head_deadline;
	size_t used;
	uint64_t left = 0;

	is_head = strcmp(method, "HEAD") == 0;
	if (prepare(u, method, send_body, cr, foreign, (int64_t)out->offset, out->validator,
	    &p, res) < 0)
		return XCH_OK;
	if ((h = hc_get(p.key, p.chost, p.cport, res)) == NULL)
		return XCH_OK;
	if (h->npipe > 0 && (idx < 0 || h->pipe[0] != idx)) {
		/* not the response we are waiting for: start afresh */
		hc_close(h);
		if ((h = hc_get(p.key, p.chost, p.cport, res)) == NULL)
			return XCH_OK;
	}
	if (h->npipe > 0) {
		/* our request went ahead on this connection */
		h->npipe--;
		for (i = 0; i < h->npipe; i++)
			h->pipe[i] = h->pipe[i + 1];
		res->reused = 1;
		pipelined = 1;
	} else if (send_req(h, &p) < 0 ||
	    (send_body && nbody && conn_write(&h->c, body, nbody) < 0)) {
		int e = errno;

		if (res->reused) {
			hc_close(h);
			return XCH_RETRY;
		}
		hc_close(h);
		snprintf(res->errbuf, sizeof res->errbuf, "sending the request: %s", strerror(e));
		res->exit = EXIT_NET;
		return XCH_OK;
	}
	if (idx >= 0)
		pipeline_ahead(h, idx);

	/*
	 * The head, skipping 1xx: at most MAX_INTERIM of them, and the whole
	 * sequence within --head-timeout (HTTP-25): neither is reset by a new
	 * head, so neither endless 100 Continue nor a trickle holds us.
	 */
	head_deadline = tb_now() + o.head_us;
	if (o.deadline_us >= 0 && o.deadline_us < head_deadline)
		head_deadline = o.deadline_us;
	h->c.deadline = head_deadline;
	http_head_init(&head);
	for (;;) {
		if (h->ioff == h->ilen) {
			r = hc_fill(h);
			if (r <= 0) {
				int e = errno;

				if (r < 0 && e == ETIMEDOUT && head_deadline != o.deadline_us &&
				    tb_now() >= head_deadline) {
					hc_close(h);
					snprintf(res->errbuf, sizeof res->errbuf,
					    "no complete response head in %.3g s (--head-timeout)",
					    (double)o.head_us / 1e6);
					res->exit = EXIT_NET;
					return XCH_OK;
				}

				if (!got_any && head.wire == 0 && res->reused &&
				    (r == 0 || e == ECONNRESET)) {
					hc_close(h);
					return XCH_RETRY;
				}
				hc_close(h);
				if (r == 0)
					snprintf(res->errbuf, sizeof res->errbuf, "%s",
					    got_any ? "connection closed in the response head" :
					    "connection closed without a response");
				else
					snprintf(res->errbuf, sizeof res->errbuf, "reading the response: %s",
					    e == EINTR ? "interrupted" : strerror(e));
				res->exit = e == EINTR && r < 0 ? EXIT_NET : EXIT_NET;
				return XCH_OK;
			}
			if (!got_any) {
				got_any = 1;
				res->ttfb = tb_now() - res->t0;
			}
		}
		r = http_head_feed(&head, h->in + h->ioff, h->ilen - h->ioff, &used);
		h->ioff += used;
		if (r == HTTP_MORE)
			continue;
		if (r == HTTP_INTERIM) {
			if (++ninterim > MAX_INTERIM) {
				hc_close(h);
				snprintf(res->errbuf, sizeof res->errbuf,
				    "more than %d interim (1xx) responses", MAX_INTERIM);
				res->exit = EXIT_NET;
				return XCH_OK;
			}
			if (o.verbose)
				print_head(stderr, "< ", &head);
			if (o.layers) {
				lv_packet(&lv, "--- received interim response from %s ---", h->label);
				http_head_layers(&lv, &head);
			}
			http_head_init(&head);
			continue;
		}
		break;
	}
	h->c.deadline = o.deadline_us;
	if (r < 0 && pipelined) {
		/*
		 * what came is not a response to our pipelined request (junk
		 * after the last one?): stop pipelining, ask again afresh
		 */
		if (o.verbose)
			fprintf(stderr, "* bad response to a pipelined request; "
			    "asking again without pipelining\n");
		pipeline_ok = 0;
		hc_close(h);
		return XCH_RETRY;
	}
	if (r < 0) {
		hc_close(h);
		snprintf(res->errbuf, sizeof res->errbuf, "malformed response: %s", http_strerror(r));
		res->exit = EXIT_NET;
		return XCH_OK;
	}
	res->status = head.status;
	if (o.verbose)
		print_head(stderr, "< ", &head);
	if (o.layers) {
		lv_packet(&lv, "--- received %zu bytes of response head from %s ---", head.wire,
		    h->label);
		http_head_layers(&lv, &head);
	}
	if ((r = http_framing(&head, is_head, fr)) < 0) {
		hc_close(h);
		snprintf(res->errbuf, sizeof res->errbuf, "malformed response: %s", http_strerror(r));
		res->exit = EXIT_NET;
		return XCH_OK;
	}
	if (!fr->reusable)
		h->reusable = 0;

	/* the body goes to out, or nowhere while redirecting */
	res->redirect = 0;
	res->discard = 0;
	res->already = 0;
	if (may_follow && is_redirect(head.status) && http_field(&head, "location", 0, &used)) {
		res->redirect = 1;
		redirecting = 1;
	} else if (head.status == 206 && out->offset == 0 && !user_range()) {
		/* HTTP-24: a part of a body nobody asked a part of */
		hc_close(h);
		snprintf(res->errbuf, sizeof res->errbuf,
		    "206 Partial Content to a request for the whole body");
		res->exit = EXIT_NET;
		res->discard = 1;
		return XCH_OK;
	} else if (out->offset > 0 && head.status == 206) {
		const char *v = http_field(&head, "content-range", 0, &used);
		uint64_t first, last, total;

		if (v == NULL || http_content_range(v, used, &first, &last, &total) < 0 ||
		    first != out->offset) {
			hc_close(h);
			snprintf(res->errbuf, sizeof res->errbuf,
			    "206 response does not resume at byte %llu",
			    (unsigned long long)out->offset);
			res->exit = EXIT_NET;
			res->discard = 1;
			return XCH_OK;
		}
		if (fr->body == HTTP_BODY_LENGTH && fr->length != last - first + 1) {
			/* HTTP-24: the two lengths must tell the same story */
			hc_close(h);
			snprintf(res->errbuf, sizeof res->errbuf,
			    "206 with Content-Length %llu for bytes %llu-%llu",
			    (unsigned long long)fr->length, (unsigned long long)first,
			    (unsigned long long)last);
			res->exit = EXIT_NET;
			res->discard = 1;
			return XCH_OK;
		}
		out->partial = 1;
		out->range_first = first;
		out->range_len = last - first + 1;
		out->range_total = total;
	} else if (out->offset > 0 && head.status == 200) {
		/* Range ignored, or If-Range found the file changed: start again */
		if (ftruncate(out->fd, 0) < 0)
			goto write_error;
		if (o.verbose)
			fprintf(stderr, "* 200 to a Range request: fetching the whole body again\n");
		out->offset = 0;
		sink_meta(out, &head);
	} else if (out->offset > 0 && head.status == 416 && out->validator[0]) {
		const char *v = http_field(&head, "content-range", 0, &used);
		uint64_t total;

		/*
		 * If-Range matched (else the answer is a 200), and the file is
		 * as long as the .part: it was complete (as wget -c says)
		 */
		if (v && http_range_unsatisfied(v, used, &total) == 0 && total == out->offset)
			res->already = 1;
		else
			res->discard = 1;
		redirecting = 1;
	} else if (out->offset > 0) {
		/* e.g. 416 without a validator: keep the .part as it is */
		res->discard = 1;
		redirecting = 1;
	} else if (out->is_file && head.status == 200) {
		sink_meta(out, &head);
	}
	if (!res->redirect) {
		if (o.include || o.head_only) {
			char hb[HTTP_HEAD_MAX + 4096];
			size_t hn = head_text(&head, hb, sizeof hb);

			if (out->fd == 1)
				fflush(stdout);
			if (!res->discard && !res->already) {
				if (sink_write(out, hb, hn) < 0)
					goto write_error;
				out->written -= hn;
			}
		}
		if (fr->body == HTTP_BODY_LENGTH)
			out->expected = out->offset + fr->length;
	}
	if (fr->content_encoding && !o.silent && !redirecting)
		tb_warn("%s: Content-Encoding present: body saved as received, not decoded",
		    res->final);

	switch (fr->body) {
	case HTTP_BODY_NONE:
		if (junk_after(h)) {
			/* HTTP-16: bytes after a body-less response: no reuse */
			h->reusable = 0;
			h->ioff = h->ilen = 0;
		}
		break;
	case HTTP_BODY_LENGTH:
		left = fr->length;
		while (left > 0) {
			size_t k;

			if (h->ioff == h->ilen) {
				r = hc_fill(h);
				if (r <= 0) {
					int e = errno;

					hc_close(h);
					snprintf(res->errbuf, sizeof res->errbuf,
					    "body cut short: %llu of %llu bytes%s%s",
					    (unsigned long long)(fr->length - left),
					    (unsigned long long)fr->length, r < 0 ? ": " : "",
					    r < 0 ? (e == EINTR ? "interrupted" : strerror(e)) : "");
					res->exit = EXIT_NET;
					return XCH_OK;
				}
			}
			k = h->ilen - h->ioff;
			if (k > left)
				k = (size_t)left;
			if (!redirecting && sink_write(out, h->in + h->ioff, k) < 0)
				goto write_error;
			res->bytes += k;
			h->ioff += k;
			left -= k;
		}
		if (junk_after(h)) {
			/* HTTP-04: bytes beyond Content-Length are not body */
			h->reusable = 0;
			h->ioff = h->ilen = 0;
		}
		break;
	case HTTP_BODY_CHUNKED:
		http_chunked_init(&ch);
		while (!ch.done) {
			long dn;

			if (h->ioff == h->ilen) {
				r = hc_fill(h);
				if (r <= 0) {
					int e = errno;

					hc_close(h);
					snprintf(res->errbuf, sizeof res->errbuf,
					    "chunked body cut short after %llu bytes%s%s",
					    (unsigned long long)res->bytes, r < 0 ? ": " : "",
					    r < 0 ? (e == EINTR ? "interrupted" : strerror(e)) : "");
					res->exit = EXIT_NET;
					return XCH_OK;
				}
			}
			dn = http_chunked_feed(&ch, h->in + h->ioff, h->ilen - h->ioff, &used);
			if (dn < 0) {
				hc_close(h);
				snprintf(res->errbuf, sizeof res->errbuf, "malformed response: %s",
				    http_strerror((int)dn));
				res->exit = EXIT_NET;
				return XCH_OK;
			}
			if (!redirecting && sink_write(out, h->in + h->ioff, (size_t)dn) < 0)
				goto write_error;
			res->bytes += (uint64_t)dn;
			h->ioff += used;
		}
		if (junk_after(h)) {
			h->reusable = 0;
			h->ioff = h->ilen = 0;
		}
		break;
	case HTTP_BODY_CLOSE:
		for (;;) {
			if (h->ioff == h->ilen) {
				r = hc_fill(h);
				if (r == 0)
					break;
				if (r < 0) {
					int e = errno;

					hc_close(h);
					snprintf(res->errbuf, sizeof res->errbuf,
					    "reading the body: %s", e == EINTR ? "interrupted" :
					    strerror(e));
					res->exit = EXIT_NET;
					return XCH_OK;
				}
			}
			if (!redirecting &&
			    sink_write(out, h->in + h->ioff, h->ilen - h->ioff) < 0)
				goto write_error;
			res->bytes += h->ilen - h->ioff;
			h->ioff = h->ilen;
		}
		hc_close(h);
		break;
	}
	if (out->partial && !redirecting && res->bytes != out->range_len) {
		/* a 206 delimited by the close or chunked: its length must match too */
		hc_close(h);
		snprintf(res->errbuf, sizeof res->errbuf,
		    "206 body of %llu bytes for a range of %llu",
		    (unsigned long long)res->bytes, (unsigned long long)out->range_len);
		res->exit = EXIT_NET;
		return XCH_OK;
	}
	if (out->partial && !redirecting && out->range_total != UINT64_MAX &&
	    out->range_first + out->range_len != out->range_total) {
		/* HTTP-24: a sub-range is not the file */
		snprintf(res->errbuf, sizeof res->errbuf,
		    "206 gave bytes %llu-%llu of %llu: the file is not complete",
		    (unsigned long long)out->range_first,
		    (unsigned long long)(out->range_first + out->range_len - 1),
		    (unsigned long long)out->range_total);
		res->exit = EXIT_NET;
	}
	if (!h->reusable || tb_interrupted)
		hc_close(h);
	return XCH_OK;
write_error:
	snprintf(res->errbuf, sizeof res->errbuf, "writing %s: %s",
	    out->is_file ? out->part : out->is_dev ? out->final : "stdout", strerror(errno));
	res->discard = 1;
	res->exit = EXIT_LOCAL;
	hc_close(h);
	return XCH_OK;
}

/* --- one URL, with its redirects ----------------------------------------- */

static int
open_sink(struct sink *s, const struct url *u, int idx, struct result *res)
{
	struct stat st;
	off_t have = 0;

	memset(s, 0, sizeof s[0]);
	s->fd = 1;
	s->bar = isatty(2) && !o.silent && !o.verbose;
	if (idx < o.nouts && strcmp(o.outs[idx], "-") != 0) {
		snprintf(s->final, sizeof s->final, "%s", o.outs[idx]);
		/*
		 * -o /dev/null, a FIFO, a terminal: written as it is.  FILE.part
		 * and rename are for regular files; renamed over a device they
		 * would replace it (as root, /dev/null itself).
		 */
		if (stat(s->final, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
			if (o.resume) {
				snprintf(res->errbuf, sizeof res->errbuf,
				    "-C: %s is not a regular file", s->final);
				res->exit = EXIT_LOCAL;
				return -1;
			}
			if ((s->fd = open(s->final, O_WRONLY | O_CLOEXEC)) < 0) {
				snprintf(res->errbuf, sizeof res->errbuf, "%s: %s", s->final,
				    strerror(errno));
				res->exit = EXIT_LOCAL;
				return -1;
			}
			s->is_dev = 1;
			s->bar = 0;
			res->file = s->final;
			return 0;
		}
	} else if (idx >= o.nouts && o.remote_name) {
		if (url_filename(u, s->final, sizeof s->final) < 0) {
			snprintf(res->errbuf, sizeof res->errbuf,
			    "-O: no safe file name in %s (use -o)", u->path);
			res->exit = EXIT_LOCAL;
			return -1;
		}
		s->noclobber = 1;
		if (lstat(s->final, &st) == 0) {
			snprintf(res->errbuf, sizeof res->errbuf,
			    "-O: %s exists; not overwritten", s->final);
			res->exit = EXIT_LOCAL;
			return -1;
		}
	} else {
		if (isatty(1))
			s->bar = 0;
		return 0;
	}
	/*
	 * lib/fsafe: O_EXCL, so a temporary file is this run's own, or one
	 * that -C resumes; never another run's truncated or removed
	 */
	if (fsafe_open(&s->fs, AT_FDCWD, s->final, (o.resume ? FSAFE_RESUME : 0) |
	    (s->noclobber ? FSAFE_NOCLOBBER : 0), &have) < 0) {
		int e = errno;

		fsafe_partname(s->final, s->part, sizeof s->part);
		if (e == EEXIST && !o.resume)
			snprintf(res->errbuf, sizeof res->errbuf,
			    "%s exists (a download cut short?): -C resumes it", s->part);
		else if (e == EEXIST)
			snprintf(res->errbuf, sizeof res->errbuf, "-C: %s is not a regular file",
			    s->part);
		else if (e == EINVAL)
			snprintf(res->errbuf, sizeof res->errbuf,
			    "%s: names beginning with %s are for temporary files", s->final,
			    FSAFE_PREFIX);
		else
			snprintf(res->errbuf, sizeof res->errbuf, "%s: %s", s->final, strerror(e));
		res->exit = EXIT_LOCAL;
		return -1;
	}
	snprintf(s->part, sizeof s->part, "%s", s->fs.part);
	if (meta_name(s->part, s->meta, sizeof s->meta) < 0) {
		fsafe_abort(&s->fs);
		snprintf(res->errbuf, sizeof res->errbuf, "%s: name too long", s->final);
		res->exit = EXIT_LOCAL;
		return -1;
	}
	s->fd = s->fs.fd;
	s->created = s->fs.created;
	s->offset = (uint64_t)have;
	if (s->offset > 0)
		load_meta(s);
	s->is_file = 1;
	res->file = s->final;
	return 0;
}

/* complete: rename .part into place; -1 on failure */
static int
close_sink(struct sink *s, int complete, struct result *res)
{
	if (s->bar && s->last_bar)
		fputc('\n', stderr);
	if (s->is_dev) {
		s->is_dev = 0;
		if (close(s->fd) < 0 && complete) {
			snprintf(res->errbuf, sizeof res->errbuf, "%s: %s", s->final, strerror(errno));
			res->exit = EXIT_LOCAL;
			return -1;
		}
		return 0;
	}
	if (!s->is_file)
		return 0;
	if (!complete) {
		fsafe_keep(&s->fs);
		return 0;
	}
	/* fsync, then rename (-O: link, which never replaces a file that appeared) */
	if (fsafe_commit(&s->fs) < 0) {
		snprintf(res->errbuf, sizeof res->errbuf, "%s: %s", s->final, strerror(errno));
		res->exit = EXIT_LOCAL;
		fsafe_keep(&s->fs);
		return -1;
	}
	unlink(s->meta);
	return 0;
}

static int
expected(int status)
{
	int i;

	if (o.nexpect == 0)
		return status >= 200 && status < 400;
	for (i = 0; i < o.nexpect; i++)
		if (o.expect[i] == status)
			return 1;
	return 0;
}

/* scheme, host (stored in lower case) and port (the default filled in) */
static int
same_origin(const struct url *a, const struct url *b)
{
	return strcmp(a->scheme, b->scheme) == 0 && strcmp(a->host, b->host) == 0 &&
	    a->port == b->port;
}

/*
 * HTTPGET_PASSWORD, taken once at the start and wiped from the
 * environment block there: /proc/PID/environ never shows it, and
 * every URL of the run can still use it.
 */
static char envpass[512];
static int have_envpass;

static void
take_env_secrets(void)
{
	const char *p = getenv("HTTPGET_PASSWORD");

	if (p != NULL) {
		if (strlen(p) >= sizeof envpass)
			tb_die(EXIT_LOCAL, "HTTPGET_PASSWORD: password too long");
		memcpy(envpass, p, strlen(p) + 1);
		have_envpass = 1;
	}
	tb_env_scrub("HTTPGET_PASSWORD");
}

/* warn: say that credentials in the URL are visible (once: the first pass) */
static void
get_creds(struct creds *cr, const struct url *u, int warn)
{
	const char *why;
	char pass[512];
	const char *user = o.user ? o.user : (u->has_user ? u->user : NULL);

	memset(cr, 0, sizeof *cr);
	if (user == NULL)
		return;
	if (!o.user && u->has_pass) {
		if (warn && !o.silent)
			tb_warn("credentials in the URL are visible to other users; "
			    "use -u and ~/.netrc or HTTPGET_PASSWORD");
		snprintf(pass, sizeof pass, "%s", u->pass);
	} else if (tb_password(NULL, u->host, user, NULL, pass, sizeof pass, &why) < 0) {
		/* no ~/.netrc entry: the variable's value, taken at the start */
		if (have_envpass && why && strncmp(why, "no password", 11) == 0)
			memcpy(pass, envpass, sizeof pass);
		else
			tb_die(EXIT_LOCAL, "password for %s at %s: %s", user, u->host,
			    why && strncmp(why, "no password", 11) != 0 ? why :
			    "not found (~/.netrc or HTTPGET_PASSWORD)");
	}
	cr->n = (size_t)snprintf(cr->up, sizeof cr->up, "%s:%s", user, pass);
	explicit_bzero(pass, sizeof pass);
	if (cr->n >= sizeof cr->up)
		tb_die(EXIT_LOCAL, "credentials too long");
	cr->set = 1;
	snprintf(cr->scheme, sizeof cr->scheme, "%s", u->scheme);
	snprintf(cr->host, sizeof cr->host, "%s", u->host);
	cr->port = u->port;
}

static void
emit_json(const char *url, struct result *res, int have_head)
{
	struct json j;
	size_t i;

	js_begin(&j, meta, res->exit == EXIT_OK || res->status ? "transfer" : "error");
	js_str(&j, "url", url);
	js_str(&j, "final_url", res->final[0] ? res->final : NULL);
	if (res->status)
		js_int(&j, "status", res->status);
	else
		js_null(&j, "status");
	if (have_head) {
		js_arr(&j, "headers");
		for (i = 0; i < head.nfields; i++) {
			js_arr(&j, NULL);
			js_strn(&j, NULL, head.raw + head.f[i].name, head.f[i].nlen);
			js_strn(&j, NULL, head.raw + head.f[i].val, head.f[i].vlen);
			js_close(&j);
		}
		js_close(&j);
	}
	js_int(&j, "bytes", (long long)res->bytes);
	js_str(&j, "file", res->file);
	if (res->ttfb >= 0)
		js_ms(&j, "ttfb_ms", res->ttfb);
	else
		js_null(&j, "ttfb_ms");
	js_ms(&j, "time_ms", res->total);
	js_bool(&j, "reused", res->reused);
	js_int(&j, "redirects", res->redirects);
	js_str(&j, "error", res->error);
	js_int(&j, "exit", res->exit);
	js_end(&j);
}

static int
fetch(const char *arg, int idx)
{
	static struct url u, nu;
	static char visited[16][URL_MAX + 16];
	static struct result res;
	static char next[URL_MAX], cur[URL_MAX + 16];
	static struct url origin;
	struct http_framing fr;
	struct creds cr;
	struct sink out;
	const char *why, *method, *refusal;
	char lbuf[URL_MAX];
	int send_body = have_body, r, nvisited = 0, sink_open = 0, tries, i;
	size_t n;

	memset(&res, 0, sizeof res);
	memset(&cr, 0, sizeof cr);
	res.t0 = tb_now();
	res.ttfb = -1;
	if (strstr(arg, "://") == NULL && strlen(arg) < URL_MAX - 8) {
		snprintf(cur, sizeof cur, "http://%s", arg);
		arg = cur;
	}
	r = url_parse(arg, &u, &why);
	if (r == URL_OK && (refusal = scheme_refusal(&u)) != NULL) {
		why = refusal;
		r = URL_ESCHEME;
	}
	if (r < 0) {
		snprintf(res.errbuf, sizeof res.errbuf, "%s", why);
		res.exit = EXIT_LOCAL;
		goto out;
	}
	method = o.method ? o.method : o.head_only ? "HEAD" : have_body ? "POST" : "GET";
	get_creds(&cr, &u, 0);
	origin = u;
	url_format(&u, res.final, sizeof res.final);
	if (open_sink(&out, &u, idx, &res) < 0)
		goto out;
	sink_open = 1;
	for (;;) {
		url_format(&u, res.final, sizeof res.final);
		snprintf(cur, sizeof cur, "%s %s", method, res.final);
		for (i = 0; i < nvisited; i++)
			if (strcmp(visited[i], cur) == 0)
				break;
		if (i < nvisited) {
			/* HTTP-17 */
			snprintf(res.errbuf, sizeof res.errbuf, "redirect loop at %s", res.final);
			res.exit = EXIT_NET;
			break;
		}
		if (nvisited < 16)
			snprintf(visited[nvisited++], sizeof visited[0], "%s", cur);
		for (tries = 0; tries < 2; tries++) {
			res.status = 0;
			res.bytes = 0;
			res.errbuf[0] = '\0';
			res.exit = EXIT_OK;
			int foreign = !same_origin(&u, &origin);

			if (exchange(&u, method, send_body, foreign && !o.trusted ? NULL : &cr,
			    foreign, &out, o.follow, res.redirects == 0 ? idx : -1, &fr,
			    &res) != XCH_RETRY)
				break;
			if (o.verbose)
				fprintf(stderr, "* the kept-alive connection was closed; reconnecting\n");
		}
		if (res.exit != EXIT_OK || !res.redirect || tb_interrupted)
			break;
		/* a redirect: where to? */
		if (res.redirects >= o.max_redirs) {
			snprintf(res.errbuf, sizeof res.errbuf,
			    "too many redirects (more than %ld); --max-redirs raises the limit",
			    o.max_redirs);
			res.exit = EXIT_NET;
			break;
		}
		{
			const char *loc = http_field(&head, "location", 0, &n);

			if (n >= sizeof lbuf)
				n = sizeof lbuf - 1;
			memcpy(lbuf, loc, n);
			lbuf[n] = '\0';
		}
		if (memchr(lbuf, '\0', n) != NULL || url_resolve(res.final, lbuf, next,
		    sizeof next) < 0) {
			snprintf(res.errbuf, sizeof res.errbuf, "Location too long");
			res.exit = EXIT_NET;
			break;
		}
		r = url_parse(next, &nu, &why);
		if (r == URL_ESCHEME || (r == URL_OK && scheme_refusal(&nu))) {
			/* HTTP-18 */
			char esc[256];

			tb_escape_buf(esc, sizeof esc, next, strlen(next));
			snprintf(res.errbuf, sizeof res.errbuf, "redirect to %s refused: %s", esc,
			    r == URL_OK ? scheme_refusal(&nu) : "httpget follows http:// only");
			res.exit = EXIT_NO;
			break;
		}
		if (r < 0) {
			char esc[256];

			tb_escape_buf(esc, sizeof esc, lbuf, strlen(lbuf));
			snprintf(res.errbuf, sizeof res.errbuf, "bad Location \"%s\": %s", esc, why);
			res.exit = EXIT_NET;
			break;
		}
		if (o.verbose && !o.trusted && !same_origin(&nu, &origin) &&
		    (cr.set || o.nheaders > 0))
			/* HTTP-19, HTTP-23: credentials stay with the origin they were meant for */
			fprintf(stderr, "* redirected to another origin: credentials not sent there\n");
		/* user info in a Location is never used: credentials come from the user */
		nu.has_user = nu.has_pass = 0;
		explicit_bzero(nu.user, sizeof nu.user);
		explicit_bzero(nu.pass, sizeof nu.pass);
		if ((res.status == 303 && strcmp(method, "HEAD") != 0) ||
		    ((res.status == 301 || res.status == 302) && strcmp(method, "POST") == 0)) {
			method = "GET";
			send_body = 0;
		}
		if (o.verbose)
			fprintf(stderr, "* following redirect %d to %s\n", res.status, next);
		u = nu;
		res.redirects++;
	}
	if (res.exit == EXIT_OK && tb_interrupted) {
		snprintf(res.errbuf, sizeof res.errbuf, "interrupted");
		res.exit = EXIT_NET;
	}
	if (res.exit == EXIT_OK) {
		if (close_sink(&out, !res.discard, &res) == 0)
			res.exit = res.discard ? EXIT_NO : res.already ? EXIT_OK :
			    expected(res.status) ? EXIT_OK : EXIT_NO;
		if (res.already && !o.silent)
			tb_warn("%s: %s was already complete (416 to If-Range %s)", res.final,
			    out.part, out.validator);
		sink_open = 0;
		if (res.exit == EXIT_NO && !res.discard && !o.silent) {
			char reason[256];

			tb_escape_buf(reason, sizeof reason, head.raw + head.reason, head.nreason);
			tb_warn("%s: %d %s", res.final, res.status, reason);
		}
		if (res.discard && res.status && out.is_file && !o.silent)
			tb_warn("%s: %d: %s kept as it is", res.final, res.status, out.part);
	}
out:
	if (sink_open) {
		close_sink(&out, 0, &res);
		/* nothing arrived: leave no empty .part of ours behind */
		if (out.is_file && out.written == 0 && out.offset == 0 && out.created) {
			fsafe_abort(&out.fs);
			unlink(out.meta);
		} else if (out.is_file && !o.silent)
			tb_warn("%s: incomplete; %s kept for -C", res.final, out.part);
	}
	res.total = tb_now() - res.t0;
	if (res.errbuf[0]) {
		res.error = res.errbuf;
		tb_warn("%s: %s", res.final[0] ? res.final : arg, res.errbuf);
	}
	if (o.verbose && res.status)
		fprintf(stderr, "* %d, %llu bytes in %.3f ms\n", res.status,
		    (unsigned long long)res.bytes, (double)res.total / 1000.0);
	if (o.json)
		emit_json(arg, &res, res.status != 0);
	return res.exit;
}

/* -d: the data itself, or @file, or @- for stdin */
static void
load_body(const char *d)
{
	int fd;
	size_t cap = 0;
	ssize_t r;

	have_body = 1;
	if (d[0] != '@') {
		nbody = strlen(d);
		body = tb_strdup(d);
		if (body == NULL)
			tb_die(EXIT_LOCAL, "out of memory");
		return;
	}
	fd = strcmp(d, "@-") == 0 ? 0 : open(d + 1, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		tb_die(EXIT_LOCAL, "-d %s: %s", d, strerror(errno));
	for (;;) {
		if (nbody == cap) {
			char *nb;

			if (cap >= MAX_BODY)
				tb_die(EXIT_LOCAL, "-d %s: larger than %u MiB", d, MAX_BODY >> 20);
			cap = cap ? cap * 2 : 65536;
			if ((nb = tb_realloc(body, cap)) == NULL)
				tb_die(EXIT_LOCAL, "out of memory");
			body = nb;
		}
		r = read(fd, body + nbody, cap - nbody);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			tb_die(EXIT_LOCAL, "-d %s: %s", d, strerror(errno));
		if (r == 0)
			break;
		nbody += (size_t)r;
	}
	if (fd != 0)
		close(fd);
}

static void
parse_expect(const char *s)
{
	while (*s) {
		long long v;
		char num[8];
		size_t k = strcspn(s, ",");

		if (k == 0 || k >= sizeof num || o.nexpect >= 32)
			tb_usage_error("--expect: bad list '%s'", s);
		memcpy(num, s, k);
		num[k] = '\0';
		if (tb_num(num, 100, 599, &v) < 0)
			tb_usage_error("--expect: '%s' is not a status code (100-599)", num);
		o.expect[o.nexpect++] = (int)v;
		s += k;
		if (*s == ',')
			s++;
	}
}

/*
 * HTTP-26: before the first packet, every file name the run will write
 * (-o, and -O's from the URLs) is checked against fsafe's name space of
 * temporary files (.part-NAME): no URL's file can be another's partial.
 */
static void
check_names(char **args, int n)
{
	static struct url cu;
	static char fin[4096];
	char tmp[URL_MAX + 16];
	const char *why, *arg, *base;
	int i;

	for (i = 0; i < n; i++) {
		if (i < o.nouts) {
			if (strcmp(o.outs[i], "-") == 0)
				continue;
			snprintf(fin, sizeof fin, "%s", o.outs[i]);
		} else if (o.remote_name) {
			arg = args[i];
			if (strstr(arg, "://") == NULL && strlen(arg) < URL_MAX - 8) {
				snprintf(tmp, sizeof tmp, "http://%s", arg);
				arg = tmp;
			}
			if (url_parse(arg, &cu, &why) < 0 ||
			    url_filename(&cu, fin, sizeof fin) < 0)
				continue;	/* said later, in its place */
		} else {
			continue;
		}
		base = strrchr(fin, '/');
		base = base ? base + 1 : fin;
		if (fsafe_reserved(base, strlen(base)))
			tb_usage_error("%s %s: names beginning with %s are for temporary files",
			    i < o.nouts ? "-o" : "-O", fin, FSAFE_PREFIX);
	}
}

/*
 * Every URL's password is found (or found missing: exit 2) before the
 * first packet of the run, not when that URL's turn comes.
 */
static void
check_creds(char **args, int n)
{
	static struct url cu;
	struct creds cr;
	char tmp[URL_MAX + 16];
	const char *why, *arg;
	int i;

	for (i = 0; i < n; i++) {
		arg = args[i];
		if (strstr(arg, "://") == NULL && strlen(arg) < URL_MAX - 8) {
			snprintf(tmp, sizeof tmp, "http://%s", arg);
			arg = tmp;
		}
		if (url_parse(arg, &cu, &why) < 0 || (!o.user && !cu.has_user))
			continue;	/* a bad URL is said later, in its place */
		get_creds(&cr, &cu, 1);
		explicit_bzero(&cr, sizeof cr);
	}
	explicit_bzero(&cu, sizeof cu);
}

enum { OPT_NOLOC = 256, OPT_MAXREDIRS, OPT_EXPECT, OPT_VIA, OPT_CONNTO, OPT_LAYERS,
	OPT_NOPIPE, OPT_TRUSTED, OPT_HEADTO };

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "remote-name", no_argument, NULL, 'O' },
		{ "continue", no_argument, NULL, 'C' },
		{ "head", no_argument, NULL, 'I' },
		{ "include", no_argument, NULL, 'i' },
		{ "location", no_argument, NULL, 'L' },
		{ "no-location", no_argument, NULL, OPT_NOLOC },
		{ "max-redirs", required_argument, NULL, OPT_MAXREDIRS },
		{ "header", required_argument, NULL, 'H' },
		{ "user-agent", required_argument, NULL, 'A' },
		{ "data", required_argument, NULL, 'd' },
		{ "request", required_argument, NULL, 'X' },
		{ "user", required_argument, NULL, 'u' },
		{ "deadline", required_argument, NULL, 'w' },
		{ "idle", required_argument, NULL, 'W' },
		{ "connect-timeout", required_argument, NULL, OPT_CONNTO },
		{ "silent", no_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'j' },
		{ "layers", no_argument, NULL, OPT_LAYERS },
		{ "no-pipeline", no_argument, NULL, OPT_NOPIPE },
		{ "location-trusted", no_argument, NULL, OPT_TRUSTED },
		{ "head-timeout", required_argument, NULL, OPT_HEADTO },
		{ "expect", required_argument, NULL, OPT_EXPECT },
		{ "via", required_argument, NULL, OPT_VIA },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	long long v;
	int c, i, nurls, code = EXIT_OK, nok = 0, all_files;
	int64_t us;

	tb_init(argv[0]);
	argv[0] = (char *)tb_prog;	/* getopt's one line reads "NAME: ..." */
	take_env_secrets();
	o.follow = 1;
	o.max_redirs = 10;
	o.agent = "httpget/" TUBES_VERSION;
	o.idle_us = 30000000;
	o.connect_us = 10000000;
	o.head_us = 60000000;
	o.deadline_us = -1;
	o.family = AF_UNSPEC;
	while ((c = getopt_long(argc, argv, "46A:CH:ILOVX:d:hijo:su:vW:w:", lopts, NULL)) != -1) {
		switch (c) {
		case '4': o.family = AF_INET; break;
		case '6': o.family = AF_INET6; break;
		case 'A': o.agent = optarg; break;
		case 'C': o.resume = 1; break;
		case 'H':
			if (o.nheaders >= MAX_HEADERS)
				tb_usage_error("-H: at most %d headers", MAX_HEADERS);
			if (http_check_header(optarg) < 0)
				tb_usage_error("-H '%s': want 'Name: value' without control bytes",
				    optarg);
			o.headers[o.nheaders++] = optarg;
			break;
		case 'I': o.head_only = 1; break;
		case 'L': o.follow = 1; break;
		case OPT_NOLOC: o.follow = 0; break;
		case 'O': o.remote_name = 1; break;
		case 'V':
			printf("httpget (tubes) %s\n", TUBES_VERSION);
			tb_exit(EXIT_OK);
		case 'X': o.method = optarg; break;
		case 'd': o.data = optarg; break;
		case 'h':
			usage();
			tb_exit(EXIT_OK);
		case 'i': o.include = 1; break;
		case 'j': o.json = 1; break;
		case 'o':
			if (o.nouts >= MAX_URLS)
				tb_usage_error("too many -o");
			o.outs[o.nouts++] = optarg;
			break;
		case 's': o.silent = 1; break;
		case 'u': o.user = optarg; break;
		case 'v': o.verbose = 1; break;
		case 'W':
		case 'w':
		case OPT_CONNTO:
		case OPT_HEADTO:
			if (tb_secs(optarg, 86400 * 365, &us) < 0 || us == 0)
				tb_usage_error("%s '%s': want seconds > 0", c == 'W' ? "-W" :
				    c == 'w' ? "-w" : c == OPT_CONNTO ? "--connect-timeout" :
				    "--head-timeout", optarg);
			if (c == 'W')
				o.idle_us = us;
			else if (c == 'w')
				o.deadline_us = us;
			else if (c == OPT_HEADTO)
				o.head_us = us;
			else
				o.connect_us = us;
			break;
		case OPT_MAXREDIRS:
			if (tb_num(optarg, 0, 1000, &v) < 0)
				tb_usage_error("--max-redirs '%s': want 0-1000", optarg);
			o.max_redirs = (long)v;
			break;
		case OPT_EXPECT: parse_expect(optarg); break;
		case OPT_VIA: o.via = optarg; break;
		case OPT_LAYERS: o.layers = 1; break;
		case OPT_NOPIPE: o.no_pipeline = 1; break;
		case OPT_TRUSTED: o.trusted = 1; break;
		default:
			tb_bad_option();
		}
	}
	nurls = argc - optind;
	if (nurls <= 0)
		tb_usage_error("no URL");
	if (nurls > MAX_URLS)
		tb_usage_error("at most %d URLs", MAX_URLS);
	if (o.nouts > nurls)
		tb_usage_error("more -o than URLs");
	if (o.resume && !o.remote_name && o.nouts < nurls)
		tb_usage_error("-C needs -o or -O: it resumes .part-FILE");
	if (o.head_only && o.data)
		tb_usage_error("-I and -d do not go together");
	if (o.user && strchr(o.user, ':'))
		tb_usage_error("-u takes a user name only: the password comes from ~/.netrc "
		    "or HTTPGET_PASSWORD, never the command line");
	for (i = 0; o.user && o.user[i]; i++)
		if ((unsigned char)o.user[i] < 0x20 || o.user[i] == 0x7f)
			tb_usage_error("-u: control byte in the user name");
	/*
	 * a control byte in any URL is refused before the first
	 * packet, not when its turn comes after the others' transfers
	 */
	for (i = optind; i < argc; i++) {
		const char *p;

		for (p = argv[i]; *p; p++)
			if ((unsigned char)*p < 0x21 || *p == 0x7f)
				tb_usage_error("URL %d: control byte or blank", i - optind + 1);
	}
	for (i = 0; o.agent[i]; i++)
		if ((unsigned char)o.agent[i] < 0x20 || o.agent[i] == 0x7f)
			tb_usage_error("-A: control byte in the agent");
	if (o.method) {
		for (i = 0; o.method[i]; i++)
			if (!strchr("!#$%&'*+-.^_`|~", o.method[i]) &&
			    !((o.method[i] >= 'A' && o.method[i] <= 'Z') ||
			    (o.method[i] >= 'a' && o.method[i] <= 'z') ||
			    (o.method[i] >= '0' && o.method[i] <= '9')))
				tb_usage_error("-X '%s': not a method token", o.method);
		if (i == 0)
			tb_usage_error("-X: empty method");
	}
	check_names(argv + optind, nurls);
	check_creds(argv + optind, nurls);
	if (o.data)
		load_body(o.data);
	if (o.deadline_us > 0)
		o.deadline_us += tb_now();
	setup_proxy();
	all_files = o.remote_name || o.nouts == nurls;
	for (i = 0; i < o.nouts; i++)
		if (strcmp(o.outs[i], "-") == 0)
			all_files = 0;
	meta = all_files && !o.head_only && !o.include ? stdout : stderr;
	urls_all = argv + optind;
	nurls_all = nurls;
	pipeline_ok = !o.no_pipeline && !have_body && !o.resume && !o.user &&
	    (!o.method || strcmp(o.method, "GET") == 0 || strcmp(o.method, "HEAD") == 0);
	lv.fp = stderr;
	if (o.layers)
		dns_resolver_layers(&lv);	/* the DNS packets of the lookups, too */

	tb_catch_signals();

	for (i = 0; i < nurls && !tb_interrupted; i++) {
		int r = fetch(argv[optind + i], i);

		if (r == EXIT_OK)
			nok++;
		code = exit_worst(code, r);
	}
	if (tb_interrupted && code == EXIT_OK)
		code = EXIT_NET;
	for (i = 0; i < MAX_POOL; i++)
		if (pool[i]) {
			hc_close(pool[i]);
			tb_free(pool[i]);
		}
	tb_free(body);
	if (o.json) {
		struct json j;

		js_begin(&j, meta, "summary");
		js_int(&j, "urls", nurls);
		js_int(&j, "ok", nok);
		js_int(&j, "failed", nurls - nok);
		js_bool(&j, "interrupted", tb_interrupted);
		js_int(&j, "exit", code);
		js_end(&j);
	}
	tb_exit(code);
}
