#!/usr/bin/env bats
# The TLS 1.3 and 1.2 client of lib/tls (driven by tests/crypto/x_tls) against
# `openssl s_server` on 127.0.0.1 and ::1: every suite, both groups (a
# server with P-256 only forces a HelloRetryRequest), leaf keys RSA-2048,
# ECDSA P-256 and P-384, Ed25519 under a test CA made here with openssl;
# ALPN; certificate failures; a KeyUpdate from the server; a server
# killed mid-transfer (a truncation, never a success); -X; and the key
# log against tshark; TLS 1.3 and 1.2 resumption (x_tls --resume: two
# connections, the second offering the first's ticket).  Then the constant-time check of the key schedule
# and the record protection (tests/crypto/ct_tls.c).  Every server is
# started on port 0, found through its ACCEPT line, killed by PID.

load lib/common
load lib/crypto

X_TLS="$TESTBIN/x_tls"
GET=$'GET / HTTP/1.0\r\n\r\n'

# the CA and one leaf per key type, made once for the file
setup_file() {
	command -v openssl >/dev/null 2>&1 || return 0
	local d="$BATS_FILE_TMPDIR" k
	cd "$d" || return 1
	pki_ca ca "tubes test CA" || return 1
	for k in rsa p256 p384 ed25519; do
		pki_leaf $k $k DNS:localhost,IP:127.0.0.1,IP:::1 || return 1
	done
	# a CA nobody trusts, and its leaf
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout other.key -out other.pem -days 2 -subj "/CN=other CA" \
	    -addext basicConstraints=critical,CA:TRUE 2>/dev/null
}

setup() {
	crypto_once
	[ -x "$X_TLS" ] || skip "$X_TLS not built (make check-build)"
	need_openssl
	[ -s "$BATS_FILE_TMPDIR/p256.pem" ] || skip "the test CA could not be made"
	D=$BATS_FILE_TMPDIR
	cd "$BATS_TEST_TMPDIR"
	SRV_PID=
	CAP_PID=
}

teardown() {
	srv_stop
	if [ -n "$CAP_PID" ]; then
		kill "$CAP_PID" 2>/dev/null || true
		wait "$CAP_PID" 2>/dev/null || true
	fi
	exec 8>&-
	return 0
}

# srv ADDR ARGS...: openssl s_server on ADDR port 0, stdin from the fifo
# srv.in (held open on fd 7); PORT set when it accepts
srv() {
	local addr=$1 i
	shift
	rm -f srv.in srv.out
	mkfifo srv.in
	[[ "$addr" == *:* ]] && addr="[$addr]"
	openssl s_server -accept "$addr:0" -naccept 1 "$@" <srv.in >srv.out 2>&1 &
	SRV_PID=$!
	exec 7>srv.in
	for ((i = 0; i < 500; i++)); do
		grep -q '^ACCEPT' srv.out && break
		kill -0 "$SRV_PID" 2>/dev/null || break
		sleep 0.02
	done
	PORT=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' srv.out)
	[ -n "$PORT" ] || { cat srv.out; return 1; }
}

# srv_stop: the server gone (it may have left after its one connection)
srv_stop() {
	if [ -n "$SRV_PID" ]; then
		kill "$SRV_PID" 2>/dev/null || true
		wait "$SRV_PID" 2>/dev/null || true
	fi
	SRV_PID=
	exec 7>&-
	return 0
}

# www ADDR KEY ARGS...: s_server -www with the leaf of KEY
www() {
	local addr=$1 k=$2
	shift 2
	srv "$addr" -cert "$D/$k.pem" -key "$D/$k.key" -www "$@"
}

# tls ADDR ARGS...: x_tls to the server, the GET on stdin; the page on
# stdout, the "tls:" line and any message on stderr (err)
tls() {
	local addr=$1
	shift
	run bash -c 'printf "%s" "$1" | timeout 20 "$2" "${@:5}" "$3" "$4" 2>err' _ \
	    "$GET" "$X_TLS" "$addr" "$PORT" "$@"
}

