/*
 * t_tls12.c - the TLS 1.2 parts of lib/tls: the key derivation (the
 * extended master secret, the key block, Finished's verify_data) and
 * the record protection (AES-GCM with its explicit nonce, ChaCha20-
 * Poly1305 with iv XOR seq, the additional data seq || type || version
 * || length) against values computed independently, with Python's
 * `cryptography` package (OpenSSL's AEADs) and hmac for the PRF, by the
 * script in the comment below; then what the ClientHello offers for
 * each --tls-min/--tls-max, and the ServerHellos a client must refuse
 * (the downgrade sentinel, no extended master secret, a suite or a
 * version not offered), fed over a socket pair; and a whole handshake
 * against a server scripted here (its keys from the client's
 * ClientHello and ClientKeyExchange of a first run, the client's
 * randoms and key fixed by the tls_test hook) with a wrong Finished, a
 * tampered ServerKeyExchange signature and a missing ChangeCipherSpec.
 *
 * The vectors (python3, cryptography 48):
 *   prf(h, secret, label, seed, n): P_hash as RFC 5246 5 writes it
 *   pms = bytes(range(32)); session_hash = bytes(range(100, 132))
 *   crandom = bytes(0xc0 + i % 16 for i in range(32))
 *   srandom = bytes(0x50 + i for i in range(32))
 *   ms = prf(sha256, pms, b"extended master secret", session_hash, 48)
 *   kb = prf(sha256, ms, b"key expansion", srandom + crandom, 40)
 *   records: AESGCM(key).encrypt(iv4 + seq8, pt, seq8 + type + 0303 + len)
 *   and ChaCha20Poly1305(key).encrypt(iv12 ^ seq, pt, same ad)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn.h"
#include "crypto/c25519.h"
#include "crypto/ct.h"
#include "crypto/hash.h"
#include "tap.h"
#include "tls/tlsint.h"
#include "tubes.h"
#include "wire.h"

static const char v_ms256[] =
    "3db67f8359dfe1d067acdda2e4ffbdfe7fa5150e1d3f728cdee31e79870e5948"
    "573d163d2ff8f9137d3d9e25dd9de867";
static const char v_kb_c02f[] =
    "5bf9e624d78864f97778e1665d1d5b28ac1ac0966f343ae56b425c35606d053b"
    "69eba11a3bd5c6a4";
static const char v_cfin[] = "9f463c94d5bf2eb7acbab27c";
static const char v_ms384[] =
    "626265293584fe4994d420697852ab39e863ff79aa2aa9def854ca6d7f65c0e8"
    "e36a213356aae45a9fd82509d8a91489";
static const char v_kb_c030[] =
    "0a04a68b6aa5019d74e8c6bcbef58835d441291ae7772c2aa69e5b692eb09feb"
    "dc6544877088c43e424dc387799b8454d0286c36e37436ca2b99b52d4366b282"
    "777e22e080742715";

/* key 01..10 (or 01..20), implicit iv a0..a3; ChaCha20's iv b0..bb */
static const char v_gcm128_seq0_hs[] =
    "16030300280000000000000000f439a186679497df2274cde8239ef6dc8f78709c"
    "9f0d536579c97eba7e2a19cb";
static const char v_gcm128_seq1_app[] =
    "170303002a0000000000000001b002b5f0a6ecdc73dbf69682e9ffb0690daa4593"
    "44d2adcc513217b50051d4fdbee0";
static const char v_gcm256_seq5_alert[] =
    "150303001a00000000000000054ed1867af53a553aea4cc57dbe92e6b6f81c";
static const char v_cc_seq0_hs[] =
    "1603030020c37239cb534a7302deec0da8b1e95a0dacafa73295500a3c2bc30413"
    "ecede07e";
static const char v_cc_seq7_app[] =
    "17030300229d7abf6b992ab9bbaabbaf1e7be02cfc49b6eaa7173354f9d236998b"
    "adbc208495d3";

static const char get[] = "GET / HTTP/1.0\r\n\r\n";

static int
same(const uint8_t *buf, size_t n, const char *hex)
{
	uint8_t want[512];
	size_t wn = tap_hex(hex, want, sizeof want);

	if (wn != n) {
		printf("#   length %zu, want %zu\n", n, wn);
		return 0;
	}
	if (memcmp(buf, want, n) != 0) {
		tap_diff(buf, want, n);
		return 0;
	}
	return 1;
}

static void
seq_fill(uint8_t *p, size_t n, uint8_t first)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(first + i);
}

