/*
 * tubes.h - the system side shared by every command: exit codes,
 * diagnostics, numbers, time, allocation, output (JSON, layer view,
 * escaping), addresses, connections and the line reader, secrets,
 * privileges.  Wire codecs live in their own headers (wire.h, dns.h, ...).
 */
#ifndef TUBES_H
#define TUBES_H

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "view.h"

#define TUBES_VERSION "0.1.0"

/* Exit status, the same in every command (DESIGN.md, tubes(7)). */
enum {
	EXIT_OK = 0,		/* got what was asked */
	EXIT_NO = 1,		/* a definitive no from the network or peer */
	EXIT_LOCAL = 2,		/* usage or local error */
	EXIT_NET = 3,		/* network or peer failed us; try again later */
};
/* the worse of two exit codes: 2 > 3 > 1 > 0 */
int exit_worst(int a, int b);

/* --- start-up and diagnostics ------------------------------------------ */

/*
 * tb_init: name the program for diagnostics (err(3) style "NAME: ..."),
 * make stdout line-buffered, and note whether the fault-injection
 * switches (TUBES_FAIL_ALLOC, TUBES_ALLOC_LOG) are set.
 */
void tb_init(const char *argv0);
extern const char *tb_prog;
/*
 * Set by a command's SIGINT/SIGTERM handler: the waits in conn.c then
 * return -1 with errno EINTR instead of resuming, so the command can
 * print its summary.
 */
extern volatile sig_atomic_t tb_interrupted;
/* flush stdout; if that fails (ENOSPC, closed pipe) say so and exit 2 */
void tb_exit(int code) __attribute__((noreturn));
/* print "PROG: fmt" on stderr (warnx equivalent), with the peer escaped by the caller */
void tb_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * The same for a line that holds peer text (a reply, a name from DNS):
 * the whole formatted line is escaped (tb_escape), so no byte the peer
 * chose reaches the terminal raw.
 */