@test "tls: each TLS 1.3 suite, over IPv4 and IPv6, verified against the test CA" {
	local s a
	for s in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256; do
		for a in 127.0.0.1 ::1; do
			www "$a" p256 -ciphersuites "$s"
			tls "$a" --cacert "$D/ca.pem" --sni localhost
			cat err
			[ "$status" -eq 0 ]
			grep -q "suite=$s group=x25519 hrr=0" err
			grep -q "verified=1" err
			[[ "$output" == *"Cipher is $s"* ]]
			grep -q 'close_notify after' err
			srv_stop
		done
	done
}

@test "tls: x25519, and a P-256-only server forces a HelloRetryRequest (IPv4, IPv6)" {
	local a
	for a in 127.0.0.1 ::1; do
		www "$a" p256 -groups X25519
		tls "$a" --cacert "$D/ca.pem" --sni localhost
		[ "$status" -eq 0 ]
		grep -q 'group=x25519 hrr=0' err
		srv_stop
		www "$a" p256 -groups P-256
		tls "$a" --cacert "$D/ca.pem" --sni localhost
		cat err
		[ "$status" -eq 0 ]
		grep -q 'group=secp256r1 hrr=1' err
		[[ "$output" == *"New, TLSv1.3"* ]]
		srv_stop
	done
}

@test "tls: a P-256 key share first needs no HelloRetryRequest" {
	www 127.0.0.1 p256 -groups P-256
	tls 127.0.0.1 --cacert "$D/ca.pem" --sni localhost --group p256
	[ "$status" -eq 0 ]
	grep -q 'group=secp256r1 hrr=0' err
}

