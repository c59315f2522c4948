/*
 * tls12.c - the TLS 1.2 client handshake (RFC 5246), after a ServerHello
 * that chose it: ECDHE (RFC 8422: x25519 and secp256r1, uncompressed
 * points) signed by ECDSA or RSA, AES-GCM (RFC 5289) or
 * ChaCha20-Poly1305 (RFC 7905), the extended master secret (RFC 7627,
 * required: a server without it is refused), renegotiation_info
 * (RFC 5746: empty, and a HelloRequest is answered no_renegotiation).
 * No resumption, no RSA key transport, no CBC, no compression.
 *
 * The key derivation is the TLS 1.2 PRF (crypto/hash.h) on fixed
 * buffers, with no branch or index on a secret; the Finished check is
 * tb_ct_eq; the premaster, master secret and key block are wiped when
 * done (tests/crypto/ct_tls.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "conn.h"
#include "crypto/c25519.h"
#include "crypto/ct.h"
#include "crypto/ec.h"
#include "crypto/hash.h"
#include "tls/tlsint.h"
#include "tls/x509.h"
#include "tubes.h"
#include "wire.h"

/* --- keys ------------------------------------------------------------------ */

const struct tb_hash *
tls12_suite_hash(uint16_t suite, size_t *keylen, size_t *ivlen)
{
	*ivlen = 4;
	switch (suite) {
	case 0xc02b:	/* ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 */
	case 0xc02f:	/* ECDHE_RSA_WITH_AES_128_GCM_SHA256 */
		*keylen = 16;
		return &tb_hash_sha256;
	case 0xc02c:	/* ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 */
	case 0xc030:	/* ECDHE_RSA_WITH_AES_256_GCM_SHA384 */
		*keylen = 32;
		return &tb_hash_sha384;
	case 0xcca8:	/* ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 */
	case 0xcca9:	/* ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 */
		*keylen = 32;
		*ivlen = 12;
		return &tb_hash_sha256;
	}
	*keylen = *ivlen = 0;
	return NULL;
}

int
tls12_aead_set(struct tls_aead *a, uint16_t suite, const uint8_t *key, const uint8_t *iv)
{
	size_t kl, il;

	if (tls12_suite_hash(suite, &kl, &il) == NULL)
		return -1;
	tls_aead_wipe(a);
	memcpy(a->iv, iv, il);
	if (il == 12)
		memcpy(a->key, key, 32);
	else if (tb_gcm_init(&a->gcm, key, kl) < 0)
		return -1;
	a->suite = suite;
	a->v12 = 1;
	a->seq = 0;
	a->on = 1;
	return 0;
}

void
tls12_master(const struct tb_hash *h, const uint8_t *pms, size_t pmslen,
    const uint8_t *session_hash, uint8_t master[48])
{
	tb_tls12_prf(h, pms, pmslen, "extended master secret", session_hash, h->len,
	    master, 48);
}

void
tls12_key_block(const struct tb_hash *h, const uint8_t master[48],
    const uint8_t *crandom, const uint8_t *srandom, uint8_t *out, size_t len)
{
	uint8_t seed[64];

	memcpy(seed, srandom, 32);
	memcpy(seed + 32, crandom, 32);
	tb_tls12_prf(h, master, 48, "key expansion", seed, 64, out, len);
}

void
tls12_verify_data(const struct tb_hash *h, const uint8_t master[48], const char *label,
    const uint8_t *thash, uint8_t out[12])
{
	tb_tls12_prf(h, master, 48, label, thash, h->len, out, 12);
}

/* --- the handshake ----------------------------------------------------------- */

static int
ecdsa_suite(uint16_t suite)
{
	return suite == 0xc02b || suite == 0xc02c || suite == 0xcca9;
}

static int
ext_sent(const struct tls_hs *s, uint16_t type)
{
	size_t i;

	for (i = 0; i < s->nsent; i++)
		if (s->sent_ext[i] == type)
			return 1;
	return 0;
}

