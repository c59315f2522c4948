/*
 * arpeng.h - arpq's engine: the targets made from the inputs as a window
 * has room for them (routed, resolved, asked, printed in input order),
 * the request scheduler over an AF_PACKET socket, the arping-style loop
 * for one host, and the fallback that asks the kernel without
 * CAP_NET_RAW.  The command keeps its options, the order of work and
 * the output: the engine hands it every target that is final, in input
 * order, through a callback.
 */
#ifndef TUBES_ARPENG_H
#define TUBES_ARPENG_H

#include <signal.h>
#include <stdint.h>

#include "arp.h"
#include "route.h"
#include "targets.h"
#include "tubes.h"

#define ARPENG_MAX_IFACES 16
#define ARPENG_MIN_PREFIX 16	/* a scan covers at most a /16 */
#define ARPENG_WIN 2048		/* targets held at once, a power of two: any input in constant memory */
#define ARPENG_HMASK (2u * ARPENG_WIN - 1)
#define ARPENG_FIFO (4 * ARPENG_WIN)
#define ARPENG_WAIT_FLOOR 100000	/* µs: the shortest adaptive wait */

enum arpt_state { ARPT_NEW, ARPT_PENDING, ARPT_ANSWERED, ARPT_FINAL };
enum arpt_how { ARPH_ARP, ARPH_KERNEL, ARPH_CACHED, ARPH_LOCAL };

struct arp_target {
	const char *input;	/* the argument or line it came from */
	char *owned;		/* a stdin line this target frees when printed */
	long seq;		/* its place in the input: targets are numbered as made */
	long group;		/* seq of the first target of a range, or -1 */
	int last_of_group;
	int hashed;
	enum arpt_state st;
	int code;		/* exit code it contributes */
	const char *why;	/* for a miss or error (static text) */
	uint8_t ip[4];		/* the target */
	uint8_t ask[4];		/* whom we ARP for: the target or its next hop */
	int via;		/* ask is a gateway */
	int ifx;		/* index into ifaces[] */
	int sent;
	int64_t t_sent;		/* last request */
	int64_t t_first;	/* first request */
	int64_t rtt;
	int64_t final_at;
	enum arpt_how how;
	struct arp_macs macs;
	int64_t dup_rtt[ARP_MAX_MACS];
	int next_hash;		/* chain in the hash by ask */
};

struct arpeng_opts {
	const char *ifname;
	long long count;
	int64_t deadline, wait, interval;	/* µs; deadline -1: none */
	int have_src;
	uint8_t src[4];
	int dad, unsol, first, quiet, numeric, cached, json, layers;
	int count_set, interval_set, bcast;
};

struct arpeng {
	struct arpeng_opts opt;		/* set by the caller */
	int packet_fd;			/* the AF_PACKET socket, or -1: ask the kernel */
	struct layers lv;		/* -X */
	/* every target final, in input order (the engine then frees its slot) */
	void (*result)(struct arpeng *, const struct arp_target *);
	/* arping's mode: a reply, unicast or not, rtt µs since the last request */
	void (*reply)(struct arpeng *, const struct arp_target *, const struct arp_pkt *,
	    int unicast, int64_t rtt);
	volatile sig_atomic_t stop;	/* 1 a signal, 2 -f has its answer */
	int single;		/* one address or name on the command line: its errors are fatal */
	struct tb_targets src;	/* the inputs (src.arg, src.narg set by the caller) */

	struct iface ifaces[ARPENG_MAX_IFACES];
	int nifaces;
	/*
	 * The targets, made from the inputs as they are needed: a ring of
	 * WIN, target seq in slot seq % WIN.  [next_out, nin) are held:
	 * made, not yet printed; [next_new, nin) not yet asked.
	 */
	struct arp_target tg[ARPENG_WIN];
	long nin, next_new, next_out;
	int hash[2 * ARPENG_WIN];	/* slots by (interface, address asked), chained */
	long group;
	int inputs_over, starved;
	long fifo[ARPENG_FIFO];
	long fhead, ftail;	/* entries fifo[fhead % FIFO .. ftail % FIFO) */
	long nsent, nrecv;
	long ap_sent, ap_bcast, ap_recv;	/* arping's mode */
	int64_t rtt_max;	/* the slowest answer so far, or -1 */
};

#define ARPENG_TG(e, seq) (&(e)->tg[(seq) & (ARPENG_WIN - 1)])

/* an engine with nothing held, no socket and opt's defaults unset */
void arpeng_init(struct arpeng *);

/* the interface by name, checked to be one ARP can ask on: its index, or -1 and *why */
int arpeng_iface(struct arpeng *, const char *name, const char **why);

/*
 * The raw run: targets are made as the window has room, one frame goes
 * out per interval, retries fall due -W (adaptive) after their previous
 * request; until the inputs are over and printed, the deadline, or a
 * signal.  arpeng_kernel is the same without CAP_NET_RAW: a datagram
 * to the discard port, then /proc/net/arp.
 */
void arpeng_raw(struct arpeng *);
void arpeng_kernel(struct arpeng *);

/*
 * arping's mode: the one target if it is a host to ask, else NULL (an
 * error, our own address: the caller then runs as always).
 * arpeng_arping then asks it every interval, -c times or until -w, -f
 * or a signal, each reply through e->reply.
 */
struct arp_target *arpeng_arping_target(struct arpeng *);
void arpeng_arping(struct arpeng *, struct arp_target *);

/* an IPv4 literal (tb_addr_parse): 0, or -1 */
int arpeng_parse_ip4(const char *, uint8_t ip[4]);

/* hand every final target at the head of the window to e->result */
void arpeng_flush(struct arpeng *);

/* --- the parts of the scheduler, for tests ------------------------------ */

int64_t arpeng_req_wait(const struct arpeng *);
int arpeng_max_sent(const struct arpeng *, const struct arp_target *);
struct arp_target *arpeng_add(struct arpeng *, const char *input);
void arpeng_hash_add(struct arpeng *, struct arp_target *);
void arpeng_fifo_push(struct arpeng *, long seq);
long arpeng_fifo_first(struct arpeng *);
void arpeng_finish(struct arpeng *, struct arp_target *);
/* a frame received on interface index ifx at now: the targets it answers */
void arpeng_input(struct arpeng *, const uint8_t *frame, size_t n, int ifx, int64_t now);

#endif
