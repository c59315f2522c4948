#!/usr/bin/env bats
# icmp-view: the ICMP errors ping-lite and trace receive, as -X shows them,
# against what tshark reads from the same frames captured on the client's
# link of a client - r1 - r2 - r3 - server chain (tests/lib/netns.bash):
# a time exceeded (trace -I on a raw socket: the quoted IPv4 header and
# echo request in full; ping-lite -t 1 on its ping socket: the kernel's
# error queue), a port unreachable (trace: the quoted UDP header), and a
# packet too big (IPv6, a 1280-byte link: ping-lite through the error
# queue, trace -I on a raw socket), with the fields the kernel fills in.

load lib/common
load lib/netns
load lib/peer
bats_require_minimum_version 1.5.0

setup() {
	TMPB=$(mktemp -d)
	chmod 755 "$TMPB"
	export TUBES_RESOLV_CONF=$TMPB/resolv.conf	# no name server: no reverse lookups
	: >"$TUBES_RESOLV_CONF"
	export TUBES_HOSTS=$TMPB/hosts
	: >"$TUBES_HOSTS"
	CAP_PID=
}

teardown() {
	peer_stop
	if [ -n "${CAP_PID:-}" ]; then
		kill "$CAP_PID" 2>/dev/null
		wait "$CAP_PID" 2>/dev/null
	fi
	ns_teardown
	rm -rf "$TMPB"
}

# the chain with neighbour caches warm (an error racing neighbour discovery is dropped)
chain() {
	[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, capture on their links)"
	need_cmd tshark tcpdump
	ns_chain || skip "cannot create namespaces"
	ns_exec client ping-lite -c 1 -W 2 "$CHAIN_SERVER" >/dev/null 2>&1
	ns_exec client ping-lite -c 1 -W 2 "$CHAIN_SERVER6" >/dev/null 2>&1
	return 0
}

trc() { ns_exec client "$BIN/trace" "$@"; }
png() { ns_exec client "$BIN/ping-lite" "$@"; }

# cap_start FILTER: capture on the client's link into $CAP, ready when tcpdump listens
cap_start() {
	CAP=$TMPB/cap.pcap
	ns_exec client tcpdump -Z root --immediate-mode -i up0 -nn -U -w "$CAP" "$1" \
	    2>"$TMPB/tcpdump.err" &
	CAP_PID=$!
	for _ in $(seq 50); do
		grep -q 'listening on' "$TMPB/tcpdump.err" && return 0
		sleep 0.1
	done
	echo "tcpdump did not start: $(cat "$TMPB/tcpdump.err")"
	return 1
}

# cap_stop N DISPLAYFILTER: once N frames match (3 s at most), stop the capture
cap_stop() {
	for _ in $(seq 30); do
		[ "$(tshark -r "$CAP" -Y "$2" 2>/dev/null | wc -l)" -ge "$1" ] && break
		sleep 0.1
	done
	kill "$CAP_PID"
	wait "$CAP_PID" 2>/dev/null || true
	CAP_PID=
}

# ts DISPLAYFILTER f|l FIELD: a field of the first matching frame, first or last occurrence
# (the last one of a field an ICMP error repeats is the quoted datagram's)
ts() {
	tshark -r "$CAP" -Y "$1" -T fields -E occurrence="$2" -e "$3" 2>/dev/null | head -1
}

# xf PACKET LAYER FIELD: the first word -X printed for FIELD under the first
# heading starting with LAYER, in the first packet whose banner has PACKET
xf() {
	awk -v pk="$1" -v ly="$2" -v f="$3" '
	    /^--- / { inpk = index($0, pk) > 0; inly = 0; next }
	    inpk && !/^    / { inly = index($0, ly) == 1; next }
	    inpk && inly { n = substr($0, 5, 22); sub(/ +$/, "", n)
		if (n == f) { v = substr($0, 28); sub(/ .*/, "", v); print v; exit } }' <<<"$output"
}

# same A B WHAT: equal as numbers (0x.. or decimal) or as text, else say which differ
same() {
	local a=$1 b=$2
	if [[ "$a" =~ ^(0x[0-9a-fA-F]+|[0-9]+)$ && "$b" =~ ^(0x[0-9a-fA-F]+|[0-9]+)$ ]]; then
		a=$((a)) b=$((b))
	fi
	[ -n "$a" ] && [ "$a" = "$b" ] || { echo "$3: -X '$1', tshark '$2'"; return 1; }
}

