#!/usr/bin/env bats
# httpget --compressed against a local python3 server
# (tests/fixtures/gzserver.py): the bodies it decodes are byte for byte
# what curl --compressed writes; a bad check value, a cut stream and a
# decompression bomb exit 3 (curl takes the cut one and the bomb).
load lib/common

setup_file() {
	command -v python3 >/dev/null || return 0
	export GZ_DIR="$BATS_FILE_TMPDIR/gz"
	mkdir -p "$GZ_DIR"
	python3 "$BATS_TEST_DIRNAME/fixtures/gzserver.py" "$GZ_DIR/port" 300 3>&- &
	echo $! >"$GZ_DIR/pid"
	wait_file "$GZ_DIR/port" 20
}

teardown_file() {
	[ -s "${GZ_DIR:-/nonexistent}/pid" ] || return 0
	kill "$(cat "$GZ_DIR/pid")" 2>/dev/null || true
}

setup() {
	need_cmd python3
	[ -s "$GZ_DIR/port" ] || skip "the python3 server did not start"
	URL="http://127.0.0.1:$(cat "$GZ_DIR/port")"
}

@test "--compressed: gzip, x-gzip, deflate (zlib and raw), chunked or not: as curl --compressed" {
	need_cmd curl
	local p
	for p in gzip x-gzip deflate rawdeflate chunked/gzip chunked/deflate chunked/rawdeflate plain; do
		run httpget -s --compressed -o "$BATS_TEST_TMPDIR/h" "$URL/$p"
		[ "$status" -eq 0 ] || { echo "$p: $output"; false; }
		curl -s --compressed -o "$BATS_TEST_TMPDIR/c" "$URL/$p"
		cmp "$BATS_TEST_TMPDIR/c" "$BATS_TEST_TMPDIR/h" || { echo "$p differs"; false; }
		[ "$(wc -c <"$BATS_TEST_TMPDIR/h")" -eq 202890 ]
	done
}

@test "--compressed asks for gzip and deflate; without it nothing is asked or decoded" {
	run httpget -s --compressed "$URL/ae"
	[ "$status" -eq 0 ]
	[ "$output" = "gzip, deflate" ]
	run httpget -s "$URL/ae"
	[ "$output" = "none" ]
	# a -H of the user's own wins
	run httpget -s --compressed -H 'Accept-Encoding: gzip' "$URL/ae"
	[ "$output" = "gzip" ]
	# without --compressed the body is saved as it came, with a warning
	run httpget -o "$BATS_TEST_TMPDIR/raw" "$URL/gzip"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Content-Encoding present"* ]]
	gzip -dc <"$BATS_TEST_TMPDIR/raw" | cmp - <(httpget -s --compressed "$URL/gzip")
}

@test "--compressed: a wrong CRC-32 or a cut stream exits 3 and says why" {
	run httpget -s --compressed -o "$BATS_TEST_TMPDIR/x" "$URL/badcrc"
	[ "$status" -eq 3 ]
	[[ "$output" == *"decoding the body: check value mismatch"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/x" ]
	run httpget -s --compressed "$URL/cut"
	[ "$status" -eq 3 ]
	[[ "$output" == *"compressed data cut short"* ]]
}

@test "--compressed: a bomb is cut off by --max-ratio (default 500) or --max-decoded" {
	run httpget -s --compressed -o /dev/null "$URL/bomb"
	[ "$status" -eq 3 ]
	[[ "$output" == *"decoded size over the limit"* ]]
	run httpget -s --compressed --max-ratio 0 --max-decoded 1M -o /dev/null "$URL/bomb"
	[ "$status" -eq 3 ]
	[[ "$output" == *"decoded size over the limit"* ]]
	run httpget -s --compressed --max-ratio 0 -o "$BATS_TEST_TMPDIR/zeros" "$URL/bomb"
	[ "$status" -eq 0 ]
	[ "$(wc -c <"$BATS_TEST_TMPDIR/zeros")" -eq $((64 << 20)) ]
	# a ratio the text does not reach, a limit it stays under
	run httpget -s --compressed --max-ratio 200 --max-decoded 300k -o /dev/null "$URL/gzip"
	[ "$status" -eq 0 ]
}

@test "--compressed: a coding it does not know is saved as it came, with a warning" {
	run httpget --compressed -o "$BATS_TEST_TMPDIR/br" "$URL/br"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Content-Encoding present"* ]]
	[ "$(cat "$BATS_TEST_TMPDIR/br")" = "not brotli at all" ]
}

@test "--compressed: refusals before the first packet" {
	run httpget --compressed -C -o x "$URL/gzip"
	[ "$status" -eq 2 ]
	run httpget --compressed --max-decoded 12Q "$URL/gzip"
	[ "$status" -eq 2 ]
	run httpget --compressed --max-ratio -1 "$URL/gzip"
	[ "$status" -eq 2 ]
}
