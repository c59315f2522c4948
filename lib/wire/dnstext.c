/*
 * dnstext.c - DNS presentation format: names of types, classes,
 * rcodes and opcodes, and rdata as text (RFC 1035 §5.1, RFC 3597,
 * RFC 4034 §2.2, 3.2, 4.2, 5.3, RFC 8659).  No system calls.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base64.h"
#include "date.h"
#include "dns.h"
#include "wire.h"

/* an append-only text buffer that counts what it could not hold */
struct tbuf {
	char *p;
	size_t cap, n;
	size_t col;		/* display column, tabs expanded */
};

static void
tb_c(struct tbuf *t, char c)
{
	if (t->n + 1 < t->cap)
		t->p[t->n] = c;
	t->n++;
	t->col = c == '\t' ? (t->col / 8 + 1) * 8 : t->col + 1;
}

static void
tb_s(struct tbuf *t, const char *s)
{
	while (*s)
		tb_c(t, *s++);
}

static void
tb_u(struct tbuf *t, unsigned long v)
{
	char d[24];
	int i = 0;

	do
		d[i++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (i)
		tb_c(t, d[--i]);
}

static size_t
tb_fin(struct tbuf *t)
{
	if (t->cap)
		t->p[t->n < t->cap ? t->n : t->cap - 1] = '\0';
	return t->n;
}

static void
tb_name(struct tbuf *t, const struct dns_name *nm)
{
	char s[DNS_NAMESTRLEN];

	dns_name_str(nm, s, sizeof s);
	tb_s(t, s);
}

/* --- names of things ---------------------------------------------------- */

/* a number and its mnemonic */
struct nv {
	uint16_t v;
	const char *s;
};

static const struct nv types[] = {
	{ DNS_T_A, "A" }, { DNS_T_NS, "NS" }, { DNS_T_CNAME, "CNAME" }, { DNS_T_SOA, "SOA" },
	{ DNS_T_PTR, "PTR" }, { DNS_T_HINFO, "HINFO" }, { DNS_T_MX, "MX" }, { DNS_T_TXT, "TXT" },
	{ DNS_T_AAAA, "AAAA" }, { DNS_T_SRV, "SRV" }, { DNS_T_OPT, "OPT" }, { DNS_T_DS, "DS" },
	{ DNS_T_RRSIG, "RRSIG" }, { DNS_T_NSEC, "NSEC" }, { DNS_T_DNSKEY, "DNSKEY" },
	{ 252, "AXFR" }, { DNS_T_ANY, "ANY" }, { DNS_T_CAA, "CAA" },
	{ DNS_T_RP, "RP" }, { DNS_T_LOC, "LOC" }, { DNS_T_NAPTR, "NAPTR" },
	{ DNS_T_DNAME, "DNAME" }, { DNS_T_SSHFP, "SSHFP" }, { DNS_T_NSEC3, "NSEC3" },
	{ DNS_T_NSEC3PARAM, "NSEC3PARAM" }, { DNS_T_TLSA, "TLSA" }, { DNS_T_CDS, "CDS" },
	{ DNS_T_CDNSKEY, "CDNSKEY" }, { DNS_T_OPENPGPKEY, "OPENPGPKEY" },
	{ DNS_T_CSYNC, "CSYNC" }, { DNS_T_ZONEMD, "ZONEMD" }, { DNS_T_SVCB, "SVCB" },
	{ DNS_T_HTTPS, "HTTPS" }, { DNS_T_URI, "URI" },
}, classes[] = {
	{ DNS_C_IN, "IN" }, { DNS_C_CH, "CH" }, { DNS_C_HS, "HS" }, { DNS_C_ANY, "ANY" },
}, rcodes[] = {
	{ 0, "NOERROR" }, { 1, "FORMERR" }, { 2, "SERVFAIL" }, { 3, "NXDOMAIN" },
	{ 4, "NOTIMP" }, { 5, "REFUSED" }, { 6, "YXDOMAIN" }, { 7, "YXRRSET" },
	{ 8, "NXRRSET" }, { 9, "NOTAUTH" }, { 10, "NOTZONE" }, { 16, "BADVERS" },
	{ 23, "BADCOOKIE" },
}, opcodes[] = {
	{ 0, "QUERY" }, { 1, "IQUERY" }, { 2, "STATUS" }, { 4, "NOTIFY" }, { 5, "UPDATE" },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *
num_name(const char *pfx, unsigned v, char *buf, size_t cap)
{
	struct tbuf t = { buf, cap, 0, 0 };

	tb_s(&t, pfx);
	tb_u(&t, v);
	tb_fin(&t);
	return buf;
}

/* "TYPE123" / "CLASS3" style: prefix then a decimal 0..65535 */
static int
num_parse(const char *s, const char *pfx, uint16_t *out)
{
	size_t pl = strlen(pfx);
	unsigned long v = 0;
	size_t i;

	for (i = 0; i < pl; i++) {
		char c = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 32) : s[i];

		if (c != pfx[i])
			return -1;
	}
	s += pl;
	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || (v = v * 10 + (unsigned long)(*s - '0')) > 65535)
			return -1;
	}
	*out = (uint16_t)v;
	return 0;
}

