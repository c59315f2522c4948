/* t_plusopt.c - dig's +options from a table (plusopt.c): flags, +no, groups, values and their errors */
#include <stdint.h>
#include <string.h>

#include "plusopt.h"
#include "tap.h"

static int fa, fb, fc, num, on;
static int64_t us;
static const char *str, *path;
static int *const grp[] = { &fa, &fb, NULL };

static const struct plusopt t[] = {
	{ "all", NULL, PO_ALL, NULL, grp, 0, 0, 0, NULL, "group", NULL },
	{ "cee", "c", PO_FLAG, &fc, NULL, 0, 0, 0, NULL, "flag", NULL },
	{ "tries=", NULL, PO_NUM, &num, NULL, 1, 100, 0, "N", "number", NULL },
	{ "retry=", NULL, PO_NUM, &num, NULL, 0, 99, 1, "N", "number + 1", NULL },
	{ "timeout=", "time=", PO_SECS, &us, NULL, 0, 3600, 0, "S", "seconds", NULL },
	{ "hints=", NULL, PO_STR, &str, NULL, 0, 0, 0, "file", "string", NULL },
	{ "https", NULL, PO_OPTSTR, &path, NULL, 0, 0, 0, "path", "optional", &on },
};
#define N (sizeof t / sizeof t[0])

int
main(void)
{
	char why[200], b[4096];
	FILE *fp;
	size_t n;

	TEST("a flag and its alias; +no clears it") {
		CHECK_EQ(plus_parse(t, N, "cee", why, sizeof why), 0);
		CHECK_EQ(fc, 1);
		CHECK_EQ(plus_parse(t, N, "noc", why, sizeof why), 0);
		CHECK_EQ(fc, 0);
		CHECK_EQ(plus_parse(t, N, "ceex", why, sizeof why), -1);
		CHECK_STR(why, "+ceex: unknown option");
	}
	TEST("a group sets and clears every member") {
		CHECK_EQ(plus_parse(t, N, "all", why, sizeof why), 0);
		CHECK(fa == 1 && fb == 1);
		CHECK_EQ(plus_parse(t, N, "noall", why, sizeof why), 0);
		CHECK(fa == 0 && fb == 0);
	}
	TEST("numbers in range, with an offset; out of range names the option") {
		CHECK_EQ(plus_parse(t, N, "tries=7", why, sizeof why), 0);
		CHECK_EQ(num, 7);
		CHECK_EQ(plus_parse(t, N, "retry=0", why, sizeof why), 0);
		CHECK_EQ(num, 1);
		CHECK_EQ(plus_parse(t, N, "tries=0", why, sizeof why), -1);
		CHECK_STR(why, "+tries=0: tries must be a number from 1 to 100");
		CHECK_EQ(plus_parse(t, N, "notries=3", why, sizeof why), -1);
		CHECK_STR(why, "+notries=3: unknown option");
	}
	TEST("seconds, fractional, by name or alias; zero refused") {
		CHECK_EQ(plus_parse(t, N, "time=0.25", why, sizeof why), 0);
		CHECK_EQ(us, 250000);
		CHECK_EQ(plus_parse(t, N, "timeout=0", why, sizeof why), -1);
		CHECK_STR(why, "+timeout=0: not a number of seconds");
	}
	TEST("a string must not be empty") {
		CHECK_EQ(plus_parse(t, N, "hints=/x", why, sizeof why), 0);
		CHECK_STR(str, "/x");
		CHECK_EQ(plus_parse(t, N, "hints=", why, sizeof why), -1);
		CHECK_STR(why, "+hints=: a file name is needed");
	}
	TEST("an optional value: bare, with =, and +no; a longer word is another option") {
		CHECK_EQ(plus_parse(t, N, "https", why, sizeof why), 0);
		CHECK(on == 1 && path == NULL);
		CHECK_EQ(plus_parse(t, N, "https=/q", why, sizeof why), 0);
		CHECK(on == 1 && path && strcmp(path, "/q") == 0);
		CHECK_EQ(plus_parse(t, N, "nohttps", why, sizeof why), 0);
		CHECK_EQ(on, 0);
		CHECK_EQ(plus_parse(t, N, "https-get", why, sizeof why), -1);
	}
	TEST("--help lines name each option as the parser reads it") {
		fp = tmpfile();
		CHECK(fp != NULL);
		if (fp) {
			plus_help(fp, t, N);
			rewind(fp);
			n = fread(b, 1, sizeof b - 1, fp);
			b[n] = '\0';
			fclose(fp);
			CHECK(strstr(b, "  +[no]cee +[no]c") != NULL);
			CHECK(strstr(b, "  +timeout=S +time=S") != NULL);
			CHECK(strstr(b, "  +[no]https[=path]") != NULL);
			CHECK(strstr(b, "  +hints=file ") != NULL);
		}
	}
	return tap_done();
}
