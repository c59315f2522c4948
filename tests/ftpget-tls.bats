#!/usr/bin/env bats
# ftpget-tls.bats - ftpget over TLS (issue 21, RFC 4217) against
# tests/peers/ftptls.py (Python's ssl as the server, refusing a data
# connection that does not resume the control connection's session, as
# vsftpd does) under a CA the test makes: AUTH TLS, then PBSZ 0 and PROT
# P after the login, in that order; TLS data connections in passive and
# active mode, for RETR, LIST and STOR, resumed by TLS 1.3 and TLS 1.2;
# ftps://; a certificate that does not verify; a data connection cut
# without close_notify; -X and -j.  The hostile cases FTP-17..19 of
# tests/hostile-peers-2.md are fakepeer scripts (tests/cases/FTP-1[7-9]*).
# The real vsftpd is tests/ftpget-tls-interop.bats's.

load lib/common
load lib/crypto
load lib/peer

bats_require_minimum_version 1.5.0

setup_file() {
	command -v openssl >/dev/null 2>&1 || return 0
	local d="$BATS_FILE_TMPDIR"
	cd "$d" || return 1
	pki_simple "tubes ftps CA" "DNS:localhost,IP:127.0.0.1"
}

setup() {
	D=$BATS_FILE_TMPDIR
	cd "$BATS_TEST_TMPDIR"
	SRV_PID=
	NS=
	export HOME=$BATS_TEST_TMPDIR/home
	mkdir -p "$HOME" root
	printf 'hello over ftps\n' >root/hello.txt
	head -c 300000 /dev/urandom >root/rand.bin
}

teardown() {
	peer_stop
	if [ -n "$SRV_PID" ]; then
		kill "$SRV_PID" 2>/dev/null || true
		wait "$SRV_PID" 2>/dev/null || true
	fi
	[ -n "$NS" ] && ip netns del "$NS" 2>/dev/null
	return 0
}

need_srv() {
	need_openssl
	command -v python3 >/dev/null || skip "no python3"
	[ -s "$D/leaf.pem" ] || skip "the test CA could not be made"
}

# srv ARGS...: the server, its port in PORT, its log in srv.log
srv() {
	local i
	need_srv
	rm -f port srv.log
	python3 "$TOP/tests/peers/ftptls.py" "$D/leaf.pem" "$D/leaf.key" port srv.log root "$@" \
	    2>srv.err &
	SRV_PID=$!
	for ((i = 0; i < 500; i++)); do
		[ -s port ] && break
		sleep 0.02
	done
	PORT=$(cat port)
	[ -n "$PORT" ]
}

# the server's end: its exit status in SRV_STATUS
srv_wait() {
	SRV_STATUS=0
	wait "$SRV_PID" || SRV_STATUS=$?
	SRV_PID=
}

@test "ftpget-tls: AUTH TLS, the login over TLS, then PBSZ 0 and PROT P; the data connection resumes the session; -v and -j say so" {
	srv
	run --separate-stderr timeout 20 ftpget -v -j --cacert "$D/ca.pem" -o got \
	    "ftp://127.0.0.1:$PORT/rand.bin"
	[ "$status" -eq 0 ] || { echo "$stderr"; cat srv.err; false; }
	srv_wait
	[ "$SRV_STATUS" -eq 0 ] || { cat srv.err; false; }
	cmp got root/rand.bin
	# the order on the wire: nothing but AUTH TLS before TLS, the password after it
	diff <(sed -n 1,7p srv.log) <(printf '%s\n' 'AUTH TLS' TLS 'USER anonymous' 'PASS ****' \
	    'PBSZ 0' 'PROT P' 'TYPE I')
	grep -qx 'DATA TLS reused=1' srv.log
	[[ "$stderr" == *"ftpget: TLS: TLSv1.3 TLS_"*", verified"* ]]
	[[ "$stderr" == *"ftpget: data connection TLS: TLSv1.3 "*", verified, resumed"* ]]
	tail -n 1 <<<"$output" | jq -e '.type == "summary" and .tls.verified == true and
	    .tls.version == "TLSv1.3" and .data_tls.connections == 1 and .data_tls.resumed == 1' \
	    >/dev/null
}

@test "ftpget-tls: TLS 1.2: the data connections resume by the session's ticket (RFC 5077); a listing and a file" {
	srv --tls12
	run --separate-stderr timeout 20 ftpget -v --cacert "$D/ca.pem" "ftp://127.0.0.1:$PORT/"
	[ "$status" -eq 0 ] || { echo "$stderr"; cat srv.err; false; }
	[[ "$output" == *$'hello.txt'* ]]
	[[ "$output" == *$'file\t300000\t'*'rand.bin'* ]]
	[[ "$stderr" == *"ftpget: TLS: TLSv1.2 TLS_ECDHE_"*", verified"* ]]
	[[ "$stderr" == *"data connection TLS: TLSv1.2 "*", resumed"* ]]
	srv_wait
	[ "$SRV_STATUS" -eq 0 ]
	grep -qx 'DATA TLS reused=1' srv.log
	! grep -qx 'DATA TLS reused=0' srv.log
}

