/* eth.c - Ethernet II header: build, parse, decode; MAC addresses as text */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "eth.h"
#include "view.h"	/* the layer view (lv_*) only */
#include "wire.h"

const uint8_t mac_broadcast[MAC_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

void
eth_build(struct writer *w, const uint8_t dst[MAC_LEN], const uint8_t src[MAC_LEN], uint16_t type)
{
	wr_bytes(w, dst, MAC_LEN);
	wr_bytes(w, src, MAC_LEN);
	wr_u16(w, type);
}

int
eth_parse(struct cursor *c, struct eth_hdr *h)
{
	size_t start = c->off;

	memset(h, 0, sizeof *h);
	h->vlan = -1;
	cur_copy(c, h->dst, MAC_LEN);
	cur_copy(c, h->src, MAC_LEN);
	h->type = cur_u16(c);
	if (h->type == ETYPE_VLAN) {
		h->vlan = cur_u16(c);
		h->type = cur_u16(c);
	}
	if (c->bad)
		return ETH_ESHORT;
	h->hlen = c->off - start;
	if (h->type < ETYPE_MIN)
		return ETH_ELENGTH;
	return ETH_OK;
}

const char *
eth_strerror(int e)
{
	switch (e) {
	case ETH_OK: return "no error";
	case ETH_ESHORT: return "frame shorter than the Ethernet header";
	case ETH_ELENGTH: return "IEEE 802.3 length field, not an Ethernet II type";
	}
	return "unknown Ethernet error";
}

const char *
eth_type_name(uint16_t t)
{
	switch (t) {
	case ETYPE_IPV4: return "IPv4";
	case ETYPE_ARP: return "ARP";
	case ETYPE_VLAN: return "802.1Q";
	case ETYPE_IPV6: return "IPv6";
	}
	return NULL;
}

static const char *
mac_note(const uint8_t m[MAC_LEN])
{
	if (mac_is_broadcast(m))
		return " (broadcast)";
	if (mac_is_multicast(m))
		return " (multicast)";
	return "";
}

size_t
eth_decode(struct layers *lv, const uint8_t *p, size_t n)
{
	struct cursor c;
	struct eth_hdr h;
	char a[18];
	const char *name;
	int e;

	cur_init(&c, p, n);
	e = eth_parse(&c, &h);
	if (e == ETH_ESHORT) {
		lv_layer(lv, "Ethernet II, %zu bytes: %s", n, eth_strerror(e));
		return 0;
	}
	lv_layer(lv, "Ethernet II, %zu bytes", h.hlen);
	lv_field(lv, "Destination", "%s%s", mac_str(h.dst, a, sizeof a), mac_note(h.dst));
	lv_field(lv, "Source", "%s%s", mac_str(h.src, a, sizeof a), mac_note(h.src));
	if (h.vlan >= 0) {
		lv_field(lv, "TPID", "0x%04x (802.1Q)", ETYPE_VLAN);
		lv_field(lv, "TCI", "0x%04x (PCP %d, DEI %d, VID %d)", (unsigned)h.vlan,
		    h.vlan >> 13, (h.vlan >> 12) & 1, h.vlan & 0xfff);
	}
	name = eth_type_name(h.type);
	if (e == ETH_ELENGTH)
		lv_field(lv, "Length", "%u (IEEE 802.3, not Ethernet II)", h.type);
	else
		lv_field(lv, "Type", "0x%04x%s%s%s", h.type, name ? " (" : "", name ? name : "",
		    name ? ")" : "");
	return h.hlen;
}

char *
mac_str(const uint8_t m[MAC_LEN], char *buf, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, k = 0;

	if (n < 3 * MAC_LEN) {
		if (n)
			buf[0] = '\0';
		return buf;
	}
	for (i = 0; i < MAC_LEN; i++) {
		buf[k++] = hex[m[i] >> 4];
		buf[k++] = hex[m[i] & 15];
		buf[k++] = i + 1 < MAC_LEN ? ':' : '\0';
	}
	return buf;
}

int
mac_parse(const char *s, uint8_t m[MAC_LEN])
{
	uint8_t out[MAC_LEN];
	char sep = 0;
	int i;

	for (i = 0; i < MAC_LEN; i++) {
		int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (i + 1 < MAC_LEN) {
			if (*s != ':' && *s != '-')
				return -1;
			if (sep && *s != sep)
				return -1;
			sep = *s++;
		}
	}
	if (*s != '\0')
		return -1;
	memcpy(m, out, MAC_LEN);
	return 0;
}

int
mac_is_zero(const uint8_t m[MAC_LEN])
{
	static const uint8_t z[MAC_LEN];

	return memcmp(m, z, MAC_LEN) == 0;
}

int
mac_is_broadcast(const uint8_t m[MAC_LEN])
{
	return memcmp(m, mac_broadcast, MAC_LEN) == 0;
}

int
mac_is_multicast(const uint8_t m[MAC_LEN])
{
	return (m[0] & 1) != 0;
}