static void
test_keys(void)
{
	uint8_t pms[32], sh[48], cr[32], sr[32], ms[48], kb[72], fin[12];
	size_t i, kl, il;

	seq_fill(pms, 32, 0);
	seq_fill(sh, 32, 100);
	for (i = 0; i < 32; i++)
		cr[i] = (uint8_t)(0xc0 + i % 16);
	seq_fill(sr, 32, 0x50);
	TEST("RFC 7627: the extended master secret, SHA-256") {
		tls12_master(&tb_hash_sha256, pms, 32, sh, ms);
		CHECK(same(ms, 48, v_ms256));
	}
	TEST("RFC 5246 6.3: the key block of TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256") {
		CHECK(tls12_suite_hash(0xc02f, &kl, &il) == &tb_hash_sha256);
		CHECK_EQ(kl, 16);
		CHECK_EQ(il, 4);
		tls12_key_block(&tb_hash_sha256, ms, cr, sr, kb, 2 * kl + 2 * il);
		CHECK(same(kb, 40, v_kb_c02f));
	}
	TEST("RFC 5246 7.4.9: client Finished's verify_data") {
		tls12_verify_data(&tb_hash_sha256, ms, "client finished", sh, fin);
		CHECK(same(fin, 12, v_cfin));
	}
	seq_fill(sh, 48, 0);
	TEST("the SHA-384 suites: master secret and key block of ECDHE_RSA_WITH_AES_256_GCM") {
		CHECK(tls12_suite_hash(0xc030, &kl, &il) == &tb_hash_sha384);
		tls12_master(&tb_hash_sha384, pms, 32, sh, ms);
		CHECK(same(ms, 48, v_ms384));
		tls12_key_block(&tb_hash_sha384, ms, cr, sr, kb, 2 * kl + 2 * il);
		CHECK(same(kb, 72, v_kb_c030));
	}
	TEST("the suites: hashes, key and iv lengths; TLS 1.3 and CBC suites are not TLS 1.2 ones") {
		CHECK(tls12_suite_hash(0xcca8, &kl, &il) == &tb_hash_sha256 && kl == 32 && il == 12);
		CHECK(tls12_suite_hash(0xcca9, &kl, &il) == &tb_hash_sha256 && kl == 32 && il == 12);
		CHECK(tls12_suite_hash(0xc02b, &kl, &il) == &tb_hash_sha256 && kl == 16 && il == 4);
		CHECK(tls12_suite_hash(0xc02c, &kl, &il) == &tb_hash_sha384 && kl == 32 && il == 4);
		CHECK(tls12_suite_hash(0x1301, &kl, &il) == NULL);
		CHECK(tls12_suite_hash(0xc027, &kl, &il) == NULL);	/* ECDHE_RSA AES CBC */
		CHECK(tls12_suite_hash(0x009c, &kl, &il) == NULL);	/* RSA kx AES-GCM */
	}
}

/* seal at seq, compare with the vector, open it back */
static void
seal_case(const char *name, uint16_t suite, const uint8_t *key, const uint8_t *iv,
    uint64_t seq, uint8_t type, const uint8_t *pt, size_t len, const char *want)
{
	struct tls_aead w, r;
	uint8_t rec[256], t;
	size_t plen;
	long n;

	memset(&w, 0, sizeof w);
	memset(&r, 0, sizeof r);
	TEST(name) {
		CHECK(tls12_aead_set(&w, suite, key, iv) == 0);
		CHECK(tls12_aead_set(&r, suite, key, iv) == 0);
		w.seq = r.seq = seq;
		n = tls_seal(&w, type, pt, len, rec);
		CHECK(n > 0 && same(rec, (size_t)n, want));
		CHECK_EQ(w.seq, seq + 1);
		CHECK(tls_open(&r, rec, (size_t)n, &t, &plen) == 0);
		CHECK_EQ(t, type);
		CHECK_EQ(plen, len);
		CHECK_MEM(rec + 5, pt, len);
		CHECK_EQ(r.seq, seq + 1);
	}
	tls_aead_wipe(&w);
	tls_aead_wipe(&r);
}

/* a sealed record that must not open: one byte changed at off, or another seq */
static int
opens_changed(uint16_t suite, const uint8_t *key, const uint8_t *iv, size_t off,
    int seqdelta)
{
	struct tls_aead w, r;
	uint8_t rec[256], t;
	size_t plen;
	long n;
	int ok;

	memset(&w, 0, sizeof w);
	memset(&r, 0, sizeof r);
	if (tls12_aead_set(&w, suite, key, iv) < 0 || tls12_aead_set(&r, suite, key, iv) < 0)
		return -2;
	w.seq = 3;
	r.seq = (uint64_t)(3 + seqdelta);
	n = tls_seal(&w, TLS_CT_APPDATA, (const uint8_t *)get, strlen(get), rec);
	if (n < 0)
		return -2;
	if (off < (size_t)n)
		rec[off] ^= 1;
	ok = tls_open(&r, rec, (size_t)n, &t, &plen);
	tls_aead_wipe(&w);
	tls_aead_wipe(&r);
	return ok;
}

