/*
 * httpargs.h - the URLs of httpget's command line (session code): read
 * as curl reads them ("host/path" is http://host/path), and checked
 * before the first packet of the run, so that a URL that cannot be
 * fetched is refused (exit 2) before any other is: control bytes or
 * blanks, a file name in the name space of temporary files
 * (HTTP-26), a password that cannot be found (X-04b).
 */
#ifndef TB_HTTPARGS_H
#define TB_HTTPARGS_H

#include "url.h"

/* url_parse of arg, "http://" put in front when it has no scheme */
int hs_parse_arg(const char *arg, struct url *u, const char **why);

struct hs_args {
	char **urls;
	int nurls;
	const char *const *outs;	/* -o per URL, in order ("-": stdout) */
	int nouts;
	int remote_name;	/* -O for the URLs after the -o ones */
	const char *user;	/* -u, or NULL */
	int warn;		/* say that a password in a URL is visible */
};
/* each check above; exits 2 (tb_usage_error, tb_die) at the first failure */
void hs_args_check(const struct hs_args *);

#endif
