#!/usr/bin/env bats
# httpget-curl.bats - curl's everyday flags in httpget (issue 23): -f, -S,
# -w, -m, -e, --retry, -C, -I/-i over redirects.  Where httpget means to
# behave as curl does, curl and httpget fetch the same URLs from one
# server (tests/peers/httppeer.py on 127.0.0.1) and their output, files
# and exit statuses are compared; where tubes differs on purpose (its
# exit codes, the bodies of retried tries) the test says so.
load lib/common

bats_require_minimum_version 1.5.0

setup() {
	command -v python3 >/dev/null 2>&1 || skip "python3 not installed"
	HP_DIR=$(mktemp -d "$BATS_TEST_TMPDIR/hp.XXXXXX")
	python3 "$TOP/tests/peers/httppeer.py" "$HP_DIR/port" "$HP_DIR/log" 60 \
	    2>"$HP_DIR/err" 3>&- &
	HP_PID=$!
	wait_file "$HP_DIR/port" 5 || { cat "$HP_DIR/err" >&2; return 1; }
	U="http://127.0.0.1:$(cat "$HP_DIR/port")"
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	[ -n "${HP_PID:-}" ] || return 0
	kill "$HP_PID" 2>/dev/null
	wait "$HP_PID" 2>/dev/null || true
}

need_curl() {
	command -v curl >/dev/null 2>&1 || skip "curl not installed"
}

# requests the server logged for PATH
hits() {
	grep -c "^GET $1\$" "$HP_DIR/log" || true
}

@test "-f: a 404 writes no body and exits 1 (curl: 22); -sf says nothing, -sSf says why" {
	need_curl
	run -22 --separate-stderr curl -sf "$U/404"
	[ -z "$output" ] && [ -z "$stderr" ]
	run -1 --separate-stderr httpget -sf "$U/404"
	[ -z "$output" ] && [ -z "$stderr" ]
	run -22 --separate-stderr curl -sSf "$U/404"
	[ -n "$stderr" ]
	run -1 --separate-stderr httpget -sSf "$U/404"
	[ -z "$output" ]
	[[ "$stderr" == *"/404: 404 Not Found"* ]]
	# without -f the body is written, exit 1 (curl: 0)
	run -1 --separate-stderr httpget -s "$U/404"
	[ "$output" = nope ] && [ -z "$stderr" ]
	# -fi: the head still, as curl -fi
	diff <(curl -sfi "$U/404") <(httpget -sfi "$U/404")
	# a 200 is not touched
	run -0 httpget -sf "$U/ok"
	[ "$output" = hello ]
}

@test "-f -o: no file and no .part left for a 404, as curl leaves no file" {
	need_curl
	run -22 curl -sf -o c.out "$U/404"
	[ ! -e c.out ]
	run -1 httpget -sf -o h.out "$U/404"
	[ ! -e h.out ] && [ ! -e .part-h.out ] && [ ! -e .part-.part-h.out ]
	# --expect makes the status a wanted one: written, exit 0
	run -0 httpget -sf --expect 404 -o h.out "$U/404"
	[ "$(cat h.out)" = nope ]
}

@test "-w: curl's variables give what curl gives, on stdout after the body" {
	need_curl
	local f='%{http_code} %{response_code} %{size_download} %{size_header} %{url_effective} %{content_type} %{num_redirects} [%{redirect_url}] %{method}\n'
	for p in ok 404 redir2 nothing; do
		diff <(curl -sL -w "$f" "$U/$p") <(httpget -s -w "$f" "$U/$p")
	done
	# a redirect not followed: redirect_url says where it goes
	diff <(curl -s -o /dev/null -w "$f" "$U/redir") \
	    <(httpget -s --no-location -o /dev/null -w "$f" "$U/redir")
	run -0 httpget -s -o /dev/null -w '[%{redirect_url}]' --no-location "$U/redir"
	[ "$output" = "[$U/ok]" ]
	# exitcode is tubes' own
	run -1 httpget -s -o /dev/null -w '%{exitcode}' "$U/404"
	[ "$output" = 1 ]
}

