/*
 * smtp.h - the SMTP side that is not the reply reader (reply.c): EHLO
 * keywords, envelope address checks, enhanced status codes, and the
 * -X decoders of commands and replies.  Wire code except the decoders'
 * output through struct layers.
 */
#ifndef TUBES_SMTP_H
#define TUBES_SMTP_H

#include <stddef.h>
#include <stdint.h>

struct layers;
struct reply;

enum {
	SMTP_AUTH_PLAIN = 1,
	SMTP_AUTH_LOGIN = 2,
	SMTP_AUTH_CRAM_MD5 = 4,
	SMTP_AUTH_OTHER = 8,
};

struct smtp_ext {
	int pipelining;		/* RFC 2920 */
	int eightbit;		/* RFC 6152 8BITMIME */
	int smtputf8;		/* RFC 6531 */
	int starttls;		/* RFC 3207 */
	int chunking;		/* RFC 3030 */
	int size;		/* RFC 1870 SIZE offered */
	uint64_t size_max;	/* its limit; 0 = none given */
	unsigned auth;		/* RFC 4954 SMTP_AUTH_* offered */
};
/*
 * The keywords of an EHLO reply's text (reply.text: lines joined with
 * \n, the first being the server's name).  Keywords are case-insensitive;
 * "AUTH=LOGIN" (old syntax) counts as AUTH.  A SIZE value that is not a
 * number counts as no limit.
 */
void smtp_ehlo_parse(const char *text, size_t len, struct smtp_ext *);

/*
 * An envelope address given by the user: 0 ok, -1 not.  Refused: CR,
 * LF, NUL or another control byte, '<' or '>', SP or TAB outside a
 * quoted local part, more than 254 octets, an empty local part or
 * domain around '@'.  allow_empty: "" (the null reverse-path) is fine.
 */
int smtp_addr_ok(const char *, int allow_empty);
/* the domain after the last '@' (not inside quotes), or NULL */
const char *smtp_addr_domain(const char *);

/*
 * Length of an RFC 3463 enhanced status code at the start of a reply
 * text ("2.1.5 Ok" -> 5), 0 if there is none.  class must match the
 * reply code's first digit.
 */
size_t smtp_enhanced(const char *text, size_t len, int code);

/*
 * The queue ID in a reply to the end of data ("... queued as 4F2A1"):
 * its offset and length in text, 0 if there is none.
 */
size_t smtp_queue_id(const char *text, size_t len, size_t *off);

/* -X: one command line as sent (secret: its argument is masked) */
void smtp_layers_cmd(struct layers *, const char *line, size_t len, int secret);
/*
 * -X: the message itself (RFC 5322, MIME): each header field, RFC 2047
 * words decoded, then the body's size and lines, and for a multipart
 * message its boundary and parts.
 */
void smtp_layers_message(struct layers *, const uint8_t *msg, size_t len);
/* -X: one reply */
void smtp_layers_reply(struct layers *, const struct reply *);

#endif
