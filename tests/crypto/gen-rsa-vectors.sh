#!/usr/bin/env bash
# tests/crypto/gen-rsa-vectors.sh - makes tests/unit/rsa_vectors.h, the
# openssl-made RSA vectors of tests/unit/t_crypto_rsa.c:
#
#   bash tests/crypto/gen-rsa-vectors.sh > tests/unit/rsa_vectors.h
#
# Keys of 2048, 3072 and 4096 bits are made afresh (openssl genpkey), the
# 8192-bit one is tests/crypto/data/rsa8192-testkey.pem; each signs one
# message with PKCS#1 v1.5 and with PSS (salt as long as the hash).  Then,
# with the 2048-bit key: a signature whose first byte is zero, and
# encoded messages made wrong on purpose (a broken FF run, no 00
# separator, block type 2, another hash's OID, DigestInfo without NULL,
# bytes after the digest, a PSS trailer not 0xbc, a set top bit, a flipped
# bit in the salt or in H) signed with the raw private key operation
# (rsautl -raw), next to the unbroken ones
# signed the same way, which must verify.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT

hex() { xxd -p "$1" | tr -d '\n'; }
unhex() { printf '%s' "$1" | xxd -r -p >"$2"; }
# emit NAME HEX: a C string of hex, 64 digits a line
emit() {
	[ -n "$2" ] || { echo "gen-rsa-vectors: $1 is empty" >&2; exit 1; }
	printf 'static const char %s[] =\n' "$1"
	printf '%s' "$2" | fold -w 64 | sed 's/.*/\t"&"/'
	printf ';\n'
}
modulus() { openssl rsa -in "$1" -noout -modulus 2>/dev/null | sed 's/^Modulus=//' | tr 'A-F' 'a-f'; }
sign() {	# KEY HASH DIGESTFILE OUT [pss]
	local o=()
	[ "${5:-}" = pss ] && o=(-pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:digest)
	openssl pkeyutl -sign -inkey "$1" -in "$3" -out "$4" -pkeyopt "digest:$2" "${o[@]}"
	openssl pkeyutl -verify -inkey "$1" -in "$3" -sigfile "$4" -pkeyopt "digest:$2" "${o[@]}" >/dev/null
}
# (pkeyutl will not sign raw bytes that do not look like a hash: rsautl)
rawsign() {
	unhex "$2" "$d/em"
	openssl rsautl -sign -raw -inkey "$1" -in "$d/em" -out "$d/raw" 2>/dev/null
	hex "$d/raw"
}
rawopen() { openssl pkeyutl -verifyrecover -inkey "$1" -in "$2" -out "$d/em" -pkeyopt rsa_padding_mode:none; hex "$d/em"; }
# xorbyte HEX POS MASK: HEX with the byte at POS xored with MASK
xorbyte() {
	local h=$1 p=$2
	printf '%s%02x%s' "${h:0:2*p}" $((0x${h:2*p:2} ^ $3)) "${h:2*p+2}"
}
ffs() { local i; for ((i = 0; i < $1; i++)); do printf ff; done; }

echo "/* made by: bash tests/crypto/gen-rsa-vectors.sh > tests/unit/rsa_vectors.h ($(openssl version | cut -d' ' -f1-2)) */"
for bits in 2048 3072 4096 8192; do
	k=$d/k$bits.pem
	if [ $bits = 8192 ]; then
		cp "$top/tests/crypto/data/rsa8192-testkey.pem" "$k"
	else
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:$bits -out "$k" 2>/dev/null
	fi
	case $bits in 2048) h=sha256 ;; 3072) h=sha384 ;; 4096) h=sha512 ;; 8192) h=sha256 ;; esac
	printf 'tubes rsa vector %s' $bits | openssl dgst -$h -binary >"$d/dg"
	sign "$k" $h "$d/dg" "$d/s1"
	sign "$k" $h "$d/dg" "$d/s2" pss
	echo "/* $bits bits, e 65537, $h of \"tubes rsa vector $bits\" */"
	emit "v${bits}_n" "$(modulus "$k")"
	emit "v${bits}_digest" "$(hex "$d/dg")"
	emit "v${bits}_pkcs1" "$(hex "$d/s1")"
	emit "v${bits}_pss" "$(hex "$d/s2")"