/* the mnemonic of v in tab, else pfx and the number (RFC 3597 §5) */
static const char *
tab_name(const struct nv *tab, size_t n, unsigned v, const char *pfx, char *buf, size_t cap)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tab[i].v == v)
			return tab[i].s;
	return num_name(pfx, v, buf, cap);
}

/* a mnemonic of tab (any case), or pfx and a number; 0, or -1 */
static int
tab_parse(const struct nv *tab, size_t n, const char *s, const char *pfx, uint16_t *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tb_strcaseeq(s, tab[i].s)) {
			*out = tab[i].v;
			return 0;
		}
	return num_parse(s, pfx, out);
}

const char *
dns_type_name(uint16_t type, char *buf, size_t cap)
{
	return tab_name(types, NELEM(types), type, "TYPE", buf, cap);
}

int
dns_type_parse(const char *s, uint16_t *out)
{
	return tab_parse(types, NELEM(types), s, "TYPE", out);
}

size_t
dns_type_count(void)
{
	return NELEM(types);
}

const char *
dns_type_at(size_t i)
{
	return i < NELEM(types) ? types[i].s : NULL;
}

const char *
dns_class_name(uint16_t cls, char *buf, size_t cap)
{
	return tab_name(classes, NELEM(classes), cls, "CLASS", buf, cap);
}

int
dns_class_parse(const char *s, uint16_t *out)
{
	if (tb_strcaseeq(s, "CHAOS")) {
		*out = DNS_C_CH;
		return 0;
	}
	return tab_parse(classes, NELEM(classes), s, "CLASS", out);
}

const char *
dns_rcode_name(unsigned rcode, char *buf, size_t cap)
{
	return tab_name(rcodes, NELEM(rcodes), rcode, "RESERVED", buf, cap);
}

const char *
dns_opcode_name(unsigned op, char *buf, size_t cap)
{
	return tab_name(opcodes, NELEM(opcodes), op, "RESERVED", buf, cap);
}

size_t
dns_flags_str(uint16_t f, char *buf, size_t cap)
{
	static const struct { uint16_t bit; const char *s; } fl[] = {
		{ DNS_QR, "qr" }, { DNS_AA, "aa" }, { DNS_TC, "tc" }, { DNS_RD, "rd" },
		{ DNS_RA, "ra" }, { DNS_AD, "ad" }, { DNS_CD, "cd" },
	};
	struct tbuf t = { buf, cap, 0, 0 };
	size_t i;

	for (i = 0; i < NELEM(fl); i++)
		if (f & fl[i].bit) {
			if (t.n)
				tb_c(&t, ' ');
			tb_s(&t, fl[i].s);
		}
	return tb_fin(&t);
}

/* --- rdata pieces --------------------------------------------------------- */

static void
tb_a(struct tbuf *t, const uint8_t *a)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (i)
			tb_c(t, '.');
		tb_u(t, a[i]);
	}
}

/* RFC 5952: lower-case hex, the longest run (>= 2) of zero groups as "::" */
static void
tb_aaaa(struct tbuf *t, const uint8_t *a)
{
	static const char hx[] = "0123456789abcdef";
	int best = -1, bestlen = 0, i;

	for (i = 0; i < 8; i++) {
		int j = i;

		while (j < 8 && get16(a + 2 * j) == 0)
			j++;
		if (j - i > bestlen && j - i >= 2) {
			best = i;
			bestlen = j - i;
		}
		if (j > i)
			i = j;
	}
	/* ::ffff:a.b.c.d for IPv4-mapped */
	if (best == 0 && bestlen == 5 && get16(a + 10) == 0xffff) {
		tb_s(t, "::ffff:");
		tb_a(t, a + 12);
		return;
	}
	for (i = 0; i < 8; i++) {
		uint16_t g = get16(a + 2 * i);
		int s, started = 0;

		if (i == best) {
			tb_s(t, "::");
			i += bestlen - 1;
			continue;
		}
		if (i && i != best + bestlen)
			tb_c(t, ':');
		for (s = 12; s >= 0; s -= 4) {
			unsigned d = (g >> s) & 0xf;

			if (d || started || s == 0) {
				tb_c(t, hx[d]);
				started = 1;
			}
		}
	}
}

/* a character-string in quotes: \" \\ escaped, others outside 0x20..0x7e as \DDD */
static void
tb_qstr(struct tbuf *t, const uint8_t *p, size_t n)
{
	size_t i;

	tb_c(t, '"');
	for (i = 0; i < n; i++) {
		unsigned c = p[i];

		if (c < 0x20 || c >= 0x7f) {
			tb_c(t, '\\');
			tb_c(t, (char)('0' + c / 100));
			tb_c(t, (char)('0' + c / 10 % 10));
			tb_c(t, (char)('0' + c % 10));
			continue;
		}
		if (c == '"' || c == '\\')
			tb_c(t, '\\');
		tb_c(t, (char)c);
	}
	tb_c(t, '"');
}

