/*
 * fz_dns_name - name decompression from any offset of any message
 * (DNS-01..05): it terminates, the result is 1..255 octets with labels
 * of 1..63, and the next offset stays inside the message.  Also the text
 * form: text -> wire -> text -> wire is stable.
 * Input: first byte = start offset, the rest = message.
 */
#include <string.h>

#include "dns.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct dns_name a, b;
	char s1[DNS_NAMESTRLEN], s2[DNS_NAMESTRLEN], in[1024];
	size_t next, i, off;

	if (n < 1)
		return 0;
	off = d[0];
	if (dns_name_read(d + 1, n - 1, off, n - 1, &a, &next) == DNS_OK) {
		FUZZ_ASSERT(a.len >= 1 && a.len <= DNS_MAXNAME);
		FUZZ_ASSERT(next <= n - 1);
		for (i = 0; i < a.len && a.b[i]; i += a.b[i] + 1)
			FUZZ_ASSERT(a.b[i] <= DNS_MAXLABEL);
		FUZZ_ASSERT(i + 1 == (size_t)a.len);
		dns_name_str(&a, s1, sizeof s1);
		FUZZ_ASSERT(dns_name_from_str(s1, &b) == DNS_OK);
		FUZZ_ASSERT(a.len == b.len && memcmp(a.b, b.b, a.len) == 0);
	}
	/* the same bytes as typed text */
	if (n - 1 < sizeof in) {
		memcpy(in, d + 1, n - 1);
		in[n - 1] = '\0';
		if (strlen(in) == n - 1 && dns_name_from_str(in, &a) == DNS_OK) {
			FUZZ_ASSERT(a.len >= 1 && a.len <= DNS_MAXNAME);
			dns_name_str(&a, s1, sizeof s1);
			FUZZ_ASSERT(dns_name_from_str(s1, &b) == DNS_OK);
			dns_name_str(&b, s2, sizeof s2);
			FUZZ_ASSERT(strcmp(s1, s2) == 0);
		}
	}
	return 0;
}
