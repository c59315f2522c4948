/*
 * segview.h - the TCP segments of one connection as they pass, for -X:
 * a packet socket (AF_PACKET, needs CAP_NET_RAW) with a classic BPF
 * filter that lets through only this connection's ports, opened before
 * connect() so the handshake is seen, read between the application's
 * own messages so segments and messages come out in time order.  Each
 * segment is decoded by the wire decoders (Ethernet, IPv4/IPv6, TCP),
 * with sequence numbers also relative to each side's initial one; at
 * the end a summary answers "how many packets did it take?".
 *
 * conn_tcp opens one when the conn has a layer view (c->lv); without
 * the capability it says so once and conn_close prints the kernel's
 * TCP_INFO account instead.
 */
#ifndef TB_SEGVIEW_H
#define TB_SEGVIEW_H

#include <stdint.h>

#include "tubes.h"

struct segview {
	int fd;			/* the packet socket, or -1 */
	struct layers *lv;
	uint16_t lport, rport;	/* ours and the peer's */
	int64_t t0;		/* µs, the first segment */
	/* per direction: 0 sent, 1 received */
	int have_isn[2];
	uint32_t isn[2];	/* initial sequence numbers */
	uint32_t next[2];	/* the highest sequence number sent + 1 */
	uint8_t wscale[2];	/* window scale each side announced */
	int wscale_ok;		/* both sides sent one (RFC 7323 1.3) */
	uint64_t segs[2], bytes[2], retrans[2];
	uint32_t peak_win[2];	/* the largest window each side offered, scaled */
	uint64_t dropped;	/* segments the socket could not keep (tp_drops) */
	int fin[2];		/* a FIN seen each way */
	int done;		/* RST, or the last ACK of the FIN exchange */
};

/*
 * Start watching the connection from lport to rport (the socket is bound
 * but not yet connected).  0, or -1 with errno (EPERM without
 * CAP_NET_RAW); sv->fd is -1 then.
 */
int segview_open(struct segview *, struct layers *, uint16_t lport, uint16_t rport);
/* print every segment captured so far (never waits) */
void segview_drain(struct segview *);
/*
 * Print the last segments (the FIN exchange: waited for up to wait µs
 * after the socket is closed), then the summary, and close.
 */
void segview_close(struct segview *, int64_t wait);

#endif
