/*
 * t_httpsess.c - unit tests of the rules in lib/session/httpsess.c: the
 * resume check of a response to a Range request (HTTP-24), where a
 * redirect goes and with what method (HTTP-17/18/19), origins, and the
 * validator's file name (HTTP-26).
 */
#include <stdio.h>
#include <string.h>

#include "http.h"
#include "httpsess.h"
#include "tap.h"
#include "tubes.h"
#include "url.h"

static struct http_head hd;
static struct http_framing fr;
static char why[512];

/* a response head from text; its framing for a GET */
static int
head(const char *text)
{
	size_t used;
	int r;

	http_head_init(&hd);
	r = http_head_feed(&hd, text, strlen(text), &used);
	if (r != HTTP_DONE)
		return -1;
	return http_framing(&hd, 0, &fr);
}

int
main(void)
{
	struct hs_range rg;
	struct url a, b, n;
	const char *w, *method;
	char next[URL_MAX];
	int send_body;

	TEST("resume: a 206 at the .part's end, lengths agreeing: the body, checked after") {
		CHECK_EQ(head("HTTP/1.1 206 Partial\r\nContent-Range: bytes 5-9/10\r\n"
		    "Content-Length: 5\r\n\r\n"), 0);
		CHECK_EQ(hs_resume(&hd, &fr, 5, 1, 0, &rg, why, sizeof why), HS_BODY);
		CHECK_EQ(rg.partial, 1);
		CHECK_EQ(rg.first, 5);
		CHECK_EQ(rg.len, 5);
		CHECK_EQ(rg.total, 10);
		CHECK_EQ(hs_range_done(&rg, 5, why, sizeof why), 0);
		CHECK_EQ(hs_range_done(&rg, 4, why, sizeof why), EXIT_NET);
		CHECK_STR(why, "206 body of 4 bytes for a range of 5");
	}
	TEST("resume: a 206 elsewhere, or with a Content-Length that disagrees, is refused") {
		CHECK_EQ(head("HTTP/1.1 206 P\r\nContent-Range: bytes 4-9/10\r\n"
		    "Content-Length: 6\r\n\r\n"), 0);
		CHECK_EQ(hs_resume(&hd, &fr, 5, 1, 0, &rg, why, sizeof why), HS_REFUSE);
		CHECK_STR(why, "206 response does not resume at byte 5");
		CHECK_EQ(head("HTTP/1.1 206 P\r\nContent-Range: bytes 5-9/10\r\n"
		    "Content-Length: 4\r\n\r\n"), 0);
		CHECK_EQ(hs_resume(&hd, &fr, 5, 1, 0, &rg, why, sizeof why), HS_REFUSE);
		CHECK_STR(why, "206 with Content-Length 4 for bytes 5-9");
		CHECK_EQ(head("HTTP/1.1 206 P\r\nContent-Length: 5\r\n\r\n"), 0);
		CHECK_EQ(hs_resume(&hd, &fr, 5, 1, 0, &rg, why, sizeof why), HS_REFUSE);
	}
	TEST("resume: a sub-range short of the total is not the file") {
		CHECK_EQ(head("HTTP/1.1 206 P\r\nContent-Range: bytes 5-9/20\r\n"
		    "Content-Length: 5\r\n\r\n"), 0);
		CHECK_EQ(hs_resume(&hd, &fr, 5, 0, 0, &rg, why, sizeof why), HS_BODY);
		CHECK_EQ(hs_range_done(&rg, 5, why, sizeof why), EXIT_NET);
		CHECK_STR(why, "206 gave bytes 5-9 of 20: the file is not complete");
		CHECK_EQ(head("HTTP/1.1 206 P\r\nContent-Range: bytes 5-9/*\r\n"
		    "Content-Length: 5\r\n\r\n"), 0);
		CHECK_EQ(hs_resume(&hd, &fr, 5, 0, 0, &rg, why, sizeof why), HS_BODY);
		CHECK_EQ(hs_range_done(&rg, 5, why, sizeof why), 0);
	}
	TEST("resume: a 206 to a request without Range, unless the user asked a range") {
		CHECK_EQ(head("HTTP/1.1 206 P\r\nContent-Range: bytes 0-4/10\r\n"
		    "Content-Length: 5\r\n\r\n"), 0);
		CHECK_EQ(hs_resume(&hd, &fr, 0, 0, 0, &rg, why, sizeof why), HS_REFUSE);
		CHECK_STR(why, "206 Partial Content to a request for the whole body");
		CHECK_EQ(hs_resume(&hd, &fr, 0, 0, 1, &rg, why, sizeof why), HS_BODY);
		CHECK_EQ(rg.partial, 0);
	}
	TEST("resume: 200 restarts; 416 at the .part's size with If-Range: complete") {
		CHECK_EQ(head("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"), 0);
		CHECK_EQ(hs_resume(&hd, &fr, 5, 1, 0, &rg, why, sizeof why), HS_RESTART);
		CHECK_EQ(hs_resume(&hd, &fr, 0, 0, 0, &rg, why, sizeof why), HS_BODY);
		CHECK_EQ(head("HTTP/1.1 416 R\r\nContent-Range: bytes */5\r\n"
		    "Content-Length: 0\r\n\r\n"), 0);
		CHECK_EQ(hs_resume(&hd, &fr, 5, 1, 0, &rg, why, sizeof why), HS_ALREADY);
		CHECK_EQ(hs_resume(&hd, &fr, 5, 0, 0, &rg, why, sizeof why), HS_KEEP);
		CHECK_EQ(hs_resume(&hd, &fr, 4, 1, 0, &rg, why, sizeof why), HS_KEEP);
	}
	TEST("redirect: relative Location, 303 turns POST into GET, user info dropped") {
		CHECK_EQ(head("HTTP/1.1 303 See\r\nLocation: ../b?x=1\r\n"
		    "Content-Length: 0\r\n\r\n"), 0);
		method = "POST";
		send_body = 1;
		CHECK_EQ(hs_redirect("http://h/a/c", &hd, 0, &n, next, sizeof next, &method,
		    &send_body, why, sizeof why), 0);
		CHECK_STR(next, "http://h/b?x=1");
		CHECK_STR(method, "GET");
		CHECK_EQ(send_body, 0);
		CHECK_EQ(head("HTTP/1.1 307 T\r\nLocation: http://u:p@o:81/\r\n"
		    "Content-Length: 0\r\n\r\n"), 0);
		method = "POST";
		send_body = 1;
		CHECK_EQ(hs_redirect("http://h/", &hd, 0, &n, next, sizeof next, &method,
		    &send_body, why, sizeof why), 0);
		CHECK_STR(method, "POST");
		CHECK_EQ(send_body, 1);
		CHECK_EQ(n.has_user, 0);
		CHECK_STR(n.user, "");
		CHECK_STR(n.pass, "");
		CHECK_EQ(n.port, 81);
	}
	TEST("redirect: 302 keeps HEAD and turns POST into GET") {
		CHECK_EQ(head("HTTP/1.1 302 F\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n"), 0);
		method = "HEAD";
		CHECK_EQ(hs_redirect("http://h/", &hd, 0, &n, next, sizeof next, &method,
		    &send_body, why, sizeof why), 0);
		CHECK_STR(method, "HEAD");
		method = "POST";
		CHECK_EQ(hs_redirect("http://h/", &hd, 0, &n, next, sizeof next, &method,
		    &send_body, why, sizeof why), 0);
		CHECK_STR(method, "GET");
	}
	TEST("redirect: ftp:// refused (exit 1); to https:// followed; from https:// to http:// only when asked; junk exit 3") {
		static struct hs_conf conf;

		CHECK_EQ(head("HTTP/1.1 301 M\r\nLocation: ftp://h/x\r\nContent-Length: 0\r\n\r\n"),
		    0);
		method = "GET";
		CHECK_EQ(hs_redirect("http://h/", &hd, 0, &n, next, sizeof next, &method,
		    &send_body, why, sizeof why), EXIT_NO);
		CHECK(strstr(why, "redirect to ftp://h/x refused") != NULL);
		CHECK_EQ(head("HTTP/1.1 301 M\r\nLocation: https://h/x\r\nContent-Length: 0\r\n\r\n"),
		    0);
		CHECK_EQ(hs_redirect("http://h/", &hd, 0, &n, next, sizeof next, &method,
		    &send_body, why, sizeof why), 0);
		CHECK_STR(next, "https://h/x");
		CHECK_EQ(head("HTTP/1.1 302 M\r\nLocation: http://h/y\r\nContent-Length: 0\r\n\r\n"),
		    0);
		CHECK_EQ(hs_redirect("https://h/x", &hd, 0, &n, next, sizeof next, &method,
		    &send_body, why, sizeof why), EXIT_NO);
		CHECK(strstr(why, "redirect from https:// to http://h/y refused (--redirect-to-http") != NULL);
		conf.downgrade = 1;
		hs_init(&conf);
		CHECK_EQ(hs_redirect("https://h/x", &hd, 0, &n, next, sizeof next, &method,
		    &send_body, why, sizeof why), 0);
		CHECK_STR(next, "http://h/y");
		conf.downgrade = 0;
		CHECK_EQ(hs_redirect("https://h/x", &hd, 0, &n, next, sizeof next, &method,
		    &send_body, why, sizeof why), EXIT_NO);
		CHECK_EQ(head("HTTP/1.1 301 M\r\nLocation: http://[::1/\r\nContent-Length: 0\r\n\r\n"),
		    0);
		CHECK_EQ(hs_redirect("http://h/", &hd, 0, &n, next, sizeof next, &method,
		    &send_body, why, sizeof why), EXIT_NET);
		CHECK(strncmp(why, "bad Location \"http://[::1/\"", 27) == 0);
	}
	TEST("origins: scheme, host and port; redirects; schemes") {
		CHECK_EQ(url_parse("http://Example.TEST/a", &a, &w), URL_OK);
		CHECK_EQ(url_parse("http://example.test:80/b", &b, &w), URL_OK);
		CHECK_EQ(hs_same_origin(&a, &b), 1);
		CHECK_EQ(url_parse("https://example.test:80/b", &b, &w), URL_OK);
		CHECK_EQ(hs_same_origin(&a, &b), 0);
		CHECK_EQ(url_parse("http://example.test:81/b", &b, &w), URL_OK);
		CHECK_EQ(hs_same_origin(&a, &b), 0);
		CHECK_EQ(hs_is_redirect(301) + hs_is_redirect(302) + hs_is_redirect(303) +
		    hs_is_redirect(307) + hs_is_redirect(308), 5);
		CHECK_EQ(hs_is_redirect(300) + hs_is_redirect(304) + hs_is_redirect(200), 0);
		CHECK(hs_scheme_refusal(&a, 0) == NULL);
	}
	TEST("the validator's file: .part-.part-NAME beside the .part") {
		char m[64];

		CHECK_EQ(hs_meta_name(".part-x", m, sizeof m), 0);
		CHECK_STR(m, ".part-.part-x");
		CHECK_EQ(hs_meta_name("d/e/.part-x", m, sizeof m), 0);
		CHECK_STR(m, "d/e/.part-.part-x");
		CHECK_EQ(hs_meta_name(".part-x", m, 10), -1);
	}
	return tap_done();
}
