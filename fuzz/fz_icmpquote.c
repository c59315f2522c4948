/*
 * fz_icmpquote - any bytes as the quoted part of an ICMP and an ICMPv6
 * error (the first 4 bytes as the rest of the header, so RFC 4884
 * length attributes of every value come up), through the quote decoder.
 * Oracle: it never reads outside the message (ASan); the length
 * attribute is at most 255 words.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "icmp.h"
#include "icmpquote.h"
#include "tubes.h"
#include "wire.h"

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const uint8_t types4[] = { IC4_UNREACH, IC4_TIME_EXCEEDED, IC4_PARAM_PROBLEM };
	static const uint8_t types6[] = { IC6_UNREACH, IC6_PACKET_TOO_BIG, IC6_TIME_EXCEEDED,
	    IC6_PARAM_PROBLEM };
	static FILE *null;
	struct layers lv;
	struct icmp m;
	size_t i;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		return 0;
	lv.fp = null;
	memset(&m, 0, sizeof m);
	m.word = n >= 4 ? get32(d) : 0;
	m.data = n >= 4 ? d + 4 : d;
	m.datalen = n >= 4 ? n - 4 : n;
	m.version = 4;
	for (i = 0; i < sizeof types4; i++) {
		m.type = types4[i];
		FUZZ_ASSERT(icmpquote_length(&m) <= 255 * 4);
		icmpquote_decode(&lv, &m);
	}
	m.version = 6;
	for (i = 0; i < sizeof types6; i++) {
		m.type = types6[i];
		FUZZ_ASSERT(icmpquote_length(&m) <= 255 * 8);
		icmpquote_decode(&lv, &m);
	}
	icmpquote_l4(&lv, 4, IPP_TCP, d, n, n, NULL);
	return 0;
}