@test "-w: times, escapes, %{stderr}, @file; no response is 000" {
	run -0 --separate-stderr httpget -s -o /dev/null \
	    -w '%{time_connect} %{time_starttransfer} %{time_total}\t%%\n%{stderr}to-err %{http_code}' "$U/ok"
	[[ "$output" =~ ^0\.[0-9]{6}\ 0\.[0-9]{6}\ 0\.[0-9]{6}$'\t%'$ ]]
	[ "$stderr" = "to-err 200" ]
	printf '%%{http_code}:%%{num_connects}\n' >fmt
	run -0 httpget -s -o /dev/null -o /dev/null -w @fmt "$U/ok" "$U/ok"
	[ "$output" = $'200:1\n200:0' ]
	port=$("$TESTBIN/freeport" 1)
	run -3 --separate-stderr httpget -s -w '%{http_code} %{exitcode}\n' "http://127.0.0.1:$port/"
	[ "$output" = "000 3" ]
}

@test "-I and -i: every head of a redirect chain, byte for byte as curl -IL and -iL" {
	need_curl
	diff <(curl -sIL "$U/redir2") <(httpget -sI "$U/redir2")
	diff <(curl -siL "$U/redir2") <(httpget -si "$U/redir2")
	run -0 httpget -sI "$U/redir2"
	[ "$(grep -c '^HTTP/1.1 ' <<<"$output")" -eq 3 ]
	# not following: the one head
	run -0 httpget -sI --no-location "$U/redir2"
	[ "$(grep -c '^HTTP/1.1 ' <<<"$output")" -eq 1 ]
	# -L after --no-location follows again
	run -0 httpget -s --no-location -L "$U/redir2"
	[ "$output" = hello ]
}

