/*
 * dnspeer - a scripted DNS server for the hostile cases (DNS-01..19).
 *
 *   dnspeer -s SCRIPT -P PORTFILE [-l LOG] [-a ADDR]
 *
 * Listens on ADDR (127.0.0.1) on a UDP port the kernel picks and on TCP
 * on the same port, writes the port to PORTFILE, and answers from the
 * script until killed.  Each query is logged to LOG as
 * "udp|tcp NAME TYPE [edns=N] [do] [rd] [id=ID port=SRCPORT]" (UDP has both).
 *
 * Script: rules, each starting with "match NAME|* TYPE|*"; the first
 * matching rule answers (no rule: REFUSED).  Lines of a rule:
 *   rcode NAME|N            flags aa|ra|ad ...     noquestion
 *   answer|authority|additional NAME TTL TYPE DATA
 *       DATA: A/AAAA address, NS/CNAME/PTR name, MX "pref name",
 *       TXT one string (rest of line), other types "\# hex"
 *   raw HEX        the UDP reply is these bytes, ID patched in
 *   tcpraw HEX     bytes written on TCP as they are (length prefix included)
 *   bogus NAME TTL TYPE DATA   the answer of the bogus packets below
 *   pre wrongid|wrongname|wrongtype|otherport|short|empty   a bogus reply first
 *   post dup       a bogus reply with the right ID sent after the real one
 *   tc             over UDP: header and question with TC; TCP: the answer
 *   formerr-edns   FORMERR (no OPT) to a query with OPT
 *   delay SECONDS  answer that much later
 *   drop           no answer over UDP (after any pre packets)
 *   pad N          N extra bytes after the reply (DNS-19: up to 65507)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dns.h"
#include "tubes.h"
#include "wire.h"

#define MAXRULES 32
#define MAXRR 48

struct rrline {
	int sec;	/* 1 answer, 2 authority, 3 additional */
	struct dns_name name;
	uint32_t ttl;
	uint16_t type;
	uint8_t data[1024];	/* rdata in wire form (names uncompressed) */
	size_t len;
};

struct rule {
	char name[300];
	uint16_t type;		/* 0: any */
	int rcode, flags, noquestion, tc, formerr_edns, drop, dup;
	int64_t delay;
	char pre[8][16];
	int npre;
	struct rrline rr[MAXRR], bogus[4];
	int nrr, nbogus;
	uint8_t raw[65536], tcpraw[4096];
	size_t rawlen, tcprawlen, pad;
	int hasraw, hastcpraw;
};

static struct rule rules[MAXRULES];
static int nrules;
static FILE *logfp;

static void
die(const char *m)
{
	fprintf(stderr, "dnspeer: %s\n", m);
	exit(2);
}

static size_t
unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *h; h++) {
		int v;

		if (*h >= '0' && *h <= '9')
			v = *h - '0';
		else if (*h >= 'a' && *h <= 'f')
			v = *h - 'a' + 10;
		else if (*h >= 'A' && *h <= 'F')
			v = *h - 'A' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			if (n >= cap)
				die("hex too long");
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return n;
}

static void
name_or_die(const char *s, struct dns_name *nm)
{
	if (dns_name_from_str(s, nm) != DNS_OK)
		die("bad name in script");
}