/*
 * hex or base64 broken as BIND breaks them: brk 1, words of 56
 * characters; brk 2 (+multiline), lines of 44 under the rdata column
 */
#define ML_INDENT	"\n\t\t\t\t"

static void
tb_brk(struct tbuf *t, int brk, size_t *col)
{
	if (brk && *col == (brk == 2 ? 44u : 56u)) {
		tb_s(t, brk == 2 ? ML_INDENT : " ");
		*col = 0;
	}
}

static void
tb_hex(struct tbuf *t, const uint8_t *p, size_t n, int brk)
{
	static const char hx[] = "0123456789ABCDEF";
	size_t i, col = 0;

	for (i = 0; i < n; i++) {
		tb_brk(t, brk, &col);
		tb_c(t, hx[p[i] >> 4]);
		tb_c(t, hx[p[i] & 0xf]);
		col += 2;
	}
}

static void
tb_b64(struct tbuf *t, const uint8_t *p, size_t n, int brk)
{
	size_t i, col = 0;

	for (i = 0; i < n; i += 3) {
		uint8_t q[4];
		int k;

		/* a quantum at a time, so the breaks fall where BIND puts them */
		b64_encode(q, sizeof q, p + i, n - i < 3 ? n - i : 3, 0);
		for (k = 0; k < 4; k++) {
			tb_brk(t, brk, &col);
			tb_c(t, (char)q[k]);
			col++;
		}
	}
}

/* seconds since 1970 (RFC 4034 serial arithmetic ignored) as YYYYMMDDHHmmSS */
static void
tb_time(struct tbuf *t, uint32_t secs)
{
	uint32_t rem = secs % 86400, f[5];
	int64_t y;
	int m, d, i;

	civil_from_days(secs / 86400, &y, &m, &d);
	tb_u(t, (unsigned long)y);
	f[0] = (uint32_t)m;
	f[1] = (uint32_t)d;
	f[2] = rem / 3600;
	f[3] = rem / 60 % 60;
	f[4] = rem % 60;
	for (i = 0; i < 5; i++) {
		tb_c(t, (char)('0' + f[i] / 10));
		tb_c(t, (char)('0' + f[i] % 10));
	}
}

static void
tb_type(struct tbuf *t, uint16_t type)
{
	char b[16];

	tb_s(t, dns_type_name(type, b, sizeof b));
}

/* the types of a validated type bitmap, each after a space */
static void
tb_bitmap(struct tbuf *t, const uint8_t *b, size_t n)
{
	size_t off = 0;
	uint16_t type;

	while (dns_bitmap_next(b, n, &off, &type)) {
		tb_c(t, ' ');
		tb_type(t, type);
	}
}

/* base32 with the extended hex alphabet (RFC 4648 §7), no padding, as NSEC3 shows it */
static void
tb_b32hex(struct tbuf *t, const uint8_t *p, size_t n)
{
	static const char al[] = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
	uint32_t acc = 0;
	int bits = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		acc = (acc << 8 | p[i]) & 0xfff;
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			tb_c(t, al[(acc >> bits) & 31]);
		}
	}
	if (bits)
		tb_c(t, al[(acc << (5 - bits)) & 31]);
}

/* a byte as \DDD */
static void
tb_ddd(struct tbuf *t, unsigned c)
{
	tb_c(t, '\\');
	tb_c(t, (char)('0' + c / 100));
	tb_c(t, (char)('0' + c / 10 % 10));
	tb_c(t, (char)('0' + c % 10));
}

double
dns_loc_m(uint8_t v)
{
	double cm = v >> 4;
	unsigned e = v & 0xf;

	while (e--)
		cm *= 10;	/* up to 9e9 cm: more than 32 bits hold */
	return cm / 100;
}

/* a LOC size or precision: "10m", "0.50m" (mantissa and exponent, in cm) */
static void
tb_locsize(struct tbuf *t, uint8_t v)
{
	unsigned mant = v >> 4, e = v & 0xf;

	if (e >= 2) {
		tb_u(t, mant);
		for (e -= 2; mant && e; e--)
			tb_c(t, '0');
	} else {
		tb_s(t, "0.");
		tb_c(t, (char)('0' + (e == 1 ? mant : 0)));
		tb_c(t, (char)('0' + (e == 1 ? 0 : mant)));
	}
	tb_c(t, 'm');
}

/* degrees, minutes, seconds with thousandths, and the hemisphere */
static void
tb_angle(struct tbuf *t, uint32_t v, char pos, char neg)
{
	uint32_t a = v >= 0x80000000u ? v - 0x80000000u : 0x80000000u - v;
	uint32_t ms = a % 1000;

	tb_u(t, a / 3600000);
	tb_c(t, ' ');
	tb_u(t, a / 60000 % 60);
	tb_c(t, ' ');
	tb_u(t, a / 1000 % 60);
	tb_c(t, '.');
	tb_c(t, (char)('0' + ms / 100));
	tb_c(t, (char)('0' + ms / 10 % 10));
	tb_c(t, (char)('0' + ms % 10));
	tb_c(t, ' ');
	tb_c(t, v >= 0x80000000u ? pos : neg);
}

