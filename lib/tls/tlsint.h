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
#include "tls/x509.h"

struct cursor;

/* content types (RFC 8446 5.1) */
enum {
	TLS_CT_CCS = 20,
	TLS_CT_ALERT = 21,
	TLS_CT_HANDSHAKE = 22,
	TLS_CT_APPDATA = 23
};

/* handshake types (RFC 8446 4) */
enum {
	TLS_HS_HELLO_REQUEST = 0,	/* TLS 1.2 */
	TLS_HS_CLIENT_HELLO = 1,
	TLS_HS_SERVER_HELLO = 2,
	TLS_HS_NEW_SESSION_TICKET = 4,
	TLS_HS_END_OF_EARLY_DATA = 5,
	TLS_HS_ENCRYPTED_EXTENSIONS = 8,
	TLS_HS_CERTIFICATE = 11,
	TLS_HS_SERVER_KEY_EXCHANGE = 12,	/* TLS 1.2 */
	TLS_HS_CERTIFICATE_REQUEST = 13,
	TLS_HS_SERVER_HELLO_DONE = 14,	/* TLS 1.2 */
	TLS_HS_CERTIFICATE_VERIFY = 15,
	TLS_HS_CLIENT_KEY_EXCHANGE = 16,	/* TLS 1.2 */
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
	TLS_AL_NO_RENEGOTIATION = 100,
	TLS_AL_MISSING_EXTENSION = 109,
	TLS_AL_UNSUPPORTED_EXTENSION = 110,
	TLS_AL_NO_APPLICATION_PROTOCOL = 120
};

/* extension types (RFC 8446 4.2, RFC 6066, RFC 7301) */
enum {
	TLS_EXT_SERVER_NAME = 0,
	TLS_EXT_SUPPORTED_GROUPS = 10,
	TLS_EXT_EC_POINT_FORMATS = 11,		/* RFC 8422 5.1.2 */
	TLS_EXT_SIGNATURE_ALGORITHMS = 13,
	TLS_EXT_ALPN = 16,
	TLS_EXT_EXTENDED_MASTER_SECRET = 23,	/* RFC 7627 */
	TLS_EXT_SESSION_TICKET = 35,		/* RFC 5077 */
	TLS_EXT_PRE_SHARED_KEY = 41,
	TLS_EXT_EARLY_DATA = 42,
	TLS_EXT_SUPPORTED_VERSIONS = 43,
	TLS_EXT_COOKIE = 44,
	TLS_EXT_PSK_KEX_MODES = 45,
	TLS_EXT_SIGNATURE_ALGORITHMS_CERT = 50,
	TLS_EXT_KEY_SHARE = 51,
	TLS_EXT_RENEGOTIATION_INFO = 0xff01	/* RFC 5746 */
};

#define TLS_MAX_PLAIN	16384		/* 2^14 */
#define TLS_MAX_CIPHER	(16384 + 256)	/* 2^14 + 256 */
#define TLS_HS_MAX	(128 * 1024)	/* the longest handshake message taken */
#define TLS_EMPTY_MAX	32		/* records in a row that carry no data */
#define TLS_CCS_MAX	2		/* ChangeCipherSpec records in a handshake */

/*
 * one direction's record protection.  TLS 1.3: nonce iv XOR seq, the
 * inner content type inside.  TLS 1.2 (v12): the content type in the
 * header, the additional data seq || type || version || length
 * (RFC 5246 6.2.3.3); AES-GCM's nonce is the 4-byte implicit iv and an
 * explicit 8 bytes sent before the ciphertext, here the sequence number
 * (RFC 5288 3); ChaCha20-Poly1305's is iv XOR seq (RFC 7905 2).
 */
