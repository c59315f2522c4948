#!/usr/bin/env bats
# interop.bats - the real servers of tests/interop/servers.bash answer, proved
# with the anchor tools (curl, wget, dig, swaks, fetchmail), so that when a
# command's interop test fails the server is known good.

load lib/common
load interop/servers

setup_file() {
	[ "$(id -u)" = 0 ] || skip "needs root (the servers drop to their own users)"
	export IOP_T0
	IOP_T0=$(_iop_now_ms)
	iop_start_all || true
}

teardown_file() {
	iop_stop_all
}

@test "interop: every installed server started" {
	local s var
	for s in $IOP_SERVERS; do
		var=IOP_FAIL_${s^^}
		[ -z "${!var:-}" ] || { echo "${!var}"; tail -n 20 "$IOP_DIR/$s.out"; false; }
	done
	echo "# started in $IOP_START_MS ms: $IOP_TIMES" >&3
	[ "$IOP_START_MS" -lt 60000 ]
}

# --- nginx -------------------------------------------------------------

@test "nginx: a static page" {
	iop_need nginx
	need_cmd curl
	run curl -sS -w '\n%{http_code}' "http://127.0.0.1:$IOP_HTTP_PORT/index.html"
	[ "${lines[0]}" = '<html><body>hello from nginx</body></html>' ]
	[ "${lines[1]}" = 200 ]
}

@test "nginx: a 404" {
	iop_need nginx
	need_cmd curl
	run curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$IOP_HTTP_PORT/nope"
	[ "$output" = 404 ]
}

@test "nginx: redirects (301 relative, 302 absolute, a loop)" {
	iop_need nginx
	need_cmd curl
	run curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$IOP_HTTP_PORT/redirect"
	[ "$output" = "301 http://127.0.0.1:$IOP_HTTP_PORT/index.html" ]
	run curl -sSL "http://127.0.0.1:$IOP_HTTP_PORT/redirect-abs"
	[ "$output" = "hello over http" ]
	run curl -sSL --max-redirs 3 "http://127.0.0.1:$IOP_HTTP_PORT/loop"
	[ "$status" -eq 47 ]
}

@test "nginx: a chunked response" {
	iop_need nginx
	need_cmd curl socat
	run curl -sS -D "$BATS_TEST_TMPDIR/h" -o "$BATS_TEST_TMPDIR/b" \
		"http://127.0.0.1:$IOP_HTTP_PORT/chunked/text.txt"
	[ "$status" -eq 0 ]
	grep -qi '^Transfer-Encoding: chunked' "$BATS_TEST_TMPDIR/h"
	run grep -ci '^Content-Length' "$BATS_TEST_TMPDIR/h"
	[ "$output" = 0 ]
	[ "$(wc -l <"$BATS_TEST_TMPDIR/b")" -eq 2000 ]
	[ "$(tail -n1 "$BATS_TEST_TMPDIR/b")" = "line 2000 of a body sent chunked plugh" ]
	# and raw: the chunk framing is on the wire
	run bash -c "printf 'GET /chunked/text.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' |
		timeout 5 socat -t5 - TCP:127.0.0.1:$IOP_HTTP_PORT | tail -c 7 | od -An -c"
	[[ "$output" == *"0  \r  \n  \r  \n"* ]]
}

@test "nginx: the 64 MiB file has its known sha256 (curl and wget)" {
	iop_need nginx
	need_cmd curl
	need_cmd wget
	run bash -c "curl -sS http://127.0.0.1:$IOP_HTTP_PORT/big.bin | sha256sum"
	[ "$output" = "$IOP_BIG_SHA256  -" ]
	run bash -c "wget -q -O - http://127.0.0.1:$IOP_HTTP_PORT/big.bin | sha256sum"
	[ "$output" = "$IOP_BIG_SHA256  -" ]
	run curl -sSI "http://127.0.0.1:$IOP_HTTP_PORT/big.bin"
	[[ "$output" == *"Content-Length: $IOP_BIG_SIZE"* ]]
}

# --- nginx with TLS, and DNS over HTTPS behind it ------------------------

