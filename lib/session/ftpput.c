/* ftpput.c - the start of an FTP upload: TYPE, SIZE for -C, STOR or APPE (see ftpput.h) */
#include <sys/stat.h>
#include <unistd.h>

#include "ftp.h"
#include "ftpput.h"
#include "tubes.h"

/* -C: the size of the remote file, to APPE from there; 1 resume, 0 from the start, or -exit */
static int
resume_at(struct ftps *s, struct reply *r, const char *path, int in, const char *inname,
    uint64_t *at)
{
	struct stat st;
	uint64_t sz = 0;
	int e;

	if ((e = ftps_cmd(s, r, "SIZE %s", path)) != 0)
		return -e;
	if (r->code != 213 || ftp_parse_size(r->text, r->len, &sz) < 0 || sz == 0)
		return 0;
	if (fstat(in, &st) < 0 || !S_ISREG(st.st_mode) || lseek(in, (off_t)sz, SEEK_SET) < 0) {
		ftps_say(s, "%s: cannot resume from byte %llu", inname, (unsigned long long)sz);
		return -EXIT_LOCAL;
	}
	*at = sz;
	return 1;
}

int
ftps_put_start(struct ftps *s, struct reply *r, struct ftpdata *d, const char *path, int in,
    const char *inname, int resume, uint64_t *at)
{
	int e, append = 0;

	*at = 0;
	e = ftps_type(s, r, s->ascii ? 'A' : 'I');
	if (e == 0 && resume && (append = resume_at(s, r, path, in, inname, at)) < 0)
		e = -append;
	if (e == 0)
		e = ftps_xfer(s, r, d, 0, append ? "APPE" : "STOR", "%s %s",
		    append ? "APPE" : "STOR", path);
	return e;
}
