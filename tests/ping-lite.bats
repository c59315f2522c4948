#!/usr/bin/env bats
# ping-lite: loopback, a client - r1 - server chain of namespaces made here,
# the hostile echo replies of hostile-peers.md B.2 (ICMP-01..12) from
# tests/peers/icmpresponder, unprivileged runs, and line-by-line comparison
# with iputils ping.  Namespaces: tb-ip-$$-N-*, always deleted in teardown.

load lib/common
load lib/netns

NSP=""
PIDS=()

teardown() {
	local p n
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	PIDS=()
	if [ -n "$NSP" ]; then
		for n in c r s; do ip netns del "$NSP-$n" 2>/dev/null; done
	fi
	ns_teardown
	return 0
}

# numbers masked, so two pings' outputs compare line by line
mask() { sed -E 's/[0-9]+(\.[0-9]+)?/N/g'; }

# chain: client (10.77.0.1, fd00:77::1) - r1 (.254 / ::fe both sides) - server (10.77.1.2, fd00:77:1::2)
ip_chain() {
	need_root
	NSP="tb-ip-$$-$BATS_TEST_NUMBER"
	C=$NSP-c R=$NSP-r S=$NSP-s
	ip netns add "$C" && ip netns add "$R" && ip netns add "$S" || skip "cannot create namespaces"
	ip link add c0 netns "$C" type veth peer name r0 netns "$R"
	ip link add r1 netns "$R" type veth peer name s0 netns "$S"
	local n
	for n in "$C" "$R" "$S"; do ip -n "$n" link set lo up; done
	ip -n "$C" addr add 10.77.0.1/24 dev c0
	ip -n "$C" addr add fd00:77::1/64 dev c0 nodad
	ip -n "$R" addr add 10.77.0.254/24 dev r0
	ip -n "$R" addr add fd00:77::fe/64 dev r0 nodad
	ip -n "$R" addr add 10.77.1.254/24 dev r1
	ip -n "$R" addr add fd00:77:1::fe/64 dev r1 nodad
	ip -n "$S" addr add 10.77.1.2/24 dev s0
	ip -n "$S" addr add fd00:77:1::2/64 dev s0 nodad
	ip -n "$C" link set c0 up
	ip -n "$R" link set r0 up
	ip -n "$R" link set r1 up
	ip -n "$S" link set s0 up
	ip -n "$C" route add default via 10.77.0.254
	ip -n "$C" -6 route add default via fd00:77::fe
	ip -n "$S" route add default via 10.77.1.254
	ip -n "$S" -6 route add default via fd00:77:1::fe
	ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
	ip netns exec "$S" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
	# warm the neighbour caches: the kernel drops an ICMPv6 error that races the
	# first neighbour discovery (iputils ping loses it the same way)
	ip netns exec "$C" ping-lite -c 1 -W 2 fd00:77::fe >/dev/null 2>&1
	ip netns exec "$S" ping-lite -c 1 -W 2 fd00:77:1::fe >/dev/null 2>&1
	ip netns exec "$C" ping-lite -c 1 -W 2 10.77.0.254 >/dev/null 2>&1
	ip netns exec "$S" ping-lite -c 1 -W 2 10.77.1.254 >/dev/null 2>&1
	return 0
}

# pair: client c0 10.77.0.1 <-> server s0 10.77.0.2 whose kernel ignores echo requests
ip_pair() {
	need_root
	NSP="tb-ip-$$-$BATS_TEST_NUMBER"
	C=$NSP-c S=$NSP-s
	ip netns add "$C" && ip netns add "$S" || skip "cannot create namespaces"
	ip link add c0 netns "$C" type veth peer name s0 netns "$S"
	ip -n "$C" link set lo up
	ip -n "$S" link set lo up
	ip -n "$C" addr add 10.77.0.1/24 dev c0
	ip -n "$S" addr add 10.77.0.2/24 dev s0
	ip -n "$C" link set c0 up
	ip -n "$S" link set s0 up
	ip -n "$C" addr add fd00:77::1/64 dev c0 nodad
	ip -n "$S" addr add fd00:77::2/64 dev s0 nodad
	ip netns exec "$S" sysctl -qw net.ipv4.icmp_echo_ignore_all=1 net.ipv6.icmp.echo_ignore_all=1
}

# responder MODE: start the hostile responder on s0
responder() {
	local ready="$BATS_TEST_TMPDIR/ready"
	rm -f "$ready"
	ip netns exec "$S" "$TESTBIN/icmpresponder" s0 "$1" "$ready" 30 &
	PIDS+=($!)
	wait_file "$ready"
}

