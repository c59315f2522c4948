#!/usr/bin/env bats
# trace: the command line; then, in a client - r1 - r2 - r3 - server chain
# of namespaces (tests/lib/netns.bash, made and deleted per test): UDP,
# ICMP and TCP traces over IPv4 and IPv6, a silent router, unreachable
# routes, max hops, the unprivileged path, TCP to an open and a closed
# port, JSON and -X, and the same hops as traceroute line by line.

load lib/common
load lib/netns
load lib/peer
bats_require_minimum_version 1.5.0

setup() {
	TMPB=$(mktemp -d)
	chmod 755 "$TMPB"
	cp "$BIN/trace" "$TMPB/trace"
	chmod 755 "$TMPB/trace"
	export TUBES_RESOLV_CONF=$TMPB/resolv.conf	# no name server: no slow reverse lookups
	: >"$TUBES_RESOLV_CONF"
	export TUBES_HOSTS=$TMPB/hosts
	: >"$TUBES_HOSTS"
}

teardown() {
	peer_stop
	ns_teardown
	rm -rf "$TMPB"
}

# chain: the topology, with the neighbour caches warm (an ICMP error that
# races the first neighbour discovery is dropped by the kernel, for
# traceroute as well)
chain() {
	need_root
	ns_chain || skip "cannot create namespaces"
	ns_exec client ping-lite -c 1 -W 2 "$CHAIN_SERVER" >/dev/null 2>&1
	ns_exec client ping-lite -c 1 -W 2 "$CHAIN_SERVER6" >/dev/null 2>&1
	return 0
}

trc() { ns_exec client "$TMPB/trace" "$@"; }
unpriv() { ns_exec client setpriv --reuid=nobody --regid=nogroup --clear-groups "$TMPB/trace" "$@"; }

# hops_are ADDR...: the hop lines after the header are exactly these
# addresses, in order, every probe answered
hops_are() {
	local i=1 a
	for a in "$@"; do
		[[ "${lines[i]}" =~ ^\ ?$i\ \ $a(\ \ [0-9]+\.[0-9]{3}\ ms){3}$ ]] ||
			{ echo "line $i: '${lines[i]}', want $a with 3 times"; return 1; }
		i=$((i + 1))
	done
}

chain4() { hops_are "$CHAIN_R1" "$CHAIN_R2" "$CHAIN_R3" "$CHAIN_SERVER"; }
chain6() {
	hops_are "${CHAIN_R16/a:0::/a::}" "$CHAIN_R26" "$CHAIN_R36" "$CHAIN_SERVER6"
}

@test "trace -h prints usage on stdout and exits 0; -V the version" {
	run "$BIN/trace" -h
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: trace [-4|-6] [-n] [-I|-T|-U] [-f first_ttl]"* ]]
	run "$BIN/trace" -V
	[ "$status" -eq 0 ]
	[ "$output" = "trace (tubes) 0.1.0" ]
}

@test "trace: usage errors exit 2" {
	run "$BIN/trace"
	[ "$status" -eq 2 ]
	run "$BIN/trace" -Z 127.0.0.1
	[ "$status" -eq 2 ]
	run "$BIN/trace" -f 5 -m 4 127.0.0.1
	[ "$status" -eq 2 ]
	[[ "$output" == *"first ttl (5) is greater than max ttl (4)"* ]]
	run "$BIN/trace" -q 11 127.0.0.1
	[ "$status" -eq 2 ]
	run "$BIN/trace" -w 0 127.0.0.1
	[ "$status" -eq 2 ]
	run "$BIN/trace" -w 1,x 127.0.0.1
	[ "$status" -eq 2 ]
	run "$BIN/trace" -p 65500 127.0.0.1
	[ "$status" -eq 2 ]
	run "$BIN/trace" -s ::1 -4 127.0.0.1
	[ "$status" -eq 2 ]
	run "$BIN/trace" 127.0.0.1 extra
	[ "$status" -eq 2 ]
}

@test "trace: a name the resolver cannot look up (no server answers) exits 3" {
	run "$BIN/trace" -n no-such-host.invalid
	[ "$status" -eq 3 ]
	[[ "$output" == "trace: lookup of no-such-host.invalid failed: 127.0.0.1: "* ]]
}

