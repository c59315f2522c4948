/*
 * tls13.c - the TLS 1.3 client handshake (RFC 8446 section 4) and key
 * schedule (section 7), the NSS key log, and the messages that come
 * after the handshake (NewSessionTicket, KeyUpdate).
 *
 * The key schedule is HKDF (crypto/hash.h) on secrets held in fixed
 * buffers; nothing here branches on a secret or indexes by one (the
 * Finished check is tb_ct_eq).  Every secret is wiped when the next
 * stage no longer needs it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "conn.h"
#include "crypto/c25519.h"
#include "crypto/ct.h"
#include "crypto/ec.h"
#include "crypto/hash.h"
#include "tls/tlsint.h"
#include "tls/x509.h"
#include "tls/x509_impl.h"
#include "tubes.h"
#include "wire.h"

/* --- the key schedule ------------------------------------------------------ */

const struct tb_hash *
tls13_suite_hash(uint16_t suite, size_t *keylen)
{
	switch (suite) {
	case 0x1301:
		*keylen = 16;
		return &tb_hash_sha256;
	case 0x1302:
		*keylen = 32;
		return &tb_hash_sha384;
	case 0x1303:
		*keylen = 32;
		return &tb_hash_sha256;
	}
	*keylen = 0;
	return NULL;
}

int
tls13_expand_label(const struct tb_hash *h, const uint8_t *secret, const char *label,
    const uint8_t *context, size_t clen, uint8_t *out, size_t olen)
{
	uint8_t info[2 + 1 + 255 + 1 + 255];
	size_t ll = strlen(label), n = 0;
	int r;

	if (6 + ll > 255 || clen > 255 || olen > 0xffff)
		return -1;
	put16(info, (uint16_t)olen);
	n = 2;
	info[n++] = (uint8_t)(6 + ll);
	memcpy(info + n, "tls13 ", 6);
	memcpy(info + n + 6, label, ll);
	n += 6 + ll;
	info[n++] = (uint8_t)clen;
	if (clen)
		memcpy(info + n, context, clen);
	n += clen;
	r = tb_hkdf_expand(h, secret, h->len, info, n, out, olen);
	tb_wipe(info, sizeof info);
	return r;
}

void
tls13_derive(const struct tb_hash *h, const uint8_t *secret, const char *label,
    const uint8_t *thash, uint8_t *out)
{
	(void)tls13_expand_label(h, secret, label, thash, h->len, out, h->len);
}

void
tls13_finished(const struct tb_hash *h, const uint8_t *base, const uint8_t *thash,
    uint8_t *out)
{
	uint8_t key[TB_HASH_MAX];

	(void)tls13_expand_label(h, base, "finished", NULL, 0, key, h->len);
	tb_hmac(h, key, h->len, thash, h->len, out);
	tb_wipe(key, sizeof key);
}

/* HKDF-Extract(salt, ikm), with a missing one as h->len zeros */
static void
extract(const struct tb_hash *h, const uint8_t *salt, const uint8_t *ikm, uint8_t *out)
{
	static const uint8_t zero[TB_HASH_MAX];

	tb_hkdf_extract(h, salt ? salt : zero, h->len, ikm ? ikm : zero, h->len, out);
}

/* Derive-Secret(s, "derived", "") */
static void
derived(const struct tb_hash *h, const uint8_t *secret, uint8_t *out)
{
	uint8_t e[TB_HASH_MAX];
	tb_hash_ctx c;

	h->init(&c);
	h->final(&c, e);
	tls13_derive(h, secret, "derived", e, out);
}

void
tls13_binder(const struct tb_hash *h, const uint8_t *psk, const uint8_t *thash,
    uint8_t *out, uint8_t *early)
{
	uint8_t es[TB_HASH_MAX], bk[TB_HASH_MAX], e[TB_HASH_MAX];
	tb_hash_ctx c;

	extract(h, NULL, psk, es);
	h->init(&c);
	h->final(&c, e);
	tls13_derive(h, es, "res binder", e, bk);
	tls13_finished(h, bk, thash, out);
	if (early)
		memcpy(early, es, h->len);
	tb_wipe(es, sizeof es);
	tb_wipe(bk, sizeof bk);
}

/* --- the key log (SSLKEYLOGFILE) ------------------------------------------- */

void
tls_keylog(const char *path, const char *label, const uint8_t *crandom,
    const uint8_t *secret, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	char line[64 + 1 + 64 + 1 + 96 + 2];
	size_t i, k;
	int fd;

	if (path == NULL || *path == '\0')
		return;
	k = strlen(label);
	memcpy(line, label, k);
	line[k++] = ' ';
	for (i = 0; i < 32; i++) {
		line[k++] = hx[crandom[i] >> 4];
		line[k++] = hx[crandom[i] & 15];
	}
	line[k++] = ' ';
	/* a table index by the secret, to write a file that holds it anyway */
	for (i = 0; i < n; i++) {
		line[k++] = hx[secret[i] >> 4];
		line[k++] = hx[secret[i] & 15];
	}
	line[k++] = '\n';
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd >= 0) {
		(void)tb_write_all(fd, line, k);
		close(fd);
	}
	tb_wipe(line, sizeof line);
}

/* --- the handshake's state ------------------------------------------------- */

static const uint8_t hrr_random[32] = {
	/* SHA-256("HelloRetryRequest"), RFC 8446 4.1.3 */
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02,
	0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e,
	0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c
};
/* the last 8 bytes of a TLS 1.2 ServerHello random from a 1.3 server (4.1.3) */
static const uint8_t downgrade12[8] = { 'D', 'O', 'W', 'N', 'G', 'R', 'D', 1 };

static const uint16_t suites_default[] = { 0x1301, 0x1302, 0x1303 };
static const uint16_t groups[] = { TLS_GROUP_X25519, TLS_GROUP_P256, TLS_GROUP_P384 };
/* signature schemes for CertificateVerify */
static const uint16_t sigalgs[] = { 0x0403, 0x0503, 0x0804, 0x0805, 0x0806, 0x0807 };
/* offered when TLS 1.2 is: PKCS#1 v1.5 for ServerKeyExchange too */
static const uint16_t sigalgs12[] = { 0x0403, 0x0503, 0x0804, 0x0805, 0x0806,
	0x0807, 0x0401, 0x0501, 0x0601 };
/* the TLS 1.2 suites, after the TLS 1.3 ones (RFC 5289, RFC 7905) */
static const uint16_t suites12[] = { 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8 };
/* and for the signatures in certificates, PKCS#1 v1.5 too */
static const uint16_t sigalgs_cert[] = { 0x0403, 0x0503, 0x0804, 0x0805, 0x0806,
	0x0807, 0x0401, 0x0501, 0x0601 };


void
tls_th_add(struct tls_hs *s, const uint8_t *p, size_t n)
{
	s->h->update(&s->th, p, n);
}

void
tls_th_now(struct tls_hs *s, uint8_t *out)
{
	tb_hash_ctx c = s->th;

	s->h->final(&c, out);
}

void
tls_view_msg(struct tls_hs *s, int from_server, const uint8_t *m, size_t n)
{
	if (s->t->lv) {
		(void)tls_view_hs(s->t->lv, from_server | (s->t->v12 ? 2 : 0), m, n);
		lv_hex(s->t->lv, m, n);
	}
}

static int
sent(const struct tls_hs *s, uint16_t type)
{
	size_t i;

	for (i = 0; i < s->nsent; i++)
		if (s->sent_ext[i] == type)
			return 1;
	return 0;
}

/* --- the ClientHello -------------------------------------------------------- */

static void
ext_begin(struct writer *w, uint16_t type, uint8_t **len)
{
	wr_u16(w, type);
	*len = wr_reserve(w, 2);
}

static void
ext_end(struct writer *w, uint8_t *len)
{
	if (!w->bad)
		put16(len, (uint16_t)(w->buf + w->len - len - 2));
}

static void
u16_list(struct writer *w, const uint16_t *v, size_t n)
{
	size_t i;

	wr_u16(w, (uint16_t)(2 * n));
	for (i = 0; i < n; i++)
		wr_u16(w, v[i]);
}

