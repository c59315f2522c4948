/*
 * record.c - the TLS record layer (RFC 8446 section 5): records in and
 * out over conn_raw_read / conn_raw_write, their protection (AES-GCM,
 * ChaCha20-Poly1305 with the nonce iv XOR seq), alerts, the handshake
 * reassembly buffer, and the conn transport that carries plaintext once
 * the handshake is done.
 *
 * Limits, each fatal: a record over 2^14 + 256 bytes (2^14 before keys),
 * an inner plaintext over 2^14 + 1, a handshake message over TLS_HS_MAX,
 * more than TLS_EMPTY_MAX records in a row that carry no data, more than
 * TLS_CCS_MAX ChangeCipherSpec records, a sequence number that would wrap.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conn.h"
#include "crypto/chacha.h"
#include "crypto/ct.h"
#include "tls/tlsint.h"
#include "tubes.h"
#include "wire.h"

/* --- record protection ---------------------------------------------------- */

int
tls_aead_set(struct tls_aead *a, uint16_t suite, const uint8_t *secret)
{
	const struct tb_hash *h;
	size_t keylen;

	if ((h = tls13_suite_hash(suite, &keylen)) == NULL)
		return -1;
	tls_aead_wipe(a);
	if (tls13_expand_label(h, secret, "key", NULL, 0, a->key, keylen) < 0 ||
	    tls13_expand_label(h, secret, "iv", NULL, 0, a->iv, 12) < 0)
		return -1;
	if (suite != 0x1303) {
		if (tb_gcm_init(&a->gcm, a->key, keylen) < 0)
			return -1;
		tb_wipe(a->key, sizeof a->key);
	}
	a->suite = suite;
	a->seq = 0;
	a->on = 1;
	return 0;
}

void
tls_aead_wipe(struct tls_aead *a)
{
	tb_wipe(a, sizeof *a);
}

/* the per-record nonce: iv XOR the sequence number, left-padded (5.3) */
static void
nonce(const struct tls_aead *a, uint8_t n[12])
{
	int i;

	memcpy(n, a->iv, 12);
	for (i = 0; i < 8; i++)
		n[11 - i] ^= (uint8_t)(a->seq >> (8 * i));
}

/* the additional data of a TLS 1.2 record (RFC 5246 6.2.3.3) */
static void
ad12(const struct tls_aead *a, uint8_t type, size_t len, uint8_t ad[13])
{
	int i;

	for (i = 0; i < 8; i++)
		ad[i] = (uint8_t)(a->seq >> (56 - 8 * i));
	ad[8] = type;
	put16(ad + 9, TLS_V12);
	put16(ad + 11, (uint16_t)len);
}

static int
is_chacha(uint16_t suite)
{
	return suite == 0x1303 || suite == 0xcca8 || suite == 0xcca9;
}

static long
seal12(struct tls_aead *a, uint8_t type, const uint8_t *pt, size_t len, uint8_t *out)
{
	uint8_t n[12], ad[13], *body;
	size_t ex = is_chacha(a->suite) ? 0 : 8;
	int r;

	out[0] = type;
	put16(out + 1, TLS_V12);
	put16(out + 3, (uint16_t)(ex + len + 16));
	body = out + 5 + ex;
	if (len > 0 && body != pt)
		memmove(body, pt, len);
	ad12(a, type, len, ad);
	if (ex) {
		/* the explicit nonce: the sequence number, never repeated */
		memcpy(n, a->iv, 4);
		memcpy(n + 4, ad, 8);
		memcpy(out + 5, ad, 8);
		memcpy(a->explicit_nonce, ad, 8);
		r = tb_gcm_seal(&a->gcm, n, ad, 13, body, len, body, body + len);
	} else {
		nonce(a, n);
		r = tb_chacha20poly1305_seal(a->key, n, ad, 13, body, len, body, body + len);
	}
	if (r < 0)
		return -1;
	a->seq++;
	return (long)(5 + ex + len + 16);
}

