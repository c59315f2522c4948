#!/usr/bin/env bats
# rig.bats - the scripted peer (tests/peers/fakepeer.c) proves each directive,
# with socat and bash /dev/tcp as clients on 127.0.0.1 (and ::1 where present).

load lib/common
load lib/peer

setup() {
	need_cmd socat timeout
	S=$BATS_TEST_TMPDIR/s.peer
}

teardown() {
	peer_stop
	[ -n "${PEER2_PID:-}" ] && { kill "$PEER2_PID" 2>/dev/null; wait "$PEER2_PID" 2>/dev/null; }
	return 0
}

# start a peer on the script read from stdin
pscript() {
	cat >"$S"
	peer_start "$S" "$@"
}

# client: send $1 (printf format), print what comes back (until the peer closes or 5 s)
talk() {
	printf "$1" | timeout 10 socat -t5 - "TCP:127.0.0.1:$PEER_PORT"
}

@test "fakepeer: --help and bad usage" {
	run "$PEER_BIN" --help
	[ "$status" -eq 0 ]
	[[ "$output" == usage:* ]]
	run "$PEER_BIN" onlyone
	[ "$status" -eq 2 ]
}

@test "fakepeer: port file names a listening port on 127.0.0.1" {
	pscript <<-'EOF'
	send hi\n
	EOF
	[[ "$PEER_PORT" =~ ^[0-9]+$ ]]
	[ "$PEER_PORT" -gt 0 ]
	run talk ''
	[ "$output" = hi ]
	peer_wait
	[ "$PEER_STATUS" -eq 0 ]
	peer_said 'listening on 127\.0\.0\.1 port'
	peer_said 'script done'
}

@test "fakepeer: -6 listens on ::1" {
	[ -n "$(ip -6 addr show dev lo 2>/dev/null | grep '::1')" ] || skip "no ::1 on lo"
	pscript -6 <<-'EOF'
	expect ^six$
	send ok6\n
	EOF
	run bash -c "printf 'six\n' | timeout 10 socat -t5 - TCP6:[::1]:$PEER_PORT"
	[ "$output" = ok6 ]
	peer_wait
	[ "$PEER_STATUS" -eq 0 ]
}

@test "expect: a matching line passes, CR LF stripped; send: escapes" {
	pscript <<-'EOF'
	expect ^HELLO world$
	send +OK\tx\\y\x41\r\n
	EOF
	talk 'HELLO world\r\n' >"$BATS_TEST_TMPDIR/out"
	printf '+OK\tx\\yA\r\n' | cmp - "$BATS_TEST_TMPDIR/out"
	peer_wait
	[ "$PEER_STATUS" -eq 0 ]
	peer_said 'expect ok: HELLO world'
}

@test "expect: a mismatch makes the peer fail and say so" {
	pscript <<-'EOF'
	expect ^USER alice$
	send +OK\r\n
	EOF
	run talk 'USER bob\r\n'
	[ -z "$output" ]
	peer_wait
	[ "$PEER_STATUS" -eq 1 ]
	peer_said 'FAIL: expect /\^USER alice\$/: got "USER bob"'
}

@test "expect: EOF before the line is a failure" {
	pscript <<-'EOF'
	expect ^QUIT
	EOF
	run talk 'QU'
	peer_wait
	[ "$PEER_STATUS" -eq 1 ]
	peer_said 'connection closed \(partial "QU"\)'
}

@test "expect-bytes: takes exactly N bytes, then the next line" {
	pscript <<-'EOF'
	expect-bytes 5
	expect ^tail$
	send done\n
	EOF
	run talk 'ab\ncdtail\n'
	[ "$output" = done ]
	peer_wait
	[ "$PEER_STATUS" -eq 0 ]
}

@test "expect-bytes: too few bytes is a failure" {
	pscript <<-'EOF'
	expect-bytes 10
	EOF
	run talk 'abc'
	peer_wait
	[ "$PEER_STATUS" -eq 1 ]
	peer_said 'closed after 3'
}