@test "ftpget-tls: active mode (-P): the server connects, ftpget is still the TLS client and resumes" {
	srv
	run --separate-stderr timeout 20 ftpget -s -P --cacert "$D/ca.pem" "ftp://127.0.0.1:$PORT/hello.txt"
	[ "$status" -eq 0 ] || { echo "$stderr"; cat srv.err; false; }
	[ "$output" = "hello over ftps" ]
	srv_wait
	grep -q '^EPRT |1|127.0.0.1|' srv.log
	grep -qx 'DATA TLS reused=1' srv.log
}

@test "ftpget-tls: -T uploads over a TLS data connection ended by close_notify; NLST too" {
	srv
	head -c 100000 /dev/urandom >up.bin
	run --separate-stderr timeout 20 ftpget -s --cacert "$D/ca.pem" -T up.bin "ftp://127.0.0.1:$PORT/"
	[ "$status" -eq 0 ] || { echo "$stderr"; cat srv.err; false; }
	srv_wait
	grep -qx 'STORED up.bin' srv.log
	grep -qx 'DATA TLS reused=1' srv.log
	cmp up.bin root/up.bin
	srv
	run --separate-stderr timeout 20 ftpget -L --cacert "$D/ca.pem" "ftp://127.0.0.1:$PORT/"
	[ "$status" -eq 0 ]
	[ "$output" = $'hello.txt\nrand.bin\nup.bin' ]
}

@test "ftpget-tls: ftps:// speaks TLS from the first byte (no AUTH), then PBSZ and PROT" {
	srv --implicit
	run --separate-stderr timeout 20 ftpget -s --cacert "$D/ca.pem" "ftps://127.0.0.1:$PORT/hello.txt"
	[ "$status" -eq 0 ] || { echo "$stderr"; cat srv.err; false; }
	[ "$output" = "hello over ftps" ]
	srv_wait
	diff <(sed -n 1,5p srv.log) <(printf '%s\n' TLS 'USER anonymous' 'PASS ****' 'PBSZ 0' 'PROT P')
	! grep -q '^AUTH' srv.log
	# --tls off with ftps:// is a contradiction; --tls takes two words
	run ftpget --tls off ftps://127.0.0.1:1/x
	[ "$status" -eq 2 ]
	run ftpget --tls maybe ftp://127.0.0.1:1/x
	[ "$status" -eq 2 ]
}

@test "ftpget-tls: an unknown CA and a name the certificate does not hold: exit 3 with the TLS reason, no USER" {
	srv
	run --separate-stderr timeout 20 ftpget -s -u bob "ftp://127.0.0.1:$PORT/hello.txt"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"ftpget: 127.0.0.1: TLS: unknown issuer CN=tubes ftps CA"* ]]
	srv_wait
	! grep -q '^USER' srv.log
	srv --implicit
	printf '127.0.0.1 wrong.tubes.example\n' >hosts
	TUBES_HOSTS=$PWD/hosts run --separate-stderr timeout 20 ftpget -s --cacert "$D/ca.pem" \
	    "ftps://wrong.tubes.example:$PORT/hello.txt"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"wrong.tubes.example does not match the certificate (SAN: localhost, 127.0.0.1)"* ]]
	srv_wait
	! grep -q '^USER' srv.log
	# -j: the error object carries the TLS reason
	srv
	run --separate-stderr timeout 20 ftpget -j -o got "ftp://127.0.0.1:$PORT/hello.txt"
	[ "$status" -eq 3 ]
	head -n 1 <<<"$output" | jq -e '.type == "error" and (.reason | test("unknown issuer"))' >/dev/null
	tail -n 1 <<<"$output" | jq -e '.type == "summary" and .tls == null and .exit == 3' >/dev/null
}

@test "ftpget-tls: -k goes on with a chain that does not verify, and says so" {
	srv
	run --separate-stderr timeout 20 ftpget -s -k "ftp://127.0.0.1:$PORT/hello.txt"
	[ "$status" -eq 0 ]
	[ "$output" = "hello over ftps" ]
	[[ "$stderr" == *"ftpget: -k: using a certificate that does not verify: unknown issuer"* ]]
}

@test "ftpget-tls: a TLS data connection cut without close_notify is a truncated transfer (exit 3), not a file" {
	srv --truncate
	run --separate-stderr timeout 20 ftpget -s --cacert "$D/ca.pem" -o got "ftp://127.0.0.1:$PORT/rand.bin"
	[ "$status" -eq 3 ] || { echo "$stderr"; cat srv.err; false; }
	[[ "$stderr" == *"data connection: connection closed without close_notify"* ]]
	[ ! -e got ]
}

