#!/usr/bin/env bats
# httpget-proxy.bats - https:// through an HTTP proxy with CONNECT (issue 21):
# tests/peers/connectpeer.py is both the proxy (it records every CONNECT head
# and answers per a mode, the hostile ones included) and the TLS origin
# (HTTP/1.1 keep-alive, it records every request head), under a CA this
# test makes.  HTTP-27 and the cases after it are in tests/hostile-peers-2.md.
# Then the same through tinyproxy, beside curl -x.

load lib/common
load lib/crypto
load lib/peer
load lib/held

bats_require_minimum_version 1.5.0

setup_file() {
	command -v openssl >/dev/null 2>&1 || return 0
	local d="$BATS_FILE_TMPDIR"
	cd "$d" || return 1
	pki_simple "tubes proxy CA" "DNS:localhost"
}

setup() {
	need_openssl
	need_cmd python3
	[ -s "$BATS_FILE_TMPDIR/leaf.pem" ] || skip "the test CA could not be made"
	D=$BATS_FILE_TMPDIR
	PEER=$TOP/tests/peers/connectpeer.py
	cd "$BATS_TEST_TMPDIR"
	PIDS=()
	# no proxy of the environment the suite runs in
	unset http_proxy https_proxy HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
}

teardown() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	return 0
}

# the TLS origin for localhost: OPORT, its request heads in olog
origin() {
	(exec python3 "$PEER" origin "$D/leaf.pem" "$D/leaf.key" oport olog 30) 3>&- &
	PIDS+=($!)
	wait_file oport 5 || return 1
	OPORT=$(cat oport)
}

# the proxy in MODE: PPORT, the CONNECT heads it got in plog
proxy() {
	(exec python3 "$PEER" proxy "$1" pport plog 30) 3>&- &
	PIDS+=($!)
	wait_file pport 5 || return 1
	PPORT=$(cat pport)
}

connects() { grep -c '^CONNECT ' plog 2>/dev/null || true; }

@test "HTTP-27: https_proxy, HTTPS_PROXY, all_proxy and -x tunnel https:// with CONNECT; http_proxy does not" {
	origin
	proxy ok
	https_proxy=http://127.0.0.1:$PPORT run --separate-stderr timeout 20 httpget \
	    --cacert "$D/ca.pem" "https://localhost:$OPORT/a"
	[ "$status" -eq 0 ]
	[ "$output" = "hello through the tunnel: /a" ]
	# authority form, its Host, no Accept, no origin field
	grep -qx $'CONNECT localhost:'"$OPORT"$' HTTP/1.1\r' plog
	grep -qx $'Host: localhost:'"$OPORT"$'\r' plog
	! grep -qi '^accept' plog
	grep -q '^GET /a HTTP/1.1' olog
	HTTPS_PROXY=127.0.0.1:$PPORT run timeout 20 httpget --cacert "$D/ca.pem" "https://localhost:$OPORT/b"
	[ "$status" -eq 0 ]
	ALL_PROXY=http://127.0.0.1:$PPORT run timeout 20 httpget --cacert "$D/ca.pem" "https://localhost:$OPORT/c"
	[ "$status" -eq 0 ]
	run timeout 20 httpget -x "http://127.0.0.1:$PPORT" --cacert "$D/ca.pem" "https://localhost:$OPORT/d"
	[ "$status" -eq 0 ]
	[ "$output" = "hello through the tunnel: /d" ]
	[ "$(connects)" -eq 4 ]
	# http_proxy is for http:// URLs: https:// goes straight
	http_proxy=http://127.0.0.1:$PPORT run timeout 20 httpget --cacert "$D/ca.pem" "https://localhost:$OPORT/e"
	[ "$status" -eq 0 ]
	[ "$(connects)" -eq 4 ]
	grep -q '^GET /e HTTP/1.1' olog
	# an IPv6 literal: in brackets in CONNECT and Host (-k: the test certificate names localhost)
	run --separate-stderr timeout 20 httpget -k -x "127.0.0.1:$PPORT" "https://[::1]:$OPORT/v6"
	[ "$status" -eq 0 ]
	grep -qx $'CONNECT \\[::1\\]:'"$OPORT"$' HTTP/1.1\r' plog
	grep -qx $'Host: \\[::1\\]:'"$OPORT"$'\r' plog
}

@test "httpget-proxy: -x and all_proxy for http:// URLs too (the absolute URL, no CONNECT), as curl" {
	proxy ok
	run timeout 20 httpget -x "http://pu:ppw@127.0.0.1:$PPORT" "http://origin.test/p"
	[ "$status" -eq 0 ]
	[ "$output" = "proxied: http://origin.test/p" ]
	grep -q "^Proxy-Authorization: Basic $(printf pu:ppw | base64)" plog
	ALL_PROXY=127.0.0.1:$PPORT run timeout 20 httpget "http://origin.test/q"
	[ "$status" -eq 0 ]
	[ "$output" = "proxied: http://origin.test/q" ]
	[ "$(connects)" -eq 0 ]
}

