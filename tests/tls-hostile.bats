#!/usr/bin/env bats
# tls-hostile.bats - the hostile TLS servers of issue 20 as scripted peers
# (TLS-nn in tests/hostile-peers-2.md): `httpget --cacert CA
# https://127.0.0.1:PORT/` against tests/peers/tlspeer.c, a TLS 1.3 (for
# a few cases 1.2) server that does a real handshake and breaks one thing
# as its CASE says, or sends a certificate chain made here with openssl;
# TLS-14 runs pop3get and smtpsend against two of them.  Each test checks the
# exit code, the exact message, that no HTTP request went out when the
# handshake failed (tlspeer decrypts and logs every application-data
# byte the client sends) and that the command ended in time.  The
# unit tests on canned bytes (t_tls13, t_tls12) and x_x509 (x509.bats)
# cover the same checks below the command; these run the whole path:
# socket, deadlines, message, exit code.
#
# Validity periods: httpget's clock is fixed (libfaketime, the faketime
# package: fixed_clock) in every validity test, never the real date:
# TLS-07 and TLS-07b at 2026-06-01 against leaves of 2000 and 2090,
# TLS-07h on both sides of each boundary of a leaf of 2030.  The exact
# boundaries below the command are x509.bats's, at a fixed clock too.

load lib/common
load lib/crypto

bats_require_minimum_version 1.5.0

PEER="$TESTBIN/tlspeer"

# key NAME: a P-256 key $D/NAME.key (once)
key() {
	[ -s "$D/$1.key" ] ||
	    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$D/$1.key" 2>/dev/null
}

# cert NAME KEY CN ISSUER EXTLINES [START END]: $D/NAME.pem signed by
# ISSUER's key ("self": self-signed); EXTLINES an openssl extension section
cert() {
	local name=$1 k=$2 cn=$3 issuer=$4 ext=$5 start=${6:-} end=${7:-} dates
	key "$k" || return 1
	[ -f "$D/ca/index.txt" ] || { mkdir -p "$D/ca" && : >"$D/ca/index.txt" && echo 1000 >"$D/ca/serial"; }
	cat >"$D/$name.cnf" <<CNF
[ca]
default_ca = d
[d]
database = $D/ca/index.txt
new_certs_dir = $D/ca
serial = $D/ca/serial
default_md = sha256
policy = p
unique_subject = no
[p]
commonName = supplied
[req]
distinguished_name = dn
prompt = no
[dn]
CN = $cn
[e]
$ext
CNF
	if [ -n "$start" ]; then dates=(-startdate "$start" -enddate "$end"); else dates=(-days 30); fi
	openssl req -new -key "$D/$k.key" -config "$D/$name.cnf" -out "$D/$name.csr" 2>/dev/null || return 1
	if [ "$issuer" = self ]; then
		openssl ca -batch -config "$D/$name.cnf" -selfsign -keyfile "$D/$k.key" \
		    -in "$D/$name.csr" -out "$D/$name.pem" "${dates[@]}" -extensions e -notext >/dev/null 2>&1
	else
		openssl ca -batch -config "$D/$name.cnf" -cert "$D/$issuer.pem" -keyfile "$D/$issuer.key" \
		    -in "$D/$name.csr" -out "$D/$name.pem" "${dates[@]}" -extensions e -notext >/dev/null 2>&1
	fi
	[ -s "$D/$name.pem" ] || { echo "openssl ca made no $name"; return 1; }
}

CAEXT="basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid"

# leafext SANS [MORE]: a server certificate's extensions
leafext() {
	printf 'basicConstraints = CA:FALSE\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = serverAuth\nsubjectAltName = %s\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n%s' "$1" "${2:-}"
}

# chain OUT PEM...: the chain file the peer sends, in this order
chain() {
	local out=$1
	shift
	(cd "$D" && cat "$@") >"$D/$out.chain"
}

