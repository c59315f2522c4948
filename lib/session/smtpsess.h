/*
 * smtpsess.h - the SMTP conversation (RFC 5321) on a text-protocol
 * session (session.h): the greeting, EHLO with its HELO fallback and
 * extensions, AUTH (RFC 4954 PLAIN, LOGIN), the envelope sent as one
 * pipelined group (RFC 2920) or a command at a time, the message with
 * its end of data, and RSET between transactions.  Each reply is named
 * by the command it answers (ts_next); what a reply means for a
 * recipient or a message is smtpxact.h's, what is printed the command's.
 *
 * STARTTLS (RFC 3207) goes after smtp_hello (smtp_starttls), and
 * smtp_hello is then called again, which forgets the extensions the
 * plaintext EHLO offered; smtps (RFC 8314) puts TLS on the connection
 * before the greeting (smtp_tls_implicit).
 *
 * Every function returns an enum smtp_st; SMTP_NET and SMTP_PROTO leave
 * a message in ss->s.why ("RCPT: timed out (no whole reply within 60 s)").
 */
#ifndef TB_SMTPSESS_H
#define TB_SMTPSESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "session.h"
#include "smtp.h"

enum smtp_st {
	SMTP_OK,		/* a 2xx or 3xx reply */
	SMTP_TEMP,		/* a 4xx reply */
	SMTP_PERM,		/* a 5xx reply (or an AUTH that did not end in 235) */
	SMTP_NET,		/* no reply: timed out, lost, interrupted (s.why) */
	SMTP_PROTO		/* a reply out of the protocol: malformed, unasked (s.why) */
};

struct smtp_sess {
	struct ts s;		/* the conversation; s.c is the connection */
	struct smtp_ext ext;	/* what the last EHLO offered (none after HELO) */
	int helo;		/* the server took HELO, not EHLO */
	unsigned ntrans;	/* transactions begun on this connection */
	int tls;		/* smtp_starttls put TLS on the connection */
};

/*
 * A session on the connected c: transcript ("C: " lines, -v) and lv
 * (-X) may be NULL.  The caller sets ss->s.idle, s.reply_total and
 * s.deadline.
 */
void smtp_sess_init(struct smtp_sess *, struct conn *c, const char *peer,
    FILE *transcript, struct layers *lv);
/* the class of a reply code: SMTP_OK (2xx, 3xx), SMTP_TEMP (4xx) or SMTP_PERM */
int smtp_class(int code);
/* the next reply, into r; its class, or SMTP_NET / SMTP_PROTO */
int smtp_reply(struct smtp_sess *, struct reply *);
/* the greeting: SMTP_OK only for 220 (another 2xx/3xx is SMTP_PROTO) */
int smtp_greeting(struct smtp_sess *, struct reply *);
/*
 * EHLO name, and HELO when EHLO gets a 5xx other than 421; the
 * extensions parsed into ss->ext.  Data waiting before EHLO is sent is
 * SMTP_PROTO (the server spoke unasked).
 */
int smtp_hello(struct smtp_sess *, const char *name, struct reply *);
/*
 * AUTH mech (SMTP_AUTH_PLAIN or SMTP_AUTH_LOGIN) as user with pass: the
 * secret is masked in the transcript and -X and wiped from our buffers.
 * SMTP_OK only at 235; another reply is SMTP_TEMP (4xx) or SMTP_PERM,
 * with r holding it.
 */
int smtp_auth(struct smtp_sess *, int mech, const char *user, const char *pass,
    struct reply *);
/*
 * " SIZE=n BODY=8BITMIME SMTPUTF8" as far as the server offers them and
 * the message needs them (eight: 8-bit text; utf8: a non-ASCII address).
 */
void smtp_mail_params(const struct smtp_sess *, char *buf, size_t cap, size_t size,
    int eight, int utf8);
/*
 * Begin a transaction: RSET when one was begun before (without
 * PIPELINING its reply is read here: r), then MAIL FROM:<from>params;
 * with PIPELINING also RCPT TO for each of the n addresses and DATA, in
 * one write.  The replies are then read with smtp_reply in that order
 * (after the RSET's, which is read here).  Data waiting before the group
 * is sent is SMTP_PROTO.  SMTP_OK, or the failure of RSET.
 */
