/*
 * reqbody.h - the body of an HTTP request as curl's options build it
 * (session code: it reads the files the options name): -d, --data-binary
 * and --data-urlencode pieces joined with '&' and sent as
 * application/x-www-form-urlencoded, -F parts as multipart/form-data
 * (RFC 7578) under a boundary that occurs in none of them, or -T's file
 * as it is.  The encoding is lib/wire/form.c's.
 */
#ifndef TB_REQBODY_H
#define TB_REQBODY_H

#include <stddef.h>

#define RB_MAX (64u << 20)	/* a body is held in memory: at most this */

/*
 * The options, as tlsopt.h does it: a command puts RB_LONGOPTS in its
 * option table and "d:F:T:" in its short ones, RB_HELP in its --help,
 * and hands what it does not know to rb_arg.
 */
enum { RB_OPT_BINARY = 0x7200, RB_OPT_URLENCODE };
#define RB_LONGOPTS \
	{ "data", required_argument, NULL, 'd' }, \
	{ "data-binary", required_argument, NULL, RB_OPT_BINARY }, \
	{ "data-urlencode", required_argument, NULL, RB_OPT_URLENCODE }, \
	{ "form", required_argument, NULL, 'F' }, \
	{ "upload-file", required_argument, NULL, 'T' }
#define RB_HELP \
	"  -d, --data DATA         send DATA (or @file without CR/LF, @- stdin) with POST as\n" \
	"                          a form; several are joined with &\n" \
	"      --data-binary DATA  the same, @file as it is\n" \
	"      --data-urlencode D  content, =content, name=content, @file or name@file,\n" \
	"                          the content URL-encoded\n" \
	"  -F, --form NAME=VALUE   a multipart/form-data part: NAME=@file[;type=T][;filename=F],\n" \
	"                          NAME=<file (the file as the value)\n" \
	"  -T, --upload-file FILE  PUT FILE (to URL/FILE when URL ends in /)\n"
#define RB_MAX_FIELDS 64

enum rb_kind { RB_NONE, RB_DATA, RB_FORM, RB_UPLOAD };
enum rb_how { RB_ASCII, RB_BINARY, RB_URLENCODE };

struct reqbody {
	enum rb_kind kind;
	char *buf;		/* the body (RB_FORM: after rb_finish) */
	size_t len, cap;
	const char *fields[RB_MAX_FIELDS];	/* -F arguments, until rb_finish */
	int nfields;
	const char *upload;	/* -T's file */
	char boundary[48];
	char ctype[96];		/* the Content-Type to send, or "" */
};

/* one of the options above: 1 taken (a bad one exits 2), 0 not ours */
int rb_arg(struct reqbody *, int ch, const char *arg);
/*
 * One -d (RB_ASCII: @file loses its CR and LF), --data-binary or
 * --data-urlencode argument ("@-": standard input).  0, or -1 with why.
 */
int rb_data(struct reqbody *, enum rb_how, const char *arg, char *why, size_t cap);
/* one -F argument (checked now, read at rb_finish): 0 or -1 with why */
int rb_field(struct reqbody *, const char *arg, char *why, size_t cap);
/* -T FILE ("-": standard input), read at rb_finish: 0 or -1 with why */
int rb_upload(struct reqbody *, const char *path, char *why, size_t cap);
/* after the options: the body whole (files read) and ctype set; 0 or -1 with why */
int rb_finish(struct reqbody *, char *why, size_t cap);
/* the URL -T sends to: url, with the file's base name when url ends in '/' */
void rb_upload_url(const char *url, const char *path, char *out, size_t cap);
void rb_free(struct reqbody *);

#endif