@test "trace: UDP over IPv4 lists r1, r2, r3, the server, and exits 0" {
	chain
	run trc -n "$CHAIN_SERVER"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "trace to 10.10.3.2 (10.10.3.2), 30 hops max, 60 byte packets" ]
	chain4
	[ "${lines[5]}" = "trace: stop reason=reached hops=4" ]
	[ "${#lines[@]}" -eq 6 ]
}

@test "trace -I: ICMP echo over IPv4 lists the chain and exits 0" {
	chain
	run trc -n -I "$CHAIN_SERVER"
	[ "$status" -eq 0 ]
	chain4
	[ "${lines[5]}" = "trace: stop reason=reached hops=4" ]
}

@test "trace -T: TCP SYN over IPv4 to a closed port 80 (RST) lists the chain and exits 0" {
	chain
	run trc -n -T "$CHAIN_SERVER"
	[ "$status" -eq 0 ]
	chain4
	[ "${lines[5]}" = "trace: stop reason=reached hops=4" ]
}

@test "trace -6: UDP, ICMP and TCP over IPv6 list the chain and exit 0" {
	chain
	run trc -n -6 "$CHAIN_SERVER6"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "trace to fd00:a:3::2 (fd00:a:3::2), 30 hops max, 80 byte packets" ]
	chain6
	run trc -n -I "$CHAIN_SERVER6"
	[ "$status" -eq 0 ]
	chain6
	run trc -n -T "$CHAIN_SERVER6"
	[ "$status" -eq 0 ]
	chain6
	[ "${lines[5]}" = "trace: stop reason=reached hops=4" ]
}

@test "trace -T to an open port: SYN-ACK from the listener; a closed port: RST" {
	chain
	echo accept >"$TMPB/open.peer"
	PEER_NS=$NS_SERVER peer_start "$TMPB/open.peer" -a "$CHAIN_SERVER" -T 10
	run trc -n -j -T -p "$PEER_PORT" "$CHAIN_SERVER"
	[ "$status" -eq 0 ]
	[[ "$output" == *'"ttl":4,"probe":1,"from":"10.10.3.2",'*'"kind":"tcp","tcp_flags":"SYN,ACK"'* ]]
	[[ "${lines[-1]}" == '{"type":"summary","address":"10.10.3.2","result":"reached","hops":4,'*'"exit":0}' ]]
	peer_stop
	closed=$(ns_exec server "$TESTBIN/freeport" -a "$CHAIN_SERVER" 1)
	run trc -n -j -T -p "$closed" "$CHAIN_SERVER"
	[ "$status" -eq 0 ]
	[[ "$output" == *'"kind":"tcp","tcp_flags":"RST,ACK"'* ]]
	[[ "$output" != *'SYN,ACK'* ]]
}

@test "trace: a silent r2 shows * * * and the trace still completes, at once" {
	chain
	ns_silent r2
	t0=$(date +%s%N)
	run trc -n "$CHAIN_SERVER"
	t1=$(date +%s%N)
	[ "$status" -eq 0 ]
	hops_are "$CHAIN_R1"
	[ "${lines[2]}" = " 2  * * *" ]
	[[ "${lines[3]}" == " 3  $CHAIN_R3  "* ]]
	[[ "${lines[4]}" == " 4  $CHAIN_SERVER  "* ]]
	[ "${lines[5]}" = "trace: stop reason=reached hops=4" ]
	# later hops answered: the silent hop was not waited out (5 s)
	[ $(( (t1 - t0) / 1000000 )) -lt 2000 ]
}

@test "trace -w 1,0,0 -q 3: a silent hop costs one wait, not one per probe" {
	[ "${VALGRIND:-}" != 1 ] || skip "a wall-clock bound means nothing under valgrind"
	chain
	ns_silent r2
	t0=$(date +%s%N)
	run trc -n -w 1,0,0 -q 3 "$CHAIN_SERVER"
	t1=$(date +%s%N)
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = " 2  * * *" ]
	ms=$(( (t1 - t0) / 1000000 ))
	echo "took $ms ms"
	[ "$ms" -ge 1000 ]
	[ "$ms" -lt 1500 ]
}

@test "trace -6: a silent r2 shows * * * and the trace completes" {
	chain
	ns_silent r2
	run trc -n -6 -I "$CHAIN_SERVER6"
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = " 2  * * *" ]
	[ "${lines[5]}" = "trace: stop reason=reached hops=4" ]
}