@test "nginx TLS: curl and wget over https with the run's CA; the 64 MiB file; curl resolves through the DoH front end" {
	iop_need nginx
	need_cmd curl wget
	[ -n "${IOP_HTTPS_PORT:-}" ] || skip "no https port (the run's CA needs openssl, DoH python3)"
	run curl -sS --cacert "$IOP_CA" "https://127.0.0.1:$IOP_HTTPS_PORT/hello.txt"
	[ "$output" = "hello over http" ]
	run bash -c "curl -sS --cacert '$IOP_CA' https://127.0.0.1:$IOP_HTTPS_PORT/big.bin | sha256sum"
	[ "$output" = "$IOP_BIG_SHA256  -" ]
	run bash -c "wget -q --ca-certificate='$IOP_CA' -O - https://127.0.0.1:$IOP_HTTPS_PORT/big.bin | sha256sum"
	[ "$output" = "$IOP_BIG_SHA256  -" ]
	# the run's CA is needed: without it, curl refuses
	run curl -sS -o /dev/null --cacert "$IOP_OTHER_CERT" "https://127.0.0.1:$IOP_HTTPS_PORT/hello.txt"
	[ "$status" -eq 60 ]
	iop_need unbound
	run curl -sS --doh-url "https://127.0.0.1:$IOP_HTTPS_PORT/dns-query" --doh-insecure \
	    "http://tubes.test:$IOP_HTTP_PORT/hello.txt"
	[ "$output" = "hello over http" ]
	grep -q '^POST /dns-query [0-9]* application/dns-message$' "$IOP_DOH_LOG"
}

# a resolv.conf naming the run's unbound, for tubes (address#port)
iop_tubes_resolv() {
	printf 'nameserver 127.0.0.1#%s\n' "$IOP_RESOLVER_PORT" >"$BATS_TEST_TMPDIR/resolv.conf"
	export TUBES_RESOLV_CONF=$BATS_TEST_TMPDIR/resolv.conf
}

@test "httpget https to nginx: 64 MiB byte-exact, keep-alive on one TLS connection, chunked, redirects across http and https; a wrong name and an unknown CA are exit 3" {
	iop_need nginx
	[ -n "${IOP_HTTPS_PORT:-}" ] || skip "no https port (the run's CA needs openssl, DoH python3)"
	local u="https://127.0.0.1:$IOP_HTTPS_PORT" log="$IOP_DIR/nginx/tls-access.log"
	run bash -c "'$BIN/httpget' -s --cacert '$IOP_CA' $u/big.bin | sha256sum"
	[ "$output" = "$IOP_BIG_SHA256  -" ]
	# three URLs, one connection: nginx logs them under one connection number
	local before
	before=$(wc -l <"$log")
	run httpget -s --cacert "$IOP_CA" -o /dev/null $u/hello.txt $u/index.html $u/chunked/text.txt
	[ "$status" -eq 0 ]
	run bash -c "sleep 0.2; tail -n +$((before + 1)) '$log'"
	echo "$output"
	[ "${#lines[@]}" -eq 3 ]
	[ "$(cut -d' ' -f1 <<<"$output" | sort -u | wc -l)" -eq 1 ]
	[[ "$output" == *'TLSv1.3 "GET /chunked/text.txt HTTP/1.1" 200'* ]]
	# chunked over TLS, whole
	run bash -c "'$BIN/httpget' -s --cacert '$IOP_CA' $u/chunked/text.txt | tail -n 1"
	[ "$output" = "line 2000 of a body sent chunked plugh" ]
	# http to https is followed; https to http only when asked, with a warning
	run httpget -sL --cacert "$IOP_CA" "http://127.0.0.1:$IOP_HTTP_PORT/to-https"
	[ "$status" -eq 0 ]
	[ "$output" = "hello over http" ]
	run httpget -sL --cacert "$IOP_CA" "$u/to-http"
	[ "$status" -eq 1 ]	# httpget(1): a redirect it does not follow
	[[ "$output" == *"refused (--redirect-to-http follows it)"* ]]
	[[ "$output" != *"hello over http"* ]]
	run httpget -sL --redirect-to-http --cacert "$IOP_CA" "$u/to-http"
	[ "$status" -eq 0 ]
	[[ "$output" == *"the rest is not encrypted"* ]]
	[[ "$output" == *"hello over http"* ]]
	# by name through the run's unbound: tubes.test is in the certificate,
	# www.tubes.test (a CNAME to it) is not
	iop_need unbound
	iop_tubes_resolv
	run httpget -s --cacert "$IOP_CA" "https://tubes.test:$IOP_HTTPS_PORT/hello.txt"
	[ "$status" -eq 0 ]
	[ "$output" = "hello over http" ]
	run httpget -s --cacert "$IOP_CA" "https://www.tubes.test:$IOP_HTTPS_PORT/hello.txt"
	[ "$status" -eq 3 ]
	[[ "$output" == *"does not match the certificate"* ]]
	run httpget -s --cacert "$IOP_DIR/ca/other.pem" "$u/hello.txt"
	[ "$status" -eq 3 ]
	[[ "$output" == *"TLS: unknown issuer CN=tubes interop ca CA"* ]]
}

