#!/usr/bin/env bats
# netns.bats - the namespace topologies of tests/lib/netns.bash, proved with
# iputils ping/arping and traceroute.  Everything stays inside namespaces
# this file creates.

load lib/common
load lib/netns
load lib/peer

setup() {
	need_root
	NS_TAG=
	NS_ALL=
}

teardown() {
	peer_stop
	ns_teardown
}

left() {
	ip netns list | awk '{print $1}' | grep -E "^tb-$1-" || true
}

@test "ns_chain: five namespaces with unique tb-TAG- names" {
	ns_chain
	[[ "$NS_TAG" =~ ^[0-9a-f]{6}$ ]]
	[ "$(left "$NS_TAG" | wc -l)" -eq 5 ]
	[ "$NS_CLIENT" = "tb-$NS_TAG-client" ]
	[ "$NS_SERVER" = "tb-$NS_TAG-server" ]
	[ "$CHAIN_SERVER" = 10.10.3.2 ]
	[ "$CHAIN_SERVER6" = fd00:a:3::2 ]
}

@test "ns_chain: ping crosses the chain, IPv4 and IPv6" {
	need_cmd ping
	ns_chain
	run ns_exec client ping -c 1 -W 2 "$CHAIN_SERVER"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ttl=61"* ]]
	run ns_exec client ping -6 -c 1 -W 2 "$CHAIN_SERVER6"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ttl=61"* ]]
}

@test "ns_chain: traceroute sees exactly three routers (IPv4)" {
	need_cmd traceroute
	ns_chain
	run ns_exec client traceroute -n -q 1 -w 2 "$CHAIN_SERVER"
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" =~ ^\ 1\ +10\.10\.0\.2\  ]]
	[[ "${lines[2]}" =~ ^\ 2\ +10\.10\.1\.2\  ]]
	[[ "${lines[3]}" =~ ^\ 3\ +10\.10\.2\.2\  ]]
	[[ "${lines[4]}" =~ ^\ 4\ +10\.10\.3\.2\  ]]
	[ "${#lines[@]}" -eq 5 ]
}

@test "ns_chain: traceroute sees exactly three routers (IPv6)" {
	need_cmd traceroute
	ns_chain
	run ns_exec client traceroute -6 -n -q 1 -w 2 "$CHAIN_SERVER6"
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" =~ ^\ 1\ +fd00:a::2\  ]]
	[[ "${lines[2]}" =~ ^\ 2\ +fd00:a:1::2\  ]]
	[[ "${lines[3]}" =~ ^\ 3\ +fd00:a:2::2\  ]]
	[[ "${lines[4]}" =~ ^\ 4\ +fd00:a:3::2\  ]]
	[ "${#lines[@]}" -eq 5 ]
}

@test "ns_chain: a TCP server inside the chain is reachable from the client" {
	need_cmd socat
	ns_chain
	ns_exec server socat -T5 TCP-LISTEN:7000,bind="$CHAIN_SERVER" SYSTEM:'echo hi-from-server' 3>&- &
	local pid=$!
	local i
	for ((i = 0; i < 100; i++)); do
		ns_exec server ss -ltn | grep -q ':7000 ' && break
		sleep 0.02
	done
	# -u: the client only reads, so it sends no FIN that could make the
	# server's socat close before echo has written (a race under load)
	run ns_exec client timeout 5 socat -T3 -u "TCP:$CHAIN_SERVER:7000" STDOUT
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	[ "$output" = hi-from-server ]
}

@test "ns_silent: the silent router is a star, the others answer" {
	need_cmd traceroute
	ns_chain
	ns_silent r2
	run ns_exec client traceroute -n -q 1 -w 1 "$CHAIN_SERVER"
	[[ "${lines[1]}" =~ ^\ 1\ +10\.10\.0\.2\  ]]
	[[ "${lines[2]}" =~ ^\ 2\ +\*$ ]]
	[[ "${lines[3]}" =~ ^\ 3\ +10\.10\.2\.2\  ]]
	[[ "${lines[4]}" =~ ^\ 4\ +10\.10\.3\.2\  ]]
	run ns_exec client traceroute -6 -n -q 1 -w 1 "$CHAIN_SERVER6"
	[[ "${lines[2]}" =~ ^\ 2\ +\*$ ]]
	[[ "${lines[3]}" =~ ^\ 3\ +fd00:a:2::2\  ]]
	# it still forwards
	run ns_exec client ping -c 1 -W 2 "$CHAIN_SERVER"
	[ "$status" -eq 0 ]
}

@test "ns_unreachable: net, host and admin-prohibited answers from r3 (IPv4)" {
	need_cmd ping
	ns_chain
	ns_unreachable
	run ns_exec client ping -c 1 -W 2 "$UNREACH_NET"
	[[ "$output" == *"From 10.10.2.2 icmp_seq=1 Destination Net Unreachable"* ]]
	run ns_exec client ping -c 1 -W 2 "$UNREACH_HOST"
	[[ "$output" == *"From 10.10.2.2 icmp_seq=1 Destination Host Unreachable"* ]]
	run ns_exec client ping -c 1 -W 2 "$UNREACH_ADMIN"
	[[ "$output" == *"From 10.10.2.2 icmp_seq=1 Packet filtered"* ]]
}

