# tests/interop/servers.bash - real servers for the interop tests
#
# Debian's nginx, vsftpd, dovecot (POP3), OpenSMTPD, nsd and unbound, each
# started on 127.0.0.1 on ports the kernel says are free (tests/peers/freeport),
# with the configs of tests/interop/conf/ and all state under one temp dir,
# checked ready within a bounded time, and stopped by PID.  Needs root (the
# daemons drop to their own users; OpenSMTPD gets a private mount namespace
# for its fixed spool and control-socket paths).
#
#   load lib/common
#   load interop/servers
#   setup_file()    { iop_start_all; }        # or iop_start nginx nsd ...
#   teardown_file() { iop_stop_all; }
#   @test "..." { iop_need nginx; curl "http://127.0.0.1:$IOP_HTTP_PORT/" ...; }
#
# From a shell: tests/interop/run.sh CMD... (starts all, runs CMD, stops all).
#
# What each server offers (all exported):
#   IOP_DIR          the state dir (removed by iop_stop_all)
#   nginx   IOP_HTTP_PORT; IOP_WWW the doc root: /index.html, /hello.txt,
#           /big.bin (64 MiB, sha256 IOP_BIG_SHA256, size IOP_BIG_SIZE),
#           /redirect (301 -> /index.html), /redirect-abs (302 -> absolute
#           /hello.txt), /loop (302 to itself), /chunked/text.txt (sent
#           chunked), /to-https (302 -> https /hello.txt), anything else 404;
#           with the run's CA (below) also IOP_HTTPS_PORT: the same tree
#           over TLS (IOP_CERT), /to-http (302 -> http /hello.txt), and DNS
#           over HTTPS at /dns-query, proxied to tests/peers/dohpeer.py
#           (plain HTTP, log IOP_DOH_LOG), which asks unbound
#   vsftpd  IOP_FTP_PORT; anonymous; IOP_FTP_ROOT: /pub/hello.txt,
#           /pub/big.bin (the same 64 MiB file), /upload/ writable
#           (IOP_FTP_UPLOAD is its path on disk); PASV, EPSV, PORT, EPRT
#   vsftpds (not in iop_start_all: ask for it) the same tree over FTPS
#           (conf/vsftpd-tls.conf, the CA below): IOP_FTPS_PORT takes
#           AUTH TLS, IOP_FTPS_IMPLICIT_PORT is TLS from the first byte
#           (a second vsftpd, implicit_ssl); TLS required for the login
#           and the data, require_ssl_reuse at its default (YES)
#   dovecot IOP_POP3_PORT (STLS offered), IOP_POP3S_PORT (TLS from the
#           start); user IOP_POP3_USER, password IOP_POP3_PASS (also
#           in IOP_POP3_PASSFILE, mode 600); IOP_POP3_MSGS messages, the
#           originals in IOP_DIR/msgs/1..3 (2 has lines starting with ".")
#   TLS     IOP_CA, the run's own CA; IOP_CERT/IOP_KEY the servers'
#           certificate it signed (tubes.test, localhost, 127.0.0.1, ::1);
#           IOP_OTHER_CERT/IOP_OTHER_KEY the same from a CA nobody trusts
#   smtpd   IOP_SMTP_PORT; any recipient is delivered to the maildir
#           IOP_MAILDIR (new/ holds one file per message)
#   submission  dovecot's submission server (package dovecot-submissiond)
#           with the run's CA: STARTTLS on IOP_SUBMISSION_PORT, TLS from
#           the first byte on IOP_SUBMISSIONS_PORT, AUTH PLAIN/LOGIN only
#           over TLS, user IOP_SUB_USER, password IOP_SUB_PASS (also in
#           IOP_SUB_PASSFILE, mode 600); it relays what it accepts to
#           smtpd (above), so a message lands in IOP_MAILDIR
#   nsd     IOP_DNS_PORT, zones tubes.test and 10.in-addr.arpa
#           (tests/interop/conf/*.zone); authoritative only
#   unbound IOP_RESOLVER_PORT, recursing for those zones via nsd, refusing
#           every other name; IOP_RESOLV_CONF is a resolv.conf naming it
#           (nameserver 127.0.0.1; the port is IOP_RESOLVER_PORT);
#           IOP_DOT_PORT the same over TLS (RFC 7858, IOP_CERT), when
#           openssl made the CA
#   IOP_START_MS     how long iop_start took, in ms; IOP_TIMES per server