@test "tls: leaf keys RSA-2048, ECDSA P-256 and P-384, Ed25519: each CertificateVerify checked" {
	local k want
	for k in rsa:rsa_pss_rsae_sha256 p256:ecdsa_secp256r1_sha256 \
	    p384:ecdsa_secp384r1_sha384 ed25519:ed25519; do
		want=${k#*:}
		k=${k%%:*}
		www 127.0.0.1 "$k"
		tls 127.0.0.1 --cacert "$D/ca.pem" --sni localhost
		cat err
		[ "$status" -eq 0 ]
		grep -q "verified=1 scheme=$want chain=1 CN=localhost" err
		srv_stop
	done
}

@test "tls: an untrusted chain fails with exit 3, and -k goes on with verified=0" {
	www 127.0.0.1 p256
	tls 127.0.0.1 --cacert "$D/other.pem" --sni localhost
	cat err
	[ "$status" -eq 3 ]
	grep -qi 'issuer' err
	[ -z "$output" ]
	srv_stop
	www 127.0.0.1 p256
	tls 127.0.0.1 -k --cacert "$D/other.pem" --sni localhost
	[ "$status" -eq 0 ]
	grep -q 'verified=0' err
	[[ "$output" == *"s_server"* ]]
}

@test "tls: a name the certificate does not carry fails (SAN only)" {
	www 127.0.0.1 p256
	tls 127.0.0.1 --cacert "$D/ca.pem" --sni www.other.test
	cat err
	[ "$status" -eq 3 ]
	grep -q 'does not match' err
}

@test "tls: the IP literal is matched against the SAN's addresses when no SNI is sent" {
	www ::1 p256
	tls ::1 --cacert "$D/ca.pem"
	cat err
	[ "$status" -eq 0 ]
	grep -q 'verified=1' err
}

@test "tls: ALPN: the server's choice among the offered" {
	www 127.0.0.1 p256 -alpn http/1.1
	tls 127.0.0.1 --cacert "$D/ca.pem" --sni localhost --alpn h2,http/1.1
	cat err
	[ "$status" -eq 0 ]
	grep -q 'alpn=http/1.1' err
}

# wait_grep PATTERN FILE: bounded wait for a line in a file
wait_grep() {
	local i
	for ((i = 0; i < 500; i++)); do
		grep -q "$1" "$2" 2>/dev/null && return 0
		sleep 0.02
	done
	echo "timed out waiting for '$1' in $2" >&2
	cat "$2" >&2
	return 1
}

@test "tls: a KeyUpdate from the server, asking for ours: data flows both ways after it" {
	srv 127.0.0.1 -cert "$D/p256.pem" -key "$D/p256.key"
	mkfifo cli.in
	timeout 20 "$X_TLS" -X --cacert "$D/ca.pem" --sni localhost 127.0.0.1 "$PORT" \
	    <cli.in >cli.out 2>cli.err &
	local cpid=$!
	exec 8>cli.in
	wait_grep '^tls:' cli.err
	wait_grep 'CIPHER is' srv.out
	# s_server's "K": a KeyUpdate with update_requested
	echo K >&7
	wait_grep 'SSL_do_handshake -> 1' srv.out
	echo 'from the server' >&7
	wait_grep 'from the server' cli.out
	echo 'from the client' >&8
	wait_grep 'from the client' srv.out
	exec 8>&-
	wait "$cpid"
	cat cli.err
	grep -q 'close_notify after\|after our close_notify' cli.err
	grep -q 'request_update *1 (update_requested)' cli.out
	grep -q 'request_update *0 (update_not_requested)' cli.out
}

@test "tls: the server killed mid-transfer is a truncation: exit 3, never success" {
	srv 127.0.0.1 -cert "$D/p256.pem" -key "$D/p256.key"
	mkfifo cli.in
	timeout 20 "$X_TLS" --cacert "$D/ca.pem" --sni localhost 127.0.0.1 "$PORT" \
	    <cli.in >cli.out 2>cli.err &
	local cpid=$! st=0
	exec 8>cli.in
	wait_grep 'CIPHER is' srv.out
	echo 'part of a file' >&7
	wait_grep 'part of a file' cli.out
	kill -9 "$SRV_PID"
	wait "$SRV_PID" 2>/dev/null || true
	SRV_PID=
	wait "$cpid" || st=$?
	cat cli.err
	[ "$st" -eq 3 ]
	grep -q 'connection closed without close_notify after 15 bytes' cli.err
}

@test "tls: -X shows every record and handshake message, the encrypted ones too" {
	www 127.0.0.1 p256
	tls 127.0.0.1 -X --cacert "$D/ca.pem" --sni localhost
	[ "$status" -eq 0 ]
	local m
	for m in 'TLS record sent' 'TLS record received' 'legacy_record_version' \
	    'TLS handshake: ClientHello' 'cipher_suite *0x1301 TLS_AES_128_GCM_SHA256' \
	    'extension *key_share' 'host_name *localhost' 'TLS handshake: ServerHello' \
	    'TLS handshake: EncryptedExtensions' 'TLS handshake: Certificate,' \
	    'public key *EC secp256r1' 'TLS handshake: CertificateVerify' \
	    'algorithm *0x0403 ecdsa_secp256r1_sha256' 'TLS handshake: Finished' \
	    'TLS handshake: NewSessionTicket' 'inner content_type' \
	    'description *0 (close_notify)'; do
		grep -q "$m" <<<"$output" || { echo "missing: $m"; false; }
	done
}

# mark TEXT: send TEXT to 127.0.0.1's discard port until it shows in cap.pcapng
mark() {
	local i
	for ((i = 0; i < 250; i++)); do
		echo "$1" >/dev/udp/127.0.0.1/9 2>/dev/null || true
		grep -q "$1" cap.pcapng 2>/dev/null && return 0
		sleep 0.02
	done
	echo "the capture never showed $1" >&2
	return 1
}

@test "tls: the key log decrypts a capture in tshark" {
	need_root
	need_cmd tshark dumpcap
	www 127.0.0.1 p256
	dumpcap -i lo -f "tcp port $PORT or udp port 9" -w cap.pcapng >cap.log 2>&1 &
	CAP_PID=$!
	# the capture holds what came before a marker once the marker is in
	# its file: one datagram to the discard port before, one after
	mark tubes-capture-start
	tls 127.0.0.1 -X --cacert "$D/ca.pem" --sni localhost --keylog keys.txt
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >x.txt
	mark tubes-capture-end
	kill -INT "$CAP_PID"
	wait "$CAP_PID" || true
	CAP_PID=
	[ "$(grep -c '^CLIENT_HANDSHAKE_TRAFFIC_SECRET \|^SERVER_HANDSHAKE_TRAFFIC_SECRET \|^CLIENT_TRAFFIC_SECRET_0 \|^SERVER_TRAFFIC_SECRET_0 ' keys.txt)" -eq 4 ]
	[ "$(stat -c %a keys.txt)" = 600 ]
	run tshark -r cap.pcapng -o tls.keylog_file:keys.txt -V
	[ "$status" -eq 0 ]
	local m
	for m in 'Handshake Type: Encrypted Extensions (8)' 'Handshake Type: Certificate (11)' \
	    'Handshake Type: Certificate Verify (15)' 'Handshake Type: Finished (20)' \
	    'GET / HTTP/1.0'; do
		grep -q "$m" <<<"$output" || { echo "missing: $m"; false; }
	done
	# -X and tshark agree on the fields: both randoms, the session id, the suite
	local ours theirs
	ours=$(sed -n 's/^ *random  *//p' x.txt | tr '\n' ' ')
	theirs=$(grep '^ *Random: ' <<<"$output" | sed 's/^ *Random: //' | tr '\n' ' ')
	echo "ours:   $ours"
	echo "theirs: $theirs"
	[ -n "$ours" ] && [ "$ours" = "$theirs" ]
	ours=$(sed -n 's/^ *legacy_session_id  *32 bytes //p' x.txt)
	grep -q "Session ID: $ours" <<<"$output"
	grep -q 'Cipher Suite: TLS_AES_128_GCM_SHA256 (0x1301)' <<<"$output"
	grep -q 'cipher_suite  *0x1301 TLS_AES_128_GCM_SHA256' x.txt
	# and on every record and message of the connection: each record's
	# length, each handshake message's type (the encrypted ones too), each
	# extension's type, as tshark reads them with the key log (sorted: the
	# order of two records crossing on the wire is the capture's)
	tshark -r cap.pcapng -o tls.keylog_file:keys.txt -Y tls -T fields -E occurrence=a \
	    -E "separator=;" -e tls.record.length -e tls.handshake.type \
	    -e tls.handshake.extension.type >fields.txt
	local col
	for col in 1 2 3; do
		case $col in
		1) ours=$(awk '/^TLS record layer/ { r = 1; next } r && /^    length / { print $2; r = 0 }' x.txt) ;;
		2) ours=$(awk '/^    msg_type / { print $2 }' x.txt) ;;
		3) ours=$(awk '/^    extension  / { gsub(/[(),]/, "", $3); print $3 }' x.txt) ;;
		esac
		ours=$(sort -n <<<"$ours" | tr '\n' ' ')
		theirs=$(awk -F";" -v c=$col '{ print $c }' fields.txt | tr ',' '\n' | grep . | sort -n | tr '\n' ' ')
		echo "field $col: ours   $ours"
		echo "field $col: theirs $theirs"
		[ -n "$ours" ] && [ "$ours" = "$theirs" ]
	done
	# without the keys, none of that shows
	run tshark -r cap.pcapng -V
	[[ "$output" != *"Handshake Type: Certificate (11)"* ]]
}