/* "NAME TTL TYPE DATA" */
static void
parse_rr(char *p, struct rrline *r)
{
	char name[300], type[32];
	unsigned ttl;
	int off = 0;
	char *d;

	if (sscanf(p, "%299s %u %31s %n", name, &ttl, type, &off) < 3)
		die("bad record line");
	d = p + off;
	d[strcspn(d, "\n")] = '\0';
	name_or_die(name, &r->name);
	r->ttl = ttl;
	if (dns_type_parse(type, &r->type) < 0)
		die("bad type");
	if (strncmp(d, "\\#", 2) == 0) {
		r->len = unhex(d + 2, r->data, sizeof r->data);
		return;
	}
	switch (r->type) {
	case DNS_T_A:
		if (inet_pton(AF_INET, d, r->data) != 1)
			die("bad A");
		r->len = 4;
		break;
	case DNS_T_AAAA:
		if (inet_pton(AF_INET6, d, r->data) != 1)
			die("bad AAAA");
		r->len = 16;
		break;
	case DNS_T_NS:
	case DNS_T_CNAME:
	case DNS_T_PTR: {
		struct dns_name nm;

		name_or_die(d, &nm);
		memcpy(r->data, nm.b, nm.len);
		r->len = nm.len;
		break;
	}
	case DNS_T_MX: {
		struct dns_name nm;
		unsigned pref;
		char t[300];

		if (sscanf(d, "%u %299s", &pref, t) != 2)
			die("bad MX");
		name_or_die(t, &nm);
		put16(r->data, (uint16_t)pref);
		memcpy(r->data + 2, nm.b, nm.len);
		r->len = 2 + (size_t)nm.len;
		break;
	}
	case DNS_T_TXT: {
		size_t l = strlen(d);

		if (l > 255)
			die("TXT too long");
		r->data[0] = (uint8_t)l;
		memcpy(r->data + 1, d, l);
		r->len = l + 1;
		break;
	}
	default:
		die("use \\# hex for this type");
	}
}

static void
load(const char *path)
{
	FILE *fp = fopen(path, "r");
	char line[140000];
	struct rule *r = NULL;

	if (fp == NULL)
		die("cannot open script");
	while (fgets(line, sizeof line, fp)) {
		char kw[32], a[300], b[32];
		char *rest;
		int off = 0;

		if (sscanf(line, "%31s %n", kw, &off) < 1 || kw[0] == '#')
			continue;
		rest = line + off;
		if (strcmp(kw, "match") == 0) {
			if (nrules == MAXRULES)
				die("too many rules");
			r = &rules[nrules++];
			memset(r, 0, sizeof *r);
			if (sscanf(rest, "%299s %31s", a, b) != 2)
				die("match NAME TYPE");
			snprintf(r->name, sizeof r->name, "%s", a);
			if (strcmp(b, "*") != 0 && dns_type_parse(b, &r->type) < 0)
				die("bad type in match");
			continue;
		}
		if (r == NULL)
			die("a rule must start with match");
		if (strcmp(kw, "rcode") == 0) {
			char t[32];
			int i;

			sscanf(rest, "%31s", t);
			r->rcode = -1;
			for (i = 0; i < 24; i++) {
				char nb[16];

				if (strcmp(dns_rcode_name((unsigned)i, nb, sizeof nb), t) == 0)
					r->rcode = i;
			}
			if (r->rcode < 0)
				r->rcode = (int)strtol(t, NULL, 10);
		} else if (strcmp(kw, "flags") == 0) {
			if (strstr(rest, "aa"))
				r->flags |= DNS_AA;
			if (strstr(rest, "ra"))
				r->flags |= DNS_RA;
			if (strstr(rest, "ad"))
				r->flags |= DNS_AD;
		} else if (strcmp(kw, "noquestion") == 0) {
			r->noquestion = 1;
		} else if (strcmp(kw, "answer") == 0 || strcmp(kw, "authority") == 0 ||
		    strcmp(kw, "additional") == 0) {
			if (r->nrr == MAXRR)
				die("too many records");
			parse_rr(rest, &r->rr[r->nrr]);
			r->rr[r->nrr].sec = kw[1] == 'n' ? 1 : kw[1] == 'u' ? 2 : 3;
			r->nrr++;
		} else if (strcmp(kw, "bogus") == 0) {
			if (r->nbogus == 4)
				die("too many bogus records");
			parse_rr(rest, &r->bogus[r->nbogus]);
			r->bogus[r->nbogus++].sec = 1;
		} else if (strcmp(kw, "raw") == 0) {
			r->rawlen = unhex(rest, r->raw, sizeof r->raw);
			r->hasraw = 1;
		} else if (strcmp(kw, "tcpraw") == 0) {
			r->tcprawlen = unhex(rest, r->tcpraw, sizeof r->tcpraw);
			r->hastcpraw = 1;
		} else if (strcmp(kw, "pre") == 0) {
			if (r->npre < 8)
				sscanf(rest, "%15s", r->pre[r->npre++]);
		} else if (strcmp(kw, "post") == 0) {
			r->dup = 1;
		} else if (strcmp(kw, "tc") == 0) {
			r->tc = 1;
		} else if (strcmp(kw, "formerr-edns") == 0) {
			r->formerr_edns = 1;
		} else if (strcmp(kw, "drop") == 0) {
			r->drop = 1;
		} else if (strcmp(kw, "delay") == 0) {
			if (tb_secs(strtok(rest, " \t\n"), 60, &r->delay) < 0)
				die("bad delay");
		} else if (strcmp(kw, "pad") == 0) {
			r->pad = strtoul(rest, NULL, 10);
		} else {
			die("unknown keyword");
		}
	}
	fclose(fp);
}

