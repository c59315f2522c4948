/*
 * httpcreds.h - the Basic credentials httpget sends (session code): the
 * user of -u or of the URL, the password from the URL (warned), from
 * ~/.netrc (lib/sys/secret.c) or from HTTPGET_PASSWORD, which is taken
 * once at the start and wiped from the environment block.
 */
#ifndef TB_HTTPCREDS_H
#define TB_HTTPCREDS_H

#include <stddef.h>
#include <stdint.h>

#include "url.h"

/* credentials for one origin: "user:pass" (Basic), or none */
struct hs_creds {
	char up[600];
	size_t n;
	int set;
	char scheme[16], host[256];
	uint16_t port;
};

/* take HTTPGET_PASSWORD, and scrub it from the environment (dies if too long) */
void hs_creds_env(void);
/*
 * The credentials for u: user (-u) or u's own user; none without
 * either.  warn: say that a password in the URL is visible.  Dies with
 * exit 2 when a password is needed and none can be found.
 */
void hs_creds_get(struct hs_creds *, const struct url *u, const char *user, int warn);

#endif
