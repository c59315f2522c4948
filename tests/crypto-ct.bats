#!/usr/bin/env bats
# The constant-time check itself (tests/crypto/ct.h, tests/lib/crypto.bash):
# it must pass clean code and fail code that branches on, or indexes a
# table by, a secret byte -- else every ct_check of the primitives could
# pass without proving anything.

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
