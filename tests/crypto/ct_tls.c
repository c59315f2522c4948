/*
 * ct_tls - the constant-time check of the TLS 1.3 key schedule and
 * record protection (tests/crypto/ct.h): from a secret (EC)DHE shared
 * secret through the handshake, master and application secrets, the
 * Finished MACs and their comparison, the traffic keys of each suite,
 * KeyUpdate's next secret; then records sealed and opened with secret
 * keys and plaintext, with padding after the content type (found by
 * tls_open's scan) and with a wrong tag.  The transcript hashes are
 * public.  The resumption PSK from the resumption master secret, its
 * binder and the early secret from it (the binder itself is public).
 * Then TLS 1.2 (tls12.c): the extended master secret from a
 * secret premaster, the key block of each of the six suites, both
 * verify_data and their comparison, and records sealed and opened with
 * the key block's keys and secret plaintext (AES-GCM's explicit nonce,
 * ChaCha20's iv XOR seq), with a wrong tag too.  valgrind must report no
 * branch or index on a secret.
 *
 *   ct_tls portable|fast
 */
#include <string.h>

#include "crypto/ct.h"
#include "crypto/hash.h"
#include "ct.h"
#include "tls/tlsint.h"

static const uint16_t suites[] = { 0x1301, 0x1302, 0x1303 };
static const size_t lens[] = { 0, 1, 15, 16, 17, 100, 300 };

static int
records(uint16_t suite, const uint8_t *secret)
{
	static uint8_t pt[400], rec[5 + 400 + 1 + 16 + 8];
	struct tls_aead w, r;
	uint8_t type;
	size_t i, j, plen;
	long n;
	int ok, fails = 0;

	memset(&w, 0, sizeof w);
	memset(&r, 0, sizeof r);
	if (tls_aead_set(&w, suite, secret) < 0 || tls_aead_set(&r, suite, secret) < 0)
		return 1;
	for (j = 0; j < sizeof lens / sizeof lens[0]; j++) {
		for (i = 0; i < sizeof pt; i++)
			pt[i] = (uint8_t)(i * 13 + j);
		/* the content, its type, then three bytes of padding: sealed as
		 * type 0 so that the zeros follow the real type */
		pt[lens[j]] = TLS_CT_APPDATA;
		memset(pt + lens[j] + 1, 0, 2);
		CT_SECRET(pt, sizeof pt);
		n = tls_seal(&w, 0, pt, lens[j] + 3, rec);
		CT_PUBLIC(&n, sizeof n);
		if (n < 0)
			return 1;
		/* what goes on the wire is public */
		CT_PUBLIC(rec, sizeof rec);
		ok = tls_open(&r, rec, (size_t)n, &type, &plen);
		CT_PUBLIC(&ok, sizeof ok);
		CT_PUBLIC(&type, sizeof type);
		CT_PUBLIC(&plen, sizeof plen);
		fails += ok != 0 || type != TLS_CT_APPDATA || plen != lens[j];
		/* a wrong tag: refused, and the scan still runs over zeros */
		n = tls_seal(&w, TLS_CT_HANDSHAKE, pt, lens[j], rec);
		CT_PUBLIC(&n, sizeof n);
		CT_PUBLIC(rec, sizeof rec);
		rec[n - 1] ^= 1;
		ok = tls_open(&r, rec, (size_t)n, &type, &plen);
		CT_PUBLIC(&ok, sizeof ok);
		fails += ok != -1;
		/* the receiver's count moved on; keep the two in step */
		memset(&r, 0, sizeof r);
		tls_aead_set(&r, suite, secret);
		r.seq = w.seq;
	}
	tls_aead_wipe(&w);
	tls_aead_wipe(&r);
	return fails;
}

static const uint16_t suites12[] = { 0xc02b, 0xc02c, 0xcca9, 0xc02f, 0xc030, 0xcca8 };

static int
records12(uint16_t suite, const uint8_t *key, const uint8_t *iv)
{
	static uint8_t pt[400], rec[5 + 8 + 400 + 16];
	struct tls_aead w, r;
	uint8_t type;
	size_t i, j, plen;
	long n;
	int ok, fails = 0;

	memset(&w, 0, sizeof w);
	memset(&r, 0, sizeof r);
	if (tls12_aead_set(&w, suite, key, iv) < 0 || tls12_aead_set(&r, suite, key, iv) < 0)
		return 1;
	for (j = 0; j < sizeof lens / sizeof lens[0]; j++) {
		for (i = 0; i < sizeof pt; i++)
			pt[i] = (uint8_t)(i * 13 + j);
		CT_SECRET(pt, sizeof pt);
		n = tls_seal(&w, TLS_CT_APPDATA, pt, lens[j], rec);
		CT_PUBLIC(&n, sizeof n);
		if (n < 0)
			return 1;
		CT_PUBLIC(rec, sizeof rec);
		ok = tls_open(&r, rec, (size_t)n, &type, &plen);
		CT_PUBLIC(&ok, sizeof ok);
		fails += ok != 0 || type != TLS_CT_APPDATA || plen != lens[j];
		n = tls_seal(&w, TLS_CT_HANDSHAKE, pt, lens[j], rec);
		CT_PUBLIC(&n, sizeof n);
		CT_PUBLIC(rec, sizeof rec);
		rec[n - 1] ^= 1;
		ok = tls_open(&r, rec, (size_t)n, &type, &plen);
		CT_PUBLIC(&ok, sizeof ok);
		fails += ok != -1;
	}
	tls_aead_wipe(&w);
	tls_aead_wipe(&r);
	return fails;
}