@test "httpget-proxy: curl -x sends the same CONNECT line and Host to the same proxy" {
	command -v curl >/dev/null 2>&1 || skip "curl not installed"
	origin
	proxy ok
	run timeout 20 curl -sS -x "http://127.0.0.1:$PPORT" --cacert "$D/ca.pem" "https://localhost:$OPORT/c"
	[ "$status" -eq 0 ]
	theirs=$output
	run timeout 20 httpget -x "http://127.0.0.1:$PPORT" --cacert "$D/ca.pem" "https://localhost:$OPORT/c"
	[ "$status" -eq 0 ]
	[ "$output" = "$theirs" ]
	[ "$(connects)" -eq 2 ]
	[ "$(grep -c "^CONNECT localhost:$OPORT HTTP/1.1" plog)" -eq 2 ]
	[ "$(grep -c "^Host: localhost:$OPORT" plog)" -eq 2 ]
}

@test "HTTP-27b: NO_PROXY (and no_proxy) covering the origin: straight there, the proxy sees nothing" {
	origin
	proxy ok
	NO_PROXY=family.test,localhost https_proxy=http://127.0.0.1:$PPORT run timeout 20 httpget \
	    --cacert "$D/ca.pem" "https://localhost:$OPORT/np"
	[ "$status" -eq 0 ]
	no_proxy=localhost run timeout 20 httpget -x "127.0.0.1:$PPORT" --cacert "$D/ca.pem" \
	    "https://localhost:$OPORT/np2"
	[ "$status" -eq 0 ]
	[ ! -e plog ]
	grep -q '^GET /np2 ' olog
}

@test "HTTP-27c: proxy credentials in CONNECT only, the origin's (-u) inside the tunnel only" {
	origin
	proxy ok
	HTTPGET_PASSWORD=opw https_proxy=http://pu:ppw@127.0.0.1:$PPORT run --separate-stderr \
	    timeout 20 httpget -v -u ou -H 'Proxy-Authorization: Basic bm9wZTpub3Bl' \
	    --cacert "$D/ca.pem" "https://localhost:$OPORT/auth"
	[ "$status" -eq 0 ]
	pa=$(printf pu:ppw | base64)
	oa=$(printf ou:opw | base64)
	grep -qx $'Proxy-Authorization: Basic '"$pa"$'\r' plog
	! grep -qi '^authorization' plog
	grep -qx $'Authorization: Basic '"$oa"$'\r' olog
	! grep -qi 'proxy-authorization' olog
	! grep -q "$pa" olog
	# -v masks both
	[[ "$stderr" == *"> Proxy-Authorization: (credentials not shown)"* ]]
	[[ "$stderr" != *"$pa"* ]]
	[[ "$stderr" == *"* tunnel through proxy 127.0.0.1 port $PPORT to localhost:$OPORT"* ]]
	# all_proxy with a password serves both schemes: wiping it for http:// does not lose it for https://
	all_proxy=http://pu:ppw@127.0.0.1:$PPORT run timeout 20 httpget --cacert "$D/ca.pem" \
	    "https://localhost:$OPORT/all"
	[ "$status" -eq 0 ]
	[ "$(grep -c "^Proxy-Authorization: Basic $pa" plog)" -eq 2 ]
}

@test "HTTP-27d: the origin's certificate is checked against the origin's name, not the proxy's: a wrong host is exit 3" {
	origin
	proxy ok
	# the proxy carries wrong.example to the same origin; the name is not in its certificate
	run --separate-stderr timeout 20 httpget -x "127.0.0.1:$PPORT" --cacert "$D/ca.pem" \
	    "https://wrong.example:$OPORT/x"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"wrong.example does not match the certificate (SAN: localhost)"* ]]
	[ -z "$output" ]
	grep -q "^CONNECT wrong.example:$OPORT " plog
	[ ! -s olog ]
	# and an unknown CA through the tunnel is exit 3 too
	run --separate-stderr timeout 20 httpget -x "127.0.0.1:$PPORT" "https://localhost:$OPORT/x"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"unknown issuer CN=tubes proxy CA"* ]]
}

