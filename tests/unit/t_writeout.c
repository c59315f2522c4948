/* t_writeout.c - unit tests of lib/wire/writeout.c: curl's --write-out formats */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "writeout.h"

static char out[2][20000];
static size_t nout[2];

static void
emit(void *ctx, int stream, const char *s, size_t n)
{
	(void)ctx;
	memcpy(out[stream] + nout[stream], s, n);
	nout[stream] += n;
	out[stream][nout[stream]] = '\0';
}

static const char *
expand(const char *fmt, const struct wo_vals *v)
{
	nout[0] = nout[1] = 0;
	out[0][0] = out[1][0] = '\0';
	wo_expand(fmt, v, emit, NULL);
	return out[WO_STDOUT];
}

int
main(void)
{
	static char longurl[10000];
	struct wo_vals v;
	const char *bad;
	size_t nbad;

	memset(&v, 0, sizeof v);
	v.http_code = 404;
	v.exitcode = 1;
	v.num_redirects = 2;
	v.size_download = 153;
	v.size_header = 1234567890123ULL;
	v.time_total = 1234567;
	v.time_connect = 999;
	v.time_starttransfer = -5;
	v.url_effective = "http://127.0.0.1:8080/x";
	v.content_type = "text/html";

	TEST("curl's variables, numbers as curl prints them") {
		CHECK_STR(expand("%{http_code} %{response_code}", &v), "404 404");
		CHECK_STR(expand("%{size_download}/%{size_header}", &v), "153/1234567890123");
		CHECK_STR(expand("%{time_total} %{time_connect} %{time_starttransfer}", &v),
		    "1.234567 0.000999 0.000000");
		CHECK_STR(expand("%{url_effective} %{content_type} [%{redirect_url}]", &v),
		    "http://127.0.0.1:8080/x text/html []");
		CHECK_STR(expand("%{exitcode} %{num_redirects}", &v), "1 2");
	}
	TEST("no response is 000; escapes and %%") {
		struct wo_vals z;

		memset(&z, 0, sizeof z);
		CHECK_STR(expand("%{http_code}\\n", &z), "000\n");
		CHECK_STR(expand("a\\tb\\r\\\\c 100%% %%{http_code}", &z), "a\tb\r\\c 100% %{http_code}");
		/* a backslash before anything else stays */
		CHECK_STR(expand("\\x %", &z), "\\x %");
	}
	TEST("%{stderr} and %{stdout} switch streams") {
		expand("a%{stderr}b%{http_code}%{stdout}c", &v);
		CHECK_STR(out[WO_STDOUT], "ac");
		CHECK_STR(out[WO_STDERR], "b404");
	}
	TEST("a URL longer than the buffer arrives whole") {
		memset(longurl, 'u', sizeof longurl - 1);
		v.url_effective = longurl;
		CHECK_EQ(strlen(expand("<%{url_effective}>", &v)), sizeof longurl + 1);
	}
	TEST("wo_check: known names pass, the first unknown one is named") {
		CHECK_EQ(wo_check("%{http_code} %{stderr}%{time_total}\\n", &bad, &nbad), 0);
		CHECK_EQ(wo_check("100%%{nope}", &bad, &nbad), 0);
		CHECK_EQ(wo_check("%{http_code} %{nope} %{x}", &bad, &nbad), -1);
		CHECK_EQ(nbad, 4);
		CHECK(strncmp(bad, "nope", 4) == 0);
		CHECK_EQ(wo_check("%{http_code", &bad, &nbad), -1);
		/* an unknown name is left out of the output */
		CHECK_STR(expand("[%{nope}]", &v), "[]");
	}
	return tap_done();
}
