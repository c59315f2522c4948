/*
 * mail.h - RFC 5322 messages and their SMTP DATA form.  Wire code: bytes
 * in, bytes out, no system calls.
 *
 * Builders write snprintf-style: they return the length the whole output
 * needs and store only what fits in cap, so callers measure with
 * (NULL, 0), allocate, then build.
 */
#ifndef TUBES_MAIL_H
#define TUBES_MAIL_H

#include <stddef.h>
#include <stdint.h>

/* --- the header block ------------------------------------------------------ */

/*
 * Does the message start with a header block: one or more header fields
 * (name of printable ASCII without ':' or SP, then ':'; continuation
 * lines start with SP or TAB) ended by an empty line or by the end of
 * the message?  1 with *hend (end of the last field, its line break
 * included) and *body (where the body starts, after the empty line);
 * 0 if not (the whole input is then a body).
 */
int mail_split(const uint8_t *m, size_t n, size_t *hend, size_t *body);

struct mail_field {
	const uint8_t *name;	/* field name, without the colon */
	size_t namelen;
	const uint8_t *value;	/* after the colon, folded lines included, final line break excluded */
	size_t valuelen;
	size_t off, len;	/* the whole field within the header, its line break included */
};
/* next field of the header block h[0, hlen) from *pos; 1 found, 0 end */
int mail_field_next(const uint8_t *h, size_t hlen, size_t *pos, struct mail_field *);
/* first field named name (case-insensitive); 1 found, 0 not */
int mail_field_find(const uint8_t *h, size_t hlen, const char *name, struct mail_field *);
/* a header name or value given on the command line: no CR, LF or NUL (and a name: RFC 5322 ftext) */
int mail_value_ok(const char *);
int mail_name_ok(const char *, size_t);

/*
 * Addresses of an address-list value (To, Cc, Bcc): "Name <a@b>",
 * "a@b", comments, quoted strings, groups ("team: a@b, c@d;").  Each
 * call stores the next addr-spec in out (NUL-terminated); 1 found,
 * 0 end, -1 malformed or longer than cap - 1.
 */
int mail_addr_next(const uint8_t *v, size_t n, size_t *pos, char *out, size_t cap);

/* RFC 5322 date-time of a Unix time, in UTC: "Sun, 22 Nov 2026 00:00:00 +0000" */
size_t mail_date(char *buf, size_t cap, int64_t epoch);

/* --- what a body needs ----------------------------------------------------- */

enum {
	MAIL_8BIT = 1,		/* a byte >= 0x80 */
	MAIL_LONG = 2,		/* a line longer than 998 octets */
	MAIL_BARECR = 4,	/* a CR not followed by LF */
	MAIL_NUL = 8,		/* a NUL byte */
};
int mail_classify(const uint8_t *, size_t);

/* --- building a message ------------------------------------------------------ */

enum { CTE_7BIT, CTE_8BIT, CTE_QP };

struct mail_part {
	const char *name;	/* file name shown to the reader */
	const char *type;	/* Content-Type, e.g. "application/octet-stream" */
	const uint8_t *data;
	size_t len;
};

struct mail_msg {
	const char *from, *to, *subject, *date, *msgid;	/* NULL: field left out */
	const char *const *extra;	/* more fields, "Name: value" */
	size_t nextra;
	const uint8_t *body;	/* text, LF or CRLF line ends */
	size_t bodylen;
	int cte;		/* how the text goes: CTE_7BIT, CTE_8BIT or CTE_QP */
	const struct mail_part *parts;	/* attachments: multipart/mixed, base64 */
	size_t nparts;
	const char *boundary;	/* needed when nparts > 0; must not occur in the text */
};
/*
 * From, To, Subject (RFC 2047-encoded if not ASCII), Date, Message-ID,
 * the extra fields, MIME-Version, Content-Type text/plain with charset
 * (us-ascii or utf-8), Content-Transfer-Encoding; then the text, or a
 * multipart/mixed of the text and base64 attachments.  CRLF line ends.
 */
size_t mail_build(uint8_t *dst, size_t cap, const struct mail_msg *);

/*
 * An existing message with fields added at the end of its header and
 * every field named in strip (NULL-terminated list, e.g. "Bcc") left
 * out.  Line ends are kept as they are (DATA encoding normalises them).
 */
size_t mail_amend(uint8_t *dst, size_t cap, const uint8_t *m, size_t n,
    const char *const *add, size_t nadd, const char *const *strip);
/*
 * An existing single-part message with an 8-bit or long-lined body,
 * rewritten for a 7-bit path: the body quoted-printable,
 * Content-Transfer-Encoding replaced, MIME-Version and Content-Type
 * (text/plain; charset=utf-8) added when missing.  Returns 0 when the
 * message cannot be converted (multipart, or already encoded).
 */
size_t mail_to_qp(uint8_t *dst, size_t cap, const uint8_t *m, size_t n);

/* --- SMTP DATA (RFC 5321 4.5.2, 4.5.3.1.6, 2.3.8) ---------------------------- */

enum data_err {
	DATA_OK = 0,
	DATA_EBARECR = -1,	/* a CR not followed by LF: refused (smuggling) */
	DATA_ELONG = -2,	/* a line over 998 octets on the wire */
	DATA_ENUL = -3,		/* a NUL byte */
	DATA_ENOEND = -4,	/* decode: no CRLF . CRLF terminator */
	DATA_ETRAIL = -5,	/* decode: bytes after the terminator */
	DATA_ELF = -6,		/* decode: a bare LF on the wire */
};
const char *data_strerror(int);
/*
 * The message as it goes after DATA: every line end CRLF (a bare LF
 * becomes CRLF), a leading '.' doubled, a final CRLF added if missing,
 * then ".\r\n".  Stores what fits in cap; *outlen is the length needed;
 * *line the 1-based line of an error.
 */
int data_encode(uint8_t *dst, size_t cap, const uint8_t *m, size_t n,
    size_t *outlen, size_t *line);
/*
 * The inverse, for tests and fuzzing: wire bytes up to and including
 * CRLF . CRLF back to the message (CRLF line ends).  Strict: a bare LF,
 * a missing terminator or bytes after it are errors.
 */
int data_decode(uint8_t *dst, size_t cap, const uint8_t *w, size_t n, size_t *outlen);

/* --- mbox (for --batch) ------------------------------------------------------ */

/*
 * Next message of an mbox text from *pos: "From " lines at the start
 * or after an empty line separate messages and are not part of them
 * (the empty line before a separator is not either); ">From " lines
 * are unquoted by the caller's choice (mbox_unquote).  1 with the span
 * [*off, *off + *len), 0 at the end.
 */
int mbox_next(const uint8_t *m, size_t n, size_t *pos, size_t *off, size_t *len);
/* mboxrd unquoting of one message into dst: "^>+From " loses one '>' */
size_t mbox_unquote(uint8_t *dst, size_t cap, const uint8_t *m, size_t n);

#endif
