/*
 * pop3.h - POP3 codecs (RFC 1939, RFC 2449, RFC 3206): status lines,
 * multi-line bodies (CRLF "." CRLF and dot-unstuffing) as an incremental
 * state machine, LIST/UIDL/STAT lines, UIDL checks, CAPA, the APOP
 * timestamp and its MD5 digest (crypto/md5.h).  Bytes in, values out: no system calls.
 */
#ifndef TUBES_POP3_H
#define TUBES_POP3_H

#include <stddef.h>
#include <stdint.h>

/* --- status line: "+OK text" / "-ERR [CODE] text" ----------------------- */

enum pop3_st {
	POP3_BAD = -1,		/* neither exactly "+OK" nor "-ERR" (POP-01) */
	POP3_ERR = 0,
	POP3_OK = 1,
};

/* RFC 2449 / RFC 3206 response codes, as bits */
enum {
	POP3_RC_IN_USE = 1 << 0,	/* [IN-USE]: the maildrop is locked */
	POP3_RC_LOGIN_DELAY = 1 << 1,	/* [LOGIN-DELAY] */
	POP3_RC_AUTH = 1 << 2,		/* [AUTH]: the credentials are wrong */
	POP3_RC_SYS_TEMP = 1 << 3,	/* [SYS/TEMP] */
	POP3_RC_SYS_PERM = 1 << 4,	/* [SYS/PERM] */
	POP3_RC_OTHER = 1 << 5,		/* some other [CODE] */
};

struct pop3_status {
	int st;			/* enum pop3_st */
	unsigned rc;		/* POP3_RC_* bits (only on -ERR/+OK with a [CODE]) */
	const char *code;	/* the text inside [ ], or NULL */
	size_t codelen;
	const char *text;	/* the text after the status and code */
	size_t textlen;
};

/*
 * Parse a status line (without its CRLF).  The status must be exactly
 * "+OK" or "-ERR", then the end of the line or a space.  Returns st.
 */
int pop3_status(const char *line, size_t len, struct pop3_status *);
/* the name of a response-code bit set, e.g. "IN-USE", or NULL */
const char *pop3_rc_name(unsigned rc);

/* --- multi-line bodies -------------------------------------------------- */

/*
 * The state machine reads the raw bytes after a "+OK" status line and
 * writes the body: one leading dot stripped from every line that begins
 * with one, CRLF turned into LF (unless keep_crlf), bare CR and bare LF
 * passed through.  The body ends exactly at CRLF "." CRLF (the body's
 * first line counts as following a CRLF: the status line's).  "." LF or
 * "." after a bare LF is data, not the end.
 */
struct pop3_ml {
	int state;		/* internal */
	int bol_crlf;		/* this line began after a CRLF */
	int keep_crlf;		/* write CRLF instead of LF */
	int done;		/* the terminator has been read */
	uint64_t octets;	/* body octets as the server counts them: unstuffed, CRLF ends */
	uint64_t lines;		/* lines of the body */
	uint64_t wire;		/* raw bytes consumed, terminator included */
};

void pop3_ml_init(struct pop3_ml *, int keep_crlf);
/*
 * Feed n raw bytes.  Writes at most outcap bytes to out (*outn of them)
 * and returns how many input bytes it consumed: fewer than n when out is
 * full (outcap >= 2 guarantees progress) or when the terminator was
 * read (ml->done; the bytes after it belong to the next reply).
 */
size_t pop3_ml_feed(struct pop3_ml *, const uint8_t *in, size_t n,
    uint8_t *out, size_t outcap, size_t *outn);
/* 1 if the body so far ends in the middle of a line (for a short read) */
int pop3_ml_midline(const struct pop3_ml *);

/* --- listings ----------------------------------------------------------- */

/* the largest message number and size we accept */
#define POP3_MAXNUM 10000000ULL
#define POP3_MAXSIZE (1ULL << 40)
#define POP3_UIDL_MAX 70

