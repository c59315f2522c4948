/*
 * t_dnsfields.c - the -X view of DNS beyond the message's header: each
 * record's RDATA split into fields under their RFC names (dnsfields.c:
 * SOA, MX, SRV, CAA, NAPTR, TXT, HINFO, DS, DNSKEY, SSHFP, TLSA ...), and
 * the transport under a message (dnstransport.c): the UDP header with the
 * port the kernel chose, read back with getsockname, the kernel's
 * checksum labelled; the 2-byte length prefix over TCP and TLS.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dns.h"
#include "dnsnet.h"
#include "tap.h"
#include "tubes.h"
#include "wire.h"

static uint8_t m[DNS_MAXMSG];
static size_t mlen;

/* the text dns_layers writes for the message in m */
static char *
view(void)
{
	static char *buf;
	size_t len;
	struct layers lv;

	free(buf);
	buf = NULL;
	lv.fp = open_memstream(&buf, &len);
	dns_layers(&lv, m, mlen);
	fclose(lv.fp);
	return buf;
}

/* a one-answer response for t.lab.test, class cls, whose rdata is the hex */
static char *
record(uint16_t type, uint16_t cls, const char *rdhex)
{
	static uint8_t rd[4096];
	struct writer w;
	struct dns_header h = { 7, DNS_QR, 1, 1, 0, 0 };
	struct dns_name nm;
	size_t n = tap_hex(rdhex, rd, sizeof rd);

	dns_name_from_str("t.lab.test", &nm);
	wr_init(&w, m, sizeof m);
	dns_put_header(&w, &h);
	dns_put_question(&w, NULL, &nm, type, cls);
	dns_put_name(&w, NULL, &nm);
	wr_u16(&w, type);
	wr_u16(&w, cls);
	wr_u32(&w, 300);
	wr_u16(&w, (uint16_t)n);
	wr_bytes(&w, rd, n);
	mlen = w.bad ? 0 : w.len;
	return view();
}

/* does text hold the field line lv_field writes for name and value? */
static int
has(const char *text, const char *name, const char *value)
{
	char line[512];

	snprintf(line, sizeof line, "\n    %-22s %s\n", name, value);
	if (text == NULL || strstr(text, line) == NULL) {
		printf("# no line \"%s\"\n", line + 1);
		return 0;
	}
	return 1;
}

/* the lines of text that are RDATA's fields (indented two more) */
static int
subfields(const char *text)
{
	int k = 0;

	for (; text && (text = strstr(text, "\n      ")) != NULL; text++)
		k++;
	return k;
}

#define NS1 "036e7331057475626573047465737400"		/* ns1.tubes.test */
#define HM "0a686f73746d6173746572057475626573047465737400"	/* hostmaster.tubes.test */