static int
server_hello12(struct tls_hs *s, const uint8_t *m, size_t n)
{
	struct tls_ctx *t = s->t;
	struct ext e[EXT_MAX];
	struct cursor c;
	const uint8_t *rnd, *sid;
	size_t sidlen, ne = 0, i, kl, il, k;
	uint16_t suite, offered = 0;
	uint8_t comp;
	int ems = 0, ok;

	cur_init(&c, m + 4, n - 4);
	(void)cur_u16(&c);
	rnd = cur_take(&c, 32);
	sidlen = cur_u8(&c);
	sid = cur_take(&c, sidlen);
	suite = cur_u16(&c);
	comp = cur_u8(&c);
	if (c.bad || sidlen > 32)
		return tls_fail(t, TLS_AL_DECODE_ERROR, "malformed ServerHello");
	if (cur_left(&c) > 0 && tls_parse_exts(s, &c, e, &ne, "ServerHello") < 0)
		return -1;
	if (cur_left(&c) != 0)
		return tls_fail(t, TLS_AL_DECODE_ERROR, "bytes after the ServerHello");
	for (i = 0; i < s->nsuites; i++)
		offered |= s->suites[i] == suite;
	if (!offered || tls12_suite_hash(suite, &kl, &il) == NULL)
		return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER,
		    "server chose cipher suite 0x%04x, which was not offered for TLS 1.2",
		    suite);
	if (comp != 0)
		return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER, "ServerHello chose compression");
	/* our session id echoed: the server resumes the ticket's session */
	if (sidlen > 0 && sidlen == s->sidlen && memcmp(sid, s->sid, sidlen) == 0) {
		if (s->sess12 == NULL)
			return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER,
			    "server resumes a TLS 1.2 session that was never offered");
		if (suite != s->sess12->ticket.suite)
			return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER,
			    "server resumes the session with another cipher suite");
		s->psk_taken = 1;
	}
	for (i = 0; i < ne; i++) {
		switch (e[i].type) {
		case TLS_EXT_RENEGOTIATION_INFO:
			if (e[i].len != 1 || e[i].p[0] != 0)
				return tls_fail(t, TLS_AL_HANDSHAKE_FAILURE,
				    "ServerHello's renegotiation_info is not empty");
			break;
		case TLS_EXT_EXTENDED_MASTER_SECRET:
			if (e[i].len != 0)
				return tls_fail(t, TLS_AL_DECODE_ERROR,
				    "malformed extended_master_secret");
			ems = 1;
			break;
		case TLS_EXT_EC_POINT_FORMATS:
			if (e[i].len < 2 || e[i].p[0] != e[i].len - 1)
				return tls_fail(t, TLS_AL_DECODE_ERROR,
				    "malformed ec_point_formats");
			for (ok = 0, k = 1; k < e[i].len; k++)
				ok |= e[i].p[k] == 0;
			if (!ok)
				return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER,
				    "server does not take uncompressed points");
			break;
		case TLS_EXT_ALPN:
			if (tls_alpn_check(s, e[i].p, e[i].len) < 0)
				return -1;
			break;
		case TLS_EXT_SESSION_TICKET:
			/* a NewSessionTicket will come (RFC 5077 3.2) */
			if (!ext_sent(s, TLS_EXT_SESSION_TICKET) || e[i].len != 0)
				return tls_fail(t, TLS_AL_UNSUPPORTED_EXTENSION,
				    "malformed or unasked-for session_ticket");
			s->ticket12 = 1;
			break;
		case TLS_EXT_SERVER_NAME:
			if (e[i].len == 0 && ext_sent(s, TLS_EXT_SERVER_NAME))
				break;
			/* FALLTHROUGH */
		default:
			return tls_fail(t, TLS_AL_UNSUPPORTED_EXTENSION,
			    "server sent extension %s in its TLS 1.2 ServerHello, which was "
			    "not asked for", tls_ext_name(e[i].type));
		}
	}
	if (!ems)
		return tls_fail(t, TLS_AL_HANDSHAKE_FAILURE, "server chose TLS 1.2 without "
		    "the extended master secret (RFC 7627), which is required");
	t->v12 = 1;
	t->suite = suite;
	memcpy(s->srandom, rnd, 32);
	s->h = tls12_suite_hash(suite, &kl, &il);
	s->h->init(&s->th);
	tls_th_add(s, s->ch, s->chlen);
	tls_th_add(s, m, n);
	return 0;
}

