/* workers.c - forked workers that report a result through a pipe (workers.h) */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tubes.h"
#include "workers.h"

int
tb_workers_start(struct tb_workers *w, int n, void (*fn)(void *, void *), void *arg, size_t size)
{
	unsigned char res[TB_WORKER_RESULT];
	int p[2];

	memset(w, 0, sizeof *w);
	if (size > sizeof res)
		return 0;
	fflush(stdout);
	fflush(stderr);
	while (w->n < n && w->n < TB_WORKERS_MAX) {
		if (pipe2(p, O_CLOEXEC) < 0)
			break;
		if ((w->pid[w->n] = fork()) < 0) {
			close(p[0]);
			close(p[1]);
			break;
		}
		if (w->pid[w->n] == 0) {
			close(p[0]);
			memset(res, 0, sizeof res);
			fn(arg, res);
			(void)tb_write_all(p[1], res, size);
			fflush(stdout);
			fflush(stderr);
			_exit(0);
		}
		close(p[1]);
		w->rfd[w->n++] = p[0];
	}
	return w->n;
}

/* the caller was interrupted: the workers too, once */
static void
forward(struct tb_workers *w)
{
	int i;

	if (!tb_interrupted || w->forwarded)
		return;
	for (i = 0; i < w->n; i++)
		kill(w->pid[i], tb_interrupted);
	w->forwarded = 1;
}

void
tb_workers_wait(struct tb_workers *w, size_t size, const void *fail,
    void (*add)(void *, const void *), void *total)
{
	unsigned char res[TB_WORKER_RESULT];
	ssize_t n;
	int i, st;

	forward(w);
	for (i = 0; i < w->n; i++) {
		memcpy(res, fail, size);
		while ((n = read(w->rfd[i], res, size)) < 0 && errno == EINTR)
			forward(w);
		if (n != (ssize_t)size)
			memcpy(res, fail, size);
		close(w->rfd[i]);
		while (waitpid(w->pid[i], &st, 0) < 0 && errno == EINTR)
			forward(w);
		add(total, res);
	}
	w->n = 0;
}