@test "ns_unreachable: no route and admin-prohibited answers from r3 (IPv6)" {
	need_cmd ping
	ns_chain
	ns_unreachable
	run ns_exec client ping -6 -c 1 -W 2 "$UNREACH_NET6"
	[[ "$output" == *"From fd00:a:2::2 icmp_seq=1 Destination unreachable: No route"* ]]
	run ns_exec client ping -6 -c 1 -W 2 "$UNREACH_HOST6"
	[[ "$output" == *"From fd00:a:2::2 icmp_seq=1 Destination unreachable: No route"* ]]
	run ns_exec client ping -6 -c 1 -W 2 "$UNREACH_ADMIN6"
	[[ "$output" == *"Administratively prohibited"* ]]
}

@test "ns_netem: total loss, then duplication (or skip without sch_netem)" {
	need_cmd ping tc
	ns_chain
	ns_netem 100 0
	run ns_exec client ping -c 1 -W 1 "$CHAIN_SERVER"
	[ "$status" -ne 0 ]
	tc -n "$NS_CLIENT" qdisc del dev up0 root
	ns_netem 0 100
	run ns_exec client ping -c 1 -W 1 "$CHAIN_SERVER"
	[[ "$output" == *"DUP!"* ]]
}

@test "ns_lan: neighbours answer ARP with their known MACs" {
	need_cmd arping
	ns_lan
	run ns_exec client arping -c 1 -w 2 -I "$LAN_IF" "$LAN_N3"
	[ "$status" -eq 0 ]
	[[ "${output,,}" == *"[$LAN_N3_MAC]"* ]]
	run ns_exec client arping -c 1 -w 2 -I "$LAN_IF" "$LAN_GW"
	[[ "${output,,}" == *"[$LAN_GW_MAC]"* ]]
	run ns_exec client arping -c 1 -w 1 -I "$LAN_IF" "$LAN_FREE"
	[ "$status" -ne 0 ]
}

@test "ns_lan: the far host is reached through the gateway" {
	need_cmd ping
	ns_lan
	run ns_exec client ping -c 1 -W 2 "$LAN_FAR"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ttl=63"* ]]
	run ns_exec client ip neigh show "$LAN_GW"
	[[ "$output" == *"lladdr $LAN_GW_MAC"* ]]
	run ns_exec client ip -o link show "$LAN_IF"
	[[ "$output" == *"link/ether $LAN_CLIENT_MAC"* ]]
}

@test "ns_exec: a role or a full name" {
	ns_chain
	run ns_exec r2 ip -o -4 addr show dev down1
	[[ "$output" == *"10.10.1.2/24"* ]]
	run ns_exec "$NS_R2" ip -o -4 addr show dev down1
	[[ "$output" == *"10.10.1.2/24"* ]]
	run ns_exec r2 sysctl -n net.ipv4.ip_forward
	[ "$output" = 1 ]
}

@test "ns_teardown: nothing left behind, and safe to call twice" {
	ns_lan
	local tag=$NS_TAG
	[ "$(left "$tag" | wc -l)" -eq 6 ]
	ns_teardown
	[ -z "$(left "$tag")" ]
	ns_teardown
}

@test "ns_teardown: from a trap, when the script fails half-way" {
	run env NS_TAG= bash -c "
		source '$TOP/tests/lib/netns.bash'
		trap ns_teardown EXIT
		ns_chain
		echo \$NS_TAG
		false
		exit 1"
	[ "$status" -eq 1 ]
	[[ "$output" =~ ^[0-9a-f]{6}$ ]]
	[ -z "$(left "$output")" ]
}

@test "two runs get different tags" {
	ns_chain
	local a=$NS_TAG
	run env NS_TAG= bash -c "source '$TOP/tests/lib/netns.bash'; trap ns_teardown EXIT; ns_chain; echo \$NS_TAG"
	[ "$status" -eq 0 ]
	[ "$output" != "$a" ]
	[ "$(left "$a" | wc -l)" -eq 5 ]
}

@test "peer_start with PEER_NS: a scripted peer on the chain's server" {
	need_cmd socat
	ns_chain
	printf 'expect ^hello$\nsend hi from %%ADDR\\n\n' >"$BATS_TEST_TMPDIR/s.peer"
	PEER_NS=$NS_SERVER peer_start "$BATS_TEST_TMPDIR/s.peer" -a "$CHAIN_SERVER"
	run ns_exec client timeout 5 socat -t3 - "TCP:$CHAIN_SERVER:$PEER_PORT" <<<hello
	[ "$output" = "hi from $CHAIN_SERVER" ]
	peer_wait
	[ "$PEER_STATUS" -eq 0 ]
	# and it is not reachable from outside the namespace
	run timeout 2 bash -c "exec 5<>/dev/tcp/$CHAIN_SERVER/$PEER_PORT"
	[ "$status" -ne 0 ]
}
