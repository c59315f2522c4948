/*
 * dnsnet.h - the system side of DNS: resolv.conf, and the query engine
 * shared by the stub resolver and dig-lite (UDP on a connected socket
 * with a kernel-chosen port -- a query's own, or shared in a batch's mux
 * -- random ID, reply accepted only if source, ID and question match,
 * TC -> TCP, FORMERR to EDNS -> once without).
 */
#ifndef TUBES_DNSNET_H
#define TUBES_DNSNET_H

#include <stdint.h>
#include <sys/types.h>

#include "dns.h"
#include "tubes.h"

#define DNS_MAXNS	8
#define DNS_MAXSEARCH	6
#define DNS_QMAX	512	/* a query: header, one question, OPT */

struct dns_server {
	struct tb_addr addr;
	uint16_t port;
};

struct dns_conf {
	struct dns_server ns[DNS_MAXNS];
	int nns;
	char search[DNS_MAXSEARCH][256];
	int nsearch;
	int ndots;		/* default 1 */
	int64_t timeout;	/* µs per try, default 5 s */
	int attempts;		/* default 2 */
	int rotate;
};

void dns_conf_default(struct dns_conf *);
/* parse resolv.conf text into c (on top of what is there); pure */
void dns_conf_parse(struct dns_conf *, const char *text);
/* TUBES_RESOLV_CONF or /etc/resolv.conf; no nameserver -> 127.0.0.1; 0 */
int dns_conf_load(struct dns_conf *);

/* what happened to a query */
enum dnsq_state { DNSQ_IDLE, DNSQ_WAIT, DNSQ_DONE };

struct dns_q;
struct dns_mux;
/* -X hook: dir 0 sent, 1 received */
typedef void dnsq_show_fn(void *arg, int dir, const struct dns_q *, const uint8_t *, size_t);

struct dns_q {
	/* set by the caller */
	const struct dns_server *srv;	/* servers tried in turn */
	int nsrv;
	int first;		/* index of the first server to try (rotate) */
	uint8_t query[DNS_QMAX];
	size_t qlen;
	int64_t timeout;	/* µs per try */
	int tries;		/* rounds over the servers */
	int tcp;		/* TCP only */
	int notc;		/* do not retry a truncated answer over TCP */
	uint8_t *reply;		/* DNS_MAXMSG bytes, the caller's; or see rcap */
	size_t rcap;		/* 0, or reply is from tb_malloc, rcap bytes, and the
				   engine tb_reallocs it to DNS_MAXMSG for a longer reply */
	dnsq_show_fn *show;
	void *show_arg;
	struct dns_mux *mux;	/* UDP over the mux's shared sockets; NULL: a socket of its own */
	/* results */
	enum dnsq_state state;
	int err;		/* 0, or an errno: ETIMEDOUT, ECONNREFUSED, EBADMSG ... */
	const char *why;	/* text for err */
	size_t rlen;
	int used_tcp;
	int noedns;		/* the answer came after a retry without EDNS */
	int64_t rtt;		/* µs, send to accepted reply */
	const struct dns_server *from;
	unsigned ignored;	/* datagrams dropped as not ours */
	/* internal */
	int fd, attempt, srvi;
	int64_t sent, until;
	int sock, mi;		/* mux: socket index, place in the mux's list; -1 none */
};

/*
 * The mux: many queries in flight over a few shared, connected UDP
 * sockets (one per server in use), for a batch.  Each socket's port is
 * the kernel's choice, and a socket is retired for a fresh one (a fresh
 * port) after `reuse` queries.  IDs are unique among the queries waiting
 * on one socket; a datagram goes to the query with its ID only if it
 * came from that socket's server and echoes that query's question --
 * otherwise it is dropped (DNS-12..16).  TCP (TC, +tcp) is per query,
 * as without a mux.
 */
#define DNS_MUX_SOCKS	(2 * DNS_MAXNS)
#define DNS_MUX_MAX	256	/* queries waiting at once */
#define DNS_MUX_REUSE	512	/* queries on one socket before a fresh port */
#define DNS_MUX_VLEN	8	/* datagrams per recvmmsg */

struct dns_mux {
	struct dns_msock {
		int fd;
		struct dns_server srv;
		unsigned sent, live;
		int retired;
		int err;	/* a send saw this (ECONNREFUSED): for all waiting */
	} s[DNS_MUX_SOCKS];
	struct dns_q *fl[DNS_MUX_MAX];	/* waiting on a socket */
	int nfl;
	unsigned reuse;		/* 0: DNS_MUX_REUSE */
	unsigned long ignored;	/* datagrams no waiting query took */
	unsigned long opened;	/* sockets opened so far */
	int wake_fd;		/* >= 0: dns_mux_run also returns once this is readable */
	/* set by dns_mux_init: called through these, the mux code is linked
	 * only into programs that use a mux (not every stub resolver) */
	int (*send)(struct dns_q *);
	void (*release)(struct dns_q *);
	uint8_t buf[DNS_MUX_VLEN][DNS_MAXMSG];	/* 1 MiB: static or heap, never the stack */
};

