#!/usr/bin/env bats
# dig-lite-view.bats - what -X shows under and inside a DNS message
# (issue 22): the IPv4 and UDP headers under each UDP message, the source
# port being the one the kernel picked (the server logs the port it saw;
# tcpdump's capture read back by tshark shows it too), the checksum
# labelled as the kernel's; the 2-byte length prefix over TCP; RDATA split
# into fields (SOA, MX, SRV, CAA), compared with tshark on nsd's answers
# for tests/interop/conf/tubes.test.zone; and the resolver's lookups of
# any command with the same view.  Peers: tests/peers/dnspeer on
# 127.0.0.1; nsd from tests/interop/servers.bash (root).

load lib/common
load interop/servers
bats_require_minimum_version 1.5.0

setup() {
	T=$(mktemp -d)
	PIDS=
	TCPDUMP_PID=
}

teardown() {
	local p
	if [ -n "$TCPDUMP_PID" ]; then
		kill "$TCPDUMP_PID" 2>/dev/null
		wait "$TCPDUMP_PID" 2>/dev/null
	fi
	for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; done
	iop_stop_all 2>/dev/null || true
	rm -rf "$T"
}

# peer NAME: start dnspeer with the script on stdin; sets PORT
peer() {
	cat >"$T/$1.script"
	"$TESTBIN/dnspeer" -s "$T/$1.script" -P "$T/$1.port" -l "$T/$1.log" 3>&- &
	PIDS="$PIDS $!"
	wait_file "$T/$1.port"
	PORT=$(cat "$T/$1.port")
	DNSPORT=$PORT
}

lab_peer() {
	peer p <<-EOS
	match lab.test A
	answer lab.test 3600 A 192.0.2.1
	match lab.test MX
	answer lab.test 3600 MX 10 mx1.lab.test
	match lab.test SOA
	answer lab.test 300 SOA \# 036e7331036c6162047465737400 0a686f73746d6173746572036c6162047465737400 78c4246d 00000e10 00000384 00127500 0000012c
	match _sip._udp.lab.test SRV
	answer _sip._udp.lab.test 60 SRV \# 0001 0005 13c4 03737276036c6162047465737400
	match lab.test CAA
	answer lab.test 60 CAA \# 80 05 6973737565 63612e6c61622e74657374
	match tc.lab.test A
	tc
	answer tc.lab.test 60 A 192.0.2.10
	match www.lab.test A
	answer www.lab.test 60 A 127.0.0.1
	match * *
	rcode NXDOMAIN
	EOS
}

dl() {
	run --separate-stderr dig-lite @127.0.0.1 -p "$PORT" +timeout=2 +tries=1 "$@"
}

# xf BANNER FIELD FILE: the value of each FIELD line (name as lv_field pads
# it, leading blanks kept) in the blocks whose banner starts "--- BANNER"
xf() {
	awk -v b="$1" -v f="$2" '
	    /^--- / { inb = index($0, "--- " b) == 1; next }
	    inb && substr($0, 1, 4) == "    " {
		name = substr($0, 5, 22); sub(/ +$/, "", name)
		if (name == f) print substr($0, 28)
	    }' "$3"
}

# capture PORT_FILTER: tcpdump on lo into $T/cap.pcap, ready when it says so
capture() {
	[ "$(id -u)" -eq 0 ] || skip "capturing on lo needs root (CAP_NET_RAW)"
	command -v tcpdump >/dev/null || skip "no tcpdump"
	command -v tshark >/dev/null || skip "no tshark"
	tcpdump -Z root --immediate-mode -i lo -nn -U -w "$T/cap.pcap" "$1" 2>"$T/tcpdump.err" &
	TCPDUMP_PID=$!
	for _ in $(seq 50); do
		grep -q 'listening on' "$T/tcpdump.err" && return 0
		sleep 0.1
	done
	echo "tcpdump did not start" >&2
	return 1
}

