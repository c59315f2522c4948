/*
 * httpopt.h - checks of what a user gives httpget on the command line,
 * before anything is sent (wire code): a method token, a list of status
 * codes, control bytes in a string.
 */
#ifndef TB_HTTPOPT_H
#define TB_HTTPOPT_H

#include <stddef.h>

/* a non-empty RFC 9110 token: 0, or -1 */
int http_check_method(const char *);
/* "200,204": up to max codes 100-599 into codes; their count, or -1 */
int http_codes(const char *s, int *codes, int max);
/* status among codes, or with n 0 a 2xx or 3xx: 1, else 0 (--expect) */
int http_code_in(int status, const int *codes, int n);
/* a field "name:" (with the colon, any case) among the -H fields: 1, else 0 */
int http_has_field(const char *const *fields, int n, const char *name);
/* a byte below lo, or DEL, in s: 1, else 0 */
int http_has_ctl(const char *s, int lo);

#endif