# the CA, the good leaf and one chain per certificate case, made once; every
# leaf has the key leaf.key (the peer signs with it), each CA its own
setup_file() {
	command -v openssl >/dev/null 2>&1 || return 0
	export D="$BATS_FILE_TMPDIR/pki"
	mkdir -p "$D"
	local ip="IP:127.0.0.1" i prev=ca deep=()
	cert ca ca "Tubes Hostile CA" self "$CAEXT" || return 1
	cert good leaf "good" ca "$(leafext "$ip")" && chain good good.pem
	# the validity cases under a CA of 2000-2099, so that at their fixed
	# clocks only the leaf is out of its period
	cert wca wca "Tubes Window CA" self "$CAEXT" 20000101000000Z 20990101000000Z || return 1
	cert expired leaf "expired" wca "$(leafext "$ip")" 20000101000000Z 20010101000000Z &&
	    chain expired expired.pem
	cert early leaf "early" wca "$(leafext "$ip")" 20900101000000Z 20910101000000Z &&
	    chain early early.pem
	cert wronghost leaf "wronghost" ca "$(leafext "DNS:other.test, IP:127.0.0.2")" &&
	    chain wronghost wronghost.pem
	cert self leaf "self" self "$(leafext "$ip")" && chain self self.pem
	cert notca notca "Not A CA" ca "basicConstraints = critical, CA:FALSE
keyUsage = critical, keyCertSign" &&
	    cert undernotca leaf "undernotca" notca "$(leafext "$ip")" &&
	    chain notca undernotca.pem notca.pem
	cert pl0 pl0 "Pathlen Zero" ca "basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign" &&
	    cert pl0sub pl0sub "Below Pathlen Zero" pl0 "$CAEXT" &&
	    cert pl0leaf leaf "pl0leaf" pl0sub "$(leafext "$ip")" &&
	    chain pathlen pl0leaf.pem pl0sub.pem pl0.pem
	cert crit leaf "crit" ca "$(leafext "$ip" "1.2.3.4 = critical, DER:0500")" &&
	    chain crit crit.pem
	# the chain of 20: the leaf, 18 intermediates, the root
	for ((i = 1; i <= 18; i++)); do
		cert "deep$i" "deep$i" "Deep $i" "$prev" "$CAEXT" || return 1
		prev="deep$i"
		deep=("deep$i.pem" "${deep[@]}")
	done
	cert deepleaf leaf "deepleaf" deep18 "$(leafext "$ip")" &&
	    chain deep20 deepleaf.pem "${deep[@]}" ca.pem
	# for a fixed clock: a leaf of 2030 only
	cert window leaf "window" wca "$(leafext "$ip")" 20300101000000Z 20301231235959Z &&
	    chain window window.pem
}

setup() {
	need_openssl
	[ -x "$PEER" ] || skip "$PEER not built (make check-build)"
	export D="$BATS_FILE_TMPDIR/pki"
	[ -s "$D/deep20.chain" ] || { echo "the test PKI was not made"; return 1; }
	cd "$BATS_TEST_TMPDIR"
	PEER_PID=
	HT_ENV=()	# variables for httpget alone (TLS-07h: its clock)
}

teardown() {
	peer_gone
	return 0
}

# peer_gone: the peer ended (it leaves when the client does), else killed
peer_gone() {
	local i
	[ -n "$PEER_PID" ] || return 0
	for ((i = 0; i < 150; i++)); do
		kill -0 "$PEER_PID" 2>/dev/null || break
		sleep 0.02
	done
	kill "$PEER_PID" 2>/dev/null || true
	wait "$PEER_PID" 2>/dev/null || true
	PEER_PID=
}

# peer_up CASE CHAIN: tlspeer playing CASE with the chain CHAIN, its port in
# ./port and $PORT
peer_up() {
	rm -f port peer.log peer.err
	"$PEER" -T 20 "$PWD/port" "$PWD/peer.log" "$1" "$D/$2.chain" "$D/leaf.key" \
	    2>peer.err 3>&- &
	PEER_PID=$!
	wait_file port 5 || { cat peer.err; return 1; }
	PORT=$(cat port)
}

# hostile CASE CHAIN [HTTPGET-ARGS...]: tlspeer playing CASE with the chain
# CHAIN, httpget against it (stdout in $output, stderr in $stderr, the exit
# in $status, the milliseconds it took in $MS); the peer's events in
# peer.err, what it decrypted in peer.log
hostile() {
	local t0
	peer_up "$1" "$2" || return 1
	shift 2
	t0=$(date +%s%N)
	run --separate-stderr timeout 20 env "${HT_ENV[@]}" httpget --cacert "$D/ca.pem" "$@" \
	    "https://127.0.0.1:$(cat port)/"
	MS=$(( ($(date +%s%N) - t0) / 1000000 ))
	peer_gone
	echo "status $status in $MS ms; stderr: $stderr"
	cat peer.err
}

# lacks REGEX FILE: FILE has no line matching REGEX (a `! grep` does not
# fail a bats test)
lacks() {
	! grep -q -- "$1" "$2"
}

