/*
 * t_icmpquote.c - lib/wire/icmpquote (the datagram quoted in an ICMP
 * error, every field as far as the quote goes, RFC 4884 extensions),
 * cksumview (checksum verdicts: the computed value, offload) and the
 * kernel-filled fields of a sent echo request.  Fixtures are kernel
 * captures (tests/fixtures/icmp, values as tshark -V shows them in
 * tests/fixtures/ip/tshark.txt), cut short to the lengths routers quote.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "icmp.h"
#include "icmpquote.h"
#include "ip.h"
#include "tap.h"
#include "tubes.h"
#include "wire.h"

static uint8_t fx[4096];

static size_t
load(const char *name)
{
	char path[256];

	snprintf(path, sizeof path, "tests/fixtures/%s", name);
	return tap_hexfile(path, fx, sizeof fx);
}

static const struct icmp *cur;

static void
quote_dec(struct layers *lv, const uint8_t *p, size_t n)
{
	(void)p;
	(void)n;
	icmpquote_decode(lv, cur);
}

/* the text a decoder writes */
static char *
decoded(void (*fn)(struct layers *, const uint8_t *, size_t), const uint8_t *p, size_t n)
{
	static char *buf;
	size_t len;
	FILE *fp;
	struct layers lv;

	free(buf);
	buf = NULL;
	fp = open_memstream(&buf, &len);
	lv.fp = fp;
	fn(&lv, p, n);
	fclose(fp);
	return buf;
}

/* the quote of an error: data/datalen as given, the rest of the header word w */
static char *
quote_text(int version, uint8_t type, uint32_t w, const uint8_t *q, size_t n)
{
	static struct icmp m;

	memset(&m, 0, sizeof m);
	m.version = version;
	m.type = type;
	m.word = w;
	m.data = q;
	m.datalen = n;
	cur = &m;
	return decoded(quote_dec, q, n);
}

static void
icmp4_whole(struct layers *lv, const uint8_t *p, size_t n)
{
	icmp4_decode(lv, p + 20, n - 20);
}

