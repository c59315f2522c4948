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

# --- on the LAN ---

@test "arpq: single host answers with its MAC, tab-separated" {
	need_lan
	flushC
	run inC arpq 10.0.1.11
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^10\.0\.1\.11$'\t'02:00:00:01:00:0b$'\t'[0-9]+\.[0-9]{3}\ ms$ ]]
}

@test "arpq: several hosts, one line each in input order, a miss marked" {
	need_lan
	run inC arpq 10.0.1.13 10.0.1.99 10.0.1.11 10.0.1.254
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[0]}" == 10.0.1.13$'\t'02:00:00:01:00:0d$'\t'*" ms" ]]
	[ "${lines[1]}" = 10.0.1.99$'\t-\ttimeout' ]
	[[ "${lines[2]}" == 10.0.1.11$'\t'02:00:00:01:00:0b$'\t'* ]]
	[[ "${lines[3]}" == 10.0.1.254$'\t'02:00:00:01:00:fe$'\t'* ]]
}

@test "arpq: non-existent host exits 1 after its requests" {
	need_lan
	run inC arpq -c 2 -W 0.2 10.0.1.98
	[ "$status" -eq 1 ]
	[ "$output" = 10.0.1.98$'\t-\ttimeout' ]
}

@test "arpq: a /24 scan finds exactly the live hosts" {
	need_lan
	run inC arpq 10.0.1.0/24
	[ "$status" -eq 0 ]
	got=$(printf '%s\n' "${lines[@]}" | cut -f1,2,4)
	want=$(printf '%s\n' 10.0.1.11$'\t'02:00:00:01:00:0b 10.0.1.12$'\t'02:00:00:01:00:0c \
		10.0.1.13$'\t'02:00:00:01:00:0d 10.0.1.20$'\t'02:00:00:01:00:1[45] \
		10.0.1.20$'\t'02:00:00:01:00:1[45]$'\tDUP' 10.0.1.254$'\t'02:00:00:01:00:fe)
	[ "${#lines[@]}" -eq 6 ]
	[[ "$got" == $want ]]
}

@test "arpq: a scan of an empty range says so and exits 1" {
	need_lan
	run inC arpq -W 0.2 10.0.1.96/30
	[ "$status" -eq 1 ]
	[ "$output" = 10.0.1.96/30$'\t-\tno reply' ]
}

@test "arpq: off-link target answered by the gateway's MAC, via shown" {
	need_lan
	flushC
	run inC arpq 10.0.2.5
	[ "$status" -eq 0 ]
	[[ "$output" == 10.0.2.5$'\t'02:00:00:01:00:fe$'\t'*$' ms\tvia 10.0.1.254' ]]
}

@test "arpq: targets from stdin, names from TUBES_HOSTS, one line per input" {
	need_lan
	printf '10.0.2.5 far\n10.0.1.12 n2\n' >"$TMP/hosts"
	run inC env TUBES_HOSTS="$TMP/hosts" arpq - <<<$'n2\n\n10.0.1.97\nfar\nnosuch.invalid'
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[0]}" == 10.0.1.12$'\t'02:00:00:01:00:0c$'\t'* ]]
	[ "${lines[1]}" = 10.0.1.97$'\t-\ttimeout' ]
	[[ "${lines[2]}" == 10.0.2.5$'\t'02:00:00:01:00:fe$'\t'*via\ 10.0.1.254 ]]
	[[ "${lines[3]}" == nosuch.invalid$'\t-\t'* ]]
	[ "$status" -ne 0 ]
}

@test "arpq -n refuses names" {
	need_lan
	printf '10.0.1.12 n2\n' >"$TMP/hosts"
	run inC env TUBES_HOSTS="$TMP/hosts" arpq -n n2
	[ "$status" -eq 2 ]
	[ "$output" = n2$'\t-\tnot an IPv4 address' ]
}

@test "arpq -D: a free address exits 0, a taken one exits 1 with the holder's MAC" {
	need_lan
	run inC arpq -D -c 2 -W 0.2 10.0.1.97
	[ "$status" -eq 0 ]
	[ "$output" = 10.0.1.97$'\t-\tfree' ]
	run inC arpq -D -c 2 -W 0.2 10.0.1.12
	[ "$status" -eq 1 ]
	[[ "$output" == 10.0.1.12$'\t'02:00:00:01:00:0c$'\t'* ]]
}