# refused MESSAGE: exit 3, the handshake's MESSAGE as the one line on
# stderr, nothing on stdout, no request seen by the peer, within 5 s
refused() {
	local P
	P=$(cat port)
	[ "$status" -eq 3 ]
	[ "$stderr" = "httpget: https://127.0.0.1:$P/: 127.0.0.1 port $P: TLS: $1" ]
	[ -z "$output" ]
	[ ! -s peer.log ]
	lacks 'request received' peer.err
	[ "$MS" -lt 5000 ]
}

@test "TLS-00: the control: tlspeer played straight is fetched, verified" {
	hostile ok good
	[ "$status" -eq 0 ]
	[ "$output" = "hello over tls" ]
	[ -z "$stderr" ]
	grep -q '^GET / HTTP/1.1' peer.log
	grep -q 'client Finished' peer.err
}

@test "TLS-01: a record over the length limit (2^14 + 1 bytes before the keys)" {
	hostile bigrecord good
	refused "record of 16385 bytes is over the limit"
	grep -q 'client alert 2 22$' peer.err	# record_overflow
}

@test "TLS-01b: a protected record over the length limit (2^14 + 257 bytes) after the handshake" {
	hostile bigcipher good
	[ "$status" -eq 3 ]
	[ "$stderr" = "httpget: https://127.0.0.1:$PORT/: reading the response: TLS: record of 16641 bytes is over the limit" ]
	[ -z "$output" ]
	[ "$MS" -lt 5000 ]
	grep -q 'client alert 2 22$' peer.err	# record_overflow
}

@test "TLS-02: every handshake message fragmented in records of 7 bytes is taken" {
	hostile fragment good
	[ "$status" -eq 0 ]
	[ "$output" = "hello over tls" ]
	grep -q '^GET / HTTP/1.1' peer.log
}

@test "TLS-02b: the whole encrypted flight coalesced in one record is taken" {
	hostile coalesce good
	[ "$status" -eq 0 ]
	[ "$output" = "hello over tls" ]
	grep -q '^GET / HTTP/1.1' peer.log
}

@test "TLS-03: a wrong server Finished" {
	hostile badfinished good
	refused "server's Finished is wrong (the handshake was tampered with)"
	grep -q 'client alert 2 51$' peer.err	# decrypt_error
	lacks '^tlspeer: client Finished$' peer.err
}

@test "TLS-04: a tampered CertificateVerify signature" {
	hostile badcv good
	refused "server's CertificateVerify (ecdsa_secp256r1_sha256) does not check out with its certificate's key"
	grep -q 'client alert 2 51$' peer.err
	lacks '^tlspeer: client Finished$' peer.err
}

@test "TLS-04b: TLS 1.2: a tampered ServerKeyExchange signature" {
	hostile badske12 good
	refused "server's ServerKeyExchange signature (ecdsa_secp256r1_sha256) does not check out with its certificate's key"
	grep -q 'client alert 2 51$' peer.err	# decrypt_error
	lacks '^tlspeer: client Finished$' peer.err
}

@test "TLS-03b: TLS 1.2: a wrong server Finished" {
	hostile badfinished12 good
	refused "server's Finished is wrong (the handshake was tampered with)"
	grep -q 'client alert 2 51$' peer.err
}

@test "TLS-05: a ServerHello choosing a suite that was not offered" {
	hostile badsuite good
	refused "server chose cipher suite 0x1304, which was not offered"
}

@test "TLS-05b: a ServerHello choosing a group that was not offered" {
	hostile badgroup good
	refused "server chose group 0x001e, which was not offered"
}

@test "TLS-06: a TLS 1.2 ServerHello carrying the TLS 1.3 downgrade sentinel" {
	hostile downgrade good
	refused "server chose TLS 1.2, and its random carries the TLS 1.3 downgrade sentinel (an attack?)"
	grep -q 'client alert 2 47$' peer.err
}

# fixed_clock DATE: httpget (alone) runs with its clock at DATE (libfaketime;
# the deadlines' monotonic clock left real); skips without libfaketime
fixed_clock() {
	local lib
	for lib in /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1; do
		[ -r "$lib" ] && break
	done
	[ -r "$lib" ] || skip "libfaketime not installed (apt-get install faketime)"
	HT_ENV=(LD_PRELOAD="$lib" FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME="@$1")
}

@test "TLS-07: an expired leaf" {
	fixed_clock "2026-06-01 12:00:00"
	hostile ok expired --cacert "$D/wca.pem"
	refused "certificate expired on 2001-01-01 (CN=expired)"
}

