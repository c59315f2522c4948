/*
 * dns.c - DNS wire code: names (bounded decompression, compression),
 * message validation, typed rdata, builders.  No system calls.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dns.h"
#include "wire.h"

const char *
dns_strerror(int err)
{
	switch (err) {
	case DNS_OK: return "ok";
	case DNS_ESHORT: return "message cut short";
	case DNS_ELOOP: return "compression pointer loop";
	case DNS_EPTR: return "compression pointer forward or past the end";
	case DNS_ELABELTYPE: return "reserved label type";
	case DNS_ELABEL: return "bad label length";
	case DNS_ENAMELEN: return "name longer than 255 octets";
	case DNS_ERDATA: return "bad rdata length";
	case DNS_ECOUNT: return "fewer records than counted";
	case DNS_EOPT: return "misplaced or repeated OPT record";
	case DNS_ESPACE: return "no room";
	case DNS_ESYNTAX: return "syntax error";
	}
	return "unknown error";
}

/* --- names ------------------------------------------------------------- */

int
dns_name_read(const uint8_t *msg, size_t len, size_t off, size_t lim,
    struct dns_name *out, size_t *next)
{
	size_t pos = off, lowest = off, end = lim, after = 0;
	unsigned jumps = 0, olen = 0;
	int jumped = 0;

	if (lim > len)
		end = lim = len;
	for (;;) {
		uint8_t c;

		if (pos >= end)
			return DNS_ESHORT;
		c = msg[pos];
		if ((c & 0xc0) == 0xc0) {
			size_t ptr;

			if (pos + 1 >= end)
				return DNS_ESHORT;
			ptr = (size_t)(c & 0x3f) << 8 | msg[pos + 1];
			if (!jumped)
				after = pos + 2;
			if (ptr >= len)
				return DNS_EPTR;
			if (ptr >= lowest)
				return (jumped || ptr <= pos) ? DNS_ELOOP : DNS_EPTR;
			if (++jumps > DNS_MAXJUMPS)
				return DNS_ELOOP;
			lowest = pos = ptr;
			end = len;	/* the target lies anywhere before */
			jumped = 1;
			continue;
		}
		if (c & 0xc0)
			return DNS_ELABELTYPE;
		if (c == 0) {
			if (olen + 1 > DNS_MAXNAME)
				return DNS_ENAMELEN;
			out->b[olen++] = 0;
			out->len = (uint8_t)olen;
			if (!jumped)
				after = pos + 1;
			if (next)
				*next = after;
			return DNS_OK;
		}
		if (olen + 1 + c + 1 > DNS_MAXNAME)
			return DNS_ENAMELEN;
		if (pos + 1 + c > end)
			return DNS_ESHORT;
		memcpy(out->b + olen, msg + pos, 1 + (size_t)c);
		olen += 1 + c;
		if (pos < lowest)
			lowest = pos;
		pos += 1 + (size_t)c;
	}
}

static int
digit(int c)
{
	return c >= '0' && c <= '9';
}

int
dns_name_from_str(const char *s, struct dns_name *out)
{
	size_t olen = 0, lab = 0;	/* lab: where the current label's length byte is */
	unsigned llen = 0;

	if (s[0] == '.' && s[1] == '\0') {
		out->b[0] = 0;
		out->len = 1;
		return DNS_OK;
	}
	if (*s == '\0')
		return DNS_ELABEL;
	out->b[0] = 0;
	olen = 1;
	while (*s) {
		unsigned c = (unsigned char)*s++;

		if (c == '.') {
			if (llen == 0)
				return DNS_ELABEL;	/* empty label: "a..b" or ".a" */
			out->b[lab] = (uint8_t)llen;
			lab = olen;
			llen = 0;
			if (*s == '\0')
				break;
			if (olen >= DNS_MAXNAME)
				return DNS_ENAMELEN;
			out->b[olen++] = 0;
			continue;
		}
		if (c == '\\') {
			if (digit(s[0]) && digit(s[1]) && digit(s[2])) {
				c = (unsigned)(s[0] - '0') * 100 + (unsigned)(s[1] - '0') * 10 +
				    (unsigned)(s[2] - '0');
				if (c > 255)
					return DNS_ESYNTAX;
				s += 3;
			} else if (*s) {
				c = (unsigned char)*s++;
			} else {
				return DNS_ESYNTAX;
			}
		}
		if (++llen > DNS_MAXLABEL)
			return DNS_ELABEL;
		if (olen >= DNS_MAXNAME)
			return DNS_ENAMELEN;
		out->b[olen++] = (uint8_t)c;
	}
	if (llen) {
		out->b[lab] = (uint8_t)llen;
		lab = olen;
		if (olen >= DNS_MAXNAME)
			return DNS_ENAMELEN;
		out->b[olen++] = 0;
	} else {
		/* ended on a dot: the root byte goes at lab */
		if (lab >= DNS_MAXNAME)
			return DNS_ENAMELEN;
		out->b[lab] = 0;
		olen = lab + 1;
	}
	out->len = (uint8_t)olen;
	return DNS_OK;
}