struct tls_aead {
	int on;
	int v12;
	uint16_t suite;
	uint8_t key[32];	/* ChaCha20's key; AES's is in gcm */
	uint8_t iv[12];
	uint64_t seq;
	uint8_t explicit_nonce[8];	/* TLS 1.2 AES-GCM: the last record's, for -X */
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
 * A PSK binder (RFC 8446 4.2.11.2): the early secret from psk, its
 * "res binder" key, and the Finished MAC of thash (the transcript up
 * to the truncated ClientHello) into out (h->len bytes).  Also the
 * early secret into early (for the key schedule), or NULL.
 */
void tls13_binder(const struct tb_hash *, const uint8_t *psk, const uint8_t *thash,
    uint8_t *out, uint8_t *early);

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
 * 5 + 8 + len + 1 + 16 bytes.  TLS 1.2 (v12): no inner type, type goes
 * in the header, and AES-GCM puts its explicit nonce first.
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
 * wrap.  TLS 1.2 (v12): *type is the header's, *plen the length after
 * the explicit nonce and the tag, and the plaintext is moved to rec + 5.
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
	int v12;		/* the server chose TLS 1.2 */
	struct tls_aead rd_next;	/* TLS 1.2: the server's keys, on at its CCS */
	uint8_t crandom[32];
	const char *keylog;
	int in_handshake;	/* CCS may come; app data may not */
	unsigned nempty, nccs;
	int got_close, sent_close, failed;
	uint64_t appbytes;	/* plaintext delivered */
	char err[256];
	struct tls_ticket ticket;
	struct tls_info peer;	/* the handshake's outcome, for tls_session_get */
	char host[256];		/* the name the certificate was checked for */
	/* raw bytes from the socket: in[inoff, inlen); room for 8 records,
	 * so that a fast stream is read in few reads (64 MiB from nginx:
	 * 2,054 reads of 32 KiB before) */
	size_t inoff, inlen;
	uint8_t in[8 * (5 + TLS_MAX_CIPHER)];
	/* the current record, and its plaintext at pt[ptoff, ptlen) */
	uint8_t rec[5 + TLS_MAX_CIPHER];
	uint8_t type;
	size_t ptoff, ptlen;
	/* handshake messages being put together: hs[hsoff, hslen) */
	uint8_t *hs;
	size_t hscap, hsoff, hslen;
	/* a record going out */
	uint8_t out[5 + 8 + TLS_MAX_PLAIN + 1 + 16];
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

/* --- the handshake's state (tls13.c and tls12.c) ------------------------- */

#define CH_MAX 2048
#define COOKIE_MAX 1024
#define MAX_CERTS 32


struct tls_hs {
	struct tls_ctx *t;
	const struct tls_config *cfg;
	struct tls_info *info;
	uint8_t random[32], sid[32];
	size_t sidlen;
	uint16_t group;		/* the key share sent */
	uint8_t xpriv[32], xpub[32];
	uint8_t ppriv[48], ppub[97];	/* secp256r1 or secp384r1, as group says */
	uint8_t cookie[COOKIE_MAX];
	size_t cookielen;
	const uint16_t *suites;
	size_t nsuites;
	uint16_t suitebuf[16];	/* the suites offered, when not the test's */
	int offer12, offer13;	/* the versions the ClientHello offers */
	uint8_t srandom[32];	/* the server's random (TLS 1.2) */
	uint16_t sent_ext[32];	/* extension types the ClientHello had */
	size_t nsent;
	int hrr;
	int ccs_sent;
	uint8_t ch[CH_MAX];	/* the ClientHello, until the hash is known */
	size_t chlen;
	const struct tb_hash *h;
	tb_hash_ctx th;		/* the transcript */
	uint8_t hs_secret[TB_HASH_MAX], c_hs[TB_HASH_MAX], s_hs[TB_HASH_MAX];
	uint8_t master[TB_HASH_MAX];
	uint8_t *certmsg;	/* a copy of the Certificate message */
	size_t certlen;
	struct tb_verify v;
	int have_leaf;
	int certreq;
	uint8_t certreq_ctx[256];
	size_t certreq_ctxlen;
	/* resumption: the session offered, its PSK's hash, and the outcome */
	const struct tls_session *psk;
	const struct tb_hash *psk_h;
	int psk_sent;		/* the last ClientHello offered it */
	int psk_taken;		/* the ServerHello selected it (1.2: echoed our id) */
	const struct tls_session *sess12;	/* a TLS 1.2 session offered */
	int ticket12;		/* a TLS 1.2 server will send a NewSessionTicket */
};

/* the extensions block of a message: each type once; calls back per one */
struct ext {
	uint16_t type;
	const uint8_t *p;
	size_t len;
};
#define EXT_MAX 32

void tls_th_add(struct tls_hs *, const uint8_t *, size_t);
void tls_th_now(struct tls_hs *, uint8_t *out);
/* -X of a handshake message (and its bytes) */
void tls_view_msg(struct tls_hs *, int from_server, const uint8_t *, size_t);
/* the next handshake message, of type want or want2: 0, or -1 */
int tls_next_msg(struct tls_hs *, int want, int want2, const uint8_t **, size_t *);
int tls_parse_exts(struct tls_hs *, struct cursor *, struct ext *, size_t *ne,
    const char *what);
/* the Certificate message: the chain checked, the leaf in s->v.leaf */
int tls_certificate(struct tls_hs *, const uint8_t *, size_t);
/* a fresh key pair of s->group (secp256r1 or secp384r1): 0, or -1 */
int tls_ec_keypair(struct tls_hs *);
/* the public point's length of an EC group, 0 if not one */
size_t tls_ec_publen(uint16_t group);
/* the shared secret of s->group with peer's point: its length, or 0 */
size_t tls_ec_shared(struct tls_hs *, uint8_t out[48], const uint8_t *peer, size_t plen);
/* one NSS key log line (SSLKEYLOGFILE), if path is set */
void tls_keylog(const char *path, const char *label, const uint8_t *crandom,
    const uint8_t *secret, size_t n);
/* the ALPN extension of a ServerHello / EncryptedExtensions: 0 or -1 */
int tls_alpn_check(struct tls_hs *, const uint8_t *p, size_t len);

/* --- TLS 1.2 (tls12.c) ------------------------------------------------------ */

/* a TLS 1.2 suite here: its PRF hash, AEAD key and iv lengths; NULL if not */
const struct tb_hash *tls12_suite_hash(uint16_t suite, size_t *keylen, size_t *ivlen);
/* the record protection from the key block's key and iv; seq set to 0 */
int tls12_aead_set(struct tls_aead *, uint16_t suite, const uint8_t *key,
    const uint8_t *iv);
/* RFC 7627 4: master = PRF(pms, "extended master secret", session_hash) */
void tls12_master(const struct tb_hash *, const uint8_t *pms, size_t pmslen,
    const uint8_t *session_hash, uint8_t master[48]);
/* RFC 5246 6.3: PRF(master, "key expansion", server_random || client_random) */
void tls12_key_block(const struct tb_hash *, const uint8_t master[48],
    const uint8_t *crandom, const uint8_t *srandom, uint8_t *out, size_t len);
/* RFC 5246 7.4.9: PRF(master, label, transcript hash)[0..12] */
void tls12_verify_data(const struct tb_hash *, const uint8_t master[48],
    const char *label, const uint8_t *thash, uint8_t out[12]);
/* the rest of a TLS 1.2 handshake, from its ServerHello m */
int tls12_handshake(struct tls_hs *, const uint8_t *m, size_t n);
/* the TLS 1.2 message parsers, for tls_fuzz_stream */
int tls12_fuzz_msg(struct tls_hs *, const uint8_t *, size_t);
/* a handshake message after a TLS 1.2 handshake (HelloRequest) */
int tls12_post_hs(struct tls_ctx *, const uint8_t *, size_t);

#endif