@test "TLS-07b: a leaf not yet valid" {
	fixed_clock "2026-06-01 12:00:00"
	hostile ok early --cacert "$D/wca.pem"
	refused "certificate not valid before 2090-01-01 (CN=early)"
}

@test "TLS-07h: at a fixed clock (libfaketime): a leaf of 2030 is taken in June 2030, expired in 2031, not yet valid in 2029" {
	fixed_clock "2030-06-01 12:00:00"
	hostile ok window --cacert "$D/wca.pem"
	[ "$status" -eq 0 ]
	grep -q '^GET / HTTP/1.1' peer.log
	# the control: the same run at the real clock (2026 and on) is refused
	# unless the real date is in 2030, so the fixed clock is what decided
	HT_ENV=()
	hostile ok window --cacert "$D/wca.pem"
	if [ "$(date +%Y)" != 2030 ]; then [ "$status" -eq 3 ]; fi
	fixed_clock "2031-01-01 00:00:01"
	hostile ok window --cacert "$D/wca.pem"
	refused "certificate expired on 2030-12-31 (CN=window)"
	fixed_clock "2029-12-31 23:59:00"
	hostile ok window --cacert "$D/wca.pem"
	refused "certificate not valid before 2030-01-01 (CN=window)"
}

@test "TLS-07c: a leaf for another host: the SANs are named" {
	hostile ok wronghost
	refused "127.0.0.1 does not match the certificate (SAN: other.test, 127.0.0.2)"
}

@test "TLS-07d: a self-signed leaf" {
	hostile ok self
	refused "self-signed certificate (CN=self)"
}

@test "TLS-07e: an intermediate without CA:true" {
	hostile ok notca
	refused "CN=Not A CA is not a CA (basicConstraints)"
}

@test "TLS-07f: a path length exceeded" {
	hostile ok pathlen
	refused "path length exceeded: CN=Pathlen Zero allows 0 CA certificates below it"
}

@test "TLS-07g: an unknown critical extension in the leaf" {
	hostile ok crit
	refused "server's certificate: unknown critical extension 1.2.3.4"
}

@test "TLS-08: a chain of 20 certificates" {
	hostile ok deep20
	refused "certificate chain longer than 10 certificates (at CN=Deep 10)"
}

@test "TLS-09: truncation without close_notify after a response without Content-Length" {
	hostile truncate good
	[ "$status" -eq 3 ]
	[ "$stderr" = "httpget: https://127.0.0.1:$(cat port)/: reading the body: TLS: connection closed without close_notify after 53 bytes" ]
	grep -q '^GET / HTTP/1.1' peer.log
	grep -q 'closed without close_notify' peer.err
}

@test "TLS-10: an alert in the middle of the handshake" {
	hostile alert good
	refused "server sent alert handshake_failure"
}

@test "TLS-11: endless empty application-data records end in an error, not a spin" {
	hostile zeroapp good
	[ "$status" -eq 3 ]
	[ "$stderr" = "httpget: https://127.0.0.1:$(cat port)/: reading the response: TLS: more than 32 records in a row without data" ]
	[ "$MS" -lt 5000 ]
	grep -q 'client alert 2 10$' peer.err	# unexpected_message
}

@test "TLS-11b: empty handshake records in place of the flight" {
	hostile zerohs good
	refused "empty handshake record"
	grep -q 'client alert 2 10$' peer.err
}

@test "TLS-11c: ChangeCipherSpec records without end after the ServerHello" {
	hostile ccsflood good
	refused "unexpected change_cipher_spec record"
	grep -q 'client alert 2 10$' peer.err
}

@test "TLS-11d: user_canceled warning alerts without end after the handshake" {
	hostile cancelflood good
	[ "$status" -eq 3 ]
	[ "$stderr" = "httpget: https://127.0.0.1:$PORT/: reading the response: TLS: server sent alert user_canceled" ]
	[ -z "$output" ]
	[ "$MS" -lt 5000 ]
}

@test "TLS-12: a HelloRequest after the TLS 1.3 handshake (renegotiation) is refused" {
	hostile hellorequest good
	[ "$status" -eq 3 ]
	[ "$stderr" = "httpget: https://127.0.0.1:$(cat port)/: reading the response: TLS: server sent HelloRequest after the handshake" ]
	[ -z "$output" ]
	grep -q 'client alert 2 10$' peer.err
}

@test "TLS-12b: a ClientHello after the TLS 1.3 handshake is refused" {
	hostile clienthello good
	[ "$status" -eq 3 ]
	[ "$stderr" = "httpget: https://127.0.0.1:$(cat port)/: reading the response: TLS: server sent ClientHello after the handshake" ]
	[ -z "$output" ]
	grep -q 'client alert 2 10$' peer.err
}