static void
test_records(void)
{
	uint8_t k16[16], k32[32], iv4[4] = { 0xa0, 0xa1, 0xa2, 0xa3 }, iv12[12];
	uint8_t fin[16] = { TLS_HS_FINISHED, 0, 0, 12 };
	static const uint8_t alert[2] = { 1, 0 };
	static const uint16_t suites[] = { 0xc02f, 0xc02c, 0xcca8 };
	size_t i, cut;
	unsigned bits;

	seq_fill(k16, 16, 1);
	seq_fill(k32, 32, 1);
	seq_fill(iv12, 12, 0xb0);
	seq_fill(fin + 4, 12, 0);
	for (bits = 0; bits < 2; bits++) {
		/* the portable paths and the fast ones give the same records */
		tb_cpu_set(bits ? ~0u : 0);
		seal_case("AES-128-GCM: Finished at seq 0, the explicit nonce is the seq",
		    0xc02b, k16, iv4, 0, TLS_CT_HANDSHAKE, fin, 16, v_gcm128_seq0_hs);
		seal_case("AES-128-GCM: application data at seq 1", 0xc02f, k16, iv4, 1,
		    TLS_CT_APPDATA, (const uint8_t *)get, strlen(get), v_gcm128_seq1_app);
		seal_case("AES-256-GCM: an alert at seq 5", 0xc030, k32, iv4, 5,
		    TLS_CT_ALERT, alert, 2, v_gcm256_seq5_alert);
		seal_case("ChaCha20-Poly1305: Finished at seq 0, no explicit nonce", 0xcca8,
		    k32, iv12, 0, TLS_CT_HANDSHAKE, fin, 16, v_cc_seq0_hs);
		seal_case("ChaCha20-Poly1305: application data at seq 7 (iv XOR seq)", 0xcca9,
		    k32, iv12, 7, TLS_CT_APPDATA, (const uint8_t *)get, strlen(get),
		    v_cc_seq7_app);
	}
	tb_cpu_set(~0u);
	for (i = 0; i < sizeof suites / sizeof suites[0]; i++) {
		const uint8_t *k = suites[i] == 0xc02f ? k16 : k32;
		const uint8_t *iv = suites[i] == 0xcca8 ? iv12 : iv4;
		char name[128];

		snprintf(name, sizeof name, "%s: the control opens; a changed type, "
		    "nonce, ciphertext or tag, or another seq does not",
		    tls_suite_name(suites[i]));
		TEST(name) {
			CHECK_EQ(opens_changed(suites[i], k, iv, 999, 0), 0);
			CHECK_EQ(opens_changed(suites[i], k, iv, 0, 0), -1);	/* type */
			/* the version in the additional data is 0x0303 whatever the
			 * header says; the record layer refuses any other there */
			CHECK_EQ(opens_changed(suites[i], k, iv, 2, 0), 0);
			CHECK_EQ(opens_changed(suites[i], k, iv, 5, 0), -1);	/* nonce / ct */
			CHECK_EQ(opens_changed(suites[i], k, iv, 20, 0), -1);	/* ciphertext */
			cut = suites[i] == 0xcca8 ? 5 + strlen(get) + 15 :
			    5 + 8 + strlen(get) + 15;
			CHECK_EQ(opens_changed(suites[i], k, iv, cut, 0), -1);	/* tag */
			CHECK_EQ(opens_changed(suites[i], k, iv, 999, 1), -1);
		}
	}
	TEST("a record shorter than its explicit nonce and tag does not open") {
		struct tls_aead r;
		uint8_t rec[5 + 8 + 15] = { 23, 3, 3, 0, 23 }, t;
		size_t plen;

		memset(&r, 0, sizeof r);
		CHECK(tls12_aead_set(&r, 0xc02f, k16, iv4) == 0);
		CHECK_EQ(tls_open(&r, rec, sizeof rec, &t, &plen), -1);
		tls_aead_wipe(&r);
	}
}

/* --- the handshake against crafted ServerHellos ----------------------------- */

static struct conn conn;
static int peer = -1;
static uint8_t srv[4096], out[8192];

