/* t_ftp.c - unit tests of the FTP codecs (lib/wire/ftp.c), named by hostile-peers IDs */
#include <stdio.h>
#include <string.h>

#include "ftp.h"
#include "tap.h"
#include "reply.h"
#include "tubes.h"

#define S(x) x, sizeof(x) - 1

static struct reply R;

/* feed lines separated by \n; returns the last ftp_reply_add result */
static int
feed(const char *text)
{
	const char *p = text, *nl;
	int first = 1, r = 0;

	while (*p) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		r = ftp_reply_add(&R, p, (size_t)(nl - p), first);
		first = 0;
		if (r != 0)
			return r;
		p = *nl ? nl + 1 : nl;
	}
	return r;
}

int
main(void)
{
	TEST("FTP-02 227: six numbers parsed, address and port") {
		uint8_t a[4];
		uint16_t port = 0;

		CHECK_EQ(ftp_parse_227(S("Entering Passive Mode (127,0,0,1,4,210)."), a, &port), 0);
		CHECK_EQ(a[0], 127);
		CHECK_EQ(a[3], 1);
		CHECK_EQ(port, 4 * 256 + 210);
		/* no parentheses (RFC 1123 4.1.2.6: scan for the numbers) */
		CHECK_EQ(ftp_parse_227(S("=10,1,2,3,255,255"), a, &port), 0);
		CHECK_EQ(a[0], 10);
		CHECK_EQ(port, 65535);
	}
	TEST("FTP-02 227: octet over 255, too few numbers, port 0, 4-digit are errors") {
		uint8_t a[4];
		uint16_t port;

		CHECK_EQ(ftp_parse_227(S("Entering Passive Mode (1216,256,0,1,4,210)"), a, &port), FTP_ERANGE);
		CHECK_EQ(ftp_parse_227(S("Entering Passive Mode (127,0,0,256,4,210)"), a, &port), FTP_ERANGE);
		CHECK(ftp_parse_227(S("Entering Passive Mode (127,0,0,1,4)"), a, &port) < 0);
		CHECK(ftp_parse_227(S("Entering Passive Mode"), a, &port) < 0);
		CHECK(ftp_parse_227(S(""), a, &port) < 0);
		CHECK_EQ(ftp_parse_227(S("(127,0,0,1,0,0)"), a, &port), FTP_ERANGE);
		CHECK(ftp_parse_227(S("(127,0,0,1,4,2100)"), a, &port) < 0);
		CHECK(ftp_parse_227(S("(127,0,0,1,,4)"), a, &port) < 0);
	}
	TEST("FTP-03 229: port parsed, other delimiters accepted") {
		uint16_t port = 0;

		CHECK_EQ(ftp_parse_229(S("Entering Extended Passive Mode (|||6446|)"), &port), 0);
		CHECK_EQ(port, 6446);
		CHECK_EQ(ftp_parse_229(S("ok (!!!21!)"), &port), 0);
		CHECK_EQ(port, 21);
	}
	TEST("FTP-03 229: port out of range or wrong delimiters are errors") {
		uint16_t port;

		CHECK_EQ(ftp_parse_229(S("(|||1000000|)"), &port), FTP_ERANGE);
		CHECK_EQ(ftp_parse_229(S("(|||65536|)"), &port), FTP_ERANGE);
		CHECK_EQ(ftp_parse_229(S("(|||0|)"), &port), FTP_ERANGE);
		CHECK_EQ(ftp_parse_229(S("(|!|6446|)"), &port), FTP_EDELIM);
		CHECK_EQ(ftp_parse_229(S("(|||6446!)"), &port), FTP_EDELIM);
		CHECK_EQ(ftp_parse_229(S("(|||6446|"), &port), FTP_EDELIM);
		CHECK_EQ(ftp_parse_229(S("(1116446|)"), &port), FTP_EDELIM);
		CHECK(ftp_parse_229(S("(||||)"), &port) < 0);
		CHECK(ftp_parse_229(S("Entering Extended Passive Mode"), &port) < 0);
		CHECK(ftp_parse_229(S("(|||"), &port) < 0);
	}
	TEST("PORT and EPRT arguments") {
		static const uint8_t a[4] = { 127, 0, 0, 1 };
		char buf[64];

		CHECK_EQ(ftp_build_port(buf, sizeof buf, a, 1234), 20);
		CHECK_STR(buf, "PORT 127,0,0,1,4,210");
		CHECK(ftp_build_eprt(buf, sizeof buf, 2, "::1", 6446) > 0);
		CHECK_STR(buf, "EPRT |2|::1|6446|");
		CHECK(ftp_build_eprt(buf, sizeof buf, 1, "127.0.0.1", 21) > 0);
		CHECK_STR(buf, "EPRT |1|127.0.0.1|21|");
		CHECK_EQ(ftp_build_port(buf, 10, a, 1234), FTP_ETOOLONG);
		CHECK_EQ(ftp_build_eprt(buf, sizeof buf, 3, "::1", 1), FTP_EMALFORMED);
		CHECK_EQ(ftp_build_eprt(buf, sizeof buf, 2, "::1|", 1), FTP_EMALFORMED);
	}
	TEST("FTP-04 multi-line reply ends only at the same code and SP") {
		CHECK_EQ(feed("123-first line\n456 not the end\n  indented text\n123-more\n123 last"), 1);
		CHECK_EQ(R.code, 123);
		CHECK_EQ(R.nlines, 5);
		CHECK_STR(R.text, "first line\n456 not the end\n  indented text\nmore\nlast");
		CHECK_EQ(feed("220 single"), 1);
		CHECK_STR(R.text, "single");
		CHECK_EQ(feed("230"), 1);
		CHECK_EQ(R.code, 230);
		CHECK_EQ(feed("211-Features:\n MLST type*;size*;modify*;\n SIZE\n211 End"), 1);
		CHECK_STR(R.text, "Features:\n MLST type*;size*;modify*;\n SIZE\nEnd");
	}
	TEST("FTP-04 reply: not a reply line, unterminated, over-long") {
		static char big[600];
		int i, r = 0;

		CHECK_EQ(feed("hello"), FTP_ECODE);
		CHECK_EQ(feed("22 short"), FTP_ECODE);
		CHECK_EQ(feed("220x"), FTP_ECODE);
		CHECK_EQ(feed("220-a\n221 other code"), 0);	/* still open */
		memset(big, 'x', sizeof big - 1);
		memcpy(big, "150-", 4);
		r = ftp_reply_add(&R, big, sizeof big - 1, 1);
		for (i = 0; i < 100 && r == 0; i++)
			r = ftp_reply_add(&R, big, sizeof big - 1, 0);
		CHECK_EQ(r, FTP_ETOOLONG);
	}
	TEST("FTP-05 257 quoted path, doubled quotes, unterminated quote") {
		char p[64];

		CHECK_EQ(ftp_parse_257(S("\"/home/ftp\" is the current directory"), p, sizeof p), 0);
		CHECK_STR(p, "/home/ftp");
		CHECK_EQ(ftp_parse_257(S("\"/a \"\"b\"\"\" created"), p, sizeof p), 0);
		CHECK_STR(p, "/a \"b\"");
		CHECK_EQ(ftp_parse_257(S("\"/unterminated"), p, sizeof p), FTP_EQUOTE);
		CHECK_EQ(ftp_parse_257(S("\"/ends with doubled\"\""), p, sizeof p), FTP_EQUOTE);
		CHECK_EQ(ftp_parse_257(S("no quote"), p, sizeof p), FTP_EMALFORMED);
		CHECK_EQ(ftp_parse_257(S("\"/0123456789\""), p, 5), FTP_ETOOLONG);
		CHECK_EQ(ftp_parse_257(S("\"\""), p, sizeof p), 0);
		CHECK_STR(p, "");
	}
	TEST("SIZE and MDTM replies") {
		uint64_t sz = 1;
		int64_t t = 0;

		CHECK_EQ(ftp_parse_size(S("67108864"), &sz), 0);
		CHECK_EQ(sz, 67108864);
		CHECK_EQ(ftp_parse_size(S(" 0 "), &sz), 0);
		CHECK_EQ(sz, 0);
		CHECK_EQ(ftp_parse_size(S("99999999999999999999"), &sz), FTP_ERANGE);
		CHECK_EQ(ftp_parse_size(S("12a"), &sz), FTP_EMALFORMED);
		CHECK_EQ(ftp_parse_size(S("-1"), &sz), FTP_EMALFORMED);
		CHECK_EQ(ftp_parse_size(S(""), &sz), FTP_EMALFORMED);
		CHECK_EQ(ftp_parse_mdtm(S("20240131093015"), &t), 0);
		CHECK_EQ(t, 1706693415);
		CHECK_EQ(ftp_parse_mdtm(S("19700101000000.123"), &t), 0);
		CHECK_EQ(t, 0);
		CHECK_EQ(ftp_parse_mdtm(S("20240229000000"), &t), 0);
		CHECK_EQ(ftp_parse_mdtm(S("20230229000000"), &t), FTP_ERANGE);
		CHECK_EQ(ftp_parse_mdtm(S("20241301000000"), &t), FTP_ERANGE);
		CHECK(ftp_parse_mdtm(S("2024013109301"), &t) < 0);
		CHECK(ftp_parse_mdtm(S("20240131093015."), &t) < 0);
		CHECK(ftp_parse_mdtm(S("2024013109301x"), &t) < 0);
	}
	TEST("FTP-06 150 reply with the size announced") {
		uint64_t sz = 0;

		CHECK_EQ(ftp_parse_150(S("Opening BINARY mode data connection for f (6 bytes)."), &sz), 0);
		CHECK_EQ(sz, 6);
		CHECK_EQ(ftp_parse_150(S("Opening (x) data connection for a (12) (99 bytes)"), &sz), 0);
		CHECK_EQ(sz, 99);
		CHECK(ftp_parse_150(S("Opening data connection"), &sz) < 0);
		CHECK(ftp_parse_150(S("(bytes)"), &sz) < 0);
		CHECK_EQ(ftp_parse_150(S("(99999999999999999999 bytes)"), &sz), FTP_ERANGE);
	}
	TEST("FEAT lists features one per line after a space") {
		static const char f[] = "Features:\n EPRT\n MLST type*;size*;\n SIZE\nEnd";

		CHECK(ftp_feat_has(f, sizeof f - 1, "MLST"));
		CHECK(ftp_feat_has(f, sizeof f - 1, "size"));
		CHECK(!ftp_feat_has(f, sizeof f - 1, "MDTM"));
		CHECK(!ftp_feat_has(f, sizeof f - 1, "Features:"));
		CHECK(!ftp_feat_has(f, sizeof f - 1, "MLS"));
	}
	TEST("LIST: Unix ls -l lines") {
		struct ftp_entry e;
		int64_t now = ftp_epoch(2024, 6, 15, 12, 0, 0);

		CHECK_EQ(ftp_parse_list(S("-rw-r--r--    1 0        0          12345 Jan 31 09:15 hello world.txt"), now, &e), 0);
		CHECK_EQ(e.type, FTP_T_FILE);
		CHECK_EQ(e.size, 12345);
		CHECK_EQ(e.mtime, ftp_epoch(2024, 1, 31, 9, 15, 0));
		CHECK_STR(e.name, "hello world.txt");
		/* a yearless date later in the year than now is last year's */
		CHECK_EQ(ftp_parse_list(S("-rw-r--r--    1 0        0          1 Dec 24 18:00 x"), now, &e), 0);
		CHECK_EQ(e.mtime, ftp_epoch(2023, 12, 24, 18, 0, 0));
		CHECK_EQ(ftp_parse_list(S("drwxr-xr-x    2 ftp      ftp          4096 Mar  3  2021 pub"), now, &e), 0);
		CHECK_EQ(e.type, FTP_T_DIR);
		CHECK_EQ(e.size, -1);
		CHECK_EQ(e.mtime, ftp_epoch(2021, 3, 3, 0, 0, 0));
		CHECK_STR(e.name, "pub");
		CHECK_EQ(ftp_parse_list(S("lrwxrwxrwx 1 0 0 7 Mar 3 2021 latest -> pub/v1"), now, &e), 0);
		CHECK_EQ(e.type, FTP_T_LINK);
		CHECK_STR(e.name, "latest");
		/* no group column */
		CHECK_EQ(ftp_parse_list(S("-rw-r--r-- 1 owner 77 Feb 29 2024 leap"), now, &e), 0);
		CHECK_EQ(e.size, 77);
		CHECK_STR(e.name, "leap");
		/* a group named like a month after a numeric owner */
		CHECK_EQ(ftp_parse_list(S("-rw-r--r-- 1 1000 jan 123 Feb 01 2020 x y"), now, &e), 0);
		CHECK_EQ(e.size, 123);
		CHECK_EQ(e.mtime, ftp_epoch(2020, 2, 1, 0, 0, 0));
		CHECK_STR(e.name, "x y");
		CHECK_EQ(ftp_parse_list(S("total 8"), now, &e), FTP_ESKIP);
		CHECK(ftp_parse_list(S("-rw-r--r-- 1 0 0 12 Foo 31 09:15 x"), now, &e) < 0);
		CHECK(ftp_parse_list(S("-rw-r--r-- 1 0 0 12 Jan 32 09:15 x"), now, &e) < 0);
		CHECK(ftp_parse_list(S("-rw-r--r-- 1 0 0 12 Jan 31 09:15"), now, &e) < 0);
		CHECK(ftp_parse_list(S("garbage"), now, &e) < 0);
		CHECK(ftp_parse_list(S(""), now, &e) < 0);
	}
	TEST("LIST: DOS lines") {
		struct ftp_entry e;

		CHECK_EQ(ftp_parse_list(S("01-31-24  09:15PM       <DIR>          Program Files"), 0, &e), 0);
		CHECK_EQ(e.type, FTP_T_DIR);
		CHECK_EQ(e.mtime, ftp_epoch(2024, 1, 31, 21, 15, 0));
		CHECK_STR(e.name, "Program Files");
		CHECK_EQ(ftp_parse_list(S("12-01-1999  12:05AM                 1024 a.txt"), 0, &e), 0);
		CHECK_EQ(e.type, FTP_T_FILE);
		CHECK_EQ(e.size, 1024);
		CHECK_EQ(e.mtime, ftp_epoch(1999, 12, 1, 0, 5, 0));
		CHECK(ftp_parse_list(S("13-01-24  09:15PM  1 x"), 0, &e) < 0);
		CHECK(ftp_parse_list(S("01-31-24  13:15PM  1 x"), 0, &e) < 0);
		CHECK(ftp_parse_list(S("01-31-24  09:15PM  big x"), 0, &e) < 0);
	}
	TEST("MLSD facts normalised") {
		struct ftp_entry e;

		CHECK_EQ(ftp_parse_mlsd(S("type=file;size=42;modify=20240131093015;perm=r; a b.txt"), &e), 0);
		CHECK_EQ(e.type, FTP_T_FILE);
		CHECK_EQ(e.size, 42);
		CHECK_EQ(e.mtime, 1706693415);
		CHECK_STR(e.name, "a b.txt");
		CHECK_EQ(ftp_parse_mlsd(S("Type=dir;Modify=20240131093015; sub"), &e), 0);
		CHECK_EQ(e.type, FTP_T_DIR);
		CHECK_EQ(e.size, -1);
		CHECK_EQ(ftp_parse_mlsd(S("type=OS.unix=slink:/etc;size=4; l"), &e), 0);
		CHECK_EQ(e.type, FTP_T_LINK);
		CHECK_EQ(ftp_parse_mlsd(S("type=cdir; ."), &e), FTP_ESKIP);
		CHECK_EQ(ftp_parse_mlsd(S("type=pdir; .."), &e), FTP_ESKIP);
		CHECK_EQ(ftp_parse_mlsd(S(" bare"), &e), 0);
		CHECK_EQ(e.type, FTP_T_OTHER);
		CHECK_EQ(ftp_parse_mlsd(S("type=file;size=x; n"), &e), FTP_EMALFORMED);
		CHECK_EQ(ftp_parse_mlsd(S("type=file;modify=2024; n"), &e), FTP_EMALFORMED);
		CHECK_EQ(ftp_parse_mlsd(S("type=file;size=1"), &e), FTP_EMALFORMED);
		CHECK_EQ(ftp_parse_mlsd(S("type=file;"), &e), FTP_EMALFORMED);
		CHECK_EQ(ftp_parse_mlsd(S("=x; n"), &e), FTP_EMALFORMED);
		CHECK_EQ(ftp_parse_mlsd(S("type=file; "), &e), FTP_EMALFORMED);
	}
	TEST("FTP-09 traversal names in LIST and MLSD are refused as local names") {
		static const char *bad[] = { "..", ".", "", "../etc/passwd", "/abs", "a/b",
		    "a\\b", "..\\x", "a\rb", "a\nb", "tab\tname", "del\x7f", "esc\x1b[0m" };
		struct ftp_entry e;
		char out[256];
		size_t i;

		for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
			CHECK_EQ(ftp_safe_name(bad[i], strlen(bad[i]), out, sizeof out), FTP_EUNSAFE);
		CHECK_EQ(ftp_safe_name("a\0b", 3, out, sizeof out), FTP_EUNSAFE);
		CHECK_EQ(ftp_safe_name("ok name.txt", 11, out, sizeof out), 0);
		CHECK_STR(out, "ok name.txt");
		CHECK_EQ(ftp_safe_name("..hidden", 8, out, sizeof out), 0);
		memset(out, 'a', sizeof out);
		CHECK_EQ(ftp_safe_name(out, 256, out, sizeof out), FTP_EUNSAFE);
		/* what the listing parsers hand over, then refused */
		CHECK_EQ(ftp_parse_mlsd(S("type=file;size=1; ../../etc/passwd"), &e), 0);
		CHECK_EQ(ftp_safe_name(e.name, e.namelen, out, sizeof out), FTP_EUNSAFE);
		CHECK_EQ(ftp_parse_list(S("-rw-r--r-- 1 0 0 1 Jan 01 2020 ../x"), 0, &e), 0);
		CHECK_EQ(ftp_safe_name(e.name, e.namelen, out, sizeof out), FTP_EUNSAFE);
		CHECK_EQ(ftp_parse_list("-rw-r--r-- 1 0 0 1 Jan 01 2020 a\0b", 34, 0, &e), FTP_EUNSAFE);
	}
	TEST("FTP-10 CR/LF in user-supplied arguments refused") {
		CHECK(ftp_arg_ok("/pub/file.txt"));
		CHECK(!ftp_arg_ok("/pub/x\r\nDELE y"));
		CHECK(!ftp_arg_ok("user\n"));
		CHECK(!ftp_arg_ok("a\rb"));
	}
	TEST("epoch of civil dates") {
		CHECK_EQ(ftp_epoch(1970, 1, 1, 0, 0, 0), 0);
		CHECK_EQ(ftp_epoch(2000, 3, 1, 0, 0, 0), 951868800);
		CHECK_EQ(ftp_epoch(2038, 1, 19, 3, 14, 8), 2147483648LL);
	}
	TEST("decoders name the fields") {
		char *buf = NULL;
		size_t n = 0;
		FILE *fp = open_memstream(&buf, &n);
		struct layers lv = { fp };

		ftp_decode_cmd(&lv, "PASS secret", 11);
		CHECK_EQ(feed("227 Entering Passive Mode (10,0,0,9,4,210)"), 1);
		ftp_decode_reply(&lv, &R, "227 x\r\n", 7);
		fclose(fp);
		CHECK(strstr(buf, "(masked)") != NULL);
		CHECK(strstr(buf, "secret") == NULL);
		CHECK(strstr(buf, "10.0.0.9") != NULL);
		CHECK(strstr(buf, "= 1234") != NULL);
		free(buf);
	}
	return tap_done();
}
