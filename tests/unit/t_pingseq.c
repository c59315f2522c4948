/*
 * t_pingseq.c - lib/wire/pingseq: ping-lite's sequence window, before and
 * after the 16-bit sequence wraps: which numbers are ours, the
 * acknowledged mark, the pipe and the requests in flight.
 */
#include <stdio.h>

#include "pingseq.h"
#include "tap.h"

int
main(void)
{
	TEST("nothing sent: no sequence is ours, nothing in flight") {
		struct pingseq w = { 0 };

		CHECK(!pingseq_sent(&w, 0));
		CHECK(!pingseq_sent(&w, 1));
		CHECK_EQ(pingseq_in_flight(&w), 0);
	}

	TEST("three sent: 1..3 are ours, 0 and 4 are not") {
		struct pingseq w = { .ntx = 3 };

		CHECK(!pingseq_sent(&w, 0));
		CHECK(pingseq_sent(&w, 1));
		CHECK(pingseq_sent(&w, 3));
		CHECK(!pingseq_sent(&w, 4));
		CHECK(!pingseq_sent(&w, 65535));
		CHECK_EQ(pingseq_in_flight(&w), 3);
	}

	TEST("acknowledging moves the mark forward only; the pipe is the widest gap plus one") {
		struct pingseq w = { .ntx = 5 };

		pingseq_ack(&w, 2);
		CHECK_EQ(w.acked, 2);
		CHECK_EQ(w.pipesize, 4);
		CHECK_EQ(pingseq_in_flight(&w), 3);
		pingseq_ack(&w, 1);		/* late: the mark stays */
		CHECK_EQ(w.acked, 2);
		CHECK_EQ(w.pipesize, 5);
		pingseq_ack(&w, 5);
		CHECK_EQ(w.acked, 5);
		CHECK_EQ(pingseq_in_flight(&w), 0);
		pingseq_ack(&w, 9);		/* not sent yet: ignored */
		CHECK_EQ(w.acked, 5);
		CHECK_EQ(w.pipesize, 5);
	}

	TEST("past 65535: the window wraps, 0 becomes a sequence like any other") {
		struct pingseq w = { .ntx = 65536 + 2, .acked = 65535 };

		CHECK(pingseq_sent(&w, 0));
		CHECK(pingseq_sent(&w, 2));
		CHECK(pingseq_sent(&w, 65535));
		CHECK(pingseq_sent(&w, 4));		/* 65534 requests ago */
		CHECK(!pingseq_sent(&w, 3));		/* 65535 ago: too old to tell */
		CHECK_EQ(pingseq_in_flight(&w), 3);
		pingseq_ack(&w, 1);
		CHECK_EQ(w.acked, 1);
		CHECK_EQ(pingseq_in_flight(&w), 1);
	}

	TEST("a mark more than half the space behind is replaced by any reply") {
		struct pingseq w = { .ntx = 40000, .acked = 1 };

		CHECK_EQ(pingseq_in_flight(&w), 0);	/* over 0x7fff: not counted */
		pingseq_ack(&w, 39990);
		CHECK_EQ(w.acked, 39990);
		CHECK_EQ(pingseq_in_flight(&w), 10);
	}

	return tap_done();
}
