/*
 * digout.c - DNS replies laid out as dig prints them (digout.h).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "digout.h"
#include "tubes.h"

unsigned
dig_str_opt(const struct dig_disp *d)
{
	return (d->ttlid ? 0 : DNS_STR_NOTTL) | (d->showclass ? 0 : DNS_STR_NOCLASS) |
	    (d->multiline ? DNS_STR_MULTI : 0);
}

void
dig_qdesc(const struct dns_name *nm, uint16_t type, char *buf, size_t n)
{
	char s[DNS_NAMESTRLEN], t[16];
	size_t l = dns_name_str(nm, s, sizeof s);

	if (l > 1 && l < sizeof s)
		s[l - 1] = '\0';	/* "nx.lab.test: NXDOMAIN", as a user typed it */
	if (type == DNS_T_A)
		snprintf(buf, n, "%s", s);
	else
		snprintf(buf, n, "%s %s", s, dns_type_name(type, t, sizeof t));
}

static const struct dns_server *
from_srv(const struct dns_q *q)
{
	return q->from ? q->from : &q->srv[q->srvi];
}

const char *
dig_from(const struct dns_q *q, char *buf, size_t n)
{
	return tb_addr_str(&from_srv(q)->addr, buf, n);
}

const char *
dig_server(const struct dns_q *q, char *buf, size_t n)
{
	char a[TB_ADDRSTRLEN];

	snprintf(buf, n, "%s#%u", tb_addr_str(&from_srv(q)->addr, a, sizeof a),
	    from_srv(q)->port);
	return buf;
}

void
dig_section(const struct dig_disp *d, const struct dns_msg *m, int sec, const char *title,
    int shortout, const char *from, int64_t rtt)
{
	struct dns_rr rr;
	size_t off = 0;
	unsigned idx = 0;
	int head = 0;

	while (dns_rr_next(m, &off, &idx, &rr)) {
		if (rr.section != sec || rr.type == DNS_T_OPT)
			continue;
		if (shortout) {
			dns_rdata_str(m->buf, m->len, &rr, d->buf, d->cap);
			if (d->identify)
				printf("%s from server %s in %lld ms.\n", d->buf, from,
				    (long long)(rtt / 1000));
			else
				puts(d->buf);
			continue;
		}
		if (!head++ && d->comments)
			printf(";; %s SECTION:\n", title);
		dns_rr_str_opt(m->buf, m->len, &rr, dig_str_opt(d), d->buf, d->cap);
		puts(d->buf);
	}
	if (head && d->comments)
		putchar('\n');
}

static void
opt_section(const struct dig_disp *d, const struct dns_msg *m)
{
	size_t off = 0;
	uint16_t code, len;
	const uint8_t *val;

	printf(";; OPT PSEUDOSECTION:\n; EDNS: version: %u, flags:%s; udp: %u\n",
	    m->edns_version, m->edns_flags & 0x8000 ? " do" : "", m->edns_size);
	while (dns_opt_next(m->buf + m->opt_rdoff, m->opt_rdlen, &off, &code, &val, &len)) {
		dns_hex_str(val, len, d->buf, d->cap);
		if (code == 10)
			printf("; COOKIE: %s\n", d->buf);
		else if (code == 3)
			printf("; NSID: %s\n", d->buf);
		else
			printf("; OPT=%u: %s\n", code, d->buf);
	}
}

static void
header(const struct dig_disp *d, const struct dns_msg *m)
{
	char b[16], rc[16], fl[40];

	printf(";; Got answer:\n;; ->>HEADER<<- opcode: %s, status: %s, id: %u\n",
	    dns_opcode_name(DNS_OPCODE(m->h.flags), b, sizeof b),
	    dns_rcode_name(m->rcode, rc, sizeof rc), m->h.id);
	dns_flags_str(m->h.flags, fl, sizeof fl);
	printf(";; flags: %s; QUERY: %u, ANSWER: %u, AUTHORITY: %u, ADDITIONAL: %u\n",
	    fl, m->h.qdcount, m->h.ancount, m->h.nscount, m->h.arcount);
	if (d->rec && !(m->h.flags & DNS_RA))
		puts(";; WARNING: recursion requested but not available");
	putchar('\n');
	if (m->edns)
		opt_section(d, m);
}

