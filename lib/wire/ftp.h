/*
 * ftp.h - FTP codecs (RFC 959, 2428, 3659): bytes in, values out, no
 * system calls.  Reply grouping, 227/229 parsing, PORT/EPRT building,
 * the 257 quoted path, SIZE/MDTM, FEAT, LIST (Unix ls -l and DOS) and
 * MLSD lines normalised to one entry shape, safe local names, and the
 * -X decoders for commands and replies.
 */
#ifndef TUBES_FTP_H
#define TUBES_FTP_H

#include <stddef.h>
#include <stdint.h>

struct layers;
struct reply;

/* typed errors: every parser returns 0 or one of these */
enum ftp_err {
	FTP_OK = 0,
	FTP_EMALFORMED = -1,	/* not the shape the RFC gives */
	FTP_ERANGE = -2,	/* a number out of its range */
	FTP_EDELIM = -3,	/* 229: wrong or mismatched delimiters */
	FTP_EQUOTE = -4,	/* 257: unterminated quote */
	FTP_ETOOLONG = -5,	/* does not fit the caller's buffer / reply cap */
	FTP_ESKIP = -6,		/* a listing line that is no entry ("total 8") */
	FTP_EUNSAFE = -7,	/* a name that must not become a local file */
	FTP_ECODE = -8,		/* first reply line has no 3-digit code */
};
const char *ftp_strerror(int err);

/*
 * Reply grouping (RFC 959 4.2): feed the lines of one reply in order to
 * r (first == 1 for the first line, which resets r).  A reply ends only
 * at a line with the first line's code followed by SP (or a bare code);
 * lines in between are text, whatever they start with, kept whole
 * unless they carry the "ddd-" prefix.  Returns 1 when the reply is
 * complete, 0 when more lines are needed, FTP_ECODE if the first line
 * is no reply line, FTP_ETOOLONG past REPLY_MAX bytes or REPLY_MAXLINES lines.
 */
int ftp_reply_add(struct reply *r, const char *line, size_t len, int first);

/*
 * 227 (PASV): the first six comma-separated numbers, each 0..255 and
 * at most three digits, anywhere in text.  addr gets h1..h4, *port
 * p1*256+p2 (0 is refused).
 */
int ftp_parse_227(const char *text, size_t len, uint8_t addr[4], uint16_t *port);
/* 229 (EPSV): "(<d><d><d>port<d>)", d one char in 33..126, port 1..65535 */
int ftp_parse_229(const char *text, size_t len, uint16_t *port);
/* "PORT h1,h2,h3,h4,p1,p2" into out; its length or FTP_ETOOLONG */
int ftp_build_port(char *out, size_t cap, const uint8_t addr[4], uint16_t port);
/* "EPRT |1|a.b.c.d|port|" (proto 1) or "|2|v6|port|" (proto 2) */
int ftp_build_eprt(char *out, size_t cap, int proto, const char *addrtext, uint16_t port);
/* 257: the first quoted path, "" inside it standing for one quote */
int ftp_parse_257(const char *text, size_t len, char *out, size_t cap);
/* 213 to SIZE: decimal bytes (surrounding spaces allowed) */
int ftp_parse_size(const char *text, size_t len, uint64_t *size);
/* 150 "... (1234 bytes)": the size the server announces, if it does */
int ftp_parse_150(const char *text, size_t len, uint64_t *size);
/* 213 to MDTM: YYYYMMDDHHMMSS[.f...] UTC -> seconds since 1970 */
int ftp_parse_mdtm(const char *text, size_t len, int64_t *when);
/* civil date (UTC) -> seconds since 1970; fields not range-checked */
int64_t ftp_epoch(int year, int mon, int day, int hh, int mm, int ss);
/* 1 if the FEAT reply text lists feature (case-insensitive, first word) */
int ftp_feat_has(const char *text, size_t len, const char *feature);

/* a directory entry, whichever listing it came from */
enum ftp_type { FTP_T_OTHER = 0, FTP_T_FILE, FTP_T_DIR, FTP_T_LINK };
#define FTP_NAME_MAX 1024
struct ftp_entry {
	int type;		/* enum ftp_type */
	int64_t size;		/* bytes, or -1 unknown */
	int64_t mtime;		/* seconds since 1970 UTC, or -1 unknown */
	size_t namelen;		/* the name may hold any byte but NUL */
	char name[FTP_NAME_MAX];
};
const char *ftp_type_name(int type);	/* "file" "dir" "link" "other" */

/*
 * One LIST line: Unix "ls -l" style (the month token located, so a
 * missing group column is fine; "name -> target" for links keeps the
 * name) or DOS style ("01-31-24  09:15PM  <DIR>  name").  now (seconds
 * since 1970) places a yearless "Jan 31 09:15" in the last twelve
 * months.  FTP_ESKIP for "total N" lines.
 */
int ftp_parse_list(const char *line, size_t len, int64_t now, struct ftp_entry *);
/*
 * One MLSD line (RFC 3659 7.2): "fact=value;...; name".  type=file,
 * dir, cdir/pdir (FTP_ESKIP), OS.unix=symlink/slink (link), size,
 * modify.  Unknown facts are ignored.
 */
int ftp_parse_mlsd(const char *line, size_t len, struct ftp_entry *);

/*
 * A name from the server, fit to become one local file: never empty,
 * ".", "..", nor holding '/', '\\', NUL, CR, LF, or any control byte or
 * DEL; at most 255 bytes.  Copies it NUL-terminated into out, or
 * FTP_EUNSAFE.
 */
int ftp_safe_name(const char *name, size_t len, char *out, size_t cap);
/* 1 if s may go into a command argument: no CR, LF or NUL (FTP-10) */
int ftp_arg_ok(const char *s);

/*
 * -X: one command line we send; one reply we read (with its 227/229
 * view), then raw (the reply's bytes as they came, if not NULL, else
 * its text) in hex.
 */
void ftp_decode_cmd(struct layers *, const char *line, size_t len);
void ftp_decode_reply(struct layers *, const struct reply *, const void *raw, size_t rawlen);

#endif
