/* smtpsess.c - the SMTP conversation on a text-protocol session (smtpsess.h) */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "crypto/ct.h"
#include "mail.h"
#include "mime.h"
#include "resolv.h"
#include "smtpsess.h"
#include "tls/tlsopt.h"
#include "view.h"

#define PIECE 65536	/* the message goes in pieces of this size: a signal stops it between two */

/* -X: ts hands the raw bytes too; the SMTP view decodes the parsed reply */
static void
view_reply(struct layers *lv, const struct reply *r, const void *raw, size_t rawlen)
{
	(void)raw;
	(void)rawlen;
	smtp_layers_reply(lv, r);
}

void
smtp_sess_init(struct smtp_sess *ss, struct conn *c, const char *peer, FILE *transcript,
    struct layers *lv)
{
	memset(ss, 0, sizeof *ss);
	ts_init(&ss->s, c, TS_SMTP, peer);
	ss->s.transcript = transcript;
	if (lv) {
		ss->s.lv = lv;
		ss->s.view_cmd = smtp_layers_cmd;
		ss->s.view_reply = view_reply;
	}
}

int
smtp_class(int code)
{
	return code / 100 == 2 || code / 100 == 3 ? SMTP_OK : code / 100 == 4 ? SMTP_TEMP :
	    SMTP_PERM;
}

int
smtp_reply(struct smtp_sess *ss, struct reply *r)
{
	if (ts_reply(&ss->s, r) < 0)
		return errno == EPROTO || errno == EMSGSIZE ? SMTP_PROTO : SMTP_NET;
	return smtp_class(r->code);
}

int
smtp_greeting(struct smtp_sess *ss, struct reply *r)
{
	int st = smtp_reply(ss, r);

	if (st == SMTP_OK && r->code != 220) {
		/* a positive reply that is not a greeting: nothing to trust */
		snprintf(ss->s.why, sizeof ss->s.why, "greeting: malformed reply (%d %.*s)",
		    r->code, (int)r->len, r->text);
		return SMTP_PROTO;
	}
	return st;
}

int
smtp_hello(struct smtp_sess *ss, const char *name, struct reply *r)
{
	int st;

	memset(&ss->ext, 0, sizeof ss->ext);
	ss->helo = 0;
	if (ts_unasked(&ss->s, ss->s.last ? ss->s.last : "greeting"))
		return SMTP_PROTO;
	if (ts_cmd(&ss->s, TS_PUBLIC, "EHLO %s", name) < 0)
		return SMTP_NET;
	st = smtp_reply(ss, r);
	if (st == SMTP_PERM && r->code != 421) {
		/* RFC 5321 3.2: an old server; no extensions then */
		ss->helo = 1;
		if (ts_cmd(&ss->s, TS_PUBLIC, "HELO %s", name) < 0)
			return SMTP_NET;
		st = smtp_reply(ss, r);
	}
	if (st == SMTP_OK && !ss->helo)
		smtp_ehlo_parse(r->text, r->len, &ss->ext);
	return st;
}

/* one SASL step: base64 of the n bytes of p, sent with keep words readable */
static int
sasl_send(struct smtp_sess *ss, int keep, const char *verb, const void *p, size_t n)
{
	uint8_t b64[3000];
	size_t k;
	int rc;

	k = b64_encode(b64, sizeof b64, p, n, 0);
	if (k == 0 && n > 0) {
		snprintf(ss->s.why, sizeof ss->s.why, "AUTH: user name or password too long");
		return SMTP_PERM;
	}
	rc = ts_cmd(&ss->s, keep, "%s%.*s", verb, (int)k, (const char *)b64);
	tb_wipe(b64, sizeof b64);
	return rc < 0 ? SMTP_NET : SMTP_OK;
}