static void
setup(const uint8_t *server, size_t n)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		perror("socketpair");
		exit(2);
	}
	memset(&conn, 0, sizeof conn);
	conn.rfd = conn.wfd = sv[0];
	conn.idle = 2000000;
	conn.deadline = tb_now() + 10000000;
	if (n && write(sv[1], server, n) != (ssize_t)n) {
		perror("write");
		exit(2);
	}
	shutdown(sv[1], SHUT_WR);
	peer = sv[1];
}

static void
teardown(void)
{
	conn_close(&conn);
	if (peer >= 0)
		close(peer);
	peer = -1;
}

static size_t
client_sent(uint8_t *buf, size_t cap)
{
	ssize_t r;
	size_t n = 0;

	while ((r = recv(peer, buf + n, cap - n, MSG_DONTWAIT)) > 0)
		n += (size_t)r;
	return n;
}

/*
 * A TLS 1.2 ServerHello record: random 00..1f (its last 8 bytes replaced
 * by tail when set), no session id, the suite, then the extensions
 * given as hex (may be "").
 */
static size_t
server_hello(const char *tail, uint16_t suite, const char *exts)
{
	uint8_t e[256];
	size_t el = tap_hex(exts, e, sizeof e), n = 0, body;

	body = 2 + 32 + 1 + 2 + 1 + 2 + el;
	srv[n++] = TLS_CT_HANDSHAKE;
	put16(srv + n, 0x0303);
	put16(srv + n + 2, (uint16_t)(4 + body));
	n += 4;
	srv[n++] = TLS_HS_SERVER_HELLO;
	srv[n++] = 0;
	put16(srv + n, (uint16_t)body);
	n += 2;
	put16(srv + n, 0x0303);
	n += 2;
	seq_fill(srv + n, 32, 0);
	if (tail)
		memcpy(srv + n + 24, tail, 8);
	n += 32;
	srv[n++] = 0;
	put16(srv + n, suite);
	n += 2;
	srv[n++] = 0;
	put16(srv + n, (uint16_t)el);
	n += 2;
	memcpy(srv + n, e, el);
	return n + el;
}

static void
expect_fail_cfg(const char *name, size_t n, const struct tls_config *cfg, const char *want)
{
	struct tls_info info;
	char msg[256];

	TEST(name) {
		setup(srv, n);
		msg[0] = '\0';
		CHECK_EQ(tls_start(&conn, cfg, &info, msg, sizeof msg), -1);
		if (strstr(msg, want) == NULL) {
			printf("#   message \"%s\", want \"%s\"\n", msg, want);
			CHECK(0);
		}
		teardown();
	}
}

static void
expect_fail(const char *name, size_t n, int minv, int maxv, const char *want)
{
	struct tls_config cfg;
	struct tls_info info;
	char msg[256];

	memset(&cfg, 0, sizeof cfg);
	cfg.insecure = 1;
	cfg.min_version = minv;
	cfg.max_version = maxv;
	TEST(name) {
		setup(srv, n);
		msg[0] = '\0';
		CHECK_EQ(tls_start(&conn, &cfg, &info, msg, sizeof msg), -1);
		if (strstr(msg, want) == NULL) {
			printf("#   message \"%s\", want \"%s\"\n", msg, want);
			CHECK(0);
		}
		teardown();
	}
}

/* the ClientHello the client sends for min/max: in out, its length returned */
static size_t
hello_for(int minv, int maxv)
{
	struct tls_config cfg;
	char msg[256];

	memset(&cfg, 0, sizeof cfg);
	cfg.sni = "localhost";
	cfg.min_version = minv;
	cfg.max_version = maxv;
	setup(NULL, 0);
	(void)tls_start(&conn, &cfg, NULL, msg, sizeof msg);
	return client_sent(out, sizeof out);
}

/* the body of extension type in the ClientHello record of out, or NULL */
static const uint8_t *
ch_ext(size_t n, uint16_t type, size_t *len)
{
	struct cursor c;
	size_t l;

	cur_init(&c, out + 5 + 4, n - 9);
	cur_skip(&c, 2 + 32);
	l = cur_u8(&c);
	cur_skip(&c, l);
	l = cur_u16(&c);
	cur_skip(&c, l);
	l = cur_u8(&c);
	cur_skip(&c, l);
	(void)cur_u16(&c);
	while (!c.bad && cur_left(&c) >= 4) {
		uint16_t t = cur_u16(&c);
		const uint8_t *p;

		l = cur_u16(&c);
		p = cur_take(&c, l);
		if (p && t == type) {
			*len = l;
			return p;
		}
	}
	return NULL;
}