void
dig_reply(const struct dig_disp *d, const struct dns_q *q, const struct dns_msg *m, int e,
    const char *desc, const char *sv, const char *proto)
{
	char a[TB_ADDRSTRLEN];
	const char *who = d->srvname ? d->srvname : dig_from(q, a, sizeof a);

	if (d->cmd)
		printf("\n; <<>> dig-lite (tubes) " TUBES_VERSION " <<>> %s\n", desc);
	if (e != DNS_OK)	/* +besteffort: what parsed before the fault, still exit 3 */
		puts(";; Warning: Message parser reports malformed message packet.");
	if (d->comments)
		header(d, m);
	if (m->has_q && d->question) {
		dns_question_str(&m->qname, m->qclass, m->qtype, dig_str_opt(d), d->buf, d->cap);
		printf("%s%s\n%s", d->comments ? ";; QUESTION SECTION:\n" : "", d->buf,
		    d->comments ? "\n" : "");
	}
	if (d->answer)
		dig_section(d, m, DNS_SEC_ANSWER, "ANSWER", 0, NULL, 0);
	if (d->authority)
		dig_section(d, m, DNS_SEC_AUTHORITY, "AUTHORITY", 0, NULL, 0);
	if (d->additional)
		dig_section(d, m, DNS_SEC_ADDITIONAL, "ADDITIONAL", 0, NULL, 0);
	if (d->stats) {
		char when[64];
		time_t now = (time_t)(tb_wall() / 1000000);
		struct tm tm;

		gmtime_r(&now, &tm);
		strftime(when, sizeof when, "%a %b %d %H:%M:%S UTC %Y", &tm);
		printf(";; Query time: %lld msec\n;; SERVER: %s(%s) (%s)\n;; WHEN: %s\n"
		    ";; MSG SIZE  rcvd: %zu\n\n", (long long)(q->rtt / 1000), sv, who, proto, when,
		    q->rlen);
	} else if (d->identify) {
		printf(";; Received %zu bytes from %s(%s) in %lld ms\n\n", q->rlen, sv, who,
		    (long long)(q->rtt / 1000));
	}
}

/* what a +trace hop shows of a record */
static int
trace_shows(const struct dig_disp *d, const struct dns_rr *rr, unsigned an)
{
	if (rr->type == DNS_T_OPT || rr->section == DNS_SEC_ADDITIONAL)
		return 0;
	if (rr->section == DNS_SEC_AUTHORITY && an)
		return 0;
	if (rr->section == DNS_SEC_AUTHORITY && rr->type != DNS_T_NS &&
	    !(d->dnssec && (rr->type == DNS_T_DS || rr->type == DNS_T_RRSIG)) &&
	    rr->type != DNS_T_SOA)
		return 0;
	return !d->shortout || rr->section == DNS_SEC_ANSWER;
}

void
dig_trace_hop(const struct dig_disp *d, const struct dns_msg *m, const char *sv,
    const char *name, size_t rlen, int64_t rtt)
{
	struct dns_rr rr;
	size_t off = 0;
	unsigned idx = 0, an = dns_answer_count(m);

	while (dns_rr_next(m, &off, &idx, &rr)) {
		if (!trace_shows(d, &rr, an))
			continue;
		if (d->shortout)
			dns_rdata_str(m->buf, m->len, &rr, d->buf, d->cap);
		else
			dns_rr_str(m->buf, m->len, &rr, d->buf, d->cap);
		puts(d->buf);
	}
	if (!d->shortout)
		printf(";; Received %zu bytes from %s(%s) in %lld ms\n\n", rlen, sv, name,
		    (long long)(rtt / 1000));
}
