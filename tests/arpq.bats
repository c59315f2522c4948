#!/usr/bin/env bats
# arpq: ARP who-has on a LAN of network namespaces made here and torn down
# after: ns_lan of tests/lib/netns.bash, plus three more stations on its bridge.
#
#   client 10.9.0.1 (02:00:00:00:00:01)   gateway 10.9.0.2 (..:02) -- far 10.9.1.2
#   n3 10.9.0.3 (..:03)   n4 10.9.0.4 (..:04)      (client: default via 10.9.0.2)
#   d1 10.9.0.20 (..:14)  d2 10.9.0.20 (..:15)     two hosts claiming one IP
#   h  no IPv4 (..:1e): home of the hostile raw responder, answering for 10.9.0.30
load lib/common
bats_require_minimum_version 1.5.0
load lib/netns
load lib/faults

# the stations ns_lan lacks, on its bridge
lan_extra() {
	local role n mac ip ns var
	for role in d1:5:14:10.9.0.20 d2:6:15:10.9.0.20 h:7:1e:; do
		IFS=: read -r role n mac ip <<<"$role"
		_ns_new "$role" || return 1
		var="NS_${role^^}"
		ns=${!var}
		_ns_link "$ns" eth0 "$NS_SW" "p$n" "02:00:00:00:00:$mac" || return 1
		ip -n "$NS_SW" link set "p$n" master br0
		[ -z "$ip" ] || ip -n "$ns" addr add "$ip/24" dev eth0
	done
}

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	ip netns list >/dev/null 2>&1 || return 0
	if ns_lan && lan_extra; then
		export LAN_READY=1
	else
		ns_teardown
	fi
}

teardown_file() {
	ns_teardown
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

# run a command in the client namespace; flush its neighbour cache
inC() { ip netns exec "$NS_CLIENT" "$@"; }
flushC() { inC ip neigh flush dev eth0 2>/dev/null || true; }

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

@test "arpq refuses loopback, multicast, broadcast and 0.0.0.0 targets" {
	run arpq 127.0.0.1
	[ "$status" -eq 2 ]
	[[ "$output" == *"127.0.0.1: not a unicast address on a link"* ]]
	run arpq 0.0.0.0 224.0.0.1 255.255.255.255
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = 0.0.0.0$'\t-\tnot a unicast address on a link' ]
	[ "${lines[1]}" = 224.0.0.1$'\t-\tnot a unicast address on a link' ]
	[ "${lines[2]}" = 255.255.255.255$'\t-\tnot a unicast address on a link' ]
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
	run inC arpq 10.9.0.3
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^10\.9\.0\.3$'\t'02:00:00:00:00:03$'\t'[0-9]+\.[0-9]{3}\ ms$ ]]
}

@test "arpq: several hosts, one line each in input order, a miss marked" {
	need_lan
	run inC arpq 10.9.0.4 10.9.0.99 10.9.0.3 10.9.0.2
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[0]}" == 10.9.0.4$'\t'02:00:00:00:00:04$'\t'*" ms" ]]
	[ "${lines[1]}" = 10.9.0.99$'\t-\ttimeout' ]
	[[ "${lines[2]}" == 10.9.0.3$'\t'02:00:00:00:00:03$'\t'* ]]
	[[ "${lines[3]}" == 10.9.0.2$'\t'02:00:00:00:00:02$'\t'* ]]
}

@test "arpq: non-existent host exits 1 after its requests" {
	need_lan
	run inC arpq -c 2 -W 0.2 10.9.0.98
	[ "$status" -eq 1 ]
	[ "$output" = 10.9.0.98$'\t-\ttimeout' ]
}

@test "arpq: a /24 scan finds exactly the live hosts" {
	need_lan
	run inC arpq 10.9.0.0/24
	[ "$status" -eq 0 ]
	got=$(printf '%s\n' "${lines[@]}" | cut -f1,2,4)
	want=$(printf '%s\n' 10.9.0.2$'\t'02:00:00:00:00:02 10.9.0.3$'\t'02:00:00:00:00:03 \
		10.9.0.4$'\t'02:00:00:00:00:04 10.9.0.20$'\t'02:00:00:00:00:1[45] \
		10.9.0.20$'\t'02:00:00:00:00:1[45]$'\tDUP')
	[ "${#lines[@]}" -eq 5 ]
	[[ "$got" == $want ]]
}

