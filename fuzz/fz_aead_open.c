/*
 * fz_aead_open - ChaCha20-Poly1305 open on any bytes.  The input is
 * key (32) || nonce (12) || one byte n || n bytes of AAD || ciphertext ||
 * tag (the last 16 bytes); what is missing is zeros.  Oracles: open
 * accepts exactly when the tag is the one seal gives for the plaintext
 * the ciphertext hides (so a random tag is never taken); on a refusal
 * the output is all zeros; on acceptance it is that plaintext; the fast
 * and the portable paths agree; a tag with one bit flipped is refused.
 */
#include <string.h>

#include "crypto/chacha.h"
#include "crypto/ct.h"
#include "fuzz.h"

#define MAXLEN 4096

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static uint8_t in[32 + 12 + 1 + 255 + MAXLEN + 16], pt[MAXLEN], pt2[MAXLEN],
	    ct2[MAXLEN];
	uint8_t tag[16], want[16];
	const uint8_t *key = in, *nonce = in + 32, *aad = in + 45, *ct;
	size_t aadlen, len, total, i;
	int r, r2;

	memset(in, 0, sizeof in);
	if (n > sizeof in)
		n = sizeof in;
	memcpy(in, d, n);
	aadlen = in[44];
	total = n > 45 + aadlen + 16 ? n : 45 + aadlen + 16;
	ct = in + 45 + aadlen;
	len = total - 45 - aadlen - 16;
	memcpy(tag, in + total - 16, 16);

	/* the tag seal would give: decrypt with the bare stream, seal again */
	FUZZ_ASSERT(tb_chacha20_xor(key, nonce, 1, ct, pt2, len) == 0);
	FUZZ_ASSERT(tb_chacha20poly1305_seal(key, nonce, aad, aadlen, pt2, len, ct2, want) == 0);
	FUZZ_ASSERT(memcmp(ct2, ct, len) == 0);

	memset(pt, 0xa5, sizeof pt);
	r = tb_chacha20poly1305_open(key, nonce, aad, aadlen, ct, len, tag, pt);
	FUZZ_ASSERT(r == 0 || r == -1);
	FUZZ_ASSERT((r == 0) == (memcmp(tag, want, 16) == 0));
	if (r == 0)
		FUZZ_ASSERT(memcmp(pt, pt2, len) == 0);
	else
		for (i = 0; i < len; i++)
			FUZZ_ASSERT(pt[i] == 0);
	if (len < sizeof pt)
		FUZZ_ASSERT(pt[len] == 0xa5);

	/* the portable path says the same */
	tb_cpu_set(0);
	memset(pt2, 0xa5, sizeof pt2);
	r2 = tb_chacha20poly1305_open(key, nonce, aad, aadlen, ct, len, tag, pt2);
	tb_cpu_set(~0u);
	FUZZ_ASSERT(r2 == r && memcmp(pt, pt2, len) == 0);

	/* the right tag with one bit flipped is refused */
	want[in[0] % 16] ^= (uint8_t)(1u << (in[1] % 8));
	FUZZ_ASSERT(tb_chacha20poly1305_open(key, nonce, aad, aadlen, ct, len, want, pt) == -1);
	return 0;
}