int smtp_begin(struct smtp_sess *, const char *from, const char *params,
    const char *const *rcpt, size_t n, struct reply *r);
/* without PIPELINING: send RCPT TO:<addr> (with it: already sent) */
int smtp_rcpt(struct smtp_sess *, const char *addr);
/* without PIPELINING: send DATA (with it: already sent) */
int smtp_data(struct smtp_sess *);
/*
 * After a 354 to a pipelined DATA when no recipient was accepted
 * (RFC 2920 3.1): an empty message's end of data, and its reply.
 */
int smtp_data_abort(struct smtp_sess *, struct reply *);
/*
 * The message as it goes on the wire: quoted-printable where the path is
 * 7-bit (8-bit text without 8BITMIME) or a line is over 998 octets, then
 * CR LF line ends and dots doubled, with the end of data (the last 3
 * bytes).  0 with *wire on the heap, or -1 with *why.
 */
int smtp_wire(const uint8_t *m, size_t len, int cls, const struct smtp_ext *,
    uint8_t **wire, size_t *wlen, const char **why);
/*
 * Send wire (smtp_wire's of the message msg, ending in the end of data;
 * -X shows msg decoded, then the wire bytes) a piece at a time:
 * a signal stops it between two pieces, and the last piece carries the
 * end of data, so a message cut short never ends with the final dot (the
 * server discards it, RFC 5321 4.1.1.4).  0 with the reply to the end of
 * data due; or SMTP_NET with s.why the reason alone ("interrupted"):
 * nothing more may then be sent on this connection.
 */
int smtp_body(struct smtp_sess *, const uint8_t *msg, size_t mlen, const uint8_t *wire,
    size_t wlen);

/* when smtp_starttls asks for TLS */
enum {
	SMTP_TLS_NEVER,		/* --tls off, or TLS from the first byte already */
	SMTP_TLS_OFFERED,	/* when the server offers STARTTLS; in clear if not */
	SMTP_TLS_MUST,		/* no message (nor password) in clear: not loopback */
	SMTP_TLS_REQUIRED	/* --tls required */
};
struct tlsopt;
struct tls_info;
/*
 * STARTTLS (RFC 3207) as when says, after smtp_hello: with SMTP_TLS_MUST
 * or SMTP_TLS_REQUIRED a server that does not offer it is SMTP_PROTO
 * (QUIT sent; s.why says so, and that no password goes either with
 * auth), and a refusal (in r) is its class; else a refusal goes on in
 * clear.
 * Bytes buffered after the 220, before the handshake, are SMTP_PROTO:
 * they could be a reply injected in clear (CVE-2011-0411).  TLS through
 * tlsopt (tls/tlsopt.h) for the session's peer, described in info;
 * SMTP_OK with ss->tls set when it is on: smtp_hello must then be
 * called again (RFC 3207 4.2).
 */
int smtp_starttls(struct smtp_sess *, int when, int auth, struct tlsopt *,
    struct tls_info *info, struct reply *r);
/*
 * smtps (RFC 8314): TLS on the connection c to host before the greeting.
 * 0, or -1 with why ("HOST: TLS: reason") and c closed.
 */
int smtp_tls_implicit(struct conn *c, struct tlsopt *, const char *host, struct layers *,
    struct tls_info *info, char *why, size_t cap);

struct tb_mx;
/*
 * Where mail for the domain dom goes (RFC 5321 5.1): an address literal
 * ("[192.0.2.1]", "[IPv6:2001:db8::1]") is that host; else its MX hosts
 * by preference, or the domain itself when it has none.  Their number,
 * in mx (max of them); 0: a null MX (RFC 7505), the domain takes no
 * mail; -1 with *why: the lookup failed; -2 with *why: a local failure.
 */
int smtp_route(const char *dom, struct tb_mx *mx, int max, const char **why);

#endif