@test "log: every received byte, raw, binary included" {
	pscript <<-'EOF'
	read-until-close
	EOF
	talk 'GET / HTTP/1.1\r\n\x00\xff\x01end'
	peer_wait
	[ "$PEER_STATUS" -eq 0 ]
	printf 'GET / HTTP/1.1\r\n\x00\xff\x01end' | cmp - "$PEER_LOG"
	peer_log_has '^GET / HTTP/1\.1'
	peer_log_lacks '^POST'
}

@test "send-hex" {
	pscript <<-'EOF'
	send-hex 41 42:43 0a
	EOF
	run talk ''
	[ "$output" = ABC ]
}

@test "send-file: relative to the script's directory" {
	printf 'file body\nline two\n' >"$BATS_TEST_TMPDIR/body.txt"
	pscript <<-'EOF'
	send-file body.txt
	EOF
	talk '' >"$BATS_TEST_TMPDIR/out"
	cmp "$BATS_TEST_TMPDIR/body.txt" "$BATS_TEST_TMPDIR/out"
}

@test "send-file: a missing file is a script error (exit 2)" {
	pscript <<-'EOF'
	send-file nonexistent
	EOF
	talk '' || true
	peer_wait
	[ "$PEER_STATUS" -eq 2 ]
}

@test "send-fill: N filler bytes a..z repeating" {
	pscript <<-'EOF'
	send-fill 100000
	EOF
	talk '' >"$BATS_TEST_TMPDIR/out"
	[ "$(wc -c <"$BATS_TEST_TMPDIR/out")" -eq 100000 ]
	[ "$(head -c 28 "$BATS_TEST_TMPDIR/out")" = abcdefghijklmnopqrstuvwxyzab ]
	[ "$(tail -c 4 "$BATS_TEST_TMPDIR/out")" = abcd ]
}

@test "sleep: delays the next send" {
	pscript <<-'EOF'
	send a\n
	sleep 400
	send b\n
	EOF
	local t0=$(date +%s%N)
	run talk ''
	local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	[ "$output" = "$(printf 'a\nb')" ]
	[ "$ms" -ge 400 ]
}

@test "trickle: one byte at a time, MS apart" {
	pscript <<-'EOF'
	trickle 50
	send 0123456789\n
	EOF
	local t0=$(date +%s%N)
	run talk ''
	local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	[ "$output" = 0123456789 ]
	[ "$ms" -ge 500 ]
}

@test "close: the client sees EOF at once" {
	pscript <<-'EOF'
	send bye\n
	close
	EOF
	local t0=$(date +%s%N)
	run talk ''
	local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	[ "$output" = bye ]
	[ "$ms" -lt 3000 ]
	peer_wait
	[ "$PEER_STATUS" -eq 0 ]
}

@test "shutdown-wr: the client sees EOF, the peer still reads" {
	pscript <<-'EOF'
	send half\n
	shutdown-wr
	expect ^after$
	EOF
	run timeout 10 bash -c '
		exec 5<>/dev/tcp/127.0.0.1/'"$PEER_PORT"'
		cat <&5
		echo after >&5
		echo sent'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'half\nsent')" ]
	peer_wait
	[ "$PEER_STATUS" -eq 0 ]
	peer_log_has '^after$'
}

@test "reset: the client gets a connection reset" {
	pscript <<-'EOF'
	expect ^x$
	reset
	EOF
	run timeout 10 bash -c '
		exec 5<>/dev/tcp/127.0.0.1/'"$PEER_PORT"'
		echo x >&5
		cat <&5'
	[ "$status" -ne 0 ]
	[[ "$output" == *"reset by peer"* ]]
	peer_said '^fakepeer: reset$'
}

@test "idle: says nothing, holds the socket until the client gives up" {
	pscript <<-'EOF'
	idle
	EOF
	local t0=$(date +%s%N)
	run timeout 10 bash -c '
		exec 5<>/dev/tcp/127.0.0.1/'"$PEER_PORT"'
		read -r -t 1 l <&5; echo "$l"'
	local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	[ -z "$output" ]
	[ "$ms" -ge 900 ]
	peer_wait
	[ "$PEER_STATUS" -eq 0 ]
	peer_said 'idle: client closed'
}