int
main(void)
{
	TEST("no fields until a command registers them: RDATA on its one line only") {
		char *t = record(DNS_T_SOA, DNS_C_IN, NS1 HM "78c4246d 00000e10 00000384 00127500 0000012c");

		CHECK(has(t, "RDATA", "ns1.tubes.test. hostmaster.tubes.test. 2026120301 3600 900 1209600 300"));
		CHECK(strstr(t, "MNAME") == NULL);
	}
	dns_layers_fields(dns_rdata_layers);
	TEST("SOA: MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM, each a line") {
		/* serial 2026120301, 3600, 900, 1209600, 300 */
		char *t = record(DNS_T_SOA, DNS_C_IN, NS1 HM "78c4246d 00000e10 00000384 00127500 0000012c");

		CHECK(has(t, "RDATA", "ns1.tubes.test. hostmaster.tubes.test. 2026120301 3600 900 1209600 300"));
		CHECK(has(t, "  MNAME", "ns1.tubes.test."));
		CHECK(has(t, "  RNAME", "hostmaster.tubes.test."));
		CHECK(has(t, "  SERIAL", "2026120301"));
		CHECK(has(t, "  REFRESH", "3600"));
		CHECK(has(t, "  RETRY", "900"));
		CHECK(has(t, "  EXPIRE", "1209600"));
		CHECK(has(t, "  MINIMUM", "300"));
		CHECK_EQ(subfields(t), 7);
	}
	TEST("MX and SRV: preference and exchange; priority, weight, port, target") {
		char *t = record(DNS_T_MX, DNS_C_IN, "000a" NS1);

		CHECK(has(t, "  PREFERENCE", "10"));
		CHECK(has(t, "  EXCHANGE", "ns1.tubes.test."));
		CHECK_EQ(subfields(t), 2);
		t = record(DNS_T_SRV, DNS_C_IN, "0001 0005 13c4" NS1);
		CHECK(has(t, "  Priority", "1"));
		CHECK(has(t, "  Weight", "5"));
		CHECK(has(t, "  Port", "5060"));
		CHECK(has(t, "  Target", "ns1.tubes.test."));
		CHECK_EQ(subfields(t), 4);
	}
	TEST("CAA: flags with the critical bit, tag and value with peer bytes escaped") {
		/* 128 issue "ca.test\n" */
		char *t = record(DNS_T_CAA, DNS_C_IN, "80 05 6973737565 63612e746573740a");

		CHECK(has(t, "  Flags", "128 (Issuer Critical)"));
		CHECK(has(t, "  Tag", "\"issue\""));
		CHECK(has(t, "  Value", "\"ca.test\\n\""));
		CHECK_EQ(subfields(t), 3);
		CHECK(strchr(strstr(t, "  Value"), '\n')[-1] == '"');
	}
	TEST("NAPTR, TXT, HINFO: every field and every string") {
		/* 100 10 "u" "E2U+sip" "!^.*$!sip:a@b!" . */
		char *t = record(DNS_T_NAPTR, DNS_C_IN,
		    "0064 000a 0175 07 4532552b736970 0e 215e2e2a24217369703a614062 21 00");

		CHECK(has(t, "  ORDER", "100"));
		CHECK(has(t, "  PREFERENCE", "10"));
		CHECK(has(t, "  FLAGS", "\"u\""));
		CHECK(has(t, "  SERVICES", "\"E2U+sip\""));
		CHECK(has(t, "  REGEXP", "\"!^.*$!sip:a@b!\""));
		CHECK(has(t, "  REPLACEMENT", "."));
		t = record(DNS_T_TXT, DNS_C_IN, "0568656c6c6f 00 03616263");
		CHECK(has(t, "  TXT-DATA", "\"hello\""));
		CHECK(has(t, "  TXT-DATA", "\"\""));
		CHECK(has(t, "  TXT-DATA", "\"abc\""));
		CHECK_EQ(subfields(t), 3);
		t = record(DNS_T_HINFO, DNS_C_IN, "03783836 054c696e7578");
		CHECK(has(t, "  CPU", "\"x86\""));
		CHECK(has(t, "  OS", "\"Linux\""));
	}
	TEST("DS, DNSKEY, SSHFP, TLSA: numbers, then digest or key") {
		char *t = record(DNS_T_DS, DNS_C_IN, "4f66 08 02 a1b2c3");

		CHECK(has(t, "  Key Tag", "20326"));
		CHECK(has(t, "  Algorithm", "8"));
		CHECK(has(t, "  Digest Type", "2"));
		CHECK(has(t, "  Digest", "A1B2C3 (3 bytes)"));
		t = record(DNS_T_DNSKEY, DNS_C_IN, "0101 03 08 010203");
		CHECK(has(t, "  Flags", "257 (Zone Key) (Secure Entry Point)"));
		CHECK(has(t, "  Protocol", "3"));
		CHECK(has(t, "  Algorithm", "8"));
		CHECK(has(t, "  Public Key", "AQID (3 bytes)"));
		t = record(DNS_T_SSHFP, DNS_C_IN, "04 02 00ff");
		CHECK(has(t, "  Algorithm", "4"));
		CHECK(has(t, "  Fingerprint Type", "2"));
		CHECK(has(t, "  Fingerprint", "00FF (2 bytes)"));
		t = record(DNS_T_TLSA, DNS_C_IN, "03 01 01 abcd");
		CHECK(has(t, "  Certificate Usage", "3"));
		CHECK(has(t, "  Selector", "1"));
		CHECK(has(t, "  Matching Type", "1"));
		CHECK(has(t, "  Cert. Association Data", "ABCD (2 bytes)"));
	}
	TEST("NSEC: the next name and the type bitmap by names (the table's own strings)") {
		char *t = record(DNS_T_NSEC, DNS_C_IN, NS1 "00 06 400000000003");

		CHECK(has(t, "  Next Domain Name", "ns1.tubes.test."));
		CHECK(has(t, "  Type Bit Maps", "A RRSIG NSEC"));
	}
	TEST("no fields for A, an unknown type, or MX outside class IN") {
		char *t = record(DNS_T_A, DNS_C_IN, "c0000201");

		CHECK(has(t, "RDATA", "192.0.2.1"));
		CHECK_EQ(subfields(t), 0);
		t = record(999, DNS_C_IN, "0102");
		CHECK(has(t, "RDATA", "\\# 2 0102"));
		CHECK_EQ(subfields(t), 0);
		t = record(DNS_T_MX, 3, "000a" NS1);
		CHECK_EQ(subfields(t), 0);
		t = record(DNS_T_TXT, 3, "0568656c6c6f");	/* TXT CH: version.bind's kind */
		CHECK(has(t, "  TXT-DATA", "\"hello\""));
	}
	TEST("UDP under a query: the port getsockname says, lengths, the kernel's checksum") {
		struct dns_server srv = { { AF_INET, { 127, 0, 0, 1 }, 0 }, 53 };
		struct dns_q q;
		struct sockaddr_in sin = { 0 }, me;
		socklen_t sl = sizeof me;
		struct layers lv;
		char *buf = NULL, want[64];
		size_t len;

		memset(&q, 0, sizeof q);
		q.srv = &srv;
		q.nsrv = 1;
		q.sock = q.mi = -1;
		/* connect sends nothing: it binds the port the kernel picks */
		q.fd = socket(AF_INET, SOCK_DGRAM, 0);
		sin.sin_family = AF_INET;
		sin.sin_port = htons(53);
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		CHECK(connect(q.fd, (struct sockaddr *)&sin, sizeof sin) == 0);
		CHECK(getsockname(q.fd, (struct sockaddr *)&me, &sl) == 0);
		lv.fp = open_memstream(&buf, &len);
		dns_transport_layers(&lv, &q, 0, 29, DNS_BY_UDP);
		dns_transport_layers(&lv, &q, 1, 45, DNS_BY_UDP);
		fclose(lv.fp);
		snprintf(want, sizeof want, "%u (chosen at random by the kernel)", ntohs(me.sin_port));
		CHECK(has(buf, "Source Port", want));
		CHECK(has(buf, "Destination Port", "53"));
		CHECK(has(buf, "Length", "37 (8 + 29)"));
		CHECK(has(buf, "Total Length", "57"));
		CHECK(has(buf, "Checksum", "filled in by the kernel (a UDP socket does not see it)"));
		/* the answer: the ports the other way round */
		CHECK(has(buf, "Source Port", "53"));
		snprintf(want, sizeof want, "%u (this socket's)", ntohs(me.sin_port));
		CHECK(has(buf, "Destination Port", want));
		CHECK(has(buf, "Length", "53 (8 + 45)"));
		CHECK(has(buf, "Checksum", "checked by the kernel (a UDP socket does not see it)"));
		CHECK(has(buf, "Source Address", "127.0.0.1"));
		CHECK(strstr(buf, "0x0000") == NULL);
		free(buf);
		close(q.fd);
	}
	TEST("TCP and TLS: the 2-byte length prefix as its own field") {
		struct dns_server srv = { { AF_INET6, { [15] = 1 }, 0 }, 853 };
		struct dns_q q;
		struct layers lv;
		char *buf = NULL;
		size_t len;

		memset(&q, 0, sizeof q);
		q.srv = &srv;
		q.nsrv = 1;
		q.fd = -1;
		lv.fp = open_memstream(&buf, &len);
		dns_transport_layers(&lv, &q, 0, 300, DNS_BY_TLS);
		dns_transport_layers(&lv, &q, 0, 29, DNS_BY_TCP);
		dns_transport_layers(&lv, &q, 0, 29, DNS_BY_HTTPS);
		fclose(lv.fp);
		CHECK(has(buf, "Length", "300 (0x01 0x2c)"));
		CHECK(has(buf, "Length", "29 (0x00 0x1d)"));
		CHECK(strstr(buf, "DNS over TLS: 2-byte length prefix (RFC 7858 3.3)\n") != NULL);
		CHECK(strstr(buf, "DNS over TCP: 2-byte length prefix") != NULL);
		/* no socket: no ports made up */
		CHECK(strstr(buf, "Port") == NULL);
		free(buf);
	}
	return tap_done();
}