/* build the extension of this type as the client sends it */
static int
tls_ext_build(struct tls_hs *s, struct writer *w, uint16_t type)
{
	const struct tls_config *cfg = s->cfg;
	uint8_t *len, *l2;
	const char *p, *q;

	switch (type) {
	case TLS_EXT_SERVER_NAME:
		ext_begin(w, type, &len);
		l2 = wr_reserve(w, 2);
		wr_u8(w, 0);	/* host_name */
		wr_u16(w, (uint16_t)strlen(cfg->sni));
		wr_bytes(w, cfg->sni, strlen(cfg->sni));
		ext_end(w, l2);
		ext_end(w, len);
		break;
	case TLS_EXT_SUPPORTED_VERSIONS:
		ext_begin(w, type, &len);
		wr_u8(w, s->offer12 ? 4 : 2);
		wr_u16(w, TLS_V13);
		if (s->offer12)
			wr_u16(w, TLS_V12);
		ext_end(w, len);
		break;
	case TLS_EXT_EC_POINT_FORMATS:
		/* uncompressed only (RFC 8422 5.1.2) */
		ext_begin(w, type, &len);
		wr_u8(w, 1);
		wr_u8(w, 0);
		ext_end(w, len);
		break;
	case TLS_EXT_EXTENDED_MASTER_SECRET:
		ext_begin(w, type, &len);
		ext_end(w, len);
		break;
	case TLS_EXT_SESSION_TICKET:
		/* a TLS 1.2 session's ticket, or empty: we take new ones */
		ext_begin(w, type, &len);
		if (s->sess12)
			wr_bytes(w, s->sess12->ticket.ticket, s->sess12->ticket.len);
		ext_end(w, len);
		break;
	case TLS_EXT_RENEGOTIATION_INFO:
		/* an empty renegotiated_connection: a first handshake (RFC 5746 3.4) */
		ext_begin(w, type, &len);
		wr_u8(w, 0);
		ext_end(w, len);
		break;
	case TLS_EXT_SUPPORTED_GROUPS:
		ext_begin(w, type, &len);
		u16_list(w, groups, sizeof groups / sizeof groups[0]);
		ext_end(w, len);
		break;
	case TLS_EXT_KEY_SHARE:
		ext_begin(w, type, &len);
		l2 = wr_reserve(w, 2);
		wr_u16(w, s->group);
		if (s->group == TLS_GROUP_X25519) {
			wr_u16(w, 32);
			wr_bytes(w, s->xpub, 32);
		} else {
			wr_u16(w, (uint16_t)tls_ec_publen(s->group));
			wr_bytes(w, s->ppub, tls_ec_publen(s->group));
		}
		ext_end(w, l2);
		ext_end(w, len);
		break;
	case TLS_EXT_SIGNATURE_ALGORITHMS:
		ext_begin(w, type, &len);
		if (s->offer12)
			u16_list(w, sigalgs12, sizeof sigalgs12 / sizeof sigalgs12[0]);
		else
			u16_list(w, sigalgs, sizeof sigalgs / sizeof sigalgs[0]);
		ext_end(w, len);
		break;
	case TLS_EXT_SIGNATURE_ALGORITHMS_CERT:
		ext_begin(w, type, &len);
		u16_list(w, sigalgs_cert, sizeof sigalgs_cert / sizeof sigalgs_cert[0]);
		ext_end(w, len);
		break;
	case TLS_EXT_ALPN:
		ext_begin(w, type, &len);
		l2 = wr_reserve(w, 2);
		for (p = cfg->alpn; *p; p = *q ? q + 1 : q) {
			q = strchr(p, ',');
			if (q == NULL)
				q = p + strlen(p);
			wr_u8(w, (uint8_t)(q - p));
			wr_bytes(w, p, (size_t)(q - p));
		}
		ext_end(w, l2);
		ext_end(w, len);
		break;
	case TLS_EXT_PSK_KEX_MODES:
		ext_begin(w, type, &len);
		wr_u8(w, 1);
		wr_u8(w, 1);	/* psk_dhe_ke */
		ext_end(w, len);
		break;
	case TLS_EXT_COOKIE:
		ext_begin(w, type, &len);
		wr_u16(w, (uint16_t)s->cookielen);
		wr_bytes(w, s->cookie, s->cookielen);
		ext_end(w, len);
		break;
	default:
		return -1;
	}
	return 0;
}

static int
tls_sni_usable(const char *sni)
{
	struct tb_addr a;
	size_t i, n;

	if (sni == NULL || (n = strlen(sni)) == 0 || n > 253)
		return 0;
	/* RFC 6066 3: literal IP addresses are not permitted in "HostName" */
	if (tb_addr_parse(sni, &a) == 0)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)sni[i] <= 0x20 || sni[i] == 0x7f)
			return 0;
	return 1;
}

static void psk_ext(struct tls_hs *, struct writer *);

static int
build_ch(struct tls_hs *s)
{
	const struct tls_test *tt = s->cfg->test;
	struct writer w;
	uint8_t *exts, *l24;
	static const uint16_t order[] = { TLS_EXT_SERVER_NAME, TLS_EXT_SUPPORTED_VERSIONS,
		TLS_EXT_SUPPORTED_GROUPS, TLS_EXT_KEY_SHARE, TLS_EXT_SIGNATURE_ALGORITHMS,
		TLS_EXT_SIGNATURE_ALGORITHMS_CERT, TLS_EXT_ALPN, TLS_EXT_PSK_KEX_MODES,
		TLS_EXT_COOKIE, TLS_EXT_EC_POINT_FORMATS, TLS_EXT_EXTENDED_MASTER_SECRET,
		TLS_EXT_SESSION_TICKET, TLS_EXT_RENEGOTIATION_INFO };
	size_t i, n;

	wr_init(&w, s->ch, sizeof s->ch);
	wr_u8(&w, TLS_HS_CLIENT_HELLO);
	l24 = wr_reserve(&w, 3);
	wr_u16(&w, 0x0303);	/* legacy_version */
	wr_bytes(&w, s->random, 32);
	wr_u8(&w, (uint8_t)s->sidlen);
	wr_bytes(&w, s->sid, s->sidlen);
	u16_list(&w, s->suites, s->nsuites);
	wr_u8(&w, 1);
	wr_u8(&w, 0);		/* legacy_compression_methods: null */
	exts = wr_reserve(&w, 2);
	s->nsent = 0;
	if (tt && tt->exts) {
		for (i = 0; i < tt->nexts && i < 32; i++) {
			if (tt->exts[i].body) {
				wr_u16(&w, tt->exts[i].type);
				wr_u16(&w, (uint16_t)tt->exts[i].len);
				wr_bytes(&w, tt->exts[i].body, tt->exts[i].len);
			} else if (tls_ext_build(s, &w, tt->exts[i].type) < 0)
				return -1;
			s->sent_ext[s->nsent++] = tt->exts[i].type;
		}
	} else {
		for (i = 0; i < sizeof order / sizeof order[0]; i++) {
			if ((order[i] == TLS_EXT_SERVER_NAME && !tls_sni_usable(s->cfg->sni)) ||
			    (order[i] == TLS_EXT_ALPN && (s->cfg->alpn == NULL ||
			    *s->cfg->alpn == '\0')) ||
			    (order[i] == TLS_EXT_COOKIE && s->cookielen == 0))
				continue;
			/* the TLS 1.3 ones in a 1.2-only hello, and the reverse */
			if (!s->offer13 && (order[i] == TLS_EXT_SUPPORTED_VERSIONS ||
			    order[i] == TLS_EXT_KEY_SHARE || order[i] == TLS_EXT_PSK_KEX_MODES))
				continue;
			if (!s->offer12 && (order[i] == TLS_EXT_EC_POINT_FORMATS ||
			    order[i] == TLS_EXT_EXTENDED_MASTER_SECRET ||
			    order[i] == TLS_EXT_SESSION_TICKET ||
			    order[i] == TLS_EXT_RENEGOTIATION_INFO))
				continue;
			if (tls_ext_build(s, &w, order[i]) < 0)
				return -1;
			s->sent_ext[s->nsent++] = order[i];
		}
	}
	/*
	 * pre_shared_key goes last (4.2.11), and after a HelloRetryRequest
	 * only if the suite it chose has the PSK's hash
	 */
	s->psk_sent = s->psk != NULL && (s->h == NULL || s->h == s->psk_h);
	if (s->psk_sent) {
		psk_ext(s, &w);
		s->sent_ext[s->nsent++] = TLS_EXT_PRE_SHARED_KEY;
	}
	if (w.bad)
		return -1;
	put16(exts, (uint16_t)(w.len - (size_t)(exts - s->ch) - 2));
	n = w.len - 4;
	l24[0] = (uint8_t)(n >> 16);
	l24[1] = (uint8_t)(n >> 8);
	l24[2] = (uint8_t)n;
	s->chlen = w.len;
	if (s->psk_sent) {
		const struct tb_hash *h = s->psk_h;
		uint8_t th[TB_HASH_MAX];
		tb_hash_ctx hc;

		/*
		 * the binder: the transcript up to the ClientHello without its
		 * binders list (the lengths above already count it), after a
		 * HelloRetryRequest the message_hash and the HRR first (4.2.11.2)
		 */
		if (s->h == NULL)
			h->init(&hc);
		else
			hc = s->th;
		h->update(&hc, s->ch, w.len - 3 - h->len);
		h->final(&hc, th);
		tls13_binder(h, s->psk->ticket.psk, th, s->ch + w.len - h->len, NULL);
	}
	return 0;
}

