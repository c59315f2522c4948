/*
 * pingseq.c - ping-lite's sequence window (pingseq.h).  Every test is in
 * 16-bit arithmetic, so the window slides past 65535 as the sequence
 * numbers on the wire do.
 */
#include <stdint.h>

#include "pingseq.h"

int
pingseq_sent(const struct pingseq *w, uint16_t seq)
{
	uint16_t back = (uint16_t)((uint16_t)w->ntx - seq);

	return seq != 0 || w->ntx >= 65536 ? back < w->ntx && back < 65535 : seq <= w->ntx && seq > 0;
}

void
pingseq_ack(struct pingseq *w, uint16_t seq)
{
	int diff = (uint16_t)((uint16_t)w->ntx - seq);

	if (diff >= 0 && diff < 0x8000) {
		if (diff >= w->pipesize)
			w->pipesize = diff + 1;
		if ((int16_t)(seq - w->acked) > 0 || (uint16_t)w->ntx - w->acked > 0x7fff)
			w->acked = seq;
	}
}

int
pingseq_in_flight(const struct pingseq *w)
{
	uint16_t f = (uint16_t)((uint16_t)w->ntx - w->acked);

	return f <= 0x7fff ? f : 0;
}