static int
open12(struct tls_aead *a, uint8_t *rec, size_t rlen, uint8_t *type, size_t *plen)
{
	uint8_t n[12], ad[13], *ct = rec + 5;
	size_t ex = is_chacha(a->suite) ? 0 : 8, clen;
	int r;

	if (rlen < 5 + ex + 16)
		return -1;
	clen = rlen - 5 - ex - 16;
	ad12(a, rec[0], clen, ad);
	if (ex) {
		memcpy(n, a->iv, 4);
		memcpy(n + 4, rec + 5, 8);
		memcpy(a->explicit_nonce, rec + 5, 8);
		/* the plaintext goes to rec + 5, like TLS 1.3's */
		memmove(ct, ct + 8, clen + 16);
		r = tb_gcm_open(&a->gcm, n, ad, 13, ct, clen, ct + clen, ct);
	} else {
		nonce(a, n);
		r = tb_chacha20poly1305_open(a->key, n, ad, 13, ct, clen, ct + clen, ct);
	}
	a->seq++;
	*type = rec[0];
	*plen = clen;
	return r < 0 ? -1 : 0;
}

long
tls_seal(struct tls_aead *a, uint8_t type, const uint8_t *pt, size_t len, uint8_t *out)
{
	uint8_t n[12];
	size_t clen = len + 1 + 16;
	int r;

	if (len > TLS_MAX_PLAIN || a->seq == UINT64_MAX)
		return -1;
	if (a->v12)
		return seal12(a, type, pt, len, out);
	out[0] = TLS_CT_APPDATA;
	put16(out + 1, 0x0303);
	put16(out + 3, (uint16_t)clen);
	if (len > 0 && out + 5 != pt)
		memmove(out + 5, pt, len);
	out[5 + len] = type;
	nonce(a, n);
	if (a->suite == 0x1303)
		r = tb_chacha20poly1305_seal(a->key, n, out, 5, out + 5, len + 1,
		    out + 5, out + 5 + len + 1);
	else
		r = tb_gcm_seal(&a->gcm, n, out, 5, out + 5, len + 1, out + 5,
		    out + 5 + len + 1);
	if (r < 0)
		return -1;
	a->seq++;
	return (long)(5 + clen);
}

/*
 * The content type of a TLS 1.3 record is its last byte that is not
 * zero; what follows is padding (RFC 8446, 5.4).  The padding hides the
 * length of the content, so the scan reads it all with masks and the
 * time tells only n.  It keeps the last 4-byte word that is not zero
 * and its offset: first 16 bytes a step in four lanes of a vector (no
 * branch, no index: each lane keeps its own), then the lanes merged by
 * offset, then the last bytes a word at a time; last, the last byte in
 * that word.  A bad tag left zeros, and zeros give type 0, which no
 * caller takes.  (The vector copies are not wiped: taking their address
 * would keep them out of registers, and the plaintext they hold is in
 * the caller's buffer anyway.)
 */
typedef uint32_t u32x4 __attribute__((vector_size(16)));

static void
inner_type(const uint8_t *p, size_t n, uint8_t *type, size_t *len)
{
	u32x4 v, z, lw = { 0 }, lo = { 0 }, off = { 0, 4, 8, 12 };
	const u32x4 step = { 16, 16, 16, 16 };
	uint32_t w, k, lastw = 0, lastoff = 0, t = 0, at = 0;
	uint8_t b[4];
	size_t i;
	int j;

	/* records are at most 2^14 + 256 bytes: offsets fit 32 bits */
	for (i = 0; n - i >= 16; i += 16, off += step) {
		memcpy(&v, p + i, 16);
		z = (u32x4)(v == 0);	/* == (not !=): one SSE2 compare */
		lw = (v & ~z) | (lw & z);
		lo = (off & ~z) | (lo & z);
	}
	/* the lane with the greatest offset among those that saw a word */
	for (j = 0; j < 4; j++) {
		k = tb_ct_mask32(lw[j]) &
		    (((uint32_t)0 - ((lastoff - lo[j]) >> 31)) | ~tb_ct_mask32(lastw));
		lastw = tb_ct_sel32(k, lw[j], lastw);
		lastoff = tb_ct_sel32(k, lo[j], lastoff);
	}
	for (; i < n; i += 4) {
		memset(b, 0, sizeof b);
		memcpy(b, p + i, n - i < 4 ? n - i : 4);
		memcpy(&w, b, 4);
		k = tb_ct_mask32(w);
		lastw = tb_ct_sel32(k, w, lastw);
		lastoff = tb_ct_sel32(k, (uint32_t)i, lastoff);
	}
	memcpy(b, &lastw, 4);
	for (j = 0; j < 4; j++) {
		k = tb_ct_mask32(b[j]);
		t = tb_ct_sel32(k, b[j], t);
		at = tb_ct_sel32(k, (uint32_t)j, at);
	}
	*type = (uint8_t)t;
	*len = (size_t)lastoff + at;
	tb_wipe(b, sizeof b);
}

