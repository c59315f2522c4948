/* udp.c - UDP: build, parse, decode (wire code) */
#include <string.h>

#include "view.h"
#include "udp.h"
#include "wire.h"

const char *
udp_strerror(int err)
{
	switch (err) {
	case UDP_OK: return "ok";
	case UDP_ESHORT: return "UDP datagram too short";
	case UDP_ELEN: return "bad UDP length";
	case UDP_ECKSUM: return "bad UDP checksum";
	}
	return "unknown error";
}

int
udp_parse(const uint8_t *p, size_t n, const struct ip_pseudo *ps, struct udp *u)
{
	memset(u, 0, sizeof *u);
	u->cksum_ok = -1;
	if (p == NULL || n < 8)
		return UDP_ESHORT;
	u->sport = get16(p);
	u->dport = get16(p + 2);
	u->len = get16(p + 4);
	u->cksum = get16(p + 6);
	if (u->len < 8 || u->len > n)
		return UDP_ELEN;
	u->data = p + 8;
	u->datalen = u->len - 8u;
	if (ps == NULL || (u->cksum == 0 && ps->version == 4))
		return UDP_OK;
	u->cksum_ok = cksum_fold(cksum_add(ip_pseudo_sum(ps, IPP_UDP, u->len), p, u->len)) == 0;
	return u->cksum_ok ? UDP_OK : UDP_ECKSUM;
}

int
udp_build(struct writer *w, struct udp *u, const struct ip_pseudo *ps)
{
	size_t start = w->len, len = 8 + u->datalen;

	if (len > 65535 || (u->datalen && u->data == NULL))
		return -1;
	u->len = (uint16_t)len;
	wr_u16(w, u->sport);
	wr_u16(w, u->dport);
	wr_u16(w, u->len);
	wr_u16(w, 0);
	wr_bytes(w, u->data, u->datalen);
	if (w->bad)
		return -1;
	u->cksum = 0;
	if (ps != NULL) {
		u->cksum = cksum_fold(cksum_add(ip_pseudo_sum(ps, IPP_UDP, len), w->buf + start, len));
		if (u->cksum == 0)
			u->cksum = 0xffff;
		put16(w->buf + start + 6, u->cksum);
	}
	return 0;
}

void
udp_decode(struct layers *lv, const uint8_t *p, size_t n, const struct ip_pseudo *ps)
{
	struct udp u;
	int r = udp_parse(p, n, ps, &u);

	if (r == UDP_ESHORT) {
		lv_layer(lv, "UDP: %s (%zu bytes)", udp_strerror(r), n);
		return;
	}
	lv_layer(lv, "UDP, 8 bytes header");
	lv_field(lv, "Source Port", "%u", u.sport);
	lv_field(lv, "Destination Port", "%u", u.dport);
	lv_field(lv, "Length", "%u%s", u.len, r == UDP_ELEN ? " [bad]" : "");
	if (u.cksum_ok < 0) {
		lv_field(lv, "Checksum", "0x%04x [not verified]", u.cksum);
	} else {
		uint32_t pseudo = ip_pseudo_sum(ps, IPP_UDP, u.len);
		char v[160];

		lv_field(lv, "Checksum", "%s", cksum_verdict(v, sizeof v, u.cksum,
		    cksum_add(pseudo, p, u.len), 1, pseudo));
	}
	if (r != UDP_ELEN)
		lv_field(lv, "Data", "%zu bytes", u.datalen);
}
