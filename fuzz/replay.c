/*
 * replay.c - run files through a fuzz target without libFuzzer, so that
 * make test checks every corpus file (and every crash ever found) on
 * every build.  Each input is copied into an exact-size heap buffer, as
 * libFuzzer does, so a read past the end is caught by ASan.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
main(int argc, char **argv)
{
	static uint8_t buf[1 << 20];
	int i, n = 0;

	for (i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		size_t len;
		uint8_t *copy;

		if (fp == NULL) {
			perror(argv[i]);
			return 2;
		}
		len = fread(buf, 1, sizeof buf, fp);
		fclose(fp);
		if ((copy = malloc(len ? len : 1)) == NULL)
			return 2;
		memcpy(copy, buf, len);
		LLVMFuzzerTestOneInput(copy, len);
		free(copy);
		n++;
	}
	printf("%d inputs replayed\n", n);
	return 0;
}