static size_t
put_ch(char *buf, size_t cap, size_t n, char c)
{
	if (n + 1 < cap)
		buf[n] = c;
	return n + 1;
}

size_t
dns_name_str(const struct dns_name *nm, char *buf, size_t cap)
{
	size_t i = 0, n = 0;

	if (nm->len == 0 || nm->b[0] == 0) {
		n = put_ch(buf, cap, n, '.');
		goto done;
	}
	while (i < nm->len && nm->b[i]) {
		unsigned l = nm->b[i++], k;

		for (k = 0; k < l && i < nm->len; k++, i++) {
			unsigned c = nm->b[i];

			if (c <= 0x20 || c >= 0x7f) {
				n = put_ch(buf, cap, n, '\\');
				n = put_ch(buf, cap, n, (char)('0' + c / 100));
				n = put_ch(buf, cap, n, (char)('0' + c / 10 % 10));
				n = put_ch(buf, cap, n, (char)('0' + c % 10));
				continue;
			}
			if (c == '.' || c == '\\' || c == '"' || c == '(' || c == ')' ||
			    c == ';' || c == '@' || c == '$')
				n = put_ch(buf, cap, n, '\\');
			n = put_ch(buf, cap, n, (char)c);
		}
		n = put_ch(buf, cap, n, '.');
	}
done:
	if (cap)
		buf[n < cap ? n : cap - 1] = '\0';
	return n;
}

int
dns_name_eq(const struct dns_name *a, const struct dns_name *b)
{
	return a->len == b->len && tb_memcaseeq(a->b, b->b, a->len);
}

int
dns_name_labels(const struct dns_name *nm)
{
	size_t i = 0;
	int n = 0;

	while (i < nm->len && nm->b[i]) {
		i += 1 + (size_t)nm->b[i];
		n++;
	}
	return n;
}

int
dns_name_cat(const struct dns_name *a, const struct dns_name *b, struct dns_name *out)
{
	size_t al = a->len ? (size_t)a->len - 1 : 0;
	struct dns_name t;

	if (al + b->len > DNS_MAXNAME)
		return DNS_ENAMELEN;
	memcpy(t.b, a->b, al);
	memcpy(t.b + al, b->b, b->len);
	t.len = (uint8_t)(al + b->len);
	*out = t;
	return DNS_OK;
}

void
dns_name_reverse(const uint8_t *addr, int len16, struct dns_name *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	int i;

	if (len16) {
		for (i = 15; i >= 0; i--) {
			out->b[n++] = 1;
			out->b[n++] = (uint8_t)hex[addr[i] & 0xf];
			out->b[n++] = 1;
			out->b[n++] = (uint8_t)hex[addr[i] >> 4];
		}
		memcpy(out->b + n, "\003ip6\004arpa", 10);
		n += 10;
	} else {
		for (i = 3; i >= 0; i--) {
			unsigned v = addr[i];
			size_t l = n++;

			if (v >= 100)
				out->b[n++] = (uint8_t)('0' + v / 100);
			if (v >= 10)
				out->b[n++] = (uint8_t)('0' + v / 10 % 10);
			out->b[n++] = (uint8_t)('0' + v % 10);
			out->b[l] = (uint8_t)(n - l - 1);
		}
		memcpy(out->b + n, "\007in-addr\004arpa", 14);
		n += 14;
	}
	out->b[n++] = 0;
	out->len = (uint8_t)n;
}

/* --- parsing ----------------------------------------------------------- */

void
dns_header_get(const uint8_t *m, struct dns_header *h)
{
	h->id = get16(m + DNS_OFF_ID);
	h->flags = get16(m + DNS_OFF_FLAGS);
	h->qdcount = get16(m + DNS_OFF_QD);
	h->ancount = get16(m + DNS_OFF_AN);
	h->nscount = get16(m + DNS_OFF_NS);
	h->arcount = get16(m + DNS_OFF_AR);
}

