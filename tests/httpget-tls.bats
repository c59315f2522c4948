#!/usr/bin/env bats
# httpget-tls.bats - https:// with the TLS client of lib/tls (issue 21),
# against `openssl s_server -WWW` serving this test's files under a CA the
# test makes: verified fetches byte-exact, the certificate failures and
# -k, -j's tls object, redirects between http and https, TLS 1.3 resumption
# on the second connection to an origin.

load lib/common
load lib/crypto
load lib/peer

bats_require_minimum_version 1.5.0

setup_file() {
	command -v openssl >/dev/null 2>&1 || return 0
	local d="$BATS_FILE_TMPDIR"
	cd "$d" || return 1
	pki_simple "tubes https CA" "DNS:localhost,IP:127.0.0.1,IP:::1"
	mkdir -p www
	printf 'hello over https\n' >www/hello.txt
	head -c 1048576 /dev/urandom >www/big.bin
}

setup() {
	need_openssl
	[ -s "$BATS_FILE_TMPDIR/leaf.pem" ] || skip "the test CA could not be made"
	D=$BATS_FILE_TMPDIR
	cd "$BATS_TEST_TMPDIR"
	SRV_PID=
}

teardown() {
	if [ -n "$SRV_PID" ]; then
		kill "$SRV_PID" 2>/dev/null || true
		wait "$SRV_PID" 2>/dev/null || true
	fi
	peer_stop
	return 0
}

# an https server for the files of www/ on ADDR, port 0; PORT when it accepts
srv() {
	local addr=$1 i
	shift
	[[ "$addr" == *:* ]] && addr="[$addr]"
	rm -f srv.out
	(cd "$D/www" && exec openssl s_server -accept "$addr:0" -cert "$D/leaf.pem" \
	    -key "$D/leaf.key" -WWW "$@" </dev/null >"$BATS_TEST_TMPDIR/srv.out" 2>&1) &
	SRV_PID=$!
	for ((i = 0; i < 1000; i++)); do
		grep -q '^ACCEPT' srv.out 2>/dev/null && break
		kill -0 "$SRV_PID" 2>/dev/null || break
		sleep 0.02
	done
	PORT=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' srv.out)
	[ -n "$PORT" ] || { cat srv.out; return 1; }
}

@test "httpget-tls: https:// verified with --cacert, IPv4 and IPv6, a 1 MiB body byte-exact" {
	srv 127.0.0.1
	run timeout 20 httpget --cacert "$D/ca.pem" "https://localhost:$PORT/hello.txt"
	[ "$status" -eq 0 ]
	[ "$output" = "hello over https" ]
	run timeout 20 httpget -s --cacert "$D/ca.pem" -o big.bin "https://127.0.0.1:$PORT/big.bin"
	[ "$status" -eq 0 ]
	cmp big.bin "$D/www/big.bin"
	kill "$SRV_PID"; wait "$SRV_PID" 2>/dev/null || true
	[ -n "$(ip -6 addr show dev lo 2>/dev/null)" ] || skip "no ::1"
	srv ::1
	run timeout 20 httpget --cacert "$D/ca.pem" "https://[::1]:$PORT/hello.txt"
	[ "$status" -eq 0 ]
	[ "$output" = "hello over https" ]
}

@test "httpget-tls: an unknown CA and a wrong name are exit 3 with the reason; -k goes on, warned" {
	srv 127.0.0.1
	run --separate-stderr timeout 20 httpget "https://localhost:$PORT/hello.txt"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"unknown issuer CN=tubes https CA"* ]]
	[ -z "$output" ]
	printf '127.0.0.1 wrong.example\n' >hosts
	TUBES_HOSTS=$PWD/hosts run --separate-stderr timeout 20 httpget --cacert "$D/ca.pem" \
	    "https://wrong.example:$PORT/hello.txt"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"wrong.example does not match the certificate (SAN: localhost, 127.0.0.1, ::1)"* ]]
	run --separate-stderr timeout 20 httpget -k "https://localhost:$PORT/hello.txt"
	[ "$status" -eq 0 ]
	[ "$output" = "hello over https" ]
	[[ "$stderr" == *"-k: using a certificate that does not verify: unknown issuer"* ]]
}

@test "httpget-tls: -j names the TLS version, suite and verdict" {
	srv 127.0.0.1
	run timeout 20 httpget -j -o /dev/null --cacert "$D/ca.pem" "https://localhost:$PORT/hello.txt"
	[ "$status" -eq 0 ]
	grep '"tls"' <<<"$output" | tail -n 1 | jq -e '.tls.version == "TLSv1.3" and .tls.verified == true' >/dev/null
}

@test "httpget-tls: the second connection to an origin resumes the first's TLS 1.3 session" {
	# s_server -WWW answers HTTP/1.0 and closes: two URLs, two connections
	srv 127.0.0.1
	run --separate-stderr timeout 20 httpget -v -o /dev/null -o /dev/null --cacert "$D/ca.pem" \
	    "https://localhost:$PORT/hello.txt" "https://localhost:$PORT/hello.txt"
	echo "$stderr"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^\* TLS: TLSv1.3 .*, verified$' <<<"$stderr")" -eq 1 ]
	[ "$(grep -c '^\* TLS: TLSv1.3 .*, verified, resumed$' <<<"$stderr")" -eq 1 ]
	run timeout 20 httpget -j -o /dev/null -o /dev/null --cacert "$D/ca.pem" \
	    "https://localhost:$PORT/hello.txt" "https://localhost:$PORT/hello.txt"
	[ "$status" -eq 0 ]
	grep '"tls"' <<<"$output" | sed -n 1p | jq -e '.tls.resumed == null' >/dev/null
	grep '"tls"' <<<"$output" | sed -n 2p |
	    jq -e '.tls.resumed == true and .tls.verified == true and .tls.chain == ["CN=localhost"]' >/dev/null
}

@test "httpget-tls: a session is not offered to another name of the same server" {
	srv 127.0.0.1
	run --separate-stderr timeout 20 httpget -v -o /dev/null -o /dev/null --cacert "$D/ca.pem" \
	    "https://localhost:$PORT/hello.txt" "https://127.0.0.1:$PORT/hello.txt"
	echo "$stderr"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^\* TLS: TLSv1.3 .*, verified$' <<<"$stderr")" -eq 2 ]
	! grep -q 'resumed' <<<"$stderr"
}