# --- TLS 1.2 (lib/tls/tls12.c) --------------------------------------------------

# the openssl name of each TLS 1.2 suite, and the leaf its key exchange needs
declare -A OSSL12=(
	[TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]="ECDHE-ECDSA-AES128-GCM-SHA256 p256"
	[TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]="ECDHE-ECDSA-AES256-GCM-SHA384 p256"
	[TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256]="ECDHE-ECDSA-CHACHA20-POLY1305 p256"
	[TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]="ECDHE-RSA-AES128-GCM-SHA256 rsa"
	[TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]="ECDHE-RSA-AES256-GCM-SHA384 rsa"
	[TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256]="ECDHE-RSA-CHACHA20-POLY1305 rsa"
)

@test "tls 1.2: each of the six suites against s_server -tls1_2, ECDSA P-256 and RSA-2048 leaves" {
	local s o k
	for s in "${!OSSL12[@]}"; do
		read -r o k <<<"${OSSL12[$s]}"
		www 127.0.0.1 "$k" -tls1_2 -cipher "$o"
		tls 127.0.0.1 --cacert "$D/ca.pem" --sni localhost
		cat err
		[ "$status" -eq 0 ]
		grep -q "version=0x0303 suite=$s group=x25519 hrr=0" err
		grep -q "verified=1" err
		[[ "$output" == *"New, TLSv1.2, Cipher is $o"* ]]
		grep -q 'close_notify after' err
		srv_stop
	done
}

