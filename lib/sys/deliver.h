/*
 * deliver.h - durable local delivery of mail: Maildir (tmp/ -> fsync ->
 * link into new/ -> fsync new/), mbox (From_ lines, >From quoting, fcntl
 * lock + dotlock, fsync, a failed append truncated away), an mbox stream
 * on a descriptor, or a command per message.  And the state file of
 * delivered unique-ids, replaced atomically.  System code.
 */
#ifndef TUBES_DELIVER_H
#define TUBES_DELIVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum sink_kind { SINK_MAILDIR, SINK_MBOX, SINK_STREAM, SINK_EXEC };

struct sink {
	int kind;
	char path[4096];	/* Maildir root, mbox file, or the command */
	int newfd, tmpfd;	/* Maildir: new/ and tmp/ */
	int fd;			/* mbox file or stream descriptor */
	char lock[4112];	/* the dotlock we hold, or "" */
	dev_t lock_dev;		/* ... and the file it is */
	ino_t lock_ino;
	unsigned stale;		/* stale dotlocks removed (a killed run's) */
	char lockwhy[4400];	/* sink_open's *why when the dotlock is held */
	unsigned seq;
	char host[64];
};

/*
 * Open a sink.  kind SINK_MAILDIR: path is the Maildir (created with
 * tmp/ new/ cur/ if missing); SINK_MBOX: the mbox file (created, then
 * locked until sink_close; lock_wait µs to get the locks); SINK_STREAM:
 * fd is the descriptor (path unused); SINK_EXEC: path is the command.
 * 0, or -1 with errno and *why naming the step that failed.
 */
int sink_open(struct sink *, int kind, const char *path, int fd, int64_t lock_wait,
    const char **why);
void sink_close(struct sink *);

/* one message on its way into a sink */
struct delivery {
	struct sink *s;
	int fd;
	pid_t pid;		/* SINK_EXEC: the command */
	off_t start;		/* SINK_MBOX: size before this message */
	char name[256];		/* SINK_MAILDIR: the unique name */
	int err;		/* first errno, sticky */
	int mbox;		/* From_ quoting on */
	int bol;		/* at the beginning of a line */
	int gt, from;		/* quoting lookahead: '>' count, "From " matched */
	int lastnl;		/* the last byte written was LF */
	uint64_t bytes;		/* message bytes given to dv_write */
	size_t len;
	uint8_t buf[65536];
};

/*
 * Start a message.  For SINK_EXEC, env holds "NAME=value" strings
 * (NULL-terminated) added to the command's environment.
 * 0, or -1 with errno.
 */
int dv_begin(struct sink *, struct delivery *, char *const env[]);
/* message bytes (LF line ends); 0 or -1 with errno (sticky) */
int dv_write(struct delivery *, const void *, size_t);
/*
 * Make the message durable: flush, fsync, and for a Maildir link it into
 * new/ and fsync new/; for a command wait for it (non-zero exit: -1,
 * errno ECHILD... and *status set).  where gets the path (Maildir),
 * "mbox path", "-" or "exit N".  0 only when the message is safe.
 */
int dv_commit(struct delivery *, char *where, size_t cap, int *status);
/* throw the message away: unlink the tmp file, truncate the mbox, SIGTERM the command */
void dv_abort(struct delivery *);

/*
 * Group commit, for speed with the same guarantee: dv_stage writes and
 * closes a message without syncing it and records it in *st; sink_flush
 * then makes every staged message durable at once (one syncfs of the
 * Maildir's file system, links into new/, one fsync of new/; one fsync
 * of an mbox) and fills each where.  Only after sink_flush returned 0 is
 * any of them delivered.  sink_discard throws staged messages away.
 * SINK_STREAM and SINK_EXEC are final at dv_stage (a command's exit
 * status is known then; where says "exit N" on failure).
 */
struct staged {
	char name[256];		/* Maildir: the unique name in tmp/ */
	char newname[256];	/* ... and in new/ (another if that one is taken) */
	int linked;		/* sink_flush linked it into new/ as newname */
	off_t start;		/* mbox: its size before this message */
	char where[4400];	/* after sink_flush: the path, "-" or "exit 0" */
};
int dv_stage(struct delivery *, struct staged *, int *status);
int sink_flush(struct sink *, struct staged *, size_t n);
void sink_discard(struct sink *, struct staged *, size_t n);

/* --- state of delivered unique-ids ------------------------------------- */

struct uidstate {
	char path[4096];
	char account[512];
	char **uid;		/* this account's ids */
	unsigned char *mark;	/* uid[i] is on the server (state_mark) or new */
	size_t n, cap;
	char *other;		/* other accounts' lines, verbatim */
	size_t olen;
};

/* read path (missing = empty); 0, or -1 with errno and *why */
int state_load(struct uidstate *, const char *path, const char *account, const char **why);
int state_has(const struct uidstate *, const char *uid);
/* the server still has uid: a pruning state_save keeps it */
void state_mark(struct uidstate *, const char *uid);
/* add uid (no duplicate; marked); 0 or -1 (ENOMEM) */
int state_add(struct uidstate *, const char *uid);
/*
 * Write the state: to path.tmp, fsync, rename over path, fsync the
 * directory.  With prune, only this account's ids that were marked or
 * added are written (the ones the server still has); other accounts'
 * lines are kept as they are.
 */
int state_save(struct uidstate *, int prune, const char **why);
void state_free(struct uidstate *);

#endif
