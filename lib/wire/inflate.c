/*
 * inflate.c - DEFLATE (RFC 1951) in zlib (RFC 1950) or gzip (RFC 1952)
 * wrapping, as a stream (see inflate.h).
 *
 * The input is pulled into a 64-bit bit buffer; a step of the decoder
 * (a header field, a literal, a whole length/distance pair: at most
 * 15 + 5 + 15 + 13 = 48 bits) takes its bits only once all of them are
 * there, so when a piece of input runs out mid-step the step is simply
 * tried again with the next piece, and the result cannot depend on how
 * the input was cut.  The output goes through a 64 KiB ring that is
 * also the 32 KiB window: it is handed to the callback (after the
 * limits and the running checksum) when the ring wraps and at the end
 * of every piece.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "inflate.h"

enum {
	S_AUTO, S_ZHDR, S_GHDR, S_BLOCK, S_STORED_LEN, S_STORED, S_TABLE, S_CLENS,
	S_LENS, S_CODES, S_TRAILER, S_END
};

/* gzip FLG bits (RFC 1952 2.3.1) */
#define G_FHCRC 0x02
#define G_FEXTRA 0x04
#define G_FNAME 0x08
#define G_FCOMMENT 0x10
#define G_RESERVED 0xe0

/* RFC 1951 3.2.5: base lengths and distances, and their extra bits */
static const uint16_t lbase[29] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
	67, 83, 99, 115, 131, 163, 195, 227, 258
};
static const uint8_t lext[29] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
};
static const uint16_t dbase[30] = {
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
	1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577
};
static const uint8_t dext[30] = {
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11,
	12, 12, 13, 13
};
/* RFC 1951 3.2.7: the order the code length code's lengths come in */
static const uint8_t clorder[19] = {
	16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
};

/* --- checksums ------------------------------------------------------------ */

