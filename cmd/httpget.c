/*
 * httpget - fetch URLs over HTTP/1.1: keep-alive, chunked, redirects,
 * resume, honest exit codes.  The protocol bytes are built and parsed by
 * lib/wire/http.c and lib/wire/url.c; this file holds options, connections and output.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dnsnet.h"
#include "fsafe.h"
#include "http.h"
#include "httpargs.h"
#include "httpcoding.h"
#include "httpcreds.h"
#include "httpjar.h"
#include "httpopt.h"
#include "httpout.h"
#include "httpretry.h"
#include "httpsess.h"
#include "httpsink.h"
#include "tls/tlsopt.h"
#include "progress.h"
#include "reqbody.h"
#include "tubes.h"
#include "url.h"
#include "writeout.h"

#define MAX_URLS 4096
#define MAX_HEADERS 64

static const char usage_text[] =
    "usage: httpget [-fIiLSsvj46] [-o file | -O] [-C -|offset | --continue]\n"
    "               [--no-location] [--max-redirs N] [--location-trusted] [-e referer]\n"
    "               [-H 'Name: value']... [-A agent] [-d data|@file|@-] [-X method]\n"
    "               [--data-binary data|@file] [--data-urlencode data] [-F name=value]\n"
    "               [-T file] [-b data|file] [-c file]\n"
    "               [-u user] [-w format] [-m secs] [-W idle] [--connect-timeout S]\n"
    "               [--head-timeout S] [--retry N] [--retry-delay S] [--retry-connrefused]\n"
    "               [--expect CODE[,CODE]] [-x proxy] [--via CMD] [--no-pipeline] [--layers]\n"
    "               [--redirect-to-http] [--cacert F] [--capath D] [-k]\n"
    "               [--compressed [--max-decoded SIZE] [--max-ratio N]]\n"
    "               [--tls-min V] [--tls-max V] [--pinnedpubkey P] URL...\n";

struct opts {
	const char *outs[MAX_URLS];	/* -o per URL, in order */
	int nouts;
	int remote_name;	/* -O */
	int resume;		/* -C -, --continue */
	int64_t resume_at;	/* -C N, or -1 */
	int fail, show_error;	/* -f, -S */
	const char *writeout;	/* -w */
	const char *referer;	/* -e, without ";auto" */
	int ref_auto;		/* -e ...;auto */
	long retry;		/* --retry */
	int64_t retry_delay_us;	/* --retry-delay, or -1 */
	int retry_refused;	/* --retry-connrefused */
	int head_only;		/* -I */
	int include;		/* -i */
	int follow;		/* -L (default) */
	long max_redirs;
	const char *headers[MAX_HEADERS];
	int nheaders;
	const char *agent;
	const char *method;	/* -X */
	const char *user;	/* -u */
	int64_t deadline_us, idle_us, connect_us;
	int64_t head_us;	/* --head-timeout: each response head, 1xx included */
	int family;
	int silent, verbose, json, layers;
	int expect[32];
	int nexpect;
	const char *via;
	const char *proxy;	/* -x */
	int no_pipeline;
	int trusted;		/* --location-trusted */
	struct tlsopt tls;	/* --cacert, -k ... */
	int downgrade;		/* --redirect-to-http */
	struct hc_opts hc;	/* --compressed, --max-decoded, --max-ratio */
};

static struct opts o;
static struct reqbody rb;	/* -d, --data-*, -F, -T: what they make */
static struct httpjar jar;	/* -b, -c */
static char *body;		/* the request body: rb's */
static size_t nbody;
static int have_body;
static FILE *meta;		/* where -j goes: never the stream the body uses */
static struct layers lv;
static struct hs_conf hc;	/* what lib's HTTP session takes of the options */
static char **urls_all;		/* the URLs, for pipelining */
static int nurls_all;
static int pipeline_ok;		/* plain GETs or HEADs without credentials */

static struct http_head head;
static long retries_left;	/* --retry: tries still to come for this URL */
static char referer[URL_MAX + 16];	/* the Referer field to send, or "" */

