/*
 * errqview.c - the -X view of an IP_RECVERR error queue entry
 * (ping-lite, trace): the kernel's account, not the wire's
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <linux/errqueue.h>

#include "errqview.h"
#include "icmp.h"
#include "icmpquote.h"
#include "tubes.h"
#include "view.h"

static const char *
origin_name(unsigned o)
{
	switch (o) {
	case SO_EE_ORIGIN_NONE: return "none";
	case SO_EE_ORIGIN_LOCAL: return "local: this host, nothing was sent";
	case SO_EE_ORIGIN_ICMP: return "ICMP";
	case SO_EE_ORIGIN_ICMP6: return "ICMPv6";
	}
	return "other";
}

/* what ee_info carries for this error */
static const char *
info_name(const struct sock_extended_err *ee, int v, int icmp)
{
	if (ee->ee_errno == EMSGSIZE)
		return " (MTU)";
	if (!icmp)
		return "";
	if ((v == 6 && ee->ee_type == IC6_PACKET_TOO_BIG) ||
	    (v == 4 && ee->ee_type == IC4_UNREACH && ee->ee_code == IC4_FRAG_NEEDED))
		return " (MTU)";
	if ((v == 6 && ee->ee_type == IC6_PARAM_PROBLEM) || (v == 4 && ee->ee_type == IC4_PARAM_PROBLEM))
		return " (pointer)";
	return "";
}

void
errq_view(struct layers *lv, const struct sock_extended_err *ee, const struct tb_addr *off,
    int version)
{
	int icmp = ee->ee_origin == SO_EE_ORIGIN_ICMP || ee->ee_origin == SO_EE_ORIGIN_ICMP6;
	int v = ee->ee_origin == SO_EE_ORIGIN_ICMP6 ? 6 : ee->ee_origin == SO_EE_ORIGIN_ICMP ? 4 :
	    version;
	char a[TB_ADDRSTRLEN];
	const char *cn = icmp ? icmp_code_name(v, ee->ee_type, ee->ee_code) : NULL;

	lv_layer(lv, "sock_extended_err (from the kernel's error queue, not the wire: "
	    "the ICMP message itself is not handed to us)");
	lv_field(lv, "Origin", "%u (%s)", ee->ee_origin, origin_name(ee->ee_origin));
	if (icmp) {
		lv_field(lv, "Type", "%u (%s)", ee->ee_type, icmp_type_name(v, ee->ee_type));
		lv_field(lv, "Code", "%u%s%s%s", ee->ee_code, cn ? " (" : "", cn ? cn : "",
		    cn ? ")" : "");
	} else {
		lv_field(lv, "Type", "%u", ee->ee_type);
		lv_field(lv, "Code", "%u", ee->ee_code);
	}
	lv_field(lv, "Info", "%u%s", (unsigned)ee->ee_info, info_name(ee, v, icmp));
	lv_field(lv, "Errno", "%u (%s)", (unsigned)ee->ee_errno, strerror((int)ee->ee_errno));
	lv_field(lv, "Offender", "%s", off->family ? tb_addr_str(off, a, sizeof a) :
	    "(none given)");
}

void
errq_view_quoted(struct layers *lv, int version, int icmp, const uint8_t *p, size_t n, size_t full)
{
	if (icmp) {
		lv_layer(lv, "our datagram as the kernel hands it back (%zu bytes as quoted, "
		    "no IP header):", n);
		icmpquote_l4(lv, version, version == 6 ? IPP_ICMPV6 : IPP_ICMP, p, n, full, NULL);
	} else {
		lv_layer(lv, "our datagram as the kernel hands it back: UDP data, %zu bytes "
		    "(no IP or UDP header)", n);
	}
	lv_hex(lv, p, n);
}