/* RFC 1876 §3 */
static void
tb_loc(struct tbuf *t, const struct dns_rdata *rd)
{
	uint32_t alt = rd->n[2];
	int below = alt < 10000000u;
	int k;

	tb_angle(t, rd->n[0], 'N', 'S');
	tb_c(t, ' ');
	tb_angle(t, rd->n[1], 'E', 'W');
	tb_c(t, ' ');
	alt = below ? 10000000u - alt : alt - 10000000u;
	if (below)
		tb_c(t, '-');
	tb_u(t, alt / 100);
	tb_c(t, '.');
	tb_c(t, (char)('0' + alt % 100 / 10));
	tb_c(t, (char)('0' + alt % 10));
	tb_c(t, 'm');
	for (k = 0; k < 3; k++) {
		tb_c(t, ' ');
		tb_locsize(t, rd->u8[k]);
	}
}

static const char *const svckeys[] = {
	"mandatory", "alpn", "no-default-alpn", "port", "ipv4hint", "ech", "ipv6hint",
};

const char *
dns_svckey_name(uint16_t key, char *buf, size_t cap)
{
	if (key < NELEM(svckeys))
		return svckeys[key];
	return num_name("key", key, buf, cap);
}

/*
 * A SvcParam's value as dig shows it, without the quotes around it:
 * lists comma-separated (a comma or backslash inside an alpn id escaped
 * by a backslash), addresses, the port, ech in base64, other keys'
 * values as a character-string's inside.
 */
static void
tb_svcval(struct tbuf *t, uint16_t key, const uint8_t *v, size_t n, int quoted)
{
	char b[16];
	size_t i, k;

	switch (key) {
	case 0:
		for (i = 0; i + 1 < n; i += 2) {
			if (i)
				tb_c(t, ',');
			tb_s(t, dns_svckey_name(get16(v + i), b, sizeof b));
		}
		return;
	case 3:
		if (n == 2) {
			tb_u(t, get16(v));
			return;
		}
		break;
	case 4:
	case 6:
		for (i = 0; i + (key == 4 ? 4 : 16) <= n; i += key == 4 ? 4 : 16) {
			if (i)
				tb_c(t, ',');
			if (key == 4)
				tb_a(t, v + i);
			else
				tb_aaaa(t, v + i);
		}
		return;
	case 5:
		tb_b64(t, v, n, 0);
		return;
	case 1:
		/* the ids, then the quoting of a character-string over the list */
		for (i = 0; i < n; i += 1 + (size_t)v[i]) {
			if (i)
				tb_c(t, ',');
			for (k = 0; k < v[i] && i + 1 + k < n; k++) {
				unsigned c = v[i + 1 + k];

				if (c == ',' || c == '\\')
					tb_s(t, quoted ? "\\\\" : "\\");
				if (c < 0x20 || c >= 0x7f)
					tb_ddd(t, c);
				else if (quoted && (c == '"' || c == '\\'))
					tb_s(t, "\\");
				if (c >= 0x20 && c < 0x7f)
					tb_c(t, (char)c);
			}
		}
		return;
	default:
		break;
	}
	for (i = 0; i < n; i++) {
		unsigned c = v[i];

		if (c < 0x20 || c >= 0x7f) {
			tb_ddd(t, c);
			continue;
		}
		if (quoted && (c == '"' || c == '\\'))
			tb_c(t, '\\');
		tb_c(t, (char)c);
	}
}

size_t
dns_svc_value_str(uint16_t key, const uint8_t *val, size_t n, char *buf, size_t cap)
{
	struct tbuf t = { buf, cap, 0, 0 };

	tb_svcval(&t, key, val, n, 0);
	return tb_fin(&t);
}

/* RFC 9460 §2.1: priority, target, then key=value pairs */
static void
tb_svc(struct tbuf *t, const struct dns_rdata *rd)
{
	size_t off = 0;
	uint16_t key, vlen;
	const uint8_t *v;
	char b[16];

	tb_u(t, rd->u16[0]);
	tb_c(t, ' ');
	tb_name(t, &rd->name);
	while (dns_svc_next(rd->data, rd->datalen, &off, &key, &v, &vlen)) {
		int q = key == 1 || key > 6;

		tb_c(t, ' ');
		tb_s(t, dns_svckey_name(key, b, sizeof b));
		if (vlen == 0 && key != 1)
			continue;
		tb_c(t, '=');
		if (q)
			tb_c(t, '"');
		tb_svcval(t, key, v, vlen, 1);
		if (q)
			tb_c(t, '"');
	}
}