@test "dig-lite +https through nginx to unbound (DoH behind a real front end): POST and GET, keep-alive, what dig gets; a wrong name and an unknown CA are exit 3" {
	iop_need nginx
	iop_need unbound
	[ -n "${IOP_HTTPS_PORT:-}" ] || skip "no https port (the run's CA needs openssl, DoH python3)"
	local p=$IOP_HTTPS_PORT
	run dig-lite +https +tls-ca="$IOP_CA" -p "$p" @127.0.0.1 alias.tubes.test A
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"status: NOERROR"* ]]
	[[ "$output" == *"alias.tubes.test."*"CNAME"*"www.tubes.test."* ]]
	[[ "$output" == *"(HTTPS)"* ]]
	run dig-lite +https +short +tls-ca="$IOP_CA" -p "$p" @127.0.0.1 alias.tubes.test A
	[ "$status" -eq 0 ]
	local ours=$output
	run dig +short -p "$IOP_RESOLVER_PORT" @127.0.0.1 alias.tubes.test A
	[ "$ours" = "$output" ]
	# GET, two questions over one connection (nginx logs one connection)
	local log="$IOP_DIR/nginx/tls-access.log" before
	before=$(wc -l <"$log")
	run dig-lite +https-get +short +tls-ca="$IOP_CA" -p "$p" @127.0.0.1 www.tubes.test A tubes.test MX
	[ "$status" -eq 0 ]
	[[ "$output" == *"10 mail.tubes.test."* ]]
	run bash -c "sleep 0.2; tail -n +$((before + 1)) '$log'"
	echo "$output"
	[ "${#lines[@]}" -eq 2 ]
	[[ "$output" == *'"GET /dns-query?dns='* ]]
	[ "$(cut -d' ' -f1 <<<"$output" | sort -u | wc -l)" -eq 1 ]
	run dig-lite +https +tls-ca="$IOP_CA" +tls-hostname=other.test -p "$p" @127.0.0.1 www.tubes.test A
	[ "$status" -eq 3 ]
	[[ "$output" == *"does not match the certificate"* ]]
	run dig-lite +https +tls-ca="$IOP_OTHER_CERT" -p "$p" @127.0.0.1 www.tubes.test A
	[ "$status" -eq 3 ]
}

# --- vsftpd --------------------------------------------------------------

@test "vsftpd: anonymous listing and download, EPSV" {
	iop_need vsftpd
	need_cmd curl
	run curl -sS "ftp://127.0.0.1:$IOP_FTP_PORT/pub/"
	[ "$status" -eq 0 ]
	[[ "$output" == *hello.txt* ]]
	[[ "$output" == *big.bin* ]]
	run curl -sS "ftp://127.0.0.1:$IOP_FTP_PORT/pub/hello.txt"
	[ "$output" = "hello over ftp" ]
}

@test "vsftpd: PASV (no EPSV)" {
	iop_need vsftpd
	need_cmd curl
	run curl -sS -v --disable-epsv "ftp://127.0.0.1:$IOP_FTP_PORT/pub/hello.txt"
	[[ "$output" == *"227 Entering Passive Mode (127,0,0,1,"* ]]
	[[ "$output" == *"hello over ftp"* ]]
}