@test "trace -I: a time exceeded from r1, its quoted IPv4 header and echo request as tshark reads them" {
	chain
	cap_start icmp
	run trc -n -X -q 1 -m 1 -I "$CHAIN_SERVER"
	cap_stop 1 'icmp.type == 11'
	[ "$status" -eq 1 ]
	local te='icmp.type == 11' pk='(probe 0)'
	same "$(xf "$pk" ICMP Type)" "$(ts "$te" f icmp.type)" type
	same "$(xf "$pk" ICMP Code)" "$(ts "$te" f icmp.code)" code
	same "$(xf "$pk" 'quoted IPv4' 'Time to Live')" "$(ts "$te" l ip.ttl)" "inner ttl"
	same "$(xf "$pk" 'quoted IPv4' 'Identification')" "$(ts "$te" l ip.id)" "inner id"
	same "$(xf "$pk" 'quoted IPv4' 'Total Length')" "$(ts "$te" l ip.len)" "inner length"
	same "$(xf "$pk" 'quoted IPv4' 'Type of Service')" "$(ts "$te" l ip.dsfield)" "inner tos"
	same "$(xf "$pk" 'quoted IPv4' 'Protocol')" "$(ts "$te" l ip.proto)" "inner protocol"
	same "$(xf "$pk" 'quoted IPv4' 'Header Checksum')" "$(ts "$te" l ip.checksum)" "inner checksum"
	same "$(xf "$pk" 'quoted IPv4' 'Source Address')" "$(ts "$te" l ip.src)" "inner source"
	same "$(xf "$pk" 'quoted IPv4' 'Destination Address')" "$(ts "$te" l ip.dst)" "inner destination"
	same "$(xf "$pk" 'quoted ICMP' 'Type')" "$(ts "$te" l icmp.type)" "inner type"
	same "$(xf "$pk" 'quoted ICMP' 'Identifier')" "$(ts "$te" l icmp.ident)" "inner identifier"
	same "$(xf "$pk" 'quoted ICMP' 'Sequence Number')" "$(ts "$te" l icmp.seq)" "inner sequence"
	same "$(xf "$pk" 'quoted ICMP' 'Checksum')" "$(ts "$te" l icmp.checksum)" "inner icmp checksum"
	[ "$(xf "$pk" 'quoted IPv4' 'Time to Live')" = 1 ]
	[[ "$output" == *"Header Checksum        0x"*" [correct]"* ]]
	[[ "$output" == *"Quoted                 "*" of 60 bytes (Total Length)"* ]]
}

@test "trace: a port unreachable from the server, its quoted UDP header as tshark reads it" {
	chain
	cap_start icmp
	run trc -n -X -q 1 -f 4 "$CHAIN_SERVER"
	cap_stop 1 'icmp.type == 3'
	[ "$status" -eq 0 ]
	local pu='icmp.type == 3' pk='(probe 0)'
	same "$(xf "$pk" ICMP Code)" "$(ts "$pu" f icmp.code)" code
	[ "$(xf "$pk" ICMP Code)" = 3 ]
	same "$(xf "$pk" 'quoted IPv4' 'Time to Live')" "$(ts "$pu" l ip.ttl)" "inner ttl"
	same "$(xf "$pk" 'quoted IPv4' 'Identification')" "$(ts "$pu" l ip.id)" "inner id"
	same "$(xf "$pk" 'quoted UDP' 'Source Port')" "$(ts "$pu" l udp.srcport)" "inner source port"
	same "$(xf "$pk" 'quoted UDP' 'Destination Port')" "$(ts "$pu" l udp.dstport)" "inner destination port"
	same "$(xf "$pk" 'quoted UDP' 'Length')" "$(ts "$pu" l udp.length)" "inner udp length"
	same "$(xf "$pk" 'quoted UDP' 'Checksum')" "$(ts "$pu" l udp.checksum)" "inner udp checksum"
	# the server quotes the whole 60-byte probe: its UDP checksum is verified
	[[ "$output" == *"quoted UDP, first 40 bytes of 40"* ]]
	[ "$(awk '/^quoted UDP/ { u = 1 } u && $1 == "Checksum" { print $3; exit }' <<<"$output")" = "[correct]" ]
}