@test "tls 1.2: the signature schemes: ECDSA P-256 with SHA-256 and SHA-384, Ed25519, RSA with PSS and with PKCS#1 v1.5" {
	www 127.0.0.1 p256 -tls1_2
	tls 127.0.0.1 --cacert "$D/ca.pem" --sni localhost
	[ "$status" -eq 0 ]
	grep -q 'scheme=ecdsa_secp256r1_sha256' err
	srv_stop
	www 127.0.0.1 rsa -tls1_2
	tls 127.0.0.1 --cacert "$D/ca.pem" --sni localhost
	[ "$status" -eq 0 ]
	grep -q 'scheme=rsa_pss_rsae_sha256' err
	srv_stop
	www 127.0.0.1 rsa -tls1_2 -sigalgs RSA+SHA384
	tls 127.0.0.1 --cacert "$D/ca.pem" --sni localhost
	cat err
	[ "$status" -eq 0 ]
	grep -q 'scheme=rsa_pkcs1_sha384' err
	srv_stop
	# a 1.2 ECDSA scheme names the hash, not the curve: SHA-384 by a P-256 key
	www 127.0.0.1 p256 -tls1_2 -sigalgs ECDSA+SHA384
	tls 127.0.0.1 --cacert "$D/ca.pem" --sni localhost
	cat err
	[ "$status" -eq 0 ]
	grep -q 'scheme=ecdsa_secp384r1_sha384' err
	srv_stop
	# RFC 8422 5.1.3: Ed25519 under ECDHE_ECDSA
	www 127.0.0.1 ed25519 -tls1_2
	tls 127.0.0.1 --cacert "$D/ca.pem" --sni localhost
	[ "$status" -eq 0 ]
	grep -q 'version=0x0303 suite=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 .*scheme=ed25519' err
}

@test "tls 1.2: x25519 and P-256, over IPv4 and IPv6" {
	local a
	for a in 127.0.0.1 ::1; do
		www "$a" p256 -tls1_2 -groups X25519
		tls "$a" --cacert "$D/ca.pem" --sni localhost
		[ "$status" -eq 0 ]
		grep -q 'version=0x0303 .* group=x25519' err
		srv_stop
		www "$a" p256 -tls1_2 -groups P-256
		tls "$a" --cacert "$D/ca.pem" --sni localhost
		cat err
		[ "$status" -eq 0 ]
		grep -q 'version=0x0303 .* group=secp256r1' err
		srv_stop
	done
}

@test "tls 1.2: a server without the extended master secret is refused (RFC 7627)" {
	# s_server has no -no_ems in OpenSSL 3.0: the option goes through its config
	printf '%s\n' 'openssl_conf = init' '[init]' 'ssl_conf = ssl' '[ssl]' \
	    'system_default = sys' '[sys]' 'Options = -ExtendedMasterSecret' >noems.cnf
	OPENSSL_CONF=$PWD/noems.cnf www 127.0.0.1 p256 -tls1_2
	tls 127.0.0.1 --cacert "$D/ca.pem" --sni localhost
	cat err
	[ "$status" -eq 3 ]
	grep -q 'server chose TLS 1.2 without the extended master secret' err
	# the control: the same server with it is taken
	srv_stop
	www 127.0.0.1 p256 -tls1_2
	tls 127.0.0.1 --cacert "$D/ca.pem" --sni localhost
	[ "$status" -eq 0 ]
}

@test "tls 1.2: --tls-max 1.2 against a TLS 1.3 server gives TLS 1.2; --tls-min 1.3 refuses a 1.2 server" {
	www 127.0.0.1 p256
	tls 127.0.0.1 --cacert "$D/ca.pem" --sni localhost --tls-max 1.2
	cat err
	[ "$status" -eq 0 ]
	grep -q 'version=0x0303 suite=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256' err
	[[ "$output" == *"New, TLSv1.2"* ]]
	srv_stop
	www 127.0.0.1 p256
	tls 127.0.0.1 --cacert "$D/ca.pem" --sni localhost
	[ "$status" -eq 0 ]
	grep -q 'version=0x0304' err
	srv_stop
	www 127.0.0.1 p256 -tls1_2
	tls 127.0.0.1 --cacert "$D/ca.pem" --sni localhost --tls-min 1.3
	cat err
	[ "$status" -eq 3 ]
	grep -q 'server sent alert protocol_version' err
}