int
tls_open(struct tls_aead *a, uint8_t *rec, size_t rlen, uint8_t *type, size_t *plen)
{
	uint8_t n[12], *ct = rec + 5;
	size_t clen;
	int r;

	if (a->seq == UINT64_MAX)
		return -1;
	if (a->v12)
		return open12(a, rec, rlen, type, plen);
	if (rlen < 5 + 16 + 1)
		return -1;
	clen = rlen - 5 - 16;
	nonce(a, n);
	if (a->suite == 0x1303)
		r = tb_chacha20poly1305_open(a->key, n, rec, 5, ct, clen, ct + clen, ct);
	else
		r = tb_gcm_open(&a->gcm, n, rec, 5, ct, clen, ct + clen, ct);
	/* after a bad tag the connection ends: the count moves on either way */
	a->seq++;
	inner_type(ct, clen, type, plen);
	return r < 0 ? -1 : 0;
}

/* --- the connection's state ----------------------------------------------- */

struct tls_ctx *
tls_ctx_new(struct conn *c, struct layers *lv)
{
	struct tls_ctx *t;

	if ((t = tb_calloc(1, sizeof *t)) == NULL)
		return NULL;
	t->c = c;
	t->lv = lv;
	return t;
}

void
tls_ctx_free(struct tls_ctx *t)
{
	if (t == NULL)
		return;
	if (t->hs) {
		tb_wipe(t->hs, t->hscap);
		tb_free(t->hs);
	}
	tb_wipe(t, sizeof *t);
	tb_free(t);
}

int
tls_fail(struct tls_ctx *t, int alert, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->err, sizeof t->err, fmt, ap);
	va_end(ap);
	if (alert >= 0 && !t->failed)
		tls_alert_send(t, alert);
	t->failed = 1;
	errno = EPROTO;
	return -1;
}

/* a failure of the socket below: keep its errno, say what it was */
static int
io_fail(struct tls_ctx *t, const char *during)
{
	int e = errno;

	if (e == ETIMEDOUT)
		snprintf(t->err, sizeof t->err, "timed out %s", during);
	else if (e == EINTR)
		snprintf(t->err, sizeof t->err, "interrupted %s", during);
	else
		snprintf(t->err, sizeof t->err, "%s %s", strerror(e), during);
	t->failed = 1;
	errno = e;
	return -1;
}

/* --- records out ---------------------------------------------------------- */

static void
view_record(struct tls_ctx *t, const char *dir, const uint8_t *h, size_t n)
{
	if (t->lv == NULL)
		return;
	lv_packet(t->lv, "TLS record %s, %zu bytes", dir, n);
	lv_layer(t->lv, "TLS record layer");
	lv_field(t->lv, "content_type", "%u (%s)", h[0],
	    h[0] == TLS_CT_CCS ? "change_cipher_spec" : h[0] == TLS_CT_ALERT ? "alert" :
	    h[0] == TLS_CT_HANDSHAKE ? "handshake" : h[0] == TLS_CT_APPDATA ?
	    "application_data" : "unknown");
	lv_field(t->lv, "legacy_record_version", "0x%04x", get16(h + 1));
	lv_field(t->lv, "length", "%u", get16(h + 3));
}

/* what a protected record carries: TLS 1.3's inner content type, or
 * TLS 1.2's explicit nonce (AES-GCM) */
static void
view_protected(struct tls_ctx *t, const struct tls_aead *a, uint8_t type, size_t len)
{
	char hx[17];
	int i;

	if (!a->v12)
		lv_field(t->lv, "inner content_type", "%u", type);
	else if (!is_chacha(a->suite)) {
		for (i = 0; i < 8; i++)
			snprintf(hx + 2 * i, 3, "%02x", a->explicit_nonce[i]);
		lv_field(t->lv, "explicit_nonce", "%s", hx);
	}
	lv_field(t->lv, "plaintext length", "%zu", len);
}

