/*
 * fz_lines - the streaming target reader (lines.c) on any byte stream: a
 * line it returns holds no LF and is at most TB_LINE_MAX bytes, the count
 * of results (lines and long lines) equals the count of LF-ended or last
 * lines of the input, and it ends with TB_LINE_EOF.
 */
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "lines.h"

static struct tb_lines l;

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	unsigned long want = 0, got = 0;
	char *line;
	size_t i;
	int fd, r;

	for (i = 0; i < n; i++)
		if (d[i] == '\n')
			want++;
	if (n > 0 && d[n - 1] != '\n')
		want++;
	if ((fd = fuzz_stream(d, n)) < 0)
		return 0;
	tb_lines_init(&l, fd);
	while ((r = tb_lines_next(&l, &line, 1)) == TB_LINE_OK || r == TB_LINE_LONG) {
		if (r == TB_LINE_OK) {
			FUZZ_ASSERT(strlen(line) <= TB_LINE_MAX);
			FUZZ_ASSERT(memchr(line, '\n', strlen(line)) == NULL);
		}
		got++;
	}
	FUZZ_ASSERT(r == TB_LINE_EOF);
	FUZZ_ASSERT(got == want && l.lineno == got);
	close(fd);
	return 0;
}