@test "tls 1.2: a name or an anchor that does not fit fails as in TLS 1.3" {
	www 127.0.0.1 rsa -tls1_2
	tls 127.0.0.1 --cacert "$D/other.pem" --sni localhost
	[ "$status" -eq 3 ]
	grep -q 'unknown issuer' err
	srv_stop
	www 127.0.0.1 rsa -tls1_2
	tls 127.0.0.1 --cacert "$D/ca.pem" --sni www.other.test
	[ "$status" -eq 3 ]
	grep -q 'does not match' err
}

@test "tls 1.2: a HelloRequest is answered no_renegotiation, never a renegotiation" {
	srv 127.0.0.1 -cert "$D/p256.pem" -key "$D/p256.key" -tls1_2
	mkfifo cli.in
	timeout 20 "$X_TLS" -X --cacert "$D/ca.pem" --sni localhost 127.0.0.1 "$PORT" \
	    <cli.in >cli.out 2>cli.err &
	local cpid=$! st=0
	exec 8>cli.in
	wait_grep '^tls:' cli.err
	wait_grep 'CIPHER is' srv.out
	# s_server's "r": a HelloRequest
	echo r >&7
	wait_grep 'description *100 (no_renegotiation)' cli.out
	exec 8>&-
	wait "$cpid" || st=$?
	cat cli.err
	grep -q 'TLS handshake: HelloRequest' cli.out
	grep -q 'level *1 (warning)' cli.out
	# one ClientHello only: the first
	[ "$(grep -c 'TLS handshake: ClientHello' cli.out)" -eq 1 ]
}

@test "tls 1.2: -X shows the handshake of the seed's slides" {
	www 127.0.0.1 rsa -tls1_2
	tls 127.0.0.1 -X --cacert "$D/ca.pem" --sni localhost --tls-max 1.2
	[ "$status" -eq 0 ]
	local m
	for m in 'TLS handshake: ClientHello' 'cipher_suite *0xc02f TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' \
	    'extension *extended_master_secret' 'extension *renegotiation_info' \
	    'TLS handshake: ServerHello' 'TLS handshake: Certificate,' 'public key *RSA, 2048 bits' \
	    'TLS handshake: ServerKeyExchange' 'curve_type *3 (named_curve)' \
	    'named_curve *0x001d x25519' 'signature_algorithm *0x0804 rsa_pss_rsae_sha256' \
	    'TLS handshake: ServerHelloDone' 'TLS handshake: ClientKeyExchange' \
	    'ecdh_Yc *32 bytes' 'ChangeCipherSpec' 'TLS handshake: Finished, 12 bytes' \
	    'explicit_nonce *0000000000000000' \
	    'description *0 (close_notify)'; do
		grep -q "$m" <<<"$output" || { echo "missing: $m"; false; }
	done
	# no TLS 1.3 extension in a 1.2-only ClientHello
	! grep -q 'extension *key_share' <<<"$output"
	! grep -q 'extension *supported_versions' <<<"$output"
	# TLS 1.2 records have no inner content type
	! grep -q 'inner content_type' <<<"$output"
}

@test "tls 1.2: the key log's CLIENT_RANDOM line decrypts a capture in tshark" {
	need_root
	need_cmd tshark dumpcap
	www 127.0.0.1 p256 -tls1_2
	dumpcap -i lo -f "tcp port $PORT or udp port 9" -w cap.pcapng >cap.log 2>&1 &
	CAP_PID=$!
	mark tubes-capture-start
	tls 127.0.0.1 -X --cacert "$D/ca.pem" --sni localhost --keylog keys.txt
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >x.txt
	mark tubes-capture-end
	kill -INT "$CAP_PID"
	wait "$CAP_PID" || true
	CAP_PID=
	cat keys.txt
	[ "$(wc -l <keys.txt)" -eq 1 ]
	grep -Eq '^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$' keys.txt
	run tshark -r cap.pcapng -o tls.keylog_file:keys.txt -V
	[ "$status" -eq 0 ]
	grep -q 'GET / HTTP/1.0' <<<"$output"
	grep -q 'Cipher Suite: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (0xc02b)' <<<"$output"
	grep -q 'Handshake Type: Finished (20)' <<<"$output"
	# -X and tshark agree: both randoms, the server's ECDHE point, its signature scheme
	local ours theirs
	ours=$(sed -n 's/^ *random  *//p' x.txt | tr '\n' ' ')
	theirs=$(grep '^ *Random: ' <<<"$output" | sed 's/^ *Random: //' | tr '\n' ' ')
	echo "ours:   $ours"
	echo "theirs: $theirs"
	[ -n "$ours" ] && [ "$ours" = "$theirs" ]
	ours=$(sed -n 's/^ *public  *32 bytes //p' x.txt)
	grep -q "Pubkey: $ours" <<<"$output"
	grep -q 'signature_algorithm  *0x0403 ecdsa_secp256r1_sha256' x.txt
	grep -q 'Signature Algorithm: ecdsa_secp256r1_sha256 (0x0403)' <<<"$output"
	run tshark -r cap.pcapng -V
	[[ "$output" != *"GET / HTTP/1.0"* ]]
}

