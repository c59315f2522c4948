/* submit.c - the message smtpsend submits, and its recipients (submit.h) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "mime.h"
#include "smtp.h"
#include "submit.h"
#include "tubes.h"

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--) {
		h ^= *b++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

const char *
submit_type(const char *name)
{
	static const char *const t[][2] = {
		{ ".txt", "text/plain" }, { ".html", "text/html" }, { ".csv", "text/csv" },
		{ ".pdf", "application/pdf" }, { ".png", "image/png" }, { ".jpg", "image/jpeg" },
		{ ".jpeg", "image/jpeg" }, { ".gif", "image/gif" }, { ".zip", "application/zip" },
		{ ".gz", "application/gzip" }, { ".json", "application/json" },
	};
	size_t n = strlen(name), i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		size_t k = strlen(t[i][0]);

		if (n > k && strcasecmp(name + n - k, t[i][0]) == 0)
			return t[i][1];
	}
	return "application/octet-stream";
}

void
sub_msg_free(struct sub_msg *m)
{
	tb_free(m->m);
	tb_free(m->r);
	tb_free(m->wire);
	m->m = NULL;
	m->r = NULL;
	m->wire = NULL;
}

/* --- preparing messages ------------------------------------------------------ */

static int
field_is(const struct mail_field *f, const char *name)
{
	return f->namelen == strlen(name) && strncasecmp((const char *)f->name, name, f->namelen) == 0;
}

/* the value without leading white space */
static const uint8_t *
fvalue(const struct mail_field *f, size_t *len)
{
	const uint8_t *v = f->value;
	size_t n = f->valuelen;

	while (n && (*v == ' ' || *v == '\t'))
		v++, n--;
	*len = n;
	return v;
}

static void
add_rcpt(struct sub_msg *m, const char *a, size_t alen)
{
	size_t i;

	if (alen == 0 || alen >= sizeof m->r[0].addr)
		tb_die(EXIT_LOCAL, "recipient address too long");
	for (i = 0; i < m->nr; i++)
		if (strlen(m->r[i].addr) == alen && strncasecmp(m->r[i].addr, a, alen) == 0)
			return;	/* once each */
	if (m->nr >= SUBMIT_MAX_RCPT)
		tb_die(EXIT_LOCAL, "more than %d recipients", SUBMIT_MAX_RCPT);
	if (m->nr == m->cap) {
		/* grown as needed: a batch prepares a message at a time, each its own size */
		size_t nc = m->cap ? m->cap * 2 : 8;
		struct sub_rcpt *v = tb_realloc(m->r, sizeof *v * nc);

		if (v == NULL)
			tb_die(EXIT_LOCAL, "out of memory");
		m->r = v;
		m->cap = nc;
	}
	memset(&m->r[m->nr], 0, sizeof m->r[0]);
	memcpy(m->r[m->nr].addr, a, alen);
	m->r[m->nr].addr[alen] = '\0';
	m->r[m->nr].idx = m->nr;
	if (smtp_addr_ok(m->r[m->nr].addr, 0) < 0) {
		fprintf(stderr, "%s: recipient address refused (control byte, <, >, space or bad form): ",
		    tb_prog);
		tb_escape(stderr, a, alen, 1);
		fputc('\n', stderr);
		tb_exit(EXIT_LOCAL);
	}
	m->nr++;
}

static void
gen_date(const struct submit *sb, char *d, size_t cap)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	long long t;

	if (sb->date) {
		snprintf(d, cap, "%s", sb->date);
	} else if (sde && *sde) {
		if (tb_num(sde, 0, 253402300799LL, &t) < 0)
			tb_die(EXIT_LOCAL, "SOURCE_DATE_EPOCH: not a number of seconds");
		mail_date(d, cap, t);
	} else {
		mail_date(d, cap, tb_wall() / 1000000);
	}
}

static void
gen_msgid(const struct submit *sb, char *id, size_t cap, uint64_t h)
{
	const char *dom = smtp_addr_domain(sb->from);
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	uint64_t rnd = 0;

	if (sb->msgid) {
		snprintf(id, cap, sb->msgid[0] == '<' ? "%s" : "<%s>", sb->msgid);
		return;
	}
	if (dom == NULL)
		dom = sb->host;
	if (sde && *sde) {
		snprintf(id, cap, "<%s.%016llx@%s>", sde, (unsigned long long)h, dom);
		return;
	}
	(void)tb_random(&rnd, sizeof rnd);
	snprintf(id, cap, "<%lld.%016llx@%s>", (long long)(tb_wall() / 1000000),
	    (unsigned long long)rnd, dom);
}

