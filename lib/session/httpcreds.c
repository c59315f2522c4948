/*
 * httpcreds.c - httpget's Basic credentials: see httpcreds.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpcreds.h"
#include "secret.h"
#include "tubes.h"

/*
 * HTTPGET_PASSWORD, taken once at the start and wiped from the
 * environment block there: /proc/PID/environ never shows it, and
 * every URL of the run can still use it.
 */
static char envpass[512];
static int have_envpass;

void
hs_creds_env(void)
{
	const char *p = getenv("HTTPGET_PASSWORD");

	if (p != NULL) {
		if (strlen(p) >= sizeof envpass)
			tb_die(EXIT_LOCAL, "HTTPGET_PASSWORD: password too long");
		memcpy(envpass, p, strlen(p) + 1);
		have_envpass = 1;
	}
	tb_env_scrub("HTTPGET_PASSWORD");
}

void
hs_creds_get(struct hs_creds *cr, const struct url *u, const char *opt_user, int warn)
{
	const char *why;
	char pass[512];
	const char *user = opt_user ? opt_user : (u->has_user ? u->user : NULL);

	memset(cr, 0, sizeof *cr);
	if (user == NULL)
		return;
	if (!opt_user && u->has_pass) {
		if (warn)
			tb_warn("credentials in the URL are visible to other users; "
			    "use -u and ~/.netrc or HTTPGET_PASSWORD");
		snprintf(pass, sizeof pass, "%s", u->pass);
	} else if (tb_password(NULL, u->host, user, NULL, pass, sizeof pass, &why) < 0) {
		/* no ~/.netrc entry: the variable's value, taken at the start */
		if (have_envpass && why && strncmp(why, "no password", 11) == 0)
			memcpy(pass, envpass, sizeof pass);
		else
			tb_die(EXIT_LOCAL, "password for %s at %s: %s", user, u->host,
			    why && strncmp(why, "no password", 11) != 0 ? why :
			    "not found (~/.netrc or HTTPGET_PASSWORD)");
	}
	cr->n = (size_t)snprintf(cr->up, sizeof cr->up, "%s:%s", user, pass);
	explicit_bzero(pass, sizeof pass);
	if (cr->n >= sizeof cr->up)
		tb_die(EXIT_LOCAL, "credentials too long");
	cr->set = 1;
	snprintf(cr->scheme, sizeof cr->scheme, "%s", u->scheme);
	snprintf(cr->host, sizeof cr->host, "%s", u->host);
	cr->port = u->port;
}
