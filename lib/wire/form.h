/*
 * form.h - request bodies as curl builds them (wire code: bytes in,
 * bytes out, no system calls): URL encoding for --data-urlencode, the
 * newline stripping of -d @file, the parts of -F's argument, and
 * multipart/form-data (RFC 7578) part heads.  Encoders write like
 * snprintf: they return what the whole output needs and store what fits.
 */
#ifndef TUBES_FORM_H
#define TUBES_FORM_H

#include <stddef.h>
#include <stdint.h>

#define FORM_URLENCODED "application/x-www-form-urlencoded"

/* a space as '+', every other byte but A-Z a-z 0-9 - . _ ~ as %XX (upper case), as curl */
size_t form_urlencode(char *dst, size_t cap, const void *src, size_t n);
/* drop every CR and LF (curl's -d @file), in place: the new length */
size_t form_strip_crlf(void *p, size_t n);

/*
 * A --data-urlencode argument, curl's five forms: "content", "=content",
 * "name=content", "@file", "name@file".  name and nname: the name ("" when
 * none: then no "=" goes out), rest: the content or the file name.
 * Returns 1 when rest names a file, 0 when it is the content.
 */
int form_du_split(const char *arg, const char **name, size_t *nname, const char **rest);

/* -F's argument: name=value, name=@file[;type=T][;filename=F], name=<file */
struct form_field {
	const char *name;
	size_t nname;
	const char *value;	/* the value, or the file's name */
	size_t nvalue;
	int file;		/* '@': a file part, with a filename */
	int content;		/* '<': the value is read from the file */
	const char *type;	/* ;type=, or NULL */
	size_t ntype;
	const char *filename;	/* ;filename=, or NULL */
	size_t nfilename;
};
/* 0, or -1 (no '=', an empty name, an empty file name) */
int form_parse_field(const char *arg, struct form_field *);
/* the type curl guesses from a file name's extension, or application/octet-stream */
const char *form_guess_type(const char *filename, size_t n);
/*
 * The head of a part (RFC 7578 4.2): the delimiter line
 * "--BOUNDARY", Content-Disposition with name (and filename), an
 * optional Content-Type, and the empty line.  A '"' in a name is %22,
 * CR %0D and LF %0A (as browsers and curl write them).  first: no CRLF
 * before the delimiter.
 */
size_t form_part_head(char *dst, size_t cap, const char *boundary, int first,
    const char *name, size_t nname, const char *filename, size_t nfilename,
    const char *type, size_t ntype);
/* the close: CRLF "--BOUNDARY--" CRLF (or without the first CRLF when no part) */
size_t form_close(char *dst, size_t cap, const char *boundary, int noparts);
/* 1 when "--" boundary occurs in p (so it cannot delimit it) */
int form_boundary_in(const void *p, size_t n, const char *boundary);

#endif