/* recipients: the command line's, then with -t the header's */
static void
collect_rcpts(const struct submit *sb, struct sub_msg *m, const uint8_t *in, size_t hend,
    int hashdr,
    char **argv_rcpt, int nargv)
{
	static const char *const fields[] = { "To", "Cc", "Bcc" };
	struct mail_field f;
	size_t i, pos, fpos;
	char a[256];
	int r;

	m->r = NULL;
	m->nr = m->cap = 0;
	for (i = 0; i < (size_t)nargv; i++)
		add_rcpt(m, argv_rcpt[i], strlen(argv_rcpt[i]));
	if (sb->tflag) {
		if (!hashdr)
			tb_die(EXIT_LOCAL, "-t: the message has no header block");
		for (i = 0; i < 3; i++) {
			fpos = 0;
			while (mail_field_next(in, hend, &fpos, &f)) {
				if (!field_is(&f, fields[i]))
					continue;
				pos = 0;
				while ((r = mail_addr_next(f.value, f.valuelen, &pos, a, sizeof a)) == 1)
					add_rcpt(m, a, strlen(a));
				if (r < 0)
					tb_die(EXIT_LOCAL, "-t: a malformed address in %s:", fields[i]);
			}
		}
	}
	if (m->nr == 0)
		tb_die(EXIT_LOCAL, "no recipient (give addresses, or -t)");
}

/* rebuild an existing plain-text message around attachments */
static void
wrap_existing(const struct submit *sb, struct mail_msg *mm, const uint8_t *in, size_t hend,
    const char ***extra, size_t *nextra, char ***store)
{
	struct mail_field f;
	size_t pos = 0, n = 0, vl;
	const uint8_t *v;

	*extra = tb_xmalloc(sizeof **extra * (256 + SUBMIT_MAX_LIST));
	*store = tb_xmalloc(sizeof **store * 256);
	while (mail_field_next(in, hend, &pos, &f)) {
		size_t l = f.len;

		if (field_is(&f, "Content-Type")) {
			v = fvalue(&f, &vl);
			if (vl < 10 || strncasecmp((const char *)v, "text/plain", 10) != 0)
				tb_die(EXIT_LOCAL, "-a: the message is already MIME (not text/plain)");
			continue;
		}
		if (field_is(&f, "Content-Transfer-Encoding")) {
			v = fvalue(&f, &vl);
			if (vl < 4 || (strncasecmp((const char *)v, "7bit", 4) != 0 &&
			    strncasecmp((const char *)v, "8bit", 4) != 0))
				tb_die(EXIT_LOCAL, "-a: the message body is already encoded");
			continue;
		}
		if (field_is(&f, "MIME-Version") ||
		    (sb->tflag && (field_is(&f, "Bcc") || field_is(&f, "Resent-Bcc"))))
			continue;
		if (field_is(&f, "Date"))
			mm->date = NULL;
		if (field_is(&f, "Message-ID"))
			mm->msgid = NULL;
		if (field_is(&f, "From"))
			mm->from = NULL;
		if (field_is(&f, "Subject"))
			mm->subject = NULL;
		if (n >= 256)
			tb_die(EXIT_LOCAL, "-a: too many header fields");
		while (l && (f.name[l - 1] == '\n' || f.name[l - 1] == '\r'))
			l--;
		(*store)[n] = tb_xmalloc(l + 1);
		memcpy((*store)[n], f.name, l);
		(*store)[n][l] = '\0';
		(*extra)[n] = (*store)[n];
		n++;
	}
	*nextra = n;
}

/*
 * The message to send, from what came on stdin or out of the mbox: as it
 * is, with Date, Message-ID, From (and -S, -H) added when missing and Bcc
 * removed with -t; or built, with -a attachments.
 */
