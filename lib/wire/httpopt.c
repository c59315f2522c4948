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
http_has_ctl(const char *s, int lo)
{
	for (; *s; s++)
		if ((unsigned char)*s < lo || *s == 0x7f)
			return 1;
	return 0;
}
