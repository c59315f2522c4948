/*
 * httpsess.h - the HTTP/1.1 conversation on a connection (session code):
 * a small pool of kept-alive connections, sending a request, reading the
 * response head (1xx skipped, counted, under one head deadline), the body
 * through the transfer layer, and the rules a client applies to what it
 * got: whether a response to a Range request resumes the file (206 and
 * If-Range), where a redirect goes and with what method, which origin
 * credentials may go to.  The bytes are built and parsed by
 * lib/wire/http.c and lib/wire/url.c; cmd/httpget.c keeps the options,
 * the order of work and the output.
 *
 * Functions that can fail return 0, or an exit code (EXIT_NET,
 * EXIT_NO, EXIT_LOCAL of tubes.h) with a sentence in why, or where said
 * HS_RETRY: the request must go again on a new connection.
 */
#ifndef TB_HTTPSESS_H
#define TB_HTTPSESS_H

#include <stdint.h>
#include <stdio.h>

#include "conn.h"
#include "tls/tls.h"
#include "http.h"
#include "httptunnel.h"
#include "url.h"

#define HS_POOL 4		/* connections kept alive */
#define HS_PIPE_MAX 8		/* requests sent ahead on one connection */
#define HS_MAX_INTERIM 20	/* 1xx heads before the final one (HTTP-25) */
#define HS_RETRY (-1)

struct progress;
struct hc_decoder;

/* what the session takes of a command's options */
struct hs_conf {
	int verbose;		/* "* ..." lines, "> " and "< " heads on stderr */
	struct layers *lv;	/* -X: heads and chunk framing decoded, or NULL */
	const char *via;	/* connect through this helper command, or NULL */
	int family;		/* AF_UNSPEC, AF_INET, AF_INET6 */
	int64_t connect_us;	/* to connect */
	int64_t idle_us;	/* between two bytes */
	int64_t head_us;	/* for each response head, 1xx included */
	int64_t deadline_us;	/* absolute monotonic µs for the run; < 0 none */
	struct tlsopt *tls;	/* the TLS options, for https:// */
	const char *tls_name;	/* the name the certificate must carry, if not the host's */
	const char *agent;	/* User-Agent of a CONNECT, or NULL */
	int downgrade;		/* follow a redirect from https:// to http:// (warned) */
};
/* the session keeps the pointer: the struct must outlive it */
void hs_init(const struct hs_conf *);

struct hs_conn {
	char key[600];		/* scheme|host|port (or proxy|host|port) */
	char label[300];	/* "host port N" for diagnostics */
	int open, reusable;
	unsigned requests;
	struct tb_addr addr;
	int via;
	int pipe[HS_PIPE_MAX];	/* callers' ids of the requests sent ahead, in order */
	int npipe;
	int tls;		/* TLS over the connection */
	int tunnel;		/* through a proxy's CONNECT tunnel */
	struct tls_info tinfo;	/* what it is */
	struct conn c;
};

/*
 * A connection for key: a kept-alive one of the pool (*reused 1), or a
 * new one to host:port (through the helper with conf->via).  NULL with
 * *code and why when it cannot connect, and errno: EAGAIN when the name
 * lookup failed, else the connection's (ETIMEDOUT, ECONNREFUSED ...).
 */
struct hs_conn *hs_get(const char *key, const char *host, uint16_t port, int tls, int *reused,
    int *code, char *why, size_t cap);
/* close it (with -v, its TCP_INFO first); it stays in the pool for reuse */
void hs_close(struct hs_conn *);
/* close and free every connection of the pool */
void hs_close_all(void);
/* send a request head (shown with -v, credentials masked, and -X): 0 or -1 errno */
int hs_send(struct hs_conn *, const char *req, size_t n);
/*
 * The response head into hd, the 1xx ones skipped (at most
 * HS_MAX_INTERIM, all within conf->head_us): 0, HS_RETRY (a reused
 * connection closed before any byte of it, or a pipelined request got
 * a malformed answer: *bad_pipe then set), or EXIT_NET (errno ETIMEDOUT
 * for a timeout).  *first gets the time of its first byte.
 */
int hs_head(struct hs_conn *, struct http_head *hd, int reused, int pipelined,
    int *bad_pipe, int64_t *first, char *why, size_t cap);
/*
 * The body as fr frames it into fd (-1: dropped), with the meter pm (or
 * NULL): 0, EXIT_NET (why says; errno ETIMEDOUT for a timeout), or
 * EXIT_LOCAL when the sink failed (errno kept).  *bytes: the body bytes that arrived.  Afterwards the
 * connection is closed unless it can carry another request.
 */
int hs_body(struct hs_conn *, const struct http_framing *fr, int fd, struct progress *pm,
    uint64_t *bytes, char *why, size_t cap);
/*
 * The same through a decoder (httpcoding.h) that writes into its fd:
 * also EXIT_NET when the body does not decode, is cut short inside the
 * compressed stream or passes the decoder's limits.  *bytes counts the
 * body as it came (compressed); the splice(2) path is not taken.
 */
int hs_body_decoded(struct hs_conn *, const struct http_framing *, struct hc_decoder *,
    struct progress *pm, uint64_t *bytes, char *why, size_t cap);
/*
 * Bytes already there after a complete response: the next pipelined
 * response if one is due and they start like one, else junk (HTTP-04,
 * HTTP-16) that ends the connection's reuse; or the peer closed.  1 or 0.
 */
