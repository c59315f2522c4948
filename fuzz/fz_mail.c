/*
 * fz_mail - lib/wire/mail.c on any bytes (SMTP-05, SMTP-06): what DATA
 * encoding accepts decodes back to the CRLF form of the message, and the
 * only CRLF.CRLF on the wire is the terminator; the header, address and
 * mbox walkers end and stay in bounds.
 */
#include <string.h>

#include "fuzz.h"
#include "mail.h"

static uint8_t w[1 << 17], back[1 << 17], want[1 << 17];

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	size_t wl, bl, ln, i, k, hend, body, pos, off, len;
	struct mail_field f;
	char addr[256];
	int r;

	if (n > 16384)
		return 0;
	r = data_encode(w, sizeof w, d, n, &wl, &ln);
	if (r == DATA_OK) {
		FUZZ_ASSERT(wl <= sizeof w && wl >= 3 && memcmp(w + wl - 3, ".\r\n", 3) == 0);
		/* no end of data before the end: smuggling impossible */
		for (i = 0; i + 5 <= wl; i++)
			if (memcmp(w + i, "\r\n.\r\n", 5) == 0)
				FUZZ_ASSERT(i + 5 == wl);
		FUZZ_ASSERT(wl == 3 || memcmp(w, ".\r\n", 3) != 0);
		for (i = 0; i < wl; i++)
			if (w[i] == '\n')
				FUZZ_ASSERT(i > 0 && w[i - 1] == '\r');
		FUZZ_ASSERT(data_decode(back, sizeof back, w, wl, &bl) == DATA_OK);
		for (i = k = 0; i < n; i++) {
			if (d[i] == '\n' && (i == 0 || d[i - 1] != '\r'))
				want[k++] = '\r';
			want[k++] = d[i];
		}
		if (n > 0 && d[n - 1] != '\n') {
			want[k++] = '\r';
			want[k++] = '\n';
		}
		FUZZ_ASSERT(bl == k && memcmp(back, want, k) == 0);
	} else {
		FUZZ_ASSERT(ln >= 1);
	}
	(void)data_decode(back, sizeof back, d, n, &bl);
	(void)mail_classify(d, n);
	if (mail_split(d, n, &hend, &body)) {
		FUZZ_ASSERT(hend <= body && body <= n);
		pos = 0;
		while (mail_field_next(d, hend, &pos, &f)) {
			FUZZ_ASSERT(f.off + f.len <= hend && f.value + f.valuelen <= d + hend);
			k = 0;
			while ((r = mail_addr_next(f.value, f.valuelen, &k, addr, sizeof addr)) == 1)
				FUZZ_ASSERT(strlen(addr) < sizeof addr && k <= f.valuelen);
		}
		FUZZ_ASSERT(pos == hend);
	}
	pos = 0;
	k = 0;
	while (mbox_next(d, n, &pos, &off, &len)) {
		FUZZ_ASSERT(off + len <= n && ++k <= n + 1);
		FUZZ_ASSERT(mbox_unquote(back, sizeof back, d + off, len) <= len);
	}
	return 0;
}