/* one RR at *off; fills rr (section left to the caller) */
static int
rr_read(const uint8_t *m, size_t len, size_t *off, struct dns_rr *rr)
{
	size_t p;
	int e;

	rr->name_off = *off;
	if ((e = dns_name_read(m, len, *off, len, &rr->name, &p)) != DNS_OK)
		return e;
	if (p + 10 > len)
		return DNS_ESHORT;
	rr->type = get16(m + p);
	rr->cls = get16(m + p + 2);
	rr->ttl = get32(m + p + 4);
	rr->rdlen = get16(m + p + 8);
	rr->rdoff = p + 10;
	if (rr->rdoff + rr->rdlen > len)
		return DNS_ERDATA;	/* DNS-07: rdlength past the end */
	*off = rr->rdoff + rr->rdlen;
	return DNS_OK;
}

/* a name inside rdata at *p, which must end inside the rdata */
static int
rd_name(const uint8_t *m, size_t len, size_t *p, size_t end, struct dns_name *nm)
{
	int e = dns_name_read(m, len, *p, end, nm, p);

	return e == DNS_ESHORT ? DNS_ERDATA : e;
}

/* a character-string at *p (a length octet, then that many) inside the rdata */
static int
cstr(const uint8_t *m, size_t *p, size_t end, const uint8_t **s, size_t *n)
{
	if (*p >= end || *p + 1 + m[*p] > end)
		return DNS_ERDATA;
	*n = m[*p];
	*s = m + *p + 1;
	*p += 1 + *n;
	return DNS_OK;
}

/*
 * A type bitmap (RFC 4034 §4.1.2): windows in increasing order, each
 * with 1..32 octets, its last octet not zero.
 */
static int
bitmap_ok(const uint8_t *b, size_t n)
{
	size_t i = 0;
	int last = -1;

	while (i < n) {
		if (i + 2 > n || b[i] <= last || b[i + 1] == 0 || b[i + 1] > 32 ||
		    i + 2 + b[i + 1] > n || b[i + 1 + b[i + 1]] == 0)
			return DNS_ERDATA;
		last = b[i];
		i += 2 + (size_t)b[i + 1];
	}
	return DNS_OK;
}

int
dns_bitmap_next(const uint8_t *b, size_t n, size_t *off, uint16_t *type)
{
	/* *off counts bits: window start octet << 8 | bit within the window */
	size_t i = *off >> 9, bit = *off & 0x1ff;

	while (i + 2 <= n) {
		size_t bl = b[i + 1];

		for (; bit < bl * 8 && i + 2 + bit / 8 < n; bit++)
			if (b[i + 2 + bit / 8] & (0x80 >> (bit % 8))) {
				*type = (uint16_t)(b[i] << 8 | bit);
				*off = i << 9 | (bit + 1);
				return 1;
			}
		i += 2 + bl;
		bit = 0;
	}
	*off = n << 9;
	return 0;
}

int
dns_cstr_next(const uint8_t *p, size_t n, size_t *off, const uint8_t **s, size_t *len)
{
	if (*off >= n || *off + 1 + p[*off] > n)
		return 0;
	*len = p[*off];
	*s = p + *off + 1;
	*off += 1 + *len;
	return 1;
}

int
dns_svc_next(const uint8_t *p, size_t n, size_t *off, uint16_t *key,
    const uint8_t **val, uint16_t *vlen)
{
	if (*off + 4 > n || *off + 4 + get16(p + *off + 2) > n)
		return 0;
	*key = get16(p + *off);
	*vlen = get16(p + *off + 2);
	*val = p + *off + 4;
	*off += 4 + (size_t)*vlen;
	return 1;
}

unsigned
dns_answer_count(const struct dns_msg *m)
{
	struct dns_rr rr;
	size_t off = 0;
	unsigned idx = 0, n = 0;

	while (dns_rr_next(m, &off, &idx, &rr))
		if (rr.section == DNS_SEC_ANSWER && rr.type != DNS_T_OPT &&
		    (!m->has_q || m->qtype == DNS_T_ANY || rr.type == m->qtype))
			n++;
	return n;
}

int
dns_opt_next(const uint8_t *rd, size_t n, size_t *off, uint16_t *code,
    const uint8_t **val, uint16_t *vlen)
{
	/* an option is laid out as a SvcParam: code, length, value */
	return dns_svc_next(rd, n, off, code, val, vlen);
}

/*
 * SvcParams (RFC 9460 §2.2): keys in strictly increasing order, each
 * value whole; the values of the keys RFC 9460 defines in their form
 * (§7: mandatory a list of keys, alpn non-empty ids, no-default-alpn
 * empty, port two octets, the hints whole addresses).
 */
