/*
 * fz_x509 - the certificate parser and signature checks on any bytes.
 * Oracles: a certificate that parses has every range it names inside
 * the input and in order (tbs before the signature, issuer before
 * subject), a version of 1 to 3, extensions only in v3, a pathlen of -1
 * or 0..255, a known key type with its size; parsing twice gives the
 * same result; its own signature checks without a crash (and a
 * signature changed in its last byte never verifies); its names print
 * NUL-terminated within the buffer; a host made of its last bytes
 * matches its SAN only without a "*" and with the entry named, and its
 * own name constraints over it give one of the three verdicts.  The input as a signature never
 * verifies under any scheme against a fixed P-256 key (fz_ed25519 and
 * fz_rsa cover the other keys' verifiers on any bytes).
 * Never a crash or a read out of bounds.
 */
#include <string.h>

#include "fuzz.h"
#include "tls/x509.h"
#include "tls/x509_impl.h"

/* a self-signed P-256 certificate (tests/unit/t_x509.c's pem_p256) */
static const char pems[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBfjCCASOgAwIBAgIUBu3B0il78wVlnLpCVSvGLpqB76swCgYIKoZIzj0EAwIw\n"
	"FDESMBAGA1UEAwwJcDI1Ni50ZXN0MB4XDTI2MTIwMzEzMTAwNloXDTM2MTEzMDEz\n"
	"MTAwNlowFDESMBAGA1UEAwwJcDI1Ni50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0D\n"
	"AQcDQgAErYMSMS03ZjJzdN8jFbbDE2AKZLFKLutOvKrNE5tpLJ+cLEK12xHXgjSH\n"
	"9VOvIuKhgwfYYUNvREMO2aw4fV2odaNTMFEwHQYDVR0OBBYEFNh8crRgtm1tSMW6\n"
	"sG4fRBFLowvpMB8GA1UdIwQYMBaAFNh8crRgtm1tSMW6sG4fRBFLowvpMA8GA1Ud\n"
	"EwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIhAO+yNuUx+4bUjeSqiEU0wgi1\n"
	"1qNZmU2Ad8o5Z533HGLEAiEAj6TOkhTNYth1PonkbC+UvflOh+FPaFR+XoA3SZDE\n"
	"ZSU=\n"
	"-----END CERTIFICATE-----\n";

static int
inside(const struct tb_der *r, const uint8_t *d, size_t n)
{
	return r->len == 0 || (r->p >= d && r->len <= n && r->p + r->len <= d + n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static struct tb_x509 x, y, fixed;
	static uint8_t fder[2048], sig[8192];
	static int loaded = -1;
	static const int schemes[] = { 0x0201, 0x0401, 0x0501, 0x0601, 0x0403, 0x0503,
	    0x0603, 0x0804, 0x0805, 0x0806, 0x0807, 0x0809 };
	const char *why;
	char s[300];
	size_t i, off = 0;

	if (loaded < 0) {
		long k = tb_pem_next(pems, sizeof pems - 1, &off, fder, sizeof fder);

		FUZZ_ASSERT(k > 0);
		FUZZ_ASSERT(tb_x509_parse(&fixed, fder, (size_t)k, &why) == 0);
		loaded = 1;
	}
	for (i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		FUZZ_ASSERT(tb_x509_verify_sig(&fixed, schemes[i], d, n, d, n) == -1 &&
		    tb_x509_verify_sig12(&fixed, schemes[i], d, n, d, n) == -1);
	if (tb_x509_parse(&x, d, n, &why) < 0) {
		FUZZ_ASSERT(why != NULL && why[0] != '\0');
		if (x.subject.len)
			x509_name_str(&x.subject, 0, s, sizeof s);
		return 0;
	}
	FUZZ_ASSERT(x.der.p == d && x.der.len == n);
	FUZZ_ASSERT(inside(&x.tbs, d, n) && inside(&x.serial, d, n) && inside(&x.issuer, d, n) &&
	    inside(&x.subject, d, n) && inside(&x.spki, d, n) && inside(&x.pubkey, d, n) &&
	    inside(&x.sigalg, d, n) && inside(&x.sig, d, n) && inside(&x.san, d, n) &&
	    inside(&x.ski, d, n) && inside(&x.aki, d, n) && inside(&x.nc, d, n));
	FUZZ_ASSERT(x.tbs.p < x.sigalg.p && x.sigalg.p < x.sig.p);
	FUZZ_ASSERT(x.issuer.p < x.subject.p && x.subject.p < x.spki.p);
	FUZZ_ASSERT(x.version >= 1 && x.version <= 3);
	FUZZ_ASSERT(x.version == 3 || (!x.has_ku && !x.has_eku && !x.ca && !x.san.len));
	FUZZ_ASSERT(x.pathlen >= -1 && x.pathlen <= 255);
	FUZZ_ASSERT(x.key >= TB_KEY_NONE && x.key <= TB_KEY_ED25519);
	FUZZ_ASSERT(x.key == TB_KEY_NONE || x.key_bits >= 256);
	FUZZ_ASSERT(tb_x509_parse(&y, d, n, &why) == 0 && memcmp(&x, &y, sizeof x) == 0);

	/* its own signature: checked without a crash; changed, never good */
	(void)x509_issued_by(&x, &x);
	if (x.sig.len > 0 && x.sig.len <= sizeof sig) {
		y = x;
		memcpy(sig, x.sig.p, x.sig.len);
		sig[x.sig.len - 1] ^= 0x01;
		y.sig.p = sig;
		FUZZ_ASSERT(x509_issued_by(&y, &x) == -1);
	}
	/* a host made of the input's last bytes against its SAN and its own name constraints */
	{
		static const char alpha[] = "ab.*1:x.";
		char host[48], m[128];
		size_t hl = n < 40 ? n : 40;
		int r;

		for (i = 0; i < hl; i++)
			host[i] = alpha[d[n - hl + i] & 7];
		host[hl] = '\0';
		r = x509_host_match(&x.san, host, m, sizeof m);
		FUZZ_ASSERT(r >= -1 && r <= 1);
		FUZZ_ASSERT(r != 1 || (m[0] != '\0' && strchr(host, '*') == NULL));
		r = x509_nc_check(&x.nc, &x, m, sizeof m);
		FUZZ_ASSERT(r >= -2 && r <= 0);
	}
	x509_name_str(&x.subject, 1, s, sizeof s);
	FUZZ_ASSERT(strlen(s) < sizeof s);
	x509_name_str(&x.issuer, 0, s, sizeof s);
	FUZZ_ASSERT(strlen(s) < sizeof s);
	x509_san_str(&x.san, s, sizeof s);
	FUZZ_ASSERT(strlen(s) < sizeof s);
	return 0;
}
