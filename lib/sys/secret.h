/*
 * secret.h - passwords from a file, ~/.netrc or the environment, and wiping
 * them (secret.c).
 */
#ifndef TB_SECRET_H
#define TB_SECRET_H

#include <stddef.h>

/* --- secrets (secret.c) ------------------------------------------------ */

/*
 * Find a password: from pwfile (if set; refused if readable by group or
 * others, not a regular file or not ours), else ~/.netrc (or $NETRC) for
 * host and user, else the environment variable envvar.  envvar is wiped
 * (tb_env_scrub) whichever source gives the password.  A password that
 * holds a CR, LF or NUL is refused (a file's line end is not part of it).
 * Returns 0, or -1 with *why set.
 */
int tb_password(const char *pwfile, const char *host, const char *user,
    const char *envvar, char *out, size_t cap, const char **why);
/*
 * Overwrite the value of every environment entry NAME=... in place, then
 * unsetenv(name): /proc/PID/environ shows the original bytes otherwise.
 * For a command that may not need its secret variable, call it early.
 */
void tb_env_scrub(const char *name);
/*
 * netrc parser: find the entry for host (or default) in the text buf;
 * if user is non-NULL only an entry with that login matches.
 * Fills login/password (either may come back empty).  1 found, 0 not, -1 malformed.
 */
int netrc_find(const char *buf, size_t len, const char *host, const char *user,
    char *login, size_t lcap, char *pass, size_t pcap);

#endif
