#!/usr/bin/env bats
# httpget: command line, refusals, and interop with a real nginx on
# loopback (started here from a generated config: tests/interop is not
# ours).  Hostile peers are in tests/httpget-peer.bats.
load lib/common

# a free port from the kernel (bind to 0), handed to nginx, which cannot
# listen on port 0 itself; retried if someone takes it meanwhile
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

setup_file() {
	export NGX_DIR="$BATS_FILE_TMPDIR/nginx"
	command -v nginx >/dev/null 2>&1 || return 0
	command -v python3 >/dev/null 2>&1 || return 0
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

need_nginx() {
	[ -s "$NGX_DIR/port" ] || skip "nginx (and python3, to pick a port) not available"
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
	run httpget -C http://127.0.0.1/
	[ "$status" -eq 2 ]
	[[ "$output" == *"-C needs -o or -O"* ]]
	run httpget -W 0 http://127.0.0.1/
	[ "$status" -eq 2 ]
	run httpget --max-redirs x http://127.0.0.1/
	[ "$status" -eq 2 ]
	run httpget --expect 20 http://127.0.0.1/
	[ "$status" -eq 2 ]
	run httpget -X 'GE T' http://127.0.0.1/
	[ "$status" -eq 2 ]
}

@test "httpget: https without --via is refused with exit 2" {
	run httpget https://127.0.0.1:1/
	[ "$status" -eq 2 ]
	[[ "$output" == *"https:// needs --via"* ]]
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
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null) || skip "python3 needed"
	run httpget -o out "http://127.0.0.1:$port/"
	[ "$status" -eq 3 ]
	[ ! -e out ] && [ ! -e out.part ]
}

@test "httpget: a name that does not resolve exits 3" {
	printf '127.0.0.1 localhost\n' >"$BATS_TEST_TMPDIR/hosts"
	printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$BATS_TEST_TMPDIR/resolv.conf"
	TUBES_HOSTS="$BATS_TEST_TMPDIR/hosts" TUBES_RESOLV_CONF="$BATS_TEST_TMPDIR/resolv.conf" \
	    run httpget -w 5 http://no-such-host.invalid/
	[ "$status" -eq 3 ]
}

# --- nginx interop -------------------------------------------------------

@test "interop: 64 MiB file to a file, sha256 matches, .part renamed" {
	need_nginx
	cd "$BATS_TEST_TMPDIR"
	run httpget -s -o big.bin "$U/big.bin"
	[ "$status" -eq 0 ]
	[ ! -e big.bin.part ]
	[ "$(sha256sum <big.bin)" = "$(cat "$NGX_DIR/big.sha")" ]
}

@test "interop: 64 MiB file through a pipe, sha256 matches" {
	need_nginx
	want=$(cat "$NGX_DIR/big.sha")
	got=$(httpget "$U/big.bin" | sha256sum)
	[ "$got" = "$want" ]
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
	tail -1 "$NGX_DIR/access.log" | grep -q '"HEAD /small.txt HTTP/1.1" 200'
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
	head -c 1000000 "$NGX_DIR/www/big.bin" >big.bin.part
	run httpget -s -C -o big.bin "$U/big.bin"
	[ "$status" -eq 0 ]
	[ ! -e big.bin.part ]
	[ "$(sha256sum <big.bin)" = "$(cat "$NGX_DIR/big.sha")" ]
	tail -1 "$NGX_DIR/access.log" | grep -q '" 206$'
}

@test "interop: three URLs over one connection" {
	need_nginx
	run httpget "$U/a.txt" "$U/b.txt" "$U/c.txt"
	[ "$status" -eq 0 ]
	[ "$output" = $'a\nb\nc' ]
	tail -3 "$NGX_DIR/access.log" >"$BATS_TEST_TMPDIR/log"
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
	tail -1 "$NGX_DIR/access.log" | grep -q '"GET http://localhost.test/a.txt HTTP/1.1"'
	http_proxy="http://127.0.0.1:1" no_proxy="127.0.0.1" run httpget -s "$U/a.txt"
	[ "$status" -eq 0 ]
}