# tsf N FIELD...: tshark's fields of the capture's frames that have any,
# waiting (3 s at most) until N frames do; DNS on port $DNSPORT
tsf() {
	local n=$1
	shift
	for _ in $(seq 30); do
		tshark -r "$T/cap.pcap" -d "udp.port==$DNSPORT,dns" -d "tcp.port==$DNSPORT,dns" \
		    -T fields -E separator=' ' "${@/#/-e}" 2>/dev/null |
		    grep '[^ ]' >"$T/ts.txt"
		[ "$(wc -l <"$T/ts.txt")" -ge "$n" ] && break
		sleep 0.1
	done
	cat "$T/ts.txt"
}

@test "dig-lite -X: IPv4 and UDP under each message; the source port is the one the server saw, the lengths the message's + 8 and + 28" {
	lab_peer
	dl -X lab.test
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$T/x.txt"
	qport=$(sed -n 's/^udp lab.test. A .* port=\([0-9]*\)$/\1/p' "$T/p.log")
	[ -n "$qport" ]
	# the query: our port (the kernel's random one), the server's 53-like port
	[ "$(xf 'sent 37 bytes' 'Source Port' "$T/x.txt")" = "$qport (chosen at random by the kernel)" ]
	[ "$(xf 'sent 37 bytes' 'Destination Port' "$T/x.txt")" = "$PORT" ]
	[ "$(xf 'sent 37 bytes' 'Length' "$T/x.txt")" = "45 (8 + 37)" ]
	[ "$(xf 'sent 37 bytes' 'Total Length' "$T/x.txt")" = "65" ]
	[ "$(xf 'sent 37 bytes' 'Source Address' "$T/x.txt")" = "127.0.0.1" ]
	[ "$(xf 'sent 37 bytes' 'Checksum' "$T/x.txt")" = "filled in by the kernel (a UDP socket does not see it)" ]
	# the answer: the same ports the other way round
	[ "$(xf 'received 53 bytes' 'Source Port' "$T/x.txt")" = "$PORT" ]
	[ "$(xf 'received 53 bytes' 'Destination Port' "$T/x.txt")" = "$qport (this socket's)" ]
	[ "$(xf 'received 53 bytes' 'Length' "$T/x.txt")" = "61 (8 + 53)" ]
	[ "$(xf 'received 53 bytes' 'Checksum' "$T/x.txt")" = "checked by the kernel (a UDP socket does not see it)" ]
	# the layers in order: IPv4, UDP, DNS, then the bytes
	awk '/^--- sent/ { s = 1 } s && /^IPv4, 20 bytes header/ { a = NR } s && /^UDP, 8 bytes header$/ { u = NR }
	    s && /^DNS, 37 bytes$/ { d = NR; exit } END { exit !(a && a < u && u < d) }' "$T/x.txt"
	# no checksum is made up
	! grep -Eq '^ +Checksum +0x' "$T/x.txt"
}

@test "dig-lite -X: the UDP ports and lengths are tcpdump's for the same run (tshark)" {
	lab_peer
	capture "udp port $PORT"
	dl -X lab.test MX
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$T/x.txt"
	{
		paste -d ' ' <(xf 'sent' 'Source Port' "$T/x.txt" | cut -d' ' -f1) \
		    <(xf 'sent' 'Destination Port' "$T/x.txt") <(xf 'sent' 'Length' "$T/x.txt" | cut -d' ' -f1) \
		    <(xf 'sent' 'Total Length' "$T/x.txt")
		paste -d ' ' <(xf 'received' 'Source Port' "$T/x.txt") \
		    <(xf 'received' 'Destination Port' "$T/x.txt" | cut -d' ' -f1) \
		    <(xf 'received' 'Length' "$T/x.txt" | cut -d' ' -f1) <(xf 'received' 'Total Length' "$T/x.txt")
	} >"$T/xs.txt"
	tsf 2 udp.srcport udp.dstport udp.length ip.len >"$T/ts2.txt"
	kill "$TCPDUMP_PID"
	wait "$TCPDUMP_PID" || true
	TCPDUMP_PID=
	[ "$(wc -l <"$T/xs.txt")" -eq 2 ]
	diff "$T/xs.txt" "$T/ts2.txt"
}