static int
svc_ok(const uint8_t *b, size_t n)
{
	size_t off = 0, i;
	long last = -1;
	uint16_t key, vlen;
	const uint8_t *v;

	while (off < n) {
		if (!dns_svc_next(b, n, &off, &key, &v, &vlen) || key <= last)
			return DNS_ERDATA;
		last = key;
		switch (key) {
		case 0:	/* mandatory */
			if (vlen == 0 || vlen % 2)
				return DNS_ERDATA;
			break;
		case 1:	/* alpn */
			if (vlen == 0)
				return DNS_ERDATA;
			for (i = 0; i < vlen; i += 1 + (size_t)v[i])
				if (v[i] == 0 || i + 1 + v[i] > vlen)
					return DNS_ERDATA;
			break;
		case 2:	/* no-default-alpn */
			if (vlen != 0)
				return DNS_ERDATA;
			break;
		case 3:	/* port */
			if (vlen != 2)
				return DNS_ERDATA;
			break;
		case 4:	/* ipv4hint */
		case 6:	/* ipv6hint */
			if (vlen == 0 || vlen % (key == 4 ? 4 : 16))
				return DNS_ERDATA;
			break;
		default:
			break;
		}
	}
	return DNS_OK;
}

int
dns_rdata_get(const uint8_t *m, size_t len, const struct dns_rr *rr, struct dns_rdata *rd)
{
	size_t p = rr->rdoff, end = rr->rdoff + rr->rdlen;
	int e;
	unsigned k;

	memset(rd, 0, offsetof(struct dns_rdata, name));
	rd->raw = NULL;
	rd->rawlen = 0;
	rd->name.len = rd->name2.len = 0;
	rd->tag = rd->data = rd->data2 = rd->map = NULL;
	rd->taglen = rd->datalen = rd->datalen2 = rd->maplen = 0;
	rd->n[0] = rd->n[1] = rd->n[2] = rd->n[3] = rd->n[4] = 0;
	rd->u16[0] = rd->u16[1] = rd->u16[2] = 0;
	rd->u8[0] = rd->u8[1] = rd->u8[2] = 0;
	rd->type = rr->type;
	if (end > len)
		return DNS_ERDATA;
	rd->raw = m + p;
	rd->rawlen = rr->rdlen;
	if (rr->cls != DNS_C_IN && rr->type != DNS_T_OPT && rr->type != DNS_T_TXT) {
		/* outside class IN only TXT (CH) is interpreted */
		goto opaque;
	}
	switch (rr->type) {
	case DNS_T_A:
	case DNS_T_AAAA:
		if (rr->rdlen != (rr->type == DNS_T_A ? 4 : 16))
			return DNS_ERDATA;
		memcpy(rd->addr, m + p, rr->rdlen);
		return DNS_OK;
	case DNS_T_NS:
	case DNS_T_CNAME:
	case DNS_T_PTR:
		if ((e = rd_name(m, len, &p, end, &rd->name)) != DNS_OK)
			return e;
		return p == end ? DNS_OK : DNS_ERDATA;
	case DNS_T_MX:
		if (rr->rdlen < 3)
			return DNS_ERDATA;
		rd->u16[0] = get16(m + p);
		p += 2;
		if ((e = rd_name(m, len, &p, end, &rd->name)) != DNS_OK)
			return e;
		return p == end ? DNS_OK : DNS_ERDATA;
	case DNS_T_SOA:
		if ((e = rd_name(m, len, &p, end, &rd->name)) != DNS_OK ||
		    (e = rd_name(m, len, &p, end, &rd->name2)) != DNS_OK)
			return e;
		if (p + 20 != end)
			return DNS_ERDATA;
		for (e = 0; e < 5; e++)
			rd->n[e] = get32(m + p + 4 * (size_t)e);
		return DNS_OK;
	case DNS_T_TXT:
		if (rr->rdlen == 0)
			return DNS_ERDATA;
		while (p < end) {
			p += 1 + (size_t)m[p];
			if (p > end)
				return DNS_ERDATA;
		}
		goto opaque;
	case DNS_T_SRV:
		if (rr->rdlen < 7)
			return DNS_ERDATA;
		rd->u16[0] = get16(m + p);
		rd->u16[1] = get16(m + p + 2);
		rd->u16[2] = get16(m + p + 4);
		p += 6;
		if ((e = rd_name(m, len, &p, end, &rd->name)) != DNS_OK)
			return e;
		return p == end ? DNS_OK : DNS_ERDATA;
	case DNS_T_CAA:
		if (rr->rdlen < 2 || m[p + 1] == 0 || (size_t)2 + m[p + 1] > rr->rdlen)
			return DNS_ERDATA;
		rd->u8[0] = m[p];
		rd->taglen = m[p + 1];
		rd->tag = m + p + 2;
		rd->data = rd->tag + rd->taglen;
		rd->datalen = end - (p + 2 + rd->taglen);
		return DNS_OK;
	case DNS_T_DS:
	case DNS_T_CDS:
		if (rr->rdlen < 5)
			return DNS_ERDATA;
		rd->u16[0] = get16(m + p);
		rd->u8[0] = m[p + 2];
		rd->u8[1] = m[p + 3];
		rd->data = m + p + 4;
		rd->datalen = rr->rdlen - 4u;
		return DNS_OK;
	case DNS_T_DNSKEY:
	case DNS_T_CDNSKEY:
		if (rr->rdlen < 5)
			return DNS_ERDATA;
		rd->u16[0] = get16(m + p);
		rd->u8[0] = m[p + 2];
		rd->u8[1] = m[p + 3];
		rd->u16[1] = dns_keytag(m + p, rr->rdlen);
		rd->data = m + p + 4;
		rd->datalen = rr->rdlen - 4u;
		return DNS_OK;
	case DNS_T_RRSIG:
		if (rr->rdlen < 19)
			return DNS_ERDATA;
		rd->u16[2] = get16(m + p);	/* type covered */
		rd->u8[0] = m[p + 2];		/* algorithm */
		rd->u8[1] = m[p + 3];		/* labels */
		rd->n[0] = get32(m + p + 4);	/* original ttl */
		rd->n[1] = get32(m + p + 8);	/* expiration */
		rd->n[2] = get32(m + p + 12);	/* inception */
		rd->u16[0] = get16(m + p + 16);	/* key tag */
		p += 18;
		if ((e = rd_name(m, len, &p, end, &rd->name)) != DNS_OK)
			return e;
		rd->data = m + p;
		rd->datalen = end - p;
		return DNS_OK;
	case DNS_T_NSEC:
		if ((e = rd_name(m, len, &p, end, &rd->name)) != DNS_OK)
			return e;
		rd->data = rd->map = m + p;
		rd->datalen = rd->maplen = end - p;
		return bitmap_ok(m + p, end - p);
	case DNS_T_HINFO:
		if ((e = cstr(m, &p, end, &rd->tag, &rd->taglen)) != DNS_OK ||
		    (e = cstr(m, &p, end, &rd->data, &rd->datalen)) != DNS_OK)
			return e;
		return p == end ? DNS_OK : DNS_ERDATA;
	case DNS_T_RP:
		if ((e = rd_name(m, len, &p, end, &rd->name)) != DNS_OK ||
		    (e = rd_name(m, len, &p, end, &rd->name2)) != DNS_OK)
			return e;
		return p == end ? DNS_OK : DNS_ERDATA;
	case DNS_T_DNAME:
		if ((e = rd_name(m, len, &p, end, &rd->name)) != DNS_OK)
			return e;
		return p == end ? DNS_OK : DNS_ERDATA;
	case DNS_T_NAPTR:
		if (rr->rdlen < 4)
			return DNS_ERDATA;
		rd->u16[0] = get16(m + p);
		rd->u16[1] = get16(m + p + 2);
		p += 4;
		if ((e = cstr(m, &p, end, &rd->tag, &rd->taglen)) != DNS_OK ||
		    (e = cstr(m, &p, end, &rd->data, &rd->datalen)) != DNS_OK ||
		    (e = cstr(m, &p, end, &rd->data2, &rd->datalen2)) != DNS_OK ||
		    (e = rd_name(m, len, &p, end, &rd->name)) != DNS_OK)
			return e;
		return p == end ? DNS_OK : DNS_ERDATA;
	case DNS_T_SSHFP:
	case DNS_T_TLSA:
		k = rr->type == DNS_T_TLSA ? 3 : 2;
		if (rr->rdlen < k + 1)
			return DNS_ERDATA;
		memcpy(rd->u8, m + p, k);
		rd->data = m + p + k;
		rd->datalen = rr->rdlen - k;
		return DNS_OK;
	case DNS_T_NSEC3:
	case DNS_T_NSEC3PARAM:
		if (rr->rdlen < 5 || (size_t)5 + m[p + 4] > rr->rdlen)
			return DNS_ERDATA;
		rd->u8[0] = m[p];
		rd->u8[1] = m[p + 1];
		rd->u16[0] = get16(m + p + 2);
		rd->taglen = m[p + 4];
		rd->tag = m + p + 5;
		p += 5 + rd->taglen;
		if (rr->type == DNS_T_NSEC3PARAM)
			return p == end ? DNS_OK : DNS_ERDATA;
		/* the next hashed owner: 1..255 octets, then the bitmap */
		if (p >= end || m[p] == 0 || p + 1 + m[p] > end)
			return DNS_ERDATA;
		rd->datalen = m[p];
		rd->data = m + p + 1;
		p += 1 + rd->datalen;
		rd->map = m + p;
		rd->maplen = end - p;
		return bitmap_ok(m + p, end - p);
	case DNS_T_URI:
		if (rr->rdlen < 5)
			return DNS_ERDATA;	/* the target is not empty (RFC 7553 §4.5) */
		rd->u16[0] = get16(m + p);
		rd->u16[1] = get16(m + p + 2);
		rd->data = m + p + 4;
		rd->datalen = rr->rdlen - 4u;
		return DNS_OK;
	case DNS_T_OPENPGPKEY:
		if (rr->rdlen == 0)
			return DNS_ERDATA;
		goto opaque;
	case DNS_T_CSYNC:
		if (rr->rdlen < 6)
			return DNS_ERDATA;
		rd->n[0] = get32(m + p);
		rd->u16[0] = get16(m + p + 4);
		rd->map = m + p + 6;
		rd->maplen = rr->rdlen - 6u;
		return bitmap_ok(rd->map, rd->maplen);
	case DNS_T_ZONEMD:
		/* a digest of at least 12 octets (RFC 8976 §2.2.4) */
		if (rr->rdlen < 6 + 12)
			return DNS_ERDATA;
		rd->n[0] = get32(m + p);
		rd->u8[0] = m[p + 4];
		rd->u8[1] = m[p + 5];
		rd->data = m + p + 6;
		rd->datalen = rr->rdlen - 6u;
		return DNS_OK;
	case DNS_T_LOC:
		if (rr->rdlen < 1 || m[p] != 0)
			goto opaque;	/* another version: RFC 1876 defines only 0 */
		if (rr->rdlen != 16)
			return DNS_ERDATA;
		for (k = 0; k < 3; k++) {
			rd->u8[k] = m[p + 1 + k];
			/* mantissa and exponent are decimal digits */
			if ((rd->u8[k] >> 4) > 9 || (rd->u8[k] & 0xf) > 9)
				return DNS_ERDATA;
		}
		for (k = 0; k < 3; k++)
			rd->n[k] = get32(m + p + 4 + 4 * k);
		/* latitude within 90 degrees of the equator, longitude 180 of Greenwich */
		if ((rd->n[0] > 0x80000000u ? rd->n[0] - 0x80000000u : 0x80000000u - rd->n[0]) >
		    90u * 3600000 ||
		    (rd->n[1] > 0x80000000u ? rd->n[1] - 0x80000000u : 0x80000000u - rd->n[1]) >
		    180u * 3600000)
			return DNS_ERDATA;
		return DNS_OK;
	case DNS_T_SVCB:
	case DNS_T_HTTPS:
		if (rr->rdlen < 3)
			return DNS_ERDATA;
		rd->u16[0] = get16(m + p);
		p += 2;
		if ((e = rd_name(m, len, &p, end, &rd->name)) != DNS_OK)
			return e;
		rd->data = m + p;
		rd->datalen = end - p;
		return svc_ok(m + p, end - p);
	case DNS_T_OPT:
		/* options: code, length, data */
		while (p < end) {
			if (p + 4 > end || p + 4 + get16(m + p + 2) > end)
				return DNS_ERDATA;
			p += 4 + (size_t)get16(m + p + 2);
		}
		goto opaque;
	default:
		break;
	}
opaque:
	rd->data = m + rr->rdoff;
	rd->datalen = rr->rdlen;
	return DNS_OK;
}

