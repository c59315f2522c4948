/*
 * cidr.c - IPv4 addresses and ranges as users type them (arpq's
 * targets): text in, numbers out, no resolver and no system call.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ip.h"
#include "wire.h"

int
ip4_from_str(const char *s, size_t n, uint8_t ip[4])
{
	size_t i = 0, start;
	uint64_t v;
	int part;

	for (part = 0; part < 4; part++) {
		if (part > 0) {
			if (i >= n || s[i] != '.')
				return -1;
			i++;
		}
		for (start = i; i < n && i - start < 4 && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i - start > 3 || (i - start > 1 && s[start] == '0') ||
		    dec_parse(s + start, i - start, 255, &v) < 0)
			return -1;
		ip[part] = (uint8_t)v;
	}
	return i == n ? 0 : -1;
}

int
ip4_cidr_parse(const char *s, uint32_t *first, uint32_t *last, int *plen)
{
	const char *slash = strchr(s, '/');
	uint8_t ip[4];
	uint64_t len;
	uint32_t mask;

	if (slash == NULL)
		return 0;
	if (ip4_from_str(s, (size_t)(slash - s), ip) < 0 ||
	    dec_parse(slash + 1, strlen(slash + 1), 32, &len) < 0)
		return -1;
	mask = len == 0 ? 0 : 0xffffffffu << (32 - len);
	*first = get32(ip) & mask;
	*last = *first | ~mask;
	if (len < 31) {		/* not the network and broadcast addresses */
		(*first)++;
		(*last)--;
	}
	*plen = (int)len;
	return 1;
}