static void
rdata_text(struct tbuf *t, const struct dns_rr *rr, const struct dns_rdata *rd)
{
	size_t i;

	switch (rr->cls == DNS_C_IN || rr->type == DNS_T_TXT ? rr->type : 0) {
	case DNS_T_A:
		tb_a(t, rd->addr);
		return;
	case DNS_T_AAAA:
		tb_aaaa(t, rd->addr);
		return;
	case DNS_T_NS:
	case DNS_T_CNAME:
	case DNS_T_PTR:
		tb_name(t, &rd->name);
		return;
	case DNS_T_MX:
		tb_u(t, rd->u16[0]);
		tb_c(t, ' ');
		tb_name(t, &rd->name);
		return;
	case DNS_T_SOA:
		tb_name(t, &rd->name);
		tb_c(t, ' ');
		tb_name(t, &rd->name2);
		for (i = 0; i < 5; i++) {
			tb_c(t, ' ');
			tb_u(t, rd->n[i]);
		}
		return;
	case DNS_T_TXT:
		for (i = 0; i < rd->datalen; i += 1 + (size_t)rd->data[i]) {
			if (i)
				tb_c(t, ' ');
			tb_qstr(t, rd->data + i + 1, rd->data[i]);
		}
		return;
	case DNS_T_SRV:
		for (i = 0; i < 3; i++) {
			tb_u(t, rd->u16[i]);
			tb_c(t, ' ');
		}
		tb_name(t, &rd->name);
		return;
	case DNS_T_CAA:
		tb_u(t, rd->u8[0]);
		tb_c(t, ' ');
		for (i = 0; i < rd->taglen; i++) {
			uint8_t c = rd->tag[i];

			/* tags are letters and digits; anything else escaped */
			if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
				tb_c(t, (char)c);
			} else {
				tb_c(t, '\\');
				tb_c(t, (char)('0' + c / 100));
				tb_c(t, (char)('0' + c / 10 % 10));
				tb_c(t, (char)('0' + c % 10));
			}
		}
		tb_c(t, ' ');
		tb_qstr(t, rd->data, rd->datalen);
		return;
	case DNS_T_DS:
	case DNS_T_CDS:
		tb_u(t, rd->u16[0]);
		tb_c(t, ' ');
		tb_u(t, rd->u8[0]);
		tb_c(t, ' ');
		tb_u(t, rd->u8[1]);
		tb_c(t, ' ');
		tb_hex(t, rd->data, rd->datalen, 1);
		return;
	case DNS_T_DNSKEY:
	case DNS_T_CDNSKEY:
		tb_u(t, rd->u16[0]);
		tb_c(t, ' ');
		tb_u(t, rd->u8[0]);
		tb_c(t, ' ');
		tb_u(t, rd->u8[1]);
		tb_c(t, ' ');
		tb_b64(t, rd->data, rd->datalen, 1);
		return;
	case DNS_T_RRSIG:
		tb_type(t, rd->u16[2]);
		tb_c(t, ' ');
		tb_u(t, rd->u8[0]);
		tb_c(t, ' ');
		tb_u(t, rd->u8[1]);
		tb_c(t, ' ');
		tb_u(t, rd->n[0]);
		tb_c(t, ' ');
		tb_time(t, rd->n[1]);
		tb_c(t, ' ');
		tb_time(t, rd->n[2]);
		tb_c(t, ' ');
		tb_u(t, rd->u16[0]);
		tb_c(t, ' ');
		tb_name(t, &rd->name);
		tb_c(t, ' ');
		tb_b64(t, rd->data, rd->datalen, 1);
		return;
	case DNS_T_NSEC:
		tb_name(t, &rd->name);
		tb_bitmap(t, rd->map, rd->maplen);
		return;
	case DNS_T_HINFO:
		tb_qstr(t, rd->tag, rd->taglen);
		tb_c(t, ' ');
		tb_qstr(t, rd->data, rd->datalen);
		return;
	case DNS_T_RP:
		tb_name(t, &rd->name);
		tb_c(t, ' ');
		tb_name(t, &rd->name2);
		return;
	case DNS_T_DNAME:
		tb_name(t, &rd->name);
		return;
	case DNS_T_NAPTR:
		tb_u(t, rd->u16[0]);
		tb_c(t, ' ');
		tb_u(t, rd->u16[1]);
		tb_c(t, ' ');
		tb_qstr(t, rd->tag, rd->taglen);
		tb_c(t, ' ');
		tb_qstr(t, rd->data, rd->datalen);
		tb_c(t, ' ');
		tb_qstr(t, rd->data2, rd->datalen2);
		tb_c(t, ' ');
		tb_name(t, &rd->name);
		return;
	case DNS_T_SSHFP:
	case DNS_T_TLSA:
		for (i = 0; i < (rr->type == DNS_T_TLSA ? 3u : 2u); i++) {
			tb_u(t, rd->u8[i]);
			tb_c(t, ' ');
		}
		tb_hex(t, rd->data, rd->datalen, 1);
		return;
	case DNS_T_NSEC3:
	case DNS_T_NSEC3PARAM:
		tb_u(t, rd->u8[0]);
		tb_c(t, ' ');
		tb_u(t, rd->u8[1]);
		tb_c(t, ' ');
		tb_u(t, rd->u16[0]);
		tb_c(t, ' ');
		if (rd->taglen)
			tb_hex(t, rd->tag, rd->taglen, 0);
		else
			tb_c(t, '-');
		if (rr->type == DNS_T_NSEC3PARAM)
			return;
		tb_c(t, ' ');
		tb_b32hex(t, rd->data, rd->datalen);
		tb_bitmap(t, rd->map, rd->maplen);
		return;
	case DNS_T_URI:
		tb_u(t, rd->u16[0]);
		tb_c(t, ' ');
		tb_u(t, rd->u16[1]);
		tb_c(t, ' ');
		tb_qstr(t, rd->data, rd->datalen);
		return;
	case DNS_T_OPENPGPKEY:
		tb_b64(t, rd->data, rd->datalen, 1);
		return;
	case DNS_T_CSYNC:
		tb_u(t, rd->n[0]);
		tb_c(t, ' ');
		tb_u(t, rd->u16[0]);
		tb_bitmap(t, rd->map, rd->maplen);
		return;
	case DNS_T_ZONEMD:
		tb_u(t, rd->n[0]);
		tb_c(t, ' ');
		tb_u(t, rd->u8[0]);
		tb_c(t, ' ');
		tb_u(t, rd->u8[1]);
		tb_c(t, ' ');
		tb_hex(t, rd->data, rd->datalen, 1);
		return;
	case DNS_T_LOC:
		if (rd->data != NULL)
			break;	/* a version other than 0: opaque */
		tb_loc(t, rd);
		return;
	case DNS_T_SVCB:
	case DNS_T_HTTPS:
		tb_svc(t, rd);
		return;
	default:
		break;
	}
	tb_s(t, "\\# ");
	tb_u(t, rd->datalen);
	if (rd->datalen) {
		tb_c(t, ' ');
		tb_hex(t, rd->data, rd->datalen, 1);
	}
}