int
dns_parse(struct dns_msg *msg, const void *buf, size_t len)
{
	const uint8_t *m = buf;
	size_t off = DNS_HDRLEN;
	unsigned i, total;
	int e;

	memset(msg, 0, sizeof *msg);
	msg->buf = m;
	msg->len = len;
	if (len < DNS_HDRLEN)
		return DNS_ESHORT;	/* DNS-08 */
	dns_header_get(m, &msg->h);
	msg->rcode = DNS_RCODE(msg->h.flags);
	for (i = 0; i < msg->h.qdcount; i++) {
		struct dns_name nm;

		if ((e = dns_name_read(m, len, off, len, &nm, &off)) != DNS_OK)
			return e;
		if (off + 4 > len)
			return DNS_ESHORT;
		if (i == 0) {
			msg->has_q = 1;
			msg->qname = nm;
			msg->qtype = get16(m + off);
			msg->qclass = get16(m + off + 2);
		}
		off += 4;
	}
	msg->rr_off = off;
	total = (unsigned)msg->h.ancount + msg->h.nscount + msg->h.arcount;
	for (i = 0; i < total; i++) {
		struct dns_rr rr;
		struct dns_rdata rd;

		if (off >= len)
			return DNS_ECOUNT;	/* DNS-09: the counts lie */
		if ((e = rr_read(m, len, &off, &rr)) != DNS_OK)
			return e;
		if ((e = dns_rdata_get(m, len, &rr, &rd)) != DNS_OK)
			return e;
		if (rr.type == DNS_T_OPT) {
			if (msg->edns || i < (unsigned)msg->h.ancount + msg->h.nscount ||
			    rr.name.len != 1)
				return DNS_EOPT;
			msg->edns = 1;
			msg->edns_size = rr.cls;
			msg->edns_ercode = (uint8_t)(rr.ttl >> 24);
			msg->edns_version = (uint8_t)(rr.ttl >> 16);
			msg->edns_flags = (uint16_t)rr.ttl;
			msg->opt_rdoff = rr.rdoff;
			msg->opt_rdlen = rr.rdlen;
			msg->rcode = (uint16_t)(DNS_RCODE(msg->h.flags) | msg->edns_ercode << 4);
		}
		msg->nrr = i + 1;	/* on an error, the records before it stay readable */
	}
	msg->nrr = total;
	msg->trailing = len - off;
	return DNS_OK;
}

