/*
 * http.h - HTTP/1.1 wire code (RFC 9110, RFC 9112): the request builder,
 * an incremental response-head parser, body framing, and an incremental
 * chunked decoder.  No system calls; every byte from the peer is hostile.
 *
 * Reading a response (the shape cmd/httpget.c uses):
 *
 *   static struct http_head h;      // ~90 KiB: static or heap
 *   http_head_init(&h);
 *   for (;;) {                       // bytes arrive in any split
 *           r = http_head_feed(&h, buf, n, &used);   // consumes a prefix
 *           if (r == HTTP_MORE) { read more; continue; }
 *           if (r == HTTP_INTERIM) { show it; http_head_init(&h); continue; }
 *           if (r < 0) fail(http_strerror(r));
 *           break;                   // HTTP_DONE; buf[used..n) is body
 *   }
 *   http_framing(&h, is_head_request, &f);  // none, length, chunked, close
 *
 * Hostile-peer cases handled here are named by ID in tests/unit/t_http.c.
 */
#ifndef TUBES_HTTP_H
#define TUBES_HTTP_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_LINE_MAX 16384	/* one head line (HTTP-13) */
#define HTTP_HEAD_MAX 65536	/* the whole head, stored (HTTP-13) */
#define HTTP_HEADERS_MAX 200	/* header fields in one head (HTTP-13) */
#define HTTP_CHUNK_DIGITS 16	/* hex digits in a chunk size (HTTP-01) */

enum http_err {
	HTTP_MORE = 0,		/* feed more bytes */
	HTTP_DONE = 1,		/* a final head (status >= 200) is complete */
	HTTP_INTERIM = 2,	/* a 1xx head (not 101) is complete: skip it */
	HTTP_ESTATUS = -1,	/* bad status line (not HTTP/1.x, not 3 digits...) */
	HTTP_EFIELD = -2,	/* bad header line (no colon, space before colon, bad name) */
	HTTP_ECTL = -3,		/* NUL, bare CR or another control byte in the head */
	HTTP_ELINE = -4,	/* a line longer than HTTP_LINE_MAX */
	HTTP_EHEAD = -5,	/* the head is larger than HTTP_HEAD_MAX or has too many fields */
	HTTP_EFOLD = -6,	/* obs-fold where no field precedes it */
	HTTP_ECL = -7,		/* bad, conflicting or overflowing Content-Length */
	HTTP_ETE = -8,		/* a transfer coding we did not ask for */
	HTTP_E101 = -9,		/* 101 Switching Protocols without an Upgrade request */
	HTTP_ECHUNK = -10,	/* chunked framing error */
	HTTP_ECHUNKSZ = -11,	/* chunk size too long or overflowing */
	HTTP_ETRAILER = -12,	/* bad or oversized trailer section */
	HTTP_EREQ = -13,	/* request field with CR, LF or NUL, or no room */
};
const char *http_strerror(int);

struct http_field {
	uint32_t name, nlen;	/* offsets into raw */
	uint32_t val, vlen;
};

struct http_head {
	/* the parsed head */
	int version;		/* 10 or 11 */
	int status;		/* 100..599 */
	uint32_t reason, nreason;	/* reason phrase in raw */
	size_t nfields;
	struct http_field f[HTTP_HEADERS_MAX];
	size_t nraw;
	char raw[HTTP_HEAD_MAX];	/* status line, names and values, unterminated */
	size_t wire;		/* bytes of the head as received */
	size_t nwbuf;
	char wbuf[HTTP_HEAD_MAX];	/* those bytes (the first HTTP_HEAD_MAX), for -X */
	/* parser state */
	int state;
	int blanks;		/* empty lines before the status line */
	size_t nline;
	char line[HTTP_LINE_MAX];
};

void http_head_init(struct http_head *);
/*
 * Feed n bytes; *used is how many were consumed (all of them for
 * HTTP_MORE; up to the end of the head for HTTP_DONE / HTTP_INTERIM).
 * After an error the head must be re-initialised.
 */
int http_head_feed(struct http_head *, const void *, size_t n, size_t *used);
/* the idx-th field with this name (case-insensitive), or NULL; *len its value length */
const char *http_field(const struct http_head *, const char *name, size_t idx, size_t *len);
/* whether a comma-separated field (Connection, Transfer-Encoding) contains token */
int http_has_token(const struct http_head *, const char *name, const char *token);

