#!/usr/bin/env bats
# ftpget: command line, and interop with a real vsftpd started in a
# network namespace of our own (port 21 inside it, 127.0.0.1 and ::1).
load lib/common
load lib/peer
load lib/faults

FTPGET=${BIN}/ftpget

# --- the command line (no network) -----------------------------------------

@test "ftpget -h prints usage on stdout, exit 0" {
	run "$FTPGET" -h
	[ "$status" -eq 0 ]
	[[ "$output" == usage:* ]]
	[[ "$output" == *"--active"* ]]
}

@test "ftpget -V prints the version" {
	run "$FTPGET" -V
	[ "$status" -eq 0 ]
	[[ "$output" == "ftpget (tubes) "* ]]
}

@test "ftpget -: a stdin line too long is one bad URL (exit 2, nothing sent), never two URLs" {
	# 8,191 bytes then a URL: a reader that splits long lines sees two good URLs
	long="ftp://127.0.0.1:9/$(head -c 8173 /dev/zero | tr '\0' a)ftp://127.0.0.1:9/b"
	run "$FTPGET" -s -W 1 - <<<"$long"
	[ "$status" -eq 2 ]
	[[ "$output" == *"stdin line 1: longer than 4096 bytes"* ]]
	[[ "$output" != *"refused"* ]]
	# lines that fit are URLs, one each: both tried (port 9 refuses)
	run "$FTPGET" -s -W 1 -o /dev/null - <<<$'ftp://127.0.0.1:9/x\n\nftp://127.0.0.1:9/y'
	[ "$status" -eq 2 ]
	run "$FTPGET" -s -W 1 -O - <<<$'ftp://127.0.0.1:9/x\n\nftp://127.0.0.1:9/y'
	[ "$status" -eq 3 ]
	[ "$(grep -c 'Connection refused' <<<"$output")" -eq 2 ]
}

@test "ftpget: bad option, no URL, bad URL exit 2" {
	run "$FTPGET" --bogus ftp://127.0.0.1/x
	[ "$status" -eq 2 ]
	run "$FTPGET"
	[ "$status" -eq 2 ]
	run "$FTPGET" http://127.0.0.1/x
	[ "$status" -eq 2 ]
	run "$FTPGET" ftp://127.0.0.1:99999/x
	[ "$status" -eq 2 ]
	run "$FTPGET" -o a ftp://127.0.0.1/x ftp://127.0.0.1/y
	[ "$status" -eq 2 ]
	run "$FTPGET" -r ftp://127.0.0.1/file
	[ "$status" -eq 2 ]
}

@test "ftpget: a password in the URL is refused (secrets never on argv)" {
	run "$FTPGET" ftp://bob:secret@127.0.0.1/x
	[ "$status" -eq 2 ]
	[[ "$output" == *"password in the URL"* ]]
}

@test "FTP-10 CR/LF in a user-supplied path or user is refused before connecting" {
	run "$FTPGET" -W 1 'ftp://127.0.0.1:9/x%0d%0aDELE%20y'
	[ "$status" -eq 2 ]
	[[ "$output" == *"CR, LF"* ]]
	run "$FTPGET" -W 1 'ftp://127.0.0.1:9/x%00y'
	[ "$status" -eq 2 ]
	run "$FTPGET" -W 1 -u $'bob\r\nDELE x' ftp://127.0.0.1:9/x
	[ "$status" -eq 2 ]
	run "$FTPGET" -W 1 'ftp://a%0Ab@127.0.0.1:9/x'
	[ "$status" -eq 2 ]
}

@test "ftpget: connection refused exits 3 (and says so in -j)" {
	# port 9 on loopback: nothing listens (discard is not run here)
	run "$FTPGET" -W 2 ftp://127.0.0.1:9/x
	[ "$status" -eq 3 ]
	[[ "$output" == *"Connection refused"* ]]
	run "$FTPGET" -j -W 2 ftp://127.0.0.1:9/x/
	[ "$status" -eq 3 ]
	[[ "$output" == *'{"type":"error","url":"ftp://127.0.0.1:9/x/","error":"connection or login failed","reason":"127.0.0.1: Connection refused","exit":3}'* ]]
	[[ "$output" == *'"failed":1,"bytes":0,"tls":null,"data_tls":null,"exit":3}'* ]]
}

# --- scripted peers: the hostile cases (tests/cases/FTP-*.peer) ------------

@test "FTP-01 a 227 naming a foreign host: data goes to the control peer, with a note" {
	run_case FTP-01 "$FTPGET" -s -W 5 ftp://127.0.0.1:%PORT/f
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "$output" == *"227 reply named 203.0.113.9; connecting to the control peer 127.0.0.1 instead"* ]]
	[[ "$output" == *abcdefghijklmnopqrstuvwxyz* ]]
}

@test "FTP-02 a malformed 227 (octets over 255, too few numbers) exits 3" {
	run_case FTP-02 "$FTPGET" -s -W 5 ftp://127.0.0.1:%PORT/f
	[ "$status" -eq 3 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "$output" == *"malformed 227 reply"* ]]
	peer_log_lacks '^RETR'
	run_case FTP-02-short "$FTPGET" -s -W 5 ftp://127.0.0.1:%PORT/f
	[ "$status" -eq 3 ]
	[[ "$output" == *"malformed 227 reply"* ]]
}

@test "FTP-03 a 229 with the port out of range or bad delimiters exits 3" {
	run_case FTP-03 "$FTPGET" -s -W 5 ftp://127.0.0.1:%PORT/f
	[ "$status" -eq 3 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "$output" == *"malformed 229 reply"* ]]
	run_case FTP-03-delim "$FTPGET" -s -W 5 ftp://127.0.0.1:%PORT/f
	[ "$status" -eq 3 ]
	[[ "$output" == *"malformed 229 reply"* ]]
}

@test "FTP-04 multi-line replies (other codes inside, long, trickled); FEAT MLST -> MLSD" {
	run_case FTP-04 "$FTPGET" -W 5 ftp://127.0.0.1:%PORT/dir/
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "${lines[0]}" = $'file\t42\t2024-01-31T09:30:15Z\ta b.txt' ]
	[ "${lines[1]}" = $'dir\t-\t2023-01-01T00:00:00Z\tsub' ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "FTP-06 150 then the data closes early: exit 3, .part kept, no file" {
	run_case FTP-06 "$FTPGET" -s -W 5 -o out ftp://127.0.0.1:%PORT/f
	[ "$status" -eq 3 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "$output" == *"got 400 bytes of 1000"* ]]
	[ ! -e "$PEER_DIR/out" ]
	[ "$(stat -c %s "$PEER_DIR/.part-out")" -eq 400 ]
}

@test "FTP-06 no SIZE, fewer bytes than the 150 reply announced: exit 3" {
	run_case FTP-06-150 "$FTPGET" -s -W 5 ftp://127.0.0.1:%PORT/f
	[ "$status" -eq 3 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "$output" == *"got 400 bytes of 1000"* ]]
}

@test "FTP-06 all bytes but a 426 final reply is a failure" {
	run_case FTP-06-426 "$FTPGET" -s -W 5 -o out ftp://127.0.0.1:%PORT/f
	[ "$status" -eq 3 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "$output" == *"transfer failed: 426"* ]]
	[ ! -e "$PEER_DIR/out" ]
	[ -e "$PEER_DIR/.part-out" ]
}

@test "FTP-07 150 but no data ever: the idle timeout ends it, exit 3" {
	start=$SECONDS
	run_case FTP-07 "$FTPGET" -s -W 1 -o out ftp://127.0.0.1:%PORT/f
	[ "$status" -eq 3 ]
	[[ "$output" == *"data connection: timed out"* ]]
	[ $((SECONDS - start)) -lt 10 ]
	[ ! -e "$PEER_DIR/out" ] && [ ! -e "$PEER_DIR/.part-out" ]
}