/*
 * The pre_shared_key extension with one identity, the ticket, and a
 * binder of zeros that build_ch fills in when the lengths are known.
 * The age is in milliseconds, added to the server's age_add (4.2.11.1).
 */
static void
psk_ext(struct tls_hs *s, struct writer *w)
{
	const struct tls_ticket *k = &s->psk->ticket;
	uint32_t age = (uint32_t)((tb_now() - k->received) / 1000);
	uint8_t *len, *b;

	ext_begin(w, TLS_EXT_PRE_SHARED_KEY, &len);
	wr_u16(w, (uint16_t)(2 + k->len + 4));
	wr_u16(w, (uint16_t)k->len);
	wr_bytes(w, k->ticket, k->len);
	wr_u32(w, age + k->age_add);
	wr_u16(w, (uint16_t)(1 + s->psk_h->len));
	wr_u8(w, (uint8_t)s->psk_h->len);
	if ((b = wr_reserve(w, s->psk_h->len)) != NULL)
		memset(b, 0, s->psk_h->len);
	ext_end(w, len);
}

/* the ALPN list must be 1..255-byte names, and fit */
static int
alpn_ok(const char *alpn)
{
	const char *p, *q;
	size_t total = 0;

	if (alpn == NULL || *alpn == '\0')
		return 1;
	for (p = alpn; ; p = q + 1) {
		q = strchr(p, ',');
		if (q == NULL)
			q = p + strlen(p);
		if (q == p || q - p > 255)
			return 0;
		total += (size_t)(q - p) + 1;
		if (*q == '\0')
			break;
	}
	return total < 1024;
}

/* a fresh EC key pair from random bytes (a scalar out of range: again) */
int
tls_ec_keypair(struct tls_hs *s)
{
	size_t k = s->group == TLS_GROUP_P384 ? 48 : 32;
	int i, r;

	for (i = 0; i < 16; i++) {
		if (tb_random(s->ppriv, k) < 0)
			return -1;
		r = k == 48 ? tb_p384_pubkey(s->ppub, s->ppriv) :
		    tb_p256_pubkey(s->ppub, s->ppriv);
		if (r == 0)
			return 0;
	}
	return -1;
}

size_t
tls_ec_publen(uint16_t group)
{
	return group == TLS_GROUP_P256 ? 65 : group == TLS_GROUP_P384 ? 97 : 0;
}

size_t
tls_ec_shared(struct tls_hs *s, uint8_t out[48], const uint8_t *peer, size_t plen)
{
	if (s->group == TLS_GROUP_P384)
		return tb_p384_ecdh(out, s->ppriv, peer, plen) < 0 ? 0 : 48;
	return tb_p256_ecdh(out, s->ppriv, peer, plen) < 0 ? 0 : 32;
}

/* --- reading the server's messages ----------------------------------------- */

/* the next handshake message, which must be of type want (or want2) */
int
tls_next_msg(struct tls_hs *s, int want, int want2, const uint8_t **m, size_t *n)
{
	int r;

	r = tls_hs_next(s->t, m, n);
	if (r == 0)
		return tls_fail(s->t, -1, "server closed the connection during the handshake");
	if (r < 0)
		return -1;
	tls_view_msg(s, 1, *m, *n);
	if ((*m)[0] != want && (*m)[0] != want2)
		return tls_fail(s->t, TLS_AL_UNEXPECTED_MESSAGE,
		    "server sent %s where %s was due", tls_hs_name((*m)[0]),
		    tls_hs_name(want));
	return 0;
}


