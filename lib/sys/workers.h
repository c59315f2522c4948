/*
 * workers.h - forked workers beside the calling process (ftpget -r
 * --parallel): each runs a function and reports a small fixed-size
 * result through a pipe of its own; the caller does its share of the
 * work meanwhile, then collects them.  A signal that reaches the caller
 * alone (kill PID, not the terminal's process group) is passed on, so
 * that the workers stop within a second as the caller does.
 */
#ifndef TB_WORKERS_H
#define TB_WORKERS_H

#include <stddef.h>
#include <sys/types.h>

#define TB_WORKERS_MAX 16
#define TB_WORKER_RESULT 256	/* bytes a result, at most */

struct tb_workers {
	int n;
	pid_t pid[TB_WORKERS_MAX];
	int rfd[TB_WORKERS_MAX];
	int forwarded;		/* the signal has been passed on */
};

/*
 * Fork up to n workers (fewer when fork or pipe fails: the caller then
 * does more itself).  In each, fn(arg, res) fills res (size bytes, at
 * most TB_WORKER_RESULT), which goes to the caller; then the worker
 * _exits.  stdout and stderr are flushed first.  The number started.
 */
int tb_workers_start(struct tb_workers *, int n, void (*fn)(void *arg, void *res), void *arg,
    size_t size);
/*
 * Wait for every worker.  For each, add(total, res) with what it sent
 * (res as fail gives it for one that sent nothing: it died).
 */
void tb_workers_wait(struct tb_workers *, size_t size, const void *fail,
    void (*add)(void *total, const void *res), void *total);

#endif