@test "ftpget-tls: PROT P refused: by default the data goes in clear with a warning; --tls required ends it (exit 3)" {
	srv --refuse-prot
	run --separate-stderr timeout 20 ftpget -s --cacert "$D/ca.pem" "ftp://127.0.0.1:$PORT/hello.txt"
	[ "$status" -eq 0 ] || { echo "$stderr"; cat srv.err; false; }
	[ "$output" = "hello over ftps" ]
	[[ "$stderr" == *"127.0.0.1: PROT P: 534 PROT P not here: data in clear"* ]]
	[[ "$stderr" == *"the data connections go in clear (the control connection is TLS)"* ]]
	srv_wait
	! grep -q '^DATA TLS' srv.log
	srv --refuse-prot
	run --separate-stderr timeout 20 ftpget -s --tls required --cacert "$D/ca.pem" \
	    "ftp://127.0.0.1:$PORT/hello.txt"
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	srv_wait
	! grep -q '^RETR' srv.log
	grep -qx QUIT srv.log
}

@test "ftpget-tls: -X shows the TLS layer between TCP and FTP, on the control and the data connection" {
	srv
	run --separate-stderr timeout 20 ftpget -s -X --cacert "$D/ca.pem" -o got "ftp://127.0.0.1:$PORT/hello.txt"
	[ "$status" -eq 0 ] || { echo "$stderr"; false; }
	# the AUTH TLS exchange in clear, then the handshake, then FTP inside TLS records
	a=$(grep -n 'AUTH TLS' <<<"$stderr" | head -n 1 | cut -d: -f1)
	h=$(grep -n 'TLS handshake: ClientHello' <<<"$stderr" | head -n 1 | cut -d: -f1)
	u=$(grep -n 'USER anonymous' <<<"$stderr" | head -n 1 | cut -d: -f1)
	[ -n "$a" ] && [ -n "$h" ] && [ -n "$u" ]
	[ "$a" -lt "$h" ] && [ "$h" -lt "$u" ]
	grep -q 'content_type.*application_data' <<<"$stderr"
	# two handshakes: the control connection's and the data connection's, resumed
	[ "$(grep -c 'TLS handshake: ClientHello' <<<"$stderr")" -eq 2 ]
	grep -q 'TLS session resumed' <<<"$stderr"
}

@test "ftpget-tls: FTP-17 a reply injected in clear after the 234 to AUTH TLS is refused; nothing more sent" {
	run_case FTP-17 ftpget -s -W 5 'ftp://bob@127.0.0.1:%PORT/f'
	[ "$status" -eq 3 ]
	[[ "$output" == *"AUTH TLS: the server sent more after its 234, before TLS began"* ]]
	peer_log_lacks '^USER'
	peer_log_lacks '^PASS'
	peer_log_lacks '^QUIT'
	[ "$(wc -l <"$PEER_LOG")" -eq 1 ]
}

@test "ftpget-tls: FTP-18 --tls required and AUTH TLS refused: exit 3, QUIT, no USER or PASS" {
	run_case FTP-18 ftpget -s -W 5 --tls required 'ftp://127.0.0.1:%PORT/f'
	[ "$status" -eq 3 ]
	[[ "$output" == *"AUTH TLS refused (534 TLS not available here), and --tls required"* ]]
	[ "$PEER_STATUS" -eq 0 ]
	peer_log_lacks '^USER'
	peer_log_lacks '^PASS'
}

@test "ftpget-tls: FTP-19 no TLS on an address that is not loopback: no login in clear unless --tls off (anonymous goes on)" {
	need_root
	NS=tb-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')-f19
	ip netns add "$NS"
	ip -n "$NS" link set lo up
	ip -n "$NS" link add d0 type veth peer name d1
	ip -n "$NS" addr add 10.254.19.1/24 dev d0
	ip -n "$NS" link set d0 up
	ip -n "$NS" link set d1 up
	PEER_NS=$NS
	PEER_OPTS=(-a 10.254.19.1)
	export FTPGET_PASSWORD=s3cret
	run_case FTP-19 ip netns exec "$NS" ftpget -s -W 5 'ftp://bob@10.254.19.1:%PORT/f'
	[ "$status" -eq 3 ]
	[[ "$output" == *"10.254.19.1: no TLS (AUTH TLS: 500 AUTH not understood): not sending the password in clear"* ]]
	[ "$PEER_STATUS" -eq 0 ]
	peer_log_lacks '^USER'
	peer_log_lacks '^PASS'
	# --tls off: the user asked for clear text
	run_case FTP-19-clear ip netns exec "$NS" ftpget -s -W 5 --tls off 'ftp://bob@10.254.19.1:%PORT/f'
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
	peer_log_has '^PASS s3cret'
	# anonymous: its password is no secret, the download goes on after the refusal
	run_case FTP-19-anon ip netns exec "$NS" ftpget -s -W 5 'ftp://10.254.19.1:%PORT/f'
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
	[ "$PEER_STATUS" -eq 0 ]
	PEER_NS=
	PEER_OPTS=()
}
