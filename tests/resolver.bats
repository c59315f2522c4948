#!/usr/bin/env bats
# The stub resolver (lib/sys/resolv.c + lib/sys/dnsres.c) through tests/peers/dnsresolve:
# hosts file first, then the resolv.conf servers (TUBES_RESOLV_CONF) with
# search, ndots, timeout, attempts; A and AAAA together; MX; PTR.
# DNS answers come from tests/peers/dnspeer on 127.0.0.1 ("ADDR#PORT"
# in our resolv.conf files names the peer's kernel-chosen port).

load lib/common
bats_require_minimum_version 1.5.0

setup() {
	T=$(mktemp -d)
	PIDS=
	export TUBES_HOSTS="$T/hosts" TUBES_RESOLV_CONF="$T/resolv.conf"
	: >"$T/hosts"
}

teardown() {
	local p
	for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; done
	rm -rf "$T"
}

peer() {
	cat >"$T/$1.script"
	"$TESTBIN/dnspeer" -s "$T/$1.script" -P "$T/$1.port" -l "$T/$1.log" 3>&- &
	PIDS="$PIDS $!"
	wait_file "$T/$1.port"
	PORT=$(cat "$T/$1.port")
}

res() {
	run --separate-stderr "$TESTBIN/dnsresolve" "$@"
}

lab_peer() {
	peer p <<-EOS
	match www.lab.test A
	answer www.lab.test 60 A 192.0.2.10
	match www.lab.test AAAA
	answer www.lab.test 60 AAAA 2001:db8::10
	match alias.lab.test A
	answer alias.lab.test 60 CNAME www.lab.test
	answer www.lab.test 60 A 192.0.2.10
	match alias.lab.test AAAA
	answer alias.lab.test 60 CNAME www.lab.test
	match lab.test MX
	answer lab.test 60 MX 20 mx2.lab.test
	answer lab.test 60 MX 10 mx1.lab.test
	answer lab.test 60 MX 30 mx3.lab.test
	match 10.2.0.192.in-addr.arpa PTR
	answer 10.2.0.192.in-addr.arpa 60 PTR www.lab.test
	match sf.lab.test *
	rcode SERVFAIL
	match v4only.lab.test A
	answer v4only.lab.test 60 A 192.0.2.44
	match * *
	rcode NXDOMAIN
	EOS
	printf 'nameserver 127.0.0.1#%s\noptions timeout:1 attempts:1\n' "$PORT" >"$T/resolv.conf"
}

@test "resolver: literals pass through without any lookup" {
	lab_peer
	res 192.0.2.7
	[ "$status" -eq 0 ]
	[ "$output" = "192.0.2.7" ]
	res 2001:db8::7
	[ "$output" = "2001:db8::7" ]
	[ ! -s "$T/p.log" ]
}

@test "resolver: the hosts file wins over DNS" {
	lab_peer
	echo "192.0.2.99 www.lab.test www" >"$T/hosts"
	res www.lab.test
	[ "$status" -eq 0 ]
	[ "$output" = "192.0.2.99" ]
	[ ! -s "$T/p.log" ]
}

@test "resolver: A and AAAA asked together, both returned" {
	lab_peer
	res www.lab.test
	[ "$status" -eq 0 ]
	[ "$output" = $'192.0.2.10\n2001:db8::10' ]
	[ "$(cut -d' ' -f1-3 "$T/p.log" | sort)" = $'udp www.lab.test. A\nudp www.lab.test. AAAA' ]
	res -6 www.lab.test
	[ "$output" = "2001:db8::10" ]
	res -4 v4only.lab.test
	[ "$output" = "192.0.2.44" ]
}

@test "resolver: CNAME chains are followed" {
	lab_peer
	res alias.lab.test
	[ "$status" -eq 0 ]
	[ "$output" = "192.0.2.10" ]
}

@test "resolver: NXDOMAIN exits 1, SERVFAIL exits 3, reasons given" {
	lab_peer
	res nx.lab.test.
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"NXDOMAIN"* ]]
	res sf.lab.test.
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"SERVFAIL"* ]]
}

@test "resolver: search list tried first for a name with fewer dots than ndots" {
	lab_peer
	printf 'search lab.test corp.test\n' >>"$T/resolv.conf"
	res -4 www
	[ "$status" -eq 0 ]
	[ "$output" = "192.0.2.10" ]
	[ "$(head -1 "$T/p.log" | cut -d' ' -f2)" = "www.lab.test." ]
}

@test "resolver: with ndots reached the name goes first, then the search list (glibc order)" {
	lab_peer
	printf 'search corp.test lab.test\n' >>"$T/resolv.conf"
	res -4 www.x
	[ "$status" -eq 1 ]
	[ "$(cut -d' ' -f2 "$T/p.log" | tr '\n' ' ')" = "www.x. www.x.corp.test. www.x.lab.test. " ]
	: >"$T/p.log"
	printf 'options ndots:2\n' >>"$T/resolv.conf"
	res -4 www.x
	[ "$(cut -d' ' -f2 "$T/p.log" | tr '\n' ' ')" = "www.x.corp.test. www.x.lab.test. www.x. " ]
}

