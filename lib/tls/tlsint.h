/*
 * tls/tlsint.h - what the files of the TLS client share: the record
 * layer (record.c), the key schedule and handshake (tls13.c) and the
 * decoders (tlsview.c).  Not an interface for commands: that is tls.h.
 * The tests (t_tls13, ct_tls) use the key schedule and the record
 * protection directly.
 */
#ifndef TUBES_TLS_TLSINT_H
#define TUBES_TLS_TLSINT_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/aes.h"
#include "crypto/hash.h"
#include "tls/tls.h"

/* content types (RFC 8446 5.1) */
enum {
	TLS_CT_CCS = 20,
	TLS_CT_ALERT = 21,
	TLS_CT_HANDSHAKE = 22,
	TLS_CT_APPDATA = 23
};

/* handshake types (RFC 8446 4) */
enum {
	TLS_HS_CLIENT_HELLO = 1,
	TLS_HS_SERVER_HELLO = 2,
	TLS_HS_NEW_SESSION_TICKET = 4,
	TLS_HS_END_OF_EARLY_DATA = 5,
	TLS_HS_ENCRYPTED_EXTENSIONS = 8,
	TLS_HS_CERTIFICATE = 11,
	TLS_HS_CERTIFICATE_REQUEST = 13,
	TLS_HS_CERTIFICATE_VERIFY = 15,
	TLS_HS_FINISHED = 20,
	TLS_HS_KEY_UPDATE = 24,
	TLS_HS_MESSAGE_HASH = 254,
	TLS_HS_HELLO_RETRY = 0x100	/* not on the wire: the view's name for an HRR */
};

/* alert descriptions used here (RFC 8446 6) */
enum {
	TLS_AL_CLOSE_NOTIFY = 0,
	TLS_AL_UNEXPECTED_MESSAGE = 10,
	TLS_AL_BAD_RECORD_MAC = 20,
	TLS_AL_RECORD_OVERFLOW = 22,
	TLS_AL_HANDSHAKE_FAILURE = 40,
	TLS_AL_BAD_CERTIFICATE = 42,
	TLS_AL_CERTIFICATE_EXPIRED = 45,
	TLS_AL_CERTIFICATE_UNKNOWN = 46,
	TLS_AL_ILLEGAL_PARAMETER = 47,
	TLS_AL_UNKNOWN_CA = 48,
	TLS_AL_DECODE_ERROR = 50,
	TLS_AL_DECRYPT_ERROR = 51,
	TLS_AL_PROTOCOL_VERSION = 70,
	TLS_AL_INTERNAL_ERROR = 80,
	TLS_AL_USER_CANCELED = 90,
	TLS_AL_MISSING_EXTENSION = 109,
	TLS_AL_UNSUPPORTED_EXTENSION = 110,
	TLS_AL_NO_APPLICATION_PROTOCOL = 120
};

/* extension types (RFC 8446 4.2, RFC 6066, RFC 7301) */
enum {
	TLS_EXT_SERVER_NAME = 0,
	TLS_EXT_SUPPORTED_GROUPS = 10,
	TLS_EXT_SIGNATURE_ALGORITHMS = 13,
	TLS_EXT_ALPN = 16,
	TLS_EXT_PRE_SHARED_KEY = 41,
	TLS_EXT_EARLY_DATA = 42,
	TLS_EXT_SUPPORTED_VERSIONS = 43,
	TLS_EXT_COOKIE = 44,
	TLS_EXT_PSK_KEX_MODES = 45,
	TLS_EXT_SIGNATURE_ALGORITHMS_CERT = 50,
	TLS_EXT_KEY_SHARE = 51
};

#define TLS_MAX_PLAIN	16384		/* 2^14 */
#define TLS_MAX_CIPHER	(16384 + 256)	/* 2^14 + 256 */
#define TLS_HS_MAX	(128 * 1024)	/* the longest handshake message taken */
#define TLS_EMPTY_MAX	32		/* records in a row that carry no data */
#define TLS_CCS_MAX	2		/* ChangeCipherSpec records in a handshake */

/* one direction's record protection */
struct tls_aead {
	int on;
	uint16_t suite;
	uint8_t key[32];	/* ChaCha20's key; AES's is in gcm */
	uint8_t iv[12];
	uint64_t seq;
	struct tb_gcm gcm;
};

/*
 * The hash and AEAD of a TLS 1.3 suite: hash NULL for a suite that is
 * not one of the three.
 */
const struct tb_hash *tls13_suite_hash(uint16_t suite, size_t *keylen);

