#!/usr/bin/env bats
# lib/crypto/ec.c against the openssl command line: openssl makes the
# keys (genpkey), the signatures (pkeyutl -sign on random digests of 20
# to 64 bytes, so digests shorter and longer than the order) and the
# shared secrets (pkeyutl -derive); tests/crypto/x_ec checks that every
# signature verifies and none does once a bit of it, of the digest or
# of the key is flipped, and that its public keys and shared secrets are
# openssl's.  openssl pkeyutl takes one input a process, so for volume
# OpenSSL's library makes thousands more keys, signatures and secrets
# the same way in one process (tests/crypto/ossl.py, ossl.bash).  There
# is one code path (no CPU-specific one), so no fast-against-portable
# test.  Then the constant-time check of ECDH and key generation (at -O2;
# tests/crypto-ct-gcc.bats and crypto-ct-clang.bats check it, with every
# other secret-handling path, as gcc, musl-gcc and clang build it at -Os
# and -Oz).

load lib/common
load lib/crypto
load crypto/ossl

X_EC="$TESTBIN/x_ec"

setup() {
	[ -x "$X_EC" ] || skip "$X_EC not built (make check-build)"
}

# keys CURVE N DIR: N keys kI.der (private, DER) and kI.pub (public,
# DER: x_ec spki copies openssl's public key into it)
keys() {
	local i c=p256
	[ "$1" = P-384 ] && c=p384
	for ((i = 1; i <= $2; i++)); do
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:"$1" \
			-outform DER -out "$3/k$i.der"
		echo "$3/k$i.der $3/k$i.pub"
	done >"$3/keys"
	"$X_EC" spki $c <"$3/keys"
}

# sigs CURVE NKEYS PERKEY DIR: random digests of 20, 32, 48 and 64 bytes,
# each signed by one of the keys; the case list in DIR/cases
sigs() {
	local d=$4 k=1 n=0 f len
	keys "$1" "$2" "$d"
	for len in 20 32 48 64; do
		head -c $(( len * $2 * $3 / 4 )) /dev/urandom >"$d/rand$len"
		split -a 4 -b "$len" "$d/rand$len" "$d/h$len."
	done
	: >"$d/cases"
	for f in "$d"/h*.*; do
		openssl pkeyutl -sign -inkey "$d/k$k.der" -keyform DER -in "$f" -out "$f.sig"
		echo "$d/k$k.der $f $f.sig" >>"$d/cases"
		k=$(( k % $2 + 1 ))
		n=$(( n + 1 ))
	done
	[ "$n" -eq $(( $2 * $3 )) ]
}

# pairs CURVE N DIR: N keys, each derives with the next; DIR/cases
pairs() {
	local d=$3 i j
	keys "$1" "$2" "$d"
	: >"$d/cases"
	for ((i = 1; i <= $2; i++)); do
		j=$(( i % $2 + 1 ))
		openssl pkeyutl -derive -inkey "$d/k$i.der" -keyform DER \
			-peerkey "$d/k$j.pub" -peerform DER -out "$d/s$i"
		echo "$d/k$i.der $d/k$j.der $d/s$i" >>"$d/cases"
	done
}

@test "ecdsa P-256: 320 openssl signatures (4 keys, digests of 20-64 bytes) verify, and none with a bit flipped" {
	need_openssl
	sigs P-256 4 80 "$BATS_TEST_TMPDIR"
	run "$X_EC" verify p256 <"$BATS_TEST_TMPDIR/cases"
	echo "$output" | head -20
	[ "$status" -eq 0 ]
	[ "$output" = "ok 320" ]
}

@test "ecdsa P-384: 160 openssl signatures (4 keys, digests of 20-64 bytes) verify, and none with a bit flipped" {
	need_openssl
	sigs P-384 4 40 "$BATS_TEST_TMPDIR"
	run "$X_EC" verify p384 <"$BATS_TEST_TMPDIR/cases"
	echo "$output" | head -20
	[ "$status" -eq 0 ]
	[ "$output" = "ok 160" ]
}

@test "ecdh P-256: 120 random key pairs give openssl's shared secrets and public keys" {
	need_openssl
	pairs P-256 120 "$BATS_TEST_TMPDIR"
	run "$X_EC" ecdh p256 <"$BATS_TEST_TMPDIR/cases"
	echo "$output" | head -20
	[ "$status" -eq 0 ]
	[ "$output" = "ok 120" ]
}

