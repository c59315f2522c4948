#!/usr/bin/env bats
# httpget: command line, refusals, and interop with a real nginx on
# loopback (started here from a generated config), and the hostile peers
# of hostile-peers.md on tests/peers/fakepeer with tests/cases/HTTP-*.peer.
load lib/common
load lib/peer
load lib/faults
load lib/held

teardown() {
	held_stop
	peer_stop
	peer2_stop
}

# a second fakepeer (another port) beside the one of peer_start: P2_PORT, P2_LOG
peer2_start() {
	P2_DIR=$(mktemp -d "$BATS_TEST_TMPDIR/peer2.XXXXXX")
	P2_LOG=$P2_DIR/peer.log
	"$TESTBIN/fakepeer" "$P2_DIR/port" "$P2_LOG" "$(realpath "$1")" 2>"$P2_DIR/err" 3>&- &
	P2_PID=$!
	wait_file "$P2_DIR/port" 5 || return 1
	P2_PORT=$(cat "$P2_DIR/port")
}

peer2_stop() {
	[ -n "${P2_PID:-}" ] || return 0
	kill "$P2_PID" 2>/dev/null
	wait "$P2_PID" 2>/dev/null || true
	P2_PID=
}

# a free port from the kernel (tests/peers/freeport), handed to nginx,
# which cannot listen on port 0 itself; retried if someone takes it meanwhile
free_port() {
	"$TESTBIN/freeport" 1
}

setup_file() {
	export NGX_DIR="$BATS_FILE_TMPDIR/nginx"
	command -v nginx >/dev/null 2>&1 || return 0
	mkdir -p "$NGX_DIR/www/dir"
	head -c $((64 << 20)) /dev/urandom >"$NGX_DIR/www/big.bin"
	sha256sum <"$NGX_DIR/www/big.bin" >"$NGX_DIR/big.sha"
	printf 'small file\n' >"$NGX_DIR/www/small.txt"
	printf 'a\n' >"$NGX_DIR/www/a.txt"
	printf 'b\n' >"$NGX_DIR/www/b.txt"
	printf 'c\n' >"$NGX_DIR/www/c.txt"
	local try port
	for try in 1 2 3 4 5; do
		port=$(free_port)
		cat >"$NGX_DIR/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $NGX_DIR/nginx.pid;
error_log $NGX_DIR/error.log;
events { worker_connections 256; }
http {
	log_format conn '\$connection \$connection_requests "\$request" \$status';
	access_log $NGX_DIR/access.log conn;
	client_body_temp_path $NGX_DIR/tmp;
	proxy_temp_path $NGX_DIR/tmp;
	fastcgi_temp_path $NGX_DIR/tmp;
	uwsgi_temp_path $NGX_DIR/tmp;
	scgi_temp_path $NGX_DIR/tmp;
	keepalive_requests 10000;
	server {
		listen 127.0.0.1:$port;
		listen [::1]:$port;
		root $NGX_DIR/www;
		location = /redir { return 302 /small.txt; }
		location = /redir-abs { return 301 http://127.0.0.1:$port/dir/../small.txt; }
		location = /loop { return 302 /loop; }
		location = /to-ftp { return 302 ftp://127.0.0.1/x; }
		location = /echo { return 200 "\$request_method \$http_authorization|\$http_x_test\n"; }
	}
}
EOF
		mkdir -p "$NGX_DIR/tmp"
		nginx -c "$NGX_DIR/nginx.conf" -p "$NGX_DIR" 2>"$NGX_DIR/start.err" &
		echo $! >"$NGX_DIR/pid"
		local i
		for ((i = 0; i < 250; i++)); do
			if grep -q 'bind()' "$NGX_DIR/start.err" "$NGX_DIR/error.log" 2>/dev/null; then
				break
			fi
			if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
				echo "$port" >"$NGX_DIR/port"
				return 0
			fi
			sleep 0.02
		done
		kill "$(cat "$NGX_DIR/pid")" 2>/dev/null
		wait "$(cat "$NGX_DIR/pid")" 2>/dev/null
		rm -f "$NGX_DIR/error.log"
	done
}

teardown_file() {
	if [ -f "$NGX_DIR/pid" ]; then
		kill "$(cat "$NGX_DIR/pid")" 2>/dev/null
		wait "$(cat "$NGX_DIR/pid")" 2>/dev/null || true
	fi
}

# ngx_logged REGEX: nginx logs a request after answering it: bounded wait
ngx_logged() {
	local i
	for ((i = 0; i < 250; i++)); do
		grep -Eq -- "$1" "$NGX_DIR/access.log" && return 0
		sleep 0.02
	done
	echo "nginx never logged /$1/" >&2
	return 1
}

need_nginx() {
	command -v nginx >/dev/null 2>&1 || skip "nginx not installed"
	[ -s "$NGX_DIR/port" ] || { echo "nginx did not start:" >&2; cat "$NGX_DIR/start.err" "$NGX_DIR/error.log" >&2; return 1; }
	NGX_PORT=$(cat "$NGX_DIR/port")
	U="http://127.0.0.1:$NGX_PORT"
}

# --- the command line ----------------------------------------------------

@test "httpget: --help on stdout, exit 0; -V" {
	run httpget --help
	[ "$status" -eq 0 ]
	[[ "$output" == usage:* ]]
	[[ "$output" == *"--layers"* ]]
	run httpget -V
	[ "$status" -eq 0 ]
	[[ "$output" == "httpget (tubes) "* ]]
}

@test "httpget: usage errors exit 2" {
	run httpget
	[ "$status" -eq 2 ]
	run httpget --bogus http://127.0.0.1/
	[ "$status" -eq 2 ]
	run httpget -C - http://127.0.0.1/
	[ "$status" -eq 2 ]
	[[ "$output" == *"-C needs -o or -O"* ]]
	run httpget --continue http://127.0.0.1/
	[ "$status" -eq 2 ]
	[[ "$output" == *"-C needs -o or -O"* ]]
	run httpget -C x http://127.0.0.1/
	[ "$status" -eq 2 ]
	[[ "$output" == *"-C 'x': want - or a byte offset"* ]]
	run httpget -C - -C 5 -o f http://127.0.0.1/
	[ "$status" -eq 2 ]
	run httpget -w '%{http_code} %{nope}' http://127.0.0.1/
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown variable %{nope}"* ]]
	run httpget --retry x http://127.0.0.1/
	[ "$status" -eq 2 ]
	run httpget --retry-delay -1 http://127.0.0.1/
	[ "$status" -eq 2 ]
	run httpget -e $'http://a/\r\nX: 1' http://127.0.0.1/
	[ "$status" -eq 2 ]
	run httpget -m 0 http://127.0.0.1/
	[ "$status" -eq 2 ]
	run httpget -W 0 http://127.0.0.1/
	[ "$status" -eq 2 ]
	run httpget --max-redirs x http://127.0.0.1/
	[ "$status" -eq 2 ]
	run httpget --expect 20 http://127.0.0.1/
	[ "$status" -eq 2 ]
	run httpget -X 'GE T' http://127.0.0.1/
	[ "$status" -eq 2 ]
}

@test "httpget: a scheme other than http:// and https:// is refused with exit 2" {
	run httpget ftp://127.0.0.1:1/
	[ "$status" -eq 2 ]
	[[ "$output" == *"httpget speaks http:// and https:// only"* ]]
}

@test "httpget: other schemes and bad URLs exit 2" {
	run httpget ftp://127.0.0.1/x
	[ "$status" -eq 2 ]
	run httpget 'http://127.0.0.1:99999/'
	[ "$status" -eq 2 ]
	run httpget 'http://[::1/'
	[ "$status" -eq 2 ]
}

@test "HTTP-20: CR/LF in the URL, a header or the user is refused before connecting" {
	run httpget $'http://127.0.0.1:1/a\r\nX-Evil: 1'
	[ "$status" -eq 2 ]
	run httpget -H $'X-A: 1\r\nX-Evil: 1' http://127.0.0.1:1/
	[ "$status" -eq 2 ]
	run httpget -H 'Bad Name: 1' http://127.0.0.1:1/
	[ "$status" -eq 2 ]
	run httpget -A $'a\nb' http://127.0.0.1:1/
	[ "$status" -eq 2 ]
	run httpget -u $'us\ner' http://127.0.0.1:1/
	[ "$status" -eq 2 ]
}

@test "httpget: -u user:password on the command line is refused" {
	run httpget -u alice:secret http://127.0.0.1:1/
	[ "$status" -eq 2 ]
	[[ "$output" == *"never the command line"* ]]
}

@test "httpget: connection refused exits 3, no .part left" {
	cd "$BATS_TEST_TMPDIR"
	# a port the kernel just gave us and nobody listens on
	port=$("$TESTBIN/freeport" 1)
	run httpget -o out "http://127.0.0.1:$port/"
	[ "$status" -eq 3 ]
	[ ! -e out ] && [ ! -e .part-out ]
}

@test "httpget: a name that does not resolve exits 3" {
	printf '127.0.0.1 localhost\n' >"$BATS_TEST_TMPDIR/hosts"
	printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$BATS_TEST_TMPDIR/resolv.conf"
	TUBES_HOSTS="$BATS_TEST_TMPDIR/hosts" TUBES_RESOLV_CONF="$BATS_TEST_TMPDIR/resolv.conf" \
	    run httpget -m 5 http://no-such-host.invalid/
	[ "$status" -eq 3 ]
}

# --- nginx interop -------------------------------------------------------

@test "interop: 64 MiB file to a file, sha256 matches, .part renamed" {
	need_nginx
	cd "$BATS_TEST_TMPDIR"
	run httpget -s -o big.bin "$U/big.bin"
	[ "$status" -eq 0 ]
	[ ! -e .part-big.bin ]
	[ "$(sha256sum <big.bin)" = "$(cat "$NGX_DIR/big.sha")" ]
}

@test "interop: 64 MiB file through a pipe, sha256 matches" {
	need_nginx
	want=$(cat "$NGX_DIR/big.sha")
	got=$(httpget "$U/big.bin" | sha256sum)
	[ "$got" = "$want" ]
}

@test "interop: the transfer layer moves a body by splice(2) into a file, a pipe, /dev/null" {
	need_nginx
	cd "$BATS_TEST_TMPDIR"
	run httpget -v -o big.bin "$U/big.bin"
	[ "$status" -eq 0 ]
	[[ "$output" == *"* body moved by splice(2)"* ]]
	[ "$(sha256sum <big.bin)" = "$(cat "$NGX_DIR/big.sha")" ]
	httpget -v "$U/big.bin" 2>err | sha256sum >sum
	[ "$(cat sum)" = "$(cat "$NGX_DIR/big.sha")" ]
	grep -q "body moved by splice" err
	run httpget -v -o /dev/null "$U/big.bin"
	[ "$status" -eq 0 ]
	[[ "$output" == *"* body moved by splice(2)"* ]]
	[[ "$output" == *"67108864 bytes"* ]]
}

@test "interop: 404 exits 1 and the body is written" {
	need_nginx
	run httpget -s "$U/nope"
	[ "$status" -eq 1 ]
	[[ "$output" == *"404 Not Found"* ]]
	cd "$BATS_TEST_TMPDIR"
	run httpget -s -o err.html "$U/nope"
	[ "$status" -eq 1 ]
	grep -q '404 Not Found' err.html
}

@test "interop: --expect turns a status into 0 or 1" {
	need_nginx
	run httpget -s --expect 404 "$U/nope"
	[ "$status" -eq 0 ]
	run httpget -s --expect 201,204 "$U/small.txt"
	[ "$status" -eq 1 ]
}

@test "interop: HEAD prints the head only" {
	need_nginx
	run httpget -I "$U/small.txt"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "HTTP/1.1 200 OK"* ]]
	[[ "$output" == *"Content-Length: 11"* ]]
	[[ "$output" != *"small file"* ]]
	ngx_logged '"HEAD /small.txt HTTP/1.1" 200'
}

