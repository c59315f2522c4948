#!/usr/bin/env bats
# httpget's request bodies against curl's: -d (joined with &, @file
# without CR/LF, a form Content-Type unless -H gives one), --data-binary,
# --data-urlencode in its five forms, -F multipart/form-data and -T PUT,
# each sent by both to the same python3 server (tests/fixtures/echoserver.py),
# which answers with the method, path, Content-Type, Content-Length and
# body it got (a multipart boundary replaced): the answers must agree.
load lib/common

setup_file() {
	command -v python3 >/dev/null || return 0
	export EC_DIR="$BATS_FILE_TMPDIR/ec"
	mkdir -p "$EC_DIR"
	python3 "$BATS_TEST_DIRNAME/fixtures/echoserver.py" "$EC_DIR/port" 300 3>&- &
	echo $! >"$EC_DIR/pid"
	wait_file "$EC_DIR/port" 20
	printf 'line1\r\nline2\nx y&z\n' >"$EC_DIR/f.txt"
	printf '\000\001bin\n--\r\n' >"$EC_DIR/b.bin"
}

teardown_file() {
	[ -s "${EC_DIR:-/nonexistent}/pid" ] || return 0
	kill "$(cat "$EC_DIR/pid")" 2>/dev/null || true
}

setup() {
	need_cmd python3 curl
	[ -s "$EC_DIR/port" ] || skip "the python3 server did not start"
	URL="http://127.0.0.1:$(cat "$EC_DIR/port")"
	cd "$EC_DIR"
}

# both tools with the same arguments (and stdin from $SAME_IN): the
# server's answers must be the same
same() {
	local in=${SAME_IN:-/dev/null}
	curl -s "$@" <"$in" >"$BATS_TEST_TMPDIR/c"
	httpget -s "$@" <"$in" >"$BATS_TEST_TMPDIR/h" || { echo "httpget $*: exit $?"; return 1; }
	cmp "$BATS_TEST_TMPDIR/c" "$BATS_TEST_TMPDIR/h" || {
		echo "curl:"; cat -A "$BATS_TEST_TMPDIR/c"; echo "httpget:"; cat -A "$BATS_TEST_TMPDIR/h"
		return 1
	}
}

@test "-d: a form, several joined with &, @file without CR and LF" {
	same -d a=1 -d 'b=2 3' "$URL/p"
	same -d @f.txt "$URL/p"
	same -d @f.txt -d x=y "$URL/p"
	run httpget -s -d a=1 -d b=2 "$URL/p"
	[ "${lines[0]}" = "POST /p" ]
	[ "${lines[1]}" = "Content-Type: application/x-www-form-urlencoded" ]
	[ "${lines[3]}" = "a=1&b=2" ]
}

@test "-d: a Content-Type from -H wins; -X changes the method" {
	same -H 'Content-Type: text/plain' -d hello "$URL/p"
	same -X PUT -d hello "$URL/p"
}

@test "--data-binary: @file as it is" {
	same --data-binary @f.txt "$URL/p"
	same --data-binary @b.bin -d more "$URL/p"
	printf 'from\nstdin' >"$BATS_TEST_TMPDIR/in"
	SAME_IN=$BATS_TEST_TMPDIR/in same --data-binary @- "$URL/p"
	SAME_IN=$BATS_TEST_TMPDIR/in same -d @- "$URL/p"
}

@test "--data-urlencode: content, =content, name=content, @file, name@file" {
	same --data-urlencode 'x y&z' "$URL/p"
	same --data-urlencode '=a b=c' "$URL/p"
	same --data-urlencode 'n=v w/%' "$URL/p"
	same --data-urlencode @f.txt "$URL/p"
	same --data-urlencode n@f.txt -d raw=1 "$URL/p"
}

@test "-F: multipart/form-data values, files, types, file names, <file" {
	same -F a=1 -F 'b=two words' "$URL/p"
	same -F f=@f.txt "$URL/p"
	same -F 'g=@b.bin;type=image/x-foo;filename=z.bin' -F 'h=<f.txt' "$URL/p"
	same -F 'q"uote=1' -F 'f=@f.txt;filename="a b.txt"' "$URL/p"
	same -F "p=@$EC_DIR/b.bin" "$URL/p"
}

@test "-F: the boundary occurs in no part" {
	run httpget -s -F f=@b.bin -F f2=@f.txt "$URL/p"
	[ "$status" -eq 0 ]
	# BOUNDARY is where the server saw the boundary: two parts and the close
	[ "$(grep -c -- '--BOUNDARY' <<<"$output")" -eq 3 ]
	grep -q -- '--BOUNDARY--' <<<"$output"
}

@test "-T: PUT the file, to URL/FILE when the URL ends in /" {
	same -T f.txt "$URL/up/"
	same -T b.bin "$URL/p"
	run httpget -s -T f.txt "$URL/up/"
	[ "${lines[0]}" = "PUT /up/f.txt" ]
	[ "${lines[1]}" = "Content-Type: none" ]
}

@test "request bodies: refusals" {
	run httpget -s -d a -F b=1 "$URL/p"
	[ "$status" -eq 2 ]
	run httpget -s -d a -T f.txt "$URL/p"
	[ "$status" -eq 2 ]
	run httpget -s -F novalue "$URL/p"
	[ "$status" -eq 2 ]
	run httpget -s -F 'f=@' "$URL/p"
	[ "$status" -eq 2 ]
	run httpget -s -d @/nonexistent/file "$URL/p"
	[ "$status" -eq 2 ]
	[[ "$output" == *"/nonexistent/file"* ]]
	run httpget -s -I -T f.txt "$URL/p"
	[ "$status" -eq 2 ]
}