@test "FTP-07 active mode: the server never connects, exit 3" {
	run_case FTP-07-active "$FTPGET" -s -W 1 -P ftp://127.0.0.1:%PORT/f
	[ "$status" -eq 3 ]
	[[ "$output" == *"the server never connected"* ]]
}

@test "FTP-08 421 mid-session: exit 3, no final file" {
	run_case FTP-08 "$FTPGET" -s -W 5 -o out ftp://127.0.0.1:%PORT/f
	[ "$status" -eq 3 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "$output" == *"service closing: 421"* ]]
	[ ! -e "$PEER_DIR/out" ] && [ ! -e "$PEER_DIR/.part-out" ]
}

@test "FTP-09 traversal names in MLSD: refused, nothing outside the target" {
	peer_start "$CASES/FTP-09.peer"
	mkdir "$PEER_DIR/target"
	cd "$PEER_DIR/target"
	run "$FTPGET" -s -W 5 -r "ftp://127.0.0.1:$PEER_PORT/d/"
	peer_wait 3
	[ "$status" -eq 3 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "$output" == *"refusing unsafe name from the server: ../evil"* ]]
	[[ "$output" == *"refusing unsafe name from the server: x\\x1b[2Jy"* ]]
	[ "$(ls -A "$PEER_DIR/target")" = ok.txt ]
	[ ! -e "$PEER_DIR/evil" ] && [ ! -e /tmp/abs ]
	[ "$(cat "$PEER_DIR/target/ok.txt")" = ok ]
}

@test "FTP-09 traversal names and a symlink in LIST: refused or skipped" {
	peer_start "$CASES/FTP-09-list.peer"
	mkdir "$PEER_DIR/target"
	cd "$PEER_DIR/target"
	run "$FTPGET" -s -W 5 -r "ftp://127.0.0.1:$PEER_PORT/d/"
	peer_wait 3
	[ "$status" -eq 3 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(ls -A "$PEER_DIR/target")" = ok.txt ]
	[ ! -e "$PEER_DIR/evil" ]
}

@test "FTP-12 -r: a.part before a, .a.part, a reserved .part-a, b twice, B: each file its own bytes" {
	peer_start "$CASES/FTP-12.peer"
	cd "$PEER_DIR"
	mkdir t && cd t
	echo old >a	# an existing local file of a listed name is replaced (as documented)
	run "$FTPGET" -s -W 5 --no-pipeline -r "ftp://127.0.0.1:$PEER_PORT/d/"
	peer_wait 3
	[ "$status" -eq 3 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "$output" == *"refusing reserved name from the server (.part-... is for partial files): .part-a"* ]]
	[[ "$output" == *"127.0.0.1: b: listed twice; only the first entry is fetched"* ]]
	[ "$(cat a.part)" = a.part ] && [ "$(cat a)" = a ] && [ "$(cat .a.part)" = .a.part ]
	[ "$(cat b)" = b ] && [ "$(cat B)" = B ]
	[ "$(ls -A | sort | tr '\n' ' ')" = ".a.part B a a.part b " ]
}

@test "FTP-12 -r pipelined: a.part before a, sent ahead: two files, each its own bytes" {
	run_case FTP-12-pipeline "$FTPGET" -s -W 5 -r ftp://127.0.0.1:%PORT/d/
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(cat "$PEER_DIR/a.part")" = a.part ] && [ "$(cat "$PEER_DIR/a")" = a ]
	[ "$(cat "$PEER_DIR/c")" = c ]
	[ -z "$(find "$PEER_DIR" -name '.part-*')" ]
}

@test "FTP-13 -o or -O naming a file in the partial-file name space: exit 2, no connection" {
	peer_start "$CASES/FTP-12-pipeline.peer"
	cd "$PEER_DIR"
	run "$FTPGET" -s -W 5 -o .part-x "ftp://127.0.0.1:$PEER_PORT/d/a"
	[ "$status" -eq 2 ]
	[[ "$output" == *"-o .part-x: a name of the form .part-... is reserved for partial files"* ]]
	run "$FTPGET" -s -W 5 -O "ftp://127.0.0.1:$PEER_PORT/d/.part-a"
	[ "$status" -eq 2 ]
	[[ "$output" == *".part-... is for partial files"* ]]
	peer_stop
	[ "$(peer_accepts)" -eq 0 ]
	[ ! -e .part-x ] && [ ! -e .part-a ]
}

@test "FTP-11 a reply with no command outstanding is a protocol error" {
	run_case FTP-11 "$FTPGET" -s -W 5 -o out ftp://127.0.0.1:%PORT/f
	[ "$status" -eq 3 ]
	[[ "$output" == *"reply with no command outstanding: 200"* ]]
	peer_log_lacks '^TYPE'
	[ ! -e "$PEER_DIR/out" ]
}

@test "-r pipelining: the next files' commands go before their replies; replies several to a segment" {
	run_case FTP-pipeline "$FTPGET" -s -W 5 -r ftp://127.0.0.1:%PORT/d/
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(cat "$PEER_DIR/a" "$PEER_DIR/b" "$PEER_DIR/c" "$PEER_DIR/d")" = $'a\nbb\nccc\ndddd' ]
	[ "$(stat -c %Y "$PEER_DIR/c")" -eq "$(date -u -d '2021-02-02 00:00:00' +%s)" ]
	[ -z "$(find "$PEER_DIR" -name '.part-*')" ]
	# the three files' commands came in one write, after the first file's 226
	[ "$(tr -d '\r' <"$PEER_LOG" | tail -n 7 | head -n 6 | tr '\n' ' ')" = "EPSV RETR d/b EPSV RETR d/c EPSV RETR d/d " ]
}

@test "-r pipelining: replies trickled one byte at a time" {
	run_case FTP-pipeline-trickle "$FTPGET" -s -W 5 -r ftp://127.0.0.1:%PORT/d/
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(cat "$PEER_DIR/a" "$PEER_DIR/b" "$PEER_DIR/c" "$PEER_DIR/d")" = $'a\nbb\nccc\ndddd' ]
	[ -z "$(find "$PEER_DIR" -name '.part-*')" ]
}

@test "-r pipelining: a 550 in the middle fails that file alone (exit 1), the rest come" {
	run_case FTP-pipeline-550 "$FTPGET" -s -W 5 -r ftp://127.0.0.1:%PORT/d/
	[ "$status" -eq 1 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "$output" == *"d/b: 550 Failed to open file."* ]]
	[ "$(cat "$PEER_DIR/a" "$PEER_DIR/c" "$PEER_DIR/d")" = $'a\nccc\ndddd' ]
	[ ! -e "$PEER_DIR/b" ] && [ ! -e "$PEER_DIR/.part-b" ]
}

@test "FTP-08 421 while pipelining: exit 3, the files sent ahead fail, no file nor .part for them" {
	run_case FTP-08-pipeline "$FTPGET" -j -W 5 -r ftp://127.0.0.1:%PORT/d/
	[ "$status" -eq 3 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "$output" == *"service closing: 421 Timeout."* ]]
	# c and d were sent ahead: the 421 answers c (1 file left in flight),
	# or is read early with b's 226 (2)
	[[ "$output" == *" in flight not fetched"* ]]
	[ "$(cat "$PEER_DIR/a" "$PEER_DIR/b")" = $'a\nbb' ]
	[ ! -e "$PEER_DIR/c" ] && [ ! -e "$PEER_DIR/d" ]
	[ -z "$(find "$PEER_DIR" -name '.part-*')" ]
	[ "$(grep '"type":"summary"' <<<"$output" | jq -c '[.transfers, .failed, .exit]')" = '[2,2,3]' ]
}

