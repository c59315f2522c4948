#!/usr/bin/env bats
# DESIGN.md, -X/--layers: "TCP commands show the DNS packets of the lookup"
# (and so do ping-lite and trace, issue 22).
# Each TCP command resolves a name through a scripted DNS peer with
# --layers and must print the resolver's query and reply decoded; the
# connection itself goes to a closed port on 127.0.0.1 and fails (exit 3).

load lib/common

setup() {
	T=$(mktemp -d)
	printf 'match web.lab.test A\nanswer web.lab.test 60 A 127.0.0.1\nmatch web.lab.test AAAA\nrcode NOERROR\n' >"$T/s"
	"$TESTBIN/dnspeer" -s "$T/s" -P "$T/port" -l "$T/log" 3>&- &
	DNSPID=$!
	wait_file "$T/port"
	echo "nameserver 127.0.0.1#$(cat "$T/port")" >"$T/resolv.conf"
	: >"$T/hosts"
	export TUBES_HOSTS="$T/hosts" TUBES_RESOLV_CONF="$T/resolv.conf"
	# a closed port: bound and released by freeport
	CLOSED=$("$TESTBIN/freeport")
}

teardown() {
	kill "$DNSPID" 2>/dev/null; wait "$DNSPID" 2>/dev/null || true
	rm -rf "$T"
}

dns_shown() {
	[[ "$output" == *"--- resolver: sent"* ]]
	[[ "$output" == *"QNAME                  web.lab.test."* ]]
	[[ "$output" == *"ANCOUNT                1"* ]]	# the reply, decoded
	grep -q '^udp web.lab.test. A ' "$T/log"
	# under the query, the UDP header with the port the server saw (issue 22)
	port=$(sed -n 's/^udp web.lab.test. A .* port=\([0-9]*\)$/\1/p' "$T/log" | head -1)
	[[ "$output" == *"Source Port            $port (chosen at random by the kernel)"* ]]
}

@test "httpget --layers shows the DNS query and reply of its lookup" {
	run httpget --layers -m 3 "http://web.lab.test:$CLOSED/"
	[ "$status" -eq 3 ]
	dns_shown
}

@test "smtpsend --layers shows the DNS query and reply of its lookup" {
	run sh -c "echo hi | smtpsend --layers -w 3 -s web.lab.test:$CLOSED -f a@lab.test b@lab.test"
	[ "$status" -eq 3 ]
	dns_shown
}

@test "ftpget --layers shows the DNS query and reply of its lookup" {
	run ftpget --layers -w 3 "ftp://web.lab.test:$CLOSED/x"
	[ "$status" -eq 3 ]
	dns_shown
}

@test "pop3get --layers shows the DNS query and reply of its lookup" {
	run env POP3GET_PASSWORD=x pop3get --layers -w 3 -o - "pop3://u@web.lab.test:$CLOSED/"
	[ "$status" -eq 3 ]
	dns_shown
}

@test "without --layers no DNS packet is printed" {
	run httpget -m 3 "http://web.lab.test:$CLOSED/"
	[ "$status" -eq 3 ]
	[[ "$output" != *"resolver: sent"* ]]
}

@test "ping-lite -X shows the DNS query and reply of its lookup too" {
	ping-lite -n -c 1 -W 2 127.0.0.1 >/dev/null 2>&1 ||
		skip "no ping socket or raw socket for this user (net.ipv4.ping_group_range)"
	run ping-lite -X -n -c 1 -W 2 web.lab.test
	echo "$output" | head -40
	[ "$status" -eq 0 ]
	dns_shown
}

@test "trace -X shows the DNS query and reply of its lookup too" {
	trace -n -m 1 -q 1 -w 1 127.0.0.1 >/dev/null 2>&1 ||
		skip "trace cannot send here as this user"
	run trace -X -n -m 1 -q 1 -w 1 web.lab.test
	echo "$output" | head -40
	[ "$status" -eq 0 ]
	dns_shown
}
