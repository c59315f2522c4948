/* form.c - request bodies as curl builds them (see form.h) */
#include <string.h>

#include "form.h"

/* n bytes of a and b equal, ASCII letters in any case (no <strings.h> in wire code) */
static int
caseeq(const char *a, const char *b, size_t n)
{
	unsigned char x, y;

	for (; n > 0; n--, a++, b++) {
		x = (unsigned char)*a;
		y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x += 32;
		if (y >= 'A' && y <= 'Z')
			y += 32;
		if (x != y)
			return 0;
	}
	return 1;
}

/* the snprintf-like writer */
struct fw {
	char *p;
	size_t cap, n;
};

static void
fw_put(struct fw *w, const void *s, size_t n)
{
	if (w->n < w->cap)
		memcpy(w->p + w->n, s, n < w->cap - w->n ? n : w->cap - w->n);
	w->n += n;
}

static void
fw_str(struct fw *w, const char *s)
{
	fw_put(w, s, strlen(s));
}

size_t
form_urlencode(char *dst, size_t cap, const void *src, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	const uint8_t *s = src;
	struct fw w = { dst, cap, 0 };
	char e[3];
	size_t i;

	for (i = 0; i < n; i++) {
		if ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '.' ||
		    s[i] == '_' || s[i] == '~') {
			fw_put(&w, s + i, 1);
			continue;
		}
		if (s[i] == ' ') {
			fw_put(&w, "+", 1);
			continue;
		}
		e[0] = '%';
		e[1] = hex[s[i] >> 4];
		e[2] = hex[s[i] & 15];
		fw_put(&w, e, 3);
	}
	return w.n;
}

size_t
form_strip_crlf(void *p, size_t n)
{
	uint8_t *b = p;
	size_t i, k;

	for (i = k = 0; i < n; i++)
		if (b[i] != '\r' && b[i] != '\n')
			b[k++] = b[i];
	return k;
}

int
form_du_split(const char *arg, const char **name, size_t *nname, const char **rest)
{
	const char *p = strpbrk(arg, "=@");

	*name = arg;
	*nname = 0;
	*rest = arg;
	if (p == NULL)
		return 0;
	*nname = (size_t)(p - arg);
	*rest = p + 1;
	return *p == '@';
}

/* the value of ";key=" up to the next ';' (a quoted value may hold one) */
static const char *
attr_end(const char *p)
{
	if (*p == '"') {
		for (p++; *p && *p != '"'; p++)
			if (*p == '\\' && p[1])
				p++;
		return *p ? p + 1 : p;
	}
	return p + strcspn(p, ";");
}

int
form_parse_field(const char *arg, struct form_field *f)
{
	const char *eq = strchr(arg, '='), *p, *e;

	memset(f, 0, sizeof *f);
	if (eq == NULL || eq == arg)
		return -1;
	f->name = arg;
	f->nname = (size_t)(eq - arg);
	p = eq + 1;
	if (*p != '@' && *p != '<') {
		/* a plain value is taken whole, ';' included */
		f->value = p;
		f->nvalue = strlen(p);
		return 0;
	}
	f->file = *p == '@';
	f->content = *p == '<';
	p++;
	e = p + strcspn(p, ";");
	f->value = p;
	f->nvalue = (size_t)(e - p);
	if (f->nvalue == 0)
		return -1;
	while (*e == ';') {
		p = e + 1;
		if (caseeq(p, "type=", 5)) {
			f->type = p + 5;
			e = attr_end(f->type);
			f->ntype = (size_t)(e - f->type);
		} else if (caseeq(p, "filename=", 9)) {
			f->filename = p + 9;
			e = attr_end(f->filename);
			f->nfilename = (size_t)(e - f->filename);
			if (f->nfilename >= 2 && f->filename[0] == '"' &&
			    f->filename[f->nfilename - 1] == '"') {
				f->filename++;
				f->nfilename -= 2;
			}
		} else
			return -1;
	}
	return *e == '\0' ? 0 : -1;
}

const char *
form_guess_type(const char *name, size_t n)
{
	static const char *const map[][2] = {
		{ ".gif", "image/gif" }, { ".jpg", "image/jpeg" }, { ".jpeg", "image/jpeg" },
		{ ".png", "image/png" }, { ".svg", "image/svg+xml" }, { ".txt", "text/plain" },
		{ ".htm", "text/html" }, { ".html", "text/html" }, { ".pdf", "application/pdf" },
		{ ".xml", "application/xml" },
	};
	size_t i, k;

	for (i = 0; i < sizeof map / sizeof map[0]; i++) {
		k = strlen(map[i][0]);
		if (n >= k && caseeq(name + n - k, map[i][0], k))
			return map[i][1];
	}
	return "application/octet-stream";
}

/* a name inside a quoted-string: '"' CR LF escaped as %22 %0D %0A */
static void
fw_quoted(struct fw *w, const char *s, size_t n)
{
	size_t i;

	fw_put(w, "\"", 1);
	for (i = 0; i < n; i++)
		if (s[i] == '"')
			fw_str(w, "%22");
		else if (s[i] == '\r')
			fw_str(w, "%0D");
		else if (s[i] == '\n')
			fw_str(w, "%0A");
		else
			fw_put(w, s + i, 1);
	fw_put(w, "\"", 1);
}

size_t
form_part_head(char *dst, size_t cap, const char *boundary, int first,
    const char *name, size_t nname, const char *filename, size_t nfilename,
    const char *type, size_t ntype)
{
	struct fw w = { dst, cap, 0 };

	if (!first)
		fw_str(&w, "\r\n");
	fw_str(&w, "--");
	fw_str(&w, boundary);
	fw_str(&w, "\r\nContent-Disposition: form-data; name=");
	fw_quoted(&w, name, nname);
	if (filename) {
		fw_str(&w, "; filename=");
		fw_quoted(&w, filename, nfilename);
	}
	fw_str(&w, "\r\n");
	if (type) {
		fw_str(&w, "Content-Type: ");
		fw_put(&w, type, ntype);
		fw_str(&w, "\r\n");
	}
	fw_str(&w, "\r\n");
	return w.n;
}

size_t
form_close(char *dst, size_t cap, const char *boundary, int noparts)
{
	struct fw w = { dst, cap, 0 };

	if (!noparts)
		fw_str(&w, "\r\n");
	fw_str(&w, "--");
	fw_str(&w, boundary);
	fw_str(&w, "--\r\n");
	return w.n;
}

int
form_boundary_in(const void *p, size_t n, const char *boundary)
{
	const uint8_t *b = p;
	size_t k = strlen(boundary), i;

	for (i = 0; i + k + 2 <= n; i++)
		if (b[i] == '-' && b[i + 1] == '-' && memcmp(b + i + 2, boundary, k) == 0)
			return 1;
	return 0;
}