# resumed ERR: the second "tls:" line of x_tls --resume says resumed=1
# and carries the first connection's verdict
resumed() {
	local second
	second=$(grep '^tls:' err | sed -n 2p)
	echo "second: $second"
	[[ "$second" == *" resumed=1"* ]]
	[[ "$second" == *"verified=1 scheme=ecdsa_secp256r1_sha256 chain=1 CN=localhost"* ]]
	[ "$(grep -c '^tls:.*resumed=1' err)" -eq 1 ]
}

@test "tls: TLS 1.3 resumption with the server's ticket, each suite: s_server says Reused" {
	local s
	for s in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256; do
		www 127.0.0.1 p256 -ciphersuites "$s" -naccept 2
		tls 127.0.0.1 --resume --cacert "$D/ca.pem" --sni localhost
		cat err
		[ "$status" -eq 0 ]
		resumed
		[[ "$output" == *"New, TLSv1.3, Cipher is $s"* ]]
		[[ "$output" == *"Reused, TLSv1.3, Cipher is $s"* ]]
		srv_stop
	done
}

@test "tls: TLS 1.3 resumption after a HelloRetryRequest (new binder), over IPv6" {
	www ::1 p256 -groups P-256 -naccept 2
	tls ::1 --resume --cacert "$D/ca.pem" --sni localhost
	cat err
	[ "$status" -eq 0 ]
	resumed
	[ "$(grep -c '^tls:.*group=secp256r1 hrr=1' err)" -eq 2 ]
	[[ "$output" == *"Reused, TLSv1.3"* ]]
}

@test "tls: a server that does not take the ticket: a full handshake, verified again" {
	www 127.0.0.1 p256 -no_ticket -no_cache -naccept 2
	tls 127.0.0.1 --resume --cacert "$D/ca.pem" --sni localhost
	cat err
	[ "$status" -eq 0 ]
	[ "$(grep -c '^tls:.*verified=1 scheme=ecdsa_secp256r1_sha256 chain=1' err)" -eq 2 ]
	! grep -q 'resumed=1' err
	[[ "$output" != *"Reused"* ]]
}

@test "tls: -X of a resumption: pre_shared_key last in the ClientHello, taken, no Certificate" {
	www 127.0.0.1 p256 -naccept 2
	tls 127.0.0.1 -X --resume --cacert "$D/ca.pem" --sni localhost
	[ "$status" -eq 0 ]
	resumed
	# split the output at the second ClientHello
	awk '/TLS handshake: ClientHello/ { n++ } n == 2' <<<"$output" >second.txt
	grep -q 'extension  *pre_shared_key (41)' second.txt
	grep -q 'identity  *[0-9]* bytes, obfuscated_ticket_age' second.txt
	grep -q 'binder  *32 bytes' second.txt
	grep -q 'selected_identity  *0' second.txt
	grep -q 'resumed  *yes' second.txt
	! grep -q 'TLS handshake: Certificate,' second.txt
	! grep -q 'TLS handshake: CertificateVerify' second.txt
	# the first hello offered none
	awk '/TLS handshake: ClientHello/ { n++ } n == 1' <<<"$output" >first.txt
	! grep -q 'pre_shared_key' first.txt
	grep -q 'TLS handshake: Certificate,' first.txt
}