@test "HTTP-27e: three URLs to one origin ride one tunnel (one CONNECT); -j names the proxy" {
	origin
	proxy ok
	run --separate-stderr timeout 20 httpget -j -o /dev/null -o /dev/null -o /dev/null \
	    -x "127.0.0.1:$PPORT" --cacert "$D/ca.pem" \
	    "https://localhost:$OPORT/1" "https://localhost:$OPORT/2" "https://localhost:$OPORT/3"
	[ "$status" -eq 0 ]
	[ "$(connects)" -eq 1 ]
	[ "$(grep -c '^GET /[123] HTTP/1.1' olog)" -eq 3 ]
	[ "$(grep -c '"transfer"' <<<"$output")" -eq 3 ]
	grep '"transfer"' <<<"$output" | jq -se --arg p "127.0.0.1 port $PPORT" \
	    'all(.proxy == $p and .tunnel == true and .tls.verified == true) and
	     ([.[].reused] == [false, true, true])' >/dev/null
}

@test "httpget-proxy: a second tunnel to the origin resumes the first's TLS session" {
	origin
	proxy ok
	# one request at a time: the origin closes after /close
	run --separate-stderr timeout 20 httpget -v --no-pipeline -o /dev/null -o /dev/null \
	    -x "127.0.0.1:$PPORT" --cacert "$D/ca.pem" "https://localhost:$OPORT/close" \
	    "https://localhost:$OPORT/again"
	echo "$stderr"
	[ "$status" -eq 0 ]
	[ "$(connects)" -eq 2 ]
	[ "$(grep -c '^\* TLS: TLSv1.3 .*, verified$' <<<"$stderr")" -eq 1 ]
	[ "$(grep -c '^\* TLS: TLSv1.3 .*, verified, resumed$' <<<"$stderr")" -eq 1 ]
}

@test "X-03: the password in HTTPS_PROXY leaves the environment block too" {
	origin
	proxy trickle
	HTTPS_PROXY=http://pu:s3cr3t-proxy-X03c@127.0.0.1:$PPORT httpget --head-timeout 15 \
	    --cacert "$D/ca.pem" "https://localhost:$OPORT/x" >held.out 2>held.err 3>&- &
	HELD_PID=$!
	PIDS+=("$HELD_PID")
	local i
	for ((i = 0; i < 250; i++)); do
		grep -q '^Proxy-Authorization: ' plog 2>/dev/null && break
		sleep 0.02
	done
	grep -q '^Proxy-Authorization: ' plog
	[[ "$(cat /proc/$HELD_PID/comm)" != memcheck* ]] ||
		skip "valgrind keeps its own copy of the environment block"
	environ_lacks "$HELD_PID" s3cr3t-proxy-X03c
}

# one hostile proxy: httpget -x to it, within BOUND s, exit 3, a message
hostile() {
	local mode=$1 bound=$2
	origin
	proxy "$mode"
	local t0=$SECONDS
	run --separate-stderr timeout 20 httpget --head-timeout 2 -x "127.0.0.1:$PPORT" \
	    --cacert "$D/ca.pem" "https://localhost:$OPORT/h"
	echo "$stderr"
	[ $((SECONDS - t0)) -le "$bound" ]
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[[ "$stderr" == *"proxy 127.0.0.1 port $PPORT: "* ]]
	[ "$(connects)" -eq 1 ]
	[ ! -s olog ]
}

@test "HTTP-27f: 407 to CONNECT: exit 3, the status line, the proxy wants credentials" {
	hostile 407 5
	[[ "$stderr" == *'"HTTP/1.1 407 Proxy Authentication Required" to CONNECT localhost:'* ]]
	[[ "$stderr" == *"the proxy wants credentials"* ]]
}

@test "HTTP-27g: 502 to CONNECT: exit 3, refused, its status line" {
	hostile 502 5
	[[ "$stderr" == *'"HTTP/1.1 502 Bad Gateway" to CONNECT localhost:'* ]]
	[[ "$stderr" == *"the proxy refused the tunnel"* ]]
}

@test "HTTP-27h: bytes after the proxy's 200, before the TLS handshake: exit 3, the tunnel does not start clean" {
	hostile extra 5
	[[ "$stderr" == *'5 bytes after "HTTP/1.1 200 Connection established"'* ]]
	[[ "$stderr" == *"does not start clean"* ]]
}

@test "HTTP-27i: an answer that trickles: exit 3 at --head-timeout" {
	hostile trickle 6
	[[ "$stderr" == *"no complete answer to CONNECT in 2 s (--head-timeout)"* ]]
}

@test "HTTP-27j: an answer head over the limit (80 KiB): exit 3 at once" {
	hostile big 5
	[[ "$stderr" == *"malformed answer to CONNECT: response head too large"* ]]
}

@test "HTTP-27k: the proxy closes after CONNECT: exit 3" {
	hostile close 5
	[[ "$stderr" == *"connection closed without an answer to CONNECT"* ]]
}

