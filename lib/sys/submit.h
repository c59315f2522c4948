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

#include "mail.h"

#define SUBMIT_MAX_RCPT 1024
#define SUBMIT_MAX_LIST 64	/* -a attachments, -H fields */

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

#endif