@test "ping-lite -t 1: the time exceeded comes through the error queue, shown with what the kernel gives" {
	chain
	cap_start icmp
	run png -X -c 1 -t 1 -W 1 "$CHAIN_SERVER"
	cap_stop 2 'icmp.type == 11'
	[ "$status" -eq 1 ]
	[[ "$output" == *"From $CHAIN_R1 icmp_seq=1 Time to live exceeded"* ]]
	local te='icmp.type == 11' pk='error queue:'
	[[ "$output" == *"sock_extended_err (from the kernel's error queue, not the wire"* ]]
	same "$(xf "$pk" sock_extended_err Type)" "$(ts "$te" f icmp.type)" type
	same "$(xf "$pk" sock_extended_err Code)" "$(ts "$te" f icmp.code)" code
	same "$(xf "$pk" sock_extended_err Offender)" "$(ts "$te" f ip.src)" offender
	same "$(xf "$pk" 'quoted ICMP' Identifier)" "$(ts "$te" l icmp.ident)" "quoted identifier"
	same "$(xf "$pk" 'quoted ICMP' 'Sequence Number')" "$(ts "$te" l icmp.seq)" "quoted sequence"
	# the request as sent: identifier and checksum are the kernel's, shown as on the wire
	same "$(xf 'sent 64 bytes' ICMP Identifier)" "$(ts 'icmp.type == 8' f icmp.ident)" "sent identifier"
	same "$(xf 'sent 64 bytes' ICMP Checksum)" "$(ts 'icmp.type == 8' f icmp.checksum)" "sent checksum"
	[[ "$output" == *"(kernel-filled; read back)"* ]]
	[[ "$output" == *"(kernel-filled; computed)"* ]]
}

# narrow: the r1 - r2 link carries 1280 bytes at most
narrow() {
	ip -n "$NS_R1" link set up1 mtu 1280
	ip -n "$NS_R2" link set down1 mtu 1280
}

@test "IPv6 packet too big (a 1280-byte link): ping-lite shows it from the error queue, with the MTU" {
	chain
	narrow
	cap_start icmp6
	run png -X -c 1 -s 1400 -W 1 "$CHAIN_SERVER6"
	cap_stop 1 'icmpv6.type == 2'
	[ "$status" -eq 1 ]
	local tb='icmpv6.type == 2' pk='error queue:'
	same "$(xf "$pk" sock_extended_err Type)" "$(ts "$tb" f icmpv6.type)" type
	same "$(xf "$pk" sock_extended_err Info)" "$(ts "$tb" f icmpv6.mtu)" mtu
	same "$(xf "$pk" sock_extended_err Offender)" "$(ts "$tb" f ipv6.src)" offender
	same "$(xf "$pk" 'quoted ICMPv6' Identifier)" "$(ts "$tb" l icmpv6.echo.identifier)" "quoted identifier"
	same "$(xf "$pk" 'quoted ICMPv6' 'Sequence Number')" "$(ts "$tb" l icmpv6.echo.sequence_number)" "quoted sequence"
	# the ICMPv6 checksum the kernel filled, computed over our pseudo-header
	same "$(xf 'sent 1408 bytes' ICMPv6 Checksum)" "$(ts 'icmpv6.type == 128' f icmpv6.checksum)" "sent checksum"
	[[ "$output" == *"Checksum               0x"*" (kernel-filled; computed)"* ]]
}

