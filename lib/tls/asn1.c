/*
 * tls/asn1.c - the bounded DER reader (see asn1.h).  Public data: may
 * branch.  No system calls.
 */
#include <stdio.h>
#include <string.h>

#include "tls/asn1.h"

void
tb_asn1_init(struct tb_asn1 *c, const uint8_t *p, size_t n)
{
	c->p = p;
	c->end = p + n;
}

int
tb_asn1_done(const struct tb_asn1 *c)
{
	return c->p == c->end;
}

int
tb_asn1_peek(const struct tb_asn1 *c)
{
	return c->p < c->end ? c->p[0] : -1;
}

int
tb_asn1_any(struct tb_asn1 *c, unsigned *tag, struct tb_der *val, struct tb_der *whole)
{
	const uint8_t *p = c->p;
	size_t left = (size_t)(c->end - p), len, i, nb;

	if (left < 2)
		return -1;
	if ((p[0] & 0x1f) == 0x1f)	/* high tag number: X.509 has none */
		return -1;
	if (p[1] < 0x80) {
		len = p[1];
		i = 2;
	} else {
		nb = p[1] & 0x7f;
		/* 0x80 is the indefinite form, which DER forbids; over 4 bytes is absurd here */
		if (nb == 0 || nb > 4 || left < 2 + nb)
			return -1;
		if (p[2] == 0)		/* a leading zero: not minimal */
			return -1;
		len = 0;
		for (i = 0; i < nb; i++)
			len = len << 8 | p[2 + i];
		if (len < 0x80)		/* the short form would do */
			return -1;
		i = 2 + nb;
	}
	if (len > left - i)
		return -1;
	*tag = p[0];
	val->p = p + i;
	val->len = len;
	if (whole) {
		whole->p = p;
		whole->len = i + len;
	}
	c->p = p + i + len;
	return 0;
}

int
tb_asn1_get(struct tb_asn1 *c, unsigned tag, struct tb_der *val)
{
	struct tb_asn1 save = *c;
	unsigned t;

	if (tb_asn1_any(c, &t, val, NULL) < 0 || t != tag) {
		*c = save;
		return -1;
	}
	return 0;
}

int
tb_asn1_opt(struct tb_asn1 *c, unsigned tag, struct tb_der *val)
{
	if (tb_asn1_peek(c) != (int)tag)
		return 0;
	return tb_asn1_get(c, tag, val) < 0 ? -1 : 1;
}

static int
check(const uint8_t *p, size_t n, int depth)
{
	struct tb_asn1 c;
	struct tb_der v;
	unsigned tag;

	if (depth > TB_ASN1_DEPTH)
		return -1;
	tb_asn1_init(&c, p, n);
	while (!tb_asn1_done(&c)) {
		if (tb_asn1_any(&c, &tag, &v, NULL) < 0)
			return -1;
		if ((tag & 0x20) && check(v.p, v.len, depth + 1) < 0)
			return -1;
	}
	return 0;
}

int
tb_asn1_check(const uint8_t *der, size_t len)
{
	struct tb_asn1 c;
	struct tb_der v;
	unsigned tag;

	tb_asn1_init(&c, der, len);
	if (tb_asn1_any(&c, &tag, &v, NULL) < 0 || !tb_asn1_done(&c))
		return -1;
	return (tag & 0x20) ? check(v.p, v.len, 1) : 0;
}

int
tb_asn1_bool(const struct tb_der *d, int *b)
{
	if (d->len != 1 || (d->p[0] != 0 && d->p[0] != 0xff))
		return -1;
	*b = d->p[0] != 0;
	return 0;
}

int
tb_asn1_uint(const struct tb_der *d, long *v)
{
	size_t i;

	if (d->len == 0 || d->len > 4 || (d->p[0] & 0x80))
		return -1;
	if (d->len > 1 && d->p[0] == 0 && !(d->p[1] & 0x80))
		return -1;	/* not minimal */
	*v = 0;
	for (i = 0; i < d->len; i++)
		*v = *v << 8 | d->p[i];
	return 0;
}