int
smtp_auth(struct smtp_sess *ss, int mech, const char *user, const char *pass, struct reply *r)
{
	uint8_t raw[2048];
	size_t ul = strlen(user), pl = strlen(pass);
	int st, i;

	if (ul + pl + 2 > sizeof raw) {
		snprintf(ss->s.why, sizeof ss->s.why, "AUTH: user name or password too long");
		return SMTP_PERM;
	}
	if (mech == SMTP_AUTH_PLAIN) {
		/* RFC 4616: authzid NUL authcid NUL passwd */
		raw[0] = '\0';
		memcpy(raw + 1, user, ul);
		raw[1 + ul] = '\0';
		memcpy(raw + 2 + ul, pass, pl);
		st = sasl_send(ss, 2, "AUTH PLAIN ", raw, ul + pl + 2);
		tb_wipe(raw, sizeof raw);
		if (st == SMTP_OK)
			st = smtp_reply(ss, r);
	} else {
		st = ts_cmd(&ss->s, TS_PUBLIC, "AUTH LOGIN") < 0 ? SMTP_NET : smtp_reply(ss, r);
		for (i = 0; i < 2 && st == SMTP_OK && r->code == 334; i++) {
			const char *p = i == 0 ? user : pass;

			st = sasl_send(ss, TS_SECRET, "", p, strlen(p));
			if (st == SMTP_OK)
				st = smtp_reply(ss, r);
		}
	}
	if (st == SMTP_OK && r->code != 235)
		st = SMTP_PERM;
	return st;
}

void
smtp_mail_params(const struct smtp_sess *ss, char *buf, size_t cap, size_t size, int eight,
    int utf8)
{
	size_t n = 0;

	buf[0] = '\0';
	if (ss->ext.size)
		n += (size_t)snprintf(buf + n, cap - n, " SIZE=%zu", size);
	if (n < cap && ss->ext.eightbit && eight)
		n += (size_t)snprintf(buf + n, cap - n, " BODY=8BITMIME");
	if (n < cap && ss->ext.smtputf8 && utf8)
		(void)snprintf(buf + n, cap - n, " SMTPUTF8");	/* RFC 6531 */
}

/* append to a command buffer; 0, or -1 when it is full */
static int __attribute__((format(printf, 4, 5)))
add(char *buf, size_t cap, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(buf + *n, cap - *n, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= cap - *n)
		return -1;
	*n += (size_t)k;
	return 0;
}

int
smtp_begin(struct smtp_sess *ss, const char *from, const char *params,
    const char *const *rcpt, size_t n, struct reply *r)
{
	int pipe = ss->ext.pipelining, rset = ss->ntrans > 0, st = SMTP_OK, bad = 0;
	size_t cap = 64 + strlen(from) + strlen(params), len = 0, i;
	char *buf;

	if (rset && !pipe) {
		/* one at a time: RSET, its reply, then MAIL */
		if (ts_cmd(&ss->s, TS_PUBLIC, "RSET") < 0)
			return SMTP_NET;
		if ((st = smtp_reply(ss, r)) != SMTP_OK)
			return st;
	}
	for (i = 0; pipe && i < n; i++)
		cap += strlen(rcpt[i]) + 16;
	if ((buf = tb_malloc(cap)) == NULL) {
		snprintf(ss->s.why, sizeof ss->s.why, "out of memory");
		return SMTP_NET;
	}
	if (rset && pipe)
		bad |= add(buf, cap, &len, "RSET\r\n");
	bad |= add(buf, cap, &len, "MAIL FROM:<%s>%s\r\n", from, params);
	for (i = 0; pipe && i < n; i++)
		bad |= add(buf, cap, &len, "RCPT TO:<%s>\r\n", rcpt[i]);
	if (pipe)
		bad |= add(buf, cap, &len, "DATA\r\n");
	if (bad)
		st = SMTP_NET;	/* cannot be: cap counts every byte */
	else if (ts_unasked(&ss->s, ss->s.last ? ss->s.last : "greeting"))
		st = SMTP_PROTO;
	else if (ts_send(&ss->s, buf, len, TS_PUBLIC) < 0)
		st = SMTP_NET;
	tb_free(buf);
	if (st != SMTP_OK)
		return st;
	ss->ntrans++;
	if (rset && pipe) {
		/* its 4xx or 5xx changes nothing: MAIL's reply says what counts */
		st = smtp_reply(ss, r);
		if (st == SMTP_NET || st == SMTP_PROTO)
			return st;
	}
	return SMTP_OK;
}

