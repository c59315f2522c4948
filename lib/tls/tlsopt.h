/*
 * tls/tlsopt.h - the TLS options every TLS-capable command takes, with
 * the same names everywhere (curl's), and starting TLS on a connection
 * with them: the trust store opened once, SSLKEYLOGFILE honoured, -k
 * said loudly on stderr every time, the pinned key checked.
 *
 *   --cacert FILE      anchors from FILE instead of the system's
 *   --capath DIR       anchors from DIR's *.pem / *.crt files
 *   -k, --insecure     go on when the chain does not verify (a line on
 *                      stderr each time); the handshake's own checks
 *                      (CertificateVerify, Finished) still hold
 *   --tls-min V, --tls-max V   1.2 or 1.3
 *   --pinnedpubkey sha256//BASE64[;sha256//...]   the server's public
 *                      key (the SHA-256 of its SubjectPublicKeyInfo)
 *                      must be one of these, verified chain or not
 *
 * A command puts TLSOPT_LONGOPTS in its option table and hands every
 * option it does not know to tlsopt_arg.
 */
#ifndef TUBES_TLS_TLSOPT_H
#define TUBES_TLS_TLSOPT_H

#include <getopt.h>
#include <stddef.h>

#include "tls/tls.h"

struct conn;
struct json;
struct layers;

enum {
	TLSOPT_CACERT = 0x7400,
	TLSOPT_CAPATH,
	TLSOPT_MIN,
	TLSOPT_MAX,
	TLSOPT_PIN,
	TLSOPT_INSECURE = 'k'
};

#define TLSOPT_LONGOPTS \
	{ "cacert", required_argument, NULL, TLSOPT_CACERT }, \
	{ "capath", required_argument, NULL, TLSOPT_CAPATH }, \
	{ "insecure", no_argument, NULL, TLSOPT_INSECURE }, \
	{ "tls-min", required_argument, NULL, TLSOPT_MIN }, \
	{ "tls-max", required_argument, NULL, TLSOPT_MAX }, \
	{ "pinnedpubkey", required_argument, NULL, TLSOPT_PIN }

/* the --help lines of the options above */
#define TLSOPT_HELP \
	"      --cacert FILE         trust the CAs in FILE instead of the system's\n" \
	"      --capath DIR          trust the CAs in DIR's .pem/.crt files\n" \
	"  -k, --insecure            go on when the certificate does not verify (warned)\n" \
	"      --tls-min V, --tls-max V   TLS version range, 1.2 or 1.3\n" \
	"      --pinnedpubkey sha256//B64   the server's key must be this one\n"

struct tlsopt {
	const char *cacert, *capath;
	int insecure;
	int min, max;		/* TLS_V12 / TLS_V13; 0: the defaults */
	const char *pin;	/* --pinnedpubkey */
	struct tb_trust *trust;	/* opened by the first tlsopt_start */
	/* a session (tls_session_get) tlsopt_start offers; the caller's,
	 * set for one call (in memory only) */
	const struct tls_session *resume;
	/* the handshake as a whole within this many µs (a trickling server
	 * must not hold it for as long as each byte beats the idle limit);
	 * 0: the conn's idle limit, as for one reply; < 0: none */
	int64_t handshake_us;
	/* the first key share (TLS_GROUP_*; 0: x25519), set for one call: a
	 * server known to want another saves a HelloRetryRequest */
	int group;
};

/*
 * One option of getopt_long: 1 if it was a TLS option (stored in o), 0
 * if not.  A bad value is a usage error (exit 2).
 */
int tlsopt_arg(struct tlsopt *, int ch, const char *arg);

/*
 * TLS on the connected c, to host (the name checked against the
 * certificate and sent as SNI unless it is an address literal), offering
 * alpn (or NULL), the whole handshake within o->handshake_us (the conn's
 * own deadline restored after it).  0, the conn carries plaintext; -1
 * with why.  Opens the
 * trust store on first use; says "-k: ..." on stderr when a chain that
 * did not verify is used anyway.
 */
int tlsopt_start(struct conn *c, struct tlsopt *, const char *host, const char *alpn,
    struct layers *lv, struct tls_info *info, char *why, size_t cap);

/* "tls":{version, suite, group, alpn, verified, chain} for -j */
void tlsopt_json(struct json *, const char *key, const struct tls_info *);

/* "TLSv1.3 TLS_AES_128_GCM_SHA256 x25519, verified" into buf */
char *tlsopt_str(const struct tls_info *, char *buf, size_t cap);

#endif