@test "arpq: a scan of an empty range says so and exits 1" {
	need_lan
	run inC arpq -W 0.2 10.9.0.96/30
	[ "$status" -eq 1 ]
	[ "$output" = 10.9.0.96/30$'\t-\tno reply' ]
}

@test "arpq: a scan asks only hosts on the link" {
	need_lan
	run inC arpq 10.9.1.0/24
	[ "$status" -eq 1 ]
	[ "$output" = 10.9.1.0/24$'\t-\tnot on the link' ]
	# a wider range: the on-link /24 inside it answers, nothing via the gateway
	run inC arpq -i 0.0005 10.9.0.0/22
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
	[[ "$output" != *via* ]]
}

@test "arpq -i paces a scan: 29 frames 20 ms apart take at least 0.56 s" {
	need_lan
	start=$(date +%s%N)
	run inC arpq -j -i 0.02 -W 0.1 10.9.0.0/27
	end=$(date +%s%N)
	[ "$status" -eq 0 ]
	[[ "${lines[-1]}" == *'"sent":29,'* ]]
	[ $(( (end - start) / 1000000 )) -ge 560 ]
}

@test "arpq: SIGINT prints what is known, the rest interrupted, exit by results" {
	need_lan
	# not through inC: a backgrounded function is a subshell, and $! its PID
	ip netns exec "$NS_CLIENT" arpq -c 1000 -W 1 10.9.0.3 10.9.0.96 >"$TMP/out" 2>&1 &
	pid=$!
	wait_file "$TMP/out"
	kill -INT "$pid"
	rc=0; wait "$pid" || rc=$?
	[ "$rc" -eq 1 ]
	run cat "$TMP/out"
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == 10.9.0.3$'\t'02:00:00:00:00:03$'\t'* ]]
	[ "${lines[1]}" = 10.9.0.96$'\t-\tinterrupted' ]
}

@test "arpq: off-link target answered by the gateway's MAC, via shown" {
	need_lan
	flushC
	run inC arpq 10.9.1.2
	[ "$status" -eq 0 ]
	[[ "$output" == 10.9.1.2$'\t'02:00:00:00:00:02$'\t'*$' ms\tvia 10.9.0.2' ]]
}

@test "arpq: targets from stdin, names from TUBES_HOSTS, one line per input" {
	need_lan
	printf '10.9.1.2 far\n10.9.0.4 n2\n' >"$TMP/hosts"
	run --separate-stderr inC env TUBES_HOSTS="$TMP/hosts" arpq - <<<$'n2\n\n10.9.0.97\nfar\nnosuch.invalid'
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[0]}" == 10.9.0.4$'\t'02:00:00:00:00:04$'\t'* ]]
	[ "${lines[1]}" = 10.9.0.97$'\t-\ttimeout' ]
	[[ "${lines[2]}" == 10.9.1.2$'\t'02:00:00:00:00:02$'\t'*via\ 10.9.0.2 ]]
	[[ "${lines[3]}" == nosuch.invalid$'\t-\t'* ]]
	[ "$status" -ne 0 ]
}

@test "arpq -: each line is asked as it arrives, not at the end of the input; a line over 4 KiB is one error" {
	need_lan
	{ echo 10.9.0.3; sleep 3; echo 10.9.0.4; head -c 5000 /dev/zero | tr '\0' 1; echo; } |
		inC arpq -c 1 -W 0.3 - >"$TMP/out" 2>"$TMP/err" &
	local pid=$!
	wait_file "$TMP/out" 2	# within 2 s, while the second line is still 1 s away
	[[ "$(cat "$TMP/out")" == 10.9.0.3$'\t'02:00:00:00:00:03$'\t'* ]]
	wait "$pid" || true
	[ "$(wc -l <"$TMP/out")" -eq 3 ]
	[[ "$(sed -n 2p "$TMP/out")" == 10.9.0.4$'\t'02:00:00:00:00:04$'\t'* ]]
	[ "$(sed -n 3p "$TMP/out")" = $'-\t-\tline too long' ]
}

