/* output.c - escaping peer text, the NDJSON writer, the layer view, hex dumps */
#include <stdarg.h>
#include <string.h>

#include "tubes.h"

/* length of a valid UTF-8 sequence at p (1..4), or 0 */
static size_t
utf8_len(const uint8_t *p, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (p[0] < 0xc2 || p[0] > 0xf4)
		return 0;
	len = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
	if (len > n)
		return 0;
	cp = p[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp < 0xa0))
		return 0;
	return len;
}

/* escape into a sink: fp if set, else into dst/cap (counting the length wanted) */
static size_t
escape(FILE *fp, char *dst, size_t cap, const void *src, size_t n, int utf8)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *p = src;
	size_t i = 0, out = 0, k, u;
	char tmp[4];

	while (i < n) {
		const char *s = tmp;
		uint8_t c = p[i];

		k = 1;
		if (c == '\\') {
			s = "\\\\";
			k = 2;
		} else if (c == '\t') {
			s = "\\t";
			k = 2;
		} else if (c == '\n') {
			s = "\\n";
			k = 2;
		} else if (c == '\r') {
			s = "\\r";
			k = 2;
		} else if (c >= 0x20 && c < 0x7f) {
			tmp[0] = (char)c;
		} else if (utf8 && c >= 0x80 && (u = utf8_len(p + i, n - i)) > 0) {
			if (fp)
				fwrite(p + i, 1, u, fp);
			else
				for (k = 0; k < u; k++, out++)
					if (out + 1 < cap)
						dst[out] = (char)p[i + k];
			out += fp ? u : 0;
			i += u;
			continue;
		} else {
			tmp[0] = '\\';
			tmp[1] = 'x';
			tmp[2] = hex[c >> 4];
			tmp[3] = hex[c & 15];
			k = 4;
		}
		if (fp)
			fwrite(s, 1, k, fp);
		else
			for (u = 0; u < k; u++)
				if (out + u + 1 < cap)
					dst[out + u] = s[u];
		out += k;
		i++;
	}
	if (!fp && cap > 0)
		dst[out < cap ? out : cap - 1] = '\0';
	return out;
}

void
tb_escape(FILE *fp, const void *p, size_t n, int utf8)
{
	escape(fp, NULL, 0, p, n, utf8);
}

size_t
tb_escape_buf(char *dst, size_t cap, const void *p, size_t n)
{
	return escape(NULL, dst, cap, p, n, 0);
}

/* --- JSON ---------------------------------------------------------------- */

static void
js_sep(struct json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->fp);
	j->first[j->depth] = 0;
	if (key) {
		fputc('"', j->fp);
		fputs(key, j->fp);	/* keys are ours: snake_case literals */
		fputs("\":", j->fp);
	}
}

static void
js_quote(FILE *fp, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, u;

	fputc('"', fp);
	for (i = 0; i < n; i++) {
		uint8_t c = p[i];

		if (c == '"' || c == '\\') {
			fputc('\\', fp);
			fputc(c, fp);
		} else if (c == '\n') {
			fputs("\\n", fp);
		} else if (c == '\r') {
			fputs("\\r", fp);
		} else if (c == '\t') {
			fputs("\\t", fp);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(fp, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
		} else if (c < 0x80) {
			fputc(c, fp);
		} else if ((u = utf8_len(p + i, n - i)) > 0) {
			fwrite(p + i, 1, u, fp);
			i += u - 1;
		} else {
			/* not UTF-8: keep it visible and the output valid */
			fprintf(fp, "\\\\x%c%c", hex[c >> 4], hex[c & 15]);
		}
	}
	fputc('"', fp);
}

void
js_begin(struct json *j, FILE *fp, const char *type)
{
	j->fp = fp;
	j->depth = 0;
	j->first[0] = 1;
	fputc('{', fp);
	js_str(j, "type", type);
}

void
js_strn(struct json *j, const char *key, const void *p, size_t n)
{
	js_sep(j, key);
	js_quote(j->fp, p, n);
}

void
js_str(struct json *j, const char *key, const char *val)
{
	if (val == NULL) {
		js_null(j, key);
		return;
	}
	js_strn(j, key, val, strlen(val));
}

void
js_int(struct json *j, const char *key, long long v)
{
	js_sep(j, key);
	fprintf(j->fp, "%lld", v);
}

void
js_num(struct json *j, const char *key, double v, int decimals)
{
	js_sep(j, key);
	if (v != v || v > 1e300 || v < -1e300)
		fputs("null", j->fp);
	else
		fprintf(j->fp, "%.*f", decimals, v);
}

void
js_ms(struct json *j, const char *key, int64_t usec)
{
	js_sep(j, key);
	if (usec < 0)
		fprintf(j->fp, "-%lld.%03lld", (long long)(-usec / 1000), (long long)(-usec % 1000));
	else
		fprintf(j->fp, "%lld.%03lld", (long long)(usec / 1000), (long long)(usec % 1000));
}

void
js_bool(struct json *j, const char *key, int v)
{
	js_sep(j, key);
	fputs(v ? "true" : "false", j->fp);
}

void
js_null(struct json *j, const char *key)
{
	js_sep(j, key);
	fputs("null", j->fp);
}

static void
js_open(struct json *j, const char *key, int c)
{
	js_sep(j, key);
	fputc(c, j->fp);
	if (j->depth < (int)sizeof j->first - 1)
		j->depth++;
	j->first[j->depth] = 1;
	j->array[j->depth] = (c == '[');
}

void
js_obj(struct json *j, const char *key)
{
	js_open(j, key, '{');
}

void
js_arr(struct json *j, const char *key)
{
	js_open(j, key, '[');
}

void
js_close(struct json *j)
{
	if (j->depth == 0)
		return;
	fputc(j->array[j->depth] ? ']' : '}', j->fp);
	j->depth--;
}

void
js_end(struct json *j)
{
	while (j->depth > 0)
		js_close(j);
	fputs("}\n", j->fp);
	fflush(j->fp);
}

/* --- layer view ------------------------------------------------------------ */

void
lv_packet(struct layers *lv, const char *fmt, ...)
{
	va_list ap;

	fputs("--- ", lv->fp);
	va_start(ap, fmt);
	vfprintf(lv->fp, fmt, ap);
	va_end(ap);
	fputs(" ---\n", lv->fp);
}

void
lv_layer(struct layers *lv, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(lv->fp, fmt, ap);
	va_end(ap);
	fputc('\n', lv->fp);
}

void
lv_field(struct layers *lv, const char *name, const char *fmt, ...)
{
	va_list ap;

	fprintf(lv->fp, "    %-22s ", name);
	va_start(ap, fmt);
	vfprintf(lv->fp, fmt, ap);
	va_end(ap);
	fputc('\n', lv->fp);
}

void
lv_hex(struct layers *lv, const void *p, size_t n)
{
	tb_hexdump(lv->fp, p, n);
	fflush(lv->fp);
}

void
tb_hexdump(FILE *fp, const void *buf, size_t n)
{
	const uint8_t *p = buf;
	size_t i, j;

	for (i = 0; i < n; i += 16) {
		fprintf(fp, "  %04zx ", i);
		for (j = 0; j < 16; j++) {
			if (j == 8)
				fputc(' ', fp);
			if (i + j < n)
				fprintf(fp, " %02x", p[i + j]);
			else
				fputs("   ", fp);
		}
		fputs("  |", fp);
		for (j = 0; j < 16 && i + j < n; j++)
			fputc(p[i + j] >= 0x20 && p[i + j] < 0x7f ? p[i + j] : '.', fp);
		fputs("|\n", fp);
	}
}
