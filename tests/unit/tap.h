/*
 * tap.h - the unit-test harness: each tests/unit/t_*.c is a program
 * whose main calls TEST() blocks; results print as TAP lines and a last
 * line "N passed, N failed".
 */
#ifndef TUBES_TAP_H
#define TUBES_TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_fail, tap_cur_failed;
static const char *tap_cur;

#define TEST(name) for (tap_begin(name); tap_cur; tap_end())

static void tap_begin(const char *name) { tap_cur = name; tap_cur_failed = 0; }
static void
tap_end(void)
{
	tap_n++;
	if (tap_cur_failed)
		tap_fail++;
	printf("%s %d - %s\n", tap_cur_failed ? "not ok" : "ok", tap_n, tap_cur);
	tap_cur = NULL;
}

#define CHECK(cond) do { if (!(cond)) { tap_cur_failed = 1; \
	printf("#   %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_EQ(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ != b_) { tap_cur_failed = 1; printf("#   %s:%d: %s == %lld, want %lld\n", \
	__FILE__, __LINE__, #a, a_, b_); } } while (0)
#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b); \
	if (a_ == NULL || strcmp(a_, b_) != 0) { tap_cur_failed = 1; \
	printf("#   %s:%d: %s == \"%s\", want \"%s\"\n", __FILE__, __LINE__, #a, \
	a_ ? a_ : "(null)", b_); } } while (0)
#define CHECK_MEM(a, b, n) do { if (memcmp((a), (b), (n)) != 0) { tap_cur_failed = 1; \
	printf("#   %s:%d: %s differs from %s\n", __FILE__, __LINE__, #a, #b); \
	tap_diff((const unsigned char *)(a), (const unsigned char *)(b), (n)); } } while (0)

static void __attribute__((unused))
tap_diff(const unsigned char *a, const unsigned char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i]) {
			printf("#   first difference at byte %zu: %02x != %02x\n", i, a[i], b[i]);
			return;
		}
}

/*
 * Hex fixture: hex digits, whitespace and '#' comments to end of line.
 * Returns the byte count, or exits on a malformed fixture.
 */
static size_t __attribute__((unused))
tap_hex(const char *hex, unsigned char *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *hex; hex++) {
		int v;

		if (*hex == '#') {
			while (*hex && *hex != '\n')
				hex++;
			if (!*hex)
				break;
			continue;
		}
		if (*hex >= '0' && *hex <= '9')
			v = *hex - '0';
		else if (*hex >= 'a' && *hex <= 'f')
			v = *hex - 'a' + 10;
		else if (*hex >= 'A' && *hex <= 'F')
			v = *hex - 'A' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			if (n >= cap) {
				fprintf(stderr, "hex fixture too long\n");
				exit(2);
			}
			out[n++] = (unsigned char)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0) {
		fprintf(stderr, "odd number of hex digits\n");
		exit(2);
	}
	return n;
}

/* read a whole fixture file (relative to the source tree) */
static size_t __attribute__((unused))
tap_hexfile(const char *path, unsigned char *out, size_t cap)
{
	static char text[1 << 20];
	FILE *fp = fopen(path, "r");
	size_t n;

	if (fp == NULL) {
		fprintf(stderr, "%s: cannot open\n", path);
		exit(2);
	}
	n = fread(text, 1, sizeof text - 1, fp);
	fclose(fp);
	text[n] = '\0';
	return tap_hex(text, out, cap);
}

static int
tap_done(void)
{
	printf("%d passed, %d failed\n", tap_n - tap_fail, tap_fail);
	return tap_fail ? 1 : 0;
}

#endif
