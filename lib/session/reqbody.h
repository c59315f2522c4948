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

/*
 * One -d (RB_ASCII: @file loses its CR and LF), --data-binary or
 * --data-urlencode argument ("@-": standard input).  0, or -1 with why.
 */
int rb_data(struct reqbody *, enum rb_how, const char *arg, char *why, size_t cap);
/* one -F argument (checked now, read at rb_finish): 0 or -1 with why */
int rb_field(struct reqbody *, const char *arg, char *why, size_t cap);
/* -T FILE ("-": standard input): 0 or -1 with why */
int rb_upload(struct reqbody *, const char *path, char *why, size_t cap);
/* after the options: the body whole and ctype set; 0 or -1 with why */
int rb_finish(struct reqbody *, char *why, size_t cap);
/* the URL -T sends to: url, with the file's base name when url ends in '/' */
void rb_upload_url(const char *url, const char *path, char *out, size_t cap);
void rb_free(struct reqbody *);

#endif