@test "interop: -i prints the head, then the body" {
	need_nginx
	run httpget -i "$U/small.txt"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "HTTP/1.1 200 OK"* ]]
	[ "${lines[${#lines[@]}-1]}" = "small file" ]
}

@test "interop: Range resume after an interrupted transfer" {
	need_nginx
	cd "$BATS_TEST_TMPDIR"
	head -c 1000000 "$NGX_DIR/www/big.bin" >.part-big.bin
	run httpget -s -C - -o big.bin "$U/big.bin"
	[ "$status" -eq 0 ]
	[ ! -e .part-big.bin ]
	[ "$(sha256sum <big.bin)" = "$(cat "$NGX_DIR/big.sha")" ]
	ngx_logged '"GET /big.bin HTTP/1.1" 206$'
}

@test "interop: three URLs over one connection" {
	need_nginx
	before=$(wc -l <"$NGX_DIR/access.log")
	run httpget "$U/a.txt" "$U/b.txt" "$U/c.txt"
	[ "$status" -eq 0 ]
	[ "$output" = $'a\nb\nc' ]
	# nginx logs after it answers: wait (bounded) for the three lines
	for ((i = 0; i < 250; i++)); do
		[ "$(wc -l <"$NGX_DIR/access.log")" -ge $((before + 3)) ] && break
		sleep 0.02
	done
	tail -n +$((before + 1)) "$NGX_DIR/access.log" >"$BATS_TEST_TMPDIR/log"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/log")" -eq 3 ]
	[ "$(cut -d' ' -f1 "$BATS_TEST_TMPDIR/log" | sort -u | wc -l)" -eq 1 ]
	[ "$(cut -d' ' -f2 "$BATS_TEST_TMPDIR/log" | tr '\n' ' ')" = "1 2 3 " ]
}

@test "interop: -j reports reuse, one object per URL and a summary" {
	need_nginx
	cd "$BATS_TEST_TMPDIR"
	run httpget -j -o a -o b "$U/a.txt" "$U/b.txt"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[0]}" == *'"status":200'*'"reused":false'* ]]
	[[ "${lines[1]}" == *'"reused":true'* ]]
	[[ "${lines[2]}" == '{"type":"summary","urls":2,"ok":2,"failed":0,"interrupted":false,"exit":0}' ]]
	[ "$(cat a b)" = $'a\nb' ]
}