/* the cipher suite list of the ClientHello in out */
static size_t
ch_suites(uint16_t *s, size_t cap)
{
	const uint8_t *p = out + 5 + 4 + 2 + 32;
	size_t l, i;

	p += 1 + p[0];
	l = get16(p) / 2;
	for (i = 0; i < l && i < cap; i++)
		s[i] = get16(p + 2 + 2 * i);
	return i;
}

static void
test_hello(void)
{
	const uint8_t *p;
	uint16_t s[16];
	size_t n, l = 0, ns;

	TEST("both versions offered by default: supported_versions 1.3, 1.2; the 1.2 suites last") {
		n = hello_for(0, 0);
		CHECK(n > 100);
		CHECK_EQ(get16(out + 9), 0x0303);
		p = ch_ext(n, TLS_EXT_SUPPORTED_VERSIONS, &l);
		CHECK(p && l == 5 && same(p, l, "04 0304 0303"));
		ns = ch_suites(s, 16);
		CHECK_EQ(ns, 9);
		CHECK(s[0] == 0x1301 && s[1] == 0x1302 && s[2] == 0x1303);
		CHECK(s[3] == 0xc02b && s[4] == 0xc02f && s[5] == 0xc02c && s[6] == 0xc030 &&
		    s[7] == 0xcca9 && s[8] == 0xcca8);
		CHECK(ch_ext(n, TLS_EXT_KEY_SHARE, &l) != NULL);
		p = ch_ext(n, TLS_EXT_EXTENDED_MASTER_SECRET, &l);
		CHECK(p && l == 0);
		p = ch_ext(n, TLS_EXT_RENEGOTIATION_INFO, &l);
		CHECK(p && same(p, l, "00"));
		p = ch_ext(n, TLS_EXT_EC_POINT_FORMATS, &l);
		CHECK(p && same(p, l, "01 00"));
		p = ch_ext(n, TLS_EXT_SIGNATURE_ALGORITHMS, &l);
		CHECK(p && same(p, l, "0012 0403 0503 0804 0805 0806 0807 0401 0501 0601"));
		teardown();
	}
	TEST("--tls-max 1.2: the 1.2 suites only, no supported_versions, key_share or psk modes") {
		n = hello_for(0, TLS_V12);
		ns = ch_suites(s, 16);
		CHECK_EQ(ns, 6);
		CHECK_EQ(s[0], 0xc02b);
		CHECK(ch_ext(n, TLS_EXT_SUPPORTED_VERSIONS, &l) == NULL);
		CHECK(ch_ext(n, TLS_EXT_KEY_SHARE, &l) == NULL);
		CHECK(ch_ext(n, TLS_EXT_PSK_KEX_MODES, &l) == NULL);
		CHECK(ch_ext(n, TLS_EXT_EXTENDED_MASTER_SECRET, &l) != NULL);
		teardown();
	}
	TEST("--tls-min 1.3: TLS 1.3 only, none of TLS 1.2's extensions") {
		n = hello_for(TLS_V13, 0);
		ns = ch_suites(s, 16);
		CHECK_EQ(ns, 3);
		p = ch_ext(n, TLS_EXT_SUPPORTED_VERSIONS, &l);
		CHECK(p && same(p, l, "02 0304"));
		CHECK(ch_ext(n, TLS_EXT_EXTENDED_MASTER_SECRET, &l) == NULL);
		CHECK(ch_ext(n, TLS_EXT_RENEGOTIATION_INFO, &l) == NULL);
		p = ch_ext(n, TLS_EXT_SIGNATURE_ALGORITHMS, &l);
		CHECK(p && same(p, l, "000c 0403 0503 0804 0805 0806 0807"));
		teardown();
	}
	TEST("--tls-min 1.3 --tls-max 1.2 is refused before any byte goes out") {
		struct tls_config cfg;
		char msg[256];

		memset(&cfg, 0, sizeof cfg);
		cfg.min_version = TLS_V13;
		cfg.max_version = TLS_V12;
		setup(NULL, 0);
		CHECK_EQ(tls_start(&conn, &cfg, NULL, msg, sizeof msg), -1);
		CHECK(strstr(msg, "no TLS version") != NULL);
		CHECK_EQ(client_sent(out, sizeof out), 0);
		teardown();
	}
}