static struct rule *
find(const struct dns_msg *q)
{
	int i;

	for (i = 0; i < nrules; i++) {
		struct dns_name nm;

		if (rules[i].type && rules[i].type != q->qtype)
			continue;
		if (strcmp(rules[i].name, "*") == 0)
			return &rules[i];
		if (dns_name_from_str(rules[i].name, &nm) == DNS_OK && dns_name_eq(&nm, &q->qname))
			return &rules[i];
	}
	return NULL;
}

/*
 * Build the reply to q by rule r; kind: 0 real, 1 bogus answers, 2 wrong
 * qname, 3 wrong qtype.  Returns the length.
 */
static size_t
build(const struct dns_msg *q, const struct rule *r, int kind, int tcp, uint8_t *out, size_t cap)
{
	struct writer w;
	struct dns_comp c = { 0 };
	struct dns_header h;
	int s, i;
	uint16_t counts[4] = { 0 };
	int edns = q->edns && !(r && r->formerr_edns);
	struct dns_name qn = q->qname;
	uint16_t qt = q->qtype;

	memset(&h, 0, sizeof h);
	h.id = q->h.id;
	h.flags = (uint16_t)(DNS_QR | (q->h.flags & DNS_RD) | (r ? r->flags : 0));
	if (r == NULL)
		h.flags |= DNS_R_REFUSED;
	else if (r->formerr_edns && q->edns)
		h.flags |= DNS_R_FORMERR, edns = 0;
	else
		h.flags |= (uint16_t)(r->rcode & 0xf);
	if (r && r->tc && !tcp)
		h.flags |= DNS_TC;
	if (kind == 2)
		name_or_die("spoofed.invalid", &qn);
	if (kind == 3)
		qt = qt == DNS_T_A ? DNS_T_AAAA : DNS_T_A;
	wr_init(&w, out, cap);
	dns_put_header(&w, &h);
	if (!(r && r->noquestion)) {
		dns_put_question(&w, &c, &qn, qt, q->qclass);
		counts[0] = 1;
	}
	if (r && !(r->tc && !tcp) && !(r->formerr_edns && q->edns)) {
		const struct rrline *rr = kind ? r->bogus : r->rr;
		int n = kind ? r->nbogus : r->nrr;

		for (s = 1; s <= 3; s++)
			for (i = 0; i < n; i++) {
				struct dns_rdata rd;
				struct dns_rr fake;
				uint8_t tmp[1100];
				struct writer tw;

				if (rr[i].sec != s)
					continue;
				/* write through the typed builder so names get compressed */
				wr_init(&tw, tmp, sizeof tmp);
				wr_bytes(&tw, rr[i].data, rr[i].len);
				memset(&fake, 0, sizeof fake);
				fake.type = rr[i].type;
				fake.cls = DNS_C_IN;
				fake.rdoff = 0;
				fake.rdlen = (uint16_t)rr[i].len;
				if (dns_rdata_get(tmp, rr[i].len, &fake, &rd) != DNS_OK)
					die("bad rdata in script");
				dns_put_rr(&w, &c, &rr[i].name, rr[i].type, DNS_C_IN, rr[i].ttl, &rd);
				counts[s]++;
			}
	}
	if (edns) {
		dns_put_opt(&w, 1232, 0);
		counts[3]++;
	}
	if (w.bad)
		die("reply too big");
	dns_set_counts(out, counts[0], counts[1], counts[2], counts[3]);
	if (r && r->pad) {
		size_t k;

		for (k = 0; k < r->pad && w.len < cap; k++)
			out[w.len++] = 0xee;
	}
	return w.len;
}

struct pending {
	int64_t when;
	struct sockaddr_storage to;
	socklen_t tolen;
	size_t len;
	uint8_t buf[1500];
};
static struct pending pend[64];
static int npend;

