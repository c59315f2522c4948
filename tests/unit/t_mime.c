/* t_mime.c - unit tests of lib/wire/mime.c: base64, quoted-printable, RFC 2047 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "mime.h"

static char out[8192];

static const char *
b64(const char *s, unsigned linelen)
{
	size_t n = b64_encode((uint8_t *)out, sizeof out - 1, s, strlen(s), linelen);

	out[n] = '\0';
	return out;
}

static int
unb64(const char *s, size_t *len)
{
	return b64_decode((uint8_t *)out, sizeof out, s, strlen(s), len);
}

static const char *
qpe(const char *s)
{
	size_t n = qp_encode((uint8_t *)out, sizeof out - 1, s, strlen(s));

	out[n] = '\0';
	return out;
}

static const char *
qpd(const char *s, int q)
{
	size_t n = qp_decode((uint8_t *)out, sizeof out - 1, s, strlen(s), q);

	out[n] = '\0';
	return out;
}

static const char *
words(const char *s)
{
	mime_decode_words(out, sizeof out, s, strlen(s));
	return out;
}

int
main(void)
{
	TEST("base64 RFC 4648 section 10 vectors") {
		CHECK_STR(b64("", 0), "");
		CHECK_STR(b64("f", 0), "Zg==");
		CHECK_STR(b64("fo", 0), "Zm8=");
		CHECK_STR(b64("foo", 0), "Zm9v");
		CHECK_STR(b64("foob", 0), "Zm9vYg==");
		CHECK_STR(b64("fooba", 0), "Zm9vYmE=");
		CHECK_STR(b64("foobar", 0), "Zm9vYmFy");
		CHECK_EQ(b64_len(0), 0);
		CHECK_EQ(b64_len(4), 8);
	}
	TEST("base64 decodes the vectors back") {
		static const char *v[][2] = {
			{ "", "" }, { "Zg==", "f" }, { "Zm8=", "fo" }, { "Zm9v", "foo" },
			{ "Zm9vYg==", "foob" }, { "Zm9vYmE=", "fooba" }, { "Zm9vYmFy", "foobar" },
		};
		size_t len, i;

		for (i = 0; i < sizeof v / sizeof v[0]; i++) {
			CHECK_EQ(unb64(v[i][0], &len), MIME_OK);
			CHECK_EQ(len, strlen(v[i][1]));
			CHECK_MEM(out, v[i][1], len);
		}
	}
	TEST("base64 MIME lines are 76 characters with CRLF, last line included") {
		char in[100];
		const char *e;

		memset(in, 'x', sizeof in);
		in[99] = '\0';
		e = b64(in, 76);
		CHECK_EQ(strlen(e), 76 + 2 + 56 + 2);
		CHECK(e[76] == '\r' && e[77] == '\n');
		CHECK(e[134] == '\r' && e[135] == '\n');
		/* exactly one full line */
		in[57] = '\0';
		CHECK_EQ(strlen(b64(in, 76)), 78);
		/* and the decoder skips the line breaks */
		{
			char enc[200];
			size_t len;

			memset(in, 'x', 99);
			in[99] = '\0';
			snprintf(enc, sizeof enc, "%s", b64(in, 76));
			CHECK_EQ(b64_decode((uint8_t *)out, sizeof out, enc, strlen(enc), &len), MIME_OK);
			CHECK_EQ(len, 99);
			CHECK_MEM(out, in, 99);
		}
	}
	TEST("base64 round trip of every byte value") {
		uint8_t all[256], enc[400], dec[300];
		size_t n, len;
		int i;

		for (i = 0; i < 256; i++)
			all[i] = (uint8_t)i;
		for (i = 0; i <= 256; i += 37) {
			n = b64_encode(enc, sizeof enc, all, (size_t)i, 76);
			CHECK(n <= sizeof enc);
			CHECK_EQ(b64_decode(dec, sizeof dec, enc, n, &len), MIME_OK);
			CHECK_EQ(len, (size_t)i);
			CHECK_MEM(dec, all, (size_t)i);
		}
	}
	TEST("base64 decoder errors are typed") {
		size_t len;

		CHECK_EQ(unb64("Zm9v!", &len), MIME_EBADCHAR);
		CHECK_EQ(unb64("Zm9", &len), MIME_ETRUNC);
		CHECK_EQ(unb64("Z===", &len), MIME_EPAD);
		CHECK_EQ(unb64("=Zm9", &len), MIME_EPAD);
		CHECK_EQ(unb64("Zm=v", &len), MIME_EPAD);
		CHECK_EQ(unb64("Zg==Zg==", &len), MIME_EPAD);
		CHECK_EQ(unb64("Zg==  \r\n", &len), MIME_OK);
		CHECK_EQ(len, 1);
		CHECK_EQ(b64_decode((uint8_t *)out, 2, "Zm9v", 4, &len), MIME_ESPACE);
		CHECK_EQ(b64_decode((uint8_t *)out, 0, "Zg==", 4, &len), MIME_ESPACE);
		CHECK(strcmp(mime_strerror(MIME_EPAD), "misplaced padding") == 0);
	}
	TEST("base64 measures with a zero capacity") {
		CHECK_EQ(b64_encode(NULL, 0, "foobar", 6, 0), 8);
		CHECK_EQ(b64_encode(NULL, 0, "foobar", 6, 76), 10);
	}
	TEST("quoted-printable encodes =, 8-bit, trailing space, CRLF") {
		CHECK_STR(qpe("a=b"), "a=3Db");
		CHECK_STR(qpe("caf\xc3\xa9\n"), "caf=C3=A9\r\n");
		CHECK_STR(qpe("end \nx"), "end=20\r\nx");
		CHECK_STR(qpe("tab\t\r\n"), "tab=09\r\n");
		CHECK_STR(qpe("in side"), "in side");
		CHECK_STR(qpe("trail "), "trail=20");
		CHECK_STR(qpe("bare\rcr"), "bare=0Dcr");
	}
	TEST("quoted-printable protects leading dots and From_ lines") {
		CHECK_STR(qpe(".\n"), "=2E\r\n");
		CHECK_STR(qpe("a\n.b\n"), "a\r\n=2Eb\r\n");
		CHECK_STR(qpe("From me\n"), "=46rom me\r\n");
		CHECK_STR(qpe("Fromage\n"), "Fromage\r\n");
	}
	TEST("quoted-printable soft breaks keep lines within 76") {
		char in[300];
		const char *e, *p, *nl;
		int lines = 0;

		memset(in, 'a', 200);
		in[200] = '\0';
		e = qpe(in);
		for (p = e; *p; p = nl + 2) {
			nl = strstr(p, "\r\n");
			if (nl == NULL) {
				CHECK(strlen(p) <= 76);
				break;
			}
			CHECK(nl - p <= 76);
			CHECK(nl[-1] == '=');
			lines++;
		}
		CHECK_EQ(lines, 2);
		/* 8-bit bytes are never split over a soft break */
		memset(in, 0xe9, 100);
		in[100] = '\0';
		e = qpe(in);
		for (p = e; (nl = strstr(p, "\r\n")) != NULL; p = nl + 2) {
			CHECK(nl - p <= 76);
			CHECK((nl - p - 1) % 3 == 0);
		}
		CHECK_STR(qpd(e, 0), in);
		/* exactly 76 on the last line needs no soft break */
		memset(in, 'b', 76);
		in[76] = '\0';
		CHECK_STR(qpe(in), in);
	}
	TEST("quoted-printable decodes hex, soft breaks, drops trailing space") {
		CHECK_STR(qpd("caf=C3=a9", 0), "caf\xc3\xa9");
		CHECK_STR(qpd("soft=\r\nbreak", 0), "softbreak");
		CHECK_STR(qpd("soft=  \nbreak", 0), "softbreak");
		CHECK_STR(qpd("line   \r\nnext", 0), "line\r\nnext");
		CHECK_STR(qpd("bad=ZZ =4", 0), "bad=ZZ =4");
		CHECK_STR(qpd("a_b=5F", 1), "a b_");
		CHECK_STR(qpd("a_b", 0), "a_b");
	}
	TEST("quoted-printable round trip of a text with every hazard") {
		static const char t[] = "From here\n.dot\n..\n.\nx = y \ncaf\xc3\xa9\t\nlast";
		char enc[1024];
		size_t n = qp_encode((uint8_t *)enc, sizeof enc - 1, t, strlen(t));

		enc[n] = '\0';
		CHECK(strstr(enc, "\r\n.") == NULL);
		CHECK(strncmp(enc, "From", 4) != 0);
		CHECK_STR(qpd(enc, 0), "From here\r\n.dot\r\n..\r\n.\r\nx = y \r\ncaf\xc3\xa9\t\r\nlast");
	}
	TEST("RFC 2047 words: B and Q, UTF-8 and latin1") {
		CHECK_STR(words("=?UTF-8?B?QXVudCBNYXJ0aGE=?="), "Aunt Martha");
		CHECK_STR(words("Re: =?utf-8?q?Gr=C3=BC=C3=9Fe_aus_Berlin?= !"),
		    "Re: Gr\xc3\xbc\xc3\x9f" "e aus Berlin !");
		CHECK_STR(words("=?ISO-8859-1?Q?Andr=E9?= Pirard"), "Andr\xc3\xa9 Pirard");
		CHECK_STR(words("=?US-ASCII*EN?Q?Keith_Moore?="), "Keith Moore");
	}
	TEST("RFC 2047 6.2: white space between adjacent words goes, other stays") {
		CHECK_STR(words("(=?ISO-8859-1?Q?a?= b)"), "(a b)");
		CHECK_STR(words("=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?="), "ab");
		CHECK_STR(words("=?ISO-8859-1?Q?a?=\r\n  =?ISO-8859-1?Q?b?="), "ab");
		CHECK_STR(words("=?ISO-8859-1?Q?a_b?= =?ISO-8859-2?Q?_b?="), "a b =?ISO-8859-2?Q?_b?=");
	}
	TEST("RFC 2047 malformed words are left as they are") {
		CHECK_STR(words("=?UTF-8?B?!!!!?="), "=?UTF-8?B?!!!!?=");
		CHECK_STR(words("=?UTF-8?X?abc?="), "=?UTF-8?X?abc?=");
		CHECK_STR(words("=?UTF-8?Q?no end"), "=?UTF-8?Q?no end");
		CHECK_STR(words("=?koi8-r?B?8NLJ18XU?="), "=?koi8-r?B?8NLJ18XU?=");
		CHECK_STR(words("=??Q?x?="), "=??Q?x?=");
		CHECK_STR(words("plain\r\n folded"), "plain folded");
	}
	TEST("RFC 2047 decoder truncates safely and reports the length wanted") {
		char small[5];
		size_t n = mime_decode_words(small, sizeof small, "=?UTF-8?B?QXVudCBNYXJ0aGE=?=", 28);

		CHECK_EQ(n, 11);
		CHECK_STR(small, "Aunt");
		CHECK_EQ(mime_decode_words(NULL, 0, "abc", 3), 3);
	}
	TEST("RFC 2047 encoder: ASCII passes, UTF-8 becomes folded B words") {
		char enc[512], dec[512];
		static const char s[] = "Alles Gute zum Geburtstag, Tante Martha! \xf0\x9f\x8e\x82\xf0\x9f\x8e\x82 "
		    "\xc3\xa4\xc3\xb6\xc3\xbc\xc3\xa4\xc3\xb6\xc3\xbc";
		size_t n;
		const char *p, *nl;

		n = mime_encode_words(enc, sizeof enc, "Happy birthday", 14, 9);
		CHECK_EQ(n, 14);
		n = mime_encode_words(enc, sizeof enc - 1, s, strlen(s), 9);
		enc[n] = '\0';
		CHECK(strncmp(enc, "=?UTF-8?B?", 10) == 0);
		for (p = enc; (nl = strstr(p, "\r\n ")) != NULL; p = nl + 3)
			CHECK(nl - p <= 75);
		CHECK(strlen(p) <= 75);
		mime_decode_words(dec, sizeof dec, enc, n);
		CHECK_STR(dec, s);
		/* "=?" in plain text is encoded so it cannot be misread */
		n = mime_encode_words(enc, sizeof enc - 1, "a =?x", 5, 9);
		enc[n] = '\0';
		CHECK(strncmp(enc, "=?UTF-8?B?", 10) == 0);
	}
	return tap_done();
}
