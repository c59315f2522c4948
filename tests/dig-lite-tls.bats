#!/usr/bin/env bats
# dig-lite +tls (DNS over TLS, RFC 7858) against unbound's tls-port, side
# by side with dig 9.18 +tls; +https (DNS over HTTPS/1.1, RFC 8484) against
# tests/peers/dohpeer.py forwarding to that unbound.  Certificates from a
# CA of the run's own (tests/interop/servers.bash's _iop_ca).  127.0.0.1 only.

load lib/common
load interop/servers
bats_require_minimum_version 1.5.0

setup_file() {
	command -v unbound >/dev/null && command -v openssl >/dev/null &&
	    command -v python3 >/dev/null || return 0
	IOP_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tb-dot.XXXXXX")
	chmod 755 "$IOP_DIR"
	_iop_ca || return 1
	local p
	p=($("$IOP_FREEPORT" 2))
	DOT_UDP=${p[0]} DOT_PORT=${p[1]}
	cat >"$IOP_DIR/unbound.conf" <<-EOC
	server:
		interface: 127.0.0.1@$DOT_UDP
		interface: 127.0.0.1@$DOT_PORT
		tls-port: $DOT_PORT
		tls-service-key: "$IOP_KEY"
		tls-service-pem: "$IOP_CERT"
		do-ip6: no
		do-daemonize: no
		username: ""
		chroot: ""
		directory: "$IOP_DIR"
		pidfile: "$IOP_DIR/unbound.pid"
		use-syslog: no
		num-threads: 1
		so-reuseport: no
		access-control: 127.0.0.0/8 allow
		module-config: "iterator"
		local-zone: "." refuse
		local-zone: "tubes.test." static
		local-data: "tubes.test. 300 IN SOA ns.tubes.test. root.tubes.test. 1 3600 600 86400 300"
		local-data: "www.tubes.test. 300 IN A 127.0.0.7"
		local-data: "www.tubes.test. 300 IN AAAA ::7"
		local-data: 'txt.tubes.test. 300 IN TXT "over tls"'
	remote-control:
		control-enable: no
	EOC
	unbound -d -c "$IOP_DIR/unbound.conf" </dev/null >"$IOP_DIR/unbound.out" 2>&1 3>&- &
	echo $! >"$IOP_DIR/unbound.pid.bats"
	local i
	for ((i = 0; i < 200; i++)); do
		dig +time=1 +tries=1 @127.0.0.1 -p "$DOT_UDP" www.tubes.test A 2>/dev/null |
		    grep -q 127.0.0.7 && break
		sleep 0.05
	done
	echo "127.0.0.1 tubes.test" >"$IOP_DIR/hosts"
	echo "127.0.0.1 wrong.test" >>"$IOP_DIR/hosts"
	export IOP_DIR IOP_CA IOP_CERT IOP_KEY IOP_OTHER_CERT IOP_OTHER_KEY DOT_UDP DOT_PORT
}