void tb_warn_peer(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tb_die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
/*
 * With -j the last line is the summary even when a command dies before
 * its first packet (tubes(7)): a command registers how to print it, and
 * tb_die calls that, once, with the exit code, after the diagnostic.
 */
void tb_on_die(void (*summary)(int code));
/* print "Try 'PROG --help'." and exit 2 */
void tb_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/*
 * getopt_long returned '?': it has said what was wrong in one line
 * ("NAME: unrecognized option '--x'", with argv[0] set to tb_prog), so
 * only "Try 'PROG --help'." follows, and exit 2.
 */
void tb_bad_option(void) __attribute__((noreturn));

/* --- numbers ----------------------------------------------------------- */

/* decimal integer in [min,max]; 0 or -1 (errno ERANGE/EINVAL) */
int tb_num(const char *s, long long min, long long max, long long *out);
/* seconds, fractional allowed ("1", "0.2", ".5"), to microseconds in [0,max_s] */
int tb_secs(const char *s, double max_s, int64_t *usec);

/* --- time -------------------------------------------------------------- */

int64_t tb_now(void);		/* CLOCK_MONOTONIC, microseconds */
int64_t tb_wall(void);		/* CLOCK_REALTIME, microseconds */
/* milliseconds until deadline (µs, absolute monotonic) for poll(); -1 if deadline < 0 (none) */
int tb_ms_until(int64_t deadline);
/* the earlier of two deadlines, where < 0 means none */
int64_t tb_earliest(int64_t a, int64_t b);
struct pollfd;
/* poll until events, the deadline (< 0 none) or tb_interrupted (-1, EINTR) */
int tb_poll(struct pollfd *, int n, int64_t deadline);
/* SIGINT, SIGTERM, SIGHUP set tb_interrupted to the signal's number */
void tb_catch_signals(void);
/* "SIGINT", "SIGTERM", "SIGHUP", or "a signal" */
const char *tb_signame(int sig);
/* format wall-clock µs as ISO 8601 UTC with milliseconds into buf (>= 32) */
char *tb_iso8601(int64_t wall_us, char *buf, size_t n);

/* --- memory: every allocation goes through these (fault injection) ------ */

void *tb_malloc(size_t);
/* tb_malloc, or exit 2 with "out of memory" on stderr */
void *tb_xmalloc(size_t);
void *tb_calloc(size_t, size_t);
void *tb_realloc(void *, size_t);
char *tb_strdup(const char *);
void tb_free(void *);
/*
 * All of fd (or the file at path) in a NUL-terminated heap buffer, its
 * length (without the NUL) in *lenp; NULL with errno on failure, EFBIG
 * when there is more than max bytes.  Plain read(2): no stdio.
 */
char *tb_slurp_fd(int fd, size_t max, size_t *lenp);
char *tb_slurp(const char *path, size_t max, size_t *lenp);
/* up to cap - 1 bytes of a small file into buf, NUL-terminated (""
 * when it cannot be read); the length, or -1 with errno */
ssize_t tb_read_small(const char *path, char *buf, size_t cap);

/* write all of buf to fd (EINTR retried); 0 or -1 */
int tb_write_all(int fd, const void *, size_t);

/* --- randomness -------------------------------------------------------- */

int tb_random(void *, size_t);	/* getrandom(2); 0 or -1 */

/* --- escaping peer text ------------------------------------------------ */

/*
 * Write n bytes to fp with control bytes, DEL, bytes >= 0x80 (unless
 * utf8 is set and they form valid UTF-8) and backslash escaped as
 * \t \r \n \\ \xHH.  Peer text is only ever printed through this.
 */
void tb_escape(FILE *, const void *, size_t, int utf8);
/* tb_escape_buf, the same into a buffer, is in view.h (wire code uses it) */

/* --- NDJSON writer ----------------------------------------------------- */

struct json {
	FILE *fp;
	int depth;
	unsigned char first[16];	/* no comma needed yet at this depth */
	unsigned char array[16];	/* this depth is an array */
};

/* start an event object {"type":TYPE on fp */
void js_begin(struct json *, FILE *, const char *type);
/* key may be NULL inside an array */
void js_str(struct json *, const char *key, const char *val);	/* NULL -> null */
void js_strn(struct json *, const char *key, const void *, size_t);
void js_int(struct json *, const char *key, long long);
void js_num(struct json *, const char *key, double, int decimals);
void js_ms(struct json *, const char *key, int64_t usec);	/* µs -> ms, 3 decimals */
void js_bool(struct json *, const char *key, int);
void js_null(struct json *, const char *key);
void js_obj(struct json *, const char *key);
void js_arr(struct json *, const char *key);
void js_close(struct json *);	/* closes the innermost object or array */
void js_end(struct json *);	/* closes everything, newline, flush */

/* --- layer view (-X): the decoders' interface is view.h ----------------- */

/* the view writes to fp; a command sets it (usually stdout) */
struct layers {
	FILE *fp;
};
/* a plain hex dump: offset, 16 bytes, printable column */
void tb_hexdump(FILE *, const void *, size_t);

/* --- addresses --------------------------------------------------------- */

struct tb_addr {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t a[16];		/* network order; 4 bytes used for AF_INET */
	uint32_t scope;		/* IPv6 scope id */
};
#define TB_ADDRSTRLEN 64
struct sockaddr;
struct sockaddr_storage;
/* numeric IPv4/IPv6 literal (IPv6 may carry %scope); 0 or -1 */
int tb_addr_parse(const char *, struct tb_addr *);
char *tb_addr_str(const struct tb_addr *, char *buf, size_t n);
/* address and port -> sockaddr; returns its length */
unsigned tb_sockaddr(const struct tb_addr *, uint16_t port, struct sockaddr_storage *);
int tb_from_sockaddr(const struct sockaddr *, struct tb_addr *, uint16_t *port);
int tb_addr_eq(const struct tb_addr *, const struct tb_addr *);
/* 127/8, ::1, or 127/8 mapped into IPv6 (::ffff:127.x.y.z): the one rule
 * for "no password in clear but to loopback" in every command */
int tb_addr_loopback(const struct tb_addr *);

/*
 * The IP_RECVERR / IPV6_RECVERR message in mh (read with MSG_ERRQUEUE):
 * the kernel's error into *ee, the ICMP sender (SO_EE_OFFENDER) into
 * *offender (family 0 if none).  1 found, 0 not (errq.c).
 */
struct msghdr;
struct sock_extended_err;
int tb_errqueue(struct msghdr *, struct sock_extended_err *, struct tb_addr *offender);
/*
 * What the kernel said of a received message (errq.c): its receive time
 * (SO_TIMESTAMPNS, µs of the wall clock; 0 if absent), and into *ttl, if
 * ttl is set, the TTL or hop limit (IP_RECVTTL, IPV6_RECVHOPLIMIT; -1 if
 * absent).
 */
int64_t tb_recvmeta(struct msghdr *, int *ttl);

/* --- privileges (priv.c) ------------------------------------------------ */

/* give up a setuid/setgid identity for good; exit 2 if that fails */
void tb_drop_privs(void);

#endif
