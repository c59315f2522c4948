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
	TEST("control bytes") {
		CHECK_EQ(http_has_ctl("http://a/b", 0x21), 0);
		CHECK_EQ(http_has_ctl("http://a/ b", 0x21), 1);
		CHECK_EQ(http_has_ctl("a b", 0x20), 0);
		CHECK_EQ(http_has_ctl("a\x7f", 0x20), 1);
		CHECK_EQ(http_has_ctl("a\tb", 0x20), 1);
	}
	return tap_done();
}