@test "arpq: a /16 scan holds the memory of a /20 (targets are made as the window has room)" {
	need_lan
	local small big
	small=$( { inC /usr/bin/time -f '%M' arpq -q -i 0 -W 0.05 -c 1 -I eth0 10.9.0.0/20 >/dev/null; } 2>&1 | tail -1)
	big=$( { inC /usr/bin/time -f '%M' arpq -q -i 0 -W 0.05 -c 1 -I eth0 10.9.0.0/16 >/dev/null; } 2>&1 | tail -1)
	echo "peak RSS: /20 $small KiB, /16 $big KiB"
	[ "$big" -le $(( small * 11 / 10 )) ]
}

@test "arpq -n refuses names" {
	need_lan
	printf '10.9.0.4 n2\n' >"$TMP/hosts"
	run inC env TUBES_HOSTS="$TMP/hosts" arpq -n n2
	[ "$status" -eq 2 ]
	[ "$output" = n2$'\t-\tnot an IPv4 address' ]
}

@test "arpq -D: a free address exits 0, a taken one exits 1 with the holder's MAC" {
	need_lan
	run inC arpq -D -c 2 -W 0.2 10.9.0.97
	[ "$status" -eq 0 ]
	[ "$output" = 10.9.0.97$'\t-\tfree' ]
	run inC arpq -D -c 2 -W 0.2 10.9.0.4
	[ "$status" -eq 1 ]
	[[ "$output" == 10.9.0.4$'\t'02:00:00:00:00:04$'\t'* ]]
}

@test "arpq: two hosts claiming one IP are both shown, the second flagged DUP" {
	need_lan
	run inC arpq 10.9.0.20
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == 10.9.0.20$'\t'02:00:00:00:00:1[45]$'\t'*" ms" ]]
	[[ "${lines[1]}" == 10.9.0.20$'\t'02:00:00:00:00:1[45]$'\t'*$' ms\tDUP' ]]
	[ "$(cut -f2 <<<"$output" | sort -u | wc -l)" -eq 2 ]
}

@test "arpq -U: the announcement reaches a neighbour's cache" {
	need_lan
	# n3 learns the client's MAC for 10.9.0.1 from the gratuitous ARP
	ip netns exec "$NS_N3" ip neigh flush dev eth0
	run inC arpq -U 10.9.0.1
	[ "$status" -eq 0 ]
	[ "$output" = 10.9.0.1$'\t'02:00:00:00:00:01$'\tannounced' ]
	# Linux accepts a gratuitous ARP only into an existing entry; make one first
	ip netns exec "$NS_N3" ip neigh replace 10.9.0.1 lladdr 02:00:00:00:ee:ee dev eth0 nud stale
	run inC arpq -U 10.9.0.1
	[ "$status" -eq 0 ]
	run ip netns exec "$NS_N3" ip neigh show 10.9.0.1
	[[ "$output" == *"lladdr 02:00:00:00:00:01"* ]]
}

@test "arpq -f stops at the first answer; -q prints nothing" {
	need_lan
	run inC arpq -f -c 1 10.9.0.3 10.9.0.4
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == 10.9.0.3$'\t'02:00:00:00:00:03$'\t'* ]]
	run inC arpq -q 10.9.0.3
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run inC arpq -q -c 1 -W 0.1 10.9.0.96
	[ "$status" -eq 1 ]
	[ -z "$output" ]
}

@test "arpq -w: the deadline ends everything" {
	need_lan
	start=$(date +%s%N)
	run inC arpq -w 0.3 -c 100 -W 1 10.9.0.96
	end=$(date +%s%N)
	[ "$status" -eq 1 ]
	[ "$output" = 10.9.0.96$'\t-\tdeadline' ]
	[ $(( (end - start) / 1000000 )) -lt 5000 ]
}

@test "arpq -j: one object per reply and miss, summary last" {
	need_lan
	run inC arpq -j -c 1 -W 0.2 10.9.0.3 10.9.0.96
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == '{"type":"reply","target":"10.9.0.3","ip":"10.9.0.3","mac":"02:00:00:00:00:03","rtt_ms":'*',"interface":"eth0","via":null,"dup":false,"source":"arp"}' ]]
	[ "${lines[1]}" = '{"type":"timeout","target":"10.9.0.96","ip":"10.9.0.96","interface":"eth0","via":null,"error":"timeout"}' ]
	[ "${lines[2]}" = '{"type":"summary","targets":2,"answered":1,"sent":2,"received":1,"exit":1}' ]
}