int
dns_rr_next(const struct dns_msg *msg, size_t *off, unsigned *idx, struct dns_rr *rr)
{
	unsigned an = msg->h.ancount, ns = msg->h.nscount;

	if (*idx == 0 && *off == 0)
		*off = msg->rr_off;
	if (*idx >= msg->nrr)
		return 0;
	if (rr_read(msg->buf, msg->len, off, rr) != DNS_OK)
		return 0;	/* cannot happen after dns_parse */
	rr->section = *idx < an ? DNS_SEC_ANSWER : *idx < an + ns ? DNS_SEC_AUTHORITY :
	    DNS_SEC_ADDITIONAL;
	(*idx)++;
	return 1;
}

uint16_t
dns_keytag(const uint8_t *rd, size_t n)
{
	uint32_t ac = 0;
	size_t i;

	for (i = 0; i < n; i++)
		ac += (i & 1) ? rd[i] : (uint32_t)rd[i] << 8;
	ac += (ac >> 16) & 0xffff;
	return (uint16_t)(ac & 0xffff);
}

/* --- building ---------------------------------------------------------- */

void
dns_put_header(struct writer *w, const struct dns_header *h)
{
	wr_u16(w, h->id);
	wr_u16(w, h->flags);
	wr_u16(w, h->qdcount);
	wr_u16(w, h->ancount);
	wr_u16(w, h->nscount);
	wr_u16(w, h->arcount);
}

