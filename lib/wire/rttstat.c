/* rttstat.c - round-trip statistics (ping-lite) */
#include <stdint.h>

#include "rttstat.h"

void
rtt_init(struct rtt_stats *s)
{
	*s = (struct rtt_stats){ 0 };
	s->tmin = INT64_MAX;
}

void
rtt_add(struct rtt_stats *s, int64_t t)
{
	s->n++;
	if (t < s->tmin)
		s->tmin = t;
	if (t > s->tmax)
		s->tmax = t;
	s->tsum += t;
	s->tsum2d += (double)t * (double)t;
	if (!s->tsum2_overflow) {
		int64_t sq;

		if (__builtin_mul_overflow(t, t, &sq) || __builtin_add_overflow(s->tsum2, sq, &s->tsum2))
			s->tsum2_overflow = 1;
	}
	if (s->rtt8 == 0)
		s->rtt8 = (long)(t * 8 > 0x7fffffff ? 0x7fffffff : t * 8);
	else
		s->rtt8 += (long)(t - s->rtt8 / 8);
}

int64_t
isqrt64(int64_t a)
{
	int64_t x = a, prev = INT64_MAX;

	if (a <= 0)
		return 0;
	while (x < prev) {
		prev = x;
		x = (x + a / x) / 2;
	}
	return x;
}

void
rtt_summary(const struct rtt_stats *s, long total, int64_t *avg, int64_t *mdev)
{
	int64_t var;

	*avg = s->tsum / total;
	if (!s->tsum2_overflow && s->tsum < 2147483647)
		var = (s->tsum2 - (s->tsum * s->tsum) / total) / total;
	else
		var = (int64_t)(s->tsum2d / (double)total - (double)*avg * (double)*avg);
	*mdev = isqrt64(var);
}