@test "arpq -j: a name that does not exist (NXDOMAIN) is an error object naming why, not a timeout" {
	need_lan
	printf 'match nx.lan.test A\nrcode NXDOMAIN\n' >"$TMP/script"
	ip netns exec "$NS_CLIENT" "$TESTBIN/dnspeer" -s "$TMP/script" -P "$TMP/port" &
	RESP_PID=$!
	wait_file "$TMP/port"
	printf 'nameserver 127.0.0.1#%s\noptions timeout:1 attempts:1\n' "$(cat "$TMP/port")" >"$TMP/rc"
	: >"$TMP/hosts"
	run --separate-stderr inC env TUBES_RESOLV_CONF="$TMP/rc" TUBES_HOSTS="$TMP/hosts" arpq -j -c 1 -W 0.2 nx.lan.test 10.9.0.96
	[ "$status" -eq 1 ]
	[ "$stderr" = "arpq: nx.lan.test: no such host" ]
	[ "${lines[0]}" = '{"type":"error","target":"nx.lan.test","ip":null,"interface":null,"via":null,"error":"no such host"}' ]
	[[ "${lines[0]}" != *'"error":"timeout"'* ]]
	[ "${lines[1]}" = '{"type":"timeout","target":"10.9.0.96","ip":"10.9.0.96","interface":"eth0","via":null,"error":"timeout"}' ]
	[[ "${lines[2]}" == '{"type":"summary","targets":2,'* ]]
}

@test "arpq -X decodes the request sent and the reply received" {
	need_lan
	run inC arpq -X -c 1 10.9.0.4
	[ "$status" -eq 0 ]
	[[ "$output" == *"--- sent 42 bytes on eth0 ---"* ]]
	[[ "$output" == *"--- received 42 bytes on eth0: answer ---"* ]]
	[[ "$output" == *"OPER                   1 (request)"* ]]
	[[ "$output" == *"OPER                   2 (reply)"* ]]
	[[ "$output" == *"SHA                    02:00:00:00:00:04"* ]]
	[[ "$output" == *"TPA                    10.9.0.4"* ]]
	[[ "$output" == *"  0000  ff ff ff ff ff ff 02 00  00 00 00 01 08 06 00 01"* ]]
	[[ "${lines[-1]}" == 10.9.0.4$'\t'02:00:00:00:00:04$'\t'* ]]
}

@test "arpq -s: requests from another sender address; the answer comes to it" {
	need_lan
	run inC arpq -X -c 1 -s 10.9.0.77 10.9.0.3
	[ "$status" -eq 0 ]
	[[ "$output" == *"SPA                    10.9.0.77"* ]]
	[[ "$output" == *"TPA                    10.9.0.77"* ]]
	[[ "${lines[-1]}" == 10.9.0.3$'\t'02:00:00:00:00:03$'\t'* ]]
}

@test "arpq: our own address answers locally" {
	need_lan
	run inC arpq 10.9.0.1
	[ "$status" -eq 0 ]
	[ "$output" = 10.9.0.1$'\t'02:00:00:00:00:01$'\tlocal' ]
}

@test "arpq: an interface without IPv4 is refused clearly" {
	need_lan
	run ip netns exec "$NS_H" arpq -I eth0 10.9.0.3
	[ "$status" -eq 2 ]
	[[ "$output" == *"eth0: interface has no IPv4 address (use -s)"* ]]
	# with -s it may ask
	run ip netns exec "$NS_H" arpq -I eth0 -s 10.9.0.31 10.9.0.3
	[ "$status" -eq 0 ]
	[[ "$output" == 10.9.0.3$'\t'02:00:00:00:00:03$'\t'* ]]
}