@test "vsftpd: active mode, PORT and EPRT" {
	iop_need vsftpd
	need_cmd curl
	run curl -sS -v -P 127.0.0.1 --disable-eprt "ftp://127.0.0.1:$IOP_FTP_PORT/pub/hello.txt"
	[[ "$output" == *"> PORT 127,0,0,1,"* ]]
	[[ "$output" == *"200 PORT command successful"* ]]
	[[ "$output" == *"hello over ftp"* ]]
	run curl -sS -v -P 127.0.0.1 "ftp://127.0.0.1:$IOP_FTP_PORT/pub/hello.txt"
	[[ "$output" == *"> EPRT |1|127.0.0.1|"* ]]
	[[ "$output" == *"hello over ftp"* ]]
}

@test "vsftpd: the 64 MiB file, passive and active" {
	iop_need vsftpd
	need_cmd curl
	run bash -c "curl -sS ftp://127.0.0.1:$IOP_FTP_PORT/pub/big.bin | sha256sum"
	[ "$output" = "$IOP_BIG_SHA256  -" ]
	run bash -c "curl -sS -P 127.0.0.1 ftp://127.0.0.1:$IOP_FTP_PORT/pub/big.bin | sha256sum"
	[ "$output" = "$IOP_BIG_SHA256  -" ]
}

@test "vsftpd: upload to /upload/, refused elsewhere" {
	iop_need vsftpd
	need_cmd curl
	printf 'uploaded by curl\n' >"$BATS_TEST_TMPDIR/up.txt"
	run curl -sS -T "$BATS_TEST_TMPDIR/up.txt" "ftp://127.0.0.1:$IOP_FTP_PORT/upload/up-$BATS_TEST_NUMBER.txt"
	[ "$status" -eq 0 ]
	cmp "$BATS_TEST_TMPDIR/up.txt" "$IOP_FTP_UPLOAD/up-$BATS_TEST_NUMBER.txt"
	run curl -sS -T "$BATS_TEST_TMPDIR/up.txt" "ftp://127.0.0.1:$IOP_FTP_PORT/pub/up.txt"
	[ "$status" -ne 0 ]
	[ ! -e "$IOP_FTP_ROOT/pub/up.txt" ]
}

# --- dovecot (POP3) ------------------------------------------------------------

@test "dovecot: LIST shows the three messages" {
	iop_need dovecot
	need_cmd curl
	run curl -sS -u "$IOP_POP3_USER:$IOP_POP3_PASS" "pop3://127.0.0.1:$IOP_POP3_PORT/"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq "$IOP_POP3_MSGS" ]
	[[ "${lines[0]}" =~ ^1\ [0-9]+ ]]
	[[ "${lines[2]}" =~ ^3\ [0-9]+ ]]
}

@test "dovecot: RETR gives the message back, dot lines intact" {
	iop_need dovecot
	need_cmd curl
	local n
	for n in 1 2 3; do
		curl -sS -u "$IOP_POP3_USER:$IOP_POP3_PASS" "pop3://127.0.0.1:$IOP_POP3_PORT/$n" |
			tr -d '\r' >"$BATS_TEST_TMPDIR/m$n"
		cmp "$IOP_DIR/msgs/$n" "$BATS_TEST_TMPDIR/m$n"
	done
	grep -q '^\.hidden' "$BATS_TEST_TMPDIR/m2"
	grep -qx '\.' "$BATS_TEST_TMPDIR/m2"
}

@test "dovecot: on the wire, lines starting with a dot are stuffed" {
	iop_need dovecot
	run timeout 10 bash -c '
		exec 7<>/dev/tcp/127.0.0.1/'"$IOP_POP3_PORT"'
		printf "USER %s\r\nPASS %s\r\nRETR 2\r\nQUIT\r\n" "$IOP_POP3_USER" "$IOP_POP3_PASS" >&7
		tr -d "\r" <&7'
	[[ "$output" == *$'\n..hidden? no'* ]]
	[[ "$output" == *$'\n...two dots'* ]]
	[[ "$output" == *$'\n..\nthat was a lone dot'* ]]
}

@test "dovecot: a wrong password is refused" {
	iop_need dovecot
	need_cmd curl
	run curl -sS -u "$IOP_POP3_USER:wrong" "pop3://127.0.0.1:$IOP_POP3_PORT/"
	[ "$status" -eq 67 ]
}

