/*
 * mboxrd.h - an mbox read a message at a time (system code), for
 * smtpsend --batch: the file is read with pread(2) into one window that
 * holds the message in hand, so the memory is that of the largest
 * message whatever the number of messages, and none of the file is
 * mapped (a mapping's pages count in the RSS as they are touched).
 * Messages are split as lib/wire/mail.c mbox_next splits them; the
 * ">From " quoting is left to the caller (mbox_unquote).
 *
 *	struct mboxrd rd;
 *	if (mboxrd_open(&rd, path, 0, max) < 0) ... errno
 *	while ((r = mboxrd_next(&rd, &msg, &len)) == 1) ... msg[0, len)
 *	r: 0 at the end, -1 with errno (EFBIG: a message over max)
 *	mboxrd_rewind(&rd);  mboxrd_close(&rd);
 */
#ifndef TB_MBOXRD_H
#define TB_MBOXRD_H

#include <stddef.h>
#include <stdint.h>

struct mboxrd {
	int fd;
	uint8_t *buf;		/* the window: file bytes [base, base + len) */
	size_t cap, len, max;
	size_t used;		/* bytes of the window already handed out */
	uint64_t base;
	int eof;		/* the window reaches the end of the file */
};

/* open path; win is the first window size (0: 64 KiB); 0, or -1 with errno */
int mboxrd_open(struct mboxrd *, const char *path, size_t win, size_t max);
/*
 * The next message: 1 with *msg (valid until the next call) and *len,
 * 0 at the end of the file, -1 with errno (a read error, ENOMEM, or
 * EFBIG when one message is longer than max).
 */
int mboxrd_next(struct mboxrd *, const uint8_t **msg, size_t *len);
/* back to the first message */
void mboxrd_rewind(struct mboxrd *);
void mboxrd_close(struct mboxrd *);

#endif
