/*
 * crypto/ct.c - constant-time helpers, wiping, and the CPU feature probe
 * (see ct.h).
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/ct.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

int
tb_ct_eq(const void *a, const void *b, size_t n)
{
	const volatile uint8_t *p = a, *q = b;
	uint32_t d = 0;
	size_t i;

	for (i = 0; i < n; i++)
		d |= (uint32_t)(p[i] ^ q[i]);
	return (int)(1 & ((d - 1) >> 8));
}

void
tb_ct_cmov(void *dst, const void *src, size_t n, uint32_t mask)
{
	uint8_t *d = dst, m = (uint8_t)mask;
	const uint8_t *s = src;
	size_t i;

	for (i = 0; i < n; i++)
		d[i] = (uint8_t)((s[i] & m) | (d[i] & (uint8_t)~m));
}

void
tb_wipe(void *p, size_t n)
{
	explicit_bzero(p, n);
}

static unsigned cpu_have, cpu_use;
static int cpu_probed;

static void
cpu_probe(void)
{
	const char *e;

	cpu_probed = 1;
#if defined(__x86_64__) || defined(__i386__)
	{
		unsigned a, b, c, d;

		if (__get_cpuid(1, &a, &b, &c, &d)) {
			if (c & (1u << 25)) cpu_have |= TB_CPU_AESNI;
			if (c & (1u << 1))  cpu_have |= TB_CPU_PCLMUL;
			if (c & (1u << 9))  cpu_have |= TB_CPU_SSSE3;
			if (c & (1u << 19)) cpu_have |= TB_CPU_SSE41;
		}
		if (__get_cpuid_max(0, NULL) >= 7 && __get_cpuid_count(7, 0, &a, &b, &c, &d)) {
			if (b & (1u << 29)) cpu_have |= TB_CPU_SHA;
			if (b & (1u << 5))  cpu_have |= TB_CPU_AVX2;
			if (b & (1u << 8))  cpu_have |= TB_CPU_BMI2;
			if (b & (1u << 19)) cpu_have |= TB_CPU_ADX;
		}
		/* AVX2 also needs the OS to save the YMM registers */
		if ((cpu_have & TB_CPU_AVX2) && __get_cpuid(1, &a, &b, &c, &d) &&
		    (c & (1u << 27))) {
			unsigned lo, hi;

			__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
			if ((lo & 6) != 6)
				cpu_have &= ~(unsigned)TB_CPU_AVX2;
		} else
			cpu_have &= ~(unsigned)TB_CPU_AVX2;
	}
#endif
	cpu_use = cpu_have;
	e = getenv("TUBES_NO_ASM");
	if (e != NULL && *e != '\0' && strcmp(e, "0") != 0)
		cpu_use = 0;
}

unsigned
tb_cpu(void)
{
	if (!cpu_probed)
		cpu_probe();
	return cpu_use;
}

void
tb_cpu_set(unsigned mask)
{
	if (!cpu_probed)
		cpu_probe();
	cpu_use = cpu_have & mask;
}