int hs_junk_after(struct hs_conn *);

/* a head on fp, each line after prefix, peer bytes escaped */
void hs_print_head(FILE *, const char *prefix, const struct http_head *);
/* a request head on fp after "> ", Authorization values masked */
void hs_print_request(FILE *, const char *req, size_t n);
/* the head as text with CRLF line ends (-i, -I); its length */
size_t hs_head_text(const struct http_head *, char *buf, size_t cap);

/* --- proxies --------------------------------------------------------------- */

/*
 * The proxies, taken once: opt (-x) for every URL, else as curl reads
 * them: http_proxy (the lower-case name only) then all_proxy, ALL_PROXY
 * for http:// URLs; https_proxy, HTTPS_PROXY, all_proxy, ALL_PROXY for
 * https:// URLs (tunnelled with CONNECT, proxytunnel.h).  0 (none, or
 * now in use), or -1 with why and the variable in *name (not an
 * http:// URL, its credentials too long).  A password in a variable
 * leaves the environment block.
 */
int hs_proxy_env(const char *opt, const char **name, const char **why);

/* where a request for a URL goes */
struct hs_route {
	int proxied;		/* an http:// URL through the proxy */
	int tunnel;		/* an https:// URL through the proxy's CONNECT tunnel */
	char key[600];		/* the pool's key of the connection */
	const char *host;	/* to connect to */
	uint16_t port;
	const char *origin;	/* the URL's host: TLS verifies this name */
	uint16_t oport;		/* and its port */
	const char *proxy;	/* "host port N" of the proxy, or NULL */
	char authority[HTTP_AUTHORITY_MAX];	/* the tunnel's "host:port" */
	char target[URL_MAX];	/* the request target: the path, or the whole URL */
	const char *proxy_auth;	/* "user:pass" for Proxy-Authorization, or NULL */
	size_t nproxy_auth;
	const char *tunnel_auth;	/* the same for CONNECT only, never the origin */
	size_t ntunnel_auth;
};
/*
 * Straight to u's host, or to the proxy (of u's scheme) when no_proxy
 * (else NO_PROXY) does not cover the host (url_no_proxy says how);
 * https:// never through a proxy with conf->via.
 */
void hs_route(const struct url *u, struct hs_route *);
/*
 * hs_get for a route: with rt->tunnel, a new connection goes to the
 * proxy, CONNECT opens the tunnel, then TLS to rt->origin; and why
 * names the proxy when the proxy failed (EXIT_NET).
 */
struct hs_conn *hs_get_route(const struct hs_route *, int tls, int *reused, int *code,
    char *why, size_t cap);

/* --- the rules ------------------------------------------------------------ */

/* 301, 302, 303, 307, 308 */
int hs_is_redirect(int status);
/* the same scheme, host and port */
int hs_same_origin(const struct url *, const struct url *);
/* why this URL is not fetched (http:// and https:// are), or NULL */
const char *hs_scheme_refusal(const struct url *, int via);
/*
 * Where a redirect goes: Location resolved against cur, parsed into
 * next (its user info dropped: credentials come from the user, never a
 * Location), and the method that follows (RFC 9110 §15.4: 303 turns all
 * but HEAD into GET, 301 and 302 turn POST into GET, dropping the body).
 * 0, EXIT_NO for a scheme refused (HTTP-18), EXIT_NET for a bad Location.
 */
int hs_redirect(const char *cur, const struct http_head *, int via, struct url *next,
    char *nexttext, size_t ncap, const char **method, int *send_body, char *why,
    size_t cap);

/* what to do with the body of a response to a request that may carry Range */
enum hs_resume {
	HS_BODY,	/* write it (a 206 that resumes, or a whole body) */
	HS_RESTART,	/* a 200 to our Range: the whole body again, from byte 0 */
	HS_ALREADY,	/* 416 to If-Range at the .part's size: it was complete */
	HS_KEEP,	/* not a usable answer: drop the body, keep the .part */
	HS_REFUSE,	/* a 206 that does not fit the request (why says) */
};
struct hs_range {
	int partial;		/* a 206 checked against its Content-Range */
	uint64_t first, len, total;	/* total UINT64_MAX: "*" */
};
/*
 * offset: bytes already in the .part (0: no Range sent); validator: an
 * If-Range went with the Range; user_range: the user sent a Range of
 * their own (-H), so a 206 to a request without ours is theirs.
 * HTTP-24's rules.
 */
enum hs_resume hs_resume(const struct http_head *, const struct http_framing *,
    uint64_t offset, int validator, int user_range, struct hs_range *, char *why, size_t cap);
/* after a 206's body: 0, or EXIT_NET when it was not the range or not the file */
int hs_range_done(const struct hs_range *, uint64_t bytes, char *why, size_t cap);

/*
 * The validator of a partial download, kept beside it for -C's
 * If-Range (HTTP-24): a strong ETag, else Last-Modified.  Its file is
 * DIR/.part-.part-NAME (meta_name), which fsafe never uses for a real
 * name or another download's temporary one (HTTP-26).
 */
int hs_meta_name(const char *part, char *out, size_t cap);
void hs_meta_save(const char *meta, const struct http_head *);
/* the validator saved, or "" */
void hs_meta_load(const char *meta, char *out, size_t cap);

#endif
