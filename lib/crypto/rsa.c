/*
 * crypto/rsa.c - RSA PKCS#1 v1.5 and PSS signature verification and the
 * RSAPublicKey parser (see rsa.h).  Public data only: no constant time.
 */
#include <string.h>

#include "crypto/rsa.h"

/*
 * DER of DigestInfo up to the digest, RFC 8017 section 9.2 note 1:
 * SEQUENCE { SEQUENCE { OID, NULL }, OCTET STRING (len) }.
 */
static const uint8_t di_sha1[] = {
	0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a,
	0x05, 0x00, 0x04, 0x14
};
static const uint8_t di_sha256[] = {
	0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
	0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20
};
static const uint8_t di_sha384[] = {
	0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
	0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30
};
static const uint8_t di_sha512[] = {
	0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
	0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40
};

/* the DigestInfo prefix of h, chosen by name so that no hash is linked in */
static const uint8_t *
digestinfo(const struct tb_hash *h, size_t *len)
{
	static const struct {
		const char *name;
		size_t hlen;
		const uint8_t *di;
		size_t len;
	} tab[] = {
		{ "sha1", TB_SHA1_LEN, di_sha1, sizeof di_sha1 },
		{ "sha256", TB_SHA256_LEN, di_sha256, sizeof di_sha256 },
		{ "sha384", TB_SHA384_LEN, di_sha384, sizeof di_sha384 },
		{ "sha512", TB_SHA512_LEN, di_sha512, sizeof di_sha512 },
	};
	size_t i;

	for (i = 0; i < sizeof tab / sizeof tab[0]; i++)
		if (strcmp(h->name, tab[i].name) == 0 && h->len == tab[i].hlen) {
			*len = tab[i].len;
			return tab[i].di;
		}
	return NULL;
}

int
tb_rsa_pub_set(struct tb_rsa_pub *pub, const uint8_t *n, size_t nlen,
    const uint8_t *e, size_t elen, unsigned minbits)
{
	uint64_t nb[TB_BN_LIMBS];
	uint32_t ev = 0;
	size_t i, bits;

	if (minbits == 0)
		minbits = TB_RSA_MIN_BITS;
	if (minbits < TB_RSA_FLOOR_BITS)
		minbits = TB_RSA_FLOOR_BITS;
	while (elen > 0 && *e == 0)
		e++, elen--;
	if (elen > 4)
		return -1;
	for (i = 0; i < elen; i++)
		ev = ev << 8 | e[i];
	if (ev < 3 || (ev & 1) == 0)
		return -1;
	if (tb_bn_from_bytes(nb, TB_BN_LIMBS, n, nlen) < 0)
		return -1;
	bits = tb_bn_bits(nb, TB_BN_LIMBS);
	if (bits < minbits || bits > TB_RSA_MAX_BITS)
		return -1;
	if (tb_mont_init(&pub->m, nb, (bits + 63) / 64) < 0)	/* n even */
		return -1;
	pub->bits = bits;
	pub->len = (bits + 7) / 8;
	pub->e = ev;
	return 0;
}

/*
 * One DER tag and definite length, minimal: the short form below 128, the
 * long form with no leading zero byte.  Two length bytes at most: an
 * RSAPublicKey of 8192 bits is about 1040 bytes.  Advances *p past the
 * header and sets *len to a content length that fits before end.
 */
static int
der_hdr(const uint8_t **p, const uint8_t *end, uint8_t tag, size_t *len)
{
	const uint8_t *q = *p;
	size_t n, nb, i;

	if (end - q < 2 || q[0] != tag)
		return -1;
	n = q[1];
	q += 2;
	if (n & 0x80) {
		nb = n & 0x7f;
		if (nb == 0 || nb > 2 || (size_t)(end - q) < nb || q[0] == 0)
			return -1;
		for (n = 0, i = 0; i < nb; i++)
			n = n << 8 | q[i];
		q += nb;
		if (n < 0x80)
			return -1;
	}
	if ((size_t)(end - q) < n)
		return -1;
	*p = q;
	*len = n;
	return 0;
}

/* a non-negative INTEGER, minimal; *v, *vlen its magnitude without the sign byte */
static int
der_uint(const uint8_t **p, const uint8_t *end, const uint8_t **v, size_t *vlen)
{
	const uint8_t *q;
	size_t n;

	if (der_hdr(p, end, 0x02, &n) < 0 || n == 0)
		return -1;
	q = *p;
	*p += n;
	if (q[0] & 0x80)
		return -1;			/* negative */
	if (q[0] == 0 && n > 1 && !(q[1] & 0x80))
		return -1;			/* a needless zero byte */
	if (q[0] == 0)
		q++, n--;
	*v = q;
	*vlen = n;
	return 0;
}

