/*
 * pingseq.h - the echo sequence window of ping-lite, as iputils keeps
 * it: which 16-bit sequence numbers are ours among the requests sent
 * (the count wraps past 65535), the highest one acknowledged, and how
 * many are still in flight.  Pure arithmetic.
 */
#ifndef TUBES_PINGSEQ_H
#define TUBES_PINGSEQ_H

#include <stdint.h>

struct pingseq {
	long ntx;		/* requests sent: the last has sequence (uint16_t)ntx */
	uint16_t acked;		/* the latest sequence answered */
	int pipesize;		/* the most requests seen in flight at once, plus one */
};

/* was seq sent by us, among the last 65535 requests? */
int pingseq_sent(const struct pingseq *, uint16_t seq);
/* a reply (or an error) for seq: move the acknowledged mark, widen the pipe */
void pingseq_ack(struct pingseq *, uint16_t seq);
/* requests sent and not yet acknowledged */
int pingseq_in_flight(const struct pingseq *);

#endif
