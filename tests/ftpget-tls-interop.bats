#!/usr/bin/env bats
# ftpget-tls-interop.bats - ftpget over FTPS against Debian's vsftpd
# (tests/interop/servers.bash "vsftpds": conf/vsftpd-tls.conf, the run's
# own CA, TLS required for the login and the data, require_ssl_reuse at
# its default, YES): AUTH TLS and implicit TLS (ftps://), passive and
# active, a listing, -r over --parallel connections, an upload, the 64
# MiB file checked by SHA-256, and the certificate failures (exit 3).
# curl --ssl-reqd against the same servers first, so that a failure here
# is ftpget's and not the rig's.

load lib/common
load interop/servers

bats_require_minimum_version 1.5.0

setup_file() {
	[ "$(id -u)" = 0 ] || skip "needs root (vsftpd drops to its own user)"
	iop_start vsftpd vsftpds || true
	# a tree for -r: ten files (the workers start at eight) and a subdirectory
	if [ -n "${IOP_FTP_ROOT:-}" ]; then
		mkdir -p "$IOP_FTP_ROOT/pub/tree/sub"
		seq 1 10 | sed 's|.*|echo file & over ftps >'"$IOP_FTP_ROOT"'/pub/tree/f&.txt|' | sh
		printf 'deeper\n' >"$IOP_FTP_ROOT/pub/tree/sub/d.txt"
	fi
}

teardown_file() {
	iop_stop_all
}

setup() {
	iop_need vsftpds
	cd "$BATS_TEST_TMPDIR"
	URL=ftp://127.0.0.1:$IOP_FTPS_PORT
	CA=(--cacert "$IOP_CA")
}

@test "ftps-interop: the rig: curl --ssl-reqd fetches over AUTH TLS and over implicit TLS" {
	need_cmd curl
	run curl -sS --ssl-reqd --cacert "$IOP_CA" "$URL/pub/hello.txt"
	[ "$status" -eq 0 ] || { echo "$output"; cat "$IOP_DIR"/vsftpd-explicit.log; false; }
	[ "$output" = "hello over ftp" ]
	run curl -sS --cacert "$IOP_CA" "ftps://127.0.0.1:$IOP_FTPS_IMPLICIT_PORT/pub/hello.txt"
	[ "$status" -eq 0 ]
	[ "$output" = "hello over ftp" ]
	# the server refuses what is not TLS: anonymous logins must use encryption
	run curl -sS "$URL/pub/hello.txt"
	[ "$status" -ne 0 ]
}

@test "ftps-interop: passive: AUTH TLS, PBSZ, PROT P, the data connection resumes (require_ssl_reuse); -v and -j" {
	run --separate-stderr timeout 30 ftpget -v "${CA[@]}" "$URL/pub/hello.txt"
	[ "$status" -eq 0 ] || { echo "$stderr"; false; }
	[ "$output" = "hello over ftp" ]
	[[ "$stderr" == *"C: AUTH TLS"* ]]
	[[ "$stderr" == *"S: 234 "* ]]
	[[ "$stderr" == *"ftpget: TLS: TLSv1.3 "*", verified"* ]]
	[[ "$stderr" == *"C: PBSZ 0"* ]]
	[[ "$stderr" == *"C: PROT P"* ]]
	[[ "$stderr" == *"ftpget: data connection TLS: "*", verified, resumed"* ]]
	awk '/C: AUTH TLS/ { a = NR } /C: USER/ { u = NR } /C: PROT P/ { p = NR }
	    END { exit !(a && u > a && p > u) }' <<<"$stderr"
	run --separate-stderr timeout 30 ftpget -j "${CA[@]}" -o got "$URL/pub/hello.txt"
	[ "$status" -eq 0 ]
	tail -n 1 <<<"$output" | jq -e '.tls.verified == true and .data_tls.connections == 1 and
	    .data_tls.resumed == 1 and .exit == 0' >/dev/null
}

@test "ftps-interop: -X: vsftpd wants P-256: one HelloRetryRequest (the control connection's), the data connection offers P-256 first" {
	run --separate-stderr timeout 30 ftpget -s -X "${CA[@]}" "$URL/pub/hello.txt"
	[ "$status" -eq 0 ] || { echo "$stderr"; false; }
	[ "$(grep -c 'TLS handshake: ClientHello' <<<"$stderr")" -eq 3 ]
	[ "$(grep -c 'TLS handshake: HelloRetryRequest' <<<"$stderr")" -eq 1 ]
	# the last ClientHello (the data connection's) carries a secp256r1 share and the PSK
	awk '/TLS handshake: ClientHello/ { ch = NR } END { print ch }' <<<"$stderr" >last
	tail -n +"$(cat last)" <<<"$stderr" | grep -m1 -q 'key_share *secp256r1'
	grep -q 'TLS session resumed' <<<"$stderr"
}

@test "ftps-interop: TLS 1.2 (--tls-max 1.2): the data connections resume too" {
	run --separate-stderr timeout 30 ftpget -v --tls-max 1.2 "${CA[@]}" "$URL/pub/"
	[ "$status" -eq 0 ] || { echo "$stderr"; false; }
	[[ "$output" == *$'file\t15\t'*$'\thello.txt'* ]]
	[[ "$stderr" == *"ftpget: TLS: TLSv1.2 "*", verified"* ]]
	[[ "$stderr" == *"data connection TLS: TLSv1.2 "*", resumed"* ]]
}