inc() { ip netns exec "$C" "$@"; }

@test "ping-lite: --help to stdout exits 0, -V names tubes, usage errors exit 2" {
	run ping-lite --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: ping-lite [-4|-6] [-c count]"* ]]
	[[ "$output" == *"--until down[=N]"* ]]
	run ping-lite -V
	[ "$status" -eq 0 ]
	[ "$output" = "ping-lite (tubes) 0.1.0" ]
	run ping-lite
	[ "$status" -eq 2 ]
	run ping-lite -Z 127.0.0.1
	[ "$status" -eq 2 ]
	run ping-lite -c 0 127.0.0.1
	[ "$status" -eq 2 ]
	run ping-lite -t 256 127.0.0.1
	[ "$status" -eq 2 ]
	run ping-lite -s 65508 127.0.0.1
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid packet size"* ]]
	run ping-lite -p xyz 127.0.0.1
	[ "$status" -eq 2 ]
	[[ "$output" == *"hex digits"* ]]
	run ping-lite -i 0.5x 127.0.0.1
	[ "$status" -eq 2 ]
	run ping-lite --until sideways 127.0.0.1
	[ "$status" -eq 2 ]
	run ping-lite 127.0.0.1 127.0.0.2
	[ "$status" -eq 2 ]
}

@test "ping-lite: a name that cannot be looked up exits 3 and says so (tests/contract.bats has the rest)" {
	printf '127.0.0.1 localhost\n' >"$BATS_TEST_TMPDIR/hosts"
	: >"$BATS_TEST_TMPDIR/resolv.conf"
	TUBES_HOSTS="$BATS_TEST_TMPDIR/hosts" TUBES_RESOLV_CONF="$BATS_TEST_TMPDIR/resolv.conf" \
		run ping-lite -c 1 nosuchhost.invalid
	[ "$status" -eq 3 ]
	[[ "$output" == "ping-lite: lookup of nosuchhost.invalid failed: 127.0.0.1"* ]]
}

@test "ping-lite: loopback IPv4, reply lines and summary as iputils" {
	run ping-lite -c 3 -i 0.2 127.0.0.1
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data." ]
	[[ "${lines[1]}" =~ ^64\ bytes\ from\ 127\.0\.0\.1:\ icmp_seq=1\ ttl=64\ time=[0-9]+\.[0-9]+\ ms$ ]]
	[[ "${lines[3]}" =~ icmp_seq=3 ]]
	[ "${lines[4]}" = "--- 127.0.0.1 ping statistics ---" ]
	[[ "${lines[5]}" =~ ^3\ packets\ transmitted,\ 3\ received,\ 0%\ packet\ loss,\ time\ [0-9]+ms$ ]]
	[[ "${lines[6]}" =~ ^rtt\ min/avg/max/mdev\ =\ [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+\ ms$ ]]
}

@test "ping-lite: loopback IPv6" {
	[ -e /proc/net/if_inet6 ] || skip "no IPv6"
	run ping-lite -6 -c 2 -i 0.2 ::1
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "PING ::1(::1) 56 data bytes" ]
	[[ "${lines[1]}" =~ ^64\ bytes\ from\ ::1:\ icmp_seq=1\ ttl=64\ time= ]]
	[[ "${lines[4]}" =~ ^2\ packets\ transmitted,\ 2\ received ]]
}

@test "ping-lite: every output line matches iputils ping, numbers masked" {
	need_cmd ping
	ping -c 1 -W 1 127.0.0.1 >/dev/null 2>&1 || skip "iputils ping cannot run here"
	local args
	for args in "-c 3 -i 0.2 127.0.0.1" "-c 2 -i 0.2 -s 0 127.0.0.1" "-c 2 -i 0.2 -s 8 127.0.0.1" \
	    "-q -c 2 -i 0.2 127.0.0.1" "-c 2 -i 0.2 -D 127.0.0.1" "-c 1 -p abcd 127.0.0.1" \
	    "-c 3 -l 3 -i 0.2 127.0.0.1" "-c 1 -I 127.0.0.1 127.0.0.1" "-c 1 -I lo 127.0.0.1" \
	    "-c 2 -i 0.2 -t 7 127.0.0.1" "-c 1 localhost" "-c 2 -i 0.2 ::1" "-c 1 -6 -I lo ::1"; do
		# shellcheck disable=SC2086
		ping $args >"$BATS_TEST_TMPDIR/iputils" 2>&1
		local want=$?
		# shellcheck disable=SC2086
		ping-lite $args >"$BATS_TEST_TMPDIR/lite" 2>&1
		local got=$?
		echo "# ping $args: exit $want / $got"
		diff <(mask <"$BATS_TEST_TMPDIR/iputils") <(mask <"$BATS_TEST_TMPDIR/lite")
		[ "$want" -eq "$got" ]
	done
}

