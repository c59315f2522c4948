/*
 * targets.h - a command's targets, read as they are needed: the
 * arguments in order, stdin in place of "-" (a line as it arrives,
 * blanks trimmed, blank lines and '#' comments skipped), and, when asked
 * for, an IPv4 CIDR range one host at a time, so that any input is held
 * in constant memory.
 */
#ifndef TUBES_TARGETS_H
#define TUBES_TARGETS_H

#include <stdint.h>

#include "lines.h"

struct tb_targets {
	/* set by the caller */
	char **arg;
	int narg;
	int ranges;		/* expand "A.B.C.D/LEN" */
	int min_prefix;		/* a wider range is refused */
	/* internal */
	int next;
	int in_stdin;
	struct tb_lines lines;
	int range;		/* a range is being walked: */
	uint32_t a, last;	/* its next host and its last */
	int first;
	const char *rinput;
	char *rowned;
};

struct tb_target {
	const char *input;	/* the argument or line it came from */
	char *owned;		/* a stdin line, tb_malloc'd: the caller frees it */
	/* TB_TG_HOST: */
	uint8_t ip[4];
	int first, last;	/* the range's first or last host */
	/* TB_TG_WORD: */
	int bad_range;		/* has '/' and is not a range: -1 malformed, -2 too wide */
};

enum {
	TB_TG_WORD = 2,		/* an address or a name, as typed */
	TB_TG_HOST = 1,		/* a host of a range: ip set; the last one owns the line */
	TB_TG_NONE = 0,		/* (no wait) no whole stdin line yet */
	TB_TG_END = -1,		/* the inputs are over */
	TB_TG_LONG = -2		/* a stdin line over TB_LINE_MAX: one error result */
};

/*
 * The next target.  wait as for tb_lines_next.  A read error on stdin
 * is warned about (not after a signal) and ends stdin.
 */
int tb_targets_next(struct tb_targets *, int wait, struct tb_target *);

#endif
