/* t_secret.c - unit tests of secret.c: the environment variable is wiped where it lies */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "secret.h"
#include "tubes.h"

extern char **environ;

int
main(void)
{
	TEST("tb_env_scrub overwrites every NAME= entry in place, then unsets") {
		/* our own block, as the kernel's would be: two entries of the name */
		char e1[] = "T_SECRET_PW=one-secret", e2[] = "T_SECRET_PWX=other",
		    e3[] = "T_SECRET_PW=two-secret";
		char *env[] = { e1, e2, e3, NULL }, **save = environ;

		environ = env;
		tb_env_scrub("T_SECRET_PW");
		CHECK(getenv("T_SECRET_PW") == NULL);
		CHECK_STR(getenv("T_SECRET_PWX"), "other");	/* a longer name is another */
		CHECK_MEM(e1, "T_SECRET_PW=\0\0\0\0\0\0\0\0\0\0", sizeof e1);
		CHECK_MEM(e3, "T_SECRET_PW=\0\0\0\0\0\0\0\0\0\0", sizeof e3);
		CHECK_STR(e2, "T_SECRET_PWX=other");
		environ = save;
		tb_env_scrub("T_SECRET_NONE");	/* absent: nothing to do */
	}
	TEST("tb_password: the variable is wiped even when a file gives the password") {
		static char val[] = "T_SECRET_PW=from-env";
		char dir[] = "/tmp/t_secret.XXXXXX", path[64], pw[64];
		const char *why;
		FILE *f;

		CHECK(mkdtemp(dir) != NULL);
		snprintf(path, sizeof path, "%s/pw", dir);
		CHECK((f = fopen(path, "w")) != NULL);
		fputs("from-file\n", f);
		fclose(f);
		CHECK(chmod(path, 0600) == 0);
		CHECK(putenv(val) == 0);
		CHECK_EQ(tb_password(path, "h", "u", "T_SECRET_PW", pw, sizeof pw, &why), 0);
		CHECK_STR(pw, "from-file");
		CHECK(getenv("T_SECRET_PW") == NULL);
		CHECK_MEM(val, "T_SECRET_PW=\0\0\0\0\0\0\0\0", sizeof val);
		unlink(path);
		rmdir(dir);
	}
	TEST("tb_password: from the variable when nothing else has one") {
		static char val[] = "T_SECRET_PW=from-env", home[] = "HOME=/nonexistent/t_secret";
		char pw[64];
		const char *why;

		CHECK(putenv(home) == 0);
		unsetenv("NETRC");
		CHECK(putenv(val) == 0);
		CHECK_EQ(tb_password(NULL, "h", "u", "T_SECRET_PW", pw, sizeof pw, &why), 0);
		CHECK_STR(pw, "from-env");
		CHECK(getenv("T_SECRET_PW") == NULL);
		CHECK_MEM(val, "T_SECRET_PW=\0\0\0\0\0\0\0\0", sizeof val);
		CHECK_EQ(tb_password(NULL, "h", "u", "T_SECRET_PW", pw, sizeof pw, &why), -1);
		CHECK(why && strstr(why, "no password") != NULL);
	}
	TEST("tb_password: a value too long for the buffer is refused, and still wiped") {
		static char val[] = "T_SECRET_PW=toolong";
		char pw[4];
		const char *why;

		CHECK(putenv(val) == 0);
		CHECK_EQ(tb_password(NULL, "h", "u", "T_SECRET_PW", pw, sizeof pw, &why), -1);
		CHECK_STR(why, "password too long");
		CHECK(getenv("T_SECRET_PW") == NULL);
		CHECK_MEM(val, "T_SECRET_PW=\0\0\0\0\0\0\0", sizeof val);
	}
	TEST("tb_password: a CR, LF or NUL in the password is refused, the variable still wiped") {
		static char val[] = "T_SECRET_PW=a\rb";
		char dir[] = "/tmp/t_secret.XXXXXX", path[64], pw[64];
		const char *why;
		FILE *f;

		CHECK(putenv(val) == 0);
		CHECK_EQ(tb_password(NULL, "h", "u", "T_SECRET_PW", pw, sizeof pw, &why), -1);
		CHECK(why && strstr(why, "CR, LF or NUL") != NULL);
		CHECK(getenv("T_SECRET_PW") == NULL);
		CHECK(mkdtemp(dir) != NULL);
		snprintf(path, sizeof path, "%s/pw", dir);
		CHECK((f = fopen(path, "w")) != NULL);
		fwrite("ab\0cd\n", 1, 6, f);
		fclose(f);
		CHECK(chmod(path, 0600) == 0);
		CHECK_EQ(tb_password(path, "h", "u", NULL, pw, sizeof pw, &why), -1);
		CHECK(why && strstr(why, "CR, LF or NUL") != NULL);
		CHECK((f = fopen(path, "w")) != NULL);
		fputs("ab\rcd\n", f);
		fclose(f);
		CHECK_EQ(tb_password(path, "h", "u", NULL, pw, sizeof pw, &why), -1);
		/* the line end, LF or CRLF, is not part of it; later lines do not count */
		CHECK((f = fopen(path, "w")) != NULL);
		fputs("abcd\r\nnext\rline\n", f);
		fclose(f);
		CHECK_EQ(tb_password(path, "h", "u", NULL, pw, sizeof pw, &why), 0);
		CHECK_STR(pw, "abcd");
		CHECK((f = fopen(path, "w")) != NULL);
		fputs("abcd", f);
		fclose(f);
		CHECK_EQ(tb_password(path, "h", "u", NULL, pw, sizeof pw, &why), 0);
		CHECK_STR(pw, "abcd");
		unlink(path);
		rmdir(dir);
	}
	return tap_done();
}