@test "ping-lite: -j writes one event per line and a summary with the exit code" {
	need_cmd jq
	run ping-lite -j -c 2 -i 0.2 127.0.0.1
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	local l
	for l in "${lines[@]}"; do echo "$l" | jq -e . >/dev/null; done
	echo "${lines[0]}" | jq -e '.type == "start" and .addr == "127.0.0.1" and .data_bytes == 56'
	echo "${lines[1]}" | jq -e '.type == "reply" and .seq == 1 and .ttl == 64 and (.rtt_ms | type) == "number" and (.time | test("^20[0-9-]+T"))'
	echo "${lines[3]}" | jq -e '.type == "summary" and .transmitted == 2 and .received == 2 and .exit == 0 and .loss_pct == 0'
}

@test "ping-lite: -X decodes each request and reply, field by field, then hex" {
	run ping-lite -X -c 1 127.0.0.1
	[ "$status" -eq 0 ]
	[[ "$output" == *"--- sent 64 bytes to 127.0.0.1 (ICMP echo request, seq 1) ---"* ]]
	[[ "$output" == *"Type                   8 (echo-request)"* ]]
	[[ "$output" == *"--- received"* ]]
	[[ "$output" == *"Type                   0 (echo-reply)"* ]]
	[[ "$output" == *"Checksum               0x"*"[correct]"* ]]
	[[ "$output" == *"  0000  "* ]]
	[[ "$output" == *"64 bytes from 127.0.0.1: icmp_seq=1"* ]]
}

@test "ping-lite: --until up exits 0 at the first reply" {
	run ping-lite --until up -i 0.2 127.0.0.1
	[ "$status" -eq 0 ]
	[[ "$output" == *"1 packets transmitted, 1 received"* ]]
}

@test "ping-lite: -c with -w keeps sending until count replies came" {
	run ping-lite -c 2 -w 3 -i 0.2 127.0.0.1
	[ "$status" -eq 0 ]
	[[ "$output" == *"2 packets transmitted, 2 received"* ]]
}

@test "ping-lite: SIGINT prints the summary and exits by the results; SIGQUIT the interim line" {
	ping-lite -i 0.2 127.0.0.1 >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	local pid=$!
	PIDS+=("$pid")
	local i
	for ((i = 0; i < 250; i++)); do
		grep -q 'icmp_seq=2 ' "$BATS_TEST_TMPDIR/out" && break
		sleep 0.02
	done
	kill -QUIT "$pid"
	for ((i = 0; i < 250; i++)); do
		grep -q 'packets' "$BATS_TEST_TMPDIR/err" && break
		sleep 0.02
	done
	kill -INT "$pid"
	wait "$pid"
	local rc=$?
	PIDS=()
	[ "$rc" -eq 0 ]
	grep -q '^--- 127.0.0.1 ping statistics ---$' "$BATS_TEST_TMPDIR/out"
	grep -Eq '^[0-9]+ packets transmitted, [0-9]+ received' "$BATS_TEST_TMPDIR/out"
	grep -Eq '[0-9]+/[0-9]+ packets, [0-9]+% loss, min/avg/ewma/max = ' "$BATS_TEST_TMPDIR/err"
}

@test "ping-lite: flood -f prints a dot per request and the ipg/ewma summary" {
	need_root
	run ping-lite -f -c 50 127.0.0.1
	[ "$status" -eq 0 ]
	[[ "$output" == *"50 packets transmitted, 50 received"* ]]
	[[ "$output" == *"ipg/ewma"* ]]
}

@test "ping-lite: a user may not flood (as iputils)" {
	need_root
	command -v setpriv >/dev/null || skip "setpriv not installed"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN/ping-lite" -f -c 1 127.0.0.1
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot flood; minimal interval allowed for user is 2ms"* ]]
}

@test "ping-lite: through r1 to the server, IPv4 and IPv6 (ttl 63)" {
	ip_chain
	run inc ping-lite -c 2 -i 0.2 -W 2 10.77.1.2
	[ "$status" -eq 0 ]
	[[ "$output" == *"64 bytes from 10.77.1.2: icmp_seq=1 ttl=63 time="* ]]
	run inc ping-lite -c 2 -i 0.2 -W 2 fd00:77:1::2
	[ "$status" -eq 0 ]
	[[ "$output" == *"64 bytes from fd00:77:1::2: icmp_seq=2 ttl=63 time="* ]]
}