static void
test_refused(void)
{
	size_t n;

	/* extended_master_secret, renegotiation_info empty, ec_point_formats */
	static const char good[] = "0017 0000 ff01 0001 00 000b 0002 0100";

	n = server_hello("DOWNGRD\001", 0xc02f, good);
	expect_fail("RFC 8446 4.1.3: the downgrade sentinel when 1.3 was offered", n, 0, 0,
	    "downgrade sentinel");
	n = server_hello("DOWNGRD\001", 0xc02f, "");
	expect_fail("the sentinel is checked before anything else of the ServerHello", n, 0,
	    0, "downgrade sentinel");
	n = server_hello(NULL, 0xc02f, "ff01 0001 00 000b 0002 0100");
	expect_fail("RFC 7627: a TLS 1.2 server without the extended master secret", n, 0, 0,
	    "without the extended master secret");
	n = server_hello("DOWNGRD\001", 0xc02f, "");
	expect_fail("--tls-max 1.2: no sentinel check (1.3 was not offered), EMS still "
	    "required", n, 0, TLS_V12, "without the extended master secret");
	n = server_hello(NULL, 0xc02f, good);
	expect_fail("--tls-min 1.3: a TLS 1.2 ServerHello is refused", n, TLS_V13, 0,
	    "server chose TLS 1.2 (only TLS 1.3 is enabled)");
	n = server_hello(NULL, 0x1301, good);
	expect_fail("a TLS 1.3 suite in a TLS 1.2 ServerHello", n, 0, 0,
	    "not offered for TLS 1.2");
	n = server_hello(NULL, 0xc027, good);
	expect_fail("a CBC suite that was never offered", n, 0, 0,
	    "cipher suite 0xc027");
	n = server_hello(NULL, 0xc02f, "0017 0000 ff01 0002 0100");
	expect_fail("RFC 5746: a renegotiation_info that is not empty", n, 0, 0,
	    "renegotiation_info is not empty");
	n = server_hello(NULL, 0xc02f, "0017 0000 000b 0002 0101");
	expect_fail("RFC 8422: a server that takes no uncompressed points", n, 0, 0,
	    "uncompressed points");
	n = server_hello(NULL, 0xc02f, "0017 0000 0023 0001 00");
	expect_fail("RFC 5077 3.2: a ServerHello's session_ticket that is not empty", n, 0, 0,
	    "malformed or unasked-for session_ticket");
	n = server_hello(NULL, 0xc02f, "0017 0000 002b 0002 0304");
	expect_fail("--tls-max 1.2: a ServerHello that picks TLS 1.3 anyway", n, 0, TLS_V12,
	    "0x0304, which was not offered");
	n = server_hello(NULL, 0xc02f, good);
	n += tap_hex("14 03 03 00 01 01", srv + n, sizeof srv - n);
	expect_fail("a ChangeCipherSpec where the Certificate was due", n, 0, 0,
	    "unexpected change_cipher_spec");
	n = server_hello(NULL, 0xc02f, good);
	n += tap_hex("16 03 03 00 04 0e 00 00 00", srv + n, sizeof srv - n);
	expect_fail("ServerHelloDone where the Certificate was due", n, 0, 0,
	    "ServerHelloDone where Certificate was due");
}

/* --- a whole TLS 1.2 handshake against a server scripted here ------------- */

/*
 * A self-signed Ed25519 certificate, only to be parsed (the signature
 * hook below stands in for its key):
 *   openssl genpkey -algorithm ED25519 -out ed.key
 *   openssl req -x509 -new -key ed.key -subj /CN=t12 -days 36500 -outform DER
 * (the key was not kept).
 */
static const char v_cert[] =
    "308201323081e5a003020102021440ecc3e4f00e2278c8e2126fd29cd3b4a2f9"
    "f62a300506032b6570300e310c300a06035504030c037431323020170d323631"
    "3230333134343334305a180f32313236313130393134343334305a300e310c30"
    "0a06035504030c03743132302a300506032b657003210096bcdbf994f0bb4ecb"
    "60d1d756c0003c2b79f959de9601f02bc43685c1f06ff8a3533051301d060355"
    "1d0e0416041428557bbde9e68c4d6338c7a7d63cd43abfb1e3c3301f0603551d"
    "2304183016801428557bbde9e68c4d6338c7a7d63cd43abfb1e3c3300f060355"
    "1d130101ff040530030101ff300506032b6570034100c24b2e51e7546e787fb1"
    "ec2052378a9ef1945fe92b9725eb8bdd5d1721e333e273b9225a464cbcbee7e6"
    "2add55e9ac38be95a951877ea10012f4791695f82300";