@test "trace: a route ending in net unreachable shows !N and exits 1" {
	chain
	ns_unreachable
	run trc -n "$UNREACH_NET"
	[ "$status" -eq 1 ]
	[[ "${lines[3]}" =~ ^\ 3\ \ 10\.10\.2\.2(\ \ [0-9.]+\ ms\ !N){3}$ ]]
	[ "${lines[4]}" = "trace: stop reason=unreachable(!N) hops=3" ]
	[ "${#lines[@]}" -eq 5 ]
}

@test "trace -6: administratively prohibited shows !X and exits 1; JSON says unreachable" {
	chain
	ns_unreachable
	run trc -n -6 "$UNREACH_ADMIN6"
	[ "$status" -eq 1 ]
	[[ "${lines[3]}" =~ ^\ 3\ \ fd00:a:2::2(\ \ [0-9.]+\ ms\ !X){3}$ ]]
	[ "${lines[4]}" = "trace: stop reason=unreachable(!X) hops=3" ]
	run trc -n -j -6 "$UNREACH_ADMIN6"
	[ "$status" -eq 1 ]
	[[ "${lines[-1]}" == '{"type":"summary","address":"fd00:97::1","result":"unreachable","annotation":"!X","hops":3,'*'"exit":1}' ]]
}

@test "trace -m 2: max hops reached without the destination exits 1" {
	chain
	run trc -n -m 2 "$CHAIN_SERVER"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "trace to 10.10.3.2 (10.10.3.2), 2 hops max, 60 byte packets" ]
	hops_are "$CHAIN_R1" "$CHAIN_R2"
	[ "${lines[3]}" = "trace: stop reason=max-hops hops=2" ]
}

@test "trace -f 3 -q 1 -N 1: starts at hop 3, one probe at a time" {
	chain
	run trc -n -f 3 -q 1 -N 1 "$CHAIN_SERVER"
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" =~ ^\ 3\ \ 10\.10\.2\.2\ \ [0-9.]+\ ms$ ]]
	[[ "${lines[2]}" =~ ^\ 4\ \ 10\.10\.3\.2\ \ [0-9.]+\ ms$ ]]
	[ "${lines[3]}" = "trace: stop reason=reached hops=4" ]
}

@test "trace as a user without privilege: UDP and ping-socket ICMP, IPv4 and IPv6" {
	chain
	need_cmd setpriv
	run unpriv -n "$CHAIN_SERVER"
	[ "$status" -eq 0 ]
	chain4
	run unpriv -n -6 "$CHAIN_SERVER6"
	[ "$status" -eq 0 ]
	chain6
	run unpriv -n -I "$CHAIN_SERVER"
	[ "$status" -eq 0 ]
	chain4
	run unpriv -n -I -6 "$CHAIN_SERVER6"
	[ "$status" -eq 0 ]
	chain6
}

@test "trace as a user: -X shows what the kernel quoted; -T needs a raw socket (exit 2)" {
	chain
	need_cmd setpriv
	run unpriv -n -X -q 1 "$CHAIN_SERVER"
	[ "$status" -eq 0 ]
	[[ "$output" == *"IPv4 and UDP headers: built by the kernel (ttl 1, destination port 33434)"* ]]
	[[ "$output" == *"error queue: 32 bytes the kernel quoted (ours)"* ]]
	[[ "$output" == *"Offender               10.10.0.2"* ]]
	[[ "$output" == *"Type                   3 (unreachable)"* ]]
	run unpriv -n -T "$CHAIN_SERVER"
	[ "$status" -eq 2 ]
	[[ "$output" == *"-T needs a raw socket (cap_net_raw"* ]]
}

@test "trace: the same hop addresses as traceroute, line by line (UDP, ICMP, IPv6)" {
	chain
	need_cmd traceroute
	local opts
	for opts in "-4" "-4 -I" "-6"; do
		local dst=$CHAIN_SERVER
		[[ "$opts" == *6* ]] && dst=$CHAIN_SERVER6
		# shellcheck disable=SC2086
		ours=$(trc -n $opts "$dst" | awk 'NR > 1 && /^ *[0-9]+ / { $0 = $0; s = $1; for (i = 2; i <= NF; i++) if ($i ~ /^[0-9a-f.:]+$/ && $i ~ /[.:].*[.:]/ && $(i + 1) != "ms") s = s " " $i; print s }')
		# shellcheck disable=SC2086
		theirs=$(ns_exec client traceroute -n $opts "$dst" | awk 'NR > 1 { s = $1; for (i = 2; i <= NF; i++) if ($i ~ /^[0-9a-f.:]+$/ && $i ~ /[.:].*[.:]/ && $(i + 1) != "ms") s = s " " $i; print s }')
		echo "ours:"; echo "$ours"; echo "traceroute:"; echo "$theirs"
		[ -n "$ours" ]
		[ "$ours" = "$theirs" ]
		[ "$(echo "$ours" | wc -l)" -eq 4 ]
	done
}