int
tls_rec_send(struct tls_ctx *t, uint8_t type, const uint8_t *p, size_t n)
{
	size_t chunk;
	long len;

	do {
		chunk = n > TLS_MAX_PLAIN ? TLS_MAX_PLAIN : n;
		if (t->wr.on) {
			len = tls_seal(&t->wr, type, p, chunk, t->out);
			if (len < 0)
				return tls_fail(t, -1, "record sequence number exhausted");
			if (t->lv) {
				view_record(t, "sent", t->out, (size_t)len);
				view_protected(t, &t->wr, type, chunk);
			}
		} else {
			t->out[0] = type;
			/* the first ClientHello says TLS 1.0 for old middleboxes */
			put16(t->out + 1, type == TLS_CT_HANDSHAKE && p[0] ==
			    TLS_HS_CLIENT_HELLO ? 0x0301 : 0x0303);
			put16(t->out + 3, (uint16_t)chunk);
			memcpy(t->out + 5, p, chunk);
			len = (long)(5 + chunk);
			view_record(t, "sent", t->out, (size_t)len);
		}
		if (conn_raw_write(t->c, t->out, (size_t)len) < 0)
			return io_fail(t, "sending a TLS record");
		p += chunk;
		n -= chunk;
	} while (n > 0);
	return 0;
}

void
tls_alert_send(struct tls_ctx *t, int desc)
{
	uint8_t a[2];
	struct layers *lv = t->lv;

	a[0] = desc == TLS_AL_CLOSE_NOTIFY || desc == TLS_AL_USER_CANCELED ||
	    desc == TLS_AL_NO_RENEGOTIATION ? 1 : 2;
	a[1] = (uint8_t)desc;
	if (lv) {
		lv_packet(lv, "TLS alert sent");
		lv_layer(lv, "Alert");
		lv_field(lv, "level", "%u (%s)", a[0], a[0] == 1 ? "warning" : "fatal");
		lv_field(lv, "description", "%u (%s)", a[1], tls_alert_name(a[1]));
	}
	/* best effort: the error that made us send it is what counts */
	(void)tls_rec_send(t, TLS_CT_ALERT, a, 2);
}

/* --- records in ----------------------------------------------------------- */

/*
 * n raw bytes at in + inoff: 1, 0 at EOF (closed before them), -1 error.
 * Reads as much as the socket has, not one record at a time.
 */
static int
raw_need(struct tls_ctx *t, size_t n)
{
	ssize_t r;

	while (t->inlen - t->inoff < n) {
		if (t->inoff > 0) {
			memmove(t->in, t->in + t->inoff, t->inlen - t->inoff);
			t->inlen -= t->inoff;
			t->inoff = 0;
		}
		r = conn_raw_read(t->c, t->in + t->inlen, sizeof t->in - t->inlen);
		if (r < 0)
			return io_fail(t, t->in_handshake ? "during the TLS handshake" :
			    "reading a TLS record");
		if (r == 0)
			return 0;
		t->inlen += (size_t)r;
	}
	return 1;
}

/* after EOF: what to say */
static int
eof_fail(struct tls_ctx *t, int mid)
{
	if (t->in_handshake)
		return tls_fail(t, -1, "connection closed during the TLS handshake");
	if (mid)
		return tls_fail(t, -1, "connection closed in the middle of a TLS record "
		    "after %llu bytes", (unsigned long long)t->appbytes);
	return tls_fail(t, -1, "connection closed without close_notify after %llu bytes",
	    (unsigned long long)t->appbytes);
}

