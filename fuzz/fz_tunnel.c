/*
 * fz_tunnel - the CONNECT tunnel's wire code on any bytes (HTTP-27).  The
 * input is "host\nanswer".  Oracles: an authority made of the host holds
 * no blank, control or non-ASCII byte, is bracketed exactly when the host
 * has a colon, and ends in ":port"; the CONNECT request made of it is one
 * head (its only blank line at its end) that starts with that authority;
 * the proxy's answer parsed whole and byte by byte gives the same head
 * and the same verdict, and the tunnel opens only on a 2xx with nothing
 * after it.
 */
#include <string.h>

#include "fuzz.h"
#include "http.h"
#include "httptunnel.h"

static struct http_head a, b;
static char host[1100], out[HTTP_AUTHORITY_MAX], req[4096];

static void
check_authority(uint16_t port)
{
	char tail[8];
	long n = http_authority(host, port, out, sizeof out), m;
	size_t i, nt;
	char *blank;

	if (n < 0)
		return;
	FUZZ_ASSERT((size_t)n == strlen(out));
	for (i = 0; i < (size_t)n; i++)
		FUZZ_ASSERT((unsigned char)out[i] > 0x20 && (unsigned char)out[i] < 0x7f);
	FUZZ_ASSERT((out[0] == '[') == (strchr(host, ':') != NULL));
	nt = (size_t)snprintf(tail, sizeof tail, ":%u", port);
	FUZZ_ASSERT((size_t)n > nt && memcmp(out + n - nt, tail, nt) == 0);
	m = http_connect_request(out, "fz/1", "u:p", 3, req, sizeof req - 1);
	FUZZ_ASSERT(m > 0);
	req[m] = '\0';
	FUZZ_ASSERT(strncmp(req, "CONNECT ", 8) == 0 && strncmp(req + 8, out, (size_t)n) == 0);
	blank = strstr(req, "\r\n\r\n");
	FUZZ_ASSERT(blank != NULL && blank + 4 == req + m);
}

/* feed d to h in pieces of step bytes: the result and the bytes after the head */
static int
feed(struct http_head *h, const uint8_t *d, size_t n, size_t step, size_t *after)
{
	size_t off = 0, k, used;
	int r = HTTP_MORE;

	http_head_init(h);
	while (off < n) {
		k = n - off < step ? n - off : step;
		r = http_head_feed(h, d + off, k, &used);
		off += used;
		if (r == HTTP_INTERIM) {
			http_head_init(h);
			continue;
		}
		if (r != HTTP_MORE)
			break;
	}
	*after = n - off;
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	const uint8_t *nl = memchr(d, '\n', n);
	size_t hn = nl ? (size_t)(nl - d) : n, aa, ab;
	const uint8_t *ans = nl ? nl + 1 : d + n;
	size_t an = nl ? n - hn - 1 : 0;
	int ra, rb;
	enum http_tunnel v;

	if (hn >= sizeof host)
		return 0;
	memcpy(host, d, hn);
	host[hn] = '\0';
	if (strlen(host) == hn) {
		check_authority(443);
		check_authority((uint16_t)(n * 2654435761u));
	}
	if (an > 70000)
		return 0;
	ra = feed(&a, ans, an, an ? an : 1, &aa);
	rb = feed(&b, ans, an, 1, &ab);
	FUZZ_ASSERT(ra == rb);
	if (ra != HTTP_DONE)
		return 0;
	FUZZ_ASSERT(a.status == b.status && aa == ab && a.nfields == b.nfields);
	v = http_tunnel_verdict(&a, aa);
	FUZZ_ASSERT(v == http_tunnel_verdict(&b, ab));
	FUZZ_ASSERT((v == HTTP_TUNNEL_OPEN) == (a.status >= 200 && a.status <= 299 && aa == 0));
	FUZZ_ASSERT((v == HTTP_TUNNEL_AUTH) == (a.status == 407));
	return 0;
}