teardown_file() {
	[ -n "${IOP_DIR:-}" ] || return 0
	local pid
	pid=$(cat "$IOP_DIR/unbound.pid.bats" 2>/dev/null) &&
	    { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
	rm -rf "$IOP_DIR"
}

setup() {
	[ -n "${DOT_PORT:-}" ] || skip "unbound, openssl or python3 not installed"
	T=$(mktemp -d)
	PIDS=
	export TUBES_HOSTS=$IOP_DIR/hosts
}

teardown() {
	local p
	for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; done
	rm -rf "$T"
}

# doh MODE [CERT KEY]: start dohpeer.py; sets DOH
doh() {
	python3 "$TOP/tests/peers/dohpeer.py" "${2:-$IOP_CERT}" "${3:-$IOP_KEY}" "$T/doh.port" \
	    "$T/doh.log" "$1" "$DOT_UDP" </dev/null 3>&- &
	PIDS="$PIDS $!"
	wait_file "$T/doh.port"
	DOH=$(cat "$T/doh.port")
}

# the output without the lines that differ from run to run or by program
norm() {
	sed -e '/^; <<>> /d' -e '/^;; Query time:/d' -e '/^;; WHEN:/d' -e 's/, id: [0-9]*$//' \
	    -e '/^;; MSG SIZE/d' -e '/^; COOKIE/d' -e '/^; (.* found)$/d' -e '/^;; global options/d'
}

@test "dig-lite +tls: the answer as dig 9.18 +tls prints it, SERVER naming TLS" {
	need_cmd dig
	run --separate-stderr dig-lite @tubes.test -p "$DOT_PORT" +tls --cacert "$IOP_CA" www.tubes.test
	[ "$status" -eq 0 ]
	[[ "$output" == *";; SERVER: 127.0.0.1#$DOT_PORT(tubes.test) (TLS)"* ]]
	local mine=$output theirs
	theirs=$(dig @127.0.0.1 -p "$DOT_PORT" +tls +tls-ca="$IOP_CA" +tls-hostname=tubes.test \
	    +nocookie www.tubes.test)
	diff <(norm <<<"$mine" | sed 's/(tubes.test)/(127.0.0.1)/') <(norm <<<"$theirs")
}

@test "dig-lite +tls +short: several queries over one connection (one handshake)" {
	run --separate-stderr dig-lite @tubes.test -p "$DOT_PORT" +tls --cacert "$IOP_CA" +short \
	    -X www.tubes.test txt.tubes.test TXT www.tubes.test AAAA
	[ "$status" -eq 0 ]
	[[ "$output" == *"127.0.0.7"* && "$output" == *'"over tls"'* && "$output" == *"::7"* ]]
	[ "$(grep -c '^TLS handshake: ClientHello' <<<"$output")" -eq 1 ]
	[ "$(grep -c '(TLS)' <<<"$output")" -eq 6 ]
	# each message with its 2-byte length prefix inside TLS (issue 22)
	[ "$(grep -c '^DNS over TLS: 2-byte length prefix (RFC 7858 3.3)$' <<<"$output")" -eq 6 ]
}

@test "dig-lite +tls -j: transport tls, and +tls-hostname names the certificate's name" {
	run --separate-stderr dig-lite @127.0.0.1 -p "$DOT_PORT" +tls +tls-ca="$IOP_CA" \
	    +tls-hostname=tubes.test -j www.tubes.test
	[ "$status" -eq 0 ]
	[[ "$output" == *'"transport":"tls","time_ms":'* ]]
	[[ "$output" == *'"tls":{"version":"TLSv1.3",'*'"verified":true,'* ]]
	[[ "$output" == *'"data":"127.0.0.7"'* || "$output" == *'127.0.0.7'* ]]
}

@test "dig-lite +tls: a name the certificate does not carry, an unknown CA: exit 3 with the reason; -k goes on" {
	run --separate-stderr dig-lite @wrong.test -p "$DOT_PORT" +tls --cacert "$IOP_CA" www.tubes.test
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"TLS: wrong.test does not match the certificate"* ]]
	[[ "$output" != *"127.0.0.7"* ]]
	run --separate-stderr dig-lite @tubes.test -p "$DOT_PORT" +tls www.tubes.test
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"TLS: unknown issuer"* ]]
	run --separate-stderr dig-lite @wrong.test -p "$DOT_PORT" +tls -k +short www.tubes.test
	[ "$status" -eq 0 ]
	[ "$output" = "127.0.0.7" ]
	[[ "$stderr" == *"-k"* ]]
}

@test "dig-lite +tls --pinnedpubkey: the server's key or exit 3" {
	local pin
	pin=$(openssl x509 -in "$IOP_CERT" -pubkey -noout | openssl pkey -pubin -outform der |
	    openssl dgst -sha256 -binary | base64)
	run --separate-stderr dig-lite @tubes.test -p "$DOT_PORT" +tls --cacert "$IOP_CA" \
	    --pinnedpubkey "sha256//$pin" +short www.tubes.test
	[ "$status" -eq 0 ]
	[ "$output" = "127.0.0.7" ]
	run --separate-stderr dig-lite @tubes.test -p "$DOT_PORT" +tls --cacert "$IOP_CA" \
	    --pinnedpubkey "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" +short www.tubes.test
	[ "$status" -eq 3 ]
	[ -z "$output" ]
}

