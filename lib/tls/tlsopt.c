/* tlsopt.c - the TLS options shared by the commands, and TLS started with them (tlsopt.h) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "crypto/ct.h"
#include "tls/tlsopt.h"
#include "tls/x509.h"
#include "tls/x509_impl.h"
#include "tubes.h"

static int
version(const char *arg)
{
	if (strcmp(arg, "1.2") == 0)
		return TLS_V12;
	if (strcmp(arg, "1.3") == 0)
		return TLS_V13;
	tb_usage_error("TLS version '%s': 1.2 or 1.3", arg);
}

/* each "sha256//BASE64" of a pin list decodes to 32 bytes; 0 or -1 */
static int
pin_ok(const char *pins, const uint8_t *have)
{
	const char *p = pins, *end;
	uint8_t want[40];
	int found = 0;

	for (;;) {
		end = strchr(p, ';');
		if (end == NULL)
			end = p + strlen(p);
		if (strncmp(p, "sha256//", 8) != 0 ||
		    x509_b64_decode(p + 8, (size_t)(end - p - 8), want, sizeof want, 0) != 32)
			return -1;
		if (have && tb_ct_eq(want, have, 32))
			found = 1;
		if (*end == '\0')
			break;
		p = end + 1;
	}
	return have == NULL || found ? 0 : 1;
}

int
tlsopt_arg(struct tlsopt *o, int ch, const char *arg)
{
	switch (ch) {
	case TLSOPT_CACERT: o->cacert = arg; return 1;
	case TLSOPT_CAPATH: o->capath = arg; return 1;
	case TLSOPT_INSECURE: o->insecure = 1; return 1;
	case TLSOPT_MIN: o->min = version(arg); return 1;
	case TLSOPT_MAX: o->max = version(arg); return 1;
	case TLSOPT_PIN:
		if (pin_ok(arg, NULL) < 0)
			tb_usage_error("--pinnedpubkey: want sha256//BASE64 of 32 bytes, "
			    "';' between several");
		o->pin = arg;
		return 1;
	}
	return 0;
}

int
tlsopt_start(struct conn *c, struct tlsopt *o, const char *host, const char *alpn,
    struct layers *lv, struct tls_info *info, char *why, size_t cap)
{
	struct tls_config cfg;
	struct tb_addr lit;
	const char *w = NULL;
	int64_t saved, lim, hs_end;
	int r;

	if (o->min && o->max && o->min > o->max) {
		snprintf(why, cap, "--tls-min is above --tls-max");
		return -1;
	}
	if (o->trust == NULL && (o->trust = tb_trust_open(o->cacert, o->capath, &w)) == NULL &&
	    !o->insecure) {
		snprintf(why, cap, "trust store: %s", w ? w : "cannot be read");
		return -1;
	}
	memset(&cfg, 0, sizeof cfg);
	cfg.host = host;
	cfg.sni = tb_addr_parse(host, &lit) == 0 ? NULL : host;
	cfg.alpn = alpn;
	cfg.min_version = o->min;
	cfg.max_version = o->max;
	cfg.insecure = o->insecure;
	cfg.trust = o->trust;
	cfg.keylog = getenv("SSLKEYLOGFILE");
	if (cfg.keylog && *cfg.keylog == '\0')
		cfg.keylog = NULL;
	cfg.lv = lv;
	cfg.resume = o->resume;
	cfg.group = o->group;
	saved = c->deadline;
	lim = o->handshake_us != 0 ? o->handshake_us : c->idle;
	if (lim > 0)
		c->deadline = tb_earliest(tb_now() + lim, saved);
	hs_end = c->deadline;
	r = tls_start(c, &cfg, info, why, cap);
	c->deadline = saved;
	if (r < 0) {
		/* the handshake's own limit, not the caller's deadline, ran out */
		if (lim > 0 && hs_end != saved && tb_now() >= hs_end)
			snprintf(why, cap, "no whole TLS handshake within %.3g s",
			    (double)lim / 1e6);
		return -1;
	}
	if (o->insecure && !info->verified)
		tb_warn("-k: using a certificate that does not verify: %s", info->verify_why);
	if (o->pin && (!info->have_spki || pin_ok(o->pin, info->spki_sha256) != 0)) {
		snprintf(why, cap, "the server's public key is not the one pinned by --pinnedpubkey");
		return -1;
	}
	return 0;
}

char *
tlsopt_str(const struct tls_info *t, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s %s %s%s%s, %s%s", t->version == TLS_V13 ? "TLSv1.3" : "TLSv1.2",
	    t->suite ? t->suite : "?", t->group ? t->group : "?", t->alpn[0] ? ", ALPN " : "",
	    t->alpn, t->verified ? "verified" : "NOT verified", t->resumed ? ", resumed" : "");
	return buf;
}

void
tlsopt_json(struct json *j, const char *key, const struct tls_info *t)
{
	size_t i;

	js_obj(j, key);
	js_str(j, "version", t->version == TLS_V13 ? "TLSv1.3" : "TLSv1.2");
	js_str(j, "suite", t->suite);
	js_str(j, "group", t->group);
	js_str(j, "alpn", t->alpn[0] ? t->alpn : NULL);
	js_bool(j, "verified", t->verified);
	if (t->resumed)
		js_bool(j, "resumed", 1);
	if (!t->verified)
		js_str(j, "verify_error", t->verify_why);
	js_arr(j, "chain");
	for (i = 0; i < t->nchain && i < TLS_CHAIN_MAX; i++)
		js_str(j, NULL, t->chain[i]);
	js_close(j);
	js_close(j);
}
