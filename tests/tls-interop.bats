#!/usr/bin/env bats
# The TLS client of lib/tls (driven by tests/crypto/x_tls) against GnuTLS's
# server, `gnutls-serv --http` (package gnutls-bin), under a test CA made
# here with openssl: TLS 1.3 and 1.2, each suite both sides have, the
# groups, resumption across two connections (x_tls --resume; the server's
# page shows the same session id twice when it resumed), a wrong name and
# an unknown CA refused.  gnutls-serv cannot be told an address and
# listens on every one, so it runs in a network namespace this file makes
# (lo only), and x_tls with it: needs root, skips without it.  Then nginx
# with TLS on 127.0.0.1 (a config written here; it says in a header
# whether it resumed the session): TLS 1.3 and 1.2, resumption, the
# refusals.

load lib/common
load lib/crypto

X_TLS="$TESTBIN/x_tls"
GET=$'GET / HTTP/1.0\r\n\r\n'
GPORT=4433

setup_file() {
	command -v openssl >/dev/null 2>&1 || return 0
	local d="$BATS_FILE_TMPDIR" k
	cd "$d" || return 1
	pki_ca ca "tubes interop CA" || return 1
	for k in rsa p256; do
		pki_leaf $k $k DNS:localhost,IP:127.0.0.1,IP:::1 || return 1
	done
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout other.key -out other.pem -days 2 -subj "/CN=other CA" \
	    -addext basicConstraints=critical,CA:TRUE 2>/dev/null
}

setup() {
	[ -x "$X_TLS" ] || skip "$X_TLS not built (make check-build)"
	NG_PID=
	NS=
	GS_PID=
	if [[ "$BATS_TEST_DESCRIPTION" == *nginx* ]]; then
		need_cmd openssl nginx
		[ -s "$BATS_FILE_TMPDIR/p256.pem" ] || skip "the test CA could not be made"
		D=$BATS_FILE_TMPDIR
		cd "$BATS_TEST_TMPDIR"
		return 0
	fi
	need_cmd openssl gnutls-serv
	need_root
	[ -s "$BATS_FILE_TMPDIR/p256.pem" ] || skip "the test CA could not be made"
	D=$BATS_FILE_TMPDIR
	cd "$BATS_TEST_TMPDIR"
	NS=tubes-tlsio-$$-$BATS_TEST_NUMBER
	GS_PID=
	ip netns add "$NS"
	ip netns exec "$NS" ip link set lo up
}

teardown() {
	if [ -n "${NG_PID:-}" ]; then
		kill "$NG_PID" 2>/dev/null || true
		wait "$NG_PID" 2>/dev/null || true
	fi
	gs_stop
	[ -n "${NS:-}" ] && ip netns del "$NS" 2>/dev/null
	return 0
}

# gs KEY PRIORITY [ARGS...]: gnutls-serv --http in the namespace with the
# leaf of KEY, the priority string PRIORITY
gs() {
	local k=$1 prio=$2 i
	shift 2
	# a fresh log: the last server's "listening" line must not be read as
	# this one's (CI once connected before the third server listened)
	rm -f gs.out
	ip netns exec "$NS" gnutls-serv --http -p "$GPORT" --x509certfile "$D/$k.pem" \
	    --x509keyfile "$D/$k.key" --priority "$prio" "$@" </dev/null >gs.out 2>&1 &
	GS_PID=$!
	for ((i = 0; i < 250; i++)); do
		# ready when it says so and takes a connection (it prints the
		# line before its listen(2))
		grep -q 'listening on IPv4' gs.out 2>/dev/null &&
			ip netns exec "$NS" bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$GPORT" \
			    2>/dev/null && return 0
		kill -0 "$GS_PID" 2>/dev/null || break
		sleep 0.02
	done
	cat gs.out
	return 1
}

gs_stop() {
	if [ -n "${GS_PID:-}" ]; then
		kill "$GS_PID" 2>/dev/null || true
		wait "$GS_PID" 2>/dev/null || true
	fi
	GS_PID=
}

# tls ARGS...: x_tls in the namespace to 127.0.0.1, the GET on stdin
tls() {
	run bash -c 'printf "%s" "$1" | timeout 20 ip netns exec "$2" "$3" "${@:5}" 127.0.0.1 "$4" 2>err' _ \
	    "$GET" "$NS" "$X_TLS" "$GPORT" "$@"
}