void
submit_prepare(const struct submit *sb, struct sub_msg *m, const uint8_t *in, size_t inlen,
    char **argv_rcpt, int nargv)
{
	static const char *const bcc[] = { "Bcc", "Resent-Bcc", NULL };
	static char dl[160], il[600], sl[1100], fl[700];
	const char *add[SUBMIT_MAX_LIST + 4];
	char date[128], id[512];
	size_t hend = 0, body = 0, nadd = 0, n, i;
	struct mail_field f;
	int hashdr = mail_split(in, inlen, &hend, &body);
	uint64_t h = fnv(0xcbf29ce484222325ULL, in, inlen);

	memset(m, 0, sizeof *m);
	collect_rcpts(sb, m, in, hend, hashdr, argv_rcpt, nargv);
	for (i = 0; i < (size_t)sb->nparts; i++)
		h = fnv(h, sb->parts[i].data, sb->parts[i].len);
	gen_date(sb, date, sizeof date);
	gen_msgid(sb, id, sizeof id, h);
	if (hashdr && sb->nparts == 0) {
		if (!mail_field_find(in, hend, "Date", &f)) {
			snprintf(dl, sizeof dl, "Date: %s", date);
			add[nadd++] = dl;
		}
		if (!mail_field_find(in, hend, "Message-ID", &f)) {
			snprintf(il, sizeof il, "Message-ID: %s", id);
			add[nadd++] = il;
		}
		if (!mail_field_find(in, hend, "From", &f) && sb->from[0]) {
			snprintf(fl, sizeof fl, "From: %s", sb->from);
			add[nadd++] = fl;
		}
		if (sb->subject && !mail_field_find(in, hend, "Subject", &f)) {
			n = (size_t)snprintf(sl, sizeof sl, "Subject: ");
			n += mime_encode_words(sl + n, sizeof sl - n, sb->subject, strlen(sb->subject), 9);
			if (n >= sizeof sl)
				tb_die(EXIT_LOCAL, "-S: subject too long");
			sl[n] = '\0';
			add[nadd++] = sl;
		}
		for (i = 0; i < (size_t)sb->nhdr; i++)
			add[nadd++] = sb->hdr[i];
		n = mail_amend(NULL, 0, in, inlen, add, nadd, sb->tflag ? bcc : NULL);
		m->m = tb_xmalloc(n);
		m->len = mail_amend(m->m, n, in, inlen, add, nadd, sb->tflag ? bcc : NULL);
	} else {
		struct mail_msg mm;
		char to[4096], boundary[64];
		const char **extra = NULL;
		char **store = NULL;
		size_t nextra = 0, tl = 0;
		int cls;

		memset(&mm, 0, sizeof mm);
		mm.from = sb->from[0] ? sb->from : NULL;
		mm.subject = sb->subject;
		mm.date = date;
		mm.msgid = id;
		if (hashdr) {
			wrap_existing(sb, &mm, in, hend, &extra, &nextra, &store);
			mm.body = in + body;
			mm.bodylen = inlen - body;
		} else {
			for (i = 0; i < m->nr; i++) {
				n = (size_t)snprintf(to + tl, sizeof to - tl, "%s%s", i ? ", " : "", m->r[i].addr);
				if (n >= sizeof to - tl)
					tb_die(EXIT_LOCAL, "too many recipients for a To: field");
				tl += n;
			}
			mm.to = to;
			mm.body = in;
			mm.bodylen = inlen;
			extra = tb_xmalloc(sizeof *extra * SUBMIT_MAX_LIST);
		}
		for (i = 0; i < (size_t)sb->nhdr; i++)
			extra[nextra++] = sb->hdr[i];
		mm.extra = extra;
		mm.nextra = nextra;
		cls = mail_classify(mm.body, mm.bodylen);
		if (cls & MAIL_BARECR)
			tb_die(EXIT_LOCAL, "the message has a bare CR (refused: SMTP smuggling)");
		/* long lines, or 8-bit text beside attachments, go quoted-printable */
		mm.cte = (cls & MAIL_LONG) || ((cls & MAIL_8BIT) && sb->nparts) ? CTE_QP :
		    cls & MAIL_8BIT ? CTE_8BIT : CTE_7BIT;
		mm.parts = sb->parts;
		mm.nparts = (size_t)sb->nparts;
		for (uint64_t salt = h;; salt++) {
			snprintf(boundary, sizeof boundary, "=_tubes_%016llx", (unsigned long long)salt);
			if (memmem(mm.body, mm.bodylen, boundary, strlen(boundary)) == NULL)
				break;
		}
		mm.boundary = boundary;
		n = mail_build(NULL, 0, &mm);
		m->m = tb_xmalloc(n);
		m->len = mail_build(m->m, n, &mm);
		if (store)
			for (i = 0; i < nextra; i++)
				if (i < 256 && store[i] && extra[i] == store[i])
					tb_free(store[i]);
		tb_free(store);
		tb_free(extra);
	}
	m->cls = mail_classify(m->m, m->len);
	if (m->cls & MAIL_BARECR)
		tb_die(EXIT_LOCAL, "the message has a bare CR (refused: SMTP smuggling)");
	if (m->cls & MAIL_NUL)
		tb_die(EXIT_LOCAL, "the message has a NUL byte");
}


uint8_t *
submit_slurp(int fd, const char *name, size_t *lenp)
{
	char *b = tb_slurp_fd(fd, SUBMIT_MSG_MAX, lenp);

	if (b == NULL && errno == EFBIG)
		tb_die(EXIT_LOCAL, "%s: larger than %zu MiB", name, SUBMIT_MSG_MAX >> 20);
	if (b == NULL)
		tb_die(EXIT_LOCAL, "%s: %s", name, errno == ENOMEM ? "out of memory" : strerror(errno));
	return (uint8_t *)b;
}

