#!/bin/sh
# tests/crypto/mkvec-ec.sh - made the openssl SigVer vectors in
# tests/unit/t_crypto_ec.c (run: sh tests/crypto/mkvec-ec.sh > vectors.inc).
# For each curve and digest length: a fresh key (openssl genpkey), a
# digest of a message (openssl dgst), its signature (openssl pkeyutl
# -sign, DER), checked by openssl pkeyutl -verify; then the same with a
# bit of the digest flipped, with openssl's verdict on it.  Each line is
# { curve, "pub", "digest", "DER signature", verdict }, the CAVP SigVer
# shape.
set -eu
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
hex() { od -An -v -tx1 "$1" | tr -d ' \n'; }
for spec in P-256:sha256 P-256:sha512 P-256:sha1 P-384:sha384 P-384:sha256 P-384:sha512; do
	curve=${spec%%:*} md=${spec#*:}
	id=TB_EC_P256; [ "$curve" = P-384 ] && id=TB_EC_P384
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:$curve -out "$d/k.pem" 2>/dev/null
	openssl pkey -in "$d/k.pem" -pubout -outform DER -out "$d/pub.der"
	len=65; [ "$curve" = P-384 ] && len=97
	tail -c $len "$d/pub.der" >"$d/pub"
	for i in 1 2 3; do
		printf 'tubes sigver %s %s %s' "$curve" "$md" "$i" |
			openssl dgst -$md -binary >"$d/h"
		openssl pkeyutl -sign -inkey "$d/k.pem" -in "$d/h" -out "$d/sig"
		openssl pkeyutl -verify -inkey "$d/k.pem" -in "$d/h" -sigfile "$d/sig" >/dev/null
		printf '\t{ %s, "%s",\n\t  "%s",\n\t  "%s", 0 },\n' "$id" "$(hex "$d/pub")" \
			"$(hex "$d/h")" "$(hex "$d/sig")"
		# the same signature over the digest with its first, then its last
		# bit flipped: the first always breaks it; the last only when the
		# digest is not longer than the order (else it is cut off)
		first=$(head -c 1 "$d/h" | od -An -tu1 | tr -d ' ')
		printf "$(printf '\\%03o' $((first ^ 128)))" >"$d/h2"
		tail -c +2 "$d/h" >>"$d/h2"
		head -c -1 "$d/h" >"$d/h3"
		last=$(tail -c 1 "$d/h" | od -An -tu1 | tr -d ' ')
		printf "$(printf '\\%03o' $((last ^ 1)))" >>"$d/h3"
		for h in h2 h3; do
			v=-1
			openssl pkeyutl -verify -inkey "$d/k.pem" -in "$d/$h" -sigfile "$d/sig" \
			    >/dev/null 2>&1 && v=0
			printf '\t{ %s, "%s",\n\t  "%s",\n\t  "%s", %s },\n' "$id" "$(hex "$d/pub")" \
				"$(hex "$d/$h")" "$(hex "$d/sig")" $v
		done
	done
done
