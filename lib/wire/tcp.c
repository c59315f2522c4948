/* tcp.c - TCP header and options: build, parse, decode (wire code) */
#include <string.h>

#include "tcp.h"
#include "view.h"
#include "wire.h"

const char *
tcp_strerror(int err)
{
	switch (err) {
	case TCP_OK: return "ok";
	case TCP_ESHORT: return "TCP segment too short";
	case TCP_EOFF: return "bad TCP data offset";
	case TCP_EOPT: return "malformed TCP option";
	case TCP_ECKSUM: return "bad TCP checksum";
	}
	return "unknown error";
}

static int
parse_opts(struct tcp *t)
{
	const uint8_t *o = t->opt;
	size_t i = 0, n = t->optlen;

	while (i < n) {
		uint8_t kind = o[i];
		size_t len;

		if (kind == TCPOPT_EOL_)
			break;
		if (kind == TCPOPT_NOP_) {
			i++;
			continue;
		}
		if (i + 1 >= n)
			return TCP_EOPT;
		len = o[i + 1];
		if (len < 2 || len > n - i)
			return TCP_EOPT;
		switch (kind) {
		case TCPOPT_MSS_:
			if (len != 4)
				return TCP_EOPT;
			t->has_mss = 1;
			t->mss = get16(o + i + 2);
			break;
		case TCPOPT_WS_:
			if (len != 3)
				return TCP_EOPT;
			t->has_ws = 1;
			t->ws = o[i + 2];
			break;
		case TCPOPT_SACKOK_:
			if (len != 2)
				return TCP_EOPT;
			t->sack_ok = 1;
			break;
		case TCPOPT_SACK_:
			if ((len - 2) % 8)
				return TCP_EOPT;
			for (size_t k = 2; k < len && t->nsack < 4; k += 8, t->nsack++) {
				t->sack[t->nsack][0] = get32(o + i + k);
				t->sack[t->nsack][1] = get32(o + i + k + 4);
			}
			break;
		case TCPOPT_TS_:
			if (len != 10)
				return TCP_EOPT;
			t->has_ts = 1;
			t->ts_val = get32(o + i + 2);
			t->ts_ecr = get32(o + i + 6);
			break;
		}
		i += len;
	}
	return TCP_OK;
}

int
tcp_parse(const uint8_t *p, size_t n, const struct ip_pseudo *ps, struct tcp *t)
{
	uint16_t w;
	int r;

	memset(t, 0, sizeof *t);
	t->cksum_ok = -1;
	if (p == NULL || n < 20)
		return TCP_ESHORT;
	t->sport = get16(p);
	t->dport = get16(p + 2);
	t->seq = get32(p + 4);
	t->ack = get32(p + 8);
	w = get16(p + 12);
	t->doff = (uint8_t)((w >> 12) * 4);
	t->reserved = (w >> 9) & 7;
	t->flags = w & 0x1ff;
	t->window = get16(p + 14);
	t->cksum = get16(p + 16);
	t->urg = get16(p + 18);
	if (t->doff < 20 || t->doff > n)
		return TCP_EOFF;
	t->opt = t->doff > 20 ? p + 20 : NULL;
	t->optlen = t->doff - 20u;
	t->data = p + t->doff;
	t->datalen = n - t->doff;
	r = parse_opts(t);
	if (ps != NULL) {
		t->cksum_ok = cksum_fold(cksum_add(ip_pseudo_sum(ps, IPP_TCP, n), p, n)) == 0;
		if (r == TCP_OK && !t->cksum_ok)
			r = TCP_ECKSUM;
	}
	return r;
}

static void
build_opts(struct writer *w, const struct tcp *t)
{
	if (t->has_mss) {
		wr_u8(w, TCPOPT_MSS_);
		wr_u8(w, 4);
		wr_u16(w, t->mss);
	}
	if (t->has_ts) {
		if (t->sack_ok) {
			wr_u8(w, TCPOPT_SACKOK_);
			wr_u8(w, 2);
		} else {
			wr_u8(w, TCPOPT_NOP_);
			wr_u8(w, TCPOPT_NOP_);
		}
		wr_u8(w, TCPOPT_TS_);
		wr_u8(w, 10);
		wr_u32(w, t->ts_val);
		wr_u32(w, t->ts_ecr);
	} else if (t->sack_ok) {
		wr_u8(w, TCPOPT_NOP_);
		wr_u8(w, TCPOPT_NOP_);
		wr_u8(w, TCPOPT_SACKOK_);
		wr_u8(w, 2);
	}
	if (t->has_ws) {
		wr_u8(w, TCPOPT_NOP_);
		wr_u8(w, TCPOPT_WS_);
		wr_u8(w, 3);
		wr_u8(w, t->ws);
	}
}

