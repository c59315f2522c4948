/*
 * dnsref.c - what dig-lite reads besides answers: query lines of a -f
 * file, root hints lines and the name servers of a referral.  Wire code:
 * the caller reads the files and looks up servers that came without glue.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dns.h"
#include "wire.h"

#define HINT_WORDS	5	/* "NAME TTL CLASS TYPE DATA"; more are ignored */

const char *const dns_roots[DNS_NROOTS][2] = {
	{ "a.root-servers.net", "198.41.0.4" }, { "b.root-servers.net", "170.247.170.2" },
	{ "c.root-servers.net", "192.33.4.12" }, { "d.root-servers.net", "199.7.91.13" },
	{ "e.root-servers.net", "192.203.230.10" }, { "f.root-servers.net", "192.5.5.241" },
	{ "g.root-servers.net", "192.112.36.4" }, { "h.root-servers.net", "198.97.190.53" },
	{ "i.root-servers.net", "192.36.148.17" }, { "j.root-servers.net", "192.58.128.30" },
	{ "k.root-servers.net", "193.0.14.129" }, { "l.root-servers.net", "199.7.83.42" },
	{ "m.root-servers.net", "202.12.27.33" },
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* copy a word of n bytes, cut to fit cap */
static void
copy_word(char *dst, size_t cap, const char *w, size_t n)
{
	if (cap == 0)
		return;
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, w, n);
	dst[n] = '\0';
}

int
dns_hints_line(const char *line, int family, char *name, size_t namecap,
    char *addr, size_t addrcap)
{
	const char *w[HINT_WORDS];
	size_t wl[HINT_WORDS];
	int nw = 0, t;

	while (nw < HINT_WORDS) {
		while (is_space(*line))
			line++;
		if (*line == '\0')
			break;
		w[nw] = line;
		while (*line != '\0' && !is_space(*line))
			line++;
		wl[nw] = (size_t)(line - w[nw]);
		nw++;
	}
	if (nw < 3 || w[0][0] == ';')
		return 0;
	/* the type is the first A or AAAA after the name, the data the word after it */
	for (t = 1; t < nw - 1; t++) {
		int v4 = wl[t] == 1 && tb_memcaseeq(w[t], "A", 1);
		int v6 = wl[t] == 4 && tb_memcaseeq(w[t], "AAAA", 4);

		if (!v4 && !v6)
			continue;
		if ((family == 4 && v6) || (family == 6 && v4) || wl[t + 1] >= addrcap)
			return 0;
		copy_word(name, namecap, w[0], wl[0]);
		copy_word(addr, addrcap, w[t + 1], wl[t + 1]);
		return 1;
	}
	return 0;
}

int
dns_query_line(char *line, struct dns_name *name, uint16_t *type, uint16_t *cls,
    const char *bad[DNS_QL_MAXBAD])
{
	char *save = NULL, *w;
	uint16_t v;
	int nbad = 0;

	if ((w = strtok_r(line, " \t", &save)) == NULL || *w == '#' || *w == ';')
		return DNS_QL_SKIP;
	if (dns_name_from_str(w, name) != DNS_OK) {
		bad[0] = w;
		return DNS_QL_BADNAME;
	}
	while ((w = strtok_r(NULL, " \t", &save)) != NULL) {
		if (dns_type_parse(w, &v) == 0)
			*type = v;
		else if (dns_class_parse(w, &v) == 0)
			*cls = v;
		else if (nbad++ < DNS_QL_MAXBAD)
			bad[nbad - 1] = w;
	}
	return nbad;
}

/* an address record in additional for the name server being walked */
static int
glue_of(const struct dns_msg *m, int family, const struct dns_ref_it *it,
    const struct dns_rr *ar, struct dns_rdata *ad)
{
	if (ar->section != DNS_SEC_ADDITIONAL || ar->cls != DNS_C_IN ||
	    !dns_name_eq(&ar->name, &it->ns))
		return 0;
	if (ar->type != DNS_T_A && ar->type != DNS_T_AAAA)
		return 0;
	if ((family == 4 && ar->type != DNS_T_A) || (family == 6 && ar->type != DNS_T_AAAA))
		return 0;
	return dns_rdata_get(m->buf, m->len, ar, ad) == DNS_OK;
}

int
dns_referral_next(const struct dns_msg *m, int family, struct dns_ref_it *it, struct dns_ref *ref)
{
	struct dns_rr rr;
	struct dns_rdata rd;

	for (;;) {
		if (!it->inner) {
			if (!dns_rr_next(m, &it->off, &it->idx, &rr))
				return 0;
			/* outside class IN the rdata is opaque: no name to follow */
			if (rr.section != DNS_SEC_AUTHORITY || rr.type != DNS_T_NS || rr.cls != DNS_C_IN ||
			    dns_rdata_get(m->buf, m->len, &rr, &rd) != DNS_OK)
				continue;
			it->ns = rd.name;
			it->inner = 1;
			it->glue = 0;
			it->off2 = 0;
			it->idx2 = 0;
		}
		while (dns_rr_next(m, &it->off2, &it->idx2, &rr)) {
			if (!glue_of(m, family, it, &rr, &rd))
				continue;
			memset(ref, 0, sizeof *ref);
			ref->name = it->ns;
			ref->af = rr.type == DNS_T_A ? 4 : 6;
			memcpy(ref->addr, rd.addr, rr.type == DNS_T_A ? 4 : 16);
			it->glue = 1;
			return 1;
		}
		it->inner = 0;
		if (!it->glue) {
			memset(ref, 0, sizeof *ref);
			ref->name = it->ns;
			return 1;
		}
	}
}