static void
usage(void)
{
	fputs(usage_text, stdout);
	fputs("\n"
	    "  -o, --output FILE       write the body to FILE (via .part-FILE), once per URL\n"
	    "  -O, --remote-name       name the file after the URL's last path segment\n"
	    "  -C, --continue-at -|N   -: as --continue; N: ask from byte N (Range)\n"
	    "      --continue          resume .part-FILE with Range and If-Range\n"
	    "  -I, --head              HEAD: print the response heads only (redirects too)\n"
	    "  -i, --include           print the response heads before the body\n"
	    "  -f, --fail              a status >= 400: no body written, exit 1\n"
	    "  -S, --show-error        with -s, still say why a URL failed (the status)\n"
	    "  -w, --write-out FORMAT  after each URL: curl's %{http_code} and the rest\n"
	    "  -e, --referer URL       Referer; 'URL;auto' or ';auto' sets it on redirects\n"
	    "  -L, --location          follow redirects (the default)\n"
	    "      --no-location       do not follow redirects\n"
	    "      --max-redirs N      redirects to follow (default 10)\n"
	    "      --location-trusted  send -u, netrc and credential -H fields (Authorization,\n"
	    "                          Cookie, *auth*, *token*, *key*...) to other origins too\n"
	    "  -H, --header 'N: v'     add a header; 'N:' removes a default one\n"
	    "  -A, --user-agent AGENT  User-Agent (default httpget/" TUBES_VERSION ")\n"
	    RB_HELP
	    HJ_HELP
	    "  -X, --request METHOD    request method (the layer view is --layers)\n"
	    "  -u, --user USER         Basic auth; password from ~/.netrc or HTTPGET_PASSWORD\n"
	    "  -m, --max-time SECS     overall deadline, all URLs and retries\n"
	    "      --deadline SECS     the same\n"
	    "  -W, --idle SECS         idle wait (default 30)\n"
	    "      --connect-timeout SECS  each connect, and a TLS handshake whole (default 10)\n"
	    "      --head-timeout SECS each response head, 1xx included, within (default 60)\n"
	    "      --retry N           retry a timeout, 408, 429, 500, 502, 503, 504 N times\n"
	    "      --retry-delay SECS  between retries (default 1 s, doubling)\n"
	    "      --retry-connrefused retry a refused connection too\n"
	    "  -4, -6                  IPv4 or IPv6 only\n"
	    "  -s, --silent            no progress bar or warnings\n"
	    "  -v, --verbose           heads and connection on stderr\n"
	    "  -j, --json              one JSON object per transfer (stdout if the body goes to a file)\n"
	    "      --expect CODES      exit 1 unless the final status is one of CODES\n"
	    "  -x, --proxy URL         http://[user:pass@]host[:port] for every URL (https://\n"
	    "                          tunnelled with CONNECT), instead of the *_proxy variables\n"
	    "      --via CMD           connect through CMD (%h host, %p port)\n"
	    "      --redirect-to-http  follow a redirect from https:// to http:// (warned)\n"
	    HC_HELP
	    TLSOPT_HELP
	    "      --no-pipeline       wait for each response before sending the next request\n"
	    "      --layers            every head decoded field by field, then hex, on stderr\n"
	    "  -h, --help              this help\n"
	    "  -V, --version           the version\n", stdout);
}

/* --- one exchange ---------------------------------------------------------- */

enum { XCH_OK, XCH_RETRY };

/* a request ready to send, and the connection it needs */
struct prepared {
	struct hs_route rt;
	int tls;		/* https://, straight or through a tunnel */
	long len;
	char req[16384];
};

/*
 * 0, or -1 with res->errbuf set.  foreign: u is not the origin the user
 * named (a redirect changed scheme, host or port), so no -H field that
 * carries a credential goes with it (HTTP-23).
 */
static int
prepare(const struct url *u, const char *method, int send_body, const struct hs_creds *cr,
    int foreign, int64_t range, const char *if_range, struct prepared *p,
    struct hs_result *res)
{
	static const char *hv[MAX_HEADERS + 4];
	static char ctype[128], cookie[HJ_FIELD_MAX];
	struct http_req q;
	char hostport[300];
	int i;
	size_t nh = 0;