@test "FTP-11 an extra reply while pipelining: exit 3, nothing taken for the wrong file" {
	run_case FTP-11-pipeline "$FTPGET" -s -W 5 -r ftp://127.0.0.1:%PORT/d/
	[ "$status" -eq 3 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "$output" == *"EPSV: 226 done again"* ]]
	[ "$(cat "$PEER_DIR/a" "$PEER_DIR/b")" = $'a\nbb' ]
	[ ! -e "$PEER_DIR/c" ] && [ ! -e "$PEER_DIR/d" ]
	[ -z "$(find "$PEER_DIR" -name '.part-*')" ]
}

@test "EPSV data port dropped by a firewall: PASV after 3 s, the file comes (exit 0)" {
	[ "$(id -u)" = 0 ] || skip "needs root (a network namespace with a firewall rule)"
	command -v nft >/dev/null 2>&1 || skip "nft not installed"
	DROP_NS="tb-ftpdrop-$$-$BATS_TEST_NUMBER"
	ip netns add "$DROP_NS" || skip "ip netns not available"
	ip -n "$DROP_NS" link set lo up
	ip netns exec "$DROP_NS" nft -f - <<-'EOF'
		table inet tbdrop {
			chain in {
				type filter hook input priority 0;
				tcp dport 40009 drop
			}
		}
	EOF
	local s e
	s=$(date +%s%N)
	local PEER_NS=$DROP_NS PEER_OPTS=(-a 127.0.0.1)
	run_case FTP-epsv-dropped ip netns exec "$DROP_NS" "$FTPGET" -W 10 ftp://127.0.0.1:%PORT/f
	e=$(date +%s%N)
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "$output" == *"no answer on the EPSV data port 40009 in 3 s"*"trying PASV"* ]]
	[ "${lines[-1]}" = hello ]
	# the 3 s probe, not the 10 s idle timeout
	[ "${VALGRIND:-}" = 1 ] || [ $(((e - s) / 1000000)) -lt 8000 ]
}

@test "a server that never answers QUIT: exit 0 after at most 2 s more, nothing said about it" {
	# 2 s for the goodbye, not the 20 s idle timeout: timeout(1) ends a
	# client that waits longer (status 124)
	local lim=3.5
	[ "${VALGRIND:-}" != 1 ] || lim=30
	run_case FTP-quit-silent timeout "$lim" "$FTPGET" -W 20 ftp://127.0.0.1:%PORT/f
	[ "$status" -eq 0 ]
	[ "$output" = hello ]
	peer_log_has '^QUIT'
}