# the server's page: its "Session ID" lines
sids() {
	sed 's/<[^>]*>/ /g' <<<"$output" | sed -n 's/^ *Session ID: *\([0-9A-Fa-f]*\).*/\1/p'
}

V13='NORMAL:-VERS-ALL:+VERS-TLS1.3'
V12='NORMAL:-VERS-ALL:+VERS-TLS1.2'

@test "tls-interop: gnutls-serv TLS 1.3, each suite, verified" {
	local c want
	for c in AES-128-GCM:TLS_AES_128_GCM_SHA256 AES-256-GCM:TLS_AES_256_GCM_SHA384 \
	    CHACHA20-POLY1305:TLS_CHACHA20_POLY1305_SHA256; do
		want=${c#*:}
		c=${c%%:*}
		gs p256 "$V13:-CIPHER-ALL:+$c"
		tls --cacert "$D/ca.pem" --sni localhost
		cat err
		[ "$status" -eq 0 ]
		grep -q "version=0x0304 suite=$want group=x25519 hrr=0 .*verified=1" err
		grep -q 'close_notify after' err
		[[ "$output" == *"TLS1.3"* ]]
		gs_stop
	done
}

@test "tls-interop: gnutls-serv TLS 1.2, each ECDHE suite with ECDSA and RSA leaves" {
	local c want k
	for c in p256:AES-128-GCM:TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 \
	    p256:AES-256-GCM:TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 \
	    p256:CHACHA20-POLY1305:TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 \
	    rsa:AES-128-GCM:TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 \
	    rsa:AES-256-GCM:TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 \
	    rsa:CHACHA20-POLY1305:TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256; do
		want=${c##*:}
		k=${c%%:*}
		c=${c#*:}
		c=${c%%:*}
		gs "$k" "$V12:-CIPHER-ALL:+$c"
		tls --cacert "$D/ca.pem" --sni localhost
		cat err
		[ "$status" -eq 0 ]
		grep -q "version=0x0303 suite=$want .*verified=1" err
		[[ "$output" == *"TLS1.2"* ]]
		gs_stop
	done
}

@test "tls-interop: gnutls-serv groups: secp256r1 and secp384r1 through a HelloRetryRequest, and in TLS 1.2" {
	local g want
	for g in SECP256R1:secp256r1 SECP384R1:secp384r1; do
		want=${g#*:}
		g=${g%%:*}
		gs p256 "$V13:-GROUP-ALL:+GROUP-$g"
		tls --cacert "$D/ca.pem" --sni localhost
		cat err
		[ "$status" -eq 0 ]
		grep -q "group=$want hrr=1" err
		gs_stop
		gs p256 "$V12:-GROUP-ALL:+GROUP-$g"
		tls --cacert "$D/ca.pem" --sni localhost
		[ "$status" -eq 0 ]
		grep -q "version=0x0303 .* group=$want " err
		gs_stop
	done
}

@test "tls-interop: gnutls-serv resumes TLS 1.3 and TLS 1.2 sessions (the same session id twice)" {
	local v
	for v in "$V13" "$V12"; do
		gs p256 "$v"
		tls --resume --cacert "$D/ca.pem" --sni localhost
		cat err
		[ "$status" -eq 0 ]
		[ "$(grep -c '^tls:' err)" -eq 2 ]
		grep '^tls:' err | sed -n 2p | grep -q 'verified=1 .*chain=1 CN=localhost resumed=1'
		[ "$(sids | wc -l)" -eq 2 ]
		[ "$(sids | sort -u | wc -l)" -eq 1 ]
		gs_stop
	done
	# a server without tickets gives nothing to resume
	gs p256 "$V13" --noticket
	tls --resume --cacert "$D/ca.pem" --sni localhost
	cat err
	[ "$status" -eq 3 ]
	grep -q 'no session to resume (no ticket came)' err
	! grep -q 'resumed=1' err
}

@test "tls-interop: gnutls-serv with a wrong name or an unknown CA is refused (exit 3)" {
	gs p256 "$V13"
	tls --cacert "$D/ca.pem" --sni www.other.test
	cat err
	[ "$status" -eq 3 ]
	grep -q 'does not match' err
	tls --cacert "$D/other.pem" --sni localhost
	cat err
	[ "$status" -eq 3 ]
	grep -qi 'issuer' err
	gs_stop
	gs p256 "$V12"
	tls --cacert "$D/other.pem" --sni localhost
	[ "$status" -eq 3 ]
	grep -qi 'issuer' err
}

# ng: nginx in the foreground, one process, on three free ports of
# 127.0.0.1: P13 TLS 1.3, P12 TLS 1.2, P12N TLS 1.2 without tickets.
# Its X-Reused header says "r" when it resumed the session.
ng() {
	local ports i
	ports=$("$TESTBIN/freeport" 3) || skip "freeport not built"
	read -r P13 P12 P12N <<<"$(echo $ports)"
	mkdir -p ng/www ng/tmp
	echo 'hello over nginx' >ng/www/index.html
	cat >ng/nginx.conf <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $PWD/ng/nginx.pid;
error_log $PWD/ng/error.log;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path $PWD/ng/tmp;
	proxy_temp_path $PWD/ng/tmp;
	fastcgi_temp_path $PWD/ng/tmp;
	uwsgi_temp_path $PWD/ng/tmp;
	scgi_temp_path $PWD/ng/tmp;
	ssl_certificate $D/p256.pem;
	ssl_certificate_key $D/p256.key;
	root $PWD/ng/www;
	add_header X-Reused \$ssl_session_reused always;
	add_header X-Proto \$ssl_protocol always;
	server { listen 127.0.0.1:$P13 ssl; ssl_protocols TLSv1.3; }
	server { listen 127.0.0.1:$P12 ssl; ssl_protocols TLSv1.2; }
	server { listen 127.0.0.1:$P12N ssl; ssl_protocols TLSv1.2; ssl_session_tickets off; }
}
CONF
	nginx -e "$PWD/ng/error.log" -p "$PWD/ng" -c "$PWD/ng/nginx.conf" </dev/null >ng.out 2>&1 &
	NG_PID=$!
	for ((i = 0; i < 250; i++)); do
		timeout 1 bash -c "exec 7<>/dev/tcp/127.0.0.1/$P12N" 2>/dev/null && return 0
		kill -0 "$NG_PID" 2>/dev/null || break
		sleep 0.02
	done
	cat ng.out ng/error.log
	return 1
}

# ngtls PORT ARGS...: x_tls to nginx on 127.0.0.1
ngtls() {
	local port=$1
	shift
	run bash -c 'printf "%s" "$1" | timeout 20 "$2" "${@:4}" 127.0.0.1 "$3" 2>err' _ \
	    "$GET" "$X_TLS" "$port" "$@"
}

@test "tls-interop: nginx TLS 1.3 and TLS 1.2, verified" {
	ng
	ngtls "$P13" --cacert "$D/ca.pem" --sni localhost
	cat err
	[ "$status" -eq 0 ]
	grep -q 'version=0x0304 .*verified=1' err
	[[ "$output" == *"X-Proto: TLSv1.3"* ]]
	[[ "$output" == *"hello over nginx"* ]]
	ngtls "$P12" --cacert "$D/ca.pem" --sni localhost
	cat err
	[ "$status" -eq 0 ]
	grep -q 'version=0x0303 suite=TLS_ECDHE_ECDSA_.*verified=1' err
	[[ "$output" == *"X-Proto: TLSv1.2"* ]]
}

@test "tls-interop: nginx resumes TLS 1.3 and TLS 1.2 sessions (X-Reused: r on the second)" {
	local p
	ng
	for p in "$P13" "$P12"; do
		ngtls "$p" --resume --cacert "$D/ca.pem" --sni localhost
		cat err
		[ "$status" -eq 0 ]
		grep '^tls:' err | sed -n 2p | grep -q 'verified=1 .*resumed=1'
		[ "$(grep -c 'X-Reused: \.' <<<"$output")" -eq 1 ]
		[ "$(grep -c 'X-Reused: r' <<<"$output")" -eq 1 ]
	done
	# TLS 1.2 without tickets: nothing to resume (session ids are not used)
	ngtls "$P12N" --resume --cacert "$D/ca.pem" --sni localhost
	[ "$status" -eq 3 ]
	grep -q 'no session to resume' err
}

@test "tls-interop: nginx with a wrong name or an unknown CA is refused (exit 3)" {
	ng
	ngtls "$P13" --cacert "$D/ca.pem" --sni www.other.test
	[ "$status" -eq 3 ]
	grep -q 'does not match' err
	ngtls "$P12" --cacert "$D/other.pem" --sni localhost
	[ "$status" -eq 3 ]
	grep -qi 'issuer' err
}
