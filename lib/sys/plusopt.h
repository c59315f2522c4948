/*
 * plusopt.h - dig's "+word" options from one table: the parser (a flag
 * takes "no" in front; a value option's name ends in '=' and stores a
 * number in a range, seconds or a string) and the --help lines, so the
 * help, the completion that reads it and the parser cannot disagree.
 */
#ifndef TUBES_PLUSOPT_H
#define TUBES_PLUSOPT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum {
	PO_FLAG,	/* +name / +noname: *(int *)dst = 1 / 0 */
	PO_ALL,		/* +name / +noname: every flag of group */
	PO_NUM,		/* +name=N, min..max: *(int *)dst = N + add */
	PO_SECS,	/* +name=S, fractional, 0 < S <= max: *(int64_t *)dst = µs */
	PO_STR,		/* +name=TEXT, not empty: *(const char **)dst = TEXT */
	PO_OPTSTR,	/* +name or +name=TEXT: *(int *)flag = 1 (+noname: 0), and
			   *(const char **)dst = TEXT (or left as it is) */
};

struct plusopt {
	const char *name, *alias;	/* without '+'; a value option's ends in '=' */
	int kind;
	void *dst;
	int *const *group;	/* PO_ALL: NULL-terminated */
	long long min, max;	/* PO_NUM range, PO_SECS max */
	int add;		/* PO_NUM: stored N + add (+retry= is tries - 1) */
	const char *meta;	/* --help's name of the value ("N", "S", "file") */
	const char *help;
	int *flag;		/* PO_OPTSTR: set on, cleared by +no */
};

/*
 * arg without its '+': 0 (stored), or -1 with the diagnostic in why
 * ("+bogus: unknown option", "+tries=0: tries must be a number from
 * 1 to 100").
 */
int plus_parse(const struct plusopt *, size_t n, const char *arg, char *why, size_t cap);

/* the --help lines, "  +[no]name +[no]alias   help" */
void plus_help(FILE *, const struct plusopt *, size_t n);

#endif
