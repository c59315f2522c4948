#!/usr/bin/env bats
# The constant-time check itself (tests/crypto/ct.h, tests/lib/crypto.bash):
# it must pass clean code and fail code that branches on, or indexes a
# table by, a secret byte -- else every ct_check of the primitives could
# pass without proving anything.  ct_reach extends that to each primitive:
# a secret put in must reach its result, as valgrind follows the code.

load lib/common
load lib/crypto

@test "ctgrind: tb_ct_eq, tb_ct_cmov and tb_wipe on a secret pass the check" {
	ct_check ct_selftest clean
}

@test "ctgrind: a branch on a secret byte is reported" {
	ct_must_leak ct_selftest branch
}

@test "ctgrind: a table index by a secret byte is reported" {
	ct_must_leak ct_selftest index
}

@test "ctgrind: a branch on the result of each primitive run on a secret is reported (the marks reach through it)" {
	local m
	for m in aes gcm chacha poly aead sha1 sha256 sha512 hmac hkdf prf x25519 p256 p384; do
		ct_must_leak ct_reach $m || { echo "ct_reach $m: not reported"; return 1; }
	done
	for m in aes gcm chacha poly aead; do
		ct_must_leak ct_reach $m fast || { echo "ct_reach $m fast: not reported"; return 1; }
	done
}
