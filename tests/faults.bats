#!/usr/bin/env bats
# The fault-injection tools themselves (issue 12): the I/O shim and the
# allocation switch must really inject, or every case built on them
# would pass for nothing.  Then the allocation torture of what the other
# suites do not cover: dig-lite's batch and the resolver under ping-lite
# and trace.  (The transfer commands' cases are in their own files.)
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

# a DNS peer on 127.0.0.1 for the resolver and dig-lite cases; sets PORT
dns_peer() {
	cat >"$BATS_TEST_TMPDIR/dns.script" <<-EOS
	match www.lab.test A
	answer www.lab.test 60 A 127.0.0.1
	match lab.test A
	answer lab.test 60 A 127.0.0.1
	match nx.lab.test *
	rcode NXDOMAIN
	EOS
	"$TESTBIN/dnspeer" -s "$BATS_TEST_TMPDIR/dns.script" -P "$BATS_TEST_TMPDIR/dns.port" \
	    -l "$BATS_TEST_TMPDIR/dns.log" 3>&- &
	PEER_PID=$!
	wait_file "$BATS_TEST_TMPDIR/dns.port"
	PORT=$(cat "$BATS_TEST_TMPDIR/dns.port")
	printf 'nameserver 127.0.0.1#%s\noptions timeout:1 attempts:1\n' "$PORT" >"$BATS_TEST_TMPDIR/resolv.conf"
}

teardown() {
	[ -n "${PEER_PID:-}" ] && { kill "$PEER_PID" 2>/dev/null; wait "$PEER_PID" 2>/dev/null; }
	return 0
}

@test "torture_alloc: dig-lite -f, a batch with answers, NXDOMAIN and a bad line" {
	dns_peer
	{ for i in $(seq 20); do echo www.lab.test; echo lab.test; done; echo nx.lab.test; echo "a..b"; } \
	    >"$BATS_TEST_TMPDIR/in"
	TORTURE_SAMPLE=40 torture_alloc dig-lite @127.0.0.1 -p "$PORT" +timeout=1 +tries=1 -f "$BATS_TEST_TMPDIR/in"
	[ "$TORTURE_RUNS" -ge 1 ]
	# and without a failure, every line still has its answer
	run dig-lite @127.0.0.1 -p "$PORT" +short +timeout=1 +tries=1 -f "$BATS_TEST_TMPDIR/in"
	[ "$status" -eq 2 ]
	[ "$(grep -c '^127.0.0.1$' <<<"$output")" -eq 40 ]
}

@test "torture_alloc: the resolver, for ping-lite and trace, from the hosts file and from DNS" {
	dns_peer
	printf '127.0.0.1 here.test\n' >"$BATS_TEST_TMPDIR/hosts"
	export TUBES_HOSTS="$BATS_TEST_TMPDIR/hosts" TUBES_RESOLV_CONF="$BATS_TEST_TMPDIR/resolv.conf"
	ping-lite -c 1 -W 1 127.0.0.1 >/dev/null 2>&1 || skip "no ping socket and no raw socket here"
	torture_alloc ping-lite -c 1 -W 1 here.test
	[ "$TORTURE_N" -ge 1 ]
	torture_alloc ping-lite -c 1 -W 1 -4 www.lab.test
	[ "$TORTURE_N" -ge 2 ]
	# a failed allocation in the lookup is a local error, never "unknown host"
	run env TUBES_FAIL_ALLOC=1 ping-lite -c 1 -W 1 www.lab.test
	[ "$status" -eq 2 ]
	torture_alloc trace -q 1 -w 1 -m 2 www.lab.test
	[ "$TORTURE_N" -ge 1 ]
}
