#!/usr/bin/env bats
# The constant-time checks of every secret-handling path of lib/crypto
# (tests/crypto/ct-levels.sh: AES portable and AES-NI, GCM and its tag
# compare, ChaCha20, Poly1305, the AEAD's open, SHA-1/2, HMAC, HKDF, the
# TLS 1.2 PRF, X25519, P-256/P-384 key generation and ECDH) on the code
# gcc makes at the size-optimising levels, and musl-gcc -Oz static, the
# size build itself; each with its negative controls (a branch on each
# primitive's result must be reported at that level too).  The -O2
# build is checked by the ct_check lines of each tests/crypto-*.bats.
# tests/crypto-ct-clang.bats does the same for clang.

load lib/common
load lib/crypto

# levels CC LEVEL: ct-levels.sh in the test's directory
levels() {
	need_cmd "$1" valgrind ar
	run sh "$TOP/tests/crypto/ct-levels.sh" "$1" "$2" "$BATS_TEST_TMPDIR/b"
	echo "$output" | grep -v -e '^ok ' -e '^odd$' -e '^accepted$'
	[ "$status" -eq 0 ]
	# every check ran and passed: 39, and 5 more on the AES-NI path
	local n
	n=$(sed -n "s/^\([0-9]*\) checks ($1 $2.*): exit 0\$/\1/p" <<<"$output")
	[ -n "$n" ] && [ "$n" -ge 39 ]
	[ "$(grep -c '^ok ' <<<"$output")" -eq "$n" ]
	! grep -q '^FAIL' <<<"$output"
}

@test "ctgrind: every secret-handling path built by gcc -Os, and the negative controls" {
	levels gcc -Os
}

@test "ctgrind: every secret-handling path built by gcc -Oz, and the negative controls" {
	levels gcc -Oz
}

@test "ctgrind: every secret-handling path built by musl-gcc -Oz static (the size build), and the negative controls" {
	levels musl-gcc -Oz
}