int
tls_parse_exts(struct tls_hs *s, struct cursor *c, struct ext *e, size_t *ne, const char *what)
{
	size_t total, i, j, n = 0;
	struct cursor x;
	const uint8_t *p;

	total = cur_u16(c);
	p = cur_take(c, total);
	if (c->bad)
		return tls_fail(s->t, TLS_AL_DECODE_ERROR, "malformed %s", what);
	cur_init(&x, p, total);
	while (cur_left(&x) > 0) {
		if (n == EXT_MAX)
			return tls_fail(s->t, TLS_AL_DECODE_ERROR,
			    "too many extensions in %s", what);
		e[n].type = cur_u16(&x);
		e[n].len = cur_u16(&x);
		e[n].p = cur_take(&x, e[n].len);
		if (x.bad)
			return tls_fail(s->t, TLS_AL_DECODE_ERROR,
			    "malformed extension in %s", what);
		n++;
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (e[i].type == e[j].type)
				return tls_fail(s->t, TLS_AL_ILLEGAL_PARAMETER,
				    "%s repeats extension %s", what, tls_ext_name(e[i].type));
	*ne = n;
	return 0;
}

static int
suite_offered(const struct tls_hs *s, uint16_t suite)
{
	size_t i, kl;

	for (i = 0; i < s->nsuites; i++)
		if (s->suites[i] == suite)
			return tls13_suite_hash(suite, &kl) != NULL;
	return 0;
}

/*
 * ServerHello or HelloRetryRequest.  1 for a HelloRetryRequest (handled:
 * a new ClientHello went out), 0 for a ServerHello (the shared secret in
 * ecdhe), -1 error.
 */
static int
server_hello(struct tls_hs *s, const uint8_t *m, size_t n, uint8_t *ecdhe, size_t *elen)
{
	struct tls_ctx *t = s->t;
	struct cursor c;
	struct ext e[EXT_MAX];
	const uint8_t *rnd, *sid, *share = NULL;
	size_t ne = 0, sidlen, i, sharelen = 0, kl;
	uint16_t legacy, suite, version = 0, group = 0;
	uint8_t comp;
	int is_hrr, have_ks = 0;

	cur_init(&c, m + 4, n - 4);
	legacy = cur_u16(&c);
	rnd = cur_take(&c, 32);
	sidlen = cur_u8(&c);
	sid = cur_take(&c, sidlen);
	suite = cur_u16(&c);
	comp = cur_u8(&c);
	if (c.bad || sidlen > 32)
		return tls_fail(t, TLS_AL_DECODE_ERROR, "malformed ServerHello");
	is_hrr = memcmp(rnd, hrr_random, 32) == 0;
	if (cur_left(&c) > 0 && tls_parse_exts(s, &c, e, &ne, "ServerHello") < 0)
		return -1;
	if (cur_left(&c) != 0)
		return tls_fail(t, TLS_AL_DECODE_ERROR, "bytes after the ServerHello");
	for (i = 0; i < ne; i++)
		if (e[i].type == TLS_EXT_SUPPORTED_VERSIONS) {
			if (e[i].len != 2)
				return tls_fail(t, TLS_AL_DECODE_ERROR,
				    "malformed supported_versions");
			version = get16(e[i].p);
		}
	if (version != 0 && !s->offer13)
		return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER,
		    "server chose version 0x%04x, which was not offered", version);
	if (version == 0) {
		/* a server below TLS 1.3: it picked from legacy_version */
		if (s->offer13 && legacy == TLS_V12 && memcmp(rnd + 24, downgrade12, 8) == 0)
			return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER, "server chose TLS 1.2, and its "
			    "random carries the TLS 1.3 downgrade sentinel (an attack?)");
		if (legacy == TLS_V12 && s->offer12)
			return 2;
		if (legacy == TLS_V12)
			return tls_fail(t, TLS_AL_PROTOCOL_VERSION,
			    "server chose TLS 1.2 (only TLS 1.3 is enabled)");
		return tls_fail(t, TLS_AL_PROTOCOL_VERSION,
		    "server chose version 0x%04x (only TLS %s is enabled)", legacy,
		    s->offer12 && s->offer13 ? "1.2 and 1.3" : s->offer12 ? "1.2" : "1.3");
	}
	if (version != TLS_V13 || legacy != TLS_V12)
		return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER,
		    "server chose version 0x%04x, which was not offered", version);
	if (sidlen != s->sidlen || memcmp(sid, s->sid, sidlen) != 0)
		return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER,
		    "ServerHello's legacy_session_id_echo is not our session id");
	if (comp != 0)
		return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER, "ServerHello chose compression");
	if (!suite_offered(s, suite))
		return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER,
		    "server chose cipher suite 0x%04x, which was not offered", suite);
	if (s->h != NULL && suite != t->suite)
		return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER,
		    "ServerHello's cipher suite is not the HelloRetryRequest's");
	for (i = 0; i < ne; i++) {
		switch (e[i].type) {
		case TLS_EXT_SUPPORTED_VERSIONS:
			break;
		case TLS_EXT_KEY_SHARE:
			have_ks = 1;
			if (e[i].len < 2)
				return tls_fail(t, TLS_AL_DECODE_ERROR, "malformed key_share");
			group = get16(e[i].p);
			if (is_hrr) {
				if (e[i].len != 2)
					return tls_fail(t, TLS_AL_DECODE_ERROR,
					    "malformed key_share");
				break;
			}
			if (e[i].len < 4 || get16(e[i].p + 2) != e[i].len - 4)
				return tls_fail(t, TLS_AL_DECODE_ERROR, "malformed key_share");
			share = e[i].p + 4;
			sharelen = e[i].len - 4;
			break;
		case TLS_EXT_COOKIE:
			if (!is_hrr)
				goto unsupported;
			if (e[i].len < 3 || get16(e[i].p) != e[i].len - 2 ||
			    e[i].len - 2 > COOKIE_MAX)
				return tls_fail(t, TLS_AL_DECODE_ERROR,
				    "malformed or oversized cookie");
			memcpy(s->cookie, e[i].p + 2, e[i].len - 2);
			s->cookielen = e[i].len - 2;
			break;
		case TLS_EXT_PRE_SHARED_KEY:
			/* the session offered, taken (4.2.11) */
			if (is_hrr || !s->psk_sent)
				goto unsupported;
			if (e[i].len != 2)
				return tls_fail(t, TLS_AL_DECODE_ERROR, "malformed pre_shared_key");
			if (get16(e[i].p) != 0)
				return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER,
				    "server selected PSK identity %u, but one was offered",
				    get16(e[i].p));
			if (tls13_suite_hash(suite, &kl) != s->psk_h)
				return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER, "server resumed the "
				    "session with a cipher suite of another hash");
			s->psk_taken = 1;
			break;
		default:
unsupported:
			return tls_fail(t, TLS_AL_UNSUPPORTED_EXTENSION,
			    "server sent extension %s in its %s, which was not asked for",
			    tls_ext_name(e[i].type), is_hrr ? "HelloRetryRequest" : "ServerHello");
		}
	}
	t->suite = suite;
	if (s->h == NULL) {
		/* the hash is known now: start the transcript */
		s->h = tls13_suite_hash(suite, &kl);
		s->h->init(&s->th);
		if (is_hrr) {
			uint8_t mh[4 + TB_HASH_MAX];

			/* message_hash: the first ClientHello stands in as its hash (4.4.1) */
			mh[0] = TLS_HS_MESSAGE_HASH;
			mh[1] = mh[2] = 0;
			mh[3] = (uint8_t)s->h->len;
			s->h->update(&s->th, s->ch, s->chlen);
			s->h->final(&s->th, mh + 4);
			s->h->init(&s->th);
			tls_th_add(s, mh, 4 + s->h->len);
		} else
			tls_th_add(s, s->ch, s->chlen);
	}
	tls_th_add(s, m, n);
	if (is_hrr) {
		if (s->hrr)
			return tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE,
			    "a second HelloRetryRequest");
		s->hrr = 1;
		if (!have_ks && s->cookielen == 0)
			return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER,
			    "HelloRetryRequest that would change nothing");
		if (have_ks) {
			if (group == s->group || (group != TLS_GROUP_X25519 &&
			    tls_ec_publen(group) == 0))
				return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER,
				    "HelloRetryRequest asks for group 0x%04x", group);
			s->group = group;
			if (group != TLS_GROUP_X25519 && tls_ec_keypair(s) < 0)
				return tls_fail(t, TLS_AL_INTERNAL_ERROR, "no random bytes");
			if (group == TLS_GROUP_X25519) {
				if (tb_random(s->xpriv, 32) < 0)
					return tls_fail(t, TLS_AL_INTERNAL_ERROR, "no random bytes");
				tb_x25519_base(s->xpub, s->xpriv);
			}
		}
		if (build_ch(s) < 0)
			return tls_fail(t, TLS_AL_INTERNAL_ERROR, "ClientHello too long");
		/* the middlebox-compatibility ChangeCipherSpec goes first (D.4) */
		if (s->sidlen > 0 && !s->ccs_sent) {
			static const uint8_t one = 1;

			s->ccs_sent = 1;
			if (tls_rec_send(t, TLS_CT_CCS, &one, 1) < 0)
				return -1;
		}
		tls_view_msg(s, 0, s->ch, s->chlen);
		tls_th_add(s, s->ch, s->chlen);
		if (tls_rec_send(t, TLS_CT_HANDSHAKE, s->ch, s->chlen) < 0)
			return -1;
		return 1;
	}
	if (!have_ks || group != s->group)
		return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER,
		    have_ks ? "server chose group 0x%04x, which was not offered" :
		    "ServerHello without a key_share", group);
	if (group == TLS_GROUP_X25519) {
		if (sharelen != 32)
			return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER, "bad x25519 key share");
		if (tb_x25519(ecdhe, s->xpriv, share) < 0)
			return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER,
			    "server's x25519 key share is of small order");
		*elen = 32;
	} else {
		if ((*elen = tls_ec_shared(s, ecdhe, share, sharelen)) == 0)
			return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER,
			    "server's %s key share is not a point of the curve",
			    tls_group_name(group));
	}
	tb_wipe(s->xpriv, sizeof s->xpriv);
	tb_wipe(s->ppriv, sizeof s->ppriv);
	return 0;
}

/* exactly one protocol, one we offered (RFC 7301 3.1) */
int
tls_alpn_check(struct tls_hs *s, const uint8_t *ep, size_t elen)
{
	struct tls_ctx *t = s->t;
	const char *p, *q;
	size_t l;
	int found;

	if (elen < 3 || get16(ep) != elen - 2 || ep[2] != elen - 3 || ep[2] == 0)
		return tls_fail(t, TLS_AL_DECODE_ERROR, "malformed ALPN");
	l = ep[2];
	found = 0;
	if (s->cfg->alpn)
		for (p = s->cfg->alpn; ; p = q + 1) {
			q = strchr(p, ',');
			if (q == NULL)
				q = p + strlen(p);
			if ((size_t)(q - p) == l && memcmp(p, ep + 3, l) == 0)
				found = 1;
			if (*q == '\0')
				break;
		}
	if (!found)
		return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER,
		    "server chose an ALPN protocol that was not offered");
	if (l < sizeof s->info->alpn) {
		memcpy(s->info->alpn, ep + 3, l);
		s->info->alpn[l] = '\0';
	}
	return 0;
}