int
tb_asn1_bits(const struct tb_der *d, struct tb_der *bits, unsigned *unused)
{
	if (d->len == 0 || d->p[0] > 7 || (d->len == 1 && d->p[0] != 0))
		return -1;
	/* DER: the unused bits are zero */
	if (d->len > 1 && (d->p[d->len - 1] & ((1u << d->p[0]) - 1)) != 0)
		return -1;
	*unused = d->p[0];
	bits->p = d->p + 1;
	bits->len = d->len - 1;
	return 0;
}

static int
digits(const uint8_t *p, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/*
 * Days since 1970-01-01: whole years of 365 days, plus the leap days
 * (every 4th year, not every 100th, every 400th) in the years before,
 * plus the days of the months before in this year.
 */
static int64_t
leaps_before(int64_t y)
{
	y -= 1;
	return y / 4 - y / 100 + y / 400;
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static const short mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

int64_t
tb_days(int y, int m, int d)
{
	int64_t n = 365 * ((int64_t)y - 1970) + leaps_before(y) - leaps_before(1970);
	int i;

	for (i = 1; i < m; i++)
		n += mdays[i - 1] + (i == 2 && leap(y));
	return n + d - 1;
}

void
tb_civil(int64_t days, int *y, int *m, int *d)
{
	int yy = 1970 + (int)(days / 366), mm = 1;
	int64_t left;

	/* a first guess a little early, then whole years, then months */
	if (days < 0)
		yy = 1970 + (int)(days / 365) - 1;
	while (tb_days(yy + 1, 1, 1) <= days)
		yy++;
	while (tb_days(yy, 1, 1) > days)
		yy--;
	left = days - tb_days(yy, 1, 1);
	while (mm < 12 && left >= mdays[mm - 1] + (mm == 2 && leap(yy))) {
		left -= mdays[mm - 1] + (mm == 2 && leap(yy));
		mm++;
	}
	*y = yy;
	*m = mm;
	*d = (int)left + 1;
}

int
tb_asn1_time(unsigned tag, const struct tb_der *t, int64_t *out)
{
	const uint8_t *p = t->p;
	int y, mo, d, h, mi, s, dim;

	/* RFC 5280 4.1.2.5.1/2: seconds always present, "Z", no fractions */
	if (tag == ASN1_UTCTIME) {
		if (t->len != 13 || (y = digits(p, 2)) < 0)
			return -1;
		y += y < 50 ? 2000 : 1900;
		p += 2;
	} else if (tag == ASN1_GENTIME) {
		if (t->len != 15 || (y = digits(p, 4)) < 1)
			return -1;
		p += 4;
	} else
		return -1;
	mo = digits(p, 2);
	d = digits(p + 2, 2);
	h = digits(p + 4, 2);
	mi = digits(p + 6, 2);
	s = digits(p + 8, 2);
	if (p[10] != 'Z' || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || s < 0 || s > 59)
		return -1;
	dim = mdays[mo - 1] + (mo == 2 && leap(y));
	if (d > dim)
		return -1;
	*out = tb_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	return 0;
}

int
tb_asn1_oid_str(const struct tb_der *d, char *buf, size_t n)
{
	size_t i, o = 0;
	uint64_t v = 0;
	int first = 1, k;

	if (n == 0)
		return -1;
	buf[0] = '\0';
	if (d->len == 0 || (d->p[d->len - 1] & 0x80))
		return -1;
	for (i = 0; i < d->len; i++) {
		if (v == 0 && d->p[i] == 0x80)	/* a padded arc */
			return -1;
		if (v >> 56)
			return -1;
		v = v << 7 | (d->p[i] & 0x7f);
		if (d->p[i] & 0x80)
			continue;
		if (first) {
			unsigned a = v < 40 ? 0 : v < 80 ? 1 : 2;

			k = snprintf(buf + o, n - o, "%u.%llu", a,
			    (unsigned long long)(v - 40 * a));
			first = 0;
		} else
			k = snprintf(buf + o, n - o, ".%llu", (unsigned long long)v);
		if (k < 0 || (size_t)k >= n - o)
			return -1;
		o += (size_t)k;
		v = 0;
	}
	return 0;
}

int
tb_asn1_oid_is(const struct tb_der *d, const char *oid, size_t len)
{
	return d->len == len && memcmp(d->p, oid, len) == 0;
}
