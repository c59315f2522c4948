/*
 * tlsview.c - names of TLS code points, and the -X decoder of handshake
 * messages: every field by its RFC 8446 name.  Wire side: bytes in,
 * lines out through view.h; every read goes through a bounded cursor.
 */
#include <stdio.h>
#include <string.h>

#include "tls/tlsint.h"
#include "view.h"
#include "wire.h"

struct name {
	int v;
	const char *s;
};

static const char *
lookup(const struct name *t, int v)
{
	for (; t->s; t++)
		if (t->v == v)
			return t->s;
	return "unknown";
}

static const struct name alerts[] = {
	{ 0, "close_notify" }, { 10, "unexpected_message" }, { 20, "bad_record_mac" },
	{ 21, "decryption_failed" }, { 22, "record_overflow" },
	{ 30, "decompression_failure" }, { 40, "handshake_failure" },
	{ 41, "no_certificate" }, { 42, "bad_certificate" },
	{ 43, "unsupported_certificate" }, { 44, "certificate_revoked" },
	{ 45, "certificate_expired" }, { 46, "certificate_unknown" },
	{ 47, "illegal_parameter" }, { 48, "unknown_ca" }, { 49, "access_denied" },
	{ 50, "decode_error" }, { 51, "decrypt_error" }, { 60, "export_restriction" },
	{ 70, "protocol_version" }, { 71, "insufficient_security" },
	{ 80, "internal_error" }, { 86, "inappropriate_fallback" },
	{ 90, "user_canceled" }, { 100, "no_renegotiation" },
	{ 109, "missing_extension" }, { 110, "unsupported_extension" },
	{ 111, "certificate_unobtainable" }, { 112, "unrecognized_name" },
	{ 113, "bad_certificate_status_response" },
	{ 114, "bad_certificate_hash_value" }, { 115, "unknown_psk_identity" },
	{ 116, "certificate_required" }, { 120, "no_application_protocol" },
	{ 121, "ech_required" }, { 0, NULL }
};

