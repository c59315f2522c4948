/*
 * ftpput.h - the start of an FTP upload (session code, over
 * lib/session/ftpsess.h): TYPE, and for a resume (-C) the remote file's
 * SIZE with the local input moved past as many bytes, then STOR (or APPE
 * from there) with its data connection and 1xx.  The bytes themselves
 * go by ftps_send_file, the end by ftps_xfer_end.
 */
#ifndef TB_FTPPUT_H
#define TB_FTPPUT_H

#include <stdint.h>

#include "ftpsess.h"

/*
 * Start the upload of in (named inname in messages) to path.  With
 * resume, a remote file of N > 0 bytes (SIZE) is appended to: in is
 * moved to byte N (it must be a regular file) and APPE sent instead of
 * STOR; *at gets N (0: from the start, STOR).  0 with r holding the
 * 1xx and d connected, or an exit status after saying why.
 */
int ftps_put_start(struct ftps *, struct reply *r, struct ftpdata *d, const char *path,
    int in, const char *inname, int resume, uint64_t *at);

#endif