@test "arpq --cached answers from a REACHABLE entry without asking" {
	need_lan
	# a made-up MAC: only the cache can say this one
	inC ip neigh replace 10.9.0.4 lladdr 02:00:00:00:13:13 dev eth0 nud reachable
	run inC arpq --cached 10.9.0.4
	[ "$status" -eq 0 ]
	[ "$output" = 10.9.0.4$'\t'02:00:00:00:13:13$'\tcached' ]
	# a STALE entry is not trusted: the wire is asked
	inC ip neigh replace 10.9.0.4 lladdr 02:00:00:00:13:13 dev eth0 nud stale
	run inC arpq --cached 10.9.0.4
	[ "$status" -eq 0 ]
	[[ "$output" == 10.9.0.4$'\t'02:00:00:00:00:04$'\t'*" ms" ]]
	inC ip neigh del 10.9.0.4 dev eth0
}

@test "arpq without CAP_NET_RAW asks the kernel, results marked (kernel)" {
	need_lan
	need_cmd setpriv
	cp "$BIN/arpq" "$TMP/arpq" && chmod 755 "$TMP" "$TMP/arpq"
	flushC
	run inC setpriv --reuid=nobody --regid=nogroup --clear-groups "$TMP/arpq" -W 0.2 10.9.0.3 10.9.0.96 10.9.1.2
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == *"no CAP_NET_RAW: asking the kernel"* ]]
	[[ "${lines[1]}" == 10.9.0.3$'\t'02:00:00:00:00:03$'\t'*$' ms\t(kernel)' ]]
	[ "${lines[2]}" = 10.9.0.96$'\t-\ttimeout' ]
	[[ "${lines[3]}" == 10.9.1.2$'\t'02:00:00:00:00:02$'\t'*$' ms\tvia 10.9.0.2 (kernel)' ]]
	run inC setpriv --reuid=nobody --regid=nogroup --clear-groups "$TMP/arpq" -X 10.9.1.2
	[ "$status" -eq 0 ]
	[[ "$output" == *"--- sent an empty UDP datagram to 10.9.1.2 port 9: the kernel asks who has 10.9.0.2 "* ]]
	run inC setpriv --reuid=nobody --regid=nogroup --clear-groups "$TMP/arpq" -D 10.9.0.3
	[ "$status" -eq 2 ]
	[[ "$output" == *"-D needs CAP_NET_RAW"* ]]
}

# --- arping's mode: one host and -i ---

# arping's lines with the times made equal
untimed() { sed -E 's/  [0-9]+\.[0-9]{3}ms$/  Tms/'; }

