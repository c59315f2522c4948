/*
 * httpcoding.h - content codings of HTTP response bodies (session code):
 * which coding a response's Content-Encoding names, and a transfer sink
 * (struct xfer's sink) that decodes gzip and deflate (lib/wire/inflate.c)
 * into a file descriptor, for httpget --compressed.
 *
 * HTTP's "deflate" is the zlib format (RFC 9110 8.4.1.2), but some
 * servers send raw DEFLATE under that name: both are taken, as curl does.
 */
#ifndef TB_HTTPCODING_H
#define TB_HTTPCODING_H

#include <stddef.h>
#include <stdint.h>

#include "http.h"
#include "inflate.h"

enum hc_coding {
	HC_NONE,	/* no Content-Encoding, or identity */
	HC_GZIP,	/* gzip or x-gzip */
	HC_DEFLATE,	/* deflate: zlib, or raw */
	HC_OTHER,	/* anything else, or several codings: saved as received */
};

/* what we ask for with --compressed */
#define HC_ACCEPT "Accept-Encoding: gzip, deflate"

/* the options, as tlsopt.h does it: HC_LONGOPTS, HC_HELP, hc_arg */
struct hc_opts {
	int compressed;		/* --compressed: ask for gzip/deflate, decode */
	uint64_t max_decoded;	/* --max-decoded: decoded bytes per body (0: any) */
	uint32_t max_ratio;	/* --max-ratio: decoded per compressed byte (0: any) */
};
#define HC_RATIO_DEFAULT 500
enum { HC_OPT_COMPRESSED = 0x6800, HC_OPT_MAXDEC, HC_OPT_MAXRATIO };
#define HC_LONGOPTS \
	{ "compressed", no_argument, NULL, HC_OPT_COMPRESSED }, \
	{ "max-decoded", required_argument, NULL, HC_OPT_MAXDEC }, \
	{ "max-ratio", required_argument, NULL, HC_OPT_MAXRATIO }
#define HC_HELP \
	"      --compressed        ask for gzip or deflate and decode the body\n" \
	"      --max-decoded SIZE  decoded bytes per body at most (k, M, G; default 0: any)\n" \
	"      --max-ratio N       decoded bytes per compressed byte at most (default 500)\n"
/* one of the options above: 1 taken (a bad value exits 2), 0 not ours */
int hc_arg(struct hc_opts *, int ch, const char *arg);

/* the coding of a Content-Encoding value (n bytes) */
enum hc_coding hc_parse(const char *v, size_t n);
/* the coding of a response (every Content-Encoding field of it) */
enum hc_coding hc_coding(const struct http_head *);

/* a size: digits, then k, M or G (powers of 1024): 0 and *v, or -1 */
int hc_size(const char *s, uint64_t *v);

struct hc_decoder {
	struct inflate inf;
	int fd;			/* where the decoded bytes go */
	int werr;		/* errno of a write that failed, or 0 */
	int ierr;		/* the decoder's error (enum inf_err), or 0 */
};
/*
 * Ready to decode a body in coding (HC_GZIP or HC_DEFLATE) into fd,
 * with at most max_out decoded bytes and max_ratio decoded bytes per
 * compressed byte past INF_RATIO_FLOOR (0: no limit).
 */
void hc_init(struct hc_decoder *, enum hc_coding, int fd, uint64_t max_out, uint32_t max_ratio);
/* the sink function: 0, or -1 (werr or ierr says why) */
int hc_put(void *dec, const uint8_t *p, size_t n);
/* the body is over: 0, or -1 with ierr set (cut short) */
int hc_end(struct hc_decoder *);

#endif