@test "one round trip a file: TYPE, SIZE and MDTM together; then SIZE, MDTM, EPSV and RETR together; a 550 fails that URL alone (exit 1)" {
	run_case FTP-ahead "$FTPGET" -W 5 -O ftp://127.0.0.1:%PORT/f ftp://127.0.0.1:%PORT/g \
	    ftp://127.0.0.1:%PORT/h
	[ "$status" -eq 1 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(cat "$PEER_DIR/f")" = hello ] && [ "$(cat "$PEER_DIR/h")" = hey ]
	[ "$(stat -c %Y "$PEER_DIR/f")" -eq "$(date -u -d '2021-02-03 04:05:06' +%s)" ]
	[ "$(stat -c %Y "$PEER_DIR/h")" -eq "$(date -u -d '2022-03-04 05:06:07' +%s)" ]
	[[ "$output" == *"g: 550 no such file"* ]]
	[ ! -e "$PEER_DIR/g" ] && [ -z "$(find "$PEER_DIR" -name '.part-*')" ]
	# the script answers only after the whole batch came (a client that
	# waits times out: next test)
	[ "$(tr -d '\r' <"$PEER_LOG" | sed -n '/^SIZE h$/,/^RETR h$/p' | tr '\n' ' ')" = "SIZE h MDTM h EPSV RETR h " ]
}

@test "one file, --no-pipeline: TYPE waits for its reply (so the one-round-trip script waits in vain)" {
	run_case FTP-ahead "$FTPGET" -s -W 1 --no-pipeline -O ftp://127.0.0.1:%PORT/f
	[ "$status" -eq 3 ]
	[[ "$output" == *"timed out"* ]]
	[ ! -e "$PEER_DIR/f" ] && [ ! -e "$PEER_DIR/.part-f" ]
	[ "$(tr -d '\r' <"$PEER_LOG" | tail -n 1)" = "TYPE I" ]
}

@test "-r --no-pipeline: one file's commands at a time (so the pipelining script waits in vain)" {
	# the peer answers b only after c's and d's commands came: a client
	# that waits for b's replies first times out (-W 1)
	run_case FTP-pipeline "$FTPGET" -s -W 1 --no-pipeline -r ftp://127.0.0.1:%PORT/d/
	[ "$status" -eq 3 ]
	[[ "$output" == *"timed out"* ]]
	[ "$(cat "$PEER_DIR/a")" = a ]
	[ ! -e "$PEER_DIR/b" ] && [ ! -e "$PEER_DIR/.part-b" ]
	[ "$(tr -d '\r' <"$PEER_LOG" | tail -n 2 | tr '\n' ' ')" = "RETR d/a EPSV " ]
}

@test "fake peer: several URLs share one connection and one login" {
	run_case FTP-shared "$FTPGET" -s -W 5 ftp://127.0.0.1:%PORT/a ftp://127.0.0.1:%PORT/b
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$output" = $'aa\nbb' ]
	[ "$(peer_accepts)" -eq 1 ]
}

@test "fake peer: active mode falls back from EPRT to PORT" {
	run_case FTP-active "$FTPGET" -s -W 5 -P ftp://127.0.0.1:%PORT/f
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$output" = hello ]
}

@test "active mode accepts the data connection only from the server's address" {
	need_cmd socat
	peer_start "$CASES/FTP-active-foreign.peer"
	cd "$PEER_DIR"
	"$FTPGET" -s -W 5 -P "ftp://127.0.0.1:$PEER_PORT/f" >out 2>err &
	local cpid=$! i port
	for ((i = 0; i < 250; i++)); do
		grep -q '^EPRT' "$PEER_LOG" 2>/dev/null && break
		sleep 0.02
	done
	port=$(sed -n 's/^EPRT |1|127\.0\.0\.1|\([0-9]*\)|.*/\1/p' "$PEER_LOG")
	[ -n "$port" ]
	socat -u OPEN:/dev/null "TCP:127.0.0.1:$port,bind=127.0.0.2" || true
	wait "$cpid" && status=0 || status=$?
	peer_wait 3
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(cat out)" = hello ]
	grep -q 'refused a data connection from 127.0.0.2' err
}

@test "SIGINT mid-transfer: .part kept, summary printed, exit 3" {
	peer_start "$CASES/FTP-sigint.peer"
	cd "$PEER_DIR"
	"$FTPGET" -j -W 10 -o out "ftp://127.0.0.1:$PEER_PORT/f" >json 2>err &
	local cpid=$! i
	for ((i = 0; i < 250; i++)); do
		[ "$(stat -c %s .part-out 2>/dev/null)" = 100 ] && break
		sleep 0.02
	done
	kill -INT "$cpid"
	wait "$cpid" && status=0 || status=$?
	[ "$status" -eq 3 ]
	[ "$(stat -c %s .part-out)" -eq 100 ]
	[ ! -e out ]
	[ "$(tail -n1 json | jq -c '[.type, .exit]')" = '["summary",3]' ]
	grep -q '"type":"error"' json
}

@test "FTP-15 a control reply trickled a byte at a time ends at -W for the whole reply (exit 3, a stderr line)" {
	SECONDS=0
	run_case FTP-15 "$FTPGET" -j -W 1 -o out ftp://127.0.0.1:%PORT/f
	[ "$status" -eq 3 ]
	[ "$SECONDS" -le "$([ "${VALGRIND:-}" = 1 ] && echo 8 || echo 3)" ]
	[[ "$output" == *"127.0.0.1: greeting: timed out (no whole reply within 1 s)"* ]]
	[[ "$output" == *'"reason":"127.0.0.1: greeting: timed out (no whole reply within 1 s)"'* ]]
}

@test "FTP-15 a reply of 3,000 continuation lines is cut at 1000 (exit 3), not read forever" {
	run_case FTP-15-lines "$FTPGET" -W 5 -o out ftp://127.0.0.1:%PORT/f
	[ "$status" -eq 3 ]
	[[ "$output" == *"127.0.0.1: PASS: malformed reply (too long, or too many lines)"* ]]
	peer_log_lacks '^TYPE'
}

@test "FTP-15 a data connection that trickles for longer than -W is a slow download: it completes (exit 0)" {
	SECONDS=0
	run_case FTP-15-data "$FTPGET" -s -W 1 -o out ftp://127.0.0.1:%PORT/f
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$SECONDS" -ge 2 ]
	[ "$(cat "$PEER_DIR/out")" = abcdefghijklmnopqrst ]
}

@test "FTP-16 CR or LF in the password (environment or netrc), the user or the path: exit 2, no connection" {
	peer_start "$CASES/FTP-login.peer"
	cd "$PEER_DIR"
	FTPGET_PASSWORD=$'pw\r\nDELE x' run "$FTPGET" -s -W 5 "ftp://bob@127.0.0.1:$PEER_PORT/f"
	[ "$status" -eq 2 ]
	[[ "$output" == *"127.0.0.1: password for bob: the password holds a CR, LF or NUL byte"* ]]
	# a quoted netrc password may hold escapes: "\r\n" there is a CR LF
	printf 'machine 127.0.0.1 login bob password "pw\\r\\nDELE"\n' >netrc && chmod 600 netrc
	NETRC=$PWD/netrc run "$FTPGET" -s -W 5 -u bob "ftp://127.0.0.1:$PEER_PORT/f"
	[ "$status" -eq 2 ]
	[[ "$output" == *"127.0.0.1: password for bob: the password holds a CR, LF or NUL byte"* ]]
	run "$FTPGET" -s -W 5 -u $'bob\r\nDELE x' "ftp://127.0.0.1:$PEER_PORT/f"
	[ "$status" -eq 2 ]
	run "$FTPGET" -s -W 5 "ftp://127.0.0.1:$PEER_PORT/f%0d%0aDELE%20x"
	[ "$status" -eq 2 ]
	peer_stop
	[ "$(peer_accepts)" -eq 0 ]
}

@test "X-20 FTPGET_PASSWORD is not in /proc/PID/environ while ftpget waits for the server (a control variable is)" {
	load lib/held
	export FTPGET_PASSWORD=s3cr3t-X20 X20_CONTROL=visible-X20
	held_start "$CASES/X-20.peer" "$FTPGET" -s -W 10 -o out ftp://bob@127.0.0.1:%PORT/f
	held_wait_peer 'accepted connection 1'
	[[ "$(cat /proc/$HELD_PID/comm)" != memcheck* ]] ||
		skip "valgrind keeps its own copy of the environment block"
	environ_has "$HELD_PID" visible-X20
	environ_lacks "$HELD_PID" s3cr3t-X20
}

# start ftpget in the background on a peer, wait until cond holds, send
# sig, and time the exit: sets status, ms (from the signal to the exit)
sig_run() {
	local sig=$1 cond=$2 i t0
	shift 2
	"$FTPGET" "$@" >json 2>err &
	local cpid=$!
	for ((i = 0; i < 250; i++)); do
		eval "$cond" && break
		sleep 0.02
	done
	t0=$(date +%s%N)
	kill "-$sig" "$cpid"
	wait "$cpid" && status=0 || status=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	echo "exit $status after ${ms} ms" >&2
}

@test "FTP-14 SIGINT, SIGTERM, SIGHUP mid-download (trickling): out within 1 s, .part- kept, never renamed, -j summary, exit 3" {
	local sig
	for sig in INT TERM HUP; do
		peer_start "$CASES/FTP-14.peer"
		cd "$PEER_DIR"
		sig_run "$sig" '[ "$(stat -c %s .part-out 2>/dev/null || echo 0)" -ge 10 ]' \
		    -j -W 10 -o out "ftp://127.0.0.1:$PEER_PORT/f"
		[ "$status" -eq 3 ]
		[ "$ms" -lt "$([ "${VALGRIND:-}" = 1 ] && echo 5000 || echo 1000)" ]
		[ ! -e out ]
		[ "$(stat -c %s .part-out)" -ge 10 ] && [ "$(stat -c %s .part-out)" -lt 1000 ]
		grep -q 'data connection: interrupted' err
		[ "$(tail -n1 json | jq -c '[.type, .failed, .exit]')" = '["summary",1,3]' ]
		[ "$(jq -r 'select(.type == "error") | .reason' json)" = "127.0.0.1: data connection: interrupted" ]
		peer_wait 3
	done
}

@test "FTP-14 a signal while a control reply trickles: out within 1 s, a stderr line, summary, exit 3" {
	peer_start "$CASES/FTP-14-ctl.peer"
	cd "$PEER_DIR"
	sig_run TERM 'grep -q "^PASS" "$PEER_LOG"' -j -W 10 -o out "ftp://127.0.0.1:$PEER_PORT/f"
	[ "$status" -eq 3 ]
	[ "$ms" -lt "$([ "${VALGRIND:-}" = 1 ] && echo 5000 || echo 1000)" ]
	grep -q '127.0.0.1: PASS: interrupted' err
	[ "$(tail -n1 json | jq -c '[.type, .exit]')" = '["summary",3]' ]
	[ -z "$(ls -A | grep -v '^peer\.\|^port$\|^json$\|^err$')" ]
}

@test "fake peer: user from the URL, password from FTPGET_PASSWORD, masked in -v" {
	FTPGET_PASSWORD=s3cret run_case FTP-login "$FTPGET" -s -v -W 5 ftp://bob@127.0.0.1:%PORT/f
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "$output" == *"C: PASS ****"* ]]
	[[ "$output" != *s3cret* ]]
}

@test "fake peer: -u and --password-file; a file readable by others is refused before connecting" {
	printf 's3cret\n' >"$BATS_TEST_TMPDIR/pw"
	chmod 644 "$BATS_TEST_TMPDIR/pw"
	peer_start "$CASES/FTP-pwfile.peer"
	run "$FTPGET" -s -W 5 -u bob --password-file "$BATS_TEST_TMPDIR/pw" "ftp://127.0.0.1:$PEER_PORT/f"
	[ "$status" -eq 2 ]
	[[ "$output" == *"readable by others"* ]]
	# found before the first packet: the server saw no connection
	peer_stop
	[ "$(peer_accepts)" -eq 0 ]
	chmod 600 "$BATS_TEST_TMPDIR/pw"
	run_case FTP-login "$FTPGET" -s -W 5 -u bob --password-file "$BATS_TEST_TMPDIR/pw" ftp://127.0.0.1:%PORT/f
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$output" = ok ]
}

@test "fake peer: 530 login refused exits 1" {
	FTPGET_PASSWORD=x run_case FTP-530 "$FTPGET" -s -W 5 ftp://bob@127.0.0.1:%PORT/f
	[ "$status" -eq 1 ]
	[[ "$output" == *"login refused: 530"* ]]
}