@test "ping-lite: a host that never answers: timeouts, 100% loss, exit 1; -O, -w, --until down" {
	ip_chain
	# r1 drops what it sends to .9 and .11 without a word: left to ARP, it answers
	# Host Unreachable once ARP has failed (3 s), which a slow run (valgrind) reaches
	ip -n "$R" route add blackhole 10.77.1.9/32
	ip -n "$R" route add blackhole 10.77.1.11/32
	run inc ping-lite -c 2 -i 0.2 -W 0.5 10.77.1.9
	[ "$status" -eq 1 ]
	[[ "$output" == *"2 packets transmitted, 0 received, 100% packet loss"* ]]
	run inc ping-lite -O -c 2 -i 0.3 -W 0.3 10.77.1.9
	[[ "$output" == *"no answer yet for icmp_seq=1"* ]]
	run inc ping-lite --until down=2 -i 0.2 10.77.1.9
	[ "$status" -eq 1 ]
	[[ "$output" =~ [23]\ packets\ transmitted,\ 0\ received,\ 100%\ packet\ loss ]]
	run inc ping-lite -w 1 -i 0.2 10.77.1.9
	[ "$status" -eq 1 ]
	[[ "$output" =~ [0-9]+\ packets\ transmitted,\ 0\ received,\ 100%\ packet\ loss,\ time\ [0-9]+ms ]]
	run inc ping-lite -c 2 -w 1 -i 0.2 10.77.1.2
	[ "$status" -eq 0 ]
	run inc ping-lite -j -c 1 -W 0.3 10.77.1.11
	[ "$status" -eq 1 ]
	[[ "$output" == *'"type":"timeout","seq":1'* ]]
	[[ "$output" == *'"exit":1}'* ]]
}

@test "ping-lite: -t 1 gives Time to live exceeded from r1 (IPv4 and IPv6), +1 errors, exit 1" {
	ip_chain
	run inc ping-lite -c 1 -t 1 -W 1 10.77.1.2
	[ "$status" -eq 1 ]
	[[ "$output" == *"From 10.77.0.254 icmp_seq=1 Time to live exceeded"* ]]
	[[ "$output" == *"1 packets transmitted, 0 received, +1 errors, 100% packet loss"* ]]
	run inc ping-lite -c 1 -t 1 -W 1 fd00:77:1::2
	[ "$status" -eq 1 ]
	[[ "$output" == *"From fd00:77::fe icmp_seq=1 Time exceeded: Hop limit"* ]]
}

@test "ping-lite: routes answering unreachable (net, host, prohibited), as iputils prints them" {
	# r1 sends at most 5 route errors in a burst (net.ipv4.route.error_burst, not per
	# namespace): this test asks for exactly five
	ip_chain
	ip -n "$R" route add unreachable 10.77.5.0/24
	ip -n "$R" route add prohibit 10.77.6.0/24
	run inc ping-lite -c 1 -W 1 10.78.0.1
	[ "$status" -eq 1 ]
	[[ "$output" == *"From 10.77.0.254 icmp_seq=1 Destination Net Unreachable"* ]]
	run inc ping-lite -c 1 -W 1 10.77.5.1
	[ "$status" -eq 1 ]
	[[ "$output" == *"From 10.77.0.254 icmp_seq=1 Destination Host Unreachable"* ]]
	[[ "$output" == *"1 packets transmitted, 0 received, +1 errors, 100% packet loss"* ]]
	run inc ping-lite -c 1 -W 1 10.77.6.1
	[[ "$output" == *"From 10.77.0.254 icmp_seq=1 Packet filtered"* ]]
	command -v ping >/dev/null || return 0
	inc ping -c 1 -W 1 10.77.5.1 >"$BATS_TEST_TMPDIR/iputils" 2>&1 || true
	inc ping-lite -c 1 -W 1 10.77.5.1 >"$BATS_TEST_TMPDIR/lite" 2>&1 || true
	diff <(mask <"$BATS_TEST_TMPDIR/iputils") <(mask <"$BATS_TEST_TMPDIR/lite")
}

@test "ping-lite: ping socket (ping_group_range set): replies, and errors from the error queue" {
	ip_chain
	need_cmd jq
	inc sysctl -qw net.ipv4.ping_group_range="0 2147483647"
	run inc ping-lite -j -c 1 -W 2 10.77.1.2
	[ "$status" -eq 0 ]
	echo "${lines[0]}" | jq -e '.socket == "dgram"'
	echo "${lines[1]}" | jq -e '.type == "reply" and .ttl == 63'
	run inc ping-lite -c 1 -t 1 -W 1 10.77.1.2
	[ "$status" -eq 1 ]
	[[ "$output" == *"From 10.77.0.254 icmp_seq=1 Time to live exceeded"* ]]
	run inc ping-lite -c 1 -t 1 -W 1 fd00:77:1::2
	[[ "$output" == *"From fd00:77::fe icmp_seq=1 Time exceeded: Hop limit"* ]]
}