@test "trace: reverse names from the hosts file unless -n" {
	chain
	printf '%s r2.test\n%s server.test\n' "$CHAIN_R2" "$CHAIN_SERVER" >"$TUBES_HOSTS"
	run trc -q 1 "$CHAIN_SERVER"
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" =~ ^\ 1\ \ 10\.10\.0\.2\ \(10\.10\.0\.2\)\ \ [0-9.]+\ ms$ ]]
	[[ "${lines[2]}" =~ ^\ 2\ \ r2\.test\ \(10\.10\.1\.2\)\ \ [0-9.]+\ ms$ ]]
	[[ "${lines[4]}" =~ ^\ 4\ \ server\.test\ \(10\.10\.3\.2\)\ \ [0-9.]+\ ms$ ]]
	run trc -q 1 -j "$CHAIN_SERVER"
	[[ "$output" == *'{"type":"hop","ttl":2,"probes":[{"from":"10.10.1.2","name":"r2.test","rtt_ms":'* ]]
	[[ "$output" == *'{"type":"hop","ttl":1,"probes":[{"from":"10.10.0.2","rtt_ms":'* ]]
	run trc -q 1 -n "$CHAIN_SERVER"
	[[ "$output" != *r2.test* ]]
}

@test "trace -j: start, one reply per probe, one hop per hop in order, summary last" {
	chain
	need_cmd jq
	run trc -n -j "$CHAIN_SERVER"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e . >/dev/null
	[ "$(echo "$output" | head -1 | jq -r .type)" = start ]
	[ "$(echo "$output" | jq -r 'select(.type == "reply") | .from' | sort | uniq -c | awk '{ print $1 }' | sort -u)" = 3 ]
	[ "$(echo "$output" | jq -r 'select(.type == "hop") | .ttl' | tr '\n' ' ')" = "1 2 3 4 " ]
	[ "$(echo "$output" | jq -r 'select(.type == "hop" and .ttl == 2) | .probes[0].from')" = "$CHAIN_R2" ]
	[ "$(echo "$output" | tail -1 | jq -r '.type, .result, .hops, .exit' | tr '\n' ' ')" = "summary reached 4 0 " ]
	ns_silent r2
	run trc -n -j -q 1 "$CHAIN_SERVER"
	[ "$(echo "$output" | jq -c 'select(.type == "hop" and .ttl == 2)')" = '{"type":"hop","ttl":2,"probes":[{"from":null}],"answered":0}' ]
}

@test "trace -X: each probe and each reply decoded layer by layer, then in hex" {
	chain
	run trc -n -X -q 1 -m 1 -I "$CHAIN_SERVER"
	[ "$status" -eq 1 ]
	[[ "$output" == *"--- sent 60 bytes to 10.10.3.2 (probe 0, ttl 1, raw socket) ---"* ]]
	[[ "$output" == *"Time to Live           1"* ]]
	[[ "$output" == *"--- received "*" bytes from 10.10.0.2 (probe 0) ---"* ]]
	[[ "$output" == *"Type                   11 (time-exceeded)"* ]]
	[[ "$output" == *"quoted ICMP, first "* ]]
	[[ "$output" == *"  0000  45 "* ]]
}

@test "ICMP-04: another tracer's replies in the same namespace are not taken for ours" {
	chain
	need_cmd traceroute
	local i
	for i in 1 2 3; do
		ns_exec client traceroute -n -I -q 3 -N 30 "$CHAIN_SERVER" >/dev/null 2>&1 &
		ns_exec client traceroute -n -U -q 3 -N 30 "$CHAIN_SERVER" >/dev/null 2>&1 &
	done
	run trc -n -I -j "$CHAIN_SERVER"
	wait
	[ "$status" -eq 0 ]
	[[ "${lines[-1]}" == *'"result":"reached","hops":4,'*'"answered":12,'* ]]
	run trc -n -X -q 1 -m 2 "$CHAIN_SERVER"
	[ "$status" -eq 1 ]
	[ "$(grep -c '^--- received .* (probe ' <<<"$output")" -eq 2 ]
}