int
smtp_rcpt(struct smtp_sess *ss, const char *addr)
{
	if (ss->ext.pipelining)
		return SMTP_OK;
	return ts_cmd(&ss->s, TS_PUBLIC, "RCPT TO:<%s>", addr) < 0 ? SMTP_NET : SMTP_OK;
}

int
smtp_data(struct smtp_sess *ss)
{
	if (ss->ext.pipelining)
		return SMTP_OK;
	return ts_cmd(&ss->s, TS_PUBLIC, "DATA") < 0 ? SMTP_NET : SMTP_OK;
}

int
smtp_data_abort(struct smtp_sess *ss, struct reply *r)
{
	if (ts_send(&ss->s, ".\r\n", 3, TS_PUBLIC) < 0)
		return SMTP_NET;
	return smtp_reply(ss, r);
}

int
smtp_wire(const uint8_t *m, size_t len, int cls, const struct smtp_ext *ext, uint8_t **wire,
    size_t *wlen, const char **why)
{
	static char whybuf[160];
	const uint8_t *src = m;
	size_t slen = len, line, n;
	uint8_t *conv = NULL;
	int r;

	if (((cls & MAIL_8BIT) && !ext->eightbit) || (cls & MAIL_LONG)) {
		/* RFC 6152: a 7-bit path gets quoted-printable; so do lines over 998 */
		n = mail_to_qp(NULL, 0, src, slen);
		if (n == 0) {
			*why = cls & MAIL_LONG ? "a line over 998 octets in a message that cannot be "
			    "converted to quoted-printable" :
			    "8-bit message, the server lacks 8BITMIME, and it cannot be converted";
			return -1;
		}
		if ((conv = tb_malloc(n)) == NULL) {
			*why = "out of memory";
			return -1;
		}
		mail_to_qp(conv, n, src, slen);
		src = conv;
		slen = n;
	}
	r = data_encode(NULL, 0, src, slen, &n, &line);
	if (r != DATA_OK) {
		snprintf(whybuf, sizeof whybuf, "message line %zu: %s", line, data_strerror(r));
		*why = whybuf;
		tb_free(conv);
		return -1;
	}
	if ((*wire = tb_malloc(n)) == NULL) {
		*why = "out of memory";
		tb_free(conv);
		return -1;
	}
	data_encode(*wire, n, src, slen, wlen, &line);
	tb_free(conv);
	return 0;
}

int
smtp_starttls(struct smtp_sess *ss, int when, int auth, struct tlsopt *o,
    struct tls_info *info, struct reply *r)
{
	char w[200];
	int must = when >= SMTP_TLS_MUST, st;

	if (when == SMTP_TLS_NEVER || (!ss->ext.starttls && !must))
		return SMTP_OK;
	if (!ss->ext.starttls) {
		if (when == SMTP_TLS_REQUIRED)
			snprintf(ss->s.why, sizeof ss->s.why, "%s offers no STARTTLS, and "
			    "--tls required", ss->s.peer);
		else
			snprintf(ss->s.why, sizeof ss->s.why, "%s offers no STARTTLS: no message%s "
			    "in clear to an address that is not loopback (--tls off sends it anyway)",
			    ss->s.peer, auth ? " and no password" : "");
		ts_quit(&ss->s, 1);
		return SMTP_PROTO;
	}
	if (ts_cmd(&ss->s, TS_PUBLIC, "STARTTLS") < 0)
		return SMTP_NET;
	if ((st = smtp_reply(ss, r)) != SMTP_OK)
		return st == SMTP_TEMP || st == SMTP_PERM ? (must ? st : SMTP_OK) : st;
	if (conn_ready(ss->s.c)) {
		snprintf(ss->s.why, sizeof ss->s.why, "STARTTLS: the server sent more after "
		    "its 220, before TLS began (an injected reply?): refused");
		return SMTP_PROTO;
	}
	if (tlsopt_start(ss->s.c, o, ss->s.peer, NULL, ss->s.lv, info, w, sizeof w) < 0) {
		snprintf(ss->s.why, sizeof ss->s.why, "TLS: %s", w);
		return SMTP_NET;
	}
	ss->tls = 1;
	return SMTP_OK;
}