@test "fake peer: upload with STOR" {
	head -c 70000 /dev/urandom >"$BATS_TEST_TMPDIR/up.bin"
	run_case FTP-upload "$FTPGET" -s -W 5 -T "$BATS_TEST_TMPDIR/up.bin" ftp://127.0.0.1:%PORT/in/up.bin
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	cmp "$BATS_TEST_TMPDIR/up.bin" "$PEER_DIR/got.bin"
}

# the meter draws only on a terminal: script(1) gives ftpget one on stdin,
# stdout and stderr, and copies what it draws to its own stdout
@test "upload progress meter on a terminal: the download meter (name, share, bytes, rate, final frame); none with -s or without a terminal" {
	command -v script >/dev/null 2>&1 || skip "script (util-linux) not installed"
	head -c 70000 /dev/urandom >"$BATS_TEST_TMPDIR/up.bin"
	run_case FTP-upload script -qefc "$FTPGET -W 5 -T $BATS_TEST_TMPDIR/up.bin ftp://127.0.0.1:%PORT/in/up.bin" /dev/null
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	cmp "$BATS_TEST_TMPDIR/up.bin" "$PEER_DIR/got.bin"
	# the last frame: the whole file (70000 bytes = 68.4 KiB), 100%, the mean rate, the time taken
	[[ "$output" =~ up\.bin\ \ 100%\ \ 68\.4\ KiB\ \ [0-9.]+\ [KMG]?i?B/s\ \ 0:0[0-9]\ total ]]
	run_case FTP-upload script -qefc "$FTPGET -s -W 5 -T $BATS_TEST_TMPDIR/up.bin ftp://127.0.0.1:%PORT/in/up.bin" /dev/null
	[ "$status" -eq 0 ]
	[[ "$output" != *"up.bin"* && "$output" != *"%"* ]]
	# a terminal on stdout alone: stderr (a file) gets no meter
	run_case FTP-upload script -qefc "$FTPGET -W 5 -T $BATS_TEST_TMPDIR/up.bin ftp://127.0.0.1:%PORT/in/up.bin 2>$BATS_TEST_TMPDIR/err" /dev/null
	[ "$status" -eq 0 ]
	[ ! -s "$BATS_TEST_TMPDIR/err" ]
}

@test "upload -C: SIZE, then APPE from that byte; the meter starts at the server's bytes and ends at 100%" {
	command -v script >/dev/null 2>&1 || skip "script (util-linux) not installed"
	head -c 70000 /dev/urandom >"$BATS_TEST_TMPDIR/up.bin"
	run_case FTP-upload-resume script -qefc "$FTPGET -C -W 5 -T $BATS_TEST_TMPDIR/up.bin ftp://127.0.0.1:%PORT/in/up.bin" /dev/null
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	tail -c +30001 "$BATS_TEST_TMPDIR/up.bin" | cmp - "$PEER_DIR/got.bin"
	[[ "$output" =~ up\.bin\ \ 100%\ \ 68\.4\ KiB\ \ [0-9.]+\ [KMG]?i?B/s\ \ 0:0[0-9]\ total ]]
}

# --- interop with vsftpd ---------------------------------------------------------

vsftpd_up() {
	[ "$(id -u)" = 0 ] || return 1
	command -v vsftpd >/dev/null 2>&1 || return 1
	[ -n "${FTP_NS:-}" ]
}

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	command -v vsftpd >/dev/null 2>&1 || return 0
	ip netns list >/dev/null 2>&1 || return 0
	export FTP_NS="tb-ftp-$$-$RANDOM"
	export FTP_DIR="$BATS_FILE_TMPDIR/ftp"
	local root="$FTP_DIR/root"
	mkdir -p "$root/pub/tree/a/b" "$root/incoming" "$FTP_DIR/empty"
	chmod 777 "$root/incoming"
	echo hello >"$root/pub/hello.txt"
	printf 'line one\r\nline two\r\n' >"$root/pub/dos.txt"
	head -c 67108864 /dev/urandom >"$root/pub/big.bin"
	echo 1 >"$root/pub/tree/one.txt"
	echo 2 >"$root/pub/tree/a/two.txt"
	head -c 5000 /dev/urandom >"$root/pub/tree/a/b/three.bin"
	local i
	mkdir -p "$root/pub/many"
	for ((i = 0; i < 40; i++)); do echo "file $i" >"$root/pub/many/f$i.txt"; done
	# 4,000 symbolic links: -r lists them all and fetches none
	mkdir -p "$root/mem/links" "$root/mem/one"
	(cd "$root/mem/links" && seq -f 'link-%04g' 4000 | xargs ln -s -t .)
	echo 1 >"$root/mem/one/only.txt"
	mkdir -p "$root/deny"
	for ((i = 0; i < 12; i++)); do echo "file $i" >"$root/deny/f$i.txt"; done
	mkdir -p "$root/slow"
	for ((i = 0; i < 8; i++)); do head -c 1048576 /dev/urandom >"$root/slow/f$i.bin"; done
	echo no >"$root/deny/secret.denied"
	touch -d '2021-03-04 05:06:07 UTC' "$root/pub/hello.txt"
	cat >"$FTP_DIR/vsftpd.conf" <<EOF
listen=NO
listen_ipv6=YES
background=NO
anonymous_enable=YES
anon_root=$root
local_enable=NO
write_enable=YES
anon_upload_enable=YES
anon_mkdir_write_enable=YES
anon_other_write_enable=YES
anon_umask=022
pasv_enable=YES
port_enable=YES
connect_from_port_20=NO
seccomp_sandbox=NO
run_as_launching_user=YES
secure_chroot_dir=$FTP_DIR/empty
xferlog_enable=NO
syslog_enable=NO
vsftpd_log_file=$FTP_DIR/vsftpd.log
hide_ids=NO
deny_file={*.denied}
EOF
	ip netns add "$FTP_NS"
	ip -n "$FTP_NS" link set lo up
	ip netns exec "$FTP_NS" vsftpd "$FTP_DIR/vsftpd.conf" </dev/null >/dev/null 2>&1 &
	echo $! >"$FTP_DIR/pid"
	local i
	for ((i = 0; i < 250; i++)); do
		[ -n "$(ip netns exec "$FTP_NS" ss -ltnH 'sport = :21' 2>/dev/null)" ] && return 0
		sleep 0.02
	done
	echo "vsftpd did not start" >&2
	return 1
}

teardown_file() {
	[ -n "${FTP_NS:-}" ] || return 0
	[ -s "$FTP_DIR/pid" ] && kill "$(cat "$FTP_DIR/pid")" 2>/dev/null
	ip netns delete "$FTP_NS" 2>/dev/null || true
}

setup() {
	if [[ "$BATS_TEST_DESCRIPTION" == vsftpd* ]]; then
		[ "$(id -u)" = 0 ] || skip "needs root (a network namespace for vsftpd)"
		command -v vsftpd >/dev/null 2>&1 || skip "vsftpd not installed"
		vsftpd_up || skip "ip netns not available"
		cd "$BATS_TEST_TMPDIR"
	fi
}

teardown() {
	if declare -F held_stop >/dev/null; then held_stop || true; fi
	peer_stop || true
	if [ -n "${DROP_NS:-}" ]; then
		ip netns delete "$DROP_NS" 2>/dev/null
		DROP_NS=
	fi
}

# run a command inside the namespace
ns() { ip netns exec "$FTP_NS" "$@"; }

@test "vsftpd: passive IPv4 file to stdout" {
	run ns "$FTPGET" -s -W 5 ftp://127.0.0.1/pub/hello.txt
	[ "$status" -eq 0 ]
	[ "$output" = hello ]
}