@test "arpq -c N -i S HOST: arping's lines, side by side with iputils arping (answered, unanswered)" {
	need_lan
	need_cmd arping
	local ours theirs rc1 rc2
	ours=$(inC arpq -c 3 -i 0.2 10.9.0.3 | untimed) && rc1=0 || rc1=$?
	theirs=$(inC arping -c 3 -i 1 -I eth0 10.9.0.3 | untimed) && rc2=0 || rc2=$?
	echo "ours ($rc1):"; echo "$ours"; echo "arping ($rc2):"; echo "$theirs"
	[ "$ours" = "$theirs" ]
	[ "$rc1" -eq 0 ] && [ "$rc2" -eq 0 ]
	# as arping: the first request broadcast, then to the MAC that answered
	[ "$(echo "$ours" | tail -2)" = "Sent 3 probes (1 broadcast(s))
Received 3 response(s)" ]
	[ "$(echo "$ours" | head -1)" = "ARPING 10.9.0.3 from 10.9.0.1 eth0" ]
	[ "$(echo "$ours" | grep -c '^Unicast reply from 10.9.0.3 \[02:00:00:00:00:03\]  Tms$')" -eq 3 ]
	ours=$(inC arpq -c 2 -i 0.2 10.9.0.95) && rc1=0 || rc1=$?
	theirs=$(inC arping -c 2 -I eth0 10.9.0.95) && rc2=0 || rc2=$?
	echo "ours ($rc1):"; echo "$ours"; echo "arping ($rc2):"; echo "$theirs"
	[ "$ours" = "$theirs" ]
	[ "$rc1" -eq 1 ] && [ "$rc2" -eq 1 ]
	[ "$(echo "$ours" | tail -1)" = "Received 0 response(s)" ]
}

@test "arpq -c N -i S: two hosts claiming the address: every reply is a line, as arping's" {
	need_lan
	need_cmd arping
	flushC
	run inC arpq -c 2 -i 0.2 10.9.0.20
	[ "$status" -eq 0 ]
	# the broadcast is answered by both, the unicast after it by one
	[ "$(grep -c '^Unicast reply from 10.9.0.20 \[02:00:00:00:00:1[45]\]  [0-9.]*ms$' <<<"$output")" -eq 3 ]
	[ "$(grep -o '\[.*\]' <<<"$output" | sort -u | wc -l)" -eq 2 ]
	[ "${lines[-1]}" = "Received 3 response(s)" ]
	run inC arping -c 2 -I eth0 10.9.0.20
	[ "${lines[-1]}" = "Received 3 response(s)" ]
}

@test "arpq -i HOST: -b keeps broadcasting, -f stops at the first reply, -w ends it, exit as arping's" {
	need_lan
	run inC arpq -X -c 2 -i 0.1 10.9.0.3
	[ "$status" -eq 0 ]
	[ "$(grep -A2 '^--- sent' <<<"$output" | grep -c 'Destination  *ff:ff:ff:ff:ff:ff')" -eq 1 ]
	[ "$(grep -A2 '^--- sent' <<<"$output" | grep -c 'Destination  *02:00:00:00:00:03')" -eq 1 ]
	run inC arpq -b -c 2 -i 0.1 10.9.0.3
	[ "${lines[-2]}" = "Sent 2 probes (2 broadcast(s))" ]
	run inC arpq -f -i 0.5 10.9.0.3
	[ "$status" -eq 0 ]
	[ "${lines[-2]}" = "Sent 1 probes (1 broadcast(s))" ]
	# without -c, until the deadline: requests at 0, 0.2 and 0.4 s
	run inC arpq -w 0.5 -i 0.2 10.9.0.3
	[ "$status" -eq 0 ]
	[ "${lines[-2]}" = "Sent 3 probes (1 broadcast(s))" ]
	# -w with -c: 0 only if count replies came before the deadline (arping(8))
	run inC arpq -w 0.5 -c 5 -i 0.2 10.9.0.3
	[ "$status" -eq 1 ]
	[ "${lines[-1]}" = "Received 3 response(s)" ]
	run inC arpq -q -c 1 -i 0.1 10.9.0.94
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	# off the link: the gateway is asked, and named
	run inC arpq -c 1 -i 0.1 10.9.1.2
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ARPING 10.9.0.2 from 10.9.0.1 eth0" ]
	[[ "${lines[1]}" =~ ^Unicast\ reply\ from\ 10\.9\.0\.2\ \[02:00:00:00:00:02\]\ \ [0-9]+\.[0-9]{3}ms$ ]]
}

@test "arpq -j -c N -i S HOST: a reply object per reply, the summary with sent, broadcasts, received" {
	need_lan
	run inC arpq -j -c 2 -i 0.1 10.9.0.4
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[0]}" == '{"type":"reply","target":"10.9.0.4","ip":"10.9.0.4","mac":"02:00:00:00:00:04","rtt_ms":'*',"interface":"eth0","via":null,"unicast":true,"request":1}' ]]
	[[ "${lines[1]}" == *'"request":2}' ]]
	[ "${lines[2]}" = '{"type":"summary","targets":1,"answered":1,"sent":2,"broadcasts":1,"received":2,"exit":0}' ]
}

@test "arpq -i: SIGINT ends arping's mode with its summary; several targets keep a line each" {
	need_lan
	ip netns exec "$NS_CLIENT" arpq -i 0.1 10.9.0.3 >"$TMP/out" 2>&1 &
	pid=$!
	# until the first reply is printed (bounded: 5 s)
	for ((i = 0; i < 250; i++)); do
		grep -q 'reply from' "$TMP/out" && break
		sleep 0.02
	done
	kill -INT "$pid"
	rc=0; wait "$pid" || rc=$?
	[ "$rc" -eq 0 ]
	run cat "$TMP/out"
	[[ "${lines[-1]}" == "Received "*" response(s)" ]]
	run inC arpq -c 1 -i 0.1 10.9.0.3 10.9.0.4
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == 10.9.0.3$'\t'02:00:00:00:00:03$'\t'* ]]
	# -c alone keeps its meaning: requests until the first answer, one line
	run inC arpq -c 3 10.9.0.3
	[[ "$output" =~ ^10\.9\.0\.3$'\t'02:00:00:00:00:03$'\t'[0-9.]+\ ms$ ]]
	# arping's mode needs the raw socket
	need_cmd setpriv
	cp "$BIN/arpq" "$TMP/arpq" && chmod 755 "$TMP" "$TMP/arpq"
	run inC setpriv --reuid=nobody --regid=nogroup --clear-groups "$TMP/arpq" -c 1 -i 0.1 10.9.0.3
	[ "$status" -eq 2 ]
	[[ "$output" == *"arping's mode) needs CAP_NET_RAW"* ]]
}

