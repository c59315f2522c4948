/* ftptls.c - FTPS (RFC 4217): AUTH TLS, PBSZ/PROT, TLS data connections (ftptls.h) */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ftptls.h"
#include "tls/tlsopt.h"
#include "tubes.h"
#include "view.h"

/* how long an upload's end waits for the server's close_notify, at most */
#define DRAIN_WAIT 2000000

/* the logins whose password is no secret (ftpsess.c's login sends "ftpget@") */
static int
anonymous(const char *user)
{
	return strcmp(user, "anonymous") == 0 || strcmp(user, "ftp") == 0;
}

int
ftptls_clear_refused(int mode, const struct tb_addr *peer, const char *user)
{
	if (mode == FTPTLS_REQUIRED || mode == FTPTLS_IMPLICIT)
		return 1;
	if (mode == FTPTLS_OFF)
		return 0;
	return !tb_addr_loopback(peer) && !anonymous(user);
}

void
ftptls_reset(struct ftptls *t)
{
	t->on = t->prot = 0;
	t->data = t->resumed = 0;
	memset(&t->info, 0, sizeof t->info);
	memset(&t->dinfo, 0, sizeof t->dinfo);
	tls_session_wipe(&t->sess);
}

/* -v: one line on the transcript's stream */
static void
note(struct ftps *s, const char *what, const struct tls_info *i)
{
	char line[200];

	if (s->transcript)
		fprintf(s->transcript, "%s: %s: %s\n", tb_prog, what,
		    tlsopt_str(i, line, sizeof line));
}