@test "ping-lite: unprivileged, without ping_group_range: names the sysctl and cap_net_raw, exit 2" {
	ip_chain
	command -v setpriv >/dev/null || skip "setpriv not installed"
	inc sysctl -qw net.ipv4.ping_group_range="1 0"
	run inc setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN/ping-lite" -c 1 10.77.1.2
	[ "$status" -eq 2 ]
	[[ "$output" == *"net.ipv4.ping_group_range"* ]]
	[[ "$output" == *"cap_net_raw"* ]]
}

@test "ping-lite: unprivileged, with ping_group_range: a ping socket works" {
	ip_chain
	command -v setpriv >/dev/null || skip "setpriv not installed"
	inc sysctl -qw net.ipv4.ping_group_range="0 2147483647"
	run inc setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN/ping-lite" -c 2 -i 0.2 -W 2 10.77.1.2
	[ "$status" -eq 0 ]
	[[ "$output" == *"2 packets transmitted, 2 received"* ]]
	[[ "$output" == *"ttl=63"* ]]
}

@test "ping-lite: installed setuid root, it opens the raw socket and then is nobody, all four IDs" {
	ip_chain
	command -v setpriv >/dev/null || skip "setpriv not installed"
	[ "${VALGRIND:-}" != 1 ] || skip "under valgrind the command is a wrapper script, and a script cannot be setuid"
	inc sysctl -qw net.ipv4.ping_group_range="1 0"	# no ping socket: the raw one it is
	local d
	d=$(mktemp -d /tmp/tb-suid.XXXXXX)
	cp "$BIN/ping-lite" "$d/" && chmod 755 "$d" && chmod 4755 "$d/ping-lite"
	# not through inc: a function would run in a subshell, and $! be that
	ip netns exec "$C" setpriv --reuid=65534 --regid=65534 --clear-groups "$d/ping-lite" \
	    -c 3 -i 1 -W 2 10.77.1.2 >"$BATS_TEST_TMPDIR/out" 2>&1 &
	local pid=$! i st=
	# ip execs setpriv, which execs ping-lite: $! is ping-lite once the
	# first reply is printed, and it runs two more seconds
	for ((i = 0; i < 100; i++)); do
		grep -q 'bytes from' "$BATS_TEST_TMPDIR/out" && break
		sleep 0.05
	done
	st=$(grep -E '^(Uid|Gid):' "/proc/$pid/status" 2>/dev/null | tr -s '\t ' ' ')
	wait "$pid"
	rc=$?
	rm -rf "$d"
	[ "$rc" -eq 0 ]
	grep -q '3 packets transmitted, 3 received' "$BATS_TEST_TMPDIR/out"
	[ "$st" = $'Uid: 65534 65534 65534 65534\nGid: 65534 65534 65534 65534' ]
}

@test "ping-lite: netem duplicates are marked (DUP!) and counted; loss counted" {
	ip_chain
	ip netns exec "$S" tc qdisc add dev s0 root netem duplicate 100% 2>/dev/null ||
		skip "netem not available (sch_netem)"
	run inc ping-lite -c 2 -i 0.3 -W 2 10.77.1.2
	[ "$status" -eq 0 ]
	[[ "$output" == *"(DUP!)"* ]]
	[[ "$output" == *"2 packets transmitted, 2 received, +2 duplicates"* ]]
	ip netns exec "$S" tc qdisc change dev s0 root netem loss 100%
	run inc ping-lite -c 2 -i 0.2 -W 0.5 10.77.1.2
	[ "$status" -eq 1 ]
	[[ "$output" == *"2 packets transmitted, 0 received, 100% packet loss"* ]]
}

@test "ICMP responder sanity: a correct reply is counted (the hostile cases below can fail)" {
	ip_pair
	responder normal
	run inc ping-lite -c 2 -i 0.2 -W 1 10.77.0.2
	[ "$status" -eq 0 ]
	[[ "$output" == *"2 packets transmitted, 2 received, 0% packet loss"* ]]
}

@test "ICMP-01: replies with another identifier are dropped without a word" {
	ip_pair
	responder wrongid
	run inc ping-lite -c 2 -i 0.2 -W 0.5 10.77.0.2
	[ "$status" -eq 1 ]
	[[ "$output" != *"bytes from"* ]]
	[[ "$output" == *"2 packets transmitted, 0 received, 100% packet loss"* ]]
}

