#!/usr/bin/env bats
# The constant-time checks of every secret-handling path of lib/crypto
# (tests/crypto/ct-levels.sh: AES portable and AES-NI, GCM and its tag
# compare, ChaCha20, Poly1305, the AEAD's open, SHA-1/2, HMAC, HKDF, the
# TLS 1.2 PRF, X25519, P-256/P-384 key generation and ECDH) on the code
# clang makes at the size-optimising levels (clang -Os and -Oz once
# made P-256's window selection a branch on the scalar) and at -O2
# (make CC=clang); each with its negative controls (a branch on each
# primitive's result must be reported at that level too).  The -O2
# gcc build is checked by the ct_check lines of each tests/crypto-*.bats.
# tests/crypto-ct-gcc.bats does the same for gcc and musl-gcc.

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

@test "ctgrind: every secret-handling path built by clang -Os, and the negative controls" {
	levels clang -Os
}

@test "ctgrind: every secret-handling path built by clang -Oz, and the negative controls" {
	levels clang -Oz
}

@test "ctgrind: every secret-handling path built by clang -O2 (make CC=clang), and the negative controls" {
	levels clang -O2
}