IOP_SERVERS="nginx vsftpd dovecot smtpd submission nsd unbound"
: "${IOP_CONF:=$TOP/tests/interop/conf}"
: "${IOP_FREEPORT:=$TESTBIN/freeport}"

_iop_now_ms() {
	local s ns
	read -r s ns < <(date '+%s %N')
	echo $(( s * 1000 + 10#$ns / 1000000 ))
}

iop_init() {
	[ -n "${IOP_DIR:-}" ] && [ -d "$IOP_DIR" ] && return 0
	[ "$(id -u)" = 0 ] || { echo "interop servers need root" >&2; return 2; }
	[ -x "$IOP_FREEPORT" ] || { echo "iop_init: $IOP_FREEPORT not built" >&2; return 2; }
	IOP_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tb-iop.XXXXXX") || return 2
	chmod 755 "$IOP_DIR"
	IOP_TAG=${IOP_DIR##*.}
	IOP_PIDS=
	local p
	p=($("$IOP_FREEPORT" 7)) || return 2
	IOP_HTTP_PORT=${p[0]} IOP_FTP_PORT=${p[1]} IOP_POP3_PORT=${p[2]}
	IOP_SMTP_PORT=${p[3]} IOP_DNS_PORT=${p[4]} IOP_RESOLVER_PORT=${p[5]}
	IOP_POP3S_PORT=${p[6]}
	export IOP_DIR IOP_TAG IOP_PIDS IOP_HTTP_PORT IOP_FTP_PORT IOP_POP3_PORT \
		IOP_SMTP_PORT IOP_DNS_PORT IOP_RESOLVER_PORT IOP_POP3S_PORT
	_iop_ca
}

# a test CA of the run's own (P-256), a server certificate it signed for
# tubes.test, localhost, 127.0.0.1 and ::1, and a second CA nobody trusts
# with the same kind of certificate: IOP_CA, IOP_CERT, IOP_KEY,
# IOP_OTHER_CERT, IOP_OTHER_KEY
_iop_ca() {
	local d=$IOP_DIR/ca n
	command -v openssl >/dev/null || return 0
	mkdir -p "$d"
	for n in ca other; do
		openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout "$d/$n.key" -out "$d/$n.pem" -days 3650 \
			-subj "/CN=tubes interop $n CA" >/dev/null 2>&1 || return 2
		openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout "$d/$n-leaf.key" -out "$d/$n-leaf.csr" -subj "/CN=tubes.test" \
			>/dev/null 2>&1 || return 2
		printf '%s\n' 'subjectAltName=DNS:tubes.test,DNS:localhost,IP:127.0.0.1,IP:::1' \
			'extendedKeyUsage=serverAuth' 'keyUsage=critical,digitalSignature' >"$d/ext"
		openssl x509 -req -in "$d/$n-leaf.csr" -CA "$d/$n.pem" -CAkey "$d/$n.key" \
			-CAcreateserial -days 3650 -extfile "$d/ext" -out "$d/$n-leaf.pem" \
			>/dev/null 2>&1 || return 2
	done
	chmod 755 "$d"
	chmod 644 "$d"/*.key
	IOP_CA=$d/ca.pem IOP_CERT=$d/ca-leaf.pem IOP_KEY=$d/ca-leaf.key
	IOP_OTHER_CERT=$d/other-leaf.pem IOP_OTHER_KEY=$d/other-leaf.key
	export IOP_CA IOP_CERT IOP_KEY IOP_OTHER_CERT IOP_OTHER_KEY
}

# iop_conf NAME -> $IOP_DIR/NAME with @DIR@ @TAG@ @*_PORT@ @NGINX_USER@ filled in
iop_conf() {
	local user=
	[ "$(id -u)" = 0 ] && user="user www-data;"
	sed -e "s|@DIR@|$IOP_DIR|g" -e "s|@TAG@|$IOP_TAG|g" \
		-e "s|@HTTP_PORT@|$IOP_HTTP_PORT|g" -e "s|@FTP_PORT@|$IOP_FTP_PORT|g" \
		-e "s|@POP3_PORT@|$IOP_POP3_PORT|g" -e "s|@SMTP_PORT@|$IOP_SMTP_PORT|g" \
		-e "s|@POP3S_PORT@|$IOP_POP3S_PORT|g" -e "s|@HTTPS_PORT@|${IOP_HTTPS_PORT:-}|g" \
		-e "s|@DOH_PORT@|${IOP_DOH_PORT:-}|g" \
		-e "s|@SUB_PORT@|${IOP_SUBMISSION_PORT:-}|g" -e "s|@SUBS_PORT@|${IOP_SUBMISSIONS_PORT:-}|g" \
		-e "s|@CERT@|${IOP_CERT:-}|g" -e "s|@KEY@|${IOP_KEY:-}|g" \
		-e "s|@DNS_PORT@|$IOP_DNS_PORT|g" -e "s|@RES_PORT@|$IOP_RESOLVER_PORT|g" \
		-e "s|@NGINX_USER@|$user|g" "$IOP_CONF/$1" >"$IOP_DIR/$1"
}

# _iop_spawn NAME CMD...: run CMD in the background, output to IOP_DIR/NAME.out
_iop_spawn() {
	local name=$1
	shift
	"$@" </dev/null >"$IOP_DIR/$name.out" 2>&1 3>&- 4>&- 5>&- &
	local pid=$!
	printf -v "IOP_PID_${name^^}" '%s' "$pid"
	export "IOP_PID_${name^^}"
	IOP_PIDS="$IOP_PIDS $pid"
	export IOP_PIDS
}

# _iop_ready NAME SECS CMD...: poll CMD until it succeeds; fail if the server died
_iop_ready() {
	local name=$1 secs=$2 i var
	shift 2
	var="IOP_PID_${name^^}"
	for ((i = 0; i < secs * 20; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		if ! kill -0 "${!var}" 2>/dev/null; then
			echo "iop: $name exited during start-up:" >&2
			tail -n 20 "$IOP_DIR/$name.out" >&2
			return 1
		fi
		sleep 0.05
	done
	echo "iop: $name not ready after $secs s:" >&2
	tail -n 20 "$IOP_DIR/$name.out" >&2
	return 1
}

# a TCP banner check: connect, read the first line, match REGEX
_iop_banner() {
	timeout 2 bash -c 'exec 7<>/dev/tcp/127.0.0.1/'"$1"'; read -r -t 2 l <&7; [[ "$l" =~ '"$2"' ]]'
}

_iop_nginx() {
	mkdir -p "$IOP_DIR"/nginx "$IOP_DIR"/www/chunked
	IOP_WWW=$IOP_DIR/www
	printf '<html><body>hello from nginx</body></html>\n' >"$IOP_WWW/index.html"
	printf 'hello over http\n' >"$IOP_WWW/hello.txt"
	# (no shell loops here: under bats' DEBUG trap they crawl)
	seq 1 2000 | sed 's/.*/line & of a body sent chunked XYZZY/' >"$IOP_WWW/chunked/text.txt"
	IOP_BIG_SIZE=$((64 * 1024 * 1024))
	IOP_BIG_SHA256=$(head -c "$IOP_BIG_SIZE" /dev/urandom | tee "$IOP_WWW/big.bin" | sha256sum | cut -d' ' -f1)
	export IOP_WWW IOP_BIG_SIZE IOP_BIG_SHA256
	# https (IOP_HTTPS_PORT) when the run has its CA, with DoH behind it
	local tls=
	IOP_HTTPS_PORT= IOP_DOH_PORT=
	if [ -n "${IOP_CERT:-}" ] && command -v python3 >/dev/null 2>&1 &&
		IOP_HTTPS_PORT=$("$IOP_FREEPORT" 1); then
		_iop_spawn dohpeer python3 "$TOP/tests/peers/dohpeer.py" - - \
			"$IOP_DIR/dohpeer.port" "$IOP_DIR/dohpeer.log" plain "$IOP_RESOLVER_PORT"
		_iop_ready dohpeer 10 test -s "$IOP_DIR/dohpeer.port" || return 1
		IOP_DOH_PORT=$(cat "$IOP_DIR/dohpeer.port")
		IOP_DOH_LOG=$IOP_DIR/dohpeer.log
		export IOP_DOH_LOG
		tls="include $IOP_DIR/nginx-tls.conf;"
		iop_conf nginx-tls.conf
	fi
	export IOP_HTTPS_PORT
	iop_conf nginx.conf
	sed -i "s|@NGINX_TLS@|$tls|" "$IOP_DIR/nginx.conf"
	_iop_spawn nginx nginx -e "$IOP_DIR/nginx/error.log" -p "$IOP_DIR/nginx" -c "$IOP_DIR/nginx.conf"
	_iop_ready nginx 10 curl -sf -o /dev/null "http://127.0.0.1:$IOP_HTTP_PORT/hello.txt" || return 1
	[ -z "$IOP_HTTPS_PORT" ] ||
		_iop_ready nginx 10 curl -sf -o /dev/null --cacert "$IOP_CA" \
			"https://127.0.0.1:$IOP_HTTPS_PORT/hello.txt"
}

_iop_vsftpd() {
	_iop_ftp_root
	iop_conf vsftpd.conf
	_iop_spawn vsftpd vsftpd "$IOP_DIR/vsftpd.conf"
	_iop_ready vsftpd 10 _iop_banner "$IOP_FTP_PORT" '^220 '
}

# the anonymous tree vsftpd and vsftpds serve (made once)
_iop_ftp_root() {
	IOP_FTP_ROOT=$IOP_DIR/ftp IOP_FTP_UPLOAD=$IOP_DIR/ftp/upload
	export IOP_FTP_ROOT IOP_FTP_UPLOAD
	[ -f "$IOP_FTP_ROOT/pub/hello.txt" ] && return 0
	mkdir -p "$IOP_FTP_ROOT/pub" "$IOP_FTP_UPLOAD" "$IOP_DIR/vsftpd-empty"
	printf 'hello over ftp\n' >"$IOP_FTP_ROOT/pub/hello.txt"
	if [ -f "$IOP_DIR/www/big.bin" ]; then
		ln "$IOP_DIR/www/big.bin" "$IOP_FTP_ROOT/pub/big.bin"
	else
		IOP_BIG_SIZE=$((64 * 1024 * 1024))
		IOP_BIG_SHA256=$(head -c "$IOP_BIG_SIZE" /dev/urandom | tee "$IOP_FTP_ROOT/pub/big.bin" |
			sha256sum | cut -d' ' -f1)
		export IOP_BIG_SIZE IOP_BIG_SHA256
	fi
	chmod 755 "$IOP_FTP_ROOT" "$IOP_FTP_ROOT/pub"
	chown ftp: "$IOP_FTP_UPLOAD"
}

# vsftpd with FTPS, two instances: AUTH TLS, and implicit TLS
_iop_vsftpds() {
	local p n
	[ -n "${IOP_CERT:-}" ] || { echo "iop: vsftpds needs the CA (openssl)" >&2; return 1; }
	_iop_ftp_root
	p=($("$IOP_FREEPORT" 2)) || return 1
	IOP_FTPS_PORT=${p[0]} IOP_FTPS_IMPLICIT_PORT=${p[1]}
	export IOP_FTPS_PORT IOP_FTPS_IMPLICIT_PORT
	iop_conf vsftpd-tls.conf
	for n in explicit implicit; do
		sed -e "s|@NAME@|$n|" -e "s|@FTPS_PORT@|${p[0]}|" -e "s|@IMPLICIT@|NO|" \
			"$IOP_DIR/vsftpd-tls.conf" >"$IOP_DIR/vsftpd-$n.conf"
	done
	sed -i -e "s|^listen_port=.*|listen_port=${p[1]}|" -e "s|^implicit_ssl=.*|implicit_ssl=YES|" \
		"$IOP_DIR/vsftpd-implicit.conf"
	_iop_spawn vsftpds vsftpd "$IOP_DIR/vsftpd-explicit.conf"
	_iop_ready vsftpds 10 _iop_banner "$IOP_FTPS_PORT" '^220 ' || return 1
	_iop_spawn vsftpdi vsftpd "$IOP_DIR/vsftpd-implicit.conf"
	_iop_ready vsftpdi 10 _iop_tls_banner "$IOP_FTPS_IMPLICIT_PORT" '^220 '
}

# _iop_banner over TLS from the first byte (openssl s_client; QUIT ends it)
_iop_tls_banner() {
	echo QUIT | timeout 3 openssl s_client -quiet -connect "127.0.0.1:$1" 2>/dev/null |
		grep -Eq "$2"
}

_iop_dovecot() {
	IOP_POP3_USER=tubes IOP_POP3_PASS=pop-secret-1 IOP_POP3_MSGS=3
	mkdir -p "$IOP_DIR"/dovecot/run "$IOP_DIR"/dovecot/state "$IOP_DIR"/msgs \
		"$IOP_DIR/mail/$IOP_POP3_USER"/{cur,new,tmp}
	printf '%s:{PLAIN}%s::::::\n' "$IOP_POP3_USER" "$IOP_POP3_PASS" >"$IOP_DIR/dovecot/passwd"
	IOP_POP3_PASSFILE=$IOP_DIR/pop3.pass
	printf '%s\n' "$IOP_POP3_PASS" >"$IOP_POP3_PASSFILE"
	chmod 600 "$IOP_POP3_PASSFILE"
	cat >"$IOP_DIR/msgs/1" <<-'EOF'
	From: Aunt Martha <martha@tubes.test>
	To: tubes@tubes.test
	Subject: first message
	Date: Sun, 22 Nov 2026 00:00:01 +0000
	Message-ID: <1@tubes.test>

	Hello, this is the first message.
	EOF
	cat >"$IOP_DIR/msgs/2" <<-'EOF'
	From: Aunt Martha <martha@tubes.test>
	To: tubes@tubes.test
	Subject: dots
	Date: Sun, 22 Nov 2026 00:00:02 +0000
	Message-ID: <2@tubes.test>

	The next line starts with a dot.
	.hidden? no: a line starting with "."
	..two dots
	.
	that was a lone dot, and this is the end.
	EOF
	{
		printf 'From: Aunt Martha <martha@tubes.test>\nTo: tubes@tubes.test\n'
		printf 'Subject: a longer one\nDate: Sun, 22 Nov 2026 00:00:03 +0000\n'
		printf 'Message-ID: <3@tubes.test>\n\n'
		seq 1 1000 | sed 's/^/body line /'
	} >"$IOP_DIR/msgs/3"
	local n
	for n in 1 2 3; do
		cp "$IOP_DIR/msgs/$n" "$IOP_DIR/mail/$IOP_POP3_USER/cur/100000000$n.M${n}P1.tubes:2,S"
	done
	chown -R nobody:nogroup "$IOP_DIR/mail"
	export IOP_POP3_USER IOP_POP3_PASS IOP_POP3_PASSFILE IOP_POP3_MSGS
	iop_conf dovecot.conf
	_iop_spawn dovecot dovecot -F -c "$IOP_DIR/dovecot.conf"
	_iop_ready dovecot 10 _iop_banner "$IOP_POP3_PORT" '^\+OK'
}

_iop_smtpd() {
	IOP_MAILDIR=$IOP_DIR/maildir
	mkdir -p "$IOP_DIR/smtpd/run" "$IOP_MAILDIR"/{cur,new,tmp}
	chown -R nobody:nogroup "$IOP_MAILDIR"
	printf '@ nobody\n' >"$IOP_DIR/smtpd/vusers"
	export IOP_MAILDIR
	iop_conf smtpd.conf
	# its spool (/var/spool/smtpd) and control socket (/run/smtpd.sock) are
	# fixed paths: give it its own, in a private mount namespace
	_iop_spawn smtpd unshare -m --propagation private sh -c \
		'mount -t tmpfs -o mode=0755 tmpfs /var/spool && mount --bind "$1" /run &&
		exec smtpd -d -f "$2"' sh "$IOP_DIR/smtpd/run" "$IOP_DIR/smtpd.conf"
	_iop_ready smtpd 10 _iop_banner "$IOP_SMTP_PORT" '^220 '
}

_iop_submission() {
	local p
	[ -n "${IOP_CERT:-}" ] || { echo "iop: submission needs the CA (openssl)" >&2; return 1; }
	p=($("$IOP_FREEPORT" 2)) || return 1
	IOP_SUBMISSION_PORT=${p[0]} IOP_SUBMISSIONS_PORT=${p[1]}
	IOP_SUB_USER=tubes IOP_SUB_PASS=submit-secret-1
	IOP_SUB_PASSFILE=$IOP_DIR/submission/password
	mkdir -p "$IOP_DIR/submission/run" "$IOP_DIR/submission/state" "$IOP_DIR/submission/mail"
	printf '%s:{PLAIN}%s\n' "$IOP_SUB_USER" "$IOP_SUB_PASS" >"$IOP_DIR/submission/passwd"
	printf '%s\n' "$IOP_SUB_PASS" >"$IOP_SUB_PASSFILE"
	chmod 600 "$IOP_SUB_PASSFILE"
	chown -R nobody:nogroup "$IOP_DIR/submission/mail"
	export IOP_SUBMISSION_PORT IOP_SUBMISSIONS_PORT IOP_SUB_USER IOP_SUB_PASS IOP_SUB_PASSFILE
	iop_conf dovecot-submission.conf
	_iop_spawn submission dovecot -F -c "$IOP_DIR/dovecot-submission.conf"
	_iop_ready submission 10 _iop_banner "$IOP_SUBMISSION_PORT" '^220 '
}

_iop_nsd() {
	mkdir -p "$IOP_DIR/nsd"
	cp "$IOP_CONF/tubes.test.zone" "$IOP_CONF/10.in-addr.arpa.zone" "$IOP_DIR/nsd/"
	iop_conf nsd.conf
	_iop_spawn nsd nsd -d -c "$IOP_DIR/nsd.conf"
	_iop_ready nsd 10 _iop_dig "$IOP_DNS_PORT" tubes.test SOA
}

_iop_unbound() {
	mkdir -p "$IOP_DIR/unbound"
	IOP_RESOLV_CONF=$IOP_DIR/resolv.conf
	printf '# unbound of the interop tests, port %s\nnameserver 127.0.0.1\n' \
		"$IOP_RESOLVER_PORT" >"$IOP_RESOLV_CONF"
	export IOP_RESOLV_CONF
	iop_conf unbound.conf
	# DNS over TLS (RFC 7858) on a second port, with the run's CA's certificate
	IOP_DOT_PORT=
	if [ -n "${IOP_CERT:-}" ] && IOP_DOT_PORT=$("$IOP_FREEPORT" 1); then
		export IOP_DOT_PORT
		sed -i -e "/^server:/a\\
	interface: 127.0.0.1@$IOP_DOT_PORT\\
	tls-port: $IOP_DOT_PORT\\
	tls-service-key: \"$IOP_KEY\"\\
	tls-service-pem: \"$IOP_CERT\"" "$IOP_DIR/unbound.conf"
	fi
	_iop_spawn unbound unbound -d -c "$IOP_DIR/unbound.conf"
	_iop_ready unbound 10 _iop_dig "$IOP_RESOLVER_PORT" tubes.test A
}

# _iop_dig PORT NAME TYPE: an answer with status NOERROR and a record
_iop_dig() {
	local out
	out=$(dig +time=1 +tries=1 -p "$1" @127.0.0.1 "$2" "$3") || return 1
	[[ "$out" == *"status: NOERROR"* ]] && [[ "$out" == *"ANSWER: "[1-9]* ]]
}

# the binary each server needs
_iop_bin() {
	case $1 in
	dovecot) echo dovecot ;; vsftpds) echo vsftpd ;;
	submission) echo /usr/lib/dovecot/submission ;; *) echo "$1" ;;
	esac
}

