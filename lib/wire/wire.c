/* wire.c - cursor, writer and Internet checksum */
#include <string.h>

#include "wire.h"

void
cur_init(struct cursor *c, const void *buf, size_t len)
{
	c->buf = buf;
	c->len = buf ? len : 0;
	c->off = 0;
	c->bad = 0;
}

static int
need(struct cursor *c, size_t n)
{
	if (c->bad || n > c->len - c->off) {
		c->bad = 1;
		return 0;
	}
	return 1;
}

uint8_t
cur_u8(struct cursor *c)
{
	if (!need(c, 1))
		return 0;
	return c->buf[c->off++];
}

uint16_t
cur_u16(struct cursor *c)
{
	uint16_t v;

	if (!need(c, 2))
		return 0;
	v = get16(c->buf + c->off);
	c->off += 2;
	return v;
}

uint32_t
cur_u32(struct cursor *c)
{
	uint32_t v;

	if (!need(c, 4))
		return 0;
	v = get32(c->buf + c->off);
	c->off += 4;
	return v;
}

const uint8_t *
cur_take(struct cursor *c, size_t n)
{
	const uint8_t *p;

	if (!need(c, n))
		return NULL;
	p = c->buf + c->off;
	c->off += n;
	return p;
}

int
cur_copy(struct cursor *c, void *dst, size_t n)
{
	const uint8_t *p = cur_take(c, n);

	if (p == NULL)
		return -1;
	if (n)
		memcpy(dst, p, n);
	return 0;
}

void
cur_skip(struct cursor *c, size_t n)
{
	(void)cur_take(c, n);
}

void
cur_seek(struct cursor *c, size_t off)
{
	if (c->bad || off > c->len) {
		c->bad = 1;
		return;
	}
	c->off = off;
}

void
wr_init(struct writer *w, void *buf, size_t cap)
{
	w->buf = buf;
	w->cap = buf ? cap : 0;
	w->len = 0;
	w->bad = 0;
}

uint8_t *
wr_reserve(struct writer *w, size_t n)
{
	uint8_t *p;

	if (w->bad || n > w->cap - w->len) {
		w->bad = 1;
		return NULL;
	}
	p = w->buf + w->len;
	w->len += n;
	return p;
}

void
wr_u8(struct writer *w, uint8_t v)
{
	uint8_t *p = wr_reserve(w, 1);

	if (p)
		*p = v;
}

void
wr_u16(struct writer *w, uint16_t v)
{
	uint8_t *p = wr_reserve(w, 2);

	if (p)
		put16(p, v);
}

void
wr_u32(struct writer *w, uint32_t v)
{
	uint8_t *p = wr_reserve(w, 4);

	if (p)
		put32(p, v);
}

void
wr_bytes(struct writer *w, const void *src, size_t n)
{
	uint8_t *p = wr_reserve(w, n);

	if (p && n)
		memcpy(p, src, n);
}

void
wr_zero(struct writer *w, size_t n)
{
	uint8_t *p = wr_reserve(w, n);

	if (p && n)
		memset(p, 0, n);
}

uint32_t
cksum_add(uint32_t sum, const void *buf, size_t n)
{
	const uint8_t *p = buf;
	uint64_t s = sum;

	for (; n >= 2; p += 2, n -= 2)
		s += (uint32_t)p[0] << 8 | p[1];
	if (n)
		s += (uint32_t)p[0] << 8;
	while (s >> 32)
		s = (s & 0xffffffff) + (s >> 32);
	return (uint32_t)s;
}

uint16_t
cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t
cksum_pseudo4(const uint8_t src[4], const uint8_t dst[4], uint8_t proto, uint16_t len)
{
	uint8_t tail[4] = { 0, proto, (uint8_t)(len >> 8), (uint8_t)(len & 0xff) };
	uint32_t s;

	s = cksum_add(0, src, 4);
	s = cksum_add(s, dst, 4);
	return cksum_add(s, tail, 4);
}

uint32_t
cksum_pseudo6(const uint8_t src[16], const uint8_t dst[16], uint8_t next, uint32_t len)
{
	uint8_t tail[8];
	uint32_t s;

	put32(tail, len);
	tail[4] = tail[5] = tail[6] = 0;
	tail[7] = next;
	s = cksum_add(0, src, 16);
	s = cksum_add(s, dst, 16);
	return cksum_add(s, tail, 8);
}

int
tb_memcaseeq(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;
	size_t i;

	for (i = 0; i < n; i++)
		if (tb_lower(p[i]) != tb_lower(q[i]))
			return 0;
	return 1;
}

int
tb_strncaseeq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (tb_lower((unsigned char)a[i]) != tb_lower((unsigned char)b[i]))
			return 0;
		if (a[i] == '\0')
			return 1;
	}
	return 1;
}

int
tb_strcaseeq(const char *a, const char *b)
{
	return tb_strncaseeq(a, b, (size_t)-1);
}

int
dec_parse(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (max - (uint64_t)(s[i] - '0')) / 10 || (uint64_t)(s[i] - '0') > max)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

int
hex_parse(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;
	int d;

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if ((d = hexval((unsigned char)s[i])) < 0)
			return -1;
		if ((uint64_t)d > max || v > (max - (uint64_t)d) / 16)
			return -1;
		v = v * 16 + (uint64_t)d;
	}
	*out = v;
	return 0;
}

int
hex_pattern(const char *s, uint8_t *pat, size_t cap, size_t *bad)
{
	size_t i, n = strlen(s), k = 0;

	for (i = 0; i < n; i++)
		if (hexval((unsigned char)s[i]) < 0) {
			*bad = i;
			return -1;
		}
	if (n == 0 || n > 2 * cap)
		return -2;
	for (i = 0; i + 1 < n; i += 2)
		pat[k++] = (uint8_t)(hexval((unsigned char)s[i]) << 4 | hexval((unsigned char)s[i + 1]));
	if (i < n)
		pat[k++] = (uint8_t)hexval((unsigned char)s[i]);
	return (int)k;
}

void
fmt_init(struct fmt *f, char *buf, size_t cap)
{
	f->buf = buf;
	f->cap = cap;
	f->len = 0;
	if (cap)
		buf[0] = '\0';
}

void
fmt_mem(struct fmt *f, const void *p, size_t n)
{
	const char *s = p;
	size_t i;

	for (i = 0; i < n; i++, f->len++)
		if (f->len + 1 < f->cap)
			f->buf[f->len] = s[i];
	if (f->cap)
		f->buf[f->len < f->cap ? f->len : f->cap - 1] = '\0';
}

void
fmt_str(struct fmt *f, const char *s)
{
	fmt_mem(f, s, strlen(s));
}

void
fmt_uint(struct fmt *f, uint64_t v, unsigned base, unsigned width)
{
	char d[24];
	unsigned i = 0;

	if (base != 16)
		base = 10;
	do
		d[sizeof d - ++i] = "0123456789abcdef"[v % base];
	while ((v /= base) != 0 && i < sizeof d);
	while (i < width && i < sizeof d)
		d[sizeof d - ++i] = '0';
	fmt_mem(f, d + sizeof d - i, i);
}