@test "vsftpd: 64 MiB file by sha256 to a file, MDTM sets the mtime, no .part left" {
	run ns "$FTPGET" -s -W 10 -o big.bin ftp://127.0.0.1/pub/big.bin
	[ "$status" -eq 0 ]
	[ "$(sha256sum <big.bin | cut -d' ' -f1)" = "$(sha256sum <"$FTP_DIR/root/pub/big.bin" | cut -d' ' -f1)" ]
	[ ! -e .part-big.bin ]
	[ "$(stat -c %Y big.bin)" = "$(stat -c %Y "$FTP_DIR/root/pub/big.bin")" ]
	run ns "$FTPGET" -s -W 5 -O ftp://127.0.0.1/pub/hello.txt
	[ "$status" -eq 0 ]
	[ "$(stat -c %Y hello.txt)" = "$(date -d '2021-03-04 05:06:07 UTC' +%s)" ]
}

@test "vsftpd: 64 MiB file through a pipe" {
	got=$(ns "$FTPGET" -s -W 10 ftp://127.0.0.1/pub/big.bin | sha256sum | cut -d' ' -f1)
	[ "$got" = "$(sha256sum <"$FTP_DIR/root/pub/big.bin" | cut -d' ' -f1)" ]
}

@test "vsftpd: IPv6 passive uses EPSV" {
	run ns "$FTPGET" -s -v -W 5 -6 'ftp://[::1]/pub/hello.txt'
	[ "$status" -eq 0 ]
	[[ "$output" == *"C: EPSV"* ]]
	[[ "$output" == *hello* ]]
}

@test "vsftpd: --no-epsv uses PASV" {
	run ns "$FTPGET" -s -v -W 5 --no-epsv ftp://127.0.0.1/pub/hello.txt
	[ "$status" -eq 0 ]
	[[ "$output" == *"C: PASV"* ]]
	[[ "$output" != *"C: EPSV"* ]]
}

@test "vsftpd: active IPv4 with EPRT, and PORT with --no-epsv" {
	run ns "$FTPGET" -s -v -W 5 -P ftp://127.0.0.1/pub/hello.txt
	[ "$status" -eq 0 ]
	[[ "$output" == *"C: EPRT |1|127.0.0.1|"* ]]
	[[ "$output" == *hello* ]]
	run ns "$FTPGET" -s -v -W 5 --active --no-epsv ftp://127.0.0.1/pub/hello.txt
	[ "$status" -eq 0 ]
	[[ "$output" == *"C: PORT 127,0,0,1,"* ]]
}

@test "vsftpd: active IPv6 with EPRT, 64 MiB by sha256" {
	got=$(ns "$FTPGET" -s -W 10 -P 'ftp://[::1]/pub/big.bin' | sha256sum | cut -d' ' -f1)
	[ "$got" = "$(sha256sum <"$FTP_DIR/root/pub/big.bin" | cut -d' ' -f1)" ]
	run ns "$FTPGET" -s -v -W 5 -P 'ftp://[::1]/pub/hello.txt'
	[[ "$output" == *"C: EPRT |2|::1|"* ]]
}

@test "a directory that does not exist, listed empty by the server: exit 1 with a message; an empty one that exists: exit 0" {
	run_case FTP-nodir "$FTPGET" -s -W 5 -j ftp://127.0.0.1:%PORT/nosuch/
	[ "$status" -eq 1 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "$output" == *"127.0.0.1: nosuch: 550 Failed to change directory."* ]]
	[ "$(tail -n1 <<<"$output" | jq -c '[.type, .failed, .exit]')" = '["summary",1,1]' ]
	run_case FTP-emptydir "$FTPGET" -s -W 5 ftp://127.0.0.1:%PORT/empty/
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ -z "$output" ]
}

@test "vsftpd: a directory that does not exist exits 1 (listing, and -r), with a message" {
	run ns "$FTPGET" -W 5 ftp://127.0.0.1/pub/nosuch/
	[ "$status" -eq 1 ]
	[[ "$output" == *"127.0.0.1: pub/nosuch: 550 "* ]]
	run ns "$FTPGET" -s -W 5 -r ftp://127.0.0.1/pub/nosuch/
	[ "$status" -eq 1 ]
	[ -z "$(ls -A)" ]
}

@test "vsftpd: directory listing as type, size, mtime, name" {
	run ns "$FTPGET" -W 5 ftp://127.0.0.1/pub/
	[ "$status" -eq 0 ]
	[[ "$output" == *$'file\t6\t2021-03-04T00:00:00Z\thello.txt'* ]]
	[[ "$output" == *$'file\t67108864\t'*$'\tbig.bin'* ]]
	[[ "$output" == *$'dir\t-\t'*$'\ttree'* ]]
	[ "${#lines[@]}" -eq 5 ]
}

@test "vsftpd: -l raw LIST lines, -L bare names" {
	run ns "$FTPGET" -W 5 -l ftp://127.0.0.1/pub/
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == [-d]r* ]]
	run ns "$FTPGET" -W 5 -L ftp://127.0.0.1/pub/
	[ "$status" -eq 0 ]
	[[ "$output" == *pub/hello.txt* ]]
	run ns "$FTPGET" -j -W 5 -L ftp://127.0.0.1/pub/
	[ "$status" -eq 0 ]
	jq -e 'select(.type == "name") | .text' <<<"$output" | grep -q pub/hello.txt
	[ "$(jq -r .type <<<"${lines[-1]}")" = summary ]
	run ns "$FTPGET" -s -W 5 -o - ftp://127.0.0.1/pub/hello.txt
	[ "$output" = hello ]
}

@test "vsftpd: 40 URLs with -O, one round trip a file after the first: every file whole, mtimes set" {
	local urls=() i
	for ((i = 0; i < 40; i++)); do urls+=("ftp://127.0.0.1/pub/many/f$i.txt"); done
	run ns "$FTPGET" -v -W 5 -O "${urls[@]}"
	[ "$status" -eq 0 ]
	diff -r . "$FTP_DIR/root/pub/many"
	[ "$(stat -c %Y f7.txt)" -eq "$(stat -c %Y "$FTP_DIR/root/pub/many/f7.txt")" ]
	[ "$(grep -c '^C: USER' <<<"$output")" -eq 1 ]
	# from the second file on, RETR goes before the 229 comes back
	[ "$(grep -E '^(C: RETR|S: 229)' <<<"$output" | sed -n 3,4p | awk '{ printf "%s%s ", $1, $2 }')" = "C:RETR S:229 " ]
}

@test "vsftpd: a .part in the way of a URL sent ahead: exit 2 for it, a new login for the rest" {
	echo mine >.part-f3.txt
	run ns "$FTPGET" -v -W 5 -O ftp://127.0.0.1/pub/many/f{1,2,3,4,5}.txt
	[ "$status" -eq 2 ]
	[[ "$output" == *".part-f3.txt: File exists"* ]]
	[ "$(cat .part-f3.txt)" = mine ] && [ ! -e f3.txt ]
	for i in 1 2 4 5; do cmp "f$i.txt" "$FTP_DIR/root/pub/many/f$i.txt"; done
	# its EPSV and RETR were sent: that session is dropped, the next logs in again
	[ "$(grep -c '^C: USER' <<<"$output")" -eq 2 ]
}

@test "vsftpd: several URLs on one host share one control connection" {
	run ns "$FTPGET" -s -v -W 5 ftp://127.0.0.1/pub/hello.txt ftp://127.0.0.1/pub/tree/one.txt ftp://127.0.0.1/pub/
	[ "$status" -eq 0 ]
	[ "$(grep -c '^C: USER' <<<"$output")" -eq 1 ]
	[ "$(grep -c '^C: RETR' <<<"$output")" -eq 2 ]
	[ "$(grep -c '^C: LIST' <<<"$output")" -eq 1 ]
}

