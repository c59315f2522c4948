#!/usr/bin/env bats
# pop3get-tls.bats - pop3get over TLS (issue 21): STLS and pop3s:// against
# the rig's dovecot with a CA the run makes itself, the certificate
# failures, -k, --pinnedpubkey, and the hostile STLS cases (POP-26..29 of
# tests/hostile-peers-2.md) with scripted peers.

load lib/common
load lib/peer

setup() {
	export HOME=$BATS_TEST_TMPDIR/home
	mkdir -p "$HOME"
	export POP3GET_PASSWORD=tanstaaf
	URL='pop3://martha@127.0.0.1:%PORT/'
	NS=
}

teardown() {
	peer_stop
	if [ -n "${RIG:-}" ]; then iop_stop_all; fi
	[ -n "$NS" ] && ip netns del "$NS" 2>/dev/null
	return 0
}

rig() {
	[ "$(id -u)" = 0 ] || skip "needs root to run dovecot"
	need_cmd dovecot
	need_cmd openssl
	load interop/servers
	RIG=1
	iop_start dovecot
	iop_need dovecot
	[ -n "${IOP_CA:-}" ] || skip "the rig made no CA (openssl)"
	unset POP3GET_PASSWORD
	PW=(--password-file "$IOP_POP3_PASSFILE")
}

@test "pop3get-tls: STLS against dovecot, verified with --cacert; -v and -j say so" {
	rig
	run pop3get -v -l --cacert "$IOP_CA" "${PW[@]}" "pop3://$IOP_POP3_USER@127.0.0.1:$IOP_POP3_PORT/"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *"C: STLS"* ]]
	[[ "$output" == *"pop3get: TLS: TLSv1.3 TLS_"*", verified"* ]]
	# the password went after STLS, never before it
	awk '/C: STLS/ { s = NR } /C: PASS/ { p = NR } END { exit !(s && p > s) }' <<<"$output"
	[ "$(grep -c $'^[0-9]\t' <<<"$output")" -eq "$IOP_POP3_MSGS" ]
	run pop3get -j -l --cacert "$IOP_CA" "${PW[@]}" "pop3://$IOP_POP3_USER@127.0.0.1:$IOP_POP3_PORT/"
	[ "$status" -eq 0 ]
	tail -n 1 <<<"$output" | jq -e '.type == "summary" and .tls.verified == true and .tls.version == "TLSv1.3"
	    and (.tls.chain | length) >= 1' >/dev/null
}

@test "pop3get-tls: pop3s:// (TLS from the first byte) fetches the messages byte-exact" {
	rig
	run pop3get -s --cacert "$IOP_CA" "${PW[@]}" -d "$BATS_TEST_TMPDIR/md" \
	    "pop3s://$IOP_POP3_USER@127.0.0.1:$IOP_POP3S_PORT/"
	[ "$status" -eq 0 ]
	for n in 1 2 3; do
		f=$(awk -F'\t' -v n=$n '$1 == n { print $4 }' <<<"$output")
		cmp "$f" "$IOP_DIR/msgs/$n"
	done
}

@test "pop3get-tls: a CA nobody trusts, and a name the certificate does not hold, fail with exit 3 before the password" {
	rig
	logins=$(grep -c 'Login: user=' "$IOP_DIR/dovecot/dovecot.log" 2>/dev/null || true)
	run pop3get -l "${PW[@]}" "pop3s://$IOP_POP3_USER@127.0.0.1:$IOP_POP3S_PORT/"
	[ "$status" -eq 3 ]
	[[ "$output" == *"pop3get: TLS: unknown issuer CN=tubes interop ca CA"* ]]
	printf '127.0.0.1 wrong.tubes.example\n' >"$BATS_TEST_TMPDIR/hosts"
	TUBES_HOSTS=$BATS_TEST_TMPDIR/hosts run pop3get -l --cacert "$IOP_CA" "${PW[@]}" \
	    "pop3s://$IOP_POP3_USER@wrong.tubes.example:$IOP_POP3S_PORT/"
	[ "$status" -eq 3 ]
	[[ "$output" == *"wrong.tubes.example does not match the certificate (SAN: tubes.test, localhost, 127.0.0.1, ::1)"* ]]
	# dovecot saw no login from either
	[ "$(grep -c 'Login: user=' "$IOP_DIR/dovecot/dovecot.log" 2>/dev/null || true)" = "$logins" ]
	# the control: a run that verifies does log in
	run pop3get -l --cacert "$IOP_CA" "${PW[@]}" "pop3s://$IOP_POP3_USER@127.0.0.1:$IOP_POP3S_PORT/"
	[ "$status" -eq 0 ]
	[ "$(grep -c 'Login: user=' "$IOP_DIR/dovecot/dovecot.log")" -gt "${logins:-0}" ]
}