@test "dig-lite +tls: a server that closes in the middle of the answer: exit 3, nothing printed as an answer" {
	doh dotcut
	run --separate-stderr dig-lite @tubes.test -p "$DOH" +tls --cacert "$IOP_CA" www.tubes.test
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"closed in the middle of the answer"* ]]
	[[ "$output" != *"ANSWER SECTION"* && "$output" != *"Got answer"* ]]
}

@test "dig-lite +https: POST application/dns-message over HTTP/1.1, the answer as with +tls" {
	doh forward
	run --separate-stderr dig-lite @tubes.test -p "$DOH" +https --cacert "$IOP_CA" +nocmd \
	    www.tubes.test
	[ "$status" -eq 0 ]
	[[ "$output" == *";; SERVER: 127.0.0.1#$DOH(tubes.test) (HTTPS)"* ]]
	grep -q '^POST /dns-query [0-9]* application/dns-message$' "$T/doh.log"
	local doh=$output
	run --separate-stderr dig-lite @tubes.test -p "$DOT_PORT" +tls --cacert "$IOP_CA" +nocmd \
	    www.tubes.test
	diff <(norm <<<"$doh" | sed '/^;; SERVER/d') <(norm <<<"$output" | sed '/^;; SERVER/d')
}

@test "dig-lite +https-get and +https=/path: GET ?dns=, keep-alive over one connection; -j transport https" {
	doh forward
	run --separate-stderr dig-lite @tubes.test -p "$DOH" +https-get --cacert "$IOP_CA" +short \
	    -X www.tubes.test txt.tubes.test TXT
	[ "$status" -eq 0 ]
	[[ "$output" == *"127.0.0.7"* && "$output" == *'"over tls"'* ]]
	[ "$(grep -c '^GET /dns-query' "$T/doh.log")" -eq 2 ]
	[ "$(grep -c '^TLS handshake: ClientHello' <<<"$output")" -eq 1 ]
	run --separate-stderr dig-lite @tubes.test -p "$DOH" +https --cacert "$IOP_CA" -j www.tubes.test
	[ "$status" -eq 0 ]
	[[ "$output" == *'"transport":"https"'* && "$output" == *'"alpn":"http/1.1"'* ]]
	run --separate-stderr dig-lite @tubes.test -p "$DOH" +https=/other --cacert "$IOP_CA" www.tubes.test
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"HTTP status 404 Not Found"* ]]
}

@test "dig-lite +https: an HTTP error status is exit 3 naming it; an answer cut short is exit 3" {
	doh status
	run --separate-stderr dig-lite @tubes.test -p "$DOH" +https --cacert "$IOP_CA" www.tubes.test
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"HTTP status 503 Service Unavailable"* ]]
	[[ "$output" != *"Got answer"* ]]
	teardown; T=$(mktemp -d); PIDS=
	doh cut
	run --separate-stderr dig-lite @tubes.test -p "$DOH" +https --cacert "$IOP_CA" www.tubes.test
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"body cut short: "*" of "*" bytes"* ]]
	[[ "$output" != *"Got answer"* ]]
}

@test "dig-lite +https: a certificate from a CA nobody trusts is exit 3" {
	doh forward "$IOP_OTHER_CERT" "$IOP_OTHER_KEY"
	run --separate-stderr dig-lite @tubes.test -p "$DOH" +https --cacert "$IOP_CA" www.tubes.test
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"TLS: unknown issuer"* ]]
	[ ! -s "$T/doh.log" ]	# no request went out
}

@test "dig-lite +tls with -f, +trace or +nssearch, and a relative +https path: exit 2" {
	run --separate-stderr dig-lite +tls +trace x.test
	[ "$status" -eq 2 ]
	run --separate-stderr dig-lite +https -f /dev/null
	[ "$status" -eq 2 ]
	run --separate-stderr dig-lite +https=dns-query x.test
	[ "$status" -eq 2 ]
}
