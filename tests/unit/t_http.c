/* t_http.c - unit tests of lib/wire/http.c, named by the hostile-peers.md IDs */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "http.h"
#include "tubes.h"

static struct http_head h;

/* feed s whole; returns the parser's result, *used the bytes consumed */
static int
feed_all(const char *s, size_t *used)
{
	size_t u = 0;
	int r;

	http_head_init(&h);
	r = http_head_feed(&h, s, strlen(s), &u);
	if (used)
		*used = u;
	return r;
}

/* the same a byte at a time: the result must not depend on the split */
static int
feed_bytes(const char *s)
{
	size_t i, n = strlen(s), u;
	int r = HTTP_MORE;

	http_head_init(&h);
	for (i = 0; i < n && r == HTTP_MORE; i++)
		r = http_head_feed(&h, s + i, 1, &u);
	return r;
}

static int
head(const char *s)
{
	int a = feed_bytes(s), b = feed_all(s, NULL);

	if (a != b) {
		printf("#   split-dependent result %d vs %d\n", a, b);
		return -100;
	}
	return b;
}

static int
framing(const char *s, int head_req, struct http_framing *f)
{
	int r = head(s);

	if (r != HTTP_DONE)
		return r;
	return http_framing(&h, head_req, f);
}

static char body[1 << 16];
static size_t nbody;
static int done;

/* decode s split into pieces of step bytes; returns 0 or the error */
static long
chunked(const char *s, size_t step, size_t *leftover)
{
	static char tmp[1 << 16];
	struct http_chunked d;
	size_t n = strlen(s), i, used;
	long r;

	http_chunked_init(&d);
	nbody = 0;
	for (i = 0; i < n && !d.done; ) {
		size_t k = n - i < step ? n - i : step;

		memcpy(tmp, s + i, k);
		r = http_chunked_feed(&d, tmp, k, &used);
		if (r < 0)
			return r;
		memcpy(body + nbody, tmp, (size_t)r);
		nbody += (size_t)r;
		i += used;
		if (used < k && !d.done)
			return -100;	/* must consume all unless finished */
	}
	body[nbody] = '\0';
	done = d.done;
	if (leftover)
		*leftover = n - i;
	return 0;
}

/* every split size gives the same result */
static long
chunked_all_splits(const char *s, const char *want)
{
	size_t step, n = strlen(s);
	long r0 = chunked(s, n ? n : 1, NULL), r;
	static char first[sizeof body];

	memcpy(first, body, nbody + 1);
	for (step = 1; step < n; step++) {
		r = chunked(s, step, NULL);
		if (r != r0 || (r == 0 && strcmp(body, first) != 0)) {
			printf("#   split %zu differs\n", step);
			return -100;
		}
	}
	if (r0 == 0 && want && strcmp(first, want) != 0) {
		printf("#   body \"%s\", want \"%s\"\n", first, want);
		return -101;
	}
	return r0;
}