@test "idle MS: bounded, then the script goes on" {
	pscript <<-'EOF'
	idle 300
	send late\n
	EOF
	run timeout 10 bash -c '
		exec 5<>/dev/tcp/127.0.0.1/'"$PEER_PORT"'
		echo ignored >&5
		head -c 5 <&5'
	[ "$output" = late ]
	peer_said 'idle: time is up'
	peer_log_has '^ignored$'
}

@test "accept: a second connection, counted" {
	pscript <<-'EOF'
	expect ^one$
	send 1\n
	close
	accept
	expect ^two$
	send 2\n
	EOF
	run talk 'one\n'
	[ "$output" = 1 ]
	run talk 'two\n'
	[ "$output" = 2 ]
	peer_wait
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(peer_accepts)" -eq 2 ]
}

@test "accept: a client that reuses the connection instead is caught" {
	pscript -T 1 <<-'EOF'
	expect ^one$
	send 1\n
	accept
	EOF
	run talk 'one\ntwo\n'
	peer_wait
	[ "$PEER_STATUS" -eq 1 ]
	[ "$(peer_accepts)" -eq 1 ]
	peer_said 'accept: timed out waiting for connection 2'
}

@test "read-until-close: logs everything up to EOF" {
	pscript <<-'EOF'
	expect ^DATA$
	read-until-close
	send never-read\n
	EOF
	talk 'DATA\nline1\nline2\n' || true
	peer_wait
	peer_log_has '^line2$'
}

@test "overall timeout: the peer ends by itself" {
	pscript -T 0.5 <<-'EOF'
	expect ^never$
	EOF
	local t0=$(date +%s%N)
	peer_wait 5
	local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	[ "$PEER_STATUS" -eq 1 ]
	[ "$ms" -lt 2000 ]
	peer_said 'timed out'
}