@test "resolver: a trailing dot means no search" {
	lab_peer
	printf 'search lab.test\n' >>"$T/resolv.conf"
	res -4 www.
	[ "$status" -eq 1 ]
	[ "$(cut -d' ' -f2 "$T/p.log")" = "www." ]
}

@test "resolver: a dead first nameserver falls over to the second within the timeout" {
	lab_peer
	good=$PORT
	peer dead <<-EOS
	match * *
	drop
	EOS
	printf 'nameserver 127.0.0.1#%s\nnameserver 127.0.0.1#%s\noptions timeout:1 attempts:1\n' \
	    "$PORT" "$good" >"$T/resolv.conf"
	start=$(date +%s%N)
	res -4 www.lab.test
	end=$(date +%s%N)
	[ "$status" -eq 0 ]
	[ "$output" = "192.0.2.10" ]
	[ -s "$T/dead.log" ]
	# one timeout (1 s) then the answer: well under two timeouts
	[ $(( (end - start) / 1000000 )) -ge 900 ]
	[ $(( (end - start) / 1000000 )) -lt 1900 ]
}

@test "resolver: a refused (closed) first server is skipped at once" {
	lab_peer
	good=$PORT
	# a port with nothing behind it: bind and close a UDP socket to learn one
	closed=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null) || skip "python3 needed to find a free port"
	printf 'nameserver 127.0.0.1#%s\nnameserver 127.0.0.1#%s\noptions timeout:5 attempts:1\n' \
	    "$closed" "$good" >"$T/resolv.conf"
	start=$(date +%s%N)
	res -4 www.lab.test
	end=$(date +%s%N)
	[ "$status" -eq 0 ]
	[ $(( (end - start) / 1000000 )) -lt 1000 ]
}

@test "resolver: every server silent is a failure (exit 3) after timeout x attempts" {
	peer dead <<-EOS
	match * *
	drop
	EOS
	printf 'nameserver 127.0.0.1#%s\noptions timeout:1 attempts:2\n' "$PORT" >"$T/resolv.conf"
	res -4 www.lab.test.
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"timed out"* ]]
	[ "$(wc -l <"$T/dead.log")" -eq 2 ]
}

@test "resolver: MX sorted by preference" {
	lab_peer
	res -m lab.test
	[ "$status" -eq 0 ]
	[ "$output" = $'10 mx1.lab.test\n20 mx2.lab.test\n30 mx3.lab.test' ]
}

@test "resolver: PTR for an address" {
	lab_peer
	res -r 192.0.2.10
	[ "$status" -eq 0 ]
	[ "$output" = "www.lab.test" ]
	[ "$(cut -d' ' -f2-3 "$T/p.log")" = "10.2.0.192.in-addr.arpa. PTR" ]
}

@test "resolver: options rotate spreads lookups over the servers" {
	lab_peer
	a=$PORT
	peer q <"$T/p.script"
	printf 'nameserver 127.0.0.1#%s\nnameserver 127.0.0.1#%s\noptions rotate timeout:1\n' \
	    "$a" "$PORT" >"$T/resolv.conf"
	for i in $(seq 16); do res -m lab.test; [ "$status" -eq 0 ]; done
	[ -s "$T/p.log" ]
	[ -s "$T/q.log" ]
	# without rotate the first server takes them all
	: >"$T/p.log"; : >"$T/q.log"
	sed -i 's/rotate //' "$T/resolv.conf"
	for i in $(seq 4); do res -m lab.test; done
	[ "$(wc -l <"$T/p.log")" -eq 4 ]
	[ ! -s "$T/q.log" ]
}

@test "resolver: -X hook shows the lookup's packets decoded (for the TCP commands)" {
	lab_peer
	res -X -4 www.lab.test
	[ "$status" -eq 0 ]
	[ "$output" = "192.0.2.10" ]
	grep -q "^--- resolver: sent [0-9]* bytes to 127.0.0.1#$PORT (UDP) ---" <<<"$stderr"
	grep -q "^--- resolver: received [0-9]* bytes from 127.0.0.1#$PORT (UDP) ---" <<<"$stderr"
	grep -Eq "^ +RDATA +192.0.2.10$" <<<"$stderr"
}

@test "resolver: a mistyped literal is refused (exit 2) and never asked of the DNS; names with digits are asked" {
	lab_peer
	for s in 10.200.1.300 1.2.3 1.2.3.4.5 1234 10.0.0.300. fe80::zz 2001:db8::1::2 www.lab.123; do
		res "$s"
		[ "$status" -eq 2 ]
		[ "$stderr" = "dnsresolve: $s: invalid address" ]
	done
	res -6 127.0.0.1
	[ "$status" -eq 2 ]
	[ "$stderr" = "dnsresolve: 127.0.0.1: not an IPv6 address" ]
	[ ! -s "$T/p.log" ]
	# a digit in a label, or a last label with a letter, is a name
	res 123.lab.test
	[ "$status" -eq 1 ]
	res 10.200.1.x300
	[ "$status" -eq 1 ]
	[ "$(cut -d' ' -f2 "$T/p.log" | sort -u)" = $'10.200.1.x300.\n123.lab.test.' ]
}
