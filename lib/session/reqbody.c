/* reqbody.c - request bodies as curl's options build them (see reqbody.h) */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "reqbody.h"
#include "tubes.h"

/* n more bytes of body: 0, or -1 with why */
static int
add(struct reqbody *b, const void *p, size_t n, char *why, size_t cap)
{
	size_t want;
	char *nb;

	if (n > RB_MAX - b->len) {
		snprintf(why, cap, "the request body is over %u MiB", RB_MAX >> 20);
		return -1;
	}
	if (b->len + n > b->cap) {
		want = b->cap ? b->cap : 4096;
		while (want < b->len + n)
			want *= 2;
		if ((nb = realloc(b->buf, want)) == NULL) {
			snprintf(why, cap, "out of memory");
			return -1;
		}
		b->buf = nb;
		b->cap = want;
	}
	if (n)
		memcpy(b->buf + b->len, p, n);
	b->len += n;
	return 0;
}

/* a file's bytes ("-": stdin), or NULL with why */
static char *
slurp(const char *path, size_t *n, char *why, size_t cap)
{
	char *p = strcmp(path, "-") == 0 ? tb_slurp_fd(0, RB_MAX, n) : tb_slurp(path, RB_MAX, n);

	if (p == NULL)
		snprintf(why, cap, "%s: %s", path, errno == EFBIG ? "too large" : strerror(errno));
	return p;
}

static int
kind(struct reqbody *b, enum rb_kind k, char *why, size_t cap)
{
	if (b->kind != RB_NONE && b->kind != k) {
		snprintf(why, cap, "-d, -F and -T do not go together");
		return -1;
	}
	b->kind = k;
	return 0;
}

int
rb_data(struct reqbody *b, enum rb_how how, const char *arg, char *why, size_t cap)
{
	const char *name, *rest, *src = arg;
	size_t nname, n = strlen(arg), k;
	char *f = NULL, *enc;
	int r, isfile;

	if (kind(b, RB_DATA, why, cap) < 0)
		return -1;
	if (b->len > 0 && add(b, "&", 1, why, cap) < 0)
		return -1;
	if (how == RB_URLENCODE) {
		isfile = form_du_split(arg, &name, &nname, &rest);
		src = rest;
		n = strlen(rest);
		if (isfile && (f = slurp(rest, &n, why, cap)) == NULL)
			return -1;
		if (isfile)
			src = f;
		if (nname > 0 && (add(b, name, nname, why, cap) < 0 || add(b, "=", 1, why, cap) < 0))
			goto fail;
		k = form_urlencode(NULL, 0, src, n);
		if ((enc = malloc(k + 1)) == NULL) {
			snprintf(why, cap, "out of memory");
			goto fail;
		}
		form_urlencode(enc, k, src, n);
		r = add(b, enc, k, why, cap);
		free(enc);
		tb_free(f);
		return r;
	}
	if (arg[0] == '@') {
		if ((f = slurp(arg + 1, &n, why, cap)) == NULL)
			return -1;
		if (how == RB_ASCII)
			n = form_strip_crlf(f, n);
		src = f;
	}
	r = add(b, src, n, why, cap);
	tb_free(f);
	return r;
fail:
	tb_free(f);
	return -1;
}

int
rb_field(struct reqbody *b, const char *arg, char *why, size_t cap)
{
	struct form_field f;

	if (kind(b, RB_FORM, why, cap) < 0)
		return -1;
	if (form_parse_field(arg, &f) < 0) {
		snprintf(why, cap, "-F '%s': want name=value, name=@file or name=<file "
		    "(;type=, ;filename=)", arg);
		return -1;
	}
	if (b->nfields >= RB_MAX_FIELDS) {
		snprintf(why, cap, "-F: at most %d", RB_MAX_FIELDS);
		return -1;
	}
	b->fields[b->nfields++] = arg;
	return 0;
}

int
rb_upload(struct reqbody *b, const char *path, char *why, size_t cap)
{
	if (kind(b, RB_UPLOAD, why, cap) < 0)
		return -1;
	if (b->upload) {
		snprintf(why, cap, "one -T at most");
		return -1;
	}
	b->upload = path;
	return 0;
}

int
rb_arg(struct reqbody *b, int ch, const char *arg)
{
	char why[512];
	int r;

	switch (ch) {
	case 'd': r = rb_data(b, RB_ASCII, arg, why, sizeof why); break;
	case RB_OPT_BINARY: r = rb_data(b, RB_BINARY, arg, why, sizeof why); break;
	case RB_OPT_URLENCODE: r = rb_data(b, RB_URLENCODE, arg, why, sizeof why); break;
	case 'F': r = rb_field(b, arg, why, sizeof why); break;
	case 'T': r = rb_upload(b, arg, why, sizeof why); break;
	default: return 0;
	}
	if (r < 0)
		tb_die(EXIT_LOCAL, "%s", why);
	return 1;
}