/*
 * ServerKeyExchange (RFC 8422 5.4): the server's ECDHE share signed with
 * its certificate's key over client_random || server_random || params.
 * The shared secret goes to pms.
 */
static int
server_key_exchange(struct tls_hs *s, const uint8_t *m, size_t n, uint8_t pms[48],
    size_t *pmslen)
{
	struct tls_ctx *t = s->t;
	const struct tls_test *tt = s->cfg->test;
	static const uint16_t ecdsa_ok[] = { 0x0403, 0x0503, 0x0807 };
	static const uint16_t rsa_ok[] = { 0x0401, 0x0501, 0x0601, 0x0804, 0x0805, 0x0806 };
	const uint16_t *allow;
	size_t nallow, plen, slen, i, paramlen;
	uint8_t msg[64 + 4 + 255];
	const uint8_t *pt, *sig;
	uint16_t group, scheme;
	struct cursor c;
	int ok = 0;

	cur_init(&c, m + 4, n - 4);
	if (cur_u8(&c) != 3)	/* named_curve */
		return tls_fail(t, TLS_AL_HANDSHAKE_FAILURE,
		    "ServerKeyExchange without a named curve");
	group = cur_u16(&c);
	plen = cur_u8(&c);
	pt = cur_take(&c, plen);
	paramlen = 4 + plen;
	scheme = cur_u16(&c);
	slen = cur_u16(&c);
	sig = cur_take(&c, slen);
	if (c.bad || cur_left(&c) != 0 || plen == 0)
		return tls_fail(t, TLS_AL_DECODE_ERROR, "malformed ServerKeyExchange");
	if (group != TLS_GROUP_X25519 && tls_ec_publen(group) == 0)
		return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER,
		    "server chose group 0x%04x, which was not offered", group);
	allow = ecdsa_suite(t->suite) ? ecdsa_ok : rsa_ok;
	nallow = ecdsa_suite(t->suite) ? 3 : 6;
	for (i = 0; i < nallow; i++)
		ok |= allow[i] == scheme;
	if (!ok)
		return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER, "server signed its key exchange "
		    "with %s, which was not offered for %s", tls_sigscheme_name(scheme),
		    tls_suite_name(t->suite));
	memcpy(msg, s->random, 32);
	memcpy(msg + 32, s->srandom, 32);
	memcpy(msg + 64, m + 4, paramlen);
	/* an ECDSA scheme names the hash only here: tb_x509_verify_sig12 */
	if ((tt && tt->verify_sig ? tt->verify_sig : tb_x509_verify_sig12)(&s->v.leaf,
	    scheme, msg, 64 + paramlen, sig, slen) != 0)
		return tls_fail(t, TLS_AL_DECRYPT_ERROR,
		    "server's ServerKeyExchange signature (%s) does not check out with its "
		    "certificate's key", tls_sigscheme_name(scheme));
	s->info->sig_scheme = scheme;
	s->group = group;
	if (group == TLS_GROUP_X25519) {
		if (tt && tt->x25519)
			memcpy(s->xpriv, tt->x25519, 32);
		else if (tb_random(s->xpriv, 32) < 0)
			return tls_fail(t, TLS_AL_INTERNAL_ERROR, "no random bytes");
		tb_x25519_base(s->xpub, s->xpriv);
		if (plen != 32)
			return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER, "bad x25519 key share");
		if (tb_x25519(pms, s->xpriv, pt) < 0)
			return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER,
			    "server's x25519 key share is of small order");
		*pmslen = 32;
	} else {
		if (tls_ec_keypair(s) < 0)
			return tls_fail(t, TLS_AL_INTERNAL_ERROR, "no random bytes");
		if (plen != tls_ec_publen(group) ||
		    (*pmslen = tls_ec_shared(s, pms, pt, plen)) == 0)
			return tls_fail(t, TLS_AL_ILLEGAL_PARAMETER,
			    "server's %s key share is not an uncompressed point "
			    "of the curve", tls_group_name(group));
	}
	tb_wipe(s->xpriv, sizeof s->xpriv);
	tb_wipe(s->ppriv, sizeof s->ppriv);
	return 0;
}