/* RFC 5246 / 7627 as tls12.c runs them, from a secret premaster */
static int
keys12(void)
{
	uint8_t pms[32], ms[48], kb[2 * 32 + 2 * 12], th[TB_HASH_MAX], cr[32], sr[32];
	uint8_t fin[12], fin2[12];
	const struct tb_hash *h;
	size_t i, k, kl, il;
	int fails = 0, eq;

	for (i = 0; i < sizeof suites12 / sizeof suites12[0]; i++) {
		h = tls12_suite_hash(suites12[i], &kl, &il);
		for (k = 0; k < sizeof pms; k++)
			pms[k] = (uint8_t)(k * 11 + i);
		memset(th, 0x33 + (int)i, sizeof th);	/* the session hash: public */
		memset(cr, 0xc0, sizeof cr);		/* the randoms: public */
		memset(sr, 0x50, sizeof sr);
		CT_SECRET(pms, sizeof pms);
		tls12_master(h, pms, sizeof pms, th, ms);
		tls12_key_block(h, ms, cr, sr, kb, 2 * kl + 2 * il);
		tls12_verify_data(h, ms, "server finished", th, fin);
		memcpy(fin2, fin, 12);
		CT_PUBLIC(fin2, 12);
		eq = tb_ct_eq(fin, fin2, 12);
		CT_PUBLIC(&eq, sizeof eq);
		fails += eq != 1;
		tls12_verify_data(h, ms, "client finished", th, fin);
		fails += records12(suites12[i], kb, kb + 2 * kl);
		fails += records12(suites12[i], kb + kl, kb + 2 * kl + il);
	}
	return fails;
}

int
main(int argc, char **argv)
{
	static const uint8_t zero[TB_HASH_MAX];
	uint8_t ecdhe[32], early[TB_HASH_MAX], der[TB_HASH_MAX], hs[TB_HASH_MAX];
	uint8_t chs[TB_HASH_MAX], shs[TB_HASH_MAX], ms[TB_HASH_MAX], cap[TB_HASH_MAX];
	uint8_t sap[TB_HASH_MAX], fin[TB_HASH_MAX], fin2[TB_HASH_MAX], th[TB_HASH_MAX];
	uint8_t empty[TB_HASH_MAX], psk[TB_HASH_MAX];
	const struct tb_hash *h;
	tb_hash_ctx c;
	size_t i, kl, hl;
	int fails = 0, eq;

	if (argc != 2)
		return 2;
	if (strcmp(argv[1], "portable") == 0)
		tb_cpu_set(0);
	else if (strcmp(argv[1], "fast") != 0)
		return 2;
	for (i = 0; i < 3; i++) {
		h = tls13_suite_hash(suites[i], &kl);
		hl = h->len;
		for (size_t k = 0; k < sizeof ecdhe; k++)
			ecdhe[k] = (uint8_t)(k * 7 + i);
		memset(th, 0x5a + (int)i, sizeof th);	/* a transcript hash: public */
		h->init(&c);
		h->final(&c, empty);
		CT_SECRET(ecdhe, sizeof ecdhe);
		/* RFC 8446 7.1, as tls13.c runs it */
		tb_hkdf_extract(h, zero, hl, zero, hl, early);
		tls13_derive(h, early, "derived", empty, der);
		tb_hkdf_extract(h, der, hl, ecdhe, sizeof ecdhe, hs);
		tls13_derive(h, hs, "c hs traffic", th, chs);
		tls13_derive(h, hs, "s hs traffic", th, shs);
		tls13_derive(h, hs, "derived", empty, der);
		tb_hkdf_extract(h, der, hl, zero, hl, ms);
		tls13_derive(h, ms, "c ap traffic", th, cap);
		tls13_derive(h, ms, "s ap traffic", th, sap);
		tls13_derive(h, ms, "res master", th, psk);
		tls13_expand_label(h, psk, "resumption", (const uint8_t *)"\0\1", 2, psk, hl);
		/* resuming with that PSK: binder, early secret, then the schedule */
		tls13_binder(h, psk, th, fin, early);
		CT_PUBLIC(fin, hl);	/* the binder goes on the wire */
		tls13_derive(h, early, "derived", empty, der);
		tb_hkdf_extract(h, der, hl, ecdhe, sizeof ecdhe, hs);
		/* Finished: computed, and compared as the client does */
		tls13_finished(h, shs, th, fin);
		memcpy(fin2, fin, hl);
		CT_PUBLIC(fin2, hl);	/* the server's Finished comes off the wire */
		eq = tb_ct_eq(fin, fin2, hl);
		CT_PUBLIC(&eq, sizeof eq);
		fails += eq != 1;
		tls13_finished(h, chs, th, fin);
		/* KeyUpdate */
		tls13_expand_label(h, sap, "traffic upd", NULL, 0, sap, hl);
		fails += records(suites[i], shs);
		fails += records(suites[i], sap);
		fails += records(suites[i], cap);
	}
	fails += keys12();
	return fails != 0;
}
