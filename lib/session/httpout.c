/*
 * httpout.c - httpget's report of a transfer: see httpout.h.
 */
#include <stdio.h>
#include <string.h>

#include "httpout.h"
#include "httpsess.h"
#include "tls/tlsopt.h"
#include "tubes.h"
#include "view.h"
#include "writeout.h"

void
hs_json(FILE *fp, const char *url, const struct hs_result *res, const struct http_head *hd)
{
	struct json j;
	size_t i;

	js_begin(&j, fp, res->exit == 0 || res->status ? "transfer" : "error");
	js_str(&j, "url", url);
	js_str(&j, "final_url", res->final[0] ? res->final : NULL);
	if (res->status)
		js_int(&j, "status", res->status);
	else
		js_null(&j, "status");
	if (hd) {
		js_arr(&j, "headers");
		for (i = 0; i < hd->nfields; i++) {
			js_arr(&j, NULL);
			js_strn(&j, NULL, hd->raw + hd->f[i].name, hd->f[i].nlen);
			js_strn(&j, NULL, hd->raw + hd->f[i].val, hd->f[i].vlen);
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
	if (res->proxy) {
		js_str(&j, "proxy", res->proxy);
		js_bool(&j, "tunnel", res->tunnel);
	}
	if (res->tls)
		tlsopt_json(&j, "tls", &res->tinfo);
	js_int(&j, "redirects", res->redirects);
	js_str(&j, "error", res->error);
	js_int(&j, "exit", res->exit);
	js_end(&j);
}

void
hs_json_summary(FILE *fp, int urls, int ok, int code)
{
	struct json j;

	js_begin(&j, fp, "summary");
	js_int(&j, "urls", urls);
	js_int(&j, "ok", ok);
	js_int(&j, "failed", urls - ok);
	js_bool(&j, "interrupted", tb_interrupted);
	js_int(&j, "exit", code);
	js_end(&j);
}

static void
emit(void *ctx, int stream, const char *s, size_t n)
{
	(void)ctx;
	if (n)
		fwrite(s, 1, n, stream == WO_STDERR ? stderr : stdout);
}

void
hs_writeout(const char *fmt, const struct hs_result *res, const struct http_head *hd)
{
	static char ctype[1024], loc[URL_MAX], next[URL_MAX], esc[URL_MAX * 4];
	struct wo_vals v;
	const char *s;
	size_t n;

	memset(&v, 0, sizeof v);
	ctype[0] = next[0] = '\0';
	if (hd && (s = http_field(hd, "content-type", 0, &n)) != NULL)
		tb_escape_buf(ctype, sizeof ctype, s, n);
	/* curl's redirect_url: where a redirect not followed would have gone */
	if (hd && !res->redirect && hs_is_redirect(res->status) &&
	    (s = http_field(hd, "location", 0, &n)) != NULL && n < sizeof loc) {
		memcpy(loc, s, n);
		loc[n] = '\0';
		if (url_resolve(res->final, loc, esc, sizeof esc) == 0)
			tb_escape_buf(next, sizeof next, esc, strlen(esc));
	}
	v.http_code = res->status;
	v.exitcode = res->exit;
	v.num_redirects = res->redirects;
	v.num_connects = res->connects;
	v.size_download = res->bytes;
	v.size_header = res->head_bytes;
	v.time_total = res->total;
	v.time_connect = res->tconnect;
	v.time_starttransfer = res->ttfb;
	v.url_effective = res->final;
	v.content_type = ctype;
	v.redirect_url = next;
	v.method = res->method;
	v.scheme = strncmp(res->final, "https:", 6) == 0 ? "https" : "http";
	fflush(stdout);
	wo_expand(fmt, &v, emit, NULL);
	fflush(stdout);
	fflush(stderr);
}