int
main(void)
{
	uint8_t q[512];
	char *t;
	size_t n;

	TEST("time exceeded quoting a whole UDP probe: every inner field as tshark shows it") {
		n = load("icmp/time-exceeded.hex");
		t = decoded(icmp4_whole, fx, n);
		CHECK(strstr(t, "quoted IPv4 header, 60 bytes quoted"));
		CHECK(strstr(t, "IHL                    5 (20 bytes)"));
		CHECK(strstr(t, "Type of Service        0x00 (DSCP 0, ECN 0)"));
		CHECK(strstr(t, "Total Length           60"));
		CHECK(strstr(t, "Identification         0xc863 (51299)"));
		CHECK(strstr(t, "Flags                  0x0"));
		CHECK(strstr(t, "Fragment Offset        0 (0 bytes)"));
		CHECK(strstr(t, "Time to Live           1"));
		CHECK(strstr(t, "Protocol               17 (UDP)"));
		CHECK(strstr(t, "Header Checksum        0xdb85 [correct]"));
		CHECK(strstr(t, "Source Address         10.99.0.1"));
		CHECK(strstr(t, "Destination Address    10.99.1.2"));
		CHECK(strstr(t, "Quoted                 60 of 60 bytes (Total Length)"));
		CHECK(strstr(t, "quoted UDP, first 40 bytes of 40"));
		CHECK(strstr(t, "Source Port            43797"));
		CHECK(strstr(t, "Destination Port       33434"));
		CHECK(strstr(t, "Length                 40"));
		CHECK(strstr(t, "Checksum               0xc720 [correct]"));	/* over the inner pseudo-header */
		CHECK(!strstr(t, "Cut off"));
	}
	TEST("a quote of 8 bytes: the first fields, the rest named as cut off") {
		n = load("icmp/time-exceeded.hex");
		t = quote_text(4, IC4_TIME_EXCEEDED, 0, fx + 28, 8);
		CHECK(strstr(t, "quoted IPv4 header, 8 bytes quoted"));
		CHECK(strstr(t, "Identification         0xc863 (51299)"));
		CHECK(strstr(t, "Time to Live           (cut off)"));
		CHECK(strstr(t, "Destination Address    (cut off)"));
		CHECK(strstr(t, "Quoted                 8 of 60 bytes"));
		CHECK(strstr(t, "Cut off                Time to Live, Protocol, Header Checksum, "
		    "Source Address, Destination Address"));
		CHECK(!strstr(t, "quoted UDP"));
	}
	TEST("a quote of 28 bytes (RFC 792): header and the 8 UDP bytes, checksum not verifiable") {
		t = quote_text(4, IC4_TIME_EXCEEDED, 0, fx + 28, 28);
		CHECK(strstr(t, "Header Checksum        0xdb85 [correct]"));
		CHECK(strstr(t, "Quoted                 28 of 60 bytes"));
		CHECK(strstr(t, "quoted UDP, first 8 bytes of 40"));
		CHECK(strstr(t, "Destination Port       33434"));
		CHECK(strstr(t, "Checksum               0xc720 [not verified: the datagram is not quoted whole]"));
		CHECK(!strstr(t, "Cut off"));
		t = quote_text(4, IC4_TIME_EXCEEDED, 0, fx + 28, 25);
		CHECK(strstr(t, "Source Port            43797"));
		CHECK(strstr(t, "Length                 (cut off)"));
		CHECK(strstr(t, "Cut off                Length, Checksum"));
	}
	TEST("a quoted IHL larger than the quote, or under 5: fields shown, no upper layer") {
		memcpy(q, fx + 28, 28);
		q[0] = 0x4f;
		t = quote_text(4, IC4_TIME_EXCEEDED, 0, q, 28);
		CHECK(strstr(t, "IHL                    15 (60 bytes) [longer than the quote]"));
		CHECK(strstr(t, "Header Checksum        0xdb85 [not verified: header not quoted whole]"));
		CHECK(strstr(t, "Options                (cut off)"));
		CHECK(!strstr(t, "quoted UDP"));
		q[0] = 0x43;
		t = quote_text(4, IC4_TIME_EXCEEDED, 0, q, 28);
		CHECK(strstr(t, "IHL                    3 (12 bytes) [less than 5: malformed]"));
		CHECK(!strstr(t, "quoted UDP"));
		q[0] = 0x65;
		t = quote_text(4, IC4_TIME_EXCEEDED, 0, q, 28);
		CHECK(strstr(t, "Version                6 (not 4: not decoded further)"));
		t = quote_text(4, IC4_TIME_EXCEEDED, 0, q, 0);
		CHECK(strstr(t, "quoted IPv4 header, 0 bytes quoted"));
		CHECK(strstr(t, "Cut off                Version"));
	}
	TEST("checksum verdicts say what the field should hold") {
		char v[160];
		struct ip_pseudo ps = { .version = 4 };
		uint32_t pseudo;

		memcpy(q, fx + 28, 60);
		q[8] = 2;	/* TTL 1 -> 2: the header sum grows by 0x0100 */
		t = quote_text(4, IC4_TIME_EXCEEDED, 0, q, 60);
		CHECK(strstr(t, "Header Checksum        0xdb85 [incorrect, computed 0xda85]"));
		/* a UDP checksum left as the pseudo-header sum: the offload that never ran */
		memcpy(q, fx + 28, 60);
		memcpy(ps.src, q + 12, 4);
		memcpy(ps.dst, q + 16, 4);
		pseudo = ip_pseudo_sum(&ps, IPP_UDP, 40);
		put16(q + 26, (uint16_t)~cksum_fold(pseudo));
		t = quote_text(4, IC4_TIME_EXCEEDED, 0, q, 60);
		CHECK(strstr(t, "[incorrect, computed 0xc720: offloaded (veth/lo: not yet filled"));
		put16(q + 26, 0x1234);
		t = quote_text(4, IC4_TIME_EXCEEDED, 0, q, 60);
		CHECK(strstr(t, "Checksum               0x1234 [incorrect, computed 0xc720]"));
		put16(q + 26, 0);
		t = quote_text(4, IC4_TIME_EXCEEDED, 0, q, 60);
		CHECK(strstr(t, "Checksum               0x0000 [none sent]"));
		/* the verdict alone: the IPv4 header of the Wikipedia example, checksum 0xb861 */
		memcpy(q, "\x45\x00\x00\x73\x00\x00\x40\x00\x40\x11\xb8\x61\xc0\xa8\x00\x01"
		    "\xc0\xa8\x00\xc7", 20);
		CHECK_STR(cksum_verdict(v, sizeof v, 0xb861, cksum_add(0, q, 20), 0, 0), "0xb861 [correct]");
		q[11] = 0x62;
		CHECK_STR(cksum_verdict(v, sizeof v, 0xb862, cksum_add(0, q, 20), 0, 0),
		    "0xb862 [incorrect, computed 0xb861]");
		q[10] = q[11] = 0;
		CHECK_EQ(cksum_want(cksum_add(0, q, 20), 0), 0xb861);
	}
	TEST("RFC 4884: the length attribute, the extension structure, an MPLS label stack") {
		uint8_t m[256];
		size_t el;

		memset(m, 0, sizeof m);
		memcpy(m, fx + 28, 60);	/* the original datagram, padded to 128 bytes */
		el = 128;
		m[el] = 0x20;
		put16(m + el + 4, 8);	/* object: length 8, class 1, c-type 1 */
		m[el + 6] = 1;
		m[el + 7] = 1;
		put32(m + el + 8, 16000u << 12 | 1u << 8 | 1);
		put16(m + el + 2, cksum(m + el, 12));
		t = quote_text(4, IC4_TIME_EXCEEDED, 32u << 16, m, 140);
		CHECK(strstr(t, "Length                 32 (RFC 4884: 128 bytes of original datagram, "
		    "then an extension structure)"));
		CHECK(strstr(t, "Quoted                 all 60 bytes (Total Length), padded to 128"));
		CHECK(strstr(t, "ICMP extension structure (RFC 4884), 12 bytes"));
		CHECK(strstr(t, "Version                2\n"));
		CHECK(strstr(t, "[correct]"));
		CHECK(strstr(t, "Object                 class 1 (MPLS Label Stack), c-type 1, 8 bytes"));
		CHECK(strstr(t, "MPLS Label             16000 (TC 0, S 1, TTL 1)"));
		/* ICMPv6 counts 64-bit words in the first byte */
		CHECK_EQ(icmpquote_length(&(struct icmp){ .version = 6, .type = IC6_TIME_EXCEEDED,
		    .word = 16u << 24 }), 128);
		CHECK_EQ(icmpquote_length(&(struct icmp){ .version = 6, .type = IC6_PACKET_TOO_BIG,
		    .word = 1280 }), 0);
		CHECK_EQ(icmpquote_length(&(struct icmp){ .version = 4, .type = IC4_UNREACH,
		    .word = 0x00200578 }), 128);
		/* an object running past the end stops the walk; a length past the data is ignored */
		put16(m + el + 4, 200);
		t = quote_text(4, IC4_TIME_EXCEEDED, 32u << 16, m, 140);
		CHECK(strstr(t, "Object                 length 200 at offset 4 runs past the structure: stopped"));
		t = quote_text(4, IC4_TIME_EXCEEDED, 60u << 16, m, 140);
		CHECK(strstr(t, "more than the 140 there: ignored"));
		CHECK(!strstr(t, "extension structure (RFC"));
		t = quote_text(4, IC4_TIME_EXCEEDED, 32u << 16, m, 130);
		CHECK(strstr(t, "Header                 (cut off: 2 of 4 bytes)"));
	}
	TEST("IPv6 packet too big quoting an echo request: every IPv6 field, ICMPv6 checksum verified") {
		n = load("icmp/echo6-request.hex");
		t = quote_text(6, IC6_PACKET_TOO_BIG, 1280, fx, n);
		CHECK(strstr(t, "quoted IPv6 header, 104 bytes quoted"));
		CHECK(strstr(t, "Traffic Class          0x00 (DSCP 0, ECN 0)"));
		CHECK(strstr(t, "Flow Label             0x2b759"));
		CHECK(strstr(t, "Payload Length         64"));
		CHECK(strstr(t, "Next Header            58 (ICMPv6)"));
		CHECK(strstr(t, "Hop Limit              64"));
		CHECK(strstr(t, "Source Address         fd00:99::1"));
		CHECK(strstr(t, "Destination Address    fd00:99::fe"));
		CHECK(strstr(t, "quoted ICMPv6, first 64 bytes of 64"));
		CHECK(strstr(t, "Type                   128 (echo-request)"));
		CHECK(strstr(t, "Checksum               0x22f9 [correct]"));
		CHECK(strstr(t, "Identifier             0x32bd (12989)"));
		CHECK(strstr(t, "Sequence Number        1"));
		t = quote_text(6, IC6_PACKET_TOO_BIG, 1280, fx, 44);
		CHECK(strstr(t, "quoted ICMPv6, first 4 bytes of 64"));
		CHECK(strstr(t, "Checksum               0x22f9 [not verified"));
		CHECK(strstr(t, "Cut off                Identifier, Sequence Number"));
		t = quote_text(6, IC6_PACKET_TOO_BIG, 1280, fx, 30);
		CHECK(strstr(t, "Source Address         fd00:99::1"));
		CHECK(strstr(t, "Destination Address    (cut off)"));
		CHECK(strstr(t, "Quoted                 30 of 104 bytes (40 + Payload Length)"));
	}
	TEST("every prefix of every fixture decodes without reading past it") {
		static const char *const names[] = { "icmp/time-exceeded.hex", "icmp/port-unreach.hex",
		    "icmp/echo6-request.hex" };
		size_t i, k;

		for (i = 0; i < 3; i++) {
			n = load(names[i]);
			for (k = 0; k <= n; k++) {
				uint8_t *c = malloc(k ? k : 1);

				memcpy(c, fx, k);
				t = quote_text(i == 2 ? 6 : 4, 3, 0xffffffff, c, k);
				CHECK(t != NULL && strstr(t, "quoted IPv"));
				if (i < 2 && k > 20)
					quote_text(4, 3, 0, c + 20, k - 20);
				free(c);
			}
		}
	}
	TEST("a request as the kernel sends it: identifier read back, checksum computed and labelled") {
		struct icmp m = { .version = 6, .type = IC6_ECHO_REQUEST, .id = 0, .seq = 1 };
		struct ip_pseudo ps = { .version = 6, .src = { 0xfd, 0, 0, 0x99, [15] = 1 },
		    .dst = { 0xfd, 0, 0, 0x99, [15] = 0xfe } };
		struct writer w;
		uint8_t b[64];
		FILE *fp;
		char *buf = NULL;
		size_t len;
		struct layers lv;

		wr_init(&w, b, sizeof b);
		CHECK_EQ(icmp_build(&w, &m, NULL), 0);
		CHECK_EQ(get16(b + 2), 0);	/* left for the kernel */
		icmp_kernel_fill(b, w.len, 6, 1, 0x32bd, &ps);
		CHECK_EQ(get16(b + 4), 0x32bd);
		CHECK_EQ(cksum_fold(cksum_add(ip_pseudo_sum(&ps, IPP_ICMPV6, w.len), b, w.len)), 0);
		fp = open_memstream(&buf, &len);
		lv.fp = fp;
		icmp_decode_sent(&lv, 6, b, w.len, &ps, ICMP_DV_KERNEL_ID | ICMP_DV_KERNEL_CKSUM);
		icmp_decode_sent(&lv, 6, b, w.len, NULL, ICMP_DV_KERNEL_CKSUM);
		fclose(fp);
		CHECK(strstr(buf, "Identifier             0x32bd (12989) (kernel-filled; read back)"));
		snprintf((char *)q, sizeof q, "Checksum               0x%04x (kernel-filled; computed)",
		    get16(b + 2));
		CHECK(strstr(buf, (char *)q));
		CHECK(strstr(buf, "(kernel-filled; not computed: source address unknown)"));
		free(buf);
	}
	return tap_done();
}