/* HKDF-Expand-Label (RFC 8446 7.1): 0, or -1 if a length is over its limit */
int tls13_expand_label(const struct tb_hash *, const uint8_t *secret,
    const char *label, const uint8_t *context, size_t clen, uint8_t *out, size_t olen);
/* Derive-Secret with the transcript hash already taken (h->len bytes) */
void tls13_derive(const struct tb_hash *, const uint8_t *secret, const char *label,
    const uint8_t *thash, uint8_t *out);
/* the finished MAC: HMAC(Expand-Label(base, "finished"), thash) */
void tls13_finished(const struct tb_hash *, const uint8_t *base, const uint8_t *thash,
    uint8_t *out);

/*
 * Keys from a traffic secret (key and iv, RFC 8446 7.3); seq set to 0.
 * Wipes nothing of the secret.  0, or -1 for an unknown suite.
 */
int tls_aead_set(struct tls_aead *, uint16_t suite, const uint8_t *secret);
void tls_aead_wipe(struct tls_aead *);
/*
 * Protect one record: the inner plaintext pt || type (no padding) into
 * out as a TLSCiphertext (header included).  Returns its length, or -1
 * when the sequence number would wrap or len is over 2^14.  out holds
 * 5 + len + 1 + 16 bytes.
 */
long tls_seal(struct tls_aead *, uint8_t type, const uint8_t *pt, size_t len, uint8_t *out);
/*
 * Open a TLSCiphertext rec (header included, rlen bytes) in place: the
 * inner plaintext's content goes to rec + 5, its length to *plen and
 * its type to *type (0 when it is zeros only).  The padding is found
 * without a branch on the plaintext and the tag's verdict is not
 * branched on either: the caller checks the return, then *type and
 * *plen (over 2^14 is an overflow).  -1 for a bad tag (the plaintext
 * is zeros then), a record too short or a sequence number that would
 * wrap.
 */
int tls_open(struct tls_aead *, uint8_t *rec, size_t rlen, uint8_t *type, size_t *plen);

/* the connection's state: tls_start makes it, conn_close frees it */
struct tls_ctx {
	struct conn *c;
	struct layers *lv;
	struct tls_aead rd, wr;
	const struct tb_hash *h;
	uint16_t suite;
	uint8_t c_ap[48], s_ap[48];	/* application traffic secrets (KeyUpdate) */
	uint8_t res_master[48];
	uint8_t crandom[32];
	const char *keylog;
	int in_handshake;	/* CCS may come; app data may not */
	unsigned nempty, nccs;
	int got_close, sent_close, failed;
	uint64_t appbytes;	/* plaintext delivered */
	char err[256];
	struct tls_ticket ticket;
	/* raw bytes from the socket: in[inoff, inlen) */
	size_t inoff, inlen;
	uint8_t in[2 * (5 + TLS_MAX_CIPHER)];
	/* the current record, and its plaintext at pt[ptoff, ptlen) */
	uint8_t rec[5 + TLS_MAX_CIPHER];
	uint8_t type;
	size_t ptoff, ptlen;
	/* handshake messages being put together: hs[hsoff, hslen) */
	uint8_t *hs;
	size_t hscap, hsoff, hslen;
	/* a record going out */
	uint8_t out[5 + TLS_MAX_PLAIN + 1 + 16];
};

/* record.c */
struct tls_ctx *tls_ctx_new(struct conn *, struct layers *);
void tls_ctx_free(struct tls_ctx *);
/* set ctx->err, errno EPROTO, send the alert (if alert >= 0); -1 */
int tls_fail(struct tls_ctx *, int alert, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* the next record with data: 1 (type/pt set), 0 close_notify, -1 error */
int tls_rec_next(struct tls_ctx *);
/* send len bytes of type (fragmented, protected if wr is on); 0 or -1 */
int tls_rec_send(struct tls_ctx *, uint8_t type, const uint8_t *, size_t);
void tls_alert_send(struct tls_ctx *, int desc);
/*
 * The next whole handshake message: 1 with *msg (header included) and
 * *len set, valid until the next call; 0 close_notify; -1 error.
 */
int tls_hs_next(struct tls_ctx *, const uint8_t **msg, size_t *len);
/* bytes of a handshake message waiting in the buffer (key changes need 0) */
size_t tls_hs_pending(const struct tls_ctx *);
/* the transport of conn.h */
extern const struct conn_transport tls_transport;

/* tls13.c: one certificate's fields for -X */
void tls_view_cert(struct layers *, const uint8_t *der, size_t len);
/* tls13.c: a post-handshake message (NewSessionTicket, KeyUpdate) */
int tls13_post_hs(struct tls_ctx *, const uint8_t *msg, size_t len);

#endif