void
dns_set_counts(uint8_t *m, uint16_t qd, uint16_t an, uint16_t ns, uint16_t ar)
{
	put16(m + DNS_OFF_QD, qd);
	put16(m + DNS_OFF_AN, an);
	put16(m + DNS_OFF_NS, ns);
	put16(m + DNS_OFF_AR, ar);
}

/* does the name at off in the message equal the wire-form suffix s? */
static int
suffix_at(const struct writer *w, size_t off, const uint8_t *s, size_t slen)
{
	struct dns_name nm;

	if (dns_name_read(w->buf, w->len, off, w->len, &nm, NULL) != DNS_OK || nm.len != slen)
		return 0;
	return tb_memcaseeq(nm.b, s, slen);
}

void
dns_put_name(struct writer *w, struct dns_comp *c, const struct dns_name *nm)
{
	size_t i = 0, start = w->len;
	size_t k;

	while (i < nm->len && nm->b[i]) {
		if (c && !w->bad) {
			for (k = 0; k < c->n; k++) {
				if (suffix_at(w, c->off[k], nm->b + i, nm->len - i)) {
					wr_u16(w, (uint16_t)(0xc000 | c->off[k]));
					goto remember;
				}
			}
		}
		wr_bytes(w, nm->b + i, 1 + (size_t)nm->b[i]);
		i += 1 + (size_t)nm->b[i];
	}
	wr_u8(w, 0);
remember:
	/* each label start written here may be a later pointer's target */
	if (c && !w->bad) {
		size_t p = start;

		while (p < w->len && w->buf[p] && (w->buf[p] & 0xc0) == 0 && p < 0x4000 &&
		    c->n < DNS_COMP_MAX) {
			c->off[c->n++] = (uint16_t)p;
			p += 1 + (size_t)w->buf[p];
		}
	}
}