@test "trace: stdout is traceroute's (header and hops), so | tail -1 is the last hop; the stop line goes to stderr" {
	chain
	run --separate-stderr trc -n -q 1 "$CHAIN_SERVER"
	[ "$status" -eq 0 ]
	[[ "${lines[-1]}" == " 4  $CHAIN_SERVER  "*" ms" ]]
	[[ "$output" != *"stop reason"* ]]
	[ "$stderr" = "trace: stop reason=reached hops=4" ]
}

# hdr_and_hops: the header without its program name, then each hop's number
# and addresses (times differ from run to run)
hdr_and_hops() {
	awk 'NR == 1 { sub(/^[a-z]+ /, ""); print; next }
	    { s = $1; for (i = 2; i <= NF; i++) if ($i ~ /^[0-9a-f.:]+$/ && $i ~ /[.:].*[.:]/ && $(i + 1) != "ms") s = s " " $i; print s }'
}

@test "trace HOST PACKETLEN: traceroute's second operand, the same header and hops as traceroute" {
	chain
	need_cmd traceroute
	local opts len dst
	for opts in "-4" "-4 -I" "-6" "-6 -I" "-4 -T" "-6 -T"; do
		for len in 100 1400 10 0; do
			dst=$CHAIN_SERVER
			[[ "$opts" == *6* ]] && dst=$CHAIN_SERVER6
			# shellcheck disable=SC2086
			ours=$(trc -n $opts "$dst" "$len" 2>/dev/null | hdr_and_hops)
			# shellcheck disable=SC2086
			theirs=$(ns_exec client traceroute -n $opts "$dst" "$len" | hdr_and_hops)
			echo "$opts $len ours:"; echo "$ours"; echo "traceroute:"; echo "$theirs"
			[ "$(echo "$ours" | wc -l)" -eq 5 ]
			[ "$ours" = "$theirs" ]
		done
	done
	# the probes on the wire are that long, privileged or not
	run trc -n -X -q 1 "$CHAIN_SERVER" 1400
	[[ "$output" == *"Total Length           1400"* ]]
	run trc -n -X -q 1 -6 "$CHAIN_SERVER6" 1400
	[[ "$output" == *"Payload Length         1360"* ]]
	run trc -n -j -q 1 "$CHAIN_SERVER" 1400
	[[ "${lines[0]}" == *'"packet_size":1400'* ]]
	need_cmd setpriv
	run unpriv -n "$CHAIN_SERVER" 1400
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "trace to 10.10.3.2 (10.10.3.2), 30 hops max, 1400 byte packets" ]
	chain4
	run unpriv -n -X -q 1 "$CHAIN_SERVER" 1400
	[[ "$output" == *"sent 1372 bytes"* ]]
}

@test "trace HOST PACKETLEN: out of range or not a number is a usage error (exit 2), as traceroute" {
	run "$BIN/trace" -n 127.0.0.1 65001
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid packet length: '65001'"* ]]
	run "$BIN/trace" -n 127.0.0.1 1k
	[ "$status" -eq 2 ]
	run "$BIN/trace" -n 127.0.0.1 100 200
	[ "$status" -eq 2 ]
	[[ "$output" == *"only one host and a packet length: 200"* ]]
	run "$BIN/trace" -n -m 1 -q 1 127.0.0.1 65000
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "trace to 127.0.0.1 (127.0.0.1), 1 hops max, 65000 byte packets" ]
}

@test "trace NAME with A and AAAA: the routed family first, then RFC 6724's order (IPv4 before a ULA)" {
	chain
	printf '%s dual.test\n%s dual.test\n' "$CHAIN_SERVER6" "$CHAIN_SERVER" >"$TUBES_HOSTS"
	run trc -n -q 1 dual.test
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "trace to dual.test ($CHAIN_SERVER), 30 hops max, 60 byte packets" ]
	ip -n "$NS_CLIENT" route del default
	run trc -n -q 1 dual.test
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "trace to dual.test ($CHAIN_SERVER6), 30 hops max, 80 byte packets" ]
	# -4 still means IPv4, routed or not
	run trc -n -q 1 -4 dual.test
	[ "$status" -eq 2 ]
	[ "$output" = "trace: connect $CHAIN_SERVER: Network is unreachable" ]
}