static int
encrypted_extensions(struct tls_hs *s, const uint8_t *m, size_t n)
{
	struct tls_ctx *t = s->t;
	struct ext e[EXT_MAX];
	struct cursor c;
	size_t ne, i;

	cur_init(&c, m + 4, n - 4);
	if (tls_parse_exts(s, &c, e, &ne, "EncryptedExtensions") < 0)
		return -1;
	if (cur_left(&c) != 0)
		return tls_fail(t, TLS_AL_DECODE_ERROR, "bytes after EncryptedExtensions");
	for (i = 0; i < ne; i++) {
		if (!sent(s, e[i].type) || e[i].type == TLS_EXT_KEY_SHARE ||
		    e[i].type == TLS_EXT_SUPPORTED_VERSIONS || e[i].type == TLS_EXT_COOKIE ||
		    e[i].type == TLS_EXT_PSK_KEX_MODES ||
		    e[i].type == TLS_EXT_SIGNATURE_ALGORITHMS ||
		    e[i].type == TLS_EXT_SIGNATURE_ALGORITHMS_CERT ||
		    e[i].type == TLS_EXT_EC_POINT_FORMATS ||
		    e[i].type == TLS_EXT_EXTENDED_MASTER_SECRET ||
		    e[i].type == TLS_EXT_RENEGOTIATION_INFO)
			return tls_fail(t, TLS_AL_UNSUPPORTED_EXTENSION,
			    "server sent extension %s in EncryptedExtensions, which "
			    "was not asked for", tls_ext_name(e[i].type));
		if (e[i].type == TLS_EXT_ALPN && tls_alpn_check(s, e[i].p, e[i].len) < 0)
			return -1;
	}
	return 0;
}

/* the alert that fits a chain's failure */
static int
chain_alert(const char *why)
{
	if (strstr(why, "expired") || strstr(why, "not yet valid"))
		return TLS_AL_CERTIFICATE_EXPIRED;
	if (strstr(why, "unknown issuer") || strstr(why, "self-signed"))
		return TLS_AL_UNKNOWN_CA;
	if (strstr(why, "does not match"))
		return TLS_AL_CERTIFICATE_UNKNOWN;
	return TLS_AL_BAD_CERTIFICATE;
}

/* the certificate_list of a Certificate message (m, n) */
static int
cert_list(struct tls_hs *s, const uint8_t *m, size_t n, const uint8_t **certs,
    size_t *lens, size_t *ncp)
{
	struct tls_ctx *t = s->t;
	size_t nc = 0, total, l, el;
	struct cursor c, x;
	const uint8_t *p;

	cur_init(&c, m + 4, n - 4);
	/* TLS 1.2 (RFC 5246 7.4.2): no context, no extensions per certificate */
	l = t->v12 ? 0 : cur_u8(&c);
	cur_skip(&c, l);
	if (l != 0)
		return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER,
		    "Certificate with a certificate_request_context");
	total = (size_t)cur_u8(&c) << 16;
	total |= cur_u16(&c);
	p = cur_take(&c, total);
	if (c.bad || cur_left(&c) != 0)
		return tls_fail(t, TLS_AL_DECODE_ERROR, "malformed Certificate");
	cur_init(&x, p, total);
	while (cur_left(&x) > 0) {
		l = (size_t)cur_u8(&x) << 16;
		l |= cur_u16(&x);
		p = cur_take(&x, l);
		el = t->v12 ? 0 : cur_u16(&x);
		cur_skip(&x, el);
		if (x.bad || l == 0)
			return tls_fail(t, TLS_AL_DECODE_ERROR, "malformed Certificate");
		if (nc == MAX_CERTS)
			return tls_fail(t, TLS_AL_BAD_CERTIFICATE,
			    "server sent more than %d certificates", MAX_CERTS);
		certs[nc] = p;
		lens[nc++] = l;
	}
	*ncp = nc;
	return 0;
}

int
tls_certificate(struct tls_hs *s, const uint8_t *m, size_t n)
{
	struct tls_ctx *t = s->t;
	const uint8_t *certs[MAX_CERTS];
	size_t lens[MAX_CERTS], nc = 0, i;
	const char *why;
	int r;

	if ((s->certmsg = tb_malloc(n)) == NULL)
		return tls_fail(t, TLS_AL_INTERNAL_ERROR, "out of memory");
	memcpy(s->certmsg, m, n);
	s->certlen = n;
	if (cert_list(s, s->certmsg, n, certs, lens, &nc) < 0)
		return -1;
	if (nc == 0)
		return tls_fail(t, TLS_AL_DECODE_ERROR, "server sent no certificate");
	s->info->nchain = nc;
	for (i = 0; i < nc && i < TLS_CHAIN_MAX; i++) {
		struct tb_x509 x;

		if (tb_x509_parse(&x, certs[i], lens[i], &why) == 0)
			x509_name_str(&x.subject, 0, s->info->chain[i], sizeof s->info->chain[i]);
	}
	memset(&s->v, 0, sizeof s->v);
	s->v.host = s->cfg->host ? s->cfg->host : s->cfg->sni;
	s->v.now = s->cfg->now ? s->cfg->now : tb_wall() / 1000000;
	s->v.lv = t->lv;
	if (s->cfg->trust)
		r = tb_x509_verify_chain(s->cfg->trust, certs, lens, nc, &s->v);
	else {
		snprintf(s->v.why, sizeof s->v.why, "no trust anchors to check the "
		    "certificate against");
		r = -1;
	}
	s->have_leaf = tb_x509_parse(&s->v.leaf, certs[0], lens[0], &why) == 0;
	if (!s->have_leaf)
		return tls_fail(t, TLS_AL_BAD_CERTIFICATE, "server's certificate: %s", why);
	tb_sha256(s->v.leaf.spki.p, s->v.leaf.spki.len, s->info->spki_sha256);
	s->info->have_spki = 1;
	if (r == 0) {
		s->info->verified = 1;
		return 0;
	}
	snprintf(s->info->verify_why, sizeof s->info->verify_why, "%s",
	    s->v.why[0] ? s->v.why : "certificate chain not verified");
	if (s->cfg->insecure)
		return 0;
	return tls_fail(t, chain_alert(s->info->verify_why), "%s", s->info->verify_why);
}

static int
certificate_verify(struct tls_hs *s, const uint8_t *m, size_t n)
{
	static const char ctx[] = "TLS 1.3, server CertificateVerify";
	uint8_t content[64 + sizeof ctx + TB_HASH_MAX];
	struct cursor c;
	const uint8_t *sig;
	uint16_t scheme;
	size_t sl, i;
	int ok = 0;

	cur_init(&c, m + 4, n - 4);
	scheme = cur_u16(&c);
	sl = cur_u16(&c);
	sig = cur_take(&c, sl);
	if (c.bad || cur_left(&c) != 0)
		return tls_fail(s->t, TLS_AL_DECODE_ERROR, "malformed CertificateVerify");
	for (i = 0; i < sizeof sigalgs / sizeof sigalgs[0]; i++)
		ok |= sigalgs[i] == scheme;
	if (!ok)
		return tls_fail(s->t, TLS_AL_ILLEGAL_PARAMETER,
		    "server signed with %s, which was not offered", tls_sigscheme_name(scheme));
	memset(content, 0x20, 64);
	memcpy(content + 64, ctx, sizeof ctx);	/* with its NUL: the 0 separator */
	tls_th_now(s, content + 64 + sizeof ctx);
	if ((s->cfg->test && s->cfg->test->verify_sig ? s->cfg->test->verify_sig :
	    tb_x509_verify_sig)(&s->v.leaf, scheme, content, 64 + sizeof ctx + s->h->len,
	    sig, sl) != 0)
		return tls_fail(s->t, TLS_AL_DECRYPT_ERROR,
		    "server's CertificateVerify (%s) does not check out with its "
		    "certificate's key", tls_sigscheme_name(scheme));
	s->info->sig_scheme = scheme;
	return 0;
}