done

k=$d/k2048.pem
n=$(modulus "$k")
echo "/* the 2048-bit key as a PKCS#1 RSAPublicKey (openssl rsa -RSAPublicKey_out -outform DER) */"
openssl rsa -in "$k" -RSAPublicKey_out -outform DER -out "$d/der" 2>/dev/null
emit v2048_der "$(hex "$d/der")"

# PKCS#1 v1.5, SHA-1, the same key
printf 'tubes rsa vector sha1' | openssl dgst -sha1 -binary >"$d/dg1"
sign "$k" sha1 "$d/dg1" "$d/s1"
echo "/* 2048 bits, sha1 of \"tubes rsa vector sha1\", PKCS#1 v1.5 */"
emit v2048_sha1_digest "$(hex "$d/dg1")"
emit v2048_sha1_pkcs1 "$(hex "$d/s1")"

# a PKCS#1 v1.5 signature whose integer is a byte shorter than n
i=0
while :; do
	printf 'tubes rsa leading zero %d' $i | openssl dgst -sha256 -binary >"$d/dz"
	sign "$k" sha256 "$d/dz" "$d/sz"
	[ "$(head -c 1 "$d/sz" | xxd -p)" = 00 ] && break
	i=$((i + 1))
done
echo "/* sha256 of \"tubes rsa leading zero $i\": its PKCS#1 v1.5 signature starts with 00 */"
emit lz_digest "$(hex "$d/dz")"
emit lz_pkcs1 "$(hex "$d/sz")"

# encoded messages, right and wrong, signed raw; the digest is v2048_digest
printf 'tubes rsa vector 2048' | openssl dgst -sha256 -binary >"$d/dg"
dg=$(hex "$d/dg")
di256=3031300d060960864801650304020105000420
di384=3031300d060960864801650304020205000420	# the SHA-384 OID, a 32-byte digest
dinonull=302f300b06096086480165030402010420	# no NULL parameters
echo "/* encoded messages for the 2048-bit key and v2048_digest, signed raw */"
emit em_good "$(rawsign "$k" "0001$(ffs 202)00$di256$dg")"
emit em_ffrun "$(rawsign "$k" "0001$(ffs 100)fe$(ffs 101)00$di256$dg")"
emit em_nosep "$(rawsign "$k" "0001$(ffs 203)$di256$dg")"
emit em_bt2 "$(rawsign "$k" "0002$(ffs 202)00$di256$dg")"
emit em_oid "$(rawsign "$k" "0001$(ffs 202)00$di384$dg")"
emit em_nonull "$(rawsign "$k" "0001$(ffs 204)00$dinonull$dg")"
emit em_trail "$(rawsign "$k" "0001$(ffs 198)00$di256${dg}deadbeef")"
emit em_short "$(rawsign "$k" "0001ff00$di256$dg$(ffs 201)")"

# PSS: open a good signature, break its encoded message, sign it raw
i=0
n0=$((0x${n:0:2}))
while :; do
	printf 'tubes rsa pss %d' $i | openssl dgst -sha256 -binary >"$d/dp"
	sign "$k" sha256 "$d/dp" "$d/sp" pss
	em=$(rawopen "$k" "$d/sp")
	[ $((0x${em:0:2} | 0x80)) -lt $n0 ] && break
	i=$((i + 1))
done
echo "/* sha256 of \"tubes rsa pss $i\", 2048 bits; its PSS encoded message, broken, signed raw */"
emit pss_digest "$(hex "$d/dp")"
emit pss_good "$(rawsign "$k" "$em")"
emit pss_trailer "$(rawsign "$k" "$(xorbyte "$em" 255 0x01)")"
emit pss_topbit "$(rawsign "$k" "$(xorbyte "$em" 0 0x80)")"
emit pss_salt "$(rawsign "$k" "$(xorbyte "$em" 222 0x10)")"
emit pss_hash "$(rawsign "$k" "$(xorbyte "$em" 240 0x04)")"

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$d/k1024.pem" 2>/dev/null
echo "/* a 1024-bit modulus: below the default minimum */"
emit v1024_n "$(modulus "$d/k1024.pem")"