/* the ServerKeyExchange "signature" the hook takes: "good" */
static int
fake_verify(const struct tb_x509 *x, int scheme, const uint8_t *msg, size_t mlen,
    const uint8_t *sig, size_t slen)
{
	(void)x;
	/* the signed content: both randoms, then the ECDHE params */
	if (scheme != 0x0804 || mlen != 64 + 4 + 32 || msg[64] != 3)
		return -1;
	return slen == 4 && memcmp(sig, "good", 4) == 0 ? 0 : -1;
}

static uint8_t crand[32], cpriv[32], spriv[32];
static struct tls_test hook12 = { .random = crand, .x25519 = cpriv, .sid_len = 0,
	.verify_sig = fake_verify };

static size_t
put_rec(uint8_t *p, uint8_t type, const uint8_t *m, size_t n)
{
	p[0] = type;
	put16(p + 1, 0x0303);
	put16(p + 3, (uint16_t)n);
	memcpy(p + 5, m, n);
	return 5 + n;
}

static size_t
put_hs(uint8_t *p, uint8_t type, const uint8_t *body, size_t n)
{
	p[0] = type;
	p[1] = (uint8_t)(n >> 16);
	put16(p + 2, (uint16_t)n);
	if (n)
		memcpy(p + 4, body, n);
	return 4 + n;
}

/* the server's first flight: SH, Certificate, SKE, SHD, each message into msgs */
static uint8_t msgs[4][512];
static size_t msglen[4];

static size_t
flight1(uint8_t *p, const char *sig)
{
	static const char exts[] = "0017 0000 ff01 0001 00";
	uint8_t b[512], spub[32], cert[400];
	size_t n = 0, l, cl = tap_hex(v_cert, cert, sizeof cert), i;

	/* ServerHello */
	l = 0;
	put16(b, 0x0303);
	seq_fill(b + 2, 32, 0x70);
	b[34] = 0;
	put16(b + 35, 0xc02f);
	b[37] = 0;
	i = tap_hex(exts, b + 40, 64);
	put16(b + 38, (uint16_t)i);
	l = 40 + i;
	msglen[0] = put_hs(msgs[0], TLS_HS_SERVER_HELLO, b, l);
	/* Certificate (TLS 1.2: no context, no extensions) */
	b[0] = 0;
	put16(b + 1, (uint16_t)(3 + cl));
	b[3] = 0;
	put16(b + 4, (uint16_t)cl);
	memcpy(b + 6, cert, cl);
	msglen[1] = put_hs(msgs[1], TLS_HS_CERTIFICATE, b, 6 + cl);
	/* ServerKeyExchange: x25519, "signed" */
	tb_x25519_base(spub, spriv);
	b[0] = 3;
	put16(b + 1, TLS_GROUP_X25519);
	b[3] = 32;
	memcpy(b + 4, spub, 32);
	put16(b + 36, 0x0804);
	put16(b + 38, 4);
	memcpy(b + 40, sig, 4);
	msglen[2] = put_hs(msgs[2], TLS_HS_SERVER_KEY_EXCHANGE, b, 44);
	msglen[3] = put_hs(msgs[3], TLS_HS_SERVER_HELLO_DONE, NULL, 0);
	for (i = 0; i < 4; i++)
		n += put_rec(p + n, TLS_CT_HANDSHAKE, msgs[i], msglen[i]);
	return n;
}

static struct tls_config
cfg12(void)
{
	struct tls_config cfg;

	memset(&cfg, 0, sizeof cfg);
	cfg.insecure = 1;	/* the certificate has no anchor */
	cfg.max_version = TLS_V12;
	cfg.test = &hook12;
	return cfg;
}

/*
 * What the client sent after the first flight (ClientHello, then
 * ClientKeyExchange, CCS, Finished): the ClientHello and
 * ClientKeyExchange messages, for the server's side of the keys.
 */
static uint8_t chmsg[1024], ckemsg[64];
static size_t chlen, ckelen;

static int
first_run(void)
{
	struct tls_config cfg = cfg12();
	char msg[256];
	size_t n = flight1(srv, "good"), k;

	setup(srv, n);
	if (tls_start(&conn, &cfg, NULL, msg, sizeof msg) == 0)
		return -1;	/* no server Finished: it cannot succeed */
	n = client_sent(out, sizeof out);
	teardown();
	/* record 1: the ClientHello; record 2: ClientKeyExchange */
	if (n < 5 || out[0] != TLS_CT_HANDSHAKE)
		return -1;
	chlen = get16(out + 3);
	memcpy(chmsg, out + 5, chlen);
	k = 5 + chlen;
	if (n < k + 5 || out[k] != TLS_CT_HANDSHAKE || get16(out + k + 3) > sizeof ckemsg)
		return -1;
	ckelen = get16(out + k + 3);
	memcpy(ckemsg, out + k + 5, ckelen);
	return ckemsg[0] == TLS_HS_CLIENT_KEY_EXCHANGE && ckelen == 4 + 33 ? 0 : -1;
}