static void
logq(const char *proto, const struct dns_msg *q, const struct sockaddr_storage *from)
{
	char s[DNS_NAMESTRLEN], t[16];

	if (!logfp)
		return;
	dns_name_str(&q->qname, s, sizeof s);
	fprintf(logfp, "%s %s %s", proto, s, dns_type_name(q->qtype, t, sizeof t));
	if (q->edns)
		fprintf(logfp, " edns=%u", q->edns_size);
	if (q->edns_flags & 0x8000)
		fprintf(logfp, " do");
	if (q->h.flags & DNS_RD)
		fprintf(logfp, " rd");
	if (from) {
		struct tb_addr a;
		uint16_t port = 0;

		tb_from_sockaddr((const struct sockaddr *)from, &a, &port);
		fprintf(logfp, " id=%u port=%u", q->h.id, port);
	}
	fputc('\n', logfp);
	fflush(logfp);
}

static void
udp_query(int fd, int other, const uint8_t *p, size_t n, struct sockaddr_storage *from,
    socklen_t fl)
{
	static uint8_t out[65536];
	struct dns_msg q;
	struct rule *r;
	size_t len;
	int i;

	if (dns_parse(&q, p, n) != DNS_OK || !q.has_q)
		return;
	logq("udp", &q, from);
	r = find(&q);
	for (i = 0; r && i < r->npre; i++) {
		int kind = strcmp(r->pre[i], "wrongname") == 0 ? 2 :
		    strcmp(r->pre[i], "wrongtype") == 0 ? 3 : 1;

		len = build(&q, r, kind, 0, out, sizeof out);
		if (strcmp(r->pre[i], "short") == 0)
			len = 5;	/* DNS-08: a header cut short */
		if (strcmp(r->pre[i], "empty") == 0)
			len = 0;	/* DNS-08: a 0-byte datagram */
		if (strcmp(r->pre[i], "wrongid") == 0)
			put16(out, (uint16_t)(q.h.id + 1));
		sendto(strcmp(r->pre[i], "otherport") == 0 ? other : fd, out, len, 0,
		    (struct sockaddr *)from, fl);
	}
	if (r && r->drop)
		return;
	if (r && r->hasraw) {
		memcpy(out, r->raw, r->rawlen);
		len = r->rawlen;
		if (len >= 2)
			put16(out, q.h.id);
	} else {
		len = build(&q, r, 0, 0, out, sizeof out);
	}
	if (r && r->delay > 0 && npend < 64 && len <= sizeof pend[0].buf) {
		struct pending *pd = &pend[npend++];

		pd->when = tb_now() + r->delay;
		pd->to = *from;
		pd->tolen = fl;
		pd->len = len;
		memcpy(pd->buf, out, len);
		return;
	}
	sendto(fd, out, len, 0, (struct sockaddr *)from, fl);
	if (r && r->dup) {
		len = build(&q, r, 1, 0, out, sizeof out);
		sendto(fd, out, len, 0, (struct sockaddr *)from, fl);
	}
}

/* one TCP connection, served to the end (test traffic is tiny) */
static void
tcp_conn(int cfd)
{
	static uint8_t in[65536], out[65538];
	struct pollfd pf = { cfd, POLLIN, 0 };

	for (;;) {
		struct dns_msg q;
		struct rule *r;
		size_t need, got = 0, len;
		int64_t until = tb_now() + 3000000;

		need = 2;
		while (got < need) {
			ssize_t k;

			if (poll(&pf, 1, tb_ms_until(until)) <= 0)
				goto done;
			k = read(cfd, in + got, need - got);
			if (k <= 0)
				goto done;
			got += (size_t)k;
			if (got == 2 && need == 2)
				need = 2 + (size_t)get16(in);
		}
		if (dns_parse(&q, in + 2, need - 2) != DNS_OK || !q.has_q)
			goto done;
		logq("tcp", &q, NULL);
		r = find(&q);
		if (r && r->hastcpraw) {
			uint8_t buf[4096];

			memcpy(buf, r->tcpraw, r->tcprawlen);
			if (r->tcprawlen >= 4)
				put16(buf + 2, q.h.id);
			tb_write_all(cfd, buf, r->tcprawlen);
			goto done;
		}
		len = build(&q, r, 0, 1, out + 2, sizeof out - 2);
		put16(out, (uint16_t)len);
		if (tb_write_all(cfd, out, len + 2) < 0)
			goto done;
	}
done:
	close(cfd);
}

