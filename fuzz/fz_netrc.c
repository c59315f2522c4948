/*
 * fz_netrc - the netrc parser on any text: no read outside the buffer
 * (CVE-2022-35260 class: no final newline), results always terminated
 * and bounded.  Input: a host name up to the first NUL, then the file.
 */
#include <string.h>

#include "fuzz.h"
#include "secret.h"
#include "tubes.h"

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char host[256], login[64], pass[64];
	const uint8_t *nul = memchr(d, 0, n < sizeof host ? n : sizeof host - 1);
	size_t hl;
	int r;

	if (nul == NULL)
		return 0;
	hl = (size_t)(nul - d);
	memcpy(host, d, hl);
	host[hl] = '\0';
	r = netrc_find((const char *)nul + 1, n - hl - 1, host, NULL, login, sizeof login,
	    pass, sizeof pass);
	FUZZ_ASSERT(r >= -1 && r <= 1);
	FUZZ_ASSERT(strlen(login) < sizeof login && strlen(pass) < sizeof pass);
	return 0;
}