@test "pop3get-tls: -k goes on with a chain that does not verify, and says so every time" {
	rig
	run pop3get -k -l "${PW[@]}" "pop3s://$IOP_POP3_USER@127.0.0.1:$IOP_POP3S_PORT/"
	[ "$status" -eq 0 ]
	[[ "$output" == *"pop3get: -k: using a certificate that does not verify: unknown issuer"* ]]
	[ "$(grep -c $'^[0-9]\t' <<<"$output")" -eq "$IOP_POP3_MSGS" ]
}

@test "pop3get-tls: --pinnedpubkey: the right key passes (even with -k off), another is refused" {
	rig
	pin=$(openssl x509 -in "$IOP_CERT" -pubkey -noout | openssl pkey -pubin -outform der |
	    openssl dgst -sha256 -binary | base64)
	other=$(openssl x509 -in "$IOP_OTHER_CERT" -pubkey -noout | openssl pkey -pubin -outform der |
	    openssl dgst -sha256 -binary | base64)
	run pop3get -l --cacert "$IOP_CA" --pinnedpubkey "sha256//$other;sha256//$pin" "${PW[@]}" \
	    "pop3s://$IOP_POP3_USER@127.0.0.1:$IOP_POP3S_PORT/"
	[ "$status" -eq 0 ]
	run pop3get -l --cacert "$IOP_CA" --pinnedpubkey "sha256//$other" "${PW[@]}" \
	    "pop3s://$IOP_POP3_USER@127.0.0.1:$IOP_POP3S_PORT/"
	[ "$status" -eq 3 ]
	[[ "$output" == *"not the one pinned by --pinnedpubkey"* ]]
	run pop3get -l --pinnedpubkey "sha256//short" "${PW[@]}" "pop3s://u@127.0.0.1:1/"
	[ "$status" -eq 2 ]
}

@test "pop3get-tls: POP-26 a reply injected in clear after STLS's +OK is refused, no password sent" {
	run_case POP-26 pop3get -l "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"STLS: the server sent more after its +OK, before TLS began"* ]]
	peer_log_lacks '^USER'
	peer_log_lacks '^PASS'
}

@test "pop3get-tls: POP-27 STLS offered then refused: exit 3, no password, QUIT" {
	run_case POP-27 pop3get -l "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"STLS refused: [SYS/TEMP] TLS not available now"* ]]
	[ "$PEER_STATUS" -eq 0 ]
	peer_log_lacks '^PASS'
}

@test "pop3get-tls: POP-28 --tls required with a server that has no STLS: exit 3, no password" {
	run_case POP-28 pop3get --tls required -l "$URL"
	[ "$status" -eq 3 ]
	[ "$PEER_STATUS" -eq 0 ]
	peer_log_lacks '^PASS'
	run pop3get --tls maybe -l "pop3://u@127.0.0.1:1/"
	[ "$status" -eq 2 ]
	run pop3get --tls off -l "pop3s://u@127.0.0.1:1/"
	[ "$status" -eq 2 ]
}

@test "pop3get-tls: POP-29 no STLS on an address that is not loopback: no password in clear unless --tls off" {
	need_root
	NS=tb-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')-p29
	ip netns add "$NS"
	ip -n "$NS" link set lo up
	ip -n "$NS" link add d0 type veth peer name d1
	ip -n "$NS" addr add 10.254.29.1/24 dev d0
	ip -n "$NS" link set d0 up
	ip -n "$NS" link set d1 up
	PEER_NS=$NS
	PEER_OPTS=(-a 10.254.29.1)
	run_case POP-29 \
	    ip netns exec "$NS" pop3get -l 'pop3://martha@10.254.29.1:%PORT/'
	[ "$status" -eq 3 ]
	[[ "$output" == *"10.254.29.1 offers no STLS: not sending the password in clear"* ]]
	[ "$PEER_STATUS" -eq 0 ]
	peer_log_lacks '^USER'
	# the same with --tls off: the user asked for it
	run_case POP-list \
	    ip netns exec "$NS" pop3get --tls off -l 'pop3://martha@10.254.29.1:%PORT/'
	[ "$status" -eq 0 ]
	PEER_NS=
	PEER_OPTS=()
}
