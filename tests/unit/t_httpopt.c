/* t_httpopt.c - unit tests of lib/wire/httpopt.c: httpget's command-line checks */
#include <stdio.h>
#include <string.h>

#include "httpopt.h"
#include "tap.h"

int
main(void)
{
	int c[4];

	TEST("methods are RFC 9110 tokens") {
		CHECK_EQ(http_check_method("GET"), 0);
		CHECK_EQ(http_check_method("M-SEARCH"), 0);
		CHECK_EQ(http_check_method("x!#$%&'*+.^_`|~9"), 0);
		CHECK_EQ(http_check_method(""), -1);
		CHECK_EQ(http_check_method("GE T"), -1);
		CHECK_EQ(http_check_method("GET\r\n"), -1);
		CHECK_EQ(http_check_method("G(ET)"), -1);
	}
	TEST("status code lists: 100-599, comma-separated, bounded") {
		CHECK_EQ(http_codes("200", c, 4), 1);
		CHECK_EQ(c[0], 200);
		CHECK_EQ(http_codes("201,204,599", c, 4), 3);
		CHECK_EQ(c[2], 599);
		CHECK_EQ(http_codes("20", c, 4), -1);
		CHECK_EQ(http_codes("2000", c, 4), -1);
		CHECK_EQ(http_codes("099", c, 4), -1);
		CHECK_EQ(http_codes("600", c, 4), -1);
		CHECK_EQ(http_codes("200,", c, 4), -1);
		CHECK_EQ(http_codes(",200", c, 4), -1);
		CHECK_EQ(http_codes("", c, 4), -1);
		CHECK_EQ(http_codes("200,201,202,203,204", c, 4), -1);
	}
	TEST("--expect's codes, or 2xx and 3xx") {
		static const int want[] = { 404, 204 };

		CHECK_EQ(http_code_in(200, want, 0), 1);
		CHECK_EQ(http_code_in(399, want, 0), 1);
		CHECK_EQ(http_code_in(199, want, 0), 0);
		CHECK_EQ(http_code_in(400, want, 0), 0);
		CHECK_EQ(http_code_in(404, want, 2), 1);
		CHECK_EQ(http_code_in(200, want, 2), 0);
	}
	TEST("a -H field by name, any case") {
		static const char *const h[] = { "X-A: 1", "rAnGe: bytes=0-", "Referer" };

		CHECK_EQ(http_has_field(h, 3, "range:"), 1);
		CHECK_EQ(http_has_field(h, 3, "x-a:"), 1);
		CHECK_EQ(http_has_field(h, 3, "referer:"), 0);
		CHECK_EQ(http_has_field(h, 1, "range:"), 0);
		CHECK_EQ(http_has_field(h, 3, "x`a:"), 0);
	}
	TEST("control bytes") {
		CHECK_EQ(http_has_ctl("http://a/b", 0x21), 0);
		CHECK_EQ(http_has_ctl("http://a/ b", 0x21), 1);
		CHECK_EQ(http_has_ctl("a b", 0x20), 0);
		CHECK_EQ(http_has_ctl("a\x7f", 0x20), 1);
		CHECK_EQ(http_has_ctl("a\tb", 0x20), 1);
	}
	return tap_done();
}
