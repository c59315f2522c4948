/*
 * tlspeer - a TLS 1.3 server for tests only, that does a real handshake
 * (X25519, TLS_AES_128_GCM_SHA256, a P-256 leaf) with the record
 * protection and key schedule of lib/tls, and breaks one thing as CASE
 * says: the hostile TLS servers of tests/tls-hostile.bats (TLS-nn in
 * tests/hostile-peers-2.md).
 *
 *   tlspeer [-T SECS] PORTFILE LOGFILE CASE CHAIN.pem KEY.pem
 *
 * Listens on 127.0.0.1, a port the kernel picks, written to PORTFILE
 * (whole: a temporary file, then rename); takes one connection.  The
 * chain (leaf first) is sent as it is in CHAIN.pem, whatever it holds;
 * the CertificateVerify is signed by `openssl dgst -sha256 -sign KEY`
 * (openssl is a test tool here; lib/crypto verifies, it does not sign).
 * Every application-data byte the client sends is decrypted and appended
 * to LOGFILE, so a test can tell whether a request went out; events go
 * to stderr, one line each, "tlspeer: ..." (the client's alerts among
 * them).  -T (default 20 s) bounds the whole run.  Exit 0 when the case
 * ran to its end, 1 when the client went away early, 2 on a local error.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tubes.h"
#include "crypto/c25519.h"
#include "crypto/ct.h"
#include "crypto/hash.h"
#include "tls/tlsint.h"
#include "tls/x509.h"

#define SUITE	0x1301
#define CHAIN_MAX 32

static const char *cases[] = {
	"ok",		/* the control: a correct server */
	"bigrecord",	/* a record of 2^14 + 1 bytes before the keys */
	"bigcipher",	/* a protected record of 2^14 + 257 bytes after them */
	"fragment",	/* every handshake message in records of 7 bytes */
	"coalesce",	/* the whole encrypted flight in one record */
	"badfinished",	/* a byte of the server's Finished changed */
	"badcv",	/* a byte of the CertificateVerify signature changed */
	"badsuite",	/* ServerHello picks TLS_AES_128_CCM_SHA256 */
	"badgroup",	/* ServerHello's key share is x448 */
	"downgrade",	/* a TLS 1.2 ServerHello with the TLS 1.3 sentinel */
	"truncate",	/* a response without Content-Length, then FIN */
	"alert",	/* handshake_failure after EncryptedExtensions */
	"zeroapp",	/* endless empty application-data records */
	"zerohs",	/* empty handshake records in place of the flight */
	"ccsflood",	/* ChangeCipherSpec records without end after ServerHello */
	"cancelflood",	/* user_canceled warnings without end after the handshake */
	"hellorequest",	/* a HelloRequest after the handshake */
	"clienthello",	/* a ClientHello after the handshake */
	"trickle",	/* the flight one byte a second */
	"renego12",	/* TLS 1.2, a HelloRequest after the handshake */
	"badske12",	/* TLS 1.2, a byte of the ServerKeyExchange signature changed */
	"badfinished12",	/* TLS 1.2, a byte of the server's Finished changed */
	NULL
};

static const char *kase;
static int fd = -1;
static FILE *logfp;
static const char *keyfile, *logpath;
static const struct tb_hash *H = &tb_hash_sha256;
static tb_hash_ctx th;		/* the transcript */
static struct tls_aead rd, wr;
static uint8_t out[5 + 8 + TLS_MAX_PLAIN + 1 + 16];

static int
is(const char *c)
{
	return strcmp(kase, c) == 0;
}

static void
say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
say(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "tlspeer: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int client_records(void);

/*
 * The client left (or the socket failed): say so, read what it sent
 * before it went (its alert, most often), and go
 */
static void
gone(const char *when)
{
	say("client went away %s", when);
	while (client_records() > 0)
		;
	exit(1);
}

static void
put16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put24(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 16);
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)v;
}