void
submit_attach(struct mail_part *parts, uint8_t **data, const char *const *paths, int n)
{
	int i, fd;

	for (i = 0; i < n; i++) {
		const char *p = paths[i], *base = strrchr(p, '/');
		size_t len;

		if ((fd = open(p, O_RDONLY | O_CLOEXEC)) < 0)
			tb_die(EXIT_LOCAL, "%s: %s", p, strerror(errno));
		data[i] = submit_slurp(fd, p, &len);
		close(fd);
		parts[i].data = data[i];
		parts[i].len = len;
		parts[i].name = base ? base + 1 : p;
		parts[i].type = submit_type(parts[i].name);
	}
}

static int
high(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

int
submit_utf8(const struct sub_msg *m, const char *from)
{
	size_t i;

	if (high(from))
		return 1;
	for (i = 0; i < m->nr; i++)
		if (high(m->r[i].addr))
			return 1;
	return 0;
}

void
submit_print(FILE *fp, const struct sub_msg *m, int mbox, const char *from)
{
	size_t s = 0, e, k;

	if (mbox) {
		char when[64];
		time_t t = (time_t)(tb_wall() / 1000000);
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(when, sizeof when, "%a %b %e %H:%M:%S %Y", &tm);
		fprintf(fp, "From %s %s\n", from[0] ? from : "MAILER-DAEMON", when);
	}
	while (s < m->len) {
		const uint8_t *nl = memchr(m->m + s, '\n', m->len - s);

		e = nl ? (size_t)(nl - m->m) : m->len;
		for (k = s; mbox && k < e && m->m[k] == '>'; k++)
			;
		if (mbox && e - k >= 5 && memcmp(m->m + k, "From ", 5) == 0)
			fputc('>', fp);
		fwrite(m->m + s, 1, (nl && e > s && m->m[e - 1] == '\r' ? e - 1 : e) - s, fp);
		if (nl)
			fputc('\n', fp);
		s = nl ? e + 1 : e;
	}
	if (mbox)
		fputc('\n', fp);
}

/* --- the messages of a run ------------------------------------------------- */

void
submit_src_one(struct submit_src *src, const struct submit *sb, const uint8_t *in, size_t n,
    char **argv, int argc)
{
	memset(src, 0, sizeof *src);
	src->sb = sb;
	src->argv = argv;
	src->argc = argc;
	submit_prepare(sb, &src->held, in, n, argv, argc);
}

/* the next message of the mbox, or NULL at its end; exit 2 on an error */
static const uint8_t *
mbox_read(struct submit_src *src, size_t *len)
{
	const uint8_t *m;
	int r = mboxrd_next(&src->rd, &m, len);

	if (r < 0 && errno == EFBIG)
		tb_die(EXIT_LOCAL, "%s: a message larger than %zu MiB", src->path,
		    SUBMIT_MSG_MAX >> 20);
	if (r < 0)
		tb_die(EXIT_LOCAL, "%s: %s", src->path, strerror(errno));
	return r == 1 ? m : NULL;
}

size_t
submit_src_mbox(struct submit_src *src, const struct submit *sb, const char *path,
    char **argv, int argc)
{
	size_t n = 0, i, len;

	memset(src, 0, sizeof *src);
	src->sb = sb;
	src->argv = argv;
	src->argc = argc;
	src->path = path;
	if (mboxrd_open(&src->rd, path, 0, SUBMIT_MSG_MAX) < 0)
		tb_die(EXIT_LOCAL, "%s: %s", path, strerror(errno));
	while (mbox_read(src, &len) != NULL)
		n++;
	mboxrd_rewind(&src->rd);
	if (n == 0)
		tb_die(EXIT_LOCAL, "%s: no message in the mbox", path);
	src->cur = (size_t)-1;
	for (i = 0; i < n; i++)
		(void)submit_at(src, i);
	(void)submit_at(src, 0);
	return n;
}

struct sub_msg *
submit_at(struct submit_src *src, size_t k)
{
	const uint8_t *mb;
	size_t len = 0, ul;
	uint8_t *u;

	if (k == src->cur || src->path == NULL)
		return &src->held;
	if (k < src->next) {
		mboxrd_rewind(&src->rd);
		src->next = 0;
	}
	for (;;) {
		if ((mb = mbox_read(src, &len)) == NULL)
			tb_die(EXIT_LOCAL, "%s: fewer messages than it had", src->path);
		if (src->next++ == k)
			break;
	}
	sub_msg_free(&src->held);
	u = tb_xmalloc(len ? len : 1);
	ul = mbox_unquote(u, len, mb, len);
	submit_prepare(src->sb, &src->held, u, ul, src->argv, src->argc);
	tb_free(u);
	src->cur = k;
	return &src->held;
}

void
submit_src_free(struct submit_src *src)
{
	sub_msg_free(&src->held);
	if (src->path)
		mboxrd_close(&src->rd);
}