@test "arpq: two hosts claiming one IP are both shown, the second flagged DUP" {
	need_lan
	run inC arpq 10.0.1.20
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == 10.0.1.20$'\t'02:00:00:01:00:1[45]$'\t'*" ms" ]]
	[[ "${lines[1]}" == 10.0.1.20$'\t'02:00:00:01:00:1[45]$'\t'*$' ms\tDUP' ]]
	[ "$(cut -f2 <<<"$output" | sort -u | wc -l)" -eq 2 ]
}

@test "arpq -U: the announcement reaches a neighbour's cache" {
	need_lan
	# N1 learns C's MAC for 10.0.1.1 from the gratuitous ARP alone
	ip netns exec "$(lan_ns N1)" ip neigh flush dev eN1
	run inC arpq -U 10.0.1.1
	[ "$status" -eq 0 ]
	[ "$output" = 10.0.1.1$'\t'02:00:00:01:00:01$'\tannounced' ]
	# Linux accepts a gratuitous ARP only into an existing entry; make one first
	ip netns exec "$(lan_ns N1)" ip neigh replace 10.0.1.1 lladdr 02:00:00:00:ee:ee dev eN1 nud stale
	run inC arpq -U 10.0.1.1
	[ "$status" -eq 0 ]
	run ip netns exec "$(lan_ns N1)" ip neigh show 10.0.1.1
	[[ "$output" == *"lladdr 02:00:00:01:00:01"* ]]
}

@test "arpq -f stops at the first answer; -q prints nothing" {
	need_lan
	run inC arpq -f -c 1 10.0.1.11 10.0.1.12
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == 10.0.1.11$'\t'02:00:00:01:00:0b$'\t'* ]]
	run inC arpq -q 10.0.1.11
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run inC arpq -q -c 1 -W 0.1 10.0.1.96
	[ "$status" -eq 1 ]
	[ -z "$output" ]
}

@test "arpq -w: the deadline ends everything" {
	need_lan
	start=$(date +%s%N)
	run inC arpq -w 0.3 -c 100 -W 1 10.0.1.96
	end=$(date +%s%N)
	[ "$status" -eq 1 ]
	[ "$output" = 10.0.1.96$'\t-\tdeadline' ]
	[ $(( (end - start) / 1000000 )) -lt 2000 ]
}

@test "arpq -j: one object per reply and miss, summary last" {
	need_lan
	run inC arpq -j -c 1 -W 0.2 10.0.1.11 10.0.1.96
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == '{"type":"reply","target":"10.0.1.11","ip":"10.0.1.11","mac":"02:00:00:01:00:0b","rtt_ms":'*',"interface":"eC","via":null,"dup":false,"source":"arp"}' ]]
	[ "${lines[1]}" = '{"type":"timeout","target":"10.0.1.96","ip":"10.0.1.96","interface":"eC","via":null,"error":"timeout"}' ]
	[ "${lines[2]}" = '{"type":"summary","targets":2,"answered":1,"sent":2,"received":1,"exit":1}' ]
}

@test "arpq -X decodes the request sent and the reply received" {
	need_lan
	run inC arpq -X -c 1 10.0.1.12
	[ "$status" -eq 0 ]
	[[ "$output" == *"--- sent 42 bytes on eC ---"* ]]
	[[ "$output" == *"--- received 42 bytes on eC: answer ---"* ]]
	[[ "$output" == *"OPER                   1 (request)"* ]]
	[[ "$output" == *"OPER                   2 (reply)"* ]]
	[[ "$output" == *"SHA                    02:00:00:01:00:0c"* ]]
	[[ "$output" == *"TPA                    10.0.1.12"* ]]
	[[ "$output" == *"  0000  ff ff ff ff ff ff 02 00  00 01 00 01 08 06 00 01"* ]]
	[[ "${lines[-1]}" == 10.0.1.12$'\t'02:00:00:01:00:0c$'\t'* ]]
}

