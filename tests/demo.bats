#!/usr/bin/env bats
# make demo (demo/demo.sh): every step passes, the namespaces are always
# removed, DEMO_LAYERS=1 decodes every step, and without root it says so.

load lib/common

DEMO_O=${O:-build/rel}

# the namespaces of one run: the demo names its tag in its output
demo_tag() { sed -n 's/.*(tb-demo-\([0-9a-f]*\)-\*).*/\1/p' <<<"$output" | head -1; }

@test "demo: every step does what it says, within 30 s, and leaves no namespace" {
	need_root
	local t0 t1 tag
	t0=$(date +%s)
	O=$DEMO_O run timeout 60 bash "$TOP/demo/demo.sh"
	t1=$(date +%s)
	echo "$output"
	[ "$status" -eq 0 ]
	[ $((t1 - t0)) -lt 30 ]
	[[ "$output" == *"every step did what it said"* ]]
	[[ "$output" != *"FAILED"* ]]
	# each step is narrated and shows its command
	grep -q '^laptop\$ arpq 10\.0\.0\.1' <<<"$output"
	grep -q '^laptop\$ dig-lite +trace +roothints=root\.hints www\.kindoldaunts\.example A' <<<"$output"
	grep -q '^laptop\$ ping-lite -c 3 ' <<<"$output"
	grep -q '^laptop\$ httpget -v http://www\.kindoldaunts\.example/' <<<"$output"
	grep -q '^laptop\$ dig-lite kindoldaunts\.example MX' <<<"$output"
	grep -q '^laptop\$ smtpsend .* AuntMartha@kindoldaunts\.example < birthday\.txt' <<<"$output"
	grep -q '^laptop\$ pop3get .*pop3://mail\.kindoldaunts\.example/' <<<"$output"
	[ "$(grep -c '^    ok: ' <<<"$output")" -ge 7 ]
	grep -q '^laptop\$ trace -n www\.kindoldaunts\.example' <<<"$output"
	[ "$(grep -c '^    ok: ' <<<"$output")" -eq 9 ]
	# Aunt Martha's homework (seed 001): 5,732 bytes in 512-byte segments, a
	# window of 5, packet #4 lost once and sent again; the counts are the segments shown
	grep -q '^laptop\$ smtpsend -X --tls off -s 10\.203\.98\.25 -f nephew@home\.example AuntMartha@kindoldaunts\.example < hw\.eml' <<<"$output"
	grep -q '^    the message: 11 segments of 512 bytes and one of 103 (the last 100 bytes and the end-of-data dot), 13 sent with the one sent again$' <<<"$output"
	grep -q '^    packet #4 of the message (its bytes 1536-2047, relative seq [0-9]*) never reached her: isp3 dropped it$' <<<"$output"
	grep -Eq '^    how the laptop knew: her server went on acknowledging byte [0-9]+, [0-9]+ duplicate ACKs, so it sent those bytes again \((fast retransmit|after a timeout)\)$' <<<"$output"
	local hw segs
	hw=$(sed -n '/^==> \[9\/9\] Aunt Martha/,/^    ok: /p' <<<"$output")
	segs=$(grep -c '^    --- TCP segment ' <<<"$hw")
	grep -q "^    $segs segments in all, " <<<"$hw"
	[ "$(grep -c '^    --- TCP segment sent \[[A-Z,]*\], 512 bytes of data' <<<"$hw")" -eq 12 ]
	[ "$(grep -c '^    --- TCP segment sent \[SYN\]' <<<"$hw")" -eq 1 ]
	tag=$(demo_tag)
	[ -n "$tag" ]
	! ip netns list | grep -q "tb-demo-$tag-"
}

@test "demo: DEMO_LAYERS=1 adds the layer view to every step" {
	need_root
	O=$DEMO_O DEMO_LAYERS=1 run timeout 60 bash "$TOP/demo/demo.sh"
	[ "$status" -eq 0 ]
	grep -q '^laptop\$ arpq -X ' <<<"$output"
	grep -q '^laptop\$ dig-lite -X +trace ' <<<"$output"
	grep -q '^laptop\$ ping-lite -X ' <<<"$output"
	grep -q '^laptop\$ trace -X ' <<<"$output"
	grep -q '^laptop\$ httpget -v --layers ' <<<"$output"
	grep -q '^laptop\$ smtpsend -v -X ' <<<"$output"
	grep -q '^laptop\$ pop3get -X ' <<<"$output"
	# the ARP request and the DNS header decoded field by field
	grep -qi 'arp' <<<"$output"
	[ "$(wc -l <<<"$output")" -gt 300 ]
	tag=$(demo_tag)
	! ip netns list | grep -q "tb-demo-$tag-"
}

@test "demo: killed half-way, it still removes its namespaces and servers" {
	need_root
	local log=$BATS_TEST_TMPDIR/demo.log pid tag i st=0 p peers
	O=$DEMO_O bash "$TOP/demo/demo.sh" >"$log" 2>&1 &
	pid=$!
	# wait until the servers are up (the "built in" line), then kill it
	for ((i = 0; i < 500; i++)); do
		grep -q 'built in' "$log" && break
		sleep 0.02
	done
	grep -q 'built in' "$log"
	tag=$(sed -n 's/.*(tb-demo-\([0-9a-f]*\)-\*).*/\1/p' "$log" | head -1)
	[ -n "$tag" ]
	peers=$(ip netns pids "tb-demo-$tag-root"; ip netns pids "tb-demo-$tag-web")
	[ -n "$peers" ]
	kill -TERM "$pid"
	wait "$pid" || st=$?
	[ "$st" -ne 0 ]
	! ip netns list | grep -q "tb-demo-$tag-"
	for p in $peers; do
		! kill -0 "$p" 2>/dev/null
	done
}

@test "demo: without root, a clear message and exit 2" {
	need_cmd setpriv
	[ "$(id -u)" = 0 ] || skip "needs root to become another user (as a user, run it directly)"
	# the script from a directory nobody can read (a checkout under /root
	# is not): it must say "needs root" before it needs anything else
	local d
	d=$(mktemp -d /tmp/tubes-demo-user.XXXXXX)
	mkdir "$d/demo"
	cp "$TOP/demo/demo.sh" "$d/demo/"
	chmod -R a+rX "$d"
	run setpriv --reuid=65534 --regid=65534 --clear-groups env O="$DEMO_O" bash "$d/demo/demo.sh"
	rm -rf "$d"
	[ "$status" -eq 2 ]
	[[ "$output" == *"needs root"* ]]
	[[ "$output" == *"sudo make demo"* ]]
}
