#!/usr/bin/env bats
# RSA signature verification (lib/crypto/rsa.c) against the openssl
# command: keys made here (2048, 3072 and 4096 bits, odd sizes, e = 3 and
# e = 2^32-1) and the checked-in 8192-bit tests/crypto/data/rsa8192-testkey.pem;
# random digests of the four hashes signed by openssl pkeyutl with PKCS#1
# v1.5 and with PSS (rsa_pss_saltlen:digest), every one verified by
# tests/crypto/x_rsa and every one, changed, refused.  pkeyutl signs one
# input per run, so for volume openssl ca also signs hundreds of
# certificates in one run (the same request again and again, each with its
# own serial number, so each to-be-signed part differs); x_rsa hashes each
# tbsCertificate and checks its signature the same way.  The bignum alone:
# random values raised to e against openssl rsautl -raw.  About 2,500
# openssl signatures and 10,000 changed ones in all.

load lib/common
load lib/crypto

setup() {
	crypto_once
	need_openssl
	[ -x "$TESTBIN/x_rsa" ] || skip "$TESTBIN/x_rsa not built (make check-build)"
	T=$(mktemp -d)
}

teardown() {
	rm -rf "$T"
}

# newkey BITS [E]: $T/k.pem and its RSAPublicKey $T/pub.der.  Two primes
# of BITS/2 make BITS - 1 bits when BITS is odd: then three primes, and
# again while the modulus comes out a bit short (8 tries).
newkey() {
	local i p=2
	(( $1 % 2 )) && p=3
	for ((i = 0; i < 8; i++)); do
		openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$1" -pkeyopt "rsa_keygen_primes:$p" \
		    -pkeyopt "rsa_keygen_pubexp:${2:-65537}" -out "$T/k.pem" 2>/dev/null || return 1
		[[ "$(openssl rsa -in "$T/k.pem" -noout -text 2>/dev/null)" == "Private-Key: ($1 bit"* ]] && break
	done
	[ "$i" -lt 8 ] || { echo "openssl made no $1-bit key"; return 1; }
	openssl rsa -in "$T/k.pem" -RSAPublicKey_out -outform DER -out "$T/pub.der" 2>/dev/null
}

# modulus: openssl's "Modulus=HEX" for $T/k.pem, without leading zeros
modulus() {
	openssl rsa -in "$T/k.pem" -noout -modulus | sed 's/=0*/=/'
}

fixedkey() {
	cp "$TOP/tests/crypto/data/rsa8192-testkey.pem" "$T/k.pem"
	openssl rsa -in "$T/k.pem" -RSAPublicKey_out -outform DER -out "$T/pub.der" 2>/dev/null
}

# signs N: N random digests (the hashes in turn, PKCS#1 v1.5 and PSS in
# turn) signed by openssl, listed in $T/list for x_rsa verify
signs() {
	local n=$1 i j h l f mode
	local -a hs=(sha1 sha256 sha384 sha512) ls=(20 32 48 64) pss
	for j in 0 1 2 3; do
		head -c $(( ls[j] * (n / 4 + 1) )) /dev/urandom |
		    split -b "${ls[j]}" -a 5 -d - "$T/${hs[j]}." || return 1
	done
	: >"$T/list"
	for ((i = 0; i < n; i++)); do
		h=${hs[i % 4]}
		printf -v f '%s/%s.%05d' "$T" "$h" $((i / 4))
		if (( i / 4 % 2 )); then
			mode=pss
			pss=(-pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:digest)
		else
			mode=pkcs1
			pss=()
		fi
		openssl pkeyutl -sign -inkey "$T/k.pem" -in "$f" -out "$f.sig" \
		    -pkeyopt "digest:$h" "${pss[@]}" || return 1
		echo "$mode $h $f $f.sig" >>"$T/list"
	done
}

# casigns N: N certificates for each hash and each padding, signed by
# openssl ca with $T/k.pem, in $T/ca/MODE.HASH.pem
casigns() {
	local n=$1 mode h i
	local -a pss reqs=()
	mkdir -p "$T/ca"
	cat >"$T/ca/ca.cnf" <<-EOC
	[ ca ]
	default_ca = x
	[ x ]
	database = $T/ca/index.txt
	serial = $T/ca/serial
	new_certs_dir = $T/ca/certs
	policy = p
	unique_subject = no
	default_days = 1
	[ p ]
	commonName = supplied
	EOC
	openssl req -new -key "$T/k.pem" -subj /CN=tubes -out "$T/ca/req.pem" 2>/dev/null || return 1
	for ((i = 0; i < n; i++)); do reqs+=("$T/ca/req.pem"); done
	for mode in pkcs1 pss; do
		pss=()
		[ $mode = pss ] && pss=(-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest)
		for h in sha1 sha256 sha384 sha512; do
			rm -rf "$T/ca/certs"
			mkdir "$T/ca/certs"
			: >"$T/ca/index.txt"
			echo 01 >"$T/ca/serial"
			openssl ca -batch -config "$T/ca/ca.cnf" -keyfile "$T/k.pem" -selfsign -notext \
			    -md $h "${pss[@]}" -out /dev/null -infiles "${reqs[@]}" >/dev/null 2>&1 || return 1
			cat "$T/ca/certs/"*.pem >"$T/ca/$mode.$h.pem"
		done
	done
}

