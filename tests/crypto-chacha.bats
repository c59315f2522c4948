#!/usr/bin/env bats
# lib/crypto ChaCha20 and Poly1305 against the openssl command on random
# cases (tests/crypto/x_chacha.c makes them and checks our side), the
# AEAD's fast paths against the portable one (TUBES_NO_ASM=1), the
# constant-time check of seal and open (tests/crypto/ct_chacha.c).  (The
# fuzz target fuzz/fz_aead_open.c is replayed with the others.)  Each
# test prints its seed; X_SEED=N repeats a run.  Every openssl case is one process
# (enc and mac take one input each), so there are 600 of each, run in
# two halves side by side, to keep the file near a minute on a loaded
# machine.  3000 more messages of each go through OpenSSL's library in
# one process (tests/crypto/ossl.py, ossl.bash), against both our paths,
# fast and portable; the fast-against-portable AEAD runs take thousands.

load lib/common
load lib/crypto
load crypto/ossl

X="$TESTBIN/x_chacha"

setup_file() {
	[ -x "$X" ] || return 0
	export SEED=${X_SEED:-$(( (RANDOM << 15) | RANDOM ))}
	export D="$BATS_FILE_TMPDIR/m"
	mkdir -p "$D"
	"$X" gen "$D" 600 "$SEED" >"$BATS_FILE_TMPDIR/cases"
	split -n l/2 -d "$BATS_FILE_TMPDIR/cases" "$BATS_FILE_TMPDIR/cases."
}

setup() {
	crypto_once
	[ -x "$X" ] || skip "$X not built (make check-build)"
	echo "seed $SEED"
}

@test "x_chacha: ChaCha20 of 600 random messages (counter 0, random, and up to block 2^32 - 1) matches openssl enc -chacha20" {
	need_openssl
	local half
	for half in "$BATS_FILE_TMPDIR"/cases.0[01]; do
		while read -r name key nonce ctr iv; do
			openssl enc -chacha20 -K "$key" -iv "$iv" -in "$D/$name" -out "$D/$name.ossl" ||
			    echo "openssl failed on $name"
		done <"$half" &
	done
	wait
	run "$X" stream "$D" <"$BATS_FILE_TMPDIR/cases"
	echo "$output" | head -5
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "x_chacha: Poly1305 of 600 random messages matches openssl mac Poly1305" {
	need_openssl
	local half
	for half in "$BATS_FILE_TMPDIR"/cases.0[01]; do
		while read -r name key nonce ctr iv; do
			openssl mac -macopt hexkey:"$key" -in "$D/$name" Poly1305 ||
			    echo "openssl failed on $name"
		done <"$half" >"$half.want" &
	done
	wait
	cat "$BATS_FILE_TMPDIR"/cases.00.want "$BATS_FILE_TMPDIR"/cases.01.want >"$BATS_TEST_TMPDIR/want"
	"$X" poly "$D" <"$BATS_FILE_TMPDIR/cases" >"$BATS_TEST_TMPDIR/got"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/got")" -eq 600 ]
	cmp "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got" ||
	    { diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got" | head -6; return 1; }
}

# lib_cases N: N random cases in $BATS_TEST_TMPDIR/l, listed in .../cases
lib_cases() {
	mkdir -p "$BATS_TEST_TMPDIR/l"
	"$X" gen "$BATS_TEST_TMPDIR/l" "$1" "$SEED" >"$BATS_TEST_TMPDIR/cases"
}

@test "x_chacha: ChaCha20 of 3000 random messages matches OpenSSL's ChaCha20 (its library, one process), fast and portable paths" {
	need_ossl
	local l=$BATS_TEST_TMPDIR/l
	lib_cases 3000
	ossl chacha "$l" <"$BATS_TEST_TMPDIR/cases"
	[ "$(ls "$l" | grep -c '\.ossl$')" -eq 3000 ]
	run "$X" stream "$l" <"$BATS_TEST_TMPDIR/cases"
	echo "$output" | head -5
	[ "$status" -eq 0 ] && [ -z "$output" ]
	TUBES_NO_ASM=1 run "$X" stream "$l" <"$BATS_TEST_TMPDIR/cases"
	echo "$output" | head -5
	[ "$status" -eq 0 ] && [ -z "$output" ]
	# and the check can fail: byte 3 of the first of openssl's answers
	# that has one, changed
	local f
	f=$(find "$l" -name 'm*.ossl' -size +3c | sort | head -1)
	flip_byte "$f" 3
	f=${f##*/}
	run "$X" stream "$l" <"$BATS_TEST_TMPDIR/cases"
	[ "$status" -eq 1 ]
	[[ "$output" == "${f%.ossl} differs"* ]]
}

@test "x_chacha: Poly1305 of 3000 random messages matches OpenSSL's Poly1305 (its library, one process), fast and portable paths" {
	need_ossl
	local t=$BATS_TEST_TMPDIR
	lib_cases 3000
	ossl poly "$t/l" <"$t/cases" >"$t/want"
	[ "$(wc -l <"$t/want")" -eq 3000 ]
	"$X" poly "$t/l" <"$t/cases" >"$t/fast"
	cmp "$t/want" "$t/fast" || { diff "$t/want" "$t/fast" | head -6; return 1; }
	TUBES_NO_ASM=1 "$X" poly "$t/l" <"$t/cases" >"$t/slow"
	cmp "$t/want" "$t/slow" || { diff "$t/want" "$t/slow" | head -6; return 1; }
}

@test "x_chacha: the AEAD's fast paths give what the portable code gives (TUBES_NO_ASM=1) on 3000 random lengths, and open takes back every seal and refuses a flipped tag bit" {
	"$X" aead 3000 "$SEED" >"$BATS_TEST_TMPDIR/fast"
	TUBES_NO_ASM=1 "$X" aead 3000 "$SEED" >"$BATS_TEST_TMPDIR/slow"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/fast")" -eq 3000 ]
	cmp "$BATS_TEST_TMPDIR/fast" "$BATS_TEST_TMPDIR/slow"
	run grep -c -e open-failed -e bad-tag-accepted "$BATS_TEST_TMPDIR/fast"
	[ "$output" = 0 ]
}

@test "ctgrind: seal and open (right and wrong tags), ChaCha20 and Poly1305 with a secret key and plaintext, portable code" {
	ct_check ct_chacha portable
}

@test "ctgrind: the same through the fast paths valgrind can run" {
	ct_check ct_chacha fast
}
