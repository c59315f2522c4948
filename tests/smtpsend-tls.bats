#!/usr/bin/env bats
# smtpsend-tls.bats - smtpsend over TLS (issue 21): STARTTLS (RFC 3207)
# and smtps:// (RFC 8314) against tests/peers/smtptls.py (Python's ssl as
# the server; OpenSMTPD here cannot serve TLS with OpenSSL 3), under a CA
# the test makes: verified, the certificate failure, a reply injected in
# clear after the 220 to STARTTLS (SMTP-17), --tls required, AUTH only
# after TLS.

load lib/common
load lib/crypto

bats_require_minimum_version 1.5.0

setup_file() {
	command -v openssl >/dev/null 2>&1 || return 0
	local d="$BATS_FILE_TMPDIR"
	cd "$d" || return 1
	pki_simple "tubes smtp CA" "DNS:localhost,IP:127.0.0.1"
}

setup() {
	need_openssl
	command -v python3 >/dev/null || skip "no python3"
	[ -s "$BATS_FILE_TMPDIR/leaf.pem" ] || skip "the test CA could not be made"
	D=$BATS_FILE_TMPDIR
	cd "$BATS_TEST_TMPDIR"
	SRV_PID=
	MSG=$'Subject: over TLS\n\nHello, Aunt Martha.\n'
}

teardown() {
	if [ -n "$SRV_PID" ]; then
		kill "$SRV_PID" 2>/dev/null || true
		wait "$SRV_PID" 2>/dev/null || true
	fi
	return 0
}

# srv ARGS...: the server, its port in PORT, its log in srv.log
srv() {
	local i
	rm -f port srv.log srv.log.msg
	python3 "$TOP/tests/peers/smtptls.py" "$D/leaf.pem" "$D/leaf.key" port srv.log "$@" \
	    2>srv.err &
	SRV_PID=$!
	for ((i = 0; i < 500; i++)); do
		[ -s port ] && break
		sleep 0.02
	done
	PORT=$(cat port)
	[ -n "$PORT" ]
}

@test "smtpsend-tls: STARTTLS verified with --cacert, EHLO again over TLS, the message arrives; -v and -j say so" {
	srv
	run --separate-stderr timeout 20 smtpsend -v --cacert "$D/ca.pem" -f n@home.test \
	    -s "127.0.0.1:$PORT" martha@tubes.test <<<"$MSG"
	[ "$status" -eq 0 ] || { echo "$stderr"; false; }
	[[ "$output" == *$'data\t250\t2.0.0 queued over TLS'* ]]
	[[ "$stderr" == *"smtpsend: TLS: TLSv1.3 TLS_"*", verified"* ]]
	wait "$SRV_PID"
	SRV_PID=
	# EHLO, STARTTLS, TLS, EHLO again, then the envelope
	[ "$(sed -n 1p srv.log | cut -d' ' -f1)" = EHLO ]
	[ "$(sed -n 2p srv.log)" = STARTTLS ]
	[ "$(sed -n 3p srv.log)" = TLS ]
	[ "$(sed -n 4p srv.log | cut -d' ' -f1)" = EHLO ]
	grep -q '^Hello, Aunt Martha' srv.log.msg
	srv
	run timeout 20 smtpsend -j --cacert "$D/ca.pem" -f n@home.test -s "127.0.0.1:$PORT" \
	    martha@tubes.test <<<"$MSG"
	[ "$status" -eq 0 ]
	grep '"type":"close"' <<<"$output" | jq -e '.tls.verified == true and .tls.version == "TLSv1.3"' >/dev/null
}

@test "smtpsend-tls: -s smtps:// speaks TLS from the first byte" {
	srv --implicit
	run timeout 20 smtpsend --cacert "$D/ca.pem" -f n@home.test -s "smtps://127.0.0.1:$PORT" \
	    martha@tubes.test <<<"$MSG"
	[ "$status" -eq 0 ]
	[[ "$output" == *"queued over TLS"* ]]
	wait "$SRV_PID"
	SRV_PID=
	[ "$(sed -n 1p srv.log)" = TLS ]
	! grep -q STARTTLS srv.log
}

@test "smtpsend-tls: an unknown CA is exit 3 and no envelope is sent; AUTH goes only over TLS" {
	srv
	run --separate-stderr timeout 20 smtpsend -f n@home.test -s "127.0.0.1:$PORT" martha@tubes.test <<<"$MSG"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"TLS: unknown issuer CN=tubes smtp CA"* ]]
	wait "$SRV_PID" || true
	SRV_PID=
	! grep -q '^MAIL' srv.log
	srv
	SMTPSEND_PASSWORD=s3cret run timeout 20 smtpsend --auth plain -u nephew --cacert "$D/ca.pem" \
	    -f n@home.test -s "127.0.0.1:$PORT" martha@tubes.test <<<"$MSG"
	[ "$status" -eq 0 ]
	wait "$SRV_PID"
	SRV_PID=
	awk '/^TLS$/ { t = NR } /^AUTH / { a = NR } END { exit !(t && a > t) }' srv.log
}

@test "smtpsend-tls: SMTP-17 a reply injected in clear with the 220 to STARTTLS is refused, nothing sent" {
	srv --inject
	run --separate-stderr timeout 20 smtpsend --cacert "$D/ca.pem" -f n@home.test -s "127.0.0.1:$PORT" \
	    martha@tubes.test <<<"$MSG"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"STARTTLS: the server sent more after its 220, before TLS began"* ]]
	! grep -q '^MAIL' srv.log
}

@test "smtpsend-tls: SMTP-18 no STARTTLS: loopback goes on in clear, --tls required refuses" {
	srv --no-starttls
	run timeout 20 smtpsend -f n@home.test -s "127.0.0.1:$PORT" martha@tubes.test <<<"$MSG"
	[ "$status" -eq 0 ]
	[[ "$output" == *"queued over clear text"* ]]
	wait "$SRV_PID"
	srv --no-starttls
	run --separate-stderr timeout 20 smtpsend --tls required -f n@home.test -s "127.0.0.1:$PORT" \
	    martha@tubes.test <<<"$MSG"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"offers no STARTTLS, and --tls required"* ]]
	! grep -q '^MAIL' srv.log
	run timeout 5 smtpsend --tls maybe -f n@home.test -s 127.0.0.1:1 m@t.test <<<"$MSG"
	[ "$status" -eq 2 ]
}