/* the handshake on the control connection; 0 or EXIT_NET (dropped) */
static int
control_tls(struct ftps *s)
{
	struct ftptls *t = s->tls;
	char why[200];
	int one = 1;

	/* FTP commands, like the handshake's flights, are whole writes */
	(void)setsockopt(s->c->rfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	t->o->resume = NULL;
	if (tlsopt_start(s->c, t->o, s->host, NULL, s->lv, &t->info, why, sizeof why) < 0) {
		ftps_say(s, "%s: TLS: %s", s->host, why);
		ftps_drop(s);
		return EXIT_NET;
	}
	t->on = 1;
	/* RFC 4217 and DESIGN.md: nothing the server said before TLS is kept */
	s->feat = s->mlst = 0;
	note(s, "TLS", &t->info);
	return 0;
}

int
ftptls_implicit(struct ftps *s)
{
	if (s->tls == NULL || s->tls->mode != FTPTLS_IMPLICIT)
		return 0;
	return control_tls(s);
}

int
ftptls_auth(struct ftps *s, struct reply *r, const char *user)
{
	struct ftptls *t = s->tls;
	char esc[320];
	int e;

	if (t == NULL || t->mode == FTPTLS_OFF || t->mode == FTPTLS_IMPLICIT)
		return 0;
	if ((e = ftps_cmd(s, r, "AUTH TLS")) != 0)
		return e;
	if (r->code == 234) {
		/* CVE-2011-0411: a reply queued behind the 234 would be read as if over TLS */
		if (conn_ready(s->c)) {
			ftps_say(s, "%s: AUTH TLS: the server sent more after its 234, before TLS "
			    "began (an injected reply?): refused", s->host);
			ftps_drop(s);
			return EXIT_NET;
		}
		return control_tls(s);
	}
	tb_escape_buf(esc, sizeof esc, r->text, strcspn(r->text, "\n") > 300 ? 300 :
	    strcspn(r->text, "\n"));
	if (!ftptls_clear_refused(t->mode, &s->peer, user)) {
		if (s->transcript)
			fprintf(s->transcript, "%s: %s: AUTH TLS refused (%d %s): going on in "
			    "clear\n", tb_prog, s->host, r->code, esc);
		return 0;
	}
	if (t->mode == FTPTLS_REQUIRED)
		ftps_say(s, "%s: AUTH TLS refused (%d %s), and --tls required", s->host,
		    r->code, esc);
	else
		ftps_say(s, "%s: no TLS (AUTH TLS: %d %s): not sending the password in clear "
		    "to an address that is not loopback (--tls off allows it, ftps:// uses TLS)",
		    s->host, r->code, esc);
	ftps_quit(s);
	return EXIT_NET;
}

/* PBSZ or PROT refused: fatal when TLS was asked for, else data in clear */
static int
prot_refused(struct ftps *s, const char *what, const struct reply *r)
{
	if (s->tls->mode == FTPTLS_REQUIRED || s->tls->mode == FTPTLS_IMPLICIT) {
		ftps_warn_reply(s, what, r);
		ftps_quit(s);
		return EXIT_NET;
	}
	ftps_warn_reply(s, what, r);
	ftps_say(s, "%s: the data connections go in clear (the control connection is TLS)",
	    s->host);
	return 0;
}

int
ftptls_prot(struct ftps *s, struct reply *r)
{
	struct ftptls *t = s->tls;
	int e;

	if (t == NULL || !t->on)
		return 0;
	/* RFC 4217 9: PBSZ 0 (no buffer for a stream protocol) before PROT */
	if ((e = ftps_cmd(s, r, "PBSZ 0")) != 0)
		return e;
	if (r->code != 200)
		return prot_refused(s, "PBSZ 0", r);
	if ((e = ftps_cmd(s, r, "PROT P")) != 0)
		return e;
	if (r->code != 200)
		return prot_refused(s, "PROT P", r);
	t->prot = 1;
	/*
	 * The session the data connections resume: its ticket came after
	 * the handshake (TLS 1.3) or in it (TLS 1.2), and the replies read
	 * since have taken it in.
	 */
	if (tls_session_get(s->c, &t->sess) < 0 && s->transcript)
		fprintf(s->transcript, "%s: %s: the server gave no TLS session to resume: "
		    "each data connection makes a full handshake\n", tb_prog, s->host);
	return 0;
}

/*
 * The key share group the control connection's handshake settled on:
 * offered first on the data connections, a server that wants another
 * than x25519 (vsftpd: P-256) needs no HelloRetryRequest on each.
 */
static int
control_group(const struct ftptls *t)
{
	static const int groups[] = { TLS_GROUP_P256, TLS_GROUP_P384 };
	size_t i;

	for (i = 0; t->info.group && i < sizeof groups / sizeof groups[0]; i++)
		if (strcmp(t->info.group, tls_group_name(groups[i])) == 0)
			return groups[i];
	return 0;
}

int
ftptls_data(struct ftps *s, struct ftpdata *d)
{
	struct ftptls *t = s->tls;
	char why[200];
	int r, one = 1;

	if (t == NULL || !t->prot || d->c == NULL || d->c->tp != NULL)
		return 0;
	/* the handshake's flights are whole writes: never held back for an ACK */
	(void)setsockopt(d->c->rfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	t->o->resume = t->sess.valid ? &t->sess : NULL;
	t->o->group = control_group(t);
	r = tlsopt_start(d->c, t->o, s->host, NULL, s->lv, &t->dinfo, why, sizeof why);
	t->o->resume = NULL;
	t->o->group = 0;
	if (r < 0) {
		ftps_say(s, "%s: data connection: TLS: %s", s->host, why);
		ftps_drop(s);	/* the server waits in its handshake, its reply to come */
		return EXIT_NET;
	}
	t->data++;
	t->resumed += t->dinfo.resumed != 0;
	note(s, "data connection TLS", &t->dinfo);
	return 0;
}

void
ftptls_data_end(struct ftpdata *d)
{
	uint8_t buf[4096];
	size_t left = 1 << 20;
	ssize_t n;

	if (d->c == NULL || d->c->tp == NULL || d->c->tp->shutdown == NULL)
		return;
	(void)d->c->tp->shutdown(d->c);
	if (d->c->idle < 0 || d->c->idle > DRAIN_WAIT)
		d->c->idle = DRAIN_WAIT;
	/* and DRAIN_WAIT in all: a server trickling its close must not hold us */
	d->c->deadline = tb_earliest(tb_now() + DRAIN_WAIT, d->c->deadline);
	/*
	 * Then read to the server's close_notify (or its close): a closing
	 * socket with unread bytes (a TLS 1.3 server's NewSessionTicket,
	 * never read on an upload) sends an RST, and the server may lose
	 * the end of the upload to it (vsftpd: "426 Failure reading network
	 * stream").  Bounded by DRAIN_WAIT as a whole and a megabyte.
	 */
	while (left > 0 && (n = conn_read(d->c, buf, sizeof buf)) > 0)
		left -= (size_t)n < left ? (size_t)n : left;
}

const char *
ftptls_data_why(struct ftpdata *d, int e)
{
	const char *w = d->c ? tls_error(d->c) : NULL;

	if (w)
		return w;
	return e == EINTR || tb_interrupted ? "interrupted" : e == ETIMEDOUT ? "timed out" :
	    strerror(e);
}
