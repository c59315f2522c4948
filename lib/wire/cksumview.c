/*
 * cksumview.c - a checksum's verdict as -X shows it: correct, or the
 * value the field should hold and, when the field holds the bare
 * pseudo-header sum, that an offload left it unfilled (wire code)
 */
#include "wire.h"

/*
 * One's complement: removing the field from the sum is adding its
 * complement, so the sum with the field zeroed folds to what it should be.
 */
uint16_t
cksum_want(uint32_t sum, uint16_t field)
{
	return cksum_fold(sum + (uint16_t)~field);
}

char *
cksum_verdict(char *buf, size_t n, uint16_t field, uint32_t sum, int have_pseudo, uint32_t pseudo)
{
	uint16_t want = cksum_want(sum, field), partial = (uint16_t)~cksum_fold(pseudo);
	struct fmt f;

	fmt_init(&f, buf, n);
	fmt_str(&f, "0x");
	fmt_uint(&f, field, 16, 4);
	if (cksum_fold(sum) == 0) {
		fmt_str(&f, " [correct]");
		return buf;
	}
	fmt_str(&f, " [incorrect, computed 0x");
	fmt_uint(&f, want, 16, 4);
	/*
	 * CHECKSUM_PARTIAL: the stack stored the pseudo-header sum for the
	 * NIC to finish; lo and veth hand the packet on as it is, so a raw
	 * socket sees it unfinished
	 */
	if (have_pseudo && field == partial)
		fmt_str(&f, ": offloaded (veth/lo: not yet filled, the field holds the pseudo-header sum)");
	fmt_str(&f, "]");
	return buf;
}