/* one message of ours: shown, hashed, sent */
static int
send_msg(struct tls_hs *s, const uint8_t *m, size_t n)
{
	tls_view_msg(s, 0, m, n);
	tls_th_add(s, m, n);
	return tls_rec_send(s->t, TLS_CT_HANDSHAKE, m, n);
}

/*
 * A NewSessionTicket (RFC 5077 3.3) before the server's ChangeCipherSpec:
 * kept with the master secret for tls_session_get.  An empty ticket says
 * none; one too long to keep is dropped.
 */
static int
ticket12(struct tls_hs *s, const uint8_t master[48])
{
	struct tls_ctx *t = s->t;
	struct tls_ticket *k = &t->ticket;
	const uint8_t *m;
	size_t n, tl;
	uint32_t life;

	if (tls_next_msg(s, TLS_HS_NEW_SESSION_TICKET, -1, &m, &n) < 0)
		return -1;
	if (n < 10 || (tl = get16(m + 8)) != n - 10)
		return tls_fail(t, TLS_AL_DECODE_ERROR, "malformed NewSessionTicket");
	tls_th_add(s, m, n);
	life = get32(m + 4);
	/* no hint: an hour; never over the seven days of TLS 1.3 */
	if (life == 0 || life > 604800)
		life = life == 0 ? 3600 : 604800;
	if (tl == 0 || tl > TLS_TICKET_MAX)
		return 0;
	tb_wipe(k, sizeof *k);
	k->v12 = 1;
	k->lifetime = life;
	k->received = tb_now();
	k->suite = t->suite;
	memcpy(k->psk, master, 48);
	k->psklen = 48;
	memcpy(k->ticket, m + 10, tl);
	k->len = tl;
	k->valid = 1;
	return 0;
}

/* the server's ChangeCipherSpec (the record layer turns its keys on), Finished */
static int
server_finished12(struct tls_hs *s, const uint8_t master[48])
{
	struct tls_ctx *t = s->t;
	uint8_t th[TB_HASH_MAX], fin[12];
	const uint8_t *m;
	size_t n;
	int ok;

	tls_th_now(s, th);
	tls12_verify_data(s->h, master, "server finished", th, fin);
	if (tls_next_msg(s, TLS_HS_FINISHED, -1, &m, &n) < 0)
		return -1;
	if (!t->rd.on)
		return tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE,
		    "server's Finished came before its ChangeCipherSpec");
	if (n != 16)
		return tls_fail(t, TLS_AL_DECODE_ERROR, "malformed Finished");
	ok = tb_ct_eq(fin, m + 4, 12);
	tb_wipe(fin, sizeof fin);
	if (!ok)
		return tls_fail(t, TLS_AL_DECRYPT_ERROR,
		    "server's Finished is wrong (the handshake was tampered with)");
	tls_th_add(s, m, n);
	return 0;
}

