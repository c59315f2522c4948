/*
 * httpargs.c - httpget's URLs read and checked: see httpargs.h.
 */
#include <stdio.h>
#include <string.h>

#include "fsafe.h"
#include "httpargs.h"
#include "httpcreds.h"
#include "httpopt.h"
#include "tubes.h"

int
hs_parse_arg(const char *arg, struct url *u, const char **why)
{
	char full[URL_MAX + 16];

	if (strstr(arg, "://") == NULL && strlen(arg) < URL_MAX - 8) {
		snprintf(full, sizeof full, "http://%s", arg);
		arg = full;
	}
	return url_parse(arg, u, why);
}

void
hs_args_check(const struct hs_args *a)
{
	static struct url cu;
	static char fin[4096];
	struct hs_creds cr;
	const char *why, *base;
	int i;

	for (i = 0; i < a->nurls; i++)
		if (http_has_ctl(a->urls[i], 0x21))
			tb_usage_error("URL %d: control byte or blank", i + 1);
	/*
	 * HTTP-26: every file name the run will write (-o, and -O's from
	 * the URLs) is checked against fsafe's name space of temporary
	 * files (.part-NAME): no URL's file can be another's partial.
	 */
	for (i = 0; i < a->nurls; i++) {
		if (i < a->nouts) {
			if (strcmp(a->outs[i], "-") == 0)
				continue;
			snprintf(fin, sizeof fin, "%s", a->outs[i]);
		} else if (!a->remote_name || hs_parse_arg(a->urls[i], &cu, &why) < 0 ||
		    url_filename(&cu, fin, sizeof fin) < 0) {
			continue;	/* a bad URL is said later, in its place */
		}
		base = strrchr(fin, '/');
		base = base ? base + 1 : fin;
		if (fsafe_reserved(base, strlen(base)))
			tb_usage_error("%s %s: names beginning with %s are for temporary files",
			    i < a->nouts ? "-o" : "-O", fin, FSAFE_PREFIX);
	}
	/* every URL's password found (or found missing: exit 2) now */
	for (i = 0; i < a->nurls; i++) {
		if (hs_parse_arg(a->urls[i], &cu, &why) < 0 || (!a->user && !cu.has_user))
			continue;
		hs_creds_get(&cr, &cu, a->user, a->warn);
		explicit_bzero(&cr, sizeof cr);
	}
	explicit_bzero(&cu, sizeof cu);
}