@test "ftps-interop: active mode (-P): vsftpd connects, ftpget is the TLS client and resumes" {
	run --separate-stderr timeout 30 ftpget -v -P "${CA[@]}" "$URL/pub/hello.txt"
	[ "$status" -eq 0 ] || { echo "$stderr"; false; }
	[ "$output" = "hello over ftp" ]
	[[ "$stderr" == *"C: EPRT "* ]]
	[[ "$stderr" == *"data connection TLS: "*", resumed"* ]]
}

@test "ftps-interop: ftps:// (implicit TLS, vsftpd's implicit_ssl)" {
	run --separate-stderr timeout 30 ftpget -v "${CA[@]}" \
	    "ftps://127.0.0.1:$IOP_FTPS_IMPLICIT_PORT/pub/hello.txt"
	[ "$status" -eq 0 ] || { echo "$stderr"; false; }
	[ "$output" = "hello over ftp" ]
	[[ "$stderr" != *"AUTH TLS"* ]]
	[[ "$stderr" == *"data connection TLS: "*", resumed"* ]]
}

@test "ftps-interop: -r over --parallel connections, each its own TLS session, every data connection resumed" {
	mkdir mirror && cd mirror
	run --separate-stderr timeout 60 ftpget -r -j --parallel 3 "${CA[@]}" "$URL/pub/tree/"
	[ "$status" -eq 0 ] || { echo "$stderr"; false; }
	diff -r "$IOP_FTP_ROOT/pub/tree" .
	tail -n 1 <<<"$output" | jq -e '.transfers == 11 and .data_tls.connections >= 11 and
	    .data_tls.resumed == .data_tls.connections' >/dev/null ||
	    { tail -n 1 <<<"$output"; false; }
}

@test "ftps-interop: -T uploads over TLS (the server's copy matches)" {
	head -c 200000 /dev/urandom >up.bin
	run --separate-stderr timeout 30 ftpget -s "${CA[@]}" -T up.bin "$URL/upload/up-$BATS_TEST_NUMBER.bin"
	[ "$status" -eq 0 ] || { echo "$stderr"; false; }
	cmp up.bin "$IOP_FTP_UPLOAD/up-$BATS_TEST_NUMBER.bin"
}

@test "ftps-interop: the 64 MiB file, passive and active, byte-exact (SHA-256); curl alongside" {
	run --separate-stderr timeout 120 bash -c "ftpget -s ${CA[*]} '$URL/pub/big.bin' | sha256sum"
	[ "$status" -eq 0 ] || { echo "$stderr"; false; }
	[ "${output%% *}" = "$IOP_BIG_SHA256" ]
	run --separate-stderr timeout 120 bash -c "ftpget -s -P ${CA[*]} '$URL/pub/big.bin' | sha256sum"
	[ "$status" -eq 0 ]
	[ "${output%% *}" = "$IOP_BIG_SHA256" ]
	need_cmd curl
	run --separate-stderr timeout 120 bash -c "curl -sS --ssl-reqd ${CA[*]} '$URL/pub/big.bin' | sha256sum"
	[ "${output%% *}" = "$IOP_BIG_SHA256" ]
}

@test "ftps-interop: an unknown CA and a name the certificate does not hold: exit 3 with the TLS reason, no login" {
	logins=$(grep -c 'OK LOGIN' "$IOP_DIR/vsftpd-explicit.log" 2>/dev/null || true)
	run --separate-stderr timeout 30 ftpget -s "$URL/pub/hello.txt"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"ftpget: 127.0.0.1: TLS: unknown issuer CN=tubes interop ca CA"* ]]
	printf '127.0.0.1 wrong.tubes.example\n' >hosts
	TUBES_HOSTS=$PWD/hosts run --separate-stderr timeout 30 ftpget -s "${CA[@]}" \
	    "ftps://wrong.tubes.example:$IOP_FTPS_IMPLICIT_PORT/pub/hello.txt"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"wrong.tubes.example does not match the certificate (SAN: tubes.test, localhost, 127.0.0.1, ::1)"* ]]
	[ "$(grep -c 'OK LOGIN' "$IOP_DIR/vsftpd-explicit.log" 2>/dev/null || true)" = "$logins" ]
}

@test "ftps-interop: the plain vsftpd: --tls required refuses it (exit 3, no USER); by default loopback goes on in clear" {
	iop_need vsftpd
	run --separate-stderr timeout 30 ftpget -v --tls required "ftp://127.0.0.1:$IOP_FTP_PORT/pub/hello.txt"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"AUTH TLS refused (530 "*"), and --tls required"* ]]
	[[ "$stderr" != *"C: USER"* ]]
	run --separate-stderr timeout 30 ftpget -v "ftp://127.0.0.1:$IOP_FTP_PORT/pub/hello.txt"
	[ "$status" -eq 0 ]
	[ "$output" = "hello over ftp" ]
	[[ "$stderr" == *"AUTH TLS refused (530 "*"): going on in clear"* ]]
}