@test "dovecot: fetchmail fetches (and keeps) every message" {
	iop_need dovecot
	need_cmd curl
	need_cmd fetchmail
	local rc=$BATS_TEST_TMPDIR/fetchmailrc
	printf 'poll 127.0.0.1 service %s protocol pop3 auth password:\n  user "%s" password "%s" is root here\n  keep fetchall no rewrite mda "cat >>%s/box"\n' \
		"$IOP_POP3_PORT" "$IOP_POP3_USER" "$IOP_POP3_PASS" "$BATS_TEST_TMPDIR" >"$rc"
	chmod 600 "$rc"
	run env HOME="$BATS_TEST_TMPDIR" FETCHMAILHOME="$BATS_TEST_TMPDIR" \
		timeout 30 fetchmail -f "$rc" --nosyslog --sslproto '' --nodetach
	[ "$status" -eq 0 ]
	[ "$(grep -c '^Message-ID: <[123]@tubes.test>' "$BATS_TEST_TMPDIR/box")" -eq 3 ]
	# kept: still three
	run curl -sS -u "$IOP_POP3_USER:$IOP_POP3_PASS" "pop3://127.0.0.1:$IOP_POP3_PORT/"
	[ "${#lines[@]}" -eq 3 ]
}

# --- OpenSMTPD ---------------------------------------------------------------