	hs_route(u, &p->rt);
	p->tls = strcmp(u->scheme, "https") == 0;
	url_hostport(u, hostport, sizeof hostport);
	memset(&q, 0, sizeof q);
	q.method = method;
	q.target = p->rt.target;
	q.host = hostport;
	q.agent = o.agent;
	if (cr && cr->set) {
		q.auth = cr->up;
		q.nauth = cr->n;
	}
	q.proxy_auth = p->rt.proxy_auth;
	q.nproxy_auth = p->rt.nproxy_auth;
	if (referer[0] && !http_has_field(o.headers, o.nheaders, "referer:"))
		hv[nh++] = referer;	/* -e */
	for (i = 0; i < o.nheaders; i++) {
		/* Proxy-Authorization is for a proxy, never for an origin server */
		if (!p->rt.proxied && strncasecmp(o.headers[i], "proxy-authorization:", 20) == 0)
			continue;
		if (foreign && !o.trusted && http_is_credential(o.headers[i]))
			continue;
		hv[nh++] = o.headers[i];
	}
	if (!http_has_field(o.headers, o.nheaders, "cookie:") &&
	    hj_field(&jar, u, foreign, o.trusted, cookie, sizeof cookie) > 0)
		hv[nh++] = cookie;	/* -b, and the jar's for u */
	if (o.hc.compressed && !http_has_field(o.headers, o.nheaders, "accept-encoding:"))
		hv[nh++] = HC_ACCEPT;
	if (send_body && rb.ctype[0] && !http_has_field(o.headers, o.nheaders, "content-type:")) {
		snprintf(ctype, sizeof ctype, "Content-Type: %s", rb.ctype);
		hv[nh++] = ctype;
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

/*
 * Pipelining: after the request for URL idx, send the requests of the
 * URLs that follow it on the command line, while they are plain GETs or
 * HEADs to the same connection, up to PIPE_MAX outstanding.  A URL whose
 * request went ahead reads its response without sending; any mismatch
 * (a redirect hop, a URL that failed early) closes the connection, and
 * the requests still outstanding are sent again on a new one.
 */
static void
pipeline_ahead(struct hs_conn *h, int idx)
{
	static struct url pu;
	static struct prepared pp;
	static struct hs_result scratch;
	const char *why, *method;
	int k;

	if (!pipeline_ok || !h->open || !h->reusable || h->via)
		return;
	method = o.method ? o.method : o.head_only ? "HEAD" : "GET";
	k = h->npipe > 0 ? h->pipe[h->npipe - 1] + 1 : idx + 1;
	for (; k < nurls_all && h->npipe < HS_PIPE_MAX; k++) {
		if (hs_parse_arg(urls_all[k], &pu, &why) < 0 || pu.has_user ||
		    hs_scheme_refusal(&pu, o.via != NULL))
			return;
		if (prepare(&pu, method, 0, NULL, 0, -1, NULL, &pp, &scratch) < 0 ||
		    strcmp(pp.rt.key, h->key) != 0)
			return;
		if (hs_send(h, pp.req, (size_t)pp.len) < 0) {
			/* the outstanding ones will be retried on a new connection */
			h->reusable = 0;
			return;
		}
		h->pipe[h->npipe++] = k;
	}
}

/*
 * Our request on a connection for p: sent now, or found among those that
 * went ahead (*pipelined).  0, XCH_RETRY (a reused connection turned out
 * dead), or -1 with res's error.
 */
static int
request(struct hs_conn **hp, const struct prepared *p, int send_body, int idx,
    int *pipelined, struct hs_result *res)
{
	struct hs_conn *h;
	int i, e, code = EXIT_NET, tries;

	for (tries = 0;; tries++) {
		res->proxy = p->rt.proxy;	/* -j names it, failed or not */
		res->tunnel = p->rt.tunnel;
		h = hs_get_route(&p->rt, p->tls, &res->reused, &code, res->errbuf,
		    sizeof res->errbuf);
		if (h == NULL) {
			res->err = errno;	/* --retry: a timeout, a lookup ... */
			res->exit = code;
			return -1;
		}
		if (!res->reused) {
			res->connects++;
			res->tconnect = tb_now() - res->t0;
		}
		res->tls = h->tls;
		if (h->tls)
			res->tinfo = h->tinfo;
		if (h->npipe == 0 || (idx >= 0 && h->pipe[0] == idx) || tries > 0)
			break;
		/* not the response we are waiting for: start afresh */
		hs_close(h);
	}
	*hp = h;
	*pipelined = 0;
	if (h->npipe > 0) {
		/* our request went ahead on this connection */
		h->npipe--;
		for (i = 0; i < h->npipe; i++)
			h->pipe[i] = h->pipe[i + 1];
		res->reused = 1;
		*pipelined = 1;
	} else if (hs_send(h, p->req, (size_t)p->len) < 0 ||
	    (send_body && nbody && conn_write(&h->c, body, nbody) < 0)) {
		e = errno;
		hs_close(h);
		if (res->reused)
			return XCH_RETRY;
		snprintf(res->errbuf, sizeof res->errbuf, "sending the request: %s", strerror(e));
		res->exit = EXIT_NET;
		return -1;
	}
	if (idx >= 0)
		pipeline_ahead(h, idx);
	return 0;
}

/* -i, -I: the head where the body goes; 0 or -1 */
static int
write_head(struct hs_sink *out)
{
	static char hb[HTTP_HEAD_MAX + 4096];
	size_t n = hs_head_text(&head, hb, sizeof hb);

	if (out->fd == 1)
		fflush(stdout);
	return tb_write_all(out->fd, hb, n) < 0 ? -1 : 0;
}

/*
 * Where the body of this response goes: 1 to out, 0 nowhere (a redirect
 * we follow, a resume that does not apply, -f), -1 with res's error, -2
 * out cannot be written.  -i and -I write the head here, each redirect's
 * too (as curl -iL and -IL).
 */
static int
body_to(struct hs_sink *out, int may_follow, const struct http_framing *fr,
    struct hs_result *res)
{
	size_t n;
	int heads = o.include || o.head_only;

	res->redirect = res->discard = res->already = res->dropped = 0;
	if (may_follow && hs_is_redirect(head.status) && http_field(&head, "location", 0, &n))
		res->redirect = 1;
	/* -f; and a try to be retried writes nothing: only the last try counts */
	else if (retries_left > 0 && hr_transient(&(struct hr_try){ .status = head.status }, 0))
		res->dropped = 2;
	else if (o.fail && !http_code_in(head.status, o.expect, o.nexpect))
		res->dropped = 1;	/* the head still goes out with -i, as curl -fi */
	if ((res->redirect || res->dropped == 1) && heads && write_head(out) < 0)
		return -2;
	if (res->redirect || res->dropped)
		return 0;
	switch (hs_resume(&head, fr, out->offset, out->validator[0] != '\0', http_has_field(o.headers, o.nheaders, "range:"),
	    &out->range, res->errbuf, sizeof res->errbuf)) {
	case HS_REFUSE:
		res->exit = EXIT_NET;
		res->discard = 1;
		return -1;
	case HS_ALREADY:
		res->already = 1;
		return 0;
	case HS_KEEP:
		res->discard = 1;
		return 0;
	case HS_RESTART:
		if (!out->is_file) {
			snprintf(res->errbuf, sizeof res->errbuf, "-C %llu: the server sent the "
			    "whole body (200), not the range", (unsigned long long)out->offset);
			res->exit = EXIT_NO;
			res->discard = 1;
			return -1;
		}
		if (ftruncate(out->fd, 0) < 0)
			return -2;
		if (o.verbose)
			fprintf(stderr, "* 200 to a Range request: fetching the whole body again\n");
		out->offset = 0;
		/* FALLTHROUGH */
	case HS_BODY:
		if (out->is_file && out->offset == 0 && head.status == 200)
			hs_meta_save(out->meta, &head);
		break;
	}
	if (heads && write_head(out) < 0)
		return -2;
	out->pm.base = out->offset;
	progress_total(&out->pm, fr->body == HTTP_BODY_LENGTH ? out->offset + fr->length : 0);
	if (fr->content_encoding && !o.silent && !(o.hc.compressed && hc_coding(&head) != HC_OTHER))
		tb_warn("%s: Content-Encoding present: body saved as received, not decoded",
		    res->final);
	return 1;
}

/*
 * Send one request and read its response head and body.
 * Returns XCH_RETRY when a reused connection turned out dead before any
 * byte of the response, else XCH_OK with res filled.
 */
static int
exchange(const struct url *u, const char *method, int send_body, const struct hs_creds *cr,
    int foreign, struct hs_sink *out, int may_follow, int idx, struct http_framing *fr,
    struct hs_result *res)
{
	static struct prepared p;
	static struct hc_decoder dec;
	enum hc_coding ce;
	struct hs_conn *h;
	int r, to, pipelined, bad_pipe = 0;
	int64_t first = -1;

	if (prepare(u, method, send_body, cr, foreign, (int64_t)out->offset, out->validator,
	    &p, res) < 0)
		return XCH_OK;
	if ((r = request(&h, &p, send_body, idx, &pipelined, res)) != 0)
		return r < 0 ? XCH_OK : XCH_RETRY;
	r = hs_head(h, &head, res->reused, pipelined, &bad_pipe, &first, res->errbuf,
	    sizeof res->errbuf);
	if (first >= 0)
		res->ttfb = first - res->t0;
	if (r == HS_RETRY) {
		if (bad_pipe)
			pipeline_ok = 0;
		return XCH_RETRY;
	}
	if (r != 0) {
		res->err = errno;
		res->exit = r;
		return XCH_OK;
	}
	res->status = head.status;
	res->head_bytes += head.wire;
	hj_take(&jar, &head, u, o.verbose);	/* Set-Cookie, redirects' too */
	if ((r = http_framing(&head, strcmp(method, "HEAD") == 0, fr)) < 0) {
		hs_close(h);
		snprintf(res->errbuf, sizeof res->errbuf, "malformed response: %s", http_strerror(r));
		res->exit = EXIT_NET;
		return XCH_OK;
	}
	if (!fr->reusable)
		h->reusable = 0;
	if ((to = body_to(out, may_follow, fr, res)) == -2)
		goto write_error;
	if (to < 0) {
		hs_close(h);
		return XCH_OK;
	}
	if (fr->body == HTTP_BODY_NONE) {
		if (hs_junk_after(h))
			h->reusable = 0;	/* HTTP-16: bytes after a body-less response */
	} else {
		if (to && o.hc.compressed && (ce = hc_coding(&head)) != HC_NONE && ce != HC_OTHER) {
			hc_init(&dec, ce, out->fd, o.hc.max_decoded, o.hc.max_ratio);
			r = hs_body_decoded(h, fr, &dec, &out->pm, &res->bytes, res->errbuf,
			    sizeof res->errbuf);
		} else
			r = hs_body(h, fr, to ? out->fd : -1, to ? &out->pm : NULL, &res->bytes,
			    res->errbuf, sizeof res->errbuf);
		out->written += to ? res->bytes : 0;
		if (r == EXIT_LOCAL)
			goto write_error;
		if (r != 0) {
			res->err = errno;
			res->exit = r;
			return XCH_OK;
		}
	}
	if (to && (r = hs_range_done(&out->range, res->bytes, res->errbuf,
	    sizeof res->errbuf)) != 0) {
		res->exit = r;
		hs_close(h);
	}
	if (!h->reusable || tb_interrupted)
		hs_close(h);
	return XCH_OK;
write_error:
	snprintf(res->errbuf, sizeof res->errbuf, "writing %s: %s",
	    out->is_file ? out->part : out->is_dev ? out->final : "stdout", strerror(errno));
	res->discard = 1;
	res->exit = EXIT_LOCAL;
	hs_close(h);
	return XCH_OK;
}

/* --- one URL, with its redirects ----------------------------------------- */

/* the sink of URL idx: 0, or -1 with res's error */
static int
open_sink(struct hs_sink *s, const struct url *u, int idx, int resume, struct hs_result *res)
{
	int r = hs_sink_open(s, idx < o.nouts ? o.outs[idx] : NULL, o.remote_name, u, resume,
	    o.resume_at, !o.silent && !o.verbose, res->errbuf, sizeof res->errbuf);

	if (r != 0) {
		res->exit = r;
		return -1;
	}
	res->file = s->is_file || s->is_dev ? s->final : NULL;
	return 0;
}

/* complete: rename .part into place; -1 on failure */
static int
close_sink(struct hs_sink *s, int complete, struct hs_result *res)
{
	int r = hs_sink_close(s, complete, res->errbuf, sizeof res->errbuf);

	if (r != 0)
		res->exit = r;
	return r != 0 ? -1 : 0;
}



/* HTTP-17: this method and URL came before in the chain: 1 (a loop) or 0 */
static int
seen(const char *method, const char *url, int reset)
{
	static char visited[16][URL_MAX + 16];
	static int nvisited;
	char cur[URL_MAX + 16];
	int i;

	if (reset)
		nvisited = 0;
	snprintf(cur, sizeof cur, "%s %s", method, url);
	for (i = 0; i < nvisited; i++)
		if (strcmp(visited[i], cur) == 0)
			return 1;
	if (nvisited < 16)
		snprintf(visited[nvisited++], sizeof visited[0], "%s", cur);
	return 0;
}

/* the redirect in head, to follow: u becomes its target; 0 or an exit code */
static int
next_hop(struct url *u, const struct url *origin, const struct hs_creds *cr,
    const char **method, int *send_body, struct hs_result *res)
{
	static struct url nu;
	static char next[URL_MAX];
	int r;

	if (res->redirects >= o.max_redirs) {
		snprintf(res->errbuf, sizeof res->errbuf,
		    "too many redirects (more than %ld); --max-redirs raises the limit",
		    o.max_redirs);
		return EXIT_NET;
	}
	r = hs_redirect(res->final, &head, o.via != NULL, &nu, next, sizeof next, method,
	    send_body, res->errbuf, sizeof res->errbuf);
	if (r != 0)
		return r;
	if (o.verbose && !o.trusted && !hs_same_origin(&nu, origin) &&
	    (cr->set || o.nheaders > 0))
		/* HTTP-19, HTTP-23: credentials stay with the origin they were meant for */
		fprintf(stderr, "* redirected to another origin: credentials not sent there\n");
	if (o.verbose)
		fprintf(stderr, "* following redirect %d to %s\n", res->status, next);
	*u = nu;
	res->redirects++;
	return 0;
}

/* one URL's requests: the first, then each redirect's; res says how it ended */
static void
follow(struct url *u, const char *method, struct hs_sink *out, int idx, struct hs_result *res)
{
	static struct url origin;
	struct http_framing fr;
	struct hs_creds cr;
	int send_body = have_body, tries, foreign;

	hs_creds_get(&cr, u, o.user, 0);
	origin = *u;
	seen("", "", 1);
	for (;;) {
		url_format(u, res->final, sizeof res->final);
		if (seen(method, res->final, 0)) {
			snprintf(res->errbuf, sizeof res->errbuf, "redirect loop at %s", res->final);
			res->exit = EXIT_NET;
			break;
		}
		foreign = !hs_same_origin(u, &origin);
		for (tries = 0; tries < 2; tries++) {
			res->status = 0;
			res->bytes = 0;
			res->errbuf[0] = '\0';
			res->exit = EXIT_OK;
			res->err = 0;
			if (exchange(u, method, send_body, foreign && !o.trusted ? NULL : &cr,
			    foreign, out, o.follow, res->redirects == 0 ? idx : -1, &fr,
			    res) != XCH_RETRY)
				break;
			if (o.verbose)
				fprintf(stderr, "* the kept-alive connection was closed; reconnecting\n");
		}
		if (res->exit != EXIT_OK || !res->redirect || tb_interrupted)
			break;
		if (o.ref_auto)	/* -e ';auto': the page that sent us on */
			snprintf(referer, sizeof referer, "Referer: %s", res->final);
		if ((res->exit = next_hop(u, &origin, &cr, &method, &send_body, res)) != 0)
			break;
	}
	explicit_bzero(&cr, sizeof cr);
}

/* the file complete or not, and what to say: res->exit set */
static void
finish(struct hs_sink *out, struct hs_result *res)
{
	char reason[256];

	if (res->exit == EXIT_OK && tb_interrupted) {
		snprintf(res->errbuf, sizeof res->errbuf, "interrupted");
		res->exit = EXIT_NET;
	}
	if (res->exit == EXIT_OK && res->dropped)
		res->exit = EXIT_NO;	/* -f, or a try to retry: nothing written */
	if (res->exit != EXIT_OK) {
		close_sink(out, 0, res);
		/* nothing arrived: leave no empty .part of ours behind */
		if (out->is_file && out->written == 0 && out->offset == 0 && out->created) {
			fsafe_abort(&out->fs);
			unlink(out->meta);
		} else if (out->is_file && !o.silent && !res->dropped)
			tb_warn("%s: incomplete; %s kept for -C", res->final, out->part);
		if (!res->dropped)
			return;
	} else if (close_sink(out, !res->discard, res) == 0)
		res->exit = res->discard ? EXIT_NO : res->already ? EXIT_OK :
		    http_code_in(res->status, o.expect, o.nexpect) ? EXIT_OK : EXIT_NO;
	if (res->already && !o.silent)
		tb_warn("%s: %s was already complete (416 to If-Range %s)", res->final,
		    out->part, out->validator);
	/* -s quiets the status line, -S brings it back (curl -sS) */
	if (res->exit == EXIT_NO && !res->discard && (!o.silent || o.show_error)) {
		tb_escape_buf(reason, sizeof reason, head.raw + head.reason, head.nreason);
		tb_warn("%s: %d %s", res->final, res->status, reason);
	}
	if (res->discard && res->status && out->is_file && !o.silent)
		tb_warn("%s: %d: %s kept as it is", res->final, res->status, out->part);
}

/* --retry: is this try worth another (*wait µs from now)? */
static int
retry_due(const struct hs_result *res, const struct hs_sink *out, int n, int64_t *wait)
{
	struct hr_try t = { .status = res->status, .exit = res->exit, .err = res->err,
	    .lookup = res->err == EAGAIN };

	if (retries_left <= 0 || tb_interrupted || res->exit == EXIT_OK ||
	    !hr_transient(&t, o.retry_refused))
		return 0;
	if (!out->is_file && out->written > 0)
		return 0;	/* body bytes went out: they cannot be taken back */
	*wait = hr_wait(n, o.retry_delay_us, res->status ? hr_retry_after(&head) : -1);
	return o.deadline_us <= 0 || tb_now() + *wait < o.deadline_us;
}

/* one URL's tries (--retry), then its -w and -j report */
static int
fetch(const char *arg, int idx)
{
	static struct url u, u0;
	static struct hs_result res;
	static char full[URL_MAX + 16], upl[URL_MAX];
	struct hs_sink out;
	const char *why, *refusal;
	int r, n, resume = o.resume || o.resume_at >= 0;
	int64_t wait;

	memset(&res, 0, sizeof res);
	res.t0 = tb_now();
	res.ttfb = res.tconnect = -1;
	retries_left = o.retry;
	if (rb.upload) {
		rb_upload_url(arg, rb.upload, upl, sizeof upl);
		arg = upl;
	}
	if (strstr(arg, "://") == NULL && strlen(arg) < URL_MAX - 8) {
		snprintf(full, sizeof full, "http://%s", arg);
		arg = full;	/* as the URL is named in messages and -j */
	}
	r = url_parse(arg, &u0, &why);
	if (r == URL_OK && (refusal = hs_scheme_refusal(&u0, o.via != NULL)) != NULL) {
		why = refusal;
		r = URL_ESCHEME;
	}
	if (r < 0) {
		snprintf(res.errbuf, sizeof res.errbuf, "%s", why);
		res.exit = EXIT_LOCAL;
	}
	res.method = o.method ? o.method : o.head_only ? "HEAD" : rb.upload ? "PUT" :
	    have_body ? "POST" : "GET";
	for (n = 1; r >= 0; n++) {
		u = u0;
		url_format(&u, res.final, sizeof res.final);
		referer[0] = '\0';
		if (o.referer && *o.referer)
			snprintf(referer, sizeof referer, "Referer: %s", o.referer);
		res.redirects = 0;
		if (open_sink(&out, &u, idx, resume, &res) < 0)
			break;
		progress_start(&out.pm, out.is_file ? out.final : NULL, out.offset, 0, !out.bar);
		follow(&u, res.method, &out, idx, &res);
		finish(&out, &res);
		if (!retry_due(&res, &out, n, &wait))
			break;
		if (res.errbuf[0])
			tb_warn("%s: %s", res.final, res.errbuf);
		if (!o.silent)
			tb_warn("%s: retrying in %.3g s (%ld %s left)", res.final, (double)wait / 1e6,
			    retries_left, retries_left == 1 ? "retry" : "retries");
		retries_left--;
		res.errbuf[0] = '\0';
		resume = resume || out.is_file;	/* what this run wrote is taken up */
		if (hr_sleep(wait, o.deadline_us) < 0)
			break;
	}
	res.total = tb_now() - res.t0;
	if (res.errbuf[0]) {
		res.error = res.errbuf;
		tb_warn("%s: %s", res.final[0] ? res.final : arg, res.errbuf);
	}
	if (o.verbose && res.status)
		fprintf(stderr, "* %d, %llu bytes in %.3f ms\n", res.status,
		    (unsigned long long)res.bytes, (double)res.total / 1000.0);
	if (o.writeout)
		hs_writeout(o.writeout, &res, res.status ? &head : NULL);
	if (o.json)
		hs_json(meta, arg, &res, res.status ? &head : NULL);
	return res.exit;
}

/* -d, --data-*, -F, -T: the body they make */
static void
load_body(void)
{
	char why[512];

	if (rb_finish(&rb, why, sizeof why) < 0)
		tb_die(EXIT_LOCAL, "%s", why);
	have_body = 1;
	body = rb.buf;
	nbody = rb.len;
}

enum { OPT_NOLOC = 256, OPT_MAXREDIRS, OPT_EXPECT, OPT_VIA, OPT_CONNTO, OPT_LAYERS,
	OPT_NOPIPE, OPT_TRUSTED, OPT_HEADTO, OPT_DOWNGRADE, OPT_CONTINUE, OPT_RETRY,
	OPT_RETRYDELAY, OPT_REFUSED };

static const struct option lopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "remote-name", no_argument, NULL, 'O' },
	{ "continue-at", required_argument, NULL, 'C' },
	{ "continue", no_argument, NULL, OPT_CONTINUE },
	{ "fail", no_argument, NULL, 'f' },
	{ "show-error", no_argument, NULL, 'S' },
	{ "write-out", required_argument, NULL, 'w' },
	{ "referer", required_argument, NULL, 'e' },
	{ "max-time", required_argument, NULL, 'm' },
	{ "retry", required_argument, NULL, OPT_RETRY },
	{ "retry-delay", required_argument, NULL, OPT_RETRYDELAY },
	{ "retry-connrefused", no_argument, NULL, OPT_REFUSED },
	{ "head", no_argument, NULL, 'I' },
	{ "include", no_argument, NULL, 'i' },
	{ "location", no_argument, NULL, 'L' },
	{ "no-location", no_argument, NULL, OPT_NOLOC },
	{ "max-redirs", required_argument, NULL, OPT_MAXREDIRS },
	{ "header", required_argument, NULL, 'H' },
	{ "user-agent", required_argument, NULL, 'A' },
	RB_LONGOPTS,
	HJ_LONGOPTS,
	{ "request", required_argument, NULL, 'X' },
	{ "user", required_argument, NULL, 'u' },
	{ "deadline", required_argument, NULL, 'm' },
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
	{ "proxy", required_argument, NULL, 'x' },
	{ "via", required_argument, NULL, OPT_VIA },
	{ "redirect-to-http", no_argument, NULL, OPT_DOWNGRADE },
	HC_LONGOPTS,
	TLSOPT_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void
parse_args(int argc, char **argv)
{
	long long v;
	int c;
	int64_t us;
	const char *p, *why;
	size_t n;

	o.follow = 1;
	o.max_redirs = 10;
	o.agent = "httpget/" TUBES_VERSION;
	o.idle_us = 30000000;
	o.connect_us = 10000000;
	o.head_us = 60000000;
	o.deadline_us = o.resume_at = o.retry_delay_us = -1;
	o.family = AF_UNSPEC;
	o.hc.max_ratio = HC_RATIO_DEFAULT;
	while ((c = getopt_long(argc, argv, "46A:C:F:H:ILOST:VX:b:c:d:e:fhijkm:o:su:vW:w:x:", lopts,
	    NULL)) != -1) {
		switch (c) {
		case '4': o.family = AF_INET; break;
		case '6': o.family = AF_INET6; break;
		case 'A': o.agent = optarg; break;
		case 'C':	/* curl's -C -, or -C offset */
			if (optarg[0] == '-' && optarg[1] && optarg == argv[optind - 1])
				optind--;	/* "-C -o f": the old -C, an option after it */
			if (optarg[0] == '-')
				o.resume = 1;
			else if (tb_num(optarg, 0, INT64_MAX, &v) < 0)
				tb_usage_error("-C '%s': want - or a byte offset", optarg);
			else
				o.resume_at = v;
			break;
		case OPT_CONTINUE: o.resume = 1; break;
		case 'e':
			o.referer = optarg;
			if ((p = strstr(optarg, ";auto")) != NULL && p[5] == '\0') {
				o.ref_auto = 1;
				o.referer = tb_strdup(optarg);
				((char *)o.referer)[p - optarg] = '\0';
			}
			break;
		case 'f': o.fail = 1; break;
		case 'S': o.show_error = 1; break;
		case 'w':
			o.writeout = optarg[0] == '@' ? tb_slurp(strcmp(optarg, "@-") == 0 ?
			    "/dev/stdin" : optarg + 1, 1 << 20, NULL) : optarg;
			if (o.writeout == NULL)
				tb_die(EXIT_LOCAL, "-w %s: %s", optarg, strerror(errno));
			if (wo_check(o.writeout, &why, &n) < 0)
				tb_usage_error("-w: unknown variable %%{%.*s}", (int)n, why);
			break;
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
		case 'm':
		case OPT_CONNTO:
		case OPT_HEADTO:
		case OPT_RETRYDELAY:
			if (tb_secs(optarg, 86400 * 365, &us) < 0 || (us == 0 && c != OPT_RETRYDELAY))
				tb_usage_error("%s '%s': want seconds > 0", c == 'W' ? "-W" :
				    c == 'm' ? "-m" : c == OPT_CONNTO ? "--connect-timeout" :
				    c == OPT_RETRYDELAY ? "--retry-delay" : "--head-timeout", optarg);
			if (c == 'W')
				o.idle_us = us;
			else if (c == 'm')
				o.deadline_us = us;
			else if (c == OPT_RETRYDELAY)
				o.retry_delay_us = us;
			else if (c == OPT_HEADTO)
				o.head_us = us;
			else
				o.connect_us = us;
			break;
		case OPT_MAXREDIRS:
		case OPT_RETRY:
			if (tb_num(optarg, 0, 1000, &v) < 0)
				tb_usage_error("%s '%s': want 0-1000", c == OPT_RETRY ? "--retry" :
				    "--max-redirs", optarg);
			*(c == OPT_RETRY ? &o.retry : &o.max_redirs) = (long)v;
			break;
		case OPT_REFUSED: o.retry_refused = 1; break;
		case OPT_EXPECT:
			if ((o.nexpect = http_codes(optarg, o.expect, 32)) < 0)
				tb_usage_error("--expect '%s': want status codes (100-599), "
				    "comma-separated", optarg);
			break;
		case OPT_VIA: o.via = optarg; break;
		case 'x': o.proxy = optarg; break;
		case OPT_LAYERS: o.layers = 1; break;
		case OPT_NOPIPE: o.no_pipeline = 1; break;
		case OPT_TRUSTED: o.trusted = 1; break;
		case OPT_DOWNGRADE: o.downgrade = 1; break;
		default:
			if (!tlsopt_arg(&o.tls, c, optarg) && !rb_arg(&rb, c, optarg) &&
			    !hj_arg(&jar, c, optarg) &&
			    !hc_arg(&o.hc, c, optarg))
				tb_bad_option();
		}
	}
}

/* everything the options and URLs can be refused for, before the first packet */
static void
check_args(char **urls, int nurls)
{
	if (nurls <= 0)
		tb_usage_error("no URL");
	if (nurls > MAX_URLS)
		tb_usage_error("at most %d URLs", MAX_URLS);
	if (o.nouts > nurls)
		tb_usage_error("more -o than URLs");
	if (o.resume && !o.remote_name && o.nouts < nurls)
		tb_usage_error("-C needs -o or -O: it resumes .part-FILE");
	if (o.resume && o.resume_at >= 0)
		tb_usage_error("-C - and -C N do not go together");
	snprintf(referer, sizeof referer, "Referer: %s", o.referer ? o.referer : "");
	if (http_check_header(referer) < 0)
		tb_usage_error("-e: control byte in the referer");
	if ((o.resume || o.resume_at >= 0) && o.hc.compressed)
		tb_usage_error("-C and --compressed do not go together: a range of the "
		    "encoded body is not one of the file");
	if (o.head_only && rb.kind != RB_NONE)
		tb_usage_error("-I and -d, -F or -T do not go together");
	if (o.user && strchr(o.user, ':'))
		tb_usage_error("-u takes a user name only: the password comes from ~/.netrc "
		    "or HTTPGET_PASSWORD, never the command line");
	if (o.user && http_has_ctl(o.user, 0x20))
		tb_usage_error("-u: control byte in the user name");
	if (http_has_ctl(o.agent, 0x20))
		tb_usage_error("-A: control byte in the agent");
	if (o.method && http_check_method(o.method) < 0)
		tb_usage_error("-X '%s': not a method token", o.method);
	hs_args_check(&(struct hs_args){ .urls = urls, .nurls = nurls, .outs = o.outs,
	    .nouts = o.nouts, .remote_name = o.remote_name, .user = o.user, .warn = !o.silent });
}

int
main(int argc, char **argv)
{
	int i, nurls, code = EXIT_OK, nok = 0, all_files;
	const char *why, *pname;

	tb_init(argv[0]);
	argv[0] = (char *)tb_prog;	/* getopt's one line reads "NAME: ..." */
	hs_creds_env();
	parse_args(argc, argv);
	nurls = argc - optind;
	check_args(argv + optind, nurls);
	if (rb.kind != RB_NONE)
		load_body();
	if (o.deadline_us > 0)
		o.deadline_us += tb_now();
	if (hs_proxy_env(o.proxy, &pname, &why) < 0)
		tb_die(EXIT_LOCAL, "%s: %s", pname, why);
	all_files = o.remote_name || o.nouts == nurls;
	for (i = 0; i < o.nouts; i++)
		if (strcmp(o.outs[i], "-") == 0)
			all_files = 0;
	meta = all_files && !o.head_only && !o.include ? stdout : stderr;
	urls_all = argv + optind;
	nurls_all = nurls;
	hj_start(&jar, meta != stdout || o.json, o.verbose);
	pipeline_ok = !o.no_pipeline && !jar.engine && !have_body && !o.resume && o.resume_at < 0 && !o.user &&
	    (!o.method || strcmp(o.method, "GET") == 0 || strcmp(o.method, "HEAD") == 0);
	lv.fp = stderr;
	if (o.layers)
		dns_resolver_layers(&lv);	/* the DNS packets of the lookups, too */
	hc = (struct hs_conf){ .verbose = o.verbose, .lv = o.layers ? &lv : NULL, .via = o.via,
	    .family = o.family, .connect_us = o.connect_us, .idle_us = o.idle_us,
	    .head_us = o.head_us, .deadline_us = o.deadline_us, .tls = &o.tls,
	    .downgrade = o.downgrade, .agent = o.agent };
	hs_init(&hc);

	tb_catch_signals();

	for (i = 0; i < nurls && !tb_interrupted; i++) {
		int r = fetch(argv[optind + i], i);

		if (r == EXIT_OK)
			nok++;
		code = exit_worst(code, r);
	}
	if (tb_interrupted && code == EXIT_OK)
		code = EXIT_NET;
	hs_close_all();
	rb_free(&rb);
	if (hj_finish(&jar) < 0)
		code = exit_worst(code, EXIT_LOCAL);
	if (o.json)
		hs_json_summary(meta, nurls, nok, code);
	tb_exit(code);
}
