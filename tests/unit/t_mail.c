/* t_mail.c - unit tests of lib/wire/mail.c and lib/wire/smtp.c: headers, addresses, dates, building, DATA encoding */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "tubes.h"
#include "mail.h"
#include "mime.h"
#include "smtp.h"

static uint8_t buf[65536];

#define S(x) (const uint8_t *)(x), strlen(x)

/* data_encode into buf, NUL-terminated; returns the error */
static int
enc(const char *m, size_t *line)
{
	size_t n;
	int r = data_encode(buf, sizeof buf - 1, S(m), &n, line);

	buf[r == DATA_OK ? n : 0] = '\0';
	return r;
}

int
main(void)
{
	TEST("SMTP-05 dot-stuffing: leading dots doubled, first line included") {
		size_t line;

		CHECK_EQ(enc(".first\nmid.dle\n..two\n.\nend\n", &line), DATA_OK);
		CHECK_STR((char *)buf, "..first\r\nmid.dle\r\n...two\r\n..\r\nend\r\n.\r\n");
	}
	TEST("SMTP-05 a body without a final line end gets CRLF before the terminator") {
		size_t line;

		CHECK_EQ(enc("no final newline", &line), DATA_OK);
		CHECK_STR((char *)buf, "no final newline\r\n.\r\n");
		CHECK_EQ(enc(".", &line), DATA_OK);
		CHECK_STR((char *)buf, "..\r\n.\r\n");
		CHECK_EQ(enc("", &line), DATA_OK);
		CHECK_STR((char *)buf, ".\r\n");
	}
	TEST("SMTP-06 bare LF becomes CRLF; never \\n.\\n on the wire") {
		size_t line;

		CHECK_EQ(enc("a\n.\nb\r\n.\r\nc\n", &line), DATA_OK);
		CHECK_STR((char *)buf, "a\r\n..\r\nb\r\n..\r\nc\r\n.\r\n");
		CHECK(strstr((char *)buf, "\n.\n") == NULL);
	}
	TEST("SMTP-06 a bare CR is refused with its line (CVE-2023-51764 class)") {
		size_t line;

		CHECK_EQ(enc("ok\nsmuggle\r.\r\nMAIL FROM:<x>\r\n", &line), DATA_EBARECR);
		CHECK_EQ(line, 2);
		CHECK_EQ(enc("end with cr\r", &line), DATA_EBARECR);
		CHECK_EQ(line, 1);
		CHECK_EQ(enc("x\n\r\n.\r\n", &line), DATA_OK);
		CHECK_EQ(enc("nul\n\0", &line), DATA_OK);	/* strlen stops at NUL */
		{
			static const uint8_t z[] = { 'a', '\n', 'b', 0, 'c', '\n' };
			size_t n;

			CHECK_EQ(data_encode(buf, sizeof buf, z, sizeof z, &n, &line), DATA_ENUL);
			CHECK_EQ(line, 2);
		}
	}
	TEST("SMTP-06 1000-octet line limit, counted on the wire") {
		static char m[1200];
		size_t line;

		memset(m, 'x', 998);
		m[998] = '\0';
		CHECK_EQ(enc(m, &line), DATA_OK);
		m[998] = 'x';
		m[999] = '\0';
		CHECK_EQ(enc(m, &line), DATA_ELONG);
		m[0] = '.';
		m[998] = '\0';	/* 998 + the stuffed dot */
		CHECK_EQ(enc(m, &line), DATA_ELONG);
		CHECK_STR(data_strerror(DATA_ELONG), "a line longer than 998 octets");
	}
	TEST("DATA encoding measures with a zero capacity") {
		size_t n, line;

		CHECK_EQ(data_encode(NULL, 0, S(".a\nb"), &n, &line), DATA_OK);
		CHECK_EQ(n, strlen("..a\r\nb\r\n.\r\n"));
	}
	TEST("DATA decode inverts encode; strict on the terminator") {
		static const char *msgs[] = { "", "a", ".\n", "..\n.x\n", "l1\r\nl2\n\n\n.",
			"From x\n>From y\n" };
		size_t i, n, line, d;
		uint8_t w[256], back[256];

		for (i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
			CHECK_EQ(data_encode(w, sizeof w, S(msgs[i]), &n, &line), DATA_OK);
			CHECK_EQ(data_decode(back, sizeof back, w, n, &d), DATA_OK);
			/* what comes back is the CRLF form of the message */
			CHECK_EQ(data_encode(buf, sizeof buf, back, d, &line, &line), DATA_OK);
		}
		CHECK_EQ(data_decode(back, sizeof back, S("a\r\n..b\r\n.\r\n"), &d), DATA_OK);
		CHECK_EQ(d, 7);
		CHECK_MEM(back, "a\r\n.b\r\n", 7);
		CHECK_EQ(data_decode(back, sizeof back, S("a\r\n"), &d), DATA_ENOEND);
		CHECK_EQ(data_decode(back, sizeof back, S("a\n.\n"), &d), DATA_ELF);
		CHECK_EQ(data_decode(back, sizeof back, S("a\r\n.\r\nMAIL"), &d), DATA_ETRAIL);
		CHECK_EQ(data_decode(back, sizeof back, S("a\rb\r\n.\r\n"), &d), DATA_EBARECR);
	}
	TEST("header block detection") {
		size_t h, b;

		CHECK_EQ(mail_split(S("Subject: hi\nTo: a@b\n\nbody\n"), &h, &b), 1);
		CHECK_EQ(h, 20);
		CHECK_EQ(b, 21);
		CHECK_EQ(mail_split(S("Subject: hi\r\n folded\r\n\r\nbody"), &h, &b), 1);
		CHECK_EQ(h, 22);
		CHECK_EQ(b, 24);
		CHECK_EQ(mail_split(S("Subject: only a header\n"), &h, &b), 1);
		CHECK_EQ(h, 23);
		CHECK_EQ(b, 23);
		CHECK_EQ(mail_split(S("Dear Martha,\nhappy birthday\n"), &h, &b), 0);
		CHECK_EQ(mail_split(S("Hi: there\nthis is text\n\n"), &h, &b), 0);
		CHECK_EQ(mail_split(S("\nSubject: x\n"), &h, &b), 0);
		CHECK_EQ(mail_split(S(" folded: x\n\n"), &h, &b), 0);
		CHECK_EQ(mail_split(S("Bad Name: x\n\n"), &h, &b), 0);
		CHECK_EQ(mail_split(S(""), &h, &b), 0);
	}
	TEST("header fields: iteration, folding, lookup") {
		static const char m[] = "From: a@b\r\nSubject: one\r\n two\r\nto: c@d\r\n";
		struct mail_field f;
		size_t pos = 0;
		int n = 0;

		while (mail_field_next(S(m), &pos, &f))
			n++;
		CHECK_EQ(n, 3);
		CHECK_EQ(mail_field_find(S(m), "SUBJECT", &f), 1);
		CHECK_EQ(f.valuelen, strlen(" one\r\n two"));
		CHECK_MEM(f.value, " one\r\n two", f.valuelen);
		CHECK_EQ(f.len, strlen("Subject: one\r\n two\r\n"));
		CHECK_EQ(mail_field_find(S(m), "To", &f), 1);
		CHECK_EQ(f.valuelen, 4);
		CHECK_EQ(mail_field_find(S(m), "Cc", &f), 0);
	}
	TEST("SMTP-07 header values and names from the command line") {
		CHECK(mail_value_ok("Happy birthday, Aunt Martha"));
		CHECK(!mail_value_ok("hi\r\nBcc: victim@x"));
		CHECK(!mail_value_ok("hi\nX: y"));
		CHECK(mail_name_ok("X-Mailer", 8));
		CHECK(!mail_name_ok("X Mailer", 8));
		CHECK(!mail_name_ok("X:", 2));
		CHECK(!mail_name_ok("", 0));
	}
	TEST("SMTP-07 envelope addresses: CR/LF/NUL, <, >, spaces refused") {
		CHECK_EQ(smtp_addr_ok("martha@kindoldaunts.test", 0), 0);
		CHECK_EQ(smtp_addr_ok("\"john doe\"@x.test", 0), 0);
		CHECK_EQ(smtp_addr_ok("postmaster", 0), 0);
		CHECK_EQ(smtp_addr_ok("", 1), 0);
		CHECK_EQ(smtp_addr_ok("", 0), -1);
		CHECK_EQ(smtp_addr_ok("a@b>\r\nRCPT TO:<evil@x", 0), -1);
		CHECK_EQ(smtp_addr_ok("a@b\n", 0), -1);
		CHECK_EQ(smtp_addr_ok("<a@b>", 0), -1);
		CHECK_EQ(smtp_addr_ok("a b@c", 0), -1);
		CHECK_EQ(smtp_addr_ok("a@b SIZE=1", 0), -1);
		CHECK_EQ(smtp_addr_ok("@b", 0), -1);
		CHECK_EQ(smtp_addr_ok("a@", 0), -1);
		CHECK_EQ(smtp_addr_ok("\"open@x", 0), -1);
		CHECK_STR(smtp_addr_domain("Martha@KindOldAunts.test"), "KindOldAunts.test");
		CHECK_STR(smtp_addr_domain("\"a@b\"@c.test"), "c.test");
		CHECK(smtp_addr_domain("postmaster") == NULL);
	}
	TEST("address lists for -t: names, comments, quotes, groups") {
		static const char v[] = " Aunt Martha <martha@kindoldaunts.test>, bob@x.test (Bob),\r\n"
		    " \"Doe, John\" <john@y.test>, friends: ann@z.test, <cy@z.test>;,"
		    " undisclosed-recipients:;, <@route.test:dee@w.test>";
		static const char *want[] = { "martha@kindoldaunts.test", "bob@x.test",
			"john@y.test", "ann@z.test", "cy@z.test", "dee@w.test" };
		char a[256];
		size_t pos = 0, i = 0;
		int r;

		while ((r = mail_addr_next(S(v), &pos, a, sizeof a)) == 1) {
			if (i < 6)
				CHECK_STR(a, want[i]);
			i++;
		}
		CHECK_EQ(r, 0);
		CHECK_EQ(i, 6);
		pos = 0;
		CHECK_EQ(mail_addr_next(S("Martha <unterminated@x"), &pos, a, sizeof a), -1);
		pos = 0;
		CHECK_EQ(mail_addr_next(S("just a phrase"), &pos, a, sizeof a), -1);
		pos = 0;
		CHECK_EQ(mail_addr_next(S("a@verylongdomain.test"), &pos, a, 5), -1);
	}
	TEST("RFC 5322 dates") {
		char d[64];

		mail_date(d, sizeof d, 0);
		CHECK_STR(d, "Thu, 1 Jan 1970 00:00:00 +0000");
		mail_date(d, sizeof d, 1795305600);	/* 2026-11-22 */
		CHECK_STR(d, "Sun, 22 Nov 2026 00:00:00 +0000");
		mail_date(d, sizeof d, 951782400 + 3661);	/* leap day 2000 */
		CHECK_STR(d, "Tue, 29 Feb 2000 01:01:01 +0000");
		mail_date(d, sizeof d, -1);
		CHECK_STR(d, "Wed, 31 Dec 1969 23:59:59 +0000");
		CHECK_EQ(mail_date(d, 4, 0), 30);
		CHECK_STR(d, "Thu");
	}
	TEST("classify: 8-bit, long lines, bare CR, NUL") {
		static char longl[1100];

		CHECK_EQ(mail_classify(S("plain\r\ntext\n")), 0);
		CHECK_EQ(mail_classify(S("caf\xc3\xa9")), MAIL_8BIT);
		CHECK_EQ(mail_classify(S("a\rb")), MAIL_BARECR);
		memset(longl, 'x', 999);
		CHECK_EQ(mail_classify(S(longl)), MAIL_LONG);
	}
	TEST("building a plain message, byte for byte") {
		struct mail_msg m;
		size_t n;
		static const char want[] =
		    "From: me@here.test\r\nTo: martha@kindoldaunts.test\r\n"
		    "Subject: Happy birthday\r\nDate: Sun, 22 Nov 2026 00:00:00 +0000\r\n"
		    "Message-ID: <1@here.test>\r\nX-Extra: yes\r\nMIME-Version: 1.0\r\n"
		    "Content-Type: text/plain; charset=us-ascii\r\n"
		    "Content-Transfer-Encoding: 7bit\r\n\r\nDear Martha,\r\n.all the best\r\n";
		static const char *const extra[] = { "X-Extra: yes" };

		memset(&m, 0, sizeof m);
		m.from = "me@here.test";
		m.to = "martha@kindoldaunts.test";
		m.subject = "Happy birthday";
		m.date = "Sun, 22 Nov 2026 00:00:00 +0000";
		m.msgid = "<1@here.test>";
		m.extra = extra;
		m.nextra = 1;
		m.body = (const uint8_t *)"Dear Martha,\n.all the best";
		m.bodylen = strlen((const char *)m.body);
		n = mail_build(NULL, 0, &m);
		CHECK_EQ(n, strlen(want));
		CHECK_EQ(mail_build(buf, sizeof buf, &m), n);
		CHECK_MEM(buf, want, n);
	}
	TEST("building: UTF-8 subject and body, quoted-printable") {
		struct mail_msg m;
		size_t n;
		char dec[128];
		struct mail_field f;
		size_t h, b;

		memset(&m, 0, sizeof m);
		m.subject = "Gr\xc3\xbc\xc3\x9f" "e";
		m.body = (const uint8_t *)"Gr\xc3\xbc\xc3\x9f" "e!\n";
		m.bodylen = strlen((const char *)m.body);
		m.cte = CTE_QP;
		n = mail_build(buf, sizeof buf - 1, &m);
		buf[n] = '\0';
		CHECK(strstr((char *)buf, "charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nGr=C3=BC=C3=9Fe!\r\n") != NULL);
		CHECK_EQ(mail_split(buf, n, &h, &b), 1);
		CHECK_EQ(mail_field_find(buf, h, "Subject", &f), 1);
		mime_decode_words(dec, sizeof dec, (const char *)f.value, f.valuelen);
		CHECK_STR(dec, " Gr\xc3\xbc\xc3\x9f" "e");
		CHECK_EQ(mail_classify(buf, n) & MAIL_8BIT, 0);
	}
	TEST("building multipart/mixed: the attachment decodes back") {
		struct mail_msg m;
		struct mail_part p[2];
		uint8_t bin[300], dec[400];
		size_t n, i, dl;
		char *s, *e;

		for (i = 0; i < sizeof bin; i++)
			bin[i] = (uint8_t)(i * 7);
		memset(&m, 0, sizeof m);
		m.body = (const uint8_t *)"see attached";
		m.bodylen = 12;
		p[0].name = "photo.bin";
		p[0].type = NULL;
		p[0].data = bin;
		p[0].len = sizeof bin;
		p[1].name = "K\xc3\xa4se \"x\".txt";
		p[1].type = "text/plain";
		p[1].data = (const uint8_t *)"";
		p[1].len = 0;
		m.parts = p;
		m.nparts = 2;
		m.boundary = "=_b0und";
		n = mail_build(buf, sizeof buf - 1, &m);
		buf[n] = '\0';
		CHECK(strstr((char *)buf, "Content-Type: multipart/mixed; boundary=\"=_b0und\"\r\n") != NULL);
		CHECK(strstr((char *)buf, "\r\n--=_b0und\r\nContent-Type: text/plain; charset=us-ascii\r\n") != NULL);
		CHECK(strstr((char *)buf, "filename*=utf-8''K%C3%A4se%20%22x%22.txt") != NULL);
		CHECK(strstr((char *)buf, "\r\n--=_b0und--\r\n") != NULL);
		s = strstr((char *)buf, "filename=\"photo.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
		CHECK(s != NULL);
		if (s) {
			s = strstr(s, "\r\n\r\n") + 4;
			e = strstr(s, "\r\n--");
			CHECK_EQ(b64_decode(dec, sizeof dec, s, (size_t)(e - s), &dl), MIME_OK);
			CHECK_EQ(dl, sizeof bin);
			CHECK_MEM(dec, bin, sizeof bin);
		}
		CHECK_EQ(mail_classify(buf, n), 0);
	}
	TEST("amend: add fields, strip Bcc (folded too), keep the body") {
		static const char m[] = "To: a@b\nBcc: secret@x,\n  other@y\nSubject: s\n\nbody\nBcc: not a header\n";
		static const char *const add[] = { "Date: D", "Message-ID: <m@x>" };
		static const char *const strip[] = { "bcc", NULL };
		size_t n = mail_amend(buf, sizeof buf - 1, S(m), add, 2, strip);

		buf[n] = '\0';
		CHECK_STR((char *)buf, "To: a@b\nSubject: s\nDate: D\r\nMessage-ID: <m@x>\r\n\nbody\nBcc: not a header\n");
		n = mail_amend(buf, sizeof buf - 1, S("Subject: only"), add, 1, NULL);
		buf[n] = '\0';
		CHECK_STR((char *)buf, "Subject: only\r\nDate: D\r\n\r\n");
	}
	TEST("to_qp: 8-bit single part converted, multipart and encoded left") {
		size_t n = mail_to_qp(buf, sizeof buf - 1,
		    S("Subject: s\nContent-Transfer-Encoding: 8bit\n\ncaf\xc3\xa9\n.x\n"));

		buf[n] = '\0';
		CHECK_STR((char *)buf, "Subject: s\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
		    "Content-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9\r\n=2Ex\r\n");
		CHECK_EQ(mail_to_qp(buf, sizeof buf, S("Content-Type: multipart/mixed; b=x\n\n\xff")), 0);
		CHECK_EQ(mail_to_qp(buf, sizeof buf, S("Content-Transfer-Encoding: base64\n\n\xff")), 0);
		CHECK_EQ(mail_to_qp(buf, sizeof buf, S("no header\xff")), 0);
	}
	TEST("mbox: separators, blank line before them, >From unquoting") {
		static const char mb[] = "From a@b Sun Nov 22 00:00:00 2026\nSubject: 1\n\none\n>From here\n\n"
		    "From c@d Sun Nov 22 00:00:01 2026\nSubject: 2\n\ntwo\n";
		size_t pos = 0, off, len, n;
		int k = 0;

		while (mbox_next(S(mb), &pos, &off, &len)) {
			k++;
			if (k == 1) {
				CHECK_EQ(len, strlen("Subject: 1\n\none\n>From here\n"));
				CHECK_MEM(mb + off, "Subject: 1\n", 11);
				n = mbox_unquote(buf, sizeof buf, (const uint8_t *)mb + off, len);
				CHECK_EQ(n, len - 1);
				CHECK_MEM(buf + n - 10, "From here\n", 10);
			} else {
				CHECK_EQ(len, strlen("Subject: 2\n\ntwo\n"));
			}
		}
		CHECK_EQ(k, 2);
		pos = 0;
		CHECK_EQ(mbox_next(S("From a\nSubject: x\n\nbody\nFrom here on, unquoted\n\nFrom b\nSubject: y\n\nz\n"),
		    &pos, &off, &len), 1);
		CHECK_EQ(len, strlen("Subject: x\n\nbody\nFrom here on, unquoted\n"));
		CHECK_EQ(mbox_next(S("From a\nSubject: x\n\nbody\nFrom here on, unquoted\n\nFrom b\nSubject: y\n\nz\n"),
		    &pos, &off, &len), 1);
		CHECK_EQ(len, strlen("Subject: y\n\nz\n"));
		pos = 0;
		CHECK_EQ(mbox_next(S(""), &pos, &off, &len), 0);
		pos = 0;
		CHECK_EQ(mbox_next(S("Subject: no separator\n\nx\n"), &pos, &off, &len), 1);
		CHECK_EQ(off, 0);
	}
	TEST("EHLO keywords: PIPELINING, SIZE, 8BITMIME, AUTH") {
		static const char t[] = "mx.test greets you\nPIPELINING\nsize 10240000\n8bitmime\n"
		    "AUTH PLAIN LOGIN XOAUTH2\nAUTH=LOGIN\nSTARTTLS\nENHANCEDSTATUSCODES";
		struct smtp_ext e;

		smtp_ehlo_parse(t, strlen(t), &e);
		CHECK(e.pipelining);
		CHECK(e.size);
		CHECK_EQ(e.size_max, 10240000);
		CHECK(e.eightbit);
		CHECK(e.starttls);
		CHECK(!e.smtputf8);
		CHECK_EQ(e.auth, SMTP_AUTH_PLAIN | SMTP_AUTH_LOGIN | SMTP_AUTH_OTHER);
		smtp_ehlo_parse("only the name", 13, &e);
		CHECK(!e.pipelining && !e.size && !e.auth);
		smtp_ehlo_parse("x\nSIZE\nPIPELININGX", 18, &e);
		CHECK(e.size);
		CHECK_EQ(e.size_max, 0);
		CHECK(!e.pipelining);
		smtp_ehlo_parse("x\nSIZE 99999999999999999999999", 30, &e);
		CHECK_EQ(e.size_max, 0);
	}
	TEST("enhanced status codes") {
		CHECK_EQ(smtp_enhanced("2.1.5 Ok", 8, 250), 5);
		CHECK_EQ(smtp_enhanced("5.7.1", 5, 550), 5);
		CHECK_EQ(smtp_enhanced("2.1.5 Ok", 8, 550), 0);
		CHECK_EQ(smtp_enhanced("Ok", 2, 250), 0);
		CHECK_EQ(smtp_enhanced("2.0.0queued", 11, 250), 0);
		CHECK_EQ(smtp_enhanced("4.4.2 timeout", 13, 421), 5);
	}
	TEST("queue IDs in end-of-data replies") {
		size_t off = 0;
		static const char a[] = "2.0.0 Ok: queued as 4F2A1";

		CHECK_EQ(smtp_queue_id(a, strlen(a), &off), 5);
		CHECK_EQ(off, 20);
		CHECK_EQ(smtp_queue_id("2.0.0 queued as \nX", 18, &off), 0);
		CHECK_EQ(smtp_queue_id("queued as A1 more", 17, &off), 2);
		CHECK_EQ(smtp_queue_id("Ok", 2, &off), 0);
	}
	return tap_done();
}
