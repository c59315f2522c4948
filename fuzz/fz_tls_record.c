/*
 * fz_tls_record - the TLS record layer and the handshake message parsers
 * on any bytes.  The input is the server's side of a connection: the
 * record reader (lengths, types, versions, the limits, alerts,
 * ChangeCipherSpec, fragments put together) feeds whole messages to the
 * client's parsers of ServerHello / HelloRetryRequest,
 * EncryptedExtensions, the Certificate list (TLS 1.3's, or 1.2's after
 * a TLS 1.2 ServerHello), TLS 1.2's ServerHello, ServerKeyExchange and
 * HelloRequest, NewSessionTicket and
 * KeyUpdate (which turns on record protection, so what follows goes
 * through tls_open with keys the input cannot know), and the -X decoder
 * shows each; the input is also decoded as one handshake message
 * directly.  Oracles: no crash, no read out of bounds, no hang (every
 * wait is bounded), and a parse count no larger than the messages the
 * input could hold.
 */
#include <string.h>

#include "fuzz.h"
#include "tls/tls.h"

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static FILE *null;
	struct layers lv;
	int fd, good;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		return 0;
	lv.fp = null;
	(void)tls_view_hs(&lv, 1, d, n);
	(void)tls_view_hs(&lv, 0, d, n);
	(void)tls_view_hs(&lv, 3, d, n);		/* as TLS 1.2 */
	if ((fd = fuzz_stream(d, n)) < 0)
		return 0;
	good = tls_fuzz_stream(fd, n & 1 ? &lv : NULL);
	close(fd);
	/* a record header and a message header at least per message */
	FUZZ_ASSERT(good >= 0 && (size_t)good <= n / 9 + 1);
	return 0;
}