@test "interop: IPv6 literal URL" {
	need_nginx
	run httpget "http://[::1]:$NGX_PORT/small.txt"
	[ "$status" -eq 0 ]
	[ "$output" = "small file" ]
}

@test "interop: relative and absolute redirects are followed" {
	need_nginx
	run httpget -s "$U/redir"
	[ "$status" -eq 0 ]
	[ "$output" = "small file" ]
	run httpget -s "$U/redir-abs"
	[ "$status" -eq 0 ]
	[ "$output" = "small file" ]
	run httpget -s --no-location -o /dev/null "$U/redir"
	[ "$status" -eq 0 ]
	run httpget -s --max-redirs 0 "$U/redir"
	[ "$status" -eq 3 ]
}

@test "HTTP-17: a redirect loop exits 3" {
	need_nginx
	run httpget "$U/loop"
	[ "$status" -eq 3 ]
	[[ "$output" == *"redirect loop"* ]]
}

@test "HTTP-18: a redirect to ftp:// is refused with a message" {
	need_nginx
	run httpget "$U/to-ftp"
	[ "$status" -eq 1 ]
	[[ "$output" == *"redirect to ftp://127.0.0.1/x refused"* ]]
}

@test "interop: -d posts, -X sets the method, -H adds a field" {
	need_nginx
	run httpget -s -X PUT -H 'X-Test: hello' "$U/echo"
	[ "$status" -eq 0 ]
	[ "$output" = "PUT |hello" ]
	run httpget -s -d 'x=1' "$U/echo"
	[ "$status" -eq 0 ]
	[ "$output" = "POST |" ]
}

@test "interop: -u takes the password from HTTPGET_PASSWORD" {
	need_nginx
	HOME=$BATS_TEST_TMPDIR HTTPGET_PASSWORD=secret run httpget -s -u alice "$U/echo"
	[ "$status" -eq 0 ]
	[ "$output" = "GET Basic $(printf alice:secret | base64)|" ]
}

@test "interop: user:pass@ in the URL works, with a warning" {
	need_nginx
	run httpget "http://bob:pw@127.0.0.1:$NGX_PORT/echo"
	[ "$status" -eq 0 ]
	[[ "$output" == *"credentials in the URL"* ]]
	[[ "$output" == *"GET Basic $(printf bob:pw | base64)|"* ]]
}

@test "interop: -O names the file after the URL and never overwrites" {
	need_nginx
	cd "$BATS_TEST_TMPDIR"
	run httpget -s -O "$U/small.txt"
	[ "$status" -eq 0 ]
	[ "$(cat small.txt)" = "small file" ]
	echo keep >small.txt
	run httpget -s -O "$U/small.txt"
	[ "$status" -eq 2 ]
	[ "$(cat small.txt)" = keep ]
	run httpget -s -O "$U/dir/"
	[ "$status" -eq 2 ]
}

@test "interop: -o to a FIFO or a device writes into it; no .part, nothing renamed over it" {
	need_nginx
	cd "$BATS_TEST_TMPDIR"
	mkfifo fifo
	cat fifo >got &
	local cpid=$!
	run httpget -s -o fifo "$U/small.txt"
	wait "$cpid"
	[ "$status" -eq 0 ]
	[ -p fifo ]
	[ ! -e .part-fifo ]
	[ "$(cat got)" = "small file" ]
	# a character device (a copy of /dev/null's, not the real one)
	mknod null c 1 3 || skip "mknod not permitted here"
	run httpget -s -o null "$U/small.txt" -o null "$U/redir"
	[ "$status" -eq 0 ]
	[ -c null ]
	[ ! -e .part-null ]
	run httpget -s -C - -o null "$U/small.txt"
	[ "$status" -eq 2 ]
	[[ "$output" == *"-C: null is not a regular file"* ]]
}

@test "interop: -v shows both heads and the TCP_INFO account" {
	need_nginx
	run httpget -v -o /dev/null "$U/small.txt"
	[ "$status" -eq 0 ]
	[[ "$output" == *"> GET /small.txt HTTP/1.1"* ]]
	[[ "$output" == *"< HTTP/1.1 200 OK"* ]]
	[[ "$output" == *"segments out"* ]]
}

@test "interop: --layers decodes both heads on stderr" {
	need_nginx
	run httpget --layers -o /dev/null "$U/small.txt"
	[ "$status" -eq 0 ]
	[[ "$output" == *"request-target"* ]]
	[[ "$output" == *"status-code"* ]]
}

@test "interop: --via through socat" {
	need_nginx
	need_cmd socat
	run httpget --via 'socat - TCP:127.0.0.1:%p' "$U/a.txt" "$U/b.txt"
	[ "$status" -eq 0 ]
	[ "$output" = $'a\nb' ]
}

@test "interop: http_proxy sends the absolute URL; no_proxy bypasses it" {
	need_nginx
	# nginx as its own "proxy": it answers absolute-form requests for itself
	http_proxy="http://127.0.0.1:$NGX_PORT" run httpget -s http://localhost.test/a.txt
	[ "$status" -eq 0 ]
	[ "$output" = a ]
	ngx_logged '"GET http://localhost.test/a.txt HTTP/1.1"'
	http_proxy="http://127.0.0.1:1" no_proxy="127.0.0.1" run httpget -s "$U/a.txt"
	[ "$status" -eq 0 ]
}

# --- scripted peers (tests/cases/HTTP-*.peer) ------------------------------

U0='http://127.0.0.1:%PORT'

@test "HTTP-01: a chunk size that overflows is a receive error, no final file" {
	run_case HTTP-01 httpget -s -o out "$U0/x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"chunk size too large"* ]]
	[ ! -e "$PEER_DIR/out" ]
}

@test "HTTP-02: bad chunk syntax is a framing error" {
	run_case HTTP-02 httpget -s "$U0/x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"bad chunked encoding"* ]]
}

@test "HTTP-03: a chunked body without the zero chunk: exit 3, .part kept, no file" {
	run_case HTTP-03 httpget -s -o out "$U0/x"
	[ "$status" -eq 3 ]
	[ ! -e "$PEER_DIR/out" ]
	[ "$(cat "$PEER_DIR/.part-out")" = hello ]
}

@test "HTTP-04: close before Content-Length: exit 3, .part kept for -C" {
	run_case HTTP-04 httpget -s -o out "$U0/x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"50 of 100 bytes"* ]]
	[ ! -e "$PEER_DIR/out" ]
	[ "$(stat -c %s "$PEER_DIR/.part-out")" -eq 50 ]
}

@test "HTTP-04: bytes beyond Content-Length are dropped and the connection is not reused" {
	run_case HTTP-04b httpget "$U0/x" "$U0/y"
	[ "$status" -eq 0 ]
	[ "$output" = abcdef ]
	[ "$(peer_accepts)" -eq 2 ]
}

@test "HTTP-05: a negative Content-Length is refused" {
	run_case HTTP-05 httpget "$U0/x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"Content-Length"* ]]
	[[ "$output" != *abc* ]]
}

