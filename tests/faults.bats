#!/usr/bin/env bats
# The fault-injection tools themselves (issue 12): the I/O shim and the
# allocation switch must really inject, or every case built on them
# would pass for nothing.
load lib/common
load lib/faults

@test "shim: write ENOSPC on a file fails the write" {
	run with_faults write:1:ENOSPC:file dd if=/dev/zero of="$BATS_TEST_TMPDIR/f" bs=4 count=1
	[ "$status" -ne 0 ]
	[[ "$output" == *"No space left"* ]]
	[ ! -s "$BATS_TEST_TMPDIR/f" ]
}

@test "shim: without a rule the same write succeeds" {
	run with_faults write:1:ENOSPC:sock dd if=/dev/zero of="$BATS_TEST_TMPDIR/f" bs=4 count=1
	[ "$status" -eq 0 ]
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/f")" = 4 ]
}

@test "shim: fsync and rename fail on request" {
	command -v python3 >/dev/null || skip "python3 not installed"
	run with_faults rename:1:EIO python3 -c 'import os,sys; open(sys.argv[1],"w").close(); os.rename(sys.argv[1], sys.argv[1]+".x")' "$BATS_TEST_TMPDIR/r"
	[ "$status" -ne 0 ]
	[ -e "$BATS_TEST_TMPDIR/r" ]
	[ ! -e "$BATS_TEST_TMPDIR/r.x" ]
}

@test "shim: one byte at a time still delivers everything" {
	printf 'abcdefghij' >"$BATS_TEST_TMPDIR/in"
	run with_faults 'read:*:one:file' cat "$BATS_TEST_TMPDIR/in"
	[ "$status" -eq 0 ]
	[ "$output" = abcdefghij ]
}

@test "allocation switch: the count is logged and the k-th tb_malloc fails" {
	run env TUBES_ALLOC_LOG="$BATS_TEST_TMPDIR/n" "$TESTBIN/allocprobe"
	[ "$status" -eq 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR/n")" = 5 ]
	run env TUBES_FAIL_ALLOC=3 "$TESTBIN/allocprobe"
	[ "$status" -eq 2 ]
	[ "$output" = "allocation 3 failed" ]
}

@test "torture_alloc: fails every allocation in turn and checks the exit codes" {
	torture_alloc "$TESTBIN/allocprobe"
	[ "$TORTURE_N" -eq 5 ]
	[ "$TORTURE_RUNS" -eq 5 ]
	# and it must notice a program that dies of a signal when one fails
	run torture_alloc "$TESTBIN/allocprobe" abort
	[ "$status" -eq 1 ]
	[[ "$output" == *"allocation 1 of 5: exit 134"* ]]
}