@test "dig-lite -X: over TCP (+tcp, and after TC) the 2-byte length prefix is a field before the message" {
	lab_peer
	dl -X +tcp lab.test
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$T/x.txt"
	grep -q "^--- sent 37 bytes to 127.0.0.1#$PORT (TCP) ---" "$T/x.txt"
	grep -qx 'DNS over TCP: 2-byte length prefix (RFC 1035 4.2.2, RFC 7766 8)' "$T/x.txt"
	[ "$(xf 'sent 37 bytes' 'Length' "$T/x.txt")" = "37 (0x00 0x25)" ]
	[ "$(xf 'received 53 bytes' 'Length' "$T/x.txt")" = "53 (0x00 0x35)" ]
	[ "$(xf 'sent 37 bytes' 'Destination Port' "$T/x.txt")" = "$PORT" ]
	# no UDP header over TCP
	! grep -q '^UDP, 8 bytes header' "$T/x.txt"
	# TC over UDP, then the same question over TCP: each with its own view
	dl -X tc.lab.test
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$T/x.txt"
	n=$(sed -n 's/^--- received \([0-9]*\) bytes from .* (UDP) ---$/\1/p' "$T/x.txt")
	[ "$(xf 'received' 'Length' "$T/x.txt" | head -1)" = "$((n + 8)) (8 + $n)" ]
	m=$(sed -n 's/^--- received \([0-9]*\) bytes from .* (TCP) ---$/\1/p' "$T/x.txt")
	[ -n "$m" ]
	[ "$(xf 'received' 'Length' "$T/x.txt" | tail -1)" = "$m (0x00 0x$(printf '%02x' "$m"))" ]
	[ "$(grep -c '^DNS over TCP: 2-byte length prefix' "$T/x.txt")" -eq 2 ]
}

@test "dig-lite -X: the TCP length prefix is tshark's dns.length" {
	lab_peer
	capture "tcp port $PORT"
	dl -X +tcp lab.test MX
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$T/x.txt"
	xf '' 'Length' "$T/x.txt" | cut -d' ' -f1 >"$T/xs.txt"
	tsf 2 dns.length >"$T/ts2.txt"
	kill "$TCPDUMP_PID"
	wait "$TCPDUMP_PID" || true
	TCPDUMP_PID=
	[ "$(wc -l <"$T/xs.txt")" -eq 2 ]
	diff "$T/xs.txt" "$T/ts2.txt"
}

@test "dig-lite -X: RDATA in fields (SOA, MX, SRV, CAA); the answer lines without -X stay one string" {
	lab_peer
	dl -X lab.test SOA
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$T/x.txt"
	[ "$(xf received '  MNAME' "$T/x.txt")" = "ns1.lab.test." ]
	[ "$(xf received '  RNAME' "$T/x.txt")" = "hostmaster.lab.test." ]
	[ "$(xf received '  SERIAL' "$T/x.txt")" = "2026120301" ]
	[ "$(xf received '  REFRESH' "$T/x.txt")" = "3600" ]
	[ "$(xf received '  RETRY' "$T/x.txt")" = "900" ]
	[ "$(xf received '  EXPIRE' "$T/x.txt")" = "1209600" ]
	[ "$(xf received '  MINIMUM' "$T/x.txt")" = "300" ]
	dl -X lab.test MX
	printf '%s\n' "$output" >"$T/x.txt"
	[ "$(xf received '  PREFERENCE' "$T/x.txt")" = "10" ]
	[ "$(xf received '  EXCHANGE' "$T/x.txt")" = "mx1.lab.test." ]
	dl -X _sip._udp.lab.test SRV
	printf '%s\n' "$output" >"$T/x.txt"
	[ "$(xf received '  Priority' "$T/x.txt")" = "1" ]
	[ "$(xf received '  Weight' "$T/x.txt")" = "5" ]
	[ "$(xf received '  Port' "$T/x.txt")" = "5060" ]
	[ "$(xf received '  Target' "$T/x.txt")" = "srv.lab.test." ]
	dl -X lab.test CAA
	printf '%s\n' "$output" >"$T/x.txt"
	[ "$(xf received '  Flags' "$T/x.txt")" = "128 (Issuer Critical)" ]
	[ "$(xf received '  Tag' "$T/x.txt")" = '"issue"' ]
	[ "$(xf received '  Value' "$T/x.txt")" = '"ca.lab.test"' ]
	# without -X: dig's one line, no fields
	dl lab.test SOA
	[[ "$output" == *$'\t300\tIN\tSOA\tns1.lab.test. hostmaster.lab.test. 2026120301 3600 900 1209600 300\n'* ]]
	! grep -q 'MNAME' <<<"$output"
}

