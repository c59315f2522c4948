/*
 * inflatecat - stdin through lib/wire/inflate.c to stdout, for
 * tests/inflate.bats's differential run against python3's zlib.
 *
 *	inflatecat raw|zlib|gzip|auto [PIECE]
 *
 * PIECE: feed the input in pieces of that many bytes (default: as
 * read(2) gives it).  Exit 0 with the decoded bytes on stdout, or 1
 * with "inflatecat: why" on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inflate.h"
#include "tubes.h"

static struct inflate s;
static uint8_t buf[1 << 16];

static int
out(void *arg, const uint8_t *p, size_t n)
{
	(void)arg;
	return tb_write_all(1, p, n) < 0 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	static const char *names[] = { "raw", "zlib", "gzip", "auto" };
	size_t piece = sizeof buf, i, k;
	ssize_t n;
	int w, r = 0;

	if (argc < 2)
		goto usage;
	for (w = 0; w < 4 && strcmp(argv[1], names[w]) != 0; w++)
		;
	if (w == 4)
		goto usage;
	if (argc > 2 && (piece = strtoul(argv[2], NULL, 10)) == 0)
		goto usage;
	if (piece > sizeof buf)
		piece = sizeof buf;
	inflate_init(&s, (enum inf_wrap)w);
	s.out = out;
	while (r == 0 && (n = read(0, buf, piece)) > 0)
		for (i = 0; r == 0 && i < (size_t)n; i += k) {
			k = (size_t)n - i < piece ? (size_t)n - i : piece;
			r = inflate_feed(&s, buf + i, k);
		}
	if (r == 0)
		r = inflate_finish(&s);
	if (r != 0) {
		fprintf(stderr, "inflatecat: %s\n", inflate_strerror(r));
		return 1;
	}
	return 0;
usage:
	fprintf(stderr, "usage: inflatecat raw|zlib|gzip|auto [PIECE]\n");
	return 2;
}