/* a TTL in words, as BIND's comments show it: "1 day 1 hour", "0 seconds" */
static void
tb_dur(struct tbuf *t, uint32_t v)
{
	static const struct { uint32_t secs; const char *unit; } u[] = {
		{ 604800, "week" }, { 86400, "day" }, { 3600, "hour" }, { 60, "minute" }, { 1, "second" },
	};
	size_t i;
	int any = 0;

	for (i = 0; i < sizeof u / sizeof u[0]; i++) {
		uint32_t k = v / u[i].secs;

		if (k == 0 && !(i == 4 && !any))
			continue;
		v -= k * u[i].secs;
		if (any++)
			tb_c(t, ' ');
		tb_u(t, k);
		tb_c(t, ' ');
		tb_s(t, u[i].unit);
		if (k != 1)
			tb_c(t, 's');
	}
}

static const char *
alg_name(unsigned a)
{
	static const struct nv algs[] = {
		{ 1, "RSAMD5" }, { 3, "DSA" }, { 5, "RSASHA1" }, { 6, "NSEC3DSA" },
		{ 7, "NSEC3RSASHA1" }, { 8, "RSASHA256" }, { 10, "RSASHA512" }, { 12, "ECCGOST" },
		{ 13, "ECDSAP256SHA256" }, { 14, "ECDSAP384SHA384" }, { 15, "ED25519" },
		{ 16, "ED448" },
	};
	size_t i;

	for (i = 0; i < NELEM(algs); i++)
		if (algs[i].v == a)
			return algs[i].s;
	return NULL;
}

/*
 * +multiline rdata, as dig 9.18 prints it: the long fields of these
 * types in parentheses on lines of their own, SOA's numbers and DNSKEY's
 * key with comments.  0 for a type printed as on one line.
 */