@test "HTTP-06: different Content-Length values are refused" {
	run_case HTTP-06 httpget "$U0/x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"Content-Length"* ]]
}

@test "HTTP-06: identical Content-Length values are accepted" {
	run_case HTTP-06b httpget "$U0/x"
	[ "$status" -eq 0 ]
	[ "$output" = abc ]
}

@test "HTTP-07: a Content-Length that overflows 64 bits is refused" {
	run_case HTTP-07 httpget "$U0/x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"Content-Length"* ]]
}

@test "HTTP-08: Transfer-Encoding wins over Content-Length, no reuse" {
	run_case HTTP-08 httpget "$U0/x" "$U0/y"
	[ "$status" -eq 0 ]
	[ "$output" = abcdef ]
	[ "$(peer_accepts)" -eq 2 ]
}

@test "HTTP-09: an unrequested transfer coding is refused" {
	run_case HTTP-09 httpget "$U0/x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"unrequested transfer coding"* ]]
}

@test "HTTP-10: Content-Encoding: bytes saved as received, with a warning" {
	run_case HTTP-10 httpget -o out "$U0/x"
	[ "$status" -eq 0 ]
	[[ "$output" == *"not decoded"* ]]
	[ "$(od -An -tx1 "$PEER_DIR/out" | tr -d ' ')" = 1f8b0800 ]
}

@test "HTTP-11: LF-only line ends are accepted" {
	run_case HTTP-11 httpget "$U0/x"
	[ "$status" -eq 0 ]
	[ "$output" = abc ]
}

@test "HTTP-11: a bare CR in a field is refused" {
	run_case HTTP-11b httpget "$U0/x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"bare CR"* ]]
}

@test "HTTP-12: a folded field is joined with a space" {
	run_case HTTP-12 httpget -i "$U0/x"
	[ "$status" -eq 0 ]
	[[ "$output" == *"X-Folded: one two"* ]]
}

@test "HTTP-13: an over-long header line is refused" {
	run_case HTTP-13 httpget "$U0/x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"too long"* ]]
}

@test "HTTP-14: an HTTP/0.9-style reply is a protocol error, not a body" {
	run_case HTTP-14 httpget "$U0/x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"malformed status line"* ]]
	[[ "$output" != *"<html>"* ]]
}

@test "HTTP-14: a NUL in a field is a protocol error" {
	run_case HTTP-14b httpget "$U0/x"
	[ "$status" -eq 3 ]
}

@test "HTTP-14: a two-digit status is a protocol error" {
	run_case HTTP-14c httpget "$U0/x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"malformed status line"* ]]
}

@test "HTTP-15: 1xx interim responses are skipped (and shown with -v)" {
	run_case HTTP-15 httpget -v "$U0/x"
	[ "$status" -eq 0 ]
	[[ "$output" == *"< HTTP/1.1 103 Early Hints"* ]]
	[ "${lines[${#lines[@]}-1]}" != "" ]
	[[ "$output" == *final* ]]
}

@test "HTTP-15: 101 without an Upgrade request is an error" {
	run_case HTTP-15b httpget "$U0/x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"101"* ]]
}

@test "HTTP-16: a body after a HEAD response is ignored and the connection dropped" {
	run_case HTTP-16 httpget -I "$U0/x" "$U0/y"
	[ "$status" -eq 0 ]
	[[ "$output" != *BOGUS* ]]
	[ "$(peer_accepts)" -eq 2 ]
}

@test "HTTP-17: a chain longer than --max-redirs is an error" {
	run_case HTTP-17 httpget --max-redirs 2 "$U0/r1"
	[ "$status" -eq 3 ]
	[[ "$output" == *"too many redirects"* ]]
	[ "$PEER_STATUS" -eq 0 ]
}

@test "HTTP-18: a Location to file:// is refused" {
	run_case HTTP-18 httpget "$U0/x"
	[ "$status" -eq 1 ]
	[[ "$output" == *"redirect to file:///etc/passwd refused"* ]]
}

@test "HTTP-19: Authorization is not sent to another host after a redirect" {
	printf '127.0.0.1 otherhost\n' >"$BATS_TEST_TMPDIR/hosts"
	HOME=$BATS_TEST_TMPDIR HTTPGET_PASSWORD=secret TUBES_HOSTS=$BATS_TEST_TMPDIR/hosts \
	    run_case HTTP-19 httpget -u alice "$U0/x"
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(grep -c '^Authorization:' "$PEER_LOG")" -eq 1 ]
}

@test "HTTP-21: -O takes the URL's name, never Content-Disposition" {
	run_case HTTP-21 httpget -s -O "$U0/file.txt"
	[ "$status" -eq 0 ]
	[ "$(cat "$PEER_DIR/file.txt")" = abc ]
	[ ! -e "$PEER_DIR/../evil" ] && [ ! -e "$PEER_DIR/evil" ]
}

@test "HTTP-21: -O refuses a URL whose last segment is not a safe name" {
	run httpget -O 'http://127.0.0.1:1/a/..%2F..%2Fetc%2Fpasswd'
	[ "$status" -eq 2 ]
	[[ "$output" == *"no safe file name"* ]]
}

@test "HTTP-22: a peer that stalls mid-body hits the idle timeout (exit 3)" {
	SECONDS=0
	run_case HTTP-22 httpget -s -W 0.5 -o out "$U0/x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"timed out"* ]]
	[ "$SECONDS" -lt 5 ]
	[ "$(cat "$PEER_DIR/.part-out")" = abc ]
}

@test "HTTP-22: a peer that never answers: -w deadline (exit 3)" {
	SECONDS=0
	run_case HTTP-22b httpget -m 0.5 "$U0/x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"timed out"* ]]
	[ "$SECONDS" -lt 5 ]
}

