/*
 * rttstat.h - round-trip statistics as iputils ping keeps them: min,
 * max, the mean, the mean deviation (the square root of the variance,
 * computed exactly in integers while the sums fit) and the EWMA of -f.
 * Pure arithmetic in µs.
 */
#ifndef TUBES_RTTSTAT_H
#define TUBES_RTTSTAT_H

#include <stdint.h>

struct rtt_stats {
	long n;			/* samples added */
	int64_t tmin, tmax, tsum, tsum2;
	double tsum2d;		/* the sum of squares, for when tsum2 overflows */
	int tsum2_overflow;
	long rtt8;		/* ewma * 8, as iputils */
};

void rtt_init(struct rtt_stats *);
void rtt_add(struct rtt_stats *, int64_t t);
/* mean and mean deviation over total samples (replies and duplicates); total > 0 */
void rtt_summary(const struct rtt_stats *, long total, int64_t *avg, int64_t *mdev);
/* the integer square root by Newton's iteration, within one of it (99 gives 10); 0 for a <= 0 */
int64_t isqrt64(int64_t a);

#endif