void
rb_upload_url(const char *url, const char *path, char *out, size_t cap)
{
	const char *base = strrchr(path, '/');
	size_t n = strlen(url);

	base = base ? base + 1 : path;
	if (n > 0 && url[n - 1] == '/' && strcmp(path, "-") != 0)
		snprintf(out, cap, "%s%s", url, base);
	else
		snprintf(out, cap, "%s", url);
}

/* the parts of -F, read: their bytes in data[i] (NULL for a plain value) */
static int
form_build(struct reqbody *b, char *why, size_t cap)
{
	static char *data[RB_MAX_FIELDS];
	static size_t ndata[RB_MAX_FIELDS];
	struct form_field f;
	char path[4096], head[2048], rnd[8], *hb;
	const char *val, *fname, *type;
	size_t nval, nfname, ntype, k;
	int i, tries, r = -1, clash;

	for (i = 0; i < b->nfields; i++) {
		data[i] = NULL;
		(void)form_parse_field(b->fields[i], &f);
		if (!f.file && !f.content)
			continue;
		snprintf(path, sizeof path, "%.*s", (int)f.nvalue, f.value);
		if ((data[i] = slurp(path, &ndata[i], why, cap)) == NULL)
			goto out;
	}
	/* a boundary that none of the parts holds (RFC 7578 4.1) */
	for (tries = 0;; tries++) {
		if (tries == 16 || tb_random(rnd, sizeof rnd) < 0) {
			snprintf(why, cap, "-F: no boundary found");
			goto out;
		}
		snprintf(b->boundary, sizeof b->boundary, "------------------------");
		for (k = 0; k < sizeof rnd; k++)
			snprintf(b->boundary + 24 + 2 * k, 3, "%02x", (unsigned char)rnd[k]);
		for (i = 0, clash = 0; i < b->nfields && !clash; i++) {
			(void)form_parse_field(b->fields[i], &f);
			clash = data[i] ? form_boundary_in(data[i], ndata[i], b->boundary) :
			    form_boundary_in(f.value, f.nvalue, b->boundary);
		}
		if (!clash)
			break;
	}
	for (i = 0; i < b->nfields; i++) {
		(void)form_parse_field(b->fields[i], &f);
		val = data[i] ? data[i] : f.value;
		nval = data[i] ? ndata[i] : f.nvalue;
		fname = NULL;
		nfname = 0;
		type = f.type;
		ntype = f.ntype;
		if (f.file) {
			/* the file name sent is the path's last segment, unless ;filename= */
			fname = f.filename ? f.filename : f.value;
			nfname = f.filename ? f.nfilename : f.nvalue;
			for (k = nfname; !f.filename && k > 0; k--)
				if (fname[k - 1] == '/') {
					fname += k;
					nfname -= k;
					break;
				}
			if (type == NULL) {
				type = form_guess_type(f.value, f.nvalue);
				ntype = strlen(type);
			}
		}
		k = form_part_head(head, sizeof head, b->boundary, i == 0, f.name, f.nname,
		    fname, nfname, type, ntype);
		hb = head;
		if (k >= sizeof head) {
			snprintf(why, cap, "-F: a name too long");
			goto out;
		}
		if (add(b, hb, k, why, cap) < 0 || add(b, val, nval, why, cap) < 0)
			goto out;
	}
	k = form_close(head, sizeof head, b->boundary, b->nfields == 0);
	if (add(b, head, k, why, cap) < 0)
		goto out;
	r = 0;
out:
	for (i = 0; i < b->nfields; i++)
		tb_free(data[i]);
	return r;
}

int
rb_finish(struct reqbody *b, char *why, size_t cap)
{
	char *f;
	size_t n;
	int r;

	switch (b->kind) {
	case RB_UPLOAD:
		b->ctype[0] = '\0';
		if ((f = slurp(b->upload, &n, why, cap)) == NULL)
			return -1;
		r = add(b, f, n, why, cap);
		tb_free(f);
		return r;
	case RB_DATA:
		snprintf(b->ctype, sizeof b->ctype, "%s", FORM_URLENCODED);
		return 0;
	case RB_FORM:
		if (form_build(b, why, cap) < 0)
			return -1;
		snprintf(b->ctype, sizeof b->ctype, "multipart/form-data; boundary=%s",
		    b->boundary);
		return 0;
	default:
		b->ctype[0] = '\0';
		return 0;
	}
}

void
rb_free(struct reqbody *b)
{
	free(b->buf);
	b->buf = NULL;
	b->len = b->cap = 0;
}
