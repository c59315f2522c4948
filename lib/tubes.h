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
void tb_die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
/* print "Try 'PROG --help'." and exit 2 */
void tb_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

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
/* format wall-clock µs as ISO 8601 UTC with milliseconds into buf (>= 32) */
char *tb_iso8601(int64_t wall_us, char *buf, size_t n);

/* --- memory: every allocation goes through these (fault injection) ------ */

void *tb_malloc(size_t);
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

/* --- randomness -------------------------------------------------------- */

int tb_random(void *, size_t);	/* getrandom(2); 0 or -1 */

/* --- escaping peer text ------------------------------------------------ */

/*
 * Write n bytes to fp with control bytes, DEL, bytes >= 0x80 (unless
 * utf8 is set and they form valid UTF-8) and backslash escaped as
 * \t \r \n \\ \xHH.  Peer text is only ever printed through this.
 */
void tb_escape(FILE *, const void *, size_t, int utf8);
/* the same into a buffer, always NUL-terminated; returns the length wanted */
size_t tb_escape_buf(char *dst, size_t cap, const void *, size_t);

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

/* --- layer view (-X) and hex dump ------------------------------------- */

/*
 * A decoder describes a packet to a struct layers: one heading per
 * header ("IPv4, 20 bytes"), then one line per field, named as in its
 * RFC.  lv_hex ends a packet with its bytes.
 */