enum pop3_perr {
	POP3_E_OK = 0,
	POP3_E_SYNTAX = -1,	/* not "number SP ..." */
	POP3_E_RANGE = -2,	/* number 0, over the limit, or > count */
	POP3_E_UIDL = -3,	/* UID empty, longer than 70, or outside 0x21-0x7E */
};
const char *pop3_perr_str(int);

/*
 * "count SP size ..." (the text after "+OK" of STAT).  0 or POP3_E_*.
 */
int pop3_stat(const char *text, size_t len, uint64_t *count, uint64_t *size);
/* count for a listing when STAT was not asked */
#define POP3_NOCOUNT UINT64_MAX
/*
 * One scan listing "num SP size [...]" (a LIST line, or the text after
 * "+OK" of LIST n).  num must be in 1..count (count from STAT, or
 * POP3_NOCOUNT).
 */
int pop3_list(const char *line, size_t len, uint64_t count, uint64_t *num, uint64_t *size);
/*
 * One unique-id listing "num SP uid" (a UIDL line or the text after "+OK"
 * of UIDL n).  uid is NUL-terminated into uid[71].
 */
int pop3_uidl(const char *line, size_t len, uint64_t count, uint64_t *num,
    char uid[POP3_UIDL_MAX + 1]);
/* 0 if uid is a valid unique-id (1..70 octets in 0x21..0x7E), else POP3_E_UIDL */
int pop3_uid_ok(const char *uid, size_t len);
/*
 * Duplicates: sorts the n pointers of v (scratch, the caller's) and
 * returns the index in v of the first of two equal strings, or -1.
 */
long pop3_uid_dups(const char **v, size_t n);

/* --- CAPA --------------------------------------------------------------- */

enum {
	POP3_CAP_TOP = 1 << 0,
	POP3_CAP_USER = 1 << 1,
	POP3_CAP_UIDL = 1 << 2,
	POP3_CAP_PIPELINING = 1 << 3,
	POP3_CAP_RESP_CODES = 1 << 4,
	POP3_CAP_AUTH_RESP_CODE = 1 << 5,
	POP3_CAP_SASL = 1 << 6,
	POP3_CAP_STLS = 1 << 7,
	POP3_CAP_EXPIRE = 1 << 8,
	POP3_CAP_LOGIN_DELAY = 1 << 9,
	POP3_CAP_IMPLEMENTATION = 1 << 10,
};
/* one CAPA line: returns its POP3_CAP_* bit, 0 for an unknown capability */
unsigned pop3_capa(const char *line, size_t len);

/* --- commands ----------------------------------------------------------- */

/*
 * "VERB[ arg[ arg2]]" CRLF into buf.  Returns the length, or -1 if it
 * does not fit or an argument holds CR, LF or NUL or is empty.
 */
int pop3_cmd(char *buf, size_t cap, const char *verb, const char *arg, const char *arg2);

/* --- APOP --------------------------------------------------------------- */

/*
 * The timestamp "<...>" of a greeting (RFC 1939 section 7): the first
 * '<' to the next '>', printable, with an '@'.  Copies it with its
 * brackets, NUL-terminated.  Returns its length or -1 if there is none.
 */
int pop3_apop_stamp(const char *greeting, size_t len, char *out, size_t cap);
/* MD5(stamp secret) as 32 lowercase hex digits + NUL into hex[33] */
void pop3_apop_digest(const char *stamp, const char *secret, char hex[33]);

/* --- header summary for --scan ------------------------------------------ */

/*
 * Find header field name (case-insensitive) in a header block (LF or
 * CRLF lines, ending at an empty line or the end) and copy its unfolded
 * value, trimmed, NUL-terminated, into out (truncated to cap-1).
 * Returns the value's full length or -1 if absent.
 */
long pop3_header(const char *hdr, size_t len, const char *name, char *out, size_t cap);

/* --- layer view (-X) ---------------------------------------------------- */

struct layers;
/* a command line as sent: verb and arguments (PASS and APOP digest masked) */
void pop3_decode_cmd(struct layers *, const char *line, size_t len);
/* a status line as received */
void pop3_decode_status(struct layers *, const char *line, size_t len);

#endif
