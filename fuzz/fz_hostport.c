/*
 * fz_hostport - url_host_port on any bytes (smtpsend -s): never a read
 * outside the input, a host always terminated and short of its buffer,
 * a port given only when in range, and what is accepted parses again
 * to itself.
 */
#include <string.h>

#include "fuzz.h"
#include "url.h"

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char host[64], again[64], form[80];
	const char *why = NULL;
	uint16_t port = 0, p2 = 0;
	int r, r2;

	r = url_host_port((const char *)d, n, host, sizeof host, &port, &why);
	FUZZ_ASSERT(r >= -1 && r <= 1);
	FUZZ_ASSERT(memchr(host, '\0', sizeof host) != NULL);
	if (r < 0) {
		FUZZ_ASSERT(why != NULL);
		return 0;
	}
	FUZZ_ASSERT(host[0] != '\0');
	FUZZ_ASSERT(r == 0 ? port == 0 : port >= 1);
	/* what was accepted, written back, is read the same */
	if (strchr(host, ':'))
		snprintf(form, sizeof form, "[%s]:%u", host, r ? port : 25u);
	else
		snprintf(form, sizeof form, "%s:%u", host, r ? port : 25u);
	r2 = url_host_port(form, strlen(form), again, sizeof again, &p2, &why);
	FUZZ_ASSERT(r2 == 1 && strcmp(again, host) == 0 && p2 == (r ? port : 25u));
	return 0;
}