static int
rdata_multi(struct tbuf *t, const struct dns_rr *rr, const struct dns_rdata *rd)
{
	static const char *const soan[] = { "serial", "refresh", "retry", "expire", "minimum" };
	size_t i;

	switch (rr->cls == DNS_C_IN ? rr->type : 0) {
	case DNS_T_SOA:
		tb_name(t, &rd->name);
		tb_c(t, ' ');
		tb_name(t, &rd->name2);
		tb_s(t, " (");
		for (i = 0; i < 5; i++) {
			size_t start;

			tb_s(t, ML_INDENT);
			start = t->n;
			tb_u(t, rd->n[i]);
			while (t->n < start + 10)
				tb_c(t, ' ');
			tb_s(t, " ; ");
			tb_s(t, soan[i]);
			if (i) {
				tb_s(t, " (");
				tb_dur(t, rd->n[i]);
				tb_c(t, ')');
			}
		}
		tb_s(t, ML_INDENT ")");
		return 1;
	case DNS_T_DS:
	case DNS_T_CDS:
		tb_u(t, rd->u16[0]);
		tb_c(t, ' ');
		tb_u(t, rd->u8[0]);
		tb_c(t, ' ');
		tb_u(t, rd->u8[1]);
		tb_s(t, " (" ML_INDENT);
		tb_hex(t, rd->data, rd->datalen, 2);
		tb_s(t, " )");
		return 1;
	case DNS_T_DNSKEY:
	case DNS_T_CDNSKEY: {
		const char *an = alg_name(rd->u8[1]);

		tb_u(t, rd->u16[0]);
		tb_c(t, ' ');
		tb_u(t, rd->u8[0]);
		tb_c(t, ' ');
		tb_u(t, rd->u8[1]);
		tb_s(t, " (" ML_INDENT);
		tb_b64(t, rd->data, rd->datalen, 2);
		tb_s(t, ML_INDENT ") ; ");
		tb_s(t, rd->u16[0] & 1 ? "KSK" : "ZSK");
		tb_s(t, "; alg = ");
		if (an)
			tb_s(t, an);
		else
			tb_u(t, rd->u8[1]);
		tb_s(t, " ; key id = ");
		tb_u(t, rd->u16[1]);
		return 1;
	}
	case DNS_T_RRSIG:
		tb_type(t, rd->u16[2]);
		tb_c(t, ' ');
		tb_u(t, rd->u8[0]);
		tb_c(t, ' ');
		tb_u(t, rd->u8[1]);
		tb_c(t, ' ');
		tb_u(t, rd->n[0]);
		tb_s(t, " (" ML_INDENT);
		tb_time(t, rd->n[1]);
		tb_c(t, ' ');
		tb_time(t, rd->n[2]);
		tb_c(t, ' ');
		tb_u(t, rd->u16[0]);
		tb_c(t, ' ');
		tb_name(t, &rd->name);
		tb_s(t, ML_INDENT);
		tb_b64(t, rd->data, rd->datalen, 2);
		tb_s(t, " )");
		return 1;
	case DNS_T_SSHFP:
	case DNS_T_TLSA:
		for (i = 0; i < (rr->type == DNS_T_TLSA ? 3u : 2u); i++) {
			if (i)
				tb_c(t, ' ');
			tb_u(t, rd->u8[i]);
		}
		tb_s(t, " (" ML_INDENT);
		tb_hex(t, rd->data, rd->datalen, 2);
		tb_s(t, " )");
		return 1;
	case DNS_T_ZONEMD:
		tb_u(t, rd->n[0]);
		tb_c(t, ' ');
		tb_u(t, rd->u8[0]);
		tb_c(t, ' ');
		tb_u(t, rd->u8[1]);
		tb_s(t, " (" ML_INDENT);
		tb_hex(t, rd->data, rd->datalen, 2);
		tb_s(t, " )");
		return 1;
	case DNS_T_NSEC3:
		tb_u(t, rd->u8[0]);
		tb_c(t, ' ');
		tb_u(t, rd->u8[1]);
		tb_c(t, ' ');
		tb_u(t, rd->u16[0]);
		tb_c(t, ' ');
		if (rd->taglen)
			tb_hex(t, rd->tag, rd->taglen, 0);
		else
			tb_c(t, '-');
		tb_s(t, " (" ML_INDENT);
		tb_b32hex(t, rd->data, rd->datalen);
		if (rd->maplen) {
			size_t off = 0;
			uint16_t type;
			int first = 1;

			tb_s(t, ML_INDENT);
			while (dns_bitmap_next(rd->map, rd->maplen, &off, &type)) {
				if (!first)
					tb_c(t, ' ');
				first = 0;
				tb_type(t, type);
			}
		}
		tb_s(t, " )");
		return 1;
	case DNS_T_OPENPGPKEY:
		tb_s(t, "( ");
		tb_b64(t, rd->data, rd->datalen, 2);
		tb_s(t, " )");
		return 1;
	case DNS_T_LOC:
	case DNS_T_A: case DNS_T_AAAA: case DNS_T_NS: case DNS_T_CNAME: case DNS_T_PTR:
	case DNS_T_MX: case DNS_T_TXT: case DNS_T_SRV: case DNS_T_CAA: case DNS_T_NSEC:
	case DNS_T_HINFO: case DNS_T_RP: case DNS_T_DNAME: case DNS_T_NAPTR:
	case DNS_T_NSEC3PARAM: case DNS_T_URI: case DNS_T_CSYNC: case DNS_T_SVCB: case DNS_T_HTTPS:
		if (rr->type != DNS_T_LOC || rd->data == NULL)
			return 0;
		break;
	default:
		break;
	}
	/* RFC 3597 form */
	tb_s(t, "\\# ");
	tb_u(t, rd->datalen);
	if (rd->datalen) {
		tb_s(t, " ( ");
		tb_hex(t, rd->data, rd->datalen, 2);
		tb_s(t, " )");
	}
	return 1;
}

size_t
dns_rdata_str(const uint8_t *msg, size_t len, const struct dns_rr *rr, char *buf, size_t cap)
{
	struct tbuf t = { buf, cap, 0, 0 };
	struct dns_rdata rd;

	if (dns_rdata_get(msg, len, rr, &rd) != DNS_OK)
		tb_s(&t, "\\# malformed");
	else
		rdata_text(&t, rr, &rd);
	return tb_fin(&t);
}

/*
 * Move to column col as dig does: tabs to the last tab stop at or before
 * it, then spaces; at or past it already, one column further (a space,
 * or a tab when that column is a tab stop).
 */
