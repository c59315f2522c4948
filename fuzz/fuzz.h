/* fuzz.h - shared by the fuzz targets: the oracle's way to fail */
#ifndef TUBES_FUZZ_H
#define TUBES_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* an oracle failure: print and abort, so libFuzzer and the replay both see it */
#define FUZZ_ASSERT(c) do { if (!(c)) { fprintf(stderr, "%s:%d: oracle failed: %s\n", \
	__FILE__, __LINE__, #c); abort(); } } while (0)

#endif