static int
one_record(struct tls_ctx *t)
{
	uint8_t *h;
	size_t len;
	int r;

	if ((r = raw_need(t, 5)) <= 0)
		return r < 0 ? -1 : eof_fail(t, t->inlen > t->inoff);
	h = t->in + t->inoff;
	len = get16(h + 3);
	if (h[0] < TLS_CT_CCS || h[0] > TLS_CT_APPDATA) {
		/* the first bytes of a server that is not speaking TLS */
		if (t->in_handshake && t->rd.seq == 0 && !t->rd.on) {
			char s[24];

			tb_escape_buf(s, sizeof s, h, 5);
			return tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE,
			    "server does not speak TLS (it sent \"%s\")", s);
		}
		return tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE, "record of unknown type %u", h[0]);
	}
	if (h[0] != TLS_CT_APPDATA || !t->rd.on) {
		if (h[1] != 3)
			return tls_fail(t, TLS_AL_PROTOCOL_VERSION,
			    "record with version 0x%04x", get16(h + 1));
	}
	/* TLS 1.2's additional data carries the negotiated version, not the header's */
	if (t->rd.on && t->rd.v12 && get16(h + 1) != TLS_V12)
		return tls_fail(t, TLS_AL_PROTOCOL_VERSION,
		    "record with version 0x%04x", get16(h + 1));
	if (len > TLS_MAX_CIPHER || (!t->rd.on && len > TLS_MAX_PLAIN))
		return tls_fail(t, TLS_AL_RECORD_OVERFLOW,
		    "record of %zu bytes is over the limit", len);
	if ((r = raw_need(t, 5 + len)) <= 0)
		return r < 0 ? -1 : eof_fail(t, 1);
	memcpy(t->rec, t->in + t->inoff, 5 + len);
	t->inoff += 5 + len;
	view_record(t, "received", t->rec, 5 + len);
	t->ptoff = 0;
	t->type = t->rec[0];
	t->ptlen = len;
	if (t->type == TLS_CT_CCS) {
		/*
		 * TLS 1.3: only the middlebox-compatibility one, in the
		 * handshake.  TLS 1.2: the server's, once its keys are ready
		 * and between whole messages; it turns them on.
		 */
		if (!t->in_handshake || len != 1 || t->rec[5] != 1 ||
		    ++t->nccs > TLS_CCS_MAX || (t->v12 && (!t->rd_next.on ||
		    t->hslen > t->hsoff)))
			return tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE,
			    "unexpected change_cipher_spec record");
		if (t->lv)
			lv_layer(t->lv, "ChangeCipherSpec");
		if (t->v12) {
			if (t->lv)
				lv_field(t->lv, "type", "1 (change_cipher_spec): the server's "
				    "records are protected from here on");
			t->rd = t->rd_next;
			tls_aead_wipe(&t->rd_next);
		}
		t->ptlen = 0;
		return 1;
	}
	if (t->rd.on) {
		if (t->type != TLS_CT_APPDATA && !t->rd.v12)
			return tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE,
			    "unprotected record of type %u after the keys changed", t->type);
		if (t->rd.seq == UINT64_MAX)
			return tls_fail(t, TLS_AL_INTERNAL_ERROR,
			    "record sequence number exhausted");
		if (tls_open(&t->rd, t->rec, 5 + len, &t->type, &t->ptlen) < 0)
			return tls_fail(t, TLS_AL_BAD_RECORD_MAC,
			    "record failed its integrity check (bad_record_mac)");
		/* an inner plaintext of zeros only has no content type (5.4) */
		if (t->type == 0)
			return tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE,
			    "protected record without a content type");
		if (t->ptlen > TLS_MAX_PLAIN)
			return tls_fail(t, TLS_AL_RECORD_OVERFLOW,
			    "protected record with more than 2^14 bytes of plaintext");
		if (t->lv)
			view_protected(t, &t->rd, t->type, t->ptlen);
		if (t->type != TLS_CT_ALERT && t->type != TLS_CT_HANDSHAKE &&
		    t->type != TLS_CT_APPDATA)
			return tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE,
			    "protected record of type %u", t->type);
	} else if (t->type == TLS_CT_APPDATA)
		return tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE,
		    "application data before the handshake's keys");
	return 1;
}