@test "ICMP-02: a 4-byte ICMP reply is dropped" {
	ip_pair
	responder short
	run inc ping-lite -c 2 -i 0.2 -W 0.5 10.77.0.2
	[ "$status" -eq 1 ]
	[[ "$output" == *"2 packets transmitted, 0 received, 100% packet loss"* ]]
}

@test "ICMP-03: time exceeded quoting a too-short datagram is ignored" {
	ip_pair
	responder shortquote
	run inc ping-lite -c 2 -i 0.2 -W 0.5 10.77.0.2
	[ "$status" -eq 1 ]
	[[ "$output" != *"From "* ]]
	[[ "$output" != *"errors"* ]]
}

@test "ICMP-04: time exceeded quoting another identifier is ignored" {
	ip_pair
	responder otherquote
	run inc ping-lite -c 2 -i 0.2 -W 0.5 10.77.0.2
	[ "$status" -eq 1 ]
	[[ "$output" != *"From "* ]]
	[[ "$output" != *"errors"* ]]
}

@test "ICMP-05: a reply from another address is flagged and not counted" {
	ip_pair
	responder spoof
	run inc ping-lite -c 2 -i 0.2 -W 0.5 10.77.0.2
	[ "$status" -eq 1 ]
	[[ "$output" == *"64 bytes from 10.77.0.3: icmp_seq=1 ttl=64 time="*"(DIFFERENT ADDRESS!)"* ]]
	[[ "$output" == *"2 packets transmitted, 0 received"* ]]
}

@test "ICMP-06: zero, huge and negative timestamps in the echoed data do not touch the RTT" {
	ip_pair
	local m
	for m in ts0 tshuge tsneg; do
		responder "$m"
		run inc ping-lite -c 2 -i 0.2 -W 1 10.77.0.2
		[ "$status" -eq 0 ]
		[[ "$output" == *"2 packets transmitted, 2 received"* ]]
		# every RTT well under a second: times are kept locally
		[[ "$output" =~ rtt\ min/avg/max/mdev\ =\ [0-9]{1,3}\.[0-9]+/[0-9.]+/[0-9]{1,3}\.[0-9]+/ ]]
		kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
		unset 'PIDS[-1]'
	done
}

@test "ICMP-07: duplicated replies are marked (DUP!) and not counted as received" {
	ip_pair
	responder dup
	run inc ping-lite -c 2 -i 0.3 -W 1 10.77.0.2
	[ "$status" -eq 0 ]
	[[ "$output" == *"icmp_seq=1 ttl=64 time="*"(DUP!)"* ]]
	# the run ends at the second reply: seq 2's copies are counted only if already queued
	[[ "$output" =~ 2\ packets\ transmitted,\ 2\ received,\ \+[24]\ duplicates,\ 0%\ packet\ loss ]]
}

@test "ICMP-08: replies with a bad checksum are counted apart as corrupted" {
	ip_pair
	responder badsum
	run inc ping-lite -c 2 -i 0.2 -W 0.5 10.77.0.2
	[ "$status" -eq 1 ]
	[[ "$output" == *"(BAD CHECKSUM!)"* ]]
	[[ "$output" == *"2 packets transmitted, 0 received, +2 corrupted, 100% packet loss"* ]]
}

@test "ICMP-09: a reply shorter than the request says (truncated); -s is bounded" {
	ip_pair
	responder trunc
	run inc ping-lite -c 1 -W 1 10.77.0.2
	[ "$status" -eq 0 ]
	[[ "$output" == *"16 bytes from 10.77.0.2: icmp_seq=1 ttl=64 (truncated)"* ]]
	run ping-lite -c 1 -s 65508 127.0.0.1
	[ "$status" -eq 2 ]
	run ping-lite -c 1 -s 99999999999999999999 127.0.0.1
	[ "$status" -eq 2 ]
}

@test "ICMP-09: the largest IPv4 echo (-s 65507) round-trips on loopback" {
	need_root
	run ping-lite -c 1 -s 65507 127.0.0.1
	[ "$status" -eq 0 ]
	[[ "$output" == *"65515 bytes from 127.0.0.1: icmp_seq=1"* ]]
}