# --- hostile frames from the raw responder (hostile-peers.md B.3) ---

# responder MODES: start the hostile peer for 10.9.0.30 in namespace H
responder() {
	ip netns exec "$NS_H" "$TESTBIN/arpresponder" eth0 10.9.0.30 "$1" "$TMP/ready" &
	RESP_PID=$!
	wait_file "$TMP/ready"
}

@test "ARP-01 short frames are dropped; the good reply after them counts" {
	need_lan
	responder short
	run inC arpq -X -c 1 -W 0.3 10.9.0.30
	[ "$status" -eq 1 ]
	[[ "$output" == *"received 30 bytes on eth0: malformed: shorter than its address lengths claim"* ]]
	[[ "$output" == *"received 24 bytes on eth0: malformed: shorter than its address lengths claim"* ]]
	[ "${lines[-1]}" = 10.9.0.30$'\t-\ttimeout' ]
	kill "$RESP_PID"; wait "$RESP_PID" 2>/dev/null || true; rm -f "$TMP/ready"
	responder short,good
	run inC arpq 10.9.0.30
	[ "$status" -eq 0 ]
	[[ "$output" == 10.9.0.30$'\t'02:00:00:00:00:1e$'\t'*" ms" ]]
}

@test "ARP-02 wrong hardware or protocol type is dropped" {
	need_lan
	responder htype,ptype
	run inC arpq -X -c 1 -W 0.3 10.9.0.30
	[ "$status" -eq 1 ]
	[[ "$output" == *"malformed: hardware type is not Ethernet"* ]]
	[[ "$output" == *"malformed: protocol type is not IPv4"* ]]
	[ "${lines[-1]}" = 10.9.0.30$'\t-\ttimeout' ]
}

@test "ARP-03 replies for another IP or aimed at another host are ignored" {
	need_lan
	responder otherip,othertpa,othertha
	run inC arpq -c 1 -W 0.3 10.9.0.30
	[ "$status" -eq 1 ]
	[ "$output" = 10.9.0.30$'\t-\ttimeout' ]
	kill "$RESP_PID"; wait "$RESP_PID" 2>/dev/null || true; rm -f "$TMP/ready"
	responder otherip,othertha,good,othertpa
	run inC arpq 10.9.0.30
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == 10.9.0.30$'\t'02:00:00:00:00:1e$'\t'*" ms" ]]
}

@test "ARP-04 a reply sent to another station's MAC is not ours" {
	need_lan
	responder otherhost
	run inC arpq -c 1 -W 0.3 10.9.0.30
	[ "$status" -eq 1 ]
	[ "$output" = 10.9.0.30$'\t-\ttimeout' ]
}

@test "ARP-05 gratuitous ARP and probes are not answers; in DAD they are conflicts" {
	need_lan
	responder gratuitous,probe
	run inC arpq -X -c 1 -W 0.3 10.9.0.30
	[ "$status" -eq 1 ]
	[[ "$output" == *"on eth0: gratuitous ---"* ]]
	[[ "$output" == *"on eth0: probe ---"* ]]
	[ "${lines[-1]}" = 10.9.0.30$'\t-\ttimeout' ]
	run inC arpq -D -c 1 -W 0.3 10.9.0.30
	[ "$status" -eq 1 ]
	[[ "$output" == 10.9.0.30$'\t'02:00:00:00:00:1e$'\t'* ]]
}

