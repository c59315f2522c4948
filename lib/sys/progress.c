/* progress.c - the progress meter on a terminal's stderr (see progress.h) */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "progress.h"
#include "tubes.h"

/* "512 B", "1.5 KiB", "12.0 MiB", "3.25 GiB" */
static void
fmt_bytes(char *buf, size_t cap, double v)
{
	static const char *unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, cap, "%.0f B", v);
	else
		snprintf(buf, cap, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s", v,
		    unit[u]);
}

/* seconds as M:SS or H:MM:SS */
static void
fmt_secs(char *buf, size_t cap, double s)
{
	unsigned long t = s > 0 && s < 360000 ? (unsigned long)(s + 0.5) : 0;

	if (t >= 3600)
		snprintf(buf, cap, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, cap, "%lu:%02lu", t / 60, t % 60);
}

size_t
progress_format(char *buf, size_t cap, const char *label, uint64_t base, uint64_t now,
    uint64_t total, int64_t elapsed, int done)
{
	char b[32], r[32], t[32], pct[8];
	double secs = elapsed > 0 ? (double)elapsed / 1e6 : 0, rate = 0;
	int n;

	if (secs > 0 && now > base)
		rate = (double)(now - base) / secs;
	fmt_bytes(b, sizeof b, (double)now);
	fmt_bytes(r, sizeof r, rate);
	pct[0] = '\0';
	if (total > 0)
		snprintf(pct, sizeof pct, "%3u%%  ", (unsigned)(now >= total ? 100 :
		    now * 100.0 / (double)total));
	if (done)
		fmt_secs(t, sizeof t, secs);
	else if (total > now && rate > 0)
		fmt_secs(t, sizeof t, (double)(total - now) / rate);
	else
		snprintf(t, sizeof t, "-:--");
	n = snprintf(buf, cap, "%s%s%s%s  %s/s  %s%s", label ? label : "", label ? "  " : "",
	    pct, b, r, t, done ? " total" : " left");
	if (n < 0)
		n = 0;
	return (size_t)n >= cap ? cap ? cap - 1 : 0 : (size_t)n;
}

static void
draw(struct progress *p, int done)
{
	char line[256];
	size_t n;

	n = progress_format(line, sizeof line, p->label, p->base, p->now, p->total,
	    tb_now() - p->t0, done);
	/* pad over a longer frame before it, then back to the line's start */
	fprintf(stderr, "\r%s%*s", line, n < 79 ? (int)(79 - n) : 0, "");
	if (done)
		fputc('\n', stderr);
	fflush(stderr);
	p->drawn = !done;
}

void
progress_start(struct progress *p, const char *label, uint64_t base, uint64_t total,
    int quiet)
{
	memset(p, 0, sizeof *p);
	p->on = !quiet && isatty(2);
	p->label = label;
	p->base = p->now = base;
	p->total = total;
	p->t0 = p->last = tb_now();
}

void
progress_total(struct progress *p, uint64_t total)
{
	p->total = total;
}

void
progress_update(struct progress *p, uint64_t now)
{
	int64_t t;

	p->now = now;
	if (!p->on)
		return;
	t = tb_now();
	if (t - p->last < PROGRESS_EVERY)
		return;
	p->last = t;
	draw(p, 0);
}

void
progress_end(struct progress *p)
{
	if (!p->on)
		return;
	draw(p, 1);
	p->on = 0;
}