@test "vsftpd: ASCII mode turns CR LF into LF" {
	run ns "$FTPGET" -s -a -W 5 ftp://127.0.0.1/pub/dos.txt
	[ "$status" -eq 0 ]
	[ "$output" = $'line one\nline two' ]
	[ "$(ns "$FTPGET" -s -a -W 5 ftp://127.0.0.1/pub/dos.txt | od -c | grep -c '\\r')" -eq 0 ]
}

@test "vsftpd: resume after an interrupted transfer (-C: REST from the .part)" {
	head -c 12345678 "$FTP_DIR/root/pub/big.bin" >.part-big.bin
	run ns "$FTPGET" -s -W 5 -O ftp://127.0.0.1/pub/big.bin
	[ "$status" -eq 2 ]
	[[ "$output" == *"use -C"* ]]
	run ns "$FTPGET" -s -v -W 10 -C -O ftp://127.0.0.1/pub/big.bin
	[ "$status" -eq 0 ]
	[[ "$output" == *"C: REST 12345678"* ]]
	cmp big.bin "$FTP_DIR/root/pub/big.bin"
	[ ! -e .part-big.bin ]
}

@test "vsftpd: a deadline mid-transfer keeps the .part and exits 3" {
	run ns "$FTPGET" -s -W 5 -w 0.001 -O ftp://127.0.0.1/pub/big.bin
	[ "$status" -eq 3 ]
	[ ! -e big.bin ]
}

@test "vsftpd: -o to a FIFO or a device writes into it; no .part, nothing renamed over it" {
	mkfifo fifo
	cat fifo >got &
	local cpid=$!
	run ns "$FTPGET" -s -W 5 -o fifo ftp://127.0.0.1/pub/hello.txt
	wait "$cpid"
	[ "$status" -eq 0 ]
	[ -p fifo ]
	[ ! -e .part-fifo ]
	[ "$(cat got)" = hello ]
	# the same for a character device (a copy of /dev/null's, not the real one)
	mknod null c 1 3
	run ns "$FTPGET" -s -W 5 -o null ftp://127.0.0.1/pub/hello.txt
	[ "$status" -eq 0 ]
	[ -c null ]
	[ ! -e .part-null ]
	run ns "$FTPGET" -s -W 5 -C -o null ftp://127.0.0.1/pub/hello.txt
	[ "$status" -eq 2 ]
	[[ "$output" == *"-C: null is not a regular file"* ]]
}

@test "vsftpd: upload into the writable directory, then append with -C" {
	head -c 300000 /dev/urandom >up.bin
	run ns "$FTPGET" -s -W 5 -T up.bin ftp://127.0.0.1/incoming/
	[ "$status" -eq 0 ]
	cmp up.bin "$FTP_DIR/root/incoming/up.bin"
	head -c 100000 up.bin >"$FTP_DIR/root/incoming/part.bin"
	run ns "$FTPGET" -s -v -W 5 -C -T up.bin ftp://127.0.0.1/incoming/part.bin
	[ "$status" -eq 0 ]
	[[ "$output" == *"C: APPE incoming/part.bin"* ]]
	cmp up.bin "$FTP_DIR/root/incoming/part.bin"
}

@test "vsftpd: upload refused by the server exits 1" {
	echo x >up.denied
	run ns "$FTPGET" -s -W 5 -T up.denied ftp://127.0.0.1/incoming/
	[ "$status" -eq 1 ]
	[[ "$output" == *"550"* ]]
}

@test "vsftpd: -r mirrors a small tree" {
	run ns "$FTPGET" -s -W 5 -r ftp://127.0.0.1/pub/tree/
	[ "$status" -eq 0 ]
	diff -r . "$FTP_DIR/root/pub/tree"
	[ -z "$(find . -name '.part-*')" ]
}