@test "ecdh P-384: 60 random key pairs give openssl's shared secrets and public keys" {
	need_openssl
	pairs P-384 60 "$BATS_TEST_TMPDIR"
	run "$X_EC" ecdh p384 <"$BATS_TEST_TMPDIR/cases"
	echo "$output" | head -20
	[ "$status" -eq 0 ]
	[ "$output" = "ok 60" ]
}

# lib_sigs p256|p384 NKEYS N: N random digests of 20, 32, 48 and 64
# bytes signed by OpenSSL's library with NKEYS keys it made; DIR/cases
lib_sigs() {
	local d=$BATS_TEST_TMPDIR len
	ossl eckeys "$1" "$2" "$d" || return 1
	for len in 20 32 48 64; do
		head -c $(( len * $3 / 4 )) /dev/urandom >"$d/rand$len"
		split -a 4 -b "$len" "$d/rand$len" "$d/h$len."
	done
	ls "$d"/h*.* | awk -v d="$d" -v k="$2" '{ printf "%s/k%d.der %s %s.sig\n", d, (NR - 1) % k + 1, $0, $0 }' >"$d/cases"
	[ "$(wc -l <"$d/cases")" -eq "$3" ]
	ossl ecsign <"$d/cases"
}

# lib_pairs p256|p384 N: N keys, each derives with the next two through
# OpenSSL's library (2N secrets); DIR/cases for x_ec ecdh
lib_pairs() {
	local d=$BATS_TEST_TMPDIR
	ossl eckeys "$1" "$2" "$d" || return 1
	awk -v d="$d" -v n="$2" 'BEGIN { for (i = 1; i <= n; i++) for (j = 1; j <= 2; j++)
	    printf "%s/k%d.der %s/k%d.pub %s/s%d.%d\n", d, i, d, (i + j - 1) % n + 1, d, i, j }' >"$d/derive"
	ossl ecdh <"$d/derive" || return 1
	sed 's/\.pub /.der /' "$d/derive" >"$d/cases"
}

@test "ecdsa P-256: 2000 signatures by OpenSSL's library (40 keys, digests of 20-64 bytes) verify, and none with a bit flipped" {
	need_ossl
	lib_sigs p256 40 2000
	run "$X_EC" verify p256 <"$BATS_TEST_TMPDIR/cases"
	echo "$output" | head -20
	[ "$status" -eq 0 ]
	[ "$output" = "ok 2000" ]
}

@test "ecdsa P-384: 1000 signatures by OpenSSL's library (20 keys, digests of 20-64 bytes) verify, and none with a bit flipped" {
	need_ossl
	lib_sigs p384 20 1000
	run "$X_EC" verify p384 <"$BATS_TEST_TMPDIR/cases"
	echo "$output" | head -20
	[ "$status" -eq 0 ]
	[ "$output" = "ok 1000" ]
}

@test "ecdh P-256: 2000 shared secrets of 1000 random keys, and their public keys, are those of OpenSSL's library" {
	need_ossl
	lib_pairs p256 1000
	run "$X_EC" ecdh p256 <"$BATS_TEST_TMPDIR/cases"
	echo "$output" | head -20
	[ "$status" -eq 0 ]
	[ "$output" = "ok 2000" ]
}

@test "ecdh P-384: 1000 shared secrets of 500 random keys, and their public keys, are those of OpenSSL's library" {
	need_ossl
	lib_pairs p384 500
	run "$X_EC" ecdh p384 <"$BATS_TEST_TMPDIR/cases"
	echo "$output" | head -20
	[ "$status" -eq 0 ]
	[ "$output" = "ok 1000" ]
}

@test "x_ec fails when openssl's secret is not the one it computes" {
	need_openssl
	pairs P-256 3 "$BATS_TEST_TMPDIR"
	cp "$BATS_TEST_TMPDIR/s1" "$BATS_TEST_TMPDIR/s2"
	run "$X_EC" ecdh p256 <"$BATS_TEST_TMPDIR/cases"
	[ "$status" -eq 1 ]
	[[ "$output" == *"line 2: shared secret differs"* ]]
}

@test "ctgrind: P-256 ECDH and key generation, secret scalar, through the whole scalar multiplication and inversion" {
	ct_check ct_ec p256
}

@test "ctgrind: P-384 ECDH and key generation, secret scalar" {
	ct_check ct_ec p384
}

@test "ctgrind: ct_ec's own secret-dependent branch is reported (the check can fail here)" {
	ct_must_leak ct_ec leak
}
