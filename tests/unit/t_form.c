/* t_form.c - unit tests of lib/wire/form.c: curl's request body encodings */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "form.h"

static char out[4096];

static const char *
enc(const char *s)
{
	size_t n = form_urlencode(out, sizeof out - 1, s, strlen(s));

	out[n] = '\0';
	return out;
}

int
main(void)
{
	struct form_field f;
	const char *name, *rest;
	size_t n, need;
	char buf[64];

	TEST("URL encoding as curl's --data-urlencode") {
		CHECK_STR(enc(""), "");
		CHECK_STR(enc("aZ09-._~"), "aZ09-._~");
		CHECK_STR(enc("x y&z"), "x+y%26z");
		CHECK_STR(enc("a=b/c?%+"), "a%3Db%2Fc%3F%25%2B");
		CHECK_STR(enc("\r\n\xff"), "%0D%0A%FF");
		/* snprintf-like: the whole length, only what fits stored */
		memset(buf, 'Q', sizeof buf);
		need = form_urlencode(buf, 4, "a b&", 4);
		CHECK_EQ(need, 6);
		CHECK(memcmp(buf, "a+b%Q", 5) == 0);
	}

	TEST("-d @file loses CR and LF") {
		strcpy(buf, "a\r\nb\nc\r");
		n = form_strip_crlf(buf, strlen(buf));
		CHECK_EQ(n, 3);
		CHECK(memcmp(buf, "abc", 3) == 0);
	}

	TEST("--data-urlencode's five forms") {
		CHECK_EQ(form_du_split("content", &name, &n, &rest), 0);
		CHECK_EQ(n, 0);
		CHECK_STR(rest, "content");
		CHECK_EQ(form_du_split("=a=b", &name, &n, &rest), 0);
		CHECK_EQ(n, 0);
		CHECK_STR(rest, "a=b");
		CHECK_EQ(form_du_split("nm=v@w", &name, &n, &rest), 0);
		CHECK_EQ(n, 2);
		CHECK_STR(rest, "v@w");
		CHECK_EQ(form_du_split("@file", &name, &n, &rest), 1);
		CHECK_EQ(n, 0);
		CHECK_STR(rest, "file");
		CHECK_EQ(form_du_split("nm@fi=le", &name, &n, &rest), 1);
		CHECK_EQ(n, 2);
		CHECK_STR(rest, "fi=le");
	}

	TEST("-F arguments") {
		CHECK_EQ(form_parse_field("a=b;c", &f), 0);
		CHECK(f.nname == 1 && f.nvalue == 3 && !f.file && !f.content);
		CHECK_EQ(form_parse_field("f=@x.txt", &f), 0);
		CHECK(f.file && f.nvalue == 5 && f.type == NULL && f.filename == NULL);
		CHECK_EQ(form_parse_field("f=@x.bin;type=image/png;filename=\"a b\"", &f), 0);
		CHECK(f.file && f.nvalue == 5);
		CHECK(f.ntype == 9 && memcmp(f.type, "image/png", 9) == 0);
		CHECK(f.nfilename == 3 && memcmp(f.filename, "a b", 3) == 0);
		CHECK_EQ(form_parse_field("f=<x", &f), 0);
		CHECK(f.content && !f.file);
		CHECK_EQ(form_parse_field("novalue", &f), -1);
		CHECK_EQ(form_parse_field("=v", &f), -1);
		CHECK_EQ(form_parse_field("f=@", &f), -1);
		CHECK_EQ(form_parse_field("f=@x;bogus=1", &f), -1);
	}

	TEST("types guessed from the extension") {
		CHECK_STR(form_guess_type("a.TXT", 5), "text/plain");
		CHECK_STR(form_guess_type("x.html", 6), "text/html");
		CHECK_STR(form_guess_type("x.jpeg", 6), "image/jpeg");
		CHECK_STR(form_guess_type("x", 1), "application/octet-stream");
	}

	TEST("multipart heads and close (RFC 7578)") {
		n = form_part_head(out, sizeof out, "BB", 1, "a", 1, NULL, 0, NULL, 0);
		out[n] = '\0';
		CHECK_STR(out, "--BB\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n");
		n = form_part_head(out, sizeof out, "BB", 0, "q\"\r\n", 4, "f.txt", 5,
		    "text/plain", 10);
		out[n] = '\0';
		CHECK_STR(out, "\r\n--BB\r\nContent-Disposition: form-data; name=\"q%22%0D%0A\"; "
		    "filename=\"f.txt\"\r\nContent-Type: text/plain\r\n\r\n");
		n = form_close(out, sizeof out, "BB", 0);
		out[n] = '\0';
		CHECK_STR(out, "\r\n--BB--\r\n");
		n = form_close(out, sizeof out, "BB", 1);
		out[n] = '\0';
		CHECK_STR(out, "--BB--\r\n");
	}

	TEST("a boundary inside a part") {
		CHECK_EQ(form_boundary_in("xx--BBy", 7, "BB"), 1);
		CHECK_EQ(form_boundary_in("xx-BBy", 6, "BB"), 0);
		CHECK_EQ(form_boundary_in("--B", 3, "BB"), 0);
		CHECK_EQ(form_boundary_in("--BB", 4, "BB"), 1);
	}
	return tap_done();
}