/* n bytes to the client; the trickle case one a second */
static void
send_raw(const uint8_t *p, size_t n)
{
	struct timespec sec = { 1, 0 };
	size_t i;

	if (is("trickle")) {
		for (i = 0; i < n; i++) {
			if (write(fd, p + i, 1) != 1)
				gone("during the trickle");
			nanosleep(&sec, NULL);
		}
		return;
	}
	if (tb_write_all(fd, p, n) < 0)
		gone("while the peer was sending");
}

/* one record of type, protected when wr is on */
static void
send_rec(uint8_t type, const uint8_t *p, size_t n)
{
	long len;

	if (wr.on) {
		if ((len = tls_seal(&wr, type, p, n, out)) < 0)
			tb_die(2, "tls_seal");
	} else {
		out[0] = type;
		put16(out + 1, 0x0303);
		put16(out + 3, n);
		memcpy(out + 5, p, n);
		len = (long)(5 + n);
	}
	send_raw(out, (size_t)len);
}

/* handshake messages: into the transcript, then out as the case says */
static void
send_hs(const uint8_t *p, size_t n)
{
	size_t k;

	H->update(&th, p, n);
	if (is("fragment")) {
		for (; n > 0; p += k, n -= k) {
			k = n < 7 ? n : 7;
			send_rec(TLS_CT_HANDSHAKE, p, k);
		}
		return;
	}
	send_rec(TLS_CT_HANDSHAKE, p, n);
}