@test "ICMP-10: a reply with a record-route option is parsed; a malformed option never fools us" {
	ip_pair
	responder optok
	run inc ping-lite -X -c 1 -W 1 10.77.0.2
	[ "$status" -eq 0 ]
	[[ "$output" == *"Option                 7 (Record Route), 7 bytes"* ]]
	kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
	unset 'PIDS[-1]'
	responder optbad
	run inc ping-lite -c 1 -W 0.5 10.77.0.2
	# the kernel drops it (parameter problem) or ping-lite shows it with the option cut short
	[ "$status" -le 1 ]
	[[ "$output" == *"1 packets transmitted"* ]]
}

@test "ICMP-01/03/04/05/06/07/08/09 over ICMPv6: the same verdicts" {
	ip_pair
	local m
	for m in normal wrongid shortquote otherquote spoof ts0 tshuge dup badsum trunc; do
		responder "$m"
		run inc ping-lite -c 2 -i 0.3 -W 2 fd00:77::2
		echo "# $m: exit $status"
		case $m in
		normal|ts0|tshuge)
			[ "$status" -eq 0 ]
			[[ "$output" == *"2 packets transmitted, 2 received, 0% packet loss"* ]] ;;
		wrongid|badsum)	# badsum: the kernel checks ICMPv6 checksums on raw sockets
			[ "$status" -eq 1 ]
			[[ "$output" != *"bytes from"* ]] ;;
		shortquote|otherquote)
			[ "$status" -eq 1 ]
			[[ "$output" != *"From "* ]] ;;
		spoof)
			[ "$status" -eq 1 ]
			[[ "$output" == *"64 bytes from fd00:77::3: icmp_seq=1 ttl=64 time="*"(DIFFERENT ADDRESS!)"* ]]
			[[ "$output" == *"2 packets transmitted, 0 received"* ]] ;;
		dup)
			[ "$status" -eq 0 ]
			[[ "$output" == *"(DUP!)"* ]]
			[[ "$output" =~ 2\ received,\ \+[0-9]+\ duplicates ]] ;;
		trunc)
			[ "$status" -eq 0 ]
			[[ "$output" == *"16 bytes from fd00:77::2: icmp_seq=1 ttl=64 (truncated)"* ]] ;;
		esac
		kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
		unset 'PIDS[-1]'
	done
}

@test "ICMP-12: a reply after the deadline is not counted" {
	ip_pair
	responder slow
	run inc ping-lite -c 1 -W 0.5 10.77.0.2
	[ "$status" -eq 1 ]
	[[ "$output" == *"1 packets transmitted, 0 received, 100% packet loss"* ]]
}

@test "ping-lite: the rig's 3-router chain: hop 2 and 3 expire, r3's unreachables, IPv4 and IPv6" {
	need_root
	ns_chain || skip "cannot build the chain"
	ns_unreachable
	# warm the neighbour caches along the path (first ICMPv6 errors race discovery)
	ns_exec client ping-lite -c 1 -W 3 "$CHAIN_SERVER" >/dev/null 2>&1 || true
	ns_exec client ping-lite -c 1 -W 3 "$CHAIN_SERVER6" >/dev/null 2>&1 || true
	run ns_exec client ping-lite -c 2 -i 0.2 "$CHAIN_SERVER"
	[ "$status" -eq 0 ]
	[[ "$output" == *"64 bytes from $CHAIN_SERVER: icmp_seq=1 ttl=61 time="* ]]
	run ns_exec client ping-lite -c 1 -t 2 -W 1 "$CHAIN_SERVER"
	[ "$status" -eq 1 ]
	[[ "$output" == *"From $CHAIN_R2 icmp_seq=1 Time to live exceeded"* ]]
	run ns_exec client ping-lite -c 1 -t 3 -W 1 "$CHAIN_SERVER6"
	[[ "$output" == *"From $CHAIN_R36 icmp_seq=1 Time exceeded: Hop limit"* ]]
	run ns_exec client ping-lite -c 1 -W 1 "$UNREACH_NET"
	[[ "$output" == *"From $CHAIN_R3 icmp_seq=1 Destination Net Unreachable"* ]]
	run ns_exec client ping-lite -c 1 -W 1 "$UNREACH_HOST6"
	[[ "$output" == *"From $CHAIN_R36 icmp_seq=1 Destination unreachable: "* ]]
	run ns_exec client ping-lite -c 1 -W 1 "$UNREACH_ADMIN6"
	[[ "$output" == *"From $CHAIN_R36 icmp_seq=1 Destination unreachable: Administratively prohibited"* ]]
	run ns_exec client ping-lite -j -c 1 -W 1 "$UNREACH_NET6"
	[ "$status" -eq 1 ]
	[[ "$output" == *'"type":"error","seq":1'*'"icmp_type":"unreachable","icmp_code":"no-route","text":"Destination unreachable: No route"'* ]]
	# a probe answered by an ICMP error is not also a timeout (-j, -O)
	[[ "$output" != *'"type":"timeout"'* ]]
	run ns_exec client ping-lite -j -c 2 -i 0.2 -W 0.5 "$UNREACH_NET"
	[ "$(grep -c '"type":"error"' <<<"$output")" -eq 2 ]
	[ "$(grep -c '"type":"timeout"' <<<"$output")" -eq 0 ]
	run ns_exec client ping-lite -O -c 2 -i 0.2 -W 0.5 -t 2 "$CHAIN_SERVER"
	[ "$(grep -c 'Time to live exceeded' <<<"$output")" -eq 2 ]
	[[ "$output" != *"no answer yet"* ]]
}

