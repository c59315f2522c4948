/*
 * plusopt.c - dig's "+word" options from one table (plusopt.h).
 */
#include <stdio.h>
#include <string.h>

#include "plusopt.h"
#include "tubes.h"

/* the value after "name=" (or "alias="), or NULL when arg is not this option */
static const char *
val_of(const char *arg, const char *key)
{
	size_t kl;

	if (key == NULL)
		return NULL;
	kl = strlen(key);
	return strncmp(arg, key, kl) == 0 ? arg + kl : NULL;
}

/* a flag's word: name or alias exactly */
static int
is_word(const char *w, const struct plusopt *po)
{
	return strcmp(w, po->name) == 0 || (po->alias && strcmp(w, po->alias) == 0);
}

/* PO_OPTSTR: "name" or "name=..." (names given without '=') */
static const char *
optstr_of(const char *w, const char *key)
{
	size_t kl;

	if (key == NULL)
		return NULL;
	kl = strlen(key);
	if (strncmp(w, key, kl) != 0 || (w[kl] != '\0' && w[kl] != '='))
		return NULL;
	return w + kl;
}

static int
set_value(const struct plusopt *po, const char *arg, const char *val, char *why, size_t cap)
{
	long long v;
	int64_t us;

	switch (po->kind) {
	case PO_NUM:
		if (tb_num(val, po->min, po->max, &v) < 0) {
			snprintf(why, cap, "+%s: %.*s must be a number from %lld to %lld", arg,
			    (int)(strlen(po->name) - 1), po->name, po->min, po->max);
			return -1;
		}
		*(int *)po->dst = (int)v + po->add;
		return 0;
	case PO_SECS:
		if (tb_secs(val, (double)po->max, &us) < 0 || us <= 0) {
			snprintf(why, cap, "+%s: not a number of seconds", arg);
			return -1;
		}
		*(int64_t *)po->dst = us;
		return 0;
	default:
		if (*val == '\0') {
			snprintf(why, cap, "+%s: a %s name is needed", arg, po->meta);
			return -1;
		}
		*(const char **)po->dst = val;
		return 0;
	}
}

int
plus_parse(const struct plusopt *t, size_t n, const char *arg, char *why, size_t cap)
{
	int no = strncmp(arg, "no", 2) == 0;
	const char *w = no ? arg + 2 : arg, *val;
	size_t i;
	int *const *g;

	for (i = 0; i < n; i++) {
		const struct plusopt *po = &t[i];

		switch (po->kind) {
		case PO_FLAG:
		case PO_ALL:
			if (!is_word(w, po))
				continue;
			if (po->kind == PO_FLAG)
				*(int *)po->dst = !no;
			else
				for (g = po->group; *g; g++)
					**g = !no;
			return 0;
		case PO_OPTSTR:
			if ((val = optstr_of(w, po->name)) == NULL &&
			    (val = optstr_of(w, po->alias)) == NULL)
				continue;
			*po->flag = !no;
			if (*val == '=' && !no)
				*(const char **)po->dst = val + 1;
			return 0;
		default:
			if ((val = val_of(arg, po->name)) == NULL &&
			    (val = val_of(arg, po->alias)) == NULL)
				continue;
			return set_value(po, arg, val, why, cap);
		}
	}
	snprintf(why, cap, "+%s: unknown option", arg);
	return -1;
}

void
plus_help(FILE *fp, const struct plusopt *t, size_t n)
{
	char b[48];
	size_t i;

	for (i = 0; i < n; i++) {
		const struct plusopt *po = &t[i];
		int val = po->kind != PO_FLAG && po->kind != PO_ALL;
		const char *no = val && po->kind != PO_OPTSTR ? "" : "[no]";
		const char *arg = !val ? "" : po->meta;

		if (po->kind == PO_OPTSTR) {
			snprintf(b, sizeof b, "+%s%s[=%s]", no, po->name, arg);
		} else {
			snprintf(b, sizeof b, "+%s%s%s", no, po->name, arg);
			if (po->alias)
				snprintf(b + strlen(b), sizeof b - strlen(b), " +%s%s%s", no,
				    po->alias, arg);
		}
		fprintf(fp, "  %-27s %s\n", b, po->help);
	}
}