int
tcp_build(struct writer *w, struct tcp *t, const struct ip_pseudo *ps)
{
	size_t start = w->len, optlen, len;
	uint8_t *hdr;

	if ((t->datalen && t->data == NULL) || (t->optlen && t->opt == NULL) || t->flags > 0x1ff)
		return -1;
	hdr = wr_reserve(w, 20);
	if (hdr == NULL)
		return -1;
	if (t->opt)
		wr_bytes(w, t->opt, t->optlen);
	else
		build_opts(w, t);
	while (!w->bad && (w->len - start) % 4)
		wr_u8(w, TCPOPT_EOL_);
	optlen = w->len - start - 20;
	if (w->bad || optlen > 40)
		return -1;
	t->doff = (uint8_t)(20 + optlen);
	put16(hdr, t->sport);
	put16(hdr + 2, t->dport);
	put32(hdr + 4, t->seq);
	put32(hdr + 8, t->ack);
	put16(hdr + 12, (uint16_t)((t->doff / 4) << 12 | (t->reserved & 7) << 9 | t->flags));
	put16(hdr + 14, t->window);
	put16(hdr + 16, 0);
	put16(hdr + 18, t->urg);
	wr_bytes(w, t->data, t->datalen);
	if (w->bad)
		return -1;
	len = w->len - start;
	t->cksum = 0;
	if (ps != NULL) {
		t->cksum = cksum_fold(cksum_add(ip_pseudo_sum(ps, IPP_TCP, len), w->buf + start, len));
		put16(w->buf + start + 16, t->cksum);
	}
	return 0;
}

char *
tcp_flags_str(uint16_t flags, char *buf, size_t n)
{
	static const char *const names[9] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE" };
	struct fmt f;
	int i;

	fmt_init(&f, buf, n);
	for (i = 0; i < 9; i++) {
		if (!(flags & 1u << i))
			continue;
		if (f.len)
			fmt_str(&f, ",");
		fmt_str(&f, names[i]);
	}
	return buf;
}

void
tcp_decode(struct layers *lv, const uint8_t *p, size_t n, const struct ip_pseudo *ps)
{
	struct tcp t;
	char f[64], v[160];
	unsigned i;
	int r = tcp_parse(p, n, ps, &t);

	if (r == TCP_ESHORT || r == TCP_EOFF) {
		lv_layer(lv, "TCP: %s (%zu bytes)", tcp_strerror(r), n);
		return;
	}
	lv_layer(lv, "TCP, %u bytes header", t.doff);
	lv_field(lv, "Source Port", "%u", t.sport);
	lv_field(lv, "Destination Port", "%u", t.dport);
	lv_field(lv, "Sequence Number", "%u", (unsigned)t.seq);
	lv_field(lv, "Acknowledgment Number", "%u", (unsigned)t.ack);
	lv_field(lv, "Data Offset", "%u (%u bytes)", t.doff / 4u, t.doff);
	lv_field(lv, "Reserved", "%u", t.reserved);
	lv_field(lv, "Flags", "0x%03x (%s)", t.flags, tcp_flags_str(t.flags, f, sizeof f));
	lv_field(lv, "Window", "%u", t.window);
	if (t.cksum_ok < 0) {
		lv_field(lv, "Checksum", "0x%04x [not verified]", t.cksum);
	} else {
		uint32_t pseudo = ip_pseudo_sum(ps, IPP_TCP, n);

		lv_field(lv, "Checksum", "%s", cksum_verdict(v, sizeof v, t.cksum,
		    cksum_add(pseudo, p, n), 1, pseudo));
	}
	lv_field(lv, "Urgent Pointer", "%u", t.urg);
	if (t.has_mss)
		lv_field(lv, "Option MSS", "%u", t.mss);
	if (t.sack_ok)
		lv_field(lv, "Option SACK-Permitted", "yes");
	for (i = 0; i < t.nsack; i++)
		lv_field(lv, "Option SACK", "%u-%u", (unsigned)t.sack[i][0], (unsigned)t.sack[i][1]);
	if (t.has_ts)
		lv_field(lv, "Option Timestamps", "TSval %u TSecr %u", (unsigned)t.ts_val, (unsigned)t.ts_ecr);
	if (t.has_ws)
		lv_field(lv, "Option Window Scale", "%u (x%lu)", t.ws, 1ul << (t.ws > 14 ? 14 : t.ws));
	if (r == TCP_EOPT)
		lv_field(lv, "Options", "malformed: parsing stopped");
	lv_field(lv, "Data", "%zu bytes", t.datalen);
}