/* the state of tls_start, wiped on the way out */
static void
hs_wipe(struct tls_hs *s)
{
	if (s->certmsg) {
		tb_wipe(s->certmsg, s->certlen);
		tb_free(s->certmsg);
	}
	tb_wipe(s, sizeof *s);
}

/* [CertificateRequest], Certificate, CertificateVerify */
static int
server_auth(struct tls_hs *s)
{
	struct tls_ctx *t = s->t;
	const uint8_t *m;
	size_t n;

	if (tls_next_msg(s, TLS_HS_CERTIFICATE, TLS_HS_CERTIFICATE_REQUEST, &m, &n) < 0)
		return -1;
	if (m[0] == TLS_HS_CERTIFICATE_REQUEST) {
		/* no client certificate: an empty Certificate answers it */
		s->certreq = 1;
		s->certreq_ctxlen = n > 4 ? m[4] : 0;
		if (n < 5 + s->certreq_ctxlen)
			return tls_fail(t, TLS_AL_DECODE_ERROR, "malformed CertificateRequest");
		memcpy(s->certreq_ctx, m + 5, s->certreq_ctxlen);
		tls_th_add(s, m, n);
		if (tls_next_msg(s, TLS_HS_CERTIFICATE, -1, &m, &n) < 0)
			return -1;
	}
	if (tls_certificate(s, m, n) < 0)
		return -1;
	tls_th_add(s, m, n);
	if (tls_next_msg(s, TLS_HS_CERTIFICATE_VERIFY, -1, &m, &n) < 0 ||
	    certificate_verify(s, m, n) < 0)
		return -1;
	tls_th_add(s, m, n);
	return 0;
}

/*
 * Is cfg->resume a session to offer: a TLS 1.3 ticket within its
 * lifetime, for the name checked now, whose chain verified (or -k)?
 */
static int
resume_usable(struct tls_hs *s)
{
	const struct tls_session *r = s->cfg->resume;
	const char *host = s->cfg->host ? s->cfg->host : s->cfg->sni;
	size_t kl;

	if (r == NULL || !r->valid || !r->ticket.valid || host == NULL ||
	    strcasecmp(host, r->host) != 0 || (!r->peer.verified && !s->cfg->insecure))
		return 0;
	if (tb_now() - r->ticket.received >= (int64_t)r->ticket.lifetime * 1000000)
		return 0;
	if (r->ticket.v12) {
		size_t il;

		/* a session id of ours to echo says the server resumed (RFC 5077 3.4) */
		if (s->offer12 && s->sidlen > 0 && r->ticket.psklen == 48 &&
		    tls12_suite_hash(r->ticket.suite, &kl, &il) != NULL)
			s->sess12 = r;
		return 0;
	}
	if (!s->offer13)
		return 0;
	s->psk_h = tls13_suite_hash(r->ticket.suite, &kl);
	return s->psk_h != NULL && r->ticket.psklen == s->psk_h->len;
}

static int
handshake(struct tls_hs *s)
{
	struct tls_ctx *t = s->t;
	const struct tls_config *cfg = s->cfg;
	const struct tls_test *tt = cfg->test;
	uint8_t ecdhe[48], sec[TB_HASH_MAX], th[TB_HASH_MAX], fin[TB_HASH_MAX];
	uint8_t c_ap[TB_HASH_MAX], s_ap[TB_HASH_MAX];
	const uint8_t *m;
	size_t n, elen = 0, hl;
	int r;

	/* the randoms: the tests' fixed ones, or fresh */
	if (tt && tt->random)
		memcpy(s->random, tt->random, 32);
	else if (tb_random(s->random, 32) < 0)
		return tls_fail(t, -1, "no random bytes");
	s->sidlen = tt ? (size_t)tt->sid_len : 32;
	if (s->sidlen > 32)
		s->sidlen = 32;
	if (s->sidlen && tb_random(s->sid, s->sidlen) < 0)
		return tls_fail(t, -1, "no random bytes");
	s->offer13 = cfg->max_version == 0 || cfg->max_version >= TLS_V13;
	s->offer12 = cfg->min_version <= TLS_V12;
	if (tt && tt->suites) {
		s->suites = tt->suites;
		s->nsuites = tt->nsuites;
	} else {
		s->nsuites = 0;
		if (s->offer13) {
			memcpy(s->suitebuf, suites_default, sizeof suites_default);
			s->nsuites = 3;
		}
		if (s->offer12) {
			memcpy(s->suitebuf + s->nsuites, suites12, sizeof suites12);
			s->nsuites += sizeof suites12 / sizeof suites12[0];
		}
		s->suites = s->suitebuf;
	}
	/* TLS 1.2 is offered only with a suite for it (RFC 8448's replay has none) */
	if (s->offer12) {
		size_t i, kl, il;

		s->offer12 = 0;
		for (i = 0; i < s->nsuites; i++)
			if (tls12_suite_hash(s->suites[i], &kl, &il) != NULL)
				s->offer12 = 1;
	}
	s->group = cfg->group == TLS_GROUP_P256 || cfg->group == TLS_GROUP_P384 ?
	    (uint16_t)cfg->group : TLS_GROUP_X25519;
	if (s->group == TLS_GROUP_X25519) {
		if (tt && tt->x25519)
			memcpy(s->xpriv, tt->x25519, 32);
		else if (tb_random(s->xpriv, 32) < 0)
			return tls_fail(t, -1, "no random bytes");
		tb_x25519_base(s->xpub, s->xpriv);
	} else if (tls_ec_keypair(s) < 0)
		return tls_fail(t, -1, "no random bytes");
	memcpy(t->crandom, s->random, 32);
	if (resume_usable(s))
		s->psk = cfg->resume;
	if (build_ch(s) < 0)
		return tls_fail(t, -1, "ClientHello too long");
	tls_view_msg(s, 0, s->ch, s->chlen);
	if (tls_rec_send(t, TLS_CT_HANDSHAKE, s->ch, s->chlen) < 0)
		return -1;

	/* ServerHello, after at most one HelloRetryRequest */
	do {
		if (tls_next_msg(s, TLS_HS_SERVER_HELLO, -1, &m, &n) < 0)
			return -1;
		r = server_hello(s, m, n, ecdhe, &elen);
		if (r < 0)
			return -1;
		if (r == 2 && s->hrr)
			return tls_fail(t, TLS_AL_PROTOCOL_VERSION,
			    "server chose TLS 1.2 after a HelloRetryRequest");
		if (r == 2)
			return tls12_handshake(s, m, n);
	} while (r == 1);
	if (tls_hs_pending(t) != 0)
		return tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE,
		    "handshake message in the ServerHello's record, across the key change");
	hl = s->h->len;

	/* handshake secrets (7.1); the early secret from the PSK if resumed */
	extract(s->h, NULL, s->psk_taken ? s->psk->ticket.psk : NULL, sec);
	derived(s->h, sec, sec);
	tb_hkdf_extract(s->h, sec, hl, ecdhe, elen, s->hs_secret);
	tb_wipe(ecdhe, sizeof ecdhe);
	tls_th_now(s, th);
	tls13_derive(s->h, s->hs_secret, "c hs traffic", th, s->c_hs);
	tls13_derive(s->h, s->hs_secret, "s hs traffic", th, s->s_hs);
	tls_keylog(t->keylog, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", s->random, s->c_hs, hl);
	tls_keylog(t->keylog, "SERVER_HANDSHAKE_TRAFFIC_SECRET", s->random, s->s_hs, hl);
	if (tls_aead_set(&t->rd, t->suite, s->s_hs) < 0)
		return tls_fail(t, TLS_AL_INTERNAL_ERROR, "no keys");

	if (tls_next_msg(s, TLS_HS_ENCRYPTED_EXTENSIONS, -1, &m, &n) < 0 ||
	    encrypted_extensions(s, m, n) < 0)
		return -1;
	tls_th_add(s, m, n);
	/* resumed: no certificate, the PSK vouches for the server (2.2) */
	if (!s->psk_taken && server_auth(s) < 0)
		return -1;
	if (tls_next_msg(s, TLS_HS_FINISHED, -1, &m, &n) < 0)
		return -1;
	if (n != 4 + hl)
		return tls_fail(t, TLS_AL_DECODE_ERROR, "malformed Finished");
	tls_th_now(s, th);
	tls13_finished(s->h, s->s_hs, th, fin);
	if (!tb_ct_eq(fin, m + 4, hl))
		return tls_fail(t, TLS_AL_DECRYPT_ERROR,
		    "server's Finished is wrong (the handshake was tampered with)");
	tls_th_add(s, m, n);
	if (tls_hs_pending(t) != 0)
		return tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE,
		    "handshake message after the server's Finished, across the key change");

	/* application secrets (7.1), from the transcript up to server Finished */
	derived(s->h, s->hs_secret, sec);
	extract(s->h, sec, NULL, s->master);
	tls_th_now(s, th);
	tls13_derive(s->h, s->master, "c ap traffic", th, c_ap);
	tls13_derive(s->h, s->master, "s ap traffic", th, s_ap);
	tls_keylog(t->keylog, "CLIENT_TRAFFIC_SECRET_0", s->random, c_ap, hl);
	tls_keylog(t->keylog, "SERVER_TRAFFIC_SECRET_0", s->random, s_ap, hl);

	/* the client's flight: [CCS], [Certificate], Finished */
	if (s->sidlen > 0 && !s->ccs_sent) {
		static const uint8_t one = 1;

		s->ccs_sent = 1;
		if (tls_rec_send(t, TLS_CT_CCS, &one, 1) < 0)
			return -1;
	}
	if (tls_aead_set(&t->wr, t->suite, s->c_hs) < 0)
		return tls_fail(t, TLS_AL_INTERNAL_ERROR, "no keys");
	if (s->certreq) {
		uint8_t cm[4 + 1 + 255 + 3];
		size_t cl = 4 + 1 + s->certreq_ctxlen + 3;

		cm[0] = TLS_HS_CERTIFICATE;
		cm[1] = 0;
		put16(cm + 2, (uint16_t)(cl - 4));
		cm[4] = (uint8_t)s->certreq_ctxlen;
		memcpy(cm + 5, s->certreq_ctx, s->certreq_ctxlen);
		memset(cm + 5 + s->certreq_ctxlen, 0, 3);
		tls_view_msg(s, 0, cm, cl);
		tls_th_add(s, cm, cl);
		if (tls_rec_send(t, TLS_CT_HANDSHAKE, cm, cl) < 0)
			return -1;
		tls_th_now(s, th);
	}
	{
		uint8_t fm[4 + TB_HASH_MAX];

		fm[0] = TLS_HS_FINISHED;
		fm[1] = 0;
		put16(fm + 2, (uint16_t)hl);
		tls13_finished(s->h, s->c_hs, th, fm + 4);
		tls_view_msg(s, 0, fm, 4 + hl);
		tls_th_add(s, fm, 4 + hl);
		r = tls_rec_send(t, TLS_CT_HANDSHAKE, fm, 4 + hl);
		tb_wipe(fm, sizeof fm);
		if (r < 0)
			return -1;
	}
	tls_th_now(s, th);
	tls13_derive(s->h, s->master, "res master", th, t->res_master);
	if (tls_aead_set(&t->wr, t->suite, c_ap) < 0 ||
	    tls_aead_set(&t->rd, t->suite, s_ap) < 0)
		return tls_fail(t, TLS_AL_INTERNAL_ERROR, "no keys");
	memcpy(t->c_ap, c_ap, hl);
	memcpy(t->s_ap, s_ap, hl);
	t->h = s->h;
	tb_wipe(sec, sizeof sec);
	tb_wipe(fin, sizeof fin);
	tb_wipe(c_ap, sizeof c_ap);
	tb_wipe(s_ap, sizeof s_ap);
	return 0;
}