# dual NAME: ping-lite -c 1 NAME in the chain's client, names from a hosts
# file of our own; prints the address of the PING line
dual() {
	ns_exec client env TUBES_HOSTS="$BATS_TEST_TMPDIR/hosts" \
		TUBES_RESOLV_CONF="$BATS_TEST_TMPDIR/resolv.conf" ping-lite -c 1 -W 2 "$@"
}

@test "ping-lite NAME with A and AAAA: RFC 6724's order with the kernel's sources (one family routed, then both)" {
	need_root
	ns_chain || skip "cannot build the chain"
	: >"$BATS_TEST_TMPDIR/resolv.conf"
	# the same name both ways round: the order in the file must not decide
	printf '%s v6first.test\n%s v6first.test\n%s v4first.test\n%s v4first.test\n' \
		"$CHAIN_SERVER6" "$CHAIN_SERVER" "$CHAIN_SERVER" "$CHAIN_SERVER6" >"$BATS_TEST_TMPDIR/hosts"
	ns_exec client ping-lite -c 1 -W 3 "$CHAIN_SERVER" >/dev/null 2>&1 || true
	ns_exec client ping-lite -c 1 -W 3 "$CHAIN_SERVER6" >/dev/null 2>&1 || true
	local n
	# both routed: the ULA (precedence 3) goes after IPv4 (35), as RFC 6724 2.1 has it
	for n in v6first.test v4first.test; do
		run dual "$n"
		echo "$output"
		[ "$status" -eq 0 ]
		[ "${lines[0]}" = "PING $n ($CHAIN_SERVER) 56(84) bytes of data." ]
	done
	# -6 still asks for the IPv6 address only
	run dual -6 v4first.test
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "PING v4first.test("*".test ($CHAIN_SERVER6)) 56 data bytes" ]]
	# only IPv6 routed: no route to the IPv4 address, so the IPv6 one whatever the order
	ip -n "$NS_CLIENT" route del default
	for n in v6first.test v4first.test; do
		run dual "$n"
		echo "$output"
		[ "$status" -eq 0 ]
		[[ "${lines[0]}" == "PING $n("*".test ($CHAIN_SERVER6)) 56 data bytes" ]]
		[[ "$output" == *"64 bytes from "*"$CHAIN_SERVER6"*"icmp_seq=1"* ]]
	done
	# only IPv4 routed
	ip -n "$NS_CLIENT" route add default via "$CHAIN_R1"
	ip -n "$NS_CLIENT" -6 route del default
	for n in v6first.test v4first.test; do
		run dual "$n"
		echo "$output"
		[ "$status" -eq 0 ]
		[ "${lines[0]}" = "PING $n ($CHAIN_SERVER) 56(84) bytes of data." ]
	done
	# neither: the order of precedence, and the error of the one tried
	ip -n "$NS_CLIENT" route del default
	run dual v4first.test
	[ "$status" -ne 0 ]
}

@test "ping-lite NAME with ::1 and 127.0.0.1: ::1 first (precedence 50 over 35), as getaddrinfo" {
	printf '127.0.0.1 lo.test\n::1 lo.test\n' >"$BATS_TEST_TMPDIR/hosts"
	: >"$BATS_TEST_TMPDIR/resolv.conf"
	TUBES_HOSTS="$BATS_TEST_TMPDIR/hosts" TUBES_RESOLV_CONF="$BATS_TEST_TMPDIR/resolv.conf" \
		run ping-lite -c 1 lo.test
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "PING lo.test(lo.test (::1)) 56 data bytes" ]
	TUBES_HOSTS="$BATS_TEST_TMPDIR/hosts" TUBES_RESOLV_CONF="$BATS_TEST_TMPDIR/resolv.conf" \
		run ping-lite -4 -c 1 lo.test
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "PING lo.test (127.0.0.1) 56(84) bytes of data." ]
}
