/*
 * crypto/md5.h - MD5 (RFC 1321), for APOP only (see md5.c).  A context
 * is not wiped by md5_final: the caller wipes one that held a secret.
 */
#ifndef TUBES_CRYPTO_MD5_H
#define TUBES_CRYPTO_MD5_H

#include <stddef.h>
#include <stdint.h>

#define TB_MD5_LEN 16

struct md5 {
	uint32_t h[4];
	uint64_t len;
	uint8_t buf[64];
};
void md5_init(struct md5 *);
void md5_update(struct md5 *, const void *, size_t);
void md5_final(struct md5 *, uint8_t digest[TB_MD5_LEN]);

#endif