int
tb_rsa_pubkey_parse(struct tb_rsa_pub *pub, const uint8_t *der, size_t len,
    unsigned minbits)
{
	const uint8_t *p = der, *end = der + len, *n, *e;
	size_t seq, nlen, elen;

	if (der_hdr(&p, end, 0x30, &seq) < 0 || p + seq != end)
		return -1;
	if (der_uint(&p, end, &n, &nlen) < 0 || der_uint(&p, end, &e, &elen) < 0)
		return -1;
	if (p != end)
		return -1;
	return tb_rsa_pub_set(pub, n, nlen, e, elen, minbits);
}

/* RSAVP1 with OS2IP and I2OSP: em = sig^e mod n as pub->len bytes */
static int
rsa_public(const struct tb_rsa_pub *pub, const uint8_t *sig, size_t siglen,
    uint8_t *em)
{
	uint64_t s[TB_BN_LIMBS];
	size_t nl = pub->m.nl;

	if (siglen != pub->len || tb_bn_from_bytes(s, nl, sig, siglen) < 0)
		return -1;
	if (tb_bn_cmp(s, pub->m.n, nl) >= 0)
		return -1;
	tb_mont_exp(&pub->m, s, s, pub->e);
	return tb_bn_to_bytes(em, pub->len, s, nl);
}

int
tb_rsa_verify_pkcs1(const struct tb_rsa_pub *pub, const struct tb_hash *h,
    const uint8_t *digest, const uint8_t *sig, size_t siglen)
{
	uint8_t em[TB_RSA_MAX_BYTES], want[TB_RSA_MAX_BYTES];
	const uint8_t *di;
	size_t dilen, k = pub->len, tlen;

	if ((di = digestinfo(h, &dilen)) == NULL)
		return -1;
	tlen = dilen + h->len;
	if (k < tlen + 11)
		return -1;
	/* EMSA-PKCS1-v1_5: 00 01 FF.. (at least 8) 00 DigestInfo */
	want[0] = 0x00;
	want[1] = 0x01;
	memset(want + 2, 0xff, k - tlen - 3);
	want[k - tlen - 1] = 0x00;
	memcpy(want + k - tlen, di, dilen);
	memcpy(want + k - h->len, digest, h->len);
	if (rsa_public(pub, sig, siglen, em) < 0)
		return -1;
	/* all of it, public bytes: memcmp is fine */
	return memcmp(em, want, k) == 0 ? 0 : -1;
}

/* MGF1 (RFC 8017 B.2.1): xor the mask of seed into the len bytes at db */
static void
mgf1_xor(const struct tb_hash *h, const uint8_t *seed, size_t seedlen,
    uint8_t *db, size_t len)
{
	tb_hash_ctx c;
	uint8_t t[TB_HASH_MAX], ctr[4];
	uint32_t i;
	size_t off, j, n;

	for (i = 0, off = 0; off < len; i++, off += n) {
		ctr[0] = (uint8_t)(i >> 24);
		ctr[1] = (uint8_t)(i >> 16);
		ctr[2] = (uint8_t)(i >> 8);
		ctr[3] = (uint8_t)i;
		h->init(&c);
		h->update(&c, seed, seedlen);
		h->update(&c, ctr, 4);
		h->final(&c, t);
		n = len - off < h->len ? len - off : h->len;
		for (j = 0; j < n; j++)
			db[off + j] ^= t[j];
	}
}

int
tb_rsa_verify_pss(const struct tb_rsa_pub *pub, const struct tb_hash *h,
    const uint8_t *digest, const uint8_t *sig, size_t siglen, size_t saltlen)
{
	static const uint8_t zeros[8];
	uint8_t buf[TB_RSA_MAX_BYTES], hh[TB_HASH_MAX], *em, *db, top;
	size_t embits = pub->bits - 1, emlen = (embits + 7) / 8, hlen = h->len;
	size_t dblen, i;
	tb_hash_ctx c;

	if (hlen == 0 || hlen > TB_HASH_MAX || saltlen > emlen ||
	    emlen < hlen + saltlen + 2)
		return -1;
	if (rsa_public(pub, sig, siglen, buf) < 0)
		return -1;
	/* I2OSP(m, emLen): when emLen is one byte short of k, that byte is 0 */
	if (emlen < pub->len && buf[0] != 0)
		return -1;
	em = buf + (pub->len - emlen);
	if (em[emlen - 1] != 0xbc)
		return -1;
	db = em;
	dblen = emlen - hlen - 1;
	top = (uint8_t)(0xff >> (8 * emlen - embits));
	if (db[0] & ~top)
		return -1;
	mgf1_xor(h, em + dblen, hlen, db, dblen);
	db[0] &= top;
	for (i = 0; i < dblen - saltlen - 1; i++)
		if (db[i] != 0)
			return -1;
	if (db[dblen - saltlen - 1] != 0x01)
		return -1;
	/* H' = Hash(00 x 8 || mHash || salt) */
	h->init(&c);
	h->update(&c, zeros, sizeof zeros);
	h->update(&c, digest, hlen);
	h->update(&c, db + dblen - saltlen, saltlen);
	h->final(&c, hh);
	return memcmp(hh, em + dblen, hlen) == 0 ? 0 : -1;
}