@test "dig-lite -X against nsd: SOA, MX, SRV and CAA fields are tshark's for the same answers" {
	[ "$(id -u)" -eq 0 ] || skip "nsd and the capture need root"
	need_cmd nsd tcpdump tshark
	iop_start nsd || true
	iop_need nsd
	DNSPORT=$IOP_DNS_PORT
	capture "udp port $IOP_DNS_PORT"
	for q in "tubes.test SOA" "tubes.test MX" "_smtp._tcp.tubes.test SRV" "tubes.test CAA"; do
		run --separate-stderr dig-lite @127.0.0.1 -p "$IOP_DNS_PORT" +timeout=2 -X $q
		[ "$status" -eq 0 ]
		printf '%s\n' "$output" >>"$T/x.txt"
	done
	tsf 8 dns.flags.response dns.soa.mname dns.soa.rname dns.soa.serial_number dns.soa.refresh_interval \
	    dns.soa.retry_interval dns.soa.expire_limit dns.soa.minimum_ttl >"$T/soa.txt"
	tsf 8 dns.flags.response dns.mx.preference dns.mx.mail_exchange >"$T/mx.txt"
	tsf 8 dns.flags.response dns.srv.priority dns.srv.weight dns.srv.port dns.srv.target >"$T/srv.txt"
	tsf 8 dns.flags.response dns.caa.flags dns.caa.tag dns.caa.issue >"$T/caa.txt"
	kill "$TCPDUMP_PID"; wait "$TCPDUMP_PID" || true; TCPDUMP_PID=
	# tshark prints names without the final dot, and one line per frame
	strip() { sed 's/\.$//'; }
	want=$(grep -E '^(1|True) [a-z]' "$T/soa.txt" | cut -d' ' -f2-)
	got=$(paste -d ' ' <(xf received '  MNAME' "$T/x.txt" | strip) <(xf received '  RNAME' "$T/x.txt" | strip) \
	    <(xf received '  SERIAL' "$T/x.txt") <(xf received '  REFRESH' "$T/x.txt") \
	    <(xf received '  RETRY' "$T/x.txt") <(xf received '  EXPIRE' "$T/x.txt") \
	    <(xf received '  MINIMUM' "$T/x.txt"))
	[ -n "$want" ]
	[ "$got" = "$want" ] || { echo "-X:     $got"; echo "tshark: $want"; false; }
	# MX: two records in one frame, tshark joins each field's values with commas
	want=$(grep -E '^(1|True) [0-9]' "$T/mx.txt" | cut -d' ' -f2-)
	got="$(xf received '  PREFERENCE' "$T/x.txt" | paste -sd,) $(xf received '  EXCHANGE' "$T/x.txt" | strip | paste -sd,)"
	[ "$got" = "$want" ] || { echo "-X:     $got"; echo "tshark: $want"; false; }
	want=$(grep -E '^(1|True) [0-9]' "$T/srv.txt" | cut -d' ' -f2-)
	got="$(xf received '  Priority' "$T/x.txt") $(xf received '  Weight' "$T/x.txt") $(xf received '  Port' "$T/x.txt") $(xf received '  Target' "$T/x.txt" | strip)"
	[ "$got" = "$want" ] || { echo "-X:     $got"; echo "tshark: $want"; false; }
	want=$(grep -E '^(1|True) [0-9]' "$T/caa.txt" | cut -d' ' -f2-)
	# tshark shows the flags octet in hex
	got="$(printf '0x%02x' "$(xf received '  Flags' "$T/x.txt" | cut -d' ' -f1)") $(xf received '  Tag' "$T/x.txt" | tr -d '"') $(xf received '  Value' "$T/x.txt" | tr -d '"')"
	[ "$got" = "$want" ] || { echo "-X:     $got"; echo "tshark: $want"; false; }
}

