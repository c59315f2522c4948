/*
 * submit.h - the message smtpsend submits (system code: dates, random
 * Message-IDs, and exit 2 for a message it will not send): the one on
 * stdin or out of an mbox as it is, with Date, Message-ID and From (and
 * -S, -H) added when missing and Bcc removed with -t (RFC 6409 8); or
 * built around attachments (RFC 2045-2049); and its recipients, from
 * the command line and with -t from To, Cc and Bcc.  A message with a
 * bare CR (SMTP smuggling) or a NUL is refused here, before any packet.
 */
#ifndef TB_SUBMIT_H
#define TB_SUBMIT_H

#include <stddef.h>
#include <stdint.h>

#include <stdio.h>

#include "mail.h"
#include "mboxrd.h"

#define SUBMIT_MAX_RCPT 1024
#define SUBMIT_MAX_LIST 64	/* -a attachments, -H fields */
#define SUBMIT_MSG_MAX ((size_t)256 << 20)	/* one message, or one attachment */

struct sub_rcpt {
	char addr[256];
	size_t idx;		/* its place on the command line, for a stable sort */
	int code;		/* reply code, 0 = none (not tried, or no reply) */
	char text[512];		/* its text, or why there was none */
	int final;		/* a verdict is known */
};

struct sub_msg {
	uint8_t *m;		/* the message, header and body */
	size_t len;
	int cls;		/* mail_classify */
	struct sub_rcpt *r;
	size_t nr, cap;
	int done;		/* its data line is out */
	uint8_t *wire;		/* as it goes through the server in hand (smtp_wire) */
	size_t wlen;
};

/* what shapes the message: the command's options */
struct submit {
	const char *from;	/* envelope sender, From: when missing ("" none) */
	const char *subject;	/* -S, or NULL */
	const char *date;	/* --date, or NULL (SOURCE_DATE_EPOCH, or now) */
	const char *msgid;	/* --message-id, or NULL (made up) */
	const char *host;	/* our name: a Message-ID's domain when from has none */
	const char *const *hdr;	/* -H fields */
	int nhdr;
	int tflag;		/* -t: recipients from the header too; Bcc removed */
	const struct mail_part *parts;	/* -a attachments */
	int nparts;
};

/*
 * The message to send out of in[0, inlen) and its recipients (the
 * nargv of argv_rcpt, then -t's) into m, on the heap; exit 2 with a
 * line on stderr for one that cannot be sent.
 */
void submit_prepare(const struct submit *, struct sub_msg *m, const uint8_t *in, size_t inlen,
    char **argv_rcpt, int nargv);
void sub_msg_free(struct sub_msg *);
/* the MIME type of an attachment, by its name's extension */
const char *submit_type(const char *name);
/* all of fd (name: for the message), at most SUBMIT_MSG_MAX bytes, or exit 2 */
uint8_t *submit_slurp(int fd, const char *name, size_t *len);
/* the n files of paths as attachments: parts[i], their bytes in data[i]; or exit 2 */
void submit_attach(struct mail_part *parts, uint8_t **data, const char *const *paths, int n);
/* does the envelope need SMTPUTF8 (RFC 6531): a byte over 0x7f in from or a recipient? */
int submit_utf8(const struct sub_msg *, const char *from);
/*
 * -n: the message as it would go, with local line ends; as one message
 * of an mbox (a From line, mboxrd quoting, an empty line after) when
 * mbox is set.
 */
void submit_print(FILE *, const struct sub_msg *, int mbox, const char *from);

/*
 * The messages: one from stdin, held whole; or --batch's mbox, read a
 * message at a time (mboxrd.h) and prepared as the session reaches it,
 * so that a batch holds the same memory whatever its size: only the
 * message in hand is read and prepared.  Messages are asked for in
 * order; an earlier one (a new connection that starts again) rewinds.
 */
struct submit_src {
	const struct submit *sb;
	const char *path;	/* the mbox, or NULL: one message, held */
	struct mboxrd rd;
	size_t next;		/* the index of the message rd gives next */
	size_t cur;		/* the index of held */
	struct sub_msg held;
	char **argv;		/* the command line's recipients */
	int argc;
};
/* one message, from in[0, n) */
void submit_src_one(struct submit_src *, const struct submit *, const uint8_t *in, size_t n,
    char **argv, int argc);
/*
 * The mbox at path, every message prepared once before the first
 * packet (a bad one, or none at all, is exit 2): how many.
 */
size_t submit_src_mbox(struct submit_src *, const struct submit *, const char *path,
    char **argv, int argc);
/* message k (0 the first), prepared */
struct sub_msg *submit_at(struct submit_src *, size_t k);
void submit_src_free(struct submit_src *);

#endif