@test "ARP-06 two MACs for one IP: every distinct MAC reported, DUP flagged" {
	need_lan
	responder good,dup,good
	run inC arpq 10.9.0.30
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == 10.9.0.30$'\t'02:00:00:00:00:1e$'\t'*" ms" ]]
	[[ "${lines[1]}" == 10.9.0.30$'\t'02:00:00:01:00:99$'\t'*$' ms\tDUP' ]]
}

@test "ARP-07 a reply padded to 60 bytes is an answer" {
	need_lan
	responder pad
	run inC arpq -X 10.9.0.30
	[ "$status" -eq 0 ]
	[[ "$output" == *"received 60 bytes on eth0: answer"* ]]
	[[ "$output" == *"Padding, 18 bytes"* ]]
	[[ "${lines[-1]}" == 10.9.0.30$'\t'02:00:00:00:00:1e$'\t'*" ms" ]]
}

# --- the anchors agree ---

@test "arpq, iputils arping and arp-scan find the same MACs" {
	need_lan
	need_cmd arping arp-scan
	flushC
	a=$(inC arpq 10.9.0.3 10.9.0.4 10.9.0.2 | cut -f2 | sort)
	b=$(for h in 10.9.0.3 10.9.0.4 10.9.0.2; do
		inC arping -c 1 -w 1 -I eth0 "$h" | sed -n 's/.*\[\(.*\)\].*/\1/p'
	done | tr 'A-F' 'a-f' | sort)
	c=$(inC arp-scan -q -x -I eth0 10.9.0.3 10.9.0.4 10.9.0.2 | cut -f2 | sort)
	[ "$(printf '%s\n' "$a" | wc -l)" -eq 3 ]
	[ "$a" = "$b" ]
	[ "$a" = "$c" ]
	# and the whole subnet, duplicates included
	a=$(inC arpq 10.9.0.0/24 | cut -f1,2 | sort -u)
	c=$(inC arp-scan -q -x -I eth0 10.9.0.0/24 | cut -f1,2 | sort -u)
	[ "$(printf '%s\n' "$a" | wc -l)" -eq 5 ]
	[ "$a" = "$c" ]
}

@test "arpq: a failed allocation anywhere ends in an exit code, never a crash" {
	need_lan
	# targets on stdin too: each line is a copy the window frees when printed
	printf '10.9.0.4 n2\n' >"$TMP/hosts"
	printf '10.9.0.96\nn2\n10.9.0.0/29\n10.9.0.3\n' >"$TMP/targets"
	TORTURE_SAMPLE=40 torture_alloc inC env TUBES_HOSTS="$TMP/hosts" sh -c \
		'exec arpq -c 1 -W 0.1 10.9.0.3 - 10.9.0.0/28 <"$0"' "$TMP/targets"
	[ "$TORTURE_RUNS" -ge 5 ]
}

@test "arpq: a name resolved over DNS; -X shows the lookup's packets too" {
	need_lan
	printf 'match n3.lan.test A\nanswer n3.lan.test 60 A 10.9.0.3\n' >"$TMP/script"
	ip netns exec "$NS_CLIENT" "$TESTBIN/dnspeer" -s "$TMP/script" -P "$TMP/port" &
	RESP_PID=$!
	wait_file "$TMP/port"
	printf 'nameserver 127.0.0.1#%s\noptions timeout:1 attempts:1\n' "$(cat "$TMP/port")" >"$TMP/rc"
	: >"$TMP/hosts"
	run inC env TUBES_RESOLV_CONF="$TMP/rc" TUBES_HOSTS="$TMP/hosts" arpq -X -c 1 n3.lan.test
	[ "$status" -eq 0 ]
	[[ "$output" == *"--- resolver: sent "* ]]
	[[ "$output" == *"--- resolver: received "* ]]
	[[ "$output" == *"--- sent 42 bytes on eth0 ---"* ]]
	[[ "${lines[-1]}" == 10.9.0.3$'\t'02:00:00:00:00:03$'\t'* ]]
	# without -X only the answer
	run inC env TUBES_RESOLV_CONF="$TMP/rc" TUBES_HOSTS="$TMP/hosts" arpq n3.lan.test
	[ "$status" -eq 0 ]
	[[ "$output" == 10.9.0.3$'\t'02:00:00:00:00:03$'\t'*" ms" ]]
}