int
tls_rec_next(struct tls_ctx *t)
{
	const uint8_t *p;

	for (;;) {
		if (one_record(t) < 0)
			return -1;
		p = t->rec + 5;
		if (t->type == TLS_CT_ALERT) {
			if (t->ptlen != 2)
				return tls_fail(t, TLS_AL_DECODE_ERROR, "malformed alert record");
			if (t->lv) {
				lv_layer(t->lv, "Alert");
				lv_field(t->lv, "level", "%u (%s)", p[0],
				    p[0] == 1 ? "warning" : p[0] == 2 ? "fatal" : "unknown");
				lv_field(t->lv, "description", "%u (%s)", p[1],
				    tls_alert_name(p[1]));
			}
			if (p[1] == TLS_AL_CLOSE_NOTIFY) {
				if (t->in_handshake)
					return tls_fail(t, -1,
					    "server closed the connection during the handshake");
				t->got_close = 1;
				return 0;
			}
			/* user_canceled comes before a close_notify; all else is fatal */
			if (p[1] == TLS_AL_USER_CANCELED && ++t->nempty <= TLS_EMPTY_MAX)
				continue;
			t->failed = 1;
			if (strcmp(tls_alert_name(p[1]), "unknown") == 0)
				return tls_fail(t, -1, "server sent alert %u", p[1]);
			return tls_fail(t, -1, "server sent alert %s", tls_alert_name(p[1]));
		}
		if (t->ptlen == 0) {
			if (t->type == TLS_CT_HANDSHAKE)
				return tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE,
				    "empty handshake record");
			if (++t->nempty > TLS_EMPTY_MAX)
				return tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE,
				    "more than %d records in a row without data", TLS_EMPTY_MAX);
			continue;
		}
		if (t->type == TLS_CT_APPDATA && t->in_handshake)
			return tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE,
			    "application data inside the handshake");
		return 1;
	}
}

size_t
tls_hs_pending(const struct tls_ctx *t)
{
	return t->hslen - t->hsoff;
}

/* a whole message at the front of the buffer: 1, 0 not yet, -1 too long */
static int
hs_take(struct tls_ctx *t, const uint8_t **msg, size_t *len)
{
	size_t need;

	/* the message handed out last time is gone now */
	if (t->hsoff > 0) {
		memmove(t->hs, t->hs + t->hsoff, t->hslen - t->hsoff);
		t->hslen -= t->hsoff;
		t->hsoff = 0;
	}
	if (t->hslen < 4)
		return 0;
	need = 4 + ((size_t)t->hs[1] << 16 | (size_t)t->hs[2] << 8 | t->hs[3]);
	if (need > TLS_HS_MAX)
		return tls_fail(t, TLS_AL_RECORD_OVERFLOW,
		    "handshake message of %zu bytes is over the limit", need);
	if (t->hslen < need)
		return 0;
	*msg = t->hs;
	*len = need;
	t->hsoff = need;
	return 1;
}

/* the current record's plaintext to the end of the buffer */
static int
hs_append(struct tls_ctx *t)
{
	size_t cap;
	uint8_t *nb;

	if (t->hslen + t->ptlen > t->hscap) {
		cap = t->hscap ? t->hscap : 4096;
		while (cap < t->hslen + t->ptlen)
			cap *= 2;
		if ((nb = tb_malloc(cap)) == NULL) {
			snprintf(t->err, sizeof t->err, "out of memory");
			t->failed = 1;
			errno = ENOMEM;
			return -1;
		}
		if (t->hs) {
			memcpy(nb, t->hs, t->hslen);
			tb_wipe(t->hs, t->hscap);
			tb_free(t->hs);
		}
		t->hs = nb;
		t->hscap = cap;
	}
	memcpy(t->hs + t->hslen, t->rec + 5, t->ptlen);
	t->hslen += t->ptlen;
	t->ptlen = 0;
	return 0;
}

int
tls_hs_next(struct tls_ctx *t, const uint8_t **msg, size_t *len)
{
	int r;

	for (;;) {
		if ((r = hs_take(t, msg, len)) != 0) {
			/* no more than one message's worth of empty records */
			t->nempty = 0;
			return r;
		}
		/* the messages of a flight only; anything else in the middle is wrong */
		if ((r = tls_rec_next(t)) <= 0)
			return r;
		if (t->type != TLS_CT_HANDSHAKE)
			return tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE,
			    "record of type %u where a handshake message was due", t->type);
		if (hs_append(t) < 0)
			return -1;
	}
}

/* --- the transport: plaintext after the handshake ------------------------- */

/* a whole record is in the raw buffer: it can be read without waiting */
static int
buffered(const struct tls_ctx *t)
{
	return t->inlen - t->inoff >= 5 &&
	    t->inlen - t->inoff >= 5 + (size_t)get16(t->in + t->inoff + 3);
}

/*
 * Plaintext of one record into buf: > 0 bytes, 0 at close_notify, -1
 * failed, or with nowait -2 where the next record is not whole in the
 * raw buffer yet (nothing was waited for).
 */