/* exactly n bytes from the client: 0, or -1 at EOF */
static int
read_full(uint8_t *p, size_t n)
{
	ssize_t r;

	while (n > 0) {
		r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/*
 * the next record from the client, opened if rd is on: 1 with *type,
 * its plaintext at rec + 5 and *len; 0 at EOF; -1 a record that does
 * not open
 */
static uint8_t rec[5 + TLS_MAX_CIPHER];

static int
recv_rec(uint8_t *type, size_t *len)
{
	size_t n;

	if (read_full(rec, 5) < 0)
		return 0;
	n = (size_t)rec[3] << 8 | rec[4];
	if (n > TLS_MAX_CIPHER) {
		say("client record of %zu bytes", n);
		return -1;
	}
	if (read_full(rec + 5, n) < 0)
		return 0;
	*type = rec[0];
	*len = n;
	if (rd.on && (rec[0] == TLS_CT_APPDATA || (rd.v12 && rec[0] != TLS_CT_CCS))) {
		if (tls_open(&rd, rec, 5 + n, type, len) < 0) {
			say("client record does not open");
			return -1;
		}
	}
	if (*type == TLS_CT_ALERT && *len == 2)
		say("client alert %u %u", rec[5], rec[6]);
	return 1;
}

/* the whole PEM chain, each certificate's DER */
static uint8_t *certs[CHAIN_MAX];
static size_t certlen[CHAIN_MAX], ncerts;

static void
load_chain(const char *path)
{
	static char text[256 * 1024];
	uint8_t der[16384];
	size_t tlen, off = 0;
	long n;
	int f;
	ssize_t r;

	if ((f = open(path, O_RDONLY)) < 0)
		tb_die(2, "%s: %s", path, strerror(errno));
	r = read(f, text, sizeof text);
	close(f);
	if (r <= 0 || (size_t)r == sizeof text)
		tb_die(2, "%s: unreadable or too long", path);
	tlen = (size_t)r;
	while ((n = tb_pem_next(text, tlen, &off, der, sizeof der)) > 0) {
		if (ncerts == CHAIN_MAX)
			tb_die(2, "%s: more than %d certificates", path, CHAIN_MAX);
		certs[ncerts] = malloc((size_t)n);
		if (certs[ncerts] == NULL)
			tb_die(2, "out of memory");
		memcpy(certs[ncerts], der, (size_t)n);
		certlen[ncerts++] = (size_t)n;
	}
	if (n < 0 || ncerts == 0)
		tb_die(2, "%s: no certificate", path);
}

/* sig (DER ECDSA, SHA-256) over content: its length */
static size_t
sign(const uint8_t *content, size_t clen, uint8_t *sig, size_t cap)
{
	char tbs[256], sigp[256];
	int f, st;
	pid_t pid;
	ssize_t r;

	snprintf(tbs, sizeof tbs, "%s.tbs", logpath);
	snprintf(sigp, sizeof sigp, "%s.sig", logpath);
	if ((f = open(tbs, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
	    tb_write_all(f, content, clen) < 0)
		tb_die(2, "%s: %s", tbs, strerror(errno));
	close(f);
	if ((pid = fork()) < 0)
		tb_die(2, "fork: %s", strerror(errno));
	if (pid == 0) {
		execlp("openssl", "openssl", "dgst", "-sha256", "-sign", keyfile,
		    "-out", sigp, tbs, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		tb_die(2, "openssl dgst -sign failed");
	if ((f = open(sigp, O_RDONLY)) < 0)
		tb_die(2, "%s: %s", sigp, strerror(errno));
	r = read(f, sig, cap);
	close(f);
	if (r <= 0)
		tb_die(2, "%s: empty", sigp);
	return (size_t)r;
}

/* the transcript hash so far */
static void
th_now(uint8_t out32[32])
{
	tb_hash_ctx c = th;

	H->final(&c, out32);
}

/* the ClientHello: its session id and the x25519 share; -1 if none */
static uint8_t ch[4096], sid[32], cpub[32];
static size_t chlen, sidlen;

static int
parse_ch(void)
{
	size_t p = 4 + 2 + 32, n, end, e, el, k;
	int have = 0;

	if (chlen < p + 1 || ch[0] != TLS_HS_CLIENT_HELLO)
		return -1;
	sidlen = ch[p++];
	if (sidlen > 32 || p + sidlen + 2 > chlen)
		return -1;
	memcpy(sid, ch + p, sidlen);
	p += sidlen;
	n = (size_t)ch[p] << 8 | ch[p + 1];
	p += 2 + n;
	if (p + 1 > chlen)
		return -1;
	p += 1 + ch[p];
	if (p + 2 > chlen)
		return -1;
	end = p + 2 + ((size_t)ch[p] << 8 | ch[p + 1]);
	if (end > chlen)
		return -1;
	for (p += 2; p + 4 <= end; p += 4 + el) {
		e = (size_t)ch[p] << 8 | ch[p + 1];
		el = (size_t)ch[p + 2] << 8 | ch[p + 3];
		if (p + 4 + el > end)
			return -1;
		if (e != TLS_EXT_KEY_SHARE || el < 2)
			continue;
		/* client_shares: group, length, key; find x25519 */
		for (k = p + 6; k + 4 <= p + 4 + el;) {
			size_t g = (size_t)ch[k] << 8 | ch[k + 1];
			size_t kl = (size_t)ch[k + 2] << 8 | ch[k + 3];

			if (g == TLS_GROUP_X25519 && kl == 32 && k + 4 + 32 <= p + 4 + el) {
				memcpy(cpub, ch + k + 4, 32);
				have = 1;
			}
			k += 4 + kl;
		}
	}
	return have ? 0 : -1;
}

static void
read_client_hello(void)
{
	uint8_t type;
	size_t len;

	/* one record (the client of lib/tls sends it so) */
	if (recv_rec(&type, &len) <= 0 || type != TLS_CT_HANDSHAKE || len > sizeof ch)
		tb_die(2, "no ClientHello record");
	memcpy(ch, rec + 5, len);
	chlen = len;
	if (chlen < 4 || 4 + ((size_t)ch[1] << 16 | (size_t)ch[2] << 8 | ch[3]) != chlen)
		tb_die(2, "the ClientHello is not one whole record");
	if (parse_ch() < 0)
		tb_die(2, "malformed ClientHello, or no x25519 share");
	say("ClientHello %zu bytes", chlen);
}

/* the TLS 1.2 ServerHello of the downgrade case: its random ends in the sentinel */
static void
send_downgrade(void)
{
	uint8_t m[128], *p = m + 4;

	*p++ = 3;
	*p++ = 3;
	if (tb_random(p, 24) < 0)
		tb_die(2, "no random bytes");
	memcpy(p + 24, "DOWNGRD\001", 8);
	p += 32;
	*p++ = (uint8_t)sidlen;
	memcpy(p, sid, sidlen);
	p += sidlen;
	put16(p, 0xc02b);	/* ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 */
	p += 2;
	*p++ = 0;
	put16(p, 0);		/* no extensions */
	p += 2;
	m[0] = TLS_HS_SERVER_HELLO;
	put24(m + 1, (size_t)(p - m) - 4);
	send_hs(m, (size_t)(p - m));
}

/* ServerHello with our share; the key schedule up to the handshake keys */
static uint8_t hs_secret[32], c_hs[32], s_hs[32];

static void
server_hello(void)
{
	uint8_t m[160], *p = m + 4, priv[32], spub[32], shared[32];
	uint8_t zero[32], empty[32], derived[32], early[32], t[32];
	tb_hash_ctx c;

	if (tb_random(priv, 32) < 0)
		tb_die(2, "no random bytes");
	tb_x25519_base(spub, priv);
	if (tb_x25519(shared, priv, cpub) < 0)
		tb_die(2, "the client's x25519 share is of small order");
	*p++ = 3;
	*p++ = 3;
	if (tb_random(p, 32) < 0)
		tb_die(2, "no random bytes");
	p += 32;
	*p++ = (uint8_t)sidlen;
	memcpy(p, sid, sidlen);
	p += sidlen;
	put16(p, is("badsuite") ? 0x1304 : SUITE);
	p += 2;
	*p++ = 0;
	put16(p, 6 + 40);
	p += 2;
	put16(p, TLS_EXT_SUPPORTED_VERSIONS);
	put16(p + 2, 2);
	put16(p + 4, TLS_V13);
	p += 6;
	put16(p, TLS_EXT_KEY_SHARE);
	put16(p + 2, 36);
	put16(p + 4, is("badgroup") ? 0x001e : TLS_GROUP_X25519);
	put16(p + 6, 32);
	memcpy(p + 8, spub, 32);
	p += 40;
	m[0] = TLS_HS_SERVER_HELLO;
	put24(m + 1, (size_t)(p - m) - 4);
	send_hs(m, (size_t)(p - m));

	memset(zero, 0, sizeof zero);
	H->init(&c);
	H->final(&c, empty);
	tb_hkdf_extract(H, zero, 32, zero, 32, early);
	tls13_derive(H, early, "derived", empty, derived);
	tb_hkdf_extract(H, derived, 32, shared, 32, hs_secret);
	th_now(t);
	tls13_derive(H, hs_secret, "c hs traffic", t, c_hs);
	tls13_derive(H, hs_secret, "s hs traffic", t, s_hs);
	tb_wipe(priv, sizeof priv);
	tb_wipe(shared, sizeof shared);
}

/*
 * The encrypted flight: EncryptedExtensions, Certificate,
 * CertificateVerify, Finished; then the application keys
 */
static uint8_t c_ap[32], s_ap[32];
static uint8_t flight[CHAIN_MAX * 16384];
static size_t flen;

/* a handshake message into the transcript and, coalesced, the flight buffer */
static void
flight_msg(const uint8_t *m, size_t n)
{
	if (!is("coalesce")) {
		send_hs(m, n);
		return;
	}
	H->update(&th, m, n);
	memcpy(flight + flen, m, n);
	flen += n;
}

static void
server_flight(void)
{
	static uint8_t m[CHAIN_MAX * 16384];
	uint8_t t[32], sig[160], fin[32], empty[32], derived[32], master[32], zero[32];
	uint8_t tbs[64 + 34 + 32];
	size_t i, n, sl, off;
	tb_hash_ctx c;
	static const uint8_t ccs = 1;

	/* the middlebox-compatibility CCS, as servers send it (or many) */
	do {
		send_raw((const uint8_t *)"\x14\x03\x03\x00\x01", 5);
		send_raw(&ccs, 1);
	} while (is("ccsflood"));
	if (tls_aead_set(&wr, SUITE, s_hs) < 0 || tls_aead_set(&rd, SUITE, c_hs) < 0)
		tb_die(2, "tls_aead_set");

	if (is("zerohs")) {
		/* records of no data where the flight should be, until the client goes */
		for (;;)
			send_rec(TLS_CT_HANDSHAKE, m, 0);
	}
	m[0] = TLS_HS_ENCRYPTED_EXTENSIONS;
	put24(m + 1, 2);
	put16(m + 4, 0);
	flight_msg(m, 6);
	if (is("alert")) {
		static const uint8_t al[2] = { 2, TLS_AL_HANDSHAKE_FAILURE };

		send_rec(TLS_CT_ALERT, al, 2);
		return;
	}

	/* Certificate: empty context, the chain, no extensions */
	off = 4;
	m[off++] = 0;
	n = 0;
	for (i = 0; i < ncerts; i++)
		n += 3 + certlen[i] + 2;
	put24(m + off, n);
	off += 3;
	for (i = 0; i < ncerts; i++) {
		put24(m + off, certlen[i]);
		memcpy(m + off + 3, certs[i], certlen[i]);
		off += 3 + certlen[i];
		put16(m + off, 0);
		off += 2;
	}
	m[0] = TLS_HS_CERTIFICATE;
	put24(m + 1, off - 4);
	flight_msg(m, off);

	/* the content signed (RFC 8446 4.4.3) */
	memset(tbs, 0x20, 64);
	memcpy(tbs + 64, "TLS 1.3, server CertificateVerify", 34);
	th_now(tbs + 98);
	sl = sign(tbs, sizeof tbs, sig, sizeof sig);
	if (is("badcv"))
		sig[sl / 2] ^= 0x01;
	m[0] = TLS_HS_CERTIFICATE_VERIFY;
	put24(m + 1, 4 + sl);
	put16(m + 4, 0x0403);	/* ecdsa_secp256r1_sha256 */
	put16(m + 6, sl);
	memcpy(m + 8, sig, sl);
	flight_msg(m, 8 + sl);

	th_now(t);
	tls13_finished(H, s_hs, t, fin);
	if (is("badfinished"))
		fin[31] ^= 0x80;
	m[0] = TLS_HS_FINISHED;
	put24(m + 1, 32);
	memcpy(m + 4, fin, 32);
	flight_msg(m, 36);
	if (is("coalesce"))
		send_rec(TLS_CT_HANDSHAKE, flight, flen);

	/* the application secrets, from the transcript up to the server's Finished */
	memset(zero, 0, sizeof zero);
	H->init(&c);
	H->final(&c, empty);
	tls13_derive(H, hs_secret, "derived", empty, derived);
	tb_hkdf_extract(H, derived, 32, zero, 32, master);
	th_now(t);
	tls13_derive(H, master, "c ap traffic", t, c_ap);
	tls13_derive(H, master, "s ap traffic", t, s_ap);
}

/*
 * What the client sends next: the CCS skipped, its Finished (then the
 * application keys on both sides), application data appended to the log.
 * Returns 1 once a whole request head has come, 0 when the client
 * closed, -1 on a record that does not open.
 */
static char req[8192];
static size_t reqlen;

static int
client_records(void)
{
	uint8_t type;
	size_t len;
	int r;

	for (;;) {
		if ((r = recv_rec(&type, &len)) <= 0)
			return r;
		switch (type) {
		case TLS_CT_CCS:
			break;
		case TLS_CT_ALERT:
			if (len == 2 && rec[6] == TLS_AL_CLOSE_NOTIFY)
				return 0;
			break;
		case TLS_CT_HANDSHAKE:
			if (rd.on && len >= 4 && rec[5] == TLS_HS_FINISHED) {
				say("client Finished");
				if (tls_aead_set(&rd, SUITE, c_ap) < 0 ||
				    tls_aead_set(&wr, SUITE, s_ap) < 0)
					tb_die(2, "tls_aead_set");
				return 2;
			}
			say("client handshake message %u", rec[5]);
			break;
		case TLS_CT_APPDATA:
			fwrite(rec + 5, 1, len, logfp);
			fflush(logfp);
			say("application data %zu bytes", len);
			if (reqlen + len < sizeof req) {
				memcpy(req + reqlen, rec + 5, len);
				reqlen += len;
				req[reqlen] = '\0';
			}
			if (strstr(req, "\r\n\r\n") != NULL)
				return 1;
			break;
		default:
			say("client record of type %u", type);
			break;
		}
	}
}

/*
 * A TLS 1.2 handshake (RFC 5246, RFC 8422, RFC 7627): ServerHello with
 * ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, the extended master secret and an
 * empty renegotiation_info; Certificate, ServerKeyExchange (x25519,
 * signed), ServerHelloDone; the client's key exchange, CCS and Finished;
 * ours.  The keys are then on both ways.
 */
static void
handshake12(void)
{
	static uint8_t m[CHAIN_MAX * 16384];
	uint8_t srandom[32], priv[32], spub[32], pms[32], master[48], kb[40], t[32];
	uint8_t tbs[64 + 36], sig[160], type, *p;
	size_t i, off, sl, len;
	static const uint8_t ccs = 1;

	if (tb_random(srandom, 32) < 0 || tb_random(priv, 32) < 0)
		tb_die(2, "no random bytes");
	tb_x25519_base(spub, priv);
	p = m + 4;
	put16(p, 0x0303);
	memcpy(p + 2, srandom, 32);
	p += 34;
	*p++ = 0;		/* no session id: nothing to resume */
	put16(p, 0xc02b);
	p[2] = 0;
	p += 3;
	put16(p, 5 + 4);
	put16(p + 2, TLS_EXT_RENEGOTIATION_INFO);
	put16(p + 4, 1);
	p[6] = 0;
	put16(p + 7, TLS_EXT_EXTENDED_MASTER_SECRET);
	put16(p + 9, 0);
	p += 11;
	m[0] = TLS_HS_SERVER_HELLO;
	put24(m + 1, (size_t)(p - m) - 4);
	send_hs(m, (size_t)(p - m));

	off = 7;
	for (i = 0; i < ncerts; i++) {
		put24(m + off, certlen[i]);
		memcpy(m + off + 3, certs[i], certlen[i]);
		off += 3 + certlen[i];
	}
	m[0] = TLS_HS_CERTIFICATE;
	put24(m + 1, off - 4);
	put24(m + 4, off - 7);
	send_hs(m, off);

	/* ServerKeyExchange: named_curve x25519, the point, its signature */
	memcpy(tbs, ch + 6, 32);
	memcpy(tbs + 32, srandom, 32);
	tbs[64] = 3;
	put16(tbs + 65, TLS_GROUP_X25519);
	tbs[67] = 32;
	memcpy(tbs + 68, spub, 32);
	sl = sign(tbs, sizeof tbs, sig, sizeof sig);
	if (is("badske12"))
		sig[sl / 2] ^= 0x01;
	m[0] = TLS_HS_SERVER_KEY_EXCHANGE;
	memcpy(m + 4, tbs + 64, 36);
	put16(m + 40, 0x0403);
	put16(m + 42, sl);
	memcpy(m + 44, sig, sl);
	put24(m + 1, 40 + sl);
	send_hs(m, 44 + sl);
	m[0] = TLS_HS_SERVER_HELLO_DONE;
	put24(m + 1, 0);
	send_hs(m, 4);

	/* ClientKeyExchange, in clear */
	if (recv_rec(&type, &len) <= 0 || type != TLS_CT_HANDSHAKE || len != 4 + 33 ||
	    rec[5] != TLS_HS_CLIENT_KEY_EXCHANGE || rec[9] != 32)
		gone("without an x25519 ClientKeyExchange");
	if (tb_x25519(pms, priv, rec + 10) < 0)
		tb_die(2, "the client's x25519 share is of small order");
	H->update(&th, rec + 5, len);
	th_now(t);
	tls12_master(H, pms, 32, t, master);
	tls12_key_block(H, master, ch + 6, srandom, kb, sizeof kb);
	if (recv_rec(&type, &len) <= 0 || type != TLS_CT_CCS)
		tb_die(2, "no ChangeCipherSpec from the client");
	if (tls12_aead_set(&rd, 0xc02b, kb, kb + 32) < 0)
		tb_die(2, "tls12_aead_set");
	if (recv_rec(&type, &len) <= 0 || type != TLS_CT_HANDSHAKE || len != 16 ||
	    rec[5] != TLS_HS_FINISHED)
		tb_die(2, "no Finished from the client");
	say("client Finished");
	H->update(&th, rec + 5, len);
	send_raw((const uint8_t *)"\x14\x03\x03\x00\x01", 5);
	send_raw(&ccs, 1);
	if (tls12_aead_set(&wr, 0xc02b, kb + 16, kb + 36) < 0)
		tb_die(2, "tls12_aead_set");
	th_now(t);
	m[0] = TLS_HS_FINISHED;
	put24(m + 1, 12);
	tls12_verify_data(H, master, "server finished", t, m + 4);
	if (is("badfinished12"))
		m[15] ^= 0x80;
	send_hs(m, 16);
	tb_wipe(priv, sizeof priv);
	tb_wipe(pms, sizeof pms);
}

/* after the handshake: the request, then the case's answer */
static int
serve(void)
{
	static const char body[] = "hello over tls\n";
	static const uint8_t close_notify[2] = { 1, TLS_AL_CLOSE_NOTIFY };
	uint8_t m[8];
	char resp[256];
	int r;

	if (!rd.v12 && (r = client_records()) != 2) {
		/* no Finished: the client refused the flight (as it must, but for the control) */
		say("no client Finished");
		while (client_records() > 0)
			;
		return 1;
	}
	if (is("bigcipher")) {
		/* one byte over the limit of a protected record: the length alone is fatal */
		static uint8_t big[5 + TLS_MAX_CIPHER + 1];

		big[0] = TLS_CT_APPDATA;
		put16(big + 1, 0x0303);
		put16(big + 3, TLS_MAX_CIPHER + 1);
		send_raw(big, sizeof big);
	}
	if (is("zeroapp")) {
		for (;;)
			send_rec(TLS_CT_APPDATA, m, 0);
	}
	if (is("cancelflood")) {
		m[0] = 1;
		m[1] = TLS_AL_USER_CANCELED;
		for (;;)
			send_rec(TLS_CT_ALERT, m, 2);
	}
	if (is("hellorequest") || is("clienthello")) {
		m[0] = is("hellorequest") ? TLS_HS_HELLO_REQUEST : TLS_HS_CLIENT_HELLO;
		put24(m + 1, 0);
		send_rec(TLS_CT_HANDSHAKE, m, 4);
	}
	if ((r = client_records()) != 1) {
		while (r > 0)
			r = client_records();
		say("no request");
		return 1;
	}
	say("request received");
	if (is("renego12")) {
		/* a HelloRequest before the response: the client must decline */
		m[0] = TLS_HS_HELLO_REQUEST;
		put24(m + 1, 0);
		send_rec(TLS_CT_HANDSHAKE, m, 4);
	}
	if (is("truncate")) {
		snprintf(resp, sizeof resp, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n%s",
		    body);
		send_rec(TLS_CT_APPDATA, (const uint8_t *)resp, strlen(resp));
		shutdown(fd, SHUT_WR);
		say("closed without close_notify");
	} else {
		snprintf(resp, sizeof resp, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n"
		    "Connection: close\r\n\r\n%s", strlen(body), body);
		send_rec(TLS_CT_APPDATA, (const uint8_t *)resp, strlen(resp));
		send_rec(TLS_CT_ALERT, close_notify, 2);
	}
	/* what else comes, until the client closes */
	while (client_records() > 0)
		;
	return 0;
}

static int
listen_on(const char *portfile)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof sin;
	char tmp[4096];
	int s, one = 1;
	FILE *f;
	unsigned port;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		tb_die(2, "socket: %s", strerror(errno));
	(void)setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(s, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(s, 4) < 0 ||
	    getsockname(s, (struct sockaddr *)&sin, &sl) < 0)
		tb_die(2, "bind: %s", strerror(errno));
	port = ntohs(sin.sin_port);
	snprintf(tmp, sizeof tmp, "%s.tmp", portfile);
	if ((f = fopen(tmp, "w")) == NULL)
		tb_die(2, "%s: %s", tmp, strerror(errno));
	fprintf(f, "%u\n", port);
	if (fclose(f) != 0 || rename(tmp, portfile) < 0)
		tb_die(2, "%s: %s", portfile, strerror(errno));
	say("listening on 127.0.0.1 port %u", port);
	return s;
}

static void
usage(void)
{
	size_t i;

	fprintf(stderr, "usage: tlspeer [-T SECS] PORTFILE LOGFILE CASE CHAIN.pem KEY.pem\n"
	    "cases:");
	for (i = 0; cases[i]; i++)
		fprintf(stderr, " %s", cases[i]);
	fputc('\n', stderr);
	tb_exit(2);
}

int
main(int argc, char **argv)
{
	long long secs = 20;
	int ls, i, known = 0;
	uint8_t big[5 + TLS_MAX_PLAIN + 1];

	tb_init(argv[0]);
	if (argc > 2 && strcmp(argv[1], "-T") == 0) {
		if (tb_num(argv[2], 1, 3600, &secs) < 0)
			usage();
		argv += 2;
		argc -= 2;
	}
	if (argc != 6)
		usage();
	kase = argv[3];
	for (i = 0; cases[i]; i++)
		known |= strcmp(cases[i], kase) == 0;
	if (!known)
		usage();
	logpath = argv[2];
	keyfile = argv[5];
	load_chain(argv[4]);
	if ((logfp = fopen(logpath, "a")) == NULL)
		tb_die(2, "%s: %s", logpath, strerror(errno));
	signal(SIGPIPE, SIG_IGN);
	/* the whole run is bounded: SIGALRM's default action ends it */
	alarm((unsigned)secs);
	ls = listen_on(argv[1]);
	if ((fd = accept(ls, NULL, NULL)) < 0)
		tb_die(2, "accept: %s", strerror(errno));
	close(ls);
	say("accepted connection, case %s", kase);
	H->init(&th);
	read_client_hello();
	H->update(&th, ch, chlen);
	if (is("bigrecord")) {
		/* a ServerHello record one byte over 2^14: the length alone is fatal */
		memset(big, 0, sizeof big);
		big[0] = TLS_CT_HANDSHAKE;
		put16(big + 1, 0x0303);
		put16(big + 3, TLS_MAX_PLAIN + 1);
		send_raw(big, sizeof big);
	} else if (is("downgrade")) {
		send_downgrade();
	} else if (is("renego12") || is("badske12") || is("badfinished12")) {
		handshake12();
		return serve();
	} else {
		server_hello();
		server_flight();
		if (!is("alert"))
			return serve();
	}
	/* what the client says to that (an alert, we hope), until it closes */
	while (client_records() > 0)
		;
	say("done");
	return 0;
}