@test "TLS-12c: a TLS 1.2 HelloRequest (renegotiation) is declined with no_renegotiation" {
	hostile renego12 good -v
	grep -q '^\* TLS: TLSv1.2 ' <<<"$stderr"
	# RFC 5746 4.5: a warning alert, no new ClientHello; the transfer goes on
	[ "$status" -eq 0 ]
	[ "$output" = "hello over tls" ]
	grep -q '^GET / HTTP/1.1' peer.log
	grep -q 'client alert 1 100$' peer.err
	lacks 'client handshake message 1$' peer.err
}

@test "TLS-13: a flight trickled a byte a second: the total deadline (-m 2) still holds" {
	hostile trickle good -m 2
	[ "$status" -eq 3 ]
	[ "$stderr" = "httpget: https://127.0.0.1:$(cat port)/: 127.0.0.1 port $(cat port): TLS: timed out during the TLS handshake" ]
	[ -z "$output" ]
	[ ! -s peer.log ]
	[ "$MS" -ge 1900 ]
	[ "$MS" -lt 4000 ]
}

@test "TLS-13b: the same trickle without -m: the handshake as a whole within --connect-timeout (1 s)" {
	hostile trickle good --connect-timeout 1
	[ "$status" -eq 3 ]
	[ "$stderr" = "httpget: https://127.0.0.1:$(cat port)/: 127.0.0.1 port $(cat port): TLS: no whole TLS handshake within 1 s" ]
	[ ! -s peer.log ]
	[ "$MS" -ge 900 ]
	[ "$MS" -lt 3000 ]
}

@test "TLS-13c: pop3get and smtpsend against the trickle: the handshake within their idle limit, as one reply" {
	local t0 ms
	printf 'secret\n' >pw
	chmod 600 pw
	peer_up trickle good
	t0=$(date +%s%N)
	run --separate-stderr timeout 20 pop3get --cacert "$D/ca.pem" -W 1 -u a \
	    --password-file pw -o - "pop3s://127.0.0.1:$PORT/"
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	peer_gone
	echo "pop3get $status in $ms ms: $stderr"
	[ "$status" -eq 3 ]
	[ "$(sed -n 1p <<<"$stderr")" = "pop3get: TLS: no whole TLS handshake within 1 s" ]
	[ "$ms" -ge 900 ] && [ "$ms" -lt 3000 ]
	peer_up trickle good
	t0=$(date +%s%N)
	run --separate-stderr timeout 20 smtpsend --cacert "$D/ca.pem" -W 1 -f a@b.test \
	    -s "smtps://127.0.0.1:$PORT" c@d.test <<<"hi"
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	peer_gone
	echo "smtpsend $status in $ms ms: $stderr"
	[ "$status" -eq 3 ]
	[ "$(sed -n 1p <<<"$stderr")" = "smtpsend: 127.0.0.1: TLS: no whole TLS handshake within 1 s" ]
	[ "$ms" -ge 900 ] && [ "$ms" -lt 3000 ]
}

@test "TLS-14: pop3get and smtpsend name the TLS reason too, not \"malformed reply\"" {
	local k why
	printf 'secret\n' >pw
	chmod 600 pw
	for k in zeroapp hellorequest; do
		case $k in
		zeroapp) why="more than 32 records in a row without data" ;;
		hellorequest) why="server sent HelloRequest after the handshake" ;;
		esac
		peer_up $k good
		run --separate-stderr timeout 20 pop3get --cacert "$D/ca.pem" -u a \
		    --password-file pw -o - "pop3s://127.0.0.1:$PORT/"
		peer_gone
		echo "$k: pop3get $status: $stderr"
		[ "$status" -eq 3 ]
		[ "$(sed -n 1p <<<"$stderr")" = "pop3get: greeting: TLS: $why" ]
		[ ! -s peer.log ]
		peer_up $k good
		run --separate-stderr timeout 20 smtpsend --cacert "$D/ca.pem" -f a@b.test \
		    -s "smtps://127.0.0.1:$PORT" c@d.test <<<"hi"
		peer_gone
		echo "$k: smtpsend $status: $stderr"
		[ "$status" -eq 3 ]
		[ "$(sed -n 1p <<<"$stderr")" = "smtpsend: 127.0.0.1: greeting: TLS: $why" ]
		[ ! -s peer.log ]
	done
}