@test "vsftpd: -r keeps a listing of 4,000 entries in little memory" {
	[ "${VALGRIND:-}" != 1 ] || skip "under valgrind the peak RSS is valgrind's"
	[ -x /usr/bin/time ] || skip "GNU time (/usr/bin/time) not installed"
	mkdir one links
	(cd one && ns /usr/bin/time -f %M -o ../rss1 "$FTPGET" -s -W 5 -r ftp://127.0.0.1/mem/one/)
	(cd links && ns /usr/bin/time -f %M -o ../rss2 "$FTPGET" -s -W 5 -r ftp://127.0.0.1/mem/links/)
	[ "$(cat one/only.txt)" = 1 ] && [ -z "$(ls -A links)" ]
	# a kilobyte an entry (a whole struct ftp_entry) would be 4 MB more
	echo "peak RSS: $(cat rss1) KiB for 1 entry, $(cat rss2) KiB for 4,000"
	[ $(($(cat rss2) - $(cat rss1))) -lt 1024 ]
}

@test "vsftpd: -r over four control connections fetches each file once" {
	run ns "$FTPGET" -j -W 5 --parallel 4 -r ftp://127.0.0.1/pub/many/
	[ "$status" -eq 0 ]
	diff -r . "$FTP_DIR/root/pub/many"
	[ "$(grep -c '"type":"transfer"' <<<"$output")" -eq 40 ]
	[ "$(jq -c '[.transfers, .failed, .bytes, .exit]' <<<"${lines[-1]}")" = '[40,0,'"$(cat "$FTP_DIR"/root/pub/many/* | wc -c)"',0]' ]
	[ -z "$(find . -name '.part-*')" ]
}

@test "vsftpd: -r pipelined with the control replies read one byte at a time" {
	run with_faults "read:*:one:sock" ns "$FTPGET" -s -W 5 --parallel 1 -r ftp://127.0.0.1/pub/many/
	[ "$status" -eq 0 ]
	diff -r . "$FTP_DIR/root/pub/many"
	[ -z "$(find . -name '.part-*')" ]
}

@test "vsftpd: -r -C pipelined: REST for a short .part, no transfer for a whole one" {
	printf 'fil' >.part-f5.txt
	printf 'file 7\n' >.part-f7.txt
	run ns "$FTPGET" -v -C -W 5 --parallel 1 -r ftp://127.0.0.1/pub/many/
	[ "$status" -eq 0 ]
	[[ "$output" == *"C: REST 3"* ]]
	[[ "$output" != *"RETR pub/many/f7.txt"* ]]
	diff -r . "$FTP_DIR/root/pub/many"
	[ -z "$(find . -name '.part-*')" ]
}

@test "vsftpd: -r --parallel 4, one file refused (550): exit 1, every other file, no .part" {
	run ns "$FTPGET" -j -W 5 --parallel 4 -r ftp://127.0.0.1/deny/
	[ "$status" -eq 1 ]
	[[ "$output" == *"deny/secret.denied: 550"* ]]
	[ "$(grep '"type":"summary"' <<<"$output" | jq -c '[.transfers, .failed, .exit]')" = '[12,1,1]' ]
	[ ! -e secret.denied ] && [ ! -e .part-secret.denied ]
	diff -r --exclude=secret.denied . "$FTP_DIR/root/deny"
	[ -z "$(find . -name '.part-*')" ]
}

@test "vsftpd: -r --parallel 4, SIGINT to ftpget alone: its workers stop too, all within 1 s; no file half-written; exit 3" {
	# a second vsftpd in the namespace that sends 64 KiB/s a connection:
	# 1 MiB files take 16 s each, so all four connections are mid-file
	sed -e 's/^listen=NO$/listen=YES/' -e 's/^listen_ipv6=YES$/listen_ipv6=NO/' \
	    -e '$a listen_port=2122' -e '$a anon_max_rate=65536' \
	    -e "s|^vsftpd_log_file=.*|vsftpd_log_file=$BATS_TEST_TMPDIR/v3.log|" \
	    "$FTP_DIR/vsftpd.conf" >"$BATS_TEST_TMPDIR/v3.conf"
	ip netns exec "$FTP_NS" vsftpd "$BATS_TEST_TMPDIR/v3.conf" </dev/null >/dev/null 2>&1 3>&- &
	local v3=$! i pid t0 ms n=0 f
	for ((i = 0; i < 250; i++)); do
		[ -n "$(ns ss -ltnH 'sport = :2122' 2>/dev/null)" ] && break
		sleep 0.02
	done
	mkdir got && cd got
	# ip netns exec execs: $! is ftpget itself, and the signal goes to it alone
	ip netns exec "$FTP_NS" "$FTPGET" -j -W 10 --parallel 4 -r ftp://127.0.0.1:2122/slow/ \
	    >../json 2>../err 3>&- &
	pid=$!
	# four .part- files growing: the main process and three workers mid-file
	for ((i = 0; i < 500; i++)); do
		n=$(find . -name '.part-*' -size +1k | wc -l)
		[ "$n" -ge 4 ] && break
		sleep 0.02
	done
	t0=$(date +%s%N)
	kill -INT "$pid"
	wait "$pid" && status=0 || status=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	kill "$v3" 2>/dev/null || true
	wait "$v3" 2>/dev/null || true
	echo "exit $status after $ms ms, with $n files in flight" >&2
	[ "$n" -ge 4 ]
	[ "$status" -eq 3 ]
	# ftpget reaps its workers before it exits: its exit time is theirs
	[ "$ms" -lt "$([ "${VALGRIND:-}" = 1 ] && echo 5000 || echo 1000)" ]
	# no final file half-written: a final name holds the whole file, a .part- a prefix
	for f in $(find . -type f ! -name '.part-*'); do cmp "$f" "$FTP_DIR/root/slow/${f#./}"; done
	for f in $(find . -name '.part-*'); do
		cmp -n "$(stat -c %s "$f")" "$f" "$FTP_DIR/root/slow/${f#./.part-}"
		[ "$(stat -c %s "$f")" -lt 1048576 ]
	done
	[ "$(find . -name '.part-*' | wc -l)" -ge 4 ]
	grep -q 'interrupted' ../err
	[ "$(tail -n1 ../json | jq -c '[.type, .exit]')" = '["summary",3]' ]
}

@test "vsftpd: -r --parallel 4 with a server that takes two connections: the others do it all, exit 0" {
	# a second vsftpd in the namespace that refuses a third connection (421)
	sed -e 's/^listen=NO$/listen=YES/' -e 's/^listen_ipv6=YES$/listen_ipv6=NO/' \
	    -e '$a listen_port=2121' -e '$a max_per_ip=2' \
	    -e "s|^vsftpd_log_file=.*|vsftpd_log_file=$BATS_TEST_TMPDIR/v2.log|" \
	    "$FTP_DIR/vsftpd.conf" >"$BATS_TEST_TMPDIR/v2.conf"
	ip netns exec "$FTP_NS" vsftpd "$BATS_TEST_TMPDIR/v2.conf" </dev/null >/dev/null 2>&1 3>&- &
	local v2=$! i
	for ((i = 0; i < 250; i++)); do
		[ -n "$(ns ss -ltnH 'sport = :2121' 2>/dev/null)" ] && break
		sleep 0.02
	done
	mkdir got && cd got
	run ns "$FTPGET" -j -W 5 --parallel 4 -r ftp://127.0.0.1:2121/pub/many/
	kill "$v2"
	[ "$status" -eq 0 ]
	[[ "$output" == *"421"* ]]
	[ "$(grep '"type":"summary"' <<<"$output" | jq -c '[.transfers, .failed, .exit]')" = '[40,0,0]' ]
	diff -r . "$FTP_DIR/root/pub/many"
	[ -z "$(find . -name '.part-*')" ]
}

@test "vsftpd: 550 no such file exits 1 and leaves no file" {
	run ns "$FTPGET" -s -W 5 -O ftp://127.0.0.1/pub/nope.txt
	[ "$status" -eq 1 ]
	[[ "$output" == *"550"* ]]
	[ ! -e nope.txt ] && [ ! -e .part-nope.txt ]
}

@test "vsftpd: login refused exits 1" {
	echo secret >pw && chmod 600 pw
	run ns "$FTPGET" -s -W 5 -u bob --password-file pw ftp://127.0.0.1/pub/hello.txt
	[ "$status" -eq 1 ]
	[[ "$output" == *"530"* ]]
	[[ "$output" != *secret* ]]
}

@test "vsftpd: -j prints a transfer and entries, summary last" {
	run ns "$FTPGET" -j -W 5 -O ftp://127.0.0.1/pub/hello.txt ftp://127.0.0.1/pub/tree/
	[ "$status" -eq 0 ]
	[ "$(jq -r .type <<<"${lines[0]}")" = transfer ]
	[ "$(jq -r .bytes <<<"${lines[0]}")" = 6 ]
	[ "$(jq -r .mtime <<<"${lines[0]}")" = 2021-03-04T05:06:07.000Z ]
	[ "$(jq -r '.kind + " " + .name' <<<"${lines[1]}")" = "dir a" ]
	[ "$(jq -c '[.type, .transfers, .entries, .exit]' <<<"${lines[-1]}")" = '["summary",1,2,0]' ]
}

@test "vsftpd: -X decodes every command and reply on stderr, PASS masked" {
	run ns "$FTPGET" -s -X -W 5 ftp://127.0.0.1/pub/hello.txt
	[ "$status" -eq 0 ] || { echo "$output" | grep -v "^    \|^  0\|^---\|^[A-Z]" | head -30; false; }
	[[ "$output" == *"FTP command (RFC 959 4.1)"* ]]
	[[ "$output" == *"code                   229"* ]]
	[[ "$output" == *"(masked)"* ]]
	[[ "$output" != *"ftpget@"* ]]
}

@test "vsftpd: every allocation failure ends with an exit code, never a crash" {
	TORTURE_SETUP='rm -rf "$BATS_TEST_TMPDIR"/w; mkdir -p "$BATS_TEST_TMPDIR"/w; cd "$BATS_TEST_TMPDIR"/w'
	torture_alloc ns "$FTPGET" -s -W 5 -r ftp://127.0.0.1/pub/tree/
	[ "$TORTURE_RUNS" -gt 0 ]
	torture_alloc ns "$FTPGET" -s -W 5 -O ftp://127.0.0.1/pub/hello.txt ftp://127.0.0.1/pub/
	[ "$TORTURE_RUNS" -gt 0 ]
}

@test "vsftpd: control replies read one byte at a time" {
	run with_faults "read:*:one:sock" ns "$FTPGET" -s -W 5 -a ftp://127.0.0.1/pub/hello.txt ftp://127.0.0.1/pub/
	[ "$status" -eq 0 ]
	[[ "$output" == hello* ]]
	[[ "$output" == *$'\thello.txt'* ]]
}

@test "vsftpd: a full disk is a local error (exit 2), the .part kept" {
	run with_faults "write:1:ENOSPC:file" ns "$FTPGET" -s -W 5 -a -O ftp://127.0.0.1/pub/dos.txt
	[ "$status" -eq 2 ]
	[[ "$output" == *"No space left"* ]]
	[ ! -e dos.txt ] && [ -e .part-dos.txt ]
}