@test "IPv6 packet too big (a 1280-byte link): trace -I shows the whole quoted IPv6 header" {
	chain
	narrow
	cap_start icmp6
	run trc -n -X -q 1 -f 2 -m 2 -6 -I "$CHAIN_SERVER6" 1400
	cap_stop 1 'icmpv6.type == 2'
	local tb='icmpv6.type == 2' pk='(probe 0)'
	same "$(xf "$pk" ICMPv6 MTU)" "$(ts "$tb" f icmpv6.mtu)" mtu
	same "$(xf "$pk" 'quoted IPv6' 'Hop Limit')" "$(ts "$tb" l ipv6.hlim)" "inner hop limit"
	same "$(xf "$pk" 'quoted IPv6' 'Payload Length')" "$(ts "$tb" l ipv6.plen)" "inner payload length"
	same "$(xf "$pk" 'quoted IPv6' 'Flow Label')" "$(ts "$tb" l ipv6.flow)" "inner flow label"
	same "$(xf "$pk" 'quoted IPv6' 'Source Address')" "$(ts "$tb" l ipv6.src)" "inner source"
	same "$(xf "$pk" 'quoted IPv6' 'Destination Address')" "$(ts "$tb" l ipv6.dst)" "inner destination"
	same "$(xf "$pk" 'quoted IPv6' 'Next Header')" "$(ts "$tb" l ipv6.nxt)" "inner next header"
	same "$(xf "$pk" 'quoted ICMPv6' 'Identifier')" "$(ts "$tb" l icmpv6.echo.identifier)" "inner identifier"
	[[ "$output" == *"Quoted                 1232 of 1400 bytes (40 + Payload Length)"* ]]
}


@test "trace -T: a SYN-ACK whose checksum the veth offload never filled: the computed value, and why" {
	chain
	echo accept >"$TMPB/open.peer"
	PEER_NS=$NS_SERVER peer_start "$TMPB/open.peer" -a "$CHAIN_SERVER" -T 10
	cap_start tcp
	run trc -n -X -T -q 1 -f 4 -p "$PEER_PORT" "$CHAIN_SERVER"
	cap_stop 1 'tcp.flags.syn == 1 && tcp.flags.ack == 1'
	[ "$status" -eq 0 ]
	local sa='tcp.flags.syn == 1 && tcp.flags.ack == 1'
	local line want
	line=$(awk '/^--- received/ { r = 1 } r && $1 == "Checksum" { print; exit }' <<<"$output")
	echo "-X: $line"
	[[ "$line" != *"[correct]"* ]] || skip "the SYN-ACK's checksum was filled in here (no partial checksum across veth)"
	same "$(awk '{ print $2 }' <<<"$line")" "$(ts "$sa" f tcp.checksum)" "syn-ack checksum field"
	[[ "$line" == *"[incorrect, computed 0x"*": offloaded (veth/lo: not yet filled, the field holds the pseudo-header sum)]" ]]
	# tshark, told to check, computes the same value the field should hold
	want=$(tshark -r "$CAP" -o tcp.check_checksum:TRUE -Y "$sa" -T fields -e tcp.checksum_calculated 2>/dev/null | head -1)
	[ -n "$want" ] || want=$(tshark -r "$CAP" -o tcp.check_checksum:TRUE -Y "$sa" -V 2>/dev/null |
	    sed -n 's/.*\[Calculated Checksum: \(0x[0-9a-f]*\)\].*/\1/p' | head -1)
	same "$(sed 's/.*computed \(0x[0-9a-f]*\).*/\1/' <<<"$line")" "$want" "computed checksum"
}

@test "destination unreachable, net, host and admin-prohibited from r3: code and quoted destination as tshark reads them" {
	chain
	ns_unreachable
	local dst want
	for dst in "$UNREACH_NET" "$UNREACH_HOST" "$UNREACH_ADMIN"; do
		cap_start icmp
		run trc -n -X -q 1 -f 3 -m 3 -I "$dst"
		cap_stop 1 'icmp.type == 3'
		echo "# $dst: exit $status"
		local pu='icmp.type == 3' pk='(probe 0)'
		same "$(xf "$pk" ICMP Type)" 3 type
		same "$(xf "$pk" ICMP Code)" "$(ts "$pu" f icmp.code)" code
		same "$(xf "$pk" 'quoted IPv4' 'Destination Address')" "$(ts "$pu" l ip.dst)" "quoted destination"
		same "$(xf "$pk" 'quoted IPv4' 'Time to Live')" "$(ts "$pu" l ip.ttl)" "quoted ttl"
		same "$(xf "$pk" 'quoted ICMP' 'Sequence Number')" "$(ts "$pu" l icmp.seq)" "quoted sequence"
		case $dst in
		"$UNREACH_NET") want="0 (net)" ;;
		"$UNREACH_HOST") want="1 (host)" ;;
		*) want="13 (filtered)" ;;
		esac
		[[ "$output" == *"Code                   $want"* ]]
		[ "$(xf "$pk" 'quoted IPv4' 'Destination Address')" = "$dst" ]
	done
}