int
main(void)
{
	struct http_framing f;
	size_t used, n;
	const char *v;
	char out[4096];
	long r;

	TEST("status line and fields, HTTP/1.1") {
		const char *s = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
		    "Content-Length:  5 \r\nX-Empty:\r\n\r\nhello";

		CHECK_EQ(feed_all(s, &used), HTTP_DONE);
		CHECK_EQ(used, strlen(s) - 5);
		CHECK_EQ(h.version, 11);
		CHECK_EQ(h.status, 200);
		CHECK_EQ(h.nreason, 2);
		CHECK_EQ(h.nfields, 3);
		v = http_field(&h, "content-length", 0, &n);
		CHECK(v && n == 1 && v[0] == '5');
		v = http_field(&h, "X-EMPTY", 0, &n);
		CHECK(v && n == 0);
		CHECK(http_field(&h, "content-length", 1, &n) == NULL);
		CHECK_EQ(http_framing(&h, 0, &f), 0);
		CHECK_EQ(f.body, HTTP_BODY_LENGTH);
		CHECK_EQ(f.length, 5);
		CHECK_EQ(f.reusable, 1);
	}
	TEST("HTTP/1.0 status line, empty reason, no body length") {
		CHECK_EQ(framing("HTTP/1.0 200\r\n\r\n", 0, &f), 0);
		CHECK_EQ(h.version, 10);
		CHECK_EQ(h.nreason, 0);
		CHECK_EQ(f.body, HTTP_BODY_CLOSE);
		CHECK_EQ(f.reusable, 0);
		CHECK_EQ(framing("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\n"
		    "Content-Length: 0\r\n\r\n", 0, &f), 0);
		CHECK_EQ(f.reusable, 1);
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nConnection: foo, close\r\n"
		    "Content-Length: 0\r\n\r\n", 0, &f), 0);
		CHECK_EQ(f.reusable, 0);
	}
	TEST("HTTP-01 chunk size with too many digits or overflowing") {
		CHECK_EQ(chunked_all_splits("12345678123456789\r\n", NULL), HTTP_ECHUNKSZ);
		CHECK_EQ(chunked_all_splits("00000000000000001\r\nx\r\n0\r\n\r\n", NULL),
		    HTTP_ECHUNKSZ);
		/* 16 digits are allowed: the parse does not wrap */
		CHECK_EQ(chunked("ffffffffffffffff\r\nabc", 64, NULL), 0);
		CHECK_EQ(nbody, 3);
	}
	TEST("HTTP-02 bad chunk syntax") {
		CHECK_EQ(chunked_all_splits("g\r\n", NULL), HTTP_ECHUNK);
		CHECK_EQ(chunked_all_splits("\r\n", NULL), HTTP_ECHUNK);
		CHECK_EQ(chunked_all_splits("-1\r\n", NULL), HTTP_ECHUNK);
		CHECK_EQ(chunked_all_splits("3\r\nabcX\r\n0\r\n\r\n", NULL), HTTP_ECHUNK);
		CHECK_EQ(chunked_all_splits("3\r\nabc\rX0\r\n\r\n", NULL), HTTP_ECHUNK);
		CHECK_EQ(chunked_all_splits("3 x\r\nabc\r\n", NULL), HTTP_ECHUNK);
		CHECK_EQ(chunked_all_splits("3\rabc\r\n", NULL), HTTP_ECHUNK);
		CHECK_EQ(chunked_all_splits("3;a\x01\r\nabc\r\n", NULL), HTTP_ECHUNK);
	}
	TEST("HTTP-03 a chunked stream without the zero chunk is not done") {
		CHECK_EQ(chunked("5\r\nhello\r\n", 3, NULL), 0);
		CHECK_EQ(done, 0);
		CHECK_STR(body, "hello");
		CHECK_EQ(chunked("5\r\nhello\r\n0\r\n", 3, NULL), 0);
		CHECK_EQ(done, 0);	/* last chunk without the final CRLF */
	}
	TEST("chunked: extensions, trailers, LF-only, any split, leftover") {
		size_t left;

		CHECK_EQ(chunked_all_splits("5;name=val\r\nhello\r\n6 ; x\r\n world\r\n"
		    "0\r\nExpires: never\r\nX-Sum: 1\r\n\r\n", "hello world"), 0);
		CHECK_EQ(done, 1);
		CHECK_EQ(chunked_all_splits("A\nabcdefghij\n0\n\n", "abcdefghij"), 0);
		CHECK_EQ(chunked("1\r\nx\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n", 1, &left), 0);
		CHECK_EQ(done, 1);
		CHECK_EQ(left, 17);	/* the next response, not consumed */
		CHECK_EQ(chunked_all_splits("0\r\nBad Trailer: x\r\n\r\n", NULL), HTTP_ETRAILER);
		CHECK_EQ(chunked_all_splits("0\r\nno-colon\r\n\r\n", NULL), HTTP_ETRAILER);
		CHECK_EQ(chunked_all_splits("0\r\n folded\r\n\r\n", NULL), HTTP_ETRAILER);
		CHECK_EQ(chunked_all_splits("0\r\n:x\r\n\r\n", NULL), HTTP_ETRAILER);
	}
	TEST("HTTP-04 Content-Length framing reports the length") {
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", 0, &f), 0);
		CHECK_EQ(f.body, HTTP_BODY_LENGTH);
		CHECK_EQ(f.length, 100);
	}
	TEST("HTTP-05 negative, non-numeric, trailing garbage Content-Length") {
		uint64_t x;

		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", 0, &f), HTTP_ECL);
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n", 0, &f), HTTP_ECL);
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\n", 0, &f), HTTP_ECL);
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n", 0, &f), HTTP_ECL);
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", 0, &f), HTTP_ECL);
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n", 0, &f), HTTP_ECL);
		CHECK_EQ(http_parse_cl("5 5", 3, &x), -1);
		CHECK_EQ(http_parse_cl("5,", 2, &x), -1);
		CHECK_EQ(http_parse_cl("007", 3, &x), 0);
		CHECK_EQ(x, 7);
	}
	TEST("HTTP-06 duplicate Content-Length: same values ok, different refused") {
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
		    0, &f), 0);
		CHECK_EQ(f.length, 5);
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n", 0, &f), 0);
		CHECK_EQ(f.length, 5);
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
		    0, &f), HTTP_ECL);
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nContent-Length: 5,6\r\n\r\n", 0, &f), HTTP_ECL);
	}
	TEST("HTTP-07 Content-Length overflowing 64 bits") {
		uint64_t x;

		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\n",
		    0, &f), HTTP_ECL);
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
		    0, &f), HTTP_ECL);
		CHECK_EQ(http_parse_cl("18446744073709551615", 20, &x), 0);
		CHECK(x == UINT64_MAX);
	}
	TEST("HTTP-08 Transfer-Encoding and Content-Length: chunked wins, no reuse") {
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
		    "Transfer-Encoding: chunked\r\n\r\n", 0, &f), 0);
		CHECK_EQ(f.body, HTTP_BODY_CHUNKED);
		CHECK_EQ(f.reusable, 0);
		/* even a bad CL next to TE is a refusal: we do not guess */
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nContent-Length: x\r\n"
		    "Transfer-Encoding: chunked\r\n\r\n", 0, &f), HTTP_ECL);
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n", 0, &f), 0);
		CHECK_EQ(f.body, HTTP_BODY_CHUNKED);
		CHECK_EQ(f.reusable, 1);
	}
	TEST("HTTP-09 transfer codings we did not ask for") {
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
		    0, &f), HTTP_ETE);
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
		    0, &f), HTTP_ETE);
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\n",
		    0, &f), HTTP_ETE);
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nTransfer-Encoding: \r\n\r\n", 0, &f), HTTP_ETE);
		/* a duplicated chunked is one chunked decoding, never two */
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
		    "Transfer-Encoding: chunked\r\n\r\n", 0, &f), 0);
		CHECK_EQ(f.body, HTTP_BODY_CHUNKED);
	}
	TEST("HTTP-10 Content-Encoding is flagged, not decoded") {
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
		    "Content-Length: 3\r\n\r\n", 0, &f), 0);
		CHECK_EQ(f.content_encoding, 1);
		CHECK_EQ(f.body, HTTP_BODY_LENGTH);
	}
	TEST("HTTP-11 LF-only line ends accepted, bare CR refused") {
		CHECK_EQ(framing("HTTP/1.1 200 OK\nContent-Length: 2\n\n", 0, &f), 0);
		CHECK_EQ(f.length, 2);
		CHECK_EQ(head("HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n"), HTTP_ECTL);
		CHECK_EQ(head("HTTP/1.1 200 OK\r\nX: a\r\r\n\r\n"), HTTP_ECTL);
		CHECK_EQ(head("HTTP/1.1 200 O\rK\r\n\r\n"), HTTP_ECTL);
	}
	TEST("HTTP-12 obs-fold replaced by SP; a folded first line refused") {
		CHECK_EQ(head("HTTP/1.1 200 OK\r\nX-A: one\r\n  two\r\n\tthree\r\nX-B: b\r\n\r\n"),
		    HTTP_DONE);
		v = http_field(&h, "x-a", 0, &n);
		CHECK(v && n == 13 && memcmp(v, "one two three", 13) == 0);
		v = http_field(&h, "x-b", 0, &n);
		CHECK(v && n == 1 && v[0] == 'b');
		CHECK_EQ(head("HTTP/1.1 200 OK\r\n folded: x\r\n\r\n"), HTTP_EFOLD);
	}
	TEST("HTTP-13 line, head and field-count limits") {
		static char big[HTTP_HEAD_MAX * 4];
		size_t i, o;

		o = (size_t)snprintf(big, sizeof big, "HTTP/1.1 200 OK\r\nX: ");
		memset(big + o, 'a', HTTP_LINE_MAX);
		memcpy(big + o + HTTP_LINE_MAX, "\r\n\r\n", 5);
		CHECK_EQ(head(big), HTTP_ELINE);
		o = (size_t)snprintf(big, sizeof big, "HTTP/1.1 200 OK\r\n");
		for (i = 0; i <= HTTP_HEADERS_MAX; i++)
			o += (size_t)snprintf(big + o, sizeof big - o, "X-%zu: v\r\n", i);
		snprintf(big + o, sizeof big - o, "\r\n");
		CHECK_EQ(head(big), HTTP_EHEAD);
		/* many long fields: the stored head overflows before the count does */
		o = (size_t)snprintf(big, sizeof big, "HTTP/1.1 200 OK\r\n");
		for (i = 0; i < 10; i++) {
			o += (size_t)snprintf(big + o, sizeof big - o, "X-%zu: ", i);
			memset(big + o, 'b', HTTP_LINE_MAX - 100);
			o += HTTP_LINE_MAX - 100;
			o += (size_t)snprintf(big + o, sizeof big - o, "\r\n");
		}
		snprintf(big + o, sizeof big - o, "\r\n");
		CHECK_EQ(head(big), HTTP_EHEAD);
	}
	TEST("HTTP-14 NUL, non-3-digit status, HTTP/0.9 reply") {
		static const char nul[] = "HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n";
		struct http_head *hp = &h;

		http_head_init(hp);
		CHECK_EQ(http_head_feed(hp, nul, sizeof nul - 1, &used), HTTP_ECTL);
		CHECK_EQ(head("HTTP/1.1 20 OK\r\n\r\n"), HTTP_ESTATUS);
		CHECK_EQ(head("HTTP/1.1 2000 OK\r\n\r\n"), HTTP_ESTATUS);
		CHECK_EQ(head("HTTP/1.1 2x0 OK\r\n\r\n"), HTTP_ESTATUS);
		CHECK_EQ(head("HTTP/1.1 099 OK\r\n\r\n"), HTTP_ESTATUS);
		CHECK_EQ(head("HTTP/1.1 600 OK\r\n\r\n"), HTTP_ESTATUS);
		CHECK_EQ(head("HTTP/2 200 OK\r\n\r\n"), HTTP_ESTATUS);
		CHECK_EQ(head("HTTP/1.1  200 OK\r\n\r\n"), HTTP_ESTATUS);
		CHECK_EQ(head("<html>hello</html>\r\n\r\n"), HTTP_ESTATUS);
		CHECK_EQ(head("ICY 200 OK\r\n\r\n"), HTTP_ESTATUS);
		CHECK_EQ(head("HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n"), HTTP_EFIELD);
		CHECK_EQ(head("HTTP/1.1 200 OK\r\nName : v\r\n\r\n"), HTTP_EFIELD);
		CHECK_EQ(head("HTTP/1.1 200 OK\r\n: v\r\n\r\n"), HTTP_EFIELD);
		CHECK_EQ(head("HTTP/1.1 200 OK\r\nN\x80me: v\r\n\r\n"), HTTP_EFIELD);
		CHECK_EQ(head("HTTP/1.1 200 OK\r\nX: caf\xc3\xa9\r\n\r\n"), HTTP_DONE);
	}
	TEST("HTTP-15 1xx interim responses are skipped; 101 refused") {
		const char *s = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n"
		    "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
		    "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
		size_t off = 0, len = strlen(s);
		int interim = 0, res;

		http_head_init(&h);
		for (;;) {
			res = http_head_feed(&h, s + off, len - off, &used);
			off += used;
			if (res != HTTP_INTERIM)
				break;
			interim++;
			http_head_init(&h);
		}
		CHECK_EQ(res, HTTP_DONE);
		CHECK_EQ(interim, 3);
		CHECK_EQ(h.status, 200);
		CHECK_EQ(off, len);
		CHECK_EQ(head("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n"), HTTP_E101);
	}
	TEST("HTTP-16 HEAD, 204 and 304 have no body whatever the fields say") {
		CHECK_EQ(framing("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", 1, &f), 0);
		CHECK_EQ(f.body, HTTP_BODY_NONE);
		CHECK_EQ(framing("HTTP/1.1 204 No Content\r\nContent-Length: 99\r\n\r\n", 0, &f), 0);
		CHECK_EQ(f.body, HTTP_BODY_NONE);
		CHECK_EQ(framing("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
		    0, &f), 0);
		CHECK_EQ(f.body, HTTP_BODY_NONE);
	}
	TEST("HTTP-23 credential-carrying header names, any case") {
		CHECK_EQ(http_is_credential("Authorization: Basic eA=="), 1);
		CHECK_EQ(http_is_credential("proxy-authorization: x"), 1);
		CHECK_EQ(http_is_credential("COOKIE: a=b"), 1);
		CHECK_EQ(http_is_credential("Cookie2: a"), 1);
		CHECK_EQ(http_is_credential("X-Api-Key: k"), 1);
		CHECK_EQ(http_is_credential("X-Auth-Token: t"), 1);
		CHECK_EQ(http_is_credential("X-Amz-Security-Token: t"), 1);
		CHECK_EQ(http_is_credential("X-Session-Id"), 1);
		CHECK_EQ(http_is_credential("X-Test: authorization"), 0);
		CHECK_EQ(http_is_credential("Accept: text/plain"), 0);
		CHECK_EQ(http_is_credential("X-Test: v"), 0);
	}
	TEST("HTTP-20 CR, LF, NUL in request fields refused by the builder") {
		const char *bad[] = { "X-A: a\r\nX-Evil: 1" };
		const char *ok[] = { "X-A: 1", "Accept:" };
		struct http_req q = { "GET", "/", "h", "httpget", NULL, 0, NULL, 0, NULL, 0,
		    -1, -1, 0, NULL };

		CHECK(http_request(&q, out, sizeof out) > 0);
		q.target = "/a\r\nX: y";
		CHECK_EQ(http_request(&q, out, sizeof out), HTTP_EREQ);
		q.target = "/a b";
		CHECK_EQ(http_request(&q, out, sizeof out), HTTP_EREQ);
		q.target = "/";
		q.host = "h\nX: y";
		CHECK_EQ(http_request(&q, out, sizeof out), HTTP_EREQ);
		q.host = "h";
		q.agent = "a\rb";
		CHECK_EQ(http_request(&q, out, sizeof out), HTTP_EREQ);
		q.agent = "a b";
		q.method = "GE T";
		CHECK_EQ(http_request(&q, out, sizeof out), HTTP_EREQ);
		q.method = "GET";
		q.extra = bad;
		q.nextra = 1;
		CHECK_EQ(http_request(&q, out, sizeof out), HTTP_EREQ);
		CHECK_EQ(http_check_header("NoColon"), -1);
		CHECK_EQ(http_check_header("Bad Name: v"), -1);
		CHECK_EQ(http_check_header("X: a\nb"), -1);
		CHECK_EQ(http_check_header("X: a\tb"), 0);
		q.extra = ok;
		q.nextra = 2;
		CHECK(http_request(&q, out, sizeof out) > 0);
		CHECK(strstr(out, "Accept:") == NULL);	/* "Accept:" removes it */
		CHECK(strstr(out, "X-A: 1\r\n") != NULL);
	}
	TEST("request builder: Host, agent, Basic auth with a newline, range, body") {
		static const char cred[] = "user:pa\nss";
		struct http_req q = { "POST", "/x?y", "h:8080", "httpget/0.1", cred,
		    sizeof cred - 1, NULL, 0, NULL, 0, 3, 100, 1, NULL };
		long len = http_request(&q, out, sizeof out);

		CHECK(len > 0);
		out[len > 0 ? len : 0] = '\0';
		CHECK_STR(out, "POST /x?y HTTP/1.1\r\nHost: h:8080\r\nUser-Agent: httpget/0.1\r\n"
		    "Accept: */*\r\nAuthorization: Basic dXNlcjpwYQpzcw==\r\n"
		    "Range: bytes=100-\r\nContent-Length: 3\r\nConnection: close\r\n\r\n");
		CHECK_EQ(http_request(&q, out, 40), HTTP_EREQ);
	}
	TEST("base64 (RFC 4648 test vectors)") {
		static const char *const t[][2] = { { "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" },
		    { "foo", "Zm9v" }, { "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" },
		    { "foobar", "Zm9vYmFy" } };
		size_t i;

		for (i = 0; i < 7; i++) {
			http_base64(t[i][0], strlen(t[i][0]), out, sizeof out);
			CHECK_STR(out, t[i][1]);
		}
		CHECK_EQ(http_base64("foo", 3, out, 4), 0);
	}
	TEST("head bytes beyond the head are left for the body, any split") {
		const char *s = "\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";

		CHECK_EQ(feed_all(s, &used), HTTP_DONE);
		CHECK_EQ(strlen(s) - used, 3);
		CHECK_EQ(head(s), HTTP_DONE);
		CHECK_EQ(h.wire, strlen(s) - 3);
		r = http_has_token(&h, "connection", "close");
		CHECK_EQ(r, 0);
	}
	TEST("Content-Range of a 206") {
		uint64_t a, b, t;

		CHECK_EQ(http_content_range("bytes 100-199/200", 17, &a, &b, &t), 0);
		CHECK(a == 100 && b == 199 && t == 200);
		CHECK_EQ(http_content_range("bytes 0-0/*", 11, &a, &b, &t), 0);
		CHECK(t == UINT64_MAX);
		CHECK_EQ(http_content_range("bytes 5-4/10", 12, &a, &b, &t), -1);
		CHECK_EQ(http_content_range("bytes 0-10/10", 13, &a, &b, &t), -1);
		CHECK_EQ(http_content_range("bytes */10", 10, &a, &b, &t), -1);
		CHECK_EQ(http_content_range("bytes 0-1/2x", 12, &a, &b, &t), -1);
		CHECK_EQ(http_content_range("items 0-1/2", 11, &a, &b, &t), -1);
		CHECK_EQ(http_range_unsatisfied("bytes */10", 10, &t), 0);
		CHECK(t == 10);
		CHECK_EQ(http_range_unsatisfied("bytes */", 8, &t), -1);
		CHECK_EQ(http_range_unsatisfied("bytes 0-1/2", 11, &t), -1);
		CHECK_EQ(http_range_unsatisfied("bytes */1x", 10, &t), -1);
		CHECK_EQ(http_range_unsatisfied("bytes", 5, &t), -1);
	}
	TEST("HTTP-24 If-Range goes with the Range only, and is checked for CR/LF") {
		struct http_req q;

		memset(&q, 0, sizeof q);
		q.method = "GET";
		q.target = "/x";
		q.host = "h";
		q.body_len = -1;
		q.range_from = -1;
		q.if_range = "\"abc\"";
		r = http_request(&q, out, sizeof out);
		CHECK(r > 0 && strstr(out, "If-Range") == NULL);
		q.range_from = 5;
		r = http_request(&q, out, sizeof out);
		CHECK(r > 0 && strstr(out, "Range: bytes=5-\r\nIf-Range: \"abc\"\r\n") != NULL);
		q.if_range = "\"a\r\nX: y\"";
		CHECK_EQ(http_request(&q, out, sizeof out), HTTP_EREQ);
	}
	TEST("layer view names every field and hides credentials") {
		static char text[8192];
		struct layers lv;
		FILE *fp = fmemopen(text, sizeof text - 1, "w");
		static const char req[] = "GET /x HTTP/1.1\r\nHost: h\r\n"
		    "Authorization: Basic c2VjcmV0\r\n\r\n";

		CHECK(fp != NULL);
		if (fp) {
			lv.fp = fp;
			CHECK_EQ(head("HTTP/1.1 404 Not\x01Found\r\nX-A: v\r\n\r\n"), HTTP_ECTL);
			CHECK_EQ(head("HTTP/1.1 404 Not Found\r\nX-A: v\x7f\r\n\r\n"), HTTP_ECTL);
			CHECK_EQ(head("HTTP/1.1 404 Not Found\r\nX-A: caf\xc3\xa9\r\n\r\n"), HTTP_DONE);
			http_head_layers(&lv, &h);
			http_request_layers(&lv, req, sizeof req - 1);
			fclose(fp);
			CHECK(strstr(text, "status-code") != NULL);
			CHECK(strstr(text, "404") != NULL);
			CHECK(strstr(text, "reason-phrase") != NULL);
			CHECK(strstr(text, "X-A") != NULL);
			CHECK(strstr(text, "request-target") != NULL);
			CHECK(strstr(text, "c2VjcmV0") == NULL);
			CHECK(strstr(text, "c2V") == NULL);	/* nor in the hex dump */
			CHECK(strstr(text, "63 32 56") == NULL);
		}
	}
	return tap_done();
}
