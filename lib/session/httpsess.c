/* httpsess.c - the HTTP/1.1 conversation on a connection (see httpsess.h) */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fsafe.h"
#include "httpcoding.h"
#include "httpsess.h"
#include "httptunnel.h"
#include "proxytunnel.h"
#include "tls/tlsopt.h"
#include "progress.h"
#include "secret.h"
#include "transfer.h"
#include "tubes.h"

static const struct hs_conf *cf;
static struct hs_conn *pool[HS_POOL];

/*
 * TLS sessions to resume, one per origin (the pool's key), taken from
 * a connection when it closes; in memory only, wiped by hs_close_all
 */
static struct hs_sess {
	char key[600];
	struct tls_session s;
} *sess[HS_POOL];
static unsigned nsess;

static struct hs_sess *
sess_find(const char *key)
{
	unsigned i;

	for (i = 0; i < HS_POOL; i++)
		if (sess[i] && sess[i]->s.valid && strcmp(sess[i]->key, key) == 0)
			return sess[i];
	return NULL;
}

/* keep the session of h, if it has one, in its origin's place or the oldest */
static void
sess_keep(struct hs_conn *h)
{
	struct hs_sess *e = sess_find(h->key);

	if (e == NULL) {
		if (sess[nsess % HS_POOL] == NULL &&
		    (sess[nsess % HS_POOL] = tb_calloc(1, sizeof *e)) == NULL)
			return;
		e = sess[nsess++ % HS_POOL];
	}
	if (tls_session_get(&h->c, &e->s) == 0)
		snprintf(e->key, sizeof e->key, "%s", h->key);
}

void
hs_init(const struct hs_conf *conf)
{
	cf = conf;
}

void
hs_close(struct hs_conn *h)
{
	if (!h->open)
		return;
	if (cf->verbose && !h->via)
		tb_tcpinfo(stderr, h->c.rfd, h->label);
	if (h->tls)
		sess_keep(h);
	conn_close(&h->c);
	h->open = 0;
	h->reusable = 0;
	h->npipe = 0;
}

void
hs_close_all(void)
{
	int i;

	for (i = 0; i < HS_POOL; i++)
		if (pool[i]) {
			hs_close(pool[i]);
			tb_free(pool[i]);
			pool[i] = NULL;
		}
	for (i = 0; i < HS_POOL; i++)
		if (sess[i]) {
			tls_session_wipe(&sess[i]->s);
			tb_free(sess[i]);
			sess[i] = NULL;
		}
}

/* a slot for a new connection: a free one, a closed one, else the oldest */
static struct hs_conn *
slot(void)
{
	struct hs_conn *h;
	int i;

	for (i = 0; i < HS_POOL; i++) {
		if (pool[i] == NULL) {
			if ((pool[i] = tb_calloc(1, sizeof *pool[i])) == NULL)
				tb_die(EXIT_LOCAL, "out of memory");
			return pool[i];
		}
		if (!pool[i]->open || !pool[i]->reusable)
			return pool[i];
	}
	h = pool[0];
	memmove(pool, pool + 1, (HS_POOL - 1) * sizeof pool[0]);
	pool[HS_POOL - 1] = h;
	return h;
}

/* TLS on the new connection (https://): 0, or -1 with why */
static int
secure(struct hs_conn *h, const char *host, int *code, char *why, size_t cap)
{
	struct hs_sess *e = sess_find(h->key);
	char w[256], line[200];
	int r;

	/* the origin's last session offered: a resumption skips the certificate */
	cf->tls->resume = e ? &e->s : NULL;
	/* the handshake is part of connecting, as in curl: --connect-timeout */
	cf->tls->handshake_us = cf->connect_us > 0 ? cf->connect_us : -1;
	r = tlsopt_start(&h->c, cf->tls, host, "http/1.1", cf->lv, &h->tinfo, w, sizeof w);
	cf->tls->resume = NULL;
	if (r < 0) {
		snprintf(why, cap, "%s: TLS: %s", h->label, w);
		conn_close(&h->c);
		*code = EXIT_NET;
		return -1;
	}
	h->tls = 1;
	if (cf->verbose)
		fprintf(stderr, "* TLS: %s\n", tlsopt_str(&h->tinfo, line, sizeof line));
	return 0;
}