@test "peer: three URLs over one kept-alive connection" {
	run_case HTTP-KEEPALIVE httpget -j "$U0/a" "$U0/b" "$U0/c"
	[ "$status" -eq 0 ]
	[ "$(peer_accepts)" -eq 1 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(grep -v '^{' <<<"$output")" = $'a\nb\nc' ]
	[ "$(grep -c '"reused":true' <<<"$output")" -eq 2 ]
}

@test "peer: a kept-alive connection closed by the server is redialled" {
	run_case HTTP-REUSE-CLOSED httpget "$U0/a" "$U0/b"
	[ "$status" -eq 0 ]
	[ "$output" = $'a\nb' ]
	[ "$(peer_accepts)" -eq 2 ]
}

@test "peer: chunked with extensions and trailers, one byte at a time" {
	run_case HTTP-CHUNKED httpget -o out "$U0/x"
	[ "$status" -eq 0 ]
	[ "$(cat "$PEER_DIR/out")" = "hello world" ]
}

@test "peer: --layers shows the chunk framing of a chunked body, the last chunk too" {
	run_case HTTP-CHUNKED httpget --layers -o out "$U0/x"
	[ "$status" -eq 0 ]
	[ "$(cat "$PEER_DIR/out")" = "hello world" ]
	[ "$(grep -c 'chunk-size.*0x6 (6 bytes)$' <<<"$output")" -eq 2 ]
	[[ "$output" == *"chunk-size"*"0x0 (0 bytes), last-chunk"* ]]
}

@test "peer: resume sends Range and appends the 206 body" {
	peer_start "$CASES/HTTP-RESUME.peer"
	printf hello >"$PEER_DIR/.part-out"
	cd "$PEER_DIR"
	run httpget -s --continue -o out "http://127.0.0.1:$PEER_PORT/x"
	[ "$status" -eq 0 ]
	[ "$(cat out)" = helloworld ]
	[ ! -e .part-out ]
}

@test "peer: a 206 at the wrong offset is refused, the .part kept" {
	peer_start "$CASES/HTTP-RESUME-BAD.peer"
	printf hello >"$PEER_DIR/.part-out"
	cd "$PEER_DIR"
	run httpget -s -C - -o out "http://127.0.0.1:$PEER_PORT/x"
	[ "$status" -eq 3 ]
	[ "$(cat .part-out)" = hello ]
	[ ! -e out ]
}

@test "peer: 416 on resume keeps the .part untouched, exit 1" {
	peer_start "$CASES/HTTP-RESUME-416.peer"
	printf hello >"$PEER_DIR/.part-out"
	cd "$PEER_DIR"
	run httpget -C -o out "http://127.0.0.1:$PEER_PORT/x"
	[ "$status" -eq 1 ]
	[ "$(cat .part-out)" = hello ]
	[ ! -e out ]
}

@test "peer: a body delimited by the close" {
	run_case HTTP-CLOSE-BODY httpget "$U0/x"
	[ "$status" -eq 0 ]
	[ "$output" = "until close" ]
}

@test "peer: -d posts the body; 303 follows with GET" {
	run_case HTTP-POST httpget -d 'a=1&b=2' -H 'Content-Type: text/plain' "$U0/form"
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
	[ "$PEER_STATUS" -eq 0 ]
	peer_log_has '^a=1&b=2'
}

@test "peer: --via runs a helper per connection (socat)" {
	need_cmd socat
	run_case HTTP-KEEPALIVE httpget --via 'socat - TCP:127.0.0.1:%p' "$U0/a" "$U0/b" "$U0/c"
	[ "$status" -eq 0 ]
	[ "$output" = $'a\nb\nc' ]
	[ "$(peer_accepts)" -eq 1 ]
}

@test "peer: IPv6 literal to a peer on ::1" {
	PEER_OPTS=(-6)
	run_case HTTP-IPV6 httpget 'http://[::1]:%PORT/x'
	[ "$status" -eq 0 ]
	[ "$output" = v6 ]
	[ "$PEER_STATUS" -eq 0 ]
}

@test "interop: https:// through --via openssl s_client to openssl s_server" {
	need_cmd openssl
	cd "$BATS_TEST_TMPDIR"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	    -keyout k.pem -out c.pem -days 1 -subj /CN=127.0.0.1 2>/dev/null
	openssl s_server -accept 127.0.0.1:0 -cert c.pem -key k.pem -www >acc.txt 2>&1 3>&- &
	pid=$!
	for ((i = 0; i < 250; i++)); do
		grep -q '^ACCEPT' acc.txt && break
		sleep 0.02
	done
	port=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' acc.txt)
	run httpget -s -m 10 -o page --via 'openssl s_client -quiet -CAfile c.pem -connect %h:%p 2>/dev/null' "https://127.0.0.1:$port/"
	kill "$pid"
	wait "$pid" || true
	[ "$status" -eq 0 ]
	grep -q 's_server' page
}

@test "faults: a full disk (ENOSPC on the output) exits 2, no final file" {
	need_nginx
	cd "$BATS_TEST_TMPDIR"
	run with_faults 'write:*:ENOSPC:file' httpget -s -o out "$U/small.txt"
	[ "$status" -eq 2 ]
	[[ "$output" == *"No space left"* ]]
	[ ! -e out ]
}

@test "faults: reads one byte at a time still give the same file" {
	need_nginx
	cd "$BATS_TEST_TMPDIR"
	run with_faults 'read:*:one:sock,recv:*:one:sock' httpget -s -o out "$U/a.txt" "$U/small.txt"
	[ "$status" -eq 0 ]
	[ "$(cat out)" = a ]
	run with_faults 'read:*:one:sock' httpget -s "$U/small.txt" "$U/redir"
	[ "$status" -eq 0 ]
	[ "$output" = $'small file\nsmall file' ]
}

@test "faults: every allocation failing in turn gives an exit code, never a crash" {
	need_nginx
	cd "$BATS_TEST_TMPDIR"
	printf 'x=1' >body
	TORTURE_SAMPLE=40 torture_alloc httpget -s -d @body -o o1 -o o2 "$U/echo" "$U/a.txt" "$U/redir"
	[ "$TORTURE_RUNS" -ge 1 ]
}

@test "SIGINT: the transfer stops, the .part stays, exit 3, summary says interrupted" {
	peer_start "$CASES/HTTP-22.peer"
	cd "$PEER_DIR"
	httpget -j -o out "http://127.0.0.1:$PEER_PORT/x" >json 2>err 3>&- &
	pid=$!
	wait_file .part-out 5
	kill -INT "$pid"
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 3 ]
	[ "$(cat .part-out)" = abc ]
	[ ! -e out ]
	grep -q '"interrupted":true' json
	grep -q '"error":"body cut short: 3 of 100 bytes: interrupted"' json
}

@test "peer: requests are pipelined: all three arrive before the first response" {
	run_case HTTP-PIPELINE httpget "$U0/a" "$U0/b" "$U0/c"
	[ "$status" -eq 0 ]
	[ "$output" = $'a\nb\nc' ]
	[ "$(peer_accepts)" -eq 1 ]
	[ "$PEER_STATUS" -eq 0 ]
}

@test "peer: Connection: close after the first pipelined response: the rest go again" {
	run_case HTTP-PIPELINE-CLOSE httpget "$U0/a" "$U0/b" "$U0/c"
	[ "$status" -eq 0 ]
	[ "$output" = $'a\nb\nc' ]
	[ "$(peer_accepts)" -eq 2 ]
	[ "$PEER_STATUS" -eq 0 ]
}

@test "peer: --no-pipeline still reuses the connection" {
	run_case HTTP-KEEPALIVE httpget --no-pipeline "$U0/a" "$U0/b" "$U0/c"
	[ "$status" -eq 0 ]
	[ "$output" = $'a\nb\nc' ]
	[ "$(peer_accepts)" -eq 1 ]
}

@test "interop: 200 URLs pipelined over one connection to nginx" {
	need_nginx
	before=$(wc -l <"$NGX_DIR/access.log")
	urls=()
	for ((i = 0; i < 200; i++)); do urls+=("$U/a.txt"); done
	run httpget -s "${urls[@]}"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^a$' <<<"$output")" -eq 200 ]
	for ((i = 0; i < 250; i++)); do
		[ "$(wc -l <"$NGX_DIR/access.log")" -ge $((before + 200)) ] && break
		sleep 0.02
	done
	[ "$(tail -n +$((before + 1)) "$NGX_DIR/access.log" | cut -d' ' -f1 | sort -u | wc -l)" -eq 1 ]
}

