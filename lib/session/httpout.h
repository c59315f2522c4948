/*
 * httpout.h - what httpget says about one URL's transfer (session code):
 * the result it keeps while the URL's requests run, the -j object made
 * of it, and curl's -w/--write-out text (lib/wire/writeout.c expands it).
 */
#ifndef TB_HTTPOUT_H
#define TB_HTTPOUT_H

#include <stdint.h>
#include <stdio.h>

#include "http.h"
#include "tls/tls.h"
#include "url.h"

/* one URL's result */
struct hs_result {
	int status;
	char final[URL_MAX];
	uint64_t bytes;
	int64_t t0, ttfb, total;
	int64_t tconnect;	/* µs from t0 to the last new connection ready, or -1 */
	uint64_t head_bytes;	/* every response head, as received */
	int connects;		/* new connections opened */
	int reused;
	int redirects;
	int redirect;		/* the response was a redirect we follow */
	int discard;		/* the body was not written (resume refused) */
	int dropped;		/* the body was not written: 1 -f, 2 a try to retry */
	int already;		/* 416 with If-Range: the .part was complete */
	int err;		/* errno of a failure without a response, or 0 */
	const char *file;
	const char *method;
	int exit;
	const char *error;
	int tls;		/* the connection was TLS: tinfo says how */
	struct tls_info tinfo;
	const char *proxy;	/* "host port N" of the proxy used, or NULL */
	int tunnel;		/* through its CONNECT tunnel */
	char errbuf[URL_MAX * 2 + 4096];
};

/* the -j object of a URL given as url; hd: its final head, or NULL */
void hs_json(FILE *, const char *url, const struct hs_result *, const struct http_head *hd);
/* -j's last line: the URLs, how many went well, the exit status */
void hs_json_summary(FILE *, int urls, int ok, int code);
/* -w: fmt expanded (writeout.h) on stdout, or stderr after %{stderr}; flushed */
void hs_writeout(const char *fmt, const struct hs_result *, const struct http_head *hd);

#endif
