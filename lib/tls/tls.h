/*
 * tls/tls.h - the TLS 1.3 (RFC 8446) and 1.2 (RFC 5246) client on a
 * struct conn.
 *
 * tls_start runs the handshake over a connected conn, moving ciphertext
 * with conn_raw_read / conn_raw_write, so every wait keeps the conn's
 * idle limit, total deadline and the signal flag.  On success it puts
 * itself in the conn's transport slot: conn_read, conn_line, conn_write
 * then carry plaintext, and conn_close frees it.  A read returns 0 only
 * after the server's close_notify; a connection that ends without one
 * is a truncation: -1 with errno EPROTO, and tls_error() says
 * "connection closed without close_notify after N bytes".
 *
 * What the client offers: TLS 1.3 and 1.2 in one ClientHello unless
 * min_version / max_version leave one out (tls12.c says what TLS 1.2
 * takes: ECDHE with AES-GCM or ChaCha20-Poly1305, the extended master
 * secret required, no renegotiation; a TLS 1.2 answer
 * with the downgrade sentinel is refused when TLS 1.3 was offered);
 * TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384,
 * TLS_CHACHA20_POLY1305_SHA256; key shares x25519 (sent first) and
 * secp256r1 and secp384r1 (after a HelloRetryRequest, or first with
 * TLS_GROUP_P256 / _P384; TLS 1.2's ECDHE takes the three);
 * signature schemes ecdsa_secp256r1_sha256, ecdsa_secp384r1_sha384,
 * rsa_pss_rsae_sha256/384/512, ed25519 (rsa_pkcs1_sha256/384/512 for
 * certificates only, in signature_algorithms_cert); SNI, ALPN, the
 * middlebox-compatibility session id and ChangeCipherSpec;
 * psk_key_exchange_modes psk_dhe_ke.  After the handshake: KeyUpdate
 * (answered when the server asks), NewSessionTicket (kept, see
 * tls_session_get).  Resumption (TLS 1.3 only): a session from an
 * earlier connection is offered as a PSK (psk_dhe_ke: a fresh key share
 * still goes along, so forward secrecy holds; no 0-RTT) with its binder,
 * its obfuscated age, only while its lifetime lasts and only to the name
 * it was verified for; a server that takes it sends no certificate.
 * TLS 1.2: session tickets (RFC 5077; session_ticket sent, a random
 * session id so the server's echo says it resumed), the extended master
 * secret required on resumption as on every handshake.
 *
 * The certificate chain goes to tb_x509_verify_chain (x509.h) and the
 * leaf's key checks CertificateVerify with tb_x509_verify_sig.  With
 * insecure set the chain's verdict is ignored (info->verified is 0),
 * but CertificateVerify and Finished are still checked.
 *
 * Secrets: the key schedule (tls13.c) and the record protection
 * (record.c) have no branch or index on a secret; every secret is wiped
 * when it is no longer needed (tests/crypto/ct_tls.c checks them under
 * valgrind).  With keylog set, the traffic secrets are appended to that
 * file in the NSS key log format (SSLKEYLOGFILE), so Wireshark can
 * decrypt a capture.
 *
 * -X (cfg->lv): every record header, and every handshake message both
 * ways decoded field by field, the encrypted ones too.
 *
 * Tested by tests/unit/t_tls13.c (RFC 8448 section 3 replayed),
 * tests/unit/t_tls12.c (TLS 1.2 keys and records against independent
 * values, the ClientHello per version range, ServerHellos refused),
 * tests/tls.bats (openssl s_server, TLS 1.3 and 1.2),
 * fuzz/fz_tls_record.c, and tests/crypto/ct_tls.c.
 */
#ifndef TUBES_TLS_TLS_H
#define TUBES_TLS_TLS_H

#include <stddef.h>
#include <stdint.h>

struct conn;
struct layers;
struct tb_trust;
struct tb_x509;

#define TLS_V12 0x0303
#define TLS_V13 0x0304

enum {
	TLS_GROUP_X25519 = 0x001d,
	TLS_GROUP_P256 = 0x0017,
	TLS_GROUP_P384 = 0x0018
};

/*
 * For tests only: fixed inputs instead of random ones, and the
 * extensions of the ClientHello in a given order (RFC 8448's trace has
 * its own set).  An extension with body NULL is built by the client
 * itself (server_name, supported_versions, key_share,
 * psk_key_exchange_modes, supported_groups, signature_algorithms,
 * signature_algorithms_cert, application_layer_protocol_negotiation);
 * one with a body is sent as given.
 */
struct tls_test_ext {
	uint16_t type;
	const uint8_t *body;
	size_t len;
};
struct tls_test {
	const uint8_t *random;		/* 32 bytes */
	const uint8_t *x25519;		/* 32 bytes: the key share's private key */
	int sid_len;			/* legacy_session_id length (0 or 32) */
	const uint16_t *suites;		/* cipher suites in this order */
	size_t nsuites;
	const struct tls_test_ext *exts;	/* NULL: the usual ones */
	size_t nexts;
	/*
	 * If set, checks CertificateVerify instead of tb_x509_verify_sig:
	 * RFC 8448's server key is RSA-1024, below the 2048-bit floor of
	 * lib/crypto/rsa.h, so its replay checks the signature with a lower
	 * floor.
	 */
	int (*verify_sig)(const struct tb_x509 *, int scheme, const uint8_t *msg,
	    size_t mlen, const uint8_t *sig, size_t slen);
};