@test "arpq: our own address answers locally" {
	need_lan
	run inC arpq 10.0.1.1
	[ "$status" -eq 0 ]
	[ "$output" = 10.0.1.1$'\t'02:00:00:01:00:01$'\tlocal' ]
}

@test "arpq: an interface without IPv4 is refused clearly" {
	need_lan
	run ip netns exec "$(lan_ns H)" arpq -I eH 10.0.1.11
	[ "$status" -eq 2 ]
	[[ "$output" == *"eH: interface has no IPv4 address (use -s)"* ]]
	# with -s it may ask
	run ip netns exec "$(lan_ns H)" arpq -I eH -s 10.0.1.31 10.0.1.11
	[ "$status" -eq 0 ]
	[[ "$output" == 10.0.1.11$'\t'02:00:00:01:00:0b$'\t'* ]]
}

@test "arpq --cached answers from a REACHABLE entry without asking" {
	need_lan
	# a made-up MAC: only the cache can say this one
	inC ip neigh replace 10.0.1.13 lladdr 02:00:00:00:13:13 dev eC nud reachable
	run inC arpq --cached 10.0.1.13
	[ "$status" -eq 0 ]
	[ "$output" = 10.0.1.13$'\t'02:00:00:00:13:13$'\tcached' ]
	# a STALE entry is not trusted: the wire is asked
	inC ip neigh replace 10.0.1.13 lladdr 02:00:00:00:13:13 dev eC nud stale
	run inC arpq --cached 10.0.1.13
	[ "$status" -eq 0 ]
	[[ "$output" == 10.0.1.13$'\t'02:00:00:01:00:0d$'\t'*" ms" ]]
	inC ip neigh del 10.0.1.13 dev eC
}

@test "arpq without CAP_NET_RAW asks the kernel, results marked (kernel)" {
	need_lan
	need_cmd setpriv
	cp "$BIN/arpq" "$TMP/arpq" && chmod 755 "$TMP" "$TMP/arpq"
	flushC
	run inC setpriv --reuid=nobody --regid=nogroup --clear-groups "$TMP/arpq" -W 0.2 10.0.1.11 10.0.1.96 10.0.2.5
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == *"no CAP_NET_RAW: asking the kernel"* ]]
	[[ "${lines[1]}" == 10.0.1.11$'\t'02:00:00:01:00:0b$'\t'*$' ms\t(kernel)' ]]
	[ "${lines[2]}" = 10.0.1.96$'\t-\ttimeout' ]
	[[ "${lines[3]}" == 10.0.2.5$'\t'02:00:00:01:00:fe$'\t'*$' ms\tvia 10.0.1.254 (kernel)' ]]
	run inC setpriv --reuid=nobody --regid=nogroup --clear-groups "$TMP/arpq" -D 10.0.1.11
	[ "$status" -eq 2 ]
	[[ "$output" == *"-D needs CAP_NET_RAW"* ]]
}

# --- hostile frames from the raw responder (hostile-peers.md B.3) ---

# responder MODES: start the hostile peer for 10.0.1.30 in namespace H
responder() {
	ip netns exec "$(lan_ns H)" "$TESTBIN/arpresponder" eH 10.0.1.30 "$1" "$TMP/ready" &
	RESP_PID=$!
	wait_file "$TMP/ready"
}

@test "ARP-01 short frames are dropped; the good reply after them counts" {
	need_lan
	responder short
	run inC arpq -X -c 1 -W 0.3 10.0.1.30
	[ "$status" -eq 1 ]
	[[ "$output" == *"received 30 bytes on eC: malformed: shorter than its address lengths claim"* ]]
	[[ "$output" == *"received 24 bytes on eC: malformed: shorter than its address lengths claim"* ]]
	[ "${lines[-1]}" = 10.0.1.30$'\t-\ttimeout' ]
	kill "$RESP_PID"; wait "$RESP_PID" 2>/dev/null || true; rm -f "$TMP/ready"
	responder short,good
	run inC arpq 10.0.1.30
	[ "$status" -eq 0 ]
	[[ "$output" == 10.0.1.30$'\t'02:00:00:01:00:1e$'\t'*" ms" ]]
}