@test "HTTP-27l: 200 with Content-Length: 5 to CONNECT: ignored (RFC 9110 9.3.6), TLS goes on" {
	origin
	proxy cl5
	run --separate-stderr timeout 20 httpget -x "127.0.0.1:$PPORT" --cacert "$D/ca.pem" \
	    "https://localhost:$OPORT/cl"
	[ "$status" -eq 0 ]
	[ "$output" = "hello through the tunnel: /cl" ]
}

@test "httpget-proxy: --layers shows CONNECT to the proxy, then TLS, then HTTP inside" {
	origin
	proxy ok
	run --separate-stderr timeout 20 httpget --layers -o /dev/null -x "127.0.0.1:$PPORT" \
	    --cacert "$D/ca.pem" "https://localhost:$OPORT/l"
	[ "$status" -eq 0 ]
	order=$(grep -nE -e '^--- sent [0-9]+ bytes of CONNECT to proxy' \
	    -e "^--- received [0-9]+ bytes of the proxy's answer" -e '^TLS handshake: ClientHello' \
	    -e '^TLS handshake: Finished' -e '^--- sent [0-9]+ bytes to localhost port' <<<"$stderr" |
	    cut -d: -f2- | sed 's/[0-9][0-9]*/N/g' | uniq)
	echo "$order"
	[ "$order" = "--- sent N bytes of CONNECT to proxy N.N.N.N port N ---
--- received N bytes of the proxy's answer from N.N.N.N port N ---
TLS handshake: ClientHello, N bytes
TLS handshake: Finished, N bytes
--- sent N bytes to localhost port N ---" ]
	grep -q '^    method *CONNECT' <<<"$stderr"
	grep -q '^    request-target *localhost:' <<<"$stderr"
}

@test "httpget-proxy: a proxy that is not http://, and one nobody listens on: exit 2 and exit 3, named" {
	run --separate-stderr timeout 20 httpget -x "https://127.0.0.1:1" "https://localhost:1/"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-x: only http:// proxies"* ]]
	port=$("$TESTBIN/freeport" 1)
	https_proxy=http://127.0.0.1:$port run --separate-stderr timeout 20 httpget "https://localhost:1/"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"proxy 127.0.0.1 port $port: "* ]]
	# no port: curl's 1080, and -j names the proxy of a failure too
	run --separate-stderr timeout 20 httpget -j -x 127.0.0.1 --connect-timeout 2 "https://localhost:1/"
	[ "$status" -eq 3 ]
	jq -e 'select(.type == "error") | .proxy == "127.0.0.1 port 1080" and .tunnel == true' <<<"$output"
}

@test "httpget-proxy: interop with tinyproxy, beside curl -x: same bodies, one CONNECT per run, 407 alike" {
	command -v tinyproxy >/dev/null 2>&1 || skip "tinyproxy not installed (tests/deps.txt)"
	command -v curl >/dev/null 2>&1 || skip "curl not installed"
	origin
	local port
	port=$("$TESTBIN/freeport" 1)
	mkdir tp
	# no LogFile: with -d the log goes to stderr, tp/log
	cat >tp/conf <<-CONF
	Port $port
	Listen 127.0.0.1
	Timeout 20
	Allow 127.0.0.1
	LogLevel Info
	MaxClients 10
	BasicAuth pu ppw
	CONF
	[ "$(id -u)" -ne 0 ] || printf 'User nobody\nGroup nogroup\n' >>tp/conf
	(exec tinyproxy -d -c tp/conf >tp/log 2>&1) 3>&- &
	PIDS+=($!)
	local i
	for ((i = 0; i < 250; i++)); do
		grep -q 'Setting the various signals' tp/log 2>/dev/null && break
		sleep 0.02
	done
	local u1="https://localhost:$OPORT/t1" u2="https://localhost:$OPORT/t2"
	run timeout 20 httpget -x "http://pu:ppw@127.0.0.1:$port" --cacert "$D/ca.pem" "$u1" "$u2"
	[ "$status" -eq 0 ]
	mine=$output
	n1=$(grep -c 'Request.*CONNECT localhost' tp/log)
	run timeout 20 curl -sS -x "http://pu:ppw@127.0.0.1:$port" --cacert "$D/ca.pem" "$u1" "$u2"
	[ "$status" -eq 0 ]
	[ "$output" = "$mine" ]
	n2=$(grep -c 'Request.*CONNECT localhost' tp/log)
	[ "$n1" -eq 1 ]
	[ "$((n2 - n1))" -eq 1 ]
	run --separate-stderr timeout 20 httpget -x "http://127.0.0.1:$port" --cacert "$D/ca.pem" "$u1"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"407 Proxy Authentication Required"*"the proxy wants credentials"* ]]
	run timeout 20 curl -sS -x "http://127.0.0.1:$port" --cacert "$D/ca.pem" "$u1"
	[ "$status" -ne 0 ]
	[[ "$output" == *"407"* ]]
}
