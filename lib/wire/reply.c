/*
 * reply.c - 3-digit multi-line replies as SMTP sends them (RFC 5321
 * 4.2.1): "ddd-text" lines continue, "ddd text" (or a bare "ddd") with the
 * same code ends the reply.  FTP's looser grouping (RFC 959 4.2: inner
 * lines may carry any text) is ftp_reply_add in ftp.c; reply_line serves both.
 */
#include <stddef.h>

#include "reply.h"

int
reply_line(const char *s, size_t len, int *code, int *more)
{
	if (len < 3 || s[0] < '1' || s[0] > '5' || s[1] < '0' || s[1] > '9' ||
	    s[2] < '0' || s[2] > '9')
		return -1;
	if (len > 3 && s[3] != ' ' && s[3] != '-')
		return -1;
	*code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	*more = len > 3 && s[3] == '-';
	return 0;
}