@test "tls 1.2: resumption with a session ticket (RFC 5077), AES-128, AES-256 and ChaCha20: Reused" {
	local c want
	for c in ECDHE-ECDSA-AES128-GCM-SHA256:TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 \
	    ECDHE-ECDSA-AES256-GCM-SHA384:TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 \
	    ECDHE-ECDSA-CHACHA20-POLY1305:TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256; do
		want=${c#*:}
		c=${c%%:*}
		www 127.0.0.1 p256 -tls1_2 -cipher "$c" -naccept 2
		tls 127.0.0.1 --resume --cacert "$D/ca.pem" --sni localhost
		cat err
		[ "$status" -eq 0 ]
		resumed
		grep '^tls:' err | sed -n 2p | grep -q "version=0x0303 suite=$want group=none"
		[[ "$output" == *"New, TLSv1.2, Cipher is $c"* ]]
		[[ "$output" == *"Reused, TLSv1.2, Cipher is $c"* ]]
		srv_stop
	done
}

@test "tls 1.2: a server without tickets gives no session; -X shows the ticket and the short handshake" {
	www 127.0.0.1 p256 -tls1_2 -no_ticket -naccept 2
	tls 127.0.0.1 --resume --cacert "$D/ca.pem" --sni localhost
	cat err
	[ "$status" -eq 3 ]
	grep -q 'no session to resume (no ticket came)' err
	srv_stop
	www 127.0.0.1 p256 -tls1_2 -naccept 2
	tls 127.0.0.1 -X --resume --cacert "$D/ca.pem" --sni localhost
	[ "$status" -eq 0 ]
	resumed
	awk '/TLS handshake: ClientHello/ { n++ } n == 2' <<<"$output" >second.txt
	awk '/TLS handshake: ClientHello/ { n++ } n == 1' <<<"$output" >first.txt
	grep -q 'TLS handshake: NewSessionTicket' first.txt
	grep -q 'ticket_lifetime_hint  *[0-9]* s' first.txt
	! grep -q 'malformed' first.txt second.txt
	grep -q 'TLS handshake: ServerKeyExchange' first.txt
	grep -q 'extension  *session_ticket (35), [1-9][0-9]* bytes' second.txt
	grep -q 'resumed  *yes' second.txt
	! grep -q 'TLS handshake: Certificate,' second.txt
	! grep -q 'TLS handshake: ServerKeyExchange' second.txt
	! grep -q 'TLS handshake: ClientKeyExchange' second.txt
}

@test "tls: secp384r1: a P-384-only server forces a HelloRetryRequest to it; --group p384 needs none" {
	local a
	for a in 127.0.0.1 ::1; do
		www "$a" p256 -groups P-384
		tls "$a" --cacert "$D/ca.pem" --sni localhost
		cat err
		[ "$status" -eq 0 ]
		grep -q 'group=secp384r1 hrr=1' err
		[[ "$output" == *"New, TLSv1.3"* ]]
		srv_stop
	done
	www 127.0.0.1 p256 -groups P-384
	tls 127.0.0.1 --cacert "$D/ca.pem" --sni localhost --group p384
	[ "$status" -eq 0 ]
	grep -q 'group=secp384r1 hrr=0' err
}

@test "tls 1.2: ECDHE on secp384r1, and an ECDSA P-384 leaf signing with SHA-384" {
	www 127.0.0.1 p256 -tls1_2 -curves P-384
	tls 127.0.0.1 --cacert "$D/ca.pem" --sni localhost
	cat err
	[ "$status" -eq 0 ]
	grep -q 'version=0x0303 .* group=secp384r1 ' err
	srv_stop
	www 127.0.0.1 p384 -tls1_2 -curves P-384 -sigalgs ECDSA+SHA384
	tls 127.0.0.1 --cacert "$D/ca.pem" --sni localhost
	cat err
	[ "$status" -eq 0 ]
	grep -q 'version=0x0303 suite=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 group=secp384r1 .*verified=1 scheme=ecdsa_secp384r1_sha384 chain=1 CN=localhost' err
	[[ "$output" == *"New, TLSv1.2"* ]]
}

@test "tls: constant time: key schedule and record protection, portable (ctgrind)" {
	ct_check ct_tls portable
}

@test "tls: constant time: key schedule and record protection, fast paths (ctgrind)" {
	ct_check ct_tls fast
}