static void
tb_tab(struct tbuf *t, size_t col)
{
	if (col < t->col + 1)
		col = t->col + 1;
	while ((t->col / 8 + 1) * 8 <= col)
		tb_c(t, '\t');
	while (t->col < col)
		tb_c(t, ' ');
}

size_t
dns_rr_str_opt(const uint8_t *msg, size_t len, const struct dns_rr *rr, unsigned opt,
    char *buf, size_t cap)
{
	struct tbuf t = { buf, cap, 0, 0 };
	char b[16];
	size_t n, col = 24;

	if (opt & DNS_STR_MULTI) {
		struct dns_rdata rd;

		/* +multiline: past the name one column between fields (a tab on a tab stop), rdata at 32 */
		tb_name(&t, &rr->name);
		tb_tab(&t, col);
		if (!(opt & DNS_STR_NOTTL)) {
			tb_u(&t, rr->ttl);
			tb_tab(&t, 0);
		}
		if (!(opt & DNS_STR_NOCLASS)) {
			tb_s(&t, dns_class_name(rr->cls, b, sizeof b));
			tb_tab(&t, 0);
		}
		tb_type(&t, rr->type);
		tb_tab(&t, 32);
		if (dns_rdata_get(msg, len, rr, &rd) != DNS_OK)
			tb_s(&t, "\\# malformed");
		else if (!rdata_multi(&t, rr, &rd))
			rdata_text(&t, rr, &rd);
		return tb_fin(&t);
	}
	/* dig's columns: 24, 32, 40, 48 with both fields, one less with each left out */
	tb_name(&t, &rr->name);
	tb_tab(&t, col);
	if (!(opt & DNS_STR_NOTTL)) {
		tb_u(&t, rr->ttl);
		tb_tab(&t, col += 8);
	}
	if (!(opt & DNS_STR_NOCLASS)) {
		tb_s(&t, dns_class_name(rr->cls, b, sizeof b));
		tb_tab(&t, col += 8);
	}
	tb_type(&t, rr->type);
	tb_tab(&t, col + 8);
	n = t.n;
	if (n + 1 < cap)
		n = dns_rdata_str(msg, len, rr, buf + n, cap - n);
	else
		n = 0;
	t.n += n;
	return tb_fin(&t);
}

/*
 * dig's indenting as it counts: from column *cur to column to, tabs by
 * the tab stops between the two counts, then spaces; at or past it, one
 * column further.  The question's ';' is not counted, so there the tabs
 * can differ from the ones the real column would take.
 */
static void
tb_indent(struct tbuf *t, size_t *cur, size_t to)
{
	size_t from = *cur, n;

	if (to < from + 1)
		to = from + 1;
	n = to / 8 - from / 8;
	if (n) {
		while (n--)
			tb_c(t, '\t');
		from = to / 8 * 8;
	}
	for (; from < to; from++)
		tb_c(t, ' ');
	*cur = to;
}

size_t
dns_question_str(const struct dns_name *nm, uint16_t cls, uint16_t type, unsigned opt,
    char *buf, size_t cap)
{
	struct tbuf t = { buf, cap, 0, 0 };
	char b[16];
	const char *c;
	/* dig skips the TTL's column; with a field left out the others move left */
	size_t col = opt & (DNS_STR_NOTTL | DNS_STR_NOCLASS | DNS_STR_MULTI) ? 24 : 32, cur;

	tb_c(&t, ';');
	tb_name(&t, nm);
	cur = t.n - 1;
	tb_indent(&t, &cur, col);
	c = dns_class_name(cls, b, sizeof b);
	tb_s(&t, c);
	cur += strlen(c);
	tb_indent(&t, &cur, (opt & DNS_STR_MULTI) || ((opt & DNS_STR_NOTTL) && (opt & DNS_STR_NOCLASS)) ?
	    col : col + 8);
	tb_type(&t, type);
	return tb_fin(&t);
}

size_t
dns_rr_str(const uint8_t *msg, size_t len, const struct dns_rr *rr, char *buf, size_t cap)
{
	return dns_rr_str_opt(msg, len, rr, 0, buf, cap);
}

size_t
dns_hex_str(const uint8_t *p, size_t n, char *buf, size_t cap)
{
	struct tbuf t = { buf, cap, 0, 0 };

	tb_hex(&t, p, n, 0);
	return tb_fin(&t);
}

size_t
dns_b64_str(const uint8_t *p, size_t n, char *buf, size_t cap)
{
	struct tbuf t = { buf, cap, 0, 0 };

	tb_b64(&t, p, n, 0);
	return tb_fin(&t);
}

size_t
dns_b32hex_str(const uint8_t *p, size_t n, char *buf, size_t cap)
{
	struct tbuf t = { buf, cap, 0, 0 };

	tb_b32hex(&t, p, n);
	return tb_fin(&t);
}

size_t
dns_time_str(uint32_t secs, char *buf, size_t cap)
{
	struct tbuf t = { buf, cap, 0, 0 };

	tb_time(&t, secs);
	return tb_fin(&t);
}
