/*
 * ftplist.h - a directory's listing for ftpget -r: entries spooled to an
 * unlinked temporary file (lib/sys/spool.h), so that a listing of a
 * million entries costs the memory of ten; names that must not become
 * local files refused as they come, names listed twice refused after
 * the first; the files handed out one at a time to this process and its
 * --parallel workers through a counter in shared memory.
 */
#ifndef TB_FTPLIST_H
#define TB_FTPLIST_H

#include <stddef.h>
#include <stdint.h>

#include "ftpsess.h"
#include "spool.h"

/*
 * One directory's entries are spooled to an unlinked temporary file
 * (lib/sys/spool.h), one fixed-size record each, so that -r holds the
 * same memory for a listing of ten entries or of a million.  Entries
 * whose names must not become local files are refused as they come.
 */
struct ftp_rec {
	int64_t size, mtime;
	int32_t type;		/* enum ftp_type, or -1: refused (listed twice) */
	char name[256];		/* the local name, NUL-terminated */
};

/*
 * Names listed twice (a file twice, or a file and a directory) would be
 * written to one local name, the second over the first.  A fixed bitmap
 * of name hashes (a Bloom filter: 256 KiB however long the listing) finds
 * the names that may have come before; only those few are compared, in a
 * second pass over the spool.
 */
#define SEEN_BITS (1u << 21)
#define SEEN_MAX 4096		/* names kept for the second pass, at most */

struct ftplist {
	struct ftps *s;
	struct tb_spool sp;
	uint64_t nfiles;
	int worst;
	int verbose;
	char (*maybe)[256];	/* names that may be twins */
	uint8_t *hit;		/* per maybe: seen in the second pass */
	size_t nmaybe;
};

/*
 * List dir over s (ftps_list, mode 'M' or 'L') into w: each entry with
 * a safe local name, twins marked refused (type -1), every refusal said
 * (with "skipping NAME (link)" for what is neither file nor directory
 * when verbose).  0, or an exit status (w may hold entries even then).
 */
int ftplist_read(struct ftplist *w, struct ftps *s, const char *dir, int mode, int verbose);
/* the counter back to the first entry (before the files are handed out) */
void ftplist_rewind(struct ftplist *);
/*
 * The next file: the counter is taken atomically, so each file goes to
 * whichever process asks first and one that cannot log in leaves its
 * share to the others.  1 with rec, or 0 when there is none.
 */
int ftplist_next(struct ftplist *, struct ftp_rec *rec);
/* 1 when every entry has been handed out */
int ftplist_done(const struct ftplist *);
/* entry i (< w->sp.n); 0 or -1 with errno */
int ftplist_get(struct ftplist *, uint64_t i, struct ftp_rec *rec);
void ftplist_close(struct ftplist *);
/*
 * A name from the server as a local file name: ftp_safe_name's rule,
 * and never a name in lib/fsafe's own name space (.part-...), where the
 * files being fetched live until they are complete: so that no entry's
 * temporary name is another entry's real name.  0 or FTP_EUNSAFE.
 */
int ftp_local_name(const char *name, size_t len, char *out, size_t cap);

#endif
