/*
 * fz_dns_ref - the +trace readers of peer and file bytes: the input as a
 * DNS message through the referral walk and the EDNS option walk, and as
 * root hints text and -f query lines, line by line.  Oracles: every referral item names an
 * NS of the authority section and glue carries a family allowed; the
 * walk ends within (NS records) x (records + 1) items; an EDNS option's
 * value lies inside the OPT rdata; a hints line gives a non-empty name
 * and an address word without blanks that fits.  The first byte picks
 * the family.
 */
#include <string.h>

#include "dns.h"
#include "fuzz.h"
#include "wire.h"

static char line[70000];

static void
referrals(const uint8_t *d, size_t n, int family)
{
	struct dns_msg m;
	struct dns_ref_it it;
	struct dns_ref r;
	struct dns_rr rr;
	size_t off = 0, items = 0, o2;
	unsigned idx = 0, nns = 0;
	uint16_t code, vlen;
	const uint8_t *v;

	if (dns_parse(&m, d, n) != DNS_OK)
		return;
	while (dns_rr_next(&m, &off, &idx, &rr))
		if (rr.section == DNS_SEC_AUTHORITY && rr.type == DNS_T_NS)
			nns++;
	memset(&it, 0, sizeof it);
	while (dns_referral_next(&m, family, &it, &r)) {
		FUZZ_ASSERT(++items <= (size_t)nns * (m.nrr + 1));
		FUZZ_ASSERT(r.af == 0 || r.af == 4 || r.af == 6);
		FUZZ_ASSERT(family == 0 || r.af == 0 || r.af == family);
		FUZZ_ASSERT(r.name.len >= 1 && r.name.len <= DNS_MAXNAME);
	}
	if (!m.edns)
		return;
	o2 = 0;
	while (dns_opt_next(m.buf + m.opt_rdoff, m.opt_rdlen, &o2, &code, &v, &vlen)) {
		FUZZ_ASSERT(v >= m.buf + m.opt_rdoff + 4);
		FUZZ_ASSERT(v + vlen <= m.buf + m.opt_rdoff + m.opt_rdlen);
		FUZZ_ASSERT(o2 <= m.opt_rdlen);
	}
}

static void
hints(const uint8_t *d, size_t n, int family)
{
	char name[DNS_NAMESTRLEN], addr[64];
	const char *bad[DNS_QL_MAXBAD];
	struct dns_name nm;
	uint16_t t, c;
	size_t i = 0, k;
	int r;

	while (i < n) {
		for (k = 0; i < n && d[i] != '\n' && k < sizeof line - 1; i++)
			line[k++] = d[i] ? (char)d[i] : ' ';
		line[k] = '\0';
		i++;
		if (!dns_hints_line(line, family, name, sizeof name, addr, sizeof addr))
			continue;
		FUZZ_ASSERT(name[0] != '\0' && name[0] != ';');
		FUZZ_ASSERT(addr[0] != '\0' && strlen(addr) < sizeof addr);
		FUZZ_ASSERT(strpbrk(addr, " \t\r\n") == NULL && strpbrk(name, " \t\r\n") == NULL);
	}
	/* and as -f query lines: cut up in place, so last */
	for (i = 0; i < n; i++) {
		for (k = 0; i < n && d[i] != '\n' && k < sizeof line - 1; i++)
			line[k++] = d[i] ? (char)d[i] : ' ';
		line[k] = '\0';
		t = c = 0;
		r = dns_query_line(line, &nm, &t, &c, bad);
		FUZZ_ASSERT(r >= DNS_QL_BADNAME);
		if (r == DNS_QL_BADNAME)
			FUZZ_ASSERT(bad[0] >= line && bad[0] < line + k);
		for (k = 0; r > 0 && k < (size_t)r && k < DNS_QL_MAXBAD; k++)
			FUZZ_ASSERT(bad[k][0] != '\0' && strpbrk(bad[k], " \t") == NULL);
		if (r >= DNS_QL_OK)
			FUZZ_ASSERT(nm.len >= 1 && nm.len <= DNS_MAXNAME);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const int fam[4] = { 0, 4, 6, 0 };
	int family;

	if (n < 1)
		return 0;
	family = fam[d[0] & 3];
	d++, n--;
	referrals(d, n, family);
	hints(d, n, family);
	return 0;
}