# caverify N: x_rsa checks the N certificates of each casigns file
caverify() {
	local f mode h
	for f in "$T/ca/"pkcs1.*.pem "$T/ca/"pss.*.pem; do
		mode=${f##*/}
		h=${mode#*.}
		h=${h%.pem}
		mode=${mode%%.*}
		run "$TESTBIN/x_rsa" certs "$T/pub.der" $mode $h "$f"
		echo "$f: $output" | head -20
		[ "$status" -eq 0 ]
		[[ "$output" == "$1 signatures verified, "*" 0 failures" ]]
	done
}

# verify N: x_rsa verifies all N and refuses every change
verify() {
	run "$TESTBIN/x_rsa" verify "$T/pub.der" "$T/list"
	echo "$output" | head -20
	[ "$status" -eq 0 ]
	[[ "$output" == "$1 signatures verified, "*" 0 failures" ]]
}

@test "rsa: x_rsa reads the modulus and exponent openssl prints (2048, 2049, 8192 bits, e = 3)" {
	newkey 2048
	run "$TESTBIN/x_rsa" key "$T/pub.der"
	[ "$status" -eq 0 ]
	[ "$(sed 's/=0*/=/' <<<"${lines[0]}")" = "$(modulus)" ]
	[ "${lines[1]}" = "Exponent=65537" ]
	newkey 2049 3
	run "$TESTBIN/x_rsa" key "$T/pub.der"
	[ "$(sed 's/=0*/=/' <<<"${lines[0]}")" = "$(modulus)" ]
	[ "${lines[1]}" = "Exponent=3" ]
	fixedkey
	run "$TESTBIN/x_rsa" key "$T/pub.der"
	[ "$(sed 's/=0*/=/' <<<"${lines[0]}")" = "$(modulus)" ]
}

# rawcheck: sig^e mod n of 10 random values below n, x_rsa against rsautl
rawcheck() {
	local i k m want
	m=$("$TESTBIN/x_rsa" key "$T/pub.der" | sed -n 's/^Modulus=//p')
	k=$(( ${#m} / 2 ))
	openssl rsa -in "$T/k.pem" -pubout -out "$T/pub.pem" 2>/dev/null
	for ((i = 0; i < 10; i++)); do
		# a zero first byte keeps it below n
		{ printf '\0'; head -c $((k - 1)) /dev/urandom; } >"$T/s$i"
	done
	run "$TESTBIN/x_rsa" raw "$T/pub.der" $(for ((i = 0; i < 10; i++)); do echo "$T/s$i"; done)
	[ "$status" -eq 0 ]
	for ((i = 0; i < 10; i++)); do
		want=$(openssl rsautl -verify -raw -pubin -inkey "$T/pub.pem" -in "$T/s$i" 2>/dev/null | od -An -v -tx1 | tr -d ' \n')
		[ ${#want} -eq $((2 * k)) ]
		[ "${lines[i]}" = "$want" ] || { echo "value $i: $want != ${lines[i]}"; return 1; }
	done
}

@test "rsa: sig^e mod n of 20 random values equals openssl rsautl -raw (2048, 8192 bits)" {
	newkey 2048
	rawcheck
	fixedkey
	rawcheck
}

@test "rsa: 2048 bits, e = 65537: 120 openssl signatures and 1200 certificates, all verified, changed ones refused" {
	newkey 2048
	signs 120
	verify 120
	casigns 150
	caverify 150
}

@test "rsa: the same with the hashes on their portable path (TUBES_NO_ASM=1)" {
	newkey 2048
	signs 40
	TUBES_NO_ASM=1 verify 40
	casigns 20
	TUBES_NO_ASM=1 caverify 20
}

@test "rsa: 2048 bits, e = 3: 40 openssl signatures" {
	newkey 2048 3
	signs 40
	verify 40
}

@test "rsa: 2048 bits, e = 2^32-1 (the largest taken): 40 openssl signatures" {
	newkey 2048 4294967295
	signs 40
	verify 40
}

@test "rsa: 2049 bits (PSS: the encoded message a byte shorter than n): 80 openssl signatures" {
	newkey 2049
	signs 80
	verify 80
}

@test "rsa: 2055 and 3071 bits (PSS: top bits of maskedDB): 48 openssl signatures" {
	newkey 2055
	signs 24
	verify 24
	newkey 3071
	signs 24
	verify 24
}

@test "rsa: 3072 bits: 48 openssl signatures and 480 certificates" {
	newkey 3072
	signs 48
	verify 48
	casigns 60
	caverify 60
}

@test "rsa: 4096 bits: 32 openssl signatures and 240 certificates" {
	newkey 4096
	signs 32
	verify 32
	casigns 30
	caverify 30
}

@test "rsa: 8192 bits (the checked-in key): 8 openssl signatures and 32 certificates" {
	fixedkey
	signs 8
	verify 8
	casigns 4
	caverify 4
}

@test "rsa: a 1024-bit key is refused (below the 2048-bit default minimum)" {
	newkey 1024
	run "$TESTBIN/x_rsa" key "$T/pub.der"
	[ "$status" -eq 1 ]
	[[ "$output" == *"key refused" ]]
}

@test "rsa: a signature openssl refuses is refused (a stranger's key)" {
	newkey 2048
	signs 8
	cp "$T/pub.der" "$T/pub1.der"
	newkey 2048
	run "$TESTBIN/x_rsa" verify "$T/pub.der" "$T/list"
	[ "$status" -eq 1 ]
	[[ "$output" == *"0 signatures verified"* ]]
	[ "$(grep -c '^FAIL' <<<"$output")" -eq 8 ]
}
