/*
 * fz_ftp - the FTP codecs on any bytes (FTP-02..05, FTP-09): the first
 * byte picks the parser, the rest is the reply text or listing line.
 * Oracles: results stay inside their buffers and ranges; a name the
 * listing parsers return is NUL-free, and a name ftp_safe_name accepts
 * is never ".", "..", empty, nor holds '/', '\\' or a control byte.
 */
#include <string.h>

#include "ftp.h"
#include "fuzz.h"
#include "reply.h"
#include "tubes.h"

static struct reply R;

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	const char *s = (const char *)d + 1;
	struct ftp_entry e;
	char out[256];
	uint8_t a[4];
	uint16_t port;
	uint64_t sz;
	int64_t t;
	size_t len, i;
	int r;

	if (n < 1)
		return 0;
	len = n - 1;
	switch (d[0] % 8) {
	case 0:
		if (ftp_parse_227(s, len, a, &port) == 0)
			FUZZ_ASSERT(port != 0);
		break;
	case 1:
		if (ftp_parse_229(s, len, &port) == 0)
			FUZZ_ASSERT(port != 0);
		break;
	case 2:
		if (ftp_parse_257(s, len, out, sizeof out) == 0)
			FUZZ_ASSERT(strlen(out) < sizeof out);
		break;
	case 3:
		if (ftp_parse_size(s, len, &sz) == 0)
			FUZZ_ASSERT(sz <= INT64_MAX);
		if (ftp_parse_150(s, len, &sz) == 0)
			FUZZ_ASSERT(sz <= INT64_MAX);
		if (ftp_parse_mdtm(s, len, &t) == 0)
			FUZZ_ASSERT(t >= 0);
		(void)ftp_feat_has(s, len, "MLST");
		break;
	case 4:
	case 5:
		r = d[0] % 8 == 4 ? ftp_parse_list(s, len, 1700000000, &e) : ftp_parse_mlsd(s, len, &e);
		if (r == 0) {
			FUZZ_ASSERT(e.namelen > 0 && e.namelen < sizeof e.name);
			FUZZ_ASSERT(memchr(e.name, '\0', e.namelen) == NULL);
			FUZZ_ASSERT(e.type >= FTP_T_OTHER && e.type <= FTP_T_LINK);
		}
		break;
	case 6:
		if (ftp_safe_name(s, len, out, sizeof out) == 0) {
			FUZZ_ASSERT(strcmp(out, ".") && strcmp(out, "..") && out[0]);
			FUZZ_ASSERT(strlen(out) == len);
			for (i = 0; i < len; i++)
				FUZZ_ASSERT((unsigned char)out[i] >= 0x20 && out[i] != 0x7f &&
				    out[i] != '/' && out[i] != '\\');
		}
		break;
	case 7: {
		/* reply grouping: lines split at \n */
		const char *p = s, *end = s + len, *nl;
		int first = 1;

		while (p < end) {
			nl = memchr(p, '\n', (size_t)(end - p));
			if (nl == NULL)
				nl = end;
			r = ftp_reply_add(&R, p, (size_t)(nl - p), first);
			first = 0;
			if (r != 0)
				break;
			FUZZ_ASSERT(R.len < sizeof R.text && R.code >= 100 && R.code <= 599);
			p = nl + 1;
		}
		break;
	}
	}
	return 0;
}