@test "smtpd: swaks sends, the message lands in the maildir" {
	iop_need smtpd
	need_cmd swaks
	local id="tubes-$BATS_TEST_NUMBER-$RANDOM"
	run swaks --server 127.0.0.1 --port "$IOP_SMTP_PORT" --from martha@tubes.test \
		--to anyone@tubes.test --header "Subject: $id" --body "birthday wishes" --timeout 10
	[ "$status" -eq 0 ]
	[[ "$output" == *"250 2.0.0"* ]]
	local i f=
	for ((i = 0; i < 100; i++)); do
		f=$(grep -l "Subject: $id" "$IOP_MAILDIR"/new/* 2>/dev/null | head -n1)
		[ -n "$f" ] && break
		sleep 0.05
	done
	[ -n "$f" ]
	grep -q '^birthday wishes' "$f"
	grep -q '^Received: from ' "$f"
}

@test "submission: swaks with STARTTLS and AUTH, and on the TLS port, delivers through smtpd" {
	iop_need submission
	need_cmd swaks
	swaks --support 2>&1 | grep -q "^=== TLS supported" || skip "swaks without TLS (libnet-ssleay-perl)"
	local id="tubes-$BATS_TEST_NUMBER-$RANDOM" i f= p
	for p in "--port $IOP_SUBMISSION_PORT --tls" "--port $IOP_SUBMISSIONS_PORT --tls-on-connect"; do
		# shellcheck disable=SC2086
		run swaks --server 127.0.0.1 $p --tls-verify --tls-ca-path "$IOP_CA" \
			--auth PLAIN --auth-user "$IOP_SUB_USER" --auth-password "$IOP_SUB_PASS" \
			--from martha@tubes.test --to anyone@tubes.test --header "Subject: $id ${p##* }" \
			--body "birthday wishes" --timeout 10
		echo "$output"
		[ "$status" -eq 0 ]
		[[ "$output" == *"235 2.7.0"* ]]
		for ((i = 0; i < 100; i++)); do
			f=$(grep -l "Subject: $id ${p##* }" "$IOP_MAILDIR"/new/* 2>/dev/null | head -n1)
			[ -n "$f" ] && break
			sleep 0.05
		done
		[ -n "$f" ]
	done
	# and an unknown CA is refused by swaks too
	run swaks --server 127.0.0.1 --port "$IOP_SUBMISSIONS_PORT" --tls-on-connect --tls-verify \
		--tls-ca-path "$IOP_DIR/ca/other.pem" --from martha@tubes.test --to anyone@tubes.test --timeout 10
	[ "$status" -ne 0 ]
}

@test "smtpd: EHLO lists its extensions; bad sequence is refused" {
	iop_need smtpd
	run timeout 10 bash -c '
		exec 7<>/dev/tcp/127.0.0.1/'"$IOP_SMTP_PORT"'
		say() { printf "%s\r\n" "$1" >&7; while read -r -t 5 l <&7; do
			l=${l%$'"'"'\r'"'"'}; echo "$l"; [[ "$l" == [0-9][0-9][0-9]" "* ]] && break; done; }
		read -r -t 5 l <&7; echo "${l%$'"'"'\r'"'"'}"
		say "EHLO client.test"; say DATA; say QUIT'
	[[ "${lines[0]}" == "220 mx.tubes.test"* ]]
	[[ "$output" == *"250-8BITMIME"* ]]
	[[ "$output" == *$'\n503 '* ]]
}

# --- nsd ---------------------------------------------------------------

dq() {
	dig +short +time=2 +tries=1 -p "$IOP_DNS_PORT" @127.0.0.1 "$@"
}

@test "nsd: every record type" {
	iop_need nsd
	need_cmd dig
	[ "$(dq tubes.test A)" = 127.0.0.1 ]
	[ "$(dq tubes.test AAAA)" = ::1 ]
	[ "$(dq tubes.test NS)" = ns1.tubes.test. ]
	[ "$(dq tubes.test SOA)" = "ns1.tubes.test. hostmaster.tubes.test. 2026112201 3600 600 86400 300" ]
	[ "$(dq tubes.test MX | sort)" = "$(printf '10 mail.tubes.test.\n20 mail2.tubes.test.')" ]
	[ "$(dq tubes.test TXT)" = '"v=spf1 -all"' ]
	[ "$(dq tubes.test CAA)" = '0 issue "ca.tubes.test"' ]
	[ "$(dq www.tubes.test CNAME)" = tubes.test. ]
	[ "$(dq ptr.tubes.test PTR)" = host.tubes.test. ]
	[ "$(dq _smtp._tcp.tubes.test SRV)" = "10 5 25 mail.tubes.test." ]
	[ "$(dq -x 10.9.0.1)" = host.tubes.test. ]
	[ "$(dq multi.tubes.test TXT)" = '"first string" "second string"' ]
}

@test "nsd: NXDOMAIN and NODATA" {
	iop_need nsd
	need_cmd dig
	run dig +time=2 +tries=1 -p "$IOP_DNS_PORT" @127.0.0.1 nope.tubes.test A
	[[ "$output" == *"status: NXDOMAIN"* ]]
	run dig +time=2 +tries=1 -p "$IOP_DNS_PORT" @127.0.0.1 mail.tubes.test AAAA
	[[ "$output" == *"status: NOERROR"* ]]
	[[ "$output" == *"ANSWER: 0,"* ]]
}

@test "nsd: an answer over 512 bytes is truncated on UDP, whole over TCP" {
	iop_need nsd
	need_cmd dig
	run dig +noedns +ignore +time=2 +tries=1 -p "$IOP_DNS_PORT" @127.0.0.1 big.tubes.test A
	[[ "$output" =~ flags:\ qr\ aa\ tc ]]
	run dig +noedns +tcp +time=2 +tries=1 -p "$IOP_DNS_PORT" @127.0.0.1 big.tubes.test A
	[[ "$output" == *"ANSWER: 40,"* ]]
	[[ "$output" =~ MSG\ SIZE\ +rcvd:\ ([0-9]+) ]]
	[ "${BASH_REMATCH[1]}" -gt 512 ]
	run dig +time=2 +tries=1 -p "$IOP_DNS_PORT" @127.0.0.1 longtxt.tubes.test TXT
	[[ "$output" =~ MSG\ SIZE\ +rcvd:\ ([0-9]+) ]]
	[ "${BASH_REMATCH[1]}" -gt 900 ]
}

@test "nsd: kdig agrees" {
	iop_need nsd
	need_cmd kdig
	run kdig +short -p "$IOP_DNS_PORT" @127.0.0.1 tubes.test MX
	[[ "$output" == *"10 mail.tubes.test."* ]]
}

# --- unbound -----------------------------------------------------------

@test "unbound: recursion through nsd (RA set, AA not), CNAME chain" {
	iop_need unbound
	need_cmd dig
	run dig +time=2 +tries=1 -p "$IOP_RESOLVER_PORT" @127.0.0.1 alias.tubes.test A
	[[ "$output" == *"status: NOERROR"* ]]
	[[ "$output" =~ flags:\ qr\ rd\ ra\; ]]
	[[ "$output" == *"alias.tubes.test."*"CNAME"*"www.tubes.test."* ]]
	[[ "$output" == *"tubes.test."*"A"*"127.0.0.1"* ]]
	run dig +short -p "$IOP_RESOLVER_PORT" @127.0.0.1 -x 10.10.3.2
	[ "$output" = server.tubes.test. ]
	run dig +short -p "$IOP_RESOLVER_PORT" @127.0.0.1 longtxt.tubes.test TXT
	[ "${#output}" -gt 865 ]
}

@test "unbound: names outside the test zones are refused (nothing leaves)" {
	iop_need unbound
	need_cmd dig
	run dig +time=2 +tries=1 -p "$IOP_RESOLVER_PORT" @127.0.0.1 www.example A
	[[ "$output" == *"status: REFUSED"* ]]
	[ -s "$IOP_RESOLV_CONF" ]
	grep -q '^nameserver 127.0.0.1$' "$IOP_RESOLV_CONF"
}

@test "unbound DoT: dig-lite +tls with the run's CA gets what kdig +tls gets; a wrong name and an unknown CA are exit 3" {
	iop_need unbound
	[ -n "${IOP_DOT_PORT:-}" ] || skip "no DNS over TLS port (the run's CA needs openssl)"
	run dig-lite +tls +tls-ca="$IOP_CA" +tls-hostname=tubes.test -p "$IOP_DOT_PORT" \
	    @127.0.0.1 alias.tubes.test A
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"status: NOERROR"* ]]
	[[ "$output" == *"alias.tubes.test."*"CNAME"*"www.tubes.test."* ]]
	[[ "$output" == *"(TLS)"* ]]
	run dig-lite +tls +tls-ca="$IOP_CA" +tls-hostname=tubes.test +short -p "$IOP_DOT_PORT" \
	    @127.0.0.1 alias.tubes.test A
	[ "$status" -eq 0 ]
	local ours=$output
	if command -v kdig >/dev/null 2>&1; then
		run kdig +tls-ca="$IOP_CA" +tls-hostname=tubes.test +short -p "$IOP_DOT_PORT" \
		    @127.0.0.1 alias.tubes.test A
		[ "$status" -eq 0 ]
		[ -n "$output" ]
		[ "$ours" = "$output" ]
	fi
	# several queries over one connection
	run dig-lite +tls +tls-ca="$IOP_CA" +tls-hostname=tubes.test +short -p "$IOP_DOT_PORT" \
	    @127.0.0.1 www.tubes.test A tubes.test MX
	[ "$status" -eq 0 ]
	[[ "$output" == *"10 mail.tubes.test."* ]]
	# the certificate is checked: another name, a CA nobody trusts
	run dig-lite +tls +tls-ca="$IOP_CA" +tls-hostname=other.test -p "$IOP_DOT_PORT" \
	    @127.0.0.1 www.tubes.test A
	[ "$status" -eq 3 ]
	[[ "$output" == *"does not match the certificate"* ]]
	run dig-lite +tls +tls-ca="$IOP_OTHER_CERT" +tls-hostname=tubes.test -p "$IOP_DOT_PORT" \
	    @127.0.0.1 www.tubes.test A
	[ "$status" -eq 3 ]
}

# --- the harness itself ----------------------------------------------------

@test "interop: start and prove all under 60 s" {
	local now
	now=$(_iop_now_ms)
	echo "# servers started in $IOP_START_MS ms; started and proved in $((now - IOP_T0)) ms" >&3
	[ $((now - IOP_T0)) -lt 60000 ]
}

@test "interop: iop_stop_all stops by PID and removes the state" {
	run bash -c '
		TOP='"$TOP"' TESTBIN='"$TESTBIN"'
		unset IOP_DIR IOP_PIDS
		source "$TOP/tests/interop/servers.bash"
		iop_start nginx >/dev/null 2>&1 || exit 9
		echo "$IOP_PID_NGINX $IOP_DIR"
		iop_stop_all'
	[ "$status" -eq 0 ]
	local pid=${output%% *} dir=${output#* }
	run kill -0 "$pid"
	[ "$status" -ne 0 ]
	[ ! -e "$dir" ]
}