int
main(int argc, char **argv)
{
	const char *script = NULL, *portfile = NULL, *logpath = NULL, *addr = "127.0.0.1";
	struct sockaddr_storage ss;
	struct tb_addr a;
	socklen_t sl;
	int c, ufd = -1, tfd = -1, ofd, tries;
	uint16_t port = 0;
	FILE *fp;

	tb_init(argv[0]);
	while ((c = getopt(argc, argv, "a:l:P:s:")) != -1) {
		switch (c) {
		case 'a': addr = optarg; break;
		case 'l': logpath = optarg; break;
		case 'P': portfile = optarg; break;
		case 's': script = optarg; break;
		default: die("usage: dnspeer -s SCRIPT -P PORTFILE [-l LOG] [-a ADDR]");
		}
	}
	if (!script || !portfile || tb_addr_parse(addr, &a) < 0)
		die("usage: dnspeer -s SCRIPT -P PORTFILE [-l LOG] [-a ADDR]");
	load(script);
	if (logpath && (logfp = fopen(logpath, "a")) == NULL)
		die("cannot open log");
	signal(SIGPIPE, SIG_IGN);
	/* a UDP port from the kernel, then TCP on the same number */
	for (tries = 0; tries < 50; tries++) {
		int one = 1;

		ufd = socket(a.family, SOCK_DGRAM, 0);
		sl = tb_sockaddr(&a, 0, &ss);
		if (ufd < 0 || bind(ufd, (struct sockaddr *)&ss, sl) < 0)
			die("udp bind");
		sl = sizeof ss;
		getsockname(ufd, (struct sockaddr *)&ss, &sl);
		tb_from_sockaddr((struct sockaddr *)&ss, &a, &port);
		tfd = socket(a.family, SOCK_STREAM, 0);
		setsockopt(tfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		sl = tb_sockaddr(&a, port, &ss);
		if (bind(tfd, (struct sockaddr *)&ss, sl) == 0 && listen(tfd, 16) == 0)
			break;
		close(ufd);
		close(tfd);
		ufd = tfd = -1;
	}
	if (ufd < 0)
		die("no port free for both UDP and TCP");
	/* a second UDP socket: replies "from another port" (DNS-14) */
	ofd = socket(a.family, SOCK_DGRAM, 0);
	sl = tb_sockaddr(&a, 0, &ss);
	if (ofd < 0 || bind(ofd, (struct sockaddr *)&ss, sl) < 0)
		die("udp bind");
	{
		char tmp[4096];

		snprintf(tmp, sizeof tmp, "%s.tmp", portfile);
		if ((fp = fopen(tmp, "w")) == NULL)
			die("cannot write port file");
		fprintf(fp, "%u\n", port);
		fclose(fp);
		rename(tmp, portfile);
	}
	for (;;) {
		struct pollfd pf[2] = { { ufd, POLLIN, 0 }, { tfd, POLLIN, 0 } };
		int64_t dl = -1;
		int i;

		for (i = 0; i < npend; i++)
			dl = tb_earliest(dl, pend[i].when);
		if (poll(pf, 2, tb_ms_until(dl)) < 0 && errno != EINTR)
			die("poll");
		for (i = 0; i < npend; i++) {
			if (pend[i].when <= tb_now()) {
				sendto(ufd, pend[i].buf, pend[i].len, 0, (struct sockaddr *)&pend[i].to,
				    pend[i].tolen);
				pend[i--] = pend[--npend];
			}
		}
		if (pf[0].revents & POLLIN) {
			static uint8_t buf[65536];
			struct sockaddr_storage from;
			socklen_t fl = sizeof from;
			ssize_t n = recvfrom(ufd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);

			if (n > 0)
				udp_query(ufd, ofd, buf, (size_t)n, &from, fl);
		}
		if (pf[1].revents & POLLIN) {
			int cfd = accept(tfd, NULL, NULL);

			if (cfd >= 0)
				tcp_conn(cfd);
		}
	}
}
