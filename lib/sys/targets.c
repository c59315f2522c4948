/*
 * targets.c - the inputs of a command that takes many targets (arpq):
 * arguments, stdin lines and IPv4 ranges, one target per call.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "ip.h"
#include "targets.h"
#include "tubes.h"
#include "wire.h"

/* a range's next host, owning the range's line when it is the last */
static int
range_host(struct tb_targets *s, struct tb_target *t)
{
	memset(t, 0, sizeof *t);
	t->input = s->rinput;
	put32(t->ip, s->a);
	t->first = s->first;
	s->first = 0;
	if (s->a == s->last) {
		t->last = 1;
		t->owned = s->rowned;
		s->range = 0;
	} else
		s->a++;
	return TB_TG_HOST;
}

/* one input word: the start of a range, or a target as it is */
static int
word(struct tb_targets *s, const char *in, char *owned, struct tb_target *t)
{
	int plen, r = 0;

	memset(t, 0, sizeof *t);
	if (s->ranges && (r = ip4_cidr_parse(in, &s->a, &s->last, &plen)) == 1) {
		if (plen >= s->min_prefix) {
			s->range = s->first = 1;
			s->rinput = in;
			s->rowned = owned;
			return range_host(s, t);
		}
		r = -2;
	}
	t->input = in;
	t->owned = owned;
	t->bad_range = r;
	return TB_TG_WORD;
}

/* the next stdin line worth a target: 1, or what tb_lines_next said */
static int
stdin_line(struct tb_targets *s, int wait, char **out)
{
	char *line;
	size_t n;
	int r;

	for (;;) {
		r = tb_lines_next(&s->lines, &line, wait);
		if (r != TB_LINE_OK)
			return r;
		line += strspn(line, " \t");
		n = strlen(line);
		while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = '\0';
		if (*line != '\0' && *line != '#')
			break;
	}
	*out = line;
	return 1;
}

int
tb_targets_next(struct tb_targets *s, int wait, struct tb_target *t)
{
	char *line = NULL, *copy;
	int r;

	for (;;) {
		if (s->range)
			return range_host(s, t);
		if (s->in_stdin) {
			r = stdin_line(s, wait, &line);
			if (r == TB_LINE_NONE)
				return TB_TG_NONE;
			if (r == TB_LINE_LONG) {
				memset(t, 0, sizeof *t);
				t->input = "-";
				return TB_TG_LONG;
			}
			if (r < 0) {
				if (r == TB_LINE_ERR && !tb_interrupted)
					tb_warn("stdin: %s", strerror(errno));
				s->in_stdin = 0;
				continue;
			}
			if ((copy = tb_strdup(line)) == NULL)
				tb_die(EXIT_LOCAL, "out of memory");
			return word(s, copy, copy, t);
		}
		if (s->next < s->narg) {
			const char *a = s->arg[s->next++];

			if (strcmp(a, "-") == 0) {
				tb_lines_init(&s->lines, STDIN_FILENO);
				s->in_stdin = 1;
				continue;
			}
			return word(s, a, NULL, t);
		}
		return TB_TG_END;
	}
}