struct layers {
	FILE *fp;
};
/* "--- sent 84 bytes to 10.0.0.1 ---" style packet banner */
void lv_packet(struct layers *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lv_layer(struct layers *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lv_field(struct layers *, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void lv_hex(struct layers *, const void *, size_t);
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

/*
 * The IP_RECVERR / IPV6_RECVERR message in mh (read with MSG_ERRQUEUE):
 * the kernel's error into *ee, the ICMP sender (SO_EE_OFFENDER) into
 * *offender (family 0 if none).  1 found, 0 not (errq.c).
 */
struct msghdr;
struct sock_extended_err;
int tb_errqueue(struct msghdr *, struct sock_extended_err *, struct tb_addr *offender);

/* --- the resolver (resolv.c) ------------------------------------------- */

/*
 * Literals pass through; names go to the hosts file (TUBES_HOSTS or
 * /etc/hosts), then DNS via the resolv.conf (TUBES_RESOLV_CONF) servers.
 * family: AF_UNSPEC, AF_INET or AF_INET6.  Returns the number of
 * addresses (> 0); 0 when the name definitively has none (NXDOMAIN,
 * NODATA: exit 1); -1 when resolution failed (timeout, SERVFAIL: exit 3);
 * -2 when it could not be tried here (out of memory: exit 2).
 * *why names the reason for 0, -1 and -2.
 */
int tb_resolve(const char *name, int family, struct tb_addr *out, int max, const char **why);

struct tb_mx {
	unsigned pref;
	char host[256];
};
/* MX records of domain sorted by preference; same returns as tb_resolve */
int tb_resolve_mx(const char *domain, struct tb_mx *out, int max, const char **why);
/*
 * Put a name's addresses in the order to try them, as getaddrinfo does:
 * RFC 6724's destination selection (addrsel.h) with the source the
 * kernel picks for each, learnt by connect()ing a UDP socket to it (no
 * packet is sent); an address with no route goes last.  src, if not
 * NULL, gets each address's source (family 0: none).
 */
void tb_addr_order(struct tb_addr *, int n, struct tb_addr *src);
/* reverse name of addr (hosts file, then PTR); 0 or -1 */
int tb_resolve_ptr(const struct tb_addr *, char *name, size_t n);
/* the DNS half behind these (dnsres.c), called after literals and hosts */
int resolv_dns(const char *name, int family, struct tb_addr *out, int max, const char **why);
int resolv_dns_mx(const char *domain, struct tb_mx *out, int max, const char **why);
int resolv_dns_ptr(const struct tb_addr *, char *name, size_t n);

/* --- connections and the line reader (conn.c) -------------------------- */

#define CONN_BUFSZ 65536

struct conn {
	int rfd, wfd;		/* the same socket, or a --via helper's pipes */
	pid_t via_pid;		/* the --via helper, or 0 */
	int64_t idle;		/* µs allowed between bytes; < 0 none */
	int64_t deadline;	/* absolute monotonic µs; < 0 none */
	int eof;
	size_t off, len;	/* unread bytes are buf[off, len) */
	uint64_t nread, nwritten;
	FILE *trace;		/* if set, lines are echoed here as "S: " / "C: " */
	uint8_t buf[CONN_BUFSZ];
};

/*
 * Connect to addr:port within timeout µs (and the conn's deadline).
 * Returns 0, or -1 with errno (ETIMEDOUT, ECONNREFUSED, ...).
 */
int conn_tcp(struct conn *, const struct tb_addr *, uint16_t port, int64_t timeout);
/*
 * Connect through a helper: run "sh -c CMD" with %h and %p replaced by
 * host and port (shell-quoted), talking over its stdin/stdout.
 */
int conn_via(struct conn *, const char *cmd, const char *host, uint16_t port);
/*
 * name -> addresses -> first that connects; *why says what failed.  -1
 * with errno ENOENT (the name has no address), ENOMEM (out of memory in
 * the lookup), or another errno (lookup or connection failed).
 */
int conn_dial(struct conn *, const char *host, uint16_t port, int family,
    int64_t timeout, struct tb_addr *used, const char **why);
void conn_close(struct conn *);
/*
 * One line, CR LF (or a bare LF) stripped, NUL-terminated, into line.
 * Returns the length, or -1: errno EMSGSIZE (longer than cap-1),
 * ETIMEDOUT, EPIPE (EOF in the middle of a line), or a socket error;
 * returns -2 at a clean EOF before any byte of a line.
 */
ssize_t conn_line(struct conn *, char *line, size_t cap);
/*
 * make sure buf[off, len) holds unread bytes, reading more if it is empty:
 * 1 bytes are there, 0 EOF, -1 with errno (ETIMEDOUT...)
 */
int conn_fill(struct conn *);
/* up to n bytes (buffered first); 0 at EOF; -1 with errno (ETIMEDOUT...) */
ssize_t conn_read(struct conn *, void *, size_t n);
/* all n bytes or -1 with errno; EINTR retried; never SIGPIPE */
int conn_write(struct conn *, const void *, size_t n);
int conn_printf(struct conn *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* wait until readable; 1 readable, 0 timed out (idle or deadline), -1 error */
int conn_wait(struct conn *);
/* print the kernel's TCP_INFO account of fd on fp (segments, retrans, rtt) */
void tb_tcpinfo(FILE *, int fd, const char *label);
/* JSON object "tcp_info" with the same fields */
void tb_tcpinfo_json(struct json *, int fd);

/* write all of buf to fd (EINTR retried); 0 or -1 */
int tb_write_all(int fd, const void *, size_t);

/* --- 3-digit multi-line replies (reply.c); SMTP's rules, RFC 5321 4.2.1 --- */

#define REPLY_MAX 16384
#define REPLY_MAXLINES 1000	/* lines in one reply: a count limit on continuations */
struct reply {
	int code;		/* 100..599 */
	size_t nlines;
	size_t len;		/* bytes in text */
	char text[REPLY_MAX];	/* the lines' text after "ddd-"/"ddd ", joined with \n */
};
/*
 * Parse one reply line: 0 and *code, *more (1 for "ddd-") on success,
 * -1 if it is not a reply line.  Pure: used by reply_read and fuzzed.
 */
int reply_line(const char *line, size_t len, int *code, int *more);
/*
 * read one whole reply; 0, or -1 with errno (EPROTO for a malformed one,
 * EMSGSIZE for one over REPLY_MAX bytes or REPLY_MAXLINES lines).  The
 * caller sets the conn's deadline for the whole reply.
 */
int reply_read(struct conn *, struct reply *);

/* --- secrets (secret.c) ------------------------------------------------ */

/*
 * Find a password: from pwfile (if set; refused if readable by group or
 * others, not a regular file or not ours), else ~/.netrc (or $NETRC) for
 * host and user, else the environment variable envvar.  envvar is wiped
 * (tb_env_scrub) whichever source gives the password.  A password that
 * holds a CR, LF or NUL is refused (a file's line end is not part of it).
 * Returns 0, or -1 with *why set.
 */
int tb_password(const char *pwfile, const char *host, const char *user,
    const char *envvar, char *out, size_t cap, const char **why);
/*
 * Overwrite the value of every environment entry NAME=... in place, then
 * unsetenv(name): /proc/PID/environ shows the original bytes otherwise.
 * For a command that may not need its secret variable, call it early.
 */
void tb_env_scrub(const char *name);
/*
 * netrc parser: find the entry for host (or default) in the text buf;
 * if user is non-NULL only an entry with that login matches.
 * Fills login/password (either may come back empty).  1 found, 0 not, -1 malformed.
 */
int netrc_find(const char *buf, size_t len, const char *host, const char *user,
    char *login, size_t lcap, char *pass, size_t pcap);

/* --- privileges (priv.c) ------------------------------------------------ */

/* give up a setuid/setgid identity for good; exit 2 if that fails */
void tb_drop_privs(void);

#endif
