/*
 * httpjar.h - httpget's cookies, curl's -b and -c (session code: it
 * reads and writes the cookie files).  The cookies themselves, their
 * rules and the Netscape file format are lib/wire/cookie.c's.
 *
 * -b DATA with a '=' is a "n=v; n2=v2" string sent to every URL of the
 * run (to another origin on a redirect only with --location-trusted, as
 * a -H Cookie: field); -b FILE reads a cookie file and turns the cookie
 * engine on; -c FILE turns it on and writes every cookie at the end of
 * the run (mode 0600, by a rename), "-c -" to standard output.
 */
#ifndef TB_HTTPJAR_H
#define TB_HTTPJAR_H

#include <stddef.h>

#include "cookie.h"

struct http_head;
struct url;

#define HJ_MAX_ARGS 16
#define HJ_FIELD_MAX 8192	/* the Cookie field sent, at most */
#define HJ_LONGOPTS \
	{ "cookie", required_argument, NULL, 'b' }, \
	{ "cookie-jar", required_argument, NULL, 'c' }
#define HJ_HELP \
	"  -b, --cookie DATA|FILE  send DATA ('n=v; n2=v2'), or the cookies of FILE (a\n" \
	"                          Netscape cookie file) and take those the server sets\n" \
	"  -c, --cookie-jar FILE   take the cookies the server sets; write them all to FILE\n" \
	"                          at the end (mode 0600; - standard output)\n"

struct httpjar {
	const char *data[HJ_MAX_ARGS];	/* -b strings */
	int ndata;
	const char *files[HJ_MAX_ARGS];	/* -b files */
	int nfiles;
	const char *jar;	/* -c */
	int engine;		/* a -b file or -c: Set-Cookie is taken */
	struct ck_jar ck;
};

/* 'b' or 'c': 1 taken (a bad one exits 2), 0 not ours */
int hj_arg(struct httpjar *, int ch, const char *arg);
/*
 * After the options: stdout_used says the body, heads or -j go to
 * standard output ("-c -" is then refused, exit 2).  The -b files are
 * read (a missing one is no error, as with curl: -b F -c F starts it).
 */
void hj_start(struct httpjar *, int stdout_used, int verbose);
/*
 * The Cookie field for a request to u ("Cookie: ..." into out, or "")
 * with foreign: u is not the origin the user named, trusted:
 * --location-trusted.  Its length, 0 for none.
 */
size_t hj_field(const struct httpjar *, const struct url *u, int foreign, int trusted,
    char *out, size_t cap);
/* every Set-Cookie of head, the response to a request to u */
void hj_take(struct httpjar *, const struct http_head *, const struct url *u, int verbose);
/* -c: the jar written (no cookies and no file: none made); 0, or -1 warned of */
int hj_finish(struct httpjar *);

#endif