@test "script errors: unknown directive, bad regex exit 2" {
	pscript <<-'EOF'
	frobnicate
	EOF
	peer_wait 5
	[ "$PEER_STATUS" -eq 2 ]
	peer_said 'unknown directive "frobnicate"'
	pscript <<-'EOF'
	expect (
	EOF
	run talk 'x\n'
	peer_wait 5
	[ "$PEER_STATUS" -eq 2 ]
	peer_said 'bad regex'
}

# FTP: passive mode.  The client reads the 227 line, dials the data port.
pasv_client() {
	timeout 10 bash -c '
		exec 5<>/dev/tcp/127.0.0.1/'"$PEER_PORT"'
		echo PASV >&5
		read -r l <&5
		echo "$l" >&2
		t=${l#*(}; t=${t%)*}
		IFS=, read -r a b c d p1 p2 <<<"$t"
		exec 6<>/dev/tcp/$a.$b.$c.$d/$((p1 * 256 + p2))
		'"$1"'
		echo QUIT >&5
		cat <&5 >/dev/null'
}

@test "data-listen, %PASV, data-accept, data-send, data-close" {
	pscript <<-'EOF'
	data-listen
	expect ^PASV$
	send 227 Entering Passive Mode (%PASV)\r\n
	data-accept
	data-send hello data\n
	data-close
	expect ^QUIT$
	EOF
	run pasv_client 'cat <&6'
	[ "$status" -eq 0 ]
	[[ "$output" == *"227 Entering Passive Mode (127,0,0,1,"* ]]
	[[ "$output" == *"hello data"* ]]
	peer_wait
	[ "$PEER_STATUS" -eq 0 ]
}

@test "%DATAPORT, %P1, %P2, %DATAADDR, %EPSV, %FOREIGN substitute" {
	pscript <<-'EOF'
	data-listen
	send %DATAPORT=%P1*256+%P2 at %DATAADDR (%EPSV) (%FOREIGN,%P1,%P2) 100%%\n
	EOF
	run talk ''
	[[ "$output" =~ ^([0-9]+)=([0-9]+)\*256\+([0-9]+)\ at\ 127\.0\.0\.1\ \(\|\|\|([0-9]+)\|\)\ \(203,0,113,9,([0-9]+),([0-9]+)\)\ 100%$ ]]
	local r=("${BASH_REMATCH[@]}")
	[ "${r[1]}" -eq $(( r[2] * 256 + r[3] )) ]
	[ "${r[4]}" -eq "${r[1]}" ]
	[ "${r[5]}" -eq "${r[2]}" ]
}

@test "%DATAPORT before data-listen is a script error" {
	pscript <<-'EOF'
	send %DATAPORT\n
	EOF
	talk '' || true
	peer_wait
	[ "$PEER_STATUS" -eq 2 ]
}

@test "data-send-fill and data-send-file" {
	printf 'from a file\n' >"$BATS_TEST_TMPDIR/f"
	pscript <<-'EOF'
	data-listen
	expect ^PASV$
	send 227 ok (%PASV)\r\n
	data-accept
	data-send-fill 70000
	data-send-file f
	data-close
	expect ^QUIT$
	EOF
	run pasv_client 'cat <&6 >"'"$BATS_TEST_TMPDIR"'/got"'
	[ "$status" -eq 0 ]
	[ "$(wc -c <"$BATS_TEST_TMPDIR/got")" -eq 70012 ]
	[ "$(tail -c 12 "$BATS_TEST_TMPDIR/got")" = "from a file" ]
}

@test "data-recv-to: an upload lands in a file in the peer's directory" {
	pscript <<-'EOF'
	data-listen
	expect ^PASV$
	send 227 ok (%PASV)\r\n
	data-accept
	data-recv-to upload.bin
	expect ^QUIT$
	EOF
	run pasv_client 'printf "up\x00load" >&6; exec 6>&-'
	[ "$status" -eq 0 ]
	peer_wait
	[ "$PEER_STATUS" -eq 0 ]
	printf 'up\x00load' | cmp - "$PEER_DIR/upload.bin"
	peer_said 'data received 7 bytes'
}

@test "data-accept: never opened by the client is a bounded failure" {
	pscript -T 0.5 <<-'EOF'
	data-listen
	data-accept
	EOF
	peer_wait 5
	[ "$PEER_STATUS" -eq 1 ]
	peer_said 'data-accept: timed out'
}

# active mode: a second fakepeer plays the client's data listener
@test "data-connect: PORT, then the peer connects back" {
	printf 'expect ^active hello$\n' >"$BATS_TEST_TMPDIR/dl.peer"
	mkdir -p "$BATS_TEST_TMPDIR/dl"
	( cd "$BATS_TEST_TMPDIR/dl" && exec "$PEER_BIN" port log ../dl.peer ) 2>"$BATS_TEST_TMPDIR/dl/err" 3>&- &
	PEER2_PID=$!
	wait_file "$BATS_TEST_TMPDIR/dl/port"
	local p=$(cat "$BATS_TEST_TMPDIR/dl/port")
	pscript <<-'EOF'
	expect ^PORT
	send 200 PORT ok\r\n
	data-connect
	data-send active hello\n
	data-close
	EOF
	run talk "PORT 127,0,0,1,$((p / 256)),$((p % 256))\r\n"
	[ "$output" = "$(printf '200 PORT ok\r')" ]
	peer_wait
	[ "$PEER_STATUS" -eq 0 ]
	wait "$PEER2_PID"
	PEER2_PID=
	grep -q '^active hello$' "$BATS_TEST_TMPDIR/dl/log"
}

@test "data-connect: EPRT |1|127.0.0.1|port|" {
	printf 'expect ^eprt$\n' >"$BATS_TEST_TMPDIR/dl.peer"
	mkdir -p "$BATS_TEST_TMPDIR/dl"
	( cd "$BATS_TEST_TMPDIR/dl" && exec "$PEER_BIN" port log ../dl.peer ) 2>/dev/null 3>&- &
	PEER2_PID=$!
	wait_file "$BATS_TEST_TMPDIR/dl/port"
	local p=$(cat "$BATS_TEST_TMPDIR/dl/port")
	pscript <<-'EOF'
	expect ^EPRT
	data-connect
	data-send eprt\n
	data-close
	send 226 done\r\n
	EOF
	run talk "EPRT |1|127.0.0.1|$p|\r\n"
	peer_wait
	[ "$PEER_STATUS" -eq 0 ]
	wait "$PEER2_PID"
	PEER2_PID=
	grep -q '^eprt$' "$BATS_TEST_TMPDIR/dl/log"
}

@test "data-connect: refuses an address that is not loopback" {
	pscript <<-'EOF'
	expect ^PORT
	data-connect
	EOF
	run talk 'PORT 192,0,2,1,4,1\r\n'
	peer_wait
	[ "$PEER_STATUS" -eq 1 ]
	peer_said 'refusing to connect to 192\.0\.2\.1'
}

@test "run_case: a case is tests/cases/ID.peer plus one line" {
	run_case RIG-01 socat -t5 - TCP:127.0.0.1:%PORT <<<'HELO rig'
	[ "$status" -eq 0 ]
	[[ "$output" == *"250 hello 127.0.0.1"* ]]
	[ "$PEER_STATUS" -eq 0 ]
	peer_log_has '^HELO rig$'
	[ "$(peer_accepts)" -eq 1 ]
}

@test "run_case: the helper reports a peer whose script failed" {
	run_case RIG-01 socat -t5 - TCP:127.0.0.1:%PORT <<<'EHLO other'
	[ "$PEER_STATUS" -eq 1 ]
	peer_said 'FAIL: expect'
}

@test "fakepeer: -a listens on another loopback address" {
	pscript -a 127.0.0.2 <<-'EOF2'
	send on %ADDR\n
	EOF2
	run timeout 10 socat -t5 -u "TCP:127.0.0.2:$PEER_PORT" STDOUT
	[ "$output" = "on 127.0.0.2" ]
	run timeout 5 socat -t1 - "TCP:127.0.0.1:$PEER_PORT" </dev/null
	[ "$status" -ne 0 ]
}

@test "send: a client that goes away mid-send makes the peer exit 3" {
	pscript <<-'EOF2'
	send-fill 100000000
	EOF2
	run timeout 10 bash -c '
		exec 5<>/dev/tcp/127.0.0.1/'"$PEER_PORT"'
		head -c 10 <&5'
	[ "$output" = abcdefghij ]
	peer_wait
	[ "$PEER_STATUS" -eq 3 ]
	peer_said 'send-fill: (Connection reset by peer|Broken pipe) after'
}

@test "expect: a line over 8 KiB is a failure, not a split" {
	pscript <<-'EOF2'
	expect ^x+$
	EOF2
	run bash -c "head -c 9000 /dev/zero | tr '\\0' x | timeout 10 socat -t2 - TCP:127.0.0.1:$PEER_PORT"
	peer_wait
	[ "$PEER_STATUS" -eq 1 ]
	peer_said 'line longer than 8192 bytes'
}

@test "data-connect: EPRT |2|::1|port| (IPv6 active mode)" {
	[ -n "$(ip -6 addr show dev lo 2>/dev/null | grep '::1')" ] || skip "no ::1 on lo"
	printf 'expect ^six$\n' >"$BATS_TEST_TMPDIR/dl.peer"
	mkdir -p "$BATS_TEST_TMPDIR/dl"
	( cd "$BATS_TEST_TMPDIR/dl" && exec "$PEER_BIN" -6 port log ../dl.peer ) 2>/dev/null 3>&- &
	PEER2_PID=$!
	wait_file "$BATS_TEST_TMPDIR/dl/port"
	local p=$(cat "$BATS_TEST_TMPDIR/dl/port")
	pscript -6 <<-'EOF2'
	expect ^EPRT
	data-connect
	data-send six\n
	data-close
	send 226 done\r\n
	EOF2
	run bash -c "printf 'EPRT |2|::1|$p|\r\n' | timeout 10 socat -t5 - TCP6:[::1]:$PEER_PORT"
	[ "$output" = "$(printf '226 done\r')" ]
	peer_wait
	[ "$PEER_STATUS" -eq 0 ]
	peer_said 'client EPRT ::1 port'
	wait "$PEER2_PID"
	PEER2_PID=
	grep -q '^six$' "$BATS_TEST_TMPDIR/dl/log"
}