static const struct name suites[] = {
	{ 0x1301, "TLS_AES_128_GCM_SHA256" }, { 0x1302, "TLS_AES_256_GCM_SHA384" },
	{ 0x1303, "TLS_CHACHA20_POLY1305_SHA256" }, { 0x1304, "TLS_AES_128_CCM_SHA256" },
	{ 0x1305, "TLS_AES_128_CCM_8_SHA256" },
	{ 0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" },
	{ 0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" },
	{ 0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" },
	{ 0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
	{ 0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
	{ 0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256" },
	{ 0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV" }, { 0, NULL }
};

static const struct name grouptab[] = {
	{ 0x0017, "secp256r1" }, { 0x0018, "secp384r1" }, { 0x0019, "secp521r1" },
	{ 0x001d, "x25519" }, { 0x001e, "x448" }, { 0x0100, "ffdhe2048" },
	{ 0x0101, "ffdhe3072" }, { 0x0102, "ffdhe4096" }, { 0x0103, "ffdhe6144" },
	{ 0x0104, "ffdhe8192" }, { 0, NULL }
};

static const struct name schemes[] = {
	{ 0x0401, "rsa_pkcs1_sha256" }, { 0x0501, "rsa_pkcs1_sha384" },
	{ 0x0601, "rsa_pkcs1_sha512" }, { 0x0403, "ecdsa_secp256r1_sha256" },
	{ 0x0503, "ecdsa_secp384r1_sha384" }, { 0x0603, "ecdsa_secp521r1_sha512" },
	{ 0x0804, "rsa_pss_rsae_sha256" }, { 0x0805, "rsa_pss_rsae_sha384" },
	{ 0x0806, "rsa_pss_rsae_sha512" }, { 0x0807, "ed25519" }, { 0x0808, "ed448" },
	{ 0x0809, "rsa_pss_pss_sha256" }, { 0x080a, "rsa_pss_pss_sha384" },
	{ 0x080b, "rsa_pss_pss_sha512" }, { 0x0201, "rsa_pkcs1_sha1" },
	{ 0x0203, "ecdsa_sha1" }, { 0x0402, "dsa_sha256" }, { 0x0502, "dsa_sha384" },
	{ 0x0602, "dsa_sha512" }, { 0x0202, "dsa_sha1" }, { 0, NULL }
};

static const struct name hstypes[] = {
	{ 0, "HelloRequest" }, { 1, "ClientHello" }, { 2, "ServerHello" },
	{ 4, "NewSessionTicket" }, { 5, "EndOfEarlyData" },
	{ 8, "EncryptedExtensions" }, { 11, "Certificate" },
	{ 12, "ServerKeyExchange" }, { 13, "CertificateRequest" },
	{ 14, "ServerHelloDone" }, { 15, "CertificateVerify" },
	{ 16, "ClientKeyExchange" }, { 20, "Finished" }, { 24, "KeyUpdate" },
	{ 254, "message_hash" }, { 0, NULL }
};

static const struct name exts[] = {
	{ 0, "server_name" }, { 1, "max_fragment_length" }, { 5, "status_request" },
	{ 10, "supported_groups" }, { 11, "ec_point_formats" },
	{ 13, "signature_algorithms" }, { 14, "use_srtp" }, { 15, "heartbeat" },
	{ 16, "application_layer_protocol_negotiation" },
	{ 18, "signed_certificate_timestamp" }, { 19, "client_certificate_type" },
	{ 20, "server_certificate_type" }, { 21, "padding" },
	{ 22, "encrypt_then_mac" }, { 23, "extended_master_secret" },
	{ 27, "compress_certificate" }, { 28, "record_size_limit" },
	{ 35, "session_ticket" }, { 41, "pre_shared_key" }, { 42, "early_data" },
	{ 43, "supported_versions" }, { 44, "cookie" },
	{ 45, "psk_key_exchange_modes" }, { 47, "certificate_authorities" },
	{ 48, "oid_filters" }, { 49, "post_handshake_auth" },
	{ 50, "signature_algorithms_cert" }, { 51, "key_share" },
	{ 0xff01, "renegotiation_info" }, { 0, NULL }
};

const char *tls_alert_name(int v) { return lookup(alerts, v); }
const char *tls_suite_name(int v) { return lookup(suites, v); }
const char *tls_group_name(int v) { return lookup(grouptab, v); }
const char *tls_sigscheme_name(int v) { return lookup(schemes, v); }
const char *tls_hs_name(int v) { return lookup(hstypes, v); }
const char *tls_ext_name(int v) { return lookup(exts, v); }

/* up to 40 bytes in hex, then "..." */
static const char *
hex(char *buf, size_t cap, const uint8_t *p, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	size_t i, k = 0;

	for (i = 0; i < n && k + 6 < cap && i < 40; i++) {
		buf[k++] = hx[p[i] >> 4];
		buf[k++] = hx[p[i] & 15];
	}
	if (i < n && k + 4 <= cap) {
		memcpy(buf + k, "...", 3);
		k += 3;
	}
	buf[k] = '\0';
	return buf;
}

/* a list of uint16 code points, each by name */
static void
u16s(struct layers *lv, const char *field, struct cursor *c, size_t n,
    const char *(*name)(int))
{
	struct cursor x;
	const uint8_t *p = cur_take(c, n);
	uint16_t v;

	if (p == NULL)
		return;
	cur_init(&x, p, n);
	while (cur_left(&x) >= 2) {
		v = cur_u16(&x);
		lv_field(lv, field, "0x%04x %s", v, name(v));
	}
}

static int
view_ext(struct layers *lv, int msg, uint16_t type, const uint8_t *p, size_t n)
{
	struct cursor c;
	char b[128];
	size_t l, k;
	uint16_t g;
	const uint8_t *q;

	lv_field(lv, "extension", "%s (%u), %zu bytes", tls_ext_name(type), type, n);
	cur_init(&c, p, n);
	switch (type) {
	case TLS_EXT_SERVER_NAME:
		if (n == 0)
			return 0;
		l = cur_u16(&c);
		while (!c.bad && cur_left(&c) > 0) {
			(void)cur_u8(&c);
			k = cur_u16(&c);
			q = cur_take(&c, k);
			if (q) {
				tb_escape_buf(b, sizeof b, q, k);
				lv_field(lv, "  host_name", "%s", b);
			}
		}
		(void)l;
		break;
	case TLS_EXT_SUPPORTED_VERSIONS:
		if (msg == TLS_HS_CLIENT_HELLO) {
			l = cur_u8(&c);
			q = cur_take(&c, l);
			cur_init(&c, q, q ? l : 0);
			while (cur_left(&c) >= 2)
				lv_field(lv, "  version", "0x%04x", cur_u16(&c));
		} else
			lv_field(lv, "  selected_version", "0x%04x", cur_u16(&c));
		break;
	case TLS_EXT_SUPPORTED_GROUPS:
		l = cur_u16(&c);
		u16s(lv, "  named_group", &c, l, tls_group_name);
		break;
	case TLS_EXT_SIGNATURE_ALGORITHMS:
	case TLS_EXT_SIGNATURE_ALGORITHMS_CERT:
		l = cur_u16(&c);
		u16s(lv, "  signature_scheme", &c, l, tls_sigscheme_name);
		break;
	case TLS_EXT_KEY_SHARE:
		if (msg == TLS_HS_CLIENT_HELLO)
			(void)cur_u16(&c);
		if (msg == TLS_HS_HELLO_RETRY) {
			g = cur_u16(&c);
			lv_field(lv, "  selected_group", "0x%04x %s", g, tls_group_name(g));
			break;
		}
		while (!c.bad && cur_left(&c) > 0) {
			g = cur_u16(&c);
			l = cur_u16(&c);
			q = cur_take(&c, l);
			if (q)
				lv_field(lv, "  key_share", "%s, %zu bytes: %s", tls_group_name(g),
				    l, hex(b, sizeof b, q, l));
		}
		break;
	case TLS_EXT_ALPN:
		l = cur_u16(&c);
		while (!c.bad && cur_left(&c) > 0) {
			k = cur_u8(&c);
			q = cur_take(&c, k);
			if (q) {
				tb_escape_buf(b, sizeof b, q, k);
				lv_field(lv, "  protocol_name", "%s", b);
			}
		}
		(void)l;
		break;
	case TLS_EXT_PSK_KEX_MODES:
		l = cur_u8(&c);
		while (!c.bad && l-- > 0) {
			k = cur_u8(&c);
			lv_field(lv, "  ke_mode", "%zu %s", k, k == 0 ? "psk_ke" :
			    k == 1 ? "psk_dhe_ke" : "unknown");
		}
		break;
	case TLS_EXT_COOKIE:
		l = cur_u16(&c);
		q = cur_take(&c, l);
		if (q)
			lv_field(lv, "  cookie", "%zu bytes: %s", l, hex(b, sizeof b, q, l));
		break;
	case TLS_EXT_PRE_SHARED_KEY:
		if (msg != TLS_HS_CLIENT_HELLO) {
			lv_field(lv, "  selected_identity", "%u", cur_u16(&c));
			break;
		}
		l = cur_u16(&c);
		q = cur_take(&c, l);
		{
			struct cursor id;

			cur_init(&id, q, q ? l : 0);
			while (!id.bad && cur_left(&id) > 0) {
				k = cur_u16(&id);
				if (cur_take(&id, k) == NULL)
					break;
				lv_field(lv, "  identity", "%zu bytes, obfuscated_ticket_age %u",
				    k, cur_u32(&id));
			}
			c.bad |= id.bad;
		}
		l = cur_u16(&c);
		while (!c.bad && cur_left(&c) > 0) {
			k = cur_u8(&c);
			q = cur_take(&c, k);
			if (q)
				lv_field(lv, "  binder", "%zu bytes", k);
		}
		(void)l;
		break;
	case TLS_EXT_EARLY_DATA:
		if (n == 4)
			lv_field(lv, "  max_early_data_size", "%u", cur_u32(&c));
		break;
	default:
		if (n)
			lv_field(lv, "  data", "%s", hex(b, sizeof b, p, n));
		return 0;
	}
	return c.bad ? -1 : 0;
}

static int
view_exts(struct layers *lv, int msg, struct cursor *c)
{
	struct cursor x;
	size_t n = cur_u16(c), l;
	const uint8_t *p = cur_take(c, n), *q;
	uint16_t ty;
	int bad = 0;

	if (p == NULL)
		return -1;
	lv_field(lv, "extensions length", "%zu", n);
	cur_init(&x, p, n);
	while (cur_left(&x) > 0) {
		ty = cur_u16(&x);
		l = cur_u16(&x);
		q = cur_take(&x, l);
		if (q == NULL)
			return -1;
		bad |= view_ext(lv, msg, ty, q, l);
	}
	return bad || x.bad ? -1 : 0;
}

static const uint8_t hrr_magic[8] = { 0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11 };

int
tls_view_hs(struct layers *lv, int from_server, const uint8_t *m, size_t n)
{
	struct cursor c;
	char b[128];
	const uint8_t *p;
	size_t l, len, k;
	uint16_t v;
	int type, r = 0, v12;

	if (n < 4) {
		lv_layer(lv, "TLS handshake fragment, %zu bytes", n);
		return -1;
	}
	type = m[0];
	len = (size_t)m[1] << 16 | (size_t)m[2] << 8 | m[3];
	if (type == TLS_HS_SERVER_HELLO && n >= 4 + 2 + 8 && memcmp(m + 6, hrr_magic, 8) == 0)
		lv_layer(lv, "TLS handshake: HelloRetryRequest (a ServerHello), %zu bytes", len);
	else
		lv_layer(lv, "TLS handshake: %s, %zu bytes", tls_hs_name(type), len);
	lv_field(lv, "msg_type", "%d (%s)", type, tls_hs_name(type));
	lv_field(lv, "length", "%zu", len);
	if (len != n - 4)
		return -1;
	cur_init(&c, m + 4, len);
	/* bit 1 of from_server: a TLS 1.2 message (its Certificate differs) */
	v12 = from_server & 2;
	switch (type) {
	case TLS_HS_CLIENT_HELLO:
	case TLS_HS_SERVER_HELLO:
		lv_field(lv, "legacy_version", "0x%04x", cur_u16(&c));
		p = cur_take(&c, 32);
		if (p)
			lv_field(lv, "random", "%s", hex(b, sizeof b, p, 32));
		l = cur_u8(&c);
		p = cur_take(&c, l);
		if (p)
			lv_field(lv, type == TLS_HS_CLIENT_HELLO ? "legacy_session_id" :
			    "legacy_session_id_echo", "%zu bytes %s", l, hex(b, sizeof b, p, l));
		if (type == TLS_HS_CLIENT_HELLO) {
			l = cur_u16(&c);
			lv_field(lv, "cipher_suites length", "%zu", l);
			u16s(lv, "cipher_suite", &c, l, tls_suite_name);
			l = cur_u8(&c);
			p = cur_take(&c, l);
			if (p)
				lv_field(lv, "legacy_compression_methods", "%s",
				    hex(b, sizeof b, p, l));
			r = view_exts(lv, type, &c);
		} else {
			v = cur_u16(&c);
			lv_field(lv, "cipher_suite", "0x%04x %s", v, tls_suite_name(v));
			lv_field(lv, "legacy_compression_method", "%u", cur_u8(&c));
			if (cur_left(&c) > 0)
				r = view_exts(lv, n >= 14 && memcmp(m + 6, hrr_magic, 8) == 0 ?
				    TLS_HS_HELLO_RETRY : type, &c);
		}
		break;
	case TLS_HS_ENCRYPTED_EXTENSIONS:
		r = view_exts(lv, type, &c);
		break;
	case TLS_HS_SERVER_KEY_EXCHANGE:
		/* RFC 8422 5.4: ECParameters, the point, the signature */
		k = cur_u8(&c);
		lv_field(lv, "curve_type", "%zu (%s)", k, k == 3 ? "named_curve" : "unknown");
		v = cur_u16(&c);
		lv_field(lv, "named_curve", "0x%04x %s", v, tls_group_name(v));
		l = cur_u8(&c);
		p = cur_take(&c, l);
		if (p)
			lv_field(lv, "public", "%zu bytes %s", l, hex(b, sizeof b, p, l));
		v = cur_u16(&c);
		lv_field(lv, "signature_algorithm", "0x%04x %s", v, tls_sigscheme_name(v));
		l = cur_u16(&c);
		p = cur_take(&c, l);
		if (p)
			lv_field(lv, "signature", "%zu bytes: %s", l, hex(b, sizeof b, p, l));
		break;
	case TLS_HS_SERVER_HELLO_DONE:
	case TLS_HS_HELLO_REQUEST:
		lv_field(lv, "(body)", "empty");
		break;
	case TLS_HS_CLIENT_KEY_EXCHANGE:
		l = cur_u8(&c);
		p = cur_take(&c, l);
		if (p)
			lv_field(lv, "ecdh_Yc", "%zu bytes %s", l, hex(b, sizeof b, p, l));
		break;
	case TLS_HS_CERTIFICATE_REQUEST:
		if (v12) {
			cur_skip(&c, len);
			break;
		}
		l = cur_u8(&c);
		p = cur_take(&c, l);
		if (p)
			lv_field(lv, "certificate_request_context", "%zu bytes", l);
		r = view_exts(lv, type, &c);
		break;
	case TLS_HS_CERTIFICATE: {
		struct cursor x;
		size_t i = 0;

		if (!v12) {
			l = cur_u8(&c);
			cur_skip(&c, l);
			lv_field(lv, "certificate_request_context", "%zu bytes", l);
		}
		l = (size_t)cur_u8(&c) << 16;
		l |= cur_u16(&c);
		lv_field(lv, "certificate_list length", "%zu", l);
		p = cur_take(&c, l);
		cur_init(&x, p, p ? l : 0);
		while (cur_left(&x) > 0) {
			k = (size_t)cur_u8(&x) << 16;
			k |= cur_u16(&x);
			p = cur_take(&x, k);
			if (p == NULL)
				break;
			lv_field(lv, "certificate", "#%zu, %zu bytes", i++, k);
			tls_view_cert(lv, p, k);
			if (v12)
				continue;
			k = cur_u16(&x);
			cur_skip(&x, k);
			lv_field(lv, "  extensions length", "%zu", k);
		}
		if (x.bad)
			r = -1;
		break;
	}
	case TLS_HS_CERTIFICATE_VERIFY:
		v = cur_u16(&c);
		lv_field(lv, "algorithm", "0x%04x %s", v, tls_sigscheme_name(v));
		l = cur_u16(&c);
		p = cur_take(&c, l);
		if (p)
			lv_field(lv, "signature", "%zu bytes: %s", l, hex(b, sizeof b, p, l));
		break;
	case TLS_HS_FINISHED:
		lv_field(lv, "verify_data", "%s", hex(b, sizeof b, m + 4, len));
		cur_skip(&c, len);
		break;
	case TLS_HS_NEW_SESSION_TICKET:
		if (v12) {
			/* RFC 5077 3.3: a lifetime hint and the ticket, nothing else */
			lv_field(lv, "ticket_lifetime_hint", "%u s", cur_u32(&c));
			l = cur_u16(&c);
			p = cur_take(&c, l);
			if (p)
				lv_field(lv, "ticket", "%zu bytes: %s", l, hex(b, sizeof b, p, l));
			break;
		}
		lv_field(lv, "ticket_lifetime", "%u s", cur_u32(&c));
		lv_field(lv, "ticket_age_add", "%u", cur_u32(&c));
		l = cur_u8(&c);
		p = cur_take(&c, l);
		if (p)
			lv_field(lv, "ticket_nonce", "%zu bytes %s", l, hex(b, sizeof b, p, l));
		l = cur_u16(&c);
		p = cur_take(&c, l);
		if (p)
			lv_field(lv, "ticket", "%zu bytes: %s", l, hex(b, sizeof b, p, l));
		r = view_exts(lv, type, &c);
		break;
	case TLS_HS_KEY_UPDATE:
		k = cur_u8(&c);
		lv_field(lv, "request_update", "%zu (%s)", k, k == 0 ? "update_not_requested" :
		    k == 1 ? "update_requested" : "invalid");
		break;
	default:
		cur_skip(&c, len);
		break;
	}
	if (c.bad || cur_left(&c) != 0)
		r = -1;
	if (r < 0)
		lv_field(lv, "(malformed)", "the message does not parse");
	return r;
}