uint32_t
inf_adler32(uint32_t adler, const uint8_t *p, size_t n)
{
	uint32_t a = adler & 0xffff, b = adler >> 16;
	size_t k;

	while (n > 0) {
		/* 5552 bytes keep b below 2^32 before the reduction (RFC 1950 9) */
		k = n < 5552 ? n : 5552;
		n -= k;
		while (k-- > 0) {
			a += *p++;
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	return b << 16 | a;
}

static uint32_t crctab[256];
static int crcready;

uint32_t
inf_crc32(uint32_t crc, const uint8_t *p, size_t n)
{
	uint32_t c;
	unsigned i, k;

	if (!crcready) {
		/* the reflected polynomial of ISO 3309 / ITU-T V.42 */
		for (i = 0; i < 256; i++) {
			c = i;
			for (k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			crctab[i] = c;
		}
		crcready = 1;
	}
	crc = ~crc;
	while (n-- > 0)
		crc = crctab[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* --- Huffman codes ----------------------------------------------------------- */

static unsigned
reverse(unsigned code, unsigned len)
{
	unsigned r = 0;

	while (len-- > 0) {
		r = r << 1 | (code & 1);
		code >>= 1;
	}
	return r;
}

/*
 * The canonical code of n lengths (RFC 1951 3.2.2).  An over-subscribed
 * set is an error; so is an incomplete one, except (as zlib allows) a
 * literal or distance code of one code of one bit.  No codes at all is
 * accepted here and fails when a symbol is decoded.
 */
static int
build(struct inf_huff *h, const uint8_t *len, unsigned n, int clcode)
{
	uint16_t offs[16];
	unsigned i, l, k, code, r, j, used;
	int left;

	memset(h->count, 0, sizeof h->count);
	memset(h->fast, 0, sizeof h->fast);
	for (i = 0; i < n; i++)
		h->count[len[i]]++;
	used = n - h->count[0];
	if (used == 0)
		return 0;
	left = 1;
	for (l = 1; l < 16; l++) {
		left = left * 2 - h->count[l];
		if (left < 0)
			return INF_ETABLE;
	}
	if (left > 0 && (clcode || used != 1 || h->count[1] != 1))
		return INF_ETABLE;
	offs[1] = 0;
	for (l = 1; l < 15; l++)
		offs[l + 1] = (uint16_t)(offs[l] + h->count[l]);
	for (i = 0; i < n; i++)
		if (len[i] != 0)
			h->symbol[offs[len[i]]++] = (uint16_t)i;
	/* codes of up to INF_FASTBITS bits in one look-up, by their bits reversed */
	code = k = 0;
	for (l = 1; l <= INF_FASTBITS; l++) {
		for (i = 0; i < h->count[l]; i++, k++, code++) {
			r = reverse(code, l);
			for (j = r; j < (1u << INF_FASTBITS); j += 1u << l)
				h->fast[j] = (uint16_t)(l << 9 | h->symbol[k]);
		}
		code <<= 1;
	}
	return 0;
}

/*
 * A symbol from the low nbits of bits: the symbol and *used, -1 when
 * nbits are not enough to tell, -2 for bits that are no code.
 */
static int
decode(const struct inf_huff *h, uint64_t bits, unsigned nbits, unsigned *used)
{
	unsigned e = h->fast[bits & ((1u << INF_FASTBITS) - 1)], l;
	int code = 0, first = 0, index = 0, count;

	if (e != 0 && (e >> 9) <= nbits) {
		*used = e >> 9;
		return (int)(e & 511);
	}
	for (l = 1; l < 16; l++) {
		if (l > nbits)
			return -1;
		code |= (int)(bits & 1);
		bits >>= 1;
		count = h->count[l];
		if (code - count < first) {
			*used = l;
			return h->symbol[index + (code - first)];
		}
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return -2;
}

/* --- bits and bytes ------------------------------------------------------------ */

/* as much input into the bit buffer as it holds */
static void
fill(struct inflate *s)
{
	while (s->nbits <= 56 && s->in < s->inend) {
		s->bitbuf |= (uint64_t)*s->in++ << s->nbits;
		s->nbits += 8;
	}
}

static int
have(struct inflate *s, unsigned n)
{
	fill(s);
	return s->nbits >= n;
}

static uint32_t
peek(const struct inflate *s, unsigned n)
{
	return (uint32_t)(s->bitbuf & ((1ull << n) - 1));
}

static void
drop(struct inflate *s, unsigned n)
{
	s->bitbuf >>= n;
	s->nbits -= n;
}

static uint32_t
take(struct inflate *s, unsigned n)
{
	uint32_t v = peek(s, n);

	drop(s, n);
	return v;
}

/* --- output --------------------------------------------------------------------- */

/* the ring's new bytes to the callback, past the limits and into the check value */
static int
flush(struct inflate *s)
{
	const uint8_t *p = s->ring + s->flushed;
	size_t n = s->wpos - s->flushed;
	uint64_t to = s->total_out + n;

	if (n > 0) {
		if (s->max_out && to > s->max_out)
			return INF_EBOMB;
		if (s->max_ratio && to > INF_RATIO_FLOOR &&
		    to / s->max_ratio > s->total_in)
			return INF_EBOMB;
		if (s->wrap == INF_ZLIB)
			s->check = inf_adler32(s->check, p, n);
		else if (s->wrap == INF_GZIP)
			s->check = inf_crc32(s->check, p, n);
		s->total_out = to;
		s->isize += (uint32_t)n;
		if (s->out && s->out(s->arg, p, n) != 0)
			return INF_ESINK;
		s->flushed = s->wpos;
	}
	if (s->wpos == INF_RING)
		s->wpos = s->flushed = 0;
	return 0;
}

static int
put(struct inflate *s, uint8_t b)
{
	s->ring[s->wpos++] = b;
	s->have++;
	return s->wpos == INF_RING ? flush(s) : 0;
}

/* --- the states -------------------------------------------------------------------- */

static void
member_start(struct inflate *s)
{
	s->check = s->wrap == INF_ZLIB ? 1 : 0;
	s->isize = 0;
	s->have = 0;
	s->last = 0;
	s->sub = 0;
	s->hcrc = 0;
}

/* a byte of a gzip header, kept for FHCRC */
static uint32_t
hbyte(struct inflate *s)
{
	uint8_t b = (uint8_t)take(s, 8);

	s->hcrc = inf_crc32(s->hcrc, &b, 1);
	return b;
}

/*
 * The gzip header, byte by byte: sub 0-9 the fixed part, 10-11 XLEN,
 * 12 the extra field, 13 the name, 14 the comment, 15-16 the CRC16.
 * 1 done, 0 more input, or an error.
 */
static int
gzip_header(struct inflate *s)
{
	uint32_t b;

	for (;;) {
		if (s->sub == 12 && s->n == 0)
			s->sub = 13;
		if (s->sub == 13 && !(s->flg & G_FNAME))
			s->sub = 14;
		if (s->sub == 14 && !(s->flg & G_FCOMMENT))
			s->sub = 15;
		if (s->sub == 15 && !(s->flg & G_FHCRC))
			return 1;
		if (!have(s, 8))
			return 0;
		if (s->sub >= 15) {
			b = take(s, 8);
			if (s->sub == 15) {
				s->len = b;
				s->sub = 16;
				continue;
			}
			if ((s->len | b << 8) != (s->hcrc & 0xffff))
				return INF_ECHECK;
			return 1;
		}
		b = hbyte(s);
		switch (s->sub) {
		case 0:
			if (b != 0x1f)
				return INF_EHEADER;
			break;
		case 1:
			if (b != 0x8b)
				return INF_EHEADER;
			break;
		case 2:
			if (b != 8)
				return INF_EHEADER;
			break;
		case 3:
			if (b & G_RESERVED)
				return INF_EHEADER;
			s->flg = (uint8_t)b;
			break;
		case 9:
			if (!(s->flg & G_FEXTRA)) {
				s->sub = 13;
				continue;
			}
			break;
		case 10:
			s->n = b;
			break;
		case 11:
			s->n |= b << 8;
			break;
		case 12:
			s->n--;
			continue;
		case 13:
		case 14:
			if (b == 0)
				s->sub++;
			continue;
		}
		s->sub++;
	}
}

/* the zlib header (RFC 1950 2.2) in a and b: 0 or an error */
static int
zlib_header(uint32_t a, uint32_t b)
{
	if ((a & 15) != 8 || (a >> 4) > 7 || (a << 8 | b) % 31 != 0)
		return INF_EHEADER;
	if (b & 0x20)
		return INF_EDICT;
	return 0;
}

static void
fixed_codes(struct inflate *s)
{
	unsigned i;

	for (i = 0; i < 288; i++)
		s->lens[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
	(void)build(&s->lit, s->lens, 288, 0);
	/* all 32 five-bit codes: 30 and 31 are codes that decode() rejects */
	for (i = 0; i < 32; i++)
		s->lens[i] = 5;
	(void)build(&s->dist, s->lens, 32, 0);
}

/* the code lengths of a dynamic block: 1 done, 0 more input, or an error */
static int
code_lengths(struct inflate *s)
{
	unsigned used, rep, eb, total = s->nlen + s->ndist;
	int sym, r;
	uint8_t v;

	while (s->n < total) {
		fill(s);
		if ((sym = decode(&s->clen, s->bitbuf, s->nbits, &used)) == -1)
			return 0;
		if (sym < 0)
			return INF_ECODE;
		if (sym < 16) {
			drop(s, used);
			s->lens[s->n++] = (uint8_t)sym;
			continue;
		}
		eb = sym == 16 ? 2 : sym == 17 ? 3 : 7;
		if (s->nbits < used + eb)
			return 0;
		drop(s, used);
		rep = take(s, eb) + (sym == 16 ? 3 : sym == 17 ? 3 : 11);
		if (sym == 16 && s->n == 0)
			return INF_ETABLE;
		v = sym == 16 ? s->lens[s->n - 1] : 0;
		if (s->n + rep > total)
			return INF_ETABLE;
		while (rep-- > 0)
			s->lens[s->n++] = v;
	}
	if (s->lens[256] == 0)
		return INF_ETABLE;	/* no end of block */
	if ((r = build(&s->lit, s->lens, s->nlen, 0)) < 0 ||
	    (r = build(&s->dist, s->lens + s->nlen, s->ndist, 0)) < 0)
		return r;
	return 1;
}

/* the compressed data of a block: 1 at its end, 0 more input, or an error */
static int
codes(struct inflate *s)
{
	unsigned u1, u2, eb, de, len, dist;
	uint64_t bits;
	int sym, dsym, r;

	for (;;) {
		fill(s);
		if ((sym = decode(&s->lit, s->bitbuf, s->nbits, &u1)) == -1)
			return 0;
		if (sym < 0)
			return INF_ECODE;
		if (sym < 256) {
			drop(s, u1);
			if ((r = put(s, (uint8_t)sym)) < 0)
				return r;
			continue;
		}
		if (sym == 256) {
			drop(s, u1);
			return 1;
		}
		if ((sym -= 257) >= 29)
			return INF_ECODE;
		eb = lext[sym];
		if (s->nbits < u1 + eb)
			return 0;
		len = lbase[sym] + (unsigned)((s->bitbuf >> u1) & ((1u << eb) - 1));
		bits = s->bitbuf >> (u1 + eb);
		if ((dsym = decode(&s->dist, bits, s->nbits - u1 - eb, &u2)) == -1)
			return 0;
		if (dsym < 0 || dsym >= 30)
			return INF_ECODE;
		de = dext[dsym];
		if (s->nbits < u1 + eb + u2 + de)
			return 0;
		dist = dbase[dsym] + (unsigned)((bits >> u2) & ((1u << de) - 1));
		if (dist > s->have)
			return INF_EDIST;
		drop(s, u1 + eb + u2 + de);
		while (len-- > 0)
			if ((r = put(s, s->ring[(s->wpos - dist) & (INF_RING - 1)])) < 0)
				return r;
	}
}

/* a stored block's bytes: 1 at its end, 0 more input, or an error */
static int
stored(struct inflate *s)
{
	size_t k;
	int r;

	while (s->len > 0 && s->nbits >= 8) {
		if ((r = put(s, (uint8_t)take(s, 8))) < 0)
			return r;
		s->len--;
	}
	while (s->len > 0 && s->in < s->inend) {
		k = (size_t)(s->inend - s->in);
		if (k > s->len)
			k = s->len;
		if (k > INF_RING - s->wpos)
			k = INF_RING - s->wpos;
		memcpy(s->ring + s->wpos, s->in, k);
		s->in += k;
		s->wpos += (uint32_t)k;
		s->have += k;
		s->len -= (uint32_t)k;
		if (s->wpos == INF_RING && (r = flush(s)) < 0)
			return r;
	}
	return s->len == 0;
}

/* the trailer after the last block: 1 good, 0 more input, or an error */
static int
trailer(struct inflate *s)
{
	uint32_t want;
	int r;

	if (s->wrap == INF_RAW)
		return 1;
	while (s->sub < (s->wrap == INF_ZLIB ? 4 : 8)) {
		if (!have(s, 8))
			return 0;
		if (s->wrap == INF_ZLIB)
			s->len = s->len << 8 | take(s, 8);
		else if (s->sub < 4)
			s->len |= take(s, 8) << (8 * s->sub);
		else
			s->n |= take(s, 8) << (8 * (s->sub - 4));
		s->sub++;
	}
	if ((r = flush(s)) < 0)
		return r;
	want = s->check;
	if (s->len != want)
		return INF_ECHECK;
	if (s->wrap == INF_GZIP && s->n != s->isize)
		return INF_ESIZE;
	return 1;
}

/* one step: 1 go on, 0 more input, or an error */
static int
step(struct inflate *s)
{
	uint32_t a, b;
	int r;

	switch (s->state) {
	case S_AUTO:
		if (!have(s, 16))
			return 0;
		a = peek(s, 8);
		b = (uint32_t)(s->bitbuf >> 8) & 0xff;
		s->wrap = zlib_header(a, b) == INF_EHEADER ? INF_RAW : INF_ZLIB;
		member_start(s);
		s->state = s->wrap == INF_ZLIB ? S_ZHDR : S_BLOCK;
		return 1;
	case S_ZHDR:
		if (!have(s, 16))
			return 0;
		a = take(s, 8);
		b = take(s, 8);
		if ((r = zlib_header(a, b)) < 0)
			return r;
		s->state = S_BLOCK;
		return 1;
	case S_GHDR:
		if ((r = gzip_header(s)) <= 0)
			return r;
		s->state = S_BLOCK;
		return 1;
	case S_BLOCK:
		if (s->last) {
			drop(s, s->nbits & 7);
			s->sub = 0;
			s->len = s->n = 0;
			s->state = S_TRAILER;
			return 1;
		}
		if (!have(s, 3))
			return 0;
		s->last = (int)take(s, 1);
		switch (take(s, 2)) {
		case 0:
			drop(s, s->nbits & 7);
			s->state = S_STORED_LEN;
			break;
		case 1:
			fixed_codes(s);
			s->state = S_CODES;
			break;
		case 2:
			s->state = S_TABLE;
			break;
		default:
			return INF_EBTYPE;
		}
		return 1;
	case S_STORED_LEN:
		if (!have(s, 32))
			return 0;
		a = take(s, 16);
		b = take(s, 16);
		if (a != (~b & 0xffff))
			return INF_ESTORED;
		s->len = a;
		s->state = S_STORED;
		return 1;
	case S_STORED:
		if ((r = stored(s)) <= 0)
			return r;
		s->state = S_BLOCK;
		return 1;
	case S_TABLE:
		if (!have(s, 14))
			return 0;
		s->nlen = take(s, 5) + 257;
		s->ndist = take(s, 5) + 1;
		s->ncode = take(s, 4) + 4;
		if (s->nlen > 286 || s->ndist > 30)
			return INF_ETABLE;
		memset(s->clens, 0, sizeof s->clens);
		s->n = 0;
		s->state = S_CLENS;
		return 1;
	case S_CLENS:
		while (s->n < s->ncode) {
			if (!have(s, 3))
				return 0;
			s->clens[clorder[s->n++]] = (uint8_t)take(s, 3);
		}
		if ((r = build(&s->clen, s->clens, 19, 1)) < 0)
			return r;
		s->n = 0;
		s->state = S_LENS;
		return 1;
	case S_LENS:
		if ((r = code_lengths(s)) <= 0)
			return r;
		s->state = S_CODES;
		return 1;
	case S_CODES:
		if ((r = codes(s)) <= 0)
			return r;
		s->state = S_BLOCK;
		return 1;
	case S_TRAILER:
		if ((r = trailer(s)) <= 0)
			return r;
		s->members++;
		s->state = S_END;
		return 1;
	case S_END:
		if (!have(s, 8))
			return 0;
		if (s->wrap != INF_GZIP)
			return INF_ETRAIL;
		/* another member, or zeros padding the file out (as gzip(1) allows) */
		if (peek(s, 8) == 0) {
			drop(s, 8);
			return 1;
		}
		if (peek(s, 8) != 0x1f)
			return INF_ETRAIL;
		member_start(s);
		s->state = S_GHDR;
		return 1;
	}
	return INF_EHEADER;
}

void
inflate_init(struct inflate *s, enum inf_wrap wrap)
{
	memset(s, 0, offsetof(struct inflate, lens));
	s->wrap = (int)wrap;
	member_start(s);
	s->state = wrap == INF_AUTO ? S_AUTO : wrap == INF_ZLIB ? S_ZHDR : wrap == INF_GZIP ?
	    S_GHDR : S_BLOCK;
}

int
inflate_feed(struct inflate *s, const void *p, size_t n)
{
	int r;

	if (s->err)
		return s->err;
	s->in = p;
	s->inend = s->in + n;
	s->total_in += n;
	while ((r = step(s)) > 0)
		;
	if (r == 0)
		r = flush(s);
	s->in = s->inend = NULL;
	if (r < 0)
		s->err = r;
	return r;
}

int
inflate_finish(struct inflate *s)
{
	if (s->err)
		return s->err;
	if (s->total_in == 0)
		return INF_OK;	/* no byte at all: an empty body, as curl takes it */
	if (s->state == S_END)
		return INF_OK;
	return s->err = INF_ETRUNC;
}

const char *
inflate_strerror(int e)
{
	switch (e) {
	case INF_OK: return "no error";
	case INF_EHEADER: return "not a zlib or gzip header";
	case INF_EDICT: return "zlib preset dictionary";
	case INF_EBTYPE: return "invalid block type";
	case INF_ESTORED: return "stored block length mismatch";
	case INF_ETABLE: return "invalid Huffman code lengths";
	case INF_ECODE: return "invalid code";
	case INF_EDIST: return "distance too far back";
	case INF_ECHECK: return "check value mismatch";
	case INF_ESIZE: return "gzip size mismatch";
	case INF_ETRAIL: return "bytes after the end of the stream";
	case INF_ETRUNC: return "compressed data cut short";
	case INF_EBOMB: return "decoded size over the limit";
	case INF_ESINK: return "output refused";
	}
	return "unknown error";
}