enum http_body {
	HTTP_BODY_NONE,		/* HEAD, 1xx, 204, 304 */
	HTTP_BODY_LENGTH,	/* Content-Length */
	HTTP_BODY_CHUNKED,
	HTTP_BODY_CLOSE,	/* until the peer closes */
};
struct http_framing {
	enum http_body body;
	uint64_t length;	/* HTTP_BODY_LENGTH */
	int reusable;		/* the connection may carry another request */
	int content_encoding;	/* Content-Encoding present (HTTP-10: bytes saved as is) */
};
/* RFC 9112 §6.3; 0, or HTTP_ECL / HTTP_ETE */
int http_framing(const struct http_head *, int head_request, struct http_framing *);
/* a Content-Length value (or comma list): 0 and *v, or -1 (HTTP-05/06/07) */
int http_parse_cl(const char *s, size_t n, uint64_t *v);

/*
 * Content-Range of a 206: "bytes FIRST-LAST/TOTAL" (TOTAL may be "*",
 * reported as UINT64_MAX).  0, or -1 if malformed or FIRST > LAST.
 */
int http_content_range(const char *s, size_t n, uint64_t *first, uint64_t *last,
    uint64_t *total);

/*
 * Content-Range of a 416: "bytes", a blank, then a star, a slash and
 * TOTAL.  0 and *total, or -1.
 */
int http_range_unsatisfied(const char *s, size_t n, uint64_t *total);

/* the chunked decoder: a stream whose result does not depend on how input is split */
struct http_chunked {
	int state;
	int ndigits;
	uint64_t left;		/* data bytes left in this chunk */
	size_t tline, ttotal;	/* trailer line length, trailer section size */
	int tcolon;		/* current trailer line has its colon */
	int done;		/* the last chunk and trailers are complete */
	uint64_t trailers;	/* trailer fields seen */
	/*
	 * Called, if set, when a chunk-size line is complete (size 0: the
	 * last chunk): how -X shows the framing.  Set after http_chunked_init.
	 */
	void (*on_chunk)(void *arg, uint64_t size);
	void *arg;
};
void http_chunked_init(struct http_chunked *);
/*
 * Decode buf[0..n) in place: the body bytes are moved to the front of
 * buf, and their count is returned; *used is the number of input bytes
 * consumed (n unless the message ended: the rest belongs to the next
 * response).  Negative enum http_err on a framing error.
 */
long http_chunked_feed(struct http_chunked *, void *buf, size_t n, size_t *used);

/* a request */
struct http_req {
	const char *method;	/* "GET" */
	const char *target;	/* "/path?q", or the absolute URL through a proxy */
	const char *host;	/* Host header value: "h", "h:8080", "[::1]:8080" */
	const char *agent;	/* User-Agent, or NULL */
	const char *auth;	/* "user:pass" for Basic, or NULL (any bytes: base64) */
	size_t nauth;
	const char *proxy_auth;	/* the same for Proxy-Authorization */
	size_t nproxy_auth;
	const char *const *extra;	/* "Name: value" lines from -H, or NULL */
	size_t nextra;
	int64_t body_len;	/* Content-Length of a body to follow; -1 none */
	int64_t range_from;	/* Range: bytes=N-; -1 none */
	int close;		/* Connection: close (else keep-alive) */
	const char *if_range;	/* If-Range with the Range (an ETag or a date), or NULL */
};
/* a header line a user gave (-H): "Name: value", token name, no CR/LF/NUL; 0 or -1 */
int http_check_header(const char *);
/*
 * Does this header line (or bare name) carry a credential?  Authorization,
 * Proxy-Authorization, Cookie, Cookie2 and any name that contains auth,
 * cookie, token, key, secret, passw, session, credential or signature
 * (X-Api-Key, X-Auth-Token, X-Amz-Security-Token...), in any case: such
 * a field never follows a redirect to another origin.  1 or 0.
 */
int http_is_credential(const char *);
/* the request head into out; its length, or HTTP_EREQ */
long http_request(const struct http_req *, char *out, size_t cap);
/* base64 (RFC 4648) of n bytes; the length written, or 0 if out is too small */
size_t http_base64(const void *, size_t n, char *out, size_t cap);

struct layers;
/* -X: the head field by field (RFC 9112 names), then its bytes in hex */
void http_head_layers(struct layers *, const struct http_head *);
/* -X for a request head we built */
void http_request_layers(struct layers *, const char *req, size_t n);

#endif
