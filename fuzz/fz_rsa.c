/*
 * fz_rsa - the RSAPublicKey parser and RSA verification on any bytes.
 * Oracles: a key the strict DER parser takes re-encodes to exactly the
 * input (DER has one encoding per value, so anything else means a
 * non-minimal form slipped through), and loads the same from its raw n
 * and e; the input as a signature, at its own length and cut or padded to
 * the modulus length, never verifies against a fixed key (PKCS#1 v1.5 and
 * PSS; 1024 bits, taken with minbits 1024, so that the sanitized
 * exponentiations leave time for more inputs).  Never a crash or a read out of bounds.
 */
#include <string.h>

#include "fuzz.h"
#include "crypto/rsa.h"
#include "../tests/unit/rsa_vectors.h"

/* a digit of the vector's lower-case hex */
static int
hexval(char c)
{
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

static size_t
put_len(uint8_t *o, size_t n)
{
	if (n < 0x80) {
		o[0] = (uint8_t)n;
		return 1;
	}
	if (n < 0x100) {
		o[0] = 0x81;
		o[1] = (uint8_t)n;
		return 2;
	}
	o[0] = 0x82;
	o[1] = (uint8_t)(n >> 8);
	o[2] = (uint8_t)n;
	return 3;
}

/* an INTEGER of the len-byte magnitude m (m[0] != 0) */
static size_t
put_uint(uint8_t *o, const uint8_t *m, size_t len)
{
	size_t k = 0, pad = (m[0] & 0x80) != 0;

	o[k++] = 0x02;
	k += put_len(o + k, len + pad);
	if (pad)
		o[k++] = 0;
	memcpy(o + k, m, len);
	return k + len;
}

static size_t
encode(const struct tb_rsa_pub *p, uint8_t *out)
{
	uint8_t n[TB_RSA_MAX_BYTES], e[4], body[TB_RSA_MAX_BYTES + 32];
	size_t bl, el = 0, k;
	int i;

	tb_bn_to_bytes(n, p->len, p->m.n, p->m.nl);
	for (i = 3; i >= 0; i--)
		if ((p->e >> (8 * i)) != 0 || el > 0)
			e[el++] = (uint8_t)(p->e >> (8 * i));
	bl = put_uint(body, n, p->len);
	bl += put_uint(body + bl, e, el);
	out[0] = 0x30;
	k = 1 + put_len(out + 1, bl);
	memcpy(out + k, body, bl);
	return k + bl;
}

/*
 * the input as a signature: at its own length, then cut or padded to the
 * modulus length (one exponentiation each for PKCS#1 v1.5 and PSS: they
 * are the slow part under the sanitizers)
 */
static void
never_verifies(const struct tb_rsa_pub *p, const uint8_t *d, size_t n)
{
	static const uint8_t dg[32] = { 0x5a };
	uint8_t sig[TB_RSA_MAX_BYTES];

	if (n != p->len) {
		FUZZ_ASSERT(tb_rsa_verify_pkcs1(p, &tb_hash_sha256, dg, d, n) == -1);
		FUZZ_ASSERT(tb_rsa_verify_pss(p, &tb_hash_sha256, dg, d, n, 32) == -1);
	}
	memset(sig, 0, p->len);
	memcpy(sig + (n < p->len ? p->len - n : 0), d, n < p->len ? n : p->len);
	FUZZ_ASSERT(tb_rsa_verify_pkcs1(p, &tb_hash_sha256, dg, sig, p->len) == -1);
	FUZZ_ASSERT(tb_rsa_verify_pss(p, n & 1 ? &tb_hash_sha1 : &tb_hash_sha256, dg, sig,
	    p->len, n % 40) == -1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static struct tb_rsa_pub fixed, p, q;
	static int loaded;
	static uint8_t out[TB_RSA_MAX_BYTES + 64];

	if (!loaded) {
		uint8_t nb[128];
		size_t i;

		for (i = 0; i < sizeof nb; i++)
			nb[i] = (uint8_t)(hexval(v1024_n[2 * i]) << 4 | hexval(v1024_n[2 * i + 1]));
		FUZZ_ASSERT(tb_rsa_pub_set(&fixed, nb, sizeof nb, (const uint8_t *)"\1\0\1", 3,
		    TB_RSA_FLOOR_BITS) == 0);
		loaded = 1;
	}
	never_verifies(&fixed, d, n);
	if (tb_rsa_pubkey_parse(&p, d, n, TB_RSA_FLOOR_BITS) == 0) {
		uint8_t nb[TB_RSA_MAX_BYTES], e[4] = { (uint8_t)(p.e >> 24),
		    (uint8_t)(p.e >> 16), (uint8_t)(p.e >> 8), (uint8_t)p.e };

		FUZZ_ASSERT(p.bits >= TB_RSA_FLOOR_BITS && p.bits <= TB_RSA_MAX_BITS);
		FUZZ_ASSERT(p.e >= 3 && (p.e & 1) && (p.m.n[0] & 1));
		FUZZ_ASSERT(encode(&p, out) == n && memcmp(out, d, n) == 0);
		tb_bn_to_bytes(nb, p.len, p.m.n, p.m.nl);
		FUZZ_ASSERT(tb_rsa_pub_set(&q, nb, p.len, e, 4, TB_RSA_FLOOR_BITS) == 0);
		FUZZ_ASSERT(q.bits == p.bits && q.e == p.e &&
		    memcmp(q.m.rr, p.m.rr, sizeof q.m.rr) == 0);
	}
	return 0;
}
