/*
 * progress.h - the one progress meter of every command that moves a file
 * (system code).  It draws on stderr only, and only when stderr is a
 * terminal and the command is not quiet: bytes so far, the share of the
 * whole when the size is known, the rate, and the time left.  It redraws
 * at most every PROGRESS_EVERY µs, so a fast transfer does not spend its
 * time drawing, and progress_end draws a last frame with the final state
 * (the bytes that really arrived, the mean rate) before its newline.
 *
 *	struct progress pm;
 *	progress_start(&pm, "x.tar", have, have + length, quiet);
 *	... progress_update(&pm, have + got);	(as often as you like)
 *	progress_end(&pm);
 */
#ifndef TUBES_PROGRESS_H
#define TUBES_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#define PROGRESS_EVERY 250000	/* µs between two frames */

struct progress {
	int on;			/* drawing: stderr is a tty and not quiet */
	int drawn;		/* a frame is on the screen (a newline is due) */
	const char *label;	/* the file's name, or NULL */
	uint64_t base;		/* bytes there before this run (a resume) */
	uint64_t total;		/* the whole size, base included; 0 unknown */
	uint64_t now;		/* bytes there now, base included */
	int64_t t0, last;	/* start, last frame (monotonic µs) */
};

/* quiet: -s / -q: never draw.  total 0: the size is unknown */
void progress_start(struct progress *, const char *label, uint64_t base, uint64_t total,
    int quiet);
/* the size became known (a head arrived after the start) */
void progress_total(struct progress *, uint64_t total);
/* bytes there now (base included); draws when a frame is due */
void progress_update(struct progress *, uint64_t now);
/* the final frame and its newline (nothing if the meter is off) */
void progress_end(struct progress *);
/*
 * One frame as text, without the leading CR: "label  42%  1.5 MiB  3.2
 * MiB/s  0:07 left".  elapsed in µs; done: the last frame (the mean rate
 * and the time taken instead of the time left).  Returns the length.
 */
size_t progress_format(char *buf, size_t cap, const char *label, uint64_t base,
    uint64_t now, uint64_t total, int64_t elapsed, int done);

#endif
