/*
 * wire.h - bytes in, values out: the bounds-checked cursor, the writer,
 * big-endian helpers and the Internet checksum.  No system calls here.
 *
 * A cursor poisons itself on the first short read; every later read
 * returns zero, so a parser may read a whole header and check ->bad once.
 */
#ifndef TUBES_WIRE_H
#define TUBES_WIRE_H

#include <stddef.h>
#include <stdint.h>

static inline uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v & 0xff; }
static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24; p[1] = (v >> 16) & 0xff; p[2] = (v >> 8) & 0xff; p[3] = v & 0xff;
}

/* the value of a hex digit, or -1 */
static inline int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * ASCII case-insensitive comparison for protocol text (header names,
 * commands, DNS labels): letters A-Z only, never the locale, so a
 * Turkish locale cannot make "I" differ from "i".  1 when equal.
 */
static inline int tb_lower(int c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }
int tb_memcaseeq(const void *, const void *, size_t n);
int tb_strcaseeq(const char *, const char *);
/* the first n bytes, or both strings if they end sooner, as strncasecmp */
int tb_strncaseeq(const char *, const char *, size_t n);

/*
 * Numbers in wire text, all n bytes of them: decimal digits only, or hex
 * digits only (either case) -- no sign, no blank, no 0x -- and at most
 * max.  0 with *out set, else -1.  Unlike strtoul there is no locale,
 * no errno and no silent wrap.
 */
int dec_parse(const char *s, size_t n, uint64_t max, uint64_t *out);
int hex_parse(const char *s, size_t n, uint64_t max, uint64_t *out);

/*
 * ping's -p pattern: hex digits, two to a byte, an odd last digit a byte
 * of its own (as sscanf %2x reads it), at most cap bytes.  The byte count,
 * or -1 with *bad at the first character that is not a hex digit, or -2
 * for an empty or too long pattern.
 */
int hex_pattern(const char *s, uint8_t *pat, size_t cap, size_t *bad);

/*
 * Text into a bounded buffer, for wire code (which has no stdio): like
 * snprintf, len counts everything appended, what fits is stored and the
 * buffer stays NUL-terminated (when cap > 0).
 */
struct fmt {
	char *buf;
	size_t cap, len;
};
void fmt_init(struct fmt *, char *buf, size_t cap);
void fmt_mem(struct fmt *, const void *, size_t);
void fmt_str(struct fmt *, const char *);
/* v in base 10 or 16 (lower case), zero-padded to width digits */
void fmt_uint(struct fmt *, uint64_t v, unsigned base, unsigned width);

struct cursor {
	const uint8_t *buf;
	size_t len;		/* bytes in buf */
	size_t off;		/* next byte to read */
	int bad;		/* set by a short read; sticky */
};

void cur_init(struct cursor *, const void *, size_t);
uint8_t cur_u8(struct cursor *);
uint16_t cur_u16(struct cursor *);
uint32_t cur_u32(struct cursor *);
/* n bytes at the cursor, advanced past; NULL (and poisoned) if short */
const uint8_t *cur_take(struct cursor *, size_t n);
int cur_copy(struct cursor *, void *dst, size_t n);	/* 0 or -1 */
void cur_skip(struct cursor *, size_t n);
void cur_seek(struct cursor *, size_t off);	/* poisons past the end */
static inline size_t cur_left(const struct cursor *c) { return c->bad ? 0 : c->len - c->off; }

struct writer {
	uint8_t *buf;
	size_t cap;		/* room in buf */
	size_t len;		/* bytes written */
	int bad;		/* set when a write would overflow; sticky */
};

void wr_init(struct writer *, void *, size_t cap);
void wr_u8(struct writer *, uint8_t);
void wr_u16(struct writer *, uint16_t);
void wr_u32(struct writer *, uint32_t);
void wr_bytes(struct writer *, const void *, size_t);
void wr_zero(struct writer *, size_t);
/* reserve n bytes, return where they start (for a length filled in later) */
uint8_t *wr_reserve(struct writer *, size_t n);

/*
 * RFC 1071 Internet checksum: cksum_add sums big-endian 16-bit words
 * (an odd trailing byte is padded with zero) without folding, so sums may
 * be chained; cksum_fold folds and complements.
 */
uint32_t cksum_add(uint32_t sum, const void *, size_t);
uint16_t cksum_fold(uint32_t sum);
static inline uint16_t cksum(const void *p, size_t n) { return cksum_fold(cksum_add(0, p, n)); }
/* pseudo-header sums; src and dst are 4 or 16 bytes in network order */
uint32_t cksum_pseudo4(const uint8_t src[4], const uint8_t dst[4], uint8_t proto, uint16_t len);
uint32_t cksum_pseudo6(const uint8_t src[16], const uint8_t dst[16], uint8_t next, uint32_t len);

/*
 * A received checksum's verdict for -X (cksumview.c), written into buf
 * and returned: "0x1c46 [correct]", or "[incorrect, should be 0x1c47]"
 * with the value the field should hold.  sum is the unfolded sum of
 * everything the checksum covers (pseudo-header included) as received.
 * With pseudo set, pseudo is the unfolded pseudo-header sum alone: a
 * field that holds that sum folded (not complemented) is a checksum the
 * sender left to an offload that never ran (CHECKSUM_PARTIAL across lo
 * or veth), and the verdict says so.
 */
char *cksum_verdict(char *buf, size_t n, uint16_t field, uint32_t sum, int have_pseudo,
    uint32_t pseudo);
/* the value a checksum field should hold, from the sum as received */
uint16_t cksum_want(uint32_t sum, uint16_t field);

#endif