/* the server's side: CCS, Finished (verify_data xor flip), data, close_notify */
static size_t
server_rest(uint8_t *p, uint8_t flip, int ccs)
{
	const struct tb_hash *h = &tb_hash_sha256;
	tb_hash_ctx th, t2;
	uint8_t pms[32], ms[48], kb[40], sh[32], fin[16], cfin[16], buf[64];
	struct tls_aead a;
	size_t n = 0, i;
	long r;

	h->init(&th);
	h->update(&th, chmsg, chlen);
	for (i = 0; i < 4; i++)
		h->update(&th, msgs[i], msglen[i]);
	h->update(&th, ckemsg, ckelen);
	t2 = th;
	h->final(&t2, sh);
	if (tb_x25519(pms, spriv, ckemsg + 5) < 0)
		return 0;
	tls12_master(h, pms, 32, sh, ms);
	tls12_key_block(h, ms, crand, msgs[0] + 6, kb, 40);
	cfin[0] = TLS_HS_FINISHED;
	cfin[1] = cfin[2] = 0;
	cfin[3] = 12;
	tls12_verify_data(h, ms, "client finished", sh, cfin + 4);
	h->update(&th, cfin, 16);
	h->final(&th, sh);
	memcpy(fin, cfin, 4);
	tls12_verify_data(h, ms, "server finished", sh, fin + 4);
	fin[15] ^= flip;
	memset(&a, 0, sizeof a);
	tls12_aead_set(&a, 0xc02f, kb + 16, kb + 32 + 4);
	if (ccs)
		n += tap_hex("14 03 03 00 01 01", p, 6);
	r = tls_seal(&a, TLS_CT_HANDSHAKE, fin, 16, p + n);
	n += (size_t)r;
	memcpy(buf, "hello over 1.2", 14);
	r = tls_seal(&a, TLS_CT_APPDATA, buf, 14, p + n);
	n += (size_t)r;
	buf[0] = 1;
	buf[1] = 0;
	r = tls_seal(&a, TLS_CT_ALERT, buf, 2, p + n);
	n += (size_t)r;
	tls_aead_wipe(&a);
	return n;
}

static void
test_handshake(void)
{
	struct tls_config cfg = cfg12();
	struct tls_info info;
	char msg[256], data[64];
	size_t n;
	ssize_t r;

	seq_fill(crand, 32, 0x10);
	seq_fill(cpriv, 32, 0x20);
	seq_fill(spriv, 32, 0x40);
	TEST("a scripted TLS 1.2 server: the client's ClientHello and ClientKeyExchange") {
		CHECK(first_run() == 0);
		CHECK_EQ(chmsg[0], TLS_HS_CLIENT_HELLO);
		CHECK(memcmp(chmsg + 6, crand, 32) == 0);
	}
	n = flight1(srv, "good");
	n += server_rest(srv + n, 0, 1);
	TEST("the whole handshake, data and close_notify (the control)") {
		setup(srv, n);
		msg[0] = '\0';
		CHECK_EQ(tls_start(&conn, &cfg, &info, msg, sizeof msg), 0);
		if (msg[0])
			printf("#   %s\n", msg);
		CHECK_EQ(info.version, TLS_V12);
		CHECK_STR(info.suite, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
		CHECK_STR(info.group, "x25519");
		CHECK_EQ(info.sig_scheme, 0x0804);
		r = conn_read(&conn, data, sizeof data);
		CHECK_EQ(r, 14);
		CHECK(r == 14 && memcmp(data, "hello over 1.2", 14) == 0);
		CHECK_EQ(conn_read(&conn, data, sizeof data), 0);
		teardown();
	}
	n = flight1(srv, "good");
	n += server_rest(srv + n, 1, 1);
	expect_fail_cfg("a wrong server Finished", n, &cfg, "Finished is wrong");
	n = flight1(srv, "gooD");
	expect_fail_cfg("a tampered ServerKeyExchange signature", n, &cfg,
	    "ServerKeyExchange signature");
	n = flight1(srv, "good");
	n += server_rest(srv + n, 0, 0);
	expect_fail_cfg("the Finished without the ChangeCipherSpec before it", n, &cfg,
	    "where Finished was due");
}

int
main(void)
{
	tb_init("t_tls12");
	test_keys();
	test_records();
	test_hello();
	test_refused();
	test_handshake();
	return tap_done();
}
