/*
 * writeout.h - curl's --write-out formats (wire code: no system call, no
 * stdio): %{variable}, %% and the escapes \n \r \t \\ of a format,
 * expanded with the values of one transfer.  %{stdout} and %{stderr}
 * switch the stream the text that follows goes to; the caller writes it.
 */
#ifndef TB_WRITEOUT_H
#define TB_WRITEOUT_H

#include <stddef.h>
#include <stdint.h>

/* one transfer, as curl names it; strings already escaped, or NULL ("") */
struct wo_vals {
	int http_code;		/* the last status, 0: none (printed 000) */
	int exitcode;		/* the transfer's exit status (tubes' codes) */
	int num_redirects;
	int num_connects;	/* new connections opened */
	uint64_t size_download;	/* body bytes of the last response */
	uint64_t size_header;	/* bytes of every response head */
	int64_t time_total;	/* µs from the start; < 0 is 0 */
	int64_t time_connect, time_starttransfer;
	const char *url_effective, *content_type, *redirect_url, *method, *scheme;
};

/* where the next piece goes */
enum { WO_STDOUT, WO_STDERR };
typedef void wo_emit(void *ctx, int stream, const char *s, size_t n);

/*
 * 0 when every %{name} of fmt is known; -1 with *bad and *nbad naming
 * the first that is not (or an unclosed %{).
 */
int wo_check(const char *fmt, const char **bad, size_t *nbad);
/* fmt expanded with v, piece by piece to emit (unknown names: nothing) */
void wo_expand(const char *fmt, const struct wo_vals *v, wo_emit *emit, void *ctx);

#endif