/*
 * The server took the session: the first connection's verdict on the
 * chain and the server's identity stand for this one, and its ticket
 * is handed on until a new one comes.
 */
static void
resumed(struct tls_hs *s)
{
	const struct tls_info *p = &s->cfg->resume->peer;
	struct tls_info *i = s->info;

	i->resumed = 1;
	i->verified = p->verified;
	memcpy(i->verify_why, p->verify_why, sizeof i->verify_why);
	i->sig_scheme = p->sig_scheme;
	memcpy(i->spki_sha256, p->spki_sha256, sizeof i->spki_sha256);
	i->have_spki = p->have_spki;
	i->nchain = p->nchain;
	memcpy(i->chain, p->chain, sizeof i->chain);
	if (!s->t->ticket.valid)
		s->t->ticket = s->cfg->resume->ticket;
	if (s->t->v12)
		i->group = "none";	/* no key exchange: the master secret is the session's */
	if (s->t->lv) {
		lv_packet(s->t->lv, "TLS session resumed");
		lv_layer(s->t->lv, "TLS resumption (%s)", s->t->v12 ? "RFC 5077" :
		    "RFC 8446 2.2");
		lv_field(s->t->lv, "resumed", "yes: the server took %s, sent no certificate",
		    s->t->v12 ? "the session of its ticket" : "the PSK of its ticket");
		lv_field(s->t->lv, "verified", "%s (when the ticket's connection was made)",
		    p->verified ? "yes" : "no");
	}
}

int
tls_session_get(struct conn *c, struct tls_session *out)
{
	struct tls_ctx *t;

	memset(out, 0, sizeof *out);
	if (c->tp != &tls_transport || (t = c->tpctx) == NULL ||
	    !t->ticket.valid || t->host[0] == '\0' ||
	    tb_now() - t->ticket.received >= (int64_t)t->ticket.lifetime * 1000000)
		return -1;
	out->ticket = t->ticket;
	out->peer = t->peer;
	memcpy(out->host, t->host, sizeof out->host);
	out->valid = 1;
	return 0;
}

void
tls_session_wipe(struct tls_session *r)
{
	tb_wipe(r, sizeof *r);
}

int
tls_start(struct conn *c, const struct tls_config *cfg, struct tls_info *info,
    char *why, size_t cap)
{
	struct tls_info dummy;
	struct tls_ctx *t;
	struct tls_hs *s;
	int r, e;

	if (info == NULL)
		info = &dummy;
	memset(info, 0, sizeof *info);
	info->sig_scheme = -1;
	if ((cfg->max_version != 0 && cfg->max_version < TLS_V12) ||
	    cfg->min_version > TLS_V13 ||
	    (cfg->max_version != 0 && cfg->min_version > cfg->max_version)) {
		snprintf(why, cap, "no TLS version between the minimum and the maximum");
		errno = EINVAL;
		return -1;
	}
	if (!alpn_ok(cfg->alpn)) {
		snprintf(why, cap, "bad ALPN list");
		errno = EINVAL;
		return -1;
	}
	if ((t = tls_ctx_new(c, cfg->lv)) == NULL ||
	    (s = tb_calloc(1, sizeof *s)) == NULL) {
		tls_ctx_free(t);
		snprintf(why, cap, "out of memory");
		errno = ENOMEM;
		return -1;
	}
	s->t = t;
	s->cfg = cfg;
	s->info = info;
	t->keylog = cfg->keylog;
	t->in_handshake = 1;
	r = handshake(s);
	e = errno;
	t->in_handshake = 0;
	if (r == 0) {
		info->version = t->v12 ? TLS_V12 : TLS_V13;
		info->suite = tls_suite_name(t->suite);
		info->group = tls_group_name(s->group);
		info->hrr = s->hrr;
		if (s->psk_taken)
			resumed(s);
		t->peer = *info;
		if (cfg->host || cfg->sni)
			snprintf(t->host, sizeof t->host, "%s", cfg->host ? cfg->host : cfg->sni);
		t->nccs = 0;
		t->nempty = 0;
		c->tp = &tls_transport;
		c->tpctx = t;
	} else {
		snprintf(why, cap, "%s", t->err[0] ? t->err : "TLS handshake failed");
		tls_ctx_free(t);
	}
	hs_wipe(s);
	tb_free(s);
	errno = e;
	return r;
}

/* --- after the handshake --------------------------------------------------- */