/*
 * Build q->query from a struct dns_query with a fresh random ID.
 * Returns 0, or -1 (name too long for the buffer, no randomness).
 */
int dnsq_prepare(struct dns_q *, struct dns_query *);
/* start: send to the first server */
void dnsq_start(struct dns_q *);
/*
 * (dnsq_run, dnsq_fd, dnsq_deadline, dnsq_step: queries without a mux;
 * a query on a mux is driven by dns_mux_run.  Prepare a query again
 * only once it is DNSQ_DONE.)
 * Run queries until each is DNSQ_DONE (poll over all of them); a
 * volatile stop flag may end the wait early (SIGINT); NULL for none.
 * Queries in state DNSQ_IDLE are started first.
 */
void dnsq_run(struct dns_q **, int n, volatile int *stop);
/* the poll side for callers that run their own loop */
int dnsq_fd(const struct dns_q *);
int64_t dnsq_deadline(const struct dns_q *);
void dnsq_step(struct dns_q *, int readable);
void dnsq_close(struct dns_q *);

/* does reply r (n bytes) answer q: ID, QR set, the question echoed */
int dnsq_matches(const struct dns_q *, const uint8_t *r, size_t n);
/*
 * DNS over TCP (RFC 7766 §8): read one message -- its 2-byte length, then
 * exactly that many bytes -- from fd into buf (DNS_MAXMSG bytes) before
 * until.  Returns the length, or -1 with errno: EBADMSG the length is
 * below a header, EPIPE the stream ended part-way, ETIMEDOUT.
 */
ssize_t dns_tcp_read(int fd, uint8_t *buf, int64_t until);
/* an empty mux (no sockets yet, reuse 0: set it after) */
void dns_mux_init(struct dns_mux *);
/*
 * One round: take every datagram already there; if there was none, wait
 * (poll) for one until the earliest deadline of the waiting queries, or
 * `until` if earlier (-1: none), and take what came; then move timed-out
 * queries on to their next try.  Returns at once when nothing waits.
 */
void dns_mux_run(struct dns_mux *, int64_t until);
/* close every socket; queries still waiting end with EINTR */
void dns_mux_close(struct dns_mux *);

/* one query, one server list: prepare, start, run; 0 done (see q->err) or -1 */
int dnsq_once(struct dns_q *, struct dns_query *);
/* the rcode of a finished query's reply, or -1 if it failed or does not parse */
int dnsq_rcode(const struct dns_q *);

/*
 * -X for the resolver: a command that shows its packets (httpget -X,
 * smtpsend -X ...) calls this with its layer view, and every DNS query and
 * reply of tb_resolve / tb_resolve_mx / tb_resolve_ptr is printed there,
 * decoded.  NULL turns it off.
 */
void dns_resolver_layers(struct layers *);

/* -X decoder (dnsview.c) */
void dns_layers(struct layers *, const uint8_t *, size_t);

/*
 * RDATA split into fields under each record of dns_layers: a command
 * that shows records of many types registers dns_rdata_layers (lib/wire
 * dnsfields.c: SOA, MX, SRV, CAA ...) here; one whose lookups are A,
 * AAAA and PTR only does not, and keeps those 4 KiB out of its static
 * binary (httpget).  NULL: RDATA on its one line.
 */
typedef int dns_fields_fn(struct layers *, const uint8_t *msg, size_t len,
    const struct dns_rr *, char *buf, size_t cap);
void dns_layers_fields(dns_fields_fn *);

/*
 * -X (dnstransport.c): what carries q's message of n bytes (dir 0 sent,
 * 1 received), shown before dns_layers: over UDP the addresses and the
 * UDP header -- the source port the kernel chose (getsockname), the
 * length, the checksum labelled as the kernel's -- over TCP or TLS the
 * 2-byte length prefix; nothing over HTTPS.
 */
enum dns_carrier { DNS_BY_UDP, DNS_BY_TCP, DNS_BY_TLS, DNS_BY_HTTPS };
void dns_transport_layers(struct layers *, const struct dns_q *, int dir, size_t n,
    enum dns_carrier);

/*
 * -j (dnsjson.c): a section as an array named key, each record with its
 * name, ttl, class, type, presentation rdata and its fields under "data";
 * OPT left out.  buf is scratch for presentation text (dig-lite passes
 * 256 KiB: a record's hex or base64 of 64 KiB of rdata fits).
 */
void dns_json_section(struct json *, const struct dns_msg *, int sec, const char *key,
    char *buf, size_t cap);
void dns_json_rdata(struct json *, const struct dns_msg *, const struct dns_rr *,
    char *buf, size_t cap);
/* id, opcode, status, rcode, flags, edns (or null) and the question */
void dns_json_head(struct json *, const struct dns_msg *);

#endif