struct tls_config {
	const char *sni;	/* server_name to send; NULL or an IP literal: none */
	const char *host;	/* checked against the certificate; NULL: sni */
	const char *alpn;	/* comma-separated protocols to offer, or NULL */
	int min_version, max_version;	/* TLS_V12 / TLS_V13; 0: 1.2 / 1.3 */
	int group;		/* the first key share: TLS_GROUP_X25519 (0), _P256, _P384 */
	int insecure;		/* -k: a chain that fails is still used */
	const struct tb_trust *trust;	/* anchors; NULL: every chain fails */
	int64_t now;		/* seconds since the epoch; 0: the clock */
	const char *keylog;	/* SSLKEYLOGFILE, or NULL */
	const struct tls_session *resume;	/* a session to offer, or NULL */
	struct layers *lv;	/* -X */
	const struct tls_test *test;	/* NULL outside tests */
};

/*
 * a NewSessionTicket as received (RFC 8446 4.6.1), with its PSK; or a
 * TLS 1.2 one (RFC 5077 3.3, v12 set), with the master secret in psk
 */
#define TLS_TICKET_MAX 1024
struct tls_ticket {
	int valid;
	int v12;
	uint32_t lifetime, age_add;
	int64_t received;	/* tb_now() when it came */
	uint16_t suite;
	uint8_t psk[48];	/* HKDF-Expand-Label(res master, "resumption", nonce) */
	size_t psklen;
	uint8_t ticket[TLS_TICKET_MAX];
	size_t len;
	uint32_t max_early_data;
};

#define TLS_CHAIN_MAX 10
struct tls_info {
	int version;		/* TLS_V13 or TLS_V12 */
	const char *suite;	/* "TLS_AES_128_GCM_SHA256" */
	const char *group;	/* "x25519" */
	int hrr;		/* a HelloRetryRequest came */
	char alpn[64];		/* the protocol the server chose, or "" */
	int verified;		/* the chain checked out */
	char verify_why[256];	/* why not, when it did not */
	int sig_scheme;		/* CertificateVerify's scheme */
	uint8_t spki_sha256[32];	/* the SHA-256 of the leaf's SubjectPublicKeyInfo */
	int have_spki;		/* (for --pinnedpubkey) */
	size_t nchain;		/* certificates the server sent */
	char chain[TLS_CHAIN_MAX][128];	/* their subjects (escaped) or "" */
	int resumed;		/* the server took the session offered */
};

/*
 * A session to resume on a later connection to the same server (RFC
 * 8446 2.2): the newest NewSessionTicket with its PSK, the name it was
 * verified for, and the first connection's tls_info (the verdict on the
 * chain, the chain's subjects, the pinned key's hash), which a resumed
 * connection reports as its own: the server proves it holds the PSK,
 * so the certificate is not sent again.  In memory only: it holds a
 * secret, never write it anywhere; tls_session_wipe when done.
 */
struct tls_session {
	int valid;
	char host[256];		/* the name checked against the certificate */
	struct tls_ticket ticket;
	struct tls_info peer;
};

/*
 * The handshake.  0, the conn now carries plaintext; or -1 with a
 * message in why ("server sent alert handshake_failure", "unknown
 * issuer CN=...", "server chose TLS 1.2") and errno: EPROTO (the peer
 * broke the protocol, or a certificate failed), ETIMEDOUT, EINTR, or
 * the socket's.  A fatal alert is sent to the peer where one fits.
 * info may be NULL.
 */
int tls_start(struct conn *, const struct tls_config *, struct tls_info *,
    char *why, size_t cap);

/* the message of the last failed read or write on a TLS conn, or NULL */
const char *tls_error(struct conn *);

/* the newest NewSessionTicket the server sent, or NULL */
const struct tls_ticket *tls_ticket(struct conn *);

/*
 * The session of a TLS conn, to offer on the next connection to the
 * same host (tls_config.resume): 0 and *out filled, or -1 (no ticket
 * came, or it is expired).  Take it after reading the reply: TLS 1.3
 * servers send tickets after the handshake.  A resumed connection
 * hands on the same session (with a new ticket if one came).
 */
int tls_session_get(struct conn *, struct tls_session *out);
void tls_session_wipe(struct tls_session *);

/* plaintext bytes received so far (for messages and -j) */
uint64_t tls_received(struct conn *);

/* --- for the tests and the fuzzer ---------------------------------------- */

/* the name of an alert description, a cipher suite, a group, a
 * signature scheme, a handshake type, an extension; "unknown" if none */
const char *tls_alert_name(int);
const char *tls_suite_name(int);
const char *tls_group_name(int);
const char *tls_sigscheme_name(int);
const char *tls_hs_name(int);
const char *tls_ext_name(int);

/*
 * Decode one handshake message (type, uint24 length, body) field by
 * field to lv, bounded by len; from_server picks the ServerHello /
 * ClientHello reading of the shared types, and its bit 2 the TLS 1.2
 * reading (Certificate, CertificateRequest).  Returns 0, or -1 if the
 * message is malformed (what could be read is shown).
 */
int tls_view_hs(struct layers *, int from_server, const uint8_t *, size_t);

/*
 * The record reader on any bytes, for the fuzzer: feed the stream
 * read from fd (a pipe) to the record layer and the handshake
 * reassembly in cleartext, then the message parsers; returns the
 * number of handshake messages that parsed.  Never crashes on any
 * input (that is what fz_tls_record checks).
 */
int tls_fuzz_stream(int fd, struct layers *);

#endif