@test "HTTP-22: a peer that trickles forever meets the -w deadline (exit 3)" {
	SECONDS=0
	run_case HTTP-22c httpget -s -m 1 -o out "$U0/x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"timed out"* ]]
	[ "$SECONDS" -lt 5 ]
	[ -s "$PEER_DIR/.part-out" ]
	[ "$(stat -c %s "$PEER_DIR/.part-out")" -lt 1000 ]
}

# --- round two (tests/hostile-peers-2.md) ---------------------------------

CRED_H=(-H 'Authorization: Bearer s3cret' -H 'Cookie: sid=s3cret' -H 'X-Api-Key: s3cret'
    -H 'Proxy-Authorization: Basic s3cret' -H 'X-Test: keep')

@test "HTTP-23: -H credentials (Authorization, Cookie, X-Api-Key) stay with their host on a 302" {
	printf '127.0.0.1 otherhost\n' >"$BATS_TEST_TMPDIR/hosts"
	TUBES_HOSTS=$BATS_TEST_TMPDIR/hosts run_case HTTP-23 httpget "${CRED_H[@]}" "$U0/x"
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(peer_accepts)" -eq 2 ]
	[ "$(grep -c s3cret "$PEER_LOG")" -eq 3 ]
	peer_log_lacks '^Proxy-Authorization'
}

@test "HTTP-23b: a 307 to the same host on another port: no -u, no -H credential there" {
	peer2_start "$CASES/HTTP-23b2.peer"
	sed "s/@PORT2@/$P2_PORT/" "$CASES/HTTP-23b.tmpl" >"$BATS_TEST_TMPDIR/23b.peer"
	peer_start "$BATS_TEST_TMPDIR/23b.peer"
	HOME=$BATS_TEST_TMPDIR HTTPGET_PASSWORD=secret run httpget -u alice \
	    -H 'Cookie: sid=s3cret' -H 'X-Test: keep' "http://127.0.0.1:$PEER_PORT/x"
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
	grep -q '^GET /y' "$P2_LOG"
	! grep -Eqi 'authorization|cookie|s3cret' "$P2_LOG"
	grep -q 'script done' "$P2_DIR/err"
}