@test "resolver -X: a command's lookups show the same UDP view (dnsresolve, httpget)" {
	lab_peer
	printf 'nameserver 127.0.0.1#%s\noptions timeout:1 attempts:1\n' "$PORT" >"$T/resolv.conf"
	export TUBES_RESOLV_CONF="$T/resolv.conf" TUBES_HOSTS="$T/hosts"
	: >"$T/hosts"
	run --separate-stderr "$TESTBIN/dnsresolve" -X -4 lab.test
	[ "$status" -eq 0 ]
	printf '%s\n' "$stderr" >"$T/x.txt"
	qport=$(sed -n 's/^udp lab.test. A .* port=\([0-9]*\)$/\1/p' "$T/p.log")
	[ -n "$qport" ]
	[ "$(xf 'resolver: sent' 'Source Port' "$T/x.txt")" = "$qport (chosen at random by the kernel)" ]
	[ "$(xf 'resolver: received' 'Destination Port' "$T/x.txt")" = "$qport (this socket's)" ]
	grep -q '^UDP, 8 bytes header$' "$T/x.txt"
	# httpget (its -X is the method: --layers) resolves www.lab.test: both
	# its lookups (A, AAAA) with their headers
	: >"$T/p.log"
	port=$("$TESTBIN/freeport" 1)
	run --separate-stderr timeout 10 httpget --layers "http://www.lab.test:$port/"
	printf '%s\n%s\n' "$output" "$stderr" >"$T/x.txt"
	grep -q "^--- resolver: sent [0-9]* bytes to 127.0.0.1#$PORT (UDP) ---" "$T/x.txt"
	sed -n 's/^udp .* port=\([0-9]*\)$/\1 (chosen at random by the kernel)/p' "$T/p.log" | sort >"$T/want"
	xf 'resolver: sent' 'Source Port' "$T/x.txt" | sort >"$T/got"
	[ -s "$T/want" ]
	diff "$T/want" "$T/got"
}

@test "dig-lite -X: a -f batch's queries share one socket, each shown with that port; over IPv6 the IPv6 payload length" {
	lab_peer
	printf 'lab.test MX\nwww.lab.test\n' >"$T/in"
	dl -X -f "$T/in"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$T/x.txt"
	sed -n 's/^udp .* port=\([0-9]*\)$/\1 (chosen at random by the kernel)/p' "$T/p.log" >"$T/want"
	[ "$(wc -l <"$T/want")" -eq 2 ]
	diff "$T/want" <(xf sent 'Source Port' "$T/x.txt")
	# IPv6: a peer on ::1
	[ -z "$(ip -6 addr show dev lo 2>/dev/null)" ] && skip "no IPv6 on lo"
	"$TESTBIN/dnspeer" -a ::1 -s "$T/p.script" -P "$T/q.port" -l "$T/q.log" 3>&- &
	PIDS="$PIDS $!"
	wait_file "$T/q.port"
	run --separate-stderr dig-lite @::1 -p "$(cat "$T/q.port")" +timeout=2 +tries=1 -X lab.test
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$T/x.txt"
	grep -q '^IPv6, 40 bytes header' "$T/x.txt"
	[ "$(xf 'sent 37 bytes' 'Payload Length' "$T/x.txt")" = "45" ]
	[ "$(xf 'sent 37 bytes' 'Destination Address' "$T/x.txt")" = "::1" ]
	qport=$(sed -n 's/^udp lab.test. A .* port=\([0-9]*\)$/\1/p' "$T/q.log")
	[ "$(xf 'sent 37 bytes' 'Source Port' "$T/x.txt")" = "$qport (chosen at random by the kernel)" ]
}