static ssize_t
read1(struct tls_ctx *t, uint8_t *buf, size_t n, int nowait)
{
	const uint8_t *msg;
	size_t len;
	int r;

	if (t->failed) {
		errno = EPROTO;
		return -1;
	}
	for (;;) {
		if (t->type == TLS_CT_APPDATA && t->ptoff < t->ptlen)
			break;
		if (t->got_close)
			return 0;
		/* NewSessionTicket and KeyUpdate, whole; TLS 1.2's HelloRequest */
		if ((r = hs_take(t, &msg, &len)) < 0)
			return -1;
		if (r == 1) {
			if ((t->v12 ? tls12_post_hs(t, msg, len) :
			    tls13_post_hs(t, msg, len)) < 0)
				return -1;
			continue;
		}
		if (nowait && !buffered(t))
			return -2;
		if ((r = tls_rec_next(t)) <= 0)
			return r;
		if (t->type == TLS_CT_HANDSHAKE) {
			/* tickets or key updates and never data is a flood */
			if (++t->nempty > TLS_EMPTY_MAX)
				return tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE,
				    "more than %d records in a row without data", TLS_EMPTY_MAX);
			if (hs_append(t) < 0)
				return -1;
			continue;
		}
		if (t->hslen > t->hsoff)
			return tls_fail(t, TLS_AL_UNEXPECTED_MESSAGE,
			    "application data inside a handshake message");
		t->nempty = 0;
	}
	len = t->ptlen - t->ptoff;
	if (len > n)
		len = n;
	memcpy(buf, t->rec + 5 + t->ptoff, len);
	t->ptoff += len;
	t->appbytes += len;
	return (ssize_t)len;
}

/*
 * As much plaintext as buf holds of what is here: the first record may
 * be waited for; after it only the records already whole in the raw
 * buffer are taken (a caller holding data never waits for more).  A
 * close or a failure after some data is reported by the next call.
 */
static ssize_t
tp_read(struct conn *c, void *buf, size_t n)
{
	struct tls_ctx *t = c->tpctx;
	uint8_t *p = buf;
	ssize_t r;
	size_t got;

	if ((r = read1(t, p, n, 0)) <= 0)
		return r;
	for (got = (size_t)r; got < n; got += (size_t)r)
		if ((r = read1(t, p + got, n - got, 1)) <= 0)
			break;
	return (ssize_t)got;
}

static int
tp_write(struct conn *c, const void *buf, size_t n)
{
	struct tls_ctx *t = c->tpctx;

	if (t->failed || t->sent_close) {
		errno = EPIPE;
		return -1;
	}
	if (n == 0)
		return 0;
	return tls_rec_send(t, TLS_CT_APPDATA, buf, n);
}

static size_t
tp_pending(struct conn *c)
{
	struct tls_ctx *t = c->tpctx;

	if (t->type == TLS_CT_APPDATA && t->ptoff < t->ptlen)
		return t->ptlen - t->ptoff;
	/* a whole record in the raw buffer is readable without waiting */
	return buffered(t) ? 1 : 0;
}

static int
tp_shutdown(struct conn *c)
{
	struct tls_ctx *t = c->tpctx;

	if (t->sent_close)
		return 0;
	t->sent_close = 1;
	if (t->failed)
		return -1;
	tls_alert_send(t, TLS_AL_CLOSE_NOTIFY);
	return t->failed ? -1 : 0;
}

static void
tp_free(struct conn *c)
{
	tls_ctx_free(c->tpctx);
	c->tpctx = NULL;
}

const struct conn_transport tls_transport = {
	.name = "tls",
	.read = tp_read,
	.write = tp_write,
	.pending = tp_pending,
	.shutdown = tp_shutdown,
	.free = tp_free,
};

const char *
tls_error(struct conn *c)
{
	struct tls_ctx *t;

	if (c->tp != &tls_transport || (t = c->tpctx) == NULL || t->err[0] == '\0')
		return NULL;
	return t->err;
}

const struct tls_ticket *
tls_ticket(struct conn *c)
{
	struct tls_ctx *t;

	if (c->tp != &tls_transport || (t = c->tpctx) == NULL || !t->ticket.valid)
		return NULL;
	return &t->ticket;
}

uint64_t
tls_received(struct conn *c)
{
	struct tls_ctx *t;

	if (c->tp != &tls_transport || (t = c->tpctx) == NULL)
		return 0;
	return t->appbytes;
}