int
smtp_tls_implicit(struct conn *c, struct tlsopt *o, const char *host, struct layers *lv,
    struct tls_info *info, char *why, size_t cap)
{
	char w[200];

	if (tlsopt_start(c, o, host, NULL, lv, info, w, sizeof w) == 0)
		return 0;
	snprintf(why, cap, "%s: TLS: %s", host, w);
	conn_close(c);
	return -1;
}

/* a write of the message failed or was stopped: why, alone */
static int
cut(struct smtp_sess *ss, int e)
{
	snprintf(ss->s.why, sizeof ss->s.why, "%s", tb_interrupted ? "interrupted" :
	    e == ETIMEDOUT ? "timed out sending the message" : strerror(e));
	return SMTP_NET;
}

int
smtp_body(struct smtp_sess *ss, const uint8_t *msg, size_t mlen, const uint8_t *wire,
    size_t wlen)
{
	struct conn *c = ss->s.c;
	struct layers *lv = ss->s.lv;
	size_t last, off, k;

	if (ss->s.transcript)
		fprintf(ss->s.transcript, "C: (message, %zu bytes)\nC: .\n", wlen - 3);
	if (lv) {
		lv_packet(lv, "sent message, %zu bytes", wlen);
		lv_layer(lv, "SMTP mail data (RFC 5321 4.5.2), %zu bytes", wlen);
		lv_field(lv, "end of data", "CRLF . CRLF");
		smtp_layers_message(lv, msg, mlen);
		lv_hex(lv, wire, wlen > 4096 ? 4096 : wlen);
		if (wlen > 4096)
			fprintf(lv->fp, "    (%zu more bytes)\n", wlen - 4096);
	}
	c->idle = ss->s.idle;
	c->deadline = ss->s.deadline;
	/*
	 * All but the last piece, then the last piece with the end of data
	 * in one write (a write of its own would wait on Nagle and the
	 * server's delayed ACK, some 40 ms a message).  A write that fails
	 * has not sent its last bytes: the end of data never went whole.
	 */
	last = wlen - 3 > PIECE ? (wlen - 3 - 1) / PIECE * PIECE : 0;
	for (off = 0; off < last; off += k) {
		if (tb_interrupted)
			return cut(ss, EINTR);
		k = last - off < PIECE ? last - off : PIECE;
		if (conn_write(c, wire + off, k) < 0)
			return cut(ss, errno);
	}
	if (tb_interrupted)
		return cut(ss, EINTR);
	if (conn_write(c, wire + last, wlen - last) < 0)
		return cut(ss, errno);
	ts_expect(&ss->s, "end of data");
	return SMTP_OK;
}

int
smtp_route(const char *dom, struct tb_mx *mx, int max, const char **why)
{
	size_t l = strlen(dom);
	int n;

	if (max < 1)
		return -2;
	if (dom[0] == '[') {
		/* an address literal: that host, no MX */
		snprintf(mx[0].host, sizeof mx[0].host, "%.*s", (int)(l > 2 ? l - 2 : 0), dom + 1);
		if (strncasecmp(mx[0].host, "IPv6:", 5) == 0)
			memmove(mx[0].host, mx[0].host + 5, strlen(mx[0].host + 5) + 1);
		mx[0].pref = 0;
		return 1;
	}
	n = tb_resolve_mx(dom, mx, max, why);
	if (n < 0)
		return n == -2 ? -2 : -1;
	if (n == 1 && (mx[0].host[0] == '\0' || strcmp(mx[0].host, ".") == 0))
		return 0;	/* RFC 7505 null MX: this domain takes no mail */
	if (n == 0) {
		/* RFC 5321 5.1: no MX, the domain itself is the host */
		mx[0].pref = 0;
		snprintf(mx[0].host, sizeof mx[0].host, "%s", dom);
		n = 1;
	}
	return n;
}
