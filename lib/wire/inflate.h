/*
 * inflate.h - DEFLATE decoding (RFC 1951: stored, fixed and dynamic
 * Huffman blocks) inside the zlib (RFC 1950) or gzip (RFC 1952) wrapper,
 * or raw: what httpget --compressed does to a body sent with
 * Content-Encoding gzip or deflate.  Wire code: bytes in, bytes out
 * through a callback, no system calls.
 *
 * A stream: input arrives in pieces of any size (one byte at a time
 * decodes the same as all at once), the output goes to the callback in
 * pieces of at most INF_RING bytes.  The trailer's check value (Adler-32
 * for zlib, CRC-32 and ISIZE for gzip) must match: a wrong one is an
 * error, never a good end.  gzip members may follow one another (RFC
 * 1952 2.2); anything else after the end is an error.
 *
 * Bounded: a "decompression bomb" is cut off by max_out (the decoded
 * bytes in all) and max_ratio (once the output passes INF_RATIO_FLOOR,
 * decoded bytes may be at most max_ratio times the compressed bytes fed
 * so far); 0 turns either off.  DEFLATE cannot exceed about 1032:1.
 */
#ifndef TUBES_INFLATE_H
#define TUBES_INFLATE_H

#include <stddef.h>
#include <stdint.h>

#define INF_RING 65536		/* output ring: the 32 KiB window and room to flush */
#define INF_RATIO_FLOOR (1u << 20)	/* max_ratio applies past this much output */

enum inf_wrap {
	INF_RAW,		/* a bare RFC 1951 stream */
	INF_ZLIB,		/* RFC 1950 */
	INF_GZIP,		/* RFC 1952, one member or several */
	INF_AUTO,		/* HTTP "deflate": zlib, or raw when the first two
				   bytes are not a zlib header (servers send both) */
};

enum inf_err {
	INF_OK = 0,
	INF_EHEADER = -1,	/* not a zlib or gzip header, or reserved flags */
	INF_EDICT = -2,		/* zlib preset dictionary: not for HTTP */
	INF_EBTYPE = -3,	/* block type 3 */
	INF_ESTORED = -4,	/* stored block: LEN and NLEN disagree */
	INF_ETABLE = -5,	/* Huffman code lengths that make no code */
	INF_ECODE = -6,		/* a code or symbol that is not in the table */
	INF_EDIST = -7,		/* a distance further back than the output */
	INF_ECHECK = -8,	/* Adler-32, CRC-32 or header CRC mismatch */
	INF_ESIZE = -9,		/* gzip ISIZE mismatch */
	INF_ETRAIL = -10,	/* bytes after the end of the stream */
	INF_ETRUNC = -11,	/* the input ended inside the stream */
	INF_EBOMB = -12,	/* max_out or max_ratio passed */
	INF_ESINK = -13,	/* the callback refused the bytes */
};

/* Huffman code: counts per length, symbols in canonical order, a fast table */
#define INF_FASTBITS 9
struct inf_huff {
	uint16_t count[16];
	uint16_t symbol[288];
	uint16_t fast[1 << INF_FASTBITS];	/* len << 9 | symbol; 0: longer code */
};

struct inflate {
	/* set by the caller after inflate_init */
	int (*out)(void *arg, const uint8_t *p, size_t n);	/* 0, or nonzero: stop */
	void *arg;
	uint64_t max_out;	/* 0: no limit */
	uint32_t max_ratio;	/* 0: no limit */
	/* the result, readable any time */
	uint64_t total_in, total_out;
	unsigned members;	/* gzip members (or zlib/raw streams) complete */
	/* state */
	int wrap, state, sub, last, err;
	uint64_t bitbuf;
	unsigned nbits;
	uint32_t n, len, ncode;		/* counters of the current state */
	uint32_t nlen, ndist;
	uint8_t flg;
	uint32_t check, crc, hcrc, isize;	/* running Adler-32 / CRC-32, size */
	uint64_t have;		/* output of this member (for distances) */
	uint32_t wpos, flushed;
	const uint8_t *in, *inend;	/* the piece being fed */
	uint8_t lens[320], clens[19];
	struct inf_huff lit, dist, clen;
	uint8_t ring[INF_RING];
};

/* a fresh stream of the given wrapping */
void inflate_init(struct inflate *, enum inf_wrap);
/*
 * n more bytes of the stream: INF_OK, or an error (sticky: every later
 * call returns it).  The output so far has been given to the callback.
 */
int inflate_feed(struct inflate *, const void *p, size_t n);
/* the input is over: INF_OK when the stream ended well, else the error or INF_ETRUNC */
int inflate_finish(struct inflate *);
/* a phrase for an error */
const char *inflate_strerror(int);

/* the checksums, for a caller that wants them (start: 1 and 0) */
uint32_t inf_adler32(uint32_t, const uint8_t *, size_t);
uint32_t inf_crc32(uint32_t, const uint8_t *, size_t);

#endif