static int
dial(struct hs_conn *h, const char *host, uint16_t port, int *code, char *why, size_t cap)
{
	const char *w = NULL;
	char a[TB_ADDRSTRLEN];
	int one = 1, e;

	if (cf->via) {
		if (conn_via(&h->c, cf->via, host, port) < 0) {
			snprintf(why, cap, "--via: %s", strerror(errno));
			*code = EXIT_LOCAL;
			return -1;
		}
		if (cf->verbose)
			fprintf(stderr, "* connected through --via to %s port %u\n", host, port);
		return 0;
	}
	if ((e = conn_dial(&h->c, host, port, cf->family, cf->connect_us, &h->addr, &w)) < 0) {
		int err = e == -2 ? EAGAIN : errno;	/* the lookup: see hs_get */

		h->c.rfd = h->c.wfd = -1;
		if (e == -2)	/* the lookup's own words (tubes(7)) */
			snprintf(why, cap, "%s", w ? w : "lookup failed");
		else
			snprintf(why, cap, "%s port %u: %s", host, port, w ? w : strerror(err));
		*code = conn_dial_exit();
		errno = err;
		return -1;
	}
	/* requests are whole writes: never hold one back for an ACK */
	setsockopt(h->c.rfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (cf->verbose) {
		tb_addr_str(&h->addr, a, sizeof a);
		if (strcmp(a, host) != 0)
			fprintf(stderr, "* %s resolved to %s\n", host, a);
		fprintf(stderr, "* connected to %s%s port %u\n", h->tunnel ? "proxy " : "", a,
		    port);
	}
	return 0;
}

/* "proxy " before why: a failure to reach the proxy is not the origin's */
static void
say_proxy(char *why, size_t cap)
{
	char w[512];

	snprintf(w, sizeof w, "%s", why);
	snprintf(why, cap, "proxy %s", w);
}

/* CONNECT on h, just connected to the proxy: 0, or -1 with *code and why */
static int
tunnel(struct hs_conn *h, const struct hs_route *rt, int *code, char *why, size_t cap)
{
	static struct http_head hd;	/* ~200 KiB: not on the stack */
	struct pt_conf pc = { .proxy = rt->proxy, .authority = rt->authority,
	    .agent = cf->agent, .auth = rt->tunnel_auth, .nauth = rt->ntunnel_auth,
	    .verbose = cf->verbose, .lv = cf->lv, .head_us = cf->head_us };

	if ((*code = pt_open(&h->c, &pc, &hd, why, cap)) == 0)
		return 0;
	conn_close(&h->c);
	return -1;
}

static struct hs_conn *
get(const char *key, const char *host, uint16_t port, int tls, const struct hs_route *rt,
    int *reused, int *code, char *why, size_t cap)
{
	struct hs_conn *h;
	int i;

	for (i = 0; i < HS_POOL && pool[i]; i++)
		if (pool[i]->open && pool[i]->reusable && strcmp(pool[i]->key, key) == 0) {
			*reused = 1;
			if (cf->verbose)
				fprintf(stderr, "* reusing the connection to %s%s%s\n",
				    pool[i]->label, rt ? " through proxy " : "", rt ? rt->proxy : "");
			return pool[i];
		}
	*reused = 0;
	h = slot();
	hs_close(h);
	snprintf(h->key, sizeof h->key, "%s", key);
	/* a tunnel's connection is named for its origin: TLS, body and all are */
	snprintf(h->label, sizeof h->label, "%s port %u", rt ? rt->origin : host,
	    rt ? rt->oport : port);
	h->c.deadline = cf->deadline_us;
	h->c.idle = cf->idle_us;
	h->c.trace = NULL;
	h->requests = 0;
	h->via = cf->via != NULL;
	h->tls = 0;
	h->tunnel = rt != NULL;
	h->c.lv = cf->lv;	/* -X: every TCP segment too */
	if (dial(h, host, port, code, why, cap) < 0) {
		if (rt)
			say_proxy(why, cap);
		return NULL;
	}
	if (rt && tunnel(h, rt, code, why, cap) < 0)
		return NULL;
	/* with --via the helper carries TLS itself, as it always did */
	if (tls && !h->via && secure(h, rt ? rt->origin : cf->tls_name ? cf->tls_name : host,
	    code, why, cap) < 0)
		return NULL;
	h->c.deadline = cf->deadline_us;
	h->c.idle = cf->idle_us;
	h->open = 1;
	h->reusable = 1;
	return h;
}

struct hs_conn *
hs_get(const char *key, const char *host, uint16_t port, int tls, int *reused, int *code,
    char *why, size_t cap)
{
	return get(key, host, port, tls, NULL, reused, code, why, cap);
}

struct hs_conn *
hs_get_route(const struct hs_route *rt, int tls, int *reused, int *code, char *why,
    size_t cap)
{
	return get(rt->key, rt->host, rt->port, tls || rt->tunnel, rt->tunnel ? rt : NULL,
	    reused, code, why, cap);
}

int
hs_send(struct hs_conn *h, const char *req, size_t n)
{
	if (cf->verbose)
		hs_print_request(stderr, req, n);
	if (cf->lv) {
		lv_packet(cf->lv, "sent %zu bytes to %s", n, h->label);
		http_request_layers(cf->lv, req, n);
	}
	h->requests++;
	return conn_write(&h->c, req, n);
}

int
hs_junk_after(struct hs_conn *h)
{
	size_t n;

	if (!conn_ready(&h->c))
		return h->c.eof;	/* closed: no reuse either */
	n = h->c.len - h->c.off;
	if (h->npipe == 0)
		return 1;
	if (n > 5)
		n = 5;
	return memcmp(h->c.buf + h->c.off, "HTTP/", n) != 0;
}

static void
show_head(struct hs_conn *h, const struct http_head *hd, int interim)
{
	if (cf->verbose)
		hs_print_head(stderr, "< ", hd);
	if (cf->lv == NULL)
		return;
	if (interim)
		lv_packet(cf->lv, "received interim response from %s", h->label);
	else
		lv_packet(cf->lv, "received %zu bytes of response head from %s",
		    hd->wire, h->label);
	http_head_layers(cf->lv, hd);
}

/*
 * Why a read failed, taken before hs_close frees the layer: TLS's own
 * message when it has one (a truncation without close_notify, an alert,
 * a record that broke the protocol: errno alone says "Protocol error"),
 * else errno's.
 */
static const char *
read_error(struct hs_conn *h, int e, char *buf, size_t cap)
{
	const char *t;

	if (e == EINTR)
		return "interrupted";
	if ((t = tls_error(&h->c)) != NULL) {
		snprintf(buf, cap, "TLS: %s", t);
		return buf;
	}
	return strerror(e);
}

/* the stream ended or failed in a head: HS_RETRY or EXIT_NET */
static int
head_failed(struct hs_conn *h, const struct http_head *hd, int r, int e, int got_any,
    int reused, int64_t head_deadline, char *why, size_t cap)
{
	char tb[300];
	const char *err = read_error(h, e, tb, sizeof tb);

	hs_close(h);
	if (r < 0 && e == ETIMEDOUT && head_deadline != cf->deadline_us &&
	    tb_now() >= head_deadline) {
		snprintf(why, cap, "no complete response head in %.3g s (--head-timeout)",
		    (double)cf->head_us / 1e6);
		errno = ETIMEDOUT;
		return EXIT_NET;
	}
	if (!got_any && hd->wire == 0 && reused && (r == 0 || e == ECONNRESET))
		return HS_RETRY;
	if (r == 0)
		snprintf(why, cap, "%s", got_any ? "connection closed in the response head" :
		    "connection closed without a response");
	else
		snprintf(why, cap, "reading the response: %s", err);
	errno = r < 0 ? e : 0;	/* for the caller's --retry: a timeout? */
	return EXIT_NET;
}

int
hs_head(struct hs_conn *h, struct http_head *hd, int reused, int pipelined, int *bad_pipe,
    int64_t *first, char *why, size_t cap)
{
	int r, e, got_any = 0, ninterim = 0;
	int64_t head_deadline;
	size_t used;

	/*
	 * At most HS_MAX_INTERIM 1xx heads, and the whole sequence within
	 * head_us (HTTP-25): neither is reset by a new head, so neither
	 * endless 100 Continue nor a trickle holds us.
	 */
	head_deadline = tb_earliest(tb_now() + cf->head_us, cf->deadline_us);
	h->c.deadline = head_deadline;
	http_head_init(hd);
	for (;;) {
		if (h->c.off == h->c.len) {
			r = tb_interrupted ? -1 : conn_fill(&h->c);
			if (r <= 0) {
				e = tb_interrupted ? EINTR : errno;
				return head_failed(h, hd, r, e, got_any, reused, head_deadline, why,
				    cap);
			}
			if (!got_any) {
				got_any = 1;
				*first = tb_now();
			}
		}
		r = http_head_feed(hd, h->c.buf + h->c.off, h->c.len - h->c.off, &used);
		h->c.off += used;
		if (r == HTTP_MORE)
			continue;
		if (r != HTTP_INTERIM)
			break;
		if (++ninterim > HS_MAX_INTERIM) {
			hs_close(h);
			snprintf(why, cap, "more than %d interim (1xx) responses", HS_MAX_INTERIM);
			return EXIT_NET;
		}
		show_head(h, hd, 1);
		http_head_init(hd);
	}
	h->c.deadline = cf->deadline_us;
	if (r < 0 && pipelined) {
		/*
		 * what came is not a response to our pipelined request (junk
		 * after the last one?): stop pipelining, ask again afresh
		 */
		if (cf->verbose)
			fprintf(stderr, "* bad response to a pipelined request; "
			    "asking again without pipelining\n");
		*bad_pipe = 1;
		hs_close(h);
		return HS_RETRY;
	}
	if (r < 0) {
		hs_close(h);
		snprintf(why, cap, "malformed response: %s", http_strerror(r));
		return EXIT_NET;
	}
	show_head(h, hd, 0);
	return 0;
}

static int
body(struct hs_conn *h, const struct http_framing *fr, int fd, struct hc_decoder *dec,
    struct progress *pm, uint64_t *bytes, char *why, size_t cap)
{
	struct xfer x;
	char tb[300];
	const char *err;
	int e;

	memset(&x, 0, sizeof x);
	if (dec) {
		x.sink = hc_put;
		x.sink_arg = dec;
	}
	x.how = fr->body == HTTP_BODY_LENGTH ? XFER_LENGTH : fr->body == HTTP_BODY_CHUNKED ?
	    XFER_CHUNKED : XFER_EOF;
	x.length = fr->length;
	x.fd = fd;
	x.pm = pm;
	x.lv = cf->lv;
	if (xfer_copy(&h->c, &x) == 0) {
		*bytes = x.copied;
		if (dec && hc_end(dec) < 0) {
			hs_close(h);
			snprintf(why, cap, "decoding the body: %s", inflate_strerror(dec->ierr));
			return EXIT_NET;
		}
		if (cf->verbose && x.spliced)
			fprintf(stderr, "* body moved by splice(2)\n");
		if (x.how == XFER_EOF)
			hs_close(h);
		else if (hs_junk_after(h))
			h->reusable = 0;	/* HTTP-04: bytes beyond the body are not body */
		return 0;
	}
	e = errno;
	*bytes = x.copied;
	if (x.sink_error && dec && dec->ierr) {
		/* the body does not decode, or passed the limits: stop reading it */
		hs_close(h);
		snprintf(why, cap, "decoding the body: %s", inflate_strerror(dec->ierr));
		return EXIT_NET;
	}
	if (x.sink_error)
		return EXIT_LOCAL;
	err = read_error(h, e, tb, sizeof tb);
	hs_close(h);
	if (e == EPROTO && x.http_error)
		snprintf(why, cap, "malformed response: %s", http_strerror(x.http_error));
	else if (x.how == XFER_LENGTH)
		snprintf(why, cap, "body cut short: %llu of %llu bytes%s%s",
		    (unsigned long long)x.copied, (unsigned long long)x.length,
		    e != EPIPE ? ": " : "", e == EPIPE ? "" : err);
	else if (x.how == XFER_CHUNKED)
		snprintf(why, cap, "chunked body cut short after %llu bytes%s%s",
		    (unsigned long long)x.copied, e != EPIPE ? ": " : "",
		    e == EPIPE ? "" : err);
	else
		snprintf(why, cap, "reading the body: %s", err);
	errno = e;	/* for the caller's --retry: a timeout? */
	return EXIT_NET;
}

int
hs_body(struct hs_conn *h, const struct http_framing *fr, int fd, struct progress *pm,
    uint64_t *bytes, char *why, size_t cap)
{
	return body(h, fr, fd, NULL, pm, bytes, why, cap);
}

int
hs_body_decoded(struct hs_conn *h, const struct http_framing *fr, struct hc_decoder *dec,
    struct progress *pm, uint64_t *bytes, char *why, size_t cap)
{
	return body(h, fr, dec->fd, dec, pm, bytes, why, cap);
}

/* --- proxies --------------------------------------------------------------- */

/* a proxy: one for http:// URLs, one for https:// (tunnelled) */
static struct proxy {
	struct url u;
	int have;
	char up[600];		/* "user:pass" for Proxy-Authorization */
	size_t nup;
	char label[300];	/* "host port N" */
} px_http, px_https;

/* take the proxy URL p (named name) into px: 0, or -1 with why */
static int
proxy_take(struct proxy *px, const char *p, const char *name, const char **why)
{
	char tmp[URL_MAX];

	if (strstr(p, "://") == NULL) {
		snprintf(tmp, sizeof tmp, "http://%s", p);
		p = tmp;
	}
	if (url_parse(p, &px->u, why) < 0 || strcmp(px->u.scheme, "http") != 0) {
		if (*why == NULL)
			*why = "only http:// proxies";
		explicit_bzero(tmp, sizeof tmp);
		return -1;
	}
	explicit_bzero(tmp, sizeof tmp);
	if (!px->u.port_given)
		px->u.port = 1080;	/* as curl: a proxy's port, not http's */
	if (px->u.has_user) {
		px->nup = (size_t)snprintf(px->up, sizeof px->up, "%s:%s", px->u.user,
		    px->u.pass);
		explicit_bzero(px->u.pass, sizeof px->u.pass);
		/* the proxy's password leaves the environment block too */
		if (name[0] != '-')
			tb_env_scrub(name);
		if (px->nup >= sizeof px->up) {
			*why = "credentials too long";
			return -1;
		}
	}
	snprintf(px->label, sizeof px->label, "%s port %u", px->u.host, px->u.port);
	px->have = 1;
	return 0;
}

/* the first of these variables set and not empty, its name in *name */
static const char *
env_first(const char *const *names, const char **name)
{
	const char *v;

	for (; *names; names++)
		if ((v = getenv(*names)) != NULL && *v != '\0') {
			*name = *names;
			return v;
		}
	return NULL;
}

int
hs_proxy_env(const char *opt, const char **name, const char **why)
{
	/*
	 * As curl: http_proxy in lower case only (HTTP_PROXY is anybody's
	 * request header under CGI), https_proxy in either case, then
	 * all_proxy for both; -x instead of all of them.
	 */
	static const char *const for_http[] = { "http_proxy", "all_proxy", "ALL_PROXY", NULL };
	static const char *const for_https[] = { "https_proxy", "HTTPS_PROXY", "all_proxy",
	    "ALL_PROXY", NULL };
	static char hs[URL_MAX];	/* https's, kept while http's is taken */
	const char *p, *ps, *ns = NULL;
	int r = 0;

	*why = NULL;
	if (opt != NULL) {
		*name = "-x";
		if (proxy_take(&px_http, opt, "-x", why) < 0)
			return -1;
		px_https = px_http;
		return 0;
	}
	/* both read before either is taken: taking one scrubs a shared all_proxy */
	if ((ps = env_first(for_https, &ns)) != NULL) {
		if (strlen(ps) >= sizeof hs) {
			*name = ns;
			*why = "too long";
			return -1;
		}
		snprintf(hs, sizeof hs, "%s", ps);
	}
	if ((p = env_first(for_http, name)) != NULL && proxy_take(&px_http, p, *name, why) < 0)
		r = -1;
	else if (ps != NULL && proxy_take(&px_https, hs, ns, why) < 0) {
		*name = ns;
		r = -1;
	}
	explicit_bzero(hs, sizeof hs);
	return r;
}

void
hs_route(const struct url *u, struct hs_route *rt)
{
	const char *np = getenv("no_proxy");
	int https = strcmp(u->scheme, "https") == 0;
	const struct proxy *px = https ? &px_https : &px_http;
	int use;

	if (np == NULL)
		np = getenv("NO_PROXY");
	use = px->have && !(np != NULL && url_no_proxy(np, u->host));
	/* --via makes the connection itself, TLS included: no tunnel */
	if (https && cf && cf->via)
		use = 0;
	/* an authority that cannot be written goes straight, and fails there */
	if (use && https && http_authority(u->host, u->port, rt->authority,
	    sizeof rt->authority) < 0)
		use = 0;
	rt->proxied = use && !https;
	rt->tunnel = use && https;
	rt->host = use ? px->u.host : u->host;
	rt->port = use ? px->u.port : u->port;
	rt->origin = u->host;
	rt->oport = u->port;
	rt->proxy = use ? px->label : NULL;
	if (rt->tunnel)
		/* an origin through a proxy: its own connection, its own TLS session */
		snprintf(rt->key, sizeof rt->key, "https|%s|%u|via|%s|%u", u->host, u->port,
		    rt->host, rt->port);
	else
		snprintf(rt->key, sizeof rt->key, "%s|%s|%u", rt->proxied ? "proxy" : u->scheme,
		    rt->host, rt->port);
	if (rt->proxied)
		url_format(u, rt->target, sizeof rt->target);
	else
		snprintf(rt->target, sizeof rt->target, "%s", u->path);
	/* for a request through the proxy; a tunnel's go in CONNECT only */
	rt->proxy_auth = rt->proxied && px->u.has_user ? px->up : NULL;
	rt->nproxy_auth = rt->proxy_auth ? px->nup : 0;
	rt->tunnel_auth = rt->tunnel && px->u.has_user ? px->up : NULL;
	rt->ntunnel_auth = rt->tunnel_auth ? px->nup : 0;
}

/* --- printing heads ------------------------------------------------------ */

void
hs_print_head(FILE *fp, const char *prefix, const struct http_head *hd)
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

void
hs_print_request(FILE *fp, const char *req, size_t n)
{
	const char *p = req, *end = req + n, *nl;

	for (; p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL; p = nl + 1) {
		size_t k = (size_t)(nl - p) - (nl > p && nl[-1] == '\r');

		fputs("> ", fp);
		if (k > 15 && (strncmp(p, "Authorization: ", 15) == 0))
			fputs("Authorization: (credentials not shown)", fp);
		else if (k > 21 && strncmp(p, "Proxy-Authorization: ", 21) == 0)
			fputs("Proxy-Authorization: (credentials not shown)", fp);
		else
			tb_escape(fp, p, k, 1);
		fputc('\n', fp);
	}
}

size_t
hs_head_text(const struct http_head *hd, char *buf, size_t cap)
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

/* --- the rules ------------------------------------------------------------ */

int
hs_is_redirect(int s)
{
	return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
}

/* scheme, host (stored in lower case) and port (the default filled in) */
int
hs_same_origin(const struct url *a, const struct url *b)
{
	return strcmp(a->scheme, b->scheme) == 0 && strcmp(a->host, b->host) == 0 &&
	    a->port == b->port;
}

const char *
hs_scheme_refusal(const struct url *u, int via)
{
	(void)via;
	if (strcmp(u->scheme, "http") == 0 || strcmp(u->scheme, "https") == 0)
		return NULL;
	return "httpget speaks http:// and https:// only";
}

int
hs_redirect(const char *cur, const struct http_head *hd, int via, struct url *nu,
    char *next, size_t ncap, const char **method, int *send_body, char *why, size_t cap)
{
	char lbuf[URL_MAX], esc[256];
	const char *loc, *w;
	size_t n = 0;
	int r, status = hd->status;

	loc = http_field(hd, "location", 0, &n);
	if (loc == NULL)
		n = 0;
	if (n >= sizeof lbuf)
		n = sizeof lbuf - 1;
	memcpy(lbuf, loc ? loc : "", n);
	lbuf[n] = '\0';
	if (memchr(lbuf, '\0', n) != NULL || url_resolve(cur, lbuf, next, ncap) < 0) {
		snprintf(why, cap, "Location too long");
		return EXIT_NET;
	}
	r = url_parse(next, nu, &w);
	if (r == URL_ESCHEME || (r == URL_OK && hs_scheme_refusal(nu, via))) {
		/* HTTP-18 */
		tb_escape_buf(esc, sizeof esc, next, strlen(next));
		snprintf(why, cap, "redirect to %s refused: %s", esc,
		    r == URL_OK ? hs_scheme_refusal(nu, via) : "httpget follows http:// and https:// only");
		return EXIT_NO;
	}
	if (r == URL_OK && strncmp(cur, "https:", 6) == 0 && strcmp(nu->scheme, "http") == 0) {
		/* from TLS to clear text: only when asked, and said */
		tb_escape_buf(esc, sizeof esc, next, strlen(next));
		if (cf == NULL || !cf->downgrade) {
			snprintf(why, cap, "redirect from https:// to %s refused "
			    "(--redirect-to-http follows it)", esc);
			return EXIT_NO;
		}
		tb_warn("following a redirect from https:// to %s: the rest is not encrypted", esc);
	}
	if (r < 0) {
		tb_escape_buf(esc, sizeof esc, lbuf, strlen(lbuf));
		snprintf(why, cap, "bad Location \"%s\": %s", esc, w);
		return EXIT_NET;
	}
	/* user info in a Location is never used: credentials come from the user */
	nu->has_user = nu->has_pass = 0;
	explicit_bzero(nu->user, sizeof nu->user);
	explicit_bzero(nu->pass, sizeof nu->pass);
	if ((status == 303 && strcmp(*method, "HEAD") != 0) ||
	    ((status == 301 || status == 302) && strcmp(*method, "POST") == 0)) {
		*method = "GET";
		*send_body = 0;
	}
	return 0;
}

enum hs_resume
hs_resume(const struct http_head *hd, const struct http_framing *fr, uint64_t offset,
    int validator, int user_range, struct hs_range *rg, char *why, size_t cap)
{
	uint64_t first, last, total;
	const char *v;
	size_t n;

	memset(rg, 0, sizeof *rg);
	if (hd->status == 206 && offset == 0 && !user_range) {
		/* HTTP-24: a part of a body nobody asked a part of */
		snprintf(why, cap, "206 Partial Content to a request for the whole body");
		return HS_REFUSE;
	}
	if (offset == 0)
		return HS_BODY;
	if (hd->status == 206) {
		v = http_field(hd, "content-range", 0, &n);
		if (v == NULL || http_content_range(v, n, &first, &last, &total) < 0 ||
		    first != offset) {
			snprintf(why, cap, "206 response does not resume at byte %llu",
			    (unsigned long long)offset);
			return HS_REFUSE;
		}
		if (fr->body == HTTP_BODY_LENGTH && fr->length != last - first + 1) {
			/* HTTP-24: the two lengths must tell the same story */
			snprintf(why, cap, "206 with Content-Length %llu for bytes %llu-%llu",
			    (unsigned long long)fr->length, (unsigned long long)first,
			    (unsigned long long)last);
			return HS_REFUSE;
		}
		rg->partial = 1;
		rg->first = first;
		rg->len = last - first + 1;
		rg->total = total;
		return HS_BODY;
	}
	/* Range ignored, or If-Range found the file changed: start again */
	if (hd->status == 200)
		return HS_RESTART;
	/*
	 * If-Range matched (else the answer is a 200), and the file is as
	 * long as the .part: it was complete (as wget -c says)
	 */
	if (hd->status == 416 && validator) {
		v = http_field(hd, "content-range", 0, &n);
		if (v && http_range_unsatisfied(v, n, &total) == 0 && total == offset)
			return HS_ALREADY;
	}
	/* e.g. 416 without a validator: keep the .part as it is */
	return HS_KEEP;
}

int
hs_range_done(const struct hs_range *rg, uint64_t bytes, char *why, size_t cap)
{
	if (!rg->partial)
		return 0;
	if (bytes != rg->len) {
		/* a 206 delimited by the close or chunked: its length must match too */
		snprintf(why, cap, "206 body of %llu bytes for a range of %llu",
		    (unsigned long long)bytes, (unsigned long long)rg->len);
		return EXIT_NET;
	}
	if (rg->total != UINT64_MAX && rg->first + rg->len != rg->total) {
		/* HTTP-24: a sub-range is not the file */
		snprintf(why, cap, "206 gave bytes %llu-%llu of %llu: the file is not complete",
		    (unsigned long long)rg->first, (unsigned long long)(rg->first + rg->len - 1),
		    (unsigned long long)rg->total);
		return EXIT_NET;
	}
	return 0;
}

/* --- the validator beside a .part ---------------------------------------- */

int
hs_meta_name(const char *part, char *out, size_t cap)
{
	const char *slash = strrchr(part, '/');
	int dl = slash ? (int)(slash - part + 1) : 0;
	int n = snprintf(out, cap, "%.*s%s%s", dl, part, FSAFE_PREFIX, part + dl);

	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

void
hs_meta_save(const char *meta, const struct http_head *hd)
{
	const char *v;
	size_t n = 0;
	int fd;

	v = http_field(hd, "etag", 0, &n);
	if (v && (n < 2 || v[0] != '"'))
		v = NULL;	/* W/"x" is weak, and anything else is not an ETag */
	if (v == NULL)
		v = http_field(hd, "last-modified", 0, &n);
	unlink(meta);
	if (v == NULL || n == 0 || n >= 256 || memchr(v, '\n', n))
		return;
	fd = open(meta, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (tb_write_all(fd, v, n) < 0 || tb_write_all(fd, "\n", 1) < 0 || close(fd) < 0)
		unlink(meta);
}

void
hs_meta_load(const char *meta, char *out, size_t cap)
{
	int fd = open(meta, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t r;
	size_t i;

	out[0] = '\0';
	if (fd < 0)
		return;
	r = read(fd, out, cap - 1);
	close(fd);
	if (r <= 0 || out[r - 1] != '\n') {
		out[0] = '\0';
		return;
	}
	out[r - 1] = '\0';
	for (i = 0; out[i]; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f) {
			out[0] = '\0';
			return;
		}
}