static int
key_update(struct tls_ctx *t, const uint8_t *m, size_t n)
{
	uint8_t ku[5] = { TLS_HS_KEY_UPDATE, 0, 0, 1, 0 };
	size_t hl = t->h->len;

	if (n != 5 || m[4] > 1)
		return tls_fail(t, TLS_AL_DECODE_ERROR, "malformed KeyUpdate");
	if (tls_hs_pending(t) != 0)
		return tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE,
		    "handshake message after a KeyUpdate, across the key change");
	(void)tls13_expand_label(t->h, t->s_ap, "traffic upd", NULL, 0, t->s_ap, hl);
	if (tls_aead_set(&t->rd, t->suite, t->s_ap) < 0)
		return tls_fail(t, TLS_AL_INTERNAL_ERROR, "no keys");
	if (m[4] == 1 && !t->sent_close) {
		/* update_requested: answer with ours, then change our keys */
		if (t->lv)
			(void)tls_view_hs(t->lv, 0, ku, sizeof ku);
		if (tls_rec_send(t, TLS_CT_HANDSHAKE, ku, sizeof ku) < 0)
			return -1;
		(void)tls13_expand_label(t->h, t->c_ap, "traffic upd", NULL, 0, t->c_ap, hl);
		if (tls_aead_set(&t->wr, t->suite, t->c_ap) < 0)
			return tls_fail(t, TLS_AL_INTERNAL_ERROR, "no keys");
	}
	return 0;
}

static int
new_session_ticket(struct tls_ctx *t, const uint8_t *m, size_t n)
{
	struct tls_ticket *k = &t->ticket;
	struct cursor c, x;
	const uint8_t *nonce, *tk, *ep;
	size_t nl, tl, el;
	uint32_t life, add, med = 0;

	cur_init(&c, m + 4, n - 4);
	life = cur_u32(&c);
	add = cur_u32(&c);
	nl = cur_u8(&c);
	nonce = cur_take(&c, nl);
	tl = cur_u16(&c);
	tk = cur_take(&c, tl);
	el = cur_u16(&c);
	ep = cur_take(&c, el);
	if (c.bad || cur_left(&c) != 0 || tl == 0)
		return tls_fail(t, TLS_AL_DECODE_ERROR, "malformed NewSessionTicket");
	if (life > 604800)
		return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER,
		    "NewSessionTicket lifetime over seven days");
	cur_init(&x, ep, el);
	while (cur_left(&x) > 0) {
		uint16_t ty = cur_u16(&x), l = cur_u16(&x);
		const uint8_t *v = cur_take(&x, l);

		if (x.bad)
			return tls_fail(t, TLS_AL_DECODE_ERROR, "malformed NewSessionTicket");
		if (ty == TLS_EXT_EARLY_DATA && l == 4)
			med = get32(v);
	}
	/* a ticket too long to keep is dropped, not an error */
	if (tl > TLS_TICKET_MAX || life == 0)
		return 0;
	tb_wipe(k, sizeof *k);
	k->lifetime = life;
	k->age_add = add;
	k->received = tb_now();
	k->suite = t->suite;
	k->max_early_data = med;
	memcpy(k->ticket, tk, tl);
	k->len = tl;
	k->psklen = t->h->len;
	if (tls13_expand_label(t->h, t->res_master, "resumption", nonce, nl, k->psk,
	    k->psklen) < 0)
		return 0;
	k->valid = 1;
	return 0;
}

int
tls13_post_hs(struct tls_ctx *t, const uint8_t *m, size_t n)
{
	if (t->lv) {
		(void)tls_view_hs(t->lv, 1, m, n);
		lv_hex(t->lv, m, n);
	}
	switch (m[0]) {
	case TLS_HS_NEW_SESSION_TICKET:
		return new_session_ticket(t, m, n);
	case TLS_HS_KEY_UPDATE:
		return key_update(t, m, n);
	}
	return tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE, "server sent %s after the handshake",
	    tls_hs_name(m[0]));
}

/* --- -X: a certificate's fields ------------------------------------------- */

void
tls_view_cert(struct layers *lv, const uint8_t *der, size_t len)
{
	struct tb_x509 x;
	const char *why;
	char a[32], b[32];

	if (tb_x509_parse(&x, der, len, &why) < 0) {
		lv_field(lv, "  (unparsed)", "%s", why);
		return;
	}
	lv_field(lv, "  version", "%d", x.version);
	lv_field(lv, "  validity", "%s .. %s", tb_iso8601(x.not_before * 1000000, a, sizeof a),
	    tb_iso8601(x.not_after * 1000000, b, sizeof b));
	lv_field(lv, "  public key", "%s, %u bits", x.key == TB_KEY_RSA ? "RSA" :
	    x.key == TB_KEY_P256 ? "EC secp256r1" : x.key == TB_KEY_P384 ? "EC secp384r1" :
	    x.key == TB_KEY_ED25519 ? "Ed25519" : "unknown", x.key_bits);
	lv_field(lv, "  signature", "%s", tls_sigscheme_name(x.sig_scheme));
	lv_field(lv, "  CA", "%s", x.ca ? "true" : "false");
}

/* --- for the fuzzer ---------------------------------------------------------- */

int
tls_fuzz_stream(int fd, struct layers *lv)
{
	static const struct tls_config cfg = { .alpn = "h2,http/1.1" };
	const uint8_t *certs[MAX_CERTS], *m;
	size_t lens[MAX_CERTS], nc, n, elen;
	uint8_t ecdhe[48];
	struct tls_info info;
	struct conn *c;
	struct tls_ctx *t = NULL;
	struct tls_hs *s = NULL;
	int good = 0, r;

	if ((c = tb_calloc(1, sizeof *c)) == NULL)
		return 0;
	c->rfd = fd;
	c->wfd = -1;		/* whatever the client says back goes nowhere */
	c->idle = 1000000;
	c->deadline = -1;
	if ((t = tls_ctx_new(c, lv)) == NULL || (s = tb_calloc(1, sizeof *s)) == NULL)
		goto out;
	memset(&info, 0, sizeof info);
	s->t = t;
	s->cfg = &cfg;
	s->info = &info;
	memcpy(s->suitebuf, suites_default, sizeof suites_default);
	memcpy(s->suitebuf + 3, suites12, sizeof suites12);
	s->suites = s->suitebuf;
	s->nsuites = 3 + sizeof suites12 / sizeof suites12[0];
	s->offer12 = s->offer13 = 1;
	s->group = TLS_GROUP_X25519;
	tb_x25519_base(s->xpub, s->xpriv);
	if (build_ch(s) < 0)
		goto out;
	t->in_handshake = 1;
	while (tls_hs_next(t, &m, &n) == 1) {
		if (lv)
			(void)tls_view_hs(lv, 1 | (t->v12 ? 2 : 0), m, n);
		t->failed = 0;
		switch (m[0]) {
		case TLS_HS_SERVER_HELLO:
			s->h = NULL;
			s->hrr = 0;
			t->v12 = 0;
			r = server_hello(s, m, n, ecdhe, &elen);
			/* a TLS 1.2 one: its own parser, and 1.2 readings after it */
			if (r == 2)
				r = tls12_fuzz_msg(s, m, n);
			break;
		case TLS_HS_SERVER_KEY_EXCHANGE:
		case TLS_HS_HELLO_REQUEST:
			r = t->v12 ? tls12_fuzz_msg(s, m, n) : -1;
			break;
		case TLS_HS_ENCRYPTED_EXTENSIONS:
			r = encrypted_extensions(s, m, n);
			break;
		case TLS_HS_CERTIFICATE:
			r = cert_list(s, m, n, certs, lens, &nc);
			break;
		case TLS_HS_NEW_SESSION_TICKET:
			t->h = &tb_hash_sha256;
			t->suite = 0x1301;
			r = new_session_ticket(t, m, n);
			break;
		case TLS_HS_KEY_UPDATE:
			t->h = &tb_hash_sha256;
			t->suite = 0x1301;
			r = key_update(t, m, n);
			break;
		default:
			r = -1;
		}
		good += r >= 0;
	}
out:
	if (s)
		hs_wipe(s);
	tb_free(s);
	tls_ctx_free(t);
	tb_free(c);
	return good;
}