@test "-e: Referer as curl sends it, ';auto' on redirects" {
	need_curl
	for e in http://a.example/page 'http://a.example/;auto' ';auto'; do
		diff <(curl -sL -e "$e" "$U/to-ref") <(httpget -s -e "$e" "$U/to-ref")
		diff <(curl -sL -e "$e" "$U/ref") <(httpget -s -e "$e" "$U/ref")
	done
	run -0 httpget -s -e 'http://a.example/;auto' "$U/to-ref"
	[ "$output" = "$U/to-ref" ]
	# -H Referer wins over -e
	run -0 httpget -s -e http://x/ -H 'Referer: http://y/' "$U/ref"
	[ "$output" = http://y/ ]
}

@test "-C N: the body from byte N, as curl -C N; -C - and --continue resume a .part" {
	need_curl
	diff <(curl -s -C 5 "$U/range") <(httpget -s -C 5 "$U/range")
	run -0 httpget -s -C 5 "$U/range"
	[ "$output" = 56789abcdef ]
	# -C N into a file: the .part cut to N bytes, the rest appended
	printf '01234XXXXXX' >.part-r
	run -0 httpget -s -C 5 -o r "$U/range"
	[ "$(cat r)" = 0123456789abcdef ]
	printf '0123' >.part-r2
	run -2 httpget -s -C 5 -o r2 "$U/range"
	[[ "$output" == *"holds fewer bytes than the offset"* ]]
	[ "$(cat .part-r2)" = 0123 ]
	for c in '-C -' --continue -C; do
		rm -f r3
		printf '0123456' >.part-r3
		run -0 httpget -s $c -o r3 "$U/range"
		[ "$(cat r3)" = 0123456789abcdef ]
	done
	# on stdout a server that ignores the range is a no, nothing written
	run -1 --separate-stderr httpget -s -C 3 "$U/ok"
	[ -z "$output" ]
	[[ "$stderr" == *"sent the whole body (200)"* ]]
}

@test "--retry: 503s retried as curl retries them; only the last try's body is written" {
	need_curl
	run -0 curl -s --retry 3 --retry-delay 0 "$U/flaky/2/c"
	[ "$(hits /flaky/2/c)" -eq 3 ]
	# curl writes each 503's body too; httpget only the answer
	[ "$output" = $'busy\nbusy\nok' ]
	run -0 --separate-stderr httpget --retry 3 --retry-delay 0 "$U/flaky/2/h"
	[ "$(hits /flaky/2/h)" -eq 3 ]
	[ "$output" = ok ]
	[[ "$stderr" == *"retrying in 0 s (3 retries left)"* ]]
	[[ "$stderr" == *"retrying in 0 s (2 retries left)"* ]]
	# retries run out: the last 503 is the answer, written, exit 1 (-f: not written)
	run -1 httpget -s --retry 1 --retry-delay 0 "$U/flaky/5/x"
	[ "$output" = busy ]
	[ "$(hits /flaky/5/x)" -eq 2 ]
	run -1 httpget -sf --retry 1 --retry-delay 0 "$U/flaky/5/y"
	[ -z "$output" ]
	# into a file: the answer only, no .part left
	run -0 httpget -s --retry 2 --retry-delay 0 -o f "$U/flaky/1/z"
	[ "$(cat f)" = ok ] && [ ! -e .part-f ]
	# a 404 is never retried
	run -1 httpget -s --retry 3 --retry-delay 0 "$U/404"
	[ "$(hits /404)" -eq 1 ]
}

@test "--retry: a timeout is retried; a refused connection only with --retry-connrefused" {
	run -0 --separate-stderr httpget -s -W 0.3 --retry 2 --retry-delay 0 "$U/stall/1/t"
	[ "$output" = ok ]
	[[ "$stderr" == *"timed out"* ]]
	[ "$(hits /stall/1/t)" -eq 2 ]
	port=$("$TESTBIN/freeport" 1)
	run -3 --separate-stderr httpget --retry 2 --retry-delay 0 "http://127.0.0.1:$port/"
	[[ "$stderr" != *retrying* ]]
	run -3 --separate-stderr httpget --retry 2 --retry-delay 0 --retry-connrefused \
	    "http://127.0.0.1:$port/"
	[ "$(grep -c retrying <<<"$stderr")" -eq 2 ]
}

@test "--retry: Retry-After 0 replaces the wait; 1 s, then 2 s, not begun past -m" {
	local t0 t1
	t0=$(date +%s%N)
	run -0 --separate-stderr httpget --retry 2 "$U/flaky/1/w"
	t1=$(date +%s%N)
	[ "$output" = ok ]
	# Retry-After: 0 from the server replaces the 1 s wait (the time only
	# outside valgrind, whose start-up alone can take most of a second)
	[[ "$stderr" == *"retrying in 0 s (2 retries left)"* ]]
	[[ "$(command -v httpget)" == *valgrind-bin* ]] ||
		[ $(( (t1 - t0) / 1000000 )) -lt 900 ]
	port=$("$TESTBIN/freeport" 1)
	# 1 s, then 2 s: the second would end after -m, so it is not begun
	t0=$(date +%s%N)
	run -3 --separate-stderr httpget -m 2.5 --retry 5 --retry-connrefused "http://127.0.0.1:$port/"
	t1=$(date +%s%N)
	[ $(( (t1 - t0) / 1000000 )) -lt 3000 ]
	[[ "$stderr" == *"retrying in 1 s (5 retries left)"* ]]
	[[ "$stderr" != *"retrying in 2 s"* ]]
}

@test "-m: the overall deadline (was -w); --deadline is the same" {
	local t0 t1
	t0=$(date +%s%N)
	run -3 httpget -s -m 0.5 "$U/stall/9/m"
	t1=$(date +%s%N)
	[ $(( (t1 - t0) / 1000000 )) -lt 2500 ]
	run -3 httpget -s --deadline 0.5 "$U/stall/9/m"
	run -3 httpget -s --max-time 0.5 "$U/stall/9/m"
	[ "$(hits /stall/9/m)" -eq 3 ]
}

@test "completion: after httpget -I come URLs, not interface names (-I is HEAD here)" {
	comp() {
		PATH=$BIN:$PATH bash -c 'source "$1"; shift; COMP_WORDS=("$@")
		    COMP_CWORD=$(($# - 1)); _tubes httpget; printf "%s\n" "${COMPREPLY[@]}"' \
		    _ "$TOP/completions/httpget" "$@"
	}
	run comp httpget -I ''
	[[ "$output" == *"http://"* ]]
	[[ "$output" != *lo* ]]
	# the options that take an argument complete a file name after them
	touch "$BATS_TEST_TMPDIR/fmt-file"
	run comp httpget -w "$BATS_TEST_TMPDIR/fmt-f"
	[ "$output" = "$BATS_TEST_TMPDIR/fmt-file" ]
}

@test "--retry: a body cut short into a file is resumed from its .part on the next try" {
	run -0 --separate-stderr httpget -s -W 0.5 --retry 1 --retry-delay 0 -o f "$U/cut/k"
	[ "$(cat f)" = 0123456789abcdef ]
	[ ! -e .part-f ] && [ ! -e .part-.part-f ]
	[ "$(hits /cut/k)" -eq 2 ]
	grep -q '^Range: bytes=5- If-Range: "c1"$' "$HP_DIR/log"
	# to standard output the 5 bytes are out: no retry, exit 3
	run -3 --separate-stderr httpget -s -W 0.5 --retry 1 --retry-delay 0 "$U/cut/s"
	[ "$output" = 01234 ]
	[ "$(hits /cut/s)" -eq 1 ]
}