# iop_start [NAME...]: start the named servers (default all); a missing
# package is recorded (IOP_SKIP_NAME), a failed start too (IOP_FAIL_NAME)
# and makes iop_start return 1
iop_start() {
	local s rc=0 t0 var
	t0=$(_iop_now_ms)
	iop_init || return 2
	[ $# -gt 0 ] || set -- $IOP_SERVERS
	# unbound needs nsd behind it, submission smtpd
	if [[ " $* " == *" unbound "* ]] && [[ " $* " != *" nsd "* ]]; then
		set -- nsd "$@"
	fi
	if [[ " $* " == *" submission "* ]] && [[ " $* " != *" smtpd "* ]]; then
		set -- smtpd "$@"
	fi
	for s in "$@"; do
		var=${s^^}
		if ! command -v "$(_iop_bin "$s")" >/dev/null 2>&1 &&
			! [ -x "/usr/sbin/$(_iop_bin "$s")" ]; then
			printf -v "IOP_SKIP_$var" '%s' "$s not installed"
			export "IOP_SKIP_$var"
			continue
		fi
		if [ "$s" = submission ] && { [[ " $* " != *" smtpd "* ]] ||
			[ -n "${IOP_SKIP_SMTPD:-}${IOP_FAIL_SMTPD:-}" ]; }; then
			printf -v "IOP_SKIP_$var" '%s' "submission relays to smtpd"
			export "IOP_SKIP_$var"
			continue
		fi
		if [ "$s" = unbound ] && [ -n "${IOP_SKIP_NSD:-}${IOP_FAIL_NSD:-}" ]; then
			printf -v "IOP_SKIP_$var" '%s' "unbound needs nsd"
			export "IOP_SKIP_$var"
			continue
		fi
		local ts
		ts=$(_iop_now_ms)
		if ! "_iop_$s"; then
			printf -v "IOP_FAIL_$var" '%s' "$s did not start (see $IOP_DIR/$s.out)"
			export "IOP_FAIL_$var"
			rc=1
		fi
		IOP_TIMES="${IOP_TIMES:-}${IOP_TIMES:+ }$s=$(( $(_iop_now_ms) - ts ))ms"
	done
	export IOP_TIMES
	IOP_START_MS=$(( $(_iop_now_ms) - t0 ))
	export IOP_START_MS
	return $rc
}

iop_start_all() {
	iop_start $IOP_SERVERS
}

# iop_need NAME: in a test, skip if the server's package is missing, fail if it did not start
iop_need() {
	local var=${1^^} skipv failv
	skipv="IOP_SKIP_$var" failv="IOP_FAIL_$var"
	if [ -n "${!failv:-}" ]; then
		echo "${!failv}" >&2
		return 1
	fi
	if [ -n "${!skipv:-}" ]; then
		skip "${!skipv}"
	fi
	var="IOP_PID_$var"
	[ -n "${!var:-}" ] || { echo "$1 was not started (iop_start $1)" >&2; return 1; }
}

# iop_stop_all: TERM every server we started, KILL after 5 s, remove the state
iop_stop_all() {
	local pid i
	for pid in ${IOP_PIDS:-}; do
		kill "$pid" 2>/dev/null
	done
	for pid in ${IOP_PIDS:-}; do
		for ((i = 0; i < 100; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.05
		done
		kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	IOP_PIDS=
	if [ -n "${IOP_DIR:-}" ] && [[ "$IOP_DIR" == */tb-iop.* ]] && [ -z "${IOP_KEEP:-}" ]; then
		rm -rf "$IOP_DIR"
	fi
	IOP_DIR=
	return 0
}
