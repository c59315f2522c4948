/* t_spool.c - records in an unlinked temporary file, or in memory without one */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "spool.h"
#include "tubes.h"

struct rec {
	unsigned long long size;
	char uid[72];
};

static void
roundtrip(struct spool *sp)
{
	struct rec r, g;
	size_t i;

	for (i = 0; i < 5000; i += 7) {
		memset(&r, 0, sizeof r);
		r.size = i * 3 + 1;
		snprintf(r.uid, sizeof r.uid, "uid-%zu", i);
		CHECK_EQ(spool_put(sp, i, &r), 0);
	}
	for (i = 0; i < 5000; i++) {
		memset(&g, 0xa5, sizeof g);
		CHECK_EQ(spool_get(sp, i, &g), 0);
		if (i % 7 == 0) {
			char want[72];

			snprintf(want, sizeof want, "uid-%zu", i);
			CHECK_EQ(g.size, i * 3 + 1);
			CHECK_STR(g.uid, want);
		} else {
			CHECK_EQ(g.size, 0);	/* a gap reads back as zeros */
			CHECK_EQ(g.uid[0], 0);
		}
	}
	CHECK_EQ(spool_get(sp, 1000000, &g), 0);	/* past the end: zeros */
	CHECK_EQ(g.size, 0);
	/* overwritten in place */
	memset(&r, 0, sizeof r);
	r.size = 42;
	CHECK_EQ(spool_put(sp, 14, &r), 0);
	CHECK_EQ(spool_get(sp, 14, &g), 0);
	CHECK_EQ(g.size, 42);
	CHECK_EQ(g.uid[0], 0);
}

int
main(void)
{
	struct spool sp;

	tb_init("t_spool");
	TEST("spool: in an unlinked file, records by index, gaps read as zeros") {
		setenv("TMPDIR", "/tmp", 1);
		CHECK_EQ(spool_open(&sp, sizeof(struct rec)), 0);
		CHECK(sp.fd >= 0);
		roundtrip(&sp);
		spool_close(&sp);
	}
	TEST("spool: in memory when no file can be made, the same behaviour") {
		setenv("TMPDIR", "/nonexistent/dir", 1);
		CHECK_EQ(spool_open(&sp, sizeof(struct rec)), 0);
		CHECK_EQ(sp.fd, -1);
		roundtrip(&sp);
		spool_close(&sp);
	}
	return tap_done();
}