/* our ChangeCipherSpec, our keys on, our Finished */
static int
client_finished12(struct tls_hs *s, const uint8_t master[48], const uint8_t *key,
    const uint8_t *iv)
{
	struct tls_ctx *t = s->t;
	static const uint8_t one = 1;
	uint8_t th[TB_HASH_MAX], msg[16];
	int r;

	if (t->lv) {
		lv_packet(t->lv, "TLS ChangeCipherSpec sent");
		lv_layer(t->lv, "ChangeCipherSpec");
		lv_field(t->lv, "type", "1 (change_cipher_spec): our records are "
		    "protected from here on");
	}
	if (tls_rec_send(t, TLS_CT_CCS, &one, 1) < 0)
		return -1;
	if (tls12_aead_set(&t->wr, t->suite, key, iv) < 0)
		return tls_fail(t, TLS_AL_INTERNAL_ERROR, "no keys");
	msg[0] = TLS_HS_FINISHED;
	msg[1] = msg[2] = 0;
	msg[3] = 12;
	tls_th_now(s, th);
	tls12_verify_data(s->h, master, "client finished", th, msg + 4);
	r = send_msg(s, msg, 16);
	tb_wipe(msg, sizeof msg);
	return r;
}

/*
 * The abbreviated handshake (RFC 5077 3.1, RFC 5246 7.3): the session's
 * master secret, keys from the new randoms; [NewSessionTicket], the
 * server's CCS and Finished, then ours.  The extended master secret was
 * checked in the ServerHello (RFC 7627 5.3).
 */
static int
resume12(struct tls_hs *s)
{
	struct tls_ctx *t = s->t;
	const uint8_t *master = s->sess12->ticket.psk;
	uint8_t kb[2 * 32 + 2 * 12];
	size_t kl, il;
	int r = -1;

	tls_keylog(t->keylog, "CLIENT_RANDOM", s->random, master, 48);
	(void)tls12_suite_hash(t->suite, &kl, &il);
	tls12_key_block(s->h, master, s->random, s->srandom, kb, 2 * kl + 2 * il);
	if (tls12_aead_set(&t->rd_next, t->suite, kb + kl, kb + 2 * kl + il) < 0) {
		tls_fail(t, TLS_AL_INTERNAL_ERROR, "no keys");
		goto out;
	}
	if ((s->ticket12 && ticket12(s, master) < 0) || server_finished12(s, master) < 0)
		goto out;
	if (tls_hs_pending(t) != 0) {
		tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE, "handshake message after the "
		    "server's Finished");
		goto out;
	}
	r = client_finished12(s, master, kb, kb + 2 * kl);
out:
	tb_wipe(kb, sizeof kb);
	return r;
}

