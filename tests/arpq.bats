#!/usr/bin/env bats
# arpq: ARP who-has on a LAN of network namespaces made here and torn down after.
#
#   client C 10.0.1.1 (02:00:00:01:00:01) --+
#   N1 10.0.1.11 (..:0b)  N2 10.0.1.12 (..:0c) |  bridge br0 in namespace L
#   N3 10.0.1.13 (..:0d)                        |
#   D1 10.0.1.20 (..:14)  D2 10.0.1.20 (..:15)  |  two hosts claiming one IP
#   H  10.0.1.30 (..:1e) no IP: the hostile raw responder's home
#   G  10.0.1.254 (..:fe) ---- 10.0.2.254 -- S 10.0.2.5   (C: 10.0.2.0/24 via G)
load lib/common

# --- lan: helpers (also used by bench/arpq.sh) ---
lan_ns() { echo "tb-link-$LAN_ID-$1"; }

# lan_host NAME IP MAC: a namespace on the bridge with one address (IP may be empty)
lan_host() {
	local ns; ns=$(lan_ns "$1")
	ip netns add "$ns"
	ip link add "e$1" netns "$ns" type veth peer name "p$1" netns "$(lan_ns L)"
	ip -n "$ns" link set "e$1" address "$3"
	[ -n "$2" ] && ip -n "$ns" addr add "$2/24" dev "e$1"
	ip -n "$ns" link set lo up
	ip -n "$ns" link set "e$1" up
	ip -n "$(lan_ns L)" link set "p$1" master br0 up
}

lan_up() {
	LAN_ID=${LAN_ID:-$$}
	local L; L=$(lan_ns L)
	ip netns add "$L"
	ip -n "$L" link add br0 type bridge
	ip -n "$L" link set br0 up
	lan_host C 10.0.1.1 02:00:00:01:00:01
	lan_host N1 10.0.1.11 02:00:00:01:00:0b
	lan_host N2 10.0.1.12 02:00:00:01:00:0c
	lan_host N3 10.0.1.13 02:00:00:01:00:0d
	lan_host D1 10.0.1.20 02:00:00:01:00:14
	lan_host D2 10.0.1.20 02:00:00:01:00:15
	lan_host H "" 02:00:00:01:00:1e
	lan_host G 10.0.1.254 02:00:00:01:00:fe
	ip netns exec "$(lan_ns G)" sysctl -qw net.ipv4.ip_forward=1
	ip netns add "$(lan_ns S)"
	ip link add eS netns "$(lan_ns S)" type veth peer name gS netns "$(lan_ns G)"
	ip -n "$(lan_ns S)" addr add 10.0.2.5/24 dev eS
	ip -n "$(lan_ns S)" link set eS up
	ip -n "$(lan_ns G)" addr add 10.0.2.254/24 dev gS
	ip -n "$(lan_ns G)" link set gS up
	ip -n "$(lan_ns S)" route add default via 10.0.2.254
	ip -n "$(lan_ns C)" route add 10.0.2.0/24 via 10.0.1.254
	# IPv6 DAD and router solicitations would add frames; not needed
	for h in C N1 N2 N3 D1 D2 H G S; do
		ip netns exec "$(lan_ns $h)" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 2>/dev/null || true
	done
}

lan_down() {
	local h
	for h in C N1 N2 N3 D1 D2 H G S L; do
		ip netns del "$(lan_ns $h)" 2>/dev/null || true
	done
}
# --- end lan ---

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	ip netns list >/dev/null 2>&1 || return 0
	export LAN_ID="$$-$RANDOM"
	lan_up
	export LAN_READY=1
}

teardown_file() {
	[ -n "${LAN_ID:-}" ] && lan_down
	return 0
}

setup() {
	TMP=$(mktemp -d)
}

teardown() {
	if [ -n "${RESP_PID:-}" ]; then kill "$RESP_PID" 2>/dev/null; wait "$RESP_PID" 2>/dev/null; fi
	rm -rf "$TMP"
}

need_lan() {
	need_root
	[ "${LAN_READY:-}" = 1 ] || skip "the test LAN could not be built"
}

# run arpq in the client namespace, flushing its neighbour cache first
inC() { ip netns exec "$(lan_ns C)" "$@"; }
flushC() { inC ip neigh flush dev eC 2>/dev/null || true; }

# --- without a network ---

@test "arpq --help prints usage on stdout, exit 0" {
	run arpq --help
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: arpq "* ]]
	[[ "$output" == *"--cached"* ]]
}

@test "arpq -V prints the version" {
	run arpq -V
	[ "$status" -eq 0 ]
	[[ "$output" == "arpq (tubes) "* ]]
}

@test "arpq: bad usage exits 2" {
	run arpq
	[ "$status" -eq 2 ]
	run arpq -c 0 10.0.0.1
	[ "$status" -eq 2 ]
	run arpq -W x 10.0.0.1
	[ "$status" -eq 2 ]
	run arpq -D -U 10.0.0.1
	[ "$status" -eq 2 ]
	run arpq --bogus 10.0.0.1
	[ "$status" -eq 2 ]
	run arpq -s 10.0.0.999 10.0.0.1
	[ "$status" -eq 2 ]
}

@test "arpq refuses loopback clearly" {
	run arpq -I lo 127.0.0.1
	[ "$status" -eq 2 ]
	[[ "$output" == *"lo: loopback interface"* ]]
}

@test "arpq refuses an unknown interface" {
	run arpq -I tb-nonesuch0 10.0.0.1
	[ "$status" -eq 2 ]
	[[ "$output" == *"tb-nonesuch0: no such interface"* ]]
}

@test "arpq refuses a scan wider than a /16" {
	run arpq -n 10.0.0.0/8
	[ "$status" -eq 2 ]
	[[ "$output" == *"at most a /16"* ]]
}