@test "ARP-02 wrong hardware or protocol type is dropped" {
	need_lan
	responder htype,ptype
	run inC arpq -X -c 1 -W 0.3 10.0.1.30
	[ "$status" -eq 1 ]
	[[ "$output" == *"malformed: hardware type is not Ethernet"* ]]
	[[ "$output" == *"malformed: protocol type is not IPv4"* ]]
	[ "${lines[-1]}" = 10.0.1.30$'\t-\ttimeout' ]
}

@test "ARP-03 replies for another IP or aimed at another host are ignored" {
	need_lan
	responder otherip,othertpa,othertha
	run inC arpq -c 1 -W 0.3 10.0.1.30
	[ "$status" -eq 1 ]
	[ "$output" = 10.0.1.30$'\t-\ttimeout' ]
	kill "$RESP_PID"; wait "$RESP_PID" 2>/dev/null || true; rm -f "$TMP/ready"
	responder otherip,othertha,good,othertpa
	run inC arpq 10.0.1.30
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == 10.0.1.30$'\t'02:00:00:01:00:1e$'\t'*" ms" ]]
}

@test "ARP-04 a reply sent to another station's MAC is not ours" {
	need_lan
	responder otherhost
	run inC arpq -c 1 -W 0.3 10.0.1.30
	[ "$status" -eq 1 ]
	[ "$output" = 10.0.1.30$'\t-\ttimeout' ]
}

@test "ARP-05 gratuitous ARP and probes are not answers; in DAD they are conflicts" {
	need_lan
	responder gratuitous,probe
	run inC arpq -X -c 1 -W 0.3 10.0.1.30
	[ "$status" -eq 1 ]
	[[ "$output" == *"on eC: gratuitous ---"* ]]
	[[ "$output" == *"on eC: probe ---"* ]]
	[ "${lines[-1]}" = 10.0.1.30$'\t-\ttimeout' ]
	run inC arpq -D -c 1 -W 0.3 10.0.1.30
	[ "$status" -eq 1 ]
	[[ "$output" == 10.0.1.30$'\t'02:00:00:01:00:1e$'\t'* ]]
}

@test "ARP-06 two MACs for one IP: every distinct MAC reported, DUP flagged" {
	need_lan
	responder good,dup,good
	run inC arpq 10.0.1.30
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == 10.0.1.30$'\t'02:00:00:01:00:1e$'\t'*" ms" ]]
	[[ "${lines[1]}" == 10.0.1.30$'\t'02:00:00:01:00:99$'\t'*$' ms\tDUP' ]]
}

@test "ARP-07 a reply padded to 60 bytes is an answer" {
	need_lan
	responder pad
	run inC arpq -X 10.0.1.30
	[ "$status" -eq 0 ]
	[[ "$output" == *"received 60 bytes on eC: answer"* ]]
	[[ "$output" == *"Padding, 18 bytes"* ]]
	[[ "${lines[-1]}" == 10.0.1.30$'\t'02:00:00:01:00:1e$'\t'*" ms" ]]
}

# --- the anchors agree ---

@test "arpq, iputils arping and arp-scan find the same MACs" {
	need_lan
	need_cmd arping arp-scan
	flushC
	a=$(inC arpq 10.0.1.11 10.0.1.12 10.0.1.254 | cut -f2 | sort)
	b=$(for h in 10.0.1.11 10.0.1.12 10.0.1.254; do
		inC arping -c 1 -w 1 -I eC "$h" | sed -n 's/.*\[\(.*\)\].*/\1/p'
	done | tr 'A-F' 'a-f' | sort)
	c=$(inC arp-scan -q -x -I eC 10.0.1.11 10.0.1.12 10.0.1.254 | cut -f2 | sort)
	[ "$(printf '%s\n' "$a" | wc -l)" -eq 3 ]
	[ "$a" = "$b" ]
	[ "$a" = "$c" ]
	# and the whole subnet, duplicates included
	a=$(inC arpq 10.0.1.0/24 | cut -f1,2 | sort -u)
	c=$(inC arp-scan -q -x -I eC 10.0.1.0/24 | cut -f1,2 | sort -u)
	[ "$(printf '%s\n' "$a" | wc -l)" -eq 6 ]
	[ "$a" = "$c" ]
}