int
tls12_handshake(struct tls_hs *s, const uint8_t *sh, size_t shlen)
{
	struct tls_ctx *t = s->t;
	uint8_t pms[48], master[48], kb[2 * 32 + 2 * 12], th[TB_HASH_MAX];
	uint8_t msg[4 + 1 + 97];
	const uint8_t *m;
	size_t n, kl, il, k, pmslen = 0;
	int r = -1;

	if (server_hello12(s, sh, shlen) < 0)
		return -1;
	if (s->psk_taken)
		return resume12(s);
	if (tls_next_msg(s, TLS_HS_CERTIFICATE, -1, &m, &n) < 0 ||
	    tls_certificate(s, m, n) < 0)
		return -1;
	tls_th_add(s, m, n);
	if (tls_next_msg(s, TLS_HS_SERVER_KEY_EXCHANGE, -1, &m, &n) < 0 ||
	    server_key_exchange(s, m, n, pms, &pmslen) < 0)
		goto out;
	tls_th_add(s, m, n);
	if (tls_next_msg(s, TLS_HS_SERVER_HELLO_DONE, TLS_HS_CERTIFICATE_REQUEST,
	    &m, &n) < 0)
		goto out;
	if (m[0] == TLS_HS_CERTIFICATE_REQUEST) {
		s->certreq = 1;
		tls_th_add(s, m, n);
		if (tls_next_msg(s, TLS_HS_SERVER_HELLO_DONE, -1, &m, &n) < 0)
			goto out;
	}
	if (n != 4) {
		tls_fail(t, TLS_AL_DECODE_ERROR, "malformed ServerHelloDone");
		goto out;
	}
	tls_th_add(s, m, n);
	if (tls_hs_pending(t) != 0) {
		tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE, "handshake message after ServerHelloDone");
		goto out;
	}

	/* our flight: [an empty Certificate], ClientKeyExchange, CCS, Finished */
	if (s->certreq) {
		static const uint8_t none[7] = { TLS_HS_CERTIFICATE, 0, 0, 3, 0, 0, 0 };

		if (send_msg(s, none, sizeof none) < 0)
			goto out;
	}
	msg[0] = TLS_HS_CLIENT_KEY_EXCHANGE;
	msg[1] = 0;
	if (s->group == TLS_GROUP_X25519) {
		put16(msg + 2, 33);
		msg[4] = 32;
		memcpy(msg + 5, s->xpub, 32);
		n = 4 + 33;
	} else {
		k = tls_ec_publen(s->group);
		put16(msg + 2, (uint16_t)(k + 1));
		msg[4] = (uint8_t)k;
		memcpy(msg + 5, s->ppub, k);
		n = 4 + 1 + k;
	}
	if (send_msg(s, msg, n) < 0)
		goto out;
	/* the session hash runs through ClientKeyExchange (RFC 7627 3) */
	tls_th_now(s, th);
	tls12_master(s->h, pms, pmslen, th, master);
	tb_wipe(pms, sizeof pms);
	tls_keylog(t->keylog, "CLIENT_RANDOM", s->random, master, 48);
	(void)tls12_suite_hash(t->suite, &kl, &il);
	tls12_key_block(s->h, master, s->random, s->srandom, kb, 2 * kl + 2 * il);
	/* server_write_key and IV on at its CCS; ours after our CCS */
	if (tls12_aead_set(&t->rd_next, t->suite, kb + kl, kb + 2 * kl + il) < 0) {
		tls_fail(t, TLS_AL_INTERNAL_ERROR, "no keys");
		goto out;
	}
	if (client_finished12(s, master, kb, kb + 2 * kl) < 0)
		goto out;

	/* [NewSessionTicket], the server's ChangeCipherSpec and Finished */
	if ((s->ticket12 && ticket12(s, master) < 0) || server_finished12(s, master) < 0)
		goto out;
	if (tls_hs_pending(t) != 0) {
		tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE, "handshake message after the "
		    "server's Finished");
		goto out;
	}
	r = 0;
out:
	tb_wipe(pms, sizeof pms);
	tb_wipe(master, sizeof master);
	tb_wipe(kb, sizeof kb);
	tb_wipe(th, sizeof th);
	tb_wipe(msg, sizeof msg);
	return r;
}

/* for tls_fuzz_stream: the TLS 1.2 parsers on any message */
int
tls12_fuzz_msg(struct tls_hs *s, const uint8_t *m, size_t n)
{
	uint8_t pms[48];
	size_t pl;
	int r;

	switch (m[0]) {
	case TLS_HS_SERVER_HELLO:
		s->h = NULL;
		return server_hello12(s, m, n);
	case TLS_HS_SERVER_KEY_EXCHANGE:
		/* no leaf: the parse runs, the signature never checks out */
		if (s->h == NULL)
			return -1;
		r = server_key_exchange(s, m, n, pms, &pl);
		tb_wipe(pms, sizeof pms);
		return r;
	case TLS_HS_HELLO_REQUEST:
		return tls12_post_hs(s->t, m, n);
	}
	return -1;
}

/* --- after the handshake ------------------------------------------------------ */

int
tls12_post_hs(struct tls_ctx *t, const uint8_t *m, size_t n)
{
	if (t->lv) {
		(void)tls_view_hs(t->lv, 1 | 2, m, n);
		lv_hex(t->lv, m, n);
	}
	/* a HelloRequest asks for a renegotiation: never done (RFC 5746 4.5) */
	if (m[0] == TLS_HS_HELLO_REQUEST && n == 4) {
		tls_alert_send(t, TLS_AL_NO_RENEGOTIATION);
		return t->failed ? -1 : 0;
	}
	return tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE, "server sent %s after the TLS 1.2 "
	    "handshake", tls_hs_name(m[0]));
}
