/*
 * httpopt.c - checks of httpget's command line: see httpopt.h.
 */
#include <stddef.h>
#include <string.h>

#include "httpopt.h"

int
http_check_method(const char *m)
{
	size_t i;

	for (i = 0; m[i]; i++)
		if (!strchr("!#$%&'*+-.^_`|~", m[i]) && !((m[i] >= 'A' && m[i] <= 'Z') ||
		    (m[i] >= 'a' && m[i] <= 'z') || (m[i] >= '0' && m[i] <= '9')))
			return -1;
	return i > 0 ? 0 : -1;
}

int
http_codes(const char *s, int *codes, int max)
{
	int n = 0, v, k;

	if (*s == '\0')
		return -1;
	for (;;) {
		for (v = 0, k = 0; s[k] >= '0' && s[k] <= '9' && k < 3; k++)
			v = v * 10 + (s[k] - '0');
		if (k != 3 || v < 100 || v > 599 || n >= max || (s[k] != ',' && s[k] != '\0'))
			return -1;
		codes[n++] = v;
		if (s[k] == '\0')
			return n;
		s += k + 1;
	}
}

int
http_code_in(int status, const int *codes, int n)
{
	int i;

	if (n == 0)
		return status >= 200 && status < 400;
	for (i = 0; i < n; i++)
		if (codes[i] == status)
			return 1;
	return 0;
}

static int
lc(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int
http_has_field(const char *const *fields, int n, const char *name)
{
	size_t k = strlen(name), j;
	int i;

	for (i = 0; i < n; i++) {
		for (j = 0; j < k && fields[i][j]; j++)
			if (lc(fields[i][j]) != lc(name[j]))
				break;
		if (j == k)
			return 1;
	}
	return 0;
}

int
http_has_ctl(const char *s, int lo)
{
	for (; *s; s++)
		if ((unsigned char)*s < lo || *s == 0x7f)
			return 1;
	return 0;
}
