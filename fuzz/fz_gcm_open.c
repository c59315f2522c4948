/*
 * fz_gcm_open - AES-GCM open on any bytes, on the fast and the portable
 * path.  The input is: a byte whose low bit picks AES-128 or AES-256, a
 * 32-byte key, a 12-byte nonce, a 16-byte tag, a byte of AAD length,
 * the AAD, and the rest the ciphertext (missing bytes are zeros).
 * Oracles: no crash; a forged tag is never accepted (by chance it would
 * be 2^-128) and leaves only zeros in the output; both paths say the
 * same; sealing the same bytes gives the same ciphertext and tag on both
 * paths, and that opens again to them.
 */
#include <string.h>

#include "fuzz.h"
#include "crypto/aes.h"
#include "crypto/ct.h"

static struct tb_gcm fast, port;
static uint8_t buf[1 + 32 + 12 + 16 + 1], c1[4096], c2[4096], o1[4096], o2[4096];

static int
zeros(const uint8_t *p, size_t n)
{
	while (n-- > 0)
		if (*p++)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	const uint8_t *key = buf + 1, *nonce = buf + 33, *tag = buf + 45, *aad, *ct;
	size_t kl, al, len, h = sizeof buf;
	uint8_t t1[16], t2[16];
	unsigned save = tb_cpu();

	memset(buf, 0, sizeof buf);
	memcpy(buf, d, n < h ? n : h);
	d += n < h ? n : h;
	n -= n < h ? n : h;
	kl = buf[0] & 1 ? 32 : 16;
	al = buf[h - 1] < n ? buf[h - 1] : n;
	aad = d;
	ct = d + al;
	len = n - al;
	if (len > sizeof c1)
		len = sizeof c1;

	tb_cpu_set(0);
	FUZZ_ASSERT(tb_gcm_init(&port, key, kl) == 0 && !port.aes.ni);
	tb_cpu_set(~0u);
	FUZZ_ASSERT(tb_gcm_init(&fast, key, kl) == 0);
	tb_cpu_set(save);

	memset(o1, 0xaa, len);
	memset(o2, 0x55, len);
	FUZZ_ASSERT(tb_gcm_open(&fast, nonce, aad, al, ct, len, tag, o1) == -1);
	FUZZ_ASSERT(tb_gcm_open(&port, nonce, aad, al, ct, len, tag, o2) == -1);
	FUZZ_ASSERT(zeros(o1, len) && zeros(o2, len));

	FUZZ_ASSERT(tb_gcm_seal(&fast, nonce, aad, al, ct, len, c1, t1) == 0);
	FUZZ_ASSERT(tb_gcm_seal(&port, nonce, aad, al, ct, len, c2, t2) == 0);
	FUZZ_ASSERT(memcmp(c1, c2, len) == 0 && memcmp(t1, t2, 16) == 0);
	FUZZ_ASSERT(tb_gcm_open(&fast, nonce, aad, al, c1, len, t1, o1) == 0);
	FUZZ_ASSERT(tb_gcm_open(&port, nonce, aad, al, c2, len, t2, c2) == 0);
	FUZZ_ASSERT(memcmp(o1, ct, len) == 0 && memcmp(c2, ct, len) == 0);
	return 0;
}