@test "HTTP-23c: https redirected to http on the same host and port: no credential follows" {
	HOME=$BATS_TEST_TMPDIR HTTPGET_PASSWORD=secret run_case HTTP-23c httpget -u alice \
	    -H 'Cookie: sid=s3cret' --redirect-to-http --via 'socat - TCP:%h:%p' 'https://127.0.0.1:%PORT/x'
	[ "$status" -eq 0 ]
	[[ "$output" == *"following a redirect from https:// to http://127.0.0.1:"*"the rest is not encrypted"* ]]
	[ "${lines[${#lines[@]}-1]}" = ok ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(grep -c s3cret "$PEER_LOG")" -eq 1 ]
	[ "$(grep -c '^Authorization' "$PEER_LOG")" -eq 1 ]
}

@test "HTTP-23d: the same origin in another case, and a relative Location: credentials follow" {
	printf '127.0.0.1 sameplace\n' >"$BATS_TEST_TMPDIR/hosts"
	HOME=$BATS_TEST_TMPDIR HTTPGET_PASSWORD=secret TUBES_HOSTS=$BATS_TEST_TMPDIR/hosts \
	    run_case HTTP-23d httpget -u alice -H 'Cookie: sid=s3cret' 'http://sameplace:%PORT/x'
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(grep -c '^Authorization: Basic YWxpY2U6c2VjcmV0' "$PEER_LOG")" -eq 3 ]
}

@test "HTTP-23e: an IPv6 literal redirected (303) to another name: no credential follows" {
	printf '::1 v6name\n' >"$BATS_TEST_TMPDIR/hosts"
	PEER_OPTS=(-6)
	HOME=$BATS_TEST_TMPDIR HTTPGET_PASSWORD=secret TUBES_HOSTS=$BATS_TEST_TMPDIR/hosts \
	    run_case HTTP-23e httpget -u alice -H 'Cookie: sid=s3cret' 'http://[::1]:%PORT/x'
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(grep -c s3cret "$PEER_LOG")" -eq 1 ]
}

@test "HTTP-23f: user info in a Location is never used as credentials" {
	HOME=$BATS_TEST_TMPDIR HTTPGET_PASSWORD=secret run_case HTTP-23f httpget -u alice "$U0/x"
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
	[ "$PEER_STATUS" -eq 0 ]
	peer_log_lacks 'Ym9iOnB3'
}

@test "HTTP-23h: A to B and back to A: credentials skip B, and A has them again" {
	printf '127.0.0.1 otherhost\n' >"$BATS_TEST_TMPDIR/hosts"
	HOME=$BATS_TEST_TMPDIR HTTPGET_PASSWORD=secret TUBES_HOSTS=$BATS_TEST_TMPDIR/hosts \
	    run_case HTTP-23h httpget -u alice -H 'Cookie: sid=s3cret' "$U0/x"
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(peer_accepts)" -eq 3 ]
}

@test "HTTP-23g: --location-trusted sends the credentials to the other host" {
	printf '127.0.0.1 otherhost\n' >"$BATS_TEST_TMPDIR/hosts"
	HOME=$BATS_TEST_TMPDIR HTTPGET_PASSWORD=secret TUBES_HOSTS=$BATS_TEST_TMPDIR/hosts \
	    run_case HTTP-23g httpget --location-trusted -u alice -H 'Cookie: sid=s3cret' "$U0/x"
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(grep -c s3cret "$PEER_LOG")" -eq 2 ]
}

# resume_case ID: peer on tests/cases/ID.peer, .part-out holding "hello" and,
# with a second argument, .part-.part-out holding that validator; runs httpget -C
resume_case() {
	peer_start "$CASES/$1.peer"
	printf hello >"$PEER_DIR/.part-out"
	[ -z "${2:-}" ] || printf '%s\n' "$2" >"$PEER_DIR/.part-.part-out"
	cd "$PEER_DIR"
	run timeout 30 httpget -C - -o out "http://127.0.0.1:$PEER_PORT/x"
	peer_wait 3
}

@test "HTTP-24: a cut-short download keeps its ETag; -C sends it as If-Range and completes" {
	peer_start "$CASES/HTTP-24.peer"
	cd "$PEER_DIR"
	run httpget -s -o out "http://127.0.0.1:$PEER_PORT/x"
	[ "$status" -eq 3 ]
	[ "$(cat .part-out)" = hello ]
	[ "$(cat .part-.part-out)" = '"v1"' ]
	run httpget -s -C - -o out "http://127.0.0.1:$PEER_PORT/x"
	[ "$status" -eq 0 ]
	[ "$(cat out)" = helloworld ]
	[ ! -e .part-out ] && [ ! -e .part-.part-out ]
	peer_wait 3
	[ "$PEER_STATUS" -eq 0 ]
}

@test "HTTP-24b: If-Range finds the file changed: the 200 replaces the .part, no splice" {
	resume_case HTTP-24b '"v1"'
	[ "$status" -eq 0 ]
	[ "$(cat out)" = NEWFILE ]
	[ ! -e .part-out ] && [ ! -e .part-.part-out ]
	[ "$PEER_STATUS" -eq 0 ]
}

@test "HTTP-24c: a 206 whose Content-Length disagrees with its Content-Range: exit 3" {
	resume_case HTTP-24c
	[ "$status" -eq 3 ]
	[[ "$output" == *"206 with Content-Length 3 for bytes 5-9"* ]]
	[ "$(cat .part-out)" = hello ]
	[ ! -e out ]
}

@test "HTTP-24d: a 206 for a sub-range short of the total: exit 3, never renamed" {
	resume_case HTTP-24d
	[ "$status" -eq 3 ]
	[[ "$output" == *"206 gave bytes 5-7 of 10: the file is not complete"* ]]
	[[ "$(cat .part-out)" == hello* ]]
	[ ! -e out ]
}

@test "HTTP-24e: a 206 to a request without Range is a protocol error" {
	run_case HTTP-24e httpget -o out "$U0/x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"206 Partial Content to a request for the whole body"* ]]
	[ ! -e "$PEER_DIR/out" ] && [ ! -e "$PEER_DIR/.part-out" ]
}

@test "HTTP-24f: a close-delimited 206 that ends early: exit 3, .part kept, no file" {
	resume_case HTTP-24f
	[ "$status" -eq 3 ]
	[[ "$output" == *"206 body of 2 bytes for a range of 5"* ]]
	[[ "$(cat .part-out)" == hello* ]]
	[ ! -e out ]
}

@test "HTTP-24g: 416 to If-Range with the total equal to the .part: complete, exit 0" {
	resume_case HTTP-24g '"v1"'
	[ "$status" -eq 0 ]
	[ "$(cat out)" = hello ]
	[ ! -e .part-out ] && [ ! -e .part-.part-out ]
	[ "$PEER_STATUS" -eq 0 ]
}

@test "HTTP-24h: a 206 without Content-Range is refused" {
	resume_case HTTP-24h
	[ "$status" -eq 3 ]
	[ "$(cat .part-out)" = hello ]
	[ ! -e out ]
}

@test "HTTP-26: -O of a.part and a in one run: each file its own bytes" {
	run_case HTTP-26 httpget --no-pipeline -O "$U0/a.part" "$U0/a"
	[ "$status" -eq 0 ]
	[ "$(cat "$PEER_DIR/a.part")" = PART ]
	[ "$(cat "$PEER_DIR/a")" = A ]
	[ "$(find "$PEER_DIR" -name '.part-*' | wc -l)" -eq 0 ]
}

@test "HTTP-26b: -o or -O naming a temporary file (.part-) is refused before connecting" {
	cd "$BATS_TEST_TMPDIR"
	run httpget -o .part-x -o x http://127.0.0.1:1/a http://127.0.0.1:1/b
	[ "$status" -eq 2 ]
	[[ "$output" == *"-o .part-x: names beginning with .part- are for temporary files"* ]]
	run httpget -O http://127.0.0.1:1/b http://127.0.0.1:1/.part-b
	[ "$status" -eq 2 ]
	[[ "$output" == *"-O .part-b: names beginning"* ]]
	run httpget -o dir/.part-x http://127.0.0.1:1/a
	[ "$status" -eq 2 ]
	[ ! -e .part-b ] && [ ! -e b ] && [ ! -e .part-.part-x ]
}

@test "HTTP-26c: a .part this run did not create is neither truncated nor removed" {
	cd "$BATS_TEST_TMPDIR"
	printf 'earlier run\n' >.part-out
	run httpget -o out http://127.0.0.1:1/x
	[ "$status" -eq 2 ]
	[[ "$output" == *".part-out exists"* ]]
	[ "$(cat .part-out)" = "earlier run" ]
	[ ! -e out ]
}

# time_ms of the -j object in $output (httpget's own time, not the peer's)
json_ms() {
	sed -n 's/.*"time_ms":\([0-9]*\).*/\1/p' <<<"$output" | head -n 1
}

@test "HTTP-25: endless 100 Continue heads: at most 20, then exit 3" {
	run_case HTTP-25 httpget -j -o out "$U0/x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"more than 20 interim (1xx) responses"* ]]
	[ "$(json_ms)" -lt 2000 ]
	[ ! -e "$PEER_DIR/out" ]
}

@test "HTTP-25b: twenty interim heads, then the final one, are accepted" {
	run_case HTTP-25b httpget "$U0/x"
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
}

@test "HTTP-25c: a trickled head meets --head-timeout although no byte is late" {
	run_case HTTP-25c httpget -j -W 5 --head-timeout 1 "$U0/x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"no complete response head in 1 s (--head-timeout)"* ]]
	echo "httpget took $(json_ms) ms" >&2
	[ "$(json_ms)" -ge 900 ] && [ "$(json_ms)" -lt 2500 ]
}

@test "HTTP-25d: trickled 1xx heads: one deadline for the sequence, not one per head" {
	run_case HTTP-25d httpget -j -W 5 --head-timeout 1.5 "$U0/x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"--head-timeout"* ]]
	echo "httpget took $(json_ms) ms" >&2
	[ "$(json_ms)" -ge 1400 ] && [ "$(json_ms)" -lt 3000 ]
}

@test "HTTP-25e: --head-timeout wants seconds > 0" {
	run httpget --head-timeout 0 http://127.0.0.1:1/
	[ "$status" -eq 2 ]
	[[ "$output" == *"--head-timeout"* ]]
}

@test "X-01: HTTPGET_PASSWORD is not in /proc/PID/environ while httpget waits" {
	export HOME=$BATS_TEST_TMPDIR HTTPGET_PASSWORD=s3cr3t-pass-X01
	held_start "$CASES/X-01.peer" httpget -W 20 -u alice "$U0/x"
	held_wait_log '^Authorization: Basic '
	[[ "$(cat /proc/$HELD_PID/comm)" != memcheck* ]] ||
		skip "valgrind keeps its own copy of the environment block"
	environ_lacks "$HELD_PID" s3cr3t-pass-X01
	peer_log_has "^Authorization: Basic $(printf alice:s3cr3t-pass-X01 | base64)"
}

@test "X-01b: the password taken once serves every URL of the run" {
	export HOME=$BATS_TEST_TMPDIR HTTPGET_PASSWORD=s3cr3t-X01b
	run_case X-01b httpget -u alice "$U0/a" "$U0/b"
	[ "$status" -eq 0 ]
	[ "$output" = $'a\nb' ]
	[ "$PEER_STATUS" -eq 0 ]
}

@test "X-02: HTTPGET_PASSWORD is wiped even when no -u uses it" {
	export HTTPGET_PASSWORD=s3cr3t-unused-X02
	held_start "$CASES/X-01.peer" httpget -W 20 "$U0/x"
	held_wait_log '^GET /x'
	[[ "$(cat /proc/$HELD_PID/comm)" != memcheck* ]] ||
		skip "valgrind keeps its own copy of the environment block"
	environ_lacks "$HELD_PID" s3cr3t-unused-X02
}

@test "X-03: the password in http_proxy leaves the environment block too" {
	peer_start "$CASES/X-01.peer"
	export http_proxy="http://pu:s3cr3t-proxy-X03@127.0.0.1:$PEER_PORT"
	cd "$PEER_DIR"
	httpget -W 20 http://origin.invalid/x >held.out 2>held.err 3>&- &
	HELD_PID=$!
	held_wait_log '^Proxy-Authorization: Basic '
	[[ "$(cat /proc/$HELD_PID/comm)" != memcheck* ]] ||
		skip "valgrind keeps its own copy of the environment block"
	environ_lacks "$HELD_PID" s3cr3t-proxy-X03
	peer_log_has '^GET http://origin\.invalid/x HTTP/1\.1'
}

# x04 ARGS...: httpget must exit 2 without a byte or a connection to the peer
x04() {
	peer_start "$CASES/X-04.peer"
	local a args=()
	for a in "$@"; do args+=("${a//%PORT/$PEER_PORT}"); done
	run timeout 10 httpget -W 2 "${args[@]}"
	[ "$status" -eq 2 ] || { echo "exit $status for: $*" >&2; return 1; }
	peer_stop
	[ "$(peer_accepts)" -eq 0 ] || { echo "the peer was reached for: $*" >&2; return 1; }
	[ ! -s "$PEER_LOG" ]
}

@test "X-04: CR, LF or another control byte in any field: exit 2 before the first packet" {
	x04 "$U0/ok" $'http://127.0.0.1:%PORT/b\r\nX-Evil: 1'
	x04 "$U0/ok" $'http://127.0.0.1:%PORT/b\tc'
	x04 $'http://127.0.0.1:%PORT/b\x7f'
	x04 -H $'X-A: 1\r\nX-Evil: 1' "$U0/x"
	x04 -H $'X-A: 1\nX-Evil: 1' "$U0/x"
	x04 -H $'X-\rA: 1' "$U0/x"
	x04 -H $'X-A: 1\x01' "$U0/x"
	x04 -A $'agent\r\nX-Evil: 1' "$U0/x"
	x04 -A $'agent\x1b' "$U0/x"
	x04 -u $'alice\r\nX-Evil: 1' "$U0/x"
	x04 -u $'alice\x01' "$U0/x"
	x04 -X $'GET\r\nX-Evil: 1' "$U0/x"
	x04 -X $'GET /y' "$U0/x"
	x04 -o out "$U0/x" -o $'o2' $'http://127.0.0.1:%PORT/\n'
	http_proxy=$'http://127.0.0.1:1\r\n' x04 "$U0/x"
}

# x05 SIG PEERCASE: httpget -j -o out held by the peer; SIG must end it within
# a second: exit 3, the summary says interrupted, no file renamed into place
x05() {
	local sig=$1 rc=0 t0 ms
	peer_start "$CASES/$2.peer"
	cd "$PEER_DIR"
	httpget -j -W 20 -o out "http://127.0.0.1:$PEER_PORT/x" >json 2>err 3>&- &
	HELD_PID=$!
	held_wait_log '^GET /x'
	[ "$2" = X-01 ] || wait_file .part-out 5
	t0=$(date +%s%N)
	kill -"$sig" "$HELD_PID"
	wait "$HELD_PID" || rc=$?
	HELD_PID=
	ms=$((($(date +%s%N) - t0) / 1000000))
	echo "SIG$sig: exit $rc after $ms ms" >&2
	[ "$rc" -eq 3 ]
	[ "$ms" -lt 1500 ]
	[ ! -e out ]
	grep -q '"interrupted":true' json
	grep -q 'interrupted' err
	peer_wait 3 || true
}

@test "X-05: SIGINT, SIGTERM, SIGHUP mid-body (a trickling peer): out within 1 s, .part kept" {
	for sig in INT TERM HUP; do
		x05 "$sig" HTTP-22c
		[ -s .part-out ]
		grep -q 'kept for -C' err
	done
}

@test "X-05b: SIGTERM and SIGHUP while the body stalls: out within 1 s, the bytes so far kept" {
	for sig in TERM HUP; do
		x05 "$sig" HTTP-22
		[ "$(cat .part-out)" = abc ]
	done
}

@test "X-05c: SIGTERM while waiting for the head: out within 1 s, no empty .part left" {
	for sig in INT TERM HUP; do
		x05 "$sig" X-01
		[ ! -e .part-out ]
	done
}

@test "X-06: httpget of 2,000 URLs peaks within 10% of the RSS of 200 (constant memory)" {
	need_nginx
	[ "${VALGRIND:-}" != 1 ] && [ "${SANITIZE:-}" != 1 ] ||
		skip "peak RSS is the plain build's (valgrind and ASan keep their own)"
	[ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true ||
		skip "GNU time not installed (make test installs it as root)"
	local u200=() u2000=() i r200 r2000 extra
	for ((i = 0; i < 2000; i++)); do
		u2000+=("$U/a.txt")
		((i < 200)) && u200+=("$U/a.txt")
	done
	cd "$BATS_TEST_TMPDIR"
	# the median of five runs each, alternating: one run's peak RSS varies
	# by up to 10 % by itself (2,092 to 2,336 KiB in seven runs of the same
	# 2,000 URLs), and CI failed on two single runs 10.9 % apart; 8,000
	# URLs measured no more than 200
	: >rss200.all
	: >rss2000.all
	for ((i = 0; i < 5; i++)); do
		/usr/bin/time -f %M -o rss200 httpget -s "${u200[@]}" >out200
		tail -n 1 rss200 >>rss200.all
		/usr/bin/time -f %M -o rss2000 httpget -s "${u2000[@]}" >out2000
		tail -n 1 rss2000 >>rss2000.all
		[ "$(grep -c '^a$' out2000)" -eq 2000 ]
	done
	r200=$(sort -n rss200.all | sed -n 3p)
	r2000=$(sort -n rss2000.all | sed -n 3p)
	# the 1,800 more URLs are input the kernel copies onto the stack with
	# argv (and one pointer each): not memory httpget grows, so they are
	# counted out (about 70 KiB, 3 % of the whole: the run that failed CI
	# was 10.3 % over with them in)
	extra=$(( ((${#U} + 7 + 8) * 1800 + 1023) / 1024 ))
	echo "peak RSS, median of 5: 200 URLs $r200 KiB, 2000 URLs $r2000 KiB, argv $extra KiB more" >&2
	echo "all: $(tr '\n' ' ' <rss200.all) / $(tr '\n' ' ' <rss2000.all)" >&2
	[ $(( (r2000 - extra) * 10 )) -le $((r200 * 11)) ]
}

@test "X-04b: a password missing for the second URL's host: exit 2 before the first URL's packet" {
	export HOME=$BATS_TEST_TMPDIR
	unset HTTPGET_PASSWORD
	printf 'machine 127.0.0.1 login alice password pw\n' >"$HOME/.netrc"
	chmod 600 "$HOME/.netrc"
	printf '127.0.0.1 otherhost\n' >"$BATS_TEST_TMPDIR/hosts"
	TUBES_HOSTS=$BATS_TEST_TMPDIR/hosts x04 -u alice "$U0/x" 'http://otherhost:%PORT/y'
	[[ "$output" == *"password for alice at otherhost"* ]]
}