void
dns_put_question(struct writer *w, struct dns_comp *c, const struct dns_name *nm,
    uint16_t type, uint16_t cls)
{
	dns_put_name(w, c, nm);
	wr_u16(w, type);
	wr_u16(w, cls);
}

void
dns_put_rr(struct writer *w, struct dns_comp *c, const struct dns_name *nm,
    uint16_t type, uint16_t cls, uint32_t ttl, const struct dns_rdata *rd)
{
	uint8_t *lenp;
	size_t start;
	int k;

	dns_put_name(w, c, nm);
	wr_u16(w, type);
	wr_u16(w, cls);
	wr_u32(w, ttl);
	lenp = wr_reserve(w, 2);
	start = w->len;
	switch (cls == DNS_C_IN ? type : 0) {
	case DNS_T_A:
		wr_bytes(w, rd->addr, 4);
		break;
	case DNS_T_AAAA:
		wr_bytes(w, rd->addr, 16);
		break;
	case DNS_T_NS:
	case DNS_T_CNAME:
	case DNS_T_PTR:
		dns_put_name(w, c, &rd->name);
		break;
	case DNS_T_MX:
		wr_u16(w, rd->u16[0]);
		dns_put_name(w, c, &rd->name);
		break;
	case DNS_T_SOA:
		dns_put_name(w, c, &rd->name);
		dns_put_name(w, c, &rd->name2);
		for (k = 0; k < 5; k++)
			wr_u32(w, rd->n[k]);
		break;
	case DNS_T_SRV:
		wr_u16(w, rd->u16[0]);
		wr_u16(w, rd->u16[1]);
		wr_u16(w, rd->u16[2]);
		dns_put_name(w, NULL, &rd->name);
		break;
	case DNS_T_CAA:
		wr_u8(w, rd->u8[0]);
		wr_u8(w, (uint8_t)rd->taglen);
		wr_bytes(w, rd->tag, rd->taglen);
		wr_bytes(w, rd->data, rd->datalen);
		break;
	case DNS_T_DS:
	case DNS_T_DNSKEY:
	case DNS_T_CDS:
	case DNS_T_CDNSKEY:
		wr_u16(w, rd->u16[0]);
		wr_u8(w, rd->u8[0]);
		wr_u8(w, rd->u8[1]);
		wr_bytes(w, rd->data, rd->datalen);
		break;
	case DNS_T_RRSIG:
		wr_u16(w, rd->u16[2]);
		wr_u8(w, rd->u8[0]);
		wr_u8(w, rd->u8[1]);
		wr_u32(w, rd->n[0]);
		wr_u32(w, rd->n[1]);
		wr_u32(w, rd->n[2]);
		wr_u16(w, rd->u16[0]);
		dns_put_name(w, NULL, &rd->name);
		wr_bytes(w, rd->data, rd->datalen);
		break;
	case DNS_T_NSEC:
		dns_put_name(w, NULL, &rd->name);
		wr_bytes(w, rd->data, rd->datalen);
		break;
	case DNS_T_DNAME:
		dns_put_name(w, NULL, &rd->name);
		break;
	case DNS_T_RP:
		dns_put_name(w, NULL, &rd->name);
		dns_put_name(w, NULL, &rd->name2);
		break;
	case DNS_T_TXT:
	case DNS_T_OPT:
		if (rd->datalen)
			wr_bytes(w, rd->data, rd->datalen);
		break;
	default:	/* the rest as it came (its names uncompressed), or opaque data */
		if (rd->raw != NULL && rd->rawlen)
			wr_bytes(w, rd->raw, rd->rawlen);
		else if (rd->raw == NULL && rd->datalen)
			wr_bytes(w, rd->data, rd->datalen);
		break;
	}
	if (lenp && !w->bad)
		put16(lenp, (uint16_t)(w->len - start));
}

void
dns_put_opt(struct writer *w, uint16_t size, int dobit)
{
	wr_u8(w, 0);
	wr_u16(w, DNS_T_OPT);
	wr_u16(w, size);
	wr_u32(w, dobit ? 0x8000u : 0);
	wr_u16(w, 0);
}

size_t
dns_build_query(const struct dns_query *q, uint8_t *buf, size_t cap)
{
	struct dns_header h = { q->id, q->flags, 1, 0, 0, q->edns_size ? 1 : 0 };
	struct writer w;

	wr_init(&w, buf, cap);
	dns_put_header(&w, &h);
	dns_put_question(&w, NULL, &q->qname, q->qtype, q->qclass);
	if (q->edns_size)
		dns_put_opt(&w, q->edns_size, q->dobit);
	return w.bad ? 0 : w.len;
}
