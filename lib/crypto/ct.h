/*
 * crypto/ct.h - what every primitive in lib/crypto shares: constant-time
 * comparison and selection, wiping, and the CPU features the fast paths
 * are chosen by.
 *
 * Wire side: no system calls.  A primitive never draws random bytes
 * itself; a caller that needs a key passes bytes from tb_random().
 *
 * Constant time means: no branch and no memory index depends on a secret
 * byte.  tests/crypto/ct.h marks secrets undefined for valgrind, which
 * then reports any branch or address computed from them (the ctgrind
 * method); tests/crypto-ct.bats runs those programs.
 */
#ifndef TUBES_CRYPTO_CT_H
#define TUBES_CRYPTO_CT_H

#include <stddef.h>
#include <stdint.h>

/* 1 if the n bytes at a and b are equal, else 0; time depends on n only */
int tb_ct_eq(const void *a, const void *b, size_t n);

/* all ones if x != 0, else 0, without a branch */
static inline uint32_t
tb_ct_mask32(uint32_t x)
{
	return (uint32_t)0 - ((x | ((uint32_t)0 - x)) >> 31);
}

/* a if mask is all ones, b if it is zero */
static inline uint32_t
tb_ct_sel32(uint32_t mask, uint32_t a, uint32_t b)
{
	return (a & mask) | (b & ~mask);
}

/* copy src to dst where mask is all ones; leave dst where it is zero */
void tb_ct_cmov(void *dst, const void *src, size_t n, uint32_t mask);

/* overwrite n bytes so that the compiler cannot drop the stores */
void tb_wipe(void *p, size_t n);

/*
 * CPU features of the fast paths, found once with cpuid.  TUBES_NO_ASM=1
 * in the environment, or tb_cpu_set(0) in a test, forces every portable
 * path: the differential tests run both and compare.
 */
enum {
	TB_CPU_AESNI  = 1 << 0,	/* AES-NI */
	TB_CPU_PCLMUL = 1 << 1,	/* carry-less multiply */
	TB_CPU_SHA    = 1 << 2,	/* SHA-NI (SHA-1, SHA-256) */
	TB_CPU_SSSE3  = 1 << 3,
	TB_CPU_SSE41  = 1 << 4,
	TB_CPU_AVX2   = 1 << 5,
	TB_CPU_BMI2   = 1 << 6,	/* mulx */
	TB_CPU_ADX    = 1 << 7	/* adcx, adox */
};
unsigned tb_cpu(void);		/* the features in use */
void tb_cpu_set(unsigned mask);	/* use only these (tests), within what the CPU has */

#endif
