/*
 * digout.h - a DNS reply printed as dig prints it (dig-lite's text
 * output): the header comments, the OPT pseudosection, the sections,
 * +short and +identify lines, the statistics, and a +trace hop's
 * records.  Bytes are parsed by lib/wire/dns.c; this is layout only.
 */
#ifndef TUBES_DIGOUT_H
#define TUBES_DIGOUT_H

#include <stddef.h>
#include <stdint.h>

#include "dns.h"
#include "dnsnet.h"

/* dig's display flags, and scratch for presentation text */
struct dig_disp {
	int cmd, comments, question, answer, authority, additional, stats;
	int ttlid, showclass, identify, multiline, rec, shortout, dnssec;
	const char *srvname;	/* @server as typed, or NULL */
	char *buf;		/* scratch: a record's text (256 KiB holds any) */
	size_t cap;
};

/* DNS_STR_* options of the record printers from the flags */
unsigned dig_str_opt(const struct dig_disp *);

/* "name" (type A) or "name TYPE", without the final dot, for diagnostics */
void dig_qdesc(const struct dns_name *, uint16_t type, char *buf, size_t n);

/* the server's address of a finished query, "ADDR" and "ADDR#PORT" */
const char *dig_from(const struct dns_q *, char *buf, size_t n);
const char *dig_server(const struct dns_q *, char *buf, size_t n);

/*
 * A section as dig prints it, title line and all; short: rdata only,
 * one per line, and with +identify "from server FROM in N ms." after.
 */
void dig_section(const struct dig_disp *, const struct dns_msg *, int sec, const char *title,
    int shortout, const char *from, int64_t rtt);

/*
 * A whole reply: the command comment (desc, as typed), the header and
 * flags, OPT, the sections, then the statistics (or +identify's line).
 * e != DNS_OK: the reply did not parse whole (+besteffort).  sv is
 * "ADDR#PORT", proto "UDP", "TCP", "TLS", "HTTPS".
 */
void dig_reply(const struct dig_disp *, const struct dns_q *, const struct dns_msg *, int e,
    const char *desc, const char *sv, const char *proto);

/*
 * One +trace hop: the answer (or, in a referral, the NS, SOA and with
 * +dnssec DS/RRSIG records of the authority), then "Received" naming
 * the server; +short: the answer's rdata only.
 */
void dig_trace_hop(const struct dig_disp *, const struct dns_msg *, const char *sv,
    const char *name, size_t rlen, int64_t rtt);

#endif
